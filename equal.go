package mastodon

import (
	"reflect"
	"time"
)

// EqualEntities reports whether x and y hold the same data: the same
// types, and the same field values all the way down, with times compared
// by instant (time.Time.Equal), nil and empty lists and maps alike, and
// what decoding recorded (members sent or not, their wire form, unknown
// members) ignored. Use it in tests where reflect.DeepEqual would see
// decode state.
func EqualEntities(x, y any) bool {
	if x == nil || y == nil {
		return x == y
	}
	return equal(reflect.ValueOf(x), reflect.ValueOf(y))
}

// equalValues compares two entities of one type; the generated Equal
// methods call it.
func equalValues[T any](x, y *T) bool {
	return equal(reflect.ValueOf(x).Elem(), reflect.ValueOf(y).Elem())
}

var wireType = reflect.TypeFor[wire]()

func equal(x, y reflect.Value) bool {
	if x.Type() != y.Type() {
		return false
	}
	switch x.Kind() {
	case reflect.Struct:
		if x.Type() == timeType && x.CanInterface() && y.CanInterface() {
			return x.Interface().(time.Time).Equal(y.Interface().(time.Time))
		}
		for i := range x.NumField() {
			if x.Type().Field(i).Type == wireType {
				continue
			}
			if !equal(x.Field(i), y.Field(i)) {
				return false
			}
		}
		return true
	case reflect.Pointer:
		if x.IsNil() || y.IsNil() {
			return x.IsNil() == y.IsNil()
		}
		return x.Pointer() == y.Pointer() || equal(x.Elem(), y.Elem())
	case reflect.Interface:
		if x.IsNil() || y.IsNil() {
			return x.IsNil() == y.IsNil()
		}
		return equal(x.Elem(), y.Elem())
	case reflect.Slice, reflect.Array:
		if x.Len() != y.Len() {
			return false
		}
		for i := range x.Len() {
			if !equal(x.Index(i), y.Index(i)) {
				return false
			}
		}
		return true
	case reflect.Map:
		if x.Len() != y.Len() {
			return false
		}
		for _, k := range x.MapKeys() {
			yv := y.MapIndex(k)
			if !yv.IsValid() || !equal(x.MapIndex(k), yv) {
				return false
			}
		}
		return true
	case reflect.String:
		return x.String() == y.String()
	case reflect.Bool:
		return x.Bool() == y.Bool()
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return x.Int() == y.Int()
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return x.Uint() == y.Uint()
	case reflect.Float32, reflect.Float64:
		return x.Float() == y.Float()
	case reflect.Complex64, reflect.Complex128:
		return x.Complex() == y.Complex()
	}
	// Funcs, channels, unsafe pointers: entities hold none.
	return false
}

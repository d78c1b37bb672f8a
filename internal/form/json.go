package form

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"reflect"
	"sort"
	"strconv"
	"time"
)

// JSON encodes src, a struct or pointer to one, as a JSON object by its
// form tags, with the rules Marshal follows: zero fields are left out
// unless a pointer marks them or the tag says "always"; times and
// durations are written as Marshal writes them (durations as numbers of
// seconds); a TextMarshaler is a string. A nil src is "null".
func JSON(src any) ([]byte, error) {
	rv := reflect.ValueOf(src)
	for rv.IsValid() && rv.Kind() == reflect.Pointer {
		if rv.IsNil() {
			return []byte("null"), nil
		}
		rv = rv.Elem()
	}
	if !rv.IsValid() {
		return []byte("null"), nil
	}
	if rv.Kind() != reflect.Struct {
		return nil, fmt.Errorf("form: cannot encode %s as JSON, want a struct", rv.Type())
	}
	var b bytes.Buffer
	if err := jsonStruct(&b, rv); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

func jsonStruct(b *bytes.Buffer, rv reflect.Value) error {
	b.WriteByte('{')
	n := 0
	for _, f := range fieldsOf(rv.Type()) {
		fv, ok := fieldByIndex(rv, f.index)
		if !ok {
			continue
		}
		var join string
		if f.joined {
			s, err := joined(fv, f.join)
			if err != nil {
				return err
			}
			if s == "" && !f.always {
				continue
			}
			join = s
		} else if !jsonSends(fv, f.always) {
			continue
		}
		if n > 0 {
			b.WriteByte(',')
		}
		n++
		jsonString(b, f.name)
		b.WriteByte(':')
		if f.joined {
			jsonString(b, join)
			continue
		}
		if err := jsonValue(b, fv); err != nil {
			return fmt.Errorf("%s: %w", f.name, err)
		}
	}
	b.WriteByte('}')
	return nil
}

// jsonSends reports whether a field's value goes into the object.
func jsonSends(v reflect.Value, always bool) bool {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		return !v.IsNil()
	case reflect.Slice, reflect.Map:
		return always || v.Len() > 0
	case reflect.Func, reflect.Chan:
		return false
	}
	return always || !zero(v)
}

func jsonValue(b *bytes.Buffer, v reflect.Value) error {
	for v.Kind() == reflect.Pointer || v.Kind() == reflect.Interface {
		if v.IsNil() {
			b.WriteString("null")
			return nil
		}
		v = v.Elem()
	}
	switch v.Type() {
	case timeType:
		jsonString(b, v.Interface().(time.Time).UTC().Format(TimeLayout))
		return nil
	case durationType:
		b.WriteString(strconv.FormatInt(int64(v.Interface().(time.Duration)/time.Second), 10))
		return nil
	}
	if v.Type().Implements(textType) {
		s, _, err := scalar(v)
		if err != nil {
			return err
		}
		jsonString(b, s)
		return nil
	}
	switch v.Kind() {
	case reflect.String:
		jsonString(b, v.String())
	case reflect.Float32, reflect.Float64:
		if f := v.Float(); math.IsNaN(f) || math.IsInf(f, 0) {
			return fmt.Errorf("form: %v is not a JSON number", f)
		}
		s, _, _ := scalar(v)
		b.WriteString(s)
	case reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		s, _, _ := scalar(v)
		b.WriteString(s)
	case reflect.Struct:
		return jsonStruct(b, v)
	case reflect.Slice, reflect.Array:
		b.WriteByte('[')
		for i := 0; i < v.Len(); i++ {
			if i > 0 {
				b.WriteByte(',')
			}
			if err := jsonValue(b, v.Index(i)); err != nil {
				return err
			}
		}
		b.WriteByte(']')
	case reflect.Map:
		if v.Type().Key().Kind() != reflect.String {
			return fmt.Errorf("form: map key of %s must be a string", v.Type())
		}
		keys := v.MapKeys()
		sort.Slice(keys, func(i, j int) bool { return keys[i].String() < keys[j].String() })
		b.WriteByte('{')
		for i, k := range keys {
			if i > 0 {
				b.WriteByte(',')
			}
			jsonString(b, k.String())
			b.WriteByte(':')
			if err := jsonValue(b, v.MapIndex(k)); err != nil {
				return err
			}
		}
		b.WriteByte('}')
	default:
		return fmt.Errorf("form: cannot encode %s as JSON", v.Type())
	}
	return nil
}

func jsonString(b *bytes.Buffer, s string) {
	q, _ := json.Marshal(s) // a string always encodes
	b.Write(q)
}

// Package form encodes parameter structs into the key/value pairs Mastodon
// reads from query strings and form bodies, with Rails' bracket keys:
// arrays as "key[]", nested objects as "key[field]", arrays of objects as
// "key[0][field]" and maps as "key[name]".
//
// Fields are named by a `form:"name"` tag; a field without a tag, or with
// tag "-", is skipped. Zero values are left out (an empty string, a nil
// pointer or slice, false, 0, a zero time), so optional parameters that can
// meaningfully be false or zero are pointers; the tag option "always"
// ( `form:"name,always"` ) sends a field even when it is zero, and
// "join=SEP", last, sends a slice as one value, its items joined by SEP
// (`form:"scopes,join= "`). Booleans are
// "true"/"false", times RFC 3339 in UTC with a numeric offset and the
// fractions of a second they have ("2026-08-01T14:00:00+00:00", as
// Mastodon.py writes them), durations whole seconds (rounded down, so one
// under a second counts as zero).
//
// JSON encodes the same structs, by the same tags and rules, as a JSON
// object, for endpoints that take JSON bodies: a parameter is declared
// once, whichever way it is sent.
package form

import (
	"encoding"
	"fmt"
	"net/url"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Pair is one key and value, in the order they are sent.
type Pair struct{ Key, Value string }

// Values is an ordered list of pairs.
type Values []Pair

// Add appends a pair.
func (v *Values) Add(key, value string) { *v = append(*v, Pair{key, value}) }

// Get returns the first value for key.
func (v Values) Get(key string) string {
	for _, p := range v {
		if p.Key == key {
			return p.Value
		}
	}
	return ""
}

// Del removes every pair with key.
func (v *Values) Del(key string) {
	out := (*v)[:0]
	for _, p := range *v {
		if p.Key != key {
			out = append(out, p)
		}
	}
	*v = out
}

// Set replaces every pair with key by one pair.
func (v *Values) Set(key, value string) { v.Del(key); v.Add(key, value) }

// Encode renders the pairs as application/x-www-form-urlencoded, keeping
// their order.
func (v Values) Encode() string {
	var b strings.Builder
	for i, p := range v {
		if i > 0 {
			b.WriteByte('&')
		}
		b.WriteString(url.QueryEscape(p.Key))
		b.WriteByte('=')
		b.WriteString(url.QueryEscape(p.Value))
	}
	return b.String()
}

// URLValues converts to url.Values (order within a key kept).
func (v Values) URLValues() url.Values {
	out := url.Values{}
	for _, p := range v {
		out[p.Key] = append(out[p.Key], p.Value)
	}
	return out
}

// Encoder lets a type write its own pairs under prefix.
type Encoder interface {
	EncodeForm(prefix string, v *Values) error
}

// Marshal encodes src: a struct or pointer to one, url.Values, Values, a
// map[string]string, or nil.
func Marshal(src any) (Values, error) {
	var out Values
	if src == nil {
		return out, nil
	}
	switch s := src.(type) {
	case Values:
		return append(out, s...), nil
	case url.Values:
		keys := make([]string, 0, len(s))
		for k := range s {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			for _, val := range s[k] {
				out.Add(k, val)
			}
		}
		return out, nil
	case map[string]string:
		keys := make([]string, 0, len(s))
		for k := range s {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			out.Add(k, s[k])
		}
		return out, nil
	}
	rv := reflect.ValueOf(src)
	for rv.Kind() == reflect.Pointer {
		if rv.IsNil() {
			return out, nil
		}
		rv = rv.Elem()
	}
	if rv.Kind() != reflect.Struct {
		return nil, fmt.Errorf("form: cannot encode %s, want a struct", rv.Type())
	}
	if err := encodeStruct("", rv, &out); err != nil {
		return nil, err
	}
	return out, nil
}

type field struct {
	index  []int
	name   string
	always bool   // send even when zero
	join   string // with joined: a slice sent as one value, joined by this
	joined bool
}

var cache sync.Map // reflect.Type -> []field

func fieldsOf(t reflect.Type) []field {
	if f, ok := cache.Load(t); ok {
		return f.([]field)
	}
	var fs []field
	for i := 0; i < t.NumField(); i++ {
		sf := t.Field(i)
		tag := sf.Tag.Get("form")
		if sf.Anonymous && tag == "" {
			ft := sf.Type
			if ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			if ft.Kind() == reflect.Struct {
				for _, inner := range fieldsOf(ft) {
					inner.index = append([]int{i}, inner.index...)
					fs = append(fs, inner)
				}
			}
			continue
		}
		if !sf.IsExported() || tag == "" || tag == "-" {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		f := field{index: []int{i}, name: name}
		for opts != "" {
			if sep, ok := strings.CutPrefix(opts, "join="); ok { // the rest of the tag
				f.join, f.joined = sep, true
				break
			}
			var opt string
			opt, opts, _ = strings.Cut(opts, ",")
			f.always = f.always || opt == "always"
		}
		fs = append(fs, f)
	}
	cache.Store(t, fs)
	return fs
}

func key(prefix, name string) string {
	if prefix == "" {
		return name
	}
	return prefix + "[" + name + "]"
}

func encodeStruct(prefix string, rv reflect.Value, out *Values) error {
	for _, f := range fieldsOf(rv.Type()) {
		fv, ok := fieldByIndex(rv, f.index)
		if !ok {
			continue
		}
		k := key(prefix, f.name)
		if f.joined {
			s, err := joined(fv, f.join)
			if err != nil {
				return err
			}
			if s != "" || f.always {
				out.Add(k, s)
			}
			continue
		}
		if f.always && fv.Kind() != reflect.Pointer && fv.IsZero() {
			if s, ok, err := scalar(fv); err != nil {
				return err
			} else if ok {
				out.Add(k, s)
				continue
			}
		}
		if err := encodeValue(k, fv, out); err != nil {
			return err
		}
	}
	return nil
}

func fieldByIndex(v reflect.Value, index []int) (reflect.Value, bool) {
	for i, x := range index {
		if i > 0 && v.Kind() == reflect.Pointer {
			if v.IsNil() {
				return reflect.Value{}, false
			}
			v = v.Elem()
		}
		v = v.Field(x)
	}
	return v, true
}

// TimeLayout is how times are written (always in UTC).
const TimeLayout = "2006-01-02T15:04:05.999999-07:00"

var (
	timeType     = reflect.TypeFor[time.Time]()
	durationType = reflect.TypeFor[time.Duration]()
	encoderType  = reflect.TypeFor[Encoder]()
	textType     = reflect.TypeFor[encoding.TextMarshaler]()
)

// encodeValue writes v under k, leaving zero values out.
func encodeValue(k string, v reflect.Value, out *Values) error {
	if !v.IsValid() {
		return nil
	}
	if v.Type().Implements(encoderType) {
		if v.Kind() == reflect.Pointer && v.IsNil() {
			return nil
		}
		return v.Interface().(Encoder).EncodeForm(k, out)
	}
	if v.Kind() == reflect.Pointer {
		if v.IsNil() {
			return nil
		}
		// A pointer marks a value to send even when it is zero.
		e := v.Elem()
		if s, ok, err := scalar(e); err != nil {
			return err
		} else if ok {
			out.Add(k, s)
			return nil
		}
		return encodeValue(k, e, out)
	}
	if v.Kind() == reflect.Interface {
		if v.IsNil() {
			return nil
		}
		return encodeValue(k, v.Elem(), out)
	}
	if zero(v) {
		return nil
	}
	if s, ok, err := scalar(v); err != nil {
		return err
	} else if ok {
		out.Add(k, s)
		return nil
	}
	switch v.Kind() {
	case reflect.Struct:
		return encodeStruct(k, v, out)
	case reflect.Slice, reflect.Array:
		for i := 0; i < v.Len(); i++ {
			e := v.Index(i)
			for e.Kind() == reflect.Pointer || e.Kind() == reflect.Interface {
				if e.IsNil() {
					break
				}
				e = e.Elem()
			}
			if s, ok, err := scalar(e); err != nil {
				return err
			} else if ok {
				out.Add(k+"[]", s)
				continue
			}
			if e.Kind() == reflect.Struct {
				if err := encodeStruct(k+"["+strconv.Itoa(i)+"]", e, out); err != nil {
					return err
				}
				continue
			}
			if e.Kind() == reflect.Pointer || e.Kind() == reflect.Interface {
				continue // nil element
			}
			return fmt.Errorf("form: cannot encode element %s of %s", e.Type(), k)
		}
		return nil
	case reflect.Map:
		if v.Type().Key().Kind() != reflect.String {
			return fmt.Errorf("form: map key of %s must be a string", k)
		}
		keys := v.MapKeys()
		sort.Slice(keys, func(i, j int) bool { return keys[i].String() < keys[j].String() })
		for _, mk := range keys {
			if err := encodeValue(key(k, mk.String()), v.MapIndex(mk), out); err != nil {
				return err
			}
		}
		return nil
	}
	return fmt.Errorf("form: cannot encode %s of %s", v.Type(), k)
}

// joined renders a slice of scalars as one value, its items separated by
// sep (a "join=" tag: Mastodon takes some lists as one string).
func joined(v reflect.Value, sep string) (string, error) {
	if v.Kind() != reflect.Slice && v.Kind() != reflect.Array {
		return "", fmt.Errorf("form: join needs a slice, not %s", v.Type())
	}
	parts := make([]string, 0, v.Len())
	for i := 0; i < v.Len(); i++ {
		s, ok, err := scalar(v.Index(i))
		if err != nil {
			return "", err
		}
		if !ok {
			return "", fmt.Errorf("form: cannot join %s", v.Index(i).Type())
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, sep), nil
}

// zero reports whether v is left out: its zero value, or a duration of
// less than a second (which is sent as 0 seconds).
func zero(v reflect.Value) bool {
	if v.Type() == durationType {
		return v.Int()/int64(time.Second) == 0
	}
	return v.IsZero()
}

// scalar renders a value that is sent as one string. A TextMarshaler
// that fails (a value out of range) is an error, not left out.
func scalar(v reflect.Value) (string, bool, error) {
	switch v.Type() {
	case timeType:
		return v.Interface().(time.Time).UTC().Format(TimeLayout), true, nil
	case durationType:
		return strconv.FormatInt(int64(v.Interface().(time.Duration)/time.Second), 10), true, nil
	}
	if v.Type().Implements(textType) {
		b, err := v.Interface().(encoding.TextMarshaler).MarshalText()
		if err != nil {
			return "", false, err
		}
		return string(b), true, nil
	}
	switch v.Kind() {
	case reflect.String:
		return v.String(), true, nil
	case reflect.Bool:
		return strconv.FormatBool(v.Bool()), true, nil
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return strconv.FormatInt(v.Int(), 10), true, nil
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return strconv.FormatUint(v.Uint(), 10), true, nil
	case reflect.Float32, reflect.Float64:
		return strconv.FormatFloat(v.Float(), 'f', -1, 64), true, nil
	}
	return "", false, nil
}

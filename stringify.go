package mastodon

import (
	"encoding/json"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"time"
)

// secretMembers are the JSON members whose values String never prints.
var secretMembers = map[string]bool{
	"access_token":  true,
	"refresh_token": true,
	"client_secret": true,
	"id_token":      true,
}

// stringifyDepth bounds how deep String follows nested values; a value
// built by hand could point back to itself.
const stringifyDepth = 16

// stringify prints an entity as Go-like text with values where fmt would
// show addresses: mastodon.Status{ID:"1", Content:"<p>hi</p>",
// Account:mastodon.Account{…}, …}. Nil pointers, slices and maps are left
// out, times are printed in RFC 3339, secrets (tokens, client secrets) as
// "[redacted]". It backs the String methods of the generated entities.
func stringify(v any) string {
	var b strings.Builder
	writeValue(&b, reflect.ValueOf(v), 0)
	return b.String()
}

var timeType = reflect.TypeFor[time.Time]()
var rawType = reflect.TypeFor[json.RawMessage]()

func writeValue(b *strings.Builder, v reflect.Value, depth int) {
	if !v.IsValid() {
		b.WriteString("<nil>")
		return
	}
	if depth > stringifyDepth {
		b.WriteString("…")
		return
	}
	switch v.Type() {
	case timeType:
		t := v.Interface().(time.Time)
		if t.IsZero() {
			b.WriteString("0001-01-01T00:00:00Z")
		} else {
			b.WriteString(t.Format(time.RFC3339Nano))
		}
		return
	case rawType:
		b.WriteString(string(v.Bytes()))
		return
	}
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			b.WriteString("<nil>")
			return
		}
		writeValue(b, v.Elem(), depth+1)
	case reflect.String:
		b.WriteString(strconv.Quote(v.String()))
	case reflect.Bool:
		b.WriteString(strconv.FormatBool(v.Bool()))
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		b.WriteString(strconv.FormatInt(v.Int(), 10))
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		b.WriteString(strconv.FormatUint(v.Uint(), 10))
	case reflect.Float32, reflect.Float64:
		b.WriteString(strconv.FormatFloat(v.Float(), 'g', -1, 64))
	case reflect.Slice, reflect.Array:
		b.WriteByte('[')
		for i := range v.Len() {
			if i > 0 {
				b.WriteString(", ")
			}
			writeValue(b, v.Index(i), depth+1)
		}
		b.WriteByte(']')
	case reflect.Map:
		b.WriteString("map[")
		keys := v.MapKeys()
		sort.Slice(keys, func(i, j int) bool { return keys[i].String() < keys[j].String() })
		for n, k := range keys {
			if n > 0 {
				b.WriteString(", ")
			}
			b.WriteString(strconv.Quote(k.String()))
			b.WriteByte(':')
			writeValue(b, v.MapIndex(k), depth+1)
		}
		b.WriteByte(']')
	case reflect.Struct:
		writeStruct(b, v, depth)
	default:
		b.WriteString(v.Type().String())
	}
}

func writeStruct(b *strings.Builder, v reflect.Value, depth int) {
	t := v.Type()
	b.WriteString(t.String())
	b.WriteByte('{')
	first := true
	for i := range t.NumField() {
		sf := t.Field(i)
		if !sf.IsExported() {
			continue
		}
		fv := v.Field(i)
		switch fv.Kind() {
		case reflect.Pointer, reflect.Interface, reflect.Slice, reflect.Map:
			if fv.IsNil() {
				continue
			}
		}
		if !first {
			b.WriteString(", ")
		}
		first = false
		if sf.Anonymous {
			writeValue(b, fv, depth+1)
			continue
		}
		b.WriteString(sf.Name)
		b.WriteByte(':')
		name, _, _ := strings.Cut(sf.Tag.Get("json"), ",")
		if secretMembers[name] && !fv.IsZero() {
			b.WriteString(`"[redacted]"`)
			continue
		}
		writeValue(b, fv, depth+1)
	}
	b.WriteByte('}')
}

package mastodon

import (
	"bytes"
	"encoding/json"
	"reflect"
	"testing"
)

// memberDecoder is the part of a generated entity that decodes one member.
type memberDecoder interface {
	decodeAt(d *decoder, f, j int) bool
}

// memberNames returns the member names an entity built in code encodes
// (all of its fields, those of an embedded entity first).
func memberNames(t *testing.T, v any) []string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var names []string
	if _, err := dec.Token(); err != nil {
		t.Fatal(err)
	}
	for dec.More() {
		k, err := dec.Token()
		if err != nil {
			t.Fatal(err)
		}
		names = append(names, k.(string))
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			t.Fatal(err)
		}
	}
	return names
}

// probe reports which field numbers of m take the member written in doc as
// the one expected at its start.
func probe(m memberDecoder, doc string) []int {
	var fs []int
	for f := -1; f < 300; f++ {
		d := &decoder{b: []byte(doc)}
		if m.decodeAt(d, f, 0) {
			fs = append(fs, f)
		}
	}
	return fs
}

// TestDecodeAtMatchesOwnName checks the constants the generated decoders
// match member names with: each field's name, quoted, with its colon and a
// value right after, is taken by exactly one field number, a different one
// for each name; changing any byte of it, or white space before the value,
// makes every field refuse it without reading anything.
func TestDecodeAtMatchesOwnName(t *testing.T) {
	checked := 0
	for name, newV := range entityTypes {
		v := newV()
		m, ok := v.(memberDecoder)
		if !ok {
			continue // an enum
		}
		var inherited map[string]bool
		if st := reflect.TypeOf(v).Elem(); st.NumField() > 0 && st.Field(0).Anonymous && st.Field(0).Type.Name() != "wire" {
			inherited = map[string]bool{}
			for _, n := range memberNames(t, reflect.New(st.Field(0).Type).Interface()) {
				inherited[n] = true
			}
		}
		seen := map[int]string{}
		for _, n := range memberNames(t, v) {
			key, _ := json.Marshal(n)
			doc := string(key) + ":0}"
			fs := probe(m, doc)
			if inherited[n] {
				if len(fs) != 0 {
					t.Errorf("%s: embedded member %s taken by fields %v", name, n, fs)
				}
				continue
			}
			if len(fs) != 1 {
				t.Errorf("%s: member %s taken by fields %v, want one", name, n, fs)
				continue
			}
			if other, dup := seen[fs[0]]; dup {
				t.Errorf("%s: field %d takes both %s and %s", name, fs[0], other, n)
			}
			seen[fs[0]] = n
			checked++
			for i := range len(key) + 1 {
				b := []byte(doc)
				b[i] ^= 0x20
				if got := probe(m, string(b)); len(got) != 0 {
					t.Errorf("%s: %q taken by fields %v", name, b, got)
				}
			}
			for _, bad := range []string{string(key) + ": 0}", string(key) + ":", string(key[:len(key)-1])} {
				if got := probe(m, bad); len(got) != 0 {
					t.Errorf("%s: %q taken by fields %v", name, bad, got)
				}
			}
		}
	}
	if checked < 500 {
		t.Fatalf("checked %d member names, want all of them", checked)
	}
}

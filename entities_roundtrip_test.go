package mastodon

import (
	"bytes"
	"encoding/json"
	"fmt"
	"iter"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/tuskgo/mastodon/internal/corpus"
)

// newTarget returns a pointer to a new value for an entity name as the
// corpus writes them: "Status", "Status[]", "map[string]Marker".
func newTarget(name string) (any, bool) {
	switch {
	case strings.HasSuffix(name, "[]"):
		el, ok := newTarget(strings.TrimSuffix(name, "[]"))
		if !ok {
			return nil, false
		}
		return reflect.New(reflect.SliceOf(reflect.TypeOf(el).Elem())).Interface(), true
	case strings.HasPrefix(name, "map[string]"):
		el, ok := newTarget(strings.TrimPrefix(name, "map[string]"))
		if !ok {
			return nil, false
		}
		return reflect.New(reflect.MapOf(reflect.TypeFor[string](), reflect.TypeOf(el).Elem())).Interface(), true
	}
	if name == "string" {
		return new(string), true
	}
	mk, ok := entityTypes[name]
	if !ok {
		return nil, false
	}
	return mk(), true
}

// jsonDiff lists where b differs from a, as JSON values: members lost,
// added or changed. Numbers compare by value, everything else exactly.
func jsonDiff(a, b []byte) ([]string, error) {
	var va, vb any
	da := json.NewDecoder(bytes.NewReader(a))
	da.UseNumber()
	if err := da.Decode(&va); err != nil {
		return nil, fmt.Errorf("original: %w", err)
	}
	db := json.NewDecoder(bytes.NewReader(b))
	db.UseNumber()
	if err := db.Decode(&vb); err != nil {
		return nil, fmt.Errorf("re-encoded: %w", err)
	}
	var out []string
	diffValue("$", va, vb, &out)
	return out, nil
}

func diffValue(path string, a, b any, out *[]string) {
	switch x := a.(type) {
	case map[string]any:
		y, ok := b.(map[string]any)
		if !ok {
			*out = append(*out, fmt.Sprintf("changed %s: %s -> %s", path, short(a), short(b)))
			return
		}
		for k, v := range x {
			w, ok := y[k]
			if !ok {
				*out = append(*out, "lost "+path+"."+k)
				continue
			}
			diffValue(path+"."+k, v, w, out)
		}
		for k := range y {
			if _, ok := x[k]; !ok {
				*out = append(*out, "added "+path+"."+k)
			}
		}
	case []any:
		y, ok := b.([]any)
		if !ok || len(x) != len(y) {
			*out = append(*out, fmt.Sprintf("changed %s: %s -> %s", path, short(a), short(b)))
			return
		}
		for i := range x {
			diffValue(fmt.Sprintf("%s[%d]", path, i), x[i], y[i], out)
		}
	case json.Number:
		y, ok := b.(json.Number)
		if !ok {
			*out = append(*out, fmt.Sprintf("changed %s: %s -> %s", path, short(a), short(b)))
			return
		}
		fx, _ := x.Float64()
		fy, _ := y.Float64()
		if fx != fy || (x.String() != y.String() && !strings.ContainsAny(x.String()+y.String(), ".eE")) {
			*out = append(*out, fmt.Sprintf("changed %s: %s -> %s", path, x, y))
		}
	default:
		if !reflect.DeepEqual(a, b) {
			*out = append(*out, fmt.Sprintf("changed %s: %s -> %s", path, short(a), short(b)))
		}
	}
}

func short(v any) string {
	b, _ := json.Marshal(v)
	if len(b) > 80 {
		return string(b[:80]) + "…"
	}
	return string(b)
}

// unknownMembers walks a decoded value and counts, per type, the members
// that landed in no typed field.
func unknownMembers(v reflect.Value, counts map[string]int) {
	switch v.Kind() {
	case reflect.Pointer:
		if !v.IsNil() {
			unknownMembers(v.Elem(), counts)
		}
	case reflect.Slice:
		for i := range v.Len() {
			unknownMembers(v.Index(i), counts)
		}
	case reflect.Map:
		for _, k := range v.MapKeys() {
			e := reflect.New(v.Type().Elem()).Elem()
			e.Set(v.MapIndex(k))
			unknownMembers(e, counts)
		}
	case reflect.Struct:
		if v.CanAddr() {
			if m := v.Addr().MethodByName("UnknownFields"); m.IsValid() {
				seq := m.Call(nil)[0].Interface().(iter.Seq2[string, json.RawMessage])
				for name := range seq {
					counts[v.Type().Name()+"."+name]++
				}
			}
		}
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				unknownMembers(v.Field(i), counts)
			}
		}
	}
}

// roundTrip decodes body into a new value of the named entity, encodes it
// again and returns the differences.
func roundTrip(t *testing.T, entity string, body []byte) (diffs []string, target any, err error) {
	target, ok := newTarget(entity)
	if !ok {
		t.Fatalf("no Go type for entity %q", entity)
	}
	if err := unmarshalJSON(body, target); err != nil {
		return nil, target, fmt.Errorf("decode: %w", err)
	}
	out, err := json.Marshal(target)
	if err != nil {
		return nil, target, fmt.Errorf("encode: %w", err)
	}
	// The library's own encoder must agree with encoding/json's view.
	if single, ok := target.(interface{ encode(*encoder) }); ok {
		own, err := marshalJSON(single)
		if err != nil {
			return nil, target, err
		}
		d, err := jsonDiff(out, own)
		if err != nil {
			return nil, target, fmt.Errorf("marshalJSON: %w", err)
		}
		if len(d) > 0 {
			return nil, target, fmt.Errorf("marshalJSON and json.Marshal differ: %v", d)
		}
	}
	diffs, err = jsonDiff(body, out)
	return diffs, target, err
}

func TestCorpusRoundTrip(t *testing.T) {
	var decoded, skipped, failed int
	perEntity := map[string]int{}
	skippedKinds := map[string]int{}
	unknown := map[string]int{}
	for _, p := range corpus.Interactions(t) {
		c, it := p.Cassette, p.Interaction
		body := it.Response.Body
		if body.Kind != "json" || len(body.JSON) == 0 {
			skipped++
			skippedKinds[it.Entity]++
			continue
		}
		entity := it.Entity
		if strings.HasPrefix(entity, "(") || entity == "string[]" {
			skipped++
			skippedKinds[entity]++
			continue
		}
		diffs, target, err := roundTrip(t, entity, body.JSON)
		where := fmt.Sprintf("%s #%d %s (%s)", c.ID, it.I, it.Endpoint, entity)
		if err != nil {
			failed++
			t.Errorf("%s: %v", where, err)
			continue
		}
		if len(diffs) > 0 {
			failed++
			if len(diffs) > 8 {
				diffs = append(diffs[:8], fmt.Sprintf("… %d more", len(diffs)-8))
			}
			t.Errorf("%s:\n\t%s", where, strings.Join(diffs, "\n\t"))
			continue
		}
		decoded++
		perEntity[entity]++
		unknownMembers(reflect.ValueOf(target), unknown)
	}
	names := make([]string, 0, len(perEntity))
	for n := range perEntity {
		names = append(names, n)
	}
	sort.Strings(names)
	var sum strings.Builder
	for _, n := range names {
		fmt.Fprintf(&sum, " %s×%d", n, perEntity[n])
	}
	t.Logf("corpus: %d responses decoded and re-encoded with nothing lost or changed, %d failed, %d skipped (not JSON entities: %v)", decoded, failed, skipped, skippedKinds)
	t.Logf("entities:%s", sum.String())
	if len(unknown) > 0 {
		keys := make([]string, 0, len(unknown))
		for k := range unknown {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		t.Logf("members kept as unknown (no typed field yet): %s", strings.Join(keys, ", "))
	}
}

// TestDecodeEntityDispatch checks which values the entity decoder takes:
// pointers to an entity and to a slice or map of entities, by their exact
// type. A type that embeds an entity (PostedStatus, which has an
// UnmarshalJSON of its own) and other types go to encoding/json.
func TestDecodeEntityDispatch(t *testing.T) {
	id := func(v any) string {
		switch v := v.(type) {
		case *Status:
			return v.ID
		case *[]Status:
			return (*v)[0].ID
		case *[]*Status:
			return (*v)[0].ID
		case *map[string]Status:
			return (*v)["a"].ID
		case *PostedStatus:
			return v.ID
		case *[]string:
			return (*v)[0]
		}
		return "?"
	}
	for _, tc := range []struct {
		v      any
		data   string
		entity bool
	}{
		{new(Status), `{"id":"1"}`, true},
		{new([]Status), `[{"id":"1"}]`, true},
		{new([]*Status), `[{"id":"1"}]`, true},
		{new(map[string]Status), `{"a":{"id":"1"}}`, true},
		{new(PostedStatus), `{"id":"1"}`, false},
		{new([]string), `["1"]`, false},
	} {
		entity, err := unmarshalEntity([]byte(tc.data), tc.v)
		if err != nil || entity != tc.entity || id(tc.v) != "1" {
			t.Errorf("%T: entity decoder %v (want %v), ID %q, err %v", tc.v, entity, tc.entity, id(tc.v), err)
		}
	}
	for name, mk := range entityTypes {
		v := mk()
		isStruct := reflect.TypeOf(v).Elem().Kind() == reflect.Struct
		if entity, _ := unmarshalEntity([]byte(`{}`), v); entity != isStruct {
			t.Errorf("%s (%T): entity decoder %v, want %v", name, v, entity, isStruct)
		}
	}
}

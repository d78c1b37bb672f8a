package mastodon

import (
	"reflect"
	"testing"
	"time"
)

func TestEntityEqualIgnoresDecodeState(t *testing.T) {
	var got Status
	data := `{"id":"7","created_at":"2026-01-02T03:04:05.000Z","sensitive":"true","tags":[],"new_member":{"x":1},` +
		`"account":{"id":1,"username":"alice","fields":null},"content":"<p>hi</p>"}`
	if err := Unmarshal([]byte(data), &got); err != nil {
		t.Fatal(err)
	}
	want := Status{
		ID:        "7",
		CreatedAt: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC),
		Sensitive: true,
		Account:   Account{ID: "1", Username: "alice"},
		Content:   "<p>hi</p>",
	}
	if reflect.DeepEqual(got, want) {
		t.Fatal("DeepEqual sees no decode state; this test no longer shows the problem")
	}
	if !got.Equal(want) || !want.Equal(got) {
		t.Errorf("Equal: decoded %v, literal %v", &got, &want)
	}
	if !EqualEntities(&got, &want) || !EqualEntities([]*Status{&got}, []*Status{&want}) {
		t.Error("EqualEntities")
	}
	// Local time for the same instant is the same time.
	want.CreatedAt = want.CreatedAt.In(time.FixedZone("X", 3600))
	if !got.Equal(want) {
		t.Error("the same instant in another zone")
	}
	for name, change := range map[string]func(s *Status){
		"top-level field": func(s *Status) { s.Content = "<p>bye</p>" },
		"nested field":    func(s *Status) { s.Account.Username = "bob" },
		"time":            func(s *Status) { s.CreatedAt = s.CreatedAt.Add(time.Second) },
		"pointer":         func(s *Status) { s.Reblog = &Status{ID: "1"} },
		"list":            func(s *Status) { s.Tags = []StatusTag{{Name: "go"}} },
	} {
		w := want
		change(&w)
		if got.Equal(w) || EqualEntities(&got, &w) {
			t.Errorf("%s changed: still equal", name)
		}
	}
	if EqualEntities(&got, &Account{}) || EqualEntities(nil, &got) || !EqualEntities(nil, nil) {
		t.Error("different types or nil")
	}
}

// TestEntitiesHaveCmpEqual: go-cmp uses a method of the form (T) Equal(T)
// bool instead of reading a struct's fields (where it panics on the
// unexported decode state). Every entity needs one of its own: an embedded
// type's method would not do.
func TestEntitiesHaveCmpEqual(t *testing.T) {
	boolType := reflect.TypeFor[bool]()
	for name, mk := range entityTypes {
		rt := reflect.TypeOf(mk()).Elem()
		if rt.Kind() != reflect.Struct {
			continue
		}
		m, ok := rt.MethodByName("Equal")
		if !ok || m.Type.NumIn() != 2 || m.Type.In(1) != rt || m.Type.NumOut() != 1 || m.Type.Out(0) != boolType {
			t.Errorf("%s has no method Equal(%s) bool", name, name)
		}
	}
}

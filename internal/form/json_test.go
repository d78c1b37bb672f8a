package form

import (
	"encoding/json"
	"errors"
	"math"
	"strings"
	"testing"
	"time"
)

type point struct{ X, Y float64 }

func (p point) MarshalText() ([]byte, error) {
	if p.X > 1 {
		return nil, errors.New("x out of range")
	}
	return []byte("p"), nil
}

type attr struct {
	ID    string  `form:"id"`
	Desc  *string `form:"description"`
	Focus *point  `form:"focus"`
	File  *int    `form:"-"`
}

type edit struct {
	Status    string        `form:"status,always"`
	Spoiler   string        `form:"spoiler_text,always"`
	Sensitive bool          `form:"sensitive,always"`
	Language  string        `form:"language"`
	MediaIDs  []string      `form:"media_ids"`
	Attrs     []attr        `form:"media_attributes"`
	Poll      *pollP        `form:"poll"`
	Expires   time.Duration `form:"expires_in"`
	At        time.Time     `form:"scheduled_at"`
	Progress  func()
}

func TestJSON(t *testing.T) {
	empty := ""
	got, err := JSON(&edit{
		MediaIDs: []string{"1", "<2>"},
		Attrs:    []attr{{ID: "1", Desc: &empty, Focus: &point{0.5, 0}}, {ID: "2"}},
		Poll:     &pollP{Options: []string{"a"}, ExpiresIn: 60},
		Expires:  90*time.Second + 999*time.Millisecond,
		At:       time.Date(2026, 8, 1, 16, 0, 0, 5000, time.FixedZone("x", 7200)),
		Progress: func() {},
	})
	if err != nil {
		t.Fatal(err)
	}
	want := `{"status":"","spoiler_text":"","sensitive":false,"media_ids":["1","\u003c2\u003e"],` +
		`"media_attributes":[{"id":"1","description":"","focus":"p"},{"id":"2"}],` +
		`"poll":{"options":["a"],"expires_in":60},"expires_in":90,"scheduled_at":"2026-08-01T14:00:00.000005+00:00"}`
	if string(got) != want {
		t.Errorf("JSON =\n%s\nwant\n%s", got, want)
	}
	if !json.Valid(got) {
		t.Error("not valid JSON")
	}
}

func TestJSONNilAndErrors(t *testing.T) {
	for _, src := range []any{nil, (*edit)(nil)} {
		if b, err := JSON(src); err != nil || string(b) != "null" {
			t.Errorf("JSON(%#v) = %s, %v", src, b, err)
		}
	}
	if b, err := JSON(struct{}{}); err != nil || string(b) != "{}" {
		t.Errorf("empty struct: %s, %v", b, err)
	}
	if _, err := JSON(42); err == nil {
		t.Error("JSON(42) succeeded; want an error for a non-struct")
	}
	if _, err := JSON(attr{ID: "1", Focus: &point{X: 2}}); err == nil || !strings.Contains(err.Error(), "out of range") {
		t.Errorf("failing MarshalText: %v", err)
	}
	if _, err := JSON(struct {
		F float64 `form:"f"`
	}{math.NaN()}); err == nil {
		t.Error("NaN encoded")
	}
}

func TestMarshalAlwaysDurationAndTextError(t *testing.T) {
	if got, err := Marshal(&edit{Expires: 999 * time.Millisecond}); err != nil || got.Encode() != "status=&spoiler_text=&sensitive=false" {
		t.Errorf("a duration under a second: %q, %v", got.Encode(), err)
	}
	if got, err := JSON(&edit{Expires: -999 * time.Millisecond}); err != nil || string(got) != `{"status":"","spoiler_text":"","sensitive":false}` {
		t.Errorf("JSON of a duration under a second: %s, %v", got, err)
	}
	got, err := Marshal(&edit{Expires: 1500 * time.Millisecond, Attrs: []attr{{ID: "9", Focus: &point{0, 0}}}})
	if err != nil {
		t.Fatal(err)
	}
	if e := got.Encode(); e != "status=&spoiler_text=&sensitive=false&media_attributes%5B0%5D%5Bid%5D=9&media_attributes%5B0%5D%5Bfocus%5D=p&expires_in=1" {
		t.Errorf("Marshal = %q", e)
	}
	if _, err := Marshal(attr{Focus: &point{X: 2}}); err == nil {
		t.Error("a failing MarshalText was left out silently")
	}
}

// FuzzJSON checks that any text makes valid JSON that reads back the same.
func FuzzJSON(f *testing.F) {
	f.Add("hello", "\u2028<&>\"\\")
	f.Add("", "\xff")
	f.Fuzz(func(t *testing.T, a, b string) {
		out, err := JSON(struct {
			A string   `form:"a,always"`
			B []string `form:"b"`
		}{a, []string{b, a}})
		if err != nil {
			t.Fatal(err)
		}
		var back struct {
			A string   `json:"a"`
			B []string `json:"b"`
		}
		if err := json.Unmarshal(out, &back); err != nil {
			t.Fatalf("%s: %v", out, err)
		}
		if back.A != string([]rune(a)) || len(back.B) != 2 {
			t.Fatalf("%s read back as %+v", out, back)
		}
	})
}

func TestJoin(t *testing.T) {
	type app struct {
		Name     string   `form:"client_name"`
		Redirect []string `form:"redirect_uris,join=\n"`
		Scopes   []string `form:"scopes,always,join= "`
		Counts   []int    `form:"counts,join=,"`
	}
	v := app{Name: "a", Redirect: []string{"x:/1", "x:/2"}, Counts: []int{1, 2}}
	got, err := Marshal(v)
	if err != nil || got.Encode() != "client_name=a&redirect_uris=x%3A%2F1%0Ax%3A%2F2&scopes=&counts=1%2C2" {
		t.Errorf("Marshal = %q, %v", got.Encode(), err)
	}
	j, err := JSON(v)
	if err != nil || string(j) != `{"client_name":"a","redirect_uris":"x:/1\nx:/2","scopes":"","counts":"1,2"}` {
		t.Errorf("JSON = %s, %v", j, err)
	}
	if got, err := Marshal(app{}); err != nil || got.Encode() != "scopes=" {
		t.Errorf("empty: %q, %v", got.Encode(), err)
	}
	if _, err := Marshal(struct {
		N int `form:"n,join= "`
	}{1}); err == nil {
		t.Error("join of a non-slice succeeded")
	}
}

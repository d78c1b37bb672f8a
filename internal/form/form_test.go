package form

import (
	"net/url"
	"strings"
	"testing"
	"time"
)

type pollP struct {
	Options   []string `form:"options"`
	ExpiresIn int      `form:"expires_in"`
	Multiple  *bool    `form:"multiple"`
}

type fieldAttr struct {
	Name  string `form:"name"`
	Value string `form:"value"`
}

type embedded struct {
	Limit int `form:"limit"`
}

type params struct {
	embedded
	Status    string            `form:"status"`
	MediaIDs  []string          `form:"media_ids"`
	Poll      *pollP            `form:"poll"`
	Sensitive bool              `form:"sensitive"`
	Local     *bool             `form:"local"`
	Fields    []fieldAttr       `form:"fields_attributes"`
	Source    map[string]string `form:"source"`
	At        time.Time         `form:"scheduled_at"`
	Skipped   string
	Dash      string `form:"-"`
}

func TestMarshal(t *testing.T) {
	f := false
	tr := true
	got, err := Marshal(&params{
		embedded:  embedded{Limit: 40},
		Status:    "héllo & bye",
		MediaIDs:  []string{"1", "2"},
		Poll:      &pollP{Options: []string{"a", "b"}, ExpiresIn: 300, Multiple: &f},
		Sensitive: true,
		Local:     &f,
		Fields:    []fieldAttr{{"k", "v"}, {"k2", ""}},
		Source:    map[string]string{"privacy": "unlisted", "language": "de"},
		At:        time.Date(2026, 1, 2, 3, 4, 5, 0, time.FixedZone("x", 3600)),
		Skipped:   "no",
		Dash:      "no",
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []Pair{
		{"limit", "40"},
		{"status", "héllo & bye"},
		{"media_ids[]", "1"}, {"media_ids[]", "2"},
		{"poll[options][]", "a"}, {"poll[options][]", "b"},
		{"poll[expires_in]", "300"}, {"poll[multiple]", "false"},
		{"sensitive", "true"},
		{"local", "false"},
		{"fields_attributes[0][name]", "k"}, {"fields_attributes[0][value]", "v"},
		{"fields_attributes[1][name]", "k2"},
		{"source[language]", "de"}, {"source[privacy]", "unlisted"},
		{"scheduled_at", "2026-01-02T02:04:05+00:00"},
	}
	if len(got) != len(want) {
		t.Fatalf("got %d pairs %v, want %d", len(got), got, len(want))
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("pair %d = %v, want %v", i, got[i], want[i])
		}
	}
	_ = tr
	enc := got[:2].Encode()
	if enc != "limit=40&status=h%C3%A9llo+%26+bye" {
		t.Errorf("Encode = %q", enc)
	}
}

func TestMarshalZeroAndNil(t *testing.T) {
	for _, src := range []any{nil, (*params)(nil), &params{}, params{}} {
		got, err := Marshal(src)
		if err != nil || len(got) != 0 {
			t.Errorf("Marshal(%#v) = %v, %v; want nothing", src, got, err)
		}
	}
	if _, err := Marshal(42); err == nil {
		t.Error("Marshal(42) succeeded; want an error for a non-struct")
	}
	v, err := Marshal(url.Values{"b": {"2"}, "a": {"1", "3"}})
	if err != nil || v.Encode() != "a=1&a=3&b=2" {
		t.Errorf("url.Values: %v %v", v.Encode(), err)
	}
}

func TestValuesHelpers(t *testing.T) {
	var v Values
	v.Add("a", "1")
	v.Add("b", "2")
	v.Add("a", "3")
	v.Set("a", "x")
	if v.Encode() != "b=2&a=x" || v.Get("a") != "x" || v.Get("zz") != "" {
		t.Errorf("after Set: %q", v.Encode())
	}
	if uv := v.URLValues(); uv.Get("b") != "2" {
		t.Errorf("URLValues: %v", uv)
	}
}

type selfEnc struct{ n int }

func (s selfEnc) EncodeForm(prefix string, v *Values) error {
	v.Add(prefix+"[custom]", strings.Repeat("x", s.n))
	return nil
}

func TestEncoderInterface(t *testing.T) {
	got, err := Marshal(struct {
		S selfEnc `form:"s"`
	}{selfEnc{2}})
	if err != nil || got.Encode() != "s%5Bcustom%5D=xx" {
		t.Errorf("got %q, %v", got.Encode(), err)
	}
}

// FuzzEncode checks that any key and value survive a form round trip.
func FuzzEncode(f *testing.F) {
	f.Add("status", "hello world", "a")
	f.Add("poll[options][]", "&=?#%", "ü")
	f.Add("", "", "")
	f.Fuzz(func(t *testing.T, k, v, w string) {
		in := Values{{k, v}, {k + "[]", w}}
		parsed, err := url.ParseQuery(in.Encode())
		if err != nil {
			t.Fatalf("ParseQuery(%q): %v", in.Encode(), err)
		}
		if parsed.Get(k) != v && k != k+"[]" {
			if !(k == "" && v == "") {
				t.Fatalf("key %q: got %q want %q", k, parsed.Get(k), v)
			}
		}
		got, err := Marshal(struct {
			S []string `form:"s"`
			M map[string]string
			P *string `form:"p"`
		}{S: []string{v, w}, P: &v})
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 3 || got[0].Value != v || got[1].Value != w || got[2].Value != v {
			t.Fatalf("Marshal lost values: %v", got)
		}
	})
}

package wsmsg

import (
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestDecode(t *testing.T) {
	status := `{"id":"1","content":"<p>hi \"you\"</p>"}`
	quoted, _ := json.Marshal(status)
	tests := []struct {
		name string
		in   string
		want Message
	}{
		{"update with string payload", `{"stream":["user"],"event":"update","payload":` + string(quoted) + `}`,
			Message{Stream: []string{"user"}, Event: "update", Payload: []byte(status)}},
		{"delete bare id", `{"stream":["public"],"event":"delete","payload":"106692867363994015"}`,
			Message{Stream: []string{"public"}, Event: "delete", Payload: []byte("106692867363994015")}},
		{"delete numeric id", `{"stream":["public"],"event":"delete","payload":106692867363994015}`,
			Message{Stream: []string{"public"}, Event: "delete", Payload: []byte("106692867363994015")}},
		{"filters_changed no payload", `{"stream":["user"],"event":"filters_changed"}`,
			Message{Stream: []string{"user"}, Event: "filters_changed"}},
		{"null payload", `{"stream":["user"],"event":"filters_changed","payload":null}`,
			Message{Stream: []string{"user"}, Event: "filters_changed"}},
		{"object payload", `{"stream":["user"],"event":"update","payload":{"id":"2"}}`,
			Message{Stream: []string{"user"}, Event: "update", Payload: []byte(`{"id":"2"}`)}},
		{"hashtag stream", `{"stream":["hashtag","Foo"],"event":"update","payload":"{}"}`,
			Message{Stream: []string{"hashtag", "Foo"}, Event: "update", Payload: []byte(`{}`)}},
		{"stream as string", `{"stream":"user","event":"update","payload":"{}"}`,
			Message{Stream: []string{"user"}, Event: "update", Payload: []byte(`{}`)}},
		{"list id as number", `{"stream":["list",42],"event":"update","payload":"{}"}`,
			Message{Stream: []string{"list", "42"}, Event: "update", Payload: []byte(`{}`)}},
		{"no stream (old servers)", `{"event":"update","payload":"{}"}`,
			Message{Event: "update", Payload: []byte(`{}`)}},
		{"unknown fields ignored", `{"stream":["user"],"event":"x","payload":"p","queued_at":1}`,
			Message{Stream: []string{"user"}, Event: "x", Payload: []byte("p")}},
		{"error", `{"error":"Unknown stream type","status":400}`,
			Message{Error: "Unknown stream type", Status: 400}},
		{"error without status", `{"error":"Error unsubscribing from channel"}`,
			Message{Error: "Error unsubscribing from channel"}},
		{"whitespace", " \n{\"event\":\"delete\",\"payload\":\"1\"}\n",
			Message{Event: "delete", Payload: []byte("1")}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Decode([]byte(tc.in))
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got  %#v\nwant %#v", got, tc.want)
			}
			if got.IsError() != (tc.want.Error != "") {
				t.Errorf("IsError = %v", got.IsError())
			}
		})
	}
}

func TestDecodeMalformed(t *testing.T) {
	for _, in := range []string{
		``, `null`, `[]`, `"update"`, `{`, `{"event":"update","payload":"unterminated}`,
		`{"stream":{"a":1},"event":"update"}`, `{"stream":[["user"]],"event":"update"}`,
		`{"stream":["user"]}`, `{"event":7}`, `{"stream":3,"event":"update"}`,
		`<html>502 Bad Gateway</html>`,
	} {
		if _, err := Decode([]byte(in)); !errors.Is(err, ErrMalformed) {
			t.Errorf("Decode(%q) error = %v, want ErrMalformed", in, err)
		}
	}
}

func TestEncode(t *testing.T) {
	tests := []struct {
		r    Request
		want string
	}{
		{Request{Type: "subscribe", Stream: "user"}, `{"type":"subscribe","stream":"user"}`},
		{Request{Type: "subscribe", Stream: "hashtag:local", Tag: "foo"}, `{"type":"subscribe","stream":"hashtag:local","tag":"foo"}`},
		{Request{Type: "unsubscribe", Stream: "list", List: "12"}, `{"type":"unsubscribe","stream":"list","list":"12"}`},
		{Request{Type: "subscribe", Stream: "hashtag", Tag: `a"b`}, `{"type":"subscribe","stream":"hashtag","tag":"a\"b"}`},
	}
	for _, tc := range tests {
		if got := string(Encode(tc.r)); got != tc.want {
			t.Errorf("Encode(%+v) = %s, want %s", tc.r, got, tc.want)
		}
	}
}

func TestStreamKey(t *testing.T) {
	if got := StreamKey("list", "", "7"); !reflect.DeepEqual(got, []string{"list", "7"}) {
		t.Error(got)
	}
	if got := StreamKey("hashtag:local", "x", ""); !reflect.DeepEqual(got, []string{"hashtag:local", "x"}) {
		t.Error(got)
	}
	if got := StreamKey("public:media", "x", "y"); !reflect.DeepEqual(got, []string{"public:media"}) {
		t.Error(got)
	}
}

func FuzzDecode(f *testing.F) {
	for _, s := range []string{
		`{"stream":["user"],"event":"update","payload":"{\"id\":\"1\"}"}`,
		`{"stream":["public"],"event":"delete","payload":"1"}`,
		`{"stream":["user"],"event":"filters_changed"}`,
		`{"stream":"user","event":"update","payload":{"id":"2"}}`,
		`{"stream":["list",42],"event":"update","payload":7}`,
		`{"error":"Unknown stream type","status":"400"}`,
		`{"event":"x","payload":"\ud800"}`, `{`, `[]`, ``,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		m, err := Decode(in)
		if err != nil {
			if !errors.Is(err, ErrMalformed) {
				t.Fatalf("error %v does not wrap ErrMalformed", err)
			}
			return
		}
		if m.Event == "" && m.Error == "" {
			t.Fatal("accepted a message with neither event nor error")
		}
		if m.Event != "" && !utf8.ValidString(m.Event) {
			t.Fatalf("event name not UTF-8: %q", m.Event)
		}
		// A decoded message re-encodes to one that decodes the same.
		var payload any
		if m.Payload != nil {
			payload = string(m.Payload)
		}
		re, _ := json.Marshal(map[string]any{"stream": m.Stream, "event": m.Event, "payload": payload, "error": m.Error})
		m2, err := Decode(re)
		if err != nil {
			t.Fatalf("re-decode of %s: %v", re, err)
		}
		if m.Event != "" && (m2.Event != m.Event || string(m2.Payload) != string(m.Payload) && utf8.Valid(m.Payload)) {
			t.Fatalf("round trip changed %#v to %#v", m, m2)
		}
	})
}

func BenchmarkDecode(b *testing.B) {
	status := `{"id":"117024248092393661","created_at":"2026-08-02T05:25:16.840Z","visibility":"public","content":"<p>` +
		strings.Repeat("toot ", 300) + `</p>","account":{"id":"1","username":"a"}}`
	p, _ := json.Marshal(status)
	msg := []byte(`{"stream":["user"],"event":"update","payload":` + string(p) + `}`)
	b.SetBytes(int64(len(msg)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Decode(msg); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "msgs/s")
}

package wsmsg

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strconv"
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
		// Truncated strings whose tail is a whole number of 8-byte words
		// (the fast loop ends exactly at the end of input).
		`{"event":"12345678`, `{"event":"1234567812345678`, `{"x12345678`,
		`{"event":"update","payload":"abcdefgh`,
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
	// Mastodon's streaming server (JSON.stringify) escapes quotes and
	// backslashes in the payload string, not HTML characters.
	var p strings.Builder
	enc := json.NewEncoder(&p)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(status); err != nil {
		b.Fatal(err)
	}
	msg := []byte(`{"stream":["user"],"event":"update","payload":` + strings.TrimSpace(p.String()) + `}`)
	b.SetBytes(int64(len(msg)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Decode(msg); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "msgs/s")
}

// referenceDecode is how Decode worked before the single-pass scanner:
// encoding/json for the message, then again for the payload string. The
// scanner must agree with it on every input.
func referenceDecode(b []byte) (Message, error) {
	var m Message
	t := bytes.TrimSpace(b)
	if len(t) == 0 || t[0] != '{' {
		return m, malformed("not a JSON object")
	}
	var w struct {
		Stream  json.RawMessage `json:"stream"`
		Event   json.RawMessage `json:"event"`
		Payload json.RawMessage `json:"payload"`
		Error   json.RawMessage `json:"error"`
		Status  json.RawMessage `json:"status"`
	}
	if err := json.Unmarshal(t, &w); err != nil {
		return m, malformed("%v", err)
	}
	null := func(r json.RawMessage) bool { return len(r) == 0 || string(r) == "null" }
	text := func(r json.RawMessage) string {
		var s string
		if json.Unmarshal(r, &s) == nil {
			return s
		}
		return string(r)
	}
	if r := w.Stream; !null(r) {
		switch r[0] {
		case '"':
			m.Stream = []string{text(r)}
		case '[':
			var parts []json.RawMessage
			if err := json.Unmarshal(r, &parts); err != nil {
				return m, malformed("stream: %v", err)
			}
			m.Stream = make([]string, 0, len(parts))
			for _, p := range parts {
				if p[0] == '{' || p[0] == '[' {
					return Message{}, malformed("stream element is not a string")
				}
				m.Stream = append(m.Stream, text(p))
			}
		default:
			return m, malformed("stream is neither a string nor a list")
		}
	}
	if !null(w.Event) {
		if err := json.Unmarshal(w.Event, &m.Event); err != nil {
			return m, malformed("event is not a string")
		}
	}
	if !null(w.Error) {
		m.Error = text(w.Error)
	}
	if !null(w.Status) {
		m.Status, _ = strconv.Atoi(text(w.Status))
	}
	if m.Event == "" {
		if m.Error == "" {
			return m, malformed("no event name")
		}
		return m, nil
	}
	if !null(w.Payload) {
		if w.Payload[0] == '"' {
			var s string
			if err := json.Unmarshal(w.Payload, &s); err != nil {
				return m, malformed("payload: %v", err)
			}
			m.Payload = []byte(s)
		} else {
			m.Payload = append([]byte(nil), w.Payload...)
		}
	}
	return m, nil
}

// sameMessage compares what a caller can see of two messages.
func sameMessage(a, b Message) bool {
	return slices.Equal(a.Stream, b.Stream) && (a.Stream == nil) == (b.Stream == nil) &&
		a.Event == b.Event && a.Error == b.Error && a.Status == b.Status &&
		bytes.Equal(a.Payload, b.Payload) && (a.Payload == nil) == (b.Payload == nil)
}

// asciiKeys reports whether every member name that could fold to a known
// one is plain ASCII: encoding/json also folds "ſ" (U+017F) to "s" and the
// Kelvin sign to "k", which the scanner does not.
func asciiKeys(b []byte) bool {
	return !bytes.Contains(b, []byte("\u017f")) && !bytes.Contains(b, []byte("\u212a")) &&
		!bytes.Contains(b, []byte(`\u017f`)) && !bytes.Contains(b, []byte(`\u017F`)) &&
		!bytes.Contains(b, []byte(`\u212a`)) && !bytes.Contains(b, []byte(`\u212A`))
}

// FuzzParser checks the single-pass parser against encoding/json, also
// when one Parser decodes message after message.
func FuzzParser(f *testing.F) {
	for _, s := range []string{
		`{"stream":["user"],"event":"update","payload":"{\"id\":\"1\",\"content\":\"<p>a \\\"b\\\" \\u00e9 \\ud83d\\ude00</p>\"}"}`,
		`{"stream":["public"],"event":"delete","payload":"1"}`,
		`{"stream":["user"],"event":"filters_changed"}`,
		`{"stream":"user","event":"update","payload":{"id":"2"}}`,
		`{"stream":["list",42],"event":"update","payload":7}`,
		`{"stream":["hashtag","caf\u00e9"],"Event":"update","payload":"{}","payload":"x"}`,
		`{"error":"Unknown stream type","status":"400"}`, `{"error":{"a":[1,2.5e3,true,null]},"status":400.0}`,
		`{"event":"x","payload":"\ud800"}`, `{"event":"x","payload":"\ud800\u0041\udc00"}`,
		"{\"event\":\"x\",\"payload\":\"\xff\xfe\"}", `{"event":"x","payload":""}`, `{"event":"x","payload":"a\tb"}`,
		`{"ev\u0065nt":"x"}`, `{"event":"x",}`, `{"event":"x","n":-0.1e+5}`, `{"event":"x","n":01}`,
		`{"event":"x"} x`, ` {"event":"x"} `, `{`, `[]`, ``, `{"event":"x","payload":"\x"}`,
	} {
		f.Add([]byte(s), []byte(`{"stream":["user"],"event":"update","payload":"{\"id\":\"9\"}"}`))
	}
	// Longer payloads, for the eight-bytes-at-a-time unescaping: escapes
	// at many offsets, non-ASCII and invalid bytes, an escape last.
	entity := `{\"id\":\"117024248092393661\",\"content\":\"<p>caf\u00e9 \\\"x\\\" é 😀 \ud83d\ude00 \\n</p>\",\"tags\":[]}`
	for _, s := range []string{
		strings.Repeat(entity, 3),
		"ab" + entity + "\xff\xfe" + entity + `\"`,
		strings.Repeat(`\"\/\\`, 20) + "\x01",
		entity + `\ud83d`,
	} {
		f.Add([]byte(`{"stream":["user"],"event":"update","payload":"`+s+`"}`), []byte(`{"event":"x","payload":"`+s))
	}
	var p Parser
	f.Fuzz(func(t *testing.T, in, in2 []byte) {
		for _, b := range [][]byte{in, in2} {
			want, werr := referenceDecode(b)
			got, err := p.Decode(b)
			if (err != nil) != (werr != nil) {
				if asciiKeys(b) {
					t.Fatalf("Decode(%q): error %v, encoding/json says %v", b, err, werr)
				}
				continue
			}
			if err != nil {
				if !errors.Is(err, ErrMalformed) {
					t.Fatalf("error %v does not wrap ErrMalformed", err)
				}
				continue
			}
			if !sameMessage(got, want) && asciiKeys(b) {
				t.Fatalf("Decode(%q)\n got  %#v\n want %#v", b, got, want)
			}
			owned, err := Decode(b)
			if err != nil || !sameMessage(owned, got) {
				t.Fatalf("Decode and Parser.Decode differ on %q: %#v / %#v (%v)", b, owned, got, err)
			}
		}
	})
}

func TestParserReusesBuffers(t *testing.T) {
	var p Parser
	a := []byte(`{"stream":["user"],"event":"update","payload":"{\"id\":\"1\"}"}`)
	b := []byte(`{"stream":["user"],"event":"update","payload":"{\"id\":\"2\"}"}`)
	m1, err := p.Decode(a)
	if err != nil {
		t.Fatal(err)
	}
	m2, err := p.Decode(b)
	if err != nil {
		t.Fatal(err)
	}
	if string(m2.Payload) != `{"id":"2"}` || &m1.Stream[0] != &m2.Stream[0] {
		t.Errorf("second message %q, stream shared: %v", m2.Payload, &m1.Stream[0] == &m2.Stream[0])
	}
	if n := testing.AllocsPerRun(100, func() { p.Decode(b) }); n != 0 {
		t.Errorf("%v allocations per message, want 0", n)
	}
}

// BenchmarkParser parses a WebSocket update message carrying a ~6 KB
// status, as Mastodon sends it (the status JSON inside a JSON string).
func BenchmarkParser(b *testing.B) {
	var sb strings.Builder
	sb.WriteString(`{"id":"117024248092393661","created_at":"2026-08-02T05:25:16.840Z","in_reply_to_id":null,"sensitive":false,"spoiler_text":"","visibility":"public","language":"en","uri":"https://example.social/users/a/statuses/117024248092393661","url":"https://example.social/@a/117024248092393661","replies_count":3,"reblogs_count":10,"favourites_count":42,"content":"<p>`)
	for sb.Len() < 2500 {
		sb.WriteString(`Some text with a <a href=\"https://example.social/tags/go\" class=\"mention hashtag\" rel=\"tag\">#<span>go</span></a> link and an emoji \u00e9 `)
	}
	sb.WriteString(`</p>","account":{"id":"1","username":"a","acct":"a","display_name":"A \"quoted\" name","locked":false,"bot":false,"fields":[`)
	for i := range 4 {
		fmt.Fprintf(&sb, `{"name":"field %d","value":"<a href=\"https://example.org/%d\" rel=\"me nofollow noopener\" target=\"_blank\">example.org</a>","verified_at":null},`, i, i)
	}
	sb.WriteString(`{"name":"x","value":"y"}],"emojis":[]},"media_attachments":[],"mentions":[],"tags":[{"name":"go","url":"https://example.social/tags/go"}],"emojis":[],"card":null,"poll":null}`)
	status := sb.String()
	if !json.Valid([]byte(status)) {
		b.Fatal("invalid fixture")
	}
	// Mastodon's streaming server (JSON.stringify) escapes quotes and
	// backslashes in the payload string, not HTML characters.
	var p strings.Builder
	enc := json.NewEncoder(&p)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(status); err != nil {
		b.Fatal(err)
	}
	msg := []byte(`{"stream":["user"],"event":"update","payload":` + strings.TrimSpace(p.String()) + `}`)
	b.SetBytes(int64(len(msg)))
	b.ReportAllocs()
	b.Run("Parser", func(b *testing.B) {
		var ps Parser
		for b.Loop() {
			if _, err := ps.Decode(msg); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("encoding-json", func(b *testing.B) {
		for b.Loop() {
			if _, err := referenceDecode(msg); err != nil {
				b.Fatal(err)
			}
		}
	})
}

package mastodon

import (
	"bytes"
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/tuskgo/mastodon/internal/corpus"
)

// fuzzTargets are the entities the fuzz target decodes every input into:
// the big ones, the nested-heavy ones and those with unusual fields.
var fuzzTargets = []func() any{
	func() any { return new(Status) },
	func() any { return new(CredentialAccount) },
	func() any { return new(Notification) },
	func() any { return new(GroupedNotificationsResults) },
	func() any { return new(Instance) },
	func() any { return new(V1Instance) },
	func() any { return new(MediaAttachment) },
	func() any { return new(AdminAccount) },
	func() any { return new(Tag) },
	func() any { return new(WebPushSubscription) },
	func() any { return new(Filter) },
	func() any { return new(Error) },
}

// FuzzDecodeEntities checks, for any input, that decoding never panics,
// fails exactly when the input is not valid JSON, and that a decoded entity
// encodes back to the same JSON value.
func FuzzDecodeEntities(f *testing.F) {
	for _, s := range []string{
		`{}`, `[]`, `null`, `"x"`, `1`,
		`{"id":"1","content":"<p>hi</p>","created_at":"2026-08-01T13:50:00.728Z","account":{"id":"2","fields":[{"name":"a","value":"b","verified_at":null}]}}`,
		`{"id":1,"sensitive":"true","account":[],"card":[],"media_attachments":{},"visibility":"local"}`,
		`{"quote":{"state":"accepted","quoted_status_id":"9"},"reblog":{"quote":{"quoted_status":{"id":"1"}}}}`,
		`{"history":[{"day":"1785542400","uses":"3","accounts":"2"}],"name":"go"}`,
		`{"meta":{"original":{"width":1,"frame_rate":"30/1"},"focus":{"x":0.0,"y":-1e-7}},"type":"gifv"}`,
		`{"id":"1","id":2,"x":1,"x":[2]}`, `{"id":1,"id":"1"}`,
		`{"configuration":{"urls":{"streaming":"wss://x"},"vapid":{"public_key":"k"}},"rules":[{"id":"1","translations":{"de":{"text":"t"}}}]}`,
		`{"error":"Validation failed","details":{"username":[{"error":"ERR_TAKEN","description":"taken"}]}}`,
		`{"notification_groups":[{"group_key":"k","most_recent_notification_id":5,"sample_account_ids":["1",2]}]}`,
		"{\"content\":\"\\u003cp\\u003e\\ud83d\\udc18\\ud800 \\u0000\"}",
		`{"a":` + "\xff\xfe" + `}`, `{"a":"` + "\xff" + `"}`, `{"created_at":"2026-02-30T00:00:00.000Z"}`,
		`{"n":-0,"followers_count":-0,"statuses_count":1e400,"duration":1e400}`,
		`{`, `{"id":"1"`, `[{"id":1},]`,
	} {
		f.Add([]byte(s))
	}
	if dir := corpus.Find(); dir != "" {
		if cs, err := corpus.LoadDir(dir); err == nil {
			n := 0
			for _, c := range cs {
				for _, it := range c.Interactions {
					if it.Response.Body.Kind == "json" && len(it.Response.Body.JSON) < 8<<10 && n < 40 {
						f.Add([]byte(it.Response.Body.JSON))
						n++
					}
				}
			}
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		valid := json.Valid(data)
		for _, mk := range fuzzTargets {
			v := mk()
			// Decode from a copy that is overwritten afterwards: response
			// buffers are reused, so nothing decoded may point into them.
			in := bytes.Clone(data)
			err := unmarshalJSON(in, v)
			if (err == nil) != valid {
				t.Fatalf("%T: valid=%v but err=%v", v, valid, err)
			}
			if err != nil {
				continue
			}
			out, err := json.Marshal(v)
			if err != nil {
				t.Fatalf("%T: encode: %v", v, err)
			}
			for i := range in {
				in[i] = 'X'
			}
			if again, _ := json.Marshal(v); !bytes.Equal(again, out) {
				t.Fatalf("%T: the decoded value changed with its input buffer:\nbefore: %s\nafter:  %s", v, out, again)
			}
			diffs, err := jsonDiff(data, out)
			if err != nil {
				t.Fatalf("%T: %v\nout: %s", v, err, out)
			}
			if len(diffs) > 0 {
				t.Fatalf("%T: %v\nin:  %q\nout: %s", v, diffs, data, out)
			}
		}
		var list []*Status
		if err := unmarshalJSON(data, &list); (err == nil) != valid {
			t.Fatalf("[]*Status: valid=%v but err=%v", valid, err)
		}
		var m map[string]Marker
		if err := unmarshalJSON(data, &m); (err == nil) != valid {
			t.Fatalf("map: valid=%v but err=%v", valid, err)
		}
	})
}

// FuzzDecodeString checks that string values and member names decode
// exactly as encoding/json decodes them (escapes, surrogates, invalid
// UTF-8, control characters), whatever the scanner's word-at-a-time paths
// see: the input is one JSON string, decoded as a member's value and as an
// unknown member's name.
func FuzzDecodeString(f *testing.F) {
	for _, s := range []string{
		`""`, `"a"`, `"0123456"`, `"01234567"`, `"0123456789abcdef"`, `"0123456789abcdefg"`,
		`"\u003cp\u003ehi \"there\"\u003c/p\u003e"`, `"\ud83d\udc18"`, `"\ud800"`, `"\udc00\ud800x"`,
		`"\ud800\u0041"`, `"\u00e9\u20ac"`, `"\/\b\f\n\r\t\\"`, `"\x"`, `"\u12"`, `"\u12G4"`,
		"\"\xff\"", "\"a\xc3\"", "\"\xed\xa0\x80\"", "\"\xf4\x90\x80\x80\"", "\"\xef\xbf\xbd\"",
		"\"caf\xc3\xa9 \xf0\x9f\x90\x98 0123456789\"", "\"0123456789abcde\xc3\"", "\"tab\there\"",
		"\"ctl\x01\"", "\"del\x7f\"", `"unterminated`, `"0123456789abcdef\`, `"` + strings.Repeat(`x\"`, 20) + `"`,
		// escapes met inside the word loop: at each offset of a word, ASCII
		// and not, one-letter ones, and ones too close to the end for a word
		`"ab\u003cc\u00e9d\u0026\u003e"`, `"1234567\u003c"`, `"1234567\u003"`, `"\u003c\u0080\u00ff\u007f\u00"`,
		`"x\u0041\u0000\u001f\u00Ff\u00G0\u0100yyyyyy"`, `"0123456\"\/\\\n0123456\q0123456789"`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(checkDecodeString)
}

// checkDecodeString decodes data, if it starts with a JSON string, as a
// member's value and as a member's name, and fails t unless both give
// what encoding/json gives (the same string, or an error).
func checkDecodeString(t *testing.T, data []byte) {
	t.Helper()
	trimmed := bytes.TrimLeft(data, " \t\r\n")
	if len(trimmed) == 0 || trimmed[0] != '"' {
		return
	}
	var want string
	werr := json.Unmarshal(data, &want)

	var st Status
	err := unmarshalJSON(slices.Concat([]byte(`{"content":`), data, []byte(`}`)), &st)
	if (err == nil) != (werr == nil) {
		t.Fatalf("value %q: encoding/json err=%v, ours err=%v", data, werr, err)
	}
	if err == nil && st.Content != want {
		t.Fatalf("value %q: encoding/json %q, ours %q", data, want, st.Content)
	}

	var st2 Status
	err = unmarshalJSON(slices.Concat([]byte(`{`), data, []byte(`:1}`)), &st2)
	if (err == nil) != (werr == nil) {
		t.Fatalf("name %q: encoding/json err=%v, ours err=%v", data, werr, err)
	}
	if err == nil && !st2.HasField(want) {
		t.Fatalf("name %q: member %q not found; unknown: %v", data, want, slices.Collect(func(yield func(string) bool) {
			for k := range st2.UnknownFields() {
				if !yield(k) {
					return
				}
			}
		}))
	}
}

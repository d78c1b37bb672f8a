package mastodon

import (
	"encoding/json"
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
			err := unmarshalJSON(data, v)
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

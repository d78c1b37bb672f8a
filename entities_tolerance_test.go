package mastodon

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"
)

// decodeStatus decodes s through the library's entry point.
func decodeStatus(t *testing.T, s string) *Status {
	t.Helper()
	var st Status
	if err := unmarshalJSON([]byte(s), &st); err != nil {
		t.Fatalf("decode %s: %v", s, err)
	}
	return &st
}

// sameJSON fails unless encoding v gives back want as a JSON value.
func sameJSON(t *testing.T, v any, want string) {
	t.Helper()
	got, err := json.Marshal(v)
	if err != nil {
		t.Fatalf("encode: %v", err)
	}
	diffs, err := jsonDiff([]byte(want), got)
	if err != nil {
		t.Fatal(err)
	}
	if len(diffs) > 0 {
		t.Errorf("re-encoded %s\nwant %s\n%s", got, want, strings.Join(diffs, "\n"))
	}
}

func TestTolerance(t *testing.T) {
	tests := []struct {
		name  string
		in    string
		check func(t *testing.T, s *Status)
	}{
		{"empty object", `{}`, func(t *testing.T, s *Status) {
			if s.ID != "" || s.Account.ID != "" || s.Card != nil || s.MediaAttachments != nil {
				t.Errorf("want zero status, got %+v", s)
			}
		}},
		{"missing fields", `{"id":"1","content":"<p>hi</p>"}`, func(t *testing.T, s *Status) {
			if s.ID != "1" || s.Content != "<p>hi</p>" || !s.CreatedAt.IsZero() {
				t.Errorf("got %q %q %v", s.ID, s.Content, s.CreatedAt)
			}
		}},
		{"null for documented strings", `{"id":null,"content":null,"uri":null}`, func(t *testing.T, s *Status) {
			if s.ID != "" || s.Content != "" {
				t.Errorf("got %q %q", s.ID, s.Content)
			}
		}},
		{"number for string ID", `{"id":103270115826048975,"in_reply_to_id":42}`, func(t *testing.T, s *Status) {
			if s.ID != "103270115826048975" || s.InReplyToID == nil || *s.InReplyToID != "42" {
				t.Errorf("got %q %v", s.ID, s.InReplyToID)
			}
		}},
		{"string booleans", `{"sensitive":"true","favourited":"false","muted":1}`, func(t *testing.T, s *Status) {
			if !s.Sensitive || s.Favourited == nil || *s.Favourited || s.Muted == nil || !*s.Muted {
				t.Errorf("got %v %v %v", s.Sensitive, s.Favourited, s.Muted)
			}
		}},
		{"string counts", `{"replies_count":"7","reblogs_count":3.0}`, func(t *testing.T, s *Status) {
			if s.RepliesCount != 7 || s.ReblogsCount != 3 {
				t.Errorf("got %d %d", s.RepliesCount, s.ReblogsCount)
			}
		}},
		{"array where object documented", `{"account":[],"card":[],"poll":"none","application":7}`, func(t *testing.T, s *Status) {
			if s.Account.ID != "" || s.Card != nil || s.Poll != nil || s.Application != nil {
				t.Errorf("got %+v %v %v %v", s.Account, s.Card, s.Poll, s.Application)
			}
		}},
		{"object where array documented", `{"media_attachments":{},"emojis":null,"tags":"x"}`, func(t *testing.T, s *Status) {
			if s.MediaAttachments != nil || s.Emojis != nil || s.Tags != nil {
				t.Errorf("got %v %v %v", s.MediaAttachments, s.Emojis, s.Tags)
			}
		}},
		{"unknown enum value", `{"visibility":"local"}`, func(t *testing.T, s *Status) {
			if s.Visibility != "local" {
				t.Errorf("got %q", s.Visibility)
			}
		}},
		{"known enum value", `{"visibility":"unlisted"}`, func(t *testing.T, s *Status) {
			if s.Visibility != VisibilityUnlisted {
				t.Errorf("got %q", s.Visibility)
			}
		}},
		{"unknown members", `{"id":"1","emoji_reactions":[{"name":"👍","count":2}],"x_fork":{"a":[1,2,{"b":null}]}}`, func(t *testing.T, s *Status) {
			raw, ok := s.UnknownField("emoji_reactions")
			if !ok || string(raw) != `[{"name":"👍","count":2}]` {
				t.Errorf("emoji_reactions: %s %v", raw, ok)
			}
			var names []string
			for name := range s.UnknownFields() {
				names = append(names, name)
			}
			if strings.Join(names, ",") != "emoji_reactions,x_fork" {
				t.Errorf("unknown fields %v", names)
			}
		}},
		{"null versus missing", `{"in_reply_to_id":null,"edited_at":null}`, func(t *testing.T, s *Status) {
			if s.InReplyToID != nil || s.EditedAt != nil {
				t.Errorf("want nil pointers")
			}
		}},
		{"nested tolerance", `{"account":{"id":17,"locked":"false","followers_count":"12","fields":null},"reblog":{"id":"2","account":{"id":"3"}}}`, func(t *testing.T, s *Status) {
			if s.Account.ID != "17" || s.Account.Locked || s.Account.FollowersCount != 12 || s.Reblog == nil || s.Reblog.Account.ID != "3" {
				t.Errorf("got %+v", s)
			}
		}},
		{"escapes", `{"content":"\u003cp\u003ecaf\u00e9 \ud83d\udc18 \"q\" \\ \/\u003c/p\u003e"}`, func(t *testing.T, s *Status) {
			if s.Content != `<p>café 🐘 "q" \ /</p>` {
				t.Errorf("got %q", s.Content)
			}
		}},
		{"full quote", `{"quote":{"state":"accepted","quoted_status":{"id":"9"}}}`, func(t *testing.T, s *Status) {
			if s.Quote == nil || s.ShallowQuote != nil || s.Quote.State != QuoteStateAccepted || s.Quote.QuotedStatus == nil || s.Quote.QuotedStatus.ID != "9" {
				t.Errorf("got %+v %+v", s.Quote, s.ShallowQuote)
			}
		}},
		{"shallow quote", `{"quote":{"state":"accepted","quoted_status_id":"9"}}`, func(t *testing.T, s *Status) {
			if s.ShallowQuote == nil || s.Quote != nil || s.ShallowQuote.QuotedStatusID == nil || *s.ShallowQuote.QuotedStatusID != "9" {
				t.Errorf("got %+v %+v", s.Quote, s.ShallowQuote)
			}
		}},
		{"no quote", `{"quote":null}`, func(t *testing.T, s *Status) {
			if s.Quote != nil || s.ShallowQuote != nil {
				t.Errorf("got %+v %+v", s.Quote, s.ShallowQuote)
			}
		}},
		{"white space everywhere", " {\n\t\"id\" : \"1\" ,\r\n \"tags\" : [ { \"name\" : \"go\" } ] } \n", func(t *testing.T, s *Status) {
			if s.ID != "1" || len(s.Tags) != 1 || s.Tags[0].Name != "go" {
				t.Errorf("got %+v", s)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := decodeStatus(t, tt.in)
			tt.check(t, s)
			sameJSON(t, s, tt.in) // and nothing is lost or changed
		})
	}
}

// A decoded value keeps its wire form only while it is left unchanged.
func TestToleranceEditedValuesEncodeAsSet(t *testing.T) {
	s := decodeStatus(t, `{"id":123,"sensitive":"true","account":[],"created_at":"2026-08-01T13:50:00Z"}`)
	sameJSON(t, s, `{"id":123,"sensitive":"true","account":[],"created_at":"2026-08-01T13:50:00Z"}`)
	s.ID = "456"
	s.Sensitive = false
	s.Account = *decodeStatus(t, `{"account":{"id":"7"}}`).Account.clone()
	s.CreatedAt = s.CreatedAt.Add(time.Second)
	s.Content = "new"
	sameJSON(t, s, `{"id":"456","sensitive":false,"account":{"id":"7"},"created_at":"2026-08-01T13:50:01.000Z","content":"new"}`)
}

func (a Account) clone() *Account { return &a }

// An entity built in code (not decoded) encodes every field, as a server
// sends them: nil pointers as null, nil lists as [].
func TestBuiltEntityEncodesEveryField(t *testing.T) {
	st := Status{ID: "1", Visibility: VisibilityPublic}
	b, err := json.Marshal(st)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	for k, want := range map[string]any{"id": "1", "visibility": "public", "sensitive": false, "content": "", "card": nil, "reblog": nil, "favourites_count": float64(0)} {
		if got, ok := m[k]; !ok || got != want {
			t.Errorf("%s = %v (sent %v), want %v", k, got, ok, want)
		}
	}
	for _, k := range []string{"media_attachments", "emojis", "tags", "mentions"} {
		if l, ok := m[k].([]any); !ok || len(l) != 0 {
			t.Errorf("%s = %#v, want []", k, m[k])
		}
	}
	acct, _ := m["account"].(map[string]any)
	if _, ok := acct["username"]; !ok {
		t.Errorf("account lacks username: %v", acct)
	}
	// It decodes back to the same value.
	var back Status
	if err := unmarshalJSON(b, &back); err != nil || back.ID != "1" || back.Visibility != VisibilityPublic || back.MediaAttachments == nil {
		t.Errorf("back: %v %+v", err, back)
	}
}

func TestToleranceWebPushSubscriptionNumericID(t *testing.T) {
	var w WebPushSubscription
	if err := unmarshalJSON([]byte(`{"id":17,"endpoint":"https://push.example/x","alerts":{"mention":true,"admin.sign_up":false}}`), &w); err != nil {
		t.Fatal(err)
	}
	if w.ID != "17" || !w.Alerts.Mention || w.Alerts.AdminSignUp {
		t.Fatalf("got %+v", w)
	}
	sameJSON(t, &w, `{"id":17,"endpoint":"https://push.example/x","alerts":{"mention":true,"admin.sign_up":false}}`)
	var w2 WebPushSubscription
	if err := unmarshalJSON([]byte(`{"id":"17"}`), &w2); err != nil || w2.ID != "17" {
		t.Fatalf("string id: %v %q", err, w2.ID)
	}
	sameJSON(t, &w2, `{"id":"17"}`)
}

func TestToleranceEmptyBodies(t *testing.T) {
	// DELETE /api/v2/filters/statuses/{id} and old servers answer {}.
	var list []*Status
	if err := unmarshalJSON([]byte(`{}`), &list); err != nil || len(list) != 0 {
		t.Fatalf("{} as a list: %v %v", err, list)
	}
	var fs []V1Filter
	if err := unmarshalJSON([]byte(`[{"id":1,"phrase":"x","context":["home","bogus"]}]`), &fs); err != nil || len(fs) != 1 || fs[0].ID != "1" || fs[0].Context[1] != "bogus" {
		t.Fatalf("filters: %v %+v", err, fs)
	}
	var m map[string]Marker
	if err := unmarshalJSON([]byte(`{"home":{"last_read_id":"5","version":2,"updated_at":"2026-08-01T13:50:00.728Z"}}`), &m); err != nil || m["home"].LastReadID != "5" || m["home"].Version != 2 {
		t.Fatalf("markers: %v %+v", err, m)
	}
	// A whole value of the wrong shape is kept too.
	var st Status
	if err := unmarshalJSON([]byte(`[1,2]`), &st); err != nil {
		t.Fatal(err)
	}
	sameJSON(t, &st, `[1,2]`)
}

func TestMalformedJSON(t *testing.T) {
	bad := []string{
		``,
		`{`,
		`{"id":"1"`,
		`{"id":"1",}`,
		`{"id" "1"}`,
		`{id:"1"}`,
		`{"id":"1"}x`,
		`{"id":tru}`,
		`{"id":"\x"}`,
		`{"id":"\u12"}`,
		"{\"id\":\"a\nb\"}",
		`{"n":01}`,
		`{"n":1.}`,
		`{"n":-}`,
		`{"n":1e}`,
		`{"a":[1,2}`,
		`{"a":[1 2]}`,
		`{"account":{"id":"1",}}`,
		`{"x":{"deep":[{"y":}]}}`,
		`<html><body>502 Bad Gateway</body></html>`,
		strings.Repeat(`{"reblog":`, 10001) + `null` + strings.Repeat(`}`, 10001),
		strings.Repeat(`[`, 20000),
	}
	for _, in := range bad {
		var st Status
		err := unmarshalJSON([]byte(in), &st)
		var se *SyntaxError
		if !errors.As(err, &se) {
			t.Errorf("%.40q: got %v, want *SyntaxError", in, err)
			continue
		}
		if json.Valid([]byte(in)) {
			t.Errorf("%.40q: encoding/json calls this valid", in)
		}
		var list []*Status
		if err := unmarshalJSON([]byte(in), &list); err == nil {
			t.Errorf("%.40q as a list: no error", in)
		}
	}
}

func TestTimeFormats(t *testing.T) {
	utc := func(s string) time.Time {
		v, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	tests := []struct {
		name string
		in   string
		get  func(*Status) time.Time
		want time.Time
	}{
		{"Mastodon timestamp", `{"created_at":"2026-08-01T13:50:00.728Z"}`, func(s *Status) time.Time { return s.CreatedAt }, utc("2026-08-01T13:50:00.728Z")},
		{"whole seconds, Mastodon form", `{"created_at":"2026-08-01T00:00:00.000Z"}`, func(s *Status) time.Time { return s.CreatedAt }, utc("2026-08-01T00:00:00Z")},
		{"no fraction", `{"created_at":"2026-08-01T13:50:00Z"}`, func(s *Status) time.Time { return s.CreatedAt }, utc("2026-08-01T13:50:00Z")},
		{"offset and microseconds", `{"created_at":"2026-08-01T15:50:00.123456+02:00"}`, func(s *Status) time.Time { return s.CreatedAt }, utc("2026-08-01T13:50:00.123456Z")},
		{"date only in a date-time field", `{"created_at":"2026-08-01"}`, func(s *Status) time.Time { return s.CreatedAt }, utc("2026-08-01T00:00:00Z")},
		{"epoch seconds as a number", `{"created_at":1785592200}`, func(s *Status) time.Time { return s.CreatedAt }, time.Unix(1785592200, 0)},
		{"epoch seconds as a string", `{"created_at":"1785592200"}`, func(s *Status) time.Time { return s.CreatedAt }, time.Unix(1785592200, 0)},
		{"space separated", `{"created_at":"2026-08-01 13:50:00"}`, func(s *Status) time.Time { return s.CreatedAt }, utc("2026-08-01T13:50:00Z")},
		{"nullable, set", `{"edited_at":"2026-08-01T13:50:00.728Z"}`, func(s *Status) time.Time { return *s.EditedAt }, utc("2026-08-01T13:50:00.728Z")},
		{"account last status date", `{"account":{"last_status_at":"2026-08-01"}}`, func(s *Status) time.Time { return *s.Account.LastStatusAt }, utc("2026-08-01T00:00:00Z")},
		{"profile field verification", `{"account":{"fields":[{"name":"w","value":"v","verified_at":"2019-07-15T18:29:57.191+00:00"}]}}`, func(s *Status) time.Time { return *s.Account.Fields[0].VerifiedAt }, utc("2019-07-15T18:29:57.191Z")},
		{"unparseable kept as sent", `{"created_at":"yesterday"}`, func(s *Status) time.Time { return s.CreatedAt }, time.Time{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := decodeStatus(t, tt.in)
			if got := tt.get(s); !got.Equal(tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
			sameJSON(t, s, tt.in) // the text comes back exactly
		})
	}
	// Tag history days are epoch seconds in strings.
	var tag Tag
	in := `{"name":"go","history":[{"day":"1785542400","uses":"3","accounts":"2"}]}`
	if err := unmarshalJSON([]byte(in), &tag); err != nil {
		t.Fatal(err)
	}
	if !tag.History[0].Day.Equal(time.Unix(1785542400, 0)) || tag.History[0].Uses != "3" {
		t.Errorf("history: %+v", tag.History[0])
	}
	sameJSON(t, &tag, in)
	// Dates and times set in code encode in each field's own form.
	tag.History[0].Day = time.Date(2026, 8, 2, 0, 0, 0, 0, time.UTC)
	sameJSON(t, &tag, `{"name":"go","history":[{"day":"1785628800","uses":"3","accounts":"2"}]}`)
	st := decodeStatus(t, `{}`)
	st.CreatedAt = time.Date(2026, 8, 1, 13, 50, 0, 728e6, time.UTC)
	sameJSON(t, st, `{"created_at":"2026-08-01T13:50:00.728Z"}`)
	st.CreatedAt = st.CreatedAt.Add(1) // nanosecond precision is kept
	sameJSON(t, st, `{"created_at":"2026-08-01T13:50:00.728000001Z"}`)
}

func TestMediaMetaByType(t *testing.T) {
	in := `[
	 {"id":"1","type":"image","meta":{"original":{"width":600,"height":400,"size":"600x400","aspect":1.5},"small":{"width":400,"height":267,"size":"400x267","aspect":1.4981},"focus":{"x":-0.5,"y":0.3},"colors":{"background":"#d9f3f3","foreground":"#0c0c0c","accent":"#0c0c0c"}}},
	 {"id":"2","type":"video","meta":{"length":"0:00:07.30","duration":7.3,"fps":30,"size":"640x640","width":640,"height":640,"aspect":1.0,"audio_encode":"aac (LC)","audio_bitrate":"44100 Hz","audio_channels":"stereo","original":{"width":640,"height":640,"frame_rate":"30/1","duration":7.3,"bitrate":2187124},"small":{"width":400,"height":400,"size":"400x400","aspect":1.0}}},
	 {"id":"3","type":"audio","meta":{"length":"0:03:01.82","duration":181.82,"audio_encode":"mp3","original":{"duration":181.82,"bitrate":320000}}},
	 {"id":"4","type":"unknown","meta":null,"url":null,"remote_url":"https://remote.example/file.bin"}
	]`
	var ms []MediaAttachment
	if err := unmarshalJSON([]byte(in), &ms); err != nil {
		t.Fatal(err)
	}
	if ms[0].Type != MediaImage || *ms[0].Meta.Original.Width != 600 || *ms[0].Meta.Focus.X != -0.5 || ms[0].Meta.Colors.Accent != "#0c0c0c" || ms[0].Meta.Duration != nil {
		t.Errorf("image: %+v", ms[0].Meta)
	}
	if ms[1].Type != MediaVideo || *ms[1].Meta.FPS != 30 || *ms[1].Meta.Original.FrameRate != "30/1" || *ms[1].Meta.Original.Bitrate != 2187124 {
		t.Errorf("video: %+v", ms[1].Meta)
	}
	if ms[2].Type != MediaAudio || *ms[2].Meta.Duration != 181.82 || ms[2].Meta.Original.Width != nil {
		t.Errorf("audio: %+v", ms[2].Meta)
	}
	if ms[3].Meta != nil || ms[3].URL != nil || *ms[3].RemoteURL != "https://remote.example/file.bin" {
		t.Errorf("unknown: %+v", ms[3])
	}
	sameJSON(t, ms, in)
}

// The diff used by the round-trip tests must see every kind of loss.
func TestJSONDiffCatchesLoss(t *testing.T) {
	cases := []struct{ a, b string }{
		{`{"a":1}`, `{}`},
		{`{}`, `{"a":1}`},
		{`{"a":1}`, `{"a":2}`},
		{`{"a":"1"}`, `{"a":1}`},
		{`{"a":null}`, `{"a":""}`},
		{`{"a":"2026-08-01T13:50:00.000Z"}`, `{"a":"2026-08-01T13:50:00Z"}`},
		{`{"a":[1,2]}`, `{"a":[1]}`},
		{`{"a":{"b":true}}`, `{"a":{"b":"true"}}`},
	}
	for _, c := range cases {
		d, err := jsonDiff([]byte(c.a), []byte(c.b))
		if err != nil || len(d) == 0 {
			t.Errorf("%s vs %s: no difference found (%v)", c.a, c.b, err)
		}
	}
	if d, _ := jsonDiff([]byte(`{"a":1.0,"b":[{"c":null}]}`), []byte(`{"b":[{"c":null}],"a":1}`)); len(d) != 0 {
		t.Errorf("equal values reported different: %v", d)
	}
}

// Lists are carved from shared blocks; a list that outgrows its block must
// leave nothing behind for the next one.
func TestListsDoNotShareState(t *testing.T) {
	var b strings.Builder
	b.WriteString(`[{"emojis":[`)
	for i := range 40 {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(`{"shortcode":"a","x_extra":1,"visible_in_picker":"yes"}`)
	}
	b.WriteString(`]},{"emojis":[{"shortcode":"b"},{"shortcode":"c"}]},{"emojis":[]},{"emojis":[{"shortcode":"d","category":null}]}]`)
	var list []*Status
	if err := unmarshalJSON([]byte(b.String()), &list); err != nil {
		t.Fatal(err)
	}
	if len(list) != 4 || len(list[0].Emojis) != 40 || len(list[1].Emojis) != 2 || list[2].Emojis == nil || len(list[3].Emojis) != 1 {
		t.Fatalf("lengths wrong")
	}
	for _, e := range list[1].Emojis {
		if _, ok := e.UnknownField("x_extra"); ok || e.VisibleInPicker {
			t.Errorf("state leaked into %+v", e)
		}
	}
	sameJSON(t, list, b.String())
	// Appending to a decoded list must not overwrite its neighbour.
	list[1].Emojis = append(list[1].Emojis, CustomEmoji{Shortcode: "z"})
	if list[3].Emojis[0].Shortcode != "d" {
		t.Errorf("append overwrote the next list: %q", list[3].Emojis[0].Shortcode)
	}
}

func TestHasField(t *testing.T) {
	var ca CredentialAccount
	if err := unmarshalJSON([]byte(`{"id":"1","moved":null,"source":{"privacy":"public"},"x_new":1}`), &ca); err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]bool{"id": true, "moved": true, "source": true, "x_new": true, "note": false, "role": false, "nope": false} {
		if got := ca.HasField(name); got != want {
			t.Errorf("HasField(%q) = %v, want %v", name, got, want)
		}
	}
	if ca.Moved != nil || ca.Source.Privacy != "public" {
		t.Errorf("got %+v", ca)
	}
}

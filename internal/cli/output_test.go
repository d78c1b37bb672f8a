package cli

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/tuskgo/mastodon"
)

func TestAgo(t *testing.T) {
	now := time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)
	for _, tt := range []struct {
		t    time.Time
		want string
	}{
		{now.Add(-10 * time.Second), "just now"},
		{now.Add(-5 * time.Minute), "5m ago"},
		{now.Add(-3 * time.Hour), "3h ago"},
		{now.Add(-49 * time.Hour), "2d ago"},
		{now.Add(90 * time.Minute), "in 1h"},
		{time.Date(2026, 1, 2, 3, 0, 0, 0, time.UTC), "2 Jan"},
		{time.Date(2024, 1, 2, 3, 0, 0, 0, time.UTC), "2 Jan 2024"},
		{time.Time{}, "at an unknown time"},
	} {
		if got := ago(tt.t, now); got != tt.want {
			t.Errorf("ago(%v) = %q, want %q", tt.t, got, tt.want)
		}
	}
}

func TestJSONLinesAreTerminalSafe(t *testing.T) {
	var b bytes.Buffer
	p := newPrinter(&b, true, false, time.Now)
	in := map[string]string{"s": "a\x1b[31m\u009b\u202e<b>&"}
	if err := p.JSON(in); err != nil {
		t.Fatal(err)
	}
	line := b.String()
	if strings.ContainsAny(line, "\x1b\u009b\u202e") || !strings.HasSuffix(line, "\n") || strings.Count(line, "\n") != 1 {
		t.Errorf("line %q", line)
	}
	if !strings.Contains(line, "<b>&") {
		t.Errorf("HTML escaped needlessly: %q", line)
	}
	var out map[string]string
	if err := json.Unmarshal([]byte(line), &out); err != nil || out["s"] != in["s"] {
		t.Errorf("round trip: %q %v", out["s"], err)
	}
}

func TestExplain(t *testing.T) {
	now := time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)
	a := newApp(Env{Now: func() time.Time { return now }})
	for _, tt := range []struct {
		err  error
		code int
		want []string
	}{
		{&mastodon.APIError{StatusCode: 401, Code: "The access token was revoked"}, ExitAuth, []string{"Log in again", "revoked"}},
		{&mastodon.APIError{StatusCode: 429, RateLimit: mastodon.RateLimit{Reset: now.Add(3 * time.Minute)}}, ExitLimited, []string{"rate limited", "12:03:00 UTC", "in 3m0s"}},
		{&mastodon.RateLimitError{RateLimit: mastodon.RateLimit{Reset: now.Add(time.Minute)}}, ExitLimited, []string{"12:01:00", "try again then"}},
		{&mastodon.APIError{StatusCode: 422, Code: "Validation failed: Text can't be blank"}, ExitError, []string{"rejected", "can't be blank"}},
		{&mastodon.APIError{StatusCode: 404, Code: "Record not found"}, ExitNotFound, []string{"not found"}},
		{&mastodon.APIError{StatusCode: 503}, ExitLimited, []string{"503 Service Unavailable", "Try again"}},
		{&mastodon.APIError{StatusCode: 403, Code: "\x1b]0;evil\x07This action is outside the authorized scopes"}, ExitAuth, []string{"scope"}},
		{&mastodon.NetworkError{Op: "GET /", Err: errors.New("dial tcp: connection refused")}, ExitError, []string{"could not reach", "connection refused"}},
		{&usageError{"bad flag"}, ExitUsage, []string{"bad flag"}},
		{&exportError{err: &mastodon.APIError{StatusCode: 502}, kind: "statuses", count: 40}, ExitLimited, []string{"stopped after 40", "again to resume"}},
	} {
		msg, code := explain(tt.err, a)
		if code != tt.code {
			t.Errorf("%v: code %d, want %d", tt.err, code, tt.code)
		}
		for _, w := range tt.want {
			if !strings.Contains(msg, w) {
				t.Errorf("%v: %q lacks %q", tt.err, msg, w)
			}
		}
		if strings.ContainsAny(msg, "\x1b\x07") {
			t.Errorf("%v: control characters in %q", tt.err, msg)
		}
	}
}

// FuzzStatusText checks that no server string reaches the terminal
// unsanitised, whichever field it comes in.
func FuzzStatusText(f *testing.F) {
	f.Add("<p>hi</p>", "Alice", "alice", "cw", "alt", "opt", "https://x.example/1")
	f.Add("\x1b[31m<p>\x1b]0;t\x07</p>", "\u202eEve", "eve\x1b[2J", "\u009b1m", "\x1b", "\x07", "\x1b]8;;u\x1b\\")
	f.Fuzz(func(t *testing.T, content, display, acct, cw, alt, option, link string) {
		now := time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)
		s := &mastodon.Status{
			ID: acct, Content: content, SpoilerText: cw, URL: &link, InReplyToID: &option,
			Account:          mastodon.Account{Acct: acct, DisplayName: display, Note: content},
			MediaAttachments: []mastodon.MediaAttachment{{Type: mastodon.MediaAttachmentType(option), Description: &alt, URL: &link}},
			Poll:             &mastodon.Poll{Options: []mastodon.PollOption{{Title: option}}},
			Visibility:       mastodon.StatusVisibility(cw),
			CreatedAt:        now,
		}
		s.Reblog = &mastodon.Status{Account: mastodon.Account{Acct: display}, Content: alt}
		var b bytes.Buffer
		p := newPrinter(&b, false, false, func() time.Time { return now })
		p.Status(s)
		p.Status(s.Reblog)
		p.Account(&s.Account)
		p.Notification(&mastodon.Notification{Type: mastodon.NotificationType(cw), Account: s.Account, Status: s})
		out := b.String()
		if !utf8.ValidString(out) {
			t.Fatalf("invalid UTF-8: %q", out)
		}
		for _, r := range out {
			if (r < 0x20 && r != '\n' && r != '\t') || (r >= 0x7f && r <= 0x9f) || (r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069) {
				t.Fatalf("control character %U in %q", r, out)
			}
		}
	})
}

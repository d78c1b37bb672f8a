package cli

import (
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/tuskgo/mastodon/mastodontest"
)

func TestUploadProgressBarOnlyOnATerminal(t *testing.T) {
	h := newHarness(t)
	h.login("alice")
	big := filepath.Join(t.TempDir(), "big.png")
	data := append(demoPNG(), make([]byte, 512<<10)...) // a PNG with a long tail, under the size the server processes slowly
	if err := os.WriteFile(big, data, 0o600); err != nil {
		t.Fatal(err)
	}
	r := h.run("media", "upload", big).mustOK(t)
	if strings.Contains(r.err, "uploading") || strings.Contains(r.err, "\r") {
		t.Errorf("progress bar without a terminal: %q", r.err)
	}
	h.term = true
	r = h.run("--color", "never", "media", "upload", big, "--alt", "big").mustOK(t)
	if !strings.Contains(r.err, "uploading big.png") || !strings.Contains(r.err, "%") {
		t.Errorf("no progress bar on a terminal: %q", r.err)
	}
	if !strings.Contains(r.out, "Uploaded big.png: media id") {
		t.Errorf("upload output: %q", r.out)
	}
}

func TestNotificationsPages(t *testing.T) {
	h := newHarness(t)
	_, tok := h.login("alice")
	alice := mastodontest.NewClient(h.srv, tok)
	_, bobTok := h.srv.CreateUser("bob", mastodontest.DisplayName("Bob \x1b[31mRed\x1b[0m"))
	bob := mastodontest.NewClient(h.srv, bobTok)
	for i := 1; i <= 5; i++ {
		st := alice.PostStatus(t, fmt.Sprintf("post %d", i))
		bob.JSON(t, 200, "POST", "/api/v1/statuses/"+st["id"].(string)+"/favourite", nil, nil)
	}
	r := h.run("notifications", "--limit", "2").mustOK(t)
	if strings.Count(r.out, "favourited your post") != 2 || !strings.Contains(r.out, "post 5") || strings.Contains(r.out, "post 3") {
		t.Errorf("first page:\n%s", r.out)
	}
	if strings.ContainsRune(r.out, '\x1b') || !strings.Contains(r.out, "Bob Red") {
		t.Errorf("display name not cleaned: %q", r.out)
	}
	if !strings.Contains(r.err, "tusk notifications --max-id ") {
		t.Errorf("no next-page hint: %q", r.err)
	}
	r = h.run("notifications", "--limit", "2", "--all", "--json").mustOK(t)
	l := decodeLines(t, r.out)
	if len(l) != 5 || r.err != "" {
		t.Fatalf("--all: %d lines, stderr %q", len(l), r.err)
	}
	for i, n := range l {
		if n["type"] != "favourite" || n["status"].(map[string]any)["content"] != fmt.Sprintf("<p>post %d</p>", 5-i) {
			t.Errorf("notification %d: %v", i, n["type"])
		}
	}
	if n := len(decodeLines(t, h.run("notifs", "--limit", "2", "--max", "3", "--json").mustOK(t).out)); n != 3 {
		t.Errorf("--max 3 gave %d", n)
	}
	r = h.run("notifications", "--max-id", l[1]["id"].(string), "--json").mustOK(t)
	if got := decodeLines(t, r.out); len(got) != 3 || got[0]["id"] != l[2]["id"] {
		t.Errorf("--max-id gave %d", len(got))
	}
	if r := h.run("notifications", "--limit", "0"); r.code != ExitUsage {
		t.Errorf("--limit 0: exit %d", r.code)
	}
}

func TestColourOnlyOnATerminal(t *testing.T) {
	h := newHarness(t)
	_, tok := h.login("alice", mastodontest.DisplayName("Alice"))
	mastodontest.NewClient(h.srv, tok).PostStatus(t, "colours?")
	hasColour := func(s string) bool { return strings.Contains(s, "\x1b[") }

	if r := h.run("timeline", "home").mustOK(t); hasColour(r.out) {
		t.Errorf("colour without a terminal: %q", r.out)
	}
	h.term = true
	r := h.run("timeline", "home").mustOK(t)
	if !hasColour(r.out) || !strings.Contains(stripSGR(r.out), "Alice @alice") {
		t.Errorf("no colour on a terminal: %q", r.out)
	}
	for _, env := range []map[string]string{{"NO_COLOR": "1"}, {"TERM": "dumb"}} {
		h.env = env
		if r := h.run("timeline", "home").mustOK(t); hasColour(r.out) {
			t.Errorf("colour with %v: %q", env, r.out)
		}
	}
	h.env = map[string]string{}
	if r := h.run("--color", "never", "timeline", "home").mustOK(t); hasColour(r.out) {
		t.Errorf("colour with --color never: %q", r.out)
	}
	// --json is never coloured.
	if r := h.run("--color", "always", "timeline", "home", "--json").mustOK(t); hasColour(r.out) || len(decodeLines(t, r.out)) != 1 {
		t.Errorf("--json with --color always: %q", r.out)
	}
}

func TestExportProgressBarOnlyOnATerminal(t *testing.T) {
	h := newHarness(t)
	_, tok := h.login("alice")
	alice := mastodontest.NewClient(h.srv, tok)
	for i := 0; i < 3; i++ {
		alice.PostStatus(t, fmt.Sprintf("status %d", i))
	}
	r := h.run("export", "statuses", "--dir", filepath.Join(t.TempDir(), "a")).mustOK(t)
	if strings.Contains(r.err, "\r") {
		t.Errorf("progress bar without a terminal: %q", r.err)
	}
	h.term = true
	dir := filepath.Join(t.TempDir(), "b")
	r = h.run("--color", "never", "export", "statuses", "--dir", dir).mustOK(t)
	if !strings.Contains(r.err, "\rstatuses") || !strings.Contains(r.err, "/3") {
		t.Errorf("no progress bar on a terminal: %q", r.err)
	}
	if l := readJSONL(t, filepath.Join(dir, "statuses.jsonl")); len(l) != 3 {
		t.Errorf("exported %d statuses", len(l))
	}
}

func TestSearchResolveAndEscapes(t *testing.T) {
	h := newHarness(t)
	h.login("alice")
	h.srv.CreateAccount("gopher", mastodontest.DisplayName("Go\x1b]0;x\x07pher\u202e"))
	rec := &recorder{methods: []string{"GET"}}
	r := h.runWithClient(t.Context(), &http.Client{Transport: rec}, "search", "--resolve", "--type", "accounts", "--limit", "3", "gopher").mustOK(t)
	if strings.ContainsAny(r.out, "\x1b\x07\u202e") || !strings.Contains(r.out, "Gopher @gopher") {
		t.Errorf("search output: %q", r.out)
	}
	reqs := rec.take()
	if len(reqs) != 1 || reqs[0].path != "/api/v2/search" {
		t.Fatalf("requests %+v", reqs)
	}
	q, _ := url.ParseQuery(reqs[0].query)
	if q.Get("q") != "gopher" || q.Get("resolve") != "true" || q.Get("type") != "accounts" || q.Get("limit") != "3" {
		t.Errorf("search query %v", q)
	}
}

func TestInstanceOfTheAccount(t *testing.T) {
	h := newHarness(t)
	h.login("alice")
	r := h.run("instance").mustOK(t)
	if !strings.Contains(r.out, "Mastodon") || !strings.Contains(r.out, "sign-ups") {
		t.Errorf("instance of the logged-in account's server:\n%s", r.out)
	}
	if r := h.run("instance", "http://127.0.0.1:1"); r.code == 0 || !strings.HasPrefix(r.err, "tusk: ") {
		t.Errorf("unreachable server: exit %d %q", r.code, r.err)
	}
}

func TestSeveralIDsAndJSON(t *testing.T) {
	h := newHarness(t)
	_, tok := h.login("alice")
	alice := mastodontest.NewClient(h.srv, tok)
	a, b := alice.PostStatus(t, "one")["id"].(string), alice.PostStatus(t, "two")["id"].(string)
	r := h.run("fav", a, b, "--json").mustOK(t)
	l := decodeLines(t, r.out)
	if len(l) != 2 || l[0]["id"] != a || l[1]["id"] != b || l[0]["favourited"] != true || l[1]["favourited"] != true {
		t.Errorf("fav two --json: %s", r.out)
	}
	// The first failure stops the run, says which argument failed, and
	// what was done before it stays done.
	r = h.run("bookmark", a, "999999", b)
	if r.code != ExitNotFound || !strings.Contains(r.err, "999999") || !strings.Contains(r.out, "Bookmarked") {
		t.Errorf("bookmark with a missing ID: exit %d\n%s%s", r.code, r.out, r.err)
	}
	var st map[string]any
	alice.JSON(t, 200, "GET", "/api/v1/statuses/"+a, nil, &st)
	if st["bookmarked"] != true {
		t.Errorf("first bookmark lost")
	}
	r = h.run("rm", a, b, "--json").mustOK(t)
	if l := decodeLines(t, r.out); len(l) != 2 || l[0]["text"] != "one" || l[1]["text"] != "two" {
		t.Errorf("rm --json: %s", r.out)
	}
}

func TestBrowserOnlyWithADesktop(t *testing.T) {
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
	for _, tc := range []struct {
		goos string
		vars map[string]string
		want bool
	}{
		{"linux", nil, false},
		{"linux", map[string]string{"DISPLAY": ":0"}, true},
		{"freebsd", map[string]string{"WAYLAND_DISPLAY": "wayland-0"}, true},
		{"darwin", nil, true},
		{"windows", nil, true},
	} {
		if got := hasDesktop(tc.goos, env(tc.vars)); got != tc.want {
			t.Errorf("hasDesktop(%s, %v) = %v", tc.goos, tc.vars, got)
		}
	}
	if runtime.GOOS == "linux" {
		a := newApp(Env{Getenv: env(nil)})
		if err := a.env.OpenBrowser("http://127.0.0.1:1/"); err == nil || !strings.Contains(err.Error(), "graphical") {
			t.Errorf("opening a browser without a desktop: %v", err)
		}
	}
}

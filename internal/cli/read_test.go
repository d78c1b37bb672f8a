package cli

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tuskgo/mastodon/mastodontest"
)

func TestTimelinePagination(t *testing.T) {
	h := newHarness(t)
	_, tok := h.login("alice")
	alice := mastodontest.NewClient(h.srv, tok)
	for i := 1; i <= 7; i++ {
		alice.PostStatus(t, fmt.Sprintf("post number %d", i))
	}

	// One page of 3, newest first, with a hint for the next.
	r := h.run("timeline", "home", "--limit", "3").mustOK(t)
	for _, want := range []string{"post number 7", "post number 6", "post number 5"} {
		if !strings.Contains(r.out, want) {
			t.Errorf("first page lacks %q:\n%s", want, r.out)
		}
	}
	if strings.Contains(r.out, "post number 4") {
		t.Errorf("first page went too far:\n%s", r.out)
	}
	if !strings.Contains(r.err, "--max-id") {
		t.Errorf("no hint for the next page: %q", r.err)
	}
	if strings.Index(r.out, "number 7") > strings.Index(r.out, "number 6") {
		t.Errorf("not newest first:\n%s", r.out)
	}

	// --json --all follows the Link header through every page.
	r = h.run("timeline", "home", "--limit", "3", "--all", "--json").mustOK(t)
	lines := decodeLines(t, r.out)
	if len(lines) != 7 {
		t.Fatalf("--all gave %d statuses, want 7:\n%s", len(lines), r.out)
	}
	for i, l := range lines {
		if want := fmt.Sprintf("<p>post number %d</p>", 7-i); l["content"] != want {
			t.Errorf("status %d content %v, want %q", i, l["content"], want)
		}
		if l["account"].(map[string]any)["acct"] != "alice" {
			t.Errorf("status %d: account %v", i, l["account"])
		}
	}
	if r.err != "" {
		t.Errorf("--json wrote to stderr: %q", r.err)
	}

	// --max stops across pages.
	r = h.run("timeline", "home", "--limit", "2", "--max", "5", "--json").mustOK(t)
	if n := len(decodeLines(t, r.out)); n != 5 {
		t.Errorf("--max 5 gave %d", n)
	}

	// --max-id continues where the hint said.
	third := lines[2]["id"].(string)
	r = h.run("timeline", "home", "--max-id", third, "--json").mustOK(t)
	if l := decodeLines(t, r.out); len(l) != 4 || l[0]["id"] != lines[3]["id"] {
		t.Errorf("--max-id %s gave %d statuses", third, len(l))
	}

	r = h.run("timeline", "local", "--limit", "1").mustOK(t)
	if !strings.Contains(r.out, "post number 7") {
		t.Errorf("local:\n%s", r.out)
	}
	if r := h.run("timeline", "tag"); r.code != ExitUsage {
		t.Errorf("timeline tag without a tag: exit %d", r.code)
	}
	if r := h.run("timeline", "home", "--all", "--max", "3"); r.code != ExitUsage {
		t.Errorf("--all with --max: exit %d", r.code)
	}
}

func TestTimelineInjectedEscapes(t *testing.T) {
	h := newHarness(t)
	_, tok := h.login("alice")
	evil := mastodontest.NewClient(h.srv, tok)
	evil.PostStatus(t, "hello \x1b]0;pwned\x07\x1b[2J\x1b[31mworld\u202e\u009b1m bye")
	for _, args := range [][]string{{"timeline", "home"}, {"timeline", "home", "--json"}, {"--color", "always", "timeline", "home"}} {
		r := h.run(args...).mustOK(t)
		out := r.out
		if args[0] == "--color" {
			out = stripSGR(out)
		}
		if strings.ContainsAny(out, "\x1b\x07\u202e\u009b") {
			t.Errorf("%v let control characters through: %q", args, r.out)
		}
		if !strings.Contains(out, "hello") || !strings.Contains(out, "bye") {
			t.Errorf("%v lost the text: %q", args, r.out)
		}
	}
	// --json keeps the content intact, escaped.
	r := h.run("timeline", "home", "--json").mustOK(t)
	if l := decodeLines(t, r.out); !strings.Contains(l[0]["content"].(string), "\u202e") {
		t.Errorf("--json lost data: %q", l[0]["content"])
	}
}

// poster posts numbered statuses until stopped: a stream subscription
// becomes active on the server a little after the client has connected
// (over WebSocket the subscription is registered after the handshake), so
// a test cannot know which post is the first one the stream will see.
func poster(t *testing.T, c *mastodontest.Client, prefix string) (start func(string), stop func()) {
	done := make(chan struct{})
	var wg sync.WaitGroup
	var once sync.Once
	start = func(string) {
		once.Do(func() {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := 1; ; i++ {
					select {
					case <-done:
						return
					case <-time.After(20 * time.Millisecond):
					}
					code, _, _, err := c.Do("POST", "/api/v1/statuses", url.Values{"status": {fmt.Sprintf("%s %d", prefix, i)}})
					if err != nil || code != 200 {
						t.Errorf("posting: %d %v", code, err)
						return
					}
				}
			}()
		})
	}
	stop = func() { close(done); wg.Wait() }
	return start, stop
}

var liveContent = regexp.MustCompile(`^<p>live (\d+)</p>$`)

func TestStreamBounded(t *testing.T) {
	h := newHarness(t)
	_, tok := h.login("alice")
	alice := mastodontest.NewClient(h.srv, tok)
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()

	start, stop := poster(t, alice, "live")
	h.ready = start
	r := h.runCtx(ctx, "stream", "user", "--count", "3", "--json").mustOK(t)
	stop()
	lines := decodeLines(t, r.out)
	if len(lines) != 3 {
		t.Fatalf("got %d events:\n%s", len(lines), r.out)
	}
	prev := 0
	for i, l := range lines {
		p, _ := l["payload"].(map[string]any)
		m := liveContent.FindStringSubmatch(fmt.Sprint(p["content"]))
		if l["event"] != "update" || m == nil {
			t.Fatalf("event %d = %v", i, l)
		}
		n, _ := strconv.Atoi(m[1])
		if prev != 0 && n != prev+1 {
			t.Errorf("events out of order or missed: %d after %d", n, prev)
		}
		prev = n
		if st, _ := l["stream"].([]any); len(st) == 0 || st[0] != "user" {
			t.Errorf("event %d stream %v", i, l["stream"])
		}
	}

	// Text output.
	start, stop = poster(t, alice, "seen live")
	h.ready = start
	r = h.runCtx(ctx, "stream", "user", "--count", "1").mustOK(t)
	stop()
	if !strings.Contains(r.out, "seen live") || !strings.Contains(r.out, "@alice") || !strings.Contains(r.err, "Ctrl-C") {
		t.Errorf("stdout:\n%s\nstderr:\n%s", r.out, r.err)
	}

	// Interrupted: a clean exit.
	ctx3, cancel3 := context.WithCancel(ctx)
	h.ready = func(string) { cancel3() }
	h.runCtx(ctx3, "stream", "public").mustOK(t)
}

func TestNotifications(t *testing.T) {
	h := newHarness(t)
	alice, tok := h.login("alice")
	_, bobTok := h.srv.CreateUser("bob", mastodontest.DisplayName("Bob"))
	bob := mastodontest.NewClient(h.srv, bobTok)
	st := mastodontest.NewClient(h.srv, tok).PostStatus(t, "favourite me")
	bob.JSON(t, 200, "POST", "/api/v1/statuses/"+st["id"].(string)+"/favourite", nil, nil)
	bob.PostStatus(t, "@alice hello there")
	bob.JSON(t, 200, "POST", "/api/v1/accounts/"+alice.ID+"/follow", nil, nil)

	r := h.run("notifications").mustOK(t)
	for _, want := range []string{"Bob @bob followed you", "Bob @bob mentioned you", "@alice hello there", "Bob @bob favourited your post", "favourite me"} {
		if !strings.Contains(r.out, want) {
			t.Errorf("notifications lack %q:\n%s", want, r.out)
		}
	}
	if strings.Index(r.out, "followed you") > strings.Index(r.out, "mentioned you") {
		t.Errorf("not newest first:\n%s", r.out)
	}
	r = h.run("notifications", "--type", "mention", "--json").mustOK(t)
	lines := decodeLines(t, r.out)
	if len(lines) != 1 || lines[0]["type"] != "mention" || lines[0]["status"] == nil {
		t.Errorf("--type mention --json: %s", r.out)
	}
	r = h.run("notifications", "--exclude", "mention,follow", "--json").mustOK(t)
	if l := decodeLines(t, r.out); len(l) != 1 || l[0]["type"] != "favourite" {
		t.Errorf("--exclude: %s", r.out)
	}
}

func TestSearch(t *testing.T) {
	h := newHarness(t)
	_, tok := h.login("alice")
	h.srv.CreateAccount("gopher", mastodontest.DisplayName("Gopher Bot"))
	mastodontest.NewClient(h.srv, tok).PostStatus(t, "I like #golang a lot")
	r := h.run("search", "gopher").mustOK(t)
	if !strings.Contains(r.out, "Accounts") || !strings.Contains(r.out, "Gopher Bot @gopher") {
		t.Errorf("search gopher:\n%s", r.out)
	}
	r = h.run("search", "golang", "--type", "hashtags", "--json").mustOK(t)
	l := decodeLines(t, r.out)
	if len(l) != 1 || l[0]["name"] != "golang" {
		t.Errorf("hashtag search: %s", r.out)
	}
	r = h.run("search", "gopher", "--json").mustOK(t)
	if l := decodeLines(t, r.out); len(l) != 1 || l[0]["accounts"] == nil || l[0]["hashtags"] == nil {
		t.Errorf("search --json: %s", r.out)
	}
	r = h.run("search", "nothing-matches-this").mustOK(t)
	if !strings.Contains(r.err, "Nothing found") {
		t.Errorf("no results: %q", r.err)
	}
	if r := h.run("search", "x", "--type", "people"); r.code != ExitUsage {
		t.Errorf("bad --type: exit %d", r.code)
	}
}

// roundTripFunc is an http.RoundTripper made of a function.
type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// TestTimelineAllStopsOnLinkCycles: --all walks the pages as Page.All does,
// so a home timeline whose "next" links go round in a circle ends instead
// of printing the same statuses forever.
func TestTimelineAllStopsOnLinkCycles(t *testing.T) {
	h := newHarness(t)
	h.login("alice")
	const circle = 3
	var requests atomic.Int32
	hc := &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
		if r.URL.Path != "/api/v1/timelines/home" {
			return http.DefaultTransport.RoundTrip(r)
		}
		if requests.Add(1) > 50 {
			return &http.Response{StatusCode: http.StatusNotFound, Header: http.Header{}, Body: io.NopCloser(strings.NewReader(`{"error":"walked too far"}`)), Request: r}, nil
		}
		n, _ := strconv.Atoi(r.URL.Query().Get("page"))
		body := fmt.Sprintf(`[{"id":"%d","content":"<p>page %d</p>","created_at":"2026-01-01T00:00:00Z","account":{"id":"1","acct":"a","username":"a"}}]`, n, n)
		hdr := http.Header{"Content-Type": {"application/json"}}
		hdr.Set("Link", fmt.Sprintf(`<%s/api/v1/timelines/home?page=%d>; rel="next"`, h.srv.URL, n%circle+1))
		return &http.Response{StatusCode: http.StatusOK, Header: hdr, Body: io.NopCloser(strings.NewReader(body)), Request: r}, nil
	})}
	r := h.runWithClient(t.Context(), hc, "timeline", "home", "--all", "--json").mustOK(t)
	seen := map[any]int{}
	for _, l := range decodeLines(t, r.out) {
		seen[l["id"]]++
	}
	if len(seen) != circle+1 || requests.Load() > 1+3*circle+1 {
		t.Errorf("printed %v after %d requests", seen, requests.Load())
	}
}

package cli

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/tuskgo/mastodon/mastodontest"
)

func TestStreamList(t *testing.T) {
	h := newHarness(t)
	listID, _, bob, carol := listSetup(t, h)
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()

	for _, transport := range []string{"websocket", "sse"} {
		t.Run(transport, func(t *testing.T) {
			// Bob is on the list, Carol is not: only Bob's posts arrive.
			startBob, stopBob := poster(t, bob, "live")
			startCarol, stopCarol := poster(t, carol, "carol")
			h.ready = func(s string) { startCarol(s); startBob(s) }
			r := h.runCtx(ctx, "stream", "list", listID, "--count", "3", "--json", "--transport", transport).mustOK(t)
			stopBob()
			stopCarol()
			lines := decodeLines(t, r.out)
			if len(lines) != 3 {
				t.Fatalf("got %d events:\n%s", len(lines), r.out)
			}
			prev := 0
			for i, l := range lines {
				p, _ := l["payload"].(map[string]any)
				m := liveContent.FindStringSubmatch(fmt.Sprint(p["content"]))
				if l["event"] != "update" || m == nil {
					t.Fatalf("event %d = %v %v", i, l["event"], p["content"])
				}
				if acct := p["account"].(map[string]any)["acct"]; acct != "bob" {
					t.Errorf("event %d from %v", i, acct)
				}
				var n int
				fmt.Sscan(m[1], &n)
				if prev != 0 && n != prev+1 {
					t.Errorf("missed or reordered: %d after %d", n, prev)
				}
				prev = n
				if st := fmt.Sprint(l["stream"]); st != "[list "+listID+"]" {
					t.Errorf("event %d stream %s", i, st)
				}
			}
			if strings.Contains(r.out, "carol") {
				t.Errorf("a status off the list arrived:\n%s", r.out)
			}
		})
	}

	// Text output names the list.
	start, stop := poster(t, bob, "in text")
	h.ready = start
	r := h.runCtx(ctx, "stream", "list", listID, "--count", "1").mustOK(t)
	stop()
	if !strings.Contains(r.out, "Bob @bob") || !strings.Contains(r.out, "in text") || !strings.Contains(r.err, `Streaming list "friends"`) {
		t.Errorf("stdout:\n%s\nstderr:\n%s", r.out, r.err)
	}

	// A list that does not exist, or is someone else's, fails at once on
	// every transport.
	h.ready = func(string) { t.Error("a stream of a missing list went live") }
	_, daveTok := h.srv.CreateUser("dave")
	var dl map[string]any
	mastodontest.NewClient(h.srv, daveTok).JSON(t, 200, "POST", "/api/v1/lists", url.Values{"title": {"dave's"}}, &dl)
	for _, id := range []string{"999999", dl["id"].(string)} {
		for _, tr := range []string{"auto", "websocket", "sse"} {
			r := h.runCtx(ctx, "stream", "list", id, "--transport", tr, "--json")
			if r.code != ExitNotFound || r.out != "" || !strings.Contains(r.err, "not found") {
				t.Errorf("list %s over %s: exit %d, %q %q", id, tr, r.code, r.out, r.err)
			}
		}
	}
}

func TestStreamTagAndLocal(t *testing.T) {
	h := newHarness(t)
	_, tok := h.login("alice")
	alice := mastodontest.NewClient(h.srv, tok)
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()

	start, stop := poster(t, alice, "tagged #golang")
	start2, stop2 := poster(t, alice, "untagged")
	h.ready = func(s string) { start(s); start2(s) }
	r := h.runCtx(ctx, "stream", "tag", "#golang", "--count", "2", "--json").mustOK(t)
	stop()
	stop2()
	for i, l := range decodeLines(t, r.out) {
		p, _ := l["payload"].(map[string]any)
		if l["event"] != "update" || !strings.Contains(fmt.Sprint(p["content"]), "tagged") || fmt.Sprint(l["stream"]) != "[hashtag golang]" {
			t.Errorf("tag event %d: %v %v %v", i, l["event"], l["stream"], p["content"])
		}
	}
	if n := len(decodeLines(t, r.out)); n != 2 {
		t.Errorf("got %d tag events", n)
	}

	start, stop = poster(t, alice, "local news")
	h.ready = start
	r = h.runCtx(ctx, "stream", "local", "--count", "1").mustOK(t)
	stop()
	if !strings.Contains(r.out, "local news") || !strings.Contains(r.out, "@alice") || !strings.Contains(r.err, "Streaming local") {
		t.Errorf("local:\n%s\n%s", r.out, r.err)
	}
}

func TestStreamInjectedEscapes(t *testing.T) {
	h := newHarness(t)
	_, tok := h.login("mallory", mastodontest.DisplayName("Mal\x1b[5mlory\x07"))
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	for _, args := range [][]string{
		{"stream", "public", "--count", "1"},
		{"--color", "always", "stream", "public", "--count", "1"},
		{"stream", "public", "--count", "1", "--json"},
	} {
		start, stop := poster(t, mastodontest.NewClient(h.srv, tok), "evil \x1b]0;owned\x07\x1b[2J\x1b[1;1Hreset\u202e\u009b31m")
		h.ready = start
		r := h.runCtx(ctx, args...).mustOK(t)
		stop()
		out := r.out
		if args[0] == "--color" {
			out = stripSGR(out)
		}
		if strings.ContainsAny(out+r.err, "\x1b\x07\u202e\u009b") {
			t.Errorf("%v let control characters through: %q %q", args, r.out, r.err)
		}
		if !strings.Contains(out, "evil") || !strings.Contains(out, "reset") || !strings.Contains(out, "lory") {
			t.Errorf("%v lost the text: %q", args, r.out)
		}
	}
}

func TestStreamBadInput(t *testing.T) {
	h := newHarness(t)
	h.ready = func(string) { t.Error("a stream went live") }
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"stream"}, ExitUsage, "missing argument; usage: tusk stream user|public"},
		{[]string{"stream", "home"}, ExitUsage, `unknown stream "home"`},
		{[]string{"stream", "list"}, ExitUsage, "needs a list ID"},
		{[]string{"stream", "tag"}, ExitUsage, "needs a hashtag"},
		{[]string{"stream", "user", "extra"}, ExitUsage, "takes no further argument"},
		{[]string{"stream", "user", "--count", "-1"}, ExitUsage, "--count must not be negative"},
		{[]string{"stream", "user", "--transport", "pigeon"}, ExitUsage, "--transport must be"},
		{[]string{"stream", "user"}, ExitAuth, "tusk login"},
	} {
		r := h.run(tc.args...)
		if r.code != tc.code || !strings.HasPrefix(r.err, "tusk: ") || !strings.Contains(r.err, tc.want) || r.out != "" {
			t.Errorf("%q: exit %d, stderr %q; want exit %d and %q", tc.args, r.code, r.err, tc.code, tc.want)
		}
	}
	// A refused token ends the stream with the log-in hint.
	h.login("alice")
	h.srv.Reset()
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	if r := h.runCtx(ctx, "stream", "user"); r.code != ExitAuth || !strings.Contains(r.err, "Log in again") {
		t.Errorf("refused token: exit %d %q", r.code, r.err)
	}
}

// TestStreamReconnectShown drops the stream mid-way: the command says so on
// stderr, reconnects, and stdout carries only the statuses, none missed.
func TestStreamReconnectShown(t *testing.T) {
	h := newHarness(t)
	_, tok := h.login("alice")
	alice := mastodontest.NewClient(h.srv, tok)
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	done := make(chan struct{})
	h.ready = func(string) {
		go func() {
			defer close(done)
			alice.PostStatus(t, "before the drop")
			for h.srv.DropStreams() == 0 {
				time.Sleep(5 * time.Millisecond)
			}
			for h.srv.StreamCount() == 0 {
				time.Sleep(5 * time.Millisecond)
			}
			alice.PostStatus(t, "after the drop")
		}()
	}
	r := h.runCtx(ctx, "stream", "local", "--count", "2", "--json", "--transport", "sse").mustOK(t)
	<-done
	lines := decodeLines(t, r.out)
	if len(lines) != 2 {
		t.Fatalf("got %d lines:\n%s", len(lines), r.out)
	}
	for i, want := range []string{"before the drop", "after the drop"} {
		p, _ := lines[i]["payload"].(map[string]any)
		if lines[i]["event"] != "update" || !strings.Contains(fmt.Sprint(p["content"]), want) {
			t.Errorf("line %d = %v %v, want the update %q", i, lines[i]["event"], p["content"], want)
		}
	}
	if !strings.Contains(r.err, "(stream: connection lost: ") || !strings.Contains(r.err, "(stream: reconnected over sse)") {
		t.Errorf("stderr does not tell of the reconnect:\n%s", r.err)
	}
}

package cli

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/tuskgo/mastodon/mastodontest"
)

// listSetup logs alice in, has her follow bob and carol, and makes her a
// list with bob only. It returns the list ID and raw clients for the two.
func listSetup(t *testing.T, h *harness) (listID string, alice, bob, carol *mastodontest.Client) {
	t.Helper()
	_, tok := h.login("alice")
	alice = mastodontest.NewClient(h.srv, tok)
	b, bobTok := h.srv.CreateUser("bob", mastodontest.DisplayName("Bob"))
	c, carolTok := h.srv.CreateUser("carol", mastodontest.DisplayName("Carol"))
	alice.JSON(t, 200, "POST", "/api/v1/accounts/"+b.ID+"/follow", nil, nil)
	alice.JSON(t, 200, "POST", "/api/v1/accounts/"+c.ID+"/follow", nil, nil)
	var l map[string]any
	alice.JSON(t, 200, "POST", "/api/v1/lists", url.Values{"title": {"friends"}}, &l)
	listID = l["id"].(string)
	alice.JSON(t, 200, "POST", "/api/v1/lists/"+listID+"/accounts", url.Values{"account_ids[]": {b.ID}}, nil)
	return listID, alice, mastodontest.NewClient(h.srv, bobTok), mastodontest.NewClient(h.srv, carolTok)
}

func TestTimelineList(t *testing.T) {
	h := newHarness(t)
	listID, _, bob, carol := listSetup(t, h)
	for i := 1; i <= 5; i++ {
		bob.PostStatus(t, fmt.Sprintf("bob says %d", i))
		carol.PostStatus(t, fmt.Sprintf("carol says %d", i))
	}

	// One page in text, newest first, only the list's members, with the
	// command for the next page; the limit goes to the server.
	rec := &recorder{methods: []string{"GET"}}
	r := h.runWithClient(t.Context(), &http.Client{Transport: rec}, "timeline", "list", listID, "--limit", "2").mustOK(t)
	if !strings.Contains(r.out, "bob says 5") || !strings.Contains(r.out, "bob says 4") || strings.Contains(r.out, "bob says 3") {
		t.Errorf("first page:\n%s", r.out)
	}
	if strings.Contains(r.out, "carol") || !strings.Contains(r.out, "Bob @bob") {
		t.Errorf("list timeline shows the wrong accounts:\n%s", r.out)
	}
	if strings.Index(r.out, "says 5") > strings.Index(r.out, "says 4") {
		t.Errorf("not newest first:\n%s", r.out)
	}
	hint := "tusk timeline list " + listID + " --max-id "
	if !strings.Contains(r.err, hint) {
		t.Errorf("no next-page hint %q in %q", hint, r.err)
	}
	reqs := rec.take()
	if len(reqs) != 1 || reqs[0].path != "/api/v1/timelines/list/"+listID || reqs[0].query != "limit=2" {
		t.Errorf("requests: %+v", reqs)
	}

	// --json --all follows the pages: all five, one entity per line.
	r = h.run("timeline", "list", listID, "--limit", "2", "--all", "--json").mustOK(t)
	lines := decodeLines(t, r.out)
	if len(lines) != 5 || r.err != "" {
		t.Fatalf("--all gave %d lines (stderr %q):\n%s", len(lines), r.err, r.out)
	}
	for i, l := range lines {
		if want := fmt.Sprintf("<p>bob says %d</p>", 5-i); l["content"] != want || l["account"].(map[string]any)["acct"] != "bob" {
			t.Errorf("line %d: %v by %v", i, l["content"], l["account"])
		}
	}

	// --max across pages; --max-id and --min-id as the hint says.
	if n := len(decodeLines(t, h.run("timeline", "list", listID, "--limit", "2", "--max", "3", "--json").mustOK(t).out)); n != 3 {
		t.Errorf("--max 3 gave %d", n)
	}
	r = h.runWithClient(t.Context(), &http.Client{Transport: rec}, "timeline", "list", listID, "--max-id", lines[2]["id"].(string), "--json").mustOK(t)
	if l := decodeLines(t, r.out); len(l) != 2 || l[0]["id"] != lines[3]["id"] || l[1]["id"] != lines[4]["id"] {
		t.Errorf("--max-id gave %s", r.out)
	}
	if q, _ := url.ParseQuery(rec.take()[0].query); q.Get("max_id") != lines[2]["id"] || q.Get("limit") != "20" || len(q) != 2 {
		t.Errorf("--max-id query %v", q)
	}
	r = h.run("timeline", "list", listID, "--min-id", lines[1]["id"].(string), "--json").mustOK(t)
	if l := decodeLines(t, r.out); len(l) != 1 || l[0]["id"] != lines[0]["id"] {
		t.Errorf("--min-id gave %s", r.out)
	}

	// Nothing newer: said on stderr, nothing on stdout.
	r = h.run("timeline", "list", listID, "--min-id", lines[0]["id"].(string)).mustOK(t)
	if r.out != "" || !strings.Contains(r.err, "nothing to show") {
		t.Errorf("empty page: %q %q", r.out, r.err)
	}

	// Someone else's list, or none: not found.
	_, daveTok := h.srv.CreateUser("dave")
	var dl map[string]any
	mastodontest.NewClient(h.srv, daveTok).JSON(t, 200, "POST", "/api/v1/lists", url.Values{"title": {"dave's"}}, &dl)
	for _, id := range []string{dl["id"].(string), "999999"} {
		r := h.run("timeline", "list", id)
		if r.code != ExitNotFound || !strings.Contains(r.err, "not found") || r.out != "" {
			t.Errorf("list %s: exit %d, %q", id, r.code, r.err)
		}
	}
}

func TestTimelineListInjectedEscapes(t *testing.T) {
	h := newHarness(t)
	listID, _, bob, _ := listSetup(t, h)
	bob.PostStatus(t, "list \x1b]8;;http://evil\x07link\x1b]8;;\x07 \x1b[2Kgone\u202e\u009b2J end")
	for _, args := range [][]string{{"timeline", "list", listID}, {"--color", "always", "timeline", "list", listID}, {"timeline", "list", listID, "--json"}} {
		r := h.run(args...).mustOK(t)
		out := r.out
		if args[0] == "--color" {
			out = stripSGR(out)
			if out == r.out {
				t.Errorf("--color always printed no colour")
			}
		}
		if strings.ContainsAny(out, "\x1b\x07\u202e\u009b") {
			t.Errorf("%v let control characters through: %q", args, r.out)
		}
		if !strings.Contains(out, "list") || !strings.Contains(out, "gone") || !strings.Contains(out, "end") {
			t.Errorf("%v lost the text: %q", args, r.out)
		}
	}
}

func TestTimelineTagAndPublic(t *testing.T) {
	h := newHarness(t)
	_, tok := h.login("alice")
	alice := mastodontest.NewClient(h.srv, tok)
	alice.PostStatus(t, "first #golang post")
	alice.PostStatus(t, "untagged")
	h.run("post", "picture #GoLang", "--media", writePNG(t), "--alt", "gopher").mustOK(t)

	rec := &recorder{methods: []string{"GET"}}
	hc := &http.Client{Transport: rec}
	r := h.runWithClient(t.Context(), hc, "timeline", "tag", "golang").mustOK(t)
	if !strings.Contains(r.out, "first #golang post") || !strings.Contains(r.out, "picture #GoLang") || strings.Contains(r.out, "untagged") {
		t.Errorf("tag timeline:\n%s", r.out)
	}
	if !strings.Contains(r.out, "[image] gopher") {
		t.Errorf("tag timeline lacks the attachment:\n%s", r.out)
	}
	if q := rec.take(); len(q) != 1 || q[0].path != "/api/v1/timelines/tag/golang" {
		t.Errorf("requests %+v", q)
	}
	r = h.runWithClient(t.Context(), hc, "timeline", "tag", "golang", "--only-media", "--json").mustOK(t)
	if c := contents(t, r.out); len(c) != 1 || !strings.HasPrefix(c[0], "<p>picture ") {
		t.Errorf("--only-media: %q", c)
	}
	if q := rec.take(); len(q) != 1 || !strings.Contains(q[0].query, "only_media=true") {
		t.Errorf("--only-media query: %+v", q)
	}

	r = h.runWithClient(t.Context(), hc, "timeline", "public", "--json").mustOK(t)
	if c := contents(t, r.out); len(c) != 3 || !strings.HasPrefix(c[0], "<p>picture ") || c[1] != "<p>untagged</p>" {
		t.Errorf("public: %q", c)
	}
	if q := rec.take(); len(q) != 1 || q[0].path != "/api/v1/timelines/public" {
		t.Errorf("public requests %+v", q)
	}
	// Only remote statuses: none on a one-server world.
	r = h.runWithClient(t.Context(), hc, "timeline", "public", "--remote").mustOK(t)
	if r.out != "" || !strings.Contains(r.err, "nothing to show") {
		t.Errorf("--remote: %q %q", r.out, r.err)
	}
	if q := rec.take(); len(q) != 1 || !strings.Contains(q[0].query, "remote=true") {
		t.Errorf("--remote query: %+v", q)
	}
	// The tl alias.
	if r := h.run("tl", "public", "--limit", "1", "--json").mustOK(t); len(decodeLines(t, r.out)) != 1 {
		t.Errorf("tl public --limit 1: %s", r.out)
	}
}

func TestTimelineBadInput(t *testing.T) {
	h := newHarness(t)
	// Not logged in: the usage check comes first, then the login hint.
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"timeline"}, ExitUsage, "missing argument; usage: tusk timeline home|local"},
		{[]string{"timeline", "nope"}, ExitUsage, `unknown timeline "nope"`},
		{[]string{"timeline", "list"}, ExitUsage, "needs a list ID"},
		{[]string{"timeline", "tag"}, ExitUsage, "needs a hashtag"},
		{[]string{"timeline", "home", "extra"}, ExitUsage, "takes no further argument"},
		{[]string{"timeline", "home", "--limit", "0"}, ExitUsage, "--limit must be at least 1"},
		{[]string{"timeline", "home", "--max", "-2"}, ExitUsage, "--max must not be negative"},
		{[]string{"timeline", "home", "--all", "--max", "3"}, ExitUsage, "not both"},
		{[]string{"timeline", "home", "--limit", "many"}, ExitUsage, `--limit wants a whole number, not "many"`},
		{[]string{"timeline", "home"}, ExitAuth, "tusk login"},
	} {
		r := h.run(tc.args...)
		if r.code != tc.code || !strings.HasPrefix(r.err, "tusk: ") || !strings.Contains(r.err, tc.want) || r.out != "" {
			t.Errorf("%q: exit %d, stderr %q, stdout %q; want exit %d and %q", tc.args, r.code, r.err, r.out, tc.code, tc.want)
		}
	}
	// An expired token reads as a sentence with what to do.
	_, tok := h.login("alice")
	h.srv.Reset()
	r := h.run("timeline", "home")
	if r.code != ExitAuth || !strings.Contains(r.err, "Log in again") || strings.Contains(r.err, tok) {
		t.Errorf("refused token: exit %d %q", r.code, r.err)
	}
}

// contents is the content of each status of a --json output.
func contents(t *testing.T, out string) []string {
	t.Helper()
	var c []string
	for _, l := range decodeLines(t, out) {
		s, _ := l["content"].(string)
		c = append(c, s)
	}
	return c
}

package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tuskgo/mastodon/mastodontest"
)

func writePNG(t *testing.T) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "tusk.png")
	if err := os.WriteFile(p, demoPNG(), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestPost(t *testing.T) {
	h := newHarness(t)
	_, tok := h.login("alice")
	raw := mastodontest.NewClient(h.srv, tok)

	r := h.run("post", "hello", "world", "--cw", "greeting", "--visibility", "unlisted", "--lang", "en").mustOK(t)
	if !strings.Contains(r.out, "hello world") || !strings.Contains(r.out, "CW: greeting") || !strings.Contains(r.out, "unlisted") {
		t.Errorf("post output:\n%s", r.out)
	}
	var st []map[string]any
	raw.JSON(t, 200, "GET", "/api/v1/timelines/home", nil, &st)
	if len(st) != 1 || st[0]["content"] != "<p>hello world</p>" || st[0]["spoiler_text"] != "greeting" ||
		st[0]["visibility"] != "unlisted" || st[0]["language"] != "en" {
		t.Fatalf("server has %v", st)
	}
	first := st[0]["id"].(string)

	// Text from standard input, with --json.
	h.stdin = strings.NewReader("from stdin\nsecond line\n")
	r = h.run("post", "--json").mustOK(t)
	l := decodeLines(t, r.out)
	if len(l) != 1 || l[0]["content"] != "<p>from stdin<br />second line</p>" {
		t.Errorf("stdin post: %s", r.out)
	}
	h.stdin = nil

	// Media with alt text and focus, and a poll.
	png := writePNG(t)
	r = h.run("post", "look", "--media", png, "--alt", "a tusk", "--focus", "0.5,-0.25", "--json").mustOK(t)
	l = decodeLines(t, r.out)
	media, _ := l[0]["media_attachments"].([]any)
	if len(media) != 1 {
		t.Fatalf("media: %s", r.out)
	}
	m := media[0].(map[string]any)
	focus := m["meta"].(map[string]any)["focus"].(map[string]any)
	if m["description"] != "a tusk" || m["type"] != "image" || focus["x"] != 0.5 || focus["y"] != -0.25 {
		t.Errorf("attachment: %v", m)
	}
	r = h.run("post", "tea or coffee?", "--poll", "tea", "--poll", "coffee", "--poll-expires", "1h").mustOK(t)
	if !strings.Contains(r.out, "[poll]") || !strings.Contains(r.out, "tea") || !strings.Contains(r.out, "coffee") {
		t.Errorf("poll output:\n%s", r.out)
	}

	// Reply mentions the author and threads.
	_, bobTok := h.srv.CreateUser("bob")
	bobs := mastodontest.NewClient(h.srv, bobTok).PostStatus(t, "question?")
	r = h.run("post", "--reply-to", bobs["id"].(string), "answer", "--json").mustOK(t)
	l = decodeLines(t, r.out)
	if l[0]["in_reply_to_id"] != bobs["id"] || !strings.Contains(l[0]["content"].(string), "answer") || len(l[0]["mentions"].([]any)) != 1 {
		t.Errorf("reply: %s", r.out)
	}

	// Edit keeps the media.
	r = h.run("post", "--edit", decodeLinesID(t, h, "look"), "look again", "--json").mustOK(t)
	l = decodeLines(t, r.out)
	if l[0]["content"] != "<p>look again</p>" || len(l[0]["media_attachments"].([]any)) != 1 || l[0]["edited_at"] == nil {
		t.Errorf("edit: %s", r.out)
	}

	// Scheduled.
	r = h.run("post", "later", "--schedule", "2h").mustOK(t)
	if !strings.Contains(r.out, "Scheduled for") {
		t.Errorf("schedule: %s", r.out)
	}

	// Delete prints the text back.
	r = h.run("delete", first).mustOK(t)
	if !strings.Contains(r.out, "Deleted "+first) || !strings.Contains(r.out, "hello world") {
		t.Errorf("delete: %s", r.out)
	}
	if code, _, _, _ := raw.Do("GET", "/api/v1/statuses/"+first, nil); code != 404 {
		t.Errorf("deleted status answers %d", code)
	}
	if r := h.run("delete", first); r.code != ExitNotFound || !strings.Contains(r.err, "not found") {
		t.Errorf("deleting again: exit %d %q", r.code, r.err)
	}
}

// decodeLinesID finds the ID of the newest home status containing text.
func decodeLinesID(t *testing.T, h *harness, text string) string {
	t.Helper()
	r := h.run("timeline", "home", "--json", "--all").mustOK(t)
	for _, l := range decodeLines(t, r.out) {
		if strings.Contains(l["content"].(string), text) {
			return l["id"].(string)
		}
	}
	t.Fatalf("no status with %q", text)
	return ""
}

func TestPostUsageErrors(t *testing.T) {
	h := newHarness(t)
	h.login("alice")
	for _, args := range [][]string{
		{"post"},
		{"post", "x", "--poll", "only one"},
		{"post", "x", "--visibility", "secret"},
		{"post", "x", "--alt", "no media"},
		{"post", "x", "--media", "a.png", "--focus", "2,0"},
		{"post", "x", "--schedule", "someday"},
		{"post", "x", "--edit", "1", "--reply-to", "2"},
	} {
		if r := h.run(args...); r.code != ExitUsage {
			t.Errorf("%q: exit %d, stderr %q", args, r.code, r.err)
		}
	}
	if r := h.run("post", "x", "--media", "/no/such/file.png"); r.code == 0 || !strings.Contains(r.err, "file.png") {
		t.Errorf("missing file: exit %d %q", r.code, r.err)
	}
}

func TestMediaUpload(t *testing.T) {
	h := newHarness(t)
	h.login("alice")
	r := h.run("media", "upload", writePNG(t), "--alt", "tusk").mustOK(t)
	if !strings.Contains(r.out, "media id") || !strings.Contains(r.out, "(image)") {
		t.Errorf("upload: %s", r.out)
	}
	r = h.run("media", "upload", writePNG(t), "--json").mustOK(t)
	if l := decodeLines(t, r.out); len(l) != 1 || l[0]["type"] != "image" || l[0]["url"] == nil {
		t.Errorf("upload --json: %s", r.out)
	}
}

func TestInteractions(t *testing.T) {
	h := newHarness(t)
	_, tok := h.login("alice")
	bob, bobTok := h.srv.CreateUser("bob", mastodontest.DisplayName("Bob"))
	st := mastodontest.NewClient(h.srv, bobTok).PostStatus(t, "interact with me")
	id := st["id"].(string)
	raw := mastodontest.NewClient(h.srv, tok)
	check := func(field string, want bool) {
		t.Helper()
		var s map[string]any
		raw.JSON(t, 200, "GET", "/api/v1/statuses/"+id, nil, &s)
		if s[field] != want {
			t.Errorf("%s = %v, want %v", field, s[field], want)
		}
	}
	r := h.run("fav", id).mustOK(t)
	if !strings.Contains(r.out, "Favourited Bob @bob's status "+id) {
		t.Errorf("fav: %s", r.out)
	}
	check("favourited", true)
	h.run("unfav", id).mustOK(t)
	check("favourited", false)
	h.run("boost", st["url"].(string)).mustOK(t) // an address works as well as an ID
	check("reblogged", true)
	h.run("unboost", id).mustOK(t)
	check("reblogged", false)
	h.run("bookmark", id).mustOK(t)
	check("bookmarked", true)
	h.run("unbookmark", id, "--json").mustOK(t)
	check("bookmarked", false)
	if r := h.run("fav", "999999"); r.code != ExitNotFound {
		t.Errorf("fav unknown: exit %d %q", r.code, r.err)
	}

	r = h.run("follow", "@bob").mustOK(t)
	if !strings.Contains(r.out, "Following Bob @bob") {
		t.Errorf("follow: %s", r.out)
	}
	var rel []map[string]any
	raw.JSON(t, 200, "GET", "/api/v1/accounts/relationships?id[]="+bob.ID, nil, &rel)
	if rel[0]["following"] != true {
		t.Errorf("relationship after follow: %v", rel)
	}
	h.run("unfollow", bob.ID).mustOK(t)
	raw.JSON(t, 200, "GET", "/api/v1/accounts/relationships?id[]="+bob.ID, nil, &rel)
	if rel[0]["following"] != false {
		t.Errorf("relationship after unfollow: %v", rel)
	}
	carol := h.srv.CreateAccount("carol", mastodontest.Locked())
	r = h.run("follow", "carol", "--json").mustOK(t)
	if l := decodeLines(t, r.out); l[0]["requested"] != true || l[0]["id"] != carol.ID {
		t.Errorf("follow locked: %s", r.out)
	}
	if r := h.run("follow", "@nobody"); r.code != ExitNotFound {
		t.Errorf("follow unknown: exit %d %q", r.code, r.err)
	}
}

package cli

import (
	"bytes"
	"context"
	"image"
	"image/png"
	"math/rand/v2"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/tuskgo/mastodon/mastodontest"
)

// reply posts text as an answer to id and returns the new status's ID.
func reply(t *testing.T, c *mastodontest.Client, id, text string) string {
	t.Helper()
	var st map[string]any
	c.JSON(t, 200, "POST", "/api/v1/statuses", url.Values{"status": {text}, "in_reply_to_id": {id}}, &st)
	return st["id"].(string)
}

func TestShowThread(t *testing.T) {
	h := newHarness(t)
	_, tok := h.login("alice")
	_, bobTok := h.srv.CreateUser("bob")
	ac, bc := mastodontest.NewClient(h.srv, tok), mastodontest.NewClient(h.srv, bobTok)
	root := bc.PostStatus(t, "the question")["id"].(string)
	mid := reply(t, ac, root, "@bob an answer")
	deep := reply(t, bc, mid, "@alice a follow-up")
	side := reply(t, bc, root, "another answer")

	r := h.run("show", mid).mustOK(t)
	if !strings.Contains(r.out, "an answer") || strings.Contains(r.out, "the question") || !strings.Contains(r.out, "in reply to "+root) {
		t.Errorf("show:\n%s", r.out)
	}
	r = h.run("show", "--thread", mid).mustOK(t)
	order := []string{"the question", "▌", "an answer", "a follow-up"}
	at := 0
	for _, w := range order {
		i := strings.Index(r.out[at:], w)
		if i < 0 {
			t.Fatalf("thread lacks %q after byte %d:\n%s", w, at, r.out)
		}
		at += i
	}
	if !regexp.MustCompile(`(?m)^  \S.*· id ` + deep).MatchString(r.out) {
		t.Errorf("the reply to the shown status is not indented under it:\n%s", r.out)
	}
	if strings.Contains(r.out, "another answer") {
		t.Errorf("a reply to another status is in the thread of %s:\n%s", mid, r.out)
	}
	r = h.run("show", "--thread", root, "--json").mustOK(t)
	lines := decodeLines(t, r.out)
	var ids []string
	for _, l := range lines {
		ids = append(ids, l["id"].(string))
	}
	if strings.Join(ids, " ") != strings.Join([]string{root, mid, deep, side}, " ") {
		t.Errorf("--thread --json order %v, want %v", ids, []string{root, mid, deep, side})
	}
	wantErr(t, h.run("show", "424242"), ExitNotFound, "424242: not found")
}

func TestVote(t *testing.T) {
	h := newHarness(t)
	h.login("alice")
	_, bobTok := h.srv.CreateUser("bob")
	bc := mastodontest.NewClient(h.srv, bobTok)
	var one, many map[string]any
	bc.JSON(t, 200, "POST", "/api/v1/statuses", url.Values{"status": {"tea?"}, "poll[options][]": {"tea", "coffee", "water"}, "poll[expires_in]": {"3600"}}, &one)
	bc.JSON(t, 200, "POST", "/api/v1/statuses", url.Values{"status": {"which?"}, "poll[options][]": {"a", "b", "c"}, "poll[expires_in]": {"3600"}, "poll[multiple]": {"true"}}, &many)
	plain := bc.PostStatus(t, "no poll")["id"].(string)

	before := h.srv.Requests()
	wantErr(t, h.run("vote", one["id"].(string), "4"), ExitUsage, "choice 4: the poll has options 1 to 3")
	wantErr(t, h.run("vote", one["id"].(string), "milk"), ExitUsage, `choice "milk" is not an option of the poll: 1 "tea", 2 "coffee", 3 "water"`)
	wantErr(t, h.run("vote", one["id"].(string), "1", "2"), ExitUsage, "this poll allows one choice; you gave 2")
	wantErr(t, h.run("vote", plain, "1"), ExitUsage, plain+": that status has no poll")
	if n := h.srv.Requests() - before; n != 4 { // one status lookup each, no vote
		t.Errorf("%d requests for refused votes, want 4 lookups", n)
	}

	r := h.run("vote", one["id"].(string), "Coffee").mustOK(t)
	if !regexp.MustCompile(`● coffee\s+100% \(1\)`).MatchString(r.out) || !strings.Contains(r.out, "Voted.") {
		t.Errorf("vote output:\n%s", r.out)
	}
	r = h.run("vote", many["id"].(string), "1", "c", "--json").mustOK(t)
	got := decodeLines(t, r.out)
	if len(got) != 1 || got[0]["own_votes"] == nil || len(got[0]["own_votes"].([]any)) != 2 {
		t.Errorf("multiple vote: %s", r.out)
	}
	wantErr(t, h.run("vote", one["id"].(string), "1"), ExitError, "the server rejected this")
}

func TestScheduled(t *testing.T) {
	h := newHarness(t)
	h.login("alice")
	now := h.srv.Clock().Now()
	h.now = func() time.Time { return now }
	r := h.run("scheduled").mustOK(t)
	if !strings.Contains(r.err, "(nothing scheduled)") {
		t.Errorf("empty list: %q", r.err)
	}
	late := h.run("post", "later one", "--schedule", "5h", "--json").mustOK(t)
	soon := h.run("post", "sooner one", "--schedule", "2h", "--cw", "spoiler", "--json").mustOK(t)
	lateID := decodeLines(t, late.out)[0]["id"].(string)
	soonID := decodeLines(t, soon.out)[0]["id"].(string)

	// The server rounds the time down, so "2h" from now shows as "in 1h".
	r = h.run("scheduled").mustOK(t)
	i, j := strings.Index(r.out, "sooner one"), strings.Index(r.out, "later one")
	if i < 0 || j < 0 || i > j || !strings.Contains(r.out, "id "+soonID) || !strings.Contains(r.out, "(in 1h)") || !strings.Contains(r.out, "CW: spoiler") {
		t.Errorf("scheduled list:\n%s", r.out)
	}
	r = h.run("scheduled", "list", "--json").mustOK(t)
	if got := decodeLines(t, r.out); len(got) != 2 || got[0]["id"] != soonID {
		t.Errorf("scheduled --json: %s", r.out)
	}
	r = h.run("scheduled", "cancel", soonID).mustOK(t)
	if !strings.Contains(r.out, "Cancelled scheduled status "+soonID) {
		t.Errorf("cancel: %q", r.out)
	}
	r = h.run("scheduled", "list", "--json").mustOK(t)
	if got := decodeLines(t, r.out); len(got) != 1 || got[0]["id"] != lateID {
		t.Errorf("after cancel: %s", r.out)
	}
	wantErr(t, h.run("scheduled", "cancel", soonID), ExitNotFound, soonID+": not found")
	wantErr(t, h.run("scheduled", "bogus"), ExitUsage, `"bogus" is not an argument of 'tusk scheduled'`)
}

func TestMuteBlock(t *testing.T) {
	h := newHarness(t)
	_, tok := h.login("alice")
	bob, bobTok := h.srv.CreateUser("bob", mastodontest.DisplayName("Bob"))
	ac := mastodontest.NewClient(h.srv, tok)
	rel := func() map[string]any {
		var rs []map[string]any
		ac.JSON(t, 200, "GET", "/api/v1/accounts/relationships", url.Values{"id[]": {bob.ID}}, &rs)
		return rs[0]
	}
	r := h.run("mute", "@bob", "--duration", "1h", "--keep-notifications").mustOK(t)
	if !strings.Contains(r.out, "Muted Bob @bob for 1h0m0s") {
		t.Errorf("mute: %q", r.out)
	}
	if got := rel(); got["muting"] != true || got["muting_notifications"] != false {
		t.Errorf("after mute: %v", got)
	}
	// --duration: the mute ends by itself.
	h.srv.Clock().Advance(61 * time.Minute)
	if got := rel(); got["muting"] != false {
		t.Errorf("an hour after 'mute --duration 1h': %v", got)
	}
	h.run("mute", "@bob").mustOK(t)
	if got := rel(); got["muting"] != true || got["muting_notifications"] != true {
		t.Errorf("after mute: %v", got)
	}
	h.run("unmute", "@bob").mustOK(t)
	if got := rel(); got["muting"] != false {
		t.Errorf("after unmute: %v", got)
	}
	mastodontest.NewClient(h.srv, bobTok).JSON(t, 200, "POST", "/api/v1/accounts/"+h.accountID(t, tok)+"/follow", nil, nil)
	r = h.run("block", "@bob", "--json").mustOK(t)
	if got := decodeLines(t, r.out); len(got) != 1 || got[0]["blocking"] != true || got[0]["followed_by"] != false {
		t.Errorf("block --json: %s", r.out)
	}
	r = h.run("unblock", bob.ID).mustOK(t)
	if !strings.Contains(r.out, "Unblocked Bob @bob") || rel()["blocking"] != false {
		t.Errorf("unblock: %q %v", r.out, rel())
	}
	wantErr(t, h.run("block", "@nobody"), ExitNotFound, "@nobody: not found")
	wantErr(t, h.run("mute", "@bob", "--duration", "-1h"), ExitUsage, "--duration must not be negative")
}

// accountID is the ID of the account a token belongs to.
func (h *harness) accountID(t *testing.T, tok string) string {
	var me map[string]any
	mastodontest.NewClient(h.srv, tok).JSON(t, 200, "GET", "/api/v1/accounts/verify_credentials", nil, &me)
	return me["id"].(string)
}

func TestVersion(t *testing.T) {
	h := newHarness(t)
	a := h.run("version").mustOK(t)
	b := h.run("--version").mustOK(t)
	if a.out != b.out || !regexp.MustCompile(`^tusk \S+ \(go\S+, \w+/\w+\); Mastodon API up to \d+\.\d+\.\d+\n$`).MatchString(a.out) {
		t.Errorf("version %q, --version %q", a.out, b.out)
	}
}

func TestPostMediaID(t *testing.T) {
	h := newHarness(t)
	h.login("alice")
	img := writePNG(t)
	r := h.run("media", "upload", img, "--alt", "uploaded first").mustOK(t)
	m := regexp.MustCompile(`media id (\S+)`).FindStringSubmatch(r.out)
	if m == nil {
		t.Fatalf("upload printed no ID: %q", r.out)
	}
	r = h.run("post", "with earlier media", "--media-id", m[1], "--media", img, "--alt", "uploaded now", "--json").mustOK(t)
	st := decodeLines(t, r.out)[0]
	media := st["media_attachments"].([]any)
	if len(media) != 2 || media[0].(map[string]any)["id"] != m[1] || media[1].(map[string]any)["description"] != "uploaded now" {
		t.Errorf("attachments: %v", media)
	}
	wantErr(t, h.run("post", "x", "--media-id", "999999"), ExitError, "the server rejected this")
	wantErr(t, h.run("post", "x", "--media-id", "1", "--poll", "a", "--poll", "b"), ExitUsage, "media or a poll, not both")
}

// writeBigPNG writes a PNG of noise larger than barFromBytes, which
// mastodontest processes before serving (202, then 206 on the first poll).
func writeBigPNG(t *testing.T) string {
	t.Helper()
	img := image.NewNRGBA(image.Rect(0, 0, 640, 640))
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range img.Pix {
		img.Pix[i] = byte(rng.Uint32())
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	if b.Len() < barFromBytes {
		t.Fatalf("test image of %d bytes is too small", b.Len())
	}
	p := filepath.Join(t.TempDir(), "big.png")
	if err := os.WriteFile(p, b.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestUploadPhases: a large upload shows a progress bar (cleared when
// done), then the server's processing as a phase of its own, waited on
// the harness's clock; a small one shows neither.
func TestUploadPhases(t *testing.T) {
	h := newHarness(t)
	h.login("alice")
	h.term = true
	var waits []time.Duration
	h.sleep = func(ctx context.Context, d time.Duration) error { waits = append(waits, d); return nil }

	r := h.run("media", "upload", writeBigPNG(t), "--alt", "noise").mustOK(t)
	bar := strings.Index(r.err, "uploading big.png")
	proc := strings.Index(r.err, "big.png: uploaded; the server is processing it …\n")
	done := strings.Index(r.err, "big.png: processed\n")
	if bar < 0 || proc < bar || done < proc {
		t.Errorf("phases out of order or missing: %q", r.err)
	}
	if i := strings.LastIndex(r.err[:proc], "\r"); i < 0 || strings.TrimSpace(r.err[i:proc]) != "" {
		t.Errorf("the bar was not cleared before the processing phase: %q", r.err[:proc])
	}
	if strings.Contains(r.err, "/s") {
		t.Errorf("an upload speed is shown: %q", r.err)
	}
	// mastodontest answers the first poll 206 (still processing).
	if len(waits) != 2 || waits[0] != mediaPoll || waits[1] != mediaPoll {
		t.Errorf("waits %v, want two poll intervals", waits)
	}
	if !regexp.MustCompile(`^Uploaded big.png: media id \S+ \(image\) http`).MatchString(r.out) {
		t.Errorf("stdout: %q", r.out)
	}

	waits = nil
	r = h.run("media", "upload", writePNG(t)).mustOK(t)
	if r.err != "" || len(waits) != 0 {
		t.Errorf("small upload: stderr %q, waits %v", r.err, waits)
	}
}

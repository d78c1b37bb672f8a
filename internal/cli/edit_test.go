package cli

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/tuskgo/mastodon/mastodontest"
)

// recorder is an http.RoundTripper that keeps a copy of every request
// body sent with one of its methods, so tests can check what went out.
type recorder struct {
	methods []string
	mu      sync.Mutex
	reqs    []recorded
}

type recorded struct {
	method, path, query, contentType string
	body                             []byte
}

func (r *recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	for _, m := range r.methods {
		if req.Method != m {
			continue
		}
		var body []byte
		if req.Body != nil {
			var err error
			if body, err = io.ReadAll(req.Body); err != nil {
				return nil, err
			}
			req.Body.Close()
			req.Body = io.NopCloser(bytes.NewReader(body))
		}
		r.mu.Lock()
		r.reqs = append(r.reqs, recorded{req.Method, req.URL.Path, req.URL.RawQuery, req.Header.Get("Content-Type"), body})
		r.mu.Unlock()
	}
	return http.DefaultTransport.RoundTrip(req)
}

func (r *recorder) take() []recorded {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := r.reqs
	r.reqs = nil
	return out
}

// attachments returns description and focus ("x,y" or "") of a status's
// media as the server has them.
func attachments(t *testing.T, raw *mastodontest.Client, id string) (desc []any, focus []string) {
	t.Helper()
	var st map[string]any
	raw.JSON(t, 200, "GET", "/api/v1/statuses/"+id, nil, &st)
	for _, m := range st["media_attachments"].([]any) {
		m := m.(map[string]any)
		desc = append(desc, m["description"])
		f := ""
		if meta, _ := m["meta"].(map[string]any); meta != nil {
			if fp, _ := meta["focus"].(map[string]any); fp != nil {
				f = strings.TrimSuffix(strings.TrimSuffix(jsonNum(fp["x"])+","+jsonNum(fp["y"]), ","), ",")
			}
		}
		focus = append(focus, f)
	}
	return desc, focus
}

func jsonNum(v any) string { b, _ := json.Marshal(v); return string(b) }

func TestEditChangesAttachmentsFocusAndAlt(t *testing.T) {
	h := newHarness(t)
	_, tok := h.login("alice")
	raw := mastodontest.NewClient(h.srv, tok)
	png := writePNG(t)
	r := h.run("post", "two pictures", "--cw", "eyes", "--media", png, "--media", png, "--alt", "first", "--focus", "0.5,0.5", "--json").mustOK(t)
	id := decodeLines(t, r.out)[0]["id"].(string)

	// --alt and --focus without --media apply to the status's own
	// attachments, in order, through media_attributes; text and CW stay.
	rec := &recorder{methods: []string{"PUT", "POST"}}
	r = h.runWithClient(t.Context(), &http.Client{Transport: rec}, "post", "--edit", id, "--alt", "new first", "--alt", "second", "--focus", "-0.25,1")
	if r.code != 0 {
		t.Fatalf("edit: exit %d\n%s%s", r.code, r.out, r.err)
	}
	reqs := rec.take()
	if len(reqs) != 1 || reqs[0].method != "PUT" || reqs[0].path != "/api/v1/statuses/"+id {
		t.Fatalf("requests: %+v", reqs)
	}
	var body struct {
		Status          string            `json:"status"`
		SpoilerText     string            `json:"spoiler_text"`
		MediaIDs        []string          `json:"media_ids"`
		MediaAttributes []json.RawMessage `json:"media_attributes"`
	}
	if err := json.Unmarshal(reqs[0].body, &body); err != nil || !strings.HasPrefix(reqs[0].contentType, "application/json") {
		t.Fatalf("edit body %s (%s): %v", reqs[0].body, reqs[0].contentType, err)
	}
	if body.Status != "two pictures" || body.SpoilerText != "eyes" || len(body.MediaIDs) != 2 {
		t.Errorf("edit body did not keep the status: %s", reqs[0].body)
	}
	want := []string{
		`{"id":"` + body.MediaIDs[0] + `","description":"new first","focus":"-0.25,1"}`,
		`{"id":"` + body.MediaIDs[1] + `","description":"second"}`,
	}
	if len(body.MediaAttributes) != 2 || string(body.MediaAttributes[0]) != want[0] || string(body.MediaAttributes[1]) != want[1] {
		t.Errorf("media_attributes = %s, want %v", body.MediaAttributes, want)
	}
	if !strings.Contains(r.out, "two pictures") || !strings.Contains(r.err, "Edited") {
		t.Errorf("edit output:\n%s\n%s", r.out, r.err)
	}
	desc, focus := attachments(t, raw, id)
	if desc[0] != "new first" || desc[1] != "second" || focus[0] != "-0.25,1" || focus[1] != "" {
		t.Errorf("server has descriptions %v, focus %v", desc, focus)
	}

	// Only a focus for the first: the descriptions stay.
	h.run("post", "--edit", id, "--focus", "0,-1").mustOK(t)
	desc, focus = attachments(t, raw, id)
	if desc[0] != "new first" || desc[1] != "second" || focus[0] != "0,-1" {
		t.Errorf("after a focus-only edit: %v %v", desc, focus)
	}

	// More values than attachments, or a bad point: usage errors, nothing sent.
	for _, args := range [][]string{
		{"post", "--edit", id, "--focus", "0,0", "--focus", "0,0", "--focus", "0,0"},
		{"post", "--edit", id, "--alt", "a", "--alt", "b", "--alt", "c"},
		{"post", "--edit", id, "--focus", "0,2"},
		{"post", "--edit", id, "--focus", "left"},
	} {
		r := h.runWithClient(t.Context(), &http.Client{Transport: rec}, args...)
		if r.code != ExitUsage || !strings.Contains(r.err, "--focus") && !strings.Contains(r.err, "--alt") {
			t.Errorf("%q: exit %d %q", args, r.code, r.err)
		}
	}
	if reqs := rec.take(); len(reqs) != 0 {
		t.Errorf("refused edits sent %+v", reqs)
	}
}

func TestEditWithNewMediaAndReplyFocus(t *testing.T) {
	h := newHarness(t)
	_, tok := h.login("alice")
	raw := mastodontest.NewClient(h.srv, tok)
	png := writePNG(t)
	st := raw.PostStatus(t, "text only")
	id := st["id"].(string)

	// --edit with --media: the new upload carries its alt and focus.
	rec := &recorder{methods: []string{"POST"}}
	r := h.runWithClient(t.Context(), &http.Client{Transport: rec}, "post", "--edit", id, "now with a picture", "--media", png, "--alt", "pic", "--focus", "0.1,-0.2", "--json")
	if r.code != 0 {
		t.Fatalf("edit: exit %d %s", r.code, r.err)
	}
	ups := rec.take()
	if len(ups) != 1 || ups[0].path != "/api/v2/media" || !bytes.Contains(ups[0].body, []byte("0.1,-0.2")) || !bytes.Contains(ups[0].body, []byte("pic")) {
		t.Errorf("upload requests: %d", len(ups))
	}
	desc, focus := attachments(t, raw, id)
	if len(desc) != 1 || desc[0] != "pic" || focus[0] != "0.1,-0.2" {
		t.Errorf("after edit with media: %v %v", desc, focus)
	}

	// A reply with media: alt and focus reach the server too.
	_, bobTok := h.srv.CreateUser("bob")
	q := mastodontest.NewClient(h.srv, bobTok).PostStatus(t, "show me")
	r = h.run("post", "--reply-to", q["id"].(string), "here", "--media", png, "--alt", "reply pic", "--focus", "-1,-1", "--json").mustOK(t)
	l := decodeLines(t, r.out)
	if l[0]["in_reply_to_id"] != q["id"] {
		t.Errorf("not a reply: %v", l[0]["in_reply_to_id"])
	}
	desc, focus = attachments(t, raw, l[0]["id"].(string))
	if len(desc) != 1 || desc[0] != "reply pic" || focus[0] != "-1,-1" {
		t.Errorf("reply media: %v %v", desc, focus)
	}
}

func TestEditKeepsPollAndCW(t *testing.T) {
	h := newHarness(t)
	_, tok := h.login("alice")
	raw := mastodontest.NewClient(h.srv, tok)
	r := h.run("post", "tea or coffee?", "--cw", "drinks", "--poll", "tea", "--poll", "coffee", "--poll-multiple", "--json").mustOK(t)
	id := decodeLines(t, r.out)[0]["id"].(string)

	rec := &recorder{methods: []string{"PUT"}}
	r = h.runWithClient(t.Context(), &http.Client{Transport: rec}, "post", "--edit", id, "tea or coffee or water?", "--json")
	if r.code != 0 {
		t.Fatalf("edit: exit %d %s", r.code, r.err)
	}
	reqs := rec.take()
	if len(reqs) != 1 {
		t.Fatalf("requests %+v", reqs)
	}
	var body struct {
		SpoilerText string `json:"spoiler_text"`
		Poll        *struct {
			Options   []string `json:"options"`
			ExpiresIn int      `json:"expires_in"`
			Multiple  bool     `json:"multiple"`
		} `json:"poll"`
	}
	if err := json.Unmarshal(reqs[0].body, &body); err != nil {
		t.Fatal(err)
	}
	if body.SpoilerText != "drinks" || body.Poll == nil || strings.Join(body.Poll.Options, "|") != "tea|coffee" || !body.Poll.Multiple || body.Poll.ExpiresIn < 300 {
		t.Errorf("edit body: %s", reqs[0].body)
	}
	l := decodeLines(t, r.out)
	if l[0]["content"] != "<p>tea or coffee or water?</p>" || l[0]["spoiler_text"] != "drinks" || l[0]["poll"] == nil {
		t.Errorf("edited: %s", r.out)
	}

	// --cw "" removes the warning.
	h.run("post", "--edit", id, "no warning", "--cw", "").mustOK(t)
	var st map[string]any
	raw.JSON(t, 200, "GET", "/api/v1/statuses/"+id, url.Values{}, &st)
	if st["spoiler_text"] != "" || st["content"] != "<p>no warning</p>" {
		t.Errorf("after --cw \"\": %v %v", st["spoiler_text"], st["content"])
	}
}

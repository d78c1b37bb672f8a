package cli

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/tuskgo/mastodon"
	"github.com/tuskgo/mastodon/mastodontest"
)

// evil is what a hostile server writes into its text: an OSC 52 clipboard
// write, a screen clear, a title change, a C1 CSI, a bidi override and a
// DCS query.
const evil = "\x1b]52;c;cHduZWQ=\x07\x1b[2J\x1b]0;pwned\x07\u009b31m\u202e\x1bP+q\x1b\\"

// hostile is a proxy in front of a mastodontest server that appends evil
// to every string of every JSON answer (IDs, names, URLs, enums, errors)
// and to the cursors of Link headers, and takes it out of what the client
// sends back, so the server still understands the IDs it handed out.
type hostile struct {
	srv *mastodontest.Server
	URL string
}

// keepKeys are left alone: secrets the client must send back in headers,
// and times, which would not decode otherwise.
var keepKeys = map[string]bool{"access_token": true, "token_type": true, "client_id": true, "client_secret": true, "scope": true, "vapid_key": true}

func newHostile(t *testing.T, srv *mastodontest.Server) *hostile {
	h := &hostile{srv: srv}
	target, _ := url.Parse(srv.URL)
	var proxyURL string
	rp := &httputil.ReverseProxy{
		Rewrite: func(pr *httputil.ProxyRequest) {
			pr.SetURL(target)
			cleanRequest(pr.Out)
		},
		ModifyResponse: func(resp *http.Response) error {
			if link := resp.Header.Get("Link"); link != "" {
				resp.Header.Set("Link", poisonLink(link, srv.URL, proxyURL))
			}
			if loc := resp.Header.Get("Location"); strings.HasPrefix(loc, srv.URL) {
				resp.Header.Set("Location", proxyURL+strings.TrimPrefix(loc, srv.URL))
			}
			if !strings.Contains(resp.Header.Get("Content-Type"), "json") {
				return nil
			}
			body, err := io.ReadAll(resp.Body)
			resp.Body.Close()
			if err != nil {
				return err
			}
			body = poisonJSON(body)
			resp.Body = io.NopCloser(bytes.NewReader(body))
			resp.ContentLength = int64(len(body))
			resp.Header.Set("Content-Length", strconv.Itoa(len(body)))
			return nil
		},
	}
	ts := httptest.NewServer(rp)
	t.Cleanup(ts.Close)
	proxyURL = ts.URL
	h.URL = ts.URL
	return h
}

func poisonJSON(body []byte) []byte {
	d := json.NewDecoder(bytes.NewReader(body))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		return body
	}
	out, err := json.Marshal(walkJSON(v, "", func(s string) string { return s + evil }))
	if err != nil {
		return body
	}
	return out
}

func walkJSON(v any, key string, f func(string) string) any {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			x[k] = walkJSON(e, k, f)
		}
	case []any:
		for i, e := range x {
			x[i] = walkJSON(e, key, f)
		}
	case string:
		if keepKeys[key] || isTime(x) {
			return x
		}
		return f(x)
	}
	return v
}

func isTime(s string) bool {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02"} {
		if _, err := time.Parse(layout, s); err == nil {
			return true
		}
	}
	return false
}

var linkTarget = regexp.MustCompile(`<([^>]*)>`)

func poisonLink(link, from, to string) string {
	return linkTarget.ReplaceAllStringFunc(link, func(m string) string {
		u, err := url.Parse(strings.Trim(m, "<>"))
		if err != nil {
			return m
		}
		q := u.Query()
		for k := range q {
			if strings.HasSuffix(k, "_id") {
				q.Set(k, q.Get(k)+evil)
			}
		}
		u.RawQuery = q.Encode()
		return "<" + to + strings.TrimPrefix(u.String(), from) + ">"
	})
}

// cleanRequest takes evil out of a request's path, query and form or JSON
// body.
func cleanRequest(r *http.Request) {
	strip := func(s string) string { return strings.ReplaceAll(s, evil, "") }
	r.URL.Path = strip(r.URL.Path)
	r.URL.RawPath = ""
	q := r.URL.Query()
	for k, vs := range q {
		for i := range vs {
			vs[i] = strip(vs[i])
		}
		q[k] = vs
	}
	r.URL.RawQuery = q.Encode()
	if r.Body == nil {
		return
	}
	ct := r.Header.Get("Content-Type")
	if !strings.HasPrefix(ct, "application/x-www-form-urlencoded") && !strings.HasPrefix(ct, "application/json") {
		return
	}
	body, _ := io.ReadAll(r.Body)
	r.Body.Close()
	if strings.HasPrefix(ct, "application/json") {
		var v any
		if json.Unmarshal(body, &v) == nil {
			body, _ = json.Marshal(walkJSON(v, "", strip))
		}
	} else if form, err := url.ParseQuery(string(body)); err == nil {
		for _, vs := range form {
			for i := range vs {
				vs[i] = strip(vs[i])
			}
		}
		body = []byte(form.Encode())
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	r.ContentLength = int64(len(body))
	r.Header.Set("Content-Length", strconv.Itoa(len(body)))
}

// ownStyles are the colours tusk itself writes with --color always.
var ownStyles = regexp.MustCompile(`\x1b\[(?:0|1|2|31|32|33|34|36)m`)

// terminalUnsafe reports why s could steer a terminal, or "": anything
// but tusk's own colours.
func terminalUnsafe(s string) string {
	s = ownStyles.ReplaceAllString(s, "")
	for i, r := range s {
		switch {
		case r == '\n' || r == '\t':
		case r < 0x20 || r == 0x7f:
			return "C0 control " + strconv.Quote(s[max(0, i-40):min(len(s), i+20)])
		case r >= 0x80 && r <= 0x9f:
			return "C1 control " + strconv.Quote(s[max(0, i-40):min(len(s), i+20)])
		case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069, r == 0x200e, r == 0x200f, r == 0x061c:
			return "bidi control " + strconv.Quote(s[max(0, i-40):min(len(s), i+20)])
		}
	}
	return ""
}

// TestHostileServerOutput runs every command that prints server data
// against a server that writes escapes into every field, and checks that
// nothing that reaches the terminal can steer it (issue 18.7).
func TestHostileServerOutput(t *testing.T) {
	h := newHarness(t)
	hs := newHostile(t, h.srv)
	bob, bobTok := h.srv.CreateUser("bob", mastodontest.DisplayName("Bob"))
	_, aliceTok := h.srv.CreateUser("alice", mastodontest.DisplayName("Alice"))
	h.env["TUSK_SERVER"] = hs.URL
	h.env["TUSK_ACCESS_TOKEN"] = aliceTok
	bc := mastodontest.NewClient(h.srv, bobTok)
	ac := mastodontest.NewClient(h.srv, aliceTok)
	ac.JSON(t, 200, "POST", "/api/v1/accounts/"+bob.ID+"/follow", nil, nil)
	var ids []string
	for i := range 5 {
		st := bc.PostStatus(t, "<b>hello</b> @alice number "+strconv.Itoa(i))
		ids = append(ids, st["id"].(string))
	}
	var poll map[string]any
	bc.JSON(t, 200, "POST", "/api/v1/statuses", url.Values{"status": {"vote?"}, "poll[options][]": {"yes", "no"}, "poll[expires_in]": {"3600"}}, &poll)
	ac.JSON(t, 200, "POST", "/api/v1/statuses/"+ids[0]+"/favourite", nil, nil)
	img := writePNG(t)

	for _, args := range [][]string{
		{"whoami"},
		{"whoami", "--json"},
		{"timeline", "home", "--json"},
		{"notifications", "--json"},
		{"show", "--thread", "--json", ids[3]},
		{"timeline", "home", "--limit", "2"},
		{"timeline", "home", "--max", "3", "--limit", "2"},
		{"timeline", "public", "--all"},
		{"notifications"},
		{"notifications", "--limit", "1"},
		{"search", "bob"},
		{"instance"},
		{"post", "hi there"},
		{"post", "--reply-to", ids[1], "a reply"},
		{"post", "later", "--schedule", "2h"},
		{"post", "with media", "--media", img, "--alt", "a picture"},
		{"media", "upload", img},
		{"fav", ids[2]},
		{"boost", ids[2]},
		{"bookmark", ids[2]},
		{"follow", "@bob"},
		{"unfollow", "@bob"},
		{"fav", "99999999"},
		{"timeline", "tag", "nothing"},
		{"export", "--dir", filepath.Join(t.TempDir(), "export")},
		{"show", ids[3]},
		{"show", "--thread", ids[3]},
		{"vote", poll["id"].(string), "1"},
		{"scheduled"},
		{"mute", "@bob"},
		{"unmute", "@bob"},
		{"block", "@bob"},
		{"unblock", "@bob"},
		{"delete", ac.PostStatus(t, "mine")["id"].(string)},
	} {
		for _, color := range []string{"never", "always"} {
			r := h.run(append(args, "--color", color)...)
			if why := terminalUnsafe(r.out); why != "" {
				t.Errorf("%v: stdout has a %s", args, why)
			}
			if why := terminalUnsafe(r.err); why != "" {
				t.Errorf("%v: stderr has a %s", args, why)
			}
			// The second run of vote and delete fails (voted, deleted): its
			// error message is checked too.
			if r.code != 0 && (color == "never" || args[0] != "vote" && args[0] != "delete") && args[len(args)-1] != "99999999" {
				t.Errorf("%v: exit %d: %s", args, r.code, r.err)
			}
		}
	}
}

// TestServerNamesInFilePaths: a user name chosen by the server names the
// credential file and the export directory, and must not lead outside the
// config or working directory, or make a hidden file (issue 18.8).
func TestServerNamesInFilePaths(t *testing.T) {
	for _, username := range []string{"../../../../victim/pwn", "..", ".hidden", `a\b`, "x\x1b]0;t\x07"} {
		t.Run(strconv.Quote(username), func(t *testing.T) {
			h := newHarness(t)
			h.dir = filepath.Join(t.TempDir(), "config")
			acc := h.srv.CreateAccount(username)
			h.srv.AuthorizeAs(acc.ID)
			h.open = browser(t)
			work := filepath.Join(t.TempDir(), "work", "dir")
			if err := os.MkdirAll(work, 0o700); err != nil {
				t.Fatal(err)
			}
			t.Chdir(work)
			r := h.run("login", h.srv.URL).mustOK(t)
			if why := terminalUnsafe(r.out + r.err); why != "" {
				t.Errorf("login printed a %s", why)
			}
			entries, _ := os.ReadDir(filepath.Join(h.dir, "accounts"))
			if len(entries) != 1 {
				t.Fatalf("accounts directory holds %d entries, want 1", len(entries))
			}
			if n := entries[0].Name(); strings.HasPrefix(n, ".") || strings.ContainsAny(n, "/\\\x1b\x07") {
				t.Errorf("credential file name %q", n)
			}
			h.run("whoami").mustOK(t)
			h.run("export", "statuses").mustOK(t)
			dirs, _ := os.ReadDir(work)
			if len(dirs) != 1 || !dirs[0].IsDir() || !strings.HasPrefix(dirs[0].Name(), "tusk-export-") || strings.ContainsAny(dirs[0].Name(), "/\\\x1b\x07") {
				t.Fatalf("working directory holds %v, want one tusk-export-… directory", dirs)
			}
			if _, err := os.Stat(filepath.Join(work, dirs[0].Name(), "statuses.jsonl")); err != nil {
				t.Error(err)
			}
			// Nothing anywhere else.
			for _, d := range []string{filepath.Dir(work), filepath.Dir(h.dir)} {
				all, _ := os.ReadDir(d)
				if len(all) != 1 {
					t.Errorf("%s holds %d entries, want 1", d, len(all))
				}
			}
		})
	}
}

func TestShellArg(t *testing.T) {
	for in, want := range map[string]string{
		"109876543210":  "109876543210",
		"abc_DEF-1.2":   "abc_DEF-1.2",
		"":              "''",
		"1; rm -rf ~":   "'1; rm -rf ~'",
		"it's":          `'it'\''s'`,
		"$(touch x)`y`": "'$(touch x)`y`'",
	} {
		if got := shellArg(in); got != want {
			t.Errorf("shellArg(%q) = %q, want %q", in, got, want)
		}
	}
}

// FuzzFileName: whatever a server calls its user, the file name made from
// it is one visible path element, and reads back as the same name.
func FuzzFileName(f *testing.F) {
	for _, s := range []string{"alice@mastodon.social", "bob@127.0.0.1:3000", "../../../../victim/pwn", "..", ".x", "a\\b", "x\x1b]0;t\x07", "\xff", "%41", "a+b"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, name string) {
		fn := fileName(name)
		if fn == "" && name != "" || fn == "." || fn == ".." || strings.HasPrefix(fn, ".") || strings.ContainsAny(fn, "/\\\x00") || terminalUnsafe(fn) != "" {
			t.Fatalf("fileName(%q) = %q", name, fn)
		}
		if back, ok := nameOfFile(fn); !ok || back != name {
			t.Fatalf("nameOfFile(fileName(%q)) = %q, %v", name, back, ok)
		}
	})
}

// TestStatusAmplification: a status cannot make tusk print much more than
// it holds: nested quotes add no marks past a depth, the text is cut at a
// bound, and replies in a long thread are indented no further than a
// bound (issue 18.9).
func TestStatusAmplification(t *testing.T) {
	var b bytes.Buffer
	p := newPrinter(&b, false, true, time.Now)
	const depth, lines = 3000, 400
	bomb := strings.Repeat("<blockquote>", depth) + strings.Repeat("x<br>", lines) + strings.Repeat("</blockquote>", depth)
	st := &mastodon.Status{ID: "1", Content: bomb, Account: mastodon.Account{Acct: "evil"}}
	if err := p.Status(st); err != nil {
		t.Fatal(err)
	}
	if b.Len() > 4*len(bomb) {
		t.Errorf("a %d-byte status printed %d bytes", len(bomb), b.Len())
	}

	b.Reset()
	a := newApp(Env{Stdout: &b})
	a.p = p
	root := mastodon.Status{ID: "r", Account: mastodon.Account{Acct: "a"}, Content: "<p>root</p>"}
	var chain []mastodon.Status
	parent := "r"
	for i := range 500 {
		id := "c" + strconv.Itoa(i)
		chain = append(chain, mastodon.Status{ID: id, InReplyToID: &parent, Account: mastodon.Account{Acct: "a"}, Content: "<p>reply</p>"})
		parent = id
	}
	if err := a.showThread(&root, &mastodon.Context{Descendants: chain}); err != nil {
		t.Fatal(err)
	}
	for _, l := range strings.Split(b.String(), "\n") {
		if n := len(l) - len(strings.TrimLeft(l, " ")); n > 2*maxThreadIndent+2 {
			t.Fatalf("a reply indented by %d spaces: %q", n, l)
		}
	}
}

// TestHostileStreamEvents: stream events whose every string carries
// escapes print safely, as text and as JSON (the stream command is not
// run through the proxy: its URL comes from the poisoned instance).
func TestHostileStreamEvents(t *testing.T) {
	h := newHarness(t)
	_, tok := h.srv.CreateUser("alice")
	_, bobTok := h.srv.CreateUser("bob")
	ac, bc := mastodontest.NewClient(h.srv, tok), mastodontest.NewClient(h.srv, bobTok)
	var raw json.RawMessage
	bc.JSON(t, 200, "POST", "/api/v1/statuses", url.Values{"status": {"@alice vote?"}, "poll[options][]": {"yes", "no"}, "poll[expires_in]": {"3600"}}, &raw)
	var st mastodon.Status
	if err := json.Unmarshal(poisonJSON(raw), &st); err != nil {
		t.Fatal(err)
	}
	var notes []json.RawMessage
	ac.JSON(t, 200, "GET", "/api/v1/notifications", nil, &notes)
	if len(notes) == 0 {
		t.Fatal("no notification to poison")
	}
	var n mastodon.Notification
	if err := json.Unmarshal(poisonJSON(notes[0]), &n); err != nil {
		t.Fatal(err)
	}
	meta := mastodon.EventMeta{Stream: []string{"user" + evil}}
	events := []mastodon.Event{
		&mastodon.UpdateEvent{EventMeta: meta, Status: &st},
		&mastodon.StatusUpdateEvent{EventMeta: meta, Status: &st},
		&mastodon.NotificationEvent{EventMeta: meta, Notification: &n},
		&mastodon.DeleteEvent{EventMeta: meta, ID: "1" + evil},
		&mastodon.UnknownEvent{EventMeta: meta, Event: "odd" + evil, Payload: []byte("text" + evil)},
		&mastodon.UnknownEvent{EventMeta: meta, Event: "odd", Payload: []byte(`{"a":"` + strings.ReplaceAll(evil, "\x1b", `\u001b`) + `\u009b"}`)},
	}
	for _, jsonOut := range []bool{false, true} {
		for _, color := range []bool{false, true} {
			var b bytes.Buffer
			a := newApp(Env{Stdout: &b})
			a.jsonOut = jsonOut
			a.p = newPrinter(&b, jsonOut, color, time.Now)
			for _, ev := range events {
				if err := a.showEvent(ev); err != nil {
					t.Fatal(err)
				}
			}
			if why := terminalUnsafe(b.String()); why != "" {
				t.Errorf("json %v colour %v: %s", jsonOut, color, why)
			}
			if !strings.Contains(b.String(), "vote?") {
				t.Errorf("json %v colour %v: the status text is missing:\n%s", jsonOut, color, b.String())
			}
		}
	}
}

package cli

import (
	"context"
	"net"
	"strings"
	"testing"

	"github.com/tuskgo/mastodon/mastodontest"
)

// wantErr checks a failed run's exit status and that its message holds
// every want and none of the library's or parsers' wording.
func wantErr(t *testing.T, r result, code int, want ...string) {
	t.Helper()
	if r.code != code {
		t.Errorf("exit %d, want %d; stderr %q", r.code, code, r.err)
	}
	for _, w := range want {
		if !strings.Contains(r.err, w) {
			t.Errorf("stderr lacks %q: %q", w, r.err)
		}
	}
	for _, bad := range []string{"strconv.", "arg(s)", "Did you mean this", "WithInsecureHTTP", "NewClient", "mastodon:"} {
		if strings.Contains(r.err, bad) {
			t.Errorf("stderr shows library wording %q: %q", bad, r.err)
		}
	}
}

// TestExitCodes: the exit status follows the table in 'tusk --help'.
func TestExitCodes(t *testing.T) {
	h := newHarness(t)
	_, tok := h.login("alice")
	bob, bobTok := h.srv.CreateUser("bob")
	bobs := mastodontest.NewClient(h.srv, bobTok).PostStatus(t, "bob's words")["id"].(string)

	// A missing local file is a mistake on the command line, not
	// something missing on the server; nothing is sent.
	before := h.srv.Requests()
	wantErr(t, h.run("post", "x", "--media", "nope.png"), ExitUsage, "--media nope.png: there is no such file")
	wantErr(t, h.run("media", "upload", t.TempDir()), ExitUsage, "is a directory")
	if n := h.srv.Requests() - before; n != 0 {
		t.Errorf("%d requests sent for a missing file", n)
	}
	// A status address that the server cannot find is "not found".
	wantErr(t, h.run("fav", "https://elsewhere.example/@x/404404"), ExitNotFound, "https://elsewhere.example/@x/404404: your server could not find the status")
	wantErr(t, h.run("fav", "424242"), ExitNotFound, "424242: not found")
	// Someone else's status: say so, not "not found".
	wantErr(t, h.run("delete", bobs), ExitError, bobs+": that status is @bob's, not yours: only your own statuses can be deleted")
	wantErr(t, h.run("post", "--edit", bobs, "mine now"), ExitError, "--edit "+bobs+": that status is @bob's, not yours: only your own statuses can be edited")
	// The argument at fault is named.
	wantErr(t, h.run("post", "--reply-to", "424242", "hi"), ExitNotFound, "--reply-to 424242: not found")
	_ = bob

	// A server that is down is "unavailable, try later" (5).
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	down := "http://" + ln.Addr().String()
	ln.Close()
	h.env["TUSK_SERVER"], h.env["TUSK_ACCESS_TOKEN"] = down, tok
	wantErr(t, h.run("whoami"), ExitLimited, "the server is unavailable", "connection refused")
}

// TestInputValidation: every enumerated flag is checked before anything
// is sent, and parser wording is replaced by what the flag wants.
func TestInputValidation(t *testing.T) {
	h := newHarness(t)
	h.login("alice")
	before := h.srv.Requests()
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"notifications", "--type", "bogus"}, `--type "bogus": not a kind of notification; use `},
		{[]string{"notifications", "--exclude", "mention,favorite"}, `--exclude "favorite": not a kind`},
		{[]string{"timeline", "home", "--limit", "abc"}, `--limit wants a whole number, not "abc"`},
		{[]string{"post", "x", "--poll", "a", "--poll", "b", "--poll-expires", "soon"}, `--poll-expires wants a duration such as 30m, 24h or 1h30m, not "soon"`},
		{[]string{"post", "x", "--visibility", "friends"}, "--visibility must be public, unlisted, private or direct"},
		{[]string{"search", "x", "--type", "posts"}, "--type must be accounts, hashtags or statuses"},
		{[]string{"fav"}, "missing argument; usage: tusk fav STATUS_ID..."},
		{[]string{"whoami", "extra"}, `"extra" is not an argument of 'tusk whoami'`},
		{[]string{"media", "uplaod", "x.png"}, `"uplaod" is not an argument of 'tusk media'; did you mean 'tusk media upload'?`},
		{[]string{"favv", "1"}, `there is no command "favv". Did you mean 'tusk fav'?`},
		{[]string{"export", "tweets"}, `cannot export "tweets"`},
		{[]string{"export", "--format", "xml"}, "--format must be jsonl or csv"},
		{[]string{"post", "x", "--lang", "english"}, `--lang "english": give a language code`},
		{[]string{"login", "x.example", "--scopes", "read,wirte"}, `--scopes: "wirte" is not an OAuth scope`},
		{[]string{"stream", "user", "--transport", "carrier-pigeon"}, "--transport must be auto, websocket or sse"},
	} {
		wantErr(t, h.run(tt.args...), ExitUsage, tt.want)
	}
	if n := h.srv.Requests() - before; n != 0 {
		t.Errorf("%d requests sent for bad command lines", n)
	}
	r := h.run("notifications", "--type", "mention", "--exclude", "follow").mustOK(t)
	if !strings.Contains(r.err, "(nothing to show)") {
		t.Errorf("valid kinds: %q", r.err)
	}
}

// TestServerAddresses: a bare loopback host:port (what 'tusk serve'
// prints, minus the scheme) is tried over http; a plain http address
// elsewhere, an https address of an http server and the environment half
// set get messages that say what to write.
func TestServerAddresses(t *testing.T) {
	h := newHarness(t)
	_, tok := h.srv.CreateUser("alice", mastodontest.DisplayName("Alice"))
	hostPort := strings.TrimPrefix(h.srv.URL, "http://")

	h.env["TUSK_SERVER"], h.env["TUSK_ACCESS_TOKEN"] = hostPort, tok
	if r := h.run("whoami").mustOK(t); !strings.Contains(r.out, "Alice @alice") {
		t.Errorf("whoami over host:port: %q", r.out)
	}
	h.env["TUSK_SERVER"] = "https://" + hostPort
	wantErr(t, h.run("whoami"), ExitError, "did not answer in HTTPS", "http://HOST:PORT")
	h.env["TUSK_SERVER"] = "http://mastodon.example"
	wantErr(t, h.run("whoami"), ExitUsage, "plain http:// only for servers on this computer", "https://")

	// A token without a server is refused, not sent to the saved account's
	// server, and the other way round.
	h.login("bob")
	h.env["TUSK_SERVER"] = ""
	wantErr(t, h.run("whoami"), ExitUsage, "TUSK_ACCESS_TOKEN is set but TUSK_SERVER is not")
	h.env["TUSK_SERVER"], h.env["TUSK_ACCESS_TOKEN"] = h.srv.URL, ""
	wantErr(t, h.run("whoami"), ExitUsage, "TUSK_SERVER is set but TUSK_ACCESS_TOKEN is not")
	h.env["TUSK_SERVER"] = ""
	if r := h.run("whoami").mustOK(t); !strings.Contains(r.out, "@bob") {
		t.Errorf("saved account: %q", r.out)
	}

	// tusk login with a bare host:port.
	h.srv.AuthorizeAs(h.srv.CreateAccount("carol").ID)
	h.open = browser(t)
	if r := h.run("login", hostPort).mustOK(t); !strings.Contains(r.out, "Logged in as @carol") {
		t.Errorf("login host:port: %q", r.out)
	}
}

// TestSmallWording: counts agree with their nouns, --no-browser does not
// announce a browser, and serve labels what it prints.
func TestSmallWording(t *testing.T) {
	h := newHarness(t)
	h.login("alice")
	bob, bobTok := h.srv.CreateUser("bob")
	mastodontest.NewClient(h.srv, bobTok).PostStatus(t, "one post")
	h.run("follow", "@bob").mustOK(t)
	r := h.run("search", "bob").mustOK(t)
	if !strings.Contains(r.out, "1 follower ·") || strings.Contains(r.out, "1 followers") {
		t.Errorf("search: %q", r.out)
	}
	h.env["TUSK_SERVER"], h.env["TUSK_ACCESS_TOKEN"] = h.srv.URL, bobTok
	r = h.run("whoami").mustOK(t)
	if !strings.Contains(r.out, "1 post · 0 following · 1 follower") {
		t.Errorf("whoami: %q", r.out)
	}
	_ = bob
	delete(h.env, "TUSK_SERVER")
	delete(h.env, "TUSK_ACCESS_TOKEN")

	h.srv.AuthorizeAs(h.srv.CreateAccount("carol").ID)
	opened := false
	h.open = func(u string) error { opened = true; return browser(t)(u) }
	h.ready = func(u string) { _ = browser(t)(u) }
	r = h.run("login", "--no-browser", h.srv.URL).mustOK(t)
	if opened || strings.Contains(r.err, "Opening") || !strings.Contains(r.err, "Open this address in a browser") {
		t.Errorf("--no-browser: opened %v, stderr %q", opened, r.err)
	}
}

func TestServeShowCredentials(t *testing.T) {
	h := newHarness(t)
	ctx, cancel := context.WithCancel(t.Context())
	h.ready = func(string) { cancel() }
	r := h.runCtx(ctx, "serve", "--addr", "127.0.0.1:0", "--users", "alice", "--show-credentials").mustOK(t)
	if strings.Contains(r.out, "password password") || !strings.Contains(r.out, "password: ") || !strings.Contains(r.out, "TUSK_ACCESS_TOKEN=") || !strings.Contains(r.out, "--username NAME' picks another") {
		t.Errorf("serve --show-credentials:\n%s", r.out)
	}
}

// TestLoginChoosesAccount: against 'tusk serve', which signs every browser
// login in as its first account, --username picks another one by its
// password.
func TestLoginChoosesAccount(t *testing.T) {
	h := newHarness(t)
	ctx, cancel := context.WithCancel(t.Context())
	var login, wrong result
	h.ready = func(url string) {
		defer cancel()
		other := *h
		other.ready = nil
		other.stdin = strings.NewReader("password\n")
		login = other.run("login", strings.TrimPrefix(url, "http://"), "--username", "bob")
		other.stdin = strings.NewReader("nope\n")
		wrong = other.run("login", url, "--username", "alice")
	}
	h.runCtx(ctx, "serve", "--addr", "127.0.0.1:0", "--users", "alice,bob", "--password-grant").mustOK(t)
	login.mustOK(t)
	if !strings.Contains(login.out, "Logged in as @bob") || strings.Contains(login.out+login.err, "password") {
		t.Errorf("login --username bob: %q %q", login.out, login.err)
	}
	wantErr(t, wrong, ExitAuth, `the server refused the name "alice" or its password`)
	if strings.Contains(wrong.err, "nope") {
		t.Errorf("the password was echoed: %q", wrong.err)
	}
	names, def, err := newApp(Env{ConfigDir: h.dir}).savedAccounts()
	if err != nil || len(names) != 1 || !strings.HasPrefix(def, "bob@127.0.0.1:") {
		t.Errorf("saved accounts %v, default %q, %v", names, def, err)
	}
	wantErr(t, h.run("login", "x.example", "--username", "bob", "--oob"), ExitUsage, "cannot be combined")
}

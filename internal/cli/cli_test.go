package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/spf13/cobra"
	"github.com/tuskgo/mastodon"
	"github.com/tuskgo/mastodon/credfile"
	"github.com/tuskgo/mastodon/mastodontest"
)

// syncBuffer is a bytes.Buffer safe for a command writing while a test reads.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// harness runs tusk commands against a mastodontest server with a
// temporary config directory.
type harness struct {
	t     *testing.T
	srv   *mastodontest.Server
	dir   string
	env   map[string]string
	stdin io.Reader
	open  func(string) error
	ready func(string)
	now   func() time.Time
	// sleep replaces the command's waits (export's rate-limit waits).
	sleep func(context.Context, time.Duration) error
	// term makes the command see a terminal on stdout and stderr.
	term bool
}

func newHarness(t *testing.T) *harness {
	t.Helper()
	return &harness{t: t, srv: mastodontest.NewTestServer(t), dir: t.TempDir(), env: map[string]string{}}
}

type result struct {
	out, err string
	code     int
}

func (h *harness) run(args ...string) result {
	h.t.Helper()
	return h.runCtx(h.t.Context(), args...)
}

func (h *harness) runCtx(ctx context.Context, args ...string) result {
	h.t.Helper()
	return h.runWithClient(ctx, nil, args...)
}

func (h *harness) runWithClient(ctx context.Context, hc *http.Client, args ...string) result {
	h.t.Helper()
	var out, errb syncBuffer
	env := Env{
		Stdin:       h.stdin,
		Stdout:      &out,
		Stderr:      &errb,
		Getenv:      func(k string) string { return h.env[k] },
		ConfigDir:   h.dir,
		Now:         h.now,
		Sleep:       h.sleep,
		OpenBrowser: h.open,
		Ready:       h.ready,
		Retry:       &mastodon.RetryPolicy{},
		HTTPClient:  hc,
	}
	if env.OpenBrowser == nil {
		env.OpenBrowser = func(string) error { return nil }
	}
	if h.term {
		env.IsTerminal = func(w io.Writer) bool { return w == &out || w == &errb }
	}
	code := Main(ctx, env, args)
	return result{out.String(), errb.String(), code}
}

func (r result) mustOK(t *testing.T) result {
	t.Helper()
	if r.code != 0 {
		t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", r.code, r.out, r.err)
	}
	return r
}

// login saves an account for username (created if needed) with a token
// made by the server, as 'tusk login' would save it.
func (h *harness) login(username string, opts ...mastodontest.AccountOption) (mastodontest.Account, string) {
	h.t.Helper()
	acc, tok := h.srv.CreateUser(username, opts...)
	a := newApp(Env{ConfigDir: h.dir})
	if err := a.saveAccount(accountName(acc.Username, h.srv.URL), &credfile.User{AccessToken: tok, BaseURL: h.srv.URL}, false); err != nil {
		h.t.Fatal(err)
	}
	return acc, tok
}

// browser plays the user's browser: it opens the authorization URL, stops
// at the redirect and follows it to the loopback callback.
func browser(t *testing.T) func(string) error {
	return func(u string) error {
		go func() {
			hc := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
			resp, err := hc.Get(u)
			if err != nil {
				t.Errorf("browser: %v", err)
				return
			}
			resp.Body.Close()
			loc, err := resp.Location()
			if err != nil {
				t.Errorf("browser: no redirect: %v", resp.Status)
				return
			}
			resp, err = hc.Get(loc.String())
			if err != nil {
				t.Errorf("browser: callback: %v", err)
				return
			}
			resp.Body.Close()
		}()
		return nil
	}
}

func decodeLines(t *testing.T, s string) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, l := range strings.Split(strings.TrimSpace(s), "\n") {
		if l == "" {
			continue
		}
		var m map[string]any
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Fatalf("not a JSON line: %q: %v", l, err)
		}
		out = append(out, m)
	}
	return out
}

func TestDemo(t *testing.T) {
	h := newHarness(t)
	r := h.run("demo").mustOK(t)
	for _, want := range []string{
		"in-memory Mastodon server",
		"c.Apps.Create",
		"c.OAuth.AuthorizeURL",
		"state checked",
		"c.OAuth.ExchangeCode",
		"logged in as Alice @alice",
		"following Bob @bob",
		"c.Streaming.User → connected",
		"c.Media.Upload",
		"[image] An ivory tusk",
		"Which language for your next bot?",
		"[poll]",
		"update event: status",
		"notification event: Bob @bob favourited your post",
		"notification event: Bob @bob mentioned you",
		"100% (1)",
		"page 1:",
		"page 2:",
		"c.Statuses.Delete",
		"c.OAuth.Revoke",
		"Done",
	} {
		if !strings.Contains(r.out, want) {
			t.Errorf("demo output lacks %q:\n%s", want, r.out)
		}
	}
	if strings.Contains(r.out, "\x1b") {
		t.Errorf("demo printed escape sequences without a terminal:\n%q", r.out)
	}
}

func TestHelp(t *testing.T) {
	h := newHarness(t)
	r := h.run("--help").mustOK(t)
	for _, want := range []string{"tusk demo", "Getting started:", "login", "whoami", "Exit status"} {
		if !strings.Contains(r.out, want) {
			t.Errorf("help lacks %q:\n%s", want, r.out)
		}
	}
	root := newApp(Env{}).rootCmd()
	var all []*cobra.Command
	var walk func(*cobra.Command)
	walk = func(c *cobra.Command) {
		for _, sub := range c.Commands() {
			all = append(all, sub)
			walk(sub)
		}
	}
	walk(root)
	for _, c := range all {
		path := strings.Fields(strings.TrimPrefix(c.CommandPath(), "tusk "))
		r := h.run(append(path, "--help")...).mustOK(t)
		want := c.Short
		if c.Long != "" {
			want, _, _ = strings.Cut(c.Long, "\n")
		}
		if !strings.Contains(r.out, "Usage:") || !strings.Contains(r.out, want) {
			t.Errorf("%s --help:\n%s", c.Name(), r.out)
		}
		if !strings.Contains(c.Example, "tusk ") || !strings.Contains(r.out, "Examples:") {
			t.Errorf("%s: no example in its help", c.CommandPath())
		}
		if c.Short == "" || strings.HasSuffix(c.Short, ".") {
			t.Errorf("%s: short help %q should be a phrase without a full stop", c.Name(), c.Short)
		}
	}
}

func TestCompletion(t *testing.T) {
	h := newHarness(t)
	for _, sh := range []string{"bash", "zsh", "fish", "powershell"} {
		r := h.run("completion", sh).mustOK(t)
		if !strings.Contains(r.out, "tusk") || len(r.out) < 500 {
			t.Errorf("completion %s: %.200q", sh, r.out)
		}
	}
	// Timeline kinds complete.
	r := h.run("__complete", "timeline", "")
	if !strings.Contains(r.out, "home") || !strings.Contains(r.out, "public") {
		t.Errorf("completing 'timeline ': %q", r.out)
	}
}

func TestUsageErrors(t *testing.T) {
	h := newHarness(t)
	for _, args := range [][]string{{"nosuchcommand"}, {"whoami", "--nosuchflag"}, {"whoami", "extra"}, {"login"}, {"--color", "pink", "whoami"}} {
		r := h.run(args...)
		if r.code != ExitUsage {
			t.Errorf("%v: exit %d, want %d (stderr %q)", args, r.code, ExitUsage, r.err)
		}
		if !strings.HasPrefix(r.err, "tusk: ") {
			t.Errorf("%v: stderr %q", args, r.err)
		}
	}
}

func TestLoginLoopback(t *testing.T) {
	h := newHarness(t)
	alice := h.srv.CreateAccount("alice", mastodontest.DisplayName("Alice"))
	h.srv.AuthorizeAs(alice.ID)
	h.open = browser(t)
	r := h.run("login", h.srv.URL).mustOK(t)
	name := accountName("alice", h.srv.URL)
	if !strings.Contains(r.out, "Logged in as Alice @alice") || !strings.Contains(r.out, name) {
		t.Errorf("login output:\n%s", r.out)
	}
	file := accountFile(h.dir, name)
	st, err := os.Stat(file)
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != 0o600 {
		t.Errorf("credential file mode %v, want 0600", st.Mode().Perm())
	}
	cred, err := credfile.ReadUser(file)
	if err != nil {
		t.Fatal(err)
	}
	if cred.BaseURL != h.srv.URL || cred.AccessToken == "" || cred.ClientID == "" || cred.ClientSecret == "" {
		t.Errorf("saved credentials: %v", cred)
	}
	if strings.Contains(r.out+r.err, cred.AccessToken) || strings.Contains(r.out+r.err, cred.ClientSecret) {
		t.Error("login printed a secret")
	}
	if def, _ := os.ReadFile(filepath.Join(h.dir, "default")); strings.TrimSpace(string(def)) != name {
		t.Errorf("default account = %q, want %q", def, name)
	}

	r = h.run("whoami").mustOK(t)
	if !strings.Contains(r.out, "Alice @alice") {
		t.Errorf("whoami:\n%s", r.out)
	}
	r = h.run("whoami", "--json").mustOK(t)
	lines := decodeLines(t, r.out)
	if len(lines) != 1 || lines[0]["acct"] != "alice" || lines[0]["source"] == nil {
		t.Errorf("whoami --json: %s", r.out)
	}

	r = h.run("logout").mustOK(t)
	if !strings.Contains(r.out, "revoked") {
		t.Errorf("logout: %s", r.out)
	}
	if _, err := os.Stat(file); !os.IsNotExist(err) {
		t.Errorf("credential file still there: %v", err)
	}
	code, _, _, _ := mastodontest.NewClient(h.srv, cred.AccessToken).Do("GET", "/api/v1/accounts/verify_credentials", nil)
	if code != http.StatusUnauthorized {
		t.Errorf("revoked token answered %d, want 401", code)
	}
	r = h.run("whoami")
	if r.code != ExitAuth || !strings.Contains(r.err, "tusk login") {
		t.Errorf("whoami after logout: exit %d, %q", r.code, r.err)
	}
}

func TestLoginOOB(t *testing.T) {
	h := newHarness(t)
	bob := h.srv.CreateAccount("bob")
	h.srv.AuthorizeAs(bob.ID)
	pr, pw := io.Pipe()
	h.stdin = pr
	h.open = func(u string) error {
		go func() {
			hc := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
			resp, err := hc.Get(u)
			if err != nil {
				t.Errorf("browser: %v", err)
				return
			}
			resp.Body.Close()
			loc, _ := resp.Location()
			io.WriteString(pw, loc.Query().Get("code")+"\n")
		}()
		return nil
	}
	r := h.run("login", "--oob", h.srv.URL).mustOK(t)
	if !strings.Contains(r.out, "@bob") || !strings.Contains(r.err, "paste the code") {
		t.Errorf("stdout:\n%s\nstderr:\n%s", r.out, r.err)
	}
	h.run("whoami").mustOK(t)
}

func TestLoginIgnoresWrongState(t *testing.T) {
	h := newHarness(t)
	alice := h.srv.CreateAccount("alice")
	h.srv.AuthorizeAs(alice.ID)
	real := browser(t)
	h.open = func(u string) error {
		// A forged callback first: it must be refused and not end the login.
		hc := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
		resp, err := hc.Get(u)
		if err != nil {
			return err
		}
		resp.Body.Close()
		loc, _ := resp.Location()
		q := loc.Query()
		q.Set("state", "forged")
		loc.RawQuery = q.Encode()
		resp, err = hc.Get(loc.String())
		if err != nil {
			return err
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusBadRequest {
			t.Errorf("forged state answered %d", resp.StatusCode)
		}
		return real(u)
	}
	h.run("login", h.srv.URL).mustOK(t)
}

func TestLoginDenied(t *testing.T) {
	h := newHarness(t)
	h.srv.CreateAccount("alice")
	h.open = browser(t)
	r := h.run("login", "--scopes", "admin:nonsense", h.srv.URL)
	if r.code == 0 || !strings.Contains(r.err, "tusk: ") {
		t.Errorf("exit %d, stderr %q", r.code, r.err)
	}
}

func TestNotLoggedIn(t *testing.T) {
	h := newHarness(t)
	r := h.run("whoami")
	if r.code != ExitAuth || !strings.Contains(r.err, "tusk login") || !strings.Contains(r.err, "tusk demo") {
		t.Errorf("exit %d, stderr %q", r.code, r.err)
	}
}

func TestSeveralAccounts(t *testing.T) {
	h := newHarness(t)
	h.login("alice")
	h.login("bob")
	r := h.run("accounts").mustOK(t)
	if !strings.Contains(r.out, "* alice@") || !strings.Contains(r.out, "  bob@") {
		t.Errorf("accounts:\n%s", r.out)
	}
	if r := h.run("-a", "bob", "whoami").mustOK(t); !strings.Contains(r.out, "@bob") {
		t.Errorf("whoami -a bob:\n%s", r.out)
	}
	h.run("accounts", "use", "bob").mustOK(t)
	if r := h.run("whoami").mustOK(t); !strings.Contains(r.out, "@bob") {
		t.Errorf("whoami after 'accounts use bob':\n%s", r.out)
	}
	if r := h.run("-a", "carol", "whoami"); r.code != ExitAuth || !strings.Contains(r.err, "no saved account") {
		t.Errorf("unknown account: exit %d %q", r.code, r.err)
	}
}

func TestEnvironmentToken(t *testing.T) {
	h := newHarness(t)
	_, tok := h.srv.CreateUser("carol")
	h.env["TUSK_SERVER"] = h.srv.URL
	h.env["TUSK_ACCESS_TOKEN"] = tok
	if r := h.run("whoami").mustOK(t); !strings.Contains(r.out, "@carol") {
		t.Errorf("whoami:\n%s", r.out)
	}
}

func TestErrorsSaySomethingUseful(t *testing.T) {
	h := newHarness(t)
	_, tok := h.login("alice")

	h.srv.SetRateLimitRemaining(tok, 0)
	r := h.run("whoami")
	if r.code != ExitLimited || !strings.Contains(r.err, "rate limited") || !strings.Contains(r.err, "until") {
		t.Errorf("rate limited: exit %d, %q", r.code, r.err)
	}
	h.srv.SetRateLimitRemaining(tok, 300)

	h.srv.InjectFault(mastodontest.Fault{Status: http.StatusBadGateway})
	r = h.run("whoami")
	if r.code != ExitLimited || !strings.Contains(r.err, "502") || !strings.Contains(r.err, "Try again") {
		t.Errorf("502: exit %d, %q", r.code, r.err)
	}

	mastodontest.NewClient(h.srv, tok).Do("POST", "/oauth/revoke", nil) // may not revoke without app creds
	h.srv.Reset()
	r = h.run("whoami")
	if r.code != ExitAuth || !strings.Contains(r.err, "Log in again") {
		t.Errorf("unknown token: exit %d, %q", r.code, r.err)
	}
	if strings.Contains(r.err, tok) {
		t.Error("error shows the token")
	}
}

func TestServerTextIsSanitised(t *testing.T) {
	h := newHarness(t)
	h.login("eve", mastodontest.DisplayName("\x1b]0;pwned\x07Eve\x1b[2J\u202e"), mastodontest.Note("hi\x1b[31m red\u009b1m"))
	for _, args := range [][]string{{"whoami"}, {"whoami", "--json"}, {"--color", "always", "whoami"}} {
		r := h.run(args...).mustOK(t)
		clean := r.out
		if args[0] == "--color" {
			clean = stripSGR(clean)
		}
		if strings.ContainsAny(clean, "\x1b\x07\u202e\u009b") {
			t.Errorf("%v printed control characters: %q", args, r.out)
		}
		if !strings.Contains(clean, "Eve") {
			t.Errorf("%v lost the text: %q", args, r.out)
		}
	}
}

// stripSGR removes the colour codes tusk itself writes.
func stripSGR(s string) string {
	for _, c := range []string{styleBold, styleDim, styleCyan, styleYellow, styleGreen, styleRed, styleBlue, "0"} {
		s = strings.ReplaceAll(s, "\x1b["+c+"m", "")
	}
	return s
}

func TestInstance(t *testing.T) {
	h := newHarness(t)
	r := h.run("instance", h.srv.URL).mustOK(t)
	if !strings.Contains(r.out, "Mastodon") || !strings.Contains(r.out, "sign-ups") {
		t.Errorf("instance:\n%s", r.out)
	}
	r = h.run("instance", "--json", h.srv.URL).mustOK(t)
	if l := decodeLines(t, r.out); len(l) != 1 || l[0]["version"] == nil {
		t.Errorf("instance --json: %s", r.out)
	}
}

func TestServe(t *testing.T) {
	h := newHarness(t)
	ctx, cancel := context.WithCancel(t.Context())
	var url string
	h.ready = func(u string) {
		url = u
		r := h.run("-a", "zed", "whoami")
		if r.code != 0 || !strings.Contains(r.out, "@zed") {
			t.Errorf("whoami against tusk serve: exit %d\n%s%s", r.code, r.out, r.err)
		}
		cancel()
	}
	r := h.runCtx(ctx, "serve", "--addr", "127.0.0.1:0", "--users", "zed", "--save").mustOK(t)
	if url == "" || !strings.Contains(r.out, "serving "+url) || !strings.Contains(r.out, "saved as zed@") {
		t.Errorf("serve:\n%s", r.out)
	}
}

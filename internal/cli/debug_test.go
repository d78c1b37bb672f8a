package cli

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/tuskgo/mastodon/credfile"
	"github.com/tuskgo/mastodon/mastodontest"
)

func TestDebugLogsRequestsNotCredentials(t *testing.T) {
	h := newHarness(t)
	alice := h.srv.CreateAccount("alice", mastodontest.DisplayName("Alice"))
	h.srv.AuthorizeAs(alice.ID)
	h.open = browser(t)
	var logs []string
	r := h.run("--debug", "login", h.srv.URL).mustOK(t)
	logs = append(logs, r.err)
	cred, err := credfile.ReadUser(accountFile(h.dir, accountName("alice", h.srv.URL)))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(r.err, "mastodon request") || !strings.Contains(r.err, "path=/oauth/token") || !strings.Contains(r.err, "status=200") {
		t.Errorf("--debug login logged no requests:\n%s", r.err)
	}

	r = h.run("--debug", "whoami", "--json").mustOK(t)
	logs = append(logs, r.err)
	if l := decodeLines(t, r.out); len(l) != 1 || l[0]["acct"] != "alice" {
		t.Errorf("--debug spoilt stdout: %q", r.out)
	}
	if !strings.Contains(r.err, "path=/api/v1/accounts/verify_credentials") {
		t.Errorf("whoami --debug:\n%s", r.err)
	}
	logs = append(logs, h.run("--debug", "post", "hello").mustOK(t).err)

	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	start, stop := poster(t, mastodontest.NewClient(h.srv, cred.AccessToken), "live")
	h.ready = start
	logs = append(logs, h.runCtx(ctx, "--debug", "stream", "user", "--count", "1").mustOK(t).err)
	stop()

	// A refused request and the revocation are logged too.
	h.srv.InjectFault(mastodontest.Fault{Status: 502})
	logs = append(logs, h.run("--debug", "whoami").err)
	logs = append(logs, h.run("--debug", "logout").mustOK(t).err)

	all := strings.Join(logs, "\n")
	for name, secret := range map[string]string{"access token": cred.AccessToken, "client secret": cred.ClientSecret} {
		if secret == "" || strings.Contains(all, secret) {
			t.Errorf("the %s (%q) is in the debug log (or empty)", name, secret)
		}
	}
	if !strings.Contains(all, "status=502") || !strings.Contains(all, "path=/oauth/revoke") {
		t.Errorf("debug log lacks the 502 or the revocation:\n%s", all)
	}
	if strings.ContainsAny(all, "\x1b\x07") {
		t.Errorf("control characters in the debug log")
	}
}

func TestDebugLoggerRedacts(t *testing.T) {
	var b syncBuffer
	a := newApp(Env{Stderr: &b})
	l := a.debugLogger()
	l.Debug("x", "access_token", "tok1", "Authorization", "Bearer tok2", "url", "https://h/oauth/token?code=tok3&x=1",
		"error", "Bearer tok4 refused", "body", "client_secret=tok5&grant_type=x", "server", "evil\x1b[2Jtext")
	out := b.String()
	for _, s := range []string{"tok1", "tok2", "tok3", "tok4", "tok5", "\x1b"} {
		if strings.Contains(out, s) {
			t.Errorf("%q in %q", s, out)
		}
	}
	if !strings.Contains(out, "x=1") || !strings.Contains(out, "grant_type=x") || !strings.Contains(out, "eviltext") && !strings.Contains(out, "evil") {
		t.Errorf("redaction took too much: %q", out)
	}
}

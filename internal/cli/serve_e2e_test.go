package cli

import (
	"context"
	"regexp"
	"strings"
	"testing"

	"github.com/tuskgo/mastodon/credfile"
)

func TestServeCredentialsOnlyWhenAsked(t *testing.T) {
	h := newHarness(t)
	run := func(args ...string) (result, string) {
		ctx, cancel := context.WithCancel(t.Context())
		var url string
		h.ready = func(u string) { url = u; cancel() }
		r := h.runCtx(ctx, append([]string{"serve", "--addr", "127.0.0.1:0", "--users", "zed"}, args...)...).mustOK(t)
		return r, url
	}
	r, url := run("--save")
	cred, err := credfile.ReadUser(accountFile(h.dir, accountName("zed", url)))
	if err != nil || cred.AccessToken == "" {
		t.Fatalf("saved credentials: %v", err)
	}
	if strings.Contains(r.out+r.err, cred.AccessToken) || strings.Contains(r.out, "TUSK_ACCESS_TOKEN") || strings.Contains(r.out, "password") {
		t.Errorf("serve printed a credential without --show-credentials:\n%s", r.out)
	}
	if !strings.Contains(r.out, "@zed") {
		t.Errorf("serve does not list the account:\n%s", r.out)
	}

	r, _ = run("--show-credentials")
	m := regexp.MustCompile(`TUSK_ACCESS_TOKEN=(\S+)`).FindStringSubmatch(r.out)
	if m == nil || !strings.Contains(r.out, "password ") {
		t.Errorf("--show-credentials printed no token:\n%s", r.out)
	}
}

// TestServeChosenCredentials: --token, --app, --public-url and
// --password-grant give a suite written for another server what it fixed.
func TestServeChosenCredentials(t *testing.T) {
	h := newHarness(t)
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	var checked bool
	h.ready = func(u string) {
		defer cancel()
		// The URL printed and reported is the public one.
		if u != "http://localhost:3999" {
			t.Errorf("ready URL = %s", u)
			return
		}
		checked = true
	}
	r := h.runCtx(ctx, "serve", "--addr", "127.0.0.1:0", "--users", "zed,amy", "--public-url", "http://localhost:3999",
		"--app", "cid:csecret", "--token", "amy=amy-fixed-token", "--password-grant", "--show-credentials").mustOK(t)
	if !checked {
		t.Fatal("serve never became ready")
	}
	if !strings.Contains(r.out, "TUSK_SERVER=http://localhost:3999 TUSK_ACCESS_TOKEN=amy-fixed-token") {
		t.Errorf("amy's chosen token not in:\n%s", r.out)
	}
	for _, bad := range [][]string{{"--token", "amy"}, {"--token", "nobody=x"}, {"--app", "only-id"}, {"--public-url", "localhost:3000"}} {
		res := h.run(append([]string{"serve", "--addr", "127.0.0.1:0", "--users", "amy"}, bad...)...)
		if res.code == 0 {
			t.Errorf("serve %v succeeded", bad)
		}
	}
}

// TestServeOutputForScripts pins the lines scripts/interop.sh reads from
// 'tusk serve --show-credentials': the URL actually served (a port 0 request
// resolved) and one token per account, on lines its sed patterns match.
func TestServeOutputForScripts(t *testing.T) {
	h := newHarness(t)
	ctx, cancel := context.WithCancel(t.Context())
	var served string
	h.ready = func(u string) { served = u; cancel() }
	r := h.runCtx(ctx, "serve", "--addr", "127.0.0.1:0", "--users", "alice,bob", "--show-credentials").mustOK(t)
	// The same patterns as the script's sed commands.
	urlLine := regexp.MustCompile(`(?m)^mastodontest is serving (http[^ ]*) `)
	tokLine := func(who string) *regexp.Regexp {
		return regexp.MustCompile(`(?m)^  @` + who + ` .*TUSK_ACCESS_TOKEN=([^ \n]*)`)
	}
	m := urlLine.FindStringSubmatch(r.out)
	if m == nil || m[1] != served || strings.HasSuffix(served, ":0") {
		t.Fatalf("serving line %q, want the served URL %q:\n%s", m, served, r.out)
	}
	if !strings.Contains(r.out, "Press Ctrl-C") {
		t.Errorf("no 'Press Ctrl-C' line, which the script waits for:\n%s", r.out)
	}
	toks := map[string]bool{}
	for _, who := range []string{"alice", "bob"} {
		m := tokLine(who).FindStringSubmatch(r.out)
		if m == nil || m[1] == "" || toks[m[1]] {
			t.Errorf("token line for %s: %q\n%s", who, m, r.out)
			continue
		}
		toks[m[1]] = true
	}
}

package cli

import (
	"context"
	"regexp"
	"strings"
	"testing"

	"github.com/tuskgo/mastodon"
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
	cred, err := mastodon.ReadUserCredentials(accountFile(h.dir, accountName("zed", url)))
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

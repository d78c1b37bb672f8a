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

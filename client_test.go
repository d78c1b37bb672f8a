package mastodon

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

func TestNewClientNormalisesServer(t *testing.T) {
	cases := map[string]string{
		"mastodon.social":            "https://mastodon.social",
		"https://Mastodon.Social/":   "https://mastodon.social",
		"https://example.com/sub//":  "https://example.com/sub",
		"http://localhost:3000":      "http://localhost:3000",
		"http://127.0.0.1:8080/":     "http://127.0.0.1:8080",
		"http://[::1]:9":             "http://[::1]:9",
		"  example.org  ":            "https://example.org",
		"HTTPS://example.org:8443/x": "https://example.org:8443/x",
	}
	for in, want := range cases {
		c, err := newScannedClient(in)
		if err != nil {
			t.Errorf("NewClient(%q): %v", in, err)
			continue
		}
		if c.BaseURL() != want {
			t.Errorf("NewClient(%q).BaseURL() = %q, want %q", in, c.BaseURL(), want)
		}
	}
}

func TestNewClientRejects(t *testing.T) {
	bad := []string{"", "http://mastodon.social", "ftp://x.org", "https://", "https://user:pw@x.org", "https://x.org/?a=b", "http://10.0.0.1"}
	for _, s := range bad {
		if _, err := newScannedClient(s); !errors.Is(err, ErrIllegalArgument) {
			t.Errorf("NewClient(%q) err = %v, want ErrIllegalArgument", s, err)
		}
	}
	if _, err := newScannedClient("http://example.org", WithInsecureHTTP()); err != nil {
		t.Errorf("WithInsecureHTTP: %v", err)
	}
	badOpts := []Option{
		WithAccessToken(""), WithAccessToken("a\nb"), WithClientCredentials("", "x"),
		WithHTTPClient(nil), WithUserAgent(""), WithTimeout(-1), WithRateLimit("sometimes"),
		WithPaceFactor(0), WithVersionCheck("maybe"), WithFeatureSet("misskey"), WithLanguage("german"),
		WithStreamingURL("not a url"), WithMaxResponseSize(0), WithRetryPolicy(RetryPolicy{MaxRetries: -1}),
		WithServerVersion("banana"), WithTokenSource(nil),
	}
	for i, o := range badOpts {
		if _, err := newScannedClient("example.org", o); !errors.Is(err, ErrIllegalArgument) {
			t.Errorf("bad option %d: err = %v, want ErrIllegalArgument", i, err)
		}
	}
}

func TestClientNeverPrintsSecrets(t *testing.T) {
	c, err := newScannedClient("example.org", WithAccessToken("tok-abcdef123"), WithClientCredentials("cid", "sec-xyz987"))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x"} {
		out := fmt.Sprintf(f, c)
		if strings.Contains(out, "tok-abcdef123") || strings.Contains(out, "sec-xyz987") {
			t.Errorf("%s of client leaks a secret: %s", f, out)
		}
		out = fmt.Sprintf(f, c.cfg)
		if strings.Contains(out, "tok-abcdef123") || strings.Contains(out, "sec-xyz987") {
			t.Errorf("%s of config leaks a secret: %s", f, out)
		}
	}
	c2, err := c.WithToken("other-token-1")
	if err != nil || !c2.HasToken() || c2.cfg.token != "other-token-1" || c.cfg.token != "tok-abcdef123" {
		t.Errorf("WithToken: %v", err)
	}
}

package mastodon

import (
	"errors"
	"net"
	"net/url"
	"strings"
	"testing"
)

// FuzzLinkCursor: whatever a Link "next" target holds, the request the
// next page would make goes to the client's own origin, or there is no
// request and the page carries the refusal.
func FuzzLinkCursor(f *testing.F) {
	for _, s := range []string{"x@evil.example/steal?max_id=1", ".evil.example/", "//evil.example/x", "?max_id=1",
		"../../x", "https://mastodon.example:443/a?b=c", "https://a@mastodon.example/", "https:evil", "\\\\evil.example/x",
		"/%2e%2e/%2e%2e/x", "https://mastodon.example%2eevil.example/", "http://[::1]:80/", "//mastodon.example:0/"} {
		f.Add(s)
	}
	c, err := newScannedClient("https://mastodon.example")
	if err != nil {
		f.Fatal(err)
	}
	reqURL, _ := url.Parse("https://mastodon.example/api/v1/timelines/home?limit=2")
	f.Fuzz(func(t *testing.T, link string) {
		resp := &Response{Links: []Link{{URL: link, Rel: "next"}}, reqURL: reqURL}
		nr := c.cursorReq(req{Method: "GET", Path: "/api/v1/timelines/home"}, resp, "next")
		if nr == nil {
			if link != "" {
				t.Fatalf("%q: no cursor", link)
			}
			return
		}
		if nr.Refused != nil {
			if !errors.Is(nr.Refused, ErrForeignOrigin) && !errors.Is(nr.Refused, ErrDecode) {
				t.Fatalf("%q: refused with %v", link, nr.Refused)
			}
			return
		}
		u, err := c.buildURL(nr, &callOptions{})
		if err != nil {
			return // an illegal argument; nothing is sent
		}
		if u.User != nil || urlOrigin(u) != "https://mastodon.example" {
			t.Fatalf("%q: the next page would go to %q", link, u.Redacted())
		}
	})
}

// FuzzStreamingHost: whatever an instance advertises, the stream goes to
// the server's own host or a subdomain of it, never over clear text from
// an https server off loopback.
func FuzzStreamingHost(f *testing.F) {
	for _, s := range [][2]string{{"alice.github.io", "wss://evil.github.io"}, {"10.0.0.5", "wss://99.0.0.5"},
		{"example.co.uk", "wss://a.example.co.uk:4000"}, {"x.fly.dev", "ws://y.fly.dev"}, {"mastodon.social", "wss://Streaming.Mastodon.Social."}} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, server, advertised string) {
		c, err := newScannedClient("https://" + server)
		if err != nil {
			return
		}
		got := c.adoptStreamingURL(advertised)
		u, err := url.Parse(got)
		if err != nil {
			t.Fatalf("%q for %s: unparseable %q", advertised, server, got)
		}
		h, s := strings.ToLower(u.Hostname()), strings.ToLower(c.base.Hostname())
		if hip, sip := net.ParseIP(h), net.ParseIP(s); (hip != nil || sip != nil) && !(hip != nil && sip != nil && hip.Equal(sip)) {
			t.Fatalf("%q for %s: streams from %q", advertised, server, got)
		}
		if h != s && !strings.HasSuffix(h, "."+s) {
			t.Fatalf("%q for %s: streams from %q", advertised, server, got)
		}
		if u.Scheme != "https" && !isLoopback(h) {
			t.Fatalf("%q for %s: streams in clear text from %q", advertised, server, got)
		}
	})
}

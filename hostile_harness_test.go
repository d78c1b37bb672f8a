package mastodon

import (
	"context"
	"crypto/tls"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
)

// hostileNet is the hostile-server suite's network: one TLS and one plain
// HTTP listener on loopback stand for every host on the internet. The
// client it hands out dials them whatever host and port a URL names, so a
// test can play the user's server, an attacker's host, a sibling domain or
// another port at once, and see every request each of them received.
// Nothing leaves the machine.
type hostileNet struct {
	t     testing.TB
	tls   *httptest.Server
	plain *httptest.Server

	mu    sync.Mutex
	hosts map[string]http.Handler // origin -> handler
	seen  []hostileReq
}

// hostileReq is one request a host received.
type hostileReq struct {
	Origin      string // e.g. "https://evil.example"
	Method      string
	Path        string // escaped path and query
	Auth        string // Authorization
	Subprotocol string // Sec-WebSocket-Protocol
	Body        string
}

func newHostileNet(t testing.TB) *hostileNet {
	n := &hostileNet{t: t, hosts: map[string]http.Handler{}}
	n.tls = httptest.NewUnstartedServer(http.HandlerFunc(n.serve))
	n.tls.StartTLS()
	n.plain = httptest.NewServer(http.HandlerFunc(n.serve))
	t.Cleanup(n.tls.Close)
	t.Cleanup(n.plain.Close)
	return n
}

// handle makes origin ("https://mastodon.example", "http://10.0.0.5:3000")
// answer with h. Origins without a handler answer 404, and are recorded
// like the others.
func (n *hostileNet) handle(origin string, h http.HandlerFunc) {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.hosts[origin] = h
}

func (n *hostileNet) serve(w http.ResponseWriter, r *http.Request) {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	origin := strings.ToLower(scheme + "://" + r.Host)
	origin = strings.TrimSuffix(strings.TrimSuffix(origin, ":443"), ":80")
	body, _ := io.ReadAll(r.Body)
	n.mu.Lock()
	n.seen = append(n.seen, hostileReq{Origin: origin, Method: r.Method, Path: r.URL.RequestURI(),
		Auth: r.Header.Get("Authorization"), Subprotocol: r.Header.Get("Sec-WebSocket-Protocol"), Body: string(body)})
	h := n.hosts[origin]
	n.mu.Unlock()
	if h == nil {
		http.NotFound(w, r)
		return
	}
	r.Body = io.NopCloser(strings.NewReader(string(body)))
	h.ServeHTTP(w, r)
}

// client returns an HTTP client whose connections all reach the two
// listeners: https URLs the TLS one, http URLs the plain one.
func (n *hostileNet) client() *http.Client {
	tlsAddr := n.tls.Listener.Addr().String()
	plainAddr := n.plain.Listener.Addr().String()
	var d net.Dialer
	tr := &http.Transport{
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			return d.DialContext(ctx, "tcp", plainAddr)
		},
		DialTLSContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			c, err := d.DialContext(ctx, "tcp", tlsAddr)
			if err != nil {
				return nil, err
			}
			host, _, _ := net.SplitHostPort(addr)
			// The listener's certificate names no test host; the suite is
			// about where requests go, not about certificates.
			tc := tls.Client(c, &tls.Config{ServerName: host, InsecureSkipVerify: true})
			if err := tc.HandshakeContext(ctx); err != nil {
				c.Close()
				return nil, err
			}
			return tc, nil
		},
		ForceAttemptHTTP2: false,
	}
	n.t.Cleanup(tr.CloseIdleConnections)
	return &http.Client{Transport: tr}
}

// requests returns what every host received so far.
func (n *hostileNet) requests() []hostileReq {
	n.mu.Lock()
	defer n.mu.Unlock()
	return append([]hostileReq(nil), n.seen...)
}

// reset forgets the requests seen so far.
func (n *hostileNet) reset() {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.seen = nil
}

// leaks returns the requests that reached an origin not in own while
// carrying a credential or a body: a token (Authorization or WebSocket
// subprotocol), any body, or any of the given secrets in the path or query.
func (n *hostileNet) leaks(secrets []string, own ...string) []hostileReq {
	var out []hostileReq
	for _, r := range n.requests() {
		mine := false
		for _, o := range own {
			mine = mine || r.Origin == o
		}
		if mine {
			continue
		}
		leak := r.Auth != "" || r.Subprotocol != "" || r.Body != ""
		for _, s := range secrets {
			if p, err := url.PathUnescape(r.Path); err == nil && strings.Contains(p, s) {
				leak = true
			}
		}
		if leak {
			out = append(out, r)
		}
	}
	return out
}

// hostileClient returns a client of server (an origin of n) with the test
// token, client credentials and no retries.
func (n *hostileNet) hostileClient(server string, opts ...Option) *Client {
	n.t.Helper()
	base := []Option{WithAccessToken(testToken), WithClientCredentials("cid", "csecret-SECRET"),
		WithHTTPClient(n.client()), WithRetryPolicy(RetryPolicy{})}
	c, err := newScannedClient(server, append(base, opts...)...)
	if err != nil {
		n.t.Fatal(err)
	}
	return c
}

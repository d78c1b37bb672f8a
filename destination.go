package mastodon

import (
	"context"
	"net"
	"net/http"
	"net/url"
	"strings"

	"golang.org/x/net/publicsuffix"
)

// Credentials (the access token, the client secret, a password, an
// authorization code, a PKCE verifier) and request bodies go to one place:
// the server the user named. checkDest is the one rule that says where that
// is, and every path that can send one asks it: each REST request, each
// redirect (CheckRedirect of the client the library builds or wraps), each
// Link cursor, each streaming URL and handshake redirect, NodeInfo links.

// DestinationError is a request, redirect or link the client refused
// because it would have carried a credential or a request body to another
// origin than the client's server. Nothing was sent there.
type DestinationError struct {
	Origin string // the refused origin, e.g. "https://evil.example"
	What   string // what would have gone there, e.g. "redirect of POST /oauth/token"
}

func (e *DestinationError) Error() string {
	return "mastodon: refusing " + e.What + " to " + e.Origin + ", another origin than the client's server"
}

// Is matches ErrForeignOrigin.
func (e *DestinationError) Is(target error) bool { return target == ErrForeignOrigin }

// destScope says which rule a destination is held to.
type destScope uint8

const (
	// scopeServer: the client's own origin, exactly (scheme, host, port).
	scopeServer destScope = iota
	// scopeStream: the own origin, the streaming URL the user named, or a
	// streaming host the instance advertises (see streamHostOK).
	scopeStream
	// scopeSameName: a request that carries no credential and no body (a
	// NodeInfo document) may also go to the client's server under another
	// of its names (see sameServerName).
	scopeSameName
)

// checkDest is the one rule deciding whether u may receive a credential or
// a request body of this client. It returns nil when it may, and a
// *DestinationError naming u's origin when it may not.
func (c *Client) checkDest(u *url.URL, scope destScope, what string) error {
	if c.destOK(u, scope) {
		return nil
	}
	return destError(u, what)
}

// destError is the error for a destination destOK refused: callers on a
// hot path ask destOK first and build what only for a refusal.
func destError(u *url.URL, what string) error {
	o := "(no origin)"
	if u != nil && u.Host != "" {
		o = strings.ToLower(u.Scheme + "://" + u.Host)
	}
	return &DestinationError{Origin: sanitizeForError(o), What: what}
}

// destOK is checkDest's answer without the error.
func (c *Client) destOK(u *url.URL, scope destScope) bool {
	if u == nil || u.User != nil || u.Opaque != "" {
		return false
	}
	o := urlOrigin(u)
	if o != "" && o == urlOrigin(c.base) {
		return true
	}
	switch scope {
	case scopeStream:
		return u.Host != "" && c.streamHostOK(u)
	case scopeSameName:
		return (u.Scheme == "http" || u.Scheme == "https") && sameServerName(u, c.base)
	}
	return false
}

// streamHostOK reports whether a streaming URL may receive the token: the
// URL given with WithStreamingURL (the user named it); or, on any port, the
// server's own host or a subdomain of it that the public suffix list does
// not hand to another owner (streaming.example.com for example.com, never
// evil.github.io for alice.github.io); an IP address only when it is the
// server's own. Secure schemes are not given up for clear text except on
// loopback.
func (c *Client) streamHostOK(u *url.URL) bool {
	secure := false
	switch strings.ToLower(u.Scheme) {
	case "https", "wss":
		secure = true
	case "http", "ws":
	default:
		return false
	}
	if c.cfg.streamingURL != "" {
		if o, err := url.Parse(c.cfg.streamingURL); err == nil && httpOrigin(o) != "" && httpOrigin(o) == httpOrigin(u) {
			return true
		}
	}
	host := strings.ToLower(u.Hostname())
	server := strings.ToLower(c.base.Hostname())
	if host == "" {
		return false
	}
	if c.base.Scheme == "https" && !secure && !isLoopback(host) {
		return false
	}
	if host == server {
		return true
	}
	hip, sip := net.ParseIP(host), net.ParseIP(server)
	if hip != nil || sip != nil {
		return hip != nil && sip != nil && hip.Equal(sip)
	}
	if !strings.HasSuffix(host, "."+server) {
		return false
	}
	// No public suffix may lie between the server and the streaming host:
	// under github.io or fly.dev, each name has another owner.
	ps, _ := publicsuffix.PublicSuffix(host)
	return len(ps) < len(server)
}

// urlOrigin returns u's origin as "scheme://host[:port]" with the scheme
// and host in lower case and default ports left out; "" when u has no
// http(s) origin.
func urlOrigin(u *url.URL) string {
	if u == nil || u.Host == "" {
		return ""
	}
	scheme := strings.ToLower(u.Scheme)
	if scheme != "http" && scheme != "https" {
		return ""
	}
	host := strings.ToLower(u.Hostname())
	if host == "" {
		return ""
	}
	if strings.Contains(host, ":") {
		host = "[" + host + "]"
	}
	port := u.Port()
	if (scheme == "https" && port == "443") || (scheme == "http" && port == "80") {
		port = ""
	}
	if port != "" {
		host += ":" + port
	}
	return scheme + "://" + host
}

// httpOrigin is urlOrigin with ws and wss read as http and https, as the
// WebSocket handshake does.
func httpOrigin(u *url.URL) string {
	v := *u
	switch strings.ToLower(v.Scheme) {
	case "ws":
		v.Scheme = "http"
	case "wss":
		v.Scheme = "https"
	}
	return urlOrigin(&v)
}

// streamCtxKey marks a request's context as a streaming request, whose
// redirects are held to scopeStream.
type streamCtxKey struct{}

func withStreamScope(ctx context.Context) context.Context {
	return context.WithValue(ctx, streamCtxKey{}, true)
}

func scopeOf(r *http.Request) destScope {
	if v, _ := r.Context().Value(streamCtxKey{}).(bool); v {
		return scopeStream
	}
	return scopeServer
}

// carriesCredential reports whether a request holds something only the
// client's server may see: a token (Authorization, or the WebSocket
// subprotocol that carries it), a body (forms hold client secrets,
// passwords, codes and verifiers; statuses hold direct messages), or a
// secret query parameter.
func carriesCredential(r *http.Request) bool {
	if r.Header.Get("Authorization") != "" || r.Header.Get("Sec-WebSocket-Protocol") != "" {
		return true
	}
	if (r.Body != nil && r.Body != http.NoBody) || r.ContentLength > 0 || r.GetBody != nil {
		return true
	}
	if r.URL != nil && r.URL.RawQuery != "" {
		q, err := url.ParseQuery(r.URL.RawQuery)
		if err != nil {
			return true
		}
		for k := range q {
			if secretParams[strings.ToLower(k)] {
				return true
			}
		}
	}
	return false
}

// checkRedirect is the redirect policy of every HTTP client the library
// uses, its own or the caller's: a redirect of a request that carries a
// credential or a body is followed only to a destination checkDest
// accepts; other redirects lose Authorization and Idempotency-Key when
// they leave the origin. https is never given up for http.
func (c *Client) checkRedirect(r *http.Request, via []*http.Request) error {
	if len(via) >= 10 {
		return errTooManyRedirects
	}
	prev := via[len(via)-1]
	if prev.URL.Scheme == "https" && r.URL.Scheme != "https" {
		return errRedirectDowngrade
	}
	first := via[0]
	if carriesCredential(first) {
		return c.checkDest(r.URL, scopeOf(first), "a redirect of "+first.Method+" "+sanitizeForError(first.URL.EscapedPath()))
	}
	if urlOrigin(r.URL) != urlOrigin(first.URL) {
		r.Header.Del("Authorization")
		r.Header.Del("Idempotency-Key")
	}
	return nil
}

// sameServerName reports whether two URLs name one server under two
// names: both loopback, or one name with "www." and the other without,
// on the same port.
func sameServerName(a, b *url.URL) bool {
	if portOf(a) != portOf(b) {
		return false
	}
	ha, hb := strings.ToLower(strings.TrimSuffix(a.Hostname(), ".")), strings.ToLower(strings.TrimSuffix(b.Hostname(), "."))
	if isLoopbackName(ha) && isLoopbackName(hb) {
		return true
	}
	return ha != "" && strings.TrimPrefix(ha, "www.") == strings.TrimPrefix(hb, "www.")
}

func portOf(u *url.URL) string {
	if p := u.Port(); p != "" {
		return p
	}
	if u.Scheme == "http" {
		return "80"
	}
	return "443"
}

func isLoopbackName(h string) bool {
	if h == "localhost" || strings.HasSuffix(h, ".localhost") {
		return true
	}
	ip := net.ParseIP(h)
	return ip != nil && ip.IsLoopback()
}

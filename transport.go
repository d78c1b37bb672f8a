package mastodon

import (
	"errors"
	"net"
	"net/http"
	"strings"
	"time"
)

// defaultTransport is http.DefaultTransport's setup with bounds on each
// phase, so a server that stops answering cannot hang a call forever. A
// caller's own *http.Client is used as given.
func defaultTransport() *http.Transport {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.DialContext = (&net.Dialer{Timeout: 30 * time.Second, KeepAlive: 30 * time.Second}).DialContext
	t.TLSHandshakeTimeout = 10 * time.Second
	t.ResponseHeaderTimeout = 60 * time.Second
	t.MaxIdleConnsPerHost = 64
	return t
}

// safeHTTPClient returns a client whose redirects never carry the
// Authorization header to another host, and never downgrade https to http.
func safeHTTPClient(hc *http.Client) *http.Client {
	var c http.Client
	if hc != nil {
		c = *hc
	} else {
		c.Transport = defaultTransport()
	}
	userCheck := c.CheckRedirect
	c.CheckRedirect = func(r *http.Request, via []*http.Request) error {
		if len(via) >= 10 {
			return errors.New("stopped after 10 redirects")
		}
		prev := via[len(via)-1]
		if prev.URL.Scheme == "https" && r.URL.Scheme != "https" {
			return errors.New("refusing redirect from https to http")
		}
		if !strings.EqualFold(r.URL.Host, via[0].URL.Host) {
			// Go strips Authorization on cross-domain redirects only for
			// some host shapes; drop it always.
			r.Header.Del("Authorization")
			r.Header.Del("Idempotency-Key")
		}
		if userCheck != nil {
			return userCheck(r, via)
		}
		return nil
	}
	return &c
}

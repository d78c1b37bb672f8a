package mastodon

import (
	"errors"
	"net"
	"net/http"
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

var (
	errTooManyRedirects  = errors.New("stopped after 10 redirects")
	errRedirectDowngrade = errors.New("refusing redirect from https to http")
)

// safeHTTPClient returns a copy of hc (or a client of its own when hc is
// nil) whose redirects follow policy first, then hc's own CheckRedirect.
func safeHTTPClient(hc *http.Client, policy func(*http.Request, []*http.Request) error) *http.Client {
	var c http.Client
	if hc != nil {
		c = *hc
	} else {
		c.Transport = defaultTransport()
	}
	userCheck := c.CheckRedirect
	c.CheckRedirect = func(r *http.Request, via []*http.Request) error {
		if err := policy(r, via); err != nil {
			return err
		}
		if userCheck != nil {
			return userCheck(r, via)
		}
		return nil
	}
	return &c
}

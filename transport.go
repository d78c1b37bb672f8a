package mastodon

import (
	"errors"
	"net/http"
	"strings"
)

// safeHTTPClient returns a client whose redirects never carry the
// Authorization header to another host, and never downgrade https to http.
func safeHTTPClient(hc *http.Client) *http.Client {
	var c http.Client
	if hc != nil {
		c = *hc
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

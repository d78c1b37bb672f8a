package mastodontest

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// Client is a minimal raw-JSON client for setting up and inspecting server
// state over HTTP in tests. It is deliberately not the Tusk library.
type Client struct {
	srv   *Server
	token string
	hc    *http.Client
}

// NewClient returns a client for s that sends token (may be "").
func NewClient(s *Server, token string) *Client {
	return &Client{srv: s, token: token, hc: &http.Client{}}
}

// Do sends a request with form parameters (in the query for GET and
// DELETE, in a form body otherwise) and returns the status, headers and body.
func (c *Client) Do(method, path string, form url.Values) (int, http.Header, []byte, error) {
	u := c.srv.URL + path
	var body io.Reader
	if method == http.MethodGet || method == http.MethodDelete {
		if len(form) > 0 {
			sep := "?"
			if strings.Contains(u, "?") {
				sep = "&"
			}
			u += sep + form.Encode()
		}
	} else if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, u, body)
	if err != nil {
		return 0, nil, nil, err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return 0, nil, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, b, err
}

// JSON sends a request, fails the test on a transport error or a status
// other than want, and decodes the body into out (when out is not nil).
func (c *Client) JSON(tb testing.TB, want int, method, path string, form url.Values, out any) http.Header {
	tb.Helper()
	code, hdr, body, err := c.Do(method, path, form)
	if err != nil {
		tb.Fatalf("%s %s: %v", method, path, err)
	}
	if code != want {
		tb.Fatalf("%s %s: status %d, want %d; body %s", method, path, code, want, body)
	}
	if out != nil {
		if err := json.Unmarshal(body, out); err != nil {
			tb.Fatalf("%s %s: decoding %s: %v", method, path, body, err)
		}
	}
	return hdr
}

// PostStatus posts a public status and returns it as decoded JSON.
func (c *Client) PostStatus(tb testing.TB, text string) map[string]any {
	tb.Helper()
	var out map[string]any
	c.JSON(tb, 200, "POST", "/api/v1/statuses", url.Values{"status": {text}}, &out)
	return out
}

// AccountStatuses returns an account's latest statuses as decoded JSON.
func (c *Client) AccountStatuses(tb testing.TB, accountID string) []map[string]any {
	tb.Helper()
	var out []map[string]any
	c.JSON(tb, 200, "GET", "/api/v1/accounts/"+accountID+"/statuses", nil, &out)
	return out
}

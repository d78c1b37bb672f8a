package mastodon

import (
	"bytes"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sort"
	"strings"
	"testing"
)

// testToken is the token test clients send; tests that scan output for
// secrets look for it.
const testToken = "tok-SECRET-0123456789"

// setup starts a test server and a client for it, go-github style. The
// client does not retry unless a test asks for it.
func setup(t testing.TB, opts ...Option) (*Client, *http.ServeMux, *bytes.Buffer) {
	t.Helper()
	mux := http.NewServeMux()
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	logs := &bytes.Buffer{}
	base := []Option{
		WithAccessToken(testToken),
		WithRetryPolicy(RetryPolicy{}),
		WithLogger(slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))),
	}
	c, err := newScannedClient(srv.URL, append(base, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		for _, sec := range suiteScan.leakedNotCanary(logs.String()) {
			t.Errorf("logs contain the secret %q:\n%s", sec, logs)
		}
	})
	return c, mux, logs
}

func testMethod(t *testing.T, r *http.Request, want string) {
	t.Helper()
	if r.Method != want {
		t.Errorf("method = %s, want %s", r.Method, want)
	}
}

// testQuery checks the raw query has exactly these pairs, in any order.
func testQuery(t *testing.T, r *http.Request, want string) {
	t.Helper()
	if canonQuery(t, r.URL.RawQuery) != canonQuery(t, want) {
		t.Errorf("query = %q, want %q", r.URL.RawQuery, want)
	}
}

func canonQuery(t *testing.T, q string) string {
	t.Helper()
	v, err := url.ParseQuery(q)
	if err != nil {
		t.Fatalf("bad query %q: %v", q, err)
	}
	var parts []string
	for k, vs := range v {
		for _, x := range vs {
			parts = append(parts, k+"="+x)
		}
	}
	sort.Strings(parts)
	return strings.Join(parts, "&")
}

// testForm checks an x-www-form-urlencoded body.
func testForm(t *testing.T, r *http.Request, want string) {
	t.Helper()
	if ct := r.Header.Get("Content-Type"); ct != "application/x-www-form-urlencoded" {
		t.Errorf("Content-Type = %q, want a form", ct)
	}
	b, _ := io.ReadAll(r.Body)
	if canonQuery(t, string(b)) != canonQuery(t, want) {
		t.Errorf("form = %q, want %q", b, want)
	}
}

func testHeader(t *testing.T, r *http.Request, name, want string) {
	t.Helper()
	if got := r.Header.Get(name); got != want {
		t.Errorf("header %s = %q, want %q", name, got, want)
	}
}

func urlValues(kv ...string) url.Values {
	v := url.Values{}
	for i := 0; i+1 < len(kv); i += 2 {
		v.Add(kv[i], kv[i+1])
	}
	return v
}

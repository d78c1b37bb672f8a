package mastodon

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tuskgo/mastodon/internal/leakcheck"
)

// Fault injection against httptest servers: each fault gives a typed error
// or a successful retry, and nothing is done twice.

// checkGoroutines fails the test when goroutines started during it are
// still running at its end. Call it before anything that registers a
// cleanup.
func checkGoroutines(t *testing.T) {
	t.Helper()
	leakcheck.Test(t)
}

func fastRetries() Option {
	return WithRetryPolicy(RetryPolicy{MaxRetries: 3, MinBackoff: time.Millisecond, MaxBackoff: 5 * time.Millisecond})
}

func TestFaultServerErrorPagesAreTyped(t *testing.T) {
	pages := map[int]string{
		500: "<!DOCTYPE html><html><head><title>We're sorry, but something went wrong (500)</title></head></html>",
		502: "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>",
		503: "<html><body><h1>503 Service Unavailable</h1>No server is available to handle this request.</body></html>",
		504: "<html><head><title>504 Gateway Time-out</title></head></html>",
	}
	kinds := map[int]error{500: ErrInternalServerError, 502: ErrBadGateway, 503: ErrServiceUnavailable, 504: ErrGatewayTimeout}
	for code, page := range pages {
		t.Run(fmt.Sprint(code), func(t *testing.T) {
			checkGoroutines(t)
			c, mux, _ := setup(t, fastRetries())
			var n atomic.Int32
			mux.HandleFunc("/api/v1/x", func(w http.ResponseWriter, r *http.Request) {
				n.Add(1)
				w.Header().Set("Content-Type", "text/html")
				w.WriteHeader(code)
				fmt.Fprint(w, page)
			})
			_, err := call[thing](context.Background(), c, req{Method: "GET", Path: "/api/v1/x"}, nil)
			var ae *APIError
			if !errors.As(err, &ae) || !errors.Is(err, kinds[code]) || !errors.Is(err, ErrServer) {
				t.Fatalf("err = %v", err)
			}
			if ae.Code != "" || !strings.Contains(strings.ToLower(ae.Description), "html") {
				t.Errorf("APIError should describe the HTML page: code %q description %q", ae.Code, ae.Description)
			}
			wantTries := int32(1)
			if code != 500 {
				wantTries = 4 // 502/503/504 are retried on a GET
			}
			if n.Load() != wantTries {
				t.Errorf("server saw %d tries, want %d", n.Load(), wantTries)
			}
		})
	}
}

func TestFaultConnectionReset(t *testing.T) {
	checkGoroutines(t)
	c, mux, _ := setup(t, fastRetries())
	var gets, posts atomic.Int32
	reset := func(w http.ResponseWriter) {
		conn, _, err := http.NewResponseController(w).Hijack()
		if err == nil {
			if tc, ok := conn.(*net.TCPConn); ok {
				tc.SetLinger(0)
			}
			conn.Close()
		}
	}
	mux.HandleFunc("GET /api/v1/x", func(w http.ResponseWriter, r *http.Request) {
		if gets.Add(1) == 1 {
			reset(w)
			return
		}
		fmt.Fprint(w, `{"id":"after-reset"}`)
	})
	mux.HandleFunc("POST /api/v1/x", func(w http.ResponseWriter, r *http.Request) {
		posts.Add(1)
		reset(w)
	})
	got, err := call[thing](context.Background(), c, req{Method: "GET", Path: "/api/v1/x"}, nil)
	if err != nil || got.ID != "after-reset" || gets.Load() != 2 {
		t.Errorf("GET after a reset: %v, %v, %d tries", got, err, gets.Load())
	}
	_, err = call[thing](context.Background(), c, req{Method: "POST", Path: "/api/v1/x"}, nil)
	if !errors.Is(err, ErrNetwork) || posts.Load() != 1 {
		t.Errorf("POST without a key after a reset: %v after %d tries; want one try and ErrNetwork", err, posts.Load())
	}
}

func TestFaultTruncatedJSON(t *testing.T) {
	c, mux, _ := setup(t)
	mux.HandleFunc("/api/v1/x", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `[{"id":"1"},{"id":"2","na`)
	})
	_, err := callList[thing](context.Background(), c, req{Method: "GET", Path: "/api/v1/x"}, nil)
	var de *DecodeError
	if !errors.As(err, &de) || de.Snippet == "" {
		t.Fatalf("err = %v, want a DecodeError quoting the body", err)
	}
}

func TestFaultSlowHeadersAndBody(t *testing.T) {
	checkGoroutines(t)
	release := make(chan struct{})
	c, mux, _ := setup(t, WithTimeout(100*time.Millisecond))
	mux.HandleFunc("/api/v1/slowheaders", func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	})
	mux.HandleFunc("/api/v1/slowbody", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", "100")
		fmt.Fprint(w, `{"id":`)
		http.NewResponseController(w).Flush()
		select {
		case <-release:
		case <-r.Context().Done():
		}
	})
	defer close(release)
	for _, p := range []string{"/api/v1/slowheaders", "/api/v1/slowbody"} {
		_, err := call[thing](context.Background(), c, req{Method: "GET", Path: p}, nil)
		if !errors.Is(err, ErrTimeout) {
			t.Errorf("%s: err = %v, want ErrTimeout", p, err)
		}
	}
}

func TestFault429WithRetryAfterAndReset(t *testing.T) {
	c, mux, _ := setup(t, WithRateLimit(RateLimitWait))
	var n atomic.Int32
	mux.HandleFunc("/api/v1/ra", func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1) == 1 {
			w.Header().Set("Retry-After", "1")
			w.WriteHeader(429)
			fmt.Fprint(w, `{"error":"Too many requests"}`)
			return
		}
		fmt.Fprint(w, `{"id":"ok"}`)
	})
	start := time.Now()
	got, err := call[thing](context.Background(), c, req{Method: "GET", Path: "/api/v1/ra"}, nil)
	if err != nil || got.ID != "ok" {
		t.Fatalf("wait mode after 429 + Retry-After: %v %v", got, err)
	}
	if time.Since(start) < 900*time.Millisecond {
		t.Errorf("did not wait for Retry-After")
	}
	c2, mux2, _ := setup(t, WithRateLimit(RateLimitThrow))
	mux2.HandleFunc("/api/v1/rl", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-RateLimit-Limit", "300")
		w.Header().Set("X-RateLimit-Remaining", "0")
		w.Header().Set("X-RateLimit-Reset", time.Now().Add(time.Hour).UTC().Format(time.RFC3339Nano))
		w.WriteHeader(429)
		fmt.Fprint(w, `{"error":"Too many requests"}`)
	})
	_, err = call[thing](context.Background(), c2, req{Method: "GET", Path: "/api/v1/rl"}, nil)
	var ae *APIError
	if !errors.As(err, &ae) || !errors.Is(err, ErrRateLimited) || time.Until(ae.RateLimit.Reset) < MaxRateLimitReset-time.Minute {
		t.Fatalf("throw mode 429: %v", err)
	}
	if !strings.Contains(err.Error(), "resets at") {
		t.Errorf("error does not say when the limit resets: %v", err)
	}
}

func TestFaultWrongContentType(t *testing.T) {
	c, mux, _ := setup(t)
	mux.HandleFunc("/api/v1/json-as-text", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		fmt.Fprint(w, `{"id":"1"}`)
	})
	mux.HandleFunc("/api/v1/html-as-json", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, `<html><body>Maintenance</body></html>`)
	})
	if got, err := call[thing](context.Background(), c, req{Method: "GET", Path: "/api/v1/json-as-text"}, nil); err != nil || got.ID != "1" {
		t.Errorf("JSON labelled text/plain: %v %v", got, err)
	}
	if _, err := call[thing](context.Background(), c, req{Method: "GET", Path: "/api/v1/html-as-json"}, nil); !errors.Is(err, ErrDecode) || !strings.Contains(err.Error(), "HTML") {
		t.Errorf("HTML labelled JSON: %v", err)
	}
}

func TestFaultRedirectToAnotherHost(t *testing.T) {
	var reached atomic.Bool
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		reached.Store(true)
		fmt.Fprint(w, `{"id":"elsewhere"}`)
	}))
	defer other.Close()
	c, mux, _ := setup(t)
	mux.HandleFunc("/api/v1/moved", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, other.URL+"/api/v1/moved", http.StatusFound)
	})
	_, err := call[thing](context.Background(), c, req{Method: "GET", Path: "/api/v1/moved"}, []CallOption{CallIdempotencyKey("k")})
	if !errors.Is(err, ErrForeignOrigin) {
		t.Errorf("err = %v, want the redirect of a request with a token refused", err)
	}
	if reached.Load() {
		t.Error("the other host was reached")
	}
}

func TestFaultNoDowngradeRedirect(t *testing.T) {
	plain := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		t.Errorf("request reached the plain-http server")
	}))
	defer plain.Close()
	secure := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, plain.URL+"/api/v1/x", http.StatusFound)
	}))
	defer secure.Close()
	hc := secure.Client()
	hc.Transport.(*http.Transport).TLSClientConfig = &tls.Config{RootCAs: hc.Transport.(*http.Transport).TLSClientConfig.RootCAs}
	c, err := newScannedClient(secure.URL, WithAccessToken(testToken), WithHTTPClient(hc), WithRetryPolicy(RetryPolicy{}))
	if err != nil {
		t.Fatal(err)
	}
	_, err = call[thing](context.Background(), c, req{Method: "GET", Path: "/api/v1/x"}, nil)
	if err == nil || !strings.Contains(err.Error(), "https to http") {
		t.Errorf("err = %v, want the downgrade refused", err)
	}
	if strings.Contains(err.Error(), testToken) {
		t.Errorf("error leaks the token")
	}
}

func TestFaultContextCancelledDuringBackoff(t *testing.T) {
	checkGoroutines(t)
	c, mux, _ := setup(t, WithRetryPolicy(RetryPolicy{MaxRetries: 5, MinBackoff: time.Hour, MaxBackoff: time.Hour}))
	mux.HandleFunc("/api/v1/x", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(503) })
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := call[thing](ctx, c, req{Method: "GET", Path: "/api/v1/x"}, nil)
	if !errors.Is(err, ErrServiceUnavailable) || time.Since(start) > 10*time.Second {
		t.Errorf("err = %v after %v; a cancelled context must end the backoff", err, time.Since(start))
	}
}

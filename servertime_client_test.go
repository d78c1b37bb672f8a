package mastodon

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"
)

func TestClientServerTime(t *testing.T) {
	c, mux, _ := setup(t)
	status, date := http.StatusOK, "Sat, 01 Aug 2026 13:51:03 GMT"
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		testMethod(t, r, "HEAD")
		testQuery(t, r, "")
		testHeader(t, r, "Authorization", "")
		if r.URL.Path != "/" {
			t.Errorf("path %s", r.URL.Path)
		}
		if date == "" {
			w.Header()["Date"] = nil // keep net/http from adding one
		} else {
			w.Header().Set("Date", date)
		}
		w.WriteHeader(status)
	})
	ctx := context.Background()
	want := time.Date(2026, 8, 1, 13, 51, 3, 0, time.UTC)
	got, err := c.ServerTime(ctx)
	if err != nil || !got.Equal(want) {
		t.Fatalf("got %v, %v; want %v", got, err, want)
	}
	// A redirect or error page still carries the server's clock.
	status = http.StatusNotFound
	if got, err := c.ServerTime(ctx); err != nil || !got.Equal(want) {
		t.Errorf("404: got %v, %v", got, err)
	}
	status, date = http.StatusOK, "yesterday-ish"
	if _, err := c.ServerTime(ctx); !errors.Is(err, ErrDecode) {
		t.Errorf("bad date: err = %v, want ErrDecode", err)
	}
	date = ""
	if _, err := c.ServerTime(ctx); !errors.Is(err, ErrDecode) {
		t.Errorf("no date: err = %v, want ErrDecode", err)
	}
}

func TestClientServerTimeNetworkError(t *testing.T) {
	c, err := newScannedClient("http://127.0.0.1:1", WithInsecureHTTP(), WithRetryPolicy(RetryPolicy{}))
	if err != nil {
		t.Skip("client:", err)
	}
	if _, err := c.ServerTime(context.Background()); !errors.Is(err, ErrNetwork) {
		t.Errorf("err = %v, want ErrNetwork", err)
	}
}

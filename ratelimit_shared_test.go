package mastodon

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"
)

// TestSharedClient64Goroutines has 64 goroutines share one client against a
// loopback server that counts requests down as Mastodon does (a fixed
// window, X-RateLimit-Remaining falling by one per request): every answer
// must reach the goroutine that asked, decoded whole; no request may be
// lost or sent twice; and the client's rate-limit state must end at the
// server's count, however the answers interleaved. Run it with -race.
func TestSharedClient64Goroutines(t *testing.T) {
	const (
		workers = 64
		each    = 16
		limit   = 300_000
	)
	reset := time.Now().UTC().Truncate(5 * time.Minute).Add(10 * time.Minute)
	var mu sync.Mutex
	used := 0
	got := map[string]int{} // requests per status ID
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, ok := strings.CutPrefix(r.URL.Path, "/api/v1/statuses/")
		if !ok || r.Header.Get("Authorization") != "Bearer "+testToken {
			http.Error(w, `{"error":"bad request"}`, http.StatusBadRequest)
			return
		}
		mu.Lock()
		used++
		remaining := limit - used
		got[id]++
		mu.Unlock()
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.Header().Set("X-RateLimit-Limit", strconv.Itoa(limit))
		w.Header().Set("X-RateLimit-Remaining", strconv.Itoa(remaining))
		w.Header().Set("X-RateLimit-Reset", reset.Format("2006-01-02T15:04:05.000000Z"))
		fmt.Fprintf(w, `{"id":%q,"content":"<p>status %s</p>","visibility":"public","account":{"id":"a%s","acct":"user%s"},"favourites_count":%s}`,
			id, id, id, id, id)
	}))
	defer srv.Close()
	c, err := newScannedClient(srv.URL, WithAccessToken(testToken), WithRetryPolicy(RetryPolicy{}))
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make(chan error, workers*each)
	for g := range workers {
		wg.Go(func() {
			for i := range each {
				id := strconv.Itoa(1000*g + i)
				st, err := c.Statuses.Get(context.Background(), id)
				switch {
				case err != nil:
					errs <- err
				case st.ID != id || st.Content != "<p>status "+id+"</p>" ||
					st.Account.ID != "a"+id || st.Account.Acct != "user"+id || strconv.Itoa(st.FavouritesCount) != id:
					errs <- fmt.Errorf("asked for %s, got %+v", id, st)
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if used != workers*each || len(got) != workers*each {
		t.Errorf("server answered %d requests for %d IDs, want %d of each", used, len(got), workers*each)
	}
	for id, n := range got {
		if n != 1 {
			t.Errorf("status %s requested %d times", id, n)
		}
	}
	rl := c.RateLimit()
	// Reset is corrected for clock skew from the one-second Date header:
	// an answer that took long under -race on a loaded machine looks like
	// a skew of over a second and moves it later by that much.
	late := rl.Reset.Sub(reset)
	if !rl.Known || rl.Limit != limit || rl.Remaining != limit-workers*each || late < 0 || late > 5*time.Second {
		t.Errorf("rate limit = %+v, want the server's count %d of %d, reset %v", rl, limit-workers*each, limit, reset)
	}
	gl := c.rl.get(testToken, bucketGeneral)
	gl.mu.Lock()
	inflight := gl.inflight
	gl.mu.Unlock()
	if inflight != 0 {
		t.Errorf("%d requests still counted in flight", inflight)
	}
}

// lossyServer is a fakeServer behind which some requests never arrive
// (/fail: a network error) and some paths answer without rate-limit
// headers and outside the server's count (/nodeinfo), as Mastodon's
// non-API paths do.
type lossyServer struct{ *fakeServer }

func (l lossyServer) RoundTrip(r *http.Request) (*http.Response, error) {
	switch r.URL.Path {
	case "/fail":
		return nil, errors.New("connection reset")
	case "/nodeinfo":
		return &http.Response{StatusCode: 200, Status: "200 OK", Header: http.Header{}, Body: io.NopCloser(strings.NewReader(`{"id":"n"}`)), Request: r}, nil
	}
	return l.fakeServer.RoundTrip(r)
}

// TestRateLimitNoNeedlessWait: requests that never reach the server, or
// whose answers carry no rate-limit headers, must not use up the budget
// the client believes it has. Before, each lowered it until the reset and
// the client slept a whole window with the server's budget unspent.
func TestRateLimitNoNeedlessWait(t *testing.T) {
	for _, mode := range []RateLimitMode{RateLimitWait, RateLimitThrow} {
		t.Run(string(mode), func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				f := &fakeServer{limit: 5, window: time.Minute}
				c, err := newScannedClient("https://rl.example", WithAccessToken("t0ken"), WithHTTPClient(&http.Client{Transport: lossyServer{f}}),
					WithRateLimit(mode), WithRetryPolicy(RetryPolicy{}))
				if err != nil {
					t.Fatal(err)
				}
				get := func(path string) error {
					_, err := call[thing](context.Background(), c, req{Method: "GET", Path: path}, nil)
					return err
				}
				start := time.Now()
				if err := get("/api/v1/x"); err != nil { // learn the budget: 4 left
					t.Fatal(err)
				}
				for range 3 {
					if err := get("/fail"); !errors.Is(err, ErrNetwork) {
						t.Fatalf("/fail: %v", err)
					}
					if err := get("/nodeinfo"); err != nil {
						t.Fatal(err)
					}
				}
				for i := range 4 {
					if err := get("/api/v1/x"); err != nil {
						t.Fatalf("call %d of the 4 left: %v", i, err)
					}
				}
				if el := time.Since(start); el != 0 {
					t.Errorf("waited %v with budget left on the server", el)
				}
				if f.served != 5 || len(f.calls) != 5 {
					t.Errorf("server served %d of %d calls, want 5 of 5", f.served, len(f.calls))
				}
				if rl := c.RateLimit(); rl.Remaining != 0 || rl.Limit != 5 {
					t.Errorf("state = %+v, want 0 of 5 left", rl)
				}
			})
		})
	}
}

// TestRateLimitLowestCountWins: within one window the lowest Remaining
// heard is kept, since Mastodon's count only falls and answers may come
// out of order; a new window (another reset) replaces it, and resets a
// fraction of a second apart (clock-skew correction) are one window.
func TestRateLimitLowestCountWins(t *testing.T) {
	l := newRateLimiter(RateLimitWait, 1)
	reset := time.Now().Add(time.Minute)
	resp := func(rem int, reset time.Time) *Response {
		return &Response{StatusCode: 200, RateLimit: RateLimit{Limit: 300, Remaining: rem, Reset: reset, Known: true}}
	}
	l.update(resp(250, reset), nil)
	l.update(resp(260, reset.Add(700*time.Millisecond)), nil) // older answer, same window
	if got := l.State().Remaining; got != 250 {
		t.Errorf("older answer raised Remaining to %d", got)
	}
	l.update(resp(240, reset), nil)
	if got := l.State().Remaining; got != 240 {
		t.Errorf("Remaining = %d, want 240", got)
	}
	l.update(resp(299, reset.Add(5*time.Minute)), nil) // the next window
	if got := l.State(); got.Remaining != 299 || !got.Reset.Equal(reset.Add(5*time.Minute)) {
		t.Errorf("new window not taken: %+v", got)
	}
}

package mastodon

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"
)

// fakeServer is an in-memory Mastodon rate limiter behind a RoundTripper,
// so the tests run on synctest's fake clock: no real sleeping.
type fakeServer struct {
	mu        sync.Mutex
	limit     int
	remaining int
	reset     time.Time
	window    time.Duration
	calls     []time.Time
	served    int
	skew      time.Duration // server clock minus ours
}

func (f *fakeServer) RoundTrip(r *http.Request) (*http.Response, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	now := time.Now()
	if !now.Before(f.reset) {
		f.remaining = f.limit
		f.reset = now.Add(f.window)
	}
	f.calls = append(f.calls, now)
	h := http.Header{}
	h.Set("Date", now.Add(f.skew).UTC().Format(http.TimeFormat))
	h.Set("X-RateLimit-Limit", fmt.Sprint(f.limit))
	h.Set("X-RateLimit-Reset", f.reset.Add(f.skew).UTC().Format("2006-01-02T15:04:05.000000Z"))
	status, body := 200, `{"id":"1"}`
	if f.remaining <= 0 {
		status, body = 429, `{"error":"Too many requests"}`
	} else {
		f.remaining--
		f.served++
	}
	h.Set("X-RateLimit-Remaining", fmt.Sprint(f.remaining))
	return &http.Response{StatusCode: status, Status: fmt.Sprint(status), Header: h, Body: io.NopCloser(strings.NewReader(body)), Request: r}, nil
}

func fakeClient(t *testing.T, f *fakeServer, mode RateLimitMode) *Client {
	t.Helper()
	c, err := newScannedClient("https://rl.example", WithAccessToken("t0ken"), WithHTTPClient(&http.Client{Transport: f}),
		WithRateLimit(mode), WithRetryPolicy(RetryPolicy{}))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func get1(c *Client) error {
	_, err := call[thing](context.Background(), c, req{Method: "GET", Path: "/api/v1/x"}, nil)
	return err
}

func TestRateLimitThrow(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := &fakeServer{limit: 3, window: 5 * time.Minute}
		c := fakeClient(t, f, RateLimitThrow)
		for i := 0; i < 3; i++ {
			if err := get1(c); err != nil {
				t.Fatalf("call %d: %v", i, err)
			}
		}
		err := get1(c)
		var rle *RateLimitError
		if !errors.As(err, &rle) || !errors.Is(err, ErrRateLimited) {
			t.Fatalf("4th call: %v, want a RateLimitError before sending", err)
		}
		if len(f.calls) != 3 {
			t.Errorf("server saw %d calls; throw mode must not send when the budget is spent", len(f.calls))
		}
		if c.RateLimit().Remaining != 0 || c.RateLimit().Limit != 3 {
			t.Errorf("state = %+v", c.RateLimit())
		}
		time.Sleep(5*time.Minute + time.Second)
		if err := get1(c); err != nil {
			t.Errorf("after reset: %v", err)
		}
	})
}

func TestRateLimitThrowOn429(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := &fakeServer{limit: 1, window: time.Minute}
		f.remaining, f.reset = 0, time.Now().Add(time.Minute) // budget spent by someone else
		c := fakeClient(t, f, RateLimitThrow)
		err := get1(c)
		var ae *APIError
		if !errors.As(err, &ae) || ae.StatusCode != 429 || ae.RateLimit.Reset.IsZero() {
			t.Fatalf("err = %v, want a 429 APIError with reset time", err)
		}
	})
}

func TestRateLimitWait(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := &fakeServer{limit: 2, window: time.Minute}
		c := fakeClient(t, f, RateLimitWait)
		start := time.Now()
		for i := 0; i < 5; i++ {
			if err := get1(c); err != nil {
				t.Fatalf("call %d: %v", i, err)
			}
		}
		if f.served != 5 {
			t.Errorf("served %d", f.served)
		}
		// 5 calls at 2 per minute: two waits for a reset.
		if el := time.Since(start); el < 2*time.Minute || el > 2*time.Minute+5*time.Second {
			t.Errorf("elapsed %v, want about 2m", el)
		}
		for _, ts := range f.calls {
			if ts.Sub(start) > 2*time.Minute+5*time.Second {
				t.Errorf("call at %v", ts.Sub(start))
			}
		}
	})
}

func TestRateLimitWaitAfter429AndSkew(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		// The server's clock runs 30 s ahead; a reset it names is 30 s
		// sooner for us.
		f := &fakeServer{limit: 1, window: time.Minute, skew: 30 * time.Second}
		f.remaining, f.reset = 0, time.Now().Add(time.Minute)
		c := fakeClient(t, f, RateLimitWait)
		start := time.Now()
		if err := get1(c); err != nil {
			t.Fatal(err)
		}
		if el := time.Since(start); el < time.Minute-2*time.Second || el > time.Minute+2*time.Second {
			t.Errorf("waited %v after the 429, want about 1m", el)
		}
		if len(f.calls) != 2 {
			t.Errorf("calls = %d, want the 429 and one retry", len(f.calls))
		}
	})
}

func TestRateLimitWaitCancelled(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := &fakeServer{limit: 1, window: 2 * time.Minute}
		c := fakeClient(t, f, RateLimitWait)
		if err := get1(c); err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_, err := call[thing](ctx, c, req{Method: "GET", Path: "/api/v1/x"}, nil)
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("err = %v, want the context's deadline", err)
		}
	})
}

func TestRateLimitPace(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := &fakeServer{limit: 11, window: 100 * time.Second}
		c, err := newScannedClient("https://rl.example", WithHTTPClient(&http.Client{Transport: f}),
			WithRateLimit(RateLimitPace), WithPaceFactor(1), WithRetryPolicy(RetryPolicy{}))
		if err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		for i := 0; i < 11; i++ {
			if err := get1(c); err != nil {
				t.Fatal(err)
			}
		}
		// After the first answer, 10 requests are left for 100 s: paced
		// about 10 s apart, finishing close to the reset, never 429.
		el := time.Since(start)
		if el < 80*time.Second || el > 101*time.Second {
			t.Errorf("11 paced calls took %v, want about 90-100 s", el)
		}
		if f.served != 11 {
			t.Errorf("served %d of 11", f.served)
		}
		for i := 2; i < len(f.calls); i++ {
			if gap := f.calls[i].Sub(f.calls[i-1]); gap < 8*time.Second {
				t.Errorf("gap %d = %v, not paced", i, gap)
			}
		}
	})
}

func TestRateLimitConcurrent(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := &fakeServer{limit: 10, window: time.Minute}
		c := fakeClient(t, f, RateLimitWait)
		if err := get1(c); err != nil { // learn the budget
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		var fails atomic.Int32
		for i := 0; i < 64; i++ {
			wg.Go(func() {
				if err := get1(c); err != nil {
					fails.Add(1)
				}
			})
		}
		wg.Wait()
		if fails.Load() != 0 {
			t.Errorf("%d goroutines failed", fails.Load())
		}
		if f.served != 65 {
			t.Errorf("served %d, want 65", f.served)
		}
		n429 := len(f.calls) - f.served
		if n429 > 10 {
			t.Errorf("%d requests hit 429: goroutines did not share the budget", n429)
		}
	})
}

// TestRetryBackoff pins the one backoff both retries and stream reconnects
// use: doubling from MinBackoff, capped at MaxBackoff, jittered over the
// upper half of the step.
func TestRetryBackoff(t *testing.T) {
	p := RetryPolicy{MinBackoff: time.Second, MaxBackoff: 30 * time.Second}
	for n, top := range map[int]time.Duration{0: time.Second, 1: 2 * time.Second, 2: 4 * time.Second, 4: 16 * time.Second, 5: 30 * time.Second, 200: 30 * time.Second} {
		seen := map[time.Duration]bool{}
		for range 50 {
			d := p.backoff(n)
			if d < top/2 || d > top {
				t.Fatalf("backoff(%d) = %v, want within [%v, %v]", n, d, top/2, top)
			}
			seen[d] = true
		}
		if len(seen) < 2 {
			t.Errorf("backoff(%d) has no jitter", n)
		}
	}
	if d := (RetryPolicy{}).backoff(3); d != 0 {
		t.Errorf("zero policy waits %v, want 0", d)
	}
}

func TestSleepCtx(t *testing.T) {
	if err := sleepCtx(context.Background(), time.Millisecond); err != nil {
		t.Errorf("sleepCtx = %v, want nil", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	start := time.Now()
	if err := sleepCtx(ctx, time.Hour); !errors.Is(err, context.Canceled) {
		t.Errorf("sleepCtx on a cancelled context = %v", err)
	}
	if time.Since(start) > time.Second {
		t.Error("sleepCtx did not return when its context ended")
	}
}

package mastodon

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"
)

func TestAsyncRefreshesGet(t *testing.T) {
	c, mux, _ := setup(t)
	mux.HandleFunc("/api/v1_alpha/async_refreshes/", func(w http.ResponseWriter, r *http.Request) {
		testMethod(t, r, "GET")
		testQuery(t, r, "")
		testHeader(t, r, "Authorization", "Bearer "+testToken)
		switch r.URL.EscapedPath() {
		case "/api/v1_alpha/async_refreshes/ImNvbnRleHQ6MToxIg==--abc":
			fmt.Fprint(w, `{"async_refresh":{"id":"ImNvbnRleHQ6MToxIg==--abc","status":"running","result_count":3}}`)
		case "/api/v1_alpha/async_refreshes/noid":
			fmt.Fprint(w, `{"async_refresh":{"status":"finished","result_count":null}}`)
		case "/api/v1_alpha/async_refreshes/odd":
			fmt.Fprint(w, `{"async_refresh":{"id":"odd","status":"queued"}}`)
		default:
			w.WriteHeader(http.StatusNotFound)
			fmt.Fprint(w, `{"error":"Record not found"}`)
		}
	})
	ctx := context.Background()
	a, err := c.AsyncRefreshes.Get(ctx, "ImNvbnRleHQ6MToxIg==--abc")
	if err != nil {
		t.Fatal(err)
	}
	if a.ID != "ImNvbnRleHQ6MToxIg==--abc" || a.Status != AsyncRefreshRunning || a.ResultCount == nil || *a.ResultCount != 3 {
		t.Errorf("decoded %+v", a)
	}
	if a, err := c.AsyncRefreshes.Get(ctx, "noid"); err != nil || a.ID != "noid" || a.Status != AsyncRefreshFinished || a.ResultCount != nil {
		t.Errorf("no id: %+v, %v", a, err)
	}
	if a, err := c.AsyncRefreshes.Get(ctx, "odd"); err != nil || a.Status != "queued" {
		t.Errorf("unknown status: %+v, %v", a, err)
	}
	testErrorKinds(t, "/api/v1_alpha/async_refreshes/{id}", func(c *Client, id string) error {
		_, err := c.AsyncRefreshes.Get(context.Background(), id)
		return err
	})
}

// memClient is a client whose requests mux serves in memory, without a
// socket, so that tests can run in a synctest bubble.
func memClient(t *testing.T, h http.Handler) *Client {
	t.Helper()
	hc := &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, r)
		resp := rec.Result()
		resp.Request = r
		return resp, nil
	})}
	c, err := newScannedClient("https://async.example", WithAccessToken(testToken), WithHTTPClient(hc), WithRetryPolicy(RetryPolicy{}))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// asyncServer answers /api/v1/statuses/1/context with a refresh header on
// the first call, reports the refresh running for `running` polls, then
// finished; the second context call is complete.
func asyncServer(t *testing.T, running int, retry string) (*Client, *atomic.Int32, *atomic.Int32) {
	mux := http.NewServeMux()
	c := memClient(t, mux)
	var calls, polls atomic.Int32
	mux.HandleFunc("/api/v1/statuses/1/context", func(w http.ResponseWriter, r *http.Request) {
		testMethod(t, r, "GET")
		testQuery(t, r, "")
		n := calls.Add(1)
		if n == 1 {
			w.Header().Set("Mastodon-Async-Refresh", `id="ref1", retry=`+retry+`, result_count=0`)
			fmt.Fprint(w, `{"ancestors":[],"descendants":[]}`)
			return
		}
		fmt.Fprint(w, `{"ancestors":[],"descendants":[{"id":"9","content":"late reply","account":{"id":"2","username":"b","acct":"b"}}]}`)
	})
	mux.HandleFunc("/api/v1_alpha/async_refreshes/ref1", func(w http.ResponseWriter, r *http.Request) {
		testMethod(t, r, "GET")
		if int(polls.Add(1)) <= running {
			fmt.Fprint(w, `{"async_refresh":{"id":"ref1","status":"running","result_count":0}}`)
			return
		}
		fmt.Fprint(w, `{"async_refresh":{"id":"ref1","status":"finished","result_count":1}}`)
	})
	return c, &calls, &polls
}

func TestAwaitAsyncRefresh(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c, calls, polls := asyncServer(t, 2, "3")
		var got *Context
		var last Response
		start := time.Now()
		err := c.AwaitAsyncRefresh(context.Background(), func(ctx context.Context, opts ...CallOption) (err error) {
			got, err = c.Statuses.Context(ctx, "1", opts...)
			return err
		}, nil, CallResponse(&last))
		if err != nil {
			t.Fatal(err)
		}
		if len(got.Descendants) != 1 || got.Descendants[0].Content != "late reply" {
			t.Errorf("result %+v", got)
		}
		if calls.Load() != 2 || polls.Load() != 3 {
			t.Errorf("%d calls, %d polls; want 2, 3", calls.Load(), polls.Load())
		}
		// Three pauses of the server's 3 s retry.
		if waited := time.Since(start); waited != 9*time.Second {
			t.Errorf("waited %v, want 9s", waited)
		}
		if last.AsyncRefresh != nil || last.StatusCode != 200 {
			t.Errorf("caller's response %+v", last)
		}
	})
}

func TestAwaitAsyncRefreshNoHeader(t *testing.T) {
	c, mux, _ := setup(t)
	n := 0
	mux.HandleFunc("/api/v1/statuses/1/context", func(w http.ResponseWriter, r *http.Request) {
		n++
		fmt.Fprint(w, `{"ancestors":[],"descendants":[]}`)
	})
	err := c.AwaitAsyncRefresh(context.Background(), func(ctx context.Context, opts ...CallOption) error {
		_, err := c.Statuses.Context(ctx, "1", opts...)
		return err
	}, nil)
	if err != nil || n != 1 {
		t.Errorf("err = %v after %d calls", err, n)
	}
}

func TestAwaitAsyncRefreshBounded(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c, calls, polls := asyncServer(t, 1000, "60")
		start := time.Now()
		err := c.AwaitAsyncRefresh(context.Background(), func(ctx context.Context, opts ...CallOption) error {
			_, err := c.Statuses.Context(ctx, "1", opts...)
			return err
		}, &AwaitOptions{MaxWait: 50 * time.Second, MaxInterval: 20 * time.Second})
		var pe *AsyncRefreshPendingError
		if !errors.Is(err, ErrAsyncRefreshPending) || !errors.As(err, &pe) || pe.ID != "ref1" {
			t.Fatalf("err = %v, want an *AsyncRefreshPendingError", err)
		}
		if time.Since(start) != 50*time.Second || calls.Load() != 1 || polls.Load() != 3 {
			t.Errorf("waited %v, %d calls, %d polls", time.Since(start), calls.Load(), polls.Load())
		}
	})
}

func TestAwaitAsyncRefreshCancel(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c, _, polls := asyncServer(t, 1000, "5")
		ctx, cancel := context.WithTimeout(context.Background(), 12*time.Second)
		defer cancel()
		err := c.AwaitAsyncRefresh(ctx, func(ctx context.Context, opts ...CallOption) error {
			_, err := c.Statuses.Context(ctx, "1", opts...)
			return err
		}, nil)
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("err = %v, want the context's error", err)
		}
		if polls.Load() != 2 {
			t.Errorf("%d polls", polls.Load())
		}
	})
}

func TestAwaitAsyncRefreshErrors(t *testing.T) {
	c, mux, _ := setup(t)
	mux.HandleFunc("/api/v1/statuses/1/context", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Mastodon-Async-Refresh", `id="gone", retry=0`)
		fmt.Fprint(w, `{"ancestors":[],"descendants":[]}`)
	})
	mux.HandleFunc("/api/v1_alpha/async_refreshes/gone", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusInternalServerError)
	})
	call := func(ctx context.Context, opts ...CallOption) error {
		_, err := c.Statuses.Context(ctx, "1", opts...)
		return err
	}
	ctx := context.Background()
	if err := c.AwaitAsyncRefresh(ctx, call, &AwaitOptions{MinInterval: time.Millisecond}); !errors.Is(err, ErrInternalServerError) {
		t.Errorf("poll failure: err = %v", err)
	}
	if err := c.AwaitAsyncRefresh(ctx, nil, nil); !errors.Is(err, ErrIllegalArgument) {
		t.Errorf("nil call: err = %v", err)
	}
	if err := c.AwaitAsyncRefresh(ctx, call, &AwaitOptions{MaxWait: -1}); !errors.Is(err, ErrIllegalArgument) {
		t.Errorf("negative wait: err = %v", err)
	}
	boom := errors.New("boom")
	if err := c.AwaitAsyncRefresh(ctx, func(context.Context, ...CallOption) error { return boom }, nil); err != boom {
		t.Errorf("call error: err = %v", err)
	}
}

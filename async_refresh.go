package mastodon

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"
)

// Get returns the state of a server-side refresh, named by the ID of a
// Mastodon-Async-Refresh header (Response.AsyncRefresh.ID).
//
//api:endpoint GET /api/v1_alpha/async_refreshes/{id}
//api:since 4.4.0
func (s *AsyncRefreshesService) Get(ctx context.Context, id string, opts ...CallOption) (*AsyncRefresh, error) {
	r, err := call[AsyncRefreshResponse](ctx, s.c, req{Method: http.MethodGet, Path: "/api/v1_alpha/async_refreshes/{id}", Params: []string{id}}, opts)
	if err != nil {
		return nil, err
	}
	a := r.AsyncRefresh
	if a.ID == "" {
		a.ID = id
	}
	return &a, nil
}

// AwaitOptions bound how long AwaitAsyncRefresh waits.
type AwaitOptions struct {
	// MaxWait caps the whole wait; zero means DefaultAsyncRefreshMaxWait.
	MaxWait time.Duration
	// MinInterval is the shortest pause between status checks, whatever
	// the server asks; zero means one second.
	MinInterval time.Duration
	// MaxInterval is the longest pause between status checks; zero means
	// 30 seconds.
	MaxInterval time.Duration
}

// DefaultAsyncRefreshMaxWait is how long AwaitAsyncRefresh waits at most
// unless told otherwise.
const DefaultAsyncRefreshMaxWait = 2 * time.Minute

// ErrAsyncRefreshPending reports that a server-side refresh had not
// finished when AwaitAsyncRefresh stopped waiting.
var ErrAsyncRefreshPending = errors.New("mastodon: async refresh still running")

// AsyncRefreshPendingError is returned when the wait ran out; the result
// of the first call is still there for the caller to use.
type AsyncRefreshPendingError struct {
	ID     string
	Waited time.Duration
}

func (e *AsyncRefreshPendingError) Error() string {
	return fmt.Sprintf("mastodon: async refresh %s still running after %s", sanitizeForError(e.ID), e.Waited.Round(time.Second))
}

// Is makes errors.Is(err, ErrAsyncRefreshPending) true.
func (e *AsyncRefreshPendingError) Is(target error) bool { return target == ErrAsyncRefreshPending }

// AwaitAsyncRefresh runs call, which makes one API request and must pass
// the options it gets on to that request. When the answer carries a
// Mastodon-Async-Refresh header (the server is still computing part of
// the result, e.g. fetching remote replies or generating an annual
// report), it waits as the header's retry asks, polls the refresh with
// AsyncRefreshes.Get until it has finished, and then runs call once more,
// so whatever call stored is the complete result:
//
//	var ctxt *mastodon.Context
//	err := c.AwaitAsyncRefresh(ctx, func(ctx context.Context, opts ...mastodon.CallOption) (err error) {
//		ctxt, err = c.Statuses.Context(ctx, id, opts...)
//		return err
//	}, nil)
//
// The wait is bounded (o.MaxWait) and stops with ctx. When the refresh has
// not finished in time, the error is an *AsyncRefreshPendingError and what
// the first call stored is still usable. An error of call is returned as
// it is.
//
//api:endpoint GET /api/v1_alpha/async_refreshes/{id}
//api:since 4.4.0
func (c *Client) AwaitAsyncRefresh(ctx context.Context, call func(ctx context.Context, opts ...CallOption) error, o *AwaitOptions, opts ...CallOption) error {
	if call == nil {
		return illegalArg("AwaitAsyncRefresh: nil call")
	}
	if ctx == nil {
		return illegalArg("AwaitAsyncRefresh: nil context")
	}
	o1, first, done := captureResponse(opts)
	err := call(ctx, o1...)
	done()
	if err != nil {
		return err
	}
	h := first.AsyncRefresh
	if h == nil {
		return nil
	}
	if err := c.waitAsyncRefresh(ctx, h, o); err != nil {
		return err
	}
	return call(ctx, opts...)
}

// waitAsyncRefresh pauses and polls until the refresh h names finishes.
func (c *Client) waitAsyncRefresh(ctx context.Context, h *AsyncRefreshHeader, o *AwaitOptions) error {
	maxWait, minIv, maxIv := DefaultAsyncRefreshMaxWait, time.Second, 30*time.Second
	if o != nil {
		if o.MaxWait < 0 || o.MinInterval < 0 || o.MaxInterval < 0 {
			return illegalArg("AwaitAsyncRefresh: negative duration")
		}
		if o.MaxWait > 0 {
			maxWait = o.MaxWait
		}
		if o.MinInterval > 0 {
			minIv = o.MinInterval
		}
		if o.MaxInterval > 0 {
			maxIv = o.MaxInterval
		}
		if minIv > maxIv {
			minIv = maxIv
		}
	}
	start := time.Now()
	deadline := start.Add(maxWait)
	retry := h.Retry
	for {
		left := time.Until(deadline)
		if left <= 0 {
			return &AsyncRefreshPendingError{ID: h.ID, Waited: time.Since(start)}
		}
		if err := sleepCtx(ctx, min(max(retry, minIv), maxIv, left)); err != nil {
			return err
		}
		var resp Response
		st, err := c.AsyncRefreshes.Get(ctx, h.ID, CallResponse(&resp))
		switch {
		case errors.Is(err, ErrNotFound):
			// The server forgets finished refreshes after a while.
			return nil
		case err != nil:
			return err
		case st.Status == AsyncRefreshFinished:
			return nil
		}
		retry = h.Retry
		if resp.AsyncRefresh != nil && resp.AsyncRefresh.Retry > 0 {
			retry = resp.AsyncRefresh.Retry
		}
	}
}

// captureResponse adds a CallResponse to opts that the caller can read,
// keeping one the caller passed working: done copies the response there.
func captureResponse(opts []CallOption) ([]CallOption, *Response, func()) {
	user := collect(opts).resp
	r := new(Response)
	o := append(append([]CallOption(nil), opts...), CallResponse(r))
	return o, r, func() {
		if user != nil {
			*user = *r
		}
	}
}

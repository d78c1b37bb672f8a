package mastodon

import (
	"context"
	"math/rand/v2"
	"sync"
	"time"
)

// RateLimitMode is how a client treats the server's rate limit, with
// Mastodon.py's semantics.
type RateLimitMode string

const (
	// RateLimitWait sleeps until the budget resets when it is spent, and
	// after a 429, then goes on. The default.
	RateLimitWait RateLimitMode = "wait"
	// RateLimitThrow fails at once with ErrRateLimited when the known
	// budget is spent or the server answers 429.
	RateLimitThrow RateLimitMode = "throw"
	// RateLimitPace spreads requests so the budget lasts until the reset,
	// scaled by the pace factor.
	RateLimitPace RateLimitMode = "pace"
)

// maxSleep caps any single wait the client does on its own.
const maxSleep = 5 * time.Minute

// rateLimiter is the state of one rate-limit budget (one token's, in one
// bucket: see rateLimits), shared by every goroutine using it. Mastodon
// counts requests in fixed windows: within one window
// (same limit, same reset) the Remaining it reports only falls, so the
// lowest figure heard is the server's count, whatever order answers arrive
// in. Requests released but not answered yet are counted apart (inflight)
// and subtracted from it, so many goroutines do not all spend the last
// request at once; a request that never reaches the server, or whose answer
// carries no rate-limit headers, gives its share back when it ends instead
// of lowering the budget until the reset.
type rateLimiter struct {
	mode       RateLimitMode
	paceFactor float64

	mu       sync.Mutex
	state    RateLimit
	inflight int           // requests released and not answered yet
	changed  chan struct{} // closed when inflight falls or the state changes
	lastCall time.Time     // when the last request was released (pace)
	refilled time.Time     // the past reset the budget was refilled for
}

// rlTicket is one request's share of the budget while it is in flight.
type rlTicket struct{ held bool }

func newRateLimiter(mode RateLimitMode, pace float64) *rateLimiter {
	return &rateLimiter{mode: mode, paceFactor: pace}
}

// State returns the last known rate-limit state.
func (l *rateLimiter) State() RateLimit {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.state
}

// RateLimit returns the rate-limit state of the most recent response this
// client got that carried one. Mastodon keeps separate budgets per token and
// for a few endpoints (media uploads, status deletions…): the state is that
// of the budget the last call was counted in.
func (c *Client) RateLimit() RateLimit { return c.last.get() }

// before is called before each request: it waits, or fails in throw mode,
// as the mode says. The ticket it returns (nil when nothing was reserved)
// goes back through update or done. limit (0 for none) bounds each wait:
// when the budget is spent until a reset further away than limit, it fails
// at once with a *RateLimitError rather than sleep.
func (l *rateLimiter) before(ctx context.Context, limit time.Duration) (*rlTicket, error) {
	for {
		tk, wait, wake, err := l.reserve()
		if err != nil {
			return nil, err
		}
		if wait <= 0 {
			return tk, nil
		}
		if limit > 0 && wait > limit && wake == nil {
			l.done(tk)
			return nil, &RateLimitError{RateLimit: l.State()}
		}
		wait = min(wait, maxSleep)
		if tk != nil {
			// Pace: the slot is reserved; go when it comes.
			if err := sleepCtx(ctx, wait); err != nil {
				l.done(tk)
				return nil, err
			}
			return tk, nil
		}
		if err := sleepWake(ctx, wait, wake); err != nil {
			return nil, err
		}
	}
}

// reserve decides how long to wait before the next request and, when it
// may go, takes its share of the known budget. wake, when not nil, is
// closed as soon as waiting may be over (a request in flight ended).
func (l *rateLimiter) reserve() (tk *rlTicket, wait time.Duration, wake <-chan struct{}, err error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := time.Now()
	st := &l.state
	if !st.Known || st.Reset.IsZero() {
		return nil, 0, nil, nil
	}
	if !now.Before(st.Reset) {
		// The window is over. Refill the budget once for it and spend
		// it until a response brings the new window; when it runs out
		// before that, wait briefly for that news rather than guess.
		if !l.refilled.Equal(st.Reset) {
			l.refilled = st.Reset
			st.Remaining = st.Limit
		}
		if st.Remaining-l.inflight <= 0 {
			if l.mode == RateLimitThrow {
				return nil, 0, nil, nil // let the server decide
			}
			return nil, time.Second, l.wake(), nil
		}
		return l.take(), 0, nil, nil
	}
	toReset := st.Reset.Sub(now)
	avail := st.Remaining - l.inflight
	if avail <= 0 {
		if l.mode == RateLimitThrow {
			return nil, 0, nil, &RateLimitError{RateLimit: *st}
		}
		if st.Remaining > 0 {
			// What is left is held by requests in flight: their answers
			// say whether it was spent.
			return nil, toReset, l.wake(), nil
		}
		return nil, toReset, nil, nil
	}
	tk = l.take()
	if l.mode != RateLimitPace {
		return tk, 0, nil, nil
	}
	// Pace: the remaining budget spread evenly over the time to reset,
	// less the time since the last request, divided by the pace factor
	// (Mastodon.py's formula).
	per := toReset / time.Duration(avail)
	next := l.lastCall.Add(time.Duration(float64(per) / l.paceFactor))
	if l.lastCall.IsZero() || !next.After(now) {
		l.lastCall = now
		return tk, 0, nil, nil
	}
	l.lastCall = next
	return tk, next.Sub(now), nil, nil
}

// take counts one more request in flight. l.mu is held.
func (l *rateLimiter) take() *rlTicket {
	l.inflight++
	return &rlTicket{held: true}
}

// wake returns a channel closed at the next change. l.mu is held.
func (l *rateLimiter) wake() <-chan struct{} {
	if l.changed == nil {
		l.changed = make(chan struct{})
	}
	return l.changed
}

// release ends a ticket and wakes the waiters. l.mu is held.
func (l *rateLimiter) release(tk *rlTicket) {
	if tk != nil && tk.held {
		tk.held = false
		l.inflight--
	}
	if l.changed != nil {
		close(l.changed)
		l.changed = nil
	}
}

// done gives back a ticket whose request got no answer to learn from.
func (l *rateLimiter) done(tk *rlTicket) {
	if tk == nil {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if tk.held {
		l.release(tk)
	}
}

// update records the state a response carried and ends the request's
// ticket. Within one window the lowest Remaining heard wins: the server's
// count only falls, and answers may arrive out of order.
func (l *rateLimiter) update(r *Response, tk *rlTicket) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if !r.RateLimit.Known {
		l.release(tk)
		return
	}
	st := r.RateLimit
	if l.state.Known && sameWindow(l.state, st) && l.state.Remaining < st.Remaining {
		st.Remaining = l.state.Remaining
	}
	if r.StatusCode == 429 {
		st.Remaining = 0
	}
	l.state = st
	l.release(tk)
}

// sameWindow reports whether two states describe one rate-limit window.
// Resets computed from different responses of one window may differ by up
// to a second or so (the Date header's resolution when correcting for
// clock skew, "seconds from now" resets); Mastodon's windows are minutes
// apart.
func sameWindow(a, b RateLimit) bool {
	d := a.Reset.Sub(b.Reset)
	return a.Limit == b.Limit && d < 2*time.Second && d > -2*time.Second
}

// waitAfter429 sleeps until the server says to try again. A wait longer
// than limit (0 for none) is not begun: it returns e.
func (l *rateLimiter) waitAfter429(ctx context.Context, e *APIError, limit time.Duration) error {
	wait := e.RetryAfter
	if !e.RateLimit.Reset.IsZero() {
		if d := time.Until(e.RateLimit.Reset); d > wait {
			wait = d
		}
	}
	if wait <= 0 {
		wait = time.Second
	}
	wait = min(wait, maxSleep)
	if limit > 0 && wait > limit {
		return e
	}
	return sleepCtx(ctx, wait)
}

// sleepWake sleeps for d, until wake is closed (a nil wake never is) or
// until ctx ends.
func sleepWake(ctx context.Context, d time.Duration, wake <-chan struct{}) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
	case <-wake:
	}
	return nil
}

// sleepCtx sleeps for d or until ctx ends.
func sleepCtx(ctx context.Context, d time.Duration) error {
	return sleepWake(ctx, d, nil)
}

// RetryPolicy bounds retries of requests that are safe to repeat (GET,
// HEAD, and requests with an Idempotency-Key) after network errors and
// 502/503/504 answers.
type RetryPolicy struct {
	MaxRetries int           // 0 disables retries
	MinBackoff time.Duration // first wait; doubles each retry
	MaxBackoff time.Duration // cap on one wait
}

// DefaultRetryPolicy retries three times, from half a second up.
var DefaultRetryPolicy = RetryPolicy{MaxRetries: 3, MinBackoff: 500 * time.Millisecond, MaxBackoff: 30 * time.Second}

// WithRetryPolicy sets the retry policy; RetryPolicy{} disables retries.
func WithRetryPolicy(p RetryPolicy) Option {
	return func(c *config) error {
		if p.MaxRetries < 0 || p.MaxRetries > 100 || p.MinBackoff < 0 || p.MaxBackoff < 0 {
			return illegalArg("WithRetryPolicy: out-of-range values")
		}
		if p.MaxBackoff == 0 {
			p.MaxBackoff = DefaultRetryPolicy.MaxBackoff
		}
		c.retry = p
		return nil
	}
}

// backoff is the wait before retry n (0-based): MinBackoff doubled n
// times, capped at MaxBackoff, drawn uniformly from the upper half of that
// (jitter keeps clients that failed together from retrying together). It
// is also the wait between a stream's reconnects.
func (p RetryPolicy) backoff(n int) time.Duration {
	d := p.MinBackoff
	for i := 0; i < n && d < p.MaxBackoff; i++ {
		d *= 2
	}
	d = min(d, p.MaxBackoff)
	if d <= 0 {
		return 0
	}
	half := d / 2
	return half + time.Duration(rand.Int64N(int64(half)+1))
}

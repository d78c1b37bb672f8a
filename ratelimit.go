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

// rateLimiter is the rate-limit state shared by every goroutine using a
// client. Requests in flight reserve budget, so many goroutines do not all
// spend the last request at once.
type rateLimiter struct {
	mode       RateLimitMode
	paceFactor float64

	mu       sync.Mutex
	state    RateLimit
	lastCall time.Time // when the last request was released (pace)
	refilled time.Time // the past reset the budget was refilled for
}

func newRateLimiter(mode RateLimitMode, pace float64) *rateLimiter {
	return &rateLimiter{mode: mode, paceFactor: pace}
}

// State returns the last known rate-limit state.
func (l *rateLimiter) State() RateLimit {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.state
}

// RateLimit returns the rate-limit state of the most recent response that
// carried one.
func (c *Client) RateLimit() RateLimit { return c.rl.State() }

// before is called before each request: it waits, or fails in throw mode,
// as the mode says.
func (l *rateLimiter) before(ctx context.Context) error {
	for {
		wait, err := l.reserve()
		if err != nil {
			return err
		}
		if wait <= 0 {
			return nil
		}
		if err := sleepCtx(ctx, wait); err != nil {
			return err
		}
		if l.mode == RateLimitPace {
			return nil // the pace slot was reserved; go
		}
	}
}

// reserve decides how long to wait before the next request and takes one
// request of the known budget.
func (l *rateLimiter) reserve() (time.Duration, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := time.Now()
	st := &l.state
	if !st.Known || st.Reset.IsZero() {
		return 0, nil
	}
	if !now.Before(st.Reset) {
		// The window is over. Refill the budget once for it and spend
		// it until a response brings the new window; when it runs out
		// before that, wait briefly for that news rather than guess.
		if !l.refilled.Equal(st.Reset) {
			l.refilled = st.Reset
			st.Remaining = st.Limit
		}
		if st.Remaining <= 0 {
			if l.mode == RateLimitThrow {
				return 0, nil // let the server decide
			}
			return time.Second, nil
		}
		st.Remaining--
		return 0, nil
	}
	toReset := st.Reset.Sub(now)
	if st.Remaining <= 0 {
		if l.mode == RateLimitThrow {
			return 0, &RateLimitError{RateLimit: *st}
		}
		return min(toReset, maxSleep), nil
	}
	st.Remaining--
	if l.mode != RateLimitPace {
		return 0, nil
	}
	// Pace: the remaining budget spread evenly over the time to reset,
	// less the time since the last request, divided by the pace factor
	// (Mastodon.py's formula).
	per := toReset / time.Duration(st.Remaining+1)
	next := l.lastCall.Add(time.Duration(float64(per) / l.paceFactor))
	if l.lastCall.IsZero() || !next.After(now) {
		l.lastCall = now
		return 0, nil
	}
	l.lastCall = next
	return min(next.Sub(now), maxSleep), nil
}

// update records the state a response carried. The server's count wins,
// except that reservations made since cannot be undone by an older answer.
func (l *rateLimiter) update(r *Response) {
	if !r.RateLimit.Known {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	st := r.RateLimit
	if l.state.Known && l.state.Reset.Equal(st.Reset) && l.state.Remaining < st.Remaining {
		st.Remaining = l.state.Remaining
	}
	if r.StatusCode == 429 {
		st.Remaining = 0
	}
	l.state = st
}

// waitAfter429 sleeps until the server says to try again.
func (l *rateLimiter) waitAfter429(ctx context.Context, e *APIError) error {
	wait := e.RetryAfter
	if !e.RateLimit.Reset.IsZero() {
		if d := time.Until(e.RateLimit.Reset); d > wait {
			wait = d
		}
	}
	if wait <= 0 {
		wait = time.Second
	}
	return sleepCtx(ctx, min(wait, maxSleep))
}

// sleepCtx sleeps for d or until ctx ends.
func sleepCtx(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
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

// backoff is the wait before retry n (0-based): exponential with full
// jitter in its upper half.
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

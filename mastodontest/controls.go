package mastodontest

import (
	"bytes"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Rate limiting: fixed windows per token (or client address), reported in
// Mastodon's X-RateLimit-Limit, X-RateLimit-Remaining and X-RateLimit-Reset
// headers. Exhausting one answers 429 with {"error":"Too many requests"}.
// As in Mastodon, every API call counts against the general budget, and
// media uploads and status deletions also against budgets of their own
// (30 per 30 minutes); the headers describe whichever of the budgets a
// call counted against has the fewest requests left.

// RateLimitBucket names one of the separate budgets the server keeps.
type RateLimitBucket string

const (
	// BucketGeneral is every API call: 300 per 5 minutes by default
	// (WithRateLimit, SetRateLimit).
	BucketGeneral RateLimitBucket = "general"
	// BucketMedia is POST /api/v1/media and /api/v2/media: 30 per 30 minutes.
	BucketMedia RateLimitBucket = "media"
	// BucketDelete is DELETE /api/v1/statuses/:id and
	// POST /api/v1/statuses/:id/unreblog: 30 per 30 minutes.
	BucketDelete RateLimitBucket = "delete"
)

type rateLimiter struct {
	mu      sync.Mutex
	budgets map[RateLimitBucket]budget
	windows map[windowKey]*window
}

type budget struct {
	limit  int
	period time.Duration
}

type windowKey struct {
	key    string
	bucket RateLimitBucket
}

type window struct {
	start time.Time
	used  int
}

func newRateLimiter(limit int, period time.Duration) *rateLimiter {
	if period <= 0 {
		period = 5 * time.Minute
	}
	return &rateLimiter{
		budgets: map[RateLimitBucket]budget{
			BucketGeneral: {limit, period},
			BucketMedia:   {30, 30 * time.Minute},
			BucketDelete:  {30, 30 * time.Minute},
		},
		windows: map[windowKey]*window{},
	}
}

func (rl *rateLimiter) reset() {
	rl.mu.Lock()
	rl.windows = map[windowKey]*window{}
	rl.mu.Unlock()
}

// bucketOf returns the budget a request counts against besides the
// general one, or "".
func bucketOf(method, path string) RateLimitBucket {
	switch {
	case method == http.MethodPost && (path == "/api/v1/media" || path == "/api/v2/media"):
		return BucketMedia
	case method == http.MethodDelete && strings.HasPrefix(path, "/api/v1/statuses/") &&
		!strings.Contains(path[len("/api/v1/statuses/"):], "/"):
		return BucketDelete
	case method == http.MethodPost && strings.HasPrefix(path, "/api/v1/statuses/") && strings.HasSuffix(path, "/unreblog") &&
		strings.Count(path, "/") == 5:
		return BucketDelete
	}
	return ""
}

// window returns key's current window in bucket. rl.mu is held.
func (rl *rateLimiter) window(k windowKey, b budget, now time.Time) *window {
	start := now.Truncate(b.period)
	w := rl.windows[k]
	if w == nil || !w.start.Equal(start) {
		w = &window{start: start}
		rl.windows[k] = w
		// Forget finished windows so a long run keeps memory flat.
		for k2, o := range rl.windows {
			if p := rl.budgets[k2.bucket].period; o.start.Add(p).Before(now) || o.start.Add(p).Equal(now) {
				delete(rl.windows, k2)
			}
		}
	}
	return w
}

// take spends one request of key's general budget, and of extra's when
// not "", and reports the state of the one with the fewest left.
func (rl *rateLimiter) take(key string, extra RateLimitBucket, now time.Time) (limit, remaining int, reset time.Time, allowed bool) {
	rl.mu.Lock()
	defer rl.mu.Unlock()
	if rl.budgets[BucketGeneral].limit <= 0 {
		return 0, 0, time.Time{}, true // rate limiting is off
	}
	buckets := []RateLimitBucket{BucketGeneral}
	if extra != "" {
		buckets = append(buckets, extra)
	}
	var ws []*window
	allowed = true
	remaining = -1
	for _, bk := range buckets {
		b := rl.budgets[bk]
		if b.limit <= 0 {
			continue
		}
		w := rl.window(windowKey{key, bk}, b, now)
		ws = append(ws, w)
		left := max(0, b.limit-w.used)
		if left == 0 {
			allowed = false
		}
		if remaining < 0 || left <= remaining {
			limit, remaining, reset = b.limit, left, w.start.Add(b.period)
		}
	}
	if remaining < 0 {
		return 0, 0, time.Time{}, true
	}
	if !allowed {
		return limit, 0, reset, false
	}
	for _, w := range ws {
		w.used++
	}
	return limit, remaining - 1, reset, true
}

// SetRateLimit changes the general request budget per window and clears
// what has been spent. A limit of 0 or less turns rate limiting off,
// every bucket's.
func (s *Server) SetRateLimit(limit int, period time.Duration) {
	s.SetBucketRateLimit(BucketGeneral, limit, period)
}

// SetBucketRateLimit changes one bucket's budget per window and clears what
// has been spent in every bucket. A limit of 0 or less turns the bucket off.
func (s *Server) SetBucketRateLimit(bucket RateLimitBucket, limit int, period time.Duration) {
	rl := s.limiter
	rl.mu.Lock()
	defer rl.mu.Unlock()
	b := rl.budgets[bucket]
	b.limit = limit
	if period > 0 {
		b.period = period
	}
	if b.period <= 0 {
		b.period = 5 * time.Minute
	}
	rl.budgets[bucket] = b
	rl.windows = map[windowKey]*window{}
}

// SetRateLimitRemaining sets how many requests the given access token (or,
// with "", every anonymous client) has left in the current general window.
func (s *Server) SetRateLimitRemaining(accessToken string, remaining int) {
	s.SetBucketRateLimitRemaining(accessToken, BucketGeneral, remaining)
}

// SetBucketRateLimitRemaining sets how many requests the given access token
// (or, with "", every anonymous client) has left in one bucket's current
// window.
func (s *Server) SetBucketRateLimitRemaining(accessToken string, bucket RateLimitBucket, remaining int) {
	rl := s.limiter
	rl.mu.Lock()
	defer rl.mu.Unlock()
	b, ok := rl.budgets[bucket]
	if !ok || b.period <= 0 {
		return
	}
	start := s.now().Truncate(b.period)
	rl.windows[windowKey{"t:" + accessToken, bucket}] = &window{start: start, used: max(0, b.limit-remaining)}
}

// Fault describes a failure to inject into the next matching requests:
// one value says which requests (Method, Path), how many (Count) and what
// goes wrong. Delay may be combined with one of Status, Reset and Truncate;
// a Fault with only a Delay slows the requests down and then serves them.
type Fault struct {
	// Method and Path select requests ("" matches any); a Path ending in
	// "*" matches by prefix.
	Method, Path string
	// Count is how many requests it applies to (default 1).
	Count int
	// Status, with Body and ContentType, answers instead of the endpoint
	// (default body: an HTML error page, as a proxy in front of Mastodon sends).
	Status      int
	Body        string
	ContentType string
	// Header adds response headers to a Status answer (e.g. Retry-After).
	Header http.Header
	// Reset closes the connection without answering.
	Reset bool
	// Truncate sends the real response's headers and half of its body,
	// then closes the connection.
	Truncate bool
	// Delay waits before handling (cut short if the client gives up).
	Delay time.Duration
}

// check reports what is wrong with a Fault, or "".
func (f *Fault) check() string {
	n := 0
	if f.Status != 0 {
		n++
		if f.Status < 100 || f.Status > 999 {
			return "Status " + strconv.Itoa(f.Status) + " is not an HTTP status code"
		}
	}
	if f.Reset {
		n++
	}
	if f.Truncate {
		n++
	}
	switch {
	case n > 1:
		return "at most one of Status, Reset and Truncate may be set"
	case n == 0 && f.Delay <= 0:
		return "a Fault needs a Status, Reset, Truncate or a positive Delay"
	case f.Status == 0 && (f.Body != "" || f.ContentType != "" || len(f.Header) > 0):
		return "Body, ContentType and Header need a Status"
	case f.Count < 0 || f.Delay < 0:
		return "Count and Delay may not be negative"
	}
	return ""
}

type faults struct {
	mu   sync.Mutex
	list []*Fault
}

func (f *faults) reset() {
	f.mu.Lock()
	f.list = nil
	f.mu.Unlock()
}

func (f *faults) take(r *http.Request) *Fault {
	f.mu.Lock()
	defer f.mu.Unlock()
	for i, x := range f.list {
		if x.Method != "" && !strings.EqualFold(x.Method, r.Method) {
			continue
		}
		if x.Path != "" {
			if p, ok := strings.CutSuffix(x.Path, "*"); ok {
				if !strings.HasPrefix(r.URL.Path, p) {
					continue
				}
			} else if x.Path != r.URL.Path {
				continue
			}
		}
		cp := *x
		x.Count--
		if x.Count <= 0 {
			f.list = append(f.list[:i:i], f.list[i+1:]...)
		}
		return &cp
	}
	return nil
}

// InjectFault arms a fault for the next matching requests. Faults are
// consumed in the order they were added; each request meets at most one.
// A Fault that cannot be carried out (two outcomes, a negative Count, a
// Body without a Status…) panics, as a mistake in the test itself.
func (s *Server) InjectFault(f Fault) {
	if msg := f.check(); msg != "" {
		panic("mastodontest: InjectFault: " + msg)
	}
	if f.Count == 0 {
		f.Count = 1
	}
	f.Header = f.Header.Clone()
	s.faults.mu.Lock()
	s.faults.list = append(s.faults.list, &f)
	s.faults.mu.Unlock()
}

// ClearFaults disarms every pending fault.
func (s *Server) ClearFaults() { s.faults.reset() }

// Requests returns how many requests the server has received.
func (s *Server) Requests() int64 {
	s.reqMu.Lock()
	defer s.reqMu.Unlock()
	return s.reqCount
}

func errorPage(status int) string {
	text := http.StatusText(status)
	return "<!DOCTYPE html>\n<html><head><title>" + strconv.Itoa(status) + " " + text + "</title></head>" +
		"<body><h1>" + strconv.Itoa(status) + " " + text + "</h1><p>mastodontest injected this error.</p></body></html>\n"
}

func rateLimited(path string) bool {
	return strings.HasPrefix(path, "/api/") && !strings.HasPrefix(path, "/api/v1/streaming") || path == "/oauth/token"
}

// middleware applies faults and rate limits before the routes.
func (s *Server) middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.reqMu.Lock()
		s.reqCount++
		s.reqMu.Unlock()
		// Rails routes ignore a trailing slash; so do we.
		if p := r.URL.Path; len(p) > 1 && strings.HasSuffix(p, "/") {
			r.URL.Path = strings.TrimRight(p, "/")
			r.URL.RawPath = ""
		}
		if f := s.faults.take(r); f != nil {
			if f.Delay > 0 {
				t := time.NewTimer(f.Delay)
				select {
				case <-t.C:
				case <-r.Context().Done():
					t.Stop()
					return
				}
			}
			switch {
			case f.Reset:
				if hj, ok := w.(http.Hijacker); ok {
					if conn, _, err := hj.Hijack(); err == nil {
						if tc, ok := conn.(*net.TCPConn); ok {
							_ = tc.SetLinger(0)
						}
						_ = conn.Close()
					}
				}
				return
			case f.Status != 0:
				for k, v := range f.Header {
					w.Header()[k] = v
				}
				body, ct := f.Body, f.ContentType
				if body == "" {
					body, ct = errorPage(f.Status), "text/html; charset=utf-8"
				}
				if ct == "" {
					ct = "text/html; charset=utf-8"
				}
				w.Header().Set("Content-Type", ct)
				w.WriteHeader(f.Status)
				_, _ = w.Write([]byte(body))
				return
			case f.Truncate:
				rec := &recorder{header: http.Header{}}
				s.limitAndServe(rec, r, next)
				for k, v := range rec.header {
					w.Header()[k] = v
				}
				body := rec.buf.Bytes()
				w.Header().Set("Content-Length", strconv.Itoa(len(body)))
				if rec.code == 0 {
					rec.code = 200
				}
				w.WriteHeader(rec.code)
				_, _ = w.Write(body[:len(body)/2])
				if fl, ok := w.(http.Flusher); ok {
					fl.Flush()
				}
				if hj, ok := w.(http.Hijacker); ok {
					if conn, _, err := hj.Hijack(); err == nil {
						_ = conn.Close()
					}
				}
				return
			}
		}
		s.limitAndServe(w, r, next)
	})
}

func (s *Server) limitAndServe(w http.ResponseWriter, r *http.Request, next http.Handler) {
	w.Header().Set("Date", s.now().UTC().Format(http.TimeFormat))
	if rateLimited(r.URL.Path) {
		key := "t:" + bearer(r)
		if bearer(r) == "" {
			host, _, _ := net.SplitHostPort(r.RemoteAddr)
			key = "t:"
			_ = host
		}
		limit, remaining, reset, allowed := s.limiter.take(key, bucketOf(r.Method, r.URL.Path), s.now())
		if limit > 0 {
			h := w.Header()
			h.Set("X-RateLimit-Limit", strconv.Itoa(limit))
			h.Set("X-RateLimit-Remaining", strconv.Itoa(remaining))
			h.Set("X-RateLimit-Reset", reset.UTC().Format("2006-01-02T15:04:05.000000Z"))
			if !allowed {
				h.Set("Retry-After", strconv.Itoa(max(1, int(reset.Sub(s.now()).Seconds()+0.999))))
				writeJSON(w, http.StatusTooManyRequests, map[string]string{"error": "Too many requests"}, nil)
				return
			}
		}
	}
	next.ServeHTTP(w, r)
}

type recorder struct {
	header http.Header
	code   int
	buf    bytes.Buffer
}

func (r *recorder) Header() http.Header         { return r.header }
func (r *recorder) Write(b []byte) (int, error) { return r.buf.Write(b) }
func (r *recorder) WriteHeader(code int) {
	if r.code == 0 {
		r.code = code
	}
}

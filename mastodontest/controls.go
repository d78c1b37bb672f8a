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

// Rate limiting: a fixed window per token (or client address), reported in
// Mastodon's X-RateLimit-Limit, X-RateLimit-Remaining and X-RateLimit-Reset
// headers. Exhausting it answers 429 with {"error":"Too many requests"}.

type rateLimiter struct {
	mu      sync.Mutex
	limit   int
	period  time.Duration
	windows map[string]*window
}

type window struct {
	start time.Time
	used  int
}

func newRateLimiter(limit int, period time.Duration) *rateLimiter {
	if period <= 0 {
		period = 5 * time.Minute
	}
	return &rateLimiter{limit: limit, period: period, windows: map[string]*window{}}
}

func (rl *rateLimiter) reset() {
	rl.mu.Lock()
	rl.windows = map[string]*window{}
	rl.mu.Unlock()
}

// take spends one request of key's budget and reports the state after it.
func (rl *rateLimiter) take(key string, now time.Time) (limit, remaining int, reset time.Time, allowed bool) {
	rl.mu.Lock()
	defer rl.mu.Unlock()
	if rl.limit <= 0 {
		return 0, 0, time.Time{}, true
	}
	start := now.Truncate(rl.period)
	w := rl.windows[key]
	if w == nil || !w.start.Equal(start) {
		w = &window{start: start}
		rl.windows[key] = w
		// Forget finished windows so a long run keeps memory flat.
		for k, o := range rl.windows {
			if o.start.Before(start) {
				delete(rl.windows, k)
			}
		}
	}
	reset = start.Add(rl.period)
	if w.used >= rl.limit {
		return rl.limit, 0, reset, false
	}
	w.used++
	return rl.limit, rl.limit - w.used, reset, true
}

// SetRateLimit changes the request budget per window and clears what has
// been spent. A limit of 0 or less turns rate limiting off.
func (s *Server) SetRateLimit(limit int, period time.Duration) {
	s.limiter.mu.Lock()
	s.limiter.limit = limit
	if period > 0 {
		s.limiter.period = period
	}
	s.limiter.windows = map[string]*window{}
	s.limiter.mu.Unlock()
}

// SetRateLimitRemaining sets how many requests the given access token (or,
// with "", every anonymous client) has left in the current window.
func (s *Server) SetRateLimitRemaining(accessToken string, remaining int) {
	rl := s.limiter
	rl.mu.Lock()
	defer rl.mu.Unlock()
	key := "t:" + accessToken
	start := s.now().Truncate(rl.period)
	rl.windows[key] = &window{start: start, used: max(0, rl.limit-remaining)}
}

// Fault describes a failure to inject into the next matching requests.
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
	// Header adds response headers (e.g. Retry-After).
	Header http.Header
	// Reset closes the connection without answering.
	Reset bool
	// Truncate sends the real response's headers and half of its body,
	// then closes the connection.
	Truncate bool
	// Delay waits before handling (cut short if the client gives up).
	Delay time.Duration
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
// consumed in the order they were added.
func (s *Server) InjectFault(f Fault) {
	if f.Count <= 0 {
		f.Count = 1
	}
	s.faults.mu.Lock()
	s.faults.list = append(s.faults.list, &f)
	s.faults.mu.Unlock()
}

// FailNext makes the next n requests answer status with an HTML error page.
func (s *Server) FailNext(n, status int) { s.InjectFault(Fault{Count: n, Status: status}) }

// ResetNext makes the next n requests have their connection closed unanswered.
func (s *Server) ResetNext(n int) { s.InjectFault(Fault{Count: n, Reset: true}) }

// TruncateNext makes the next n responses stop halfway through their body.
func (s *Server) TruncateNext(n int) { s.InjectFault(Fault{Count: n, Truncate: true}) }

// DelayNext makes the next n requests wait d before being handled.
func (s *Server) DelayNext(n int, d time.Duration) { s.InjectFault(Fault{Count: n, Delay: d}) }

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
		limit, remaining, reset, allowed := s.limiter.take(key, s.now())
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

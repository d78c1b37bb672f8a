package mastodontest

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"
)

// Server is an in-memory Mastodon-compatible server listening on loopback.
// All of its methods are safe for concurrent use.
type Server struct {
	// URL is the base URL of the server, e.g. "http://127.0.0.1:41234".
	URL string

	cfg      config
	ln       net.Listener
	http     *http.Server
	mux      *http.ServeMux
	clock    *Clock
	hub      *hub
	limiter  *rateLimiter
	faults   *faults
	closeCtx context.Context
	cancel   context.CancelFunc
	wg       sync.WaitGroup

	mu sync.Mutex
	st *store

	reqMu    sync.Mutex
	reqCount int64

	fam familyState // family.go
}

// config holds the options of a Server.
type config struct {
	addr          string
	version       string
	apiVersion    int
	title         string
	clock         *Clock
	heartbeat     time.Duration
	rateLimit     int
	ratePeriod    time.Duration
	processBytes  int64
	processPolls  int
	maxChars      int
	registrations bool
	translation   bool // the fake translator is on (translate.go)
	passwordGrant bool // the OAuth password grant is offered (WithPasswordGrant)
	publicURL     string
	family        Family // family.go
}

// Option configures a Server.
type Option func(*config)

// WithAddr sets the listen address (default "127.0.0.1:0", a free loopback port).
func WithAddr(addr string) Option { return func(c *config) { c.addr = addr } }

// WithVersion sets the version the instance endpoints report (default "4.5.0")
// and the api_versions.mastodon number of /api/v2/instance.
func WithVersion(version string, apiVersion int) Option {
	return func(c *config) { c.version, c.apiVersion = version, apiVersion }
}

// WithTitle sets the instance title (default "Mastodon").
func WithTitle(title string) Option { return func(c *config) { c.title = title } }

// WithClock makes the server read time from c instead of the system clock:
// created_at values, snowflake IDs, poll expiry, scheduled statuses, token
// expiry and rate-limit windows all follow it.
func WithClock(c *Clock) Option { return func(cfg *config) { cfg.clock = c } }

// WithHeartbeat sets how often streams send a heartbeat (default 15s, as
// Mastodon's streaming server does): the comment ":thump" on SSE, a ping
// frame on WebSocket. Heartbeats follow the server's Clock, so a test with a
// frozen clock gets one exactly when it advances the clock that far.
func WithHeartbeat(d time.Duration) Option { return func(c *config) { c.heartbeat = d } }

// WithRateLimit sets the general request budget per token (or per client
// address for anonymous requests) and its window (default 300 per 5 minutes).
// Media uploads and status deletions also count against budgets of their
// own (see RateLimitBucket). A limit of 0 or less disables rate limiting.
func WithRateLimit(limit int, period time.Duration) Option {
	return func(c *config) { c.rateLimit, c.ratePeriod = limit, period }
}

// WithMediaProcessing sets the upload size from which POST /api/v2/media
// answers 202 with the attachment still processing (default 1 MiB), and how
// many GET /api/v1/media/{id} polls answer 206 before it is ready (default 1).
func WithMediaProcessing(minBytes int64, polls int) Option {
	return func(c *config) { c.processBytes, c.processPolls = minBytes, polls }
}

// WithPublicURL makes the server write u (such as "http://localhost:3000",
// which other clients' suites hard-code, or the address of a proxy in
// front of it) in every URL it hands out: Link headers, media, account and
// status URLs, the streaming URL, the instance domain. It still listens on
// the WithAddr address; u must reach it. u is scheme and host only.
func WithPublicURL(u string) Option { return func(c *config) { c.publicURL = u } }

// WithPasswordGrant offers the OAuth password grant (grant_type=password),
// which Mastodon 4.4 and later, like the 4.5.0 this server reports, no
// longer do: off by default, so a client that relies on it fails here as it
// would on a real server. Turn it on for suites that log in with a password.
func WithPasswordGrant(on bool) Option { return func(c *config) { c.passwordGrant = on } }

// WithMaxCharacters sets the status length limit (default 500).
func WithMaxCharacters(n int) Option { return func(c *config) { c.maxChars = n } }

// NewServer starts a server on a loopback port. Close it when done.
func NewServer(opts ...Option) (*Server, error) {
	cfg := config{
		addr:          "127.0.0.1:0",
		version:       "4.5.0",
		apiVersion:    7,
		title:         "Mastodon",
		heartbeat:     15 * time.Second,
		rateLimit:     300,
		ratePeriod:    5 * time.Minute,
		processBytes:  1 << 20,
		processPolls:  1,
		maxChars:      500,
		registrations: true,
	}
	for _, o := range opts {
		o(&cfg)
	}
	public, err := checkPublicURL(cfg.publicURL)
	if err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", cfg.addr)
	if err != nil {
		return nil, err
	}
	s := &Server{cfg: cfg, ln: ln, clock: cfg.clock}
	if s.clock == nil {
		s.clock = &Clock{}
	}
	s.URL = "http://" + ln.Addr().String()
	if public != "" {
		s.URL = public
	}
	s.closeCtx, s.cancel = context.WithCancel(context.Background())
	s.st = newStore(s)
	s.hub = newHub()
	s.limiter = newRateLimiter(cfg.rateLimit, cfg.ratePeriod)
	s.faults = &faults{}
	s.mux = http.NewServeMux()
	s.routes()
	s.http = &http.Server{
		Handler:           s.familyHandler(s.middleware(s.mux)),
		ReadHeaderTimeout: 10 * time.Second,
		BaseContext:       func(net.Listener) context.Context { return s.closeCtx },
	}
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		if err := s.http.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			_ = err // the listener closed under us; nothing to report to
		}
	}()
	return s, nil
}

// NewTestServer starts a server for a test and closes it at the test's end.
func NewTestServer(tb testing.TB, opts ...Option) *Server {
	tb.Helper()
	s, err := NewServer(opts...)
	if err != nil {
		tb.Fatalf("mastodontest: starting server: %v", err)
	}
	tb.Cleanup(s.Close)
	return s
}

// Close stops the server, ends every open stream and waits for handlers.
func (s *Server) Close() {
	s.cancel()
	s.hub.closeAll()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := s.http.Shutdown(ctx); err != nil {
		_ = s.http.Close()
	}
	s.wg.Wait()
}

// Addr returns the address the server listens on, which differs from URL's
// host under WithPublicURL.
func (s *Server) Addr() string { return s.ln.Addr().String() }

// checkPublicURL validates a WithPublicURL value and returns it without a
// trailing slash ("" when none was given).
func checkPublicURL(u string) (string, error) {
	if u == "" {
		return "", nil
	}
	p, err := url.Parse(strings.TrimSuffix(u, "/"))
	if err != nil || (p.Scheme != "http" && p.Scheme != "https") || p.Host == "" || p.Path != "" ||
		p.RawQuery != "" || p.Fragment != "" || p.User != nil {
		return "", fmt.Errorf("mastodontest: public URL %q is not a scheme://host[:port] URL", u)
	}
	return p.Scheme + "://" + p.Host, nil
}

// Clock returns the server's clock. Unless WithClock was given it follows
// the system time; calling Set or Advance on it freezes it from then on.
func (s *Server) Clock() *Clock { return s.clock }

// Handler returns the server's HTTP handler, for mounting it elsewhere.
func (s *Server) Handler() http.Handler { return s.http.Handler }

// StreamingURL is the base URL of the streaming API (the same server).
func (s *Server) StreamingURL() string { return "ws" + strings.TrimPrefix(s.URL, "http") }

// Reset forgets every account, app, token, status and other state, as if
// the server had just started. Open streams are closed.
func (s *Server) Reset() {
	s.mu.Lock()
	s.st = newStore(s)
	s.mu.Unlock()
	s.hub.closeAll()
	s.limiter.reset()
	s.faults.reset()
}

func (s *Server) now() time.Time { return s.clock.Now() }

// Clock is a controllable time source. The zero value follows the system
// clock until Set or Advance is called. Stream heartbeats wait on it too:
// while it follows the system clock they come in real time; once it is
// frozen they come only when Set or Advance moves it past their due time.
type Clock struct {
	mu     sync.Mutex
	frozen bool
	t      time.Time
	waits  map[*clockWait]struct{}
}

// clockWait is one pending wait on a Clock.
type clockWait struct {
	at   time.Time
	ch   chan struct{} // closed when due
	real *time.Timer   // fires it while the clock follows the system time
}

// NewClock returns a clock frozen at t.
func NewClock(t time.Time) *Clock { return &Clock{frozen: true, t: t.UTC()} }

// Now returns the clock's current time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.nowLocked()
}

func (c *Clock) nowLocked() time.Time {
	if !c.frozen {
		return time.Now().UTC()
	}
	return c.t
}

// Set freezes the clock at t.
func (c *Clock) Set(t time.Time) {
	c.mu.Lock()
	c.freezeLocked()
	c.t = t.UTC()
	c.releaseLocked()
	c.mu.Unlock()
}

// Advance moves the clock forward by d (freezing it first if it followed
// the system clock).
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.freezeLocked()
	c.t = c.t.Add(d)
	c.releaseLocked()
	c.mu.Unlock()
}

// freezeLocked stops following the system time: real timers no longer
// fire waits, only Set and Advance do.
func (c *Clock) freezeLocked() {
	if c.frozen {
		return
	}
	c.frozen, c.t = true, time.Now().UTC()
	for w := range c.waits {
		if w.real != nil {
			w.real.Stop()
			w.real = nil
		}
	}
}

// releaseLocked fires every wait that is due at the frozen time.
func (c *Clock) releaseLocked() {
	for w := range c.waits {
		if !w.at.After(c.t) {
			c.fireLocked(w)
		}
	}
}

func (c *Clock) fireLocked(w *clockWait) {
	if _, ok := c.waits[w]; !ok {
		return
	}
	delete(c.waits, w)
	if w.real != nil {
		w.real.Stop()
		w.real = nil
	}
	close(w.ch)
}

// after returns a channel that is closed once the clock has moved d past
// its current time, and a function that abandons the wait (it must be
// called if the channel may not fire, so the wait is not kept).
func (c *Clock) after(d time.Duration) (<-chan struct{}, func()) {
	c.mu.Lock()
	defer c.mu.Unlock()
	w := &clockWait{at: c.nowLocked().Add(d), ch: make(chan struct{})}
	if c.waits == nil {
		c.waits = map[*clockWait]struct{}{}
	}
	c.waits[w] = struct{}{}
	if !c.frozen {
		w.real = time.AfterFunc(d, func() {
			c.mu.Lock()
			if !c.frozen {
				c.fireLocked(w)
			}
			c.mu.Unlock()
		})
	} else if d <= 0 {
		c.fireLocked(w)
	}
	return w.ch, func() {
		c.mu.Lock()
		if _, ok := c.waits[w]; ok {
			delete(c.waits, w)
			if w.real != nil {
				w.real.Stop()
			}
		}
		c.mu.Unlock()
	}
}

// pending returns how many waits are outstanding.
func (c *Clock) pending() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.waits)
}

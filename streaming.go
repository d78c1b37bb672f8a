package mastodon

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"iter"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/tuskgo/mastodon/internal/wsmsg"
)

// Transport selects how a stream reaches the server.
type Transport string

const (
	// TransportAuto tries the multiplexed WebSocket first and falls back to
	// server-sent events when the WebSocket handshake fails.
	TransportAuto Transport = ""
	// TransportWebSocket uses /api/v1/streaming over WebSocket (Mastodon
	// 3.3+, GoToSocial): one socket for all subscriptions.
	TransportWebSocket Transport = "websocket"
	// TransportSSE uses server-sent events: one HTTP response per
	// subscription.
	TransportSSE Transport = "sse"
)

// Stream names, as the API spells them.
const (
	StreamUser              = "user"
	StreamUserNotification  = "user:notification"
	StreamPublic            = "public"
	StreamPublicMedia       = "public:media"
	StreamPublicLocal       = "public:local"
	StreamPublicLocalMedia  = "public:local:media"
	StreamPublicRemote      = "public:remote"
	StreamPublicRemoteMedia = "public:remote:media"
	StreamHashtag           = "hashtag"
	StreamHashtagLocal      = "hashtag:local"
	StreamList              = "list"
	StreamDirect            = "direct"
)

// Subscription names one stream. Tag is needed for hashtag streams and
// List (a list ID) for list streams.
type Subscription struct {
	Stream string
	Tag    string
	List   string
}

// key is the label the server puts on the subscription's events.
func (s Subscription) key() []string { return wsmsg.StreamKey(s.Stream, s.Tag, s.List) }

func (s Subscription) String() string { return strings.Join(s.key(), " ") }

func (s Subscription) validate() error {
	switch s.Stream {
	case StreamUser, StreamUserNotification, StreamPublic, StreamPublicMedia, StreamPublicLocal,
		StreamPublicLocalMedia, StreamPublicRemote, StreamPublicRemoteMedia, StreamDirect:
		return nil
	case StreamHashtag, StreamHashtagLocal:
		if strings.TrimLeft(s.Tag, "#") == "" {
			return illegalArg("streaming: hashtag stream needs a tag")
		}
		return nil
	case StreamList:
		if s.List == "" {
			return illegalArg("streaming: list stream needs a list ID")
		}
		return nil
	}
	return illegalArg(fmt.Sprintf("streaming: unknown stream %q", s.Stream))
}

// StreamOptions tune a stream's connection; which stream it is comes from
// the method (or the Subscription given to Open). The zero value (or nil)
// gives the defaults.
//
// Every stream method takes at most one *StreamOptions, last. It is
// variadic so that the common call needs none, c.Streaming.User(ctx); more
// than one is an illegal argument, never "the last one wins".
type StreamOptions struct {
	// Transport selects WebSocket, SSE, or (default) WebSocket with SSE as
	// fallback.
	Transport Transport
	// NoCatchUp turns off catching up, which is on by default: after each
	// reconnect, the statuses and notifications the stream missed while it
	// was down are fetched through the REST API (user, public, local,
	// remote, hashtag and list streams; notifications for the user
	// stream), delivered oldest first with EventMeta.CatchUp set, and live
	// events already delivered are dropped. Streams the REST API cannot
	// fill (direct) are not caught up. Catching up costs one or two REST
	// calls per subscription when it starts and a few after a reconnect.
	// A stream with NoReconnect has no gap to fill and never catches up.
	NoCatchUp bool
	// HeartbeatTimeout is how long a connection may stay silent before it
	// is deemed dead and replaced (default 60s; Mastodon sends an SSE
	// heartbeat every 15s and a WebSocket ping every 30s). WebSocket
	// connections are pinged after half of it.
	HeartbeatTimeout time.Duration
	// ReconnectMin and ReconnectMax bound the exponential backoff between
	// reconnects (defaults 1s and 1m); each wait is jittered.
	ReconnectMin, ReconnectMax time.Duration
	// MaxReconnects is how many reconnects in a row may fail before the
	// stream gives up with an error (0: never give up).
	MaxReconnects int
	// NoReconnect ends the stream at the first disconnect.
	NoReconnect bool
	// ConnectionEvents adds what happens to the stream's connections to
	// Events, in order with the server's events: a *ConnectEvent for each
	// connection made (the first and every reconnect), a *DisconnectEvent
	// with the reason for each one lost while the stream runs, and a
	// *HeartbeatEvent for each heartbeat the server sends (an SSE comment,
	// a WebSocket ping), as Mastodon.py's handle_heartbeat sees them.
	ConnectionEvents bool
}

func (o *StreamOptions) heartbeat() time.Duration {
	if o.HeartbeatTimeout > 0 {
		return o.HeartbeatTimeout
	}
	return 60 * time.Second
}

// Errors a stream reports.
var (
	// ErrHeartbeatTimeout is the disconnect reason when a connection stayed
	// silent longer than StreamOptions.HeartbeatTimeout.
	ErrHeartbeatTimeout = errors.New("mastodon: stream heartbeat timeout")
	// ErrStreamClosed is returned by calls on a closed stream.
	ErrStreamClosed = errors.New("mastodon: stream closed")
	// ErrCatchUpIncomplete is delivered when the catch-up after a reconnect
	// stopped before reaching the present; some events may be missing.
	ErrCatchUpIncomplete = errors.New("mastodon: stream catch-up incomplete")
)

// Stream is a live subscription to one or more streams. Read it with
// Events; stop it with Close or by cancelling the context it was opened
// with. It reconnects by itself.
type Stream struct {
	c    *Client
	opts StreamOptions

	ctx    context.Context
	cancel context.CancelCauseFunc
	out    chan delivery
	done   chan struct{} // closed when every link has stopped
	wg     sync.WaitGroup
	once   sync.Once

	mu        sync.Mutex
	links     []*link
	transport Transport
	final     error // why the stream ended, when not closed by the user
	running   atomic.Int32
	closed    atomic.Bool
	iterating atomic.Bool
}

// streamQueue is how many events a stream's links may decode ahead of the
// reader: enough that one goroutine switch serves many events, few enough
// that a slow reader holds the links back soon.
const streamQueue = 32

type delivery struct {
	ev  Event
	err error
}

// Open subscribes to one or several streams at once, named by
// Subscription: the way to every stream variant the other methods do not
// name (StreamPublicMedia, StreamPublicLocalMedia, StreamPublicRemoteMedia).
// Over WebSocket the subscriptions share one connection; over SSE each has
// its own. Events say which subscription they belong to in Meta().Stream.
// ctx bounds the whole life of the stream; the options may be left out.
//
//api:endpoint GET /api/v1/streaming
//api:since 3.3.0
func (s *StreamingService) Open(ctx context.Context, subs []Subscription, opts ...*StreamOptions) (*Stream, error) {
	if ctx == nil {
		return nil, illegalArg("nil context")
	}
	if len(opts) > 1 {
		return nil, illegalArg("streaming: more than one *StreamOptions")
	}
	var o *StreamOptions
	if len(opts) == 1 {
		o = opts[0]
	}
	if len(subs) == 0 {
		return nil, illegalArg("streaming: no subscription")
	}
	seen := map[string]bool{}
	var list []Subscription
	for _, sub := range subs {
		sub.Tag = strings.TrimLeft(sub.Tag, "#")
		if err := sub.validate(); err != nil {
			return nil, err
		}
		if k := sub.String(); !seen[k] {
			seen[k] = true
			list = append(list, sub)
		}
	}
	var so StreamOptions // the caller's struct is not changed
	if o != nil {
		so = *o
	}
	switch so.Transport {
	case TransportAuto, TransportWebSocket, TransportSSE:
	default:
		return nil, illegalArg(fmt.Sprintf("streaming: unknown transport %q", string(so.Transport)))
	}
	if so.ReconnectMin <= 0 {
		so.ReconnectMin = time.Second
	}
	if so.ReconnectMax <= 0 {
		so.ReconnectMax = time.Minute
	}
	if so.ReconnectMax < so.ReconnectMin {
		so.ReconnectMax = so.ReconnectMin
	}
	st := &Stream{c: s.c, opts: so, out: make(chan delivery, streamQueue), done: make(chan struct{})}
	st.ctx, st.cancel = context.WithCancelCause(ctx)
	if err := st.start(list); err != nil {
		st.Close()
		return nil, err
	}
	return st, nil
}

// start makes the first connection(s) and starts the readers.
func (st *Stream) start(subs []Subscription) error {
	base, err := st.c.streamingBase(st.ctx)
	if err != nil {
		return err
	}
	t := st.opts.Transport
	if t == TransportAuto || t == TransportWebSocket {
		l := newLink(st, TransportWebSocket, base, subs)
		sess, err := l.connect(st.ctx)
		if err == nil {
			st.mu.Lock()
			st.transport = TransportWebSocket
			st.mu.Unlock()
			if !st.launch(l, sess) {
				return context.Cause(st.ctx)
			}
			return nil
		}
		if t == TransportWebSocket || st.ctx.Err() != nil {
			return err
		}
		st.c.log.DebugContext(st.ctx, "mastodon stream: WebSocket failed, trying SSE", "error", err.Error())
	}
	st.mu.Lock()
	st.transport = TransportSSE
	st.mu.Unlock()
	for _, sub := range subs {
		l := newLink(st, TransportSSE, base, []Subscription{sub})
		sess, err := l.connect(st.ctx)
		if err != nil {
			return err
		}
		if !st.launch(l, sess) {
			return context.Cause(st.ctx)
		}
	}
	return nil
}

// launch starts a link's goroutine; it refuses (closing sess) once the
// stream is closing, so Close never races a new goroutine.
func (st *Stream) launch(l *link, sess session) bool {
	st.mu.Lock()
	defer st.mu.Unlock()
	if st.closed.Load() || st.ctx.Err() != nil {
		sess.close()
		return false
	}
	st.links = append(st.links, l)
	l.mu.Lock()
	l.sess = sess // visible to Subscribe before the goroutine runs
	l.mu.Unlock()
	st.running.Add(1)
	st.wg.Add(1)
	go l.run(sess)
	return true
}

// linkStopped is called by each link's goroutine as it ends.
func (st *Stream) linkStopped(l *link) {
	st.mu.Lock()
	if l.err != nil && !st.closed.Load() {
		st.final = l.err
	}
	st.mu.Unlock()
	if st.running.Add(-1) == 0 {
		st.once.Do(func() { close(st.done) })
		st.cancel(ErrStreamClosed)
	}
}

// Transport returns the transport in use.
func (st *Stream) Transport() Transport {
	if st == nil {
		return TransportAuto
	}
	st.mu.Lock()
	defer st.mu.Unlock()
	return st.transport
}

// Err returns why the stream ended: nil while it runs and after Close, the
// context's error after cancellation, or the error that stopped it.
func (st *Stream) Err() error {
	if st == nil || st.ctx == nil {
		return nil
	}
	select {
	case <-st.done:
	default:
		return nil
	}
	st.mu.Lock()
	defer st.mu.Unlock()
	if st.closed.Load() {
		return nil
	}
	if st.final != nil {
		return st.final
	}
	if cause := context.Cause(st.ctx); cause != nil && !errors.Is(cause, ErrStreamClosed) {
		return cause
	}
	return nil
}

// Close stops the stream and waits for its goroutines to end. It is safe to
// call at any time, from any goroutine, more than once.
func (st *Stream) Close() error {
	if st == nil || st.cancel == nil {
		return nil
	}
	st.mu.Lock()
	st.closed.Store(true)
	st.mu.Unlock()
	st.cancel(ErrStreamClosed)
	st.wg.Wait()
	st.once.Do(func() { close(st.done) })
	return nil
}

// Done is closed when the stream has ended.
func (st *Stream) Done() <-chan struct{} { return st.done }

// Events returns the stream's events in order. Errors that do not end the
// stream (a malformed event, a failed subscription, an incomplete catch-up)
// come as error values and the iteration goes on; an error that ends it
// comes last. Breaking out of the loop closes the stream. Events may be
// ranged over once.
func (st *Stream) Events() iter.Seq2[Event, error] {
	return func(yield func(Event, error) bool) {
		if st == nil || st.out == nil {
			return
		}
		if !st.iterating.CompareAndSwap(false, true) {
			yield(nil, errors.New("mastodon: Stream.Events may be ranged over only once"))
			return
		}
		for {
			// A queued event is taken without a select over both channels.
			select {
			case d := <-st.out:
				if st.closed.Load() {
					return // what was queued before Close is dropped
				}
				if !yield(d.ev, d.err) {
					st.Close()
					return
				}
				continue
			default:
			}
			select {
			case d := <-st.out:
				if st.closed.Load() {
					return
				}
				if !yield(d.ev, d.err) {
					st.Close()
					return
				}
			case <-st.done:
				// Drain what the links queued before stopping.
				for {
					select {
					case d := <-st.out:
						if st.closed.Load() {
							return
						}
						if !yield(d.ev, d.err) {
							st.Close()
							return
						}
					default:
						return
					}
				}
			}
		}
	}
}

// deliver hands an event or error to the reader, waiting as long as the
// stream lives.
func (st *Stream) deliver(ctx context.Context, d delivery) bool {
	if d.err != nil {
		st.c.log.DebugContext(ctx, "mastodon stream error", "error", d.err)
	}
	select {
	case st.out <- d: // room in the queue: no select over both channels
		return true
	default:
	}
	select {
	case st.out <- d:
		return true
	case <-ctx.Done():
		return false
	}
}

// fail delivers the error that stops a link; when that link is the last,
// it becomes the stream's Err.
func (st *Stream) fail(l *link, err error) {
	l.err = err
	st.deliver(st.ctx, delivery{err: err})
}

// Subscribe adds a subscription to a running stream: over WebSocket it is
// sent on the shared socket, over SSE it opens another connection.
func (st *Stream) Subscribe(ctx context.Context, sub Subscription) error {
	if st == nil || st.ctx == nil || st.ctx.Err() != nil {
		return ErrStreamClosed
	}
	sub.Tag = strings.TrimLeft(sub.Tag, "#")
	if err := sub.validate(); err != nil {
		return err
	}
	st.mu.Lock()
	links := append([]*link(nil), st.links...)
	t := st.transport
	st.mu.Unlock()
	for _, l := range links {
		if l.has(sub) {
			return nil
		}
	}
	if t == TransportWebSocket && len(links) > 0 {
		return links[0].add(ctx, sub)
	}
	base, err := st.c.streamingBase(ctx)
	if err != nil {
		return err
	}
	l := newLink(st, TransportSSE, base, []Subscription{sub})
	// The connection lives as long as the stream; ctx bounds only the
	// handshake.
	cctx, cancel := context.WithCancel(st.ctx)
	stop := context.AfterFunc(ctx, cancel)
	sess, err := l.connect(cctx)
	if !stop() {
		if err == nil {
			sess.close()
		}
		cancel()
		return cmp.Or(ctx.Err(), err)
	}
	if err != nil {
		cancel()
		return err
	}
	if !st.launch(l, sess) {
		return ErrStreamClosed
	}
	return nil
}

// Unsubscribe removes a subscription from a running stream.
func (st *Stream) Unsubscribe(ctx context.Context, sub Subscription) error {
	if st == nil || st.ctx == nil || st.ctx.Err() != nil {
		return ErrStreamClosed
	}
	sub.Tag = strings.TrimLeft(sub.Tag, "#")
	st.mu.Lock()
	links := append([]*link(nil), st.links...)
	st.mu.Unlock()
	for _, l := range links {
		if l.has(sub) {
			return l.remove(ctx, sub)
		}
	}
	return nil
}

// User streams the home timeline and notifications of the token's user:
// update, delete, notification, status.update, filters_changed,
// announcement… events. The options may be left out, as for every stream.
//
//api:endpoint GET /api/v1/streaming/user
//api:since 1.0.0
//api:changed 3.5.0
func (s *StreamingService) User(ctx context.Context, o ...*StreamOptions) (*Stream, error) {
	return s.Open(ctx, []Subscription{{Stream: StreamUser}}, o...)
}

// Notifications streams the user's notifications only.
//
//api:endpoint GET /api/v1/streaming/user/notification
//api:since 1.4.2
func (s *StreamingService) Notifications(ctx context.Context, o ...*StreamOptions) (*Stream, error) {
	return s.Open(ctx, []Subscription{{Stream: StreamUserNotification}}, o...)
}

// Public streams the federated timeline. Its media-only variant is
// opened with Open and StreamPublicMedia.
//
//api:endpoint GET /api/v1/streaming/public
//api:since 1.0.0
func (s *StreamingService) Public(ctx context.Context, o ...*StreamOptions) (*Stream, error) {
	return s.Open(ctx, []Subscription{{Stream: StreamPublic}}, o...)
}

// Local streams the local timeline: this server's public statuses. Its
// media-only variant is opened with Open and StreamPublicLocalMedia.
//
//api:endpoint GET /api/v1/streaming/public/local
//api:since 1.1.0
func (s *StreamingService) Local(ctx context.Context, o ...*StreamOptions) (*Stream, error) {
	return s.Open(ctx, []Subscription{{Stream: StreamPublicLocal}}, o...)
}

// Remote streams public statuses from other servers. Its media-only
// variant is opened with Open and StreamPublicRemoteMedia.
//
//api:endpoint GET /api/v1/streaming/public/remote
//api:since 3.1.4
func (s *StreamingService) Remote(ctx context.Context, o ...*StreamOptions) (*Stream, error) {
	return s.Open(ctx, []Subscription{{Stream: StreamPublicRemote}}, o...)
}

// Hashtag streams public statuses with a hashtag (given with or without
// the #).
//
//api:endpoint GET /api/v1/streaming/hashtag
//api:since 1.0.0
func (s *StreamingService) Hashtag(ctx context.Context, tag string, o ...*StreamOptions) (*Stream, error) {
	return s.Open(ctx, []Subscription{{Stream: StreamHashtag, Tag: tag}}, o...)
}

// HashtagLocal streams this server's public statuses with a hashtag.
//
//api:endpoint GET /api/v1/streaming/hashtag/local
//api:since 1.1.0
func (s *StreamingService) HashtagLocal(ctx context.Context, tag string, o ...*StreamOptions) (*Stream, error) {
	return s.Open(ctx, []Subscription{{Stream: StreamHashtagLocal, Tag: tag}}, o...)
}

// List streams the statuses of one of the user's lists.
//
//api:endpoint GET /api/v1/streaming/list
//api:since 2.1.0
func (s *StreamingService) List(ctx context.Context, listID string, o ...*StreamOptions) (*Stream, error) {
	return s.Open(ctx, []Subscription{{Stream: StreamList, List: listID}}, o...)
}

// Direct streams the user's direct conversations (conversation events).
//
//api:endpoint GET /api/v1/streaming/direct
//api:since 2.4.0
//api:changed 2.6.0
func (s *StreamingService) Direct(ctx context.Context, o ...*StreamOptions) (*Stream, error) {
	return s.Open(ctx, []Subscription{{Stream: StreamDirect}}, o...)
}

// Health reports whether the streaming server is up: nil when it answers
// "OK".
//
//api:endpoint GET /api/v1/streaming/health
//api:since 2.5.0
func (s *StreamingService) Health(ctx context.Context) error {
	if ctx == nil {
		return illegalArg("nil context")
	}
	base, err := s.c.streamingBase(ctx)
	if err != nil {
		return err
	}
	bu, err := url.Parse(httpScheme(base))
	if err != nil {
		return illegalArg("streaming: " + err.Error())
	}
	// The streaming host may be another origin: the request carries no
	// credential, and goes through the same path as every call (retries,
	// rate limits, error mapping).
	r := req{Method: http.MethodGet, Path: "/api/v1/streaming/health", Auth: authNone, Elsewhere: &elsewhere{bu, scopeStream}, NoVersionCheck: true}
	resp, data, err := s.c.exec(ctx, &r, &callOptions{})
	if err != nil {
		return err
	}
	if strings.TrimSpace(string(data)) != "OK" {
		return &DecodeError{Method: http.MethodGet, URL: resp.redactedURL, StatusCode: resp.StatusCode,
			ContentType: resp.Header.Get("Content-Type"), Snippet: redactedSnippet(data, s.c.secrets()), Err: errors.New(`streaming health is not "OK"`)}
	}
	return nil
}

// backoff returns the wait before reconnect attempt n (1-based): the
// client's retry backoff (doubling, jittered over its upper half) between
// ReconnectMin and ReconnectMax.
func (o *StreamOptions) backoff(n int) time.Duration {
	return RetryPolicy{MinBackoff: o.ReconnectMin, MaxBackoff: o.ReconnectMax}.backoff(n - 1)
}

// catchesUp reports whether the stream fills the gaps after reconnects (and
// so tracks what it delivered): on unless turned off, or unless the stream
// never reconnects.
func (o *StreamOptions) catchesUp() bool { return !o.NoCatchUp && !o.NoReconnect }

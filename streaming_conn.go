package mastodon

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/coder/websocket"

	"github.com/tuskgo/mastodon/internal/sse"
	"github.com/tuskgo/mastodon/internal/wsmsg"
)

// maxStreamMessage bounds one WebSocket message or SSE event.
const maxStreamMessage = 16 << 20

// link is one connection (kept alive across reconnects) carrying one or
// more subscriptions: all of them over WebSocket, one over SSE.
type link struct {
	st        *Stream
	transport Transport
	base      string // streaming base URL, http(s)://host[:port][/path]

	mu   sync.Mutex
	subs []*subState
	sess session // current session, nil while disconnected
	err  error   // what stopped the link, if not the stream's end
}

// subState is one subscription of a link, with its catch-up bookkeeping
// (touched only by the link's goroutine once running).
type subState struct {
	sub        Subscription
	key        []string
	lastStatus string // newest status ID delivered (or seen at the start)
	lastNotif  string // newest notification ID delivered (or seen at the start)
	haveStatus bool   // lastStatus is known: a catch-up may start from it
	haveNotif  bool
	seenStatus idSet
	seenNotif  idSet
}

func newLink(st *Stream, t Transport, base string, subs []Subscription) *link {
	l := &link{st: st, transport: t, base: base}
	for _, s := range subs {
		l.subs = append(l.subs, &subState{sub: s, key: s.key()})
	}
	return l
}

func (l *link) has(sub Subscription) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.find(sub) >= 0
}

func (l *link) find(sub Subscription) int {
	for i, s := range l.subs {
		if s.sub.Stream == sub.Stream && strings.EqualFold(s.sub.Tag, sub.Tag) && s.sub.List == sub.List {
			return i
		}
	}
	return -1
}

// add subscribes on the live socket; the subscription is renewed on every
// reconnect.
func (l *link) add(ctx context.Context, sub Subscription) error {
	l.mu.Lock()
	if l.find(sub) < 0 {
		l.subs = append(l.subs, &subState{sub: sub, key: sub.key()})
	}
	ws, _ := l.sess.(*wsSession)
	l.mu.Unlock()
	if ws == nil {
		return nil // sent when the socket reconnects
	}
	return ws.send(ctx, wsmsg.Request{Type: "subscribe", Stream: sub.Stream, Tag: sub.Tag, List: sub.List})
}

// remove unsubscribes; an SSE link is simply closed.
func (l *link) remove(ctx context.Context, sub Subscription) error {
	l.mu.Lock()
	i := l.find(sub)
	if i >= 0 {
		l.subs = append(l.subs[:i:i], l.subs[i+1:]...)
	}
	sess := l.sess
	empty := len(l.subs) == 0
	l.mu.Unlock()
	if l.transport == TransportSSE {
		if empty && sess != nil {
			sess.close()
		}
		return nil
	}
	if ws, ok := sess.(*wsSession); ok {
		return ws.send(ctx, wsmsg.Request{Type: "unsubscribe", Stream: sub.Stream, Tag: sub.Tag, List: sub.List})
	}
	return nil
}

func (l *link) snapshot() []*subState {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]*subState(nil), l.subs...)
}

// route finds the subscription a message belongs to.
func (l *link) route(stream []string) *subState {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.subs) == 1 && (len(stream) == 0 || l.transport == TransportSSE) {
		return l.subs[0]
	}
	for _, s := range l.subs {
		if len(s.key) == len(stream) && s.key[0] == stream[0] &&
			(len(stream) == 1 || strings.EqualFold(strings.TrimLeft(stream[1], "#"), s.key[1])) {
			return s
		}
	}
	if len(stream) > 0 {
		for _, s := range l.subs {
			if s.key[0] == stream[0] {
				return s
			}
		}
	}
	return nil
}

// session is one live connection.
type session interface {
	// next blocks for the next event. A nonFatal error is about one message;
	// any other error ends the session.
	next() (streamMsg, error)
	close()
	// secrets lists what to take out of server text quoted in errors:
	// the client's secrets and the token the session was opened with
	// (which a token source chose).
	secrets() []string
}

type streamMsg struct {
	name    string
	payload []byte
	stream  []string
}

// nonFatal wraps an error about one message; the session goes on.
type nonFatal struct{ err error }

func (e nonFatal) Error() string { return e.err.Error() }
func (e nonFatal) Unwrap() error { return e.err }

// errStreamEnded is the disconnect reason when the server ends a stream.
var errStreamEnded = errors.New("mastodon: stream ended by the server")

// run keeps the link connected until the stream stops. sess is the first,
// already open session.
func (l *link) run(sess session) {
	st := l.st
	defer st.wg.Done()
	defer st.linkStopped(l)
	ctx := st.ctx
	failures := 0
	reconnect := false
	for {
		l.mu.Lock()
		l.sess = sess
		l.mu.Unlock()
		if st.opts.ConnectionEvents {
			st.deliver(ctx, delivery{ev: &ConnectEvent{EventMeta: l.connMeta(), Transport: l.transport, Reconnect: reconnect}})
		}
		if st.opts.catchesUp() {
			l.catchUp(ctx, reconnect)
		}
		start := time.Now()
		delivered, err := l.pump(ctx, sess)
		sess.close()
		l.mu.Lock()
		l.sess = nil
		empty := len(l.subs) == 0
		l.mu.Unlock()
		if ctx.Err() != nil {
			err = context.Cause(ctx)
		}
		// An SSE link whose subscription was removed ends by design: no
		// loss to report.
		if ctx.Err() == nil && !empty && st.opts.ConnectionEvents {
			st.deliver(ctx, delivery{ev: &DisconnectEvent{EventMeta: l.connMeta(), Err: err}})
		}
		if ctx.Err() != nil || empty {
			return
		}
		st.c.log.DebugContext(ctx, "mastodon stream disconnected", "transport", string(l.transport), "error", err.Error())
		if st.opts.NoReconnect {
			st.fail(l, err)
			return
		}
		if delivered || time.Since(start) >= st.opts.ReconnectMax {
			failures = 0
		}
		reconnect = true
		for {
			failures++
			if m := st.opts.MaxReconnects; m > 0 && failures > m {
				st.fail(l, fmt.Errorf("mastodon: stream gave up after %d failed reconnects: %w", m, err))
				return
			}
			wait := st.opts.backoff(failures)
			var apiErr *APIError
			if errors.As(err, &apiErr) && apiErr.RetryAfter > wait {
				wait = min(apiErr.RetryAfter, 10*st.opts.ReconnectMax)
			}
			if sleepCtx(ctx, wait) != nil {
				return
			}
			sess, err = l.connect(ctx)
			if err == nil {
				break
			}
			if ctx.Err() != nil {
				return
			}
			if permanentStreamError(err) {
				st.fail(l, err)
				return
			}
			st.c.log.DebugContext(ctx, "mastodon stream reconnect failed", "attempt", failures, "error", err.Error())
		}
	}
}

// permanentStreamError reports errors a reconnect will not cure.
func permanentStreamError(err error) bool {
	var apiErr *APIError
	if errors.As(err, &apiErr) {
		switch apiErr.StatusCode {
		case 400, 401, 403, 404, 405, 410, 422:
			return true
		}
	}
	return errors.Is(err, ErrIllegalArgument) || errors.Is(err, ErrForeignOrigin)
}

// pump delivers a session's events until it ends.
func (l *link) pump(ctx context.Context, sess session) (delivered bool, err error) {
	st := l.st
	for {
		m, err := sess.next()
		if err != nil {
			var nf nonFatal
			if errors.As(err, &nf) {
				if !st.deliver(ctx, delivery{err: nf.err}) {
					return delivered, context.Cause(ctx)
				}
				continue
			}
			return delivered, err
		}
		ev, derr := l.decode(m)
		if derr != nil {
			if !st.deliver(ctx, delivery{err: derr}) {
				return delivered, context.Cause(ctx)
			}
			continue
		}
		if ev == nil {
			continue
		}
		if !st.deliver(ctx, delivery{ev: ev}) {
			return delivered, context.Cause(ctx)
		}
		delivered = true
	}
}

// decode turns a session's message into a typed event; a nil event with no
// error is a duplicate the catch-up already delivered.
func (l *link) decode(m streamMsg) (Event, error) {
	sub := l.route(m.stream)
	label := m.stream
	if len(label) == 0 && sub != nil {
		label = sub.key
	}
	ev, err := decodeEvent(m.name, m.payload, label)
	if err != nil {
		if me := (*MalformedEventError)(nil); errors.As(err, &me) {
			me.Snippet = redactedSnippet(m.payload, l.secrets())
		}
		return nil, err
	}
	if sub != nil && l.st.opts.catchesUp() && !sub.accept(ev) {
		return nil, nil
	}
	return ev, nil
}

// secrets is the current session's secrets, or the client's between
// sessions.
func (l *link) secrets() []string {
	l.mu.Lock()
	sess := l.sess
	l.mu.Unlock()
	if sess == nil {
		return l.st.c.secrets()
	}
	return sess.secrets()
}

// connect opens a new session for the link's subscriptions.
func (l *link) connect(ctx context.Context) (session, error) {
	subs := l.snapshot()
	if len(subs) == 0 {
		return nil, illegalArg("streaming: no subscription")
	}
	if l.transport == TransportWebSocket {
		sess, err := l.st.c.dialWebSocket(ctx, l.base, subs, l.st.opts.heartbeat(), l.heartbeatHook())
		return sess, err
	}
	sess, err := l.st.c.openSSE(ctx, l.base, subs[0].sub, l.st.opts.heartbeat())
	if err == nil {
		sess.(*sseSession).onHeartbeat = l.heartbeatHook()
	}
	return sess, err
}

// connMeta is the meta of a connection event: the subscription of an SSE
// connection; none for the WebSocket, which carries them all.
func (l *link) connMeta() EventMeta {
	if l.transport == TransportSSE {
		if subs := l.snapshot(); len(subs) == 1 {
			return EventMeta{Stream: subs[0].key}
		}
	}
	return EventMeta{}
}

// heartbeatHook is what a session calls on each heartbeat: nil unless
// heartbeats are delivered as events.
func (l *link) heartbeatHook() func() {
	if !l.st.opts.ConnectionEvents {
		return nil
	}
	meta := l.connMeta()
	return func() { l.st.deliver(l.st.ctx, delivery{ev: &HeartbeatEvent{EventMeta: meta}}) }
}

// streamHTTP is the client's HTTP client without an overall timeout, which
// would cut long-lived streams.
func (c *Client) streamHTTP() *http.Client {
	hc := *c.hc
	hc.Timeout = 0
	return &hc
}

// streamResponse is newResponse for a streaming request that carried tok.
func (c *Client) streamResponse(h *http.Response, tok string) *Response {
	r := newResponse(h)
	r.secrets = func() []string { return append(c.secrets(), tok) }
	return r
}

// checkStreamURL holds a streaming URL to the credential rule.
func (c *Client) checkStreamURL(u string) error {
	pu, err := url.Parse(u)
	if err != nil {
		return illegalArg("streaming: " + err.Error())
	}
	return c.checkDest(pu, scopeStream, "a streaming request")
}

// streamHeader returns the headers every stream request carries.
func (c *Client) streamHeader(ctx context.Context) (http.Header, string, error) {
	h := http.Header{}
	h.Set("User-Agent", c.cfg.userAgent)
	tok, err := c.accessToken(ctx)
	if err != nil {
		return nil, "", err
	}
	if tok != "" {
		h.Set("Authorization", "Bearer "+tok)
	}
	return h, tok, nil
}

// ssePath maps a subscription to its SSE endpoint.
func ssePath(sub Subscription) (string, url.Values) {
	q := url.Values{}
	switch sub.Stream {
	case StreamUser:
		return "/api/v1/streaming/user", q
	case StreamUserNotification:
		return "/api/v1/streaming/user/notification", q
	case StreamPublic, StreamPublicMedia:
		if sub.Stream == StreamPublicMedia {
			q.Set("only_media", "true")
		}
		return "/api/v1/streaming/public", q
	case StreamPublicLocal, StreamPublicLocalMedia:
		if sub.Stream == StreamPublicLocalMedia {
			q.Set("only_media", "true")
		}
		return "/api/v1/streaming/public/local", q
	case StreamPublicRemote, StreamPublicRemoteMedia:
		if sub.Stream == StreamPublicRemoteMedia {
			q.Set("only_media", "true")
		}
		return "/api/v1/streaming/public/remote", q
	case StreamHashtag:
		q.Set("tag", sub.Tag)
		return "/api/v1/streaming/hashtag", q
	case StreamHashtagLocal:
		q.Set("tag", sub.Tag)
		return "/api/v1/streaming/hashtag/local", q
	case StreamList:
		q.Set("list", sub.List)
		return "/api/v1/streaming/list", q
	case StreamDirect:
		return "/api/v1/streaming/direct", q
	}
	return "/api/v1/streaming/" + url.PathEscape(sub.Stream), q
}

// openSSE starts an SSE request for one subscription.
func (c *Client) openSSE(ctx context.Context, base string, sub Subscription, hb time.Duration) (session, error) {
	path, q := ssePath(sub)
	u := httpScheme(base) + path
	if len(q) > 0 {
		u += "?" + q.Encode()
	}
	if err := c.checkStreamURL(u); err != nil {
		return nil, err
	}
	h, tok, err := c.streamHeader(ctx)
	if err != nil {
		return nil, err
	}
	h.Set("Accept", "text/event-stream")
	h.Set("Cache-Control", "no-cache")
	cctx, cancel := context.WithCancelCause(ctx)
	hreq, err := http.NewRequestWithContext(withStreamScope(cctx), http.MethodGet, u, nil)
	if err != nil {
		cancel(nil)
		return nil, illegalArg("streaming: " + err.Error())
	}
	hreq.Header = h
	// The handshake is bounded by the heartbeat too: a server that never
	// answers is as dead as one that stops talking.
	t := time.AfterFunc(hb, func() { cancel(ErrHeartbeatTimeout) })
	hresp, err := c.streamHTTP().Do(hreq)
	t.Stop()
	if err != nil {
		if cause := context.Cause(cctx); errors.Is(cause, ErrHeartbeatTimeout) {
			err = ErrHeartbeatTimeout
		}
		cancel(nil)
		if de := (*DestinationError)(nil); errors.As(err, &de) {
			return nil, de
		}
		return nil, &NetworkError{Op: "GET " + redactURLString(u), Err: cleanNetErr(err, append(c.secrets(), tok))}
	}
	if hresp.StatusCode != http.StatusOK {
		data, _ := readCapped(hresp.Body, maxErrorBody)
		hresp.Body.Close()
		cancel(nil)
		return nil, newAPIError(http.MethodGet, redactURLString(u), c.streamResponse(hresp, tok), data)
	}
	if ct := strings.ToLower(hresp.Header.Get("Content-Type")); !strings.HasPrefix(ct, "text/event-stream") {
		data, _ := readCapped(io.LimitReader(hresp.Body, 512), 512)
		hresp.Body.Close()
		cancel(nil)
		return nil, &DecodeError{Method: http.MethodGet, URL: redactURLString(u), StatusCode: hresp.StatusCode,
			ContentType: hresp.Header.Get("Content-Type"), Snippet: redactedSnippet(data, append(c.secrets(), tok)), Err: errors.New("not an event stream")}
	}
	s := &sseSession{ctx: cctx, cancel: cancel, body: hresp.Body, key: sub.key(), op: "GET " + redactURLString(u), c: c, tok: tok}
	s.timer = time.AfterFunc(hb, func() { cancel(ErrHeartbeatTimeout) })
	s.timer.Stop()
	s.dec = sse.NewDecoder(&watchedReader{r: hresp.Body, t: s.timer, d: hb}, &sse.Options{MaxLine: maxStreamMessage, MaxEvent: maxStreamMessage})
	return s, nil
}

// watchedReader runs a timer while a Read waits, so silence while waiting
// for the server (and only then) counts against the heartbeat.
type watchedReader struct {
	r io.Reader
	t *time.Timer
	d time.Duration
}

func (w *watchedReader) Read(p []byte) (int, error) {
	w.t.Reset(w.d)
	n, err := w.r.Read(p)
	w.t.Stop()
	return n, err
}

type sseSession struct {
	c           *Client
	onHeartbeat func()
	ctx         context.Context
	cancel      context.CancelCauseFunc
	body        io.ReadCloser
	dec         *sse.Decoder
	timer       *time.Timer
	key         []string
	op          string
	tok         string // the token the session was opened with
}

func (s *sseSession) next() (streamMsg, error) {
	for {
		// The payload is borrowed from the decoder's buffer until the next
		// call: decodeEvent copies what it keeps.
		ev, data, err := s.dec.NextBytes()
		if err != nil {
			var se *sse.SizeError
			if errors.As(err, &se) {
				return streamMsg{}, nonFatal{&MalformedEventError{Stream: s.key, Err: err}}
			}
			if cause := context.Cause(s.ctx); cause != nil {
				return streamMsg{}, cause
			}
			if err == io.EOF || errors.Is(err, io.ErrUnexpectedEOF) {
				return streamMsg{}, errStreamEnded
			}
			return streamMsg{}, &NetworkError{Op: "reading " + s.op, Err: cleanNetErr(err, s.secrets())}
		}
		if ev.Kind == sse.KindComment {
			if s.onHeartbeat != nil {
				s.onHeartbeat()
			}
			continue
		}
		if data == nil {
			data = []byte{}
		}
		return streamMsg{name: ev.Type, payload: data, stream: s.key}, nil
	}
}

func (s *sseSession) secrets() []string { return append(s.c.secrets(), s.tok) }

func (s *sseSession) close() {
	s.timer.Stop()
	s.cancel(ErrStreamClosed)
	s.body.Close()
}

// dialWebSocket opens the multiplexed socket and subscribes.
func (c *Client) dialWebSocket(ctx context.Context, base string, subs []*subState, hb time.Duration, onHeartbeat func()) (session, error) {
	first := subs[0].sub
	q := url.Values{"stream": {first.Stream}}
	if first.Tag != "" {
		q.Set("tag", first.Tag)
	}
	if first.List != "" {
		q.Set("list", first.List)
	}
	u := wsScheme(base) + "/api/v1/streaming?" + q.Encode()
	if err := c.checkStreamURL(u); err != nil {
		return nil, err
	}
	h, tok, err := c.streamHeader(ctx)
	if err != nil {
		return nil, err
	}
	s := &wsSession{hb: hb, tok: tok}
	opts := &websocket.DialOptions{
		HTTPClient: c.streamHTTP(),
		HTTPHeader: h,
		OnPingReceived: func(context.Context, []byte) bool {
			s.activity()
			if onHeartbeat != nil {
				// The ping arrives during a read; waiting for a slow
				// reader to take the event is not the server's silence.
				reading := s.inRead.Swap(false)
				if s.timer != nil {
					s.timer.Stop()
				}
				onHeartbeat()
				if reading {
					s.timer.Reset(s.hb / 2)
					s.inRead.Store(true)
				}
			}
			return true
		},
		OnPongReceived: func(context.Context, []byte) { s.activity() },
	}
	if tok != "" && isHTTPToken(tok) {
		// Servers that cannot read Authorization on an upgrade (GoToSocial,
		// some proxies) take the token as the subprotocol.
		opts.Subprotocols = []string{tok}
	}
	// The handshake is bounded by the heartbeat. Its context must outlive
	// it: net/http closes an upgraded connection when the request's
	// context ends.
	sctx, scancel := context.WithCancelCause(ctx)
	t := time.AfterFunc(hb, func() { scancel(ErrHeartbeatTimeout) })
	conn, hresp, err := websocket.Dial(withStreamScope(sctx), u, opts)
	t.Stop()
	op := "GET " + redactURLString(u)
	if err != nil {
		if cause := context.Cause(sctx); errors.Is(cause, ErrHeartbeatTimeout) {
			err = ErrHeartbeatTimeout
		}
		scancel(nil)
		if de := (*DestinationError)(nil); errors.As(err, &de) {
			return nil, de
		}
		if hresp != nil && hresp.StatusCode != http.StatusSwitchingProtocols && hresp.StatusCode != 0 {
			var data []byte
			if hresp.Body != nil {
				data, _ = readCapped(hresp.Body, maxErrorBody)
			}
			return nil, newAPIError(http.MethodGet, redactURLString(u), c.streamResponse(hresp, tok), data)
		}
		return nil, &NetworkError{Op: op, Err: cleanNetErr(err, append(c.secrets(), tok))}
	}
	conn.SetReadLimit(maxStreamMessage)
	s.conn = conn
	s.op = op
	s.c = c
	s.ctx, s.cancel = sctx, scancel
	// Reads go without a context (the library would arm and disarm a
	// watch on it for every frame); the socket is closed instead when the
	// session's context ends, which ends a read in progress.
	context.AfterFunc(sctx, func() { conn.CloseNow() })
	s.timer = time.AfterFunc(hb/2, s.idle)
	s.timer.Stop()
	for _, sub := range subs[1:] {
		if err := s.send(ctx, wsmsg.Request{Type: "subscribe", Stream: sub.sub.Stream, Tag: sub.sub.Tag, List: sub.sub.List}); err != nil {
			s.close()
			return nil, err
		}
	}
	return s, nil
}

type wsSession struct {
	c      *Client
	tok    string // the token the session was opened with
	conn   *websocket.Conn
	op     string
	hb     time.Duration
	ctx    context.Context
	cancel context.CancelCauseFunc
	timer  *time.Timer
	inRead atomic.Bool
	buf    []byte       // the message being read
	parser wsmsg.Parser // its payload unescaped

	mu      sync.Mutex
	closing bool
	curPing chan struct{} // closed when the ping in flight is done
	pings   sync.WaitGroup
}

// activity pushes the watchdog back; the server pinged or ponged.
func (s *wsSession) activity() {
	if s.timer != nil && s.inRead.Load() {
		s.timer.Reset(s.hb / 2)
	}
}

// idle runs when the socket was silent for half the heartbeat: ping, and
// give up on the connection if no pong comes in the other half.
func (s *wsSession) idle() {
	s.mu.Lock()
	if s.closing || s.curPing != nil {
		s.mu.Unlock()
		return
	}
	done := make(chan struct{})
	s.curPing = done
	s.pings.Add(1)
	s.mu.Unlock()
	go func() {
		defer s.pings.Done()
		defer func() {
			s.mu.Lock()
			s.curPing = nil
			s.mu.Unlock()
			close(done)
		}()
		ctx, cancel := context.WithTimeout(s.ctx, s.hb/2)
		err := s.conn.Ping(ctx)
		cancel()
		// A failed ping only counts while the reader waits for the server;
		// a slow consumer is not the server's silence.
		if err != nil && s.ctx.Err() == nil && s.inRead.Load() {
			s.cancel(ErrHeartbeatTimeout)
			s.conn.CloseNow()
		}
	}()
}

func (s *wsSession) secrets() []string { return append(s.c.secrets(), s.tok) }

func (s *wsSession) send(ctx context.Context, r wsmsg.Request) error {
	if err := s.conn.Write(ctx, websocket.MessageText, wsmsg.Encode(r)); err != nil {
		return &NetworkError{Op: "subscribing on " + s.op, Err: cleanNetErr(err, s.secrets())}
	}
	return nil
}

func (s *wsSession) next() (streamMsg, error) {
	s.inRead.Store(true)
	s.timer.Reset(s.hb / 2)
	data, err := s.read()
	s.timer.Stop()
	if err != nil {
		// A ping in flight may be why the read failed: let it say so.
		s.mu.Lock()
		p := s.curPing
		s.mu.Unlock()
		if p != nil {
			<-p
		}
	}
	s.inRead.Store(false)
	if err != nil {
		if cause := context.Cause(s.ctx); cause != nil {
			return streamMsg{}, cause
		}
		if st := websocket.CloseStatus(err); st != -1 {
			return streamMsg{}, fmt.Errorf("%w (WebSocket close %d)", errStreamEnded, int(st))
		}
		return streamMsg{}, &NetworkError{Op: "reading " + s.op, Err: cleanNetErr(err, s.secrets())}
	}
	return s.frame(data)
}

// read reads the next message into the session's buffer, which the
// message borrows until the next read. Mastodon sends text messages; a
// binary one is read the same way.
func (s *wsSession) read() ([]byte, error) {
	_, r, err := s.conn.Reader(context.Background())
	if err != nil {
		return nil, err
	}
	if cap(s.buf) > 1<<20 {
		s.buf = nil // do not pin a huge buffer after one big message
	}
	buf := s.buf[:0]
	for {
		if len(buf) == cap(buf) {
			buf = slices.Grow(buf, max(32<<10, cap(buf)))
		}
		n, err := r.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if err == io.EOF {
			s.buf = buf
			return buf, nil
		}
		if err != nil {
			s.buf = buf
			return nil, err
		}
	}
}

// frame turns one WebSocket message into a stream message, whose payload
// and stream borrow from data and from the session's parser until the
// next call.
func (s *wsSession) frame(data []byte) (streamMsg, error) {
	m, err := s.parser.Decode(data)
	if err != nil {
		return streamMsg{}, nonFatal{&MalformedEventError{Snippet: redactedSnippet(data, s.secrets()), Err: err}}
	}
	if m.Event == "error" && len(m.Stream) == 0 {
		// Some servers wrap the error report as an event.
		if inner, err := wsmsg.Decode(m.Payload); err == nil && inner.IsError() {
			m = inner
		}
	}
	if m.IsError() {
		code := m.Status
		if code == 0 {
			code = http.StatusBadRequest
		}
		return streamMsg{}, nonFatal{&APIError{StatusCode: code, Status: fmt.Sprintf("%d %s", code, http.StatusText(code)),
			Code: redactSecrets(m.Error, s.secrets()...), Method: "STREAM", URL: redactURLString(strings.TrimPrefix(s.op, "GET "))}}
	}
	return streamMsg{name: m.Event, payload: m.Payload, stream: m.Stream}, nil
}

func (s *wsSession) close() {
	s.mu.Lock()
	s.closing = true
	s.mu.Unlock()
	s.timer.Stop()
	s.cancel(ErrStreamClosed)
	s.conn.CloseNow()
	s.pings.Wait()
}

// isHTTPToken reports whether s may be sent as a WebSocket subprotocol.
func isHTTPToken(s string) bool {
	if s == "" || len(s) > 512 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		case strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0:
		default:
			return false
		}
	}
	return true
}

// httpScheme and wsScheme render a base URL for SSE and WebSocket.
func httpScheme(base string) string {
	switch {
	case strings.HasPrefix(base, "wss://"):
		return "https://" + base[len("wss://"):]
	case strings.HasPrefix(base, "ws://"):
		return "http://" + base[len("ws://"):]
	}
	return base
}

func wsScheme(base string) string {
	switch {
	case strings.HasPrefix(base, "https://"):
		return "wss://" + base[len("https://"):]
	case strings.HasPrefix(base, "http://"):
		return "ws://" + base[len("http://"):]
	}
	return base
}

// streamingBase returns the streaming server's base URL: the override, or
// what the instance advertises (configuration.urls.streaming in
// /api/v2/instance, urls.streaming_api in /api/v1/instance), or the
// server's own URL. It is cached until ClearCaches.
func (c *Client) streamingBase(ctx context.Context) (string, error) {
	if c.cfg.streamingURL != "" {
		u, err := url.Parse(c.cfg.streamingURL)
		if err != nil {
			return "", illegalArg("WithStreamingURL: " + err.Error())
		}
		return canonicalStreamURL(u, u.Scheme == "https" || u.Scheme == "wss"), nil
	}
	c.verMu.Lock()
	cached := c.streamU
	c.verMu.Unlock()
	if cached != "" {
		return cached, nil
	}
	var inst struct {
		Configuration struct {
			URLs struct {
				Streaming string `json:"streaming"`
			} `json:"urls"`
		} `json:"configuration"`
		URLs struct {
			StreamingAPI string `json:"streaming_api"`
		} `json:"urls"`
	}
	advertised := ""
	for _, path := range []string{"/api/v2/instance", "/api/v1/instance"} {
		r := req{Method: http.MethodGet, Path: path, NoVersionCheck: true}
		resp, data, err := c.exec(ctx, &r, &callOptions{})
		if err == nil {
			err = decodeBody(r.Method, resp.redactedURL, resp, data, &inst)
		}
		if err != nil {
			if ctx.Err() != nil {
				return "", err
			}
			if errors.Is(err, ErrNetwork) && !errors.Is(err, ErrNotFound) {
				return "", err
			}
			continue
		}
		advertised = inst.Configuration.URLs.Streaming
		if advertised == "" {
			advertised = inst.URLs.StreamingAPI
		}
		if advertised != "" {
			break
		}
	}
	base := c.adoptStreamingURL(advertised)
	c.verMu.Lock()
	c.streamU = base
	c.verMu.Unlock()
	return base, nil
}

// adoptStreamingURL decides where to stream from, given what the instance
// advertises: a host the credential rule accepts for streaming (the
// server's own, or a subdomain of it; see streamHostOK); otherwise the
// server itself, since the token must not go to a host the user did not
// name.
func (c *Client) adoptStreamingURL(advertised string) string {
	self := canonicalStreamURL(c.base, c.base.Scheme == "https")
	if advertised == "" {
		return self
	}
	u, err := url.Parse(strings.TrimSpace(advertised))
	if err != nil || u.Hostname() == "" || u.User != nil {
		return self
	}
	switch strings.ToLower(u.Scheme) {
	case "ws", "wss", "http", "https":
	default:
		return self
	}
	secure := strings.EqualFold(u.Scheme, "wss") || strings.EqualFold(u.Scheme, "https")
	switch {
	case c.base.Scheme == "http" && secure && isLoopback(u.Hostname()):
		// A development server on loopback over plain http advertising
		// wss://: there is no TLS to talk to. Without a port it means the
		// server itself.
		if u.Port() == "" {
			return self
		}
		secure = false
	case c.base.Scheme == "https" && !secure && !isLoopback(u.Hostname()):
		// Never downgrade to clear text what the user reached over TLS.
		secure = true
	}
	adopted := canonicalStreamURL(u, secure)
	if a, err := url.Parse(adopted); err != nil || !c.destOK(a, scopeStream) {
		c.log.Debug("mastodon stream: the advertised streaming host may not receive the token; using the server itself")
		return self
	}
	return adopted
}

func canonicalStreamURL(u *url.URL, secure bool) string {
	scheme := "http"
	if secure {
		scheme = "https"
	}
	return scheme + "://" + strings.ToLower(u.Host) + strings.TrimRight(u.EscapedPath(), "/")
}

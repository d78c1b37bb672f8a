package mastodontest

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/coder/websocket"

	"github.com/tuskgo/mastodon/internal/oauthscope"
)

// frame is one event for one subscription of a subscriber.
type frame struct {
	stream  []string
	event   string
	payload *string // nil: no payload (filters_changed)
}

// sub is one subscription: a stream name and its parameter (tag or list id).
type sub struct {
	name  string // user, user:notification, public, public:local, …
	param string
}

func (x sub) label() []string {
	if x.param != "" {
		return []string{x.name, x.param}
	}
	return []string{x.name}
}

// subscriber is one open streaming connection.
type subscriber struct {
	account *account // nil for anonymous public streams
	token   string
	mu      sync.Mutex
	subs    []sub
	ch      chan frame
	done    chan struct{}
	once    sync.Once
}

func (sb *subscriber) close() { sb.once.Do(func() { close(sb.done) }) }

func (sb *subscriber) subscriptions() []sub {
	sb.mu.Lock()
	defer sb.mu.Unlock()
	return slices.Clone(sb.subs)
}

// hub fans events out to subscribers. Events are rendered while the store
// lock is held and queued; a subscriber that falls 256 events behind is
// disconnected rather than allowed to block the server.
type hub struct {
	mu      sync.Mutex
	subs    map[*subscriber]bool
	changed chan struct{} // closed and replaced whenever subscriptions change
}

func newHub() *hub { return &hub{subs: map[*subscriber]bool{}, changed: make(chan struct{})} }

// notifyLocked wakes everyone waiting for a change of subscriptions.
func (h *hub) notifyLocked() {
	close(h.changed)
	h.changed = make(chan struct{})
}

func (h *hub) add(sb *subscriber) {
	h.mu.Lock()
	h.subs[sb] = true
	h.notifyLocked()
	h.mu.Unlock()
}

func (h *hub) remove(sb *subscriber) {
	h.mu.Lock()
	if h.subs[sb] {
		delete(h.subs, sb)
		h.notifyLocked()
	}
	h.mu.Unlock()
	sb.close()
}

// subscribe adds x to sb's subscriptions unless it is there already.
func (h *hub) subscribe(sb *subscriber, x sub) {
	sb.mu.Lock()
	added := !slices.Contains(sb.subs, x)
	if added {
		sb.subs = append(sb.subs, x)
	}
	sb.mu.Unlock()
	if added {
		h.mu.Lock()
		h.notifyLocked()
		h.mu.Unlock()
	}
}

// unsubscribe removes x from sb's subscriptions.
func (h *hub) unsubscribe(sb *subscriber, x sub) {
	sb.mu.Lock()
	n := len(sb.subs)
	sb.subs = slices.DeleteFunc(sb.subs, func(y sub) bool { return y == x })
	removed := len(sb.subs) != n
	sb.mu.Unlock()
	if removed {
		h.mu.Lock()
		h.notifyLocked()
		h.mu.Unlock()
	}
}

// subscriptionCount counts the subscriptions of every open connection,
// and returns the channel that is closed at the next change.
func (h *hub) subscriptionCount() (int, <-chan struct{}) {
	h.mu.Lock()
	defer h.mu.Unlock()
	n := 0
	for sb := range h.subs {
		sb.mu.Lock()
		n += len(sb.subs)
		sb.mu.Unlock()
	}
	return n, h.changed
}

func (h *hub) snapshot() []*subscriber {
	h.mu.Lock()
	defer h.mu.Unlock()
	out := make([]*subscriber, 0, len(h.subs))
	for sb := range h.subs {
		out = append(out, sb)
	}
	return out
}

func (h *hub) closeAll() {
	for _, sb := range h.snapshot() {
		h.remove(sb)
	}
}

func (h *hub) dropToken(tok string) {
	for _, sb := range h.snapshot() {
		if sb.token == tok {
			h.remove(sb)
		}
	}
}

// count returns the number of open streaming connections.
func (h *hub) count() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.subs)
}

func (h *hub) send(sb *subscriber, f frame) {
	select {
	case sb.ch <- f:
	default:
		go h.remove(sb)
	}
}

// matches reports whether status s belongs on subscription x of sb.
func (st *store) streamMatches(sb *subscriber, x sub, s *status) bool {
	v := sb.account
	switch x.name {
	case "user":
		return st.inHome(v, s) && !st.inExclusiveList(v, s)
	case "public", "public:media":
		return st.inPublic(v, s, x.name == "public:media")
	case "public:local", "public:local:media":
		return s.account.domain == "" && st.inPublic(v, s, x.name == "public:local:media")
	case "public:remote", "public:remote:media":
		return s.account.domain != "" && st.inPublic(v, s, x.name == "public:remote:media")
	case "hashtag":
		return st.inPublic(v, s, false) && st.hasTag(s, x.param)
	case "hashtag:local":
		return s.account.domain == "" && st.inPublic(v, s, false) && st.hasTag(s, x.param)
	case "list":
		l := st.lists[x.param]
		return l != nil && l.owner == v && st.inList(l, s)
	}
	return false
}

func (h *hub) statusEvent(st *store, event string, s *status) {
	for _, sb := range h.snapshot() {
		var payload *string
		for _, x := range sb.subscriptions() {
			if !st.streamMatches(sb, x, s) {
				continue
			}
			if payload == nil {
				j := st.renderStatus(s, sb.account, renderOpts{filterCtx: streamContext(x.name)})
				if st.filterHides(j) {
					break
				}
				payload = ptr(string(mustJSON(j)))
			}
			h.send(sb, frame{stream: x.label(), event: event, payload: payload})
		}
	}
}

// mentionUpdateEvent streams an edit of s to the accounts it mentions on
// their notification streams, as Mastodon does so that edits of posts they
// only know from a mention reach them: "user:notification", and "user"
// when s is not in their home timeline (there it came as status.update
// already; Mastodon may send it twice).
func (h *hub) mentionUpdateEvent(st *store, s *status) {
	for _, sb := range h.snapshot() {
		v := sb.account
		if v == nil || v == s.account || !slices.Contains(s.mentions, v) || !st.canSee(v, s) {
			continue
		}
		var payload *string
		for _, x := range sb.subscriptions() {
			if x.name != "user:notification" && (x.name != "user" || st.streamMatches(sb, x, s)) {
				continue
			}
			if payload == nil {
				j := st.renderStatus(s, v, renderOpts{filterCtx: "notifications"})
				if st.filterHides(j) {
					break
				}
				payload = ptr(string(mustJSON(j)))
			}
			h.send(sb, frame{stream: x.label(), event: "status.update", payload: payload})
		}
	}
}

func streamContext(name string) string {
	if strings.HasPrefix(name, "public") || strings.HasPrefix(name, "hashtag") {
		return "public"
	}
	return "home"
}

func (h *hub) deleteEvent(st *store, s *status) {
	id := s.id
	for _, sb := range h.snapshot() {
		for _, x := range sb.subscriptions() {
			if st.streamMatches(sb, x, s) {
				h.send(sb, frame{stream: x.label(), event: "delete", payload: &id})
			}
		}
	}
}

func (h *hub) notificationEvent(st *store, n *notification) {
	for _, sb := range h.snapshot() {
		if sb.account != n.target {
			continue
		}
		for _, x := range sb.subscriptions() {
			if x.name == "user" || x.name == "user:notification" {
				p := string(mustJSON(st.renderNotification(n)))
				h.send(sb, frame{stream: x.label(), event: "notification", payload: &p})
			}
		}
	}
}

func (h *hub) conversationEvent(st *store, cv *conversation) {
	for _, sb := range h.snapshot() {
		if sb.account == nil || !cv.participant[sb.account.id] {
			continue
		}
		for _, x := range sb.subscriptions() {
			if x.name == "direct" {
				p := string(mustJSON(st.renderConversation(cv, sb.account)))
				h.send(sb, frame{stream: x.label(), event: "conversation", payload: &p})
			}
		}
	}
}

func (h *hub) accountEvent(a *account, event string) {
	for _, sb := range h.snapshot() {
		if sb.account != a {
			continue
		}
		for _, x := range sb.subscriptions() {
			if x.name == "user" {
				h.send(sb, frame{stream: x.label(), event: event})
			}
		}
	}
}

// Streaming endpoints.

var streamNames = []string{"user", "user:notification", "public", "public:local", "public:remote",
	"public:media", "public:local:media", "public:remote:media", "hashtag", "hashtag:local", "list", "direct"}

func (s *Server) streamingRoutes() {
	s.mux.HandleFunc("GET /api/v1/streaming/health", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		_, _ = w.Write([]byte("OK"))
	})
	s.mux.HandleFunc("GET /api/v1/streaming", s.serveWebSocket)
	s.mux.HandleFunc("GET /api/v1/streaming/{$}", s.serveWebSocket)
	paths := map[string]string{
		"user": "user", "user/notification": "user:notification", "public": "public", "public/local": "public:local",
		"public/remote": "public:remote", "public/media": "public:media", "public/local/media": "public:local:media",
		"public/remote/media": "public:remote:media", "hashtag": "hashtag", "hashtag/local": "hashtag:local",
		"list": "list", "direct": "direct",
	}
	for p, name := range paths {
		s.mux.HandleFunc("GET /api/v1/streaming/"+p, func(w http.ResponseWriter, r *http.Request) { s.serveSSE(w, r, name) })
	}
}

type streamError struct {
	code int
	msg  string
}

// streamAuth resolves the token of a streaming request: Authorization
// header, access_token query parameter or Sec-WebSocket-Protocol.
func (s *Server) streamAuth(r *http.Request) (*token, *streamError) {
	raw := bearer(r)
	if raw == "" {
		raw = r.URL.Query().Get("access_token")
	}
	if raw == "" {
		raw = strings.TrimSpace(r.Header.Get("Sec-WebSocket-Protocol"))
	}
	if raw == "" {
		return nil, nil
	}
	s.mu.Lock()
	t := s.st.tokens[raw]
	s.mu.Unlock()
	if t == nil {
		return nil, &streamError{401, "Invalid access token"}
	}
	if !oauthscope.Any(t.scopes, "read", "read:statuses", "read:notifications") {
		return nil, &streamError{401, "Access token does not have the required scopes"}
	}
	return t, nil
}

// newSub builds a subscription from a stream name and its parameters: the
// tag of hashtag streams, the list id of list streams.
func newSub(name, tag, list string) sub {
	switch name {
	case "hashtag", "hashtag:local":
		return sub{name: name, param: tag}
	case "list":
		return sub{name: name, param: list}
	}
	return sub{name: name}
}

// checkSub validates a subscription request for the given token, with
// the messages and statuses of Mastodon's streaming server.
func (s *Server) checkSub(t *token, x sub) *streamError {
	if !slices.Contains(streamNames, x.name) {
		return &streamError{400, "Unknown stream type"}
	}
	needsUser := x.name == "user" || x.name == "user:notification" || x.name == "list" || x.name == "direct"
	if needsUser && (t == nil || t.account == nil) {
		return &streamError{401, "Missing access token"}
	}
	if x.name == "user:notification" && !oauthscope.Any(t.scopes, "read", "read:notifications") {
		return &streamError{401, "Access token does not have the required scopes"}
	}
	if (x.name == "hashtag" || x.name == "hashtag:local") && x.param == "" {
		return &streamError{400, "Missing tag name parameter"}
	}
	if x.name == "list" {
		if x.param == "" {
			return &streamError{400, "Missing list name parameter"}
		}
		s.mu.Lock()
		l := s.st.lists[x.param]
		s.mu.Unlock()
		if l == nil || l.owner != t.account {
			return &streamError{401, "Not authorized to stream this list"}
		}
	}
	return nil
}

func newSubscriber(t *token) *subscriber {
	sb := &subscriber{ch: make(chan frame, 256), done: make(chan struct{})}
	if t != nil {
		sb.account, sb.token = t.account, t.access
	}
	return sb
}

// truthy reads a query flag as Mastodon's streaming server does: set and
// not one of its false spellings.
func truthy(v string) bool {
	switch v {
	case "", "0", "f", "F", "false", "FALSE", "off", "OFF":
		return false
	}
	return true
}

// heartbeat returns a channel closed when the next heartbeat is due on the
// server's clock, and the function that abandons the wait. A heartbeat of
// zero or less never comes.
func (s *Server) heartbeat(every time.Duration) (<-chan struct{}, func()) {
	if every <= 0 {
		return nil, func() {}
	}
	return s.clock.after(every)
}

func (s *Server) serveSSE(w http.ResponseWriter, r *http.Request, name string) {
	t, serr := s.streamAuth(r)
	q := r.URL.Query()
	switch name {
	case "public", "public:local", "public:remote":
		if truthy(q.Get("only_media")) {
			name += ":media"
		}
	}
	x := newSub(name, q.Get("tag"), q.Get("list"))
	if serr == nil {
		serr = s.checkSub(t, x)
	}
	if serr != nil {
		writeJSON(w, serr.code, map[string]string{"error": serr.msg}, nil)
		return
	}
	fl, ok := w.(http.Flusher)
	if !ok {
		writeJSON(w, 500, map[string]string{"error": "streaming unsupported"}, nil)
		return
	}
	sb := newSubscriber(t)
	sb.subs = []sub{x}
	s.hub.add(sb)
	defer s.hub.remove(sb)
	// The heartbeat is armed before the client sees the stream open, so
	// moving the clock from then on brings it.
	beat, stop := s.heartbeat(s.cfg.heartbeat)
	defer func() { stop() }()
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "private, no-store")
	w.Header().Set("Transfer-Encoding", "identity")
	w.WriteHeader(200)
	_, _ = fmt.Fprint(w, ":)\n")
	fl.Flush()
	for {
		select {
		case <-r.Context().Done():
			return
		case <-sb.done:
			return
		case <-beat:
			beat, stop = s.heartbeat(s.cfg.heartbeat)
			if _, err := fmt.Fprint(w, ":thump\n\n"); err != nil {
				return
			}
			fl.Flush()
		case f := <-sb.ch:
			data := "undefined"
			if f.payload != nil {
				data = *f.payload
			}
			if _, err := fmt.Fprintf(w, "event: %s\ndata: %s\n\n", f.event, data); err != nil {
				return
			}
			fl.Flush()
		}
	}
}

type wsMessage struct {
	Type   string          `json:"type"`
	Stream json.RawMessage `json:"stream"`
	Tag    string          `json:"tag"`
	List   string          `json:"list"`
}

// streamName reads the stream of a client message: a string, or a list
// whose first element counts, as Mastodon reads it.
func (m wsMessage) streamName() string {
	var one string
	if json.Unmarshal(m.Stream, &one) == nil {
		return one
	}
	var many []string
	if json.Unmarshal(m.Stream, &many) == nil && len(many) > 0 {
		return many[0]
	}
	return ""
}

type wsOut struct {
	Stream  []string `json:"stream,omitempty"`
	Event   string   `json:"event"`
	Payload *string  `json:"payload,omitempty"`
}

// wsError is the message Mastodon sends on a WebSocket when a subscription
// fails: {"error":"Unknown stream type","status":400}.
func wsError(e *streamError) []byte {
	return mustJSON(struct {
		Error  string `json:"error"`
		Status int    `json:"status"`
	}{e.msg, e.code})
}

func (s *Server) serveWebSocket(w http.ResponseWriter, r *http.Request) {
	t, serr := s.streamAuth(r)
	if serr != nil {
		writeJSON(w, serr.code, map[string]string{"error": serr.msg}, nil)
		return
	}
	// Subscribe before the handshake: once the client sees the socket
	// open, everything posted after reaches it.
	sb := newSubscriber(t)
	q := r.URL.Query()
	var first *streamError
	if name := q.Get("stream"); name != "" {
		x := newSub(name, q.Get("tag"), q.Get("list"))
		if first = s.checkSub(t, x); first == nil {
			sb.subs = append(sb.subs, x)
		}
	}
	s.hub.add(sb)
	defer s.hub.remove(sb)
	beat, stop := s.heartbeat(s.cfg.heartbeat)
	defer func() { stop() }()
	opts := &websocket.AcceptOptions{InsecureSkipVerify: true}
	if p := strings.TrimSpace(r.Header.Get("Sec-WebSocket-Protocol")); p != "" {
		opts.Subprotocols = []string{p}
	}
	conn, err := websocket.Accept(w, r, opts)
	if err != nil {
		return
	}
	conn.SetReadLimit(64 << 10)
	ctx, cancel := context.WithCancel(r.Context())
	defer cancel()
	writes := make(chan []byte, 16)
	if first != nil {
		writes <- wsError(first)
	}
	reply := func(b []byte) bool {
		select {
		case writes <- b:
			return true
		case <-ctx.Done():
			return false
		}
	}
	go func() {
		defer cancel()
		for {
			typ, data, err := conn.Read(ctx)
			if err != nil {
				return
			}
			if typ != websocket.MessageText {
				_ = conn.Close(websocket.StatusUnsupportedData, "The mastodon streaming server does not support binary messages")
				return
			}
			var m wsMessage
			if json.Unmarshal(data, &m) != nil {
				continue // Mastodon ignores what it cannot parse
			}
			x := newSub(m.streamName(), m.Tag, m.List)
			switch m.Type {
			case "subscribe":
				if e := s.checkSub(t, x); e != nil {
					if !reply(wsError(e)) {
						return
					}
					continue
				}
				s.hub.subscribe(sb, x)
			case "unsubscribe":
				if e := s.checkSub(t, x); e != nil {
					if !reply(mustJSON(map[string]string{"error": "Error unsubscribing from channel"})) {
						return
					}
					continue
				}
				s.hub.unsubscribe(sb, x)
			}
		}
	}()
	write := func(b []byte) bool {
		wctx, wcancel := context.WithTimeout(ctx, 10*time.Second)
		defer wcancel()
		return conn.Write(wctx, websocket.MessageText, b) == nil
	}
	// Heartbeats are ping frames. A ping still waiting for its pong is
	// not repeated; the connection's end stops it.
	pong := make(chan error, 1)
	pinging := false
	for {
		select {
		case <-ctx.Done():
			_ = conn.Close(websocket.StatusGoingAway, "")
			return
		case <-sb.done:
			_ = conn.Close(websocket.StatusGoingAway, "")
			return
		case <-beat:
			beat, stop = s.heartbeat(s.cfg.heartbeat)
			if !pinging {
				pinging = true
				go func() { pong <- conn.Ping(ctx) }()
			}
		case err := <-pong:
			pinging = false
			if err != nil {
				return
			}
		case b := <-writes:
			if !write(b) {
				return
			}
		case f := <-sb.ch:
			if !write(mustJSON(wsOut{Stream: f.stream, Event: f.event, Payload: f.payload})) {
				return
			}
		}
	}
}

// DropStreams closes every open streaming connection (SSE and WebSocket),
// as a restarting streaming server would. It returns how many it closed.
func (s *Server) DropStreams() int {
	subs := s.hub.snapshot()
	for _, sb := range subs {
		s.hub.remove(sb)
	}
	return len(subs)
}

// StreamCount returns the number of open streaming connections, so a test
// can wait until its client has connected before acting.
func (s *Server) StreamCount() int { return s.hub.count() }

// Subscriptions returns how many stream subscriptions the open connections
// hold in all (an SSE connection holds one; a WebSocket any number).
func (s *Server) Subscriptions() int {
	n, _ := s.hub.subscriptionCount()
	return n
}

// WaitSubscriptions blocks until the open connections hold at least n
// subscriptions in all, or ctx ends. Mastodon does not acknowledge a
// WebSocket subscribe message; a test waits here instead, after which
// every event posted reaches the new subscription.
func (s *Server) WaitSubscriptions(ctx context.Context, n int) error {
	for {
		have, changed := s.hub.subscriptionCount()
		if have >= n {
			return nil
		}
		select {
		case <-changed:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

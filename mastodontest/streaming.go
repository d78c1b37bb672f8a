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
	mu   sync.Mutex
	subs map[*subscriber]bool
}

func newHub() *hub { return &hub{subs: map[*subscriber]bool{}} }

func (h *hub) add(sb *subscriber) {
	h.mu.Lock()
	h.subs[sb] = true
	h.mu.Unlock()
}

func (h *hub) remove(sb *subscriber) {
	h.mu.Lock()
	delete(h.subs, sb)
	h.mu.Unlock()
	sb.close()
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
	case "public", "public:local":
		return st.inPublic(v, s, false)
	case "public:media", "public:local:media":
		return st.inPublic(v, s, true)
	case "hashtag", "hashtag:local":
		return st.inPublic(v, s, false) && st.hasTag(s, x.param)
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
	if !hasScope(t.scopes, "read", "read:statuses", "read:notifications") {
		return nil, &streamError{401, "Access token does not have the required scopes"}
	}
	return t, nil
}

// checkSub validates a subscription request for the given token.
func (s *Server) checkSub(t *token, x sub) *streamError {
	if !slices.Contains(streamNames, x.name) {
		return &streamError{404, "Unknown stream type"}
	}
	needsUser := x.name == "user" || x.name == "user:notification" || x.name == "list" || x.name == "direct"
	if needsUser && (t == nil || t.account == nil) {
		return &streamError{401, "Missing access token"}
	}
	if x.name == "user:notification" && !hasScope(t.scopes, "read", "read:notifications") {
		return &streamError{401, "Access token does not have the required scopes"}
	}
	if (x.name == "hashtag" || x.name == "hashtag:local") && x.param == "" {
		return &streamError{400, "No tag for stream provided"}
	}
	if x.name == "list" {
		s.mu.Lock()
		l := s.st.lists[x.param]
		s.mu.Unlock()
		if l == nil || l.owner != t.account {
			return &streamError{404, "List not found"}
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

func (s *Server) serveSSE(w http.ResponseWriter, r *http.Request, name string) {
	t, serr := s.streamAuth(r)
	x := sub{name: name}
	switch name {
	case "hashtag", "hashtag:local":
		x.param = r.URL.Query().Get("tag")
	case "list":
		x.param = r.URL.Query().Get("list")
	}
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
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "private, no-store")
	w.Header().Set("Transfer-Encoding", "identity")
	w.WriteHeader(200)
	_, _ = fmt.Fprint(w, ":)\n")
	fl.Flush()
	tick := time.NewTicker(s.cfg.heartbeat)
	defer tick.Stop()
	for {
		select {
		case <-r.Context().Done():
			return
		case <-sb.done:
			return
		case <-tick.C:
			if _, err := fmt.Fprint(w, ":thump\n"); err != nil {
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
	Type   string `json:"type"`
	Stream string `json:"stream"`
	Tag    string `json:"tag"`
	List   string `json:"list"`
}

type wsOut struct {
	Stream  []string `json:"stream,omitempty"`
	Event   string   `json:"event"`
	Payload *string  `json:"payload,omitempty"`
}

func (s *Server) serveWebSocket(w http.ResponseWriter, r *http.Request) {
	t, serr := s.streamAuth(r)
	if serr != nil {
		writeJSON(w, serr.code, map[string]string{"error": serr.msg}, nil)
		return
	}
	opts := &websocket.AcceptOptions{InsecureSkipVerify: true}
	if p := strings.TrimSpace(r.Header.Get("Sec-WebSocket-Protocol")); p != "" {
		opts.Subprotocols = []string{p}
	}
	conn, err := websocket.Accept(w, r, opts)
	if err != nil {
		return
	}
	conn.SetReadLimit(64 << 10)
	sb := newSubscriber(t)
	// The stream query parameter subscribes at connect time, as Mastodon allows.
	q := r.URL.Query()
	if name := q.Get("stream"); name != "" {
		x := sub{name: name, param: q.Get("tag") + q.Get("list")}
		if e := s.checkSub(t, x); e != nil {
			_ = conn.Close(websocket.StatusPolicyViolation, e.msg)
			return
		}
		sb.subs = append(sb.subs, x)
	}
	s.hub.add(sb)
	defer s.hub.remove(sb)
	ctx, cancel := context.WithCancel(r.Context())
	defer cancel()
	writes := make(chan wsOut, 16)
	go func() {
		defer cancel()
		for {
			_, data, err := conn.Read(ctx)
			if err != nil {
				return
			}
			var m wsMessage
			if json.Unmarshal(data, &m) != nil {
				writes <- wsOut{Event: "error", Payload: ptr(`{"error":"Invalid JSON message"}`)}
				continue
			}
			x := sub{name: m.Stream, param: m.Tag + m.List}
			switch m.Type {
			case "subscribe":
				if e := s.checkSub(t, x); e != nil {
					p := string(mustJSON(map[string]any{"error": e.msg, "status": e.code}))
					select {
					case writes <- wsOut{Event: "error", Payload: &p}:
					case <-ctx.Done():
						return
					}
					continue
				}
				sb.mu.Lock()
				if !slices.Contains(sb.subs, x) {
					sb.subs = append(sb.subs, x)
				}
				sb.mu.Unlock()
			case "unsubscribe":
				sb.mu.Lock()
				sb.subs = slices.DeleteFunc(sb.subs, func(y sub) bool { return y == x })
				sb.mu.Unlock()
			}
		}
	}()
	tick := time.NewTicker(s.cfg.heartbeat)
	defer tick.Stop()
	write := func(v wsOut) bool {
		wctx, wcancel := context.WithTimeout(ctx, 10*time.Second)
		defer wcancel()
		return conn.Write(wctx, websocket.MessageText, mustJSON(v)) == nil
	}
	for {
		select {
		case <-ctx.Done():
			_ = conn.Close(websocket.StatusGoingAway, "")
			return
		case <-sb.done:
			_ = conn.Close(websocket.StatusGoingAway, "")
			return
		case <-tick.C:
			pctx, pcancel := context.WithTimeout(ctx, 10*time.Second)
			err := conn.Ping(pctx)
			pcancel()
			if err != nil {
				return
			}
		case m := <-writes:
			if !write(m) {
				return
			}
		case f := <-sb.ch:
			if !write(wsOut{Stream: f.stream, Event: f.event, Payload: f.payload}) {
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

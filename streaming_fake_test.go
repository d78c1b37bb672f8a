package mastodon

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/coder/websocket"
)

// fakeStreaming is a small Mastodon streaming server for tests: SSE
// endpoints, the multiplexed WebSocket, and the REST timelines the catch-up
// reads. Tests publish events to it and drop its connections at will.
type fakeStreaming struct {
	t   testing.TB
	mux *http.ServeMux

	noWS      bool // answer 404 to the WebSocket endpoint
	silent    bool // accept stream connections and never send anything
	heartbeat time.Duration
	status    int // when set, stream endpoints answer with it
	attempts  atomic.Int32

	mu        sync.Mutex
	clients   map[*fakeConn]struct{}
	statuses  []fakeItem // ascending IDs, what the home timeline serves
	notifs    []fakeItem
	requests  []*http.Request // stream requests, in order
	subMsgs   []string        // WebSocket messages received
	restCalls []string        // REST request URIs
	connected chan struct{}   // one value per stream connection
}

type fakeItem struct {
	id   int
	json string
}

type fakeConn struct {
	keys map[string]bool // subscriptions, "hashtag foo"
	send chan [3]string  // key, event, payload
	kill chan struct{}
	once sync.Once
}

func (c *fakeConn) stop() { c.once.Do(func() { close(c.kill) }) }

func newFakeStreaming(t testing.TB) *fakeStreaming {
	f := &fakeStreaming{t: t, mux: http.NewServeMux(), clients: map[*fakeConn]struct{}{}, connected: make(chan struct{}, 100)}
	f.mux.HandleFunc("/api/v1/streaming", f.serveWS)
	f.mux.HandleFunc("/api/v1/streaming/", f.serveSSE)
	f.mux.HandleFunc("/api/v1/timelines/home", func(w http.ResponseWriter, r *http.Request) { f.serveList(w, r, &f.statuses) })
	f.mux.HandleFunc("/api/v1/timelines/public", func(w http.ResponseWriter, r *http.Request) { f.serveList(w, r, &f.statuses) })
	f.mux.HandleFunc("/api/v1/notifications", func(w http.ResponseWriter, r *http.Request) { f.serveList(w, r, &f.notifs) })
	return f
}

// start serves f on loopback and returns a client for it.
func (f *fakeStreaming) start(opts ...Option) *Client {
	srv := httptest.NewServer(f.mux)
	f.t.Cleanup(func() {
		f.dropAll()
		srv.Close()
	})
	tr := &http.Transport{}
	f.t.Cleanup(tr.CloseIdleConnections)
	c, err := newScannedClient(srv.URL, append([]Option{WithAccessToken(testToken), WithRetryPolicy(RetryPolicy{}),
		WithHTTPClient(&http.Client{Transport: tr}), WithStreamingURL(srv.URL)}, opts...)...)
	if err != nil {
		f.t.Fatal(err)
	}
	return c
}

func statusJSON(id int) string {
	return fmt.Sprintf(`{"id":"%d","created_at":"2026-01-01T00:%02d:%02dZ","content":"<p>status %d</p>","account":{"id":"1","username":"a","acct":"a"}}`,
		id, id/60%60, id%60, id)
}

func notificationJSON(id int) string {
	return fmt.Sprintf(`{"id":"%d","type":"mention","created_at":"2026-01-01T00:%02d:%02dZ","account":{"id":"1","username":"a","acct":"a"},"status":%s}`,
		id, id/60%60, id%60, statusJSON(id))
}

// post stores a status on the home timeline and, when live, streams it.
func (f *fakeStreaming) post(id int, live bool) {
	f.mu.Lock()
	f.statuses = append(f.statuses, fakeItem{id, statusJSON(id)})
	f.mu.Unlock()
	if live {
		f.publish("user", "update", statusJSON(id))
	}
}

// notify stores a notification and, when live, streams it.
func (f *fakeStreaming) notify(id int, live bool) {
	f.mu.Lock()
	f.notifs = append(f.notifs, fakeItem{id, notificationJSON(id)})
	f.mu.Unlock()
	if live {
		f.publish("user", "notification", notificationJSON(id))
	}
}

// publish sends an event to every connection subscribed to key.
func (f *fakeStreaming) publish(key, event, payload string) int {
	f.mu.Lock()
	var targets []*fakeConn
	for c := range f.clients {
		if c.keys[key] {
			targets = append(targets, c)
		}
	}
	f.mu.Unlock()
	for _, c := range targets {
		select {
		case c.send <- [3]string{key, event, payload}:
		case <-c.kill:
		}
	}
	return len(targets)
}

// dropAll cuts every stream connection.
func (f *fakeStreaming) dropAll() {
	f.mu.Lock()
	for c := range f.clients {
		c.stop()
		delete(f.clients, c)
	}
	f.mu.Unlock()
}

// waitConnected waits for the n-th stream connection (and its
// subscriptions) to be in place.
func (f *fakeStreaming) waitConnected(t testing.TB, key string) {
	t.Helper()
	select {
	case <-f.connected:
	case <-time.After(10 * time.Second):
		t.Fatal("no stream connection")
	}
	for range 5000 {
		f.mu.Lock()
		for c := range f.clients {
			if c.keys[key] {
				f.mu.Unlock()
				return
			}
		}
		f.mu.Unlock()
		time.Sleep(2 * time.Millisecond)
	}
	t.Fatalf("no subscription to %q", key)
}

func (f *fakeStreaming) register(c *fakeConn, r *http.Request) {
	f.mu.Lock()
	f.clients[c] = struct{}{}
	f.requests = append(f.requests, r)
	f.mu.Unlock()
}

func (f *fakeStreaming) unregister(c *fakeConn) {
	f.mu.Lock()
	delete(f.clients, c)
	f.mu.Unlock()
	c.stop()
}

func sseKey(r *http.Request) string {
	p := strings.TrimPrefix(r.URL.Path, "/api/v1/streaming/")
	q := r.URL.Query()
	media := q.Get("only_media") == "true"
	switch p {
	case "user":
		return "user"
	case "user/notification":
		return "user:notification"
	case "public", "public/local", "public/remote":
		k := strings.ReplaceAll(p, "/", ":")
		if media {
			k += ":media"
		}
		return k
	case "hashtag", "hashtag/local":
		return strings.ReplaceAll(p, "/", ":") + " " + q.Get("tag")
	case "list":
		return "list " + q.Get("list")
	case "direct":
		return "direct"
	}
	return ""
}

func (f *fakeStreaming) serveSSE(w http.ResponseWriter, r *http.Request) {
	f.attempts.Add(1)
	f.mu.Lock()
	status := f.status
	f.mu.Unlock()
	if status != 0 {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		fmt.Fprint(w, `{"error":"The access token is invalid"}`)
		return
	}
	key := sseKey(r)
	if key == "" {
		w.WriteHeader(http.StatusBadRequest)
		fmt.Fprint(w, `{"error":"Unknown channel requested"}`)
		return
	}
	c := &fakeConn{keys: map[string]bool{key: true}, send: make(chan [3]string), kill: make(chan struct{})}
	f.register(c, r)
	defer f.unregister(c)
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "private, no-store")
	w.WriteHeader(http.StatusOK)
	fl := w.(http.Flusher)
	if f.silent {
		fl.Flush()
		f.connected <- struct{}{}
		select {
		case <-c.kill:
		case <-r.Context().Done():
		}
		return
	}
	fmt.Fprint(w, ":)\n")
	fl.Flush()
	f.connected <- struct{}{}
	var tick <-chan time.Time
	if f.heartbeat > 0 {
		tk := time.NewTicker(f.heartbeat)
		defer tk.Stop()
		tick = tk.C
	}
	for {
		select {
		case m := <-c.send:
			fmt.Fprintf(w, "event: %s\ndata: %s\n\n", m[1], m[2])
			fl.Flush()
		case <-tick:
			fmt.Fprint(w, ":thump\n")
			fl.Flush()
		case <-c.kill:
			return
		case <-r.Context().Done():
			return
		}
	}
}

func (f *fakeStreaming) serveWS(w http.ResponseWriter, r *http.Request) {
	f.attempts.Add(1)
	f.mu.Lock()
	status := f.status
	f.mu.Unlock()
	if f.noWS {
		http.NotFound(w, r)
		return
	}
	if status != 0 {
		w.WriteHeader(status)
		return
	}
	ws, err := websocket.Accept(w, r, nil)
	if err != nil {
		return
	}
	defer ws.CloseNow()
	c := &fakeConn{keys: map[string]bool{}, send: make(chan [3]string), kill: make(chan struct{})}
	q := r.URL.Query()
	if s := q.Get("stream"); s != "" {
		c.keys[strings.Join(fakeWSKey(s, q.Get("tag"), q.Get("list")), " ")] = true
	}
	f.register(c, r)
	defer f.unregister(c)
	ctx, cancel := context.WithCancel(r.Context())
	defer cancel()
	f.connected <- struct{}{}
	if f.silent {
		select {
		case <-c.kill:
		case <-ctx.Done():
		}
		return
	}
	var tick <-chan time.Time
	if f.heartbeat > 0 { // Mastodon pings WebSocket clients
		tk := time.NewTicker(f.heartbeat)
		defer tk.Stop()
		tick = tk.C
	}
	go func() {
		defer cancel()
		for {
			_, data, err := ws.Read(ctx)
			if err != nil {
				return
			}
			var m struct{ Type, Stream, Tag, List string }
			f.mu.Lock()
			f.subMsgs = append(f.subMsgs, string(data))
			if json.Unmarshal(data, &m) == nil {
				k := strings.Join(fakeWSKey(m.Stream, m.Tag, m.List), " ")
				switch m.Type {
				case "subscribe":
					if m.Stream == "bogus" {
						f.mu.Unlock()
						ws.Write(ctx, websocket.MessageText, []byte(`{"error":"Unknown stream type","status":400}`))
						continue
					}
					c.keys[k] = true
				case "unsubscribe":
					delete(c.keys, k)
				}
			}
			f.mu.Unlock()
		}
	}()
	for {
		select {
		case m := <-c.send:
			stream, _ := json.Marshal(strings.Fields(m[0]))
			msg := fmt.Sprintf(`{"stream":%s,"event":%q}`, stream, m[1])
			if m[2] != "" {
				p, _ := json.Marshal(m[2])
				msg = fmt.Sprintf(`{"stream":%s,"event":%q,"payload":%s}`, stream, m[1], p)
			}
			if err := ws.Write(ctx, websocket.MessageText, []byte(msg)); err != nil {
				return
			}
		case <-tick:
			if err := ws.Ping(ctx); err != nil {
				return
			}
		case <-c.kill:
			return
		case <-ctx.Done():
			return
		}
	}
}

func fakeWSKey(stream, tag, list string) []string {
	switch {
	case stream == "list":
		return []string{stream, list}
	case strings.HasPrefix(stream, "hashtag"):
		return []string{stream, tag}
	}
	return []string{stream}
}

// serveList answers a timeline request Mastodon's way: with min_id, the
// oldest page newer than it; otherwise the newest page; newest first.
func (f *fakeStreaming) serveList(w http.ResponseWriter, r *http.Request, items *[]fakeItem) {
	f.mu.Lock()
	f.restCalls = append(f.restCalls, r.URL.RequestURI())
	all := slices.Clone(*items)
	f.mu.Unlock()
	if r.Header.Get("Authorization") != "Bearer "+testToken {
		w.WriteHeader(http.StatusUnauthorized)
		return
	}
	q := r.URL.Query()
	limit, _ := strconv.Atoi(q.Get("limit"))
	if limit <= 0 {
		limit = 20
	}
	var page []fakeItem
	if m := q.Get("min_id"); m != "" {
		min, _ := strconv.Atoi(m)
		for _, it := range all {
			if it.id > min && len(page) < limit {
				page = append(page, it)
			}
		}
	} else {
		page = all[max(0, len(all)-limit):]
	}
	slices.Reverse(page)
	parts := make([]string, len(page))
	for i, it := range page {
		parts[i] = it.json
	}
	w.Header().Set("Content-Type", "application/json")
	fmt.Fprint(w, "["+strings.Join(parts, ",")+"]")
}

// pipeNet is an in-memory network for synctest bubbles: dialing makes a
// net.Pipe whose other end the listener accepts.
type pipeNet struct {
	ch     chan net.Conn
	closed chan struct{}
	once   sync.Once
	n      atomic.Int32
}

func newPipeNet() *pipeNet { return &pipeNet{ch: make(chan net.Conn), closed: make(chan struct{})} }

func (p *pipeNet) Accept() (net.Conn, error) {
	select {
	case c := <-p.ch:
		return c, nil
	case <-p.closed:
		return nil, net.ErrClosed
	}
}

func (p *pipeNet) Close() error   { p.once.Do(func() { close(p.closed) }); return nil }
func (p *pipeNet) Addr() net.Addr { return pipeAddr{} }

func (p *pipeNet) dial(ctx context.Context, _, _ string) (net.Conn, error) {
	a, b := net.Pipe()
	select {
	case p.ch <- b:
		p.n.Add(1)
		return a, nil
	case <-p.closed:
		return nil, net.ErrClosed
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

type pipeAddr struct{}

func (pipeAddr) Network() string { return "pipe" }
func (pipeAddr) String() string  { return "127.0.0.1:80" }

// startPipe serves f over an in-memory network and returns a client for
// it; for use inside synctest bubbles. stop shuts everything down.
func (f *fakeStreaming) startPipe(opts ...Option) (c *Client, stop func()) {
	pn := newPipeNet()
	srv := &http.Server{Handler: f.mux}
	go srv.Serve(pn)
	tr := &http.Transport{DialContext: pn.dial}
	c, err := newScannedClient("http://127.0.0.1", append([]Option{WithAccessToken(testToken), WithRetryPolicy(RetryPolicy{}),
		WithHTTPClient(&http.Client{Transport: tr}), WithStreamingURL("http://127.0.0.1")}, opts...)...)
	if err != nil {
		f.t.Fatal(err)
	}
	return c, func() {
		f.dropAll()
		srv.Close()
		pn.Close()
		tr.CloseIdleConnections()
	}
}

var _ = url.Values{}

// Package bench measures Tusk against the raw HTTP transport and other Go
// Mastodon clients (github.com/mattn/go-mastodon), side by side on one
// loopback server, so that results are ratios taken in the same run.
//
// It is its own module so the library does not depend on the peers. Run the
// comparison with `go run ./cmd/compare` from this folder, or the Go
// benchmarks with `go test -bench . -benchmem`.
package bench

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/coder/websocket"
	gomastodon "github.com/mattn/go-mastodon"

	"github.com/tuskgo/mastodon"
	"github.com/tuskgo/mastodon/internal/corpus"
	"github.com/tuskgo/mastodon/internal/fixture"
)

// Page loads the 40-status fixture page (about 230 KB) built from the
// corpus and the OpenAPI examples in ../shared.
func Page() ([]byte, error) {
	dir := corpus.Find()
	if dir == "" {
		return nil, fmt.Errorf("../shared/corpus not found: the fixture page is built from it")
	}
	return fixture.TimelinePage(dir)
}

// Server serves the fixture page as an endless home timeline: every page
// links to an older one, as Mastodon's Link header does.
type Server struct {
	*httptest.Server
	Page     []byte
	Requests atomic.Int64

	mu     sync.Mutex
	window time.Time // start of the current rate-limit window
	used   int       // requests counted in it
	reset  string    // its end, as X-RateLimit-Reset
}

// Rate-limit windows as Mastodon counts them (fixed windows aligned to the
// period, the count falling with every request), with a budget large enough
// that a benchmark never has to wait for it.
const (
	rateLimit  = 1_000_000
	ratePeriod = 5 * time.Minute
)

func (s *Server) rateLimit() (limit, remaining, reset string) {
	now := time.Now().UTC()
	w := now.Truncate(ratePeriod)
	s.mu.Lock()
	defer s.mu.Unlock()
	if !w.Equal(s.window) {
		s.window, s.used = w, 0
		s.reset = w.Add(ratePeriod).Format("2006-01-02T15:04:05.000Z")
	}
	s.used++
	return strconv.Itoa(rateLimit), strconv.Itoa(max(rateLimit-s.used, 0)), s.reset
}

// NewServer starts the loopback server.
func NewServer(page []byte) *Server {
	s := &Server{Page: page}
	mux := http.NewServeMux()
	mux.HandleFunc("/api/v1/timelines/home", func(w http.ResponseWriter, r *http.Request) {
		n := s.Requests.Add(1)
		maxID := r.URL.Query().Get("max_id")
		if maxID == "" {
			maxID = "115000000000000000"
		}
		id, _ := strconv.ParseInt(maxID, 10, 64)
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.Header().Set("Link", fmt.Sprintf(`<http://%s/api/v1/timelines/home?max_id=%d>; rel="next", <http://%s/api/v1/timelines/home?min_id=%d>; rel="prev"`,
			r.Host, id-40, r.Host, id))
		limit, remaining, reset := s.rateLimit()
		w.Header().Set("X-RateLimit-Limit", limit)
		w.Header().Set("X-RateLimit-Remaining", remaining)
		w.Header().Set("X-RateLimit-Reset", reset)
		w.Header().Set("X-Request-Seq", strconv.FormatInt(n, 10))
		w.Header().Set("Content-Length", strconv.Itoa(len(s.Page))) // as Mastodon sends
		w.Write(s.Page)
	})
	s.Server = httptest.NewServer(mux)
	return s
}

// Raw fetches the page with net/http and discards the body: the floor any
// client sits on.
func Raw(hc *http.Client, url string) error {
	resp, err := hc.Get(url + "/api/v1/timelines/home")
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	_, err = io.Copy(io.Discard, resp.Body)
	return err
}

// NewTusk returns a Tusk client for the server.
func NewTusk(url string) (*mastodon.Client, error) {
	return mastodon.NewClient(url, mastodon.WithAccessToken("bench-token"))
}

// Tusk fetches and decodes one page with Tusk.
func Tusk(ctx context.Context, c *mastodon.Client) (int, error) {
	p, err := c.Timelines.Home(ctx, nil)
	if err != nil {
		return 0, err
	}
	return len(p.Items), nil
}

// NewGoMastodon returns a go-mastodon client for the server.
func NewGoMastodon(url string) *gomastodon.Client {
	return gomastodon.NewClient(&gomastodon.Config{Server: url, AccessToken: "bench-token"})
}

// GoMastodon fetches and decodes one page with go-mastodon.
func GoMastodon(ctx context.Context, c *gomastodon.Client) (int, error) {
	st, err := c.GetTimelineHome(ctx, nil)
	return len(st), err
}

// DecodeTusk decodes the page into Tusk's entities, as the client does.
func DecodeTusk(page []byte) (int, error) {
	var v []*mastodon.Status
	err := mastodon.Unmarshal(page, &v)
	return len(v), err
}

// DecodeTuskStdlib decodes the page into Tusk's entities through
// encoding/json (which calls their UnmarshalJSON after its own scan).
func DecodeTuskStdlib(page []byte) (int, error) {
	var v []*mastodon.Status
	err := json.Unmarshal(page, &v)
	return len(v), err
}

// DecodeGoMastodon decodes the page into go-mastodon's types with
// encoding/json, as that client does.
func DecodeGoMastodon(page []byte) (int, error) {
	var v []*gomastodon.Status
	err := json.Unmarshal(page, &v)
	return len(v), err
}

// SSEBody renders n update events (each a status from the page) as a
// Mastodon server-sent event stream, with a heartbeat every 100 events.
func SSEBody(page []byte, n int) ([]byte, error) {
	var statuses []json.RawMessage
	if err := json.Unmarshal(page, &statuses); err != nil {
		return nil, err
	}
	var b strings.Builder
	for i := range n {
		if i%100 == 0 {
			b.WriteString(":thump\n\n")
		}
		b.WriteString("event: update\ndata: ")
		b.Write(compact(statuses[i%len(statuses)]))
		b.WriteString("\n\n")
	}
	return []byte(b.String()), nil
}

func compact(m json.RawMessage) []byte {
	var buf strings.Builder
	buf.Grow(len(m))
	in := false
	esc := false
	for _, c := range []byte(m) {
		switch {
		case esc:
			esc = false
		case c == '\\' && in:
			esc = true
		case c == '"':
			in = !in
		case !in && (c == ' ' || c == '\n' || c == '\r' || c == '\t'):
			continue
		}
		buf.WriteByte(c)
	}
	return []byte(buf.String())
}

// StreamServer serves an SSE user stream whose body is fixed, then ends.
func StreamServer(body []byte) *httptest.Server {
	mux := http.NewServeMux()
	mux.HandleFunc("/api/v1/streaming/user", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/event-stream")
		w.Write(body)
	})
	mux.HandleFunc("/api/v1/streaming/health", func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "OK") })
	return httptest.NewServer(mux)
}

// WSFrames renders n update events (each a status from the page) as
// Mastodon WebSocket messages: the status text as a JSON string payload.
func WSFrames(page []byte, n int) ([][]byte, error) {
	var statuses []json.RawMessage
	if err := json.Unmarshal(page, &statuses); err != nil {
		return nil, err
	}
	frames := make([][]byte, n)
	for i := range frames {
		payload, err := json.Marshal(string(compact(statuses[i%len(statuses)])))
		if err != nil {
			return nil, err
		}
		frames[i] = append(append([]byte(`{"stream":["user"],"event":"update","payload":`), payload...), '}')
	}
	return frames, nil
}

// WSStreamServer serves Mastodon's multiplexed WebSocket endpoint: each
// connection gets the frames, then a normal close.
func WSStreamServer(frames [][]byte) *httptest.Server {
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ws, err := websocket.Accept(w, r, &websocket.AcceptOptions{CompressionMode: websocket.CompressionDisabled})
		if err != nil {
			return
		}
		defer ws.CloseNow()
		ctx := ws.CloseRead(r.Context())
		for _, f := range frames {
			if err := ws.Write(ctx, websocket.MessageText, f); err != nil {
				return
			}
		}
		ws.Close(websocket.StatusNormalClosure, "")
	}))
}

// StreamFixture is a loopback streaming server and the transport to read
// it with.
type StreamFixture struct {
	Transport mastodon.Transport
	Server    *httptest.Server
}

// StreamServers starts a server per transport, SSE and WebSocket, each
// sending n update events built from the page to every connection.
func StreamServers(page []byte, n int) ([]StreamFixture, error) {
	body, err := SSEBody(page, n)
	if err != nil {
		return nil, err
	}
	frames, err := WSFrames(page, n)
	if err != nil {
		return nil, err
	}
	return []StreamFixture{
		{mastodon.TransportSSE, StreamServer(body)},
		{mastodon.TransportWebSocket, WSStreamServer(frames)},
	}, nil
}

// StreamEvents reads a whole user stream with Tusk over the transport and
// counts the update events.
func StreamEvents(ctx context.Context, url string, transport mastodon.Transport) (int, error) {
	c, err := mastodon.NewClient(url, mastodon.WithAccessToken("bench-token"), mastodon.WithStreamingURL(url))
	if err != nil {
		return 0, err
	}
	st, err := c.Streaming.User(ctx, &mastodon.StreamOptions{Transport: transport, NoReconnect: true})
	if err != nil {
		return 0, err
	}
	defer st.Close()
	n := 0
	for ev, err := range st.Events() {
		if err != nil {
			break
		}
		if _, ok := ev.(*mastodon.UpdateEvent); !ok {
			return n, fmt.Errorf("event %T, want *UpdateEvent", ev)
		}
		n++
	}
	return n, nil
}

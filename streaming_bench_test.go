package mastodon

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/coder/websocket"

	"github.com/tuskgo/mastodon/internal/sse"
)

// The streaming benchmarks measure events per second for three loads:
//
//	status  the realistic mix: per ten events, eight updates carrying a
//	        status from the fixture page (about 5.6 KB each, with cards,
//	        media, polls, boosts), one delete and one mention notification
//	        wrapping a status; a heartbeat every hundred events
//	delete  delete events only (an ID): what the transport alone costs
//	follow  follow notifications (an account, about 1.5 KB): a small entity
//
// at four depths:
//
//	parse         the wire bytes of one connection, from memory, to
//	              messages: SSE or WebSocket message parsing only
//	parse+decode  the same to typed events: parsing, routing and entity
//	              decoding, on the calling goroutine
//	stream        the same through the public API: a Stream fed from memory,
//	              read with Events (link goroutine, hand-off, iterator)
//	loopback      Streaming.User against an in-process server on loopback
//	              that repeats the load as fast as it can
//
// Each runs with GOMAXPROCS=1 ("1core") and with the default. For SSE and
// WebSocket alike, events/s is what the target in issue 12 is about.

type benchEvent struct{ name, payload string }

var (
	benchEventsOnce sync.Once
	benchLoads      map[string][]benchEvent
)

// benchLoadNames orders the loads of streamBenchLoads.
var benchLoadNames = []string{"status", "delete", "follow"}

func streamBenchLoads(tb testing.TB) map[string][]benchEvent {
	tb.Helper()
	p := timelinePage(tb)
	benchEventsOnce.Do(func() {
		var statuses []json.RawMessage
		if err := json.Unmarshal(p, &statuses); err != nil {
			panic(err)
		}
		benchLoads = map[string][]benchEvent{}
		for i, s := range statuses {
			b := streamingJSON(s)
			id := fmt.Sprint(115000000000000000 + i)
			benchLoads["status"] = append(benchLoads["status"], benchEvent{"update", string(b)})
			benchLoads["delete"] = append(benchLoads["delete"], benchEvent{"delete", id})
			benchLoads["follow"] = append(benchLoads["follow"], benchEvent{"notification",
				fmt.Sprintf(`{"id":"%d","type":"follow","created_at":"2026-08-02T05:25:16.840Z","group_key":"ungrouped-%d","account":%s}`,
					5000+i, 5000+i, accountOf(s))})
			switch i % 8 {
			case 3:
				benchLoads["status"] = append(benchLoads["status"], benchEvent{"delete", id})
			case 7:
				n := fmt.Sprintf(`{"id":"%d","type":"mention","created_at":"2026-08-02T05:25:16.840Z","group_key":"ungrouped-%d","account":%s,"status":%s}`,
					4000+i, 4000+i, accountOf(s), b)
				benchLoads["status"] = append(benchLoads["status"], benchEvent{"notification", n})
			}
		}
	})
	return benchLoads
}

func accountOf(status json.RawMessage) []byte {
	var s struct{ Account json.RawMessage }
	if err := json.Unmarshal(status, &s); err != nil || len(s.Account) == 0 {
		panic("fixture status without account")
	}
	return streamingJSON(s.Account)
}

// streamingJSON renders an entity as Mastodon's streaming server sends it:
// compact, and with <, > and & as they are (the fixture page, like the REST
// API, escapes them as \u003c, \u003e, \u0026; the recorded event streams
// in the corpus do not).
func streamingJSON(raw json.RawMessage) []byte {
	var c bytes.Buffer
	if err := json.Compact(&c, raw); err != nil {
		panic(err)
	}
	in := c.Bytes()
	out := make([]byte, 0, len(in))
	for i := 0; i < len(in); i++ {
		if in[i] == '\\' && i+1 < len(in) {
			if i+5 < len(in) && in[i+1] == 'u' {
				switch string(in[i+2 : i+6]) {
				case "003c", "003C":
					out, i = append(out, '<'), i+5
					continue
				case "003e", "003E":
					out, i = append(out, '>'), i+5
					continue
				case "0026":
					out, i = append(out, '&'), i+5
					continue
				}
			}
			out, i = append(out, in[i], in[i+1]), i+1 // another escape, kept
			continue
		}
		out = append(out, in[i])
	}
	if !json.Valid(out) {
		panic("streamingJSON made invalid JSON")
	}
	return out
}

// sseBody renders the mix as a Mastodon event stream.
func sseBody(evs []benchEvent) []byte {
	var b strings.Builder
	for i, e := range evs {
		if i%100 == 0 {
			b.WriteString(":thump\n")
		}
		b.WriteString("event: " + e.name + "\ndata: " + e.payload + "\n\n")
	}
	return []byte(b.String())
}

// wsFrames renders the events as Mastodon WebSocket messages: the payload
// text as a JSON string, with quotes and backslashes escaped as
// JSON.stringify does (HTML characters left alone).
func wsFrames(evs []benchEvent) [][]byte {
	out := make([][]byte, len(evs))
	for i, e := range evs {
		var p bytes.Buffer
		enc := json.NewEncoder(&p)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(e.payload); err != nil {
			panic(err)
		}
		out[i] = []byte(`{"stream":["user"],"event":"` + e.name + `","payload":` + strings.TrimSpace(p.String()) + `}`)
	}
	return out
}

func wireBytes(frames [][]byte) int {
	n := 0
	for _, f := range frames {
		n += len(f)
	}
	return n
}

// loopReader repeats b forever.
type loopReader struct {
	b   []byte
	off int
}

func (l *loopReader) Read(p []byte) (int, error) {
	n := copy(p, l.b[l.off:])
	l.off = (l.off + n) % len(l.b)
	return n, nil
}

// procs runs f as a sub-benchmark with GOMAXPROCS=1 and with the default.
func procs(b *testing.B, f func(b *testing.B)) {
	b.Run("1core", func(b *testing.B) {
		old := runtime.GOMAXPROCS(1)
		defer runtime.GOMAXPROCS(old)
		f(b)
	})
	b.Run(fmt.Sprintf("%dcore", runtime.GOMAXPROCS(0)), f)
}

func reportEvents(b *testing.B, events int) {
	b.ReportMetric(float64(events)/b.Elapsed().Seconds(), "events/s")
	b.ReportMetric(b.Elapsed().Seconds()*1e6/float64(events), "µs/event")
}

// memSession replays a connection's messages from memory.
type memSession struct{ next_ func() (streamMsg, error) }

func (m *memSession) next() (streamMsg, error) { return m.next_() }
func (m *memSession) close()                   {}
func (m *memSession) secrets() []string        { return nil }

func newSSEMem(body []byte) session {
	s := &sseSession{ctx: context.Background(), key: []string{"user"},
		dec: sse.NewDecoder(&loopReader{b: body}, &sse.Options{MaxLine: maxStreamMessage, MaxEvent: maxStreamMessage})}
	return &memSession{s.next}
}

func newWSMem(frames [][]byte) session {
	ws := &wsSession{}
	i := 0
	return &memSession{func() (streamMsg, error) {
		f := frames[i]
		i = (i + 1) % len(frames)
		return ws.frame(f)
	}}
}

func BenchmarkStreamSSE(b *testing.B) {
	loads := streamBenchLoads(b)
	for _, load := range benchLoadNames {
		evs := loads[load]
		body := sseBody(evs)
		perEvent := int64(len(body) / len(evs))
		b.Run(load, func(b *testing.B) {
			b.Run("parse", func(b *testing.B) {
				procs(b, func(b *testing.B) { benchParse(b, newSSEMem(body), perEvent) })
			})
			b.Run("parse+decode", func(b *testing.B) {
				procs(b, func(b *testing.B) { benchParseDecode(b, newSSEMem(body), perEvent) })
			})
			b.Run("stream", func(b *testing.B) {
				procs(b, func(b *testing.B) { benchStream(b, newSSEMem(body), perEvent) })
			})
			b.Run("loopback", func(b *testing.B) {
				srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					w.Header().Set("Content-Type", "text/event-stream")
					w.WriteHeader(http.StatusOK)
					for r.Context().Err() == nil {
						if _, err := w.Write(body); err != nil {
							return
						}
					}
				}))
				defer srv.Close()
				procs(b, func(b *testing.B) { benchLoopback(b, srv.URL, TransportSSE, perEvent) })
			})
		})
	}
}

func BenchmarkStreamWebSocket(b *testing.B) {
	loads := streamBenchLoads(b)
	for _, load := range benchLoadNames {
		frames := wsFrames(loads[load])
		perEvent := int64(wireBytes(frames) / len(frames))
		b.Run(load, func(b *testing.B) {
			b.Run("parse", func(b *testing.B) {
				procs(b, func(b *testing.B) { benchParse(b, newWSMem(frames), perEvent) })
			})
			b.Run("parse+decode", func(b *testing.B) {
				procs(b, func(b *testing.B) { benchParseDecode(b, newWSMem(frames), perEvent) })
			})
			b.Run("stream", func(b *testing.B) {
				procs(b, func(b *testing.B) { benchStream(b, newWSMem(frames), perEvent) })
			})
			b.Run("loopback", func(b *testing.B) {
				srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					ws, err := websocket.Accept(w, r, &websocket.AcceptOptions{CompressionMode: websocket.CompressionDisabled})
					if err != nil {
						return
					}
					defer ws.CloseNow()
					ctx := ws.CloseRead(r.Context())
					for {
						for _, f := range frames {
							if err := ws.Write(ctx, websocket.MessageText, f); err != nil {
								return
							}
						}
					}
				}))
				defer srv.Close()
				procs(b, func(b *testing.B) { benchLoopback(b, srv.URL, TransportWebSocket, perEvent) })
			})
		})
	}
}

// benchParse reads one message per iteration without decoding it.
func benchParse(b *testing.B, sess session, perEvent int64) {
	b.SetBytes(perEvent)
	b.ReportAllocs()
	for b.Loop() {
		m, err := sess.next()
		if err != nil || m.name == "" {
			b.Fatal(m.name, err)
		}
	}
	reportEvents(b, b.N)
}

// benchParseDecode reads one event per iteration on this goroutine.
func benchParseDecode(b *testing.B, sess session, perEvent int64) {
	// The load repeats its IDs: without NoReconnect the catch-up's
	// duplicate filter would drop the repeats.
	st := &Stream{opts: StreamOptions{NoReconnect: true}}
	l := newLink(st, TransportSSE, "", []Subscription{{Stream: StreamUser}})
	b.SetBytes(perEvent)
	b.ReportAllocs()
	for b.Loop() {
		m, err := sess.next()
		if err != nil {
			b.Fatal(err)
		}
		ev, err := l.decode(m)
		if err != nil || ev == nil {
			b.Fatal(ev, err)
		}
	}
	reportEvents(b, b.N)
}

// benchStream reads events through a Stream fed from memory.
func benchStream(b *testing.B, sess session, perEvent int64) {
	st := &Stream{out: make(chan delivery, streamQueue), done: make(chan struct{}), opts: StreamOptions{NoReconnect: true}}
	st.ctx, st.cancel = context.WithCancelCause(context.Background())
	defer st.Close()
	if !st.launch(newLink(st, TransportSSE, "", []Subscription{{Stream: StreamUser}}), sess) {
		b.Fatal("launch refused")
	}
	readEvents(b, st, perEvent)
}

// benchLoopback reads events from a loopback server through the public API.
func benchLoopback(b *testing.B, url string, t Transport, perEvent int64) {
	c, err := newScannedClient(url, WithAccessToken(testToken), WithStreamingURL(url))
	if err != nil {
		b.Fatal(err)
	}
	st, err := c.Streaming.User(context.Background(), &StreamOptions{Transport: t, NoReconnect: true})
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	if st.Transport() != t {
		b.Fatalf("transport %s", st.Transport())
	}
	readEvents(b, st, perEvent)
}

// readEvents ranges over b.N events as a user would.
func readEvents(b *testing.B, st *Stream, perEvent int64) {
	b.SetBytes(perEvent)
	b.ReportAllocs()
	b.ResetTimer()
	n := 0
	for ev, err := range st.Events() {
		if err != nil || ev == nil {
			b.Fatal(ev, err)
		}
		if n++; n >= b.N {
			break
		}
	}
	b.StopTimer()
	if n < b.N {
		b.Fatalf("stream ended after %d events: %v", n, st.Err())
	}
	reportEvents(b, b.N)
}

package mastodon

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/tuskgo/mastodon/internal/corpus"
)

// streamReader drains a stream's Events into a channel the test reads
// with a deadline.
type streamReader struct {
	ch   chan delivery
	done chan struct{}
}

func readStream(t testing.TB, st *Stream) *streamReader {
	r := &streamReader{ch: make(chan delivery, 1000), done: make(chan struct{})}
	go func() {
		defer close(r.done)
		for ev, err := range st.Events() {
			r.ch <- delivery{ev, err}
		}
	}()
	t.Cleanup(func() {
		st.Close()
		<-r.done
	})
	return r
}

func (r *streamReader) next(t testing.TB) (Event, error) {
	t.Helper()
	select {
	case d := <-r.ch:
		return d.ev, d.err
	case <-time.After(10 * time.Second):
		t.Fatal("timed out waiting for a stream event")
	}
	return nil, nil
}

// event returns the next item, failing on an error.
func (r *streamReader) event(t testing.TB) Event {
	t.Helper()
	ev, err := r.next(t)
	if err != nil {
		t.Fatalf("unexpected stream error: %v", err)
	}
	return ev
}

// noMore checks nothing else is queued.
func (r *streamReader) noMore(t testing.TB) {
	t.Helper()
	select {
	case d := <-r.ch:
		t.Fatalf("unexpected extra item: %#v %v", d.ev, d.err)
	default:
	}
}

// connLog reads a stream in the background and keeps its connection
// events.
type connLog struct {
	st   *Stream
	done chan struct{}
	mu   sync.Mutex
	evs  []Event
}

func logConnections(st *Stream) *connLog {
	l := &connLog{st: st, done: make(chan struct{})}
	go func() {
		defer close(l.done)
		for ev := range st.Events() {
			switch ev.(type) {
			case *ConnectEvent, *DisconnectEvent, *HeartbeatEvent:
				l.mu.Lock()
				l.evs = append(l.evs, ev)
				l.mu.Unlock()
			}
		}
	}()
	return l
}

// counts returns how many connections were made, why they were lost, and
// how many heartbeats came.
func (l *connLog) counts() (connects int, reasons []error, beats int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, ev := range l.evs {
		switch e := ev.(type) {
		case *ConnectEvent:
			connects++
		case *DisconnectEvent:
			reasons = append(reasons, e.Err)
		case *HeartbeatEvent:
			beats++
		}
	}
	return connects, reasons, beats
}

// stop closes the stream and waits for the reader.
func (l *connLog) stop() {
	l.st.Close()
	<-l.done
}

func TestStreamSSEEventTypes(t *testing.T) {
	f := newFakeStreaming(t)
	c := f.start()
	ctx := context.Background()
	st, err := c.Streaming.User(ctx, &StreamOptions{Transport: TransportSSE})
	if err != nil {
		t.Fatal(err)
	}
	r := readStream(t, st)
	f.waitConnected(t, "user")
	if st.Transport() != TransportSSE {
		t.Errorf("Transport = %q", st.Transport())
	}
	f.mu.Lock()
	req := f.requests[0]
	f.mu.Unlock()
	if req.URL.Path != "/api/v1/streaming/user" || req.URL.RawQuery != "" {
		t.Errorf("request %s?%s", req.URL.Path, req.URL.RawQuery)
	}
	if got := req.Header.Get("Authorization"); got != "Bearer "+testToken {
		t.Errorf("Authorization = %q", got)
	}
	if got := req.Header.Get("Accept"); got != "text/event-stream" {
		t.Errorf("Accept = %q", got)
	}

	conv := `{"id":"6","unread":true,"accounts":[{"id":"1","username":"a","acct":"a"}],"last_status":` + statusJSON(2) + `}`
	ann := `{"id":"9","content":"<p>hi</p>","all_day":false,"published_at":"2026-01-01T00:00:00Z","updated_at":"2026-01-01T00:00:00Z","mentions":[],"statuses":[],"tags":[],"emojis":[],"reactions":[]}`
	sends := [][2]string{
		{"update", statusJSON(1)},
		{"delete", "1"},
		{"notification", notificationJSON(3)},
		{"status.update", statusJSON(1)},
		{"conversation", conv},
		{"filters_changed", "undefined"},
		{"announcement", ann},
		{"announcement.reaction", `{"name":"👍","count":2,"announcement_id":"9"}`},
		{"announcement.delete", "9"},
		{"notifications_merged", "undefined"},
		{"encrypted_message", `{"id":"e1"}`},
		{"update", `{"id":"broken"`},
		{"quote.revoked", `{"a":1}`},
		{"delete", "5"},
	}
	for _, s := range sends {
		f.publish("user", s[0], s[1])
	}
	if e, ok := r.event(t).(*UpdateEvent); !ok || e.Status.ID != "1" || e.Status.Content != "<p>status 1</p>" || !reflect.DeepEqual(e.Stream, []string{"user"}) {
		t.Errorf("update: %#v", e)
	}
	if e, ok := r.event(t).(*DeleteEvent); !ok || e.ID != "1" {
		t.Errorf("delete: %#v", e)
	}
	if e, ok := r.event(t).(*NotificationEvent); !ok || e.Notification.ID != "3" || e.Notification.Type != "mention" || e.Notification.Status == nil {
		t.Errorf("notification: %#v", e)
	}
	if e, ok := r.event(t).(*StatusUpdateEvent); !ok || e.Status.ID != "1" || e.Name() != "status.update" {
		t.Errorf("status.update: %#v", e)
	}
	if e, ok := r.event(t).(*ConversationEvent); !ok || e.Conversation.ID != "6" || e.Conversation.LastStatus == nil || e.Conversation.LastStatus.ID != "2" {
		t.Errorf("conversation: %#v", e)
	}
	if _, ok := r.event(t).(*FiltersChangedEvent); !ok {
		t.Error("filters_changed not decoded")
	}
	if e, ok := r.event(t).(*AnnouncementEvent); !ok || e.Announcement.ID != "9" || e.Announcement.Content != "<p>hi</p>" {
		t.Errorf("announcement: %#v", e)
	}
	if e, ok := r.event(t).(*AnnouncementReactionEvent); !ok || e.Reaction.Name != "👍" || e.Reaction.Count != 2 || e.Reaction.AnnouncementID != "9" {
		t.Errorf("announcement.reaction: %#v", e)
	}
	if e, ok := r.event(t).(*AnnouncementDeleteEvent); !ok || e.ID != "9" {
		t.Errorf("announcement.delete: %#v", e)
	}
	if _, ok := r.event(t).(*NotificationsMergedEvent); !ok {
		t.Error("notifications_merged not decoded")
	}
	if e, ok := r.event(t).(*EncryptedMessageEvent); !ok || string(e.Payload) != `{"id":"e1"}` {
		t.Errorf("encrypted_message: %#v", e)
	}
	_, err = r.next(t)
	var me *MalformedEventError
	if !errors.As(err, &me) || !errors.Is(err, ErrDecode) || me.Event != "update" {
		t.Errorf("malformed update: err = %v", err)
	}
	if e, ok := r.event(t).(*UnknownEvent); !ok || e.Name() != "quote.revoked" || string(e.Payload) != `{"a":1}` {
		t.Errorf("unknown: %#v", e)
	}
	if e, ok := r.event(t).(*DeleteEvent); !ok || e.ID != "5" {
		t.Errorf("the stream did not go on after a malformed event: %#v", e)
	}
}

func TestStreamWebSocketMultiplexed(t *testing.T) {
	f := newFakeStreaming(t)
	c := f.start()
	ctx := context.Background()
	st, err := c.Streaming.Open(ctx, []Subscription{
		{Stream: StreamUser}, {Stream: StreamHashtag, Tag: "#Foo"}, {Stream: StreamList, List: "7"},
	}, &StreamOptions{Transport: TransportWebSocket})
	if err != nil {
		t.Fatal(err)
	}
	r := readStream(t, st)
	f.waitConnected(t, "list 7")
	f.waitConnected2(t, "hashtag Foo")
	if st.Transport() != TransportWebSocket {
		t.Errorf("Transport = %q", st.Transport())
	}
	f.mu.Lock()
	req := f.requests[0]
	msgs := strings.Join(f.subMsgs, "\n")
	nreq := len(f.requests)
	f.mu.Unlock()
	if nreq != 1 {
		t.Errorf("%d connections for three subscriptions, want one socket", nreq)
	}
	if req.URL.Path != "/api/v1/streaming" || req.URL.Query().Get("stream") != "user" || req.URL.Query().Has("access_token") {
		t.Errorf("socket request %s?%s", req.URL.Path, req.URL.RawQuery)
	}
	if got := req.Header.Get("Authorization"); got != "Bearer "+testToken {
		t.Errorf("Authorization = %q", got)
	}
	if got := req.Header.Get("Sec-WebSocket-Protocol"); got != testToken {
		t.Errorf("Sec-WebSocket-Protocol = %q", got)
	}
	for _, want := range []string{`{"type":"subscribe","stream":"hashtag","tag":"Foo"}`, `{"type":"subscribe","stream":"list","list":"7"}`} {
		if !strings.Contains(msgs, want) {
			t.Errorf("no %s among %s", want, msgs)
		}
	}

	f.publish("hashtag Foo", "update", statusJSON(10))
	if e, ok := r.event(t).(*UpdateEvent); !ok || e.Status.ID != "10" || !reflect.DeepEqual(e.Stream, []string{"hashtag", "Foo"}) {
		t.Errorf("hashtag update: %#v", e)
	}
	f.publish("list 7", "delete", "10")
	if e, ok := r.event(t).(*DeleteEvent); !ok || e.ID != "10" || !reflect.DeepEqual(e.Stream, []string{"list", "7"}) {
		t.Errorf("list delete: %#v", e)
	}
	f.publish("user", "filters_changed", "")
	if e, ok := r.event(t).(*FiltersChangedEvent); !ok || !reflect.DeepEqual(e.Stream, []string{"user"}) {
		t.Errorf("user filters_changed: %#v", e)
	}

	// Subscribe and unsubscribe on the live socket.
	if err := st.Subscribe(ctx, Subscription{Stream: StreamPublicLocal}); err != nil {
		t.Fatal(err)
	}
	f.waitConnected2(t, "public:local")
	f.publish("public:local", "update", statusJSON(11))
	if e, ok := r.event(t).(*UpdateEvent); !ok || e.Status.ID != "11" || e.Stream[0] != "public:local" {
		t.Errorf("public:local update: %#v", e)
	}
	if err := st.Unsubscribe(ctx, Subscription{Stream: StreamHashtag, Tag: "Foo"}); err != nil {
		t.Fatal(err)
	}
	for i := 0; f.publish("hashtag Foo", "update", statusJSON(12)) > 0; i++ {
		if i > 5000 {
			t.Fatal("server still has the hashtag subscription")
		}
		time.Sleep(2 * time.Millisecond)
	}
	f.mu.Lock()
	msgs = strings.Join(f.subMsgs, "\n")
	f.mu.Unlock()
	if !strings.Contains(msgs, `{"type":"unsubscribe","stream":"hashtag","tag":"Foo"}`) {
		t.Errorf("no unsubscribe message among %s", msgs)
	}
}

// waitConnected2 waits for a subscription on an existing connection.
func (f *fakeStreaming) waitConnected2(t testing.TB, key string) {
	t.Helper()
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

func TestStreamAutoTransport(t *testing.T) {
	t.Run("websocket first", func(t *testing.T) {
		f := newFakeStreaming(t)
		st, err := f.start().Streaming.User(context.Background(), nil)
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		if st.Transport() != TransportWebSocket {
			t.Errorf("Transport = %q, want websocket", st.Transport())
		}
	})
	t.Run("SSE fallback", func(t *testing.T) {
		f := newFakeStreaming(t)
		f.noWS = true
		st, err := f.start().Streaming.HashtagLocal(context.Background(), "Go", nil)
		if err != nil {
			t.Fatal(err)
		}
		r := readStream(t, st)
		f.waitConnected(t, "hashtag:local Go")
		if st.Transport() != TransportSSE {
			t.Errorf("Transport = %q, want sse", st.Transport())
		}
		f.publish("hashtag:local Go", "update", statusJSON(3))
		if e, ok := r.event(t).(*UpdateEvent); !ok || e.Status.ID != "3" || !reflect.DeepEqual(e.Stream, []string{"hashtag:local", "Go"}) {
			t.Errorf("event %#v", e)
		}
	})
}

func TestStreamSSEPaths(t *testing.T) {
	cases := []struct {
		open func(c *Client) (*Stream, error)
		key  string
		path string
	}{
		{func(c *Client) (*Stream, error) { return c.Streaming.Notifications(context.Background(), sseOpts) }, "user:notification", "/api/v1/streaming/user/notification"},
		{func(c *Client) (*Stream, error) { return c.Streaming.Public(context.Background(), sseOpts) }, "public", "/api/v1/streaming/public"},
		{func(c *Client) (*Stream, error) {
			return c.Streaming.Open(context.Background(), []Subscription{{Stream: StreamPublicMedia}}, sseOpts)
		}, "public:media", "/api/v1/streaming/public?only_media=true"},
		{func(c *Client) (*Stream, error) {
			return c.Streaming.Open(context.Background(), []Subscription{{Stream: StreamPublicLocalMedia}}, sseOpts)
		}, "public:local:media", "/api/v1/streaming/public/local?only_media=true"},
		{func(c *Client) (*Stream, error) { return c.Streaming.Local(context.Background(), sseOpts) }, "public:local", "/api/v1/streaming/public/local"},
		{func(c *Client) (*Stream, error) {
			return c.Streaming.Open(context.Background(), []Subscription{{Stream: StreamPublicRemoteMedia}}, sseOpts)
		}, "public:remote:media", "/api/v1/streaming/public/remote?only_media=true"},
		{func(c *Client) (*Stream, error) { return c.Streaming.Remote(context.Background(), sseOpts) }, "public:remote", "/api/v1/streaming/public/remote"},
		{func(c *Client) (*Stream, error) { return c.Streaming.Hashtag(context.Background(), "#café", sseOpts) }, "hashtag café", "/api/v1/streaming/hashtag?tag=caf%C3%A9"},
		{func(c *Client) (*Stream, error) { return c.Streaming.HashtagLocal(context.Background(), "Go", sseOpts) }, "hashtag:local Go", "/api/v1/streaming/hashtag/local?tag=Go"},
		{func(c *Client) (*Stream, error) { return c.Streaming.List(context.Background(), "42", sseOpts) }, "list 42", "/api/v1/streaming/list?list=42"},
		{func(c *Client) (*Stream, error) { return c.Streaming.Direct(context.Background(), sseOpts) }, "direct", "/api/v1/streaming/direct"},
	}
	for _, tc := range cases {
		t.Run(tc.key, func(t *testing.T) {
			f := newFakeStreaming(t)
			st, err := tc.open(f.start())
			if err != nil {
				t.Fatal(err)
			}
			defer st.Close()
			f.waitConnected(t, tc.key)
			f.mu.Lock()
			got := f.requests[0].URL.RequestURI()
			f.mu.Unlock()
			if got != tc.path {
				t.Errorf("requested %s, want %s", got, tc.path)
			}
		})
	}
}

var sseOpts = &StreamOptions{Transport: TransportSSE}

func TestStreamArguments(t *testing.T) {
	c, _, _ := setup(t)
	ctx := context.Background()
	if _, err := c.Streaming.Hashtag(ctx, "#", nil); !errors.Is(err, ErrIllegalArgument) {
		t.Errorf("empty tag: %v", err)
	}
	if _, err := c.Streaming.List(ctx, "", nil); !errors.Is(err, ErrIllegalArgument) {
		t.Errorf("empty list: %v", err)
	}
	if _, err := c.Streaming.Open(ctx, nil, nil); !errors.Is(err, ErrIllegalArgument) {
		t.Errorf("no subscription: %v", err)
	}
	if _, err := c.Streaming.Open(ctx, []Subscription{{Stream: "bogus"}}, nil); !errors.Is(err, ErrIllegalArgument) {
		t.Errorf("unknown stream: %v", err)
	}
	if _, err := c.Streaming.User(ctx, &StreamOptions{}, &StreamOptions{}); !errors.Is(err, ErrIllegalArgument) {
		t.Errorf("two options: %v", err)
	}
	if _, err := c.Streaming.User(ctx, &StreamOptions{Transport: "carrier-pigeon"}); !errors.Is(err, ErrIllegalArgument) {
		t.Errorf("unknown transport: %v", err)
	}
	//lint:ignore SA1012 checking the nil-context guard
	if _, err := c.Streaming.User(nil, nil); !errors.Is(err, ErrIllegalArgument) { //nolint:staticcheck
		t.Errorf("nil context: %v", err)
	}
}

// TestStreamReconnectCatchUp drops the connection, posts while the stream
// is down, and checks every status and notification arrives once, in order.
func TestStreamReconnectCatchUp(t *testing.T) {
	for _, tr := range []Transport{TransportSSE, TransportWebSocket} {
		t.Run(string(tr), func(t *testing.T) {
			f := newFakeStreaming(t)
			c := f.start()
			f.post(1, false) // before the stream starts: never delivered
			st, err := c.Streaming.User(context.Background(), &StreamOptions{
				Transport: tr, ReconnectMin: 5 * time.Millisecond, ReconnectMax: 20 * time.Millisecond,
				ConnectionEvents: true,
			})
			if err != nil {
				t.Fatal(err)
			}
			r := readStream(t, st)
			f.waitConnected(t, "user")
			f.post(2, true)
			f.notify(3, true)
			got := []string{}
			items := 0 // statuses and notifications among got
			record := func(ev Event) {
				switch e := ev.(type) {
				case *UpdateEvent:
					got = append(got, fmt.Sprintf("s%s%s", e.Status.ID, catchMark(e.CatchUp)))
					items++
				case *NotificationEvent:
					got = append(got, fmt.Sprintf("n%s%s", e.Notification.ID, catchMark(e.CatchUp)))
					items++
				case *ConnectEvent:
					if e.Transport != tr {
						t.Errorf("connected over %q, want %q", e.Transport, tr)
					}
					got = append(got, fmt.Sprintf("connect(reconnect=%v)", e.Reconnect))
				case *DisconnectEvent:
					if e.Err == nil {
						t.Error("disconnect without a reason")
					}
					got = append(got, "disconnect")
				case *HeartbeatEvent:
				default:
					t.Errorf("unexpected %T", ev)
				}
			}
			for items < 2 {
				record(r.event(t))
			}

			// Down: connections refused while three things happen.
			f.mu.Lock()
			f.status = http.StatusServiceUnavailable
			f.mu.Unlock()
			f.dropAll()
			f.post(4, false)
			f.notify(5, false)
			f.post(6, false)
			f.mu.Lock()
			f.status = 0
			f.mu.Unlock()
			f.waitConnected(t, "user")
			// The live stream repeats one the catch-up also returns, then
			// goes on.
			f.publish("user", "update", statusJSON(6))
			f.post(7, true)
			for items < 6 {
				record(r.event(t))
			}
			// The reconnect comes before what it caught up, in order with
			// the events; failed reconnects are not connections.
			want := []string{"connect(reconnect=false)", "s2", "n3", "disconnect", "connect(reconnect=true)", "s4*", "n5*", "s6*", "s7"}
			if len(got) != len(want) || !reflect.DeepEqual(got[:8], want[:8]) || got[8] != "s7" && got[8] != "s7*" {
				t.Errorf("events = %v, want %v", got, want)
			}
			time.Sleep(20 * time.Millisecond)
			for {
				select {
				case d := <-r.ch:
					if _, ok := d.ev.(*HeartbeatEvent); !ok {
						t.Fatalf("unexpected extra item: %#v %v", d.ev, d.err)
					}
					continue
				default:
				}
				break
			}
			f.mu.Lock()
			calls := strings.Join(f.restCalls, "\n")
			f.mu.Unlock()
			for _, want := range []string{"/api/v1/timelines/home?limit=1", "/api/v1/notifications?limit=1",
				"/api/v1/timelines/home?limit=40&min_id=2", "/api/v1/notifications?limit=40&min_id=3"} {
				if !strings.Contains(calls, want) {
					t.Errorf("no REST call %s among\n%s", want, calls)
				}
			}
		})
	}
}

func catchMark(b bool) string {
	if b {
		return "*"
	}
	return ""
}

func TestStreamWithoutCatchUpPassesDuplicates(t *testing.T) {
	f := newFakeStreaming(t)
	st, err := f.start().Streaming.User(context.Background(), &StreamOptions{Transport: TransportSSE, NoCatchUp: true})
	if err != nil {
		t.Fatal(err)
	}
	r := readStream(t, st)
	f.waitConnected(t, "user")
	f.publish("user", "update", statusJSON(1))
	f.publish("user", "update", statusJSON(1))
	for range 2 {
		if e, ok := r.event(t).(*UpdateEvent); !ok || e.Status.ID != "1" || e.CatchUp {
			t.Errorf("%#v", e)
		}
	}
	f.mu.Lock()
	n := len(f.restCalls)
	f.mu.Unlock()
	if n != 0 {
		t.Errorf("%d REST calls without catch-up", n)
	}
}

func TestStreamFatalErrors(t *testing.T) {
	t.Run("unauthorized at start", func(t *testing.T) {
		for _, tr := range []Transport{TransportAuto, TransportSSE, TransportWebSocket} {
			f := newFakeStreaming(t)
			f.status = http.StatusUnauthorized
			_, err := f.start().Streaming.User(context.Background(), &StreamOptions{Transport: tr})
			if !errors.Is(err, ErrUnauthorized) {
				t.Errorf("%s: err = %v, want ErrUnauthorized", tr, err)
			}
			if err != nil && strings.Contains(err.Error(), testToken) {
				t.Errorf("error shows the token: %v", err)
			}
		}
	})
	t.Run("unauthorized on reconnect ends the stream", func(t *testing.T) {
		f := newFakeStreaming(t)
		st, err := f.start().Streaming.User(context.Background(), &StreamOptions{Transport: TransportSSE, ReconnectMin: time.Millisecond})
		if err != nil {
			t.Fatal(err)
		}
		r := readStream(t, st)
		f.waitConnected(t, "user")
		f.mu.Lock()
		f.status = http.StatusUnauthorized
		f.mu.Unlock()
		f.dropAll()
		if _, err := r.next(t); !errors.Is(err, ErrUnauthorized) {
			t.Fatalf("err = %v", err)
		}
		<-r.done
		if !errors.Is(st.Err(), ErrUnauthorized) {
			t.Errorf("Err = %v", st.Err())
		}
	})
	t.Run("gives up after MaxReconnects", func(t *testing.T) {
		f := newFakeStreaming(t)
		st, err := f.start().Streaming.User(context.Background(), &StreamOptions{Transport: TransportWebSocket,
			ReconnectMin: time.Millisecond, ReconnectMax: 2 * time.Millisecond, MaxReconnects: 3})
		if err != nil {
			t.Fatal(err)
		}
		r := readStream(t, st)
		f.waitConnected(t, "user")
		f.mu.Lock()
		f.status = http.StatusBadGateway
		f.mu.Unlock()
		f.dropAll()
		_, err = r.next(t)
		if !errors.Is(err, ErrBadGateway) || !strings.Contains(err.Error(), "gave up after 3") {
			t.Fatalf("err = %v", err)
		}
		<-r.done
		if n := f.attempts.Load(); n != 4 {
			t.Errorf("%d connection attempts, want 1 + 3", n)
		}
	})
	t.Run("NoReconnect", func(t *testing.T) {
		f := newFakeStreaming(t)
		st, err := f.start().Streaming.User(context.Background(), &StreamOptions{Transport: TransportSSE, NoReconnect: true})
		if err != nil {
			t.Fatal(err)
		}
		r := readStream(t, st)
		f.waitConnected(t, "user")
		f.dropAll()
		if _, err := r.next(t); err == nil {
			t.Fatal("no error at the end")
		}
		<-r.done
		if st.Err() == nil {
			t.Error("Err is nil after the server ended the stream")
		}
	})
}

// TestStreamWatchdog runs in a synctest bubble: a silent connection is
// replaced after the heartbeat timeout, a talkative one is kept.
func TestStreamWatchdog(t *testing.T) {
	for _, tr := range []Transport{TransportSSE, TransportWebSocket} {
		t.Run("silent "+string(tr), func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				f := newFakeStreaming(t)
				f.silent = true
				c, stop := f.startPipe()
				defer stop()
				st, err := c.Streaming.User(context.Background(), &StreamOptions{Transport: tr, HeartbeatTimeout: 30 * time.Second,
					ReconnectMin: time.Second, ReconnectMax: time.Second, ConnectionEvents: true})
				if err != nil {
					t.Fatal(err)
				}
				log := logConnections(st)
				defer log.stop()
				start := time.Now()
				// SSE waits the whole timeout; WebSocket pings after half of
				// it and gives up when the ping cannot be written or answered.
				quiet := 29 * time.Second
				if tr == TransportWebSocket {
					quiet = 14 * time.Second
				}
				time.Sleep(quiet)
				synctest.Wait()
				if _, reasons, _ := log.counts(); len(reasons) != 0 {
					t.Errorf("disconnected before the timeout: %v", reasons)
				}
				time.Sleep(31*time.Second - quiet)
				synctest.Wait()
				if _, reasons, _ := log.counts(); len(reasons) != 1 || !errors.Is(reasons[0], ErrHeartbeatTimeout) {
					t.Errorf("after %v: disconnects %v, want one heartbeat timeout", time.Since(start), reasons)
				}
				time.Sleep(2 * time.Second) // backoff of at most 1s, then a new connection
				synctest.Wait()
				f.mu.Lock()
				n := len(f.requests)
				f.mu.Unlock()
				if n != 2 {
					t.Errorf("%d connections, want a reconnect after the timeout", n)
				}
			})
		})
	}
	t.Run("heartbeats keep SSE alive", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			f := newFakeStreaming(t)
			f.heartbeat = 15 * time.Second
			c, stop := f.startPipe()
			defer stop()
			st, err := c.Streaming.User(context.Background(), &StreamOptions{Transport: TransportSSE, HeartbeatTimeout: 30 * time.Second,
				ConnectionEvents: true})
			if err != nil {
				t.Fatal(err)
			}
			log := logConnections(st)
			time.Sleep(5 * time.Minute)
			synctest.Wait()
			connects, reasons, beats := log.counts()
			if len(reasons) != 0 || connects != 1 {
				t.Errorf("%d connects, disconnects %v despite heartbeats", connects, reasons)
			}
			// ":)" on connect, then one ":thump" every 15 s.
			if beats != 21 {
				t.Errorf("%d heartbeat events in 5 minutes, want 21", beats)
			}
			log.stop()
		})
	})
	t.Run("pongs keep WebSocket alive", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			f := newFakeStreaming(t)
			c, stop := f.startPipe()
			defer stop()
			st, err := c.Streaming.User(context.Background(), &StreamOptions{Transport: TransportWebSocket, HeartbeatTimeout: 30 * time.Second,
				ConnectionEvents: true})
			if err != nil {
				t.Fatal(err)
			}
			log := logConnections(st)
			time.Sleep(5 * time.Minute)
			synctest.Wait()
			if connects, reasons, _ := log.counts(); len(reasons) != 0 || connects != 1 {
				t.Errorf("%d connects, disconnects %v although the server answers pings", connects, reasons)
			}
			log.stop()
		})
	})
}

// TestStreamNoLeaks runs streams in synctest bubbles, which fail when a
// goroutine outlives the test: a consumer that breaks out, one that never
// reads, Close during a reconnect wait.
func TestStreamNoLeaks(t *testing.T) {
	for _, tr := range []Transport{TransportSSE, TransportWebSocket} {
		t.Run("break "+string(tr), func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				f := newFakeStreaming(t)
				c, stop := f.startPipe()
				defer stop()
				st, err := c.Streaming.User(context.Background(), &StreamOptions{Transport: tr})
				if err != nil {
					t.Fatal(err)
				}
				go func() {
					synctest.Wait()
					f.publish("user", "update", statusJSON(1))
					f.publish("user", "update", statusJSON(2))
				}()
				for ev, err := range st.Events() {
					if err != nil || ev.(*UpdateEvent).Status.ID != "1" {
						t.Errorf("got %#v, %v", ev, err)
					}
					break
				}
				synctest.Wait()
				select {
				case <-st.Done():
				default:
					t.Error("breaking out of Events did not close the stream")
				}
			})
		})
		t.Run("never read "+string(tr), func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				f := newFakeStreaming(t)
				c, stop := f.startPipe()
				defer stop()
				st, err := c.Streaming.User(context.Background(), &StreamOptions{Transport: tr})
				if err != nil {
					t.Fatal(err)
				}
				synctest.Wait()
				go f.publish("user", "update", statusJSON(1))
				synctest.Wait()
				st.Close()
				st.Close()
			})
		})
		t.Run("cancel while reconnecting "+string(tr), func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				f := newFakeStreaming(t)
				c, stop := f.startPipe()
				defer stop()
				ctx, cancel := context.WithCancel(context.Background())
				st, err := c.Streaming.User(ctx, &StreamOptions{Transport: tr, ReconnectMin: time.Hour, ReconnectMax: time.Hour})
				if err != nil {
					t.Fatal(err)
				}
				synctest.Wait()
				f.dropAll()
				synctest.Wait() // the link now waits to reconnect
				cancel()
				synctest.Wait()
				<-st.Done()
				if !errors.Is(st.Err(), context.Canceled) {
					t.Errorf("Err = %v, want context.Canceled", st.Err())
				}
			})
		})
	}
}

// TestStreamGoroutineCount checks on real loopback connections that every
// goroutine a stream started has ended once it is closed and the server is
// gone (leakcheck tracks them one by one, not by count).
func TestStreamGoroutineCount(t *testing.T) {
	checkGoroutines(t)
	f := newFakeStreaming(t)
	srv := httptest.NewServer(f.mux)
	t.Cleanup(srv.Close)
	t.Cleanup(f.dropAll)
	tr := &http.Transport{}
	t.Cleanup(tr.CloseIdleConnections)
	c, err := newScannedClient(srv.URL, WithAccessToken(testToken), WithHTTPClient(&http.Client{Transport: tr}), WithStreamingURL(srv.URL))
	if err != nil {
		t.Fatal(err)
	}
	for _, trn := range []Transport{TransportSSE, TransportWebSocket} {
		st, err := c.Streaming.Open(context.Background(), []Subscription{{Stream: StreamUser}, {Stream: StreamDirect}}, &StreamOptions{Transport: trn})
		if err != nil {
			t.Fatal(err)
		}
		f.waitConnected(t, "user")
		for range 3 {
			f.publish("user", "update", statusJSON(1)) // nobody reads
		}
		st.Close()
	}
}

func TestStreamCloseAnyTime(t *testing.T) {
	var nilStream *Stream
	nilStream.Close()
	nilStream.Close()
	(&Stream{}).Close()
	for range (&Stream{}).Events() {
		t.Error("zero stream yielded")
	}
	if nilStream.Err() != nil || nilStream.Transport() != TransportAuto {
		t.Error("nil stream accessors")
	}

	f := newFakeStreaming(t)
	st, err := f.start().Streaming.User(context.Background(), sseOpts)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() { defer wg.Done(); st.Close() }()
	}
	wg.Wait()
	st.Close()
	if st.Err() != nil {
		t.Errorf("Err after Close = %v", st.Err())
	}
	for ev, err := range st.Events() {
		t.Errorf("closed stream yielded %v %v", ev, err)
	}
	if err := st.Subscribe(context.Background(), Subscription{Stream: StreamDirect}); !errors.Is(err, ErrStreamClosed) {
		t.Errorf("Subscribe after Close: %v", err)
	}
}

// TestStreamConnectionEvents checks that with ConnectionEvents the
// stream's connections and the server's heartbeats come through Events in
// order with the server's events, each with its meta, and that without it
// only the server's events do.
func TestStreamConnectionEvents(t *testing.T) {
	for _, tr := range []Transport{TransportSSE, TransportWebSocket} {
		t.Run(string(tr), func(t *testing.T) {
			f := newFakeStreaming(t)
			f.heartbeat = 20 * time.Millisecond
			o := &StreamOptions{Transport: tr, ConnectionEvents: true, ReconnectMin: time.Millisecond, ReconnectMax: 2 * time.Millisecond, NoCatchUp: true}
			st, err := f.start().Streaming.User(context.Background(), o)
			if err != nil {
				t.Fatal(err)
			}
			if *o != (StreamOptions{Transport: tr, ConnectionEvents: true, ReconnectMin: time.Millisecond, ReconnectMax: 2 * time.Millisecond, NoCatchUp: true}) {
				t.Errorf("the caller's options changed: %+v", *o)
			}
			r := readStream(t, st)
			var wantMeta []string // the WebSocket carries every subscription
			if tr == TransportSSE {
				wantMeta = []string{"user"}
			}
			connected := func(reconnect bool) {
				t.Helper()
				e, ok := r.event(t).(*ConnectEvent)
				if !ok || e.Transport != tr || e.Reconnect != reconnect || !reflect.DeepEqual(e.Stream, wantMeta) || e.Name() != "connect" {
					t.Fatalf("want a connect event (reconnect %v), got %#v", reconnect, e)
				}
			}
			// next skips heartbeats, after checking them.
			beats := 0
			next := func() Event {
				t.Helper()
				for {
					ev := r.event(t)
					if hb, ok := ev.(*HeartbeatEvent); ok {
						if !reflect.DeepEqual(hb.Stream, wantMeta) || hb.Name() != "heartbeat" {
							t.Errorf("heartbeat %#v", hb)
						}
						beats++
						continue
					}
					return ev
				}
			}
			connected(false)
			f.waitConnected(t, "user")
			time.Sleep(60 * time.Millisecond)
			f.publish("user", "update", statusJSON(1))
			if e, ok := next().(*UpdateEvent); !ok || e.Status.ID != "1" || !reflect.DeepEqual(e.Stream, []string{"user"}) {
				t.Fatalf("want update 1, got %#v", e)
			}
			if beats == 0 {
				t.Error("no heartbeat event")
			}
			f.dropAll()
			if e, ok := next().(*DisconnectEvent); !ok || e.Err == nil || !reflect.DeepEqual(e.Stream, wantMeta) || e.Name() != "disconnect" {
				t.Fatalf("want a disconnect event with its reason, got %#v", e)
			}
			ev := next()
			if e, ok := ev.(*ConnectEvent); !ok || !e.Reconnect {
				t.Fatalf("want a reconnect, got %#v", ev)
			}
		})
	}
	t.Run("off by default", func(t *testing.T) {
		f := newFakeStreaming(t)
		f.heartbeat = 10 * time.Millisecond
		st, err := f.start().Streaming.User(context.Background(), sseOpts)
		if err != nil {
			t.Fatal(err)
		}
		r := readStream(t, st)
		f.waitConnected(t, "user")
		time.Sleep(50 * time.Millisecond)
		f.publish("user", "update", statusJSON(1))
		if e, ok := r.event(t).(*UpdateEvent); !ok || e.Status.ID != "1" {
			t.Fatalf("first event %#v, want the update", e)
		}
		r.noMore(t)
	})
}

// TestStreamCorpus serves the recorded Mastodon event streams and checks
// they come out as the right typed events.
func TestStreamCorpus(t *testing.T) {
	n := 0
	for _, p := range corpus.Interactions(t) {
		body := p.Interaction.Response.Body
		if body.Kind != "event-stream" {
			continue
		}
		n++
		t.Run(p.Name(), func(t *testing.T) {
			mux := http.NewServeMux()
			mux.HandleFunc(p.Interaction.Request.Path, func(w http.ResponseWriter, r *http.Request) {
				if r.Header.Get("Authorization") != "Bearer "+testToken {
					w.WriteHeader(http.StatusUnauthorized)
					return
				}
				w.Header().Set("Content-Type", p.Interaction.Response.Header("content-type"))
				fmt.Fprint(w, body.Raw)
			})
			srv := httptest.NewServer(mux)
			defer srv.Close()
			c, err := newScannedClient(srv.URL, WithAccessToken(testToken), WithStreamingURL(srv.URL))
			if err != nil {
				t.Fatal(err)
			}
			var st *Stream
			opts := &StreamOptions{Transport: TransportSSE, NoReconnect: true}
			switch p.Interaction.Request.Path {
			case "/api/v1/streaming/user":
				st, err = c.Streaming.User(context.Background(), opts)
			case "/api/v1/streaming/direct":
				st, err = c.Streaming.Direct(context.Background(), opts)
			default:
				t.Skipf("no stream method for %s", p.Interaction.Request.Path)
			}
			if err != nil {
				t.Fatal(err)
			}
			var events []Event
			for ev, err := range st.Events() {
				if err != nil {
					if !strings.Contains(err.Error(), "ended by the server") {
						t.Errorf("stream error: %v", err)
					}
					break // the recording ends: the server "disconnects"
				}
				events = append(events, ev)
			}
			if len(events) != len(body.Events) {
				t.Fatalf("%d events, recorded %d", len(events), len(body.Events))
			}
			for i, ev := range events {
				rec := body.Events[i]
				var id struct {
					ID string `json:"id"`
				}
				json.Unmarshal(rec.Data, &id)
				switch e := ev.(type) {
				case *UpdateEvent:
					if rec.Event != "update" || e.Status.ID != id.ID || e.Status.Account.ID == "" {
						t.Errorf("event %d: update %s, recorded %s %s", i, e.Status.ID, rec.Event, id.ID)
					}
				case *ConversationEvent:
					if rec.Event != "conversation" || e.Conversation.ID != id.ID || e.Conversation.LastStatus == nil || len(e.Conversation.Accounts) == 0 {
						t.Errorf("event %d: conversation %#v, recorded %s %s", i, e.Conversation, rec.Event, id.ID)
					}
				default:
					t.Errorf("event %d: %T for recorded %s", i, ev, rec.Event)
				}
			}
		})
	}
	if n == 0 {
		t.Fatal("no event-stream bodies in the corpus")
	}
}

func TestStreamHealth(t *testing.T) {
	c, mux, _ := setup(t)
	up := true
	mux.HandleFunc("/api/v2/instance", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `{"configuration":{"urls":{"streaming":null}}}`)
	})
	mux.HandleFunc("/api/v1/instance", func(w http.ResponseWriter, r *http.Request) { http.NotFound(w, r) })
	mux.HandleFunc("/api/v1/streaming/health", func(w http.ResponseWriter, r *http.Request) {
		testMethod(t, r, "GET")
		if r.Header.Get("Authorization") != "" {
			t.Error("health check carries the token")
		}
		if up {
			fmt.Fprint(w, "OK")
			return
		}
		w.WriteHeader(http.StatusServiceUnavailable)
		fmt.Fprint(w, "<html>down</html>")
	})
	if err := c.Streaming.Health(context.Background()); err != nil {
		t.Fatal(err)
	}
	up = false
	if err := c.Streaming.Health(context.Background()); !errors.Is(err, ErrServiceUnavailable) {
		t.Errorf("down: %v", err)
	}
}

// TestStreamHealthRetries: Health goes through the path every call takes,
// so a 503 from a proxy in front of the streaming server is retried.
func TestStreamHealthRetries(t *testing.T) {
	c, mux, _ := setup(t, WithRetryPolicy(RetryPolicy{MaxRetries: 1, MinBackoff: time.Millisecond, MaxBackoff: time.Millisecond}))
	mux.HandleFunc("/api/v2/instance", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `{"configuration":{"urls":{"streaming":null}}}`)
	})
	var calls atomic.Int32
	mux.HandleFunc("/api/v1/streaming/health", func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "" {
			t.Error("health check carries the token")
		}
		if calls.Add(1) == 1 {
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		fmt.Fprint(w, "OK\n")
	})
	if err := c.Streaming.Health(context.Background()); err != nil || calls.Load() != 2 {
		t.Errorf("Health: %v after %d calls; want OK after a retry", err, calls.Load())
	}
}

func TestStreamingURLDiscovery(t *testing.T) {
	c, mux, _ := setup(t)
	var calls atomic.Int32
	mux.HandleFunc("/api/v2/instance", func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		fmt.Fprint(w, `{"configuration":{"urls":{"streaming":"wss://localhost"}}}`)
	})
	got, err := c.streamingBase(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	// Loopback over http advertising wss:// without a port: the server itself.
	if got != c.base.String() {
		t.Errorf("streaming base = %q, want %q", got, c.base.String())
	}
	c.streamingBase(context.Background())
	if calls.Load() != 1 {
		t.Errorf("instance fetched %d times, want cached", calls.Load())
	}
	c.ClearCaches()
	c.streamingBase(context.Background())
	if calls.Load() != 2 {
		t.Errorf("ClearCaches did not forget the streaming URL")
	}

	c2, mux2, _ := setup(t)
	mux2.HandleFunc("/api/v2/instance", func(w http.ResponseWriter, r *http.Request) { http.NotFound(w, r) })
	mux2.HandleFunc("/api/v1/instance", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `{"urls":{"streaming_api":"ws://127.0.0.1:4000"}}`)
	})
	if got, _ := c2.streamingBase(context.Background()); got != "http://127.0.0.1:4000" {
		t.Errorf("v1 streaming_api: %q", got)
	}
}

func TestAdoptStreamingURL(t *testing.T) {
	cases := []struct{ server, advertised, want string }{
		{"https://mastodon.social", "wss://streaming.mastodon.social", "https://streaming.mastodon.social"},
		{"https://mastodon.social", "", "https://mastodon.social"},
		{"https://mastodon.social", "wss://mastodon.social", "https://mastodon.social"},
		{"https://social.example.com", "wss://streaming.example.com", "https://social.example.com"}, // a sibling, not a subdomain
		{"https://social.example.com", "wss://evil.example.net", "https://social.example.com"},
		{"https://social.example.co.uk", "wss://evil.co.uk", "https://social.example.co.uk"},
		{"https://example.social", "wss://social", "https://example.social"},
		{"https://mastodon.social", "ws://streaming.mastodon.social", "https://streaming.mastodon.social"},
		{"https://mastodon.social", "ftp://streaming.mastodon.social", "https://mastodon.social"},
		{"https://mastodon.social", "wss://user:pw@streaming.mastodon.social", "https://mastodon.social"},
		{"https://mastodon.social", "wss://streaming.mastodon.social:4443/", "https://streaming.mastodon.social:4443"},
		{"http://localhost:3000", "ws://localhost:4000", "http://localhost:4000"},
		{"http://127.0.0.1:3000", "wss://127.0.0.1:4000", "http://127.0.0.1:4000"},
		{"http://127.0.0.1:3000", "wss://localhost", "http://127.0.0.1:3000"},
		{"http://localhost:3000", "wss://mastodon.social", "http://localhost:3000"},
	}
	for _, tc := range cases {
		c, err := newScannedClient(tc.server)
		if err != nil {
			t.Fatal(err)
		}
		if got := c.adoptStreamingURL(tc.advertised); got != tc.want {
			t.Errorf("server %s advertising %q: %q, want %q", tc.server, tc.advertised, got, tc.want)
		}
	}
}

func TestStreamOverride(t *testing.T) {
	c, err := newScannedClient("https://mastodon.example", WithStreamingURL("wss://stream.elsewhere.example/"))
	if err != nil {
		t.Fatal(err)
	}
	got, err := c.streamingBase(context.Background())
	if err != nil || got != "https://stream.elsewhere.example" {
		t.Errorf("override: %q, %v", got, err)
	}
	if wsScheme(got) != "wss://stream.elsewhere.example" || httpScheme("wss://a") != "https://a" || httpScheme("ws://a") != "http://a" {
		t.Error("scheme mapping")
	}
}

// TestBackoff checks that reconnect n (1-based) waits as retry n-1 does.
func TestBackoff(t *testing.T) {
	o := &StreamOptions{ReconnectMin: time.Second, ReconnectMax: 30 * time.Second}
	for n, top := range map[int]time.Duration{1: time.Second, 2: 2 * time.Second, 3: 4 * time.Second, 5: 16 * time.Second, 6: 30 * time.Second, 60: 30 * time.Second} {
		seen := map[time.Duration]bool{}
		for range 50 {
			d := o.backoff(n)
			if d < top/2 || d > top {
				t.Fatalf("backoff(%d) = %v, want within [%v, %v]", n, d, top/2, top)
			}
			seen[d] = true
		}
		if len(seen) < 2 {
			t.Errorf("backoff(%d) has no jitter", n)
		}
	}
}

func TestCompareIDs(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want int
	}{
		{"9", "10", -1}, {"109", "108", 1}, {"5", "5", 0}, {"", "1", -1},
		{"01HZ", "01HY", 1}, {"117024248092393661", "117024234734337801", 1},
	} {
		if got := compareIDs(tc.a, tc.b); got != tc.want {
			t.Errorf("compareIDs(%q, %q) = %d", tc.a, tc.b, got)
		}
	}
	var s idSet
	if !s.add("1") || s.add("1") {
		t.Error("idSet does not dedupe")
	}
	for i := range seenIDs + 10 {
		s.add(fmt.Sprint(i + 100))
	}
	if len(s.m) != seenIDs {
		t.Errorf("idSet holds %d, want bounded at %d", len(s.m), seenIDs)
	}
}

func TestDecodeEvent(t *testing.T) {
	for _, tc := range []struct {
		name, payload string
		want          string // %T or "error"
	}{
		{"update", statusJSON(1), "*mastodon.UpdateEvent"},
		{"update", `{"content":"x"}`, "error"},
		{"update", `"{\"id\":\"1\"}"`, "error"},
		{"update", ``, "error"},
		{"update", `<html>`, "error"},
		{"notification", `{"id":"1","type":"brand_new_type","created_at":"2026-01-01T00:00:00Z","account":{"id":"1"}}`, "*mastodon.NotificationEvent"},
		{"notification", `{"type":"mention"}`, "error"},
		{"delete", `123`, "*mastodon.DeleteEvent"},
		{"delete", `"123"`, "*mastodon.DeleteEvent"},
		{"delete", ``, "error"},
		{"delete", `{"id":"1"}`, "error"},
		{"delete", `1 2`, "error"},
		{"announcement.delete", `7`, "*mastodon.AnnouncementDeleteEvent"},
		{"conversation", `[]`, "error"},
		{"filters_changed", ``, "*mastodon.FiltersChangedEvent"},
		{"encrypted_message", `{"x":`, "error"},
		{"encrypted_message", ``, "*mastodon.EncryptedMessageEvent"},
		{"", ``, "*mastodon.UnknownEvent"},
	} {
		ev, err := decodeEvent(tc.name, []byte(tc.payload), []string{"user"})
		got := fmt.Sprintf("%T", ev)
		if err != nil {
			got = "error"
			if !errors.Is(err, ErrDecode) {
				t.Errorf("%s %q: error %v does not match ErrDecode", tc.name, tc.payload, err)
			}
		}
		if got != tc.want {
			t.Errorf("%s %q: %s (%v), want %s", tc.name, tc.payload, got, err, tc.want)
		}
	}
	ev, _ := decodeEvent("delete", []byte(" \"123\" "), nil)
	if ev.(*DeleteEvent).ID != "123" {
		t.Errorf("quoted delete id = %q", ev.(*DeleteEvent).ID)
	}
}

func FuzzDecodeEvent(f *testing.F) {
	for _, s := range []struct{ name, payload string }{
		{"update", statusJSON(1)}, {"notification", notificationJSON(2)}, {"delete", "12"}, {"delete", `"12"`},
		{"status.update", statusJSON(3)}, {"conversation", `{"id":"1","accounts":[],"last_status":null}`},
		{"announcement", `{"id":"1","published_at":"2026-01-01T00:00:00Z"}`},
		{"announcement.reaction", `{"name":"x","count":1,"announcement_id":"1"}`},
		{"filters_changed", "undefined"}, {"encrypted_message", `{}`}, {"other", "\x00"},
	} {
		f.Add(s.name, []byte(s.payload))
	}
	f.Fuzz(func(t *testing.T, name string, payload []byte) {
		ev, err := decodeEvent(name, payload, []string{"user"})
		if err != nil {
			if ev != nil || !errors.Is(err, ErrDecode) {
				t.Fatalf("error %v with event %v", err, ev)
			}
			_ = err.Error()
			return
		}
		if ev.Name() != name && name != "" {
			t.Fatalf("event %T named %q for %q", ev, ev.Name(), name)
		}
		switch e := ev.(type) {
		case *UpdateEvent:
			if e.Status == nil || e.Status.ID == "" {
				t.Fatal("update without a status ID")
			}
		case *DeleteEvent:
			if e.ID == "" || strings.ContainsAny(e.ID, " \"\n") {
				t.Fatalf("bad delete id %q", e.ID)
			}
		}
	})
}

// BenchmarkStreamDecode measures the whole SSE path short of the network:
// event-stream parsing plus typed decoding of a realistic status.
func BenchmarkStreamDecode(b *testing.B) {
	payload := []byte(statusJSON(117024248092393661 % 1000))
	label := []string{"user"}
	b.SetBytes(int64(len(payload)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := decodeEvent("update", payload, label); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "events/s")
}

func TestStreamSSESubscribe(t *testing.T) {
	f := newFakeStreaming(t)
	st, err := f.start().Streaming.User(context.Background(), sseOpts)
	if err != nil {
		t.Fatal(err)
	}
	r := readStream(t, st)
	f.waitConnected(t, "user")
	ctx, cancel := context.WithCancel(context.Background())
	if err := st.Subscribe(ctx, Subscription{Stream: StreamHashtag, Tag: "go"}); err != nil {
		t.Fatal(err)
	}
	cancel() // bounds the handshake only
	f.waitConnected(t, "hashtag go")
	f.publish("hashtag go", "update", statusJSON(4))
	if e, ok := r.event(t).(*UpdateEvent); !ok || e.Status.ID != "4" || !reflect.DeepEqual(e.Stream, []string{"hashtag", "go"}) {
		t.Fatalf("event %#v", e)
	}
	if err := st.Subscribe(context.Background(), Subscription{Stream: StreamHashtag, Tag: "#GO"}); err != nil {
		t.Fatal(err)
	}
	f.mu.Lock()
	n := len(f.requests)
	f.mu.Unlock()
	if n != 2 {
		t.Errorf("%d connections; subscribing twice to a tag must not open another", n)
	}
	if err := st.Unsubscribe(context.Background(), Subscription{Stream: StreamHashtag, Tag: "go"}); err != nil {
		t.Fatal(err)
	}
	for i := 0; f.publish("hashtag go", "update", statusJSON(5)) > 0; i++ {
		if i > 5000 {
			t.Fatal("the hashtag connection stayed open")
		}
		time.Sleep(2 * time.Millisecond)
	}
	f.publish("user", "delete", "4")
	if e, ok := r.event(t).(*DeleteEvent); !ok || e.ID != "4" {
		t.Errorf("user stream after unsubscribing the tag: %#v", e)
	}
}

// TestStreamSSESubscribeConnectionEvents checks that over SSE a new
// subscription's connection is reported with its stream, and that
// unsubscribing (which closes it) is not reported as a lost connection.
func TestStreamSSESubscribeConnectionEvents(t *testing.T) {
	f := newFakeStreaming(t)
	st, err := f.start().Streaming.User(context.Background(), &StreamOptions{Transport: TransportSSE, ConnectionEvents: true})
	if err != nil {
		t.Fatal(err)
	}
	r := readStream(t, st)
	// next skips heartbeats (the fake greets each SSE connection with one).
	next := func() Event {
		t.Helper()
		for {
			if ev := r.event(t); ev.Name() != "heartbeat" {
				return ev
			}
		}
	}
	if e, ok := next().(*ConnectEvent); !ok || !reflect.DeepEqual(e.Stream, []string{"user"}) {
		t.Fatalf("want the user stream's connect event, got %#v", e)
	}
	if err := st.Subscribe(context.Background(), Subscription{Stream: StreamHashtag, Tag: "go"}); err != nil {
		t.Fatal(err)
	}
	if e, ok := next().(*ConnectEvent); !ok || e.Reconnect || e.Transport != TransportSSE || !reflect.DeepEqual(e.Stream, []string{"hashtag", "go"}) {
		t.Fatalf("want the hashtag connection's connect event, got %#v", e)
	}
	if err := st.Unsubscribe(context.Background(), Subscription{Stream: StreamHashtag, Tag: "go"}); err != nil {
		t.Fatal(err)
	}
	for i := 0; f.publish("hashtag go", "update", statusJSON(5)) > 0; i++ {
		if i > 5000 {
			t.Fatal("the hashtag connection stayed open")
		}
		time.Sleep(2 * time.Millisecond)
	}
	f.publish("user", "delete", "4")
	if e, ok := next().(*DeleteEvent); !ok || e.ID != "4" {
		t.Errorf("after unsubscribing: %#v, want the user stream's delete and no disconnect event", e)
	}
}

package mastodon

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"reflect"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tuskgo/mastodon/mastodontest"
)

// mtSetup starts a mastodontest server with two users, alice following bob,
// and a Tusk client for alice. The streaming URL is discovered from the
// instance, as against a real server.
func mtSetup(t *testing.T, opts ...mastodontest.Option) (srv *mastodontest.Server, alice *Client, bob *mastodontest.Client) {
	t.Helper()
	srv = mastodontest.NewTestServer(t, opts...)
	_, aliceTok := mtUser(srv, "alice")
	bobAcct, bobTok := mtUser(srv, "bob")
	tr := &http.Transport{}
	t.Cleanup(tr.CloseIdleConnections)
	c, err := newScannedClient(srv.URL, WithAccessToken(aliceTok), WithHTTPClient(&http.Client{Transport: tr}))
	if err != nil {
		t.Fatal(err)
	}
	mastodontest.NewClient(srv, aliceTok).JSON(t, 200, "POST", "/api/v1/accounts/"+bobAcct.ID+"/follow", nil, nil)
	return srv, c, mastodontest.NewClient(srv, bobTok)
}

// holdStreams lets a test hold a client's stream connections (and
// reconnects) back for a while; other requests pass.
type holdStreams struct {
	rt   http.RoundTripper
	gate atomic.Pointer[chan struct{}]
}

// hold makes stream requests wait until the returned release is called.
func (h *holdStreams) hold() (release func()) {
	ch := make(chan struct{})
	h.gate.Store(&ch)
	return func() { h.gate.Store(nil); close(ch) }
}

func (h *holdStreams) RoundTrip(r *http.Request) (*http.Response, error) {
	if g := h.gate.Load(); g != nil && strings.HasPrefix(r.URL.Path, "/api/v1/streaming") {
		select {
		case <-*g:
		case <-r.Context().Done():
			return nil, r.Context().Err()
		}
	}
	rt := h.rt
	if rt == nil {
		rt = http.DefaultTransport
	}
	return rt.RoundTrip(r)
}

func waitStreams(t *testing.T, srv *mastodontest.Server, n int) {
	t.Helper()
	for range 2000 {
		if srv.StreamCount() == n {
			return
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatalf("%d open streams, want %d", srv.StreamCount(), n)
}

func TestMastodontestLiveEvents(t *testing.T) {
	for _, tr := range []Transport{TransportSSE, TransportWebSocket, TransportAuto} {
		t.Run(string(tr)+"auto", func(t *testing.T) {
			srv, alice, bob := mtSetup(t)
			st, err := alice.Streaming.User(context.Background(), &StreamOptions{Transport: tr})
			if err != nil {
				t.Fatal(err)
			}
			r := readStream(t, st)
			waitStreams(t, srv, 1)
			if tr == TransportAuto && st.Transport() != TransportWebSocket {
				t.Errorf("auto chose %q", st.Transport())
			}
			posted := bob.PostStatus(t, "hello from bob")
			e, ok := r.event(t).(*UpdateEvent)
			if !ok || e.Status.ID != posted["id"] || !strings.Contains(e.Status.Content, "hello from bob") || e.Status.Account.Username != "bob" {
				t.Fatalf("update: %#v", e)
			}
			bob.JSON(t, 200, "DELETE", "/api/v1/statuses/"+e.Status.ID, nil, nil)
			if d, ok := r.event(t).(*DeleteEvent); !ok || d.ID != e.Status.ID {
				t.Errorf("delete: %#v", d)
			}
		})
	}
}

func TestMastodontestMultiplexed(t *testing.T) {
	srv, alice, bob := mtSetup(t)
	st, err := alice.Streaming.Open(context.Background(), []Subscription{
		{Stream: StreamUser}, {Stream: StreamHashtag, Tag: "golang"}, {Stream: StreamPublicLocal},
	}, &StreamOptions{Transport: TransportWebSocket})
	if err != nil {
		t.Fatal(err)
	}
	r := readStream(t, st)
	waitStreams(t, srv, 1)
	if err := srv.WaitSubscriptions(t.Context(), 3); err != nil { // the subscribe messages have landed
		t.Fatal(err)
	}
	posted := bob.PostStatus(t, "learning #golang today")
	labels := map[string]bool{}
	for range 3 {
		e, ok := r.event(t).(*UpdateEvent)
		if !ok || e.Status.ID != posted["id"] {
			t.Fatalf("event %#v", e)
		}
		labels[strings.Join(e.Stream, " ")] = true
	}
	want := map[string]bool{"user": true, "hashtag golang": true, "public:local": true}
	if !reflect.DeepEqual(labels, want) {
		t.Errorf("routed to %v, want %v", labels, want)
	}
	if srv.StreamCount() != 1 {
		t.Errorf("%d connections, want one socket", srv.StreamCount())
	}
}

// TestMastodontestReconnectCatchUp drops every stream, lets bob post and
// mention alice while alice's stream is down, and checks she gets all of
// it once, in order.
func TestMastodontestReconnectCatchUp(t *testing.T) {
	for _, tr := range []Transport{TransportSSE, TransportWebSocket} {
		t.Run(string(tr), func(t *testing.T) {
			srv, alice, bob := mtSetup(t)
			hold := &holdStreams{rt: alice.hc.Transport}
			alice.hc.Transport = hold
			st, err := alice.Streaming.User(context.Background(), &StreamOptions{
				Transport: tr, ReconnectMin: time.Millisecond, ReconnectMax: 5 * time.Millisecond,
			})
			if err != nil {
				t.Fatal(err)
			}
			r := readStream(t, st)
			waitStreams(t, srv, 1)
			first := bob.PostStatus(t, "one")
			if e, ok := r.event(t).(*UpdateEvent); !ok || e.Status.ID != first["id"] || e.CatchUp {
				t.Fatalf("first: %#v", e)
			}
			resume := hold.hold() // the reconnect waits while the test posts
			srv.DropStreams()
			waitStreams(t, srv, 0)
			two := bob.PostStatus(t, "two")
			mention := bob.PostStatus(t, "@alice three")
			four := bob.PostStatus(t, "four")
			resume()
			waitStreams(t, srv, 1)
			five := bob.PostStatus(t, "five")

			var got []string
			for len(got) < 5 {
				switch e := r.event(t).(type) {
				case *UpdateEvent:
					got = append(got, "s:"+e.Status.ID+catchMark(e.CatchUp))
				case *NotificationEvent:
					if e.Notification.Status == nil {
						t.Fatalf("notification without status: %#v", e.Notification)
					}
					got = append(got, "n:"+e.Notification.Status.ID+catchMark(e.CatchUp))
				default:
					t.Fatalf("unexpected %T", e)
				}
			}
			id := func(m map[string]any) string { return m["id"].(string) }
			// Statuses in order, all caught up but the live one (which the
			// catch-up may also have found); the notification after the
			// status it is about. Cross-kind order is by time, which ties.
			var statuses []string
			notifAt := -1
			for i, g := range got {
				if strings.HasPrefix(g, "n:") {
					if g != "n:"+id(mention)+"*" {
						t.Errorf("notification %s, want the caught-up mention", g)
					}
					notifAt = i
					continue
				}
				statuses = append(statuses, strings.TrimSuffix(g, "*"))
				if i < 4 && !strings.HasSuffix(g, "*") {
					t.Errorf("%s not marked as caught up", g)
				}
			}
			wantS := []string{"s:" + id(two), "s:" + id(mention), "s:" + id(four), "s:" + id(five)}
			if !reflect.DeepEqual(statuses, wantS) {
				t.Errorf("statuses %v, want %v (all events %v)", statuses, wantS, got)
			}
			if notifAt < 0 || notifAt < slices.Index(got, "s:"+id(mention)+"*") {
				t.Errorf("notification missing or before its status: %v", got)
			}
			time.Sleep(50 * time.Millisecond)
			r.noMore(t)
			seen := map[string]bool{}
			for _, g := range got {
				k := strings.TrimSuffix(g, "*")
				if seen[k] {
					t.Errorf("%s delivered twice: %v", k, got)
				}
				seen[k] = true
			}
		})
	}
}

func TestMastodontestWatchdog(t *testing.T) {
	// A server whose heartbeat is far off looks dead to a short watchdog.
	srv, alice, _ := mtSetup(t, mastodontest.WithHeartbeat(time.Hour))
	st, err := alice.Streaming.User(context.Background(), &StreamOptions{Transport: TransportSSE,
		HeartbeatTimeout: 100 * time.Millisecond, ReconnectMin: time.Millisecond, ReconnectMax: time.Millisecond,
		ConnectionEvents: true})
	if err != nil {
		t.Fatal(err)
	}
	r := readStream(t, st)
	var got []string
	for len(got) < 3 {
		switch e := r.event(t).(type) {
		case *ConnectEvent:
			got = append(got, fmt.Sprintf("connect(reconnect=%v)", e.Reconnect))
		case *DisconnectEvent:
			if !errors.Is(e.Err, ErrHeartbeatTimeout) {
				t.Errorf("disconnect reason %v, want ErrHeartbeatTimeout", e.Err)
			}
			got = append(got, "disconnect")
		case *HeartbeatEvent:
		default:
			t.Fatalf("unexpected %#v", e)
		}
	}
	if want := []string{"connect(reconnect=false)", "disconnect", "connect(reconnect=true)"}; !reflect.DeepEqual(got, want) {
		t.Errorf("events %v, want %v", got, want)
	}
	waitStreams(t, srv, 1) // reconnected
}

// TestMastodontestCleanShutdown checks that closing streams (twice) and
// the server leaves no goroutine of the client or the server running.
func TestMastodontestCleanShutdown(t *testing.T) {
	checkGoroutines(t)
	srv, alice, bob := mtSetup(t)
	for _, tr := range []Transport{TransportSSE, TransportWebSocket} {
		st, err := alice.Streaming.Open(context.Background(), []Subscription{{Stream: StreamUser}, {Stream: StreamPublic}},
			&StreamOptions{Transport: tr})
		if err != nil {
			t.Fatal(err)
		}
		n := 2
		if tr == TransportWebSocket {
			n = 1
		}
		waitStreams(t, srv, n)
		bob.PostStatus(t, "nobody reads this")
		st.Close()
		st.Close()
		waitStreams(t, srv, 0)
	}
	srv.Close()
}

func TestMastodontestErrors(t *testing.T) {
	srv, alice, _ := mtSetup(t)
	// A list that is not alice's: the server refuses the subscription with
	// 401, as Mastodon's streaming server does.
	if _, err := alice.Streaming.List(context.Background(), "999", sseOpts); !errors.Is(err, ErrUnauthorized) {
		t.Errorf("foreign list over SSE: %v", err)
	}
	bad, _ := newScannedClient(srv.URL, WithAccessToken("not-a-token"))
	if _, err := bad.Streaming.User(context.Background()); !errors.Is(err, ErrUnauthorized) {
		t.Errorf("bad token: %v", err)
	}
	if err := alice.Streaming.Health(context.Background()); err != nil {
		t.Errorf("health: %v", err)
	}
}

func TestMastodontestSubscriptionRefused(t *testing.T) {
	srv, alice, bob := mtSetup(t)
	st, err := alice.Streaming.User(context.Background(), &StreamOptions{Transport: TransportWebSocket})
	if err != nil {
		t.Fatal(err)
	}
	r := readStream(t, st)
	waitStreams(t, srv, 1)
	if err := st.Subscribe(context.Background(), Subscription{Stream: StreamList, List: "999"}); err != nil {
		t.Fatal(err)
	}
	_, err = r.next(t)
	var apiErr *APIError
	// Mastodon's shape, {"error":"Not authorized to stream this list","status":401},
	// arrives as a typed error.
	if !errors.As(err, &apiErr) || !errors.Is(err, ErrUnauthorized) || apiErr.StatusCode != 401 ||
		apiErr.Code != "Not authorized to stream this list" {
		t.Fatalf("refused subscription: %v, want a 401 APIError with the server's message", err)
	}
	posted := bob.PostStatus(t, "still streaming")
	if e, ok := r.event(t).(*UpdateEvent); !ok || e.Status.ID != posted["id"] {
		t.Errorf("the stream did not go on: %#v", e)
	}
}

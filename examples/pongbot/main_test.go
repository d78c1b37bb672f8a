package main

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tuskgo/mastodon"
	"github.com/tuskgo/mastodon/internal/leakcheck"
	"github.com/tuskgo/mastodon/mastodontest"
)

// TestMain fails the run if a test leaves goroutines behind.
func TestMain(m *testing.M) { leakcheck.Main(m) }

// syncBuffer is a log destination the bot's goroutine and the test share.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

type fixture struct {
	srv      *mastodontest.Server
	alice    *mastodon.Client
	botToken string
	botID    string
	logs     *syncBuffer
}

func newFixture(t *testing.T, opts ...mastodontest.Option) *fixture {
	srv := mastodontest.NewTestServer(t, opts...)
	bot, botToken := srv.CreateUser("bot", mastodontest.Bot())
	_, aliceToken := srv.CreateUser("alice")
	alice, err := mastodon.NewClient(srv.URL, mastodon.WithAccessToken(aliceToken))
	if err != nil {
		t.Fatal(err)
	}
	return &fixture{srv: srv, alice: alice, botToken: botToken, botID: bot.ID, logs: &syncBuffer{}}
}

// start runs a bot until the test ends (or stop is called) and returns
// stop, which waits for Run and returns its error.
func (f *fixture) start(t *testing.T, stream *mastodon.StreamOptions, clientOpts ...mastodon.Option) (stop func() error) {
	c, err := mastodon.NewClient(f.srv.URL, append([]mastodon.Option{mastodon.WithAccessToken(f.botToken)}, clientOpts...)...)
	if err != nil {
		t.Fatal(err)
	}
	if stream == nil {
		stream = &mastodon.StreamOptions{}
	}
	stream.ReconnectMin, stream.ReconnectMax = 10*time.Millisecond, 50*time.Millisecond
	b := &Bot{Client: c, Log: slog.New(slog.NewTextHandler(f.logs, nil)), Stream: stream}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		err := b.Run(ctx)
		b.Log.Info("pongbot: Run returned", "error", err)
		done <- err
	}()
	var once sync.Once
	var runErr error
	stop = func() error {
		once.Do(func() {
			cancel()
			select {
			case runErr = <-done:
			case <-time.After(10 * time.Second):
				runErr = errors.New("Run did not return after cancel")
			}
		})
		return runErr
	}
	t.Cleanup(func() { stop() })
	return stop
}

// holdStreams holds the bot's stream connections (and reconnects) back
// while a test wants the stream down; other requests pass.
type holdStreams struct {
	rt   *http.Transport
	gate atomic.Pointer[chan struct{}]
}

// hold makes stream requests wait until release is called.
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
	return h.rt.RoundTrip(r)
}

// ping posts a mention of the bot as alice.
func (f *fixture) ping(t *testing.T, text string) *mastodon.PostedStatus {
	t.Helper()
	st, err := f.alice.Statuses.Post(context.Background(), &mastodon.PostStatusParams{Status: "@bot " + text})
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// replies returns the bot's replies to a status.
func (f *fixture) replies(t *testing.T, id string) []*mastodon.Status {
	t.Helper()
	thread, err := f.alice.Statuses.Context(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	var out []*mastodon.Status
	for i := range thread.Descendants {
		if s := &thread.Descendants[i]; s.Account.ID == f.botID && s.GetInReplyToID() == id {
			out = append(out, s)
		}
	}
	return out
}

// waitReply waits until the bot has answered status id and checks the answer.
func (f *fixture) waitReply(t *testing.T, id string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if rs := f.replies(t, id); len(rs) > 0 {
			r := rs[0]
			if !strings.Contains(r.Content, "pong") || len(r.Mentions) != 1 || r.Mentions[0].Acct != "alice" {
				t.Errorf("reply to %s: %q mentioning %v, want pong to alice", id, r.Content, r.Mentions)
			}
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("no reply to %s; bot log:\n%s", id, f.logs)
}

func TestBotAnswersMentionsOnceAcrossReconnectsAndRestarts(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	early := f.ping(t, "are you there?") // before the bot runs: the backlog

	hold := &holdStreams{rt: &http.Transport{}}
	t.Cleanup(hold.rt.CloseIdleConnections)
	stop := f.start(t, nil, mastodon.WithHTTPClient(&http.Client{Transport: hold}))
	f.waitReply(t, early.ID)
	if err := f.srv.WaitSubscriptions(ctx, 1); err != nil {
		t.Fatal(err)
	}
	live := f.ping(t, "ping")
	f.waitReply(t, live.ID)

	// Not a mention: no answer.
	plain, err := f.alice.Statuses.Post(ctx, &mastodon.PostStatusParams{Status: "just talking"})
	if err != nil {
		t.Fatal(err)
	}

	// While the stream is down (its reconnect held back), alice pings
	// again: only the catch-up after the reconnect can bring it.
	release := hold.hold()
	if f.srv.DropStreams() == 0 {
		t.Fatal("no stream to drop")
	}
	f.waitLog(t, "stream lost")
	lateID := f.ping(t, "while you were away").ID
	release()
	f.waitReply(t, lateID)
	if !strings.Contains(f.logs.String(), "reconnecting") {
		t.Errorf("the bot did not log the reconnect:\n%s", f.logs)
	}
	if err := stop(); !errors.Is(err, context.Canceled) {
		t.Errorf("Run after cancel = %v, want context.Canceled", err)
	}

	// A restart answers what came while it was stopped, and nothing twice.
	whileStopped := f.ping(t, "hello again")
	f.start(t, nil)
	f.waitReply(t, whileStopped.ID)
	if err := f.srv.WaitSubscriptions(ctx, 1); err != nil {
		t.Fatal(err)
	}
	last := f.ping(t, "last one")
	f.waitReply(t, last.ID)
	for _, id := range []string{early.ID, live.ID, lateID, whileStopped.ID, last.ID} {
		if n := len(f.replies(t, id)); n != 1 {
			t.Errorf("status %s has %d replies, want 1", id, n)
		}
	}
	if n := len(f.replies(t, plain.ID)); n != 0 {
		t.Errorf("a status without a mention got %d replies", n)
	}
}

func TestBotWaitsOutRateLimit(t *testing.T) {
	f := newFixture(t, mastodontest.WithRateLimit(100, 2*time.Second))
	ctx := context.Background()
	// Throw mode hands every 429 to the bot, whose own wait is tested.
	f.start(t, nil, mastodon.WithRateLimit(mastodon.RateLimitThrow))
	if err := f.srv.WaitSubscriptions(ctx, 1); err != nil {
		t.Fatal(err)
	}
	f.waitLog(t, "listening for mentions")
	f.srv.SetRateLimitRemaining(f.botToken, 0)
	st := f.ping(t, "ping")
	f.waitReply(t, st.ID)
	if !strings.Contains(f.logs.String(), "rate limited") {
		t.Errorf("the reply went out without meeting the rate limit; log:\n%s", f.logs)
	}
	if n := len(f.replies(t, st.ID)); n != 1 {
		t.Errorf("%d replies, want 1", n)
	}
}

// waitLog waits until the bot has logged text.
func (f *fixture) waitLog(t *testing.T, text string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(f.logs.String(), text) {
		if time.Now().After(deadline) {
			t.Fatalf("the bot never logged %q:\n%s", text, f.logs)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func TestNewer(t *testing.T) {
	for _, c := range []struct {
		a, b string
		want bool
	}{
		{"10", "9", true}, {"9", "10", false}, {"10", "10", false}, {"11", "10", true},
		{"5", "", true}, {"abc", "10", true}, {"", "10", true},
	} {
		if got := newer(c.a, c.b); got != c.want {
			t.Errorf("newer(%q, %q) = %v, want %v", c.a, c.b, got, c.want)
		}
	}
}

// Command pongbot is a complete Mastodon bot built with Tusk: it answers
// every mention with "pong". It shows what a long-running bot needs:
//
//   - mentions in from the user stream, and once at start from the
//     notifications list: those newer than the notifications marker,
//     which the bot moves on after each answer, so a restart neither
//     misses a mention nor answers one twice;
//   - replies out with Statuses.Reply, each mention answered once;
//   - reconnects: the stream reconnects by itself with backoff, and
//     CatchUp fetches what it missed meanwhile;
//   - rate limits: the client waits when the budget is spent (the
//     default RateLimitWait); a 429 that still comes back is waited out
//     until the reset the server named, then the reply is sent again.
//
// Run it with a token of the bot's account:
//
//	MASTODON_ACCESS_TOKEN=… go run ./examples/pongbot -server mastodon.example
//
// or with a credential file written by `tusk login` or Mastodon.py:
//
//	go run ./examples/pongbot -credentials pongbot_usercred.secret
//
// main_test.go runs it against mastodontest.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"strings"
	"time"

	"github.com/tuskgo/mastodon"
)

func main() {
	server := flag.String("server", "", "the bot's server, e.g. mastodon.example (with MASTODON_ACCESS_TOKEN)")
	creds := flag.String("credentials", "", "a user credential file (instead of -server and the token)")
	flag.Parse()
	log := slog.New(slog.NewTextHandler(os.Stderr, nil))

	var c *mastodon.Client
	var err error
	switch {
	case *creds != "":
		c, err = mastodon.NewClientFromFiles(*creds, "", mastodon.WithUserAgent("pongbot/1.0"), mastodon.WithLogger(log))
	case *server != "" && os.Getenv("MASTODON_ACCESS_TOKEN") != "":
		c, err = mastodon.NewClient(*server, mastodon.WithAccessToken(os.Getenv("MASTODON_ACCESS_TOKEN")),
			mastodon.WithUserAgent("pongbot/1.0"), mastodon.WithLogger(log))
	default:
		fmt.Fprintln(os.Stderr, "usage: pongbot -server HOST (token in MASTODON_ACCESS_TOKEN) | pongbot -credentials FILE")
		os.Exit(2)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "pongbot:", err)
		os.Exit(1)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	b := &Bot{Client: c, Log: log}
	if err := b.Run(ctx); err != nil && !errors.Is(err, context.Canceled) {
		fmt.Fprintln(os.Stderr, "pongbot:", err)
		os.Exit(1)
	}
}

// Bot answers mentions.
type Bot struct {
	Client *mastodon.Client
	Log    *slog.Logger
	// Reply is the answer's text (default "pong").
	Reply string
	// Stream tunes the stream; nil gives CatchUp and the library's
	// reconnect defaults.
	Stream *mastodon.StreamOptions
	// MaxRateLimitRetries bounds how often one reply is sent again after
	// a 429 (default 3).
	MaxRateLimitRetries int

	selfID   string
	answered map[string]bool // status IDs already replied to
	marker   string          // the newest notification handled
}

// Run answers mentions until ctx ends or the stream gives up.
func (b *Bot) Run(ctx context.Context) error {
	if b.Log == nil {
		b.Log = slog.New(slog.DiscardHandler)
	}
	b.answered = map[string]bool{}
	me, err := b.Client.Accounts.VerifyCredentials(ctx)
	if err != nil {
		return fmt.Errorf("logging in: %w", err)
	}
	b.selfID = me.ID
	b.Log.Info("pongbot: logged in", "acct", me.Acct)

	var opts mastodon.StreamOptions // catch-up after a reconnect is on by default
	if b.Stream != nil {
		opts = *b.Stream
	}
	opts.ConnectionEvents = true // to log the stream's connections
	// The stream first, then the list: a mention posted in between is
	// seen twice and answered once, none is missed.
	stream, err := b.Client.Streaming.User(ctx, &opts)
	if err != nil {
		return fmt.Errorf("opening the stream: %w", err)
	}
	defer stream.Close()
	if err := b.answerBacklog(ctx); err != nil {
		return err
	}
	b.Log.Info("pongbot: listening for mentions")
	for ev, err := range stream.Events() {
		if err != nil {
			if stream.Err() != nil || ctx.Err() != nil {
				break // the stream has ended
			}
			b.Log.Warn("pongbot: stream", "error", err) // a bad event; the stream goes on
			continue
		}
		switch e := ev.(type) {
		case *mastodon.NotificationEvent:
			if err := b.answer(ctx, e.Notification); err != nil {
				return err
			}
		case *mastodon.ConnectEvent:
			b.Log.Info("pongbot: stream connected", "transport", e.Transport, "reconnect", e.Reconnect)
		case *mastodon.DisconnectEvent:
			b.Log.Warn("pongbot: stream lost, reconnecting", "error", e.Err)
		}
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	return stream.Err()
}

// answerBacklog answers the mentions newer than the notifications marker,
// oldest first.
func (b *Bot) answerBacklog(ctx context.Context) error {
	markers, err := b.Client.Markers.Get(ctx, []string{mastodon.MarkerNotifications})
	if err != nil {
		return fmt.Errorf("reading the marker: %w", err)
	}
	if m := markers[mastodon.MarkerNotifications]; m != nil {
		b.marker = m.LastReadID
	}
	var backlog []*mastodon.Notification
	for n, err := range b.Client.Notifications.ListAll(ctx, &mastodon.NotificationsOptions{
		Types: []mastodon.NotificationType{mastodon.NotificationMention}}) {
		if err != nil {
			return fmt.Errorf("reading notifications: %w", err)
		}
		if !newer(n.ID, b.marker) {
			break // newest first: the rest were handled before
		}
		backlog = append(backlog, n)
	}
	for i := len(backlog) - 1; i >= 0; i-- {
		if err := b.answer(ctx, backlog[i]); err != nil {
			return err
		}
	}
	return nil
}

// answer replies to a mention once. Errors that concern one mention (the
// status was deleted, the reply was refused) are logged and skipped; only
// ctx ending stops the bot.
func (b *Bot) answer(ctx context.Context, n *mastodon.Notification) error {
	if n.Type != mastodon.NotificationMention || n.Status == nil || n.Account.ID == b.selfID || b.answered[n.Status.ID] {
		return nil
	}
	b.answered[n.Status.ID] = true
	defer b.saveMarker(ctx, n.ID)
	text := b.Reply
	if text == "" {
		text = "pong"
	}
	retries := b.MaxRateLimitRetries
	if retries == 0 {
		retries = 3
	}
	for attempt := 0; ; attempt++ {
		// With SelfID the bot spares a verify_credentials call per reply.
		reply, err := b.Client.Statuses.Reply(ctx, n.Status, &mastodon.PostStatusParams{Status: text},
			&mastodon.ReplyOptions{SelfID: b.selfID})
		var apiErr *mastodon.APIError
		switch {
		case err == nil:
			b.Log.Info("pongbot: replied", "to", n.Account.Acct, "status", n.Status.ID, "reply", reply.ID)
			return nil
		case ctx.Err() != nil:
			return ctx.Err()
		case errors.Is(err, mastodon.ErrRateLimited) && attempt < retries:
			reset := b.Client.RateLimit().Reset // what the last answer said
			if errors.As(err, &apiErr) && !apiErr.RateLimit.Reset.IsZero() {
				reset = apiErr.RateLimit.Reset // what the 429 said
			}
			wait := max(time.Until(reset), 100*time.Millisecond)
			b.Log.Warn("pongbot: rate limited", "wait", wait.Round(time.Millisecond).String())
			select {
			case <-time.After(wait):
			case <-ctx.Done():
				return ctx.Err()
			}
		default:
			b.Log.Error("pongbot: reply failed", "to", n.Account.Acct, "status", n.Status.ID, "error", strings.TrimSpace(err.Error()))
			return nil
		}
	}
}

// saveMarker moves the notifications marker to id once it is newer. It
// runs even while the bot stops (a reply sent is a reply to record); a
// failure is logged: at worst a restart answers that mention again.
func (b *Bot) saveMarker(ctx context.Context, id string) {
	if !newer(id, b.marker) {
		return
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	if _, err := b.Client.Markers.Set(ctx, &mastodon.SetMarkersParams{Notifications: id}); err != nil {
		b.Log.Warn("pongbot: saving the marker", "error", err)
		return
	}
	b.marker = id
}

// newer reports whether notification ID a is newer than b. Mastodon's IDs
// are decimal numbers in strings, which grow with time; other servers'
// may not be, and then every notification counts as new (the in-memory
// set still answers each once per run).
func newer(a, b string) bool {
	if b == "" || !decimal(a) || !decimal(b) {
		return true
	}
	if len(a) != len(b) {
		return len(a) > len(b)
	}
	return a > b
}

func decimal(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range []byte(s) {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

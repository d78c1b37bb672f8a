package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/spf13/cobra"
	"github.com/tuskgo/mastodon"
	"github.com/tuskgo/mastodon/internal/termtext"
)

func (a *app) streamCmd() *cobra.Command {
	var (
		count     int
		transport string
	)
	cmd := &cobra.Command{
		Use:   "stream user|public|local|tag TAG|list LIST_ID",
		Short: "Follow a timeline live, until interrupted",
		Long: `Print statuses and notifications as they arrive, until interrupted (Ctrl-C)
or, with --count, after that many events. user is your home timeline and
notifications; public, local, tag and list as for 'tusk timeline'. The
stream reconnects by itself after network trouble, and says so on stderr.

With --json each line is {"event": NAME, "stream": [...], "payload": ENTITY}.`,
		Example:   "  tusk stream user\n  tusk stream tag golang\n  tusk stream public --json --count 10",
		Args:      cobra.RangeArgs(1, 2),
		ValidArgs: []string{"user", "public", "local", "tag", "list"},
		RunE: func(cmd *cobra.Command, args []string) error {
			kind := args[0]
			switch kind {
			case "user", "public", "local", "tag", "list":
			default:
				return usagef("unknown stream %q: use user, public, local, tag or list", kind)
			}
			needArg := kind == "tag" || kind == "list"
			if needArg != (len(args) == 2) {
				if needArg {
					return usagef("'stream %s' needs a %s", kind, map[bool]string{true: "hashtag", false: "list ID"}[kind == "tag"])
				}
				return usagef("'stream %s' takes no further argument", kind)
			}
			if count < 0 {
				return usagef("--count must not be negative")
			}
			// Connection events let the user see a reconnect happen.
			opts := &mastodon.StreamOptions{ConnectionEvents: true}
			switch transport {
			case "auto":
			case "websocket":
				opts.Transport = mastodon.TransportWebSocket
			case "sse":
				opts.Transport = mastodon.TransportSSE
			default:
				return usagef("--transport must be auto, websocket or sse")
			}
			ctx, cancel := context.WithCancel(cmd.Context())
			defer cancel()
			c, err := a.client(ctx)
			if err != nil {
				return err
			}
			var st *mastodon.Stream
			what := kind
			switch kind {
			case "user":
				st, err = c.Streaming.User(ctx, opts)
			case "public":
				st, err = c.Streaming.Public(ctx, opts)
			case "local":
				st, err = c.Streaming.Local(ctx, opts)
			case "tag":
				what = "#" + termtext.Line(strings.TrimPrefix(args[1], "#"))
				st, err = c.Streaming.Hashtag(ctx, strings.TrimPrefix(args[1], "#"), opts)
			case "list":
				// A list that is not there (or not the user's) is refused
				// here, with a clear error, rather than by a stream that
				// never delivers.
				var l *mastodon.List
				if l, err = c.Lists.Get(ctx, args[1]); err == nil {
					what = fmt.Sprintf("list %q", termtext.Line(l.Title))
					st, err = c.Streaming.List(ctx, args[1], opts)
				}
			default:
				return usagef("unknown stream %q: use user, public, local, tag or list", kind)
			}
			if err != nil {
				return err
			}
			defer st.Close()
			if !a.jsonOut {
				a.infof("Streaming %s; press Ctrl-C to stop.", what)
			}
			if a.env.Ready != nil {
				a.env.Ready(kind)
			}
			n := 0
			for ev, err := range st.Events() {
				if err != nil {
					if ctx.Err() != nil {
						return nil
					}
					// The server refusing the subscription will not change
					// by waiting; anything else is reported (on stderr,
					// also with --json) and the stream goes on.
					var apiErr *mastodon.APIError
					if errors.As(err, &apiErr) && apiErr.StatusCode >= 400 && apiErr.StatusCode < 500 && apiErr.StatusCode != http.StatusTooManyRequests {
						return err
					}
					a.infof("(stream: %s)", termtext.Line(err.Error()))
					continue
				}
				switch e := ev.(type) {
				case *mastodon.HeartbeatEvent:
					continue
				case *mastodon.ConnectEvent:
					if e.Reconnect {
						a.infof("(stream: reconnected over %s)", e.Transport)
					}
					continue
				case *mastodon.DisconnectEvent:
					a.infof("(stream: connection lost: %s)", termtext.Line(e.Err.Error()))
					continue
				}
				if err := a.showEvent(ev); err != nil {
					return err
				}
				n++
				if count > 0 && n >= count {
					return nil
				}
			}
			if ctx.Err() != nil || cmd.Context().Err() != nil {
				return nil
			}
			return st.Err()
		},
	}
	cmd.Flags().IntVar(&count, "count", 0, "stop after this many events (0: run until interrupted)")
	cmd.Flags().StringVar(&transport, "transport", "auto", "auto, websocket or sse")
	return cmd
}

// showEvent prints one stream event.
func (a *app) showEvent(ev mastodon.Event) error {
	if a.jsonOut {
		line := struct {
			Event   string   `json:"event"`
			Stream  []string `json:"stream,omitempty"`
			Payload any      `json:"payload,omitempty"`
		}{Event: ev.Name(), Stream: ev.Meta().Stream}
		switch e := ev.(type) {
		case *mastodon.UpdateEvent:
			line.Payload = e.Status
		case *mastodon.StatusUpdateEvent:
			line.Payload = e.Status
		case *mastodon.NotificationEvent:
			line.Payload = e.Notification
		case *mastodon.DeleteEvent:
			line.Payload = e.ID
		case *mastodon.ConversationEvent:
			line.Payload = e.Conversation
		case *mastodon.AnnouncementEvent:
			line.Payload = e.Announcement
		case *mastodon.AnnouncementDeleteEvent:
			line.Payload = e.ID
		case *mastodon.UnknownEvent:
			if json.Valid(e.Payload) {
				line.Payload = json.RawMessage(e.Payload)
			} else if e.Payload != nil {
				line.Payload = string(e.Payload)
			}
			line.Event = e.Event
		}
		return a.p.JSON(line)
	}
	p := a.p
	switch e := ev.(type) {
	case *mastodon.UpdateEvent:
		return p.Status(e.Status)
	case *mastodon.StatusUpdateEvent:
		p.println(p.style(styleDim, "(edited)"))
		return p.Status(e.Status)
	case *mastodon.NotificationEvent:
		return p.Notification(e.Notification)
	case *mastodon.DeleteEvent:
		p.println(p.style(styleDim, "(status "+termtext.Line(e.ID)+" was deleted)"))
	case *mastodon.FiltersChangedEvent:
		p.println(p.style(styleDim, "(your filters changed)"))
	case *mastodon.UnknownEvent:
		p.println(p.style(styleDim, fmt.Sprintf("(event %q)", termtext.Line(e.Event))))
	default:
		p.println(p.style(styleDim, fmt.Sprintf("(event %q)", termtext.Line(ev.Name()))))
	}
	return nil
}

package cli

import (
	"context"

	"github.com/tuskgo/mastodon"
)

// userAgent names tusk to servers.
const userAgent = "tusk/0.1 (+https://github.com/tuskgo/mastodon)"

// clientOptions are the options every client of the CLI gets.
func (a *app) clientOptions() []mastodon.Option {
	// A person at a terminal is better served by "rate limited until …"
	// than by a silent wait; export, which runs long, waits instead.
	mode := mastodon.RateLimitThrow
	if a.waitRateLimit {
		mode = mastodon.RateLimitWait
	}
	opts := []mastodon.Option{mastodon.WithUserAgent(userAgent), mastodon.WithRateLimit(mode)}
	if a.env.Retry != nil {
		opts = append(opts, mastodon.WithRetryPolicy(*a.env.Retry))
	}
	if a.env.HTTPClient != nil {
		opts = append(opts, mastodon.WithHTTPClient(a.env.HTTPClient))
	}
	return opts
}

// client returns a client for the chosen account: --account (or
// $TUSK_ACCOUNT), else $TUSK_SERVER with $TUSK_ACCESS_TOKEN, else the
// default saved account.
func (a *app) client(ctx context.Context) (*mastodon.Client, error) {
	name := a.account
	if name == "" {
		name = a.env.Getenv("TUSK_ACCOUNT")
	}
	if name == "" {
		if srv, tok := a.env.Getenv("TUSK_SERVER"), a.env.Getenv("TUSK_ACCESS_TOKEN"); srv != "" && tok != "" {
			return mastodon.NewClient(srv, append(a.clientOptions(), mastodon.WithAccessToken(tok))...)
		}
	}
	return a.savedClient(name)
}

package cli

import (
	"context"
	"log/slog"
	"net"
	"regexp"
	"strings"

	"github.com/tuskgo/mastodon"
	"github.com/tuskgo/mastodon/internal/termtext"
)

// userAgent names tusk to servers.
const userAgent = "tusk/0.1 (+https://github.com/tuskgo/mastodon)"

// clientOptions are the options every client of the CLI gets.
func (a *app) clientOptions() []mastodon.Option {
	// A person at a terminal is better served by "rate limited until …"
	// than by a silent wait; export, which runs long, waits by itself and
	// says so.
	opts := []mastodon.Option{mastodon.WithUserAgent(userAgent), mastodon.WithRateLimit(mastodon.RateLimitThrow)}
	if a.env.Retry != nil {
		opts = append(opts, mastodon.WithRetryPolicy(*a.env.Retry))
	}
	if a.env.HTTPClient != nil {
		opts = append(opts, mastodon.WithHTTPClient(a.env.HTTPClient))
	}
	if a.debug {
		opts = append(opts, mastodon.WithLogger(a.debugLogger()))
	}
	return opts
}

// secretInText finds credentials written into a string, as a header,
// query or form would carry them.
var secretInText = regexp.MustCompile(`(?i)(bearer\s+|(?:access_token|refresh_token|client_secret|code|password|code_verifier)=)[^\s&"',;]+`)

// debugLogger writes the library's debug log to stderr. The library logs
// no credentials; as a second guard, attributes named like one are
// dropped and credential-looking parts of strings are blanked, and server
// text is stripped of control sequences like everything tusk prints.
func (a *app) debugLogger() *slog.Logger {
	h := slog.NewTextHandler(a.env.Stderr, &slog.HandlerOptions{
		Level: slog.LevelDebug,
		ReplaceAttr: func(groups []string, at slog.Attr) slog.Attr {
			if at.Key == slog.TimeKey && len(groups) == 0 {
				return slog.Attr{}
			}
			k := strings.ToLower(at.Key)
			for _, w := range []string{"token", "secret", "password", "authorization", "code", "verifier"} {
				if strings.Contains(k, w) {
					return slog.String(at.Key, "[redacted]")
				}
			}
			if v := at.Value.Resolve(); v.Kind() == slog.KindString || v.Kind() == slog.KindAny {
				s := secretInText.ReplaceAllString(v.String(), "${1}[redacted]")
				return slog.String(at.Key, termtext.Line(s))
			}
			return at
		},
	})
	return slog.New(h)
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
		srv, tok := a.env.Getenv("TUSK_SERVER"), a.env.Getenv("TUSK_ACCESS_TOKEN")
		switch {
		case srv != "" && tok != "":
			return mastodon.NewClient(serverAddress(srv), append(a.clientOptions(), mastodon.WithAccessToken(tok))...)
		case tok != "":
			// Sending the token to the saved account's server instead
			// would be a surprise at best.
			return nil, usagef("TUSK_ACCESS_TOKEN is set but TUSK_SERVER is not: set TUSK_SERVER to the token's server (e.g. TUSK_SERVER=https://mastodon.social), or unset TUSK_ACCESS_TOKEN to use a saved account")
		case srv != "":
			return nil, usagef("TUSK_SERVER is set but TUSK_ACCESS_TOKEN is not: set both, or unset TUSK_SERVER to use a saved account")
		}
	}
	return a.savedClient(name)
}

// serverAddress completes an address given without a scheme: http for a
// host on this computer (what 'tusk serve' prints, minus "http://"),
// https everywhere else.
func serverAddress(s string) string {
	s = strings.TrimSpace(s)
	if s == "" || strings.Contains(s, "://") {
		return s
	}
	host := s
	if i := strings.IndexByte(host, '/'); i >= 0 {
		host = host[:i]
	}
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	host = strings.Trim(host, "[]")
	if ip := net.ParseIP(host); strings.EqualFold(host, "localhost") || (ip != nil && ip.IsLoopback()) {
		return "http://" + s
	}
	return s
}

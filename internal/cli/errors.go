package cli

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"syscall"
	"time"

	"github.com/tuskgo/mastodon"
	"github.com/tuskgo/mastodon/internal/termtext"
)

// notLoggedInError says no account could be chosen.
type notLoggedInError struct{ msg string }

func (e *notLoggedInError) Error() string { return e.msg }

// notFoundError says something asked for does not exist on the server,
// found out otherwise than by a 404 (a search that came back empty).
type notFoundError struct{ msg string }

func (e *notFoundError) Error() string { return e.msg }

// argError is a failure about one argument of a command that takes
// several (IDs, accounts).
type argError struct {
	arg string
	err error
}

func (e *argError) Error() string { return e.arg + ": " + e.err.Error() }
func (e *argError) Unwrap() error { return e.err }

// explain turns an error into a sentence that says what to do, and the
// exit status.
func explain(err error, a *app) (string, int) {
	var ae *argError
	if errors.As(err, &ae) {
		msg, code := explain(ae.err, a)
		return termtext.Line(ae.arg) + ": " + msg, code
	}
	var ee *exportError
	var ue *usageError
	if errors.As(err, &ee) && !errors.As(ee.err, &ue) {
		msg, code := explainOne(ee.err, a)
		if errors.Is(ee.err, context.Canceled) {
			msg = "interrupted."
		}
		return fmt.Sprintf("export of %s stopped after %d: %s Run the same command again to resume.", ee.kind, ee.count, msg), code
	}
	return explainOne(err, a)
}

func explainOne(err error, a *app) (string, int) {
	now := a.env.Now()
	var (
		ue  *usageError
		nl  *notLoggedInError
		nf  *notFoundError
		api *mastodon.APIError
		rle *mastodon.RateLimitError
		ve  *mastodon.VersionError
		ne  *mastodon.NetworkError
		de  *mastodon.DecodeError
		iae *mastodon.IllegalArgumentError
	)
	switch {
	case errors.As(err, &ue):
		return ue.msg, ExitUsage
	case errors.As(err, &nl):
		return nl.msg, ExitAuth
	case errors.As(err, &nf):
		return nf.msg, ExitNotFound
	case errors.Is(err, context.Canceled):
		return "interrupted.", ExitError
	case errors.As(err, &rle):
		return "the rate limit of your server is spent " + resetWhen(rle.RateLimit.Reset, now) + "; try again then.", ExitLimited
	case errors.As(err, &api):
		return explainAPI(api, now)
	case errors.As(err, &ve):
		return fmt.Sprintf("the server runs Mastodon %s, but this needs %s or newer (%s).", ve.Have, ve.Need, ve.Endpoint), ExitError
	case errors.Is(err, mastodon.ErrTimeout):
		return "the server took too long to answer. Check your connection and try again.", ExitLimited
	case errors.As(err, &ne):
		return explainNetwork(ne)
	case errors.As(err, &de):
		return fmt.Sprintf("the server's answer (%d %s) is not a Mastodon API answer; is the address right? (%s)",
			de.StatusCode, termtext.Line(de.ContentType), termtext.Line(de.Err.Error())), ExitError
	case errors.As(err, &iae):
		return explainIllegal(iae.Msg), ExitUsage
	}
	return termtext.Line(err.Error()), ExitError
}

// explainNetwork tells a server that is down (connection refused or
// reset, a timeout: try later, exit 5) from an address that is wrong (no
// such host, a TLS failure: exit 1).
func explainNetwork(ne *mastodon.NetworkError) (string, int) {
	cause := termtext.Line(rootCause(ne.Err))
	var dns *net.DNSError
	var tlsErr tls.RecordHeaderError
	switch {
	case errors.As(ne.Err, &dns) && dns.IsNotFound:
		return "there is no server at that address (" + termtext.Line(dns.Name) + " is not a known host name). Check the address.", ExitError
	case errors.As(ne.Err, &tlsErr), strings.Contains(cause, "server gave HTTP response to HTTPS client"):
		return "the server did not answer in HTTPS. If it is a test server on this computer, write its address as http://HOST:PORT.", ExitError
	case errors.Is(ne.Err, syscall.ECONNREFUSED), errors.Is(ne.Err, syscall.ECONNRESET), errors.Is(ne.Err, syscall.ETIMEDOUT), errors.Is(ne.Err, io.ErrUnexpectedEOF):
		return "the server is unavailable: " + cause + ". Check that it is running, and try again later.", ExitLimited
	}
	return "could not reach the server: " + cause + ". Check the address and your connection.", ExitError
}

// explainIllegal rewords the library's argument errors, which speak to
// Go programmers ("NewClient: …", option names), for people.
func explainIllegal(msg string) string {
	msg = strings.TrimPrefix(msg, "mastodon: ")
	if strings.HasPrefix(msg, "NewClient: ") {
		msg = strings.TrimPrefix(msg, "NewClient: ")
		if strings.Contains(msg, "plain http") {
			return "tusk uses plain http:// only for servers on this computer (loopback); write the address with https://."
		}
		return "the server address is not usable: " + termtext.Line(msg) + "."
	}
	return termtext.Line(msg)
}

func explainAPI(e *mastodon.APIError, now time.Time) (string, int) {
	what := strings.TrimSpace(e.Description)
	if what == "" {
		what = strings.TrimSpace(e.Code)
	}
	what = termtext.Line(what)
	said := ""
	if what != "" {
		said = " (the server said: " + what + ")"
	}
	switch {
	case e.StatusCode == http.StatusUnauthorized:
		return "the server did not accept your access token: it may have expired or been revoked. Log in again with 'tusk login'" + said + ".", ExitAuth
	case e.StatusCode == http.StatusForbidden:
		return "the server refused this: your account or token is not allowed to do it (a missing scope? log in again with 'tusk login')" + said + ".", ExitAuth
	case e.StatusCode == http.StatusNotFound:
		return "not found: check the ID or name" + said + ".", ExitNotFound
	case e.StatusCode == http.StatusGone:
		return "that is gone from the server" + said + ".", ExitNotFound
	case e.StatusCode == http.StatusUnprocessableEntity:
		if what == "" {
			what = "the request was not valid"
		}
		return "the server rejected this: " + what + ".", ExitError
	case e.StatusCode == http.StatusTooManyRequests:
		reset := e.RateLimit.Reset
		if reset.IsZero() && e.RetryAfter > 0 {
			reset = now.Add(e.RetryAfter)
		}
		return "rate limited by the server " + resetWhen(reset, now) + "; try again then.", ExitLimited
	case e.StatusCode >= 500:
		return fmt.Sprintf("the server had a problem (%s). Try again in a moment%s.", statusText(e.StatusCode), said), ExitLimited
	}
	return fmt.Sprintf("the server answered %s%s.", statusText(e.StatusCode), said), ExitError
}

func statusText(code int) string {
	if t := http.StatusText(code); t != "" {
		return fmt.Sprintf("%d %s", code, t)
	}
	return fmt.Sprint(code)
}

// resetWhen says when a rate limit resets: "until 14:05:00 UTC (in 3m)".
func resetWhen(reset, now time.Time) string {
	if reset.IsZero() {
		return "for a while"
	}
	d := reset.Sub(now).Round(time.Second)
	if d < 0 {
		d = 0
	}
	return fmt.Sprintf("until %s (in %s)", reset.UTC().Format("15:04:05 MST"), d)
}

// rootCause returns the innermost error text, which is what people can act
// on ("connection refused").
func rootCause(err error) string {
	for {
		next := errors.Unwrap(err)
		if next == nil {
			return err.Error()
		}
		err = next
	}
}

package mastodon

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"
)

// Error kinds, matched with errors.Is. An *APIError matches the kind of its
// status code (and ErrAPI); the other error types match theirs.
//
// Mastodon.py's exceptions map onto them one to one:
//
//	MastodonError                  any error from this package
//	MastodonAPIError               ErrAPI (errors.As *APIError)
//	MastodonUnauthorizedError      ErrUnauthorized (401)
//	MastodonForbiddenError (403)   ErrForbidden
//	MastodonNotFoundError          ErrNotFound (404)
//	MastodonGoneError (410)        ErrGone
//	MastodonUnprocessableError     ErrUnprocessable (422)
//	MastodonRatelimitError         ErrRateLimited (429, or budget spent in RateLimitThrow mode)
//	MastodonServerError            ErrServer (any 5xx)
//	MastodonInternalServerError    ErrInternalServerError (500)
//	MastodonBadGatewayError        ErrBadGateway (502)
//	MastodonServiceUnavailableError ErrServiceUnavailable (503)
//	MastodonGatewayTimeoutError    ErrGatewayTimeout (504)
//	MastodonNetworkError           ErrNetwork (errors.As *NetworkError)
//	MastodonReadTimeout            ErrTimeout (also ErrNetwork)
//	MastodonIOError                ErrDecode for bad server data; os errors for local files
//	MastodonMalformedEventError    ErrDecode (delivered on a stream; the stream goes on)
//	MastodonVersionError           ErrVersion (errors.As *VersionError)
//	MastodonIllegalArgumentError   ErrIllegalArgument for arguments refused before sending;
//	                               ErrInvalidGrant (an *APIError, also ErrAPI) for the server's
//	                               400 invalid_grant to a token grant: a wrong password or code,
//	                               where log_in raises MastodonIllegalArgumentError
//	MastodonFileNotFoundError      fs.ErrNotExist from the os package
//
// ErrForeignOrigin has no Mastodon.py counterpart: a request, redirect or
// Link the client refused because it led a credential or a request body
// to another origin than the client's server (errors.As *DestinationError).
var (
	ErrAPI                 = errors.New("mastodon: API error")
	ErrUnauthorized        = errors.New("mastodon: unauthorized (401)")
	ErrForbidden           = errors.New("mastodon: forbidden (403)")
	ErrNotFound            = errors.New("mastodon: not found (404)")
	ErrGone                = errors.New("mastodon: gone (410)")
	ErrUnprocessable       = errors.New("mastodon: unprocessable entity (422)")
	ErrRateLimited         = errors.New("mastodon: rate limited (429)")
	ErrServer              = errors.New("mastodon: server error (5xx)")
	ErrInternalServerError = errors.New("mastodon: internal server error (500)")
	ErrBadGateway          = errors.New("mastodon: bad gateway (502)")
	ErrServiceUnavailable  = errors.New("mastodon: service unavailable (503)")
	ErrGatewayTimeout      = errors.New("mastodon: gateway timeout (504)")
	ErrNetwork             = errors.New("mastodon: network error")
	ErrTimeout             = errors.New("mastodon: timeout")
	ErrDecode              = errors.New("mastodon: cannot decode server response")
	ErrVersion             = errors.New("mastodon: server version too old")
	ErrIllegalArgument     = errors.New("mastodon: illegal argument")
	ErrForeignOrigin       = errors.New("mastodon: refused to send credentials to another origin")
	// ErrInvalidGrant matches the server refusing a token grant's
	// credentials (OAuth error "invalid_grant": wrong password, expired
	// or used code, revoked refresh token).
	ErrInvalidGrant = errors.New("mastodon: invalid grant")
)

// maxErrorBody caps how much of an error response is kept.
const maxErrorBody = 8 << 10

// APIError is a non-2xx answer from the server.
type APIError struct {
	StatusCode  int    // HTTP status, e.g. 404
	Status      string // HTTP status line text, e.g. "404 Not Found"
	Code        string // Mastodon's "error" field
	Description string // Mastodon's "error_description" field (OAuth errors)
	// Details holds validation errors by field, when the server sent them
	// (422 with {"details": {"field": [{"error": "ERR_BLANK", "description": …}]}}).
	Details map[string][]ValidationDetail
	Method  string      // request method
	URL     string      // request URL with secrets redacted
	Header  http.Header // response headers
	Body    []byte      // raw body, at most 8 KiB
	// RateLimit is the rate-limit state the response carried; on a 429 its
	// Reset says when to try again.
	RateLimit RateLimit
	// RetryAfter is the server's Retry-After, when it sent one, at most
	// MaxRateLimitReset.
	RetryAfter time.Duration
}

// ValidationDetail is one validation failure of one field.
type ValidationDetail struct {
	Error       string `json:"error"`
	Description string `json:"description"`
}

func (e *APIError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "mastodon: %s %s: %d", e.Method, e.URL, e.StatusCode)
	if t := http.StatusText(e.StatusCode); t != "" {
		b.WriteString(" " + t)
	}
	msg := e.Code
	if e.Description != "" && e.Description != e.Code {
		if msg != "" {
			msg += ": "
		}
		msg += e.Description
	}
	if msg != "" {
		b.WriteString(": " + sanitizeForError(msg))
	}
	if e.StatusCode == http.StatusTooManyRequests && !e.RateLimit.Reset.IsZero() {
		fmt.Fprintf(&b, " (resets at %s)", e.RateLimit.Reset.UTC().Format(time.RFC3339))
	}
	return b.String()
}

// Is matches the error kinds of the status code.
func (e *APIError) Is(target error) bool {
	switch target {
	case ErrAPI:
		return true
	case ErrServer:
		return e.StatusCode >= 500 && e.StatusCode <= 599
	case ErrInvalidGrant:
		return e.Code == "invalid_grant" && e.StatusCode >= 400 && e.StatusCode < 500
	}
	return kindOfStatus(e.StatusCode) == target && target != nil
}

func kindOfStatus(code int) error {
	switch code {
	case 401:
		return ErrUnauthorized
	case 403:
		return ErrForbidden
	case 404:
		return ErrNotFound
	case 410:
		return ErrGone
	case 422:
		return ErrUnprocessable
	case 429:
		return ErrRateLimited
	case 500:
		return ErrInternalServerError
	case 502:
		return ErrBadGateway
	case 503:
		return ErrServiceUnavailable
	case 504:
		return ErrGatewayTimeout
	}
	return nil
}

// NetworkError is a failure to reach the server or to read its answer.
type NetworkError struct {
	Op  string // what was being done, e.g. "GET /api/v1/timelines/home"
	Err error
}

func (e *NetworkError) Error() string { return "mastodon: " + e.Op + ": " + e.Err.Error() }
func (e *NetworkError) Unwrap() error { return e.Err }

// Is matches ErrNetwork, and ErrTimeout when the cause was a timeout.
func (e *NetworkError) Is(target error) bool {
	if target == ErrNetwork {
		return true
	}
	if target == ErrTimeout {
		var t interface{ Timeout() bool }
		return errors.As(e.Err, &t) && t.Timeout()
	}
	return false
}

// DecodeError is a response that could not be understood: malformed or
// truncated JSON, an HTML error page, a body larger than allowed.
type DecodeError struct {
	Method      string
	URL         string // redacted
	StatusCode  int
	ContentType string
	Snippet     string // the start of what arrived, sanitised
	Err         error
}

func (e *DecodeError) Error() string {
	s := fmt.Sprintf("mastodon: %s %s: cannot decode %d response", e.Method, e.URL, e.StatusCode)
	if e.ContentType != "" {
		s += " (" + sanitizeForError(e.ContentType) + ")"
	}
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	if e.Snippet != "" {
		s += fmt.Sprintf("; body starts %q", e.Snippet)
	}
	return s
}
func (e *DecodeError) Unwrap() error        { return e.Err }
func (e *DecodeError) Is(target error) bool { return target == ErrDecode }

// VersionError says the server is older than an endpoint needs. It is
// returned before any request is sent.
type VersionError struct {
	Endpoint string  // "POST /api/v1/statuses/{id}/translate"
	Need     Version // minimum version
	Have     Version // the server's version
}

func (e *VersionError) Error() string {
	return fmt.Sprintf("mastodon: %s needs Mastodon %s, server is %s", e.Endpoint, e.Need, e.Have)
}
func (e *VersionError) Is(target error) bool { return target == ErrVersion }

// IllegalArgumentError is a call the library refused before sending it.
type IllegalArgumentError struct{ Msg string }

func (e *IllegalArgumentError) Error() string        { return "mastodon: " + e.Msg }
func (e *IllegalArgumentError) Is(target error) bool { return target == ErrIllegalArgument }

func illegalArg(msg string) error { return &IllegalArgumentError{Msg: msg} }

// RateLimitError is returned in RateLimitThrow mode when the known budget
// is spent, before a request is sent.
type RateLimitError struct {
	RateLimit RateLimit
}

func (e *RateLimitError) Error() string {
	return fmt.Sprintf("mastodon: rate limit of %d requests spent; resets at %s",
		e.RateLimit.Limit, e.RateLimit.Reset.UTC().Format(time.RFC3339))
}
func (e *RateLimitError) Is(target error) bool { return target == ErrRateLimited }

// sanitizeForError drops control characters and caps the length of server
// text quoted in an error.
func sanitizeForError(s string) string {
	const max = 300
	var b strings.Builder
	n := 0
	for _, r := range s {
		if r == utf8.RuneError || (r < 0x20 && r != ' ') || (r >= 0x7f && r < 0xa0) || r == 0x1b {
			continue
		}
		if n >= max {
			b.WriteString("…")
			break
		}
		b.WriteRune(r)
		n++
	}
	return b.String()
}

// redactSecrets replaces each secret in s, as sent and in the escaped
// forms a server echoing a request would quote it in (URL query or path,
// JSON string). Secrets shorter than minRedact are left: they would match
// ordinary text.
func redactSecrets(s string, secrets ...string) string {
	for _, sec := range secrets {
		if len(sec) < minRedact {
			continue
		}
		s = strings.ReplaceAll(s, sec, "[redacted]")
		for _, v := range [...]string{url.QueryEscape(sec), url.PathEscape(sec), jsonEscape(sec)} {
			if v != sec {
				s = strings.ReplaceAll(s, v, "[redacted]")
			}
		}
	}
	return s
}

const minRedact = 4

// jsonEscape returns sec as it appears inside a JSON string.
func jsonEscape(sec string) string {
	b, err := json.Marshal(sec)
	if err != nil || len(b) < 2 {
		return sec
	}
	return string(b[1 : len(b)-1])
}

// redactedSnippet is snippet with the secrets taken out, before the cut
// (so no part of one is left at the end) and after the clean-up (which
// drops control characters that could split one).
func redactedSnippet(data []byte, secrets []string) string {
	longest := 0
	for _, s := range secrets {
		longest = max(longest, len(s)*6) // a JSON \u escape per byte
	}
	if longest == 0 {
		return snippet(data)
	}
	if n := snippetLen + longest; len(data) > n {
		data = data[:n]
	}
	return redactSecrets(snippet([]byte(redactSecrets(string(data), secrets...))), secrets...)
}

// errorsIsAny reports whether err matches any of the targets.
func errorsIsAny(err error, targets ...error) bool {
	for _, t := range targets {
		if errors.Is(err, t) {
			return true
		}
	}
	return false
}

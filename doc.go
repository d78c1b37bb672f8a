// Package mastodon is a client for the Mastodon API: every endpoint of
// Mastodon's client and admin APIs, typed entities, streaming over SSE and
// WebSocket, and the OAuth flows.
//
// # Clients and services
//
// A Client talks to one server as one user (or app, or nobody). It is safe
// for concurrent use; share one per account.
//
//	c, err := mastodon.NewClient("mastodon.example",
//		mastodon.WithAccessToken(token),
//		mastodon.WithUserAgent("mybot/1.0"))
//	me, err := c.Accounts.VerifyCredentials(ctx)
//	st, err := c.Statuses.Post(ctx, &mastodon.PostStatusParams{Status: "hello"})
//
// The API is grouped into services by area, as the Mastodon documentation
// groups it: c.Accounts, c.Statuses, c.Timelines, c.Notifications, c.Media,
// c.Admin.Accounts and so on. Every call takes a context first and accepts
// call options last (WithResponse to see headers, rate limit and Link
// cursors; CallLanguage; WithIdempotencyKey). Endpoints the library lacks
// are reachable with Client.NewRequest and Client.Do.
//
// # Authentication
//
// Register an app with Apps.Create, send the user to the URL from
// OAuth.AuthorizeURL (PKCE and state included), and trade the code for a
// token with OAuth.ExchangeCode. Credential files in Mastodon.py's format
// are read and written by ReadUserCredentials, WriteUserCredentials and
// their App twins (mode 0600, atomically), and NewClientFromFiles builds a
// client from them. OAuth.Config gives a golang.org/x/oauth2 configuration;
// WithTokenSource takes any oauth2.TokenSource.
//
// # Pagination
//
// List endpoints return a *Page[T]: its Items, and Next and Prev that
// follow the server's Link header with every parameter it names. Each list
// method has an …All twin returning an iter.Seq2 that walks the pages
// lazily and stops after the last:
//
//	for st, err := range c.Timelines.HomeAll(ctx, nil) {
//		if err != nil { return err }
//		fmt.Println(st.Content)
//	}
//
// # Errors
//
// Failures are typed and matched with errors.Is: ErrNotFound,
// ErrUnauthorized, ErrForbidden, ErrUnprocessable, ErrRateLimited,
// ErrServer and its 500/502/503/504 kinds, ErrNetwork, ErrTimeout,
// ErrDecode, ErrVersion, ErrIllegalArgument. errors.As gives the details:
// *APIError (status, Mastodon's error text, validation details, headers,
// a capped raw body), *DecodeError (what arrived instead of JSON),
// *NetworkError, *VersionError. The doc comment of ErrAPI maps
// Mastodon.py's exceptions onto these. No error, log record or %v output
// carries a token, secret, password or authorization code.
//
// # Rate limits, retries, versions
//
// WithRateLimit chooses Mastodon.py's modes: RateLimitWait (default) sleeps
// until the budget resets, RateLimitThrow fails with ErrRateLimited,
// RateLimitPace spreads requests over the window. The state is shared by
// all goroutines using the client and every sleep ends with its context.
// Requests that are safe to repeat (GET, and posts carrying an
// Idempotency-Key, which Statuses.Post always sends) are retried after
// network errors and 502/503/504 answers with backoff (WithRetryPolicy).
// WithVersionCheck makes calls fail with ErrVersion before sending when
// the server is older than the endpoint; Client.ServerInfo reports the
// detected version and family (Mastodon, glitch, Hometown, Pleroma,
// Akkoma, GoToSocial, Firefish, Sharkey, …).
//
// # Entities
//
// Entities are named as the Mastodon documentation names them (Status,
// Account, Notification, MediaAttachment, Instance, …). Decoding is
// tolerant of what real servers send and lossless: fields the library
// does not know are kept and encoded again by json.Marshal.
//
// Times are time.Time, nullable fields pointers, enums string types whose
// unknown values are kept, IDs strings (numbers on the wire are accepted).
// Every entity has HasField (was the member sent, even as null?),
// UnknownField and UnknownFields (members the type does not know yet).
// json.Marshal of a decoded entity gives back every member with the same
// JSON value, including members whose wire form differed from the typed
// value's (an ID sent as a number, a time in another format), as long as
// the field is left unchanged. docs/entities.md has the details.
//
// Decoding uses generated code rather than reflection: a 40-status home
// timeline page (225 KB) decodes about 8x faster than encoding/json into
// plain structs of the same shape, with 5.8 allocations per status against
// 124 (BenchmarkDecodeTimeline; how it was measured is in docs/entities.md).
package mastodon

//go:generate go run ./internal/cmd/genversions

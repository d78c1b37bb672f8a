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
// c.Admin.Accounts and so on. Each field's type is the area's name with
// Service after it: c.Statuses is a *StatusesService, c.Admin.Accounts an
// *AdminAccountsService, so `go doc mastodon.StatusesService.Post` finds
// the method behind c.Statuses.Post. Every call takes a context first and accepts
// call options last (CallResponse to see headers, rate limit and Link
// cursors; CallLanguage; CallIdempotencyKey). Endpoints the library lacks
// are reachable with Client.NewRequest and Client.Do, which take the same
// call options.
//
// # Authentication
//
// Register an app with Apps.Create, send the user to the URL from
// OAuth.AuthorizeURL (PKCE and state included), and trade the code for a
// token with OAuth.ExchangeCode. Credential files in Mastodon.py's format
// are read and written by package credfile (mode 0600, atomically);
// NewClientFromFiles builds a client from them and Client.UserCredentials
// returns what to save. OAuth.Config gives a golang.org/x/oauth2 configuration;
// WithTokenSource takes any oauth2.TokenSource.
//
// # Pagination
//
// List endpoints return a *Page[T]: its Items, and Next and Prev that
// follow the server's Link header with every parameter it names. A Link
// reference is resolved against the request's URL (RFC 3986) and followed
// only when it stays on the client's own origin; any other fails with
// ErrForeignOrigin, and nothing is sent. Each list
// method has an …All twin returning an iter.Seq2 that walks the pages
// lazily and stops after the last:
//
//	for st, err := range c.Timelines.HomeAll(ctx, nil) {
//		if err != nil { return err }
//		fmt.Println(st.Content)
//	}
//
// Offset-paginated lists (searches, the profile directory, trends,
// collections) are pages too: Next asks for the results after those
// received, and there is no previous page. Grouped notifications are a
// Page[GroupedNotification], each group with its accounts and status.
//
// # Response metadata
//
// The status, headers, rate limit, Link cursors and Mastodon-Async-Refresh
// header of a call are what CallResponse(&resp) records, for every call,
// Client.Do included. resp ends holding the last response the call
// received: the one whose body was used after retries, or the failing one
// when the call fails. A Page also keeps the response it came in as
// Page.Response, which is what a CallResponse given to the call recorded.
// A page carries its call's options on to Next, Prev and All (and the
// …All iterators to every page they fetch), so the recorded response
// follows the walk: inside an …All loop it is the response of the page
// the current item came from. Client.RateLimit reports the budget as of
// the client's last call.
//
// # Errors
//
// Failures are typed and matched with errors.Is: ErrNotFound,
// ErrUnauthorized, ErrForbidden, ErrUnprocessable, ErrRateLimited,
// ErrServer and its 500/502/503/504 kinds, ErrNetwork, ErrTimeout,
// ErrDecode, ErrVersion, ErrIllegalArgument, ErrForeignOrigin (a request,
// redirect or link refused because it would carry a credential or a body
// to another origin than the client's server). errors.As gives the details:
// *APIError (status, Mastodon's error text, validation details, headers,
// a capped raw body), *DecodeError (what arrived instead of JSON),
// *NetworkError, *VersionError. The doc comment of ErrAPI maps
// Mastodon.py's exceptions onto these. No error, log record or %v output
// carries a token, secret, password or authorization code: server text
// quoted in an error (Mastodon's error fields, the raw body and headers of
// an *APIError, a *DecodeError's snippet) has every secret the client knows
// or sent with the request taken out, in case the server echoed it.
//
// # Rate limits, retries, versions
//
// WithRateLimit chooses Mastodon.py's modes: RateLimitWait (default) sleeps
// until the budget resets, RateLimitThrow fails with ErrRateLimited,
// RateLimitPace spreads requests over the window. As on the server, the
// state is kept per access token and per budget (the general one, media
// uploads, status deletions, posting, follows, reports, sign-ups), shared
// by all goroutines using the client and its WithToken copies, and every
// sleep ends with its context. A reset, or a Retry-After, is believed at
// most MaxRateLimitReset (30 minutes) ahead, after which the client asks the
// server again, and no wait is longer than WithTimeout: a longer one fails
// with ErrRateLimited at once.
// Requests that are safe to repeat (GET, and posts carrying an
// Idempotency-Key, which Statuses.Post always sends) are retried after
// network errors and 502/503/504 answers with backoff (WithRetryPolicy);
// on servers not known to honour the key, Statuses.Post first looks for
// the post having landed. WithVersionCheck makes calls fail with
// ErrVersion before sending when the server implements an older Mastodon
// API level than the endpoint needs; Client.ServerInfo reports the
// detected version, family (Mastodon, glitch, Hometown, Pleroma, Akkoma,
// GoToSocial, Firefish, Sharkey, …) and that API level. docs/families.md
// says what each family serves and which guarantees hold there.
//
// # Media
//
// Attachments are uploaded first and their IDs given to the status:
//
//	m, err := c.Media.UploadPath(ctx, "cat.jpg", &mastodon.UploadMediaParams{
//		Description: "a cat", Synchronous: true})
//	st, err := c.Statuses.Post(ctx, &mastodon.PostStatusParams{
//		Status: "look", MediaIDs: []string{m.ID}})
//
// Media.UploadPath takes a file name, Media.UploadReader any io.Reader (an
// *os.File, a bytes.Reader, an HTTP body) and Media.Upload a File with its
// name, type and size spelled out. Since Mastodon 3.1.3 large files are
// processed after the upload answers, with the attachment's URL still null:
// Synchronous (or Media.Wait) waits until it is ready. A status posted
// with an attachment still processing is refused with ErrUnprocessable.
//
// # Streaming
//
// c.Streaming opens live streams (User, Notifications, Public, Local,
// Remote, Hashtag, HashtagLocal, List, Direct, or any set of
// Subscriptions with Open) over WebSocket, falling back to SSE. Events
// arrive typed and whole, each saying in its meta which subscription it
// belongs to and whether it was caught up after a reconnect:
//
//	stream, err := c.Streaming.User(ctx)
//	defer stream.Close()
//	for ev, err := range stream.Events() {
//		if err != nil { continue } // a malformed event; the stream goes on
//		switch e := ev.(type) {
//		case *mastodon.UpdateEvent:       // e.Status
//		case *mastodon.NotificationEvent: // e.Notification
//		}
//	}
//
// A stream reconnects by itself with backoff and jitter, and fetches what
// it missed while down (StreamOptions.NoCatchUp turns that off). With
// StreamOptions.ConnectionEvents, connects, disconnects and heartbeats come
// through Events too.
//
// When events start: the first subscription travels with the connection
// request (the WebSocket URL's stream parameter, or the SSE path), and
// User, Hashtag and the other one-stream methods return once the server
// has accepted it. mastodontest registers that subscription before it
// accepts, so a test may post right after User returns. Further
// subscriptions (Open with several, Stream.Subscribe) are WebSocket
// messages that no server acknowledges: in tests wait with mastodontest's
// WaitSubscriptions. Mastodon itself subscribes to its internal channel
// just after accepting the connection, so on a real server a status
// posted in the same instant as the connection opens can be missed; a
// program that must not miss it reads the timeline once after the stream
// is open. CatchUp covers reconnects, not the first connection.
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
// Each pointer field has a nil-safe accessor, as in go-github:
// media.GetURL() is "" while the URL is null, st.GetPoll().GetExpiresAt()
// is safe on a status without a poll. An entity's String (and so fmt)
// prints values rather than addresses, with tokens and secrets redacted.
// Every entity has HasField (was the member sent, even as null?),
// UnknownField and UnknownFields (members the type does not know yet).
// json.Marshal of a decoded entity gives back every member with the same
// JSON value, including members whose wire form differed from the typed
// value's (an ID sent as a number, a time in another format), as long as
// the field is left unchanged. docs/entities.md has the details.
//
// That record of what was decoded is why reflect.DeepEqual finds a decoded
// Account{ID: "1"} unlike the same literal. Compare entities in tests with
// their Equal method (go-cmp's cmp.Equal and cmp.Diff call it) or with
// EqualEntities for slices, maps and pointers: both compare field values
// only, times by instant, nil and empty lists alike. Keeping a decoded
// value keeps alive what it points into: its strings and the entities
// behind its pointers are carved out of blocks (16 KB of strings, up to 64
// entities of a type) shared with other values decoded from the same
// response; copy out what you keep for long to let the rest go.
//
// Decoding uses generated code rather than reflection: a 40-status home
// timeline page (225 KB) decodes over 9x faster than encoding/json into
// plain structs of the same shape, with 5.6 allocations per status against
// 123 (BenchmarkDecodeTimeline; how it was measured is in docs/entities.md).
package mastodon

//go:generate go run ./internal/cmd/genversions

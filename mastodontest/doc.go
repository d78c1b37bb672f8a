// Package mastodontest is an in-memory, Mastodon-compatible server for
// tests: bots, clients and the Tusk library itself run against it on a
// loopback port with no setup.
//
// # What it serves
//
// The client API with Mastodon 4.5's semantics and JSON shapes: OAuth
// (apps, authorize with PKCE, the code, client_credentials and refresh
// grants, revoke, discovery; the password grant only with
// WithPasswordGrant, as Mastodon 4.4+ dropped it), accounts, relationships,
// familiar followers, the profile directory, featured tags, e-mail
// confirmations, statuses (media with thumbnails, polls, edits, quotes and
// quote policies, scheduling, Idempotency-Key), timelines with
// max_id/since_id/min_id pagination and Link headers, notifications v1 and
// grouped v2 with notification policies and requests, lists, markers,
// conversations, bookmarks, favourites, filters v1 and v2, search,
// instance v1/v2 and nodeinfo, Web Push subscriptions, reports, user
// domain blocks, preview cards, trends, follow suggestions, announcements,
// translation, GET /health and GET/HEAD /, SSE and WebSocket streaming,
// and the admin API for accounts (v1 and v2), reports, domain blocks and
// allows, e-mail domain and canonical e-mail blocks, IP blocks, trends
// with their review (approve and reject links, statuses and tags), the
// common measures, and the dimensions and retention cohorts computed from
// the server's state. Moderation actions act on the rest of the API as
// Mastodon's do: suspending refuses the account's token on user routes,
// shows it blank with "suspended": true and hides its statuses from
// everyone; silencing marks it "limited", keeps its statuses out of the
// public and hashtag timelines (its followers' home timelines keep them)
// and files its notifications to non-followers as requests (the
// for_limited_accounts policy);
// disabling refuses its token; marking it sensitive shows its statuses
// sensitive to everyone but itself. Each has its undoing.
// Scopes are enforced as Mastodon enforces them, admin calls by role too
// (Admin accounts only). Parameters are read as Rails reads them: query,
// form, multipart or JSON body, a GET's JSON body included.
//
// # What it deliberately does not
//
// It does not federate, fetch links, send e-mail or deliver pushes: it
// never connects anywhere. Media are stored and served as uploaded (no
// transcoding; "small" and "original" are the same bytes). There is no
// web interface beyond the OAuth pages. No account is ever pending
// approval, and trends have no review queue: a candidate trends until an
// admin rejects it. Not served: collections, annual reports, the v1
// profile endpoints, oEmbed, the instance's privacy policy, terms and
// domain-block list, and the admin API's trending link publishers, the
// sources and space_usage dimensions and measures other than new_users,
// active_users, interactions, opened_reports and resolved_reports.
// Unknown routes answer Mastodon's HTML 404 page.
//
// # For clients in other languages
//
// "tusk serve" runs this server for programs in any language.
// WithPublicURL (--public-url) makes it write a chosen URL, such as
// http://localhost:3000, in every URL it hands out; AddApp and AddToken
// (--app, --token) register the client credentials and access tokens a
// suite has fixed; WithPasswordGrant (--password-grant) offers the
// password grant. Reset forgets the apps and tokens with the rest of the
// state.
//
// Test controls cover what is hard to get from a real server: rate limits
// with real X-RateLimit-* headers, the general budget and those of media
// uploads and status deletions apart (WithRateLimit, SetRateLimitRemaining,
// SetBucketRateLimit, SetBucketRateLimitRemaining),
// injected faults (InjectFault with a Fault: an error status, a reset or
// truncated connection, a delay, for chosen routes; DropStreams) and a controllable clock (WithClock, Clock).
// Others stand in for what a real server gets from elsewhere: remote
// accounts (CreateRemoteAccount), link metadata (SetPreviewCard),
// announcements (PublishAnnouncement), instance rules (AddRule,
// RemoveRule), account deletion (DeleteAccount), a
// deterministic translator (WithTranslation, SetTranslation), and views of
// what clients left behind (Reports, PushSubscription). The server never
// connects anywhere: it fetches no links and delivers no pushes.
//
// A bot test in a dozen lines, with the Tusk library as the bot's client
// (pongBot, the code under test, answers mentions; the package Example runs
// this same test):
//
//	func TestPongBot(t *testing.T) {
//		srv := mastodontest.NewTestServer(t)
//		_, botToken := srv.CreateUser("bot", mastodontest.Bot())
//		_, aliceToken := srv.CreateUser("alice")
//		alice, _ := mastodon.NewClient(srv.URL, mastodon.WithAccessToken(aliceToken))
//		bot, _ := mastodon.NewClient(srv.URL, mastodon.WithAccessToken(botToken))
//		ping, _ := alice.Statuses.Post(t.Context(), &mastodon.PostStatusParams{Status: "@bot ping"})
//		if err := pongBot(t.Context(), bot); err != nil {
//			t.Fatal(err)
//		}
//		thread, _ := alice.Statuses.Context(t.Context(), ping.ID)
//		if len(thread.Descendants) != 1 || !strings.Contains(thread.Descendants[0].Content, "pong") {
//			t.Fatalf("no pong in %v", thread.Descendants)
//		}
//	}
//
// # When streams deliver
//
// What holds for every client, whatever its language: an SSE stream (GET
// /api/v1/streaming/...) is subscribed before its response headers are
// sent, and a WebSocket opened with ?stream=... is subscribed before the
// handshake answers; so once the client sees the stream open, every event
// caused afterwards reaches it, and nothing from before is replayed
// (Tusk's Streaming.User and the other one-stream methods return once the
// stream is open). A subscribe message sent over an open WebSocket takes
// effect when the server reads it, and neither Mastodon nor this server
// acknowledges it: a Go test waits with WaitSubscriptions; a client that
// cannot should open a stream per URL instead, or cause an event and wait
// to see it.
// Heartbeats follow the server's Clock, so tests need no sleeps.
//
// The package does not import the Tusk library, so the library's own tests
// can use it; its Client is a minimal raw-JSON helper for tests that want
// to set up state over HTTP.
package mastodontest

// Package mastodontest is an in-memory, Mastodon-compatible server for
// tests: bots, clients and the Tusk library itself run against it on a
// loopback port with no setup.
//
// It implements the common API with Mastodon's semantics and JSON shapes —
// OAuth (apps, authorize with PKCE, token grants, revoke, discovery),
// accounts and relationships, statuses (media, polls, edits, scheduling,
// Idempotency-Key), timelines with Mastodon's max_id/since_id/min_id
// pagination and Link headers, notifications v1 and grouped v2, lists,
// markers, conversations, bookmarks, favourites, filters v1 and v2, search,
// instance v1/v2 and nodeinfo, Web Push subscriptions, reports, user
// domain blocks, preview cards, trends and the link timeline, follow
// suggestions, announcements and translation — plus SSE and WebSocket
// streaming. Scopes are enforced as Mastodon enforces them.
//
// Test controls cover what is hard to get from a real server: rate limits
// with real X-RateLimit-* headers (WithRateLimit, SetRateLimitRemaining),
// injected faults (FailNext, ResetNext, TruncateNext, DelayNext,
// InjectFault, DropStreams) and a controllable clock (WithClock, Clock).
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
// A stream's first subscription (an SSE request, or the stream parameter
// of a WebSocket URL) is registered before the server accepts the
// connection, so once a client sees the stream open (Tusk's
// Streaming.User and the other one-stream methods have returned) it gets
// everything posted after. A later WebSocket subscribe message is not
// acknowledged, by Mastodon or here: wait for it with WaitSubscriptions.
// Heartbeats follow the server's Clock, so tests need no sleeps.
//
// The package does not import the Tusk library, so the library's own tests
// can use it; its Client is a minimal raw-JSON helper for tests that want
// to set up state over HTTP.
package mastodontest

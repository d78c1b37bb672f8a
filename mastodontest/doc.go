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
// announcements (PublishAnnouncement), instance rules (AddRule), a
// deterministic translator (WithTranslation, SetTranslation), and views of
// what clients left behind (Reports, PushSubscription). The server never
// connects anywhere: it fetches no links and delivers no pushes.
//
// A bot test in a dozen lines:
//
//	func TestBotReplies(t *testing.T) {
//		srv := mastodontest.NewTestServer(t)
//		bot, botToken := srv.CreateUser("bot", mastodontest.Bot())
//		_, aliceToken := srv.CreateUser("alice")
//		alice := mastodontest.NewClient(srv, aliceToken)
//		alice.PostStatus(t, "@bot ping")
//
//		runBot(t.Context(), srv.URL, botToken) // the code under test
//
//		replies := mastodontest.NewClient(srv, botToken).AccountStatuses(t, bot.ID)
//		if len(replies) != 1 || !strings.Contains(replies[0]["content"].(string), "pong") {
//			t.Fatalf("bot replies = %v", replies)
//		}
//	}
//
// The package does not import the Tusk library, so the library's own tests
// can use it; its Client is a minimal raw-JSON helper for tests that want
// to set up state over HTTP.
package mastodontest

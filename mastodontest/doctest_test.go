package mastodontest_test

import (
	"strings"
	"testing"

	"github.com/tuskgo/mastodon"
	"github.com/tuskgo/mastodon/mastodontest"
)

// TestPongBot is the bot test shown in the package documentation, kept
// here so the documentation stays true.
func TestPongBot(t *testing.T) {
	srv := mastodontest.NewTestServer(t)
	_, botToken := srv.CreateUser("bot", mastodontest.Bot())
	_, aliceToken := srv.CreateUser("alice")
	alice, _ := mastodon.NewClient(srv.URL, mastodon.WithAccessToken(aliceToken))
	bot, _ := mastodon.NewClient(srv.URL, mastodon.WithAccessToken(botToken))
	ping, _ := alice.Statuses.Post(t.Context(), &mastodon.PostStatusParams{Status: "@bot ping"})
	if err := pongBot(t.Context(), bot); err != nil {
		t.Fatal(err)
	}
	thread, _ := alice.Statuses.Context(t.Context(), ping.ID)
	if len(thread.Descendants) != 1 || !strings.Contains(thread.Descendants[0].Content, "pong") {
		t.Fatalf("no pong in %v", thread.Descendants)
	}
}

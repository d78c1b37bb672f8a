package mastodontest_test

import (
	"context"
	"fmt"
	"log"
	"strings"

	"github.com/tuskgo/mastodon"
	"github.com/tuskgo/mastodon/mastodontest"
)

// pongBot is the code under test: it answers each mention with "pong".
func pongBot(ctx context.Context, c *mastodon.Client) error {
	mentions, err := c.Notifications.List(ctx, &mastodon.NotificationsOptions{
		Types: []mastodon.NotificationType{mastodon.NotificationMention}})
	if err != nil {
		return err
	}
	for _, n := range mentions.Items {
		reply := &mastodon.PostStatusParams{Status: "@" + n.Account.Acct + " pong", InReplyToID: n.Status.ID}
		if _, err := c.Statuses.Post(ctx, reply); err != nil {
			return err
		}
	}
	return nil
}

// A bot test: alice pings the bot, the bot runs, alice sees its answer.
// In a test, mastodontest.NewTestServer(t) replaces NewServer and Close.
func Example() {
	srv, err := mastodontest.NewServer()
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	_, botToken := srv.CreateUser("bot", mastodontest.Bot())
	_, aliceToken := srv.CreateUser("alice")
	ctx := context.Background()
	alice, _ := mastodon.NewClient(srv.URL, mastodon.WithAccessToken(aliceToken))
	bot, _ := mastodon.NewClient(srv.URL, mastodon.WithAccessToken(botToken))

	ping, err := alice.Statuses.Post(ctx, &mastodon.PostStatusParams{Status: "@bot ping"})
	if err != nil {
		log.Fatal(err)
	}
	if err := pongBot(ctx, bot); err != nil {
		log.Fatal(err)
	}
	thread, err := alice.Statuses.Context(ctx, ping.ID)
	if err != nil {
		log.Fatal(err)
	}
	for _, s := range thread.Descendants {
		fmt.Println(s.Account.Acct, "replied pong:", strings.Contains(s.Content, "pong"))
	}
	// Output: bot replied pong: true
}

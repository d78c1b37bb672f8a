package mastodon_test

import (
	"context"
	"fmt"
	"log"

	"github.com/tuskgo/mastodon"
)

func ExampleStreamingService_User() {
	c, err := mastodon.NewClient("https://mastodon.example", mastodon.WithAccessToken("…"))
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()
	st, err := c.Streaming.User(ctx, nil)
	if err != nil {
		log.Fatal(err)
	}
	defer st.Close()
	for ev, err := range st.Events() {
		if err != nil {
			log.Print(err) // a malformed event: the stream goes on
			continue
		}
		switch e := ev.(type) {
		case *mastodon.UpdateEvent:
			fmt.Println(e.Status.Account.Acct, e.Status.Content)
		case *mastodon.NotificationEvent:
			fmt.Println("notification:", e.Notification.Type)
		}
	}
}

func ExampleStream_Handle() {
	c, err := mastodon.NewClient("https://mastodon.example", mastodon.WithAccessToken("…"))
	if err != nil {
		log.Fatal(err)
	}
	st, err := c.Streaming.Hashtag(context.Background(), "golang")
	if err != nil {
		log.Fatal(err)
	}
	err = st.Handle(&mastodon.StreamHandler{
		OnUpdate: func(s *mastodon.Status) { fmt.Println(s.URI) },
		OnDelete: func(id string) { fmt.Println("deleted", id) },
		OnError:  func(err error) { log.Print(err) },
	})
	log.Print("stream ended: ", err)
}

func ExampleStreamingService_Open() {
	c, err := mastodon.NewClient("https://mastodon.example", mastodon.WithAccessToken("…"))
	if err != nil {
		log.Fatal(err)
	}
	st, err := c.Streaming.Open(context.Background(), []mastodon.Subscription{
		{Stream: mastodon.StreamUser},
		{Stream: mastodon.StreamHashtag, Tag: "golang"},
		{Stream: mastodon.StreamList, List: "42"},
	})
	if err != nil {
		log.Fatal(err)
	}
	defer st.Close()
	for ev, err := range st.Events() {
		if err == nil {
			fmt.Println(ev.Meta().Stream, ev.Name())
		}
	}
}

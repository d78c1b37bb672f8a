package mastodon_test

import (
	"context"
	"fmt"
	"log"

	"github.com/tuskgo/mastodon"
)

// Every event comes whole through Events: its payload, and in Meta which
// subscription it belongs to and whether it was caught up after a
// reconnect. With ConnectionEvents the stream's connections come the same
// way, in order with the server's events.
func ExampleStream_Events() {
	c, err := mastodon.NewClient("https://mastodon.example", mastodon.WithAccessToken("…"))
	if err != nil {
		log.Fatal(err)
	}
	st, err := c.Streaming.Hashtag(context.Background(), "golang", &mastodon.StreamOptions{ConnectionEvents: true})
	if err != nil {
		log.Fatal(err)
	}
	defer st.Close()
	for ev, err := range st.Events() {
		if err != nil {
			log.Print(err) // a malformed event; the stream goes on
			continue
		}
		switch e := ev.(type) {
		case *mastodon.UpdateEvent:
			fmt.Println(e.Stream, e.CatchUp, e.Status.URI)
		case *mastodon.DeleteEvent:
			fmt.Println("deleted", e.ID)
		case *mastodon.ConnectEvent:
			log.Print("connected over ", e.Transport)
		case *mastodon.DisconnectEvent:
			log.Print("disconnected: ", e.Err)
		}
	}
	log.Print("stream ended: ", st.Err())
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
		{Stream: mastodon.StreamPublicLocalMedia}, // the local timeline, media only
	}, nil)
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

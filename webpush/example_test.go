package webpush_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net/http"
	"os"

	"github.com/tuskgo/mastodon"
	"github.com/tuskgo/mastodon/webpush"
)

// Receiving push notifications end to end: make keys once and keep them,
// subscribe with their public half, then check and decrypt what the server
// posts to your endpoint. The endpoint must be reachable by the server over
// https; Mastodon posts one request per notification.
func Example() {
	ctx := context.Background()
	c, err := mastodon.NewClient("https://mastodon.example",
		mastodon.WithAccessToken(os.Getenv("MASTODON_TOKEN"))) // the token needs the "push" scope
	if err != nil {
		log.Fatal(err)
	}

	// 1. Keys: generate once, store (the text is a secret), load on restart.
	keys, err := webpush.GenerateKeys()
	if err != nil {
		log.Fatal(err)
	}
	stored, _ := keys.MarshalText() // e.g. write to a 0600 file
	keys, err = webpush.ParseKeys(string(stored))
	if err != nil {
		log.Fatal(err)
	}

	// 2. Subscribe: the server will post to this URL, encrypted for keys.
	sub, err := c.Push.Subscribe(ctx, "https://bot.example/push", mastodon.PushSubscriptionKeys{P256DH: keys.PublicKey(), Auth: keys.AuthSecret()},
		&mastodon.PushSubscribeOptions{
			Alerts:   mastodon.PushAlerts{Mention: mastodon.Ptr(true), Follow: mastodon.Ptr(true)},
			Policy:   mastodon.PushPolicyAll,
			Standard: true, // RFC 8291/8292 (Mastodon 4.4+); older servers use aesgcm, also handled
		})
	if err != nil {
		log.Fatal(err)
	}

	// 3. Receive: check the sender is the server (VAPID), then decrypt.
	http.HandleFunc("/push", func(w http.ResponseWriter, r *http.Request) {
		if _, err := webpush.VerifyVAPID(r.Header, sub.ServerKey,
			&webpush.VAPIDOptions{Audience: "https://bot.example"}); err != nil {
			http.Error(w, "not from our server", http.StatusUnauthorized)
			return
		}
		plain, err := keys.DecryptRequest(r)
		switch {
		case errors.Is(err, webpush.ErrAuth):
			http.Error(w, "not for these keys", http.StatusBadRequest)
			return
		case err != nil:
			http.Error(w, "unreadable", http.StatusBadRequest)
			return
		}
		n, err := mastodon.ParsePushNotification(plain)
		if err != nil {
			http.Error(w, "not a Mastodon notification", http.StatusBadRequest)
			return
		}
		w.WriteHeader(http.StatusCreated)
		fmt.Printf("%s: %s (notification %s)\n", n.Title, n.Body, n.NotificationID)
	})
	log.Fatal(http.ListenAndServe(":8080", nil))
}

package mastodon_test

// Runnable examples of the everyday tasks. Each runs against
// mastodontest, an in-memory Mastodon server, where a program would name
// its real server ("https://mastodon.example") instead of srv.URL.

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"image"
	"image/png"
	"log"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"time"

	"github.com/tuskgo/mastodon"
	"github.com/tuskgo/mastodon/mastodontest"
)

func ExampleNewClient() {
	srv, err := mastodontest.NewServer()
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	_, token := srv.CreateUser("alice")

	c, err := mastodon.NewClient(srv.URL, // "https://mastodon.example" or "mastodon.example"
		mastodon.WithAccessToken(token),
		mastodon.WithUserAgent("mybot/1.0"))
	if err != nil {
		log.Fatal(err)
	}
	me, err := c.Accounts.VerifyCredentials(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("logged in as", me.Acct)
	// Output: logged in as alice
}

func ExampleStatusesService_Post() {
	srv, _ := mastodontest.NewServer()
	defer srv.Close()
	_, token := srv.CreateUser("alice")
	c, _ := mastodon.NewClient(srv.URL, mastodon.WithAccessToken(token))
	ctx := context.Background()

	posted, err := c.Statuses.Post(ctx, &mastodon.PostStatusParams{
		Status:     "Hello, fediverse!",
		Visibility: mastodon.VisibilityUnlisted,
	})
	if err != nil {
		log.Fatal(err)
	}
	// Post returns a *PostedStatus: the *Status, or with ScheduledAt set
	// the ScheduledStatus the server keeps until then.
	fmt.Println(posted.Account.Acct, posted.Visibility, posted.Content)
	// Output: alice unlisted <p>Hello, fediverse!</p>
}

func ExampleStatusesService_Reply() {
	srv, _ := mastodontest.NewServer()
	defer srv.Close()
	_, aliceToken := srv.CreateUser("alice")
	_, bobToken := srv.CreateUser("bob")
	alice, _ := mastodon.NewClient(srv.URL, mastodon.WithAccessToken(aliceToken))
	bob, _ := mastodon.NewClient(srv.URL, mastodon.WithAccessToken(bobToken))
	ctx := context.Background()

	question, _ := alice.Statuses.Post(ctx, &mastodon.PostStatusParams{Status: "tea or coffee?"})
	// Reply takes the full parameters; here a content warning and a
	// narrower visibility.
	answer, err := bob.Statuses.Reply(ctx, question, &mastodon.PostStatusParams{
		Status:      "tea",
		SpoilerText: "hot take",
		Visibility:  mastodon.VisibilityPrivate,
	}, nil)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(answer.SpoilerText, answer.Visibility)
	// Output: hot take private
}

func ExampleMediaService_UploadPath() {
	srv, _ := mastodontest.NewServer()
	defer srv.Close()
	_, token := srv.CreateUser("alice")
	c, _ := mastodon.NewClient(srv.URL, mastodon.WithAccessToken(token))
	ctx := context.Background()
	dir, _ := os.MkdirTemp("", "tusk-example")
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "square.png")
	writeExamplePNG(path)

	// Synchronous waits until the server has processed the file, so the
	// attachment can go into a status at once.
	m, err := c.Media.UploadPath(ctx, path, &mastodon.UploadMediaParams{
		Description: "a grey square",
		Synchronous: true,
	})
	if err != nil {
		log.Fatal(err)
	}
	posted, err := c.Statuses.Post(ctx, &mastodon.PostStatusParams{
		Status:   "my picture",
		MediaIDs: []string{m.ID},
	})
	if err != nil {
		log.Fatal(err)
	}
	a := posted.MediaAttachments[0]
	fmt.Println(a.Type, *a.Description, a.URL != nil)
	// Output: image a grey square true
}

func ExampleMediaService_UploadReader() {
	srv, _ := mastodontest.NewServer()
	defer srv.Close()
	_, token := srv.CreateUser("alice")
	c, _ := mastodon.NewClient(srv.URL, mastodon.WithAccessToken(token))

	// Any io.Reader: an *os.File, a bytes.Reader, an HTTP response body.
	// The type is read from the content.
	var img bytes.Buffer
	_ = png.Encode(&img, image.NewGray(image.Rect(0, 0, 8, 8)))
	m, err := c.Media.UploadReader(context.Background(), &img, nil)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(m.Type)
	// Output: image
}

func ExampleAccountsService_Follow() {
	srv, _ := mastodontest.NewServer()
	defer srv.Close()
	_, aliceToken := srv.CreateUser("alice")
	srv.CreateUser("bob")
	alice, _ := mastodon.NewClient(srv.URL, mastodon.WithAccessToken(aliceToken))
	ctx := context.Background()

	bob, err := alice.Accounts.Lookup(ctx, "bob")
	if err != nil {
		log.Fatal(err)
	}
	rel, err := alice.Accounts.Follow(ctx, bob.ID, nil) // nil: the server's defaults
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("following bob:", rel.Following)
	// Output: following bob: true
}

func ExampleTimelinesService_HomeAll() {
	srv, _ := mastodontest.NewServer()
	defer srv.Close()
	_, token := srv.CreateUser("alice")
	c, _ := mastodon.NewClient(srv.URL, mastodon.WithAccessToken(token))
	ctx := context.Background()
	for _, text := range []string{"one", "two", "three"} {
		if _, err := c.Statuses.Post(ctx, &mastodon.PostStatusParams{Status: text}); err != nil {
			log.Fatal(err)
		}
	}

	// HomeAll fetches pages of Limit statuses as the loop goes, newest
	// first, and stops after the last page (or when the loop breaks).
	for st, err := range c.Timelines.HomeAll(ctx, &mastodon.TimelineOptions{Limit: 2}) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(st.Content)
	}
	// Output:
	// <p>three</p>
	// <p>two</p>
	// <p>one</p>
}

func ExamplePage_Next() {
	srv, _ := mastodontest.NewServer()
	defer srv.Close()
	_, token := srv.CreateUser("alice")
	c, _ := mastodon.NewClient(srv.URL, mastodon.WithAccessToken(token))
	ctx := context.Background()
	for _, text := range []string{"one", "two", "three"} {
		c.Statuses.Post(ctx, &mastodon.PostStatusParams{Status: text})
	}

	// One page at a time: Next follows the server's Link header and
	// returns nil after the last page.
	page, err := c.Timelines.Home(ctx, &mastodon.TimelineOptions{Limit: 2})
	for n := 1; page != nil; n++ {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println("page", n, "has", len(page.Items), "statuses")
		page, err = page.Next(ctx)
	}
	// Output:
	// page 1 has 2 statuses
	// page 2 has 1 statuses
	// page 3 has 0 statuses
}

func ExampleStreamingService_User() {
	srv, _ := mastodontest.NewServer()
	defer srv.Close()
	_, aliceToken := srv.CreateUser("alice")
	_, bobToken := srv.CreateUser("bob")
	alice, _ := mastodon.NewClient(srv.URL, mastodon.WithAccessToken(aliceToken))
	bob, _ := mastodon.NewClient(srv.URL, mastodon.WithAccessToken(bobToken))
	ctx := context.Background()

	// When User returns, the server has the subscription: what happens
	// from then on arrives (see the package doc's Streaming section).
	stream, err := alice.Streaming.User(ctx)
	if err != nil {
		log.Fatal(err)
	}
	defer stream.Close()
	bob.Statuses.Post(ctx, &mastodon.PostStatusParams{Status: "@alice hi"})

	for ev, err := range stream.Events() {
		if err != nil {
			log.Print(err) // a malformed event: the stream goes on
			continue
		}
		switch e := ev.(type) {
		case *mastodon.NotificationEvent:
			fmt.Println(e.Notification.Type, "from", e.Notification.Account.Acct)
			return // leaving the loop closes the stream
		case *mastodon.UpdateEvent: // a status in the home timeline
			fmt.Println("status from", e.Status.Account.Acct)
		}
	}
	// Output: mention from bob
}

func ExampleOAuthService_AuthorizeURL() {
	srv, _ := mastodontest.NewServer()
	defer srv.Close()
	srv.CreateUser("alice") // the user who approves in the browser
	ctx := context.Background()
	const callback = "http://127.0.0.1:8765/callback"

	// 1. Register the app once and keep its id and secret.
	anon, _ := mastodon.NewClient(srv.URL)
	app, err := anon.Apps.Create(ctx, &mastodon.CreateAppParams{
		ClientName:   "mybot",
		RedirectURIs: []string{callback},
	})
	if err != nil {
		log.Fatal(err)
	}
	c, _ := mastodon.NewClient(srv.URL, mastodon.WithClientCredentials(app.ClientID, app.ClientSecret))

	// 2. Send the user to the URL; keep State and CodeVerifier.
	auth, err := c.OAuth.AuthorizeURL(&mastodon.AuthorizeParams{RedirectURI: callback})
	if err != nil {
		log.Fatal(err)
	}

	// (Here a plain HTTP request stands in for the user's browser.)
	code := approveInBrowser(auth.URL, auth.State)

	// 3. Trade the code from the callback for a token.
	tok, err := c.OAuth.ExchangeCode(ctx, code, auth.CodeVerifier, &mastodon.TokenParams{RedirectURI: callback})
	if err != nil {
		log.Fatal(err)
	}
	user, _ := mastodon.NewClient(srv.URL, mastodon.WithAccessToken(tok.AccessToken))
	me, err := user.Accounts.VerifyCredentials(ctx)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("authorized as", me.Acct)
	// Output: authorized as alice
}

func ExampleAPIError() {
	srv, _ := mastodontest.NewServer()
	defer srv.Close()
	_, token := srv.CreateUser("alice")
	c, _ := mastodon.NewClient(srv.URL, mastodon.WithAccessToken(token))

	_, err := c.Statuses.Get(context.Background(), "999999")
	// errors.Is for the kind of failure...
	if errors.Is(err, mastodon.ErrNotFound) {
		fmt.Println("no such status")
	}
	// ...errors.As for the details the server sent.
	var apiErr *mastodon.APIError
	if errors.As(err, &apiErr) {
		fmt.Println(apiErr.StatusCode, apiErr.Code)
	}
	// Output:
	// no such status
	// 404 Not Found
}

func ExampleErrRateLimited() {
	srv, _ := mastodontest.NewServer(mastodontest.WithRateLimit(300, 5*time.Minute))
	defer srv.Close()
	_, token := srv.CreateUser("alice")
	ctx := context.Background()

	// RateLimitThrow fails instead of waiting (RateLimitWait, the default,
	// sleeps until the budget is back; RateLimitPace spreads the calls).
	c, _ := mastodon.NewClient(srv.URL, mastodon.WithAccessToken(token),
		mastodon.WithRateLimit(mastodon.RateLimitThrow))
	if _, err := c.Accounts.VerifyCredentials(ctx); err != nil {
		log.Fatal(err)
	}
	rl := c.RateLimit() // what the last answer said
	fmt.Println("budget:", rl.Limit, "left:", rl.Remaining)

	srv.SetRateLimitRemaining(token, 0) // spend the rest
	_, err := c.Accounts.VerifyCredentials(ctx)
	var apiErr *mastodon.APIError
	if errors.Is(err, mastodon.ErrRateLimited) && errors.As(err, &apiErr) {
		fmt.Println("rate limited until the reset:", apiErr.RateLimit.Reset.After(time.Now()))
	}
	// Output:
	// budget: 300 left: 299
	// rate limited until the reset: true
}

// mastodontest has no admin API, so this example answers the one call
// with a stand-in server.
func ExampleAdminAccountsService_List() {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/api/v2/admin/accounts" || r.URL.Query().Get("status") != "pending" {
			http.NotFound(w, r)
			return
		}
		fmt.Fprint(w, `[{"id":"7","username":"newbie","domain":null,"created_at":"2026-01-02T03:04:05.000Z",
			"email":"newbie@example.com","ip":null,"ips":[],"locale":"en","invite_request":"I like elephants",
			"role":null,"confirmed":true,"approved":false,"disabled":false,"silenced":false,"suspended":false,
			"account":{"id":"7","username":"newbie","acct":"newbie"}}]`)
	}))
	defer srv.Close()
	// An admin token needs the admin:read and admin:write scopes.
	c, _ := mastodon.NewClient(srv.URL, mastodon.WithAccessToken("admin-token"))
	ctx := context.Background()

	for acct, err := range c.Admin.Accounts.ListAll(ctx, &mastodon.AdminAccountsOptions{Status: "pending"}) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("%s (%s) asks: %q\n", acct.Username, acct.Email, *acct.InviteRequest)
		// c.Admin.Accounts.Approve(ctx, acct.ID) would let them in.
	}
	// Output: newbie (newbie@example.com) asks: "I like elephants"
}

// Nullable fields are pointers; GetX reads them without a nil check, and
// printing an entity shows values, not addresses.
func ExampleMediaAttachment_GetURL() {
	var m mastodon.MediaAttachment
	// Still processing: the server sends "url": null.
	if err := json.Unmarshal([]byte(`{"id":"7","type":"video","url":null,"description":"a cat"}`), &m); err != nil {
		log.Fatal(err)
	}
	fmt.Printf("url %q, description %q\n", m.GetURL(), m.GetDescription())
	fmt.Println(&m)
	// Output:
	// url "", description "a cat"
	// mastodon.MediaAttachment{ID:"7", Type:"video", Description:"a cat"}
}

// writeExamplePNG writes a small image for the upload examples.
func writeExamplePNG(path string) {
	f, err := os.Create(path)
	if err != nil {
		log.Fatal(err)
	}
	defer f.Close()
	if err := png.Encode(f, image.NewGray(image.Rect(0, 0, 8, 8))); err != nil {
		log.Fatal(err)
	}
}

// approveInBrowser plays the user: it opens the authorization URL (the
// test server approves at once) and returns the code from the redirect,
// checking the state came back.
func approveInBrowser(authURL, state string) string {
	browser := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := browser.Get(authURL)
	if err != nil {
		log.Fatal(err)
	}
	resp.Body.Close()
	back, err := url.Parse(resp.Header.Get("Location"))
	if err != nil || back.Query().Get("state") != state {
		log.Fatalf("bad redirect %q", resp.Header.Get("Location"))
	}
	return back.Query().Get("code")
}

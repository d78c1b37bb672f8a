package cli

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/tuskgo/mastodon"
	"github.com/tuskgo/mastodon/credfile"
	"github.com/tuskgo/mastodon/internal/termtext"
	"github.com/tuskgo/mastodon/mastodontest"
)

func (a *app) demoCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "demo",
		Short: "Tour Tusk against an in-memory Mastodon server (no account needed)",
		Long: `Start mastodontest, an in-memory Mastodon-compatible server, inside this
process, and walk through a short session with the Tusk library: register an
app, log in, post, read, stream and get notified, then clean up.

Nothing leaves your machine: the server listens on a loopback port and is
gone when the demo ends.`,
		Example: "  tusk demo\n  tusk demo --color never | less",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.runDemo(cmd.Context())
		},
	}
}

// narrator prints the demo's numbered steps.
type narrator struct {
	w io.Writer
	p *printer
	n int
}

func (n *narrator) step(title string) {
	n.n++
	fmt.Fprintf(n.w, "\n%s %s\n", n.p.style(styleBold, fmt.Sprintf("%d.", n.n)), n.p.style(styleBold, title))
}

func (n *narrator) say(format string, args ...any) {
	fmt.Fprintf(n.w, "   %s\n", fmt.Sprintf(format, args...))
}

func (n *narrator) show(text string) {
	fmt.Fprintln(n.w, indent(text, "   │ "))
}

func (a *app) runDemo(ctx context.Context) error {
	start := time.Now()
	srv, err := mastodontest.NewServer(mastodontest.WithTitle("Tusk demo"))
	if err != nil {
		return fmt.Errorf("cannot start the demo server: %w", err)
	}
	defer srv.Close()

	p := newPrinter(a.env.Stdout, false, a.p.color, a.env.Now)
	n := &narrator{w: a.env.Stdout, p: p}
	fmt.Fprintf(a.env.Stdout, "%s: an in-memory Mastodon server is running at %s;\n", p.style(styleBold, "Tusk demo"), srv.URL)
	fmt.Fprintln(a.env.Stdout, "everything below goes through the Tusk Go library (github.com/tuskgo/mastodon).")

	alice := srv.CreateAccount("alice", mastodontest.DisplayName("Alice"))
	_, bobToken := srv.CreateUser("bob", mastodontest.DisplayName("Bob"))
	bobc, err := mastodon.NewClient(srv.URL, append(a.clientOptions(), mastodon.WithAccessToken(bobToken))...)
	if err != nil {
		return err
	}
	for _, s := range []string{"Good morning, fediverse!", "Trying out #golang bots today.", "Tea is ready."} {
		if _, err := bobc.Statuses.Post(ctx, &mastodon.PostStatusParams{Status: s}); err != nil {
			return fmt.Errorf("setting up @bob: %w", err)
		}
	}
	fmt.Fprintln(a.env.Stdout, "It has two accounts, @alice and @bob (who has posted a few statuses).")

	d := &demo{a: a, n: n, p: p, srv: srv}
	c, _, err := d.login(ctx, alice.ID)
	if err != nil {
		return err
	}

	n.step("Follow @bob")
	bob, err := c.Accounts.Lookup(ctx, "bob")
	if err != nil {
		return fmt.Errorf("looking up @bob: %w", err)
	}
	if _, err := c.Accounts.Follow(ctx, bob.ID, nil); err != nil {
		return fmt.Errorf("following @bob: %w", err)
	}
	n.say("c.Accounts.Lookup + c.Accounts.Follow → following %s", p.name(bob))

	n.step("Open a live stream of the home timeline and notifications")
	sctx, stopStream := context.WithCancel(ctx)
	defer stopStream()
	st, err := c.Streaming.User(sctx, &mastodon.StreamOptions{Transport: mastodon.TransportSSE})
	if err != nil {
		return fmt.Errorf("opening the stream: %w", err)
	}
	defer st.Close()
	events := make(chan mastodon.Event, 64)
	go func() {
		defer close(events)
		for ev, err := range st.Events() {
			if err != nil {
				continue
			}
			select {
			case events <- ev:
			case <-sctx.Done():
				return
			}
		}
	}()
	n.say("c.Streaming.User → connected (%s)", st.Transport())

	n.step("Post a status with an image, and one with a poll")
	png := demoPNG()
	media, err := c.Media.Upload(ctx, mastodon.File{Name: "tusk.png", Reader: bytes.NewReader(png), Size: int64(len(png))},
		&mastodon.UploadMediaParams{Description: "An ivory tusk curving across a blue sky", Synchronous: true})
	if err != nil {
		return fmt.Errorf("uploading the image: %w", err)
	}
	n.say("c.Media.Upload → a %d-byte PNG drawn in memory, with alt text", len(png))
	pic, err := c.Statuses.Post(ctx, &mastodon.PostStatusParams{Status: "Hello from the Tusk demo! Here is a tusk. #tusk", MediaIDs: []string{media.ID}})
	if err != nil {
		return fmt.Errorf("posting: %w", err)
	}
	poll := mastodon.NewPoll(24*time.Hour, "Go", "Python", "Both")
	pollPost, err := c.Statuses.Post(ctx, &mastodon.PostStatusParams{Status: "Which language for your next bot?", Poll: poll})
	if err != nil {
		return fmt.Errorf("posting the poll: %w", err)
	}
	n.say("c.Statuses.Post (twice) →")
	n.show(p.statusText(pic.Status, ""))
	n.show("")
	n.show(p.statusText(pollPost.Status, ""))

	n.step("The stream delivers them live")
	want := map[string]bool{pic.ID: true, pollPost.ID: true}
	if !d.await(events, func(ev mastodon.Event) bool {
		if u, ok := ev.(*mastodon.UpdateEvent); ok && want[u.Status.ID] {
			delete(want, u.Status.ID)
			n.say("update event: status %s", termtext.Line(u.Status.ID))
		}
		return len(want) == 0
	}) {
		return fmt.Errorf("the stream did not deliver the new statuses")
	}

	n.step("@bob favourites the picture, votes and replies")
	if _, err := bobc.Statuses.Favourite(ctx, pic.ID); err != nil {
		return fmt.Errorf("@bob favouriting: %w", err)
	}
	if _, err := bobc.Polls.Vote(ctx, pollPost.Poll.ID, []int{0}); err != nil {
		return fmt.Errorf("@bob voting: %w", err)
	}
	if _, err := bobc.Statuses.Reply(ctx, pic.Status, &mastodon.PostStatusParams{Status: "What a lovely tusk!"}, nil); err != nil {
		return fmt.Errorf("@bob replying: %w", err)
	}
	got := 0
	if !d.await(events, func(ev mastodon.Event) bool {
		if ne, ok := ev.(*mastodon.NotificationEvent); ok {
			got++
			n.say("notification event: %s", d.notificationLine(ne.Notification))
		}
		return got == 2
	}) {
		return fmt.Errorf("the stream did not deliver the notifications")
	}
	np, err := c.Notifications.List(ctx, &mastodon.NotificationsOptions{Limit: 5})
	if err != nil {
		return fmt.Errorf("reading notifications: %w", err)
	}
	if len(np.Items) > 0 {
		n.say("c.Notifications.List → %d notifications, the newest: %s", len(np.Items), d.notificationLine(np.Items[0]))
	}
	pl, err := c.Polls.Get(ctx, pollPost.Poll.ID)
	if err != nil {
		return fmt.Errorf("reading the poll: %w", err)
	}
	n.say("c.Polls.Get →")
	n.show(strings.TrimRight(p.pollText(pl), "\n"))

	n.step("Read the home timeline, two statuses per page")
	page, err := c.Timelines.Home(ctx, &mastodon.TimelineOptions{Limit: 2})
	if err != nil {
		return fmt.Errorf("reading the home timeline: %w", err)
	}
	for i := 1; page != nil && len(page.Items) > 0 && i <= 3; i++ {
		var parts []string
		for _, s := range page.Items {
			parts = append(parts, fmt.Sprintf("@%s: %q", termtext.Line(s.Account.Acct), clip(termtext.HTML(s.Content), 32)))
		}
		n.say("page %d: %s", i, strings.Join(parts, ", "))
		if page, err = page.Next(ctx); err != nil {
			return fmt.Errorf("reading the next page: %w", err)
		}
	}
	n.say("(c.Timelines.Home, then page.Next following the Link header; c.Timelines.HomeAll iterates them all)")

	n.step("Clean up")
	for _, id := range []string{pic.ID, pollPost.ID} {
		if _, err := c.Statuses.Delete(ctx, id, nil); err != nil {
			return fmt.Errorf("deleting status %s: %w", id, err)
		}
	}
	n.say("c.Statuses.Delete → both statuses deleted")
	stopStream()
	st.Close()
	if err := c.OAuth.Revoke(ctx, ""); err != nil {
		return fmt.Errorf("revoking the token: %w", err)
	}
	if _, err := c.Accounts.VerifyCredentials(ctx); !errors.Is(err, mastodon.ErrUnauthorized) {
		return fmt.Errorf("the revoked token still works (err = %v)", err)
	}
	n.say("c.OAuth.Revoke → token revoked (using it again gets 401 Unauthorized); stream closed")

	fmt.Fprintf(a.env.Stdout, "\n%s in %s. Next: 'tusk login YOUR.SERVER', or 'tusk serve' to develop a bot locally.\n",
		p.style(styleGreen, "Done"), time.Since(start).Round(time.Millisecond))
	return nil
}

// await reads stream events until done says so, or gives up after a few
// seconds.
func (d *demo) await(events <-chan mastodon.Event, done func(mastodon.Event) bool) bool {
	timeout := time.NewTimer(10 * time.Second)
	defer timeout.Stop()
	for {
		select {
		case ev, ok := <-events:
			if !ok {
				return false
			}
			if done(ev) {
				return true
			}
		case <-timeout.C:
			return false
		}
	}
}

func (d *demo) notificationLine(nt *mastodon.Notification) string {
	s := d.p.name(&nt.Account) + " " + notificationVerbs[nt.Type]
	if nt.Type == "mention" && nt.Status != nil {
		s += ": “" + clip(termtext.HTML(nt.Status.Content), 40) + "”"
	}
	return s
}

// clip shortens text to n runes with an ellipsis, on one line.
func clip(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

type demo struct {
	a   *app
	n   *narrator
	p   *printer
	srv *mastodontest.Server
}

// login registers an app and runs the authorization code flow with PKCE,
// playing the browser's part with an HTTP client that stops at the
// redirect.
func (d *demo) login(ctx context.Context, accountID string) (*mastodon.Client, *credfile.User, error) {
	n, srv := d.n, d.srv
	const redirect = "http://127.0.0.1/callback" // never contacted: the code is read from the redirect
	n.step("Register an app")
	anon, err := mastodon.NewClient(srv.URL, d.a.clientOptions()...)
	if err != nil {
		return nil, nil, err
	}
	app, err := anon.Apps.Create(ctx, &mastodon.CreateAppParams{
		ClientName: "tusk demo", RedirectURIs: []string{redirect}, Scopes: []string{"read", "write", "follow"},
	})
	if err != nil {
		return nil, nil, fmt.Errorf("registering the app: %w", err)
	}
	n.say("c.Apps.Create → app %q, client id %s…", app.Name, short(app.ClientID))

	n.step("Log in as @alice: authorization code flow with PKCE")
	ac, err := mastodon.NewClient(srv.URL, append(d.a.clientOptions(), mastodon.WithClientCredentials(app.ClientID, app.ClientSecret))...)
	if err != nil {
		return nil, nil, err
	}
	ar, err := ac.OAuth.AuthorizeURL(&mastodon.AuthorizeParams{RedirectURI: redirect, Scopes: []string{"read", "write", "follow"}})
	if err != nil {
		return nil, nil, err
	}
	n.say("c.OAuth.AuthorizeURL → the server's authorization page, with a PKCE S256 challenge and a random state")
	srv.AuthorizeAs(accountID) // the user approving in the browser
	code, state, err := followAuthorize(ctx, ar.URL, redirect)
	if err != nil {
		return nil, nil, err
	}
	if state != ar.State {
		return nil, nil, fmt.Errorf("the redirect carried the wrong state")
	}
	n.say("after approval the server redirects back with ?code=…&state=… (state checked)")
	tok, err := ac.OAuth.ExchangeCode(ctx, code, ar.CodeVerifier, &mastodon.TokenParams{RedirectURI: redirect, Scopes: []string{"read", "write", "follow"}})
	if err != nil {
		return nil, nil, fmt.Errorf("exchanging the code: %w", err)
	}
	c, err := mastodon.NewClient(srv.URL, append(d.a.clientOptions(),
		mastodon.WithAccessToken(tok.AccessToken), mastodon.WithClientCredentials(app.ClientID, app.ClientSecret))...)
	if err != nil {
		return nil, nil, err
	}
	me, err := c.Accounts.VerifyCredentials(ctx)
	if err != nil {
		return nil, nil, fmt.Errorf("verifying the login: %w", err)
	}
	n.say("c.OAuth.ExchangeCode (code + PKCE verifier) → a token for %q", tok.Scope)
	n.say("c.Accounts.VerifyCredentials → logged in as %s", d.p.name(&me.Account))
	creds, err := c.UserCredentials()
	if err != nil {
		return nil, nil, err
	}
	return c, creds, nil
}

// followAuthorize plays the browser: it opens the authorization URL and
// reads the code and state from the redirect without following it.
func followAuthorize(ctx context.Context, authURL, redirect string) (code, state string, err error) {
	hc := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, authURL, nil)
	if err != nil {
		return "", "", err
	}
	resp, err := hc.Do(req)
	if err != nil {
		return "", "", fmt.Errorf("opening the authorization page: %w", err)
	}
	resp.Body.Close()
	loc, err := resp.Location()
	if err != nil {
		return "", "", fmt.Errorf("the authorization page did not redirect (%s)", resp.Status)
	}
	if !strings.HasPrefix(loc.String(), redirect) {
		return "", "", fmt.Errorf("the authorization page redirected somewhere unexpected")
	}
	q := loc.Query()
	if e := q.Get("error"); e != "" {
		return "", "", fmt.Errorf("the server refused the authorization: %s", termtext.Line(q.Get("error_description")))
	}
	return q.Get("code"), q.Get("state"), nil
}

// short shows the start of an identifier.
func short(s string) string {
	s = termtext.Line(s)
	if len(s) > 8 {
		return s[:8]
	}
	return s
}

// demoPNG draws a small picture (a tusk on a sky gradient) as a PNG.
func demoPNG() []byte {
	const w, h = 64, 48
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			c := color.RGBA{R: uint8(40 + y*2), G: uint8(90 + y*3), B: 200, A: 255}
			// A curved tusk: an arc of ivory.
			dx, dy := float64(x-20), float64(y-8)
			if r := dx*dx + dy*dy; r > 28*28 && r < 34*34 && x > 20 && y > 8 {
				c = color.RGBA{R: 250, G: 245, B: 225, A: 255}
			}
			img.Set(x, y, c)
		}
	}
	var b bytes.Buffer
	_ = png.Encode(&b, img)
	return b.Bytes()
}

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
		Args: cobra.NoArgs,
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
	bob, bobToken := srv.CreateUser("bob", mastodontest.DisplayName("Bob"))
	fmt.Fprintln(a.env.Stdout, "It has two accounts, @alice and @bob; we log in as @alice the way an app would.")

	d := &demo{a: a, n: n, p: p, srv: srv}
	c, creds, err := d.login(ctx, alice.ID)
	if err != nil {
		return err
	}
	_ = bob
	_ = bobToken

	n.step("Clean up")
	if err := c.OAuth.Revoke(ctx, ""); err != nil {
		return fmt.Errorf("revoking the token: %w", err)
	}
	if _, err := c.Accounts.VerifyCredentials(ctx); !errors.Is(err, mastodon.ErrUnauthorized) {
		return fmt.Errorf("the revoked token still works (err = %v)", err)
	}
	n.say("c.OAuth.Revoke → the token is revoked; using it again gets 401 Unauthorized")
	_ = creds

	fmt.Fprintf(a.env.Stdout, "\n%s in %s. Next: 'tusk login YOUR.SERVER', or 'tusk serve' to develop a bot locally.\n",
		p.style(styleGreen, "Done"), time.Since(start).Round(time.Millisecond))
	return nil
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
func (d *demo) login(ctx context.Context, accountID string) (*mastodon.Client, *mastodon.UserCredentials, error) {
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
	n.say("c.OAuth.AuthorizeURL → %s/oauth/authorize?… (with a PKCE S256 challenge and a random state)", srv.URL)
	srv.AuthorizeAs(accountID) // the user approving in the browser
	code, state, err := followAuthorize(ctx, ar.URL, redirect)
	if err != nil {
		return nil, nil, err
	}
	if state != ar.State {
		return nil, nil, fmt.Errorf("the redirect carried the wrong state")
	}
	n.say("the server redirects to %s?code=…&state=… (state matches)", redirect)
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
	n.say("c.OAuth.ExchangeCode (code + PKCE verifier) → a token with scopes %q", tok.Scope)
	n.say("c.Accounts.VerifyCredentials → logged in as %s", d.p.name(&me.Account))
	creds, err := c.UserCredentials()
	if err != nil {
		return nil, nil, err
	}
	n.say("c.UserCredentials → what 'tusk login' saves, in Mastodon.py's credential file format")
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

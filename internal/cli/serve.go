package cli

import (
	"fmt"
	"slices"
	"strings"

	"github.com/spf13/cobra"
	"github.com/tuskgo/mastodon/credfile"
	"github.com/tuskgo/mastodon/mastodontest"
)

func (a *app) serveCmd() *cobra.Command {
	var (
		addr  string
		users string
		save  bool
		show  bool
		// for clients in other languages whose suites fix these values
		publicURL string
		tokens    []string // NAME=TOKEN
		appCreds  string   // CLIENT_ID:CLIENT_SECRET
		pwGrant   bool
	)
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Run an in-memory Mastodon server for bot development",
		Long: `Run mastodontest, an in-memory Mastodon-compatible server, on a local port
until interrupted. It creates the given accounts, each with an access token:
throwaway tokens of a server that forgets everything when it stops. They are
not printed unless --show-credentials asks (for a bot in another language).

Point your bot (or tusk itself) at it:

  tusk serve --addr 127.0.0.1:3000 --users alice,bob --save
  tusk -a alice@127.0.0.1:3000 post "hello, test server"

With --save the accounts are saved like logged-in ones (replacing earlier
saves for the same address), so every tusk command can use them.

For a test suite written for another server, fix what it expects:

  tusk serve --addr 127.0.0.1:3000 --public-url http://localhost:3000 \
    --app CLIENT_ID:CLIENT_SECRET --token alice=TOKEN --password-grant`,
		Example: "  tusk serve\n  tusk serve --addr 127.0.0.1:3000 --users alice,bob --save\n  tusk serve --users mybot --show-credentials",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			chosen := map[string]string{}
			for _, t := range tokens {
				name, tok, ok := strings.Cut(t, "=")
				if !ok || name == "" || tok == "" {
					return usagef("--token takes NAME=TOKEN") // the value is not echoed: it is a credential
				}
				chosen[name] = tok
			}
			for name := range chosen {
				if !slices.Contains(strings.Split(strings.ReplaceAll(users, " ", ""), ","), name) {
					return usagef("--token names %s, which is not in --users", name)
				}
			}
			srv, err := mastodontest.NewServer(mastodontest.WithAddr(addr), mastodontest.WithTitle("tusk serve"),
				mastodontest.WithPublicURL(publicURL), mastodontest.WithPasswordGrant(pwGrant))
			if err != nil {
				return fmt.Errorf("cannot start the server on %s: %w", addr, err)
			}
			defer srv.Close()
			clientID := ""
			if appCreds != "" {
				id, secret, ok := strings.Cut(appCreds, ":")
				if !ok || id == "" || secret == "" {
					return usagef("--app takes CLIENT_ID:CLIENT_SECRET")
				}
				if _, err := srv.AddApp(mastodontest.App{Name: "tusk serve", ClientID: id, ClientSecret: secret}); err != nil {
					return err
				}
				clientID = id
			}
			fmt.Fprintf(a.env.Stdout, "mastodontest is serving %s (streaming %s)\n", srv.URL, srv.StreamingURL())
			first := true
			for _, u := range strings.Split(users, ",") {
				u = strings.TrimSpace(u)
				if u == "" {
					continue
				}
				var opts []mastodontest.AccountOption
				if first {
					opts = append(opts, mastodontest.Admin())
				}
				first = false
				acc := srv.CreateAccount(u, opts...)
				tok, ok := chosen[u]
				delete(chosen, u)
				if ok {
					if err := srv.AddToken(acc.ID, clientID, tok); err != nil {
						return fmt.Errorf("token for %s: %w", u, err)
					}
				} else {
					tok = srv.CreateToken(acc.ID)
				}
				name := accountName(acc.Username, srv.URL)
				if show {
					fmt.Fprintf(a.env.Stdout, "  @%-10s password: %-10s  TUSK_SERVER=%s TUSK_ACCESS_TOKEN=%s\n", acc.Username, acc.Password, srv.URL, tok)
				} else {
					fmt.Fprintf(a.env.Stdout, "  @%s (id %s)\n", acc.Username, acc.ID)
				}
				if save {
					cred := &credfile.User{AccessToken: tok, BaseURL: srv.URL}
					if err := a.saveAccount(name, cred, false); err != nil {
						return fmt.Errorf("saving account %s: %w", name, err)
					}
					fmt.Fprintf(a.env.Stdout, "    saved as %s: tusk -a %s whoami\n", name, name)
				}
			}
			if !save && !show {
				fmt.Fprintln(a.env.Stdout, "Their tokens are kept by the server only: --save saves them for tusk (and for Mastodon.py, as credential files), --show-credentials prints them.")
			}
			if !save {
				host := strings.TrimPrefix(srv.URL, "http://")
				if pwGrant {
					fmt.Fprintf(a.env.Stdout, "A browser login ('tusk login %s') signs in as the first account; 'tusk login %s --username NAME' picks another by its password.\n", host, host)
				} else {
					fmt.Fprintf(a.env.Stdout, "A browser login ('tusk login %s') signs in as the first account; with --password-grant, 'tusk login %s --username NAME' picks another by its password.\n", host, host)
				}
			}
			fmt.Fprintln(a.env.Stdout, "Press Ctrl-C to stop; everything is forgotten then.")
			if a.env.Ready != nil {
				a.env.Ready(srv.URL)
			}
			<-cmd.Context().Done()
			return nil
		},
	}
	cmd.Flags().StringVar(&addr, "addr", "127.0.0.1:3000", "address to listen on (loopback is safest)")
	cmd.Flags().StringVar(&users, "users", "alice,bob", "comma-separated accounts to create; the first is an admin")
	cmd.Flags().BoolVar(&save, "save", false, "save the accounts so tusk commands can use them with --account")
	cmd.Flags().BoolVar(&show, "show-credentials", false, "print each account's password and access token (throwaway ones)")
	cmd.Flags().StringVar(&publicURL, "public-url", "", "URL to write in every link the server hands out (e.g. http://localhost:3000)")
	cmd.Flags().StringArrayVar(&tokens, "token", nil, "NAME=TOKEN: give an account of --users this access token (repeatable)")
	cmd.Flags().StringVar(&appCreds, "app", "", "CLIENT_ID:CLIENT_SECRET: register an OAuth app with these credentials")
	cmd.Flags().BoolVar(&pwGrant, "password-grant", false, "offer the OAuth password grant (Mastodon 4.4+ does not)")
	return cmd
}

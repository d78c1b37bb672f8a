package cli

import (
	"bufio"
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"html"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/tuskgo/mastodon"
	"github.com/tuskgo/mastodon/credfile"
	"github.com/tuskgo/mastodon/internal/termtext"
	"golang.org/x/term"
)

const appName = "tusk"

// scopePattern matches Mastodon's OAuth scopes: read, write and their
// narrower forms (read:statuses), admin:read and admin:write likewise,
// follow, push and profile.
var scopePattern = regexp.MustCompile(`^(?:profile|follow|push|(?:admin:)?(?:read|write)(?::[a-z_]+)?)$`)

const appWebsite = "https://github.com/tuskgo/mastodon"

func (a *app) loginCmd() *cobra.Command {
	var (
		scopes      string
		oob         bool
		noBrowser   bool
		port        int
		makeDefault bool
		timeout     time.Duration
		username    string
	)
	cmd := &cobra.Command{
		Use:   "login SERVER",
		Short: "Log in to a Mastodon server and save the account",
		Long: `Log in with OAuth (authorization code flow with PKCE and state): tusk
registers itself as an app on the server, opens the authorization page in
your browser (or prints its address) and catches the answer on a local
loopback port. With --oob, the server shows a code that you paste here
instead, for machines without a browser.

The token is saved in a Mastodon.py-compatible credential file (mode 0600)
under the config directory. Log in to several accounts and choose with
--account; the first one, or the one logged in with --default, is used
when none is named.

--username signs in as the given account with its password instead (read
from standard input; the OAuth password grant): for test servers such as
'tusk serve', where it picks one of several accounts, and servers that
still allow it. Mastodon takes the account's e-mail address as the name.`,
		Example: "  tusk login mastodon.social\n  tusk login --oob example.social\n  tusk login --scopes read example.social\n  tusk login 127.0.0.1:3000 --username bob",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			if timeout > 0 {
				var cancel context.CancelFunc
				ctx, cancel = context.WithTimeout(ctx, timeout)
				defer cancel()
			}
			sc := strings.Fields(strings.ReplaceAll(scopes, ",", " "))
			for _, s := range sc {
				if !scopePattern.MatchString(s) {
					return usagef("--scopes: %q is not an OAuth scope of Mastodon (read, write, follow, push, profile, read:statuses, admin:read, …)", s)
				}
			}
			if username != "" {
				if oob || noBrowser || port != 0 {
					return usagef("--username signs in without a browser: it cannot be combined with --oob, --no-browser or --port")
				}
				return a.passwordLogin(ctx, args[0], username, sc, makeDefault)
			}
			return a.login(ctx, args[0], sc, oob, noBrowser, port, makeDefault)
		},
	}
	f := cmd.Flags()
	f.StringVar(&scopes, "scopes", "read write follow push", "OAuth scopes to ask for")
	f.BoolVar(&oob, "oob", false, "paste the code shown by the server instead of catching a redirect")
	f.BoolVar(&noBrowser, "no-browser", false, "print the authorization address instead of opening a browser")
	f.IntVar(&port, "port", 0, "loopback port for the redirect (default: any free port)")
	f.BoolVar(&makeDefault, "default", false, "make this the default account")
	f.DurationVar(&timeout, "timeout", 10*time.Minute, "give up waiting for the authorization after this long")
	f.StringVar(&username, "username", "", "sign in as this account with its password, read from standard input (test servers such as 'tusk serve')")
	return cmd
}

func (a *app) login(ctx context.Context, server string, scopes []string, oob, noBrowser bool, port int, makeDefault bool) error {
	server = serverAddress(server)
	anon, err := mastodon.NewClient(server, a.clientOptions()...)
	if err != nil {
		return err
	}
	redirect := mastodon.RedirectOOB
	var ln net.Listener
	if !oob {
		ln, err = net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(port)))
		if err != nil {
			return fmt.Errorf("cannot listen on a loopback port for the login redirect (try --oob): %w", err)
		}
		defer ln.Close()
		redirect = "http://" + ln.Addr().String() + "/callback"
	}
	app, err := anon.Apps.Create(ctx, &mastodon.CreateAppParams{
		ClientName: appName, RedirectURIs: []string{redirect}, Scopes: scopes, Website: appWebsite,
	})
	if err != nil {
		return fmt.Errorf("registering tusk on %s: %w", anon.BaseURL(), err)
	}
	clientID, clientSecret := app.ClientID, app.ClientSecret
	ac, err := mastodon.NewClient(server, append(a.clientOptions(), mastodon.WithClientCredentials(clientID, clientSecret))...)
	if err != nil {
		return err
	}
	ar, err := ac.OAuth.AuthorizeURL(&mastodon.AuthorizeParams{RedirectURI: redirect, Scopes: scopes})
	if err != nil {
		return err
	}

	var code string
	if oob {
		a.infof("Open this address, approve tusk, then paste the code the server shows:\n\n  %s\n", termtext.Line(ar.URL))
		if !noBrowser {
			_ = a.env.OpenBrowser(ar.URL)
		}
		fmt.Fprint(a.env.Stderr, "Code: ")
		code, err = readLine(ctx, a.env.Stdin)
		if err != nil {
			return fmt.Errorf("reading the code: %w", err)
		}
		if code == "" {
			return usagef("no code entered")
		}
	} else {
		// Serve the redirect before anyone can be sent to it.
		wait := serveCallback(ln, ar.State)
		if noBrowser {
			a.infof("Open this address in a browser and approve tusk:\n\n  %s\n", termtext.Line(ar.URL))
		} else {
			a.infof("Opening the authorization page; if no browser opens, visit:\n\n  %s\n", termtext.Line(ar.URL))
			if err := a.env.OpenBrowser(ar.URL); err != nil {
				a.infof("(could not open a browser: %s)", termtext.Line(err.Error()))
			}
		}
		a.infof("Waiting for the server to send you back to %s …", redirect)
		if a.env.Ready != nil {
			a.env.Ready(ar.URL)
		}
		code, err = wait(ctx)
		if err != nil {
			return err
		}
	}

	tok, err := ac.OAuth.ExchangeCode(ctx, code, ar.CodeVerifier, &mastodon.TokenParams{RedirectURI: redirect, Scopes: scopes})
	if err != nil {
		return fmt.Errorf("exchanging the authorization code for a token: %w", err)
	}
	return a.saveLogin(ctx, server, tok, clientID, clientSecret, makeDefault)
}

// passwordLogin signs in as username with the password grant, the
// password read from standard input (without echo on a terminal).
func (a *app) passwordLogin(ctx context.Context, server, username string, scopes []string, makeDefault bool) error {
	server = serverAddress(server)
	anon, err := mastodon.NewClient(server, a.clientOptions()...)
	if err != nil {
		return err
	}
	var password string
	if f, ok := a.env.Stdin.(*os.File); ok && a.stdinIsTerminal() {
		fmt.Fprintf(a.env.Stderr, "Password for %s: ", username)
		pw, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(a.env.Stderr)
		if err != nil {
			return fmt.Errorf("reading the password: %w", err)
		}
		password = string(pw)
	} else if password, err = readLine(ctx, a.env.Stdin); err != nil && !errors.Is(err, io.EOF) {
		return fmt.Errorf("reading the password: %w", err)
	}
	if password == "" {
		return usagef("no password given: type it when asked, or pipe it to standard input")
	}
	app, err := anon.Apps.Create(ctx, &mastodon.CreateAppParams{
		ClientName: appName, RedirectURIs: []string{mastodon.RedirectOOB}, Scopes: scopes, Website: appWebsite,
	})
	if err != nil {
		return fmt.Errorf("registering tusk on %s: %w", anon.BaseURL(), err)
	}
	ac, err := mastodon.NewClient(server, append(a.clientOptions(), mastodon.WithClientCredentials(app.ClientID, app.ClientSecret))...)
	if err != nil {
		return err
	}
	tok, err := ac.OAuth.PasswordGrant(ctx, username, password, &mastodon.TokenParams{Scopes: scopes})
	if err != nil {
		var ae *mastodon.APIError
		if errors.As(err, &ae) && (ae.StatusCode == http.StatusBadRequest || ae.StatusCode == http.StatusUnauthorized) {
			return &notLoggedInError{fmt.Sprintf("the server refused the name %q or its password (or does not sign in with passwords; log in without --username then).", termtext.Line(username))}
		}
		return fmt.Errorf("signing in as %s: %w", username, err)
	}
	return a.saveLogin(ctx, server, tok, app.ClientID, app.ClientSecret, makeDefault)
}

// saveLogin checks a new token, saves the account and says who is logged
// in.
func (a *app) saveLogin(ctx context.Context, server string, tok *mastodon.Token, clientID, clientSecret string, makeDefault bool) error {
	uc, err := mastodon.NewClient(server, append(a.clientOptions(), mastodon.WithAccessToken(tok.AccessToken), mastodon.WithClientCredentials(clientID, clientSecret))...)
	if err != nil {
		return err
	}
	me, err := uc.Accounts.VerifyCredentials(ctx)
	if err != nil {
		return fmt.Errorf("checking the new token: %w", err)
	}
	name := accountName(me.Username, uc.BaseURL())
	cred := &credfile.User{AccessToken: tok.AccessToken, BaseURL: uc.BaseURL(), ClientID: clientID, ClientSecret: clientSecret}
	if err := a.saveAccount(name, cred, makeDefault); err != nil {
		return fmt.Errorf("saving the login: %w", err)
	}
	if a.jsonOut {
		return a.p.JSON(me)
	}
	fmt.Fprintf(a.env.Stdout, "Logged in as %s (saved as %s).\n", a.p.name(&me.Account), termtext.Line(name))
	return nil
}

// serveCallback serves the loopback redirect at once; the function it
// returns waits until the redirect brings a code with the right state, or
// an error, and then stops serving.
func serveCallback(ln net.Listener, state string) func(context.Context) (string, error) {
	type result struct {
		code string
		err  error
	}
	done := make(chan result, 1)
	send := func(r result) {
		select {
		case done <- r:
		default:
		}
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/callback", func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		if subtle.ConstantTimeCompare([]byte(q.Get("state")), []byte(state)) != 1 {
			w.WriteHeader(http.StatusBadRequest)
			fmt.Fprint(w, page("This answer does not belong to the login tusk started; it was ignored."))
			return
		}
		if e := q.Get("error"); e != "" {
			desc := q.Get("error_description")
			if desc == "" {
				desc = e
			}
			fmt.Fprint(w, page("The login was not completed. You can close this tab."))
			send(result{err: fmt.Errorf("the server did not authorize tusk: %s", termtext.Line(desc))})
			return
		}
		code := q.Get("code")
		if code == "" {
			w.WriteHeader(http.StatusBadRequest)
			fmt.Fprint(w, page("The answer carried no code."))
			return
		}
		fmt.Fprint(w, page("tusk is logged in. You can close this tab."))
		send(result{code: code})
	})
	hs := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go hs.Serve(ln)
	return func(ctx context.Context) (string, error) {
		// Let the answer page reach the browser before stopping: Close
		// would cut the connection while the handler is still writing.
		defer func() {
			sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 2*time.Second)
			defer cancel()
			if hs.Shutdown(sctx) != nil {
				hs.Close()
			}
		}()
		select {
		case r := <-done:
			return r.code, r.err
		case <-ctx.Done():
			if errors.Is(ctx.Err(), context.DeadlineExceeded) {
				return "", errors.New("gave up waiting for the authorization; run 'tusk login' again (or use --oob)")
			}
			return "", ctx.Err()
		}
	}
}

func page(msg string) string {
	return "<!doctype html><meta charset=utf-8><title>tusk</title><p style='font:1.2em sans-serif;margin:3em'>" + html.EscapeString(msg) + "</p>"
}

// readLine reads one line from r, giving up when ctx ends.
func readLine(ctx context.Context, r interface{ Read([]byte) (int, error) }) (string, error) {
	ch := make(chan string, 1)
	errc := make(chan error, 1)
	go func() {
		s, err := bufio.NewReader(r).ReadString('\n')
		if err != nil && s == "" {
			errc <- err
			return
		}
		ch <- strings.TrimSpace(s)
	}()
	select {
	case s := <-ch:
		return s, nil
	case err := <-errc:
		return "", err
	case <-ctx.Done():
		return "", ctx.Err()
	}
}

// openBrowser opens a URL with the system's opener.
func openBrowser(u string) error {
	var cmd *exec.Cmd
	switch runtime.GOOS {
	case "darwin":
		cmd = exec.Command("open", u)
	case "windows":
		cmd = exec.Command("rundll32", "url.dll,FileProtocolHandler", u)
	default:
		cmd = exec.Command("xdg-open", u)
	}
	if err := cmd.Start(); err != nil {
		return err
	}
	go cmd.Wait()
	return nil
}

func (a *app) logoutCmd() *cobra.Command {
	var keep bool
	cmd := &cobra.Command{
		Use:     "logout [ACCOUNT]",
		Short:   "Revoke an account's token and forget it",
		Long:    "Revoke the access token of a saved account (the default one when none is named)\non its server, then delete its credential file.",
		Example: "  tusk logout\n  tusk logout alice@mastodon.social",
		Args:    cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			name := a.account
			if len(args) == 1 {
				name = args[0]
			}
			full, err := a.resolveAccount(name)
			if err != nil {
				return err
			}
			c, err := a.savedClient(full)
			if err != nil {
				return err
			}
			revoked := true
			if err := c.OAuth.Revoke(cmd.Context(), ""); err != nil {
				if !errors.Is(err, mastodon.ErrIllegalArgument) && !errors.Is(err, mastodon.ErrUnauthorized) && !errors.Is(err, mastodon.ErrForbidden) {
					return fmt.Errorf("revoking the token of %s (the account is still saved): %w", full, err)
				}
				revoked = false
			}
			if !keep {
				if err := a.removeAccount(full); err != nil {
					return err
				}
			}
			switch {
			case revoked:
				fmt.Fprintf(a.env.Stdout, "Logged out of %s: the token is revoked and forgotten.\n", termtext.Line(full))
			default:
				fmt.Fprintf(a.env.Stdout, "Forgot %s. The server did not revoke the token (it lacked app credentials or was already invalid); you can revoke it in the server's settings.\n", termtext.Line(full))
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&keep, "keep-file", false, "revoke the token but keep the credential file")
	cmd.Flags().MarkHidden("keep-file")
	return cmd
}

func (a *app) accountsCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:     "accounts",
		Short:   "List saved accounts; 'accounts use NAME' sets the default",
		Example: "  tusk accounts\n  tusk accounts use alice@mastodon.social",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			names, def, err := a.savedAccounts()
			if err != nil {
				return err
			}
			if len(names) == 0 {
				a.infof("No saved accounts. Log in with 'tusk login SERVER'.")
				return nil
			}
			for _, n := range names {
				mark := "  "
				if n == def {
					mark = "* "
				}
				if a.jsonOut {
					if err := a.p.JSON(map[string]any{"name": n, "default": n == def}); err != nil {
						return err
					}
					continue
				}
				fmt.Fprintln(a.env.Stdout, mark+termtext.Line(n))
			}
			return nil
		},
	}
	cmd.AddCommand(&cobra.Command{
		Use:     "use NAME",
		Short:   "Make a saved account the default",
		Example: "  tusk accounts use alice@mastodon.social\n  tusk accounts use bob   # a unique prefix or user name is enough",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			full, err := a.resolveAccount(args[0])
			if err != nil {
				return err
			}
			if err := a.setDefault(full); err != nil {
				return err
			}
			fmt.Fprintf(a.env.Stdout, "%s is now the default account.\n", termtext.Line(full))
			return nil
		},
	})
	return cmd
}

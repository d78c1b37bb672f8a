package mastodontest

import (
	"errors"
	"fmt"
	"strings"

	"github.com/tuskgo/mastodon/internal/oauthscope"
)

// Credentials the caller chooses, so that a test suite written for another
// server, with its client id, secret and tokens fixed in its configuration,
// runs unchanged. Reset forgets them with everything else.

// AddApp registers an OAuth application with the client id and secret in
// app (generated when empty), its name, redirect URIs (default the
// out-of-band URI) and scopes (default "read write follow push"). It
// returns the app as registered, or an error when the client id is taken
// or a scope is unknown.
func (s *Server) AddApp(app App) (App, error) {
	if app.Name == "" {
		app.Name = "mastodontest"
	}
	if len(app.RedirectURIs) == 0 {
		app.RedirectURIs = []string{oobURI}
	}
	if len(app.Scopes) == 0 {
		app.Scopes = []string{"read", "write", "follow", "push"}
	}
	scopes := oauthscope.Parse(strings.Join(app.Scopes, " "))
	for _, sc := range scopes {
		if !oauthscope.Valid(sc) {
			return App{}, fmt.Errorf("mastodontest: unknown scope %q", sc)
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.st
	if app.ClientID != "" && st.apps[app.ClientID] != nil {
		return App{}, fmt.Errorf("mastodontest: client id %q is taken", app.ClientID)
	}
	a := st.newApp(app.Name, app.RedirectURIs, scopes, nil)
	if app.ClientID != "" {
		delete(st.apps, a.clientID)
		a.clientID = app.ClientID
		st.apps[a.clientID] = a
	}
	if app.ClientSecret != "" {
		a.clientSecret = app.ClientSecret
	}
	return App{ID: a.id, Name: a.name, ClientID: a.clientID, ClientSecret: a.clientSecret,
		RedirectURIs: a.redirectURIs, Scopes: a.scopes}, nil
}

// AddToken makes token an access token of the account (through the app
// with the given client id, or the built-in test app when clientID is
// empty) with the given scopes (default "read write follow push"). It
// fails when the account or app does not exist, a scope is unknown or the
// token is taken or empty.
func (s *Server) AddToken(accountID, clientID, token string, scopes ...string) error {
	if token == "" {
		return errors.New("mastodontest: empty token")
	}
	if len(scopes) == 0 {
		scopes = []string{"read", "write", "follow", "push"}
	}
	scopes = oauthscope.Parse(strings.Join(scopes, " "))
	for _, sc := range scopes {
		if !oauthscope.Valid(sc) {
			return fmt.Errorf("mastodontest: unknown scope %q", sc)
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.st
	a := st.accounts[accountID]
	if a == nil {
		return fmt.Errorf("mastodontest: no account %q", accountID)
	}
	app := st.testApp()
	if clientID != "" {
		if app = st.apps[clientID]; app == nil {
			return fmt.Errorf("mastodontest: no app with client id %q", clientID)
		}
	}
	if st.tokens[token] != nil {
		return errors.New("mastodontest: the token is taken")
	}
	t := st.newToken(app, a, scopes)
	delete(st.tokens, t.access)
	t.access = token
	st.tokens[token] = t
	return nil
}

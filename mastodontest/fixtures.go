package mastodontest

import (
	"strings"

	"github.com/tuskgo/mastodon/internal/oauthscope"
)

// Account is a snapshot of an account on the server, as tests need it.
type Account struct {
	ID       string
	Username string
	Acct     string // the local acct, equal to Username
	Email    string
	Password string
}

// AccountOption configures CreateAccount.
type AccountOption func(*accountSpec)

type accountSpec struct {
	displayName string
	note        string
	locked      bool
	bot         bool
	admin       bool
	email       string
	password    string
	discover    *bool
}

// Locked makes the account approve followers manually.
func Locked() AccountOption { return func(s *accountSpec) { s.locked = true } }

// Bot marks the account as a bot.
func Bot() AccountOption { return func(s *accountSpec) { s.bot = true } }

// Admin gives the account the Owner role and lets its tokens use admin scopes.
func Admin() AccountOption { return func(s *accountSpec) { s.admin = true } }

// DisplayName sets the display name.
func DisplayName(name string) AccountOption { return func(s *accountSpec) { s.displayName = name } }

// Note sets the profile bio (plain text).
func Note(note string) AccountOption { return func(s *accountSpec) { s.note = note } }

// Password sets the password the OAuth password grant accepts (default
// "password"); the email defaults to username@localhost.
func Password(pw string) AccountOption { return func(s *accountSpec) { s.password = pw } }

// Email sets the account's email address.
func Email(addr string) AccountOption { return func(s *accountSpec) { s.email = addr } }

// CreateAccount adds a local account. Usernames are unique, compared without
// case; creating an existing one returns it unchanged.
func (s *Server) CreateAccount(username string, opts ...AccountOption) Account {
	var spec accountSpec
	for _, o := range opts {
		o(&spec)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	a := s.st.byName[strings.ToLower(username)]
	if a == nil {
		a = s.st.newAccount(username, spec)
	}
	return Account{ID: a.id, Username: a.username, Acct: a.username, Email: a.email, Password: a.password}
}

func (st *store) newAccount(username string, spec accountSpec) *account {
	a := &account{
		id: st.newID(), username: username, displayName: spec.displayName, note: spec.note,
		locked: spec.locked, bot: spec.bot, admin: spec.admin, email: spec.email, password: spec.password,
		createdAt: st.srv.now(), privacy: "public", discoverable: spec.discover, indexable: false,
	}
	if a.email == "" {
		a.email = strings.ToLower(username) + "@localhost"
	}
	if a.password == "" {
		a.password = "password"
	}
	st.accounts[a.id] = a
	st.byName[strings.ToLower(username)] = a
	st.order = append(st.order, a)
	return a
}

func (st *store) firstAccount() *account {
	if len(st.order) == 0 {
		return nil
	}
	return st.order[0]
}

func (st *store) accountByEmail(email string) *account {
	for _, a := range st.order {
		if strings.EqualFold(a.email, email) {
			return a
		}
	}
	return nil
}

// CreateToken issues an access token for the account with the given scopes
// (default "read write follow push"; "admin:read admin:write" are allowed
// too) through the server's built-in test application. It panics when the
// account does not exist or a scope is unknown, as a test helper should.
func (s *Server) CreateToken(accountID string, scopes ...string) string {
	if len(scopes) == 0 {
		scopes = []string{"read", "write", "follow", "push"}
	}
	scopes = oauthscope.Parse(strings.Join(scopes, " "))
	for _, sc := range scopes {
		if !oauthscope.Valid(sc) {
			panic("mastodontest: unknown scope " + sc)
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	a := s.st.accounts[accountID]
	if a == nil {
		panic("mastodontest: CreateToken: no account " + accountID)
	}
	return s.st.newToken(s.st.testApp(), a, scopes).access
}

// CreateAppToken issues an application-only token (as the
// client_credentials grant does), not bound to any account.
func (s *Server) CreateAppToken(scopes ...string) string {
	if len(scopes) == 0 {
		scopes = []string{"read"}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.st.newToken(s.st.testApp(), nil, oauthscope.Parse(strings.Join(scopes, " "))).access
}

// CreateUser is CreateAccount followed by CreateToken with the default scopes.
func (s *Server) CreateUser(username string, opts ...AccountOption) (Account, string) {
	a := s.CreateAccount(username, opts...)
	return a, s.CreateToken(a.ID)
}

// App is a registered OAuth application.
type App struct {
	ID           string
	Name         string
	ClientID     string
	ClientSecret string
	RedirectURIs []string
	Scopes       []string
}

// CreateApp registers an OAuth application, as POST /api/v1/apps does.
func (s *Server) CreateApp(name string, redirectURI string, scopes ...string) App {
	if len(scopes) == 0 {
		scopes = []string{"read", "write", "follow", "push"}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	a := s.st.newApp(name, strings.Fields(redirectURI), oauthscope.Parse(strings.Join(scopes, " ")), nil)
	return App{ID: a.id, Name: a.name, ClientID: a.clientID, ClientSecret: a.clientSecret,
		RedirectURIs: a.redirectURIs, Scopes: a.scopes}
}

func (st *store) testApp() *app {
	if st.defaultApp == nil {
		all := oauthscope.Known()
		st.defaultApp = st.newApp("mastodontest", []string{oobURI}, all, nil)
	}
	return st.defaultApp
}

// AddCustomEmoji makes :shortcode: a custom emoji of the instance.
func (s *Server) AddCustomEmoji(shortcode, category string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	e := customEmoji{shortcode: shortcode, url: s.URL + "/system/custom_emojis/images/" + shortcode + ".png", visible: true}
	if category != "" {
		e.category = &category
	}
	s.st.emojis = append(s.st.emojis, e)
}

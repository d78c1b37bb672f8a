package mastodon

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"golang.org/x/oauth2"

	"github.com/tuskgo/mastodon/internal/oauthscope"
)

// RedirectOOB is the out-of-band redirect URI: the server shows the code
// to the user instead of redirecting.
const RedirectOOB = "urn:ietf:wg:oauth:2.0:oob"

// DefaultScopes are the scopes asked for when none are given, as
// Mastodon.py does.
var DefaultScopes = []string{"read", "write", "follow", "push"}

// ExpandScopes returns scopes with every scope set ("read", "follow",
// "admin:write"…) followed by its members, without duplicates.
func ExpandScopes(scopes []string) []string { return oauthscope.Expand(scopes) }

// ScopesCover reports whether granted scopes include every requested one,
// counting a set ("read") as granting its members ("read:statuses").
func ScopesCover(granted, requested []string) bool { return oauthscope.Cover(granted, requested) }

// ScopeError says a token was granted fewer scopes than asked for. The
// token is still returned alongside it.
type ScopeError struct {
	Requested, Granted []string
}

func (e *ScopeError) Error() string {
	return fmt.Sprintf("mastodon: granted scopes %q do not contain all of the requested scopes %q",
		strings.Join(e.Granted, " "), strings.Join(e.Requested, " "))
}

// Is matches ErrAPI, as Mastodon.py raises MastodonAPIError here.
func (e *ScopeError) Is(target error) bool { return target == ErrAPI }

// CreateAppParams registers an application.
type CreateAppParams struct {
	// ClientName is the app's name, shown to users. Required.
	ClientName string `form:"client_name"`
	// RedirectURIs where users are sent after authorizing (sent one a
	// line); defaults to RedirectOOB.
	RedirectURIs []string `form:"redirect_uris,join=\n"`
	// Scopes the app may ask for (sent space-separated); defaults to
	// DefaultScopes.
	Scopes []string `form:"scopes,join= "`
	// Website is the app's homepage.
	Website string `form:"website"`
}

// Create registers an application and returns its client credentials.
// It needs no token. Save them with WriteClientCredentials.
//
//api:endpoint POST /api/v1/apps
//api:since 0.0.0
//api:changed 4.3.0
func (s *AppsService) Create(ctx context.Context, p *CreateAppParams, opts ...CallOption) (*CredentialApplication, error) {
	if p == nil || strings.TrimSpace(p.ClientName) == "" {
		return nil, illegalArg("Apps.Create: ClientName is required")
	}
	q := *p
	if strings.Join(q.RedirectURIs, "\n") == "" { // as it would be sent
		q.RedirectURIs = []string{RedirectOOB}
	}
	if len(q.Scopes) == 0 {
		q.Scopes = DefaultScopes
	}
	return call[CredentialApplication](ctx, s.c, req{Method: http.MethodPost, Path: "/api/v1/apps", Form: &q, Auth: authNone}, opts)
}

// VerifyCredentials returns the application the token belongs to.
//
//api:endpoint GET /api/v1/apps/verify_credentials
//api:since 2.0.0
//api:changed 4.3.0
func (s *AppsService) VerifyCredentials(ctx context.Context, opts ...CallOption) (*Application, error) {
	return call[Application](ctx, s.c, req{Method: http.MethodGet, Path: "/api/v1/apps/verify_credentials"}, opts)
}

// AuthorizeParams builds an authorization URL.
type AuthorizeParams struct {
	// RedirectURI must be one of the app's; defaults to RedirectOOB.
	RedirectURI string
	// Scopes to ask for; defaults to DefaultScopes.
	Scopes []string
	// State is echoed back on the redirect; a random one is made when
	// empty. Check it when the user comes back.
	State string
	// ForceLogin asks the user to log in even when a session exists.
	ForceLogin bool
	// Lang is the language of the authorization page (ISO 639).
	Lang string
	// DisablePKCE leaves out the PKCE challenge, for servers older than
	// Mastodon 4.3 that reject it (they ignore it, in practice).
	DisablePKCE bool
}

// AuthorizeRequest is an authorization URL and what the caller keeps to
// finish the flow.
type AuthorizeRequest struct {
	URL          string
	State        string
	CodeVerifier string // pass to ExchangeCode; empty without PKCE
	RedirectURI  string
}

// AuthorizeURL returns the URL to send the user to for the authorization
// code flow, with a PKCE S256 challenge and a state. It sends nothing.
//
//api:endpoint GET /oauth/authorize
//api:since 0.1.0
//api:changed 4.3.0
func (s *OAuthService) AuthorizeURL(p *AuthorizeParams) (*AuthorizeRequest, error) {
	if s.c.cfg.clientID == "" {
		return nil, illegalArg("OAuth.AuthorizeURL: the client has no client id (WithClientCredentials)")
	}
	var ap AuthorizeParams
	if p != nil {
		ap = *p
	}
	if ap.RedirectURI == "" {
		ap.RedirectURI = s.c.appRedirectURI()
	}
	if len(ap.Scopes) == 0 {
		ap.Scopes = DefaultScopes
	}
	if ap.State == "" {
		ap.State = randomToken(16)
	}
	if ap.Lang != "" && !validLang(ap.Lang) {
		return nil, illegalArg(fmt.Sprintf("OAuth.AuthorizeURL: %q is not an ISO 639 code", ap.Lang))
	}
	q := url.Values{}
	q.Set("client_id", s.c.cfg.clientID)
	q.Set("response_type", "code")
	q.Set("redirect_uri", ap.RedirectURI)
	q.Set("scope", strings.Join(ap.Scopes, " "))
	q.Set("state", ap.State)
	if ap.ForceLogin {
		q.Set("force_login", "true")
	}
	if ap.Lang != "" {
		q.Set("lang", ap.Lang)
	}
	out := &AuthorizeRequest{State: ap.State, RedirectURI: ap.RedirectURI}
	if !ap.DisablePKCE {
		out.CodeVerifier = randomToken(32)
		q.Set("code_challenge", pkceChallenge(out.CodeVerifier))
		q.Set("code_challenge_method", "S256")
	}
	out.URL = s.c.base.String() + "/oauth/authorize?" + q.Encode()
	return out, nil
}

// randomToken returns n random bytes as unpadded URL-safe base64; with
// n = 32 it is a valid PKCE verifier (43 characters).
func randomToken(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// pkceChallenge is the S256 challenge of a verifier (RFC 7636 §4.2).
func pkceChallenge(verifier string) string {
	sum := sha256.Sum256([]byte(verifier))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

// TokenParams are the optional parts of a token request.
type TokenParams struct {
	// RedirectURI must match the one used to authorize (code flow);
	// defaults to the client's (WithRedirectURI), else RedirectOOB. Every
	// grant sends one, the refresh and client credentials grants too.
	RedirectURI string
	// Scopes to ask for; defaults to DefaultScopes.
	Scopes []string
}

type tokenForm struct {
	GrantType    string `form:"grant_type"`
	Code         string `form:"code"`
	CodeVerifier string `form:"code_verifier"`
	Username     string `form:"username"`
	Password     string `form:"password"`
	RefreshToken string `form:"refresh_token"`
	RedirectURI  string `form:"redirect_uri"`
	ClientID     string `form:"client_id"`
	ClientSecret string `form:"client_secret"`
	Scope        string `form:"scope"`
}

// ExchangeCode trades an authorization code (and the PKCE verifier from
// AuthorizeURL, if any) for a user token. On success the client is not
// changed; make a new one with WithAccessToken or Client.WithToken.
//
//api:endpoint POST /oauth/token
//api:since 0.1.0
func (s *OAuthService) ExchangeCode(ctx context.Context, code, codeVerifier string, p *TokenParams, opts ...CallOption) (*Token, error) {
	if code == "" {
		return nil, illegalArg("OAuth.ExchangeCode: empty code")
	}
	f, scopes, err := s.tokenForm("authorization_code", p)
	if err != nil {
		return nil, err
	}
	f.Code, f.CodeVerifier = code, codeVerifier
	return s.token(ctx, f, scopes, opts)
}

// PasswordGrant logs in with a user's e-mail and password. Mastodon 4.4
// and later refuse this grant; use the code flow.
//
//api:endpoint POST /oauth/token
//api:since 0.1.0
func (s *OAuthService) PasswordGrant(ctx context.Context, username, password string, p *TokenParams, opts ...CallOption) (*Token, error) {
	if username == "" || password == "" {
		return nil, illegalArg("OAuth.PasswordGrant: username and password are required")
	}
	f, scopes, err := s.tokenForm("password", p)
	if err != nil {
		return nil, err
	}
	f.Username, f.Password = username, password
	return s.token(ctx, f, scopes, opts)
}

// RefreshToken trades a refresh token for a new access token.
//
//api:endpoint POST /oauth/token
//api:since 0.1.0
func (s *OAuthService) RefreshToken(ctx context.Context, refreshToken string, p *TokenParams, opts ...CallOption) (*Token, error) {
	if refreshToken == "" {
		return nil, illegalArg("OAuth.RefreshToken: empty refresh token")
	}
	f, scopes, err := s.tokenForm("refresh_token", p)
	if err != nil {
		return nil, err
	}
	f.RefreshToken = refreshToken
	return s.token(ctx, f, scopes, opts)
}

// ClientCredentials gets an app token (no user), for registering accounts
// and other app-level calls. Like every token grant it sends redirect_uri
// (WithRedirectURI's, else RedirectOOB): Mastodon's documentation lists it as required and
// GoToSocial refuses a grant without it.
//
//api:endpoint POST /oauth/token
//api:since 0.1.0
func (s *OAuthService) ClientCredentials(ctx context.Context, p *TokenParams, opts ...CallOption) (*Token, error) {
	f, sc, err := s.tokenForm("client_credentials", p)
	if err != nil {
		return nil, err
	}
	return s.token(ctx, f, sc, opts)
}

// appRedirectURI is the redirect URI sent when a call names none: the
// one given with WithRedirectURI, else RedirectOOB.
func (c *Client) appRedirectURI() string {
	if c.cfg.redirectURI != "" {
		return c.cfg.redirectURI
	}
	return RedirectOOB
}

func (s *OAuthService) tokenForm(grant string, p *TokenParams) (*tokenForm, []string, error) {
	if s.c.cfg.clientID == "" || s.c.cfg.clientSecret == "" {
		return nil, nil, illegalArg("OAuth: the client has no client id and secret (WithClientCredentials)")
	}
	var tp TokenParams
	if p != nil {
		tp = *p
	}
	if tp.RedirectURI == "" {
		tp.RedirectURI = s.c.appRedirectURI()
	}
	scopes := tp.Scopes
	if len(scopes) == 0 {
		scopes = DefaultScopes
	}
	return &tokenForm{
		GrantType:    grant,
		RedirectURI:  tp.RedirectURI,
		ClientID:     s.c.cfg.clientID,
		ClientSecret: s.c.cfg.clientSecret,
		Scope:        strings.Join(scopes, " "),
	}, scopes, nil
}

// token posts a grant and checks the granted scopes. Grants never carry
// the user token; errors never carry the form (it holds secrets).
func (s *OAuthService) token(ctx context.Context, f *tokenForm, scopes []string, opts []CallOption) (*Token, error) {
	t, err := call[Token](ctx, s.c, req{Method: http.MethodPost, Path: "/oauth/token", Form: f, Auth: authNone}, opts)
	if err != nil {
		return nil, err
	}
	if t.Scope != "" {
		granted := strings.Fields(t.Scope)
		if !ScopesCover(granted, scopes) {
			return t, &ScopeError{Requested: scopes, Granted: granted}
		}
	}
	return t, nil
}

// Expiry returns when the token expires, or the zero time when the server
// gave no expires_in (Mastodon's tokens do not expire).
func (t *Token) Expiry() time.Time {
	if t == nil || t.ExpiresIn <= 0 {
		return time.Time{}
	}
	created := time.Unix(int64(t.CreatedAt), 0)
	if t.CreatedAt == 0 {
		created = time.Now()
	}
	return created.Add(time.Duration(t.ExpiresIn) * time.Second)
}

type revokeForm struct {
	ClientID     string `form:"client_id"`
	ClientSecret string `form:"client_secret"`
	Token        string `form:"token"`
}

// Revoke invalidates a token. With an empty token it revokes the
// client's own access token.
//
//api:endpoint POST /oauth/revoke
//api:since 0.1.0
func (s *OAuthService) Revoke(ctx context.Context, token string, opts ...CallOption) error {
	if s.c.cfg.clientID == "" || s.c.cfg.clientSecret == "" {
		return illegalArg("OAuth.Revoke: client id and secret are required (WithClientCredentials)")
	}
	if token == "" {
		t, err := s.c.accessToken(ctx)
		if err != nil {
			return err
		}
		token = t
	}
	if token == "" {
		return illegalArg("OAuth.Revoke: no token to revoke")
	}
	f := &revokeForm{ClientID: s.c.cfg.clientID, ClientSecret: s.c.cfg.clientSecret, Token: token}
	return callNoContent(ctx, s.c, req{Method: http.MethodPost, Path: "/oauth/revoke", Form: f, Auth: authNone}, opts)
}

// OAuthServerMetadata is the server's RFC 8414 authorization server
// metadata (Mastodon 4.3+).
type OAuthServerMetadata struct {
	Issuer                            string   `json:"issuer"`
	AuthorizationEndpoint             string   `json:"authorization_endpoint"`
	TokenEndpoint                     string   `json:"token_endpoint"`
	RevocationEndpoint                string   `json:"revocation_endpoint"`
	UserinfoEndpoint                  string   `json:"userinfo_endpoint"`
	ScopesSupported                   []string `json:"scopes_supported"`
	ResponseTypesSupported            []string `json:"response_types_supported"`
	ResponseModesSupported            []string `json:"response_modes_supported"`
	GrantTypesSupported               []string `json:"grant_types_supported"`
	TokenEndpointAuthMethodsSupported []string `json:"token_endpoint_auth_methods_supported"`
	CodeChallengeMethodsSupported     []string `json:"code_challenge_methods_supported"`
	ServiceDocumentation              string   `json:"service_documentation"`
	AppRegistrationEndpoint           string   `json:"app_registration_endpoint"`
}

// SupportsPKCE reports whether the server advertises S256 PKCE.
func (m *OAuthServerMetadata) SupportsPKCE() bool {
	return m != nil && slices.Contains(m.CodeChallengeMethodsSupported, "S256")
}

// ServerMetadata fetches the OAuth server metadata. Servers older than
// Mastodon 4.3 (and other families) may lack it: their answer (a 404,
// ErrNotFound) is returned as it is, never metadata made up for them. The
// classic endpoints /oauth/authorize, /oauth/token and /oauth/revoke work
// on every Mastodon version without discovery.
//
//api:endpoint GET /.well-known/oauth-authorization-server
//api:since 4.3.0
func (s *OAuthService) ServerMetadata(ctx context.Context, opts ...CallOption) (*OAuthServerMetadata, error) {
	return call[OAuthServerMetadata](ctx, s.c, req{Method: http.MethodGet, Path: "/.well-known/oauth-authorization-server", Auth: authNone, NoVersionCheck: true}, opts)
}

// UserInfo returns the OpenID Connect userinfo of the token's user
// (Mastodon 4.4+, needs the profile scope).
//
//api:endpoint GET /oauth/userinfo
//api:since 4.4.0
func (s *OAuthService) UserInfo(ctx context.Context, opts ...CallOption) (*OAuthUserInfo, error) {
	return call[OAuthUserInfo](ctx, s.c, req{Method: http.MethodGet, Path: "/oauth/userinfo"}, opts)
}

// Config returns an golang.org/x/oauth2 configuration for the app, so the
// x/oauth2 flows (and its token sources, via WithTokenSource) work with
// this server.
//
//api:endpoint GET /oauth/authorize
//api:endpoint POST /oauth/token
//api:since 0.1.0
func (s *OAuthService) Config(redirectURI string, scopes ...string) *oauth2.Config {
	if redirectURI == "" {
		redirectURI = RedirectOOB
	}
	if len(scopes) == 0 {
		scopes = DefaultScopes
	}
	b := s.c.base.String()
	return &oauth2.Config{
		ClientID:     s.c.cfg.clientID,
		ClientSecret: s.c.cfg.clientSecret,
		RedirectURL:  redirectURI,
		Scopes:       slices.Clone(scopes),
		Endpoint: oauth2.Endpoint{
			AuthURL:   b + "/oauth/authorize",
			TokenURL:  b + "/oauth/token",
			AuthStyle: oauth2.AuthStyleInParams,
		},
	}
}

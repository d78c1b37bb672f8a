package mastodontest

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"html"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/tuskgo/mastodon/internal/oauthscope"
)

const oobURI = "urn:ietf:wg:oauth:2.0:oob"

// vapidKey is a fixed P-256 public key reported as the server's VAPID key.
const vapidKey = "BCk-QqERU0q-CfYZjcuB6lnyyOYfJ2AifKqfeGIm7Z-HiTU5T9eTG5GxVA0_OH5mMlI4UkkDTpaZwozy0TzdZ2M="

func oauthErr(code int, name, desc string) *apiError {
	return &apiError{code: code, msg: name, desc: desc}
}

var (
	errInvalidClient = oauthErr(401, "invalid_client", "Client authentication failed due to unknown client, no client authentication included, or unsupported authentication method.")
	errInvalidGrant  = oauthErr(400, "invalid_grant", "The provided authorization grant is invalid, expired, revoked, does not match the redirection URI used in the authorization request, or was issued to another client.")
	errInvalidScope  = oauthErr(400, "invalid_scope", "The requested scope is invalid, unknown, or malformed.")
	errBadGrantType  = oauthErr(400, "unsupported_grant_type", "The authorization grant type is not supported by the authorization server.")
)

type jsonApp struct {
	ID                    string   `json:"id"`
	Name                  string   `json:"name"`
	Website               *string  `json:"website"`
	Scopes                []string `json:"scopes"`
	RedirectURIs          []string `json:"redirect_uris"`
	VAPIDKey              string   `json:"vapid_key"`
	RedirectURI           string   `json:"redirect_uri"`
	ClientID              string   `json:"client_id,omitempty"`
	ClientSecret          string   `json:"client_secret,omitempty"`
	ClientSecretExpiresAt *int     `json:"client_secret_expires_at,omitempty"`
}

func renderApp(a *app, secrets bool) jsonApp {
	j := jsonApp{ID: a.id, Name: a.name, Website: a.website, Scopes: a.scopes, RedirectURIs: a.redirectURIs,
		VAPIDKey: vapidKey, RedirectURI: strings.Join(a.redirectURIs, "\n")}
	if secrets {
		j.ClientID, j.ClientSecret, j.ClientSecretExpiresAt = a.clientID, a.clientSecret, ptr(0)
	}
	return j
}

func (st *store) newApp(name string, redirect []string, scopes []string, website *string) *app {
	a := &app{id: st.nextSeq("app"), name: name, redirectURIs: redirect, scopes: scopes, website: website,
		clientID: randomToken()[:43], clientSecret: randomToken()[:43], createdAt: st.srv.now()}
	st.apps[a.clientID] = a
	return a
}

func (st *store) newToken(a *app, acct *account, scopes []string) *token {
	t := &token{access: randomToken()[:43], app: a, account: acct, scopes: scopes, createdAt: st.srv.now()}
	if acct != nil {
		t.refresh = randomToken()[:43]
		st.refresh[t.refresh] = t
	}
	st.tokens[t.access] = t
	return t
}

func (s *Server) oauthRoutes() {
	s.handle("POST /api/v1/apps", route{h: s.createApp})
	s.handle("GET /api/v1/apps/verify_credentials", route{need: anyToken, h: func(c *call) (result, *apiError) {
		if c.tok.app == nil {
			return result{}, errInvalidToken
		}
		return ok(renderApp(c.tok.app, false)), nil
	}})
	s.handle("GET /oauth/authorize", route{h: s.authorize})
	s.handle("POST /oauth/authorize", route{h: s.authorize})
	s.handle("GET /oauth/authorize/native", route{h: func(c *call) (result, *apiError) {
		code := html.EscapeString(c.p.str("code"))
		page := "<!DOCTYPE html><html><head><title>Authorization code</title></head><body>" +
			"<p>Copy this authorization code and paste it into the application.</p>" +
			`<input class="oauth-code" readonly type="text" value="` + code + `"></body></html>`
		return result{code: 200, raw: []byte(page), ct: "text/html; charset=utf-8"}, nil
	}})
	s.handle("POST /oauth/token", route{h: s.tokenGrant})
	s.handle("POST /oauth/revoke", route{h: s.revoke})
	s.handle("GET /.well-known/oauth-authorization-server", route{h: s.oauthMetadata})
	s.handle("GET /oauth/userinfo", route{need: userToken, scopes: []string{"profile", "read", "read:accounts"}, h: s.userinfo})
	s.handle("POST /oauth/userinfo", route{need: userToken, scopes: []string{"profile", "read", "read:accounts"}, h: s.userinfo})
}

func (s *Server) createApp(c *call) (result, *apiError) {
	name := strings.TrimSpace(c.p.str("client_name"))
	if name == "" {
		return result{}, validation("name", "ERR_BLANK", "can't be blank", "Application name can't be blank")
	}
	var redirects []string
	for _, r := range c.p.strs("redirect_uris") {
		redirects = append(redirects, strings.Fields(r)...)
	}
	if len(redirects) == 0 {
		return result{}, validation("redirect_uri", "ERR_BLANK", "can't be blank", "Redirect URI can't be blank")
	}
	for _, r := range redirects {
		if r == oobURI {
			continue
		}
		u, err := url.Parse(r)
		if err != nil || u.Scheme == "" || u.Fragment != "" {
			return result{}, validation("redirect_uri", "ERR_INVALID", "must be an absolute URI.", "Redirect URI must be an absolute URI.")
		}
	}
	scopes := []string{"read"}
	if v := c.p.strs("scopes"); len(v) > 0 {
		scopes = oauthscope.Parse(strings.Join(v, " "))
	}
	for _, sc := range scopes {
		if !oauthscope.Valid(sc) {
			return result{}, validation("scopes", "ERR_INVALID", "are invalid", "Scopes are invalid")
		}
	}
	var website *string
	if w := c.p.str("website"); w != "" {
		website = &w
	}
	a := c.st.newApp(name, redirects, scopes, website)
	return ok(renderApp(a, true)), nil
}

// clientAuth finds the app from client_id/client_secret in the body or
// HTTP Basic credentials.
func (c *call) clientAuth() (*app, bool) {
	id, secret := c.p.str("client_id"), c.p.str("client_secret")
	if u, p, ok := c.r.BasicAuth(); ok {
		id, secret = u, p
	}
	a := c.st.apps[id]
	if a == nil {
		return nil, false
	}
	return a, subtle.ConstantTimeCompare([]byte(secret), []byte(a.clientSecret)) == 1
}

// AuthorizeAs sets the account /oauth/authorize signs in and approves for.
// By default it is the first account created.
func (s *Server) AuthorizeAs(accountID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.st.authAs = accountID
}

func (s *Server) authorize(c *call) (result, *apiError) {
	a := c.st.apps[c.p.str("client_id")]
	if a == nil {
		return htmlError(401, "The client identifier provided is invalid."), nil
	}
	redirect := c.p.str("redirect_uri")
	if redirect == "" && len(a.redirectURIs) == 1 {
		redirect = a.redirectURIs[0]
	}
	if !slices.Contains(a.redirectURIs, redirect) {
		return htmlError(400, "The redirect URI included is not valid."), nil
	}
	fail := func(name, desc string) (result, *apiError) {
		if redirect == oobURI {
			return htmlError(400, desc), nil
		}
		q := url.Values{"error": {name}, "error_description": {desc}}
		if st := c.p.str("state"); st != "" {
			q.Set("state", st)
		}
		return redirectTo(redirect, q), nil
	}
	if c.p.str("response_type") != "code" {
		return fail("unsupported_response_type", "The authorization server does not support this response type.")
	}
	scopes := a.scopes
	if sc := c.p.str("scope"); sc != "" {
		scopes = oauthscope.Parse(sc)
	}
	if len(scopes) == 0 || !oauthscope.Cover(a.scopes, scopes) {
		return fail("invalid_scope", errInvalidScope.desc)
	}
	challenge, method := c.p.str("code_challenge"), c.p.str("code_challenge_method")
	if challenge != "" && method != "S256" {
		return fail("invalid_request", "Invalid code_challenge_method: only S256 is supported.")
	}
	acct := c.st.accounts[c.st.authAs]
	if acct == nil {
		acct = c.st.firstAccount()
	}
	if acct == nil {
		acct = c.st.newAccount("admin", accountSpec{admin: true})
	}
	code := &authCode{code: randomToken()[:43], app: a, redirectURI: redirect, scopes: scopes, account: acct,
		challenge: challenge, method: method, expires: c.s.now().Add(10 * time.Minute)}
	c.st.codes[code.code] = code
	c.st.capCodes()
	if redirect == oobURI {
		return redirectTo("/oauth/authorize/native", url.Values{"code": {code.code}}), nil
	}
	q := url.Values{"code": {code.code}}
	if st := c.p.str("state"); st != "" {
		q.Set("state", st)
	}
	return redirectTo(redirect, q), nil
}

func redirectTo(target string, q url.Values) result {
	u, err := url.Parse(target)
	if err != nil {
		return htmlError(400, "The redirect URI included is not valid.")
	}
	existing := u.Query()
	for k, v := range q {
		existing[k] = v
	}
	u.RawQuery = existing.Encode()
	return result{code: http.StatusFound, raw: []byte{}, ct: "text/html; charset=utf-8", location: u.String()}
}

func htmlError(code int, msg string) result {
	page := "<!DOCTYPE html><html><head><title>An error has occurred</title></head><body><h1>An error has occurred</h1><p>" +
		html.EscapeString(msg) + "</p></body></html>"
	return result{code: code, raw: []byte(page), ct: "text/html; charset=utf-8"}
}

type jsonToken struct {
	AccessToken  string `json:"access_token"`
	TokenType    string `json:"token_type"`
	Scope        string `json:"scope"`
	CreatedAt    int64  `json:"created_at"`
	RefreshToken string `json:"refresh_token,omitempty"`
}

func renderToken(t *token) jsonToken {
	return jsonToken{AccessToken: t.access, TokenType: "Bearer", Scope: strings.Join(t.scopes, " "),
		CreatedAt: t.createdAt.Unix(), RefreshToken: t.refresh}
}

func (s *Server) tokenGrant(c *call) (result, *apiError) {
	a, authed := c.clientAuth()
	grant := c.p.str("grant_type")
	if grant == "" {
		return result{}, oauthErr(400, "invalid_request", "Missing required parameter: grant_type.")
	}
	if a == nil || !authed {
		return result{}, errInvalidClient
	}
	requested := func(def []string) ([]string, *apiError) {
		sc := c.p.str("scope")
		if sc == "" {
			return def, nil
		}
		scopes := oauthscope.Parse(sc)
		if !oauthscope.Cover(a.scopes, scopes) {
			return nil, errInvalidScope
		}
		return scopes, nil
	}
	switch grant {
	case "authorization_code":
		code := c.st.codes[c.p.str("code")]
		if code == nil || code.app != a || c.s.now().After(code.expires) {
			return result{}, errInvalidGrant
		}
		if r := c.p.str("redirect_uri"); r != "" && r != code.redirectURI {
			return result{}, errInvalidGrant
		}
		if code.challenge != "" {
			v := c.p.str("code_verifier")
			if v == "" {
				return result{}, oauthErr(400, "invalid_request", "Missing required parameter: code_verifier.")
			}
			sum := sha256.Sum256([]byte(v))
			if subtle.ConstantTimeCompare([]byte(base64.RawURLEncoding.EncodeToString(sum[:])), []byte(code.challenge)) != 1 {
				return result{}, errInvalidGrant
			}
		}
		delete(c.st.codes, code.code)
		return ok(renderToken(c.st.newToken(a, code.account, code.scopes))), nil
	case "password":
		if !s.cfg.passwordGrant {
			return result{}, errBadGrantType
		}
		scopes, err := requested(a.scopes)
		if err != nil {
			return result{}, err
		}
		user := c.p.str("username")
		acct := c.st.accountByEmail(user)
		if acct == nil {
			acct = c.st.accountByAcct(user)
		}
		if acct == nil || acct.password == "" || subtle.ConstantTimeCompare([]byte(acct.password), []byte(c.p.str("password"))) != 1 {
			return result{}, errInvalidGrant
		}
		return ok(renderToken(c.st.newToken(a, acct, scopes))), nil
	case "refresh_token":
		old := c.st.refresh[c.p.str("refresh_token")]
		if old == nil || old.app != a {
			return result{}, errInvalidGrant
		}
		delete(c.st.refresh, old.refresh)
		delete(c.st.tokens, old.access)
		return ok(renderToken(c.st.newToken(a, old.account, old.scopes))), nil
	case "client_credentials":
		scopes, err := requested([]string{"read"})
		if err != nil {
			return result{}, err
		}
		return ok(renderToken(c.st.newToken(a, nil, scopes))), nil
	}
	return result{}, errBadGrantType
}

func (s *Server) revoke(c *call) (result, *apiError) {
	a, authed := c.clientAuth()
	if a == nil || !authed {
		return result{}, oauthErr(403, "unauthorized_client", "You are not authorized to revoke this token")
	}
	tok := c.p.str("token")
	t := c.st.tokens[tok]
	if t == nil {
		t = c.st.refresh[tok]
	}
	if t != nil {
		if t.app != a {
			return result{}, oauthErr(403, "unauthorized_client", "You are not authorized to revoke this token")
		}
		delete(c.st.tokens, t.access)
		delete(c.st.refresh, t.refresh)
		s.hub.dropToken(t.access)
	}
	return ok(nil), nil
}

func (s *Server) oauthMetadata(c *call) (result, *apiError) {
	u := s.URL
	return ok(map[string]any{
		"issuer":                                u + "/",
		"service_documentation":                 "https://docs.joinmastodon.org/",
		"authorization_endpoint":                u + "/oauth/authorize",
		"token_endpoint":                        u + "/oauth/token",
		"revocation_endpoint":                   u + "/oauth/revoke",
		"userinfo_endpoint":                     u + "/oauth/userinfo",
		"app_registration_endpoint":             u + "/api/v1/apps",
		"scopes_supported":                      oauthscope.Known(),
		"response_types_supported":              []string{"code"},
		"response_modes_supported":              []string{"query", "fragment", "form_post"},
		"code_challenge_methods_supported":      []string{"S256"},
		"grant_types_supported":                 grantTypes(s.cfg.passwordGrant),
		"token_endpoint_auth_methods_supported": []string{"client_secret_basic", "client_secret_post"},
	}), nil
}

func (s *Server) userinfo(c *call) (result, *apiError) {
	a := c.me
	j := c.st.renderAccount(a, a)
	return ok(map[string]any{
		"iss":                s.URL + "/",
		"sub":                j.URI,
		"name":               a.displayName,
		"preferred_username": a.username,
		"profile":            j.URL,
		"picture":            j.Avatar,
	}), nil
}

func grantTypes(password bool) []string {
	if password {
		return []string{"authorization_code", "password", "client_credentials", "refresh_token"}
	}
	return []string{"authorization_code", "client_credentials", "refresh_token"}
}

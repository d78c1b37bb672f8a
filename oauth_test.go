package mastodon

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/tuskgo/mastodon/internal/corpus"
)

func oauthReplay(cases *replayTable) {
	cases.add("POST /api/v1/apps", func(ctx context.Context, c *Client, it *corpus.Interaction) error {
		p := &CreateAppParams{ClientName: rform(it, "client_name"), Scopes: strings.Fields(rform(it, "scopes")),
			RedirectURIs: strings.Split(rform(it, "redirect_uris"), "\n"), Website: rform(it, "website")}
		_, err := c.Apps.Create(ctx, p)
		return err
	})
	cases.add("GET /api/v1/apps/verify_credentials", func(ctx context.Context, c *Client, it *corpus.Interaction) error {
		_, err := c.Apps.VerifyCredentials(ctx)
		return err
	})
	cases.add("POST /oauth/token", func(ctx context.Context, c *Client, it *corpus.Interaction) error {
		c2, err := newScannedClient(c.BaseURL(), WithClientCredentials(rform(it, "client_id"), rform(it, "client_secret")))
		if err != nil {
			return err
		}
		scopes := strings.Fields(rform(it, "scope"))
		switch rform(it, "grant_type") {
		case "client_credentials":
			_, err = c2.OAuth.ClientCredentials(ctx, &TokenParams{Scopes: scopes})
		case "password":
			_, err = c2.OAuth.PasswordGrant(ctx, rform(it, "username"), rform(it, "password"),
				&TokenParams{Scopes: scopes, RedirectURI: rform(it, "redirect_uri")})
		case "authorization_code":
			_, err = c2.OAuth.ExchangeCode(ctx, rform(it, "code"), rform(it, "code_verifier"),
				&TokenParams{Scopes: scopes, RedirectURI: rform(it, "redirect_uri")})
		default:
			return fmt.Errorf("unknown grant %q", rform(it, "grant_type"))
		}
		return err
	})
	cases.add("POST /oauth/revoke", func(ctx context.Context, c *Client, it *corpus.Interaction) error {
		c2, err := newScannedClient(c.BaseURL(), WithClientCredentials(rform(it, "client_id"), rform(it, "client_secret")))
		if err != nil {
			return err
		}
		return c2.OAuth.Revoke(ctx, rform(it, "token"))
	})
	cases.add("GET /.well-known/oauth-authorization-server", func(ctx context.Context, c *Client, it *corpus.Interaction) error {
		m, err := c.OAuth.ServerMetadata(ctx)
		if err == nil && m.TokenEndpoint == "" {
			return errors.New("no token endpoint decoded")
		}
		return err
	})
	// Mastodon.py's password flow sends its discovery document's keys as
	// oauth_info; Tusk does not copy that.
	cases.ignoredParams["oauth_info"] = true
	// Discovery and revocation need no user token (revocation
	// authenticates the client with its id and secret).
	cases.noAuth["GET /.well-known/oauth-authorization-server"] = true
	cases.noAuth["POST /oauth/revoke"] = true
	cases.add("GET /api/v2/instance", func(ctx context.Context, c *Client, it *corpus.Interaction) error {
		_, err := c.Instance.Get(ctx)
		return err
	})
	cases.add("GET /api/v1/instance", func(ctx context.Context, c *Client, it *corpus.Interaction) error {
		_, err := c.Instance.GetV1(ctx)
		return err
	})
}

func oauthClient(t *testing.T) (*Client, *http.ServeMux) {
	c, mux, _ := setup(t)
	c2, err := newScannedClient(c.BaseURL(), WithClientCredentials("cid", "csecret-SECRET"), WithRetryPolicy(RetryPolicy{}))
	if err != nil {
		t.Fatal(err)
	}
	return c2, mux
}

func TestAppsCreate(t *testing.T) {
	c, mux := oauthClient(t)
	mux.HandleFunc("/api/v1/apps", func(w http.ResponseWriter, r *http.Request) {
		testMethod(t, r, "POST")
		testHeader(t, r, "Authorization", "")
		testForm(t, r, "client_name=tusk+test&scopes=read+write%3Astatuses&redirect_uris=http%3A%2F%2F127.0.0.1%3A8080%2Fcb%0Aurn%3Aietf%3Awg%3Aoauth%3A2.0%3Aoob&website=https%3A%2F%2Fexample.org")
		fmt.Fprint(w, `{"id":"3","name":"tusk test","website":"https://example.org","scopes":["read","write:statuses"],"redirect_uris":["http://127.0.0.1:8080/cb","urn:ietf:wg:oauth:2.0:oob"],"redirect_uri":"http://127.0.0.1:8080/cb\nurn:ietf:wg:oauth:2.0:oob","vapid_key":"BAhx","client_id":"4xoC","client_secret":"bzUz","client_secret_expires_at":0}`)
	})
	app, err := c.Apps.Create(context.Background(), &CreateAppParams{ClientName: "tusk test", Scopes: []string{"read", "write:statuses"},
		RedirectURIs: []string{"http://127.0.0.1:8080/cb", RedirectOOB}, Website: "https://example.org"})
	if err != nil {
		t.Fatal(err)
	}
	if app.ClientID != "4xoC" || app.ClientSecret != "bzUz" || app.Name != "tusk test" || len(app.RedirectURIs) != 2 {
		t.Errorf("app = %+v", app)
	}
	if _, err := c.Apps.Create(context.Background(), &CreateAppParams{}); !errors.Is(err, ErrIllegalArgument) {
		t.Errorf("no name: %v", err)
	}
}

func TestAuthorizeURLWithPKCE(t *testing.T) {
	c, _ := oauthClient(t)
	ar, err := c.OAuth.AuthorizeURL(&AuthorizeParams{RedirectURI: "http://127.0.0.1:9/cb", Scopes: []string{"read", "profile"}, ForceLogin: true, Lang: "de"})
	if err != nil {
		t.Fatal(err)
	}
	u, err := url.Parse(ar.URL)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	if u.Path != "/oauth/authorize" || q.Get("client_id") != "cid" || q.Get("response_type") != "code" ||
		q.Get("redirect_uri") != "http://127.0.0.1:9/cb" || q.Get("scope") != "read profile" || q.Get("force_login") != "true" ||
		q.Get("lang") != "de" || q.Get("state") != ar.State || len(ar.State) < 16 {
		t.Errorf("authorize URL = %s", ar.URL)
	}
	if q.Get("code_challenge_method") != "S256" || q.Get("code_challenge") != pkceChallenge(ar.CodeVerifier) || len(ar.CodeVerifier) < 43 {
		t.Errorf("PKCE: %s verifier %q", ar.URL, ar.CodeVerifier)
	}
	if strings.Contains(ar.URL, "csecret") {
		t.Error("the client secret is in the authorize URL")
	}
	// RFC 7636 Appendix B vector.
	if got := pkceChallenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"); got != "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM" {
		t.Errorf("pkceChallenge = %s", got)
	}
	ar2, _ := c.OAuth.AuthorizeURL(&AuthorizeParams{State: "given", DisablePKCE: true})
	if ar2.State != "given" || ar2.CodeVerifier != "" || strings.Contains(ar2.URL, "code_challenge") {
		t.Errorf("without PKCE: %+v", ar2)
	}
	anon, _ := newScannedClient(c.BaseURL())
	if _, err := anon.OAuth.AuthorizeURL(nil); !errors.Is(err, ErrIllegalArgument) {
		t.Errorf("no client id: %v", err)
	}
}

func TestTokenGrants(t *testing.T) {
	c, mux := oauthClient(t)
	var lastForm url.Values
	mux.HandleFunc("/oauth/token", func(w http.ResponseWriter, r *http.Request) {
		testMethod(t, r, "POST")
		testHeader(t, r, "Authorization", "")
		r.ParseForm()
		lastForm = r.PostForm
		scope := r.PostForm.Get("scope")
		if r.PostForm.Get("grant_type") == "password" {
			scope = "read" // grants less than asked
		}
		fmt.Fprintf(w, `{"access_token":"new-token","token_type":"Bearer","scope":%q,"created_at":1755362087,"refresh_token":"rt-1","expires_in":3600}`, scope)
	})
	ctx := context.Background()
	tok, err := c.OAuth.ExchangeCode(ctx, "the-code", "the-verifier", &TokenParams{RedirectURI: "http://127.0.0.1:9/cb", Scopes: []string{"read", "write"}})
	if err != nil {
		t.Fatal(err)
	}
	want := url.Values{"grant_type": {"authorization_code"}, "code": {"the-code"}, "code_verifier": {"the-verifier"},
		"redirect_uri": {"http://127.0.0.1:9/cb"}, "client_id": {"cid"}, "client_secret": {"csecret-SECRET"}, "scope": {"read write"}}
	if lastForm.Encode() != want.Encode() {
		t.Errorf("code grant form = %v", lastForm)
	}
	if tok.AccessToken != "new-token" || tok.RefreshToken != "rt-1" || tok.ExpiresIn != 3600 || !tok.Expiry().Equal(time.Unix(1755362087+3600, 0)) {
		t.Errorf("token = %+v refresh %q expiry %v", tok, tok.RefreshToken, tok.Expiry())
	}
	if _, err := c.OAuth.RefreshToken(ctx, "rt-1", nil); err != nil || lastForm.Get("refresh_token") != "rt-1" || lastForm.Get("grant_type") != "refresh_token" || lastForm.Get("redirect_uri") != RedirectOOB {
		t.Errorf("refresh: %v %v", err, lastForm)
	}
	if _, err := c.OAuth.ClientCredentials(ctx, nil); err != nil || lastForm.Get("grant_type") != "client_credentials" || lastForm.Get("scope") != "read write follow push" || lastForm.Get("redirect_uri") != RedirectOOB {
		t.Errorf("client credentials: %v %v", err, lastForm)
	}
	tok, err = c.OAuth.PasswordGrant(ctx, "me@example.org", "pw-SECRET", nil)
	var se *ScopeError
	if !errors.As(err, &se) || !errors.Is(err, ErrAPI) || tok == nil {
		t.Errorf("narrower grant: %v", err)
	}
	if lastForm.Get("username") != "me@example.org" || lastForm.Get("password") != "pw-SECRET" {
		t.Errorf("password form = %v", lastForm)
	}
	if _, err := c.OAuth.ExchangeCode(ctx, "", "", nil); !errors.Is(err, ErrIllegalArgument) {
		t.Errorf("empty code: %v", err)
	}
}

func TestTokenErrorHasNoSecrets(t *testing.T) {
	c, mux := oauthClient(t)
	mux.HandleFunc("/oauth/token", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(400)
		fmt.Fprint(w, `{"error":"invalid_grant","error_description":"The provided authorization grant is invalid, expired, revoked, does not match the redirection URI used in the authorization request, or was issued to another client."}`)
	})
	_, err := c.OAuth.ExchangeCode(context.Background(), "code-SECRET", "verifier-SECRET", nil)
	var ae *APIError
	if !errors.As(err, &ae) || ae.Code != "invalid_grant" || !strings.Contains(ae.Description, "grant is invalid") {
		t.Fatalf("err = %v", err)
	}
	for _, s := range []string{"code-SECRET", "verifier-SECRET", "csecret-SECRET"} {
		if strings.Contains(err.Error(), s) || strings.Contains(ae.URL, s) {
			t.Errorf("error mentions %s: %v", s, err)
		}
	}
}

func TestRevoke(t *testing.T) {
	c, mux := oauthClient(t)
	mux.HandleFunc("/oauth/revoke", func(w http.ResponseWriter, r *http.Request) {
		testMethod(t, r, "POST")
		testForm(t, r, "client_id=cid&client_secret=csecret-SECRET&token=tok-1")
		fmt.Fprint(w, `{}`)
	})
	if err := c.OAuth.Revoke(context.Background(), "tok-1"); err != nil {
		t.Fatal(err)
	}
	if err := c.OAuth.Revoke(context.Background(), ""); !errors.Is(err, ErrIllegalArgument) {
		t.Errorf("no token at all: %v", err)
	}
}

func TestServerMetadataFallback(t *testing.T) {
	c, mux := oauthClient(t)
	mux.HandleFunc("/.well-known/oauth-authorization-server", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(404)
		fmt.Fprint(w, "<html>not found</html>")
	})
	// No made-up metadata: the server's 404 is the answer.
	m, err := c.OAuth.ServerMetadata(context.Background())
	if !errors.Is(err, ErrNotFound) || m != nil {
		t.Errorf("ServerMetadata on a 404 = %+v, %v; want ErrNotFound and no metadata", m, err)
	}
}

func TestScopes(t *testing.T) {
	if !ScopesCover([]string{"read", "write"}, []string{"read:statuses", "write:media", "read"}) {
		t.Error("read should cover read:statuses")
	}
	if ScopesCover([]string{"read:statuses"}, []string{"read"}) {
		t.Error("a granular scope does not cover its set")
	}
	if !ScopesCover([]string{"follow"}, []string{"write:follows"}) || ScopesCover([]string{"read"}, []string{"push"}) {
		t.Error("follow / push coverage wrong")
	}
	if !ScopesCover([]string{"admin:read"}, []string{"admin:read:accounts"}) {
		t.Error("admin:read set")
	}
}

func TestOAuth2Config(t *testing.T) {
	c, _ := oauthClient(t)
	cfg := c.OAuth.Config("http://127.0.0.1:9/cb", "read")
	if cfg.ClientID != "cid" || cfg.Endpoint.TokenURL != c.BaseURL()+"/oauth/token" || cfg.Scopes[0] != "read" {
		t.Errorf("config = %+v", cfg)
	}
	u := cfg.AuthCodeURL("st")
	if !strings.HasPrefix(u, c.BaseURL()+"/oauth/authorize?") || !strings.Contains(u, "state=st") {
		t.Errorf("AuthCodeURL = %s", u)
	}
}

// TestAppsCreateDefaults: without redirect URIs or scopes, the out-of-band
// URI and DefaultScopes are sent; the caller's params are left alone.
func TestAppsCreateDefaults(t *testing.T) {
	c, mux := oauthClient(t)
	mux.HandleFunc("/api/v1/apps", func(w http.ResponseWriter, r *http.Request) {
		testForm(t, r, "client_name=bot&redirect_uris=urn%3Aietf%3Awg%3Aoauth%3A2.0%3Aoob&scopes=read+write+follow+push")
		fmt.Fprint(w, `{"id":"3","name":"bot","client_id":"4xoC","client_secret":"bzUz"}`)
	})
	p := &CreateAppParams{ClientName: "bot"}
	if _, err := c.Apps.Create(context.Background(), p); err != nil {
		t.Fatal(err)
	}
	if p.RedirectURIs != nil || p.Scopes != nil {
		t.Errorf("params changed: %+v", p)
	}
}

package mastodon

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tuskgo/mastodon/mastodontest"
)

// gtsSetup starts a mastodontest server behaving as GoToSocial with a user
// alice and a client for her.
func gtsSetup(t *testing.T, opts ...Option) (*mastodontest.Server, *Client, mastodontest.Account) {
	t.Helper()
	srv := mastodontest.NewTestServer(t, mastodontest.WithFamily(mastodontest.FamilyGoToSocial))
	a, tok := mtUser(srv, "alice")
	tr := &http.Transport{}
	t.Cleanup(tr.CloseIdleConnections)
	c, err := newScannedClient(srv.URL, append([]Option{WithAccessToken(tok), WithHTTPClient(&http.Client{Transport: tr})}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return srv, c, a
}

// logged returns the logged requests to method and path.
func logged(srv *mastodontest.Server, method, path string) []mastodontest.LoggedRequest {
	var out []mastodontest.LoggedRequest
	for _, r := range srv.RequestLog() {
		if r.Method == method && r.Path == path {
			out = append(out, r)
		}
	}
	return out
}

// TestFamilyGoToSocialVersionGates: GoToSocial reports 0.17.3; Tusk must
// read it as GoToSocial implementing (at least) Mastodon API 4.0, so the v2
// search keeps its options, uploads go to v2 media, Dismiss uses the
// current endpoint and WithVersionCheck lets v2 endpoints through.
func TestFamilyGoToSocialVersionGates(t *testing.T) {
	srv, c, _ := gtsSetup(t, WithVersionCheck(VersionCheckCreated))
	ctx := context.Background()
	info, err := c.ServerInfo(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if info.Family != FamilyGoToSocial || info.Version.String() != "0.17.3" || info.API.String() != "4.0.0" || info.APIExact {
		t.Errorf("ServerInfo = family %s version %s API %s exact %v", info.Family, info.Version, info.API, info.APIExact)
	}
	// NodeInfo names the server as localhost: followed, and without a token.
	for _, r := range logged(srv, "GET", "/nodeinfo/2.0") {
		if r.Header.Get("Authorization") != "" {
			t.Error("nodeinfo request carried a token")
		}
	}
	if _, err := c.Search.Query(ctx, "alice", &SearchOptions{Type: SearchAccounts, Limit: 5, Offset: 1, Following: true}); err != nil {
		t.Fatal(err)
	}
	if len(logged(srv, "GET", "/api/v1/search")) != 0 {
		t.Error("Search.Query fell back to /api/v1/search")
	}
	if rs := logged(srv, "GET", "/api/v2/search"); len(rs) != 1 || rs[0].Query.Get("type") != "accounts" || rs[0].Query.Get("limit") != "5" ||
		rs[0].Query.Get("offset") != "1" || rs[0].Query.Get("following") != "true" {
		t.Errorf("v2 search requests = %+v", rs)
	}
	png := []byte("\x89PNG\r\n\x1a\n" + strings.Repeat("\x00", 64))
	if _, err := c.Media.Upload(ctx, File{Name: "a.png", Reader: bytes.NewReader(png)}, nil); err != nil {
		t.Fatal(err)
	}
	if len(logged(srv, "POST", "/api/v2/media")) != 1 || len(logged(srv, "POST", "/api/v1/media")) != 0 {
		t.Error("Media.Upload did not use /api/v2/media alone")
	}
	err = c.Notifications.Dismiss(ctx, "12345")
	if !errors.Is(err, ErrNotFound) || len(logged(srv, "POST", "/api/v1/notifications/dismiss")) != 0 {
		t.Errorf("Dismiss of a missing notification: %v, legacy requests %d", err, len(logged(srv, "POST", "/api/v1/notifications/dismiss")))
	}
	if _, err := c.Filters.List(ctx); err != nil {
		t.Errorf("WithVersionCheck refused a v2 endpoint on GoToSocial: %v", err)
	}
	if ok, err := c.VerifyMinimumVersion(ctx, "4.0.0"); !ok || err != nil {
		t.Errorf("VerifyMinimumVersion(4.0.0) = %v, %v", ok, err)
	}
}

// TestServerInfoAPILevel: the level gates compare, per family.
func TestServerInfoAPILevel(t *testing.T) {
	for _, tc := range []struct {
		version  string
		apiv     map[string]int
		software string
		fam      Family
		api      string
		exact    bool
	}{
		{"4.3.1", map[string]int{"mastodon": 2}, "", FamilyMastodon, "4.3.1", true},
		{"4.2.8+glitch", nil, "", FamilyGlitch, "4.2.8", true},
		{"0.17.3", nil, "gotosocial", FamilyGoToSocial, "4.0.0", false},
		{"0.17.3+git-abc123", nil, "", FamilyGoToSocial, "4.0.0", false},
		{"0.20.0", map[string]int{"mastodon": 6}, "gotosocial", FamilyGoToSocial, "4.4.0", false},
		{"0.17.3", nil, "", FamilyUnknown, "0.0.0", false}, // nodeinfo unreachable: nothing is known
		{"2.7.2 (compatible; Pleroma 2.0.50)", nil, "", FamilyPleroma, "2.7.2", false},
		{"3.0.0 (compatible; Sharkey 2024.9.0)", nil, "", FamilySharkey, "3.0.0", false},
	} {
		s := newServerInfo(tc.version, tc.apiv, tc.software)
		if s.Family != tc.fam || s.API.String() != tc.api || s.APIExact != tc.exact {
			t.Errorf("%q %v %q: family %s API %s exact %v; want %s %s %v", tc.version, tc.apiv, tc.software, s.Family, s.API, s.APIExact, tc.fam, tc.api, tc.exact)
		}
	}
	// With a version hint of another family, gates do not refuse or drop
	// to legacy endpoints.
	c, mux, _ := setup(t, WithServerVersion("0.17.3"), WithVersionCheck(VersionCheckCreated))
	var paths []string
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		paths = append(paths, r.Method+" "+r.URL.Path)
		fmt.Fprint(w, `{"accounts":[],"statuses":[],"hashtags":[]}`)
	})
	if _, err := c.Search.Query(context.Background(), "x", &SearchOptions{Limit: 3}); err != nil {
		t.Fatal(err)
	}
	if strings.Join(paths, ",") != "GET /api/v2/search" {
		t.Errorf("requests = %v, want only GET /api/v2/search", paths)
	}
}

// TestFamilyTokenGrantsSendRedirectURI: GoToSocial refuses a token grant
// without redirect_uri; client credentials and Register's app token send it,
// and Register sends a locale.
func TestFamilyTokenGrantsSendRedirectURI(t *testing.T) {
	srv := mastodontest.NewTestServer(t, mastodontest.WithFamily(mastodontest.FamilyGoToSocial))
	app := srv.CreateApp("bot", RedirectOOB, "read", "write", "follow", "push")
	registerSecret(app.ClientSecret)
	ctx := context.Background()
	c, err := newScannedClient(srv.URL, WithClientCredentials(app.ClientID, app.ClientSecret))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.OAuth.ClientCredentials(ctx, &TokenParams{Scopes: []string{"read"}}); err != nil {
		t.Fatalf("ClientCredentials on GoToSocial: %v", err)
	}
	tok, err := c.Accounts.Register(ctx, &RegisterParams{Username: "newbie", Email: "n@example.org", Password: "pw-SECRET-12345", Agreement: true})
	if err != nil {
		t.Fatalf("Register on GoToSocial: %v", err)
	}
	registerSecret(tok.AccessToken)
	grants := logged(srv, "POST", "/oauth/token")
	if len(grants) != 2 {
		t.Fatalf("%d token requests, want 2", len(grants))
	}
	for _, g := range grants {
		if f := g.Form(); f.Get("redirect_uri") != RedirectOOB || f.Get("grant_type") != "client_credentials" {
			t.Errorf("token grant form lacks redirect_uri: grant_type=%q redirect_uri=%q", f.Get("grant_type"), f.Get("redirect_uri"))
		}
	}
	reg := logged(srv, "POST", "/api/v1/accounts")
	if len(reg) != 1 || reg[0].Form().Get("locale") != "en" {
		t.Errorf("Register sent locale %q, want en", reg[0].Form().Get("locale"))
	}
	// The client's language is the default locale; the app's redirect URI
	// is sent when the client names one.
	c2, err := newScannedClient(srv.URL, WithClientCredentials(app.ClientID, app.ClientSecret), WithLanguage("de"), WithRedirectURI("https://bot.example/cb"))
	if err != nil {
		t.Fatal(err)
	}
	srv.ClearRequestLog()
	_, _ = c2.Accounts.Register(ctx, &RegisterParams{Username: "zweiter", Email: "z@example.org", Password: "pw-SECRET-12345", Agreement: true})
	if g := logged(srv, "POST", "/oauth/token"); len(g) != 1 || g[0].Form().Get("redirect_uri") != "https://bot.example/cb" {
		t.Errorf("token grant with WithRedirectURI = %+v", g)
	}
	if r := logged(srv, "POST", "/api/v1/accounts"); len(r) == 1 && r[0].Form().Get("locale") != "de" {
		t.Errorf("Register with WithLanguage(de) sent locale %q", r[0].Form().Get("locale"))
	}
}

// TestFamilyPostLandsOnce: the answer to a post is lost (cut off after the
// server created the status). GoToSocial ignores Idempotency-Key, so
// Tusk must find the landed post instead of posting again; on Mastodon the
// key makes a repeat safe.
func TestFamilyPostLandsOnce(t *testing.T) {
	for _, fam := range []mastodontest.Family{mastodontest.FamilyGoToSocial, mastodontest.FamilyMastodon} {
		t.Run(string(fam), func(t *testing.T) {
			srv := mastodontest.NewTestServer(t, mastodontest.WithFamily(fam))
			a, tok := mtUser(srv, "alice")
			tr := &http.Transport{}
			t.Cleanup(tr.CloseIdleConnections)
			c, err := newScannedClient(srv.URL, WithAccessToken(tok), WithHTTPClient(&http.Client{Transport: tr}),
				WithRetryPolicy(RetryPolicy{MaxRetries: 3, MinBackoff: time.Millisecond, MaxBackoff: 5 * time.Millisecond}))
			if err != nil {
				t.Fatal(err)
			}
			ctx := context.Background()
			text := "hello @bob@remote.example, see https://example.org/a/long/path"
			srv.InjectFault(mastodontest.Fault{Method: "POST", Path: "/api/v1/statuses", Truncate: true})
			posted, err := c.Statuses.Post(ctx, &PostStatusParams{Status: text, Visibility: VisibilityUnlisted, SpoilerText: "cw"})
			if err != nil {
				t.Fatalf("Post: %v", err)
			}
			page, err := c.Accounts.Statuses(ctx, a.ID, nil)
			if err != nil {
				t.Fatal(err)
			}
			if len(page.Items) != 1 || posted.Status == nil || page.Items[0].ID != posted.ID {
				t.Fatalf("%d statuses after a retried post (returned %+v), want exactly the one returned", len(page.Items), posted)
			}
			posts := logged(srv, "POST", "/api/v1/statuses")
			want := 1
			if fam == mastodontest.FamilyMastodon {
				want = 2 // the key makes the repeat safe
			}
			if len(posts) != want {
				t.Errorf("%d POST /api/v1/statuses, want %d", len(posts), want)
			}
			if posts[0].Header.Get("Idempotency-Key") == "" {
				t.Error("post sent without Idempotency-Key")
			}
		})
	}
}

// TestPostLandedMatching: what counts as the landed post.
func TestPostLandedMatching(t *testing.T) {
	start := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	w := &PostStatusParams{Status: "hi  @bob@remote.example\nthere", Visibility: "public", MediaIDs: []string{"m2", "m1"}}
	st := &Status{Content: `<p>hi <span class="h-card"><a href="https://remote.example/@bob">@<span>bob</span></a></span><br>there</p>`,
		CreatedAt: start.Add(time.Second), Visibility: VisibilityPublic, MediaAttachments: []MediaAttachment{{ID: "m1"}, {ID: "m2"}}}
	if !matchPosted(st, w, start) {
		t.Error("the landed post did not match")
	}
	for name, mut := range map[string]func(s *Status){
		"older":      func(s *Status) { s.CreatedAt = start.Add(-time.Hour) },
		"text":       func(s *Status) { s.Content = "<p>hi there</p>" },
		"media":      func(s *Status) { s.MediaAttachments = s.MediaAttachments[:1] },
		"reply":      func(s *Status) { s.InReplyToID = Ptr("9") },
		"visibility": func(s *Status) { s.Visibility = VisibilityPrivate },
		"cw":         func(s *Status) { s.SpoilerText = "cw" },
		"boost":      func(s *Status) { s.Reblog = &Status{} },
	} {
		s2 := *st
		mut(&s2)
		if matchPosted(&s2, w, start) {
			t.Errorf("%s: a different status matched", name)
		}
	}
}

// TestFamilyPostNotResentWhileUnknown: when the server cannot be asked
// whether the post landed, it is not sent again.
func TestFamilyPostNotResentWhileUnknown(t *testing.T) {
	c, mux, _ := setup(t, WithRetryPolicy(RetryPolicy{MaxRetries: 2, MinBackoff: time.Millisecond, MaxBackoff: time.Millisecond}))
	var mu sync.Mutex
	posts := 0
	mux.HandleFunc("POST /api/v1/statuses", func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		posts++
		mu.Unlock()
		w.WriteHeader(http.StatusBadGateway)
	})
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusServiceUnavailable) })
	_, err := c.Statuses.Post(context.Background(), &PostStatusParams{Status: "x"})
	if !errors.Is(err, ErrBadGateway) || posts != 1 {
		t.Errorf("err %v after %d posts; want the 502 and one post", err, posts)
	}
}

// TestFamilyStreamCatchUpByDefault: with default options, a status posted
// while the server was away arrives after the stream reconnects (over
// WebSocket, GoToSocial's only transport), marked as catch-up; NoCatchUp
// turns that off.
func TestFamilyStreamCatchUpByDefault(t *testing.T) {
	for _, noCatchUp := range []bool{false, true} {
		t.Run(fmt.Sprintf("NoCatchUp=%v", noCatchUp), func(t *testing.T) {
			srv, alice, _ := gtsSetup(t)
			_, bobTok := mtUser(srv, "bob")
			bob, err := newScannedClient(srv.URL, WithAccessToken(bobTok))
			if err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			bobAcct, err := bob.Accounts.VerifyCredentials(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := alice.Accounts.Follow(ctx, bobAcct.ID, nil); err != nil {
				t.Fatal(err)
			}
			st, err := alice.Streaming.User(ctx, &StreamOptions{NoCatchUp: noCatchUp, ReconnectMin: time.Second, ReconnectMax: 1200 * time.Millisecond})
			if err != nil {
				t.Fatal(err)
			}
			defer st.Close()
			if err := srv.WaitSubscriptions(ctx, 1); err != nil {
				t.Fatal(err)
			}
			time.Sleep(50 * time.Millisecond) // the catch-up baseline
			srv.GoAway()
			time.Sleep(100 * time.Millisecond)
			srv.ComeBack()
			posted, err := bob.Statuses.Post(ctx, &PostStatusParams{Status: "while you were away", Visibility: VisibilityPublic})
			if err != nil {
				t.Fatal(err)
			}
			got := make(chan *UpdateEvent, 1)
			go func() {
				for ev, err := range st.Events() {
					if u, ok := ev.(*UpdateEvent); ok && err == nil && u.Status.ID == posted.ID {
						got <- u
						return
					}
				}
			}()
			wait := 5 * time.Second
			if noCatchUp {
				wait = 2500 * time.Millisecond
			}
			select {
			case u := <-got:
				if noCatchUp {
					t.Errorf("with NoCatchUp the missed status arrived: %+v", u.EventMeta)
				} else if !u.CatchUp {
					t.Error("the missed status is not marked CatchUp")
				}
			case <-time.After(wait):
				if !noCatchUp {
					t.Error("the status posted while the stream was down never arrived")
				}
			}
			if home := logged(srv, "GET", "/api/v1/timelines/home"); noCatchUp && len(home) != 0 {
				t.Errorf("NoCatchUp still read the home timeline %d times", len(home))
			}
			if sse := logged(srv, "GET", "/api/v1/streaming/user"); len(sse) != 0 && len(logged(srv, "GET", "/api/v1/streaming")) == 0 {
				t.Error("no WebSocket connection was made")
			}
		})
	}
}

// TestFamilyNoMadeUpAnswers: fallbacks give a real answer or the first
// real error.
func TestFamilyNoMadeUpAnswers(t *testing.T) {
	ctx := context.Background()
	t.Run("IsAvailable", func(t *testing.T) {
		srv, c, _ := gtsSetup(t)
		ok, err := c.Timelines.IsAvailable(ctx, TimelinePublic, &TimelineAvailabilityOptions{WithAuth: Ptr(false)})
		if err != nil || ok {
			t.Errorf("public timeline for anonymous readers on GoToSocial = %v, %v; want false", ok, err)
		}
		probes := logged(srv, "GET", "/api/v1/timelines/public")
		if len(probes) != 1 || probes[0].Header.Get("Authorization") != "" {
			t.Errorf("anonymous probe requests = %d (must carry no token)", len(probes))
		}
		if ok, err := c.Timelines.IsAvailable(ctx, TimelinePublic, nil); err != nil || !ok {
			t.Errorf("public timeline for alice = %v, %v; want true", ok, err)
		}
	})
	t.Run("Dismiss", func(t *testing.T) {
		c, mux, _ := setup(t)
		var paths []string
		mux.HandleFunc("/api/v1/notifications/7/dismiss", func(w http.ResponseWriter, r *http.Request) {
			paths = append(paths, r.URL.Path)
			w.WriteHeader(http.StatusNotFound)
			fmt.Fprint(w, `{"error":"Record not found"}`)
		})
		mux.HandleFunc("/api/v1/notifications/dismiss", func(w http.ResponseWriter, r *http.Request) {
			paths = append(paths, r.URL.Path)
			w.WriteHeader(http.StatusMethodNotAllowed)
		})
		mux.HandleFunc("/api/v2/instance", func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, `{"version":"2.7.0"}`) })
		err := c.Notifications.Dismiss(ctx, "7")
		var ae *APIError
		if !errors.As(err, &ae) || ae.StatusCode != 404 || !strings.Contains(ae.URL, "/notifications/7/dismiss") {
			t.Errorf("Dismiss = %v; want the first 404", err)
		}
		if strings.Join(paths, ",") != "/api/v1/notifications/7/dismiss,/api/v1/notifications/dismiss" {
			t.Errorf("requests %v", paths)
		}
	})
}

// TestMastodonPyParity: the Mastodon.py behaviours issue 24 lists.
func TestMastodonPyParity(t *testing.T) {
	ctx := context.Background()
	t.Run("PushBareHost", func(t *testing.T) {
		c, mux, _ := setup(t)
		var endpoint string
		mux.HandleFunc("POST /api/v1/push/subscription", func(w http.ResponseWriter, r *http.Request) {
			_ = r.ParseForm()
			endpoint = r.PostForm.Get("subscription[endpoint]")
			fmt.Fprint(w, `{"id":"1","endpoint":"https://example.com","server_key":"k","alerts":{}}`)
		})
		if _, err := c.Push.Subscribe(ctx, "example.com", PushSubscriptionKeys{P256DH: "p", Auth: "a"}, nil); err != nil || endpoint != "https://example.com" {
			t.Errorf("Subscribe(example.com) sent %q: %v", endpoint, err)
		}
	})
	t.Run("CardOnNewServers", func(t *testing.T) {
		srv := mastodontest.NewTestServer(t)
		_, tok := mtUser(srv, "alice")
		c, err := newScannedClient(srv.URL, WithAccessToken(tok))
		if err != nil {
			t.Fatal(err)
		}
		st, err := c.Statuses.Post(ctx, &PostStatusParams{Status: "no card here"})
		if err != nil {
			t.Fatal(err)
		}
		if card, err := c.Statuses.Card(ctx, st.ID); err != nil || card != nil {
			t.Errorf("Card = %+v, %v", card, err)
		}
		for _, r := range srv.RequestLog() {
			if strings.HasSuffix(r.Path, "/card") {
				t.Errorf("Card requested %s on a 4.5 server", r.Path)
			}
		}
	})
	t.Run("InvalidGrant", func(t *testing.T) {
		srv := mastodontest.NewTestServer(t, mastodontest.WithVersion("4.3.0", 2), mastodontest.WithPasswordGrant(true))
		app := srv.CreateApp("bot", RedirectOOB, "read")
		registerSecret(app.ClientSecret)
		a, _ := mtUser(srv, "alice")
		c, err := newScannedClient(srv.URL, WithClientCredentials(app.ClientID, app.ClientSecret))
		if err != nil {
			t.Fatal(err)
		}
		_, err = c.OAuth.PasswordGrant(ctx, a.Email, "wrong-SECRET", &TokenParams{Scopes: []string{"read"}})
		if !errors.Is(err, ErrInvalidGrant) || !errors.Is(err, ErrAPI) {
			t.Errorf("wrong password: %v; want ErrInvalidGrant", err)
		}
		if errors.Is(&APIError{StatusCode: 400, Code: "invalid_request"}, ErrInvalidGrant) {
			t.Error("another OAuth error matched ErrInvalidGrant")
		}
	})
	t.Run("AdminAccountsValidation", func(t *testing.T) {
		c, mux, _ := setup(t)
		sent := 0
		mux.HandleFunc("/api/v2/admin/accounts", func(w http.ResponseWriter, r *http.Request) { sent++; fmt.Fprint(w, `[]`) })
		for _, o := range []*AdminAccountsOptions{{Permissions: "admin"}, {Origin: "elsewhere"}, {Status: "banned"}} {
			if _, err := c.Admin.Accounts.List(ctx, o); !errors.Is(err, ErrIllegalArgument) {
				t.Errorf("%+v: %v", o, err)
			}
		}
		if _, err := c.Admin.Accounts.List(ctx, &AdminAccountsOptions{Permissions: "staff", Origin: "local", Status: "active"}); err != nil || sent != 1 {
			t.Errorf("valid options: %v, %d sent", err, sent)
		}
	})
	t.Run("ExplicitFalse", func(t *testing.T) {
		c, mux, _ := setup(t)
		var form string
		mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
			_ = r.ParseForm()
			form = r.PostForm.Encode()
			fmt.Fprint(w, `{"id":"1","created_at":"2026-01-01T00:00:00Z","account":{"id":"1"}}`)
		})
		if _, err := c.Statuses.Post(ctx, &PostStatusParams{Status: "x", Sensitive: Ptr(false)}); err != nil || !strings.Contains(form, "sensitive=false") {
			t.Errorf("Sensitive: Ptr(false) sent %q: %v", form, err)
		}
		if _, err := c.Statuses.Post(ctx, &PostStatusParams{Status: "x"}); err != nil || strings.Contains(form, "sensitive") {
			t.Errorf("Sensitive unset sent %q: %v", form, err)
		}
		if _, err := c.Accounts.Follow(ctx, "1", &FollowParams{Reblogs: Ptr(false)}); err != nil || !strings.Contains(form, "reblogs=false") {
			t.Errorf("Reblogs: Ptr(false) sent %q: %v", form, err)
		}
	})
	t.Run("DocumentedDifferences", func(t *testing.T) {
		b, err := os.ReadFile("docs/mastodonpy.md")
		if err != nil {
			t.Fatal(err)
		}
		doc := string(b)
		for _, want := range []string{"resolve=true", "exclude_unreviewed", "partial_avatars", "admin_accounts_v1", "status_reply",
			"featured_tag_create", "ErrInvalidGrant", "push_subscription_set", "docs/families.md"} {
			if !strings.Contains(doc, want) {
				t.Errorf("docs/mastodonpy.md does not mention %s", want)
			}
		}
	})
}

// serverDefaultTrue are parameters the server (or the user's preferences)
// may default to true: a params field for one must be a pointer, so that
// an explicit false can be sent.
var serverDefaultTrue = map[string]bool{
	"reblogs": true, "notifications": true, "sensitive": true, "whole_word": true, "discoverable": true,
	"indexable": true, "hide_collections": true, "locked": true, "bot": true, "exclusive": true,
}

// boolAlwaysSent are plain bool fields whose value is sent whether true or
// false, with why.
var boolAlwaysSent = map[string]string{
	"EditStatusParams.Sensitive": "an edit replaces the status: sensitive is tagged always and sent every time",
}

// TestBooleansDefaultingTrueCanBeFalse parses the package's params and
// options structs: no plain bool field may carry a parameter whose default
// can be true. The OpenAPI file's own "default: true" booleans are checked
// to be in the list when it is present.
func TestBooleansDefaultingTrueCanBeFalse(t *testing.T) {
	fset := token.NewFileSet()
	names, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	var files []*ast.File
	for _, name := range names {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, f)
	}
	checked := 0
	for _, f := range files {
		ast.Inspect(f, func(n ast.Node) bool {
			ts, ok := n.(*ast.TypeSpec)
			if !ok || !(strings.HasSuffix(ts.Name.Name, "Params") || strings.HasSuffix(ts.Name.Name, "Options")) {
				return true
			}
			st, ok := ts.Type.(*ast.StructType)
			if !ok {
				return true
			}
			for _, fld := range st.Fields.List {
				id, ok := fld.Type.(*ast.Ident)
				if !ok || id.Name != "bool" {
					continue
				}
				for _, name := range fld.Names {
					param := snakeCase(name.Name)
					if fld.Tag != nil {
						tag := reflect.StructTag(strings.Trim(fld.Tag.Value, "`"))
						if v, _, _ := strings.Cut(tag.Get("form"), ","); v != "" && v != "-" {
							param = v
						}
					}
					checked++
					if serverDefaultTrue[param] && boolAlwaysSent[ts.Name.Name+"."+name.Name] == "" {
						t.Errorf("%s.%s (%s) is a plain bool: an explicit false cannot be sent", ts.Name.Name, name.Name, param)
					}
				}
			}
			return true
		})
	}
	if checked < 20 {
		t.Fatalf("only %d bool fields found: the parse missed the package", checked)
	}
	// The spec cross-check (specDir skips without ../shared).
	b, err := os.ReadFile(filepath.Join(specDir(t), "mastodon-openapi.json"))
	if err != nil {
		t.Fatal(err)
	}
	type boolParam struct {
		Type    string `json:"type"`
		Default any    `json:"default"`
	}
	var spec struct {
		Paths map[string]map[string]json.RawMessage `json:"paths"`
	}
	if err := json.Unmarshal(b, &spec); err != nil {
		t.Fatal(err)
	}
	for path, ops := range spec.Paths {
		for method, raw := range ops {
			var op struct {
				Parameters []struct {
					Name   string    `json:"name"`
					Schema boolParam `json:"schema"`
				} `json:"parameters"`
				RequestBody struct {
					Content map[string]struct {
						Schema struct {
							Properties map[string]boolParam `json:"properties"`
						} `json:"schema"`
					} `json:"content"`
				} `json:"requestBody"`
			}
			if json.Unmarshal(raw, &op) != nil {
				continue // path-level parameters, not an operation
			}
			for _, p := range op.Parameters {
				if p.Schema.Type == "boolean" && p.Schema.Default == true && !serverDefaultTrue[p.Name] {
					t.Errorf("%s %s: %s defaults to true; add it to serverDefaultTrue", method, path, p.Name)
				}
			}
			for _, c := range op.RequestBody.Content {
				for name, p := range c.Schema.Properties {
					if p.Type == "boolean" && p.Default == true && !serverDefaultTrue[name] {
						t.Errorf("%s %s: %s defaults to true; add it to serverDefaultTrue", method, path, name)
					}
				}
			}
		}
	}
}

// FuzzServerInfo: any version string and software name a server sends
// gives a ServerInfo without panicking, and only Mastodon-based families
// get an exact API level.
func FuzzServerInfo(f *testing.F) {
	f.Add("4.3.1", 2, "")
	f.Add("0.17.3+git-abc", 0, "gotosocial")
	f.Add("2.7.2 (compatible; Pleroma 2.0.50)", 0, "")
	f.Add("", -1, "misskey")
	f.Fuzz(func(t *testing.T, version string, apiv int, software string) {
		s := newServerInfo(version, map[string]int{"mastodon": apiv}, software)
		switch s.Family {
		case FamilyMastodon, FamilyGlitch, FamilyHometown, FamilyFedibird:
		default:
			if s.APIExact {
				t.Errorf("%q/%q: family %s got an exact API level", version, software, s.Family)
			}
		}
	})
}

// FuzzSameServerLink: a link from the server leads to the client's host,
// or to another name of the same (loopback) server, with an absolute path.
func FuzzSameServerLink(f *testing.F) {
	f.Add("http://localhost:3000/nodeinfo/2.0")
	f.Add("//evil.example/x")
	f.Add("https://www.example.social/nodeinfo/2.1?x=1")
	f.Add("http://[::1]:3000/a")
	c, err := newScannedClient("https://example.social")
	if err != nil {
		f.Fatal(err)
	}
	lc, err := newScannedClient("http://127.0.0.1:3000")
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, href string) {
		for _, cl := range []*Client{c, lc} {
			origin, path, err := cl.sameServerLink(href)
			if err != nil {
				continue
			}
			if !strings.HasPrefix(path, "/") || strings.HasPrefix(path, "//") {
				t.Errorf("%q: path %q", href, path)
			}
			if origin != "" {
				u, perr := url.Parse(origin)
				if perr != nil || !sameServerName(u, cl.base) {
					t.Errorf("%q: origin %q is not the client's server", href, origin)
				}
			}
		}
	})
}

// FuzzVisibleText: status HTML from the server never panics the landed-post
// comparison.
func FuzzVisibleText(f *testing.F) {
	f.Add(`<p>hi <span class="h-card"><a href="https://x/@a">@<span>a</span></a></span><br>there</p>`)
	f.Add(`<p><a href="https://e.org/x"><span class="invisible">https://</span>e.org/x</a>`)
	f.Fuzz(func(t *testing.T, s string) {
		_ = sameText(visibleText(s), s)
		_ = matchPosted(&Status{Content: s}, &PostStatusParams{Status: s}, time.Time{})
	})
}

package mastodontest

import (
	"io"
	"net/http"
	"net/url"
	"testing"
)

// TestFeaturedTags: featuring by name and through /tags/{name}/feature,
// the counts and dates a profile shows, suggestions, the limit, removal.
func TestFeaturedTags(t *testing.T) {
	s := NewTestServer(t)
	alice, tok := s.CreateUser("alice")
	c := NewClient(s, tok)
	c.PostStatus(t, "about #Go and #rust")
	c.PostStatus(t, "more #go")
	var sugg []map[string]any
	c.JSON(t, 200, "GET", "/api/v1/featured_tags/suggestions", nil, &sugg)
	if len(sugg) != 2 {
		t.Fatalf("suggestions = %v", sugg)
	}
	var f map[string]any
	c.JSON(t, 200, "POST", "/api/v1/featured_tags", url.Values{"name": {"#go"}}, &f)
	if f["name"] != "go" || f["statuses_count"] != "2" || f["last_status_at"] == nil || f["url"] != s.URL+"/@alice/tagged/go" {
		t.Fatalf("featured tag = %v", f)
	}
	wantError(t, c, 422, "POST", "/api/v1/featured_tags", url.Values{"name": {"Go"}}, "taken")
	wantError(t, c, 422, "POST", "/api/v1/featured_tags", url.Values{"name": {"not a tag"}}, "invalid")
	var tag map[string]any
	c.JSON(t, 200, "POST", "/api/v1/tags/rust/feature", nil, &tag)
	if tag["featuring"] != true || tag["name"] != "rust" {
		t.Fatalf("feature = %v", tag)
	}
	c.JSON(t, 200, "GET", "/api/v1/featured_tags/suggestions", nil, &sugg)
	if len(sugg) != 0 {
		t.Fatalf("suggestions after featuring both = %v", sugg)
	}
	var list []map[string]any
	NewClient(s, "").JSON(t, 200, "GET", "/api/v1/accounts/"+alice.ID+"/featured_tags", nil, &list)
	if len(list) != 2 || list[1]["statuses_count"] != "1" {
		t.Fatalf("profile featured tags = %v", list)
	}
	c.JSON(t, 200, "POST", "/api/v1/tags/rust/unfeature", nil, &tag)
	if tag["featuring"] != false {
		t.Fatalf("unfeature = %v", tag)
	}
	c.JSON(t, 200, "DELETE", "/api/v1/featured_tags/"+f["id"].(string), nil, nil)
	c.JSON(t, 404, "DELETE", "/api/v1/featured_tags/"+f["id"].(string), nil, nil)
	c.JSON(t, 200, "GET", "/api/v1/featured_tags", nil, &list)
	if len(list) != 0 {
		t.Fatalf("featured after removing all = %v", list)
	}
	for i := range maxFeaturedTags {
		c.JSON(t, 200, "POST", "/api/v1/featured_tags", url.Values{"name": {"t" + string(rune('a'+i))}}, nil)
	}
	wantError(t, c, 422, "POST", "/api/v1/featured_tags", url.Values{"name": {"onemore"}}, "feature")
	// Scopes: a read-only token cannot feature.
	ro := NewClient(s, s.CreateToken(alice.ID, "read"))
	ro.JSON(t, 403, "POST", "/api/v1/featured_tags", url.Values{"name": {"x"}}, nil)
}

// TestHealthAndHome: GET /health answers "OK"; HEAD / answers 200 with a
// Date header that follows the server's clock.
func TestHealthAndHome(t *testing.T) {
	s := NewTestServer(t)
	s.Clock().Set(epoch)
	resp, err := http.Get(s.URL + "/health")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || string(b) != "OK" {
		t.Fatalf("/health: %d %q", resp.StatusCode, b)
	}
	resp, err = http.Head(s.URL + "/")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if d, err := http.ParseTime(resp.Header.Get("Date")); resp.StatusCode != 200 || err != nil || !d.Equal(epoch) {
		t.Fatalf("HEAD /: %d, Date %q", resp.StatusCode, resp.Header.Get("Date"))
	}
	// Other unknown paths are still 404.
	NewClient(s, "").JSON(t, 404, "GET", "/nowhere", nil, nil)
}

// TestEmailConfirmations: POST /api/v1/emails/confirmations works for an
// account registered through the API, from its sign-up app, while its
// address awaits confirmation; otherwise 403.
func TestEmailConfirmations(t *testing.T) {
	s := NewTestServer(t)
	app := s.CreateApp("signup", oobURI, "read", "write")
	var tok map[string]any
	anon := NewClient(s, "")
	anon.JSON(t, 200, "POST", "/oauth/token", url.Values{"grant_type": {"client_credentials"}, "client_id": {app.ClientID},
		"client_secret": {app.ClientSecret}, "scope": {"write"}}, &tok)
	reg := NewClient(s, tok["access_token"].(string))
	reg.JSON(t, 200, "POST", "/api/v1/accounts", url.Values{"username": {"newbie"}, "email": {"n@example.org"},
		"password": {"pw12345678"}, "agreement": {"true"}}, &tok)
	user := NewClient(s, tok["access_token"].(string))
	user.JSON(t, 200, "POST", "/api/v1/emails/confirmations", url.Values{"email": {"new@example.org"}}, nil)
	wantError(t, user, 422, "POST", "/api/v1/emails/confirmations", url.Values{"email": {"nope"}}, "Email")
	// The same account through another app's token: 403.
	var acc map[string]any
	user.JSON(t, 200, "GET", "/api/v1/accounts/verify_credentials", nil, &acc)
	other := NewClient(s, s.CreateToken(acc["id"].(string)))
	wantError(t, other, 403, "POST", "/api/v1/emails/confirmations", nil, "signed-up")
	// A confirmed account (every fixture account): 403.
	_, conf := s.CreateUser("old")
	wantError(t, NewClient(s, conf), 403, "POST", "/api/v1/emails/confirmations", nil, "awaiting confirmation")
}

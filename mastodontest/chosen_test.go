package mastodontest

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestChosenCredentials: apps and tokens with the values a suite fixed.
func TestChosenCredentials(t *testing.T) {
	s := NewTestServer(t)
	alice := s.CreateAccount("alice")
	app, err := s.AddApp(App{Name: "suite", ClientID: "fixed-client-id", ClientSecret: "fixed-secret", Scopes: []string{"read", "write"}})
	if err != nil || app.ClientID != "fixed-client-id" || app.ClientSecret != "fixed-secret" {
		t.Fatalf("AddApp = %+v, %v", app, err)
	}
	if _, err := s.AddApp(App{ClientID: "fixed-client-id"}); err == nil {
		t.Fatal("a taken client id was accepted")
	}
	if _, err := s.AddApp(App{Scopes: []string{"root"}}); err == nil {
		t.Fatal("an unknown scope was accepted")
	}
	// The fixed client credentials work with OAuth.
	var tok map[string]any
	NewClient(s, "").JSON(t, 200, "POST", "/oauth/token", url.Values{"grant_type": {"client_credentials"},
		"client_id": {"fixed-client-id"}, "client_secret": {"fixed-secret"}, "scope": {"read"}}, &tok)

	if err := s.AddToken(alice.ID, "fixed-client-id", "alice-fixed-token", "read"); err != nil {
		t.Fatal(err)
	}
	c := NewClient(s, "alice-fixed-token")
	var me map[string]any
	c.JSON(t, 200, "GET", "/api/v1/accounts/verify_credentials", nil, &me)
	if me["id"] != alice.ID {
		t.Fatalf("verify_credentials = %v", me["id"])
	}
	var appInfo map[string]any
	c.JSON(t, 200, "GET", "/api/v1/apps/verify_credentials", nil, &appInfo)
	if appInfo["name"] != "suite" {
		t.Fatalf("token's app = %v", appInfo)
	}
	c.JSON(t, 403, "POST", "/api/v1/statuses", url.Values{"status": {"x"}}, nil) // read only
	for _, bad := range []struct{ acct, client, tok string }{
		{alice.ID, "", "alice-fixed-token"}, {alice.ID, "", ""}, {"404", "", "t2"}, {alice.ID, "nope", "t3"},
	} {
		if err := s.AddToken(bad.acct, bad.client, bad.tok); err == nil {
			t.Errorf("AddToken(%q, %q, %q) accepted", bad.acct, bad.client, bad.tok)
		}
	}
	if err := s.AddToken(alice.ID, "", "alice-default-app"); err != nil {
		t.Fatal(err)
	}
	NewClient(s, "alice-default-app").PostStatus(t, "hello")
}

// TestPublicURL: every URL the server writes uses the chosen public URL.
func TestPublicURL(t *testing.T) {
	s := NewTestServer(t, WithPublicURL("https://social.example/"))
	if s.URL != "https://social.example" || s.StreamingURL() != "wss://social.example" {
		t.Fatalf("URL %s, streaming %s", s.URL, s.StreamingURL())
	}
	_, tok := s.CreateUser("alice")
	get := func(path string, form url.Values, out any) http.Header {
		t.Helper()
		req, _ := http.NewRequest("GET", "http://"+s.Addr()+path+"?"+form.Encode(), nil)
		req.Header.Set("Authorization", "Bearer "+tok)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		if err := json.Unmarshal(b, out); err != nil {
			t.Fatalf("%s: %s", path, b)
		}
		return resp.Header
	}
	post := func(text string) {
		req, _ := http.NewRequest("POST", "http://"+s.Addr()+"/api/v1/statuses", strings.NewReader(url.Values{"status": {text}}.Encode()))
		req.Header.Set("Authorization", "Bearer "+tok)
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}
	post("one #tag")
	post("two")
	var tl []map[string]any
	hdr := get("/api/v1/timelines/home", url.Values{"limit": {"1"}}, &tl)
	if !strings.Contains(hdr.Get("Link"), "<https://social.example/api/v1/timelines/home?") {
		t.Errorf("Link = %s", hdr.Get("Link"))
	}
	if u := tl[0]["url"].(string); !strings.HasPrefix(u, "https://social.example/@alice/") {
		t.Errorf("status url = %s", u)
	}
	if u := tl[0]["account"].(map[string]any)["avatar"].(string); !strings.HasPrefix(u, "https://social.example/") {
		t.Errorf("avatar = %s", u)
	}
	var inst map[string]any
	get("/api/v2/instance", nil, &inst)
	if inst["domain"] != "social.example" || inst["configuration"].(map[string]any)["urls"].(map[string]any)["streaming"] != "wss://social.example" {
		t.Errorf("instance domain %v, urls %v", inst["domain"], inst["configuration"].(map[string]any)["urls"])
	}
	for _, bad := range []string{"social.example", "ftp://x", "https://x/path", "https://u:p@x", "https://x?q"} {
		if _, err := NewServer(WithPublicURL(bad)); err == nil {
			t.Errorf("public URL %q accepted", bad)
		}
	}
}

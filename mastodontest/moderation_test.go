package mastodontest

import (
	"net/url"
	"slices"
	"testing"
)

// modFixture is a server with an admin, alice (the account moderated)
// with a public status tagged #news, bob who follows her and carol who
// does not.
type modFixture struct {
	s                 *Server
	admin, alice      *Client
	bob, carol, anon  *Client
	aliceID, statusID string
}

func modSetup(t *testing.T) *modFixture {
	t.Helper()
	s := NewTestServer(t)
	root := s.CreateAccount("root", Admin())
	alice, aliceTok := s.CreateUser("alice", DisplayName("Alice A"), Note("hello"))
	_, bobTok := s.CreateUser("bob")
	_, carolTok := s.CreateUser("carol")
	f := &modFixture{s: s, admin: NewClient(s, s.CreateToken(root.ID, "admin:read", "admin:write")),
		alice: NewClient(s, aliceTok), bob: NewClient(s, bobTok), carol: NewClient(s, carolTok), anon: NewClient(s, ""),
		aliceID: alice.ID}
	f.bob.JSON(t, 200, "POST", "/api/v1/accounts/"+alice.ID+"/follow", nil, nil)
	f.statusID = f.alice.PostStatus(t, "breaking #news")["id"].(string)
	return f
}

func (f *modFixture) act(t *testing.T, op string) {
	t.Helper()
	if op == "suspend" || op == "silence" || op == "disable" || op == "sensitive" {
		f.admin.JSON(t, 200, "POST", "/api/v1/admin/accounts/"+f.aliceID+"/action", url.Values{"type": {op}}, nil)
		return
	}
	f.admin.JSON(t, 200, "POST", "/api/v1/admin/accounts/"+f.aliceID+"/"+op, nil, nil)
}

// timelineHas reports whether the status is on a timeline as c sees it.
func (f *modFixture) timelineHas(t *testing.T, c *Client, path string) bool {
	t.Helper()
	var got []map[string]any
	c.JSON(t, 200, "GET", path, nil, &got)
	return slices.Contains(idsOf(got), any(f.statusID))
}

func (f *modFixture) account(t *testing.T, c *Client) map[string]any {
	t.Helper()
	var a map[string]any
	c.JSON(t, 200, "GET", "/api/v1/accounts/"+f.aliceID, nil, &a)
	return a
}

// TestModerationSuspend: a suspended account's token is refused on user
// routes, it is shown blank with "suspended": true, and its statuses are
// gone for everyone; unsuspending brings it all back.
func TestModerationSuspend(t *testing.T) {
	f := modSetup(t)
	f.act(t, "suspend")

	wantError(t, f.alice, 403, "GET", "/api/v1/accounts/verify_credentials", nil, "Your login is currently disabled")
	wantError(t, f.alice, 403, "POST", "/api/v1/statuses", url.Values{"status": {"still here"}}, "Your login is currently disabled")
	a := f.account(t, f.bob)
	if a["suspended"] != true || a["display_name"] != "" || a["note"] != "" || len(a["fields"].([]any)) != 0 ||
		a["avatar"] != f.s.URL+"/avatars/original/missing.png" || a["username"] != "alice" {
		t.Fatalf("suspended account = %v", a)
	}
	f.bob.JSON(t, 404, "GET", "/api/v1/statuses/"+f.statusID, nil, nil)
	f.anon.JSON(t, 404, "GET", "/api/v1/statuses/"+f.statusID, nil, nil)
	for _, c := range []*Client{f.bob, f.anon} {
		if f.timelineHas(t, c, "/api/v1/accounts/"+f.aliceID+"/statuses") || f.timelineHas(t, c, "/api/v1/timelines/public") {
			t.Fatal("a suspended account's status is listed")
		}
	}
	if f.timelineHas(t, f.bob, "/api/v1/timelines/home") {
		t.Fatal("a suspended account's status is in a follower's home")
	}

	f.act(t, "unsuspend")
	f.alice.JSON(t, 200, "GET", "/api/v1/accounts/verify_credentials", nil, nil)
	a = f.account(t, f.bob)
	if _, ok := a["suspended"]; ok || a["display_name"] != "Alice A" {
		t.Fatalf("unsuspended account = %v", a)
	}
	if !f.timelineHas(t, f.bob, "/api/v1/timelines/home") || !f.timelineHas(t, f.anon, "/api/v1/timelines/public") {
		t.Fatal("unsuspending did not bring the status back")
	}
}

// TestModerationSilence: a silenced account is "limited", out of the
// public and hashtag timelines for everyone (Mastodon's PublicFeed), still
// in its followers' home timelines, and may still post.
func TestModerationSilence(t *testing.T) {
	f := modSetup(t)
	f.act(t, "silence")

	if a := f.account(t, f.carol); a["limited"] != true || a["display_name"] != "Alice A" {
		t.Fatalf("silenced account = %v", a)
	}
	for _, c := range []*Client{f.anon, f.carol, f.bob} {
		for _, p := range []string{"/api/v1/timelines/public", "/api/v1/timelines/public?local=true", "/api/v1/timelines/tag/news"} {
			if f.timelineHas(t, c, p) {
				t.Fatalf("silenced status on %s", p)
			}
		}
	}
	if !f.timelineHas(t, f.bob, "/api/v1/timelines/home") {
		t.Fatal("silenced status left a follower's home")
	}
	f.carol.JSON(t, 200, "GET", "/api/v1/statuses/"+f.statusID, nil, nil)
	// Its mentions reach followers and wait as a request for the others
	// (the default policy filters limited accounts).
	f.alice.PostStatus(t, "hello @bob and @carol")
	mentions := func(c *Client) int {
		var ns []map[string]any
		c.JSON(t, 200, "GET", "/api/v1/notifications", url.Values{"types[]": {"mention"}}, &ns)
		return len(ns)
	}
	var reqs []map[string]any
	f.carol.JSON(t, 200, "GET", "/api/v1/notifications/requests", nil, &reqs)
	if mentions(f.bob) != 1 || mentions(f.carol) != 0 || len(reqs) != 1 || reqs[0]["account"].(map[string]any)["id"] != f.aliceID {
		t.Fatalf("mentions: bob %d, carol %d, carol's requests %v", mentions(f.bob), mentions(f.carol), reqs)
	}

	f.act(t, "unsilence")
	if a := f.account(t, f.carol); a["limited"] != nil {
		t.Fatalf("unsilenced account = %v", a)
	}
	if !f.timelineHas(t, f.carol, "/api/v1/timelines/tag/news") || !f.timelineHas(t, f.anon, "/api/v1/timelines/public") {
		t.Fatal("unsilencing did not bring the status back")
	}
}

// TestModerationDisable: a disabled account cannot use its token, while
// its profile and statuses stay as they were.
func TestModerationDisable(t *testing.T) {
	f := modSetup(t)
	f.act(t, "disable")

	wantError(t, f.alice, 403, "GET", "/api/v1/timelines/home", nil, "Your login is currently disabled")
	wantError(t, f.alice, 403, "POST", "/api/v1/accounts/"+f.aliceID+"/follow", nil, "Your login is currently disabled")
	if a := f.account(t, f.bob); a["suspended"] != nil || a["display_name"] != "Alice A" {
		t.Fatalf("disabled account = %v", a)
	}
	f.bob.JSON(t, 200, "GET", "/api/v1/statuses/"+f.statusID, nil, nil)

	f.act(t, "enable")
	f.alice.JSON(t, 200, "GET", "/api/v1/timelines/home", nil, nil)
}

// TestModerationSensitive: a sensitized account's statuses are sensitive to
// everyone but their author.
func TestModerationSensitive(t *testing.T) {
	f := modSetup(t)
	sensitive := func(c *Client) any {
		var st map[string]any
		c.JSON(t, 200, "GET", "/api/v1/statuses/"+f.statusID, nil, &st)
		return st["sensitive"]
	}
	f.act(t, "sensitive")
	if sensitive(f.bob) != true || sensitive(f.anon) != true || sensitive(f.alice) != false {
		t.Fatalf("sensitized: bob %v, anonymous %v, author %v", sensitive(f.bob), sensitive(f.anon), sensitive(f.alice))
	}
	var home []map[string]any
	f.bob.JSON(t, 200, "GET", "/api/v1/timelines/home", nil, &home)
	if len(home) == 0 || home[0]["sensitive"] != true {
		t.Fatalf("home shows %v", home)
	}
	f.act(t, "unsensitive")
	if sensitive(f.bob) != false {
		t.Fatal("unsensitive left the status sensitive")
	}
}

package mastodontest

import (
	"net/url"
	"testing"
)

// TestQuotesDoNotLeakPrivatePosts: another account's followers-only or
// direct post cannot be quoted (422), and a quote whose quoted post the
// viewer may not see shows the state "unauthorized" with no quoted status,
// to other users, anonymous readers and on the public timeline.
func TestQuotesDoNotLeakPrivatePosts(t *testing.T) {
	s := NewTestServer(t)
	alice, aliceTok := s.CreateUser("alice")
	bob, bobTok := s.CreateUser("bob")
	_, carolTok := s.CreateUser("carol")
	a, b, c, anon := NewClient(s, aliceTok), NewClient(s, bobTok), NewClient(s, carolTok), NewClient(s, "")
	b.JSON(t, 200, "POST", "/api/v1/accounts/"+alice.ID+"/follow", nil, nil)
	a.JSON(t, 200, "POST", "/api/v1/accounts/"+bob.ID+"/follow", nil, nil)

	var priv, dm map[string]any
	a.JSON(t, 200, "POST", "/api/v1/statuses", url.Values{"status": {"secret for followers"}, "visibility": {"private"}}, &priv)
	a.JSON(t, 200, "POST", "/api/v1/statuses", url.Values{"status": {"@bob secret dm"}, "visibility": {"direct"}}, &dm)
	for _, q := range []map[string]any{priv, dm} {
		wantError(t, b, 422, "POST", "/api/v1/statuses", url.Values{"status": {"look"}, "quoted_status_id": {q["id"].(string)}}, "quote")
	}
	// Bob's timeline shows nothing from the refused quotes.
	var pub []map[string]any
	anon.JSON(t, 200, "GET", "/api/v1/timelines/public", nil, &pub)
	if len(pub) != 0 {
		t.Fatalf("public timeline after refused quotes: %v", pub)
	}

	// A public and an unlisted post can be quoted by others.
	var open, unl, qs map[string]any
	a.JSON(t, 200, "POST", "/api/v1/statuses", url.Values{"status": {"open"}}, &open)
	a.JSON(t, 200, "POST", "/api/v1/statuses", url.Values{"status": {"quiet"}, "visibility": {"unlisted"}}, &unl)
	for _, q := range []map[string]any{open, unl} {
		b.JSON(t, 200, "POST", "/api/v1/statuses", url.Values{"status": {"quoting"}, "quoted_status_id": {q["id"].(string)}}, &qs)
		if quote(t, qs)["state"] != "accepted" || quote(t, qs)["quoted_status"] == nil {
			t.Fatalf("quote of a %v post: %v", q["visibility"], qs["quote"])
		}
	}

	// An author may quote their own private post in a public one; only
	// those who may see the private post see it through the quote.
	var own map[string]any
	b.JSON(t, 200, "POST", "/api/v1/statuses", url.Values{"status": {"bob only for followers"}, "visibility": {"private"}}, &own)
	b.JSON(t, 200, "POST", "/api/v1/statuses", url.Values{"status": {"self quote"}, "quoted_status_id": {own["id"].(string)}}, &qs)
	id := qs["id"].(string)
	for name, viewer := range map[string]*Client{"carol": c, "anonymous": anon} {
		var got map[string]any
		viewer.JSON(t, 200, "GET", "/api/v1/statuses/"+id, nil, &got)
		if q := quote(t, got); q["state"] != "unauthorized" || q["quoted_status"] != nil {
			t.Fatalf("%s sees quote %v", name, q)
		}
		viewer.JSON(t, 200, "GET", "/api/v1/timelines/public", nil, &pub)
		for _, p := range pub {
			if p["id"] == id {
				if q := quote(t, p); q["state"] != "unauthorized" || q["quoted_status"] != nil {
					t.Fatalf("%s sees on the public timeline quote %v", name, q)
				}
			}
		}
	}
	var got map[string]any
	a.JSON(t, 200, "GET", "/api/v1/statuses/"+id, nil, &got) // alice follows bob
	if q := quote(t, got); q["state"] != "accepted" || q["quoted_status"].(map[string]any)["id"] != own["id"] {
		t.Fatalf("a follower sees quote %v", q)
	}
}

// TestQuoteStateForBlockedAndMuted: a quote of an account the viewer blocks
// or mutes carries Mastodon's blocked_account / muted_account state.
func TestQuoteStateForBlockedAndMuted(t *testing.T) {
	s := NewTestServer(t)
	alice, aliceTok := s.CreateUser("alice")
	_, bobTok := s.CreateUser("bob")
	_, carolTok := s.CreateUser("carol")
	a, b, c := NewClient(s, aliceTok), NewClient(s, bobTok), NewClient(s, carolTok)
	orig := a.PostStatus(t, "original")
	var qs, got map[string]any
	b.JSON(t, 200, "POST", "/api/v1/statuses", url.Values{"status": {"q"}, "quoted_status_id": {orig["id"].(string)}}, &qs)
	c.JSON(t, 200, "POST", "/api/v1/accounts/"+alice.ID+"/mute", nil, nil)
	c.JSON(t, 200, "GET", "/api/v1/statuses/"+qs["id"].(string), nil, &got)
	if q := quote(t, got); q["state"] != "muted_account" {
		t.Fatalf("muting viewer sees %v", q)
	}
	c.JSON(t, 200, "POST", "/api/v1/accounts/"+alice.ID+"/block", nil, nil)
	c.JSON(t, 200, "GET", "/api/v1/statuses/"+qs["id"].(string), nil, &got)
	if q := quote(t, got); q["state"] != "blocked_account" || q["quoted_status"] == nil {
		t.Fatalf("blocking viewer sees %v", q)
	}
}

func quote(t *testing.T, st map[string]any) map[string]any {
	t.Helper()
	q, ok := st["quote"].(map[string]any)
	if !ok {
		t.Fatalf("status %v has no quote object: %v", st["id"], st["quote"])
	}
	return q
}

package mastodontest

import "testing"

// TestAdminTrends: an admin lists every trend candidate with its review
// state and approves or rejects links, statuses and tags by id; a rejected
// one leaves the public trends, and approving brings it back reviewed.
func TestAdminTrends(t *testing.T) {
	s := NewTestServer(t)
	root := s.CreateAccount("root", Admin())
	alice, at := s.CreateUser("alice")
	_, bt := s.CreateUser("bob")
	ac, bc := NewClient(s, at), NewClient(s, bt)
	adm := NewClient(s, s.CreateToken(root.ID, "admin:read", "admin:write"))
	anon := NewClient(s, "")
	s.SetPreviewCard("https://go.dev/doc/", PreviewCard{Title: "Docs"})
	st := ac.PostStatus(t, "#gophers https://go.dev/doc/")["id"].(string)
	bc.PostStatus(t, "#gophers too")
	bc.JSON(t, 200, "POST", "/api/v1/statuses/"+st+"/favourite", nil, nil)

	list := func(c *Client, path string) []map[string]any {
		t.Helper()
		var got []map[string]any // fresh: decoding into used maps would keep their keys
		c.JSON(t, 200, "GET", path, nil, &got)
		return got
	}
	tags := list(adm, "/api/v1/admin/trends/tags")
	if len(tags) != 1 || tags[0]["name"] != "gophers" || tags[0]["requires_review"] != true || tags[0]["trendable"] != true ||
		tags[0]["usable"] != true || tags[0]["id"] == "" || len(tags[0]["history"].([]any)) != 7 {
		t.Fatalf("admin tags = %v", tags)
	}
	links := list(adm, "/api/v1/admin/trends/links")
	if len(links) != 1 || links[0]["url"] != "https://go.dev/doc/" || links[0]["requires_review"] != true || links[0]["id"] == "" {
		t.Fatalf("admin links = %v", links)
	}
	sts := list(adm, "/api/v1/admin/trends/statuses")
	if len(sts) != 1 || sts[0]["id"] != st || sts[0]["requires_review"] != true {
		t.Fatalf("admin statuses = %v", sts)
	}
	// Anyone else gets the public lists, without review state; a token
	// sent must carry admin:read.
	tags = list(anon, "/api/v1/admin/trends/tags")
	if len(tags) != 1 || tags[0]["requires_review"] != nil {
		t.Fatalf("anonymous admin tags = %v", tags)
	}
	links = list(NewClient(s, s.CreateToken(alice.ID, "admin:read")), "/api/v1/admin/trends/links")
	if len(links) != 1 || links[0]["id"] != nil {
		t.Fatalf("user's admin links = %v", links)
	}
	wantError(t, ac, 403, "GET", "/api/v1/admin/trends/statuses", nil, "outside the authorized scopes")
	userW := NewClient(s, s.CreateToken(alice.ID, "admin:write"))
	wantError(t, userW, 403, "POST", "/api/v1/admin/trends/tags/"+tags[0]["id"].(string)+"/reject", nil, "This action is not allowed")
	wantError(t, NewClient(s, s.CreateToken(root.ID, "admin:read")), 403, "POST", "/api/v1/admin/trends/tags/1/reject", nil, "outside the authorized scopes")
	adm.JSON(t, 404, "POST", "/api/v1/admin/trends/tags/404/approve", nil, nil)

	var got map[string]any
	tags = list(adm, "/api/v1/admin/trends/tags")
	links = list(adm, "/api/v1/admin/trends/links")
	tagID, linkID := tags[0]["id"].(string), links[0]["id"].(string)
	for _, kind := range []string{"tags", "links", "statuses"} {
		id := map[string]string{"tags": tagID, "links": linkID, "statuses": st}[kind]
		got = nil
		adm.JSON(t, 200, "POST", "/api/v1/admin/trends/"+kind+"/"+id+"/reject", nil, &got)
		if got["requires_review"] != false || (kind == "tags" && got["trendable"] != false) {
			t.Fatalf("rejected %s = %v", kind, got)
		}
		pub := list(anon, "/api/v1/trends/"+kind)
		if len(pub) != 0 {
			t.Fatalf("rejected %s still trends: %v", kind, pub)
		}
		all := list(adm, "/api/v1/admin/trends/"+kind)
		if len(all) != 1 {
			t.Fatalf("admin lost the rejected %s: %v", kind, all)
		}
		got = nil
		adm.JSON(t, 200, "POST", "/api/v1/admin/trends/"+kind+"/"+id+"/approve", nil, &got)
		if got["requires_review"] != false || (kind == "tags" && got["trendable"] != true) {
			t.Fatalf("approved %s = %v", kind, got)
		}
		pub = list(anon, "/api/v1/trends/"+kind)
		if len(pub) != 1 {
			t.Fatalf("approved %s does not trend: %v", kind, pub)
		}
	}
	// Trends switched off: the public lists are empty, an admin still reviews.
	s.SetTrends(false)
	tags = list(adm, "/api/v1/admin/trends/tags")
	if len(tags) != 1 || tags[0]["id"] != tagID {
		t.Fatalf("admin tags with trends off = %v", tags)
	}
	pub := list(anon, "/api/v1/trends/tags")
	if len(pub) != 0 {
		t.Fatalf("public tags with trends off = %v", pub)
	}
	// A deleted status takes its review with it.
	ac.JSON(t, 200, "DELETE", "/api/v1/statuses/"+st, nil, nil)
	s.mu.Lock()
	_, kept := s.st.x.trendReview["status:"+st]
	s.mu.Unlock()
	if kept {
		t.Fatal("the review of a deleted status is kept")
	}
}

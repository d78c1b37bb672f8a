package mastodontest

import (
	"net/url"
	"slices"
	"testing"
)

// TestAccountRelations: lookup, following without reblogs, relationships,
// follower lists, removing a follower, timed mutes, blocks, notes, a
// profile update that locks the account, the follow request that follows,
// and an account's statuses page by page. (Moved here from the library's
// tests, which exercised these routes through the client.)
func TestAccountRelations(t *testing.T) {
	s := NewTestServer(t)
	alice, at := s.CreateUser("alice")
	bob, bt := s.CreateUser("bob")
	ac, bc := NewClient(s, at), NewClient(s, bt)
	var me, found map[string]any
	ac.JSON(t, 200, "GET", "/api/v1/accounts/verify_credentials", nil, &me)
	ac.JSON(t, 200, "GET", "/api/v1/accounts/lookup", url.Values{"acct": {"bob"}}, &found)
	if me["id"] != alice.ID || found["id"] != bob.ID {
		t.Fatalf("me %v, lookup %v", me["id"], found["id"])
	}
	rel := func(c *Client, method, path string, form url.Values) map[string]any {
		t.Helper()
		var r map[string]any
		c.JSON(t, 200, method, path, form, &r)
		return r
	}
	if r := rel(ac, "POST", "/api/v1/accounts/"+bob.ID+"/follow", url.Values{"reblogs": {"false"}}); r["following"] != true || r["showing_reblogs"] != false {
		t.Fatalf("follow without reblogs = %v", r)
	}
	var rels []map[string]any
	ac.JSON(t, 200, "GET", "/api/v1/accounts/relationships", url.Values{"id[]": {bob.ID}}, &rels)
	if len(rels) != 1 || rels[0]["following"] != true || rels[0]["id"] != bob.ID {
		t.Fatalf("relationships = %v", rels)
	}
	ids := func(c *Client, path string, q url.Values) []any {
		t.Helper()
		var list []map[string]any
		c.JSON(t, 200, "GET", path, q, &list)
		return idsOf(list)
	}
	if got := ids(bc, "/api/v1/accounts/"+bob.ID+"/followers", nil); !slices.Equal(got, []any{alice.ID}) {
		t.Errorf("followers = %v", got)
	}
	if got := ids(ac, "/api/v1/accounts/"+alice.ID+"/following", nil); !slices.Equal(got, []any{bob.ID}) {
		t.Errorf("following = %v", got)
	}
	if r := rel(bc, "POST", "/api/v1/accounts/"+alice.ID+"/remove_from_followers", nil); r["followed_by"] != false {
		t.Errorf("remove from followers = %v", r)
	}
	if got := ids(bc, "/api/v1/accounts/"+bob.ID+"/followers", nil); len(got) != 0 {
		t.Errorf("followers after removal = %v", got)
	}

	if r := rel(ac, "POST", "/api/v1/accounts/"+bob.ID+"/mute", url.Values{"duration": {"3600"}}); r["muting"] != true {
		t.Errorf("mute = %v", r)
	}
	var mutes []map[string]any
	ac.JSON(t, 200, "GET", "/api/v1/mutes", nil, &mutes)
	if len(mutes) != 1 || mutes[0]["id"] != bob.ID || mutes[0]["mute_expires_at"] == nil {
		t.Errorf("mutes = %v", mutes)
	}
	if r := rel(ac, "POST", "/api/v1/accounts/"+bob.ID+"/unmute", nil); r["muting"] != false {
		t.Errorf("unmute = %v", r)
	}
	if r := rel(ac, "POST", "/api/v1/accounts/"+bob.ID+"/block", nil); r["blocking"] != true {
		t.Errorf("block = %v", r)
	}
	if got := ids(ac, "/api/v1/blocks", nil); !slices.Equal(got, []any{bob.ID}) {
		t.Errorf("blocks = %v", got)
	}
	if r := rel(ac, "POST", "/api/v1/accounts/"+bob.ID+"/unblock", nil); r["blocking"] != false {
		t.Errorf("unblock = %v", r)
	}
	if r := rel(ac, "POST", "/api/v1/accounts/"+bob.ID+"/note", url.Values{"comment": {"met at the fair"}}); r["note"] != "met at the fair" {
		t.Errorf("note = %v", r)
	}

	var upd map[string]any
	ac.JSON(t, 200, "PATCH", "/api/v1/accounts/update_credentials", url.Values{"display_name": {"Alice A."}, "locked": {"true"},
		"fields_attributes[0][name]": {"site"}, "fields_attributes[0][value]": {"https://alice.example"}}, &upd)
	if upd["display_name"] != "Alice A." || upd["locked"] != true || len(upd["fields"].([]any)) != 1 {
		t.Fatalf("update = %v", upd)
	}
	// alice is locked now: bob's follow becomes a request she decides on.
	if r := rel(bc, "POST", "/api/v1/accounts/"+alice.ID+"/follow", nil); r["requested"] != true || r["following"] != false {
		t.Fatalf("follow request = %v", r)
	}
	if got := ids(ac, "/api/v1/follow_requests", nil); !slices.Equal(got, []any{bob.ID}) {
		t.Fatalf("follow requests = %v", got)
	}
	if r := rel(ac, "POST", "/api/v1/follow_requests/"+bob.ID+"/authorize", nil); r["followed_by"] != true {
		t.Errorf("authorize = %v", r)
	}

	first := bc.PostStatus(t, "one #cats")["id"]
	second := bc.PostStatus(t, "two")["id"]
	hdr := ac.JSON(t, 200, "GET", "/api/v1/accounts/"+bob.ID+"/statuses", url.Values{"limit": {"1"}}, nil)
	if got := ids(ac, "/api/v1/accounts/"+bob.ID+"/statuses", url.Values{"limit": {"1"}}); !slices.Equal(got, []any{second}) || hdr.Get("Link") == "" {
		t.Fatalf("first page = %v, Link %q", got, hdr.Get("Link"))
	}
	if got := ids(ac, "/api/v1/accounts/"+bob.ID+"/statuses", url.Values{"limit": {"1"}, "max_id": {second.(string)}}); !slices.Equal(got, []any{first}) {
		t.Fatalf("second page = %v", got)
	}
}

package mastodontest

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestFavouritesAndBookmarksLinkMinID: like Mastodon's favourites and
// bookmarks controllers, "prev" pages with min_id, "next" with max_id.
func TestFavouritesAndBookmarksLinkMinID(t *testing.T) {
	s := NewTestServer(t)
	_, at := s.CreateUser("alice")
	a := NewClient(s, at)
	for i := range 3 {
		id := a.PostStatus(t, "post "+string(rune('a'+i)))["id"].(string)
		a.JSON(t, 200, "POST", "/api/v1/statuses/"+id+"/favourite", nil, nil)
		a.JSON(t, 200, "POST", "/api/v1/statuses/"+id+"/bookmark", nil, nil)
	}
	for _, path := range []string{"/api/v1/favourites", "/api/v1/bookmarks"} {
		link := a.JSON(t, 200, "GET", path, url.Values{"limit": {"2"}}, nil).Get("Link")
		if !strings.Contains(link, path+"?limit=2&max_id=") || !strings.Contains(link, `rel="next"`) ||
			!strings.Contains(link, path+"?limit=2&min_id=") || strings.Contains(link, "since_id") {
			t.Errorf("%s Link: %s", path, link)
		}
	}
}

// TestPinnedStatusesLink: the pinned statuses of an account are paged
// with Link headers like its other statuses.
func TestPinnedStatusesLink(t *testing.T) {
	s := NewTestServer(t)
	alice, at := s.CreateUser("alice")
	a := NewClient(s, at)
	for i := range 2 {
		id := a.PostStatus(t, "pin "+string(rune('a'+i)))["id"].(string)
		a.JSON(t, 200, "POST", "/api/v1/statuses/"+id+"/pin", nil, nil)
	}
	var got []map[string]any
	link := a.JSON(t, 200, "GET", "/api/v1/accounts/"+alice.ID+"/statuses", url.Values{"pinned": {"true"}, "limit": {"1"}}, &got).Get("Link")
	if len(got) != 1 || !strings.Contains(link, "pinned=true") || !strings.Contains(link, "max_id="+got[0]["id"].(string)) ||
		!strings.Contains(link, "min_id="+got[0]["id"].(string)) {
		t.Errorf("pinned page %v, Link %q", idsOf(got), link)
	}
}

// TestBlocksPagedByBlock: blocks list newest block first, and the cursors
// are the blocks', as in Mastodon's BlocksController.
func TestBlocksPagedByBlock(t *testing.T) {
	s := NewTestServer(t)
	_, at := s.CreateUser("alice")
	first := s.CreateAccount("zed") // created first, blocked last
	second := s.CreateAccount("amy")
	a := NewClient(s, at)
	a.JSON(t, 200, "POST", "/api/v1/accounts/"+second.ID+"/block", nil, nil)
	a.JSON(t, 200, "POST", "/api/v1/accounts/"+first.ID+"/block", nil, nil)
	var got []map[string]any
	link := a.JSON(t, 200, "GET", "/api/v1/blocks", url.Values{"limit": {"1"}}, &got).Get("Link")
	if len(got) != 1 || got[0]["id"] != first.ID {
		t.Fatalf("first page %v, want the newest block (%s)", idsOf(got), first.ID)
	}
	next := strings.TrimPrefix(strings.SplitN(link, ">", 2)[0], "<"+s.URL)
	a.JSON(t, 200, "GET", next, nil, &got)
	if len(got) != 1 || got[0]["id"] != second.ID {
		t.Fatalf("next page (%s) %v, want %s", next, idsOf(got), second.ID)
	}
}

// TestFollowSelfNotFound: Mastodon's FollowService treats following
// oneself as not possible: 404, where a block gives 403.
func TestFollowSelfNotFound(t *testing.T) {
	s := NewTestServer(t)
	alice, at := s.CreateUser("alice")
	wantError(t, NewClient(s, at), 404, "POST", "/api/v1/accounts/"+alice.ID+"/follow", nil, "Record not found")
}

// TestPinErrors: the pin validation errors carry Mastodon's messages.
func TestPinErrors(t *testing.T) {
	s := NewTestServer(t)
	_, at := s.CreateUser("alice")
	_, bt := s.CreateUser("bob")
	a, b := NewClient(s, at), NewClient(s, bt)
	bobs := b.PostStatus(t, "bob's")["id"].(string)
	wantError(t, a, 422, "POST", "/api/v1/statuses/"+bobs+"/pin", nil, "Validation failed: Someone else's post cannot be pinned")
	var dm, rb map[string]any
	a.JSON(t, 200, "POST", "/api/v1/statuses", url.Values{"status": {"@bob psst"}, "visibility": {"direct"}}, &dm)
	wantError(t, a, 422, "POST", "/api/v1/statuses/"+dm["id"].(string)+"/pin", nil,
		"Validation failed: Posts that are only visible to mentioned users cannot be pinned")
	a.JSON(t, 200, "POST", "/api/v1/statuses/"+bobs+"/reblog", nil, &rb)
	wantError(t, a, 422, "POST", "/api/v1/statuses/"+rb["id"].(string)+"/pin", nil, "Validation failed: A boost cannot be pinned")
	for i := range 5 {
		id := a.PostStatus(t, "mine "+string(rune('a'+i)))["id"].(string)
		a.JSON(t, 200, "POST", "/api/v1/statuses/"+id+"/pin", nil, nil)
	}
	sixth := a.PostStatus(t, "one too many")["id"].(string)
	wantError(t, a, 422, "POST", "/api/v1/statuses/"+sixth+"/pin", nil, "Validation failed: You have already pinned the maximum number of posts")
}

// TestUndoOnHiddenStatus: a status one can no longer see (its author
// blocked us) can still be unfavourited, but undoing what was never done
// is not found rather than showing the status.
func TestUndoOnHiddenStatus(t *testing.T) {
	s := NewTestServer(t)
	alice, at := s.CreateUser("alice")
	_, bt := s.CreateUser("bob")
	a, b := NewClient(s, at), NewClient(s, bt)
	var priv map[string]any
	b.JSON(t, 200, "POST", "/api/v1/statuses", url.Values{"status": {"followers only"}, "visibility": {"private"}}, &priv)
	id := priv["id"].(string)
	for _, undo := range []string{"unfavourite", "unbookmark", "unreblog"} {
		wantError(t, a, 404, "POST", "/api/v1/statuses/"+id+"/"+undo, nil, "Not Found")
	}
	pub := b.PostStatus(t, "public")["id"].(string)
	a.JSON(t, 200, "POST", "/api/v1/statuses/"+pub+"/favourite", nil, nil)
	b.JSON(t, 200, "POST", "/api/v1/accounts/"+alice.ID+"/block", nil, nil)
	a.JSON(t, 404, "GET", "/api/v1/statuses/"+pub, nil, nil)
	var got map[string]any
	a.JSON(t, 200, "POST", "/api/v1/statuses/"+pub+"/unfavourite", nil, &got)
	if got["favourited"] != false {
		t.Errorf("unfavourite of a hidden status: %v", got["favourited"])
	}
}

// TestConversationMute: muting a status's conversation silences the
// notifications about any status of that thread and shows as "muted",
// until unmuted.
func TestConversationMute(t *testing.T) {
	s := NewTestServer(t)
	_, at := s.CreateUser("alice")
	_, bt := s.CreateUser("bob")
	a, b := NewClient(s, at), NewClient(s, bt)
	root := a.PostStatus(t, "a thread")["id"].(string)
	reply := func(to, text string) string {
		var r map[string]any
		b.JSON(t, 200, "POST", "/api/v1/statuses", url.Values{"status": {text}, "in_reply_to_id": {to}}, &r)
		return r["id"].(string)
	}
	count := func() int {
		var ns []any
		a.JSON(t, 200, "GET", "/api/v1/notifications", nil, &ns)
		return len(ns)
	}
	first := reply(root, "@alice one")
	if n := count(); n != 1 {
		t.Fatalf("%d notifications before muting, want 1", n)
	}
	var muted map[string]any
	a.JSON(t, 200, "POST", "/api/v1/statuses/"+first+"/mute", nil, &muted)
	if muted["muted"] != true {
		t.Fatalf("mute answered muted=%v", muted["muted"])
	}
	var got map[string]any
	a.JSON(t, 200, "GET", "/api/v1/statuses/"+root, nil, &got)
	if got["muted"] != true {
		t.Errorf("the thread's first status: muted=%v", got["muted"])
	}
	reply(first, "@alice two")
	b.JSON(t, 200, "POST", "/api/v1/statuses/"+root+"/favourite", nil, nil)
	if n := count(); n != 1 {
		t.Errorf("%d notifications while muted, want still 1", n)
	}
	a.JSON(t, 200, "POST", "/api/v1/statuses/"+root+"/unmute", nil, &got)
	reply(root, "@alice three")
	if n := count(); n != 2 || got["muted"] != false {
		t.Errorf("after unmuting: %d notifications (want 2), muted=%v", n, got["muted"])
	}
}

// TestStatusQuotes: quotes_count counts the quotes of a status, which
// GET /api/v1/statuses/{id}/quotes lists newest first with Link headers;
// the author can revoke one, which then shows as "revoked".
func TestStatusQuotes(t *testing.T) {
	s := NewTestServer(t)
	_, at := s.CreateUser("alice")
	_, bt := s.CreateUser("bob")
	a, b := NewClient(s, at), NewClient(s, bt)
	orig := a.PostStatus(t, "quote me")["id"].(string)
	var ids []string
	for i := range 3 {
		var q map[string]any
		b.JSON(t, 200, "POST", "/api/v1/statuses", url.Values{"status": {"quoting " + string(rune('a'+i))}, "quoted_status_id": {orig}}, &q)
		ids = append(ids, q["id"].(string))
	}
	var got map[string]any
	a.JSON(t, 200, "GET", "/api/v1/statuses/"+orig, nil, &got)
	if got["quotes_count"] != 3.0 {
		t.Errorf("quotes_count %v, want 3", got["quotes_count"])
	}
	var page []map[string]any
	link := b.JSON(t, 200, "GET", "/api/v1/statuses/"+orig+"/quotes", url.Values{"limit": {"2"}}, &page).Get("Link")
	if len(page) != 2 || page[0]["id"] != ids[2] || page[1]["id"] != ids[1] ||
		!strings.Contains(link, "max_id="+ids[1]) || !strings.Contains(link, "since_id="+ids[2]) {
		t.Fatalf("first page %v, Link %q", idsOf(page), link)
	}
	var revoked map[string]any
	b.JSON(t, 403, "POST", "/api/v1/statuses/"+orig+"/quotes/"+ids[0]+"/revoke", nil, nil)
	a.JSON(t, 200, "POST", "/api/v1/statuses/"+orig+"/quotes/"+ids[0]+"/revoke", nil, &revoked)
	if q, _ := revoked["quote"].(map[string]any); q == nil || q["state"] != "revoked" || q["quoted_status"] != nil {
		t.Errorf("revoked quote: %v", revoked["quote"])
	}
	a.JSON(t, 200, "GET", "/api/v1/statuses/"+orig+"/quotes", nil, &page)
	a.JSON(t, 200, "GET", "/api/v1/statuses/"+orig, nil, &got)
	if len(page) != 2 || got["quotes_count"] != 2.0 {
		t.Errorf("after revoking: %d listed, quotes_count %v", len(page), got["quotes_count"])
	}
	b.JSON(t, 200, "DELETE", "/api/v1/statuses/"+ids[2], nil, nil)
	a.JSON(t, 200, "GET", "/api/v1/statuses/"+orig, nil, &got)
	if got["quotes_count"] != 1.0 {
		t.Errorf("after deleting a quote: quotes_count %v", got["quotes_count"])
	}
}

// TestIdempotencyKeyPerAccount: an Idempotency-Key is the account's: the
// same key from another token of the account returns the first status,
// from another account it posts anew.
func TestIdempotencyKeyPerAccount(t *testing.T) {
	s := NewTestServer(t)
	alice, at := s.CreateUser("alice")
	_, bt := s.CreateUser("bob")
	post := func(tok string) string {
		req, _ := http.NewRequest("POST", s.URL+"/api/v1/statuses", strings.NewReader("status=hi"))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Authorization", "Bearer "+tok)
		req.Header.Set("Idempotency-Key", "same-key")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var out struct{ ID string }
		if err := json.NewDecoder(resp.Body).Decode(&out); err != nil || resp.StatusCode != 200 {
			t.Fatalf("post: %d %v", resp.StatusCode, err)
		}
		return out.ID
	}
	first := post(at)
	if again := post(s.CreateToken(alice.ID)); again != first {
		t.Errorf("alice's second token made %s, want %s", again, first)
	}
	if bobs := post(bt); bobs == first {
		t.Errorf("bob's post with alice's key returned alice's status %s", first)
	}
}

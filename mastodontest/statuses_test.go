package mastodontest

import (
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"
)

// TestStatusLifecycle: a status through a reply, favourites, reblogs,
// bookmarks, an edit with its history and source, and deletion, as its
// author and another account see it. (Moved here from the library's tests,
// which exercised these routes through the client.)
func TestStatusLifecycle(t *testing.T) {
	s := NewTestServer(t)
	alice, at := s.CreateUser("alice")
	bob, bt := s.CreateUser("bob")
	ac, bc := NewClient(s, at), NewClient(s, bt)
	var posted map[string]any
	bc.JSON(t, 200, "POST", "/api/v1/statuses", url.Values{"status": {"hello @alice"}, "spoiler_text": {"greeting"}}, &posted)
	id := posted["id"].(string)
	if posted["spoiler_text"] != "greeting" || posted["account"].(map[string]any)["id"] != bob.ID || len(posted["mentions"].([]any)) != 1 {
		t.Fatalf("posted = %v", posted)
	}
	var reply, cx map[string]any
	ac.JSON(t, 200, "POST", "/api/v1/statuses", url.Values{"status": {"@bob hi"}, "in_reply_to_id": {id}}, &reply)
	if reply["in_reply_to_id"] != id || reply["in_reply_to_account_id"] != bob.ID {
		t.Fatalf("reply = %v", reply)
	}
	bc.JSON(t, 200, "GET", "/api/v1/statuses/"+id+"/context", nil, &cx)
	if d := cx["descendants"].([]any); len(d) != 1 || d[0].(map[string]any)["id"] != reply["id"] {
		t.Fatalf("context = %v", cx)
	}

	var fav, boost map[string]any
	ac.JSON(t, 200, "POST", "/api/v1/statuses/"+id+"/favourite", nil, &fav)
	ac.JSON(t, 200, "POST", "/api/v1/statuses/"+id+"/reblog", nil, &boost)
	if fav["favourited"] != true || fav["favourites_count"] != 1.0 || boost["reblog"].(map[string]any)["id"] != id {
		t.Fatalf("favourite %v, reblog %v", fav["favourited"], boost["reblog"])
	}
	ids := func(c *Client, path string) []any {
		t.Helper()
		var list []map[string]any
		c.JSON(t, 200, "GET", path, nil, &list)
		return idsOf(list)
	}
	for _, p := range []string{"/favourited_by", "/reblogged_by"} {
		if got := ids(bc, "/api/v1/statuses/"+id+p); !slices.Equal(got, []any{alice.ID}) {
			t.Errorf("%s = %v", p, got)
		}
	}
	if got := ids(ac, "/api/v1/favourites"); !slices.Equal(got, []any{id}) {
		t.Errorf("favourites = %v", got)
	}
	ac.JSON(t, 200, "POST", "/api/v1/statuses/"+id+"/bookmark", nil, nil)
	if got := ids(ac, "/api/v1/bookmarks"); !slices.Equal(got, []any{id}) {
		t.Errorf("bookmarks = %v", got)
	}

	var edited, src map[string]any
	var hist []map[string]any
	bc.JSON(t, 200, "PUT", "/api/v1/statuses/"+id, url.Values{"status": {"hello again"}}, &edited)
	bc.JSON(t, 200, "GET", "/api/v1/statuses/"+id+"/history", nil, &hist)
	bc.JSON(t, 200, "GET", "/api/v1/statuses/"+id+"/source", nil, &src)
	if !strings.Contains(edited["content"].(string), "hello again") || edited["edited_at"] == nil || len(hist) != 2 || src["text"] != "hello again" {
		t.Fatalf("edited %v, %d versions, source %v", edited["content"], len(hist), src)
	}

	// Mastodon looks among the caller's own statuses: another's is not found.
	ac.JSON(t, 404, "DELETE", "/api/v1/statuses/"+id, nil, nil)
	var del map[string]any
	bc.JSON(t, 200, "DELETE", "/api/v1/statuses/"+id, nil, &del)
	if del["text"] != "hello again" {
		t.Fatalf("delete answered %v", del)
	}
	bc.JSON(t, 404, "GET", "/api/v1/statuses/"+id, nil, nil)
}

// TestPollAndSchedule: voting on a multiple-choice poll, and a scheduled
// status listed, moved and cancelled.
func TestPollAndSchedule(t *testing.T) {
	s := NewTestServer(t)
	_, at := s.CreateUser("alice")
	_, bt := s.CreateUser("bob")
	ac, bc := NewClient(s, at), NewClient(s, bt)
	var posted, voted, got map[string]any
	bc.JSON(t, 200, "POST", "/api/v1/statuses", url.Values{"status": {"drink?"}, "poll[options][]": {"tea", "coffee", "water"},
		"poll[expires_in]": {"3600"}, "poll[multiple]": {"true"}}, &posted)
	poll := posted["poll"].(map[string]any)
	if len(poll["options"].([]any)) != 3 || poll["multiple"] != true {
		t.Fatalf("poll = %v", poll)
	}
	pid := poll["id"].(string)
	ac.JSON(t, 200, "POST", "/api/v1/polls/"+pid+"/votes", url.Values{"choices[]": {"0", "2"}}, &voted)
	if voted["votes_count"] != 2.0 || voted["voters_count"] != 1.0 || len(voted["own_votes"].([]any)) != 2 || voted["voted"] != true {
		t.Fatalf("voted = %v", voted)
	}
	bc.JSON(t, 200, "GET", "/api/v1/polls/"+pid, nil, &got)
	// Mastodon's Poll#voted? counts the author as having voted.
	if got["votes_count"] != 2.0 || got["voted"] != true || len(got["own_votes"].([]any)) != 0 {
		t.Errorf("poll as its author = %v", got)
	}

	at1 := s.Clock().Now().Add(24 * time.Hour).UTC().Truncate(time.Second)
	var sched map[string]any
	bc.JSON(t, 200, "POST", "/api/v1/statuses", url.Values{"status": {"tomorrow"}, "scheduled_at": {at1.Format(time.RFC3339)}}, &sched)
	sid := sched["id"].(string)
	if sched["params"].(map[string]any)["text"] != "tomorrow" {
		t.Fatalf("scheduled = %v", sched)
	}
	var list []map[string]any
	bc.JSON(t, 200, "GET", "/api/v1/scheduled_statuses", nil, &list)
	if !slices.Equal(idsOf(list), []any{sid}) {
		t.Fatalf("scheduled list = %v", list)
	}
	later := at1.Add(time.Hour)
	var moved map[string]any
	bc.JSON(t, 200, "PUT", "/api/v1/scheduled_statuses/"+sid, url.Values{"scheduled_at": {later.Format(time.RFC3339)}}, &moved)
	if ts, ok := parseTime(moved["scheduled_at"].(string)); !ok || !ts.Equal(later) {
		t.Errorf("moved to %v", moved["scheduled_at"])
	}
	bc.JSON(t, 200, "DELETE", "/api/v1/scheduled_statuses/"+sid, nil, nil)
	bc.JSON(t, 404, "GET", "/api/v1/scheduled_statuses/"+sid, nil, nil)
}

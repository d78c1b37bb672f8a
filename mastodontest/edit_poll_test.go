package mastodontest

import (
	"encoding/json"
	"net/url"
	"slices"
	"strings"
	"testing"
)

// pollOf returns a status's poll as decoded JSON (nil when it has none).
func pollOf(st map[string]any) map[string]any {
	p, _ := st["poll"].(map[string]any)
	return p
}

// historyPolls lists, for each entry of a status's edit history, its poll
// options joined by "/" ("-" for an entry without a poll).
func historyPolls(t *testing.T, c *Client, id string) []string {
	t.Helper()
	var hist []struct {
		Poll *struct {
			Options []struct{ Title string } `json:"options"`
		} `json:"poll"`
	}
	c.JSON(t, 200, "GET", "/api/v1/statuses/"+id+"/history", nil, &hist)
	var out []string
	for _, h := range hist {
		if h.Poll == nil {
			out = append(out, "-")
			continue
		}
		var titles []string
		for _, o := range h.Poll.Options {
			titles = append(titles, o.Title)
		}
		out = append(out, strings.Join(titles, "/"))
	}
	return out
}

func pollForm(text string, opts ...string) url.Values {
	return url.Values{"status": {text}, "poll[options][]": opts, "poll[expires_in]": {"600"}}
}

// TestEditWithoutPollRemovesIt: as in Mastodon's UpdateStatusService, an
// edit that sends no poll removes the status's poll; the history keeps it
// on the entries from before.
func TestEditWithoutPollRemovesIt(t *testing.T) {
	s := NewTestServer(t)
	_, at := s.CreateUser("alice")
	_, bt := s.CreateUser("bob")
	a, b := NewClient(s, at), NewClient(s, bt)
	var st map[string]any
	a.JSON(t, 200, "POST", "/api/v1/statuses", pollForm("pick", "red", "blue"), &st)
	id, pollID := st["id"].(string), pollOf(st)["id"].(string)
	b.JSON(t, 200, "POST", "/api/v1/polls/"+pollID+"/votes", url.Values{"choices[]": {"0"}}, nil)

	var edited map[string]any
	a.JSON(t, 200, "PUT", "/api/v1/statuses/"+id, url.Values{"status": {"never mind"}}, &edited)
	if edited["poll"] != nil {
		t.Fatalf("edit without a poll: poll %v, want null", edited["poll"])
	}
	var got map[string]any
	b.JSON(t, 200, "GET", "/api/v1/statuses/"+id, nil, &got)
	if got["poll"] != nil {
		t.Errorf("GET after the edit: poll %v, want null", got["poll"])
	}
	b.JSON(t, 404, "GET", "/api/v1/polls/"+pollID, nil, nil)
	b.JSON(t, 404, "POST", "/api/v1/polls/"+pollID+"/votes", url.Values{"choices[]": {"1"}}, nil)
	if h := historyPolls(t, a, id); !slices.Equal(h, []string{"red/blue", "-"}) {
		t.Errorf("history polls %v, want [red/blue -]", h)
	}
	if n := s.sizes()["polls"]; n != 0 {
		t.Errorf("%d polls still held", n)
	}
}

// TestEditPollOptions: changed options keep the poll's id but reset its
// votes; the same options again keep the votes; each history entry shows
// the options of its time.
func TestEditPollOptions(t *testing.T) {
	s := NewTestServer(t)
	_, at := s.CreateUser("alice")
	_, bt := s.CreateUser("bob")
	a, b := NewClient(s, at), NewClient(s, bt)
	var st map[string]any
	a.JSON(t, 200, "POST", "/api/v1/statuses", pollForm("pick", "red", "blue"), &st)
	id, pollID := st["id"].(string), pollOf(st)["id"].(string)
	b.JSON(t, 200, "POST", "/api/v1/polls/"+pollID+"/votes", url.Values{"choices[]": {"1"}}, nil)

	var edited map[string]any
	a.JSON(t, 200, "PUT", "/api/v1/statuses/"+id, pollForm("pick", "red", "green"), &edited)
	p := pollOf(edited)
	if p == nil || p["id"] != pollID || p["votes_count"] != 0.0 || p["voters_count"] != 0.0 {
		t.Fatalf("changed options: poll %v, want id %s with no votes", p, pollID)
	}
	var bobs map[string]any
	b.JSON(t, 200, "GET", "/api/v1/polls/"+pollID, nil, &bobs)
	if bobs["voted"] != false || len(bobs["own_votes"].([]any)) != 0 {
		t.Errorf("bob's vote survived the new options: %v", bobs)
	}
	b.JSON(t, 200, "POST", "/api/v1/polls/"+pollID+"/votes", url.Values{"choices[]": {"1"}}, nil)

	a.JSON(t, 200, "PUT", "/api/v1/statuses/"+id, pollForm("pick!", "red", "green"), &edited)
	p = pollOf(edited)
	if p == nil || p["id"] != pollID || p["votes_count"] != 1.0 {
		t.Fatalf("same options: poll %v, want bob's vote kept", p)
	}
	if h := historyPolls(t, a, id); !slices.Equal(h, []string{"red/blue", "red/green", "red/green"}) {
		t.Errorf("history polls %v", h)
	}
	// Turning it into a multiple-choice poll is a change too.
	a.JSON(t, 200, "PUT", "/api/v1/statuses/"+id, url.Values{"status": {"pick!"}, "poll[options][]": {"red", "green"},
		"poll[expires_in]": {"600"}, "poll[multiple]": {"true"}}, &edited)
	if p = pollOf(edited); p["votes_count"] != 0.0 || p["multiple"] != true {
		t.Errorf("multiple: poll %v, want reset votes", p)
	}
}

// TestEditAddsPoll: a status without a poll gets one by an edit.
func TestEditAddsPoll(t *testing.T) {
	s := NewTestServer(t)
	_, at := s.CreateUser("alice")
	a := NewClient(s, at)
	id := a.PostStatus(t, "question coming")["id"].(string)
	var edited map[string]any
	a.JSON(t, 200, "PUT", "/api/v1/statuses/"+id, pollForm("question", "yes", "no"), &edited)
	p := pollOf(edited)
	if p == nil || len(p["options"].([]any)) != 2 {
		t.Fatalf("poll %v", p)
	}
	a.JSON(t, 200, "GET", "/api/v1/polls/"+p["id"].(string), nil, nil)
	if h := historyPolls(t, a, id); !slices.Equal(h, []string{"-", "yes/no"}) {
		t.Errorf("history polls %v", h)
	}
}

// TestEditStreamAndNotificationsAgree: the status.update streamed to a
// follower and the "update" notification of one who reblogged carry the
// status as edited (here: its poll gone); a second edit replaces the
// notification, as Mastodon does, and one who quoted hears "quoted_update".
func TestEditStreamAndNotificationsAgree(t *testing.T) {
	s := NewTestServer(t)
	alice, at := s.CreateUser("alice")
	_, bt := s.CreateUser("bob")
	_, ct := s.CreateUser("carol")
	a, b, c := NewClient(s, at), NewClient(s, bt), NewClient(s, ct)
	b.JSON(t, 200, "POST", "/api/v1/accounts/"+alice.ID+"/follow", nil, nil)
	var st map[string]any
	a.JSON(t, 200, "POST", "/api/v1/statuses", pollForm("pick", "red", "blue"), &st)
	id := st["id"].(string)
	b.JSON(t, 200, "POST", "/api/v1/statuses/"+id+"/reblog", nil, nil)
	var quote map[string]any
	c.JSON(t, 200, "POST", "/api/v1/statuses", url.Values{"status": {"see"}, "quoted_status_id": {id}}, &quote)

	br := openSSE(t, s, bt, "/api/v1/streaming/user")
	a.JSON(t, 200, "PUT", "/api/v1/statuses/"+id, url.Values{"status": {"no poll"}}, nil)
	var streamed, notified map[string]any
	for streamed == nil || notified == nil {
		ev := nextSSE(t, br)
		name, data, _ := strings.Cut(strings.TrimPrefix(ev, "event "), " ")
		switch name {
		case "status.update":
			if err := json.Unmarshal([]byte(data), &streamed); err != nil {
				t.Fatal(err)
			}
		case "notification":
			var n map[string]any
			if err := json.Unmarshal([]byte(data), &n); err != nil {
				t.Fatal(err)
			}
			if n["type"] == "update" {
				notified = n["status"].(map[string]any)
			}
		}
	}
	for what, x := range map[string]map[string]any{"streamed status.update": streamed, "update notification": notified} {
		if x["id"] != id || x["content"] != "<p>no poll</p>" || x["poll"] != nil || x["edited_at"] == nil {
			t.Errorf("%s: id %v content %v poll %v edited_at %v", what, x["id"], x["content"], x["poll"], x["edited_at"])
		}
	}

	a.JSON(t, 200, "PUT", "/api/v1/statuses/"+id, url.Values{"status": {"no poll at all"}}, nil)
	kinds := func(cl *Client, kind string) []map[string]any {
		var ns []map[string]any
		cl.JSON(t, 200, "GET", "/api/v1/notifications", url.Values{"types[]": {kind}}, &ns)
		return ns
	}
	if ns := kinds(b, "update"); len(ns) != 1 || ns[0]["status"].(map[string]any)["content"] != "<p>no poll at all</p>" {
		t.Errorf("bob's update notifications after two edits: %v", ns)
	}
	if ns := kinds(c, "quoted_update"); len(ns) != 1 || ns[0]["status"].(map[string]any)["id"] != quote["id"] {
		t.Errorf("carol's quoted_update notifications: %v", ns)
	}
}

// TestEditWithoutMediaRemovesThem: media not given again leave the status
// but stay its own: not attachable elsewhere, back by a later edit, and
// deleted with it.
func TestEditWithoutMediaRemovesThem(t *testing.T) {
	s := NewTestServer(t)
	_, at := s.CreateUser("alice")
	a := newActor(t, s, at, false)
	c := NewClient(s, at)
	m := a.upload(128)
	id := a.call("POST", "/api/v1/statuses", url.Values{"status": {"pic"}, "media_ids[]": {m}})["id"].(string)
	edited := a.call("PUT", "/api/v1/statuses/"+id, url.Values{"status": {"no pic"}})
	if n := len(edited["media_attachments"].([]any)); n != 0 {
		t.Fatalf("edit without media_ids kept %d attachments", n)
	}
	c.JSON(t, 422, "POST", "/api/v1/statuses", url.Values{"status": {"steal"}, "media_ids[]": {m}}, nil)
	edited = a.call("PUT", "/api/v1/statuses/"+id, url.Values{"status": {"pic again"}, "media_ids[]": {m}})
	if n := len(edited["media_attachments"].([]any)); n != 1 {
		t.Fatalf("re-adding the attachment: %d attachments", n)
	}
	a.call("PUT", "/api/v1/statuses/"+id, url.Values{"status": {"gone again"}})
	c.JSON(t, 200, "DELETE", "/api/v1/statuses/"+id, url.Values{"delete_media": {"true"}}, nil)
	c.JSON(t, 404, "GET", "/api/v1/media/"+m, nil, nil)
	if n := s.sizes()["media"]; n != 0 {
		t.Errorf("%d media still held", n)
	}
}

// TestEditHistoryKeepsDescriptions: each history entry shows the
// attachment descriptions of its time.
func TestEditHistoryKeepsDescriptions(t *testing.T) {
	s := NewTestServer(t)
	_, at := s.CreateUser("alice")
	a := newActor(t, s, at, false)
	m := a.upload(128)
	id := a.call("POST", "/api/v1/statuses", url.Values{"status": {"pic"}, "media_ids[]": {m}})["id"].(string)
	a.call("PUT", "/api/v1/statuses/"+id, url.Values{"status": {"pic"}, "media_ids[]": {m},
		"media_attributes[][id]": {m}, "media_attributes[][description]": {"a cat"}})
	var hist []struct {
		Media []struct{ Description *string } `json:"media_attachments"`
	}
	NewClient(s, at).JSON(t, 200, "GET", "/api/v1/statuses/"+id+"/history", nil, &hist)
	if len(hist) != 2 || hist[0].Media[0].Description != nil || hist[1].Media[0].Description == nil || *hist[1].Media[0].Description != "a cat" {
		t.Fatalf("history descriptions: %+v", hist)
	}
}

// TestEditWithoutChanges: like Mastodon, an edit that changes nothing is
// not one: no edited_at, no history entry, no notification.
func TestEditWithoutChanges(t *testing.T) {
	s := NewTestServer(t, WithClock(NewClock(epoch)))
	_, at := s.CreateUser("alice")
	_, bt := s.CreateUser("bob")
	a, b := NewClient(s, at), NewClient(s, bt)
	id := a.PostStatus(t, "same")["id"].(string)
	b.JSON(t, 200, "POST", "/api/v1/statuses/"+id+"/reblog", nil, nil)
	var edited map[string]any
	a.JSON(t, 200, "PUT", "/api/v1/statuses/"+id, url.Values{"status": {"same"}}, &edited)
	if edited["edited_at"] != nil {
		t.Errorf("edited_at %v after an edit without changes", edited["edited_at"])
	}
	var hist []any
	a.JSON(t, 200, "GET", "/api/v1/statuses/"+id+"/history", nil, &hist)
	var ns []any
	b.JSON(t, 200, "GET", "/api/v1/notifications", url.Values{"types[]": {"update"}}, &ns)
	if len(hist) != 1 || len(ns) != 0 {
		t.Errorf("%d history entries, %d update notifications; want 1 and 0", len(hist), len(ns))
	}
}

// TestOthersStatusesNotFound: editing or deleting someone else's status
// answers 404, as Mastodon finds statuses among the caller's own. (Its
// source is readable by anyone who may see it: TestStatusSourceForAnyViewer.)
func TestOthersStatusesNotFound(t *testing.T) {
	s := NewTestServer(t)
	_, at := s.CreateUser("alice")
	_, bt := s.CreateUser("bob")
	id := NewClient(s, at).PostStatus(t, "mine")["id"].(string)
	b := NewClient(s, bt)
	b.JSON(t, 404, "PUT", "/api/v1/statuses/"+id, url.Values{"status": {"hijack"}}, nil)
	b.JSON(t, 404, "DELETE", "/api/v1/statuses/"+id, nil, nil)
}

// TestDeleteAccount: a deleted account's statuses, reactions, follows and
// notifications go, and its token stops working.
func TestDeleteAccount(t *testing.T) {
	s := NewTestServer(t)
	alice, at := s.CreateUser("alice")
	bob, bt := s.CreateUser("bob")
	carol, ct := s.CreateUser("carol", Discoverable())
	a, b, c := NewClient(s, at), NewClient(s, bt), NewClient(s, ct)
	post := a.PostStatus(t, "hello")["id"].(string)
	c.JSON(t, 200, "POST", "/api/v1/statuses/"+post+"/favourite", nil, nil)
	c.JSON(t, 200, "POST", "/api/v1/accounts/"+alice.ID+"/follow", nil, nil)
	own := c.PostStatus(t, "mine")["id"].(string)
	b.JSON(t, 200, "POST", "/api/v1/statuses/"+own+"/reblog", nil, nil)
	b.JSON(t, 200, "DELETE", "/api/v1/suggestions/"+carol.ID, nil, nil)

	if !s.DeleteAccount(carol.ID) || s.DeleteAccount(carol.ID) {
		t.Fatal("DeleteAccount: want true once, then false")
	}
	var st map[string]any
	a.JSON(t, 200, "GET", "/api/v1/statuses/"+post, nil, &st)
	if st["favourites_count"] != 0.0 {
		t.Errorf("favourites_count %v after the favouriter was deleted", st["favourites_count"])
	}
	var ns []any
	a.JSON(t, 200, "GET", "/api/v1/notifications", nil, &ns)
	if len(ns) != 0 {
		t.Errorf("alice still has %d notifications from carol", len(ns))
	}
	a.JSON(t, 404, "GET", "/api/v1/statuses/"+own, nil, nil)
	a.JSON(t, 404, "GET", "/api/v1/accounts/"+carol.ID, nil, nil)
	if got := b.AccountStatuses(t, bob.ID); len(got) != 0 {
		t.Errorf("bob's reblog of carol's status survived: %v", got)
	}
	c.JSON(t, 401, "GET", "/api/v1/accounts/verify_credentials", nil, nil)
	if n := s.sizes(); n["hiddenSuggest"] != 0 || n["follows"] != 0 || n["favs"] != 0 || n["tokens"] != 2 {
		t.Errorf("left behind: %v", n)
	}
}

// TestEditStreamedToMentioned: someone mentioned who does not follow the
// author hears of the edit on their notification stream.
func TestEditStreamedToMentioned(t *testing.T) {
	s := NewTestServer(t)
	_, at := s.CreateUser("alice")
	_, bt := s.CreateUser("bob")
	a := NewClient(s, at)
	id := a.PostStatus(t, "hey @bob")["id"].(string)
	br := openSSE(t, s, bt, "/api/v1/streaming/user/notification")
	a.JSON(t, 200, "PUT", "/api/v1/statuses/"+id, url.Values{"status": {"hey @bob, edited"}}, nil)
	a.PostStatus(t, "@bob and a new mention") // an event that comes in any case, after the edit's
	ev := nextSSE(t, br)
	if !strings.HasPrefix(ev, "event status.update ") || !strings.Contains(ev, `"id":"`+id+`"`) || !strings.Contains(ev, "edited") {
		t.Fatalf("bob's notification stream got %.200s", ev)
	}
}

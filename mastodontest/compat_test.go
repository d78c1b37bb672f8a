package mastodontest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"
)

// Tests for the behaviour differences from Mastodon that other clients'
// suites found (issue 22), one test per difference.

// TestUpdateCredentialsSourceSettings (22.1): attribution_domains[],
// source[quote_policy] and source[sensitive] are stored and applied.
func TestUpdateCredentialsSourceSettings(t *testing.T) {
	s := NewTestServer(t)
	_, tok := s.CreateUser("alice")
	c := NewClient(s, tok)
	var me map[string]any
	c.JSON(t, 200, "PATCH", "/api/v1/accounts/update_credentials", url.Values{
		"attribution_domains[]": {"Example.com", "blog.example.org", ""},
		"source[quote_policy]":  {"followers"},
		"source[sensitive]":     {"1"},
	}, &me)
	src := me["source"].(map[string]any)
	if got := src["attribution_domains"].([]any); !slices.Equal(got, []any{"example.com", "blog.example.org"}) {
		t.Errorf("attribution_domains = %v", got)
	}
	if src["quote_policy"] != "followers" || src["sensitive"] != true {
		t.Errorf("source = %v", src)
	}
	c.JSON(t, 200, "GET", "/api/v1/accounts/verify_credentials", nil, &me)
	if me["source"].(map[string]any)["quote_policy"] != "followers" {
		t.Errorf("verify_credentials source = %v", me["source"])
	}
	var prefs map[string]any
	c.JSON(t, 200, "GET", "/api/v1/preferences", nil, &prefs)
	if prefs["posting:default:quote_policy"] != "followers" || prefs["posting:default:sensitive"] != true {
		t.Errorf("preferences = %v", prefs)
	}
	// New statuses take the defaults; explicit values win.
	st := c.PostStatus(t, "default")
	qa := st["quote_approval"].(map[string]any)
	if st["sensitive"] != true || !slices.Equal(qa["automatic"].([]any), []any{"followers"}) {
		t.Errorf("default status: sensitive %v, quote_approval %v", st["sensitive"], qa)
	}
	c.JSON(t, 200, "POST", "/api/v1/statuses", url.Values{"status": {"explicit"}, "sensitive": {"false"}, "quote_approval_policy": {"public"}}, &st)
	if st["sensitive"] != false || !slices.Equal(st["quote_approval"].(map[string]any)["automatic"].([]any), []any{"public"}) {
		t.Errorf("explicit status: %v %v", st["sensitive"], st["quote_approval"])
	}
	wantError(t, c, 422, "PATCH", "/api/v1/accounts/update_credentials", url.Values{"source[quote_policy]": {"everyone"}}, "Quote policy")
	// An empty list clears the domains.
	c.JSON(t, 200, "PATCH", "/api/v1/accounts/update_credentials", url.Values{"attribution_domains[]": {""}}, &me)
	if got := me["source"].(map[string]any)["attribution_domains"].([]any); len(got) != 0 {
		t.Errorf("cleared attribution_domains = %v", got)
	}
}

// TestInteractionPolicy (22.7): PUT /api/v1/statuses/{id}/interaction_policy
// changes who may quote a status, for its author only, and quoting follows it.
func TestInteractionPolicy(t *testing.T) {
	s := NewTestServer(t)
	alice, aliceTok := s.CreateUser("alice")
	_, bobTok := s.CreateUser("bob")
	a, b := NewClient(s, aliceTok), NewClient(s, bobTok)
	st := a.PostStatus(t, "quotable?")
	id := st["id"].(string)
	var got map[string]any
	a.JSON(t, 200, "PUT", "/api/v1/statuses/"+id+"/interaction_policy", url.Values{"quote_approval_policy": {"nobody"}}, &got)
	if qa := got["quote_approval"].(map[string]any); len(qa["automatic"].([]any)) != 0 || got["id"] != id {
		t.Fatalf("after nobody: %v", qa)
	}
	wantError(t, b, 403, "PUT", "/api/v1/statuses/"+id+"/interaction_policy", url.Values{"quote_approval_policy": {"public"}}, "")
	wantError(t, a, 422, "PUT", "/api/v1/statuses/"+id+"/interaction_policy", url.Values{"quote_approval_policy": {"all"}}, "")
	b.JSON(t, 200, "GET", "/api/v1/statuses/"+id, nil, &got)
	if got["quote_approval"].(map[string]any)["current_user"] != "denied" {
		t.Fatalf("bob's view: %v", got["quote_approval"])
	}
	wantError(t, b, 422, "POST", "/api/v1/statuses", url.Values{"status": {"q"}, "quoted_status_id": {id}}, "quote")

	// followers: bob may quote once he follows alice.
	a.JSON(t, 200, "PUT", "/api/v1/statuses/"+id+"/interaction_policy", url.Values{"quote_approval_policy": {"followers"}}, nil)
	wantError(t, b, 422, "POST", "/api/v1/statuses", url.Values{"status": {"q"}, "quoted_status_id": {id}}, "quote")
	b.JSON(t, 200, "POST", "/api/v1/accounts/"+alice.ID+"/follow", nil, nil)
	b.JSON(t, 200, "GET", "/api/v1/statuses/"+id, nil, &got)
	if got["quote_approval"].(map[string]any)["current_user"] != "automatic" {
		t.Fatalf("follower's view: %v", got["quote_approval"])
	}
	b.JSON(t, 200, "POST", "/api/v1/statuses", url.Values{"status": {"q"}, "quoted_status_id": {id}}, nil)
}

// TestUnfollowLeavesLists (22.4): unfollowing (or blocking) an account takes
// it out of the follower's lists, as Mastodon's follow-bound memberships do.
func TestUnfollowLeavesLists(t *testing.T) {
	s := NewTestServer(t)
	_, aliceTok := s.CreateUser("alice")
	bob := s.CreateAccount("bob")
	carol := s.CreateAccount("carol")
	a := NewClient(s, aliceTok)
	var l map[string]any
	a.JSON(t, 200, "POST", "/api/v1/lists", url.Values{"title": {"friends"}}, &l)
	lid := l["id"].(string)
	for _, id := range []string{bob.ID, carol.ID} {
		a.JSON(t, 200, "POST", "/api/v1/accounts/"+id+"/follow", nil, nil)
	}
	a.JSON(t, 200, "POST", "/api/v1/lists/"+lid+"/accounts", url.Values{"account_ids[]": {bob.ID, carol.ID}}, nil)
	a.JSON(t, 200, "POST", "/api/v1/accounts/"+bob.ID+"/unfollow", nil, nil)
	a.JSON(t, 200, "POST", "/api/v1/accounts/"+carol.ID+"/block", nil, nil)
	var members []map[string]any
	a.JSON(t, 200, "GET", "/api/v1/lists/"+lid+"/accounts", nil, &members)
	if len(members) != 0 {
		t.Fatalf("list members after unfollow and block: %v", idsOf(members))
	}
	var lists []map[string]any
	a.JSON(t, 200, "GET", "/api/v1/accounts/"+bob.ID+"/lists", nil, &lists)
	if len(lists) != 0 {
		t.Fatalf("bob still in lists %v", lists)
	}
}

// TestMultipleChoicePollFurtherVotes (22.5): a multiple-choice poll takes
// further choices from the same voter; a repeated choice, and a second
// vote on a single-choice poll, are refused.
func TestMultipleChoicePollFurtherVotes(t *testing.T) {
	s := NewTestServer(t)
	_, aliceTok := s.CreateUser("alice")
	_, bobTok := s.CreateUser("bob")
	a, b := NewClient(s, aliceTok), NewClient(s, bobTok)
	var multi, single map[string]any
	a.JSON(t, 200, "POST", "/api/v1/statuses", url.Values{"status": {"pick"}, "poll[options][]": {"x", "y", "z"},
		"poll[expires_in]": {"3600"}, "poll[multiple]": {"true"}}, &multi)
	a.JSON(t, 200, "POST", "/api/v1/statuses", url.Values{"status": {"one"}, "poll[options][]": {"x", "y"},
		"poll[expires_in]": {"3600"}}, &single)
	mid := multi["poll"].(map[string]any)["id"].(string)
	sid := single["poll"].(map[string]any)["id"].(string)
	var p map[string]any
	b.JSON(t, 200, "POST", "/api/v1/polls/"+mid+"/votes", url.Values{"choices[]": {"1"}}, &p)
	b.JSON(t, 200, "POST", "/api/v1/polls/"+mid+"/votes", url.Values{"choices[]": {"0"}}, &p)
	if p["votes_count"] != 2.0 || p["voters_count"] != 1.0 || !slices.Equal(p["own_votes"].([]any), []any{1.0, 0.0}) {
		t.Fatalf("after two votes: votes %v voters %v own %v", p["votes_count"], p["voters_count"], p["own_votes"])
	}
	wantError(t, b, 422, "POST", "/api/v1/polls/"+mid+"/votes", url.Values{"choices[]": {"1"}}, "already voted")
	b.JSON(t, 200, "POST", "/api/v1/polls/"+sid+"/votes", url.Values{"choices[]": {"0"}}, nil)
	wantError(t, b, 422, "POST", "/api/v1/polls/"+sid+"/votes", url.Values{"choices[]": {"1"}}, "already voted")
}

// TestRebloggedByListsPublicReblogsOnly (22.8): reblogged_by lists public
// and unlisted reblogs, not a reblog made followers-only.
func TestRebloggedByListsPublicReblogsOnly(t *testing.T) {
	s := NewTestServer(t)
	_, aliceTok := s.CreateUser("alice")
	bob, bobTok := s.CreateUser("bob")
	carol, carolTok := s.CreateUser("carol")
	_, daveTok := s.CreateUser("dave")
	st := NewClient(s, aliceTok).PostStatus(t, "boost me")
	id := st["id"].(string)
	NewClient(s, bobTok).JSON(t, 200, "POST", "/api/v1/statuses/"+id+"/reblog", url.Values{"visibility": {"unlisted"}}, nil)
	NewClient(s, carolTok).JSON(t, 200, "POST", "/api/v1/statuses/"+id+"/reblog", url.Values{"visibility": {"private"}}, nil)
	NewClient(s, daveTok).JSON(t, 200, "POST", "/api/v1/statuses/"+id+"/reblog", nil, nil)
	var by []map[string]any
	NewClient(s, "").JSON(t, 200, "GET", "/api/v1/statuses/"+id+"/reblogged_by", nil, &by)
	got := idsOf(by)
	if len(got) != 2 || slices.Contains(got, any(carol.ID)) || !slices.Contains(got, any(bob.ID)) {
		t.Fatalf("reblogged_by = %v (carol %s reblogged privately)", got, carol.ID)
	}
}

// TestStatusSourceForAnyViewer (22.9): GET /api/v1/statuses/{id}/source
// answers whoever may see the status (Mastodon authorizes show?), an admin
// included; a status the caller may not see stays 404.
func TestStatusSourceForAnyViewer(t *testing.T) {
	s := NewTestServer(t)
	_, aliceTok := s.CreateUser("alice")
	_, adminTok := s.CreateUser("root", Admin())
	_, bobTok := s.CreateUser("bob")
	a := NewClient(s, aliceTok)
	var pub, priv map[string]any
	a.JSON(t, 200, "POST", "/api/v1/statuses", url.Values{"status": {"hello *world*"}, "spoiler_text": {"cw"}}, &pub)
	a.JSON(t, 200, "POST", "/api/v1/statuses", url.Values{"status": {"secret"}, "visibility": {"private"}}, &priv)
	for _, tok := range []string{adminTok, bobTok} {
		var src map[string]any
		NewClient(s, tok).JSON(t, 200, "GET", "/api/v1/statuses/"+pub["id"].(string)+"/source", nil, &src)
		if src["id"] != pub["id"] || src["text"] != "hello *world*" || src["spoiler_text"] != "cw" {
			t.Fatalf("source = %v", src)
		}
	}
	NewClient(s, bobTok).JSON(t, 404, "GET", "/api/v1/statuses/"+priv["id"].(string)+"/source", nil, nil)
}

type part struct{ name, filename, mime, value string }

// sendParts sends a multipart request; parts with a filename are files.
func sendParts(t *testing.T, c *Client, method, path string, parts ...part) (int, []byte) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for _, p := range parts {
		if p.filename == "" {
			_ = mw.WriteField(p.name, p.value)
			continue
		}
		h := textproto.MIMEHeader{}
		h.Set("Content-Disposition", fmt.Sprintf(`form-data; name=%q; filename=%q`, p.name, p.filename))
		h.Set("Content-Type", p.mime)
		w, _ := mw.CreatePart(h)
		_, _ = w.Write([]byte(p.value))
	}
	_ = mw.Close()
	code, _, body, err := c.send(method, path, mw.FormDataContentType(), &buf)
	if err != nil {
		t.Fatal(err)
	}
	return code, body
}

// TestVideoThumbnailIsPreviewURL (22.10): a video's custom thumbnail is its
// preview_url, on upload, after PUT /api/v1/media/{id} and after a status
// edit's media_attributes, and the URL serves the thumbnail.
func TestVideoThumbnailIsPreviewURL(t *testing.T) {
	s := NewTestServer(t)
	_, tok := s.CreateUser("alice")
	c := NewClient(s, tok)
	fetch := func(u string) string {
		t.Helper()
		resp, err := http.Get(u)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != 200 {
			t.Fatalf("GET %s: %d", u, resp.StatusCode)
		}
		return string(b)
	}
	preview := func(body []byte) string {
		t.Helper()
		var m map[string]any
		if err := json.Unmarshal(body, &m); err != nil {
			t.Fatalf("%s: %v", body, err)
		}
		if m["media_attachments"] != nil {
			m = m["media_attachments"].([]any)[0].(map[string]any)
		}
		return m["preview_url"].(string)
	}
	code, body := sendParts(t, c, "POST", "/api/v1/media", part{"file", "clip.mp4", "video/mp4", "not really a video"},
		part{"thumbnail", "t1.png", "image/png", "thumb one"})
	if code != 200 {
		t.Fatalf("upload: %d %s", code, body)
	}
	var m map[string]any
	_ = json.Unmarshal(body, &m)
	id := m["id"].(string)
	p1 := preview(body)
	if !strings.Contains(p1, "/thumbnails/") || fetch(p1) != "thumb one" {
		t.Fatalf("preview_url after upload = %s", p1)
	}
	code, body = sendParts(t, c, "PUT", "/api/v1/media/"+id, part{"thumbnail", "t2.png", "image/png", "thumb two"})
	p2 := preview(body)
	if code != 200 || p2 == p1 || fetch(p2) != "thumb two" {
		t.Fatalf("preview_url after update = %s (%d)", p2, code)
	}
	var st map[string]any
	c.JSON(t, 200, "POST", "/api/v1/statuses", url.Values{"status": {"clip"}, "media_ids[]": {id}}, &st)
	code, body = sendParts(t, c, "PUT", "/api/v1/statuses/"+st["id"].(string), part{name: "status", value: "clip"},
		part{name: "media_ids[]", value: id}, part{name: "media_attributes[][id]", value: id},
		part{"media_attributes[][thumbnail]", "t3.png", "image/png", "thumb three"})
	p3 := preview(body)
	if code != 200 || p3 == p2 || fetch(p3) != "thumb three" {
		t.Fatalf("preview_url after edit = %s (%d %s)", p3, code, body)
	}
	// An image ignores a thumbnail: its preview is its own small version.
	code, body = sendParts(t, c, "POST", "/api/v1/media", part{"file", "a.png", "image/png", string(tinyPNG(t))},
		part{"thumbnail", "t.png", "image/png", "x"})
	if code != 200 || strings.Contains(preview(body), "/thumbnails/") {
		t.Fatalf("image preview_url = %s", preview(body))
	}
}

// TestDirectMessageHomeOnlyForFollowers (22.11): a direct message reaches
// the home timeline and user stream of a mentioned account only when it
// follows the author; a mentioned stranger gets the notification.
func TestDirectMessageHomeOnlyForFollowers(t *testing.T) {
	s := NewTestServer(t)
	alice, aliceTok := s.CreateUser("alice")
	_, bobTok := s.CreateUser("bob")
	_, carolTok := s.CreateUser("carol")
	b, c := NewClient(s, bobTok), NewClient(s, carolTok)
	b.JSON(t, 200, "POST", "/api/v1/accounts/"+alice.ID+"/follow", nil, nil)
	// Carol accepts private mentions from strangers (by default they are
	// filed as a notification request: TestNotificationRequests).
	c.JSON(t, 200, "PATCH", "/api/v2/notifications/policy", url.Values{"for_private_mentions": {"accept"}}, nil)
	bobStream := openSSE(t, s, bobTok, "/api/v1/streaming/user")
	carolStream := openSSE(t, s, carolTok, "/api/v1/streaming/user")
	if err := s.WaitSubscriptions(t.Context(), 2); err != nil {
		t.Fatal(err)
	}
	var dm map[string]any
	NewClient(s, aliceTok).JSON(t, 200, "POST", "/api/v1/statuses", url.Values{"status": {"@bob @carol psst"}, "visibility": {"direct"}}, &dm)
	id := dm["id"].(string)

	var home []map[string]any
	b.JSON(t, 200, "GET", "/api/v1/timelines/home", nil, &home)
	if !slices.Contains(idsOf(home), any(id)) {
		t.Fatalf("follower bob's home lacks the DM: %v", idsOf(home))
	}
	c.JSON(t, 200, "GET", "/api/v1/timelines/home", nil, &home)
	if len(home) != 0 {
		t.Fatalf("stranger carol's home has %v", idsOf(home))
	}
	var notes []map[string]any
	c.JSON(t, 200, "GET", "/api/v1/notifications", nil, &notes)
	if len(notes) != 1 || notes[0]["type"] != "mention" || notes[0]["status"].(map[string]any)["id"] != id {
		t.Fatalf("carol's notifications: %v", notes)
	}
	// On the user stream bob gets the update and the notification; carol
	// only the notification.
	var bobEvents, carolEvents []string
	for range 2 {
		bobEvents = append(bobEvents, strings.Fields(nextSSE(t, bobStream))[1])
	}
	carolEvents = append(carolEvents, strings.Fields(nextSSE(t, carolStream))[1])
	slices.Sort(bobEvents)
	if !slices.Equal(bobEvents, []string{"notification", "update"}) || carolEvents[0] != "notification" {
		t.Fatalf("bob's events %v, carol's first %v", bobEvents, carolEvents)
	}
	// Nothing else reaches carol: a public post after it is the next event.
	_ = NewClient(s, carolTok).PostStatus(t, "mine")
	if ev := nextSSE(t, carolStream); !strings.HasPrefix(ev, "event update ") || !strings.Contains(ev, "<p>mine</p>") {
		t.Fatalf("carol's next event: %.120s", ev)
	}
}

// TestPasswordGrantIsAnOption (22.12): the server reports 4.5.0, where
// Mastodon no longer offers the password grant, so it is refused (and not
// advertised) unless WithPasswordGrant turns it on.
func TestPasswordGrantIsAnOption(t *testing.T) {
	for _, on := range []bool{false, true} {
		s := NewTestServer(t, WithPasswordGrant(on))
		s.CreateAccount("alice", Password("hunter2"))
		app := s.CreateApp("bot", oobURI)
		anon := NewClient(s, "")
		form := url.Values{"grant_type": {"password"}, "username": {"alice@localhost"}, "password": {"hunter2"},
			"client_id": {app.ClientID}, "client_secret": {app.ClientSecret}, "scope": {"read"}}
		var meta map[string]any
		anon.JSON(t, 200, "GET", "/.well-known/oauth-authorization-server", nil, &meta)
		advertised := slices.Contains(meta["grant_types_supported"].([]any), any("password"))
		if !on {
			var e map[string]string
			anon.JSON(t, 400, "POST", "/oauth/token", form, &e)
			if e["error"] != "unsupported_grant_type" || advertised {
				t.Fatalf("default: error %v, advertised %v", e, advertised)
			}
			continue
		}
		var tok map[string]any
		anon.JSON(t, 200, "POST", "/oauth/token", form, &tok)
		if tok["access_token"] == "" || !advertised {
			t.Fatalf("with the option: %v, advertised %v", tok, advertised)
		}
	}
}

// TestFamiliarFollowers (22.2): GET /api/v1/accounts/familiar_followers
// answers, per id[], the followers of that account the caller follows; the
// parameters may come as a JSON body of the GET, as Rails reads them.
func TestFamiliarFollowers(t *testing.T) {
	s := NewTestServer(t)
	_, meTok := s.CreateUser("me")
	bob, bobTok := s.CreateUser("bob")
	carol, carolTok := s.CreateUser("carol")
	dave, daveTok := s.CreateUser("dave")
	target := s.CreateAccount("target")
	other := s.CreateAccount("other")
	me := NewClient(s, meTok)
	for _, id := range []string{bob.ID, carol.ID} {
		me.JSON(t, 200, "POST", "/api/v1/accounts/"+id+"/follow", nil, nil)
	}
	for _, tok := range []string{bobTok, carolTok, daveTok} { // dave: not followed by me
		NewClient(s, tok).JSON(t, 200, "POST", "/api/v1/accounts/"+target.ID+"/follow", nil, nil)
	}
	NewClient(s, bobTok).JSON(t, 200, "POST", "/api/v1/accounts/"+other.ID+"/follow", nil, nil)
	check := func(got []map[string]any) {
		t.Helper()
		if len(got) != 2 || got[0]["id"] != target.ID || got[1]["id"] != other.ID {
			t.Fatalf("familiar_followers = %v", got)
		}
		var ids []any
		for _, a := range got[0]["accounts"].([]any) {
			ids = append(ids, a.(map[string]any)["id"])
		}
		if len(ids) != 2 || !slices.Contains(ids, any(bob.ID)) || !slices.Contains(ids, any(carol.ID)) || slices.Contains(ids, any(dave.ID)) {
			t.Fatalf("familiar followers of target = %v", ids)
		}
		if n := len(got[1]["accounts"].([]any)); n != 1 {
			t.Fatalf("familiar followers of other: %d", n)
		}
	}
	var got []map[string]any
	me.JSON(t, 200, "GET", "/api/v1/accounts/familiar_followers", url.Values{"id[]": {target.ID, other.ID, "404"}}, &got)
	check(got)
	// The same parameters as a JSON body of the GET.
	code, body, err := doJSON(me, "GET", "/api/v1/accounts/familiar_followers", map[string]any{"id": []string{target.ID, other.ID}})
	if err != nil || code != 200 {
		t.Fatalf("JSON-bodied GET: %d %s %v", code, body, err)
	}
	got = nil
	if err := json.Unmarshal(body, &got); err != nil {
		t.Fatal(err)
	}
	check(got)
	// A JSON body on another GET works too (limit=1 on the public timeline).
	NewClient(s, bobTok).PostStatus(t, "one")
	NewClient(s, bobTok).PostStatus(t, "two")
	code, body, _ = doJSON(me, "GET", "/api/v1/timelines/public", map[string]any{"limit": 1})
	var tl []any
	if err := json.Unmarshal(body, &tl); err != nil || code != 200 || len(tl) != 1 {
		t.Fatalf("public timeline with a JSON limit: %d %d", code, len(tl))
	}
}

// TestDirectory (22.3): GET /api/v1/directory lists discoverable accounts,
// by recent activity or newest first, with offset and limit.
func TestDirectory(t *testing.T) {
	s := NewTestServer(t)
	old, oldTok := s.CreateUser("old", Discoverable())
	mid := s.CreateAccount("mid", Discoverable())
	s.CreateAccount("hidden")
	recent, recentTok := s.CreateUser("recent", Discoverable())
	NewClient(s, oldTok).PostStatus(t, "first")
	NewClient(s, recentTok).PostStatus(t, "later")
	s.Clock().Advance(time.Minute)
	NewClient(s, oldTok).PostStatus(t, "latest")
	anon := NewClient(s, "")
	var got []map[string]any
	anon.JSON(t, 200, "GET", "/api/v1/directory", nil, &got)
	if ids := idsOf(got); !slices.Equal(ids, []any{old.ID, recent.ID, mid.ID}) {
		t.Fatalf("directory (active) = %v; want old, recent, mid", ids)
	}
	anon.JSON(t, 200, "GET", "/api/v1/directory", url.Values{"order": {"new"}, "offset": {"1"}, "limit": {"1"}}, &got)
	if ids := idsOf(got); !slices.Equal(ids, []any{mid.ID}) {
		t.Fatalf("directory (new, offset 1, limit 1) = %v; want mid", ids)
	}
	NewClient(s, recentTok).JSON(t, 200, "POST", "/api/v1/accounts/"+old.ID+"/block", nil, nil)
	NewClient(s, recentTok).JSON(t, 200, "GET", "/api/v1/directory", nil, &got)
	if ids := idsOf(got); !slices.Equal(ids, []any{mid.ID}) {
		t.Fatalf("directory for recent (blocks old) = %v; want mid", ids)
	}
}

// TestNotificationRequests (22.6): the notification policy is applied. With
// for_not_following=filter, mentions from a stranger are held back as one
// notification request with notifications_count; accepting it shows them
// and lets later ones through; dismissing drops them; "drop" discards.
func TestNotificationRequests(t *testing.T) {
	s := NewTestServer(t)
	_, meTok := s.CreateUser("me")
	friend, friendTok := s.CreateUser("friend")
	stranger, strangerTok := s.CreateUser("stranger")
	_, otherTok := s.CreateUser("other")
	me := NewClient(s, meTok)
	me.JSON(t, 200, "POST", "/api/v1/accounts/"+friend.ID+"/follow", nil, nil)
	me.JSON(t, 200, "PATCH", "/api/v2/notifications/policy", url.Values{"for_not_following": {"filter"}}, nil)
	stream := openSSE(t, s, meTok, "/api/v1/streaming/user/notification")
	if err := s.WaitSubscriptions(t.Context(), 1); err != nil {
		t.Fatal(err)
	}
	var dm1, dm2 map[string]any
	NewClient(s, strangerTok).JSON(t, 200, "POST", "/api/v1/statuses", url.Values{"status": {"@me hi"}, "visibility": {"direct"}}, &dm1)
	NewClient(s, strangerTok).JSON(t, 200, "POST", "/api/v1/statuses", url.Values{"status": {"@me hello?"}, "visibility": {"direct"}}, &dm2)
	NewClient(s, otherTok).PostStatus(t, "@me public ping")
	NewClient(s, friendTok).PostStatus(t, "@me from a friend")

	var notes []map[string]any
	me.JSON(t, 200, "GET", "/api/v1/notifications", nil, &notes)
	if len(notes) != 1 || notes[0]["account"].(map[string]any)["id"] != friend.ID {
		t.Fatalf("notifications = %v; want only the friend's", notes)
	}
	// The stream carries the friend's mention only.
	if ev := nextSSE(t, stream); !strings.Contains(ev, "from a friend") {
		t.Fatalf("first streamed notification: %.200s", ev)
	}
	me.JSON(t, 200, "GET", "/api/v1/notifications", url.Values{"include_filtered": {"true"}}, &notes)
	if len(notes) != 4 {
		t.Fatalf("with include_filtered: %d notifications, want 4", len(notes))
	}
	var reqs []map[string]any
	me.JSON(t, 200, "GET", "/api/v1/notifications/requests", nil, &reqs)
	if len(reqs) != 2 {
		t.Fatalf("requests = %v", reqs)
	}
	var fromStranger map[string]any
	for _, r := range reqs {
		if r["account"].(map[string]any)["id"] == stranger.ID {
			fromStranger = r
		}
	}
	if fromStranger == nil || fromStranger["notifications_count"] != "2" || fromStranger["last_status"].(map[string]any)["id"] != dm2["id"] {
		t.Fatalf("stranger's request = %v", fromStranger)
	}
	var pol map[string]any
	me.JSON(t, 200, "GET", "/api/v2/notifications/policy", nil, &pol)
	if sum := pol["summary"].(map[string]any); sum["pending_requests_count"] != 2.0 || sum["pending_notifications_count"] != 3.0 {
		t.Fatalf("policy summary = %v", sum)
	}
	var merged map[string]any
	me.JSON(t, 200, "GET", "/api/v1/notifications/requests/merged", nil, &merged)
	if merged["merged"] != true {
		t.Fatalf("merged = %v", merged)
	}

	// Accept the stranger: their two mentions appear, and a later one
	// arrives as a plain notification.
	rid := fromStranger["id"].(string)
	me.JSON(t, 200, "GET", "/api/v1/notifications/requests/"+rid, nil, nil)
	me.JSON(t, 200, "POST", "/api/v1/notifications/requests/"+rid+"/accept", nil, nil)
	me.JSON(t, 404, "GET", "/api/v1/notifications/requests/"+rid, nil, nil)
	NewClient(s, strangerTok).JSON(t, 200, "POST", "/api/v1/statuses", url.Values{"status": {"@me thanks"}, "visibility": {"direct"}}, nil)
	me.JSON(t, 200, "GET", "/api/v1/notifications", nil, &notes)
	if len(notes) != 4 {
		t.Fatalf("after accepting: %d notifications, want 4", len(notes))
	}
	// Dismiss the other (bulk form): its notification is gone.
	me.JSON(t, 200, "GET", "/api/v1/notifications/requests", nil, &reqs)
	if len(reqs) != 1 {
		t.Fatalf("requests after accept = %v", reqs)
	}
	me.JSON(t, 200, "POST", "/api/v1/notifications/requests/dismiss", url.Values{"id[]": {reqs[0]["id"].(string)}}, nil)
	me.JSON(t, 200, "GET", "/api/v1/notifications/requests", nil, &reqs)
	me.JSON(t, 200, "GET", "/api/v1/notifications", url.Values{"include_filtered": {"true"}}, &notes)
	if len(reqs) != 0 || len(notes) != 4 {
		t.Fatalf("after dismiss: %d requests, %d notifications", len(reqs), len(notes))
	}
	// "drop" discards notifications altogether.
	me.JSON(t, 200, "PATCH", "/api/v2/notifications/policy", url.Values{"for_not_following": {"drop"}}, nil)
	NewClient(s, otherTok).PostStatus(t, "@me again")
	me.JSON(t, 200, "GET", "/api/v1/notifications", url.Values{"include_filtered": {"true"}}, &notes)
	me.JSON(t, 200, "GET", "/api/v1/notifications/requests", nil, &reqs)
	if len(notes) != 4 || len(reqs) != 0 {
		t.Fatalf("with drop: %d notifications, %d requests", len(notes), len(reqs))
	}
}

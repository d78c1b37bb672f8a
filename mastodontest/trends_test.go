package mastodontest

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

func TestTrends(t *testing.T) {
	clock := NewClock(time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC))
	s := NewTestServer(t, WithClock(clock))
	_, at := s.CreateUser("alice")
	_, bt := s.CreateUser("bob")
	_, ct := s.CreateUser("carol")
	ac, bc, cc := NewClient(s, at), NewClient(s, bt), NewClient(s, ct)
	anon := NewClient(s, "")

	// Old activity falls out of the window.
	ac.PostStatus(t, "#ancient https://old.example/")
	clock.Advance(8 * 24 * time.Hour)

	ac.PostStatus(t, "#golang #rust https://go.dev/blog")
	bc.PostStatus(t, "#golang is nice, see https://go.dev/blog")
	cc.PostStatus(t, "#rust #rust #zig")
	var private map[string]any
	ac.JSON(t, 200, "POST", "/api/v1/statuses", url.Values{"status": {"#secret https://hidden.example"}, "visibility": {"private"}}, &private)
	cw := ac.PostStatus(t, "https://cw.example") // no content warning, despite the host

	var tags []map[string]any
	anon.JSON(t, 200, "GET", "/api/v1/trends/tags", nil, &tags)
	var names []string
	for _, tg := range tags {
		names = append(names, tg["name"].(string))
	}
	if fmt.Sprint(names) != "[golang rust zig]" {
		t.Fatalf("trending tags = %v", names)
	}
	hist := tags[0]["history"].([]any)
	if len(hist) != 7 || hist[0].(map[string]any)["accounts"] != "2" || hist[0].(map[string]any)["uses"] != "2" {
		t.Fatalf("golang history = %v", hist)
	}
	if _, has := tags[0]["following"]; has {
		t.Fatal("anonymous tag has following")
	}
	ac.JSON(t, 200, "GET", "/api/v1/trends/tags", nil, &tags)
	if tags[0]["following"] != false {
		t.Fatalf("signed-in tag = %v", tags[0])
	}
	// The legacy /api/v1/trends is the same list.
	anon.JSON(t, 200, "GET", "/api/v1/trends", url.Values{"limit": {"1"}}, &tags)
	if len(tags) != 1 || tags[0]["name"] != "golang" {
		t.Fatalf("legacy trends = %v", tags)
	}

	// Offset pagination and Mastodon's Link rules.
	hdr := anon.JSON(t, 200, "GET", "/api/v1/trends/tags", url.Values{"limit": {"1"}}, &tags)
	if want := `<` + s.URL + `/api/v1/trends/tags?limit=1&offset=1>; rel="next"`; hdr.Get("Link") != want {
		t.Fatalf("Link = %q, want %q", hdr.Get("Link"), want)
	}
	hdr = anon.JSON(t, 200, "GET", "/api/v1/trends/tags", url.Values{"limit": {"1"}, "offset": {"2"}}, &tags)
	if len(tags) != 1 || tags[0]["name"] != "zig" || !strings.Contains(hdr.Get("Link"), `offset=1>; rel="prev"`) {
		t.Fatalf("offset 2 = %v, Link %q", tags, hdr.Get("Link"))
	}
	hdr = anon.JSON(t, 200, "GET", "/api/v1/trends/tags", url.Values{"offset": {"5"}}, &tags)
	if len(tags) != 0 || hdr.Get("Link") != "" {
		t.Fatalf("past the end = %v, Link %q", tags, hdr.Get("Link"))
	}

	// Links: shared by two accounts first; private and old links never.
	var links []map[string]any
	anon.JSON(t, 200, "GET", "/api/v1/trends/links", nil, &links)
	if len(links) != 2 || links[0]["url"] != "https://go.dev/blog" || links[1]["url"] != "https://cw.example/" {
		t.Fatalf("links = %v", links)
	}
	lh := links[0]["history"].([]any)
	if len(lh) != 7 || lh[0].(map[string]any)["accounts"] != "2" {
		t.Fatalf("link history = %v", lh)
	}

	// Statuses need interactions.
	var sts []map[string]any
	anon.JSON(t, 200, "GET", "/api/v1/trends/statuses", nil, &sts)
	if len(sts) != 0 {
		t.Fatalf("statuses without interactions = %v", idsOf(sts))
	}
	first := bc.AccountStatuses(t, s.CreateAccount("bob").ID)[0]["id"].(string)
	ac.JSON(t, 200, "POST", "/api/v1/statuses/"+first+"/favourite", nil, nil)
	cc.JSON(t, 200, "POST", "/api/v1/statuses/"+first+"/reblog", nil, nil)
	ac.JSON(t, 200, "POST", "/api/v1/statuses/"+cw["id"].(string)+"/favourite", nil, nil)
	ac.JSON(t, 200, "POST", "/api/v1/statuses/"+private["id"].(string)+"/favourite", nil, nil)
	anon.JSON(t, 200, "GET", "/api/v1/trends/statuses", nil, &sts)
	if len(sts) != 2 || sts[0]["id"] != first || sts[1]["id"] != cw["id"] {
		t.Fatalf("trending statuses = %v", idsOf(sts))
	}

	// Turned off: empty lists.
	s.SetTrends(false)
	anon.JSON(t, 200, "GET", "/api/v1/trends/tags", nil, &tags)
	anon.JSON(t, 200, "GET", "/api/v1/trends/links", nil, &links)
	anon.JSON(t, 200, "GET", "/api/v1/trends/statuses", nil, &sts)
	if len(tags)+len(links)+len(sts) != 0 {
		t.Fatalf("trends off: %v %v %v", tags, links, sts)
	}
}

func TestLinkTimeline(t *testing.T) {
	s := NewTestServer(t)
	_, at := s.CreateUser("alice")
	ac := NewClient(s, at)
	anon := NewClient(s, "")
	var ids []string
	for i := range 5 {
		ids = append(ids, ac.PostStatus(t, fmt.Sprintf("post %d https://news.example/story", i))["id"].(string))
	}
	ac.PostStatus(t, "unrelated https://other.example/")
	ac.JSON(t, 200, "POST", "/api/v1/statuses", url.Values{"status": {"quiet https://news.example/story"}, "visibility": {"unlisted"}}, nil)

	wantError(t, anon, 404, "GET", "/api/v1/timelines/link", url.Values{"url": {"https://nowhere.example/"}}, "Record not found")
	wantError(t, anon, 404, "GET", "/api/v1/timelines/link", url.Values{"url": {"https://NEWS.example/story"}}, "Record not found")
	wantError(t, anon, 404, "GET", "/api/v1/timelines/link", nil, "Record not found")

	var page []map[string]any
	hdr := anon.JSON(t, 200, "GET", "/api/v1/timelines/link", url.Values{"url": {"https://news.example/story"}, "limit": {"2"}}, &page)
	if fmt.Sprint(idsOf(page)) != fmt.Sprint([]any{ids[4], ids[3]}) {
		t.Fatalf("page 1 = %v", idsOf(page))
	}
	q := url.Values{"url": {"https://news.example/story"}, "limit": {"2"}}
	next, prev := url.Values{}, url.Values{}
	for k, v := range q {
		next[k], prev[k] = v, v
	}
	next.Set("max_id", ids[3])
	prev.Set("min_id", ids[4])
	want := `<` + s.URL + `/api/v1/timelines/link?` + next.Encode() + `>; rel="next", <` + s.URL + `/api/v1/timelines/link?` + prev.Encode() + `>; rel="prev"`
	if hdr.Get("Link") != want {
		t.Fatalf("Link = %s\nwant %s", hdr.Get("Link"), want)
	}
	anon.JSON(t, 200, "GET", "/api/v1/timelines/link", url.Values{"url": {"https://news.example/story"}, "max_id": {ids[3]}, "limit": {"2"}}, &page)
	if fmt.Sprint(idsOf(page)) != fmt.Sprint([]any{ids[2], ids[1]}) {
		t.Fatalf("max_id page = %v", idsOf(page))
	}
	anon.JSON(t, 200, "GET", "/api/v1/timelines/link", url.Values{"url": {"https://news.example/story"}, "min_id": {ids[0]}, "limit": {"2"}}, &page)
	if fmt.Sprint(idsOf(page)) != fmt.Sprint([]any{ids[2], ids[1]}) {
		t.Fatalf("min_id page = %v", idsOf(page))
	}
	hdr = anon.JSON(t, 200, "GET", "/api/v1/timelines/link", url.Values{"url": {"https://news.example/story"}, "max_id": {ids[0]}}, &page)
	if len(page) != 0 || hdr.Get("Link") != "" {
		t.Fatalf("past the end = %v %q", idsOf(page), hdr.Get("Link"))
	}
	// A deleted status leaves the feed.
	ac.JSON(t, 200, "DELETE", "/api/v1/statuses/"+ids[4], nil, nil)
	anon.JSON(t, 200, "GET", "/api/v1/timelines/link", url.Values{"url": {"https://news.example/story"}}, &page)
	if len(page) != 4 || page[0]["id"] != ids[3] {
		t.Fatalf("after delete = %v", idsOf(page))
	}
	s.SetTrends(false)
	wantError(t, anon, 404, "GET", "/api/v1/timelines/link", url.Values{"url": {"https://news.example/story"}}, "Record not found")
}

func TestTranslation(t *testing.T) {
	s := NewTestServer(t)
	alice, at := s.CreateUser("alice")
	ac := NewClient(s, at)
	var posted map[string]any
	ac.JSON(t, 200, "POST", "/api/v1/statuses", url.Values{"status": {"Hello #world"}, "spoiler_text": {"greeting"},
		"poll[options][]": {"yes", "no"}, "poll[expires_in]": {"3600"}}, &posted)
	id := posted["id"].(string)
	path := "/api/v1/statuses/" + id + "/translate"

	var inst map[string]any
	ac.JSON(t, 200, "GET", "/api/v2/instance", nil, &inst)
	if tr := inst["configuration"].(map[string]any)["translation"].(map[string]any); tr["enabled"] != false {
		t.Fatalf("translation enabled by default: %v", tr)
	}
	wantError(t, ac, 404, "POST", path, url.Values{"lang": {"de"}}, "Not Found")

	s.SetTranslation(true)
	ac.JSON(t, 200, "GET", "/api/v2/instance", nil, &inst)
	if tr := inst["configuration"].(map[string]any)["translation"].(map[string]any); tr["enabled"] != true {
		t.Fatalf("translation not enabled: %v", tr)
	}
	wantError(t, NewClient(s, ""), 401, "POST", path, nil, "access token is invalid")
	wantError(t, NewClient(s, s.CreateToken(alice.ID, "write")), 403, "POST", path, nil, "outside the authorized scopes")
	wantError(t, ac, 404, "POST", "/api/v1/statuses/12345/translate", nil, "Record not found")
	wantError(t, ac, 403, "POST", path, url.Values{"lang": {"en"}}, "not allowed")
	wantError(t, ac, 403, "POST", path, url.Values{"lang": {"xx"}}, "not allowed")

	var tr map[string]any
	ac.JSON(t, 200, "POST", path, url.Values{"lang": {"de"}}, &tr)
	if !strings.HasPrefix(tr["content"].(string), "<p>[de] Hello <a href=") || tr["spoiler_text"] != "[de] greeting" ||
		tr["detected_source_language"] != "en" || tr["language"] != "de" || tr["provider"] != "mastodontest" {
		t.Fatalf("translation = %v", tr)
	}
	poll := tr["poll"].(map[string]any)
	if fmt.Sprint(poll["options"]) != "[map[title:[de] yes] map[title:[de] no]]" || poll["id"] == "" {
		t.Fatalf("poll = %v", poll)
	}
	// Without lang, the Accept-Language header chooses.
	req, _ := http.NewRequest("POST", s.URL+path, nil)
	req.Header.Set("Authorization", "Bearer "+at)
	req.Header.Set("Accept-Language", "fr-CA,fr;q=0.9")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("Accept-Language translate: %d", resp.StatusCode)
	}
	// Private statuses cannot be translated.
	var priv map[string]any
	ac.JSON(t, 200, "POST", "/api/v1/statuses", url.Values{"status": {"psst"}, "visibility": {"private"}}, &priv)
	wantError(t, ac, 403, "POST", "/api/v1/statuses/"+priv["id"].(string)+"/translate", url.Values{"lang": {"de"}}, "not allowed")

	var langs map[string][]string
	ac.JSON(t, 200, "GET", "/api/v1/instance/translation_languages", nil, &langs)
	if len(langs["en"]) == 0 || strings.Contains(fmt.Sprint(langs["en"]), "en") {
		t.Fatalf("translation languages = %v", langs)
	}
	s.SetTranslation(false)
	langs = nil
	ac.JSON(t, 200, "GET", "/api/v1/instance/translation_languages", nil, &langs)
	if len(langs) != 0 {
		t.Fatalf("languages while off = %v", langs)
	}
	s2 := NewTestServer(t, WithTranslation())
	_, t2 := s2.CreateUser("x")
	st2 := NewClient(s2, t2).PostStatus(t, "hi")
	NewClient(s2, t2).JSON(t, 200, "POST", "/api/v1/statuses/"+st2["id"].(string)+"/translate", url.Values{"lang": {"ja"}}, nil)
}

func TestSuggestions(t *testing.T) {
	s := NewTestServer(t)
	alice, at := s.CreateUser("alice")
	ac := NewClient(s, at)
	bob, bt := s.CreateUser("bob", Discoverable())
	carol := s.CreateAccount("carol", Discoverable())
	dave := s.CreateAccount("dave") // not discoverable
	_, et := s.CreateUser("erin")
	ec := NewClient(s, et)
	// erin follows carol and dave; alice follows bob, who follows carol.
	ec.JSON(t, 200, "POST", "/api/v1/accounts/"+carol.ID+"/follow", nil, nil)
	ec.JSON(t, 200, "POST", "/api/v1/accounts/"+dave.ID+"/follow", nil, nil)
	NewClient(s, bt).JSON(t, 200, "POST", "/api/v1/accounts/"+carol.ID+"/follow", nil, nil)

	wantError(t, NewClient(s, s.CreateToken(alice.ID, "read:accounts")), 403, "GET", "/api/v2/suggestions", nil, "outside the authorized scopes")
	var v2 []map[string]any
	ac.JSON(t, 200, "GET", "/api/v2/suggestions", nil, &v2)
	if len(v2) != 1 || v2[0]["account"].(map[string]any)["id"] != carol.ID || fmt.Sprint(v2[0]["sources"]) != "[most_followed]" || v2[0]["source"] != "global" {
		t.Fatalf("v2 = %v", v2)
	}
	ac.JSON(t, 200, "POST", "/api/v1/accounts/"+bob.ID+"/follow", nil, nil)
	ac.JSON(t, 200, "GET", "/api/v2/suggestions", nil, &v2)
	if len(v2) != 1 || fmt.Sprint(v2[0]["sources"]) != "[friends_of_friends most_followed]" {
		t.Fatalf("v2 after following bob = %v", v2)
	}
	var v1 []map[string]any
	ac.JSON(t, 200, "GET", "/api/v1/suggestions", url.Values{"limit": {"5"}}, &v1)
	if len(v1) != 1 || v1[0]["id"] != carol.ID {
		t.Fatalf("v1 = %v", v1)
	}
	ac.JSON(t, 200, "DELETE", "/api/v1/suggestions/"+carol.ID, nil, nil)
	ac.JSON(t, 200, "DELETE", "/api/v1/suggestions/424242", nil, nil)
	ac.JSON(t, 200, "GET", "/api/v2/suggestions", nil, &v2)
	if len(v2) != 0 {
		t.Fatalf("after dismiss = %v", v2)
	}
	// Dismissal is per user.
	var other []map[string]any
	ec.JSON(t, 200, "GET", "/api/v1/suggestions", nil, &other)
	if len(other) != 1 || other[0]["id"] != bob.ID {
		t.Fatalf("erin's suggestions = %v", other)
	}
}

package mastodontest

import (
	"crypto/ecdh"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"testing"
)

// wantError checks an error answer: its status and its {"error": …} body.
func wantError(t *testing.T, c *Client, code int, method, path string, form url.Values, contains string) {
	t.Helper()
	var e map[string]any
	c.JSON(t, code, method, path, form, &e)
	msg, _ := e["error"].(string)
	if msg == "" || !strings.Contains(msg, contains) || len(e) > 2 {
		t.Fatalf("%s %s: error body %v, want one containing %q", method, path, e, contains)
	}
}

func pushKeys(t *testing.T) (string, string) {
	k, err := ecdh.P256().GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	auth := make([]byte, 16)
	_, _ = rand.Read(auth)
	return base64.RawURLEncoding.EncodeToString(k.PublicKey().Bytes()), base64.StdEncoding.EncodeToString(auth)
}

func TestPushSubscription(t *testing.T) {
	s := NewTestServer(t)
	a := s.CreateAccount("alice")
	tok := s.CreateToken(a.ID, "read", "push")
	c := NewClient(s, tok)
	p256, auth := pushKeys(t)

	wantError(t, NewClient(s, s.CreateToken(a.ID, "read", "write")), 403, "GET", "/api/v1/push/subscription", nil, "outside the authorized scopes")
	wantError(t, NewClient(s, s.CreateAppToken("push")), 422, "GET", "/api/v1/push/subscription", nil, "requires an authenticated user")
	wantError(t, c, 404, "GET", "/api/v1/push/subscription", nil, "Not Found")
	wantError(t, c, 404, "PUT", "/api/v1/push/subscription", url.Values{"data[policy]": {"none"}}, "Not Found")
	wantError(t, c, 400, "POST", "/api/v1/push/subscription", url.Values{"data[policy]": {"all"}}, "param is missing")
	wantError(t, c, 422, "POST", "/api/v1/push/subscription", url.Values{
		"subscription[endpoint]": {"ftp://push.example/x"}, "subscription[keys][p256dh]": {"AAAA"}, "subscription[keys][auth]": {auth},
	}, "Endpoint is invalid, is not a valid Ed25519 or Curve25519 key")

	form := url.Values{
		"subscription[endpoint]": {"https://push.example/sub/1"}, "subscription[keys][p256dh]": {p256},
		"subscription[keys][auth]": {auth}, "subscription[standard]": {"true"},
		"data[alerts][follow]": {"1"}, "data[alerts][mention]": {"0"}, "data[alerts][bogus]": {"1"}, "data[policy]": {"followed"},
	}
	var created map[string]any
	code, _, body, err := c.Do("POST", "/api/v1/push/subscription", form)
	if err != nil || code != 200 {
		t.Fatalf("create: %d %s %v", code, body, err)
	}
	// Mastodon lists alerts in its notification type order, id as a number.
	if !strings.Contains(string(body), `"alerts":{"mention":false,"follow":true}`) {
		t.Errorf("alerts order: %s", body)
	}
	_ = json.Unmarshal(body, &created)
	if _, isNum := created["id"].(float64); !isNum || created["endpoint"] != "https://push.example/sub/1" ||
		created["server_key"] != vapidKey || created["policy"] != "followed" || created["standard"] != true {
		t.Fatalf("created = %v", created)
	}
	if sub, ok := s.PushSubscription(tok); !ok || sub.P256dh != p256 || sub.Auth != auth || !sub.Alerts["follow"] || sub.Alerts["mention"] || len(sub.Alerts) != 2 {
		t.Fatalf("stored = %+v %v", sub, ok)
	}

	// PUT replaces the data: what it leaves out is gone, policy back to "all".
	var updated map[string]any
	c.JSON(t, 200, "PUT", "/api/v1/push/subscription", url.Values{"data[alerts][favourite]": {"true"}}, &updated)
	if fmt.Sprint(updated["alerts"]) != "map[favourite:true]" || updated["policy"] != "all" || updated["id"] != created["id"] {
		t.Fatalf("updated = %v", updated)
	}
	c.JSON(t, 200, "PUT", "/api/v1/push/subscription", url.Values{"data[policy]": {"none"}}, &updated)
	if fmt.Sprint(updated["alerts"]) != "map[]" || updated["policy"] != "none" {
		t.Fatalf("policy only = %v", updated)
	}

	// Subscriptions belong to a token: another token of the same user has none.
	other := s.CreateToken(a.ID, "push")
	wantError(t, NewClient(s, other), 404, "GET", "/api/v1/push/subscription", nil, "Not Found")

	// Subscribing again replaces the subscription.
	var again map[string]any
	c.JSON(t, 200, "POST", "/api/v1/push/subscription", url.Values{"subscription[endpoint]": {"https://push.example/sub/2"},
		"subscription[keys][p256dh]": {p256}, "subscription[keys][auth]": {auth}}, &again)
	if again["id"] == created["id"] || fmt.Sprint(again["alerts"]) != "map[]" || again["standard"] != false {
		t.Fatalf("again = %v", again)
	}
	c.JSON(t, 200, "DELETE", "/api/v1/push/subscription", nil, nil)
	wantError(t, c, 404, "GET", "/api/v1/push/subscription", nil, "Not Found")
	c.JSON(t, 200, "DELETE", "/api/v1/push/subscription", nil, nil)
	if _, ok := s.PushSubscription(tok); ok {
		t.Fatal("subscription kept after DELETE")
	}
}

func TestReports(t *testing.T) {
	s := NewTestServer(t)
	alice, at := s.CreateUser("alice")
	bob, bt := s.CreateUser("bob")
	ac := NewClient(s, at)
	post := NewClient(s, bt).PostStatus(t, "rude words")
	mine := ac.PostStatus(t, "my own")

	wantError(t, NewClient(s, s.CreateToken(alice.ID, "read")), 403, "POST", "/api/v1/reports", url.Values{"account_id": {bob.ID}}, "outside the authorized scopes")
	wantError(t, ac, 404, "POST", "/api/v1/reports", url.Values{"account_id": {"999"}}, "Record not found")
	wantError(t, ac, 404, "POST", "/api/v1/reports", url.Values{"account_id": {bob.ID}, "status_ids[]": {mine["id"].(string)}}, "Record not found")
	wantError(t, ac, 422, "POST", "/api/v1/reports", url.Values{"account_id": {bob.ID}, "category": {"boring"}}, "Category")
	wantError(t, ac, 422, "POST", "/api/v1/reports", url.Values{"account_id": {bob.ID}, "comment": {strings.Repeat("x", 1001)}}, "Comment is too long")
	wantError(t, ac, 422, "POST", "/api/v1/reports", url.Values{"account_id": {bob.ID}, "category": {"violation"}, "rule_ids[]": {"1"}}, "Rule ids")

	var r map[string]any
	ac.JSON(t, 200, "POST", "/api/v1/reports", url.Values{"account_id": {bob.ID}, "status_ids[]": {post["id"].(string)},
		"comment": {"spam!"}, "forward": {"true"}, "rule_ids[]": {"7"}}, &r)
	target, _ := r["target_account"].(map[string]any)
	if r["category"] != "other" || r["comment"] != "spam!" || r["forwarded"] != false || fmt.Sprint(r["rule_ids"]) != "[7]" ||
		fmt.Sprint(r["status_ids"]) != fmt.Sprint([]any{post["id"]}) || r["action_taken"] != false || target["id"] != bob.ID {
		t.Fatalf("report = %v", r)
	}

	rule := s.AddRule("Be nice", "")
	ac.JSON(t, 200, "POST", "/api/v1/reports", url.Values{"account_id": {bob.ID}, "category": {"violation"}, "rule_ids[]": {rule}}, &r)
	if r["category"] != "violation" || fmt.Sprint(r["rule_ids"]) != "["+rule+"]" || fmt.Sprint(r["status_ids"]) != "[]" {
		t.Fatalf("violation report = %v", r)
	}
	var rules []map[string]any
	NewClient(s, "").JSON(t, 200, "GET", "/api/v1/instance/rules", nil, &rules)
	if len(rules) != 1 || rules[0]["id"] != rule || rules[0]["text"] != "Be nice" {
		t.Fatalf("rules = %v", rules)
	}

	// Forwarding applies to remote accounts only.
	remote := s.CreateRemoteAccount("troll", "far.example")
	ac.JSON(t, 200, "POST", "/api/v1/reports", url.Values{"account_id": {remote.ID}, "forward": {"1"}, "category": {"spam"}}, &r)
	if r["forwarded"] != true || r["category"] != "spam" || r["rule_ids"] != nil {
		t.Fatalf("remote report = %v", r)
	}
	reps := s.Reports()
	if len(reps) != 3 || reps[0].ReporterID != alice.ID || reps[0].TargetID != bob.ID || !reps[0].Forward || reps[0].Forwarded || !reps[2].Forwarded {
		t.Fatalf("Reports() = %+v", reps)
	}
	s.Reset()
	if len(s.Reports()) != 0 {
		t.Fatal("reports survive Reset")
	}
}

func TestFiltersV1(t *testing.T) {
	s := NewTestServer(t)
	alice, at := s.CreateUser("alice")
	_, bt := s.CreateUser("bob")
	ac, bc := NewClient(s, at), NewClient(s, bt)

	wantError(t, NewClient(s, s.CreateToken(alice.ID, "read:filters")), 403, "POST", "/api/v1/filters", url.Values{"phrase": {"x"}, "context[]": {"home"}}, "outside the authorized scopes")
	wantError(t, ac, 422, "POST", "/api/v1/filters", url.Values{"phrase": {""}, "context[]": {"home"}}, "can't be blank")
	wantError(t, ac, 422, "POST", "/api/v1/filters", url.Values{"phrase": {"x"}}, "Context")

	var f map[string]any
	ac.JSON(t, 200, "POST", "/api/v1/filters", url.Values{"phrase": {"anime"}, "context[]": {"home", "public"},
		"irreversible": {"1"}, "whole_word": {"0"}}, &f)
	if f["phrase"] != "anime" || f["whole_word"] != false || f["irreversible"] != true || f["expires_at"] != nil ||
		fmt.Sprint(f["context"]) != "[home public]" {
		t.Fatalf("v1 filter = %v", f)
	}
	id := f["id"].(string)
	// It is a v2 filter titled after the phrase, with that one keyword.
	var v2 []map[string]any
	ac.JSON(t, 200, "GET", "/api/v2/filters", nil, &v2)
	if len(v2) != 1 || v2[0]["title"] != "anime" || v2[0]["filter_action"] != "hide" {
		t.Fatalf("v2 = %v", v2)
	}
	kws := v2[0]["keywords"].([]any)
	if len(kws) != 1 || kws[0].(map[string]any)["id"] != id {
		t.Fatalf("v2 keywords = %v", kws)
	}
	// The hide action keeps matching statuses out of home.
	bob := s.CreateAccount("bob")
	ac.JSON(t, 200, "POST", "/api/v1/accounts/"+bob.ID+"/follow", nil, nil)
	bc.PostStatus(t, "I like anime")
	bc.PostStatus(t, "I like cats")
	var home []map[string]any
	ac.JSON(t, 200, "GET", "/api/v1/timelines/home", nil, &home)
	if len(home) != 1 || !strings.Contains(home[0]["content"].(string), "cats") {
		t.Fatalf("home = %v", home)
	}

	// A v2 filter with two keywords shows as two v1 filters.
	var multi map[string]any
	ac.JSON(t, 200, "POST", "/api/v2/filters", url.Values{"title": {"sports"}, "context[]": {"home"},
		"keywords_attributes[0][keyword]": {"ball"}, "keywords_attributes[1][keyword]": {"goal"}}, &multi)
	var list []map[string]any
	ac.JSON(t, 200, "GET", "/api/v1/filters", nil, &list)
	if len(list) != 3 || list[0]["id"] != id || list[1]["phrase"] != "ball" || list[2]["phrase"] != "goal" {
		t.Fatalf("v1 list = %v", list)
	}
	ballID := list[1]["id"].(string)
	// Changing filter-level settings through v1 is refused when they would
	// apply to more than one keyword; keyword-level ones are fine.
	wantError(t, ac, 422, "PUT", "/api/v1/filters/"+ballID, url.Values{"context[]": {"public"}, "phrase": {"football"}}, "more than one filter keyword")
	var got map[string]any
	ac.JSON(t, 200, "GET", "/api/v1/filters/"+ballID, nil, &got)
	if got["phrase"] != "ball" || fmt.Sprint(got["context"]) != "[home]" {
		t.Fatalf("refused update changed the filter: %v", got)
	}
	ac.JSON(t, 200, "PUT", "/api/v1/filters/"+ballID, url.Values{"whole_word": {"false"}}, &got)
	if got["whole_word"] != false {
		t.Fatalf("whole_word update = %v", got)
	}
	// On a one-keyword filter every setting can change.
	ac.JSON(t, 200, "PUT", "/api/v1/filters/"+id, url.Values{"phrase": {"manga"}, "irreversible": {"false"}, "expires_in": {"3600"}}, &got)
	if got["phrase"] != "manga" || got["irreversible"] != false || got["expires_at"] == nil {
		t.Fatalf("update = %v", got)
	}
	// Another account's filter does not exist for alice, nor alice's for bob.
	wantError(t, bc, 404, "GET", "/api/v1/filters/"+id, nil, "Record not found")
	wantError(t, ac, 404, "GET", "/api/v1/filters/424242", nil, "Record not found")

	// Deleting a v1 filter deletes the keyword; the v2 filter stays.
	ac.JSON(t, 200, "DELETE", "/api/v1/filters/"+id, nil, nil)
	wantError(t, ac, 404, "GET", "/api/v1/filters/"+id, nil, "Record not found")
	ac.JSON(t, 200, "GET", "/api/v2/filters", nil, &v2)
	if len(v2) != 2 || len(v2[0]["keywords"].([]any)) != 0 {
		t.Fatalf("after v1 delete: %v", v2)
	}
}

func TestDomainBlocks(t *testing.T) {
	s := NewTestServer(t)
	alice, at := s.CreateUser("alice")
	ac := NewClient(s, at)
	troll := s.CreateRemoteAccount("troll", "Evil.Example")
	tc := NewClient(s, s.CreateToken(troll.ID))

	if troll.Acct != "troll@evil.example" {
		t.Fatalf("remote acct = %q", troll.Acct)
	}
	ac.JSON(t, 200, "POST", "/api/v1/accounts/"+troll.ID+"/follow", nil, nil)
	tc.JSON(t, 200, "POST", "/api/v1/accounts/"+alice.ID+"/follow", nil, nil)
	remotePost := tc.PostStatus(t, "hello from afar")
	tc.PostStatus(t, "@alice hi")
	localPost := ac.PostStatus(t, "hello from here")
	var pub []map[string]any
	ac.JSON(t, 200, "GET", "/api/v1/timelines/public", nil, &pub)
	if len(pub) != 3 {
		t.Fatalf("public before block = %v", idsOf(pub))
	}
	ac.JSON(t, 200, "GET", "/api/v1/timelines/public", url.Values{"local": {"true"}}, &pub)
	if len(pub) != 1 || pub[0]["id"] != localPost["id"] {
		t.Fatalf("local = %v", idsOf(pub))
	}
	ac.JSON(t, 200, "GET", "/api/v1/timelines/public", url.Values{"remote": {"true"}}, &pub)
	if len(pub) != 2 || pub[1]["id"] != remotePost["id"] {
		t.Fatalf("remote = %v", idsOf(pub))
	}
	acct := pub[0]["account"].(map[string]any)
	if acct["acct"] != "troll@evil.example" || acct["url"] != "https://evil.example/@troll" {
		t.Fatalf("remote account JSON = %v", acct)
	}
	var notes []map[string]any
	ac.JSON(t, 200, "GET", "/api/v1/notifications", nil, &notes)
	if len(notes) != 2 {
		t.Fatalf("notifications before block = %d", len(notes))
	}

	ro := NewClient(s, s.CreateToken(alice.ID, "read"))
	wantError(t, ro, 403, "POST", "/api/v1/domain_blocks", url.Values{"domain": {"evil.example"}}, "outside the authorized scopes")
	wantError(t, ac, 422, "POST", "/api/v1/domain_blocks", url.Values{"domain": {" "}}, "Domain can't be blank")
	wantError(t, ac, 422, "POST", "/api/v1/domain_blocks", url.Values{"domain": {"bad domain!"}}, "Domain is invalid")
	ac.JSON(t, 200, "POST", "/api/v1/domain_blocks", url.Values{"domain": {"EVIL.example"}}, nil)
	ac.JSON(t, 200, "POST", "/api/v1/domain_blocks", url.Values{"domain": {"evil.example"}}, nil) // idempotent

	ac.JSON(t, 200, "GET", "/api/v1/timelines/public", nil, &pub)
	if len(pub) != 1 || pub[0]["id"] != localPost["id"] {
		t.Fatalf("public after block = %v", idsOf(pub))
	}
	ac.JSON(t, 200, "GET", "/api/v1/notifications", nil, &notes)
	if len(notes) != 0 {
		t.Fatalf("notifications after block = %v", notes)
	}
	tc.PostStatus(t, "@alice still there?")
	ac.JSON(t, 200, "GET", "/api/v1/notifications", nil, &notes)
	if len(notes) != 0 {
		t.Fatalf("new notification from blocked domain = %v", notes)
	}
	var rels []map[string]any
	ac.JSON(t, 200, "GET", "/api/v1/accounts/relationships", url.Values{"id[]": {troll.ID}}, &rels)
	if rels[0]["domain_blocking"] != true || rels[0]["following"] != false || rels[0]["followed_by"] != false {
		t.Fatalf("relationship = %v", rels[0])
	}
	wantError(t, ac, 403, "POST", "/api/v1/accounts/"+troll.ID+"/follow", nil, "not allowed")
	// Others are not affected.
	_, bt := s.CreateUser("bob")
	NewClient(s, bt).JSON(t, 200, "GET", "/api/v1/timelines/public", nil, &pub)
	if len(pub) != 4 {
		t.Fatalf("bob's public = %v", idsOf(pub))
	}

	// Pagination: newest first, by block id, Link like account lists.
	for _, d := range []string{"a.example", "b.example", "c.example"} {
		ac.JSON(t, 200, "POST", "/api/v1/domain_blocks", url.Values{"domain": {d}}, nil)
	}
	var doms []string
	hdr := ro.JSON(t, 200, "GET", "/api/v1/domain_blocks", url.Values{"limit": {"2"}}, &doms)
	if fmt.Sprint(doms) != "[c.example b.example]" {
		t.Fatalf("page 1 = %v", doms)
	}
	link := hdr.Get("Link")
	if !strings.Contains(link, "max_id=3") || !strings.Contains(link, `rel="next"`) || !strings.Contains(link, "since_id=4") {
		t.Fatalf("Link = %s", link)
	}
	hdr = ro.JSON(t, 200, "GET", "/api/v1/domain_blocks", url.Values{"limit": {"2"}, "max_id": {"3"}}, &doms)
	if fmt.Sprint(doms) != "[a.example evil.example]" || !strings.Contains(hdr.Get("Link"), `rel="next"`) {
		t.Fatalf("page 2 = %v %s", doms, hdr.Get("Link"))
	}
	hdr = ro.JSON(t, 200, "GET", "/api/v1/domain_blocks", url.Values{"limit": {"2"}, "max_id": {"1"}}, &doms)
	if len(doms) != 0 || hdr.Get("Link") != "" {
		t.Fatalf("past the end = %v %q", doms, hdr.Get("Link"))
	}
	ro.JSON(t, 200, "GET", "/api/v1/domain_blocks", url.Values{"since_id": {"3"}}, &doms)
	if fmt.Sprint(doms) != "[c.example]" {
		t.Fatalf("since_id = %v", doms)
	}

	ac.JSON(t, 200, "DELETE", "/api/v1/domain_blocks", url.Values{"domain": {"evil.example"}}, nil)
	ac.JSON(t, 200, "DELETE", "/api/v1/domain_blocks", url.Values{"domain": {"never.example"}}, nil)
	ac.JSON(t, 200, "GET", "/api/v1/timelines/public", nil, &pub)
	if len(pub) != 4 {
		t.Fatalf("public after unblock = %v", idsOf(pub))
	}
	// The follows the block ended stay ended.
	ac.JSON(t, 200, "GET", "/api/v1/accounts/relationships", url.Values{"id[]": {troll.ID}}, &rels)
	if rels[0]["domain_blocking"] != false || rels[0]["following"] != false {
		t.Fatalf("relationship after unblock = %v", rels[0])
	}
}

func TestPreviewCards(t *testing.T) {
	s := NewTestServer(t)
	_, at := s.CreateUser("alice")
	ac := NewClient(s, at)

	posted := ac.PostStatus(t, "look (https://Example.ORG) and https://other.example/page")
	if posted["card"] != nil {
		t.Fatalf("card in the POST answer: %v", posted["card"])
	}
	id := posted["id"].(string)
	var got map[string]any
	ac.JSON(t, 200, "GET", "/api/v1/statuses/"+id, nil, &got)
	card, _ := got["card"].(map[string]any)
	if card["url"] != "https://example.org/" || card["title"] != "example.org" || card["type"] != "link" ||
		card["image"] != nil || fmt.Sprint(card["authors"]) != "[]" {
		t.Fatalf("derived card = %v", got["card"])
	}

	s.SetPreviewCard("https://example.org/", PreviewCard{Title: "Example Domain", Description: "An example",
		AuthorName: "IANA", AuthorURL: "https://iana.org", Image: "https://example.org/i.png", Language: "en"})
	ac.JSON(t, 200, "GET", "/api/v1/statuses/"+id, nil, &got)
	card = got["card"].(map[string]any)
	if card["title"] != "Example Domain" || card["description"] != "An example" || card["image"] != "https://example.org/i.png" ||
		card["language"] != "en" || card["author_name"] != "IANA" || len(card["authors"].([]any)) != 1 {
		t.Fatalf("registered card = %v", card)
	}

	// Links to this server, and pages that yield no card, give none.
	local := ac.PostStatus(t, "see "+s.URL+"/@alice")
	ac.JSON(t, 200, "GET", "/api/v1/statuses/"+local["id"].(string), nil, &got)
	if got["card"] != nil {
		t.Fatalf("card for a local link: %v", got["card"])
	}
	s.SetPreviewCard("https://nocard.example", PreviewCard{})
	none := ac.PostStatus(t, "https://nocard.example")
	ac.JSON(t, 200, "GET", "/api/v1/statuses/"+none["id"].(string), nil, &got)
	if got["card"] != nil {
		t.Fatalf("card for a cardless page: %v", got["card"])
	}

	// Editing picks the card again.
	ac.JSON(t, 200, "PUT", "/api/v1/statuses/"+id, url.Values{"status": {"no links now"}}, &got)
	if got["card"] != nil {
		t.Fatalf("card after edit: %v", got["card"])
	}
	ac.JSON(t, 200, "PUT", "/api/v1/statuses/"+id, url.Values{"status": {"http://other.example/x?y=1."}}, &got)
	if card, _ := got["card"].(map[string]any); card["url"] != "http://other.example/x?y=1" {
		t.Fatalf("card after second edit: %v", got["card"])
	}
}

package mastodontest

import (
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"
)

// TestAdminAccess: the admin API needs an admin:* scope and an admin user.
func TestAdminAccess(t *testing.T) {
	s := NewTestServer(t)
	root := s.CreateAccount("root", Admin())
	user := s.CreateAccount("user")
	adminScopes := []string{"admin:read", "admin:write"}
	for _, tc := range []struct {
		name  string
		token string
		want  int
	}{
		{"admin with admin scopes", s.CreateToken(root.ID, adminScopes...), 200},
		{"admin with granular scope", s.CreateToken(root.ID, "admin:read:accounts"), 200},
		{"admin without admin scopes", s.CreateToken(root.ID), 403},
		{"admin with another admin scope", s.CreateToken(root.ID, "admin:read:reports"), 403},
		{"user with admin scopes", s.CreateToken(user.ID, adminScopes...), 403},
		{"app token", s.CreateAppToken("admin:read"), 422},
		{"anonymous", "", 401},
	} {
		code, _, body, err := NewClient(s, tc.token).Do("GET", "/api/v1/admin/accounts", nil)
		if err != nil || code != tc.want {
			t.Errorf("%s: %d %s, want %d", tc.name, code, body, tc.want)
		}
	}
	// A write needs a write scope.
	ro := NewClient(s, s.CreateToken(root.ID, "admin:read"))
	ro.JSON(t, 403, "POST", "/api/v1/admin/accounts/"+user.ID+"/action", url.Values{"type": {"silence"}}, nil)
}

// TestAdminAccounts: listing with v1 and v2 filters, moderation actions
// and their undoing, deleting a suspended account's data.
func TestAdminAccounts(t *testing.T) {
	s := NewTestServer(t)
	root := s.CreateAccount("root", Admin())
	alice := s.CreateAccount("alice", DisplayName("Alice A"))
	bob := s.CreateAccount("bob")
	remote := s.CreateRemoteAccount("carol", "remote.example")
	c := NewClient(s, s.CreateToken(root.ID, "admin:read", "admin:write"))
	list := func(path string, q url.Values) []any {
		t.Helper()
		var got []map[string]any
		c.JSON(t, 200, "GET", path, q, &got)
		return idsOf(got)
	}
	if got := list("/api/v1/admin/accounts", nil); !slices.Equal(got, []any{remote.ID, bob.ID, alice.ID, root.ID}) {
		t.Fatalf("all accounts = %v", got)
	}
	if got := list("/api/v1/admin/accounts", url.Values{"remote": {"true"}}); !slices.Equal(got, []any{remote.ID}) {
		t.Fatalf("remote = %v", got)
	}
	if got := list("/api/v2/admin/accounts", url.Values{"origin": {"local"}, "display_name": {"alice"}}); !slices.Equal(got, []any{alice.ID}) {
		t.Fatalf("v2 local display_name = %v", got)
	}
	if got := list("/api/v2/admin/accounts", url.Values{"permissions": {"staff"}}); !slices.Equal(got, []any{root.ID}) {
		t.Fatalf("v2 staff = %v", got)
	}
	if got := list("/api/v1/admin/accounts", url.Values{"limit": {"2"}}); len(got) != 2 {
		t.Fatalf("limit 2 = %v", got)
	}

	var acc map[string]any
	c.JSON(t, 200, "GET", "/api/v1/admin/accounts/"+alice.ID, nil, &acc)
	if acc["username"] != "alice" || acc["email"] != "alice@localhost" || acc["suspended"] != false || acc["account"].(map[string]any)["id"] != alice.ID {
		t.Fatalf("admin account = %v", acc)
	}
	for _, typ := range []string{"silence", "sensitive", "disable", "suspend"} {
		c.JSON(t, 200, "POST", "/api/v1/admin/accounts/"+bob.ID+"/action", url.Values{"type": {typ}, "text": {"because"}}, nil)
	}
	wantError(t, c, 422, "POST", "/api/v1/admin/accounts/"+bob.ID+"/action", url.Values{"type": {"banish"}}, "Type")
	c.JSON(t, 200, "GET", "/api/v1/admin/accounts/"+bob.ID, nil, &acc)
	if acc["silenced"] != true || acc["sensitized"] != true || acc["disabled"] != true || acc["suspended"] != true {
		t.Fatalf("after actions = %v", acc)
	}
	for _, k := range []string{"silenced", "suspended", "disabled", "sensitized"} {
		if got := list("/api/v1/admin/accounts", url.Values{k: {"true"}}); !slices.Equal(got, []any{bob.ID}) {
			t.Fatalf("%s = %v", k, got)
		}
	}
	if got := list("/api/v2/admin/accounts", url.Values{"status": {"active"}, "origin": {"local"}}); slices.Contains(got, any(bob.ID)) {
		t.Fatalf("active includes the suspended bob: %v", got)
	}
	for op, field := range map[string]string{"unsilence": "silenced", "unsensitive": "sensitized", "enable": "disabled", "unsuspend": "suspended"} {
		c.JSON(t, 200, "POST", "/api/v1/admin/accounts/"+alice.ID+"/action", url.Values{"type": {"suspend"}}, nil)
		c.JSON(t, 200, "POST", "/api/v1/admin/accounts/"+bob.ID+"/"+op, nil, &acc)
		if acc[field] != false {
			t.Fatalf("%s left %s = %v", op, field, acc[field])
		}
	}
	// Nothing is pending here; staff cannot be acted on.
	c.JSON(t, 403, "POST", "/api/v1/admin/accounts/"+bob.ID+"/approve", nil, nil)
	c.JSON(t, 403, "POST", "/api/v1/admin/accounts/"+root.ID+"/action", url.Values{"type": {"suspend"}}, nil)
	// Only a suspended account's data can be deleted.
	c.JSON(t, 403, "DELETE", "/api/v1/admin/accounts/"+bob.ID, nil, nil)
	c.JSON(t, 200, "DELETE", "/api/v1/admin/accounts/"+alice.ID, nil, nil)
	c.JSON(t, 404, "GET", "/api/v1/admin/accounts/"+alice.ID, nil, nil)
	c.JSON(t, 404, "GET", "/api/v1/admin/accounts/404", nil, nil)
}

// TestAdminReports: listing unresolved and resolved reports, assigning,
// updating, resolving (directly or by an account action) and reopening.
func TestAdminReports(t *testing.T) {
	s := NewTestServer(t)
	root := s.CreateAccount("root", Admin())
	_, aliceTok := s.CreateUser("alice")
	bob, bobTok := s.CreateUser("bob")
	post := NewClient(s, bobTok).PostStatus(t, "spammy")
	a := NewClient(s, aliceTok)
	var r1, r2 map[string]any
	a.JSON(t, 200, "POST", "/api/v1/reports", url.Values{"account_id": {bob.ID}, "status_ids[]": {post["id"].(string)}, "comment": {"spam"}, "category": {"spam"}}, &r1)
	a.JSON(t, 200, "POST", "/api/v1/reports", url.Values{"account_id": {bob.ID}, "comment": {"again"}}, &r2)
	c := NewClient(s, s.CreateToken(root.ID, "admin:read", "admin:write"))
	var list []map[string]any
	c.JSON(t, 200, "GET", "/api/v1/admin/reports", nil, &list)
	if ids := idsOf(list); !slices.Equal(ids, []any{r2["id"], r1["id"]}) {
		t.Fatalf("unresolved = %v", ids)
	}
	id := r1["id"].(string)
	var rep map[string]any
	c.JSON(t, 200, "GET", "/api/v1/admin/reports/"+id, nil, &rep)
	if rep["category"] != "spam" || rep["target_account"].(map[string]any)["id"] != bob.ID ||
		len(rep["statuses"].([]any)) != 1 || rep["assigned_account"] != nil || rep["action_taken"] != false {
		t.Fatalf("report = %v", rep)
	}
	c.JSON(t, 200, "POST", "/api/v1/admin/reports/"+id+"/assign_to_self", nil, &rep)
	if rep["assigned_account"].(map[string]any)["id"] != root.ID {
		t.Fatalf("assigned = %v", rep["assigned_account"])
	}
	c.JSON(t, 200, "PUT", "/api/v1/admin/reports/"+id, url.Values{"category": {"other"}}, &rep)
	if rep["category"] != "other" {
		t.Fatalf("updated = %v", rep["category"])
	}
	c.JSON(t, 200, "POST", "/api/v1/admin/reports/"+id+"/resolve", nil, &rep)
	if rep["action_taken"] != true || rep["action_taken_by_account"].(map[string]any)["id"] != root.ID {
		t.Fatalf("resolved = %v", rep)
	}
	c.JSON(t, 200, "GET", "/api/v1/admin/reports", url.Values{"resolved": {"true"}}, &list)
	if ids := idsOf(list); !slices.Equal(ids, []any{id}) {
		t.Fatalf("resolved list = %v", ids)
	}
	c.JSON(t, 200, "POST", "/api/v1/admin/reports/"+id+"/reopen", nil, &rep)
	c.JSON(t, 200, "POST", "/api/v1/admin/reports/"+id+"/unassign", nil, &rep)
	if rep["action_taken"] != false || rep["assigned_account"] != nil {
		t.Fatalf("reopened = %v", rep)
	}
	// An account action naming a report resolves it.
	c.JSON(t, 200, "POST", "/api/v1/admin/accounts/"+bob.ID+"/action", url.Values{"type": {"none"}, "report_id": {r2["id"].(string)}}, nil)
	c.JSON(t, 200, "GET", "/api/v1/admin/reports/"+r2["id"].(string), nil, &rep)
	if rep["action_taken"] != true {
		t.Fatalf("report after action = %v", rep)
	}
	c.JSON(t, 404, "GET", "/api/v1/admin/reports/999", nil, nil)
}

// TestAdminDomainBlocks: create, read, update, refuse a duplicate, delete.
func TestAdminDomainBlocks(t *testing.T) {
	s := NewTestServer(t)
	root := s.CreateAccount("root", Admin())
	c := NewClient(s, s.CreateToken(root.ID, "admin:read:domain_blocks", "admin:write:domain_blocks"))
	var b map[string]any
	c.JSON(t, 200, "POST", "/api/v1/admin/domain_blocks", url.Values{"domain": {"Spam.Example"}, "severity": {"suspend"},
		"reject_media": {"true"}, "public_comment": {"spam"}}, &b)
	if b["domain"] != "spam.example" || b["severity"] != "suspend" || b["reject_media"] != true || b["public_comment"] != "spam" ||
		b["private_comment"] != nil || len(b["digest"].(string)) != 64 {
		t.Fatalf("block = %v", b)
	}
	id := b["id"].(string)
	wantError(t, c, 422, "POST", "/api/v1/admin/domain_blocks", url.Values{"domain": {"spam.example"}}, "spam.example")
	wantError(t, c, 422, "POST", "/api/v1/admin/domain_blocks", url.Values{"domain": {"x.example"}, "severity": {"ban"}}, "Severity")
	c.JSON(t, 200, "PUT", "/api/v1/admin/domain_blocks/"+id, url.Values{"severity": {"silence"}, "obfuscate": {"1"}}, &b)
	if b["severity"] != "silence" || b["obfuscate"] != true || b["reject_media"] != true {
		t.Fatalf("updated = %v", b)
	}
	var list []map[string]any
	c.JSON(t, 200, "GET", "/api/v1/admin/domain_blocks", nil, &list)
	if len(list) != 1 || list[0]["id"] != id {
		t.Fatalf("list = %v", list)
	}
	c.JSON(t, 200, "DELETE", "/api/v1/admin/domain_blocks/"+id, nil, nil)
	c.JSON(t, 404, "GET", "/api/v1/admin/domain_blocks/"+id, nil, nil)
}

// TestAdminBlockLists: domain allows, e-mail domain blocks, canonical
// e-mail blocks (with their hash and test) and IP blocks.
func TestAdminBlockLists(t *testing.T) {
	s := NewTestServer(t)
	root := s.CreateAccount("root", Admin())
	c := NewClient(s, s.CreateToken(root.ID, "admin:read", "admin:write"))
	var e map[string]any
	c.JSON(t, 200, "POST", "/api/v1/admin/domain_allows", url.Values{"domain": {"Friends.Example"}}, &e)
	if e["domain"] != "friends.example" || e["created_at"] == nil {
		t.Fatalf("domain allow = %v", e)
	}
	wantError(t, c, 422, "POST", "/api/v1/admin/domain_allows", url.Values{"domain": {"friends.example"}}, "taken")
	c.JSON(t, 200, "DELETE", "/api/v1/admin/domain_allows/"+e["id"].(string), nil, nil)
	c.JSON(t, 404, "GET", "/api/v1/admin/domain_allows/"+e["id"].(string), nil, nil)

	c.JSON(t, 200, "POST", "/api/v1/admin/email_domain_blocks", url.Values{"domain": {"spam.example"}}, &e)
	if e["domain"] != "spam.example" || len(e["history"].([]any)) != 7 {
		t.Fatalf("email domain block = %v", e)
	}
	var list []map[string]any
	c.JSON(t, 200, "GET", "/api/v1/admin/email_domain_blocks", nil, &list)
	if len(list) != 1 {
		t.Fatalf("email domain blocks = %v", list)
	}

	c.JSON(t, 200, "POST", "/api/v1/admin/canonical_email_blocks", url.Values{"email": {"Some.One+tag@Example.com"}}, &e)
	if e["canonical_email_hash"] != canonicalEmailHash("someone@example.com") {
		t.Fatalf("canonical block = %v", e)
	}
	c.JSON(t, 200, "POST", "/api/v1/admin/canonical_email_blocks/test", url.Values{"email": {"someone+x@example.com"}}, &list)
	if len(list) != 1 {
		t.Fatalf("canonical test = %v", list)
	}
	c.JSON(t, 200, "POST", "/api/v1/admin/canonical_email_blocks/test", url.Values{"email": {"other@example.com"}}, &list)
	if len(list) != 0 {
		t.Fatalf("canonical test of another address = %v", list)
	}

	c.JSON(t, 200, "POST", "/api/v1/admin/ip_blocks", url.Values{"ip": {"192.0.2.7/24"}, "severity": {"sign_up_block"}, "comment": {"bots"}, "expires_in": {"3600"}}, &e)
	if e["ip"] != "192.0.2.0/24" || e["severity"] != "sign_up_block" || e["comment"] != "bots" || e["expires_at"] == nil {
		t.Fatalf("ip block = %v", e)
	}
	c.JSON(t, 200, "PUT", "/api/v1/admin/ip_blocks/"+e["id"].(string), url.Values{"severity": {"no_access"}}, &e)
	if e["severity"] != "no_access" || e["ip"] != "192.0.2.0/24" {
		t.Fatalf("updated ip block = %v", e)
	}
	wantError(t, c, 422, "POST", "/api/v1/admin/ip_blocks", url.Values{"ip": {"not-an-ip"}}, "Ip")
	wantError(t, c, 422, "POST", "/api/v1/admin/ip_blocks", url.Values{"ip": {"2001:db8::1"}, "severity": {"ban"}}, "Severity")
	s.Clock().Advance(2 * time.Hour) // expired blocks go
	c.JSON(t, 200, "GET", "/api/v1/admin/ip_blocks", nil, &list)
	if len(list) != 0 {
		t.Fatalf("ip blocks after expiry = %v", list)
	}
	// Scopes are per list.
	only := NewClient(s, s.CreateToken(root.ID, "admin:read:ip_blocks"))
	only.JSON(t, 200, "GET", "/api/v1/admin/ip_blocks", nil, nil)
	only.JSON(t, 403, "GET", "/api/v1/admin/domain_allows", nil, nil)
}

// TestAdminMeasures: daily counts of new users, active users,
// interactions and reports over a date range, with the previous period.
func TestAdminMeasures(t *testing.T) {
	s := NewTestServer(t)
	s.Clock().Set(epoch) // 2026-03-01 12:00
	root := s.CreateAccount("root", Admin())
	_, aliceTok := s.CreateUser("alice")
	bob, bobTok := s.CreateUser("bob")
	post := NewClient(s, aliceTok).PostStatus(t, "hello")
	s.Clock().Advance(24 * time.Hour)
	NewClient(s, bobTok).JSON(t, 200, "POST", "/api/v1/statuses/"+post["id"].(string)+"/favourite", nil, nil)
	NewClient(s, bobTok).JSON(t, 200, "POST", "/api/v1/statuses/"+post["id"].(string)+"/reblog", nil, nil)
	NewClient(s, aliceTok).JSON(t, 200, "POST", "/api/v1/reports", url.Values{"account_id": {bob.ID}}, nil)
	c := NewClient(s, s.CreateToken(root.ID, "admin:read"))
	var ms []map[string]any
	c.JSON(t, 200, "POST", "/api/v1/admin/measures", url.Values{"keys[]": {"new_users", "active_users", "interactions", "opened_reports", "unknown_key"},
		"start_at": {"2026-03-01"}, "end_at": {"2026-03-02"}}, &ms)
	want := map[string][2]string{"new_users": {"3", "3"}, "active_users": {"2", "1"}, "interactions": {"2", "0"}, "opened_reports": {"1", "0"}}
	if len(ms) != 4 {
		t.Fatalf("measures = %v", ms)
	}
	for _, m := range ms {
		data := m["data"].([]any)
		w := want[m["key"].(string)]
		// [total, first day]: users and the post are from the first day, the reactions and report from the second.
		if m["total"] != w[0] || len(data) != 2 || data[0].(map[string]any)["value"] != w[1] || m["previous_total"] != "0" {
			t.Errorf("%v: total %v, data %v, previous %v; want total %s, first day %s", m["key"], m["total"], data, m["previous_total"], w[0], w[1])
		}
	}
	wantError(t, c, 400, "POST", "/api/v1/admin/measures", url.Values{"keys[]": {"new_users"}, "start_at": {"x"}, "end_at": {"2026-03-02"}}, "start_at")
	NewClient(s, aliceTok).JSON(t, 403, "POST", "/api/v1/admin/measures", url.Values{"keys[]": {"new_users"}}, nil)
}

// TestAdminDimensionsAndRetention: the dimensions Mastodon computes from
// statuses, follows and users, and the sign-up cohorts of retention.
func TestAdminDimensionsAndRetention(t *testing.T) {
	s := NewTestServer(t)
	s.Clock().Set(epoch) // 2026-03-01 12:00
	root := s.CreateAccount("root", Admin())
	alice, aliceTok := s.CreateUser("alice")
	far := s.CreateRemoteAccount("far", "remote.example")
	ac := NewClient(s, aliceTok)
	ac.PostStatus(t, "#gophers in English")
	NewClient(s, s.CreateToken(far.ID)).JSON(t, 200, "POST", "/api/v1/statuses",
		url.Values{"status": {"#gophers auf Deutsch"}, "language": {"de"}}, nil)
	s.Clock().Advance(24 * time.Hour)
	_, bobTok := s.CreateUser("bob")
	NewClient(s, bobTok).PostStatus(t, "day two")
	ac.PostStatus(t, "back again")
	ac.JSON(t, 200, "POST", "/api/v1/accounts/"+far.ID+"/follow", nil, nil)
	var tag map[string]any
	ac.JSON(t, 200, "GET", "/api/v1/tags/gophers", nil, &tag)

	c := NewClient(s, s.CreateToken(root.ID, "admin:read"))
	var dims []struct {
		Key  string
		Data []map[string]string
	}
	c.JSON(t, 200, "POST", "/api/v1/admin/dimensions", url.Values{
		"keys[]":   {"languages", "servers", "software_versions", "tag_servers", "tag_languages", "instance_accounts", "instance_languages", "sources"},
		"start_at": {"2026-03-01"}, "end_at": {"2026-03-02"},
		"tag_servers[id]": {tag["id"].(string)}, "tag_languages[id]": {tag["id"].(string)},
		"instance_accounts[domain]": {"remote.example"}, "instance_languages[domain]": {"remote.example"}}, &dims)
	local := strings.TrimPrefix(s.URL, "http://")
	want := map[string]string{
		"languages":          "en English 2",
		"servers":            "remote.example remote.example 1",
		"software_versions":  "mastodon Mastodon 4.5.0",
		"tag_servers":        local + " " + local + " 1, remote.example remote.example 1",
		"tag_languages":      "de German 1, en English 1",
		"instance_accounts":  "far far 1",
		"instance_languages": "de German 1",
	}
	if len(dims) != len(want) {
		t.Fatalf("dimensions = %+v", dims)
	}
	for _, d := range dims {
		var got []string
		for _, x := range d.Data {
			got = append(got, x["key"]+" "+x["human_key"]+" "+x["value"])
		}
		if strings.Join(got, ", ") != want[d.Key] {
			t.Errorf("%s = %q, want %q", d.Key, strings.Join(got, ", "), want[d.Key])
		}
	}

	var cohorts []struct {
		Period, Frequency string
		Data              []struct {
			Date  string
			Rate  float64
			Value string
		}
	}
	c.JSON(t, 200, "POST", "/api/v1/admin/retention", url.Values{"start_at": {"2026-03-01"}, "end_at": {"2026-03-02"}, "frequency": {"day"}}, &cohorts)
	// Day one: root and alice signed up, alice came back on day two; day two: bob.
	if len(cohorts) != 2 || cohorts[0].Period != "2026-03-01T00:00:00.000Z" || cohorts[0].Frequency != "day" ||
		len(cohorts[0].Data) != 2 || cohorts[0].Data[0].Value != "2" || cohorts[0].Data[0].Rate != 1 ||
		cohorts[0].Data[1].Date != "2026-03-02T00:00:00.000Z" || cohorts[0].Data[1].Value != "1" || cohorts[0].Data[1].Rate != 0.5 ||
		len(cohorts[1].Data) != 1 || cohorts[1].Data[0].Value != "1" || cohorts[1].Data[0].Rate != 1 {
		t.Fatalf("daily retention = %+v", cohorts)
	}
	c.JSON(t, 200, "POST", "/api/v1/admin/retention", url.Values{"start_at": {"2026-03-01"}, "end_at": {"2026-03-31"}, "frequency": {"month"}}, &cohorts)
	if len(cohorts) != 1 || cohorts[0].Frequency != "month" || len(cohorts[0].Data) != 1 || cohorts[0].Data[0].Value != "3" {
		t.Fatalf("monthly retention = %+v", cohorts)
	}
	wantError(t, c, 400, "POST", "/api/v1/admin/retention", url.Values{"start_at": {"2026-03-01"}, "end_at": {"2026-03-02"}, "frequency": {"week"}}, "frequency")
	wantError(t, c, 400, "POST", "/api/v1/admin/dimensions", url.Values{"keys[]": {"servers"}, "end_at": {"2026-03-02"}}, "start_at")
	NewClient(s, aliceTok).JSON(t, 403, "POST", "/api/v1/admin/dimensions", url.Values{"keys[]": {"servers"}}, nil)
	NewClient(s, s.CreateToken(alice.ID, "admin:read")).JSON(t, 403, "POST", "/api/v1/admin/retention", nil, nil)
}

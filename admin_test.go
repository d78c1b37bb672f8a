package mastodon

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/tuskgo/mastodon/internal/corpus"
)

func adminReplay(cases *replayTable) {
	cases.add("GET /api/v1/admin/accounts", func(ctx context.Context, c *Client, it *corpus.Interaction) error {
		o := &AdminAccountsV1Options{}
		recordedPaging(it, &o.MaxID, &o.MinID, &o.SinceID, &o.Limit)
		o.Active = rbool(rquery(it, "active")) != nil && *rbool(rquery(it, "active"))
		_, err := c.Admin.Accounts.ListV1(ctx, o)
		return err
	})
	cases.add("GET /api/v1/admin/accounts/{id}", func(ctx context.Context, c *Client, it *corpus.Interaction) error {
		_, err := c.Admin.Accounts.Get(ctx, it.PathParam("id"))
		return err
	})
	for _, a := range []string{"enable", "unsilence", "unsensitive", "unsuspend"} {
		cases.add("POST /api/v1/admin/accounts/{id}/"+a, func(ctx context.Context, c *Client, it *corpus.Interaction) error {
			var err error
			switch a {
			case "enable":
				_, err = c.Admin.Accounts.Enable(ctx, it.PathParam("id"))
			case "unsilence":
				_, err = c.Admin.Accounts.Unsilence(ctx, it.PathParam("id"))
			case "unsensitive":
				_, err = c.Admin.Accounts.Unsensitive(ctx, it.PathParam("id"))
			case "unsuspend":
				_, err = c.Admin.Accounts.Unsuspend(ctx, it.PathParam("id"))
			}
			return err
		})
	}
	cases.add("POST /api/v1/admin/accounts/{id}/action", func(ctx context.Context, c *Client, it *corpus.Interaction) error {
		return c.Admin.Accounts.Moderate(ctx, it.PathParam("id"), ModerationAction(rform(it, "type")),
			&ModerateParams{SendEmailNotification: rbool(rform(it, "send_email_notification")), Text: rform(it, "text"),
				ReportID: rform(it, "report_id"), WarningPresetID: rform(it, "warning_preset_id")})
	})
	cases.add("POST /api/v1/admin/email_domain_blocks", func(ctx context.Context, c *Client, it *corpus.Interaction) error {
		_, err := c.Admin.EmailDomainBlocks.Create(ctx, rform(it, "domain"))
		return err
	})
	cases.add("GET /api/v1/admin/email_domain_blocks/{id}", func(ctx context.Context, c *Client, it *corpus.Interaction) error {
		_, err := c.Admin.EmailDomainBlocks.Get(ctx, it.PathParam("id"))
		return err
	})
	cases.add("GET /api/v1/admin/email_domain_blocks", func(ctx context.Context, c *Client, it *corpus.Interaction) error {
		_, err := c.Admin.EmailDomainBlocks.List(ctx, recordedListOptions(it))
		return err
	})
	cases.add("DELETE /api/v1/admin/email_domain_blocks/{id}", func(ctx context.Context, c *Client, it *corpus.Interaction) error {
		return c.Admin.EmailDomainBlocks.Delete(ctx, it.PathParam("id"))
	})
	cases.add("POST /api/v1/admin/ip_blocks", func(ctx context.Context, c *Client, it *corpus.Interaction) error {
		cm := rform(it, "comment")
		_, err := c.Admin.IPBlocks.Create(ctx, &IPBlockParams{IP: rform(it, "ip"), Severity: AdminIPBlockSeverity(rform(it, "severity")), Comment: &cm})
		return err
	})
	cases.add("GET /api/v1/admin/ip_blocks/{id}", func(ctx context.Context, c *Client, it *corpus.Interaction) error {
		_, err := c.Admin.IPBlocks.Get(ctx, it.PathParam("id"))
		return err
	})
	cases.add("GET /api/v1/admin/ip_blocks", func(ctx context.Context, c *Client, it *corpus.Interaction) error {
		_, err := c.Admin.IPBlocks.List(ctx, recordedListOptions(it))
		return err
	})
	cases.add("PUT /api/v1/admin/ip_blocks/{id}", func(ctx context.Context, c *Client, it *corpus.Interaction) error {
		cm := rform(it, "comment")
		_, err := c.Admin.IPBlocks.Update(ctx, it.PathParam("id"), &IPBlockParams{Comment: &cm})
		return err
	})
	// Mastodon.py repeats the path's id in the body of an IP block update.
	cases.ignoredParams["id"] = true
	cases.add("DELETE /api/v1/admin/ip_blocks/{id}", func(ctx context.Context, c *Client, it *corpus.Interaction) error {
		return c.Admin.IPBlocks.Delete(ctx, it.PathParam("id"))
	})
	stats := func(it *corpus.Interaction) *AdminStatsParams {
		var b struct {
			Keys    []string `json:"keys"`
			StartAt string   `json:"start_at"`
			EndAt   string   `json:"end_at"`
			Limit   int      `json:"limit"`
		}
		json.Unmarshal(it.Request.Body.JSON, &b)
		var m map[string]map[string]any
		json.Unmarshal(it.Request.Body.JSON, &m)
		p := &AdminStatsParams{Keys: b.Keys, Limit: b.Limit}
		p.StartAt, _ = time.Parse(time.RFC3339, b.StartAt)
		p.EndAt, _ = time.Parse(time.RFC3339, b.EndAt)
		for k, v := range m {
			if d, ok := v["domain"].(string); ok && strings.HasPrefix(k, "instance_") {
				p.Domain = d
			}
			if id, ok := v["id"].(string); ok && strings.HasPrefix(k, "tag_") {
				p.TagID = id
			}
		}
		return p
	}
	cases.add("POST /api/v1/admin/measures", func(ctx context.Context, c *Client, it *corpus.Interaction) error {
		_, err := c.Admin.Measures.Get(ctx, stats(it))
		return err
	})
	cases.add("POST /api/v1/admin/dimensions", func(ctx context.Context, c *Client, it *corpus.Interaction) error {
		_, err := c.Admin.Dimensions.Get(ctx, stats(it))
		return err
	})
	cases.add("POST /api/v1/admin/retention", func(ctx context.Context, c *Client, it *corpus.Interaction) error {
		start, _ := time.Parse(time.RFC3339, rform(it, "start_at"))
		end, _ := time.Parse(time.RFC3339, rform(it, "end_at"))
		_, err := c.Admin.Retention.Get(ctx, start, end, RetentionFrequency(rform(it, "frequency")))
		return err
	})
}

// adminCase is one admin method: the request it must send and an answer.
type adminCase struct {
	name   string
	do     func(ctx context.Context, c *Client) (any, error)
	method string
	path   string
	query  string
	form   string
	json   string
	answer string
}

func adminCases() []adminCase {
	tr, f := true, false
	note := "spam wave"
	obj := `{"id":"9"}`
	acct := `{"id":"9","username":"spammer","email":"s@example.org","ip":"192.0.2.1","role":{"id":"-99","name":""},"confirmed":true,"suspended":false,"silenced":false,"sensitized":false,"disabled":false,"approved":true,"locale":null,"created_at":"2026-08-01T13:50:00.728Z","account":{"id":"9","username":"spammer","acct":"spammer"}}`
	report := `{"id":"4","action_taken":false,"category":"spam","comment":"","forwarded":false,"created_at":"2026-08-01T13:50:00.728Z","updated_at":"2026-08-01T13:50:00.728Z","account":` + acct + `,"target_account":` + acct + `,"statuses":[],"rules":[]}`
	start := time.Date(2026, 10, 4, 21, 0, 0, 0, time.UTC)
	end := start.Add(5 * 24 * time.Hour)
	return []adminCase{
		{"Accounts.List", func(ctx context.Context, c *Client) (any, error) {
			return c.Admin.Accounts.List(ctx, &AdminAccountsOptions{Origin: "local", Status: "pending", Permissions: "staff", RoleIDs: []string{"1", "2"}, ByDomain: "x.example", Limit: 10})
		}, "GET", "/api/v2/admin/accounts", "origin=local&status=pending&permissions=staff&role_ids[]=1&role_ids[]=2&by_domain=x.example&limit=10", "", "", "[" + acct + "]"},
		{"Accounts.ListV1", func(ctx context.Context, c *Client) (any, error) {
			return c.Admin.Accounts.ListV1(ctx, &AdminAccountsV1Options{Remote: true, Suspended: true, Email: "a@b.c", IP: "192.0.2.0/24"})
		}, "GET", "/api/v1/admin/accounts", "remote=true&suspended=true&email=a@b.c&ip=192.0.2.0/24", "", "", "[" + acct + "]"},
		{"Accounts.Get", func(ctx context.Context, c *Client) (any, error) { return c.Admin.Accounts.Get(ctx, "9") }, "GET", "/api/v1/admin/accounts/9", "", "", "", acct},
		{"Accounts.Approve", func(ctx context.Context, c *Client) (any, error) { return c.Admin.Accounts.Approve(ctx, "9") }, "POST", "/api/v1/admin/accounts/9/approve", "", "", "", acct},
		{"Accounts.Reject", func(ctx context.Context, c *Client) (any, error) { return c.Admin.Accounts.Reject(ctx, "9") }, "POST", "/api/v1/admin/accounts/9/reject", "", "", "", acct},
		{"Accounts.Enable", func(ctx context.Context, c *Client) (any, error) { return c.Admin.Accounts.Enable(ctx, "9") }, "POST", "/api/v1/admin/accounts/9/enable", "", "", "", acct},
		{"Accounts.Unsilence", func(ctx context.Context, c *Client) (any, error) { return c.Admin.Accounts.Unsilence(ctx, "9") }, "POST", "/api/v1/admin/accounts/9/unsilence", "", "", "", acct},
		{"Accounts.Unsuspend", func(ctx context.Context, c *Client) (any, error) { return c.Admin.Accounts.Unsuspend(ctx, "9") }, "POST", "/api/v1/admin/accounts/9/unsuspend", "", "", "", acct},
		{"Accounts.Unsensitive", func(ctx context.Context, c *Client) (any, error) { return c.Admin.Accounts.Unsensitive(ctx, "9") }, "POST", "/api/v1/admin/accounts/9/unsensitive", "", "", "", acct},
		{"Accounts.Delete", func(ctx context.Context, c *Client) (any, error) { return c.Admin.Accounts.Delete(ctx, "9") }, "DELETE", "/api/v1/admin/accounts/9", "", "", "", acct},
		{"Accounts.Moderate", func(ctx context.Context, c *Client) (any, error) {
			return nil, c.Admin.Accounts.Moderate(ctx, "9", ModerationSuspend, &ModerateParams{ReportID: "4", Text: "bye", SendEmailNotification: &f})
		}, "POST", "/api/v1/admin/accounts/9/action", "", "type=suspend&report_id=4&text=bye&send_email_notification=false", "", "{}"},
		{"Reports.List", func(ctx context.Context, c *Client) (any, error) {
			return c.Admin.Reports.List(ctx, &AdminReportsOptions{Resolved: true, TargetAccountID: "9"})
		}, "GET", "/api/v1/admin/reports", "resolved=true&target_account_id=9", "", "", "[" + report + "]"},
		{"Reports.Get", func(ctx context.Context, c *Client) (any, error) { return c.Admin.Reports.Get(ctx, "4") }, "GET", "/api/v1/admin/reports/4", "", "", "", report},
		{"Reports.Update", func(ctx context.Context, c *Client) (any, error) {
			return c.Admin.Reports.Update(ctx, "4", &AdminReportUpdate{Category: "violation", RuleIDs: []string{"1", "3"}})
		}, "PUT", "/api/v1/admin/reports/4", "", "category=violation&rule_ids[]=1&rule_ids[]=3", "", report},
		{"Reports.AssignToSelf", func(ctx context.Context, c *Client) (any, error) { return c.Admin.Reports.AssignToSelf(ctx, "4") }, "POST", "/api/v1/admin/reports/4/assign_to_self", "", "", "", report},
		{"Reports.Unassign", func(ctx context.Context, c *Client) (any, error) { return c.Admin.Reports.Unassign(ctx, "4") }, "POST", "/api/v1/admin/reports/4/unassign", "", "", "", report},
		{"Reports.Resolve", func(ctx context.Context, c *Client) (any, error) { return c.Admin.Reports.Resolve(ctx, "4") }, "POST", "/api/v1/admin/reports/4/resolve", "", "", "", report},
		{"Reports.Reopen", func(ctx context.Context, c *Client) (any, error) { return c.Admin.Reports.Reopen(ctx, "4") }, "POST", "/api/v1/admin/reports/4/reopen", "", "", "", report},
		{"Trends.Links", func(ctx context.Context, c *Client) (any, error) {
			return c.Admin.Trends.Links(ctx, &AdminTrendsOptions{Limit: 5})
		}, "GET", "/api/v1/admin/trends/links", "limit=5", "", "", `[{"url":"https://x.example/a","title":"A","history":[]}]`},
		{"Trends.Statuses", func(ctx context.Context, c *Client) (any, error) { return c.Admin.Trends.Statuses(ctx, nil) }, "GET", "/api/v1/admin/trends/statuses", "", "", "", `[{"id":"1"}]`},
		{"Trends.Tags", func(ctx context.Context, c *Client) (any, error) { return c.Admin.Trends.Tags(ctx, nil) }, "GET", "/api/v1/admin/trends/tags", "", "", "", `[{"id":"1","name":"go","requires_review":true}]`},
		{"Trends.Publishers", func(ctx context.Context, c *Client) (any, error) { return c.Admin.Trends.Publishers(ctx) }, "GET", "/api/v1/admin/trends/links/publishers", "", "", "", `[{"id":"1","domain":"x.example"}]`},
		{"Trends.ApproveLink", func(ctx context.Context, c *Client) (any, error) { return c.Admin.Trends.ApproveLink(ctx, "1") }, "POST", "/api/v1/admin/trends/links/1/approve", "", "", "", `{"url":"https://x.example/a"}`},
		{"Trends.RejectLink", func(ctx context.Context, c *Client) (any, error) { return c.Admin.Trends.RejectLink(ctx, "1") }, "POST", "/api/v1/admin/trends/links/1/reject", "", "", "", `{"url":"https://x.example/a"}`},
		{"Trends.ApproveStatus", func(ctx context.Context, c *Client) (any, error) { return c.Admin.Trends.ApproveStatus(ctx, "1") }, "POST", "/api/v1/admin/trends/statuses/1/approve", "", "", "", `{"id":"1"}`},
		{"Trends.RejectStatus", func(ctx context.Context, c *Client) (any, error) { return c.Admin.Trends.RejectStatus(ctx, "1") }, "POST", "/api/v1/admin/trends/statuses/1/reject", "", "", "", `{"id":"1"}`},
		{"Trends.ApproveTag", func(ctx context.Context, c *Client) (any, error) { return c.Admin.Trends.ApproveTag(ctx, "1") }, "POST", "/api/v1/admin/trends/tags/1/approve", "", "", "", `{"id":"1","name":"go"}`},
		{"Trends.RejectTag", func(ctx context.Context, c *Client) (any, error) { return c.Admin.Trends.RejectTag(ctx, "1") }, "POST", "/api/v1/admin/trends/tags/1/reject", "", "", "", `{"id":"1","name":"go"}`},
		{"Trends.ApprovePublisher", func(ctx context.Context, c *Client) (any, error) { return c.Admin.Trends.ApprovePublisher(ctx, "1") }, "POST", "/api/v1/admin/trends/links/publishers/1/approve", "", "", "", `{"id":"1","domain":"x.example","trendable":true}`},
		{"Trends.RejectPublisher", func(ctx context.Context, c *Client) (any, error) { return c.Admin.Trends.RejectPublisher(ctx, "1") }, "POST", "/api/v1/admin/trends/links/publishers/1/reject", "", "", "", `{"id":"1","domain":"x.example"}`},
		{"Tags.List", func(ctx context.Context, c *Client) (any, error) {
			return c.Admin.Tags.List(ctx, &ListOptions{Limit: 2})
		}, "GET", "/api/v1/admin/tags", "limit=2", "", "", `[{"id":"1","name":"go","usable":true}]`},
		{"Tags.Get", func(ctx context.Context, c *Client) (any, error) { return c.Admin.Tags.Get(ctx, "1") }, "GET", "/api/v1/admin/tags/1", "", "", "", `{"id":"1","name":"go"}`},
		{"Tags.Update", func(ctx context.Context, c *Client) (any, error) {
			return c.Admin.Tags.Update(ctx, "1", &AdminTagUpdate{Trendable: &f, Usable: &tr})
		}, "PUT", "/api/v1/admin/tags/1", "", "trendable=false&usable=true", "", `{"id":"1","name":"go"}`},
		{"DomainBlocks.List", func(ctx context.Context, c *Client) (any, error) { return c.Admin.DomainBlocks.List(ctx, nil) }, "GET", "/api/v1/admin/domain_blocks", "", "", "", `[` + obj + `]`},
		{"DomainBlocks.Get", func(ctx context.Context, c *Client) (any, error) { return c.Admin.DomainBlocks.Get(ctx, "9") }, "GET", "/api/v1/admin/domain_blocks/9", "", "", "", obj},
		{"DomainBlocks.Create", func(ctx context.Context, c *Client) (any, error) {
			return c.Admin.DomainBlocks.Create(ctx, "bad.example", &DomainBlockParams{Severity: AdminDomainBlockSuspend, RejectMedia: &tr, PrivateComment: &note, Obfuscate: &f})
		}, "POST", "/api/v1/admin/domain_blocks", "", "domain=bad.example&severity=suspend&reject_media=true&private_comment=spam+wave&obfuscate=false", "", obj},
		{"DomainBlocks.Update", func(ctx context.Context, c *Client) (any, error) {
			return c.Admin.DomainBlocks.Update(ctx, "9", &DomainBlockParams{Severity: AdminDomainBlockSilence, PublicComment: &note})
		}, "PUT", "/api/v1/admin/domain_blocks/9", "", "severity=silence&public_comment=spam+wave", "", obj},
		{"DomainBlocks.Delete", func(ctx context.Context, c *Client) (any, error) { return nil, c.Admin.DomainBlocks.Delete(ctx, "9") }, "DELETE", "/api/v1/admin/domain_blocks/9", "", "", "", "{}"},
		{"DomainAllows.List", func(ctx context.Context, c *Client) (any, error) { return c.Admin.DomainAllows.List(ctx, nil) }, "GET", "/api/v1/admin/domain_allows", "", "", "", `[` + obj + `]`},
		{"DomainAllows.Get", func(ctx context.Context, c *Client) (any, error) { return c.Admin.DomainAllows.Get(ctx, "9") }, "GET", "/api/v1/admin/domain_allows/9", "", "", "", obj},
		{"DomainAllows.Create", func(ctx context.Context, c *Client) (any, error) {
			return c.Admin.DomainAllows.Create(ctx, "good.example")
		}, "POST", "/api/v1/admin/domain_allows", "", "domain=good.example", "", obj},
		{"DomainAllows.Delete", func(ctx context.Context, c *Client) (any, error) { return nil, c.Admin.DomainAllows.Delete(ctx, "9") }, "DELETE", "/api/v1/admin/domain_allows/9", "", "", "", "{}"},
		{"EmailDomainBlocks.List", func(ctx context.Context, c *Client) (any, error) {
			return c.Admin.EmailDomainBlocks.List(ctx, &ListOptions{MaxID: "5"})
		}, "GET", "/api/v1/admin/email_domain_blocks", "max_id=5", "", "", `[` + obj + `]`},
		{"EmailDomainBlocks.Get", func(ctx context.Context, c *Client) (any, error) { return c.Admin.EmailDomainBlocks.Get(ctx, "9") }, "GET", "/api/v1/admin/email_domain_blocks/9", "", "", "", obj},
		{"EmailDomainBlocks.Create", func(ctx context.Context, c *Client) (any, error) {
			return c.Admin.EmailDomainBlocks.Create(ctx, "spam.example")
		}, "POST", "/api/v1/admin/email_domain_blocks", "", "domain=spam.example", "", obj},
		{"EmailDomainBlocks.Delete", func(ctx context.Context, c *Client) (any, error) {
			return nil, c.Admin.EmailDomainBlocks.Delete(ctx, "9")
		}, "DELETE", "/api/v1/admin/email_domain_blocks/9", "", "", "", "{}"},
		{"CanonicalEmailBlocks.List", func(ctx context.Context, c *Client) (any, error) { return c.Admin.CanonicalEmailBlocks.List(ctx, nil) }, "GET", "/api/v1/admin/canonical_email_blocks", "", "", "", `[` + obj + `]`},
		{"CanonicalEmailBlocks.Get", func(ctx context.Context, c *Client) (any, error) { return c.Admin.CanonicalEmailBlocks.Get(ctx, "9") }, "GET", "/api/v1/admin/canonical_email_blocks/9", "", "", "", obj},
		{"CanonicalEmailBlocks.Create", func(ctx context.Context, c *Client) (any, error) {
			return c.Admin.CanonicalEmailBlocks.Create(ctx, &CanonicalEmailBlockParams{Email: "s.pam+x@example.org"})
		}, "POST", "/api/v1/admin/canonical_email_blocks", "", "email=s.pam%2Bx%40example.org", "", obj},
		{"CanonicalEmailBlocks.Test", func(ctx context.Context, c *Client) (any, error) {
			return c.Admin.CanonicalEmailBlocks.Test(ctx, "x@example.org")
		}, "POST", "/api/v1/admin/canonical_email_blocks/test", "", "email=x%40example.org", "", `[` + obj + `]`},
		{"CanonicalEmailBlocks.Delete", func(ctx context.Context, c *Client) (any, error) {
			return nil, c.Admin.CanonicalEmailBlocks.Delete(ctx, "9")
		}, "DELETE", "/api/v1/admin/canonical_email_blocks/9", "", "", "", "{}"},
		{"IPBlocks.List", func(ctx context.Context, c *Client) (any, error) { return c.Admin.IPBlocks.List(ctx, nil) }, "GET", "/api/v1/admin/ip_blocks", "", "", "", `[` + obj + `]`},
		{"IPBlocks.Get", func(ctx context.Context, c *Client) (any, error) { return c.Admin.IPBlocks.Get(ctx, "9") }, "GET", "/api/v1/admin/ip_blocks/9", "", "", "", obj},
		{"IPBlocks.Create", func(ctx context.Context, c *Client) (any, error) {
			return c.Admin.IPBlocks.Create(ctx, &IPBlockParams{IP: "192.0.2.0/24", Severity: IPBlockNoAccess, Comment: &note, ExpiresIn: 24 * time.Hour})
		}, "POST", "/api/v1/admin/ip_blocks", "", "ip=192.0.2.0%2F24&severity=no_access&comment=spam+wave&expires_in=86400", "", obj},
		{"IPBlocks.Update", func(ctx context.Context, c *Client) (any, error) {
			return c.Admin.IPBlocks.Update(ctx, "9", &IPBlockParams{Severity: IPBlockSignUpBlock})
		}, "PUT", "/api/v1/admin/ip_blocks/9", "", "severity=sign_up_block", "", obj},
		{"IPBlocks.Delete", func(ctx context.Context, c *Client) (any, error) { return nil, c.Admin.IPBlocks.Delete(ctx, "9") }, "DELETE", "/api/v1/admin/ip_blocks/9", "", "", "", "{}"},
		{"Measures.Get", func(ctx context.Context, c *Client) (any, error) {
			return c.Admin.Measures.Get(ctx, &AdminStatsParams{Keys: []string{MeasureActiveUsers, MeasureTagUses, MeasureInstanceStatuses}, StartAt: start, EndAt: end, TagID: "7", Domain: "x.example"})
		}, "POST", "/api/v1/admin/measures", "", "", `{"keys":["active_users","tag_uses","instance_statuses"],"start_at":"2026-10-04T21:00:00+00:00","end_at":"2026-10-09T21:00:00+00:00","tag_uses":{"id":"7"},"instance_statuses":{"domain":"x.example"}}`,
			`[{"key":"active_users","unit":null,"total":"3","previous_total":"1","data":[{"date":"2026-10-04T00:00:00Z","value":"1"},{"date":"2026-10-05","value":"2"}]}]`},
		{"Dimensions.Get", func(ctx context.Context, c *Client) (any, error) {
			return c.Admin.Dimensions.Get(ctx, &AdminStatsParams{Keys: []string{DimensionSpaceUsage}, StartAt: start, EndAt: end, Limit: 3})
		}, "POST", "/api/v1/admin/dimensions", "", "", `{"keys":["space_usage"],"start_at":"2026-10-04T21:00:00+00:00","end_at":"2026-10-09T21:00:00+00:00","limit":3}`,
			`[{"key":"space_usage","data":[{"key":"postgresql","human_key":"PostgreSQL","value":"20230959","unit":"bytes","human_value":"19.3 MB"}]}]`},
		{"Retention.Get", func(ctx context.Context, c *Client) (any, error) {
			return c.Admin.Retention.Get(ctx, start, end, RetentionDaily)
		}, "POST", "/api/v1/admin/retention", "", "start_at=2026-10-04T21%3A00%3A00%2B00%3A00&end_at=2026-10-09T21%3A00%3A00%2B00%3A00&frequency=day", "",
			`[{"period":"2026-10-04T00:00:00+00:00","frequency":"day","data":[{"date":"2026-10-04T00:00:00+00:00","rate":1.0,"value":"2"}]}]`},
	}
}

func TestAdminMethods(t *testing.T) {
	for _, tc := range adminCases() {
		t.Run(tc.name, func(t *testing.T) {
			c, mux, _ := setup(t)
			hit := false
			mux.HandleFunc(tc.path, func(w http.ResponseWriter, r *http.Request) {
				hit = true
				testMethod(t, r, tc.method)
				testHeader(t, r, "Authorization", "Bearer "+testToken)
				testQuery(t, r, tc.query)
				switch {
				case tc.form != "":
					testForm(t, r, tc.form)
				case tc.json != "":
					testHeader(t, r, "Content-Type", "application/json")
					b, _ := io.ReadAll(r.Body)
					var got, want any
					if err := json.Unmarshal(b, &got); err != nil {
						t.Fatalf("body %s: %v", b, err)
					}
					json.Unmarshal([]byte(tc.json), &want)
					if !jsonEqualLoose(got, want) {
						t.Errorf("JSON body = %s, want %s", b, tc.json)
					}
				default:
					if b, _ := io.ReadAll(r.Body); len(b) != 0 {
						t.Errorf("unexpected body %q", b)
					}
				}
				fmt.Fprint(w, tc.answer)
			})
			got, err := tc.do(context.Background(), c)
			if err != nil {
				t.Fatal(err)
			}
			if !hit {
				t.Fatal("no request reached the endpoint")
			}
			if got == nil {
				return
			}
			// What was decoded encodes back to the answer's members.
			var first any = got
			if p, ok := pageFirst(got); ok {
				first = p
			}
			b, err := json.Marshal(first)
			if err != nil {
				t.Fatal(err)
			}
			var want any
			json.Unmarshal([]byte(tc.answer), &want)
			if arr, ok := want.([]any); ok {
				want = arr[0]
			}
			var back any
			json.Unmarshal(b, &back)
			if arr, ok := back.([]any); ok && len(arr) > 0 {
				back = arr[0]
			}
			wm, _ := want.(map[string]any)
			bm, _ := back.(map[string]any)
			for k, v := range wm {
				if !jsonEqualLoose(bm[k], v) {
					t.Errorf("member %s: decoded %v, answered %v", k, bm[k], v)
				}
			}
		})
	}
}

// pageFirst returns the first item of a *Page[T] result.
func pageFirst(v any) (any, bool) {
	switch p := v.(type) {
	case *Page[AdminAccount]:
		return p.Items[0], true
	case *Page[AdminReport]:
		return p.Items[0], true
	case *Page[AdminTag]:
		return p.Items[0], true
	case *Page[AdminDomainBlock]:
		return p.Items[0], true
	case *Page[AdminDomainAllow]:
		return p.Items[0], true
	case *Page[AdminEmailDomainBlock]:
		return p.Items[0], true
	case *Page[AdminCanonicalEmailBlock]:
		return p.Items[0], true
	case *Page[AdminIPBlock]:
		return p.Items[0], true
	}
	return nil, false
}

func TestAdminDecodesTypedResults(t *testing.T) {
	c, mux, _ := setup(t)
	cases := adminCases()
	for _, tc := range cases {
		if tc.name == "Accounts.Get" || tc.name == "Measures.Get" || tc.name == "Retention.Get" {
			mux.HandleFunc(tc.path, func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, tc.answer) })
		}
	}
	ctx := context.Background()
	a, err := c.Admin.Accounts.Get(ctx, "9")
	if err != nil || a.Email != "s@example.org" || a.IP == nil || *a.IP != "192.0.2.1" || a.Locale != nil || a.Account.Username != "spammer" || a.CreatedAt.IsZero() {
		t.Errorf("AdminAccount = %+v, %v", a, err)
	}
	start := time.Date(2026, 10, 4, 21, 0, 0, 0, time.UTC)
	ms, err := c.Admin.Measures.Get(ctx, &AdminStatsParams{Keys: []string{MeasureActiveUsers}, StartAt: start, EndAt: start.Add(time.Hour)})
	if err != nil || len(ms) != 1 || ms[0].Total != "3" || len(ms[0].Data) != 2 || ms[0].Data[1].Date.Day() != 5 || ms[0].Unit != nil {
		t.Errorf("measures = %+v, %v", ms, err)
	}
	rs, err := c.Admin.Retention.Get(ctx, start, start.Add(time.Hour), RetentionDaily)
	if err != nil || len(rs) != 1 || rs[0].Frequency != "day" || rs[0].Data[0].Rate != 1 || rs[0].Period.IsZero() {
		t.Errorf("retention = %+v, %v", rs, err)
	}
}

func TestAdminBadInput(t *testing.T) {
	c, _, _ := setup(t)
	ctx := context.Background()
	start := time.Now()
	checks := map[string]error{
		"moderate":  c.Admin.Accounts.Moderate(ctx, "1", "obliterate", nil),
		"empty id":  func() error { _, err := c.Admin.Accounts.Get(ctx, ""); return err }(),
		"traversal": func() error { _, err := c.Admin.Reports.Get(ctx, ".."); return err }(),
		"no keys": func() error {
			_, err := c.Admin.Measures.Get(ctx, &AdminStatsParams{StartAt: start, EndAt: start})
			return err
		}(),
		"no tag": func() error {
			_, err := c.Admin.Measures.Get(ctx, &AdminStatsParams{Keys: []string{MeasureTagUses}, StartAt: start, EndAt: start})
			return err
		}(),
		"backwards": func() error {
			_, err := c.Admin.Dimensions.Get(ctx, &AdminStatsParams{Keys: []string{DimensionLanguages}, StartAt: start, EndAt: start.Add(-time.Hour)})
			return err
		}(),
		"frequency": func() error { _, err := c.Admin.Retention.Get(ctx, start, start, "weekly"); return err }(),
		"ip":        func() error { _, err := c.Admin.IPBlocks.Create(ctx, &IPBlockParams{IP: "192.0.2.1"}); return err }(),
		"canonical": func() error {
			_, err := c.Admin.CanonicalEmailBlocks.Create(ctx, &CanonicalEmailBlockParams{Email: "a@b.c", CanonicalEmailHash: "hash"})
			return err
		}(),
		"domain":     func() error { _, err := c.Admin.DomainBlocks.Create(ctx, "", nil); return err }(),
		"allow":      func() error { _, err := c.Admin.DomainAllows.Create(ctx, "a b"); return err }(),
		"tag update": func() error { _, err := c.Admin.Tags.Update(ctx, "1", nil); return err }(),
	}
	for name, err := range checks {
		if !errors.Is(err, ErrIllegalArgument) {
			t.Errorf("%s: err = %v, want ErrIllegalArgument", name, err)
		}
	}
}

func TestAdminWithoutAdminScopeIsForbidden(t *testing.T) {
	c, mux, _ := setup(t)
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.WriteHeader(http.StatusForbidden)
		fmt.Fprint(w, `{"error":"This action is outside the authorized scopes"}`)
	})
	ctx := context.Background()
	for _, tc := range adminCases() {
		_, err := tc.do(ctx, c)
		var ae *APIError
		if !errors.Is(err, ErrForbidden) || !errors.As(err, &ae) || ae.Code != "This action is outside the authorized scopes" {
			t.Errorf("%s without admin scope: %v, want ErrForbidden", tc.name, err)
		}
	}
}

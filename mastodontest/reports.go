package mastodontest

import (
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

func (s *Server) reportRoutes() {
	s.handle("POST /api/v1/reports", route{need: userToken, scopes: []string{"write", "write:reports"}, h: s.createReport})
}

var reportCategories = []string{"spam", "legal", "violation", "other"}

// createReport files a report as Mastodon's ReportService does: the
// statuses must be the target's and visible to the reporter, the category
// defaults to "other", rule ids must name instance rules when the category
// is "violation" (they are kept as given otherwise), and only reports on
// remote accounts are forwarded.
func (s *Server) createReport(c *call) (result, *apiError) {
	st := c.st
	target := st.accounts[c.p.str("account_id")]
	if target == nil {
		return result{}, errNotFound
	}
	r := &report{reporter: c.me, target: target, comment: c.p.str("comment"), createdAt: s.now(),
		statusIDs: []string{}, forward: c.p.truthy("forward")}
	for _, id := range c.p.strs("status_ids") {
		if id == "" || slices.Contains(r.statusIDs, id) {
			continue
		}
		x := st.statuses[id]
		if x == nil || x.account != target || !st.canSee(c.me, x) {
			return result{}, errNotFound
		}
		r.statusIDs = append(r.statusIDs, id)
	}
	var ruleIDs []string
	for _, id := range c.p.strs("rule_ids") {
		if id != "" && !slices.Contains(ruleIDs, id) {
			ruleIDs = append(ruleIDs, id)
		}
	}
	r.category = c.p.str("category")
	if r.category == "" {
		r.category = "other"
	}
	if !slices.Contains(reportCategories, r.category) {
		return result{}, errf(422, "Validation failed: Category is not included in the list")
	}
	if utf8.RuneCountInString(r.comment) > 1000 {
		return result{}, errf(422, "Validation failed: Comment is too long (maximum is 1000 characters)")
	}
	if r.category == "violation" {
		if len(ruleIDs) == 0 {
			return result{}, errf(422, "Validation failed: Rule ids does not reference valid rules")
		}
		for _, id := range ruleIDs {
			if !slices.ContainsFunc(st.x.rules, func(x *rule) bool { return x.id == id }) {
				return result{}, errf(422, "Validation failed: Rule ids does not reference valid rules")
			}
		}
	}
	r.ruleIDs = ruleIDs
	r.forwarded = r.forward && target.domain != ""
	r.id = st.nextSeq("report")
	st.x.reports = append(st.x.reports, r)
	return ok(st.renderReport(r, c.me)), nil
}

type jsonReport struct {
	ID            string      `json:"id"`
	ActionTaken   bool        `json:"action_taken"`
	ActionTakenAt *string     `json:"action_taken_at"`
	Category      string      `json:"category"`
	Comment       string      `json:"comment"`
	Forwarded     bool        `json:"forwarded"`
	CreatedAt     string      `json:"created_at"`
	StatusIDs     []string    `json:"status_ids"`
	RuleIDs       []string    `json:"rule_ids"`
	CollectionIDs []string    `json:"collection_ids"`
	TargetAccount jsonAccount `json:"target_account"`
}

func (st *store) renderReport(r *report, viewer *account) jsonReport {
	return jsonReport{ID: r.id, Category: r.category, Comment: r.comment, Forwarded: r.forwarded,
		CreatedAt: fmtTime(r.createdAt), StatusIDs: slices.Clone(r.statusIDs), RuleIDs: slices.Clone(r.ruleIDs),
		CollectionIDs: []string{}, TargetAccount: st.renderAccount(r.target, viewer)}
}

// Report is a report filed through POST /api/v1/reports.
type Report struct {
	ID         string
	ReporterID string
	TargetID   string
	Category   string
	Comment    string
	Forward    bool // what the reporter asked for
	Forwarded  bool // true only for remote targets
	StatusIDs  []string
	RuleIDs    []string
	CreatedAt  time.Time
}

// Reports returns the reports filed so far, oldest first.
func (s *Server) Reports() []Report {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Report
	for _, r := range s.st.x.reports {
		out = append(out, Report{ID: r.id, ReporterID: r.reporter.id, TargetID: r.target.id, Category: r.category,
			Comment: r.comment, Forward: r.forward, Forwarded: r.forwarded, StatusIDs: slices.Clone(r.statusIDs),
			RuleIDs: slices.Clone(r.ruleIDs), CreatedAt: r.createdAt})
	}
	return out
}

// AddRule adds an instance rule, which reports of the "violation" category
// can cite, and returns its id.
func (s *Server) AddRule(text, hint string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	r := &rule{id: s.st.nextSeq("rule"), text: strings.TrimSpace(text), hint: hint}
	s.st.x.rules = append(s.st.x.rules, r)
	return r.id
}

// RemoveRule removes an instance rule, as an admin deleting it does, and
// reports whether it existed. Reports that cited it keep its id.
func (s *Server) RemoveRule(id string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := len(s.st.x.rules)
	s.st.x.rules = slices.DeleteFunc(s.st.x.rules, func(r *rule) bool { return r.id == id })
	return len(s.st.x.rules) < n
}

type jsonRule struct {
	ID   string `json:"id"`
	Text string `json:"text"`
	Hint string `json:"hint"`
	// Translations maps a language to the translated text and hint (4.4+).
	Translations map[string]any `json:"translations"`
}

// renderRules lists the instance rules as /api/v1/instance/rules does.
func (st *store) renderRules() []jsonRule {
	out := []jsonRule{}
	for _, r := range st.x.rules {
		out = append(out, jsonRule{ID: r.id, Text: r.text, Hint: r.hint, Translations: map[string]any{}})
	}
	return out
}

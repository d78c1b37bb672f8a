package mastodon

import (
	"context"
	"net/http"
	"strings"
)

// ReportParams are the optional parts of a report.
type ReportParams struct {
	// StatusIDs are the reported statuses of the account.
	StatusIDs []string `form:"status_ids"`
	// CollectionIDs are the reported collections of the account (4.6.0+).
	CollectionIDs []string `form:"collection_ids"`
	// Comment explains the report to the moderators (up to 1000
	// characters).
	Comment string `form:"comment"`
	// Forward sends a copy to the moderators of a remote account's server.
	Forward *bool `form:"forward"`
	// ForwardToDomains also sends copies to these servers (of reported
	// replies' authors).
	ForwardToDomains []string `form:"forward_to_domains"`
	// Category is spam, legal, violation (with RuleIDs) or other.
	Category ReportCategory `form:"category"`
	// RuleIDs are the server rules broken (category violation).
	RuleIDs []string `form:"rule_ids"`
}

type reportForm struct {
	AccountID string `form:"account_id"`
	*ReportParams
}

// Create reports an account to the moderators.
//
//api:endpoint POST /api/v1/reports
//api:since 2.3.0
//api:changed 4.6.0
func (s *ReportsService) Create(ctx context.Context, accountID string, p *ReportParams, opts ...CallOption) (*Report, error) {
	if strings.TrimSpace(accountID) == "" {
		return nil, illegalArg("Reports.Create: empty account id")
	}
	if p != nil && len(p.RuleIDs) > 0 && p.Category != "" && p.Category != ReportCategoryViolation {
		return nil, illegalArg("Reports.Create: rule ids need category violation")
	}
	return call[Report](ctx, s.c, req{Method: http.MethodPost, Path: "/api/v1/reports", Form: reportForm{AccountID: accountID, ReportParams: p}}, opts)
}

// List returns the user's reports, from the legacy endpoint that servers
// since 2.5 no longer have.
//
//api:endpoint GET /api/v1/reports
//api:since 1.1.0
func (s *ReportsService) List(ctx context.Context, opts ...CallOption) ([]*Report, error) {
	return callSlice[Report](ctx, s.c, req{Method: http.MethodGet, Path: "/api/v1/reports"}, opts)
}

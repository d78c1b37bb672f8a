package mastodon

import (
	"context"
	"iter"
	"net/http"
)

// AdminReportsOptions filters the admin report list.
type AdminReportsOptions struct {
	// Paging, as in ListOptions: MaxID, MinID and SinceID are cursors;
	// Limit caps the page size.
	MaxID   string `form:"max_id"`
	MinID   string `form:"min_id"`
	SinceID string `form:"since_id"`
	Limit   int    `form:"limit"`
	// Resolved lists resolved reports instead of open ones.
	Resolved bool `form:"resolved"`
	// AccountID keeps reports filed by this account.
	AccountID string `form:"account_id"`
	// TargetAccountID keeps reports about this account.
	TargetAccountID string `form:"target_account_id"`
}

// List returns reports, open ones unless Resolved is set.
//
//api:endpoint GET /api/v1/admin/reports
//api:since 2.9.1
func (s *AdminReportsService) List(ctx context.Context, o *AdminReportsOptions, opts ...CallOption) (*Page[AdminReport], error) {
	return callList[AdminReport](ctx, s.c, req{Method: http.MethodGet, Path: "/api/v1/admin/reports", Query: o}, opts)
}

// ListAll iterates over every report List would page through.
func (s *AdminReportsService) ListAll(ctx context.Context, o *AdminReportsOptions, opts ...CallOption) iter.Seq2[*AdminReport, error] {
	return iterate(ctx, func() (*Page[AdminReport], error) { return s.List(ctx, o, opts...) })
}

// Get returns one report.
//
//api:endpoint GET /api/v1/admin/reports/{id}
//api:since 2.9.1
func (s *AdminReportsService) Get(ctx context.Context, id string, opts ...CallOption) (*AdminReport, error) {
	return call[AdminReport](ctx, s.c, req{Method: http.MethodGet, Path: "/api/v1/admin/reports/{id}", Params: []string{id}}, opts)
}

// AdminReportUpdate changes a report's category and rules.
type AdminReportUpdate struct {
	Category ReportCategory `form:"category"`
	RuleIDs  []string       `form:"rule_ids"`
}

// Update changes a report's category or the rules it cites.
//
//api:endpoint PUT /api/v1/admin/reports/{id}
//api:since 3.5.0
func (s *AdminReportsService) Update(ctx context.Context, id string, p *AdminReportUpdate, opts ...CallOption) (*AdminReport, error) {
	if p == nil {
		return nil, illegalArg("Admin.Reports.Update: nothing to update")
	}
	return call[AdminReport](ctx, s.c, req{Method: http.MethodPut, Path: "/api/v1/admin/reports/{id}", Params: []string{id}, Form: p}, opts)
}

func (s *AdminReportsService) post(ctx context.Context, path, id string, opts []CallOption) (*AdminReport, error) {
	return call[AdminReport](ctx, s.c, req{Method: http.MethodPost, Path: path, Params: []string{id}}, opts)
}

// AssignToSelf makes the caller the report's handler.
//
//api:endpoint POST /api/v1/admin/reports/{id}/assign_to_self
//api:since 2.9.1
func (s *AdminReportsService) AssignToSelf(ctx context.Context, id string, opts ...CallOption) (*AdminReport, error) {
	return s.post(ctx, "/api/v1/admin/reports/{id}/assign_to_self", id, opts)
}

// Unassign removes the report's handler.
//
//api:endpoint POST /api/v1/admin/reports/{id}/unassign
//api:since 2.9.1
func (s *AdminReportsService) Unassign(ctx context.Context, id string, opts ...CallOption) (*AdminReport, error) {
	return s.post(ctx, "/api/v1/admin/reports/{id}/unassign", id, opts)
}

// Resolve closes a report.
//
//api:endpoint POST /api/v1/admin/reports/{id}/resolve
//api:since 2.9.1
func (s *AdminReportsService) Resolve(ctx context.Context, id string, opts ...CallOption) (*AdminReport, error) {
	return s.post(ctx, "/api/v1/admin/reports/{id}/resolve", id, opts)
}

// Reopen opens a resolved report again.
//
//api:endpoint POST /api/v1/admin/reports/{id}/reopen
//api:since 2.9.1
func (s *AdminReportsService) Reopen(ctx context.Context, id string, opts ...CallOption) (*AdminReport, error) {
	return s.post(ctx, "/api/v1/admin/reports/{id}/reopen", id, opts)
}

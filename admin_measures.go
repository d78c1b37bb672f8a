package mastodon

import (
	"context"
	"net/http"
	"strings"
	"time"
)

// Measure keys for Admin.Measures.Get. The tag_* keys need TagID, the
// instance_* keys Domain.
const (
	MeasureActiveUsers              = "active_users"
	MeasureNewUsers                 = "new_users"
	MeasureInteractions             = "interactions"
	MeasureOpenedReports            = "opened_reports"
	MeasureResolvedReports          = "resolved_reports"
	MeasureTagAccounts              = "tag_accounts"
	MeasureTagUses                  = "tag_uses"
	MeasureTagServers               = "tag_servers"
	MeasureInstanceAccounts         = "instance_accounts"
	MeasureInstanceMediaAttachments = "instance_media_attachments"
	MeasureInstanceReports          = "instance_reports"
	MeasureInstanceStatuses         = "instance_statuses"
	MeasureInstanceFollows          = "instance_follows"
	MeasureInstanceFollowers        = "instance_followers"
)

// Dimension keys for Admin.Dimensions.Get. The tag_* keys need TagID,
// the instance_* keys Domain.
const (
	DimensionLanguages         = "languages"
	DimensionSources           = "sources"
	DimensionServers           = "servers"
	DimensionSpaceUsage        = "space_usage"
	DimensionSoftwareVersions  = "software_versions"
	DimensionTagServers        = "tag_servers"
	DimensionTagLanguages      = "tag_languages"
	DimensionInstanceAccounts  = "instance_accounts"
	DimensionInstanceLanguages = "instance_languages"
)

// AdminStatsParams choose what Measures and Dimensions report on.
type AdminStatsParams struct {
	// Keys names the measures or dimensions wanted (Measure…, Dimension…).
	Keys []string
	// StartAt and EndAt bound the period (required).
	StartAt, EndAt time.Time
	// TagID is the hashtag the tag_* keys are about.
	TagID string
	// Domain is the server the instance_* keys are about.
	Domain string
	// IncludeSubdomains counts the domain's subdomains too (instance_*).
	IncludeSubdomains bool
	// Limit caps the entries of each dimension (Dimensions only).
	Limit int
}

// adminTime is how the admin API's JSON bodies write times.
const adminTime = "2006-01-02T15:04:05-07:00"

func (p *AdminStatsParams) body(what string, withLimit bool) (map[string]any, error) {
	if p == nil || len(p.Keys) == 0 {
		return nil, illegalArg(what + ": no keys")
	}
	if p.StartAt.IsZero() || p.EndAt.IsZero() || p.EndAt.Before(p.StartAt) {
		return nil, illegalArg(what + ": StartAt and EndAt must give a period")
	}
	b := map[string]any{
		"keys":     append([]string(nil), p.Keys...),
		"start_at": p.StartAt.UTC().Format(adminTime),
		"end_at":   p.EndAt.UTC().Format(adminTime),
	}
	for _, k := range p.Keys {
		switch {
		case strings.HasPrefix(k, "tag_"):
			if p.TagID == "" {
				return nil, illegalArg(what + ": " + k + " needs TagID")
			}
			b[k] = map[string]any{"id": p.TagID}
		case strings.HasPrefix(k, "instance_"):
			if p.Domain == "" {
				return nil, illegalArg(what + ": " + k + " needs Domain")
			}
			m := map[string]any{"domain": p.Domain}
			if p.IncludeSubdomains {
				m["include_subdomains"] = true
			}
			b[k] = m
		}
	}
	if withLimit && p.Limit > 0 {
		b["limit"] = p.Limit
	}
	return b, nil
}

// Get returns quantitative measures (totals and daily values) for the
// period.
//
//api:endpoint POST /api/v1/admin/measures
//api:since 3.5.0
func (s *AdminMeasuresService) Get(ctx context.Context, p *AdminStatsParams, opts ...CallOption) ([]*AdminMeasure, error) {
	b, err := p.body("Admin.Measures.Get", false)
	if err != nil {
		return nil, err
	}
	return callSlice[AdminMeasure](ctx, s.c, req{Method: http.MethodPost, Path: "/api/v1/admin/measures", JSON: b}, opts)
}

// Get returns qualitative breakdowns (top languages, servers, …) for the
// period.
//
//api:endpoint POST /api/v1/admin/dimensions
//api:since 3.5.0
func (s *AdminDimensionsService) Get(ctx context.Context, p *AdminStatsParams, opts ...CallOption) ([]*AdminDimension, error) {
	b, err := p.body("Admin.Dimensions.Get", true)
	if err != nil {
		return nil, err
	}
	return callSlice[AdminDimension](ctx, s.c, req{Method: http.MethodPost, Path: "/api/v1/admin/dimensions", JSON: b}, opts)
}

// RetentionFrequency is the cohort size of a retention report.
type RetentionFrequency string

// Retention cohort sizes.
const (
	RetentionDaily   RetentionFrequency = "day"
	RetentionMonthly RetentionFrequency = "month"
)

type retentionForm struct {
	StartAt   string             `form:"start_at"`
	EndAt     string             `form:"end_at"`
	Frequency RetentionFrequency `form:"frequency"`
}

// Get returns user retention by sign-up cohort over the period. The
// server requires all three, so they are arguments, not options.
//
//api:endpoint POST /api/v1/admin/retention
//api:since 3.5.0
func (s *AdminRetentionService) Get(ctx context.Context, start, end time.Time, freq RetentionFrequency, opts ...CallOption) ([]*AdminCohort, error) {
	if start.IsZero() || end.IsZero() || end.Before(start) {
		return nil, illegalArg("Admin.Retention.Get: start and end must give a period")
	}
	if freq != RetentionDaily && freq != RetentionMonthly {
		return nil, illegalArg("Admin.Retention.Get: frequency must be day or month")
	}
	f := &retentionForm{StartAt: start.UTC().Format(adminTime), EndAt: end.UTC().Format(adminTime), Frequency: freq}
	return callSlice[AdminCohort](ctx, s.c, req{Method: http.MethodPost, Path: "/api/v1/admin/retention", Form: f}, opts)
}

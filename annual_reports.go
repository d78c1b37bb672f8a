package mastodon

import (
	"context"
	"net/http"
	"strconv"
)

// AnnualReports is what the annual report endpoints answer: the reports
// with the accounts and posts they refer to.
type AnnualReports struct {
	AnnualReports []*AnnualReport `json:"annual_reports"`
	Accounts      []*Account      `json:"accounts"`
	Statuses      []*Status       `json:"statuses"`
}

// AnnualReportState says whether a user's annual report for a year can be
// read, is being generated, can be generated, or cannot.
type AnnualReportState string

// Annual report states; other values a server sends are kept.
const (
	AnnualReportAvailable  AnnualReportState = "available"
	AnnualReportGenerating AnnualReportState = "generating"
	AnnualReportEligible   AnnualReportState = "eligible"
	AnnualReportIneligible AnnualReportState = "ineligible"
)

func yearParam(method string, year int) (string, error) {
	if year < 1 || year > 9999 {
		return "", illegalArg(method + ": year " + strconv.Itoa(year) + " out of range")
	}
	return strconv.Itoa(year), nil
}

// List returns the current user's generated annual reports that are not
// read yet.
//
//api:endpoint GET /api/v1/annual_reports
//api:since 4.3.0
func (s *AnnualReportsService) List(ctx context.Context, opts ...CallOption) (*AnnualReports, error) {
	return call[AnnualReports](ctx, s.c, req{Method: http.MethodGet, Path: "/api/v1/annual_reports"}, opts)
}

// Get returns the current user's annual report for year, when it has been
// generated.
//
//api:endpoint GET /api/v1/annual_reports/{year}
//api:since 4.4.0
func (s *AnnualReportsService) Get(ctx context.Context, year int, opts ...CallOption) (*AnnualReports, error) {
	y, err := yearParam("AnnualReports.Get", year)
	if err != nil {
		return nil, err
	}
	return call[AnnualReports](ctx, s.c, req{Method: http.MethodGet, Path: "/api/v1/annual_reports/{year}", Params: []string{y}}, opts)
}

// State returns the state of the current user's annual report for year.
// While it is being generated the answer carries a Mastodon-Async-Refresh
// header (see CallResponse and Client.AwaitAsyncRefresh).
//
//api:endpoint GET /api/v1/annual_reports/{year}/state
//api:since 4.6.0
func (s *AnnualReportsService) State(ctx context.Context, year int, opts ...CallOption) (AnnualReportState, error) {
	y, err := yearParam("AnnualReports.State", year)
	if err != nil {
		return "", err
	}
	v, err := call[struct {
		State AnnualReportState `json:"state"`
	}](ctx, s.c, req{Method: http.MethodGet, Path: "/api/v1/annual_reports/{year}/state", Params: []string{y}}, opts)
	if err != nil {
		return "", err
	}
	return v.State, nil
}

// Generate asks the server to generate the current user's annual report
// for year (only the current campaign's year is generated). It returns
// the refresh to wait for, or nil when there is nothing to wait for (the
// report exists, or the year is not offered).
//
//api:endpoint POST /api/v1/annual_reports/{year}/generate
//api:since 4.6.0
func (s *AnnualReportsService) Generate(ctx context.Context, year int, opts ...CallOption) (*AsyncRefreshHeader, error) {
	y, err := yearParam("AnnualReports.Generate", year)
	if err != nil {
		return nil, err
	}
	o, resp, done := captureResponse(opts)
	err = callNoContent(ctx, s.c, req{Method: http.MethodPost, Path: "/api/v1/annual_reports/{year}/generate", Params: []string{y}, Idempotent: true}, o)
	done()
	if err != nil {
		return nil, err
	}
	return resp.AsyncRefresh, nil
}

// Read marks the current user's annual report for year as read.
//
//api:endpoint POST /api/v1/annual_reports/{year}/read
//api:since 4.3.0
func (s *AnnualReportsService) Read(ctx context.Context, year int, opts ...CallOption) error {
	y, err := yearParam("AnnualReports.Read", year)
	if err != nil {
		return err
	}
	return callNoContent(ctx, s.c, req{Method: http.MethodPost, Path: "/api/v1/annual_reports/{year}/read", Params: []string{y}, Idempotent: true}, opts)
}

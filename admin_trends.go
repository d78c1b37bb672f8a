package mastodon

import (
	"context"
	"iter"
	"net/http"
)

// AdminTrendsOptions pages the admin trend lists.
type AdminTrendsOptions struct {
	// Limit caps how many are returned.
	Limit int `form:"limit"`
}

// Links returns trending links, including those not yet approved.
//
//api:endpoint GET /api/v1/admin/trends/links
//api:since 3.5.0
func (s *AdminTrendsService) Links(ctx context.Context, o *AdminTrendsOptions, opts ...CallOption) ([]*TrendsLink, error) {
	return callSlice[TrendsLink](ctx, s.c, req{Method: http.MethodGet, Path: "/api/v1/admin/trends/links", Query: o}, opts)
}

// Statuses returns trending statuses, including those not yet approved.
//
//api:endpoint GET /api/v1/admin/trends/statuses
//api:since 3.5.0
func (s *AdminTrendsService) Statuses(ctx context.Context, o *AdminTrendsOptions, opts ...CallOption) ([]*Status, error) {
	return callSlice[Status](ctx, s.c, req{Method: http.MethodGet, Path: "/api/v1/admin/trends/statuses", Query: o}, opts)
}

// Tags returns trending hashtags with their review state.
//
//api:endpoint GET /api/v1/admin/trends/tags
//api:since 3.5.0
func (s *AdminTrendsService) Tags(ctx context.Context, o *AdminTrendsOptions, opts ...CallOption) ([]*AdminTag, error) {
	return callSlice[AdminTag](ctx, s.c, req{Method: http.MethodGet, Path: "/api/v1/admin/trends/tags", Query: o}, opts)
}

// Publishers returns the publishers of trending links.
//
//api:endpoint GET /api/v1/admin/trends/links/publishers
//api:since 4.2.0
func (s *AdminTrendsService) Publishers(ctx context.Context, opts ...CallOption) ([]*TrendsPublisher, error) {
	return callSlice[TrendsPublisher](ctx, s.c, req{Method: http.MethodGet, Path: "/api/v1/admin/trends/links/publishers"}, opts)
}

// TrendsPublisher is a site whose links trend, with its review state.
type TrendsPublisher struct {
	ID             string `json:"id"`
	Domain         string `json:"domain"`
	RequiresReview bool   `json:"requires_review"`
	Trendable      bool   `json:"trendable"`
}

// ApproveLink allows a link to trend.
//
//api:endpoint POST /api/v1/admin/trends/links/{id}/approve
//api:since 4.2.0
func (s *AdminTrendsService) ApproveLink(ctx context.Context, id string, opts ...CallOption) (*TrendsLink, error) {
	return call[TrendsLink](ctx, s.c, req{Method: http.MethodPost, Path: "/api/v1/admin/trends/links/{id}/approve", Params: []string{id}}, opts)
}

// RejectLink keeps a link from trending.
//
//api:endpoint POST /api/v1/admin/trends/links/{id}/reject
//api:since 4.2.0
func (s *AdminTrendsService) RejectLink(ctx context.Context, id string, opts ...CallOption) (*TrendsLink, error) {
	return call[TrendsLink](ctx, s.c, req{Method: http.MethodPost, Path: "/api/v1/admin/trends/links/{id}/reject", Params: []string{id}}, opts)
}

// ApproveStatus allows a status to trend.
//
//api:endpoint POST /api/v1/admin/trends/statuses/{id}/approve
//api:since 4.2.0
func (s *AdminTrendsService) ApproveStatus(ctx context.Context, id string, opts ...CallOption) (*Status, error) {
	return call[Status](ctx, s.c, req{Method: http.MethodPost, Path: "/api/v1/admin/trends/statuses/{id}/approve", Params: []string{id}}, opts)
}

// RejectStatus keeps a status from trending.
//
//api:endpoint POST /api/v1/admin/trends/statuses/{id}/reject
//api:since 4.2.0
func (s *AdminTrendsService) RejectStatus(ctx context.Context, id string, opts ...CallOption) (*Status, error) {
	return call[Status](ctx, s.c, req{Method: http.MethodPost, Path: "/api/v1/admin/trends/statuses/{id}/reject", Params: []string{id}}, opts)
}

// ApproveTag allows a hashtag to trend.
//
//api:endpoint POST /api/v1/admin/trends/tags/{id}/approve
//api:since 4.2.0
func (s *AdminTrendsService) ApproveTag(ctx context.Context, id string, opts ...CallOption) (*AdminTag, error) {
	return call[AdminTag](ctx, s.c, req{Method: http.MethodPost, Path: "/api/v1/admin/trends/tags/{id}/approve", Params: []string{id}}, opts)
}

// RejectTag keeps a hashtag from trending.
//
//api:endpoint POST /api/v1/admin/trends/tags/{id}/reject
//api:since 4.2.0
func (s *AdminTrendsService) RejectTag(ctx context.Context, id string, opts ...CallOption) (*AdminTag, error) {
	return call[AdminTag](ctx, s.c, req{Method: http.MethodPost, Path: "/api/v1/admin/trends/tags/{id}/reject", Params: []string{id}}, opts)
}

// ApprovePublisher allows a publisher's links to trend.
//
//api:endpoint POST /api/v1/admin/trends/links/publishers/{id}/approve
//api:since 4.2.0
func (s *AdminTrendsService) ApprovePublisher(ctx context.Context, id string, opts ...CallOption) (*TrendsPublisher, error) {
	return call[TrendsPublisher](ctx, s.c, req{Method: http.MethodPost, Path: "/api/v1/admin/trends/links/publishers/{id}/approve", Params: []string{id}}, opts)
}

// RejectPublisher keeps a publisher's links from trending.
//
//api:endpoint POST /api/v1/admin/trends/links/publishers/{id}/reject
//api:since 4.2.0
func (s *AdminTrendsService) RejectPublisher(ctx context.Context, id string, opts ...CallOption) (*TrendsPublisher, error) {
	return call[TrendsPublisher](ctx, s.c, req{Method: http.MethodPost, Path: "/api/v1/admin/trends/links/publishers/{id}/reject", Params: []string{id}}, opts)
}

// List returns hashtags with their moderation settings.
//
//api:endpoint GET /api/v1/admin/tags
//api:since 4.2.0
func (s *AdminTagsService) List(ctx context.Context, o *ListOptions, opts ...CallOption) (*Page[AdminTag], error) {
	return callList[AdminTag](ctx, s.c, req{Method: http.MethodGet, Path: "/api/v1/admin/tags", Query: o}, opts)
}

// ListAll iterates over every hashtag List would page through.
func (s *AdminTagsService) ListAll(ctx context.Context, o *ListOptions, opts ...CallOption) iter.Seq2[*AdminTag, error] {
	return iterate(ctx, func() (*Page[AdminTag], error) { return s.List(ctx, o, opts...) })
}

// Get returns a hashtag with its moderation settings.
//
//api:endpoint GET /api/v1/admin/tags/{id}
//api:since 4.2.0
func (s *AdminTagsService) Get(ctx context.Context, id string, opts ...CallOption) (*AdminTag, error) {
	return call[AdminTag](ctx, s.c, req{Method: http.MethodGet, Path: "/api/v1/admin/tags/{id}", Params: []string{id}}, opts)
}

// AdminTagUpdate changes a hashtag's moderation settings; nil leaves one
// as it is.
type AdminTagUpdate struct {
	DisplayName *string `form:"display_name"`
	Trendable   *bool   `form:"trendable"`
	Usable      *bool   `form:"usable"`
	Listable    *bool   `form:"listable"`
}

// Update changes a hashtag's moderation settings.
//
//api:endpoint PUT /api/v1/admin/tags/{id}
//api:since 4.2.0
func (s *AdminTagsService) Update(ctx context.Context, id string, p *AdminTagUpdate, opts ...CallOption) (*AdminTag, error) {
	if p == nil {
		return nil, illegalArg("Admin.Tags.Update: nothing to update")
	}
	return call[AdminTag](ctx, s.c, req{Method: http.MethodPut, Path: "/api/v1/admin/tags/{id}", Params: []string{id}, Form: p}, opts)
}

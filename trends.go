package mastodon

import (
	"context"
	"errors"
	"iter"
	"net/http"
)

// TrendsOptions page through trends by offset. Trends come in the
// language asked for: pass CallLanguage("de") to a call, or set the
// client's WithLanguage.
type TrendsOptions struct {
	// Limit caps the page size (the server's default is 10 for tags and
	// links, 20 for statuses).
	Limit int `form:"limit"`
	// Offset skips that many results.
	Offset int `form:"offset"`
}

func (o *TrendsOptions) check(method string) error {
	if o == nil {
		return nil
	}
	return checkOffset(method, o.Limit, o.Offset)
}

// Tags returns the hashtags trending now, most used first. Servers before
// 3.5.0 answer only the older /api/v1/trends, which Tags falls back to when
// the newer endpoint is missing or the server is known to be too old.
//
//api:endpoint GET /api/v1/trends/tags
//api:since 3.5.0
//api:endpoint GET /api/v1/trends
//api:since 2.4.3
//api:changed 3.5.0
func (s *TrendsService) Tags(ctx context.Context, o *TrendsOptions, opts ...CallOption) (*Page[Tag], error) {
	if err := o.check("Trends.Tags"); err != nil {
		return nil, err
	}
	p, err := callOffsetList[Tag](ctx, s.c, req{Method: http.MethodGet, Path: "/api/v1/trends/tags", Query: o}, opts)
	if err != nil && (errors.Is(err, ErrNotFound) || errors.Is(err, ErrVersion)) {
		return callOffsetList[Tag](ctx, s.c, req{Method: http.MethodGet, Path: "/api/v1/trends", Query: o}, opts)
	}
	return p, err
}

// TagsAll iterates over all trending hashtags, page after page.
func (s *TrendsService) TagsAll(ctx context.Context, o *TrendsOptions, opts ...CallOption) iter.Seq2[*Tag, error] {
	return iterate(ctx, func() (*Page[Tag], error) { return s.Tags(ctx, o, opts...) })
}

// Statuses returns the posts trending now.
//
//api:endpoint GET /api/v1/trends/statuses
//api:since 3.5.0
func (s *TrendsService) Statuses(ctx context.Context, o *TrendsOptions, opts ...CallOption) (*Page[Status], error) {
	if err := o.check("Trends.Statuses"); err != nil {
		return nil, err
	}
	return callOffsetList[Status](ctx, s.c, req{Method: http.MethodGet, Path: "/api/v1/trends/statuses", Query: o}, opts)
}

// StatusesAll iterates over all trending posts, page after page.
func (s *TrendsService) StatusesAll(ctx context.Context, o *TrendsOptions, opts ...CallOption) iter.Seq2[*Status, error] {
	return iterate(ctx, func() (*Page[Status], error) { return s.Statuses(ctx, o, opts...) })
}

// Links returns the links (news articles and the like) trending now.
//
//api:endpoint GET /api/v1/trends/links
//api:since 3.5.0
func (s *TrendsService) Links(ctx context.Context, o *TrendsOptions, opts ...CallOption) (*Page[TrendsLink], error) {
	if err := o.check("Trends.Links"); err != nil {
		return nil, err
	}
	return callOffsetList[TrendsLink](ctx, s.c, req{Method: http.MethodGet, Path: "/api/v1/trends/links", Query: o}, opts)
}

// LinksAll iterates over all trending links, page after page.
func (s *TrendsService) LinksAll(ctx context.Context, o *TrendsOptions, opts ...CallOption) iter.Seq2[*TrendsLink, error] {
	return iterate(ctx, func() (*Page[TrendsLink], error) { return s.Links(ctx, o, opts...) })
}

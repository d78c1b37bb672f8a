package mastodon

import (
	"context"
	"iter"
	"net/http"
)

// List lists the statuses the current user bookmarked, most recent first.
//
//api:endpoint GET /api/v1/bookmarks
//api:since 3.1.0
//api:changed 3.3.0
func (s *BookmarksService) List(ctx context.Context, o *ListOptions, opts ...CallOption) (*Page[Status], error) {
	return callList[Status](ctx, s.c, req{Method: http.MethodGet, Path: "/api/v1/bookmarks", Query: o}, opts)
}

// ListAll iterates over all bookmarked statuses.
func (s *BookmarksService) ListAll(ctx context.Context, o *ListOptions, opts ...CallOption) iter.Seq2[*Status, error] {
	return iterate(ctx, func() (*Page[Status], error) { return s.List(ctx, o, opts...) })
}

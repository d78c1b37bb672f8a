package mastodon

import (
	"context"
	"iter"
	"net/http"
)

// List lists the statuses the current user favourited, most recently favourited first.
//
//api:endpoint GET /api/v1/favourites
//api:since 1.0.0
//api:changed 2.6.0
func (s *FavouritesService) List(ctx context.Context, o *ListOptions, opts ...CallOption) (*Page[Status], error) {
	return callList[Status](ctx, s.c, req{Method: http.MethodGet, Path: "/api/v1/favourites", Query: o}, opts)
}

// ListAll iterates over all favourited statuses.
func (s *FavouritesService) ListAll(ctx context.Context, o *ListOptions, opts ...CallOption) iter.Seq2[*Status, error] {
	return iterate(ctx, func() (*Page[Status], error) { return s.List(ctx, o, opts...) })
}

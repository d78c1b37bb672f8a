package mastodon

import (
	"context"
	"iter"
	"net/http"
)

// List lists the accounts the current user features on their profile.
//
//api:endpoint GET /api/v1/endorsements
//api:since 2.5.0
func (s *EndorsementsService) List(ctx context.Context, o *ListOptions, opts ...CallOption) (*Page[Account], error) {
	return callList[Account](ctx, s.c, req{Method: http.MethodGet, Path: "/api/v1/endorsements", Query: o}, opts)
}

// ListAll iterates over all featured accounts.
func (s *EndorsementsService) ListAll(ctx context.Context, o *ListOptions, opts ...CallOption) iter.Seq2[*Account, error] {
	return iterate(ctx, func() (*Page[Account], error) { return s.List(ctx, o, opts...) })
}

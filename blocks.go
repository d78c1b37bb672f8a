package mastodon

import (
	"context"
	"iter"
	"net/http"
)

// List lists the accounts the current user blocks.
//
//api:endpoint GET /api/v1/blocks
//api:since 0.0.0
//api:changed 3.3.0
func (s *BlocksService) List(ctx context.Context, o *ListOptions, opts ...CallOption) (*Page[Account], error) {
	return callList[Account](ctx, s.c, req{Method: http.MethodGet, Path: "/api/v1/blocks", Query: o}, opts)
}

// ListAll iterates over all blocked accounts.
func (s *BlocksService) ListAll(ctx context.Context, o *ListOptions, opts ...CallOption) iter.Seq2[*Account, error] {
	return iterate(ctx, func() (*Page[Account], error) { return s.List(ctx, o, opts...) })
}

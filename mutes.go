package mastodon

import (
	"context"
	"iter"
	"net/http"
)

// List lists the accounts the current user mutes, with when each mute ends.
//
//api:endpoint GET /api/v1/mutes
//api:since 0.0.0
//api:changed 3.3.0
func (s *MutesService) List(ctx context.Context, o *ListOptions, opts ...CallOption) (*Page[MutedAccount], error) {
	return callList[MutedAccount](ctx, s.c, req{Method: http.MethodGet, Path: "/api/v1/mutes", Query: o}, opts)
}

// ListAll iterates over all muted accounts.
func (s *MutesService) ListAll(ctx context.Context, o *ListOptions, opts ...CallOption) iter.Seq2[*MutedAccount, error] {
	return iterate(ctx, func() (*Page[MutedAccount], error) { return s.List(ctx, o, opts...) })
}

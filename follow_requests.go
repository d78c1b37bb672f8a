package mastodon

import (
	"context"
	"iter"
	"net/http"
)

// List lists the accounts asking to follow the current user.
//
//api:endpoint GET /api/v1/follow_requests
//api:since 0.0.0
func (s *FollowRequestsService) List(ctx context.Context, o *ListOptions, opts ...CallOption) (*Page[Account], error) {
	return callList[Account](ctx, s.c, req{Method: http.MethodGet, Path: "/api/v1/follow_requests", Query: o}, opts)
}

// ListAll iterates over all pending follow requests.
func (s *FollowRequestsService) ListAll(ctx context.Context, o *ListOptions, opts ...CallOption) iter.Seq2[*Account, error] {
	return iterate(ctx, func() (*Page[Account], error) { return s.List(ctx, o, opts...) })
}

// Authorize accepts an account's follow request.
//
//api:endpoint POST /api/v1/follow_requests/{account_id}/authorize
//api:since 0.0.0
//api:changed 3.0.0
func (s *FollowRequestsService) Authorize(ctx context.Context, accountID string, opts ...CallOption) (*Relationship, error) {
	return call[Relationship](ctx, s.c, req{Method: http.MethodPost, Path: "/api/v1/follow_requests/{account_id}/authorize", Params: []string{accountID}}, opts)
}

// Reject declines an account's follow request.
//
//api:endpoint POST /api/v1/follow_requests/{account_id}/reject
//api:since 0.0.0
//api:changed 3.0.0
func (s *FollowRequestsService) Reject(ctx context.Context, accountID string, opts ...CallOption) (*Relationship, error) {
	return call[Relationship](ctx, s.c, req{Method: http.MethodPost, Path: "/api/v1/follow_requests/{account_id}/reject", Params: []string{accountID}}, opts)
}

package mastodon

import (
	"context"
	"iter"
	"net/http"
)

// List lists the hashtags the current user follows.
//
//api:endpoint GET /api/v1/followed_tags
//api:since 4.0.0
//api:changed 4.1.0
func (s *FollowedTagsService) List(ctx context.Context, o *ListOptions, opts ...CallOption) (*Page[Tag], error) {
	return callList[Tag](ctx, s.c, req{Method: http.MethodGet, Path: "/api/v1/followed_tags", Query: o}, opts)
}

// ListAll iterates over all followed hashtags.
func (s *FollowedTagsService) ListAll(ctx context.Context, o *ListOptions, opts ...CallOption) iter.Seq2[*Tag, error] {
	return iterate(ctx, func() (*Page[Tag], error) { return s.List(ctx, o, opts...) })
}

package mastodon

import (
	"context"
	"net/http"
)

// Get returns the server's description (version, configuration, limits,
// registration rules, contact).
//
//api:endpoint GET /api/v2/instance
//api:since 4.0.0
func (s *InstanceService) Get(ctx context.Context, opts ...CallOption) (*Instance, error) {
	return call[Instance](ctx, s.c, req{Method: http.MethodGet, Path: "/api/v2/instance"}, opts)
}

// V1 returns the server's description in the older format, the only one
// servers before Mastodon 4.0 (and many forks) serve.
//
//api:endpoint GET /api/v1/instance
//api:since 1.1.0
func (s *InstanceService) V1(ctx context.Context, opts ...CallOption) (*V1Instance, error) {
	return call[V1Instance](ctx, s.c, req{Method: http.MethodGet, Path: "/api/v1/instance"}, opts)
}

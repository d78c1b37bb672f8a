package mastodon

import (
	"context"
	"net/http"
)

// List returns the server's custom emojis (not paginated).
//
//api:endpoint GET /api/v1/custom_emojis
//api:since 2.0.0
//api:changed 3.0.0
func (s *CustomEmojisService) List(ctx context.Context, opts ...CallOption) ([]*CustomEmoji, error) {
	return callSlice[CustomEmoji](ctx, s.c, req{Method: http.MethodGet, Path: "/api/v1/custom_emojis"}, opts)
}

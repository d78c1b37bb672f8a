package mastodon

import (
	"context"
	"net/http"
)

// Get returns the user's preferences (default visibility, language,
// sensitivity, media and spoiler display).
//
//api:endpoint GET /api/v1/preferences
//api:since 2.8.0
//api:changed 4.5.0
func (s *PreferencesService) Get(ctx context.Context, opts ...CallOption) (*Preferences, error) {
	return call[Preferences](ctx, s.c, req{Method: http.MethodGet, Path: "/api/v1/preferences"}, opts)
}

package mastodon

import (
	"context"
	"net/http"
)

// SuggestionsOptions adjust Suggestions.List and Suggestions.ListV1.
type SuggestionsOptions struct {
	// Limit caps the number of suggestions (server default 40, at most
	// 80).
	Limit int `form:"limit"`
}

// List returns accounts the server suggests following, with why.
//
//api:endpoint GET /api/v2/suggestions
//api:since 3.4.0
func (s *SuggestionsService) List(ctx context.Context, o *SuggestionsOptions, opts ...CallOption) ([]*Suggestion, error) {
	return callSlice[Suggestion](ctx, s.c, req{Method: http.MethodGet, Path: "/api/v2/suggestions", Query: o}, opts)
}

// ListV1 returns suggested accounts from the v1 endpoint (deprecated since
// 3.4.0 for List).
//
//api:endpoint GET /api/v1/suggestions
//api:since 2.4.3
//api:changed 3.4.0
func (s *SuggestionsService) ListV1(ctx context.Context, o *SuggestionsOptions, opts ...CallOption) ([]*Account, error) {
	return callSlice[Account](ctx, s.c, req{Method: http.MethodGet, Path: "/api/v1/suggestions", Query: o}, opts)
}

// Remove stops suggesting an account.
//
//api:endpoint DELETE /api/v1/suggestions/{account_id}
//api:since 2.4.3
func (s *SuggestionsService) Remove(ctx context.Context, accountID string, opts ...CallOption) error {
	return callNoContent(ctx, s.c, req{Method: http.MethodDelete, Path: "/api/v1/suggestions/{account_id}", Params: []string{accountID}, Idempotent: true}, opts)
}

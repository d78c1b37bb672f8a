package mastodon

import (
	"context"
	"net/http"
)

// VerifyCredentials returns the account the access token belongs to, with
// its source (default privacy, language, raw note and fields).
//
//api:endpoint GET /api/v1/accounts/verify_credentials
//api:since 0.0.0
func (s *AccountsService) VerifyCredentials(ctx context.Context, opts ...CallOption) (*CredentialAccount, error) {
	return call[CredentialAccount](ctx, s.c, req{Method: http.MethodGet, Path: "/api/v1/accounts/verify_credentials"}, opts)
}

package mastodon

import (
	"context"
	"net/http"
	"net/url"
)

// ResendConfirmation sends the confirmation email again to the current
// (unconfirmed) user, first changing the address to email if it is not
// empty.
//
//api:endpoint POST /api/v1/emails/confirmations
//api:since 3.4.0
func (s *EmailsService) ResendConfirmation(ctx context.Context, email string, opts ...CallOption) error {
	r := req{Method: http.MethodPost, Path: "/api/v1/emails/confirmations"}
	if email != "" {
		r.Form = url.Values{"email": {email}}
	}
	return callNoContent(ctx, s.c, r, opts)
}

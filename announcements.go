package mastodon

import (
	"context"
	"net/http"
)

// AnnouncementsOptions filter Announcements.List.
type AnnouncementsOptions struct {
	// WithDismissed includes announcements the user has dismissed.
	WithDismissed bool `form:"with_dismissed"`
}

// List returns the server's current announcements (not paginated).
//
//api:endpoint GET /api/v1/announcements
//api:since 3.1.0
func (s *AnnouncementsService) List(ctx context.Context, o *AnnouncementsOptions, opts ...CallOption) ([]*Announcement, error) {
	r := req{Method: http.MethodGet, Path: "/api/v1/announcements"}
	if o != nil {
		q := *o
		r.Query = &q
	}
	return callSlice[Announcement](ctx, s.c, r, opts)
}

// Dismiss marks an announcement as read by the current user.
//
//api:endpoint POST /api/v1/announcements/{id}/dismiss
//api:since 3.1.0
func (s *AnnouncementsService) Dismiss(ctx context.Context, id string, opts ...CallOption) error {
	return callNoContent(ctx, s.c, req{Method: http.MethodPost, Path: "/api/v1/announcements/{id}/dismiss", Params: []string{id}, Idempotent: true}, opts)
}

// AddReaction reacts to an announcement with an emoji: a Unicode emoji or
// the shortcode of one of the server's custom emojis (without colons).
//
//api:endpoint PUT /api/v1/announcements/{id}/reactions/{name}
//api:since 3.1.0
func (s *AnnouncementsService) AddReaction(ctx context.Context, id, name string, opts ...CallOption) error {
	name, err := reactionName("Announcements.AddReaction", name)
	if err != nil {
		return err
	}
	return callNoContent(ctx, s.c, req{Method: http.MethodPut, Path: "/api/v1/announcements/{id}/reactions/{name}", Params: []string{id, name}, Idempotent: true}, opts)
}

// RemoveReaction takes the current user's reaction back.
//
//api:endpoint DELETE /api/v1/announcements/{id}/reactions/{name}
//api:since 3.1.0
func (s *AnnouncementsService) RemoveReaction(ctx context.Context, id, name string, opts ...CallOption) error {
	name, err := reactionName("Announcements.RemoveReaction", name)
	if err != nil {
		return err
	}
	return callNoContent(ctx, s.c, req{Method: http.MethodDelete, Path: "/api/v1/announcements/{id}/reactions/{name}", Params: []string{id, name}, Idempotent: true}, opts)
}

// reactionName accepts ":blobcat:" as well as "blobcat".
func reactionName(method, name string) (string, error) {
	n := name
	if len(n) >= 2 && n[0] == ':' && n[len(n)-1] == ':' {
		n = n[1 : len(n)-1]
	}
	if n == "" {
		return "", illegalArg(method + ": empty emoji name")
	}
	return n, nil
}

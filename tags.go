package mastodon

import (
	"context"
	"net/http"
	"strings"
)

// tagName accepts "#cats" as well as "cats".
func tagName(method, name string) (string, error) {
	n := strings.TrimPrefix(strings.TrimSpace(name), "#")
	if n == "" {
		return "", illegalArg(method + ": empty hashtag")
	}
	return n, nil
}

func (s *TagsService) tagCall(ctx context.Context, method, verb, path, name string, opts []CallOption) (*Tag, error) {
	n, err := tagName(method, name)
	if err != nil {
		return nil, err
	}
	r := req{Method: verb, Path: path, Params: []string{n}}
	if verb != http.MethodGet {
		r.Idempotent = true
	}
	return call[Tag](ctx, s.c, r, opts)
}

// Get returns a hashtag (with a leading # or without), its recent use and
// whether the current user follows and features it.
//
//api:endpoint GET /api/v1/tags/{name}
//api:since 4.0.0
func (s *TagsService) Get(ctx context.Context, name string, opts ...CallOption) (*Tag, error) {
	return s.tagCall(ctx, "Tags.Get", http.MethodGet, "/api/v1/tags/{name}", name, opts)
}

// Follow follows a hashtag: its posts then appear in the home timeline.
//
//api:endpoint POST /api/v1/tags/{name}/follow
//api:since 4.0.0
//api:changed 4.1.0
func (s *TagsService) Follow(ctx context.Context, name string, opts ...CallOption) (*Tag, error) {
	return s.tagCall(ctx, "Tags.Follow", http.MethodPost, "/api/v1/tags/{name}/follow", name, opts)
}

// Unfollow stops following a hashtag.
//
//api:endpoint POST /api/v1/tags/{name}/unfollow
//api:since 4.0.0
func (s *TagsService) Unfollow(ctx context.Context, name string, opts ...CallOption) (*Tag, error) {
	return s.tagCall(ctx, "Tags.Unfollow", http.MethodPost, "/api/v1/tags/{name}/unfollow", name, opts)
}

// Feature features a hashtag on the current user's profile. The server
// takes the hashtag's name here, despite the {id} in the route.
//
//api:endpoint POST /api/v1/tags/{id}/feature
//api:since 4.4.0
func (s *TagsService) Feature(ctx context.Context, name string, opts ...CallOption) (*Tag, error) {
	return s.tagCall(ctx, "Tags.Feature", http.MethodPost, "/api/v1/tags/{id}/feature", name, opts)
}

// Unfeature removes a hashtag from the current user's profile.
//
//api:endpoint POST /api/v1/tags/{id}/unfeature
//api:since 4.4.0
func (s *TagsService) Unfeature(ctx context.Context, name string, opts ...CallOption) (*Tag, error) {
	return s.tagCall(ctx, "Tags.Unfeature", http.MethodPost, "/api/v1/tags/{id}/unfeature", name, opts)
}

package mastodon

import (
	"context"
	"net/http"
	"net/url"
)

// List returns the hashtags featured on the current user's profile.
//
//api:endpoint GET /api/v1/featured_tags
//api:since 3.0.0
func (s *FeaturedTagsService) List(ctx context.Context, opts ...CallOption) ([]*FeaturedTag, error) {
	return callSlice[FeaturedTag](ctx, s.c, req{Method: http.MethodGet, Path: "/api/v1/featured_tags"}, opts)
}

// Suggestions returns hashtags the current user has used recently, to pick
// featured ones from.
//
//api:endpoint GET /api/v1/featured_tags/suggestions
//api:since 3.0.0
func (s *FeaturedTagsService) Suggestions(ctx context.Context, opts ...CallOption) ([]*Tag, error) {
	return callSlice[Tag](ctx, s.c, req{Method: http.MethodGet, Path: "/api/v1/featured_tags/suggestions"}, opts)
}

// Create features a hashtag (with a leading # or without) on the current
// user's profile. A leading # is stripped before sending, where
// Mastodon.py's featured_tag_create refuses it: the tag is the same either
// way, so Tusk takes the spelling users copy from posts.
//
//api:endpoint POST /api/v1/featured_tags
//api:since 3.0.0
func (s *FeaturedTagsService) Create(ctx context.Context, name string, opts ...CallOption) (*FeaturedTag, error) {
	n, err := tagName("FeaturedTags.Create", name)
	if err != nil {
		return nil, err
	}
	return call[FeaturedTag](ctx, s.c, req{Method: http.MethodPost, Path: "/api/v1/featured_tags", Form: url.Values{"name": {n}}}, opts)
}

// Delete stops featuring a hashtag; id is the FeaturedTag's ID.
//
//api:endpoint DELETE /api/v1/featured_tags/{id}
//api:since 3.0.0
func (s *FeaturedTagsService) Delete(ctx context.Context, id string, opts ...CallOption) error {
	return callNoContent(ctx, s.c, req{Method: http.MethodDelete, Path: "/api/v1/featured_tags/{id}", Params: []string{id}, Idempotent: true}, opts)
}

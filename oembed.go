package mastodon

import (
	"context"
	"net/http"
	"strings"
)

// OEmbedOptions bound the size of the embed.
type OEmbedOptions struct {
	MaxWidth  int `form:"maxwidth"`
	MaxHeight int `form:"maxheight"`
}

type oembedQuery struct {
	URL string `form:"url"`
	OEmbedOptions
}

// OEmbed returns the oEmbed description (embeddable HTML, author, size) of
// a public post given by its URL on this server. It sends no token.
//
//api:endpoint GET /api/oembed
//api:since 1.0.0
func (s *InstanceService) OEmbed(ctx context.Context, statusURL string, o *OEmbedOptions, opts ...CallOption) (*OEmbedResponse, error) {
	statusURL = strings.TrimSpace(statusURL)
	if statusURL == "" {
		return nil, illegalArg("Instance.OEmbed: empty URL")
	}
	q := oembedQuery{URL: statusURL}
	if o != nil {
		if o.MaxWidth < 0 || o.MaxHeight < 0 {
			return nil, illegalArg("Instance.OEmbed: negative size")
		}
		q.OEmbedOptions = *o
	}
	return call[OEmbedResponse](ctx, s.c, req{Method: http.MethodGet, Path: "/api/oembed", Query: q, Auth: authNone}, opts)
}

package mastodon

import (
	"context"
	"iter"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// List lists the domains the current user blocks.
//
//api:endpoint GET /api/v1/domain_blocks
//api:since 1.4.0
//api:changed 2.6.0
func (s *DomainBlocksService) List(ctx context.Context, o *ListOptions, opts ...CallOption) (*Page[string], error) {
	return callList[string](ctx, s.c, req{Method: http.MethodGet, Path: "/api/v1/domain_blocks", Query: o}, opts)
}

// ListAll iterates over all blocked domains.
func (s *DomainBlocksService) ListAll(ctx context.Context, o *ListOptions, opts ...CallOption) iter.Seq2[*string, error] {
	return iterate(ctx, func() (*Page[string], error) { return s.List(ctx, o, opts...) })
}

// domainForm checks and wraps a domain name.
func domainForm(what, domain string) (url.Values, error) {
	d := strings.TrimSpace(domain)
	if d == "" || strings.ContainsAny(d, "/ \t\r\n") {
		return nil, illegalArg(what + ": " + strconv.Quote(domain) + " is not a domain name")
	}
	return url.Values{"domain": {d}}, nil
}

// Block hides everything from a domain: its accounts' statuses and
// notifications, and removes followers from it.
//
//api:endpoint POST /api/v1/domain_blocks
//api:since 1.4.0
func (s *DomainBlocksService) Block(ctx context.Context, domain string, opts ...CallOption) error {
	f, err := domainForm("DomainBlocks.Block", domain)
	if err != nil {
		return err
	}
	return callNoContent(ctx, s.c, req{Method: http.MethodPost, Path: "/api/v1/domain_blocks", Form: f}, opts)
}

// Unblock removes a domain block.
//
//api:endpoint DELETE /api/v1/domain_blocks
//api:since 1.4.0
func (s *DomainBlocksService) Unblock(ctx context.Context, domain string, opts ...CallOption) error {
	f, err := domainForm("DomainBlocks.Unblock", domain)
	if err != nil {
		return err
	}
	return callNoContent(ctx, s.c, req{Method: http.MethodDelete, Path: "/api/v1/domain_blocks", Form: f}, opts)
}

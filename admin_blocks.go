package mastodon

import (
	"context"
	"iter"
	"net/http"
	"time"
)

// The admin block lists (domain blocks and allows, e-mail domain blocks,
// canonical e-mail blocks, IP blocks) share one shape: a paged list, get,
// create, delete, and for some an update.

func adminList[T any](ctx context.Context, c *Client, path string, o *ListOptions, opts []CallOption) (*Page[T], error) {
	return callList[T](ctx, c, req{Method: http.MethodGet, Path: path, Query: o}, opts)
}

func adminGet[T any](ctx context.Context, c *Client, path, id string, opts []CallOption) (*T, error) {
	return call[T](ctx, c, req{Method: http.MethodGet, Path: path, Params: []string{id}}, opts)
}

func adminDelete(ctx context.Context, c *Client, path, id string, opts []CallOption) error {
	return callNoContent(ctx, c, req{Method: http.MethodDelete, Path: path, Params: []string{id}}, opts)
}

// DomainBlockParams describe a federation block of a domain.
type DomainBlockParams struct {
	// Severity is silence (limit), suspend, or noop (only reject media or
	// reports).
	Severity      AdminDomainBlockSeverity `form:"severity"`
	RejectMedia   *bool                    `form:"reject_media"`
	RejectReports *bool                    `form:"reject_reports"`
	// PrivateComment is seen by moderators only; PublicComment by anyone
	// when the server publishes its blocks.
	PrivateComment *string `form:"private_comment"`
	PublicComment  *string `form:"public_comment"`
	// Obfuscate partly hides the domain in the public list.
	Obfuscate *bool `form:"obfuscate"`
}

type domainBlockForm struct {
	Domain string `form:"domain"`
	DomainBlockParams
}

// List returns the federation's blocked domains.
//
//api:endpoint GET /api/v1/admin/domain_blocks
//api:since 4.0.0
func (s *AdminDomainBlocksService) List(ctx context.Context, o *ListOptions, opts ...CallOption) (*Page[AdminDomainBlock], error) {
	return adminList[AdminDomainBlock](ctx, s.c, "/api/v1/admin/domain_blocks", o, opts)
}

// ListAll iterates over every blocked domain.
func (s *AdminDomainBlocksService) ListAll(ctx context.Context, o *ListOptions, opts ...CallOption) iter.Seq2[*AdminDomainBlock, error] {
	return iterate(ctx, func() (*Page[AdminDomainBlock], error) { return s.List(ctx, o, opts...) })
}

// Get returns one domain block.
//
//api:endpoint GET /api/v1/admin/domain_blocks/{id}
//api:since 4.0.0
func (s *AdminDomainBlocksService) Get(ctx context.Context, id string, opts ...CallOption) (*AdminDomainBlock, error) {
	return adminGet[AdminDomainBlock](ctx, s.c, "/api/v1/admin/domain_blocks/{id}", id, opts)
}

// Create blocks a domain.
//
//api:endpoint POST /api/v1/admin/domain_blocks
//api:since 4.0.0
func (s *AdminDomainBlocksService) Create(ctx context.Context, domain string, p *DomainBlockParams, opts ...CallOption) (*AdminDomainBlock, error) {
	if domain == "" {
		return nil, illegalArg("Admin.DomainBlocks.Create: empty domain")
	}
	f := &domainBlockForm{Domain: domain}
	if p != nil {
		f.DomainBlockParams = *p
	}
	return call[AdminDomainBlock](ctx, s.c, req{Method: http.MethodPost, Path: "/api/v1/admin/domain_blocks", Form: f}, opts)
}

// Update changes a domain block.
//
//api:endpoint PUT /api/v1/admin/domain_blocks/{id}
//api:since 4.0.0
func (s *AdminDomainBlocksService) Update(ctx context.Context, id string, p *DomainBlockParams, opts ...CallOption) (*AdminDomainBlock, error) {
	if p == nil {
		return nil, illegalArg("Admin.DomainBlocks.Update: nothing to update")
	}
	return call[AdminDomainBlock](ctx, s.c, req{Method: http.MethodPut, Path: "/api/v1/admin/domain_blocks/{id}", Params: []string{id}, Form: p}, opts)
}

// Delete lifts a domain block.
//
//api:endpoint DELETE /api/v1/admin/domain_blocks/{id}
//api:since 4.0.0
func (s *AdminDomainBlocksService) Delete(ctx context.Context, id string, opts ...CallOption) error {
	return adminDelete(ctx, s.c, "/api/v1/admin/domain_blocks/{id}", id, opts)
}

// List returns the domains federation is allowed with (allow-list mode).
//
//api:endpoint GET /api/v1/admin/domain_allows
//api:since 4.0.0
func (s *AdminDomainAllowsService) List(ctx context.Context, o *ListOptions, opts ...CallOption) (*Page[AdminDomainAllow], error) {
	return adminList[AdminDomainAllow](ctx, s.c, "/api/v1/admin/domain_allows", o, opts)
}

// ListAll iterates over every allowed domain.
func (s *AdminDomainAllowsService) ListAll(ctx context.Context, o *ListOptions, opts ...CallOption) iter.Seq2[*AdminDomainAllow, error] {
	return iterate(ctx, func() (*Page[AdminDomainAllow], error) { return s.List(ctx, o, opts...) })
}

// Get returns one allowed domain.
//
//api:endpoint GET /api/v1/admin/domain_allows/{id}
//api:since 4.0.0
func (s *AdminDomainAllowsService) Get(ctx context.Context, id string, opts ...CallOption) (*AdminDomainAllow, error) {
	return adminGet[AdminDomainAllow](ctx, s.c, "/api/v1/admin/domain_allows/{id}", id, opts)
}

// Create allows federation with a domain.
//
//api:endpoint POST /api/v1/admin/domain_allows
//api:since 4.0.0
func (s *AdminDomainAllowsService) Create(ctx context.Context, domain string, opts ...CallOption) (*AdminDomainAllow, error) {
	f, err := domainForm("Admin.DomainAllows.Create", domain)
	if err != nil {
		return nil, err
	}
	return call[AdminDomainAllow](ctx, s.c, req{Method: http.MethodPost, Path: "/api/v1/admin/domain_allows", Form: f}, opts)
}

// Delete removes a domain from the allow-list.
//
//api:endpoint DELETE /api/v1/admin/domain_allows/{id}
//api:since 4.0.0
func (s *AdminDomainAllowsService) Delete(ctx context.Context, id string, opts ...CallOption) error {
	return adminDelete(ctx, s.c, "/api/v1/admin/domain_allows/{id}", id, opts)
}

// List returns the blocked e-mail domains.
//
//api:endpoint GET /api/v1/admin/email_domain_blocks
//api:since 4.0.0
func (s *AdminEmailDomainBlocksService) List(ctx context.Context, o *ListOptions, opts ...CallOption) (*Page[AdminEmailDomainBlock], error) {
	return adminList[AdminEmailDomainBlock](ctx, s.c, "/api/v1/admin/email_domain_blocks", o, opts)
}

// ListAll iterates over every blocked e-mail domain.
func (s *AdminEmailDomainBlocksService) ListAll(ctx context.Context, o *ListOptions, opts ...CallOption) iter.Seq2[*AdminEmailDomainBlock, error] {
	return iterate(ctx, func() (*Page[AdminEmailDomainBlock], error) { return s.List(ctx, o, opts...) })
}

// Get returns one blocked e-mail domain.
//
//api:endpoint GET /api/v1/admin/email_domain_blocks/{id}
//api:since 4.1.0
func (s *AdminEmailDomainBlocksService) Get(ctx context.Context, id string, opts ...CallOption) (*AdminEmailDomainBlock, error) {
	return adminGet[AdminEmailDomainBlock](ctx, s.c, "/api/v1/admin/email_domain_blocks/{id}", id, opts)
}

// Create blocks sign-ups from an e-mail domain.
//
//api:endpoint POST /api/v1/admin/email_domain_blocks
//api:since 4.0.0
func (s *AdminEmailDomainBlocksService) Create(ctx context.Context, domain string, opts ...CallOption) (*AdminEmailDomainBlock, error) {
	f, err := domainForm("Admin.EmailDomainBlocks.Create", domain)
	if err != nil {
		return nil, err
	}
	return call[AdminEmailDomainBlock](ctx, s.c, req{Method: http.MethodPost, Path: "/api/v1/admin/email_domain_blocks", Form: f}, opts)
}

// Delete lifts an e-mail domain block.
//
//api:endpoint DELETE /api/v1/admin/email_domain_blocks/{id}
//api:since 4.0.0
func (s *AdminEmailDomainBlocksService) Delete(ctx context.Context, id string, opts ...CallOption) error {
	return adminDelete(ctx, s.c, "/api/v1/admin/email_domain_blocks/{id}", id, opts)
}

// List returns the canonical e-mail blocks.
//
//api:endpoint GET /api/v1/admin/canonical_email_blocks
//api:since 4.0.0
func (s *AdminCanonicalEmailBlocksService) List(ctx context.Context, o *ListOptions, opts ...CallOption) (*Page[AdminCanonicalEmailBlock], error) {
	return adminList[AdminCanonicalEmailBlock](ctx, s.c, "/api/v1/admin/canonical_email_blocks", o, opts)
}

// ListAll iterates over every canonical e-mail block.
func (s *AdminCanonicalEmailBlocksService) ListAll(ctx context.Context, o *ListOptions, opts ...CallOption) iter.Seq2[*AdminCanonicalEmailBlock, error] {
	return iterate(ctx, func() (*Page[AdminCanonicalEmailBlock], error) { return s.List(ctx, o, opts...) })
}

// Get returns one canonical e-mail block.
//
//api:endpoint GET /api/v1/admin/canonical_email_blocks/{id}
//api:since 4.0.0
func (s *AdminCanonicalEmailBlocksService) Get(ctx context.Context, id string, opts ...CallOption) (*AdminCanonicalEmailBlock, error) {
	return adminGet[AdminCanonicalEmailBlock](ctx, s.c, "/api/v1/admin/canonical_email_blocks/{id}", id, opts)
}

// CanonicalEmailBlockParams name the address a canonical e-mail block is
// for: exactly one of Email and CanonicalEmailHash.
type CanonicalEmailBlockParams struct {
	// Email is the address; the server blocks its canonical form.
	Email string `form:"email"`
	// CanonicalEmailHash is the SHA-256 hash of the canonical form, for
	// when the address itself is not known.
	CanonicalEmailHash string `form:"canonical_email_hash"`
}

// Create blocks an e-mail address (by its canonical form).
//
//api:endpoint POST /api/v1/admin/canonical_email_blocks
//api:since 4.0.0
func (s *AdminCanonicalEmailBlocksService) Create(ctx context.Context, p *CanonicalEmailBlockParams, opts ...CallOption) (*AdminCanonicalEmailBlock, error) {
	if p == nil || (p.Email == "") == (p.CanonicalEmailHash == "") {
		return nil, illegalArg("Admin.CanonicalEmailBlocks.Create: give an e-mail address or a canonical hash, not both")
	}
	return call[AdminCanonicalEmailBlock](ctx, s.c, req{Method: http.MethodPost, Path: "/api/v1/admin/canonical_email_blocks", Form: p}, opts)
}

// Test returns the blocks that match an e-mail address.
//
//api:endpoint POST /api/v1/admin/canonical_email_blocks/test
//api:since 4.0.0
func (s *AdminCanonicalEmailBlocksService) Test(ctx context.Context, email string, opts ...CallOption) ([]*AdminCanonicalEmailBlock, error) {
	if email == "" {
		return nil, illegalArg("Admin.CanonicalEmailBlocks.Test: empty address")
	}
	return callSlice[AdminCanonicalEmailBlock](ctx, s.c, req{Method: http.MethodPost, Path: "/api/v1/admin/canonical_email_blocks/test", Form: &CanonicalEmailBlockParams{Email: email}}, opts)
}

// Delete lifts a canonical e-mail block.
//
//api:endpoint DELETE /api/v1/admin/canonical_email_blocks/{id}
//api:since 4.0.0
func (s *AdminCanonicalEmailBlocksService) Delete(ctx context.Context, id string, opts ...CallOption) error {
	return adminDelete(ctx, s.c, "/api/v1/admin/canonical_email_blocks/{id}", id, opts)
}

// IPBlockParams describe an IP block; on update, zero fields are left
// as they are.
type IPBlockParams struct {
	// IP is an address or CIDR range (required on create).
	IP string `form:"ip"`
	// Severity is sign_up_requires_approval, sign_up_block or no_access
	// (required on create).
	Severity AdminIPBlockSeverity `form:"severity"`
	Comment  *string              `form:"comment"`
	// ExpiresIn is how long the block lasts, rounded down to seconds; 0
	// means forever (or unchanged on update).
	ExpiresIn time.Duration `form:"expires_in"`
}

// List returns the IP blocks.
//
//api:endpoint GET /api/v1/admin/ip_blocks
//api:since 4.0.0
func (s *AdminIPBlocksService) List(ctx context.Context, o *ListOptions, opts ...CallOption) (*Page[AdminIPBlock], error) {
	return adminList[AdminIPBlock](ctx, s.c, "/api/v1/admin/ip_blocks", o, opts)
}

// ListAll iterates over every IP block.
func (s *AdminIPBlocksService) ListAll(ctx context.Context, o *ListOptions, opts ...CallOption) iter.Seq2[*AdminIPBlock, error] {
	return iterate(ctx, func() (*Page[AdminIPBlock], error) { return s.List(ctx, o, opts...) })
}

// Get returns one IP block.
//
//api:endpoint GET /api/v1/admin/ip_blocks/{id}
//api:since 4.0.0
func (s *AdminIPBlocksService) Get(ctx context.Context, id string, opts ...CallOption) (*AdminIPBlock, error) {
	return adminGet[AdminIPBlock](ctx, s.c, "/api/v1/admin/ip_blocks/{id}", id, opts)
}

// Create blocks an address or range.
//
//api:endpoint POST /api/v1/admin/ip_blocks
//api:since 4.0.0
func (s *AdminIPBlocksService) Create(ctx context.Context, p *IPBlockParams, opts ...CallOption) (*AdminIPBlock, error) {
	if p == nil || p.IP == "" || p.Severity == "" {
		return nil, illegalArg("Admin.IPBlocks.Create: IP and Severity are required")
	}
	if p.ExpiresIn < 0 {
		return nil, illegalArg("Admin.IPBlocks.Create: negative ExpiresIn")
	}
	return call[AdminIPBlock](ctx, s.c, req{Method: http.MethodPost, Path: "/api/v1/admin/ip_blocks", Form: p}, opts)
}

// Update changes an IP block.
//
//api:endpoint PUT /api/v1/admin/ip_blocks/{id}
//api:since 4.0.0
func (s *AdminIPBlocksService) Update(ctx context.Context, id string, p *IPBlockParams, opts ...CallOption) (*AdminIPBlock, error) {
	if p == nil {
		return nil, illegalArg("Admin.IPBlocks.Update: nothing to update")
	}
	if p.ExpiresIn < 0 {
		return nil, illegalArg("Admin.IPBlocks.Update: negative ExpiresIn")
	}
	return call[AdminIPBlock](ctx, s.c, req{Method: http.MethodPut, Path: "/api/v1/admin/ip_blocks/{id}", Params: []string{id}, Form: p}, opts)
}

// Delete lifts an IP block.
//
//api:endpoint DELETE /api/v1/admin/ip_blocks/{id}
//api:since 4.0.0
func (s *AdminIPBlocksService) Delete(ctx context.Context, id string, opts ...CallOption) error {
	return adminDelete(ctx, s.c, "/api/v1/admin/ip_blocks/{id}", id, opts)
}

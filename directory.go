package mastodon

import (
	"context"
	"iter"
	"net/http"
)

// DirectoryOrder sorts the profile directory.
type DirectoryOrder string

// Orders of the profile directory.
const (
	// DirectoryOrderActive puts recently active accounts first (the
	// server's default).
	DirectoryOrderActive DirectoryOrder = "active"
	// DirectoryOrderNew puts the newest accounts first.
	DirectoryOrderNew DirectoryOrder = "new"
)

// DirectoryOptions filter and page the profile directory.
type DirectoryOptions struct {
	// Limit caps the page size (server default 40, maximum 80).
	Limit int `form:"limit"`
	// Offset skips that many accounts.
	Offset int `form:"offset"`
	// Order sorts the accounts; empty means the server's default.
	Order DirectoryOrder `form:"order"`
	// Local keeps only accounts of this server.
	Local bool `form:"local"`
}

// List returns accounts that chose to appear in the profile directory.
// Pages continue by offset.
//
//api:endpoint GET /api/v1/directory
//api:since 3.0.0
func (s *DirectoryService) List(ctx context.Context, o *DirectoryOptions, opts ...CallOption) (*Page[Account], error) {
	if o != nil {
		if err := checkOffset("Directory.List", o.Limit, o.Offset); err != nil {
			return nil, err
		}
	}
	return callOffsetList[Account](ctx, s.c, req{Method: http.MethodGet, Path: "/api/v1/directory", Query: o}, opts)
}

// ListAll iterates over the whole directory, page after page.
func (s *DirectoryService) ListAll(ctx context.Context, o *DirectoryOptions, opts ...CallOption) iter.Seq2[*Account, error] {
	return iterate(ctx, func() (*Page[Account], error) { return s.List(ctx, o, opts...) })
}

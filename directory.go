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
	Limit int
	// Offset skips that many accounts.
	Offset int
	// Order sorts the accounts; empty means the server's default.
	Order DirectoryOrder
	// Local keeps only accounts of this server.
	Local bool
}

type directoryQuery struct {
	Limit  int            `form:"limit"`
	Offset int            `form:"offset"`
	Order  DirectoryOrder `form:"order"`
	Local  bool           `form:"local"`
}

func (q directoryQuery) offset() int { return q.Offset }

func (q directoryQuery) withOffset(n int) any { q.Offset = n; return q }

// List returns accounts that chose to appear in the profile directory.
// Pages continue by offset.
//
//api:endpoint GET /api/v1/directory
//api:since 3.0.0
func (s *DirectoryService) List(ctx context.Context, o *DirectoryOptions, opts ...CallOption) (*Page[Account], error) {
	var q directoryQuery
	if o != nil {
		if o.Limit < 0 || o.Offset < 0 {
			return nil, illegalArg("Directory.List: negative limit or offset")
		}
		q = directoryQuery{Limit: o.Limit, Offset: o.Offset, Order: o.Order, Local: o.Local}
	}
	return callOffsetList[Account](ctx, s.c, req{Method: http.MethodGet, Path: "/api/v1/directory", Query: q}, opts)
}

// ListAll iterates over the whole directory, page after page.
func (s *DirectoryService) ListAll(ctx context.Context, o *DirectoryOptions, opts ...CallOption) iter.Seq2[*Account, error] {
	return iterate(ctx, func() (*Page[Account], error) { return s.List(ctx, o, opts...) })
}

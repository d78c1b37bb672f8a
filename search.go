package mastodon

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"net/http"
	"strings"
)

// SearchType narrows a search to one kind of result.
type SearchType string

// Kinds of search results.
const (
	SearchAccounts SearchType = "accounts"
	SearchHashtags SearchType = "hashtags"
	SearchStatuses SearchType = "statuses"
)

// SearchOptions adjust Search.Query.
type SearchOptions struct {
	// Type keeps one kind of result; Offset only works with it.
	Type SearchType `form:"type"`
	// Resolve looks up an unknown address or URL on its server (WebFinger
	// for accounts, the link for statuses); it needs a token.
	Resolve bool `form:"resolve"`
	// Following keeps accounts the user follows.
	Following bool `form:"following"`
	// AccountID keeps statuses by this account.
	AccountID string `form:"account_id"`
	// ExcludeUnreviewed leaves out hashtags not yet reviewed by moderators.
	ExcludeUnreviewed bool `form:"exclude_unreviewed"`
	// MaxID and MinID bound the IDs of the results.
	MaxID string `form:"max_id"`
	MinID string `form:"min_id"`
	// Limit is the number of results per kind (server default 20, max 40).
	Limit int `form:"limit"`
	// Offset skips the first results (with Type only).
	Offset int `form:"offset"`
}

// searchQuery is the query of a v2 search: q and the options.
func searchQuery(q string, o *SearchOptions) any {
	return struct {
		Q string `form:"q"`
		*SearchOptions
	}{q, o}
}

var version241 = MustParseVersion("2.4.1")

// Query searches accounts, hashtags and statuses. Servers before 2.4.1
// only have the v1 search: it is used when the server is known to be that
// old (or a version check refuses v2), or when the v2 endpoint is missing
// (404) and the server is not known to implement API level 2.4.1 (see
// ServerInfo.API); only Resolve is passed to it. Defaults differ from
// Mastodon.py's search, which sends resolve=true and
// exclude_unreviewed=true (the latter for hashtags): Tusk sends neither
// unless o sets Resolve or ExcludeUnreviewed, so the server's defaults
// (false) apply.
//
//api:endpoint GET /api/v2/search
//api:endpoint GET /api/v1/search
//api:since 2.4.1
//api:changed 4.0.0
func (s *SearchService) Query(ctx context.Context, q string, o *SearchOptions, opts ...CallOption) (*Search, error) {
	if strings.TrimSpace(q) == "" {
		return nil, illegalArg("Search.Query: empty query")
	}
	resolve := o != nil && o.Resolve
	if s.c.apiBelow(version241) {
		return s.QueryV1(ctx, q, resolve, opts...)
	}
	res, err := call[Search](ctx, s.c, req{Method: http.MethodGet, Path: "/api/v2/search", Query: searchQuery(q, o)}, opts)
	if errors.Is(err, ErrVersion) {
		return s.QueryV1(ctx, q, resolve, opts...)
	}
	if errors.Is(err, ErrNotFound) {
		if info, ierr := s.c.ServerInfo(ctx); ierr == nil && !info.API.AtLeast(version241) {
			if res1, err1 := s.QueryV1(ctx, q, resolve, opts...); err1 == nil {
				return res1, nil
			}
		}
	}
	return res, err
}

// QueryV1 searches with the v1 endpoint of servers before 2.4.1 (gone
// since 3.0). Its hashtags come as bare names; they are returned as Tags
// with only Name set.
//
//api:endpoint GET /api/v1/search
//api:since 1.1.0
//api:changed 2.8.0
func (s *SearchService) QueryV1(ctx context.Context, q string, resolve bool, opts ...CallOption) (*Search, error) {
	if strings.TrimSpace(q) == "" {
		return nil, illegalArg("Search.QueryV1: empty query")
	}
	type v1Query struct {
		Q       string `form:"q"`
		Resolve bool   `form:"resolve"`
	}
	o := collect(opts)
	r := req{Method: http.MethodGet, Path: "/api/v1/search", Query: v1Query{q, resolve}}
	resp, data, err := s.c.exec(ctx, &r, o)
	if err != nil {
		return nil, err
	}
	if err := decodeBody(r.Method, resp.redactedURL, resp, data, new(json.RawMessage)); err != nil {
		return nil, err
	}
	out, err := decodeSearchV1(data)
	if err != nil {
		return nil, &DecodeError{Method: r.Method, URL: resp.redactedURL, StatusCode: resp.StatusCode,
			ContentType: resp.Header.Get("Content-Type"), Snippet: redactedSnippet(data, resp.secretList()), Err: err}
	}
	return out, nil
}

// decodeSearchV1 reads a v1 search answer, whose hashtags are names (or,
// on some servers, Tag objects).
func decodeSearchV1(data []byte) (*Search, error) {
	var raw struct {
		Accounts []Account         `json:"accounts"`
		Statuses []Status          `json:"statuses"`
		Hashtags []json.RawMessage `json:"hashtags"`
	}
	if err := unmarshalJSON(data, &raw); err != nil {
		return nil, err
	}
	out := &Search{Accounts: raw.Accounts, Statuses: raw.Statuses}
	for _, h := range raw.Hashtags {
		var t Tag
		var err error
		switch b := bytes.TrimSpace(h); {
		case len(b) > 0 && b[0] == '"':
			err = unmarshalJSON(b, &t.Name)
		case len(b) > 0 && b[0] == '{':
			err = unmarshalJSON(b, &t)
		default:
			err = fmt.Errorf("hashtag is neither a name nor an object: %s", snippet(b))
		}
		if err != nil {
			return nil, err
		}
		out.Hashtags = append(out.Hashtags, t)
	}
	return out, nil
}

// searchPage runs a v2 search of one type and pages its results by offset.
func searchPage[T any](ctx context.Context, c *Client, r req, opts []CallOption, pick func(*Search) []T) (*Page[T], error) {
	return fetchPage(ctx, c, r, opts, true, func(method string, resp *Response, data []byte) ([]*T, error) {
		res := new(Search)
		if err := decodeBody(method, resp.redactedURL, resp, data, res); err != nil {
			return nil, err
		}
		list := pick(res)
		items := make([]*T, len(list))
		for i := range list {
			items[i] = &list[i]
		}
		return items, nil
	})
}

// typed is the request of a search of one type (o is not changed).
func (s *SearchService) typed(q string, o *SearchOptions, t SearchType) (req, error) {
	if strings.TrimSpace(q) == "" {
		return req{}, illegalArg("Search: empty query")
	}
	var w SearchOptions
	if o != nil {
		w = *o
	}
	w.Type = t
	return req{Method: http.MethodGet, Path: "/api/v2/search", Query: searchQuery(q, &w)}, nil
}

// Accounts searches accounts only; pages continue by offset.
//
//api:endpoint GET /api/v2/search
//api:since 2.4.1
//api:changed 4.0.0
func (s *SearchService) Accounts(ctx context.Context, q string, o *SearchOptions, opts ...CallOption) (*Page[Account], error) {
	r, err := s.typed(q, o, SearchAccounts)
	if err != nil {
		return nil, err
	}
	return searchPage(ctx, s.c, r, opts, func(s *Search) []Account { return s.Accounts })
}

// AccountsAll iterates over all accounts matching q.
func (s *SearchService) AccountsAll(ctx context.Context, q string, o *SearchOptions, opts ...CallOption) iter.Seq2[*Account, error] {
	return iterate(ctx, func() (*Page[Account], error) { return s.Accounts(ctx, q, o, opts...) })
}

// Statuses searches statuses only; pages continue by offset.
//
//api:endpoint GET /api/v2/search
//api:since 2.4.1
//api:changed 4.0.0
func (s *SearchService) Statuses(ctx context.Context, q string, o *SearchOptions, opts ...CallOption) (*Page[Status], error) {
	r, err := s.typed(q, o, SearchStatuses)
	if err != nil {
		return nil, err
	}
	return searchPage(ctx, s.c, r, opts, func(s *Search) []Status { return s.Statuses })
}

// StatusesAll iterates over all statuses matching q.
func (s *SearchService) StatusesAll(ctx context.Context, q string, o *SearchOptions, opts ...CallOption) iter.Seq2[*Status, error] {
	return iterate(ctx, func() (*Page[Status], error) { return s.Statuses(ctx, q, o, opts...) })
}

// Hashtags searches hashtags only; pages continue by offset.
//
//api:endpoint GET /api/v2/search
//api:since 2.4.1
//api:changed 4.0.0
func (s *SearchService) Hashtags(ctx context.Context, q string, o *SearchOptions, opts ...CallOption) (*Page[Tag], error) {
	r, err := s.typed(q, o, SearchHashtags)
	if err != nil {
		return nil, err
	}
	return searchPage(ctx, s.c, r, opts, func(s *Search) []Tag { return s.Hashtags })
}

// HashtagsAll iterates over all hashtags matching q.
func (s *SearchService) HashtagsAll(ctx context.Context, q string, o *SearchOptions, opts ...CallOption) iter.Seq2[*Tag, error] {
	return iterate(ctx, func() (*Page[Tag], error) { return s.Hashtags(ctx, q, o, opts...) })
}

package mastodon

import (
	"context"
	"iter"
	"net/http"
	"strings"
)

// CreateListParams are the optional settings of a new list.
type CreateListParams struct {
	// RepliesPolicy says which replies the list shows (server default
	// "list": replies to members).
	RepliesPolicy ListRepliesPolicy `form:"replies_policy"`
	// Exclusive hides the members' posts from the home timeline.
	Exclusive *bool `form:"exclusive"`
}

// UpdateListParams are the list settings to change; unset ones stay.
type UpdateListParams struct {
	Title         string            `form:"title"`
	RepliesPolicy ListRepliesPolicy `form:"replies_policy"`
	Exclusive     *bool             `form:"exclusive"`
}

type createListForm struct {
	Title string `form:"title"`
	*CreateListParams
}

type listAccountsForm struct {
	AccountIDs []string `form:"account_ids"`
}

// List returns the user's lists.
//
//api:endpoint GET /api/v1/lists
//api:since 2.1.0
func (s *ListsService) List(ctx context.Context, opts ...CallOption) ([]*List, error) {
	return callSlice[List](ctx, s.c, req{Method: http.MethodGet, Path: "/api/v1/lists"}, opts)
}

// Get returns one list.
//
//api:endpoint GET /api/v1/lists/{id}
//api:since 2.1.0
func (s *ListsService) Get(ctx context.Context, id string, opts ...CallOption) (*List, error) {
	return call[List](ctx, s.c, req{Method: http.MethodGet, Path: "/api/v1/lists/{id}", Params: []string{id}}, opts)
}

// Create makes a list with the given title.
//
//api:endpoint POST /api/v1/lists
//api:since 2.1.0
//api:changed 4.2.0
func (s *ListsService) Create(ctx context.Context, title string, p *CreateListParams, opts ...CallOption) (*List, error) {
	if strings.TrimSpace(title) == "" {
		return nil, illegalArg("Lists.Create: empty title")
	}
	return call[List](ctx, s.c, req{Method: http.MethodPost, Path: "/api/v1/lists", Form: createListForm{Title: title, CreateListParams: p}}, opts)
}

// Update changes a list's title, replies policy or exclusivity.
//
//api:endpoint PUT /api/v1/lists/{id}
//api:since 2.1.0
//api:changed 4.2.0
func (s *ListsService) Update(ctx context.Context, id string, p *UpdateListParams, opts ...CallOption) (*List, error) {
	if p == nil {
		p = &UpdateListParams{}
	}
	return call[List](ctx, s.c, req{Method: http.MethodPut, Path: "/api/v1/lists/{id}", Params: []string{id}, Form: p, Idempotent: true}, opts)
}

// Delete removes a list.
//
//api:endpoint DELETE /api/v1/lists/{id}
//api:since 2.1.0
func (s *ListsService) Delete(ctx context.Context, id string, opts ...CallOption) error {
	return callNoContent(ctx, s.c, req{Method: http.MethodDelete, Path: "/api/v1/lists/{id}", Params: []string{id}, Idempotent: true}, opts)
}

// Accounts returns a page of the accounts in a list. With Limit 0 in opts
// the server decides the page size; Mastodon documents limit=0 as "all".
//
//api:endpoint GET /api/v1/lists/{id}/accounts
//api:since 2.1.0
//api:changed 3.3.0
func (s *ListsService) Accounts(ctx context.Context, id string, o *ListOptions, opts ...CallOption) (*Page[Account], error) {
	return callList[Account](ctx, s.c, req{Method: http.MethodGet, Path: "/api/v1/lists/{id}/accounts", Params: []string{id}, Query: o}, opts)
}

// AccountsAll iterates over the accounts in a list, page by page.
func (s *ListsService) AccountsAll(ctx context.Context, id string, o *ListOptions, opts ...CallOption) iter.Seq2[*Account, error] {
	return iterate(ctx, func() (*Page[Account], error) { return s.Accounts(ctx, id, o, opts...) })
}

// AddAccounts adds accounts (which the user must follow) to a list.
//
//api:endpoint POST /api/v1/lists/{id}/accounts
//api:since 2.1.0
func (s *ListsService) AddAccounts(ctx context.Context, id string, accountIDs []string, opts ...CallOption) error {
	if err := checkIDs("Lists.AddAccounts", accountIDs); err != nil {
		return err
	}
	return callNoContent(ctx, s.c, req{Method: http.MethodPost, Path: "/api/v1/lists/{id}/accounts", Params: []string{id}, Form: listAccountsForm{AccountIDs: accountIDs}}, opts)
}

// RemoveAccounts takes accounts out of a list.
//
//api:endpoint DELETE /api/v1/lists/{id}/accounts
//api:since 2.1.0
func (s *ListsService) RemoveAccounts(ctx context.Context, id string, accountIDs []string, opts ...CallOption) error {
	if err := checkIDs("Lists.RemoveAccounts", accountIDs); err != nil {
		return err
	}
	return callNoContent(ctx, s.c, req{Method: http.MethodDelete, Path: "/api/v1/lists/{id}/accounts", Params: []string{id}, Form: listAccountsForm{AccountIDs: accountIDs}, Idempotent: true}, opts)
}

package mastodon

import (
	"bytes"
	"context"
	"iter"
	"net/http"
	"strings"
)

// CollectionsOptions page through an account's collections by offset.
type CollectionsOptions struct {
	Limit  int `form:"limit"`
	Offset int `form:"offset"`
}

func (o *CollectionsOptions) check(method string) error {
	if o == nil {
		return nil
	}
	return checkOffset(method, o.Limit, o.Offset)
}

// collectionsBody is the wire form of a list of collections; newer servers
// add previews of the accounts in them.
type collectionsBody struct {
	Collections []*Collection `json:"collections"`
	Accounts    []*Account    `json:"accounts"`
}

// callCollections fetches one page of collections.
func callCollections(ctx context.Context, c *Client, r req, opts []CallOption) (*Page[Collection], error) {
	return fetchPage(ctx, c, r, opts, true, func(method string, resp *Response, data []byte) ([]*Collection, error) {
		var b collectionsBody
		var err error
		if t := bytes.TrimSpace(data); len(t) > 0 && t[0] == '[' {
			err = decodeBody(method, resp.redactedURL, resp, data, &b.Collections)
		} else {
			err = decodeBody(method, resp.redactedURL, resp, data, &b)
		}
		if err != nil {
			return nil, err
		}
		return b.Collections, nil
	})
}

// Collections lists the collections an account curates (4.6.0+). Pages
// continue by offset.
//
//api:endpoint GET /api/v1/accounts/{account_id}/collections
//api:since 4.6.0
func (s *AccountsService) Collections(ctx context.Context, accountID string, o *CollectionsOptions, opts ...CallOption) (*Page[Collection], error) {
	if err := o.check("Accounts.Collections"); err != nil {
		return nil, err
	}
	return callCollections(ctx, s.c, req{Method: http.MethodGet, Path: "/api/v1/accounts/{account_id}/collections", Params: []string{accountID}, Query: o}, opts)
}

// CollectionsAll iterates over all collections an account curates.
func (s *AccountsService) CollectionsAll(ctx context.Context, accountID string, o *CollectionsOptions, opts ...CallOption) iter.Seq2[*Collection, error] {
	return iterate(ctx, func() (*Page[Collection], error) { return s.Collections(ctx, accountID, o, opts...) })
}

// InCollections lists the collections that feature an account (4.6.0+).
// Pages continue by offset.
//
//api:endpoint GET /api/v1/accounts/{account_id}/in_collections
//api:since 4.6.0
func (s *AccountsService) InCollections(ctx context.Context, accountID string, o *CollectionsOptions, opts ...CallOption) (*Page[Collection], error) {
	if err := o.check("Accounts.InCollections"); err != nil {
		return nil, err
	}
	return callCollections(ctx, s.c, req{Method: http.MethodGet, Path: "/api/v1/accounts/{account_id}/in_collections", Params: []string{accountID}, Query: o}, opts)
}

// InCollectionsAll iterates over all collections that feature an account.
func (s *AccountsService) InCollectionsAll(ctx context.Context, accountID string, o *CollectionsOptions, opts ...CallOption) iter.Seq2[*Collection, error] {
	return iterate(ctx, func() (*Page[Collection], error) { return s.InCollections(ctx, accountID, o, opts...) })
}

// Get returns a collection with the accounts it features.
//
//api:endpoint GET /api/v1/collections/{id}
//api:since 4.6.0
func (s *CollectionsService) Get(ctx context.Context, id string, opts ...CallOption) (*CollectionWithAccounts, error) {
	return call[CollectionWithAccounts](ctx, s.c, req{Method: http.MethodGet, Path: "/api/v1/collections/{id}", Params: []string{id}}, opts)
}

// CreateCollectionParams describe a new collection. Name is required.
type CreateCollectionParams struct {
	// Name is the collection's name (at most 40 characters).
	Name string `json:"name"`
	// AccountIDs are the accounts to feature.
	AccountIDs []string `json:"account_ids,omitempty"`
	// Description is a longer text (at most 100 characters).
	Description string `json:"description,omitempty"`
	// Discoverable shows the collection on the profile, in search and
	// recommendations.
	Discoverable *bool `json:"discoverable,omitempty"`
	// Language is an ISO 639 code.
	Language string `json:"language,omitempty"`
	// Sensitive marks the collection as sensitive.
	Sensitive *bool `json:"sensitive,omitempty"`
	// TagName is a hashtag (without #) that describes the collection.
	TagName string `json:"tag_name,omitempty"`
}

// UpdateCollectionParams are the changes of Collections.Update; nil
// members stay as they are.
type UpdateCollectionParams struct {
	Name         *string `json:"name,omitempty"`
	Description  *string `json:"description,omitempty"`
	Discoverable *bool   `json:"discoverable,omitempty"`
	Language     *string `json:"language,omitempty"`
	Sensitive    *bool   `json:"sensitive,omitempty"`
	TagName      *string `json:"tag_name,omitempty"`
}

// wrappedCollection is how the server answers a created or changed
// collection.
type wrappedCollection struct {
	Collection *Collection `json:"collection"`
}

func callWrappedCollection(ctx context.Context, c *Client, r req, opts []CallOption) (*Collection, error) {
	o := collect(opts)
	resp, data, err := c.exec(ctx, &r, o)
	if err != nil {
		return nil, err
	}
	var w wrappedCollection
	if err := decodeBody(r.Method, resp.redactedURL, resp, data, &w); err != nil {
		return nil, err
	}
	if w.Collection == nil {
		// Tolerate a server that answers the collection unwrapped.
		var col Collection
		if err := decodeBody(r.Method, resp.redactedURL, resp, data, &col); err != nil {
			return nil, err
		}
		return &col, nil
	}
	return w.Collection, nil
}

// Create creates a collection of accounts the current user recommends
// (4.6.0+).
//
//api:endpoint POST /api/v1/collections
//api:since 4.6.0
func (s *CollectionsService) Create(ctx context.Context, p *CreateCollectionParams, opts ...CallOption) (*Collection, error) {
	if p == nil || strings.TrimSpace(p.Name) == "" {
		return nil, illegalArg("Collections.Create: a name is required")
	}
	if len(p.AccountIDs) > 0 {
		if err := checkIDs("Collections.Create", p.AccountIDs); err != nil {
			return nil, err
		}
	}
	body := *p
	body.TagName = strings.TrimPrefix(body.TagName, "#")
	return callWrappedCollection(ctx, s.c, req{Method: http.MethodPost, Path: "/api/v1/collections", JSON: &body}, opts)
}

// Update changes a collection's name, description and settings.
//
//api:endpoint PATCH /api/v1/collections/{id}
//api:since 4.6.0
func (s *CollectionsService) Update(ctx context.Context, id string, p *UpdateCollectionParams, opts ...CallOption) (*Collection, error) {
	body := UpdateCollectionParams{}
	if p != nil {
		body = *p
		if body.TagName != nil {
			t := strings.TrimPrefix(*body.TagName, "#")
			body.TagName = &t
		}
	}
	return callWrappedCollection(ctx, s.c, req{Method: http.MethodPatch, Path: "/api/v1/collections/{id}", Params: []string{id}, JSON: &body}, opts)
}

// Delete deletes a collection of the current user.
//
//api:endpoint DELETE /api/v1/collections/{id}
//api:since 4.6.0
func (s *CollectionsService) Delete(ctx context.Context, id string, opts ...CallOption) error {
	return callNoContent(ctx, s.c, req{Method: http.MethodDelete, Path: "/api/v1/collections/{id}", Params: []string{id}, Idempotent: true}, opts)
}

// AddItem adds an account to a collection and returns the new item.
//
//api:endpoint POST /api/v1/collections/{collection_id}/items
//api:since 4.6.0
func (s *CollectionsService) AddItem(ctx context.Context, collectionID, accountID string, opts ...CallOption) (*CollectionItem, error) {
	if strings.TrimSpace(accountID) == "" {
		return nil, illegalArg("Collections.AddItem: empty account ID")
	}
	r := req{Method: http.MethodPost, Path: "/api/v1/collections/{collection_id}/items", Params: []string{collectionID},
		JSON: map[string]string{"account_id": accountID}}
	o := collect(opts)
	resp, data, err := s.c.exec(ctx, &r, o)
	if err != nil {
		return nil, err
	}
	var w struct {
		Item *CollectionItem `json:"collection_item"`
	}
	if err := decodeBody(r.Method, resp.redactedURL, resp, data, &w); err != nil {
		return nil, err
	}
	if w.Item == nil {
		var it CollectionItem
		if err := decodeBody(r.Method, resp.redactedURL, resp, data, &it); err != nil {
			return nil, err
		}
		return &it, nil
	}
	return w.Item, nil
}

// RemoveItem removes an item (an account) from one of the current user's
// collections; itemID is the CollectionItem's ID.
//
//api:endpoint DELETE /api/v1/collections/{collection_id}/items/{id}
//api:since 4.6.0
func (s *CollectionsService) RemoveItem(ctx context.Context, collectionID, itemID string, opts ...CallOption) error {
	return callNoContent(ctx, s.c, req{Method: http.MethodDelete, Path: "/api/v1/collections/{collection_id}/items/{id}", Params: []string{collectionID, itemID}, Idempotent: true}, opts)
}

// RevokeItem takes the current user out of someone else's collection;
// itemID is the CollectionItem that features the current user.
//
//api:endpoint POST /api/v1/collections/{collection_id}/items/{id}/revoke
//api:since 4.6.0
func (s *CollectionsService) RevokeItem(ctx context.Context, collectionID, itemID string, opts ...CallOption) error {
	return callNoContent(ctx, s.c, req{Method: http.MethodPost, Path: "/api/v1/collections/{collection_id}/items/{id}/revoke", Params: []string{collectionID, itemID}, Idempotent: true}, opts)
}

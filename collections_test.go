package mastodon

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
)

const collectionJSON = `{"id":"%s","account_id":"1","name":"Birds","description":"bird people","discoverable":true,"sensitive":false,"local":true,` +
	`"language":"en","uri":"https://x/c/%s","url":null,"item_count":1,"created_at":"2026-01-01T00:00:00.000Z","updated_at":"2026-01-02T00:00:00.000Z",` +
	`"tag":{"name":"birds","url":"https://x/tags/birds"},"items":[{"id":"11","account_id":"2","state":"accepted","created_at":"2026-01-01T00:00:00.000Z"}]}`

func TestAccountsCollections(t *testing.T) {
	c, mux, _ := setup(t)
	for _, kind := range []string{"collections", "in_collections"} {
		mux.HandleFunc("/api/v1/accounts/1/"+kind, func(w http.ResponseWriter, r *http.Request) {
			testMethod(t, r, "GET")
			testHeader(t, r, "Authorization", "Bearer "+testToken)
			switch r.URL.Query().Get("offset") {
			case "":
				testQuery(t, r, "limit=2")
				fmt.Fprintf(w, `{"collections":[`+collectionJSON+`,`+collectionJSON+`],"accounts":[{"id":"2","username":"b","acct":"b"}]}`, "a", "a", "b", "b")
			case "2":
				testQuery(t, r, "limit=2&offset=2")
				fmt.Fprintf(w, `{"collections":[`+collectionJSON+`]}`, "c", "c")
			default:
				fmt.Fprint(w, `{"collections":[]}`)
			}
		})
	}
	ctx := context.Background()
	o := &CollectionsOptions{Limit: 2}
	p, err := c.Accounts.Collections(ctx, "1", o)
	if err != nil {
		t.Fatal(err)
	}
	col := p.Items[0]
	if len(p.Items) != 2 || !p.HasNext() || col.ID != "a" || col.Name != "Birds" || !col.Discoverable || col.Tag == nil || col.Tag.Name != "birds" ||
		col.Language == nil || *col.Language != "en" || col.URL != nil || len(col.Items) != 1 || col.Items[0].State != "accepted" ||
		col.Items[0].AccountID == nil || *col.Items[0].AccountID != "2" || col.CreatedAt.Year() != 2026 {
		t.Errorf("page %+v", col)
	}
	for name, seq := range map[string]func() []string{
		"CollectionsAll": func() (ids []string) {
			for x, err := range c.Accounts.CollectionsAll(ctx, "1", o) {
				if err != nil {
					t.Fatal(err)
				}
				ids = append(ids, x.ID)
			}
			return
		},
		"InCollectionsAll": func() (ids []string) {
			for x, err := range c.Accounts.InCollectionsAll(ctx, "1", o) {
				if err != nil {
					t.Fatal(err)
				}
				ids = append(ids, x.ID)
			}
			return
		},
	} {
		if got := strings.Join(seq(), ","); got != "a,b,c" {
			t.Errorf("%s: %s", name, got)
		}
	}
	if o.Offset != 0 {
		t.Errorf("options changed %+v", o)
	}
	if _, err := c.Accounts.InCollections(ctx, "1", &CollectionsOptions{Offset: -1}); !errors.Is(err, ErrIllegalArgument) {
		t.Errorf("negative offset: err = %v", err)
	}
	testErrorKinds(t, "/api/v1/accounts/{account_id}/collections", func(c *Client, id string) error {
		_, err := c.Accounts.Collections(context.Background(), id, nil)
		return err
	})
}

func TestAccountsCollectionsBadBodies(t *testing.T) {
	c, mux, _ := setup(t)
	body := ""
	mux.HandleFunc("/api/v1/accounts/1/collections", func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, body) })
	ctx := context.Background()
	for _, b := range []string{`{"collections":[`, `<html>`, ``} {
		body = b
		if _, err := c.Accounts.Collections(ctx, "1", nil); !errors.Is(err, ErrDecode) {
			t.Errorf("%q: err = %v, want ErrDecode", b, err)
		}
	}
	// A bare array is read too.
	body = fmt.Sprintf("["+collectionJSON+"]", "z", "z")
	if p, err := c.Accounts.Collections(ctx, "1", nil); err != nil || len(p.Items) != 1 || p.Items[0].ID != "z" {
		t.Errorf("bare array: %+v, %v", p, err)
	}
}

func TestCollectionsCRUD(t *testing.T) {
	c, mux, _ := setup(t)
	mux.HandleFunc("/api/v1/collections", func(w http.ResponseWriter, r *http.Request) {
		testMethod(t, r, "POST")
		testQuery(t, r, "")
		testHeader(t, r, "Authorization", "Bearer "+testToken)
		testJSONBody(t, r, `{"name":"Birds","account_ids":["2","3"],"description":"bird people","discoverable":true,"language":"en","tag_name":"birds"}`)
		fmt.Fprintf(w, `{"collection":`+collectionJSON+`}`, "5", "5")
	})
	mux.HandleFunc("/api/v1/collections/5", func(w http.ResponseWriter, r *http.Request) {
		testHeader(t, r, "Authorization", "Bearer "+testToken)
		switch r.Method {
		case "GET":
			testEmptyBody(t, r)
			fmt.Fprintf(w, `{"collection":`+collectionJSON+`,"accounts":[{"id":"1","username":"a","acct":"a"},{"id":"2","username":"b","acct":"b"}]}`, "5", "5")
		case "PATCH":
			testJSONBody(t, r, `{"name":"Sea birds","sensitive":false,"tag_name":"seabirds"}`)
			fmt.Fprintf(w, strings.Replace(`{"collection":`+collectionJSON+`}`, `"Birds"`, `"Sea birds"`, 1), "5", "5")
		case "DELETE":
			testEmptyBody(t, r)
			fmt.Fprint(w, `{}`)
		default:
			t.Errorf("method %s", r.Method)
		}
	})
	ctx := context.Background()
	p := &CreateCollectionParams{Name: "Birds", AccountIDs: []string{"2", "3"}, Description: "bird people", Discoverable: Ptr(true), Language: "en", TagName: "#birds"}
	col, err := c.Collections.Create(ctx, p)
	if err != nil {
		t.Fatal(err)
	}
	if col.ID != "5" || col.Name != "Birds" || col.ItemCount != 1 {
		t.Errorf("created %+v", col)
	}
	if p.TagName != "#birds" {
		t.Errorf("params changed: %+v", p)
	}
	got, err := c.Collections.Get(ctx, "5")
	if err != nil {
		t.Fatal(err)
	}
	if got.Collection.ID != "5" || len(got.Accounts) != 2 || got.Accounts[1].Username != "b" {
		t.Errorf("got %+v", got)
	}
	up := &UpdateCollectionParams{Name: Ptr("Sea birds"), Sensitive: Ptr(false), TagName: Ptr("#seabirds")}
	col, err = c.Collections.Update(ctx, "5", up)
	if err != nil || col.Name != "Sea birds" {
		t.Fatalf("updated %+v, %v", col, err)
	}
	if *up.TagName != "#seabirds" {
		t.Errorf("params changed: %+v", up)
	}
	if err := c.Collections.Delete(ctx, "5"); err != nil {
		t.Fatal(err)
	}
	for _, bad := range []*CreateCollectionParams{nil, {Name: " "}, {Name: "x", AccountIDs: []string{""}}} {
		if _, err := c.Collections.Create(ctx, bad); !errors.Is(err, ErrIllegalArgument) {
			t.Errorf("%+v: err = %v", bad, err)
		}
	}
	if _, err := c.Collections.Update(ctx, "", nil); !errors.Is(err, ErrIllegalArgument) {
		t.Errorf("empty id: err = %v", err)
	}
	testErrorKinds(t, "/api/v1/collections/{id}", func(c *Client, id string) error { _, err := c.Collections.Get(context.Background(), id); return err })
}

func TestCollectionsUnwrappedAndBad(t *testing.T) {
	c, mux, _ := setup(t)
	body := ""
	mux.HandleFunc("/api/v1/collections/6", func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, body) })
	ctx := context.Background()
	body = fmt.Sprintf(collectionJSON, "6", "6")
	if col, err := c.Collections.Update(ctx, "6", nil); err != nil || col.ID != "6" {
		t.Errorf("unwrapped: %+v, %v", col, err)
	}
	body = `{"collection":{"id":`
	if _, err := c.Collections.Update(ctx, "6", nil); !errors.Is(err, ErrDecode) {
		t.Errorf("truncated: err = %v", err)
	}
}

func TestCollectionsItems(t *testing.T) {
	c, mux, _ := setup(t)
	var got []string
	mux.HandleFunc("/api/v1/collections/5/items", func(w http.ResponseWriter, r *http.Request) {
		testMethod(t, r, "POST")
		testJSONBody(t, r, `{"account_id":"7"}`)
		fmt.Fprint(w, `{"collection_item":{"id":"12","account_id":"7","state":"pending","created_at":"2026-01-03T00:00:00Z"}}`)
	})
	mux.HandleFunc("/api/v1/collections/5/items/", func(w http.ResponseWriter, r *http.Request) {
		testEmptyBody(t, r)
		testQuery(t, r, "")
		got = append(got, r.Method+" "+r.URL.Path)
		fmt.Fprint(w, `{}`)
	})
	ctx := context.Background()
	it, err := c.Collections.AddItem(ctx, "5", "7")
	if err != nil {
		t.Fatal(err)
	}
	if it.ID != "12" || it.State != "pending" || it.AccountID == nil || *it.AccountID != "7" {
		t.Errorf("item %+v", it)
	}
	if err := c.Collections.RemoveItem(ctx, "5", "12"); err != nil {
		t.Fatal(err)
	}
	if err := c.Collections.RevokeItem(ctx, "5", "13"); err != nil {
		t.Fatal(err)
	}
	want := "[DELETE /api/v1/collections/5/items/12 POST /api/v1/collections/5/items/13/revoke]"
	if fmt.Sprint(got) != want {
		t.Errorf("requests %v, want %v", got, want)
	}
	if _, err := c.Collections.AddItem(ctx, "5", " "); !errors.Is(err, ErrIllegalArgument) {
		t.Errorf("empty account: err = %v", err)
	}
	if err := c.Collections.RemoveItem(ctx, "5", ""); !errors.Is(err, ErrIllegalArgument) {
		t.Errorf("empty item: err = %v", err)
	}
	testErrorKinds(t, "/api/v1/collections/{collection_id}/items/{id}/revoke", func(c *Client, id string) error {
		return c.Collections.RevokeItem(context.Background(), id, "1")
	})
}

package mastodon

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"testing"

	"github.com/tuskgo/mastodon/internal/corpus"
)

func listsReplay(cases *replayTable) {
	cases.add("GET /api/v1/lists", func(ctx context.Context, c *Client, it *corpus.Interaction) error {
		_, err := c.Lists.List(ctx)
		return err
	})
	cases.add("GET /api/v1/lists/{id}", func(ctx context.Context, c *Client, it *corpus.Interaction) error {
		_, err := c.Lists.Get(ctx, it.PathParam("id"))
		return err
	})
	cases.add("POST /api/v1/lists", func(ctx context.Context, c *Client, it *corpus.Interaction) error {
		_, err := c.Lists.Create(ctx, rform(it, "title"), &CreateListParams{
			RepliesPolicy: ListRepliesPolicy(rform(it, "replies_policy")), Exclusive: rbool(rform(it, "exclusive"))})
		return err
	})
	cases.add("PUT /api/v1/lists/{id}", func(ctx context.Context, c *Client, it *corpus.Interaction) error {
		_, err := c.Lists.Update(ctx, it.PathParam("id"), &UpdateListParams{Title: rform(it, "title"),
			RepliesPolicy: ListRepliesPolicy(rform(it, "replies_policy")), Exclusive: rbool(rform(it, "exclusive"))})
		return err
	})
	cases.add("DELETE /api/v1/lists/{id}", func(ctx context.Context, c *Client, it *corpus.Interaction) error {
		return c.Lists.Delete(ctx, it.PathParam("id"))
	})
	cases.add("POST /api/v1/lists/{id}/accounts", func(ctx context.Context, c *Client, it *corpus.Interaction) error {
		return c.Lists.AddAccounts(ctx, it.PathParam("id"), rforms(it, "account_ids[]"))
	})
	cases.add("GET /api/v1/lists/{id}/accounts", func(ctx context.Context, c *Client, it *corpus.Interaction) error {
		_, err := c.Lists.Accounts(ctx, it.PathParam("id"), nil)
		return err
	})
	cases.add("DELETE /api/v1/lists/{id}/accounts", func(ctx context.Context, c *Client, it *corpus.Interaction) error {
		return c.Lists.RemoveAccounts(ctx, it.PathParam("id"), rforms(it, "account_ids[]"))
	})
}

const listSampleJSON = `{"id":"12","title":"ham burglars","replies_policy":"list","exclusive":false}`

func TestListsCRUD(t *testing.T) {
	c, mux, _ := setup(t)
	mux.HandleFunc("/api/v1/lists", func(w http.ResponseWriter, r *http.Request) {
		testHeader(t, r, "Authorization", "Bearer "+testToken)
		switch r.Method {
		case "GET":
			testQuery(t, r, "")
			fmt.Fprint(w, `[`+listSampleJSON+`,{"id":"13","title":"b","replies_policy":"followed","exclusive":true}]`)
		case "POST":
			testForm(t, r, "title=ham+burglars&replies_policy=none&exclusive=false")
			fmt.Fprint(w, listSampleJSON)
		default:
			t.Errorf("method %s", r.Method)
		}
	})
	mux.HandleFunc("/api/v1/lists/12", func(w http.ResponseWriter, r *http.Request) {
		switch r.Method {
		case "GET":
			fmt.Fprint(w, listSampleJSON)
		case "PUT":
			testForm(t, r, "title=fry+kids&exclusive=true")
			fmt.Fprint(w, `{"id":"12","title":"fry kids","replies_policy":"list","exclusive":true}`)
		case "DELETE":
			testQuery(t, r, "")
			fmt.Fprint(w, `{}`)
		default:
			t.Errorf("method %s", r.Method)
		}
	})
	ctx := context.Background()
	ls, err := c.Lists.List(ctx)
	if err != nil || len(ls) != 2 || ls[1].RepliesPolicy != RepliesPolicyFollowed || !ls[1].Exclusive {
		t.Fatalf("List: %+v %v", ls, err)
	}
	p := &CreateListParams{RepliesPolicy: RepliesPolicyNone, Exclusive: Ptr(false)}
	l, err := c.Lists.Create(ctx, "ham burglars", p)
	if err != nil || l.ID != "12" || l.Title != "ham burglars" {
		t.Fatalf("Create: %+v %v", l, err)
	}
	if p.RepliesPolicy != RepliesPolicyNone || *p.Exclusive {
		t.Error("Create changed the params")
	}
	if l, err = c.Lists.Get(ctx, "12"); err != nil || l.RepliesPolicy != RepliesPolicyList {
		t.Fatalf("Get: %+v %v", l, err)
	}
	if l, err = c.Lists.Update(ctx, "12", &UpdateListParams{Title: "fry kids", Exclusive: Ptr(true)}); err != nil || l.Title != "fry kids" || !l.Exclusive {
		t.Fatalf("Update: %+v %v", l, err)
	}
	if err := c.Lists.Delete(ctx, "12"); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Lists.Create(ctx, " ", nil); !errors.Is(err, ErrIllegalArgument) {
		t.Errorf("Create with empty title: %v", err)
	}
	if _, err := c.Lists.Get(ctx, ""); !errors.Is(err, ErrIllegalArgument) {
		t.Errorf("Get with empty id: %v", err)
	}
}

func TestListsAccounts(t *testing.T) {
	c, mux, _ := setup(t)
	mux.HandleFunc("/api/v1/lists/12/accounts", func(w http.ResponseWriter, r *http.Request) {
		switch r.Method {
		case "GET":
			if r.URL.Query().Get("max_id") == "" {
				testQuery(t, r, "limit=1")
				w.Header().Set("Link", `</api/v1/lists/12/accounts?limit=1&max_id=5>; rel="next"`)
				fmt.Fprint(w, `[{"id":"7","username":"a"}]`)
				return
			}
			testQuery(t, r, "limit=1&max_id=5")
			fmt.Fprint(w, `[]`)
		case "POST":
			testForm(t, r, "account_ids[]=1&account_ids[]=2")
			fmt.Fprint(w, `{}`)
		case "DELETE":
			testForm(t, r, "account_ids[]=3")
			fmt.Fprint(w, `{}`)
		}
	})
	ctx := context.Background()
	var ids []string
	for a, err := range c.Lists.AccountsAll(ctx, "12", &ListOptions{Limit: 1}) {
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, a.ID)
	}
	if fmt.Sprint(ids) != "[7]" {
		t.Errorf("accounts %v", ids)
	}
	if err := c.Lists.AddAccounts(ctx, "12", []string{"1", "2"}); err != nil {
		t.Fatal(err)
	}
	if err := c.Lists.RemoveAccounts(ctx, "12", []string{"3"}); err != nil {
		t.Fatal(err)
	}
	if err := c.Lists.AddAccounts(ctx, "12", nil); !errors.Is(err, ErrIllegalArgument) {
		t.Errorf("AddAccounts(nil): %v", err)
	}
	if err := c.Lists.RemoveAccounts(ctx, "12", []string{""}); !errors.Is(err, ErrIllegalArgument) {
		t.Errorf("RemoveAccounts([\"\"]): %v", err)
	}
}

func TestListsErrors(t *testing.T) {
	c, mux, _ := setup(t)
	mux.HandleFunc("/api/v1/lists/9", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusNotFound)
		fmt.Fprint(w, `{"error":"Record not found"}`)
	})
	mux.HandleFunc("/api/v1/lists", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusUnprocessableEntity)
		fmt.Fprint(w, `{"error":"Validation failed: Title can't be blank","details":{"title":[{"error":"ERR_BLANK","description":"can't be blank"}]}}`)
	})
	ctx := context.Background()
	if _, err := c.Lists.Get(ctx, "9"); !errors.Is(err, ErrNotFound) {
		t.Errorf("Get: %v", err)
	}
	_, err := c.Lists.Create(ctx, "x", nil)
	var ae *APIError
	if !errors.Is(err, ErrUnprocessable) || !errors.As(err, &ae) || len(ae.Details["title"]) != 1 {
		t.Errorf("Create: %v", err)
	}
}

package mastodon

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"testing"

	"github.com/tuskgo/mastodon/internal/corpus"
)

func suggestionsReplay(cases *replayTable) {
	cases.add("GET /api/v2/suggestions", func(ctx context.Context, c *Client, it *corpus.Interaction) error {
		n, _ := strconv.Atoi(rquery(it, "limit"))
		_, err := c.Suggestions.List(ctx, &SuggestionsOptions{Limit: n})
		return err
	})
	cases.add("GET /api/v1/suggestions", func(ctx context.Context, c *Client, it *corpus.Interaction) error {
		n, _ := strconv.Atoi(rquery(it, "limit"))
		_, err := c.Suggestions.ListV1(ctx, &SuggestionsOptions{Limit: n})
		return err
	})
	cases.add("DELETE /api/v1/suggestions/{account_id}", func(ctx context.Context, c *Client, it *corpus.Interaction) error {
		return c.Suggestions.Remove(ctx, it.PathParam("account_id"))
	})
}

func TestSuggestions(t *testing.T) {
	c, mux, _ := setup(t)
	mux.HandleFunc("/api/v2/suggestions", func(w http.ResponseWriter, r *http.Request) {
		testMethod(t, r, "GET")
		testHeader(t, r, "Authorization", "Bearer "+testToken)
		testQuery(t, r, "limit=5")
		fmt.Fprint(w, `[{"source":"past_interactions","sources":["featured","brand_new_source"],"account":{"id":"784058","username":"katie"}}]`)
	})
	mux.HandleFunc("/api/v1/suggestions", func(w http.ResponseWriter, r *http.Request) {
		testQuery(t, r, "")
		fmt.Fprint(w, `[{"id":"1","username":"old"}]`)
	})
	mux.HandleFunc("/api/v1/suggestions/784058", func(w http.ResponseWriter, r *http.Request) {
		testMethod(t, r, "DELETE")
		fmt.Fprint(w, `{}`)
	})
	ctx := context.Background()
	ss, err := c.Suggestions.List(ctx, &SuggestionsOptions{Limit: 5})
	if err != nil || len(ss) != 1 || ss[0].Account.Username != "katie" || len(ss[0].Sources) != 2 || ss[0].Sources[1] != "brand_new_source" {
		t.Fatalf("List: %+v %v", ss, err)
	}
	if as, err := c.Suggestions.ListV1(ctx, nil); err != nil || as[0].Username != "old" {
		t.Fatalf("ListV1: %+v %v", as, err)
	}
	if err := c.Suggestions.Remove(ctx, "784058"); err != nil {
		t.Fatal(err)
	}
	if err := c.Suggestions.Remove(ctx, ""); !errors.Is(err, ErrIllegalArgument) {
		t.Errorf("empty id: %v", err)
	}
}

package mastodon

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/tuskgo/mastodon/internal/corpus"
)

func domainBlocksReplay(cases *replayTable) {
	cases.add("GET /api/v1/domain_blocks", func(ctx context.Context, c *Client, it *corpus.Interaction) error {
		_, err := c.DomainBlocks.List(ctx, recordedListOptions(it))
		return err
	})
}

func TestDomainBlocksList(t *testing.T) {
	c, mux, _ := setup(t)
	mux.HandleFunc("/api/v1/domain_blocks", func(w http.ResponseWriter, r *http.Request) {
		testMethod(t, r, "GET")
		testHeader(t, r, "Authorization", "Bearer "+testToken)
		switch r.URL.Query().Get("max_id") {
		case "":
			if r.URL.RawQuery != "" {
				testQuery(t, r, "limit=1&min_id=3&since_id=2")
			}
			w.Header().Set("Link", `<http://`+r.Host+`/api/v1/domain_blocks?max_id=9&limit=1>; rel="next"`)
			fmt.Fprint(w, `["a"]`)
		case "9":
			testQuery(t, r, "max_id=9&limit=1")
			fmt.Fprint(w, `["b"]`)
		}
	})
	p, err := c.DomainBlocks.List(context.Background(), &ListOptions{Limit: 1, MinID: "3", SinceID: "2"})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Items) != 1 || !p.HasNext() {
		t.Fatalf("page %+v", p)
	}
	var got []string
	for x, err := range c.DomainBlocks.ListAll(context.Background(), nil) {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, *x)
	}
	if strings.Join(got, ",") != "a,b" {
		t.Errorf("iterated %v", got)
	}
	testErrorKinds(t, "/api/v1/domain_blocks", func(c *Client, _ string) error { _, err := c.DomainBlocks.List(context.Background(), nil); return err })
}

func TestDomainBlocksBlockUnblock(t *testing.T) {
	c, mux, _ := setup(t)
	var calls []string
	mux.HandleFunc("/api/v1/domain_blocks", func(w http.ResponseWriter, r *http.Request) {
		calls = append(calls, r.Method)
		testForm(t, r, "domain=spam.example")
		fmt.Fprint(w, `{}`)
	})
	if err := c.DomainBlocks.Block(context.Background(), " spam.example "); err != nil {
		t.Fatal(err)
	}
	if err := c.DomainBlocks.Unblock(context.Background(), "spam.example"); err != nil {
		t.Fatal(err)
	}
	if strings.Join(calls, ",") != "POST,DELETE" {
		t.Errorf("calls %v", calls)
	}
	for _, bad := range []string{"", " ", "a/b", "a b"} {
		if err := c.DomainBlocks.Block(context.Background(), bad); !errors.Is(err, ErrIllegalArgument) {
			t.Errorf("Block(%q): err = %v", bad, err)
		}
		if err := c.DomainBlocks.Unblock(context.Background(), bad); !errors.Is(err, ErrIllegalArgument) {
			t.Errorf("Unblock(%q): err = %v", bad, err)
		}
	}
}

func domainBlockEditsReplay(cases *replayTable) {
	cases.add("POST /api/v1/domain_blocks", func(ctx context.Context, c *Client, it *corpus.Interaction) error {
		return c.DomainBlocks.Block(ctx, rform(it, "domain"))
	})
	cases.add("DELETE /api/v1/domain_blocks", func(ctx context.Context, c *Client, it *corpus.Interaction) error {
		return c.DomainBlocks.Unblock(ctx, rform(it, "domain"))
	})
}

package mastodon

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/tuskgo/mastodon/internal/corpus"
)

func bookmarksReplay(cases *replayTable) {
	cases.add("GET /api/v1/bookmarks", func(ctx context.Context, c *Client, it *corpus.Interaction) error {
		_, err := c.Bookmarks.List(ctx, recordedListOptions(it))
		return err
	})
}

func TestBookmarksList(t *testing.T) {
	c, mux, _ := setup(t)
	mux.HandleFunc("/api/v1/bookmarks", func(w http.ResponseWriter, r *http.Request) {
		testMethod(t, r, "GET")
		testHeader(t, r, "Authorization", "Bearer "+testToken)
		switch r.URL.Query().Get("max_id") {
		case "":
			if r.URL.RawQuery != "" {
				testQuery(t, r, "limit=1&min_id=3&since_id=2")
			}
			w.Header().Set("Link", `<http://`+r.Host+`/api/v1/bookmarks?max_id=9&limit=1>; rel="next"`)
			fmt.Fprint(w, `[{"id":"a","content":"<p>x</p>","visibility":"public"}]`)
		case "9":
			testQuery(t, r, "max_id=9&limit=1")
			fmt.Fprint(w, `[{"id":"b","content":"<p>x</p>","visibility":"public"}]`)
		}
	})
	p, err := c.Bookmarks.List(context.Background(), &ListOptions{Limit: 1, MinID: "3", SinceID: "2"})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Items) != 1 || !p.HasNext() {
		t.Fatalf("page %+v", p)
	}
	var got []string
	for x, err := range c.Bookmarks.ListAll(context.Background(), nil) {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, x.ID)
	}
	if strings.Join(got, ",") != "a,b" {
		t.Errorf("iterated %v", got)
	}
	testErrorKinds(t, "/api/v1/bookmarks", func(c *Client, _ string) error { _, err := c.Bookmarks.List(context.Background(), nil); return err })
}

package mastodon

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
)

func TestTrendsTags(t *testing.T) {
	c, mux, _ := setup(t)
	mux.HandleFunc("/api/v1/trends/tags", func(w http.ResponseWriter, r *http.Request) {
		testMethod(t, r, "GET")
		testHeader(t, r, "Authorization", "Bearer "+testToken)
		switch r.URL.Query().Get("offset") {
		case "":
			testQuery(t, r, "limit=2&lang=de")
			fmt.Fprintf(w, "["+tagJSON+","+tagJSON+"]", "a", "a", false, false, "b", "b", false, false)
		case "2":
			testQuery(t, r, "limit=2&offset=2&lang=de")
			fmt.Fprintf(w, "["+tagJSON+"]", "c", "c", false, false)
		case "3":
			testQuery(t, r, "limit=2&offset=3&lang=de")
			fmt.Fprint(w, "[]")
		default:
			t.Errorf("query %s", r.URL.RawQuery)
			fmt.Fprint(w, "[]")
		}
	})
	ctx := context.Background()
	o := &TrendsOptions{Limit: 2}
	p, err := c.Trends.Tags(ctx, o, CallLanguage("de"))
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Items) != 2 || p.Items[1].Name != "b" || !p.HasNext() || p.HasPrev() {
		t.Fatalf("page %+v", p)
	}
	var got []string
	for tag, err := range c.Trends.TagsAll(ctx, o, CallLanguage("de")) {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, tag.Name)
	}
	if strings.Join(got, ",") != "a,b,c" {
		t.Errorf("iterated %v", got)
	}
	if o.Offset != 0 || o.Limit != 2 {
		t.Errorf("options changed: %+v", o)
	}
	if _, err := c.Trends.Tags(ctx, &TrendsOptions{Offset: -1}); !errors.Is(err, ErrIllegalArgument) {
		t.Errorf("negative offset: err = %v", err)
	}
	if _, err := c.Trends.Tags(ctx, nil, CallLanguage("not a language")); !errors.Is(err, ErrIllegalArgument) {
		t.Errorf("bad language: err = %v", err)
	}
}

func TestTrendsTagsFallsBackOnOldServers(t *testing.T) {
	c, mux, _ := setup(t)
	mux.HandleFunc("/api/v1/trends/tags", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusNotFound)
		fmt.Fprint(w, `<html>The page you were looking for doesn't exist</html>`)
	})
	mux.HandleFunc("/api/v1/trends", func(w http.ResponseWriter, r *http.Request) {
		testMethod(t, r, "GET")
		testQuery(t, r, "limit=5")
		fmt.Fprintf(w, "["+tagJSON+"]", "old", "old", false, false)
	})
	p, err := c.Trends.Tags(context.Background(), &TrendsOptions{Limit: 5})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Items) != 1 || p.Items[0].Name != "old" {
		t.Errorf("page %+v", p.Items)
	}
}

func TestTrendsStatusesAndLinks(t *testing.T) {
	c, mux, _ := setup(t)
	mux.HandleFunc("/api/v1/trends/statuses", func(w http.ResponseWriter, r *http.Request) {
		testMethod(t, r, "GET")
		switch r.URL.Query().Get("offset") {
		case "":
			testQuery(t, r, "limit=1")
			fmt.Fprint(w, `[{"id":"1","content":"<p>hot</p>","visibility":"public","account":{"id":"9","username":"u","acct":"u"}}]`)
		default:
			testQuery(t, r, "limit=1&offset=1")
			fmt.Fprint(w, `[]`)
		}
	})
	mux.HandleFunc("/api/v1/trends/links", func(w http.ResponseWriter, r *http.Request) {
		testMethod(t, r, "GET")
		switch r.URL.Query().Get("offset") {
		case "":
			testQuery(t, r, "")
			fmt.Fprint(w, `[{"url":"https://news.example/a","title":"A","description":"d","type":"link","history":[{"day":"1785542400","accounts":"3","uses":"4"}]}]`)
		case "1":
			fmt.Fprint(w, `[]`)
		}
	})
	ctx := context.Background()
	var ids []string
	for s, err := range c.Trends.StatusesAll(ctx, &TrendsOptions{Limit: 1}) {
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, s.ID+":"+s.Content)
	}
	if strings.Join(ids, ",") != "1:<p>hot</p>" {
		t.Errorf("statuses %v", ids)
	}
	lp, err := c.Trends.Links(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(lp.Items) != 1 || lp.Items[0].URL != "https://news.example/a" || lp.Items[0].Title != "A" || len(lp.Items[0].History) != 1 {
		t.Errorf("links %+v", lp.Items)
	}
	n := 0
	for _, err := range c.Trends.LinksAll(ctx, nil) {
		if err != nil {
			t.Fatal(err)
		}
		n++
	}
	if n != 1 {
		t.Errorf("iterated %d links", n)
	}
	testErrorKinds(t, "/api/v1/trends/links", func(c *Client, _ string) error { _, err := c.Trends.Links(context.Background(), nil); return err })
	testErrorKinds(t, "/api/v1/trends/statuses", func(c *Client, _ string) error {
		_, err := c.Trends.Statuses(context.Background(), nil)
		return err
	})
}

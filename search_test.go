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

func searchReplay(cases *replayTable) {
	cases.add("GET /api/v2/search", func(ctx context.Context, c *Client, it *corpus.Interaction) error {
		isTrue := func(k string) bool { b := rbool(rquery(it, k)); return b != nil && *b }
		o := &SearchOptions{Type: SearchType(rquery(it, "type")), Resolve: isTrue("resolve"), Following: isTrue("following"),
			ExcludeUnreviewed: isTrue("exclude_unreviewed"), AccountID: rquery(it, "account_id"),
			MaxID: rquery(it, "max_id"), MinID: rquery(it, "min_id")}
		o.Limit, _ = strconv.Atoi(rquery(it, "limit"))
		o.Offset, _ = strconv.Atoi(rquery(it, "offset"))
		_, err := c.Search.Query(ctx, rquery(it, "q"), o)
		return err
	})
	cases.add("GET /api/v1/search", func(ctx context.Context, c *Client, it *corpus.Interaction) error {
		b := rbool(rquery(it, "resolve"))
		_, err := c.Search.QueryV1(ctx, rquery(it, "q"), b != nil && *b)
		return err
	})
}

const searchSampleJSON = `{"accounts":[{"id":"1","username":"mastodonpy_test"}],"statuses":[{"id":"2","content":"<p>x</p>"}],"hashtags":[{"name":"cats","url":"https://x/tags/cats","history":[]}]}`

func TestSearchQuery(t *testing.T) {
	c, mux, _ := setup(t)
	mux.HandleFunc("/api/v2/search", func(w http.ResponseWriter, r *http.Request) {
		testMethod(t, r, "GET")
		testHeader(t, r, "Authorization", "Bearer "+testToken)
		testQuery(t, r, "q=cats+%26+dogs&type=statuses&resolve=true&following=true&account_id=5&exclude_unreviewed=true&max_id=9&min_id=1&limit=3&offset=6")
		fmt.Fprint(w, searchSampleJSON)
	})
	o := &SearchOptions{Type: SearchStatuses, Resolve: true, Following: true, AccountID: "5", ExcludeUnreviewed: true, MaxID: "9", MinID: "1", Limit: 3, Offset: 6}
	want := *o
	res, err := c.Search.Query(context.Background(), "cats & dogs", o)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Accounts) != 1 || res.Accounts[0].Username != "mastodonpy_test" || len(res.Statuses) != 1 || res.Hashtags[0].Name != "cats" {
		t.Errorf("decoded %+v", res)
	}
	if *o != want {
		t.Error("options changed")
	}
	if _, err := c.Search.Query(context.Background(), " ", nil); !errors.Is(err, ErrIllegalArgument) {
		t.Errorf("empty query: %v", err)
	}
}

func TestSearchV1Fallback(t *testing.T) {
	v1 := func(t *testing.T, mux *http.ServeMux) {
		mux.HandleFunc("/api/v1/search", func(w http.ResponseWriter, r *http.Request) {
			testQuery(t, r, "q=cats&resolve=true")
			fmt.Fprint(w, `{"accounts":[],"statuses":[],"hashtags":["cats","catsofmastodon"]}`)
		})
	}
	// Known to be old: straight to v1, hashtags become Tags.
	c, mux, _ := setup(t, WithServerVersion("2.3.0"))
	v1(t, mux)
	res, err := c.Search.Query(context.Background(), "cats", &SearchOptions{Resolve: true, Type: SearchHashtags})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Hashtags) != 2 || res.Hashtags[1].Name != "catsofmastodon" {
		t.Errorf("hashtags %+v", res.Hashtags)
	}
	// Version unknown, v2 missing: detect, then v1.
	c2, mux2, _ := setup(t)
	v1(t, mux2)
	mux2.HandleFunc("/api/v2/search", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNotFound) })
	mux2.HandleFunc("/api/v2/instance", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNotFound) })
	mux2.HandleFunc("/api/v1/instance", func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, `{"version":"2.2.0"}`) })
	mux2.HandleFunc("/.well-known/nodeinfo", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNotFound) })
	if res, err := c2.Search.Query(context.Background(), "cats", &SearchOptions{Resolve: true}); err != nil || len(res.Hashtags) != 2 {
		t.Errorf("fallback: %+v %v", res, err)
	}
	// A version check refusing v2 also leads to v1.
	c3, mux3, _ := setup(t, WithServerVersion("2.0.0"), WithVersionCheck(VersionCheckCreated))
	v1(t, mux3)
	if res, err := c3.Search.Query(context.Background(), "cats", &SearchOptions{Resolve: true}); err != nil || len(res.Hashtags) != 2 {
		t.Errorf("checked fallback: %+v %v", res, err)
	}
	// A current server's 404 is returned as it is.
	c4, mux4, _ := setup(t, WithServerVersion("4.2.0"))
	mux4.HandleFunc("/api/v2/search", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNotFound) })
	if _, err := c4.Search.Query(context.Background(), "cats", nil); !errors.Is(err, ErrNotFound) {
		t.Errorf("404 on 4.2: %v", err)
	}
}

func TestSearchV1BadHashtags(t *testing.T) {
	c, mux, _ := setup(t)
	mux.HandleFunc("/api/v1/search", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `{"accounts":[],"statuses":[],"hashtags":[{"name":"ok"},42]}`)
	})
	if _, err := c.Search.QueryV1(context.Background(), "x", false); !errors.Is(err, ErrDecode) {
		t.Errorf("bad hashtag: %v", err)
	}
}

func TestSearchTypedOffsetPages(t *testing.T) {
	c, mux, _ := setup(t)
	mux.HandleFunc("/api/v2/search", func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		switch q.Get("type") {
		case "accounts":
			switch q.Get("offset") {
			case "":
				testQuery(t, r, "q=bob&type=accounts&limit=2&resolve=true")
				fmt.Fprint(w, `{"accounts":[{"id":"1"},{"id":"2"}],"statuses":[],"hashtags":[]}`)
			case "2":
				testQuery(t, r, "q=bob&type=accounts&limit=2&resolve=true&offset=2")
				fmt.Fprint(w, `{"accounts":[{"id":"3"}],"statuses":[],"hashtags":[]}`)
			default:
				testQuery(t, r, "q=bob&type=accounts&limit=2&resolve=true&offset=3")
				fmt.Fprint(w, `{"accounts":[],"statuses":[],"hashtags":[]}`)
			}
		case "statuses":
			testQuery(t, r, "q=bob&type=statuses&account_id=1")
			fmt.Fprint(w, `{"accounts":[],"statuses":[{"id":"s1"}],"hashtags":[]}`)
		case "hashtags":
			testQuery(t, r, "q=bob&type=hashtags&offset=4")
			fmt.Fprint(w, `{"accounts":[],"statuses":[],"hashtags":[{"name":"bobcat"}]}`)
		}
	})
	ctx := context.Background()
	var ids []string
	for a, err := range c.Search.AccountsAll(ctx, "bob", &SearchOptions{Limit: 2, Resolve: true}) {
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, a.ID)
	}
	if fmt.Sprint(ids) != "[1 2 3]" {
		t.Errorf("accounts %v", ids)
	}
	if p, err := c.Search.Statuses(ctx, "bob", &SearchOptions{AccountID: "1", Type: SearchHashtags}); err != nil || len(p.Items) != 1 || p.Items[0].ID != "s1" || !p.HasNext() {
		t.Errorf("Statuses: %+v %v", p, err)
	}
	if p, err := c.Search.Hashtags(ctx, "bob", &SearchOptions{Offset: 4}); err != nil || p.Items[0].Name != "bobcat" {
		t.Errorf("Hashtags: %+v %v", p, err)
	}
	for range c.Search.StatusesAll(ctx, "", nil) {
	}
	if _, err := c.Search.Accounts(ctx, "", nil); !errors.Is(err, ErrIllegalArgument) {
		t.Errorf("empty query: %v", err)
	}
}

func FuzzDecodeSearchV1(f *testing.F) {
	f.Add([]byte(`{"accounts":[],"statuses":[],"hashtags":["cats",{"name":"dogs"}]}`))
	f.Add([]byte(`{"hashtags":[42]}`))
	f.Add([]byte(`{"accounts":[{"id":1}],"hashtags":["\u0000"]}`))
	f.Add([]byte(`[`))
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := decodeSearchV1(data)
		if err == nil && s == nil {
			t.Fatal("nil result without an error")
		}
	})
}

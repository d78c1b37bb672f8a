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

// rTimelineOptions rebuilds the options of a recorded timeline request.
func rTimelineOptions(it *corpus.Interaction) *TimelineOptions {
	o := &TimelineOptions{
		MaxID:   rquery(it, "max_id"),
		SinceID: rquery(it, "since_id"),
		MinID:   rquery(it, "min_id"),
	}
	o.Limit, _ = strconv.Atoi(rquery(it, "limit"))
	isTrue := func(k string) bool { b := rbool(rquery(it, k)); return b != nil && *b }
	o.Local, o.Remote, o.OnlyMedia = isTrue("local"), isTrue("remote"), isTrue("only_media")
	return o
}

// asRecorded returns a client without a token when the recorded request
// carried none (Mastodon.py's anonymous client), else c.
func asRecorded(c *Client, it *corpus.Interaction) *Client {
	if it.Request.Header("authorization") != "" {
		return c
	}
	anon, err := newScannedClient(c.BaseURL(), WithRetryPolicy(RetryPolicy{}), WithRateLimit(RateLimitThrow))
	if err != nil {
		panic(err)
	}
	return anon
}

func timelinesReplay(cases *replayTable) {
	cases.add("GET /api/v1/timelines/home", func(ctx context.Context, c *Client, it *corpus.Interaction) error {
		_, err := asRecorded(c, it).Timelines.Home(ctx, rTimelineOptions(it))
		return err
	})
	cases.add("GET /api/v1/timelines/public", func(ctx context.Context, c *Client, it *corpus.Interaction) error {
		_, err := asRecorded(c, it).Timelines.Public(ctx, rTimelineOptions(it))
		return err
	})
	cases.add("GET /api/v1/timelines/tag/{hashtag}", func(ctx context.Context, c *Client, it *corpus.Interaction) error {
		o := &HashtagTimelineOptions{TimelineOptions: *rTimelineOptions(it),
			Any: it.Request.Query["any[]"], All: it.Request.Query["all[]"], None: it.Request.Query["none[]"]}
		_, err := c.Timelines.Hashtag(ctx, it.PathParam("hashtag"), o)
		return err
	})
	cases.add("GET /api/v1/timelines/list/{list_id}", func(ctx context.Context, c *Client, it *corpus.Interaction) error {
		_, err := c.Timelines.List(ctx, it.PathParam("list_id"), rTimelineOptions(it))
		return err
	})
	cases.add("GET /api/v1/timelines/link", func(ctx context.Context, c *Client, it *corpus.Interaction) error {
		_, err := c.Timelines.Link(ctx, rquery(it, "url"), rTimelineOptions(it))
		return err
	})
}

const statusesSampleJSON = `[{"id":"103","content":"<p>hi</p>","visibility":"public","account":{"id":"1","username":"a"}},{"id":"102","content":"<p>yo</p>","visibility":"unlisted","account":{"id":"2","username":"b"}}]`

func TestTimelinesHome(t *testing.T) {
	c, mux, _ := setup(t)
	mux.HandleFunc("/api/v1/timelines/home", func(w http.ResponseWriter, r *http.Request) {
		testMethod(t, r, "GET")
		testQuery(t, r, "limit=40&max_id=200&min_id=5&since_id=4")
		testHeader(t, r, "Authorization", "Bearer "+testToken)
		w.Header().Set("Link", `<`+"http://x.invalid"+`/api/v1/timelines/home?limit=40&max_id=102>; rel="next", </api/v1/timelines/home?limit=40&min_id=103>; rel="prev"`)
		fmt.Fprint(w, statusesSampleJSON)
	})
	opts := &TimelineOptions{Limit: 40, MaxID: "200", MinID: "5", SinceID: "4"}
	want := *opts
	page, err := c.Timelines.Home(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Items) != 2 || page.Items[0].ID != "103" || page.Items[1].Visibility != "unlisted" || page.Items[0].Account.Username != "a" {
		t.Errorf("decoded %+v", page.Items)
	}
	if !page.HasNext() || !page.HasPrev() {
		t.Errorf("cursors: next %v prev %v", page.HasNext(), page.HasPrev())
	}
	if *opts != want {
		t.Errorf("options changed: %+v", opts)
	}
}

func TestTimelinesHomeAllFollowsLinks(t *testing.T) {
	c, mux, _ := setup(t)
	calls := 0
	mux.HandleFunc("/api/v1/timelines/home", func(w http.ResponseWriter, r *http.Request) {
		calls++
		switch r.URL.Query().Get("max_id") {
		case "":
			testQuery(t, r, "limit=2")
			w.Header().Set("Link", `</api/v1/timelines/home?limit=2&max_id=102>; rel="next"`)
			fmt.Fprint(w, statusesSampleJSON)
		case "102":
			testQuery(t, r, "limit=2&max_id=102")
			w.Header().Set("Link", `</api/v1/timelines/home?limit=2&max_id=101>; rel="next"`)
			fmt.Fprint(w, `[{"id":"101"}]`)
		default:
			fmt.Fprint(w, `[]`)
		}
	})
	var ids []string
	for s, err := range c.Timelines.HomeAll(context.Background(), &TimelineOptions{Limit: 2}) {
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, s.ID)
	}
	if fmt.Sprint(ids) != "[103 102 101]" || calls != 3 {
		t.Errorf("ids %v after %d calls", ids, calls)
	}
}

func TestTimelinesPublicAndLocal(t *testing.T) {
	c, mux, _ := setup(t)
	var gotQuery []string
	mux.HandleFunc("/api/v1/timelines/public", func(w http.ResponseWriter, r *http.Request) {
		testMethod(t, r, "GET")
		gotQuery = append(gotQuery, canonQuery(t, r.URL.RawQuery))
		fmt.Fprint(w, statusesSampleJSON)
	})
	ctx := context.Background()
	if _, err := c.Timelines.Public(ctx, &TimelineOptions{Remote: true, OnlyMedia: true, Limit: 5}); err != nil {
		t.Fatal(err)
	}
	opts := &TimelineOptions{OnlyMedia: true}
	if _, err := c.Timelines.Local(ctx, opts); err != nil {
		t.Fatal(err)
	}
	if opts.Local {
		t.Error("Local set Local on the caller's options")
	}
	if _, err := c.Timelines.Local(ctx, nil); err != nil {
		t.Fatal(err)
	}
	want := []string{"limit=5&only_media=true&remote=true", "local=true&only_media=true", "local=true"}
	if fmt.Sprint(gotQuery) != fmt.Sprint(want) {
		t.Errorf("queries %q, want %q", gotQuery, want)
	}
}

func TestTimelinesHashtag(t *testing.T) {
	c, mux, _ := setup(t)
	mux.HandleFunc("/api/v1/timelines/tag/", func(w http.ResponseWriter, r *http.Request) {
		testMethod(t, r, "GET")
		if r.URL.EscapedPath() != "/api/v1/timelines/tag/caf%C3%A9" {
			t.Errorf("path %s", r.URL.EscapedPath())
		}
		testQuery(t, r, "any[]=a&any[]=b&all[]=c&none[]=d&local=true&only_media=true&limit=3")
		fmt.Fprint(w, statusesSampleJSON)
	})
	page, err := c.Timelines.Hashtag(context.Background(), "#café", &HashtagTimelineOptions{
		TimelineOptions: TimelineOptions{Local: true, OnlyMedia: true, Limit: 3},
		Any:             []string{"a", "b"}, All: []string{"c"}, None: []string{"d"},
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Items) != 2 {
		t.Errorf("got %d statuses", len(page.Items))
	}
	for _, bad := range []string{"", "#", "  "} {
		if _, err := c.Timelines.Hashtag(context.Background(), bad, nil); !errors.Is(err, ErrIllegalArgument) {
			t.Errorf("Hashtag(%q) err = %v, want ErrIllegalArgument", bad, err)
		}
	}
}

func TestTimelinesListLinkDirect(t *testing.T) {
	c, mux, _ := setup(t)
	mux.HandleFunc("/api/v1/timelines/list/42", func(w http.ResponseWriter, r *http.Request) {
		testMethod(t, r, "GET")
		testQuery(t, r, "max_id=9")
		fmt.Fprint(w, statusesSampleJSON)
	})
	mux.HandleFunc("/api/v1/timelines/link", func(w http.ResponseWriter, r *http.Request) {
		testMethod(t, r, "GET")
		testQuery(t, r, "url=https%3A%2F%2Fnews.example%2Fa%3Fb%3Dc&limit=2")
		fmt.Fprint(w, statusesSampleJSON)
	})
	mux.HandleFunc("/api/v1/timelines/direct", func(w http.ResponseWriter, r *http.Request) {
		testMethod(t, r, "GET")
		testQuery(t, r, "")
		fmt.Fprint(w, `[]`)
	})
	ctx := context.Background()
	if p, err := c.Timelines.List(ctx, "42", &TimelineOptions{MaxID: "9"}); err != nil || len(p.Items) != 2 {
		t.Errorf("List: %v %v", p, err)
	}
	if p, err := c.Timelines.Link(ctx, "https://news.example/a?b=c", &TimelineOptions{Limit: 2}); err != nil || len(p.Items) != 2 {
		t.Errorf("Link: %v %v", p, err)
	}
	if p, err := c.Timelines.Direct(ctx, nil); err != nil || len(p.Items) != 0 || p.HasNext() {
		t.Errorf("Direct: %v %v", p, err)
	}
	if _, err := c.Timelines.List(ctx, "", nil); !errors.Is(err, ErrIllegalArgument) {
		t.Errorf("List with empty id: %v", err)
	}
	if _, err := c.Timelines.Link(ctx, "", nil); !errors.Is(err, ErrIllegalArgument) {
		t.Errorf("Link with empty URL: %v", err)
	}
}

func TestTimelinesBadAnswers(t *testing.T) {
	c, mux, _ := setup(t)
	mux.HandleFunc("/api/v1/timelines/home", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusUnauthorized)
		fmt.Fprint(w, `{"error":"The access token is invalid"}`)
	})
	mux.HandleFunc("/api/v1/timelines/public", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprint(w, `<html><body>Bad gateway</body></html>`)
	})
	mux.HandleFunc("/api/v1/timelines/direct", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `[{"id":"1","content":`)
	})
	ctx := context.Background()
	_, err := c.Timelines.Home(ctx, nil)
	var ae *APIError
	if !errors.Is(err, ErrUnauthorized) || !errors.As(err, &ae) || ae.Code != "The access token is invalid" {
		t.Errorf("Home: %v", err)
	}
	if _, err := c.Timelines.Public(ctx, nil); !errors.Is(err, ErrDecode) {
		t.Errorf("Public with HTML: %v", err)
	}
	if _, err := c.Timelines.Direct(ctx, nil); !errors.Is(err, ErrDecode) {
		t.Errorf("Direct with truncated JSON: %v", err)
	}
	n := 0
	for _, err := range c.Timelines.HomeAll(ctx, nil) {
		n++
		if !errors.Is(err, ErrUnauthorized) {
			t.Errorf("HomeAll: %v", err)
		}
	}
	if n != 1 {
		t.Errorf("HomeAll yielded %d times", n)
	}
}

func TestTimelinesIsAvailable(t *testing.T) {
	c, mux, _ := setup(t)
	access := `{"live_feeds":{"local":"public","remote":"authenticated"},"hashtag_feeds":{"local":"authenticated","remote":"disabled"},"trending_link_feeds":{"local":"public","remote":"public"}}`
	instance := func() string {
		return `{"domain":"x.example","version":"4.5.0","configuration":{"timelines_access":` + access + `}}`
	}
	requests := 0
	mux.HandleFunc("/api/v2/instance", func(w http.ResponseWriter, r *http.Request) {
		requests++
		testMethod(t, r, "GET")
		fmt.Fprint(w, instance())
	})
	no, yes := false, true
	ctx := context.Background()
	cases := []struct {
		tl   Timeline
		opts *TimelineAvailabilityOptions
		want bool
	}{
		{TimelineHome, nil, true},
		{TimelineHome, &TimelineAvailabilityOptions{WithAuth: &no}, false},
		{"list/12", nil, true},
		{TimelinePublic, nil, true},
		{TimelinePublic, &TimelineAvailabilityOptions{WithAuth: &no}, false},
		{TimelinePublic, &TimelineAvailabilityOptions{Local: true, WithAuth: &no}, true},
		{TimelineLocal, &TimelineAvailabilityOptions{WithAuth: &no}, true},
		{TimelinePublic, &TimelineAvailabilityOptions{Remote: true, WithAuth: &yes}, true},
		{TimelineHashtag, nil, false},
		{"tag/cats", &TimelineAvailabilityOptions{Local: true}, true},
		{"tag/cats", &TimelineAvailabilityOptions{Local: true, WithAuth: &no}, false},
		{TimelineLink, &TimelineAvailabilityOptions{WithAuth: &no}, true},
	}
	for _, tc := range cases {
		got, err := c.Timelines.IsAvailable(ctx, tc.tl, tc.opts)
		if err != nil {
			t.Fatalf("%s: %v", tc.tl, err)
		}
		if got != tc.want {
			t.Errorf("IsAvailable(%s, %+v) = %v, want %v", tc.tl, tc.opts, got, tc.want)
		}
	}
	if _, err := c.Timelines.IsAvailable(ctx, "bogus", nil); !errors.Is(err, ErrIllegalArgument) {
		t.Errorf("unknown timeline: %v", err)
	}
	// A server that does not publish timelines_access is not guessed
	// about: the timeline itself answers.
	access = `null`
	tagStatus := http.StatusOK
	mux.HandleFunc("/api/v1/timelines/tag/cats", func(w http.ResponseWriter, r *http.Request) {
		testQuery(t, r, "limit=1")
		w.WriteHeader(tagStatus)
		fmt.Fprint(w, `[]`)
	})
	if ok, err := c.Timelines.IsAvailable(ctx, "tag/cats", nil); err != nil || !ok {
		t.Errorf("without timelines_access, tag answers 200: %v %v", ok, err)
	}
	tagStatus = http.StatusUnauthorized
	if ok, err := c.Timelines.IsAvailable(ctx, "tag/cats", nil); err != nil || ok {
		t.Errorf("without timelines_access, tag answers 401: %v %v", ok, err)
	}
	if requests == 0 {
		t.Error("the instance was never asked")
	}
}

func TestTimelinesIsAvailableOldServerAndErrors(t *testing.T) {
	c, mux, _ := setup(t)
	status := http.StatusNotFound
	mux.HandleFunc("/api/v2/instance", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(status)
		fmt.Fprint(w, `{"error":"nope"}`)
	})
	var probe *http.Request
	mux.HandleFunc("/api/v1/timelines/public", func(w http.ResponseWriter, r *http.Request) {
		probe = r
		fmt.Fprint(w, `[]`)
	})
	ok, err := c.Timelines.IsAvailable(context.Background(), TimelinePublic, &TimelineAvailabilityOptions{Local: true, WithAuth: Ptr(false)})
	if err != nil || !ok {
		t.Errorf("old server: %v %v", ok, err)
	}
	if probe == nil || probe.Header.Get("Authorization") != "" || probe.URL.RawQuery != "limit=1&local=true" {
		t.Errorf("old server: probe %+v; want an anonymous GET ?limit=1&local=true", probe)
	}
	status = http.StatusInternalServerError
	if _, err := c.Timelines.IsAvailable(context.Background(), TimelinePublic, nil); !errors.Is(err, ErrServer) {
		t.Errorf("500: %v", err)
	}
}

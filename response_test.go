package mastodon

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"reflect"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func TestParseLinkHeader(t *testing.T) {
	h := `<https://mastodon.example/api/v1/timelines/home?limit=2&max_id=109&exclude_types%5B%5D=follow&exclude_types%5B%5D=mention>; rel="next", <https://mastodon.example/api/v1/timelines/home?limit=2&min_id=111>; rel="prev"`
	links := ParseLinkHeader(h)
	if len(links) != 2 || links[0].Rel != "next" || links[1].Rel != "prev" {
		t.Fatalf("links = %+v", links)
	}
	u, _ := url.Parse(links[0].URL)
	q := u.Query()
	if q.Get("max_id") != "109" || q.Get("limit") != "2" || len(q["exclude_types[]"]) != 2 {
		t.Errorf("next query lost parameters: %v", q)
	}
	cases := map[string][]Link{
		``:                            nil,
		`garbage`:                     nil,
		`<a>; rel=next`:               {{"a", "next"}},
		`</rel?x=1>; rel="next prev"`: {{"/rel?x=1", "next"}, {"/rel?x=1", "prev"}},
		`<a>; title="x, <y>"; rel=next, <b>; rel=prev`: {{"a", "next"}, {"b", "prev"}},
		`<a>; REL="Next"`: {{"a", "next"}},
		`<a`:              nil,
		`<a>; foo=bar`:    nil,
	}
	for in, want := range cases {
		got := ParseLinkHeader(in)
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("ParseLinkHeader(%q) = %v, want %v", in, got, want)
		}
	}
}

func FuzzParseLinkHeader(f *testing.F) {
	f.Add(`<https://x.example/api/v1/t?max_id=1>; rel="next", <https://x.example/api/v1/t?min_id=2>; rel="prev"`)
	f.Add(`<a>; title="x, <y>"; rel=next`)
	f.Add(`<<>>;;rel=",`)
	f.Add(`<https://x.example/a?b=1,2>; rel="next prev"; title="a, <b>", <c>;rel=LAST`)
	f.Fuzz(func(t *testing.T, s string) {
		links := ParseLinkHeader(s)
		var parts []string
		for _, l := range links {
			if l.Rel == "" || strings.ContainsAny(l.Rel, " \t\r\n") || l.Rel != strings.ToLower(l.Rel) {
				t.Fatalf("rel %q from %q", l.Rel, s)
			}
			if !strings.Contains(s, l.URL) || strings.Contains(l.URL, ">") {
				t.Fatalf("URL %q is not one of %q's", l.URL, s)
			}
			if strings.ContainsAny(l.Rel, `"\`) {
				return
			}
			parts = append(parts, "<"+l.URL+`>; rel="`+l.Rel+`"`)
		}
		// The links written back as a header parse to the same links.
		if again := ParseLinkHeader(strings.Join(parts, ", ")); fmt.Sprint(again) != fmt.Sprint(links) {
			t.Fatalf("%q → %v → %q → %v", s, links, strings.Join(parts, ", "), again)
		}
	})
}

func TestParseRateLimit(t *testing.T) {
	now := time.Date(2026, 8, 1, 13, 45, 0, 0, time.UTC)
	h := http.Header{}
	h.Set("X-RateLimit-Limit", "300")
	h.Set("X-RateLimit-Remaining", "299")
	h.Set("X-RateLimit-Reset", "2026-08-01T13:50:00.728310Z")
	rl := parseRateLimit(h, now, now)
	if !rl.Known || rl.Limit != 300 || rl.Remaining != 299 || !rl.Reset.Equal(time.Date(2026, 8, 1, 13, 50, 0, 728310000, time.UTC)) {
		t.Errorf("rl = %+v", rl)
	}
	// The server's clock is 60 s behind ours: its reset is 60 s later for us.
	rl = parseRateLimit(h, now.Add(-time.Minute), now)
	if want := time.Date(2026, 8, 1, 13, 51, 0, 728310000, time.UTC); !rl.Reset.Equal(want) {
		t.Errorf("skew-corrected reset = %v, want %v", rl.Reset, want)
	}
	h.Set("X-RateLimit-Reset", "30")
	if rl = parseRateLimit(h, time.Time{}, now); !rl.Reset.Equal(now.Add(30 * time.Second)) {
		t.Errorf("seconds reset = %v", rl.Reset)
	}
	h.Set("X-RateLimit-Remaining", "lots")
	if rl = parseRateLimit(h, now, now); rl.Known {
		t.Errorf("garbage remaining accepted: %+v", rl)
	}
}

// Retry-After is believed as far ahead as a rate-limit reset is
// (MaxRateLimitReset): the two say the same thing, and the waits the client
// does on a 429 take the later of them.
func TestRetryAfterBoundLikeReset(t *testing.T) {
	date := time.Date(2026, 8, 1, 13, 45, 0, 0, time.UTC)
	for _, tc := range []struct {
		header string
		want   time.Duration
	}{
		{"120", 2 * time.Minute},
		{"0", 0},
		{"7200", MaxRateLimitReset},
		{"99999999", MaxRateLimitReset},
		{date.Add(10 * time.Minute).Format(http.TimeFormat), 10 * time.Minute},
		{date.Add(3 * time.Hour).Format(http.TimeFormat), MaxRateLimitReset},
		{date.Add(-time.Minute).Format(http.TimeFormat), 0},
		{"soon", 0},
	} {
		h := http.Header{}
		h.Set("Date", date.Format(http.TimeFormat))
		h.Set("Retry-After", tc.header)
		if got := newResponse(&http.Response{StatusCode: 429, Header: h}).RetryAfter; got != tc.want {
			t.Errorf("Retry-After %q: %v, want %v", tc.header, got, tc.want)
		}
	}
}

func TestParseAsyncRefresh(t *testing.T) {
	a := parseAsyncRefresh(`id="ImNvbnRleHQ6MTEz--c5262", retry=5, result_count=2`)
	if a == nil || a.ID != "ImNvbnRleHQ6MTEz--c5262" || a.Retry != 5*time.Second || a.ResultCount == nil || *a.ResultCount != 2 {
		t.Fatalf("a = %+v", a)
	}
	if parseAsyncRefresh(`retry=5`) != nil {
		t.Error("header without id accepted")
	}
}

// pagedServer serves ids 1..n newest first with Mastodon-style Link headers.
func pagedServer(t *testing.T, mux *http.ServeMux, n int, calls *[]string) {
	mux.HandleFunc("/api/v1/items", func(w http.ResponseWriter, r *http.Request) {
		*calls = append(*calls, r.URL.RawQuery)
		q := r.URL.Query()
		limit, _ := strconv.Atoi(q.Get("limit"))
		if limit == 0 {
			limit = 2
		}
		maxID := n + 1
		if m := q.Get("max_id"); m != "" {
			maxID, _ = strconv.Atoi(m)
		}
		var items []string
		for id := maxID - 1; id >= 1 && len(items) < limit; id-- {
			items = append(items, fmt.Sprintf(`{"id":"%d"}`, id))
		}
		if len(items) > 0 {
			last := maxID - len(items)
			w.Header().Set("Link", fmt.Sprintf(`<http://%s/api/v1/items?limit=%d&max_id=%d&only_media=true>; rel="next", <http://%s/api/v1/items?limit=%d&min_id=%d>; rel="prev"`,
				r.Host, limit, last, r.Host, limit, maxID-1))
		}
		fmt.Fprint(w, "[")
		for i, it := range items {
			if i > 0 {
				fmt.Fprint(w, ",")
			}
			fmt.Fprint(w, it)
		}
		fmt.Fprint(w, "]")
	})
}

func TestPagination(t *testing.T) {
	c, mux, _ := setup(t)
	var calls []string
	pagedServer(t, mux, 5, &calls)
	ctx := context.Background()
	q := &thingQuery{Limit: 2}
	p, err := callList[thing](ctx, c, req{Method: "GET", Path: "/api/v1/items", Query: q}, nil)
	if err != nil || len(p.Items) != 2 || p.Items[0].ID != "5" || !p.HasNext() || !p.HasPrev() {
		t.Fatalf("first page: %+v %v", p, err)
	}
	p2, err := p.Next(ctx)
	if err != nil || len(p2.Items) != 2 || p2.Items[0].ID != "3" {
		t.Fatalf("second page: %+v %v", p2, err)
	}
	if calls[1] != "limit=2&max_id=4&only_media=true" {
		t.Errorf("next request query = %q: Link parameters not kept", calls[1])
	}
	if q.Limit != 2 {
		t.Errorf("caller's options mutated: %+v", q)
	}
	var ids []string
	for it, err := range p.All(ctx) {
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, it.ID)
	}
	if fmt.Sprint(ids) != "[5 4 3 2 1]" {
		t.Errorf("All = %v", ids)
	}
	// Breaking out early stops fetching.
	calls = nil
	for it := range iterate(ctx, func() (*Page[thing], error) {
		return callList[thing](ctx, c, req{Method: "GET", Path: "/api/v1/items", Query: q}, nil)
	}) {
		if it.ID == "4" {
			break
		}
	}
	if len(calls) != 1 {
		t.Errorf("iterator fetched %d pages for 2 items", len(calls))
	}
	var none *Page[thing]
	if n, err := none.Next(ctx); n != nil || err != nil {
		t.Error("Next on nil page")
	}
}

func TestPaginationStaysOnServer(t *testing.T) {
	c, mux, _ := setup(t)
	mux.HandleFunc("/api/v1/items", func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("max_id") != "" {
			t.Errorf("a cursor naming another host was re-targeted to the client's server")
		}
		w.Header().Set("Link", `<https://evil.example/api/v1/items?max_id=1>; rel="next"`)
		fmt.Fprint(w, `[{"id":"2"}]`)
	})
	p, err := callList[thing](context.Background(), c, req{Method: "GET", Path: "/api/v1/items"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	next, err := p.Next(context.Background())
	var de *DestinationError
	if next != nil || !errors.As(err, &de) || de.Origin != "https://evil.example" {
		t.Fatalf("next = %+v, %v: want the cursor refused, naming its origin", next, err)
	}
}

// sameResponse checks that CallResponse recorded the response a page came
// in, and that it is the answer for page want.
func sameResponse(t *testing.T, what string, recorded, page *Response, want string) {
	t.Helper()
	if page == nil {
		t.Fatalf("%s: page without a Response", what)
	}
	if recorded.StatusCode != page.StatusCode || recorded.Status != page.Status || !reflect.DeepEqual(recorded.Header, page.Header) ||
		!reflect.DeepEqual(recorded.Links, page.Links) || recorded.RateLimit != page.RateLimit ||
		!recorded.Received.Equal(page.Received) || !recorded.Date.Equal(page.Date) {
		t.Errorf("%s: CallResponse recorded %+v, the page came in %+v", what, recorded, page)
	}
	if got := page.Header.Get("X-Page"); got != want {
		t.Errorf("%s: response of page %q, want %q", what, got, want)
	}
}

// TestResponseMetadataOneWay: CallResponse records the last response a
// call received, a page's Response is the response it came in (so both
// agree, after retries too), Next, Prev and the …All iterators carry the
// call's options on so the recorded response follows the walk, a failed
// call records the failing answer, and Do reports through CallResponse
// like every other call.
func TestResponseMetadataOneWay(t *testing.T) {
	fast := WithRetryPolicy(RetryPolicy{MaxRetries: 1, MinBackoff: time.Millisecond, MaxBackoff: time.Millisecond})
	c, mux, _ := setup(t, fast)
	var attempts atomic.Int32
	mux.HandleFunc("/api/v1/timelines/home", func(w http.ResponseWriter, r *http.Request) {
		n, _ := strconv.Atoi(r.URL.Query().Get("page"))
		if n == 0 && attempts.Add(1) == 1 {
			w.Header().Set("X-Page", "failed attempt")
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		w.Header().Set("X-Page", strconv.Itoa(n))
		w.Header().Set("X-RateLimit-Limit", "300")
		w.Header().Set("X-RateLimit-Remaining", strconv.Itoa(300-n))
		var links []string
		if n < 2 {
			links = append(links, fmt.Sprintf(`</api/v1/timelines/home?page=%d>; rel="next"`, n+1))
		}
		if n > 0 {
			links = append(links, fmt.Sprintf(`</api/v1/timelines/home?page=%d>; rel="prev"`, n-1))
		}
		w.Header().Set("Link", strings.Join(links, ", "))
		fmt.Fprintf(w, `[{"id":"%d-a"},{"id":"%d-b"}]`, n, n)
	})
	mux.HandleFunc("/api/v1/directory", func(w http.ResponseWriter, r *http.Request) {
		off := r.URL.Query().Get("offset")
		w.Header().Set("X-Page", off)
		if off == "" {
			fmt.Fprint(w, `[{"id":"1"}]`)
			return
		}
		fmt.Fprint(w, `[]`)
	})
	mux.HandleFunc("/api/v1/timelines/tag/gone", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Page", "gone")
		w.WriteHeader(http.StatusGone)
		fmt.Fprint(w, `{"error":"gone"}`)
	})
	ctx := context.Background()

	var r Response
	p, err := c.Timelines.Home(ctx, nil, CallResponse(&r))
	if err != nil || attempts.Load() != 2 {
		t.Fatalf("Home: %v after %d attempts", err, attempts.Load())
	}
	sameResponse(t, "first page (after a retry)", &r, p.Response, "0")
	next, err := p.Next(ctx)
	if err != nil {
		t.Fatal(err)
	}
	sameResponse(t, "Next", &r, next.Response, "1")
	if r.RateLimit.Remaining != 299 || p.Response.Header.Get("X-Page") != "0" {
		t.Errorf("after Next: recorded %+v; the first page's own Response is page %q", r.RateLimit, p.Response.Header.Get("X-Page"))
	}
	prev, err := next.Prev(ctx)
	if err != nil {
		t.Fatal(err)
	}
	sameResponse(t, "Prev", &r, prev.Response, "0")

	var walked Response
	pages := 0
	for s, err := range c.Timelines.HomeAll(ctx, nil, CallResponse(&walked)) {
		if err != nil {
			t.Fatal(err)
		}
		if page, _, _ := strings.Cut(s.ID, "-"); walked.Header.Get("X-Page") != page {
			t.Errorf("item %s read while the recorded response is page %q's", s.ID, walked.Header.Get("X-Page"))
		}
		pages++
	}
	if pages != 6 || walked.Header.Get("X-Page") != "2" {
		t.Errorf("walk read %d items, ended with page %q's response", pages, walked.Header.Get("X-Page"))
	}

	var dr Response
	dp, err := c.Directory.List(ctx, nil, CallResponse(&dr))
	if err != nil {
		t.Fatal(err)
	}
	sameResponse(t, "offset page", &dr, dp.Response, "")
	dnext, err := dp.Next(ctx)
	if err != nil {
		t.Fatal(err)
	}
	sameResponse(t, "next offset page", &dr, dnext.Response, "1")

	var failed Response
	if fp, err := c.Timelines.Hashtag(ctx, "gone", nil, CallResponse(&failed)); fp != nil || !errors.Is(err, ErrGone) {
		t.Errorf("Hashtag: %v %v", fp, err)
	}
	if failed.StatusCode != http.StatusGone || failed.Header.Get("X-Page") != "gone" {
		t.Errorf("failed call recorded %+v", failed)
	}

	hreq, err := c.NewRequest(ctx, "GET", "/api/v1/timelines/home?page=2", nil)
	if err != nil {
		t.Fatal(err)
	}
	var raw Response
	var items []Status
	if err := c.Do(hreq, &items, CallResponse(&raw)); err != nil || len(items) != 2 {
		t.Fatalf("Do: %v %v", items, err)
	}
	if raw.Header.Get("X-Page") != "2" || raw.RateLimit.Remaining != 298 || raw.PrevURL() != "/api/v1/timelines/home?page=1" {
		t.Errorf("Do recorded %+v", raw)
	}
}

package mastodontest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"image"
	"image/png"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/tuskgo/mastodon/blurhash"
)

func TestRateLimitHeadersAndExhaustion(t *testing.T) {
	clock := NewClock(time.Date(2026, 8, 1, 13, 52, 30, 0, time.UTC))
	s := NewTestServer(t, WithClock(clock), WithRateLimit(3, 5*time.Minute))
	_, tok := s.CreateUser("alice")
	c := NewClient(s, tok)
	for i := 2; i >= 0; i-- {
		hdr := c.JSON(t, 200, "GET", "/api/v1/timelines/home", nil, nil)
		if hdr.Get("X-RateLimit-Limit") != "3" || hdr.Get("X-RateLimit-Remaining") != fmt.Sprint(i) {
			t.Fatalf("headers %v", hdr)
		}
		if hdr.Get("X-RateLimit-Reset") != "2026-08-01T13:55:00.000000Z" {
			t.Fatalf("reset %q", hdr.Get("X-RateLimit-Reset"))
		}
	}
	var e map[string]string
	hdr := c.JSON(t, 429, "GET", "/api/v1/timelines/home", nil, &e)
	if e["error"] != "Too many requests" || hdr.Get("X-RateLimit-Remaining") != "0" || hdr.Get("Retry-After") != "150" {
		t.Fatalf("429: %v %v", e, hdr)
	}
	if hdr.Get("Date") != "Sat, 01 Aug 2026 13:52:30 GMT" {
		t.Fatalf("Date %q does not follow the clock", hdr.Get("Date"))
	}
	// Another token has its own budget; the window resets with the clock.
	_, other := s.CreateUser("bob")
	NewClient(s, other).JSON(t, 200, "GET", "/api/v1/timelines/home", nil, nil)
	clock.Advance(3 * time.Minute)
	hdr = c.JSON(t, 200, "GET", "/api/v1/timelines/home", nil, nil)
	if hdr.Get("X-RateLimit-Remaining") != "2" || hdr.Get("X-RateLimit-Reset") != "2026-08-01T14:00:00.000000Z" {
		t.Fatalf("after reset: %v", hdr)
	}
	s.SetRateLimitRemaining(tok, 0)
	c.JSON(t, 429, "GET", "/api/v1/timelines/home", nil, nil)
	s.SetRateLimit(0, 0)
	if hdr := c.JSON(t, 200, "GET", "/api/v1/timelines/home", nil, nil); hdr.Get("X-RateLimit-Limit") != "" {
		t.Fatal("rate limit headers with limiting off")
	}
}

// TestRateLimitBuckets: status deletions (and media uploads) count against
// a budget of their own besides the general one, as on Mastodon; the
// headers describe the budget with the fewest requests left.
func TestRateLimitBuckets(t *testing.T) {
	clock := NewClock(time.Date(2026, 8, 1, 13, 52, 30, 0, time.UTC))
	s := NewTestServer(t, WithClock(clock))
	_, tok := s.CreateUser("alice")
	c := NewClient(s, tok)
	st1, st2 := c.PostStatus(t, "one"), c.PostStatus(t, "two")
	s.SetBucketRateLimitRemaining(tok, BucketDelete, 1)
	hdr := c.JSON(t, 200, "DELETE", "/api/v1/statuses/"+st1["id"].(string), nil, nil)
	if hdr.Get("X-RateLimit-Limit") != "30" || hdr.Get("X-RateLimit-Remaining") != "0" ||
		hdr.Get("X-RateLimit-Reset") != "2026-08-01T14:00:00.000000Z" {
		t.Fatalf("delete headers %v", hdr)
	}
	hdr = c.JSON(t, 429, "DELETE", "/api/v1/statuses/"+st2["id"].(string), nil, nil)
	if hdr.Get("X-RateLimit-Limit") != "30" || hdr.Get("Retry-After") != "450" {
		t.Fatalf("429 headers %v", hdr)
	}
	// The general budget counted the delete too, but not the refused one.
	hdr = c.JSON(t, 200, "GET", "/api/v1/timelines/home", nil, nil)
	if hdr.Get("X-RateLimit-Limit") != "300" || hdr.Get("X-RateLimit-Remaining") != "296" {
		t.Fatalf("general headers %v", hdr)
	}
	s.SetBucketRateLimit(BucketDelete, 0, 0)
	if hdr := c.JSON(t, 200, "DELETE", "/api/v1/statuses/"+st2["id"].(string), nil, nil); hdr.Get("X-RateLimit-Limit") != "300" {
		t.Fatalf("with the delete bucket off: %v", hdr)
	}
	if got := bucketOf("POST", "/api/v2/media"); got != BucketMedia {
		t.Errorf("POST /api/v2/media in %q", got)
	}
	if got := bucketOf("POST", "/api/v1/statuses/1/unreblog"); got != BucketDelete {
		t.Errorf("unreblog in %q", got)
	}
	if got := bucketOf("DELETE", "/api/v1/statuses/1/pin"); got != "" {
		t.Errorf("unpin in %q", got)
	}
}

func TestFaultInjection(t *testing.T) {
	s := NewTestServer(t)
	_, tok := s.CreateUser("alice")
	c := NewClient(s, tok)

	s.InjectFault(Fault{Count: 2, Status: 503})
	for range 2 {
		code, hdr, body, err := c.Do("GET", "/api/v1/timelines/home", nil)
		if err != nil || code != 503 || !strings.HasPrefix(hdr.Get("Content-Type"), "text/html") || !bytes.Contains(body, []byte("<html>")) {
			t.Fatalf("fail: %d %v %s %v", code, hdr, body, err)
		}
	}
	c.JSON(t, 200, "GET", "/api/v1/timelines/home", nil, nil)

	s.InjectFault(Fault{Method: "POST", Path: "/api/v1/statuses", Status: 502, Body: `{"error":"bad gateway"}`, ContentType: "application/json"})
	c.JSON(t, 200, "GET", "/api/v1/timelines/home", nil, nil) // not matched
	var e map[string]string
	c.JSON(t, 502, "POST", "/api/v1/statuses", url.Values{"status": {"x"}}, &e)
	if e["error"] != "bad gateway" {
		t.Fatalf("custom body %v", e)
	}

	// A POST: Go's transport would silently retry a GET on a reused connection.
	s.InjectFault(Fault{Reset: true})
	if _, _, _, err := c.Do("POST", "/api/v1/statuses", url.Values{"status": {"lost"}}); err == nil {
		t.Fatal("reset connection gave a response")
	}

	c.PostStatus(t, "something to truncate")
	s.InjectFault(Fault{Truncate: true})
	_, _, body, err := c.Do("GET", "/api/v1/timelines/home", nil)
	if err == nil || !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Fatalf("truncate: err %v body %d bytes", err, len(body))
	}
	if json.Valid(body) {
		t.Fatal("truncated body is valid JSON")
	}

	s.InjectFault(Fault{Delay: time.Hour})
	ctx, cancel := context.WithTimeout(t.Context(), 50*time.Millisecond)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", s.URL+"/api/v1/instance", nil)
	if _, err := http.DefaultClient.Do(req); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("delay: %v", err)
	}
	s.InjectFault(Fault{Path: "/api/v1/*", Count: 5, Status: 500})
	s.ClearFaults()
	c.JSON(t, 200, "GET", "/api/v1/instance", nil, nil)
}

func TestFaultDelayCombinesAndOrderHolds(t *testing.T) {
	s := NewTestServer(t)
	_, tok := s.CreateUser("alice")
	c := NewClient(s, tok)

	// A delay alone serves the request afterwards; with a Status it answers it.
	s.InjectFault(Fault{Path: "/api/v1/instance", Delay: 20 * time.Millisecond})
	s.InjectFault(Fault{Path: "/api/v1/*", Delay: 20 * time.Millisecond, Status: 503, Header: http.Header{"Retry-After": {"7"}}})
	start := time.Now()
	c.JSON(t, 200, "GET", "/api/v1/instance", nil, nil)
	code, hdr, _, err := c.Do("GET", "/api/v1/instance", nil)
	if err != nil || code != 503 || hdr.Get("Retry-After") != "7" {
		t.Fatalf("second fault: %d %v %v", code, hdr, err)
	}
	if d := time.Since(start); d < 40*time.Millisecond {
		t.Fatalf("two 20ms delays took %v", d)
	}
	c.JSON(t, 200, "GET", "/api/v1/instance", nil, nil)

	// Method matching ignores case; a GET does not use up a POST's fault.
	s.InjectFault(Fault{Method: "post", Status: 500})
	c.JSON(t, 200, "GET", "/api/v1/timelines/home", nil, nil)
	c.JSON(t, 500, "POST", "/api/v1/statuses", url.Values{"status": {"x"}}, nil)
	c.JSON(t, 200, "POST", "/api/v1/statuses", url.Values{"status": {"y"}}, nil)
}

func TestFaultMisuse(t *testing.T) {
	s := NewTestServer(t)
	for name, f := range map[string]Fault{
		"nothing":            {Path: "/api/v1/instance"},
		"status and reset":   {Status: 502, Reset: true},
		"reset and truncate": {Reset: true, Truncate: true},
		"status and trunc":   {Status: 502, Truncate: true},
		"body alone":         {Body: "x", Delay: time.Second},
		"header alone":       {Header: http.Header{"A": {"b"}}, Reset: true},
		"negative count":     {Count: -1, Status: 500},
		"negative delay":     {Delay: -time.Second, Status: 500},
		"no status code":     {Status: 42},
	} {
		t.Run(name, func(t *testing.T) {
			defer func() {
				if v, _ := recover().(string); !strings.HasPrefix(v, "mastodontest: InjectFault: ") {
					t.Fatalf("recovered %v", v)
				}
			}()
			s.InjectFault(f)
		})
	}
	_, tok := s.CreateUser("alice")
	NewClient(s, tok).JSON(t, 200, "GET", "/api/v1/instance", nil, nil)
}

func TestScheduledStatusesFollowTheClock(t *testing.T) {
	clock := NewClock(time.Date(2026, 8, 1, 12, 0, 0, 0, time.UTC))
	s := NewTestServer(t, WithClock(clock))
	_, tok := s.CreateUser("alice")
	c := NewClient(s, tok)
	var e map[string]string
	c.JSON(t, 422, "POST", "/api/v1/statuses", url.Values{"status": {"soon"}, "scheduled_at": {"2026-08-01T12:01:00Z"}}, &e)
	if !strings.Contains(e["error"], "scheduled date must be in the future") {
		t.Fatalf("too soon: %v", e)
	}
	var sch map[string]any
	c.JSON(t, 200, "POST", "/api/v1/statuses", url.Values{"status": {"later"}, "scheduled_at": {"2026-08-01T13:00:00Z"}}, &sch)
	if sch["scheduled_at"] != "2026-08-01T13:00:00.000Z" || sch["params"].(map[string]any)["text"] != "later" {
		t.Fatalf("scheduled = %v", sch)
	}
	var home []map[string]any
	c.JSON(t, 200, "GET", "/api/v1/timelines/home", nil, &home)
	if len(home) != 0 {
		t.Fatal("published early")
	}
	clock.Advance(time.Hour)
	c.JSON(t, 200, "GET", "/api/v1/timelines/home", nil, &home)
	if len(home) != 1 || home[0]["created_at"] != "2026-08-01T13:00:00.000Z" {
		t.Fatalf("after the hour: %v", home)
	}
	var list []any
	c.JSON(t, 200, "GET", "/api/v1/scheduled_statuses", nil, &list)
	if len(list) != 0 {
		t.Fatalf("still scheduled: %v", list)
	}
}

func TestPollsVoteAndExpire(t *testing.T) {
	clock := NewClock(time.Date(2026, 8, 1, 12, 0, 0, 0, time.UTC))
	s := NewTestServer(t, WithClock(clock))
	_, at := s.CreateUser("alice")
	_, bt := s.CreateUser("bob")
	var st map[string]any
	NewClient(s, at).JSON(t, 200, "POST", "/api/v1/statuses", url.Values{"status": {"pick"},
		"poll[options][]": {"a", "b", "c"}, "poll[expires_in]": {"600"}, "poll[multiple]": {"true"}}, &st)
	p := st["poll"].(map[string]any)
	id := p["id"].(string)
	if p["expires_at"] != "2026-08-01T12:10:00.000Z" || p["voted"] != true {
		t.Fatalf("poll = %v", p)
	}
	b := NewClient(s, bt)
	var got map[string]any
	b.JSON(t, 200, "POST", "/api/v1/polls/"+id+"/votes", url.Values{"choices[]": {"0", "2"}}, &got)
	if got["votes_count"] != 2.0 || got["voters_count"] != 1.0 || fmt.Sprint(got["own_votes"]) != "[0 2]" {
		t.Fatalf("after vote %v", got)
	}
	var e map[string]string
	b.JSON(t, 422, "POST", "/api/v1/polls/"+id+"/votes", url.Values{"choices[]": {"2"}}, &e) // a choice already made
	b.JSON(t, 422, "POST", "/api/v1/polls/"+id+"/votes", url.Values{"choices[]": {"9"}}, &e)
	clock.Advance(11 * time.Minute)
	b.JSON(t, 200, "GET", "/api/v1/polls/"+id, nil, &got)
	if got["expired"] != true {
		t.Fatalf("not expired %v", got)
	}
	var notes []map[string]any
	b.JSON(t, 200, "GET", "/api/v1/notifications", url.Values{"types[]": {"poll"}}, &notes)
	if len(notes) != 1 {
		t.Fatalf("poll notifications %v", notes)
	}
	NewClient(s, at).JSON(t, 422, "POST", "/api/v1/statuses", url.Values{"status": {"x"}, "poll[options][]": {"only"}, "poll[expires_in]": {"600"}}, &e)
}

func pngBytes(w, h int) []byte {
	var buf bytes.Buffer
	img := image.NewGray(image.Rect(0, 0, w, h))
	for i := range img.Pix {
		img.Pix[i] = uint8(i * 7 % 251)
	}
	_ = png.Encode(&buf, img)
	return buf.Bytes()
}

func uploadFile(t *testing.T, s *Server, tok, path string, data []byte, ct string) (int, map[string]any) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	h := map[string][]string{"Content-Disposition": {`form-data; name="file"; filename="f.bin"`}, "Content-Type": {ct}}
	w, _ := mw.CreatePart(h)
	_, _ = w.Write(data)
	_ = mw.WriteField("description", "alt")
	_ = mw.Close()
	req, _ := http.NewRequest("POST", s.URL+path, &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+tok)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&out)
	return resp.StatusCode, out
}

func TestMediaProcessing(t *testing.T) {
	s := NewTestServer(t, WithMediaProcessing(1000, 2))
	_, tok := s.CreateUser("alice")
	c := NewClient(s, tok)
	code, small := uploadFile(t, s, tok, "/api/v2/media", pngBytes(8, 6), "image/png")
	if code != 200 || small["type"] != "image" || small["url"] == nil {
		t.Fatalf("small upload %d %v", code, small)
	}
	if x, y, err := blurhash.Components(small["blurhash"].(string)); err != nil || x != 4 || y != 3 {
		t.Fatalf("blurhash %v: %d×%d %v", small["blurhash"], x, y, err)
	}
	if m := small["meta"].(map[string]any)["original"].(map[string]any); m["width"] != 8.0 || m["height"] != 6.0 {
		t.Fatalf("meta %v", m)
	}
	code, big := uploadFile(t, s, tok, "/api/v2/media", pngBytes(200, 200), "image/png")
	if code != 202 || big["url"] != nil {
		t.Fatalf("big upload %d %v", code, big)
	}
	id := big["id"].(string)
	var e map[string]string
	c.JSON(t, 422, "POST", "/api/v1/statuses", url.Values{"status": {"x"}, "media_ids[]": {id}}, &e)
	c.JSON(t, 206, "GET", "/api/v1/media/"+id, nil, nil)
	c.JSON(t, 206, "GET", "/api/v1/media/"+id, nil, nil)
	var done map[string]any
	c.JSON(t, 200, "GET", "/api/v1/media/"+id, nil, &done)
	if done["url"] == nil {
		t.Fatal("processed media has no url")
	}
	var st map[string]any
	c.JSON(t, 200, "POST", "/api/v1/statuses", url.Values{"status": {"x"}, "media_ids[]": {id, small["id"].(string)}}, &st)
	if len(st["media_attachments"].([]any)) != 2 {
		t.Fatalf("attachments %v", st["media_attachments"])
	}
	// v1 never answers 202.
	if code, _ := uploadFile(t, s, tok, "/api/v1/media", pngBytes(200, 200), "image/png"); code != 200 {
		t.Fatalf("v1 upload %d", code)
	}
	// The file is served at its URL.
	resp, err := http.Get(small["url"].(string))
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !bytes.Equal(body, pngBytes(8, 6)) {
		t.Fatal("served file differs")
	}
}

func TestEditHistoryAndDelete(t *testing.T) {
	s := NewTestServer(t)
	alice, at := s.CreateUser("alice")
	_, bt := s.CreateUser("bob")
	a, b := NewClient(s, at), NewClient(s, bt)
	st := a.PostStatus(t, "first")
	id := st["id"].(string)
	b.JSON(t, 200, "POST", "/api/v1/statuses/"+id+"/reblog", nil, nil)
	var edited map[string]any
	a.JSON(t, 200, "PUT", "/api/v1/statuses/"+id, url.Values{"status": {"second"}}, &edited)
	if edited["edited_at"] == nil || edited["content"] != "<p>second</p>" {
		t.Fatalf("edited %v", edited)
	}
	var hist []map[string]any
	a.JSON(t, 200, "GET", "/api/v1/statuses/"+id+"/history", nil, &hist)
	if len(hist) != 2 || hist[0]["content"] != "<p>first</p>" || hist[1]["content"] != "<p>second</p>" {
		t.Fatalf("history %v", hist)
	}
	var notes []map[string]any
	b.JSON(t, 200, "GET", "/api/v1/notifications", url.Values{"types[]": {"update"}}, &notes)
	if len(notes) != 1 {
		t.Fatalf("update notifications %v", notes)
	}
	b.JSON(t, 404, "PUT", "/api/v1/statuses/"+id, url.Values{"status": {"hijack"}}, nil)
	b.JSON(t, 404, "DELETE", "/api/v1/statuses/"+id, nil, nil)
	var del map[string]any
	a.JSON(t, 200, "DELETE", "/api/v1/statuses/"+id, nil, &del)
	if del["text"] != "second" || del["content"] != nil {
		t.Fatalf("delete returned %v", del)
	}
	a.JSON(t, 404, "GET", "/api/v1/statuses/"+id, nil, nil)
	var bobs []map[string]any
	b.JSON(t, 200, "GET", "/api/v1/accounts/"+alice.ID+"/statuses", nil, &bobs)
	if len(bobs) != 0 {
		t.Fatalf("deleted status still listed: %v", bobs)
	}
	var home []map[string]any
	b.JSON(t, 200, "GET", "/api/v1/timelines/home", nil, &home)
	if len(home) != 0 {
		t.Fatalf("reblog of deleted status survives: %v", home)
	}
}

func TestLockedAccountsAndBlocks(t *testing.T) {
	s := NewTestServer(t)
	alice, at := s.CreateUser("alice", Locked())
	bob, bt := s.CreateUser("bob")
	a, b := NewClient(s, at), NewClient(s, bt)
	var rel map[string]any
	b.JSON(t, 200, "POST", "/api/v1/accounts/"+alice.ID+"/follow", nil, &rel)
	if rel["requested"] != true || rel["following"] != false {
		t.Fatalf("follow locked: %v", rel)
	}
	a.PostStatus(t, "followers only?")
	a.JSON(t, 200, "POST", "/api/v1/statuses", url.Values{"status": {"private"}, "visibility": {"private"}}, nil)
	var home []map[string]any
	b.JSON(t, 200, "GET", "/api/v1/timelines/home", nil, &home)
	if len(home) != 0 {
		t.Fatal("home before approval")
	}
	var reqs []map[string]any
	a.JSON(t, 200, "GET", "/api/v1/follow_requests", nil, &reqs)
	if len(reqs) != 1 || reqs[0]["id"] != bob.ID {
		t.Fatalf("requests %v", reqs)
	}
	a.JSON(t, 200, "POST", "/api/v1/follow_requests/"+bob.ID+"/authorize", nil, &rel)
	if rel["followed_by"] != true {
		t.Fatalf("authorize: %v", rel)
	}
	b.JSON(t, 200, "GET", "/api/v1/timelines/home", nil, &home)
	if len(home) != 2 {
		t.Fatalf("home after approval: %d", len(home))
	}
	a.JSON(t, 200, "POST", "/api/v1/accounts/"+bob.ID+"/block", nil, &rel)
	if rel["blocking"] != true {
		t.Fatalf("block %v", rel)
	}
	var rels []map[string]any
	b.JSON(t, 200, "GET", "/api/v1/accounts/relationships", url.Values{"id[]": {alice.ID}}, &rels)
	if rels[0]["following"] != false || rels[0]["blocked_by"] != true {
		t.Fatalf("after block %v", rels)
	}
	b.JSON(t, 200, "GET", "/api/v1/timelines/public", nil, &home)
	if len(home) != 0 {
		t.Fatalf("blocked user sees public posts: %d", len(home))
	}
	b.JSON(t, 403, "POST", "/api/v1/accounts/"+alice.ID+"/follow", nil, nil)
}

func TestGroupedNotifications(t *testing.T) {
	s := NewTestServer(t)
	_, at := s.CreateUser("alice")
	a := NewClient(s, at)
	st := a.PostStatus(t, "like me")
	for _, n := range []string{"bob", "carol", "dave"} {
		_, tok := s.CreateUser(n)
		NewClient(s, tok).JSON(t, 200, "POST", "/api/v1/statuses/"+st["id"].(string)+"/favourite", nil, nil)
		NewClient(s, tok).PostStatus(t, "@alice hi from "+n)
	}
	var res struct {
		Accounts []map[string]any `json:"accounts"`
		Statuses []map[string]any `json:"statuses"`
		Groups   []map[string]any `json:"notification_groups"`
	}
	hdr := a.JSON(t, 200, "GET", "/api/v2/notifications", url.Values{"limit": {"2"}}, &res)
	if len(res.Groups) != 2 || res.Groups[0]["type"] != "mention" || res.Groups[1]["type"] != "favourite" {
		t.Fatalf("groups %v", res.Groups)
	}
	fav := res.Groups[1]
	if fav["notifications_count"] != 3.0 || len(fav["sample_account_ids"].([]any)) != 3 || fav["status_id"] != st["id"] {
		t.Fatalf("favourite group %v", fav)
	}
	next := hdr.Get("Link")
	if !strings.Contains(next, "max_id="+fav["page_min_id"].(string)) {
		t.Fatalf("Link %s", next)
	}
	var accts []map[string]any
	a.JSON(t, 200, "GET", "/api/v2/notifications/"+fav["group_key"].(string)+"/accounts", nil, &accts)
	if len(accts) != 3 {
		t.Fatalf("group accounts %d", len(accts))
	}
	a.JSON(t, 200, "POST", "/api/v2/notifications/"+fav["group_key"].(string)+"/dismiss", nil, nil)
	a.JSON(t, 404, "GET", "/api/v2/notifications/"+fav["group_key"].(string), nil, nil)
}

func TestListsMarkersFiltersSearch(t *testing.T) {
	s := NewTestServer(t)
	alice, at := s.CreateUser("alice")
	_, bt := s.CreateUser("bob")
	a, b := NewClient(s, at), NewClient(s, bt)
	b.JSON(t, 200, "POST", "/api/v1/accounts/"+alice.ID+"/follow", nil, nil)
	var l map[string]any
	b.JSON(t, 200, "POST", "/api/v1/lists", url.Values{"title": {"friends"}}, &l)
	b.JSON(t, 200, "POST", "/api/v1/lists/"+l["id"].(string)+"/accounts", url.Values{"account_ids[]": {alice.ID}}, nil)
	a.PostStatus(t, "hello list #News")
	a.PostStatus(t, "spoilers ahead")
	var tl []map[string]any
	b.JSON(t, 200, "GET", "/api/v1/timelines/list/"+l["id"].(string), nil, &tl)
	if len(tl) != 2 {
		t.Fatalf("list timeline %d", len(tl))
	}
	var f map[string]any
	b.JSON(t, 200, "POST", "/api/v2/filters", url.Values{"title": {"no spoilers"}, "context[]": {"home"},
		"filter_action": {"hide"}, "keywords_attributes[0][keyword]": {"spoilers"}}, &f)
	b.JSON(t, 200, "GET", "/api/v1/timelines/home", nil, &tl)
	if len(tl) != 1 {
		t.Fatalf("hide filter: %d statuses", len(tl))
	}
	b.JSON(t, 200, "PUT", "/api/v2/filters/"+f["id"].(string), url.Values{"filter_action": {"warn"}}, nil)
	b.JSON(t, 200, "GET", "/api/v1/timelines/home", nil, &tl)
	if len(tl) != 2 || len(tl[0]["filtered"].([]any)) != 1 {
		t.Fatalf("warn filter: %v", tl[0]["filtered"])
	}
	var m map[string]any
	b.JSON(t, 200, "POST", "/api/v1/markers", url.Values{"home[last_read_id]": {tl[0]["id"].(string)}}, &m)
	b.JSON(t, 200, "GET", "/api/v1/markers", url.Values{"timeline[]": {"home"}}, &m)
	if m["home"].(map[string]any)["last_read_id"] != tl[0]["id"] {
		t.Fatalf("markers %v", m)
	}
	var res map[string][]map[string]any
	b.JSON(t, 200, "GET", "/api/v2/search", url.Values{"q": {"ali"}}, &res)
	if len(res["accounts"]) != 1 || res["accounts"][0]["id"] != alice.ID {
		t.Fatalf("search accounts %v", res["accounts"])
	}
	b.JSON(t, 200, "GET", "/api/v2/search", url.Values{"q": {"#new"}, "type": {"hashtags"}}, &res)
	if len(res["hashtags"]) == 0 || res["hashtags"][0]["name"] == nil {
		t.Fatalf("search tags %v", res["hashtags"])
	}
}

func TestValidationErrors(t *testing.T) {
	s := NewTestServer(t, WithMaxCharacters(10))
	_, tok := s.CreateUser("alice")
	c := NewClient(s, tok)
	var e map[string]any
	c.JSON(t, 422, "POST", "/api/v1/statuses", url.Values{"status": {"this is far too long"}}, &e)
	if e["error"] != "Validation failed: Text character limit of 10 exceeded" || e["details"] != nil {
		t.Fatalf("too long: %v", e)
	}
	c.JSON(t, 422, "POST", "/api/v1/statuses", url.Values{"status": {" "}}, &e)
	c.JSON(t, 422, "PATCH", "/api/v1/accounts/update_credentials", url.Values{
		"fields_attributes[0][name]": {"a"}, "fields_attributes[1][name]": {"b"}, "fields_attributes[2][name]": {"c"},
		"fields_attributes[3][name]": {"d"}, "fields_attributes[4][name]": {"e"}}, &e)
	d, _ := e["details"].(map[string]any)
	if d["fields"] == nil {
		t.Fatalf("details %v", e)
	}
	// Malformed JSON body.
	req, _ := http.NewRequest("POST", s.URL+"/api/v1/statuses", strings.NewReader("{not json"))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+tok)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 400 {
		t.Fatalf("malformed JSON: %d", resp.StatusCode)
	}
	// JSON bodies work like forms.
	req, _ = http.NewRequest("POST", s.URL+"/api/v1/statuses", strings.NewReader(`{"status":"json!","poll":{"options":["a","b"],"expires_in":300}}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+tok)
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var st map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&st)
	resp.Body.Close()
	if resp.StatusCode != 200 || st["poll"] == nil {
		t.Fatalf("JSON post: %d %v", resp.StatusCode, st)
	}
}

func TestConcurrentUse(t *testing.T) {
	s := NewTestServer(t)
	_, tok := s.CreateUser("alice")
	done := make(chan struct{})
	for i := range 8 {
		go func() {
			defer func() { done <- struct{}{} }()
			c := NewClient(s, tok)
			for j := range 10 {
				if code, _, _, err := c.Do("POST", "/api/v1/statuses", url.Values{"status": {fmt.Sprint(i, j)}}); err != nil || code != 200 {
					t.Errorf("post: %d %v", code, err)
				}
				if code, _, _, err := c.Do("GET", "/api/v1/timelines/home", nil); err != nil || code != 200 {
					t.Errorf("home: %d %v", code, err)
				}
			}
		}()
	}
	for range 8 {
		<-done
	}
	var me map[string]any
	NewClient(s, tok).JSON(t, 200, "GET", "/api/v1/accounts/verify_credentials", nil, &me)
	if me["statuses_count"] != 80.0 {
		t.Fatalf("statuses_count %v", me["statuses_count"])
	}
}

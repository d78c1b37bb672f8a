package mastodon

import (
	"net/http"
	"testing"
	"time"
)

// FuzzResponseHeaders gives newResponse arbitrary values for every header
// it reads. The durations it derives stay within the bounds it promises,
// rate limits are known only with both counts, and the links are exactly
// ParseLinkHeader's.
func FuzzResponseHeaders(f *testing.F) {
	f.Add("Thu, 26 Nov 2026 14:25:12 GMT", "300", "299", "2026-11-26T14:30:00.000Z", "30",
		`<https://x.example/api/v1/timelines/home?max_id=1>; rel="next"`, `id="a", retry=5, result_count=2`)
	f.Add("", "300", "0", "1785542400", "Thu, 26 Nov 2026 14:26:12 GMT", "", `id=x`)
	f.Add("garbage", "-1", "x", "1e400", "99999999999999999999", "<>", `retry=-3, result_count=9999999999999999999`)
	f.Fuzz(func(t *testing.T, date, limit, remaining, reset, retryAfter, link, async string) {
		h := http.Header{}
		for k, v := range map[string]string{"Date": date, "X-RateLimit-Limit": limit, "X-RateLimit-Remaining": remaining,
			"X-RateLimit-Reset": reset, "Retry-After": retryAfter, "Link": link, "Mastodon-Async-Refresh": async} {
			if v != "" {
				h.Set(k, v)
			}
		}
		r := newResponse(&http.Response{StatusCode: 200, Header: h})
		if r.RetryAfter < 0 || r.RetryAfter > MaxRateLimitReset {
			t.Fatalf("Retry-After %q gave %v", retryAfter, r.RetryAfter)
		}
		if rl := r.RateLimit; rl.Known && (rl.Limit < 0 || rl.Remaining < 0) || !rl.Known && rl != (RateLimit{}) {
			t.Fatalf("rate limit %q/%q/%q gave %+v", limit, remaining, reset, rl)
		}
		if rl := r.RateLimit; rl.Reset.After(r.Received.Add(MaxRateLimitReset)) {
			t.Fatalf("reset %q (date %q) gave %v, beyond the bound", reset, date, rl.Reset)
		}
		if a := r.AsyncRefresh; a != nil && (a.ID == "" || a.Retry < 0 || a.Retry > time.Hour) {
			t.Fatalf("async refresh %q gave %+v", async, a)
		}
		if want := ParseLinkHeader(link); len(r.Links) != len(want) {
			t.Fatalf("Link %q: %v, ParseLinkHeader says %v", link, r.Links, want)
		}
		if t0, err := http.ParseTime(date); err == nil && !r.Date.Equal(t0) {
			t.Fatalf("Date %q read as %v", date, r.Date)
		}
	})
}

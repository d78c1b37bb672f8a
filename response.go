package mastodon

import (
	"context"
	"errors"
	"iter"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/tuskgo/mastodon/internal/form"
)

// Response is the metadata of one API response. CallResponse records it
// for a call; a Page keeps the one it came in.
type Response struct {
	StatusCode int
	Status     string
	Header     http.Header
	// RateLimit is what the X-RateLimit-* headers said, if anything.
	RateLimit RateLimit
	// Links are the Link header's entries; NextURL and PrevURL pick the
	// "next" and "prev" ones.
	Links []Link
	// AsyncRefresh is the Mastodon-Async-Refresh header, when present: the
	// server is still computing part of the answer.
	AsyncRefresh *AsyncRefreshHeader
	// Date is the server's Date header (zero when absent or malformed).
	Date time.Time
	// RetryAfter is the Retry-After header as a duration, at most
	// MaxRateLimitReset (as RateLimit.Reset is); Header keeps what the
	// server sent.
	RetryAfter time.Duration
	// Received is the local time the response arrived.
	Received time.Time

	redactedURL string
	reqURL      *url.URL // the request's URL, the base of Link references
	// secrets, when set, lists the secrets the request carried or the
	// client holds: they are taken out of server text quoted in errors.
	secrets func() []string
	// log, when set, is the client's logger: a body that does not decode
	// is logged there, as a failed request is.
	log *slog.Logger
}

// secretList returns the secrets to take out of this response's text.
func (r *Response) secretList() []string {
	if r == nil || r.secrets == nil {
		return nil
	}
	return r.secrets()
}

// Link is one entry of a Link header.
type Link struct {
	URL string // as sent, may be relative
	Rel string
}

// AsyncRefreshHeader is a parsed Mastodon-Async-Refresh header.
type AsyncRefreshHeader struct {
	ID          string
	Retry       time.Duration // how long the server asks to wait
	ResultCount *int          // results found so far, when given
}

// RateLimit is the server's rate-limit state as of one response.
type RateLimit struct {
	Limit     int
	Remaining int
	// Reset is when the budget refills, in local time (corrected for the
	// server's clock using its Date header), at most MaxRateLimitReset
	// after the response arrived.
	Reset time.Time
	// Known is false when the response carried no rate-limit headers.
	Known bool
}

// Accepted reports a 202: the server took the request but has not finished
// (media still processing, an async operation queued).
func (r *Response) Accepted() bool { return r != nil && r.StatusCode == http.StatusAccepted }

// Partial reports a 206: media whose processing is not finished.
func (r *Response) Partial() bool { return r != nil && r.StatusCode == http.StatusPartialContent }

// NextURL returns the Link header's "next" URL, or "".
func (r *Response) NextURL() string { return r.link("next") }

// PrevURL returns the Link header's "prev" URL, or "".
func (r *Response) PrevURL() string { return r.link("prev") }

func (r *Response) link(rel string) string {
	if r == nil {
		return ""
	}
	for _, l := range r.Links {
		if l.Rel == rel {
			return l.URL
		}
	}
	return ""
}

func newResponse(h *http.Response) *Response {
	now := time.Now()
	r := &Response{StatusCode: h.StatusCode, Status: h.Status, Header: h.Header, Received: now}
	if h.Request != nil && h.Request.URL != nil {
		r.redactedURL = redactURL(h.Request.URL)
		r.reqURL = h.Request.URL
	}
	if d := h.Header.Get("Date"); d != "" {
		if t, err := http.ParseTime(d); err == nil {
			r.Date = t
		}
	}
	r.RateLimit = parseRateLimit(h.Header, r.Date, now)
	r.Links = ParseLinkHeader(strings.Join(h.Header.Values("Link"), ", "))
	if a := h.Header.Get("Mastodon-Async-Refresh"); a != "" {
		r.AsyncRefresh = parseAsyncRefresh(a)
	}
	if ra := h.Header.Get("Retry-After"); ra != "" {
		if secs, err := strconv.Atoi(strings.TrimSpace(ra)); err == nil && secs >= 0 {
			r.RetryAfter = time.Duration(min(secs, int(MaxRateLimitReset/time.Second))) * time.Second
		} else if t, err := http.ParseTime(ra); err == nil {
			ref := r.Date
			if ref.IsZero() {
				ref = now
			}
			if d := t.Sub(ref); d > 0 {
				r.RetryAfter = min(d, MaxRateLimitReset)
			}
		}
	}
	return r
}

// parseRateLimit reads X-RateLimit-*; Reset is an ISO 8601 time (Mastodon)
// or a number of seconds from now (some forks). The server's Date corrects
// for clock skew: reset_local = reset_server + (now - date).
func parseRateLimit(h http.Header, date, now time.Time) RateLimit {
	var rl RateLimit
	// The names are written canonically, as net/http stores them, so that
	// Get finds them without building the canonical form each time.
	lim, err1 := strconv.Atoi(strings.TrimSpace(h.Get("X-Ratelimit-Limit")))
	rem, err2 := strconv.Atoi(strings.TrimSpace(h.Get("X-Ratelimit-Remaining")))
	if err1 != nil || err2 != nil || lim < 0 || rem < 0 {
		return rl
	}
	rl.Limit, rl.Remaining, rl.Known = lim, rem, true
	reset := strings.TrimSpace(h.Get("X-Ratelimit-Reset"))
	if reset == "" {
		return rl
	}
	if t, ok := parseISOTime(reset); ok {
		if !date.IsZero() {
			// Date has one-second resolution: only trust skews beyond it.
			if skew := now.Sub(date); skew > time.Second || skew < -time.Second {
				t = t.Add(skew)
			}
		}
		rl.Reset = t
	} else if f, err := strconv.ParseFloat(reset, 64); err == nil && f >= 0 && f < 1e10 {
		if f > 1e9 { // an epoch timestamp
			rl.Reset = time.Unix(int64(f), 0)
		} else {
			rl.Reset = now.Add(time.Duration(f * float64(time.Second)))
		}
	}
	if limit := now.Add(MaxRateLimitReset); rl.Reset.After(limit) {
		rl.Reset = limit
	}
	return rl
}

// MaxRateLimitReset bounds how far ahead a rate-limit reset, or a
// Retry-After, is believed.
// Mastodon's windows are 5 minutes long (30 for media uploads, deletions
// and sign-ups), so a reset further away than this is taken to be this far
// away: a server cannot make a waiting client sleep for hours or years, and
// once this much time has passed the client asks the server again.
const MaxRateLimitReset = 30 * time.Minute

func parseISOTime(s string) (time.Time, bool) {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999", "2006-01-02 15:04:05.999999999Z07:00"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// parseAsyncRefresh reads `id="…", retry=5, result_count=2`.
func parseAsyncRefresh(s string) *AsyncRefreshHeader {
	a := &AsyncRefreshHeader{}
	for _, part := range splitOutsideQuotes(s, ',') {
		k, v, _ := strings.Cut(strings.TrimSpace(part), "=")
		v = strings.Trim(strings.TrimSpace(v), `"`)
		switch strings.TrimSpace(k) {
		case "id":
			a.ID = v
		case "retry":
			if n, err := strconv.Atoi(v); err == nil && n >= 0 {
				a.Retry = time.Duration(min(n, 3600)) * time.Second
			}
		case "result_count":
			if n, err := strconv.Atoi(v); err == nil {
				a.ResultCount = &n
			}
		}
	}
	if a.ID == "" {
		return nil
	}
	return a
}

// ParseLinkHeader parses an RFC 8288 Link header value into its entries,
// keeping each URL whole (all query parameters). Malformed entries are
// skipped. An entry with several relation types yields one Link per type.
func ParseLinkHeader(h string) []Link {
	var out []Link
	for len(h) > 0 {
		i := strings.IndexByte(h, '<')
		if i < 0 {
			break
		}
		j := strings.IndexByte(h[i:], '>')
		if j < 0 {
			break
		}
		target := strings.TrimSpace(h[i+1 : i+j])
		h = h[i+j+1:]
		// Parameters run to the next comma that is outside quotes and is
		// followed by a new "<".
		end := len(h)
		inQ := false
		for k := 0; k < len(h); k++ {
			switch h[k] {
			case '"':
				inQ = !inQ
			case '\\':
				if inQ {
					k++
				}
			case ',':
				if !inQ && strings.HasPrefix(strings.TrimLeft(h[k+1:], " \t"), "<") {
					end = k
				}
			}
			if end != len(h) {
				break
			}
		}
		params := h[:end]
		h = h[end:]
		for _, p := range splitOutsideQuotes(params, ';') {
			k, v, ok := strings.Cut(strings.TrimSpace(p), "=")
			if !ok || !strings.EqualFold(strings.TrimSpace(k), "rel") {
				continue
			}
			v = strings.Trim(strings.TrimSpace(v), `"`)
			for _, rel := range strings.Fields(v) {
				out = append(out, Link{URL: target, Rel: strings.ToLower(rel)})
			}
		}
	}
	return out
}

func splitOutsideQuotes(s string, sep byte) []string {
	var out []string
	inQ := false
	start := 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '"':
			inQ = !inQ
		case '\\':
			if inQ {
				i++
			}
		case sep:
			if !inQ {
				out = append(out, s[start:i])
				start = i + 1
			}
		}
	}
	return append(out, s[start:])
}

// secretParams are query parameters whose values never leave the client in
// logs or errors.
var secretParams = map[string]bool{
	"access_token": true, "token": true, "code": true, "client_secret": true,
	"password": true, "refresh_token": true, "code_verifier": true, "client_id": false,
}

// redactURL renders u with secret query values and any userinfo replaced.
func redactURL(u *url.URL) string {
	if u == nil {
		return ""
	}
	v := *u
	v.User = nil
	if v.RawQuery != "" {
		q, err := url.ParseQuery(v.RawQuery)
		if err != nil {
			v.RawQuery = "[redacted]"
		} else {
			changed := false
			for k := range q {
				if secretParams[strings.ToLower(k)] {
					q[k] = []string{"REDACTED"}
					changed = true
				}
			}
			if changed {
				v.RawQuery = q.Encode()
			}
		}
	}
	return v.String()
}

func redactURLString(s string) string {
	u, err := url.Parse(s)
	if err != nil {
		return "[unparseable URL]"
	}
	return redactURL(u)
}

// Page is one page of a list endpoint: its Items, the Response they came
// in, and the way to the pages around it. Most lists continue by the Link
// header's cursors. A few (searches, the profile directory, trends,
// collections) continue by offset: their next page asks for the results
// after the ones received, and they have no previous page. Grouped
// notifications come as a Page[GroupedNotification].
type Page[T any] struct {
	Items []*T
	// Response is the response this page came in. It is what a
	// CallResponse given to the call that fetched the page recorded.
	Response *Response

	c        *Client
	opts     []CallOption
	next     *req
	prev     *req
	byOffset bool
	decode   pageDecoder[T]
}

// pageDecoder reads the items of one page from a 2xx body.
type pageDecoder[T any] func(method string, resp *Response, data []byte) ([]*T, error)

// HasNext reports whether there is a next (older) page to fetch.
func (p *Page[T]) HasNext() bool { return p != nil && p.next != nil }

// HasPrev reports whether there is a previous (newer) page to fetch.
func (p *Page[T]) HasPrev() bool { return p != nil && p.prev != nil }

// Next fetches the next (older) page. It returns (nil, nil) when there is
// none. The call options of the call that fetched p apply again.
func (p *Page[T]) Next(ctx context.Context) (*Page[T], error) {
	if !p.HasNext() {
		return nil, nil
	}
	return fetchPage(ctx, p.c, *p.next, p.opts, p.byOffset, p.decode)
}

// Prev fetches the previous (newer) page. It returns (nil, nil) when there
// is none. The call options of the call that fetched p apply again.
func (p *Page[T]) Prev(ctx context.Context) (*Page[T], error) {
	if !p.HasPrev() {
		return nil, nil
	}
	return fetchPage(ctx, p.c, *p.prev, p.opts, p.byOffset, p.decode)
}

// All iterates over this page's items and those of every following page,
// stopping after the last page or at the first error.
func (p *Page[T]) All(ctx context.Context) iter.Seq2[*T, error] {
	return func(yield func(*T, error) bool) {
		walkPages(ctx, p, yield)
	}
}

func walkPages[T any](ctx context.Context, p *Page[T], yield func(*T, error) bool) {
	// A server whose links go round in a circle would loop forever. Brent's
	// cycle detection notices any circle, in at most a few laps, while
	// holding one cursor: a walk of any length takes constant memory.
	var mark string
	power, steps := 1, 0
	for p != nil {
		for _, it := range p.Items {
			if !yield(it, nil) {
				return
			}
		}
		if !p.HasNext() || len(p.Items) == 0 {
			return
		}
		key := p.next.pageKey()
		if key == mark {
			return
		}
		if steps++; steps == power {
			mark, power, steps = key, power*2, 0
		}
		next, err := p.Next(ctx)
		if err != nil {
			yield(nil, err)
			return
		}
		p = next
	}
}

// iterate returns an iterator that fetches the first page lazily, on the
// first step, and then follows the pages.
func iterate[T any](ctx context.Context, first func() (*Page[T], error)) iter.Seq2[*T, error] {
	return func(yield func(*T, error) bool) {
		p, err := first()
		if err != nil {
			yield(nil, err)
			return
		}
		walkPages(ctx, p, yield)
	}
}

// pageKey names the page a request asks for: its Link cursor, or its
// endpoint and query (offset pages).
func (r *req) pageKey() string {
	if r.RawPath != "" {
		return r.RawPath
	}
	q, _ := form.Marshal(r.Query)
	return r.Path + " " + strings.Join(r.Params, " ") + "?" + q.Encode()
}

// fetchPage sends r and builds the page of what decode reads from the
// answer. Its next and previous pages are fetched the same way, with the
// same call options: by the Link header's cursors, or, when byOffset, by
// advancing r's offset query parameter past the items received.
func fetchPage[T any](ctx context.Context, c *Client, r req, opts []CallOption, byOffset bool, decode pageDecoder[T]) (*Page[T], error) {
	resp, data, err := c.exec(ctx, &r, collect(opts))
	if err != nil {
		return nil, err
	}
	items, err := decode(r.Method, resp, data)
	if err != nil {
		return nil, err
	}
	p := &Page[T]{Items: items, Response: resp, c: c, opts: opts, byOffset: byOffset, decode: decode}
	if byOffset {
		p.next = offsetReq(r, len(items))
	} else {
		p.next = c.cursorReq(r, resp, "next")
		p.prev = c.cursorReq(r, resp, "prev")
	}
	return p, nil
}

// decodeItems reads a page that is a JSON array of T.
func decodeItems[T any](method string, resp *Response, data []byte) ([]*T, error) {
	var items []*T
	if err := decodeOwnedBody(method, resp.redactedURL, resp, data, &items); err != nil {
		return nil, err
	}
	return items, nil
}

// callOffsetList sends r, whose Query sets "offset" (or leaves it at 0),
// and returns a page of a JSON array continued by offset.
func callOffsetList[T any](ctx context.Context, c *Client, r req, opts []CallOption) (*Page[T], error) {
	return fetchPage(ctx, c, r, opts, true, decodeItems[T])
}

// checkOffset refuses a negative limit or offset of an offset-paginated
// list.
func checkOffset(method string, limit, offset int) error {
	if limit < 0 || offset < 0 {
		return illegalArg(method + ": negative limit or offset")
	}
	return nil
}

// offsetReq is r asking for the results after the n it brought: its
// offset query parameter advanced by n. After an empty page (n == 0) the
// list is over and there is no request.
func offsetReq(r req, n int) *req {
	if n <= 0 {
		return nil
	}
	q, err := form.Marshal(r.Query)
	if err != nil {
		return nil // not reached: r was sent with this query
	}
	off, _ := strconv.Atoi(q.Get("offset"))
	q.Set("offset", strconv.Itoa(off+n))
	r.Query = q
	return &r
}

// cursorReq turns a Link cursor into a GET for the same endpoint. The
// cursor is a URL reference resolved (RFC 3986) against the URL of the
// request that brought it; one that leads anywhere but the client's own
// origin, or that cannot be read, is not re-targeted: the request returned
// carries the error and fails without sending anything.
func (c *Client) cursorReq(orig req, resp *Response, rel string) *req {
	link := resp.link(rel)
	if link == "" {
		return nil
	}
	nr := &req{Method: http.MethodGet, Path: orig.Path, Auth: orig.Auth, NoVersionCheck: true}
	what := func() string { return "the Link " + strconv.Quote(rel) + " cursor" }
	ref, err := url.Parse(link)
	if err != nil {
		nr.Refused = &DecodeError{Method: http.MethodGet, URL: resp.redactedURL, StatusCode: resp.StatusCode,
			Err: errors.New(what() + " is not a URL reference")}
		return nr
	}
	base := resp.reqURL
	if base == nil {
		base = c.base
	}
	u := base.ResolveReference(ref)
	if !c.destOK(u, scopeServer) {
		nr.Refused = destError(u, "to follow "+what())
		return nr
	}
	path := u.EscapedPath()
	if path == "" {
		path = "/"
	}
	if base := c.base.EscapedPath(); base != "" && strings.HasPrefix(path, base+"/") {
		path = strings.TrimPrefix(path, base)
	}
	nr.RawPath = path
	if u.RawQuery != "" {
		nr.RawPath += "?" + u.RawQuery
	}
	return nr
}

// ListOptions are the paging parameters of list endpoints. Usually only
// Limit is set; Page.Next and Page.Prev follow the server's cursors.
// Options of lists that take more than paging declare these four fields
// themselves, so that every literal reads &XOptions{Limit: 40}.
type ListOptions struct {
	// MaxID returns results older than this ID.
	MaxID string `form:"max_id"`
	// MinID returns results immediately newer than this ID.
	MinID string `form:"min_id"`
	// SinceID returns the newest results newer than this ID.
	SinceID string `form:"since_id"`
	// Limit caps the page size (the server has its own default and cap).
	Limit int `form:"limit"`
}

package mastodontest

import (
	"slices"
	"strconv"
	"strings"
	"time"
)

// Trends are computed from recent activity each time they are asked for
// (nothing is stored, so nothing grows): Mastodon's review queue and decay
// are left out, every candidate counts as approved until an admin rejects
// it (admin_trends.go).
//
//   - Tags: hashtags of public statuses of the last 7 days, ranked by how
//     many accounts used them, then by uses, then by latest use.
//   - Statuses: public statuses of the last 7 days without a content warning
//     that were favourited or reblogged at least once, ranked by
//     favourites plus reblogs, newer first on ties.
//   - Links: preview cards of public statuses of the last 7 days without a
//     content warning, ranked by how many accounts shared them (posts and
//     reblogs), then by latest share.
//
// SetTrends(false) turns trends off as an admin can: the lists are empty
// and the link timeline answers 404.

const trendWindow = 7 * 24 * time.Hour

func (s *Server) trendRoutes() {
	s.handle("GET /api/v1/trends", route{h: s.trendTags})
	s.handle("GET /api/v1/trends/tags", route{h: s.trendTags})
	s.handle("GET /api/v1/trends/statuses", route{h: s.trendStatuses})
	s.handle("GET /api/v1/trends/links", route{h: s.trendLinks})
	s.handle("GET /api/v1/timelines/link", route{scopes: []string{"read", "read:statuses"}, h: s.linkTimeline})
}

// SetTrends turns the trends endpoints on (the default) or off.
func (s *Server) SetTrends(enabled bool) {
	s.mu.Lock()
	s.st.x.trendsOff = !enabled
	s.mu.Unlock()
}

// trendCandidate reports whether s (an original, not a reblog) may feed
// the trends.
func (st *store) trendCandidate(s *status, since time.Time) bool {
	return s.reblog == nil && s.visibility == "public" && s.spoiler == "" && !s.sensitive && !s.createdAt.Before(since)
}

type tagScore struct {
	name     string
	accounts map[*account]bool
	uses     int
	last     time.Time
}

// trendingTags returns the trending tags the public sees, best first.
func (st *store) trendingTags() []string {
	if st.x.trendsOff {
		return nil
	}
	var out []string
	for _, n := range st.tagCandidates() {
		if !st.rejected("tag:" + n) {
			out = append(out, n)
		}
	}
	return out
}

// trendCandidates returns every tag name or link URL that may trend,
// rejected ones included, best first: what an admin reviews.
func (st *store) trendCandidates(kind string) []string {
	if kind == "tag" {
		return st.tagCandidates()
	}
	return st.linkCandidates()
}

func (st *store) tagCandidates() []string {
	since := st.srv.now().Add(-trendWindow)
	scores := map[string]*tagScore{}
	for i := len(st.timeline) - 1; i >= 0; i-- {
		x := st.timeline[i]
		if x.createdAt.Before(since) {
			break
		}
		if x.reblog != nil || x.visibility != "public" {
			continue
		}
		for _, t := range x.tags {
			k := strings.ToLower(t)
			sc := scores[k]
			if sc == nil {
				sc = &tagScore{name: k, accounts: map[*account]bool{}, last: x.createdAt}
				scores[k] = sc
			}
			sc.accounts[x.account] = true
			sc.uses++
		}
	}
	list := make([]*tagScore, 0, len(scores))
	for _, sc := range scores {
		list = append(list, sc)
	}
	slices.SortFunc(list, func(a, b *tagScore) int {
		if d := len(b.accounts) - len(a.accounts); d != 0 {
			return d
		}
		if d := b.uses - a.uses; d != 0 {
			return d
		}
		if d := b.last.Compare(a.last); d != 0 {
			return d
		}
		return strings.Compare(a.name, b.name)
	})
	out := make([]string, len(list))
	for i, sc := range list {
		out[i] = sc.name
	}
	return out
}

func (st *store) trendingStatuses(viewer *account) []*status {
	if st.x.trendsOff {
		return nil
	}
	return st.trendingStatusesFor(viewer, false)
}

// trendingStatusesFor returns the trending statuses viewer may see, with
// rejected ones when withRejected is set.
func (st *store) trendingStatusesFor(viewer *account, withRejected bool) []*status {
	since := st.srv.now().Add(-trendWindow)
	var list []*status
	for i := len(st.timeline) - 1; i >= 0; i-- {
		x := st.timeline[i]
		if x.createdAt.Before(since) {
			break
		}
		if st.trendCandidate(x, since) && x.nFavs+x.nReblogs > 0 && st.canSee(viewer, x) &&
			(withRejected || !st.rejected("status:"+x.id)) &&
			!st.hiddenFor(viewer, x) && !st.domainBlocked(viewer, x.account) {
			list = append(list, x)
		}
	}
	slices.SortStableFunc(list, func(a, b *status) int { return (b.nFavs + b.nReblogs) - (a.nFavs + a.nReblogs) })
	return list
}

type linkScore struct {
	url      string
	accounts map[*account]bool
	last     time.Time
}

// trendingLinks returns the trending card URLs the public sees, best
// first.
func (st *store) trendingLinks() []string {
	if st.x.trendsOff {
		return nil
	}
	var out []string
	for _, u := range st.linkCandidates() {
		if !st.rejected("link:" + u) {
			out = append(out, u)
		}
	}
	return out
}

func (st *store) linkCandidates() []string {
	since := st.srv.now().Add(-trendWindow)
	scores := map[string]*linkScore{}
	var order []*linkScore
	for i := len(st.timeline) - 1; i >= 0; i-- {
		x := st.timeline[i]
		if x.createdAt.Before(since) {
			break
		}
		orig := x
		if x.reblog != nil {
			orig = x.reblog
		}
		if x.visibility != "public" || !st.trendCandidate(orig, time.Time{}) || st.cardFor(orig.cardURL) == nil {
			continue
		}
		sc := scores[orig.cardURL]
		if sc == nil {
			sc = &linkScore{url: orig.cardURL, accounts: map[*account]bool{}, last: x.createdAt}
			scores[orig.cardURL] = sc
			order = append(order, sc)
		}
		sc.accounts[x.account] = true
	}
	slices.SortStableFunc(order, func(a, b *linkScore) int { return len(b.accounts) - len(a.accounts) })
	out := make([]string, len(order))
	for i, sc := range order {
		out[i] = sc.url
	}
	return out
}

// linkHistory counts, per day of the last week, the shares of a link and
// the accounts that shared it.
func (st *store) linkHistory(u string) []map[string]any {
	now := st.srv.now()
	hist := []map[string]any{}
	for i := range 7 {
		day := time.Date(now.Year(), now.Month(), now.Day()-i, 0, 0, 0, 0, time.UTC)
		uses, accts := 0, map[*account]bool{}
		for _, x := range st.timeline {
			orig := x
			if x.reblog != nil {
				orig = x.reblog
			}
			if orig.cardURL == u && x.visibility == "public" && !x.createdAt.Before(day) && x.createdAt.Before(day.Add(24*time.Hour)) {
				uses++
				accts[x.account] = true
			}
		}
		hist = append(hist, map[string]any{"day": strconv.FormatInt(day.Unix(), 10), "accounts": strconv.Itoa(len(accts)), "uses": strconv.Itoa(uses)})
	}
	return hist
}

// offsetPage reads limit and offset and sets the Link header the way
// Mastodon's trends controllers do: "next" when the page is full, "prev"
// only once the offset is past one page (their condition, kept as is).
func (c *call) offsetPage(def, total int) (lo, hi int) {
	pg := c.page(def, def*2)
	off, _ := c.p.integer("offset")
	off = max(off, 0)
	lo, hi = min(off, total), min(off+pg.limit, total)
	var next, prev string
	if hi-lo == pg.limit && pg.limit > 0 {
		next = c.pageURL([]string{"limit"}, "offset", strconv.Itoa(off+pg.limit))
	}
	if off > pg.limit {
		prev = c.pageURL([]string{"limit"}, "offset", strconv.Itoa(off-pg.limit))
	}
	c.setLink(next, prev)
	return lo, hi
}

func (s *Server) trendTags(c *call) (result, *apiError) {
	names := c.st.trendingTags()
	lo, hi := c.offsetPage(10, len(names))
	out := []jsonFullTag{}
	for _, n := range names[lo:hi] {
		out = append(out, c.st.renderTag(n, c.me))
	}
	return ok(out), nil
}

func (s *Server) trendStatuses(c *call) (result, *apiError) {
	list := c.st.trendingStatuses(c.me)
	lo, hi := c.offsetPage(20, len(list))
	out := []*jsonStatus{}
	for _, x := range list[lo:hi] {
		out = append(out, c.st.renderStatus(x, c.me, renderOpts{filterCtx: "public"}))
	}
	return ok(out), nil
}

func (s *Server) trendLinks(c *call) (result, *apiError) {
	urls := c.st.trendingLinks()
	lo, hi := c.offsetPage(10, len(urls))
	out := []*jsonCard{}
	for _, u := range urls[lo:hi] {
		j := c.st.cardFor(u)
		j.History = c.st.linkHistory(u)
		out = append(out, j)
	}
	return ok(out), nil
}

// linkTimeline serves /api/v1/timelines/link: the public statuses whose
// card is for url, which must be a trending link's URL exactly as the
// trends give it (404 otherwise, as on Mastodon).
func (s *Server) linkTimeline(c *call) (result, *apiError) {
	u := c.p.str("url")
	if u == "" || !slices.Contains(c.st.trendingLinks(), u) {
		return result{}, errNotFound
	}
	list, _ := c.statusPage(20, 40, func(x *status) bool {
		return x.cardURL == u && c.st.inPublic(c.me, x, false)
	})
	out, keys := c.renderStatuses(list, "public")
	c.linkTimeline(keys, []string{"url", "limit"})
	return ok(out), nil
}

package mastodontest

import (
	"strings"
)

// The admin side of trends: GET /api/v1/admin/trends/links, statuses and
// tags, and POST …/{id}/approve and …/{id}/reject for each. As in
// Mastodon's Admin::Trends controllers, the lists need the admin:read
// scope of a token sent and show an admin every candidate with its review
// state ("requires_review"); anyone else gets the public trends. Approving
// and rejecting need admin:write and an admin (403 "This action is not
// allowed" otherwise). A rejected candidate leaves the public trends; one
// not yet reviewed stays in them, as this server has no review queue (see
// trends.go), and approving it only marks it reviewed.

func (s *Server) adminTrendRoutes() {
	r := []string{"admin:read"}
	w := []string{"admin:write"}
	s.handle("GET /api/v1/admin/trends/links", route{scopes: r, h: s.adminTrendLinks})
	s.handle("GET /api/v1/admin/trends/statuses", route{scopes: r, h: s.adminTrendStatuses})
	s.handle("GET /api/v1/admin/trends/tags", route{scopes: r, h: s.adminTrendTags})
	for _, op := range []string{"approve", "reject"} {
		s.handle("POST /api/v1/admin/trends/links/{id}/"+op, route{scopes: w, h: s.reviewTrend("link", op == "approve")})
		s.handle("POST /api/v1/admin/trends/statuses/{id}/"+op, route{scopes: w, h: s.reviewTrend("status", op == "approve")})
		s.handle("POST /api/v1/admin/trends/tags/{id}/"+op, route{scopes: w, h: s.reviewTrend("tag", op == "approve")})
	}
}

// rejected reports whether an admin rejected the candidate key.
func (st *store) rejected(key string) bool {
	ok, reviewed := st.x.trendReview[key]
	return reviewed && !ok
}

// review returns the admin fields of a candidate: whether it may trend
// and whether it awaits review.
func (st *store) review(key string) (trendable, requiresReview bool) {
	ok, reviewed := st.x.trendReview[key]
	return !reviewed || ok, !reviewed
}

// cardID returns the id of the preview card of a link, giving one the
// first time.
func (st *store) cardID(u string) string {
	id := st.x.cardIDs[u]
	if id == "" {
		id = st.nextSeq("card")
		st.x.cardIDs[u] = id
	}
	return id
}

func isAdmin(c *call) bool { return c.me != nil && c.me.admin && !c.st.loginDisabled(c.me) }

type jsonAdminTrendLink struct {
	*jsonCard
	ID             string `json:"id"`
	RequiresReview bool   `json:"requires_review"`
}

type jsonAdminTrendStatus struct {
	*jsonStatus
	RequiresReview bool `json:"requires_review"`
}

type jsonAdminTag struct {
	jsonFullTag
	Trendable      bool `json:"trendable"`
	Usable         bool `json:"usable"`
	RequiresReview bool `json:"requires_review"`
	Listable       bool `json:"listable"`
}

func (st *store) renderAdminLink(u string) jsonAdminTrendLink {
	j := st.cardFor(u)
	j.History = st.linkHistory(u)
	_, rr := st.review("link:" + u)
	return jsonAdminTrendLink{jsonCard: j, ID: st.cardID(u), RequiresReview: rr}
}

func (st *store) renderAdminTag(name string, viewer *account) jsonAdminTag {
	tr, rr := st.review("tag:" + strings.ToLower(name))
	return jsonAdminTag{jsonFullTag: st.renderTag(name, viewer), Trendable: tr, Usable: true, RequiresReview: rr, Listable: true}
}

func (s *Server) adminTrendLinks(c *call) (result, *apiError) {
	if !isAdmin(c) {
		return s.trendLinks(c)
	}
	urls := c.st.trendCandidates("link")
	lo, hi := c.offsetPage(10, len(urls))
	out := []jsonAdminTrendLink{}
	for _, u := range urls[lo:hi] {
		out = append(out, c.st.renderAdminLink(u))
	}
	return ok(out), nil
}

func (s *Server) adminTrendStatuses(c *call) (result, *apiError) {
	if !isAdmin(c) {
		return s.trendStatuses(c)
	}
	list := c.st.trendingStatusesFor(c.me, true)
	lo, hi := c.offsetPage(20, len(list))
	out := []jsonAdminTrendStatus{}
	for _, x := range list[lo:hi] {
		_, rr := c.st.review("status:" + x.id)
		out = append(out, jsonAdminTrendStatus{c.st.renderStatus(x, c.me, renderOpts{skipFilter: true}), rr})
	}
	return ok(out), nil
}

func (s *Server) adminTrendTags(c *call) (result, *apiError) {
	if !isAdmin(c) {
		return s.trendTags(c)
	}
	names := c.st.trendCandidates("tag")
	lo, hi := c.offsetPage(10, len(names))
	out := []jsonAdminTag{}
	for _, n := range names[lo:hi] {
		out = append(out, c.st.renderAdminTag(n, c.me))
	}
	return ok(out), nil
}

// reviewTrend approves or rejects a trend candidate: a link by its preview
// card's id, a status or a tag by its id.
func (s *Server) reviewTrend(kind string, approve bool) handler {
	return func(c *call) (result, *apiError) {
		if !isAdmin(c) {
			return result{}, errForbidden
		}
		st, id := c.st, c.r.PathValue("id")
		switch kind {
		case "link":
			for u, cid := range st.x.cardIDs {
				if cid == id {
					st.x.trendReview["link:"+u] = approve
					return ok(st.renderAdminLink(u)), nil
				}
			}
		case "status":
			if x := st.statuses[id]; x != nil && x.reblog == nil && st.canSee(c.me, x) {
				st.x.trendReview["status:"+id] = approve
				_, rr := st.review("status:" + id)
				return ok(jsonAdminTrendStatus{st.renderStatus(x, c.me, renderOpts{skipFilter: true}), rr}), nil
			}
		case "tag":
			for name, ts := range st.tags {
				if ts.id == id {
					st.x.trendReview["tag:"+name] = approve
					return ok(st.renderAdminTag(name, c.me)), nil
				}
			}
		}
		return result{}, errNotFound
	}
}

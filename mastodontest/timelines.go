package mastodontest

import (
	"strings"
)

func (s *Server) timelineRoutes() {
	s.handle("GET /api/v1/timelines/home", route{need: userToken, scopes: []string{"read", "read:statuses"}, h: s.homeTimeline})
	s.handle("GET /api/v1/timelines/public", route{h: s.publicTimeline})
	s.handle("GET /api/v1/timelines/tag/{hashtag}", route{h: s.tagTimeline})
	s.handle("GET /api/v1/timelines/list/{list_id}", route{need: userToken, scopes: []string{"read", "read:lists"}, h: s.listTimeline})
	s.handle("GET /api/v1/timelines/direct", route{need: userToken, scopes: []string{"read", "read:statuses"}, h: s.directTimeline})
	s.handle("GET /api/v1/accounts/{id}/statuses", route{h: s.accountStatuses})
	s.handle("GET /api/v1/favourites", route{need: userToken, scopes: []string{"read", "read:favourites"}, h: s.reactionList(false)})
	s.handle("GET /api/v1/bookmarks", route{need: userToken, scopes: []string{"read", "read:bookmarks"}, h: s.reactionList(true)})
}

// statusPage runs a paginated timeline query over every status, newest
// first, keeping those match accepts.
func (c *call) statusPage(def, max int, match func(*status) bool) ([]*status, pager) {
	pg := c.page(def, max)
	var out []*status
	tl := c.st.timeline
	for i := len(tl) - 1; i >= 0 && (len(out) < pg.limit || pg.minID != ""); i-- {
		s := tl[i]
		if pg.maxID != "" && cmpID(s.id, pg.maxID) >= 0 {
			continue
		}
		if pg.sinceID != "" && cmpID(s.id, pg.sinceID) <= 0 {
			break
		}
		if pg.minID != "" && cmpID(s.id, pg.minID) <= 0 {
			break
		}
		if match(s) {
			out = append(out, s)
		}
	}
	if pg.minID != "" && len(out) > pg.limit {
		out = out[len(out)-pg.limit:]
	}
	if len(out) > pg.limit {
		out = out[:pg.limit]
	}
	return out, pg
}

func (c *call) renderStatuses(list []*status, ctx string) ([]*jsonStatus, []string) {
	out := []*jsonStatus{}
	var keys []string
	for _, s := range list {
		j := c.st.renderStatus(s, c.me, renderOpts{filterCtx: ctx})
		keys = append(keys, s.id)
		if c.st.filterHides(j) {
			continue
		}
		out = append(out, j)
	}
	return out, keys
}

func (s *Server) homeTimeline(c *call) (result, *apiError) {
	local := c.p.truthy("local")
	list, _ := c.statusPage(20, 40, func(x *status) bool {
		return c.st.inHome(c.me, x) && !c.st.inExclusiveList(c.me, x)
	})
	_ = local // every account is local here
	out, keys := c.renderStatuses(list, "home")
	c.linkTimeline(keys, []string{"local", "limit"})
	return ok(out), nil
}

func (s *Server) publicTimeline(c *call) (result, *apiError) {
	remote := c.p.truthy("remote")
	media := c.p.truthy("only_media")
	local := c.p.truthy("local")
	list, _ := c.statusPage(20, 40, func(x *status) bool {
		return (!remote || x.account.domain != "") && (!local || x.account.domain == "") && c.st.inPublic(c.me, x, media)
	})
	out, keys := c.renderStatuses(list, "public")
	c.linkTimeline(keys, []string{"local", "remote", "only_media", "limit"})
	return ok(out), nil
}

func (s *Server) tagTimeline(c *call) (result, *apiError) {
	tag := c.r.PathValue("hashtag")
	any, all, none := c.p.strs("any"), c.p.strs("all"), c.p.strs("none")
	remote, local := c.p.truthy("remote"), c.p.truthy("local")
	media := c.p.truthy("only_media")
	list, _ := c.statusPage(20, 40, func(x *status) bool {
		if (remote && x.account.domain == "") || (local && x.account.domain != "") || !c.st.inPublic(c.me, x, media) {
			return false
		}
		hit := c.st.hasTag(x, tag)
		for _, t := range any {
			hit = hit || c.st.hasTag(x, t)
		}
		if !hit {
			return false
		}
		for _, t := range all {
			if !c.st.hasTag(x, t) {
				return false
			}
		}
		for _, t := range none {
			if c.st.hasTag(x, t) {
				return false
			}
		}
		return true
	})
	out, keys := c.renderStatuses(list, "public")
	c.linkTimeline(keys, []string{"local", "remote", "only_media", "limit", "any", "all", "none"})
	return ok(out), nil
}

func (s *Server) listTimeline(c *call) (result, *apiError) {
	l := c.st.lists[c.r.PathValue("list_id")]
	if l == nil || l.owner != c.me {
		return result{}, errNotFound
	}
	list, _ := c.statusPage(20, 40, func(x *status) bool { return c.st.inList(l, x) })
	out, keys := c.renderStatuses(list, "home")
	c.linkTimeline(keys, []string{"limit"})
	return ok(out), nil
}

func (s *Server) directTimeline(c *call) (result, *apiError) {
	list, _ := c.statusPage(20, 40, func(x *status) bool {
		return x.visibility == "direct" && c.st.canSee(c.me, x) && !c.st.hiddenFor(c.me, x)
	})
	out, keys := c.renderStatuses(list, "thread")
	c.linkTimeline(keys, []string{"limit"})
	return ok(out), nil
}

func (s *Server) accountStatuses(c *call) (result, *apiError) {
	a := c.st.accounts[c.r.PathValue("id")]
	if a == nil {
		return result{}, errNotFound
	}
	if c.st.isBlocking(a, c.me) {
		return ok([]any{}), nil
	}
	onlyMedia, noReplies, noReblogs := c.p.truthy("only_media"), c.p.truthy("exclude_replies"), c.p.truthy("exclude_reblogs")
	tagged := c.p.str("tagged")
	permitted := []string{"limit", "only_media", "exclude_replies", "exclude_reblogs", "pinned", "tagged"}
	if c.p.truthy("pinned") {
		pg := c.page(20, 40)
		var ids []string
		for _, id := range a.pinned {
			if x := c.st.statuses[id]; x != nil && c.st.canSee(c.me, x) {
				ids = append(ids, id)
			}
		}
		out := []*jsonStatus{}
		var keys []string
		for _, i := range pg.apply(ids) {
			out = append(out, c.st.renderStatus(c.st.statuses[ids[i]], c.me, renderOpts{filterCtx: "account"}))
			keys = append(keys, ids[i])
		}
		c.linkList(keys, pg, permitted, "min_id")
		return ok(out), nil
	}
	list, pg := c.statusPage(20, 40, func(x *status) bool {
		if x.account != a || !c.st.canSee(c.me, x) {
			return false
		}
		if onlyMedia && (x.reblog != nil || len(x.media) == 0) {
			return false
		}
		if noReplies && x.inReplyTo != "" && x.inReplyAcct != a.id {
			return false
		}
		if noReblogs && x.reblog != nil {
			return false
		}
		if tagged != "" && (x.reblog != nil || !c.st.hasTag(x, tagged)) {
			return false
		}
		return true
	})
	out, keys := c.renderStatuses(list, "account")
	c.linkList(keys, pg, permitted, "min_id")
	return ok(out), nil
}

func (s *Server) reactionList(bookmarks bool) handler {
	return func(c *call) (result, *apiError) {
		src := c.st.favs
		if bookmarks {
			src = c.st.bookmarks
		}
		var mine []*reaction
		for i := len(src) - 1; i >= 0; i-- {
			if src[i].account == c.me && c.st.canSee(c.me, src[i].status) {
				mine = append(mine, src[i])
			}
		}
		ids := make([]string, len(mine))
		for i, r := range mine {
			ids[i] = r.id
		}
		pg := c.page(20, 40)
		out := []*jsonStatus{}
		var keys []string
		for _, i := range pg.apply(ids) {
			out = append(out, c.st.renderStatus(mine[i].status, c.me, renderOpts{skipFilter: true}))
			keys = append(keys, mine[i].id)
		}
		// Mastodon's favourites and bookmarks controllers point "prev"
		// at min_id.
		c.linkList(keys, pg, nil, "min_id")
		return ok(out), nil
	}
}

func equalFoldTag(a, b string) bool { return strings.EqualFold(a, b) }

// inExclusiveList reports whether s comes from a member of one of the
// viewer's exclusive lists, which keeps it out of the home timeline.
func (st *store) inExclusiveList(viewer *account, s *status) bool {
	if s.account == viewer {
		return false
	}
	for _, l := range st.lists {
		if l.owner == viewer && l.exclusive {
			for _, m := range l.members {
				if m == s.account.id {
					return true
				}
			}
		}
	}
	return false
}

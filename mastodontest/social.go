package mastodontest

import (
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

func (s *Server) socialRoutes() {
	// polls
	s.handle("GET /api/v1/polls/{id}", route{scopes: []string{"read", "read:statuses"}, h: s.getPoll})
	s.handle("POST /api/v1/polls/{id}/votes", route{need: userToken, scopes: []string{"write", "write:statuses"}, h: s.votePoll})
	// lists
	rl, wl := []string{"read", "read:lists"}, []string{"write", "write:lists"}
	s.handle("GET /api/v1/lists", route{need: userToken, scopes: rl, h: s.getLists})
	s.handle("POST /api/v1/lists", route{need: userToken, scopes: wl, h: s.createList})
	s.handle("GET /api/v1/lists/{id}", route{need: userToken, scopes: rl, h: s.listOp("get")})
	s.handle("PUT /api/v1/lists/{id}", route{need: userToken, scopes: wl, h: s.listOp("update")})
	s.handle("DELETE /api/v1/lists/{id}", route{need: userToken, scopes: wl, h: s.listOp("delete")})
	s.handle("GET /api/v1/lists/{id}/accounts", route{need: userToken, scopes: rl, h: s.listOp("accounts")})
	s.handle("POST /api/v1/lists/{id}/accounts", route{need: userToken, scopes: wl, h: s.listOp("add")})
	s.handle("DELETE /api/v1/lists/{id}/accounts", route{need: userToken, scopes: wl, h: s.listOp("remove")})
	s.handle("GET /api/v1/accounts/{id}/lists", route{need: userToken, scopes: rl, h: s.accountLists})
	// markers
	s.handle("GET /api/v1/markers", route{need: userToken, scopes: []string{"read", "read:statuses"}, h: s.getMarkers})
	s.handle("POST /api/v1/markers", route{need: userToken, scopes: []string{"write", "write:statuses"}, h: s.setMarkers})
	// conversations
	s.handle("GET /api/v1/conversations", route{need: userToken, scopes: []string{"read", "read:statuses"}, h: s.listConversations})
	s.handle("DELETE /api/v1/conversations/{id}", route{need: userToken, scopes: []string{"write", "write:conversations"}, h: s.convOp(false)})
	s.handle("POST /api/v1/conversations/{id}/read", route{need: userToken, scopes: []string{"write", "write:conversations"}, h: s.convOp(true)})
	// search and tags
	s.handle("GET /api/v2/search", route{scopes: []string{"read", "read:search"}, h: s.search})
	s.handle("GET /api/v1/tags/{name}", route{h: s.tagOp("get")})
	s.handle("POST /api/v1/tags/{name}/follow", route{need: userToken, scopes: []string{"write", "write:follows", "follow"}, h: s.tagOp("follow")})
	s.handle("POST /api/v1/tags/{name}/unfollow", route{need: userToken, scopes: []string{"write", "write:follows", "follow"}, h: s.tagOp("unfollow")})
	s.handle("GET /api/v2/notifications/policy", route{need: userToken, scopes: []string{"read", "read:notifications"}, h: s.notificationPolicy})
	s.handle("PATCH /api/v2/notifications/policy", route{need: userToken, scopes: []string{"write", "write:notifications"}, h: s.notificationPolicy})
	s.handle("GET /api/v1/followed_tags", route{need: userToken, scopes: []string{"read", "read:follows", "follow"}, h: s.followedTags})
}

// polls

func (s *Server) findPoll(c *call) (*poll, *status, *apiError) {
	p := c.st.polls[c.r.PathValue("id")]
	if p == nil {
		return nil, nil, errNotFound
	}
	stt := c.st.statuses[p.statusID]
	if stt == nil || !c.st.canSee(c.me, stt) {
		return nil, nil, errNotFound
	}
	return p, stt, nil
}

func (s *Server) getPoll(c *call) (result, *apiError) {
	p, _, err := s.findPoll(c)
	if err != nil {
		return result{}, err
	}
	return ok(c.st.renderPoll(p, c.me)), nil
}

func (s *Server) votePoll(c *call) (result, *apiError) {
	p, _, err := s.findPoll(c)
	if err != nil {
		return result{}, err
	}
	if c.st.pollExpired(p) {
		return result{}, errf(422, "Validation failed: The poll has already ended")
	}
	// As Mastodon's VoteValidator: a single-choice poll takes one vote; a
	// multiple-choice poll takes further choices, each at most once.
	prev, voted := p.votes[c.me.id]
	if voted && !p.multiple {
		return result{}, errf(422, "Validation failed: You have already voted on this poll")
	}
	var choices []int
	for _, v := range c.p.strs("choices") {
		n, err := strconv.Atoi(strings.TrimSpace(v))
		if err != nil || n < 0 || n >= len(p.options) {
			return result{}, errf(422, "Validation failed: Votes choice is not a valid option")
		}
		if slices.Contains(prev, n) {
			return result{}, errf(422, "Validation failed: You have already voted on this poll")
		}
		if !slices.Contains(choices, n) {
			choices = append(choices, n)
		}
	}
	if len(choices) == 0 {
		return result{}, errf(422, "Validation failed: Votes choice is not a valid option")
	}
	if !p.multiple && len(choices) > 1 {
		return result{}, errf(422, "Validation failed: You have already voted on this poll")
	}
	p.votes[c.me.id] = append(prev, choices...)
	return ok(c.st.renderPoll(p, c.me)), nil
}

// lists

func (s *Server) getLists(c *call) (result, *apiError) {
	out := []jsonList{}
	for _, l := range c.st.sortedLists() {
		if l.owner == c.me {
			out = append(out, renderList(l))
		}
	}
	return ok(out), nil
}

func (st *store) sortedLists() []*list {
	var ls []*list
	for _, l := range st.lists {
		ls = append(ls, l)
	}
	slices.SortFunc(ls, func(a, b *list) int { return cmpID(a.id, b.id) })
	return ls
}

func (c *call) applyList(l *list) *apiError {
	if c.p.has("title") {
		t := strings.TrimSpace(c.p.str("title"))
		if t == "" {
			return validation("title", "ERR_BLANK", "can't be blank", "Title can't be blank")
		}
		l.title = t
	}
	if v := c.p.str("replies_policy"); v != "" {
		if !slices.Contains([]string{"followed", "list", "none"}, v) {
			return validation("replies_policy", "ERR_INCLUSION", "is not included in the list", "Replies policy is not included in the list")
		}
		l.replies = v
	}
	if b, ok := c.p.boolean("exclusive"); ok {
		l.exclusive = b
	}
	return nil
}

func (s *Server) createList(c *call) (result, *apiError) {
	l := &list{id: c.st.nextSeq("list"), owner: c.me, replies: "list"}
	if strings.TrimSpace(c.p.str("title")) == "" {
		return result{}, validation("title", "ERR_BLANK", "can't be blank", "Title can't be blank")
	}
	if err := c.applyList(l); err != nil {
		return result{}, err
	}
	c.st.lists[l.id] = l
	return ok(renderList(l)), nil
}

func (s *Server) listOp(op string) handler {
	return func(c *call) (result, *apiError) {
		l := c.st.lists[c.r.PathValue("id")]
		if l == nil || l.owner != c.me {
			return result{}, errNotFound
		}
		switch op {
		case "update":
			if err := c.applyList(l); err != nil {
				return result{}, err
			}
		case "delete":
			delete(c.st.lists, l.id)
			return ok(nil), nil
		case "accounts":
			ids := slices.Clone(l.members)
			slices.SortFunc(ids, func(a, b string) int { return cmpID(b, a) })
			pg := c.page(40, 80)
			if c.p.str("limit") == "0" {
				pg.limit = len(ids)
			}
			out := []jsonAccount{}
			var keys []string
			for _, i := range pg.apply(ids) {
				out = append(out, c.st.renderAccount(c.st.accounts[ids[i]], c.me))
				keys = append(keys, ids[i])
			}
			c.linkAccounts(keys, pg, nil)
			return ok(out), nil
		case "add":
			for _, id := range c.p.strs("account_ids") {
				a := c.st.accounts[id]
				if a == nil {
					return result{}, errNotFound
				}
				if !c.st.isFollowing(c.me, a) {
					return result{}, errf(422, "Validation failed: Account must be followed to be added to a list")
				}
				if slices.Contains(l.members, id) {
					return result{}, errf(422, "Validation failed: Account has already been taken")
				}
			}
			l.members = append(l.members, c.p.strs("account_ids")...)
			return ok(nil), nil
		case "remove":
			ids := c.p.strs("account_ids")
			l.members = slices.DeleteFunc(l.members, func(id string) bool { return slices.Contains(ids, id) })
			return ok(nil), nil
		}
		return ok(renderList(l)), nil
	}
}

func (s *Server) accountLists(c *call) (result, *apiError) {
	t, err := c.target()
	if err != nil {
		return result{}, err
	}
	out := []jsonList{}
	for _, l := range c.st.sortedLists() {
		if l.owner == c.me && slices.Contains(l.members, t.id) {
			out = append(out, renderList(l))
		}
	}
	return ok(out), nil
}

// markers

type jsonMarker struct {
	LastReadID string `json:"last_read_id"`
	Version    int    `json:"version"`
	UpdatedAt  string `json:"updated_at"`
}

func (s *Server) getMarkers(c *call) (result, *apiError) {
	out := map[string]jsonMarker{}
	for _, tl := range c.p.strs("timeline") {
		if m := c.st.markers[c.me.id][tl]; m != nil {
			out[tl] = jsonMarker{m.lastRead, m.version, fmtTime(m.updatedAt)}
		}
	}
	return ok(out), nil
}

func (s *Server) setMarkers(c *call) (result, *apiError) {
	if c.st.markers[c.me.id] == nil {
		c.st.markers[c.me.id] = map[string]*marker{}
	}
	out := map[string]jsonMarker{}
	for _, tl := range []string{"home", "notifications"} {
		id := c.p.str(tl + "[last_read_id]")
		if id == "" {
			continue
		}
		m := c.st.markers[c.me.id][tl]
		if m == nil {
			m = &marker{}
			c.st.markers[c.me.id][tl] = m
		}
		m.lastRead, m.updatedAt = id, s.now()
		m.version++
		out[tl] = jsonMarker{m.lastRead, m.version, fmtTime(m.updatedAt)}
	}
	return ok(out), nil
}

// conversations

type jsonConversation struct {
	ID         string        `json:"id"`
	Unread     bool          `json:"unread"`
	Accounts   []jsonAccount `json:"accounts"`
	LastStatus *jsonStatus   `json:"last_status"`
}

func (st *store) updateConversation(s *status) {
	parts := map[string]bool{s.account.id: true}
	for _, m := range s.mentions {
		parts[m.id] = true
	}
	var cv *conversation
	if parent := st.statuses[s.inReplyTo]; parent != nil && parent.conv != "" {
		cv = st.convs[parent.conv]
	}
	if cv == nil {
		cv = &conversation{id: st.nextSeq("conversation"), participant: parts, unread: map[string]bool{}, removed: map[string]bool{}}
		st.convs[cv.id] = cv
	}
	for id := range parts {
		cv.participant[id] = true
	}
	s.conv = cv.id
	cv.lastStatus = s.id
	for id := range cv.participant {
		cv.removed[id] = false
		cv.unread[id] = id != s.account.id
	}
	st.srv.hub.conversationEvent(st, cv)
}

func (st *store) renderConversation(cv *conversation, viewer *account) jsonConversation {
	j := jsonConversation{ID: cv.id, Unread: cv.unread[viewer.id], Accounts: []jsonAccount{}}
	var ids []string
	for id := range cv.participant {
		if id != viewer.id {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	for _, id := range ids {
		if a := st.accounts[id]; a != nil {
			j.Accounts = append(j.Accounts, st.renderAccount(a, viewer))
		}
	}
	if s := st.statuses[cv.lastStatus]; s != nil {
		j.LastStatus = st.renderStatus(s, viewer, renderOpts{filterCtx: "thread"})
	}
	return j
}

func (s *Server) listConversations(c *call) (result, *apiError) {
	var cvs []*conversation
	for _, cv := range c.st.convs {
		if cv.participant[c.me.id] && !cv.removed[c.me.id] && c.st.statuses[cv.lastStatus] != nil {
			cvs = append(cvs, cv)
		}
	}
	slices.SortFunc(cvs, func(a, b *conversation) int { return cmpID(b.lastStatus, a.lastStatus) })
	ids := make([]string, len(cvs))
	for i, cv := range cvs {
		ids[i] = cv.lastStatus
	}
	pg := c.page(20, 40)
	out := []jsonConversation{}
	var keys []string
	for _, i := range pg.apply(ids) {
		out = append(out, c.st.renderConversation(cvs[i], c.me))
		keys = append(keys, ids[i])
	}
	c.linkList(keys, pg, nil, "min_id")
	return ok(out), nil
}

func (s *Server) convOp(read bool) handler {
	return func(c *call) (result, *apiError) {
		cv := c.st.convs[c.r.PathValue("id")]
		if cv == nil || !cv.participant[c.me.id] || cv.removed[c.me.id] {
			return result{}, errNotFound
		}
		if read {
			cv.unread[c.me.id] = false
			return ok(c.st.renderConversation(cv, c.me)), nil
		}
		cv.removed[c.me.id] = true
		return ok(nil), nil
	}
}

// search and tags

type jsonFullTag struct {
	ID        string           `json:"id"`
	Name      string           `json:"name"`
	URL       string           `json:"url"`
	History   []map[string]any `json:"history"`
	Following *bool            `json:"following,omitempty"`
	Featuring *bool            `json:"featuring,omitempty"`
}

func (st *store) renderTag(name string, viewer *account) jsonFullTag {
	lower := strings.ToLower(name)
	ts := st.tags[lower]
	if ts == nil {
		ts = &tagState{name: lower, id: st.nextSeq("tag")}
		st.tags[lower] = ts
	}
	now := st.srv.now()
	hist := []map[string]any{}
	for i := range 7 {
		day := time.Date(now.Year(), now.Month(), now.Day()-i, 0, 0, 0, 0, time.UTC)
		uses, accts := 0, map[*account]bool{}
		for _, s := range st.timeline {
			if s.reblog == nil && st.hasTag(s, name) && !s.createdAt.Before(day) && s.createdAt.Before(day.Add(24*time.Hour)) {
				uses++
				accts[s.account] = true
			}
		}
		hist = append(hist, map[string]any{"day": strconv.FormatInt(day.Unix(), 10), "accounts": strconv.Itoa(len(accts)), "uses": strconv.Itoa(uses)})
	}
	j := jsonFullTag{ID: ts.id, Name: name, URL: st.srv.URL + "/tags/" + lower, History: hist}
	if viewer != nil {
		j.Following = ptr(st.tagFollows[edge{viewer.id, lower}] != "")
		j.Featuring = ptr(st.isFeatured(viewer, name) != nil)
	}
	return j
}

var tagNameRE = regexp.MustCompile(`^[\p{L}\p{N}_]*[\p{L}_][\p{L}\p{N}_]*$`)

func (s *Server) tagOp(op string) handler {
	return func(c *call) (result, *apiError) {
		name := strings.TrimPrefix(c.r.PathValue("name"), "#")
		if !tagNameRE.MatchString(name) {
			return result{}, errNotFound
		}
		switch op {
		case "follow":
			if k := (edge{c.me.id, strings.ToLower(name)}); c.st.tagFollows[k] == "" {
				c.st.tagFollows[k] = c.st.nextSeq("tag_follow")
			}
		case "unfollow":
			delete(c.st.tagFollows, edge{c.me.id, strings.ToLower(name)})
		}
		return ok(c.st.renderTag(name, c.me)), nil
	}
}

func (s *Server) followedTags(c *call) (result, *apiError) {
	type item struct{ id, name string }
	var items []item
	for e, id := range c.st.tagFollows {
		if e.from == c.me.id {
			items = append(items, item{id, e.to})
		}
	}
	slices.SortFunc(items, func(a, b item) int { return cmpID(b.id, a.id) })
	ids := make([]string, len(items))
	for i, it := range items {
		ids[i] = it.id
	}
	pg := c.page(100, 200)
	out := []jsonFullTag{}
	var keys []string
	for _, i := range pg.apply(ids) {
		out = append(out, c.st.renderTag(items[i].name, c.me))
		keys = append(keys, items[i].id)
	}
	c.linkAccounts(keys, pg, nil)
	return ok(out), nil
}

func (s *Server) search(c *call) (result, *apiError) {
	q := strings.TrimSpace(c.p.str("q"))
	typ := c.p.str("type")
	limit := c.page(20, 40).limit
	offset, _ := c.p.integer("offset")
	res := map[string]any{"accounts": []jsonAccount{}, "statuses": []*jsonStatus{}, "hashtags": []jsonFullTag{}, "collections": []any{}}
	if q == "" {
		return ok(res), nil
	}
	if typ == "" || typ == "accounts" {
		out := []jsonAccount{}
		for i, a := range c.st.searchAccounts(strings.ToLower(strings.TrimPrefix(q, "@"))) {
			if i < offset || len(out) >= limit {
				continue
			}
			out = append(out, c.st.renderAccount(a, c.me))
		}
		res["accounts"] = out
	}
	if (typ == "" || typ == "statuses") && c.me != nil {
		out := []*jsonStatus{}
		ql := strings.ToLower(q)
		n := 0
		for i := len(c.st.timeline) - 1; i >= 0 && len(out) < limit; i-- {
			x := c.st.timeline[i]
			if x.reblog != nil || !c.st.canSee(c.me, x) || !strings.Contains(strings.ToLower(x.text), ql) {
				continue
			}
			if n++; n <= offset {
				continue
			}
			out = append(out, c.st.renderStatus(x, c.me, renderOpts{skipFilter: true}))
		}
		res["statuses"] = out
	}
	if typ == "" || typ == "hashtags" {
		out := []jsonFullTag{}
		tq := strings.ToLower(strings.TrimPrefix(q, "#"))
		seen := map[string]bool{}
		var names []string
		for _, x := range c.st.timeline {
			for _, t := range x.tags {
				lt := strings.ToLower(t)
				if strings.HasPrefix(lt, tq) && !seen[lt] {
					seen[lt] = true
					names = append(names, lt)
				}
			}
		}
		if tagNameRE.MatchString(tq) && !seen[tq] {
			names = append([]string{tq}, names...)
		}
		for i, n := range names {
			if i < offset || len(out) >= limit {
				continue
			}
			out = append(out, c.st.renderTag(n, c.me))
		}
		res["hashtags"] = out
	}
	return ok(res), nil
}

func (s *Server) notificationPolicy(c *call) (result, *apiError) {
	p := c.st.policy(c.me)
	if c.r.Method == http.MethodPatch {
		for _, k := range []string{"for_not_following", "for_not_followers", "for_new_accounts", "for_private_mentions", "for_limited_accounts"} {
			if v := c.p.str(k); v != "" {
				if !slices.Contains([]string{"accept", "filter", "drop"}, v) {
					return result{}, validation(k, "ERR_INCLUSION", "is not included in the list", "For "+k+" is not included in the list")
				}
				p[k] = v
			}
		}
	}
	reqs, notifs := c.st.pendingRequestSummary(c.me)
	out := map[string]any{"summary": map[string]int{"pending_requests_count": reqs, "pending_notifications_count": notifs}}
	for k, v := range p {
		out[k] = v
	}
	return ok(out), nil
}

func (st *store) policy(a *account) map[string]string {
	if st.policies == nil {
		st.policies = map[string]map[string]string{}
	}
	p := st.policies[a.id]
	if p == nil {
		p = defaultPolicy()
		st.policies[a.id] = p
	}
	return p
}

// policySettings reads a's policy without storing the defaults.
func (st *store) policySettings(a *account) map[string]string {
	if p := st.policies[a.id]; p != nil {
		return p
	}
	return defaultPolicy()
}

func defaultPolicy() map[string]string {
	return map[string]string{"for_not_following": "accept", "for_not_followers": "accept", "for_new_accounts": "accept",
		"for_private_mentions": "filter", "for_limited_accounts": "filter", "for_bots": "accept"}
}

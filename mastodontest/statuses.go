package mastodontest

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

type postParams struct {
	text        string
	spoiler     string
	sensitive   bool
	visibility  string
	language    *string
	inReplyTo   string
	mediaIDs    []string
	pollOptions []string
	pollExpires int
	pollMulti   bool
	pollHide    bool
	hasPoll     bool
	quoteID     string
}

func (c *call) postParams() postParams {
	p := postParams{
		text:        c.p.str("status"),
		spoiler:     c.p.str("spoiler_text"),
		sensitive:   c.p.truthy("sensitive"),
		visibility:  c.p.str("visibility"),
		inReplyTo:   c.p.str("in_reply_to_id"),
		mediaIDs:    c.p.strs("media_ids"),
		pollOptions: c.p.strs("poll[options]"),
		pollMulti:   c.p.truthy("poll[multiple]"),
		pollHide:    c.p.truthy("poll[hide_totals]"),
		quoteID:     c.p.str("quoted_status_id"),
	}
	p.mediaIDs = slices.DeleteFunc(p.mediaIDs, func(s string) bool { return s == "" })
	if l := c.p.str("language"); l != "" {
		p.language = &l
	}
	p.pollExpires, _ = c.p.integer("poll[expires_in]")
	p.hasPoll = len(p.pollOptions) > 0 || c.p.has("poll[expires_in]")
	return p
}

func (s *Server) statusRoutes() {
	s.handle("POST /api/v1/statuses", route{user: true, scopes: []string{"write", "write:statuses"}, h: s.postStatus})
	s.handle("GET /api/v1/statuses/{id}", route{optional: true, scopes: []string{"read", "read:statuses"}, h: s.getStatus})
	s.handle("GET /api/v1/statuses", route{optional: true, scopes: []string{"read", "read:statuses"}, h: s.getStatuses})
	s.handle("DELETE /api/v1/statuses/{id}", route{user: true, scopes: []string{"write", "write:statuses"}, h: s.deleteStatus})
	s.handle("PUT /api/v1/statuses/{id}", route{user: true, scopes: []string{"write", "write:statuses"}, h: s.editStatus})
	s.handle("GET /api/v1/statuses/{id}/history", route{optional: true, scopes: []string{"read", "read:statuses"}, h: s.statusHistory})
	s.handle("GET /api/v1/statuses/{id}/source", route{user: true, scopes: []string{"read", "read:statuses"}, h: s.statusSource})
	s.handle("GET /api/v1/statuses/{id}/context", route{optional: true, scopes: []string{"read", "read:statuses"}, h: s.statusContext})
	s.handle("GET /api/v1/statuses/{id}/favourited_by", route{optional: true, scopes: []string{"read", "read:accounts"}, h: s.statusReactors("fav")})
	s.handle("GET /api/v1/statuses/{id}/reblogged_by", route{optional: true, scopes: []string{"read", "read:accounts"}, h: s.statusReactors("reblog")})
	for _, a := range []string{"favourite", "unfavourite", "reblog", "unreblog", "bookmark", "unbookmark", "pin", "unpin", "mute", "unmute"} {
		scope := map[string]string{"favourite": "write:favourites", "unfavourite": "write:favourites",
			"reblog": "write:statuses", "unreblog": "write:statuses", "bookmark": "write:bookmarks",
			"unbookmark": "write:bookmarks", "pin": "write:accounts", "unpin": "write:accounts",
			"mute": "write:mutes", "unmute": "write:mutes"}[a]
		s.handle("POST /api/v1/statuses/{id}/"+a, route{user: true, scopes: []string{"write", scope}, h: s.statusAction(a)})
	}
	s.handle("GET /api/v1/scheduled_statuses", route{user: true, scopes: []string{"read", "read:statuses"}, h: s.listScheduled})
	s.handle("GET /api/v1/scheduled_statuses/{id}", route{user: true, scopes: []string{"read", "read:statuses"}, h: s.getScheduled})
	s.handle("PUT /api/v1/scheduled_statuses/{id}", route{user: true, scopes: []string{"write", "write:statuses"}, h: s.updateScheduled})
	s.handle("DELETE /api/v1/scheduled_statuses/{id}", route{user: true, scopes: []string{"write", "write:statuses"}, h: s.deleteScheduled})
}

// validatePost checks a post the way Mastodon's PostStatusService does.
func (c *call) validatePost(p *postParams, editing *status) ([]*media, *apiError) {
	if p.visibility == "" {
		p.visibility = c.me.privacy
		if p.visibility == "" {
			p.visibility = "public"
		}
	}
	if !slices.Contains([]string{"public", "unlisted", "private", "direct"}, p.visibility) {
		return nil, validation("visibility", "ERR_INCLUSION", "is not included in the list", "Visibility is not included in the list")
	}
	var ms []*media
	if len(p.mediaIDs) > 4 {
		return nil, errf(422, "Validation failed: Media attachments too many")
	}
	for _, id := range p.mediaIDs {
		m := c.st.media[id]
		if m == nil || m.account != c.me || (m.statusID != "" && (editing == nil || m.statusID != editing.id)) {
			return nil, errf(422, "Validation failed: Media attachment not found")
		}
		if m.processing && m.pending > 0 {
			return nil, errf(422, "Cannot attach files that have not finished processing. Try again in a moment!")
		}
		ms = append(ms, m)
	}
	if len(ms) > 0 && p.hasPoll {
		return nil, errf(422, "Cannot attach files to a post with a poll")
	}
	if strings.TrimSpace(p.text) == "" && len(ms) == 0 && !p.hasPoll {
		return nil, validation("text", "ERR_BLANK", "can't be blank", "Text can't be blank")
	}
	if statusLength(p.text, p.spoiler) > c.s.cfg.maxChars {
		return nil, validation("text", "ERR_TOO_LONG", fmt.Sprintf("character limit of %d exceeded", c.s.cfg.maxChars),
			fmt.Sprintf("Text character limit of %d exceeded", c.s.cfg.maxChars))
	}
	if p.hasPoll {
		if len(p.pollOptions) < 2 {
			return nil, validation("poll", "ERR_INVALID", "must have at least 2 options", "Poll must have at least 2 options")
		}
		if len(p.pollOptions) > 4 {
			return nil, validation("poll", "ERR_INVALID", "cannot have more than 4 options", "Poll cannot have more than 4 options")
		}
		for _, o := range p.pollOptions {
			if strings.TrimSpace(o) == "" || len([]rune(o)) > 50 {
				return nil, validation("poll", "ERR_INVALID", "options are invalid", "Poll options are invalid")
			}
		}
		if p.pollExpires < 300 {
			return nil, validation("poll", "ERR_INVALID", "duration too short", "Poll duration too short")
		}
		if p.pollExpires > 2629746 {
			return nil, validation("poll", "ERR_INVALID", "duration too long", "Poll duration too long")
		}
	}
	return ms, nil
}

func (s *Server) postStatus(c *call) (result, *apiError) {
	st := c.st
	key := c.r.Header.Get("Idempotency-Key")
	if key != "" {
		if e, found := st.idem[c.me.id+"\x00"+key]; found {
			if prev := st.statuses[e.statusID]; prev != nil {
				return ok(st.renderStatus(prev, c.me, renderOpts{})), nil
			}
			if sch := st.scheduled[e.statusID]; sch != nil {
				return ok(st.renderScheduled(sch)), nil
			}
		}
	}
	p := c.postParams()
	ms, err := c.validatePost(&p, nil)
	if err != nil {
		return result{}, err
	}
	if p.inReplyTo != "" {
		parent := st.statuses[p.inReplyTo]
		if parent == nil || !st.canSee(c.me, parent) || parent.reblog != nil {
			return result{}, errf(404, "The post you are trying to reply to does not appear to exist.")
		}
	}
	if p.quoteID != "" {
		q := st.statuses[p.quoteID]
		if q == nil || !st.canSee(c.me, q) || q.reblog != nil {
			return result{}, errf(404, "The post you are trying to quote does not appear to exist.")
		}
	}
	if at := c.p.str("scheduled_at"); at != "" {
		t, valid := parseTime(at)
		if !valid {
			return result{}, validation("scheduled_at", "ERR_INVALID", "is invalid", "Scheduled at is invalid")
		}
		if t.Before(s.now().Add(5 * time.Minute)) {
			return result{}, validation("scheduled_at", "ERR_INVALID", "The scheduled date must be in the future", "Scheduled at The scheduled date must be in the future")
		}
		sch := &scheduledStatus{id: st.newID(), account: c.me, app: c.tok.app, scheduledAt: t, params: p, media: ms}
		st.scheduled[sch.id] = sch
		for _, m := range ms {
			m.statusID = "scheduled:" + sch.id
		}
		if key != "" {
			st.rememberIdempotency(c.me.id+"\x00"+key, sch.id)
		}
		return ok(st.renderScheduled(sch)), nil
	}
	stt := st.createStatus(c.me, c.tok.app, p, ms)
	if key != "" {
		st.rememberIdempotency(c.me.id+"\x00"+key, stt.id)
	}
	return ok(st.renderStatus(stt, c.me, renderOpts{justPosted: true})), nil
}

// createStatus builds a status from validated parameters and publishes it.
func (st *store) createStatus(author *account, a *app, p postParams, ms []*media) *status {
	now := st.srv.now()
	s := &status{id: st.newID(), account: author, app: a, createdAt: now, text: p.text, spoiler: p.spoiler,
		sensitive: p.sensitive || p.spoiler != "", visibility: p.visibility, language: p.language, media: ms}
	if s.language == nil {
		s.language = ptr("en")
	}
	if p.inReplyTo != "" {
		if parent := st.statuses[p.inReplyTo]; parent != nil {
			s.inReplyTo, s.inReplyAcct = parent.id, parent.account.id
		}
	}
	if p.quoteID != "" {
		s.quote = st.statuses[p.quoteID]
	}
	names, tags := extractTokens(p.text)
	for _, n := range names {
		if m := st.accountByAcct(n); m != nil && !slices.Contains(s.mentions, m) {
			s.mentions = append(s.mentions, m)
		}
	}
	s.tags = tags
	for _, m := range ms {
		m.statusID, m.processing = s.id, false
	}
	if p.hasPoll {
		exp := now.Add(time.Duration(p.pollExpires) * time.Second)
		pl := &poll{id: st.nextSeq("poll"), statusID: s.id, expiresAt: &exp, multiple: p.pollMulti, hideTotal: p.pollHide,
			options: p.pollOptions, votes: map[string][]int{}}
		st.polls[pl.id] = pl
		s.poll = pl
	}
	st.attachCard(s)
	st.publish(s)
	return s
}

// publish adds s to the timelines, notifies and streams it.
func (st *store) publish(s *status) {
	now := st.srv.now()
	st.statuses[s.id] = s
	st.timeline = append(st.timeline, s)
	if s.reblog != nil {
		s.reblog.nReblogs++
		st.reblogIdx[edge{s.account.id, s.reblog.id}] = s
	} else {
		s.account.nStatuses++
		s.account.lastStatusAt = &now
		if parent := st.statuses[s.inReplyTo]; parent != nil {
			parent.nReplies++
		}
	}
	if s.reblog == nil {
		for _, m := range s.mentions {
			if m != s.account {
				st.notify("mention", m, s.account, s)
			}
		}
		if s.visibility != "direct" && (s.inReplyTo == "" || s.inReplyAcct == s.account.id) {
			for e, f := range st.follows {
				if e.to == s.account.id && f.notify {
					if v := st.accounts[e.from]; v != nil && st.canSee(v, s) {
						st.notify("status", v, s.account, s)
					}
				}
			}
		}
		if s.visibility == "direct" {
			st.updateConversation(s)
		}
		if s.quote != nil && s.quote.account != s.account {
			st.notify("quote", s.quote.account, s.account, s)
		}
	} else if s.reblog.account != s.account {
		st.notifyFor(s, "reblog", s.reblog.account, s.account, s.reblog)
	}
	st.srv.hub.statusEvent(st, "update", s)
}

func (s *Server) findStatus(c *call) (*status, *apiError) {
	stt := c.st.statuses[c.r.PathValue("id")]
	if stt == nil || !c.st.canSee(c.me, stt) {
		return nil, errStatusNotFound
	}
	return stt, nil
}

func (s *Server) getStatus(c *call) (result, *apiError) {
	stt, err := s.findStatus(c)
	if err != nil {
		return result{}, err
	}
	return ok(c.st.renderStatus(stt, c.me, renderOpts{filterCtx: "thread"})), nil
}

func (s *Server) getStatuses(c *call) (result, *apiError) {
	out := []*jsonStatus{}
	for _, id := range c.p.strs("id") {
		if stt := c.st.statuses[id]; stt != nil && c.st.canSee(c.me, stt) {
			out = append(out, c.st.renderStatus(stt, c.me, renderOpts{filterCtx: "thread"}))
		}
	}
	return ok(out), nil
}

func (s *Server) deleteStatus(c *call) (result, *apiError) {
	stt, err := s.findStatus(c)
	if err != nil {
		return result{}, err
	}
	if stt.account != c.me {
		return result{}, errForbidden
	}
	j := c.st.renderStatus(stt, c.me, renderOpts{withText: true})
	if c.p.truthy("delete_media") {
		for _, m := range stt.media {
			delete(c.st.media, m.id)
		}
	} else {
		for _, m := range stt.media {
			m.statusID = ""
		}
		stt.media = nil
	}
	c.st.deleteStatus(stt)
	return ok(j), nil
}

// deleteStatus removes s and its reblogs and streams their deletion.
func (st *store) deleteStatus(s *status) {
	for _, r := range slices.Clone(st.timeline) {
		if r.reblog == s {
			st.deleteStatus(r)
		}
	}
	st.srv.hub.deleteEvent(st, s)
	// Media still attached (delete_media) go with it; the handler has
	// detached the others for a redraft.
	st.removeStatus(s)
}

func (s *Server) editStatus(c *call) (result, *apiError) {
	stt, err := s.findStatus(c)
	if err != nil {
		return result{}, err
	}
	if stt.account != c.me || stt.reblog != nil {
		return result{}, errForbidden
	}
	p := c.postParams()
	p.visibility = stt.visibility
	if !c.p.has("media_ids[]") && !c.p.has("media_ids") {
		for _, m := range stt.media {
			p.mediaIDs = append(p.mediaIDs, m.id)
		}
	}
	if !p.hasPoll && stt.poll != nil && !c.p.has("poll") {
		p.hasPoll, p.pollOptions, p.pollMulti, p.pollHide = true, stt.poll.options, stt.poll.multiple, stt.poll.hideTotal
		p.pollExpires = 300
		if stt.poll.expiresAt != nil {
			p.pollExpires = max(300, int(stt.poll.expiresAt.Sub(s.now()).Seconds()))
		}
	}
	ms, err := c.validatePost(&p, stt)
	if err != nil {
		return result{}, err
	}
	attrs := c.mediaAttributes()
	for _, m := range ms {
		a, ok := attrs[m.id]
		if !ok {
			continue
		}
		if d, ok := a["description"]; ok {
			m.description = &d
			if d == "" {
				m.description = nil
			}
		}
		if fx, fy, ok := parseFocus(a["focus"]); ok {
			m.focusX, m.focusY, m.hasFocus = fx, fy, true
		}
		if _, ok := a["thumbnail"]; ok {
			m.thumbnail = true
		}
	}
	st := c.st
	if len(stt.edits) == 0 {
		stt.edits = append(stt.edits, statusEdit{createdAt: stt.createdAt, text: stt.text, spoiler: stt.spoiler,
			sensitive: stt.sensitive, media: stt.media, poll: stt.poll})
	}
	now := s.now()
	pollChanged := stt.poll == nil && p.hasPoll || stt.poll != nil && (!p.hasPoll || !slices.Equal(stt.poll.options, p.pollOptions) || stt.poll.multiple != p.pollMulti)
	stt.text, stt.spoiler, stt.sensitive, stt.editedAt = p.text, p.spoiler, p.sensitive || p.spoiler != "", &now
	st.attachCard(stt)
	if p.language != nil {
		stt.language = p.language
	}
	for _, m := range stt.media {
		if !slices.Contains(ms, m) {
			m.statusID = ""
		}
	}
	for _, m := range ms {
		m.statusID = stt.id
	}
	stt.media = ms
	if pollChanged {
		if stt.poll != nil {
			delete(st.polls, stt.poll.id)
			stt.poll = nil
		}
		if p.hasPoll {
			exp := now.Add(time.Duration(p.pollExpires) * time.Second)
			pl := &poll{id: st.nextSeq("poll"), statusID: stt.id, expiresAt: &exp, multiple: p.pollMulti, hideTotal: p.pollHide,
				options: p.pollOptions, votes: map[string][]int{}}
			st.polls[pl.id] = pl
			stt.poll = pl
		}
	}
	names, tags := extractTokens(p.text)
	stt.tags = tags
	for _, n := range names {
		if m := st.accountByAcct(n); m != nil && !slices.Contains(stt.mentions, m) {
			stt.mentions = append(stt.mentions, m)
		}
	}
	stt.edits = append(stt.edits, statusEdit{createdAt: now, text: stt.text, spoiler: stt.spoiler, sensitive: stt.sensitive,
		media: stt.media, poll: stt.poll})
	// Those who reblogged, favourited, replied to or bookmarked it hear of the edit.
	notified := map[*account]bool{stt.account: true}
	for _, r := range st.timeline {
		if r.reblog == stt && !notified[r.account] {
			notified[r.account] = true
			st.notify("update", r.account, stt.account, stt)
		}
	}
	st.srv.hub.statusEvent(st, "status.update", stt)
	return ok(st.renderStatus(stt, c.me, renderOpts{})), nil
}

type jsonStatusEdit struct {
	Content          string      `json:"content"`
	SpoilerText      string      `json:"spoiler_text"`
	Sensitive        bool        `json:"sensitive"`
	CreatedAt        string      `json:"created_at"`
	Account          jsonAccount `json:"account"`
	Poll             any         `json:"poll,omitempty"`
	MediaAttachments []jsonMedia `json:"media_attachments"`
	Emojis           []jsonEmoji `json:"emojis"`
}

func (s *Server) statusHistory(c *call) (result, *apiError) {
	stt, err := s.findStatus(c)
	if err != nil {
		return result{}, err
	}
	st := c.st
	edits := stt.edits
	if len(edits) == 0 {
		edits = []statusEdit{{createdAt: stt.createdAt, text: stt.text, spoiler: stt.spoiler, sensitive: stt.sensitive, media: stt.media, poll: stt.poll}}
	}
	out := []jsonStatusEdit{}
	for _, e := range edits {
		j := jsonStatusEdit{Content: textToHTML(s, e.text, stt.mentions, stt.tags), SpoilerText: e.spoiler, Sensitive: e.sensitive,
			CreatedAt: fmtTime(e.createdAt), Account: st.renderAccount(stt.account, c.me), MediaAttachments: []jsonMedia{},
			Emojis: st.emojisIn(e.spoiler + " " + e.text)}
		for _, m := range e.media {
			j.MediaAttachments = append(j.MediaAttachments, st.renderMedia(m))
		}
		if e.poll != nil {
			opts := []map[string]string{}
			for _, o := range e.poll.options {
				opts = append(opts, map[string]string{"title": o})
			}
			j.Poll = map[string]any{"options": opts}
		}
		out = append(out, j)
	}
	return ok(out), nil
}

func (s *Server) statusSource(c *call) (result, *apiError) {
	stt, err := s.findStatus(c)
	if err != nil {
		return result{}, err
	}
	if stt.account != c.me {
		return result{}, errForbidden
	}
	return ok(map[string]string{"id": stt.id, "text": stt.text, "spoiler_text": stt.spoiler}), nil
}

func (s *Server) statusContext(c *call) (result, *apiError) {
	stt, err := s.findStatus(c)
	if err != nil {
		return result{}, err
	}
	st := c.st
	anc := []*jsonStatus{}
	var chain []*status
	for p := st.statuses[stt.inReplyTo]; p != nil && len(chain) < 4096; p = st.statuses[p.inReplyTo] {
		if st.canSee(c.me, p) && !st.hiddenFor(c.me, p) {
			chain = append(chain, p)
		}
	}
	for i := len(chain) - 1; i >= 0; i-- {
		anc = append(anc, st.renderStatus(chain[i], c.me, renderOpts{filterCtx: "thread"}))
	}
	desc := []*jsonStatus{}
	var walk func(id string, depth int)
	walk = func(id string, depth int) {
		if depth > 4096 {
			return
		}
		for _, r := range st.timeline {
			if r.reblog == nil && r.inReplyTo == id && st.canSee(c.me, r) && !st.hiddenFor(c.me, r) {
				desc = append(desc, st.renderStatus(r, c.me, renderOpts{filterCtx: "thread"}))
				walk(r.id, depth+1)
			}
		}
	}
	walk(stt.id, 0)
	return ok(map[string]any{"ancestors": anc, "descendants": desc}), nil
}

func (s *Server) statusReactors(kind string) handler {
	return func(c *call) (result, *apiError) {
		stt, err := s.findStatus(c)
		if err != nil {
			return result{}, err
		}
		type item struct {
			id string
			a  *account
		}
		var items []item
		if kind == "fav" {
			for i := len(c.st.favs) - 1; i >= 0; i-- {
				if f := c.st.favs[i]; f.status == stt {
					items = append(items, item{f.id, f.account})
				}
			}
		} else {
			for i := len(c.st.timeline) - 1; i >= 0; i-- {
				if r := c.st.timeline[i]; r.reblog == stt {
					items = append(items, item{r.id, r.account})
				}
			}
		}
		ids := make([]string, len(items))
		for i, it := range items {
			ids[i] = it.id
		}
		pg := c.page(40, 80)
		sel := pg.apply(ids)
		out := []jsonAccount{}
		var keys []string
		for _, i := range sel {
			out = append(out, c.st.renderAccount(items[i].a, c.me))
			keys = append(keys, items[i].id)
		}
		c.linkAccounts(keys, pg, nil)
		return ok(out), nil
	}
}

func (s *Server) statusAction(action string) handler {
	return func(c *call) (result, *apiError) {
		st := c.st
		stt, err := s.findStatus(c)
		if err != nil {
			if action == "unfavourite" || action == "unbookmark" || action == "unreblog" {
				if stt = st.statuses[c.r.PathValue("id")]; stt == nil {
					return result{}, err
				}
			} else {
				return result{}, err
			}
		}
		if stt.reblog != nil {
			stt = stt.reblog
		}
		k := edge{c.me.id, stt.id}
		switch action {
		case "favourite":
			if _, done := st.favIdx[k]; !done {
				r := &reaction{id: st.nextSeq("favourite"), account: c.me, status: stt}
				st.favs = append(st.favs, r)
				st.favIdx[k] = r
				stt.nFavs++
				if stt.account != c.me {
					st.notifyFor(r, "favourite", stt.account, c.me, stt)
				}
			}
		case "unfavourite":
			if r, done := st.favIdx[k]; done {
				delete(st.favIdx, k)
				st.favs = slices.DeleteFunc(st.favs, func(x *reaction) bool { return x == r })
				stt.nFavs--
				st.dropActivity(r)
			}
		case "bookmark":
			if _, done := st.bookmarkIdx[k]; !done {
				r := &reaction{id: st.nextSeq("bookmark"), account: c.me, status: stt}
				st.bookmarks = append(st.bookmarks, r)
				st.bookmarkIdx[k] = r
			}
		case "unbookmark":
			if r, done := st.bookmarkIdx[k]; done {
				delete(st.bookmarkIdx, k)
				st.bookmarks = slices.DeleteFunc(st.bookmarks, func(x *reaction) bool { return x == r })
			}
		case "reblog":
			if stt.visibility == "private" && stt.account != c.me || stt.visibility == "direct" {
				return result{}, errForbidden
			}
			if existing, done := st.reblogIdx[k]; done {
				return ok(st.renderStatus(existing, c.me, renderOpts{})), nil
			}
			vis := c.p.str("visibility")
			if vis == "" || !slices.Contains([]string{"public", "unlisted", "private"}, vis) {
				vis = "public"
			}
			if stt.visibility == "private" {
				vis = "private"
			}
			r := &status{id: st.newID(), account: c.me, createdAt: s.now(), visibility: vis, reblog: stt, app: c.tok.app}
			st.publish(r)
			return ok(st.renderStatus(r, c.me, renderOpts{})), nil
		case "unreblog":
			if r, done := st.reblogIdx[k]; done {
				st.deleteStatus(r)
			}
		case "pin":
			if stt.account != c.me {
				return result{}, validation("status", "ERR_INVALID", "is invalid", "Validation failed: Status is invalid")
			}
			if stt.visibility == "direct" {
				return result{}, errf(422, "Validation failed: Direct posts cannot be pinned")
			}
			if len(c.me.pinned) >= 5 && !slices.Contains(c.me.pinned, stt.id) {
				return result{}, errf(422, "Validation failed: You have already pinned the maximum number of posts")
			}
			if !slices.Contains(c.me.pinned, stt.id) {
				c.me.pinned = append([]string{stt.id}, c.me.pinned...)
			}
		case "unpin":
			c.me.pinned = slices.DeleteFunc(c.me.pinned, func(id string) bool { return id == stt.id })
		case "mute", "unmute":
			// Conversation mutes only silence notifications; recorded nowhere else.
		}
		return ok(st.renderStatus(stt, c.me, renderOpts{})), nil
	}
}

type jsonScheduled struct {
	ID               string         `json:"id"`
	ScheduledAt      string         `json:"scheduled_at"`
	Params           map[string]any `json:"params"`
	MediaAttachments []jsonMedia    `json:"media_attachments"`
}

func (st *store) renderScheduled(sch *scheduledStatus) jsonScheduled {
	p := sch.params
	var pollJ any
	if p.hasPoll {
		pollJ = map[string]any{"options": p.pollOptions, "expires_in": fmt.Sprint(p.pollExpires), "multiple": p.pollMulti, "hide_totals": p.pollHide}
	}
	var reply, lang any
	if p.inReplyTo != "" {
		reply = p.inReplyTo
	}
	if p.language != nil {
		lang = *p.language
	}
	ids := []string{}
	media := []jsonMedia{}
	for _, m := range sch.media {
		ids = append(ids, m.id)
		media = append(media, st.renderMedia(m))
	}
	var mediaIDs any = ids
	if len(ids) == 0 {
		mediaIDs = nil
	}
	var appID any
	if sch.app != nil {
		appID = sch.app.id
	}
	return jsonScheduled{ID: sch.id, ScheduledAt: fmtTime(sch.scheduledAt), MediaAttachments: media, Params: map[string]any{
		"text": p.text, "poll": pollJ, "media_ids": mediaIDs, "sensitive": p.sensitive, "visibility": p.visibility,
		"idempotency": nil, "scheduled_at": nil, "spoiler_text": p.spoiler, "application_id": appID,
		"in_reply_to_id": reply, "language": lang, "with_rate_limit": false,
	}}
}

func (s *Server) listScheduled(c *call) (result, *apiError) {
	var all []*scheduledStatus
	for _, sch := range c.st.scheduled {
		if sch.account == c.me {
			all = append(all, sch)
		}
	}
	slices.SortFunc(all, func(a, b *scheduledStatus) int { return cmpID(b.id, a.id) })
	ids := make([]string, len(all))
	for i, x := range all {
		ids[i] = x.id
	}
	pg := c.page(20, 40)
	sel := pg.apply(ids)
	out := []jsonScheduled{}
	var keys []string
	for _, i := range sel {
		out = append(out, c.st.renderScheduled(all[i]))
		keys = append(keys, all[i].id)
	}
	c.linkList(keys, pg, nil, "min_id")
	return ok(out), nil
}

func (c *call) scheduled() (*scheduledStatus, *apiError) {
	sch := c.st.scheduled[c.r.PathValue("id")]
	if sch == nil || sch.account != c.me {
		return nil, errNotFound
	}
	return sch, nil
}

func (s *Server) getScheduled(c *call) (result, *apiError) {
	sch, err := c.scheduled()
	if err != nil {
		return result{}, err
	}
	return ok(c.st.renderScheduled(sch)), nil
}

func (s *Server) updateScheduled(c *call) (result, *apiError) {
	sch, err := c.scheduled()
	if err != nil {
		return result{}, err
	}
	t, ok2 := parseTime(c.p.str("scheduled_at"))
	if !ok2 || t.Before(s.now().Add(5*time.Minute)) {
		return result{}, validation("scheduled_at", "ERR_INVALID", "The scheduled date must be in the future", "Scheduled at The scheduled date must be in the future")
	}
	sch.scheduledAt = t
	return ok(c.st.renderScheduled(sch)), nil
}

func (s *Server) deleteScheduled(c *call) (result, *apiError) {
	sch, err := c.scheduled()
	if err != nil {
		return result{}, err
	}
	for _, m := range sch.media {
		m.statusID = ""
	}
	delete(c.st.scheduled, sch.id)
	return ok(nil), nil
}

// tick runs time-driven work: scheduled statuses whose time has come are
// published, expired polls notify, stale idempotency keys are forgotten.
// Called with s.mu held at the start of every request.
func (s *Server) tick() {
	st := s.st
	now := s.now()
	var due []*scheduledStatus
	for _, sch := range st.scheduled {
		if !sch.scheduledAt.After(now) {
			due = append(due, sch)
		}
	}
	slices.SortFunc(due, func(a, b *scheduledStatus) int { return a.scheduledAt.Compare(b.scheduledAt) })
	for _, sch := range due {
		delete(st.scheduled, sch.id)
		if st.accounts[sch.account.id] != nil {
			st.createStatus(sch.account, sch.app, sch.params, sch.media)
		}
	}
	for _, p := range st.polls {
		if p.expiresAt != nil && !p.expiresAt.After(now) && !p.notified {
			p.notified = true
			if stt := st.statuses[p.statusID]; stt != nil {
				st.notify("poll", stt.account, stt.account, stt)
				for id := range p.votes {
					if v := st.accounts[id]; v != nil && v != stt.account {
						st.notify("poll", v, stt.account, stt)
					}
				}
			}
		}
	}
	st.expireIdempotency()
}

// mediaAttributes reads an edit's media_attributes by attachment ID. Like
// Mastodon it takes a list of {id, description, focus, thumbnail}: a JSON
// array, media_attributes[N][field] in a form, or media_attributes[][field]
// grouped as Rails does (in order, a new hash starting at a field the
// current one already has). A form keyed by attachment ID
// (media_attributes[ID][field]) is accepted as well.
func (c *call) mediaAttributes() map[string]map[string]string {
	out := c.p.mediaAttributes()
	var cur map[string]string
	var groups []map[string]string
	for _, f := range c.listed {
		field := strings.TrimSuffix(strings.TrimPrefix(f.key, listedPrefix), "]")
		if _, dup := cur[field]; cur == nil || dup {
			cur = map[string]string{}
			groups = append(groups, cur)
		}
		cur[field] = f.value
	}
	for _, g := range groups {
		if id := g["id"]; id != "" {
			out[id] = g
		}
	}
	return out
}

func (p params) mediaAttributes() map[string]map[string]string {
	const prefix = "media_attributes["
	groups := map[string]map[string]string{}
	for key, v := range p {
		rest, ok := strings.CutPrefix(key, prefix)
		if !ok || len(v) == 0 {
			continue
		}
		group, field, ok := strings.Cut(rest, "][")
		if !ok || group == "" || !strings.HasSuffix(field, "]") {
			continue
		}
		if groups[group] == nil {
			groups[group] = map[string]string{}
		}
		groups[group][strings.TrimSuffix(field, "]")] = v[len(v)-1]
	}
	out := map[string]map[string]string{}
	for group, fields := range groups {
		id, ok := fields["id"]
		if !ok {
			id = group
		}
		out[id] = fields
	}
	return out
}

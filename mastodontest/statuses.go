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
	sensSet     bool // "sensitive" was given; otherwise the account's default (or, editing, the status's)
	quotePolicy string
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
		sensSet:     c.p.has("sensitive"),
		quotePolicy: c.p.str("quote_approval_policy"),
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
	s.handle("POST /api/v1/statuses", route{need: userToken, scopes: []string{"write", "write:statuses"}, h: s.postStatus})
	s.handle("GET /api/v1/statuses/{id}", route{scopes: []string{"read", "read:statuses"}, h: s.getStatus})
	s.handle("GET /api/v1/statuses", route{scopes: []string{"read", "read:statuses"}, h: s.getStatuses})
	s.handle("DELETE /api/v1/statuses/{id}", route{need: userToken, scopes: []string{"write", "write:statuses"}, h: s.deleteStatus})
	s.handle("PUT /api/v1/statuses/{id}", route{need: userToken, scopes: []string{"write", "write:statuses"}, h: s.editStatus})
	s.handle("GET /api/v1/statuses/{id}/history", route{scopes: []string{"read", "read:statuses"}, h: s.statusHistory})
	s.handle("GET /api/v1/statuses/{id}/source", route{need: userToken, scopes: []string{"read", "read:statuses"}, h: s.statusSource})
	s.handle("GET /api/v1/statuses/{id}/context", route{scopes: []string{"read", "read:statuses"}, h: s.statusContext})
	s.handle("GET /api/v1/statuses/{id}/favourited_by", route{scopes: []string{"read", "read:accounts"}, h: s.statusReactors("fav")})
	s.handle("GET /api/v1/statuses/{id}/reblogged_by", route{scopes: []string{"read", "read:accounts"}, h: s.statusReactors("reblog")})
	for _, a := range []string{"favourite", "unfavourite", "reblog", "unreblog", "bookmark", "unbookmark", "pin", "unpin", "mute", "unmute"} {
		scope := map[string]string{"favourite": "write:favourites", "unfavourite": "write:favourites",
			"reblog": "write:statuses", "unreblog": "write:statuses", "bookmark": "write:bookmarks",
			"unbookmark": "write:bookmarks", "pin": "write:accounts", "unpin": "write:accounts",
			"mute": "write:mutes", "unmute": "write:mutes"}[a]
		s.handle("POST /api/v1/statuses/{id}/"+a, route{need: userToken, scopes: []string{"write", scope}, h: s.statusAction(a)})
	}
	s.handle("PUT /api/v1/statuses/{id}/interaction_policy", route{need: userToken, scopes: []string{"write", "write:statuses"}, h: s.interactionPolicy})
	s.handle("GET /api/v1/statuses/{id}/quotes", route{scopes: []string{"read", "read:statuses"}, h: s.statusQuotes})
	s.handle("POST /api/v1/statuses/{id}/quotes/{quoting_status_id}/revoke", route{need: userToken, scopes: []string{"write", "write:statuses"}, h: s.revokeQuote})
	s.handle("GET /api/v1/scheduled_statuses", route{need: userToken, scopes: []string{"read", "read:statuses"}, h: s.listScheduled})
	s.handle("GET /api/v1/scheduled_statuses/{id}", route{need: userToken, scopes: []string{"read", "read:statuses"}, h: s.getScheduled})
	s.handle("PUT /api/v1/scheduled_statuses/{id}", route{need: userToken, scopes: []string{"write", "write:statuses"}, h: s.updateScheduled})
	s.handle("DELETE /api/v1/scheduled_statuses/{id}", route{need: userToken, scopes: []string{"write", "write:statuses"}, h: s.deleteScheduled})
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
	// As PostStatusService: a missing "sensitive" takes the account's
	// default (source[sensitive]); an edit without it keeps the status's.
	if !p.sensSet {
		p.sensitive = c.me.sensitive
		if editing != nil {
			p.sensitive = editing.sensitive
		}
	}
	if p.quotePolicy == "" {
		p.quotePolicy = c.me.quotePolicy
		if editing != nil {
			p.quotePolicy = editing.quotePolicy
		}
	}
	if p.quotePolicy != "" && !validQuotePolicy(p.quotePolicy) {
		return nil, validation("quote_approval_policy", "ERR_INCLUSION", "is not included in the list", "Quote approval policy is not included in the list")
	}
	if p.visibility == "private" || p.visibility == "direct" {
		p.quotePolicy = "nobody" // Mastodon ignores the policy of these
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
		// As in Mastodon 4.5, another account's post can be quoted only
		// as its quote policy allows; followers-only and direct posts
		// always have the policy "nobody".
		if q.account != c.me && !st.mayQuote(c.me, q) {
			return result{}, errf(422, "Validation failed: You are not allowed to quote this post")
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
		sensitive: p.sensitive || p.spoiler != "", visibility: p.visibility, language: p.language, media: ms,
		quotePolicy: p.quotePolicy}
	if s.language == nil {
		s.language = ptr("en")
	}
	s.thread = s.id
	if p.inReplyTo != "" {
		if parent := st.statuses[p.inReplyTo]; parent != nil {
			s.inReplyTo, s.inReplyAcct, s.thread = parent.id, parent.account.id, parent.thread
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
		if s.quote != nil {
			s.quote.nQuotes++
			if s.quote.account != s.account {
				st.notify("quote", s.quote.account, s.account, s)
			}
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
		return result{}, errNotFound // Mastodon looks among the caller's own statuses
	}
	j := c.st.renderStatus(stt, c.me, renderOpts{withText: true})
	if !c.p.truthy("delete_media") {
		// Kept for a redraft: detached, they may be posted again.
		for _, m := range c.st.ownMedia(stt) {
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
	// Mastodon looks the status up among the caller's own, so someone
	// else's is not found; its policy then refuses to edit a reblog.
	if stt.account != c.me {
		return result{}, errNotFound
	}
	if stt.reblog != nil {
		return result{}, errForbidden
	}
	// Like Mastodon's UpdateStatusService, an edit replaces the status as a
	// whole: media and a poll not given again are removed.
	p := c.postParams()
	p.visibility = stt.visibility
	ms, err := c.validatePost(&p, stt)
	if err != nil {
		return result{}, err
	}
	st := c.st
	now := s.now()
	prev := stt.snapshot(stt.createdAt)

	type attrChange struct {
		m           *media
		description *string
		setDesc     bool
		fx, fy      float64
		setFocus    bool
		thumbnail   bool
	}
	var changes []attrChange
	attrs := c.mediaAttributes()
	for _, m := range ms {
		a, found := attrs[m.id]
		if !found {
			continue
		}
		ch := attrChange{m: m}
		if d, has := a["description"]; has {
			ch.setDesc = true
			if d != "" {
				ch.description = &d
			}
		}
		if err := checkFocus(a["focus"]); err != nil {
			return result{}, err
		}
		ch.fx, ch.fy, ch.setFocus = parseFocus(a["focus"])
		_, ch.thumbnail = a["thumbnail"]
		changes = append(changes, ch)
	}
	mediaChanged := !slices.Equal(stt.media, ms)
	for _, ch := range changes {
		m := ch.m
		if ch.setDesc && !equalPtr(m.description, ch.description) ||
			ch.setFocus && (!m.hasFocus || m.focusX != ch.fx || m.focusY != ch.fy) || ch.thumbnail {
			mediaChanged = true
		}
	}

	var newExp *time.Time
	if p.hasPoll {
		newExp = ptr(now.Add(time.Duration(p.pollExpires) * time.Second))
	}
	old := stt.poll
	optionsChanged := p.hasPoll && (old == nil || !slices.Equal(old.options, p.pollOptions) || old.multiple != p.pollMulti)
	pollChanged := optionsChanged || old != nil && !p.hasPoll || old != nil && p.hasPoll && !equalTime(old.expiresAt, newExp)

	sensitive := p.sensitive || p.spoiler != ""
	lang := stt.language
	if p.language != nil {
		lang = p.language
	}
	textChanged := p.text != stt.text || p.spoiler != stt.spoiler || sensitive != stt.sensitive || !equalPtr(lang, stt.language)
	if !textChanged && !mediaChanged && !pollChanged {
		// Mastodon drops an edit that changes nothing: no new history
		// entry, no edited_at, nothing streamed or notified.
		return ok(st.renderStatus(stt, c.me, renderOpts{})), nil
	}

	for _, ch := range changes {
		if ch.setDesc {
			ch.m.description = ch.description
		}
		if ch.setFocus {
			ch.m.focusX, ch.m.focusY, ch.m.hasFocus = ch.fx, ch.fy, true
		}
		if ch.thumbnail {
			ch.m.thumbnail = true
			// A multipart edit carries the file as media_attributes[][thumbnail].
			ch.m.setThumbnail(c.files[listedPrefix+"thumbnail]"])
		}
	}
	if len(stt.edits) == 0 {
		stt.edits = append(stt.edits, prev)
	}
	stt.text, stt.spoiler, stt.sensitive, stt.language, stt.editedAt = p.text, p.spoiler, sensitive, lang, &now
	st.attachCard(stt)
	// Attachments taken out stay the status's (as in Mastodon, where they
	// keep their status_id): they cannot go to another post, can come back
	// in a later edit, and go when the status is deleted.
	for _, m := range ms {
		m.statusID = stt.id
	}
	stt.media = ms
	switch {
	case p.hasPoll:
		pl := old
		if pl == nil {
			pl = &poll{id: st.nextSeq("poll"), statusID: stt.id, votes: map[string][]int{}}
			st.polls[pl.id] = pl
			stt.poll = pl
		} else if optionsChanged {
			// Changed options invalidate the votes (Poll#reset_votes!);
			// the poll keeps its id.
			pl.votes = map[string][]int{}
		}
		pl.options, pl.multiple, pl.hideTotal = slices.Clone(p.pollOptions), p.pollMulti, p.pollHide
		if !equalTime(pl.expiresAt, newExp) {
			pl.expiresAt, pl.notified = newExp, false
		}
	case old != nil:
		delete(st.polls, old.id)
		st.dropActivity(old)
		stt.poll = nil
	}
	names, tags := extractTokens(p.text)
	stt.tags = tags
	for _, n := range names {
		if m := st.accountByAcct(n); m != nil && !slices.Contains(stt.mentions, m) {
			stt.mentions = append(stt.mentions, m)
			if m != stt.account {
				st.notify("mention", m, stt.account, stt)
			}
		}
	}
	stt.edits = append(stt.edits, stt.snapshot(now))
	st.notifyUpdate(stt)
	st.srv.hub.statusEvent(st, "status.update", stt)
	st.srv.hub.mentionUpdateEvent(st, stt)
	return ok(st.renderStatus(stt, c.me, renderOpts{})), nil
}

// notifyUpdate tells those who reblogged s that it was edited ("update")
// and those who quoted it that their quote's post was ("quoted_update"),
// as Mastodon's FanOutOnWriteService does; each replaces the receiver's
// previous one for the same post, so repeated edits leave one.
func (st *store) notifyUpdate(s *status) {
	told := map[*account]bool{s.account: true}
	var quotes []*status
	for _, r := range st.timeline {
		switch {
		case r.reblog == s && !told[r.account]:
			told[r.account] = true
			st.replaceNotification("update", r.account, s.account, s)
		case r.quote == s && r.account != s.account:
			quotes = append(quotes, r)
		}
	}
	for _, q := range quotes {
		st.replaceNotification("quoted_update", q.account, s.account, q)
	}
}

// replaceNotification drops target's notifications of kind about s and
// adds a new one.
func (st *store) replaceNotification(kind string, target, from *account, s *status) {
	st.notifs = slices.DeleteFunc(st.notifs, func(n *notification) bool {
		return n.kind == kind && n.target == target && n.status == s
	})
	st.notify(kind, target, from, s)
}

func equalPtr[T comparable](a, b *T) bool {
	return a == b || a != nil && b != nil && *a == *b
}

func equalTime(a, b *time.Time) bool {
	return a == b || a != nil && b != nil && a.Equal(*b)
}

// snapshot records the status as it is, for its edit history: Mastodon's
// StatusEdit keeps the text, content warning, sensitivity, the attachments
// with their descriptions of the time, and the poll's options.
func (s *status) snapshot(at time.Time) statusEdit {
	e := statusEdit{createdAt: at, text: s.text, spoiler: s.spoiler, sensitive: s.sensitive, media: slices.Clone(s.media)}
	for _, m := range s.media {
		e.mediaDesc = append(e.mediaDesc, m.description)
	}
	if s.poll != nil {
		e.pollOptions = slices.Clone(s.poll.options)
	}
	return e
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
		edits = []statusEdit{stt.snapshot(stt.createdAt)}
	}
	out := []jsonStatusEdit{}
	for _, e := range edits {
		j := jsonStatusEdit{Content: textToHTML(s, e.text, stt.mentions, stt.tags), SpoilerText: e.spoiler, Sensitive: e.sensitive,
			CreatedAt: fmtTime(e.createdAt), Account: st.renderAccount(stt.account, c.me), MediaAttachments: []jsonMedia{},
			Emojis: st.emojisIn(e.spoiler + " " + e.text)}
		for i, m := range e.media {
			jm := st.renderMedia(m)
			jm.Description = e.mediaDesc[i]
			j.MediaAttachments = append(j.MediaAttachments, jm)
		}
		if e.pollOptions != nil {
			opts := []map[string]string{}
			for _, o := range e.pollOptions {
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
	// Mastodon's sources controller authorizes only show?: whoever may see
	// a status may read its source, not its author alone.
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
				// Mastodon lists only public and unlisted reblogs.
				if r := c.st.timeline[i]; r.reblog == stt && (r.visibility == "public" || r.visibility == "unlisted") {
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
			// Undoing works on a status one can no longer see, as long as
			// there is something to undo; otherwise it is not found, as in
			// Mastodon's favourites, bookmarks and reblogs controllers.
			stt = st.statuses[c.r.PathValue("id")]
			if stt == nil || !st.hasReaction(action, c.me, stt) {
				return result{}, err
			}
		}
		if action == "pin" {
			// Mastodon's StatusPinValidator, its messages joined as Rails does.
			var errs []string
			if stt.reblog != nil {
				errs = append(errs, "A boost cannot be pinned")
			}
			if stt.account != c.me {
				errs = append(errs, "Someone else's post cannot be pinned")
			}
			if stt.visibility == "direct" {
				errs = append(errs, "Posts that are only visible to mentioned users cannot be pinned")
			}
			if len(c.me.pinned) >= 5 && !slices.Contains(c.me.pinned, stt.id) {
				errs = append(errs, "You have already pinned the maximum number of posts")
			}
			if len(errs) > 0 {
				return result{}, errf(422, "Validation failed: %s", strings.Join(errs, ", "))
			}
		}
		if stt.reblog != nil {
			stt = stt.reblog
		}
		k := edge{c.me.id, stt.id}
		switch action {
		case "favourite":
			if _, done := st.favIdx[k]; !done {
				r := &reaction{id: st.nextSeq("favourite"), account: c.me, status: stt, createdAt: s.now()}
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
			if !slices.Contains(c.me.pinned, stt.id) {
				c.me.pinned = append([]string{stt.id}, c.me.pinned...)
			}
		case "unpin":
			c.me.pinned = slices.DeleteFunc(c.me.pinned, func(id string) bool { return id == stt.id })
		case "mute":
			// Muting a conversation silences notifications about its
			// statuses (Mastodon's NotifyService) and shows as "muted".
			st.convMutes[edge{c.me.id, stt.thread}] = true
		case "unmute":
			delete(st.convMutes, edge{c.me.id, stt.thread})
		}
		return ok(st.renderStatus(stt, c.me, renderOpts{})), nil
	}
}

// hasReaction reports whether me has what the undo action undoes.
func (st *store) hasReaction(action string, me *account, s *status) bool {
	k := edge{me.id, s.id}
	var found bool
	switch action {
	case "unfavourite":
		_, found = st.favIdx[k]
	case "unbookmark":
		_, found = st.bookmarkIdx[k]
	case "unreblog":
		_, found = st.reblogIdx[k]
	}
	return found
}

// statusQuotes lists the statuses quoting a status, newest first, as
// Mastodon's quotes controller: for its author all of them, for others
// those their blocks, mutes and domain blocks do not hide. Pages by the
// quoting status (Mastodon pages by the quote record, created with it).
func (s *Server) statusQuotes(c *call) (result, *apiError) {
	stt, err := s.findStatus(c)
	if err != nil {
		return result{}, err
	}
	st := c.st
	var quotes []*status
	for i := len(st.timeline) - 1; i >= 0; i-- {
		if x := st.timeline[i]; x.quote == stt && st.canSee(c.me, x) {
			quotes = append(quotes, x)
		}
	}
	ids := make([]string, len(quotes))
	for i, x := range quotes {
		ids[i] = x.id
	}
	pg := c.page(20, 40)
	pg.minID = "" // pages by max_id and since_id only
	out := []*jsonStatus{}
	var keys []string
	for _, i := range pg.apply(ids) {
		keys = append(keys, quotes[i].id)
		if c.me != stt.account && st.hiddenFor(c.me, quotes[i]) {
			continue
		}
		out = append(out, st.renderStatus(quotes[i], c.me, renderOpts{}))
	}
	c.linkAccounts(keys, pg, nil)
	return ok(out), nil
}

// revokeQuote lets a status's author take back a quote of it: the quoting
// status then shows the quote as "revoked", without the quoted status.
func (s *Server) revokeQuote(c *call) (result, *apiError) {
	stt, err := s.findStatus(c)
	if err != nil {
		return result{}, err
	}
	st := c.st
	q := st.statuses[c.r.PathValue("quoting_status_id")]
	if q == nil || q.quote != stt {
		return result{}, errNotFound
	}
	if stt.account != c.me {
		return result{}, errForbidden
	}
	q.quote, q.quoteEnded = nil, "revoked"
	stt.nQuotes--
	return ok(st.renderStatus(q, c.me, renderOpts{})), nil
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
				st.notifyPollEnded(p, stt.account, stt)
				for id := range p.votes {
					if v := st.accounts[id]; v != nil && v != stt.account {
						st.notifyPollEnded(p, v, stt)
					}
				}
			}
		}
	}
	st.expireIdempotency()
}

// notifyPollEnded tells target that poll p ended, once: a poll whose end
// an edit moved may end again, and like Mastodon's LocalNotificationWorker
// it does not notify twice for the same poll.
func (st *store) notifyPollEnded(p *poll, target *account, s *status) {
	if slices.ContainsFunc(st.notifs, func(n *notification) bool { return n.kind == "poll" && n.target == target && n.activity == p }) {
		return
	}
	st.notifyFor(p, "poll", target, s.account, s)
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

func validQuotePolicy(v string) bool { return v == "public" || v == "followers" || v == "nobody" }

// quotePolicyOf is the effective quote policy of s.
func quotePolicyOf(s *status) string {
	switch {
	case s.visibility == "private" || s.visibility == "direct":
		return "nobody"
	case s.quotePolicy == "":
		return "public"
	}
	return s.quotePolicy
}

// mayQuote reports whether viewer's quote of s is accepted automatically.
func (st *store) mayQuote(viewer *account, s *status) bool {
	if viewer == s.account {
		return true
	}
	switch quotePolicyOf(s) {
	case "public":
		return true
	case "followers":
		return viewer != nil && st.isFollowing(viewer, s.account)
	}
	return false
}

// interactionPolicy changes who may quote a status (PUT
// /api/v1/statuses/{id}/interaction_policy, Mastodon 4.5). Only its author
// may; a followers-only or direct status keeps the policy "nobody".
func (s *Server) interactionPolicy(c *call) (result, *apiError) {
	stt, err := s.findStatus(c)
	if err != nil {
		return result{}, err
	}
	if stt.account != c.me {
		return result{}, errForbidden
	}
	v := c.p.str("quote_approval_policy")
	if !validQuotePolicy(v) {
		return result{}, validation("quote_approval_policy", "ERR_INCLUSION", "is not included in the list", "Quote approval policy is not included in the list")
	}
	if stt.visibility == "public" || stt.visibility == "unlisted" {
		stt.quotePolicy = v
	}
	return ok(c.st.renderStatus(stt, c.me, renderOpts{})), nil
}

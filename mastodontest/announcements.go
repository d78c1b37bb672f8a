package mastodontest

import (
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Announcements. Tests publish them with PublishAnnouncement (an admin
// does it on Mastodon) and remove them with DeleteAnnouncement; users list
// them, dismiss them and react to them. As on Mastodon, publishing,
// reacting and deleting are streamed to every open user stream as
// "announcement", "announcement.reaction" and "announcement.delete".

// AnnouncementOptions are the optional parts of an announcement.
type AnnouncementOptions struct {
	// StartsAt and EndsAt bound the event the announcement is about; give
	// both or neither.
	StartsAt, EndsAt time.Time
	// AllDay says the bounds are dates only.
	AllDay bool
}

// maxReactionNames is how many different reactions an announcement takes.
const maxReactionNames = 8

func (s *Server) announcementRoutes() {
	s.handle("GET /api/v1/announcements", route{need: userToken, h: s.listAnnouncements})
	s.handle("POST /api/v1/announcements/{id}/dismiss", route{need: userToken, scopes: []string{"write", "write:accounts"}, h: s.dismissAnnouncement})
	fav := []string{"write", "write:favourites"}
	s.handle("PUT /api/v1/announcements/{id}/reactions/{name}", route{need: userToken, scopes: fav, h: s.reactAnnouncement(true)})
	s.handle("DELETE /api/v1/announcements/{id}/reactions/{name}", route{need: userToken, scopes: fav, h: s.reactAnnouncement(false)})
}

// PublishAnnouncement publishes an announcement and returns its id. It
// panics on empty text or on only one of StartsAt and EndsAt, which
// Mastodon refuses.
func (s *Server) PublishAnnouncement(text string, o *AnnouncementOptions) string {
	if strings.TrimSpace(text) == "" {
		panic("mastodontest: PublishAnnouncement: empty text")
	}
	var opts AnnouncementOptions
	if o != nil {
		opts = *o
	}
	if opts.StartsAt.IsZero() != opts.EndsAt.IsZero() {
		panic("mastodontest: PublishAnnouncement: StartsAt and EndsAt go together")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.st
	now := s.now()
	a := &announcement{id: st.nextSeq("announcement"), text: text, allDay: opts.AllDay, published: now, updated: now,
		read: map[string]bool{}}
	if !opts.StartsAt.IsZero() {
		a.startsAt, a.endsAt = ptr(opts.StartsAt.UTC()), ptr(opts.EndsAt.UTC())
	}
	st.x.announcements = append(st.x.announcements, a)
	payload := string(mustJSON(st.renderAnnouncement(a, nil)))
	s.hub.userStreamEvent("announcement", &payload)
	return a.id
}

// DeleteAnnouncement removes an announcement with its reactions and
// dismissals, and reports whether it existed.
func (s *Server) DeleteAnnouncement(id string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.st
	i := slices.IndexFunc(st.x.announcements, func(a *announcement) bool { return a.id == id })
	if i < 0 {
		return false
	}
	st.x.announcements = slices.Delete(st.x.announcements, i, i+1)
	s.hub.userStreamEvent("announcement.delete", &id)
	return true
}

// userStreamEvent sends an event to every open "user" subscription.
func (h *hub) userStreamEvent(event string, payload *string) {
	for _, sb := range h.snapshot() {
		if sb.account == nil {
			continue
		}
		for _, x := range sb.subscriptions() {
			if x.name == "user" {
				h.send(sb, frame{stream: x.label(), event: event, payload: payload})
			}
		}
	}
}

// sortedAnnouncements orders announcements as Mastodon's "chronological"
// scope does: by start, else publication time.
func (st *store) sortedAnnouncements() []*announcement {
	out := slices.Clone(st.x.announcements)
	key := func(a *announcement) time.Time {
		if a.startsAt != nil {
			return *a.startsAt
		}
		return a.published
	}
	slices.SortStableFunc(out, func(a, b *announcement) int { return key(a).Compare(key(b)) })
	return out
}

func (st *store) findAnnouncement(id string) *announcement {
	for _, a := range st.x.announcements {
		if a.id == id {
			return a
		}
	}
	return nil
}

type jsonAnnouncementStatus struct {
	ID  string `json:"id"`
	URL string `json:"url"`
}

type jsonReaction struct {
	Name      string  `json:"name"`
	Count     int     `json:"count"`
	Me        bool    `json:"me"`
	URL       *string `json:"url,omitempty"`
	StaticURL *string `json:"static_url,omitempty"`
}

type jsonAnnouncement struct {
	ID          string                   `json:"id"`
	Content     string                   `json:"content"`
	StartsAt    *string                  `json:"starts_at"`
	EndsAt      *string                  `json:"ends_at"`
	AllDay      bool                     `json:"all_day"`
	PublishedAt string                   `json:"published_at"`
	UpdatedAt   string                   `json:"updated_at"`
	Read        *bool                    `json:"read,omitempty"`
	Mentions    []jsonMention            `json:"mentions"`
	Statuses    []jsonAnnouncementStatus `json:"statuses"`
	Tags        []jsonTag                `json:"tags"`
	Emojis      []jsonEmoji              `json:"emojis"`
	Reactions   []jsonReaction           `json:"reactions"`
}

// renderAnnouncement renders a for viewer; a nil viewer (streamed
// payloads) gets no "read" and "me": false, as Mastodon sends them.
func (st *store) renderAnnouncement(a *announcement, viewer *account) jsonAnnouncement {
	srv := st.srv
	names, tags := extractTokens(a.text)
	var mentioned []*account
	j := jsonAnnouncement{ID: a.id, AllDay: a.allDay, StartsAt: fmtTimePtr(a.startsAt), EndsAt: fmtTimePtr(a.endsAt),
		PublishedAt: fmtTime(a.published), UpdatedAt: fmtTime(a.updated), Mentions: []jsonMention{},
		Statuses: []jsonAnnouncementStatus{}, Tags: []jsonTag{}, Emojis: st.emojisIn(a.text), Reactions: []jsonReaction{}}
	for _, n := range names {
		if m := st.accountByAcct(n); m != nil {
			mentioned = append(mentioned, m)
			jm := jsonMention{ID: m.id, Username: m.username, URL: srv.URL + "/@" + m.username, Acct: m.username}
			if m.domain != "" {
				jm.URL, jm.Acct = "https://"+m.domain+"/@"+m.username, m.username+"@"+m.domain
			}
			j.Mentions = append(j.Mentions, jm)
		}
	}
	for _, t := range tags {
		j.Tags = append(j.Tags, jsonTag{Name: strings.ToLower(t), URL: srv.URL + "/tags/" + strings.ToLower(t)})
	}
	// Links to public or unlisted statuses of this server are listed.
	for _, u := range cardURLRE.FindAllString(a.text, -1) {
		prefix := srv.URL + "/@"
		if !strings.HasPrefix(u, prefix) {
			continue
		}
		_, id, ok := strings.Cut(strings.TrimPrefix(u, prefix), "/")
		if x := st.statuses[id]; ok && x != nil && (x.visibility == "public" || x.visibility == "unlisted") &&
			!slices.ContainsFunc(j.Statuses, func(s jsonAnnouncementStatus) bool { return s.ID == id }) {
			j.Statuses = append(j.Statuses, jsonAnnouncementStatus{ID: id, URL: u})
		}
	}
	j.Content = textToHTML(srv, a.text, mentioned, tags)
	if viewer != nil {
		j.Read = ptr(a.read[viewer.id])
	}
	for _, r := range a.reactions {
		jr := jsonReaction{Name: r.name, Count: len(r.accounts), Me: viewer != nil && slices.Contains(r.accounts, viewer.id)}
		if e := st.customEmoji(r.name); e != nil {
			jr.URL, jr.StaticURL = ptr(e.url), ptr(e.url)
		}
		j.Reactions = append(j.Reactions, jr)
	}
	return j
}

func (st *store) customEmoji(shortcode string) *customEmoji {
	for i := range st.emojis {
		if st.emojis[i].shortcode == shortcode {
			return &st.emojis[i]
		}
	}
	return nil
}

// isUnicodeEmoji accepts what looks like one emoji: symbols, with the
// joiners, variation selectors, skin tones and keycaps emoji sequences use.
func isUnicodeEmoji(s string) bool {
	if s == "" || len(s) > 64 || !utf8.ValidString(s) {
		return false
	}
	sym := false
	for _, r := range s {
		switch {
		case r == 0x200d || r == 0xfe0f || r == 0xfe0e || r == 0x20e3 || (r >= 0xe0020 && r <= 0xe007f):
		case r >= 0x1f3fb && r <= 0x1f3ff: // skin tones
		case unicode.Is(unicode.So, r) || unicode.Is(unicode.Sk, r) && r > 0x2000:
			sym = true
		case r == '#' || r == '*' || (r >= '0' && r <= '9'):
			if !strings.ContainsRune(s, 0x20e3) {
				return false
			}
			sym = true
		default:
			return false
		}
	}
	return sym
}

// listAnnouncements lists every published announcement, dismissed ones
// included ("read": true): current Mastodon ignores the with_dismissed
// parameter older docs describe.
func (s *Server) listAnnouncements(c *call) (result, *apiError) {
	out := []jsonAnnouncement{}
	for _, a := range c.st.sortedAnnouncements() {
		out = append(out, c.st.renderAnnouncement(a, c.me))
	}
	return ok(out), nil
}

func (s *Server) dismissAnnouncement(c *call) (result, *apiError) {
	a := c.st.findAnnouncement(c.r.PathValue("id"))
	if a == nil {
		return result{}, errNotFound
	}
	a.read[c.me.id] = true
	return ok(nil), nil
}

func (s *Server) reactAnnouncement(add bool) handler {
	return func(c *call) (result, *apiError) {
		st := c.st
		a := st.findAnnouncement(c.r.PathValue("id"))
		if a == nil {
			return result{}, errNotFound
		}
		name := c.r.PathValue("name")
		i := slices.IndexFunc(a.reactions, func(r *announcementReaction) bool { return r.name == name })
		if !add {
			if i < 0 || !slices.Contains(a.reactions[i].accounts, c.me.id) {
				return result{}, errNotFound
			}
			r := a.reactions[i]
			r.accounts = slices.DeleteFunc(r.accounts, func(id string) bool { return id == c.me.id })
			if len(r.accounts) == 0 {
				a.reactions = slices.Delete(a.reactions, i, i+1)
			}
			s.reactionEvent(a, name, len(r.accounts))
			return ok(nil), nil
		}
		if !isUnicodeEmoji(name) && st.customEmoji(name) == nil {
			return result{}, errf(422, "Validation failed: Name is not a recognized emoji")
		}
		if i < 0 {
			if len(a.reactions) >= maxReactionNames {
				return result{}, errf(422, "Validation failed: Limit of different reactions reached")
			}
			a.reactions = append(a.reactions, &announcementReaction{name: name})
			i = len(a.reactions) - 1
		}
		r := a.reactions[i]
		if !slices.Contains(r.accounts, c.me.id) {
			r.accounts = append(r.accounts, c.me.id)
			s.reactionEvent(a, name, len(r.accounts))
		}
		return ok(nil), nil
	}
}

func (s *Server) reactionEvent(a *announcement, name string, count int) {
	p := string(mustJSON(struct {
		Name           string `json:"name"`
		Count          int    `json:"count"`
		AnnouncementID string `json:"announcement_id"`
	}{name, count, a.id}))
	s.hub.userStreamEvent("announcement.reaction", &p)
}

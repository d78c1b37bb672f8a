package mastodontest

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"
)

// JSON shapes, following what Mastodon 4.x sends field by field.

type jsonEmoji struct {
	Shortcode       string  `json:"shortcode"`
	URL             string  `json:"url"`
	StaticURL       string  `json:"static_url"`
	VisibleInPicker bool    `json:"visible_in_picker"`
	Category        *string `json:"category,omitempty"`
}

type jsonRole struct {
	ID    string `json:"id"`
	Name  string `json:"name"`
	Color string `json:"color"`
}

type jsonField struct {
	Name       string  `json:"name"`
	Value      string  `json:"value"`
	VerifiedAt *string `json:"verified_at"`
}

type jsonApproval struct {
	Automatic   []string `json:"automatic"`
	Manual      []string `json:"manual"`
	CurrentUser string   `json:"current_user"`
}

type jsonAccount struct {
	ID               string        `json:"id"`
	Username         string        `json:"username"`
	Acct             string        `json:"acct"`
	DisplayName      string        `json:"display_name"`
	Locked           bool          `json:"locked"`
	Bot              bool          `json:"bot"`
	Discoverable     *bool         `json:"discoverable"`
	Indexable        bool          `json:"indexable"`
	Group            bool          `json:"group"`
	CreatedAt        string        `json:"created_at"`
	Note             string        `json:"note"`
	URL              string        `json:"url"`
	URI              string        `json:"uri"`
	Avatar           string        `json:"avatar"`
	AvatarStatic     string        `json:"avatar_static"`
	AvatarDesc       string        `json:"avatar_description"`
	Header           string        `json:"header"`
	HeaderStatic     string        `json:"header_static"`
	HeaderDesc       string        `json:"header_description"`
	FollowersCount   int           `json:"followers_count"`
	FollowingCount   int           `json:"following_count"`
	StatusesCount    int           `json:"statuses_count"`
	LastStatusAt     *string       `json:"last_status_at"`
	HideCollections  *bool         `json:"hide_collections"`
	ShowMedia        bool          `json:"show_media"`
	ShowMediaReplies bool          `json:"show_media_replies"`
	ShowFeatured     bool          `json:"show_featured"`
	Noindex          bool          `json:"noindex"`
	FeatureApproval  jsonApproval  `json:"feature_approval"`
	Source           *jsonSource   `json:"source,omitempty"`
	Emojis           []jsonEmoji   `json:"emojis"`
	Roles            []jsonRole    `json:"roles"`
	Fields           []jsonField   `json:"fields"`
	Role             *jsonFullRole `json:"role,omitempty"`
	Suspended        bool          `json:"suspended,omitempty"`
	Limited          bool          `json:"limited,omitempty"`
}

type jsonSource struct {
	Privacy            string      `json:"privacy"`
	Sensitive          bool        `json:"sensitive"`
	Language           *string     `json:"language"`
	Note               string      `json:"note"`
	Fields             []jsonField `json:"fields"`
	FollowRequestCount int         `json:"follow_requests_count"`
	HideCollections    *bool       `json:"hide_collections"`
	Discoverable       *bool       `json:"discoverable"`
	Indexable          bool        `json:"indexable"`
	AttributionDomains []string    `json:"attribution_domains"`
	QuotePolicy        string      `json:"quote_policy"`
}

type jsonFullRole struct {
	ID              string `json:"id"`
	Name            string `json:"name"`
	Permissions     string `json:"permissions"`
	Color           string `json:"color"`
	Highlighted     bool   `json:"highlighted"`
	CollectionLimit int    `json:"collection_limit"`
}

func (s *Server) domain() string {
	return strings.TrimPrefix(strings.TrimPrefix(s.URL, "http://"), "https://")
}

func (st *store) renderAccount(a *account, viewer *account) jsonAccount {
	s := st.srv
	followers, following, statuses := st.counts(a)
	avatar := s.URL + "/avatars/original/missing.png"
	if a.avatar {
		avatar = fmt.Sprintf("%s/system/accounts/avatars/%s/original/avatar.png", s.URL, a.id)
	}
	header := s.URL + "/headers/original/missing.png"
	if a.header {
		header = fmt.Sprintf("%s/system/accounts/headers/%s/original/header.png", s.URL, a.id)
	}
	roles := []jsonRole{}
	if a.admin {
		roles = append(roles, jsonRole{ID: "3", Name: "Owner", Color: ""})
	}
	fields := []jsonField{}
	for _, f := range a.fields {
		fields = append(fields, jsonField{Name: f.name, Value: linkify(s, f.value), VerifiedAt: nil})
	}
	var last *string
	if a.lastStatusAt != nil {
		last = ptr(a.lastStatusAt.UTC().Format("2006-01-02"))
	}
	approval := jsonApproval{Automatic: []string{}, Manual: []string{}, CurrentUser: "denied"}
	if a.discoverable != nil && *a.discoverable {
		approval.Automatic = []string{"public"}
		approval.CurrentUser = "automatic"
	}
	y, m, d := a.createdAt.UTC().Date()
	j := jsonAccount{
		ID: a.id, Username: a.username, Acct: a.username, DisplayName: a.displayName,
		Locked: a.locked, Bot: a.bot, Discoverable: a.discoverable, Indexable: a.indexable, Group: a.group,
		CreatedAt: fmtTime(time.Date(y, m, d, 0, 0, 0, 0, time.UTC)),
		Note:      textToHTML(s, a.note, nil, nil),
		URL:       s.URL + "/@" + a.username, URI: s.URL + "/ap/users/" + a.id,
		Avatar: avatar, AvatarStatic: avatar, AvatarDesc: a.avatarDesc,
		Header: header, HeaderStatic: header, HeaderDesc: a.headerDesc,
		FollowersCount: followers, FollowingCount: following, StatusesCount: statuses,
		LastStatusAt: last, HideCollections: a.hideColl,
		ShowMedia: true, ShowMediaReplies: true, ShowFeatured: true,
		FeatureApproval: approval,
		Emojis:          st.emojisIn(a.displayName + " " + a.note),
		Roles:           roles, Fields: fields,
	}
	remoteAccountJSON(&j, a)
	if st.suspended(a) {
		// Mastodon's AccountSerializer blanks an unavailable account.
		missing := s.URL + "/avatars/original/missing.png"
		j.Suspended, j.DisplayName, j.Note, j.Locked, j.Bot = true, "", "", false, false
		j.Discoverable, j.Indexable = ptr(false), false
		j.Avatar, j.AvatarStatic, j.AvatarDesc = missing, missing, ""
		missing = s.URL + "/headers/original/missing.png"
		j.Header, j.HeaderStatic, j.HeaderDesc = missing, missing, ""
		j.Emojis, j.Fields, j.Roles = []jsonEmoji{}, []jsonField{}, []jsonRole{}
	}
	j.Limited = st.silenced(a)
	return j
}

func (st *store) renderCredentialAccount(a *account) jsonAccount {
	j := st.renderAccount(a, a)
	fields := []jsonField{}
	for _, f := range a.fields {
		fields = append(fields, jsonField{Name: f.name, Value: f.value})
	}
	pending := 0
	for e := range st.requests {
		if e.to == a.id {
			pending++
		}
	}
	j.Source = &jsonSource{
		Privacy: a.privacy, Sensitive: a.sensitive, Language: a.language, Note: a.note,
		Fields: fields, FollowRequestCount: pending, HideCollections: a.hideColl,
		Discoverable: a.discoverable, Indexable: a.indexable,
		AttributionDomains: append([]string{}, a.attribution...), QuotePolicy: cmp.Or(a.quotePolicy, "public"),
	}
	if a.admin {
		j.Role = &jsonFullRole{ID: "3", Name: "Owner", Permissions: "1048575", Highlighted: true, CollectionLimit: 10}
	} else {
		j.Role = &jsonFullRole{ID: "-99", Name: "", Permissions: "65536", CollectionLimit: 10}
	}
	return j
}

type jsonApplication struct {
	Name    string  `json:"name"`
	Website *string `json:"website"`
}

type jsonMention struct {
	ID       string `json:"id"`
	Username string `json:"username"`
	URL      string `json:"url"`
	Acct     string `json:"acct"`
}

type jsonTag struct {
	Name string `json:"name"`
	URL  string `json:"url"`
}

type jsonStatus struct {
	ID                 string              `json:"id"`
	CreatedAt          string              `json:"created_at"`
	InReplyToID        *string             `json:"in_reply_to_id"`
	InReplyToAccountID *string             `json:"in_reply_to_account_id"`
	Sensitive          bool                `json:"sensitive"`
	SpoilerText        string              `json:"spoiler_text"`
	Visibility         string              `json:"visibility"`
	Language           *string             `json:"language"`
	URI                string              `json:"uri"`
	URL                *string             `json:"url"`
	RepliesCount       int                 `json:"replies_count"`
	ReblogsCount       int                 `json:"reblogs_count"`
	FavouritesCount    int                 `json:"favourites_count"`
	QuotesCount        int                 `json:"quotes_count"`
	EditedAt           *string             `json:"edited_at"`
	Favourited         *bool               `json:"favourited,omitempty"`
	Reblogged          *bool               `json:"reblogged,omitempty"`
	Muted              *bool               `json:"muted,omitempty"`
	Bookmarked         *bool               `json:"bookmarked,omitempty"`
	Pinned             *bool               `json:"pinned,omitempty"`
	Content            *string             `json:"content,omitempty"`
	Text               *string             `json:"text,omitempty"`
	Filtered           *[]jsonFilterResult `json:"filtered,omitempty"`
	Reblog             *jsonStatus         `json:"reblog"`
	Application        *jsonApplication    `json:"application"`
	Account            jsonAccount         `json:"account"`
	MediaAttachments   []jsonMedia         `json:"media_attachments"`
	Mentions           []jsonMention       `json:"mentions"`
	Tags               []jsonTag           `json:"tags"`
	Emojis             []jsonEmoji         `json:"emojis"`
	TaggedCollections  []any               `json:"tagged_collections"`
	Quote              any                 `json:"quote"`
	Card               any                 `json:"card"`
	Poll               *jsonPoll           `json:"poll"`
	QuoteApproval      jsonApproval        `json:"quote_approval"`
}

type renderOpts struct {
	withText   bool // DELETE answers with the source text instead of content
	filterCtx  string
	skipFilter bool
	justPosted bool // POST /api/v1/statuses: the card is not fetched yet
}

func (st *store) renderStatus(s *status, viewer *account, o renderOpts) *jsonStatus {
	srv := st.srv
	j := &jsonStatus{
		ID:                s.id,
		CreatedAt:         fmtTime(s.createdAt),
		Sensitive:         s.sensitive,
		SpoilerText:       s.spoiler,
		Visibility:        s.visibility,
		Language:          s.language,
		URI:               fmt.Sprintf("%s/ap/users/%s/statuses/%s", srv.URL, s.account.id, s.id),
		URL:               ptr(fmt.Sprintf("%s/@%s/%s", srv.URL, s.account.username, s.id)),
		EditedAt:          fmtTimePtr(s.editedAt),
		Account:           st.renderAccount(s.account, viewer),
		MediaAttachments:  []jsonMedia{},
		Mentions:          []jsonMention{},
		Tags:              []jsonTag{},
		Emojis:            []jsonEmoji{},
		TaggedCollections: []any{},
		QuoteApproval:     jsonApproval{Automatic: []string{"public"}, Manual: []string{}, CurrentUser: "automatic"},
	}
	switch quotePolicyOf(s) {
	case "nobody":
		j.QuoteApproval = jsonApproval{Automatic: []string{}, Manual: []string{}, CurrentUser: "denied"}
	case "followers":
		j.QuoteApproval = jsonApproval{Automatic: []string{"followers"}, Manual: []string{}, CurrentUser: "denied"}
		if st.mayQuote(viewer, s) {
			j.QuoteApproval.CurrentUser = "automatic"
		}
	}
	if viewer != s.account && st.sensitized(s.account) {
		j.Sensitive = true // what the author sees is theirs; others see it sensitive
	}
	remoteStatusJSON(j, s)
	if s.reblog != nil {
		j.Content = ptr("")
		j.Reblog = st.renderStatus(s.reblog, viewer, renderOpts{filterCtx: o.filterCtx, skipFilter: o.skipFilter, withText: o.withText})
		j.URL = j.Reblog.URL
		if o.withText {
			j.Content, j.Text = nil, ptr("")
		}
		j.URI += "/activity"
		j.Sensitive = false
		j.Language = nil
	} else {
		if s.inReplyTo != "" {
			j.InReplyToID, j.InReplyToAccountID = ptr(s.inReplyTo), ptr(s.inReplyAcct)
		}
		if s.app != nil {
			j.Application = &jsonApplication{Name: s.app.name, Website: s.app.website}
		}
		if o.withText {
			j.Text = ptr(s.text)
		} else {
			j.Content = ptr(textToHTML(srv, s.text, s.mentions, s.tags))
		}
		for _, m := range s.media {
			j.MediaAttachments = append(j.MediaAttachments, st.renderMedia(m))
		}
		for _, m := range s.mentions {
			mj := jsonMention{ID: m.id, Username: m.username, URL: srv.URL + "/@" + m.username, Acct: m.username}
			if m.domain != "" {
				mj.URL, mj.Acct = "https://"+m.domain+"/@"+m.username, m.username+"@"+m.domain
			}
			j.Mentions = append(j.Mentions, mj)
		}
		for _, t := range s.tags {
			j.Tags = append(j.Tags, jsonTag{Name: strings.ToLower(t), URL: srv.URL + "/tags/" + strings.ToLower(t)})
		}
		j.Emojis = st.emojisIn(s.spoiler + " " + s.text)
		if s.poll != nil {
			j.Poll = st.renderPoll(s.poll, viewer)
		}
		j.ReblogsCount, j.RepliesCount, j.FavouritesCount = s.nReblogs, s.nReplies, s.nFavs
		if !o.justPosted {
			j.Card = st.statusCard(s)
		}
		j.QuotesCount = s.nQuotes
		if s.quoteEnded != "" {
			j.Quote = map[string]any{"state": s.quoteEnded, "quoted_status": nil}
		}
		if s.quote != nil {
			j.Quote = st.renderQuote(s.quote, viewer)
		}
	}
	if viewer != nil {
		target := s
		if s.reblog != nil {
			target = s.reblog
		}
		k := edge{viewer.id, target.id}
		_, fav := st.favIdx[k]
		_, reb := st.reblogIdx[k]
		_, bm := st.bookmarkIdx[k]
		j.Favourited, j.Reblogged, j.Bookmarked = &fav, &reb, &bm
		j.Muted = ptr(st.convMutes[edge{viewer.id, target.thread}])
		if s.account == viewer && s.reblog == nil && (s.visibility == "public" || s.visibility == "unlisted" || s.visibility == "private") {
			j.Pinned = ptr(slices.Contains(viewer.pinned, s.id))
		}
		fr := []jsonFilterResult{}
		if !o.skipFilter && s.reblog == nil {
			fr = st.filterResults(s, viewer, o.filterCtx)
		}
		j.Filtered = &fr
	}
	return j
}

type jsonMedia struct {
	ID               string         `json:"id"`
	Type             string         `json:"type"`
	URL              *string        `json:"url"`
	PreviewURL       *string        `json:"preview_url"`
	RemoteURL        *string        `json:"remote_url"`
	PreviewRemoteURL *string        `json:"preview_remote_url"`
	TextURL          *string        `json:"text_url"`
	Meta             map[string]any `json:"meta"`
	Description      *string        `json:"description"`
	Blurhash         *string        `json:"blurhash"`
}

func (st *store) renderMedia(m *media) jsonMedia {
	base := fmt.Sprintf("%s/system/media_attachments/files/%s", st.srv.URL, m.id)
	j := jsonMedia{ID: m.id, Type: m.kind, Description: m.description, Blurhash: m.blurhash, Meta: map[string]any{}}
	if !m.processing {
		j.URL = ptr(base + "/original/" + m.filename)
	}
	j.PreviewURL = ptr(base + "/small/" + m.filename)
	if m.thumbName != "" {
		j.PreviewURL = ptr(fmt.Sprintf("%s/system/media_attachments/thumbnails/%s/original/%s", st.srv.URL, m.id, m.thumbName))
	}
	if m.width > 0 && m.height > 0 {
		aspect := float64(m.width) / float64(m.height)
		j.Meta["original"] = map[string]any{"width": m.width, "height": m.height, "size": fmt.Sprintf("%dx%d", m.width, m.height), "aspect": aspect}
		sw, sh := m.width, m.height
		if sw*sh > 480*480 {
			scale := float64(480) / float64(max(sw, sh))
			sw, sh = int(float64(sw)*scale), int(float64(sh)*scale)
		}
		j.Meta["small"] = map[string]any{"width": sw, "height": sh, "size": fmt.Sprintf("%dx%d", sw, sh), "aspect": aspect}
	}
	switch m.kind {
	case "video", "gifv", "audio":
		if m.kind != "audio" {
			w, h := m.width, m.height
			if w == 0 || h == 0 {
				w, h = 640, 360
			}
			j.Meta["original"] = map[string]any{"width": w, "height": h, "frame_rate": "30/1", "duration": 7.3, "bitrate": 2187124}
			j.Meta["small"] = map[string]any{"width": w * 400 / max(w, h), "height": h * 400 / max(w, h),
				"size": fmt.Sprintf("%dx%d", w*400/max(w, h), h*400/max(w, h)), "aspect": float64(w) / float64(h)}
		} else {
			j.Meta["original"] = map[string]any{"duration": 7.3, "bitrate": 128000}
		}
		if m.thumbnail {
			j.Meta["colors"] = map[string]any{"background": "#d9f3f3", "foreground": "#0c0c0c", "accent": "#0c0c0c"}
		}
	}
	if m.hasFocus {
		j.Meta["focus"] = map[string]any{"x": m.focusX, "y": m.focusY}
	}
	return j
}

type jsonPollOption struct {
	Title      string `json:"title"`
	VotesCount *int   `json:"votes_count"`
}

type jsonPoll struct {
	ID          string           `json:"id"`
	ExpiresAt   *string          `json:"expires_at"`
	Expired     bool             `json:"expired"`
	Multiple    bool             `json:"multiple"`
	VotesCount  int              `json:"votes_count"`
	VotersCount *int             `json:"voters_count"`
	Voted       *bool            `json:"voted,omitempty"`
	OwnVotes    *[]int           `json:"own_votes,omitempty"`
	Options     []jsonPollOption `json:"options"`
	Emojis      []jsonEmoji      `json:"emojis"`
}

func (st *store) pollExpired(p *poll) bool {
	return p.expiresAt != nil && !st.srv.now().Before(*p.expiresAt)
}

func (st *store) renderPoll(p *poll, viewer *account) *jsonPoll {
	counts := make([]int, len(p.options))
	total := 0
	for _, choices := range p.votes {
		for _, c := range choices {
			if c >= 0 && c < len(counts) {
				counts[c]++
				total++
			}
		}
	}
	expired := st.pollExpired(p)
	j := &jsonPoll{ID: p.id, ExpiresAt: fmtTimePtr(p.expiresAt), Expired: expired, Multiple: p.multiple,
		VotesCount: total, VotersCount: ptr(len(p.votes)), Emojis: []jsonEmoji{}, Options: []jsonPollOption{}}
	owner := st.statuses[p.statusID]
	for i, o := range p.options {
		opt := jsonPollOption{Title: o}
		if !p.hideTotal || expired || (owner != nil && owner.account == viewer) {
			opt.VotesCount = ptr(counts[i])
		}
		j.Options = append(j.Options, opt)
	}
	if viewer != nil {
		mine, voted := p.votes[viewer.id]
		if owner != nil && owner.account == viewer {
			voted = true
		}
		j.Voted = &voted
		own := append([]int{}, mine...)
		j.OwnVotes = &own
	}
	return j
}

type jsonRelationship struct {
	ID                  string   `json:"id"`
	Following           bool     `json:"following"`
	ShowingReblogs      bool     `json:"showing_reblogs"`
	Notifying           bool     `json:"notifying"`
	Languages           []string `json:"languages"`
	FollowedBy          bool     `json:"followed_by"`
	Blocking            bool     `json:"blocking"`
	BlockedBy           bool     `json:"blocked_by"`
	Muting              bool     `json:"muting"`
	MutingNotifications bool     `json:"muting_notifications"`
	MutingExpiresAt     *string  `json:"muting_expires_at"`
	Requested           bool     `json:"requested"`
	RequestedBy         bool     `json:"requested_by"`
	DomainBlocking      bool     `json:"domain_blocking"`
	Endorsed            bool     `json:"endorsed"`
	Note                string   `json:"note"`
}

func (st *store) relationship(me, other *account) jsonRelationship {
	r := jsonRelationship{ID: other.id, Note: st.notes[edge{me.id, other.id}]}
	if f, ok := st.follows[edge{me.id, other.id}]; ok {
		r.Following, r.ShowingReblogs, r.Notifying, r.Languages = true, f.reblogs, f.notify, f.langs
	} else if f, ok := st.requests[edge{me.id, other.id}]; ok {
		r.Requested, r.ShowingReblogs, r.Notifying, r.Languages = true, f.reblogs, f.notify, f.langs
	}
	_, r.FollowedBy = st.follows[edge{other.id, me.id}]
	_, r.RequestedBy = st.requests[edge{other.id, me.id}]
	r.Blocking = st.isBlocking(me, other)
	r.BlockedBy = st.isBlocking(other, me)
	if st.isMuting(me, other) {
		m := st.mutes[edge{me.id, other.id}]
		r.Muting, r.MutingNotifications, r.MutingExpiresAt = true, m.notifications, fmtTimePtr(m.expires)
	}
	r.Endorsed = st.endorse[edge{me.id, other.id}]
	r.DomainBlocking = st.domainBlocked(me, other)
	return r
}

type jsonNotification struct {
	ID        string      `json:"id"`
	Type      string      `json:"type"`
	CreatedAt string      `json:"created_at"`
	GroupKey  string      `json:"group_key"`
	Account   jsonAccount `json:"account"`
	Status    *jsonStatus `json:"status,omitempty"`
}

func notifHasStatus(kind string) bool {
	switch kind {
	case "mention", "status", "reblog", "favourite", "poll", "update", "quote", "quoted_update":
		return true
	}
	return false
}

func (st *store) renderNotification(n *notification) jsonNotification {
	j := jsonNotification{ID: n.id, Type: n.kind, CreatedAt: fmtTime(n.createdAt), GroupKey: n.groupKey,
		Account: st.renderAccount(n.from, n.target)}
	if n.status != nil && notifHasStatus(n.kind) {
		j.Status = st.renderStatus(n.status, n.target, renderOpts{filterCtx: "notifications"})
	}
	return j
}

type jsonList struct {
	ID            string `json:"id"`
	Title         string `json:"title"`
	RepliesPolicy string `json:"replies_policy"`
	Exclusive     bool   `json:"exclusive"`
}

func renderList(l *list) jsonList {
	return jsonList{ID: l.id, Title: l.title, RepliesPolicy: l.replies, Exclusive: l.exclusive}
}

// renderQuote renders an accepted quote of q for viewer as Mastodon 4.5's
// quote serializer does: a quoted post the viewer may not see gives the
// state "unauthorized" and no quoted status; one by an account the viewer
// blocks or mutes (or on a domain it blocks) gives "blocked_account",
// "blocked_domain" or "muted_account", the post still attached for a
// client that lets its user reveal it.
func (st *store) renderQuote(q *status, viewer *account) map[string]any {
	if !st.canSee(viewer, q) {
		return map[string]any{"state": "unauthorized", "quoted_status": nil}
	}
	state := "accepted"
	if viewer != nil && viewer != q.account {
		switch {
		case st.isBlocking(viewer, q.account):
			state = "blocked_account"
		case st.domainBlocked(viewer, q.account):
			state = "blocked_domain"
		case st.isMuting(viewer, q.account):
			state = "muted_account"
		}
	}
	return map[string]any{"state": state, "quoted_status": st.renderStatus(q, viewer, renderOpts{skipFilter: true})}
}

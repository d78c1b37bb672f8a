package mastodontest

import (
	"crypto/rand"
	"encoding/base64"
	"slices"
	"strconv"
	"strings"
	"time"
)

// store is the server's state. Every field is guarded by Server.mu.
type store struct {
	srv *Server

	lastID   uint64         // last snowflake handed out
	seq      map[string]int // small sequential ids per kind (apps, notifications, lists, …)
	accounts map[string]*account
	byName   map[string]*account // lower-case username
	apps     map[string]*app     // by client_id
	tokens   map[string]*token   // by access token
	refresh  map[string]*token   // by refresh token
	codes    map[string]*authCode

	statuses  map[string]*status
	timeline  []*status // every published status, oldest first
	scheduled map[string]*scheduledStatus
	media     map[string]*media
	polls     map[string]*poll

	follows     map[edge]*follow // follower → target
	requests    map[edge]*follow // pending follow requests
	blocks      map[edge]string  // blocker → blocked: the block's id
	mutes       map[edge]*mute
	notes       map[edge]string
	endorse     map[edge]bool
	favs        []*reaction // favourites, oldest first
	bookmarks   []*reaction
	favIdx      map[edge]*reaction // account id, status id
	bookmarkIdx map[edge]*reaction
	reblogIdx   map[edge]*status // account id, reblogged status id → the reblog
	notifs      []*notification  // oldest first
	lists       map[string]*list
	markers     map[string]map[string]*marker // account → timeline → marker
	convs       map[string]*conversation      // by id
	filters     map[string]*filter
	tags        map[string]*tagState // lower-case name
	emojis      []customEmoji
	idem        map[string]idemEntry // account id + key
	idemOrder   []idemRef            // idem keys, oldest first, for expiry
	nextVacuum  time.Time            // when orphaned media are next looked for
	tagFollows  map[edge]string      // (account id, lower tag name) → follow id
	convMutes   map[edge]bool        // (account id, thread id): muted conversations
	authAs      string               // account /oauth/authorize approves for
	order       []*account           // accounts in creation order
	defaultApp  *app
	policies    map[string]map[string]string
	x           *extra // push, reports, trends, cards, announcements… (extra.go)
}

type edge struct{ from, to string }

func newStore(s *Server) *store {
	return &store{
		srv:         s,
		seq:         map[string]int{},
		accounts:    map[string]*account{},
		byName:      map[string]*account{},
		apps:        map[string]*app{},
		tokens:      map[string]*token{},
		refresh:     map[string]*token{},
		codes:       map[string]*authCode{},
		statuses:    map[string]*status{},
		scheduled:   map[string]*scheduledStatus{},
		media:       map[string]*media{},
		polls:       map[string]*poll{},
		follows:     map[edge]*follow{},
		favIdx:      map[edge]*reaction{},
		bookmarkIdx: map[edge]*reaction{},
		reblogIdx:   map[edge]*status{},
		requests:    map[edge]*follow{},
		blocks:      map[edge]string{},
		mutes:       map[edge]*mute{},
		notes:       map[edge]string{},
		endorse:     map[edge]bool{},
		lists:       map[string]*list{},
		markers:     map[string]map[string]*marker{},
		convs:       map[string]*conversation{},
		filters:     map[string]*filter{},
		tags:        map[string]*tagState{},
		idem:        map[string]idemEntry{},
		tagFollows:  map[edge]string{},
		convMutes:   map[edge]bool{},
		x:           newExtra(),
	}
}

// newID returns a snowflake-style id: milliseconds since the epoch shifted
// left 16 bits, plus a sequence, always greater than the last one handed out.
func (st *store) newID() string {
	ms := uint64(st.srv.now().UnixMilli())
	id := ms << 16
	if id <= st.lastID {
		id = st.lastID + 1
	}
	st.lastID = id
	return strconv.FormatUint(id, 10)
}

// nextSeq returns a small sequential id, as Mastodon uses for apps,
// notifications, lists, filters and markers.
func (st *store) nextSeq(kind string) string {
	st.seq[kind]++
	return strconv.Itoa(st.seq[kind])
}

func randomToken() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

type account struct {
	id           string
	username     string
	displayName  string
	note         string // plain text as set
	locked       bool
	bot          bool
	group        bool
	discoverable *bool
	indexable    bool
	admin        bool
	email        string
	password     string
	createdAt    time.Time
	fields       []field
	privacy      string
	sensitive    bool
	language     *string
	avatar       bool
	header       bool
	avatarDesc   string
	headerDesc   string
	lastStatusAt *time.Time
	hideColl     *bool
	nStatuses    int
	pinned       []string // status ids, newest pin first
	domain       string   // "" for local accounts; see CreateRemoteAccount
	quotePolicy  string   // default quote policy of new posts: public, followers, nobody ("" is public)
	attribution  []string // source.attribution_domains
	signupApp    *app     // set while the e-mail of an account registered through the API awaits confirmation
}

type field struct{ name, value string }

type app struct {
	id           string
	name         string
	website      *string
	redirectURIs []string
	scopes       []string
	clientID     string
	clientSecret string
	createdAt    time.Time
}

type token struct {
	access    string
	refresh   string
	app       *app
	account   *account // nil for client_credentials
	scopes    []string
	createdAt time.Time
	push      *pushSub // the token's Web Push subscription (push.go)
}

type authCode struct {
	code        string
	app         *app
	redirectURI string
	scopes      []string
	account     *account
	challenge   string
	method      string
	expires     time.Time
}

type status struct {
	id          string
	account     *account
	app         *app
	createdAt   time.Time
	editedAt    *time.Time
	text        string
	spoiler     string
	sensitive   bool
	visibility  string
	language    *string
	inReplyTo   string // status id
	inReplyAcct string
	reblog      *status
	media       []*media
	poll        *poll
	tags        []string
	mentions    []*account
	quote       *status
	quoteEnded  string // "deleted" or "revoked" once the quote no longer shows its status
	edits       []statusEdit
	conv        string // conversation id for direct statuses
	thread      string // id of the thread's first status (Mastodon's conversation), for conversation mutes
	deleted     bool
	nReblogs    int
	nReplies    int
	nFavs       int
	nQuotes     int    // statuses quoting it
	cardURL     string // the link its preview card is for (cards.go)
	quotePolicy string // who may quote it: public, followers or nobody ("" is public)
}

type statusEdit struct {
	createdAt   time.Time
	text        string
	spoiler     string
	sensitive   bool
	media       []*media
	mediaDesc   []*string // the attachments' descriptions at the time
	pollOptions []string  // nil without a poll
}

type scheduledStatus struct {
	id          string
	account     *account
	app         *app
	scheduledAt time.Time
	params      postParams
	media       []*media
}

type media struct {
	id          string
	account     *account
	kind        string // image, video, gifv, audio, unknown
	mime        string
	filename    string
	size        int64
	description *string
	focusX      float64
	focusY      float64
	hasFocus    bool
	width       int
	height      int
	blurhash    *string
	thumbnail   bool // a custom thumbnail was uploaded (it gives meta.colors)
	thumb       *upload
	thumbName   string // the stored thumbnail's file name, which preview_url names
	processing  bool   // answered 202; url stays null until processed
	pending     int    // remaining 206 polls before it is processed
	statusID    string
	data        []byte
	createdAt   time.Time
}

type poll struct {
	id        string
	statusID  string
	expiresAt *time.Time
	multiple  bool
	hideTotal bool
	options   []string
	votes     map[string][]int // account id → choices
	notified  bool
}

type follow struct {
	id       string
	reblogs  bool
	notify   bool
	langs    []string
	created  time.Time
	accounts edge
}

type mute struct {
	notifications bool
	expires       *time.Time
	id            string
}

type reaction struct {
	id        string
	account   *account
	status    *status
	createdAt time.Time // for the admin measures
}

type notification struct {
	id        string
	kind      string
	createdAt time.Time
	target    *account // recipient
	from      *account
	status    *status
	groupKey  string
	dismissed bool
	filtered  bool // held back by the recipient's notification policy (notifrequests.go)
	// activity is what caused it (a favourite's reaction, a reblog, a
	// follow or follow request); undoing that drops the notification, as
	// Mastodon destroys a notification with its activity.
	activity any
}

type list struct {
	id        string
	owner     *account
	title     string
	replies   string
	exclusive bool
	members   []string // account ids
}

type marker struct {
	lastRead  string
	version   int
	updatedAt time.Time
}

type conversation struct {
	id          string
	participant map[string]bool // account ids
	lastStatus  string
	unread      map[string]bool
	removed     map[string]bool
}

type filter struct {
	id        string
	owner     *account
	title     string
	contexts  []string
	action    string
	expiresAt *time.Time
	keywords  []*filterKeyword
	statuses  []*filterStatus
}

type filterKeyword struct {
	id        string
	keyword   string
	wholeWord bool
}

type filterStatus struct {
	id       string
	statusID string
}

type tagState struct {
	id   string
	name string
}

type customEmoji struct {
	shortcode string
	url       string
	category  *string
	visible   bool
}

type idemEntry struct {
	statusID string
	at       time.Time
}

type idemRef struct {
	key string
	at  time.Time
}

// account lookups

func (st *store) accountByAcct(acct string) *account {
	acct = strings.TrimPrefix(acct, "@")
	if name, domain, ok := strings.Cut(acct, "@"); ok {
		if !strings.EqualFold(domain, st.srv.domain()) {
			return st.byName[strings.ToLower(acct)] // remote accounts are keyed user@domain
		}
		acct = name
	}
	return st.byName[strings.ToLower(acct)]
}

func (st *store) isFollowing(from, to *account) bool {
	if from == nil || to == nil {
		return false
	}
	_, ok := st.follows[edge{from.id, to.id}]
	return ok
}

func (st *store) isBlocking(from, to *account) bool {
	if from == nil || to == nil {
		return false
	}
	_, ok := st.blocks[edge{from.id, to.id}]
	return ok
}

func (st *store) isMuting(from, to *account) bool {
	if from == nil || to == nil {
		return false
	}
	m, ok := st.mutes[edge{from.id, to.id}]
	if !ok {
		return false
	}
	if m.expires != nil && !st.srv.now().Before(*m.expires) {
		delete(st.mutes, edge{from.id, to.id})
		return false
	}
	return true
}

func (st *store) counts(a *account) (followers, following, statuses int) {
	for e := range st.follows {
		if e.to == a.id {
			followers++
		}
		if e.from == a.id {
			following++
		}
	}
	return followers, following, a.nStatuses
}

// cmpID orders numeric string ids (snowflakes or small integers).
func cmpID(a, b string) int {
	if len(a) != len(b) {
		if len(a) < len(b) {
			return -1
		}
		return 1
	}
	return strings.Compare(a, b)
}

// removeStatus drops s from the timeline and the status map.
func (st *store) removeStatus(s *status) {
	s.deleted = true
	delete(st.statuses, s.id)
	delete(st.x.trendReview, "status:"+s.id)
	st.timeline = slices.DeleteFunc(st.timeline, func(x *status) bool { return x == s })
	st.favs = slices.DeleteFunc(st.favs, func(r *reaction) bool {
		if r.status == s {
			delete(st.favIdx, edge{r.account.id, s.id})
			return true
		}
		return false
	})
	st.bookmarks = slices.DeleteFunc(st.bookmarks, func(r *reaction) bool {
		if r.status == s {
			delete(st.bookmarkIdx, edge{r.account.id, s.id})
			return true
		}
		return false
	})
	if s.reblog != nil {
		delete(st.reblogIdx, edge{s.account.id, s.reblog.id})
		s.reblog.nReblogs--
	} else {
		s.account.nStatuses--
		if p := st.statuses[s.inReplyTo]; p != nil {
			p.nReplies--
		}
	}
	st.notifs = slices.DeleteFunc(st.notifs, func(n *notification) bool { return n.status == s || n.activity == s })
	if s.poll != nil {
		delete(st.polls, s.poll.id)
	}
	if s.quote != nil {
		s.quote.nQuotes--
	}
	for _, m := range st.ownMedia(s) {
		delete(st.media, m.id)
	}
	s.account.pinned = slices.DeleteFunc(s.account.pinned, func(id string) bool { return id == s.id })
	// Quotes of it now say it was deleted, and stop holding it.
	for _, x := range st.timeline {
		if x.quote == s {
			x.quote, x.quoteEnded = nil, "deleted"
		}
	}
	for _, f := range st.filters {
		f.statuses = slices.DeleteFunc(f.statuses, func(fs *filterStatus) bool { return fs.statusID == s.id })
	}
	if cv := st.convs[s.conv]; cv != nil && s.reblog == nil {
		st.dropFromConversation(cv, s)
	}
}

// ownMedia returns the attachments that belong to s: those it shows and
// those an edit took out (they keep pointing at it, as in Mastodon).
func (st *store) ownMedia(s *status) []*media {
	var out []*media
	add := func(m *media) {
		if m.statusID == s.id && st.media[m.id] == m && !slices.Contains(out, m) {
			out = append(out, m)
		}
	}
	for _, m := range s.media {
		add(m)
	}
	for _, e := range s.edits {
		for _, m := range e.media {
			add(m)
		}
	}
	return out
}

// dropFromConversation moves a conversation's last status back to the
// newest one left after s is deleted, and forgets the conversation when
// none is left.
func (st *store) dropFromConversation(cv *conversation, s *status) {
	if cv.lastStatus != s.id {
		return
	}
	for i := len(st.timeline) - 1; i >= 0; i-- {
		if x := st.timeline[i]; x.conv == cv.id && x != s {
			cv.lastStatus = x.id
			return
		}
	}
	delete(st.convs, cv.id)
}

// dropActivity removes the notifications caused by x.
func (st *store) dropActivity(x any) {
	st.notifs = slices.DeleteFunc(st.notifs, func(n *notification) bool { return n.activity == x })
}

// unfollow ends the follow (or follow request) k and drops its notification.
func (st *store) unfollow(k edge) {
	if f, ok := st.follows[k]; ok {
		delete(st.follows, k)
		st.dropActivity(f)
		// Mastodon's list memberships hang on the follow: ending it
		// takes the account out of the follower's lists.
		for _, l := range st.lists {
			if l.owner.id == k.from {
				l.members = slices.DeleteFunc(l.members, func(id string) bool { return id == k.to })
			}
		}
	}
	if f, ok := st.requests[k]; ok {
		delete(st.requests, k)
		st.dropActivity(f)
	}
}

// maxCodes caps the authorization codes waiting to be exchanged, so a
// frozen clock (under which they never expire) does not let them pile up.
const maxCodes = 10000

// capCodes forgets the codes that expire first while there are too many.
func (st *store) capCodes() {
	for len(st.codes) > maxCodes {
		var first *authCode
		for _, c := range st.codes {
			if first == nil || c.expires.Before(first.expires) {
				first = c
			}
		}
		delete(st.codes, first.code)
	}
}

// maxIdempotencyKeys caps the remembered Idempotency-Key entries, so a
// frozen clock does not let them pile up; the oldest go first.
const maxIdempotencyKeys = 10000

// rememberIdempotency records that key (already prefixed with the account
// id) made status id.
func (st *store) rememberIdempotency(key, id string) {
	now := st.srv.now()
	st.idem[key] = idemEntry{statusID: id, at: now}
	st.idemOrder = append(st.idemOrder, idemRef{key, now})
	for len(st.idem) > maxIdempotencyKeys {
		st.popIdempotency()
	}
}

// popIdempotency forgets the oldest entry.
func (st *store) popIdempotency() {
	ref := st.idemOrder[0]
	st.idemOrder[0] = idemRef{}
	st.idemOrder = st.idemOrder[1:]
	if e, ok := st.idem[ref.key]; ok && e.at.Equal(ref.at) {
		delete(st.idem, ref.key)
	}
}

// expireIdempotency forgets Idempotency-Key entries older than an hour
// (Mastodon keeps them that long), authorization codes past their expiry
// and media left unattached for a day (Mastodon's media vacuum).
func (st *store) expireIdempotency() {
	now := st.srv.now()
	cut := now.Add(-time.Hour)
	for len(st.idemOrder) > 0 && st.idemOrder[0].at.Before(cut) {
		st.popIdempotency()
	}
	if len(st.idemOrder) == 0 {
		st.idemOrder = nil // let a long-grown backing array go
	}
	if !now.Before(st.nextVacuum) {
		st.nextVacuum = now.Add(time.Minute)
		day := now.Add(-24 * time.Hour)
		for id, m := range st.media {
			if m.statusID == "" && m.createdAt.Before(day) {
				delete(st.media, id)
			}
		}
	}
	for k, c := range st.codes {
		if st.srv.now().After(c.expires) {
			delete(st.codes, k)
		}
	}
}

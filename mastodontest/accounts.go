package mastodontest

import (
	"cmp"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"
)

func (s *Server) accountRoutes() {
	rAcc := []string{"read", "read:accounts"}
	wAcc := []string{"write", "write:accounts"}
	rFollows := []string{"read", "read:follows", "follow"}
	wFollows := []string{"write", "write:follows", "follow"}
	s.handle("POST /api/v1/accounts", route{need: anyToken, scopes: wAcc, h: s.registerAccount})
	s.handle("GET /api/v1/accounts/verify_credentials", route{need: userToken, scopes: []string{"read", "read:accounts", "profile"}, h: func(c *call) (result, *apiError) {
		return ok(c.st.renderCredentialAccount(c.me)), nil
	}})
	s.handle("POST /api/v1/emails/confirmations", route{need: userToken, scopes: wAcc, h: s.emailConfirmation})
	s.handle("PATCH /api/v1/accounts/update_credentials", route{need: userToken, scopes: wAcc, h: s.updateCredentials})
	s.handle("GET /api/v1/accounts/lookup", route{h: s.lookupAccount})
	s.handle("GET /api/v1/accounts/relationships", route{need: userToken, scopes: rFollows, h: s.relationships})
	s.handle("GET /api/v1/accounts/search", route{need: userToken, scopes: []string{"read", "read:accounts"}, h: s.accountSearch})
	s.handle("GET /api/v1/accounts", route{h: func(c *call) (result, *apiError) {
		out := []jsonAccount{}
		for _, id := range c.p.strs("id") {
			if a := c.st.accounts[id]; a != nil {
				out = append(out, c.st.renderAccount(a, c.me))
			}
		}
		return ok(out), nil
	}})
	s.handle("GET /api/v1/accounts/{id}", route{h: func(c *call) (result, *apiError) {
		a := c.st.accounts[c.r.PathValue("id")]
		if a == nil {
			return result{}, errNotFound
		}
		return ok(c.st.renderAccount(a, c.me)), nil
	}})
	s.handle("GET /api/v1/accounts/{id}/followers", route{h: s.followList(true)})
	s.handle("GET /api/v1/accounts/{id}/following", route{h: s.followList(false)})
	s.handle("POST /api/v1/accounts/{id}/follow", route{need: userToken, scopes: wFollows, h: s.followAccount})
	s.handle("POST /api/v1/accounts/{id}/unfollow", route{need: userToken, scopes: wFollows, h: s.relAction("unfollow")})
	s.handle("POST /api/v1/accounts/{id}/remove_from_followers", route{need: userToken, scopes: wFollows, h: s.relAction("remove_from_followers")})
	s.handle("POST /api/v1/accounts/{id}/block", route{need: userToken, scopes: []string{"write", "write:blocks", "follow"}, h: s.relAction("block")})
	s.handle("POST /api/v1/accounts/{id}/unblock", route{need: userToken, scopes: []string{"write", "write:blocks", "follow"}, h: s.relAction("unblock")})
	s.handle("POST /api/v1/accounts/{id}/mute", route{need: userToken, scopes: []string{"write", "write:mutes", "follow"}, h: s.relAction("mute")})
	s.handle("POST /api/v1/accounts/{id}/unmute", route{need: userToken, scopes: []string{"write", "write:mutes", "follow"}, h: s.relAction("unmute")})
	s.handle("POST /api/v1/accounts/{id}/pin", route{need: userToken, scopes: wAcc, h: s.relAction("pin")})
	s.handle("POST /api/v1/accounts/{id}/unpin", route{need: userToken, scopes: wAcc, h: s.relAction("unpin")})
	s.handle("POST /api/v1/accounts/{id}/endorse", route{need: userToken, scopes: wAcc, h: s.relAction("pin")})
	s.handle("POST /api/v1/accounts/{id}/unendorse", route{need: userToken, scopes: wAcc, h: s.relAction("unpin")})
	s.handle("POST /api/v1/accounts/{id}/note", route{need: userToken, scopes: wAcc, h: s.relAction("note")})
	s.handle("GET /api/v1/follow_requests", route{need: userToken, scopes: rFollows, h: s.followRequests})
	s.handle("POST /api/v1/follow_requests/{account_id}/authorize", route{need: userToken, scopes: wFollows, h: s.answerRequest(true)})
	s.handle("POST /api/v1/follow_requests/{account_id}/reject", route{need: userToken, scopes: wFollows, h: s.answerRequest(false)})
	s.handle("GET /api/v1/blocks", route{need: userToken, scopes: []string{"read", "read:blocks", "follow"}, h: s.edgeList("blocks")})
	s.handle("GET /api/v1/mutes", route{need: userToken, scopes: []string{"read", "read:mutes", "follow"}, h: s.edgeList("mutes")})
	s.handle("GET /api/v1/endorsements", route{need: userToken, scopes: rAcc, h: s.edgeList("endorsements")})
	s.handle("GET /api/v1/preferences", route{need: userToken, scopes: rAcc, h: func(c *call) (result, *apiError) {
		return ok(map[string]any{"posting:default:visibility": c.me.privacy, "posting:default:sensitive": c.me.sensitive,
			"posting:default:language": c.me.language, "posting:default:quote_policy": cmp.Or(c.me.quotePolicy, "public"),
			"reading:expand:media": "default", "reading:expand:spoilers": false, "reading:autoplay:gifs": false}), nil
	}})
}

var usernameRE = regexp.MustCompile(`^[A-Za-z0-9_]{1,30}$`)

func (s *Server) registerAccount(c *call) (result, *apiError) {
	details := map[string][]errorDetail{}
	var human []string
	add := func(field, code, desc, h string) {
		details[field] = append(details[field], errorDetail{Error: code, Description: desc})
		human = append(human, h)
	}
	user := c.p.str("username")
	switch {
	case user == "":
		add("username", "ERR_BLANK", "can't be blank", "Username can't be blank")
	case !usernameRE.MatchString(user):
		add("username", "ERR_INVALID", "must contain only letters, numbers and underscores", "Username must contain only letters, numbers and underscores")
	case c.st.byName[strings.ToLower(user)] != nil:
		add("username", "ERR_TAKEN", "is already taken", "Username is already taken")
	}
	if !strings.Contains(c.p.str("email"), "@") {
		add("email", "ERR_INVALID", "is invalid", "Email is invalid")
	}
	if c.p.str("password") == "" {
		add("password", "ERR_BLANK", "can't be blank", "Password can't be blank")
	}
	if !c.p.truthy("agreement") {
		add("agreement", "ERR_ACCEPTED", "must be accepted", "Service agreement must be accepted")
	}
	if len(details) > 0 {
		return result{}, &apiError{code: 422, msg: "Validation failed: " + strings.Join(human, ", "), details: details}
	}
	a := c.st.newAccount(user, accountSpec{email: c.p.str("email"), password: c.p.str("password")})
	app := c.tok.app
	if app == nil {
		app = c.st.testApp()
	}
	a.signupApp = app // its e-mail awaits confirmation (see emailConfirmation)
	return ok(renderToken(c.st.newToken(app, a, app.scopes))), nil
}

func (s *Server) updateCredentials(c *call) (result, *apiError) {
	a := c.me
	if v, ok := c.p["display_name"]; ok {
		if len([]rune(v[len(v)-1])) > 30 {
			return result{}, validationDetails("display_name", "ERR_TOO_LONG", "is too long (maximum is 30 characters)", "Display name is too long (maximum is 30 characters)")
		}
		a.displayName = v[len(v)-1]
	}
	if v, ok := c.p["note"]; ok {
		if len([]rune(v[len(v)-1])) > 500 {
			return result{}, validationDetails("note", "ERR_TOO_LONG", "is too long (maximum is 500 characters)", "Note is too long (maximum is 500 characters)")
		}
		a.note = v[len(v)-1]
	}
	if b, ok := c.p.boolean("locked"); ok {
		a.locked = b
	}
	if b, ok := c.p.boolean("bot"); ok {
		a.bot = b
	}
	if b, ok := c.p.boolean("discoverable"); ok {
		a.discoverable = &b
	}
	if b, ok := c.p.boolean("indexable"); ok {
		a.indexable = b
	}
	if b, ok := c.p.boolean("hide_collections"); ok {
		a.hideColl = &b
	}
	if v := c.p.str("source[privacy]"); v != "" {
		a.privacy = v
	}
	if b, ok := c.p.boolean("source[sensitive]"); ok {
		a.sensitive = b
	}
	if v := c.p.str("source[language]"); v != "" {
		a.language = &v
	}
	if v := c.p.str("source[quote_policy]"); v != "" {
		if !validQuotePolicy(v) {
			return result{}, validationDetails("source[quote_policy]", "ERR_INCLUSION", "is not included in the list", "Quote policy is not included in the list")
		}
		a.quotePolicy = v
	}
	if c.p.has("attribution_domains[]") || c.p.has("attribution_domains") {
		var domains []string
		for _, d := range c.p.strs("attribution_domains") {
			if d = strings.ToLower(strings.TrimSpace(d)); d != "" && !slices.Contains(domains, d) {
				domains = append(domains, d)
			}
		}
		if len(domains) > 10 {
			return result{}, validationDetails("attribution_domains", "ERR_TOO_LONG", "is too long (maximum is 10 items)", "Attribution domains is too long (maximum is 10 items)")
		}
		a.attribution = domains
	}
	if c.files["avatar"] != nil {
		a.avatar = true
	}
	if c.files["header"] != nil {
		a.header = true
	}
	if c.p.has("avatar_description") {
		a.avatarDesc = c.p.str("avatar_description")
	}
	if c.p.has("header_description") {
		a.headerDesc = c.p.str("header_description")
	}
	var fields []field
	seen := false
	for i := 0; i < 16; i++ {
		n, nok := c.p[fmt.Sprintf("fields_attributes[%d][name]", i)]
		v, vok := c.p[fmt.Sprintf("fields_attributes[%d][value]", i)]
		if !nok && !vok {
			continue
		}
		seen = true
		f := field{}
		if nok {
			f.name = n[len(n)-1]
		}
		if vok {
			f.value = v[len(v)-1]
		}
		if f.name != "" || f.value != "" {
			fields = append(fields, f)
		}
	}
	if seen {
		if len(fields) > 4 {
			return result{}, validationDetails("fields", "ERR_TOO_LONG", "is too long (maximum is 4 characters)", "Fields is too long (maximum is 4 characters)")
		}
		a.fields = fields
	}
	return ok(c.st.renderCredentialAccount(a)), nil
}

func (s *Server) lookupAccount(c *call) (result, *apiError) {
	a := c.st.accountByAcct(c.p.str("acct"))
	if a == nil {
		return result{}, errNotFound
	}
	return ok(c.st.renderAccount(a, c.me)), nil
}

func (s *Server) relationships(c *call) (result, *apiError) {
	out := []jsonRelationship{}
	for _, id := range c.p.strs("id") {
		if a := c.st.accounts[id]; a != nil {
			out = append(out, c.st.relationship(c.me, a))
		}
	}
	return ok(out), nil
}

func (s *Server) accountSearch(c *call) (result, *apiError) {
	q := strings.ToLower(strings.TrimPrefix(strings.TrimSpace(c.p.str("q")), "@"))
	limit := c.page(40, 80).limit
	following := c.p.truthy("following")
	out := []jsonAccount{}
	for _, a := range c.st.searchAccounts(q) {
		if len(out) >= limit {
			break
		}
		if following && !c.st.isFollowing(c.me, a) {
			continue
		}
		out = append(out, c.st.renderAccount(a, c.me))
	}
	return ok(out), nil
}

func (st *store) searchAccounts(q string) []*account {
	q, _, _ = strings.Cut(q, "@")
	var exact, prefix, rest []*account
	for _, a := range st.order {
		u := strings.ToLower(a.username)
		switch {
		case q == "":
		case u == q:
			exact = append(exact, a)
		case strings.HasPrefix(u, q):
			prefix = append(prefix, a)
		case strings.Contains(strings.ToLower(a.displayName), q) || strings.Contains(u, q):
			rest = append(rest, a)
		}
	}
	return append(append(exact, prefix...), rest...)
}

func (s *Server) followList(followers bool) handler {
	return func(c *call) (result, *apiError) {
		a := c.st.accounts[c.r.PathValue("id")]
		if a == nil {
			return result{}, errNotFound
		}
		var fs []*follow
		for e, f := range c.st.follows {
			if followers && e.to == a.id || !followers && e.from == a.id {
				fs = append(fs, f)
			}
		}
		slices.SortFunc(fs, func(x, y *follow) int { return cmpID(y.id, x.id) })
		if a.hideColl != nil && *a.hideColl && c.me != a {
			fs = nil
		}
		ids := make([]string, len(fs))
		for i, f := range fs {
			ids[i] = f.id
		}
		pg := c.page(40, 80)
		out := []jsonAccount{}
		var keys []string
		for _, i := range pg.apply(ids) {
			other := fs[i].accounts.from
			if !followers {
				other = fs[i].accounts.to
			}
			out = append(out, c.st.renderAccount(c.st.accounts[other], c.me))
			keys = append(keys, fs[i].id)
		}
		c.linkAccounts(keys, pg, nil)
		return ok(out), nil
	}
}

func (c *call) target() (*account, *apiError) {
	id := c.r.PathValue("id")
	if id == "" {
		id = c.r.PathValue("account_id")
	}
	a := c.st.accounts[id]
	if a == nil {
		return nil, errNotFound
	}
	return a, nil
}

func (s *Server) followAccount(c *call) (result, *apiError) {
	t, err := c.target()
	if err != nil {
		return result{}, err
	}
	st := c.st
	if t == c.me {
		return result{}, errNotFound // FollowService: following oneself is "not possible", not forbidden
	}
	if st.isBlocking(t, c.me) || st.isBlocking(c.me, t) || st.domainBlocked(c.me, t) {
		return result{}, errf(403, "This action is not allowed")
	}
	k := edge{c.me.id, t.id}
	apply := func(f *follow) {
		if b, ok := c.p.boolean("reblogs"); ok {
			f.reblogs = b
		}
		if b, ok := c.p.boolean("notify"); ok {
			f.notify = b
		}
		if c.p.has("languages[]") || c.p.has("languages") {
			f.langs = slices.DeleteFunc(c.p.strs("languages"), func(s string) bool { return s == "" })
			if len(f.langs) == 0 {
				f.langs = nil
			}
		}
	}
	if f, ok := st.follows[k]; ok {
		apply(f)
	} else if f, ok := st.requests[k]; ok {
		apply(f)
	} else {
		f := &follow{id: st.nextSeq("follow"), reblogs: true, created: s.now(), accounts: k}
		apply(f)
		if t.locked {
			st.requests[k] = f
			st.notifyFor(f, "follow_request", t, c.me, nil)
		} else {
			st.follows[k] = f
			st.notifyFor(f, "follow", t, c.me, nil)
		}
	}
	return ok(st.relationship(c.me, t)), nil
}

func (s *Server) relAction(action string) handler {
	return func(c *call) (result, *apiError) {
		t, err := c.target()
		if err != nil {
			return result{}, err
		}
		st := c.st
		k, back := edge{c.me.id, t.id}, edge{t.id, c.me.id}
		switch action {
		case "unfollow":
			st.unfollow(k)
		case "remove_from_followers":
			if f, ok := st.follows[back]; ok {
				delete(st.follows, back)
				st.dropActivity(f)
			}
		case "block":
			if _, done := st.blocks[k]; !done {
				st.blocks[k] = st.nextSeq("block")
			}
			st.unfollow(k)
			st.unfollow(back)
		case "unblock":
			delete(st.blocks, k)
		case "mute":
			m := &mute{notifications: true, id: st.nextSeq("mute")}
			if b, ok := c.p.boolean("notifications"); ok {
				m.notifications = b
			}
			if d, ok := c.p.integer("duration"); ok && d > 0 {
				exp := s.now().Add(time.Duration(d) * time.Second)
				m.expires = &exp
			}
			st.mutes[k] = m
		case "unmute":
			delete(st.mutes, k)
		case "pin":
			if !st.isFollowing(c.me, t) {
				return result{}, errf(422, "Validation failed: You must be already following the person you want to endorse")
			}
			st.endorse[k] = true
		case "unpin":
			delete(st.endorse, k)
		case "note":
			if c.p.str("comment") == "" {
				delete(st.notes, k)
			} else {
				st.notes[k] = c.p.str("comment")
			}
		}
		return ok(st.relationship(c.me, t)), nil
	}
}

func (s *Server) followRequests(c *call) (result, *apiError) {
	var fs []*follow
	for e, f := range c.st.requests {
		if e.to == c.me.id {
			fs = append(fs, f)
		}
	}
	slices.SortFunc(fs, func(x, y *follow) int { return cmpID(y.id, x.id) })
	ids := make([]string, len(fs))
	for i, f := range fs {
		ids[i] = f.id
	}
	pg := c.page(40, 80)
	out := []jsonAccount{}
	var keys []string
	for _, i := range pg.apply(ids) {
		out = append(out, c.st.renderAccount(c.st.accounts[fs[i].accounts.from], c.me))
		keys = append(keys, fs[i].id)
	}
	c.linkAccounts(keys, pg, nil)
	return ok(out), nil
}

func (s *Server) answerRequest(accept bool) handler {
	return func(c *call) (result, *apiError) {
		t, err := c.target()
		if err != nil {
			return result{}, err
		}
		k := edge{t.id, c.me.id}
		f, ok2 := c.st.requests[k]
		if !ok2 {
			return result{}, errNotFound
		}
		delete(c.st.requests, k)
		c.st.notifs = slices.DeleteFunc(c.st.notifs, func(n *notification) bool {
			return n.kind == "follow_request" && n.target == c.me && n.from == t
		})
		c.st.dropActivity(f)
		if accept {
			c.st.follows[k] = f
			c.st.notifyFor(f, "follow", c.me, t, nil)
		}
		return ok(c.st.relationship(c.me, t)), nil
	}
}

type jsonMutedAccount struct {
	jsonAccount
	MuteExpiresAt *string `json:"mute_expires_at"`
}

func (s *Server) edgeList(kind string) handler {
	return func(c *call) (result, *apiError) {
		type item struct {
			id string
			a  *account
		}
		var items []item
		switch kind {
		case "blocks":
			// Paged by block, newest first, as Mastodon's BlocksController.
			for e, id := range c.st.blocks {
				if e.from == c.me.id {
					items = append(items, item{id, c.st.accounts[e.to]})
				}
			}
		case "mutes":
			for e, m := range c.st.mutes {
				if e.from == c.me.id && c.st.isMuting(c.me, c.st.accounts[e.to]) {
					items = append(items, item{m.id, c.st.accounts[e.to]})
				}
			}
		case "endorsements":
			for e := range c.st.endorse {
				if e.from == c.me.id {
					items = append(items, item{e.to, c.st.accounts[e.to]})
				}
			}
		}
		slices.SortFunc(items, func(x, y item) int { return cmpID(y.id, x.id) })
		ids := make([]string, len(items))
		for i, it := range items {
			ids[i] = it.id
		}
		pg := c.page(40, 80)
		out := []any{}
		var keys []string
		for _, i := range pg.apply(ids) {
			a := items[i].a
			if a == nil {
				continue
			}
			if kind == "mutes" {
				// Mastodon's MutedAccountSerializer adds when the mute ends.
				m := c.st.mutes[edge{c.me.id, a.id}]
				out = append(out, jsonMutedAccount{c.st.renderAccount(a, c.me), fmtTimePtr(m.expires)})
			} else {
				out = append(out, c.st.renderAccount(a, c.me))
			}
			keys = append(keys, items[i].id)
		}
		c.linkAccounts(keys, pg, nil)
		return ok(out), nil
	}
}

// emailConfirmation resends the confirmation e-mail of an account that
// registered through the API (POST /api/v1/emails/confirmations), as
// Mastodon does only for the application it signed up with and only while
// the address awaits confirmation; an email parameter changes the address.
// Nothing is sent: the server has no mail, and the account stays usable.
func (s *Server) emailConfirmation(c *call) (result, *apiError) {
	if c.me.signupApp == nil {
		return result{}, errf(403, "This method is only available while the e-mail is awaiting confirmation")
	}
	if c.tok.app != c.me.signupApp {
		return result{}, errf(403, "This method is only available to the application the user originally signed-up with")
	}
	if e := c.p.str("email"); e != "" {
		if !strings.Contains(e, "@") {
			return result{}, validationDetails("email", "ERR_INVALID", "is invalid", "Email is invalid")
		}
		c.me.email = e
	}
	return ok(nil), nil
}

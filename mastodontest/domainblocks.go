package mastodontest

import (
	"net/url"
	"regexp"
	"slices"
	"strings"
)

// User domain blocks (/api/v1/domain_blocks). As in Mastodon, blocking a
// domain hides its accounts' statuses from the public and hashtag
// timelines and their reblogs from home, drops notifications from them
// (existing and new), ends follows both ways and pending follow requests
// from them, and forbids following them afterwards. Only remote accounts
// (CreateRemoteAccount) have a domain to block.

func (s *Server) domainBlockRoutes() {
	s.handle("GET /api/v1/domain_blocks", route{need: userToken, scopes: []string{"follow", "read", "read:blocks"}, h: s.listDomainBlocks})
	s.handle("POST /api/v1/domain_blocks", route{need: userToken, scopes: []string{"follow", "write", "write:blocks"}, h: s.blockDomain})
	s.handle("DELETE /api/v1/domain_blocks", route{need: userToken, scopes: []string{"follow", "write", "write:blocks"}, h: s.unblockDomain})
}

var domainLabel = regexp.MustCompile(`^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$`)

// normalizeDomain lower-cases a domain and takes the host of a URL.
func normalizeDomain(d string) (string, bool) {
	d = strings.TrimSpace(d)
	if strings.Contains(d, "://") {
		if u, err := url.Parse(d); err == nil {
			d = u.Hostname()
		}
	}
	d = strings.TrimSuffix(strings.ToLower(d), ".")
	if d == "" {
		return "", true
	}
	for _, l := range strings.Split(d, ".") {
		if !domainLabel.MatchString(l) {
			return d, false
		}
	}
	return d, true
}

func (st *store) domainBlocked(viewer, a *account) bool {
	if viewer == nil || a == nil || a.domain == "" {
		return false
	}
	return slices.ContainsFunc(st.x.domainBlocks[viewer.id], func(b *domainBlock) bool { return b.domain == a.domain })
}

func (s *Server) listDomainBlocks(c *call) (result, *apiError) {
	blocks := c.st.x.domainBlocks[c.me.id]
	ids := make([]string, len(blocks))
	for i := range blocks {
		ids[i] = blocks[len(blocks)-1-i].id // newest first
	}
	pg := c.page(100, 200)
	pg.minID = "" // this endpoint pages by max_id and since_id only
	out := []string{}
	var keys []string
	for _, i := range pg.apply(ids) {
		out = append(out, blocks[len(blocks)-1-i].domain)
		keys = append(keys, ids[i])
	}
	c.linkAccounts(keys, pg, nil)
	return ok(out), nil
}

func (c *call) domainParam() (string, *apiError) {
	d, valid := normalizeDomain(c.p.str("domain"))
	if d == "" {
		return "", errf(422, "Validation failed: Domain can't be blank")
	}
	if !valid {
		return "", errf(422, "Validation failed: Domain is invalid")
	}
	return d, nil
}

func (s *Server) blockDomain(c *call) (result, *apiError) {
	d, err := c.domainParam()
	if err != nil {
		return result{}, err
	}
	st := c.st
	if !slices.ContainsFunc(st.x.domainBlocks[c.me.id], func(b *domainBlock) bool { return b.domain == d }) {
		st.x.domainBlocks[c.me.id] = append(st.x.domainBlocks[c.me.id], &domainBlock{id: st.nextSeq("domain_block"), domain: d})
	}
	onDomain := func(id string) bool { a := st.accounts[id]; return a != nil && a.domain == d }
	for e := range st.follows {
		if (e.from == c.me.id && onDomain(e.to)) || (e.to == c.me.id && onDomain(e.from)) {
			delete(st.follows, e)
		}
	}
	for e := range st.requests {
		if e.to == c.me.id && onDomain(e.from) {
			delete(st.requests, e)
		}
	}
	st.dropNotifications(func(n *notification) bool { return n.target == c.me && n.from != nil && n.from.domain == d })
	return ok(nil), nil
}

func (s *Server) unblockDomain(c *call) (result, *apiError) {
	d, _ := normalizeDomain(c.p.str("domain"))
	id := c.me.id
	c.st.x.domainBlocks[id] = slices.DeleteFunc(c.st.x.domainBlocks[id], func(b *domainBlock) bool { return b.domain == d })
	if len(c.st.x.domainBlocks[id]) == 0 {
		delete(c.st.x.domainBlocks, id)
	}
	return ok(nil), nil
}

// CreateRemoteAccount adds an account of another server: its acct is
// username@domain and its profile and status URLs point there. The server
// never contacts that domain; a token made for the account with
// CreateToken stands in for its server delivering what it posts.
func (s *Server) CreateRemoteAccount(username, domain string, opts ...AccountOption) Account {
	var spec accountSpec
	for _, o := range opts {
		o(&spec)
	}
	d, valid := normalizeDomain(domain)
	if d == "" || !valid || strings.EqualFold(d, s.domain()) {
		panic("mastodontest: CreateRemoteAccount: bad domain " + domain)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	acct := username + "@" + d
	a := s.st.byName[strings.ToLower(acct)]
	if a == nil {
		a = s.st.newAccount(acct, spec)
		a.username, a.domain, a.email, a.password = username, d, "", ""
	}
	return Account{ID: a.id, Username: a.username, Acct: acct}
}

// remoteStatusJSON points a remote account's status URI and URL at its
// server.
func remoteStatusJSON(j *jsonStatus, s *status) {
	if a := s.account; a.domain != "" {
		j.URI = "https://" + a.domain + "/users/" + a.username + "/statuses/" + s.id
		j.URL = ptr("https://" + a.domain + "/@" + a.username + "/" + s.id)
	}
}

// remoteAccountJSON points a remote account's acct and URLs at its server.
func remoteAccountJSON(j *jsonAccount, a *account) {
	if a.domain == "" {
		return
	}
	j.Acct = a.username + "@" + a.domain
	j.URL = "https://" + a.domain + "/@" + a.username
	j.URI = "https://" + a.domain + "/users/" + a.username
}

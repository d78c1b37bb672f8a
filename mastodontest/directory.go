package mastodontest

import (
	"cmp"
	"slices"
)

// The profile directory and familiar followers.

func (s *Server) directoryRoutes() {
	s.handle("GET /api/v1/directory", route{h: s.directory})
	s.handle("GET /api/v1/accounts/familiar_followers", route{need: userToken, scopes: []string{"read", "read:follows", "follow"}, h: s.familiarFollowers})
}

// directory lists the accounts that opted into discovery, as Mastodon's
// directory does: order=active (default) puts the most recently posting
// first, order=new the newest accounts; local=true keeps local ones; the
// caller's blocks and mutes are left out. Offset pagination, no Link header.
func (s *Server) directory(c *call) (result, *apiError) {
	st := c.st
	var list []*account
	for _, a := range st.accounts {
		if a.discoverable == nil || !*a.discoverable || a == c.me {
			continue
		}
		if c.p.truthy("local") && a.domain != "" {
			continue
		}
		if c.me != nil && (st.isBlocking(c.me, a) || st.isBlocking(a, c.me) || st.isMuting(c.me, a)) {
			continue
		}
		list = append(list, a)
	}
	newest := func(x, y *account) int { return cmpID(y.id, x.id) }
	if c.p.str("order") == "new" {
		slices.SortFunc(list, newest)
	} else {
		slices.SortFunc(list, func(x, y *account) int {
			var tx, ty int64
			if x.lastStatusAt != nil {
				tx = x.lastStatusAt.UnixNano()
			}
			if y.lastStatusAt != nil {
				ty = y.lastStatusAt.UnixNano()
			}
			return cmp.Or(cmp.Compare(ty, tx), newest(x, y))
		})
	}
	limit := c.page(40, 80).limit
	off, _ := c.p.integer("offset")
	off = min(max(off, 0), len(list))
	out := []jsonAccount{}
	for _, a := range list[off:min(off+limit, len(list))] {
		out = append(out, st.renderAccount(a, c.me))
	}
	return ok(out), nil
}

type jsonFamiliarFollowers struct {
	ID       string        `json:"id"`
	Accounts []jsonAccount `json:"accounts"`
}

// familiarFollowers answers, for each id[], the accounts the caller follows
// that follow it. Unknown ids are left out, as Mastodon does.
func (s *Server) familiarFollowers(c *call) (result, *apiError) {
	st := c.st
	out := []jsonFamiliarFollowers{}
	ids := c.p.strs("id")
	if len(ids) > 40 {
		ids = ids[:40]
	}
	for _, id := range ids {
		target := st.accounts[id]
		if target == nil {
			continue
		}
		var fams []*account
		for e := range st.follows {
			if e.to != target.id || e.from == c.me.id {
				continue
			}
			if f := st.accounts[e.from]; f != nil && st.isFollowing(c.me, f) && !st.isBlocking(c.me, f) && !st.isMuting(c.me, f) {
				fams = append(fams, f)
			}
		}
		slices.SortFunc(fams, func(x, y *account) int { return cmpID(x.id, y.id) })
		j := jsonFamiliarFollowers{ID: target.id, Accounts: []jsonAccount{}}
		for _, f := range fams {
			j.Accounts = append(j.Accounts, st.renderAccount(f, c.me))
		}
		out = append(out, j)
	}
	return ok(out), nil
}

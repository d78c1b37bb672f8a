package mastodontest

import (
	"slices"
)

// Follow suggestions. Like Mastodon, only discoverable accounts are
// suggested (see Discoverable), never ones the user follows, has asked to
// follow, blocks, mutes, is blocked by, has a domain block for, or has
// dismissed. Two of Mastodon's sources are modelled:
//
//   - friends_of_friends: followed by accounts the user follows (more such
//     followers first);
//   - most_followed: followed by anyone (more followers first).

// Discoverable makes the account discoverable (suggested to others and
// listed in the directory).
func Discoverable() AccountOption { return func(s *accountSpec) { s.discover = ptr(true) } }

func (s *Server) suggestionRoutes() {
	rt := func(h handler) route { return route{need: userToken, scopes: []string{"read"}, h: h} }
	s.handle("GET /api/v1/suggestions", rt(s.suggestionsV1))
	s.handle("GET /api/v2/suggestions", rt(s.suggestionsV2))
	s.handle("DELETE /api/v1/suggestions/{account_id}", rt(s.dismissSuggestion))
}

type suggestion struct {
	a       *account
	sources []string
	friends int
	fans    int
}

func (st *store) suggestionsFor(me *account) []suggestion {
	var out []suggestion
	for _, a := range st.order {
		if a == me || a.discoverable == nil || !*a.discoverable || st.x.hiddenSuggest[edge{me.id, a.id}] ||
			st.isFollowing(me, a) || st.requests[edge{me.id, a.id}] != nil || st.isBlocking(me, a) ||
			st.isBlocking(a, me) || st.isMuting(me, a) || st.domainBlocked(me, a) {
			continue
		}
		sg := suggestion{a: a}
		for e := range st.follows {
			if e.to != a.id {
				continue
			}
			sg.fans++
			if st.isFollowing(me, st.accounts[e.from]) {
				sg.friends++
			}
		}
		if sg.friends > 0 {
			sg.sources = append(sg.sources, "friends_of_friends")
		}
		if sg.fans > 0 {
			sg.sources = append(sg.sources, "most_followed")
		}
		if len(sg.sources) > 0 {
			out = append(out, sg)
		}
	}
	slices.SortStableFunc(out, func(x, y suggestion) int {
		if d := y.friends - x.friends; d != 0 {
			return d
		}
		return y.fans - x.fans
	})
	return out
}

func (c *call) suggestions() []suggestion {
	list := c.st.suggestionsFor(c.me)
	return list[:min(len(list), c.page(40, 80).limit)]
}

func (s *Server) suggestionsV1(c *call) (result, *apiError) {
	out := []jsonAccount{}
	for _, sg := range c.suggestions() {
		out = append(out, c.st.renderAccount(sg.a, c.me))
	}
	return ok(out), nil
}

type jsonSuggestion struct {
	Source  string      `json:"source"`
	Sources []string    `json:"sources"`
	Account jsonAccount `json:"account"`
}

func (s *Server) suggestionsV2(c *call) (result, *apiError) {
	out := []jsonSuggestion{}
	for _, sg := range c.suggestions() {
		out = append(out, jsonSuggestion{Source: "global", Sources: sg.sources, Account: c.st.renderAccount(sg.a, c.me)})
	}
	return ok(out), nil
}

// dismissSuggestion stops suggesting an account; like Mastodon it answers
// {} whether or not the account exists.
func (s *Server) dismissSuggestion(c *call) (result, *apiError) {
	if a := c.st.accounts[c.r.PathValue("account_id")]; a != nil && a != c.me {
		c.st.x.hiddenSuggest[edge{c.me.id, a.id}] = true
	}
	return ok(nil), nil
}

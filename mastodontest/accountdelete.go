package mastodontest

import (
	"maps"
	"slices"
	"strings"
)

// DeleteAccount deletes an account and everything that is its own, as
// Mastodon's DeleteAccountService does when an account is deleted: its
// statuses (streamed as deletions, with the reblogs of them), reblogs,
// favourites, bookmarks, votes, media, scheduled statuses, follows both
// ways, blocks, mutes, notes, endorsements, lists, filters, markers, tag
// follows, domain blocks, dismissed suggestions, notifications from and
// to it, reports by and about it, and its tokens (closing their streams).
// It reports whether the account existed.
func (s *Server) DeleteAccount(id string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	a := s.st.accounts[id]
	if a == nil {
		return false
	}
	s.st.deleteAccount(a)
	return true
}

func (st *store) deleteAccount(a *account) {
	// Statuses first, while the relations that decide who hears of the
	// deletions are still in place.
	for _, x := range slices.Clone(st.timeline) {
		if x.account == a && !x.deleted {
			st.deleteStatus(x)
		}
	}
	for _, r := range slices.Clone(st.favs) {
		if r.account == a {
			delete(st.favIdx, edge{a.id, r.status.id})
			st.favs = slices.DeleteFunc(st.favs, func(x *reaction) bool { return x == r })
			r.status.nFavs--
			st.dropActivity(r)
		}
	}
	st.bookmarks = slices.DeleteFunc(st.bookmarks, func(r *reaction) bool {
		if r.account == a {
			delete(st.bookmarkIdx, edge{a.id, r.status.id})
			return true
		}
		return false
	})
	for _, p := range st.polls {
		delete(p.votes, a.id)
	}
	for mid, m := range st.media {
		if m.account == a {
			delete(st.media, mid)
		}
	}
	for sid, sch := range st.scheduled {
		if sch.account == a {
			delete(st.scheduled, sid)
		}
	}
	for _, rel := range []map[edge]*follow{st.follows, st.requests} {
		for k := range rel {
			if k.from == a.id || k.to == a.id {
				st.unfollow(k)
			}
		}
	}
	touches := func(k edge) bool { return k.from == a.id || k.to == a.id }
	maps.DeleteFunc(st.blocks, func(k edge, _ string) bool { return touches(k) })
	maps.DeleteFunc(st.mutes, func(k edge, _ *mute) bool { return touches(k) })
	maps.DeleteFunc(st.notes, func(k edge, _ string) bool { return touches(k) })
	maps.DeleteFunc(st.endorse, func(k edge, _ bool) bool { return touches(k) })
	maps.DeleteFunc(st.tagFollows, func(k edge, _ string) bool { return k.from == a.id })
	maps.DeleteFunc(st.convMutes, func(k edge, _ bool) bool { return k.from == a.id })
	maps.DeleteFunc(st.x.hiddenSuggest, func(k edge, _ bool) bool { return touches(k) })
	st.notifs = slices.DeleteFunc(st.notifs, func(n *notification) bool { return n.target == a || n.from == a })
	maps.DeleteFunc(st.lists, func(_ string, l *list) bool { return l.owner == a })
	for _, l := range st.lists {
		l.members = slices.DeleteFunc(l.members, func(m string) bool { return m == a.id })
	}
	maps.DeleteFunc(st.filters, func(_ string, f *filter) bool { return f.owner == a })
	delete(st.markers, a.id)
	delete(st.policies, a.id)
	delete(st.x.domainBlocks, a.id)
	for cid, cv := range st.convs {
		delete(cv.participant, a.id)
		delete(cv.unread, a.id)
		delete(cv.removed, a.id)
		if len(cv.participant) == 0 {
			delete(st.convs, cid)
		}
	}
	prefix := a.id + "\x00"
	maps.DeleteFunc(st.idem, func(k string, _ idemEntry) bool { return strings.HasPrefix(k, prefix) })
	for _, x := range st.statuses {
		x.mentions = slices.DeleteFunc(x.mentions, func(m *account) bool { return m == a })
	}
	st.x.reports = slices.DeleteFunc(st.x.reports, func(r *report) bool { return r.reporter == a || r.target == a })
	delete(st.x.mod, a.id)
	st.x.featured = slices.DeleteFunc(st.x.featured, func(f *featuredTag) bool { return f.account == a })
	st.x.notifRequests = slices.DeleteFunc(st.x.notifRequests, func(r *notifRequest) bool { return r.target == a || r.from == a })
	maps.DeleteFunc(st.x.notifPermits, func(k edge, _ bool) bool { return touches(k) })
	for _, an := range st.x.announcements {
		delete(an.read, a.id)
		for _, r := range an.reactions {
			r.accounts = slices.DeleteFunc(r.accounts, func(id string) bool { return id == a.id })
		}
		an.reactions = slices.DeleteFunc(an.reactions, func(r *announcementReaction) bool { return len(r.accounts) == 0 })
	}
	for k, t := range st.tokens {
		if t.account == a {
			delete(st.tokens, k)
			delete(st.refresh, t.refresh)
			st.srv.hub.dropToken(t.access)
		}
	}
	maps.DeleteFunc(st.codes, func(_ string, c *authCode) bool { return c.account == a })
	if st.authAs == a.id {
		st.authAs = ""
	}
	delete(st.accounts, a.id)
	for k, x := range st.byName {
		if x == a {
			delete(st.byName, k)
		}
	}
	st.order = slices.DeleteFunc(st.order, func(x *account) bool { return x == a })
}

package mastodontest

// sizes counts what the server holds, index by index, so tests can check
// that a long run returns to where it started.
func (s *Server) sizes() map[string]int {
	s.mu.Lock()
	st := s.st
	n := map[string]int{
		"accounts": len(st.accounts), "byName": len(st.byName), "order": len(st.order),
		"apps": len(st.apps), "tokens": len(st.tokens), "refresh": len(st.refresh), "codes": len(st.codes),
		"statuses": len(st.statuses), "timeline": len(st.timeline), "scheduled": len(st.scheduled),
		"media": len(st.media), "polls": len(st.polls),
		"follows": len(st.follows), "requests": len(st.requests), "blocks": len(st.blocks), "mutes": len(st.mutes),
		"notes": len(st.notes), "endorse": len(st.endorse),
		"favs": len(st.favs), "bookmarks": len(st.bookmarks), "favIdx": len(st.favIdx),
		"bookmarkIdx": len(st.bookmarkIdx), "reblogIdx": len(st.reblogIdx),
		"notifs": len(st.notifs), "lists": len(st.lists), "markers": len(st.markers), "convs": len(st.convs),
		"filters": len(st.filters), "tags": len(st.tags), "idem": len(st.idem), "idemOrder": len(st.idemOrder),
		"tagFollows": len(st.tagFollows), "convMutes": len(st.convMutes), "policies": len(st.policies),
		"reports": len(st.x.reports), "domainBlocks": len(st.x.domainBlocks), "cards": len(st.x.cards),
		"announcements": len(st.x.announcements), "rules": len(st.x.rules), "hiddenSuggest": len(st.x.hiddenSuggest),
		"emojis": len(st.emojis),
	}
	for _, t := range st.tokens {
		if t.push != nil {
			n["pushSubs"]++
		}
	}
	for _, m := range st.markers {
		n["markerEntries"] += len(m)
	}
	for _, p := range st.polls {
		n["pollVotes"] += len(p.votes)
	}
	for _, l := range st.lists {
		n["listMembers"] += len(l.members)
	}
	for _, b := range st.x.domainBlocks {
		n["domainBlockEntries"] += len(b)
	}
	for _, cv := range st.convs {
		n["convParticipants"] += len(cv.participant) + len(cv.unread) + len(cv.removed)
	}
	for _, an := range st.x.announcements {
		n["announcementReads"] += len(an.read)
		for _, r := range an.reactions {
			n["announcementReactions"] += len(r.accounts)
		}
	}
	for _, r := range st.x.reports {
		n["reportStatuses"] += len(r.statusIDs)
	}
	for _, f := range st.follows {
		n["followLangs"] += len(f.langs)
	}
	for _, a := range st.accounts {
		n["pinned"] += len(a.pinned)
	}
	for _, x := range st.statuses {
		n["edits"] += len(x.edits)
		if x.quote != nil {
			n["quotes"]++
		}
	}
	for _, f := range st.filters {
		n["filterStatuses"] += len(f.statuses)
		n["filterKeywords"] += len(f.keywords)
	}
	for _, m := range st.media {
		n["mediaBytes"] += len(m.data)
	}
	s.mu.Unlock()
	n["streams"] = s.hub.count()
	n["subscriptions"], _ = s.hub.subscriptionCount()
	n["clockWaits"] = s.clock.pending()
	s.limiter.mu.Lock()
	n["rateWindows"] = len(s.limiter.windows)
	s.limiter.mu.Unlock()
	s.faults.mu.Lock()
	n["faults"] = len(s.faults.list)
	s.faults.mu.Unlock()
	return n
}

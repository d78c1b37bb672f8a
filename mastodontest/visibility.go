package mastodontest

import (
	"slices"
)

// canSee reports whether viewer (nil for anonymous) may see s, following
// Mastodon's StatusPolicy: direct statuses are for their author and
// mentioned accounts, private ones also for followers, an author who
// blocks the viewer hides everything, and a suspended author's statuses
// are seen by no one.
func (st *store) canSee(viewer *account, s *status) bool {
	if st.suspended(s.account) {
		return false
	}
	if s.reblog != nil {
		if !st.canSee(viewer, s.reblog) {
			return false
		}
	}
	if viewer == s.account {
		return true
	}
	if st.isBlocking(s.account, viewer) {
		return false
	}
	switch s.visibility {
	case "direct":
		return viewer != nil && slices.Contains(s.mentions, viewer)
	case "private":
		return viewer != nil && (st.isFollowing(viewer, s.account) || slices.Contains(s.mentions, viewer))
	}
	return true
}

// hiddenFor reports whether the viewer's blocks and mutes hide s from
// timelines.
func (st *store) hiddenFor(viewer *account, s *status) bool {
	if viewer == nil {
		return false
	}
	if st.isBlocking(viewer, s.account) || st.isMuting(viewer, s.account) {
		return true
	}
	if st.domainBlocked(viewer, s.account) && !st.isFollowing(viewer, s.account) {
		return true
	}
	if s.reblog != nil {
		return st.hiddenFor(viewer, s.reblog)
	}
	for _, m := range s.mentions {
		if st.isBlocking(viewer, m) {
			return true
		}
	}
	return false
}

// inHome reports whether s belongs to viewer's home timeline: their own
// statuses, those of accounts they follow (replies only when they also
// follow the replied-to account), and direct statuses they are mentioned in
// by an account they follow.
func (st *store) inHome(viewer *account, s *status) bool {
	if viewer == nil || !st.canSee(viewer, s) || st.hiddenFor(viewer, s) {
		return false
	}
	if s.account == viewer {
		return true
	}
	f, ok := st.follows[edge{viewer.id, s.account.id}]
	if s.visibility == "direct" {
		// FanOutOnWriteService delivers a direct status to the mentioned
		// accounts that follow its author; the others only get the
		// notification (and the conversation).
		return ok && slices.Contains(s.mentions, viewer)
	}
	if !ok {
		return false
	}
	if s.reblog != nil {
		if !f.reblogs || s.reblog.account == viewer || st.domainBlocked(viewer, s.reblog.account) {
			return false
		}
		return true
	}
	if len(f.langs) > 0 && s.language != nil && !slices.Contains(f.langs, *s.language) {
		return false
	}
	if s.inReplyTo != "" && s.inReplyAcct != s.account.id && s.inReplyAcct != viewer.id {
		if _, follows := st.follows[edge{viewer.id, s.inReplyAcct}]; !follows {
			return false
		}
	}
	return true
}

// inPublic reports whether s belongs to the public timelines, which leave
// out silenced accounts' statuses for every viewer, as Mastodon's
// PublicFeed does.
func (st *store) inPublic(viewer *account, s *status, onlyMedia bool) bool {
	if s.reblog != nil || s.visibility != "public" || st.silenced(s.account) {
		return false
	}
	if onlyMedia && len(s.media) == 0 {
		return false
	}
	return st.canSee(viewer, s) && !st.hiddenFor(viewer, s) && !st.domainBlocked(viewer, s.account)
}

func (st *store) hasTag(s *status, tag string) bool {
	for _, t := range s.tags {
		if equalFoldTag(t, tag) {
			return true
		}
	}
	return false
}

// inList reports whether s belongs to list l's timeline.
func (st *store) inList(l *list, s *status) bool {
	v := l.owner
	if !slices.Contains(l.members, s.account.id) || !st.canSee(v, s) || st.hiddenFor(v, s) || s.visibility == "direct" {
		return false
	}
	if s.reblog != nil && s.reblog.account == v {
		return false
	}
	if s.inReplyTo != "" && s.inReplyAcct != s.account.id {
		switch l.replies {
		case "none":
			return false
		case "list":
			if !slices.Contains(l.members, s.inReplyAcct) && s.inReplyAcct != v.id {
				return false
			}
		case "followed":
			if _, ok := st.follows[edge{v.id, s.inReplyAcct}]; !ok && s.inReplyAcct != v.id {
				return false
			}
		}
	}
	return true
}

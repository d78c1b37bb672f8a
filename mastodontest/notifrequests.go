package mastodontest

import (
	"slices"
	"strconv"
	"time"
)

// Notification policies and requests (Mastodon 4.3+). A notification the
// recipient's policy filters is kept out of the notification lists and
// streams and filed under a request from its sender; several from one
// sender make one request with notifications_count. Accepting a request
// shows its notifications and lets later ones from that sender through;
// dismissing it drops them. A policy of "drop" discards the notification.

// notifRequest is the pending request of one sender to one recipient.
type notifRequest struct {
	id        string
	target    *account
	from      *account
	createdAt time.Time
	updatedAt time.Time
}

// unfilterable are the types no policy holds back (Mastodon's
// NON_FILTERABLE_TYPES).
var unfilterable = []string{"admin.sign_up", "admin.report", "poll", "update", "moderation_warning", "severed_relationships"}

// policyVerdict is what target's notification policy does with a
// notification of kind from sender about s: "accept", "filter" or "drop".
// Of the conditions that hold, the strictest setting wins.
func (st *store) policyVerdict(kind string, target, from *account, s *status) string {
	if from == target || slices.Contains(unfilterable, kind) || st.x.notifPermits[edge{target.id, from.id}] {
		return "accept"
	}
	p := st.policySettings(target)
	rank := map[string]int{"accept": 0, "filter": 1, "drop": 2}
	verdict := "accept"
	apply := func(setting string) {
		if rank[setting] > rank[verdict] {
			verdict = setting
		}
	}
	following := st.isFollowing(target, from)
	if !following {
		apply(p["for_not_following"])
	}
	if f, ok := st.follows[edge{from.id, target.id}]; !ok || st.srv.now().Sub(f.created) < 3*24*time.Hour {
		apply(p["for_not_followers"])
	}
	if st.srv.now().Sub(from.createdAt) < 30*24*time.Hour {
		apply(p["for_new_accounts"])
	}
	// A silenced (limited) sender is held back unless the recipient
	// follows it.
	if st.silenced(from) && !following {
		apply(p["for_limited_accounts"])
	}
	// A private mention is held back unless the recipient follows the
	// sender or it answers a post of the recipient.
	if kind == "mention" && s != nil && s.visibility == "direct" && !following {
		if parent := st.statuses[s.inReplyTo]; parent == nil || parent.account != target {
			apply(p["for_private_mentions"])
		}
	}
	return verdict
}

// fileRequest records filtered notification n under its sender's request.
func (st *store) fileRequest(n *notification) {
	for _, r := range st.x.notifRequests {
		if r.target == n.target && r.from == n.from {
			r.updatedAt = n.createdAt
			return
		}
	}
	st.x.notifRequests = append(st.x.notifRequests, &notifRequest{id: st.nextSeq("notification_request"),
		target: n.target, from: n.from, createdAt: n.createdAt, updatedAt: n.createdAt})
}

func (s *Server) notificationRequestRoutes() {
	read := []string{"read", "read:notifications"}
	write := []string{"write", "write:notifications"}
	s.handle("GET /api/v1/notifications/requests", route{need: userToken, scopes: read, h: s.listNotifRequests})
	s.handle("GET /api/v1/notifications/requests/merged", route{need: userToken, scopes: read, h: func(*call) (result, *apiError) {
		return ok(map[string]bool{"merged": true}), nil // requests are updated synchronously here
	}})
	s.handle("GET /api/v1/notifications/requests/{id}", route{need: userToken, scopes: read, h: s.getNotifRequest})
	s.handle("POST /api/v1/notifications/requests/{id}/accept", route{need: userToken, scopes: write, h: s.answerNotifRequest(true, false)})
	s.handle("POST /api/v1/notifications/requests/{id}/dismiss", route{need: userToken, scopes: write, h: s.answerNotifRequest(false, false)})
	s.handle("POST /api/v1/notifications/requests/accept", route{need: userToken, scopes: write, h: s.answerNotifRequest(true, true)})
	s.handle("POST /api/v1/notifications/requests/dismiss", route{need: userToken, scopes: write, h: s.answerNotifRequest(false, true)})
}

type jsonNotifRequest struct {
	ID                 string      `json:"id"`
	CreatedAt          string      `json:"created_at"`
	UpdatedAt          string      `json:"updated_at"`
	Account            jsonAccount `json:"account"`
	NotificationsCount string      `json:"notifications_count"`
	LastStatus         *jsonStatus `json:"last_status,omitempty"`
}

// requestNotifs returns the filtered notifications behind r, newest first.
func (st *store) requestNotifs(r *notifRequest) []*notification {
	var out []*notification
	for i := len(st.notifs) - 1; i >= 0; i-- {
		if n := st.notifs[i]; n.filtered && !n.dismissed && n.target == r.target && n.from == r.from {
			out = append(out, n)
		}
	}
	return out
}

func (st *store) renderNotifRequest(r *notifRequest) jsonNotifRequest {
	ns := st.requestNotifs(r)
	j := jsonNotifRequest{ID: r.id, CreatedAt: fmtTime(r.createdAt), UpdatedAt: fmtTime(r.updatedAt),
		Account: st.renderAccount(r.from, r.target), NotificationsCount: strconv.Itoa(len(ns))}
	for _, n := range ns {
		if n.status != nil && st.canSee(r.target, n.status) {
			j.LastStatus = st.renderStatus(n.status, r.target, renderOpts{filterCtx: "notifications"})
			break
		}
	}
	return j
}

func (st *store) myRequests(me *account) []*notifRequest {
	var out []*notifRequest
	for i := len(st.x.notifRequests) - 1; i >= 0; i-- {
		if r := st.x.notifRequests[i]; r.target == me && len(st.requestNotifs(r)) > 0 {
			out = append(out, r)
		}
	}
	return out
}

func (s *Server) listNotifRequests(c *call) (result, *apiError) {
	all := c.st.myRequests(c.me)
	slices.SortFunc(all, func(a, b *notifRequest) int { return cmpID(b.id, a.id) })
	ids := make([]string, len(all))
	for i, r := range all {
		ids[i] = r.id
	}
	pg := c.page(40, 80)
	out := []jsonNotifRequest{}
	var keys []string
	for _, i := range pg.apply(ids) {
		out = append(out, c.st.renderNotifRequest(all[i]))
		keys = append(keys, all[i].id)
	}
	c.linkTimeline(keys, []string{"limit"})
	return ok(out), nil
}

func (c *call) myRequest(id string) *notifRequest {
	for _, r := range c.st.myRequests(c.me) {
		if r.id == id {
			return r
		}
	}
	return nil
}

func (s *Server) getNotifRequest(c *call) (result, *apiError) {
	r := c.myRequest(c.r.PathValue("id"))
	if r == nil {
		return result{}, errNotFound
	}
	return ok(c.st.renderNotifRequest(r)), nil
}

// answerNotifRequest accepts or dismisses one request (by path) or many
// (id[]; unknown ones are skipped, as Mastodon's bulk actions do).
func (s *Server) answerNotifRequest(accept, bulk bool) handler {
	return func(c *call) (result, *apiError) {
		var rs []*notifRequest
		if bulk {
			for _, id := range c.p.strs("id") {
				if r := c.myRequest(id); r != nil {
					rs = append(rs, r)
				}
			}
		} else if r := c.myRequest(c.r.PathValue("id")); r != nil {
			rs = append(rs, r)
		} else {
			return result{}, errNotFound
		}
		st := c.st
		for _, r := range rs {
			for _, n := range st.requestNotifs(r) {
				if accept {
					n.filtered = false
				} else {
					n.dismissed = true
				}
			}
			if accept {
				st.x.notifPermits[edge{r.target.id, r.from.id}] = true
			}
			st.x.notifRequests = slices.DeleteFunc(st.x.notifRequests, func(x *notifRequest) bool { return x == r })
		}
		return ok(nil), nil
	}
}

// pendingRequestSummary counts, for the policy's summary, the senders with
// pending requests and their filtered notifications.
func (st *store) pendingRequestSummary(me *account) (requests, notifs int) {
	for _, r := range st.myRequests(me) {
		requests++
		notifs += len(st.requestNotifs(r))
	}
	return min(requests, 100), notifs
}

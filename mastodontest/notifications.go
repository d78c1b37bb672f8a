package mastodontest

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

func (s *Server) notificationRoutes() {
	read := []string{"read", "read:notifications"}
	write := []string{"write", "write:notifications"}
	s.handle("GET /api/v1/notifications", route{need: userToken, scopes: read, h: s.listNotifications})
	s.handle("GET /api/v1/notifications/unread_count", route{need: userToken, scopes: read, h: s.unreadCount})
	s.handle("GET /api/v1/notifications/{id}", route{need: userToken, scopes: read, h: s.getNotification})
	s.handle("POST /api/v1/notifications/clear", route{need: userToken, scopes: write, h: s.clearNotifications})
	s.handle("POST /api/v1/notifications/{id}/dismiss", route{need: userToken, scopes: write, h: s.dismissNotification})
	s.handle("GET /api/v2/notifications", route{need: userToken, scopes: read, h: s.groupedNotifications})
	s.handle("GET /api/v2/notifications/unread_count", route{need: userToken, scopes: read, h: s.unreadCount})
	s.handle("GET /api/v2/notifications/{group_key}", route{need: userToken, scopes: read, h: s.getGroup})
	s.handle("GET /api/v2/notifications/{group_key}/accounts", route{need: userToken, scopes: read, h: s.groupAccounts})
	s.handle("POST /api/v2/notifications/{group_key}/dismiss", route{need: userToken, scopes: write, h: s.dismissGroup})
	s.notificationRequestRoutes()
}

var groupedTypes = []string{"favourite", "reblog", "follow"}

// notify records a notification for target and streams it.
func (st *store) notify(kind string, target, from *account, s *status) *notification {
	if target == nil || from == nil || st.isBlocking(target, from) || st.domainBlocked(target, from) {
		return nil
	}
	if m, ok := st.mutes[edge{target.id, from.id}]; ok && m.notifications && st.isMuting(target, from) {
		return nil
	}
	if s != nil && st.convMutes[edge{target.id, s.thread}] {
		return nil
	}
	now := st.srv.now()
	verdict := st.policyVerdict(kind, target, from, s)
	if verdict == "drop" {
		return nil
	}
	n := &notification{id: st.nextSeq("notification"), kind: kind, createdAt: now, target: target, from: from, status: s,
		filtered: verdict == "filter"}
	bucket := now.Unix() / 3600
	switch kind {
	case "favourite", "reblog":
		n.groupKey = fmt.Sprintf("%s-%s-%d", kind, s.id, bucket)
	case "follow":
		n.groupKey = fmt.Sprintf("follow-%d", bucket)
	default:
		n.groupKey = "ungrouped-" + n.id
	}
	st.notifs = append(st.notifs, n)
	if n.filtered {
		st.fileRequest(n)
		return n
	}
	st.srv.hub.notificationEvent(st, n)
	return n
}

// notifyFor is notify for a notification caused by activity (see
// notification.activity).
func (st *store) notifyFor(activity any, kind string, target, from *account, s *status) {
	if n := st.notify(kind, target, from, s); n != nil {
		n.activity = activity
	}
}

// myNotifications returns the caller's notifications, newest first,
// filtered by types / exclude_types / account_id.
func (c *call) myNotifications() []*notification {
	types, exclude := c.p.strs("types"), c.p.strs("exclude_types")
	from := c.p.str("account_id")
	withFiltered := c.p.truthy("include_filtered")
	var out []*notification
	for i := len(c.st.notifs) - 1; i >= 0; i-- {
		n := c.st.notifs[i]
		if n.target != c.me || n.dismissed || n.filtered && !withFiltered {
			continue
		}
		if len(types) > 0 && !slices.Contains(types, n.kind) {
			continue
		}
		if slices.Contains(exclude, n.kind) {
			continue
		}
		if from != "" && n.from.id != from {
			continue
		}
		if n.status != nil && !c.st.canSee(c.me, n.status) {
			continue
		}
		out = append(out, n)
	}
	return out
}

var notifPermitted = []string{"limit", "types", "exclude_types", "account_id", "include_filtered"}

func (s *Server) listNotifications(c *call) (result, *apiError) {
	all := c.myNotifications()
	ids := make([]string, len(all))
	for i, n := range all {
		ids[i] = n.id
	}
	pg := c.page(40, 80)
	out := []jsonNotification{}
	var keys []string
	for _, i := range pg.apply(ids) {
		out = append(out, c.st.renderNotification(all[i]))
		keys = append(keys, all[i].id)
	}
	c.linkTimeline(keys, notifPermitted)
	return ok(out), nil
}

func (c *call) notification(id string) *notification {
	for _, n := range c.st.notifs {
		if n.id == id && n.target == c.me && !n.dismissed {
			return n
		}
	}
	return nil
}

func (s *Server) getNotification(c *call) (result, *apiError) {
	n := c.notification(c.r.PathValue("id"))
	if n == nil {
		return result{}, errNotFound
	}
	return ok(c.st.renderNotification(n)), nil
}

func (s *Server) dismissNotification(c *call) (result, *apiError) {
	n := c.notification(c.r.PathValue("id"))
	if n == nil {
		return result{}, errNotFound
	}
	c.st.dropNotifications(func(x *notification) bool { return x == n })
	return ok(nil), nil
}

func (s *Server) clearNotifications(c *call) (result, *apiError) {
	c.st.dropNotifications(func(x *notification) bool { return x.target == c.me })
	return ok(nil), nil
}

func (st *store) dropNotifications(match func(*notification) bool) {
	st.notifs = slices.DeleteFunc(st.notifs, match)
}

func (s *Server) unreadCount(c *call) (result, *apiError) {
	last := ""
	if m := c.st.markers[c.me.id]["notifications"]; m != nil {
		last = m.lastRead
	}
	n := 0
	for _, x := range c.myNotifications() {
		if last == "" || cmpID(x.id, last) > 0 {
			n++
		}
	}
	return ok(map[string]int{"count": min(n, 1000)}), nil
}

type jsonGroup struct {
	GroupKey                 string   `json:"group_key"`
	NotificationsCount       int      `json:"notifications_count"`
	Type                     string   `json:"type"`
	MostRecentNotificationID int64    `json:"most_recent_notification_id"`
	PageMinID                *string  `json:"page_min_id,omitempty"`
	PageMaxID                *string  `json:"page_max_id,omitempty"`
	LatestPageNotificationAt *string  `json:"latest_page_notification_at,omitempty"`
	SampleAccountIDs         []string `json:"sample_account_ids"`
	StatusID                 *string  `json:"status_id,omitempty"`
}

type jsonPartialAccount struct {
	ID           string `json:"id"`
	Acct         string `json:"acct"`
	Locked       bool   `json:"locked"`
	Bot          bool   `json:"bot"`
	URL          string `json:"url"`
	Avatar       string `json:"avatar"`
	AvatarStatic string `json:"avatar_static"`
	AvatarDesc   string `json:"avatar_description"`
}

type groupedResult struct {
	Accounts           []jsonAccount         `json:"accounts"`
	PartialAccounts    *[]jsonPartialAccount `json:"partial_accounts,omitempty"`
	Statuses           []*jsonStatus         `json:"statuses"`
	NotificationGroups []jsonGroup           `json:"notification_groups"`
}

func (c *call) groupKeyOf(n *notification, grouped []string) string {
	if slices.Contains(grouped, n.kind) {
		return n.groupKey
	}
	return "ungrouped-" + n.id
}

func (s *Server) groupedNotifications(c *call) (result, *apiError) {
	grouped := groupedTypes
	if c.p.has("grouped_types[]") || c.p.has("grouped_types") {
		grouped = c.p.strs("grouped_types")
	}
	all := c.myNotifications()
	pg := c.page(40, 80)
	// Walk notifications in the cursor's range, collecting groups until
	// limit groups are complete.
	var inRange []*notification
	for _, n := range all {
		if pg.maxID != "" && cmpID(n.id, pg.maxID) >= 0 {
			continue
		}
		if pg.sinceID != "" && cmpID(n.id, pg.sinceID) <= 0 {
			continue
		}
		if pg.minID != "" && cmpID(n.id, pg.minID) <= 0 {
			continue
		}
		inRange = append(inRange, n)
	}
	if pg.minID != "" {
		slices.Reverse(inRange) // oldest first, so the page sits right after min_id
	}
	type group struct {
		key   string
		items []*notification
	}
	var groups []*group
	index := map[string]*group{}
	for _, n := range inRange {
		k := c.groupKeyOf(n, grouped)
		g := index[k]
		if g == nil {
			if len(groups) == pg.limit {
				break
			}
			g = &group{key: k}
			index[k] = g
			groups = append(groups, g)
		}
		g.items = append(g.items, n)
	}
	if pg.minID != "" {
		slices.Reverse(groups)
		for _, g := range groups {
			slices.Reverse(g.items)
		}
	}
	res := c.renderGroups(func(yield func(string, []*notification) bool) {
		for _, g := range groups {
			if !yield(g.key, g.items) {
				return
			}
		}
	}, all, grouped, true)
	if len(res.NotificationGroups) > 0 {
		first, last := res.NotificationGroups[0], res.NotificationGroups[len(res.NotificationGroups)-1]
		permitted := notifPermitted
		c.setLink(c.pageURL(permitted, "max_id", *last.PageMinID), c.pageURL(permitted, "min_id", *first.PageMaxID))
	}
	return ok(res), nil
}

// renderGroups builds a GroupedNotificationsResults from (key, page items)
// pairs; all is every notification of the caller, for whole-group counts.
func (c *call) renderGroups(groups func(func(string, []*notification) bool), all []*notification, grouped []string, page bool) groupedResult {
	st := c.st
	res := groupedResult{Accounts: []jsonAccount{}, Statuses: []*jsonStatus{}, NotificationGroups: []jsonGroup{}}
	partial := c.p.str("expand_accounts") == "partial_avatars"
	if partial {
		res.PartialAccounts = &[]jsonPartialAccount{}
	}
	seenAcct, seenStatus := map[string]bool{}, map[string]bool{}
	for key, items := range groups {
		whole := 0
		var sample []string
		for _, n := range all {
			if c.groupKeyOf(n, grouped) == key {
				whole++
				if len(sample) < 8 && !slices.Contains(sample, n.from.id) {
					sample = append(sample, n.from.id)
				}
			}
		}
		top := items[0]
		recent, _ := strconv.ParseInt(top.id, 10, 64)
		for _, n := range all {
			if c.groupKeyOf(n, grouped) == key {
				if id, _ := strconv.ParseInt(n.id, 10, 64); id > recent {
					recent = id
				}
			}
		}
		g := jsonGroup{GroupKey: key, NotificationsCount: whole, Type: top.kind, MostRecentNotificationID: recent,
			SampleAccountIDs: sample}
		if g.SampleAccountIDs == nil {
			g.SampleAccountIDs = []string{}
		}
		if page {
			g.PageMinID, g.PageMaxID = ptr(items[len(items)-1].id), ptr(top.id)
			g.LatestPageNotificationAt = ptr(fmtTime(top.createdAt))
		}
		if top.status != nil && notifHasStatus(top.kind) {
			g.StatusID = ptr(top.status.id)
			if !seenStatus[top.status.id] {
				seenStatus[top.status.id] = true
				res.Statuses = append(res.Statuses, st.renderStatus(top.status, c.me, renderOpts{filterCtx: "notifications"}))
			}
		}
		for i, id := range sample {
			if seenAcct[id] {
				continue
			}
			a := st.accounts[id]
			if a == nil {
				continue
			}
			if partial && i > 0 {
				j := st.renderAccount(a, c.me)
				*res.PartialAccounts = append(*res.PartialAccounts, jsonPartialAccount{ID: a.id, Acct: a.username,
					Locked: a.locked, Bot: a.bot, URL: j.URL, Avatar: j.Avatar, AvatarStatic: j.AvatarStatic, AvatarDesc: j.AvatarDesc})
				continue
			}
			seenAcct[id] = true
			res.Accounts = append(res.Accounts, st.renderAccount(a, c.me))
		}
		res.NotificationGroups = append(res.NotificationGroups, g)
	}
	// Accounts of the statuses' authors are not repeated here; Mastodon
	// lists only notifying accounts.
	return res
}

func (c *call) groupItems(key string) []*notification {
	var out []*notification
	for _, n := range c.myNotifications() {
		if c.groupKeyOf(n, groupedTypes) == key {
			out = append(out, n)
		}
	}
	return out
}

func (s *Server) getGroup(c *call) (result, *apiError) {
	key := c.r.PathValue("group_key")
	items := c.groupItems(key)
	if len(items) == 0 {
		return result{}, errNotFound
	}
	res := c.renderGroups(func(yield func(string, []*notification) bool) { yield(key, items) }, c.myNotifications(), groupedTypes, false)
	return ok(res), nil
}

func (s *Server) groupAccounts(c *call) (result, *apiError) {
	items := c.groupItems(c.r.PathValue("group_key"))
	if len(items) == 0 {
		return result{}, errNotFound
	}
	ids := make([]string, len(items))
	for i, n := range items {
		ids[i] = n.id
	}
	pg := c.page(40, 80)
	out := []jsonAccount{}
	var keys []string
	for _, i := range pg.apply(ids) {
		out = append(out, c.st.renderAccount(items[i].from, c.me))
		keys = append(keys, items[i].id)
	}
	c.linkList(keys, pg, nil, "min_id")
	return ok(out), nil
}

func (s *Server) dismissGroup(c *call) (result, *apiError) {
	key := c.r.PathValue("group_key")
	items := c.groupItems(key)
	if len(items) == 0 && !strings.HasPrefix(key, "ungrouped-") {
		return result{}, errNotFound
	}
	c.st.dropNotifications(func(n *notification) bool { return slices.Contains(items, n) })
	return ok(nil), nil
}

package mastodon

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
)

// Catch-up limits: pages of 40 fetched per timeline after a reconnect.
const (
	catchUpPageSize = 40
	catchUpMaxPages = 25
	seenIDs         = 4096 // IDs remembered per subscription and kind
)

// idSet remembers the last IDs delivered, to drop duplicates.
type idSet struct {
	m    map[string]struct{}
	ring []string
	next int
}

// add records id and reports whether it was new.
func (s *idSet) add(id string) bool {
	if s.m == nil {
		s.m = make(map[string]struct{}, 64)
		s.ring = make([]string, seenIDs)
	}
	if _, ok := s.m[id]; ok {
		return false
	}
	if old := s.ring[s.next]; old != "" {
		delete(s.m, old)
	}
	s.ring[s.next] = id
	s.next = (s.next + 1) % len(s.ring)
	s.m[id] = struct{}{}
	return true
}

// compareIDs orders Mastodon IDs: numeric strings by value (shorter is
// smaller), anything else (ULIDs, …) bytewise.
func compareIDs(a, b string) int {
	if isDigits(a) && isDigits(b) && len(a) != len(b) {
		return cmp.Compare(len(a), len(b))
	}
	return cmp.Compare(a, b)
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// accept records a live or caught-up event and reports whether it is new.
func (s *subState) accept(ev Event) bool {
	switch e := ev.(type) {
	case *UpdateEvent:
		if !s.seenStatus.add(e.Status.ID) {
			return false
		}
		if compareIDs(e.Status.ID, s.lastStatus) > 0 {
			s.lastStatus, s.haveStatus = e.Status.ID, true
		}
	case *NotificationEvent:
		if !s.seenNotif.add(e.Notification.ID) {
			return false
		}
		if compareIDs(e.Notification.ID, s.lastNotif) > 0 {
			s.lastNotif, s.haveNotif = e.Notification.ID, true
		}
	}
	return true
}

// statusTimeline returns the REST timeline matching a subscription's
// updates, or ok=false when there is none.
func statusTimeline(sub Subscription) (r req, ok bool) {
	q := url.Values{}
	r = req{Method: http.MethodGet, NoVersionCheck: true, Query: q}
	switch sub.Stream {
	case StreamUser:
		r.Path = "/api/v1/timelines/home"
	case StreamPublic, StreamPublicMedia, StreamPublicLocal, StreamPublicLocalMedia, StreamPublicRemote, StreamPublicRemoteMedia:
		r.Path = "/api/v1/timelines/public"
		switch sub.Stream {
		case StreamPublicLocal, StreamPublicLocalMedia:
			q.Set("local", "true")
		case StreamPublicRemote, StreamPublicRemoteMedia:
			q.Set("remote", "true")
		}
		switch sub.Stream {
		case StreamPublicMedia, StreamPublicLocalMedia, StreamPublicRemoteMedia:
			q.Set("only_media", "true")
		}
	case StreamHashtag, StreamHashtagLocal:
		r.Path, r.Params = "/api/v1/timelines/tag/{hashtag}", []string{sub.Tag}
		if sub.Stream == StreamHashtagLocal {
			q.Set("local", "true")
		}
	case StreamList:
		r.Path, r.Params = "/api/v1/timelines/list/{list_id}", []string{sub.List}
	default:
		return r, false
	}
	return r, true
}

// hasNotifications reports whether a subscription carries notifications.
func hasNotifications(sub Subscription) bool {
	return sub.Stream == StreamUser || sub.Stream == StreamUserNotification
}

func notificationsReq() req {
	return req{Method: http.MethodGet, Path: "/api/v1/notifications", NoVersionCheck: true, Query: url.Values{}}
}

// newest returns the ID of the newest item of a timeline, "" when empty.
func newest[T any](ctx context.Context, c *Client, r req, id func(*T) string) (string, error) {
	q := r.Query.(url.Values)
	q.Set("limit", "1")
	p, err := callList[T](ctx, c, r, nil)
	if err != nil {
		return "", err
	}
	top := ""
	for _, it := range p.Items {
		if it != nil && compareIDs(id(it), top) > 0 {
			top = id(it)
		}
	}
	return top, nil
}

// since fetches every item newer than from, oldest first. complete is false
// when it stopped at the page limit.
func since[T any](ctx context.Context, c *Client, r req, from string, id func(*T) string) (items []*T, complete bool, err error) {
	cur := from
	for range catchUpMaxPages {
		q := url.Values{}
		for k, v := range r.Query.(url.Values) {
			q[k] = v
		}
		q.Set("min_id", cur)
		q.Set("limit", strconv.Itoa(catchUpPageSize))
		rr := r
		rr.Query = q
		p, err := callList[T](ctx, c, rr, nil)
		if err != nil {
			return items, false, err
		}
		page := make([]*T, 0, len(p.Items))
		for _, it := range p.Items {
			if it != nil && compareIDs(id(it), cur) > 0 {
				page = append(page, it)
			}
		}
		if len(page) == 0 {
			return items, true, nil
		}
		slices.SortFunc(page, func(a, b *T) int { return compareIDs(id(a), id(b)) })
		items = append(items, page...)
		cur = id(page[len(page)-1])
	}
	return items, false, nil
}

func statusID(s *Status) string { return s.ID }

// statusFirst orders a caught-up status before a notification: by time;
// on a tie a notification follows the status it is about.
func statusFirst(s *Status, n *Notification) bool {
	if !s.CreatedAt.Equal(n.CreatedAt) {
		return s.CreatedAt.Before(n.CreatedAt)
	}
	if n.Status != nil {
		return compareIDs(s.ID, n.Status.ID) <= 0
	}
	return true
}
func notificationID(n *Notification) string { return n.ID }

// catchUp runs after a connection opens, before its events are read (they
// wait in the socket). On the first connection it notes where each
// timeline stands; after a reconnect it delivers what came in between.
func (l *link) catchUp(ctx context.Context, reconnect bool) {
	st := l.st
	c := st.c
	for _, sub := range l.snapshot() {
		// Where the timelines stand when a subscription starts: a later gap
		// is filled from there. An empty timeline stands at "0".
		if r, ok := statusTimeline(sub.sub); ok && !sub.haveStatus {
			if id, err := newest(ctx, c, r, statusID); err == nil {
				sub.lastStatus, sub.haveStatus = cmp.Or(id, "0"), true
			} else {
				c.log.DebugContext(ctx, "mastodon stream: catch-up baseline failed", "error", err.Error())
			}
		}
		if hasNotifications(sub.sub) && !sub.haveNotif {
			if id, err := newest(ctx, c, notificationsReq(), notificationID); err == nil {
				sub.lastNotif, sub.haveNotif = cmp.Or(id, "0"), true
			} else {
				c.log.DebugContext(ctx, "mastodon stream: catch-up baseline failed", "error", err.Error())
			}
		}
		if !reconnect {
			continue
		}
		var statuses []*Status
		var notes []*Notification
		var problems []error
		if r, ok := statusTimeline(sub.sub); ok && sub.haveStatus {
			items, complete, err := since(ctx, c, r, sub.lastStatus, statusID)
			statuses = items
			if err != nil {
				problems = append(problems, err)
			} else if !complete {
				problems = append(problems, fmt.Errorf("more than %d statuses", catchUpMaxPages*catchUpPageSize))
			}
		}
		if hasNotifications(sub.sub) && sub.haveNotif {
			items, complete, err := since(ctx, c, notificationsReq(), sub.lastNotif, notificationID)
			notes = items
			if err != nil {
				problems = append(problems, err)
			} else if !complete {
				problems = append(problems, fmt.Errorf("more than %d notifications", catchUpMaxPages*catchUpPageSize))
			}
		}
		if ctx.Err() != nil {
			return
		}
		// Merge the two ordered lists by time.
		meta := EventMeta{Stream: sub.key, CatchUp: true}
		i, j := 0, 0
		for i < len(statuses) || j < len(notes) {
			var ev Event
			if j >= len(notes) || (i < len(statuses) && statusFirst(statuses[i], notes[j])) {
				ev = &UpdateEvent{EventMeta: meta, Status: statuses[i]}
				i++
			} else {
				ev = &NotificationEvent{EventMeta: meta, Notification: notes[j]}
				j++
			}
			if !sub.accept(ev) {
				continue
			}
			if !st.deliver(ctx, delivery{ev: ev}) {
				return
			}
		}
		if len(problems) > 0 {
			err := fmt.Errorf("%w for %s: %w", ErrCatchUpIncomplete, sub.sub, errors.Join(problems...))
			if !st.deliver(ctx, delivery{err: err}) {
				return
			}
		}
	}
}

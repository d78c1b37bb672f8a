package mastodon

import (
	"context"
	"iter"
	"net/http"
)

// ExpandAccounts says how grouped notifications carry their accounts.
type ExpandAccounts string

// Ways to expand the accounts of grouped notifications.
const (
	// ExpandAccountsFull sends whole accounts (the default).
	ExpandAccountsFull ExpandAccounts = "full"
	// ExpandAccountsPartialAvatars sends the most recent account whole and
	// the other sample accounts as PartialAccountWithAvatar.
	ExpandAccountsPartialAvatars ExpandAccounts = "partial_avatars"
)

// GroupedNotificationsOptions filters and pages grouped notifications.
type GroupedNotificationsOptions struct {
	// Paging, as in ListOptions: MaxID, MinID and SinceID are cursors;
	// Limit caps the page size.
	MaxID        string             `form:"max_id"`
	MinID        string             `form:"min_id"`
	SinceID      string             `form:"since_id"`
	Limit        int                `form:"limit"`
	Types        []NotificationType `form:"types"`
	ExcludeTypes []NotificationType `form:"exclude_types"`
	AccountID    string             `form:"account_id"`
	// ExpandAccounts chooses full or partial accounts.
	ExpandAccounts ExpandAccounts `form:"expand_accounts"`
	// GroupedTypes restricts which kinds are grouped (others come one
	// notification per group).
	GroupedTypes    []NotificationType `form:"grouped_types"`
	IncludeFiltered bool               `form:"include_filtered"`
	// SupportedTypes names the kinds the caller can show, so the server
	// sends no fallback for them (4.6.0+).
	SupportedTypes []NotificationType `form:"supported_types"`
}

// GroupedUnreadCountOptions narrows what GroupedUnreadCount counts.
type GroupedUnreadCountOptions struct {
	// Limit caps the count (server default 100, at most 1000).
	Limit        int                `form:"limit"`
	Types        []NotificationType `form:"types"`
	ExcludeTypes []NotificationType `form:"exclude_types"`
	AccountID    string             `form:"account_id"`
	GroupedTypes []NotificationType `form:"grouped_types"`
}

// GroupedNotification is a notification group with the accounts and status
// it refers to looked up in its page.
type GroupedNotification struct {
	*NotificationGroup
	// Accounts are the sample accounts the page carried in full, in the
	// order of SampleAccountIDs.
	Accounts []*Account
	// PartialAccounts are the sample accounts the page carried in part
	// (with ExpandAccountsPartialAvatars).
	PartialAccounts []*PartialAccountWithAvatar
	// Status is the status the group is about, or nil.
	Status *Status
}

// String prints the group with its accounts and status, values rather
// than addresses (the String of NotificationGroup alone would hide them).
func (g *GroupedNotification) String() string { return stringify(g) }

// resolveGroups returns the groups of r with their accounts and status
// looked up. Accounts or statuses r lacks are left out.
func resolveGroups(r *GroupedNotificationsResults) []*GroupedNotification {
	accounts := make(map[string]*Account, len(r.Accounts))
	for i := range r.Accounts {
		accounts[r.Accounts[i].ID] = &r.Accounts[i]
	}
	partial := make(map[string]*PartialAccountWithAvatar, len(r.PartialAccounts))
	for i := range r.PartialAccounts {
		partial[r.PartialAccounts[i].ID] = &r.PartialAccounts[i]
	}
	statuses := make(map[string]*Status, len(r.Statuses))
	for i := range r.Statuses {
		statuses[r.Statuses[i].ID] = &r.Statuses[i]
	}
	out := make([]*GroupedNotification, 0, len(r.NotificationGroups))
	for i := range r.NotificationGroups {
		g := &r.NotificationGroups[i]
		gn := &GroupedNotification{NotificationGroup: g}
		for _, id := range g.SampleAccountIDs {
			if a, ok := accounts[id]; ok {
				gn.Accounts = append(gn.Accounts, a)
			} else if pa, ok := partial[id]; ok {
				gn.PartialAccounts = append(gn.PartialAccounts, pa)
			}
		}
		if g.StatusID != nil {
			gn.Status = statuses[*g.StatusID]
		}
		out = append(out, gn)
	}
	return out
}

// decodeGroups reads a page of grouped notifications.
func decodeGroups(method string, resp *Response, data []byte) ([]*GroupedNotification, error) {
	res := new(GroupedNotificationsResults)
	if err := decodeBody(method, resp.redactedURL, resp, data, res); err != nil {
		return nil, err
	}
	return resolveGroups(res), nil
}

// Grouped returns a page of the user's notifications grouped as the web
// interface groups them (favourites of one post, new followers, …): each
// item is a group with the accounts and status it refers to. Unlike
// Mastodon.py, which asks for expand_accounts=partial_avatars, Tusk sends
// no expand_accounts unless o sets ExpandAccounts, so the server's
// default (full accounts) applies.
//
//api:endpoint GET /api/v2/notifications
//api:since 4.3.0
//api:changed 4.6.0
func (s *NotificationsService) Grouped(ctx context.Context, o *GroupedNotificationsOptions, opts ...CallOption) (*Page[GroupedNotification], error) {
	return fetchPage(ctx, s.c, req{Method: http.MethodGet, Path: "/api/v2/notifications", Query: o}, opts, false, decodeGroups)
}

// GroupedAll iterates over the notification groups, page by page, each
// with its accounts and status.
func (s *NotificationsService) GroupedAll(ctx context.Context, o *GroupedNotificationsOptions, opts ...CallOption) iter.Seq2[*GroupedNotification, error] {
	return iterate(ctx, func() (*Page[GroupedNotification], error) { return s.Grouped(ctx, o, opts...) })
}

// Group returns one notification group with its accounts and statuses (o
// may be nil).
//
//api:endpoint GET /api/v2/notifications/{group_key}
//api:since 4.3.0
//api:changed 4.6.0
func (s *NotificationsService) Group(ctx context.Context, groupKey string, o *GetNotificationOptions, opts ...CallOption) (*GroupedNotificationsResults, error) {
	return call[GroupedNotificationsResults](ctx, s.c, req{Method: http.MethodGet, Path: "/api/v2/notifications/{group_key}", Params: []string{groupKey}, Query: o}, opts)
}

// DismissGroup dismisses every notification of a group.
//
//api:endpoint POST /api/v2/notifications/{group_key}/dismiss
//api:since 4.3.0
func (s *NotificationsService) DismissGroup(ctx context.Context, groupKey string, opts ...CallOption) error {
	return callNoContent(ctx, s.c, req{Method: http.MethodPost, Path: "/api/v2/notifications/{group_key}/dismiss", Params: []string{groupKey}, Idempotent: true}, opts)
}

// GroupAccounts returns a page of all the accounts of a notification group.
//
//api:endpoint GET /api/v2/notifications/{group_key}/accounts
//api:since 4.3.0
func (s *NotificationsService) GroupAccounts(ctx context.Context, groupKey string, opts ...CallOption) (*Page[Account], error) {
	return callList[Account](ctx, s.c, req{Method: http.MethodGet, Path: "/api/v2/notifications/{group_key}/accounts", Params: []string{groupKey}}, opts)
}

// GroupAccountsAll iterates over the accounts of a notification group.
func (s *NotificationsService) GroupAccountsAll(ctx context.Context, groupKey string, opts ...CallOption) iter.Seq2[*Account, error] {
	return iterate(ctx, func() (*Page[Account], error) { return s.GroupAccounts(ctx, groupKey, opts...) })
}

// GroupedUnreadCount returns how many notification groups are newer than
// the notifications marker.
//
//api:endpoint GET /api/v2/notifications/unread_count
//api:since 4.3.0
func (s *NotificationsService) GroupedUnreadCount(ctx context.Context, o *GroupedUnreadCountOptions, opts ...CallOption) (*UnreadNotificationsCount, error) {
	return call[UnreadNotificationsCount](ctx, s.c, req{Method: http.MethodGet, Path: "/api/v2/notifications/unread_count", Query: o}, opts)
}

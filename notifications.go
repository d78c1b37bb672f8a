package mastodon

import (
	"context"
	"errors"
	"iter"
	"net/http"
)

// NotificationsOptions filters and pages the notification list.
type NotificationsOptions struct {
	// Paging, as in ListOptions: MaxID, MinID and SinceID are cursors;
	// Limit caps the page size.
	MaxID   string `form:"max_id"`
	MinID   string `form:"min_id"`
	SinceID string `form:"since_id"`
	Limit   int    `form:"limit"`
	// Types keeps only these kinds.
	Types []NotificationType `form:"types"`
	// ExcludeTypes leaves these kinds out.
	ExcludeTypes []NotificationType `form:"exclude_types"`
	// AccountID keeps only notifications from this account.
	AccountID string `form:"account_id"`
	// IncludeFiltered includes notifications the notification policy
	// filtered (4.3.0+).
	IncludeFiltered bool `form:"include_filtered"`
	// SupportedTypes names the kinds the caller can show, so the server
	// sends no fallback for them (4.6.0+).
	SupportedTypes []NotificationType `form:"supported_types"`
}

// UnreadCountOptions narrows what Notifications.UnreadCount counts.
type UnreadCountOptions struct {
	// Limit caps the count (server default 100, at most 1000).
	Limit        int                `form:"limit"`
	Types        []NotificationType `form:"types"`
	ExcludeTypes []NotificationType `form:"exclude_types"`
	AccountID    string             `form:"account_id"`
}

// List returns a page of the user's notifications, newest first.
//
//api:endpoint GET /api/v1/notifications
//api:since 0.0.0
//api:changed 4.6.0
func (s *NotificationsService) List(ctx context.Context, o *NotificationsOptions, opts ...CallOption) (*Page[Notification], error) {
	return callList[Notification](ctx, s.c, req{Method: http.MethodGet, Path: "/api/v1/notifications", Query: o}, opts)
}

// ListAll iterates over the user's notifications, page by page.
func (s *NotificationsService) ListAll(ctx context.Context, o *NotificationsOptions, opts ...CallOption) iter.Seq2[*Notification, error] {
	return iterate(ctx, func() (*Page[Notification], error) { return s.List(ctx, o, opts...) })
}

// GetNotificationOptions tune Notifications.Get and Notifications.Group.
type GetNotificationOptions struct {
	// SupportedTypes names the kinds the caller can show; a notification
	// of another kind then carries the server's fallback, if it has one
	// (4.6.0+). Without it the server sends no fallback at all.
	SupportedTypes []NotificationType `form:"supported_types"`
}

// Get returns one notification (o may be nil).
//
//api:endpoint GET /api/v1/notifications/{id}
//api:since 0.0.0
//api:changed 4.6.0
func (s *NotificationsService) Get(ctx context.Context, id string, o *GetNotificationOptions, opts ...CallOption) (*Notification, error) {
	return call[Notification](ctx, s.c, req{Method: http.MethodGet, Path: "/api/v1/notifications/{id}", Params: []string{id}, Query: o}, opts)
}

// Clear deletes all of the user's notifications.
//
//api:endpoint POST /api/v1/notifications/clear
//api:since 0.0.0
func (s *NotificationsService) Clear(ctx context.Context, opts ...CallOption) error {
	return callNoContent(ctx, s.c, req{Method: http.MethodPost, Path: "/api/v1/notifications/clear", Idempotent: true}, opts)
}

var version292 = MustParseVersion("2.9.2")

// Dismiss deletes one notification. Servers before 2.9.2 only know the
// older POST /api/v1/notifications/dismiss (with the id in the form): it is
// used when the server is known to implement an older API level, or when
// the current endpoint answers 404 and the server is not known to
// implement 2.9.2. When that fallback fails too, the first error (the 404)
// is returned, never the fallback's.
//
//api:endpoint POST /api/v1/notifications/{id}/dismiss
//api:endpoint POST /api/v1/notifications/dismiss
//api:since 1.3.0
func (s *NotificationsService) Dismiss(ctx context.Context, id string, opts ...CallOption) error {
	if id == "" {
		return illegalArg("Notifications.Dismiss: empty id")
	}
	legacy := func() error {
		return callNoContent(ctx, s.c, req{Method: http.MethodPost, Path: "/api/v1/notifications/dismiss",
			Form: struct {
				ID string `form:"id"`
			}{id}, Idempotent: true}, opts)
	}
	if s.c.apiBelow(version292) {
		return legacy()
	}
	err := callNoContent(ctx, s.c, req{Method: http.MethodPost, Path: "/api/v1/notifications/{id}/dismiss", Params: []string{id}, Idempotent: true}, opts)
	if errors.Is(err, ErrNotFound) {
		if info, ierr := s.c.ServerInfo(ctx); ierr == nil && !info.API.AtLeast(version292) {
			if lerr := legacy(); lerr == nil {
				return nil
			}
		}
	}
	return err
}

// UnreadCount returns how many notifications are newer than the
// notifications marker.
//
//api:endpoint GET /api/v1/notifications/unread_count
//api:since 4.3.0
func (s *NotificationsService) UnreadCount(ctx context.Context, o *UnreadCountOptions, opts ...CallOption) (*UnreadNotificationsCount, error) {
	return call[UnreadNotificationsCount](ctx, s.c, req{Method: http.MethodGet, Path: "/api/v1/notifications/unread_count", Query: o}, opts)
}

// NotificationPolicyAction is what a notification policy does with a kind
// of notification.
type NotificationPolicyAction string

// Notification policy actions.
const (
	NotificationPolicyAccept NotificationPolicyAction = "accept"
	NotificationPolicyFilter NotificationPolicyAction = "filter"
	NotificationPolicyDrop   NotificationPolicyAction = "drop"
)

// UpdateNotificationPolicyParams are the policy settings to change; unset
// ones stay as they are.
type UpdateNotificationPolicyParams struct {
	ForNotFollowing    NotificationPolicyAction `form:"for_not_following"`
	ForNotFollowers    NotificationPolicyAction `form:"for_not_followers"`
	ForNewAccounts     NotificationPolicyAction `form:"for_new_accounts"`
	ForPrivateMentions NotificationPolicyAction `form:"for_private_mentions"`
	ForLimitedAccounts NotificationPolicyAction `form:"for_limited_accounts"`
}

// Policy returns the user's notification filtering policy.
//
//api:endpoint GET /api/v2/notifications/policy
//api:since 4.3.0
func (s *NotificationsService) Policy(ctx context.Context, opts ...CallOption) (*NotificationPolicy, error) {
	return call[NotificationPolicy](ctx, s.c, req{Method: http.MethodGet, Path: "/api/v2/notifications/policy"}, opts)
}

// UpdatePolicy changes the user's notification filtering policy.
//
//api:endpoint PATCH /api/v2/notifications/policy
//api:since 4.3.0
func (s *NotificationsService) UpdatePolicy(ctx context.Context, p *UpdateNotificationPolicyParams, opts ...CallOption) (*NotificationPolicy, error) {
	if p == nil {
		p = &UpdateNotificationPolicyParams{}
	}
	return call[NotificationPolicy](ctx, s.c, req{Method: http.MethodPatch, Path: "/api/v2/notifications/policy", Form: p, Idempotent: true}, opts)
}

// UpdateNotificationPolicyV1Params are the v1 policy switches to change;
// nil ones stay as they are.
type UpdateNotificationPolicyV1Params struct {
	FilterNotFollowing    *bool `form:"filter_not_following"`
	FilterNotFollowers    *bool `form:"filter_not_followers"`
	FilterNewAccounts     *bool `form:"filter_new_accounts"`
	FilterPrivateMentions *bool `form:"filter_private_mentions"`
}

// PolicyV1 returns the notification policy in its v1 form (deprecated
// since 4.3.0 in favour of Policy).
//
//api:endpoint GET /api/v1/notifications/policy
//api:since 4.3.0
func (s *NotificationsService) PolicyV1(ctx context.Context, opts ...CallOption) (*V1NotificationPolicy, error) {
	return call[V1NotificationPolicy](ctx, s.c, req{Method: http.MethodGet, Path: "/api/v1/notifications/policy"}, opts)
}

// UpdatePolicyV1 changes the notification policy in its v1 form.
//
//api:endpoint PATCH /api/v1/notifications/policy
//api:since 4.3.0
func (s *NotificationsService) UpdatePolicyV1(ctx context.Context, p *UpdateNotificationPolicyV1Params, opts ...CallOption) (*V1NotificationPolicy, error) {
	if p == nil {
		p = &UpdateNotificationPolicyV1Params{}
	}
	return call[V1NotificationPolicy](ctx, s.c, req{Method: http.MethodPatch, Path: "/api/v1/notifications/policy", Form: p, Idempotent: true}, opts)
}

// Requests returns a page of the notification requests: accounts whose
// notifications the policy filtered.
//
//api:endpoint GET /api/v1/notifications/requests
//api:since 4.3.0
func (s *NotificationsService) Requests(ctx context.Context, o *ListOptions, opts ...CallOption) (*Page[NotificationRequest], error) {
	return callList[NotificationRequest](ctx, s.c, req{Method: http.MethodGet, Path: "/api/v1/notifications/requests", Query: o}, opts)
}

// RequestsAll iterates over the notification requests, page by page.
func (s *NotificationsService) RequestsAll(ctx context.Context, o *ListOptions, opts ...CallOption) iter.Seq2[*NotificationRequest, error] {
	return iterate(ctx, func() (*Page[NotificationRequest], error) { return s.Requests(ctx, o, opts...) })
}

// Request returns one notification request.
//
//api:endpoint GET /api/v1/notifications/requests/{id}
//api:since 4.3.0
func (s *NotificationsService) Request(ctx context.Context, id string, opts ...CallOption) (*NotificationRequest, error) {
	return call[NotificationRequest](ctx, s.c, req{Method: http.MethodGet, Path: "/api/v1/notifications/requests/{id}", Params: []string{id}}, opts)
}

// AcceptRequest accepts a notification request: its notifications join the
// others and later ones are let through.
//
//api:endpoint POST /api/v1/notifications/requests/{id}/accept
//api:since 4.3.0
func (s *NotificationsService) AcceptRequest(ctx context.Context, id string, opts ...CallOption) error {
	return callNoContent(ctx, s.c, req{Method: http.MethodPost, Path: "/api/v1/notifications/requests/{id}/accept", Params: []string{id}, Idempotent: true}, opts)
}

// DismissRequest dismisses a notification request and its notifications.
//
//api:endpoint POST /api/v1/notifications/requests/{id}/dismiss
//api:since 4.3.0
func (s *NotificationsService) DismissRequest(ctx context.Context, id string, opts ...CallOption) error {
	return callNoContent(ctx, s.c, req{Method: http.MethodPost, Path: "/api/v1/notifications/requests/{id}/dismiss", Params: []string{id}, Idempotent: true}, opts)
}

// AcceptRequests accepts several notification requests at once.
//
//api:endpoint POST /api/v1/notifications/requests/accept
//api:since 4.3.0
func (s *NotificationsService) AcceptRequests(ctx context.Context, ids []string, opts ...CallOption) error {
	if err := checkIDs("Notifications.AcceptRequests", ids); err != nil {
		return err
	}
	return callNoContent(ctx, s.c, req{Method: http.MethodPost, Path: "/api/v1/notifications/requests/accept", Form: idsQuery{IDs: ids}, Idempotent: true}, opts)
}

// DismissRequests dismisses several notification requests at once.
//
//api:endpoint POST /api/v1/notifications/requests/dismiss
//api:since 4.3.0
func (s *NotificationsService) DismissRequests(ctx context.Context, ids []string, opts ...CallOption) error {
	if err := checkIDs("Notifications.DismissRequests", ids); err != nil {
		return err
	}
	return callNoContent(ctx, s.c, req{Method: http.MethodPost, Path: "/api/v1/notifications/requests/dismiss", Form: idsQuery{IDs: ids}, Idempotent: true}, opts)
}

// RequestsMerged reports whether the notifications of accepted requests
// have all been merged into the notification list; accepting is
// asynchronous, and until then they may be missing from it.
//
//api:endpoint GET /api/v1/notifications/requests/merged
//api:since 4.3.0
func (s *NotificationsService) RequestsMerged(ctx context.Context, opts ...CallOption) (bool, error) {
	m, err := call[MergedResponse](ctx, s.c, req{Method: http.MethodGet, Path: "/api/v1/notifications/requests/merged"}, opts)
	if err != nil {
		return false, err
	}
	return m.Merged, nil
}

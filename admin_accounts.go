package mastodon

import (
	"context"
	"fmt"
	"iter"
	"net/http"
	"slices"
	"strings"
)

// AdminAccountsOptions filters the v2 admin account list (Mastodon 4.0+).
type AdminAccountsOptions struct {
	// Paging, as in ListOptions: MaxID, MinID and SinceID are cursors;
	// Limit caps the page size.
	MaxID   string `form:"max_id"`
	MinID   string `form:"min_id"`
	SinceID string `form:"since_id"`
	Limit   int    `form:"limit"`
	// Origin is "local" or "remote".
	Origin string `form:"origin"`
	// Status is "active", "pending", "disabled", "silenced" or "suspended".
	Status string `form:"status"`
	// Permissions is "staff" for accounts with any staff permission.
	Permissions string `form:"permissions"`
	// RoleIDs keeps accounts with one of these roles.
	RoleIDs []string `form:"role_ids"`
	// InvitedBy keeps accounts invited by this account ID.
	InvitedBy   string `form:"invited_by"`
	Username    string `form:"username"`
	DisplayName string `form:"display_name"`
	// ByDomain keeps accounts of one domain.
	ByDomain string `form:"by_domain"`
	Email    string `form:"email"`
	IP       string `form:"ip"`
}

// AdminAccountsV1Options filters the v1 admin account list.
type AdminAccountsV1Options struct {
	// Paging, as in ListOptions: MaxID, MinID and SinceID are cursors;
	// Limit caps the page size.
	MaxID       string `form:"max_id"`
	MinID       string `form:"min_id"`
	SinceID     string `form:"since_id"`
	Limit       int    `form:"limit"`
	Local       bool   `form:"local"`
	Remote      bool   `form:"remote"`
	Active      bool   `form:"active"`
	Pending     bool   `form:"pending"`
	Disabled    bool   `form:"disabled"`
	Sensitized  bool   `form:"sensitized"`
	Silenced    bool   `form:"silenced"`
	Suspended   bool   `form:"suspended"`
	Staff       bool   `form:"staff"`
	Username    string `form:"username"`
	DisplayName string `form:"display_name"`
	ByDomain    string `form:"by_domain"`
	Email       string `form:"email"`
	IP          string `form:"ip"`
}

// List returns accounts known to the server, as moderators see them.
// As Mastodon.py does, it refuses an Origin other than local or remote, a
// Status outside the five the server knows and a Permissions other than
// staff before sending (the server would ignore them and list everyone).
//
//api:endpoint GET /api/v2/admin/accounts
//api:since 4.0.0
func (s *AdminAccountsService) List(ctx context.Context, o *AdminAccountsOptions, opts ...CallOption) (*Page[AdminAccount], error) {
	if o != nil {
		if err := o.check(); err != nil {
			return nil, err
		}
	}
	return callList[AdminAccount](ctx, s.c, req{Method: http.MethodGet, Path: "/api/v2/admin/accounts", Query: o}, opts)
}

func (o *AdminAccountsOptions) check() error {
	for _, c := range []struct {
		name, v string
		ok      []string
	}{
		{"Origin", o.Origin, []string{"local", "remote"}},
		{"Status", o.Status, []string{"active", "pending", "disabled", "silenced", "suspended"}},
		{"Permissions", o.Permissions, []string{"staff"}},
	} {
		if c.v != "" && !slices.Contains(c.ok, c.v) {
			return illegalArg(fmt.Sprintf("Admin.Accounts.List: %s must be one of %s, not %q", c.name, strings.Join(c.ok, ", "), c.v))
		}
	}
	return nil
}

// ListAll iterates over every account List would page through.
func (s *AdminAccountsService) ListAll(ctx context.Context, o *AdminAccountsOptions, opts ...CallOption) iter.Seq2[*AdminAccount, error] {
	return iterate(ctx, func() (*Page[AdminAccount], error) { return s.List(ctx, o, opts...) })
}

// ListV1 returns accounts with the older filter set (servers before 4.0).
// With nil or empty options it lists every account; Mastodon.py's
// admin_accounts_v1 lists only active ones unless told otherwise (set
// Active for that).
//
//api:endpoint GET /api/v1/admin/accounts
//api:since 2.9.1
func (s *AdminAccountsService) ListV1(ctx context.Context, o *AdminAccountsV1Options, opts ...CallOption) (*Page[AdminAccount], error) {
	return callList[AdminAccount](ctx, s.c, req{Method: http.MethodGet, Path: "/api/v1/admin/accounts", Query: o}, opts)
}

// ListV1All iterates over every account ListV1 would page through.
func (s *AdminAccountsService) ListV1All(ctx context.Context, o *AdminAccountsV1Options, opts ...CallOption) iter.Seq2[*AdminAccount, error] {
	return iterate(ctx, func() (*Page[AdminAccount], error) { return s.ListV1(ctx, o, opts...) })
}

// Get returns one account as moderators see it.
//
//api:endpoint GET /api/v1/admin/accounts/{id}
//api:since 2.9.1
func (s *AdminAccountsService) Get(ctx context.Context, id string, opts ...CallOption) (*AdminAccount, error) {
	return call[AdminAccount](ctx, s.c, req{Method: http.MethodGet, Path: "/api/v1/admin/accounts/{id}", Params: []string{id}}, opts)
}

func (s *AdminAccountsService) post(ctx context.Context, path, id string, opts []CallOption) (*AdminAccount, error) {
	return call[AdminAccount](ctx, s.c, req{Method: http.MethodPost, Path: path, Params: []string{id}}, opts)
}

// Approve approves a pending sign-up.
//
//api:endpoint POST /api/v1/admin/accounts/{id}/approve
//api:since 2.9.1
func (s *AdminAccountsService) Approve(ctx context.Context, id string, opts ...CallOption) (*AdminAccount, error) {
	return s.post(ctx, "/api/v1/admin/accounts/{id}/approve", id, opts)
}

// Reject rejects a pending sign-up, deleting the account.
//
//api:endpoint POST /api/v1/admin/accounts/{id}/reject
//api:since 2.9.1
func (s *AdminAccountsService) Reject(ctx context.Context, id string, opts ...CallOption) (*AdminAccount, error) {
	return s.post(ctx, "/api/v1/admin/accounts/{id}/reject", id, opts)
}

// Enable lifts a disable (login freeze).
//
//api:endpoint POST /api/v1/admin/accounts/{id}/enable
//api:since 2.9.1
func (s *AdminAccountsService) Enable(ctx context.Context, id string, opts ...CallOption) (*AdminAccount, error) {
	return s.post(ctx, "/api/v1/admin/accounts/{id}/enable", id, opts)
}

// Unsilence lifts a silence (limit).
//
//api:endpoint POST /api/v1/admin/accounts/{id}/unsilence
//api:since 2.9.1
func (s *AdminAccountsService) Unsilence(ctx context.Context, id string, opts ...CallOption) (*AdminAccount, error) {
	return s.post(ctx, "/api/v1/admin/accounts/{id}/unsilence", id, opts)
}

// Unsuspend lifts a suspension.
//
//api:endpoint POST /api/v1/admin/accounts/{id}/unsuspend
//api:since 2.9.1
func (s *AdminAccountsService) Unsuspend(ctx context.Context, id string, opts ...CallOption) (*AdminAccount, error) {
	return s.post(ctx, "/api/v1/admin/accounts/{id}/unsuspend", id, opts)
}

// Unsensitive lifts the forced sensitive marking of an account's media.
//
//api:endpoint POST /api/v1/admin/accounts/{id}/unsensitive
//api:since 3.3.0
func (s *AdminAccountsService) Unsensitive(ctx context.Context, id string, opts ...CallOption) (*AdminAccount, error) {
	return s.post(ctx, "/api/v1/admin/accounts/{id}/unsensitive", id, opts)
}

// Delete permanently deletes the data of a suspended account.
//
//api:endpoint DELETE /api/v1/admin/accounts/{id}
//api:since 3.3.0
func (s *AdminAccountsService) Delete(ctx context.Context, id string, opts ...CallOption) (*AdminAccount, error) {
	return call[AdminAccount](ctx, s.c, req{Method: http.MethodDelete, Path: "/api/v1/admin/accounts/{id}", Params: []string{id}}, opts)
}

// ModerationAction is what Moderate does to an account.
type ModerationAction string

// Moderation actions.
const (
	ModerationNone      ModerationAction = "none"
	ModerationSensitive ModerationAction = "sensitive"
	ModerationDisable   ModerationAction = "disable"
	ModerationSilence   ModerationAction = "silence"
	ModerationSuspend   ModerationAction = "suspend"
)

// ModerateParams are the details of a moderation action.
type ModerateParams struct {
	// ReportID resolves this report with the action.
	ReportID string `form:"report_id"`
	// WarningPresetID picks a preset warning text.
	WarningPresetID string `form:"warning_preset_id"`
	// Text is a custom warning, sent to the user.
	Text string `form:"text"`
	// SendEmailNotification e-mails the user about the action; the
	// server's default is true.
	SendEmailNotification *bool `form:"send_email_notification"`
}

type moderateForm struct {
	ModerateParams
	Type ModerationAction `form:"type"`
}

// Moderate takes a moderation action against an account, optionally
// resolving a report and warning the user.
//
//api:endpoint POST /api/v1/admin/accounts/{id}/action
//api:since 2.9.1
func (s *AdminAccountsService) Moderate(ctx context.Context, id string, action ModerationAction, p *ModerateParams, opts ...CallOption) error {
	switch action {
	case ModerationNone, ModerationSensitive, ModerationDisable, ModerationSilence, ModerationSuspend:
	default:
		return illegalArg("Admin.Accounts.Moderate: unknown action " + sanitizeForError(string(action)))
	}
	f := &moderateForm{Type: action}
	if p != nil {
		f.ModerateParams = *p
	}
	return callNoContent(ctx, s.c, req{Method: http.MethodPost, Path: "/api/v1/admin/accounts/{id}/action", Params: []string{id}, Form: f}, opts)
}

package mastodon

import (
	"context"
	"net/http"
	"net/url"
)

// Get returns the current user's editable profile (4.6.0+).
//
//api:endpoint GET /api/v1/profile
//api:since 4.6.0
func (s *ProfileService) Get(ctx context.Context, opts ...CallOption) (*Profile, error) {
	return call[Profile](ctx, s.c, req{Method: http.MethodGet, Path: "/api/v1/profile"}, opts)
}

// UpdateProfileParams are the changes of Profile.Update. Nil and empty
// members are left unchanged; pointers set to "" or false change the value
// to that.
type UpdateProfileParams struct {
	DisplayName       *string `form:"display_name"`
	Note              *string `form:"note"`
	Avatar            *File   `form:"-"`
	AvatarDescription *string `form:"avatar_description"`
	Header            *File   `form:"-"`
	HeaderDescription *string `form:"header_description"`
	Locked            *bool   `form:"locked"`
	Bot               *bool   `form:"bot"`
	Discoverable      *bool   `form:"discoverable"`
	Indexable         *bool   `form:"indexable"`
	HideCollections   *bool   `form:"hide_collections"`
	// ShowFeatured, ShowMedia and ShowMediaReplies choose the profile's
	// tabs.
	ShowFeatured       *bool         `form:"show_featured"`
	ShowMedia          *bool         `form:"show_media"`
	ShowMediaReplies   *bool         `form:"show_media_replies"`
	AttributionDomains []string      `form:"attribution_domains"`
	Fields             ProfileFields `form:"fields_attributes"`
}

// Update changes the current user's profile (4.6.0+); older servers take
// the same changes through Accounts.UpdateCredentials.
//
//api:endpoint PATCH /api/v1/profile
//api:since 4.6.0
func (s *ProfileService) Update(ctx context.Context, p *UpdateProfileParams, opts ...CallOption) (*Profile, error) {
	r := req{Method: http.MethodPatch, Path: "/api/v1/profile"}
	if p != nil {
		if p.Avatar != nil && p.Avatar.Reader == nil || p.Header != nil && p.Header.Reader == nil {
			return nil, illegalArg("Profile.Update: avatar or header file without a reader")
		}
		q := *p
		r.Form = &q
		r.Files = profileFiles(p.Avatar, p.Header)
	} else {
		r.Form = url.Values{}
	}
	return call[Profile](ctx, s.c, r, opts)
}

// DeleteAvatar removes the current user's avatar and returns the account.
//
//api:endpoint DELETE /api/v1/profile/avatar
//api:since 4.2.0
func (s *ProfileService) DeleteAvatar(ctx context.Context, opts ...CallOption) (*CredentialAccount, error) {
	return call[CredentialAccount](ctx, s.c, req{Method: http.MethodDelete, Path: "/api/v1/profile/avatar"}, opts)
}

// DeleteHeader removes the current user's header image and returns the
// account.
//
//api:endpoint DELETE /api/v1/profile/header
//api:since 4.2.0
func (s *ProfileService) DeleteHeader(ctx context.Context, opts ...CallOption) (*CredentialAccount, error) {
	return call[CredentialAccount](ctx, s.c, req{Method: http.MethodDelete, Path: "/api/v1/profile/header"}, opts)
}

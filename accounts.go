package mastodon

import (
	"cmp"
	"context"
	"errors"
	"iter"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/tuskgo/mastodon/internal/form"
)

// VerifyCredentials returns the account the access token belongs to, with
// its source (default privacy, language, raw note and fields).
//
//api:endpoint GET /api/v1/accounts/verify_credentials
//api:since 0.0.0
//api:changed 4.3.0
func (s *AccountsService) VerifyCredentials(ctx context.Context, opts ...CallOption) (*CredentialAccount, error) {
	return call[CredentialAccount](ctx, s.c, req{Method: http.MethodGet, Path: "/api/v1/accounts/verify_credentials"}, opts)
}

// Get returns an account by ID.
//
//api:endpoint GET /api/v1/accounts/{id}
//api:since 0.0.0
//api:changed 3.3.0
func (s *AccountsService) Get(ctx context.Context, id string, opts ...CallOption) (*Account, error) {
	return call[Account](ctx, s.c, req{Method: http.MethodGet, Path: "/api/v1/accounts/{id}", Params: []string{id}}, opts)
}

// idsQuery sends IDs as id[] (Rails reads a single id the same way).
type idsQuery struct {
	IDs []string `form:"id"`
}

// checkIDs refuses an empty list or an empty ID.
func checkIDs(what string, ids []string) error {
	if len(ids) == 0 {
		return illegalArg(what + ": no IDs given")
	}
	for _, id := range ids {
		if strings.TrimSpace(id) == "" {
			return illegalArg(what + ": empty ID in the list")
		}
	}
	return nil
}

// GetMany returns several accounts by ID in one request. Unknown or
// suspended accounts are left out of the answer.
//
//api:endpoint GET /api/v1/accounts
//api:since 4.3.0
func (s *AccountsService) GetMany(ctx context.Context, ids []string, opts ...CallOption) ([]*Account, error) {
	if err := checkIDs("Accounts.GetMany", ids); err != nil {
		return nil, err
	}
	return callSlice[Account](ctx, s.c, req{Method: http.MethodGet, Path: "/api/v1/accounts", Query: idsQuery{IDs: ids}}, opts)
}

// ProfileField is one name/value pair of a profile's metadata table.
type ProfileField struct {
	Name  string
	Value string
}

// ProfileFields replaces all of a profile's fields. Both members of each
// pair are always sent, so an empty pair clears a field.
type ProfileFields []ProfileField

// EncodeForm writes fields_attributes[i][name] and [value].
func (f ProfileFields) EncodeForm(prefix string, v *form.Values) error {
	for i, p := range f {
		k := prefix + "[" + strconv.Itoa(i) + "]"
		v.Add(k+"[name]", p.Name)
		v.Add(k+"[value]", p.Value)
	}
	return nil
}

// CredentialSource holds the posting defaults of UpdateCredentialsParams.
type CredentialSource struct {
	// Privacy is the default visibility of new statuses.
	Privacy StatusVisibility `form:"privacy"`
	// Sensitive marks new media sensitive by default.
	Sensitive *bool `form:"sensitive"`
	// Language is the default language of new statuses (ISO 639-1).
	Language string `form:"language"`
	// QuotePolicy is who may quote new statuses by default (4.5.0+).
	QuotePolicy QuotePolicy `form:"quote_policy"`
}

// UpdateCredentialsParams are the profile changes of
// Accounts.UpdateCredentials. Nil and empty members are left unchanged;
// pointers set to "" or false change the value to that.
type UpdateCredentialsParams struct {
	DisplayName *string `form:"display_name"`
	// Note is the bio, in plain text.
	Note *string `form:"note"`
	// Avatar and Header are uploaded as files; their descriptions are
	// the alt texts (4.6.0+).
	Avatar            *File   `form:"-"`
	AvatarDescription *string `form:"avatar_description"`
	Header            *File   `form:"-"`
	HeaderDescription *string `form:"header_description"`
	// Locked requires follow requests to be approved.
	Locked *bool `form:"locked"`
	// Bot marks the account as automated.
	Bot *bool `form:"bot"`
	// Discoverable lists the account in the profile directory.
	Discoverable *bool `form:"discoverable"`
	// Indexable lets anyone search the account's public posts (4.2.0+).
	Indexable *bool `form:"indexable"`
	// HideCollections hides who the account follows and is followed by.
	HideCollections *bool `form:"hide_collections"`
	// AttributionDomains are the websites allowed to credit the account
	// (4.4.0+).
	AttributionDomains []string `form:"attribution_domains"`
	// Fields replaces the profile's metadata table when non-nil.
	Fields ProfileFields `form:"fields_attributes"`
	// Source sets the defaults for new posts.
	Source *CredentialSource `form:"source"`
}

// profileFiles lists the image uploads of a profile change.
func profileFiles(avatar, header *File) []filePart {
	var files []filePart
	if avatar != nil {
		files = append(files, filePart{Field: "avatar", File: *avatar})
	}
	if header != nil {
		files = append(files, filePart{Field: "header", File: *header})
	}
	return files
}

// UpdateCredentials changes the profile and posting defaults of the
// current user. With an avatar or header the request is sent as
// multipart/form-data, streaming the images.
//
//api:endpoint PATCH /api/v1/accounts/update_credentials
//api:since 1.1.1
//api:changed 4.6.1
func (s *AccountsService) UpdateCredentials(ctx context.Context, p *UpdateCredentialsParams, opts ...CallOption) (*CredentialAccount, error) {
	r := req{Method: http.MethodPatch, Path: "/api/v1/accounts/update_credentials"}
	if p != nil {
		if p.Avatar != nil && p.Avatar.Reader == nil || p.Header != nil && p.Header.Reader == nil {
			return nil, illegalArg("Accounts.UpdateCredentials: avatar or header file without a reader")
		}
		q := *p
		r.Form = &q
		r.Files = profileFiles(p.Avatar, p.Header)
	} else {
		r.Form = url.Values{}
	}
	return call[CredentialAccount](ctx, s.c, r, opts)
}

// AccountStatusesOptions filter Accounts.Statuses.
type AccountStatusesOptions struct {
	// Paging, as in ListOptions: MaxID, MinID and SinceID are cursors;
	// Limit caps the page size.
	MaxID   string `form:"max_id"`
	MinID   string `form:"min_id"`
	SinceID string `form:"since_id"`
	Limit   int    `form:"limit"`
	// OnlyMedia keeps statuses with attachments.
	OnlyMedia bool `form:"only_media"`
	// Pinned keeps pinned statuses only.
	Pinned bool `form:"pinned"`
	// ExcludeReplies leaves out replies to other accounts.
	ExcludeReplies bool `form:"exclude_replies"`
	// ExcludeReblogs leaves out boosts.
	ExcludeReblogs bool `form:"exclude_reblogs"`
	// Tagged keeps statuses using this hashtag (without the #).
	Tagged string `form:"tagged"`
}

// Statuses lists an account's statuses, newest first.
//
//api:endpoint GET /api/v1/accounts/{id}/statuses
//api:since 0.0.0
//api:changed 3.3.0
func (s *AccountsService) Statuses(ctx context.Context, id string, o *AccountStatusesOptions, opts ...CallOption) (*Page[Status], error) {
	return callList[Status](ctx, s.c, req{Method: http.MethodGet, Path: "/api/v1/accounts/{id}/statuses", Params: []string{id}, Query: o}, opts)
}

// StatusesAll iterates over an account's statuses, page after page.
func (s *AccountsService) StatusesAll(ctx context.Context, id string, o *AccountStatusesOptions, opts ...CallOption) iter.Seq2[*Status, error] {
	return iterate(ctx, func() (*Page[Status], error) { return s.Statuses(ctx, id, o, opts...) })
}

// Followers lists the accounts following an account.
//
//api:endpoint GET /api/v1/accounts/{id}/followers
//api:since 0.0.0
//api:changed 4.0.0
func (s *AccountsService) Followers(ctx context.Context, id string, o *ListOptions, opts ...CallOption) (*Page[Account], error) {
	return callList[Account](ctx, s.c, req{Method: http.MethodGet, Path: "/api/v1/accounts/{id}/followers", Params: []string{id}, Query: o}, opts)
}

// FollowersAll iterates over an account's followers.
func (s *AccountsService) FollowersAll(ctx context.Context, id string, o *ListOptions, opts ...CallOption) iter.Seq2[*Account, error] {
	return iterate(ctx, func() (*Page[Account], error) { return s.Followers(ctx, id, o, opts...) })
}

// Following lists the accounts an account follows.
//
//api:endpoint GET /api/v1/accounts/{id}/following
//api:since 0.0.0
//api:changed 4.0.0
func (s *AccountsService) Following(ctx context.Context, id string, o *ListOptions, opts ...CallOption) (*Page[Account], error) {
	return callList[Account](ctx, s.c, req{Method: http.MethodGet, Path: "/api/v1/accounts/{id}/following", Params: []string{id}, Query: o}, opts)
}

// FollowingAll iterates over the accounts an account follows.
func (s *AccountsService) FollowingAll(ctx context.Context, id string, o *ListOptions, opts ...CallOption) iter.Seq2[*Account, error] {
	return iterate(ctx, func() (*Page[Account], error) { return s.Following(ctx, id, o, opts...) })
}

// Endorsements lists the accounts an account features on its profile.
//
//api:endpoint GET /api/v1/accounts/{id}/endorsements
//api:since 4.4.0
func (s *AccountsService) Endorsements(ctx context.Context, id string, o *ListOptions, opts ...CallOption) (*Page[Account], error) {
	return callList[Account](ctx, s.c, req{Method: http.MethodGet, Path: "/api/v1/accounts/{id}/endorsements", Params: []string{id}, Query: o}, opts)
}

// EndorsementsAll iterates over the accounts an account features.
func (s *AccountsService) EndorsementsAll(ctx context.Context, id string, o *ListOptions, opts ...CallOption) iter.Seq2[*Account, error] {
	return iterate(ctx, func() (*Page[Account], error) { return s.Endorsements(ctx, id, o, opts...) })
}

// RelationshipsOptions adjust Accounts.Relationships.
type RelationshipsOptions struct {
	// WithSuspended includes suspended accounts (4.3.0+).
	WithSuspended bool `form:"with_suspended"`
}

// Relationships returns how the current user relates to each account.
//
//api:endpoint GET /api/v1/accounts/relationships
//api:since 0.0.0
//api:changed 4.6.0
func (s *AccountsService) Relationships(ctx context.Context, ids []string, o *RelationshipsOptions, opts ...CallOption) ([]*Relationship, error) {
	if err := checkIDs("Accounts.Relationships", ids); err != nil {
		return nil, err
	}
	// A single ID goes as id and several as id[], as Mastodon.py sends
	// them; the server reads both forms alike.
	key := "id[]"
	if len(ids) == 1 {
		key = "id"
	}
	var q form.Values
	for _, id := range ids {
		q.Add(key, id)
	}
	rest, err := form.Marshal(o)
	if err != nil {
		return nil, illegalArg(err.Error())
	}
	q = append(q, rest...)
	return callSlice[Relationship](ctx, s.c, req{Method: http.MethodGet, Path: "/api/v1/accounts/relationships", Query: q}, opts)
}

// AccountSearchOptions adjust Accounts.Search.
type AccountSearchOptions struct {
	// Limit caps the number of results (server default 40, max 80).
	Limit int `form:"limit"`
	// Offset skips the first results.
	Offset int `form:"offset"`
	// Resolve looks the address up by WebFinger when it is unknown.
	Resolve bool `form:"resolve"`
	// Following keeps accounts the current user follows.
	Following bool `form:"following"`
}

// Search finds accounts by username, display name or address. Pages
// continue by offset.
//
//api:endpoint GET /api/v1/accounts/search
//api:since 0.0.0
//api:changed 2.8.0
func (s *AccountsService) Search(ctx context.Context, q string, o *AccountSearchOptions, opts ...CallOption) (*Page[Account], error) {
	if strings.TrimSpace(q) == "" {
		return nil, illegalArg("Accounts.Search: empty query")
	}
	query := struct {
		Q string `form:"q"`
		*AccountSearchOptions
	}{q, o}
	return callOffsetList[Account](ctx, s.c, req{Method: http.MethodGet, Path: "/api/v1/accounts/search", Query: query}, opts)
}

// SearchAll iterates over all accounts matching q, page after page.
func (s *AccountsService) SearchAll(ctx context.Context, q string, o *AccountSearchOptions, opts ...CallOption) iter.Seq2[*Account, error] {
	return iterate(ctx, func() (*Page[Account], error) { return s.Search(ctx, q, o, opts...) })
}

// Lookup finds an account by its address (user or user@domain) without
// searching; it does not resolve unknown remote accounts.
//
//api:endpoint GET /api/v1/accounts/lookup
//api:since 3.4.0
func (s *AccountsService) Lookup(ctx context.Context, acct string, opts ...CallOption) (*Account, error) {
	acct = strings.TrimPrefix(strings.TrimSpace(acct), "@")
	if acct == "" {
		return nil, illegalArg("Accounts.Lookup: empty address")
	}
	return call[Account](ctx, s.c, req{Method: http.MethodGet, Path: "/api/v1/accounts/lookup", Query: url.Values{"acct": {acct}}}, opts)
}

// Lists returns the current user's lists that contain the account.
//
//api:endpoint GET /api/v1/accounts/{id}/lists
//api:since 2.1.0
func (s *AccountsService) Lists(ctx context.Context, id string, opts ...CallOption) ([]*List, error) {
	return callSlice[List](ctx, s.c, req{Method: http.MethodGet, Path: "/api/v1/accounts/{id}/lists", Params: []string{id}}, opts)
}

// FeaturedTags returns the hashtags an account features on its profile.
//
//api:endpoint GET /api/v1/accounts/{id}/featured_tags
//api:since 3.3.0
func (s *AccountsService) FeaturedTags(ctx context.Context, id string, opts ...CallOption) ([]*FeaturedTag, error) {
	return callSlice[FeaturedTag](ctx, s.c, req{Method: http.MethodGet, Path: "/api/v1/accounts/{id}/featured_tags", Params: []string{id}}, opts)
}

// IdentityProofs returns an account's identity proofs. The feature is gone
// from Mastodon 3.5 on, which answers an empty list.
//
//api:endpoint GET /api/v1/accounts/{id}/identity_proofs
//api:since 2.8.0
//api:changed 3.5.0
func (s *AccountsService) IdentityProofs(ctx context.Context, id string, opts ...CallOption) ([]*IdentityProof, error) {
	return callSlice[IdentityProof](ctx, s.c, req{Method: http.MethodGet, Path: "/api/v1/accounts/{id}/identity_proofs", Params: []string{id}}, opts)
}

// FamiliarFollowers returns, for each account, the accounts the current
// user follows that also follow it.
//
//api:endpoint GET /api/v1/accounts/familiar_followers
//api:since 3.5.0
func (s *AccountsService) FamiliarFollowers(ctx context.Context, ids []string, opts ...CallOption) ([]*FamiliarFollowers, error) {
	if err := checkIDs("Accounts.FamiliarFollowers", ids); err != nil {
		return nil, err
	}
	return callSlice[FamiliarFollowers](ctx, s.c, req{Method: http.MethodGet, Path: "/api/v1/accounts/familiar_followers", Query: idsQuery{IDs: ids}}, opts)
}

// FollowParams adjust Accounts.Follow. Following an account already
// followed updates these settings.
type FollowParams struct {
	// Reblogs shows the account's boosts in the home timeline (server
	// default true).
	Reblogs *bool `form:"reblogs"`
	// Notify notifies the current user of each new status (3.3.0+).
	Notify *bool `form:"notify"`
	// Languages keeps only statuses in these ISO 639-1 languages in the
	// home timeline (4.0.0+); empty means all.
	Languages []string `form:"languages"`
}

// Follow follows an account (or requests to, if it is locked). p is
// optional, as every Params argument in this package: nil follows with the
// server's defaults, Follow(ctx, id, nil).
//
//api:endpoint POST /api/v1/accounts/{id}/follow
//api:since 0.0.0
//api:changed 4.0.0
func (s *AccountsService) Follow(ctx context.Context, id string, p *FollowParams, opts ...CallOption) (*Relationship, error) {
	r := req{Method: http.MethodPost, Path: "/api/v1/accounts/{id}/follow", Params: []string{id}}
	if p != nil {
		q := *p
		r.Form = &q
	}
	return call[Relationship](ctx, s.c, r, opts)
}

// Unfollow stops following an account or withdraws a follow request.
//
//api:endpoint POST /api/v1/accounts/{id}/unfollow
//api:since 0.0.0
//api:changed 3.5.0
func (s *AccountsService) Unfollow(ctx context.Context, id string, opts ...CallOption) (*Relationship, error) {
	return s.relate(ctx, "/api/v1/accounts/{id}/unfollow", id, opts)
}

// RemoveFromFollowers makes an account stop following the current user.
//
//api:endpoint POST /api/v1/accounts/{id}/remove_from_followers
//api:since 3.5.0
func (s *AccountsService) RemoveFromFollowers(ctx context.Context, id string, opts ...CallOption) (*Relationship, error) {
	return s.relate(ctx, "/api/v1/accounts/{id}/remove_from_followers", id, opts)
}

// Block blocks an account; it also stops follows both ways.
//
//api:endpoint POST /api/v1/accounts/{id}/block
//api:since 0.0.0
//api:changed 3.5.0
func (s *AccountsService) Block(ctx context.Context, id string, opts ...CallOption) (*Relationship, error) {
	return s.relate(ctx, "/api/v1/accounts/{id}/block", id, opts)
}

// Unblock unblocks an account.
//
//api:endpoint POST /api/v1/accounts/{id}/unblock
//api:since 0.0.0
//api:changed 3.5.0
func (s *AccountsService) Unblock(ctx context.Context, id string, opts ...CallOption) (*Relationship, error) {
	return s.relate(ctx, "/api/v1/accounts/{id}/unblock", id, opts)
}

// MuteParams adjust Accounts.Mute.
type MuteParams struct {
	// Notifications also mutes notifications from the account (server
	// default true); set it to a false pointer to mute statuses only.
	Notifications *bool `form:"notifications"`
	// Duration ends the mute after this long, rounded down to seconds;
	// zero mutes until unmuted.
	Duration time.Duration `form:"duration"`
}

// Mute hides an account's statuses (and by default its notifications).
//
//api:endpoint POST /api/v1/accounts/{id}/mute
//api:since 0.0.0
//api:changed 3.5.0
func (s *AccountsService) Mute(ctx context.Context, id string, p *MuteParams, opts ...CallOption) (*Relationship, error) {
	r := req{Method: http.MethodPost, Path: "/api/v1/accounts/{id}/mute", Params: []string{id}}
	if p != nil {
		if p.Duration < 0 {
			return nil, illegalArg("Accounts.Mute: negative duration")
		}
		r.Form = p
	}
	return call[Relationship](ctx, s.c, r, opts)
}

// Unmute unmutes an account.
//
//api:endpoint POST /api/v1/accounts/{id}/unmute
//api:since 0.0.0
//api:changed 3.5.0
func (s *AccountsService) Unmute(ctx context.Context, id string, opts ...CallOption) (*Relationship, error) {
	return s.relate(ctx, "/api/v1/accounts/{id}/unmute", id, opts)
}

// Endorse features an account the current user follows on their profile.
//
//api:endpoint POST /api/v1/accounts/{id}/endorse
//api:since 4.4.0
func (s *AccountsService) Endorse(ctx context.Context, id string, opts ...CallOption) (*Relationship, error) {
	return s.relate(ctx, "/api/v1/accounts/{id}/endorse", id, opts)
}

// Unendorse stops featuring an account on the current user's profile.
//
//api:endpoint POST /api/v1/accounts/{id}/unendorse
//api:since 4.4.0
func (s *AccountsService) Unendorse(ctx context.Context, id string, opts ...CallOption) (*Relationship, error) {
	return s.relate(ctx, "/api/v1/accounts/{id}/unendorse", id, opts)
}

// Pin features an account on the profile: the endpoint servers before
// 4.4.0 offer, kept on later ones as an alias of Endorse.
//
//api:endpoint POST /api/v1/accounts/{id}/pin
//api:since 2.5.0
//api:changed 4.4.0
func (s *AccountsService) Pin(ctx context.Context, id string, opts ...CallOption) (*Relationship, error) {
	return s.relate(ctx, "/api/v1/accounts/{id}/pin", id, opts)
}

// Unpin is the pre-4.4.0 form of Unendorse.
//
//api:endpoint POST /api/v1/accounts/{id}/unpin
//api:since 2.5.0
//api:changed 4.4.0
func (s *AccountsService) Unpin(ctx context.Context, id string, opts ...CallOption) (*Relationship, error) {
	return s.relate(ctx, "/api/v1/accounts/{id}/unpin", id, opts)
}

// SetNote sets the current user's private note on an account; an empty
// comment removes it.
//
//api:endpoint POST /api/v1/accounts/{id}/note
//api:since 3.2.0
func (s *AccountsService) SetNote(ctx context.Context, id, comment string, opts ...CallOption) (*Relationship, error) {
	return call[Relationship](ctx, s.c, req{Method: http.MethodPost, Path: "/api/v1/accounts/{id}/note", Params: []string{id},
		Form: url.Values{"comment": {comment}}}, opts)
}

// relate posts to a bodiless account action answering a Relationship.
func (s *AccountsService) relate(ctx context.Context, path, id string, opts []CallOption) (*Relationship, error) {
	return call[Relationship](ctx, s.c, req{Method: http.MethodPost, Path: path, Params: []string{id}}, opts)
}

// RegisterParams describe a new account for Accounts.Register.
type RegisterParams struct {
	// Username, Email and Password are sent even when empty: the server
	// validates every field and answers which ones fail.
	Username string `form:"username,always"`
	Email    string `form:"email,always"`
	Password string `form:"password,always"`
	// Agreement says the user accepted the server's rules and terms; the
	// server refuses the sign-up without it.
	Agreement bool `form:"agreement"`
	// Locale is the language of the confirmation email (e.g. "en"); the
	// API requires it, so when empty the client's language (WithLanguage)
	// is sent, else "en".
	Locale string `form:"locale"`
	// Reason is read by moderators when sign-ups need approval.
	Reason string `form:"reason"`
	// DateOfBirth (YYYY-MM-DD) is required by servers with a minimum age
	// (4.4.0+).
	DateOfBirth string `form:"date_of_birth"`
	// Scopes are asked for the app token fetched when the client has only
	// client credentials (default read write follow push). The new user's
	// token gets the app token's scopes.
	Scopes []string `form:"-"`
}

// String keeps %v from printing the password.
func (p RegisterParams) String() string {
	return "mastodon.RegisterParams{Username: " + p.Username + ", Email: " + p.Email + ", Password: [redacted]}"
}

// GoString keeps %#v from printing the password.
func (p RegisterParams) GoString() string { return p.String() }

// Register signs a new user up and returns the new user's access token;
// it works until the email address is confirmed only for the calls the
// server allows unconfirmed users. The client must carry an app token
// (OAuth client credentials grant); a client with only a client ID and
// secret fetches one first. Validation failures come back as an
// *APIError with status 422 and per-field Details.
//
//api:endpoint POST /api/v1/accounts
//api:endpoint POST /oauth/token
//api:since 2.7.0
//api:changed 4.4.0
func (s *AccountsService) Register(ctx context.Context, p *RegisterParams, opts ...CallOption) (*Token, error) {
	if p == nil {
		return nil, illegalArg("Accounts.Register: nil params")
	}
	c := s.c
	if !c.HasToken() {
		if c.cfg.clientID == "" {
			return nil, illegalArg("Accounts.Register: the client has neither an app token nor client credentials")
		}
		scopes := p.Scopes
		if len(scopes) == 0 {
			scopes = []string{"read", "write", "follow", "push"}
		}
		tok, err := call[Token](ctx, c, req{Method: http.MethodPost, Path: "/oauth/token", Auth: authNone, NoVersionCheck: true,
			Form: url.Values{
				"grant_type":    {"client_credentials"},
				"redirect_uri":  {c.appRedirectURI()},
				"client_id":     {c.cfg.clientID},
				"client_secret": {c.cfg.clientSecret},
				"scope":         {strings.Join(scopes, " ")},
			}}, nil)
		if err != nil {
			return nil, err
		}
		if tok.AccessToken == "" {
			return nil, &DecodeError{Method: http.MethodPost, URL: "/oauth/token", Err: errors.New("token response without access_token")}
		}
		if c, err = c.WithToken(tok.AccessToken); err != nil {
			return nil, err
		}
	}
	rp := *p
	if rp.Locale == "" {
		rp.Locale = cmp.Or(c.cfg.lang, "en")
	}
	return call[Token](ctx, c, req{Method: http.MethodPost, Path: "/api/v1/accounts", Form: &rp}, opts)
}

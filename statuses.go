package mastodon

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"iter"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/tuskgo/mastodon/internal/form"
)

// Get returns a status.
//
//api:endpoint GET /api/v1/statuses/{id}
//api:since 0.0.0
//api:changed 2.7.0
func (s *StatusesService) Get(ctx context.Context, id string, opts ...CallOption) (*Status, error) {
	return call[Status](ctx, s.c, req{Method: http.MethodGet, Path: "/api/v1/statuses/{id}", Params: []string{id}}, opts)
}

// GetMany returns several statuses by ID in one request; statuses the
// user may not see are left out.
//
//api:endpoint GET /api/v1/statuses
//api:since 4.3.0
func (s *StatusesService) GetMany(ctx context.Context, ids []string, opts ...CallOption) ([]*Status, error) {
	if err := checkIDs("Statuses.GetMany", ids); err != nil {
		return nil, err
	}
	return callSlice[Status](ctx, s.c, req{Method: http.MethodGet, Path: "/api/v1/statuses", Query: idsQuery{IDs: ids}}, opts)
}

// PostStatusParams describe a new status. Status, MediaIDs or Poll must be
// given; media and a poll exclude each other.
type PostStatusParams struct {
	// Status is the text, in plain text (servers parse mentions, hashtags
	// and links; Pleroma also reads ContentType).
	Status string `form:"status"`
	// MediaIDs attach uploaded media (see Media.Upload).
	MediaIDs []string `form:"media_ids"`
	// Poll attaches a poll (see NewPoll).
	Poll *PollParams `form:"poll"`
	// InReplyToID makes the status a reply.
	InReplyToID string `form:"in_reply_to_id"`
	// Sensitive marks the media sensitive; nil leaves it to the user's
	// preference (which may be "always"), so Ptr(false) is sent as an
	// explicit false.
	Sensitive *bool `form:"sensitive"`
	// SpoilerText is a content warning shown before the text.
	SpoilerText string `form:"spoiler_text"`
	// Visibility defaults to the user's preference when empty.
	Visibility StatusVisibility `form:"visibility"`
	// Language is the ISO 639-1 code of the text; detected when empty.
	Language string `form:"language"`
	// ScheduledAt, when set, schedules the status (at least five minutes
	// ahead): the answer is then a ScheduledStatus.
	ScheduledAt time.Time `form:"scheduled_at"`
	// QuotedStatusID quotes a status (4.5.0+).
	QuotedStatusID string `form:"quoted_status_id"`
	// QuoteApprovalPolicy says who may quote this status (4.5.0+).
	QuoteApprovalPolicy QuotePolicy `form:"quote_approval_policy"`
	// AllowedMentions, when not empty, lists the only account IDs the
	// status may mention: Mastodon refuses a post mentioning anyone else
	// (422, the error body naming the unexpected_accounts). The web
	// interface uses it to keep a private mention from widening.
	AllowedMentions []string `form:"allowed_mentions"`
	// ContentType is the MIME type of Status ("text/markdown", …); only
	// with the Pleroma feature set.
	ContentType string `form:"content_type"`
	// QuoteID quotes a status the Fedibird way; only with the Fedibird
	// feature set.
	QuoteID string `form:"quote_id"`
}

// checkPost refuses params the server would refuse, or that need another
// feature set.
func (s *StatusesService) checkPost(p *PostStatusParams) error {
	if p == nil {
		return illegalArg("Statuses.Post: nil params")
	}
	if strings.TrimSpace(p.Status) == "" && len(p.MediaIDs) == 0 && p.Poll == nil {
		return illegalArg("Statuses.Post: no text, media or poll")
	}
	if len(p.MediaIDs) > 0 && p.Poll != nil {
		return illegalArg("Statuses.Post: media and a poll cannot go together")
	}
	fs := s.c.cfg.featureSet
	if p.ContentType != "" && fs != FeatureSetPleroma {
		return illegalArg("Statuses.Post: ContentType needs the pleroma feature set")
	}
	if p.QuoteID != "" && fs != FeatureSetFedibird {
		return illegalArg("Statuses.Post: QuoteID needs the fedibird feature set")
	}
	for _, id := range p.MediaIDs {
		if strings.TrimSpace(id) == "" {
			return illegalArg("Statuses.Post: empty media ID")
		}
	}
	for _, id := range p.AllowedMentions {
		if strings.TrimSpace(id) == "" {
			return illegalArg("Statuses.Post: empty account ID in AllowedMentions")
		}
	}
	if p.Poll != nil {
		return p.Poll.check("Statuses.Post")
	}
	return nil
}

// PostedStatus is the answer to posting: the new Status, or, when the post
// was scheduled, the ScheduledStatus. Exactly one is set. The embedded
// *Status makes the fields of an immediate post reachable directly
// (posted.ID, posted.URL).
type PostedStatus struct {
	*Status
	Scheduled *ScheduledStatus
}

// String prints the status or the scheduled status, whichever is set,
// with values rather than addresses (see Status.String).
func (p *PostedStatus) String() string {
	if p != nil && p.Scheduled != nil {
		return stringify(p.Scheduled)
	}
	if p == nil || p.Status == nil {
		return "<nil>"
	}
	return stringify(p.Status)
}

// IsScheduled reports whether the server scheduled the post instead of
// publishing it.
func (p *PostedStatus) IsScheduled() bool { return p != nil && p.Scheduled != nil }

// UnmarshalJSON tells the two answers apart: a scheduled status carries
// params and scheduled_at.
func (p *PostedStatus) UnmarshalJSON(b []byte) error {
	var probe map[string]json.RawMessage
	if err := unmarshalJSON(b, &probe); err != nil {
		return err
	}
	params, hasParams := probe["params"]
	_, hasAt := probe["scheduled_at"]
	_, hasContent := probe["content"]
	if hasParams && hasAt && !hasContent && len(bytes.TrimSpace(params)) > 0 && bytes.TrimSpace(params)[0] == '{' {
		ss := new(ScheduledStatus)
		if err := unmarshalJSON(b, ss); err != nil {
			return err
		}
		p.Status, p.Scheduled = nil, ss
		return nil
	}
	st := new(Status)
	if err := unmarshalJSON(b, st); err != nil {
		return err
	}
	p.Status, p.Scheduled = st, nil
	return nil
}

// MarshalJSON encodes whichever answer arrived.
func (p PostedStatus) MarshalJSON() ([]byte, error) {
	if p.Scheduled != nil {
		return marshalJSON(p.Scheduled)
	}
	return marshalJSON(p.Status)
}

// Post publishes (or schedules) a status. Every post carries an
// Idempotency-Key, generated unless the call passes CallIdempotencyKey. A
// post whose answer was lost (network error, 502/503/504) is retried as
// the retry policy says, and never appears twice: on families known to
// honour the key (Mastodon, glitch-soc, Hometown, Fedibird, Pleroma,
// Akkoma) the retry repeats it; elsewhere (GoToSocial, which ignores it,
// Misskey forks, unknown servers) Tusk first looks among the user's newest
// statuses (or scheduled statuses) for one matching what was sent, created
// since the first attempt, and returns it instead of posting again; while
// that look cannot be had, nothing is re-sent. See docs/families.md.
//
//api:endpoint POST /api/v1/statuses
//api:since 0.0.0
//api:changed 4.5.0
func (s *StatusesService) Post(ctx context.Context, p *PostStatusParams, opts ...CallOption) (*PostedStatus, error) {
	if err := s.checkPost(p); err != nil {
		return nil, err
	}
	// A poll goes as JSON (its members nested), anything else as a form,
	// as Mastodon.py sends them.
	r := req{Method: http.MethodPost, Path: "/api/v1/statuses", Form: p}
	if p.Poll != nil {
		r.Form, r.JSON = nil, formJSON{p}
	}
	opts = append([]CallOption{CallIdempotencyKey(newIdempotencyKey())}, opts...)
	return s.postOnce(ctx, r, p, opts)
}

// ReplyOptions adjust Statuses.Reply.
type ReplyOptions struct {
	// Untag mentions only the author of the status replied to, not
	// everyone it mentions.
	Untag bool
	// SelfID is the current user's account ID; when empty, Reply asks the
	// server (Accounts.VerifyCredentials).
	SelfID string
}

// StatusRef is a status to act on: a *Status, or the *PostedStatus that
// Statuses.Post returns (a scheduled post has no status yet and is
// refused).
type StatusRef interface {
	refStatus() *Status
}

func (s *Status) refStatus() *Status { return s }

func (p *PostedStatus) refStatus() *Status {
	if p == nil {
		return nil
	}
	return p.Status
}

// Reply answers a status much as Mastodon.py's status_reply does: the text
// is prefixed with mentions of the author and of everyone the status
// mentions, and the visibility and content warning of the status are kept
// unless p sets its own. A boost is answered by replying to the boosted
// status. to is a *Status or what Post returned. One deliberate difference: the
// current user is never mentioned, not even as the author of the status
// (a reply to oneself, as in a thread). Mastodon.py always mentions the
// author, so replying to your own post there starts with your own @name;
// add it to p.Status to get that.
//
//api:endpoint POST /api/v1/statuses
//api:endpoint GET /api/v1/accounts/verify_credentials
//api:since 0.0.0
//api:changed 4.5.0
func (s *StatusesService) Reply(ctx context.Context, ref StatusRef, p *PostStatusParams, o *ReplyOptions, opts ...CallOption) (*PostedStatus, error) {
	var to *Status
	if ref != nil {
		to = ref.refStatus()
	}
	if to == nil {
		if ps, ok := ref.(*PostedStatus); ok && ps.IsScheduled() {
			return nil, illegalArg("Statuses.Reply: a scheduled status cannot be replied to before it is published")
		}
		return nil, illegalArg("Statuses.Reply: nil status")
	}
	if to.Reblog != nil {
		to = to.Reblog
	}
	if to.ID == "" {
		return nil, illegalArg("Statuses.Reply: status without an ID")
	}
	var q PostStatusParams
	if p != nil {
		q = *p
	}
	self := ""
	untag := false
	if o != nil {
		self, untag = o.SelfID, o.Untag
	}
	if self == "" {
		me, err := (*AccountsService)(s).VerifyCredentials(ctx)
		if err != nil {
			return nil, err
		}
		self = me.ID
	}
	var mentions []string
	seen := map[string]bool{self: true}
	addMention := func(id, acct string) {
		if acct == "" || seen[id] {
			return
		}
		seen[id] = true
		mentions = append(mentions, "@"+acct)
	}
	addMention(to.Account.ID, to.Account.Acct)
	if !untag {
		for _, m := range to.Mentions {
			addMention(m.ID, m.Acct)
		}
	}
	if len(mentions) > 0 {
		q.Status = strings.Join(mentions, " ") + " " + q.Status
	}
	if q.Visibility == "" {
		q.Visibility = to.Visibility
	}
	if q.SpoilerText == "" {
		q.SpoilerText = to.SpoilerText
	}
	q.InReplyToID = to.ID
	return s.Post(ctx, &q, opts...)
}

// MediaAttribute changes one attached medium when editing a status.
type MediaAttribute struct {
	// ID is the attachment's ID; it must also be in MediaIDs.
	ID string `form:"id,always"`
	// Description is the new alt text.
	Description *string `form:"description"`
	// Focus is the new focal point, sent as "x,y".
	Focus *FocusPoint `form:"focus"`
	// Thumbnail replaces the preview image of an audio or video
	// attachment. It is streamed: an edit carrying one is sent as
	// multipart/form-data instead of JSON, and is not retried.
	Thumbnail *File `form:"-"`
}

// EditStatusParams are the new contents of an edited status. An edit
// replaces the status as a whole: a content warning, media or a poll not
// given again are removed.
type EditStatusParams struct {
	// Status, SpoilerText and Sensitive are sent even when empty or
	// false: the edit replaces them.
	Status      string `form:"status,always"`
	SpoilerText string `form:"spoiler_text,always"`
	Sensitive   bool   `form:"sensitive,always"`
	Language    string `form:"language"`
	// MediaIDs are the attachments to keep or add, in order.
	MediaIDs []string `form:"media_ids"`
	// MediaAttributes change the description or focus of attachments
	// (4.1.0+).
	MediaAttributes []MediaAttribute `form:"media_attributes"`
	// Poll replaces the poll; changing it resets its votes.
	Poll *PollParams `form:"poll"`
	// QuoteApprovalPolicy says who may quote the status (4.5.0+).
	QuoteApprovalPolicy QuotePolicy `form:"quote_approval_policy"`
	// Progress, when set, is told how many bytes of thumbnails went out.
	Progress func(sent, total int64)
}

// Edit changes a status's text, content warning, sensitivity, language,
// media (with their descriptions, focal points and thumbnails) and poll.
// The body is JSON, or multipart/form-data when a MediaAttribute carries a
// Thumbnail: the server takes thumbnails in the edit itself
// (media_attributes[][thumbnail]), while PUT /api/v1/media/{id} refuses
// media already attached to a status.
//
//api:endpoint PUT /api/v1/statuses/{id}
//api:since 3.5.0
//api:changed 4.5.0
func (s *StatusesService) Edit(ctx context.Context, id string, p *EditStatusParams, opts ...CallOption) (*Status, error) {
	if p == nil {
		return nil, illegalArg("Statuses.Edit: nil params")
	}
	if strings.TrimSpace(p.Status) == "" && len(p.MediaIDs) == 0 && p.Poll == nil {
		return nil, illegalArg("Statuses.Edit: no text, media or poll")
	}
	if len(p.MediaIDs) > 0 && p.Poll != nil {
		return nil, illegalArg("Statuses.Edit: media and a poll cannot go together")
	}
	inMedia := map[string]bool{}
	for _, m := range p.MediaIDs {
		if strings.TrimSpace(m) == "" {
			return nil, illegalArg("Statuses.Edit: empty media ID")
		}
		inMedia[m] = true
	}
	thumbs := false
	for _, a := range p.MediaAttributes {
		if !inMedia[a.ID] {
			return nil, illegalArg("Statuses.Edit: media attribute for " + strconv.Quote(a.ID) + ", which is not in MediaIDs")
		}
		if a.Thumbnail != nil {
			if a.Thumbnail.Reader == nil {
				return nil, illegalArg("Statuses.Edit: the thumbnail for " + strconv.Quote(a.ID) + " has no reader")
			}
			thumbs = true
		}
	}
	if p.Poll != nil {
		if err := p.Poll.check("Statuses.Edit"); err != nil {
			return nil, err
		}
	}
	r := req{Method: http.MethodPut, Path: "/api/v1/statuses/{id}", Params: []string{id}, JSON: formJSON{p}}
	if thumbs {
		fields, files, err := p.multipart()
		if err != nil {
			return nil, err
		}
		a := newUploadAttempt(files)
		defer a.detach()
		r.JSON, r.Form, r.Files, r.Progress = nil, fields, a.parts, p.Progress
	}
	return call[Status](ctx, s.c, r, opts)
}

// multipart lays out an edit carrying thumbnails. Rails splits
// media_attributes[][…] into one hash per attachment by order, a new one
// starting at each [id], so each thumbnail goes right after its
// attachment's text fields.
func (p *EditStatusParams) multipart() (form.Values, []filePart, error) {
	q := *p
	q.MediaAttributes, q.Poll = nil, nil
	f, err := form.Marshal(&q)
	if err != nil {
		return nil, nil, illegalArg("Statuses.Edit: " + err.Error())
	}
	var files []filePart
	for _, a := range p.MediaAttributes {
		f.Add("media_attributes[][id]", a.ID)
		if a.Description != nil {
			f.Add("media_attributes[][description]", *a.Description)
		}
		if a.Focus != nil {
			focus, err := a.Focus.encode()
			if err != nil {
				return nil, nil, err
			}
			f.Add("media_attributes[][focus]", focus)
		}
		if a.Thumbnail != nil {
			files = append(files, filePart{Field: "media_attributes[][thumbnail]", File: *a.Thumbnail, After: len(f)})
		}
	}
	return f, files, nil
}

// History returns every revision of a status, oldest first.
//
//api:endpoint GET /api/v1/statuses/{id}/history
//api:since 3.5.0
func (s *StatusesService) History(ctx context.Context, id string, opts ...CallOption) ([]*StatusEdit, error) {
	return callSlice[StatusEdit](ctx, s.c, req{Method: http.MethodGet, Path: "/api/v1/statuses/{id}/history", Params: []string{id}}, opts)
}

// Source returns the plain text and content warning of a status, for
// editing.
//
//api:endpoint GET /api/v1/statuses/{id}/source
//api:since 3.5.0
func (s *StatusesService) Source(ctx context.Context, id string, opts ...CallOption) (*StatusSource, error) {
	return call[StatusSource](ctx, s.c, req{Method: http.MethodGet, Path: "/api/v1/statuses/{id}/source", Params: []string{id}}, opts)
}

// DeleteStatusOptions adjust Statuses.Delete.
type DeleteStatusOptions struct {
	// DeleteMedia removes the attachments at once instead of keeping them
	// for a redraft (4.4.0+).
	DeleteMedia bool `form:"delete_media"`
}

// Delete deletes a status and returns it with its source Text (and no
// Content), ready for a redraft. Very old servers answer an empty object.
//
//api:endpoint DELETE /api/v1/statuses/{id}
//api:since 0.0.0
//api:changed 4.4.0
func (s *StatusesService) Delete(ctx context.Context, id string, o *DeleteStatusOptions, opts ...CallOption) (*Status, error) {
	return call[Status](ctx, s.c, req{Method: http.MethodDelete, Path: "/api/v1/statuses/{id}", Params: []string{id}, Query: o}, opts)
}

// Context returns the statuses above and below one in its thread.
//
//api:endpoint GET /api/v1/statuses/{id}/context
//api:since 0.0.0
//api:changed 4.5.0
func (s *StatusesService) Context(ctx context.Context, id string, opts ...CallOption) (*Context, error) {
	return call[Context](ctx, s.c, req{Method: http.MethodGet, Path: "/api/v1/statuses/{id}/context", Params: []string{id}}, opts)
}

// RebloggedBy lists the accounts that boosted a status.
//
//api:endpoint GET /api/v1/statuses/{id}/reblogged_by
//api:since 0.0.0
func (s *StatusesService) RebloggedBy(ctx context.Context, id string, o *ListOptions, opts ...CallOption) (*Page[Account], error) {
	return callList[Account](ctx, s.c, req{Method: http.MethodGet, Path: "/api/v1/statuses/{id}/reblogged_by", Params: []string{id}, Query: o}, opts)
}

// RebloggedByAll iterates over the accounts that boosted a status.
func (s *StatusesService) RebloggedByAll(ctx context.Context, id string, o *ListOptions, opts ...CallOption) iter.Seq2[*Account, error] {
	return iterate(ctx, func() (*Page[Account], error) { return s.RebloggedBy(ctx, id, o, opts...) })
}

// FavouritedBy lists the accounts that favourited a status.
//
//api:endpoint GET /api/v1/statuses/{id}/favourited_by
//api:since 0.0.0
func (s *StatusesService) FavouritedBy(ctx context.Context, id string, o *ListOptions, opts ...CallOption) (*Page[Account], error) {
	return callList[Account](ctx, s.c, req{Method: http.MethodGet, Path: "/api/v1/statuses/{id}/favourited_by", Params: []string{id}, Query: o}, opts)
}

// FavouritedByAll iterates over the accounts that favourited a status.
func (s *StatusesService) FavouritedByAll(ctx context.Context, id string, o *ListOptions, opts ...CallOption) iter.Seq2[*Account, error] {
	return iterate(ctx, func() (*Page[Account], error) { return s.FavouritedBy(ctx, id, o, opts...) })
}

// Quotes lists the statuses quoting a status of the current user.
//
//api:endpoint GET /api/v1/statuses/{id}/quotes
//api:since 4.5.0
func (s *StatusesService) Quotes(ctx context.Context, id string, o *ListOptions, opts ...CallOption) (*Page[Status], error) {
	return callList[Status](ctx, s.c, req{Method: http.MethodGet, Path: "/api/v1/statuses/{id}/quotes", Params: []string{id}, Query: o}, opts)
}

// QuotesAll iterates over the statuses quoting a status.
func (s *StatusesService) QuotesAll(ctx context.Context, id string, o *ListOptions, opts ...CallOption) iter.Seq2[*Status, error] {
	return iterate(ctx, func() (*Page[Status], error) { return s.Quotes(ctx, id, o, opts...) })
}

// RevokeQuote withdraws the permission for quotingStatusID to quote the
// current user's status id.
//
//api:endpoint POST /api/v1/statuses/{id}/quotes/{quoting_status_id}/revoke
//api:since 4.5.0
func (s *StatusesService) RevokeQuote(ctx context.Context, id, quotingStatusID string, opts ...CallOption) (*Status, error) {
	return call[Status](ctx, s.c, req{Method: http.MethodPost, Path: "/api/v1/statuses/{id}/quotes/{quoting_status_id}/revoke",
		Params: []string{id, quotingStatusID}}, opts)
}

// UpdateInteractionPolicy changes who may quote a status.
//
//api:endpoint PUT /api/v1/statuses/{id}/interaction_policy
//api:since 4.5.0
func (s *StatusesService) UpdateInteractionPolicy(ctx context.Context, id string, policy QuotePolicy, opts ...CallOption) (*Status, error) {
	if policy == "" {
		return nil, illegalArg("Statuses.UpdateInteractionPolicy: empty policy")
	}
	return call[Status](ctx, s.c, req{Method: http.MethodPut, Path: "/api/v1/statuses/{id}/interaction_policy", Params: []string{id},
		Form: url.Values{"quote_approval_policy": {string(policy)}}}, opts)
}

// ReblogParams adjust Statuses.Reblog.
type ReblogParams struct {
	// Visibility of the boost: public, unlisted or private.
	Visibility StatusVisibility `form:"visibility"`
}

// Reblog boosts a status and returns the boost (whose Reblog is the
// status).
//
//api:endpoint POST /api/v1/statuses/{id}/reblog
//api:since 0.0.0
//api:changed 2.8.0
func (s *StatusesService) Reblog(ctx context.Context, id string, p *ReblogParams, opts ...CallOption) (*Status, error) {
	r := req{Method: http.MethodPost, Path: "/api/v1/statuses/{id}/reblog", Params: []string{id}}
	if p != nil && p.Visibility != "" {
		r.Form = url.Values{"visibility": {string(p.Visibility)}}
	}
	return call[Status](ctx, s.c, r, opts)
}

// Unreblog undoes a boost and returns the status.
//
//api:endpoint POST /api/v1/statuses/{id}/unreblog
//api:since 0.0.0
func (s *StatusesService) Unreblog(ctx context.Context, id string, opts ...CallOption) (*Status, error) {
	return s.act(ctx, "/api/v1/statuses/{id}/unreblog", id, opts)
}

// Favourite marks a status as a favourite and returns it.
//
//api:endpoint POST /api/v1/statuses/{id}/favourite
//api:since 0.0.0
func (s *StatusesService) Favourite(ctx context.Context, id string, opts ...CallOption) (*Status, error) {
	return s.act(ctx, "/api/v1/statuses/{id}/favourite", id, opts)
}

// Unfavourite removes a status from the favourites and returns it.
//
//api:endpoint POST /api/v1/statuses/{id}/unfavourite
//api:since 0.0.0
func (s *StatusesService) Unfavourite(ctx context.Context, id string, opts ...CallOption) (*Status, error) {
	return s.act(ctx, "/api/v1/statuses/{id}/unfavourite", id, opts)
}

// Bookmark bookmarks a status and returns it.
//
//api:endpoint POST /api/v1/statuses/{id}/bookmark
//api:since 3.1.0
func (s *StatusesService) Bookmark(ctx context.Context, id string, opts ...CallOption) (*Status, error) {
	return s.act(ctx, "/api/v1/statuses/{id}/bookmark", id, opts)
}

// Unbookmark removes a bookmark and returns the status.
//
//api:endpoint POST /api/v1/statuses/{id}/unbookmark
//api:since 3.1.0
func (s *StatusesService) Unbookmark(ctx context.Context, id string, opts ...CallOption) (*Status, error) {
	return s.act(ctx, "/api/v1/statuses/{id}/unbookmark", id, opts)
}

// Mute stops notifications about a conversation the user takes part in.
//
//api:endpoint POST /api/v1/statuses/{id}/mute
//api:since 1.4.2
func (s *StatusesService) Mute(ctx context.Context, id string, opts ...CallOption) (*Status, error) {
	return s.act(ctx, "/api/v1/statuses/{id}/mute", id, opts)
}

// Unmute resumes notifications about a conversation.
//
//api:endpoint POST /api/v1/statuses/{id}/unmute
//api:since 1.4.2
func (s *StatusesService) Unmute(ctx context.Context, id string, opts ...CallOption) (*Status, error) {
	return s.act(ctx, "/api/v1/statuses/{id}/unmute", id, opts)
}

// Pin features one of the user's statuses on their profile.
//
//api:endpoint POST /api/v1/statuses/{id}/pin
//api:since 1.6.0
//api:changed 3.5.0
func (s *StatusesService) Pin(ctx context.Context, id string, opts ...CallOption) (*Status, error) {
	return s.act(ctx, "/api/v1/statuses/{id}/pin", id, opts)
}

// Unpin stops featuring a status on the profile.
//
//api:endpoint POST /api/v1/statuses/{id}/unpin
//api:since 1.6.0
func (s *StatusesService) Unpin(ctx context.Context, id string, opts ...CallOption) (*Status, error) {
	return s.act(ctx, "/api/v1/statuses/{id}/unpin", id, opts)
}

func (s *StatusesService) act(ctx context.Context, path, id string, opts []CallOption) (*Status, error) {
	return call[Status](ctx, s.c, req{Method: http.MethodPost, Path: path, Params: []string{id}}, opts)
}

// TranslateOptions adjust Statuses.Translate.
type TranslateOptions struct {
	// Lang is the ISO 639-1 code to translate into; empty means the
	// user's interface language.
	Lang string `form:"lang"`
}

// Translate machine-translates a status (o may be nil).
//
//api:endpoint POST /api/v1/statuses/{id}/translate
//api:since 4.0.0
func (s *StatusesService) Translate(ctx context.Context, id string, o *TranslateOptions, opts ...CallOption) (*Translation, error) {
	r := req{Method: http.MethodPost, Path: "/api/v1/statuses/{id}/translate", Params: []string{id}}
	if o != nil && o.Lang != "" {
		r.Form = o
	}
	return call[Translation](ctx, s.c, r, opts)
}

// Card returns the preview card of a status, or nil when it has none. The
// card endpoint is gone from Mastodon 3.0 on, where the card comes with the
// status itself (Status.Card): on a server implementing API level 3.0 (see
// Client.ServerInfo, detected here on first use) Card reads the status and
// never requests /card; elsewhere it asks /card and reads the status when
// that answers 404.
//
//api:endpoint GET /api/v1/statuses/{id}/card
//api:endpoint GET /api/v1/statuses/{id}
//api:since 1.0.0
//api:changed 3.0.0
func (s *StatusesService) Card(ctx context.Context, id string, opts ...CallOption) (*PreviewCard, error) {
	if id == "" {
		return nil, illegalArg("Statuses.Card: empty id")
	}
	if info, ierr := s.c.ServerInfo(ctx); ierr == nil && info.API.AtLeast(version300) {
		st, err := s.Get(ctx, id, opts...)
		if err != nil {
			return nil, err
		}
		return st.Card, nil
	}
	oc, err := call[optionalCard](ctx, s.c, req{Method: http.MethodGet, Path: "/api/v1/statuses/{id}/card", Params: []string{id}}, opts)
	if err != nil {
		if !errors.Is(err, ErrNotFound) {
			return nil, err
		}
		st, err2 := s.Get(ctx, id, opts...)
		if err2 != nil {
			return nil, err
		}
		return st.Card, nil
	}
	return oc.card, nil
}

var version300 = MustParseVersion("3.0.0")

// optionalCard is a card answer: servers send {} (or null) for none.
type optionalCard struct{ card *PreviewCard }

func (o *optionalCard) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if bytes.Equal(b, []byte("null")) || bytes.Equal(bytes.Join(bytes.Fields(b), nil), []byte("{}")) {
		o.card = nil
		return nil
	}
	o.card = new(PreviewCard)
	return unmarshalJSON(b, o.card)
}

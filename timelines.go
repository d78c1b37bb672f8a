package mastodon

import (
	"cmp"
	"context"
	"errors"
	"iter"
	"net/http"
	"net/url"
	"strings"
)

// TimelineOptions selects a page of a timeline. The zero value asks for the
// newest statuses with the server's default page size.
type TimelineOptions struct {
	// ListOptions pages the timeline (server default 20 statuses, at
	// most 40).
	// Paging, as in ListOptions: MaxID, MinID and SinceID are cursors;
	// Limit caps the page size.
	MaxID   string `form:"max_id"`
	MinID   string `form:"min_id"`
	SinceID string `form:"since_id"`
	Limit   int    `form:"limit"`
	// Local keeps only this server's statuses (public and hashtag
	// timelines).
	Local bool `form:"local"`
	// Remote keeps only other servers' statuses (public and hashtag
	// timelines).
	Remote bool `form:"remote"`
	// OnlyMedia keeps only statuses with media attachments (public and
	// hashtag timelines).
	OnlyMedia bool `form:"only_media"`
}

// HashtagTimelineOptions selects a page of a hashtag timeline.
type HashtagTimelineOptions struct {
	TimelineOptions
	// Any adds statuses that carry any of these tags as well.
	Any []string `form:"any"`
	// All keeps only statuses that carry all of these tags too.
	All []string `form:"all"`
	// None drops statuses that carry any of these tags.
	None []string `form:"none"`
}

type linkTimelineQuery struct {
	URL string `form:"url"`
	*TimelineOptions
}

// Home returns a page of the home timeline: statuses of the accounts the
// user follows, and the user's own.
//
//api:endpoint GET /api/v1/timelines/home
//api:since 0.0.0
//api:changed 4.0.0
func (s *TimelinesService) Home(ctx context.Context, o *TimelineOptions, opts ...CallOption) (*Page[Status], error) {
	return callList[Status](ctx, s.c, req{Method: http.MethodGet, Path: "/api/v1/timelines/home", Query: o}, opts)
}

// HomeAll iterates over the home timeline, newest first, page by page.
func (s *TimelinesService) HomeAll(ctx context.Context, o *TimelineOptions, opts ...CallOption) iter.Seq2[*Status, error] {
	return iterate(ctx, func() (*Page[Status], error) { return s.Home(ctx, o, opts...) })
}

// Public returns a page of the public (federated) timeline. Set Local or
// Remote in opts to narrow it to this server or to others.
//
//api:endpoint GET /api/v1/timelines/public
//api:since 0.0.0
//api:changed 4.5.0
func (s *TimelinesService) Public(ctx context.Context, o *TimelineOptions, opts ...CallOption) (*Page[Status], error) {
	return callList[Status](ctx, s.c, req{Method: http.MethodGet, Path: "/api/v1/timelines/public", Query: o}, opts)
}

// PublicAll iterates over the public timeline, page by page.
func (s *TimelinesService) PublicAll(ctx context.Context, o *TimelineOptions, opts ...CallOption) iter.Seq2[*Status, error] {
	return iterate(ctx, func() (*Page[Status], error) { return s.Public(ctx, o, opts...) })
}

// Local returns a page of the local timeline: the public timeline with
// local=true.
//
//api:endpoint GET /api/v1/timelines/public
//api:since 0.0.0
//api:changed 4.5.0
func (s *TimelinesService) Local(ctx context.Context, o *TimelineOptions, opts ...CallOption) (*Page[Status], error) {
	var q TimelineOptions
	if o != nil {
		q = *o
	}
	q.Local = true
	return callList[Status](ctx, s.c, req{Method: http.MethodGet, Path: "/api/v1/timelines/public", Query: &q}, opts)
}

// LocalAll iterates over the local timeline, page by page.
func (s *TimelinesService) LocalAll(ctx context.Context, o *TimelineOptions, opts ...CallOption) iter.Seq2[*Status, error] {
	return iterate(ctx, func() (*Page[Status], error) { return s.Local(ctx, o, opts...) })
}

// Hashtag returns a page of the statuses tagged with hashtag (given with
// or without its leading #).
//
//api:endpoint GET /api/v1/timelines/tag/{hashtag}
//api:since 0.0.0
//api:changed 4.5.0
func (s *TimelinesService) Hashtag(ctx context.Context, hashtag string, o *HashtagTimelineOptions, opts ...CallOption) (*Page[Status], error) {
	tag := strings.TrimPrefix(strings.TrimSpace(hashtag), "#")
	if tag == "" {
		return nil, illegalArg("Timelines.Hashtag: empty hashtag")
	}
	return callList[Status](ctx, s.c, req{Method: http.MethodGet, Path: "/api/v1/timelines/tag/{hashtag}", Params: []string{tag}, Query: o}, opts)
}

// HashtagAll iterates over a hashtag timeline, page by page.
func (s *TimelinesService) HashtagAll(ctx context.Context, hashtag string, o *HashtagTimelineOptions, opts ...CallOption) iter.Seq2[*Status, error] {
	return iterate(ctx, func() (*Page[Status], error) { return s.Hashtag(ctx, hashtag, o, opts...) })
}

// List returns a page of a list's timeline.
//
//api:endpoint GET /api/v1/timelines/list/{list_id}
//api:since 2.1.0
//api:changed 3.3.0
func (s *TimelinesService) List(ctx context.Context, listID string, o *TimelineOptions, opts ...CallOption) (*Page[Status], error) {
	return callList[Status](ctx, s.c, req{Method: http.MethodGet, Path: "/api/v1/timelines/list/{list_id}", Params: []string{listID}, Query: o}, opts)
}

// ListAll iterates over a list's timeline, page by page.
func (s *TimelinesService) ListAll(ctx context.Context, listID string, o *TimelineOptions, opts ...CallOption) iter.Seq2[*Status, error] {
	return iterate(ctx, func() (*Page[Status], error) { return s.List(ctx, listID, o, opts...) })
}

// Link returns a page of the statuses that share a trending link. The URL
// must be exactly as Trends.Links gives it; other URLs get ErrNotFound.
//
//api:endpoint GET /api/v1/timelines/link
//api:since 4.3.0
//api:changed 4.5.0
func (s *TimelinesService) Link(ctx context.Context, linkURL string, o *TimelineOptions, opts ...CallOption) (*Page[Status], error) {
	if strings.TrimSpace(linkURL) == "" {
		return nil, illegalArg("Timelines.Link: empty URL")
	}
	return callList[Status](ctx, s.c, req{Method: http.MethodGet, Path: "/api/v1/timelines/link", Query: linkTimelineQuery{URL: linkURL, TimelineOptions: o}}, opts)
}

// LinkAll iterates over a link's timeline, page by page.
func (s *TimelinesService) LinkAll(ctx context.Context, linkURL string, o *TimelineOptions, opts ...CallOption) iter.Seq2[*Status, error] {
	return iterate(ctx, func() (*Page[Status], error) { return s.Link(ctx, linkURL, o, opts...) })
}

// Direct returns a page of the direct-message timeline. Servers since 3.0
// removed it; use Conversations.List there.
//
//api:endpoint GET /api/v1/timelines/direct
//api:since 2.6.0
//api:changed 3.0.0
func (s *TimelinesService) Direct(ctx context.Context, o *TimelineOptions, opts ...CallOption) (*Page[Status], error) {
	return callList[Status](ctx, s.c, req{Method: http.MethodGet, Path: "/api/v1/timelines/direct", Query: o}, opts)
}

// DirectAll iterates over the direct-message timeline, page by page.
func (s *TimelinesService) DirectAll(ctx context.Context, o *TimelineOptions, opts ...CallOption) iter.Seq2[*Status, error] {
	return iterate(ctx, func() (*Page[Status], error) { return s.Direct(ctx, o, opts...) })
}

// Timeline names a timeline for Timelines.IsAvailable.
type Timeline string

// Timelines IsAvailable knows. "tag/…", "list/…" and "link…" forms, as
// Mastodon.py writes them, are accepted too.
const (
	TimelineHome    Timeline = "home"
	TimelineList    Timeline = "list"
	TimelinePublic  Timeline = "public"
	TimelineLocal   Timeline = "local"
	TimelineHashtag Timeline = "hashtag"
	TimelineLink    Timeline = "link"
)

// TimelineAvailabilityOptions refines Timelines.IsAvailable.
type TimelineAvailabilityOptions struct {
	// Local and Remote ask about the local-only or remote-only variant;
	// with neither, both parts must be open.
	Local, Remote bool
	// WithAuth says whether the reader is logged in; nil means "as this
	// client is" (it has a token).
	WithAuth *bool
}

// IsAvailable reports whether a timeline can be read, from the v2
// instance's configuration.timelines_access (Mastodon 4.5+): "public"
// feeds are open to all, "authenticated" ones to logged-in users,
// "disabled" ones to nobody. Home and list timelines need a login. Where
// the server does not publish the setting (older Mastodon, GoToSocial and
// other families, or no /api/v2/instance) the answer is not guessed: the
// timeline itself is asked for one status, as the reader would be (with
// the token or without), and a 401, 403 or 422 means false; any other
// failure is returned as the error. Asking anonymous access of a client
// without a token works; asking logged-in access of one is refused.
//
//api:endpoint GET /api/v2/instance
//api:since 4.0.0
//api:endpoint GET /api/v1/timelines/public
//api:endpoint GET /api/v1/timelines/tag/{hashtag}
//api:since 0.0.0
//api:endpoint GET /api/v1/timelines/link
//api:since 4.3.0
func (s *TimelinesService) IsAvailable(ctx context.Context, timeline Timeline, o *TimelineAvailabilityOptions, opts ...CallOption) (bool, error) {
	var q TimelineAvailabilityOptions
	if o != nil {
		q = *o
	}
	auth := s.c.HasToken()
	if q.WithAuth != nil {
		auth = *q.WithAuth
	}
	kind := string(timeline)
	_, arg, _ := strings.Cut(kind, "/") // the tag or link of "tag/…", "link/…"
	switch {
	case kind == "tag" || strings.HasPrefix(kind, "tag/"):
		kind = string(TimelineHashtag)
	case strings.HasPrefix(kind, "list/"):
		kind = string(TimelineList)
	case strings.HasPrefix(kind, "link"):
		kind = string(TimelineLink)
	}
	switch Timeline(kind) {
	case TimelineHome, TimelineList:
		return auth, nil
	case TimelineLocal:
		kind, q.Local, q.Remote = string(TimelinePublic), true, false
	case TimelinePublic, TimelineHashtag, TimelineLink:
	default:
		return false, illegalArg("Timelines.IsAvailable: unknown timeline " + sanitizeForError(string(timeline)))
	}
	inst, err := call[Instance](ctx, s.c, req{Method: http.MethodGet, Path: "/api/v2/instance", Idempotent: true}, opts)
	if err != nil && !errors.Is(err, ErrNotFound) {
		return false, err
	}
	if err != nil || inst.Configuration.TimelinesAccess == nil {
		return s.probe(ctx, Timeline(kind), arg, q, auth, opts)
	}
	ta := inst.Configuration.TimelinesAccess
	var local, remote *TimelineAccess
	switch Timeline(kind) {
	case TimelinePublic:
		if ta.LiveFeeds != nil {
			local, remote = ta.LiveFeeds.Local, ta.LiveFeeds.Remote
		}
	case TimelineHashtag:
		if ta.HashtagFeeds != nil {
			local, remote = ta.HashtagFeeds.Local, ta.HashtagFeeds.Remote
		}
	case TimelineLink:
		if ta.TrendingLinkFeeds != nil {
			local, remote = ta.TrendingLinkFeeds.Local, ta.TrendingLinkFeeds.Remote
		}
	}
	open := func(a *TimelineAccess) bool {
		if a == nil {
			return true
		}
		switch *a {
		case TimelineAccessPublic:
			return true
		case TimelineAccessAuthenticated:
			return auth
		}
		return false // disabled, or a value this library does not know
	}
	switch {
	case q.Local && !q.Remote:
		return open(local), nil
	case q.Remote && !q.Local:
		return open(remote), nil
	}
	return open(local) && open(remote), nil
}

// probe asks a timeline for one status as the reader would (see
// IsAvailable).
func (s *TimelinesService) probe(ctx context.Context, kind Timeline, arg string, o TimelineAvailabilityOptions, auth bool, opts []CallOption) (bool, error) {
	if auth && !s.c.HasToken() {
		return false, illegalArg("Timelines.IsAvailable: the server does not publish timeline access; asking as a logged-in reader needs a token")
	}
	q := url.Values{"limit": {"1"}}
	if o.Local && !o.Remote {
		q.Set("local", "true")
	}
	if o.Remote && !o.Local {
		q.Set("remote", "true")
	}
	r := req{Method: http.MethodGet, Path: "/api/v1/timelines/public", Query: q}
	switch kind {
	case TimelineHashtag:
		r.Path, r.Params = "/api/v1/timelines/tag/{hashtag}", []string{cmp.Or(strings.TrimPrefix(arg, "#"), "fediverse")}
	case TimelineLink:
		if arg == "" {
			return false, illegalArg("Timelines.IsAvailable: the server does not publish timeline access; name the link (\"link/URL\") to ask it")
		}
		r.Path = "/api/v1/timelines/link"
		q.Set("url", arg)
	}
	if !auth {
		r.Auth = authNone
	}
	_, err := callList[Status](ctx, s.c, r, opts)
	switch {
	case err == nil:
		return true, nil
	case errorsIsAny(err, ErrUnauthorized, ErrForbidden, ErrUnprocessable):
		return false, nil
	}
	return false, err
}

package mastodon

import (
	"context"
	"html"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// roundUpSeconds rounds a filter's expiry up to whole seconds (the form
// encoder rounds down), so a filter never outlives less than asked; zero
// or negative is no expiry.
func roundUpSeconds(d time.Duration) time.Duration {
	if d <= 0 {
		return 0
	}
	return (d + time.Second - 1) / time.Second * time.Second
}

// V1FilterParams are the optional settings of a v1 keyword filter.
type V1FilterParams struct {
	// Irreversible makes the server drop matching statuses from home and
	// notifications instead of hiding them.
	Irreversible *bool `form:"irreversible"`
	// WholeWord matches the phrase only at word boundaries.
	WholeWord *bool `form:"whole_word"`
	// ExpiresIn makes the filter expire after this long (whole seconds,
	// rounded up).
	ExpiresIn time.Duration `form:"expires_in"`
}

// UpdateV1FilterParams are the v1 filter settings to change.
type UpdateV1FilterParams struct {
	Phrase       string          `form:"phrase"`
	Context      []FilterContext `form:"context"`
	Irreversible *bool           `form:"irreversible"`
	WholeWord    *bool           `form:"whole_word"`
	// ExpiresIn is rounded up to whole seconds.
	ExpiresIn time.Duration `form:"expires_in"`
}

// ListV1 returns the user's v1 keyword filters.
//
//api:endpoint GET /api/v1/filters
//api:since 2.4.3
//api:changed 4.0.0
func (s *FiltersService) ListV1(ctx context.Context, opts ...CallOption) ([]*V1Filter, error) {
	return callSlice[V1Filter](ctx, s.c, req{Method: http.MethodGet, Path: "/api/v1/filters"}, opts)
}

// GetV1 returns one v1 keyword filter.
//
//api:endpoint GET /api/v1/filters/{id}
//api:since 2.4.3
//api:changed 4.0.0
func (s *FiltersService) GetV1(ctx context.Context, id string, opts ...CallOption) (*V1Filter, error) {
	return call[V1Filter](ctx, s.c, req{Method: http.MethodGet, Path: "/api/v1/filters/{id}", Params: []string{id}}, opts)
}

// CreateV1 makes a v1 keyword filter for phrase in the given contexts.
//
//api:endpoint POST /api/v1/filters
//api:since 2.4.3
//api:changed 4.0.0
func (s *FiltersService) CreateV1(ctx context.Context, phrase string, filterContext []FilterContext, p *V1FilterParams, opts ...CallOption) (*V1Filter, error) {
	if strings.TrimSpace(phrase) == "" {
		return nil, illegalArg("Filters.CreateV1: empty phrase")
	}
	if len(filterContext) == 0 {
		return nil, illegalArg("Filters.CreateV1: no context")
	}
	var q V1FilterParams
	if p != nil {
		q = *p
	}
	q.ExpiresIn = roundUpSeconds(q.ExpiresIn)
	f := struct {
		Phrase  string          `form:"phrase"`
		Context []FilterContext `form:"context"`
		*V1FilterParams
	}{phrase, filterContext, &q}
	return call[V1Filter](ctx, s.c, req{Method: http.MethodPost, Path: "/api/v1/filters", Form: f}, opts)
}

// UpdateV1 changes a v1 keyword filter.
//
//api:endpoint PUT /api/v1/filters/{id}
//api:since 2.4.3
//api:changed 4.0.0
func (s *FiltersService) UpdateV1(ctx context.Context, id string, p *UpdateV1FilterParams, opts ...CallOption) (*V1Filter, error) {
	var q UpdateV1FilterParams
	if p != nil {
		q = *p
	}
	q.ExpiresIn = roundUpSeconds(q.ExpiresIn)
	return call[V1Filter](ctx, s.c, req{Method: http.MethodPut, Path: "/api/v1/filters/{id}", Params: []string{id}, Form: &q, Idempotent: true}, opts)
}

// DeleteV1 removes a v1 keyword filter.
//
//api:endpoint DELETE /api/v1/filters/{id}
//api:since 2.4.3
//api:changed 4.0.0
func (s *FiltersService) DeleteV1(ctx context.Context, id string, opts ...CallOption) error {
	return callNoContent(ctx, s.c, req{Method: http.MethodDelete, Path: "/api/v1/filters/{id}", Params: []string{id}, Idempotent: true}, opts)
}

// FilterKeywordAttributes adds, changes or (with Destroy) removes a keyword
// of a v2 filter as part of Filters.Create or Filters.Update.
type FilterKeywordAttributes struct {
	// ID names an existing keyword to change or remove (updates only).
	ID        string `form:"id"`
	Keyword   string `form:"keyword"`
	WholeWord *bool  `form:"whole_word"`
	Destroy   bool   `form:"_destroy"`
}

// CreateFilterParams are the optional settings of a new v2 filter.
type CreateFilterParams struct {
	// FilterAction is warn (the default), hide or blur.
	FilterAction FilterAction `form:"filter_action"`
	// ExpiresIn makes the filter expire after this long (whole seconds,
	// rounded up).
	ExpiresIn time.Duration `form:"expires_in"`
	// Keywords are added with the filter.
	Keywords []FilterKeywordAttributes `form:"keywords_attributes"`
}

// UpdateFilterParams are the v2 filter settings to change; unset ones stay.
type UpdateFilterParams struct {
	Title        string          `form:"title"`
	Context      []FilterContext `form:"context"`
	FilterAction FilterAction    `form:"filter_action"`
	// ExpiresIn is rounded up to whole seconds.
	ExpiresIn time.Duration `form:"expires_in"`
	// Keywords adds (no ID), changes (ID) or removes (ID and Destroy)
	// keywords.
	Keywords []FilterKeywordAttributes `form:"keywords_attributes"`
}

// List returns the user's filters.
//
//api:endpoint GET /api/v2/filters
//api:since 4.0.0
func (s *FiltersService) List(ctx context.Context, opts ...CallOption) ([]*Filter, error) {
	return callSlice[Filter](ctx, s.c, req{Method: http.MethodGet, Path: "/api/v2/filters"}, opts)
}

// Get returns one filter with its keywords and statuses.
//
//api:endpoint GET /api/v2/filters/{id}
//api:since 4.0.0
func (s *FiltersService) Get(ctx context.Context, id string, opts ...CallOption) (*Filter, error) {
	return call[Filter](ctx, s.c, req{Method: http.MethodGet, Path: "/api/v2/filters/{id}", Params: []string{id}}, opts)
}

// Create makes a filter with the given title, applied in the given
// contexts.
//
//api:endpoint POST /api/v2/filters
//api:since 4.0.0
//api:changed 4.4.0
func (s *FiltersService) Create(ctx context.Context, title string, filterContext []FilterContext, p *CreateFilterParams, opts ...CallOption) (*Filter, error) {
	if strings.TrimSpace(title) == "" {
		return nil, illegalArg("Filters.Create: empty title")
	}
	if len(filterContext) == 0 {
		return nil, illegalArg("Filters.Create: no context")
	}
	var q CreateFilterParams
	if p != nil {
		q = *p
	}
	q.ExpiresIn = roundUpSeconds(q.ExpiresIn)
	b := struct {
		Title   string          `form:"title"`
		Context []FilterContext `form:"context"`
		*CreateFilterParams
	}{title, filterContext, &q}
	return call[Filter](ctx, s.c, req{Method: http.MethodPost, Path: "/api/v2/filters", JSON: formJSON{b}}, opts)
}

// Update changes a filter and, through p.Keywords, its keywords.
//
//api:endpoint PUT /api/v2/filters/{id}
//api:since 4.0.0
//api:changed 4.4.0
func (s *FiltersService) Update(ctx context.Context, id string, p *UpdateFilterParams, opts ...CallOption) (*Filter, error) {
	var q UpdateFilterParams
	if p != nil {
		q = *p
	}
	q.ExpiresIn = roundUpSeconds(q.ExpiresIn)
	return call[Filter](ctx, s.c, req{Method: http.MethodPut, Path: "/api/v2/filters/{id}", Params: []string{id}, JSON: formJSON{&q}, Idempotent: true}, opts)
}

// Delete removes a filter.
//
//api:endpoint DELETE /api/v2/filters/{id}
//api:since 4.0.0
func (s *FiltersService) Delete(ctx context.Context, id string, opts ...CallOption) error {
	return callNoContent(ctx, s.c, req{Method: http.MethodDelete, Path: "/api/v2/filters/{id}", Params: []string{id}, Idempotent: true}, opts)
}

// FilterKeywordOptions adjust Filters.AddKeyword and Filters.UpdateKeyword.
type FilterKeywordOptions struct {
	// WholeWord matches the keyword only at word boundaries; nil leaves
	// the server's default (or, on update, the current setting).
	WholeWord *bool `form:"whole_word"`
}

// keywordForm is a keyword (required, so positional) with its options.
func keywordForm(keyword string, o *FilterKeywordOptions) any {
	return struct {
		Keyword string `form:"keyword"`
		*FilterKeywordOptions
	}{keyword, o}
}

// Keywords returns the keywords of a filter.
//
//api:endpoint GET /api/v2/filters/{filter_id}/keywords
//api:since 4.0.0
func (s *FiltersService) Keywords(ctx context.Context, filterID string, opts ...CallOption) ([]*FilterKeyword, error) {
	return callSlice[FilterKeyword](ctx, s.c, req{Method: http.MethodGet, Path: "/api/v2/filters/{filter_id}/keywords", Params: []string{filterID}}, opts)
}

// AddKeyword adds a keyword to a filter (o may be nil).
//
//api:endpoint POST /api/v2/filters/{filter_id}/keywords
//api:since 4.0.0
func (s *FiltersService) AddKeyword(ctx context.Context, filterID, keyword string, o *FilterKeywordOptions, opts ...CallOption) (*FilterKeyword, error) {
	if strings.TrimSpace(keyword) == "" {
		return nil, illegalArg("Filters.AddKeyword: empty keyword")
	}
	return call[FilterKeyword](ctx, s.c, req{Method: http.MethodPost, Path: "/api/v2/filters/{filter_id}/keywords", Params: []string{filterID},
		Form: keywordForm(keyword, o)}, opts)
}

// GetKeyword returns one filter keyword.
//
//api:endpoint GET /api/v2/filters/keywords/{id}
//api:since 4.0.0
func (s *FiltersService) GetKeyword(ctx context.Context, id string, opts ...CallOption) (*FilterKeyword, error) {
	return call[FilterKeyword](ctx, s.c, req{Method: http.MethodGet, Path: "/api/v2/filters/keywords/{id}", Params: []string{id}}, opts)
}

// UpdateKeyword changes a filter keyword (o may be nil).
//
//api:endpoint PUT /api/v2/filters/keywords/{id}
//api:since 4.0.0
func (s *FiltersService) UpdateKeyword(ctx context.Context, id, keyword string, o *FilterKeywordOptions, opts ...CallOption) (*FilterKeyword, error) {
	if strings.TrimSpace(keyword) == "" {
		return nil, illegalArg("Filters.UpdateKeyword: empty keyword")
	}
	return call[FilterKeyword](ctx, s.c, req{Method: http.MethodPut, Path: "/api/v2/filters/keywords/{id}", Params: []string{id},
		Form: keywordForm(keyword, o), Idempotent: true}, opts)
}

// DeleteKeyword removes a filter keyword.
//
//api:endpoint DELETE /api/v2/filters/keywords/{id}
//api:since 4.0.0
func (s *FiltersService) DeleteKeyword(ctx context.Context, id string, opts ...CallOption) error {
	return callNoContent(ctx, s.c, req{Method: http.MethodDelete, Path: "/api/v2/filters/keywords/{id}", Params: []string{id}, Idempotent: true}, opts)
}

// Statuses returns the statuses a filter matches by ID.
//
//api:endpoint GET /api/v2/filters/{filter_id}/statuses
//api:since 4.0.0
func (s *FiltersService) Statuses(ctx context.Context, filterID string, opts ...CallOption) ([]*FilterStatus, error) {
	return callSlice[FilterStatus](ctx, s.c, req{Method: http.MethodGet, Path: "/api/v2/filters/{filter_id}/statuses", Params: []string{filterID}}, opts)
}

// AddStatus makes a filter match a status.
//
//api:endpoint POST /api/v2/filters/{filter_id}/statuses
//api:since 4.0.0
func (s *FiltersService) AddStatus(ctx context.Context, filterID, statusID string, opts ...CallOption) (*FilterStatus, error) {
	if strings.TrimSpace(statusID) == "" {
		return nil, illegalArg("Filters.AddStatus: empty status id")
	}
	return call[FilterStatus](ctx, s.c, req{Method: http.MethodPost, Path: "/api/v2/filters/{filter_id}/statuses", Params: []string{filterID},
		Form: struct {
			StatusID string `form:"status_id"`
		}{statusID}}, opts)
}

// GetStatus returns one status filter.
//
//api:endpoint GET /api/v2/filters/statuses/{id}
//api:since 4.0.0
func (s *FiltersService) GetStatus(ctx context.Context, id string, opts ...CallOption) (*FilterStatus, error) {
	return call[FilterStatus](ctx, s.c, req{Method: http.MethodGet, Path: "/api/v2/filters/statuses/{id}", Params: []string{id}}, opts)
}

// DeleteStatus removes a status from its filter.
//
//api:endpoint DELETE /api/v2/filters/statuses/{id}
//api:since 4.0.0
func (s *FiltersService) DeleteStatus(ctx context.Context, id string, opts ...CallOption) error {
	return callNoContent(ctx, s.c, req{Method: http.MethodDelete, Path: "/api/v2/filters/statuses/{id}", Params: []string{id}, Idempotent: true}, opts)
}

// ApplyFilters returns the statuses none of the v1 filters for the given
// context matches, as Mastodon.py's filters_apply does: each filter's
// phrase is looked for, case-insensitively, in the status's text (its
// HTML tags read as spaces, runs of white space as one). Where it differs,
// it follows the server: a whole-word phrase needs word boundaries only at
// its ends that are letters, digits or underscores; expired filters are
// skipped; with no filter for the context nothing is removed. For a reblog
// the reblogged status's text is read. The input slice is not changed.
//
// It is a function, not a Filters method, because it sends no request;
// the name FiltersApply that Mastodon.py's filters_apply suggests is
// mapped in docs/mastodonpy.md rather than added as a second name.
func ApplyFilters(statuses []*Status, filters []*V1Filter, filterContext FilterContext) []*Status {
	m := newFilterMatcher(filters, filterContext, time.Now())
	out := make([]*Status, 0, len(statuses))
	for _, s := range statuses {
		if s == nil || !m.matchStatus(s) {
			out = append(out, s)
		}
	}
	return out
}

// ApplyFiltersToNotifications is ApplyFilters for notifications: those
// whose status a filter matches are left out; those without a status are
// kept.
func ApplyFiltersToNotifications(notifications []*Notification, filters []*V1Filter, filterContext FilterContext) []*Notification {
	m := newFilterMatcher(filters, filterContext, time.Now())
	out := make([]*Notification, 0, len(notifications))
	for _, n := range notifications {
		if n == nil || n.Status == nil || !m.matchStatus(n.Status) {
			out = append(out, n)
		}
	}
	return out
}

type phraseMatcher struct {
	re                 *regexp.Regexp
	wordStart, wordEnd bool
}

type filterMatcher struct{ phrases []phraseMatcher }

func newFilterMatcher(filters []*V1Filter, filterContext FilterContext, now time.Time) *filterMatcher {
	m := &filterMatcher{}
	for _, f := range filters {
		if f == nil || f.Phrase == "" || !slices.Contains(f.Context, filterContext) {
			continue
		}
		if f.ExpiresAt != nil && !f.ExpiresAt.After(now) {
			continue
		}
		phrase := strings.ToValidUTF8(f.Phrase, "\uFFFD")
		re, err := regexp.Compile(`(?i)` + regexp.QuoteMeta(phrase))
		if err != nil {
			continue
		}
		pm := phraseMatcher{re: re}
		if f.WholeWord {
			first, _ := utf8.DecodeRuneInString(phrase)
			last, _ := utf8.DecodeLastRuneInString(phrase)
			pm.wordStart, pm.wordEnd = isWordRune(first), isWordRune(last)
		}
		m.phrases = append(m.phrases, pm)
	}
	return m
}

func isWordRune(r rune) bool {
	return r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r)
}

var (
	htmlTagRe = regexp.MustCompile(`<[^>]*>`)
	spaceRe   = regexp.MustCompile(`\s+`)
)

// filterText is the text of a status as the filters read it.
func filterText(s *Status) string {
	if s.Reblog != nil {
		s = s.Reblog
	}
	t := htmlTagRe.ReplaceAllString(strings.ToValidUTF8(s.Content, "\uFFFD"), " ")
	t = html.UnescapeString(t)
	return strings.TrimSpace(spaceRe.ReplaceAllString(t, " "))
}

func (m *filterMatcher) matchStatus(s *Status) bool {
	if len(m.phrases) == 0 {
		return false
	}
	text := filterText(s)
	for _, p := range m.phrases {
		if p.match(text) {
			return true
		}
	}
	return false
}

// match reports whether the phrase occurs in text with word boundaries
// where it needs them. A match that fails a boundary check does not end
// the search: the next one may start inside it ("a a" in "xa a a"), as it
// would with Mastodon's \b…\b pattern, so the search resumes one
// character after the rejected match's start.
func (p *phraseMatcher) match(text string) bool {
	for off := 0; off <= len(text); {
		loc := p.re.FindStringIndex(text[off:])
		if loc == nil {
			return false
		}
		start, end := off+loc[0], off+loc[1]
		ok := true
		if p.wordStart && start > 0 {
			r, _ := utf8.DecodeLastRuneInString(text[:start])
			ok = !isWordRune(r)
		}
		if ok && p.wordEnd && end < len(text) {
			r, _ := utf8.DecodeRuneInString(text[end:])
			ok = !isWordRune(r)
		}
		if ok {
			return true
		}
		_, size := utf8.DecodeRuneInString(text[start:])
		off = start + max(size, 1)
	}
	return false
}

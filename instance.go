package mastodon

import (
	"context"
	"net/http"
	"time"
)

// Get returns the server's description (version, configuration, limits,
// registration rules, contact).
//
//api:endpoint GET /api/v2/instance
//api:since 4.0.0
func (s *InstanceService) Get(ctx context.Context, opts ...CallOption) (*Instance, error) {
	return call[Instance](ctx, s.c, req{Method: http.MethodGet, Path: "/api/v2/instance"}, opts)
}

// GetV1 returns the server's description in the older format, the only one
// servers before Mastodon 4.0 (and many forks) serve.
//
//api:endpoint GET /api/v1/instance
//api:since 1.1.0
func (s *InstanceService) GetV1(ctx context.Context, opts ...CallOption) (*V1Instance, error) {
	return call[V1Instance](ctx, s.c, req{Method: http.MethodGet, Path: "/api/v1/instance"}, opts)
}

// Peers returns the domains this server has seen in the fediverse. Servers
// may hide the list (then the call fails with 401 or 404).
//
//api:endpoint GET /api/v1/instance/peers
//api:since 2.1.2
//api:changed 3.0.0
func (s *InstanceService) Peers(ctx context.Context, opts ...CallOption) ([]string, error) {
	p, err := call[[]string](ctx, s.c, req{Method: http.MethodGet, Path: "/api/v1/instance/peers"}, opts)
	if err != nil {
		return nil, err
	}
	return *p, nil
}

// Activity returns weekly counts of posts, logins and sign-ups for the last
// three months, newest week first.
//
//api:endpoint GET /api/v1/instance/activity
//api:since 2.1.2
//api:changed 3.0.0
func (s *InstanceService) Activity(ctx context.Context, opts ...CallOption) ([]*Activity, error) {
	return callSlice[Activity](ctx, s.c, req{Method: http.MethodGet, Path: "/api/v1/instance/activity"}, opts)
}

// Rules returns the rules users of this server agree to.
//
//api:endpoint GET /api/v1/instance/rules
//api:since 3.4.0
func (s *InstanceService) Rules(ctx context.Context, opts ...CallOption) ([]*Rule, error) {
	return callSlice[Rule](ctx, s.c, req{Method: http.MethodGet, Path: "/api/v1/instance/rules"}, opts)
}

// DomainBlocks returns the domains this server moderates, when it makes
// the list public (otherwise the call fails with 404).
//
//api:endpoint GET /api/v1/instance/domain_blocks
//api:since 4.0.0
func (s *InstanceService) DomainBlocks(ctx context.Context, opts ...CallOption) ([]*DomainBlock, error) {
	return callSlice[DomainBlock](ctx, s.c, req{Method: http.MethodGet, Path: "/api/v1/instance/domain_blocks"}, opts)
}

// ExtendedDescription returns the server's longer "about" text (HTML).
//
//api:endpoint GET /api/v1/instance/extended_description
//api:since 4.0.0
func (s *InstanceService) ExtendedDescription(ctx context.Context, opts ...CallOption) (*ExtendedDescription, error) {
	return call[ExtendedDescription](ctx, s.c, req{Method: http.MethodGet, Path: "/api/v1/instance/extended_description"}, opts)
}

// PrivacyPolicy returns the server's privacy policy (HTML).
//
//api:endpoint GET /api/v1/instance/privacy_policy
//api:since 4.0.0
func (s *InstanceService) PrivacyPolicy(ctx context.Context, opts ...CallOption) (*PrivacyPolicy, error) {
	return call[PrivacyPolicy](ctx, s.c, req{Method: http.MethodGet, Path: "/api/v1/instance/privacy_policy"}, opts)
}

// TermsOfServiceOptions selects a version of the terms of service.
type TermsOfServiceOptions struct {
	// Date, when set, asks for the version that took effect on that day
	// (only the year, month and day count). Zero means the version in
	// effect now.
	Date time.Time
}

// TermsOfService returns the server's terms of service: the ones in effect
// now, or with o.Date the version that took effect on that day.
//
//api:endpoint GET /api/v1/instance/terms_of_service
//api:endpoint GET /api/v1/instance/terms_of_service/{date}
//api:since 4.4.0
func (s *InstanceService) TermsOfService(ctx context.Context, o *TermsOfServiceOptions, opts ...CallOption) (*TermsOfService, error) {
	if o != nil && !o.Date.IsZero() {
		d := o.Date.Format(time.DateOnly)
		return call[TermsOfService](ctx, s.c, req{Method: http.MethodGet, Path: "/api/v1/instance/terms_of_service/{date}", Params: []string{d}}, opts)
	}
	return call[TermsOfService](ctx, s.c, req{Method: http.MethodGet, Path: "/api/v1/instance/terms_of_service"}, opts)
}

// TranslationLanguages returns the language pairs the server's translation
// service supports: each source language code maps to the codes it can be
// translated into.
//
//api:endpoint GET /api/v1/instance/translation_languages
//api:since 4.2.0
func (s *InstanceService) TranslationLanguages(ctx context.Context, opts ...CallOption) (map[string][]string, error) {
	m, err := call[map[string][]string](ctx, s.c, req{Method: http.MethodGet, Path: "/api/v1/instance/translation_languages"}, opts)
	if err != nil {
		return nil, err
	}
	return *m, nil
}

// Languages returns the languages the server knows, for posts' language
// and users' filters: ISO 639 codes with their English names.
//
//api:endpoint GET /api/v1/instance/languages
//api:since 4.2.0
func (s *InstanceService) Languages(ctx context.Context, opts ...CallOption) ([]*SupportedLocale, error) {
	return callSlice[SupportedLocale](ctx, s.c, req{Method: http.MethodGet, Path: "/api/v1/instance/languages"}, opts)
}

// Health reports whether the server's web process is up: nil when /health
// answers 2xx. It sends no token and skips the version check.
//
//api:endpoint GET /health
//api:since 3.0.0
func (s *InstanceService) Health(ctx context.Context, opts ...CallOption) error {
	return callNoContent(ctx, s.c, req{Method: http.MethodGet, Path: "/health", Auth: authNone, NoVersionCheck: true}, opts)
}

package mastodon

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"golang.org/x/oauth2"
)

// DefaultUserAgent is sent when WithUserAgent is not given.
const DefaultUserAgent = "tusk/0.1 (+https://github.com/tuskgo/mastodon)"

// FeatureSet selects the API dialect of a server family: some forks accept
// parameters mainline Mastodon does not.
type FeatureSet string

// Feature sets, as Mastodon.py names them.
const (
	FeatureSetMainline FeatureSet = "mainline"
	FeatureSetFedibird FeatureSet = "fedibird"
	FeatureSetPleroma  FeatureSet = "pleroma"
)

// Client talks to one Mastodon server. It is safe for concurrent use by
// many goroutines; create one per server and account and share it.
type Client struct {
	base *url.URL
	cfg  config
	hc   *http.Client
	rl   *rateLimits    // shared with WithToken copies, keyed by token and bucket
	last *lastRateLimit // this client's most recent rate-limit state
	log  *slog.Logger

	verMu   sync.Mutex
	server  *ServerInfo // cached version and family; nil until detected
	streamU string      // cached streaming base URL

	// Services, one per API area.
	Accounts          *AccountsService
	Admin             *AdminService
	Announcements     *AnnouncementsService
	AnnualReports     *AnnualReportsService
	Apps              *AppsService
	AsyncRefreshes    *AsyncRefreshesService
	Blocks            *BlocksService
	Bookmarks         *BookmarksService
	Collections       *CollectionsService
	Conversations     *ConversationsService
	CustomEmojis      *CustomEmojisService
	Directory         *DirectoryService
	DomainBlocks      *DomainBlocksService
	Emails            *EmailsService
	Endorsements      *EndorsementsService
	Favourites        *FavouritesService
	FeaturedTags      *FeaturedTagsService
	Filters           *FiltersService
	FollowRequests    *FollowRequestsService
	FollowedTags      *FollowedTagsService
	Instance          *InstanceService
	Lists             *ListsService
	Markers           *MarkersService
	Media             *MediaService
	Mutes             *MutesService
	Notifications     *NotificationsService
	OAuth             *OAuthService
	Polls             *PollsService
	Preferences       *PreferencesService
	Profile           *ProfileService
	Push              *PushService
	Reports           *ReportsService
	ScheduledStatuses *ScheduledStatusesService
	Search            *SearchService
	Statuses          *StatusesService
	Streaming         *StreamingService
	Suggestions       *SuggestionsService
	Tags              *TagsService
	Timelines         *TimelinesService
	Trends            *TrendsService
}

// config holds everything options set. Secrets in it are never printed.
type config struct {
	token        string
	tokenSource  oauth2.TokenSource
	clientID     string
	clientSecret string
	httpClient   *http.Client
	userAgent    string
	timeout      time.Duration
	rlMode       RateLimitMode
	paceFactor   float64
	versionCheck VersionCheckMode
	featureSet   FeatureSet
	lang         string
	logger       *slog.Logger
	allowHTTP    bool
	streamingURL string
	maxBody      int64
	retry        RetryPolicy
	versionHint  string
	redirectURI  string
}

// Option configures a Client.
type Option func(*config) error

// WithAccessToken authenticates every request with a user or app token.
func WithAccessToken(token string) Option {
	return func(c *config) error {
		if strings.TrimSpace(token) == "" {
			return illegalArg("WithAccessToken: empty token")
		}
		if strings.ContainsAny(token, "\r\n") {
			return illegalArg("WithAccessToken: token contains a line break")
		}
		c.token = token
		return nil
	}
}

// WithTokenSource authenticates with tokens from an oauth2.TokenSource,
// asked before every request (it may refresh).
func WithTokenSource(ts oauth2.TokenSource) Option {
	return func(c *config) error {
		if ts == nil {
			return illegalArg("WithTokenSource: nil token source")
		}
		c.tokenSource = ts
		return nil
	}
}

// WithClientCredentials sets the app's client id and secret, used by the
// OAuth flows.
func WithClientCredentials(id, secret string) Option {
	return func(c *config) error {
		if id == "" || secret == "" {
			return illegalArg("WithClientCredentials: empty client id or secret")
		}
		c.clientID, c.clientSecret = id, secret
		return nil
	}
}

// WithHTTPClient sets the HTTP client. Its redirect policy is wrapped so a
// token is never sent to another host or over a downgraded scheme.
func WithHTTPClient(hc *http.Client) Option {
	return func(c *config) error {
		if hc == nil {
			return illegalArg("WithHTTPClient: nil client")
		}
		c.httpClient = hc
		return nil
	}
}

// WithUserAgent sets the User-Agent header.
func WithUserAgent(ua string) Option {
	return func(c *config) error {
		if ua == "" || strings.ContainsAny(ua, "\r\n") {
			return illegalArg("WithUserAgent: empty or multi-line user agent")
		}
		c.userAgent = ua
		return nil
	}
}

// WithTimeout bounds each request, body included (default 5 minutes, as
// Mastodon.py; 0 means no bound), and each wait for the rate limit: when
// the budget is spent until a reset (or a 429 asks for a wait) further
// away than this, the call fails with ErrRateLimited instead of sleeping.
// Streams are exempt; they have their own watchdog.
func WithTimeout(d time.Duration) Option {
	return func(c *config) error {
		if d < 0 {
			return illegalArg("WithTimeout: negative timeout")
		}
		c.timeout = d
		return nil
	}
}

// WithRateLimit selects how the client reacts to the server's rate limit.
func WithRateLimit(m RateLimitMode) Option {
	return func(c *config) error {
		switch m {
		case RateLimitWait, RateLimitThrow, RateLimitPace:
			c.rlMode = m
			return nil
		}
		return illegalArg(fmt.Sprintf("WithRateLimit: unknown mode %q", string(m)))
	}
}

// WithPaceFactor scales the delay between requests in RateLimitPace mode
// (default 1.1, as Mastodon.py).
func WithPaceFactor(f float64) Option {
	return func(c *config) error {
		if !(f > 0) || f > 1000 {
			return illegalArg("WithPaceFactor: factor must be in (0, 1000]")
		}
		c.paceFactor = f
		return nil
	}
}

// WithVersionCheck selects whether calls check the server version first.
func WithVersionCheck(m VersionCheckMode) Option {
	return func(c *config) error {
		switch m {
		case VersionCheckNone, VersionCheckCreated, VersionCheckChanged:
			c.versionCheck = m
			return nil
		}
		return illegalArg(fmt.Sprintf("WithVersionCheck: unknown mode %q", string(m)))
	}
}

// WithServerVersion skips detection and assumes the given version string
// (as the server would report it) for version checks.
func WithServerVersion(v string) Option {
	return func(c *config) error {
		if _, err := ParseVersion(v); err != nil {
			return illegalArg("WithServerVersion: " + err.Error())
		}
		c.versionHint = v
		return nil
	}
}

// WithRedirectURI names the app's redirect URI, sent on every token grant
// and authorization URL that does not give one (default RedirectOOB).
// Token grants always carry one: Mastodon documents redirect_uri as
// required and GoToSocial refuses a grant without it.
func WithRedirectURI(uri string) Option {
	return func(c *config) error {
		u, err := url.Parse(uri)
		if err != nil || !u.IsAbs() {
			return illegalArg("WithRedirectURI: not an absolute URI")
		}
		c.redirectURI = uri
		return nil
	}
}

// WithFeatureSet selects the dialect of a server fork.
func WithFeatureSet(fs FeatureSet) Option {
	return func(c *config) error {
		switch fs {
		case FeatureSetMainline, FeatureSetFedibird, FeatureSetPleroma:
			c.featureSet = fs
			return nil
		}
		return illegalArg(fmt.Sprintf("WithFeatureSet: unknown feature set %q", string(fs)))
	}
}

// WithLanguage sends lang on every request (ISO 639 code), so server
// messages and some content come in that language. A call can override it
// with the CallLanguage call option.
func WithLanguage(lang string) Option {
	return func(c *config) error {
		if !validLang(lang) {
			return illegalArg(fmt.Sprintf("WithLanguage: %q is not an ISO 639 code", lang))
		}
		c.lang = lang
		return nil
	}
}

// WithLogger sets where debug records go: each request, retry and failed
// call (with its error), and each stream error. Records never carry a
// token, secret, password or code.
func WithLogger(l *slog.Logger) Option {
	return func(c *config) error {
		c.logger = l
		return nil
	}
}

// WithInsecureHTTP allows a plain http:// server that is not on loopback.
// Tokens then cross the network unencrypted; use only on trusted networks.
func WithInsecureHTTP() Option {
	return func(c *config) error { c.allowHTTP = true; return nil }
}

// WithStreamingURL overrides the streaming base URL the instance advertises.
func WithStreamingURL(u string) Option {
	return func(c *config) error {
		p, err := url.Parse(u)
		if err != nil || p.Host == "" {
			return illegalArg("WithStreamingURL: not an absolute URL")
		}
		c.streamingURL = strings.TrimRight(u, "/")
		return nil
	}
}

// WithMaxResponseSize caps how many bytes of a response body are read
// (default 64 MiB). A larger body fails with a decode error.
func WithMaxResponseSize(n int64) Option {
	return func(c *config) error {
		if n <= 0 {
			return illegalArg("WithMaxResponseSize: size must be positive")
		}
		c.maxBody = n
		return nil
	}
}

const defaultMaxBody = 64 << 20

// NewClient returns a client for the server at the given address. The
// address may omit the scheme (https is assumed) and may carry a trailing
// slash. Plain http is accepted for loopback hosts, elsewhere only with
// WithInsecureHTTP.
func NewClient(server string, opts ...Option) (*Client, error) {
	cfg := config{
		userAgent:    DefaultUserAgent,
		rlMode:       RateLimitWait,
		paceFactor:   1.1,
		versionCheck: VersionCheckNone,
		featureSet:   FeatureSetMainline,
		maxBody:      defaultMaxBody,
		retry:        DefaultRetryPolicy,
		timeout:      5 * time.Minute,
	}
	for _, o := range opts {
		if o == nil {
			continue
		}
		if err := o(&cfg); err != nil {
			return nil, err
		}
	}
	base, err := normalizeServer(server, cfg.allowHTTP)
	if err != nil {
		return nil, err
	}
	c := &Client{base: base, cfg: cfg}
	c.log = cfg.logger
	if c.log == nil {
		c.log = slog.New(slog.DiscardHandler)
	}
	c.hc = safeHTTPClient(cfg.httpClient, c.checkRedirect)
	c.rl = newRateLimits(cfg.rlMode, cfg.paceFactor)
	c.last = new(lastRateLimit)
	c.initServices()
	return c, nil
}

// normalizeServer turns a user's server address into a base URL.
func normalizeServer(server string, allowHTTP bool) (*url.URL, error) {
	s := strings.TrimSpace(server)
	if s == "" {
		return nil, illegalArg("NewClient: empty server address")
	}
	if !strings.Contains(s, "://") {
		s = "https://" + s
	}
	u, err := url.Parse(s)
	if err != nil {
		return nil, illegalArg("NewClient: server address is not a URL: " + redactURLString(s))
	}
	u.Scheme = strings.ToLower(u.Scheme)
	if u.Scheme != "https" && u.Scheme != "http" {
		return nil, illegalArg(fmt.Sprintf("NewClient: unsupported scheme %q", u.Scheme))
	}
	if u.Host == "" || u.Hostname() == "" {
		return nil, illegalArg("NewClient: server address has no host")
	}
	if u.User != nil {
		return nil, illegalArg("NewClient: server address must not carry credentials")
	}
	if u.RawQuery != "" || u.Fragment != "" {
		return nil, illegalArg("NewClient: server address must not carry a query or fragment")
	}
	if u.Scheme == "http" && !allowHTTP && !isLoopback(u.Hostname()) {
		return nil, illegalArg("NewClient: plain http is only allowed for loopback hosts; use https or WithInsecureHTTP")
	}
	u.Host = strings.ToLower(u.Host)
	u.Path = strings.TrimRight(u.Path, "/")
	u.RawPath = ""
	return u, nil
}

func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") || strings.HasSuffix(strings.ToLower(host), ".localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// BaseURL returns the normalised server URL, e.g. "https://mastodon.social".
func (c *Client) BaseURL() string { return c.base.String() }

// String describes the client without any secret.
func (c *Client) String() string {
	auth := "anonymous"
	switch {
	case c.cfg.token != "" || c.cfg.tokenSource != nil:
		auth = "token=[redacted]"
	case c.cfg.clientID != "":
		auth = "client credentials=[redacted]"
	}
	return fmt.Sprintf("mastodon.Client{server: %s, auth: %s}", c.base, auth)
}

// GoString keeps %#v from printing secrets.
func (c *Client) GoString() string { return c.String() }

// Format makes every fmt verb use String, so no verb prints a secret.
func (c *Client) Format(f fmt.State, verb rune) { fmt.Fprint(f, c.String()) }

// String keeps %v of a config from printing secrets.
func (c config) String() string { return "mastodon.config{[redacted]}" }

// GoString keeps %#v of a config from printing secrets.
func (c config) GoString() string { return c.String() }

// ClientID returns the app's client id, if one was configured.
func (c *Client) ClientID() string { return c.cfg.clientID }

// HasToken reports whether requests are authenticated.
func (c *Client) HasToken() bool { return c.cfg.token != "" || c.cfg.tokenSource != nil }

// WithToken returns a copy of the client that uses another access token and
// shares the HTTP client and caches of this one. Rate limits are kept per
// token, as the server counts them: the copy starts with the new token's
// own budget, and two clients using one token share it.
func (c *Client) WithToken(token string) (*Client, error) {
	if err := WithAccessToken(token)(new(config)); err != nil {
		return nil, err
	}
	n := &Client{base: c.base, cfg: c.cfg, hc: c.hc, rl: c.rl, last: new(lastRateLimit), log: c.log}
	n.cfg.token, n.cfg.tokenSource = token, nil
	n.server = c.cachedServer()
	n.initServices()
	return n, nil
}

// ClearCaches forgets the detected server version and family and the
// streaming URL, so they are fetched again on next use.
func (c *Client) ClearCaches() {
	c.verMu.Lock()
	c.server = nil
	c.streamU = ""
	c.verMu.Unlock()
}

func (c *Client) cachedServer() *ServerInfo {
	c.verMu.Lock()
	defer c.verMu.Unlock()
	return c.server
}

// accessToken returns the token to send, asking the token source if any.
func (c *Client) accessToken(ctx context.Context) (string, error) {
	if c.cfg.tokenSource != nil {
		t, err := c.cfg.tokenSource.Token()
		if err != nil {
			return "", &NetworkError{Op: "token source", Err: errors.New(redactSecrets(err.Error(), c.secrets()...))}
		}
		return t.AccessToken, nil
	}
	return c.cfg.token, nil
}

// secrets lists the configured secrets, for redaction.
func (c *Client) secrets() []string {
	return []string{c.cfg.token, c.cfg.clientSecret}
}

func validLang(s string) bool {
	if len(s) < 2 || len(s) > 3 {
		return false
	}
	for _, r := range s {
		if r < 'a' || r > 'z' {
			return false
		}
	}
	return true
}

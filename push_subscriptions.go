package mastodon

import (
	"context"
	"net/http"
	"net/url"
	"strings"
)

// PushSubscriptionKeys are a push subscription's public key and auth secret
// as the API takes them (base64, either alphabet). For keys made with
// package webpush, they are
// PushSubscriptionKeys{P256DH: keys.PublicKey(), Auth: keys.AuthSecret()}.
type PushSubscriptionKeys struct {
	P256DH string `form:"p256dh"`
	Auth   string `form:"auth"`
}

// PushPolicy says whose interactions cause push messages.
type PushPolicy string

// Push policies.
const (
	PushPolicyAll      PushPolicy = "all"      // from anyone
	PushPolicyFollowed PushPolicy = "followed" // from accounts the user follows
	PushPolicyFollower PushPolicy = "follower" // from the user's followers
	PushPolicyNone     PushPolicy = "none"     // from no one
)

// PushAlerts chooses the notification types that cause push messages. A nil
// field is not sent; the server treats it as false.
type PushAlerts struct {
	Mention       *bool `form:"mention"`
	Status        *bool `form:"status"` // posts by accounts the user gets notified about (3.3.0)
	Reblog        *bool `form:"reblog"`
	Follow        *bool `form:"follow"`
	FollowRequest *bool `form:"follow_request"`
	Favourite     *bool `form:"favourite"`
	Poll          *bool `form:"poll"`
	Update        *bool `form:"update"`        // edits of boosted posts (3.5.0)
	AdminSignUp   *bool `form:"admin.sign_up"` // needs a role that may see sign-ups (3.5.0)
	AdminReport   *bool `form:"admin.report"`  // needs a role that may see reports (4.0.0)
	Quote         *bool `form:"quote"`         // quotes of the user's posts (4.5.0)
	QuotedUpdate  *bool `form:"quoted_update"` // edits of quoted posts (4.5.0)
}

// AllPushAlerts returns alerts with every type switched on. Admin types
// need a role that may see them; the server refuses them otherwise.
func AllPushAlerts(admin bool) PushAlerts {
	t := func() *bool { v := true; return &v }
	a := PushAlerts{
		Mention: t(), Status: t(), Reblog: t(), Follow: t(), FollowRequest: t(),
		Favourite: t(), Poll: t(), Update: t(), Quote: t(), QuotedUpdate: t(),
	}
	if admin {
		a.AdminSignUp, a.AdminReport = t(), t()
	}
	return a
}

// PushSubscribeOptions are the optional parts of a new push subscription.
// The alerts and policy are sent under data[…].
type PushSubscribeOptions struct {
	Alerts PushAlerts `form:"alerts"`
	// Policy defaults to PushPolicyAll on the server.
	Policy PushPolicy `form:"policy"`
	// Standard asks for RFC 8291 (aes128gcm) encryption and RFC 8292 VAPID
	// signatures (4.4.0); without it the server uses the legacy aesgcm
	// draft. webpush.Keys decrypts both. It is sent as subscription[standard].
	Standard bool `form:"-"`
}

// PushUpdateParams replace a subscription's alerts and policy (sent under
// data[…]).
type PushUpdateParams struct {
	Alerts PushAlerts `form:"alerts"`
	Policy PushPolicy `form:"policy"`
}

// pushSubscription is the subscription[…] part of Push.Subscribe: the
// endpoint and keys it takes as arguments.
type pushSubscription struct {
	Endpoint string               `form:"endpoint"`
	Keys     PushSubscriptionKeys `form:"keys"`
	Standard bool                 `form:"standard"`
}

func checkPushPolicy(p PushPolicy) error {
	switch p {
	case "", PushPolicyAll, PushPolicyFollowed, PushPolicyFollower, PushPolicyNone:
		return nil
	}
	return illegalArg("push policy must be all, followed, follower or none, not " + string(p))
}

// Get returns the push subscription of the access token in use.
//
//api:endpoint GET /api/v1/push/subscription
//api:since 2.4.0
func (s *PushService) Get(ctx context.Context, opts ...CallOption) (*WebPushSubscription, error) {
	return call[WebPushSubscription](ctx, s.c, req{Method: http.MethodGet, Path: "/api/v1/push/subscription"}, opts)
}

// Subscribe asks the server to send push messages to endpoint (an https
// URL), encrypted for keys. An endpoint without a scheme ("push.example/x")
// gets https:// put in front, as Mastodon.py's push_subscription_set does. Each access token has at most one subscription:
// subscribing again replaces it. The answer's ServerKey is the server's
// VAPID key, for webpush.VerifyVAPID.
//
//api:endpoint POST /api/v1/push/subscription
//api:since 2.4.0
//api:changed 4.5.0
func (s *PushService) Subscribe(ctx context.Context, endpoint string, keys PushSubscriptionKeys, o *PushSubscribeOptions, opts ...CallOption) (*WebPushSubscription, error) {
	if strings.TrimSpace(endpoint) == "" {
		return nil, illegalArg("Push.Subscribe: endpoint is required")
	}
	if !strings.Contains(endpoint, "://") {
		endpoint = "https://" + endpoint
	}
	if u, err := url.Parse(endpoint); err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
		return nil, illegalArg("Push.Subscribe: endpoint must be an absolute https URL")
	}
	if keys.P256DH == "" || keys.Auth == "" {
		return nil, illegalArg("Push.Subscribe: keys need both the p256dh key and the auth secret")
	}
	f := struct {
		Subscription pushSubscription      `form:"subscription"`
		Data         *PushSubscribeOptions `form:"data"`
	}{pushSubscription{Endpoint: endpoint, Keys: keys}, o}
	if o != nil {
		if err := checkPushPolicy(o.Policy); err != nil {
			return nil, err
		}
		f.Subscription.Standard = o.Standard
	}
	return call[WebPushSubscription](ctx, s.c, req{Method: http.MethodPost, Path: "/api/v1/push/subscription", Form: f}, opts)
}

// Update replaces the alerts and policy of the current subscription. The
// server replaces them as a whole: alerts left nil are switched off, and a
// missing policy goes back to all. (The policy is sent as data[policy],
// which is what the server reads, whatever the API docs say.)
//
//api:endpoint PUT /api/v1/push/subscription
//api:since 2.4.0
//api:changed 4.0.0
func (s *PushService) Update(ctx context.Context, p *PushUpdateParams, opts ...CallOption) (*WebPushSubscription, error) {
	if p != nil {
		if err := checkPushPolicy(p.Policy); err != nil {
			return nil, err
		}
	}
	f := struct {
		Data *PushUpdateParams `form:"data"`
	}{p}
	return call[WebPushSubscription](ctx, s.c, req{Method: http.MethodPut, Path: "/api/v1/push/subscription", Form: f}, opts)
}

// Delete removes the current subscription; the server stops sending push
// messages for this access token.
//
//api:endpoint DELETE /api/v1/push/subscription
//api:since 2.4.0
func (s *PushService) Delete(ctx context.Context, opts ...CallOption) error {
	return callNoContent(ctx, s.c, req{Method: http.MethodDelete, Path: "/api/v1/push/subscription"}, opts)
}

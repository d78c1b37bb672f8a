package mastodontest

import (
	"bytes"
	"crypto/ecdh"
	"encoding/base64"
	"encoding/json"
	"net/url"
	"strings"
)

// Web Push subscriptions, one per access token as in Mastodon. The server
// stores them and answers with them; it never delivers pushes (that would
// mean connecting to the endpoint, and this server talks to nobody).

type pushSub struct {
	id       int
	endpoint string
	p256dh   string
	auth     string
	standard bool
	alerts   []pushAlert // in Mastodon's notification type order
	policy   string      // "" when not given: rendered as "all"
}

type pushAlert struct {
	kind string
	on   *bool // nil: the value was an empty string
}

// pushAlertTypes are the notification types a subscription may name, in
// the order Mastodon lists them; other alert keys are ignored.
var pushAlertTypes = []string{"mention", "status", "reblog", "follow", "follow_request", "favourite", "poll",
	"update", "admin.sign_up", "admin.report", "severed_relationships", "moderation_warning", "quote", "quoted_update"}

func (s *Server) pushRoutes() {
	rt := func(h handler) route { return route{need: userToken, scopes: []string{"push"}, h: h} }
	s.handle("GET /api/v1/push/subscription", rt(s.getPush))
	s.handle("POST /api/v1/push/subscription", rt(s.createPush))
	s.handle("PUT /api/v1/push/subscription", rt(s.updatePush))
	s.handle("DELETE /api/v1/push/subscription", rt(s.deletePush))
}

// pushData reads data[alerts][…] and data[policy]; like Mastodon, a
// request without data leaves both empty.
func (c *call) pushData(p *pushSub) {
	p.alerts, p.policy = nil, ""
	for _, k := range pushAlertTypes {
		key := "data[alerts][" + k + "]"
		if !c.p.has(key) {
			continue
		}
		a := pushAlert{kind: k}
		if v := c.p.str(key); v != "" {
			a.on = ptr(c.p.truthy(key))
		}
		p.alerts = append(p.alerts, a)
	}
	p.policy = c.p.str("data[policy]")
}

// decodeKey reads a key the way Ruby's urlsafe_decode64 does: either
// alphabet, padding optional.
func decodeKey(s string) []byte {
	s = strings.TrimRight(strings.NewReplacer("-", "+", "_", "/").Replace(strings.TrimSpace(s)), "=")
	b, err := base64.RawStdEncoding.DecodeString(s)
	if err != nil {
		return nil
	}
	return b
}

func validPushKeys(p256dh, auth string) bool {
	pub := decodeKey(p256dh)
	if pub == nil || len(decodeKey(auth)) == 0 {
		return false
	}
	_, err := ecdh.P256().NewPublicKey(pub)
	return err == nil
}

func (s *Server) createPush(c *call) (result, *apiError) {
	if !c.p.has("subscription[endpoint]") && !c.p.has("subscription[keys][p256dh]") && !c.p.has("subscription[keys][auth]") {
		return result{}, errf(400, "param is missing or the value is empty: subscription")
	}
	p := &pushSub{
		endpoint: strings.TrimSpace(c.p.str("subscription[endpoint]")),
		p256dh:   c.p.str("subscription[keys][p256dh]"),
		auth:     c.p.str("subscription[keys][auth]"),
		standard: c.p.truthy("subscription[standard]"),
	}
	var msgs []string
	if p.endpoint == "" {
		msgs = append(msgs, "Endpoint can't be blank")
	}
	if u, err := url.Parse(p.endpoint); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		msgs = append(msgs, "Endpoint is invalid")
	}
	if p.p256dh == "" {
		msgs = append(msgs, "Key p256dh can't be blank")
	}
	if p.auth == "" {
		msgs = append(msgs, "Key auth can't be blank")
	}
	if !validPushKeys(p.p256dh, p.auth) {
		msgs = append(msgs, "is not a valid Ed25519 or Curve25519 key")
	}
	if len(msgs) > 0 {
		return result{}, errf(422, "Validation failed: %s", strings.Join(msgs, ", "))
	}
	c.pushData(p)
	// Creating replaces the token's previous subscription.
	p.id = seqInt(c.st.nextSeq("push_subscription"))
	c.tok.push = p
	return ok(renderPush(p)), nil
}

func (s *Server) getPush(c *call) (result, *apiError) {
	if c.tok.push == nil {
		return result{}, errStatusNotFound
	}
	return ok(renderPush(c.tok.push)), nil
}

// updatePush replaces the subscription's data: alerts and policy left out
// of the request are forgotten, as in Mastodon.
func (s *Server) updatePush(c *call) (result, *apiError) {
	if c.tok.push == nil {
		return result{}, errStatusNotFound
	}
	c.pushData(c.tok.push)
	return ok(renderPush(c.tok.push)), nil
}

func (s *Server) deletePush(c *call) (result, *apiError) {
	c.tok.push = nil
	return ok(nil), nil
}

func seqInt(s string) int {
	n := 0
	for _, r := range s {
		n = n*10 + int(r-'0')
	}
	return n
}

type jsonPush struct {
	ID        int        `json:"id"`
	Endpoint  string     `json:"endpoint"`
	Standard  bool       `json:"standard"`
	Alerts    pushAlerts `json:"alerts"`
	ServerKey string     `json:"server_key"`
	Policy    string     `json:"policy"`
}

// pushAlerts encodes as a JSON object keeping Mastodon's key order.
type pushAlerts []pushAlert

func (a pushAlerts) MarshalJSON() ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteByte('{')
	for i, x := range a {
		if i > 0 {
			buf.WriteByte(',')
		}
		k, _ := json.Marshal(x.kind)
		buf.Write(k)
		buf.WriteByte(':')
		switch {
		case x.on == nil:
			buf.WriteString("null")
		case *x.on:
			buf.WriteString("true")
		default:
			buf.WriteString("false")
		}
	}
	buf.WriteByte('}')
	return buf.Bytes(), nil
}

func renderPush(p *pushSub) jsonPush {
	pol := p.policy
	if pol == "" {
		pol = "all"
	}
	return jsonPush{ID: p.id, Endpoint: p.endpoint, Standard: p.standard, Alerts: pushAlerts(p.alerts), ServerKey: vapidKey, Policy: pol}
}

// PushSubscription is a Web Push subscription as the server stores it.
type PushSubscription struct {
	ID       int
	Endpoint string
	P256dh   string
	Auth     string
	Standard bool
	Alerts   map[string]bool // alerts sent as empty strings are left out
	Policy   string          // "all" unless the client set another
}

// PushSubscription returns the Web Push subscription of an access token,
// and whether it has one.
func (s *Server) PushSubscription(accessToken string) (PushSubscription, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	t := s.st.tokens[accessToken]
	if t == nil || t.push == nil {
		return PushSubscription{}, false
	}
	p := t.push
	out := PushSubscription{ID: p.id, Endpoint: p.endpoint, P256dh: p.p256dh, Auth: p.auth, Standard: p.standard,
		Alerts: map[string]bool{}, Policy: renderPush(p).Policy}
	for _, a := range p.alerts {
		if a.on != nil {
			out.Alerts[a.kind] = *a.on
		}
	}
	return out, true
}

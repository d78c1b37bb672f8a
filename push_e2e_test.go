package mastodon

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync/atomic"
	"testing"
	"time"
)

// fakePushServer plays Mastodon's side of Web Push: it takes a subscription
// through the API and then delivers a notification to its endpoint the way
// Web::PushNotificationWorker does (payload of Web::NotificationSerializer,
// encrypted per the subscription's standard flag, signed with its VAPID key).
type fakePushServer struct {
	t        *testing.T
	vapid    testVAPID
	endpoint string
	p256dh   []byte
	auth     []byte
	standard bool
}

func (f *fakePushServer) handler(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path != "/api/v1/push/subscription" || r.Method != http.MethodPost {
		http.NotFound(w, r)
		return
	}
	if err := r.ParseForm(); err != nil {
		f.t.Error(err)
	}
	f.endpoint = r.PostForm.Get("subscription[endpoint]")
	f.p256dh, _ = decodePushBase64(r.PostForm.Get("subscription[keys][p256dh]"))
	f.auth, _ = decodePushBase64(r.PostForm.Get("subscription[keys][auth]"))
	f.standard = r.PostForm.Get("subscription[standard]") == "true"
	fmt.Fprintf(w, `{"id":7,"endpoint":%q,"standard":%v,"alerts":{"mention":%v},"server_key":%q,"policy":"all"}`,
		f.endpoint, f.standard, r.PostForm.Get("data[alerts][mention]") == "true", f.vapid.pub+"=")
}

// deliver sends one notification to the subscribed endpoint.
func (f *fakePushServer) deliver(payload string) (*http.Response, error) {
	u, err := url.Parse(f.endpoint)
	if err != nil {
		return nil, err
	}
	claims := fmt.Sprintf(`{"aud":"%s://%s","exp":%d,"sub":"mailto:admin@mastodon.example"}`, u.Scheme, u.Host, time.Now().Add(24*time.Hour).Unix())
	jwt := f.vapid.token(f.t, `{"typ":"JWT","alg":"ES256"}`, claims)
	s := newTestSender(f.t)
	var req *http.Request
	if f.standard {
		body := s.seal128(f.t, f.p256dh, f.auth, 4096, records128([]byte(payload), 4096, 0))
		req, _ = http.NewRequest(http.MethodPost, f.endpoint, bytes.NewReader(body))
		req.Header.Set("Content-Encoding", "aes128gcm")
		req.Header.Set("Authorization", "vapid t="+jwt+",k="+f.vapid.pub)
	} else {
		body, enc, ck := s.sealAESGCM(f.t, f.p256dh, f.auth, 4096, recordsAESGCM([]byte(payload), 4096, 0))
		req, _ = http.NewRequest(http.MethodPost, f.endpoint, bytes.NewReader(body))
		req.Header.Set("Content-Encoding", "aesgcm")
		req.Header.Set("Encryption", enc)
		req.Header.Set("Crypto-Key", ck+";p256ecdsa="+f.vapid.pub)
		req.Header.Set("Authorization", "WebPush "+jwt)
	}
	req.Header.Set("Content-Type", "application/octet-stream")
	req.Header.Set("Ttl", "172800")
	req.Header.Set("Urgency", "normal")
	return http.DefaultClient.Do(req)
}

// TestPushEndToEnd runs the whole receiving side: generate keys, subscribe
// through the API, receive a push at an HTTP endpoint, check its VAPID
// signature against the subscription's server key, decrypt it.
func TestPushEndToEnd(t *testing.T) {
	for _, standard := range []bool{true, false} {
		t.Run(fmt.Sprintf("standard=%v", standard), func(t *testing.T) {
			fake := &fakePushServer{t: t, vapid: newTestVAPID(t)}
			api := httptest.NewServer(http.HandlerFunc(fake.handler))
			defer api.Close()

			keys, err := GeneratePushKeys()
			if err != nil {
				t.Fatal(err)
			}

			registerPushKeys(keys)
			type received struct {
				n      *PushNotification
				claims *VAPIDClaims
				err    error
			}
			got := make(chan received, 1)
			var serverKey, receiverURL atomic.Value // set before any push arrives
			receiver := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				claims, err := VerifyVAPID(r.Header, serverKey.Load().(string), &VAPIDOptions{Audience: receiverURL.Load().(string)})
				if err != nil {
					got <- received{err: err}
					http.Error(w, "bad signature", http.StatusUnauthorized)
					return
				}
				n, err := keys.DecryptRequest(r)
				got <- received{n: n, claims: claims, err: err}
				w.WriteHeader(http.StatusCreated)
			}))
			defer receiver.Close()
			receiverURL.Store(receiver.URL)

			c, err := newScannedClient(api.URL, WithAccessToken("token"), WithHTTPClient(api.Client()))
			if err != nil {
				t.Fatal(err)
			}
			sub, err := c.Push.Subscribe(context.Background(), receiver.URL+"/push", keys.SubscriptionKeys(),
				&PushSubscribeOptions{Alerts: PushAlerts{Mention: Ptr(true)}, Standard: standard})
			if err != nil {
				t.Fatal(err)
			}
			if sub.ID != "7" || !sub.Alerts.Mention || sub.Standard == nil || *sub.Standard != standard {
				t.Fatalf("subscription %+v", sub)
			}
			serverKey.Store(sub.ServerKey)

			payload, _ := json.Marshal(map[string]any{
				"access_token": "tok-123", "preferred_locale": "en", "notification_id": 110000000000000001,
				"notification_type": "mention", "icon": "https://mastodon.example/avatars/a.png",
				"title": "You were mentioned by Alice", "body": "@bob hello there",
			})
			resp, err := fake.deliver(string(payload))
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusCreated {
				t.Fatalf("receiver answered %d", resp.StatusCode)
			}
			r := <-got
			if r.err != nil {
				t.Fatal(r.err)
			}
			n := r.n
			if n.NotificationID != "110000000000000001" || n.NotificationType != "mention" || n.Title != "You were mentioned by Alice" ||
				n.Body != "@bob hello there" || n.AccessToken != "tok-123" || n.PreferredLocale != "en" || n.Icon != "https://mastodon.example/avatars/a.png" {
				t.Fatalf("notification %#v", n)
			}
			if r.claims.Subject != "mailto:admin@mastodon.example" {
				t.Fatalf("claims %+v", r.claims)
			}
		})
	}
}

// A push signed by a key other than the subscription's server key is refused
// before decryption.
func TestPushEndToEndForgedSender(t *testing.T) {
	fake := &fakePushServer{t: t, vapid: newTestVAPID(t)}
	api := httptest.NewServer(http.HandlerFunc(fake.handler))
	defer api.Close()
	keys, _ := GeneratePushKeys()
	registerPushKeys(keys)
	var serverKey atomic.Value
	refused := make(chan error, 1)
	receiver := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, err := VerifyVAPID(r.Header, serverKey.Load().(string), nil)
		refused <- err
		w.WriteHeader(http.StatusUnauthorized)
	}))
	defer receiver.Close()
	c, _ := newScannedClient(api.URL, WithAccessToken("token"), WithHTTPClient(api.Client()))
	sub, err := c.Push.Subscribe(context.Background(), receiver.URL, keys.SubscriptionKeys(), &PushSubscribeOptions{Standard: true})
	if err != nil {
		t.Fatal(err)
	}
	serverKey.Store(sub.ServerKey)
	fake.vapid = newTestVAPID(t) // an impostor signs the delivery
	resp, err := fake.deliver(`{"title":"x"}`)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if err := <-refused; !errors.Is(err, ErrVAPID) {
		t.Fatalf("forged push: err = %v, want ErrVAPID", err)
	}
}

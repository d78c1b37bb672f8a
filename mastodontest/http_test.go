package mastodontest

import (
	"context"
	"net/http"
	"testing"
	"time"
)

// slowJSON encodes only once release is closed, telling started first.
type slowJSON struct{ started, release chan struct{} }

func (j slowJSON) MarshalJSON() ([]byte, error) {
	close(j.started)
	<-j.release
	return []byte(`{"slow":true}`), nil
}

// TestEncodingAfterStoreLock: a result is encoded after the store lock is
// released, so a slow encoding holds up no other request.
func TestEncodingAfterStoreLock(t *testing.T) {
	s := NewTestServer(t)
	j := slowJSON{make(chan struct{}), make(chan struct{})}
	s.handle("GET /api/v1/test/slow", route{h: func(c *call) (result, *apiError) { return ok(j), nil }})
	done := make(chan error, 1)
	go func() {
		resp, err := http.Get(s.URL + "/api/v1/test/slow")
		if err == nil {
			resp.Body.Close()
		}
		done <- err
	}()
	<-j.started
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", s.URL+"/api/v1/instance", nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Errorf("a request during another's encoding: %v", err)
	} else {
		resp.Body.Close()
		if resp.StatusCode != 200 {
			t.Errorf("status %d", resp.StatusCode)
		}
	}
	close(j.release)
	if err := <-done; err != nil {
		t.Error(err)
	}
}

// TestRouteNeeds: each kind of route refuses the callers Mastodon refuses,
// with Mastodon's status codes.
func TestRouteNeeds(t *testing.T) {
	s := NewTestServer(t)
	alice, tok := s.CreateUser("alice")
	root := s.CreateAccount("root", Admin())
	id := NewClient(s, tok).PostStatus(t, "public words")["id"].(string)
	for _, tc := range []struct {
		name, method, path, token string
		want                      int
	}{
		// anyone, with scopes: a token sent must be known and carry one.
		{"public read, anonymous", "GET", "/api/v1/statuses/" + id, "", 200},
		{"public read, read token", "GET", "/api/v1/statuses/" + id, s.CreateToken(alice.ID, "read:statuses"), 200},
		{"public read, write token", "GET", "/api/v1/statuses/" + id, s.CreateToken(alice.ID, "write"), 403},
		{"public read, unknown token", "GET", "/api/v1/statuses/" + id, "nope", 401},
		// anyone, no scopes: an unknown token is ignored.
		{"account, unknown token", "GET", "/api/v1/accounts/" + alice.ID, "nope", 200},
		// a token, an app's will do.
		{"register, anonymous", "POST", "/api/v1/accounts", "", 401},
		{"app verify, app token", "GET", "/api/v1/apps/verify_credentials", s.CreateAppToken("read"), 200},
		// a user's token.
		{"home, app token", "GET", "/api/v1/timelines/home", s.CreateAppToken("read"), 422},
		{"home, anonymous", "GET", "/api/v1/timelines/home", "", 401},
		{"home, wrong scope", "GET", "/api/v1/timelines/home", s.CreateToken(alice.ID, "write"), 403},
		// an admin's token: the scope is checked before the role.
		{"admin, user", "GET", "/api/v1/admin/accounts", s.CreateToken(alice.ID, "admin:read"), 403},
		{"admin, admin", "GET", "/api/v1/admin/accounts", s.CreateToken(root.ID, "admin:read"), 200},
		{"admin, app token", "GET", "/api/v1/admin/accounts", s.CreateAppToken("admin:read"), 422},
	} {
		code, _, body, err := NewClient(s, tc.token).Do(tc.method, tc.path, nil)
		if err != nil || code != tc.want {
			t.Errorf("%s: %d %s, want %d", tc.name, code, body, tc.want)
		}
	}
}

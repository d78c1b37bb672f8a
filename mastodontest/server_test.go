package mastodontest

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"
)

func noRedirect() *http.Client {
	return &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

func TestOAuthAuthorizationCodeWithPKCE(t *testing.T) {
	s := NewTestServer(t)
	alice := s.CreateAccount("alice")
	anon := NewClient(s, "")

	var app map[string]any
	anon.JSON(t, 200, "POST", "/api/v1/apps", url.Values{
		"client_name": {"test"}, "redirect_uris": {"http://127.0.0.1/cb"}, "scopes": {"read write"},
	}, &app)
	clientID, secret := app["client_id"].(string), app["client_secret"].(string)
	if clientID == "" || secret == "" || app["vapid_key"] == "" {
		t.Fatalf("app = %v", app)
	}

	verifier := "a-very-long-verifier-string-that-is-at-least-43-characters"
	sum := sha256.Sum256([]byte(verifier))
	challenge := base64.RawURLEncoding.EncodeToString(sum[:])
	q := url.Values{"response_type": {"code"}, "client_id": {clientID}, "redirect_uri": {"http://127.0.0.1/cb"},
		"scope": {"read"}, "state": {"xyz"}, "code_challenge": {challenge}, "code_challenge_method": {"S256"}}
	resp, err := noRedirect().Get(s.URL + "/oauth/authorize?" + q.Encode())
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 302 {
		t.Fatalf("authorize status %d", resp.StatusCode)
	}
	loc, _ := url.Parse(resp.Header.Get("Location"))
	if loc.Host != "127.0.0.1" || loc.Path != "/cb" || loc.Query().Get("state") != "xyz" {
		t.Fatalf("redirect = %s", loc)
	}
	code := loc.Query().Get("code")

	// Wrong verifier: invalid_grant; the code survives for the right one.
	var e map[string]string
	anon.JSON(t, 400, "POST", "/oauth/token", url.Values{"grant_type": {"authorization_code"}, "code": {code},
		"client_id": {clientID}, "client_secret": {secret}, "redirect_uri": {"http://127.0.0.1/cb"}, "code_verifier": {"wrong"}}, &e)
	if e["error"] != "invalid_grant" {
		t.Fatalf("error = %v", e)
	}
	anon.JSON(t, 400, "POST", "/oauth/token", url.Values{"grant_type": {"authorization_code"}, "code": {code},
		"client_id": {clientID}, "client_secret": {secret}}, &e)
	if e["error"] != "invalid_request" {
		t.Fatalf("missing verifier error = %v", e)
	}
	var tok map[string]any
	anon.JSON(t, 200, "POST", "/oauth/token", url.Values{"grant_type": {"authorization_code"}, "code": {code},
		"client_id": {clientID}, "client_secret": {secret}, "redirect_uri": {"http://127.0.0.1/cb"}, "code_verifier": {verifier}}, &tok)
	if tok["token_type"] != "Bearer" || tok["scope"] != "read" {
		t.Fatalf("token = %v", tok)
	}
	// A code works once.
	anon.JSON(t, 400, "POST", "/oauth/token", url.Values{"grant_type": {"authorization_code"}, "code": {code},
		"client_id": {clientID}, "client_secret": {secret}, "code_verifier": {verifier}}, nil)

	user := NewClient(s, tok["access_token"].(string))
	var me map[string]any
	user.JSON(t, 200, "GET", "/api/v1/accounts/verify_credentials", nil, &me)
	if me["id"] != alice.ID || me["source"] == nil {
		t.Fatalf("verify_credentials = %v", me)
	}
	// read-only token: posting is outside its scopes.
	user.JSON(t, 403, "POST", "/api/v1/statuses", url.Values{"status": {"hi"}}, &e)
	if e["error"] != "This action is outside the authorized scopes" {
		t.Fatalf("scope error = %v", e)
	}

	// Refresh rotates the token; the old one stops working.
	var refreshed map[string]any
	anon.JSON(t, 200, "POST", "/oauth/token", url.Values{"grant_type": {"refresh_token"},
		"refresh_token": {tok["refresh_token"].(string)}, "client_id": {clientID}, "client_secret": {secret}}, &refreshed)
	user.JSON(t, 401, "GET", "/api/v1/accounts/verify_credentials", nil, nil)
	user2 := NewClient(s, refreshed["access_token"].(string))
	user2.JSON(t, 200, "GET", "/api/v1/accounts/verify_credentials", nil, nil)

	// Revoke.
	anon.JSON(t, 200, "POST", "/oauth/revoke", url.Values{"token": {refreshed["access_token"].(string)},
		"client_id": {clientID}, "client_secret": {secret}}, nil)
	user2.JSON(t, 401, "GET", "/api/v1/accounts/verify_credentials", nil, &e)
	if e["error"] != "The access token is invalid" {
		t.Fatalf("401 body = %v", e)
	}
}

func TestOAuthAuthorizeErrors(t *testing.T) {
	s := NewTestServer(t)
	s.CreateAccount("alice")
	app := s.CreateApp("x", "http://127.0.0.1/cb", "read")
	get := func(q url.Values) *http.Response {
		resp, err := noRedirect().Get(s.URL + "/oauth/authorize?" + q.Encode())
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp
	}
	base := func() url.Values {
		return url.Values{"response_type": {"code"}, "client_id": {app.ClientID}, "redirect_uri": {"http://127.0.0.1/cb"}, "state": {"s1"}}
	}
	q := base()
	q.Set("scope", "write")
	resp := get(q)
	loc, _ := url.Parse(resp.Header.Get("Location"))
	if resp.StatusCode != 302 || loc.Query().Get("error") != "invalid_scope" || loc.Query().Get("state") != "s1" {
		t.Fatalf("scope beyond app: %d %s", resp.StatusCode, loc)
	}
	q = base()
	q.Set("code_challenge", "abc")
	q.Set("code_challenge_method", "plain")
	loc, _ = url.Parse(get(q).Header.Get("Location"))
	if loc.Query().Get("error") != "invalid_request" {
		t.Fatalf("plain PKCE accepted: %s", loc)
	}
	q = base()
	q.Set("redirect_uri", "http://evil.example/cb")
	if resp := get(q); resp.StatusCode != 400 || resp.Header.Get("Location") != "" {
		t.Fatalf("foreign redirect: %d %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	q = base()
	q.Set("client_id", "nope")
	if resp := get(q); resp.StatusCode != 401 {
		t.Fatalf("unknown client: %d", resp.StatusCode)
	}
}

func TestOAuthOOBAndGrants(t *testing.T) {
	s := NewTestServer(t, WithPasswordGrant(true))
	s.CreateAccount("alice", Password("hunter2"))
	app := s.CreateApp("x", oobURI, "read", "write")
	q := url.Values{"response_type": {"code"}, "client_id": {app.ClientID}, "redirect_uri": {oobURI}}
	resp, err := http.Get(s.URL + "/oauth/authorize?" + q.Encode()) // follows to the code page
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var page strings.Builder
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		page.WriteString(sc.Text())
	}
	if !strings.Contains(page.String(), `class="oauth-code"`) {
		t.Fatalf("oob page: %s", page.String())
	}
	anon := NewClient(s, "")
	var tok map[string]any
	anon.JSON(t, 200, "POST", "/oauth/token", url.Values{"grant_type": {"password"}, "username": {"alice@localhost"},
		"password": {"hunter2"}, "client_id": {app.ClientID}, "client_secret": {app.ClientSecret}, "scope": {"read"}}, &tok)
	if tok["scope"] != "read" {
		t.Fatalf("password grant = %v", tok)
	}
	var e map[string]string
	anon.JSON(t, 400, "POST", "/oauth/token", url.Values{"grant_type": {"password"}, "username": {"alice"},
		"password": {"wrong"}, "client_id": {app.ClientID}, "client_secret": {app.ClientSecret}}, &e)
	if e["error"] != "invalid_grant" || e["error_description"] == "" {
		t.Fatalf("bad password = %v", e)
	}
	anon.JSON(t, 401, "POST", "/oauth/token", url.Values{"grant_type": {"client_credentials"},
		"client_id": {app.ClientID}, "client_secret": {"bad"}}, &e)
	if e["error"] != "invalid_client" {
		t.Fatalf("bad secret = %v", e)
	}
	anon.JSON(t, 200, "POST", "/oauth/token", url.Values{"grant_type": {"client_credentials"},
		"client_id": {app.ClientID}, "client_secret": {app.ClientSecret}}, &tok)
	appc := NewClient(s, tok["access_token"].(string))
	var got map[string]any
	appc.JSON(t, 200, "GET", "/api/v1/apps/verify_credentials", nil, &got)
	if got["name"] != "x" || got["client_secret"] != nil {
		t.Fatalf("apps/verify_credentials = %v", got)
	}
	// An app token has no user: user endpoints answer 422.
	appc.JSON(t, 422, "GET", "/api/v1/accounts/verify_credentials", nil, &e)
	if e["error"] != "This method requires an authenticated user" {
		t.Fatalf("app token on user endpoint = %v", e)
	}
	var meta map[string]any
	anon.JSON(t, 200, "GET", "/.well-known/oauth-authorization-server", nil, &meta)
	if meta["token_endpoint"] != s.URL+"/oauth/token" || fmt.Sprint(meta["code_challenge_methods_supported"]) != "[S256]" {
		t.Fatalf("metadata = %v", meta)
	}
}

func TestGranularScopes(t *testing.T) {
	s := NewTestServer(t)
	a := s.CreateAccount("alice")
	c := NewClient(s, s.CreateToken(a.ID, "read:statuses", "write:statuses"))
	c.PostStatus(t, "ok")
	c.JSON(t, 200, "GET", "/api/v1/timelines/home", nil, nil)
	c.JSON(t, 403, "GET", "/api/v1/notifications", nil, nil)
	c.JSON(t, 403, "POST", "/api/v1/statuses/1/favourite", nil, nil)
	f := NewClient(s, s.CreateToken(a.ID, "follow"))
	f.JSON(t, 200, "GET", "/api/v1/blocks", nil, nil)
	f.JSON(t, 403, "GET", "/api/v1/timelines/home", nil, nil)
}

func TestPostingAndTimelines(t *testing.T) {
	s := NewTestServer(t)
	alice, at := s.CreateUser("alice")
	bob, bt := s.CreateUser("bob")
	ac, bc := NewClient(s, at), NewClient(s, bt)
	bc.JSON(t, 200, "POST", "/api/v1/accounts/"+alice.ID+"/follow", nil, nil)

	var ids []string
	for i := range 5 {
		st := ac.PostStatus(t, fmt.Sprintf("post %d #golang @bob", i))
		ids = append(ids, st["id"].(string))
	}
	var direct map[string]any
	ac.JSON(t, 200, "POST", "/api/v1/statuses", url.Values{"status": {"secret"}, "visibility": {"private"}}, &direct)

	var home []map[string]any
	hdr := bc.JSON(t, 200, "GET", "/api/v1/timelines/home", url.Values{"limit": {"2"}}, &home)
	if len(home) != 2 || home[0]["id"] != direct["id"] || home[1]["id"] != ids[4] {
		t.Fatalf("home page 1 = %v", idsOf(home))
	}
	wantLink := fmt.Sprintf(`<%s/api/v1/timelines/home?limit=2&max_id=%s>; rel="next", <%s/api/v1/timelines/home?limit=2&min_id=%s>; rel="prev"`,
		s.URL, ids[4], s.URL, direct["id"])
	if hdr.Get("Link") != wantLink {
		t.Fatalf("Link = %s\nwant %s", hdr.Get("Link"), wantLink)
	}
	bc.JSON(t, 200, "GET", "/api/v1/timelines/home", url.Values{"limit": {"2"}, "max_id": {ids[4]}}, &home)
	if fmt.Sprint(idsOf(home)) != fmt.Sprint([]string{ids[3], ids[2]}) {
		t.Fatalf("max_id page = %v", idsOf(home))
	}
	// since_id gives the newest after the cursor; min_id the oldest after it.
	bc.JSON(t, 200, "GET", "/api/v1/timelines/home", url.Values{"limit": {"2"}, "since_id": {ids[0]}}, &home)
	if fmt.Sprint(idsOf(home)) != fmt.Sprint([]any{direct["id"], ids[4]}) {
		t.Fatalf("since_id page = %v", idsOf(home))
	}
	bc.JSON(t, 200, "GET", "/api/v1/timelines/home", url.Values{"limit": {"2"}, "min_id": {ids[0]}}, &home)
	if fmt.Sprint(idsOf(home)) != fmt.Sprint([]string{ids[2], ids[1]}) {
		t.Fatalf("min_id page = %v", idsOf(home))
	}
	// Past the end: empty, and no Link header.
	hdr = bc.JSON(t, 200, "GET", "/api/v1/timelines/home", url.Values{"max_id": {ids[0]}}, &home)
	if len(home) != 0 || hdr.Get("Link") != "" {
		t.Fatalf("past the end: %v %q", idsOf(home), hdr.Get("Link"))
	}
	// limit is capped at twice the default.
	bc.JSON(t, 200, "GET", "/api/v1/timelines/home", url.Values{"limit": {"1000"}}, &home)
	if len(home) != 6 {
		t.Fatalf("limit cap: %d", len(home))
	}

	// Public timeline: no private statuses, anonymous allowed, no viewer fields.
	var pub []map[string]any
	NewClient(s, "").JSON(t, 200, "GET", "/api/v1/timelines/public", nil, &pub)
	if len(pub) != 5 || pub[0]["favourited"] != nil {
		t.Fatalf("public = %v", idsOf(pub))
	}
	var tag []map[string]any
	NewClient(s, "").JSON(t, 200, "GET", "/api/v1/timelines/tag/GoLang", url.Values{"limit": {"3"}}, &tag)
	if len(tag) != 3 {
		t.Fatalf("tag = %v", idsOf(tag))
	}
	// A stranger cannot see the private status.
	_, ct := s.CreateUser("carol")
	NewClient(s, ct).JSON(t, 404, "GET", "/api/v1/statuses/"+direct["id"].(string), nil, nil)
	bc.JSON(t, 200, "GET", "/api/v1/statuses/"+direct["id"].(string), nil, nil)

	// Mentions notify bob.
	var notes []map[string]any
	bc.JSON(t, 200, "GET", "/api/v1/notifications", url.Values{"types[]": {"mention"}}, &notes)
	if len(notes) != 5 || notes[0]["type"] != "mention" {
		t.Fatalf("notifications = %v", notes)
	}
	_ = bob
}

func idsOf(list []map[string]any) []any {
	var out []any
	for _, x := range list {
		out = append(out, x["id"])
	}
	return out
}

func TestIdempotentPosting(t *testing.T) {
	s := NewTestServer(t)
	_, tok := s.CreateUser("alice")
	post := func(key, text string) map[string]any {
		req, _ := http.NewRequest("POST", s.URL+"/api/v1/statuses", strings.NewReader(url.Values{"status": {text}}.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Authorization", "Bearer "+tok)
		req.Header.Set("Idempotency-Key", key)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var out map[string]any
		if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
			t.Fatal(err)
		}
		return out
	}
	a := post("k1", "hello")
	b := post("k1", "hello again")
	c := post("k2", "hello")
	if a["id"] != b["id"] || a["id"] == c["id"] {
		t.Fatalf("ids %v %v %v", a["id"], b["id"], c["id"])
	}
	var mine []map[string]any
	NewClient(s, tok).JSON(t, 200, "GET", "/api/v1/timelines/home", nil, &mine)
	if len(mine) != 2 {
		t.Fatalf("home has %d statuses, want 2", len(mine))
	}
	// The key expires after an hour.
	s.Clock().Advance(61 * time.Minute)
	if d := post("k1", "later"); d["id"] == a["id"] {
		t.Fatal("idempotency key outlived an hour")
	}
}

func TestStreamingSSE(t *testing.T) {
	s := NewTestServer(t, WithHeartbeat(20*time.Millisecond))
	alice, at := s.CreateUser("alice")
	_, bt := s.CreateUser("bob")
	NewClient(s, bt).JSON(t, 200, "POST", "/api/v1/accounts/"+alice.ID+"/follow", nil, nil)

	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", s.URL+"/api/v1/streaming/user", nil)
	req.Header.Set("Authorization", "Bearer "+bt)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "text/event-stream" {
		t.Fatalf("status %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	for s.StreamCount() == 0 {
		time.Sleep(time.Millisecond)
	}
	st := NewClient(s, at).PostStatus(t, "streamed")
	NewClient(s, at).JSON(t, 200, "DELETE", "/api/v1/statuses/"+st["id"].(string), nil, nil)

	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	var events []string
	var sawHeartbeat bool
	for len(events) < 2 && sc.Scan() {
		line := sc.Text()
		switch {
		case line == ":thump":
			sawHeartbeat = true
		case strings.HasPrefix(line, "event: "):
			events = append(events, strings.TrimPrefix(line, "event: "))
			if !sc.Scan() {
				t.Fatal("no data line")
			}
			data := strings.TrimPrefix(sc.Text(), "data: ")
			if events[len(events)-1] == "update" {
				var got map[string]any
				if err := json.Unmarshal([]byte(data), &got); err != nil || got["id"] != st["id"] {
					t.Fatalf("update data %s", data)
				}
			} else if data != st["id"] {
				t.Fatalf("delete data %q", data)
			}
		}
	}
	if fmt.Sprint(events) != "[update delete]" {
		t.Fatalf("events = %v", events)
	}
	for !sawHeartbeat && sc.Scan() {
		sawHeartbeat = sc.Text() == ":thump"
	}
	if !sawHeartbeat {
		t.Fatal("no heartbeat")
	}
}

func TestStreamingWebSocketMultiplexed(t *testing.T) {
	s := NewTestServer(t)
	alice, at := s.CreateUser("alice")
	_, bt := s.CreateUser("bob")
	NewClient(s, bt).JSON(t, 200, "POST", "/api/v1/accounts/"+alice.ID+"/follow", nil, nil)
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	conn, _, err := websocket.Dial(ctx, s.StreamingURL()+"/api/v1/streaming", &websocket.DialOptions{Subprotocols: []string{bt}})
	if err != nil {
		t.Fatal(err)
	}
	defer conn.CloseNow()
	for _, m := range []string{`{"type":"subscribe","stream":"user"}`, `{"type":"subscribe","stream":"hashtag","tag":"cats"}`,
		`{"type":"subscribe","stream":"nope"}`} {
		if err := conn.Write(ctx, websocket.MessageText, []byte(m)); err != nil {
			t.Fatal(err)
		}
	}
	read := func() wsOut {
		_, data, err := conn.Read(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var m wsOut
		if err := json.Unmarshal(data, &m); err != nil {
			t.Fatal(err)
		}
		return m
	}
	readRaw := func() string {
		_, data, err := conn.Read(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return string(data)
	}
	// Mastodon's shape for a failed subscription: a bare error and status.
	if m := readRaw(); m != `{"error":"Unknown stream type","status":400}` {
		t.Fatalf("unknown stream: %s", m)
	}
	NewClient(s, at).PostStatus(t, "I like #cats")
	got := map[string]bool{}
	for range 2 {
		m := read()
		got[fmt.Sprint(m.Stream)+" "+m.Event] = true
	}
	if !got["[user] update"] || !got["[hashtag cats] update"] {
		t.Fatalf("got %v", got)
	}
	// Favouriting bob's own post by alice notifies bob over the user stream.
	st := NewClient(s, bt).PostStatus(t, "bob's")
	if m := read(); m.Event != "update" {
		t.Fatalf("own post: %+v", m)
	}
	NewClient(s, at).JSON(t, 200, "POST", "/api/v1/statuses/"+st["id"].(string)+"/favourite", nil, nil)
	if m := read(); m.Event != "notification" || fmt.Sprint(m.Stream) != "[user]" {
		t.Fatalf("notification: %+v", m)
	}
	if err := conn.Write(ctx, websocket.MessageText, []byte(`{"type":"unsubscribe","stream":"user"}`)); err != nil {
		t.Fatal(err)
	}
	// Sync on the unsubscribe by subscribing to a bad stream and waiting for its error.
	if err := conn.Write(ctx, websocket.MessageText, []byte(`{"type":"subscribe","stream":"nope"}`)); err != nil {
		t.Fatal(err)
	}
	if m := readRaw(); m != `{"error":"Unknown stream type","status":400}` {
		t.Fatalf("sync: %s", m)
	}
	NewClient(s, at).PostStatus(t, "more #cats")
	if m := read(); fmt.Sprint(m.Stream) != "[hashtag cats]" {
		t.Fatalf("after unsubscribe: %+v", m)
	}
	if n := s.DropStreams(); n != 1 {
		t.Fatalf("dropped %d", n)
	}
	if _, _, err := conn.Read(ctx); err == nil {
		t.Fatal("read after drop succeeded")
	}
}

func TestStreamingAuth(t *testing.T) {
	s := NewTestServer(t)
	resp, err := http.Get(s.URL + "/api/v1/streaming/user")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 401 {
		t.Fatalf("anonymous user stream: %d", resp.StatusCode)
	}
	resp, err = http.Get(s.URL + "/api/v1/streaming/user?access_token=bogus")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 401 {
		t.Fatalf("bad token: %d", resp.StatusCode)
	}
	resp, err = http.Get(s.URL + "/api/v1/streaming/health")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("health: %d", resp.StatusCode)
	}
}

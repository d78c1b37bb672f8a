package mastodontest

import (
	"bytes"
	"context"
	"crypto/ecdh"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"
)

// inproc serves requests straight through the server's handler, without
// a socket: long runs stay fast and measure the server, not the network.
type inproc struct{ h http.Handler }

func (p inproc) RoundTrip(r *http.Request) (*http.Response, error) {
	rec := httptest.NewRecorder()
	p.h.ServeHTTP(rec, r)
	if r.Body != nil {
		r.Body.Close()
	}
	return rec.Result(), nil
}

// actor sends requests for one token.
type actor struct {
	tb  testing.TB
	s   *Server
	hc  *http.Client
	tok string
}

func newActor(tb testing.TB, s *Server, tok string, direct bool) *actor {
	hc := &http.Client{}
	if direct {
		hc.Transport = inproc{s.Handler()}
	}
	return &actor{tb: tb, s: s, hc: hc, tok: tok}
}

// call sends a request, requires status 200 and decodes a JSON object.
func (a *actor) call(method, path string, form url.Values, hdr ...string) map[string]any {
	a.tb.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	return a.send(method, path, body, "application/x-www-form-urlencoded", hdr...)
}

func (a *actor) send(method, path string, body io.Reader, ct string, hdr ...string) map[string]any {
	a.tb.Helper()
	req, err := http.NewRequest(method, a.s.URL+path, body)
	if err != nil {
		a.tb.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", ct)
	}
	req.Header.Set("Authorization", "Bearer "+a.tok)
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	resp, err := a.hc.Do(req)
	if err != nil {
		a.tb.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		a.tb.Fatalf("%s %s: %d %s", method, path, resp.StatusCode, data)
	}
	var out map[string]any
	if len(data) > 0 && data[0] == '{' {
		if err := json.Unmarshal(data, &out); err != nil {
			a.tb.Fatalf("%s %s: %v", method, path, err)
		}
	}
	return out
}

// upload posts a file of n bytes (a PNG header and padding) and returns
// the attachment id.
func (a *actor) upload(n int) string {
	a.tb.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, _ := mw.CreateFormFile("file", "x.png")
	data := make([]byte, n)
	copy(data, "\x89PNG\r\n\x1a\n")
	_, _ = fw.Write(data)
	_ = mw.Close()
	return a.send("POST", "/api/v1/media", &body, mw.FormDataContentType())["id"].(string)
}

// world is a server with two users and what their cycles need.
type world struct {
	s            *Server
	clock        *Clock
	alice, bob   *actor
	aliceID      string
	bobID        string
	app          App
	filterID     string
	streamsOverT bool // open a WebSocket in each cycle (needs the TCP server)
}

func newWorld(tb testing.TB, direct bool) *world {
	clock := NewClock(epoch)
	s := NewTestServer(tb, WithClock(clock), WithRateLimit(0, 0), WithPasswordGrant(true))
	alice, at := s.CreateUser("alice")
	bob, bt := s.CreateUser("bob")
	w := &world{s: s, clock: clock, alice: newActor(tb, s, at, direct), bob: newActor(tb, s, bt, direct),
		aliceID: alice.ID, bobID: bob.ID, app: s.CreateApp("bot", oobURI, "read", "write")}
	w.filterID = w.bob.call("POST", "/api/v2/filters", url.Values{"title": {"hide"}, "context[]": {"home"}})["id"].(string)
	// Hashtags, once used, stay (as Mastodon's tags do): the cycle's one
	// is known before the baseline.
	w.bob.call("GET", "/api/v1/tags/cycle", nil)
	return w
}

// fullCycle lives through most of what a bot test does, then undoes it:
// follows, media, Idempotency-Key posts, polls and votes, replies and
// mentions, favourites, reblogs, bookmarks, pins, edits, quotes, direct
// messages, filters, orphan uploads, tokens and (over TCP) a stream.
// peak, when not nil, receives the sizes before the undoing.
func (w *world) fullCycle(tb testing.TB, i int, peak func()) {
	tb.Helper()
	a, b := w.alice, w.bob
	b.call("POST", "/api/v1/accounts/"+w.aliceID+"/follow", nil)
	var conn *websocket.Conn
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if w.streamsOverT {
		var err error
		conn, _, err = websocket.Dial(ctx, w.s.StreamingURL()+"/api/v1/streaming?stream=user", &websocket.DialOptions{Subprotocols: []string{b.tok}})
		if err != nil {
			tb.Fatal(err)
		}
		defer conn.CloseNow()
	}
	m := a.upload(256)
	post := a.call("POST", "/api/v1/statuses", url.Values{"status": {fmt.Sprintf("post %d", i)}, "media_ids[]": {m}},
		"Idempotency-Key", fmt.Sprintf("key-%d", i))
	id := post["id"].(string)
	if again := a.call("POST", "/api/v1/statuses", url.Values{"status": {fmt.Sprintf("post %d", i)}, "media_ids[]": {m}},
		"Idempotency-Key", fmt.Sprintf("key-%d", i)); again["id"] != id {
		tb.Fatalf("idempotent retry made %v, want %s", again["id"], id)
	}
	if conn != nil {
		if _, data, err := conn.Read(ctx); err != nil || !strings.Contains(string(data), id) {
			tb.Fatalf("stream: %s %v", data, err)
		}
	}
	poll := a.call("POST", "/api/v1/statuses", url.Values{"status": {"vote"}, "poll[options][]": {"a", "b"}, "poll[expires_in]": {"600"}})
	b.call("POST", "/api/v1/polls/"+poll["poll"].(map[string]any)["id"].(string)+"/votes", url.Values{"choices[]": {"1"}})
	reply := b.call("POST", "/api/v1/statuses", url.Values{"status": {"@alice nice"}, "in_reply_to_id": {id}})
	for _, act := range []string{"favourite", "reblog", "bookmark"} {
		b.call("POST", "/api/v1/statuses/"+id+"/"+act, nil)
	}
	a.call("POST", "/api/v1/statuses/"+id+"/pin", nil)
	a.call("POST", "/api/v1/statuses/"+reply["id"].(string)+"/mute", nil)
	a.call("PUT", "/api/v1/statuses/"+id, url.Values{"status": {"edited"}})
	quote := b.call("POST", "/api/v1/statuses", url.Values{"status": {"look"}, "quoted_status_id": {id}})
	dm := a.call("POST", "/api/v1/statuses", url.Values{"status": {"@bob psst"}, "visibility": {"direct"}})
	b.call("POST", "/api/v2/filters/"+w.filterID+"/statuses", url.Values{"status_id": {id}})
	a.upload(256) // never attached
	tok := newActor(tb, w.s, "", true).call("POST", "/oauth/token", url.Values{"grant_type": {"password"},
		"client_id": {w.app.ClientID}, "client_secret": {w.app.ClientSecret}, "username": {"alice"}, "password": {"password"}})
	b.call("POST", "/api/v1/push/subscription", pushForm())
	b.call("POST", "/api/v1/tags/cycle/follow", nil)
	b.call("POST", "/api/v1/domain_blocks", url.Values{"domain": {"spam.example"}})
	kw := b.call("POST", "/api/v2/filters/"+w.filterID+"/keywords", url.Values{"keyword": {"spoiler"}})["id"].(string)
	sched := a.call("POST", "/api/v1/statuses", url.Values{"status": {"later"},
		"scheduled_at": {w.clock.Now().Add(time.Hour).Format(time.RFC3339)}})["id"].(string)
	ruleID := w.s.AddRule("Be kind", "")
	ann := w.s.PublishAnnouncement("maintenance", nil)
	for _, x := range []*actor{a, b} {
		x.call("PUT", "/api/v1/announcements/"+ann+"/reactions/👍", nil)
		x.call("POST", "/api/v1/announcements/"+ann+"/dismiss", nil)
	}
	// A short-lived account does a bit of everything, then is deleted.
	carolAcct, carolTok := w.s.CreateUser(fmt.Sprintf("carol%d", i), Discoverable())
	carol := newActor(tb, w.s, carolTok, true)
	carol.call("POST", "/api/v1/accounts/"+w.aliceID+"/follow", url.Values{"languages[]": {"en"}})
	carol.call("POST", "/api/v1/polls/"+poll["poll"].(map[string]any)["id"].(string)+"/votes", url.Values{"choices[]": {"0"}})
	for _, act := range []string{"favourite", "reblog", "bookmark"} {
		carol.call("POST", "/api/v1/statuses/"+id+"/"+act, nil)
	}
	carol.call("POST", "/api/v1/statuses", url.Values{"status": {"@alice @bob hi"}, "visibility": {"direct"}})
	carol.call("POST", "/api/v1/statuses", url.Values{"status": {"@alice later"}, "scheduled_at": {w.clock.Now().Add(time.Hour).Format(time.RFC3339)}})
	carol.upload(64)
	list := carol.call("POST", "/api/v1/lists", url.Values{"title": {"friends"}})["id"].(string)
	carol.call("POST", "/api/v1/lists/"+list+"/accounts", url.Values{"account_ids[]": {w.aliceID}})
	carol.call("POST", "/api/v1/markers", url.Values{"home[last_read_id]": {id}})
	cf := carol.call("POST", "/api/v2/filters", url.Values{"title": {"mine"}, "context[]": {"home"}})["id"].(string)
	carol.call("POST", "/api/v2/filters/"+cf+"/keywords", url.Values{"keyword": {"x"}})
	carol.call("POST", "/api/v1/domain_blocks", url.Values{"domain": {"other.example"}})
	carol.call("POST", "/api/v1/reports", url.Values{"account_id": {w.aliceID}, "status_ids[]": {id}, "category": {"violation"}, "rule_ids[]": {ruleID}})
	carol.call("POST", "/api/v1/push/subscription", pushForm())
	carol.call("PUT", "/api/v1/announcements/"+ann+"/reactions/🎉", nil)
	carol.call("PATCH", "/api/v2/notifications/policy", url.Values{"for_not_following": {"filter"}})
	a.call("POST", "/api/v1/accounts/"+carolAcct.ID+"/follow", nil)
	a.call("POST", "/api/v1/accounts/"+carolAcct.ID+"/endorse", nil)
	a.call("POST", "/api/v1/accounts/"+carolAcct.ID+"/note", url.Values{"comment": {"new here"}})
	a.call("POST", "/api/v1/accounts/"+carolAcct.ID+"/mute", nil)
	b.call("DELETE", "/api/v1/suggestions/"+carolAcct.ID, nil)
	b.call("POST", "/api/v1/accounts/"+carolAcct.ID+"/block", nil)
	if peak != nil {
		peak()
	}
	w.s.DeleteAccount(carolAcct.ID)
	a.call("POST", "/api/v1/statuses/"+id+"/unmute", nil)
	w.s.DeleteAnnouncement(ann)
	w.s.RemoveRule(ruleID)
	a.call("DELETE", "/api/v1/scheduled_statuses/"+sched, nil)
	b.call("DELETE", "/api/v2/filters/keywords/"+kw, nil)
	b.call("DELETE", "/api/v1/domain_blocks", url.Values{"domain": {"spam.example"}})
	b.call("POST", "/api/v1/tags/cycle/unfollow", nil)
	b.call("DELETE", "/api/v1/push/subscription", nil)
	newActor(tb, w.s, "", true).call("POST", "/oauth/revoke", url.Values{"client_id": {w.app.ClientID},
		"client_secret": {w.app.ClientSecret}, "token": {tok["access_token"].(string)}})
	b.call("DELETE", "/api/v1/statuses/"+reply["id"].(string), nil)
	b.call("DELETE", "/api/v1/statuses/"+quote["id"].(string), nil)
	a.call("DELETE", "/api/v1/statuses/"+dm["id"].(string), nil)
	a.call("DELETE", "/api/v1/statuses/"+poll["id"].(string), nil)
	a.call("DELETE", "/api/v1/statuses/"+id, url.Values{"delete_media": {"true"}})
	b.call("POST", "/api/v1/accounts/"+w.aliceID+"/unfollow", nil)
	if conn != nil {
		conn.Close(websocket.StatusNormalClosure, "")
	}
	w.clock.Advance(time.Second)
}

// pushForm is a Web Push subscription with a fresh P-256 key.
func pushForm() url.Values {
	k, err := ecdh.P256().GenerateKey(rand.Reader)
	if err != nil {
		panic(err)
	}
	return url.Values{"subscription[endpoint]": {"https://push.example/x"},
		"subscription[keys][p256dh]": {base64.RawURLEncoding.EncodeToString(k.PublicKey().Bytes())},
		"subscription[keys][auth]":   {"c2VjcmV0c2VjcmV0"}, "data[alerts][mention]": {"true"}}
}

// settle lets time-driven cleanup run (a day passes and one request comes)
// and waits until every stream handler has finished.
func (w *world) settle(tb testing.TB) {
	tb.Helper()
	w.clock.Advance(25 * time.Hour)
	w.alice.call("GET", "/api/v1/accounts/verify_credentials", nil)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	for {
		n, changed := w.s.hub.subscriptionCount()
		if n == 0 && w.s.hub.count() == 0 {
			return
		}
		select {
		case <-changed:
		case <-ctx.Done():
			tb.Fatalf("%d streams still open", w.s.hub.count())
		}
	}
}

func diffSizes(before, after map[string]int) []string {
	var out []string
	for k, v := range after {
		if before[k] != v {
			out = append(out, fmt.Sprintf("%s %d→%d", k, before[k], v))
		}
	}
	slices.Sort(out)
	return out
}

// TestLongRunReturnsToBaseline drives many full cycles of activity and
// undoing it; every index of the server must come back to its size before
// them, and Reset must empty everything.
func TestLongRunReturnsToBaseline(t *testing.T) {
	w := newWorld(t, false)
	w.streamsOverT = true
	base := w.s.sizes()
	var peak map[string]int
	for i := range 60 {
		var record func()
		if i == 0 {
			record = func() { peak = w.s.sizes() }
		}
		w.fullCycle(t, i, record)
	}
	w.settle(t)
	// The cycle really fills these (so the test can fail) …
	for _, k := range []string{"statuses", "timeline", "media", "mediaBytes", "polls", "notifs", "favs", "favIdx",
		"bookmarks", "bookmarkIdx", "reblogIdx", "pinned", "edits", "quotes", "convs", "idem", "idemOrder",
		"filterStatuses", "follows", "tokens", "refresh", "streams", "subscriptions", "clockWaits",
		"accounts", "byName", "order", "rules", "hiddenSuggest", "pushSubs", "markers", "markerEntries", "pollVotes",
		"lists", "listMembers", "filters", "filterKeywords", "domainBlocks", "domainBlockEntries", "announcements",
		"announcementReads", "announcementReactions", "reports", "reportStatuses", "blocks", "mutes", "notes",
		"endorse", "tagFollows", "convMutes", "scheduled", "followLangs", "convParticipants", "policies"} {
		if peak[k] <= base[k] {
			t.Errorf("the cycle does not exercise %s (%d at peak, %d at start)", k, peak[k], base[k])
		}
	}
	// … and all of it is gone again.
	if d := diffSizes(base, w.s.sizes()); len(d) > 0 {
		t.Errorf("after 60 cycles the server holds more than at the start: %v", d)
	}

	w.s.Reset()
	for k, v := range w.s.sizes() {
		if v != 0 {
			t.Errorf("after Reset %s = %d, want 0", k, v)
		}
	}
}

// TestUndoDropsNotifications checks the notifications Mastodon destroys
// with their cause: unfavourite, unreblog, unfollow, rejected requests.
func TestUndoDropsNotifications(t *testing.T) {
	s := NewTestServer(t)
	alice, at := s.CreateUser("alice")
	carol, ct := s.CreateUser("carol", Locked())
	_, bt := s.CreateUser("bob")
	a, b, c := NewClient(s, at), NewClient(s, bt), NewClient(s, ct)
	st := a.PostStatus(t, "hello")
	id := st["id"].(string)
	for _, p := range []string{"/api/v1/statuses/" + id + "/favourite", "/api/v1/statuses/" + id + "/reblog",
		"/api/v1/accounts/" + alice.ID + "/follow", "/api/v1/accounts/" + carol.ID + "/follow"} {
		b.JSON(t, 200, "POST", p, nil, nil)
	}
	kinds := func(cl *Client) string {
		var ns []struct{ Type string }
		cl.JSON(t, 200, "GET", "/api/v1/notifications", nil, &ns)
		var out []string
		for _, n := range ns {
			out = append(out, n.Type)
		}
		return strings.Join(out, " ")
	}
	if got := kinds(a); got != "follow reblog favourite" {
		t.Fatalf("alice's notifications: %q", got)
	}
	if got := kinds(c); got != "follow_request" {
		t.Fatalf("carol's notifications: %q", got)
	}
	for _, p := range []string{"/api/v1/statuses/" + id + "/unfavourite", "/api/v1/statuses/" + id + "/unreblog",
		"/api/v1/accounts/" + alice.ID + "/unfollow"} {
		b.JSON(t, 200, "POST", p, nil, nil)
	}
	if got := kinds(a); got != "" {
		t.Errorf("alice's notifications after undoing: %q", got)
	}
	var bob []struct{ ID string }
	c.JSON(t, 200, "GET", "/api/v1/follow_requests", nil, &bob)
	c.JSON(t, 200, "POST", "/api/v1/follow_requests/"+bob[0].ID+"/reject", nil, nil)
	if got := kinds(c); got != "" {
		t.Errorf("carol's notifications after rejecting: %q", got)
	}
}

// TestDeleteStatusKeepsOrDropsMedia: delete_media removes the attachments;
// without it they are detached and can be posted again (redraft).
func TestDeleteStatusKeepsOrDropsMedia(t *testing.T) {
	s := NewTestServer(t)
	_, tok := s.CreateUser("alice")
	a := newActor(t, s, tok, false)
	for _, drop := range []bool{false, true} {
		m := a.upload(128)
		st := a.call("POST", "/api/v1/statuses", url.Values{"status": {"pic"}, "media_ids[]": {m}})
		form := url.Values{}
		if drop {
			form.Set("delete_media", "true")
		}
		a.call("DELETE", "/api/v1/statuses/"+st["id"].(string)+"?"+form.Encode(), nil)
		code, _, body, _ := NewClient(s, tok).Do("GET", "/api/v1/media/"+m, nil)
		if drop && code != 404 {
			t.Errorf("delete_media: media answers %d %s, want 404", code, body)
		}
		if !drop {
			if code != 200 {
				t.Fatalf("redraft: media answers %d %s", code, body)
			}
			a.call("POST", "/api/v1/statuses", url.Values{"status": {"again"}, "media_ids[]": {m}})
		}
	}
}

// TestUnattachedMediaVacuumed: an upload never attached is gone after a
// day of the server's clock, as Mastodon's media vacuum removes it.
func TestUnattachedMediaVacuumed(t *testing.T) {
	clock := NewClock(epoch)
	s := NewTestServer(t, WithClock(clock))
	_, tok := s.CreateUser("alice")
	a := newActor(t, s, tok, false)
	m := a.upload(64)
	clock.Advance(23 * time.Hour)
	a.call("GET", "/api/v1/media/"+m, nil)
	clock.Advance(2 * time.Hour)
	if code, _, _, _ := NewClient(s, tok).Do("GET", "/api/v1/media/"+m, nil); code != 404 {
		t.Errorf("after 25h an unattached upload answers %d, want 404", code)
	}
}

// TestIdempotencyKeysCapped: with a frozen clock the remembered keys stop
// at the cap, the oldest going first.
func TestIdempotencyKeysCapped(t *testing.T) {
	s := NewTestServer(t, WithClock(NewClock(epoch)))
	s.mu.Lock()
	for i := range maxIdempotencyKeys + 50 {
		s.st.rememberIdempotency(fmt.Sprint("k", i), fmt.Sprint(i))
	}
	_, oldest := s.st.idem["k0"]
	_, newest := s.st.idem[fmt.Sprint("k", maxIdempotencyKeys+49)]
	n := len(s.st.idem)
	s.mu.Unlock()
	if n != maxIdempotencyKeys || oldest || !newest {
		t.Fatalf("%d keys (oldest kept %v, newest kept %v), want %d without the oldest", n, oldest, newest, maxIdempotencyKeys)
	}
}

// TestQuoteOfDeletedStatus: a quote whose quoted post is deleted says so,
// as Mastodon's quote state "deleted" with no quoted_status.
func TestQuoteOfDeletedStatus(t *testing.T) {
	s := NewTestServer(t)
	_, at := s.CreateUser("alice")
	_, bt := s.CreateUser("bob")
	orig := NewClient(s, at).PostStatus(t, "original")
	var q map[string]any
	NewClient(s, bt).JSON(t, 200, "POST", "/api/v1/statuses", url.Values{"status": {"see"}, "quoted_status_id": {orig["id"].(string)}}, &q)
	NewClient(s, at).JSON(t, 200, "DELETE", "/api/v1/statuses/"+orig["id"].(string), nil, nil)
	var got map[string]any
	NewClient(s, bt).JSON(t, 200, "GET", "/api/v1/statuses/"+q["id"].(string), nil, &got)
	if b, _ := json.Marshal(got["quote"]); string(b) != `{"quoted_status":null,"state":"deleted"}` {
		t.Errorf("quote after deletion: %s", b)
	}
}

// TestConversationFollowsDeletes: deleting the newest message of a
// conversation shows the one before; deleting all of them removes it.
func TestConversationFollowsDeletes(t *testing.T) {
	s := NewTestServer(t)
	_, at := s.CreateUser("alice")
	_, bt := s.CreateUser("bob")
	a := NewClient(s, at)
	var first, second map[string]any
	a.JSON(t, 200, "POST", "/api/v1/statuses", url.Values{"status": {"@bob one"}, "visibility": {"direct"}}, &first)
	a.JSON(t, 200, "POST", "/api/v1/statuses", url.Values{"status": {"@bob two"}, "visibility": {"direct"}, "in_reply_to_id": {first["id"].(string)}}, &second)
	last := func() []string {
		var cs []struct {
			LastStatus struct{ ID string } `json:"last_status"`
		}
		NewClient(s, bt).JSON(t, 200, "GET", "/api/v1/conversations", nil, &cs)
		var out []string
		for _, c := range cs {
			out = append(out, c.LastStatus.ID)
		}
		return out
	}
	a.JSON(t, 200, "DELETE", "/api/v1/statuses/"+second["id"].(string), nil, nil)
	if got := last(); len(got) != 1 || got[0] != first["id"] {
		t.Errorf("after deleting the newest: %v, want [%v]", got, first["id"])
	}
	a.JSON(t, 200, "DELETE", "/api/v1/statuses/"+first["id"].(string), nil, nil)
	if got := last(); len(got) != 0 {
		t.Errorf("after deleting all: %v", got)
	}
	if n := s.sizes()["convs"]; n != 0 {
		t.Errorf("%d conversations kept", n)
	}
}

// lightCycle is the loop of the heap measurements: upload, post, react,
// delete, an orphan upload; the clock moves an hour so time-driven
// cleanup keeps up.
func (w *world) lightCycle(tb testing.TB, i int) {
	a, b := w.alice, w.bob
	m := a.upload(4096)
	id := a.call("POST", "/api/v1/statuses", url.Values{"status": {"post"}, "media_ids[]": {m}},
		"Idempotency-Key", fmt.Sprint(i))["id"].(string)
	b.call("POST", "/api/v1/statuses/"+id+"/favourite", nil)
	b.call("POST", "/api/v1/statuses/"+id+"/reblog", nil)
	a.upload(4096)
	a.call("DELETE", "/api/v1/statuses/"+id, url.Values{"delete_media": {"1"}})
	w.clock.Advance(time.Hour)
}

func heapInuse() uint64 {
	var ms runtime.MemStats
	runtime.GC()
	runtime.GC()
	runtime.ReadMemStats(&ms)
	return ms.HeapInuse
}

// TestHeapFlatOverLongRun: the heap in use after 1500 cycles is within a
// generous bound (3 MiB) of the heap after 300. Every cycle uploads 8 KiB,
// so a leak of uploads, statuses or notifications would add 5 MiB or more.
func TestHeapFlatOverLongRun(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("measures the heap: not in -short or -race runs")
	}
	w := newWorld(t, true)
	for i := range 300 {
		w.lightCycle(t, i)
	}
	h1 := heapInuse()
	for i := 300; i < 1500; i++ {
		w.lightCycle(t, i)
	}
	h2 := heapInuse()
	t.Logf("heap in use: %d KiB after 300 cycles, %d KiB after 1500", h1>>10, h2>>10)
	if h2 > h1+3<<20 {
		t.Errorf("heap grew from %d KiB to %d KiB over 1200 cycles", h1>>10, h2>>10)
	}
	if n := w.s.sizes()["statuses"]; n != 0 {
		t.Errorf("%d statuses still held", n)
	}
}

// BenchmarkLongRun runs the light cycle (two 4 KiB uploads, a post, a
// favourite, a reblog, a delete) and reports, besides allocations, the heap
// still in use per cycle at the end: flat memory shows as about zero.
func BenchmarkLongRun(b *testing.B) {
	w := newWorld(b, true)
	for i := range 100 { // warm up to a steady state
		w.lightCycle(b, i)
	}
	before := heapInuse()
	b.ReportAllocs()
	b.ResetTimer()
	i := 100
	for b.Loop() {
		w.lightCycle(b, i)
		i++
	}
	b.StopTimer()
	after := heapInuse()
	b.ReportMetric(float64(int64(after)-int64(before))/float64(b.N), "retained-B/op")
}

// TestAuthorizationCodesCapped: codes never exchanged stop at the cap
// under a frozen clock, and expire after ten minutes of it.
func TestAuthorizationCodesCapped(t *testing.T) {
	clock := NewClock(epoch)
	s := NewTestServer(t, WithClock(clock))
	s.CreateAccount("alice")
	app := s.CreateApp("bot", oobURI, "read")
	s.mu.Lock()
	for i := range maxCodes + 20 {
		c := &authCode{code: fmt.Sprint("c", i), app: s.st.apps[app.ClientID], expires: epoch.Add(time.Duration(i) * time.Millisecond)}
		s.st.codes[c.code] = c
		s.st.capCodes()
	}
	_, first := s.st.codes["c0"]
	n := len(s.st.codes)
	s.mu.Unlock()
	if n != maxCodes || first {
		t.Fatalf("%d codes (first kept: %v), want %d without the first", n, first, maxCodes)
	}
	clock.Advance(11 * time.Minute)
	NewClient(s, "").JSON(t, 200, "GET", "/api/v1/instance", nil, nil)
	if n := s.sizes()["codes"]; n != 0 {
		t.Fatalf("%d codes left after they expired", n)
	}
}

package mastodontest

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"image"
	"image/png"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"
)

var epoch = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

// openSSE opens an SSE stream at path (with query) and returns a reader
// positioned after the server's opening ":)" comment.
func openSSE(t *testing.T, s *Server, token, path string) *bufio.Reader {
	t.Helper()
	ctx, cancel := context.WithCancel(t.Context())
	t.Cleanup(cancel)
	req, _ := http.NewRequestWithContext(ctx, "GET", s.URL+path, nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	if resp.StatusCode != 200 {
		b, _ := io.ReadAll(resp.Body)
		t.Fatalf("GET %s: %d %s", path, resp.StatusCode, b)
	}
	br := bufio.NewReader(resp.Body)
	if line, err := br.ReadString('\n'); err != nil || line != ":)\n" {
		t.Fatalf("opening line %q, %v", line, err)
	}
	return br
}

// nextSSE reads the next SSE item: a comment line (":thump") or an event
// as "event <name> <data>".
func nextSSE(t *testing.T, br *bufio.Reader) string {
	t.Helper()
	var event, data string
	for {
		line, err := br.ReadString('\n')
		if err != nil {
			t.Fatalf("reading stream: %v", err)
		}
		line = strings.TrimSuffix(line, "\n")
		switch {
		case line == "" && event != "":
			return "event " + event + " " + data
		case line == "":
		case strings.HasPrefix(line, ":"):
			if event == "" {
				return line
			}
		case strings.HasPrefix(line, "event: "):
			event = strings.TrimPrefix(line, "event: ")
		case strings.HasPrefix(line, "data: "):
			data = strings.TrimPrefix(line, "data: ")
		}
	}
}

func TestSSEHeartbeatFollowsClock(t *testing.T) {
	clock := NewClock(epoch)
	s := NewTestServer(t, WithClock(clock))
	_, tok := s.CreateUser("alice")
	br := openSSE(t, s, tok, "/api/v1/streaming/public/local")

	// Short of the 15 seconds nothing comes: the next item is the post.
	clock.Advance(14 * time.Second)
	st := NewClient(s, tok).PostStatus(t, "first")
	if got := nextSSE(t, br); !strings.HasPrefix(got, "event update {") || !strings.Contains(got, `"id":"`+st["id"].(string)+`"`) {
		t.Fatalf("after 14s: %q, want the update", got)
	}
	// At 15 seconds the heartbeat comes, exactly as Mastodon writes it.
	clock.Advance(time.Second)
	raw := make([]byte, len(":thump\n\n"))
	if _, err := io.ReadFull(br, raw); err != nil || string(raw) != ":thump\n\n" {
		t.Fatalf("heartbeat bytes %q, %v", raw, err)
	}
	// The next one is due 15 seconds after that.
	clock.Advance(15 * time.Second)
	if got := nextSSE(t, br); got != ":thump" {
		t.Fatalf("second heartbeat: %q", got)
	}
	if n := clock.pending(); n != 1 {
		t.Fatalf("%d heartbeat waits pending, want 1", n)
	}
}

func TestSSEHeartbeatInterval(t *testing.T) {
	clock := NewClock(epoch)
	s := NewTestServer(t, WithClock(clock), WithHeartbeat(time.Minute))
	br := openSSE(t, s, "", "/api/v1/streaming/public")
	clock.Advance(59 * time.Second)
	_, tok := s.CreateUser("alice")
	NewClient(s, tok).PostStatus(t, "x")
	if got := nextSSE(t, br); !strings.HasPrefix(got, "event update ") {
		t.Fatalf("before the minute: %q", got)
	}
	clock.Advance(time.Second)
	if got := nextSSE(t, br); got != ":thump" {
		t.Fatalf("at the minute: %q", got)
	}
}

func TestWebSocketHeartbeatIsPing(t *testing.T) {
	clock := NewClock(epoch)
	s := NewTestServer(t, WithClock(clock))
	_, tok := s.CreateUser("alice")
	pings := make(chan struct{}, 4)
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	conn, _, err := websocket.Dial(ctx, s.StreamingURL()+"/api/v1/streaming?stream=user", &websocket.DialOptions{
		HTTPHeader: http.Header{"Authorization": {"Bearer " + tok}},
		OnPingReceived: func(context.Context, []byte) bool {
			pings <- struct{}{}
			return true
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	defer conn.CloseNow()
	msgs := make(chan string, 4)
	go func() {
		for {
			_, data, err := conn.Read(ctx)
			if err != nil {
				close(msgs)
				return
			}
			msgs <- string(data)
		}
	}()
	clock.Advance(15 * time.Second)
	select {
	case <-pings:
	case <-ctx.Done():
		t.Fatal("no ping frame after the clock moved 15s")
	}
	// A heartbeat is a control frame only: no text message came with it.
	NewClient(s, tok).PostStatus(t, "after the ping")
	select {
	case m := <-msgs:
		if !strings.Contains(m, `"event":"update"`) {
			t.Fatalf("first message %s, want the update", m)
		}
	case <-ctx.Done():
		t.Fatal("no update")
	}
}

// TestWebSocketSubscribedAtOpen connects and posts at once, many times:
// the subscription named in the URL exists before the handshake ends.
func TestWebSocketSubscribedAtOpen(t *testing.T) {
	s := NewTestServer(t)
	_, tok := s.CreateUser("alice")
	poster := NewClient(s, tok)
	ctx, cancel := context.WithTimeout(t.Context(), 60*time.Second)
	defer cancel()
	for i := range 40 {
		conn, _, err := websocket.Dial(ctx, s.StreamingURL()+"/api/v1/streaming?stream=public:local&access_token="+tok, nil)
		if err != nil {
			t.Fatal(err)
		}
		st := poster.PostStatus(t, fmt.Sprintf("post %d", i))
		var m wsOut
		rctx, rcancel := context.WithTimeout(ctx, 5*time.Second)
		_, data, err := conn.Read(rctx)
		rcancel()
		if err != nil || json.Unmarshal(data, &m) != nil {
			t.Fatalf("round %d: %s %v", i, data, err)
		}
		var got struct{ ID string }
		if m.Event != "update" || m.Payload == nil || json.Unmarshal([]byte(*m.Payload), &got) != nil || got.ID != st["id"] {
			t.Fatalf("round %d: got %s, want the update of %v", i, data, st["id"])
		}
		conn.Close(websocket.StatusNormalClosure, "")
	}
}

// TestWebSocketSubscribeThenPost sends subscribe messages on one socket,
// waits for the server to hold them and posts at once, many times.
func TestWebSocketSubscribeThenPost(t *testing.T) {
	s := NewTestServer(t)
	_, tok := s.CreateUser("alice")
	poster := NewClient(s, tok)
	ctx, cancel := context.WithTimeout(t.Context(), 60*time.Second)
	defer cancel()
	conn, _, err := websocket.Dial(ctx, s.StreamingURL()+"/api/v1/streaming", &websocket.DialOptions{Subprotocols: []string{tok}})
	if err != nil {
		t.Fatal(err)
	}
	defer conn.CloseNow()
	for i := range 40 {
		tag := fmt.Sprintf("t%d", i)
		if err := conn.Write(ctx, websocket.MessageText, []byte(`{"type":"subscribe","stream":["hashtag"],"tag":"`+tag+`"}`)); err != nil {
			t.Fatal(err)
		}
		if err := s.WaitSubscriptions(ctx, i+1); err != nil {
			t.Fatalf("round %d: %v", i, err)
		}
		st := poster.PostStatus(t, "#"+tag)
		rctx, rcancel := context.WithTimeout(ctx, 5*time.Second)
		_, data, err := conn.Read(rctx)
		rcancel()
		var m wsOut
		if err != nil || json.Unmarshal(data, &m) != nil {
			t.Fatalf("round %d: %s %v", i, data, err)
		}
		if m.Event != "update" || fmt.Sprint(m.Stream) != "[hashtag "+tag+"]" || !strings.Contains(*m.Payload, `"id":"`+st["id"].(string)+`"`) {
			t.Fatalf("round %d: %s", i, data)
		}
	}
	if n := s.Subscriptions(); n != 40 {
		t.Fatalf("%d subscriptions, want 40", n)
	}
}

func TestWebSocketErrorShape(t *testing.T) {
	s := NewTestServer(t)
	alice, tok := s.CreateUser("alice")
	_, bobTok := s.CreateUser("bob")
	var l map[string]any
	NewClient(s, bobTok).JSON(t, 200, "POST", "/api/v1/lists", url.Values{"title": {"bob's"}}, &l)
	_ = alice
	appTok := s.CreateAppToken("read")
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	dial := func(tok, query string) *websocket.Conn {
		t.Helper()
		u := s.StreamingURL() + "/api/v1/streaming" + query
		conn, _, err := websocket.Dial(ctx, u, &websocket.DialOptions{Subprotocols: []string{tok}})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { conn.CloseNow() })
		return conn
	}
	read := func(conn *websocket.Conn) string {
		t.Helper()
		_, data, err := conn.Read(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return string(data)
	}
	conn := dial(tok, "")
	for _, c := range []struct{ msg, want string }{
		{`{"type":"subscribe","stream":"nope"}`, `{"error":"Unknown stream type","status":400}`},
		{`{"type":"subscribe","stream":"hashtag"}`, `{"error":"Missing tag name parameter","status":400}`},
		{`{"type":"subscribe","stream":"list"}`, `{"error":"Missing list name parameter","status":400}`},
		{`{"type":"subscribe","stream":"list","list":"` + l["id"].(string) + `"}`, `{"error":"Not authorized to stream this list","status":401}`},
		{`not json at all`, ``}, // ignored, as Mastodon does
		{`{"type":"unsubscribe","stream":"nope"}`, `{"error":"Error unsubscribing from channel"}`},
	} {
		if err := conn.Write(ctx, websocket.MessageText, []byte(c.msg)); err != nil {
			t.Fatal(err)
		}
		if c.want == "" {
			continue
		}
		if got := read(conn); got != c.want {
			t.Errorf("%s: got %s, want %s", c.msg, got, c.want)
		}
	}
	// An app token cannot have a user stream; a bad stream in the URL is
	// reported on the open socket, not by refusing the handshake.
	if got := read(dial(appTok, "?stream=user")); got != `{"error":"Missing access token","status":401}` {
		t.Errorf("app token user stream: %s", got)
	}
	if got := read(dial(tok, "?stream=bogus")); got != `{"error":"Unknown stream type","status":400}` {
		t.Errorf("bogus stream in URL: %s", got)
	}
	// Binary frames end the connection with 1003.
	if err := conn.Write(ctx, websocket.MessageBinary, []byte{1, 2}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := conn.Read(ctx); websocket.CloseStatus(err) != websocket.StatusUnsupportedData {
		t.Errorf("after a binary frame: %v", err)
	}
}

func TestSSEStreamErrors(t *testing.T) {
	s := NewTestServer(t)
	_, tok := s.CreateUser("alice")
	for path, want := range map[string]string{
		"/api/v1/streaming/hashtag":              `400 {"error":"Missing tag name parameter"}`,
		"/api/v1/streaming/list?list=12345":      `401 {"error":"Not authorized to stream this list"}`,
		"/api/v1/streaming/user?access_token=no": `401 {"error":"Invalid access token"}`,
	} {
		c := NewClient(s, tok)
		if strings.Contains(path, "access_token") {
			c = NewClient(s, "")
		}
		code, _, body, err := c.Do("GET", path, nil)
		if err != nil {
			t.Fatal(err)
		}
		if got := fmt.Sprintf("%d %s", code, body); got != want {
			t.Errorf("%s: %s, want %s", path, got, want)
		}
	}
}

// uploadPNG uploads a small PNG and returns the attachment id.
func uploadPNG(t testing.TB, s *Server, token string) string {
	t.Helper()
	var img bytes.Buffer
	_ = png.Encode(&img, image.NewGray(image.Rect(0, 0, 4, 3)))
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, _ := mw.CreateFormFile("file", "x.png")
	_, _ = fw.Write(img.Bytes())
	_ = mw.Close()
	req, _ := http.NewRequest("POST", s.URL+"/api/v2/media", &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var m struct{ ID string }
	if err := json.NewDecoder(resp.Body).Decode(&m); err != nil || resp.StatusCode != 200 || m.ID == "" {
		t.Fatalf("upload: %d %v", resp.StatusCode, err)
	}
	return m.ID
}

// TestOnlyMediaStreams posts a text status, then one with media, and
// checks that every media stream (SSE by flag or name, WebSocket by name)
// delivers only the second, while the plain stream has both.
func TestOnlyMediaStreams(t *testing.T) {
	s := NewTestServer(t)
	_, tok := s.CreateUser("alice")
	sse := map[string]*bufio.Reader{}
	for _, p := range []string{
		"/api/v1/streaming/public", "/api/v1/streaming/public?only_media=true", "/api/v1/streaming/public?only_media=1",
		"/api/v1/streaming/public?only_media=false", "/api/v1/streaming/public/local?only_media=true",
		"/api/v1/streaming/public/remote?only_media=true", "/api/v1/streaming/public/remote",
	} {
		sse[p] = openSSE(t, s, tok, p)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
	defer cancel()
	conn, _, err := websocket.Dial(ctx, s.StreamingURL()+"/api/v1/streaming?stream=public:media", &websocket.DialOptions{Subprotocols: []string{tok}})
	if err != nil {
		t.Fatal(err)
	}
	defer conn.CloseNow()
	for _, m := range []string{`{"type":"subscribe","stream":"public:local:media"}`, `{"type":"subscribe","stream":"public:remote:media"}`} {
		if err := conn.Write(ctx, websocket.MessageText, []byte(m)); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.WaitSubscriptions(ctx, len(sse)+3); err != nil {
		t.Fatal(err)
	}
	c := NewClient(s, tok)
	text := c.PostStatus(t, "words only")
	var media map[string]any
	c.JSON(t, 200, "POST", "/api/v1/statuses", url.Values{"status": {"a picture"}, "media_ids[]": {uploadPNG(t, s, tok)}}, &media)
	mediaID, textID := media["id"].(string), text["id"].(string)

	idOf := func(item string) string {
		var st struct{ ID string }
		data := item[strings.Index(item, "{"):]
		if err := json.Unmarshal([]byte(data), &st); err != nil {
			t.Fatalf("payload %s: %v", data, err)
		}
		return st.ID
	}
	for _, p := range []string{"/api/v1/streaming/public", "/api/v1/streaming/public?only_media=false"} {
		if a, b := idOf(nextSSE(t, sse[p])), idOf(nextSSE(t, sse[p])); a != textID || b != mediaID {
			t.Errorf("%s: %s %s, want both", p, a, b)
		}
	}
	for _, p := range []string{"/api/v1/streaming/public?only_media=true", "/api/v1/streaming/public?only_media=1",
		"/api/v1/streaming/public/local?only_media=true"} {
		if got := nextSSE(t, sse[p]); !strings.HasPrefix(got, "event update ") || idOf(got) != mediaID {
			t.Errorf("%s: first item %.80s, want the media status", p, got)
		}
	}
	got := map[string]string{}
	for range 2 {
		_, data, err := conn.Read(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var m wsOut
		if err := json.Unmarshal(data, &m); err != nil || m.Payload == nil {
			t.Fatalf("message %s", data)
		}
		got[strings.Join(m.Stream, " ")] = idOf(*m.Payload)
	}
	if got["public:media"] != mediaID || got["public:local:media"] != mediaID || len(got) != 2 {
		t.Errorf("WebSocket media streams got %v, want only %s on public:media and public:local:media", got, mediaID)
	}
	// The remote streams carry only statuses of other servers' accounts.
	far := s.CreateRemoteAccount("far", "far.example")
	farTok := s.CreateToken(far.ID)
	fc := NewClient(s, farTok)
	farText := fc.PostStatus(t, "remote words")
	var farMedia map[string]any
	fc.JSON(t, 200, "POST", "/api/v1/statuses", url.Values{"status": {"remote picture"}, "media_ids[]": {uploadPNG(t, s, farTok)}}, &farMedia)
	if got := idOf(nextSSE(t, sse["/api/v1/streaming/public/remote?only_media=true"])); got != farMedia["id"] {
		t.Errorf("public/remote?only_media: %s, want %s", got, farMedia["id"])
	}
	if a, b := idOf(nextSSE(t, sse["/api/v1/streaming/public/remote"])), idOf(nextSSE(t, sse["/api/v1/streaming/public/remote"])); a != farText["id"] || b != farMedia["id"] {
		t.Errorf("public/remote: %s %s", a, b)
	}
	got = map[string]string{}
	for range 2 {
		_, data, err := conn.Read(ctx)
		var m wsOut
		if err != nil || json.Unmarshal(data, &m) != nil || m.Payload == nil {
			t.Fatalf("WebSocket after the remote posts: %s %v", data, err)
		}
		got[strings.Join(m.Stream, " ")] = idOf(*m.Payload)
	}
	if got["public:media"] != farMedia["id"] || got["public:remote:media"] != farMedia["id"] || len(got) != 2 {
		t.Errorf("WebSocket after the remote posts: %v, want the remote media on public:media and public:remote:media", got)
	}
}

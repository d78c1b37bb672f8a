package mastodon

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/coder/websocket"
	"golang.org/x/oauth2"
)

// Messages are read into one buffer and unescaped into another, both reused:
// events delivered earlier must not change when later messages (larger,
// smaller, malformed) go through the same buffers.
func TestStreamWebSocketBufferReuse(t *testing.T) {
	f := newFakeStreaming(t)
	st, err := f.start().Streaming.User(context.Background(), &StreamOptions{Transport: TransportWebSocket})
	if err != nil {
		t.Fatal(err)
	}
	r := readStream(t, st)
	f.waitConnected(t, "user")
	big := strings.Repeat(`<p>a \"quoted\" line é 😀</p>`, 4000) // > 100 KB escaped
	contents := []string{big, "small", `tab\there`, big[:70000], "last"}
	for i, c := range contents {
		f.publish("user", "update", fmt.Sprintf(`{"id":"%d","content":"%s","account":{"id":"1","acct":"a"}}`, i+1, c))
		if i == 2 {
			f.publish("user", "update", `{"id":"x","content":"unterminated`)
			f.publish("user", "delete", "77")
		}
	}
	var got []*Status
	var deleted string
	var malformed int
	for len(got) < len(contents) {
		ev, err := r.next(t)
		switch e := ev.(type) {
		case *UpdateEvent:
			got = append(got, e.Status)
		case *DeleteEvent:
			deleted = e.ID
		case nil:
			if !isDecodeErr(err) {
				t.Fatalf("unexpected error %v", err)
			}
			malformed++
		}
	}
	want := []string{strings.ReplaceAll(big, `\"`, `"`), "small", "tab\there", strings.ReplaceAll(big[:70000], `\"`, `"`), "last"}
	for i, s := range got {
		if s.ID != fmt.Sprint(i+1) || s.Content != want[i] || s.Account.Acct != "a" {
			t.Errorf("event %d: id %q, content %d bytes (want %d), starts %.40q", i, s.ID, len(s.Content), len(want[i]), s.Content)
		}
	}
	if deleted != "77" || malformed != 1 {
		t.Errorf("delete %q, %d malformed events; want 77 and 1", deleted, malformed)
	}
}

func isDecodeErr(err error) bool {
	var me *MalformedEventError
	return errors.As(err, &me)
}

// A token from WithTokenSource is a secret like WithAccessToken's: errors a
// WebSocket session reports (the server's error messages, malformed frames
// and event payloads that echo it) quote it redacted.
func TestStreamWebSocketRedactsSourceToken(t *testing.T) {
	checkGoroutines(t)
	const tok = "source-token-5d1e9a7b"
	registerSecret(tok)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		conn, err := websocket.Accept(w, r, &websocket.AcceptOptions{Subprotocols: []string{r.Header.Get("Sec-WebSocket-Protocol")}})
		if err != nil {
			return
		}
		defer conn.CloseNow()
		for _, m := range []string{
			`{"error":"token ` + tok + ` is not valid here","status":401}`,
			`not JSON ` + tok,
			`{"stream":["user"],"event":"update","payload":"{\"id\": ` + tok + `"}`,
		} {
			if conn.Write(r.Context(), websocket.MessageText, []byte(m)) != nil {
				return
			}
		}
		conn.Close(websocket.StatusNormalClosure, "")
	}))
	defer srv.Close()
	c, err := newScannedClient(srv.URL, WithTokenSource(oauth2.StaticTokenSource(&oauth2.Token{AccessToken: tok})), WithStreamingURL(srv.URL))
	if err != nil {
		t.Fatal(err)
	}
	st, err := c.Streaming.User(context.Background(), &StreamOptions{Transport: TransportWebSocket, NoReconnect: true})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	var errs []error
	for _, err := range st.Events() {
		if err != nil {
			errs = append(errs, err)
		}
	}
	var api *APIError
	var malformed int
	for _, err := range errs {
		if me := (*MalformedEventError)(nil); errors.As(err, &me) {
			malformed++
		}
		errors.As(err, &api)
		for _, s := range []string{err.Error(), fmt.Sprintf("%+v", err), fmt.Sprintf("%#v", err)} {
			if strings.Contains(s, tok) {
				t.Errorf("a stream error quotes the token: %s", s)
			}
		}
	}
	if api == nil || api.StatusCode != 401 || !strings.Contains(api.Code, "[redacted]") || malformed != 2 {
		t.Errorf("errors %v: want the 401 (redacted) and two malformed events", errs)
	}
}

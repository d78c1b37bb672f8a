package mastodon

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
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

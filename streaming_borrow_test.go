package mastodon

import (
	"bytes"
	"testing"
)

// decodeEvent may be given a reader's buffer: nothing it returns may keep it.
func TestDecodeEventCopiesBorrowedPayload(t *testing.T) {
	cases := []struct{ name, payload string }{
		{"update", `{"id":"103","content":"<p>hi</p>","account":{"id":"1","acct":"a","username":"a"}}`},
		{"some.future", `{"x":"y"}`},
		{"encrypted_message", `{"id":"5"}`},
	}
	for _, c := range cases {
		buf := []byte(c.payload)
		ev, err := decodeEvent(c.name, buf, []string{"user"})
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		for i := range buf {
			buf[i] = 'X'
		}
		switch e := ev.(type) {
		case *UpdateEvent:
			if e.Status.ID != "103" || e.Status.Content != "<p>hi</p>" || e.Status.Account.Acct != "a" {
				t.Errorf("update after the buffer was reused: %+v", e.Status)
			}
		case *UnknownEvent:
			if !bytes.Equal(e.Payload, []byte(c.payload)) {
				t.Errorf("unknown payload after the buffer was reused: %q", e.Payload)
			}
		case *EncryptedMessageEvent:
			if string(e.Payload) != c.payload {
				t.Errorf("encrypted payload after the buffer was reused: %q", e.Payload)
			}
		default:
			t.Fatalf("%s: got %T", c.name, ev)
		}
	}
}

package mastodon

import (
	"strings"
	"sync"
	"testing"
)

// TestDecodeMemberOrder decodes the same members in changing orders and
// spellings: the decoder guesses each member name from the order it saw
// last, and a wrong guess, an escaped name, white space around the colon or
// a name cut short must all still decode as written.
func TestDecodeMemberOrder(t *testing.T) {
	docs := []string{
		`{"id":"1","content":"a","uri":"u1","language":"en"}`,
		`{"uri":"u2","language":"de","id":"2","content":"b"}`,
		`{"id":"3","content":"c","uri":"u3","language":"fr"}`,
		`{"\u0069d":"4","conten\u0074":"d","uri" :"u4", "language"  :  "es"}`,
		`{"id":"5","contents":"x","content":"e","uri":"u5","language":"it","idx":1}`,
		`{"id":"6","content":"f","uri":"u6","language":"nl"}`,
	}
	for round := 0; round < 3; round++ {
		for i, doc := range docs {
			var s Status
			if err := unmarshalJSON([]byte(doc), &s); err != nil {
				t.Fatalf("%s: %v", doc, err)
			}
			want := string(rune('1' + i))
			if s.ID != want || s.Content != string(rune('a'+i)) || s.URI != "u"+want || s.Language == nil {
				t.Fatalf("%s: got id=%q content=%q uri=%q language=%v", doc, s.ID, s.Content, s.URI, s.Language)
			}
			if i == 4 {
				if _, ok := s.UnknownField("contents"); !ok {
					t.Fatalf("%s: unknown member contents lost", doc)
				}
				if _, ok := s.UnknownField("idx"); !ok {
					t.Fatalf("%s: unknown member idx lost", doc)
				}
			}
		}
	}
	// A name the guess would match only in part, at the end of the input.
	for _, doc := range []string{`{"id":"1","con`, `{"id":"1","content"`, `{"id":"1","content":`, `{"id":"1","content":"a"`} {
		var s Status
		if err := unmarshalJSON([]byte(doc), &s); err == nil {
			t.Fatalf("%s: no error", doc)
		}
	}
}

// TestDecodeMemberOrderConcurrent decodes documents of different member
// orders from many goroutines at once (run with -race): the guesses are
// shared between goroutines.
func TestDecodeMemberOrderConcurrent(t *testing.T) {
	a := `{"id":"1","content":"a","uri":"u","language":"en","account":{"id":"9","username":"x","acct":"x"}}`
	b := `{"account":{"acct":"x","username":"x","id":"9"},"language":"en","uri":"u","content":"a","id":"1"}`
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 200 {
				doc := a
				if (i+g)%2 == 1 {
					doc = b
				}
				var s Status
				if err := unmarshalJSON([]byte(doc), &s); err != nil {
					t.Error(err)
					return
				}
				if s.ID != "1" || s.Content != "a" || s.Account.ID != "9" || s.Account.Acct != "x" || !strings.HasPrefix(s.URI, "u") {
					t.Errorf("%s: decoded %+v", doc, s)
					return
				}
			}
		})
	}
	wg.Wait()
}

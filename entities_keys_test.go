package mastodon

import (
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
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

// TestParseDate checks the quick date parser against time.Parse.
func TestParseDate(t *testing.T) {
	for _, s := range []string{"2024-01-02", "2024-02-29", "2023-02-29", "2000-02-29", "1900-02-29", "2024-13-01", "2024-00-10",
		"2024-04-31", "2024-12-31", "0000-01-01", "9999-12-31", "2024-1-02x", "2024/01/02", "20a4-01-02", "2024-01-00", "+024-01-02"} {
		want, werr := time.Parse(time.DateOnly, s)
		got, ok := parseDate([]byte(s))
		if ok != (werr == nil) || got != want {
			t.Errorf("%s: got %v %v, time.Parse %v %v", s, got, ok, want, werr)
		}
	}
}

// TestParseShortDecimal checks the quick decimal parser against
// strconv.ParseFloat, bit for bit.
func TestParseShortDecimal(t *testing.T) {
	cases := []string{"0", "-0", "0.0", "-0.0", "1", "1.5", "0.1", "0.3", "1.7777777777777777", "123456789012345",
		"1234567890123456", "0.000000000000001", "99999.99999", "640", "1.3333333333333", "-0.42", ".5", "5.", "1e3",
		"", "-", ".", "1.2.3", "+1", "0x10", "1_0", "00.25", "3.14159265358979"}
	r := rand.New(rand.NewPCG(1, 2))
	for range 20000 {
		m := r.Int64N(1_000_000_000_000_000)
		s := strconv.FormatInt(m, 10)
		if p := r.IntN(len(s) + 1); p < len(s) {
			s = s[:p] + "." + s[p:]
		}
		if r.IntN(2) == 0 {
			s = "-" + s
		}
		cases = append(cases, s)
	}
	for _, s := range cases {
		got, ok := parseShortDecimal([]byte(s))
		if !ok {
			continue
		}
		want, err := strconv.ParseFloat(s, 64)
		if err != nil || math.Float64bits(got) != math.Float64bits(want) {
			t.Fatalf("%q: got %v, strconv %v %v", s, got, want, err)
		}
	}
	for _, s := range []string{"1.5", "0.1", "640", "-0.42"} {
		if _, ok := parseShortDecimal([]byte(s)); !ok {
			t.Errorf("%q: not parsed on the quick path", s)
		}
	}
}

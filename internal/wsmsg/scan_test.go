package wsmsg

import (
	"bytes"
	"encoding/binary"
	"errors"
	"math/bits"
	"math/rand/v2"
	"strings"
	"testing"
)

// isStop reports whether the unescaping loop must stop at c.
func isStop(c byte) bool { return c == '"' || c == '\\' || c < 0x20 || c >= 0x80 }

// TestStopsOrHigh checks the word test of the unescaping loop: its lowest
// mark is the first byte to stop at, and no such byte goes unmarked.
func TestStopsOrHigh(t *testing.T) {
	check := func(w [8]byte) {
		t.Helper()
		m := stopsOrHigh(binary.LittleEndian.Uint64(w[:]))
		first := 8
		for p := 7; p >= 0; p-- {
			if isStop(w[p]) {
				first = p
				if m&(0x80<<(8*p)) == 0 {
					t.Fatalf("% x: byte %d (%#x) not marked (mask %#x)", w, p, w[p], m)
				}
			}
		}
		if got := bits.TrailingZeros64(m) / 8; got != first {
			t.Fatalf("% x: first mark at byte %d, want %d (mask %#x)", w, got, first, m)
		}
	}
	// Every byte value at every place, after plain bytes and before bytes
	// that borrow or not.
	for p := range 8 {
		for c := range 256 {
			for _, above := range []byte{'a', 0x00, '"', '#', '\\', ']', 0x20, 0xff} {
				var w [8]byte
				for j := range w {
					switch {
					case j < p:
						w[j] = 'a' + byte(j)
					case j == p:
						w[j] = byte(c)
					default:
						w[j] = above
					}
				}
				check(w)
			}
		}
	}
	// Words of bytes next to the ones that matter, at random.
	alphabet := []byte{0x00, 0x01, 0x1f, 0x20, 0x21, 0x22, 0x23, 0x2f, 0x5b, 0x5c, 0x5d, 0x7e, 0x7f, 0x80, 0xa2, 0xdc, 0xff, 'a'}
	r := rand.New(rand.NewPCG(1, 2))
	for range 200000 {
		var w [8]byte
		for j := range w {
			w[j] = alphabet[r.IntN(len(alphabet))]
		}
		check(w)
	}
}

// TestUnquotePayloadOffsets puts each kind of content of a payload string
// at every offset around the 8- and 16-byte steps of the unescaping loop
// (so escapes straddle words and sit at the very end), and checks the
// payload against the expected text and against encoding/json; cut short
// anywhere, the message must fail as encoding/json says.
func TestUnquotePayloadOffsets(t *testing.T) {
	pieces := []struct {
		name, lit, want string
		bad             bool
	}{
		{"quote", `\"`, `"`, false},
		{"backslash", `\\`, `\`, false},
		{"slash", `\/`, `/`, false},
		{"quotes in a row", `\"\"\"`, `"""`, false},
		{"member", `\"id\":\"1\",\"a\":\"\\\"\"`, `"id":"1","a":"\""`, false},
		{"escaped newline", `\\n`, `\n`, false},
		{"newline", `\n\t\r\b\f`, "\n\t\r\b\f", false},
		{"u escape", `\u00e9\u00E9`, "éé", false},
		{"surrogate pair", `\ud83d\ude00`, "😀", false},
		{"lone high surrogate", `\ud83dx`, "\uFFFDx", false},
		{"high surrogate at end", `\ud83d`, "\uFFFD", false},
		{"lone low surrogate", `\ude00`, "\uFFFD", false},
		{"high then not low", `\ud83d\u0041`, "\uFFFDA", false},
		{"two highs", `\ud83d\ud83d\ude00`, "\uFFFD😀", false},
		{"utf8", "é😀€", "é😀€", false},
		{"invalid utf8", "\xff", "\uFFFD", false},
		{"truncated utf8", "\xe2\x82", "\uFFFD\uFFFD", false},
		{"utf8 surrogate", "\xed\xa0\x80", "\uFFFD\uFFFD\uFFFD", false},
		{"many invalid", strings.Repeat("\xfe", 37), strings.Repeat("\uFFFD", 37), false},
		{"del", "\x7f", "\x7f", false},
		{"control", "\x01", "", true},
		{"tab", "\t", "", true},
		{"bad escape", `\x`, "", true},
		{"escaped space", `\ `, "", true},
		{"short u", `\u12"`, "", true},
		{"bad hex", `\u12G4`, "", true},
	}
	const filler = "0123456789<p>abcdef ghijklmnop</p>xyz"
	var p Parser
	for _, pc := range pieces {
		for pre := range 34 {
			for _, suf := range []int{0, 1, 7, 8, 9, 17} {
				body := filler[:pre] + pc.lit + filler[:suf]
				msg := []byte(`{"event":"update","payload":"` + body + `"}`)
				want, werr := referenceDecode(msg)
				got, err := p.Decode(msg)
				if (err != nil) != pc.bad || (werr != nil) != pc.bad {
					t.Fatalf("%s at %d+%d: error %v, encoding/json %v, want error %v", pc.name, pre, suf, err, werr, pc.bad)
				}
				if err != nil {
					if !errors.Is(err, ErrMalformed) {
						t.Fatalf("%s: %v does not wrap ErrMalformed", pc.name, err)
					}
				} else {
					exp := filler[:pre] + pc.want + filler[:suf]
					if string(got.Payload) != exp || !bytes.Equal(got.Payload, want.Payload) {
						t.Fatalf("%s at %d+%d: payload %q, want %q (encoding/json %q)", pc.name, pre, suf, got.Payload, exp, want.Payload)
					}
				}
				// Cut anywhere inside the string: always an error.
				if suf == 0 && pre%4 == 0 {
					for cut := len(msg) - 2 - len(body); cut < len(msg)-1; cut++ {
						if _, err := p.Decode(msg[:cut]); !errors.Is(err, ErrMalformed) {
							t.Fatalf("%s cut to %q: error %v", pc.name, msg[:cut], err)
						}
					}
				}
			}
		}
	}
}

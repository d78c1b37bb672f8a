package wsmsg

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

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

package mastodon

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"unicode/utf16"
	"unicode/utf8"
	"unsafe"
)

// stopRef is the definition stopIndex implements, one byte at a time.
func stopRef(b []byte) int {
	for i, c := range b {
		if c == '"' || c == '\\' || c < 0x20 || c >= 0x80 {
			return i
		}
	}
	return len(b)
}

// TestStopIndex puts each kind of stopping byte, and each byte value, at
// every position of inputs around the 8- and 16-byte strides, and checks
// stopIndex (assembly where there is one) and stopIndexGeneric against the
// definition, also when only later bytes stop the scan.
func TestStopIndex(t *testing.T) {
	check := func(b []byte) {
		t.Helper()
		want := stopRef(b)
		if got := stopIndex(b); got != want {
			t.Fatalf("stopIndex(%q) = %d, want %d", b, got, want)
		}
		if got := stopIndexGeneric(b); got != want {
			t.Fatalf("stopIndexGeneric(%q) = %d, want %d", b, got, want)
		}
	}
	check(nil)
	for n := 0; n <= 49; n++ {
		plain := bytes.Repeat([]byte("a~ !#0Zz"), 7)[:n]
		check(plain)
		for pos := 0; pos < n; pos++ {
			for c := 0; c < 256; c++ {
				b := bytes.Clone(plain)
				b[pos] = byte(c)
				check(b)
				if pos+1 < n { // a second stop after the first
					b[pos+1] = '"'
					check(b)
				}
			}
		}
	}
	// Bytes that borrow in the word arithmetic (0x20, 0x21, 0x23, 0x5d, 0x7f)
	// right before a stopping byte.
	for _, c := range []byte{0x20, 0x21, 0x23, 0x5b, 0x5d, 0x7f} {
		for n := 1; n <= 33; n++ {
			b := bytes.Repeat([]byte{c}, n)
			b[n-1] = '\\'
			check(b)
		}
	}
}

func FuzzStopIndex(f *testing.F) {
	for _, s := range []string{"", "abc", `0123456789abcdef"`, "0123456789abcdef\x01", "é", "0123456789abcde\\", "\x7f\x80"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		want := stopRef(b)
		if got := stopIndex(b); got != want {
			t.Fatalf("stopIndex(%q) = %d, want %d", b, got, want)
		}
		if got := stopIndexGeneric(b); got != want {
			t.Fatalf("stopIndexGeneric(%q) = %d, want %d", b, got, want)
		}
	})
}

// TestUTF8Len checks utf8Len against utf8.DecodeRune for every first and
// second byte, with third and fourth bytes around the continuation range.
func TestUTF8Len(t *testing.T) {
	tails := []byte{0x00, 0x22, 0x41, 0x7f, 0x80, 0x8f, 0x90, 0x9f, 0xa0, 0xbf, 0xc0, 0xc2, 0xe0, 0xf0, 0xff}
	for c0 := range 256 {
		for c1 := range 256 {
			for _, c2 := range tails {
				for _, c3 := range tails {
					w := [8]byte{byte(c0), byte(c1), c2, c3, 'a', 'b', 'c', 'd'}
					want := 0 // invalid, or ASCII
					if _, size := utf8.DecodeRune(w[:]); size > 1 {
						want = size
					}
					if got := utf8Len(binary.LittleEndian.Uint64(w[:])); got != want {
						t.Fatalf("utf8Len(% x) = %d, want %d", w[:4], got, want)
					}
				}
			}
		}
	}
}

// stringPieces are what the strings of TestDecodeStringPieces are made of:
// plain runs of different lengths, every kind of escape, valid UTF-8 of
// each length at the edges of its ranges, and invalid UTF-8: overlong
// forms, surrogates, code points above U+10FFFF, bytes that never occur,
// stray continuation bytes and truncated sequences.
var stringPieces = []string{
	"a", "ab", "0123456", "0123456789abcdef", " ", "~",
	`\"`, `\\`, `\/`, `\b`, `\f`, `\n`, `\r`, `\t`, `\u003c`, `\u003e`, `\u0026`, `\u0000`, `\u007f`,
	`\u0080`, `\u00e9`, `\u07ff`, `\u0800`, `\u2019`, `\uFFFD`, `\ufeff`, `\ud83d\udc18`, `\uD800\uDC00`,
	`\udbff\udfff`, `\ud800`, `\udc00`, `\ud800\u0041`, `\ud800\ud800`,
	"\xc2\x80", "\xc3\xa9", "\xdf\xbf", "\xe0\xa0\x80", "\xe2\x82\xac", "\xe3\x81\x82", "\xed\x9f\xbf",
	"\xee\x80\x80", "\xef\xbf\xbd", "\xef\xbf\xbf", "\xf0\x90\x80\x80", "\xf0\x9f\x90\x98", "\xf3\xbf\xbf\xbf",
	"\xf4\x8f\xbf\xbf",
	"\xc0\x80", "\xc1\xbf", "\xe0\x80\x80", "\xe0\x9f\xbf", "\xed\xa0\x80", "\xed\xbf\xbf", "\xf0\x80\x80\x80",
	"\xf0\x8f\xbf\xbf", "\xf4\x90\x80\x80", "\xf5\x80\x80\x80", "\xf7\xbf\xbf\xbf", "\xf8", "\xfe", "\xff",
	"\x80", "\xbf", "\xc3", "\xe2\x82", "\xf0\x9f\x90", "\xe2", "\xf0", "\xc3\xc3\xa9", "\xe2\x82\x22",
}

// TestDecodeStringPieces decodes strings made of stringPieces, at random
// and two by two, and checks each against encoding/json: as a value and a
// member name inside an object, and alone, whole and cut short at every
// byte, so that pieces meet the end of the input and the closing quote at
// every offset of the scanner's words.
func TestDecodeStringPieces(t *testing.T) {
	check := func(s string) {
		t.Helper()
		data := []byte(`"` + s + `"`)
		checkDecodeString(t, data)
		for n := 1; n <= len(data); n++ {
			checkReadStr(t, data[:n])
		}
	}
	for _, p := range stringPieces {
		for _, q := range stringPieces {
			check(p + q)
			check("0123456" + p + q)
		}
	}
	r := rand.New(rand.NewPCG(3, 4))
	var sb strings.Builder
	for range 20000 {
		sb.Reset()
		for range r.IntN(12) {
			sb.WriteString(stringPieces[r.IntN(len(stringPieces))])
		}
		check(sb.String())
	}
}

// checkReadStr reads data, which starts with a quote, as the whole input
// and checks that readStr gives what encoding/json gives for it (a piece
// with a quote in it may end the string early: white space may follow).
func checkReadStr(t *testing.T, data []byte) {
	t.Helper()
	var want string
	werr := json.Unmarshal(data, &want)
	d := newDecoder(data)
	defer d.free()
	got := d.readStr()
	err := d.finish()
	if (werr == nil) != (err == nil) {
		t.Fatalf("%q: encoding/json err=%v, ours err=%v", data, werr, err)
	}
	if werr == nil && string(got) != want {
		t.Fatalf("%q: encoding/json %q, ours %q", data, want, got)
	}
}

// TestUnescapeFast checks unescapeFast (assembly where there is one) and
// unescapeWords against encoding/json: what they append is the decoding
// of the input they consumed, they stop only where the input needs a
// closer look (then readStrEscaped's own step gives the rest), and they
// write nothing past the capacity they were given.
func TestUnescapeFast(t *testing.T) {
	if unsafe.Offsetof(utf8Start{}.cont) != 4 || unsafe.Sizeof(utf8Start{}) != 8 {
		t.Fatal("utf8Start's layout is not the one the assembly reads")
	}
	r := rand.New(rand.NewPCG(5, 6))
	var sb strings.Builder
	for range 20000 {
		sb.Reset()
		for range r.IntN(16) {
			sb.WriteString(stringPieces[r.IntN(len(stringPieces))])
		}
		src := []byte(`"` + sb.String() + `"` + strings.Repeat(" ", r.IntN(20)))
		checkUnescape(t, src, r.IntN(3*len(src)))
	}
}

func FuzzUnescapeFast(f *testing.F) {
	for _, s := range []string{
		`"0123456789abcdef\u003cp\u003e\u003c/p\u003e0123456789abcdef"`, "\"caf\xc3\xa9 \xe3\x81\x82\xe3\x81\x84 \xf0\x9f\x90\x98 \xed\xa0\x80 0123456789abcdef\"",
		`"0123456789abcdef\"\\\/\n\u00e9\u2019\ud83d\udc18\u00\x 0123456789abcdef"`, "\"0123456789\x01abcdef0123456789\"",
	} {
		f.Add([]byte(s), uint16(64))
		f.Add([]byte(s), uint16(40))
	}
	f.Fuzz(func(t *testing.T, src []byte, room uint16) {
		if len(src) == 0 {
			return
		}
		checkUnescape(t, src, int(room))
	})
}

// checkUnescape runs unescapeFast and unescapeWords on src from its
// second byte, appending to a buffer with the given room, and checks that
// what they append is the decoding of the input they consumed (by
// encoding/json), that they stop only where the input needs a closer look
// (or input or room runs short) and that they write nothing past the
// capacity they were given.
func checkUnescape(t *testing.T, src []byte, room int) {
	t.Helper()
	for _, f := range []struct {
		name string
		fn   func(out, b []byte, i int) ([]byte, int)
	}{{"unescapeFast", unescapeFast}, {"unescapeWords", unescapeWords}} {
		buf := make([]byte, 3+room+16)
		for k := range buf {
			buf[k] = 0xAA
		}
		copy(buf, "pre")
		out, j := f.fn(buf[:3:3+room], src, 1)
		if j < 1 || j > len(src) {
			t.Fatalf("%s(%q): stopped at %d", f.name, src, j)
		}
		if string(out[:3]) != "pre" {
			t.Fatalf("%s(%q): changed what out held", f.name, src)
		}
		if &out[0] == &buf[0] {
			for k := 3 + room; k < len(buf); k++ {
				if buf[k] != 0xAA {
					t.Fatalf("%s(%q) with room %d: wrote past its capacity", f.name, src, room)
				}
			}
		}
		var want string
		if err := json.Unmarshal(slices.Concat([]byte(`"`), src[1:j], []byte(`"`)), &want); err != nil {
			t.Fatalf("%s(%q): stopped at %d, inside an escape: %v", f.name, src, j, err)
		}
		if string(out[3:]) != want {
			t.Fatalf("%s(%q): gave %q for %q, want %q", f.name, src, out[3:], src[1:j], want)
		}
		if len(src)-j >= 16 && cap(out)-len(out) >= 32 {
			// Stopped with input and room left: at what only the slower
			// path deals with.
			c, e := src[j], src[j+1]
			h, l := hexVal[src[j+4]], hexVal[src[j+5]]
			switch {
			case c != '"' && c >= 0x20 && c < 0x80 && c != '\\':
				t.Fatalf("%s(%q): stopped at plain byte %q (%d)", f.name, src, c, j)
			case c >= 0x80 && utf8Len(binary.LittleEndian.Uint64(src[j:])) > 0:
				t.Fatalf("%s(%q): stopped at valid UTF-8 (%d)", f.name, src, j)
			case c == '\\' && (simpleEscape[e] != 0 || string(src[j+1:j+4]) == "u00" && h >= 0 && h < 8 && l >= 0):
				t.Fatalf("%s(%q): stopped at escape %q (%d)", f.name, src, src[j:j+6], j)
			case asmUnescape && f.name == "unescapeFast" && c == '\\' && e == 'u':
				// The assembly decodes every \u escape but unpaired
				// surrogates.
				if r, ok := hex4(src, j+2); ok && !utf16.IsSurrogate(r) {
					t.Fatalf("%s(%q): stopped at escape %q (%d)", f.name, src, src[j:j+6], j)
				} else if r2, ok2 := hex4(src, j+8); ok && ok2 && r < 0xdc00 && string(src[j+6:j+8]) == `\u` && utf16.DecodeRune(r, r2) != utf8.RuneError {
					t.Fatalf("%s(%q): stopped at surrogate pair %q (%d)", f.name, src, src[j:j+12], j)
				}
			}
		}
	}
}

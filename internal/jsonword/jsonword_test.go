package jsonword

import (
	"encoding/binary"
	"math/bits"
	"math/rand/v2"
	"testing"
)

// isStop reports whether a plain run of string bytes ends at c.
func isStop(c byte) bool { return c == '"' || c == '\\' || c < 0x20 || c >= 0x80 }

// TestStops checks Stops: its lowest mark is the first byte to stop at,
// and no such byte goes unmarked.
func TestStops(t *testing.T) {
	check := func(w [8]byte) {
		t.Helper()
		m := Stops(binary.LittleEndian.Uint64(w[:]))
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

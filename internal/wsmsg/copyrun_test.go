package wsmsg

import (
	"bytes"
	"encoding/binary"
	"math/bits"
	"math/rand/v2"
	"testing"
)

// copyRunRef is copyRun one byte at a time, without the flag.
func copyRunRef(out []byte, w int, b []byte, i int) (int, int) {
	w, i, _ = copyRunTail(out, w, b, i)
	return w, i
}

// TestCopyRunMatchesReference runs copyRun and copyRunGeneric against the
// byte loop on random strings drawn from the bytes that matter, at every
// start offset and with out exactly as long as the value can be, so that
// the block loops run up to both ends.
func TestCopyRunMatchesReference(t *testing.T) {
	alphabet := []byte{'a', 'b', ' ', '<', '\\', '\\', '"', '/', 'n', 'u', 0x00, 0x1f, 0x20, 0x7f, 0x80, 0xc3, 0xa9, 0xff}
	r := rand.New(rand.NewPCG(3, 4))
	for n := range 20000 {
		b := make([]byte, r.IntN(80))
		for j := range b {
			if r.IntN(3) == 0 {
				b[j] = alphabet[r.IntN(len(alphabet))]
			} else {
				b[j] = 'a' + byte(j%26)
			}
		}
		i := 0
		if len(b) > 0 {
			i = r.IntN(len(b) + 1)
		}
		w := r.IntN(4)
		room := w + len(b) - i
		if n%2 == 0 {
			room += r.IntN(20)
		}
		for _, f := range []struct {
			name string
			run  func([]byte, int, []byte, int) (int, int, bool)
		}{{"copyRun", copyRun}, {"copyRunGeneric", copyRunGeneric}} {
			want := make([]byte, room)
			ww, wi := copyRunRef(want, w, b, i)
			got := make([]byte, room)
			gw, gi, hi := f.run(got, w, b, i)
			if gw != ww || gi != wi || !bytes.Equal(got[:gw], want[:ww]) {
				t.Fatalf("%s(%q from %d, w %d, room %d) = %q (%d, %d), want %q (%d, %d)",
					f.name, b, i, w, room, got[:gw], gw, gi, want[:ww], ww, wi)
			}
			if !hi && bytes.IndexFunc(got[w:gw], func(r rune) bool { return r >= 0x80 }) >= 0 {
				t.Fatalf("%s(%q from %d): copied %q, flag says ASCII", f.name, b, i, got[w:gw])
			}
		}
	}
}

// TestCopyRunShortOut gives copyRun less room than the input: it must stop
// where out ends, never write past it.
func TestCopyRunShortOut(t *testing.T) {
	b := bytes.Repeat([]byte(`ab\"cdefghijklmnopqrstuvwxyz0123456789`), 4)
	for room := range 60 {
		out := make([]byte, room, room+32)
		w, i, _ := copyRun(out, 0, b, 0)
		if w > room {
			t.Fatalf("room %d: wrote to %d", room, w)
		}
		want := make([]byte, room)
		ww, wi := copyRunRef(want, 0, b, 0)
		if w != ww || i != wi || !bytes.Equal(out[:w], want[:ww]) {
			t.Fatalf("room %d: %q (%d, %d), want %q (%d, %d)", room, out[:w], w, i, want[:ww], ww, wi)
		}
		if tail := out[room : room+32]; bytes.ContainsFunc(tail, func(r rune) bool { return r != 0 }) {
			t.Fatalf("room %d: wrote past len(out): %q", room, tail)
		}
	}
}

// TestStops checks stops: its lowest mark is the first quote, backslash or
// control character, and bytes of 0x80 and up are never that mark.
func TestStops(t *testing.T) {
	isStop := func(c byte) bool { return c == '"' || c == '\\' || c < 0x20 }
	r := rand.New(rand.NewPCG(5, 6))
	alphabet := []byte{0x00, 0x01, 0x1f, 0x20, 0x21, 0x22, 0x23, 0x5b, 0x5c, 0x5d, 0x7e, 0x7f, 0x80, 0xa2, 0xdc, 0xfe, 0xff, 'a'}
	check := func(w [8]byte) {
		m := stops(binary.LittleEndian.Uint64(w[:]))
		first := 8
		for p := 7; p >= 0; p-- {
			if isStop(w[p]) {
				first = p
			}
		}
		if got := bits.TrailingZeros64(m) / 8; got != first {
			t.Fatalf("% x: first mark at byte %d, want %d (mask %#x)", w, got, first, m)
		}
	}
	for p := range 8 {
		for c := range 256 {
			var w [8]byte
			for j := range w {
				w[j] = 'a'
			}
			w[p] = byte(c)
			check(w)
		}
	}
	for range 200000 {
		var w [8]byte
		for j := range w {
			w[j] = alphabet[r.IntN(len(alphabet))]
		}
		check(w)
	}
}

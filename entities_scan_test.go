package mastodon

import (
	"bytes"
	"testing"
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

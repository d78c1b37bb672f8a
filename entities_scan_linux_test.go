package mastodon

import (
	"strings"
	"testing"

	"github.com/tuskgo/mastodon/internal/guardpage"
)

// TestScanPageEnd puts inputs at the very end of a page followed by an
// unreadable one: a read past the end of the input faults. Every short
// length is tried, ending in each kind of byte the scanners stop at.
func TestScanPageEnd(t *testing.T) {
	mem := guardpage.Page(t)
	page := len(mem)
	tails := []string{"", `"`, `\`, `\u003c`, `\u00`, "\xc3\xa9", "\xe2\x82\xac", "\xf0\x9f\x90\x98", "\xf0\x9f", "\x01", "é\""}
	for _, tail := range tails {
		for n := 0; n <= 70; n++ {
			s := `"` + strings.Repeat("a", n) + tail
			b := mem[page-len(s) : page]
			copy(b, s)
			stopIndex(b[1:])
			room := make([]byte, 0, 2*len(b)+64)
			unescapeFast(room, b, 1)
			d := newDecoder(b)
			d.readStr()
			d.free()
		}
	}
}

package wsmsg

import (
	"bytes"
	"testing"

	"github.com/tuskgo/mastodon/internal/guardpage"
)

// TestCopyRunPageEnd puts the input and the output last in a page that an
// unmapped page follows: a load or store past either slice would fault.
func TestCopyRunPageEnd(t *testing.T) {
	in, out := guardpage.Page(t), guardpage.Page(t)
	page := len(in)
	body := bytes.Repeat([]byte(`<p>a \"b\" \\ c</p> é abcdefghijklmnopq\/rstuvwxyz`), 4)
	// Every length, starting and ending at every byte of the pattern (a
	// backslash last, too).
	for n := range 70 {
		for off := range 50 {
			src := in[page-n:]
			copy(src, body[off:])
			for room := n; room <= n+1; room++ {
				dst := out[page-room:]
				w, i, _ := copyRun(dst, 0, src, 0)
				want := make([]byte, room)
				ww, wi := copyRunRef(want, 0, src, 0)
				if w != ww || i != wi || !bytes.Equal(dst[:w], want[:ww]) {
					t.Fatalf("%q: %q (%d, %d), want %q (%d, %d)", src, dst[:w], w, i, want[:ww], ww, wi)
				}
			}
		}
	}
	// The whole message at the end of a page, cut at every length.
	msg := []byte(`{"stream":["user"],"event":"update","payload":"` + string(body) + `"}`)
	var p Parser
	for n := range len(msg) + 1 {
		src := in[page-n:]
		copy(src, msg[:n])
		_, err := p.Decode(src)
		if (err == nil) != (n == len(msg)) {
			t.Fatalf("%d of %d bytes: error %v", n, len(msg), err)
		}
	}
}

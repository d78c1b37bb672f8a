//go:build !purego

package wsmsg

// copyRun copies from b[i:] to out[w:] the bytes of a string literal's
// body up to the first quote, control character or escape other than \",
// \\ and \/ (which it resolves), and returns where it stopped in each,
// and whether bytes of 0x80 and up may have been copied. It is
// copyRunGeneric in assembly for all but the last bytes, which
// copyRunTail does.
func copyRun(out []byte, w int, b []byte, i int) (int, int, bool) {
	w, i, hi := copyRunBlocks(out, w, b, i)
	w, i, tailHi := copyRunTail(out, w, b, i)
	return w, i, hi || tailHi
}

// copyRunBlocks is copyRun sixteen bytes at a time, as long as b has 17
// bytes left and out 16.
//
//go:noescape
func copyRunBlocks(out []byte, w int, b []byte, i int) (int, int, bool)

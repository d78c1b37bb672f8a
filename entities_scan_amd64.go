//go:build !purego

package mastodon

// stopIndex returns the index of the first byte of b that ends a plain
// ASCII run inside a string ('"', '\\', control characters, 0x80 and up),
// or len(b) if there is none. It is stopIndexGeneric in assembly.
//
//go:noescape
func stopIndex(b []byte) int

// unescapeFast is unescapeWords in assembly, sixteen bytes a step, which
// also decodes the other \u escapes but unpaired surrogates. It does not
// grow out: it stops when fewer than 32 bytes of room are left,
// and when fewer than 16 bytes of input are. The result aliases out, so
// it is not go:noescape.
func unescapeFast(out, b []byte, i int) (res []byte, j int)

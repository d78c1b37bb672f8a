//go:build !purego

package mastodon

// stopIndex returns the index of the first byte of b that ends a plain
// ASCII run inside a string ('"', '\\', control characters, 0x80 and up),
// or len(b) if there is none. It is stopIndexGeneric in assembly.
//
//go:noescape
func stopIndex(b []byte) int

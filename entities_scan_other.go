//go:build !amd64 || purego

package mastodon

func stopIndex(b []byte) int { return stopIndexGeneric(b) }

func unescapeFast(out, b []byte, i int) ([]byte, int) { return unescapeWords(out, b, i) }

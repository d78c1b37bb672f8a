//go:build !amd64 || purego

package mastodon

func stopIndex(b []byte) int { return stopIndexGeneric(b) }

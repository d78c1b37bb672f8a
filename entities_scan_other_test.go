//go:build !amd64 || purego

package mastodon

// asmUnescape tells the tests that unescapeFast is unescapeWords.
const asmUnescape = false

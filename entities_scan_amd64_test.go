//go:build !purego

package mastodon

// asmUnescape tells the tests that unescapeFast is the assembly, which
// decodes more escapes than unescapeWords.
const asmUnescape = true

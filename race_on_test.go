//go:build race

package mastodon

// raceEnabled: the race detector is on (sync.Pool then drops items at
// random, so allocation checks that rely on pooling cannot hold).
const raceEnabled = true

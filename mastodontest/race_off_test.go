//go:build !race

package mastodontest

const raceEnabled = false

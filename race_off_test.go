//go:build !race

package mastodon

const raceEnabled = false

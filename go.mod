module github.com/tuskgo/mastodon

go 1.26.0

require (
	github.com/coder/websocket v1.8.15
	golang.org/x/oauth2 v0.38.0
)

require github.com/rivo/uniseg v0.4.7

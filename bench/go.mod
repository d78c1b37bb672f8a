module github.com/tuskgo/mastodon/bench

go 1.26.0

require (
	github.com/coder/websocket v1.8.15
	github.com/mattn/go-mastodon v0.0.13
	github.com/tuskgo/mastodon v0.0.0
)

require (
	github.com/gorilla/websocket v1.5.3 // indirect
	github.com/rivo/uniseg v0.4.7 // indirect
	github.com/tomnomnom/linkheader v0.0.0-20250811210735-e5fe3b51442e // indirect
	golang.org/x/net v0.62.0 // indirect
	golang.org/x/oauth2 v0.38.0 // indirect
)

replace github.com/tuskgo/mastodon => ../

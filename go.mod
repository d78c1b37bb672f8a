module github.com/tuskgo/mastodon

go 1.26

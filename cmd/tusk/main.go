// Command tusk is a Mastodon client for the terminal, built on the Tusk
// library. Run "tusk demo" for a tour that needs no account, and
// "tusk --help" for the commands.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/tuskgo/mastodon/internal/cli"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := cli.Main(ctx, cli.OSEnv(), os.Args[1:])
	stop()
	os.Exit(code)
}

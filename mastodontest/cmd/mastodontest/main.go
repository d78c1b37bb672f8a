// Command mastodontest runs the in-memory Mastodon-compatible test server as
// a standalone process for local bot development.
//
//	go run ./mastodontest/cmd/mastodontest -addr 127.0.0.1:3000 -users alice,bob
//
// It creates the named accounts, prints an access token for each (they are
// throwaway tokens of a server that forgets everything when it stops), and
// serves until interrupted.
package main

import (
	"flag"
	"fmt"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/tuskgo/mastodon/mastodontest"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:3000", "listen address")
	users := flag.String("users", "alice,bob", "comma-separated accounts to create (the first is the admin)")
	version := flag.String("version", "4.5.0", "Mastodon version to report")
	flag.Parse()

	s, err := mastodontest.NewServer(mastodontest.WithAddr(*addr), mastodontest.WithVersion(*version, 7))
	if err != nil {
		fmt.Fprintln(os.Stderr, "mastodontest:", err)
		os.Exit(1)
	}
	defer s.Close()
	fmt.Printf("mastodontest serving %s (streaming %s)\n", s.URL, s.StreamingURL())
	for i, u := range strings.Split(*users, ",") {
		u = strings.TrimSpace(u)
		if u == "" {
			continue
		}
		var opts []mastodontest.AccountOption
		if i == 0 {
			opts = append(opts, mastodontest.Admin())
		}
		a, tok := s.CreateUser(u, opts...)
		fmt.Printf("  @%s  id=%s  password=%s  token=%s\n", a.Username, a.ID, a.Password, tok)
	}
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
	<-sig
}

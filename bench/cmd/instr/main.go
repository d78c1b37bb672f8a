// Command instr runs one workload a given number of times, for counting
// instructions under callgrind: run it with n=0 and n=N and divide the
// difference by N (see bench/README.md).
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"runtime"
	"strconv"

	"github.com/tuskgo/mastodon"
	"github.com/tuskgo/mastodon/bench"
)

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: instr decode|status|raw|fetch|gomastodon|sse|ws N")
		os.Exit(2)
	}
	runtime.GOMAXPROCS(1)
	n, _ := strconv.Atoi(os.Args[2])
	page := bench.Page()
	var run func() error
	switch os.Args[1] {
	case "decode":
		run = func() error { _, err := bench.DecodeTusk(page); return err }
	case "status":
		var raws []json.RawMessage
		if err := json.Unmarshal(page, &raws); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		i := 0
		run = func() error {
			var s mastodon.Status
			i++
			return mastodon.Unmarshal(raws[i%len(raws)], &s)
		}
	case "fetch", "gomastodon", "raw":
		srv := bench.NewServer(page, bench.WireLength)
		defer srv.Close()
		switch os.Args[1] {
		case "fetch":
			c, _ := bench.NewTusk(srv.URL)
			run = func() error { _, err := bench.Tusk(context.Background(), c); return err }
		case "gomastodon":
			c := bench.NewGoMastodon(srv.URL)
			run = func() error { _, err := bench.GoMastodon(context.Background(), c); return err }
		case "raw":
			hc := &http.Client{}
			run = func() error { return bench.Raw(hc, srv.URL) }
		}
	case "sse", "ws":
		// One run is 40 update events (a page's statuses) read from one
		// long stream over loopback, the server's work included.
		fixtures, err := bench.StreamServers(page, (20+n)*40)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		f := fixtures[0]
		if os.Args[1] == "ws" {
			f = fixtures[1]
		}
		defer fixtures[0].Server.Close()
		defer fixtures[1].Server.Close()
		next, stop, err := bench.StreamPull(context.Background(), f.Server.URL, f.Transport)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		defer stop()
		run = func() error {
			for range 40 {
				if err := next(); err != nil {
					return err
				}
			}
			return nil
		}
	default:
		fmt.Fprintln(os.Stderr, "unknown workload", os.Args[1])
		os.Exit(2)
	}
	for range 20 { // warm up
		if err := run(); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
	}
	for range n {
		if err := run(); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
	}
}

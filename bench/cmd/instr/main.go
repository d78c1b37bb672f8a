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
	"strings"

	"github.com/tuskgo/mastodon"
	"github.com/tuskgo/mastodon/bench"
)

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: instr decode|status|raw|fetch|gomastodon[-chunked|-gzip]|sse|ws N")
		os.Exit(2)
	}
	runtime.GOMAXPROCS(1)
	n, _ := strconv.Atoi(os.Args[2])
	page := bench.Page()
	var run func() error
	// A fetch workload's wire form follows its name: fetch is identity with
	// a Content-Length, fetch-chunked and fetch-gzip the others.
	work, form, _ := strings.Cut(os.Args[1], "-")
	wire, ok := map[string]bench.Wire{"": bench.WireLength, "chunked": bench.WireChunked, "gzip": bench.WireGzip}[form]
	if !ok {
		fmt.Fprintln(os.Stderr, "unknown wire form", form)
		os.Exit(2)
	}
	switch work {
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
		srv := bench.NewServer(page, wire)
		defer srv.Close()
		switch work {
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
		if work == "ws" {
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

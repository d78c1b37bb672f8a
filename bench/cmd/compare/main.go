// Command compare runs Tusk, go-mastodon and the raw transport against one
// loopback server in a single process and prints the ratios the project's
// performance targets are stated in.
//
//	cd bench && go run ./cmd/compare
package main

import (
	"context"
	"flag"
	"fmt"
	"net/http"
	"os"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/tuskgo/mastodon/bench"
)

func main() {
	pages := flag.Int("pages", 10000, "pages to iterate in the memory test")
	flag.Parse()
	page, err := bench.Page()
	if err != nil {
		fmt.Fprintln(os.Stderr, "compare:", err)
		os.Exit(1)
	}
	srv := bench.NewServer(page)
	defer srv.Close()
	ctx := context.Background()
	fmt.Printf("fixture: 40 statuses, %d bytes; GOMAXPROCS=%d, %s/%s, %s\n\n", len(page), runtime.GOMAXPROCS(0), runtime.GOOS, runtime.GOARCH, runtime.Version())

	hc := &http.Client{}
	raw := run(func() error { return bench.Raw(hc, srv.URL) })
	tc, err := bench.NewTusk(srv.URL)
	must(err)
	tusk := run(func() error { _, err := bench.Tusk(ctx, tc); return err })
	gm := bench.NewGoMastodon(srv.URL)
	gom := run(func() error { _, err := bench.GoMastodon(ctx, gm); return err })

	fmt.Println("Timeline page fetch + decode (loopback)")
	row("raw transport (GET, body discarded)", raw, len(page))
	row("tusk", tusk, len(page))
	row("go-mastodon", gom, len(page))
	fmt.Printf("  tusk / raw floor:     %.2fx   (target ≤ 2x)\n", ratio(tusk, raw))
	fmt.Printf("  go-mastodon / tusk:   %.2fx   (target ≥ 6x)\n", ratio(gom, tusk))
	fmt.Printf("  tusk allocs/status:   %.1f\n\n", float64(tusk.AllocsPerOp())/40)

	dt := run(func() error { _, err := bench.DecodeTusk(page); return err })
	ds := run(func() error { _, err := bench.DecodeTuskStdlib(page); return err })
	dg := run(func() error { _, err := bench.DecodeGoMastodon(page); return err })
	fmt.Println("Decode only (no network)")
	row("tusk", dt, len(page))
	row("tusk types via encoding/json", ds, len(page))
	row("go-mastodon types via encoding/json", dg, len(page))
	fmt.Printf("  encoding/json (go-mastodon types) / tusk: %.2fx\n\n", ratio(dg, dt))

	// Streaming on one core, as the target asks: the loopback server shares
	// it, so these figures include the server's writes.
	fixtures, err := bench.StreamServers(page, 5000)
	must(err)
	fmt.Printf("Streaming (update events with a ~5 KB status, parsed and decoded; GOMAXPROCS=1)\n")
	procs := runtime.GOMAXPROCS(1)
	for _, s := range fixtures {
		start := time.Now()
		var events int
		for time.Since(start) < 2*time.Second {
			sctx, cancel := context.WithTimeout(ctx, 30*time.Second)
			n, err := bench.StreamEvents(sctx, s.Server.URL, s.Transport)
			cancel()
			must(err)
			events += n
		}
		s.Server.Close()
		fmt.Printf("  %-10s %7.0f events/s   (target ≥ 100000)\n", s.Transport, float64(events)/time.Since(start).Seconds())
	}
	runtime.GOMAXPROCS(procs)
	fmt.Println()

	fmt.Printf("Iterating %d pages with HomeAll\n", *pages)
	var heaps []uint64
	n := 0
	for _, err := range tc.Timelines.HomeAll(ctx, nil) {
		must(err)
		n++
		if n%(40*(*pages/10)) == 0 {
			runtime.GC()
			var ms runtime.MemStats
			runtime.ReadMemStats(&ms)
			heaps = append(heaps, ms.HeapInuse)
		}
		if n >= 40**pages {
			break
		}
	}
	for i, h := range heaps {
		fmt.Printf("  after %5d pages: heap in use %6.1f MiB\n", (i+1)*(*pages/10), float64(h)/(1<<20))
	}
	fmt.Println()

	fmt.Println("One client shared by 64 goroutines")
	for _, g := range []int{1, 64} {
		const per = 50
		start := time.Now()
		var wg sync.WaitGroup
		for range g {
			wg.Go(func() {
				for range per {
					_, err := bench.Tusk(ctx, tc)
					must(err)
				}
			})
		}
		wg.Wait()
		el := time.Since(start)
		fmt.Printf("  %2d goroutines: %7.0f pages/s\n", g, float64(g*per)/el.Seconds())
	}
}

func run(f func() error) testing.BenchmarkResult {
	if err := f(); err != nil {
		must(err)
	}
	return testing.Benchmark(func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if err := f(); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func row(name string, r testing.BenchmarkResult, size int) {
	ns := float64(r.NsPerOp())
	fmt.Printf("  %-38s %9.3f ms/op %8.1f MB/s %8d allocs/op %9d B/op\n", name, ns/1e6, float64(size)/ns*1e3, r.AllocsPerOp(), r.AllocedBytesPerOp())
}

func ratio(a, b testing.BenchmarkResult) float64 { return float64(a.NsPerOp()) / float64(b.NsPerOp()) }

func must(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, "compare:", err)
		os.Exit(1)
	}
}

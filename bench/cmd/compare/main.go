// Command compare runs Tusk, go-mastodon, the fastest general JSON decoders
// and the raw transport against loopback servers in a single process and
// prints the ratios the project's performance targets are stated in.
//
//	cd bench && go run ./cmd/compare
//
// Every arm runs once per round, rounds interleave the arms, and each
// figure is the median over the rounds: on a shared machine load comes and
// goes, and arms measured side by side see the same load.
package main

import (
	"context"
	"flag"
	"fmt"
	"net/http"
	"os"
	"runtime"
	"slices"
	"sync"
	"time"

	"github.com/tuskgo/mastodon/bench"
)

var (
	rounds  = flag.Int("rounds", 15, "rounds of every arm; figures are medians over them")
	armTime = flag.Duration("arm", 100*time.Millisecond, "time each arm runs in a round")
	pages   = flag.Int("pages", 10000, "pages to iterate in each wire form in the memory test")
	events  = flag.Int("events", 5000, "update events per streaming connection")
)

func main() {
	flag.Parse()
	page := bench.Page()
	ctx := context.Background()
	fmt.Printf("fixture: 40 statuses, %d bytes; GOMAXPROCS=%d, %s/%s, %s; medians of %d rounds\n\n",
		len(page), runtime.GOMAXPROCS(0), runtime.GOOS, runtime.GOARCH, runtime.Version(), *rounds)

	var arms []*arm
	add := func(name string, f func() error) *arm {
		a := &arm{name: name, f: f}
		arms = append(arms, a)
		return a
	}
	type wireArms struct{ raw, tusk, gom *arm }
	var fetch []wireArms
	for _, w := range bench.Wires {
		srv := bench.NewServer(page, w)
		defer srv.Close()
		hc := &http.Client{Transport: &http.Transport{}}
		tc, err := bench.NewTusk(srv.URL)
		must(err)
		gm := bench.NewGoMastodon(srv.URL)
		fetch = append(fetch, wireArms{
			add("raw floor (GET, body read and discarded)", func() error { return bench.Raw(hc, srv.URL) }),
			add("tusk", func() error { return count(bench.Tusk(ctx, tc)) }),
			add("go-mastodon", func() error { return count(bench.GoMastodon(ctx, gm)) }),
		})
	}
	decode := func(f func([]byte) (int, error)) func() error { return func() error { return count(f(page)) } }
	dTusk := add("tusk", decode(bench.DecodeTusk))
	dGoccy := add("goccy/go-json, go-mastodon types", decode(bench.DecodeGoccy))
	dSonic := add("sonic, go-mastodon types", decode(bench.DecodeSonic))
	dStd := add("encoding/json, go-mastodon types", decode(bench.DecodeGoMastodon))
	dTuskStd := add("encoding/json, tusk types", decode(bench.DecodeTuskStdlib))

	for _, a := range arms { // warm up: connections, pools, code
		for range 3 {
			must(a.f())
		}
	}
	for r := range *rounds {
		// Rotate the order so that no arm always follows the same one.
		for i := range arms {
			arms[(i+r)%len(arms)].measure(*armTime)
		}
	}

	var results []target
	fmt.Println("Timeline page fetch + decode, loopback")
	for i, w := range bench.Wires {
		a := fetch[i]
		fmt.Printf(" %s\n", w)
		for _, x := range []*arm{a.raw, a.tusk, a.gom} {
			x.row(len(page))
		}
		floor, gom := ratio(a.tusk, a.raw), ratio(a.gom, a.tusk)
		fmt.Printf("   tusk / floor %.2fx (2x is %.3f ms), go-mastodon / tusk %.2fx\n", floor, 2*a.raw.nsOp()/1e6, gom)
		// What a fetch costs besides reading the body (the floor) and
		// decoding it (decode alone, below): request, headers, body
		// buffers; for gzip, less what the floor's decompression costs
		// more than Tusk's.
		fmt.Printf("   tusk - floor - decode alone %.3f ms\n", (a.tusk.nsOp()-a.raw.nsOp()-dTusk.nsOp())/1e6)
		results = append(results,
			target{fmt.Sprintf("fetch + decode / floor, %s", w), floor, 2, false, "x"},
			target{fmt.Sprintf("go-mastodon / tusk, %s", w), gom, 6, true, "x"})
	}
	fmt.Println()

	fmt.Println("Decode alone (no network)")
	for _, x := range []*arm{dTusk, dGoccy, dSonic, dStd, dTuskStd} {
		x.row(len(page))
	}
	fastest := dGoccy
	if dSonic.nsOp() < fastest.nsOp() {
		fastest = dSonic
	}
	fmt.Printf("   fastest peer (%s) / tusk %.2fx; encoding/json / tusk %.2fx\n\n", fastest.name, ratio(fastest, dTusk), ratio(dStd, dTusk))
	results = append(results, target{"fastest of goccy/go-json and sonic / tusk, decode", ratio(fastest, dTusk), 2, true, "x"})

	fmt.Println("Memory per page: bytes allocated fetching a page / decoding it alone")
	for i, w := range bench.Wires {
		m := fetch[i].tusk.bytes() / dTusk.bytes()
		fmt.Printf("   %-26s %7.0f KB / %5.0f KB = %.2fx\n", w, fetch[i].tusk.bytes()/1024, dTusk.bytes()/1024, m)
		results = append(results, target{fmt.Sprintf("bytes per fetched page / decoded alone, %s", w), m, 1.25, false, "x"})
	}
	fmt.Println()

	// Streaming on one core, as the target asks: the loopback server shares
	// it, so these figures include the server's writes and both sides of
	// the kernel's loopback.
	fixtures, err := bench.StreamServers(page, *events)
	must(err)
	srounds := max(*rounds/5, 3)
	one, err := bench.SSEEvents(page)
	must(err)
	size := 0
	for _, ev := range one {
		size += len(ev)
	}
	fmt.Printf("Streaming on one core (GOMAXPROCS=1): update events carrying a status from the page (%.1f KB on average,\n", float64(size)/float64(len(one))/1024)
	fmt.Printf("as Mastodon's streaming server sends it), read with Streaming.User from a loopback server that shares\n")
	fmt.Printf("the core and writes each event as Mastodon does; parsed, decoded and handed over; medians of %d rounds\n", srounds)
	procs := runtime.GOMAXPROCS(1)
	rates := make([][]float64, len(fixtures))
	cpuRates := make([][]float64, len(fixtures)) // events per second of CPU time
	for range srounds {
		for i, s := range fixtures {
			start, cpu := time.Now(), cpuTime()
			var n int
			for time.Since(start) < time.Second {
				sctx, cancel := context.WithTimeout(ctx, 30*time.Second)
				k, err := bench.StreamEvents(sctx, s.Server.URL, s.Transport)
				cancel()
				must(err)
				n += k
			}
			rates[i] = append(rates[i], float64(n)/time.Since(start).Seconds())
			if used := cpuTime() - cpu; used > 0 {
				cpuRates[i] = append(cpuRates[i], float64(n)/used.Seconds())
			}
		}
	}
	runtime.GOMAXPROCS(procs)
	const streamTarget = 100000
	for i, s := range fixtures {
		s.Server.Close()
		r := median(rates[i])
		fmt.Printf("   %-10s %8.0f events/s  %6.2f µs/event  %3.0f%% of the target (%d events/s)\n",
			s.Transport, r, 1e6/r, 100*r/streamTarget, streamTarget)
		if len(cpuRates[i]) > 0 {
			// On a loaded machine a one-core process gets a share of a
			// core: CPU time (process and kernel, server included) says
			// what a whole core would give.
			c := median(cpuRates[i])
			fmt.Printf("   %-10s %8.0f events per CPU second (%.2f µs of CPU per event)\n", "", c, 1e6/c)
		}
		results = append(results, target{fmt.Sprintf("streaming on one core, %s", s.Transport), r, streamTarget, true, " events/s"})
	}
	fmt.Println()

	fmt.Printf("Iterating %d pages with HomeAll: heap in use after a full GC\n", *pages)
	for _, w := range bench.Wires {
		srv := bench.NewServer(page, w)
		tc, err := bench.NewTusk(srv.URL)
		must(err)
		marks := []int{*pages / 10, *pages}
		m, err := bench.WalkHome(ctx, tc, 40, marks...)
		must(err)
		srv.Close()
		grow := float64(int64(m[1].HeapAlloc)-int64(m[0].HeapAlloc)) / 1024
		fmt.Printf("   %-26s after %d pages %.1f MiB in use, after %d %.1f MiB; live heap %+.0f KB\n",
			w, m[0].Page, float64(m[0].HeapInuse)/(1<<20), m[1].Page, float64(m[1].HeapInuse)/(1<<20), grow)
		results = append(results, target{fmt.Sprintf("live heap growth over pages %d-%d, %s", m[0].Page, m[1].Page, w), grow, 256, false, " KB"})
	}
	fmt.Println()

	fmt.Println("One client shared by 64 goroutines (identity, Content-Length)")
	srv := bench.NewServer(page, bench.WireLength)
	tc, err := bench.NewTusk(srv.URL)
	must(err)
	for _, g := range []int{1, 64} {
		const per = 50
		start := time.Now()
		var wg sync.WaitGroup
		for range g {
			wg.Go(func() {
				for range per {
					must(count(bench.Tusk(ctx, tc)))
				}
			})
		}
		wg.Wait()
		fmt.Printf("   %2d goroutines: %7.0f pages/s\n", g, float64(g*per)/time.Since(start).Seconds())
	}
	srv.Close()
	fmt.Println()

	fmt.Println("Targets (issue 20)")
	for _, t := range results {
		verdict := "not met"
		if t.met() {
			verdict = "met"
		}
		op := "≤"
		if t.atLeast {
			op = "≥"
		}
		fmt.Printf("   %-66s %16s  (target %s %s)  %s\n", t.name, t.format(t.got), op, t.format(t.want), verdict)
	}
}

// arm is one workload and its samples, one per round.
type arm struct {
	name                  string
	f                     func() error
	times, allocs, bytesN []float64
}

// measure runs the arm for about d and records the time, allocations and
// bytes allocated per operation.
func (a *arm) measure(d time.Duration) {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	start := time.Now()
	n := 0
	for n == 0 || time.Since(start) < d {
		must(a.f())
		n++
	}
	el := time.Since(start)
	runtime.ReadMemStats(&after)
	a.times = append(a.times, float64(el.Nanoseconds())/float64(n))
	a.allocs = append(a.allocs, float64(after.Mallocs-before.Mallocs)/float64(n))
	a.bytesN = append(a.bytesN, float64(after.TotalAlloc-before.TotalAlloc)/float64(n))
}

func (a *arm) nsOp() float64  { return median(a.times) }
func (a *arm) bytes() float64 { return median(a.bytesN) }

func (a *arm) row(size int) {
	ns := a.nsOp()
	fmt.Printf("   %-42s %8.3f ms %8.1f MB/s %7.0f allocs %8.0f KB\n", a.name, ns/1e6, float64(size)/ns*1e3, median(a.allocs), a.bytes()/1024)
}

func median(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	return s[len(s)/2]
}

func ratio(a, b *arm) float64 { return a.nsOp() / b.nsOp() }

type target struct {
	name    string
	got     float64
	want    float64
	atLeast bool
	unit    string // "x" for a ratio
}

// format writes v in the target's unit: ratios to two decimals, counts
// whole.
func (t target) format(v float64) string {
	if t.unit == "x" {
		return fmt.Sprintf("%.2fx", v)
	}
	return fmt.Sprintf("%.0f%s", v, t.unit)
}

func (t target) met() bool {
	if t.atLeast {
		return t.got >= t.want
	}
	return t.got <= t.want
}

func count(n int, err error) error {
	if err == nil && n != 40 {
		return fmt.Errorf("%d statuses, want 40", n)
	}
	return err
}

func must(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, "compare:", err)
		os.Exit(1)
	}
}

package bench

import (
	"context"
	"testing"
)

// walk runs WalkHome against the loopback server and checks every page was
// fetched once.
func walk(tb testing.TB, page []byte, perPage int, marks ...int) []HeapMark {
	tb.Helper()
	srv := NewServer(page, WireLength)
	defer srv.Close()
	c, err := NewTusk(srv.URL)
	if err != nil {
		tb.Fatal(err)
	}
	got, err := WalkHome(context.Background(), c, perPage, marks...)
	if err != nil {
		tb.Fatal(err)
	}
	last := marks[len(marks)-1]
	if n := srv.Requests.Load(); n != int64(last) {
		tb.Fatalf("server saw %d requests for %d pages", n, last)
	}
	// The count starts again in each window, and a slow walk may cross
	// one: the client must hold what the server's last response said.
	srv.mu.Lock()
	want := rateLimit - srv.used
	srv.mu.Unlock()
	if rl := c.RateLimit(); !rl.Known || rl.Remaining != want {
		tb.Errorf("rate limit after %d requests: %+v, want %d remaining", last, rl, want)
	}
	return got
}

// TestHomeAllHeapFlat iterates 10,000 pages (two statuses each, to stay
// quick) and checks the heap does not grow with the pages read: what a
// long walk keeps must not depend on its length. Skipped with -short.
func TestHomeAllHeapFlat(t *testing.T) {
	if testing.Short() {
		t.Skip("10,000 loopback requests")
	}
	p := Page()
	small, err := SmallPage(p, 2)
	if err != nil {
		t.Fatal(err)
	}
	m := walk(t, small, 2, 1000, 10000)
	for _, x := range m {
		t.Logf("after %5d pages: heap in use %.2f MB, live %.2f MB", x.Page, float64(x.HeapInuse)/1e6, float64(x.HeapAlloc)/1e6)
	}
	// 9,000 more pages may not leave more than 256 KB behind (about 29
	// bytes a page): generous for noise, far below any per-page leak.
	if grow := int64(m[1].HeapAlloc) - int64(m[0].HeapAlloc); grow > 256<<10 {
		t.Errorf("live heap grew %d bytes from page 1,000 to 10,000", grow)
	}
}

// BenchmarkHomeAll10kPages walks 10,000 realistic pages (40 statuses,
// about 275 KB each) and reports the heap after 1,000 and 10,000 pages.
func BenchmarkHomeAll10kPages(b *testing.B) {
	p := Page()
	b.ReportAllocs()
	var m []HeapMark
	for b.Loop() {
		m = walk(b, p, 40, 1000, 10000)
	}
	b.ReportMetric(float64(10000*b.N)/b.Elapsed().Seconds(), "pages/s")
	b.ReportMetric(float64(m[0].HeapInuse)/1e6, "MB-inuse@1k")
	b.ReportMetric(float64(m[1].HeapInuse)/1e6, "MB-inuse@10k")
	b.ReportMetric(float64(m[0].HeapAlloc)/1e6, "MB-live@1k")
	b.ReportMetric(float64(m[1].HeapAlloc)/1e6, "MB-live@10k")
}

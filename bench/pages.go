package bench

import (
	"context"
	"encoding/json"
	"fmt"
	"runtime"

	"github.com/tuskgo/mastodon"
)

// HeapMark is the heap after a number of pages of an iteration, measured
// after a full garbage collection.
type HeapMark struct {
	Page      int
	HeapInuse uint64 // bytes in in-use spans (runtime.MemStats.HeapInuse)
	HeapAlloc uint64 // bytes of live objects (runtime.MemStats.HeapAlloc)
}

// SmallPage returns the first n statuses of page as a page of their own.
func SmallPage(page []byte, n int) ([]byte, error) {
	var statuses []json.RawMessage
	if err := json.Unmarshal(page, &statuses); err != nil {
		return nil, err
	}
	if n > len(statuses) {
		return nil, fmt.Errorf("page has %d statuses, not %d", len(statuses), n)
	}
	return json.Marshal(statuses[:n])
}

// WalkHome ranges over the home timeline with HomeAll, as a program
// reading it to the end would, and measures the heap after each page
// number in marks (ascending); it stops after the last. perPage is how
// many statuses each page of the server holds.
func WalkHome(ctx context.Context, c *mastodon.Client, perPage int, marks ...int) ([]HeapMark, error) {
	if len(marks) == 0 || perPage <= 0 {
		return nil, nil
	}
	out := make([]HeapMark, 0, len(marks))
	n := 0
	for st, err := range c.Timelines.HomeAll(ctx, nil) {
		if err != nil {
			return out, err
		}
		if st == nil || st.ID == "" {
			return out, fmt.Errorf("status %d decoded without an ID", n)
		}
		n++
		if n%perPage != 0 || n/perPage != marks[len(out)] {
			continue
		}
		out = append(out, heapNow(n/perPage))
		if len(out) == len(marks) {
			return out, nil
		}
	}
	return out, fmt.Errorf("timeline ended after %d statuses", n)
}

func heapNow(page int) HeapMark {
	runtime.GC()
	runtime.GC() // the second finishes sweeping what the first freed
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return HeapMark{Page: page, HeapInuse: ms.HeapInuse, HeapAlloc: ms.HeapAlloc}
}

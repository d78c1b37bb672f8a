package mastodon

import (
	"bytes"
	"encoding/json"
	"runtime"
	"sync"
	"testing"

	"github.com/tuskgo/mastodon/internal/corpus"
	"github.com/tuskgo/mastodon/internal/fixture"
)

// timelinePage returns a realistic home timeline page of 40 statuses
// (about 230 KB): long HTML content, accounts with profile fields and
// emoji, media with metadata, link cards, polls, mentions, tags and boosts.
// Where ../shared/corpus is present the page is built from recorded
// statuses and media (fixture.TimelinePage); on a plain clone it is the
// generated page the bench module uses (fixture.Page), so the tests that
// need a page run everywhere. The corpus is looked up outside the Once: a skip inside it
// would leave the Once done with no page for every later caller.
func timelinePage(tb testing.TB) []byte {
	tb.Helper()
	dir := corpus.Find()
	pageOnce.Do(func() {
		if dir == "" {
			page = fixture.Page()
			return
		}
		page, pageErr = fixture.TimelinePage(dir)
	})
	if pageErr != nil {
		tb.Fatal(pageErr)
	}
	return page
}

var (
	pageOnce sync.Once
	page     []byte
	pageErr  error
)

func TestTimelinePageShape(t *testing.T) {
	p := timelinePage(t)
	var got []*Status
	if err := unmarshalJSON(p, &got); err != nil {
		t.Fatal(err)
	}
	var cards, media, polls, boosts int
	for _, s := range got {
		if s.Reblog != nil {
			boosts++
			s = s.Reblog
		}
		if s.Card != nil {
			cards++
		}
		if s.Poll != nil {
			polls++
		}
		media += len(s.MediaAttachments)
	}
	if len(got) != 40 || cards == 0 || media == 0 || polls == 0 || boosts == 0 {
		t.Fatalf("page: %d statuses, %d cards, %d media, %d polls, %d boosts", len(got), cards, media, polls, boosts)
	}
	if len(p) < 150_000 || len(p) > 300_000 {
		t.Fatalf("page is %d bytes, want about 230 KB", len(p))
	}
	t.Logf("page: %d bytes, %d statuses, %d cards, %d media, %d polls, %d boosts", len(p), len(got), cards, media, polls, boosts)
	out, err := json.Marshal(got)
	if err != nil {
		t.Fatal(err)
	}
	diffs, err := jsonDiff(p, out)
	if err != nil || len(diffs) > 0 {
		t.Fatalf("round trip: %v %v", err, diffs)
	}
}

// BenchmarkDecodeTimeline decodes a 40-status page with the entity decoder
// and, for comparison, with encoding/json into plain structs of the same
// shape. allocs/status is allocations per op divided by 40.
func BenchmarkDecodeTimeline(b *testing.B) {
	p := timelinePage(b)
	run := func(b *testing.B, decode func() error) {
		b.SetBytes(int64(len(p)))
		b.ReportAllocs()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		before := ms.Mallocs
		for b.Loop() {
			if err := decode(); err != nil {
				b.Fatal(err)
			}
		}
		runtime.ReadMemStats(&ms)
		b.ReportMetric(float64(ms.Mallocs-before)/float64(b.N)/40, "allocs/status")
	}
	b.Run("tusk", func(b *testing.B) {
		run(b, func() error {
			var v []*Status
			return unmarshalJSON(p, &v)
		})
	})
	b.Run("encoding_json_plain", func(b *testing.B) {
		run(b, func() error {
			var v []*plainStatus
			return json.Unmarshal(p, &v)
		})
	})
}

// BenchmarkEncodeTimeline re-encodes a decoded page.
func BenchmarkEncodeTimeline(b *testing.B) {
	p := timelinePage(b)
	var v []*Status
	if err := unmarshalJSON(p, &v); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(p)))
	b.ReportAllocs()
	for b.Loop() {
		var e encoder
		e.b = append(e.b, '[')
		for i, s := range v {
			if i > 0 {
				e.b = append(e.b, ',')
			}
			s.encode(&e)
		}
		e.b = append(e.b, ']')
	}
}

// TestDecodeKeepsNoInput checks that a decoded page does not share memory
// with the buffer it was decoded from: the client reuses response buffers
// (and the streaming code its read buffer) once decoding is done.
func TestDecodeKeepsNoInput(t *testing.T) {
	in := bytes.Clone(timelinePage(t))
	var got []*Status
	if err := unmarshalJSON(in, &got); err != nil {
		t.Fatal(err)
	}
	before, err := json.Marshal(got)
	if err != nil {
		t.Fatal(err)
	}
	for i := range in {
		in[i] = '#'
	}
	after, err := json.Marshal(got)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(before, after) {
		t.Fatal("decoded statuses changed when their input buffer was overwritten")
	}
	if diffs, err := jsonDiff(timelinePage(t), after); err != nil || len(diffs) > 0 {
		t.Fatalf("round trip: %v %v", err, diffs)
	}
}

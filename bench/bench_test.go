package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"reflect"
	"testing"
)

// BenchmarkTimelineFetch fetches and decodes the 40-status page over
// loopback in each wire form: the raw transport floor, Tusk, go-mastodon.
func BenchmarkTimelineFetch(b *testing.B) {
	p := Page()
	for _, w := range Wires {
		b.Run(wireName(w), func(b *testing.B) { benchFetch(b, p, w) })
	}
}

func wireName(w Wire) string {
	return map[Wire]string{WireLength: "length", WireChunked: "chunked", WireGzip: "gzip"}[w]
}

func benchFetch(b *testing.B, p []byte, w Wire) {
	srv := NewServer(p, w)
	defer srv.Close()
	ctx := context.Background()
	b.Run("raw", func(b *testing.B) {
		hc := &http.Client{}
		b.SetBytes(int64(len(p)))
		b.ReportAllocs()
		for b.Loop() {
			if err := Raw(hc, srv.URL); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("tusk", func(b *testing.B) {
		c, err := NewTusk(srv.URL)
		if err != nil {
			b.Fatal(err)
		}
		b.SetBytes(int64(len(p)))
		b.ReportAllocs()
		for b.Loop() {
			if n, err := Tusk(ctx, c); err != nil || n != 40 {
				b.Fatal(n, err)
			}
		}
		b.ReportMetric(float64(testing.AllocsPerRun(10, func() { Tusk(ctx, c) }))/40, "allocs/status")
	})
	b.Run("go-mastodon", func(b *testing.B) {
		c := NewGoMastodon(srv.URL)
		b.SetBytes(int64(len(p)))
		b.ReportAllocs()
		for b.Loop() {
			if n, err := GoMastodon(ctx, c); err != nil || n != 40 {
				b.Fatal(n, err)
			}
		}
	})
}

// BenchmarkDecode decodes the page without any network.
func BenchmarkDecode(b *testing.B) {
	p := Page()
	for name, f := range map[string]func([]byte) (int, error){
		"tusk":                   DecodeTusk,
		"tusk-via-encoding-json": DecodeTuskStdlib,
		"go-mastodon-types":      DecodeGoMastodon,
		"goccy-go-json":          DecodeGoccy,
		"sonic":                  DecodeSonic,
	} {
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(len(p)))
			b.ReportAllocs()
			for b.Loop() {
				if n, err := f(p); err != nil || n != 40 {
					b.Fatal(n, err)
				}
			}
		})
	}
}

// BenchmarkStream parses and decodes update events from a user stream over
// SSE and over WebSocket.
func BenchmarkStream(b *testing.B) {
	p := Page()
	const n = 2000
	fixtures, err := StreamServers(p, n)
	if err != nil {
		b.Fatal(err)
	}
	for _, tc := range fixtures {
		defer tc.Server.Close() // also when -bench leaves its sub-benchmark out
		b.Run(string(tc.Transport), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				got, err := StreamEvents(context.Background(), tc.Server.URL, tc.Transport)
				if err != nil || got != n {
					b.Fatal(got, err)
				}
			}
			b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "events/s")
		})
	}
}

// BenchmarkParallel shares one Tusk client between goroutines.
func BenchmarkParallel(b *testing.B) {
	p := Page()
	srv := NewServer(p, WireLength)
	defer srv.Close()
	c, err := NewTusk(srv.URL)
	if err != nil {
		b.Fatal(err)
	}
	b.SetParallelism(32) // 32 × GOMAXPROCS goroutines
	b.SetBytes(int64(len(p)))
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if n, err := Tusk(context.Background(), c); err != nil || n != 40 {
				b.Error(n, err)
				return
			}
		}
	})
}

// TestStreamFixtures checks that the streaming benchmarks measure what they
// claim: every update event of both fixtures arrives decoded, over each
// transport, and the stream ends when the server closes it.
func TestStreamFixtures(t *testing.T) {
	p := Page()
	const n = 120 // three times round the page's 40 statuses
	fixtures, err := StreamServers(p, n)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range fixtures {
		got, err := StreamEvents(context.Background(), tc.Server.URL, tc.Transport)
		tc.Server.Close()
		if err != nil || got != n {
			t.Errorf("%s: %d update events, err %v; want %d", tc.Transport, got, err, n)
		}
	}
}

// TestStreamPayloads checks that the streaming fixtures carry what
// Mastodon's streaming server sends: each status compact, with the same
// value as on the REST page, and HTML characters unescaped.
func TestStreamPayloads(t *testing.T) {
	p := Page()
	var rest []any
	if err := json.Unmarshal(p, &rest); err != nil {
		t.Fatal(err)
	}
	got, err := streamPayloads(p)
	if err != nil {
		t.Fatal(err)
	}
	for i, s := range got {
		var v any
		if err := json.Unmarshal(s, &v); err != nil || !reflect.DeepEqual(v, rest[i]) {
			t.Fatalf("status %d: value differs from the page's (%v)", i, err)
		}
		if bytes.Contains(bytes.ToLower(s), []byte(`\u003c`)) || bytes.Contains(s, []byte(`\u0026`)) {
			t.Fatalf("status %d: HTML characters still escaped", i)
		}
	}
	if !bytes.Contains(bytes.Join(got, nil), []byte(`<p>`)) {
		t.Fatal("no raw HTML in any status")
	}
	frames, err := WSFrames(p)
	if err != nil {
		t.Fatal(err)
	}
	for i, f := range frames {
		var m struct{ Payload string }
		if err := json.Unmarshal(f, &m); err != nil || m.Payload != string(got[i]) {
			t.Fatalf("frame %d: payload differs (%v)", i, err)
		}
		if bytes.Contains(f, []byte(`\u003c`)) {
			t.Fatalf("frame %d: HTML characters escaped", i)
		}
	}
}

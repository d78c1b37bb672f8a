package bench

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/tuskgo/mastodon"
)

func page(b *testing.B) []byte {
	b.Helper()
	p, err := Page()
	if err != nil {
		b.Skip(err)
	}
	return p
}

// BenchmarkTimelineFetch fetches and decodes the 40-status page over
// loopback: the raw transport floor, Tusk, go-mastodon.
func BenchmarkTimelineFetch(b *testing.B) {
	p := page(b)
	srv := NewServer(p)
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
	p := page(b)
	for name, f := range map[string]func([]byte) (int, error){
		"tusk":                   DecodeTusk,
		"tusk-via-encoding-json": DecodeTuskStdlib,
		"go-mastodon-types":      DecodeGoMastodon,
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
	p := page(b)
	const n = 2000
	body, err := SSEBody(p, n)
	if err != nil {
		b.Fatal(err)
	}
	frames, err := WSFrames(p, n)
	if err != nil {
		b.Fatal(err)
	}
	for _, tc := range []struct {
		name      string
		srv       *httptest.Server
		transport mastodon.Transport
	}{
		{"sse", StreamServer(body), mastodon.TransportSSE},
		{"websocket", WSStreamServer(frames), mastodon.TransportWebSocket},
	} {
		b.Run(tc.name, func(b *testing.B) {
			defer tc.srv.Close()
			b.ReportAllocs()
			for b.Loop() {
				got, err := StreamEvents(context.Background(), tc.srv.URL, tc.transport)
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
	p := page(b)
	srv := NewServer(p)
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
	p, err := Page()
	if err != nil {
		t.Skip(err)
	}
	const n = 120 // three times round the page's 40 statuses
	body, err := SSEBody(p, n)
	if err != nil {
		t.Fatal(err)
	}
	frames, err := WSFrames(p, n)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		srv       *httptest.Server
		transport mastodon.Transport
	}{
		{StreamServer(body), mastodon.TransportSSE},
		{WSStreamServer(frames), mastodon.TransportWebSocket},
	} {
		got, err := StreamEvents(context.Background(), tc.srv.URL, tc.transport)
		tc.srv.Close()
		if err != nil || got != n {
			t.Errorf("%s: %d update events, err %v; want %d", tc.transport, got, err, n)
		}
	}
}

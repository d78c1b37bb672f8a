package mastodon

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"testing"
	"testing/iotest"
)

func gzipped(t testing.TB, s string) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	if _, err := zw.Write([]byte(s)); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestGzipResponse checks Tusk asks for gzip and decodes a gzip chunked
// body, and that the response it reports describes the decompressed body.
func TestGzipResponse(t *testing.T) {
	status := `{"id":"103","content":"\u003cp\u003ehello \u0026 bye\u003c/p\u003e","account":{"id":"1","acct":"a"}}`
	body := gzipped(t, status)
	var gotEncoding []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		gotEncoding = r.Header.Values("Accept-Encoding")
		if r.Header.Get("Accept-Encoding") != "gzip" {
			io.WriteString(w, status)
			return
		}
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.Header().Set("Content-Encoding", "gzip")
		w.Write(body[:10])
		w.(http.Flusher).Flush() // chunked, no length
		w.Write(body[10:])
	}))
	defer srv.Close()
	c, err := newScannedClient(srv.URL, WithAccessToken("tok"))
	if err != nil {
		t.Fatal(err)
	}
	var resp Response
	st, err := c.Statuses.Get(context.Background(), "103", CallResponse(&resp))
	if err != nil {
		t.Fatal(err)
	}
	if len(gotEncoding) != 1 || gotEncoding[0] != "gzip" {
		t.Errorf("Accept-Encoding sent %q, want gzip", gotEncoding)
	}
	if st.ID != "103" || st.Content != "<p>hello & bye</p>" || st.Account.ID != "1" {
		t.Errorf("decoded %+v", st)
	}
	if ce := resp.Header.Get("Content-Encoding"); ce != "" {
		t.Errorf("Response.Header keeps Content-Encoding %q for a body it decompressed", ce)
	}

	// A transport told not to compress is obeyed: no gzip is asked for.
	c2, err := newScannedClient(srv.URL, WithHTTPClient(&http.Client{Transport: &http.Transport{DisableCompression: true}}))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c2.Statuses.Get(context.Background(), "103"); err != nil {
		t.Fatal(err)
	}
	if len(gotEncoding) != 0 {
		t.Errorf("Accept-Encoding %q sent through a transport with DisableCompression", gotEncoding)
	}
}

// TestGzipBadBodies checks gzip bodies that are broken, empty or larger
// than the client's limit once decompressed give typed errors, not panics
// or partial values.
func TestGzipBadBodies(t *testing.T) {
	good := gzipped(t, `{"id":"1","acct":"a"}`)
	bomb := gzipped(t, `{"id":"1","note":"`+strings.Repeat("a", 1<<20)+`"}`)
	cases := []struct {
		name   string
		body   []byte
		status int
		check  func(error) bool
	}{
		{"not gzip", []byte(`{"id":"1"}`), 200, func(err error) bool {
			var e *NetworkError
			return errors.As(err, &e) && strings.Contains(err.Error(), "gzip")
		}},
		{"cut short", good[:len(good)-6], 200, func(err error) bool { var e *NetworkError; return errors.As(err, &e) }},
		{"bad checksum", append(append([]byte{}, good[:len(good)-8]...), 0, 0, 0, 0, 0, 0, 0, 0), 200, func(err error) bool { var e *NetworkError; return errors.As(err, &e) }},
		{"larger than the limit once decompressed", bomb, 200, func(err error) bool {
			var e *DecodeError
			return errors.As(err, &e) && strings.Contains(err.Error(), "larger than")
		}},
		{"empty", nil, 200, func(err error) bool { var e *DecodeError; return errors.As(err, &e) }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				w.Header().Set("Content-Encoding", "gzip")
				w.WriteHeader(tc.status)
				w.Write(tc.body)
			}))
			defer srv.Close()
			c, err := newScannedClient(srv.URL, WithMaxResponseSize(512<<10))
			if err != nil {
				t.Fatal(err)
			}
			a, err := c.Accounts.Get(context.Background(), "1")
			if err == nil || !tc.check(err) {
				t.Fatalf("got %v, %T %v", a, err, err)
			}
			if a != nil {
				t.Errorf("a value %+v beside the error", a)
			}
		})
	}
}

// TestReadPooled reads bodies of unknown length in pieces of every size,
// with and without a pooled buffer to start from.
func TestReadPooled(t *testing.T) {
	for _, n := range []int{0, 1, 2*minPooledBody - 1, 2 * minPooledBody, 2*minPooledBody + 1, 100_000, 300_000} {
		body := bytes.Repeat([]byte("0123456789abcdef"), n/16+1)[:n]
		for _, r := range []io.Reader{bytes.NewReader(body), iotest.OneByteReader(bytes.NewReader(body)), iotest.HalfReader(bytes.NewReader(body))} {
			got, err := readPooled(r, 1<<20)
			if err != nil || !bytes.Equal(got, body) {
				t.Fatalf("%d bytes: got %d, %v", n, len(got), err)
			}
			releaseBody(got)
		}
		if n > 0 {
			if _, err := readPooled(bytes.NewReader(body), int64(n-1)); !errors.Is(err, errTooLarge) {
				t.Errorf("%d bytes past a cap of %d: %v", n, n-1, err)
			}
			got, err := readPooled(bytes.NewReader(body), int64(n))
			if err != nil || len(got) != n {
				t.Errorf("%d bytes at the cap: %d, %v", n, len(got), err)
			}
		}
	}
	boom := errors.New("boom")
	if _, err := readPooled(iotest.ErrReader(boom), 1<<20); !errors.Is(err, boom) {
		t.Errorf("read error: %v", err)
	}
	if _, err := readPooled(io.MultiReader(strings.NewReader("abc"), iotest.ErrReader(boom)), 1<<20); !errors.Is(err, boom) {
		t.Errorf("read error after data: %v", err)
	}
}

// TestReadUnknownLengthReusesBuffers checks a body without a length, plain
// or gzip, read again after the last one was released allocates next to
// nothing: no growing buffer, no second copy of the body.
func TestReadUnknownLengthReusesBuffers(t *testing.T) {
	if raceEnabled {
		t.Skip("under -race sync.Pool drops buffers at random; the non-race run checks the allocations")
	}
	page := strings.Repeat(`{"id":"115000000000000000","content":"\u003cp\u003ehello\u003c/p\u003e"},`, 4000) // ~270 KB
	z := gzipped(t, page)
	for name, read := range map[string]func() ([]byte, error){
		"chunked": func() ([]byte, error) { return readBody(strings.NewReader(page), 8<<20, -1) },
		"gzip":    func() ([]byte, error) { return readGzip(bytes.NewReader(z), 8<<20) },
	} {
		got, err := read()
		if err != nil || string(got) != page {
			t.Fatalf("%s: %d bytes, %v", name, len(got), err)
		}
		releaseBody(got)
		var before, after runtime.MemStats
		const n = 20
		runtime.GC()
		runtime.ReadMemStats(&before)
		for range n {
			got, err := read()
			if err != nil || len(got) != len(page) {
				t.Fatalf("%s: %d bytes, %v", name, len(got), err)
			}
			releaseBody(got)
		}
		runtime.ReadMemStats(&after)
		// sync.Pool gives no guarantee (a collection empties it, a buffer
		// put on one P may be missed on another), so this allows a fresh
		// set of growing buffers for a few reads in the twenty; a growing
		// buffer for every read (as bytes.Buffer was) costs over twice
		// the body each time.
		if per := (after.TotalAlloc - before.TotalAlloc) / n; per > uint64(len(page))/2 {
			t.Errorf("%s: %d bytes allocated per %d byte body", name, per, len(page))
		}
	}
}

// FuzzReadGzip feeds readGzip arbitrary bodies: it never panics, and what
// it returns is what compress/gzip reads from the same bytes.
func FuzzReadGzip(f *testing.F) {
	f.Add(gzipped(f, `{"id":"1"}`))
	f.Add(gzipped(f, ""))
	f.Add(append(gzipped(f, `[1,`), gzipped(f, `2]`)...)) // two members
	f.Add([]byte{0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff})
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, in []byte) {
		const max = 1 << 16
		got, err := readGzip(bytes.NewReader(in), max)
		var want []byte
		var werr error
		if zr, e := gzip.NewReader(bytes.NewReader(in)); e == nil {
			want, werr = io.ReadAll(io.LimitReader(zr, max+1))
		} else if e != io.EOF {
			werr = e
		}
		if werr == nil && len(want) > max {
			if !errors.Is(err, errTooLarge) {
				t.Fatalf("%d bytes past the cap: %v", len(want), err)
			}
			return
		}
		if err != nil && got != nil {
			t.Fatalf("readGzip returned %d bytes beside %v", len(got), err)
		}
		if (err != nil) != (werr != nil) || err == nil && !bytes.Equal(got, want) {
			t.Fatalf("readGzip = %d bytes, %v; compress/gzip %d bytes, %v", len(got), err, len(want), werr)
		}
		if err == nil {
			releaseBody(got)
		}
	})
}

// TestBodyBufferOutlivesCollections: a released body buffer is reused
// after garbage collections, which empty bodyPool, so a client reading
// page after page does not allocate a new one every few pages.
func TestBodyBufferOutlivesCollections(t *testing.T) {
	const n = 300 << 10
	b := bodyBuffer(n)
	releaseBody(b)
	runtime.GC()
	runtime.GC()
	if got := bodyBuffer(n); &got[0] != &b[0] {
		t.Errorf("a %d byte body after two collections got a new buffer", n)
	} else {
		releaseBody(got)
	}
	// Only buffers up to maxSpareBody outlive collections: a large body
	// does not pin its memory.
	big := make([]byte, 0, maxSpareBody+1)
	spareBody.Store(nil)
	releaseBody(big)
	if p := spareBody.Load(); p != nil {
		t.Errorf("spareBody holds a %d byte buffer", cap(*p))
	}
	// Bodies of unknown length take it too.
	releaseBody(b)
	runtime.GC()
	runtime.GC()
	got, err := readPooled(strings.NewReader("[1,2,3]"), 1<<20)
	if err != nil || string(got) != "[1,2,3]" || &got[:1][0] != &b[:1][0] {
		t.Errorf("readPooled after collections: %q, %v, same buffer %v", got, err, err == nil && &got[:1][0] == &b[:1][0])
	}
}

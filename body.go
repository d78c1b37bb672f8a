package mastodon

import (
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/klauspost/compress/gzip"
)

// Tusk asks for gzip itself rather than leaving it to net/http's
// transport, which decompresses too but with a new reader for every
// response: here readers are reused (gzipReaders) and the output goes into
// a pooled body buffer. Mastodon behind its standard nginx configuration
// compresses JSON, typically 8:1 for a timeline page.
//
// Decompression uses github.com/klauspost/compress/gzip: on the benchmark
// page it decompresses in ~0.7x the CPU time of compress/gzip and
// allocates once instead of 33 times per reset reader (bench module's
// BenchmarkGunzip), ~12% less CPU per gzip page fetched (bench/README.md).

// askGzip reports whether requests sent with hc should ask for gzip: yes,
// unless hc's transport is an *http.Transport told not to compress.
func askGzip(hc *http.Client) bool {
	t, ok := hc.Transport.(*http.Transport)
	return !ok || !t.DisableCompression
}

// takeGzip reports whether hresp's body is gzip that no transport has
// decompressed yet. If so it removes Content-Encoding and Content-Length,
// which describe the compressed bytes, as net/http does when it
// decompresses.
func takeGzip(hresp *http.Response) bool {
	if hresp.Uncompressed || !strings.EqualFold(strings.TrimSpace(hresp.Header.Get("Content-Encoding")), "gzip") {
		return false
	}
	hresp.Header.Del("Content-Encoding")
	hresp.Header.Del("Content-Length")
	hresp.ContentLength = -1
	hresp.Uncompressed = true
	return true
}

// gzipReaders holds *gzip.Reader for reuse.
var gzipReaders sync.Pool

// readGzip decompresses a gzip body, failing when it holds more than max
// bytes once decompressed (so a small compressed body cannot make a large
// one). An empty body is an empty result, as servers send for 204.
func readGzip(r io.Reader, max int64) ([]byte, error) {
	zr, _ := gzipReaders.Get().(*gzip.Reader)
	var err error
	if zr == nil {
		zr, err = gzip.NewReader(r)
	} else {
		err = zr.Reset(r)
	}
	switch {
	case err == io.EOF:
		gzipReaders.Put(zr)
		return nil, nil
	case err != nil:
		return nil, fmt.Errorf("gzip body: %w", err)
	}
	data, err := readPooled(zr, max)
	if err == nil {
		// A gzip member's end is checked (length, CRC-32) by the read
		// that returns io.EOF, so data is whole.
		gzipReaders.Put(zr)
	} else if err != errTooLarge {
		err = fmt.Errorf("gzip body: %w", err)
	}
	return data, err
}

// lastBodySize is the length of the last body readPooled read.
var lastBodySize atomic.Int64

// readPooled reads a body of unknown length, failing when there are more
// than limit bytes. It reads into a pooled buffer (usually one that
// held an earlier page and is large enough, so nothing is allocated or
// copied); a buffer that fills up is replaced by one twice its size. The
// smaller buffers left behind are not pooled, so the pool keeps the sizes
// whole bodies need.
func readPooled(r io.Reader, limit int64) ([]byte, error) {
	var buf []byte
	if p := pooledBody(); p != nil {
		buf = (*p)[:0]
	} else {
		// The pool is empty after garbage collections: start at the size
		// of the last body, so that one allocation usually suffices.
		buf = make([]byte, 0, min(max(2*minPooledBody, lastBodySize.Load()*5/4), limit+1, maxPooledBody))
	}
	for {
		if len(buf) == cap(buf) {
			nb := make([]byte, len(buf), 2*cap(buf))
			copy(nb, buf)
			buf = nb
		}
		room := buf[len(buf):cap(buf)]
		if left := limit - int64(len(buf)); int64(len(room)) > left {
			room = room[:left+1] // one byte past the limit tells too large
		}
		n, err := r.Read(room)
		buf = buf[:len(buf)+n]
		if int64(len(buf)) > limit {
			releaseBody(buf)
			return nil, errTooLarge
		}
		if err == io.EOF {
			lastBodySize.Store(int64(len(buf)))
			return buf, nil
		}
		if err != nil {
			releaseBody(buf)
			return nil, err
		}
	}
}

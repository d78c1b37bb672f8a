package bench

import (
	"bytes"
	"compress/gzip"
	"io"
	"testing"

	kgzip "github.com/klauspost/compress/gzip"
)

// BenchmarkGunzip decompresses the gzip-compressed page into a reused
// buffer with compress/gzip and with github.com/klauspost/compress/gzip,
// each with one reader reset per page: the measurement behind keeping the
// standard library's (see README.md).
func BenchmarkGunzip(b *testing.B) {
	p := Page()
	var z bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&z, 6)
	zw.Write(p)
	zw.Close()
	out := make([]byte, 0, len(p)+1)
	read := func(b *testing.B, r io.Reader) {
		buf := out[:0]
		for {
			n, err := r.Read(buf[len(buf):cap(buf)])
			buf = buf[:len(buf)+n]
			if err == io.EOF {
				break
			}
			if err != nil {
				b.Fatal(err)
			}
		}
		if len(buf) != len(p) {
			b.Fatalf("%d bytes, want %d", len(buf), len(p))
		}
	}
	b.Run("stdlib", func(b *testing.B) {
		zr, _ := gzip.NewReader(bytes.NewReader(z.Bytes()))
		b.SetBytes(int64(len(p)))
		b.ReportAllocs()
		for b.Loop() {
			zr.Reset(bytes.NewReader(z.Bytes()))
			read(b, zr)
		}
	})
	b.Run("stdlib-new-reader", func(b *testing.B) {
		b.SetBytes(int64(len(p)))
		b.ReportAllocs()
		for b.Loop() {
			zr, _ := gzip.NewReader(bytes.NewReader(z.Bytes()))
			read(b, zr)
		}
	})
	b.Run("klauspost", func(b *testing.B) {
		zr, _ := kgzip.NewReader(bytes.NewReader(z.Bytes()))
		b.SetBytes(int64(len(p)))
		b.ReportAllocs()
		for b.Loop() {
			zr.Reset(bytes.NewReader(z.Bytes()))
			read(b, zr)
		}
	})
}

package mastodon

import (
	"bytes"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"strings"
	"testing"

	"github.com/tuskgo/mastodon/internal/form"
)

// orderedPart is one multipart part as it arrived, in order.
type orderedPart struct {
	Name, FileName, ContentType, Body string
}

// readOrderedParts parses a multipart body with the standard reader and
// keeps the parts in the order they were sent.
func readOrderedParts(t *testing.T, contentType string, body io.Reader) []orderedPart {
	t.Helper()
	mt, params, err := mime.ParseMediaType(contentType)
	if err != nil || mt != "multipart/form-data" {
		t.Fatalf("Content-Type = %q, want multipart/form-data", contentType)
	}
	var parts []orderedPart
	mr := multipart.NewReader(body, params["boundary"])
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			return parts
		}
		if err != nil {
			t.Fatalf("multipart: %v", err)
		}
		b, err := io.ReadAll(p)
		if err != nil {
			t.Fatalf("multipart part %s: %v", p.FormName(), err)
		}
		op := orderedPart{Name: p.FormName(), FileName: p.FileName(), Body: string(b)}
		if op.FileName != "" {
			op.ContentType = p.Header.Get("Content-Type")
		}
		parts = append(parts, op)
	}
}

func TestMultipartFilePlacement(t *testing.T) {
	fields := form.Values{{Key: "a", Value: "1"}, {Key: "b", Value: "2"}, {Key: "c", Value: "3"}}
	files := []filePart{
		{Field: "last", File: FileFromBytes("l.txt", []byte("end"))},
		{Field: "afterA", File: File{Name: "x.png", Reader: bytes.NewReader(pngHeader)}, After: 1},
		{Field: "afterC", File: FileFromBytes("c.bin", []byte("cc")), After: 3},
		{Field: "alsoAfterA", File: File{Name: "y", ContentType: "image/gif", Reader: strings.NewReader("GIF89a")}, After: 1},
	}
	var sent []int64
	body, _, ct, err := newMultipart(fields, files, func(s, _ int64) { sent = append(sent, s) })
	if err != nil {
		t.Fatal(err)
	}
	got := readOrderedParts(t, ct, body)
	want := []orderedPart{
		{Name: "a", Body: "1"},
		{Name: "afterA", FileName: "x.png", ContentType: "image/png", Body: string(pngHeader)},
		{Name: "alsoAfterA", FileName: "y", ContentType: "image/gif", Body: "GIF89a"},
		{Name: "b", Body: "2"},
		{Name: "c", Body: "3"},
		{Name: "afterC", FileName: "c.bin", ContentType: "application/octet-stream", Body: "cc"},
		{Name: "last", FileName: "l.txt", ContentType: "text/plain; charset=utf-8", Body: "end"},
	}
	if len(got) != len(want) {
		t.Fatalf("parts = %+v\nwant %+v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("part %d = %+v, want %+v", i, got[i], want[i])
		}
	}
	total := int64(len(pngHeader) + len("GIF89a") + len("cc") + len("end"))
	if len(sent) == 0 || sent[len(sent)-1] != total {
		t.Errorf("progress %v, want to end at %d", sent, total)
	}
}

func TestMultipartBadPlacement(t *testing.T) {
	fields := form.Values{{Key: "a", Value: "1"}}
	for _, after := range []int{-1, 2} {
		_, _, _, err := newMultipart(fields, []filePart{{Field: "f", File: FileFromBytes("f", []byte("x")), After: after}}, nil)
		if !errors.Is(err, ErrIllegalArgument) {
			t.Errorf("After %d: err = %v, want ErrIllegalArgument", after, err)
		}
	}
	if _, _, _, err := newMultipart(fields, []filePart{{Field: "f"}}, nil); !errors.Is(err, ErrIllegalArgument) {
		t.Errorf("no reader: err = %v", err)
	}
}

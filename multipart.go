package mastodon

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"os"
	"path/filepath"
	"strings"

	"github.com/tuskgo/mastodon/internal/form"
)

// File is a file to upload. The content is streamed from Reader and never
// held whole in memory.
type File struct {
	// Name is the file name sent to the server.
	Name string
	// ContentType is the MIME type; when empty it is sniffed from the
	// first bytes, then guessed from Name's extension.
	ContentType string
	// Reader supplies the content.
	Reader io.Reader
	// Size is the length in bytes when known (for progress), else 0.
	Size int64
}

// FileFromPath opens a file for upload. The caller closes it with the
// returned function once the call returned.
func FileFromPath(path string) (File, func() error, error) {
	f, err := os.Open(path)
	if err != nil {
		return File{}, nil, err
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return File{}, nil, err
	}
	if st.IsDir() {
		f.Close()
		return File{}, nil, illegalArg(fmt.Sprintf("%s is a directory", path))
	}
	return File{Name: filepath.Base(path), Reader: f, Size: st.Size()}, f.Close, nil
}

// FileFromBytes wraps bytes for upload.
func FileFromBytes(name string, b []byte) File {
	return File{Name: name, Reader: bytes.NewReader(b), Size: int64(len(b))}
}

// filePart is a file under a form field name.
type filePart struct {
	Field string
	File  File
	// After, when positive, writes the part right after the first After
	// text fields instead of after all of them: Rails groups repeated
	// name[][key] parts (media_attributes[][thumbnail]) by their order.
	After int
}

// newMultipart streams fields then files as multipart/form-data through a
// pipe: memory use does not grow with the file size. Files with After set
// go between the fields, the others follow them in order.
func newMultipart(fields form.Values, files []filePart, progress func(sent, total int64)) (io.ReadCloser, int64, string, error) {
	for _, f := range files {
		if f.File.Reader == nil {
			return nil, 0, "", illegalArg("file " + f.Field + " has no reader")
		}
		if f.After < 0 || f.After > len(fields) {
			return nil, 0, "", illegalArg(fmt.Sprintf("file %s placed after field %d of %d", f.Field, f.After, len(fields)))
		}
	}
	pr, pw := io.Pipe()
	mw := multipart.NewWriter(pw)
	var total int64
	for _, f := range files {
		if f.File.Size > 0 {
			total += f.File.Size
		}
	}
	go func() {
		err := writeMultipart(mw, fields, files, progress, total)
		if err == nil {
			err = mw.Close()
		}
		pw.CloseWithError(err)
	}()
	return pr, -1, mw.FormDataContentType(), nil
}

func writeMultipart(mw *multipart.Writer, fields form.Values, files []filePart, progress func(sent, total int64), total int64) error {
	var sent int64
	writeFiles := func(after int) error {
		for _, f := range files {
			if f.After == after {
				if err := writeFilePart(mw, f, &sent, total, progress); err != nil {
					return err
				}
			}
		}
		return nil
	}
	for i, p := range fields {
		if err := mw.WriteField(p.Key, p.Value); err != nil {
			return err
		}
		if err := writeFiles(i + 1); err != nil {
			return err
		}
	}
	return writeFiles(0)
}

// writeFilePart streams one file part, its MIME type sniffed from its
// first bytes unless given.
func writeFilePart(mw *multipart.Writer, f filePart, sent *int64, total int64, progress func(sent, total int64)) error {
	head := make([]byte, 512)
	n, err := io.ReadFull(f.File.Reader, head)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return err
	}
	head = head[:n]
	ct := f.File.ContentType
	if ct == "" {
		ct = sniffType(head, f.File.Name)
	}
	name := f.File.Name
	if name == "" {
		name = "file"
	}
	h := make(textproto.MIMEHeader)
	h.Set("Content-Disposition", fmt.Sprintf(`form-data; name="%s"; filename="%s"`, quoteEscape(f.Field), quoteEscape(name)))
	h.Set("Content-Type", ct)
	w, err := mw.CreatePart(h)
	if err != nil {
		return err
	}
	pw := &progressWriter{w: w, sent: sent, total: total, fn: progress}
	if _, err := pw.Write(head); err != nil {
		return err
	}
	if _, err := io.Copy(pw, f.File.Reader); err != nil {
		return err
	}
	return nil
}

// sniffType finds a MIME type from content, then from the extension.
func sniffType(head []byte, name string) string {
	ct := http.DetectContentType(head)
	if ct == "application/octet-stream" || strings.HasPrefix(ct, "text/plain") {
		if byExt := mime.TypeByExtension(strings.ToLower(filepath.Ext(name))); byExt != "" {
			return byExt
		}
	}
	return ct
}

var quoteEscaper = strings.NewReplacer("\\", "\\\\", `"`, "\\\"", "\r", "", "\n", "")

func quoteEscape(s string) string { return quoteEscaper.Replace(s) }

type progressWriter struct {
	w     io.Writer
	sent  *int64
	total int64
	fn    func(sent, total int64)
}

func (p *progressWriter) Write(b []byte) (int, error) {
	n, err := p.w.Write(b)
	*p.sent += int64(n)
	if p.fn != nil && n > 0 {
		p.fn(*p.sent, p.total)
	}
	return n, err
}

package mastodon

import (
	"context"
	"errors"
	"io"
	"math"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"time"

	"github.com/tuskgo/mastodon/internal/form"
)

// FocusPoint is the point of an image to keep in view when it is cropped,
// as MediaAttachment.meta.focus describes it: X and Y run from -1 (left,
// bottom) to 1 (right, top) and 0,0 is the centre. It is the one focal
// point type of requests (uploads, media updates, status edits), which
// carry it as "x,y".
type FocusPoint struct{ X, Y float64 }

// Focus is FocusPoint's former name, kept so older code compiles.
//
// Deprecated: use FocusPoint.
type Focus = FocusPoint

// String renders the point as requests carry it: "x,y".
func (f FocusPoint) String() string {
	return strconv.FormatFloat(f.X, 'f', -1, 64) + "," + strconv.FormatFloat(f.Y, 'f', -1, 64)
}

func (f FocusPoint) check() error {
	if math.IsNaN(f.X) || math.IsNaN(f.Y) || f.X < -1 || f.X > 1 || f.Y < -1 || f.Y > 1 {
		return illegalArg("focus point coordinates must be within [-1, 1]")
	}
	return nil
}

// MarshalText renders the point as "x,y"; coordinates outside [-1, 1]
// are an error.
func (f FocusPoint) MarshalText() ([]byte, error) {
	if err := f.check(); err != nil {
		return nil, err
	}
	return []byte(f.String()), nil
}

// EncodeForm writes the point as one "x,y" form value.
func (f FocusPoint) EncodeForm(prefix string, v *form.Values) error {
	if err := f.check(); err != nil {
		return err
	}
	v.Add(prefix, f.String())
	return nil
}

// encode is the form value of an optional point ("" for none).
func (f *FocusPoint) encode() (string, error) {
	if f == nil {
		return "", nil
	}
	if err := f.check(); err != nil {
		return "", err
	}
	return f.String(), nil
}

// UploadMediaParams are the optional parts of a media upload.
type UploadMediaParams struct {
	// Description is the alt text, for people who cannot see the media.
	Description string `form:"description"`
	// Focus is the focal point for cropping previews.
	Focus *FocusPoint `form:"focus"`
	// Thumbnail is a custom preview image for audio and video (3.2.0+).
	Thumbnail *File
	// Progress, when set, is told how many bytes of the upload went out.
	Progress func(sent, total int64)
	// Synchronous waits until the server has processed the media (see
	// Media.Wait), so the returned attachment has its URL.
	Synchronous bool
	// Wait tunes the waiting of Synchronous.
	Wait *WaitMediaOptions
}

// UpdateMediaParams are the media settings to change; unset ones stay.
type UpdateMediaParams struct {
	// Description replaces the alt text; Ptr("") clears it.
	Description *string     `form:"description"`
	Focus       *FocusPoint `form:"focus"`
	// Thumbnail replaces the preview image (3.2.0+).
	Thumbnail *File
	// Progress, when set, is told how many bytes of the thumbnail went out.
	Progress func(sent, total int64)
}

// WaitMediaOptions tunes Media.Wait.
type WaitMediaOptions struct {
	// Interval is the pause between polls (default 1s; the server's
	// Retry-After wins when longer).
	Interval time.Duration
}

var (
	version313         = MustParseVersion("3.1.3")
	errReaderDetached  = errors.New("mastodon: upload finished; the reader is no longer read")
	defaultMediaPoll   = time.Second
	maxMediaPollPeriod = time.Minute
)

// guardedReader lets an upload stop reading the caller's reader for good:
// after detach returns, no Read is running or will run. The multipart
// body is written by a goroutine that may outlive the request.
type guardedReader struct {
	mu       sync.Mutex
	r        io.Reader
	detached bool
}

func (g *guardedReader) Read(p []byte) (int, error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.detached {
		return 0, errReaderDetached
	}
	return g.r.Read(p)
}

func (g *guardedReader) detach() {
	g.mu.Lock()
	g.detached = true
	g.mu.Unlock()
}

// uploadAttempt holds the guarded files of one multipart request.
type uploadAttempt struct {
	parts  []filePart
	guards []*guardedReader
}

func newUploadAttempt(files []filePart) *uploadAttempt {
	a := &uploadAttempt{}
	for _, f := range files {
		g := &guardedReader{r: f.File.Reader}
		f.File.Reader = g
		a.parts = append(a.parts, f)
		a.guards = append(a.guards, g)
	}
	return a
}

func (a *uploadAttempt) detach() {
	for _, g := range a.guards {
		g.detach()
	}
}

// rewindable records where each reader starts, to send them again.
type rewindable struct {
	seekers []io.Seeker
	starts  []int64
}

func rewindInfo(files []filePart) (*rewindable, bool) {
	rw := &rewindable{}
	for _, f := range files {
		s, ok := f.File.Reader.(io.Seeker)
		if !ok {
			return nil, false
		}
		pos, err := s.Seek(0, io.SeekCurrent)
		if err != nil {
			return nil, false
		}
		rw.seekers = append(rw.seekers, s)
		rw.starts = append(rw.starts, pos)
	}
	return rw, true
}

func (rw *rewindable) rewind() error {
	for i, s := range rw.seekers {
		if _, err := s.Seek(rw.starts[i], io.SeekStart); err != nil {
			return err
		}
	}
	return nil
}

// Upload sends an image, video or audio file, streamed from f.Reader
// (never held whole in memory), and returns its attachment, whose ID goes
// into a status. UploadPath (a file name) and UploadReader (an io.Reader
// such as an *os.File) are the short forms. The MIME type is sniffed from the content when
// f.ContentType is empty. Since 3.1.3 the server processes large files
// after answering: the attachment's URL stays nil until then, and
// p.Synchronous (or Media.Wait) waits for it. Servers known to be older
// get the v1 endpoint; a server of unknown version that lacks the v2 one
// (404) gets it too when the readers can be rewound (io.Seeker).
//
//api:endpoint POST /api/v2/media
//api:endpoint POST /api/v1/media
//api:since 0.0.0
//api:changed 4.0.0
func (s *MediaService) Upload(ctx context.Context, f File, p *UploadMediaParams, opts ...CallOption) (*MediaAttachment, error) {
	if f.Reader == nil {
		return nil, illegalArg("Media.Upload: the file has no reader")
	}
	var o UploadMediaParams
	if p != nil {
		o = *p
	}
	if _, err := o.Focus.encode(); err != nil {
		return nil, err
	}
	fields := &o
	files := []filePart{{Field: "file", File: f}}
	if o.Thumbnail != nil {
		if o.Thumbnail.Reader == nil {
			return nil, illegalArg("Media.Upload: the thumbnail has no reader")
		}
		files = append(files, filePart{Field: "thumbnail", File: *o.Thumbnail})
	}
	send := func(path string) (*Response, *MediaAttachment, error) {
		a := newUploadAttempt(files)
		defer a.detach()
		r := req{Method: http.MethodPost, Path: path, Form: fields, Files: a.parts, Progress: o.Progress}
		return s.c.callMedia(ctx, r, opts)
	}
	path := "/api/v2/media"
	if s.c.apiBelow(version313) {
		path = "/api/v1/media"
	}
	rw, canRewind := rewindInfo(files)
	resp, m, err := send(path)
	if err != nil && path == "/api/v2/media" && errors.Is(err, ErrNotFound) && canRewind {
		if rerr := rw.rewind(); rerr == nil {
			resp, m, err = send("/api/v1/media")
		}
	}
	if err != nil {
		return nil, err
	}
	if o.Synchronous && (resp.StatusCode == http.StatusAccepted || m.URL == nil) {
		return s.Wait(ctx, m.ID, o.Wait, opts...)
	}
	return m, nil
}

// UploadPath uploads the file at path; see Upload.
//
//api:endpoint POST /api/v2/media
//api:endpoint POST /api/v1/media
//api:since 0.0.0
//api:changed 4.0.0
func (s *MediaService) UploadPath(ctx context.Context, path string, p *UploadMediaParams, opts ...CallOption) (*MediaAttachment, error) {
	f, closeFile, err := FileFromPath(path)
	if err != nil {
		return nil, err
	}
	defer closeFile()
	return s.Upload(ctx, f, p, opts...)
}

// UploadReader uploads what r reads: an *os.File, a bytes.Reader, an HTTP
// body; see Upload. The file name sent is r's own when it has one (an
// *os.File's base name), else "file", and the MIME type is sniffed from
// the content; give Upload a File to set them. The caller closes r.
//
//api:endpoint POST /api/v2/media
//api:endpoint POST /api/v1/media
//api:since 0.0.0
//api:changed 4.0.0
func (s *MediaService) UploadReader(ctx context.Context, r io.Reader, p *UploadMediaParams, opts ...CallOption) (*MediaAttachment, error) {
	if r == nil {
		return nil, illegalArg("Media.UploadReader: nil reader")
	}
	if f, ok := r.(*os.File); ok {
		if f == nil {
			return nil, illegalArg("Media.UploadReader: nil reader")
		}
		file := File{Name: filepath.Base(f.Name()), Reader: f}
		if st, err := f.Stat(); err == nil && st.Mode().IsRegular() {
			if off, err := f.Seek(0, io.SeekCurrent); err == nil && off <= st.Size() {
				file.Size = st.Size() - off
			}
		}
		return s.Upload(ctx, file, p, opts...)
	}
	file := File{Reader: r}
	if l, ok := r.(interface{ Len() int }); ok {
		file.Size = int64(l.Len())
	}
	return s.Upload(ctx, file, p, opts...)
}

// callMedia sends r and decodes a MediaAttachment, keeping the response
// (202 and 206 say "still processing").
func (c *Client) callMedia(ctx context.Context, r req, opts []CallOption) (*Response, *MediaAttachment, error) {
	o := collect(opts)
	resp, data, err := c.exec(ctx, &r, o)
	if err != nil {
		return resp, nil, err
	}
	m := new(MediaAttachment)
	if err := decodeBody(r.Method, resp.redactedURL, resp, data, m); err != nil {
		return resp, nil, err
	}
	return resp, m, nil
}

// Get returns an attachment of the user's that is not yet attached to a
// status. While the server is still processing it the answer is a 206
// (CallResponse's Partial) and its URL is nil.
//
//api:endpoint GET /api/v1/media/{id}
//api:since 3.1.3
func (s *MediaService) Get(ctx context.Context, id string, opts ...CallOption) (*MediaAttachment, error) {
	return call[MediaAttachment](ctx, s.c, req{Method: http.MethodGet, Path: "/api/v1/media/{id}", Params: []string{id}}, opts)
}

// Wait polls an attachment until the server has processed it (GET answers
// 200 instead of 206) and returns it. It stops when ctx ends; an attachment
// that failed to process ends it with the server's error.
//
// Other clients call this WaitForMedia; Tusk keeps the service verb as the
// only name (DESIGN.md's API shape), and docs/mastodonpy.md maps the
// other names. UploadMediaParams.Synchronous waits the same way.
//
//api:endpoint GET /api/v1/media/{id}
//api:since 3.1.3
func (s *MediaService) Wait(ctx context.Context, id string, o *WaitMediaOptions, opts ...CallOption) (*MediaAttachment, error) {
	interval := defaultMediaPoll
	if o != nil && o.Interval > 0 {
		interval = o.Interval
	}
	for {
		resp, m, err := s.c.callMedia(ctx, req{Method: http.MethodGet, Path: "/api/v1/media/{id}", Params: []string{id}}, opts)
		if err != nil {
			return nil, err
		}
		if resp.StatusCode != http.StatusPartialContent {
			return m, nil
		}
		wait := interval
		if resp.RetryAfter > wait {
			wait = min(resp.RetryAfter, maxMediaPollPeriod)
		}
		if err := sleepCtx(ctx, wait); err != nil {
			return nil, err
		}
	}
}

// Update changes an attachment's description, focus point or thumbnail
// before it is attached to a status; the server answers 404 for attached
// media, whose settings change with Statuses.Edit's MediaAttributes. The
// server answers 206 while the file is still processing.
//
//api:endpoint PUT /api/v1/media/{id}
//api:since 0.0.0
//api:changed 3.2.0
func (s *MediaService) Update(ctx context.Context, id string, p *UpdateMediaParams, opts ...CallOption) (*MediaAttachment, error) {
	var o UpdateMediaParams
	if p != nil {
		o = *p
	}
	if _, err := o.Focus.encode(); err != nil {
		return nil, err
	}
	r := req{Method: http.MethodPut, Path: "/api/v1/media/{id}", Params: []string{id}, Form: &o, Idempotent: true}
	if o.Thumbnail != nil {
		if o.Thumbnail.Reader == nil {
			return nil, illegalArg("Media.Update: the thumbnail has no reader")
		}
		a := newUploadAttempt([]filePart{{Field: "thumbnail", File: *o.Thumbnail}})
		defer a.detach()
		r.Files, r.Progress = a.parts, o.Progress
	}
	_, m, err := s.c.callMedia(ctx, r, opts)
	return m, err
}

// Delete removes an attachment that is not attached to a status.
//
//api:endpoint DELETE /api/v1/media/{id}
//api:since 4.4.0
func (s *MediaService) Delete(ctx context.Context, id string, opts ...CallOption) error {
	return callNoContent(ctx, s.c, req{Method: http.MethodDelete, Path: "/api/v1/media/{id}", Params: []string{id}, Idempotent: true}, opts)
}

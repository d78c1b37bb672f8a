package mastodontest

import (
	"bytes"
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"image"
	"image/color"
	_ "image/gif" // decoders for dimensions and blurhash
	_ "image/jpeg"
	_ "image/png"
	"math"
	"net/http"
	"path"
	"strconv"
	"strings"

	"github.com/tuskgo/mastodon/blurhash"
)

func (s *Server) mediaRoutes() {
	w := []string{"write", "write:media"}
	s.handle("POST /api/v2/media", route{need: userToken, scopes: w, h: s.uploadMedia(true)})
	s.handle("POST /api/v1/media", route{need: userToken, scopes: w, h: s.uploadMedia(false)})
	s.handle("GET /api/v1/media/{id}", route{need: userToken, scopes: w, h: s.getMedia})
	s.handle("PUT /api/v1/media/{id}", route{need: userToken, scopes: w, h: s.updateMedia})
	s.handle("DELETE /api/v1/media/{id}", route{need: userToken, scopes: w, h: s.deleteMedia})
	s.mux.HandleFunc("GET /system/media_attachments/files/{id}/{size}/{name}", s.serveFile)
	s.mux.HandleFunc("GET /system/media_attachments/thumbnails/{id}/{size}/{name}", s.serveThumbnail)
}

// setThumbnail stores a custom thumbnail (nil: none given). As in Mastodon
// it becomes the preview_url of a video, gifv or audio attachment; each
// thumbnail gets its own file name, so a client sees the URL change.
func (m *media) setThumbnail(f *upload) {
	if f == nil {
		return
	}
	m.thumbnail = true
	if m.kind != "video" && m.kind != "gifv" && m.kind != "audio" {
		return
	}
	sum := sha256.Sum256(f.data)
	ext := strings.ToLower(path.Ext(f.filename))
	if ext == "" {
		ext = ".png"
	}
	m.thumb, m.thumbName = f, hex.EncodeToString(sum[:8])+ext
}

func (s *Server) serveThumbnail(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	m := s.st.media[r.PathValue("id")]
	var t *upload
	if m != nil && m.thumb != nil && m.thumbName == r.PathValue("name") {
		t = m.thumb
	}
	s.mu.Unlock()
	if t == nil {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", cmp.Or(t.mime, "application/octet-stream"))
	_, _ = w.Write(t.data)
}

func mediaKind(mime string) string {
	switch {
	case strings.HasPrefix(mime, "image/gif"):
		return "gifv"
	case strings.HasPrefix(mime, "image/"):
		return "image"
	case strings.HasPrefix(mime, "video/"):
		return "video"
	case strings.HasPrefix(mime, "audio/"):
		return "audio"
	}
	return ""
}

func (s *Server) uploadMedia(v2 bool) handler {
	return func(c *call) (result, *apiError) {
		f := c.files["file"]
		if f == nil {
			return result{}, validation("file", "ERR_BLANK", "can't be blank", "File can't be blank")
		}
		mime := f.mime
		if mime == "" || mime == "application/octet-stream" {
			mime = http.DetectContentType(f.data)
		}
		mime, _, _ = strings.Cut(mime, ";")
		kind := mediaKind(mime)
		if kind == "" {
			return result{}, validation("file", "ERR_INVALID", "has contents that are not what they are reported to be",
				"File has contents that are not what they are reported to be")
		}
		if kind == "gifv" {
			kind = "image"
			if _, _, err := image.DecodeConfig(bytes.NewReader(f.data)); err == nil {
				kind = "gifv"
			}
		}
		sum := sha256.Sum256(f.data)
		ext := path.Ext(f.filename)
		if ext == "" {
			ext = "." + strings.TrimPrefix(mime[strings.Index(mime, "/")+1:], "x-")
		}
		m := &media{id: c.st.newID(), account: c.me, kind: kind, mime: mime, size: int64(len(f.data)),
			filename: hex.EncodeToString(sum[:8]) + strings.ToLower(ext), data: f.data, createdAt: s.now()}
		if d := c.p.str("description"); d != "" {
			m.description = &d
		}
		if err := checkFocus(c.p.str("focus")); err != nil {
			return result{}, err
		}
		if fx, fy, ok := parseFocus(c.p.str("focus")); ok {
			m.focusX, m.focusY, m.hasFocus = fx, fy, true
		}
		if cfg, _, err := image.DecodeConfig(bytes.NewReader(f.data)); err == nil {
			m.width, m.height = cfg.Width, cfg.Height
		}
		if kind == "image" || kind == "gifv" || kind == "video" {
			m.blurhash = ptr(computeBlurhash(f.data))
		}
		m.setThumbnail(c.files["thumbnail"])
		c.st.media[m.id] = m
		code := 200
		if v2 && (int64(len(f.data)) >= s.cfg.processBytes || kind == "video" || kind == "audio") {
			m.processing, m.pending = true, s.cfg.processPolls
			code = 202
		}
		return result{code: code, body: c.st.renderMedia(m)}, nil
	}
}

func parseFocus(v string) (float64, float64, bool) {
	xs, ys, ok := strings.Cut(v, ",")
	if !ok {
		return 0, 0, false
	}
	x, err1 := strconv.ParseFloat(strings.TrimSpace(xs), 64)
	y, err2 := strconv.ParseFloat(strings.TrimSpace(ys), 64)
	if err1 != nil || err2 != nil || !(x >= -1 && x <= 1 && y >= -1 && y <= 1) {
		return 0, 0, false
	}
	return x, y, true
}

// checkFocus refuses a focus with a coordinate that is not a finite number
// ("NaN", "Infinity", "1e999"): 422, as a Rails validation would answer,
// rather than a value no JSON encoder can write. Other unusable values are
// ignored, as before.
func checkFocus(v string) *apiError {
	xs, ys, _ := strings.Cut(v, ",")
	for _, f := range []string{xs, ys} {
		n, err := strconv.ParseFloat(strings.TrimSpace(f), 64)
		if math.IsNaN(n) || math.IsInf(n, 0) || errors.Is(err, strconv.ErrRange) {
			return validation("focus", "ERR_INVALID", "is invalid", "Focus must be a finite number")
		}
	}
	return nil
}

func (c *call) myMedia() (*media, *apiError) {
	m := c.st.media[c.r.PathValue("id")]
	if m == nil || m.account != c.me {
		return nil, errNotFound
	}
	return m, nil
}

func (s *Server) getMedia(c *call) (result, *apiError) {
	m, err := c.myMedia()
	if err != nil {
		return result{}, err
	}
	if m.processing && m.pending > 0 {
		m.pending--
		return result{code: 206, body: c.st.renderMedia(m)}, nil
	}
	m.processing = false
	return ok(c.st.renderMedia(m)), nil
}

func (s *Server) updateMedia(c *call) (result, *apiError) {
	m, err := c.myMedia()
	if err != nil {
		return result{}, err
	}
	if m.statusID != "" && !strings.HasPrefix(m.statusID, "scheduled:") {
		return result{}, errNotFound
	}
	if c.p.has("description") {
		d := c.p.str("description")
		m.description = &d
		if d == "" {
			m.description = nil
		}
	}
	if err := checkFocus(c.p.str("focus")); err != nil {
		return result{}, err
	}
	if fx, fy, ok := parseFocus(c.p.str("focus")); ok {
		m.focusX, m.focusY, m.hasFocus = fx, fy, true
	}
	m.setThumbnail(c.files["thumbnail"])
	code := 200
	if m.processing {
		code = 206
	}
	return result{code: code, body: c.st.renderMedia(m)}, nil
}

func (s *Server) deleteMedia(c *call) (result, *apiError) {
	m, err := c.myMedia()
	if err != nil {
		return result{}, err
	}
	if m.statusID != "" {
		return result{}, errf(422, "Media attachment is currently used by a status")
	}
	delete(c.st.media, m.id)
	return ok(nil), nil
}

func (s *Server) serveFile(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	m := s.st.media[r.PathValue("id")]
	var data []byte
	var mime string
	if m != nil && m.filename == r.PathValue("name") {
		data, mime = m.data, m.mime
	}
	s.mu.Unlock()
	if data == nil {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", mime)
	_, _ = w.Write(data)
}

// computeBlurhash hashes the uploaded image (scaled down to at most 64
// pixels a side first, which is plenty for 4×3 components); files that are
// not decodable images get the hash of a flat grey.
func computeBlurhash(data []byte) string {
	var src image.Image = image.NewUniform(color.Gray{128})
	var b image.Rectangle = image.Rect(0, 0, 1, 1)
	if img, _, err := image.Decode(bytes.NewReader(data)); err == nil && !img.Bounds().Empty() {
		src, b = img, img.Bounds()
	}
	w, h := min(b.Dx(), 64), min(b.Dy(), 64)
	small := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			small.Set(x, y, src.At(b.Min.X+x*b.Dx()/w, b.Min.Y+y*b.Dy()/h))
		}
	}
	hash, err := blurhash.Encode(small, 4, 3)
	if err != nil {
		return "L00000fQfQfQfQfQfQfQfQfQfQfQ"
	}
	return hash
}

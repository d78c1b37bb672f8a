package mastodon

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"mime"
	"mime/multipart"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/tuskgo/mastodon/internal/corpus"
	"github.com/tuskgo/mastodon/internal/form"
)

func rFocus(it *corpus.Interaction) *FocusPoint {
	x, y, ok := strings.Cut(rform(it, "focus"), ",")
	if !ok {
		return nil
	}
	fx, _ := strconv.ParseFloat(x, 64)
	fy, _ := strconv.ParseFloat(y, 64)
	return &FocusPoint{X: fx, Y: fy}
}

// rFile makes a stand-in for a recorded file part (the corpus keeps no
// bytes).
func rFile(it *corpus.Interaction, field string) *File {
	for _, p := range it.Request.Body.Parts {
		if p.Name == field && p.Filename != "" {
			f := FileFromBytes(p.Filename, bytes.Repeat([]byte{0}, int(min(p.Size, 4096))))
			f.ContentType = p.ContentType
			return &f
		}
	}
	return nil
}

func mediaReplay(cases *replayTable) {
	cases.add("POST /api/v2/media", func(ctx context.Context, c *Client, it *corpus.Interaction) error {
		_, err := c.Media.Upload(ctx, *rFile(it, "file"), &UploadMediaParams{Description: rform(it, "description"),
			Focus: rFocus(it), Thumbnail: rFile(it, "thumbnail")})
		return err
	})
	cases.add("GET /api/v1/media/{id}", func(ctx context.Context, c *Client, it *corpus.Interaction) error {
		_, err := c.Media.Get(ctx, it.PathParam("id"))
		return err
	})
	cases.add("PUT /api/v1/media/{id}", func(ctx context.Context, c *Client, it *corpus.Interaction) error {
		p := &UpdateMediaParams{Focus: rFocus(it), Thumbnail: rFile(it, "thumbnail")}
		if d := rforms(it, "description"); len(d) > 0 {
			p.Description = &d[0]
		}
		_, err := c.Media.Update(ctx, it.PathParam("id"), p)
		return err
	})
}

var pngHeader = []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")

const mediaSampleJSON = `{"id":"22348641","type":"image","url":"https://files.example/original/a.png","preview_url":"https://files.example/small/a.png","remote_url":null,"text_url":null,"meta":{"focus":{"x":-0.42,"y":0.69},"original":{"width":640,"height":480,"size":"640x480","aspect":1.3333333333333333}},"description":"test uploaded via api","blurhash":"UFBWY:8_0Jxv4mx]t8t64.%M-:IUWGWAt6M}"}`

// readParts parses a multipart request into text fields and files.
func readParts(t *testing.T, r *http.Request) (map[string]string, map[string]*multipart.Part, map[string][]byte) {
	t.Helper()
	ct, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || ct != "multipart/form-data" {
		t.Fatalf("Content-Type %q", r.Header.Get("Content-Type"))
	}
	fields, files, data := map[string]string{}, map[string]*multipart.Part{}, map[string][]byte{}
	mr := multipart.NewReader(r.Body, params["boundary"])
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("multipart: %v", err)
		}
		b, _ := io.ReadAll(p)
		if p.FileName() != "" {
			files[p.FormName()], data[p.FormName()] = p, b
		} else {
			fields[p.FormName()] = string(b)
		}
	}
	return fields, files, data
}

func TestMediaUpload(t *testing.T) {
	c, mux, _ := setup(t)
	content := append(append([]byte{}, pngHeader...), bytes.Repeat([]byte("x"), 5000)...)
	mux.HandleFunc("/api/v2/media", func(w http.ResponseWriter, r *http.Request) {
		testMethod(t, r, "POST")
		testHeader(t, r, "Authorization", "Bearer "+testToken)
		fields, files, data := readParts(t, r)
		if fields["description"] != "a cat" || fields["focus"] != "-0.5,0.25" || len(fields) != 2 {
			t.Errorf("fields %v", fields)
		}
		if f := files["file"]; f == nil || f.FileName() != "cat.png" || f.Header.Get("Content-Type") != "image/png" || !bytes.Equal(data["file"], content) {
			t.Errorf("file part %v", f)
		}
		if th := files["thumbnail"]; th == nil || th.FileName() != "thumb.jpg" || th.Header.Get("Content-Type") != "image/jpeg" || string(data["thumbnail"]) != "thumb" {
			t.Errorf("thumbnail part %v %q", th, data["thumbnail"])
		}
		fmt.Fprint(w, mediaSampleJSON)
	})
	var lastSent, lastTotal int64
	thumb := File{Name: "thumb.jpg", ContentType: "image/jpeg", Reader: strings.NewReader("thumb"), Size: 5}
	p := &UploadMediaParams{Description: "a cat", Focus: &FocusPoint{X: -0.5, Y: 0.25}, Thumbnail: &thumb,
		Progress: func(sent, total int64) { lastSent, lastTotal = sent, total }}
	m, err := c.Media.Upload(context.Background(), FileFromBytes("cat.png", content), p)
	if err != nil {
		t.Fatal(err)
	}
	if m.ID != "22348641" || m.Type != "image" || m.URL == nil || m.Meta == nil || m.Meta.Focus == nil || m.Meta.Focus.X == nil || *m.Meta.Focus.X != -0.42 {
		t.Errorf("decoded %+v", m)
	}
	if lastSent != int64(len(content))+5 || lastTotal != lastSent {
		t.Errorf("progress %d/%d", lastSent, lastTotal)
	}
	if p.Description != "a cat" || p.Thumbnail != &thumb {
		t.Error("params changed")
	}
}

func TestMediaUploadPathAndReader(t *testing.T) {
	c, mux, _ := setup(t)
	var gotName, gotType string
	mux.HandleFunc("/api/v2/media", func(w http.ResponseWriter, r *http.Request) {
		fields, files, _ := readParts(t, r)
		if len(fields) != 0 {
			t.Errorf("fields %v", fields)
		}
		gotName, gotType = files["file"].FileName(), files["file"].Header.Get("Content-Type")
		fmt.Fprint(w, mediaSampleJSON)
	})
	path := filepath.Join(t.TempDir(), "clip.webm")
	if err := os.WriteFile(path, []byte("\x1aE\xdf\xa3 webm-ish"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Media.UploadPath(context.Background(), path, nil); err != nil {
		t.Fatal(err)
	}
	if gotName != "clip.webm" || gotType != "video/webm" {
		t.Errorf("path upload: %q %q", gotName, gotType)
	}
	// A plain reader with a name and an explicit type.
	f := File{Name: "voice.ogg", ContentType: "audio/ogg", Reader: io.LimitReader(strings.NewReader(strings.Repeat("a", 100)), 100)}
	if _, err := c.Media.Upload(context.Background(), f, nil); err != nil {
		t.Fatal(err)
	}
	if gotName != "voice.ogg" || gotType != "audio/ogg" {
		t.Errorf("reader upload: %q %q", gotName, gotType)
	}
	if _, err := c.Media.UploadPath(context.Background(), filepath.Join(t.TempDir(), "missing.png"), nil); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing file: %v", err)
	}
}

// TestMediaUploadReader: an *os.File keeps its base name and the bytes
// left after its offset; any other reader is sent as "file" with its type
// sniffed; progress totals come from the file's size or the reader's Len.
func TestMediaUploadReader(t *testing.T) {
	c, mux, _ := setup(t)
	var gotName, gotType string
	var gotData []byte
	mux.HandleFunc("/api/v2/media", func(w http.ResponseWriter, r *http.Request) {
		testMethod(t, r, "POST")
		_, files, data := readParts(t, r)
		gotName, gotType, gotData = files["file"].FileName(), files["file"].Header.Get("Content-Type"), data["file"]
		fmt.Fprint(w, mediaSampleJSON)
	})
	content := append(append([]byte{}, pngHeader...), bytes.Repeat([]byte("y"), 300)...)
	path := filepath.Join(t.TempDir(), "photo.png")
	if err := os.WriteFile(path, append([]byte("skip"), content...), 0o600); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.Seek(4, io.SeekStart); err != nil {
		t.Fatal(err)
	}
	var total int64
	m, err := c.Media.UploadReader(context.Background(), f, &UploadMediaParams{Progress: func(_, tot int64) { total = tot }})
	if err != nil {
		t.Fatal(err)
	}
	if m.ID != "22348641" {
		t.Errorf("decoded ID %q", m.ID)
	}
	if gotName != "photo.png" || gotType != "image/png" || !bytes.Equal(gotData, content) || total != int64(len(content)) {
		t.Errorf("*os.File upload: name %q type %q %d bytes, progress total %d; want photo.png image/png %d", gotName, gotType, len(gotData), total, len(content))
	}
	total = 0
	if _, err := c.Media.UploadReader(context.Background(), bytes.NewReader(content), &UploadMediaParams{Progress: func(_, tot int64) { total = tot }}); err != nil {
		t.Fatal(err)
	}
	if gotName != "file" || gotType != "image/png" || !bytes.Equal(gotData, content) || total != int64(len(content)) {
		t.Errorf("bytes.Reader upload: name %q type %q %d bytes, total %d", gotName, gotType, len(gotData), total)
	}
	for name, r := range map[string]io.Reader{"nil": nil, "nil *os.File": (*os.File)(nil)} {
		if _, err := c.Media.UploadReader(context.Background(), r, nil); !errors.Is(err, ErrIllegalArgument) {
			t.Errorf("%s: err = %v, want ErrIllegalArgument", name, err)
		}
	}
}

func TestMediaUploadBadInput(t *testing.T) {
	c, mux, _ := setup(t)
	mux.HandleFunc("/api/v2/media", func(w http.ResponseWriter, r *http.Request) {
		t.Error("a request was sent")
	})
	ctx := context.Background()
	if _, err := c.Media.Upload(ctx, File{Name: "x"}, nil); !errors.Is(err, ErrIllegalArgument) {
		t.Errorf("nil reader: %v", err)
	}
	if _, err := c.Media.Upload(ctx, FileFromBytes("x", []byte("x")), &UploadMediaParams{Focus: &FocusPoint{X: 2}}); !errors.Is(err, ErrIllegalArgument) {
		t.Errorf("bad focus: %v", err)
	}
	if _, err := c.Media.Upload(ctx, FileFromBytes("x", []byte("x")), &UploadMediaParams{Thumbnail: &File{}}); !errors.Is(err, ErrIllegalArgument) {
		t.Errorf("thumbnail without reader: %v", err)
	}
}

func TestMediaUploadErrors(t *testing.T) {
	c, mux, _ := setup(t)
	mux.HandleFunc("/api/v2/media", func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		w.WriteHeader(http.StatusUnprocessableEntity)
		fmt.Fprint(w, `{"error":"Validation failed: File content type is invalid, File is invalid"}`)
	})
	_, err := c.Media.Upload(context.Background(), FileFromBytes("x.txt", []byte("hello")), nil)
	var ae *APIError
	if !errors.Is(err, ErrUnprocessable) || !errors.As(err, &ae) || !strings.Contains(ae.Code, "content type") {
		t.Errorf("422: %v", err)
	}
}

func TestMediaUploadV1(t *testing.T) {
	// A server known to be older than 3.1.3 gets the v1 endpoint.
	c, mux, _ := setup(t, WithServerVersion("2.9.0"))
	mux.HandleFunc("/api/v1/media", func(w http.ResponseWriter, r *http.Request) {
		_, _, data := readParts(t, r)
		if string(data["file"]) != "old" {
			t.Errorf("file %q", data["file"])
		}
		fmt.Fprint(w, mediaSampleJSON)
	})
	if _, err := c.Media.Upload(context.Background(), FileFromBytes("a.png", []byte("old")), nil); err != nil {
		t.Fatal(err)
	}

	// A server of unknown version without the v2 route: a seekable reader
	// is rewound and sent whole to v1.
	c2, mux2, _ := setup(t)
	content := bytes.Repeat([]byte("0123456789"), 50000)
	calls := []string{}
	mux2.HandleFunc("/api/v2/media", func(w http.ResponseWriter, r *http.Request) {
		calls = append(calls, "v2")
		io.CopyN(io.Discard, r.Body, 1000) // reads a little, then gives up
		w.WriteHeader(http.StatusNotFound)
		fmt.Fprint(w, `<html>Not Found</html>`)
	})
	mux2.HandleFunc("/api/v1/media", func(w http.ResponseWriter, r *http.Request) {
		calls = append(calls, "v1")
		_, _, data := readParts(t, r)
		if !bytes.Equal(data["file"], content) {
			t.Errorf("v1 got %d bytes, want %d", len(data["file"]), len(content))
		}
		fmt.Fprint(w, mediaSampleJSON)
	})
	if _, err := c2.Media.Upload(context.Background(), FileFromBytes("a.png", content), nil); err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(calls) != "[v2 v1]" {
		t.Errorf("calls %v", calls)
	}

	// A reader that cannot be rewound is not sent twice.
	calls = nil
	_, err := c2.Media.Upload(context.Background(), File{Name: "a.png", Reader: io.MultiReader(bytes.NewReader(content))}, nil)
	if !errors.Is(err, ErrNotFound) || fmt.Sprint(calls) != "[v2]" {
		t.Errorf("non-seekable: %v, calls %v", err, calls)
	}
}

// patternReader yields n bytes of a repeating pattern without holding them.
type patternReader struct{ left int64 }

func (p *patternReader) Read(b []byte) (int, error) {
	if p.left <= 0 {
		return 0, io.EOF
	}
	n := min(int64(len(b)), p.left)
	for i := range b[:n] {
		b[i] = byte(i)
	}
	p.left -= n
	return int(n), nil
}

func TestMediaUploadStreamsLargeFile(t *testing.T) {
	size := int64(200 << 20)
	if testing.Short() {
		size = 20 << 20
	}
	c, mux, _ := setup(t)
	var received int64
	mux.HandleFunc("/api/v2/media", func(w http.ResponseWriter, r *http.Request) {
		n, err := io.Copy(io.Discard, r.Body)
		if err != nil {
			t.Errorf("reading body: %v", err)
		}
		received = n
		w.WriteHeader(http.StatusAccepted)
		fmt.Fprint(w, `{"id":"1","type":"video","url":null}`)
	})
	var calls int
	var last int64
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	m, err := c.Media.Upload(context.Background(),
		File{Name: "big.mp4", ContentType: "video/mp4", Reader: &patternReader{left: size}, Size: size},
		&UploadMediaParams{Progress: func(sent, total int64) { calls++; last = sent }})
	runtime.ReadMemStats(&after)
	if err != nil {
		t.Fatal(err)
	}
	if m.URL != nil {
		t.Error("a 202 attachment should have no URL yet")
	}
	if received < size || last != size || calls < 2 {
		t.Errorf("server got %d bytes, progress %d in %d calls; want %d", received, last, calls, size)
	}
	// Everything allocated during the upload, client and test server
	// together, stays far below the file size: nothing buffered it whole.
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > uint64(size/8) {
		t.Errorf("upload of %d MiB allocated %d MiB", size>>20, alloc>>20)
	}
}

// roundTripFunc serves requests in memory, for tests in a synctest bubble.
type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

func jsonResponse(r *http.Request, status int, body string, header ...string) *http.Response {
	h := http.Header{"Content-Type": {"application/json"}}
	for i := 0; i+1 < len(header); i += 2 {
		h.Set(header[i], header[i+1])
	}
	return &http.Response{StatusCode: status, Status: strconv.Itoa(status) + " " + http.StatusText(status), Header: h,
		Body: io.NopCloser(strings.NewReader(body)), Request: r}
}

func TestMediaWaitPolls(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var mu sync.Mutex
		var polls []time.Time
		hc := &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
			switch {
			case r.Method == "POST" && r.URL.Path == "/api/v2/media":
				io.Copy(io.Discard, r.Body)
				return jsonResponse(r, 202, `{"id":"9","type":"video","url":null}`), nil
			case r.Method == "GET" && r.URL.Path == "/api/v1/media/9":
				mu.Lock()
				defer mu.Unlock()
				polls = append(polls, time.Now())
				switch len(polls) {
				case 1:
					return jsonResponse(r, 206, `{"id":"9","type":"video","url":null}`), nil
				case 2:
					return jsonResponse(r, 206, `{"id":"9","type":"video","url":null}`, "Retry-After", "5"), nil
				}
				return jsonResponse(r, 200, `{"id":"9","type":"video","url":"https://files.example/9.mp4"}`), nil
			}
			t.Errorf("unexpected %s %s", r.Method, r.URL)
			return jsonResponse(r, 404, `{}`), nil
		})}
		c, err := newScannedClient("https://media.example", WithAccessToken(testToken), WithHTTPClient(hc), WithRetryPolicy(RetryPolicy{}))
		if err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		m, err := c.Media.Upload(context.Background(), FileFromBytes("v.mp4", []byte("video")), &UploadMediaParams{Synchronous: true})
		if err != nil {
			t.Fatal(err)
		}
		if m.URL == nil || *m.URL != "https://files.example/9.mp4" {
			t.Errorf("waited attachment %+v", m)
		}
		if len(polls) != 3 {
			t.Fatalf("%d polls", len(polls))
		}
		// The first poll comes at once, the second after the default
		// interval, the third after the server's longer Retry-After.
		if d := polls[0].Sub(start); d != 0 {
			t.Errorf("first poll after %v", d)
		}
		if d := polls[1].Sub(polls[0]); d != defaultMediaPoll {
			t.Errorf("second poll after %v", d)
		}
		if d := polls[2].Sub(polls[1]); d != 5*time.Second {
			t.Errorf("third poll after %v", d)
		}
	})
}

func TestMediaWaitEnds(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		status := 206
		hc := &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
			if status == 422 {
				return jsonResponse(r, 422, `{"error":"Error processing thumbnail for uploaded media"}`), nil
			}
			return jsonResponse(r, status, `{"id":"9","type":"video","url":null}`), nil
		})}
		c, _ := newScannedClient("https://media.example", WithAccessToken(testToken), WithHTTPClient(hc), WithRetryPolicy(RetryPolicy{}))
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_, err := c.Media.Wait(ctx, "9", &WaitMediaOptions{Interval: 3 * time.Second})
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("never processed: %v", err)
		}
		status = 422
		if _, err := c.Media.Wait(context.Background(), "9", nil); !errors.Is(err, ErrUnprocessable) {
			t.Errorf("failed processing: %v", err)
		}
	})
}

func TestMediaGetUpdateDelete(t *testing.T) {
	c, mux, _ := setup(t)
	mux.HandleFunc("/api/v1/media/22348641", func(w http.ResponseWriter, r *http.Request) {
		testHeader(t, r, "Authorization", "Bearer "+testToken)
		switch r.Method {
		case "GET":
			w.WriteHeader(http.StatusPartialContent)
			fmt.Fprint(w, `{"id":"22348641","type":"video","url":null}`)
		case "PUT":
			if strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/") {
				fields, files, data := readParts(t, r)
				if fields["focus"] != "0.69,0.69" || fields["description"] != "cool walk" || files["thumbnail"] == nil || string(data["thumbnail"]) != "jpg" {
					t.Errorf("multipart update %v %v", fields, files)
				}
			} else {
				testForm(t, r, "description=")
			}
			w.WriteHeader(http.StatusPartialContent)
			fmt.Fprint(w, mediaSampleJSON)
		case "DELETE":
			fmt.Fprint(w, `{}`)
		}
	})
	ctx := context.Background()
	var resp Response
	m, err := c.Media.Get(ctx, "22348641", CallResponse(&resp))
	if err != nil || m.URL != nil || !resp.Partial() {
		t.Errorf("Get: %+v %v partial=%v", m, err, resp.Partial())
	}
	thumb := FileFromBytes("t.jpg", []byte("jpg"))
	if m, err = c.Media.Update(ctx, "22348641", &UpdateMediaParams{Description: Ptr("cool walk"), Focus: &FocusPoint{0.69, 0.69}, Thumbnail: &thumb}); err != nil || m.ID != "22348641" {
		t.Errorf("Update with thumbnail: %+v %v", m, err)
	}
	if _, err = c.Media.Update(ctx, "22348641", &UpdateMediaParams{Description: Ptr("")}); err != nil {
		t.Errorf("Update clearing the description: %v", err)
	}
	if err := c.Media.Delete(ctx, "22348641"); err != nil {
		t.Error(err)
	}
	if _, err := c.Media.Update(ctx, "22348641", &UpdateMediaParams{Focus: &FocusPoint{X: 0, Y: -1.5}}); !errors.Is(err, ErrIllegalArgument) {
		t.Errorf("bad focus: %v", err)
	}
	if _, err := c.Media.Get(ctx, ""); !errors.Is(err, ErrIllegalArgument) {
		t.Errorf("empty id: %v", err)
	}
}

func TestFocusPointEncoding(t *testing.T) {
	for _, tc := range []struct {
		p    FocusPoint
		want string
	}{
		{FocusPoint{0, 0}, "0,0"},
		{FocusPoint{-0.5, 0.25}, "-0.5,0.25"},
		{FocusPoint{1, -1}, "1,-1"},
		{FocusPoint{0.333, 0.1}, "0.333,0.1"},
	} {
		if got := tc.p.String(); got != tc.want {
			t.Errorf("%#v.String() = %q, want %q", tc.p, got, tc.want)
		}
		if b, err := tc.p.MarshalText(); err != nil || string(b) != tc.want {
			t.Errorf("%#v.MarshalText() = %q, %v", tc.p, b, err)
		}
		var v form.Values
		if err := tc.p.EncodeForm("media_attributes[][focus]", &v); err != nil || v.Encode() != "media_attributes%5B%5D%5Bfocus%5D="+strings.ReplaceAll(tc.want, ",", "%2C") {
			t.Errorf("%#v.EncodeForm: %q, %v", tc.p, v.Encode(), err)
		}
	}
	// In a form struct and in a JSON body it is the one "x,y" string.
	vals, err := form.Marshal(struct {
		Focus *FocusPoint `form:"focus"`
	}{&FocusPoint{0.5, -0.5}})
	if err != nil || vals.Encode() != "focus=0.5%2C-0.5" {
		t.Errorf("form: %q, %v", vals.Encode(), err)
	}
	b, err := form.JSON(MediaAttribute{ID: "7", Focus: &FocusPoint{-1, 1}})
	if err != nil || string(b) != `{"id":"7","focus":"-1,1"}` {
		t.Errorf("JSON: %s, %v", b, err)
	}
	for _, bad := range []FocusPoint{{1.5, 0}, {0, -1.01}, {math.NaN(), 0}, {0, math.Inf(1)}} {
		if _, err := bad.MarshalText(); !errors.Is(err, ErrIllegalArgument) {
			t.Errorf("%v: MarshalText err = %v", bad, err)
		}
		var v form.Values
		if err := bad.EncodeForm("focus", &v); !errors.Is(err, ErrIllegalArgument) || len(v) != 0 {
			t.Errorf("%v: EncodeForm err = %v, wrote %q", bad, err, v.Encode())
		}
	}
	// The deprecated name is the same type.
	var old Focus = FocusPoint{0.1, 0.2}
	if p := &old; p.String() != "0.1,0.2" {
		t.Errorf("Focus alias: %v", p)
	}
}

func TestStatusesEditRefusesBadFocus(t *testing.T) {
	c, mux, _ := setup(t)
	mux.HandleFunc("/api/v1/statuses/5", func(w http.ResponseWriter, r *http.Request) {
		t.Error("request sent with a bad focus point")
	})
	_, err := c.Statuses.Edit(context.Background(), "5", &EditStatusParams{Status: "x", MediaIDs: []string{"m1"},
		MediaAttributes: []MediaAttribute{{ID: "m1", Focus: &FocusPoint{X: 2}}}})
	if !errors.Is(err, ErrIllegalArgument) {
		t.Errorf("err = %v", err)
	}
}

package mastodon

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"runtime"
	"strings"
	"testing"
)

// railsGroups rebuilds media_attributes[][…] from ordered parts the way
// Rack nests them: a part starts a new hash when the last hash already
// has its key.
func railsGroups(parts []orderedPart, prefix string) []map[string]orderedPart {
	var groups []map[string]orderedPart
	for _, p := range parts {
		key, ok := strings.CutPrefix(p.Name, prefix+"[][")
		if !ok {
			continue
		}
		key = strings.TrimSuffix(key, "]")
		if len(groups) == 0 {
			groups = append(groups, map[string]orderedPart{})
		}
		if _, dup := groups[len(groups)-1][key]; dup {
			groups = append(groups, map[string]orderedPart{})
		}
		groups[len(groups)-1][key] = p
	}
	return groups
}

func TestStatusesEditThumbnails(t *testing.T) {
	c, mux, _ := setup(t)
	var parts []orderedPart
	mux.HandleFunc("/api/v1/statuses/5", func(w http.ResponseWriter, r *http.Request) {
		testMethod(t, r, "PUT")
		testQuery(t, r, "")
		testHeader(t, r, "Authorization", "Bearer "+testToken)
		parts = readOrderedParts(t, r.Header.Get("Content-Type"), r.Body)
		fmt.Fprint(w, `{"id":"5","content":"<p>new</p>","edited_at":"2024-01-03T00:00:00.000Z","media_attachments":[{"id":"m1","type":"video","preview_url":"https://files.example/t1.png"}]}`)
	})
	thumb1 := &File{Name: "t1.png", Reader: strings.NewReader(string(pngHeader) + "rest")}
	thumb2 := &File{Name: "t2.jpg", ContentType: "image/jpeg", Reader: strings.NewReader("jpegdata")}
	saved1, saved2 := *thumb1, *thumb2
	p := &EditStatusParams{Status: "new", Language: "en", MediaIDs: []string{"m1", "m2", "m3"}, QuoteApprovalPolicy: QuotePolicyFollowers,
		MediaAttributes: []MediaAttribute{
			{ID: "m1", Description: Ptr("a cat"), Focus: &FocusPoint{0.5, -0.25}, Thumbnail: thumb1},
			{ID: "m2", Thumbnail: thumb2},
			{ID: "m3", Description: Ptr("")},
		}}
	var progress int64
	p.Progress = func(sent, _ int64) { progress = sent }
	st, err := c.Statuses.Edit(context.Background(), "5", p)
	if err != nil {
		t.Fatal(err)
	}
	if st.ID != "5" || st.Content != "<p>new</p>" || st.EditedAt == nil || len(st.MediaAttachments) != 1 || st.MediaAttachments[0].ID != "m1" {
		t.Errorf("decoded %+v", st)
	}
	want := []orderedPart{
		{Name: "status", Body: "new"},
		{Name: "spoiler_text", Body: ""},
		{Name: "sensitive", Body: "false"},
		{Name: "language", Body: "en"},
		{Name: "media_ids[]", Body: "m1"},
		{Name: "media_ids[]", Body: "m2"},
		{Name: "media_ids[]", Body: "m3"},
		{Name: "quote_approval_policy", Body: "followers"},
		{Name: "media_attributes[][id]", Body: "m1"},
		{Name: "media_attributes[][description]", Body: "a cat"},
		{Name: "media_attributes[][focus]", Body: "0.5,-0.25"},
		{Name: "media_attributes[][thumbnail]", FileName: "t1.png", ContentType: "image/png", Body: string(pngHeader) + "rest"},
		{Name: "media_attributes[][id]", Body: "m2"},
		{Name: "media_attributes[][thumbnail]", FileName: "t2.jpg", ContentType: "image/jpeg", Body: "jpegdata"},
		{Name: "media_attributes[][id]", Body: "m3"},
		{Name: "media_attributes[][description]", Body: ""},
	}
	if len(parts) != len(want) {
		t.Fatalf("parts:\n%+v\nwant\n%+v", parts, want)
	}
	for i := range want {
		if parts[i] != want[i] {
			t.Errorf("part %d = %+v, want %+v", i, parts[i], want[i])
		}
	}
	// What the server makes of it: one hash per attachment, each with
	// its own thumbnail.
	g := railsGroups(parts, "media_attributes")
	if len(g) != 3 || g[0]["id"].Body != "m1" || g[0]["thumbnail"].FileName != "t1.png" ||
		g[1]["id"].Body != "m2" || g[1]["thumbnail"].Body != "jpegdata" || g[1]["description"] != (orderedPart{}) ||
		g[2]["id"].Body != "m3" || g[2]["thumbnail"] != (orderedPart{}) {
		t.Errorf("server-side groups %+v", g)
	}
	if progress != int64(len(pngHeader)+len("rest")+len("jpegdata")) {
		t.Errorf("progress ended at %d", progress)
	}
	// The caller's params are as they were.
	if p.MediaAttributes[0].Thumbnail != thumb1 || *thumb1 != saved1 || p.MediaAttributes[1].Thumbnail != thumb2 || *thumb2 != saved2 ||
		len(p.MediaAttributes) != 3 || len(p.MediaIDs) != 3 {
		t.Errorf("params changed: %+v", p)
	}
}

func TestStatusesEditThumbnailBadInput(t *testing.T) {
	c, mux, _ := setup(t)
	mux.HandleFunc("/api/v1/statuses/5", func(w http.ResponseWriter, r *http.Request) {
		t.Error("no request should be sent")
	})
	for name, p := range map[string]*EditStatusParams{
		"no reader":     {MediaIDs: []string{"m1"}, MediaAttributes: []MediaAttribute{{ID: "m1", Thumbnail: &File{Name: "t.png"}}}},
		"not in media":  {Status: "x", MediaIDs: []string{"m1"}, MediaAttributes: []MediaAttribute{{ID: "m2", Thumbnail: &File{Reader: strings.NewReader("x")}}}},
		"empty mediaID": {Status: "x", MediaIDs: []string{" "}},
		"bad focus": {MediaIDs: []string{"m1"}, MediaAttributes: []MediaAttribute{{ID: "m1", Focus: &FocusPoint{2, 0},
			Thumbnail: &File{Reader: strings.NewReader("x")}}}},
	} {
		if _, err := c.Statuses.Edit(context.Background(), "5", p); !errors.Is(err, ErrIllegalArgument) {
			t.Errorf("%s: err = %v, want ErrIllegalArgument", name, err)
		}
	}
}

func TestStatusesEditThumbnailServerError(t *testing.T) {
	c, mux, _ := setup(t)
	mux.HandleFunc("/api/v1/statuses/5", func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		w.WriteHeader(http.StatusUnprocessableEntity)
		fmt.Fprint(w, `{"error":"Validation failed: Thumbnail content type is invalid"}`)
	})
	_, err := c.Statuses.Edit(context.Background(), "5", &EditStatusParams{MediaIDs: []string{"m1"},
		MediaAttributes: []MediaAttribute{{ID: "m1", Thumbnail: &File{Name: "t.txt", Reader: strings.NewReader("text")}}}})
	var ae *APIError
	if !errors.As(err, &ae) || ae.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(ae.Error(), "Thumbnail content type") {
		t.Errorf("err = %v", err)
	}
}

func TestStatusesEditThumbnailStreams(t *testing.T) {
	size := int64(64 << 20)
	if testing.Short() {
		size = 16 << 20
	}
	c, mux, _ := setup(t)
	var received int64
	mux.HandleFunc("/api/v1/statuses/5", func(w http.ResponseWriter, r *http.Request) {
		n, err := io.Copy(io.Discard, r.Body)
		if err != nil {
			t.Errorf("reading body: %v", err)
		}
		received = n
		fmt.Fprintf(w, statusBodyJSON, "5")
	})
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	_, err := c.Statuses.Edit(context.Background(), "5", &EditStatusParams{MediaIDs: []string{"m1"},
		MediaAttributes: []MediaAttribute{{ID: "m1", Thumbnail: &File{Name: "big.png", ContentType: "image/png", Reader: &patternReader{left: size}, Size: size}}}})
	runtime.ReadMemStats(&after)
	if err != nil {
		t.Fatal(err)
	}
	if received < size {
		t.Errorf("server got %d bytes, want more than %d", received, size)
	}
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > uint64(size/8) {
		t.Errorf("edit with a %d MiB thumbnail allocated %d MiB", size>>20, alloc>>20)
	}
}

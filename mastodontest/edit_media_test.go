package mastodontest

import (
	"bytes"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestEditMediaAttributes: an edit changes the description and focus of
// attached media through media_attributes, a list of {id, description,
// focus}, sent as JSON or as an indexed form.
func TestEditMediaAttributes(t *testing.T) {
	s := NewTestServer(t)
	_, tok := s.CreateUser("alice")
	c := NewClient(s, tok)
	_, m1 := uploadFile(t, s, tok, "/api/v2/media", pngBytes(8, 6), "image/png")
	_, m2 := uploadFile(t, s, tok, "/api/v2/media", pngBytes(8, 6), "image/png")
	id1, id2 := m1["id"].(string), m2["id"].(string)
	var st map[string]any
	c.JSON(t, 200, "POST", "/api/v1/statuses", url.Values{"status": {"two"}, "media_ids[]": {id1, id2}}, &st)
	sid := st["id"].(string)

	media := func(st map[string]any) (desc []any, focus []any) {
		for _, m := range st["media_attachments"].([]any) {
			m := m.(map[string]any)
			desc = append(desc, m["description"])
			focus = append(focus, m["meta"].(map[string]any)["focus"])
		}
		return desc, focus
	}

	// JSON, as Tusk and most apps send it: the second attachment only.
	body := `{"status":"two","media_ids":["` + id1 + `","` + id2 + `"],"media_attributes":[{"id":"` + id2 + `","description":"new alt","focus":"0.5,-0.25"}]}`
	req, _ := http.NewRequest("PUT", s.URL+"/api/v1/statuses/"+sid, bytes.NewBufferString(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+tok)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	st = nil
	err = json.NewDecoder(resp.Body).Decode(&st)
	resp.Body.Close()
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("edit: %d %v", resp.StatusCode, err)
	}
	desc, focus := media(st)
	if desc[0] != "alt" || desc[1] != "new alt" {
		t.Errorf("descriptions %v", desc)
	}
	if f, _ := focus[1].(map[string]any); f["x"] != 0.5 || f["y"] != -0.25 {
		t.Errorf("focus of the second: %v", focus[1])
	}
	if focus[0] != nil {
		t.Errorf("focus of the first changed: %v", focus[0])
	}

	// An indexed form; an empty description clears it.
	c.JSON(t, 200, "PUT", "/api/v1/statuses/"+sid, url.Values{"status": {"two"}, "media_ids[]": {id1, id2},
		"media_attributes[0][id]": {id1}, "media_attributes[0][focus]": {"-1,1"},
		"media_attributes[1][id]": {id2}, "media_attributes[1][description]": {""}}, &st)
	desc, focus = media(st)
	if desc[0] != "alt" || desc[1] != nil {
		t.Errorf("descriptions after the form edit %v", desc)
	}
	if f, _ := focus[0].(map[string]any); f["x"] != -1.0 || f["y"] != 1.0 {
		t.Errorf("focus of the first: %v", focus[0])
	}
	// The status as read back has them too.
	c.JSON(t, 200, "GET", "/api/v1/statuses/"+sid, nil, &st)
	if _, focus = media(st); focus[1].(map[string]any)["x"] != 0.5 {
		t.Errorf("stored focus: %v", focus)
	}
}

// TestEditMediaAttributesRailsForm: media_attributes[][field] fields are
// grouped in order, a new attachment starting at a field already seen, in
// a urlencoded and in a multipart body (where thumbnails come along).
func TestEditMediaAttributesRailsForm(t *testing.T) {
	s := NewTestServer(t)
	_, tok := s.CreateUser("alice")
	c := NewClient(s, tok)
	_, m1 := uploadFile(t, s, tok, "/api/v2/media", pngBytes(8, 6), "image/png")
	_, m2 := uploadFile(t, s, tok, "/api/v2/media", pngBytes(8, 6), "image/png")
	id1, id2 := m1["id"].(string), m2["id"].(string)
	var st map[string]any
	c.JSON(t, 200, "POST", "/api/v1/statuses", url.Values{"status": {"two"}, "media_ids[]": {id1, id2}}, &st)
	sid := st["id"].(string)
	send := func(ct string, body io.Reader) map[string]any {
		t.Helper()
		req, _ := http.NewRequest("PUT", s.URL+"/api/v1/statuses/"+sid, body)
		req.Header.Set("Content-Type", ct)
		req.Header.Set("Authorization", "Bearer "+tok)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var out map[string]any
		if err := json.NewDecoder(resp.Body).Decode(&out); err != nil || resp.StatusCode != 200 {
			t.Fatalf("edit: %d %v %v", resp.StatusCode, err, out)
		}
		return out
	}
	meta := func(st map[string]any, i int) (any, any) {
		m := st["media_attachments"].([]any)[i].(map[string]any)
		return m["description"], m["meta"].(map[string]any)["focus"]
	}

	// The first attachment has only a focus, the second only a description:
	// grouping by position alone would mix them up.
	form := "status=two&media_ids[]=" + id1 + "&media_ids[]=" + id2 +
		"&media_attributes[][id]=" + id1 + "&media_attributes[][focus]=0.5%2C0.5" +
		"&media_attributes[][id]=" + id2 + "&media_attributes[][description]=second+alt"
	st = send("application/x-www-form-urlencoded", strings.NewReader(form))
	if d, f := meta(st, 0); d != "alt" || asMap(f)["x"] != 0.5 {
		t.Errorf("first: %v %v", d, f)
	}
	if d, f := meta(st, 1); d != "second alt" || f != nil {
		t.Errorf("second: %v %v", d, f)
	}

	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for _, kv := range [][2]string{{"status", "two"}, {"media_ids[]", id1}, {"media_ids[]", id2},
		{"media_attributes[][id]", id2}, {"media_attributes[][description]", "with thumb"}} {
		_ = mw.WriteField(kv[0], kv[1])
	}
	w, _ := mw.CreateFormFile("media_attributes[][thumbnail]", "t.png")
	_, _ = w.Write(pngBytes(4, 4))
	_ = mw.WriteField("media_attributes[][id]", id1)
	_ = mw.WriteField("media_attributes[][focus]", "-1,-1")
	_ = mw.Close()
	st = send(mw.FormDataContentType(), &buf)
	if d, f := meta(st, 0); d != "alt" || asMap(f)["x"] != -1.0 {
		t.Errorf("first after multipart: %v %v", d, f)
	}
	if d, _ := meta(st, 1); d != "with thumb" {
		t.Errorf("second after multipart: %v", d)
	}
	s.mu.Lock()
	m1s, m2s := s.st.media[id1], s.st.media[id2]
	thumb1, thumb2 := m1s != nil && m1s.thumbnail, m2s != nil && m2s.thumbnail
	s.mu.Unlock()
	if !thumb2 || thumb1 {
		t.Errorf("thumbnails: first %v, second %v; want only the second", thumb1, thumb2)
	}
}

func asMap(v any) map[string]any { m, _ := v.(map[string]any); return m }

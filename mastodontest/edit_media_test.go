package mastodontest

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/url"
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

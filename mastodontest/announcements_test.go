package mastodontest

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

func TestAnnouncements(t *testing.T) {
	s := NewTestServer(t)
	alice, at := s.CreateUser("alice")
	_, bt := s.CreateUser("bob")
	ac, bc := NewClient(s, at), NewClient(s, bt)
	s.AddCustomEmoji("blobcat", "")

	start := time.Date(2030, 1, 2, 0, 0, 0, 0, time.UTC)
	later := s.PublishAnnouncement("Maintenance on the 2nd, ask @alice #ops", &AnnouncementOptions{StartsAt: start, EndsAt: start.Add(24 * time.Hour), AllDay: true})
	first := s.PublishAnnouncement("Welcome! :blobcat:", nil)

	wantError(t, NewClient(s, s.CreateAppToken("read")), 422, "GET", "/api/v1/announcements", nil, "requires an authenticated user")
	wantError(t, NewClient(s, ""), 401, "GET", "/api/v1/announcements", nil, "access token is invalid")
	var list []map[string]any
	NewClient(s, s.CreateToken(alice.ID, "read:statuses")).JSON(t, 200, "GET", "/api/v1/announcements", nil, &list)
	if len(list) != 2 || list[0]["id"] != first || list[1]["id"] != later {
		t.Fatalf("order = %v", idsOf(list))
	}
	a := list[1]
	if a["all_day"] != true || a["starts_at"] != "2030-01-02T00:00:00.000Z" || a["read"] != false ||
		!strings.HasPrefix(a["content"].(string), "<p>Maintenance") || len(a["mentions"].([]any)) != 1 || len(a["tags"].([]any)) != 1 {
		t.Fatalf("announcement = %v", a)
	}
	if emojis := list[0]["emojis"].([]any); len(emojis) != 1 {
		t.Fatalf("emojis = %v", emojis)
	}

	// Dismissing marks it read for that user only.
	wantError(t, NewClient(s, s.CreateToken(alice.ID, "read")), 403, "POST", "/api/v1/announcements/"+first+"/dismiss", nil, "outside the authorized scopes")
	wantError(t, ac, 404, "POST", "/api/v1/announcements/999/dismiss", nil, "Record not found")
	ac.JSON(t, 200, "POST", "/api/v1/announcements/"+first+"/dismiss", nil, nil)
	ac.JSON(t, 200, "GET", "/api/v1/announcements", nil, &list)
	bc.JSON(t, 200, "GET", "/api/v1/announcements", nil, nil)
	if list[0]["read"] != true {
		t.Fatalf("read after dismiss = %v", list[0]["read"])
	}
	var bl []map[string]any
	bc.JSON(t, 200, "GET", "/api/v1/announcements", nil, &bl)
	if bl[0]["read"] != false {
		t.Fatal("dismissal leaked to bob")
	}

	// Reactions: unicode emoji or custom shortcodes, counted, with "me".
	react := "/api/v1/announcements/" + first + "/reactions/"
	wantError(t, NewClient(s, s.CreateToken(alice.ID, "write:accounts")), 403, "PUT", react+url.PathEscape("👍"), nil, "outside the authorized scopes")
	wantError(t, ac, 422, "PUT", react+"thumbsup", nil, "not a recognized emoji")
	wantError(t, ac, 404, "PUT", "/api/v1/announcements/999/reactions/"+url.PathEscape("👍"), nil, "Record not found")
	ac.JSON(t, 200, "PUT", react+url.PathEscape("👍"), nil, nil)
	ac.JSON(t, 200, "PUT", react+url.PathEscape("👍"), nil, nil) // once per user
	bc.JSON(t, 200, "PUT", react+url.PathEscape("👍"), nil, nil)
	bc.JSON(t, 200, "PUT", react+"blobcat", nil, nil)
	ac.JSON(t, 200, "GET", "/api/v1/announcements", nil, &list)
	rs := list[0]["reactions"].([]any)
	if len(rs) != 2 {
		t.Fatalf("reactions = %v", rs)
	}
	thumbs, cat := rs[0].(map[string]any), rs[1].(map[string]any)
	if thumbs["name"] != "👍" || thumbs["count"] != 2.0 || thumbs["me"] != true || thumbs["url"] != nil ||
		cat["name"] != "blobcat" || cat["count"] != 1.0 || cat["me"] != false || cat["url"] == nil || cat["static_url"] == nil {
		t.Fatalf("reactions = %v", rs)
	}
	wantError(t, ac, 404, "DELETE", react+"blobcat", nil, "Record not found") // not alice's
	bc.JSON(t, 200, "DELETE", react+"blobcat", nil, nil)
	ac.JSON(t, 200, "GET", "/api/v1/announcements", nil, &list)
	if rs := list[0]["reactions"].([]any); len(rs) != 1 {
		t.Fatalf("reactions after delete = %v", rs)
	}
	// At most 8 different reactions.
	for _, e := range []string{"😀", "😁", "😂", "🤣", "😃", "😄", "😅"} {
		ac.JSON(t, 200, "PUT", react+url.PathEscape(e), nil, nil)
	}
	wantError(t, ac, 422, "PUT", react+url.PathEscape("🎉"), nil, "Limit of different reactions")

	if !s.DeleteAnnouncement(first) || s.DeleteAnnouncement(first) {
		t.Fatal("DeleteAnnouncement")
	}
	ac.JSON(t, 200, "GET", "/api/v1/announcements", nil, &list)
	if len(list) != 1 || list[0]["id"] != later {
		t.Fatalf("after delete = %v", idsOf(list))
	}
	wantError(t, ac, 404, "PUT", react+url.PathEscape("👍"), nil, "Record not found")
}

func TestAnnouncementStreaming(t *testing.T) {
	s := NewTestServer(t)
	_, at := s.CreateUser("alice")
	_, bt := s.CreateUser("bob")

	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	open := func(path, tok string) *bufio.Scanner {
		req, _ := http.NewRequestWithContext(ctx, "GET", s.URL+path, nil)
		req.Header.Set("Authorization", "Bearer "+tok)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { resp.Body.Close() })
		return bufio.NewScanner(resp.Body)
	}
	user := open("/api/v1/streaming/user", at)
	notif := open("/api/v1/streaming/user/notification", bt)
	for s.StreamCount() < 2 {
		time.Sleep(time.Millisecond)
	}
	id := s.PublishAnnouncement("Hello all", nil)
	NewClient(s, bt).JSON(t, 200, "PUT", "/api/v1/announcements/"+id+"/reactions/"+url.PathEscape("🎉"), nil, nil)
	s.DeleteAnnouncement(id)
	// A notification for bob marks the end of what his stream would get.
	NewClient(s, at).PostStatus(t, "@bob done")

	var got []string
	for len(got) < 3 && user.Scan() {
		if ev, ok := strings.CutPrefix(user.Text(), "event: "); ok {
			user.Scan()
			data := strings.TrimPrefix(user.Text(), "data: ")
			switch ev {
			case "announcement":
				var a map[string]any
				if err := json.Unmarshal([]byte(data), &a); err != nil || a["id"] != id || a["content"] != "<p>Hello all</p>" {
					t.Fatalf("announcement payload %s", data)
				}
				if _, has := a["read"]; has {
					t.Fatalf("streamed announcement has read: %s", data)
				}
			case "announcement.reaction":
				if data != `{"name":"🎉","count":1,"announcement_id":"`+id+`"}` {
					t.Fatalf("reaction payload %s", data)
				}
			case "announcement.delete":
				if data != id {
					t.Fatalf("delete payload %q", data)
				}
			default:
				continue
			}
			got = append(got, ev)
		}
	}
	if fmt.Sprint(got) != "[announcement announcement.reaction announcement.delete]" {
		t.Fatalf("user stream events = %v", got)
	}
	// The notification-only stream gets none of them.
	for notif.Scan() {
		if ev, ok := strings.CutPrefix(notif.Text(), "event: "); ok {
			if ev != "notification" {
				t.Fatalf("notification stream got %q", ev)
			}
			break
		}
	}
}

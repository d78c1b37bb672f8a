package mastodon

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"testing"
)

func TestAnnouncementsList(t *testing.T) {
	c, mux, _ := setup(t)
	mux.HandleFunc("/api/v1/announcements", func(w http.ResponseWriter, r *http.Request) {
		testMethod(t, r, "GET")
		testHeader(t, r, "Authorization", "Bearer "+testToken)
		if r.URL.RawQuery != "" {
			testQuery(t, r, "with_dismissed=true")
		}
		fmt.Fprint(w, `[{"id":"8","content":"<p>Maintenance</p>","starts_at":null,"ends_at":null,"all_day":false,`+
			`"published_at":"2025-03-01T10:00:00.000Z","updated_at":"2025-03-01T10:00:00.000Z","read":true,"mentions":[],"statuses":[],"tags":[],`+
			`"emojis":[],"reactions":[{"name":"👍","count":3,"me":true}]}]`)
	})
	ctx := context.Background()
	o := &AnnouncementsOptions{WithDismissed: true}
	l, err := c.Announcements.List(ctx, o)
	if err != nil {
		t.Fatal(err)
	}
	if len(l) != 1 || l[0].ID != "8" || l[0].Content != "<p>Maintenance</p>" || l[0].Read == nil || !*l[0].Read ||
		len(l[0].Reactions) != 1 || l[0].Reactions[0].Count != 3 || l[0].Reactions[0].Name != "👍" {
		t.Errorf("decoded %+v", l)
	}
	if _, err := c.Announcements.List(ctx, nil); err != nil {
		t.Fatal(err)
	}
	if !o.WithDismissed {
		t.Error("options changed")
	}
	testErrorKinds(t, "/api/v1/announcements", func(c *Client, _ string) error { _, err := c.Announcements.List(context.Background(), nil); return err })
}

func TestAnnouncementsActions(t *testing.T) {
	c, mux, _ := setup(t)
	var got []string
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		testHeader(t, r, "Authorization", "Bearer "+testToken)
		testQuery(t, r, "")
		testEmptyBody(t, r)
		got = append(got, r.Method+" "+r.URL.EscapedPath())
		fmt.Fprint(w, `{}`)
	})
	ctx := context.Background()
	if err := c.Announcements.Dismiss(ctx, "8"); err != nil {
		t.Fatal(err)
	}
	if err := c.Announcements.AddReaction(ctx, "8", "👍"); err != nil {
		t.Fatal(err)
	}
	if err := c.Announcements.AddReaction(ctx, "8", ":blob cat:"); err != nil {
		t.Fatal(err)
	}
	if err := c.Announcements.RemoveReaction(ctx, "8", "blobcat"); err != nil {
		t.Fatal(err)
	}
	want := []string{
		"POST /api/v1/announcements/8/dismiss",
		"PUT /api/v1/announcements/8/reactions/%F0%9F%91%8D",
		"PUT /api/v1/announcements/8/reactions/blob%20cat",
		"DELETE /api/v1/announcements/8/reactions/blobcat",
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("requests\n%v\nwant\n%v", got, want)
	}
	for _, bad := range []string{"", "::"} {
		if err := c.Announcements.AddReaction(ctx, "8", bad); !errors.Is(err, ErrIllegalArgument) {
			t.Errorf("AddReaction %q: err = %v", bad, err)
		}
		if err := c.Announcements.RemoveReaction(ctx, "8", bad); !errors.Is(err, ErrIllegalArgument) {
			t.Errorf("RemoveReaction %q: err = %v", bad, err)
		}
	}
	if err := c.Announcements.Dismiss(ctx, ""); !errors.Is(err, ErrIllegalArgument) {
		t.Errorf("Dismiss empty id: err = %v", err)
	}
	testErrorKinds(t, "/api/v1/announcements/{id}/dismiss", func(c *Client, id string) error { return c.Announcements.Dismiss(context.Background(), id) })
	testErrorKinds(t, "/api/v1/announcements/{id}/reactions/{name}", func(c *Client, id string) error {
		return c.Announcements.AddReaction(context.Background(), id, "x")
	})
}

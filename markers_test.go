package mastodon

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"testing"
)

func TestMarkers(t *testing.T) {
	c, mux, _ := setup(t)
	body := `{"notifications":{"last_read_id":"35098814","version":361,"updated_at":"2019-11-26T22:37:25.239Z"},"home":{"last_read_id":"103206604258487607","version":468,"updated_at":"2019-11-26T22:37:25.235Z"}}`
	mux.HandleFunc("/api/v1/markers", func(w http.ResponseWriter, r *http.Request) {
		testHeader(t, r, "Authorization", "Bearer "+testToken)
		switch r.Method {
		case "GET":
			if r.URL.Query().Get("timeline[]") == "home" && len(r.URL.Query()["timeline[]"]) == 1 {
				testQuery(t, r, "timeline[]=home")
				fmt.Fprint(w, `{"home":{"last_read_id":"1","version":1,"updated_at":"2019-11-26T22:37:25.235Z"}}`)
				return
			}
			testQuery(t, r, "timeline[]=home&timeline[]=notifications")
			fmt.Fprint(w, body)
		case "POST":
			testForm(t, r, "home[last_read_id]=103206604258487607&notifications[last_read_id]=35098814")
			fmt.Fprint(w, body)
		}
	})
	ctx := context.Background()
	m, err := c.Markers.Get(ctx, nil)
	if err != nil || len(m) != 2 || m[MarkerHome].Version != 468 || m[MarkerNotifications].LastReadID != "35098814" || m[MarkerHome].UpdatedAt.Year() != 2019 {
		t.Fatalf("Get: %+v %v", m, err)
	}
	if m, err = c.Markers.Get(ctx, []string{MarkerHome}); err != nil || len(m) != 1 || m[MarkerHome].LastReadID != "1" {
		t.Fatalf("Get(home): %+v %v", m, err)
	}
	if m, err = c.Markers.Set(ctx, &SetMarkersParams{Home: "103206604258487607", Notifications: "35098814"}); err != nil || len(m) != 2 {
		t.Fatalf("Set: %+v %v", m, err)
	}
	if _, err := c.Markers.Set(ctx, &SetMarkersParams{}); !errors.Is(err, ErrIllegalArgument) {
		t.Errorf("empty Set: %v", err)
	}
}

func TestMarkersSetOne(t *testing.T) {
	c, mux, _ := setup(t)
	mux.HandleFunc("/api/v1/markers", func(w http.ResponseWriter, r *http.Request) {
		testForm(t, r, "notifications[last_read_id]=7")
		fmt.Fprint(w, `{"notifications":{"last_read_id":"7","version":2,"updated_at":"2019-11-26T22:37:25.239Z"}}`)
	})
	if m, err := c.Markers.Set(context.Background(), &SetMarkersParams{Notifications: "7"}); err != nil || m[MarkerNotifications].Version != 2 {
		t.Errorf("Set: %+v %v", m, err)
	}
}

func TestMarkersBadAnswer(t *testing.T) {
	c, mux, _ := setup(t)
	mux.HandleFunc("/api/v1/markers", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `["not","a","map"]`)
	})
	if _, err := c.Markers.Get(context.Background(), nil); !errors.Is(err, ErrDecode) {
		t.Errorf("array answer: %v", err)
	}
}

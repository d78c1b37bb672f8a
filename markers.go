package mastodon

import (
	"context"
	"net/http"
)

// Timelines that have read markers.
const (
	MarkerHome          = "home"
	MarkerNotifications = "notifications"
)

// Get returns the read markers of the given timelines ("home",
// "notifications"; both when none is given), keyed by timeline.
//
//api:endpoint GET /api/v1/markers
//api:since 3.0.0
func (s *MarkersService) Get(ctx context.Context, timelines []string, opts ...CallOption) (map[string]*Marker, error) {
	if len(timelines) == 0 {
		timelines = []string{MarkerHome, MarkerNotifications}
	}
	q := struct {
		Timeline []string `form:"timeline"`
	}{timelines}
	m, err := call[map[string]*Marker](ctx, s.c, req{Method: http.MethodGet, Path: "/api/v1/markers", Query: q}, opts)
	if err != nil {
		return nil, err
	}
	return *m, nil
}

// SetMarkersParams are the last-read IDs to save; empty ones are left as
// they are.
type SetMarkersParams struct {
	// Home is the ID of the last status read in the home timeline.
	Home string `form:"home[last_read_id]"`
	// Notifications is the ID of the last notification read.
	Notifications string `form:"notifications[last_read_id]"`
}

// Set saves read markers, so other apps can resume where the user
// stopped. It returns the markers saved.
//
//api:endpoint POST /api/v1/markers
//api:since 3.0.0
func (s *MarkersService) Set(ctx context.Context, p *SetMarkersParams, opts ...CallOption) (map[string]*Marker, error) {
	if p == nil || (p.Home == "" && p.Notifications == "") {
		return nil, illegalArg("Markers.Set: no marker given")
	}
	m, err := call[map[string]*Marker](ctx, s.c, req{Method: http.MethodPost, Path: "/api/v1/markers", Form: p, Idempotent: true}, opts)
	if err != nil {
		return nil, err
	}
	return *m, nil
}

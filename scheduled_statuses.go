package mastodon

import (
	"context"
	"iter"
	"net/http"
	"time"
)

// List lists the current user's scheduled statuses.
//
//api:endpoint GET /api/v1/scheduled_statuses
//api:since 2.7.0
//api:changed 3.3.0
func (s *ScheduledStatusesService) List(ctx context.Context, o *ListOptions, opts ...CallOption) (*Page[ScheduledStatus], error) {
	return callList[ScheduledStatus](ctx, s.c, req{Method: http.MethodGet, Path: "/api/v1/scheduled_statuses", Query: o}, opts)
}

// ListAll iterates over all scheduled statuses.
func (s *ScheduledStatusesService) ListAll(ctx context.Context, o *ListOptions, opts ...CallOption) iter.Seq2[*ScheduledStatus, error] {
	return iterate(ctx, func() (*Page[ScheduledStatus], error) { return s.List(ctx, o, opts...) })
}

// Get returns a scheduled status.
//
//api:endpoint GET /api/v1/scheduled_statuses/{id}
//api:since 2.7.0
func (s *ScheduledStatusesService) Get(ctx context.Context, id string, opts ...CallOption) (*ScheduledStatus, error) {
	return call[ScheduledStatus](ctx, s.c, req{Method: http.MethodGet, Path: "/api/v1/scheduled_statuses/{id}", Params: []string{id}}, opts)
}

// Update moves a scheduled status to another time, at least five minutes
// ahead.
//
//api:endpoint PUT /api/v1/scheduled_statuses/{id}
//api:since 2.7.0
func (s *ScheduledStatusesService) Update(ctx context.Context, id string, at time.Time, opts ...CallOption) (*ScheduledStatus, error) {
	if at.IsZero() {
		return nil, illegalArg("ScheduledStatuses.Update: zero time")
	}
	return call[ScheduledStatus](ctx, s.c, req{Method: http.MethodPut, Path: "/api/v1/scheduled_statuses/{id}", Params: []string{id},
		Form: struct {
			At time.Time `form:"scheduled_at"`
		}{at}}, opts)
}

// Delete cancels a scheduled status.
//
//api:endpoint DELETE /api/v1/scheduled_statuses/{id}
//api:since 2.7.0
func (s *ScheduledStatusesService) Delete(ctx context.Context, id string, opts ...CallOption) error {
	return callNoContent(ctx, s.c, req{Method: http.MethodDelete, Path: "/api/v1/scheduled_statuses/{id}", Params: []string{id}}, opts)
}

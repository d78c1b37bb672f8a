package mastodon

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/tuskgo/mastodon/internal/corpus"
)

func scheduledStatusesReplay(cases *replayTable) {
	cases.add("GET /api/v1/scheduled_statuses", func(ctx context.Context, c *Client, it *corpus.Interaction) error {
		_, err := c.ScheduledStatuses.List(ctx, recordedListOptions(it))
		return err
	})
	cases.add("GET /api/v1/scheduled_statuses/{id}", func(ctx context.Context, c *Client, it *corpus.Interaction) error {
		_, err := c.ScheduledStatuses.Get(ctx, it.PathParam("id"))
		return err
	})
	cases.add("PUT /api/v1/scheduled_statuses/{id}", func(ctx context.Context, c *Client, it *corpus.Interaction) error {
		at, err := time.Parse(time.RFC3339Nano, rform(it, "scheduled_at"))
		if err != nil {
			return err
		}
		_, err = c.ScheduledStatuses.Update(ctx, it.PathParam("id"), at)
		return err
	})
	cases.add("DELETE /api/v1/scheduled_statuses/{id}", func(ctx context.Context, c *Client, it *corpus.Interaction) error {
		return c.ScheduledStatuses.Delete(ctx, it.PathParam("id"))
	})
}

const scheduledJSON = `{"id":"%s","scheduled_at":"2030-01-02T03:04:05.000Z","params":{"text":"later","poll":null,"media_ids":null,"sensitive":null,"visibility":null,"language":null,"spoiler_text":null,"in_reply_to_id":null,"application_id":1234567890123456,"idempotency":null,"with_rate_limit":false,"quote_approval_policy":"followers"},"media_attachments":[]}`

func TestScheduledStatusesList(t *testing.T) {
	c, mux, _ := setup(t)
	mux.HandleFunc("/api/v1/scheduled_statuses", func(w http.ResponseWriter, r *http.Request) {
		testMethod(t, r, "GET")
		if r.URL.Query().Get("max_id") == "" {
			if r.URL.RawQuery != "" {
				testQuery(t, r, "limit=1")
			}
			w.Header().Set("Link", `<http://`+r.Host+`/api/v1/scheduled_statuses?max_id=3>; rel="next"`)
			fmt.Fprintf(w, "["+scheduledJSON+"]", "4")
			return
		}
		fmt.Fprintf(w, "["+scheduledJSON+"]", "3")
	})
	p, err := c.ScheduledStatuses.List(context.Background(), &ListOptions{Limit: 1})
	if err != nil || len(p.Items) != 1 || p.Items[0].Params.Text != "later" || p.Items[0].Params.Visibility != nil {
		t.Fatalf("%+v, %v", p, err)
	}
	var ids []string
	for s, err := range c.ScheduledStatuses.ListAll(context.Background(), nil) {
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, s.ID)
	}
	if fmt.Sprint(ids) != "[4 3]" {
		t.Errorf("iterated %v", ids)
	}
}

func TestScheduledStatusesGetUpdateDelete(t *testing.T) {
	c, mux, _ := setup(t)
	mux.HandleFunc("/api/v1/scheduled_statuses/4", func(w http.ResponseWriter, r *http.Request) {
		switch r.Method {
		case "GET":
			testEmptyBody(t, r)
			fmt.Fprintf(w, scheduledJSON, "4")
		case "PUT":
			testForm(t, r, "scheduled_at=2030-01-02T03:04:05.5%2B00:00")
			fmt.Fprintf(w, scheduledJSON, "4")
		case "DELETE":
			testEmptyBody(t, r)
			fmt.Fprint(w, `{}`)
		default:
			t.Errorf("method %s", r.Method)
		}
	})
	ctx := context.Background()
	s, err := c.ScheduledStatuses.Get(ctx, "4")
	if err != nil || s.ID != "4" || s.ScheduledAt.Year() != 2030 {
		t.Fatalf("%+v, %v", s, err)
	}
	at := time.Date(2030, 1, 2, 3, 4, 5, 5e8, time.UTC)
	if s, err = c.ScheduledStatuses.Update(ctx, "4", at); err != nil || s.ID != "4" {
		t.Fatalf("%+v, %v", s, err)
	}
	if err := c.ScheduledStatuses.Delete(ctx, "4"); err != nil {
		t.Fatal(err)
	}
	if _, err := c.ScheduledStatuses.Update(ctx, "4", time.Time{}); !errors.Is(err, ErrIllegalArgument) {
		t.Errorf("zero time: err = %v", err)
	}
	testErrorKinds(t, "/api/v1/scheduled_statuses/{id}", func(c *Client, id string) error { return c.ScheduledStatuses.Delete(ctx, id) })
}

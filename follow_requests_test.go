package mastodon

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/tuskgo/mastodon/internal/corpus"
)

func followRequestsReplay(cases *replayTable) {
	cases.add("GET /api/v1/follow_requests", func(ctx context.Context, c *Client, it *corpus.Interaction) error {
		_, err := c.FollowRequests.List(ctx, recordedListOptions(it))
		return err
	})
}

func TestFollowRequestsList(t *testing.T) {
	c, mux, _ := setup(t)
	mux.HandleFunc("/api/v1/follow_requests", func(w http.ResponseWriter, r *http.Request) {
		testMethod(t, r, "GET")
		testHeader(t, r, "Authorization", "Bearer "+testToken)
		switch r.URL.Query().Get("max_id") {
		case "":
			if r.URL.RawQuery != "" {
				testQuery(t, r, "limit=1&min_id=3&since_id=2")
			}
			w.Header().Set("Link", `<http://`+r.Host+`/api/v1/follow_requests?max_id=9&limit=1>; rel="next"`)
			fmt.Fprint(w, `[{"id":"a","username":"ua","acct":"ua"}]`)
		case "9":
			testQuery(t, r, "max_id=9&limit=1")
			fmt.Fprint(w, `[{"id":"b","username":"ub","acct":"ub"}]`)
		}
	})
	p, err := c.FollowRequests.List(context.Background(), &ListOptions{Limit: 1, MinID: "3", SinceID: "2"})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Items) != 1 || !p.HasNext() {
		t.Fatalf("page %+v", p)
	}
	var got []string
	for x, err := range c.FollowRequests.ListAll(context.Background(), nil) {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, x.ID)
	}
	if strings.Join(got, ",") != "a,b" {
		t.Errorf("iterated %v", got)
	}
	testErrorKinds(t, "/api/v1/follow_requests", func(c *Client, _ string) error {
		_, err := c.FollowRequests.List(context.Background(), nil)
		return err
	})
}

func followRequestDecisionsReplay(cases *replayTable) {
	cases.add("POST /api/v1/follow_requests/{account_id}/authorize", func(ctx context.Context, c *Client, it *corpus.Interaction) error {
		_, err := c.FollowRequests.Authorize(ctx, it.PathParam("account_id"))
		return err
	})
	cases.add("POST /api/v1/follow_requests/{account_id}/reject", func(ctx context.Context, c *Client, it *corpus.Interaction) error {
		_, err := c.FollowRequests.Reject(ctx, it.PathParam("account_id"))
		return err
	})
}

func TestFollowRequestsAuthorizeReject(t *testing.T) {
	c, mux, _ := setup(t)
	for _, action := range []string{"authorize", "reject"} {
		mux.HandleFunc("/api/v1/follow_requests/5/"+action, func(w http.ResponseWriter, r *http.Request) {
			testMethod(t, r, "POST")
			testEmptyBody(t, r)
			fmt.Fprintf(w, relationshipJSON, "5")
		})
	}
	rel, err := c.FollowRequests.Authorize(context.Background(), "5")
	if err != nil || rel.ID != "5" {
		t.Errorf("authorize: %+v, %v", rel, err)
	}
	rel, err = c.FollowRequests.Reject(context.Background(), "5")
	if err != nil || rel.ID != "5" {
		t.Errorf("reject: %+v, %v", rel, err)
	}
	testErrorKinds(t, "/api/v1/follow_requests/{id}/authorize", func(c *Client, id string) error {
		_, err := c.FollowRequests.Authorize(context.Background(), id)
		return err
	})
	testErrorKinds(t, "/api/v1/follow_requests/{id}/reject", func(c *Client, id string) error {
		_, err := c.FollowRequests.Reject(context.Background(), id)
		return err
	})
}

package mastodon

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
)

// TestWalkStopsOnLinkCycles serves timelines whose "next" links go round in
// circles of several lengths: the walk must end, having read every page of
// the circle at least once and at most a few laps of it.
func TestWalkStopsOnLinkCycles(t *testing.T) {
	for _, circle := range []int{1, 2, 3, 7, 40} {
		t.Run(fmt.Sprint(circle), func(t *testing.T) {
			c, mux, _ := setup(t)
			var requests atomic.Int32
			mux.HandleFunc("/api/v1/timelines/home", func(w http.ResponseWriter, r *http.Request) {
				requests.Add(1)
				// Page 0 leads into the circle 1 → 2 → … → circle → 1.
				n, _ := strconv.Atoi(r.URL.Query().Get("page"))
				next := n%circle + 1
				w.Header().Set("Link", fmt.Sprintf(`<http://%s/api/v1/timelines/home?page=%d>; rel="next"`, r.Host, next))
				fmt.Fprintf(w, `[{"id":"%d"}]`, n)
			})
			seen := map[string]int{}
			n := 0
			for s, err := range c.Timelines.HomeAll(context.Background(), nil) {
				if err != nil {
					t.Fatal(err)
				}
				seen[s.ID]++
				if n++; n > 10*circle+10 {
					t.Fatalf("still walking after %d pages", n)
				}
			}
			if len(seen) != circle+1 {
				t.Errorf("read %d distinct pages, want all %d", len(seen), circle+1)
			}
			if seen["0"] != 1 {
				t.Errorf("first page read %d times", seen["0"])
			}
			if got := int(requests.Load()); got != n {
				t.Errorf("%d requests for %d pages", got, n)
			}
			// Brent's method stops within about three laps.
			if n > 1+3*circle+1 {
				t.Errorf("%d pages read for a circle of %d", n, circle)
			}
		})
	}
}

// TestGroupedWalkStopsOnLinkCycles: grouped notifications are walked with
// the same cycle check as every other list, a circle of "next" links ends
// the walk within a few laps.
func TestGroupedWalkStopsOnLinkCycles(t *testing.T) {
	for _, circle := range []int{1, 3, 40} {
		t.Run(fmt.Sprint(circle), func(t *testing.T) {
			c, mux, _ := setup(t)
			mux.HandleFunc("/api/v2/notifications", func(w http.ResponseWriter, r *http.Request) {
				n, _ := strconv.Atoi(r.URL.Query().Get("page"))
				w.Header().Set("Link", fmt.Sprintf(`</api/v2/notifications?page=%d>; rel="next"`, n%circle+1))
				fmt.Fprintf(w, `{"accounts":[{"id":"a%d"}],"notification_groups":[{"group_key":"g%d","type":"follow","sample_account_ids":["a%d"]}]}`, n, n, n)
			})
			seen := map[string]int{}
			n := 0
			for g, err := range c.Notifications.GroupedAll(context.Background(), nil) {
				if err != nil {
					t.Fatal(err)
				}
				if len(g.Accounts) != 1 || g.Accounts[0].ID != "a"+strings.TrimPrefix(g.GroupKey, "g") {
					t.Fatalf("group %s has accounts %v", g.GroupKey, g.Accounts)
				}
				seen[g.GroupKey]++
				if n++; n > 10*circle+10 {
					t.Fatalf("still walking after %d pages", n)
				}
			}
			if len(seen) != circle+1 || seen["g0"] != 1 {
				t.Errorf("read %v", seen)
			}
			if n > 1+3*circle+1 {
				t.Errorf("%d pages read for a circle of %d", n, circle)
			}
		})
	}
}

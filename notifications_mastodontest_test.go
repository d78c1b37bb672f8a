package mastodon

import (
	"context"
	"fmt"
	"testing"
)

// TestMastodontestGroupedNotificationsPages walks grouped notifications one
// group per page against mastodontest: every page is a Page of groups with
// their accounts and status looked up, Next and Prev move between them,
// and GroupedAll reads the same groups.
func TestMastodontestGroupedNotificationsPages(t *testing.T) {
	_, alice, bob, aliceID, bobID := socialSetup(t)
	ctx := context.Background()
	st, err := alice.Statuses.Post(ctx, &PostStatusParams{Status: "like me"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := bob.Statuses.Favourite(ctx, st.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := bob.Accounts.Follow(ctx, aliceID, nil); err != nil {
		t.Fatal(err)
	}
	opts := &GroupedNotificationsOptions{Limit: 1}
	first, err := alice.Notifications.Grouped(ctx, opts)
	if err != nil {
		t.Fatal(err)
	}
	var types []NotificationType
	for p := first; p != nil; p, err = p.Next(ctx) {
		if err != nil {
			t.Fatal(err)
		}
		if len(p.Items) == 0 {
			break
		}
		g := p.Items[0]
		if len(p.Items) != 1 || len(g.Accounts) != 1 || g.Accounts[0].ID != bobID || p.Response == nil {
			t.Fatalf("page %+v", p.Items)
		}
		if g.Type == NotificationFavourite && (g.Status == nil || g.Status.ID != st.ID) {
			t.Errorf("favourite group without its status: %+v", g)
		}
		types = append(types, g.Type)
		if len(types) == 1 {
			second, err := p.Next(ctx)
			if err != nil || !second.HasPrev() {
				t.Fatalf("second page: %v", err)
			}
			back, err := second.Prev(ctx)
			if err != nil || len(back.Items) != 1 || back.Items[0].GroupKey != g.GroupKey {
				t.Fatalf("Prev of the second page: %+v %v", back, err)
			}
		}
	}
	if fmt.Sprint(types) != "[follow favourite]" {
		t.Errorf("groups by page %v", types)
	}
	var all []NotificationType
	for g, err := range alice.Notifications.GroupedAll(ctx, opts) {
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, g.Type)
	}
	if fmt.Sprint(all) != fmt.Sprint(types) {
		t.Errorf("GroupedAll %v, pages %v", all, types)
	}
}

package mastodon

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/tuskgo/mastodon/mastodontest"
)

// socialSetup starts a mastodontest server with alice and bob and a Tusk
// client for each.
func socialSetup(t *testing.T) (srv *mastodontest.Server, alice, bob *Client, aliceID, bobID string) {
	t.Helper()
	srv = mastodontest.NewTestServer(t)
	a, aTok := mtUser(srv, "alice")
	b, bTok := mtUser(srv, "bob")
	tr := &http.Transport{}
	t.Cleanup(tr.CloseIdleConnections)
	mk := func(tok string) *Client {
		c, err := newScannedClient(srv.URL, WithAccessToken(tok), WithHTTPClient(&http.Client{Transport: tr}))
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	return srv, mk(aTok), mk(bTok), a.ID, b.ID
}

func TestMastodontestStatusLifecycle(t *testing.T) {
	_, alice, bob, aliceID, bobID := socialSetup(t)
	ctx := context.Background()

	posted, err := bob.Statuses.Post(ctx, &PostStatusParams{Status: "hello @alice", Visibility: VisibilityPublic, SpoilerText: "greeting"})
	if err != nil {
		t.Fatal(err)
	}
	if posted.IsScheduled() || posted.Account.ID != bobID || posted.SpoilerText != "greeting" {
		t.Fatalf("posted %+v", posted.Status)
	}
	st, err := alice.Statuses.Get(ctx, posted.ID)
	if err != nil || st.ID != posted.ID {
		t.Fatalf("get: %+v, %v", st, err)
	}

	reply, err := alice.Statuses.Reply(ctx, st, &PostStatusParams{Status: "hi bob"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if reply.InReplyToID == nil || *reply.InReplyToID != posted.ID || reply.SpoilerText != "greeting" || reply.Account.ID != aliceID {
		t.Errorf("reply %+v", reply.Status)
	}
	if !strings.Contains(reply.Content, "bob") {
		t.Errorf("reply content %q does not mention bob", reply.Content)
	}
	cx, err := bob.Statuses.Context(ctx, posted.ID)
	if err != nil || len(cx.Descendants) != 1 || cx.Descendants[0].ID != reply.ID {
		t.Errorf("context %+v, %v", cx, err)
	}

	if fav, err := alice.Statuses.Favourite(ctx, posted.ID); err != nil || fav.Favourited == nil || !*fav.Favourited {
		t.Errorf("favourite %+v, %v", fav, err)
	}
	if boost, err := alice.Statuses.Reblog(ctx, posted.ID, nil); err != nil || boost.Reblog == nil || boost.Reblog.ID != posted.ID {
		t.Errorf("reblog %+v, %v", boost, err)
	}
	favBy, err := bob.Statuses.FavouritedBy(ctx, posted.ID, nil)
	if err != nil || len(favBy.Items) != 1 || favBy.Items[0].ID != aliceID {
		t.Errorf("favourited by %+v, %v", favBy, err)
	}
	boostBy, err := bob.Statuses.RebloggedBy(ctx, posted.ID, nil)
	if err != nil || len(boostBy.Items) != 1 || boostBy.Items[0].ID != aliceID {
		t.Errorf("reblogged by %+v, %v", boostBy, err)
	}
	n := 0
	for st, err := range alice.Favourites.ListAll(ctx, nil) {
		if err != nil || st.ID != posted.ID {
			t.Fatalf("favourites: %+v, %v", st, err)
		}
		n++
	}
	if n != 1 {
		t.Errorf("%d favourites", n)
	}
	if _, err := alice.Statuses.Bookmark(ctx, posted.ID); err != nil {
		t.Fatal(err)
	}
	if bm, err := alice.Bookmarks.List(ctx, nil); err != nil || len(bm.Items) != 1 {
		t.Errorf("bookmarks %+v, %v", bm, err)
	}

	edited, err := bob.Statuses.Edit(ctx, posted.ID, &EditStatusParams{Status: "hello again"})
	if err != nil || !strings.Contains(edited.Content, "hello again") {
		t.Fatalf("edit %+v, %v", edited, err)
	}
	if h, err := bob.Statuses.History(ctx, posted.ID); err != nil || len(h) < 2 {
		t.Errorf("history %d, %v", len(h), err)
	}
	if src, err := bob.Statuses.Source(ctx, posted.ID); err != nil || src.Text != "hello again" {
		t.Errorf("source %+v, %v", src, err)
	}

	if _, err := alice.Statuses.Delete(ctx, posted.ID, nil); !errors.Is(err, ErrAPI) {
		t.Errorf("deleting another's status: err = %v, want an API error", err)
	}
	del, err := bob.Statuses.Delete(ctx, posted.ID, nil)
	if err != nil || del.Text == nil || *del.Text != "hello again" {
		t.Fatalf("delete %+v, %v", del, err)
	}
	if _, err := bob.Statuses.Get(ctx, posted.ID); !errors.Is(err, ErrNotFound) {
		t.Errorf("get after delete: err = %v, want ErrNotFound", err)
	}
}

func TestMastodontestPollAndSchedule(t *testing.T) {
	_, alice, bob, _, _ := socialSetup(t)
	ctx := context.Background()
	poll := NewPoll(time.Hour, "tea", "coffee", "water")
	poll.Multiple = true
	posted, err := bob.Statuses.Post(ctx, &PostStatusParams{Status: "drink?", Poll: poll})
	if err != nil {
		t.Fatal(err)
	}
	if posted.Poll == nil || len(posted.Poll.Options) != 3 || !posted.Poll.Multiple {
		t.Fatalf("poll %+v", posted.Poll)
	}
	voted, err := alice.Polls.Vote(ctx, posted.Poll.ID, []int{0, 2})
	if err != nil || voted.VotesCount != 2 || len(voted.OwnVotes) != 2 {
		t.Fatalf("vote %+v, %v", voted, err)
	}
	if got, err := bob.Polls.Get(ctx, posted.Poll.ID); err != nil || got.VotesCount != 2 {
		t.Errorf("get %+v, %v", got, err)
	}

	at := time.Now().Add(24 * time.Hour).Truncate(time.Second)
	sched, err := bob.Statuses.Post(ctx, &PostStatusParams{Status: "tomorrow", ScheduledAt: at})
	if err != nil {
		t.Fatal(err)
	}
	if !sched.IsScheduled() || sched.Scheduled.Params.Text != "tomorrow" {
		t.Fatalf("scheduled %+v", sched)
	}
	list, err := bob.ScheduledStatuses.List(ctx, nil)
	if err != nil || len(list.Items) != 1 || list.Items[0].ID != sched.Scheduled.ID {
		t.Fatalf("list %+v, %v", list, err)
	}
	later := at.Add(time.Hour)
	moved, err := bob.ScheduledStatuses.Update(ctx, sched.Scheduled.ID, later)
	if err != nil || !moved.ScheduledAt.Equal(later) {
		t.Errorf("update %+v, %v", moved, err)
	}
	if err := bob.ScheduledStatuses.Delete(ctx, sched.Scheduled.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := bob.ScheduledStatuses.Get(ctx, sched.Scheduled.ID); !errors.Is(err, ErrNotFound) {
		t.Errorf("get after delete: err = %v", err)
	}
}

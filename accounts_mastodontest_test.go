package mastodon

import (
	"context"
	"testing"
	"time"
)

func TestMastodontestAccountRelations(t *testing.T) {
	_, alice, bob, aliceID, bobID := socialSetup(t)
	ctx := context.Background()

	me, err := alice.Accounts.VerifyCredentials(ctx)
	if err != nil || me.ID != aliceID {
		t.Fatalf("me %+v, %v", me, err)
	}
	found, err := alice.Accounts.Lookup(ctx, "bob")
	if err != nil || found.ID != bobID {
		t.Fatalf("lookup %+v, %v", found, err)
	}
	rel, err := alice.Accounts.Follow(ctx, bobID, &FollowParams{Reblogs: Ptr(false)})
	if err != nil || !rel.Following || rel.ShowingReblogs {
		t.Fatalf("follow %+v, %v", rel, err)
	}
	rels, err := alice.Accounts.Relationships(ctx, []string{bobID}, nil)
	if err != nil || len(rels) != 1 || !rels[0].Following {
		t.Fatalf("relationships %+v, %v", rels, err)
	}
	followers, err := bob.Accounts.Followers(ctx, bobID, nil)
	if err != nil || len(followers.Items) != 1 || followers.Items[0].ID != aliceID {
		t.Errorf("followers %+v, %v", followers, err)
	}
	following, err := alice.Accounts.Following(ctx, aliceID, nil)
	if err != nil || len(following.Items) != 1 || following.Items[0].ID != bobID {
		t.Errorf("following %+v, %v", following, err)
	}
	if rel, err := bob.Accounts.RemoveFromFollowers(ctx, aliceID); err != nil || rel.FollowedBy {
		t.Errorf("remove from followers %+v, %v", rel, err)
	}

	if rel, err := alice.Accounts.Mute(ctx, bobID, &MuteParams{Duration: time.Hour}); err != nil || !rel.Muting {
		t.Errorf("mute %+v, %v", rel, err)
	}
	if mutes, err := alice.Mutes.List(ctx, nil); err != nil || len(mutes.Items) != 1 || mutes.Items[0].ID != bobID {
		t.Errorf("mutes %+v, %v", mutes, err)
	}
	if rel, err := alice.Accounts.Unmute(ctx, bobID); err != nil || rel.Muting {
		t.Errorf("unmute %+v, %v", rel, err)
	}
	if rel, err := alice.Accounts.Block(ctx, bobID); err != nil || !rel.Blocking {
		t.Errorf("block %+v, %v", rel, err)
	}
	if blocks, err := alice.Blocks.List(ctx, nil); err != nil || len(blocks.Items) != 1 {
		t.Errorf("blocks %+v, %v", blocks, err)
	}
	if rel, err := alice.Accounts.Unblock(ctx, bobID); err != nil || rel.Blocking {
		t.Errorf("unblock %+v, %v", rel, err)
	}
	if rel, err := alice.Accounts.SetNote(ctx, bobID, "met at the fair"); err != nil || rel.Note != "met at the fair" {
		t.Errorf("note %+v, %v", rel, err)
	}

	upd, err := alice.Accounts.UpdateCredentials(ctx, &UpdateCredentialsParams{DisplayName: Ptr("Alice A."), Locked: Ptr(true),
		Fields: ProfileFields{{"site", "https://alice.example"}}})
	if err != nil || upd.DisplayName != "Alice A." || !upd.Locked {
		t.Fatalf("update %+v, %v", upd, err)
	}

	// alice is locked now: bob's follow becomes a request she decides on.
	if rel, err := bob.Accounts.Follow(ctx, aliceID, nil); err != nil || !rel.Requested {
		t.Fatalf("follow request %+v, %v", rel, err)
	}
	reqs, err := alice.FollowRequests.List(ctx, nil)
	if err != nil || len(reqs.Items) != 1 || reqs.Items[0].ID != bobID {
		t.Fatalf("follow requests %+v, %v", reqs, err)
	}
	if rel, err := alice.FollowRequests.Authorize(ctx, bobID); err != nil || !rel.FollowedBy {
		t.Errorf("authorize %+v, %v", rel, err)
	}

	if _, err := bob.Statuses.Post(ctx, &PostStatusParams{Status: "one #cats"}); err != nil {
		t.Fatal(err)
	}
	if _, err := bob.Statuses.Post(ctx, &PostStatusParams{Status: "two"}); err != nil {
		t.Fatal(err)
	}
	var texts []string
	for st, err := range alice.Accounts.StatusesAll(ctx, bobID, &AccountStatusesOptions{ListOptions: ListOptions{Limit: 1}}) {
		if err != nil {
			t.Fatal(err)
		}
		texts = append(texts, st.Content)
	}
	if len(texts) != 2 {
		t.Errorf("statuses %q", texts)
	}
}

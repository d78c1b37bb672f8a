package mastodon

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/tuskgo/mastodon/mastodontest"
)

func TestMastodontestPush(t *testing.T) {
	srv, alice, _, _, _ := socialSetup(t)
	ctx := context.Background()
	keys, err := GeneratePushKeys()
	if err != nil {
		t.Fatal(err)
	}
	registerPushKeys(keys)
	if _, err := alice.Push.Get(ctx); !errors.Is(err, ErrNotFound) {
		t.Fatalf("get before subscribing: %v", err)
	}
	yes := true
	sub, err := alice.Push.Subscribe(ctx, "https://push.example/x", keys.SubscriptionKeys(),
		&PushSubscribeOptions{Alerts: PushAlerts{Mention: &yes, Follow: &yes}, Policy: PushPolicyFollower, Standard: true})
	if err != nil {
		t.Fatal(err)
	}
	if sub.ID == "" || sub.Endpoint != "https://push.example/x" || !sub.Alerts.Mention || !sub.Alerts.Follow ||
		sub.Alerts.Favourite || sub.Policy != "follower" || sub.Standard == nil || !*sub.Standard || sub.ServerKey == "" {
		t.Fatalf("subscribed = %+v", sub)
	}
	got, err := alice.Push.Get(ctx)
	if err != nil || got.ID != sub.ID || !got.Alerts.Mention {
		t.Fatalf("get = %+v, %v", got, err)
	}
	up, err := alice.Push.Update(ctx, &PushUpdateParams{Alerts: PushAlerts{Favourite: &yes}, Policy: PushPolicyNone})
	if err != nil || !up.Alerts.Favourite || up.Alerts.Mention || up.Policy != "none" {
		t.Fatalf("update = %+v, %v", up, err)
	}
	if err := alice.Push.Delete(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := alice.Push.Get(ctx); !errors.Is(err, ErrNotFound) {
		t.Fatalf("get after delete: %v", err)
	}
	_ = srv
}

func TestMastodontestReportsAndDomainBlocks(t *testing.T) {
	srv, alice, bob, _, bobID := socialSetup(t)
	ctx := context.Background()
	st, err := bob.Statuses.Post(ctx, &PostStatusParams{Status: "spam spam spam"})
	if err != nil {
		t.Fatal(err)
	}
	rep, err := alice.Reports.Create(ctx, bobID, &ReportParams{StatusIDs: []string{st.ID}, Comment: "spam", Category: "spam"})
	if err != nil {
		t.Fatal(err)
	}
	if rep.ID == "" || rep.TargetAccount.ID != bobID || rep.Category != "spam" || len(rep.StatusIDs) != 1 || rep.StatusIDs[0] != st.ID {
		t.Fatalf("report = %+v", rep)
	}
	if rs := srv.Reports(); len(rs) != 1 || rs[0].Comment != "spam" {
		t.Fatalf("server reports = %+v", rs)
	}

	for _, d := range []string{"one.example", "two.example", "three.example"} {
		if err := alice.DomainBlocks.Block(ctx, d); err != nil {
			t.Fatal(err)
		}
	}
	page, err := alice.DomainBlocks.List(ctx, &ListOptions{Limit: 2})
	if err != nil || len(page.Items) != 2 || *page.Items[0] != "three.example" {
		t.Fatalf("page = %+v, %v", page, err)
	}
	var all []string
	for d, err := range alice.DomainBlocks.ListAll(ctx, &ListOptions{Limit: 2}) {
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, *d)
	}
	if len(all) != 3 || all[2] != "one.example" {
		t.Fatalf("all = %v", all)
	}
	if err := alice.DomainBlocks.Unblock(ctx, "two.example"); err != nil {
		t.Fatal(err)
	}
	if page, _ := alice.DomainBlocks.List(ctx, nil); len(page.Items) != 2 {
		t.Fatalf("after unblock = %v", page.Items)
	}
}

func TestMastodontestFiltersV1(t *testing.T) {
	_, alice, _, _, _ := socialSetup(t)
	ctx := context.Background()
	yes, no := true, false
	f, err := alice.Filters.CreateV1(ctx, "spoilers", []FilterContext{"home", "public"}, &V1FilterParams{Irreversible: &yes, WholeWord: &no, ExpiresIn: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	if f.Phrase != "spoilers" || !f.Irreversible || f.WholeWord || f.ExpiresAt == nil || len(f.Context) != 2 {
		t.Fatalf("created = %+v", f)
	}
	v2, err := alice.Filters.List(ctx)
	if err != nil || len(v2) != 1 || v2[0].Title != "spoilers" || len(v2[0].Keywords) != 1 || v2[0].Keywords[0].ID != f.ID {
		t.Fatalf("v2 view = %+v, %v", v2, err)
	}
	up, err := alice.Filters.UpdateV1(ctx, f.ID, &UpdateV1FilterParams{Phrase: "leaks", Irreversible: &no})
	if err != nil || up.Phrase != "leaks" || up.Irreversible {
		t.Fatalf("update = %+v, %v", up, err)
	}
	list, err := alice.Filters.ListV1(ctx)
	if err != nil || len(list) != 1 || list[0].Phrase != "leaks" {
		t.Fatalf("list = %+v, %v", list, err)
	}
	if err := alice.Filters.DeleteV1(ctx, f.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := alice.Filters.GetV1(ctx, f.ID); !errors.Is(err, ErrNotFound) {
		t.Fatalf("get after delete: %v", err)
	}
}

func TestMastodontestPreviewCard(t *testing.T) {
	srv, alice, _, _, _ := socialSetup(t)
	ctx := context.Background()
	srv.SetPreviewCard("https://blog.example/post", mastodontest.PreviewCard{Title: "A post"})
	st, err := alice.Statuses.Post(ctx, &PostStatusParams{Status: "read https://blog.example/post"})
	if err != nil {
		t.Fatal(err)
	}
	got, err := alice.Statuses.Get(ctx, st.ID)
	if err != nil || got.Card == nil || got.Card.Title != "A post" || got.Card.URL != "https://blog.example/post" {
		t.Fatalf("card = %+v, %v", got.Card, err)
	}
}

func TestMastodontestTrendsAndLinkTimeline(t *testing.T) {
	_, alice, bob, _, _ := socialSetup(t)
	ctx := context.Background()
	var posted []string
	for _, c := range []*Client{alice, bob, alice} {
		st, err := c.Statuses.Post(ctx, &PostStatusParams{Status: "#gophers https://go.dev/doc/"})
		if err != nil {
			t.Fatal(err)
		}
		posted = append(posted, st.ID)
	}
	if _, err := bob.Statuses.Favourite(ctx, posted[0]); err != nil {
		t.Fatal(err)
	}
	tags, err := alice.Trends.Tags(ctx, nil)
	if err != nil || len(tags.Items) != 1 || tags.Items[0].Name != "gophers" || len(tags.Items[0].History) != 7 || tags.Items[0].History[0].Accounts != "2" {
		t.Fatalf("tags = %+v, %v", tags, err)
	}
	links, err := alice.Trends.Links(ctx, nil)
	if err != nil || len(links.Items) != 1 || links.Items[0].URL != "https://go.dev/doc/" || links.Items[0].History[0].Uses != 3 {
		t.Fatalf("links = %+v, %v", links, err)
	}
	sts, err := alice.Trends.Statuses(ctx, &TrendsOptions{Limit: 5})
	if err != nil || len(sts.Items) != 1 || sts.Items[0].ID != posted[0] {
		t.Fatalf("statuses = %+v, %v", sts, err)
	}

	page, err := bob.Timelines.Link(ctx, links.Items[0].URL, &TimelineOptions{ListOptions: ListOptions{Limit: 2}})
	if err != nil || len(page.Items) != 2 || page.Items[0].ID != posted[2] || page.Items[1].ID != posted[1] {
		t.Fatalf("link page = %+v, %v", page, err)
	}
	var all []string
	for st, err := range bob.Timelines.LinkAll(ctx, links.Items[0].URL, &TimelineOptions{ListOptions: ListOptions{Limit: 2}}) {
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, st.ID)
	}
	if len(all) != 3 || all[2] != posted[0] {
		t.Fatalf("link timeline = %v", all)
	}
	if _, err := bob.Timelines.Link(ctx, "https://unknown.example/", nil); !errors.Is(err, ErrNotFound) {
		t.Fatalf("unknown link: %v", err)
	}
}

func TestMastodontestTranslateAndSuggestions(t *testing.T) {
	srv, alice, bob, aliceID, bobID := socialSetup(t)
	ctx := context.Background()
	st, err := bob.Statuses.Post(ctx, &PostStatusParams{Status: "Guten Tag", Language: "de"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := alice.Statuses.Translate(ctx, st.ID, &TranslateOptions{Lang: "en"}); !errors.Is(err, ErrNotFound) {
		t.Fatalf("translate while off: %v", err)
	}
	srv.SetTranslation(true)
	tr, err := alice.Statuses.Translate(ctx, st.ID, &TranslateOptions{Lang: "en"})
	if err != nil || tr.Content != "<p>[en] Guten Tag</p>" || tr.DetectedSourceLanguage != "de" || tr.Language != "en" || tr.Provider != "mastodontest" {
		t.Fatalf("translation = %+v, %v", tr, err)
	}

	carol := srv.CreateAccount("carol", mastodontest.Discoverable())
	if _, err := bob.Accounts.Follow(ctx, carol.ID, nil); err != nil {
		t.Fatal(err)
	}
	sg, err := alice.Suggestions.List(ctx, nil)
	if err != nil || len(sg) != 1 || sg[0].Account.ID != carol.ID || len(sg[0].Sources) != 1 || sg[0].Sources[0] != SuggestionSourceMostFollowed {
		t.Fatalf("suggestions = %+v, %v", sg, err)
	}
	if v1, err := alice.Suggestions.ListV1(ctx, &SuggestionsOptions{Limit: 10}); err != nil || len(v1) != 1 || v1[0].ID != carol.ID {
		t.Fatalf("v1 suggestions = %+v, %v", v1, err)
	}
	if err := alice.Suggestions.Remove(ctx, carol.ID); err != nil {
		t.Fatal(err)
	}
	if sg, err := alice.Suggestions.List(ctx, nil); err != nil || len(sg) != 0 {
		t.Fatalf("after remove = %+v, %v", sg, err)
	}
	_, _ = aliceID, bobID
}

func TestMastodontestAnnouncements(t *testing.T) {
	srv, alice, bob, _, _ := socialSetup(t)
	ctx := context.Background()
	id := srv.PublishAnnouncement("Server upgrade tonight", nil)
	list, err := alice.Announcements.List(ctx, nil)
	if err != nil || len(list) != 1 || list[0].ID != id || list[0].Read == nil || *list[0].Read || list[0].Content != "<p>Server upgrade tonight</p>" {
		t.Fatalf("list = %+v, %v", list, err)
	}
	if err := alice.Announcements.AddReaction(ctx, id, "🎉"); err != nil {
		t.Fatal(err)
	}
	if err := bob.Announcements.AddReaction(ctx, id, "🎉"); err != nil {
		t.Fatal(err)
	}
	if err := alice.Announcements.Dismiss(ctx, id); err != nil {
		t.Fatal(err)
	}
	list, err = alice.Announcements.List(ctx, nil)
	if err != nil || !*list[0].Read || len(list[0].Reactions) != 1 || list[0].Reactions[0].Count != 2 || !*list[0].Reactions[0].Me {
		t.Fatalf("after react and dismiss = %+v, %v", list, err)
	}
	if err := alice.Announcements.RemoveReaction(ctx, id, "🎉"); err != nil {
		t.Fatal(err)
	}
	if err := alice.Announcements.RemoveReaction(ctx, id, "🎉"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("second removal: %v", err)
	}
	if err := alice.Announcements.Dismiss(ctx, "404404"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("dismiss unknown: %v", err)
	}
}

func TestMastodontestRulesAndTranslationLanguages(t *testing.T) {
	srv, alice, _, _, _ := socialSetup(t)
	ctx := context.Background()
	id := srv.AddRule("Be kind", "No harassment")
	rules, err := alice.Instance.Rules(ctx)
	if err != nil || len(rules) != 1 || rules[0].ID != id || rules[0].Text != "Be kind" || rules[0].Hint != "No harassment" {
		t.Fatalf("rules = %+v, %v", rules, err)
	}
	langs, err := alice.Instance.TranslationLanguages(ctx)
	if err != nil || len(langs) != 0 {
		t.Fatalf("languages while off = %v, %v", langs, err)
	}
	srv.SetTranslation(true)
	langs, err = alice.Instance.TranslationLanguages(ctx)
	if err != nil || len(langs["de"]) == 0 {
		t.Fatalf("languages = %v, %v", langs, err)
	}
	inst, err := alice.Instance.Get(ctx)
	if err != nil || !inst.Configuration.Translation.Enabled {
		t.Fatalf("instance translation = %+v, %v", inst, err)
	}
}

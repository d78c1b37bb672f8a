package mastodon

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"testing"

	"github.com/tuskgo/mastodon/internal/corpus"
)

func rTypes(it *corpus.Interaction, key string) []NotificationType {
	var out []NotificationType
	for _, v := range it.Request.Query[key+"[]"] {
		out = append(out, NotificationType(v))
	}
	return out
}

func notificationsReplay(cases *replayTable) {
	cases.add("GET /api/v1/notifications", func(ctx context.Context, c *Client, it *corpus.Interaction) error {
		b := rbool(rquery(it, "include_filtered"))
		o := &NotificationsOptions{
			Types: rTypes(it, "types"), ExcludeTypes: rTypes(it, "exclude_types"), AccountID: rquery(it, "account_id"),
			IncludeFiltered: b != nil && *b, SupportedTypes: rTypes(it, "supported_types")}
		recordedPaging(it, &o.MaxID, &o.MinID, &o.SinceID, &o.Limit)
		_, err := c.Notifications.List(ctx, o)
		return err
	})
	cases.add("GET /api/v1/notifications/{id}", func(ctx context.Context, c *Client, it *corpus.Interaction) error {
		_, err := c.Notifications.Get(ctx, it.PathParam("id"), rGetNotificationOptions(it))
		return err
	})
	cases.add("GET /api/v2/notifications", func(ctx context.Context, c *Client, it *corpus.Interaction) error {
		o := &GroupedNotificationsOptions{
			Types: rTypes(it, "types"), ExcludeTypes: rTypes(it, "exclude_types"), GroupedTypes: rTypes(it, "grouped_types"),
			ExpandAccounts: ExpandAccounts(rquery(it, "expand_accounts")), AccountID: rquery(it, "account_id"),
			IncludeFiltered: rbool(rquery(it, "include_filtered")) != nil && *rbool(rquery(it, "include_filtered")),
			SupportedTypes:  rTypes(it, "supported_types")}
		recordedPaging(it, &o.MaxID, &o.MinID, &o.SinceID, &o.Limit)
		_, err := c.Notifications.Grouped(ctx, o)
		return err
	})
	cases.add("GET /api/v2/notifications/{group_key}", func(ctx context.Context, c *Client, it *corpus.Interaction) error {
		_, err := c.Notifications.Group(ctx, it.PathParam("group_key"), rGetNotificationOptions(it))
		return err
	})
	cases.add("GET /api/v2/notifications/{group_key}/accounts", func(ctx context.Context, c *Client, it *corpus.Interaction) error {
		_, err := c.Notifications.GroupAccounts(ctx, it.PathParam("group_key"))
		return err
	})
	cases.add("POST /api/v2/notifications/{group_key}/dismiss", func(ctx context.Context, c *Client, it *corpus.Interaction) error {
		return c.Notifications.DismissGroup(ctx, it.PathParam("group_key"))
	})
	cases.add("GET /api/v2/notifications/policy", func(ctx context.Context, c *Client, it *corpus.Interaction) error {
		_, err := c.Notifications.Policy(ctx)
		return err
	})
	cases.add("PATCH /api/v2/notifications/policy", func(ctx context.Context, c *Client, it *corpus.Interaction) error {
		a := func(k string) NotificationPolicyAction { return NotificationPolicyAction(rform(it, k)) }
		_, err := c.Notifications.UpdatePolicy(ctx, &UpdateNotificationPolicyParams{
			ForNotFollowing: a("for_not_following"), ForNotFollowers: a("for_not_followers"), ForNewAccounts: a("for_new_accounts"),
			ForPrivateMentions: a("for_private_mentions"), ForLimitedAccounts: a("for_limited_accounts")})
		return err
	})
}

const notifSampleJSON = `{"id":"34975861","type":"mention","created_at":"2019-11-23T07:49:02.064Z","group_key":"ungrouped-34975861","account":{"id":"971724","username":"zsc"},"status":{"id":"103186126728896492","content":"<p>hi</p>"}}`

func TestNotificationsList(t *testing.T) {
	c, mux, _ := setup(t)
	mux.HandleFunc("/api/v1/notifications", func(w http.ResponseWriter, r *http.Request) {
		testMethod(t, r, "GET")
		testHeader(t, r, "Authorization", "Bearer "+testToken)
		testQuery(t, r, "limit=2&max_id=99&types[]=mention&types[]=follow&exclude_types[]=poll&account_id=7&include_filtered=true&supported_types[]=quote")
		w.Header().Set("Link", `</api/v1/notifications?max_id=34975861>; rel="next"`)
		fmt.Fprint(w, `[`+notifSampleJSON+`]`)
	})
	opts := &NotificationsOptions{Limit: 2, MaxID: "99", Types: []NotificationType{NotificationMention, NotificationFollow},
		ExcludeTypes: []NotificationType{NotificationPoll}, AccountID: "7", IncludeFiltered: true, SupportedTypes: []NotificationType{NotificationQuote}}
	p, err := c.Notifications.List(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	n := p.Items[0]
	if n.ID != "34975861" || n.Type != NotificationMention || n.Account.Username != "zsc" || n.Status == nil || n.Status.ID != "103186126728896492" || n.CreatedAt.Year() != 2019 {
		t.Errorf("decoded %+v", n)
	}
	if !p.HasNext() || p.HasPrev() {
		t.Error("cursors")
	}
}

func TestNotificationsGetClearUnread(t *testing.T) {
	c, mux, _ := setup(t)
	getQueries := []string{"supported_types[]=quote&supported_types[]=quoted_update", ""}
	mux.HandleFunc("/api/v1/notifications/34975861", func(w http.ResponseWriter, r *http.Request) {
		testMethod(t, r, "GET")
		testHeader(t, r, "Authorization", "Bearer "+testToken)
		if len(getQueries) == 0 {
			t.Fatal("unexpected request")
		}
		testQuery(t, r, getQueries[0])
		getQueries = getQueries[1:]
		fmt.Fprint(w, notifSampleJSON)
	})
	mux.HandleFunc("/api/v1/notifications/clear", func(w http.ResponseWriter, r *http.Request) {
		testMethod(t, r, "POST")
		testHeader(t, r, "Authorization", "Bearer "+testToken)
		fmt.Fprint(w, `{}`)
	})
	mux.HandleFunc("/api/v1/notifications/unread_count", func(w http.ResponseWriter, r *http.Request) {
		testMethod(t, r, "GET")
		testQuery(t, r, "limit=500&types[]=mention&exclude_types[]=follow&account_id=3")
		fmt.Fprint(w, `{"count":42}`)
	})
	mux.HandleFunc("/api/v2/notifications/unread_count", func(w http.ResponseWriter, r *http.Request) {
		testMethod(t, r, "GET")
		testQuery(t, r, "grouped_types[]=favourite&limit=10")
		fmt.Fprint(w, `{"count":3}`)
	})
	ctx := context.Background()
	n, err := c.Notifications.Get(ctx, "34975861", &GetNotificationOptions{SupportedTypes: []NotificationType{NotificationQuote, "quoted_update"}})
	if err != nil || n.GroupKey != "ungrouped-34975861" {
		t.Fatalf("Get: %+v %v", n, err)
	}
	if n, err = c.Notifications.Get(ctx, "34975861", nil); err != nil || n.ID != "34975861" {
		t.Fatalf("Get(nil): %+v %v", n, err)
	}
	if err := c.Notifications.Clear(ctx); err != nil {
		t.Fatal(err)
	}
	u, err := c.Notifications.UnreadCount(ctx, &UnreadCountOptions{Limit: 500, Types: []NotificationType{"mention"}, ExcludeTypes: []NotificationType{"follow"}, AccountID: "3"})
	if err != nil || u.Count != 42 {
		t.Fatalf("UnreadCount: %+v %v", u, err)
	}
	g, err := c.Notifications.GroupedUnreadCount(ctx, &GroupedUnreadCountOptions{Limit: 10, GroupedTypes: []NotificationType{NotificationFavourite}})
	if err != nil || g.Count != 3 {
		t.Fatalf("GroupedUnreadCount: %+v %v", g, err)
	}
	if _, err := c.Notifications.Get(ctx, "..", nil); !errors.Is(err, ErrIllegalArgument) {
		t.Errorf("Get(..): %v", err)
	}
}

func TestNotificationsDismiss(t *testing.T) {
	c, mux, _ := setup(t)
	mux.HandleFunc("/api/v1/notifications/5/dismiss", func(w http.ResponseWriter, r *http.Request) {
		testMethod(t, r, "POST")
		fmt.Fprint(w, `{}`)
	})
	mux.HandleFunc("/api/v1/notifications/dismiss", func(w http.ResponseWriter, r *http.Request) {
		t.Error("the legacy endpoint was used on a current server")
	})
	if err := c.Notifications.Dismiss(context.Background(), "5"); err != nil {
		t.Fatal(err)
	}
	if err := c.Notifications.Dismiss(context.Background(), ""); !errors.Is(err, ErrIllegalArgument) {
		t.Errorf("Dismiss(\"\"): %v", err)
	}
}

func TestNotificationsDismissLegacy(t *testing.T) {
	// A server known to be older than 2.9.2 gets the old endpoint directly.
	c, mux, _ := setup(t, WithServerVersion("2.9.1"))
	mux.HandleFunc("/api/v1/notifications/dismiss", func(w http.ResponseWriter, r *http.Request) {
		testMethod(t, r, "POST")
		testForm(t, r, "id=5")
		fmt.Fprint(w, `{}`)
	})
	if err := c.Notifications.Dismiss(context.Background(), "5"); err != nil {
		t.Fatal(err)
	}

	// A server of unknown version that lacks the new route: the version is
	// detected after the 404 and the old endpoint used.
	c2, mux2, _ := setup(t)
	var calls []string
	mux2.HandleFunc("/api/v1/notifications/6/dismiss", func(w http.ResponseWriter, r *http.Request) {
		calls = append(calls, "new")
		w.WriteHeader(http.StatusNotFound)
		fmt.Fprint(w, `<html>404</html>`)
	})
	mux2.HandleFunc("/api/v2/instance", func(w http.ResponseWriter, r *http.Request) {
		calls = append(calls, "v2instance")
		w.WriteHeader(http.StatusNotFound)
	})
	mux2.HandleFunc("/api/v1/instance", func(w http.ResponseWriter, r *http.Request) {
		calls = append(calls, "v1instance")
		fmt.Fprint(w, `{"uri":"old.example","version":"2.8.4"}`)
	})
	mux2.HandleFunc("/api/v1/notifications/dismiss", func(w http.ResponseWriter, r *http.Request) {
		calls = append(calls, "legacy")
		testForm(t, r, "id=6")
		fmt.Fprint(w, `{}`)
	})
	mux2.HandleFunc("/.well-known/nodeinfo", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNotFound) })
	if err := c2.Notifications.Dismiss(context.Background(), "6"); err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(calls) != "[new v2instance v1instance legacy]" {
		t.Errorf("calls %v", calls)
	}

	// On a current server a 404 stays a 404.
	c3, mux3, _ := setup(t, WithServerVersion("4.3.0"))
	mux3.HandleFunc("/api/v1/notifications/7/dismiss", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusNotFound)
		fmt.Fprint(w, `{"error":"Record not found"}`)
	})
	if err := c3.Notifications.Dismiss(context.Background(), "7"); !errors.Is(err, ErrNotFound) {
		t.Errorf("Dismiss on 4.3.0: %v", err)
	}
}

func TestNotificationsPolicy(t *testing.T) {
	c, mux, _ := setup(t)
	policy := `{"for_not_following":"filter","for_not_followers":"accept","for_new_accounts":"accept","for_private_mentions":"drop","for_limited_accounts":"filter","summary":{"pending_requests_count":2,"pending_notifications_count":5}}`
	mux.HandleFunc("/api/v2/notifications/policy", func(w http.ResponseWriter, r *http.Request) {
		switch r.Method {
		case "GET":
		case "PATCH":
			testForm(t, r, "for_not_following=filter&for_private_mentions=drop")
		default:
			t.Errorf("method %s", r.Method)
		}
		fmt.Fprint(w, policy)
	})
	v1 := `{"filter_not_following":true,"filter_not_followers":false,"filter_new_accounts":false,"filter_private_mentions":true,"summary":{"pending_requests_count":1,"pending_notifications_count":2}}`
	mux.HandleFunc("/api/v1/notifications/policy", func(w http.ResponseWriter, r *http.Request) {
		if r.Method == "PATCH" {
			testForm(t, r, "filter_not_following=true&filter_new_accounts=false")
		}
		fmt.Fprint(w, v1)
	})
	ctx := context.Background()
	p, err := c.Notifications.Policy(ctx)
	if err != nil || p.ForPrivateMentions != "drop" || p.Summary.PendingNotificationsCount != 5 {
		t.Fatalf("Policy: %+v %v", p, err)
	}
	if _, err := c.Notifications.UpdatePolicy(ctx, &UpdateNotificationPolicyParams{ForNotFollowing: NotificationPolicyFilter, ForPrivateMentions: NotificationPolicyDrop}); err != nil {
		t.Fatal(err)
	}
	p1, err := c.Notifications.PolicyV1(ctx)
	if err != nil || !p1.FilterNotFollowing || !p1.FilterPrivateMentions || p1.Summary.PendingRequestsCount != 1 {
		t.Fatalf("PolicyV1: %+v %v", p1, err)
	}
	if _, err := c.Notifications.UpdatePolicyV1(ctx, &UpdateNotificationPolicyV1Params{FilterNotFollowing: Ptr(true), FilterNewAccounts: Ptr(false)}); err != nil {
		t.Fatal(err)
	}
}

func TestNotificationRequests(t *testing.T) {
	c, mux, _ := setup(t)
	reqJSON := `{"id":"112456967201894256","created_at":"2024-05-17T14:45:41.171Z","updated_at":"2024-05-17T14:45:41.171Z","notifications_count":"1","account":{"id":"971724","username":"zsc"},"last_status":{"id":"1"}}`
	mux.HandleFunc("/api/v1/notifications/requests", func(w http.ResponseWriter, r *http.Request) {
		testMethod(t, r, "GET")
		testQuery(t, r, "limit=1")
		fmt.Fprint(w, `[`+reqJSON+`]`)
	})
	mux.HandleFunc("/api/v1/notifications/requests/112456967201894256", func(w http.ResponseWriter, r *http.Request) {
		testMethod(t, r, "GET")
		fmt.Fprint(w, reqJSON)
	})
	for _, verb := range []string{"accept", "dismiss"} {
		mux.HandleFunc("/api/v1/notifications/requests/9/"+verb, func(w http.ResponseWriter, r *http.Request) {
			testMethod(t, r, "POST")
			fmt.Fprint(w, `{}`)
		})
		mux.HandleFunc("/api/v1/notifications/requests/"+verb, func(w http.ResponseWriter, r *http.Request) {
			testMethod(t, r, "POST")
			testForm(t, r, "id[]=1&id[]=2")
			fmt.Fprint(w, `{}`)
		})
	}
	mux.HandleFunc("/api/v1/notifications/requests/merged", func(w http.ResponseWriter, r *http.Request) {
		testMethod(t, r, "GET")
		fmt.Fprint(w, `{"merged":true}`)
	})
	ctx := context.Background()
	var got []*NotificationRequest
	for nr, err := range c.Notifications.RequestsAll(ctx, &ListOptions{Limit: 1}) {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, nr)
	}
	if len(got) != 1 || got[0].NotificationsCount != "1" || got[0].Account.Username != "zsc" || got[0].LastStatus == nil {
		t.Errorf("requests %+v", got)
	}
	if nr, err := c.Notifications.Request(ctx, "112456967201894256"); err != nil || nr.CreatedAt.Year() != 2024 {
		t.Errorf("Request: %+v %v", nr, err)
	}
	if err := c.Notifications.AcceptRequest(ctx, "9"); err != nil {
		t.Error(err)
	}
	if err := c.Notifications.DismissRequest(ctx, "9"); err != nil {
		t.Error(err)
	}
	if err := c.Notifications.AcceptRequests(ctx, []string{"1", "2"}); err != nil {
		t.Error(err)
	}
	if err := c.Notifications.DismissRequests(ctx, []string{"1", "2"}); err != nil {
		t.Error(err)
	}
	if err := c.Notifications.AcceptRequests(ctx, nil); !errors.Is(err, ErrIllegalArgument) {
		t.Errorf("AcceptRequests(nil): %v", err)
	}
	if m, err := c.Notifications.RequestsMerged(ctx); err != nil || !m {
		t.Errorf("RequestsMerged: %v %v", m, err)
	}
}

const groupedSampleJSON = `{
 "accounts":[{"id":"16","username":"eve"},{"id":"17","username":"mallory"}],
 "partial_accounts":[{"id":"18","acct":"trent","avatar":"https://x/a.png","avatar_static":"https://x/a.png","locked":false,"bot":false,"url":"https://x/@trent"}],
 "statuses":[{"id":"113010503322889311","content":"<p>hello</p>"}],
 "notification_groups":[
  {"group_key":"favourite-113010503322889311-479000","notifications_count":3,"type":"favourite","most_recent_notification_id":"196014","page_min_id":"196000","page_max_id":"196014","latest_page_notification_at":"2024-08-23T08:54:24.000Z","sample_account_ids":["16","17","18"],"status_id":"113010503322889311"},
  {"group_key":"ungrouped-196015","notifications_count":1,"type":"follow","most_recent_notification_id":"196015","sample_account_ids":["16"]}
 ]}`

func TestNotificationsGrouped(t *testing.T) {
	c, mux, _ := setup(t)
	mux.HandleFunc("/api/v2/notifications", func(w http.ResponseWriter, r *http.Request) {
		testMethod(t, r, "GET")
		testHeader(t, r, "Authorization", "Bearer "+testToken)
		if r.URL.Query().Get("min_id") != "" {
			testQuery(t, r, "limit=2&min_id=196015")
			w.Header().Set("X-Page", "prev")
			fmt.Fprint(w, `{"accounts":[{"id":"17","username":"mallory"}],"statuses":[],"notification_groups":[{"group_key":"ungrouped-196020","notifications_count":1,"type":"follow","sample_account_ids":["17"]}]}`)
			return
		}
		switch r.URL.Query().Get("max_id") {
		case "":
			testQuery(t, r, "limit=2&expand_accounts=partial_avatars&grouped_types[]=favourite&grouped_types[]=follow&types[]=favourite&types[]=follow&exclude_types[]=mention&account_id=16&include_filtered=true&supported_types[]=favourite&supported_types[]=follow&supported_types[]=quote")
			w.Header().Set("Link", `</api/v2/notifications?limit=2&max_id=196000>; rel="next", </api/v2/notifications?limit=2&min_id=196015>; rel="prev"`)
			fmt.Fprint(w, groupedSampleJSON)
		case "196000":
			testQuery(t, r, "limit=2&max_id=196000")
			fmt.Fprint(w, `{"accounts":[],"statuses":[],"notification_groups":[]}`)
		default:
			t.Errorf("query %s", r.URL.RawQuery)
		}
	})
	opts := &GroupedNotificationsOptions{Limit: 2, ExpandAccounts: ExpandAccountsPartialAvatars,
		GroupedTypes: []NotificationType{NotificationFavourite, NotificationFollow}, Types: []NotificationType{NotificationFavourite, NotificationFollow},
		ExcludeTypes: []NotificationType{NotificationMention}, AccountID: "16", IncludeFiltered: true,
		SupportedTypes: []NotificationType{NotificationFavourite, NotificationFollow, NotificationQuote}}
	ctx := context.Background()
	p, err := c.Notifications.Grouped(ctx, opts)
	if err != nil {
		t.Fatal(err)
	}
	if p.Response == nil || p.Response.StatusCode != 200 || len(p.Items) != 2 {
		t.Fatalf("page %+v", p)
	}
	groups := p.Items
	g := groups[0]
	if g.NotificationsCount != 3 || g.Type != NotificationFavourite || len(g.Accounts) != 2 || g.Accounts[1].Username != "mallory" ||
		len(g.PartialAccounts) != 1 || g.PartialAccounts[0].Acct != "trent" || g.Status == nil || g.Status.Content != "<p>hello</p>" {
		t.Errorf("group 0 %+v", g)
	}
	if groups[1].Status != nil || len(groups[1].Accounts) != 1 {
		t.Errorf("group 1 %+v", groups[1])
	}
	if !p.HasNext() || !p.HasPrev() {
		t.Fatal("cursors")
	}
	next, err := p.Next(ctx)
	if err != nil || len(next.Items) != 0 || next.HasNext() {
		t.Fatalf("Next: %+v %v", next, err)
	}
	if n, err := next.Next(ctx); n != nil || err != nil {
		t.Errorf("Next past the end: %v %v", n, err)
	}
	// The previous page is a page of groups like the others, its accounts
	// looked up in it, with the response it came in.
	prev, err := p.Prev(ctx)
	if err != nil || len(prev.Items) != 1 || prev.Items[0].GroupKey != "ungrouped-196020" ||
		len(prev.Items[0].Accounts) != 1 || prev.Items[0].Accounts[0].Username != "mallory" || prev.Response.Header.Get("X-Page") != "prev" {
		t.Fatalf("Prev: %+v %v", prev, err)
	}
	var fromPage []string
	for g, err := range p.All(ctx) {
		if err != nil {
			t.Fatal(err)
		}
		fromPage = append(fromPage, g.GroupKey)
	}
	if len(fromPage) != 2 || fromPage[0] != "favourite-113010503322889311-479000" {
		t.Errorf("Page.All %v", fromPage)
	}
	var keys []string
	for g, err := range c.Notifications.GroupedAll(ctx, opts) {
		if err != nil {
			t.Fatal(err)
		}
		keys = append(keys, g.GroupKey)
	}
	if len(keys) != 2 || keys[1] != "ungrouped-196015" {
		t.Errorf("GroupedAll %v", keys)
	}
}

func TestNotificationsGroup(t *testing.T) {
	c, mux, _ := setup(t)
	mux.HandleFunc("/api/v2/notifications/favourite-1-2", func(w http.ResponseWriter, r *http.Request) {
		testMethod(t, r, "GET")
		testHeader(t, r, "Authorization", "Bearer "+testToken)
		testQuery(t, r, "supported_types[]=favourite")
		fmt.Fprint(w, groupedSampleJSON)
	})
	mux.HandleFunc("/api/v2/notifications/favourite-1-2/dismiss", func(w http.ResponseWriter, r *http.Request) {
		testMethod(t, r, "POST")
		fmt.Fprint(w, `{}`)
	})
	mux.HandleFunc("/api/v2/notifications/favourite-1-2/accounts", func(w http.ResponseWriter, r *http.Request) {
		testMethod(t, r, "GET")
		fmt.Fprint(w, `[{"id":"16"},{"id":"17"}]`)
	})
	ctx := context.Background()
	g, err := c.Notifications.Group(ctx, "favourite-1-2", &GetNotificationOptions{SupportedTypes: []NotificationType{NotificationFavourite}})
	if err != nil || len(g.NotificationGroups) != 2 {
		t.Fatalf("Group: %v", err)
	}
	if err := c.Notifications.DismissGroup(ctx, "favourite-1-2"); err != nil {
		t.Fatal(err)
	}
	var ids []string
	for a, err := range c.Notifications.GroupAccountsAll(ctx, "favourite-1-2") {
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, a.ID)
	}
	if fmt.Sprint(ids) != "[16 17]" {
		t.Errorf("accounts %v", ids)
	}
	if _, err := c.Notifications.Group(ctx, "", nil); !errors.Is(err, ErrIllegalArgument) {
		t.Errorf("Group(\"\"): %v", err)
	}
}

func TestNotificationsGroupedBadAnswers(t *testing.T) {
	c, mux, _ := setup(t)
	status, body := 200, `{"notification_groups":[{"group_key":`
	mux.HandleFunc("/api/v2/notifications", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(status)
		fmt.Fprint(w, body)
	})
	ctx := context.Background()
	if _, err := c.Notifications.Grouped(ctx, nil); !errors.Is(err, ErrDecode) {
		t.Errorf("truncated: %v", err)
	}
	status, body = http.StatusServiceUnavailable, `<html>down</html>`
	n := 0
	for _, err := range c.Notifications.GroupedAll(ctx, nil) {
		n++
		if !errors.Is(err, ErrServiceUnavailable) {
			t.Errorf("GroupedAll: %v", err)
		}
	}
	if n != 1 {
		t.Errorf("yielded %d times", n)
	}
	// Groups referring to accounts and statuses the page lacks are kept,
	// without them.
	status, body = 200, `{"notification_groups":[{"group_key":"g","type":"brand_new_kind","sample_account_ids":["404"],"status_id":"404","notifications_count":1}]}`
	p, err := c.Notifications.Grouped(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	gs := p.Items
	if len(gs) != 1 || gs[0].Type != "brand_new_kind" || gs[0].Status != nil || len(gs[0].Accounts) != 0 {
		t.Errorf("groups %+v", gs)
	}
}

func FuzzGroupedNotifications(f *testing.F) {
	f.Add([]byte(groupedSampleJSON))
	f.Add([]byte(`{"notification_groups":[{"group_key":"g","sample_account_ids":["1","1"],"status_id":null}],"accounts":[{"id":"1"},{"id":"1"}]}`))
	f.Add([]byte(`{"notification_groups":null}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var r GroupedNotificationsResults
		if unmarshalJSON(data, &r) != nil {
			return
		}
		groups := resolveGroups(&r)
		if len(groups) != len(r.NotificationGroups) {
			t.Fatalf("%d groups resolved from %d", len(groups), len(r.NotificationGroups))
		}
		for _, g := range groups {
			if len(g.Accounts)+len(g.PartialAccounts) > len(g.SampleAccountIDs) {
				t.Fatal("more accounts than sample ids")
			}
		}
	})
}

// rGetNotificationOptions rebuilds the options of a recorded single
// notification (group) request.
func rGetNotificationOptions(it *corpus.Interaction) *GetNotificationOptions {
	if t := rTypes(it, "supported_types"); len(t) > 0 {
		return &GetNotificationOptions{SupportedTypes: t}
	}
	return nil
}

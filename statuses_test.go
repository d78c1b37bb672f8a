package mastodon

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tuskgo/mastodon/internal/corpus"
)

func statusesReplay(cases *replayTable) {
	cases.add("GET /api/v1/statuses/{id}", func(ctx context.Context, c *Client, it *corpus.Interaction) error {
		_, err := c.Statuses.Get(ctx, it.PathParam("id"))
		return err
	})
	cases.add("GET /api/v1/statuses", func(ctx context.Context, c *Client, it *corpus.Interaction) error {
		_, err := c.Statuses.GetMany(ctx, it.Request.Query["id[]"])
		return err
	})
	cases.add("POST /api/v1/statuses", replayPostStatus)
	cases.add("DELETE /api/v1/statuses/{id}", func(ctx context.Context, c *Client, it *corpus.Interaction) error {
		var o *DeleteStatusOptions
		if b := rbool(rquery(it, "delete_media")); b != nil {
			o = &DeleteStatusOptions{DeleteMedia: *b}
		}
		_, err := c.Statuses.Delete(ctx, it.PathParam("id"), o)
		return err
	})
	cases.add("PUT /api/v1/statuses/{id}", func(ctx context.Context, c *Client, it *corpus.Interaction) error {
		var p EditStatusParams
		var w recordedStatus
		if err := json.Unmarshal(it.Request.Body.JSON, &w); err != nil {
			return err
		}
		p.Status, p.SpoilerText, p.Language, p.MediaIDs, p.MediaAttributes, p.QuoteApprovalPolicy =
			w.Status, w.SpoilerText, w.Language, w.MediaIDs, w.MediaAttributes, w.QuoteApprovalPolicy
		p.Sensitive = w.Sensitive != nil && *w.Sensitive
		p.Poll = w.Poll.params()
		_, err := c.Statuses.Edit(ctx, it.PathParam("id"), &p)
		return err
	})
	cases.add("POST /api/v1/statuses/{id}/reblog", func(ctx context.Context, c *Client, it *corpus.Interaction) error {
		var p *ReblogParams
		if v := rform(it, "visibility"); v != "" {
			p = &ReblogParams{Visibility: StatusVisibility(v)}
		}
		_, err := c.Statuses.Reblog(ctx, it.PathParam("id"), p)
		return err
	})
	for _, action := range []string{"unreblog", "favourite", "unfavourite", "bookmark", "unbookmark", "mute", "unmute", "pin", "unpin"} {
		cases.add("POST /api/v1/statuses/{id}/"+action, func(ctx context.Context, c *Client, it *corpus.Interaction) error {
			_, err := statusAction(c.Statuses, action)(ctx, it.PathParam("id"))
			return err
		})
	}
	cases.add("GET /api/v1/statuses/{id}/context", func(ctx context.Context, c *Client, it *corpus.Interaction) error {
		_, err := c.Statuses.Context(ctx, it.PathParam("id"))
		return err
	})
	cases.add("GET /api/v1/statuses/{id}/history", func(ctx context.Context, c *Client, it *corpus.Interaction) error {
		_, err := c.Statuses.History(ctx, it.PathParam("id"))
		return err
	})
	cases.add("GET /api/v1/statuses/{id}/source", func(ctx context.Context, c *Client, it *corpus.Interaction) error {
		_, err := c.Statuses.Source(ctx, it.PathParam("id"))
		return err
	})
	cases.add("GET /api/v1/statuses/{id}/reblogged_by", func(ctx context.Context, c *Client, it *corpus.Interaction) error {
		_, err := c.Statuses.RebloggedBy(ctx, it.PathParam("id"), recordedListOptions(it))
		return err
	})
	cases.add("GET /api/v1/statuses/{id}/favourited_by", func(ctx context.Context, c *Client, it *corpus.Interaction) error {
		_, err := c.Statuses.FavouritedBy(ctx, it.PathParam("id"), recordedListOptions(it))
		return err
	})
	cases.add("GET /api/v1/statuses/{id}/quotes", func(ctx context.Context, c *Client, it *corpus.Interaction) error {
		_, err := c.Statuses.Quotes(ctx, it.PathParam("id"), recordedListOptions(it))
		return err
	})
	cases.add("POST /api/v1/statuses/{id}/quotes/{quoting_status_id}/revoke", func(ctx context.Context, c *Client, it *corpus.Interaction) error {
		_, err := c.Statuses.RevokeQuote(ctx, it.PathParam("id"), it.PathParam("quoting_status_id"))
		return err
	})
	cases.add("PUT /api/v1/statuses/{id}/interaction_policy", func(ctx context.Context, c *Client, it *corpus.Interaction) error {
		_, err := c.Statuses.UpdateInteractionPolicy(ctx, it.PathParam("id"), QuotePolicy(rform(it, "quote_approval_policy")))
		return err
	})
	cases.add("POST /api/v1/statuses/{id}/translate", func(ctx context.Context, c *Client, it *corpus.Interaction) error {
		_, err := c.Statuses.Translate(ctx, it.PathParam("id"), &TranslateOptions{Lang: rform(it, "lang")})
		return err
	})
	cases.add("GET /api/v1/statuses/{id}/card", func(ctx context.Context, c *Client, it *corpus.Interaction) error {
		// The recording is from a server before 3.0, the only ones Card
		// asks /card of.
		c2, err := newScannedClient(c.BaseURL(), WithAccessToken("replay-token"), WithRetryPolicy(RetryPolicy{}), WithServerVersion("2.9.0"))
		if err != nil {
			return err
		}
		_, err = c2.Statuses.Card(ctx, it.PathParam("id"))
		return err
	})
}

// recordedStatus reads the JSON body of a recorded post or edit, to
// rebuild the params that sent it.
type recordedStatus struct {
	Status              string           `json:"status"`
	InReplyToID         string           `json:"in_reply_to_id"`
	MediaIDs            []string         `json:"media_ids"`
	MediaAttributes     []MediaAttribute `json:"media_attributes"`
	Sensitive           *bool            `json:"sensitive"`
	SpoilerText         string           `json:"spoiler_text"`
	Visibility          StatusVisibility `json:"visibility"`
	Language            string           `json:"language"`
	ScheduledAt         string           `json:"scheduled_at"`
	Poll                *recordedPoll    `json:"poll"`
	QuotedStatusID      string           `json:"quoted_status_id"`
	QuoteApprovalPolicy QuotePolicy      `json:"quote_approval_policy"`
	AllowedMentions     []string         `json:"allowed_mentions"`
}

type recordedPoll struct {
	Options    []string `json:"options"`
	ExpiresIn  int64    `json:"expires_in"`
	Multiple   bool     `json:"multiple"`
	HideTotals bool     `json:"hide_totals"`
}

func (r *recordedPoll) params() *PollParams {
	if r == nil {
		return nil
	}
	return &PollParams{Options: r.Options, ExpiresIn: time.Duration(r.ExpiresIn) * time.Second, Multiple: r.Multiple, HideTotals: r.HideTotals}
}

// replayPostStatus rebuilds Statuses.Post's params from a recording.
func replayPostStatus(ctx context.Context, c *Client, it *corpus.Interaction) error {
	p := &PostStatusParams{}
	var opts []CallOption
	if it.Request.Body.Kind == "json" {
		var w recordedStatus
		if err := json.Unmarshal(it.Request.Body.JSON, &w); err != nil {
			return err
		}
		p.Status, p.InReplyToID, p.MediaIDs, p.Sensitive, p.SpoilerText = w.Status, w.InReplyToID, w.MediaIDs, w.Sensitive, w.SpoilerText
		p.Visibility, p.Language, p.QuotedStatusID, p.QuoteApprovalPolicy = w.Visibility, w.Language, w.QuotedStatusID, w.QuoteApprovalPolicy
		p.AllowedMentions = w.AllowedMentions
		p.Poll = w.Poll.params()
		if w.ScheduledAt != "" {
			p.ScheduledAt, _ = time.Parse(time.RFC3339Nano, w.ScheduledAt)
		}
	} else {
		p.Status, p.InReplyToID, p.MediaIDs = rform(it, "status"), rform(it, "in_reply_to_id"), rforms(it, "media_ids[]")
		p.Sensitive = rbool(rform(it, "sensitive"))
		p.SpoilerText, p.Visibility, p.Language = rform(it, "spoiler_text"), StatusVisibility(rform(it, "visibility")), rform(it, "language")
		p.QuotedStatusID, p.QuoteApprovalPolicy = rform(it, "quoted_status_id"), QuotePolicy(rform(it, "quote_approval_policy"))
		p.AllowedMentions = rforms(it, "allowed_mentions[]")
		if v := rform(it, "scheduled_at"); v != "" {
			t, err := time.Parse(time.RFC3339Nano, v)
			if err != nil {
				return err
			}
			p.ScheduledAt = t
		}
		if l := rform(it, "lang"); l != "" {
			opts = append(opts, CallLanguage(l))
		}
	}
	if k := it.Request.Header("idempotency-key"); k != "" {
		opts = append(opts, CallIdempotencyKey(k))
	}
	_, err := c.Statuses.Post(ctx, p, opts...)
	return err
}

func statusAction(s *StatusesService, action string) func(context.Context, string, ...CallOption) (*Status, error) {
	return map[string]func(context.Context, string, ...CallOption) (*Status, error){
		"unreblog": s.Unreblog, "favourite": s.Favourite, "unfavourite": s.Unfavourite, "bookmark": s.Bookmark,
		"unbookmark": s.Unbookmark, "mute": s.Mute, "unmute": s.Unmute, "pin": s.Pin, "unpin": s.Unpin,
	}[action]
}

const statusBodyJSON = `{"id":"%s","created_at":"2024-01-02T03:04:05.000Z","content":"<p>hi</p>","visibility":"public","sensitive":false,"spoiler_text":"","uri":"https://x/s/1","account":{"id":"9","username":"bob","acct":"bob"},"mentions":[],"tags":[],"emojis":[],"media_attachments":[],"reblogs_count":0,"favourites_count":1,"replies_count":0}`

func TestStatusesGet(t *testing.T) {
	c, mux, _ := setup(t)
	mux.HandleFunc("/api/v1/statuses/5", func(w http.ResponseWriter, r *http.Request) {
		testMethod(t, r, "GET")
		testQuery(t, r, "")
		testEmptyBody(t, r)
		testHeader(t, r, "Authorization", "Bearer "+testToken)
		fmt.Fprintf(w, statusBodyJSON, "5")
	})
	st, err := c.Statuses.Get(context.Background(), "5")
	if err != nil {
		t.Fatal(err)
	}
	if st.ID != "5" || st.Content != "<p>hi</p>" || st.Account.Acct != "bob" || st.FavouritesCount != 1 || st.Visibility != VisibilityPublic {
		t.Errorf("decoded %+v", st)
	}
	testErrorKinds(t, "/api/v1/statuses/{id}", func(c *Client, id string) error { _, err := c.Statuses.Get(context.Background(), id); return err })
}

func TestStatusesGetMany(t *testing.T) {
	c, mux, _ := setup(t)
	mux.HandleFunc("/api/v1/statuses", func(w http.ResponseWriter, r *http.Request) {
		testMethod(t, r, "GET")
		testQuery(t, r, "id[]=1&id[]=2")
		fmt.Fprintf(w, "["+statusBodyJSON+","+statusBodyJSON+"]", "1", "2")
	})
	ss, err := c.Statuses.GetMany(context.Background(), []string{"1", "2"})
	if err != nil || len(ss) != 2 || ss[1].ID != "2" {
		t.Fatalf("%+v, %v", ss, err)
	}
	if _, err := c.Statuses.GetMany(context.Background(), nil); !errors.Is(err, ErrIllegalArgument) {
		t.Errorf("no ids: err = %v", err)
	}
}

func TestStatusesPostForm(t *testing.T) {
	c, mux, _ := setup(t)
	mux.HandleFunc("/api/v1/statuses", func(w http.ResponseWriter, r *http.Request) {
		testMethod(t, r, "POST")
		testHeader(t, r, "Authorization", "Bearer "+testToken)
		if k := r.Header.Get("Idempotency-Key"); len(k) != 32 {
			t.Errorf("Idempotency-Key = %q, want a generated key", k)
		}
		testForm(t, r, "status=hello+%40bob&in_reply_to_id=3&media_ids[]=m1&media_ids[]=m2&sensitive=true&spoiler_text=cw&visibility=unlisted"+
			"&language=en&quoted_status_id=q1&quote_approval_policy=followers&allowed_mentions[]=7&allowed_mentions[]=8")
		fmt.Fprintf(w, statusBodyJSON, "10")
	})
	p := &PostStatusParams{Status: "hello @bob", InReplyToID: "3", MediaIDs: []string{"m1", "m2"}, Sensitive: Ptr(true), SpoilerText: "cw",
		Visibility: VisibilityUnlisted, Language: "en", QuotedStatusID: "q1", QuoteApprovalPolicy: QuotePolicyFollowers, AllowedMentions: []string{"7", "8"}}
	before := fmt.Sprintf("%+v", *p)
	st, err := c.Statuses.Post(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	if st.IsScheduled() || st.Status == nil || st.ID != "10" {
		t.Errorf("answer %+v", st)
	}
	if after := fmt.Sprintf("%+v", *p); after != before {
		t.Errorf("params changed")
	}
}

func TestStatusesPostIdempotencyKey(t *testing.T) {
	c, mux, _ := setup(t)
	var mu sync.Mutex
	var keys []string
	mux.HandleFunc("/api/v1/statuses", func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		keys = append(keys, r.Header.Get("Idempotency-Key"))
		mu.Unlock()
		fmt.Fprintf(w, statusBodyJSON, "10")
	})
	ctx := context.Background()
	if _, err := c.Statuses.Post(ctx, &PostStatusParams{Status: "a"}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Statuses.Post(ctx, &PostStatusParams{Status: "a"}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Statuses.Post(ctx, &PostStatusParams{Status: "a"}, CallIdempotencyKey("mine")); err != nil {
		t.Fatal(err)
	}
	if len(keys) != 3 || keys[0] == "" || keys[0] == keys[1] || keys[2] != "mine" {
		t.Errorf("keys %q: want two distinct generated keys, then the caller's", keys)
	}
}

func TestStatusesPostRetriesWithSameKey(t *testing.T) {
	// Mastodon honours Idempotency-Key: the post is simply sent again.
	c, mux, _ := setup(t, WithRetryPolicy(RetryPolicy{MaxRetries: 2}), WithServerVersion("4.3.0"))
	var keys []string
	mux.HandleFunc("/api/v1/statuses", func(w http.ResponseWriter, r *http.Request) {
		keys = append(keys, r.Header.Get("Idempotency-Key"))
		if len(keys) == 1 {
			w.WriteHeader(http.StatusBadGateway)
			return
		}
		fmt.Fprintf(w, statusBodyJSON, "10")
	})
	if _, err := c.Statuses.Post(context.Background(), &PostStatusParams{Status: "a"}); err != nil {
		t.Fatal(err)
	}
	if len(keys) != 2 || keys[0] == "" || keys[0] != keys[1] {
		t.Errorf("keys %q: the retry must repeat the first key", keys)
	}
}

func TestStatusesPostPollJSON(t *testing.T) {
	c, mux, _ := setup(t)
	mux.HandleFunc("/api/v1/statuses", func(w http.ResponseWriter, r *http.Request) {
		testMethod(t, r, "POST")
		testJSONBody(t, r, `{"status":"nice","poll":{"options":["a","b"],"expires_in":300,"multiple":true,"hide_totals":false},"allowed_mentions":["7"]}`)
		fmt.Fprint(w, `{"id":"11","content":"nice","poll":{"id":"p1","expires_at":"2026-08-01T13:58:07.715Z","expired":false,"multiple":true,"votes_count":0,"voters_count":0,"options":[{"title":"a","votes_count":0},{"title":"b","votes_count":0}],"emojis":[]}}`)
	})
	poll := NewPoll(5*time.Minute, "a", "b")
	poll.Multiple = true
	st, err := c.Statuses.Post(context.Background(), &PostStatusParams{Status: "nice", Poll: poll, AllowedMentions: []string{"7"}})
	if err != nil {
		t.Fatal(err)
	}
	if st.Poll == nil || st.Poll.ID != "p1" || len(st.Poll.Options) != 2 || !st.Poll.Multiple {
		t.Errorf("decoded %+v", st.Status)
	}
}

func TestStatusesPostScheduled(t *testing.T) {
	c, mux, _ := setup(t)
	mux.HandleFunc("/api/v1/statuses", func(w http.ResponseWriter, r *http.Request) {
		testForm(t, r, "status=later&scheduled_at=2030-01-02T03:04:05%2B00:00")
		fmt.Fprint(w, `{"id":"3","scheduled_at":"2030-01-02T03:04:05.000Z","params":{"text":"later","visibility":null,"media_ids":null,"poll":null},"media_attachments":[]}`)
	})
	at := time.Date(2030, 1, 2, 4, 4, 5, 0, time.FixedZone("CET", 3600))
	st, err := c.Statuses.Post(context.Background(), &PostStatusParams{Status: "later", ScheduledAt: at})
	if err != nil {
		t.Fatal(err)
	}
	if !st.IsScheduled() || st.Status != nil || st.Scheduled.ID != "3" || st.Scheduled.Params.Text != "later" || !st.Scheduled.ScheduledAt.Equal(at) {
		t.Errorf("answer %+v %+v", st, st.Scheduled)
	}
	b, err := json.Marshal(st)
	if err != nil || !strings.Contains(string(b), `"params"`) {
		t.Errorf("re-encoded %s, %v", b, err)
	}
}

func TestStatusesPostFeatureSets(t *testing.T) {
	c, mux, _ := setup(t, WithFeatureSet(FeatureSetPleroma))
	mux.HandleFunc("/api/v1/statuses", func(w http.ResponseWriter, r *http.Request) {
		testForm(t, r, "status=**hi**&content_type=text%2Fmarkdown")
		fmt.Fprintf(w, statusBodyJSON, "1")
	})
	if _, err := c.Statuses.Post(context.Background(), &PostStatusParams{Status: "**hi**", ContentType: "text/markdown"}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Statuses.Post(context.Background(), &PostStatusParams{Status: "x", QuoteID: "1"}); !errors.Is(err, ErrIllegalArgument) {
		t.Errorf("quote_id on pleroma: err = %v", err)
	}
	fb, fmux, _ := setup(t, WithFeatureSet(FeatureSetFedibird))
	fmux.HandleFunc("/api/v1/statuses", func(w http.ResponseWriter, r *http.Request) {
		testForm(t, r, "status=look&quote_id=77")
		fmt.Fprintf(w, statusBodyJSON, "1")
	})
	if _, err := fb.Statuses.Post(context.Background(), &PostStatusParams{Status: "look", QuoteID: "77"}); err != nil {
		t.Fatal(err)
	}
	ml, _, _ := setup(t)
	if _, err := ml.Statuses.Post(context.Background(), &PostStatusParams{Status: "x", ContentType: "text/html"}); !errors.Is(err, ErrIllegalArgument) {
		t.Errorf("content_type on mainline: err = %v", err)
	}
}

func TestStatusesPostBadInput(t *testing.T) {
	c, mux, _ := setup(t)
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) { t.Errorf("unexpected request %s", r.URL) })
	for name, p := range map[string]*PostStatusParams{
		"nil":           nil,
		"empty":         {Status: "  "},
		"media+poll":    {MediaIDs: []string{"1"}, Poll: NewPoll(time.Hour, "a", "b")},
		"one option":    {Status: "x", Poll: NewPoll(time.Hour, "a")},
		"no expiry":     {Status: "x", Poll: NewPoll(0, "a", "b")},
		"empty option":  {Status: "x", Poll: NewPoll(time.Hour, "a", "")},
		"empty media":   {MediaIDs: []string{""}},
		"empty mention": {Status: "x", AllowedMentions: []string{"1", " "}},
	} {
		if _, err := c.Statuses.Post(context.Background(), p); !errors.Is(err, ErrIllegalArgument) {
			t.Errorf("%s: err = %v, want ErrIllegalArgument", name, err)
		}
	}
}

func TestStatusesPostErrors(t *testing.T) {
	c, mux, _ := setup(t)
	mux.HandleFunc("/api/v1/statuses", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusUnprocessableEntity)
		fmt.Fprint(w, `{"error":"Validation failed: Text character limit of 500 exceeded"}`)
	})
	_, err := c.Statuses.Post(context.Background(), &PostStatusParams{Status: strings.Repeat("a", 600)})
	var ae *APIError
	if !errors.Is(err, ErrUnprocessable) || !errors.As(err, &ae) || !strings.Contains(ae.Code, "500") {
		t.Errorf("err = %v", err)
	}
	c2, mux2, _ := setup(t)
	mux2.HandleFunc("/api/v1/statuses", func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, `{"id":`) })
	if _, err := c2.Statuses.Post(context.Background(), &PostStatusParams{Status: "x"}); !errors.Is(err, ErrDecode) {
		t.Errorf("truncated answer: err = %v, want ErrDecode", err)
	}
}

func TestStatusesReply(t *testing.T) {
	c, mux, _ := setup(t)
	mux.HandleFunc("/api/v1/accounts/verify_credentials", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `{"id":"1","username":"me","acct":"me","source":{"privacy":"public","note":"","fields":[]}}`)
	})
	var form string
	mux.HandleFunc("/api/v1/statuses", func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		form = string(b)
		fmt.Fprintf(w, statusBodyJSON, "20")
	})
	to := &Status{ID: "7", Visibility: VisibilityPrivate, SpoilerText: "spoilers", Account: Account{ID: "2", Acct: "bob@x.example"},
		Mentions: []StatusMention{{ID: "1", Acct: "me"}, {ID: "3", Acct: "carol"}, {ID: "2", Acct: "bob@x.example"}}}
	if _, err := c.Statuses.Reply(context.Background(), to, &PostStatusParams{Status: "agreed"}, nil); err != nil {
		t.Fatal(err)
	}
	if want := "status=%40bob%40x.example+%40carol+agreed&in_reply_to_id=7&spoiler_text=spoilers&visibility=private"; canonQuery(t, form) != canonQuery(t, want) {
		t.Errorf("form = %s, want %s", form, want)
	}
	// Untag, own visibility and a known self ID: no verify_credentials.
	mux2 := http.NewServeMux()
	c2, _ := newScannedClient(newLoopbackServer(t, mux2), WithAccessToken(testToken))
	mux2.HandleFunc("/api/v1/statuses", func(w http.ResponseWriter, r *http.Request) {
		testForm(t, r, "status=%40bob%40x.example+ok&in_reply_to_id=7&spoiler_text=spoilers&visibility=direct")
		fmt.Fprintf(w, statusBodyJSON, "21")
	})
	boost := &Status{ID: "99", Reblog: to}
	if _, err := c2.Statuses.Reply(context.Background(), boost, &PostStatusParams{Status: "ok", Visibility: VisibilityDirect}, &ReplyOptions{Untag: true, SelfID: "1"}); err != nil {
		t.Fatal(err)
	}
	if _, err := c2.Statuses.Reply(context.Background(), nil, nil, nil); !errors.Is(err, ErrIllegalArgument) {
		t.Errorf("nil status: err = %v", err)
	}
}

// TestStatusesReplyTo: Reply takes what Post returned as
// well as a *Status; nil, a typed nil and a scheduled post are refused
// before anything is sent.
func TestStatusesReplyTo(t *testing.T) {
	c, mux, _ := setup(t)
	mux.HandleFunc("/api/v1/accounts/verify_credentials", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `{"id":"1","username":"me","acct":"me"}`)
	})
	var forms []string
	mux.HandleFunc("/api/v1/statuses", func(w http.ResponseWriter, r *http.Request) {
		testMethod(t, r, "POST")
		if r.Header.Get("Idempotency-Key") == "" {
			t.Error("reply sent without an Idempotency-Key")
		}
		b, _ := io.ReadAll(r.Body)
		forms = append(forms, string(b))
		fmt.Fprintf(w, statusBodyJSON, "21")
	})
	posted := &PostedStatus{Status: &Status{ID: "7", Visibility: VisibilityUnlisted, Account: Account{ID: "2", Acct: "bob"}}}
	got, err := c.Statuses.Reply(context.Background(), posted, &PostStatusParams{Status: "pong"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got.Status == nil || got.ID != "21" {
		t.Errorf("Reply returned %+v, want status 21", got)
	}
	if _, err := c.Statuses.Reply(context.Background(), posted.Status, &PostStatusParams{Status: "again"}, &ReplyOptions{SelfID: "1"}); err != nil {
		t.Fatal(err)
	}
	want := []string{
		"status=%40bob+pong&in_reply_to_id=7&visibility=unlisted",
		"status=%40bob+again&in_reply_to_id=7&visibility=unlisted",
	}
	if len(forms) != len(want) {
		t.Fatalf("sent %d posts, want %d: %q", len(forms), len(want), forms)
	}
	for i := range want {
		if canonQuery(t, forms[i]) != canonQuery(t, want[i]) {
			t.Errorf("post %d form = %s, want %s", i, forms[i], want[i])
		}
	}
	for name, ref := range map[string]StatusRef{
		"nil":           nil,
		"typed nil":     (*Status)(nil),
		"nil posted":    (*PostedStatus)(nil),
		"scheduled":     &PostedStatus{Scheduled: &ScheduledStatus{ID: "s1"}},
		"status, no ID": &Status{},
	} {
		_, err := c.Statuses.Reply(context.Background(), ref, &PostStatusParams{Status: "x"}, nil)
		if !errors.Is(err, ErrIllegalArgument) {
			t.Errorf("%s: err = %v, want ErrIllegalArgument", name, err)
		}
		if name == "scheduled" && (err == nil || !strings.Contains(err.Error(), "scheduled")) {
			t.Errorf("scheduled: err = %v, want it to say the post is scheduled", err)
		}
	}
	if len(forms) != 2 {
		t.Errorf("refused replies sent %d posts", len(forms)-2)
	}
}

func TestStatusesEdit(t *testing.T) {
	c, mux, _ := setup(t)
	mux.HandleFunc("/api/v1/statuses/5", func(w http.ResponseWriter, r *http.Request) {
		testMethod(t, r, "PUT")
		testJSONBody(t, r, `{"status":"fixed","spoiler_text":"","sensitive":true,"language":"de","media_ids":["m1","m2"],`+
			`"media_attributes":[{"id":"m1","description":"a dog","focus":"0.5,-0.25"},{"id":"m2","description":""}],"quote_approval_policy":"nobody"}`)
		fmt.Fprint(w, `{"id":"5","content":"<p>fixed</p>","edited_at":"2024-01-03T00:00:00.000Z"}`)
	})
	st, err := c.Statuses.Edit(context.Background(), "5", &EditStatusParams{Status: "fixed", Sensitive: true, Language: "de", MediaIDs: []string{"m1", "m2"},
		MediaAttributes:     []MediaAttribute{{ID: "m1", Description: Ptr("a dog"), Focus: &FocusPoint{0.5, -0.25}}, {ID: "m2", Description: Ptr("")}},
		QuoteApprovalPolicy: QuotePolicyNobody})
	if err != nil {
		t.Fatal(err)
	}
	if st.EditedAt == nil || st.Content != "<p>fixed</p>" {
		t.Errorf("decoded %+v", st)
	}
	for name, p := range map[string]*EditStatusParams{
		"nil":              nil,
		"empty":            {},
		"stray attributes": {Status: "x", MediaAttributes: []MediaAttribute{{ID: "m9"}}},
		"media+poll":       {MediaIDs: []string{"m"}, Poll: NewPoll(time.Hour, "a", "b")},
	} {
		if _, err := c.Statuses.Edit(context.Background(), "5", p); !errors.Is(err, ErrIllegalArgument) {
			t.Errorf("%s: err = %v", name, err)
		}
	}
}

func TestStatusesEditPoll(t *testing.T) {
	c, mux, _ := setup(t)
	mux.HandleFunc("/api/v1/statuses/5", func(w http.ResponseWriter, r *http.Request) {
		testJSONBody(t, r, `{"status":"q","spoiler_text":"cw","sensitive":false,"poll":{"options":["x","y","z"],"expires_in":86400,"multiple":false,"hide_totals":true}}`)
		fmt.Fprintf(w, statusBodyJSON, "5")
	})
	poll := NewPoll(24*time.Hour, "x", "y", "z")
	poll.HideTotals = true
	if _, err := c.Statuses.Edit(context.Background(), "5", &EditStatusParams{Status: "q", SpoilerText: "cw", Poll: poll}); err != nil {
		t.Fatal(err)
	}
}

func TestStatusesHistorySourceContext(t *testing.T) {
	c, mux, _ := setup(t)
	mux.HandleFunc("/api/v1/statuses/5/history", func(w http.ResponseWriter, r *http.Request) {
		testMethod(t, r, "GET")
		fmt.Fprint(w, `[{"content":"<p>a</p>","spoiler_text":"","sensitive":false,"created_at":"2024-01-01T00:00:00.000Z","account":{"id":"1"},"media_attachments":[],"emojis":[]},{"content":"<p>b</p>","created_at":"2024-01-02T00:00:00.000Z","account":{"id":"1"}}]`)
	})
	mux.HandleFunc("/api/v1/statuses/5/source", func(w http.ResponseWriter, r *http.Request) {
		testMethod(t, r, "GET")
		fmt.Fprint(w, `{"id":"5","text":"b","spoiler_text":"cw"}`)
	})
	mux.HandleFunc("/api/v1/statuses/5/context", func(w http.ResponseWriter, r *http.Request) {
		testMethod(t, r, "GET")
		fmt.Fprintf(w, `{"ancestors":[`+statusBodyJSON+`],"descendants":[`+statusBodyJSON+`,`+statusBodyJSON+`]}`, "1", "6", "7")
	})
	ctx := context.Background()
	h, err := c.Statuses.History(ctx, "5")
	if err != nil || len(h) != 2 || h[1].Content != "<p>b</p>" {
		t.Errorf("history %+v, %v", h, err)
	}
	src, err := c.Statuses.Source(ctx, "5")
	if err != nil || src.Text != "b" || src.SpoilerText != "cw" {
		t.Errorf("source %+v, %v", src, err)
	}
	cx, err := c.Statuses.Context(ctx, "5")
	if err != nil || len(cx.Ancestors) != 1 || len(cx.Descendants) != 2 || cx.Descendants[1].ID != "7" {
		t.Errorf("context %+v, %v", cx, err)
	}
	testErrorKinds(t, "/api/v1/statuses/{id}/context", func(c *Client, id string) error { _, err := c.Statuses.Context(ctx, id); return err })
}

func TestStatusesDelete(t *testing.T) {
	c, mux, _ := setup(t)
	mux.HandleFunc("/api/v1/statuses/5", func(w http.ResponseWriter, r *http.Request) {
		testMethod(t, r, "DELETE")
		testEmptyBody(t, r)
		if r.URL.RawQuery != "" {
			testQuery(t, r, "delete_media=true")
		}
		fmt.Fprint(w, `{"id":"5","text":"redraft me","content":null,"media_attachments":[]}`)
	})
	mux.HandleFunc("/api/v1/statuses/6", func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, `{}`) })
	st, err := c.Statuses.Delete(context.Background(), "5", nil)
	if err != nil || st.Text == nil || *st.Text != "redraft me" {
		t.Fatalf("%+v, %v", st, err)
	}
	if _, err := c.Statuses.Delete(context.Background(), "5", &DeleteStatusOptions{DeleteMedia: true}); err != nil {
		t.Fatal(err)
	}
	if st, err := c.Statuses.Delete(context.Background(), "6", nil); err != nil || st.ID != "" {
		t.Errorf("old server's {}: %+v, %v", st, err)
	}
	testErrorKinds(t, "/api/v1/statuses/{id}", func(c *Client, id string) error {
		_, err := c.Statuses.Delete(context.Background(), id, nil)
		return err
	})
}

func TestStatusesAccountPages(t *testing.T) {
	for _, tc := range []struct {
		path string
		list func(c *Client, o *ListOptions) (*Page[Account], error)
		all  func(c *Client) func(func(*Account, error) bool)
	}{
		{"/api/v1/statuses/5/reblogged_by",
			func(c *Client, o *ListOptions) (*Page[Account], error) {
				return c.Statuses.RebloggedBy(context.Background(), "5", o)
			},
			func(c *Client) func(func(*Account, error) bool) {
				return c.Statuses.RebloggedByAll(context.Background(), "5", nil)
			}},
		{"/api/v1/statuses/5/favourited_by",
			func(c *Client, o *ListOptions) (*Page[Account], error) {
				return c.Statuses.FavouritedBy(context.Background(), "5", o)
			},
			func(c *Client) func(func(*Account, error) bool) {
				return c.Statuses.FavouritedByAll(context.Background(), "5", nil)
			}},
	} {
		t.Run(tc.path, func(t *testing.T) {
			c, mux, _ := setup(t)
			mux.HandleFunc(tc.path, func(w http.ResponseWriter, r *http.Request) {
				testMethod(t, r, "GET")
				if r.URL.Query().Get("max_id") == "" {
					if r.URL.RawQuery != "" {
						testQuery(t, r, "limit=40")
					}
					w.Header().Set("Link", `<http://`+r.Host+tc.path+`?max_id=1>; rel="next"`)
					fmt.Fprintf(w, "["+accountJSON+"]", "2")
					return
				}
				fmt.Fprintf(w, "["+accountJSON+"]", "1")
			})
			p, err := tc.list(c, &ListOptions{Limit: 40})
			if err != nil || len(p.Items) != 1 || !p.HasNext() {
				t.Fatalf("%+v, %v", p, err)
			}
			var ids []string
			for a, err := range tc.all(c) {
				if err != nil {
					t.Fatal(err)
				}
				ids = append(ids, a.ID)
			}
			if strings.Join(ids, ",") != "2,1" {
				t.Errorf("iterated %v", ids)
			}
		})
	}
}

func TestStatusesQuotes(t *testing.T) {
	c, mux, _ := setup(t)
	mux.HandleFunc("/api/v1/statuses/5/quotes", func(w http.ResponseWriter, r *http.Request) {
		testMethod(t, r, "GET")
		testQuery(t, r, "limit=20")
		fmt.Fprintf(w, "["+statusBodyJSON+"]", "8")
	})
	mux.HandleFunc("/api/v1/statuses/5/quotes/8/revoke", func(w http.ResponseWriter, r *http.Request) {
		testMethod(t, r, "POST")
		testEmptyBody(t, r)
		fmt.Fprintf(w, statusBodyJSON, "8")
	})
	p, err := c.Statuses.Quotes(context.Background(), "5", &ListOptions{Limit: 20})
	if err != nil || len(p.Items) != 1 || p.Items[0].ID != "8" || p.HasNext() {
		t.Fatalf("%+v, %v", p, err)
	}
	n := 0
	for s, err := range c.Statuses.QuotesAll(context.Background(), "5", &ListOptions{Limit: 20}) {
		if err != nil || s.ID != "8" {
			t.Fatalf("%+v, %v", s, err)
		}
		n++
	}
	if n != 1 {
		t.Errorf("iterated %d", n)
	}
	st, err := c.Statuses.RevokeQuote(context.Background(), "5", "8")
	if err != nil || st.ID != "8" {
		t.Fatalf("%+v, %v", st, err)
	}
	if _, err := c.Statuses.RevokeQuote(context.Background(), "5", ""); !errors.Is(err, ErrIllegalArgument) {
		t.Errorf("empty quoting id: err = %v", err)
	}
}

func TestStatusesInteractionPolicy(t *testing.T) {
	c, mux, _ := setup(t)
	mux.HandleFunc("/api/v1/statuses/5/interaction_policy", func(w http.ResponseWriter, r *http.Request) {
		testMethod(t, r, "PUT")
		testForm(t, r, "quote_approval_policy=nobody")
		fmt.Fprint(w, `{"id":"5","quote_approval":{"automatic":[],"manual":[],"current_user":"automatic"}}`)
	})
	st, err := c.Statuses.UpdateInteractionPolicy(context.Background(), "5", QuotePolicyNobody)
	if err != nil || st.QuoteApproval == nil || st.QuoteApproval.CurrentUser != QuoteCurrentUserAutomatic {
		t.Fatalf("%+v, %v", st, err)
	}
	if _, err := c.Statuses.UpdateInteractionPolicy(context.Background(), "5", ""); !errors.Is(err, ErrIllegalArgument) {
		t.Errorf("empty policy: err = %v", err)
	}
}

func TestStatusesReblog(t *testing.T) {
	c, mux, _ := setup(t)
	mux.HandleFunc("/api/v1/statuses/5/reblog", func(w http.ResponseWriter, r *http.Request) {
		testMethod(t, r, "POST")
		if r.ContentLength > 0 {
			testForm(t, r, "visibility=private")
		}
		fmt.Fprintf(w, `{"id":"50","reblog":`+statusBodyJSON+`}`, "5")
	})
	st, err := c.Statuses.Reblog(context.Background(), "5", &ReblogParams{Visibility: VisibilityPrivate})
	if err != nil || st.ID != "50" || st.Reblog == nil || st.Reblog.ID != "5" {
		t.Fatalf("%+v, %v", st, err)
	}
	if _, err := c.Statuses.Reblog(context.Background(), "5", nil); err != nil {
		t.Fatal(err)
	}
	testErrorKinds(t, "/api/v1/statuses/{id}/reblog", func(c *Client, id string) error {
		_, err := c.Statuses.Reblog(context.Background(), id, nil)
		return err
	})
}

func TestStatusesActions(t *testing.T) {
	for _, action := range []string{"unreblog", "favourite", "unfavourite", "bookmark", "unbookmark", "mute", "unmute", "pin", "unpin"} {
		t.Run(action, func(t *testing.T) {
			c, mux, _ := setup(t)
			mux.HandleFunc("/api/v1/statuses/5/"+action, func(w http.ResponseWriter, r *http.Request) {
				testMethod(t, r, "POST")
				testQuery(t, r, "")
				testEmptyBody(t, r)
				testHeader(t, r, "Authorization", "Bearer "+testToken)
				fmt.Fprintf(w, statusBodyJSON, "5")
			})
			st, err := statusAction(c.Statuses, action)(context.Background(), "5")
			if err != nil || st.ID != "5" {
				t.Fatalf("%+v, %v", st, err)
			}
			testErrorKinds(t, "/api/v1/statuses/{id}/"+action, func(c *Client, id string) error {
				_, err := statusAction(c.Statuses, action)(context.Background(), id)
				return err
			})
		})
	}
}

func TestStatusesTranslate(t *testing.T) {
	c, mux, _ := setup(t)
	mux.HandleFunc("/api/v1/statuses/5/translate", func(w http.ResponseWriter, r *http.Request) {
		testMethod(t, r, "POST")
		if r.ContentLength > 0 {
			testForm(t, r, "lang=de")
		}
		fmt.Fprint(w, `{"content":"<p>Hallo</p>","spoiler_text":"","detected_source_language":"en","language":"de","provider":"DeepL.com","media_attachments":[],"poll":null}`)
	})
	tr, err := c.Statuses.Translate(context.Background(), "5", &TranslateOptions{Lang: "de"})
	if err != nil || tr.Content != "<p>Hallo</p>" || tr.DetectedSourceLanguage != "en" || tr.Provider != "DeepL.com" {
		t.Fatalf("%+v, %v", tr, err)
	}
	if _, err := c.Statuses.Translate(context.Background(), "5", nil); err != nil {
		t.Fatal(err)
	}
	testErrorKinds(t, "/api/v1/statuses/{id}/translate", func(c *Client, id string) error {
		_, err := c.Statuses.Translate(context.Background(), id, &TranslateOptions{Lang: "de"})
		return err
	})
}

func TestStatusesCard(t *testing.T) {
	c, mux, _ := setup(t)
	mux.HandleFunc("/api/v1/statuses/5/card", func(w http.ResponseWriter, r *http.Request) {
		testMethod(t, r, "GET")
		fmt.Fprint(w, `{"url":"http://example.org/","title":"Example Domain","description":"","type":"link","image":null}`)
	})
	mux.HandleFunc("/api/v1/statuses/6/card", func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, `{}`) })
	mux.HandleFunc("/api/v1/statuses/7/card", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusNotFound)
		fmt.Fprint(w, `{"error":"Not Found"}`)
	})
	mux.HandleFunc("/api/v1/statuses/7", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `{"id":"7","card":{"url":"https://new.example/","title":"New","type":"link"}}`)
	})
	mux.HandleFunc("/api/v1/statuses/8/card", func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, `{"url":`) })
	ctx := context.Background()
	card, err := c.Statuses.Card(ctx, "5")
	if err != nil || card == nil || card.Title != "Example Domain" || card.Type != CardLink {
		t.Errorf("card %+v, %v", card, err)
	}
	if card, err := c.Statuses.Card(ctx, "6"); err != nil || card != nil {
		t.Errorf("no card: %+v, %v", card, err)
	}
	if card, err := c.Statuses.Card(ctx, "7"); err != nil || card == nil || card.Title != "New" {
		t.Errorf("fallback: %+v, %v", card, err)
	}
	if _, err := c.Statuses.Card(ctx, "8"); !errors.Is(err, ErrDecode) {
		t.Errorf("truncated: err = %v", err)
	}
	if _, err := c.Statuses.Card(ctx, "9"); !errors.Is(err, ErrNotFound) {
		t.Errorf("missing status: err = %v", err)
	}
}

func TestPostedStatusDecode(t *testing.T) {
	for _, tc := range []struct {
		in        string
		scheduled bool
		ok        bool
	}{
		{`{"id":"1","content":"x"}`, false, true},
		{`{"id":"1","scheduled_at":"2030-01-01T00:00:00Z","params":{"text":"x"}}`, true, true},
		{`{"id":"1","scheduled_at":null,"content":"x","params":{}}`, false, true},
		{`[]`, false, false},
		{`{"id":`, false, false},
	} {
		var p PostedStatus
		err := json.Unmarshal([]byte(tc.in), &p)
		if (err == nil) != tc.ok || (err == nil && p.IsScheduled() != tc.scheduled) {
			t.Errorf("%s: scheduled=%v err=%v", tc.in, p.IsScheduled(), err)
		}
	}
}

func FuzzPostedStatus(f *testing.F) {
	for _, s := range []string{`{"id":"1","content":"x"}`, `{"id":"3","scheduled_at":"2030-01-02T03:04:05.000Z","params":{"text":"later"}}`, `{}`, `null`, `{"params":5,"scheduled_at":1}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var p PostedStatus
		if err := json.Unmarshal(b, &p); err == nil && p.Status == nil && p.Scheduled == nil && string(b) != "null" {
			t.Errorf("decoded %q into nothing", b)
		}
	})
}

func FuzzOptionalCard(f *testing.F) {
	for _, s := range []string{`{}`, `null`, `{ }`, `{"url":"http://example.org/","title":"t","type":"link","image":null}`, `{"url":`, `[]`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var oc optionalCard
		err := json.Unmarshal(b, &oc)
		if (err == nil) != json.Valid(b) {
			t.Fatalf("%q: err %v, valid %v", b, err, json.Valid(b))
		}
		if err != nil {
			return
		}
		// Mastodon sends null or {} for "no card"; anything else is one.
		var v any
		dec := json.NewDecoder(bytes.NewReader(b))
		dec.UseNumber() // 1E1000 is valid JSON, but no float64
		if err := dec.Decode(&v); err != nil {
			t.Fatal(err)
		}
		m, isObject := v.(map[string]any)
		if none := v == nil || isObject && len(m) == 0 && !bytes.Contains(b, []byte(`"`)); none != (oc.card == nil) {
			t.Fatalf("%q: card %v", b, oc.card)
		}
	})
}

// TestStatusesPostAndEditKeepParams: the params structs are encoded as
// they are (form and JSON from the same tags) and never changed.
func TestStatusesPostAndEditKeepParams(t *testing.T) {
	c, mux, _ := setup(t)
	mux.HandleFunc("/api/v1/statuses", func(w http.ResponseWriter, r *http.Request) {
		testJSONBody(t, r, `{"status":"when?","sensitive":false,"visibility":"private","scheduled_at":"2030-01-02T03:04:05.000006+00:00",`+
			`"poll":{"options":["now","later"],"expires_in":3600,"multiple":false,"hide_totals":true}}`)
		fmt.Fprint(w, `{"id":"3","scheduled_at":"2030-01-02T03:04:05.000Z","params":{"text":"when?"},"media_attachments":[]}`)
	})
	mux.HandleFunc("/api/v1/statuses/9", func(w http.ResponseWriter, r *http.Request) {
		testMethod(t, r, "PUT")
		testJSONBody(t, r, `{"status":"","spoiler_text":"","sensitive":false,"media_ids":["m1"],"media_attributes":[{"id":"m1","description":"","focus":"0.5,-1"}]}`)
		fmt.Fprint(w, `{"id":"9"}`)
	})
	at := time.Date(2030, 1, 2, 4, 4, 5, 6789, time.FixedZone("CET", 3600))
	p := &PostStatusParams{Status: "when?", Sensitive: Ptr(false), Visibility: VisibilityPrivate, ScheduledAt: at,
		Poll: &PollParams{Options: []string{"now", "later"}, ExpiresIn: time.Hour + 999*time.Millisecond, HideTotals: true}}
	snapshot := func() string { return fmt.Sprintf("%+v %+v %v %p", *p, *p.Poll, *p.Sensitive, p.Poll) }
	before := snapshot()
	if _, err := c.Statuses.Post(context.Background(), p); err != nil {
		t.Fatal(err)
	}
	if after := snapshot(); after != before {
		t.Errorf("Post changed its params:\n%s\n%s", before, after)
	}
	e := &EditStatusParams{MediaIDs: []string{"m1"}, MediaAttributes: []MediaAttribute{{ID: "m1", Description: Ptr(""), Focus: &FocusPoint{X: 0.5, Y: -1}}}}
	before = fmt.Sprintf("%+v %+v %+v", *e, *e.MediaAttributes[0].Description, *e.MediaAttributes[0].Focus)
	if _, err := c.Statuses.Edit(context.Background(), "9", e); err != nil {
		t.Fatal(err)
	}
	if after := fmt.Sprintf("%+v %+v %+v", *e, *e.MediaAttributes[0].Description, *e.MediaAttributes[0].Focus); after != before {
		t.Errorf("Edit changed its params:\n%s\n%s", before, after)
	}
	e.MediaAttributes[0].Focus = &FocusPoint{X: 2}
	if _, err := c.Statuses.Edit(context.Background(), "9", e); !errors.Is(err, ErrIllegalArgument) {
		t.Errorf("focus out of range: %v", err)
	}
}

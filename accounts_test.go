package mastodon

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/tuskgo/mastodon/internal/corpus"
)

func accountsReplay(cases *replayTable) {
	cases.add("GET /api/v1/accounts/verify_credentials", func(ctx context.Context, c *Client, it *corpus.Interaction) error {
		_, err := c.Accounts.VerifyCredentials(ctx)
		return err
	})
	cases.add("GET /api/v1/accounts/{id}", func(ctx context.Context, c *Client, it *corpus.Interaction) error {
		_, err := c.Accounts.Get(ctx, it.PathParam("id"))
		return err
	})
	cases.add("GET /api/v1/accounts", func(ctx context.Context, c *Client, it *corpus.Interaction) error {
		_, err := c.Accounts.GetMany(ctx, it.Request.Query["id[]"])
		return err
	})
	cases.add("GET /api/v1/accounts/lookup", func(ctx context.Context, c *Client, it *corpus.Interaction) error {
		_, err := c.Accounts.Lookup(ctx, rquery(it, "acct"))
		return err
	})
	cases.add("GET /api/v1/accounts/relationships", func(ctx context.Context, c *Client, it *corpus.Interaction) error {
		ids := append(append([]string(nil), it.Request.Query["id"]...), it.Request.Query["id[]"]...)
		var o *RelationshipsOptions
		if b := rbool(rquery(it, "with_suspended")); b != nil {
			o = &RelationshipsOptions{WithSuspended: *b}
		}
		_, err := c.Accounts.Relationships(ctx, ids, o)
		return err
	})
	cases.add("GET /api/v1/accounts/{id}/followers", func(ctx context.Context, c *Client, it *corpus.Interaction) error {
		_, err := c.Accounts.Followers(ctx, it.PathParam("id"), recordedListOptions(it))
		return err
	})
	cases.add("GET /api/v1/accounts/{id}/following", func(ctx context.Context, c *Client, it *corpus.Interaction) error {
		_, err := c.Accounts.Following(ctx, it.PathParam("id"), recordedListOptions(it))
		return err
	})
	cases.add("GET /api/v1/accounts/{id}/statuses", func(ctx context.Context, c *Client, it *corpus.Interaction) error {
		o := &AccountStatusesOptions{Tagged: rquery(it, "tagged")}
		recordedPaging(it, &o.MaxID, &o.MinID, &o.SinceID, &o.Limit)
		o.OnlyMedia = rbool(rquery(it, "only_media")) != nil && *rbool(rquery(it, "only_media"))
		o.Pinned = rbool(rquery(it, "pinned")) != nil && *rbool(rquery(it, "pinned"))
		o.ExcludeReplies = rbool(rquery(it, "exclude_replies")) != nil && *rbool(rquery(it, "exclude_replies"))
		o.ExcludeReblogs = rbool(rquery(it, "exclude_reblogs")) != nil && *rbool(rquery(it, "exclude_reblogs"))
		_, err := c.Accounts.Statuses(ctx, it.PathParam("id"), o)
		return err
	})
	cases.add("PATCH /api/v1/accounts/update_credentials", func(ctx context.Context, c *Client, it *corpus.Interaction) error {
		p := &UpdateCredentialsParams{}
		if v, ok := it.Request.Body.Form["display_name"]; ok {
			p.DisplayName = &v[0]
		}
		if v, ok := it.Request.Body.Form["note"]; ok {
			p.Note = &v[0]
		}
		p.Locked = rbool(rform(it, "locked"))
		p.Bot = rbool(rform(it, "bot"))
		p.Discoverable = rbool(rform(it, "discoverable"))
		p.Indexable = rbool(rform(it, "indexable"))
		p.HideCollections = rbool(rform(it, "hide_collections"))
		for i := 0; ; i++ {
			k := fmt.Sprintf("fields_attributes[%d]", i)
			if _, ok := it.Request.Body.Form[k+"[name]"]; !ok {
				break
			}
			p.Fields = append(p.Fields, ProfileField{Name: rform(it, k+"[name]"), Value: rform(it, k+"[value]")})
		}
		src := CredentialSource{Privacy: StatusVisibility(rform(it, "source[privacy]")), Sensitive: rbool(rform(it, "source[sensitive]")),
			Language: rform(it, "source[language]"), QuotePolicy: QuotePolicy(rform(it, "source[quote_policy]"))}
		if src != (CredentialSource{}) {
			p.Source = &src
		}
		_, err := c.Accounts.UpdateCredentials(ctx, p)
		return err
	})
	cases.add("POST /api/v1/accounts", func(ctx context.Context, c *Client, it *corpus.Interaction) error {
		_, err := c.Accounts.Register(ctx, &RegisterParams{Username: rform(it, "username"), Email: rform(it, "email"), Password: rform(it, "password"),
			Locale: rform(it, "locale"), Reason: rform(it, "reason"), DateOfBirth: rform(it, "date_of_birth"),
			Agreement: rbool(rform(it, "agreement")) != nil && *rbool(rform(it, "agreement"))})
		return err
	})
	cases.add("POST /api/v1/accounts/{id}/follow", func(ctx context.Context, c *Client, it *corpus.Interaction) error {
		_, err := c.Accounts.Follow(ctx, it.PathParam("id"), &FollowParams{Reblogs: rbool(rform(it, "reblogs")), Notify: rbool(rform(it, "notify")),
			Languages: rforms(it, "languages[]")})
		return err
	})
	cases.add("POST /api/v1/accounts/{id}/note", func(ctx context.Context, c *Client, it *corpus.Interaction) error {
		_, err := c.Accounts.SetNote(ctx, it.PathParam("id"), rform(it, "comment"))
		return err
	})
	for path, f := range map[string]func(*AccountsService) func(context.Context, string, ...CallOption) (*Relationship, error){
		"block": func(s *AccountsService) func(context.Context, string, ...CallOption) (*Relationship, error) {
			return s.Block
		},
		"unblock": func(s *AccountsService) func(context.Context, string, ...CallOption) (*Relationship, error) {
			return s.Unblock
		},
		"unfollow": func(s *AccountsService) func(context.Context, string, ...CallOption) (*Relationship, error) {
			return s.Unfollow
		},
		"remove_from_followers": func(s *AccountsService) func(context.Context, string, ...CallOption) (*Relationship, error) {
			return s.RemoveFromFollowers
		},
		"pin": func(s *AccountsService) func(context.Context, string, ...CallOption) (*Relationship, error) {
			return s.Pin
		},
		"unpin": func(s *AccountsService) func(context.Context, string, ...CallOption) (*Relationship, error) {
			return s.Unpin
		},
		"unmute": func(s *AccountsService) func(context.Context, string, ...CallOption) (*Relationship, error) {
			return s.Unmute
		},
		"endorse": func(s *AccountsService) func(context.Context, string, ...CallOption) (*Relationship, error) {
			return s.Endorse
		},
		"unendorse": func(s *AccountsService) func(context.Context, string, ...CallOption) (*Relationship, error) {
			return s.Unendorse
		},
	} {
		cases.add("POST /api/v1/accounts/{id}/"+path, func(ctx context.Context, c *Client, it *corpus.Interaction) error {
			_, err := f(c.Accounts)(ctx, it.PathParam("id"))
			return err
		})
	}
	cases.add("POST /api/v1/accounts/{id}/mute", func(ctx context.Context, c *Client, it *corpus.Interaction) error {
		p := &MuteParams{Notifications: rbool(rform(it, "notifications"))}
		if d := rform(it, "duration"); d != "" {
			var n int64
			fmt.Sscan(d, &n)
			p.Duration = time.Duration(n) * time.Second
		}
		_, err := c.Accounts.Mute(ctx, it.PathParam("id"), p)
		return err
	})
	cases.add("POST /api/v1/emails/confirmations", func(ctx context.Context, c *Client, it *corpus.Interaction) error {
		return c.Emails.ResendConfirmation(ctx, rform(it, "email"))
	})
}

// recordedListOptions reads the paging parameters of a recording.
func recordedListOptions(it *corpus.Interaction) *ListOptions {
	o := &ListOptions{}
	recordedPaging(it, &o.MaxID, &o.MinID, &o.SinceID, &o.Limit)
	return o
}

// recordedPaging sets the paging fields of an options struct from a
// recording.
func recordedPaging(it *corpus.Interaction, maxID, minID, sinceID *string, limit *int) {
	*maxID, *minID, *sinceID = rquery(it, "max_id"), rquery(it, "min_id"), rquery(it, "since_id")
	*limit, _ = strconv.Atoi(rquery(it, "limit"))
}

// testEmptyBody checks a request carries no body.
func testEmptyBody(t *testing.T, r *http.Request) {
	t.Helper()
	b, _ := io.ReadAll(r.Body)
	if len(b) != 0 {
		t.Errorf("body = %q, want none", b)
	}
}

// testJSONBody checks a JSON request body against want (compared as
// decoded JSON).
func testJSONBody(t *testing.T, r *http.Request, want string) {
	t.Helper()
	if ct := r.Header.Get("Content-Type"); ct != "application/json" {
		t.Errorf("Content-Type = %q, want application/json", ct)
	}
	b, _ := io.ReadAll(r.Body)
	var got, w any
	if err := unmarshalJSON(b, &got); err != nil {
		t.Fatalf("body %q: %v", b, err)
	}
	if err := unmarshalJSON([]byte(want), &w); err != nil {
		t.Fatalf("want %q: %v", want, err)
	}
	if !jsonEqualLoose(got, w) {
		t.Errorf("JSON body = %s, want %s", b, want)
	}
}

// multipartBody is a parsed multipart/form-data request.
type multipartBody struct {
	fields url.Values
	files  map[string]multipartFile
}

type multipartFile struct {
	name, contentType string
	data              []byte
}

func readMultipart(t *testing.T, r *http.Request) multipartBody {
	t.Helper()
	mt, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mt != "multipart/form-data" {
		t.Fatalf("Content-Type = %q, want multipart/form-data", r.Header.Get("Content-Type"))
	}
	mb := multipartBody{fields: url.Values{}, files: map[string]multipartFile{}}
	mr := multipart.NewReader(r.Body, params["boundary"])
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(p)
		if p.FileName() != "" {
			mb.files[p.FormName()] = multipartFile{p.FileName(), p.Header.Get("Content-Type"), b}
		} else {
			mb.fields.Add(p.FormName(), string(b))
		}
	}
	return mb
}

// testErrorKinds checks a call maps 404 and 422 answers to their kinds
// and refuses an empty ID before sending anything.
func testErrorKinds(t *testing.T, path string, f func(c *Client, id string) error) {
	t.Helper()
	c, mux, _ := setup(t)
	n := 0
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		n++
		// Paths with an id say which answer they want; others get 404
		// first, then 422.
		switch {
		case strings.Contains(r.URL.Path, "/404"), !strings.Contains(path, "{") && n == 1:
			w.WriteHeader(http.StatusNotFound)
			fmt.Fprint(w, `{"error":"Record not found"}`)
		case strings.Contains(r.URL.Path, "/422"), !strings.Contains(path, "{") && n == 2:
			w.WriteHeader(http.StatusUnprocessableEntity)
			fmt.Fprint(w, `{"error":"Validation failed"}`)
		default:
			t.Errorf("unexpected request %s %s", r.Method, r.URL)
		}
	})
	if err := f(c, "404"); !errors.Is(err, ErrNotFound) {
		t.Errorf("404: err = %v, want ErrNotFound", err)
	}
	err := f(c, "422")
	var ae *APIError
	if !errors.Is(err, ErrUnprocessable) || !errors.As(err, &ae) || ae.Code != "Validation failed" {
		t.Errorf("422: err = %v, want ErrUnprocessable with the server's message", err)
	}
	if strings.Contains(path, "{") {
		if err := f(c, ""); !errors.Is(err, ErrIllegalArgument) {
			t.Errorf("empty id: err = %v, want ErrIllegalArgument", err)
		}
	}
}

const accountJSON = `{"id":"%s","username":"alice","acct":"alice","display_name":"Alice","locked":false,"bot":false,"created_at":"2024-01-02T03:04:05.000Z","note":"","url":"https://example.social/@alice","avatar":"","avatar_static":"","header":"","header_static":"","followers_count":3,"following_count":4,"statuses_count":5,"emojis":[],"fields":[]}`

const relationshipJSON = `{"id":"%s","following":true,"showing_reblogs":true,"notifying":false,"followed_by":false,"blocking":false,"blocked_by":false,"muting":false,"muting_notifications":false,"requested":false,"domain_blocking":false,"endorsed":false,"note":"n"}`

func TestAccountsVerifyCredentials(t *testing.T) {
	c, mux, _ := setup(t)
	mux.HandleFunc("/api/v1/accounts/verify_credentials", func(w http.ResponseWriter, r *http.Request) {
		testMethod(t, r, "GET")
		testQuery(t, r, "")
		testHeader(t, r, "Authorization", "Bearer "+testToken)
		fmt.Fprint(w, `{"id":"14715","username":"trwnh","acct":"trwnh","display_name":"infinite love ⴳ","locked":false,"bot":false,"source":{"privacy":"public","sensitive":false,"language":"","note":"hi","fields":[]},"followers_count":821}`)
	})
	me, err := c.Accounts.VerifyCredentials(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if me.ID != "14715" || me.Username != "trwnh" || me.FollowersCount != 821 || me.Source.Note != "hi" || me.Source.Privacy != VisibilityPublic {
		t.Errorf("decoded %+v", me)
	}
}

func TestAccountsGet(t *testing.T) {
	c, mux, _ := setup(t)
	mux.HandleFunc("/api/v1/accounts/42", func(w http.ResponseWriter, r *http.Request) {
		testMethod(t, r, "GET")
		testQuery(t, r, "")
		testEmptyBody(t, r)
		testHeader(t, r, "Authorization", "Bearer "+testToken)
		fmt.Fprintf(w, accountJSON, "42")
	})
	a, err := c.Accounts.Get(context.Background(), "42")
	if err != nil {
		t.Fatal(err)
	}
	if a.ID != "42" || a.Username != "alice" || a.StatusesCount != 5 || a.CreatedAt.Year() != 2024 {
		t.Errorf("decoded %+v", a)
	}
	testErrorKinds(t, "/api/v1/accounts/{id}", func(c *Client, id string) error { _, err := c.Accounts.Get(context.Background(), id); return err })
}

func TestAccountsGetEscapesID(t *testing.T) {
	c, mux, _ := setup(t)
	mux.HandleFunc("/api/v1/accounts/", func(w http.ResponseWriter, r *http.Request) {
		if r.URL.EscapedPath() != "/api/v1/accounts/a%2Fb" {
			t.Errorf("path = %s, want the id escaped", r.URL.EscapedPath())
		}
		fmt.Fprintf(w, accountJSON, "a/b")
	})
	if _, err := c.Accounts.Get(context.Background(), "a/b"); err != nil {
		t.Fatal(err)
	}
}

func TestAccountsGetMany(t *testing.T) {
	c, mux, _ := setup(t)
	mux.HandleFunc("/api/v1/accounts", func(w http.ResponseWriter, r *http.Request) {
		testMethod(t, r, "GET")
		testQuery(t, r, "id[]=1&id[]=2")
		fmt.Fprintf(w, "["+accountJSON+","+accountJSON+"]", "1", "2")
	})
	as, err := c.Accounts.GetMany(context.Background(), []string{"1", "2"})
	if err != nil {
		t.Fatal(err)
	}
	if len(as) != 2 || as[0].ID != "1" || as[1].ID != "2" {
		t.Errorf("decoded %+v", as)
	}
	for _, bad := range [][]string{nil, {}, {"1", ""}} {
		if _, err := c.Accounts.GetMany(context.Background(), bad); !errors.Is(err, ErrIllegalArgument) {
			t.Errorf("GetMany(%q): err = %v, want ErrIllegalArgument", bad, err)
		}
	}
}

func TestAccountsUpdateCredentialsForm(t *testing.T) {
	c, mux, _ := setup(t)
	mux.HandleFunc("/api/v1/accounts/update_credentials", func(w http.ResponseWriter, r *http.Request) {
		testMethod(t, r, "PATCH")
		testForm(t, r, "display_name=Bot+Alice&note=&locked=false&bot=true&indexable=true&hide_collections=false"+
			"&attribution_domains[]=a.example&attribution_domains[]=b.example"+
			"&fields_attributes[0][name]=web&fields_attributes[0][value]=https://a.example&fields_attributes[1][name]=&fields_attributes[1][value]="+
			"&source[privacy]=unlisted&source[sensitive]=false&source[language]=de&source[quote_policy]=followers")
		fmt.Fprint(w, `{"id":"1","username":"alice","display_name":"Bot Alice","bot":true,"source":{"privacy":"unlisted","sensitive":false,"language":"de","note":"","fields":[]}}`)
	})
	p := &UpdateCredentialsParams{
		DisplayName: Ptr("Bot Alice"), Note: Ptr(""), Locked: Ptr(false), Bot: Ptr(true), Indexable: Ptr(true), HideCollections: Ptr(false),
		AttributionDomains: []string{"a.example", "b.example"},
		Fields:             ProfileFields{{"web", "https://a.example"}, {}},
		Source:             &CredentialSource{Privacy: VisibilityUnlisted, Sensitive: Ptr(false), Language: "de", QuotePolicy: QuotePolicyFollowers},
	}
	before := fmt.Sprintf("%+v", *p)
	me, err := c.Accounts.UpdateCredentials(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	if me.DisplayName != "Bot Alice" || !me.Bot || me.Source.Language == nil || *me.Source.Language != "de" {
		t.Errorf("decoded %+v", me)
	}
	if after := fmt.Sprintf("%+v", *p); after != before {
		t.Errorf("params changed:\n%s\n%s", before, after)
	}
}

func TestAccountsUpdateCredentialsMultipart(t *testing.T) {
	c, mux, _ := setup(t)
	png := append([]byte("\x89PNG\r\n\x1a\n"), bytes.Repeat([]byte{1}, 100)...)
	mux.HandleFunc("/api/v1/accounts/update_credentials", func(w http.ResponseWriter, r *http.Request) {
		testMethod(t, r, "PATCH")
		mb := readMultipart(t, r)
		if got := mb.fields.Encode(); got != "avatar_description=a+cat&note=hello" {
			t.Errorf("fields = %s", got)
		}
		av, ok := mb.files["avatar"]
		if !ok || av.name != "me.png" || av.contentType != "image/png" || !bytes.Equal(av.data, png) {
			t.Errorf("avatar = %+v", av)
		}
		hd, ok := mb.files["header"]
		if !ok || hd.name != "h.jpg" || hd.contentType != "image/jpeg" || string(hd.data) != "jpegdata" {
			t.Errorf("header = %+v", hd)
		}
		fmt.Fprint(w, `{"id":"1","username":"alice","avatar":"https://x/a.png","source":{"privacy":"public","note":"hello","fields":[]}}`)
	})
	hdr := FileFromBytes("h.jpg", []byte("jpegdata"))
	hdr.ContentType = "image/jpeg"
	av := FileFromBytes("me.png", png)
	me, err := c.Accounts.UpdateCredentials(context.Background(), &UpdateCredentialsParams{
		Note: Ptr("hello"), Avatar: &av, AvatarDescription: Ptr("a cat"), Header: &hdr,
	})
	if err != nil {
		t.Fatal(err)
	}
	if me.Avatar != "https://x/a.png" {
		t.Errorf("decoded %+v", me)
	}
	if _, err := c.Accounts.UpdateCredentials(context.Background(), &UpdateCredentialsParams{Avatar: &File{Name: "x"}}); !errors.Is(err, ErrIllegalArgument) {
		t.Errorf("file without reader: err = %v", err)
	}
}

func TestAccountsUpdateCredentials422(t *testing.T) {
	c, mux, _ := setup(t)
	mux.HandleFunc("/api/v1/accounts/update_credentials", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusUnprocessableEntity)
		fmt.Fprint(w, `{"error":"Validation failed: Fields size is too long","details":{"fields":[{"error":"ERR_TOO_LONG","description":"is too long"}]}}`)
	})
	_, err := c.Accounts.UpdateCredentials(context.Background(), &UpdateCredentialsParams{Fields: ProfileFields{{"a", "1"}, {"b", "2"}, {"c", "3"}, {"d", "4"}, {"e", "5"}}})
	var ae *APIError
	if !errors.Is(err, ErrUnprocessable) || !errors.As(err, &ae) || len(ae.Details["fields"]) != 1 || ae.Details["fields"][0].Error != "ERR_TOO_LONG" {
		t.Errorf("err = %v, want a 422 with details", err)
	}
}

func TestAccountsStatuses(t *testing.T) {
	c, mux, _ := setup(t)
	mux.HandleFunc("/api/v1/accounts/7/statuses", func(w http.ResponseWriter, r *http.Request) {
		testMethod(t, r, "GET")
		if r.URL.Query().Get("max_id") == "" {
			testQuery(t, r, "limit=2&only_media=true&pinned=true&exclude_replies=true&exclude_reblogs=true&tagged=cats")
			w.Header().Set("Link", `<`+"http://"+r.Host+`/api/v1/accounts/7/statuses?limit=2&tagged=cats&max_id=10>; rel="next", <http://`+r.Host+`/api/v1/accounts/7/statuses?min_id=12>; rel="prev"`)
			fmt.Fprint(w, `[{"id":"12","content":"a"},{"id":"11","content":"b"}]`)
			return
		}
		testQuery(t, r, "limit=2&tagged=cats&max_id=10")
		fmt.Fprint(w, `[{"id":"10","content":"c"}]`)
	})
	o := &AccountStatusesOptions{Limit: 2, OnlyMedia: true, Pinned: true, ExcludeReplies: true, ExcludeReblogs: true, Tagged: "cats"}
	p, err := c.Accounts.Statuses(context.Background(), "7", o)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Items) != 2 || p.Items[0].ID != "12" || !p.HasNext() || !p.HasPrev() {
		t.Fatalf("page = %+v", p)
	}
	var ids []string
	for s, err := range c.Accounts.StatusesAll(context.Background(), "7", o) {
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, s.ID)
	}
	if strings.Join(ids, ",") != "12,11,10" {
		t.Errorf("iterated %v", ids)
	}
	testErrorKinds(t, "/api/v1/accounts/{id}/statuses", func(c *Client, id string) error {
		_, err := c.Accounts.Statuses(context.Background(), id, nil)
		return err
	})
}

func TestAccountsAccountLists(t *testing.T) {
	for _, tc := range []struct {
		path string
		list func(c *Client, o *ListOptions) (*Page[Account], error)
		all  func(c *Client) func(func(*Account, error) bool)
	}{
		{"/api/v1/accounts/9/followers",
			func(c *Client, o *ListOptions) (*Page[Account], error) {
				return c.Accounts.Followers(context.Background(), "9", o)
			},
			func(c *Client) func(func(*Account, error) bool) {
				return c.Accounts.FollowersAll(context.Background(), "9", nil)
			}},
		{"/api/v1/accounts/9/following",
			func(c *Client, o *ListOptions) (*Page[Account], error) {
				return c.Accounts.Following(context.Background(), "9", o)
			},
			func(c *Client) func(func(*Account, error) bool) {
				return c.Accounts.FollowingAll(context.Background(), "9", nil)
			}},
		{"/api/v1/accounts/9/endorsements",
			func(c *Client, o *ListOptions) (*Page[Account], error) {
				return c.Accounts.Endorsements(context.Background(), "9", o)
			},
			func(c *Client) func(func(*Account, error) bool) {
				return c.Accounts.EndorsementsAll(context.Background(), "9", nil)
			}},
		{"/api/v1/follow_requests",
			func(c *Client, o *ListOptions) (*Page[Account], error) {
				return c.FollowRequests.List(context.Background(), o)
			},
			func(c *Client) func(func(*Account, error) bool) {
				return c.FollowRequests.ListAll(context.Background(), nil)
			}},
		{"/api/v1/blocks",
			func(c *Client, o *ListOptions) (*Page[Account], error) { return c.Blocks.List(context.Background(), o) },
			func(c *Client) func(func(*Account, error) bool) { return c.Blocks.ListAll(context.Background(), nil) }},
		{"/api/v1/endorsements",
			func(c *Client, o *ListOptions) (*Page[Account], error) {
				return c.Endorsements.List(context.Background(), o)
			},
			func(c *Client) func(func(*Account, error) bool) {
				return c.Endorsements.ListAll(context.Background(), nil)
			}},
	} {
		t.Run(tc.path, func(t *testing.T) {
			c, mux, _ := setup(t)
			mux.HandleFunc(tc.path, func(w http.ResponseWriter, r *http.Request) {
				testMethod(t, r, "GET")
				testHeader(t, r, "Authorization", "Bearer "+testToken)
				switch r.URL.Query().Get("max_id") {
				case "":
					if r.URL.RawQuery != "" {
						testQuery(t, r, "limit=1&since_id=5&min_id=6")
					}
					w.Header().Set("Link", `<http://`+r.Host+tc.path+`?max_id=2>; rel="next"`)
					fmt.Fprintf(w, "["+accountJSON+"]", "3")
				case "2":
					fmt.Fprintf(w, "["+accountJSON+"]", "2")
				default:
					t.Errorf("query %s", r.URL.RawQuery)
				}
			})
			p, err := tc.list(c, &ListOptions{Limit: 1, SinceID: "5", MinID: "6"})
			if err != nil {
				t.Fatal(err)
			}
			if len(p.Items) != 1 || p.Items[0].ID != "3" || !p.HasNext() {
				t.Fatalf("page %+v", p)
			}
			var ids []string
			for a, err := range tc.all(c) {
				if err != nil {
					t.Fatal(err)
				}
				ids = append(ids, a.ID)
			}
			if strings.Join(ids, ",") != "3,2" {
				t.Errorf("iterated %v", ids)
			}
		})
	}
}

func TestAccountsRelationships(t *testing.T) {
	c, mux, _ := setup(t)
	mux.HandleFunc("/api/v1/accounts/relationships", func(w http.ResponseWriter, r *http.Request) {
		testMethod(t, r, "GET")
		switch len(r.URL.Query()["id[]"]) {
		case 0:
			testQuery(t, r, "id=1")
			fmt.Fprintf(w, "["+relationshipJSON+"]", "1")
		default:
			testQuery(t, r, "id[]=1&id[]=2&with_suspended=true")
			fmt.Fprintf(w, "["+relationshipJSON+","+relationshipJSON+"]", "1", "2")
		}
	})
	rs, err := c.Accounts.Relationships(context.Background(), []string{"1"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(rs) != 1 || rs[0].ID != "1" || !rs[0].Following || rs[0].Note != "n" {
		t.Errorf("decoded %+v", rs)
	}
	rs, err = c.Accounts.Relationships(context.Background(), []string{"1", "2"}, &RelationshipsOptions{WithSuspended: true})
	if err != nil || len(rs) != 2 || rs[1].ID != "2" {
		t.Errorf("decoded %+v, %v", rs, err)
	}
	if _, err := c.Accounts.Relationships(context.Background(), nil, nil); !errors.Is(err, ErrIllegalArgument) {
		t.Errorf("no ids: err = %v", err)
	}
}

func TestAccountsSearch(t *testing.T) {
	c, mux, _ := setup(t)
	mux.HandleFunc("/api/v1/accounts/search", func(w http.ResponseWriter, r *http.Request) {
		testMethod(t, r, "GET")
		switch r.URL.Query().Get("offset") {
		case "":
			testQuery(t, r, "q=ali&limit=2&resolve=true&following=true")
			fmt.Fprintf(w, "["+accountJSON+","+accountJSON+"]", "1", "2")
		case "2":
			testQuery(t, r, "q=ali&limit=2&offset=2&resolve=true&following=true")
			fmt.Fprintf(w, "["+accountJSON+"]", "3")
		case "3":
			fmt.Fprint(w, "[]")
		default:
			t.Errorf("query %s", r.URL.RawQuery)
			fmt.Fprint(w, "[]")
		}
	})
	o := &AccountSearchOptions{Limit: 2, Resolve: true, Following: true}
	p, err := c.Accounts.Search(context.Background(), "ali", o)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Items) != 2 || !p.HasNext() || p.HasPrev() {
		t.Fatalf("page %+v", p)
	}
	var ids []string
	for a, err := range c.Accounts.SearchAll(context.Background(), "ali", o) {
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, a.ID)
	}
	if strings.Join(ids, ",") != "1,2,3" {
		t.Errorf("iterated %v", ids)
	}
	if o.Offset != 0 {
		t.Errorf("options changed: %+v", o)
	}
	if _, err := c.Accounts.Search(context.Background(), " ", nil); !errors.Is(err, ErrIllegalArgument) {
		t.Errorf("empty query: err = %v", err)
	}
}

func TestAccountsLookup(t *testing.T) {
	c, mux, _ := setup(t)
	mux.HandleFunc("/api/v1/accounts/lookup", func(w http.ResponseWriter, r *http.Request) {
		testMethod(t, r, "GET")
		testQuery(t, r, "acct=alice@example.social")
		fmt.Fprintf(w, accountJSON, "5")
	})
	a, err := c.Accounts.Lookup(context.Background(), "@alice@example.social")
	if err != nil || a.ID != "5" {
		t.Fatalf("%+v, %v", a, err)
	}
	if _, err := c.Accounts.Lookup(context.Background(), "@"); !errors.Is(err, ErrIllegalArgument) {
		t.Errorf("empty: err = %v", err)
	}
}

func TestAccountsSlices(t *testing.T) {
	c, mux, _ := setup(t)
	mux.HandleFunc("/api/v1/accounts/3/lists", func(w http.ResponseWriter, r *http.Request) {
		testMethod(t, r, "GET")
		fmt.Fprint(w, `[{"id":"12","title":"friends","replies_policy":"list","exclusive":false}]`)
	})
	mux.HandleFunc("/api/v1/accounts/3/featured_tags", func(w http.ResponseWriter, r *http.Request) {
		testMethod(t, r, "GET")
		fmt.Fprint(w, `[{"id":"1","name":"cats","url":"https://x/tags/cats","statuses_count":"4","last_status_at":"2024-05-01T00:00:00Z"}]`)
	})
	mux.HandleFunc("/api/v1/accounts/3/identity_proofs", func(w http.ResponseWriter, r *http.Request) {
		testMethod(t, r, "GET")
		fmt.Fprint(w, `[]`)
	})
	mux.HandleFunc("/api/v1/accounts/familiar_followers", func(w http.ResponseWriter, r *http.Request) {
		testMethod(t, r, "GET")
		testQuery(t, r, "id[]=3&id[]=4")
		fmt.Fprintf(w, `[{"id":"3","accounts":[`+accountJSON+`]},{"id":"4","accounts":[]}]`, "8")
	})
	ctx := context.Background()
	ls, err := c.Accounts.Lists(ctx, "3")
	if err != nil || len(ls) != 1 || ls[0].Title != "friends" {
		t.Errorf("lists %+v, %v", ls, err)
	}
	fts, err := c.Accounts.FeaturedTags(ctx, "3")
	if err != nil || len(fts) != 1 || fts[0].Name != "cats" || fts[0].StatusesCount != "4" {
		t.Errorf("featured tags %+v, %v", fts, err)
	}
	ips, err := c.Accounts.IdentityProofs(ctx, "3")
	if err != nil || len(ips) != 0 {
		t.Errorf("identity proofs %+v, %v", ips, err)
	}
	ffs, err := c.Accounts.FamiliarFollowers(ctx, []string{"3", "4"})
	if err != nil || len(ffs) != 2 || ffs[0].Accounts[0].ID != "8" {
		t.Errorf("familiar followers %+v, %v", ffs, err)
	}
	if _, err := c.Accounts.FamiliarFollowers(ctx, nil); !errors.Is(err, ErrIllegalArgument) {
		t.Errorf("no ids: err = %v", err)
	}
}

func TestAccountsFollow(t *testing.T) {
	c, mux, _ := setup(t)
	mux.HandleFunc("/api/v1/accounts/5/follow", func(w http.ResponseWriter, r *http.Request) {
		testMethod(t, r, "POST")
		if r.ContentLength == 0 {
			fmt.Fprintf(w, relationshipJSON, "5")
			return
		}
		testForm(t, r, "reblogs=false&notify=true&languages[]=en&languages[]=de")
		fmt.Fprintf(w, relationshipJSON, "5")
	})
	rel, err := c.Accounts.Follow(context.Background(), "5", &FollowParams{Reblogs: Ptr(false), Notify: Ptr(true), Languages: []string{"en", "de"}})
	if err != nil || rel.ID != "5" || !rel.Following {
		t.Fatalf("%+v, %v", rel, err)
	}
	if _, err := c.Accounts.Follow(context.Background(), "5", nil); err != nil {
		t.Fatal(err)
	}
	testErrorKinds(t, "/api/v1/accounts/{id}/follow", func(c *Client, id string) error {
		_, err := c.Accounts.Follow(context.Background(), id, nil)
		return err
	})
}

func TestAccountsMute(t *testing.T) {
	c, mux, _ := setup(t)
	mux.HandleFunc("/api/v1/accounts/5/mute", func(w http.ResponseWriter, r *http.Request) {
		testMethod(t, r, "POST")
		testForm(t, r, "notifications=false&duration=3600")
		fmt.Fprintf(w, relationshipJSON, "5")
	})
	rel, err := c.Accounts.Mute(context.Background(), "5", &MuteParams{Notifications: Ptr(false), Duration: time.Hour + 300*time.Millisecond})
	if err != nil || rel.ID != "5" {
		t.Fatalf("%+v, %v", rel, err)
	}
	if _, err := c.Accounts.Mute(context.Background(), "5", &MuteParams{Duration: -time.Second}); !errors.Is(err, ErrIllegalArgument) {
		t.Errorf("negative duration: err = %v", err)
	}
}

func TestAccountsSetNote(t *testing.T) {
	c, mux, _ := setup(t)
	mux.HandleFunc("/api/v1/accounts/5/note", func(w http.ResponseWriter, r *http.Request) {
		testMethod(t, r, "POST")
		testForm(t, r, "comment=")
		fmt.Fprintf(w, relationshipJSON, "5")
	})
	if _, err := c.Accounts.SetNote(context.Background(), "5", ""); err != nil {
		t.Fatal(err)
	}
}

func TestAccountsRelationshipActions(t *testing.T) {
	for _, tc := range []struct {
		path string
		f    func(s *AccountsService) func(context.Context, string, ...CallOption) (*Relationship, error)
	}{
		{"/api/v1/accounts/{id}/unfollow", func(s *AccountsService) func(context.Context, string, ...CallOption) (*Relationship, error) {
			return s.Unfollow
		}},
		{"/api/v1/accounts/{id}/remove_from_followers", func(s *AccountsService) func(context.Context, string, ...CallOption) (*Relationship, error) {
			return s.RemoveFromFollowers
		}},
		{"/api/v1/accounts/{id}/block", func(s *AccountsService) func(context.Context, string, ...CallOption) (*Relationship, error) {
			return s.Block
		}},
		{"/api/v1/accounts/{id}/unblock", func(s *AccountsService) func(context.Context, string, ...CallOption) (*Relationship, error) {
			return s.Unblock
		}},
		{"/api/v1/accounts/{id}/unmute", func(s *AccountsService) func(context.Context, string, ...CallOption) (*Relationship, error) {
			return s.Unmute
		}},
		{"/api/v1/accounts/{id}/endorse", func(s *AccountsService) func(context.Context, string, ...CallOption) (*Relationship, error) {
			return s.Endorse
		}},
		{"/api/v1/accounts/{id}/unendorse", func(s *AccountsService) func(context.Context, string, ...CallOption) (*Relationship, error) {
			return s.Unendorse
		}},
		{"/api/v1/accounts/{id}/pin", func(s *AccountsService) func(context.Context, string, ...CallOption) (*Relationship, error) {
			return s.Pin
		}},
		{"/api/v1/accounts/{id}/unpin", func(s *AccountsService) func(context.Context, string, ...CallOption) (*Relationship, error) {
			return s.Unpin
		}},
	} {
		t.Run(tc.path, func(t *testing.T) {
			c, mux, _ := setup(t)
			mux.HandleFunc(strings.ReplaceAll(tc.path, "{id}", "77"), func(w http.ResponseWriter, r *http.Request) {
				testMethod(t, r, "POST")
				testQuery(t, r, "")
				testEmptyBody(t, r)
				testHeader(t, r, "Authorization", "Bearer "+testToken)
				fmt.Fprintf(w, relationshipJSON, "77")
			})
			rel, err := tc.f(c.Accounts)(context.Background(), "77")
			if err != nil || rel.ID != "77" || !rel.ShowingReblogs {
				t.Fatalf("%+v, %v", rel, err)
			}
			testErrorKinds(t, tc.path, func(c *Client, id string) error { _, err := tc.f(c.Accounts)(context.Background(), id); return err })
		})
	}
}

func TestAccountsRegister(t *testing.T) {
	c, mux, _ := setup(t)
	mux.HandleFunc("/api/v1/accounts", func(w http.ResponseWriter, r *http.Request) {
		testMethod(t, r, "POST")
		testHeader(t, r, "Authorization", "Bearer "+testToken)
		testForm(t, r, "username=bob&email=bob@example.org&password=hunter2hunter2&agreement=true&locale=de&reason=hi&date_of_birth=2000-01-31")
		fmt.Fprint(w, `{"access_token":"NEWTOKEN","token_type":"Bearer","scope":"read write","created_at":1700000000}`)
	})
	p := &RegisterParams{Username: "bob", Email: "bob@example.org", Password: "hunter2hunter2", Agreement: true, Locale: "de", Reason: "hi", DateOfBirth: "2000-01-31"}
	tok, err := c.Accounts.Register(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	if tok.AccessToken != "NEWTOKEN" || tok.Scope != "read write" || tok.CreatedAt != 1700000000 {
		t.Errorf("decoded %+v", tok)
	}
	for _, s := range []string{fmt.Sprint(p), fmt.Sprintf("%+v", *p), fmt.Sprintf("%#v", p)} {
		if strings.Contains(s, "hunter2") {
			t.Errorf("params print the password: %s", s)
		}
	}
	if _, err := c.Accounts.Register(context.Background(), nil); !errors.Is(err, ErrIllegalArgument) {
		t.Errorf("nil params: err = %v", err)
	}
}

func TestAccountsRegisterWithClientCredentials(t *testing.T) {
	mux := http.NewServeMux()
	srv := newLoopbackServer(t, mux)
	mux.HandleFunc("/oauth/token", func(w http.ResponseWriter, r *http.Request) {
		testMethod(t, r, "POST")
		testHeader(t, r, "Authorization", "")
		testForm(t, r, "grant_type=client_credentials&client_id=CID&client_secret=CSECRET&scope=read+write&redirect_uri=urn%3Aietf%3Awg%3Aoauth%3A2.0%3Aoob")
		fmt.Fprint(w, `{"access_token":"APPTOKEN","token_type":"Bearer","scope":"read write","created_at":1}`)
	})
	mux.HandleFunc("/api/v1/accounts", func(w http.ResponseWriter, r *http.Request) {
		testHeader(t, r, "Authorization", "Bearer APPTOKEN")
		b, _ := io.ReadAll(r.Body)
		if strings.Contains(string(b), "CSECRET") {
			t.Errorf("the client secret went to /api/v1/accounts: %s", b)
		}
		w.WriteHeader(http.StatusUnprocessableEntity)
		fmt.Fprint(w, `{"error":"Validation failed: Password can't be blank","details":{"password":[{"error":"ERR_BLANK","description":"can't be blank"}]}}`)
	})
	c, err := newScannedClient(srv, WithClientCredentials("CID", "CSECRET"), WithRetryPolicy(RetryPolicy{}))
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Accounts.Register(context.Background(), &RegisterParams{Username: "bob", Email: "b@x", Scopes: []string{"read", "write"}})
	var ae *APIError
	if !errors.As(err, &ae) || ae.StatusCode != 422 || ae.Details["password"][0].Error != "ERR_BLANK" {
		t.Errorf("err = %v, want the 422 with details", err)
	}
	if strings.Contains(err.Error(), "CSECRET") || strings.Contains(err.Error(), "APPTOKEN") {
		t.Errorf("error leaks a secret: %v", err)
	}
	if c.HasToken() {
		t.Errorf("the caller's client picked up the app token")
	}
	anon, _ := newScannedClient(srv)
	if _, err := anon.Accounts.Register(context.Background(), &RegisterParams{}); !errors.Is(err, ErrIllegalArgument) {
		t.Errorf("no credentials: err = %v", err)
	}
}

func TestEmailsResendConfirmation(t *testing.T) {
	c, mux, _ := setup(t)
	n := 0
	mux.HandleFunc("/api/v1/emails/confirmations", func(w http.ResponseWriter, r *http.Request) {
		testMethod(t, r, "POST")
		if n == 0 {
			testForm(t, r, "email=new@example.org")
		} else {
			testEmptyBody(t, r)
		}
		n++
		fmt.Fprint(w, `{}`)
	})
	if err := c.Emails.ResendConfirmation(context.Background(), "new@example.org"); err != nil {
		t.Fatal(err)
	}
	if err := c.Emails.ResendConfirmation(context.Background(), ""); err != nil {
		t.Fatal(err)
	}
	if n != 2 {
		t.Errorf("%d requests", n)
	}
}

// newLoopbackServer starts a test server and returns its URL.
func newLoopbackServer(t *testing.T, h http.Handler) string {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv.URL
}

// pngStreamReader yields n bytes of a PNG header followed by filler,
// generated on the fly.
type pngStreamReader struct{ n, off int64 }

func (p *pngStreamReader) Read(b []byte) (int, error) {
	if p.off >= p.n {
		return 0, io.EOF
	}
	if int64(len(b)) > p.n-p.off {
		b = b[:p.n-p.off]
	}
	for i := range b {
		if p.off+int64(i) < 8 {
			b[i] = "\x89PNG\r\n\x1a\n"[p.off+int64(i)]
		} else {
			b[i] = byte(p.off + int64(i))
		}
	}
	p.off += int64(len(b))
	return len(b), nil
}

func TestAccountsUpdateCredentialsStreamsLargeAvatar(t *testing.T) {
	const size = 64 << 20
	c, mux, _ := setup(t)
	var got int64
	mux.HandleFunc("/api/v1/accounts/update_credentials", func(w http.ResponseWriter, r *http.Request) {
		mr, err := r.MultipartReader()
		if err != nil {
			t.Error(err)
			return
		}
		for {
			p, err := mr.NextPart()
			if err != nil {
				break
			}
			n, _ := io.Copy(io.Discard, p)
			if p.FormName() == "avatar" {
				got = n
				if ct := p.Header.Get("Content-Type"); ct != "image/png" {
					t.Errorf("avatar Content-Type = %q", ct)
				}
			}
		}
		fmt.Fprint(w, `{"id":"1","username":"a","source":{"privacy":"public","note":"","fields":[]}}`)
	})
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	av := File{Name: "big.png", Reader: &pngStreamReader{n: size}, Size: size}
	if _, err := c.Accounts.UpdateCredentials(context.Background(), &UpdateCredentialsParams{Avatar: &av}); err != nil {
		t.Fatal(err)
	}
	runtime.ReadMemStats(&after)
	if got != size {
		t.Fatalf("server read %d bytes, want %d", got, size)
	}
	// Client and test server together allocate far less than the file:
	// neither side held it whole.
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > size/4 {
		t.Errorf("allocated %d bytes for a %d byte upload", alloc, size)
	}
}

// TestAccountsRegisterSendsEmptyRequiredFields: the server answers which
// of username, email and password fail, so they go even when empty.
func TestAccountsRegisterSendsEmptyRequiredFields(t *testing.T) {
	c, mux, _ := setup(t)
	mux.HandleFunc("/api/v1/accounts", func(w http.ResponseWriter, r *http.Request) {
		testForm(t, r, "username=&email=&password=&locale=en")
		w.WriteHeader(http.StatusUnprocessableEntity)
		fmt.Fprint(w, `{"error":"Validation failed","details":{"username":[{"error":"ERR_BLANK","description":"can't be blank"}]}}`)
	})
	if _, err := c.Accounts.Register(context.Background(), &RegisterParams{}); !errors.Is(err, ErrUnprocessable) {
		t.Errorf("err = %v, want unprocessable", err)
	}
}

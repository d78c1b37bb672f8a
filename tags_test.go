package mastodon

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"testing"

	"github.com/tuskgo/mastodon/internal/corpus"
)

func tagsReplay(cases *replayTable) {
	cases.add("GET /api/v1/tags/{name}", func(ctx context.Context, c *Client, it *corpus.Interaction) error {
		_, err := c.Tags.Get(ctx, it.PathParam("name"))
		return err
	})
	cases.add("POST /api/v1/tags/{name}/follow", func(ctx context.Context, c *Client, it *corpus.Interaction) error {
		tag, err := c.Tags.Follow(ctx, it.PathParam("name"))
		if err == nil && (tag.Following == nil || !*tag.Following) {
			return errors.New("following not decoded")
		}
		return err
	})
	cases.add("POST /api/v1/tags/{name}/unfollow", func(ctx context.Context, c *Client, it *corpus.Interaction) error {
		_, err := c.Tags.Unfollow(ctx, it.PathParam("name"))
		return err
	})
	cases.add("GET /api/v1/featured_tags/suggestions", func(ctx context.Context, c *Client, it *corpus.Interaction) error {
		_, err := c.FeaturedTags.Suggestions(ctx)
		return err
	})
}

const tagJSON = `{"id":"3","name":"%s","url":"https://example.social/tags/%s","history":[{"day":"1785542400","accounts":"2","uses":"5"}],"following":%t,"featuring":%t}`

func TestTags(t *testing.T) {
	cases := []struct {
		name, method, path string
		call               func(ctx context.Context, c *Client, name string) (*Tag, error)
		following, feat    bool
	}{
		{"Get", "GET", "/api/v1/tags/caf%C3%A9", func(ctx context.Context, c *Client, n string) (*Tag, error) { return c.Tags.Get(ctx, n) }, false, false},
		{"Follow", "POST", "/api/v1/tags/caf%C3%A9/follow", func(ctx context.Context, c *Client, n string) (*Tag, error) { return c.Tags.Follow(ctx, n) }, true, false},
		{"Unfollow", "POST", "/api/v1/tags/caf%C3%A9/unfollow", func(ctx context.Context, c *Client, n string) (*Tag, error) { return c.Tags.Unfollow(ctx, n) }, false, false},
		{"Feature", "POST", "/api/v1/tags/caf%C3%A9/feature", func(ctx context.Context, c *Client, n string) (*Tag, error) { return c.Tags.Feature(ctx, n) }, false, true},
		{"Unfeature", "POST", "/api/v1/tags/caf%C3%A9/unfeature", func(ctx context.Context, c *Client, n string) (*Tag, error) { return c.Tags.Unfeature(ctx, n) }, false, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, mux, _ := setup(t)
			mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
				if r.URL.EscapedPath() != tc.path {
					w.WriteHeader(http.StatusNotFound)
					fmt.Fprint(w, `{"error":"Record not found"}`)
					return
				}
				testMethod(t, r, tc.method)
				testQuery(t, r, "")
				testHeader(t, r, "Authorization", "Bearer "+testToken)
				testEmptyBody(t, r)
				fmt.Fprintf(w, tagJSON, "café", "café", tc.following, tc.feat)
			})
			ctx := context.Background()
			tag, err := tc.call(ctx, c, "#café")
			if err != nil {
				t.Fatal(err)
			}
			if tag.Name != "café" || tag.Following == nil || *tag.Following != tc.following || tag.Featuring == nil || *tag.Featuring != tc.feat ||
				len(tag.History) != 1 || tag.History[0].Uses != "5" {
				t.Errorf("decoded %+v", tag)
			}
			if _, err := tc.call(ctx, c, "nope"); !errors.Is(err, ErrNotFound) {
				t.Errorf("unknown tag: err = %v", err)
			}
			for _, bad := range []string{"", " #", "..", "."} {
				if _, err := tc.call(ctx, c, bad); !errors.Is(err, ErrIllegalArgument) {
					t.Errorf("%q: err = %v, want ErrIllegalArgument", bad, err)
				}
			}
		})
	}
}

func TestFeaturedTags(t *testing.T) {
	c, mux, _ := setup(t)
	mux.HandleFunc("/api/v1/featured_tags", func(w http.ResponseWriter, r *http.Request) {
		testHeader(t, r, "Authorization", "Bearer "+testToken)
		testQuery(t, r, "")
		switch r.Method {
		case "GET":
			fmt.Fprint(w, `[{"id":"7","name":"cats","url":"https://x/@a/tagged/cats","statuses_count":"12","last_status_at":"2025-05-01"}]`)
		case "POST":
			testForm(t, r, "name=dogs")
			fmt.Fprint(w, `{"id":"8","name":"dogs","url":"https://x/@a/tagged/dogs","statuses_count":0,"last_status_at":null}`)
		default:
			t.Errorf("method %s", r.Method)
		}
	})
	mux.HandleFunc("/api/v1/featured_tags/8", func(w http.ResponseWriter, r *http.Request) {
		testMethod(t, r, "DELETE")
		testEmptyBody(t, r)
		fmt.Fprint(w, `{}`)
	})
	mux.HandleFunc("/api/v1/featured_tags/suggestions", func(w http.ResponseWriter, r *http.Request) {
		testMethod(t, r, "GET")
		testQuery(t, r, "")
		fmt.Fprintf(w, "["+tagJSON+"]", "ringtones", "ringtones", false, false)
	})
	ctx := context.Background()
	l, err := c.FeaturedTags.List(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(l) != 1 || l[0].ID != "7" || l[0].Name != "cats" || l[0].StatusesCount != "12" || l[0].LastStatusAt == nil || l[0].LastStatusAt.Day() != 1 {
		t.Errorf("list %+v", l)
	}
	ft, err := c.FeaturedTags.Create(ctx, "#dogs")
	if err != nil {
		t.Fatal(err)
	}
	if ft.ID != "8" || ft.StatusesCount != "0" || ft.LastStatusAt != nil {
		t.Errorf("created %+v", ft)
	}
	if err := c.FeaturedTags.Delete(ctx, "8"); err != nil {
		t.Fatal(err)
	}
	s, err := c.FeaturedTags.Suggestions(ctx)
	if err != nil || len(s) != 1 || s[0].Name != "ringtones" {
		t.Fatalf("suggestions %+v, %v", s, err)
	}
	if _, err := c.FeaturedTags.Create(ctx, "#"); !errors.Is(err, ErrIllegalArgument) {
		t.Errorf("empty name: err = %v", err)
	}
	testErrorKinds(t, "/api/v1/featured_tags/{id}", func(c *Client, id string) error { return c.FeaturedTags.Delete(context.Background(), id) })
	testErrorKinds(t, "/api/v1/featured_tags", func(c *Client, _ string) error { _, err := c.FeaturedTags.List(context.Background()); return err })
}

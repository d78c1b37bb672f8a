package mastodon

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"testing"

	"github.com/tuskgo/mastodon/internal/corpus"
)

func profileReplay(cases *replayTable) {
	cases.add("DELETE /api/v1/profile/avatar", func(ctx context.Context, c *Client, it *corpus.Interaction) error {
		_, err := c.Profile.DeleteAvatar(ctx)
		return err
	})
	cases.add("DELETE /api/v1/profile/header", func(ctx context.Context, c *Client, it *corpus.Interaction) error {
		_, err := c.Profile.DeleteHeader(ctx)
		return err
	})
}

const profileJSON = `{"id":"1","display_name":"A","note":"n","fields":[{"name":"w","value":"v"}],"locked":true,"bot":false,"indexable":true,"show_featured":true,"show_media":false,"show_media_replies":true,"attribution_domains":["a.example"],"avatar_description":"cat","header_description":"","avatar":null}`

func TestProfileGetUpdate(t *testing.T) {
	c, mux, _ := setup(t)
	mux.HandleFunc("/api/v1/profile", func(w http.ResponseWriter, r *http.Request) {
		switch r.Method {
		case "GET":
			testQuery(t, r, "")
		case "PATCH":
			testForm(t, r, "display_name=A&show_featured=true&show_media=false&fields_attributes[0][name]=w&fields_attributes[0][value]=v&attribution_domains[]=a.example")
		default:
			t.Errorf("method %s", r.Method)
		}
		fmt.Fprint(w, profileJSON)
	})
	p, err := c.Profile.Get(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if p.DisplayName != "A" || !p.Locked || !p.ShowFeatured || p.ShowMedia || len(p.Fields) != 1 || p.Avatar != nil || p.AttributionDomains[0] != "a.example" {
		t.Errorf("decoded %+v", p)
	}
	p, err = c.Profile.Update(context.Background(), &UpdateProfileParams{DisplayName: Ptr("A"), ShowFeatured: Ptr(true), ShowMedia: Ptr(false),
		Fields: ProfileFields{{"w", "v"}}, AttributionDomains: []string{"a.example"}})
	if err != nil || p.AvatarDescription != "cat" {
		t.Fatalf("%+v, %v", p, err)
	}
	if _, err := c.Profile.Update(context.Background(), &UpdateProfileParams{Header: &File{}}); !errors.Is(err, ErrIllegalArgument) {
		t.Errorf("file without reader: err = %v", err)
	}
}

func TestProfileUpdateMultipart(t *testing.T) {
	c, mux, _ := setup(t)
	mux.HandleFunc("/api/v1/profile", func(w http.ResponseWriter, r *http.Request) {
		testMethod(t, r, "PATCH")
		mb := readMultipart(t, r)
		if mb.fields.Get("header_description") != "sea" || string(mb.files["header"].data) != "GIF89a..." || mb.files["header"].contentType != "image/gif" {
			t.Errorf("multipart %+v", mb)
		}
		fmt.Fprint(w, profileJSON)
	})
	h := FileFromBytes("h.gif", []byte("GIF89a..."))
	if _, err := c.Profile.Update(context.Background(), &UpdateProfileParams{Header: &h, HeaderDescription: Ptr("sea")}); err != nil {
		t.Fatal(err)
	}
}

func TestProfileDeleteImages(t *testing.T) {
	c, mux, _ := setup(t)
	for _, p := range []string{"/api/v1/profile/avatar", "/api/v1/profile/header"} {
		mux.HandleFunc(p, func(w http.ResponseWriter, r *http.Request) {
			testMethod(t, r, "DELETE")
			testEmptyBody(t, r)
			fmt.Fprint(w, `{"id":"1","username":"a","avatar":"https://x/missing.png","source":{"privacy":"public","note":"","fields":[]}}`)
		})
	}
	a, err := c.Profile.DeleteAvatar(context.Background())
	if err != nil || a.Avatar != "https://x/missing.png" {
		t.Errorf("avatar: %+v, %v", a, err)
	}
	a, err = c.Profile.DeleteHeader(context.Background())
	if err != nil || a.ID != "1" {
		t.Errorf("header: %+v, %v", a, err)
	}
	testErrorKinds(t, "/api/v1/profile/avatar", func(c *Client, _ string) error { _, err := c.Profile.DeleteAvatar(context.Background()); return err })
}

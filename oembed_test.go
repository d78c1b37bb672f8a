package mastodon

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"testing"
)

func TestInstanceOEmbed(t *testing.T) {
	c, mux, _ := setup(t)
	mux.HandleFunc("/api/oembed", func(w http.ResponseWriter, r *http.Request) {
		testMethod(t, r, "GET")
		testHeader(t, r, "Authorization", "")
		if r.URL.Query().Get("maxwidth") == "" {
			testQuery(t, r, "url=https://example.social/@a/1")
		} else {
			testQuery(t, r, "url=https://example.social/@a/1&maxwidth=400&maxheight=300")
		}
		fmt.Fprint(w, `{"type":"rich","version":"1.0","title":"New status by a","author_name":"A","author_url":"https://example.social/@a",`+
			`"provider_name":"example.social","provider_url":"https://example.social/","cache_age":86400,"html":"<iframe></iframe>","width":400,"height":null}`)
	})
	ctx := context.Background()
	o := &OEmbedOptions{MaxWidth: 400, MaxHeight: 300}
	e, err := c.Instance.OEmbed(ctx, " https://example.social/@a/1 ", o)
	if err != nil {
		t.Fatal(err)
	}
	if e.Type != "rich" || e.HTML != "<iframe></iframe>" || e.Width != 400 || e.Height != nil || e.CacheAge != 86400 || e.AuthorName != "A" {
		t.Errorf("decoded %+v", e)
	}
	if o.MaxWidth != 400 || o.MaxHeight != 300 {
		t.Errorf("options changed: %+v", o)
	}
	if _, err := c.Instance.OEmbed(ctx, "https://example.social/@a/1", nil); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Instance.OEmbed(ctx, " ", nil); !errors.Is(err, ErrIllegalArgument) {
		t.Errorf("empty URL: err = %v", err)
	}
	if _, err := c.Instance.OEmbed(ctx, "x", &OEmbedOptions{MaxWidth: -1}); !errors.Is(err, ErrIllegalArgument) {
		t.Errorf("negative size: err = %v", err)
	}
}

func TestInstanceOEmbedNotFound(t *testing.T) {
	c, mux, _ := setup(t)
	mux.HandleFunc("/api/oembed", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusNotFound)
		fmt.Fprint(w, `{"error":"Record not found"}`)
	})
	if _, err := c.Instance.OEmbed(context.Background(), "https://elsewhere.example/1", nil); !errors.Is(err, ErrNotFound) {
		t.Errorf("err = %v, want ErrNotFound", err)
	}
}

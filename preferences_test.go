package mastodon

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"testing"

	"github.com/tuskgo/mastodon/internal/corpus"
)

func preferencesReplay(cases *replayTable) {
	cases.add("GET /api/v1/preferences", func(ctx context.Context, c *Client, it *corpus.Interaction) error {
		_, err := c.Preferences.Get(ctx)
		return err
	})
}

func TestPreferences(t *testing.T) {
	c, mux, _ := setup(t)
	status := 200
	mux.HandleFunc("/api/v1/preferences", func(w http.ResponseWriter, r *http.Request) {
		testMethod(t, r, "GET")
		testHeader(t, r, "Authorization", "Bearer "+testToken)
		w.WriteHeader(status)
		if status != 200 {
			fmt.Fprint(w, `{"error":"This action is outside the authorized scopes"}`)
			return
		}
		fmt.Fprint(w, `{"posting:default:visibility":"unlisted","posting:default:sensitive":true,"posting:default:language":null,"reading:expand:media":"show_all","reading:expand:spoilers":true,"reading:autoplay:gifs":false}`)
	})
	p, err := c.Preferences.Get(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if p.PostingDefaultVisibility != "unlisted" || !p.PostingDefaultSensitive || p.PostingDefaultLanguage != nil || p.ReadingExpandMedia != "show_all" || !p.ReadingExpandSpoilers {
		t.Errorf("decoded %+v", p)
	}
	status = http.StatusForbidden
	if _, err := c.Preferences.Get(context.Background()); !errors.Is(err, ErrForbidden) {
		t.Errorf("403: %v", err)
	}
}

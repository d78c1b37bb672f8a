package mastodon

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/tuskgo/mastodon/internal/corpus"
)

func mutesReplay(cases *replayTable) {
	cases.add("GET /api/v1/mutes", func(ctx context.Context, c *Client, it *corpus.Interaction) error {
		_, err := c.Mutes.List(ctx, recordedListOptions(it))
		return err
	})
}

func TestMutesList(t *testing.T) {
	c, mux, _ := setup(t)
	mux.HandleFunc("/api/v1/mutes", func(w http.ResponseWriter, r *http.Request) {
		testMethod(t, r, "GET")
		testHeader(t, r, "Authorization", "Bearer "+testToken)
		switch r.URL.Query().Get("max_id") {
		case "":
			if r.URL.RawQuery != "" {
				testQuery(t, r, "limit=1&min_id=3&since_id=2")
			}
			w.Header().Set("Link", `<http://`+r.Host+`/api/v1/mutes?max_id=9&limit=1>; rel="next"`)
			fmt.Fprint(w, `[{"id":"a","username":"u","mute_expires_at":"2030-01-01T00:00:00.000Z"}]`)
		case "9":
			testQuery(t, r, "max_id=9&limit=1")
			fmt.Fprint(w, `[{"id":"b","username":"ub","acct":"ub"}]`)
		}
	})
	p, err := c.Mutes.List(context.Background(), &ListOptions{Limit: 1, MinID: "3", SinceID: "2"})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Items) != 1 || !p.HasNext() {
		t.Fatalf("page %+v", p)
	}
	var got []string
	for x, err := range c.Mutes.ListAll(context.Background(), nil) {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, x.ID)
	}
	if strings.Join(got, ",") != "a,b" {
		t.Errorf("iterated %v", got)
	}
	testErrorKinds(t, "/api/v1/mutes", func(c *Client, _ string) error { _, err := c.Mutes.List(context.Background(), nil); return err })
}

func TestMutesListExpiry(t *testing.T) {
	c, mux, _ := setup(t)
	mux.HandleFunc("/api/v1/mutes", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `[{"id":"a","username":"u","mute_expires_at":"2030-01-01T00:00:00.000Z"},{"id":"b","username":"v","mute_expires_at":null}]`)
	})
	p, err := c.Mutes.List(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if p.Items[0].MuteExpiresAt == nil || p.Items[0].MuteExpiresAt.Year() != 2030 || p.Items[1].MuteExpiresAt != nil || p.Items[0].Username != "u" {
		t.Errorf("decoded %+v %+v", p.Items[0], p.Items[1])
	}
}

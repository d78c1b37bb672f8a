package mastodon

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"testing"

	"github.com/tuskgo/mastodon/internal/corpus"
)

func conversationsReplay(cases *replayTable) {
	cases.add("GET /api/v1/conversations", func(ctx context.Context, c *Client, it *corpus.Interaction) error {
		_, err := c.Conversations.List(ctx, recordedListOptions(it))
		return err
	})
	cases.add("POST /api/v1/conversations/{id}/read", func(ctx context.Context, c *Client, it *corpus.Interaction) error {
		_, err := c.Conversations.Read(ctx, it.PathParam("id"))
		return err
	})
	cases.add("DELETE /api/v1/conversations/{id}", func(ctx context.Context, c *Client, it *corpus.Interaction) error {
		return c.Conversations.Remove(ctx, it.PathParam("id"))
	})
}

func TestConversations(t *testing.T) {
	c, mux, _ := setup(t)
	conv := `{"id":"418450","unread":true,"accounts":[{"id":"482","username":"amic"}],"last_status":{"id":"103196583826321184","visibility":"direct"}}`
	mux.HandleFunc("/api/v1/conversations", func(w http.ResponseWriter, r *http.Request) {
		testMethod(t, r, "GET")
		testHeader(t, r, "Authorization", "Bearer "+testToken)
		if r.URL.Query().Get("max_id") == "" {
			testQuery(t, r, "limit=1")
			w.Header().Set("Link", `</api/v1/conversations?limit=1&max_id=418450>; rel="next"`)
			fmt.Fprint(w, `[`+conv+`]`)
			return
		}
		testQuery(t, r, "limit=1&max_id=418450")
		fmt.Fprint(w, `[]`)
	})
	mux.HandleFunc("/api/v1/conversations/418450/read", func(w http.ResponseWriter, r *http.Request) {
		testMethod(t, r, "POST")
		fmt.Fprint(w, `{"id":"418450","unread":false,"accounts":[]}`)
	})
	mux.HandleFunc("/api/v1/conversations/418450", func(w http.ResponseWriter, r *http.Request) {
		testMethod(t, r, "DELETE")
		fmt.Fprint(w, `{}`)
	})
	ctx := context.Background()
	var got []*Conversation
	for cv, err := range c.Conversations.ListAll(ctx, &ListOptions{Limit: 1}) {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, cv)
	}
	if len(got) != 1 || !got[0].Unread || got[0].Accounts[0].Username != "amic" || got[0].LastStatus.Visibility != "direct" {
		t.Errorf("conversations %+v", got)
	}
	if cv, err := c.Conversations.Read(ctx, "418450"); err != nil || cv.Unread {
		t.Errorf("Read: %+v %v", cv, err)
	}
	if err := c.Conversations.Remove(ctx, "418450"); err != nil {
		t.Error(err)
	}
	if err := c.Conversations.Remove(ctx, ""); !errors.Is(err, ErrIllegalArgument) {
		t.Errorf("empty id: %v", err)
	}
}

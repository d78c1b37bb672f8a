package mastodon

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/tuskgo/mastodon/internal/corpus"
	"github.com/tuskgo/mastodon/internal/form"
)

func pollsReplay(cases *replayTable) {
	cases.add("GET /api/v1/polls/{id}", func(ctx context.Context, c *Client, it *corpus.Interaction) error {
		_, err := c.Polls.Get(ctx, it.PathParam("id"))
		return err
	})
	cases.add("POST /api/v1/polls/{id}/votes", func(ctx context.Context, c *Client, it *corpus.Interaction) error {
		var choices []int
		for _, s := range rforms(it, "choices[]") {
			n, err := strconv.Atoi(s)
			if err != nil {
				return err
			}
			choices = append(choices, n)
		}
		_, err := c.Polls.Vote(ctx, it.PathParam("id"), choices)
		return err
	})
}

const pollJSON = `{"id":"2","expires_at":"2026-08-01T13:58:07.715Z","expired":false,"multiple":true,"votes_count":3,"voters_count":2,"voted":true,"own_votes":[0,2],"options":[{"title":"a","votes_count":1},{"title":"b","votes_count":0},{"title":"c","votes_count":null}],"emojis":[]}`

func TestPollsGet(t *testing.T) {
	c, mux, _ := setup(t)
	mux.HandleFunc("/api/v1/polls/2", func(w http.ResponseWriter, r *http.Request) {
		testMethod(t, r, "GET")
		testQuery(t, r, "")
		testEmptyBody(t, r)
		fmt.Fprint(w, pollJSON)
	})
	p, err := c.Polls.Get(context.Background(), "2")
	if err != nil {
		t.Fatal(err)
	}
	if p.ID != "2" || !p.Multiple || p.VotesCount != 3 || p.VotersCount == nil || *p.VotersCount != 2 || len(p.OwnVotes) != 2 ||
		p.Options[2].VotesCount != nil || p.ExpiresAt == nil || p.ExpiresAt.Minute() != 58 {
		t.Errorf("decoded %+v", p)
	}
	testErrorKinds(t, "/api/v1/polls/{id}", func(c *Client, id string) error { _, err := c.Polls.Get(context.Background(), id); return err })
}

func TestPollsVote(t *testing.T) {
	c, mux, _ := setup(t)
	mux.HandleFunc("/api/v1/polls/2/votes", func(w http.ResponseWriter, r *http.Request) {
		testMethod(t, r, "POST")
		testForm(t, r, "choices[]=0&choices[]=2")
		fmt.Fprint(w, pollJSON)
	})
	p, err := c.Polls.Vote(context.Background(), "2", []int{0, 2})
	if err != nil || p.Voted == nil || !*p.Voted {
		t.Fatalf("%+v, %v", p, err)
	}
	for _, bad := range [][]int{nil, {-1}, {1, 1}} {
		if _, err := c.Polls.Vote(context.Background(), "2", bad); !errors.Is(err, ErrIllegalArgument) {
			t.Errorf("Vote(%v): err = %v", bad, err)
		}
	}
	testErrorKinds(t, "/api/v1/polls/{id}/votes", func(c *Client, id string) error {
		_, err := c.Polls.Vote(context.Background(), id, []int{0})
		return err
	})
}

func TestNewPoll(t *testing.T) {
	opts := []string{"a", "b"}
	p := NewPoll(90*time.Minute+500*time.Millisecond, opts...)
	opts[0] = "changed"
	if err := p.check("x"); err != nil {
		t.Fatal(err)
	}
	b, err := form.JSON(p)
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"options":["a","b"],"expires_in":5400,"multiple":false,"hide_totals":false}`; string(b) != want {
		t.Errorf("JSON %s, want %s", b, want)
	}
}

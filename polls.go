package mastodon

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"github.com/tuskgo/mastodon/internal/form"
)

// PollParams describe a poll to attach to a new or edited status. NewPoll
// builds one.
type PollParams struct {
	// Options are the choices, in order (servers allow 2 to 4 by default).
	Options []string `form:"options,always"`
	// ExpiresIn is how long the poll stays open; it is sent in whole
	// seconds, rounded down (servers allow 5 minutes to a month by
	// default).
	ExpiresIn time.Duration `form:"expires_in,always"`
	// Multiple allows choosing several options.
	Multiple bool `form:"multiple,always"`
	// HideTotals hides the vote counts until the poll ends.
	HideTotals bool `form:"hide_totals,always"`
}

// NewPoll returns a single-choice poll open for expiresIn, as Mastodon.py's
// make_poll does; set Multiple or HideTotals on the result as needed.
func NewPoll(expiresIn time.Duration, options ...string) *PollParams {
	return &PollParams{Options: append([]string(nil), options...), ExpiresIn: expiresIn}
}

// check refuses a poll the server would refuse.
func (p *PollParams) check(what string) error {
	if len(p.Options) < 2 {
		return illegalArg(what + ": a poll needs at least two options")
	}
	for _, o := range p.Options {
		if o == "" {
			return illegalArg(what + ": empty poll option")
		}
	}
	if p.ExpiresIn < time.Second {
		return illegalArg(what + ": poll expiry must be at least one second")
	}
	return nil
}

// Get returns a poll with its current counts and the user's votes.
//
//api:endpoint GET /api/v1/polls/{id}
//api:since 2.8.0
func (s *PollsService) Get(ctx context.Context, id string, opts ...CallOption) (*Poll, error) {
	return call[Poll](ctx, s.c, req{Method: http.MethodGet, Path: "/api/v1/polls/{id}", Params: []string{id}}, opts)
}

// Vote votes in a poll with the indexes (from 0) of the chosen options:
// one for a single-choice poll, one or more for a multiple-choice one.
//
//api:endpoint POST /api/v1/polls/{id}/votes
//api:since 2.8.0
func (s *PollsService) Vote(ctx context.Context, id string, choices []int, opts ...CallOption) (*Poll, error) {
	if len(choices) == 0 {
		return nil, illegalArg("Polls.Vote: no choices")
	}
	var f form.Values
	seen := map[int]bool{}
	for _, ch := range choices {
		if ch < 0 {
			return nil, illegalArg("Polls.Vote: negative choice " + strconv.Itoa(ch))
		}
		if seen[ch] {
			return nil, illegalArg("Polls.Vote: choice " + strconv.Itoa(ch) + " given twice")
		}
		seen[ch] = true
		f.Add("choices[]", strconv.Itoa(ch))
	}
	return call[Poll](ctx, s.c, req{Method: http.MethodPost, Path: "/api/v1/polls/{id}/votes", Params: []string{id}, Form: f}, opts)
}

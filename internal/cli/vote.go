package cli

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/spf13/cobra"
	"github.com/tuskgo/mastodon"
	"github.com/tuskgo/mastodon/internal/termtext"
)

func (a *app) voteCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "vote STATUS_ID CHOICE...",
		Short: "Vote in the poll of a status",
		Long: `Vote in the poll of a status. Choices are option numbers as 'tusk show'
lists them (from 1) or option texts; give several only when the poll
allows several choices. The results so far are printed afterwards.`,
		Example: "  tusk vote 109876543210 2\n  tusk vote 109876543210 tea coffee",
		Args:    cobra.MinimumNArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			c, st, err := a.statusArg(ctx, args[0])
			if err != nil {
				return err
			}
			if st.Reblog != nil {
				st = st.Reblog
			}
			poll := st.Poll
			if poll == nil {
				return &argError{arg: args[0], err: usagef("that status has no poll")}
			}
			choices, err := pollChoices(poll, args[1:])
			if err != nil {
				return err
			}
			if len(choices) > 1 && !poll.Multiple {
				return usagef("this poll allows one choice; you gave %d", len(choices))
			}
			res, err := c.Polls.Vote(ctx, poll.ID, choices)
			if err != nil {
				return &argError{arg: args[0], err: err}
			}
			if a.jsonOut {
				return a.p.JSON(res)
			}
			fmt.Fprintln(a.env.Stdout, "Voted. "+strings.TrimRight(a.p.pollText(res), "\n"))
			return nil
		},
	}
}

// pollChoices turns option numbers (from 1) or texts into indexes.
func pollChoices(poll *mastodon.Poll, args []string) ([]int, error) {
	var out []int
	seen := map[int]bool{}
	for _, arg := range args {
		i := -1
		if n, err := strconv.Atoi(arg); err == nil {
			if n < 1 || n > len(poll.Options) {
				return nil, usagef("choice %d: the poll has options 1 to %d", n, len(poll.Options))
			}
			i = n - 1
		} else {
			for j, o := range poll.Options {
				if strings.EqualFold(strings.TrimSpace(o.Title), strings.TrimSpace(arg)) {
					i = j
					break
				}
			}
			if i < 0 {
				titles := make([]string, len(poll.Options))
				for j, o := range poll.Options {
					titles[j] = fmt.Sprintf("%d %q", j+1, termtext.Line(o.Title))
				}
				return nil, usagef("choice %q is not an option of the poll: %s", arg, strings.Join(titles, ", "))
			}
		}
		if !seen[i] {
			seen[i] = true
			out = append(out, i)
		}
	}
	return out, nil
}

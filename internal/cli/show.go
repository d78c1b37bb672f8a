package cli

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/spf13/cobra"
	"github.com/tuskgo/mastodon"
	"github.com/tuskgo/mastodon/internal/termtext"
)

// maxThreadIndent bounds how far replies are indented in a thread, so a
// long chain of replies cannot push the text off the screen.
const maxThreadIndent = 6

func (a *app) showCmd() *cobra.Command {
	var thread bool
	cmd := &cobra.Command{
		Use:   "show STATUS_ID",
		Short: "Show one status, or its whole thread",
		Long: `Show one status, given by ID or by address (a link to the status on any
server). --thread shows the conversation around it: the statuses it
answers, the status itself (marked), then the replies, indented under the
status they answer.`,
		Example: "  tusk show 109876543210\n  tusk show --thread https://mastodon.social/@Gargron/109876543210",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			c, err := a.client(ctx)
			if err != nil {
				return err
			}
			id, err := resolveStatus(ctx, c, args[0])
			if err != nil {
				return &argError{arg: args[0], err: err}
			}
			st, err := c.Statuses.Get(ctx, id)
			if err != nil {
				return &argError{arg: args[0], err: err}
			}
			if !thread {
				return a.p.Status(st)
			}
			tc, err := c.Statuses.Context(ctx, id)
			if err != nil {
				return &argError{arg: args[0], err: err}
			}
			return a.showThread(st, tc)
		},
	}
	cmd.Flags().BoolVar(&thread, "thread", false, "show the statuses it answers and the replies to it")
	return cmd
}

// showThread prints ancestors, the status and its descendants in the order
// the server gives them (depth first), replies indented by depth.
func (a *app) showThread(st *mastodon.Status, tc *mastodon.Context) error {
	if a.jsonOut {
		for _, list := range [][]mastodon.Status{tc.Ancestors, {*st}, tc.Descendants} {
			for i := range list {
				if err := a.p.JSON(&list[i]); err != nil {
					return err
				}
			}
		}
		return nil
	}
	for i := range tc.Ancestors {
		a.p.println(a.p.statusText(&tc.Ancestors[i], ""))
		a.p.println("")
	}
	a.p.println(a.p.statusText(st, a.p.style(styleYellow, "▌")))
	a.p.println("")
	depth := map[string]int{st.ID: 0}
	for i := range tc.Descendants {
		d := &tc.Descendants[i]
		n := 1
		if parent := deref(d.InReplyToID); parent != "" {
			if pd, ok := depth[parent]; ok {
				n = pd + 1
			}
		}
		depth[d.ID] = n
		a.p.println(a.p.statusText(d, strings.Repeat("  ", min(n, maxThreadIndent))))
		a.p.println("")
	}
	return nil
}

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
			c, err := a.client(ctx)
			if err != nil {
				return err
			}
			id, err := resolveStatus(ctx, c, args[0])
			if err != nil {
				return &argError{arg: args[0], err: err}
			}
			st, err := c.Statuses.Get(ctx, id)
			if err != nil {
				return &argError{arg: args[0], err: err}
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

func (a *app) scheduledCmd() *cobra.Command {
	list := func(cmd *cobra.Command, args []string) error {
		ctx := cmd.Context()
		c, err := a.client(ctx)
		if err != nil {
			return err
		}
		var all []*mastodon.ScheduledStatus
		for s, err := range c.ScheduledStatuses.ListAll(ctx, &mastodon.ListOptions{Limit: 40}) {
			if err != nil {
				return err
			}
			all = append(all, s)
		}
		slices.SortStableFunc(all, func(x, y *mastodon.ScheduledStatus) int { return x.ScheduledAt.Compare(y.ScheduledAt) })
		for _, s := range all {
			if a.jsonOut {
				if err := a.p.JSON(s); err != nil {
					return err
				}
				continue
			}
			a.p.println(a.p.scheduledText(s))
		}
		if len(all) == 0 && !a.jsonOut {
			a.infof("(nothing scheduled)")
		}
		return nil
	}
	cmd := &cobra.Command{
		Use:     "scheduled",
		Short:   "List scheduled statuses, or cancel them",
		Long:    "List the statuses you scheduled with 'tusk post --schedule', soonest first,\nor cancel them with 'tusk scheduled cancel ID...'.",
		Example: "  tusk scheduled\n  tusk scheduled cancel 1234",
		Args:    cobra.NoArgs,
		RunE:    list,
	}
	cmd.AddCommand(&cobra.Command{
		Use:     "list",
		Short:   "List scheduled statuses, soonest first",
		Example: "  tusk scheduled list --json",
		Args:    cobra.NoArgs,
		RunE:    list,
	}, &cobra.Command{
		Use:     "cancel SCHEDULED_ID...",
		Short:   "Cancel scheduled statuses",
		Long:    "Cancel scheduled statuses by the ID 'tusk scheduled' shows; they are not posted.",
		Example: "  tusk scheduled cancel 1234",
		Aliases: []string{"rm", "delete"},
		Args:    cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			c, err := a.client(ctx)
			if err != nil {
				return err
			}
			for _, id := range args {
				if err := c.ScheduledStatuses.Delete(ctx, id); err != nil {
					return &argError{arg: id, err: err}
				}
				if !a.jsonOut {
					fmt.Fprintf(a.env.Stdout, "Cancelled scheduled status %s\n", termtext.Line(id))
				}
			}
			return nil
		},
	})
	return cmd
}

// scheduledText renders a scheduled status: when, the ID to cancel it by,
// and its text.
func (p *printer) scheduledText(s *mastodon.ScheduledStatus) string {
	var b strings.Builder
	b.WriteString(p.style(styleBold, s.ScheduledAt.Local().Format("Mon 2 Jan 15:04 MST")))
	b.WriteString(p.style(styleDim, " ("+ago(s.ScheduledAt, p.now())+") · id "+termtext.Line(s.ID)))
	if v := s.Params.Visibility; v != nil && *v != "" && *v != mastodon.VisibilityPublic {
		b.WriteString(p.style(styleDim, " · "+termtext.Line(string(*v))))
	}
	b.WriteByte('\n')
	if cw := deref(s.Params.SpoilerText); cw != "" {
		b.WriteString("  " + p.style(styleYellow, "CW: "+termtext.Line(cw)) + "\n")
	}
	if t := termtext.Sanitize(s.Params.Text); t != "" {
		b.WriteString(indent(t, "  ") + "\n")
	}
	if n := len(s.MediaAttachments); n > 0 {
		b.WriteString(p.style(styleDim, "  "+plural(int64(n), "attachment")) + "\n")
	}
	return b.String()
}

package cli

import (
	"fmt"
	"slices"
	"strings"

	"github.com/spf13/cobra"
	"github.com/tuskgo/mastodon"
	"github.com/tuskgo/mastodon/internal/termtext"
)

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

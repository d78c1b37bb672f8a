package cli

import (
	"strings"

	"github.com/spf13/cobra"
	"github.com/tuskgo/mastodon"
)

func (a *app) notificationsCmd() *cobra.Command {
	var (
		f       pageFlags
		types   []string
		exclude []string
	)
	cmd := &cobra.Command{
		Use:   "notifications",
		Short: "Read your notifications",
		Long: `Read your notifications, newest first: mentions, favourites, boosts, follows,
polls and more. --type keeps only some kinds, --exclude leaves some out
(mention, status, reblog, follow, follow_request, favourite, poll, update,
quote, …).`,
		Example: "  tusk notifications\n  tusk notifications --type mention --max 50\n  tusk notifications --exclude favourite,reblog",
		Aliases: []string{"notifs"},
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := f.check(); err != nil {
				return err
			}
			ctx := cmd.Context()
			c, err := a.client(ctx)
			if err != nil {
				return err
			}
			o := &mastodon.NotificationsOptions{ListOptions: mastodon.ListOptions{Limit: f.limit, MaxID: f.maxID, MinID: f.minID}}
			for _, t := range types {
				o.Types = append(o.Types, mastodon.NotificationType(strings.TrimSpace(t)))
			}
			for _, t := range exclude {
				o.ExcludeTypes = append(o.ExcludeTypes, mastodon.NotificationType(strings.TrimSpace(t)))
			}
			page, err := c.Notifications.List(ctx, o)
			if err != nil {
				return err
			}
			return showPages(ctx, a, &f, page, a.p.Notification, "tusk notifications")
		},
	}
	f.add(cmd, "notifications")
	cmd.Flags().StringSliceVar(&types, "type", nil, "only these kinds (comma-separated)")
	cmd.Flags().StringSliceVar(&exclude, "exclude", nil, "leave out these kinds (comma-separated)")
	return cmd
}

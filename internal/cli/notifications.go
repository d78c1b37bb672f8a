package cli

import (
	"slices"
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
			o := &mastodon.NotificationsOptions{Limit: f.limit, MaxID: f.maxID, MinID: f.minID}
			var bad error
			if o.Types, bad = notificationTypes("--type", types); bad != nil {
				return bad
			}
			if o.ExcludeTypes, bad = notificationTypes("--exclude", exclude); bad != nil {
				return bad
			}
			c, err := a.client(ctx)
			if err != nil {
				return err
			}
			page, err := c.Notifications.List(ctx, o)
			if err != nil {
				return err
			}
			return showPages(ctx, a, &f, page, a.p.Notification, "tusk notifications")
		},
	}
	f.add(cmd, "notifications")
	cmd.Flags().StringSliceVar(&types, "type", nil, "only these kinds (comma-separated; see above)")
	cmd.Flags().StringSliceVar(&exclude, "exclude", nil, "leave out these kinds (comma-separated)")
	return cmd
}

// notificationTypes checks kinds given to flag against those tusk knows,
// so that a typo is an error rather than an empty list.
func notificationTypes(flag string, kinds []string) ([]mastodon.NotificationType, error) {
	var out []mastodon.NotificationType
	for _, k := range kinds {
		t := mastodon.NotificationType(strings.TrimSpace(k))
		if _, ok := notificationVerbs[t]; !ok {
			known := make([]string, 0, len(notificationVerbs))
			for v := range notificationVerbs {
				known = append(known, string(v))
			}
			slices.Sort(known)
			return nil, usagef("%s %q: not a kind of notification; use %s", flag, k, strings.Join(known, ", "))
		}
		out = append(out, t)
	}
	return out, nil
}

package cli

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/tuskgo/mastodon"
	"github.com/tuskgo/mastodon/internal/termtext"
)

// statusAction is one of the commands that act on statuses by ID.
type statusAction struct {
	use, short, done string
	aliases          []string
	do               func(ctx context.Context, c *mastodon.Client, id string) (*mastodon.Status, error)
}

func (a *app) interactionCmds() []*cobra.Command {
	actions := []statusAction{
		{"fav", "Favourite statuses", "Favourited", []string{"favourite", "like"},
			func(ctx context.Context, c *mastodon.Client, id string) (*mastodon.Status, error) {
				return c.Statuses.Favourite(ctx, id)
			}},
		{"unfav", "Undo favourites", "Unfavourited", []string{"unfavourite", "unlike"},
			func(ctx context.Context, c *mastodon.Client, id string) (*mastodon.Status, error) {
				return c.Statuses.Unfavourite(ctx, id)
			}},
		{"boost", "Boost (reblog) statuses", "Boosted", []string{"reblog"},
			func(ctx context.Context, c *mastodon.Client, id string) (*mastodon.Status, error) {
				return c.Statuses.Reblog(ctx, id, nil)
			}},
		{"unboost", "Undo boosts", "Unboosted", []string{"unreblog"},
			func(ctx context.Context, c *mastodon.Client, id string) (*mastodon.Status, error) {
				return c.Statuses.Unreblog(ctx, id)
			}},
		{"bookmark", "Bookmark statuses", "Bookmarked", nil,
			func(ctx context.Context, c *mastodon.Client, id string) (*mastodon.Status, error) {
				return c.Statuses.Bookmark(ctx, id)
			}},
		{"unbookmark", "Remove bookmarks", "Unbookmarked", nil,
			func(ctx context.Context, c *mastodon.Client, id string) (*mastodon.Status, error) {
				return c.Statuses.Unbookmark(ctx, id)
			}},
	}
	var cmds []*cobra.Command
	for _, act := range actions {
		cmds = append(cmds, a.statusActionCmd(act))
	}
	cmds = append(cmds, a.followCmd(true), a.followCmd(false))
	cmds = append(cmds, a.muteBlockCmds()...)
	return cmds
}

// muteBlockCmds are mute, unmute, block and unblock.
func (a *app) muteBlockCmds() []*cobra.Command {
	var (
		duration time.Duration
		keepNote bool
	)
	type rel struct {
		use, short, long, example, done string
		do                              func(ctx context.Context, c *mastodon.Client, id string) (*mastodon.Relationship, error)
	}
	rels := []rel{
		{"mute", "Mute accounts: hide their statuses (and notifications)",
			"Mute accounts, given as @user, @user@server or an account ID: their statuses\nleave your timelines and, unless --keep-notifications, their notifications\ntoo. They are not told. --duration ends the mute by itself.",
			"  tusk mute @loud@example.social\n  tusk mute @loud@example.social --duration 24h --keep-notifications", "Muted",
			func(ctx context.Context, c *mastodon.Client, id string) (*mastodon.Relationship, error) {
				p := &mastodon.MuteParams{Duration: duration}
				if keepNote {
					p.Notifications = new(bool)
				}
				return c.Accounts.Mute(ctx, id, p)
			}},
		{"unmute", "Unmute accounts", "Unmute accounts, given as @user, @user@server or an account ID.",
			"  tusk unmute @loud@example.social", "Unmuted",
			func(ctx context.Context, c *mastodon.Client, id string) (*mastodon.Relationship, error) {
				return c.Accounts.Unmute(ctx, id)
			}},
		{"block", "Block accounts: they can no longer follow you or see your posts",
			"Block accounts, given as @user, @user@server or an account ID: they stop\nfollowing you, cannot follow you again or see your posts, and you stop\nfollowing them.",
			"  tusk block @spammer@example.social", "Blocked",
			func(ctx context.Context, c *mastodon.Client, id string) (*mastodon.Relationship, error) {
				return c.Accounts.Block(ctx, id)
			}},
		{"unblock", "Unblock accounts", "Unblock accounts, given as @user, @user@server or an account ID.",
			"  tusk unblock @spammer@example.social", "Unblocked",
			func(ctx context.Context, c *mastodon.Client, id string) (*mastodon.Relationship, error) {
				return c.Accounts.Unblock(ctx, id)
			}},
	}
	var cmds []*cobra.Command
	for _, r := range rels {
		cmd := &cobra.Command{
			Use:     r.use + " ACCOUNT...",
			Short:   r.short,
			Long:    r.long,
			Example: r.example,
			Args:    cobra.MinimumNArgs(1),
			RunE: func(cmd *cobra.Command, args []string) error {
				if duration < 0 {
					return usagef("--duration must not be negative")
				}
				ctx := cmd.Context()
				c, err := a.client(ctx)
				if err != nil {
					return err
				}
				for _, who := range args {
					acc, err := findAccount(ctx, c, who)
					if err != nil {
						return &argError{arg: who, err: err}
					}
					res, err := r.do(ctx, c, acc.ID)
					if err != nil {
						return &argError{arg: who, err: err}
					}
					if a.jsonOut {
						if err := a.p.JSON(res); err != nil {
							return err
						}
						continue
					}
					msg := r.done + " " + a.p.name(acc)
					if r.use == "mute" && duration > 0 {
						msg += " for " + duration.String()
					}
					fmt.Fprintln(a.env.Stdout, msg)
				}
				return nil
			},
		}
		if r.use == "mute" {
			cmd.Flags().DurationVar(&duration, "duration", 0, "end the mute after this long (default: until unmuted)")
			cmd.Flags().BoolVar(&keepNote, "keep-notifications", false, "still show their notifications")
		}
		cmds = append(cmds, cmd)
	}
	return cmds
}

func (a *app) statusActionCmd(act statusAction) *cobra.Command {
	return &cobra.Command{
		Use:     act.use + " STATUS_ID...",
		Short:   act.short,
		Long:    act.short + " given by ID (the 'id' that 'tusk timeline' shows) or by address\n(a link to the status on any server).",
		Example: "  tusk " + act.use + " 109876543210",
		Aliases: act.aliases,
		Args:    cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			c, err := a.client(ctx)
			if err != nil {
				return err
			}
			for _, id := range args {
				sid, err := resolveStatus(ctx, c, id)
				if err != nil {
					return &argError{arg: id, err: err}
				}
				st, err := act.do(ctx, c, sid)
				if err != nil {
					return &argError{arg: id, err: err}
				}
				if a.jsonOut {
					if err := a.p.JSON(st); err != nil {
						return err
					}
					continue
				}
				shown := st
				if shown.Reblog != nil {
					shown = shown.Reblog
				}
				fmt.Fprintf(a.env.Stdout, "%s %s's status %s\n", act.done, a.p.name(&shown.Account), termtext.Line(shown.ID))
			}
			return nil
		},
	}
}

// statusID accepts an ID or a status address ending in the ID.
func statusID(s string) string {
	s = strings.TrimRight(strings.TrimSpace(s), "/")
	if i := strings.LastIndexByte(s, '/'); i >= 0 && strings.Contains(s, "://") {
		return s[i+1:]
	}
	return s
}

// findAccount resolves @user, user@host or an account ID.
func findAccount(ctx context.Context, c *mastodon.Client, who string) (*mastodon.Account, error) {
	who = strings.TrimPrefix(strings.TrimSpace(who), "@")
	if who == "" {
		return nil, usagef("no account given")
	}
	if strings.Trim(who, "0123456789") == "" {
		return c.Accounts.Get(ctx, who)
	}
	return c.Accounts.Lookup(ctx, who)
}

func (a *app) followCmd(follow bool) *cobra.Command {
	use, short, done := "follow", "Follow accounts", "Following"
	if !follow {
		use, short, done = "unfollow", "Stop following accounts", "No longer following"
	}
	return &cobra.Command{
		Use:     use + " ACCOUNT...",
		Short:   short,
		Long:    short + ", given as @user (on your server), @user@server or an account ID.",
		Example: "  tusk " + use + " @Gargron@mastodon.social",
		Args:    cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			c, err := a.client(ctx)
			if err != nil {
				return err
			}
			for _, who := range args {
				acc, err := findAccount(ctx, c, who)
				if err != nil {
					return &argError{arg: who, err: err}
				}
				var rel *mastodon.Relationship
				if follow {
					rel, err = c.Accounts.Follow(ctx, acc.ID, nil)
				} else {
					rel, err = c.Accounts.Unfollow(ctx, acc.ID)
				}
				if err != nil {
					return &argError{arg: who, err: err}
				}
				if a.jsonOut {
					if err := a.p.JSON(rel); err != nil {
						return err
					}
					continue
				}
				msg := done
				if follow && rel.Requested && !rel.Following {
					msg = "Asked to follow (the account approves followers)"
				}
				fmt.Fprintf(a.env.Stdout, "%s %s\n", msg, a.p.name(acc))
			}
			return nil
		},
	}
}

func (a *app) deleteCmd() *cobra.Command {
	return &cobra.Command{
		Use:     "delete STATUS_ID...",
		Short:   "Delete your statuses",
		Long:    "Delete statuses of yours by ID. The deleted text is printed, so a mistake can be\nposted again.",
		Example: "  tusk delete 109876543210",
		Aliases: []string{"rm"},
		Args:    cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			c, err := a.client(ctx)
			if err != nil {
				return err
			}
			for _, id := range args {
				st, err := c.Statuses.Delete(ctx, statusID(id), nil)
				if err != nil {
					return &argError{arg: id, err: notYours(ctx, c, statusID(id), "deleted", err)}
				}
				if a.jsonOut {
					if err := a.p.JSON(st); err != nil {
						return err
					}
					continue
				}
				fmt.Fprintf(a.env.Stdout, "Deleted %s", termtext.Line(statusID(id)))
				if t := termtext.Sanitize(deref(st.Text)); t != "" {
					fmt.Fprintf(a.env.Stdout, "; its text was:\n%s", indent(t, "  "))
				}
				fmt.Fprintln(a.env.Stdout)
			}
			return nil
		},
	}
}

package cli

import (
	"context"
	"fmt"
	"net/url"
	"strings"

	"github.com/spf13/cobra"
	"github.com/tuskgo/mastodon"
	"github.com/tuskgo/mastodon/internal/termtext"
)

func (a *app) searchCmd() *cobra.Command {
	var (
		kind    string
		resolve bool
		limit   int
	)
	cmd := &cobra.Command{
		Use:   "search QUERY...",
		Short: "Search accounts, hashtags and statuses",
		Long: `Search your server for accounts, hashtags and statuses. --resolve looks up an
address (@user@server) or a link to a status on its own server when yours
does not know it yet. --type keeps one kind of result.

With --json, one Search entity (accounts, hashtags, statuses) is printed;
with --type, one entity of that kind per line.`,
		Example: "  tusk search golang\n  tusk search --resolve @Gargron@mastodon.social\n  tusk search --type hashtags fedi",
		Args:    cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			o := &mastodon.SearchOptions{Resolve: resolve, Limit: limit}
			switch kind {
			case "":
			case "accounts", "hashtags", "statuses":
				o.Type = mastodon.SearchType(kind)
			default:
				return usagef("--type must be accounts, hashtags or statuses")
			}
			if limit < 1 {
				return usagef("--limit must be at least 1")
			}
			ctx := cmd.Context()
			c, err := a.client(ctx)
			if err != nil {
				return err
			}
			res, err := c.Search.Query(ctx, strings.Join(args, " "), o)
			if err != nil {
				return err
			}
			if a.jsonOut {
				if o.Type == "" {
					return a.p.JSON(res)
				}
				for i := range res.Accounts {
					if err := a.p.JSON(&res.Accounts[i]); err != nil {
						return err
					}
				}
				for i := range res.Hashtags {
					if err := a.p.JSON(&res.Hashtags[i]); err != nil {
						return err
					}
				}
				for i := range res.Statuses {
					if err := a.p.JSON(&res.Statuses[i]); err != nil {
						return err
					}
				}
				return nil
			}
			p := a.p
			if len(res.Accounts)+len(res.Hashtags)+len(res.Statuses) == 0 {
				a.infof("Nothing found.")
				return nil
			}
			if len(res.Accounts) > 0 {
				p.println(p.style(styleBold, "Accounts"))
				for i := range res.Accounts {
					acc := &res.Accounts[i]
					p.println("  " + p.name(acc) + p.style(styleDim, fmt.Sprintf(" · %s · id %s", plural(int64(acc.FollowersCount), "follower"), termtext.Line(acc.ID))))
				}
				p.println("")
			}
			if len(res.Hashtags) > 0 {
				p.println(p.style(styleBold, "Hashtags"))
				for _, t := range res.Hashtags {
					p.println("  #" + termtext.Line(t.Name) + p.style(styleDim, " "+termtext.Line(t.URL)))
				}
				p.println("")
			}
			if len(res.Statuses) > 0 {
				p.println(p.style(styleBold, "Statuses"))
				for i := range res.Statuses {
					p.println(p.statusText(&res.Statuses[i], "  "))
					p.println("")
				}
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&kind, "type", "", "accounts, hashtags or statuses")
	cmd.Flags().BoolVar(&resolve, "resolve", false, "look unknown addresses and links up on their servers")
	cmd.Flags().IntVar(&limit, "limit", 10, "results per kind")
	return cmd
}

// resolveStatus turns a status ID or address into an ID of the client's
// server: addresses on other servers are looked up with a resolving search.
func resolveStatus(ctx context.Context, c *mastodon.Client, arg string) (string, error) {
	arg = strings.TrimSpace(arg)
	u, err := url.Parse(arg)
	if err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
		return arg, nil
	}
	if base, err := url.Parse(c.BaseURL()); err == nil && strings.EqualFold(base.Host, u.Host) {
		return statusID(arg), nil
	}
	res, err := c.Search.Query(ctx, arg, &mastodon.SearchOptions{Type: mastodon.SearchStatuses, Resolve: true, Limit: 1})
	if err != nil {
		return "", err
	}
	if len(res.Statuses) == 0 {
		return "", &notFoundError{fmt.Sprintf("your server could not find the status at %s.", termtext.Line(arg))}
	}
	return res.Statuses[0].ID, nil
}

package cli

import (
	"context"
	"strings"

	"github.com/spf13/cobra"
	"github.com/tuskgo/mastodon"
	"github.com/tuskgo/mastodon/internal/termtext"
)

// pageFlags are the paging flags of list commands.
type pageFlags struct {
	limit int
	all   bool
	max   int
	maxID string
	minID string
}

func (f *pageFlags) add(cmd *cobra.Command, what string) {
	fl := cmd.Flags()
	fl.IntVar(&f.limit, "limit", 20, "how many "+what+" to ask for per page (the server caps it, often at 40)")
	fl.BoolVar(&f.all, "all", false, "follow the pages to the end")
	fl.IntVar(&f.max, "max", 0, "follow the pages until this many "+what+" are shown")
	fl.StringVar(&f.maxID, "max-id", "", "start with "+what+" older than this ID")
	fl.StringVar(&f.minID, "min-id", "", "show "+what+" just newer than this ID")
}

func (f *pageFlags) check() error {
	if f.limit < 1 {
		return usagef("--limit must be at least 1")
	}
	if f.max < 0 {
		return usagef("--max must not be negative")
	}
	if f.all && f.max > 0 {
		return usagef("use --all or --max, not both")
	}
	return nil
}

// showPages prints the items of first and, as the flags ask, of the pages
// after it. Without --all or --max it prints one page and says how to get
// the next; with them it walks the pages as Page.All does, which stops on
// a server whose links go round in a circle.
func showPages[T any](ctx context.Context, a *app, f *pageFlags, first *mastodon.Page[T], show func(*T) error, more string) error {
	n := 0
	if !f.all && f.max == 0 {
		for _, it := range first.Items {
			if err := show(it); err != nil {
				return err
			}
			n++
		}
		if first.HasNext() && !a.jsonOut && more != "" && n > 0 && n >= f.limit {
			a.infof("(more: %s --max-id %s)", termtext.Line(more), shellArg(termtext.Line(lastID(first.Items))))
		}
	} else {
		for it, err := range first.All(ctx) {
			if err != nil {
				return err
			}
			if err := show(it); err != nil {
				return err
			}
			if n++; f.max > 0 && n >= f.max {
				break
			}
		}
	}
	if n == 0 && !a.jsonOut {
		a.infof("(nothing to show)")
	}
	return nil
}

// shellArg quotes s for a POSIX shell when it holds anything but plain
// word characters, so a hint can be pasted back safely.
func shellArg(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.:@/+-") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// lastID is the ID of the last item of a page, for "--max-id".
func lastID[T any](items []*T) string {
	if len(items) == 0 {
		return ""
	}
	switch v := any(items[len(items)-1]).(type) {
	case *mastodon.Status:
		return v.ID
	case *mastodon.Notification:
		return v.ID
	case *mastodon.Account:
		return v.ID
	}
	return ""
}

func (a *app) timelineCmd() *cobra.Command {
	var (
		f         pageFlags
		onlyMedia bool
		remote    bool
	)
	cmd := &cobra.Command{
		Use:   "timeline home|local|public|tag TAG|list LIST_ID",
		Short: "Read a timeline",
		Long: `Read a timeline, newest first: home (who you follow), local (this server),
public (everything the server knows), tag (one hashtag) or list (one of your
lists). One page by default; --max N follows the pages until N statuses are
shown, --all to the end.`,
		Example:   "  tusk timeline home\n  tusk timeline home --max 100\n  tusk timeline tag golang --limit 5\n  tusk timeline public --json --all | jq .content",
		Aliases:   []string{"tl"},
		Args:      cobra.RangeArgs(1, 2),
		ValidArgs: []string{"home", "local", "public", "tag", "list"},
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := f.check(); err != nil {
				return err
			}
			kind := args[0]
			switch kind {
			case "home", "local", "public", "tag", "list":
			default:
				return usagef("unknown timeline %q: use home, local, public, tag or list", kind)
			}
			needArg := kind == "tag" || kind == "list"
			if needArg != (len(args) == 2) {
				if needArg {
					return usagef("'timeline %s' needs a %s", kind, map[bool]string{true: "hashtag", false: "list ID"}[kind == "tag"])
				}
				return usagef("'timeline %s' takes no further argument", kind)
			}
			ctx := cmd.Context()
			c, err := a.client(ctx)
			if err != nil {
				return err
			}
			o := &mastodon.TimelineOptions{Limit: f.limit, MaxID: f.maxID, MinID: f.minID, OnlyMedia: onlyMedia, Remote: remote}
			var page *mastodon.Page[mastodon.Status]
			switch kind {
			case "home":
				page, err = c.Timelines.Home(ctx, o)
			case "local":
				page, err = c.Timelines.Local(ctx, o)
			case "public":
				page, err = c.Timelines.Public(ctx, o)
			case "tag":
				page, err = c.Timelines.Hashtag(ctx, args[1], &mastodon.HashtagTimelineOptions{TimelineOptions: *o})
			case "list":
				page, err = c.Timelines.List(ctx, args[1], o)
			default:
				return usagef("unknown timeline %q: use home, local, public, tag or list", kind)
			}
			if err != nil {
				return err
			}
			more := "tusk timeline " + kind
			if needArg {
				more += " " + args[1]
			}
			return showPages(ctx, a, &f, page, a.p.Status, more)
		},
	}
	f.add(cmd, "statuses")
	cmd.Flags().BoolVar(&onlyMedia, "only-media", false, "only statuses with media (public, local, tag)")
	cmd.Flags().BoolVar(&remote, "remote", false, "only statuses from other servers (public, tag)")
	return cmd
}

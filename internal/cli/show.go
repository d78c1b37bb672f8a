package cli

import (
	"context"
	"strings"

	"github.com/spf13/cobra"
	"github.com/tuskgo/mastodon"
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
			c, st, err := a.statusArg(ctx, args[0])
			if err != nil {
				return err
			}
			if !thread {
				return a.p.Status(st)
			}
			tc, err := c.Statuses.Context(ctx, st.ID)
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

// statusArg connects and fetches the status an argument names (an ID, or
// its address on any server); errors about the status name the argument.
func (a *app) statusArg(ctx context.Context, arg string) (*mastodon.Client, *mastodon.Status, error) {
	c, err := a.client(ctx)
	if err != nil {
		return nil, nil, err
	}
	id, err := resolveStatus(ctx, c, arg)
	if err != nil {
		return nil, nil, &argError{arg: arg, err: err}
	}
	st, err := c.Statuses.Get(ctx, id)
	if err != nil {
		return nil, nil, &argError{arg: arg, err: err}
	}
	return c, st, nil
}

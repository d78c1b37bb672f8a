package cli

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"
	"github.com/tuskgo/mastodon"
	"github.com/tuskgo/mastodon/internal/termtext"
)

func (a *app) instanceCmd() *cobra.Command {
	return &cobra.Command{
		Use:     "instance [SERVER]",
		Short:   "Describe a server: name, version, rules, sign-ups",
		Long:    "Describe a Mastodon server (yours when none is named): title, version, description,\nmonthly active users, registration policy, contact and rules. No login is needed\nfor a named server.",
		Example: "  tusk instance\n  tusk instance mastodon.social\n  tusk instance --json mastodon.social",
		Args:    cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			var c *mastodon.Client
			var err error
			if len(args) == 1 {
				c, err = mastodon.NewClient(args[0], a.clientOptions()...)
			} else {
				c, err = a.client(cmd.Context())
			}
			if err != nil {
				return err
			}
			in, err := c.Instance.Get(cmd.Context())
			if err != nil {
				return err
			}
			if a.jsonOut {
				return a.p.JSON(in)
			}
			p := a.p
			var b strings.Builder
			fmt.Fprintf(&b, "%s %s\n", p.style(styleBold, termtext.Line(in.Title)), p.style(styleDim, "("+termtext.Line(in.Domain)+", Mastodon "+termtext.Line(in.Version)+")"))
			if d := termtext.HTML(in.Description); d != "" {
				b.WriteString(indent(d, "  ") + "\n")
			}
			fmt.Fprintf(&b, "  %d active users this month\n", in.Usage.Users.ActiveMonth)
			reg := "closed"
			if in.Registrations.Enabled {
				reg = "open"
				if in.Registrations.ApprovalRequired {
					reg = "open, with approval"
				}
			}
			fmt.Fprintf(&b, "  sign-ups: %s\n", reg)
			if in.Contact.Email != "" || in.Contact.Account != nil {
				b.WriteString("  contact:")
				if in.Contact.Account != nil {
					b.WriteString(" " + p.name(in.Contact.Account))
				}
				if in.Contact.Email != "" {
					b.WriteString(" " + termtext.Line(in.Contact.Email))
				}
				b.WriteByte('\n')
			}
			if len(in.Rules) > 0 {
				b.WriteString("  rules:\n")
				for i, r := range in.Rules {
					fmt.Fprintf(&b, "    %d. %s\n", i+1, termtext.Line(r.Text))
				}
			}
			fmt.Fprint(a.env.Stdout, b.String())
			return nil
		},
	}
}

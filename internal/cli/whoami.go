package cli

import (
	"github.com/spf13/cobra"
)

func (a *app) whoamiCmd() *cobra.Command {
	return &cobra.Command{
		Use:     "whoami",
		Short:   "Show the account you are logged in as",
		Long:    "Show the account the current access token belongs to: name, bio and counts.\nWith --json, the full account including its source settings.",
		Example: "  tusk whoami\n  tusk whoami --json | jq .source.privacy\n  tusk -a bob@127.0.0.1:3000 whoami",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			c, err := a.client(cmd.Context())
			if err != nil {
				return err
			}
			me, err := c.Accounts.VerifyCredentials(cmd.Context())
			if err != nil {
				return err
			}
			if a.jsonOut {
				return a.p.JSON(me)
			}
			a.p.println(a.p.accountText(&me.Account))
			a.p.println(a.p.style(styleDim, "  on "+c.BaseURL()))
			return nil
		},
	}
}

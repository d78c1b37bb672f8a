package cli

import (
	"fmt"
	"runtime"
	"runtime/debug"

	"github.com/spf13/cobra"
	"github.com/tuskgo/mastodon"
)

// version is tusk's version: the module version it was built from
// ("go install …@v1.2.3"), or "devel" for a build from a checkout.
func version() string {
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "devel"
}

func versionText() string {
	return fmt.Sprintf("tusk %s (%s, %s/%s); Mastodon API up to %s\n", version(), runtime.Version(), runtime.GOOS, runtime.GOARCH, mastodon.SupportedVersion)
}

func (a *app) versionCmd() *cobra.Command {
	return &cobra.Command{
		Use:     "version",
		Short:   "Print tusk's version",
		Long:    "Print tusk's version, the Go release it was built with, and the newest Mastodon\nAPI version it knows. 'tusk --version' prints the same.",
		Example: "  tusk version",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			_, err := fmt.Fprint(a.env.Stdout, versionText())
			return err
		},
	}
}

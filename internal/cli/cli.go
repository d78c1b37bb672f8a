// Package cli is the tusk command-line client, built on the Tusk library.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/tuskgo/mastodon"
	"golang.org/x/term"
)

// Env is everything the commands touch outside the process: standard
// streams, environment, clock, network and browser. Tests replace parts.
type Env struct {
	Stdin          io.Reader
	Stdout, Stderr io.Writer
	// Getenv reads environment variables (os.Getenv when nil).
	Getenv func(string) string
	// ConfigDir is where accounts are saved; empty means $TUSK_CONFIG_DIR,
	// else os.UserConfigDir()/tusk.
	ConfigDir string
	// Now is the clock for relative times (time.Now when nil).
	Now func() time.Time
	// HTTPClient, when set, is used for every request.
	HTTPClient *http.Client
	// OpenBrowser opens a URL for the user; nil means the system's opener.
	OpenBrowser func(url string) error
	// IsTerminal reports whether w is a terminal; nil means checking file
	// descriptors.
	IsTerminal func(w io.Writer) bool
	// Retry, when set, replaces the library's retry policy.
	Retry *mastodon.RetryPolicy
	// Ready, when set, is called by long-running commands (stream, serve,
	// login) once they are live, so tests know when to act.
	Ready func(info string)
	// Sleep waits for d or until ctx ends (a timer when nil); export
	// waits out rate limits with it.
	Sleep func(ctx context.Context, d time.Duration) error
}

// Exit statuses.
const (
	ExitOK       = 0
	ExitError    = 1 // the command failed
	ExitUsage    = 2 // the command line was wrong
	ExitAuth     = 3 // not logged in, or the token was refused
	ExitNotFound = 4 // what was asked for does not exist
	ExitLimited  = 5 // rate limited or the server is unavailable: try later
)

// OSEnv returns an Env of the real process.
func OSEnv() Env {
	return Env{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr}
}

// Main runs tusk with the given arguments (without the program name) and
// returns the exit status.
func Main(ctx context.Context, env Env, args []string) int {
	a := newApp(env)
	root := a.rootCmd()
	root.SetArgs(args)
	root.SetIn(a.env.Stdin)
	root.SetOut(a.env.Stdout)
	root.SetErr(a.env.Stderr)
	addBuiltinExamples(root)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return ExitOK
	}
	if m := unknownCommand.FindStringSubmatch(err.Error()); m != nil {
		msg := fmt.Sprintf("there is no command %q.", m[1])
		if sug := root.SuggestionsFor(m[1]); len(sug) > 0 {
			msg += " Did you mean 'tusk " + strings.Join(sug, "' or 'tusk ") + "'?"
		}
		err = &usageError{msg + "\nRun 'tusk --help' for the commands."}
	}
	msg, code := explain(err, a)
	fmt.Fprintln(a.env.Stderr, "tusk: "+msg)
	return code
}

type app struct {
	env Env

	// global flags
	account string
	jsonOut bool
	color   string
	cfgDir  string
	debug   bool
	// noPreview turns off the blurhash previews of images.
	noPreview bool

	p *printer
}

func newApp(env Env) *app {
	if env.Stdin == nil {
		env.Stdin = strings.NewReader("")
	}
	if env.Stdout == nil {
		env.Stdout = io.Discard
	}
	if env.Stderr == nil {
		env.Stderr = io.Discard
	}
	if env.Getenv == nil {
		env.Getenv = os.Getenv
	}
	if env.Now == nil {
		env.Now = time.Now
	}
	if env.IsTerminal == nil {
		env.IsTerminal = func(w io.Writer) bool {
			f, ok := w.(*os.File)
			return ok && term.IsTerminal(int(f.Fd()))
		}
	}
	if env.Sleep == nil {
		env.Sleep = func(ctx context.Context, d time.Duration) error {
			t := time.NewTimer(d)
			defer t.Stop()
			select {
			case <-t.C:
				return nil
			case <-ctx.Done():
				return ctx.Err()
			}
		}
	}
	if env.OpenBrowser == nil {
		getenv := env.Getenv
		env.OpenBrowser = func(u string) error {
			if !hasDesktop(runtime.GOOS, getenv) {
				return errors.New("no graphical session (DISPLAY and WAYLAND_DISPLAY are unset)")
			}
			return openBrowser(u)
		}
	}
	return &app{env: env}
}

var unknownCommand = regexp.MustCompile(`^unknown command "(.*)" for "tusk"`)

// usageError is a mistake on the command line.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error { return &usageError{fmt.Sprintf(format, args...)} }

const rootLong = `tusk is a Mastodon client for the terminal, built on the Tusk Go library.

Start with the demo, which needs no account (it runs an in-memory server):

  tusk demo

Then log in to your server and go:

  tusk login mastodon.social
  tusk timeline home
  tusk post "Hello from tusk"

Output is readable text on a terminal; --json prints one JSON entity per
line for scripts. Text that came from a server is stripped of terminal
control sequences before it is shown.

Accounts saved by 'tusk login' are picked with --account; for scripts and
bots, TUSK_SERVER and TUSK_ACCESS_TOKEN name a server and token instead.

Exit status: 0 success, 1 failure, 2 bad command line (a file named on it
that cannot be read too), 3 not logged in or token refused, 4 not found on
the server, 5 rate limited or server unavailable (try again later).`

func (a *app) rootCmd() *cobra.Command {
	root := &cobra.Command{
		Use:           "tusk",
		Short:         "A Mastodon client for the terminal",
		Long:          rootLong,
		Example:       "  tusk demo\n  tusk login mastodon.social\n  tusk timeline home --max 50\n  tusk show --thread 109876543210\n  tusk post \"Hello from tusk\" --media cat.jpg --alt \"A cat\"\n  tusk export --dir my-archive",
		SilenceUsage:  true,
		SilenceErrors: true,
		// Suggestions are worded by Main.
		DisableSuggestions:         true,
		SuggestionsMinimumDistance: 2,
		PersistentPreRunE: func(cmd *cobra.Command, args []string) error {
			return a.setup()
		},
	}
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return &usageError{flagError(err.Error()) + "\nSee '" + c.CommandPath() + " --help'."}
	})
	pf := root.PersistentFlags()
	pf.StringVarP(&a.account, "account", "a", "", "saved account to use, as user@server (default: the default account; $TUSK_ACCOUNT)")
	pf.BoolVar(&a.jsonOut, "json", false, "print one JSON entity per line, for scripts")
	pf.StringVar(&a.color, "color", "auto", "colour output: auto, always or never (auto honours NO_COLOR)")
	pf.BoolVar(&a.noPreview, "no-preview", false, "do not draw a colour preview of images (drawn only with colour on a terminal)")
	pf.BoolVar(&a.debug, "debug", false, "log each request (method, path, status, time) on standard error; tokens are never logged")
	pf.StringVar(&a.cfgDir, "config-dir", "", "where accounts are saved (default: $TUSK_CONFIG_DIR, else the user config directory + /tusk)")

	root.AddGroup(
		&cobra.Group{ID: "start", Title: "Getting started:"},
		&cobra.Group{ID: "read", Title: "Reading:"},
		&cobra.Group{ID: "write", Title: "Posting and interacting:"},
		&cobra.Group{ID: "more", Title: "More:"},
	)
	add := func(group string, cmds ...*cobra.Command) {
		for _, c := range cmds {
			c.GroupID = group
			root.AddCommand(c)
		}
	}
	add("start", a.demoCmd(), a.loginCmd(), a.logoutCmd(), a.accountsCmd(), a.whoamiCmd())
	add("read", a.timelineCmd(), a.showCmd(), a.notificationsCmd(), a.streamCmd(), a.searchCmd(), a.instanceCmd())
	add("write", a.postCmd(), a.deleteCmd(), a.scheduledCmd(), a.mediaCmd(), a.voteCmd())
	add("write", a.interactionCmds()...)
	add("more", a.exportCmd(), a.serveCmd(), a.versionCmd())
	root.Version = version()
	root.SetVersionTemplate(versionText())
	root.SetHelpCommandGroupID("more")
	root.SetCompletionCommandGroupID("more")
	wrapArgs(root)
	return root
}

// badFlagValue is how pflag reports a value it cannot parse.
var badFlagValue = regexp.MustCompile(`^invalid argument "(.*)" for "(.*?)" flag: `)

// flagError rewords pflag's errors, which quote Go's parsers.
func flagError(msg string) string {
	m := badFlagValue.FindStringSubmatch(msg)
	if m == nil {
		return msg
	}
	name := m[2]
	if i := strings.LastIndex(name, "--"); i >= 0 {
		name = name[i:]
	}
	rest := msg[len(m[0]):]
	want := "a valid value"
	switch {
	case strings.Contains(rest, "ParseInt"), strings.Contains(rest, "ParseUint"):
		want = "a whole number"
	case strings.Contains(rest, "ParseFloat"):
		want = "a number"
	case strings.Contains(rest, "ParseBool"):
		want = "true or false"
	case strings.Contains(rest, "time: "):
		want = "a duration such as 30m, 24h or 1h30m"
	}
	return fmt.Sprintf("%s wants %s, not %q", name, want, m[1])
}

// addBuiltinExamples creates cobra's help and completion commands (after
// the output is set: they keep the writer they are made with) and gives
// them examples like every other command.
func addBuiltinExamples(root *cobra.Command) {
	root.InitDefaultHelpCmd()
	root.InitDefaultCompletionCmd()
	for _, c := range root.Commands() {
		switch c.Name() {
		case "help":
			c.Example = "  tusk help post\n  tusk post --help"
		case "completion":
			c.Example = "  tusk completion bash > /etc/bash_completion.d/tusk\n  tusk completion zsh > \"${fpath[1]}/_tusk\""
			for _, sh := range c.Commands() {
				sh.Example = "  tusk completion " + sh.Name() + " --help"
			}
		}
	}
}

// wrapArgs makes argument-count mistakes usage errors that show the
// command's usage line instead of cobra's wording.
func wrapArgs(c *cobra.Command) {
	if c.Args != nil {
		check := c.Args
		c.Args = func(cmd *cobra.Command, args []string) error {
			if err := check(cmd, args); err != nil {
				what := "wrong number of arguments"
				switch {
				case strings.HasPrefix(err.Error(), "unknown command"), strings.HasPrefix(err.Error(), "invalid argument"):
					what = fmt.Sprintf("%q is not an argument of '%s'", args[0], cmd.CommandPath())
					cmd.SuggestionsMinimumDistance = 2
					if sug := cmd.SuggestionsFor(args[0]); len(sug) > 0 {
						what += "; did you mean '" + cmd.CommandPath() + " " + strings.Join(sug, "' or '"+cmd.CommandPath()+" ") + "'?"
					}
				case len(args) == 0:
					what = "missing argument"
				}
				return &usageError{what + "; usage: " + cmd.UseLine() + "\nSee '" + cmd.CommandPath() + " --help'."}
			}
			return nil
		}
	}
	for _, sub := range c.Commands() {
		wrapArgs(sub)
	}
}

func (a *app) setup() error {
	switch a.color {
	case "auto", "always", "never":
	default:
		return usagef("--color must be auto, always or never, not %q", a.color)
	}
	color := a.color == "always" ||
		(a.color == "auto" && a.env.IsTerminal(a.env.Stdout) && a.env.Getenv("NO_COLOR") == "" && a.env.Getenv("TERM") != "dumb")
	a.p = newPrinter(a.env.Stdout, a.jsonOut, color, a.env.Now)
	a.p.preview = color && !a.noPreview && !a.jsonOut && a.env.IsTerminal(a.env.Stdout)
	return nil
}

// configDir is where accounts live.
func (a *app) configDir() (string, error) {
	if a.cfgDir != "" {
		return a.cfgDir, nil
	}
	if a.env.ConfigDir != "" {
		return a.env.ConfigDir, nil
	}
	if d := a.env.Getenv("TUSK_CONFIG_DIR"); d != "" {
		return d, nil
	}
	d, err := os.UserConfigDir()
	if err != nil {
		return "", errors.New("cannot find a configuration directory (set TUSK_CONFIG_DIR): " + err.Error())
	}
	return filepath.Join(d, "tusk"), nil
}

// infof prints a progress or status line for people on stderr, so that
// stdout stays clean for --json.
func (a *app) infof(format string, args ...any) {
	fmt.Fprintf(a.env.Stderr, format+"\n", args...)
}

// hasDesktop reports whether a browser could open a window: always on
// macOS and Windows, elsewhere only in an X11 or Wayland session (xdg-open
// would otherwise start a text browser in the user's terminal).
func hasDesktop(goos string, getenv func(string) string) bool {
	switch goos {
	case "darwin", "windows":
		return true
	}
	return getenv("DISPLAY") != "" || getenv("WAYLAND_DISPLAY") != ""
}

package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"
	"github.com/tuskgo/mastodon"
	"github.com/tuskgo/mastodon/internal/termtext"
)

// postFlags are the flags of 'tusk post'.
type postFlags struct {
	media        []string
	mediaIDs     []string
	alts         []string
	focus        []string
	sensitive    bool
	poll         []string
	pollExpires  time.Duration
	pollMultiple bool
	cw           string
	visibility   string
	lang         string
	schedule     string
	replyTo      string
	edit         string
	// cwSet says --cw was given (an empty one removes the warning).
	cwSet bool
}

func (a *app) postCmd() *cobra.Command {
	var f postFlags
	cmd := &cobra.Command{
		Use:   "post [TEXT...]",
		Short: "Post a status (text from the arguments or standard input)",
		Long: `Post a status. The text is the arguments joined by spaces; with no arguments
(or "-") it is read from standard input. Attach up to four images, videos or
audio files with --media, each with its own --alt text and --focus point
(matched in order), or a poll with --poll given once per option.
--media-id attaches media uploaded before with 'tusk media upload' (they
come first, then the --media files).

--reply-to answers a status (mentioning its author and the people it
mentions, keeping its visibility and content warning unless set here);
--schedule posts later.

--edit changes one of your statuses. What is not given is kept: the text
(when none is given), the content warning (--cw "" removes it), the media
(unless --media or --poll is given) and an open poll (unless --poll or
--media is given). Without --media, --alt and --focus change the status's
own attachments, in order.`,
		Example: `  tusk post "Hello, fediverse"
  echo "from a script" | tusk post
  tusk post "Look" --media cat.jpg --alt "A cat asleep on a keyboard" --focus 0,0.5
  tusk post "Uploaded earlier" --media-id 110123456789012345
  tusk post "Tea or coffee?" --poll tea --poll coffee --poll-expires 24h
  tusk post "Spoilers ahead" --cw "film ending" --visibility unlisted
  tusk post "Good night" --schedule 22:30
  tusk post --reply-to 109876543210 "Agreed!"
  tusk post --edit 109876543210 "Fixed the typo"
  tusk post --edit 109876543210 --alt "A better description" --focus 0,0.8`,
		RunE: func(cmd *cobra.Command, args []string) error {
			f.cwSet = cmd.Flags().Changed("cw")
			text := ""
			// An edit without text keeps the status's own; do not wait
			// for a person to type one.
			if f.edit == "" || len(args) > 0 || !a.stdinIsTerminal() {
				var err error
				if text, err = a.postText(args); err != nil {
					return err
				}
			}
			return a.post(cmd.Context(), text, &f)
		},
	}
	fl := cmd.Flags()
	fl.StringArrayVar(&f.media, "media", nil, "attach a file (repeat for several)")
	fl.StringArrayVar(&f.mediaIDs, "media-id", nil, "attach media already uploaded with 'tusk media upload' by its ID (repeat for several)")
	fl.StringArrayVar(&f.alts, "alt", nil, "alt text of the matching --media (repeat in the same order)")
	fl.StringArrayVar(&f.focus, "focus", nil, "focal point x,y (each -1 to 1) of the matching --media")
	fl.BoolVar(&f.sensitive, "sensitive", false, "mark the media as sensitive")
	fl.StringArrayVar(&f.poll, "poll", nil, "a poll option (repeat for each, at least two)")
	fl.DurationVar(&f.pollExpires, "poll-expires", 24*time.Hour, "how long the poll stays open")
	fl.BoolVar(&f.pollMultiple, "poll-multiple", false, "allow choosing several poll options")
	fl.StringVar(&f.cw, "cw", "", "content warning shown before the text")
	fl.StringVar(&f.visibility, "visibility", "", "public, unlisted, private (followers only) or direct (default: your account's setting)")
	fl.StringVar(&f.lang, "lang", "", "language of the text (ISO 639-1, e.g. en)")
	fl.StringVar(&f.schedule, "schedule", "", "post later: a time (2026-12-24T18:00:00Z, 18:00) or a delay (2h)")
	fl.StringVar(&f.replyTo, "reply-to", "", "ID of the status to answer")
	fl.StringVar(&f.edit, "edit", "", "ID of your status to edit instead of posting")
	return cmd
}

// postText takes the text from the arguments or standard input.
func (a *app) postText(args []string) (string, error) {
	if len(args) > 0 && !(len(args) == 1 && args[0] == "-") {
		return strings.Join(args, " "), nil
	}
	if a.stdinIsTerminal() {
		a.infof("Type the status, then press Ctrl-D on a new line:")
	}
	data, err := io.ReadAll(io.LimitReader(a.env.Stdin, 1<<20))
	if err != nil {
		return "", fmt.Errorf("reading the text from standard input: %w", err)
	}
	return strings.TrimRight(string(data), "\n"), nil
}

// stdinIsTerminal reports whether standard input is a terminal.
func (a *app) stdinIsTerminal() bool {
	w, ok := a.env.Stdin.(io.Writer) // *os.File is both
	return ok && a.env.IsTerminal(w)
}

func parseFocus(s string) (x, y float64, err error) {
	xs, ys, ok := strings.Cut(s, ",")
	if ok {
		x, err = strconv.ParseFloat(strings.TrimSpace(xs), 64)
		if err == nil {
			y, err = strconv.ParseFloat(strings.TrimSpace(ys), 64)
		}
	}
	if !ok || err != nil || x < -1 || x > 1 || y < -1 || y > 1 {
		return 0, 0, usagef("--focus %q: want x,y with each between -1 and 1", s)
	}
	return x, y, nil
}

// parseWhen reads --schedule: RFC 3339, a clock time today (or tomorrow
// if passed), or a delay.
func parseWhen(s string, now time.Time) (time.Time, error) {
	if d, err := time.ParseDuration(strings.TrimPrefix(s, "+")); err == nil {
		return now.Add(d), nil
	}
	for _, layout := range []string{time.RFC3339, "2006-01-02T15:04", "2006-01-02 15:04"} {
		if t, err := time.ParseInLocation(layout, s, now.Location()); err == nil {
			return t, nil
		}
	}
	if t, err := time.ParseInLocation("15:04", s, now.Location()); err == nil {
		at := time.Date(now.Year(), now.Month(), now.Day(), t.Hour(), t.Minute(), 0, 0, now.Location())
		if !at.After(now) {
			at = at.AddDate(0, 0, 1)
		}
		return at, nil
	}
	return time.Time{}, usagef("--schedule %q: give a time (2026-12-24T18:00:00Z or 18:00) or a delay (2h)", s)
}

func (a *app) post(ctx context.Context, text string, f *postFlags) error {
	if (f.edit == "" || len(f.media) > 0) && (len(f.alts) > len(f.media) || len(f.focus) > len(f.media)) {
		return usagef("there are more --alt or --focus values than --media files")
	}
	if len(f.poll) == 1 {
		return usagef("a poll needs at least two options (give --poll once per option)")
	}
	if len(f.poll) > 0 && len(f.media)+len(f.mediaIDs) > 0 {
		return usagef("a status can have media or a poll, not both")
	}
	switch f.visibility {
	case "", "public", "unlisted", "private", "direct":
	default:
		return usagef("--visibility must be public, unlisted, private or direct")
	}
	if f.lang != "" && !langPattern.MatchString(f.lang) {
		return usagef("--lang %q: give a language code as Mastodon knows them (ISO 639-1 such as en or de, or ISO 639-3 such as ast)", f.lang)
	}
	if f.edit != "" && (f.replyTo != "" || f.schedule != "" || f.visibility != "") {
		return usagef("--edit cannot be combined with --reply-to, --schedule or --visibility")
	}
	if f.edit == "" && strings.TrimSpace(text) == "" && len(f.media) == 0 && len(f.mediaIDs) == 0 && len(f.poll) == 0 {
		return usagef("nothing to post: give the text as arguments or on standard input")
	}
	var focus []*mastodon.FocusPoint
	for _, s := range f.focus {
		x, y, err := parseFocus(s)
		if err != nil {
			return err
		}
		focus = append(focus, &mastodon.FocusPoint{X: x, Y: y})
	}
	for _, path := range f.media {
		if err := checkLocalFile("--media", path); err != nil {
			return err
		}
	}
	var at time.Time
	if f.schedule != "" {
		var err error
		if at, err = parseWhen(f.schedule, a.env.Now()); err != nil {
			return err
		}
	}

	c, err := a.client(ctx)
	if err != nil {
		return err
	}
	var mediaIDs []string
	for _, id := range f.mediaIDs {
		if id = strings.TrimSpace(id); id == "" {
			return usagef("--media-id needs an ID (the one 'tusk media upload' printed)")
		}
		mediaIDs = append(mediaIDs, id)
	}
	for i, path := range f.media {
		p := &mastodon.UploadMediaParams{}
		if i < len(f.alts) {
			p.Description = f.alts[i]
		}
		if i < len(focus) {
			p.Focus = focus[i]
		}
		m, err := a.upload(ctx, c, path, p)
		if err != nil {
			return err
		}
		mediaIDs = append(mediaIDs, m.ID)
	}
	var poll *mastodon.PollParams
	if len(f.poll) > 0 {
		poll = mastodon.NewPoll(f.pollExpires, f.poll...)
		poll.Multiple = f.pollMultiple
	}

	if f.edit != "" {
		return a.edit(ctx, c, text, f, focus, mediaIDs, poll)
	}

	p := &mastodon.PostStatusParams{
		Status: text, MediaIDs: mediaIDs, Poll: poll, SpoilerText: f.cw,
		Visibility: mastodon.StatusVisibility(f.visibility), Language: f.lang, ScheduledAt: at,
	}
	if f.sensitive {
		p.Sensitive = mastodon.Ptr(true)
	}
	var posted *mastodon.PostedStatus
	if f.replyTo != "" {
		to, err := c.Statuses.Get(ctx, f.replyTo)
		if err != nil {
			return &argError{arg: "--reply-to " + f.replyTo, err: err}
		}
		posted, err = c.Statuses.Reply(ctx, to, p, nil)
		if err != nil {
			return err
		}
	} else {
		posted, err = c.Statuses.Post(ctx, p)
		if err != nil {
			return err
		}
	}
	if posted.IsScheduled() {
		s := posted.Scheduled
		if a.jsonOut {
			return a.p.JSON(s)
		}
		fmt.Fprintf(a.env.Stdout, "Scheduled for %s (%s) · id %s\n", s.ScheduledAt.Local().Format("Mon 2 Jan 15:04 MST"), ago(s.ScheduledAt, a.env.Now()), termtext.Line(s.ID))
		return nil
	}
	if !a.jsonOut {
		a.infof("Posted:")
	}
	return a.p.Status(posted.Status)
}

// langPattern matches the language codes Mastodon accepts: ISO 639-1 or
// 639-3, some with a region (zh-TW).
var langPattern = regexp.MustCompile(`^[a-z]{2,3}(?:-[A-Z]{2})?$`)

// barFromBytes is the file size from which an upload shows a progress bar:
// smaller files go out before a bar could say anything true.
const barFromBytes = 256 << 10

// mediaPoll is the pause between asks whether the server has processed an
// upload, and maxMediaPolls how many asks tusk makes before giving up.
const (
	mediaPoll     = time.Second
	maxMediaPolls = 600
)

// upload sends one file, with a progress bar for a large one on a
// terminal, then waits while the server processes it, saying so: two
// phases, each shown for what it is.
func (a *app) upload(ctx context.Context, c *mastodon.Client, path string, p *mastodon.UploadMediaParams) (*mastodon.MediaAttachment, error) {
	name := filepath.Base(path)
	var bar *progressbar.ProgressBar
	p.Progress = func(sent, total int64) {
		if bar == nil && total >= barFromBytes {
			bar = progressbar.NewOptions64(total,
				progressbar.OptionSetWriter(a.env.Stderr),
				progressbar.OptionSetDescription("uploading "+termtext.Line(name)),
				progressbar.OptionSetVisibility(a.env.IsTerminal(a.env.Stderr)),
				progressbar.OptionSetWidth(30),
				progressbar.OptionThrottle(100*time.Millisecond),
				progressbar.OptionSetPredictTime(false),
			)
		}
		if bar != nil {
			_ = bar.Set64(sent)
		}
	}
	// The library's own wait would be silent; this one says what happens.
	p.Synchronous = false
	var resp mastodon.Response
	m, err := c.Media.UploadPath(ctx, path, p, mastodon.CallResponse(&resp))
	if bar != nil {
		_ = bar.Clear()
		_ = bar.Exit()
	}
	if err != nil {
		return nil, fmt.Errorf("uploading %s: %w", path, err)
	}
	if resp.StatusCode != http.StatusAccepted && m.URL != nil {
		return m, nil
	}
	a.infof("%s: uploaded; the server is processing it …", termtext.Line(name))
	start := a.env.Now()
	for range maxMediaPolls {
		if err := a.env.Sleep(ctx, mediaPoll); err != nil {
			return nil, err
		}
		var st mastodon.Response
		got, err := c.Media.Get(ctx, m.ID, mastodon.CallResponse(&st))
		if err != nil {
			return nil, fmt.Errorf("processing %s: %w", path, err)
		}
		if st.StatusCode != http.StatusPartialContent {
			a.infof("%s: processed%s", termtext.Line(name), took(a.env.Now().Sub(start)))
			return got, nil
		}
	}
	return nil, fmt.Errorf("the server is still processing %s after %s; attach it later by its ID with 'tusk post --media-id %s'", path, maxMediaPolls*mediaPoll, termtext.Line(m.ID))
}

// took says how long something took, when that is worth saying.
func took(d time.Duration) string {
	if d < time.Second {
		return ""
	}
	return " in " + d.Round(time.Second).String()
}

func (a *app) mediaCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:     "media",
		Short:   "Upload media to attach to statuses later",
		Example: "  tusk media upload cat.jpg --alt \"A cat\"\n  tusk post \"My cat\" --media-id 110123456789012345",
		Args:    cobra.NoArgs,
		RunE:    func(cmd *cobra.Command, args []string) error { return cmd.Help() },
	}
	var (
		alt   string
		focus string
	)
	up := &cobra.Command{
		Use:   "upload FILE",
		Short: "Upload an image, video or audio file and print its media ID",
		Long: `Upload a file, with a progress bar on a terminal, wait until the server has
processed it, and print its media ID (and address). Attach it with
'tusk post --media-id ID', or use 'tusk post --media FILE' to upload and
post at once.`,
		Example: "  tusk media upload cat.jpg --alt \"A cat\" --focus 0,0.3",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkLocalFile("file", args[0]); err != nil {
				return err
			}
			p := &mastodon.UploadMediaParams{Description: alt}
			if focus != "" {
				x, y, err := parseFocus(focus)
				if err != nil {
					return err
				}
				p.Focus = &mastodon.FocusPoint{X: x, Y: y}
			}
			c, err := a.client(cmd.Context())
			if err != nil {
				return err
			}
			m, err := a.upload(cmd.Context(), c, args[0], p)
			if err != nil {
				return err
			}
			if a.jsonOut {
				return a.p.JSON(m)
			}
			fmt.Fprintf(a.env.Stdout, "Uploaded %s: media id %s (%s) %s\n", filepath.Base(args[0]), termtext.Line(m.ID), termtext.Line(string(m.Type)), termtext.Line(deref(m.URL)))
			return nil
		},
	}
	up.Flags().StringVar(&alt, "alt", "", "alt text describing the media")
	up.Flags().StringVar(&focus, "focus", "", "focal point x,y (each -1 to 1)")
	cmd.AddCommand(up)
	return cmd
}

// edit changes status f.edit, keeping what the flags do not replace: an
// edit replaces the whole status, so the text, content warning, media and
// poll are sent again.
func (a *app) edit(ctx context.Context, c *mastodon.Client, text string, f *postFlags, focus []*mastodon.FocusPoint, mediaIDs []string, poll *mastodon.PollParams) error {
	old, err := c.Statuses.Get(ctx, f.edit)
	if err != nil {
		return &argError{arg: "--edit " + f.edit, err: err}
	}
	p := &mastodon.EditStatusParams{Status: text, SpoilerText: f.cw, Language: f.lang, Sensitive: f.sensitive, Poll: poll, MediaIDs: mediaIDs}
	if strings.TrimSpace(text) == "" {
		src, err := c.Statuses.Source(ctx, f.edit)
		if err != nil {
			return err
		}
		p.Status = src.Text
	}
	if !f.cwSet {
		p.SpoilerText = old.SpoilerText
	}
	if len(f.media) == 0 && len(f.mediaIDs) == 0 && poll == nil {
		// Keep the attachments; --alt and --focus change them in order.
		if len(f.alts) > len(old.MediaAttachments) || len(focus) > len(old.MediaAttachments) {
			return usagef("status %s has %d attachment(s): there are more --alt or --focus values than that", termtext.Line(f.edit), len(old.MediaAttachments))
		}
		for i, m := range old.MediaAttachments {
			p.MediaIDs = append(p.MediaIDs, m.ID)
			attr := mastodon.MediaAttribute{ID: m.ID}
			if i < len(f.alts) {
				attr.Description = &f.alts[i]
			}
			if i < len(focus) {
				attr.Focus = focus[i]
			}
			if attr.Description != nil || attr.Focus != nil {
				p.MediaAttributes = append(p.MediaAttributes, attr)
			}
		}
		p.Sensitive = p.Sensitive || old.Sensitive
		if op := old.Poll; op != nil {
			left := time.Duration(0)
			if op.ExpiresAt != nil {
				left = op.ExpiresAt.Sub(a.env.Now())
			}
			if op.Expired || op.ExpiresAt != nil && left <= 0 {
				return usagef("status %s has a poll that has ended; an edit would remove it or open it again (give --poll to replace it)", termtext.Line(f.edit))
			}
			keep := &mastodon.PollParams{Multiple: op.Multiple, ExpiresIn: max(left.Round(time.Second), 5*time.Minute)}
			if op.ExpiresAt == nil {
				keep.ExpiresIn = 24 * time.Hour
			}
			for _, o := range op.Options {
				keep.Options = append(keep.Options, o.Title)
			}
			p.Poll = keep
		}
	}
	if strings.TrimSpace(p.Status) == "" && len(p.MediaIDs) == 0 && p.Poll == nil {
		return usagef("nothing to post: give the new text as arguments or on standard input")
	}
	st, err := c.Statuses.Edit(ctx, f.edit, p)
	if err != nil {
		return &argError{arg: "--edit " + f.edit, err: notYours(ctx, c, f.edit, "edited", err)}
	}
	if !a.jsonOut {
		a.infof("Edited:")
	}
	return a.p.Status(st)
}

// checkLocalFile makes a file that cannot be read a mistake on the command
// line (exit 2), before anything is sent: not something missing on the
// server.
func checkLocalFile(what, path string) error {
	st, err := os.Stat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return usagef("%s %s: there is no such file", what, path)
	case err != nil:
		return usagef("%s %s: cannot read it (%v)", what, path, errors.Unwrap(err))
	case st.IsDir():
		return usagef("%s %s: is a directory, not a file", what, path)
	}
	return nil
}

// notYours explains a 404 when deleting or editing: Mastodon looks the
// status up among the caller's own, so someone else's is "not found".
func notYours(ctx context.Context, c *mastodon.Client, id, done string, err error) error {
	var ae *mastodon.APIError
	if !errors.As(err, &ae) || ae.StatusCode != http.StatusNotFound {
		return err
	}
	st, gerr := c.Statuses.Get(ctx, id)
	if gerr != nil {
		return err
	}
	me, merr := c.Accounts.VerifyCredentials(ctx)
	if merr != nil || st.Account.ID == me.ID {
		return err
	}
	return fmt.Errorf("that status is @%s's, not yours: only your own statuses can be %s", termtext.Line(st.Account.Acct), done)
}

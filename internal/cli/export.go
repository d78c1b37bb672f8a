package cli

import (
	"bufio"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"
	"github.com/tuskgo/mastodon"
	"github.com/tuskgo/mastodon/internal/termtext"
)

// exportKinds are the collections export knows, in the order "all" runs
// them.
var exportKinds = []string{"statuses", "bookmarks", "favourites", "following", "followers"}

const exportStateFile = ".tusk-export.json"

// exportState is what an export has done so far, saved after every page so
// that an interrupted export resumes where it stopped.
type exportState struct {
	Server  string                  `json:"server"`
	Account string                  `json:"account_id"`
	Format  string                  `json:"format"`
	Kinds   map[string]*exportTrack `json:"kinds"`
}

// exportTrack is the progress of one collection.
type exportTrack struct {
	Done   bool   `json:"done"`
	MaxID  string `json:"max_id,omitempty"` // the cursor of the next page
	Count  int64  `json:"count"`            // items written
	Offset int64  `json:"offset"`           // file size after the last whole page
}

func (a *app) newBar(total int64, desc string) *progressbar.ProgressBar {
	visible := a.env.IsTerminal(a.env.Stderr)
	return progressbar.NewOptions64(total,
		progressbar.OptionSetWriter(a.env.Stderr),
		progressbar.OptionSetDescription(desc),
		progressbar.OptionSetVisibility(visible),
		progressbar.OptionShowCount(),
		progressbar.OptionSetWidth(30),
		progressbar.OptionThrottle(100*time.Millisecond),
		progressbar.OptionClearOnFinish(),
		progressbar.OptionSetPredictTime(total > 0),
	)
}

func (a *app) exportCmd() *cobra.Command {
	var (
		format  string
		dir     string
		limit   int
		restart bool
	)
	cmd := &cobra.Command{
		Use:   "export [all|statuses|bookmarks|favourites|following|followers]...",
		Short: "Save your statuses, bookmarks, favourites and follows to files",
		Long: `Export your own statuses, bookmarks, favourites, the accounts you follow and
your followers (all of them by default) into a directory, one file per
collection: JSON Lines (full entities as the server sent them, one per
line) or CSV (the main columns, HTML as plain text).

An export can be interrupted at any time (Ctrl-C, a lost connection): run
the same command again and it resumes after the last saved page. Rate
limits are waited out, saying until when. Once an export is complete,
running it again adds what is new since (at the end of each file; items
removed on the server stay in the files). --restart starts over.

CSV cells that a spreadsheet would run as a formula (starting with =, +, -
or @) are prefixed with an apostrophe.`,
		Example: "  tusk export --dir my-export\n  tusk export statuses --format csv --dir posts\n  tusk export bookmarks favourites",
		RunE: func(cmd *cobra.Command, args []string) error {
			kinds, err := exportSelection(args)
			if err != nil {
				return err
			}
			if format != "jsonl" && format != "csv" {
				return usagef("--format must be jsonl or csv")
			}
			if limit < 1 || limit > 80 {
				return usagef("--limit must be between 1 and 80")
			}
			return a.export(cmd.Context(), kinds, format, dir, limit, restart)
		},
	}
	f := cmd.Flags()
	f.StringVar(&format, "format", "jsonl", "jsonl or csv")
	f.StringVar(&dir, "dir", "", "directory to write to (default: tusk-export-USER@SERVER)")
	f.IntVar(&limit, "limit", 40, "page size to ask for")
	f.BoolVar(&restart, "restart", false, "forget an earlier export in the directory and start over")
	return cmd
}

func exportSelection(args []string) ([]string, error) {
	if len(args) == 0 {
		return exportKinds, nil
	}
	var kinds []string
	seen := map[string]bool{}
	for _, a := range args {
		switch a {
		case "all":
			return exportKinds, nil
		case "follows":
			a = "following"
		case "favorites":
			a = "favourites"
		}
		known := false
		for _, k := range exportKinds {
			known = known || k == a
		}
		if !known {
			return nil, usagef("cannot export %q: choose from all, %s", a, strings.Join(exportKinds, ", "))
		}
		if !seen[a] {
			seen[a] = true
			kinds = append(kinds, a)
		}
	}
	return kinds, nil
}

func (a *app) export(ctx context.Context, kinds []string, format, dir string, limit int, restart bool) error {
	c, err := a.client(ctx)
	if err != nil {
		return err
	}
	me, err := c.Accounts.VerifyCredentials(ctx)
	if err != nil {
		return err
	}
	if dir == "" {
		dir = "tusk-export-" + fileName(accountName(me.Username, c.BaseURL()))
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	statePath := filepath.Join(dir, exportStateFile)
	st := &exportState{Server: c.BaseURL(), Account: me.ID, Format: format, Kinds: map[string]*exportTrack{}}
	if !restart {
		data, err := os.ReadFile(statePath)
		switch {
		case err == nil:
			var old exportState
			if err := json.Unmarshal(data, &old); err != nil {
				return fmt.Errorf("%s is damaged (%v); use --restart to start over", statePath, err)
			}
			if old.Server != st.Server || old.Account != st.Account || old.Format != st.Format {
				return usagef("%s holds an export of another account or format; use another --dir, or --restart", dir)
			}
			if old.Kinds != nil {
				st.Kinds = old.Kinds
			}
		case !errors.Is(err, fs.ErrNotExist):
			return err
		}
	}
	save := func() error {
		data, err := json.MarshalIndent(st, "", "  ")
		if err != nil {
			return err
		}
		tmp := statePath + ".tmp"
		if err := os.WriteFile(tmp, data, 0o600); err != nil {
			return err
		}
		return os.Rename(tmp, statePath)
	}
	for _, kind := range kinds {
		tr := st.Kinds[kind]
		if tr == nil || restart {
			tr = &exportTrack{}
			st.Kinds[kind] = tr
		}
		file := filepath.Join(dir, kind+"."+format)
		update := tr.Done
		if !update && tr.Count > 0 {
			a.infof("%s: resuming after %d", kind, tr.Count)
		}
		var total int64 = -1
		switch kind {
		case "statuses":
			total = int64(me.StatusesCount)
		case "following":
			total = int64(me.FollowingCount)
		case "followers":
			total = int64(me.FollowersCount)
		}
		ex := &exporter{a: a, kind: kind, file: file, format: format, tr: tr, save: save}
		// After a rate-limit wait the fetches below use a new client: the
		// old one would keep refusing until the reset it was told, which
		// a hostile header can put years away; the server's next answer
		// is the truth.
		ex.renew = func() error {
			nc, err := a.client(ctx)
			if err == nil {
				c = nc
			}
			return err
		}
		before := tr.Count
		o := mastodon.ListOptions{Limit: limit}
		switch kind {
		case "statuses":
			err = runExport(ctx, ex, total, func(maxID string) (*mastodon.Page[mastodon.Status], error) {
				o := o
				o.MaxID = maxID
				return c.Accounts.Statuses(ctx, me.ID, &mastodon.AccountStatusesOptions{MaxID: o.MaxID, Limit: o.Limit})
			}, statusCSV)
		case "bookmarks":
			err = runExport(ctx, ex, total, func(maxID string) (*mastodon.Page[mastodon.Status], error) {
				o := o
				o.MaxID = maxID
				return c.Bookmarks.List(ctx, &o)
			}, statusCSV)
		case "favourites":
			err = runExport(ctx, ex, total, func(maxID string) (*mastodon.Page[mastodon.Status], error) {
				o := o
				o.MaxID = maxID
				return c.Favourites.List(ctx, &o)
			}, statusCSV)
		case "following":
			err = runExport(ctx, ex, total, func(maxID string) (*mastodon.Page[mastodon.Account], error) {
				o := o
				o.MaxID = maxID
				return c.Accounts.Following(ctx, me.ID, &o)
			}, accountCSV)
		case "followers":
			err = runExport(ctx, ex, total, func(maxID string) (*mastodon.Page[mastodon.Account], error) {
				o := o
				o.MaxID = maxID
				return c.Accounts.Followers(ctx, me.ID, &o)
			}, accountCSV)
		}
		if err != nil {
			return &exportError{err: err, kind: kind, count: tr.Count}
		}
		switch added := tr.Count - before; {
		case !update:
			a.infof("%s: %s written to %s", kind, plural(tr.Count, "item"), file)
		case added == 0:
			a.infof("%s: nothing new since the last export (%d in %s; --restart exports everything again)", kind, tr.Count, file)
		default:
			a.infof("%s: %d new since the last export, added to %s (%d in all)", kind, added, file, tr.Count)
		}
	}
	return nil
}

// exportError is an export that stopped part way; it says how to resume.
type exportError struct {
	err   error
	kind  string
	count int64
}

func (e *exportError) Error() string {
	return fmt.Sprintf("export of %s stopped after %d: %v", e.kind, e.count, e.err)
}
func (e *exportError) Unwrap() error { return e.err }

func plural(n int64, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return strconv.FormatInt(n, 10) + " " + what + "s"
}

// exporter appends pages of one collection to its file and records the
// progress after each.
type exporter struct {
	a      *app
	kind   string
	file   string
	format string
	tr     *exportTrack
	save   func() error
	renew  func() error
}

// runExport pages through a collection from the saved cursor, appending
// each page and saving the cursor after it. A page cut short by a crash is
// cut off the file on the next run, so every item is written once.
func runExport[T any](ctx context.Context, ex *exporter, total int64, fetch func(maxID string) (*mastodon.Page[T], error), row func(*T) []string) error {
	if ex.tr.Done {
		return runUpdate(ctx, ex, fetch, row)
	}
	f, err := os.OpenFile(ex.file, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return err
	}
	defer f.Close()
	if err := f.Truncate(ex.tr.Offset); err != nil {
		return err
	}
	if _, err := f.Seek(ex.tr.Offset, 0); err != nil {
		return err
	}
	if ex.format == "csv" && ex.tr.Offset == 0 {
		var zero T
		if err := writeCSV(f, [][]string{csvHeader(&zero)}); err != nil {
			return err
		}
		ex.tr.Offset, _ = f.Seek(0, 1)
	}
	bar := ex.a.newBar(total, ex.kind)
	// The summary that follows starts on a clean line.
	defer func() { _ = bar.Clear(); _ = bar.Exit() }()
	_ = bar.Set64(ex.tr.Count)
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		page, err := fetchWaiting(ctx, ex, bar, fetch, ex.tr.MaxID)
		if err != nil {
			return err
		}
		if err := writeItems(f, ex.format, page.Items, row); err != nil {
			return err
		}
		next := ""
		if page.HasNext() && len(page.Items) > 0 {
			next = cursorOf(page.Response.NextURL())
		}
		if err := f.Sync(); err != nil {
			return err
		}
		off, err := f.Seek(0, 1)
		if err != nil {
			return err
		}
		ex.tr.Offset = off
		ex.tr.Count += int64(len(page.Items))
		ex.tr.MaxID = next
		ex.tr.Done = next == ""
		if err := ex.save(); err != nil {
			return err
		}
		if total >= 0 && ex.tr.Count > total {
			// The profile's count is behind the collection itself.
			total = ex.tr.Count
			bar.ChangeMax64(total)
		}
		_ = bar.Set64(ex.tr.Count)
		if ex.tr.Done {
			return nil
		}
	}
}

// writeItems appends items to f as JSON lines or CSV rows.
func writeItems[T any](f *os.File, format string, items []*T, row func(*T) []string) error {
	if format == "csv" {
		rows := make([][]string, 0, len(items))
		for _, it := range items {
			rows = append(rows, row(it))
		}
		return writeCSV(f, rows)
	}
	var buf []byte
	for _, it := range items {
		line, err := json.Marshal(it)
		if err != nil {
			return fmt.Errorf("encoding an item: %w", err)
		}
		buf = append(append(buf, line...), '\n')
	}
	_, err := f.Write(buf)
	return err
}

// runUpdate brings a complete export up to date: it reads the collection
// from the newest end until it meets an item the file already holds, and
// appends the newer ones.
func runUpdate[T any](ctx context.Context, ex *exporter, fetch func(maxID string) (*mastodon.Page[T], error), row func(*T) []string) error {
	known, err := exportedIDs(ex.file, ex.format)
	if err != nil {
		return err
	}
	key := func(it *T) string {
		id := itemID(it)
		if ex.format == "csv" {
			id = csvCell(id)
		}
		return id
	}
	var fresh []*T
	maxID := ""
pages:
	for {
		page, err := fetchWaiting(ctx, ex, nil, fetch, maxID)
		if err != nil {
			return err
		}
		for _, it := range page.Items {
			if known[key(it)] {
				break pages
			}
			known[key(it)] = true
			fresh = append(fresh, it)
		}
		if !page.HasNext() || len(page.Items) == 0 {
			break
		}
		if maxID = cursorOf(page.Response.NextURL()); maxID == "" {
			break
		}
	}
	if len(fresh) == 0 {
		return nil
	}
	f, err := os.OpenFile(ex.file, os.O_RDWR, 0o600)
	if err != nil {
		return err
	}
	defer f.Close()
	if err := f.Truncate(ex.tr.Offset); err != nil {
		return err
	}
	if _, err := f.Seek(ex.tr.Offset, 0); err != nil {
		return err
	}
	if err := writeItems(f, ex.format, fresh, row); err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		return err
	}
	if ex.tr.Offset, err = f.Seek(0, 1); err != nil {
		return err
	}
	ex.tr.Count += int64(len(fresh))
	return ex.save()
}

// exportedIDs reads the IDs an export file holds.
func exportedIDs(file, format string) (map[string]bool, error) {
	f, err := os.Open(file)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, usagef("%s is gone, so tusk cannot tell what is new; use --restart to export everything again", file)
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	ids := map[string]bool{}
	if format == "csv" {
		r := csv.NewReader(f)
		r.FieldsPerRecord = -1
		rows, err := r.ReadAll()
		if err != nil {
			return nil, fmt.Errorf("%s is damaged (%v); use --restart to export everything again", file, err)
		}
		for _, row := range rows[min(1, len(rows)):] {
			if len(row) > 0 {
				ids[row[0]] = true
			}
		}
		return ids, nil
	}
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 64<<20)
	for sc.Scan() {
		var item struct {
			ID string `json:"id"`
		}
		if err := json.Unmarshal(sc.Bytes(), &item); err != nil {
			return nil, fmt.Errorf("%s is damaged (%v); use --restart to export everything again", file, err)
		}
		ids[item.ID] = true
	}
	return ids, sc.Err()
}

// itemID is the ID of a status or account.
func itemID(v any) string {
	switch v := v.(type) {
	case *mastodon.Status:
		return v.ID
	case *mastodon.Account:
		return v.ID
	}
	return ""
}

// maxRateWait bounds one wait for a rate limit: a reset header far in the
// future (a broken or hostile server) is asked about again after this.
const maxRateWait = 15 * time.Minute

// fetchWaiting fetches one page; when the rate limit is spent it says
// until when it waits, waits, and asks again.
func fetchWaiting[T any](ctx context.Context, ex *exporter, bar *progressbar.ProgressBar, fetch func(maxID string) (*mastodon.Page[T], error), maxID string) (*mastodon.Page[T], error) {
	for {
		page, err := fetch(maxID)
		reset, limited := rateLimitReset(err, ex.a.env.Now())
		if !limited {
			return page, err
		}
		now := ex.a.env.Now()
		// A second past the reset allows for the clocks of client and
		// server disagreeing within the Date header's resolution.
		d := min(max(reset.Sub(now)+time.Second, time.Second), maxRateWait)
		if bar != nil {
			_ = bar.Clear()
		}
		when := resetWhen(reset, now)
		if d == maxRateWait {
			when = fmt.Sprintf("for %s (the server names %s; tusk asks again then)", d, reset.UTC().Format(time.RFC3339))
		}
		ex.a.infof("%s: the server's rate limit is spent after %d; waiting %s. Ctrl-C stops, and the same command resumes later.", ex.kind, ex.tr.Count, when)
		if err := ex.a.env.Sleep(ctx, d); err != nil {
			return nil, err
		}
		if err := ex.renew(); err != nil {
			return nil, err
		}
	}
}

// rateLimitReset reports whether err is a spent rate limit, and when it
// resets.
func rateLimitReset(err error, now time.Time) (time.Time, bool) {
	var rle *mastodon.RateLimitError
	var ae *mastodon.APIError
	switch {
	case errors.As(err, &rle):
		return rle.RateLimit.Reset, true
	case errors.As(err, &ae) && ae.StatusCode == http.StatusTooManyRequests:
		if ae.RateLimit.Reset.IsZero() && ae.RetryAfter > 0 {
			return now.Add(ae.RetryAfter), true
		}
		return ae.RateLimit.Reset, true
	}
	return time.Time{}, false
}

// cursorOf reads max_id from a Link "next" URL.
func cursorOf(link string) string {
	u, err := url.Parse(link)
	if err != nil {
		return ""
	}
	return u.Query().Get("max_id")
}

func writeCSV(f *os.File, rows [][]string) error {
	w := csv.NewWriter(f)
	for _, r := range rows {
		for i, cell := range r {
			r[i] = csvCell(cell)
		}
		if err := w.Write(r); err != nil {
			return err
		}
	}
	w.Flush()
	return w.Error()
}

// csvCell strips control sequences and defuses spreadsheet formulas.
func csvCell(s string) string {
	s = termtext.Sanitize(s)
	if s != "" && strings.ContainsRune("=+-@", rune(s[0])) {
		return "'" + s
	}
	return s
}

func csvHeader(v any) []string {
	switch v.(type) {
	case *mastodon.Status:
		return []string{"id", "created_at", "url", "account", "visibility", "in_reply_to_id", "boost_of", "content_warning", "text", "media", "replies", "boosts", "favourites"}
	case *mastodon.Account:
		return []string{"id", "acct", "display_name", "url", "note", "created_at", "bot", "locked", "statuses", "following", "followers"}
	}
	return nil
}

func statusCSV(s *mastodon.Status) []string {
	boostOf := ""
	shown := s
	if s.Reblog != nil {
		boostOf = s.Reblog.ID
		shown = s.Reblog
	}
	var media []string
	for _, m := range shown.MediaAttachments {
		if u := deref(m.URL); u != "" {
			media = append(media, u)
		}
	}
	return []string{
		s.ID, s.CreatedAt.UTC().Format(time.RFC3339), deref(s.URL), shown.Account.Acct, string(s.Visibility),
		deref(s.InReplyToID), boostOf, shown.SpoilerText, termtext.HTML(shown.Content), strings.Join(media, " "),
		strconv.Itoa(shown.RepliesCount), strconv.Itoa(shown.ReblogsCount), strconv.Itoa(shown.FavouritesCount),
	}
}

func accountCSV(acc *mastodon.Account) []string {
	return []string{
		acc.ID, acc.Acct, acc.DisplayName, deref(acc.URL), termtext.HTML(acc.Note), acc.CreatedAt.UTC().Format(time.RFC3339),
		strconv.FormatBool(acc.Bot), strconv.FormatBool(acc.Locked),
		strconv.Itoa(acc.StatusesCount), strconv.Itoa(acc.FollowingCount), strconv.Itoa(acc.FollowersCount),
	}
}

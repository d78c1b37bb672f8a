package cli

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tuskgo/mastodon/mastodontest"
)

// interrupter cancels the command when the n-th request for a path
// prefix goes out, as Ctrl-C would.
type interrupter struct {
	prefix string
	n      int32
	seen   atomic.Int32
	cancel context.CancelFunc
}

func (it *interrupter) RoundTrip(r *http.Request) (*http.Response, error) {
	if strings.HasPrefix(r.URL.Path, it.prefix) && it.seen.Add(1) == it.n {
		it.cancel()
		<-r.Context().Done()
		return nil, r.Context().Err()
	}
	return http.DefaultTransport.RoundTrip(r)
}

func readJSONL(t *testing.T, path string) []map[string]any {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return decodeLines(t, string(data))
}

func TestExportResumes(t *testing.T) {
	h := newHarness(t)
	me, tok := h.login("alice")
	bob, _ := h.srv.CreateUser("bob")
	alice := mastodontest.NewClient(h.srv, tok)
	var ids []string
	for i := 1; i <= 7; i++ {
		st := alice.PostStatus(t, fmt.Sprintf("export me %d", i))
		ids = append(ids, st["id"].(string))
	}
	alice.JSON(t, 200, "POST", "/api/v1/statuses/"+ids[1]+"/bookmark", nil, nil)
	alice.JSON(t, 200, "POST", "/api/v1/statuses/"+ids[2]+"/favourite", nil, nil)
	alice.JSON(t, 200, "POST", "/api/v1/accounts/"+bob.ID+"/follow", nil, nil)
	dir := filepath.Join(t.TempDir(), "out")

	// Interrupted while fetching the third page of statuses.
	ctx, cancel := context.WithCancel(t.Context())
	it := &interrupter{prefix: "/api/v1/accounts/" + me.ID + "/statuses", n: 3, cancel: cancel}
	h2 := *h
	r := h2.runWithClient(ctx, &http.Client{Transport: it}, "export", "--dir", dir, "--limit", "2")
	if r.code == 0 || !strings.Contains(r.err, "stopped after 4") || !strings.Contains(r.err, "again to resume") {
		t.Fatalf("interrupted export: exit %d, stderr %q", r.code, r.err)
	}
	statuses := filepath.Join(dir, "statuses.jsonl")
	if got := readJSONL(t, statuses); len(got) != 4 {
		t.Fatalf("after the interruption %d statuses are saved, want 4", len(got))
	}
	// A torn write at the moment of the crash is cut off on resume.
	f, _ := os.OpenFile(statuses, os.O_APPEND|os.O_WRONLY, 0)
	f.WriteString(`{"id":"half a li`)
	f.Close()

	r = h.run("export", "--dir", dir, "--limit", "2").mustOK(t)
	if !strings.Contains(r.err, "resuming after 4") {
		t.Errorf("no resume message: %q", r.err)
	}
	got := readJSONL(t, statuses)
	if len(got) != 7 {
		t.Fatalf("%d statuses exported, want 7", len(got))
	}
	for i, s := range got {
		if want := ids[6-i]; s["id"] != want {
			t.Errorf("status %d id %v, want %s (each once, newest first)", i, s["id"], want)
		}
	}
	// Full entities: the line holds what the server sent.
	var raw map[string]any
	alice.JSON(t, 200, "GET", "/api/v1/statuses/"+ids[6], nil, &raw)
	for k := range raw {
		if _, ok := got[0][k]; !ok {
			t.Errorf("exported status lacks %q", k)
		}
	}
	if !reflect.DeepEqual(got[0]["account"], raw["account"]) || got[0]["content"] != raw["content"] {
		t.Errorf("exported status differs from the server's:\n%v\n%v", got[0], raw)
	}
	if b := readJSONL(t, filepath.Join(dir, "bookmarks.jsonl")); len(b) != 1 || b[0]["id"] != ids[1] {
		t.Errorf("bookmarks: %v", b)
	}
	if f := readJSONL(t, filepath.Join(dir, "favourites.jsonl")); len(f) != 1 || f[0]["id"] != ids[2] {
		t.Errorf("favourites: %v", f)
	}
	if f := readJSONL(t, filepath.Join(dir, "following.jsonl")); len(f) != 1 || f[0]["acct"] != "bob" {
		t.Errorf("following: %v", f)
	}
	if st, _ := os.Stat(statuses); st.Mode().Perm() != 0o600 {
		t.Errorf("export file mode %v", st.Mode().Perm())
	}

	// Run again: nothing to do.
	r = h.run("export", "--dir", dir).mustOK(t)
	if !strings.Contains(r.err, "statuses: nothing new since the last export (7 in ") || !strings.Contains(r.err, "--restart exports everything again") {
		t.Errorf("second run: %q", r.err)
	}
	// Another format in the same directory is refused.
	if r := h.run("export", "--dir", dir, "--format", "csv"); r.code != ExitUsage {
		t.Errorf("format change: exit %d %q", r.code, r.err)
	}
}

func TestExportCSV(t *testing.T) {
	h := newHarness(t)
	_, tok := h.login("alice")
	alice := mastodontest.NewClient(h.srv, tok)
	alice.PostStatus(t, "=HYPERLINK(\"http://evil.example\") \x1b[31mred")
	alice.PostStatus(t, "plain, with \"quotes\"")
	dir := t.TempDir()
	h.run("export", "statuses", "--format", "csv", "--dir", dir).mustOK(t)
	f, err := os.Open(filepath.Join(dir, "statuses.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 3 || rows[0][0] != "id" || rows[0][8] != "text" {
		t.Fatalf("rows: %q", rows)
	}
	if rows[1][8] != `plain, with "quotes"` {
		t.Errorf("text cell %q", rows[1][8])
	}
	if !strings.HasPrefix(rows[2][8], "'=") || strings.Contains(rows[2][8], "\x1b") {
		t.Errorf("formula cell not defused: %q", rows[2][8])
	}
	if rows[1][3] != "alice" {
		t.Errorf("account cell %q", rows[1][3])
	}
}

// TestExportWaitsOutRateLimits: an export that spends the server's rate
// limit says what it waits for, until when, and that Ctrl-C then a rerun
// resumes; the wait runs on the server's clock (no sleeping), the
// progress bar is cleared before each message and before the summary, and
// the bar's total and the summary agree.
func TestExportWaitsOutRateLimits(t *testing.T) {
	h := newHarness(t)
	_, tok := h.login("alice")
	alice := mastodontest.NewClient(h.srv, tok)
	for i := range 13 {
		alice.PostStatus(t, fmt.Sprintf("status %d", i))
	}
	clock := h.srv.Clock()
	clock.Set(time.Date(2026, 12, 7, 15, 0, 30, 0, time.UTC))
	h.srv.SetRateLimit(3, 5*time.Minute)
	var waits []time.Duration
	h.sleep = func(ctx context.Context, d time.Duration) error {
		waits = append(waits, d)
		clock.Advance(d)
		return nil
	}
	h.term = true
	dir := filepath.Join(t.TempDir(), "out")
	r := h.run("export", "statuses", "--dir", dir, "--limit", "2").mustOK(t)

	if got := readJSONL(t, filepath.Join(dir, "statuses.jsonl")); len(got) != 13 {
		t.Fatalf("%d statuses exported, want 13", len(got))
	}
	// 3 requests per 5 minutes: verify_credentials and 2 pages of 2, then
	// 3 pages, then the last 2: two waits.
	if len(waits) != 2 {
		t.Fatalf("waited %d times (%v), want 2", len(waits), waits)
	}
	for _, d := range waits {
		if d <= 0 || d > 5*time.Minute+time.Second {
			t.Errorf("waited %v, want up to the end of a 5-minute window", d)
		}
	}
	msg := regexp.MustCompile(`statuses: the server's rate limit is spent after (\d+); waiting until \d\d:\d\d:\d\d UTC \(in (\S+)\)\. Ctrl-C stops, and the same command resumes later\.`)
	found := msg.FindAllStringSubmatch(r.err, -1)
	if len(found) != 2 || found[0][1] != "4" || found[1][1] != "10" || found[0][2] != "4m30s" || found[1][2] != "5m0s" {
		t.Errorf("wait messages %q in stderr:\n%q", found, r.err)
	}
	// Every message and the summary start on a line of their own: the bar
	// was cleared (carriage return) or never drawn on that line.
	for _, line := range strings.Split(strings.TrimRight(r.err, "\n"), "\n") {
		shown := line[strings.LastIndex(line, "\r")+1:]
		if shown != "" && !strings.HasPrefix(shown, "statuses: ") {
			t.Errorf("a line ends with a progress bar frame: %q", line)
		}
	}
	if !strings.HasSuffix(r.err, "statuses: 13 items written to "+filepath.Join(dir, "statuses.jsonl")+"\n") {
		t.Errorf("summary: %q", r.err)
	}
	if !strings.Contains(r.err, "(0/13)") {
		t.Errorf("no progress bar with the profile's total was drawn: %q", r.err)
	}
}

// TestExportFarFutureReset: a reset header years away is waited for 15
// minutes at most, then the server is asked again.
func TestExportFarFutureReset(t *testing.T) {
	h := newHarness(t)
	_, tok := h.login("alice")
	mastodontest.NewClient(h.srv, tok).PostStatus(t, "one")
	var calls atomic.Int32
	far := &farReset{calls: &calls}
	var waits []time.Duration
	h.sleep = func(ctx context.Context, d time.Duration) error { waits = append(waits, d); return nil }
	r := h.runWithClient(t.Context(), &http.Client{Transport: far}, "export", "statuses", "--dir", t.TempDir()).mustOK(t)
	if len(waits) != 1 || waits[0] != maxRateWait {
		t.Errorf("waits %v, want one of %v", waits, maxRateWait)
	}
	// The library caps what one reset header can impose (30 minutes), so
	// the time named is that cap, not 2099; either way tusk waits 15 minutes.
	if !regexp.MustCompile(`waiting for 15m0s \(the server names \S+Z; tusk asks again then\)`).MatchString(r.err) {
		t.Errorf("stderr: %q", r.err)
	}
}

// farReset answers the first statuses page with a 429 whose reset is in
// 2099, then passes requests on.
type farReset struct{ calls *atomic.Int32 }

func (f *farReset) RoundTrip(r *http.Request) (*http.Response, error) {
	if strings.Contains(r.URL.Path, "/statuses") && f.calls.Add(1) == 1 {
		h := http.Header{}
		h.Set("Content-Type", "application/json")
		h.Set("X-RateLimit-Limit", "300")
		h.Set("X-RateLimit-Remaining", "0")
		h.Set("X-RateLimit-Reset", "2099-01-01T00:00:00.000Z")
		return &http.Response{StatusCode: 429, Header: h, Body: io.NopCloser(strings.NewReader(`{"error":"Too many requests"}`)), Request: r}, nil
	}
	return http.DefaultTransport.RoundTrip(r)
}

// TestExportRerunUpdates: running a complete export again adds what is
// new since, in both formats, and says how many.
func TestExportRerunUpdates(t *testing.T) {
	for _, format := range []string{"jsonl", "csv"} {
		t.Run(format, func(t *testing.T) {
			h := newHarness(t)
			_, tok := h.login("alice")
			bob, _ := h.srv.CreateUser("bob")
			carol, _ := h.srv.CreateUser("carol")
			alice := mastodontest.NewClient(h.srv, tok)
			for i := range 5 {
				alice.PostStatus(t, fmt.Sprintf("old %d", i))
			}
			alice.JSON(t, 200, "POST", "/api/v1/accounts/"+bob.ID+"/follow", nil, nil)
			dir := t.TempDir()
			h.run("export", "statuses", "following", "--dir", dir, "--format", format, "--limit", "2").mustOK(t)

			var newIDs []string
			for i := range 3 {
				newIDs = append(newIDs, alice.PostStatus(t, fmt.Sprintf("new %d", i))["id"].(string))
			}
			alice.JSON(t, 200, "POST", "/api/v1/accounts/"+carol.ID+"/follow", nil, nil)
			r := h.run("export", "statuses", "following", "--dir", dir, "--format", format, "--limit", "2").mustOK(t)
			for _, want := range []string{"statuses: 3 new since the last export, added to ", "(8 in all)", "following: 1 new since the last export", "(2 in all)"} {
				if !strings.Contains(r.err, want) {
					t.Errorf("rerun stderr lacks %q: %q", want, r.err)
				}
			}
			ids := exportedIDsOf(t, filepath.Join(dir, "statuses."+format), format)
			if len(ids) != 8 {
				t.Fatalf("%d statuses in the file, want 8: %v", len(ids), ids)
			}
			if got := strings.Join(ids[5:], " "); got != strings.Join([]string{newIDs[2], newIDs[1], newIDs[0]}, " ") {
				t.Errorf("appended %s, want the new statuses newest first", got)
			}
			r = h.run("export", "statuses", "--dir", dir, "--format", format).mustOK(t)
			if !strings.Contains(r.err, "statuses: nothing new since the last export (8 in ") {
				t.Errorf("third run: %q", r.err)
			}
			os.Remove(filepath.Join(dir, "statuses."+format))
			r = h.run("export", "statuses", "--dir", dir, "--format", format)
			wantErr(t, r, ExitUsage, "is gone, so tusk cannot tell what is new; use --restart")
			if strings.Contains(r.err, "resume") {
				t.Errorf("a rerun cannot help here: %q", r.err)
			}
		})
	}
}

func exportedIDsOf(t *testing.T, file, format string) []string {
	t.Helper()
	var ids []string
	if format == "csv" {
		f, err := os.Open(file)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		rows, err := csv.NewReader(f).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rows[1:] {
			ids = append(ids, r[0])
		}
		return ids
	}
	for _, l := range readJSONL(t, file) {
		ids = append(ids, l["id"].(string))
	}
	return ids
}

package cli

import (
	"context"
	"encoding/csv"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync/atomic"
	"testing"

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
	if !strings.Contains(r.err, "already exported") {
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

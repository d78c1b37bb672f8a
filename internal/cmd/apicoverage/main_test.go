package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/tuskgo/mastodon/internal/directives"
)

var update = flag.Bool("update", false, "rewrite the Status column of docs/mastodonpy.md and docs/endpoints.md from the source")

const root = "../../.."

// realSpec loads the reference files, skipping when they are absent (a
// fresh clone without ../shared).
func realSpec(t *testing.T) *Spec {
	t.Helper()
	dir, err := findSpec()
	if errors.Is(err, errNoSpec) {
		t.Skip("reference files not found (../shared/spec is absent from a fresh clone); skipping")
	}
	if err != nil {
		t.Fatal(err)
	}
	s, err := LoadSpec(dir)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func realSet(t *testing.T) *directives.Set {
	t.Helper()
	s, err := directives.ParseModule(root)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestSpecCounts(t *testing.T) {
	spec := realSpec(t)
	if len(spec.Operations) != 210 {
		t.Errorf("OpenAPI operations: %d, want 210", len(spec.Operations))
	}
	if len(spec.Methods) != 268 {
		t.Errorf("Mastodon.py methods: %d, want 268", len(spec.Methods))
	}
	client, admin := spec.PyEndpoints()
	if len(admin) != 52 {
		t.Errorf("Mastodon.py admin endpoints: %d, want 52", len(admin))
	}
	for _, k := range client {
		if isAdmin(k) {
			t.Errorf("admin endpoint %s counted as client API", k)
		}
	}
}

// TestDirectivesNameKnownEndpoints is the typo check: every directive in the
// package must be well formed and name an endpoint of the OpenAPI file, of
// Mastodon.py, or of the allowlist, with path parameters spelled as there.
func TestDirectivesNameKnownEndpoints(t *testing.T) {
	spec, set := realSpec(t), realSet(t)
	for _, p := range set.Problems {
		t.Errorf("malformed directive: %s", p)
	}
	r := Analyze(spec, set)
	for _, u := range r.Unknown {
		t.Errorf("%s: %s names %s, which neither reference file knows; fix it or add it to knownExtensions with a reason", u.Pos, u.Func, u.Endpoint)
	}
	for _, u := range r.Misnamed {
		t.Errorf("%s: %s names %s; write %s", u.Pos, u.Func, u.Endpoint, u.Want)
	}
	for _, u := range r.CodeMismatch {
		t.Errorf("%s: %s %s", u.Pos, u.Func, u.Want)
	}
	for _, u := range r.VersionNotes {
		t.Logf("%s: %s %s: %s (a version check would refuse servers the references call new enough)", u.Pos, u.Func, u.Endpoint, u.Want)
	}
	t.Logf("OpenAPI %s, Mastodon.py client %s, admin %s, admin (docs only) %s",
		r.OpenAPI, r.PyClient, r.PyAdmin, r.DocsAdmin)
}

// TestMastodonPyDoc keeps docs/mastodonpy.md honest: every Mastodon.py
// method listed once, rows marked implemented backed by the source.
func TestMastodonPyDoc(t *testing.T) {
	spec, set := realSpec(t), realSet(t)
	path := filepath.Join(root, "docs", "mastodonpy.md")
	if *update {
		before, err := checkPyDoc(path, spec, set)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := rewriteStatuses(path, func(r DocRow) string {
			if r.Status == statusNone {
				return ""
			}
			c := before
			if c.Verdicts[r.Key].Complete {
				return statusImplemented
			}
			return statusPlanned
		}); err != nil {
			t.Fatal(err)
		}
	}
	c, err := checkPyDoc(path, spec, set)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range c.Errors {
		t.Error(e)
	}
	for _, p := range c.Planned {
		t.Logf("planned: %s", p)
	}
	for _, n := range c.NowComplete {
		t.Logf("implemented but marked planned (run this test with -update): %s", n)
	}
	t.Logf("%d of %d methods with an equivalent implemented, %d without one by design", c.Implemented, len(c.Rows)-c.None, c.None)
}

// TestEndpointsDoc keeps docs/endpoints.md complete: every OpenAPI
// operation, Mastodon.py endpoint and known extension once, and rows marked
// implemented backed by a directive on the named method.
func TestEndpointsDoc(t *testing.T) {
	spec, set := realSpec(t), realSet(t)
	path := filepath.Join(root, "docs", "endpoints.md")
	if *update {
		if _, err := rewriteStatuses(path, func(r DocRow) string {
			k := directives.Normalize(r.Key)
			if k == "" || len(r.Names) != 1 {
				return ""
			}
			if checkNames(set, r.Names, []string{k}).Complete {
				return statusImplemented
			}
			return statusPlanned
		}); err != nil {
			t.Fatal(err)
		}
	}
	c, err := checkEndpointsDoc(path, spec, set)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range c.Errors {
		t.Error(e)
	}
	for _, n := range c.NowComplete {
		t.Logf("implemented but marked planned (run this test with -update): %s", n)
	}
	t.Logf("%d endpoints planned", len(c.Planned))
}

// TestExtensionsMatchDoc checks the allowlist against the "Known
// extensions" table of docs/endpoints.md, reasons included.
func TestExtensionsMatchDoc(t *testing.T) {
	b, err := os.ReadFile(filepath.Join(root, "docs", "endpoints.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, section, ok := strings.Cut(string(b), "## Known extensions")
	if !ok {
		t.Fatal("docs/endpoints.md has no Known extensions section")
	}
	var doc []Extension
	for l := range strings.SplitSeq(section, "\n") {
		if !strings.HasPrefix(l, "| `") {
			continue
		}
		c := splitRow(l)
		doc = append(doc, Extension{Endpoint: strings.Trim(c[0], "`"), Reason: c[len(c)-1]})
	}
	if !slices.Equal(doc, knownExtensions) {
		t.Fatalf("allowlist and docs differ:\n code %v\n docs %v", knownExtensions, doc)
	}
}

// The remaining tests use made-up sources and specs.

func fakeSpec() *Spec {
	str := func(s string) *string { return &s }
	return &Spec{
		Operations: []string{
			"GET /api/v1/accounts/{id}",
			"POST /api/v1/statuses",
			"POST /api/v1/statuses/{id}/favourite",
			"GET /api/v1/streaming/public/local",
			"GET /api/v2/instance",
		},
		Methods: []PyMethod{
			{Name: "account", Endpoints: []string{"GET /api/v1/accounts/{}"}, MinVersion: str("1.0.0")},
			{Name: "status_post", Endpoints: []string{"POST /api/v1/statuses"}, MinVersion: str("2.0.0")},
			{Name: "status_favourite", Endpoints: []string{"POST /api/v1/statuses/{}/favourite"}},
			{Name: "stream_local", Endpoints: []string{"GET /api/v1/streaming/public", "GET /api/v2/instance"}},
			{Name: "search", Endpoints: []string{"GET /api/v1/instance", "GET /api/v2/search"}},
			{Name: "admin_account", Endpoints: []string{"GET /api/v1/admin/accounts/{}"}},
			{Name: "admin_reports", Endpoints: []string{"GET /api/v1/admin/reports"}},
			{Name: "decode_blurhash"},
			{Name: "fetch_remaining"},
		},
	}
}

const fakeSource = `package mastodon

type AccountsService service
type StatusesService service
type StreamingService service
type AdminAccountsService service
type Page[T any] struct{}

// Get fetches an account.
//
//api:endpoint GET /api/v1/accounts/{id}
//api:since 0.0.0
func (s *AccountsService) Get() {}

// Post asks for a newer server than the references.
//
//api:endpoint POST /api/v1/statuses
//api:since 4.0.0
func (s *StatusesService) PostNew() {}

// Post posts.
//
//api:endpoint POST /api/v1/statuses
func (s *StatusesService) Post() {}

// Favourite uses a parameter name the OpenAPI file does not.
//
//api:endpoint POST /api/v1/statuses/{status_id}/favourite
func (s *StatusesService) Favourite() {}

// Local streams the local timeline.
//
//api:endpoint GET /api/v1/streaming/public/local
func (s *StreamingService) Local() {}

// Get fetches an account as a moderator.
//
//api:endpoint GET /api/v1/admin/accounts/{id}
func (s *AdminAccountsService) Get() {}

// Tags lists admin tags: an allowlisted extension.
//
//api:endpoint GET /api/v1/admin/tags
func (s *AdminAccountsService) Tags() {}

// Typo names an endpoint nobody knows.
//
//api:endpoint GET /api/v1/acounts/{id}
func (s *AccountsService) Typo() {}

// DecodeBlurhash decodes.
func DecodeBlurhash() {}
`

func fakeSet(t *testing.T) *directives.Set {
	t.Helper()
	s, err := directives.ParseFiles(map[string]string{"a.go": fakeSource})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestAnalyze(t *testing.T) {
	r := Analyze(fakeSpec(), fakeSet(t))
	if r.Methods != 8 || r.Endpoints != 7 {
		t.Errorf("methods %d endpoints %d, want 8 and 7", r.Methods, r.Endpoints)
	}
	if len(r.VersionNotes) != 1 || r.VersionNotes[0].Func != "Statuses.PostNew" || !strings.Contains(r.VersionNotes[0].Want, "since 4.0.0, the references say 2.0.0") {
		t.Errorf("version notes: %+v", r.VersionNotes)
	}
	check := func(name string, got Tally, covered, missing []string) {
		t.Helper()
		if !slices.Equal(got.Covered, covered) || !slices.Equal(got.Missing, missing) {
			t.Errorf("%s: covered %v missing %v; want %v and %v", name, got.Covered, got.Missing, covered, missing)
		}
	}
	check("OpenAPI", r.OpenAPI,
		[]string{"GET /api/v1/accounts/{id}", "POST /api/v1/statuses", "POST /api/v1/statuses/{id}/favourite", "GET /api/v1/streaming/public/local"},
		[]string{"GET /api/v2/instance"})
	check("Mastodon.py client", r.PyClient,
		[]string{"GET /api/v1/accounts/{id}", "POST /api/v1/statuses", "POST /api/v1/statuses/{id}/favourite"},
		[]string{"GET /api/v1/instance", "GET /api/v1/streaming/public", "GET /api/v2/instance", "GET /api/v2/search"})
	check("Mastodon.py admin", r.PyAdmin, []string{"GET /api/v1/admin/accounts/{id}"}, []string{"GET /api/v1/admin/reports"})
	if len(r.DocsAdmin.Covered) != 1 || r.DocsAdmin.Covered[0] != "GET /api/v1/admin/tags" {
		t.Errorf("docs admin covered: %v", r.DocsAdmin.Covered)
	}
	if r.DocsAdmin.Total() != 7 {
		t.Errorf("docs admin total %d, want 7", r.DocsAdmin.Total())
	}
	if len(r.Unknown) != 1 || r.Unknown[0].Endpoint != "GET /api/v1/acounts/{id}" || r.Unknown[0].Func != "Accounts.Typo" || r.Unknown[0].Pos == "" {
		t.Errorf("unknown: %+v", r.Unknown)
	}
	if len(r.Misnamed) != 1 || r.Misnamed[0].Want != "POST /api/v1/statuses/{id}/favourite" {
		t.Errorf("misnamed: %+v", r.Misnamed)
	}
	var out bytes.Buffer
	r.Print(&out, true)
	for _, w := range []string{
		"from 8 methods naming 7 endpoints",
		"Directives asking for a newer server than the references",
		"OpenAPI operations (mastodon-openapi.json)        4/5 (80.0%)",
		"Mastodon.py endpoints, admin API                  1/2 (50.0%)",
		"Admin API, all                                    2/9 (22.2%)",
		"GET /api/v1/acounts/{id}",
		"write POST /api/v1/statuses/{id}/favourite",
		"Missing: OpenAPI operations (1)\n  GET /api/v2/instance\n",
		"Covered: OpenAPI operations (4)",
		"Missing: Mastodon.py endpoints, client API (not in OpenAPI) (3)",
	} {
		if !strings.Contains(out.String(), w) {
			t.Errorf("report lacks %q:\n%s", w, out.String())
		}
	}
}

func TestCheckNames(t *testing.T) {
	set := fakeSet(t)
	cases := []struct {
		name      string
		names     []string
		endpoints []string
		complete  bool
		errs      int
		notes     int
	}{
		{"match", []string{"Accounts.Get"}, []string{"GET /api/v1/accounts/{}"}, true, 0, 0},
		{"missing name", []string{"Accounts.Nope"}, []string{"GET /api/v1/accounts/{}"}, false, 1, 0},
		{"wrong endpoint", []string{"Statuses.Post"}, []string{"GET /api/v1/accounts/{}"}, false, 1, 1},
		{"not covered anywhere", []string{"Statuses.Post"}, []string{"POST /api/v1/statuses", "GET /api/v2/search"}, false, 1, 0},
		{"alias", []string{"Streaming.Local"}, []string{"GET /api/v1/streaming/public"}, true, 0, 0},
		{"other method calls it", []string{"Statuses.Post"}, []string{"POST /api/v1/statuses", "GET /api/v1/accounts/{}"}, true, 0, 1},
		{"function without endpoints", []string{"DecodeBlurhash"}, nil, true, 0, 0},
		{"two names", []string{"Accounts.Get", "Statuses.Post"}, []string{"GET /api/v1/accounts/{}", "POST /api/v1/statuses"}, true, 0, 0},
		{"no names", nil, nil, false, 0, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rc := checkNames(set, c.names, c.endpoints)
			if rc.Complete != c.complete || len(rc.Errors) != c.errs || len(rc.Notes) != c.notes {
				t.Fatalf("got %+v", rc)
			}
		})
	}
	if got := counted([]string{"GET /api/v1/instance", "GET /api/v2/search"}, []string{"Search.Query"}); !slices.Equal(got, []string{"GET /api/v2/search"}) {
		t.Errorf("counted keeps an incidental call: %v", got)
	}
	if got := counted([]string{"GET /api/v2/instance"}, []string{"Timelines.IsAvailable"}); len(got) != 0 {
		t.Errorf("counted keeps the instance call of a non-instance method: %v", got)
	}
	if got := counted([]string{"GET /api/v1/instance", "GET /api/v2/instance"}, []string{"Instance.Get", "Instance.GetV1"}); len(got) != 2 {
		t.Errorf("counted drops the instance calls of an instance method: %v", got)
	}
}

func TestCheckPyDoc(t *testing.T) {
	doc := "# x\n\n| Mastodon.py | Tusk | Status | Endpoints | Notes |\n|---|---|---|---|---|\n" +
		"| `account` | `Accounts.Get` | implemented | `GET /api/v1/accounts/{}` |  |\n" +
		"| `status_post` | `Statuses.Post` | planned | `POST /api/v1/statuses` |  |\n" +
		"| `status_favourite` | `Statuses.Favourite` | implemented | `POST /api/v1/statuses/{}/favourite` |  |\n" +
		"| `stream_local` | `Streaming.Local` | planned | `GET /api/v1/streaming/public`<br>`GET /api/v2/instance` |  |\n" +
		"| `search` | `Search.Query` | planned | `GET /api/v1/instance` |  |\n" +
		"| `admin_account` | `Admin.Accounts.Get` | done | `GET /api/v1/admin/accounts/{}` |  |\n" +
		"| `decode_blurhash` | `DecodeBlurhash` | implemented |  |  |\n" +
		"| `fetch_remaining` | — | none |  |  |\n" +
		"| `account` | `Accounts.Get` | implemented | `GET /api/v1/accounts/{}` |  |\n" +
		"| `toot` | `Statuses.Post` | planned | `POST /api/v1/statuses` |  |\n"
	path := filepath.Join(t.TempDir(), "mastodonpy.md")
	if err := os.WriteFile(path, []byte(doc), 0o644); err != nil {
		t.Fatal(err)
	}
	c, err := checkPyDoc(path, fakeSpec(), fakeSet(t))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		// status_favourite: the directive spells the path differently but
		// normalises equal, so it is complete; no error expected for it.
		"search endpoints cell",
		"admin_account has status \"done\"",
		"fetch_remaining says none without a reason",
		"account listed again",
		"toot is not a Mastodon.py method",
		"admin_reports is not listed",
	}
	joined := strings.Join(c.Errors, "\n")
	for _, w := range want {
		if !strings.Contains(joined, w) {
			t.Errorf("errors lack %q:\n%s", w, joined)
		}
	}
	if len(c.Errors) != len(want) {
		t.Errorf("got %d errors, want %d:\n%s", len(c.Errors), len(want), joined)
	}
	if !slices.Equal(c.NowComplete, []string{"status_post → Statuses.Post", "stream_local → Streaming.Local"}) {
		t.Errorf("now complete: %v", c.NowComplete)
	}
	if len(c.Planned) != 1 || !strings.HasPrefix(c.Planned[0], "search → Search.Query") {
		t.Errorf("planned: %v", c.Planned)
	}
	if c.Implemented != 5 || c.None != 1 {
		t.Errorf("implemented %d none %d", c.Implemented, c.None)
	}

	// A row marked implemented whose method is gone is an error.
	bad := strings.Replace(doc, "`Accounts.Get` | implemented", "`Accounts.Fetch` | implemented", 1)
	if err := os.WriteFile(path, []byte(bad), 0o644); err != nil {
		t.Fatal(err)
	}
	c, err = checkPyDoc(path, fakeSpec(), fakeSet(t))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(strings.Join(c.Errors, "\n"), "account is marked implemented but Accounts.Fetch is not declared") {
		t.Errorf("renamed method not caught: %v", c.Errors)
	}
}

func TestRewriteStatuses(t *testing.T) {
	doc := "intro | `x`\n| `a` | `A.B` | planned | `GET /x` |  |\n| `b` | — | none |  | why |\n"
	path := filepath.Join(t.TempDir(), "d.md")
	if err := os.WriteFile(path, []byte(doc), 0o644); err != nil {
		t.Fatal(err)
	}
	changed, err := rewriteStatuses(path, func(r DocRow) string {
		if r.Key == "a" {
			return statusImplemented
		}
		return ""
	})
	if err != nil || !changed {
		t.Fatalf("changed %v err %v", changed, err)
	}
	got, _ := os.ReadFile(path)
	want := "intro | `x`\n| `a` | `A.B` | implemented | `GET /x` |  |\n| `b` | — | none |  | why |\n"
	if string(got) != want {
		t.Fatalf("got\n%s\nwant\n%s", got, want)
	}
	changed, err = rewriteStatuses(path, func(DocRow) string { return "" })
	if err != nil || changed {
		t.Fatalf("no-op rewrite: changed %v err %v", changed, err)
	}
}

func TestAddedVersion(t *testing.T) {
	cases := map[string]string{
		"Post.\n\nVersion history:\n\n0.0.0 - added\\\n2.7.0 - `scheduled_at` added": "0.0.0",
		"Version history:\n\n- 4.4.0 (`mastodon` [API version] 4) - added":           "4.4.0",
		"Version history:\n\n3.5.0 - added\n4.0.0 - changed":                         "3.5.0",
		"No history here.":                 "",
		"Version history:\n\nsoon - added": "",
	}
	for in, want := range cases {
		if got := addedVersion(in); got != want {
			t.Errorf("addedVersion(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestRunOnFakeTree(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "a.go"), []byte(fakeSource), 0o644); err != nil {
		t.Fatal(err)
	}
	specDir := filepath.Join(dir, "spec")
	if err := os.Mkdir(specDir, 0o755); err != nil {
		t.Fatal(err)
	}
	openapi := `{"paths": {"/api/v1/accounts/{id}": {"get": {}, "parameters": []}, "/api/v1/statuses": {"post": {}}}}`
	methods := `{"methods": [{"name": "account", "endpoints": ["GET /api/v1/accounts/{}"]}]}`
	if err := os.WriteFile(filepath.Join(specDir, openAPIFile), []byte(openapi), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(specDir, pyMethodsFile), []byte(methods), 0o644); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	code, err := run(&out, dir, specDir, false, false)
	if err != nil {
		t.Fatal(err)
	}
	if code != 1 {
		t.Errorf("exit code %d with a typo in a directive, want 1", code)
	}
	if !strings.Contains(out.String(), "OpenAPI operations (mastodon-openapi.json)        2/2 (100.0%)") {
		t.Errorf("report:\n%s", out.String())
	}
	if _, err := run(&out, dir, filepath.Join(dir, "nope"), false, false); err == nil {
		t.Error("no error for a missing spec folder")
	}
	if err := os.WriteFile(filepath.Join(specDir, pyMethodsFile), []byte("<html>"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := run(&out, dir, specDir, false, false); err == nil || !strings.Contains(err.Error(), pyMethodsFile) {
		t.Errorf("bad JSON: %v", err)
	}
}

func TestCodeMismatches(t *testing.T) {
	src := `package mastodon

type StatusesService service
type Client struct{}

// Good calls what it says.
//
//api:endpoint POST /api/v1/statuses/{id}/favourite
func (s *StatusesService) Good() { call("POST", "/api/v1/statuses/{id}/favourite") }

// Spelling names the parameter differently in code.
//
//api:endpoint POST /api/v1/statuses/{id}/reblog
func (s *StatusesService) Spelling() { call("POST", "/api/v1/statuses/{status_id}/reblog") }

// Extra calls a path its directive does not name.
//
//api:endpoint POST /api/v1/statuses/{id}/pin
func (s *StatusesService) Extra() { call("POST", "/api/v1/statuses/{id}/pin"); call("POST", "/api/v1/statuses/{id}/unpin") }

// Bare has no directive.
func (s *StatusesService) Bare() { call("GET", "/api/v1/statuses/{id}?x=1") }

// helper is unexported and may pass paths along.
func (s *StatusesService) helper() { call("GET", "/api/v1/statuses") }

// Other is not a service method.
func (c *Client) Other() { call("GET", "/api/v2/instance") }

func call(string, string) {}
`
	set, err := directives.ParseFiles(map[string]string{"s.go": src})
	if err != nil {
		t.Fatal(err)
	}
	got := codeMismatches(set)
	want := map[string]string{
		"Statuses.Bare":     "calls /api/v1/statuses/{id} but carries no //api:endpoint directive",
		"Statuses.Extra":    "calls /api/v1/statuses/{id}/unpin, which its directives do not name",
		"Statuses.Spelling": "code uses /api/v1/statuses/{status_id}/reblog where its directive says /api/v1/statuses/{id}/reblog",
	}
	if len(got) != len(want) {
		t.Fatalf("got %+v", got)
	}
	for _, u := range got {
		if w, ok := want[u.Func]; !ok || !strings.Contains(u.Want, w) {
			t.Errorf("%s: %q, want %q", u.Func, u.Want, w)
		}
		if u.Pos == "" {
			t.Errorf("%s: no position", u.Func)
		}
	}
}

// TestReadmeFigures checks that the README never claims more coverage than
// the source has; figures lower than measured are only reported (refresh
// them with go run ./internal/cmd/apicoverage -readme).
func TestReadmeFigures(t *testing.T) {
	spec, set := realSpec(t), realSet(t)
	r := Analyze(spec, set)
	pd, err := checkPyDoc(filepath.Join(root, "docs", "mastodonpy.md"), spec, set)
	if err != nil {
		t.Fatal(err)
	}
	r.PyDoc = pd
	claims, err := readmeClaims(filepath.Join(root, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	if claims == nil {
		t.Skip("README has no coverage block yet")
	}
	compareClaims(t, claims, r)
}

func compareClaims(t testing.TB, claims map[string][2]int, r *Report) {
	t.Helper()
	for _, row := range readmeRows {
		c, total := row.Tally(r)
		got, ok := claims[row.Label]
		switch {
		case !ok:
			t.Errorf("README coverage block lacks %q", row.Label)
		case got[1] != total:
			t.Errorf("README says %s: %d/%d, but there are %d", row.Label, got[0], got[1], total)
		case got[0] > c:
			t.Errorf("README claims %s: %d/%d, but the source covers %d", row.Label, got[0], got[1], c)
		case got[0] < c:
			t.Logf("README figure stale: %s: %d/%d, now %d (go run ./internal/cmd/apicoverage -readme)", row.Label, got[0], got[1], c)
		}
	}
}

func TestReadmeRoundTrip(t *testing.T) {
	spec, set := fakeSpec(), fakeSet(t)
	r := Analyze(spec, set)
	path := filepath.Join(t.TempDir(), "README.md")
	if err := os.WriteFile(path, []byte("# T\n\nIntro.\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := writeReadme(path, r); err != nil {
		t.Fatal(err)
	}
	if err := writeReadme(path, r); err != nil { // replaces, does not append twice
		t.Fatal(err)
	}
	b, _ := os.ReadFile(path)
	if strings.Count(string(b), readmeBegin) != 1 || !strings.HasPrefix(string(b), "# T\n\nIntro.\n\n## API coverage\n\n") {
		t.Fatalf("README:\n%s", b)
	}
	claims, err := readmeClaims(path)
	if err != nil {
		t.Fatal(err)
	}
	if got := claims["OpenAPI operations (`mastodon-openapi.json`)"]; got != [2]int{4, 5} {
		t.Errorf("OpenAPI claim %v", got)
	}
	compareClaims(t, claims, r)

	// An overclaim is caught.
	over := strings.Replace(string(b), "| 4/5 |", "| 5/5 |", 1)
	if err := os.WriteFile(path, []byte(over), 0o644); err != nil {
		t.Fatal(err)
	}
	claims, _ = readmeClaims(path)
	ft := &fakeTB{}
	compareClaims(ft, claims, r)
	if len(ft.errs) != 1 || !strings.Contains(ft.errs[0], "claims OpenAPI operations") {
		t.Errorf("overclaim not caught: %v", ft.errs)
	}
	if err := os.WriteFile(path, []byte("x "+readmeBegin+" | a | 1/x |"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := readmeClaims(path); err == nil {
		t.Error("unterminated block accepted")
	}
}

type fakeTB struct {
	testing.TB
	errs []string
}

func (f *fakeTB) Helper()                        {}
func (f *fakeTB) Errorf(format string, a ...any) { f.errs = append(f.errs, fmt.Sprintf(format, a...)) }
func (f *fakeTB) Logf(string, ...any)            {}

// TestListMethodsHaveIterators enforces the convention that every service
// method returning a *Page[T] has an …All iterator beside it.
func TestListMethodsHaveIterators(t *testing.T) {
	for _, m := range missingIterators(realSet(t)) {
		t.Errorf("%s returns a *Page but %sAll does not exist", m, m)
	}
}

func TestMissingIterators(t *testing.T) {
	src := `package p

type ListsService service

func (s *ListsService) List() (*Page[List], error) { return nil, nil }
func (s *ListsService) ListAll() {}
func (s *ListsService) Accounts() (*Page[Account], error) { return nil, nil }
func (s *ListsService) accounts() (*Page[Account], error) { return nil, nil }
func (p *Page[T]) Next() (*Page[T], error) { return nil, nil }
`
	set, err := directives.ParseFiles(map[string]string{"l.go": src})
	if err != nil {
		t.Fatal(err)
	}
	if got := missingIterators(set); !slices.Equal(got, []string{"Lists.Accounts"}) {
		t.Fatalf("missing iterators: %v", got)
	}
}

// TestDocNotesNameRealThings checks the Go names the Notes column of
// implemented rows mentions (Service.Method, Admin.Area.Method,
// webpush.Keys.Decrypt) exist.
func TestDocNotesNameRealThings(t *testing.T) {
	set := realSet(t)
	rows, _, err := readDocTable(filepath.Join(root, "docs", "mastodonpy.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		if r.Status != statusImplemented || len(r.Cells) < 5 {
			continue
		}
		for _, n := range goNames(r.Cells[4], qualifiers(set)) {
			if !set.Names[n] {
				t.Errorf("docs/mastodonpy.md:%d: %s: the notes name %s, which is not declared", r.Line, r.Key, n)
			}
		}
	}
}

// qualifiers returns the package names the set's names are qualified by
// (the helper packages beside the root: "blurhash", "webpush", …).
func qualifiers(set *directives.Set) map[string]bool {
	q := map[string]bool{}
	for n := range set.Names {
		if first, _, ok := strings.Cut(n, "."); ok && first[0] >= 'a' && first[0] <= 'z' {
			q[first] = true
		}
	}
	return q
}

// goNames returns the dotted Go names in text: "Accounts.StatusesAll",
// "Admin.Accounts.ListAll", and names in the packages qualifiers holds
// ("webpush.Keys.Decrypt"); other lower-case words ("mastodon.X",
// "json.Marshal") are not the docs' names.
func goNames(text string, qualifiers map[string]bool) []string {
	var out []string
	for _, w := range strings.FieldsFunc(text, func(r rune) bool {
		return !(r == '.' || r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9')
	}) {
		w = strings.Trim(w, ".")
		parts := strings.Split(w, ".")
		if len(parts) < 2 {
			continue
		}
		names := parts
		if qualifiers[parts[0]] {
			names = parts[1:]
		}
		if len(names) > 3 {
			continue
		}
		ok := true
		for _, p := range names {
			ok = ok && p != "" && p[0] >= 'A' && p[0] <= 'Z'
		}
		if ok {
			out = append(out, w)
		}
	}
	return out
}

func TestGoNames(t *testing.T) {
	got := goNames("and Accounts.StatusesAll; see Admin.Accounts.ListV1All, the Link header, e.g. mastodon.DecodeBlurhash or Page.HasNext; "+
		"webpush.Keys.Decrypt, blurhash.Decode, json.Marshal, webpush, Decode.", map[string]bool{"webpush": true, "blurhash": true})
	want := []string{"Accounts.StatusesAll", "Admin.Accounts.ListV1All", "Page.HasNext", "webpush.Keys.Decrypt", "blurhash.Decode"}
	if !slices.Equal(got, want) {
		t.Fatalf("goNames = %v, want %v", got, want)
	}
}

package directives

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

const sample = `package mastodon

type StatusesService service
type AdminAccountsService service
type AdminService struct{ Accounts *AdminAccountsService }
type Page[T any] struct{ Items []*T }
type Response struct {
	// AsyncRefresh is parsed from the header.
	AsyncRefresh *string
	embedded
}

const SupportedVersion = "4.5.0"

var ErrX = error(nil)

// Favourite marks a status as a favourite.
//
//api:endpoint POST /api/v1/statuses/{id}/favourite
//api:since 1.0.0
//api:changed 4.0.0
func (s *StatusesService) Favourite() {}

// Get fetches an account as a moderator.
//
//api:endpoint GET /api/v1/admin/accounts/{id}
//api:since 2.9.1
func (s *AdminAccountsService) Get() {}

// Upload sends media, falling back to v1.
//
//api:endpoint POST /api/v2/media
//api:endpoint POST /api/v1/media
//api:since 1.0.0
func (s *MediaService) Upload() {}

// Next fetches the next page.
func (p *Page[T]) Next() {}

// Helper has no directive.
func Helper() {}
`

func parseSample(t *testing.T, src string) *Set {
	t.Helper()
	s, err := ParseFiles(map[string]string{"x.go": src})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestParseSample(t *testing.T) {
	s := parseSample(t, sample)
	if len(s.Problems) > 0 {
		t.Fatalf("problems: %v", s.Problems)
	}
	type row struct {
		Name, Since, Changed string
		Endpoints            []string
	}
	var got []row
	for _, f := range s.Funcs {
		var eps []string
		for _, e := range f.Endpoints {
			eps = append(eps, e.String())
		}
		got = append(got, row{f.FullName(), f.Since, f.Changed, eps})
	}
	want := []row{
		{"Statuses.Favourite", "1.0.0", "4.0.0", []string{"POST /api/v1/statuses/{id}/favourite"}},
		{"Admin.Accounts.Get", "2.9.1", "", []string{"GET /api/v1/admin/accounts/{id}"}},
		{"Media.Upload", "1.0.0", "", []string{"POST /api/v2/media", "POST /api/v1/media"}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("funcs:\n got %+v\nwant %+v", got, want)
	}
	for _, n := range []string{"SupportedVersion", "ErrX", "Page", "Page.Next", "Page.Items", "Response.AsyncRefresh",
		"Response.embedded", "Helper", "Statuses.Favourite", "Admin.Accounts", "StatusesService"} {
		if !s.Names[n] {
			t.Errorf("name %q not recorded", n)
		}
	}
	for _, n := range []string{"Statuses.Post", "Next", "Response.Missing"} {
		if s.Names[n] {
			t.Errorf("name %q recorded but not declared", n)
		}
	}
	if f := s.Methods["Page.Next"]; f == nil || len(f.Endpoints) != 0 {
		t.Errorf("Methods[Page.Next] = %+v", f)
	}
	if pos := s.Funcs[0].Pos; pos.Filename != "x.go" || pos.Line == 0 {
		t.Errorf("position not kept: %v", pos)
	}
}

func TestServiceOf(t *testing.T) {
	cases := map[string]string{
		"":                                 "",
		"StatusesService":                  "Statuses",
		"AdminService":                     "Admin",
		"AdminAccountsService":             "Admin.Accounts",
		"AdminIPBlocksService":             "Admin.IPBlocks",
		"AdministrationService":            "Administration",
		"Page":                             "Page",
		"Client":                           "Client",
		"Service":                          "Service",
		"ScheduledStatusesService":         "ScheduledStatuses",
		"AdminCanonicalEmailBlocksService": "Admin.CanonicalEmailBlocks",
	}
	for in, want := range cases {
		if got := ServiceOf(in); got != want {
			t.Errorf("ServiceOf(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestProblems(t *testing.T) {
	cases := []struct {
		name, doc, want string
	}{
		{"method", "//api:endpoint FETCH /x", "unknown HTTP method"},
		{"lowercase method", "//api:endpoint get /x", "unknown HTTP method"},
		{"missing path", "//api:endpoint GET", "want"},
		{"extra field", "//api:endpoint GET /x 1.0.0", "want"},
		{"relative", "//api:endpoint GET api/v1/x", "start with /"},
		{"query", "//api:endpoint GET /api/v1/x?y=1", "bare template"},
		{"rails param", "//api:endpoint GET /api/v1/x/:id", "bare template"},
		{"trailing slash", "//api:endpoint GET /api/v1/x/", "end in /"},
		{"double slash", "//api:endpoint GET /api//x", "empty path segment"},
		{"unbalanced", "//api:endpoint GET /api/v1/{id", "unbalanced"},
		{"partial param", "//api:endpoint GET /api/v1/x{id}", "whole path segment"},
		{"bad since", "//api:endpoint GET /x\n//api:since 4.0", "X.Y.Z"},
		{"since twice", "//api:endpoint GET /x\n//api:since 4.0.0\n//api:since 4.1.0", "given twice"},
		{"changed before since", "//api:endpoint GET /x\n//api:since 4.0.0\n//api:changed 3.0.0", "before since"},
		{"since alone", "//api:since 4.0.0", "without //api:endpoint"},
		{"typo", "//api:endpoints GET /x", "unknown directive"},
		{"duplicate", "//api:endpoint GET /x/{id}\n//api:endpoint GET /x/{name}", "named twice"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			src := "package p\n\n// F does.\n//\n" + c.doc + "\nfunc F() {}\n"
			s := parseSample(t, src)
			if len(s.Problems) != 1 {
				t.Fatalf("want one problem, got %v", s.Problems)
			}
			if !strings.Contains(s.Problems[0].Msg, c.want) {
				t.Fatalf("problem %q does not mention %q", s.Problems[0].Msg, c.want)
			}
			if s.Problems[0].Pos.Line == 0 {
				t.Fatalf("problem without a position")
			}
		})
	}
}

func TestStrayDirectives(t *testing.T) {
	src := `package p

// T is a type.
//
//api:endpoint GET /api/v1/x
type T struct{}

func F() {
	//api:endpoint GET /api/v1/y
}

//api:since 1.0.0

var V = 1
`
	s := parseSample(t, src)
	if len(s.Funcs) != 0 {
		t.Fatalf("directives off functions were attached: %+v", s.Funcs)
	}
	if len(s.Problems) != 3 {
		t.Fatalf("want 3 problems, got %v", s.Problems)
	}
	for _, p := range s.Problems {
		if !strings.Contains(p.Msg, "not in a function's doc comment") {
			t.Errorf("unexpected problem %v", p)
		}
	}
}

func TestCommentTextIsNotEnough(t *testing.T) {
	// go/ast's CommentGroup.Text drops directive lines; the parser must
	// read the raw lines, including one right after the summary.
	src := "package p\n\n// F does.\n//api:endpoint GET /api/v1/f\nfunc F() {}\n"
	s := parseSample(t, src)
	if len(s.Funcs) != 1 || s.Funcs[0].Endpoints[0].String() != "GET /api/v1/f" {
		t.Fatalf("funcs: %+v problems: %v", s.Funcs, s.Problems)
	}
}

func TestSyntaxError(t *testing.T) {
	if _, err := ParseFiles(map[string]string{"bad.go": "package p\nfunc {"}); err == nil {
		t.Fatal("no error for invalid Go")
	}
}

func TestNormalize(t *testing.T) {
	cases := map[string]string{
		"GET /api/v1/accounts/{id}":                       "GET /api/v1/accounts/{}",
		"GET /api/v1/accounts/{}":                         "GET /api/v1/accounts/{}",
		"get /api/v1/accounts/{account_id}":               "GET /api/v1/accounts/{}",
		"PUT /api/v1/announcements/{id}/reactions/{name}": "PUT /api/v1/announcements/{}/reactions/{}",
		"POST /api/v1/statuses/{}/quotes/{}/revoke":       "POST /api/v1/statuses/{}/quotes/{}/revoke",
		"  HEAD /  ": "HEAD /",
		"GET":        "",
		"GET api/v1": "",
		"":           "",
		"DELETE /api/v1/collections/{collection_id}/items/{id}": "DELETE /api/v1/collections/{}/items/{}",
	}
	for in, want := range cases {
		if got := Normalize(in); got != want {
			t.Errorf("Normalize(%q) = %q, want %q", in, got, want)
		}
	}
	if a, b := (Endpoint{Method: "GET", Path: "/api/v1/tags/{name}"}).Key(), (Endpoint{Method: "GET", Path: "/api/v1/tags/{id}"}).Key(); a != b {
		t.Errorf("keys differ: %q %q", a, b)
	}
}

func TestVersions(t *testing.T) {
	if !IsVersion("4.3.0") || IsVersion("4.3") || IsVersion("4.3.0-rc1") || IsVersion("a.b.c") || IsVersion("") || IsVersion("4..0") {
		t.Fatal("IsVersion wrong")
	}
	cmp := []struct {
		a, b string
		want int
	}{
		{"1.0.0", "1.0.0", 0}, {"2.9.1", "2.10.0", -1}, {"4.0.0", "3.9.9", 1}, {"10.0.0", "9.0.0", 1}, {"1.0.0", "x", -1}, {"x", "1.0.0", 1},
	}
	for _, c := range cmp {
		if got := CompareVersions(c.a, c.b); got != c.want {
			t.Errorf("CompareVersions(%q,%q) = %d, want %d", c.a, c.b, got, c.want)
		}
	}
}

func TestVersionsMerge(t *testing.T) {
	src := `package p

type AccountsService service

// A calls.
//
//api:endpoint GET /api/v1/accounts/verify_credentials
//api:since 1.0.0
//api:changed 2.1.0
func (s *AccountsService) VerifyCredentials() {}

// B calls the same endpoint.
//
//api:endpoint GET /api/v1/accounts/verify_credentials
//api:since 0.0.0
//api:changed 4.3.0
func (s *AccountsService) Me() {}

// C declares no version.
//
//api:endpoint GET /api/v1/accounts/{id}
func (s *AccountsService) Get() {}
`
	s := parseSample(t, src)
	got := s.Versions()
	want := map[string]Version{
		"GET /api/v1/accounts/verify_credentials": {"0.0.0", "4.3.0"},
		"GET /api/v1/accounts/{id}":               {"", ""},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("Versions() = %v, want %v", got, want)
	}
	out, err := s.VersionTable("mastodon")
	if err != nil {
		t.Fatal(err)
	}
	text := string(out)
	for _, w := range []string{
		"// Code generated", "DO NOT EDIT.", "package mastodon",
		"type endpointVersion struct{ Since, Changed string }",
		`"GET /api/v1/accounts/verify_credentials": {Since: "0.0.0", Changed: "4.3.0"},`,
		`"GET /api/v1/accounts/{id}":               {Since: "", Changed: ""},`,
	} {
		if !strings.Contains(text, w) {
			t.Errorf("table lacks %q:\n%s", w, text)
		}
	}
	if strings.Index(text, "{id}") < strings.Index(text, "verify_credentials\"") {
		// sorted: "GET /api/v1/accounts/verify_credentials" < "GET /api/v1/accounts/{id}"
		t.Errorf("table not sorted:\n%s", text)
	}
	if len(s.ByEndpoint()["GET /api/v1/accounts/verify_credentials"]) != 2 {
		t.Errorf("ByEndpoint does not group: %v", s.ByEndpoint())
	}
}

func FuzzParseFiles(f *testing.F) {
	f.Add(sample)
	f.Add("package p\n// F.\n//api:endpoint GET /{a}/{b\nfunc F() {}")
	f.Add("package p\n//api:since")
	f.Fuzz(func(t *testing.T, src string) {
		s, err := ParseFiles(map[string]string{"f.go": src})
		if err != nil {
			return
		}
		for _, fn := range s.Funcs {
			for _, e := range fn.Endpoints {
				if Normalize(e.String()) != e.Key() {
					t.Fatalf("Normalize(%q) != Key %q", e.String(), e.Key())
				}
			}
		}
		_, _ = s.VersionTable("p")
	})
}

func TestPathLiterals(t *testing.T) {
	src := `package p

type StatusesService service

// Favourite marks a status.
//
//api:endpoint POST /api/v1/statuses/{id}/favourite
func (s *StatusesService) Favourite(id string) {
	s.c.call("POST", "/api/v1/statuses/{id}/favourite", id)
	_ = "/api/v1/statuses/{id}/favourite"
	_ = ` + "`/oauth/token?grant_type=x`" + `
	_ = "not a path"
	_ = "/health"
	_ = "/users/x"
}
`
	s := parseSample(t, src)
	f := s.Methods["Statuses.Favourite"]
	want := []string{"/api/v1/statuses/{id}/favourite", "/oauth/token", "/health"}
	if f == nil || !reflect.DeepEqual(f.Paths, want) {
		t.Fatalf("paths = %v, want %v", f.Paths, want)
	}
	if f.ReturnsPage {
		t.Error("Favourite marked as returning a page")
	}
	s = parseSample(t, "package p\n\ntype T struct{}\n\nfunc (t *T) L() (*Page[Account], error) { return nil, nil }\nfunc (t *T) M() (*Other[Account], error) { return nil, nil }\n")
	if !s.Methods["T.L"].ReturnsPage || s.Methods["T.M"].ReturnsPage {
		t.Error("ReturnsPage wrong")
	}
	if !IsService("StatusesService") || !IsService("AdminAccountsService") || IsService("Service") || IsService("Client") {
		t.Fatal("IsService wrong")
	}
}

func TestVersionGroups(t *testing.T) {
	src := `package p

type NotificationsService service
type MediaService service
type StatusesService service

// Dismiss has a fallback with its own versions.
//
//api:endpoint POST /api/v1/notifications/{id}/dismiss
//api:since 2.9.2
//api:endpoint POST /api/v1/notifications/dismiss
//api:since 1.3.0
//api:changed 2.9.2
func (s *NotificationsService) Dismiss() {}

// Upload names two endpoints in one group.
//
//api:endpoint POST /api/v2/media
//api:endpoint POST /api/v1/media
//api:since 1.0.0
//api:changed 3.2.0
func (s *MediaService) Upload() {}

// Pin names a trailing endpoint without versions.
//
//api:endpoint POST /api/v1/statuses/{id}/pin
//api:since 2.1.0
//api:endpoint POST /api/v1/statuses/{id}/unpin
func (s *StatusesService) Pin() {}
`
	s := parseSample(t, src)
	if len(s.Problems) > 0 {
		t.Fatalf("problems: %v", s.Problems)
	}
	got := map[string]Version{}
	for _, f := range s.Funcs {
		for _, e := range f.Endpoints {
			got[e.String()] = Version{e.Since, e.Changed}
		}
	}
	want := map[string]Version{
		"POST /api/v1/notifications/{id}/dismiss": {"2.9.2", ""},
		"POST /api/v1/notifications/dismiss":      {"1.3.0", "2.9.2"},
		"POST /api/v2/media":                      {"1.0.0", "3.2.0"},
		"POST /api/v1/media":                      {"1.0.0", "3.2.0"},
		"POST /api/v1/statuses/{id}/pin":          {"2.1.0", ""},
		"POST /api/v1/statuses/{id}/unpin":        {"2.1.0", ""},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("per-endpoint versions:\n got %v\nwant %v", got, want)
	}
	if !reflect.DeepEqual(s.Versions(), want) {
		t.Fatalf("Versions() = %v", s.Versions())
	}
	if f := s.Methods["Notifications.Dismiss"]; f.Since != "2.9.2" || f.Changed != "" {
		t.Errorf("function versions are the first group's: %q %q", f.Since, f.Changed)
	}
}

func TestParseModuleQualifiesHelperPackages(t *testing.T) {
	root := t.TempDir()
	write := func(rel, src string) {
		t.Helper()
		p := filepath.Join(root, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("client.go", "package mastodon\n\n// Get gets.\n//\n//api:endpoint GET /api/v1/accounts/{id}\nfunc (s *AccountsService) Get() {}\n")
	write("webpush/keys.go", "package webpush\n\ntype Keys struct{ Raw []byte }\n\nfunc (k *Keys) Decrypt() {}\n\nfunc GenerateKeys() {}\n\nvar ErrKey error\n")
	write("webpush/keys_test.go", "package webpush\n\nfunc TestOnly() {}\n")
	write("cmd/tool/main.go", "package main\n\nfunc Run() {}\n")
	write("tool/main.go", "package main\n\nfunc Run() {}\n")
	write("internal/secret/s.go", "package secret\n\nfunc Hidden() {}\n")
	write("bench/go.mod", "module bench\n")
	write("bench/bench.go", "package bench\n\nfunc Measure() {}\n")
	s, err := ParseModule(root)
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range []string{"Accounts.Get", "webpush.Keys", "webpush.Keys.Decrypt", "webpush.Keys.Raw", "webpush.GenerateKeys", "webpush.ErrKey"} {
		if !s.Names[n] {
			t.Errorf("%s missing", n)
		}
	}
	for _, n := range []string{"Keys", "GenerateKeys", "Keys.Decrypt", "webpush.TestOnly", "tool.Run", "main.Run", "secret.Hidden", "bench.Measure"} {
		if s.Names[n] {
			t.Errorf("%s should not be a name", n)
		}
	}
	if len(s.Funcs) != 1 || s.Funcs[0].FullName() != "Accounts.Get" {
		t.Errorf("Funcs = %v, want only the root package's Accounts.Get", s.Funcs)
	}
}

// Command apicoverage reports how much of the Mastodon API Tusk covers,
// from the //api:endpoint directives in the package source:
//
//	go run ./internal/cmd/apicoverage            # summary, missing endpoints, problems
//	go run ./internal/cmd/apicoverage -v         # also every covered endpoint and its methods
//	go run ./internal/cmd/apicoverage -readme    # also rewrite the figures in README.md
//
// It measures against the 210 operations of ../shared/spec/mastodon-openapi.json
// and the endpoints of the methods in ../shared/spec/mastodonpy-methods.json
// (admin endpoints counted apart, with the admin endpoints from the Mastodon
// docs that Mastodon.py lacks), and lists directives naming endpoints that
// neither file knows. It exits 1 when a directive is malformed or names an
// unknown endpoint.
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/tuskgo/mastodon/internal/directives"
)

func main() {
	dir := flag.String("dir", "", "package directory (default: the module root)")
	specDir := flag.String("spec", "", "folder with the reference files (default: shared/spec found above the repository, or $TUSK_SPEC)")
	verbose := flag.Bool("v", false, "list covered endpoints too")
	readme := flag.Bool("readme", false, "also rewrite the coverage figures in README.md")
	flag.Parse()
	code, err := run(os.Stdout, *dir, *specDir, *verbose, *readme)
	if err != nil {
		fmt.Fprintln(os.Stderr, "apicoverage:", err)
		os.Exit(2)
	}
	os.Exit(code)
}

func run(w io.Writer, dir, specDir string, verbose, readme bool) (int, error) {
	if dir == "" {
		root, err := moduleRoot()
		if err != nil {
			return 0, err
		}
		dir = root
	}
	if specDir == "" {
		d, err := findSpec()
		if err != nil {
			return 0, err
		}
		specDir = d
	}
	spec, err := LoadSpec(specDir)
	if err != nil {
		return 0, err
	}
	set, err := directives.ParseModule(dir)
	if err != nil {
		return 0, err
	}
	r := Analyze(spec, set)
	if pd, err := checkPyDoc(filepath.Join(dir, "docs", "mastodonpy.md"), spec, set); err == nil {
		r.PyDoc = pd
	}
	r.Print(w, verbose)
	if readme {
		if err := writeReadme(filepath.Join(dir, "README.md"), r); err != nil {
			return 0, err
		}
	}
	if len(r.Problems) > 0 || len(r.Unknown) > 0 || len(r.Misnamed) > 0 || len(r.CodeMismatch) > 0 {
		return 1, nil
	}
	return 0, nil
}

// moduleRoot walks up from the working directory to the go.mod of the
// module.
func moduleRoot() (string, error) {
	wd, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for dir := wd; ; {
		if b, err := os.ReadFile(filepath.Join(dir, "go.mod")); err == nil && strings.Contains(string(b), "module github.com/tuskgo/mastodon\n") {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("module root not found above %s", wd)
		}
		dir = parent
	}
}

// Tally is coverage of one list of endpoints.
type Tally struct {
	Covered []string // as the source lists them
	Missing []string
}

// Total returns the number of endpoints counted.
func (t Tally) Total() int { return len(t.Covered) + len(t.Missing) }

func (t Tally) String() string {
	n := t.Total()
	if n == 0 {
		return "0/0"
	}
	return fmt.Sprintf("%d/%d (%.1f%%)", len(t.Covered), n, 100*float64(len(t.Covered))/float64(n))
}

// Use is one directive naming an endpoint.
type Use struct {
	Endpoint string // as written
	Func     string
	Pos      string
	Want     string // for misnamed parameters: the spelling to use
}

// Report is the coverage of the source against the reference files.
type Report struct {
	Methods    int // methods carrying directives
	Endpoints  int // distinct endpoints named
	OpenAPI    Tally
	PyClient   Tally // Mastodon.py endpoints outside the admin API
	PyAdmin    Tally // Mastodon.py admin endpoints
	DocsAdmin  Tally // admin endpoints from the Mastodon docs that Mastodon.py lacks
	Extensions Tally // other allowlisted endpoints
	Unknown    []Use
	Misnamed   []Use
	// CodeMismatch lists service methods whose code calls a path their
	// directives do not name (Want says what is wrong).
	CodeMismatch []Use
	Problems     []directives.Problem
	// VersionNotes lists directives whose since is later than every
	// reference says: calls on servers the references call new enough
	// would fail the version check.
	VersionNotes []Use
	PyDoc        *pyDocCheck
	callers      map[string][]string // normal form → method names
}

// Analyze measures set against spec.
func Analyze(spec *Spec, set *directives.Set) *Report {
	r := &Report{Problems: set.Problems, callers: map[string][]string{}}
	known := knownEndpoints(spec)
	for _, f := range set.Funcs {
		r.Methods++
		for _, e := range f.Endpoints {
			k := e.Key()
			if len(r.callers[k]) == 0 {
				r.Endpoints++
			}
			r.callers[k] = append(r.callers[k], f.FullName())
			use := Use{Endpoint: e.String(), Func: f.FullName(), Pos: f.Pos.String()}
			if ref := spec.referenceSince(k); e.Since != "" && ref != "" && directives.CompareVersions(e.Since, ref) > 0 {
				r.VersionNotes = append(r.VersionNotes, Use{Endpoint: e.String(), Func: f.FullName(), Pos: f.Pos.String(),
					Want: fmt.Sprintf("since %s, the references say %s", e.Since, ref)})
			}
			ke, ok := known[k]
			switch {
			case !ok:
				r.Unknown = append(r.Unknown, use)
			case ke.Written != e.String():
				use.Want = ke.Written
				r.Misnamed = append(r.Misnamed, use)
			}
		}
	}
	r.CodeMismatch = codeMismatches(set)
	tally := func(keys []string) Tally {
		var t Tally
		for _, k := range keys {
			w := k
			if ke, ok := known[k]; ok {
				w = ke.Written
			}
			if len(r.callers[k]) > 0 {
				t.Covered = append(t.Covered, w)
			} else {
				t.Missing = append(t.Missing, w)
			}
		}
		return t
	}
	var ops []string
	for _, op := range spec.Operations {
		ops = append(ops, directives.Normalize(op))
	}
	r.OpenAPI = tally(byPath(ops))
	client, admin := spec.PyEndpoints()
	client, admin = byPath(client), byPath(admin)
	r.PyClient = tally(client)
	r.PyAdmin = tally(admin)
	pySeen := map[string]bool{}
	for _, k := range append(client, admin...) {
		pySeen[k] = true
	}
	var docsAdmin, ext []string
	for _, x := range knownExtensions {
		k := directives.Normalize(x.Endpoint)
		if pySeen[k] {
			continue
		}
		if isAdmin(k) {
			docsAdmin = append(docsAdmin, k)
		} else {
			ext = append(ext, k)
		}
	}
	r.DocsAdmin = tally(byPath(docsAdmin))
	r.Extensions = tally(byPath(ext))
	return r
}

// Print writes the report.
func (r *Report) Print(w io.Writer, verbose bool) {
	fmt.Fprintf(w, "Tusk API coverage, from %d methods naming %d endpoints\n\n", r.Methods, r.Endpoints)
	fmt.Fprintf(w, "  OpenAPI operations (mastodon-openapi.json)        %s\n", r.OpenAPI)
	fmt.Fprintf(w, "  Mastodon.py endpoints, client API                 %s\n", r.PyClient)
	fmt.Fprintf(w, "  Mastodon.py endpoints, admin API                  %s\n", r.PyAdmin)
	fmt.Fprintf(w, "  Admin endpoints from the Mastodon docs only       %s\n", r.DocsAdmin)
	adminAll := Tally{Covered: append(append([]string{}, r.PyAdmin.Covered...), r.DocsAdmin.Covered...),
		Missing: append(append([]string{}, r.PyAdmin.Missing...), r.DocsAdmin.Missing...)}
	fmt.Fprintf(w, "  Admin API, all                                    %s\n", adminAll)
	fmt.Fprintf(w, "  Other known extensions                            %s\n", r.Extensions)
	if d := r.PyDoc; d != nil {
		total := len(d.Rows)
		fmt.Fprintf(w, "  Mastodon.py methods with a working Tusk equivalent %d/%d (%d have no equivalent by design; see docs/mastodonpy.md)\n",
			d.Implemented, total-d.None, d.None)
	}
	fmt.Fprintf(w, "  Directives naming unknown endpoints               %d\n", len(r.Unknown))

	if len(r.Problems) > 0 {
		fmt.Fprintf(w, "\nMalformed directives (%d):\n", len(r.Problems))
		for _, p := range r.Problems {
			fmt.Fprintf(w, "  %s\n", p)
		}
	}
	if len(r.Unknown) > 0 {
		fmt.Fprintf(w, "\nDirectives naming an endpoint neither file knows (fix the typo, or add it to knownExtensions with a reason):\n")
		for _, u := range r.Unknown {
			fmt.Fprintf(w, "  %-60s %s (%s)\n", u.Endpoint, u.Func, u.Pos)
		}
	}
	if len(r.Misnamed) > 0 {
		fmt.Fprintf(w, "\nDirectives naming path parameters differently from the reference:\n")
		for _, u := range r.Misnamed {
			fmt.Fprintf(w, "  %-60s write %s (%s, %s)\n", u.Endpoint, u.Want, u.Func, u.Pos)
		}
	}
	if len(r.CodeMismatch) > 0 {
		fmt.Fprintf(w, "\nService methods whose code and directives disagree:\n")
		for _, u := range r.CodeMismatch {
			fmt.Fprintf(w, "  %s: %s (%s)\n", u.Func, u.Want, u.Pos)
		}
	}
	if len(r.VersionNotes) > 0 {
		fmt.Fprintf(w, "\nDirectives asking for a newer server than the references (check //api:since):\n")
		for _, u := range r.VersionNotes {
			fmt.Fprintf(w, "  %-60s %s: %s (%s)\n", u.Endpoint, u.Func, u.Want, u.Pos)
		}
	}
	section := func(title string, t Tally) {
		if len(t.Missing) > 0 {
			fmt.Fprintf(w, "\nMissing: %s (%d)\n", title, len(t.Missing))
			for _, e := range t.Missing {
				fmt.Fprintf(w, "  %s\n", e)
			}
		}
		if verbose && len(t.Covered) > 0 {
			fmt.Fprintf(w, "\nCovered: %s (%d)\n", title, len(t.Covered))
			for _, e := range t.Covered {
				callers := append([]string(nil), r.callers[directives.Normalize(e)]...)
				sort.Strings(callers)
				fmt.Fprintf(w, "  %-60s %s\n", e, strings.Join(callers, ", "))
			}
		}
	}
	section("OpenAPI operations", r.OpenAPI)
	section("Mastodon.py endpoints, client API (not in OpenAPI)", onlyNotIn(r.PyClient, r.OpenAPI))
	section("Mastodon.py endpoints, admin API", r.PyAdmin)
	section("admin endpoints from the Mastodon docs", r.DocsAdmin)
	section("other known extensions", r.Extensions)
}

// onlyNotIn drops from t the endpoints that also appear in other, so a list
// does not repeat what an earlier one printed.
func onlyNotIn(t, other Tally) Tally {
	skip := map[string]bool{}
	for _, e := range append(append([]string{}, other.Covered...), other.Missing...) {
		skip[directives.Normalize(e)] = true
	}
	var out Tally
	for _, e := range t.Covered {
		if !skip[directives.Normalize(e)] {
			out.Covered = append(out.Covered, e)
		}
	}
	for _, e := range t.Missing {
		if !skip[directives.Normalize(e)] {
			out.Missing = append(out.Missing, e)
		}
	}
	return out
}

// byPath sorts endpoints by path, then method, so related ones stay together.
func byPath(keys []string) []string {
	sort.SliceStable(keys, func(i, j int) bool {
		mi, pi, _ := strings.Cut(keys[i], " ")
		mj, pj, _ := strings.Cut(keys[j], " ")
		if pi != pj {
			return pi < pj
		}
		return mi < mj
	})
	return keys
}

// codeMismatches compares the API paths written in the bodies of service
// methods with their directives: an exported service method that calls a
// path must name it in a directive, spelled the same, or the version table
// (keyed by the template the code passes) misses it.
func codeMismatches(set *directives.Set) []Use {
	var out []Use
	names := make([]string, 0, len(set.Methods))
	for n := range set.Methods {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		f := set.Methods[n]
		if !directives.IsService(f.Recv) || len(f.Paths) == 0 {
			continue
		}
		exported := f.Name != "" && f.Name[0] >= 'A' && f.Name[0] <= 'Z'
		if len(f.Endpoints) == 0 {
			if exported {
				out = append(out, Use{Func: n, Pos: f.Pos.String(),
					Want: fmt.Sprintf("calls %s but carries no //api:endpoint directive", strings.Join(f.Paths, ", "))})
			}
			continue
		}
		for _, p := range f.Paths {
			exact, near := false, ""
			for _, e := range f.Endpoints {
				if e.Path == p {
					exact = true
				} else if directives.NormalizePath(e.Path) == directives.NormalizePath(p) {
					near = e.Path
				}
			}
			switch {
			case exact:
			case near != "":
				out = append(out, Use{Func: n, Pos: f.Pos.String(),
					Want: fmt.Sprintf("code uses %s where its directive says %s: spell them alike", p, near)})
			default:
				out = append(out, Use{Func: n, Pos: f.Pos.String(),
					Want: fmt.Sprintf("calls %s, which its directives do not name", p)})
			}
		}
	}
	return out
}

package main

import (
	"fmt"
	"os"
	"sort"
	"strings"

	"github.com/tuskgo/mastodon/internal/directives"
)

// Row statuses in docs/mastodonpy.md and docs/endpoints.md.
const (
	statusImplemented = "implemented"
	statusPlanned     = "planned"
	statusNone        = "none"
)

// DocRow is one table row of a docs file.
type DocRow struct {
	Line   int      // 1-based line number in the file
	Key    string   // first column without backticks: a Mastodon.py name or an endpoint
	Names  []string // Tusk names of the second column; nil for "—"
	Status string
	Cells  []string // every cell, trimmed
}

// readDocTable returns the rows of every table in a markdown file whose
// first cell is code (`…`); header and separator rows are skipped.
func readDocTable(path string) ([]DocRow, []string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, err
	}
	lines := strings.Split(string(b), "\n")
	var rows []DocRow
	for i, l := range lines {
		if !strings.HasPrefix(l, "| `") {
			continue
		}
		cells := splitRow(l)
		if len(cells) < 3 {
			return nil, nil, fmt.Errorf("%s:%d: want at least 3 cells", path, i+1)
		}
		r := DocRow{Line: i + 1, Key: strings.Trim(cells[0], "`"), Status: cells[2], Cells: cells}
		if cells[1] != "—" && cells[1] != "-" {
			for n := range strings.SplitSeq(cells[1], ",") {
				r.Names = append(r.Names, strings.Trim(strings.TrimSpace(n), "`"))
			}
		}
		rows = append(rows, r)
	}
	return rows, lines, nil
}

func splitRow(l string) []string {
	l = strings.TrimSpace(l)
	l = strings.TrimPrefix(l, "|")
	l = strings.TrimSuffix(l, "|")
	parts := strings.Split(l, "|")
	for i := range parts {
		parts[i] = strings.TrimSpace(parts[i])
	}
	return parts
}

// incidental are the calls Mastodon.py makes only to learn the server
// version; the client core does that for every Tusk method.
var incidental = map[string]bool{
	"GET /api/v1/instance": true,
	"GET /api/v2/instance": true,
}

// aliases lets a directive stand for a Mastodon.py endpoint that reaches
// the same server feature by another path: Mastodon.py streams the local
// timeline from /streaming/public?local=true where the OpenAPI file has
// /streaming/public/local, and any stream may go over the WebSocket.
var aliases = map[string][]string{
	"GET /api/v1/streaming/public":  {"GET /api/v1/streaming/public/local", "GET /api/v1/streaming/public/remote", "GET /api/v1/streaming"},
	"GET /api/v1/streaming/user":    {"GET /api/v1/streaming/user/notification", "GET /api/v1/streaming"},
	"GET /api/v1/streaming/hashtag": {"GET /api/v1/streaming/hashtag/local", "GET /api/v1/streaming"},
	"GET /api/v1/streaming/list":    {"GET /api/v1/streaming"},
	"GET /api/v1/streaming/direct":  {"GET /api/v1/streaming"},
}

// counted returns the endpoints of a Mastodon.py method that a Tusk
// equivalent must cover, in normal form. Mastodon.py reads the instance
// only to learn about the server (version, limits, timeline access) except
// in its instance methods; Tusk's client core does that for every method,
// so those calls count only when a Tusk name is on the Instance service.
func counted(endpoints, names []string) []string {
	instance := false
	for _, n := range names {
		instance = instance || strings.HasPrefix(n, "Instance.")
	}
	var out []string
	for _, e := range endpoints {
		k := directives.Normalize(e)
		if instance || !incidental[k] {
			out = append(out, k)
		}
	}
	return out
}

// RowCheck is the verdict on one doc row against the source.
type RowCheck struct {
	Exists   bool     // every Tusk name is declared
	Errors   []string // why the row cannot be marked implemented
	Notes    []string // worth knowing, not wrong
	Complete bool     // Exists and no Errors: the row may say implemented
}

// checkNames checks that Tusk names exist and that their directives cover
// the endpoints (normal form).
func checkNames(set *directives.Set, names, endpoints []string) RowCheck {
	var rc RowCheck
	rc.Exists = len(names) > 0
	own := map[string]bool{}
	for _, n := range names {
		if !set.Names[n] {
			rc.Exists = false
			rc.Errors = append(rc.Errors, fmt.Sprintf("%s is not declared in the package", n))
			continue
		}
		if f := set.Methods[n]; f != nil {
			for _, e := range f.Endpoints {
				own[e.Key()] = true
			}
		}
	}
	if rc.Exists {
		all := set.ByEndpoint()
		hit := 0
		for _, e := range endpoints {
			ok := own[e]
			for _, a := range aliases[e] {
				ok = ok || own[a]
			}
			switch {
			case ok:
				hit++
			case len(all[e]) > 0:
				var by []string
				for _, f := range all[e] {
					by = append(by, f.FullName())
				}
				rc.Notes = append(rc.Notes, fmt.Sprintf("%s is called by %s, not by %s", e, strings.Join(by, ", "), strings.Join(names, ", ")))
			default:
				rc.Errors = append(rc.Errors, fmt.Sprintf("no directive names %s (expected on %s)", e, strings.Join(names, ", ")))
			}
		}
		if len(endpoints) > 0 && hit == 0 && len(rc.Errors) == 0 {
			rc.Errors = append(rc.Errors, fmt.Sprintf("%s carry no directive for any of %s", strings.Join(names, ", "), strings.Join(endpoints, ", ")))
		}
	}
	rc.Complete = rc.Exists && len(rc.Errors) == 0
	return rc
}

// pyDocCheck is the verdict on docs/mastodonpy.md.
type pyDocCheck struct {
	Errors      []string // the doc is wrong
	Planned     []string // planned rows, with what is missing
	NowComplete []string // planned rows whose names now exist with their directives
	Implemented int      // rows whose Tusk names exist and cover the endpoints
	None        int
	Rows        []DocRow
	Verdicts    map[string]RowCheck
}

// checkPyDoc compares docs/mastodonpy.md with the method list and the source.
func checkPyDoc(path string, spec *Spec, set *directives.Set) (*pyDocCheck, error) {
	rows, _, err := readDocTable(path)
	if err != nil {
		return nil, err
	}
	out := &pyDocCheck{Rows: rows, Verdicts: map[string]RowCheck{}}
	byName := map[string]PyMethod{}
	for _, m := range spec.Methods {
		byName[m.Name] = m
	}
	seen := map[string]int{}
	for _, r := range rows {
		at := fmt.Sprintf("%s:%d", path, r.Line)
		m, ok := byName[r.Key]
		if !ok {
			out.Errors = append(out.Errors, fmt.Sprintf("%s: %s is not a Mastodon.py method", at, r.Key))
			continue
		}
		if prev := seen[r.Key]; prev != 0 {
			out.Errors = append(out.Errors, fmt.Sprintf("%s: %s listed again (first at line %d)", at, r.Key, prev))
			continue
		}
		seen[r.Key] = r.Line
		if len(r.Cells) != 5 {
			out.Errors = append(out.Errors, fmt.Sprintf("%s: want 5 cells, got %d", at, len(r.Cells)))
			continue
		}
		if want := docEndpoints(m.Endpoints); r.Cells[3] != want {
			out.Errors = append(out.Errors, fmt.Sprintf("%s: %s endpoints cell is %q, want %q", at, r.Key, r.Cells[3], want))
		}
		switch r.Status {
		case statusNone:
			out.None++
			if r.Names != nil {
				out.Errors = append(out.Errors, fmt.Sprintf("%s: %s says none but names %v", at, r.Key, r.Names))
			}
			if r.Cells[4] == "" {
				out.Errors = append(out.Errors, fmt.Sprintf("%s: %s says none without a reason", at, r.Key))
			}
			continue
		case statusImplemented, statusPlanned:
		default:
			out.Errors = append(out.Errors, fmt.Sprintf("%s: %s has status %q, want implemented, planned or none", at, r.Key, r.Status))
			continue
		}
		if r.Names == nil {
			out.Errors = append(out.Errors, fmt.Sprintf("%s: %s has no Tusk name", at, r.Key))
			continue
		}
		rc := checkNames(set, r.Names, counted(m.Endpoints, r.Names))
		out.Verdicts[r.Key] = rc
		if rc.Complete {
			out.Implemented++
		}
		switch {
		case r.Status == statusImplemented && !rc.Complete:
			out.Errors = append(out.Errors, fmt.Sprintf("%s: %s is marked implemented but %s", at, r.Key, strings.Join(rc.Errors, "; ")))
		case r.Status == statusPlanned && rc.Complete:
			out.NowComplete = append(out.NowComplete, r.Key+" → "+strings.Join(r.Names, ", "))
		case r.Status == statusPlanned:
			out.Planned = append(out.Planned, fmt.Sprintf("%s → %s: %s", r.Key, strings.Join(r.Names, ", "), strings.Join(rc.Errors, "; ")))
		}
	}
	for _, m := range spec.Methods {
		if seen[m.Name] == 0 {
			out.Errors = append(out.Errors, fmt.Sprintf("%s: Mastodon.py method %s is not listed", path, m.Name))
		}
	}
	return out, nil
}

// docEndpoints renders the endpoints cell of docs/mastodonpy.md.
func docEndpoints(eps []string) string {
	var parts []string
	for _, e := range eps {
		parts = append(parts, "`"+e+"`")
	}
	return strings.Join(parts, "<br>")
}

// epDocCheck is the verdict on docs/endpoints.md.
type epDocCheck struct {
	Errors      []string
	Planned     []string
	NowComplete []string
	Rows        []DocRow
	Verdicts    map[string]RowCheck // by endpoint as the row writes it
}

// checkEndpointsDoc checks that docs/endpoints.md lists every OpenAPI
// operation, every Mastodon.py endpoint and every known extension exactly
// once, and that rows marked implemented are.
func checkEndpointsDoc(path string, spec *Spec, set *directives.Set) (*epDocCheck, error) {
	rows, _, err := readDocTable(path)
	if err != nil {
		return nil, err
	}
	out := &epDocCheck{Rows: rows, Verdicts: map[string]RowCheck{}}
	known := knownEndpoints(spec)
	seen := map[string]int{}
	for _, r := range rows {
		at := fmt.Sprintf("%s:%d", path, r.Line)
		k := directives.Normalize(r.Key)
		if k == "" {
			out.Errors = append(out.Errors, fmt.Sprintf("%s: %q is not an endpoint", at, r.Key))
			continue
		}
		if prev := seen[k]; prev != 0 {
			out.Errors = append(out.Errors, fmt.Sprintf("%s: %s listed again (first at line %d)", at, r.Key, prev))
			continue
		}
		seen[k] = r.Line
		want, ok := known[k]
		if !ok {
			out.Errors = append(out.Errors, fmt.Sprintf("%s: %s is in neither reference file nor the extension allowlist", at, r.Key))
			continue
		}
		if r.Key != want.Written {
			out.Errors = append(out.Errors, fmt.Sprintf("%s: write %s as %s", at, r.Key, want.Written))
		}
		if len(r.Names) != 1 {
			out.Errors = append(out.Errors, fmt.Sprintf("%s: %s needs exactly one Tusk name", at, r.Key))
			continue
		}
		rc := checkNames(set, r.Names, []string{k})
		out.Verdicts[r.Key] = rc
		switch {
		case r.Status == statusImplemented && !rc.Complete:
			out.Errors = append(out.Errors, fmt.Sprintf("%s: %s is marked implemented but %s", at, r.Key, strings.Join(rc.Errors, "; ")))
		case r.Status == statusPlanned && rc.Complete:
			out.NowComplete = append(out.NowComplete, r.Key+" → "+r.Names[0])
		case r.Status == statusPlanned:
			out.Planned = append(out.Planned, r.Key+" → "+r.Names[0])
		case r.Status != statusImplemented:
			out.Errors = append(out.Errors, fmt.Sprintf("%s: %s has status %q, want implemented or planned", at, r.Key, r.Status))
		}
	}
	for k, w := range known {
		if seen[k] == 0 {
			out.Errors = append(out.Errors, fmt.Sprintf("%s: %s (%s) is not listed", path, w.Written, w.Source))
		}
	}
	return out, nil
}

// KnownEndpoint is an endpoint one of the sources lists, with its path
// parameters named as directives must write them.
type KnownEndpoint struct {
	Written string // "METHOD /path/{param}"
	Source  string // "OpenAPI", "Mastodon.py", "extension"
	Admin   bool
	Reason  string // for extensions
}

// knownEndpoints maps every endpoint of the two files and the allowlist, in
// normal form, to its preferred spelling: the OpenAPI file's, else the
// allowlist's, else Mastodon.py's with each parameter named {id}.
func knownEndpoints(spec *Spec) map[string]KnownEndpoint {
	m := map[string]KnownEndpoint{}
	for _, op := range spec.Operations {
		m[directives.Normalize(op)] = KnownEndpoint{Written: op, Source: "OpenAPI", Admin: isAdmin(directives.Normalize(op))}
	}
	for _, x := range knownExtensions {
		k := directives.Normalize(x.Endpoint)
		if _, ok := m[k]; !ok {
			m[k] = KnownEndpoint{Written: x.Endpoint, Source: "extension", Admin: isAdmin(k), Reason: x.Reason}
		}
	}
	client, admin := spec.PyEndpoints()
	for _, k := range append(client, admin...) {
		if _, ok := m[k]; !ok {
			m[k] = KnownEndpoint{Written: strings.ReplaceAll(k, "{}", "{id}"), Source: "Mastodon.py", Admin: isAdmin(k)}
		}
	}
	return m
}

// missingIterators lists the exported service methods returning a *Page
// that have no …All iterator beside them, sorted.
func missingIterators(set *directives.Set) []string {
	var out []string
	for n, f := range set.Methods {
		if !f.ReturnsPage || !directives.IsService(f.Recv) || f.Name == "" || f.Name[0] < 'A' || f.Name[0] > 'Z' {
			continue
		}
		if !set.Names[n+"All"] {
			out = append(out, n)
		}
	}
	sort.Strings(out)
	return out
}

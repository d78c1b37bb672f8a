package mastodon

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// goMastodonVersion is the release docs/gomastodon.md maps; the bench
// module depends on the same one.
const goMastodonVersion = "v0.0.13"

type goMastodonRow struct {
	line             int
	theirs, ours, nb string
}

// readGoMastodonDoc returns the rows of the method table.
func readGoMastodonDoc(t *testing.T) []goMastodonRow {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("docs", "gomastodon.md"))
	if err != nil {
		t.Fatal(err)
	}
	var rows []goMastodonRow
	inTable := false
	for i, l := range strings.Split(string(data), "\n") {
		if strings.HasPrefix(l, "## ") {
			inTable = l == "## Method by method"
			continue
		}
		if !inTable || !strings.HasPrefix(l, "| `") {
			continue
		}
		cells := strings.Split(strings.TrimSpace(l), "|") // no cell holds a |
		if len(cells) != 5 || cells[0] != "" || cells[4] != "" {
			t.Errorf("docs/gomastodon.md:%d: want 3 cells in %q", i+1, l)
			continue
		}
		for j := range cells {
			cells[j] = strings.TrimSpace(cells[j])
		}
		rows = append(rows, goMastodonRow{line: i + 1, theirs: strings.Trim(cells[1], "`"), ours: cells[2], nb: cells[3]})
	}
	return rows
}

// goMastodonAPI lists go-mastodon's exported functions ("NewClient") and
// methods ("Client.GetAccount"), leaving out the JSON and error interface
// methods. It skips the test when the module cannot be had.
func goMastodonAPI(t *testing.T) map[string]bool {
	t.Helper()
	cmd := exec.Command("go", "list", "-m", "-f", "{{.Dir}} {{.Version}}", "github.com/mattn/go-mastodon")
	cmd.Dir = "bench"
	out, err := cmd.Output()
	fields := strings.Fields(string(out))
	if err != nil || len(fields) != 2 || fields[0] == "" {
		t.Skipf("go-mastodon's source is not in the module cache (go list in bench: %v)", err)
	}
	if fields[1] != goMastodonVersion {
		t.Fatalf("bench depends on go-mastodon %s; docs/gomastodon.md maps %s: update both", fields[1], goMastodonVersion)
	}
	files, err := filepath.Glob(filepath.Join(fields[0], "*.go"))
	if err != nil || len(files) == 0 {
		t.Skipf("no Go files in %s (%v)", fields[0], err)
	}
	api := map[string]bool{}
	fset := token.NewFileSet()
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			fd, ok := d.(*ast.FuncDecl)
			if !ok || !fd.Name.IsExported() {
				continue
			}
			switch fd.Name.Name {
			case "MarshalJSON", "UnmarshalJSON", "Error":
				continue
			}
			if fd.Recv == nil {
				api[fd.Name.Name] = true
				continue
			}
			recv := fd.Recv.List[0].Type
			if st, ok := recv.(*ast.StarExpr); ok {
				recv = st.X
			}
			if id, ok := recv.(*ast.Ident); ok && id.IsExported() {
				api[id.Name+"."+fd.Name.Name] = true
			}
		}
	}
	return api
}

// tuskAPI reads this package's declarations: struct fields with their
// types, methods by receiver, and top-level names.
type tuskAPI struct {
	fields  map[string]map[string]string
	methods map[string]map[string]bool
	names   map[string]bool
}

func readTuskAPI(t *testing.T) *tuskAPI {
	t.Helper()
	api := &tuskAPI{fields: map[string]map[string]string{}, methods: map[string]map[string]bool{}, names: map[string]bool{}}
	fset := token.NewFileSet()
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			switch d := d.(type) {
			case *ast.FuncDecl:
				if d.Recv == nil {
					api.names[d.Name.Name] = true
					continue
				}
				recv := exprString(d.Recv.List[0].Type)
				recv = strings.TrimPrefix(recv, "*")
				if api.methods[recv] == nil {
					api.methods[recv] = map[string]bool{}
				}
				api.methods[recv][d.Name.Name] = true
			case *ast.GenDecl:
				for _, sp := range d.Specs {
					switch sp := sp.(type) {
					case *ast.TypeSpec:
						api.names[sp.Name.Name] = true
						st, ok := sp.Type.(*ast.StructType)
						if !ok {
							continue
						}
						fm := map[string]string{}
						for _, fl := range st.Fields.List {
							for _, n := range fl.Names {
								fm[n.Name] = strings.TrimPrefix(exprString(fl.Type), "*")
							}
						}
						api.fields[sp.Name.Name] = fm
					case *ast.ValueSpec:
						for _, n := range sp.Names {
							api.names[n.Name] = true
						}
					}
				}
			}
		}
	}
	return api
}

// resolve reports whether a name like c.Admin.Accounts.List or
// mastodon.NewClient exists.
func (a *tuskAPI) resolve(name string) bool {
	parts := strings.Split(name, ".")
	switch parts[0] {
	case "mastodon":
		if len(parts) == 2 {
			return a.names[parts[1]]
		}
		return len(parts) == 3 && a.methods[parts[1]][parts[2]]
	case "c":
		typ := "Client"
		for _, p := range parts[1 : len(parts)-1] {
			next, ok := a.fields[typ][p]
			if !ok {
				return false
			}
			typ = next
		}
		return a.methods[typ][parts[len(parts)-1]]
	}
	return false
}

var docCode = regexp.MustCompile("`([^`]+)`")

// TestGoMastodonDoc keeps docs/gomastodon.md whole and true: one row for
// each exported function and method of go-mastodon, and every Tusk name
// the table gives (in the Tusk column, and c.… or mastodon.… names in the
// notes) exists.
func TestGoMastodonDoc(t *testing.T) {
	rows := readGoMastodonDoc(t)
	if len(rows) < 100 {
		t.Fatalf("docs/gomastodon.md has %d rows; the table moved?", len(rows))
	}
	tusk := readTuskAPI(t)
	seen := map[string]int{}
	for _, r := range rows {
		if prev, dup := seen[r.theirs]; dup {
			t.Errorf("docs/gomastodon.md:%d: %s is also on line %d", r.line, r.theirs, prev)
		}
		seen[r.theirs] = r.line
		if r.ours == "—" {
			if r.nb == "" {
				t.Errorf("docs/gomastodon.md:%d: %s has no equivalent and no note saying why", r.line, r.theirs)
			}
			continue
		}
		names := docCode.FindAllStringSubmatch(r.ours, -1)
		if len(names) == 0 {
			t.Errorf("docs/gomastodon.md:%d: %s: no Tusk name in %q", r.line, r.theirs, r.ours)
		}
		for _, m := range names {
			if !tusk.resolve(m[1]) {
				t.Errorf("docs/gomastodon.md:%d: %s maps to %s, which does not exist", r.line, r.theirs, m[1])
			}
		}
		for _, m := range docCode.FindAllStringSubmatch(r.nb, -1) {
			n := m[1]
			if strings.HasPrefix(n, "c.") || strings.HasPrefix(n, "mastodon.") {
				if !tusk.resolve(strings.Fields(n)[0]) {
					t.Errorf("docs/gomastodon.md:%d: the notes name %s, which does not exist", r.line, n)
				}
			}
		}
	}
	api := goMastodonAPI(t)
	for name := range api {
		if _, ok := seen[name]; !ok {
			t.Errorf("docs/gomastodon.md has no row for go-mastodon's %s", name)
		}
	}
	for name, line := range seen {
		if !api[name] {
			t.Errorf("docs/gomastodon.md:%d: go-mastodon %s has no %s", line, goMastodonVersion, name)
		}
	}
}

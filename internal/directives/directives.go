// Package directives reads the endpoint directives that Tusk's API methods
// carry in their doc comments:
//
//	// Favourite marks a status as a favourite.
//	//
//	//api:endpoint POST /api/v1/statuses/{id}/favourite
//	//api:since 1.0.0
//	//api:changed 4.0.0
//
// A method may name several endpoints (fallbacks included); since and changed
// apply to all of them. The coverage tool and the version-table generator are
// built on this package.
package directives

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

// Endpoint is one HTTP method and path template, as a directive writes it.
type Endpoint struct {
	Method string // upper case: GET, POST, PUT, PATCH, DELETE, HEAD
	Path   string // template, e.g. /api/v1/statuses/{id}/favourite
	// Since and Changed are the versions the directives give this
	// endpoint ("" when none).
	Since, Changed string
}

// String returns "METHOD /path/{param}" as written.
func (e Endpoint) String() string { return e.Method + " " + e.Path }

// Key returns the endpoint in normal form: see Normalize.
func (e Endpoint) Key() string { return e.Method + " " + NormalizePath(e.Path) }

// Func is one function or method carrying directives.
type Func struct {
	// Recv is the receiver's type name without pointer or type
	// parameters ("StatusesService", "Page"); empty for functions.
	Recv string
	// Name is the method or function name.
	Name      string
	Endpoints []Endpoint
	// Since and Changed are the versions of the first endpoints named
	// ("" when not given); each Endpoint carries its own.
	Since   string
	Changed string
	Pos     token.Position
	// ReturnsPage is true when the first result is a *Page[T].
	ReturnsPage bool
	// Paths are the string literals in the body that look like API paths
	// ("/api/…", "/oauth/…", "/.well-known/…", "/nodeinfo…", "/health"),
	// without any query, in order of appearance, each once.
	Paths []string
}

// Service returns the Tusk service path of the receiver: "Statuses" for
// StatusesService, "Admin.Accounts" for AdminAccountsService, "Admin" for
// AdminService, the type name for other receivers, "" for functions.
func (f *Func) Service() string { return ServiceOf(f.Recv) }

// FullName returns the name used in docs/mastodonpy.md: "Statuses.Favourite",
// "Admin.Accounts.Get", "Page.Next", or the bare name of a function.
func (f *Func) FullName() string {
	if s := f.Service(); s != "" {
		return s + "." + f.Name
	}
	return f.Name
}

// ServiceOf maps a receiver type name to its service path (see Func.Service).
func ServiceOf(recv string) string {
	if recv == "" {
		return ""
	}
	base, ok := strings.CutSuffix(recv, "Service")
	if !ok || base == "" {
		return recv
	}
	if rest, ok := strings.CutPrefix(base, "Admin"); ok && rest != "" && rest[0] >= 'A' && rest[0] <= 'Z' {
		return "Admin." + rest
	}
	return base
}

// Problem is a malformed or misplaced directive.
type Problem struct {
	Pos token.Position
	Msg string
}

func (p Problem) String() string { return p.Pos.String() + ": " + p.Msg }

// Set is what one package's source declares.
type Set struct {
	// Funcs carrying at least one directive, in source order by file.
	Funcs []*Func
	// Problems found while reading directives.
	Problems []Problem
	// Names holds every declared name usable in the docs: package-level
	// identifiers ("NewClient"), methods by full name ("Statuses.Post",
	// "Page.Next") and struct fields by type ("Response.AsyncRefresh").
	Names map[string]bool
	// Methods maps a full method name to its Func, with or without
	// directives.
	Methods map[string]*Func

	pkg string // the package clause of the files read
}

const (
	prefixEndpoint = "//api:endpoint"
	prefixSince    = "//api:since"
	prefixChanged  = "//api:changed"
	prefixAny      = "//api:"
)

var httpMethods = map[string]bool{"GET": true, "POST": true, "PUT": true, "PATCH": true, "DELETE": true, "HEAD": true, "OPTIONS": true}

// ParseDir reads the non-test Go files of dir (one package) and collects its
// directives. Only I/O and syntax errors are returned as errors; malformed
// directives are reported in Set.Problems.
func ParseDir(dir string) (*Set, error) {
	files, err := goFiles(dir)
	if err != nil {
		return nil, err
	}
	fset := token.NewFileSet()
	s := &Set{Names: map[string]bool{}, Methods: map[string]*Func{}}
	for _, name := range files {
		src, err := os.ReadFile(name)
		if err != nil {
			return nil, err
		}
		if err := s.addFile(fset, name, src); err != nil {
			return nil, err
		}
	}
	return s, nil
}

// goFiles lists the non-test Go files of dir, sorted.
func goFiles(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var files []string
	for _, e := range entries {
		n := e.Name()
		if e.IsDir() || !strings.HasSuffix(n, ".go") || strings.HasSuffix(n, "_test.go") {
			continue
		}
		files = append(files, filepath.Join(dir, n))
	}
	sort.Strings(files)
	return files, nil
}

// ParseModule is ParseDir for the module's root package, plus the names
// of the public packages beside it (blurhash, webpush, …: every direct
// subdirectory holding a library package, internal and nested modules
// left out), qualified by their package name: "blurhash.Decode",
// "webpush.Keys.Decrypt". The docs name those packages' functions so;
// their directives are not collected, since they call no endpoint.
func ParseModule(root string) (*Set, error) {
	s, err := ParseDir(root)
	if err != nil {
		return nil, err
	}
	entries, err := os.ReadDir(root)
	if err != nil {
		return nil, err
	}
	for _, e := range entries {
		name := e.Name()
		if !e.IsDir() || name == "internal" || name == "testdata" || strings.HasPrefix(name, ".") {
			continue
		}
		dir := filepath.Join(root, name)
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			continue // a module of its own (bench)
		}
		sub, err := ParseDir(dir)
		if err != nil {
			return nil, err
		}
		if sub.pkg != name {
			continue // no Go files, or a command
		}
		for n := range sub.Names {
			s.Names[name+"."+n] = true
		}
	}
	return s, nil
}

// ParseFiles is ParseDir for source held in memory: file name → content.
func ParseFiles(files map[string]string) (*Set, error) {
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	fset := token.NewFileSet()
	s := &Set{Names: map[string]bool{}, Methods: map[string]*Func{}}
	for _, n := range names {
		if err := s.addFile(fset, n, []byte(files[n])); err != nil {
			return nil, err
		}
	}
	return s, nil
}

func (s *Set) addFile(fset *token.FileSet, name string, src []byte) error {
	f, err := parser.ParseFile(fset, name, src, parser.ParseComments|parser.SkipObjectResolution)
	if err != nil {
		return err
	}
	s.pkg = f.Name.Name
	attached := map[*ast.CommentGroup]bool{}
	for _, d := range f.Decls {
		switch d := d.(type) {
		case *ast.FuncDecl:
			attached[d.Doc] = true
			fn := &Func{Name: d.Name.Name, Pos: fset.Position(d.Pos())}
			if d.Recv != nil && len(d.Recv.List) == 1 {
				fn.Recv = recvTypeName(d.Recv.List[0].Type)
			}
			s.Names[fn.FullName()] = true
			s.Methods[fn.FullName()] = fn
			if d.Doc != nil {
				s.readDoc(fset, d.Doc, fn)
			}
			if d.Body != nil {
				fn.Paths = pathLiterals(d.Body)
			}
			if res := d.Type.Results; res != nil && len(res.List) > 0 {
				if st, ok := res.List[0].Type.(*ast.StarExpr); ok {
					if ix, ok := st.X.(*ast.IndexExpr); ok {
						id, ok := ix.X.(*ast.Ident)
						fn.ReturnsPage = ok && id.Name == "Page"
					}
				}
			}
			if len(fn.Endpoints) > 0 {
				s.Funcs = append(s.Funcs, fn)
			}
		case *ast.GenDecl:
			for _, sp := range d.Specs {
				switch sp := sp.(type) {
				case *ast.TypeSpec:
					s.Names[sp.Name.Name] = true
					if st, ok := sp.Type.(*ast.StructType); ok {
						for _, fld := range st.Fields.List {
							names := fld.Names
							if len(names) == 0 { // embedded
								if n := recvTypeName(fld.Type); n != "" {
									names = []*ast.Ident{ast.NewIdent(n)}
								}
							}
							for _, id := range names {
								s.Names[sp.Name.Name+"."+id.Name] = true
								s.Names[ServiceOf(sp.Name.Name)+"."+id.Name] = true
							}
						}
					}
				case *ast.ValueSpec:
					for _, id := range sp.Names {
						s.Names[id.Name] = true
					}
				}
			}
		}
	}
	// Directives anywhere else are attached to nothing: say so.
	for _, cg := range f.Comments {
		if attached[cg] {
			continue
		}
		for _, c := range cg.List {
			if strings.HasPrefix(c.Text, prefixAny) {
				s.problem(fset.Position(c.Pos()), "directive not in a function's doc comment: %s", c.Text)
			}
		}
	}
	return nil
}

func (s *Set) problem(pos token.Position, format string, args ...any) {
	s.Problems = append(s.Problems, Problem{Pos: pos, Msg: fmt.Sprintf(format, args...)})
}

// readDoc reads the directives of one function's doc comment. The raw
// comment lines are used: CommentGroup.Text drops directive lines.
//
// since and changed apply to the endpoints named before them, back to the
// previous since or changed, so a fallback can carry its own versions:
//
//	//api:endpoint POST /api/v1/notifications/{id}/dismiss
//	//api:since 2.9.2
//	//api:endpoint POST /api/v1/notifications/dismiss
//	//api:since 1.3.0
//
// Endpoints after the last version lines take the first group's versions.
func (s *Set) readDoc(fset *token.FileSet, doc *ast.CommentGroup, fn *Func) {
	groupStart := 0           // index in fn.Endpoints where the open group begins
	var since, changed string // versions of the open group
	closeGroup := func() {
		for i := groupStart; i < len(fn.Endpoints); i++ {
			fn.Endpoints[i].Since, fn.Endpoints[i].Changed = since, changed
		}
		if groupStart == 0 || (fn.Since == "" && fn.Changed == "") {
			fn.Since, fn.Changed = since, changed
		}
		groupStart = len(fn.Endpoints)
		since, changed = "", ""
	}
	for _, c := range doc.List {
		text := c.Text
		if !strings.HasPrefix(text, prefixAny) {
			continue
		}
		pos := fset.Position(c.Pos())
		verb, rest, _ := strings.Cut(text, " ")
		fields := strings.Fields(rest)
		switch verb {
		case prefixEndpoint:
			if len(fields) != 2 {
				s.problem(pos, "want %q, got %q", "//api:endpoint METHOD /path", text)
				continue
			}
			ep := Endpoint{Method: fields[0], Path: fields[1]}
			if msg := checkEndpoint(ep); msg != "" {
				s.problem(pos, "%s: %s", msg, text)
				continue
			}
			for _, have := range fn.Endpoints {
				if have.Key() == ep.Key() {
					s.problem(pos, "endpoint named twice: %s", text)
				}
			}
			if since != "" || changed != "" {
				closeGroup()
			}
			fn.Endpoints = append(fn.Endpoints, ep)
		case prefixSince, prefixChanged:
			if len(fields) != 1 || !IsVersion(fields[0]) {
				s.problem(pos, "want a version X.Y.Z: %s", text)
				continue
			}
			if groupStart == len(fn.Endpoints) {
				s.problem(pos, "%s without //api:endpoint before it", verb)
				continue
			}
			dst := &since
			if verb == prefixChanged {
				dst = &changed
			}
			if *dst != "" {
				s.problem(pos, "given twice: %s", text)
				continue
			}
			*dst = fields[0]
			if since != "" && changed != "" && CompareVersions(changed, since) < 0 {
				s.problem(pos, "%s: changed %s is before since %s", fn.FullName(), changed, since)
			}
		default:
			s.problem(pos, "unknown directive: %s", text)
		}
	}
	if since != "" || changed != "" {
		closeGroup()
	}
	// Trailing endpoints without versions of their own take the first
	// group's.
	for i := groupStart; i < len(fn.Endpoints); i++ {
		fn.Endpoints[i].Since, fn.Endpoints[i].Changed = fn.Since, fn.Changed
	}
}

func checkEndpoint(ep Endpoint) string {
	if !httpMethods[ep.Method] {
		return "unknown HTTP method " + strconv.Quote(ep.Method)
	}
	p := ep.Path
	if !strings.HasPrefix(p, "/") {
		return "path must start with /"
	}
	if strings.ContainsAny(p, "?#: \t") {
		return "path must be a bare template (no query, no :param)"
	}
	if len(p) > 1 && strings.HasSuffix(p, "/") {
		return "path must not end in /"
	}
	for seg := range strings.SplitSeq(p[1:], "/") {
		if seg == "" && p != "/" {
			return "empty path segment"
		}
		open := strings.Count(seg, "{")
		if open != strings.Count(seg, "}") || open > 1 {
			return "unbalanced braces"
		}
		if open == 1 && (seg[0] != '{' || seg[len(seg)-1] != '}') {
			return "a parameter must be a whole path segment"
		}
	}
	return ""
}

// pathLiterals collects the API-path-like string literals of a body.
func pathLiterals(body *ast.BlockStmt) []string {
	var out []string
	seen := map[string]bool{}
	ast.Inspect(body, func(n ast.Node) bool {
		lit, ok := n.(*ast.BasicLit)
		if !ok || lit.Kind != token.STRING {
			return true
		}
		v, err := strconv.Unquote(lit.Value)
		if err != nil || !IsAPIPath(v) {
			return true
		}
		if i := strings.IndexAny(v, "?#"); i >= 0 {
			v = v[:i]
		}
		if !seen[v] {
			seen[v] = true
			out = append(out, v)
		}
		return true
	})
	return out
}

// IsAPIPath reports whether s looks like a path of the Mastodon API.
func IsAPIPath(s string) bool {
	for _, p := range []string{"/api/", "/oauth/", "/.well-known/", "/nodeinfo", "/health"} {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}

// IsService reports whether a receiver type name is an API service
// ("StatusesService", "AdminAccountsService").
func IsService(recv string) bool {
	base, ok := strings.CutSuffix(recv, "Service")
	return ok && base != ""
}

// recvTypeName returns the type name of a receiver or embedded field
// expression: T, *T, T[P], *T[P] → "T".
func recvTypeName(e ast.Expr) string {
	for {
		switch t := e.(type) {
		case *ast.StarExpr:
			e = t.X
		case *ast.IndexExpr:
			e = t.X
		case *ast.IndexListExpr:
			e = t.X
		case *ast.ParenExpr:
			e = t.X
		case *ast.Ident:
			return t.Name
		case *ast.SelectorExpr:
			return t.Sel.Name
		default:
			return ""
		}
	}
}

// NormalizePath replaces every path parameter, however named ({id},
// {account_id}, Mastodon.py's {}), with {} so templates compare equal.
func NormalizePath(p string) string {
	if !strings.Contains(p, "{") {
		return p
	}
	var b strings.Builder
	for i := 0; i < len(p); i++ {
		if p[i] == '{' {
			if j := strings.IndexByte(p[i:], '}'); j >= 0 {
				b.WriteString("{}")
				i += j
				continue
			}
		}
		b.WriteByte(p[i])
	}
	return b.String()
}

// Normalize turns "METHOD /path/{param}" into its normal form: method upper
// case, one space, parameters as {}. It returns "" for text that is not an
// endpoint.
func Normalize(ep string) string {
	m, p, ok := strings.Cut(strings.TrimSpace(ep), " ")
	p = strings.TrimSpace(p)
	if !ok || m == "" || !strings.HasPrefix(p, "/") {
		return ""
	}
	return strings.ToUpper(m) + " " + NormalizePath(p)
}

// IsVersion reports whether v is a plain X.Y.Z version.
func IsVersion(v string) bool {
	parts := strings.Split(v, ".")
	if len(parts) != 3 {
		return false
	}
	for _, p := range parts {
		if p == "" || len(p) > 6 {
			return false
		}
		for _, r := range p {
			if r < '0' || r > '9' {
				return false
			}
		}
	}
	return true
}

// CompareVersions compares two X.Y.Z versions numerically: -1, 0 or +1.
// Versions that are not X.Y.Z compare as strings after the valid ones.
func CompareVersions(a, b string) int {
	va, vb := IsVersion(a), IsVersion(b)
	switch {
	case va && !vb:
		return -1
	case !va && vb:
		return 1
	case !va && !vb:
		return strings.Compare(a, b)
	}
	pa, pb := strings.Split(a, "."), strings.Split(b, ".")
	for i := range 3 {
		x, _ := strconv.Atoi(pa[i])
		y, _ := strconv.Atoi(pb[i])
		if x != y {
			if x < y {
				return -1
			}
			return 1
		}
	}
	return 0
}

// ByEndpoint groups the functions by normalised endpoint key.
func (s *Set) ByEndpoint() map[string][]*Func {
	m := map[string][]*Func{}
	for _, f := range s.Funcs {
		for _, e := range f.Endpoints {
			m[e.Key()] = append(m[e.Key()], f)
		}
	}
	return m
}

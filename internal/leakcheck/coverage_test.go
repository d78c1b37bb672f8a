package leakcheck

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestEveryPackageChecks keeps the check from being skipped silently: each
// directory of the repository (nested modules included) that has tests has
// a TestMain calling leakcheck.Main or leakcheck.Run.
func TestEveryPackageChecks(t *testing.T) {
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "go.mod")); err != nil {
		t.Fatalf("module root not found: %v", err)
	}
	tested := map[string]bool{} // directory -> has a checking TestMain
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		if d.IsDir() {
			if path != root && (name == "testdata" || name == "vendor" || strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_")) {
				return fs.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(name, "_test.go") {
			return nil
		}
		dir := filepath.Dir(path)
		f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		tested[dir] = tested[dir] || callsCheck(f)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(tested) < 10 {
		t.Fatalf("found only %d directories with tests under %s", len(tested), root)
	}
	var missing []string
	for dir, ok := range tested {
		if !ok {
			rel, _ := filepath.Rel(root, dir)
			missing = append(missing, rel)
		}
	}
	slices.Sort(missing)
	for _, dir := range missing {
		t.Errorf("%s: tests without a TestMain calling leakcheck.Main or leakcheck.Run", dir)
	}
}

// callsCheck reports whether f declares a TestMain that calls
// leakcheck.Main or leakcheck.Run (or, in this package, Main or run).
func callsCheck(f *ast.File) bool {
	for _, decl := range f.Decls {
		fn, ok := decl.(*ast.FuncDecl)
		if !ok || fn.Name.Name != "TestMain" || fn.Recv != nil || fn.Body == nil {
			continue
		}
		found := false
		ast.Inspect(fn.Body, func(n ast.Node) bool {
			switch e := n.(type) {
			case *ast.SelectorExpr:
				if x, ok := e.X.(*ast.Ident); ok && x.Name == "leakcheck" && (e.Sel.Name == "Main" || e.Sel.Name == "Run") {
					found = true
				}
			case *ast.CallExpr:
				if id, ok := e.Fun.(*ast.Ident); ok && f.Name.Name == "leakcheck" && (id.Name == "Main" || id.Name == "run") {
					found = true
				}
			}
			return !found
		})
		return found
	}
	return false
}

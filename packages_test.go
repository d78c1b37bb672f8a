package mastodon

import (
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// helperPackages send no request and must not import package mastodon, so
// that they can be used without it (and by mastodontest, which must not
// import it either).
var helperPackages = []string{"blurhash", "credfile", "statuslen", "webpush"}

func TestHelperPackagesDoNotImportTheRoot(t *testing.T) {
	fset := token.NewFileSet()
	for _, dir := range helperPackages {
		files, err := filepath.Glob(filepath.Join(dir, "*.go"))
		if err != nil || len(files) == 0 {
			t.Fatalf("%s: no Go files (%v)", dir, err)
		}
		for _, name := range files {
			if strings.HasSuffix(name, "_test.go") {
				continue
			}
			src, err := os.ReadFile(name)
			if err != nil {
				t.Fatal(err)
			}
			f, err := parser.ParseFile(fset, name, src, parser.ImportsOnly)
			if err != nil {
				t.Fatal(err)
			}
			for _, imp := range f.Imports {
				path, _ := strconv.Unquote(imp.Path.Value)
				if path == "github.com/tuskgo/mastodon" || strings.HasPrefix(path, "github.com/tuskgo/mastodon/internal/") {
					t.Errorf("%s imports %s: helper packages stand alone", name, path)
				}
			}
		}
	}
}

// Command genversions writes endpoints_gen.go, the table of minimum server
// versions per endpoint, from the //api: directives of the package in the
// current directory. It runs from `go generate` in the repository root.
//
// With -check it writes nothing and exits 1 when the file is stale.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/tuskgo/mastodon/internal/directives"
)

func main() {
	dir := flag.String("dir", ".", "package directory to read")
	out := flag.String("o", "endpoints_gen.go", "output file, relative to -dir")
	check := flag.Bool("check", false, "report whether the output is stale instead of writing it")
	flag.Parse()
	if err := run(*dir, *out, *check); err != nil {
		fmt.Fprintln(os.Stderr, "genversions:", err)
		os.Exit(1)
	}
}

func run(dir, out string, check bool) error {
	src, err := generate(dir)
	if err != nil {
		return err
	}
	path := filepath.Join(dir, out)
	if check {
		have, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if !bytes.Equal(have, src) {
			return fmt.Errorf("%s is stale: run go generate", path)
		}
		return nil
	}
	return os.WriteFile(path, src, 0o644)
}

// generate reads dir and renders the table. Malformed directives are an
// error: a table built from them would be wrong.
func generate(dir string) ([]byte, error) {
	set, err := directives.ParseDir(dir)
	if err != nil {
		return nil, err
	}
	if len(set.Problems) > 0 {
		var b bytes.Buffer
		for _, p := range set.Problems {
			fmt.Fprintf(&b, "\n\t%s", p)
		}
		return nil, fmt.Errorf("malformed directives:%s", b.String())
	}
	return set.VersionTable("mastodon")
}

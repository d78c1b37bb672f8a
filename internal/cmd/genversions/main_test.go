package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestCommittedTableIsCurrent fails when endpoints_gen.go does not match the
// directives in the source: run `go generate` in the repository root.
func TestCommittedTableIsCurrent(t *testing.T) {
	root := filepath.Join("..", "..", "..")
	want, err := generate(root)
	if err != nil {
		t.Fatal(err)
	}
	have, err := os.ReadFile(filepath.Join(root, "endpoints_gen.go"))
	if err != nil {
		t.Fatalf("endpoints_gen.go missing: run go generate in the repository root (%v)", err)
	}
	if !bytes.Equal(have, want) {
		t.Fatalf("endpoints_gen.go is stale: run `go generate` in the repository root\n%s", firstDiff(string(have), string(want)))
	}
}

func firstDiff(have, want string) string {
	hl, wl := strings.Split(have, "\n"), strings.Split(want, "\n")
	for i := 0; i < len(hl) || i < len(wl); i++ {
		var h, w string
		if i < len(hl) {
			h = hl[i]
		}
		if i < len(wl) {
			w = wl[i]
		}
		if h != w {
			return "line " + strconv.Itoa(i+1) + ":\n  committed: " + h + "\n  generated: " + w
		}
	}
	return ""
}

func TestRunWritesAndChecks(t *testing.T) {
	dir := t.TempDir()
	src := `package mastodon

type StatusesService struct{}

// Favourite marks a status.
//
//api:endpoint POST /api/v1/statuses/{id}/favourite
//api:since 1.0.0
//api:changed 2.0.0
func (s *StatusesService) Favourite() {}
`
	if err := os.WriteFile(filepath.Join(dir, "statuses.go"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := run(dir, "endpoints_gen.go", true); err == nil {
		t.Fatal("check passed with no generated file")
	}
	if err := run(dir, "endpoints_gen.go", false); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(filepath.Join(dir, "endpoints_gen.go"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(got), `"POST /api/v1/statuses/{id}/favourite": {Since: "1.0.0", Changed: "2.0.0"},`) {
		t.Fatalf("generated table lacks the entry:\n%s", got)
	}
	if err := run(dir, "endpoints_gen.go", true); err != nil {
		t.Fatalf("check after generate: %v", err)
	}
	// A new directive makes the file stale.
	src2 := strings.Replace(src, "//api:since 1.0.0", "//api:endpoint POST /api/v1/statuses/{id}/unfavourite\n//api:since 1.0.0", 1)
	if err := os.WriteFile(filepath.Join(dir, "statuses.go"), []byte(src2), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := run(dir, "endpoints_gen.go", true); err == nil || !strings.Contains(err.Error(), "stale") {
		t.Fatalf("check on a stale file: %v", err)
	}
}

func TestGenerateRejectsMalformedDirectives(t *testing.T) {
	dir := t.TempDir()
	src := "package mastodon\n\n// F calls.\n//\n//api:endpoint FETCH /x\nfunc F() {}\n"
	if err := os.WriteFile(filepath.Join(dir, "f.go"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := generate(dir)
	if err == nil || !strings.Contains(err.Error(), "FETCH") {
		t.Fatalf("want an error naming the bad directive, got %v", err)
	}
}

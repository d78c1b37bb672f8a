package mastodon

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// The committed entities_*.go files are what the generator writes from the
// spec: run it into a temporary folder and compare.
func TestGeneratedEntitiesUpToDate(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the generator")
	}
	dir := specDir(t)
	out := t.TempDir()
	cmd := exec.Command("go", "run", "./internal/gen/entities", "-spec", dir, "-out", out)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("generator: %v\n%s", err, b)
	}
	files, err := filepath.Glob(filepath.Join(out, "*.go"))
	if err != nil || len(files) < 10 {
		t.Fatalf("generator wrote %d files (%v)", len(files), err)
	}
	for _, f := range files {
		want, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(filepath.Base(f))
		if err != nil {
			t.Errorf("%s is not committed: %v", filepath.Base(f), err)
			continue
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s is stale: run go generate", filepath.Base(f))
		}
	}
}

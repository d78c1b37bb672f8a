package mastodon

import (
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/tuskgo/mastodon/internal/corpus"
)

// specDir returns ../shared/spec, found beside the corpus, or skips.
func specDir(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(corpus.Dir(t), "..", "spec")
	if _, err := os.Stat(filepath.Join(dir, "mastodon-openapi.json")); err != nil {
		t.Skipf("spec not found at %s; skipping", dir)
	}
	return dir
}

func loadSchemas(t *testing.T) map[string]struct {
	Example json.RawMessage `json:"example"`
	Enum    []any           `json:"enum"`
} {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(specDir(t), "mastodon-openapi.json"))
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Components struct {
			Schemas map[string]struct {
				Example json.RawMessage `json:"example"`
				Enum    []any           `json:"enum"`
			} `json:"schemas"`
		} `json:"components"`
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	return doc.Components.Schemas
}

// Every schema with an example decodes and re-encodes with nothing lost
// or changed.
func TestOpenAPIExamplesRoundTrip(t *testing.T) {
	schemas := loadSchemas(t)
	var names []string
	for name, s := range schemas {
		if len(s.Example) > 0 {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	ok := 0
	for _, name := range names {
		diffs, _, err := roundTrip(t, name, schemas[name].Example)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if len(diffs) > 0 {
			t.Errorf("%s:\n\t%s", name, strings.Join(diffs, "\n\t"))
			continue
		}
		ok++
	}
	t.Logf("OpenAPI examples: %d of %d round-trip with nothing lost or changed", ok, len(names))
	if len(names) < 50 {
		t.Errorf("only %d examples found; the spec should hold about 60", len(names))
	}
}

// Every component schema of the OpenAPI file has a Go type of that name.
func TestEveryOpenAPISchemaHasAType(t *testing.T) {
	schemas := loadSchemas(t)
	var missing []string
	for name := range schemas {
		if _, ok := entityTypes[name]; ok {
			continue
		}
		missing = append(missing, name)
	}
	sort.Strings(missing)
	if len(missing) > 0 {
		t.Errorf("schemas without a Go type: %v", missing)
	}
	if len(schemas) != 137 {
		t.Errorf("found %d schemas, want 137", len(schemas))
	}
}

// Every Mastodon.py entity has a Go type, under its own name or ours.
func TestEveryMastodonPyEntityHasAType(t *testing.T) {
	b, err := os.ReadFile(filepath.Join(specDir(t), "mastodonpy-return-types.json"))
	if err != nil {
		t.Fatal(err)
	}
	var ents []struct {
		Name string `json:"python_name"`
	}
	if err := json.Unmarshal(b, &ents); err != nil {
		t.Fatal(err)
	}
	for _, e := range ents {
		name := e.Name
		if ours, ok := mastodonPyNames[name]; ok {
			name = ours
		}
		if _, ok := entityTypes[name]; !ok {
			t.Errorf("Mastodon.py entity %s has no Go type", e.Name)
		}
	}
}

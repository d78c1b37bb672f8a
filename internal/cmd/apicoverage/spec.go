package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/tuskgo/mastodon/internal/directives"
)

// Spec is what the two reference files say about the API.
type Spec struct {
	// Operations are the OpenAPI operations, "METHOD /path/{param}" as the
	// file writes them, sorted.
	Operations []string
	// Methods are Mastodon.py's public methods, in file order.
	Methods []PyMethod
	// Added maps an OpenAPI operation (normal form) to the version its
	// version history says added it, when it says.
	Added map[string]string
}

// PyMethod is one Mastodon.py method.
type PyMethod struct {
	Name        string   `json:"name"`
	Module      string   `json:"module"`
	Endpoints   []string `json:"endpoints"` // path parameters written {}
	MinVersion  *string  `json:"min_version"`
	LastChanged *string  `json:"last_changed"`
}

const (
	openAPIFile   = "mastodon-openapi.json"
	pyMethodsFile = "mastodonpy-methods.json"
)

// errNoSpec means the reference folder is not there (a fresh clone).
var errNoSpec = errors.New("spec folder not found: looked for shared/spec beside the repository (set TUSK_SPEC)")

// findSpec returns the folder holding the reference files: $TUSK_SPEC, or
// shared/spec in the working directory or any folder above it (the
// repository sits beside shared/, worktrees one level deeper).
func findSpec() (string, error) {
	if d := os.Getenv("TUSK_SPEC"); d != "" {
		return d, nil
	}
	wd, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for dir := wd; ; {
		c := filepath.Join(dir, "shared", "spec")
		if _, err := os.Stat(filepath.Join(c, openAPIFile)); err == nil {
			return c, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errNoSpec
		}
		dir = parent
	}
}

// LoadSpec reads both reference files from dir.
func LoadSpec(dir string) (*Spec, error) {
	var oa struct {
		Paths map[string]map[string]json.RawMessage `json:"paths"`
	}
	type operation struct {
		Description string `json:"description"`
	}
	if err := readJSON(filepath.Join(dir, openAPIFile), &oa); err != nil {
		return nil, err
	}
	s := &Spec{Added: map[string]string{}}
	for path, item := range oa.Paths {
		for m, raw := range item {
			switch m {
			case "get", "post", "put", "patch", "delete", "head", "options":
				op := strings.ToUpper(m) + " " + path
				s.Operations = append(s.Operations, op)
				var o operation
				if json.Unmarshal(raw, &o) == nil {
					if v := addedVersion(o.Description); v != "" {
						s.Added[directives.Normalize(op)] = v
					}
				}
			}
		}
	}
	sort.Strings(s.Operations)
	var py struct {
		Methods []PyMethod `json:"methods"`
	}
	if err := readJSON(filepath.Join(dir, pyMethodsFile), &py); err != nil {
		return nil, err
	}
	s.Methods = py.Methods
	if len(s.Operations) == 0 || len(s.Methods) == 0 {
		return nil, fmt.Errorf("%s: no operations or methods found", dir)
	}
	return s, nil
}

func readJSON(path string, v any) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}

// PyEndpoints returns the distinct endpoints of all Mastodon.py methods in
// normal form, split into client and admin API, each sorted.
func (s *Spec) PyEndpoints() (client, admin []string) {
	seen := map[string]bool{}
	for _, m := range s.Methods {
		for _, e := range m.Endpoints {
			k := directives.Normalize(e)
			if k == "" || seen[k] {
				continue
			}
			seen[k] = true
			if isAdmin(k) {
				admin = append(admin, k)
			} else {
				client = append(client, k)
			}
		}
	}
	sort.Strings(client)
	sort.Strings(admin)
	return client, admin
}

func isAdmin(key string) bool {
	_, p, _ := strings.Cut(key, " ")
	return strings.HasPrefix(p, "/api/v1/admin/") || strings.HasPrefix(p, "/api/v2/admin/")
}

// addedVersion reads "X.Y.Z - added" from the "Version history:" part of an
// operation's description.
func addedVersion(desc string) string {
	_, hist, ok := strings.Cut(desc, "Version history:")
	if !ok {
		return ""
	}
	for l := range strings.SplitSeq(hist, "\n") {
		l = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(l), "-"))
		v, rest, ok := strings.Cut(l, " ")
		if ok && directives.IsVersion(v) && strings.Contains(rest, "added") {
			return v
		}
	}
	return ""
}

// referenceSince returns the earliest version the references give for an
// endpoint (normal form): the OpenAPI history and Mastodon.py's minimum
// versions. It returns "" when neither says.
func (s *Spec) referenceSince(key string) string {
	// The OpenAPI file dates each endpoint; Mastodon.py dates methods,
	// and a method that falls back to an older endpoint carries the older
	// version for all of them. Prefer the endpoint's own date.
	best := s.Added[key]
	if best != "" {
		return best
	}
	for _, m := range s.Methods {
		if m.MinVersion == nil || !directives.IsVersion(*m.MinVersion) {
			continue
		}
		for _, e := range m.Endpoints {
			if directives.Normalize(e) == key && (best == "" || directives.CompareVersions(*m.MinVersion, best) < 0) {
				best = *m.MinVersion
			}
		}
	}
	return best
}

package main

import (
	"bytes"
	"fmt"
	"os"
	"strconv"
	"strings"
)

// The README's coverage block sits between these markers; -readme rewrites
// it and a test checks it never claims more than the source backs.
const (
	readmeBegin = "<!-- apicoverage:begin -->"
	readmeEnd   = "<!-- apicoverage:end -->"
)

// readmeRow is one figure of the README block.
type readmeRow struct {
	Label string
	Tally func(*Report) (covered, total int)
}

var readmeRows = []readmeRow{
	{"OpenAPI operations (`mastodon-openapi.json`)", func(r *Report) (int, int) { return len(r.OpenAPI.Covered), r.OpenAPI.Total() }},
	{"Mastodon.py endpoints, client API", func(r *Report) (int, int) { return len(r.PyClient.Covered), r.PyClient.Total() }},
	{"Mastodon.py endpoints, admin API", func(r *Report) (int, int) { return len(r.PyAdmin.Covered), r.PyAdmin.Total() }},
	{"Admin endpoints in the Mastodon docs but not Mastodon.py", func(r *Report) (int, int) { return len(r.DocsAdmin.Covered), r.DocsAdmin.Total() }},
	{"Mastodon.py methods with a working Tusk equivalent", func(r *Report) (int, int) {
		if r.PyDoc == nil {
			return 0, 0
		}
		return r.PyDoc.Implemented, len(r.PyDoc.Rows) - r.PyDoc.None
	}},
}

// readmeBlock renders the README block for r.
func readmeBlock(r *Report) string {
	var b strings.Builder
	b.WriteString(readmeBegin + "\n")
	b.WriteString("Measured by `go run ./internal/cmd/apicoverage` from the `//api:endpoint` directives in the source:\n\n")
	b.WriteString("| | covered |\n|---|---|\n")
	for _, row := range readmeRows {
		c, t := row.Tally(r)
		fmt.Fprintf(&b, "| %s | %d/%d |\n", row.Label, c, t)
	}
	if r.PyDoc != nil {
		fmt.Fprintf(&b, "\nThe other %d Mastodon.py methods need no equivalent in Go; [docs/mastodonpy.md](docs/mastodonpy.md) says why, and maps every method.\n", r.PyDoc.None)
	}
	b.WriteString(readmeEnd)
	return b.String()
}

// writeReadme replaces the block in the README at path, or appends an "API
// coverage" section holding it.
func writeReadme(path string, r *Report) error {
	old, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	block := readmeBlock(r)
	var out []byte
	if i := bytes.Index(old, []byte(readmeBegin)); i >= 0 {
		j := bytes.Index(old[i:], []byte(readmeEnd))
		if j < 0 {
			return fmt.Errorf("%s: %s without %s", path, readmeBegin, readmeEnd)
		}
		out = append(append(append([]byte{}, old[:i]...), block...), old[i+j+len(readmeEnd):]...)
	} else {
		out = append(bytes.TrimRight(old, "\n"), []byte("\n\n## API coverage\n\n"+block+"\n")...)
	}
	return os.WriteFile(path, out, 0o644)
}

// readmeClaims reads the figures of the README block: label → covered,
// total. It returns nil when the README has no block.
func readmeClaims(path string) (map[string][2]int, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	_, rest, ok := strings.Cut(string(b), readmeBegin)
	if !ok {
		return nil, nil
	}
	block, _, ok := strings.Cut(rest, readmeEnd)
	if !ok {
		return nil, fmt.Errorf("%s: %s without %s", path, readmeBegin, readmeEnd)
	}
	claims := map[string][2]int{}
	for l := range strings.SplitSeq(block, "\n") {
		cells := splitRow(l)
		if !strings.HasPrefix(l, "| ") || len(cells) != 2 {
			continue
		}
		c, t, ok := strings.Cut(cells[1], "/")
		if !ok {
			continue
		}
		ci, err1 := strconv.Atoi(c)
		ti, err2 := strconv.Atoi(t)
		if err1 != nil || err2 != nil {
			return nil, fmt.Errorf("%s: bad figure %q", path, cells[1])
		}
		claims[cells[0]] = [2]int{ci, ti}
	}
	return claims, nil
}

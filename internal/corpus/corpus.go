// Package corpus loads the recorded Mastodon request/response pairs kept in
// ../shared/corpus (format "mastodon-cassette-corpus/1") for tests.
//
// The folder sits beside the repository, not inside it: it is present in
// development sessions and CI and absent from a fresh clone. Tests call Load
// (or Dir) and are skipped with a clear message when it is missing.
package corpus

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
)

// Cassette is one recorded test session.
type Cassette struct {
	Format       string        `json:"format"`
	ID           string        `json:"cassette"`
	Folder       string        `json:"folder"`
	Name         string        `json:"name"`
	Versions     []string      `json:"server_versions_observed"`
	Interactions []Interaction `json:"interactions"`
	// File is the cassette's path, set by the loader.
	File string `json:"-"`
}

// Interaction is one request and its response.
type Interaction struct {
	I        int             `json:"i"`
	Endpoint string          `json:"endpoint"` // "METHOD /path/{template}"
	Area     string          `json:"area"`
	OpenAPI  *OpenAPIRef     `json:"openapi"`
	Entity   string          `json:"entity"`
	Schemas  map[string]int  `json:"schemas_seen"`
	Request  Request         `json:"request"`
	Response Response        `json:"response"`
	Raw      json.RawMessage `json:"-"`
}

// OpenAPIRef names the OpenAPI operation an interaction matched.
type OpenAPIRef struct {
	OperationID string            `json:"operationId"`
	Path        string            `json:"path"`
	PathParams  map[string]string `json:"path_params"`
}

// Request is the recorded request.
type Request struct {
	Method     string              `json:"method"`
	URL        string              `json:"url"`
	Path       string              `json:"path"`
	QueryRaw   string              `json:"query_raw"`
	Query      map[string][]string `json:"query"`
	QueryPairs [][2]string         `json:"query_pairs"`
	Headers    map[string][]string `json:"headers"`
	Body       RequestBody         `json:"body"`
}

// RequestBody is the recorded request body.
type RequestBody struct {
	Kind      string              `json:"kind"` // none, form, json, multipart, raw
	Form      map[string][]string `json:"form"`
	FormPairs [][2]string         `json:"form_pairs"`
	JSON      json.RawMessage     `json:"json"`
	Parts     []Part              `json:"parts"`
	Raw       string              `json:"raw"`
	// Multipart is where the files keep multipart parts; the loader copies
	// them to Parts.
	Multipart *struct {
		Boundary string `json:"boundary"`
		Parts    []Part `json:"parts"`
	} `json:"multipart"`
}

// Part is one multipart field; files carry Filename and no bytes.
type Part struct {
	Name        string `json:"name"`
	Value       string `json:"value"`
	Filename    string `json:"filename"`
	ContentType string `json:"content_type"`
	Size        int64  `json:"size"`
}

// Response is the recorded response.
type Response struct {
	Status    int                 `json:"status"`
	Reason    string              `json:"reason"`
	Headers   map[string][]string `json:"headers"`
	Link      []Link              `json:"link"`
	RateLimit *RateLimit          `json:"ratelimit"`
	Body      ResponseBody        `json:"body"`
}

// Link is one parsed Link header entry.
type Link struct {
	URL   string              `json:"url"`
	Rel   string              `json:"rel"`
	Path  string              `json:"path"`
	Query map[string][]string `json:"query"`
}

// RateLimit is the parsed X-RateLimit-* headers.
type RateLimit struct {
	Limit     int    `json:"limit"`
	Remaining int    `json:"remaining"`
	Reset     string `json:"reset"`
}

// ResponseBody is the recorded response body.
type ResponseBody struct {
	Kind   string          `json:"kind"` // json, text, empty, event-stream
	JSON   json.RawMessage `json:"json"`
	Text   string          `json:"text"`
	Events []Event         `json:"events"`
	Raw    string          `json:"raw"`
}

// Event is one server-sent event of a recorded stream.
type Event struct {
	Event    string          `json:"event"`
	DataRaw  string          `json:"data_raw"`
	Data     json.RawMessage `json:"data"`
	DataKind string          `json:"data_kind"`
	Entity   string          `json:"entity"`
}

// Header returns the first value of a lower-case response header.
func (r Response) Header(name string) string {
	if v := r.Headers[strings.ToLower(name)]; len(v) > 0 {
		return v[0]
	}
	return ""
}

// Header returns the first value of a lower-case request header.
func (r Request) Header(name string) string {
	if v := r.Headers[strings.ToLower(name)]; len(v) > 0 {
		return v[0]
	}
	return ""
}

// Method and Template split Endpoint.
func (it Interaction) Method() string {
	m, _, _ := strings.Cut(it.Endpoint, " ")
	return m
}

// Template is the path template of the endpoint, e.g. /api/v1/statuses/{id}.
func (it Interaction) Template() string {
	_, p, _ := strings.Cut(it.Endpoint, " ")
	return p
}

var (
	once     sync.Once
	loaded   []*Cassette
	loadErr  error
	foundDir string
)

// Find returns the corpus folder: ../shared/corpus seen from the working
// directory or any folder above it (so from the module root and from
// packages and nested modules inside it), or "" when it is absent.
// TUSK_CORPUS overrides the location.
func Find() string {
	if d := os.Getenv("TUSK_CORPUS"); d != "" {
		return d
	}
	wd, err := os.Getwd()
	if err != nil {
		return ""
	}
	for dir := wd; ; {
		c := filepath.Join(dir, "..", "shared", "corpus")
		if st, err := os.Stat(c); err == nil && st.IsDir() {
			return filepath.Clean(c)
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return ""
		}
		dir = parent
	}
}

// Dir returns the corpus folder or skips the test when it is absent.
func Dir(tb testing.TB) string {
	tb.Helper()
	d := Find()
	if d == "" {
		tb.Skip("corpus not found at ../shared/corpus (absent from a fresh clone): this check compares with recorded server traffic and runs where ../shared exists, as in CI")
	}
	return d
}

// Load returns every cassette, skipping the test when the corpus is absent
// and failing it when a file cannot be read.
func Load(tb testing.TB) []*Cassette {
	tb.Helper()
	d := Dir(tb)
	once.Do(func() {
		foundDir = d
		loaded, loadErr = LoadDir(d)
	})
	if loadErr != nil {
		tb.Fatalf("loading corpus from %s: %v", foundDir, loadErr)
	}
	return loaded
}

// Interactions returns every interaction of every cassette, with its cassette.
func Interactions(tb testing.TB) []Pair {
	tb.Helper()
	var out []Pair
	for _, c := range Load(tb) {
		for i := range c.Interactions {
			out = append(out, Pair{Cassette: c, Interaction: &c.Interactions[i]})
		}
	}
	return out
}

// Pair is an interaction with the cassette it belongs to.
type Pair struct {
	Cassette    *Cassette
	Interaction *Interaction
}

// Name is a stable label for subtests: "cassettes/test_x#3 GET /api/v1/...".
func (p Pair) Name() string {
	return fmt.Sprintf("%s#%d %s", p.Cassette.ID, p.Interaction.I, p.Interaction.Endpoint)
}

// LoadDir reads every cassette below dir (one folder level deep).
func LoadDir(dir string) ([]*Cassette, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*", "*.json"))
	if err != nil {
		return nil, err
	}
	sort.Strings(files)
	var out []*Cassette
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		var c Cassette
		if err := json.Unmarshal(b, &c); err != nil {
			return nil, fmt.Errorf("%s: %w", f, err)
		}
		if c.Format != "mastodon-cassette-corpus/1" {
			continue
		}
		c.File = f
		for i := range c.Interactions {
			b := &c.Interactions[i].Request.Body
			if len(b.Parts) == 0 && b.Multipart != nil {
				b.Parts = b.Multipart.Parts
			}
		}
		out = append(out, &c)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no cassettes in %s", dir)
	}
	return out, nil
}

// PathParam returns the recorded value of a path parameter, by the name
// the endpoint template gives it ("id" in /api/v1/statuses/{id}).
func (it *Interaction) PathParam(name string) string {
	if it.OpenAPI != nil {
		if v, ok := it.OpenAPI.PathParams[name]; ok {
			return v
		}
	}
	tseg := strings.Split(it.Template(), "/")
	pseg := strings.Split(it.Request.Path, "/")
	if len(tseg) != len(pseg) {
		return ""
	}
	for i, s := range tseg {
		if s == "{"+name+"}" {
			return pseg[i]
		}
	}
	return ""
}

package mastodon

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/tuskgo/mastodon/internal/directives"
)

// socialTags are the OpenAPI tags of the areas TestDocumentedParams audits.
var socialTags = map[string]bool{
	"accounts": true, "statuses": true, "scheduled_statuses": true, "timelines": true, "notifications": true,
	"media": true, "polls": true, "lists": true, "filters": true, "search": true, "conversations": true,
	"markers": true, "preferences": true, "reports": true, "suggestions": true,
	"blocks": true, "mutes": true, "bookmarks": true, "favourites": true, "follow_requests": true,
	"domain_blocks": true, "endorsements": true, "featured_tags": true, "followed_tags": true, "profile": true,
}

// paramsByArgument names the parameters a method takes as positional
// arguments (or builds itself) rather than as tagged struct fields.
var paramsByArgument = map[string][]string{
	"GET /api/v1/accounts":                         {"id"},                                      // ids
	"GET /api/v1/accounts/familiar_followers":      {"id"},                                      // ids
	"GET /api/v1/accounts/relationships":           {"id"},                                      // ids
	"GET /api/v1/accounts/lookup":                  {"acct"},                                    // acct
	"GET /api/v1/accounts/search":                  {"q"},                                       // q
	"POST /api/v1/accounts/{id}/note":              {"comment"},                                 // comment
	"GET /api/v1/statuses":                         {"id"},                                      // ids
	"PUT /api/v1/statuses/{id}/interaction_policy": {"quote_approval_policy"},                   // policy
	"PUT /api/v1/scheduled_statuses/{id}":          {"scheduled_at"},                            // at
	"GET /api/v1/timelines/link":                   {"url"},                                     // linkURL
	"GET /api/v2/search":                           {"q"},                                       // q
	"POST /api/v1/domain_blocks":                   {"domain"},                                  // domain
	"DELETE /api/v1/domain_blocks":                 {"domain"},                                  // domain
	"POST /api/v1/featured_tags":                   {"name"},                                    // name
	"POST /api/v1/filters":                         {"phrase", "context"},                       // phrase, filterContext
	"POST /api/v2/filters":                         {"title", "context", "keywords_attributes"}, // title, filterContext; CreateFilterParams.Keywords
	"PUT /api/v2/filters/{id}":                     {"keywords_attributes"},                     // UpdateFilterParams.Keywords
	"POST /api/v2/filters/{filter_id}/keywords":    {"keyword"},                                 // keyword
	"PUT /api/v2/filters/keywords/{id}":            {"keyword"},                                 // keyword
	"POST /api/v2/filters/{filter_id}/statuses":    {"status_id"},                               // statusID
	"POST /api/v1/lists":                           {"title"},                                   // title
	"POST /api/v1/lists/{id}/accounts":             {"account_ids"},                             // accountIDs
	"DELETE /api/v1/lists/{id}/accounts":           {"account_ids"},                             // accountIDs
	"GET /api/v1/markers":                          {"timeline"},                                // timelines
	"POST /api/v1/media":                           {"file"},                                    // f
	"POST /api/v2/media":                           {"file"},                                    // f
	"POST /api/v1/polls/{id}/votes":                {"choices"},                                 // choices
	"POST /api/v1/reports":                         {"account_id"},                              // accountID
}

// specOperation is the part of an OpenAPI operation the audit reads.
type specOperation struct {
	Tags       []string `json:"tags"`
	Parameters []struct {
		Name string `json:"name"`
		In   string `json:"in"`
	} `json:"parameters"`
	RequestBody *struct {
		Content map[string]struct {
			Schema struct {
				Properties map[string]json.RawMessage `json:"properties"`
			} `json:"schema"`
		} `json:"content"`
	} `json:"requestBody"`
}

// documentedParams returns the query and body parameters of an operation
// by their top-level name ("poll[options]" and "media_ids[]" count as
// "poll" and "media_ids").
func (op *specOperation) documentedParams() []string {
	set := map[string]bool{}
	for _, p := range op.Parameters {
		if p.In == "query" {
			set[paramBase(p.Name)] = true
		}
	}
	if op.RequestBody != nil {
		for _, c := range op.RequestBody.Content {
			for name := range c.Schema.Properties {
				set[paramBase(name)] = true
			}
		}
	}
	out := make([]string, 0, len(set))
	for n := range set {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

func paramBase(name string) string {
	if i := strings.IndexByte(name, '['); i > 0 {
		return name[:i]
	}
	return name
}

// handBuilt are the params types of audited methods whose fields carry no
// form tags because the method converts them (offset paging builds its own
// query). Every other params struct is sent as tagged, so an untagged
// field of it is a parameter no request carries.
var handBuilt = map[string]bool{
	"AccountSearchOptions": true, "SearchOptions": true, "CollectionsOptions": true, "DirectoryOptions": true, "TrendsOptions": true,
}

// tagNames collects the form and json names of a parameter type's fields,
// following embedded structs.
func tagNames(t reflect.Type, into map[string]bool) {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t.Kind() != reflect.Struct {
		return
	}
	for i := range t.NumField() {
		f := t.Field(i)
		named := false
		for _, key := range []string{"form", "json"} {
			tag, ok := f.Tag.Lookup(key)
			if !ok {
				continue
			}
			name, _, _ := strings.Cut(tag, ",")
			if name != "" && name != "-" {
				into[paramBase(name)] = true
				named = true
			}
		}
		switch {
		case named:
		case f.Anonymous:
			tagNames(f.Type, into)
		case f.IsExported() && (handBuilt[t.Name()] || f.Type == reflect.TypeFor[*File]()):
			// Their method builds the wire by hand, or the field is a
			// file streamed as a multipart part: the field names are the
			// API's in Go case.
			into[snakeCase(f.Name)] = true
		}
	}
}

// snakeCase turns a Go field name into the API's spelling: SpoilerText →
// spoiler_text, MediaIDs → media_ids, InReplyToID → in_reply_to_id.
func snakeCase(name string) string {
	var b strings.Builder
	rs := []rune(name)
	for i, r := range rs {
		upper := r >= 'A' && r <= 'Z'
		if upper && i > 0 {
			prevLower := rs[i-1] >= 'a' && rs[i-1] <= 'z'
			nextLower := i+1 < len(rs) && rs[i+1] >= 'a' && rs[i+1] <= 'z' && rs[i+1] != 's'
			if prevLower || (nextLower && rs[i-1] >= 'A' && rs[i-1] <= 'Z') {
				b.WriteByte('_')
			}
		}
		if upper {
			r += 'a' - 'A'
		}
		b.WriteRune(r)
	}
	return b.String()
}

// serviceTypes maps service type names ("StatusesService") to their types,
// from the fields of Client.
func serviceTypes() map[string]reflect.Type {
	out := map[string]reflect.Type{}
	ct := reflect.TypeFor[Client]()
	for i := range ct.NumField() {
		ft := ct.Field(i).Type
		if ft.Kind() == reflect.Pointer && strings.HasSuffix(ft.Elem().Name(), "Service") {
			out[ft.Elem().Name()] = ft
		}
	}
	return out
}

// TestDocumentedParams checks that every query and body parameter the
// OpenAPI file documents for an operation of the social areas can be set
// through the Tusk methods calling it: as a field of their params struct
// (by its form or json tag, or that of the wire type the method sends), as
// or a positional argument (paramsByArgument). Per-method tests check the
// form each is sent in.
func TestDocumentedParams(t *testing.T) {
	b, err := os.ReadFile(filepath.Join(specDir(t), "mastodon-openapi.json"))
	if err != nil {
		t.Fatal(err)
	}
	var spec struct {
		Paths map[string]map[string]json.RawMessage `json:"paths"`
	}
	if err := json.Unmarshal(b, &spec); err != nil {
		t.Fatal(err)
	}
	set, err := directives.ParseDir(".")
	if err != nil {
		t.Fatal(err)
	}
	byEndpoint := set.ByEndpoint()
	services := serviceTypes()
	audited := 0
	argsUsed := map[string]bool{}
	for path, ops := range spec.Paths {
		for method, raw := range ops {
			var op specOperation
			if json.Unmarshal(raw, &op) != nil || op.Tags == nil || !socialTags[op.Tags[0]] {
				continue
			}
			ep := strings.ToUpper(method) + " " + path
			funcs := byEndpoint[directives.Normalize(ep)]
			if len(funcs) == 0 {
				continue // operation coverage is apicoverage's business
			}
			audited++
			have := map[string]bool{}
			documented := op.documentedParams()
			for _, n := range paramsByArgument[ep] {
				if !slices.Contains(documented, n) {
					t.Errorf("paramsByArgument: %s documents no parameter %q", ep, n)
				}
				have[n] = true
			}
			argsUsed[ep] = true
			for _, f := range funcs {
				st, ok := services[f.Recv]
				if !ok {
					continue
				}
				m, ok := st.MethodByName(f.Name)
				if !ok {
					t.Errorf("%s: %s not found by reflection", ep, f.FullName())
					continue
				}
				for i := range m.Type.NumIn() {
					tagNames(m.Type.In(i), have)
				}
			}
			for _, p := range documented {
				if have[p] {
					continue
				}
				var names []string
				for _, f := range funcs {
					names = append(names, f.FullName())
				}
				t.Errorf("%s: documented parameter %q cannot be set through %s", ep, p, strings.Join(names, ", "))
			}
		}
	}
	for ep := range paramsByArgument {
		if !argsUsed[ep] {
			t.Errorf("paramsByArgument: %s is not an audited operation", ep)
		}
	}
	if audited < 50 {
		t.Errorf("audited only %d operations; is the spec or the directive set incomplete?", audited)
	}
}

func TestSnakeCase(t *testing.T) {
	for in, want := range map[string]string{
		"Status": "status", "SpoilerText": "spoiler_text", "MediaIDs": "media_ids", "InReplyToID": "in_reply_to_id",
		"QuoteApprovalPolicy": "quote_approval_policy", "ExcludeUnreviewed": "exclude_unreviewed", "URL": "url", "AccountID": "account_id",
	} {
		if got := snakeCase(in); got != want {
			t.Errorf("snakeCase(%q) = %q, want %q", in, got, want)
		}
	}
}

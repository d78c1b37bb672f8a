package mastodontest

import (
	"bytes"
	"encoding/json"
	"go/ast"
	"go/parser"
	gotoken "go/token"
	"image"
	"image/png"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestHandlerPanicAnswers500AndReleasesLock: a handler that panics while
// holding the store lock answers 500 with a JSON error, and the next
// request is served instead of waiting for the lock forever.
func TestHandlerPanicAnswers500AndReleasesLock(t *testing.T) {
	s := NewTestServer(t)
	s.handle("GET /api/v1/test_panic", route{h: func(*call) (result, *apiError) { panic("boom") }})
	c := NewClient(s, "")
	c.hc.Timeout = 5 * time.Second
	var e map[string]string
	c.JSON(t, 500, "GET", "/api/v1/test_panic", nil, &e)
	if e["error"] == "" || strings.Contains(e["error"], "boom") {
		t.Fatalf("error body = %v, want a generic message", e)
	}
	// The lock was released: a request needing it is answered.
	c.JSON(t, 200, "GET", "/api/v1/timelines/public", nil, nil)
	// And a panic in the encoder (after the handler returned) too.
	s.handle("GET /api/v1/test_badjson", route{h: func(*call) (result, *apiError) { return ok(func() {}), nil }})
	c.JSON(t, 500, "GET", "/api/v1/test_badjson", nil, nil)
	c.JSON(t, 200, "GET", "/api/v1/timelines/public", nil, nil)
}

// TestRequestNumbersClamped: the inputs that used to panic a handler (and so
// hang the server) are answered as Mastodon answers them.
func TestRequestNumbersClamped(t *testing.T) {
	s := NewTestServer(t)
	_, tok := s.CreateUser("alice")
	anon := NewClient(s, "")
	anon.hc.Timeout = 5 * time.Second
	user := NewClient(s, tok)
	user.hc.Timeout = 5 * time.Second
	for range 3 {
		user.PostStatus(t, "hello #tag")
	}
	var list []map[string]any
	// limit.abs overflowed for the smallest int64; Ruby caps it at the max.
	anon.JSON(t, 200, "GET", "/api/v1/timelines/public?limit=-9223372036854775808", nil, &list)
	if len(list) != 3 {
		t.Fatalf("public timeline with huge negative limit: %d statuses, want 3", len(list))
	}
	anon.JSON(t, 200, "GET", "/api/v1/timelines/public?limit=99999999999999999999999", nil, &list)
	if len(list) != 3 {
		t.Fatalf("public timeline with huge limit: %d statuses, want 3", len(list))
	}
	// offset+limit overflowed; an offset past the end finds nothing.
	for _, p := range []string{"trends/tags", "trends/statuses", "trends/links"} {
		hdr := anon.JSON(t, 200, "GET", "/api/v1/"+p+"?offset=9223372036854775807", nil, &list)
		if len(list) != 0 {
			t.Fatalf("%s past the end: %v", p, list)
		}
		if l := hdr.Get("Link"); strings.Contains(l, "-") {
			t.Fatalf("%s Link with a negative offset: %s", p, l)
		}
	}
	anon.JSON(t, 200, "GET", "/api/v2/search?q=hello&type=statuses&offset=9223372036854775807", nil, nil)

	// A focus that is not a finite number is refused with 422, on upload,
	// on update and in a status edit's media_attributes.
	for _, f := range []string{"NaN,0", "0,NaN", "Inf,0", "-Infinity,0", "1e999,0"} {
		code, _, body, err := sendUpload(user, "/api/v2/media", url.Values{"focus": {f}}, "a.png", "image/png", tinyPNG(t))
		if err != nil || code != 422 {
			t.Fatalf("upload with focus %q: %d %s %v", f, code, body, err)
		}
	}
	var m map[string]any
	code, _, body, err := sendUpload(user, "/api/v2/media", url.Values{"focus": {"0.5,-0.5"}}, "a.png", "image/png", tinyPNG(t))
	if err != nil || code != 200 {
		t.Fatalf("upload: %d %s %v", code, body, err)
	}
	if err := json.Unmarshal(body, &m); err != nil {
		t.Fatal(err)
	}
	id := m["id"].(string)
	wantError(t, user, 422, "PUT", "/api/v1/media/"+id, url.Values{"focus": {"NaN,NaN"}}, "Focus")
	user.JSON(t, 200, "GET", "/api/v1/media/"+id, nil, &m)
	if f := m["meta"].(map[string]any)["focus"].(map[string]any); f["x"] != 0.5 || f["y"] != -0.5 {
		t.Fatalf("focus changed by a refused update: %v", f)
	}
	var st map[string]any
	user.JSON(t, 200, "POST", "/api/v1/statuses", url.Values{"status": {"pic"}, "media_ids[]": {id}}, &st)
	wantError(t, user, 422, "PUT", "/api/v1/statuses/"+st["id"].(string), url.Values{"status": {"pic"}, "media_ids[]": {id},
		"media_attributes[][id]": {id}, "media_attributes[][focus]": {"NaN,0"}}, "Focus")
	// The server still answers.
	anon.JSON(t, 200, "GET", "/api/v1/statuses/"+st["id"].(string), nil, nil)
}

func TestParseParamInt(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want int
		ok   bool
	}{
		{"12", 12, true}, {" 12abc", 12, true}, {"-3", -3, true}, {"+4", 4, true}, {"2.9", 2, true},
		{"9223372036854775807", maxParamInt, true}, {"-9223372036854775808", -maxParamInt, true},
		{"99999999999999999999999999", maxParamInt, true}, {"", 0, false}, {"NaN", 0, false},
		{"Infinity", 0, false}, {"-", 0, false}, {"abc", 0, false},
	} {
		got, ok := parseParamInt(tc.in)
		if got != tc.want || ok != tc.ok {
			t.Errorf("parseParamInt(%q) = %d, %v; want %d, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

// routePatterns lists the "METHOD /path" patterns the package's source
// registers through Server.handle, read from the source itself so that a
// new route is fuzzed without anyone listing it.
func routePatterns(tb testing.TB) []string {
	tb.Helper()
	files, err := filepath.Glob("*.go")
	if err != nil {
		tb.Fatal(err)
	}
	fset := gotoken.NewFileSet()
	seen := map[string]bool{}
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			tb.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok || len(call.Args) < 2 {
				return true
			}
			sel, ok := call.Fun.(*ast.SelectorExpr)
			if !ok || sel.Sel.Name != "handle" {
				return true
			}
			if lit, ok := call.Args[0].(*ast.BasicLit); ok && lit.Kind == gotoken.STRING {
				if p, err := strconv.Unquote(lit.Value); err == nil {
					seen[p] = true
				}
			}
			return true
		})
	}
	var out []string
	for p := range seen {
		out = append(out, p)
	}
	sort.Strings(out)
	if len(out) < 100 {
		tb.Fatalf("found only %d routes in the source", len(out))
	}
	return out
}

var pathParam = regexp.MustCompile(`\{[^}]*\}`)

// FuzzRoutes sends every route fuzzed parameters (in the query, a form or a
// JSON body, and in place of path IDs) as an admin, a user and anonymously,
// and fails when a request is answered 500 (a handler panicked) or not at
// all within the client's timeout (a handler hung).
func FuzzRoutes(f *testing.F) {
	if _, err := os.Stat("routes.go"); err != nil {
		f.Skip("needs the package source")
	}
	patterns := routePatterns(f)
	s := NewTestServer(f, WithRateLimit(0, 0))
	admin, adminTok := s.CreateUser("admin", Admin())
	_, userTok := s.CreateUser("user")
	tokens := []string{s.CreateToken(admin.ID, "read", "write", "follow", "push", "admin:read", "admin:write"), adminTok, userTok, ""}
	owner := NewClient(s, userTok)
	stID := owner.PostStatus(f, "seed #tag")["id"].(string)
	ids := []string{stID, admin.ID, "1", "0"}

	hostile := []string{"-9223372036854775808", "9223372036854775807", "NaN,0", "Infinity", "1e999", "-1",
		"", "\x00", "%", "[]", "{", "99999999999999999999999", "NaN"}
	keys := []string{"limit", "offset", "focus", "expires_in", "duration", "poll[expires_in]", "choices[]",
		"max_id", "min_id", "since_id", "id[]", "account_ids[]", "q", "status", "poll[options][]", "scope"}
	for i := range patterns {
		for j, v := range hostile {
			f.Add(uint(i), uint(j), keys[(i+j)%len(keys)], v, j%3 == 0, uint8(j))
		}
	}
	f.Fuzz(func(t *testing.T, route, who uint, key, value string, asJSON bool, idPick uint8) {
		pat := patterns[route%uint(len(patterns))]
		method, path, _ := strings.Cut(pat, " ")
		if path == "" {
			method, path = "GET", pat
		}
		path = strings.TrimSuffix(path, "{$}")
		path = pathParam.ReplaceAllStringFunc(path, func(string) string {
			if idPick%2 == 1 && value != "" {
				return url.PathEscape(value)
			}
			return ids[int(idPick/2)%len(ids)]
		})
		c := NewClient(s, tokens[who%uint(len(tokens))])
		c.hc.Timeout = 10 * time.Second
		form := url.Values{key: {value}, "limit": {value}}
		var code int
		var body []byte
		var err error
		if asJSON && method != "GET" && method != "HEAD" {
			code, body, err = doJSON(c, method, path, map[string]any{key: value, "limit": value})
		} else {
			code, _, body, err = c.Do(method, path, form)
		}
		if err != nil {
			t.Fatalf("%s %s %s=%q: %v", method, path, key, value, err)
		}
		if code == http.StatusInternalServerError {
			t.Fatalf("%s %s %s=%q (json %v): 500 %s", method, path, key, value, asJSON, body)
		}
	})
}

// sendUpload sends a multipart request with the fields and one file "file".
func sendUpload(c *Client, path string, fields url.Values, name, mime string, data []byte) (int, http.Header, []byte, error) {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, vs := range fields {
		for _, v := range vs {
			_ = mw.WriteField(k, v)
		}
	}
	h := make(map[string][]string)
	h["Content-Disposition"] = []string{`form-data; name="file"; filename="` + name + `"`}
	h["Content-Type"] = []string{mime}
	w, err := mw.CreatePart(h)
	if err != nil {
		return 0, nil, nil, err
	}
	_, _ = w.Write(data)
	_ = mw.Close()
	return c.send("POST", path, mw.FormDataContentType(), &buf)
}

// doJSON sends v as a JSON body.
func doJSON(c *Client, method, path string, v any) (int, []byte, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return 0, nil, err
	}
	code, _, body, err := c.send(method, path, "application/json", bytes.NewReader(b))
	return code, body, err
}

func (c *Client) send(method, path, ct string, body io.Reader) (int, http.Header, []byte, error) {
	req, err := http.NewRequest(method, c.srv.URL+path, body)
	if err != nil {
		return 0, nil, nil, err
	}
	req.Header.Set("Content-Type", ct)
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return 0, nil, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, b, err
}

func tinyPNG(tb testing.TB) []byte {
	var buf bytes.Buffer
	if err := png.Encode(&buf, image.NewGray(image.Rect(0, 0, 2, 2))); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

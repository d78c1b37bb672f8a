package mastodontest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/tuskgo/mastodon/internal/corpus"
	"github.com/tuskgo/mastodon/internal/oauthscope"
)

// TestShapeParity replays every recorded cassette of the current server
// version against a fresh server, translating recorded ids to ours as
// responses reveal them, and requires each JSON response of an endpoint we
// serve to have exactly the recorded keys and value types.
//
// Where ../shared/corpus is absent (a plain clone) it replays the copy
// derived from it in testdata/parity (see parity_data_test.go).
func TestShapeParity(t *testing.T) {
	cassettes := parityCassettes(t)
	served, compared := map[string]bool{}, 0
	for _, c := range cassettes {
		if c.Folder != "cassettes" {
			continue // older server versions: their shapes differ on purpose
		}
		t.Run(c.Name, func(t *testing.T) {
			r := newReplayer(t)
			r.parts = cassetteParts(t, c.File)
			for i := range c.Interactions {
				it := &c.Interactions[i]
				if ok := r.replay(t, it); ok {
					served[it.Endpoint] = true
					compared++
				}
			}
		})
	}
	var names []string
	for k := range served {
		names = append(names, k)
	}
	sort.Strings(names)
	t.Logf("compared %d responses over %d endpoints", compared, len(names))
	if compared == 0 {
		t.Fatal("no responses compared")
	}
	for _, ep := range mustCompare {
		if !served[ep] {
			t.Errorf("%s: recorded but not compared (not served?)", ep)
		}
	}
}

// mustCompare lists recorded endpoints the server serves, so that the
// comparison cannot silently stop covering them.
var mustCompare = []string{
	"GET /api/v1/push/subscription", "POST /api/v1/push/subscription", "PUT /api/v1/push/subscription",
	"POST /api/v1/reports", "GET /api/v1/domain_blocks", "GET /api/v1/timelines/link",
	"POST /api/v1/statuses/{id}/translate", "GET /api/v1/suggestions", "GET /api/v2/suggestions",
}

type replayer struct {
	parts map[int][]corpus.Part // multipart parts by interaction number
	s     *Server
	ids   map[string]string // recorded id → ours
	plain *http.Client
}

var corpusTokens = map[string]string{
	"__MASTODON_PY_TEST_ACCESS_TOKEN":   "mastodonpy_test",
	"__MASTODON_PY_TEST_ACCESS_TOKEN_2": "admin",
	"__MASTODON_PY_TEST_ACCESS_TOKEN_3": "mastodonpy_test_2",
}

func newReplayer(t *testing.T) *replayer {
	s := NewTestServer(t, WithRateLimit(0, 0), WithMediaProcessing(1<<20, 0))
	s.mu.Lock()
	app := s.st.newApp("Mastodon.py test suite", []string{oobURI}, oauthscope.Known(), nil)
	for tok, user := range corpusTokens {
		spec := accountSpec{admin: user == "admin"}
		if user == "mastodonpy_test_2" {
			spec.discover = ptr(true)
		}
		a := s.st.newAccount(user, spec)
		if user == "mastodonpy_test_2" {
			a.indexable = true
		}
		// The recorded test account approves its followers.
		a.locked = user == "mastodonpy_test"
		s.st.tokens[tok] = &token{access: tok, app: app, account: a, scopes: app.scopes, createdAt: s.now()}
	}
	s.mu.Unlock()
	return &replayer{s: s, ids: map[string]string{}, plain: noRedirect()}
}

func (r *replayer) mapID(v string) string {
	if v == "" {
		return v
	}
	if m, ok := r.ids[v]; ok {
		return m
	}
	// Snowflake cursors computed by the client (an id ± 1000) translate by
	// the offset from the nearest known snowflake.
	if n, err := strconv.ParseInt(v, 10, 64); err == nil && len(v) >= 15 {
		bestD, best := int64(1<<22), ""
		for k := range r.ids {
			if kn, err := strconv.ParseInt(k, 10, 64); err == nil && len(k) >= 15 {
				if d := n - kn; max(d, -d) < max(bestD, -bestD) {
					bestD, best = d, k
				}
			}
		}
		if best != "" {
			mn, _ := strconv.ParseInt(r.ids[best], 10, 64)
			return strconv.FormatInt(mn+bestD, 10)
		}
	}
	return v
}

// skipEndpoint lists recorded endpoints whose responses cannot be compared:
// streams (replayed separately by the streaming tests) and endpoints whose
// shape depends on server data we do not model.
func skipEndpoint(ep string) bool {
	return strings.HasPrefix(ep, "GET /api/v1/streaming/") && ep != "GET /api/v1/streaming/health" ||
		strings.Contains(ep, "/admin/")
}

func (r *replayer) replay(t *testing.T, it *corpus.Interaction) bool {
	t.Helper()
	if skipEndpoint(it.Endpoint) {
		return false
	}
	req := r.buildRequest(t, it)
	resp, err := r.plain.Do(req)
	if err != nil {
		t.Fatalf("#%d %s: %v", it.I, it.Endpoint, err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode == 404 && strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
		return false // not served here
	}
	rec := it.Response
	if resp.StatusCode != rec.Status {
		t.Errorf("#%d %s %s: status %d, recorded %d; body %.300s", it.I, req.Method, req.URL.Path, resp.StatusCode, rec.Status, body)
		return true
	}
	if rec.Body.Kind != "json" {
		if rec.Body.Kind == "text" && string(body) != rec.Body.Text {
			t.Errorf("#%d %s: body %q, recorded %q", it.I, it.Endpoint, body, rec.Body.Text)
		}
		return true
	}
	var mine, theirs any
	if err := json.Unmarshal(body, &mine); err != nil {
		t.Errorf("#%d %s: our body is not JSON: %.200s", it.I, it.Endpoint, body)
		return true
	}
	if err := json.Unmarshal(rec.Body.JSON, &theirs); err != nil {
		t.Fatalf("#%d: recorded body: %v", it.I, err)
	}
	r.learn(theirs, mine)
	for _, d := range shapeDiff("$", theirs, mine) {
		t.Errorf("#%d %s: %s", it.I, it.Endpoint, d)
	}
	// Link headers: same relations, same query keys.
	if len(rec.Link) > 0 || resp.Header.Get("Link") != "" {
		if got, want := linkShape(resp.Header.Get("Link")), recordedLinkShape(rec.Link); got != want {
			t.Errorf("#%d %s: Link %s, recorded %s", it.I, it.Endpoint, got, want)
		}
	}
	return true
}

func (r *replayer) buildRequest(t *testing.T, it *corpus.Interaction) *http.Request {
	rq := it.Request
	var segs []string
	for _, seg := range strings.Split(rq.Path, "/") {
		if u, err := url.PathUnescape(seg); err == nil {
			seg = u
		}
		segs = append(segs, url.PathEscape(r.mapID(seg)))
	}
	u := r.s.URL + strings.Join(segs, "/")
	if len(rq.QueryPairs) > 0 {
		q := make([]string, 0, len(rq.QueryPairs))
		for _, p := range rq.QueryPairs {
			q = append(q, url.QueryEscape(p[0])+"="+url.QueryEscape(r.mapID(p[1])))
		}
		u += "?" + strings.Join(q, "&")
	}
	var body io.Reader
	ct := ""
	switch rq.Body.Kind {
	case "form":
		var q []string
		for _, p := range rq.Body.FormPairs {
			q = append(q, url.QueryEscape(p[0])+"="+url.QueryEscape(r.mapID(p[1])))
		}
		body, ct = strings.NewReader(strings.Join(q, "&")), "application/x-www-form-urlencoded"
	case "json":
		var v any
		if err := json.Unmarshal(rq.Body.JSON, &v); err == nil {
			b, _ := json.Marshal(r.mapJSON(v))
			body, ct = bytes.NewReader(b), "application/json"
		}
	case "multipart":
		var buf bytes.Buffer
		mw := multipart.NewWriter(&buf)
		for _, p := range r.parts[it.I] {
			if p.Filename == "" {
				_ = mw.WriteField(p.Name, r.mapID(p.Value))
				continue
			}
			h := make(map[string][]string)
			h["Content-Disposition"] = []string{fmt.Sprintf(`form-data; name=%q; filename=%q`, p.Name, p.Filename)}
			h["Content-Type"] = []string{p.ContentType}
			w, _ := mw.CreatePart(h)
			_, _ = w.Write(fakeFile(p.ContentType, p.Size))
		}
		_ = mw.Close()
		body, ct = &buf, mw.FormDataContentType()
	}
	req, err := http.NewRequest(rq.Method, u, body)
	if err != nil {
		t.Fatalf("#%d: %v", it.I, err)
	}
	if ct != "" {
		req.Header.Set("Content-Type", ct)
	}
	for _, h := range []string{"idempotency-key", "accept"} {
		if v := rq.Header(h); v != "" {
			req.Header.Set(h, v)
		}
	}
	if v := rq.Header("authorization"); v != "" {
		req.Header.Set("Authorization", "Bearer "+r.mapID(strings.TrimPrefix(v, "Bearer ")))
	}
	return req
}

// cassetteParts reads the multipart parts of a cassette's requests, which
// the corpus keeps under request.body.multipart.parts.
func cassetteParts(t *testing.T, file string) map[int][]corpus.Part {
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var raw struct {
		Interactions []struct {
			I       int `json:"i"`
			Request struct {
				Body struct {
					Multipart struct {
						Parts []corpus.Part `json:"parts"`
					} `json:"multipart"`
				} `json:"body"`
			} `json:"request"`
		} `json:"interactions"`
	}
	if err := json.Unmarshal(b, &raw); err != nil {
		t.Fatal(err)
	}
	out := map[int][]corpus.Part{}
	for _, it := range raw.Interactions {
		out[it.I] = it.Request.Body.Multipart.Parts
	}
	return out
}

func fakeFile(ct string, size int64) []byte {
	img := image.NewRGBA(image.Rect(0, 0, 64, 48))
	for y := range 48 {
		for x := range 64 {
			img.Set(x, y, color.RGBA{uint8(x * 4), uint8(y * 5), 90, 255})
		}
	}
	var buf bytes.Buffer
	switch ct {
	case "image/png":
		_ = png.Encode(&buf, img)
		return buf.Bytes()
	case "image/jpeg", "image/jpg":
		_ = jpeg.Encode(&buf, img, nil)
		return buf.Bytes()
	}
	return bytes.Repeat([]byte{0x42}, int(min(max(size, 16), 4<<20)))
}

func (r *replayer) mapJSON(v any) any {
	switch x := v.(type) {
	case map[string]any:
		for k, vv := range x {
			x[k] = r.mapJSON(vv)
		}
	case []any:
		for i, vv := range x {
			x[i] = r.mapJSON(vv)
		}
	case string:
		return r.mapID(x)
	}
	return v
}

// learnedKeys are the response fields whose values later requests reuse.
func learnedKey(k string) bool {
	return k == "id" || strings.HasSuffix(k, "_id") || k == "group_key" || k == "client_secret" || k == "access_token"
}

// learn records recorded→ours translations for id-like values found at the
// same place in both responses, outer objects first; the first translation
// of a value wins (small sequential ids of different kinds can collide).
func (r *replayer) learn(theirs, mine any) {
	type pair struct{ t, m any }
	queue := []pair{{theirs, mine}}
	for len(queue) > 0 {
		p := queue[0]
		queue = queue[1:]
		switch t := p.t.(type) {
		case map[string]any:
			m, ok := p.m.(map[string]any)
			if !ok {
				continue
			}
			keys := make([]string, 0, len(t))
			for k := range t {
				keys = append(keys, k)
			}
			slices.Sort(keys)
			for _, k := range keys {
				tv, mv := t[k], m[k]
				if ts, ok := tv.(string); ok {
					if ms, ok := mv.(string); ok && learnedKey(k) {
						if _, known := r.ids[ts]; !known {
							r.ids[ts] = ms
						}
					}
					continue
				}
				queue = append(queue, pair{tv, mv})
			}
		case []any:
			m, ok := p.m.([]any)
			if !ok {
				continue
			}
			for i := range min(len(t), len(m)) {
				if ts, ok := t[i].(string); ok {
					if ms, ok := m[i].(string); ok {
						if _, known := r.ids[ts]; !known {
							r.ids[ts] = ms
						}
					}
					continue
				}
				queue = append(queue, pair{t[i], m[i]})
			}
		}
	}
}

func jsonType(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case bool:
		return "boolean"
	case float64:
		return "number"
	case string:
		return "string"
	case []any:
		return "array"
	case map[string]any:
		return "object"
	}
	return fmt.Sprintf("%T", v)
}

// shapeDiff lists the differences in keys and value types between a
// recorded value and ours. Arrays are compared element by element as far as
// both go (their lengths depend on state, not shape).
func shapeDiff(path string, theirs, mine any) []string {
	if (theirs == nil || mine == nil) && nullable(path) {
		return nil
	}
	if jsonType(theirs) != jsonType(mine) {
		return []string{fmt.Sprintf("%s: %s, recorded %s", path, jsonType(mine), jsonType(theirs))}
	}
	var out []string
	switch t := theirs.(type) {
	case map[string]any:
		m := mine.(map[string]any)
		var keys []string
		for k := range t {
			keys = append(keys, k)
		}
		for k := range m {
			if _, ok := t[k]; !ok {
				keys = append(keys, k)
			}
		}
		slices.Sort(keys)
		for _, k := range keys {
			tv, tok := t[k]
			mv, mok := m[k]
			switch {
			case !mok:
				out = append(out, fmt.Sprintf("%s.%s: missing", path, k))
			case !tok:
				out = append(out, fmt.Sprintf("%s.%s: not in the recorded response", path, k))
			default:
				out = append(out, shapeDiff(path+"."+k, tv, mv)...)
			}
		}
	case []any:
		m := mine.([]any)
		for i := range min(len(t), len(m)) {
			out = append(out, shapeDiff(fmt.Sprintf("%s[%d]", path, i), t[i], m[i])...)
		}
	}
	return out
}

// nullable reports whether a field is one Mastodon documents as nullable
// and whose null-ness depends on the account's or status's history rather
// than on the response's shape (e.g. last_status_at before a first post,
// hide_collections before the setting was ever saved, card before a link
// preview was fetched).
func nullable(path string) bool {
	i := strings.LastIndex(path, ".")
	switch path[i+1:] {
	case "hide_collections", "last_status_at", "language", "card", "discoverable", "posting:default:language":
		return true
	}
	return false
}

func linkShape(h string) string {
	var parts []string
	for _, l := range strings.Split(h, ",") {
		l = strings.TrimSpace(l)
		if l == "" {
			continue
		}
		target, params, _ := strings.Cut(l, ";")
		u, err := url.Parse(strings.Trim(target, "<>"))
		if err != nil {
			parts = append(parts, "bad:"+l)
			continue
		}
		var keys []string
		for k := range u.Query() {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		parts = append(parts, strings.TrimSpace(params)+" ?"+strings.Join(keys, ","))
	}
	slices.Sort(parts)
	return strings.Join(parts, " | ")
}

func recordedLinkShape(ls []corpus.Link) string {
	var parts []string
	for _, l := range ls {
		var keys []string
		for k := range l.Query {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		parts = append(parts, `rel="`+l.Rel+`" ?`+strings.Join(keys, ","))
	}
	slices.Sort(parts)
	return strings.Join(parts, " | ")
}

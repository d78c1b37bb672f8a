package mastodontest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/tuskgo/mastodon/internal/oauthscope"
)

// call is one API request being handled, with its parsed parameters and
// the token that authorised it.
type call struct {
	s   *Server
	st  *store
	r   *http.Request
	p   params
	tok *token
	me  *account // the token's account, nil for app tokens and anonymous calls
	hdr http.Header
	// files holds uploaded multipart files by field name.
	files map[string]*upload
	// listed keeps the media_attributes[][…] fields of a form in order
	// (files with an empty value), for Rails' grouping of arrays of hashes.
	listed []listedField
}

type listedField struct {
	key, value string
	file       bool
}

const listedPrefix = "media_attributes[]["

type upload struct {
	filename string
	mime     string
	data     []byte
}

// apiError is an error response: Mastodon's {"error": …} body, with
// validation details when there are some.
type apiError struct {
	code    int
	msg     string
	details map[string][]errorDetail
	desc    string // OAuth error_description
	header  http.Header
}

type errorDetail struct {
	Error       string `json:"error"`
	Description string `json:"description"`
}

func (e *apiError) body() any {
	if e.desc != "" {
		return struct {
			Error string `json:"error"`
			Desc  string `json:"error_description"`
		}{e.msg, e.desc}
	}
	if e.details != nil {
		return struct {
			Error   string                   `json:"error"`
			Details map[string][]errorDetail `json:"details"`
		}{e.msg, e.details}
	}
	return struct {
		Error string `json:"error"`
	}{e.msg}
}

func errf(code int, format string, args ...any) *apiError {
	return &apiError{code: code, msg: fmt.Sprintf(format, args...)}
}

// Mastodon's standard error messages.
var (
	errNotFound       = &apiError{code: 404, msg: "Record not found"}
	errStatusNotFound = &apiError{code: 404, msg: "Not Found"}
	errInvalidToken   = &apiError{code: 401, msg: "The access token is invalid"}
	errScope          = &apiError{code: 403, msg: "This action is outside the authorized scopes"}
	errNeedsUser      = &apiError{code: 422, msg: "This method requires an authenticated user"}
	errLoginDisabled  = &apiError{code: 403, msg: "Your login is currently disabled"}
	errForbidden      = &apiError{code: 403, msg: "This action is not allowed"}
	errInternal       = &apiError{code: 500, msg: "Internal server error"}
)

// validation is a 422 for a failed model validation, as most endpoints
// send it: the message only.
func validation(field, code, desc, human string) *apiError {
	return &apiError{code: 422, msg: "Validation failed: " + human}
}

// validationDetails is a 422 with the per-field details the account
// endpoints add.
func validationDetails(field, code, desc, human string) *apiError {
	return &apiError{code: 422, msg: "Validation failed: " + human,
		details: map[string][]errorDetail{field: {{Error: code, Description: desc}}}}
}

// result is what a handler returns: a status code and a value to encode as
// JSON (nil with 200 encodes {}).
type result struct {
	code int
	body any
	raw  []byte
	ct   string
	// location is sent as the Location header (redirects).
	location string
}

func ok(v any) result { return result{code: 200, body: v} }

type handler func(c *call) (result, *apiError)

// need is what a route requires of its caller, as Mastodon's controllers
// require it.
type need uint8

const (
	// anyone may call the route. A known token sent with the call names the
	// viewer and, when the route lists scopes, must carry one of them (403
	// otherwise, Mastodon's authorize_if_got_token!); an unknown token is
	// refused (401) when the route lists scopes and ignored when not.
	anyone need = iota
	// anyToken needs a valid token, an app's or a user's.
	anyToken
	// userToken needs a token bound to a user (422 for an app token) whose
	// login works (403 for a disabled or suspended user).
	userToken
	// adminRole needs a user token whose user's role may administer the
	// server (403 "This action is not allowed" for other users).
	adminRole
)

// route describes one endpoint: who may call it, the scopes any of which
// allow it, and the handler.
type route struct {
	need   need
	scopes []string
	h      handler
}

func (s *Server) handle(pattern string, rt route) {
	s.mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) { s.serveRoute(w, r, rt) })
}

func (s *Server) serveRoute(w http.ResponseWriter, r *http.Request, rt route) {
	c := &call{s: s, r: r, hdr: http.Header{}}
	if err := c.parse(); err != nil {
		writeJSON(w, err.code, err.body(), nil)
		return
	}
	res, aerr := s.run(c, rt)
	var body []byte
	ct := "application/json; charset=utf-8"
	if aerr == nil {
		body, ct, aerr = encodeResult(res)
	}
	if aerr != nil {
		for k, v := range aerr.header {
			w.Header()[k] = v
		}
		writeJSON(w, aerr.code, aerr.body(), c.hdr)
		return
	}
	for k, v := range c.hdr {
		w.Header()[k] = v
	}
	w.Header().Set("Content-Type", ct)
	w.Header().Set("Cache-Control", "private, no-store")
	if res.location != "" {
		w.Header().Set("Location", res.location)
	}
	if res.code == 0 {
		res.code = 200
	}
	w.WriteHeader(res.code)
	_, _ = w.Write(body)
}

// run authorises and runs a handler under the store lock. The lock is
// released however the handler ends: a handler that panics answers 500 (as
// Rails does for an unhandled exception) instead of leaving every later
// request waiting for the lock. Results hold values rendered for this
// answer, never the store's own, so they are encoded after the lock is
// released and a slow encoding holds up no other request.
func (s *Server) run(c *call, rt route) (res result, aerr *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	defer func() {
		if v := recover(); v != nil {
			if v == http.ErrAbortHandler {
				panic(v)
			}
			res, aerr = result{}, errInternal
		}
	}()
	c.st = s.st
	s.tick()
	res, aerr = c.authorize(rt)
	if aerr == nil {
		res, aerr = rt.h(c)
	}
	return res, aerr
}

// encodeResult encodes a handler's result; a value that cannot be encoded
// answers 500.
func encodeResult(res result) (body []byte, ct string, aerr *apiError) {
	defer func() {
		if v := recover(); v != nil {
			body, aerr = nil, errInternal
		}
	}()
	switch {
	case res.raw != nil:
		return res.raw, res.ct, nil
	case res.body == nil:
		return []byte("{}"), "application/json; charset=utf-8", nil
	}
	return mustJSON(res.body), "application/json; charset=utf-8", nil
}

func mustJSON(v any) []byte {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		panic("mastodontest: encoding response: " + err.Error())
	}
	return bytes.TrimRight(buf.Bytes(), "\n")
}

func writeJSON(w http.ResponseWriter, code int, v any, hdr http.Header) {
	for k, vv := range hdr {
		w.Header()[k] = vv
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "private, no-store")
	w.WriteHeader(code)
	_, _ = w.Write(mustJSON(v))
}

// authorize resolves the token and checks the route's requirements.
func (c *call) authorize(rt route) (result, *apiError) {
	raw := bearer(c.r)
	if raw == "" {
		raw = c.p.str("access_token")
	}
	if raw != "" {
		t, ok := c.st.tokens[raw]
		if !ok {
			if rt.need != anyone || len(rt.scopes) > 0 {
				return result{}, withAuthHeader(errInvalidToken)
			}
		} else {
			c.tok, c.me = t, t.account
		}
	}
	if c.tok == nil {
		if rt.need == anyone {
			return result{}, nil
		}
		return result{}, withAuthHeader(errInvalidToken)
	}
	if len(rt.scopes) > 0 && !oauthscope.Any(c.tok.scopes, rt.scopes...) {
		return result{}, errScope
	}
	switch rt.need {
	case userToken, adminRole:
		if c.me == nil {
			return result{}, errNeedsUser
		}
		if c.st.loginDisabled(c.me) {
			return result{}, errLoginDisabled
		}
		if rt.need == adminRole && !c.me.admin {
			return result{}, errForbidden
		}
	}
	return result{}, nil
}

func withAuthHeader(e *apiError) *apiError {
	cp := *e
	cp.header = http.Header{"Www-Authenticate": {`Bearer realm="Doorkeeper", error="invalid_token", error_description="The access token is invalid"`}}
	return &cp
}

func bearer(r *http.Request) string {
	h := r.Header.Get("Authorization")
	if len(h) > 7 && strings.EqualFold(h[:7], "bearer ") {
		return strings.TrimSpace(h[7:])
	}
	return ""
}

// params holds request parameters the way Rails sees them: query string and
// body merged, JSON bodies flattened to form-style keys ("poll[options][]").
type params map[string][]string

const maxBody = 64 << 20

func (c *call) parse() *apiError {
	c.p = params{}
	for k, v := range c.r.URL.Query() {
		c.p[k] = append(c.p[k], v...)
	}
	if c.r.Body == nil {
		return nil
	}
	ct, mp, _ := mime.ParseMediaType(c.r.Header.Get("Content-Type"))
	// Rails reads a JSON body on any method, and some clients send the
	// parameters of a GET that way; other GET bodies are ignored.
	if c.r.Method == http.MethodGet && ct != "application/json" {
		return nil
	}
	switch ct {
	case "application/json":
		b, err := io.ReadAll(io.LimitReader(c.r.Body, maxBody))
		if err != nil {
			return errf(400, "Error occurred while parsing request parameters")
		}
		if len(bytes.TrimSpace(b)) == 0 {
			return nil
		}
		var v any
		dec := json.NewDecoder(bytes.NewReader(b))
		dec.UseNumber()
		if err := dec.Decode(&v); err != nil {
			return errf(400, "Error occurred while parsing request parameters")
		}
		flatten(c.p, "", v)
	case "multipart/form-data":
		mr := multipart.NewReader(io.LimitReader(c.r.Body, maxBody), mp["boundary"])
		for {
			part, err := mr.NextPart()
			if err == io.EOF {
				break
			}
			if err != nil {
				return errf(400, "Error occurred while parsing request parameters")
			}
			data, err := io.ReadAll(part)
			if err != nil {
				return errf(400, "Error occurred while parsing request parameters")
			}
			name := part.FormName()
			if strings.HasPrefix(name, listedPrefix) {
				c.listed = append(c.listed, listedField{key: name, value: string(data), file: part.FileName() != ""})
			}
			if part.FileName() != "" {
				if c.files == nil {
					c.files = map[string]*upload{}
				}
				c.files[name] = &upload{filename: part.FileName(), mime: part.Header.Get("Content-Type"), data: data}
				continue
			}
			c.p[name] = append(c.p[name], string(data))
		}
	default:
		b, err := io.ReadAll(io.LimitReader(c.r.Body, maxBody))
		if err != nil {
			return errf(400, "Error occurred while parsing request parameters")
		}
		vals, err := url.ParseQuery(string(b))
		if err != nil {
			return errf(400, "Error occurred while parsing request parameters")
		}
		for _, kv := range strings.Split(string(b), "&") {
			k, v, _ := strings.Cut(kv, "=")
			k, kerr := url.QueryUnescape(k)
			v, verr := url.QueryUnescape(v)
			if kerr == nil && verr == nil && strings.HasPrefix(k, listedPrefix) {
				c.listed = append(c.listed, listedField{key: k, value: v})
			}
		}
		for k, v := range vals {
			c.p[k] = append(c.p[k], v...)
		}
	}
	return nil
}

func flatten(p params, prefix string, v any) {
	switch x := v.(type) {
	case map[string]any:
		for k, vv := range x {
			key := k
			if prefix != "" {
				key = prefix + "[" + k + "]"
			}
			flatten(p, key, vv)
		}
	case []any:
		for _, vv := range x {
			switch vv.(type) {
			case map[string]any, []any:
				// arrays of objects ("fields_attributes") become indexed keys
				flatten(p, prefix+"["+strconv.Itoa(len(p[prefix+"[]"]))+"]", vv)
				p[prefix+"[]"] = append(p[prefix+"[]"], "")
			default:
				flatten(p, prefix+"[]", vv)
			}
		}
	case nil:
		p[prefix] = append(p[prefix], "")
	case bool:
		p[prefix] = append(p[prefix], strconv.FormatBool(x))
	case json.Number:
		p[prefix] = append(p[prefix], x.String())
	case string:
		p[prefix] = append(p[prefix], x)
	}
}

func (p params) has(k string) bool { _, ok := p[k]; return ok }

func (p params) str(k string) string {
	if v := p[k]; len(v) > 0 {
		return v[len(v)-1]
	}
	return ""
}

// strs returns an array parameter given as k[], k, or k[0], k[1], ….
func (p params) strs(k string) []string {
	if v, ok := p[k+"[]"]; ok {
		return v
	}
	var idx []string
	for key := range p {
		if strings.HasPrefix(key, k+"[") && strings.HasSuffix(key, "]") {
			inner := key[len(k)+1 : len(key)-1]
			if _, err := strconv.Atoi(inner); err == nil {
				idx = append(idx, key)
			}
		}
	}
	if len(idx) > 0 {
		sort.Slice(idx, func(i, j int) bool { return cmpID(idx[i], idx[j]) < 0 })
		var out []string
		for _, key := range idx {
			out = append(out, p.str(key))
		}
		return out
	}
	return p[k]
}

// boolean reads a Rails boolean: "1", "true", "on" and friends.
func (p params) boolean(k string) (bool, bool) {
	v, ok := p[k]
	if !ok || len(v) == 0 {
		return false, false
	}
	switch strings.ToLower(v[len(v)-1]) {
	case "", "0", "false", "f", "off", "no", "n":
		return false, true
	}
	return true, true
}

func (p params) truthy(k string) bool { b, _ := p.boolean(k); return b }

// maxParamInt bounds every integer read from a request, so that no
// arithmetic on one (offset+limit, -limit, seconds to a duration) can
// overflow. Ruby's integers do not overflow; saturating keeps what Rails
// would do with such a number (cap a limit, find nothing past an offset).
const maxParamInt = 1<<31 - 1

// integer reads an integer parameter as Ruby's to_i does: leading
// whitespace, a sign and the digits that follow ("12abc" is 12; a decimal
// is truncated), saturated to ±maxParamInt. It reports false when the value
// is missing or has no leading digits ("NaN", "Infinity", "abc").
func (p params) integer(k string) (int, bool) {
	return parseParamInt(p.str(k))
}

func parseParamInt(v string) (int, bool) {
	v = strings.TrimLeft(v, " \t\r\n")
	neg := false
	if v != "" && (v[0] == '-' || v[0] == '+') {
		neg = v[0] == '-'
		v = v[1:]
	}
	n, digits := 0, 0
	for ; digits < len(v) && v[digits] >= '0' && v[digits] <= '9'; digits++ {
		if n < maxParamInt {
			n = min(n*10+int(v[digits]-'0'), maxParamInt)
		}
	}
	if digits == 0 {
		return 0, false
	}
	if neg {
		n = -n
	}
	return n, true
}

// timestamps

func fmtTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z") }

func fmtTimePtr(t *time.Time) *string {
	if t == nil {
		return nil
	}
	s := fmtTime(*t)
	return &s
}

func parseTime(s string) (time.Time, bool) {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05Z07:00", "2006-01-02T15:04:05", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), true
		}
	}
	return time.Time{}, false
}

func ptr[T any](v T) *T { return &v }

package mastodon

import (
	"bytes"
	"cmp"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/tuskgo/mastodon/internal/form"
)

// CallOption adjusts a single API call. Their names start with Call, as
// the client's options (Option) start with With: CallLanguage overrides
// WithLanguage for one call.
type CallOption func(*callOptions)

type callOptions struct {
	resp    *Response
	lang    string
	idemKey string
	header  http.Header
	noRetry bool // the caller retries itself (Statuses.Post)
}

// CallResponse stores the call's response metadata (status, headers, rate
// limit, Link cursors) in r: the last response the call received, even
// when it fails. Pages pass it on to the pages fetched after them.
func CallResponse(r *Response) CallOption { return func(o *callOptions) { o.resp = r } }

// WithResponse is CallResponse under its earlier name.
//
// Deprecated: use CallResponse. WithResponse stays until v1, as code
// written against earlier versions uses it.
func WithResponse(r *Response) CallOption { return CallResponse(r) }

// CallLanguage overrides the client's default language for one call.
func CallLanguage(lang string) CallOption { return func(o *callOptions) { o.lang = lang } }

// CallIdempotencyKey sends Idempotency-Key, so the server performs a
// repeated request once. Requests carrying one may be retried safely.
func CallIdempotencyKey(key string) CallOption { return func(o *callOptions) { o.idemKey = key } }

// CallHeader adds a request header to one call (Authorization excepted).
func CallHeader(name, value string) CallOption {
	return func(o *callOptions) {
		if o.header == nil {
			o.header = http.Header{}
		}
		o.header.Add(name, value)
	}
}

func collect(opts []CallOption) *callOptions {
	o := &callOptions{}
	for _, f := range opts {
		if f != nil {
			f(o)
		}
	}
	return o
}

// authMode says which credential a request carries.
type authMode int

const (
	authUser authMode = iota // the access token, when there is one
	authNone                 // never a token (OAuth endpoints that take client credentials)
)

// req describes one API request. API methods fill one in and hand it to
// call, callList or callNoContent.
type req struct {
	Method string
	// Path is the endpoint template as the API docs write it, e.g.
	// "/api/v1/statuses/{id}"; Params fills its {…} in order, escaped.
	Path   string
	Params []string
	// RawPath, when set, is an already escaped path and query (from a Link
	// header); Path then only names the endpoint for version checks.
	RawPath string
	Query   any // struct with form tags, url.Values, form.Values or nil
	Form    any // sent as application/x-www-form-urlencoded (or multipart with Files)
	JSON    any // sent as application/json
	Files   []filePart
	// Progress, when set, is told how many bytes of a multipart body went out.
	Progress func(sent, total int64)
	Auth     authMode
	// Idempotent marks a request safe to repeat (besides GET/HEAD).
	Idempotent bool
	// NoVersionCheck skips the minimum-version check.
	NoVersionCheck bool
	// Refused, when set, is why this request (a Link cursor) may not be
	// sent: exec returns it without sending anything.
	Refused error
	// Body, when set, is sent as it is instead of one built from Form,
	// JSON or Files (Client.Do).
	Body *body
	// Elsewhere, when set, sends the request to another place than the
	// client's server; it then carries no credential (Auth authNone).
	Elsewhere *elsewhere
}

// elsewhere is where a request goes instead of the client's server, and
// the scope of checkDest it is held to: the streaming host (scopeStream,
// Streaming.Health) or the server under another of its names
// (scopeSameName, a NodeInfo link: see sameServerLink).
type elsewhere struct {
	base  *url.URL // scheme, host and base path
	scope destScope
}

// formJSON sends a params struct as a JSON body by its form tags (see
// form.JSON), so a parameter is declared once however it is sent.
type formJSON struct{ v any }

// MarshalJSON encodes the params.
func (p formJSON) MarshalJSON() ([]byte, error) { return form.JSON(p.v) }

// endpoint is "METHOD /template", the key of the version table.
func (r *req) endpoint() string { return r.Method + " " + r.Path }

// expandPath fills a template's parameters, escaping each and refusing
// values that would change the path's shape.
func expandPath(tmpl string, params []string) (string, error) {
	var b strings.Builder
	n := 0
	for {
		i := strings.IndexByte(tmpl, '{')
		if i < 0 {
			b.WriteString(tmpl)
			break
		}
		j := strings.IndexByte(tmpl[i:], '}')
		if j < 0 {
			return "", illegalArg("bad path template " + tmpl)
		}
		name := tmpl[i+1 : i+j]
		if n >= len(params) {
			return "", illegalArg("missing path parameter " + name)
		}
		p := params[n]
		n++
		if p == "" || p == "." || p == ".." {
			return "", illegalArg(fmt.Sprintf("%s %q is not a valid path parameter", name, p))
		}
		b.WriteString(tmpl[:i])
		b.WriteString(url.PathEscape(p))
		tmpl = tmpl[i+j+1:]
	}
	if n != len(params) {
		return "", illegalArg("too many path parameters for " + tmpl)
	}
	return b.String(), nil
}

// buildURL returns the absolute URL of r, with the language and query.
func (c *Client) buildURL(r *req, o *callOptions) (*url.URL, error) {
	var path, rawQuery string
	if r.RawPath != "" {
		path, rawQuery, _ = strings.Cut(r.RawPath, "?")
	} else {
		p, err := expandPath(r.Path, r.Params)
		if err != nil {
			return nil, err
		}
		path = p
		q, err := form.Marshal(r.Query)
		if err != nil {
			return nil, illegalArg(err.Error())
		}
		rawQuery = q.Encode()
	}
	lang := c.cfg.lang
	if o.lang != "" {
		if !validLang(o.lang) {
			return nil, illegalArg(fmt.Sprintf("CallLanguage: %q is not an ISO 639 code", o.lang))
		}
		lang = o.lang
	}
	if lang != "" {
		q, _ := url.ParseQuery(rawQuery)
		if q.Get("lang") == "" {
			if rawQuery != "" {
				rawQuery += "&"
			}
			rawQuery += "lang=" + url.QueryEscape(lang)
		}
	}
	base := c.base
	if r.Elsewhere != nil {
		if r.Auth != authNone {
			return nil, illegalArg("a request carrying credentials goes only to the client's server")
		}
		base = r.Elsewhere.base
	}
	s := base.Scheme + "://" + base.Host + base.EscapedPath() + path
	if rawQuery != "" {
		s += "?" + rawQuery
	}
	u, err := url.Parse(s)
	if err != nil {
		return nil, illegalArg("cannot build request URL: " + err.Error())
	}
	return u, nil
}

// body is a request body that can be produced again for a retry.
type body struct {
	contentType string
	data        []byte                                       // form or JSON; nil for none
	stream      func() (io.ReadCloser, int64, string, error) // multipart
}

func (c *Client) buildBody(r *req) (*body, error) {
	switch {
	case r.Body != nil:
		return r.Body, nil
	case len(r.Files) > 0:
		fields, err := form.Marshal(r.Form)
		if err != nil {
			return nil, illegalArg(err.Error())
		}
		files := r.Files
		progress := r.Progress
		return &body{stream: func() (io.ReadCloser, int64, string, error) {
			return newMultipart(fields, files, progress)
		}}, nil
	case r.JSON != nil:
		b, err := marshalJSON(r.JSON)
		if err != nil {
			return nil, illegalArg("cannot encode JSON body: " + err.Error())
		}
		return &body{contentType: "application/json", data: b}, nil
	case r.Form != nil:
		v, err := form.Marshal(r.Form)
		if err != nil {
			return nil, illegalArg(err.Error())
		}
		return &body{contentType: "application/x-www-form-urlencoded", data: []byte(v.Encode())}, nil
	}
	return &body{}, nil
}

// newIdempotencyKey returns a random key for a request that must not be
// performed twice.
func newIdempotencyKey() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// exec sends r and returns the response and its whole body, after the
// version check, rate limiting, retries and error mapping. A call that
// fails is logged at debug level with its error, which quotes no secret.
func (c *Client) exec(ctx context.Context, r *req, o *callOptions) (*Response, []byte, error) {
	resp, data, err := c.execInner(ctx, r, o)
	if err != nil {
		c.log.DebugContext(cmp.Or[context.Context](ctx, context.Background()), "mastodon call failed",
			"method", r.Method, "endpoint", r.Path, "error", err)
	}
	return resp, data, err
}

func (c *Client) execInner(ctx context.Context, r *req, o *callOptions) (*Response, []byte, error) {
	if ctx == nil {
		return nil, nil, illegalArg("nil context")
	}
	if r.Refused != nil {
		return nil, nil, r.Refused
	}
	if !r.NoVersionCheck {
		if err := c.checkVersion(ctx, r.endpoint()); err != nil {
			return nil, nil, err
		}
	}
	u, err := c.buildURL(r, o)
	if err != nil {
		return nil, nil, err
	}
	bd, err := c.buildBody(r)
	if err != nil {
		return nil, nil, err
	}
	idem := o.idemKey
	retryable := r.Method == http.MethodGet || r.Method == http.MethodHead || r.Idempotent || idem != ""
	if bd.stream != nil {
		retryable = false // a streamed body cannot be sent again
	}
	policy := c.cfg.retry
	rateRetries := 0
	for attempt := 0; ; attempt++ {
		resp, data, err := c.attempt(ctx, r, u, bd, o, idem)
		if err == nil {
			return resp, data, nil
		}
		if ctx.Err() != nil {
			return resp, data, err
		}
		var apiErr *APIError
		if errors.As(err, &apiErr) && apiErr.StatusCode == http.StatusTooManyRequests {
			if c.rl.mode != RateLimitThrow && rateRetries < maxRateRetries {
				rateRetries++
				if werr := c.rl.waitAfter429(ctx, apiErr, c.cfg.timeout); werr != nil {
					return resp, data, werr
				}
				continue
			}
			return resp, data, err
		}
		if !retryable || o.noRetry || attempt >= policy.MaxRetries || !isTransient(err) {
			return resp, data, err
		}
		wait := policy.backoff(attempt)
		if apiErr != nil && apiErr.RetryAfter > 0 {
			wait = min(max(wait, apiErr.RetryAfter), maxSleep)
		}
		c.log.DebugContext(ctx, "mastodon retry", "method", r.Method, "path", u.Path, "attempt", attempt+1, "wait", wait, "error", err.Error())
		if serr := sleepCtx(ctx, wait); serr != nil {
			return resp, data, err
		}
	}
}

const maxRateRetries = 5

// isTransient reports whether an error may go away on its own.
func isTransient(err error) bool {
	if errors.Is(err, ErrNetwork) {
		return true
	}
	return errors.Is(err, ErrBadGateway) || errors.Is(err, ErrServiceUnavailable) || errors.Is(err, ErrGatewayTimeout)
}

func (c *Client) attempt(ctx context.Context, r *req, u *url.URL, bd *body, o *callOptions, idem string) (*Response, []byte, error) {
	var tok string
	if r.Auth == authUser {
		var err error
		if tok, err = c.accessToken(ctx); err != nil {
			return nil, nil, err
		}
	}
	rl := c.rl.get(tok, bucketOf(r.Method, r.Path))
	tk, err := rl.before(ctx, c.cfg.timeout)
	if err != nil {
		return nil, nil, err
	}
	defer rl.done(tk) // the budget share of a request that got no answer
	actx, cancel := ctx, context.CancelFunc(func() {})
	if c.cfg.timeout > 0 {
		actx, cancel = context.WithTimeout(ctx, c.cfg.timeout)
	}
	defer cancel()

	var rd io.Reader
	var length int64 = -1
	ctype := bd.contentType
	var closer io.Closer
	switch {
	case bd.stream != nil:
		rc, n, ct, err := bd.stream()
		if err != nil {
			return nil, nil, err
		}
		rd, length, ctype, closer = rc, n, ct, rc
	case bd.data != nil:
		rd, length = bytes.NewReader(bd.data), int64(len(bd.data))
	}
	if closer != nil {
		defer closer.Close()
	}
	hreq, err := http.NewRequestWithContext(actx, r.Method, u.String(), rd)
	if err != nil {
		return nil, nil, illegalArg("cannot build request: " + err.Error())
	}
	if length >= 0 && rd != nil {
		hreq.ContentLength = length
	}
	for k, vs := range o.header {
		if strings.EqualFold(k, "Authorization") {
			continue
		}
		for _, v := range vs {
			hreq.Header.Add(k, v)
		}
	}
	hreq.Header.Set("User-Agent", c.cfg.userAgent)
	if hreq.Header.Get("Accept") == "" {
		hreq.Header.Set("Accept", "application/json")
	}
	if hreq.Header.Get("Accept-Encoding") == "" && askGzip(c.hc) {
		hreq.Header.Set("Accept-Encoding", "gzip")
	}
	if ctype != "" {
		hreq.Header.Set("Content-Type", ctype)
	}
	if idem != "" {
		hreq.Header.Set("Idempotency-Key", idem)
	}
	if tok != "" {
		hreq.Header.Set("Authorization", "Bearer "+tok)
	}
	scope := scopeServer
	if r.Elsewhere != nil && !carriesCredential(hreq) {
		scope = r.Elsewhere.scope
	}
	if !c.destOK(u, scope) { // the error's text is only built for a refusal
		return nil, nil, destError(u, "a request "+r.Method+" "+sanitizeForError(u.EscapedPath()))
	}
	start := time.Now()
	op := func() string { return r.Method + " " + redactURL(u) }
	hresp, err := c.hc.Do(hreq)
	if err != nil {
		if de := (*DestinationError)(nil); errors.As(err, &de) {
			c.log.DebugContext(ctx, "mastodon request", "method", r.Method, "path", u.Path, "error", "redirect refused")
			return nil, nil, de
		}
		c.log.DebugContext(ctx, "mastodon request", "method", r.Method, "path", u.Path, "error", "network")
		return nil, nil, &NetworkError{Op: op(), Err: cleanNetErr(err, c.secrets())}
	}
	defer hresp.Body.Close()
	gz := takeGzip(hresp)
	resp := newResponse(hresp)
	resp.secrets = func() []string { return c.requestSecrets(tok, u, ctype, bd.data) }
	resp.log = c.log
	rl.update(resp, tk)
	if resp.RateLimit.Known {
		c.last.set(rl.State())
	}
	var data []byte
	var rerr error
	if gz {
		data, rerr = readGzip(hresp.Body, c.cfg.maxBody)
	} else {
		data, rerr = readBody(hresp.Body, c.cfg.maxBody, hresp.ContentLength)
	}
	if o.resp != nil {
		*o.resp = *resp
	}
	if c.log.Enabled(ctx, slog.LevelDebug) { // spares boxing the attributes
		c.log.DebugContext(ctx, "mastodon request",
			"method", r.Method, "path", u.Path, "status", hresp.StatusCode,
			"duration", time.Since(start), "ratelimit_remaining", resp.RateLimit.Remaining)
	}
	if rerr != nil {
		if errors.Is(rerr, errTooLarge) {
			return resp, nil, &DecodeError{Method: r.Method, URL: redactURL(u), StatusCode: hresp.StatusCode,
				ContentType: hresp.Header.Get("Content-Type"), Err: fmt.Errorf("body larger than %d bytes", c.cfg.maxBody)}
		}
		return resp, nil, &NetworkError{Op: "reading " + op(), Err: cleanNetErr(rerr, c.secrets())}
	}
	if hresp.StatusCode < 200 || hresp.StatusCode > 299 {
		return resp, data, newAPIError(r.Method, redactURL(u), resp, data)
	}
	return resp, data, nil
}

var errTooLarge = errors.New("response body too large")

// readBody reads a body of at most max bytes whose length may be known: a
// positive Content-Length is read into one buffer of that size (from
// bodyPool when one is free); a body without one goes to readPooled. The length is a hint only
// (hand-made responses often leave it 0 or wrong): whatever follows it is
// still read, up to max.
func readBody(r io.Reader, max, length int64) ([]byte, error) {
	if length > max {
		return nil, errTooLarge
	}
	if length <= 0 {
		return readPooled(r, max)
	}
	if length > maxPooledBody {
		// Memory follows the bytes that arrive, not the length announced:
		// a server saying 1 GiB and sending ten bytes costs ten bytes.
		b, err := readCapped(r, max)
		if err == nil && int64(len(b)) < length {
			return nil, io.ErrUnexpectedEOF
		}
		return b, err
	}
	buf := bodyBuffer(length)
	n, err := io.ReadFull(r, buf)
	switch {
	case errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF):
		return nil, io.ErrUnexpectedEOF // shorter than announced: cut off
	case err != nil:
		return nil, err
	}
	// Usually the body ends here: look with the byte of room the buffer
	// has before setting up a read of the rest.
	k, err := io.ReadFull(r, buf[n:n+1])
	switch {
	case k == 0 && (err == io.EOF || err == io.ErrUnexpectedEOF):
		return buf, nil
	case err != nil:
		return nil, err
	case int64(n)+1 > max:
		return nil, errTooLarge
	}
	buf = buf[:n+1]
	rest, err := readCapped(r, max-int64(n)-1)
	if err != nil {
		return nil, err
	}
	return append(buf, rest...), nil
}

// bodyPool holds response body buffers (*[]byte) that the entity decoder
// has finished with: it copies everything it keeps, so a page's buffer can
// take the next page. Only buffers between the bounds below are pooled.
//
// A garbage collection empties a sync.Pool (over two cycles), and a client
// reading page after page collects every ten pages or so: spareBody keeps
// one buffer of at most maxSpareBody outside the pool, so that the next
// page still finds one. It holds bytes only, so it keeps nothing else
// alive.
var (
	bodyPool  sync.Pool
	spareBody atomic.Pointer[[]byte]
)

const (
	minPooledBody = 16 << 10
	maxPooledBody = 4 << 20
	maxSpareBody  = 1 << 20
)

// pooledBody returns a buffer from spareBody or bodyPool, or nil.
func pooledBody() *[]byte {
	if p := spareBody.Swap(nil); p != nil {
		return p
	}
	p, _ := bodyPool.Get().(*[]byte)
	return p
}

// bodyBuffer returns a buffer of length n with room for one byte more.
func bodyBuffer(n int64) []byte {
	if n >= minPooledBody && n < maxPooledBody {
		if p := pooledBody(); p != nil && int64(cap(*p)) > n {
			return (*p)[:n]
		}
	}
	return make([]byte, n, n+1)
}

// releaseBody hands a body buffer back to spareBody or bodyPool. Nothing
// may refer to it afterwards.
func releaseBody(b []byte) {
	if cap(b) > minPooledBody && cap(b) <= maxPooledBody {
		p := new([]byte)
		*p = b[:0]
		if cap(b) <= maxSpareBody && spareBody.CompareAndSwap(nil, p) {
			return
		}
		bodyPool.Put(p)
	}
}

// readCapped reads at most max bytes, failing when there are more.
func readCapped(r io.Reader, max int64) ([]byte, error) {
	var buf bytes.Buffer
	n, err := buf.ReadFrom(io.LimitReader(r, max+1))
	if err != nil {
		return nil, err
	}
	if n > max {
		return nil, errTooLarge
	}
	return buf.Bytes(), nil
}

// cleanNetErr strips the URL (which may carry secrets) from *url.Error.
func cleanNetErr(err error, secrets []string) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return &redactedErr{msg: redactSecrets(ue.Err.Error(), secrets...), err: ue.Err}
	}
	return &redactedErr{msg: redactSecrets(err.Error(), secrets...), err: err}
}

type redactedErr struct {
	msg string
	err error
}

func (e *redactedErr) Error() string { return e.msg }
func (e *redactedErr) Unwrap() error { return e.err }

// newAPIError builds the error for a non-2xx response.
func newAPIError(method, u string, resp *Response, data []byte) *APIError {
	e := &APIError{
		StatusCode: resp.StatusCode,
		Status:     resp.Status,
		Method:     method,
		URL:        u,
		Header:     resp.Header,
		RateLimit:  resp.RateLimit,
		RetryAfter: resp.RetryAfter,
	}
	if len(data) > maxErrorBody {
		e.Body = bytes.Clone(data[:maxErrorBody])
	} else {
		e.Body = bytes.Clone(data)
	}
	var body struct {
		Error       any                           `json:"error"`
		Description string                        `json:"error_description"`
		Details     map[string][]ValidationDetail `json:"details"`
	}
	if err := unmarshalJSON(data, &body); err == nil {
		switch v := body.Error.(type) {
		case string:
			e.Code = v
		case nil:
		default:
			if b, err := marshalJSON(v); err == nil {
				e.Code = string(b)
			}
		}
		e.Description = body.Description
		e.Details = body.Details
	} else if len(bytes.TrimSpace(data)) > 0 {
		e.Description = redactedSnippet(data, resp.secretList())
	}
	if secrets := resp.secretList(); len(secrets) > 0 {
		e.redact(secrets)
	}
	return e
}

// redact takes secrets out of everything e quotes from the server: a
// server, proxy or firewall echoing the request would otherwise put the
// token or a password into the error text.
func (e *APIError) redact(secrets []string) {
	e.Code = redactSecrets(e.Code, secrets...)
	e.Description = redactSecrets(e.Description, secrets...)
	if e.Details != nil {
		details := make(map[string][]ValidationDetail, len(e.Details))
		for field, ds := range e.Details {
			clean := make([]ValidationDetail, len(ds))
			for i, d := range ds {
				clean[i] = ValidationDetail{Error: redactSecrets(d.Error, secrets...), Description: redactSecrets(d.Description, secrets...)}
			}
			details[redactSecrets(field, secrets...)] = clean
		}
		e.Details = details
	}
	if b := redactSecrets(string(e.Body), secrets...); b != string(e.Body) {
		e.Body = []byte(b)
	}
	var h http.Header
	for k, vs := range e.Header {
		for i, v := range vs {
			if r := redactSecrets(v, secrets...); r != v {
				if h == nil {
					h = e.Header.Clone()
				}
				h[k][i] = r
			}
		}
	}
	if h != nil {
		e.Header = h
	}
}

// requestSecrets lists the secrets one request carried: the client's, the
// token sent, and the secret fields of its query and form or JSON body
// (passwords, codes, verifiers, client secrets, tokens).
func (c *Client) requestSecrets(tok string, u *url.URL, ctype string, data []byte) []string {
	out := append(c.secrets(), tok)
	pick := func(q url.Values) {
		for k, vs := range q {
			if secretParams[strings.ToLower(k)] {
				out = append(out, vs...)
			}
		}
	}
	if u != nil && u.RawQuery != "" {
		q, _ := url.ParseQuery(u.RawQuery)
		pick(q)
	}
	switch {
	case len(data) == 0:
	case strings.HasPrefix(ctype, "application/x-www-form-urlencoded"):
		q, _ := url.ParseQuery(string(data))
		pick(q)
	case strings.HasPrefix(ctype, "application/json"):
		var m map[string]any
		if unmarshalJSON(data, &m) == nil {
			for k, v := range m {
				if s, ok := v.(string); ok && secretParams[strings.ToLower(k)] {
					out = append(out, s)
				}
			}
		}
	}
	return out
}

// snippetLen is how many bytes of a body an error quotes.
const snippetLen = 120

// snippet returns the start of a body, fit to quote in an error.
func snippet(data []byte) string {
	const n = snippetLen
	s := string(data)
	if len(s) > n {
		s = s[:n]
	}
	return sanitizeForError(strings.Join(strings.Fields(s), " "))
}

// decodeBody decodes a 2xx JSON body into v, or says what arrived.
func decodeBody(method, u string, resp *Response, data []byte, v any) error {
	_, err := decodeBodyEntity(method, u, resp, data, v)
	return err
}

// decodeOwnedBody is decodeBody for a body that nothing but the caller
// holds (as exec returns them): once the entity decoder has read it, the
// buffer is reused for a later response.
func decodeOwnedBody(method, u string, resp *Response, data []byte, v any) error {
	entity, err := decodeBodyEntity(method, u, resp, data, v)
	if entity {
		releaseBody(data)
	}
	return err
}

// decodeBodyEntity is decodeBody that also says whether the entity decoder
// read the body (and so kept no reference to it).
func decodeBodyEntity(method, u string, resp *Response, data []byte, v any) (bool, error) {
	trimmed := bytes.TrimSpace(data)
	derr := func(err error) error {
		e := &DecodeError{Method: method, URL: u, StatusCode: resp.StatusCode,
			ContentType: resp.Header.Get("Content-Type"), Snippet: redactedSnippet(data, resp.secretList()), Err: err}
		if secretEntity(v) {
			e.Snippet = "" // the answer is a token or a client secret
		}
		if resp.log != nil {
			resp.log.Debug("mastodon response not decoded", "method", method, "url", u, "error", e)
		}
		return e
	}
	if len(trimmed) == 0 {
		return false, derr(errors.New("empty body where JSON was expected"))
	}
	if trimmed[0] == '<' {
		return false, derr(errors.New("got HTML, not JSON (a proxy or error page?)"))
	}
	entity, err := unmarshalEntity(data, v)
	if err != nil {
		return entity, derr(err)
	}
	return entity, nil
}

// secretEntity reports whether v decodes an answer made of secrets (a
// token grant, a new app's client secret), which errors must not quote.
func secretEntity(v any) bool {
	switch v.(type) {
	case *Token, *CredentialApplication:
		return true
	}
	return false
}

// call sends r and decodes the JSON answer into a new T.
func call[T any](ctx context.Context, c *Client, r req, opts []CallOption) (*T, error) {
	o := collect(opts)
	resp, data, err := c.exec(ctx, &r, o)
	if err != nil {
		return nil, err
	}
	v := new(T)
	if err := decodeOwnedBody(r.Method, resp.redactedURL, resp, data, v); err != nil {
		return nil, err
	}
	return v, nil
}

// callNoContent sends r and ignores a successful answer's body.
func callNoContent(ctx context.Context, c *Client, r req, opts []CallOption) error {
	o := collect(opts)
	_, _, err := c.exec(ctx, &r, o)
	return err
}

// callList sends r and decodes a JSON array page with its Link cursors.
func callList[T any](ctx context.Context, c *Client, r req, opts []CallOption) (*Page[T], error) {
	return fetchPage(ctx, c, r, opts, false, decodeItems[T])
}

// NewRequest builds a request for an endpoint the library lacks. path is
// relative to the server ("/api/v1/…", with any query); body may be nil,
// url.Values (sent as a form) or any value (sent as JSON).
func (c *Client) NewRequest(ctx context.Context, method, path string, body any) (*http.Request, error) {
	if !strings.HasPrefix(path, "/") {
		return nil, illegalArg("NewRequest: path must start with /")
	}
	u, err := url.Parse(c.base.String() + path)
	if err != nil {
		return nil, illegalArg("NewRequest: " + err.Error())
	}
	var rd io.Reader
	ctype := ""
	switch b := body.(type) {
	case nil:
	case url.Values:
		rd, ctype = strings.NewReader(b.Encode()), "application/x-www-form-urlencoded"
	case io.Reader:
		rd = b
	default:
		data, err := marshalJSON(b)
		if err != nil {
			return nil, illegalArg("NewRequest: cannot encode JSON body: " + err.Error())
		}
		rd, ctype = bytes.NewReader(data), "application/json"
	}
	if err := c.checkDest(u, scopeServer, "a request built by NewRequest"); err != nil {
		return nil, err
	}
	hreq, err := http.NewRequestWithContext(ctx, method, u.String(), rd)
	if err != nil {
		return nil, illegalArg("NewRequest: " + err.Error())
	}
	if ctype != "" {
		hreq.Header.Set("Content-Type", ctype)
	}
	return hreq, nil
}

// Do sends a request made by NewRequest the way every API method sends its
// own: with the client's credentials, the minimum-version check when the
// endpoint is one the library knows, rate limiting, retries of requests
// that are safe to repeat (GET, HEAD, or carrying an Idempotency-Key
// header or CallIdempotencyKey), waiting after a 429 and error mapping. It
// decodes a JSON answer into v (unless v is nil). The request must be for
// this client's server. Call options apply as to any call: CallResponse
// records the response.
func (c *Client) Do(hreq *http.Request, v any, opts ...CallOption) error {
	if hreq == nil || hreq.URL == nil {
		return illegalArg("Do: nil request")
	}
	if err := c.checkDest(hreq.URL, scopeServer, "the request given to Do"); err != nil {
		return err
	}
	bd := &body{}
	if hreq.Body != nil {
		data, err := io.ReadAll(hreq.Body)
		hreq.Body.Close()
		if err != nil {
			return illegalArg("Do: reading request body: " + err.Error())
		}
		bd = &body{contentType: hreq.Header.Get("Content-Type"), data: data}
	}
	path := strings.TrimPrefix(hreq.URL.Path, strings.TrimSuffix(c.base.Path, "/"))
	r := req{Method: hreq.Method, Path: path,
		RawPath: strings.TrimPrefix(hreq.URL.RequestURI(), c.base.EscapedPath()), Body: bd}
	o := collect(opts)
	h := hreq.Header.Clone()
	if h == nil {
		h = http.Header{}
	}
	if o.idemKey == "" {
		o.idemKey = h.Get("Idempotency-Key")
	}
	h.Del("Content-Type")
	h.Del("Idempotency-Key")
	for k, vs := range o.header {
		h[k] = append(h[k], vs...)
	}
	o.header = h
	resp, out, err := c.exec(hreq.Context(), &r, o)
	if err != nil {
		return err
	}
	if v != nil {
		return decodeBody(r.Method, resp.redactedURL, resp, out, v)
	}
	return nil
}

// callSlice sends r and decodes a JSON array that is not paginated.
func callSlice[T any](ctx context.Context, c *Client, r req, opts []CallOption) ([]*T, error) {
	resp, data, err := c.exec(ctx, &r, collect(opts))
	if err != nil {
		return nil, err
	}
	return decodeItems[T](r.Method, resp, data)
}

// Ptr returns a pointer to v, for optional parameters that must be sent
// even when they are the zero value: &UpdateCredentialsParams{Locked:
// mastodon.Ptr(false)}.
func Ptr[T any](v T) *T { return &v }

package mastodontest

import (
	"bytes"
	"encoding/json"
	"io"
	"mime"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
)

// Family is a server software whose client-visible behaviour the server
// can take on (see WithFamily).
type Family string

// Families the server can behave as.
const (
	// FamilyMastodon is the default: Mastodon as documented.
	FamilyMastodon Family = "mastodon"
	// FamilyGoToSocial behaves as GoToSocial 0.x does where a client can
	// tell: the instance endpoints report its own version ("0.17.3", no
	// api_versions, an account_domain) and nodeinfo names "gotosocial";
	// the nodeinfo discovery link names the server as "localhost" (the
	// host name it is configured with) while it is reached as 127.0.0.1;
	// streaming is WebSocket only (the SSE endpoints answer 404);
	// Idempotency-Key is ignored, so a repeated post is a second post;
	// a token grant without redirect_uri is refused with 400; and the
	// public timeline refuses anonymous callers with 401.
	FamilyGoToSocial Family = "gotosocial"
)

// gtsVersion is the version GoToSocial mode reports.
const gtsVersion = "0.17.3"

// WithFamily makes the server behave as family does (see the Family
// constants). GoToSocial mode sets the reported version to 0.17.3;
// a WithVersion given after WithFamily changes it.
func WithFamily(f Family) Option {
	return func(c *config) {
		c.family = f
		if f == FamilyGoToSocial {
			c.version, c.apiVersion = gtsVersion, 0
		}
	}
}

// LoggedRequest is one request the server received, as RequestLog keeps
// it.
type LoggedRequest struct {
	Method string
	Path   string
	Query  url.Values
	Header http.Header
	// Body is the request body (nil for multipart and for bodies over
	// 16 KiB).
	Body []byte
}

// Form decodes Body as a form (nil when it is not one).
func (r LoggedRequest) Form() url.Values {
	v, err := url.ParseQuery(string(r.Body))
	if err != nil {
		return nil
	}
	return v
}

// maxLoggedRequests and maxLoggedBody bound the request log (to 16 MiB);
// older entries are dropped.
const (
	maxLoggedRequests = 1024
	maxLoggedBody     = 16 << 10
)

// familyState is the server's family behaviour, request log and outage.
type familyState struct {
	mu   sync.Mutex
	log  []LoggedRequest
	down bool
}

// RequestLog returns the requests received so far (the newest 1024), in
// order, so tests can check exactly what a client sent.
func (s *Server) RequestLog() []LoggedRequest {
	s.fam.mu.Lock()
	defer s.fam.mu.Unlock()
	return append([]LoggedRequest(nil), s.fam.log...)
}

// ClearRequestLog forgets the logged requests.
func (s *Server) ClearRequestLog() {
	s.fam.mu.Lock()
	s.fam.log = nil
	s.fam.mu.Unlock()
}

// GoAway makes the server unreachable, as a server being restarted is:
// open streams are cut and every new connection is closed without an
// answer until ComeBack. State (accounts, statuses, tokens) is kept.
func (s *Server) GoAway() {
	s.fam.mu.Lock()
	s.fam.down = true
	s.fam.mu.Unlock()
	s.DropStreams()
}

// ComeBack ends a GoAway.
func (s *Server) ComeBack() {
	s.fam.mu.Lock()
	s.fam.down = false
	s.fam.mu.Unlock()
}

// familyHandler wraps the server's handler with the request log, the
// outage switch and the family's differences.
func (s *Server) familyHandler(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.fam.mu.Lock()
		down := s.fam.down
		s.fam.mu.Unlock()
		if down {
			if hj, ok := w.(http.Hijacker); ok {
				if conn, _, err := hj.Hijack(); err == nil {
					if tc, ok := conn.(*net.TCPConn); ok {
						_ = tc.SetLinger(0)
					}
					_ = conn.Close()
					return
				}
			}
			http.Error(w, "down", http.StatusServiceUnavailable)
			return
		}
		body := s.logRequest(r)
		if s.cfg.family == FamilyGoToSocial {
			if s.gotosocial(w, r, body, next) {
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}

// logRequest records r and returns its body (r.Body is replaced by a
// reader of the same bytes).
func (s *Server) logRequest(r *http.Request) []byte {
	var body []byte
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if r.Body != nil && ct != "multipart/form-data" {
		b, err := io.ReadAll(io.LimitReader(r.Body, maxLoggedBody+1))
		if err == nil && len(b) <= maxLoggedBody {
			body = b
			r.Body = io.NopCloser(bytes.NewReader(b))
		} else {
			r.Body = struct {
				io.Reader
				io.Closer
			}{io.MultiReader(bytes.NewReader(b), r.Body), r.Body}
		}
	}
	q := r.URL.Query()
	s.fam.mu.Lock()
	if len(s.fam.log) >= maxLoggedRequests {
		s.fam.log = append(s.fam.log[:0], s.fam.log[1:]...)
	}
	s.fam.log = append(s.fam.log, LoggedRequest{Method: r.Method, Path: r.URL.Path, Query: q, Header: r.Header.Clone(), Body: body})
	s.fam.mu.Unlock()
	return body
}

// gotosocial answers where GoToSocial differs from Mastodon; it reports
// whether it answered.
func (s *Server) gotosocial(w http.ResponseWriter, r *http.Request, body []byte, next http.Handler) bool {
	r.Header.Del("Idempotency-Key")
	p := strings.TrimRight(r.URL.Path, "/")
	switch {
	case r.Method == http.MethodPost && p == "/oauth/token":
		if tokenFormValue(r, body, "redirect_uri") == "" {
			writeJSON(w, http.StatusBadRequest, map[string]string{"error": "invalid_request",
				"error_description": "Bad Request: redirect_uri was not set in the token request form"}, nil)
			return true
		}
	case r.Method == http.MethodGet && strings.HasPrefix(p, "/api/v1/streaming/") && p != "/api/v1/streaming/health":
		writeJSON(w, http.StatusNotFound, map[string]string{"error": "Not Found"}, nil)
		return true
	case r.Method == http.MethodGet && p == "/api/v1/timelines/public" && bearer(r) == "":
		writeJSON(w, http.StatusUnauthorized, map[string]string{"error": "Unauthorized: not authorized"}, nil)
		return true
	case r.Method == http.MethodGet && (p == "/api/v1/instance" || p == "/api/v2/instance"):
		s.rewriteJSON(w, r, next, func(m map[string]any) {
			delete(m, "api_versions")
			if conf, ok := m["configuration"].(map[string]any); ok {
				delete(conf, "timelines_access")
			}
			m["account_domain"] = strings.TrimPrefix(s.URL, "http://")
		})
		return true
	case r.Method == http.MethodGet && p == "/.well-known/nodeinfo":
		_, port, _ := net.SplitHostPort(strings.TrimPrefix(s.URL, "http://"))
		writeJSON(w, http.StatusOK, map[string]any{"links": []map[string]string{{
			"rel": "http://nodeinfo.diaspora.software/ns/schema/2.0", "href": "http://localhost:" + port + "/nodeinfo/2.0"}}}, nil)
		return true
	case r.Method == http.MethodGet && p == "/nodeinfo/2.0":
		s.rewriteJSON(w, r, next, func(m map[string]any) {
			m["software"] = map[string]any{"name": "gotosocial", "version": s.cfg.version}
		})
		return true
	}
	return false
}

// tokenFormValue reads a token request's field from its form or JSON body.
func tokenFormValue(r *http.Request, body []byte, key string) string {
	if v := r.URL.Query().Get(key); v != "" {
		return v
	}
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if ct == "application/json" {
		var m map[string]any
		if json.Unmarshal(body, &m) == nil {
			if v, ok := m[key].(string); ok {
				return v
			}
		}
		return ""
	}
	v, _ := url.ParseQuery(string(body))
	return v.Get(key)
}

// rewriteJSON serves r with next and lets edit change a JSON object answer.
func (s *Server) rewriteJSON(w http.ResponseWriter, r *http.Request, next http.Handler, edit func(map[string]any)) {
	rec := &recorder{header: http.Header{}} // controls.go
	next.ServeHTTP(rec, r)
	out := rec.buf.Bytes()
	var m map[string]any
	if rec.code/100 == 2 || rec.code == 0 {
		if json.Unmarshal(out, &m) == nil {
			edit(m)
			if b, err := json.Marshal(m); err == nil {
				out = b
			}
		}
	}
	for k, v := range rec.header {
		w.Header()[k] = v
	}
	w.Header().Del("Content-Length")
	if rec.code == 0 {
		rec.code = http.StatusOK
	}
	w.WriteHeader(rec.code)
	_, _ = w.Write(out)
}

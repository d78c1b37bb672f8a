package mastodon

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"sync"

	"github.com/tuskgo/mastodon/internal/corpus"
	"github.com/tuskgo/mastodon/mastodontest"

	"github.com/tuskgo/mastodon/webpush"
)

// The suite-wide secret scan watches the library the way a user could:
// through the logger (WithLogger) and HTTP client (WithHTTPClient) a test
// client is built with (newScannedClient, watched), slog's default logger
// (TestMain), and the errors tests get back from calls (seeErr). A client
// logs each failed call at debug level with its error, so the scan sees
// every error a scanned client's call returns; the transport teaches it
// the credentials that go over the wire. Each text is checked at once and,
// unless fuzzing, kept for a last check at the end of the run against
// every secret registered by then.

// testSecrets are the secret values tests hand to the library or have
// servers send to it. No error or log record of this package's tests may
// contain one. Values issued at run time (mastodontest tokens, generated
// keys, corpus credentials) are added with registerSecret.
var testSecrets = []string{
	// Access tokens.
	testToken, "tok-abcdef123", "file-token", "replay-token", "other-token-1", "t0ken",
	"NEWTOKEN", "APPTOKEN", "new-token", "s3cr3t-token-value", "tok-SECRET",
	// Refresh tokens.
	"rt-1",
	// Client secrets.
	"csecret-SECRET", "sec-xyz987", "sec-SECRET", "CSECRET", "bzUzjTT", "bzUz",
	// Passwords.
	"pw-SECRET", "hunter2hunter2",
	// Authorization codes and PKCE verifiers.
	"code-SECRET", "authcode-SECRET", "the-code", "verifier-SECRET", "the-verifier",
	// Other secrets tests plant in requests and answers.
	"q-SECRET", "c-SECRET", "leak-me-not",
}

// minSecretLen keeps registered secrets long enough not to match by chance.
const minSecretLen = 4

// secretScan collects what the suite saw and the leaks in it.
type secretScan struct {
	mu       sync.Mutex
	secrets  []string            // every secret, canaries too
	known    map[string]bool     // set of secrets
	canaries map[string][]string // canary secret -> texts that held it
	retain   bool                // keep texts for the final check
	texts    map[string]string   // distinct text -> what it was ("an error", "a log record")
	leaks    map[string]bool     // report lines
	errors   int                 // errors observed
	records  int                 // log records observed
}

func newSecretScan(secrets ...string) *secretScan {
	s := &secretScan{known: map[string]bool{}, canaries: map[string][]string{},
		texts: map[string]string{}, leaks: map[string]bool{}}
	for _, sec := range secrets {
		s.register(sec)
	}
	return s
}

// suiteScan is the scan TestMain wires up.
var suiteScan = newSecretScan(testSecrets...)

func (s *secretScan) register(sec string) {
	if len(sec) < minSecretLen {
		panic(fmt.Sprintf("secret %q is too short to scan for", sec))
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.known[sec] {
		s.known[sec] = true
		s.secrets = append(s.secrets, sec)
	}
}

// leaked lists the registered secrets (canaries included) that text holds.
func (s *secretScan) leaked(text string) []string {
	s.mu.Lock()
	secrets := s.secrets
	s.mu.Unlock()
	var out []string
	for _, sec := range secrets {
		if strings.Contains(text, sec) {
			out = append(out, sec)
		}
	}
	return out
}

// leakedNotCanary is leaked without the canaries.
func (s *secretScan) leakedNotCanary(text string) []string {
	found := s.leaked(text)
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.DeleteFunc(found, func(sec string) bool { _, ok := s.canaries[sec]; return ok })
}

// see checks one rendered error or record now, and keeps it for the end.
func (s *secretScan) see(kind, text string) {
	found := s.leaked(text)
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.retain {
		s.texts[text] = kind
	}
	s.report(kind, text, found)
}

// report files what leaked: canaries to their test, the rest as leaks.
// s.mu is held.
func (s *secretScan) report(kind, text string, found []string) {
	for _, sec := range found {
		if hits, ok := s.canaries[sec]; ok {
			if !slices.Contains(hits, text) {
				s.canaries[sec] = append(hits, text)
			}
			continue
		}
		s.leaks[fmt.Sprintf("secret %q appears in %s: %s", sec, kind, text)] = true
	}
}

// seeError scans the forms an error is printed in.
func (s *secretScan) seeError(err error) {
	s.mu.Lock()
	s.errors++
	s.mu.Unlock()
	s.see("an error", err.Error())
	s.see("an error (%+v)", fmt.Sprintf("%+v", err))
	s.see("an error (%#v)", fmt.Sprintf("%#v", err))
}

// finish checks the kept texts again with every secret registered by now
// (a token issued after an error was seen still counts) and returns the
// leak reports, sorted.
func (s *secretScan) finish() []string {
	s.mu.Lock()
	texts := maps.Clone(s.texts)
	s.mu.Unlock()
	for text, kind := range texts {
		found := s.leaked(text)
		s.mu.Lock()
		s.report(kind, text, found)
		s.mu.Unlock()
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Sorted(maps.Keys(s.leaks))
}

func (s *secretScan) counts() (errors, records int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.errors, s.records
}

// seeErr shows an error a call returned to the suite scan, and returns it.
func seeErr(err error) error {
	if err != nil {
		suiteScan.seeError(err)
	}
	return err
}

// leakedSecrets lists the test secrets that s contains.
func leakedSecrets(s string) []string { return suiteScan.leaked(s) }

// registerSecret adds secrets issued while the suite runs (tokens from
// mastodontest, generated keys) to the scan.
func registerSecret(secrets ...string) {
	for _, sec := range secrets {
		suiteScan.register(sec)
	}
}

// registerSecretBytes registers a binary secret in the encodings it could
// be printed in.
func registerSecretBytes(b []byte) {
	registerSecret(base64.RawURLEncoding.EncodeToString(b), base64.StdEncoding.EncodeToString(b), hex.EncodeToString(b))
}

// registerPushKeys registers a receiver's private key and auth secret.
func registerPushKeys(k *webpush.Keys) {
	registerSecretBytes(k.PrivateKeyBytes())
	registerSecretBytes(k.AuthSecretBytes())
}

// mtUser creates a mastodontest user and registers its token.
func mtUser(srv *mastodontest.Server, username string, opts ...mastodontest.AccountOption) (mastodontest.Account, string) {
	a, tok := srv.CreateUser(username, opts...)
	registerSecret(tok)
	return a, tok
}

var (
	corpusSecretKeys = []string{"client_secret", "password", "code", "code_verifier", "refresh_token", "token", "access_token"}
	corpusSecretJSON = regexp.MustCompile(`"(?:access_token|refresh_token|client_secret)"\s*:\s*"([^"]+)"`)
)

// registerCorpusSecrets registers the credentials a recorded interaction
// carries: secret form fields of the request and token members of the
// answer. Short values (language codes share the name "code") are left out.
func registerCorpusSecrets(it *corpus.Interaction) {
	add := func(v string) {
		if len(v) >= 8 {
			registerSecret(v)
		}
	}
	for _, k := range corpusSecretKeys {
		for _, v := range rforms(it, k) {
			add(v)
		}
	}
	for _, m := range corpusSecretJSON.FindAllStringSubmatch(string(it.Response.Body.JSON), -1) {
		add(m[1])
	}
}

// scanHandler renders every record (whatever the level) to the scan and
// passes those the wrapped handler wants on to it.
type scanHandler struct {
	scan *secretScan
	next slog.Handler
	text slog.Handler // renders attributes and groups as a text line
}

func newScanHandler(scan *secretScan, next slog.Handler) slog.Handler {
	if next == nil {
		next = slog.DiscardHandler
	}
	w := scanWriter{scan}
	return &scanHandler{scan: scan, next: next, text: slog.NewTextHandler(w, &slog.HandlerOptions{Level: slog.Level(-1 << 20)})}
}

func (h *scanHandler) Enabled(context.Context, slog.Level) bool { return true }

func (h *scanHandler) Handle(ctx context.Context, r slog.Record) error {
	h.scan.mu.Lock()
	h.scan.records++
	h.scan.mu.Unlock()
	// An error logged as a value (a failed call's) is scanned in each of
	// its printed forms, as errors a test gets back are.
	var see func(a slog.Attr) bool
	see = func(a slog.Attr) bool {
		switch v := a.Value.Resolve(); v.Kind() {
		case slog.KindGroup:
			for _, g := range v.Group() {
				see(g)
			}
		case slog.KindAny:
			if err, ok := v.Any().(error); ok {
				h.scan.seeError(err)
			}
		}
		return true
	}
	r.Attrs(see)
	if err := h.text.Handle(ctx, r.Clone()); err != nil {
		return err
	}
	if h.next.Enabled(ctx, r.Level) {
		return h.next.Handle(ctx, r)
	}
	return nil
}

func (h *scanHandler) WithAttrs(as []slog.Attr) slog.Handler {
	return &scanHandler{scan: h.scan, next: h.next.WithAttrs(as), text: h.text.WithAttrs(as)}
}

func (h *scanHandler) WithGroup(name string) slog.Handler {
	return &scanHandler{scan: h.scan, next: h.next.WithGroup(name), text: h.text.WithGroup(name)}
}

// scanWriter receives the text handler's output, one record per Write.
type scanWriter struct{ scan *secretScan }

func (w scanWriter) Write(p []byte) (int, error) {
	w.scan.see("a log record", string(p))
	return len(p), nil
}

// watched returns opts with the suite scan watching the client they make:
// its logger wraps the one opts choose (records go on to it), and its HTTP
// client's transport wraps theirs (the library's default one when they
// choose none). A transport that turns gzip off is left as it is: the
// library asks for gzip itself unless the transport is one that was told
// not to.
func watched(opts ...Option) []Option {
	var cfg config
	for _, o := range opts {
		if o != nil {
			_ = o(&cfg) // a bad option fails NewClient itself
		}
	}
	var next slog.Handler
	if cfg.logger != nil {
		next = cfg.logger.Handler()
	}
	out := append(slices.Clone(opts), WithLogger(slog.New(newScanHandler(suiteScan, next))))
	hc := &http.Client{Transport: defaultTransport()}
	if cfg.httpClient != nil {
		cp := *cfg.httpClient
		hc = &cp
	}
	if t, ok := hc.Transport.(*http.Transport); ok && t.DisableCompression {
		return out
	}
	rt := hc.Transport
	if rt == nil {
		rt = http.DefaultTransport
	}
	hc.Transport = &scanTransport{scan: suiteScan, next: rt}
	return append(out, WithHTTPClient(hc))
}

// newScannedClient is NewClient with the suite scan watching the client.
// Tests build their clients with it (TestClientsAreScanned).
func newScannedClient(server string, opts ...Option) (*Client, error) {
	return NewClient(server, watched(opts...)...)
}

// minLearnedLen keeps values learned from the wire long enough to be
// credentials and not words ("alice", "token") that errors quote anyway.
const minLearnedLen = 12

// scanTransport passes requests on, and registers the credentials it sees
// go by: bearer tokens (also as a WebSocket subprotocol), secret form
// fields of requests, and the tokens and client secrets of answers to
// token grants, app registrations and sign-ups.
type scanTransport struct {
	scan *secretScan
	next http.RoundTripper
}

func (t *scanTransport) learn(v string) {
	if len(v) >= minLearnedLen {
		t.scan.register(v)
	}
}

func (t *scanTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer "); ok {
		t.learn(tok)
	}
	if p := r.Header.Get("Sec-WebSocket-Protocol"); p != "" {
		t.learn(p)
	}
	if r.GetBody != nil && strings.HasPrefix(r.Header.Get("Content-Type"), "application/x-www-form-urlencoded") {
		if b, err := r.GetBody(); err == nil {
			data, _ := io.ReadAll(io.LimitReader(b, 1<<20))
			b.Close()
			if q, err := url.ParseQuery(string(data)); err == nil {
				for _, k := range corpusSecretKeys {
					for _, v := range q[k] {
						t.learn(v)
					}
				}
			}
		}
	}
	resp, err := t.next.RoundTrip(r)
	if err != nil || r.Method != http.MethodPost || !secretAnswerPaths[strings.TrimSuffix(r.URL.Path, "/")] ||
		!strings.Contains(resp.Header.Get("Content-Type"), "json") {
		return resp, err
	}
	// A small JSON answer that may hold a new credential: read it, learn
	// what it holds, and hand on the same bytes (and the same read error).
	data, rerr := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	resp.Body.Close()
	for _, m := range corpusSecretJSON.FindAllStringSubmatch(string(data), -1) {
		t.learn(m[1])
	}
	var rest io.Reader = strings.NewReader("")
	if rerr != nil {
		rest = errReader{rerr}
	}
	resp.Body = io.NopCloser(io.MultiReader(bytes.NewReader(data), rest))
	return resp, nil
}

// errReader fails every read with err.
type errReader struct{ err error }

func (e errReader) Read([]byte) (int, error) { return 0, e.err }

// secretAnswerPaths are the endpoints whose answers issue credentials.
var secretAnswerPaths = map[string]bool{"/oauth/token": true, "/api/v1/apps": true, "/api/v1/accounts": true}

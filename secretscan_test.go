package mastodon

import (
	"context"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"log/slog"
	"maps"
	"regexp"
	"slices"
	"strings"
	"sync"

	"github.com/tuskgo/mastodon/internal/corpus"
	"github.com/tuskgo/mastodon/mastodontest"

	"github.com/tuskgo/mastodon/webpush"
)

// The suite-wide secret scan. TestMain routes every error the library
// makes or hands back (observeError) and every slog record any client or
// the default logger makes (wrapLogHandler, slog.SetDefault) through
// suiteScan; each text is checked at once and, unless fuzzing, kept for a
// last check at the end of the run against every secret registered by then.

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

// observeError is the observeError hook: it scans the forms an error is
// printed in.
func (s *secretScan) observeError(err error) {
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

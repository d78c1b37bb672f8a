package mastodon

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"github.com/tuskgo/mastodon/webpush"
)

// Tests of the secret scan itself: that it reports what it should, that
// the errors and records of scanned clients reach it, and that errors made
// where no client logs them (credential files, push, streams, decoding)
// reach it from the tests that get them back.

// newCanary registers a fresh secret whose sightings the suite scan files
// under the calling test instead of failing the run. hits returns the
// texts it was seen in so far.
func newCanary(t *testing.T) (canary string, hits func() []string) {
	t.Helper()
	var b [8]byte
	rand.Read(b[:])
	canary = "canary-" + hex.EncodeToString(b[:])
	suiteScan.mu.Lock()
	suiteScan.canaries[canary] = []string{}
	suiteScan.mu.Unlock()
	suiteScan.register(canary)
	return canary, func() []string {
		suiteScan.mu.Lock()
		defer suiteScan.mu.Unlock()
		return slices.Clone(suiteScan.canaries[canary])
	}
}

// wantSeen fails unless the scan saw text (an error's message, say).
func wantSeen(t *testing.T, hits []string, text string) {
	t.Helper()
	if !slices.Contains(hits, text) {
		t.Errorf("the secret scan did not see %q; it saw %q", text, hits)
	}
}

// wantSeenLike fails unless the scan saw a text holding every part.
func wantSeenLike(t *testing.T, hits []string, parts ...string) {
	t.Helper()
	for _, h := range hits {
		ok := true
		for _, p := range parts {
			ok = ok && strings.Contains(h, p)
		}
		if ok {
			return
		}
	}
	t.Errorf("the secret scan saw no text holding %q; it saw %q", parts, hits)
}

// printsSecret is an error whose message is clean but whose %+v is not.
type printsSecret struct{ secret string }

func (e printsSecret) Error() string { return "clean" }
func (e printsSecret) Format(f fmt.State, verb rune) {
	if f.Flag('+') {
		io.WriteString(f, "detail "+e.secret)
		return
	}
	io.WriteString(f, e.Error())
}

func TestSecretScanReports(t *testing.T) {
	s := newSecretScan("alpha-SECRET")
	s.retain = true
	s.see("an error", "nothing to see")
	s.see("an error", "boom alpha-SECRET")
	s.see("a log record", "early beta-SECRET") // registered only later
	s.register("beta-SECRET")
	s.seeError(printsSecret{"alpha-SECRET"})
	s.canaries["gamma-canary"] = []string{}
	s.register("gamma-canary")
	s.see("an error", "expected gamma-canary")

	got := s.finish()
	want := []string{
		`secret "alpha-SECRET" appears in an error (%+v): detail alpha-SECRET`,
		`secret "alpha-SECRET" appears in an error: boom alpha-SECRET`,
		`secret "beta-SECRET" appears in a log record: early beta-SECRET`,
	}
	if !slices.Equal(got, want) {
		t.Errorf("reports:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if h := s.canaries["gamma-canary"]; !slices.Equal(h, []string{"expected gamma-canary"}) {
		t.Errorf("canary hits = %q", h)
	}
	if e, _ := s.counts(); e != 1 {
		t.Errorf("errors counted = %d, want 1", e)
	}
	if l := s.leaked("x alpha-SECRET y beta-SECRET"); !slices.Equal(l, []string{"alpha-SECRET", "beta-SECRET"}) {
		t.Errorf("leaked = %q", l)
	}
	if l := s.leaked("alpha-SECRE"); l != nil {
		t.Errorf("leaked(partial) = %q", l)
	}

	// Without retain (fuzzing), texts are checked as they come only.
	f := newSecretScan("alpha-SECRET")
	f.see("an error", "late delta-SECRET")
	f.register("delta-SECRET")
	if got := f.finish(); len(got) != 0 || len(f.texts) != 0 {
		t.Errorf("a scan that keeps nothing reported %q, kept %d texts", got, len(f.texts))
	}
}

func TestSecretScanKnowsTheSuiteSecrets(t *testing.T) {
	for _, sec := range []string{testToken, "csecret-SECRET", "pw-SECRET", "code-SECRET", "verifier-SECRET", "rt-1", "hunter2hunter2", "sec-xyz987", "leak-me-not"} {
		if l := leakedSecrets("…" + sec + "…"); !slices.Contains(l, sec) {
			t.Errorf("leakedSecrets misses %q", sec)
		}
	}
	if l := leakedSecrets("mastodon: GET /api/v1/accounts/1: 404 Not Found: Record not found"); l != nil {
		t.Errorf("a plain error matches %q", l)
	}
	defer func() {
		if recover() == nil {
			t.Error("registering a secret of 3 characters did not panic")
		}
	}()
	registerSecret("abc")
}

type valuer struct{ v string }

func (v valuer) LogValue() slog.Value { return slog.StringValue(v.v) }

func TestScanHandlerRendersRecords(t *testing.T) {
	s := newSecretScan("delta-SECRET")
	s.retain = true
	var out bytes.Buffer
	l := slog.New(newScanHandler(s, slog.NewTextHandler(&out, nil))) // Info and up
	l.WithGroup("req").With("n", 1).Debug("quiet", slog.Group("auth", "token", valuer{"delta-SECRET"}))
	l.Info("loud", "k", "v")
	slog.New(newScanHandler(s, nil)).Debug("nil handler", "x", "delta-SECRET")

	got := s.finish()
	if len(got) != 2 || !strings.Contains(got[0]+got[1], "req.n=1 req.auth.token=delta-SECRET") || !strings.Contains(got[0]+got[1], `msg="nil handler" x=delta-SECRET`) {
		t.Errorf("reports = %q", got)
	}
	if _, n := s.counts(); n != 3 {
		t.Errorf("records counted = %d, want 3", n)
	}
	if o := out.String(); strings.Contains(o, "quiet") || !strings.Contains(o, "loud") {
		t.Errorf("the wrapped handler got %q; want only the Info record", o)
	}
}

func TestSecretScanSeesCredentialAndFileErrors(t *testing.T) {
	dir := t.TempDir()
	cases := map[string]func(p string) error{
		// Package credfile's own errors are checked in its tests.
		"NewClientFromFiles": func(p string) error { _, err := NewClientFromFiles(p, ""); return err },
		"FileFromPath":       func(p string) error { _, _, err := FileFromPath(p); return err },
		"Media.UploadPath": func(p string) error {
			c, err := newScannedClient("example.org", WithAccessToken(testToken))
			if err != nil {
				return err
			}
			_, err = c.Media.UploadPath(context.Background(), p, nil)
			return err
		},
	}
	for name, f := range cases {
		t.Run(name, func(t *testing.T) {
			canary, _ := newCanary(t)
			// A directory that does not exist, named by the canary: the
			// error quotes the path. No client logs it: the test shows it
			// to the scan.
			err := seeErr(f(filepath.Join(dir, canary, "file")))
			if err == nil || !strings.Contains(err.Error(), canary) {
				t.Fatalf("err = %v, want one naming the path", err)
			}
		})
	}
}

// canaryServer answers every request with status and a body naming the
// canary.
func canaryServer(t *testing.T, status int, canary string) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		fmt.Fprintf(w, `{"error":"bad thing %s"}`, canary)
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

func TestSecretScanSeesStreamingErrors(t *testing.T) {
	checkGoroutines(t)
	ctx := context.Background()
	sse := &StreamOptions{Transport: TransportSSE, NoReconnect: true}

	t.Run("handshake", func(t *testing.T) {
		canary, _ := newCanary(t)
		u := canaryServer(t, http.StatusForbidden, canary)
		c, _ := newScannedClient(u, WithAccessToken(testToken), WithStreamingURL(u))
		_, err := c.Streaming.User(ctx, sse)
		if seeErr(err) == nil || !strings.Contains(err.Error(), canary) {
			t.Fatalf("err = %v", err)
		}
	})

	// Health goes through the path of every call, which logs its failure.
	t.Run("health", func(t *testing.T) {
		canary, hits := newCanary(t)
		u := canaryServer(t, http.StatusServiceUnavailable, canary)
		c, _ := newScannedClient(u, WithStreamingURL(u))
		err := c.Streaming.Health(ctx)
		if err == nil || !strings.Contains(err.Error(), canary) {
			t.Fatalf("err = %v", err)
		}
		wantSeen(t, hits(), err.Error())
	})

	// A malformed event is logged as it is delivered; Subscribe's error
	// only comes back.
	t.Run("delivered", func(t *testing.T) {
		canary, hits := newCanary(t)
		mux := http.NewServeMux()
		mux.HandleFunc("/api/v1/streaming/user", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/event-stream")
			fmt.Fprintf(w, "event: update\ndata: {\"id\": %s\n\n", canary)
			w.(http.Flusher).Flush()
			<-r.Context().Done()
		})
		mux.HandleFunc("/api/v1/streaming/hashtag", func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(http.StatusUnauthorized)
			fmt.Fprintf(w, `{"error":"no %s"}`, canary)
		})
		srv := httptest.NewServer(mux)
		defer srv.Close()
		c, _ := newScannedClient(srv.URL, WithAccessToken(testToken), WithStreamingURL(srv.URL))
		st, err := c.Streaming.User(ctx, sse)
		if err != nil {
			t.Fatal(err)
		}
		serr := seeErr(st.Subscribe(ctx, Subscription{Stream: StreamHashtag, Tag: "x"}))
		if serr == nil || !strings.Contains(serr.Error(), canary) {
			t.Errorf("Subscribe: %v", serr)
		}
		for _, err := range st.Events() {
			if err == nil || !strings.Contains(err.Error(), canary) {
				t.Fatalf("first event: %v, want the malformed one", err)
			}
			wantSeen(t, hits(), err.Error())
			break
		}
		st.Close()
	})
}

type failingSource struct{ msg string }

func (f failingSource) Token() (*oauth2.Token, error) { return nil, errors.New(f.msg) }

func TestSecretScanSeesOAuthAndDecodeErrors(t *testing.T) {
	// The token source fails inside a call, which logs its failure;
	// Revoke asks it before the call, and gets the error back.
	t.Run("token source", func(t *testing.T) {
		canary, hits := newCanary(t)
		c, _ := newScannedClient("example.org", WithClientCredentials("cid", "csecret-SECRET"), WithTokenSource(failingSource{"source down near " + canary}))
		_, err := c.Accounts.VerifyCredentials(context.Background())
		if err == nil || !strings.Contains(err.Error(), canary) {
			t.Fatalf("err = %v", err)
		}
		wantSeen(t, hits(), err.Error())
		if err := seeErr(c.OAuth.Revoke(context.Background(), "")); err == nil || !strings.Contains(err.Error(), canary) {
			t.Fatalf("Revoke: %v", err)
		}
	})
	t.Run("Unmarshal", func(t *testing.T) {
		canary, _ := newCanary(t)
		// Whether the message quotes the input is the decoder's business.
		if seeErr(Unmarshal([]byte(`{"id": `+canary+`}`), new(Status))) == nil {
			t.Fatal("malformed JSON decoded")
		}
	})
}

type iotestErr struct{ msg string }

func (e iotestErr) Read([]byte) (int, error) { return 0, errors.New(e.msg) }

func TestSecretScanSeesLogsOfEveryClient(t *testing.T) {
	// A client built without a logger of its own still logs to the scan:
	// the failed call with its error, and the retry before it.
	t.Run("client without a logger", func(t *testing.T) {
		canary, hits := newCanary(t)
		u := canaryServer(t, http.StatusServiceUnavailable, canary)
		c, _ := newScannedClient(u, WithAccessToken(testToken), WithRetryPolicy(RetryPolicy{MaxRetries: 1, MinBackoff: time.Millisecond, MaxBackoff: time.Millisecond}))
		_, err := c.Accounts.VerifyCredentials(context.Background())
		if !errors.Is(err, ErrServiceUnavailable) {
			t.Fatalf("err = %v", err)
		}
		wantSeen(t, hits(), err.Error())                             // the error
		wantSeenLike(t, hits(), `msg="mastodon retry"`, "attempt=1") // and the debug record
	})
	t.Run("default logger", func(t *testing.T) {
		canary, hits := newCanary(t)
		slog.Default().WithGroup("grp").Debug("hello", slog.Group("sub", "k", valuer{canary}))
		wantSeenLike(t, hits(), "grp.sub.k="+canary)
	})
}

// A token grant or app registration whose answer is cut short used to fail
// with a DecodeError quoting the start of the body: the new token or
// client secret. The scan found it; such errors now quote nothing.
func TestDecodeErrorsDoNotQuoteSecretAnswers(t *testing.T) {
	const tok, sec = "issued-token-SECRET-7f3a", "issued-client-secret-SECRET-9c1d"
	registerSecret(tok, sec)
	c, mux, _ := setup(t, WithClientCredentials("cid", "csecret-SECRET"))
	cut := func(body string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			fmt.Fprint(w, body[:len(body)-5])
		}
	}
	mux.HandleFunc("/oauth/token", cut(`{"access_token":"`+tok+`","token_type":"Bearer","scope":"read write follow push","created_at":1}`))
	mux.HandleFunc("/api/v1/accounts", cut(`{"access_token":"`+tok+`","token_type":"Bearer","scope":"read","created_at":1}`))
	mux.HandleFunc("/api/v1/apps", cut(`{"id":"3","name":"x","client_id":"cid","client_secret":"`+sec+`","client_secret_expires_at":0}`))
	mux.HandleFunc("/api/v1/accounts/1", cut(`{"id":"1","username":"alice","acct":"alice","display_name":"Alice"}`))
	ctx := context.Background()
	calls := map[string]func() error{
		"ExchangeCode": func() error { _, err := c.OAuth.ExchangeCode(ctx, "code-SECRET", "verifier-SECRET", nil); return err },
		"PasswordGrant": func() error {
			_, err := c.OAuth.PasswordGrant(ctx, "me@example.org", "pw-SECRET", nil)
			return err
		},
		"ClientCredentials": func() error { _, err := c.OAuth.ClientCredentials(ctx, nil); return err },
		"Register": func() error {
			_, err := c.Accounts.Register(ctx, &RegisterParams{Username: "bob", Email: "b@example.org", Password: "hunter2hunter2", Agreement: true})
			return err
		},
		"Apps.Create": func() error { _, err := c.Apps.Create(ctx, &CreateAppParams{ClientName: "x"}); return err },
	}
	for name, call := range calls {
		err := call()
		var de *DecodeError
		if !errors.As(err, &de) {
			t.Errorf("%s: err = %v, want a DecodeError", name, err)
			continue
		}
		for _, s := range []string{err.Error(), fmt.Sprintf("%+v", err), fmt.Sprintf("%#v", err)} {
			if l := leakedSecrets(s); l != nil {
				t.Errorf("%s: the error quotes %q: %s", name, l, s)
			}
		}
		if de.Snippet != "" {
			t.Errorf("%s: snippet %q", name, de.Snippet)
		}
	}
	// Other answers are still quoted, which is what makes them debuggable.
	_, err := c.Accounts.Get(ctx, "1")
	var de *DecodeError
	if !errors.As(err, &de) || !strings.Contains(de.Snippet, `"username":"alice"`) {
		t.Errorf("an account cut short: %v", err)
	}
}

// TestMastodontestTokensRegistered keeps tokens mastodontest issues in the
// scan: tests get them through mtUser, or register them on the next line.
// Example functions (package mastodon_test, shown to users by go doc) are
// the exception: they cannot reach the scan, their clients have no logger,
// and everything they print is compared in full with their // Output:
// comment, so a token in it fails the example.
func TestMastodontestTokensRegistered(t *testing.T) {
	files, err := filepath.Glob("*_test.go")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range files {
		if name == "secretscan_test.go" || name == "secretscan_paths_test.go" {
			continue
		}
		data, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(string(data), "\n")
		external := strings.Contains(string(data), "\npackage mastodon_test\n") || strings.HasPrefix(string(data), "package mastodon_test\n")
		inExample := false
		for i, l := range lines {
			if strings.HasPrefix(l, "func ") {
				inExample = external && strings.HasPrefix(l, "func Example")
			}
			if inExample && exampleHasOutput(lines, i) {
				continue
			}
			if !strings.Contains(l, ".CreateUser(") && !strings.Contains(l, ".CreateToken(") && !strings.Contains(l, ".CreateAppToken(") {
				continue
			}
			next := ""
			if i+1 < len(lines) {
				next = lines[i+1]
			}
			if !strings.Contains(l+next, "registerSecret(") {
				t.Errorf("%s:%d: a mastodontest token the secret scan does not know; use mtUser or registerSecret", name, i+1)
			}
		}
	}
}

// exampleHasOutput reports whether the function holding line i ends with
// an // Output: comment (an example go test runs and checks).
func exampleHasOutput(lines []string, i int) bool {
	for ; i < len(lines) && lines[i] != "}"; i++ {
		if strings.Contains(lines[i], "// Output:") {
			return true
		}
	}
	return false
}

// TestClientsAreScanned keeps every client of this package's tests under
// the scan: they are built with newScannedClient, never NewClient itself.
func TestClientsAreScanned(t *testing.T) {
	files, err := filepath.Glob("*_test.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	for _, name := range files {
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		if f.Name.Name != "mastodon" {
			continue // examples: what users write
		}
		ast.Inspect(f, func(n ast.Node) bool {
			if fn, ok := n.(*ast.FuncDecl); ok && fn.Name.Name == "newScannedClient" {
				return false
			}
			if call, ok := n.(*ast.CallExpr); ok {
				if id, ok := call.Fun.(*ast.Ident); ok && id.Name == "NewClient" {
					t.Errorf("%s: NewClient builds a client the secret scan does not watch; use newScannedClient", fset.Position(call.Pos()))
				}
			}
			return true
		})
	}
}

// The scanned transport registers the credentials it sees go by: the
// token a request carries, secret form fields, and what a token grant
// answers. Values too short to be credentials are left alone.
func TestScanTransportLearnsCredentials(t *testing.T) {
	var b [6]byte
	rand.Read(b[:])
	sent, issued, form := "sent-token-"+hex.EncodeToString(b[:]), "issued-token-"+hex.EncodeToString(b[:]), "a-password-"+hex.EncodeToString(b[:])
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"access_token":%q,"token_type":"Bearer","scope":"read","created_at":1}`, issued)
	}))
	defer srv.Close()
	known := func(sec string) bool {
		suiteScan.mu.Lock()
		defer suiteScan.mu.Unlock()
		return suiteScan.known[sec]
	}
	c, err := newScannedClient(srv.URL, WithAccessToken(sent), WithClientCredentials("cid", "csecret-SECRET"), WithRetryPolicy(RetryPolicy{}))
	if err != nil {
		t.Fatal(err)
	}
	c.Accounts.VerifyCredentials(context.Background()) // sends the token; the answer does not matter
	tok, err := c.OAuth.PasswordGrant(context.Background(), "me@example.org", form, &TokenParams{Scopes: []string{"read"}})
	if err != nil || tok.AccessToken != issued {
		t.Fatalf("grant: %v, %v (the answer must reach the client whole)", tok, err)
	}
	for _, sec := range []string{sent, issued, form} {
		if !known(sec) {
			t.Errorf("the scan did not learn %q", sec)
		}
	}
	short, _ := newScannedClient(srv.URL, WithAccessToken("shorttok"))
	short.Accounts.VerifyCredentials(context.Background())
	if known("shorttok") {
		t.Error("the scan learned an 8-character token")
	}
}

// TestSecretScanSeesErrorsMadeAfterTheCall: errors made after a call's
// request (checking or decoding what came back) or outside any client
// reach no client's log; the tests that get them back show them to the
// scan. One of each kind here, from a server that echoes the request's
// secrets wherever it can.
func TestSecretScanSeesErrorsMadeAfterTheCall(t *testing.T) {
	c, mux, _ := setup(t, WithClientCredentials("cid", "csecret-SECRET"))
	echo := testToken + " csecret-SECRET"
	mux.HandleFunc("/oauth/token", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `{"access_token":"granted-SECRET-4e1c9b","token_type":"Bearer","scope":"read","created_at":1}`)
	})
	mux.HandleFunc("/.well-known/nodeinfo", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, `{"links":[{"rel":%q,"href":"x"}]}`, echo)
	})
	mux.HandleFunc("/api/v2/instance", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, `{"domain":"x","version":%q}`, echo)
	})
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		w.Header()["Date"] = nil // no Date: ServerTime has nothing to read
		w.Header().Set("X-Echo", echo)
	})
	registerSecret("granted-SECRET-4e1c9b")
	ctx := context.Background()
	calls := map[string]func() error{
		"scope check": func() error {
			_, err := c.OAuth.ClientCredentials(ctx, &TokenParams{Scopes: []string{"read", "write"}})
			return err
		},
		"NodeInfo links":   func() error { _, err := c.Instance.NodeInfo(ctx); return err },
		"instance version": func() error { _, err := c.ServerInfo(ctx); return err },
		"ServerTime":       func() error { _, err := c.ServerTime(ctx); return err },
		"Do nil":           func() error { return c.Do(nil, nil) },
		"Do body": func() error {
			r, err := c.NewRequest(ctx, "POST", "/api/v1/x", iotestErr{"body fails"})
			if err != nil {
				return err
			}
			return c.Do(r, nil)
		},
		"webpush.ParseKeys": func() error { _, err := webpush.ParseKeys("webpush-p256:" + echo + ":x"); return err },
	}
	for name, call := range calls {
		err := seeErr(call())
		if err == nil {
			t.Errorf("%s: no error", name)
			continue
		}
		for _, s := range []string{err.Error(), fmt.Sprintf("%+v", err), fmt.Sprintf("%#v", err)} {
			if l := leakedSecrets(s); l != nil {
				t.Errorf("%s: the error quotes %q: %s", name, l, s)
			}
		}
	}
}

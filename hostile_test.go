package mastodon

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/coder/websocket"
)

// The hostile-server suite: servers, proxies and links that try to lead
// the client's credentials elsewhere, make it wait forever, or make it
// quote secrets. The network is hostileNet's (hostile_harness_test.go).

const own = "https://mastodon.example"

// suiteSecrets are the credentials the suite's clients hold or send.
var suiteSecrets = []string{testToken, "csecret-SECRET", "pw-SECRET", "code-SECRET", "verifier-SECRET"}

func wantNoLeaks(t *testing.T, n *hostileNet, what string, owns ...string) {
	t.Helper()
	for _, l := range n.leaks(suiteSecrets, append(owns, own)...) {
		t.Errorf("%s: %s %s%s reached another origin carrying auth=%q subprotocol=%q body=%q",
			what, l.Method, l.Origin, l.Path, l.Auth, l.Subprotocol, l.Body)
	}
}

// TestHostileLinkReferences feeds a Link "next" cursor of every RFC 3986
// reference form. Those that resolve, against the request URL, to the
// client's own origin are followed there with their path and query; all
// others fail without sending anything anywhere (issue 18, point 1).
func TestHostileLinkReferences(t *testing.T) {
	cases := []struct {
		link string
		want string // the request the next page makes; "" when refused
	}{
		// Relative references that used to be pasted after the host.
		{"x@evil.example/steal?max_id=1", "/api/v1/timelines/x@evil.example/steal?max_id=1"},
		{".evil.example/steal?max_id=1", "/api/v1/timelines/.evil.example/steal?max_id=1"},
		{":8443@evil.example/steal", "!"}, // not a URL reference
		{"home?max_id=2", "/api/v1/timelines/home?max_id=2"},
		{"?max_id=3", "/api/v1/timelines/home?max_id=3"},
		{"/api/v1/timelines/home?max_id=4&min_id=1", "/api/v1/timelines/home?max_id=4&min_id=1"},
		// Dot segments are removed, and cannot climb above the root.
		{"../../v1/timelines/home?max_id=5", "/api/v1/timelines/home?max_id=5"},
		{"/../../../api/v1/timelines/home?max_id=6", "/api/v1/timelines/home?max_id=6"},
		{"./../timelines/./home?max_id=7", "/api/v1/timelines/home?max_id=7"},
		// Absolute references to the own origin, spelled differently.
		{"https://mastodon.example/api/v1/timelines/home?max_id=8", "/api/v1/timelines/home?max_id=8"},
		{"https://MASTODON.example:443/api/v1/timelines/home?max_id=9", "/api/v1/timelines/home?max_id=9"},
		{"HTTPS://mastodon.example/api/v1/timelines/home?max_id=10#frag", "/api/v1/timelines/home?max_id=10"},
		// Network-path references.
		{"//evil.example/api/v1/timelines/home?max_id=1", ""},
		{"//mastodon.example@evil.example/steal", ""},
		{"//mastodon.example.evil.example/steal", ""},
		// Userinfo tricks.
		{"https://mastodon.example@evil.example/steal", ""},
		{"https://mastodon.example:443@evil.example/steal", ""},
		{"https://evil.example@mastodon.example/api/v1/timelines/home", ""},
		{"https://evil.example%2F@mastodon.example/", ""},
		// Other origins.
		{"https://evil.example/api/v1/timelines/home?max_id=1", ""},
		{"https://mastodon.example.evil.example/api/v1/timelines/home", ""},
		{"https://mastodon.example:8443/api/v1/timelines/home?max_id=1", ""},
		{"http://mastodon.example/api/v1/timelines/home?max_id=1", ""},
		{"wss://mastodon.example/api/v1/timelines/home", ""},
		{"https:evil.example/steal", ""},
		{"javascript:alert(1)", ""},
	}
	n := newHostileNet(t)
	var link string
	n.handle(own, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Link", "<"+link+`>; rel="next"`)
		fmt.Fprint(w, `[{"id":"1"}]`)
	})
	c := n.hostileClient(own)
	ctx := context.Background()
	for _, tc := range cases {
		link = tc.link
		p, err := c.Timelines.Home(ctx, nil)
		if err != nil {
			t.Fatalf("%q: first page: %v", tc.link, err)
		}
		n.reset()
		_, err = p.Next(ctx)
		got := n.requests()
		wantNoLeaks(t, n, tc.link)
		if tc.want == "!" {
			if !errors.Is(err, ErrDecode) || len(got) != 0 {
				t.Errorf("%q: err %v, requests %+v; want a decode error and nothing sent", tc.link, err, got)
			}
			continue
		}
		if tc.want == "" {
			if err == nil || len(got) != 0 {
				t.Errorf("%q: followed (err %v, requests %+v), want refused", tc.link, err, got)
			}
			wantRefused(t, err, tc.link)
			continue
		}
		if err != nil || len(got) != 1 || got[0].Origin != own || got[0].Path != tc.want || got[0].Auth != "Bearer "+testToken {
			t.Errorf("%q: err %v, requests %+v; want one to %s%s", tc.link, err, got, own, tc.want)
		}
	}

	// The iterators stop at a refused cursor with its error.
	link = "//evil.example/api/v1/timelines/home?max_id=1"
	n.reset()
	var items int
	var iterErr error
	for _, err := range c.Timelines.HomeAll(ctx, nil) {
		if err != nil {
			iterErr = err
			break
		}
		items++
	}
	if items != 1 || iterErr == nil {
		t.Errorf("HomeAll: %d items, err %v; want the first page's item, then the refusal", items, iterErr)
	}
	wantNoLeaks(t, n, "HomeAll")
}

// TestHostileRedirects redirects every method with every redirect status
// to another host. A request carrying a token or a body is never followed
// there (the body would be re-sent on 307/308: client secrets, passwords,
// codes, direct messages); one carrying neither is (issue 18, point 3).
func TestHostileRedirects(t *testing.T) {
	n := newHostileNet(t)
	target := "https://evil.example/landing"
	n.handle(own, func(w http.ResponseWriter, r *http.Request) {
		code := 307
		fmt.Sscan(r.URL.Query().Get("redirect"), &code)
		http.Redirect(w, r, target, code)
	})
	n.handle("https://evil.example", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `{"id":"evil"}`)
	})
	c := n.hostileClient(own)
	ctx := context.Background()
	for _, method := range []string{"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"} {
		for _, code := range []int{301, 302, 303, 307, 308} {
			what := fmt.Sprintf("%s redirected by %d", method, code)
			n.reset()
			r := req{Method: method, Path: "/api/v1/x", Query: url.Values{"redirect": {fmt.Sprint(code)}}}
			if method != "GET" && method != "HEAD" && method != "DELETE" {
				r.Form = url.Values{"status": {"a direct message"}, "password": {"pw-SECRET"}}
			}
			err := callNoContent(ctx, c, r, nil)
			wantNoLeaks(t, n, what)
			wantRefused(t, err, what)
		}
	}

	// The OAuth calls, whose bodies are the credentials themselves.
	calls := map[string]func() error{
		"Revoke": func() error { return c.OAuth.Revoke(ctx, "") },
		"PasswordGrant": func() error {
			_, err := c.OAuth.PasswordGrant(ctx, "me@example.org", "pw-SECRET", nil)
			return err
		},
		"ExchangeCode": func() error {
			_, err := c.OAuth.ExchangeCode(ctx, "code-SECRET", "verifier-SECRET", nil)
			return err
		},
		"ClientCredentials": func() error { _, err := c.OAuth.ClientCredentials(ctx, nil); return err },
		"Statuses.Post": func() error {
			_, err := c.Statuses.Post(ctx, &PostStatusParams{Status: "psst", Visibility: VisibilityDirect})
			return err
		},
		"VerifyCredentials": func() error { _, err := c.Accounts.VerifyCredentials(ctx); return err },
	}
	for name, call := range calls {
		n.reset()
		err := call()
		wantNoLeaks(t, n, name)
		wantRefused(t, err, name)
	}

	// A request with neither token nor body may follow the server to
	// another name; it arrives there without credentials.
	anon, err := newScannedClient(own, WithHTTPClient(n.client()), WithRetryPolicy(RetryPolicy{}))
	if err != nil {
		t.Fatal(err)
	}
	for _, code := range []int{301, 302, 303, 307, 308} {
		n.reset()
		got, err := call[thing](ctx, anon, req{Method: "GET", Path: "/api/v1/x", Query: url.Values{"redirect": {fmt.Sprint(code)}}, Auth: authNone}, nil)
		if err != nil || got.ID != "evil" {
			t.Errorf("anonymous GET redirected by %d: %v %v, want followed", code, got, err)
		}
		wantNoLeaks(t, n, fmt.Sprintf("anonymous GET redirected by %d", code))
	}
}

// TestHostileRedirectsWithCallersClient: a client given with
// WithHTTPClient whose own CheckRedirect allows everything is held to the
// same rule, and its CheckRedirect still runs for redirects the rule
// allows.
func TestHostileRedirectsWithCallersClient(t *testing.T) {
	n := newHostileNet(t)
	n.handle(own, func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/api/v1/away":
			http.Redirect(w, r, "https://evil.example/api/v1/x", http.StatusTemporaryRedirect)
		case "/api/v1/here":
			http.Redirect(w, r, "/api/v1/x", http.StatusTemporaryRedirect)
		default:
			fmt.Fprint(w, `{"id":"own"}`)
		}
	})
	hc := n.client()
	var asked []string
	hc.CheckRedirect = func(r *http.Request, via []*http.Request) error {
		asked = append(asked, r.URL.String())
		return nil
	}
	c := n.hostileClient(own, WithHTTPClient(hc))
	ctx := context.Background()
	_, err := call[thing](ctx, c, req{Method: "POST", Path: "/api/v1/away", Form: url.Values{"status": {"x"}}}, nil)
	wantRefused(t, err, "caller's client, POST away")
	wantNoLeaks(t, n, "caller's client")
	got, err := call[thing](ctx, c, req{Method: "POST", Path: "/api/v1/here", Form: url.Values{"status": {"x"}}}, nil)
	if err != nil || got.ID != "own" {
		t.Errorf("same-origin 307: %v %v", got, err)
	}
	if len(asked) != 1 || asked[0] != own+"/api/v1/x" {
		t.Errorf("the caller's CheckRedirect saw %q, want the one allowed redirect", asked)
	}
}

// TestHostileStreamingHandshakeRedirect redirects the WebSocket and SSE
// handshakes to another host: neither the Authorization header nor the
// subprotocol that carries the token may follow (issue 18, point 2).
func TestHostileStreamingHandshakeRedirect(t *testing.T) {
	n := newHostileNet(t)
	n.handle(own, func(w http.ResponseWriter, r *http.Request) {
		switch {
		case strings.HasPrefix(r.URL.Path, "/api/v1/streaming"):
			http.Redirect(w, r, "https://evil.example"+r.URL.RequestURI(), http.StatusTemporaryRedirect)
		case strings.HasPrefix(r.URL.Path, "/api/v2/instance"):
			fmt.Fprint(w, `{"domain":"mastodon.example","configuration":{"urls":{"streaming":"wss://mastodon.example"}}}`)
		default:
			http.NotFound(w, r)
		}
	})
	n.handle("https://evil.example", func(w http.ResponseWriter, r *http.Request) {
		conn, err := websocket.Accept(w, r, &websocket.AcceptOptions{Subprotocols: []string{r.Header.Get("Sec-WebSocket-Protocol")}})
		if err == nil {
			conn.CloseNow()
		}
	})
	c := n.hostileClient(own)
	for _, tr := range []Transport{TransportWebSocket, TransportSSE} {
		n.reset()
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		st, err := c.Streaming.User(ctx, &StreamOptions{Transport: tr, MaxReconnects: 1})
		if err == nil {
			st.Close()
		}
		cancel()
		wantNoLeaks(t, n, "streaming over "+string(tr))
		wantRefused(t, err, "streaming over "+string(tr))
	}
}

// TestHostileStreamingHosts: the streaming host an instance advertises
// gets the token only when it is the server's own host or a subdomain of
// it that the public suffix list leaves to the same owner; an IP address
// only when identical; never wss downgraded to ws but on loopback (issue
// 18, point 4).
func TestHostileStreamingHosts(t *testing.T) {
	cases := []struct{ server, advertised, want string }{
		{"https://alice.github.io", "wss://evil.github.io", "https://alice.github.io"},
		{"https://alice.github.io", "wss://streaming.alice.github.io", "https://streaming.alice.github.io"},
		{"https://x.fly.dev", "wss://y.fly.dev", "https://x.fly.dev"},
		{"https://social.example.com", "wss://streaming.example.com", "https://social.example.com"},
		{"https://social.example.co.uk", "wss://example.co.uk", "https://social.example.co.uk"},
		{"https://example.co.uk", "wss://streaming.example.co.uk", "https://streaming.example.co.uk"},
		{"https://github.io", "wss://evil.github.io", "https://github.io"},
		{"https://mastodon.social", "wss://streaming.mastodon.social:4443", "https://streaming.mastodon.social:4443"},
		{"https://mastodon.social", "wss://mastodon.social.evil.example", "https://mastodon.social"},
		{"https://mastodon.social", "wss://evilmastodon.social", "https://mastodon.social"},
		{"https://10.0.0.5", "wss://99.0.0.5", "https://10.0.0.5"},
		{"https://10.0.0.5", "wss://10.0.0.5:4000", "https://10.0.0.5:4000"},
		{"https://10.0.0.5", "wss://5.10.0.0.5", "https://10.0.0.5"},
		{"https://[2001:db8::1]", "wss://[2001:db8::2]", "https://[2001:db8::1]"},
		{"https://[2001:db8::1]", "wss://[2001:db8:0::1]:4000", "https://[2001:db8:0::1]:4000"},
		{"http://127.0.0.1:3000", "ws://localhost:4000", "http://127.0.0.1:3000"},
		{"http://localhost:3000", "ws://localhost:4000", "http://localhost:4000"},
		{"https://mastodon.social", "ws://streaming.mastodon.social", "https://streaming.mastodon.social"},
	}
	for _, tc := range cases {
		c, err := newScannedClient(tc.server, WithInsecureHTTP())
		if err != nil {
			t.Fatal(err)
		}
		if got := c.adoptStreamingURL(tc.advertised); got != tc.want {
			t.Errorf("server %s advertising %q: streams from %q, want %q", tc.server, tc.advertised, got, tc.want)
		}
	}

	// End to end: the instance advertises a sibling under a public suffix;
	// the stream goes to the server itself, and the sibling sees nothing.
	n := newHostileNet(t)
	server := "https://alice.github.io"
	n.handle(server, func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/api/v2/instance":
			fmt.Fprint(w, `{"domain":"alice.github.io","configuration":{"urls":{"streaming":"wss://evil.github.io"}}}`)
		case "/api/v1/streaming/user":
			w.Header().Set("Content-Type", "text/event-stream")
			fmt.Fprint(w, ":)\n\n")
		default:
			http.NotFound(w, r)
		}
	})
	c := n.hostileClient(server)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	st, err := c.Streaming.User(ctx, &StreamOptions{Transport: TransportSSE})
	if err != nil {
		t.Fatal(err)
	}
	st.Close()
	for _, l := range n.leaks(suiteSecrets, server) {
		t.Errorf("%s %s%s reached another origin with auth=%q", l.Method, l.Origin, l.Path, l.Auth)
	}
}

// rlServer answers every request with the given rate-limit headers, the
// first time with remaining 0.
type rlServer struct {
	reset string
	calls []time.Time
}

func (f *rlServer) RoundTrip(r *http.Request) (*http.Response, error) {
	f.calls = append(f.calls, time.Now())
	h := http.Header{}
	h.Set("X-RateLimit-Limit", "300")
	h.Set("X-RateLimit-Remaining", "0")
	h.Set("X-RateLimit-Reset", f.reset)
	return &http.Response{StatusCode: 200, Status: "200 OK", Header: h, Body: io.NopCloser(strings.NewReader(`{"id":"1"}`)), Request: r}, nil
}

// TestHostileRateLimitResets: a reset far in the future cannot make a
// waiting client sleep past its bound; WithTimeout bounds the wait, and
// without a timeout the client asks the server again once the bound has
// passed (issue 18, point 5). Garbage resets impose no wait at all.
func TestHostileRateLimitResets(t *testing.T) {
	for _, reset := range []string{"2099-01-01T00:00:00.000Z", "9999999999", "9999999999.5", "2286-11-20T17:46:39Z"} {
		t.Run("timeout/"+reset, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				f := &rlServer{reset: reset}
				c, err := newScannedClient("https://rl.example", WithAccessToken(testToken), WithHTTPClient(&http.Client{Transport: f}),
					WithRetryPolicy(RetryPolicy{}), WithTimeout(time.Minute))
				if err != nil {
					t.Fatal(err)
				}
				ctx, cancel := context.WithTimeout(context.Background(), 24*time.Hour)
				defer cancel()
				if _, err := call[thing](ctx, c, req{Method: "GET", Path: "/api/v1/x"}, nil); err != nil {
					t.Fatal(err)
				}
				start := time.Now()
				_, err = call[thing](ctx, c, req{Method: "GET", Path: "/api/v1/x"}, nil)
				if el := time.Since(start); el > time.Minute || !errors.Is(err, ErrRateLimited) {
					t.Errorf("after %v: %v; want ErrRateLimited within WithTimeout", el, err)
				}
			})
		})
		t.Run("no timeout/"+reset, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				f := &rlServer{reset: reset}
				c, err := newScannedClient("https://rl.example", WithAccessToken(testToken), WithHTTPClient(&http.Client{Transport: f}),
					WithRetryPolicy(RetryPolicy{}), WithTimeout(0))
				if err != nil {
					t.Fatal(err)
				}
				ctx, cancel := context.WithTimeout(context.Background(), 24*time.Hour)
				defer cancel()
				for range 3 {
					if _, err := call[thing](ctx, c, req{Method: "GET", Path: "/api/v1/x"}, nil); err != nil {
						t.Fatal(err)
					}
				}
				if len(f.calls) != 3 {
					t.Fatalf("%d calls", len(f.calls))
				}
				for i := 1; i < 3; i++ {
					if d := f.calls[i].Sub(f.calls[i-1]); d > maxResetForTest || d < maxResetForTest-time.Second {
						t.Errorf("call %d came %v after the one before; want the bound, %v", i+1, d, maxResetForTest)
					}
				}
			})
		})
	}
	for _, reset := range []string{"NaN", "+Inf", "-5", "1e400", "99999999999999999999", "2099-13-45T99:99:99Z", "soon", ""} {
		synctest.Test(t, func(t *testing.T) {
			f := &rlServer{reset: reset}
			c, err := newScannedClient("https://rl.example", WithAccessToken(testToken), WithHTTPClient(&http.Client{Transport: f}),
				WithRetryPolicy(RetryPolicy{}))
			if err != nil {
				t.Fatal(err)
			}
			for range 3 {
				if _, err := call[thing](context.Background(), c, req{Method: "GET", Path: "/api/v1/x"}, nil); err != nil {
					t.Fatal(err)
				}
			}
			if d := f.calls[2].Sub(f.calls[0]); d > 2*time.Second {
				t.Errorf("reset %q: three calls took %v, want no wait", reset, d)
			}
		})
	}
}

// TestHostileRateLimit429FarFuture: a 429 whose reset is far away is not
// waited for beyond WithTimeout.
func TestHostileRateLimit429FarFuture(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		calls := 0
		hc := &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
			calls++
			h := http.Header{}
			h.Set("X-RateLimit-Limit", "300")
			h.Set("X-RateLimit-Remaining", "0")
			h.Set("X-RateLimit-Reset", "2099-01-01T00:00:00Z")
			h.Set("Retry-After", "99999999")
			return &http.Response{StatusCode: 429, Status: "429", Header: h, Body: io.NopCloser(strings.NewReader(`{"error":"Too many requests"}`)), Request: r}, nil
		})}
		c, err := newScannedClient("https://rl.example", WithAccessToken(testToken), WithHTTPClient(hc), WithTimeout(time.Minute))
		if err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		_, err = call[thing](context.Background(), c, req{Method: "GET", Path: "/api/v1/x"}, nil)
		if el := time.Since(start); el > time.Minute || !errors.Is(err, ErrRateLimited) || calls != 1 {
			t.Errorf("after %v and %d calls: %v; want the 429 at once", el, calls, err)
		}
	})
}

// echoBack answers with the whole request quoted in every field a
// Mastodon error has, as a proxy or firewall that echoes requests would.
func echoBack(status int) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		echo := r.Method + " " + r.URL.RequestURI() + " Authorization: " + r.Header.Get("Authorization") + " body: " + string(body)
		w.Header().Set("X-Echo", echo)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		if status >= 300 {
			out, _ := json.Marshal(map[string]any{"error": echo, "error_description": echo,
				"details": map[string]any{echo: []map[string]string{{"error": echo, "description": echo}}}})
			w.Write(out)
			return
		}
		fmt.Fprintf(w, "{oops %s", echo) // malformed JSON: a DecodeError quoting the start
	}
}

// TestHostileEchoedSecrets: servers echo the request, token, client secret,
// password, code and verifier included, into error answers and broken
// bodies. No error text, field or log record quotes them (issue 18,
// point 6).
func TestHostileEchoedSecrets(t *testing.T) {
	const oddPassword = "pw-SECRET &+/%ü\"<x>"
	registerSecret(oddPassword)
	for _, status := range []int{200, 401, 422, 500} {
		c, mux, logs := setup(t, WithClientCredentials("cid", "csecret-SECRET"))
		mux.HandleFunc("/", echoBack(status))
		ctx := context.Background()
		calls := map[string]func() error{
			"VerifyCredentials": func() error { _, err := c.Accounts.VerifyCredentials(ctx); return err },
			"Revoke":            func() error { return c.OAuth.Revoke(ctx, "") },
			"PasswordGrant": func() error {
				_, err := c.OAuth.PasswordGrant(ctx, "me@example.org", oddPassword, nil)
				return err
			},
			"ExchangeCode": func() error {
				_, err := c.OAuth.ExchangeCode(ctx, "code-SECRET", "verifier-SECRET", nil)
				return err
			},
			"Statuses.Get": func() error { _, err := c.Statuses.Get(ctx, "1"); return err },
		}
		for name, call := range calls {
			err := call()
			if err == nil {
				if status >= 300 {
					t.Errorf("%d %s: no error", status, name)
				}
				continue // an answer not read (Revoke's 200)
			}
			texts := []string{err.Error(), fmt.Sprintf("%+v", err), fmt.Sprintf("%#v", err), logs.String()}
			var ae *APIError
			if errors.As(err, &ae) {
				texts = append(texts, ae.Code, ae.Description, string(ae.Body), fmt.Sprint(ae.Header), fmt.Sprint(ae.Details))
				if !strings.Contains(ae.Code, "[redacted]") {
					t.Errorf("%d %s: code %q: the echo should be kept, redacted", status, name, ae.Code)
				}
			}
			var de *DecodeError
			if errors.As(err, &de) {
				texts = append(texts, de.Snippet)
			}
			for _, s := range texts {
				for _, sec := range append(suiteSecrets, oddPassword) {
					if echoedSecret(s, sec) {
						t.Errorf("%d %s: %q quotes %q", status, name, s, sec)
					}
				}
			}
		}
	}
}

// echoedSecret reports whether s holds sec as sent or in an escaped form.
func echoedSecret(s, sec string) bool {
	j, _ := json.Marshal(sec)
	for _, v := range []string{sec, string(j[1 : len(j)-1]), strings.ReplaceAll(strings.ReplaceAll(sec, "&", "%26"), " ", "+")} {
		if strings.Contains(s, v) {
			return true
		}
	}
	for _, v := range []string{"pw-SECRET", "code-SECRET", "verifier-SECRET", "csecret-SECRET", testToken} {
		if strings.Contains(sec, v) && strings.Contains(s, v) {
			return true
		}
	}
	return false
}

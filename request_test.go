package mastodon

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

type thing struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

type thingQuery struct {
	Limit  int      `form:"limit"`
	Local  *bool    `form:"local"`
	IDs    []string `form:"id"`
	Filter string   `form:"filter"`
}

func TestCallSendsWhatItShould(t *testing.T) {
	c, mux, _ := setup(t, WithUserAgent("mybot/1.0"), WithLanguage("de"))
	mux.HandleFunc("/api/v1/things/{id}/poke", func(w http.ResponseWriter, r *http.Request) {
		testMethod(t, r, "POST")
		if r.URL.EscapedPath() != "/api/v1/things/a%2Fb%3F/poke" {
			t.Errorf("path = %q: the id was not escaped", r.URL.EscapedPath())
		}
		testQuery(t, r, "limit=5&local=false&id[]=1&id[]=2&lang=de")
		testHeader(t, r, "Authorization", "Bearer "+testToken)
		testHeader(t, r, "User-Agent", "mybot/1.0")
		testHeader(t, r, "Accept", "application/json")
		testHeader(t, r, "Idempotency-Key", "key-1")
		testForm(t, r, "status=hi+there&poll[options][]=a&poll[options][]=b")
		fmt.Fprint(w, `{"id":"7","name":"seven","extra":1}`)
	})
	f := false
	var resp Response
	got, err := call[thing](context.Background(), c, req{
		Method: "POST", Path: "/api/v1/things/{id}/poke", Params: []string{"a/b?"},
		Query: &thingQuery{Limit: 5, Local: &f, IDs: []string{"1", "2"}},
		Form: struct {
			Status string `form:"status"`
			Poll   struct {
				Options []string `form:"options"`
			} `form:"poll"`
		}{Status: "hi there", Poll: struct {
			Options []string `form:"options"`
		}{[]string{"a", "b"}}},
	}, []CallOption{CallIdempotencyKey("key-1"), CallResponse(&resp)})
	if err != nil {
		t.Fatal(err)
	}
	if got.ID != "7" || got.Name != "seven" {
		t.Errorf("decoded %+v", got)
	}
	if resp.StatusCode != 200 {
		t.Errorf("CallResponse did not record the response: %+v", resp)
	}
}

func TestCallLanguageOverridesAndNoTokenMeansNoAuthorization(t *testing.T) {
	c2, mux2, _ := setup(t)
	anon, err := newScannedClient(c2.BaseURL(), WithLanguage("fr"))
	if err != nil {
		t.Fatal(err)
	}
	mux2.HandleFunc("/api/v1/x", func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "" {
			t.Errorf("anonymous client sent Authorization")
		}
		testQuery(t, r, "lang=ja")
		fmt.Fprint(w, `{}`)
	})
	if _, err := call[thing](context.Background(), anon, req{Method: "GET", Path: "/api/v1/x"}, []CallOption{CallLanguage("ja")}); err != nil {
		t.Fatal(err)
	}
	if _, err := call[thing](context.Background(), anon, req{Method: "GET", Path: "/api/v1/x"}, []CallOption{CallLanguage("JA!")}); !errors.Is(err, ErrIllegalArgument) {
		t.Errorf("bad language: err = %v, want ErrIllegalArgument", err)
	}
}

func TestJSONBody(t *testing.T) {
	c, mux, _ := setup(t)
	mux.HandleFunc("/api/v1/j", func(w http.ResponseWriter, r *http.Request) {
		testHeader(t, r, "Content-Type", "application/json")
		b, _ := io.ReadAll(r.Body)
		if string(b) != `{"id":"1","name":"n"}` {
			t.Errorf("body = %s", b)
		}
		fmt.Fprint(w, `{"id":"1"}`)
	})
	if _, err := call[thing](context.Background(), c, req{Method: "PUT", Path: "/api/v1/j", JSON: thing{"1", "n"}}, nil); err != nil {
		t.Fatal(err)
	}
}

func TestBadPathParams(t *testing.T) {
	c, _, _ := setup(t)
	for _, id := range []string{"", ".", ".."} {
		_, err := call[thing](context.Background(), c, req{Method: "GET", Path: "/api/v1/statuses/{id}", Params: []string{id}}, nil)
		if !errors.Is(err, ErrIllegalArgument) {
			t.Errorf("id %q: err = %v, want ErrIllegalArgument", id, err)
		}
	}
	if _, err := call[thing](context.Background(), c, req{Method: "GET", Path: "/api/v1/statuses/{id}"}, nil); !errors.Is(err, ErrIllegalArgument) {
		t.Errorf("missing param: %v", err)
	}
}

func TestErrorKinds(t *testing.T) {
	cases := []struct {
		status int
		body   string
		ctype  string
		kinds  []error
		code   string
	}{
		{401, `{"error":"The access token is invalid"}`, "application/json", []error{ErrUnauthorized, ErrAPI}, "The access token is invalid"},
		{403, `{"error":"This action is outside the authorized scopes"}`, "application/json", []error{ErrForbidden}, "This action is outside the authorized scopes"},
		{404, `{"error":"Record not found"}`, "application/json", []error{ErrNotFound}, "Record not found"},
		{410, `{"error":"Gone"}`, "application/json", []error{ErrGone}, "Gone"},
		{422, `{"error":"Validation failed: Text can't be blank","details":{"text":[{"error":"ERR_BLANK","description":"can't be blank"}]}}`, "application/json", []error{ErrUnprocessable}, "Validation failed: Text can't be blank"},
		{429, `{"error":"Too many requests"}`, "application/json", []error{ErrRateLimited}, "Too many requests"},
		{500, `<!DOCTYPE html><html><body>We're sorry, but something went wrong.</body></html>`, "text/html", []error{ErrInternalServerError, ErrServer}, ""},
		{502, `<html><head><title>502 Bad Gateway</title></head></html>`, "text/html", []error{ErrBadGateway, ErrServer}, ""},
		{503, ``, "text/plain", []error{ErrServiceUnavailable, ErrServer}, ""},
		{504, `upstream timed out`, "text/plain", []error{ErrGatewayTimeout, ErrServer}, ""},
		{400, `{"error":"invalid_grant","error_description":"The provided authorization grant is invalid"}`, "application/json", []error{ErrAPI}, "invalid_grant"},
	}
	for _, tc := range cases {
		t.Run(fmt.Sprint(tc.status), func(t *testing.T) {
			c, mux, _ := setup(t, WithRateLimit(RateLimitThrow))
			mux.HandleFunc("/api/v1/e", func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", tc.ctype)
				w.WriteHeader(tc.status)
				fmt.Fprint(w, tc.body)
			})
			_, err := call[thing](context.Background(), c, req{Method: "GET", Path: "/api/v1/e", Query: map[string]string{"access_token": "leak-me-not"}}, nil)
			var ae *APIError
			if !errors.As(err, &ae) {
				t.Fatalf("err = %v (%T), want *APIError", err, err)
			}
			for _, k := range tc.kinds {
				if !errors.Is(err, k) {
					t.Errorf("errors.Is(err, %v) = false", k)
				}
			}
			if errors.Is(err, ErrNotFound) != (tc.status == 404) {
				t.Errorf("ErrNotFound match wrong for %d", tc.status)
			}
			if ae.StatusCode != tc.status || ae.Code != tc.code || ae.Method != "GET" {
				t.Errorf("APIError = %+v", ae)
			}
			if strings.Contains(err.Error(), "leak-me-not") || strings.Contains(ae.URL, "leak-me-not") {
				t.Errorf("secret query value in error: %v", err)
			}
			if tc.status == 422 && (len(ae.Details["text"]) != 1 || ae.Details["text"][0].Error != "ERR_BLANK") {
				t.Errorf("details = %+v", ae.Details)
			}
			if tc.status == 400 && ae.Description != "The provided authorization grant is invalid" {
				t.Errorf("description = %q", ae.Description)
			}
			if tc.ctype == "text/html" && !strings.Contains(ae.Description, "html") {
				t.Errorf("HTML error page not described: %q", ae.Description)
			}
		})
	}
}

func TestDecodeErrors(t *testing.T) {
	cases := map[string]string{
		"truncated": `{"id":"1","name":"n`,
		"html":      `<!DOCTYPE html><html>maintenance</html>`,
		"empty":     ``,
		"wrongtype": `{"id":{"a":1}}`,
	}
	for name, body := range cases {
		t.Run(name, func(t *testing.T) {
			c, mux, _ := setup(t)
			mux.HandleFunc("/api/v1/d", func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, body) })
			_, err := call[thing](context.Background(), c, req{Method: "GET", Path: "/api/v1/d"}, nil)
			var de *DecodeError
			if !errors.As(err, &de) || !errors.Is(err, ErrDecode) {
				t.Fatalf("err = %v, want *DecodeError", err)
			}
			if de.StatusCode != 200 || !strings.Contains(de.URL, "/api/v1/d") {
				t.Errorf("DecodeError = %+v", de)
			}
			if name == "html" && !strings.Contains(err.Error(), "HTML") {
				t.Errorf("error does not say HTML arrived: %v", err)
			}
		})
	}
}

func TestOversizedBody(t *testing.T) {
	c, mux, _ := setup(t, WithMaxResponseSize(100))
	mux.HandleFunc("/api/v1/big", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, `{"name":"%s"}`, strings.Repeat("x", 1000))
	})
	_, err := call[thing](context.Background(), c, req{Method: "GET", Path: "/api/v1/big"}, nil)
	if !errors.Is(err, ErrDecode) || !strings.Contains(err.Error(), "larger than 100") {
		t.Fatalf("err = %v", err)
	}
}

func TestTruncatedBodyIsANetworkError(t *testing.T) {
	c, mux, _ := setup(t)
	mux.HandleFunc("/api/v1/t", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", "100")
		fmt.Fprint(w, `{"id":"1"`)
	})
	_, err := call[thing](context.Background(), c, req{Method: "GET", Path: "/api/v1/t"}, nil)
	if !errors.Is(err, ErrNetwork) {
		t.Fatalf("err = %v, want ErrNetwork for a body cut short", err)
	}
}

func TestRetriesSafeRequestsOnly(t *testing.T) {
	c, mux, _ := setup(t, WithRetryPolicy(RetryPolicy{MaxRetries: 2, MinBackoff: time.Millisecond, MaxBackoff: 2 * time.Millisecond}))
	var gets, posts, keyed atomic.Int32
	mux.HandleFunc("GET /api/v1/r", func(w http.ResponseWriter, r *http.Request) {
		if gets.Add(1) < 3 {
			w.WriteHeader(503)
			return
		}
		fmt.Fprint(w, `{"id":"ok"}`)
	})
	mux.HandleFunc("POST /api/v1/r", func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Idempotency-Key") != "" {
			if keyed.Add(1) < 2 {
				w.WriteHeader(502)
				return
			}
			fmt.Fprint(w, `{"id":"keyed"}`)
			return
		}
		posts.Add(1)
		w.WriteHeader(502)
	})
	got, err := call[thing](context.Background(), c, req{Method: "GET", Path: "/api/v1/r"}, nil)
	if err != nil || got.ID != "ok" || gets.Load() != 3 {
		t.Errorf("GET: %v %v after %d tries", got, err, gets.Load())
	}
	_, err = call[thing](context.Background(), c, req{Method: "POST", Path: "/api/v1/r"}, nil)
	if !errors.Is(err, ErrBadGateway) || posts.Load() != 1 {
		t.Errorf("POST without key: err %v after %d tries; want one try", err, posts.Load())
	}
	got, err = call[thing](context.Background(), c, req{Method: "POST", Path: "/api/v1/r"}, []CallOption{CallIdempotencyKey("k")})
	if err != nil || got.ID != "keyed" || keyed.Load() != 2 {
		t.Errorf("POST with key: %v %v after %d tries", got, err, keyed.Load())
	}
}

func TestNetworkErrorRedacted(t *testing.T) {
	c, err := newScannedClient("http://127.0.0.1:1", WithAccessToken(testToken), WithRetryPolicy(RetryPolicy{}))
	if err != nil {
		t.Fatal(err)
	}
	_, err = call[thing](context.Background(), c, req{Method: "GET", Path: "/api/v1/x", Query: map[string]string{"code": "authcode-SECRET"}}, nil)
	if !errors.Is(err, ErrNetwork) {
		t.Fatalf("err = %v, want ErrNetwork", err)
	}
	if strings.Contains(err.Error(), "authcode-SECRET") || strings.Contains(err.Error(), testToken) {
		t.Errorf("secret in error: %v", err)
	}
}

func TestTimeout(t *testing.T) {
	c, mux, _ := setup(t, WithTimeout(50*time.Millisecond))
	release := make(chan struct{})
	t.Cleanup(func() { close(release) })
	mux.HandleFunc("/api/v1/slow", func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	})
	_, err := call[thing](context.Background(), c, req{Method: "GET", Path: "/api/v1/slow"}, nil)
	if !errors.Is(err, ErrTimeout) || !errors.Is(err, ErrNetwork) {
		t.Fatalf("err = %v, want ErrTimeout", err)
	}
}

func TestNewRequestDo(t *testing.T) {
	c, mux, _ := setup(t)
	mux.HandleFunc("/api/v1/fork/thing", func(w http.ResponseWriter, r *http.Request) {
		testMethod(t, r, "POST")
		testHeader(t, r, "Authorization", "Bearer "+testToken)
		testQuery(t, r, "x=1")
		testForm(t, r, "a=b")
		w.Header().Set("X-RateLimit-Limit", "300")
		w.Header().Set("X-RateLimit-Remaining", "299")
		fmt.Fprint(w, `{"id":"9"}`)
	})
	hreq, err := c.NewRequest(context.Background(), "POST", "/api/v1/fork/thing?x=1", urlValues("a", "b"))
	if err != nil {
		t.Fatal(err)
	}
	var out thing
	var resp Response
	err = c.Do(hreq, &out, CallResponse(&resp))
	if err != nil || out.ID != "9" || resp.RateLimit.Remaining != 299 {
		t.Fatalf("Do: %+v %v %+v", out, err, resp)
	}
	other, _ := http.NewRequest("GET", "https://elsewhere.example/api/v1/x", nil)
	if err := c.Do(other, nil); !errors.Is(err, ErrForeignOrigin) || !strings.Contains(err.Error(), "https://elsewhere.example") {
		t.Errorf("Do to another host: %v", err)
	}
}

// TestDoSamePathAsTypedCalls: Do gets what every API method gets: retries
// of a safe request, waiting after a 429, the version check of a known
// endpoint, and an Idempotency-Key that makes a POST safe to repeat.
func TestDoSamePathAsTypedCalls(t *testing.T) {
	fast := WithRetryPolicy(RetryPolicy{MaxRetries: 2, MinBackoff: time.Millisecond, MaxBackoff: time.Millisecond})
	c, mux, _ := setup(t, fast, WithVersionCheck(VersionCheckCreated))
	var gets, posts, translates atomic.Int32
	var keys []string
	mux.HandleFunc("/api/v1/fork/flaky", func(w http.ResponseWriter, r *http.Request) {
		switch r.Method {
		case "GET":
			if gets.Add(1) == 1 {
				w.WriteHeader(http.StatusServiceUnavailable)
				return
			}
		case "POST":
			keys = append(keys, r.Header.Get("Idempotency-Key"))
			if posts.Add(1) == 1 {
				w.Header().Set("Retry-After", "0")
				w.WriteHeader(http.StatusBadGateway)
				return
			}
		}
		fmt.Fprint(w, `{"id":"1"}`)
	})
	var limited atomic.Int32
	mux.HandleFunc("/api/v1/fork/limited", func(w http.ResponseWriter, r *http.Request) {
		if limited.Add(1) == 1 {
			w.Header().Set("Retry-After", "1")
			w.WriteHeader(http.StatusTooManyRequests)
			fmt.Fprint(w, `{"error":"Too many requests"}`)
			return
		}
		fmt.Fprint(w, `{"id":"2"}`)
	})
	mux.HandleFunc("/api/v2/instance", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `{"version":"3.5.0","api_versions":{"mastodon":0}}`)
	})
	mux.HandleFunc("/api/v1/statuses/7/translate", func(w http.ResponseWriter, r *http.Request) {
		translates.Add(1)
		fmt.Fprint(w, `{}`)
	})
	ctx := context.Background()
	do := func(method, path string, h http.Header) (thing, error) {
		hreq, err := c.NewRequest(ctx, method, path, nil)
		if err != nil {
			t.Fatal(err)
		}
		for k, v := range h {
			hreq.Header[k] = v
		}
		var out thing
		err = c.Do(hreq, &out)
		return out, err
	}
	if out, err := do("GET", "/api/v1/fork/flaky", nil); err != nil || out.ID != "1" || gets.Load() != 2 {
		t.Errorf("GET after a 503: %+v, %v, %d tries; want a retry", out, err, gets.Load())
	}
	if out, err := do("POST", "/api/v1/fork/flaky", http.Header{"Idempotency-Key": {"k-1"}}); err != nil || out.ID != "1" ||
		len(keys) != 2 || keys[0] != "k-1" || keys[1] != "k-1" {
		t.Errorf("POST with an Idempotency-Key after a 502: %+v, %v, keys %q; want one retry with the same key", out, err, keys)
	}
	if _, err := do("POST", "/api/v1/fork/flaky", nil); err != nil || posts.Load() != 3 {
		t.Errorf("POST without a key: %v, %d tries", err, posts.Load())
	}
	start := time.Now()
	if out, err := do("GET", "/api/v1/fork/limited", nil); err != nil || out.ID != "2" || limited.Load() != 2 {
		t.Errorf("after a 429: %+v, %v, %d tries; want a wait and a second try", out, err, limited.Load())
	}
	if d := time.Since(start); d < 900*time.Millisecond {
		t.Errorf("retried after %v, before Retry-After", d)
	}
	if _, err := do("POST", "/api/v1/statuses/7/translate", nil); !errors.Is(err, ErrVersion) || translates.Load() != 0 {
		t.Errorf("translate (4.0.0) on a 3.5.0 server: %v, %d sent; want ErrVersion before sending", err, translates.Load())
	}
}

func TestDebugLogRecords(t *testing.T) {
	c, mux, logs := setup(t)
	mux.HandleFunc("/api/v1/logged", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-RateLimit-Limit", "300")
		w.Header().Set("X-RateLimit-Remaining", "42")
		fmt.Fprint(w, `{"id":"1"}`)
	})
	_, err := call[thing](context.Background(), c, req{Method: "GET", Path: "/api/v1/logged",
		Query: map[string]string{"access_token": "q-SECRET", "code": "c-SECRET"}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	out := logs.String()
	for _, want := range []string{"method=GET", "path=/api/v1/logged", "status=200", "duration=", "ratelimit_remaining=42"} {
		if !strings.Contains(out, want) {
			t.Errorf("log lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "SECRET") || strings.Contains(out, testToken) {
		t.Errorf("log leaks a secret:\n%s", out)
	}
}

func TestUnmarshalExported(t *testing.T) {
	var sts []*Status
	if err := Unmarshal([]byte(`[{"id":"1","content":"<p>hi</p>","future_field":{"x":1}},{"id":2}]`), &sts); err != nil {
		t.Fatal(err)
	}
	if len(sts) != 2 || sts[0].ID != "1" || sts[1].ID != "2" {
		t.Fatalf("decoded %+v", sts)
	}
	if err := Unmarshal([]byte(`[{"id":"1"`), &sts); err == nil {
		t.Error("truncated JSON decoded without error")
	}
}

func TestReadBodyLengthIsAHint(t *testing.T) {
	cases := []struct {
		body   string
		length int64
		want   string
		err    bool
	}{
		{`{"id":"1"}`, 10, `{"id":"1"}`, false},
		{`{"id":"1"}`, 0, `{"id":"1"}`, false},  // hand-made response without a length
		{`{"id":"1"}`, -1, `{"id":"1"}`, false}, // chunked
		{`{"id":"1"}`, 4, `{"id":"1"}`, false},  // more than announced
		{`{"id"`, 10, "", true},                 // cut short
		{`{"id":"1"}`, 1 << 30, "", true},       // announced beyond the cap
	}
	for _, tc := range cases {
		got, err := readBody(strings.NewReader(tc.body), 1<<20, tc.length)
		if (err != nil) != tc.err || string(got) != tc.want {
			t.Errorf("readBody(%q, %d) = %q, %v", tc.body, tc.length, got, err)
		}
	}
}

func TestReadBodyAllocatesWhatArrives(t *testing.T) {
	const announced = 256 << 20
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	_, err := readBody(strings.NewReader(`{"id":"1"}`), 1<<30, announced)
	runtime.ReadMemStats(&after)
	if !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Fatalf("body shorter than its length: %v, want io.ErrUnexpectedEOF", err)
	}
	if grew := after.TotalAlloc - before.TotalAlloc; grew > 1<<20 {
		t.Fatalf("reading 10 bytes announced as %d allocated %d bytes", announced, grew)
	}
	big := strings.Repeat("x", 5<<20)
	got, err := readBody(strings.NewReader(big), 8<<20, int64(len(big)))
	if err != nil || len(got) != len(big) {
		t.Fatalf("5 MiB body: %d bytes, %v", len(got), err)
	}
	if _, err := readBody(strings.NewReader(big), 8<<20, 7<<20); !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Fatalf("5 MiB of an announced 7: %v", err)
	}
	if _, err := readBody(strings.NewReader(big+big), 6<<20, int64(len(big))); !errors.Is(err, errTooLarge) {
		t.Fatalf("10 MiB past a 6 MiB cap: %v", err)
	}
}

func TestReadBodyPooled(t *testing.T) {
	a := strings.Repeat("a", 20000)
	got, err := readBody(strings.NewReader(a), 1<<20, int64(len(a)))
	if err != nil || string(got) != a {
		t.Fatalf("readBody: %d bytes, %v", len(got), err)
	}
	releaseBody(got)
	// A reused buffer holds exactly the new body, however long.
	for _, tc := range []struct {
		body     string
		announce int
	}{
		{strings.Repeat("b", 19000), 19000},
		{strings.Repeat("c", 20005), 20000}, // more than announced
		{strings.Repeat("d", 17000), 17000},
	} {
		got, err := readBody(strings.NewReader(tc.body), 1<<20, int64(tc.announce))
		if err != nil || string(got) != tc.body {
			t.Fatalf("readBody(%d bytes, %d): %d bytes, %v", len(tc.body), tc.announce, len(got), err)
		}
		releaseBody(got)
	}
	// One byte past the cap is too large, even when the length said less.
	if _, err := readBody(strings.NewReader(a+"x"), int64(len(a)), int64(len(a))); !errors.Is(err, errTooLarge) {
		t.Fatalf("body past the cap: %v", err)
	}
	if got, err := readBody(strings.NewReader(a), int64(len(a)), int64(len(a))); err != nil || len(got) != len(a) {
		t.Fatalf("body at the cap: %d bytes, %v", len(got), err)
	}
}

// A request sent elsewhere than the client's server (Streaming.Health to
// the streaming host, a NodeInfo link to the server's other name) is held
// to its own scope of checkDest, carries no credential, and its base
// replaces the client's scheme, host and base path.
func TestRequestElsewhere(t *testing.T) {
	var sent []string
	hc := &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
		sent = append(sent, r.URL.String()+" auth="+r.Header.Get("Authorization"))
		return jsonResponse(r, 200, `{"id":"1"}`), nil
	})}
	c, err := newScannedClient("https://mastodon.example/base", WithAccessToken(testToken), WithHTTPClient(hc), WithRetryPolicy(RetryPolicy{}))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	to := func(raw string, scope destScope) *elsewhere {
		u, err := url.Parse(raw)
		if err != nil {
			t.Fatal(err)
		}
		return &elsewhere{u, scope}
	}
	for _, tc := range []struct {
		to   *elsewhere
		want string // the URL sent, or "" for a refusal
	}{
		{to("https://www.mastodon.example", scopeSameName), "https://www.mastodon.example/x?a=1 auth="},
		{to("https://streaming.mastodon.example/sub", scopeStream), "https://streaming.mastodon.example/sub/x?a=1 auth="},
		{to("https://streaming.mastodon.example", scopeSameName), ""},
		{to("https://evil.example", scopeStream), ""},
	} {
		sent = nil
		_, err := call[thing](ctx, c, req{Method: "GET", Path: "/x", Query: url.Values{"a": {"1"}}, Auth: authNone, NoVersionCheck: true, Elsewhere: tc.to}, nil)
		switch {
		case tc.want == "":
			wantRefused(t, err, tc.to.base.String())
			if len(sent) != 0 {
				t.Errorf("%s: sent %q", tc.to.base, sent)
			}
		case err != nil || len(sent) != 1 || sent[0] != tc.want:
			t.Errorf("%s: sent %q (err %v), want %q", tc.to.base, sent, err, tc.want)
		}
	}
	// With a credential it goes nowhere but the client's server.
	sent = nil
	_, err = call[thing](ctx, c, req{Method: "GET", Path: "/x", NoVersionCheck: true, Elsewhere: to("https://www.mastodon.example", scopeSameName)}, nil)
	if !errors.Is(err, ErrIllegalArgument) || len(sent) != 0 {
		t.Errorf("a request with the token sent elsewhere: err %v, sent %q", err, sent)
	}
}

// A failed call is logged at debug level with its error: method, the
// endpoint's template (no IDs) and the error's text, secrets redacted.
func TestFailedCallLogged(t *testing.T) {
	c, mux, logs := setup(t)
	mux.HandleFunc("/api/v1/statuses/{id}", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusNotFound)
		fmt.Fprint(w, `{"error":"Record not found for `+testToken+`"}`)
	})
	_, err := c.Statuses.Get(context.Background(), "77")
	if !errors.Is(err, ErrNotFound) {
		t.Fatalf("err = %v", err)
	}
	l := logs.String()
	if !strings.Contains(l, `msg="mastodon call failed" method=GET endpoint=/api/v1/statuses/{id} error="`) ||
		!strings.Contains(l, "Record not found for [redacted]") {
		t.Errorf("logs:\n%s", l)
	}
	logs.Reset()
	if _, err := c.Statuses.Get(context.Background(), ""); !errors.Is(err, ErrIllegalArgument) || !strings.Contains(logs.String(), "mastodon call failed") {
		t.Errorf("a call refused before sending: %v, logs %q", err, logs.String())
	}
	// An answer that does not decode is logged too.
	mux.HandleFunc("/api/v1/accounts/{id}", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `{"id": oops `+testToken+`}`)
	})
	logs.Reset()
	_, err = c.Accounts.Get(context.Background(), "1")
	if l := logs.String(); !errors.Is(err, ErrDecode) || !strings.Contains(l, `msg="mastodon response not decoded" method=GET url=`) ||
		!strings.Contains(l, "[redacted]") || strings.Contains(l, testToken) {
		t.Errorf("a body that does not decode: %v, logs:\n%s", err, l)
	}
}

// TestFetchErrorTexts pins the texts of the errors whose parts attempt and
// cursorReq build only once something has failed.
func TestFetchErrorTexts(t *testing.T) {
	c, mux, _ := setup(t)
	ctx := context.Background()
	mux.HandleFunc("/api/v1/cut", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", "100")
		fmt.Fprint(w, `[`)
	})
	mux.HandleFunc("/api/v1/away", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Link", `<https://elsewhere.example/api/v1/away?max_id=1>; rel="next"`)
		fmt.Fprint(w, `[{"id":"1"}]`)
	})

	_, err := call[thing](ctx, c, req{Method: "GET", Path: "/api/v1/cut", Query: map[string]string{"code": "SECRET"}}, nil)
	var ne *NetworkError
	if want := "reading GET " + c.BaseURL() + "/api/v1/cut?code=REDACTED"; !errors.As(err, &ne) || ne.Op != want {
		t.Errorf("cut body: err = %v, want a NetworkError with Op %q", err, want)
	}

	p, err := callList[thing](ctx, c, req{Method: "GET", Path: "/api/v1/away"}, nil)
	if err != nil || !p.HasNext() {
		t.Fatalf("first page: %v, next %v", err, p != nil && p.HasNext())
	}
	_, err = p.Next(ctx)
	var de *DestinationError
	if !errors.As(err, &de) || de.What != `to follow the Link "next" cursor` || de.Origin != "https://elsewhere.example" {
		t.Errorf("foreign cursor: err = %v", err)
	}

	away, _ := url.Parse("https://elsewhere.example")
	_, err = call[thing](ctx, c, req{Method: "GET", Path: "/x y", Auth: authNone, Elsewhere: &elsewhere{base: away, scope: scopeServer}}, nil)
	if !errors.As(err, &de) || de.What != "a request GET /x%20y" || de.Origin != "https://elsewhere.example" {
		t.Errorf("request to another origin: err = %v", err)
	}
}

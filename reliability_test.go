package mastodon

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/tuskgo/mastodon/mastodontest"
)

// Faults against mastodontest, which performs what it is asked: a post
// whose answer is lost must still create exactly one status.

func reliabilitySetup(t *testing.T) (*mastodontest.Server, *Client, string) {
	t.Helper()
	checkGoroutines(t)
	srv := mastodontest.NewTestServer(t)
	acct, token := mtUser(srv, "alice")
	c, err := newScannedClient(srv.URL, WithAccessToken(token),
		WithRetryPolicy(RetryPolicy{MaxRetries: 3, MinBackoff: time.Millisecond, MaxBackoff: 5 * time.Millisecond}))
	if err != nil {
		t.Fatal(err)
	}
	return srv, c, acct.ID
}

func countStatuses(t *testing.T, c *Client, accountID string) int {
	t.Helper()
	n := 0
	for _, err := range c.Accounts.StatusesAll(context.Background(), accountID, nil) {
		if err != nil {
			t.Fatal(err)
		}
		n++
	}
	return n
}

func TestPostSurvivesLostResponsesExactlyOnce(t *testing.T) {
	faults := map[string]mastodontest.Fault{
		// The server created the status, then the answer was cut short.
		"truncated after acting": {Method: "POST", Path: "/api/v1/statuses", Truncate: true},
		// The connection dropped before the server did anything.
		"reset before acting": {Method: "POST", Path: "/api/v1/statuses", Reset: true},
		// A proxy in front answered 502 with an HTML page.
		"bad gateway": {Method: "POST", Path: "/api/v1/statuses", Status: http.StatusBadGateway},
		// Two faults in a row.
		"twice": {Method: "POST", Path: "/api/v1/statuses", Truncate: true, Count: 2},
	}
	for name, f := range faults {
		t.Run(name, func(t *testing.T) {
			srv, c, me := reliabilitySetup(t)
			srv.InjectFault(f)
			st, err := c.Statuses.Post(context.Background(), &PostStatusParams{Status: "exactly once, " + name})
			if err != nil {
				t.Fatalf("post with a retry-safe key: %v", err)
			}
			if st.Status == nil || st.Status.ID == "" {
				t.Fatalf("no status returned: %+v", st)
			}
			if n := countStatuses(t, c, me); n != 1 {
				t.Fatalf("%d statuses exist after one post; a retry posted twice", n)
			}
		})
	}
}

func TestPostWithoutRetriesReportsTheLoss(t *testing.T) {
	srv, _, _ := reliabilitySetup(t)
	_, tok := mtUser(srv, "bob")
	c2, err := newScannedClient(srv.URL, WithAccessToken(tok), WithRetryPolicy(RetryPolicy{}))
	if err != nil {
		t.Fatal(err)
	}
	srv.InjectFault(mastodontest.Fault{Method: "POST", Path: "/api/v1/statuses", Truncate: true})
	_, err = c2.Statuses.Post(context.Background(), &PostStatusParams{Status: "lost"})
	if !errors.Is(err, ErrNetwork) {
		t.Fatalf("err = %v, want ErrNetwork when retries are off", err)
	}
	// The same key, sent again by hand, returns the status the server made.
	key := "fixed-key-1"
	srv.InjectFault(mastodontest.Fault{Method: "POST", Path: "/api/v1/statuses", Truncate: true})
	if _, err := c2.Statuses.Post(context.Background(), &PostStatusParams{Status: "again"}, CallIdempotencyKey(key)); !errors.Is(err, ErrNetwork) {
		t.Fatalf("first try: %v", err)
	}
	a, err := c2.Statuses.Post(context.Background(), &PostStatusParams{Status: "again"}, CallIdempotencyKey(key))
	if err != nil {
		t.Fatal(err)
	}
	b, err := c2.Statuses.Post(context.Background(), &PostStatusParams{Status: "again"}, CallIdempotencyKey(key))
	if err != nil || a.Status.ID != b.Status.ID {
		t.Fatalf("same key, different statuses: %v vs %v (%v)", a.Status.ID, b.Status.ID, err)
	}
}

func TestReadsSurviveServerFaults(t *testing.T) {
	srv, c, _ := reliabilitySetup(t)
	ctx := context.Background()
	for _, f := range []mastodontest.Fault{
		{Method: "GET", Path: "/api/v1/accounts/verify_credentials", Status: 503},
		{Method: "GET", Path: "/api/v1/accounts/verify_credentials", Status: 504},
		{Method: "GET", Path: "/api/v1/accounts/verify_credentials", Reset: true},
		{Method: "GET", Path: "/api/v1/accounts/verify_credentials", Truncate: true},
	} {
		srv.InjectFault(f)
		me, err := c.Accounts.VerifyCredentials(ctx)
		if err != nil || me.Username != "alice" {
			t.Errorf("fault %+v: %v %v", f, me, err)
		}
	}
	// A 500 is not retried: it is a server bug, not a passing state.
	srv.InjectFault(mastodontest.Fault{Method: "GET", Path: "/api/v1/accounts/verify_credentials", Status: 500})
	if _, err := c.Accounts.VerifyCredentials(ctx); !errors.Is(err, ErrInternalServerError) {
		t.Errorf("500: %v", err)
	}
	// Slow headers hit the request timeout.
	slow, _ := newScannedClient(srv.URL, WithAccessToken("x"), WithTimeout(50*time.Millisecond), WithRetryPolicy(RetryPolicy{}))
	srv.InjectFault(mastodontest.Fault{Path: "/api/v1/instance", Delay: 5 * time.Second})
	if _, err := slow.Instance.GetV1(ctx); !errors.Is(err, ErrTimeout) {
		t.Errorf("delay: %v, want ErrTimeout", err)
	}
}

func TestRateLimitAgainstMastodontest(t *testing.T) {
	srv := mastodontest.NewTestServer(t)
	_, token := mtUser(srv, "carol")
	srv.SetRateLimit(3, time.Hour)
	c, err := newScannedClient(srv.URL, WithAccessToken(token), WithRateLimit(RateLimitThrow))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	for i := range 3 {
		if _, err := c.Accounts.VerifyCredentials(ctx); err != nil {
			t.Fatalf("call %d: %v", i, err)
		}
	}
	if rl := c.RateLimit(); !rl.Known || rl.Limit != 3 || rl.Remaining != 0 || rl.Reset.IsZero() {
		t.Errorf("rate limit state = %+v", rl)
	}
	before := srv.Requests()
	_, err = c.Accounts.VerifyCredentials(ctx)
	if !errors.Is(err, ErrRateLimited) {
		t.Fatalf("4th call: %v", err)
	}
	if srv.Requests() != before {
		t.Error("throw mode sent a request with the budget spent")
	}
}

package mastodon

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tuskgo/mastodon/mastodontest"
)

func TestBucketOf(t *testing.T) {
	for _, tc := range []struct {
		method, path string
		want         rlBucket
	}{
		{"GET", "/api/v1/timelines/home", bucketGeneral},
		{"GET", "/api/v1/statuses/{id}", bucketGeneral},
		{"POST", "/api/v2/media", bucketMedia},
		{"POST", "/api/v1/media", bucketMedia},
		{"PUT", "/api/v1/media/{id}", bucketGeneral},
		{"DELETE", "/api/v1/statuses/{id}", bucketDelete},
		{"DELETE", "/api/v1/statuses/123", bucketDelete},
		{"POST", "/api/v1/statuses/{id}/unreblog", bucketDelete},
		{"POST", "/api/v1/statuses", bucketStatuses},
		{"PUT", "/api/v1/statuses/{id}", bucketStatuses},
		{"POST", "/api/v1/statuses/9/reblog", bucketStatuses},
		{"POST", "/api/v1/statuses/9/favourite", bucketGeneral},
		{"POST", "/api/v1/accounts/{id}/follow", bucketFollows},
		{"POST", "/api/v1/tags/{name}/follow", bucketFollows},
		{"POST", "/api/v1/reports", bucketReports},
		{"POST", "/api/v1/accounts", bucketSignUp},
		{"POST", "/api/v1/accounts?x=1", bucketSignUp},
		{"DELETE", "/api/v1/statuses/1/pin", bucketGeneral},
		{"POST", "/oauth/token", bucketGeneral},
		{"POST", "", bucketGeneral},
		{"POST", "/api", bucketGeneral},
	} {
		if got := bucketOf(tc.method, tc.path); got != tc.want {
			t.Errorf("bucketOf(%s %s) = %d, want %d", tc.method, tc.path, got, tc.want)
		}
	}
}

// TestRateLimitPerToken: the server counts each token apart, so a WithToken
// copy must not inherit the spent budget of the client it was made from,
// and two clients using one token share theirs.
func TestRateLimitPerToken(t *testing.T) {
	var mu sync.Mutex
	served := map[string]int{}
	reset := time.Now().Add(5 * time.Minute).UTC().Format(time.RFC3339)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		tok := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
		mu.Lock()
		served[tok]++
		mu.Unlock()
		w.Header().Set("X-RateLimit-Limit", "300")
		w.Header().Set("X-RateLimit-Remaining", map[bool]string{true: "0", false: "299"}[tok == "alice"])
		w.Header().Set("X-RateLimit-Reset", reset)
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"id":"` + tok + `"}`))
	}))
	defer srv.Close()
	alice, err := newScannedClient(srv.URL, WithAccessToken("alice"), WithRateLimit(RateLimitThrow), WithRetryPolicy(RetryPolicy{}))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if _, err := alice.Accounts.VerifyCredentials(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := alice.Accounts.VerifyCredentials(ctx); !errors.Is(err, ErrRateLimited) {
		t.Fatalf("alice's second call: %v, want a local ErrRateLimited", err)
	}
	bob, err := alice.WithToken("bob")
	if err != nil {
		t.Fatal(err)
	}
	if rl := bob.RateLimit(); rl.Known {
		t.Errorf("bob starts with alice's state %+v", rl)
	}
	if me, err := bob.Accounts.VerifyCredentials(ctx); err != nil || me.ID != "bob" {
		t.Fatalf("bob's call: %+v, %v; his budget is untouched", me, err)
	}
	if rl := bob.RateLimit(); rl.Remaining != 299 {
		t.Errorf("bob's state %+v", rl)
	}
	alice2, err := bob.WithToken("alice")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := alice2.Accounts.VerifyCredentials(ctx); !errors.Is(err, ErrRateLimited) {
		t.Errorf("another client with alice's token: %v, want ErrRateLimited (one budget per token)", err)
	}
	mu.Lock()
	defer mu.Unlock()
	if served["alice"] != 1 || served["bob"] != 1 {
		t.Errorf("server saw %v, want one call each", served)
	}
}

// TestRateLimitBuckets: a media upload and a status deletion are counted
// in budgets of their own; spending them must not block or pace the
// general calls that follow, and must still stop the next upload.
func TestRateLimitBuckets(t *testing.T) {
	for _, mode := range []RateLimitMode{RateLimitThrow, RateLimitPace, RateLimitWait} {
		t.Run(string(mode), func(t *testing.T) {
			srv := mastodontest.NewTestServer(t)
			_, tok := mtUser(srv, "alice")
			c, err := newScannedClient(srv.URL, WithAccessToken(tok), WithRateLimit(mode), WithRetryPolicy(RetryPolicy{}))
			if err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			st, err := c.Statuses.Post(ctx, &PostStatusParams{Status: "one"})
			if err != nil {
				t.Fatal(err)
			}
			srv.SetBucketRateLimitRemaining(tok, mastodontest.BucketMedia, 1)
			srv.SetBucketRateLimitRemaining(tok, mastodontest.BucketDelete, 1)
			if _, err := c.Media.UploadReader(ctx, strings.NewReader("GIF89a"), nil); err != nil {
				t.Fatal(err)
			}
			if rl := c.RateLimit(); rl.Limit != 30 || rl.Remaining != 0 {
				t.Errorf("after the upload: %+v, want the media budget (0 of 30)", rl)
			}
			if _, err := c.Statuses.Delete(ctx, st.Status.ID, nil); err != nil {
				t.Fatal(err)
			}
			for i := range 3 {
				if _, err := c.Accounts.VerifyCredentials(ctx); err != nil {
					t.Fatalf("GET %d after spending the media and delete budgets: %v", i, err)
				}
			}
			if rl := c.RateLimit(); rl.Limit != 300 || rl.Remaining < 290 {
				t.Errorf("after the GETs: %+v, want the general budget", rl)
			}
			if mode != RateLimitThrow {
				return
			}
			if _, err := c.Media.UploadReader(ctx, strings.NewReader("GIF89a"), nil); !errors.Is(err, ErrRateLimited) {
				t.Errorf("second upload: %v, want ErrRateLimited", err)
			}
		})
	}
}

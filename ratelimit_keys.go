package mastodon

import (
	"context"
	"crypto/sha256"
	"strings"
	"sync"
	"time"
)

// rlBucket names one of the server's separate rate limits. Mastodon counts
// most API calls against one budget per token (per address without one),
// and a few endpoints against budgets of their own (config/initializers/
// rack_attack.rb and the controllers' override_rate_limit_headers); each
// answers with the same X-RateLimit-* headers, describing the budget that
// is closest to running out. Keeping one state per bucket stops a media
// upload's 30-per-30-minutes budget from pacing the GETs that follow it.
type rlBucket uint8

const (
	bucketGeneral  rlBucket = iota // every other API call: 300 per 5 minutes
	bucketMedia                    // POST /api/v{n}/media: 30 per 30 minutes
	bucketDelete                   // deleting or unreblogging a status: 30 per 30 minutes
	bucketStatuses                 // posting, editing or reblogging a status
	bucketFollows                  // following an account or a hashtag
	bucketReports                  // filing a report
	bucketSignUp                   // registering an account
)

// bucketOf returns the bucket of a request. path is either an endpoint
// template ("/api/v1/statuses/{id}") or a concrete path; only the shape
// matters.
func bucketOf(method, path string) rlBucket {
	if i := strings.IndexAny(path, "?#"); i >= 0 {
		path = path[:i]
	}
	path = strings.TrimSuffix(path, "/")
	seg := strings.Split(strings.TrimPrefix(path, "/"), "/")
	if len(seg) < 3 || seg[0] != "api" || len(seg[1]) < 2 || seg[1][0] != 'v' {
		return bucketGeneral
	}
	res, rest := seg[2], seg[3:]
	switch method {
	case "POST":
		switch {
		case res == "media" && len(rest) == 0:
			return bucketMedia
		case seg[1] != "v1":
		case res == "statuses" && len(rest) == 0:
			return bucketStatuses
		case res == "statuses" && len(rest) == 2 && rest[1] == "reblog":
			return bucketStatuses
		case res == "statuses" && len(rest) == 2 && rest[1] == "unreblog":
			return bucketDelete
		case (res == "accounts" || res == "tags") && len(rest) == 2 && rest[1] == "follow":
			return bucketFollows
		case res == "reports" && len(rest) == 0:
			return bucketReports
		case res == "accounts" && len(rest) == 0:
			return bucketSignUp
		}
	case "PUT":
		if seg[1] == "v1" && res == "statuses" && len(rest) == 1 {
			return bucketStatuses
		}
	case "DELETE":
		if seg[1] == "v1" && res == "statuses" && len(rest) == 1 {
			return bucketDelete
		}
	}
	return bucketGeneral
}

// rlKey identifies one budget: a token (hashed, so the map never holds
// a secret in the clear) and a bucket. The zero hash is "no token".
type rlKey struct {
	token  [16]byte
	bucket rlBucket
}

// rateLimits holds the rate-limit state of every token and bucket a client
// and its WithToken copies have used. The server counts each token apart,
// so Bob's calls never wait on Alice's spent budget.
type rateLimits struct {
	mode       RateLimitMode
	paceFactor float64

	mu sync.Mutex
	m  map[rlKey]*rateLimiter
}

func newRateLimits(mode RateLimitMode, pace float64) *rateLimits {
	return &rateLimits{mode: mode, paceFactor: pace, m: map[rlKey]*rateLimiter{}}
}

// maxIdleLimiters bounds how many budgets are kept before idle ones (no
// request in flight) are forgotten, so a client that rotates tokens keeps
// its memory flat.
const maxIdleLimiters = 256

// get returns the limiter of token's bucket, making it on first use.
func (s *rateLimits) get(token string, b rlBucket) *rateLimiter {
	k := rlKey{bucket: b}
	if token != "" {
		h := sha256.Sum256([]byte(token))
		copy(k.token[:], h[:])
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if l := s.m[k]; l != nil {
		return l
	}
	if len(s.m) >= maxIdleLimiters {
		for k2, l := range s.m {
			l.mu.Lock()
			idle := l.inflight == 0
			l.mu.Unlock()
			if idle {
				delete(s.m, k2)
			}
		}
	}
	l := newRateLimiter(s.mode, s.paceFactor)
	s.m[k] = l
	return l
}

// lastRateLimit is the state of the most recent response one client got
// that carried rate-limit headers.
type lastRateLimit struct {
	mu sync.Mutex
	st RateLimit
}

func (l *lastRateLimit) set(st RateLimit) {
	l.mu.Lock()
	l.st = st
	l.mu.Unlock()
}

func (l *lastRateLimit) get() RateLimit {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.st
}

// waitAfter429 sleeps until the server says to try again; the answer says
// how long, whichever budget it was, and at most limit when limit > 0.
func (s *rateLimits) waitAfter429(ctx context.Context, e *APIError, limit time.Duration) error {
	var l rateLimiter
	return l.waitAfter429(ctx, e, limit)
}

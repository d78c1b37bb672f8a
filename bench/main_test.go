package bench

import (
	"testing"

	"github.com/tuskgo/mastodon/internal/leakcheck"
)

// TestMain fails the run if a benchmark leaves goroutines behind.
func TestMain(m *testing.M) { leakcheck.Main(m) }

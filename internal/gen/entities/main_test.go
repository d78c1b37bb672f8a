package main

import (
	"testing"

	"github.com/tuskgo/mastodon/internal/leakcheck"
)

// TestMain fails the run if a test leaves goroutines behind.
func TestMain(m *testing.M) { leakcheck.Main(m) }

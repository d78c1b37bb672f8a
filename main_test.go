package mastodon

import (
	"flag"
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/tuskgo/mastodon/internal/leakcheck"
)

// testSecrets are the secret values tests hand to the library. No error
// produced anywhere in this package's tests may contain one.
var testSecrets = []string{
	testToken, "csecret-SECRET", "code-SECRET", "verifier-SECRET", "pw-SECRET", "q-SECRET", "c-SECRET",
	"authcode-SECRET", "leak-me-not", "replay-token", "tok-abcdef123", "sec-xyz987", "file-token",
}

func TestMain(m *testing.M) {
	var mu sync.Mutex
	var seen []string
	observeError = func(err error) {
		mu.Lock()
		seen = append(seen, err.Error(), fmt.Sprintf("%+v", err), fmt.Sprintf("%#v", err))
		mu.Unlock()
	}
	// The tests, then the goroutine leak check.
	code := leakcheck.Run(m)
	mu.Lock()
	leaks := 0
	for _, s := range seen {
		for _, sec := range testSecrets {
			if strings.Contains(s, sec) {
				fmt.Fprintf(os.Stderr, "secret %q appears in an error: %s\n", sec, s)
				leaks++
			}
		}
	}
	mu.Unlock()
	if code == 0 && leaks > 0 {
		code = 1
	}
	// The floor only means something when the whole suite ran: a -run
	// filter or a fuzzing run (scripts/fuzz.sh) sees few errors by design.
	if code == 0 && len(seen) < 20 && !filtered() {
		fmt.Fprintf(os.Stderr, "only %d errors were observed; the secret scan saw too little to mean anything\n", len(seen))
		code = 1
	}
	os.Exit(code)
}

// filtered reports whether this run selects tests (-test.run, -test.skip)
// or fuzzes (-test.fuzz), so that not every test ran.
func filtered() bool {
	for _, name := range []string{"test.run", "test.skip", "test.fuzz"} {
		if f := flag.Lookup(name); f != nil && f.Value.String() != "" {
			return true
		}
	}
	return false
}

package mastodon

import (
	"flag"
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"
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
	code := m.Run()
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
	// A full run produces hundreds of errors; a filtered one may produce
	// none, and then there is nothing to judge.
	if f := flag.Lookup("test.run"); code == 0 && len(seen) < 20 && (f == nil || f.Value.String() == "") {
		fmt.Fprintf(os.Stderr, "only %d errors were observed; the secret scan saw too little to mean anything\n", len(seen))
		code = 1
	}
	os.Exit(code)
}

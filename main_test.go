package mastodon

import (
	"flag"
	"fmt"
	"log/slog"
	"os"
	"testing"

	"github.com/tuskgo/mastodon/internal/leakcheck"
)

// TestMain runs the tests with the secret scan (secretscan_test.go)
// watching slog's default logger besides the test clients, then the
// goroutine leak check, then fails the run if any error or log record held
// a test secret.
func TestMain(m *testing.M) {
	flag.Parse()
	if f := flag.Lookup("test.fuzzworker"); f == nil || f.Value.String() != "true" {
		// A fuzzing worker runs only the fuzz function, on inputs that
		// hold no test secret: the scan would only slow it down.
		suiteScan.retain = !fuzzing()
		// Test clients are watched through what they are built with
		// (newScannedClient). Records sent to slog's default logger (the
		// library sends none; a user's code might) are scanned too. Not a
		// wrapper of the old default handler: it writes through the log
		// package, which SetDefault sends back here.
		slog.SetDefault(slog.New(newScanHandler(suiteScan, slog.NewTextHandler(os.Stderr, nil))))
	}

	code := leakcheck.Run(m)

	leaks := suiteScan.finish()
	for _, l := range leaks {
		fmt.Fprintln(os.Stderr, l)
	}
	if code == 0 && len(leaks) > 0 {
		code = 1
	}
	// The floors only mean something when the whole suite ran: a -run
	// filter or a fuzzing run (scripts/fuzz.sh) sees little by design.
	errs, records := suiteScan.counts()
	if code == 0 && !filtered() && (errs < 20 || records < 20) {
		fmt.Fprintf(os.Stderr, "only %d errors and %d log records were observed; the secret scan saw too little to mean anything\n", errs, records)
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

// fuzzing reports whether this run fuzzes: then texts are checked as they
// come but not kept, as fuzzing makes endless distinct errors.
func fuzzing() bool {
	f := flag.Lookup("test.fuzz")
	return f != nil && f.Value.String() != ""
}

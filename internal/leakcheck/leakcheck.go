// Package leakcheck fails a test binary whose tests leave goroutines
// running. Every package with tests calls it from TestMain:
//
//	func TestMain(m *testing.M) { leakcheck.Main(m) }
//
// After the tests it closes idle HTTP connections, then waits (polling,
// bounded) for every goroutine started since TestMain began to end. Those
// still running are printed with their stacks and the run exits non-zero.
// Test does the same for one test.
package leakcheck

import (
	"bytes"
	"errors"
	"fmt"
	"net/http"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// Wait bounds how long the check waits for goroutines to end. A clean run
// returns as soon as they have; only a leak waits this long, so it is
// generous for -race on a loaded machine.
const Wait = 10 * time.Second

// IdleCloser is a transport or client whose idle keep-alive connections
// the check closes before waiting (*http.Transport, *http.Client).
type IdleCloser interface{ CloseIdleConnections() }

// Main runs the tests and the leak check, and exits.
func Main(m *testing.M, idle ...IdleCloser) { os.Exit(Run(m, idle...)) }

// Run runs the tests, then the leak check, and returns the exit code: the
// tests' own, or 1 when they passed but left goroutines behind.
func Run(m *testing.M, idle ...IdleCloser) int { return run(m, Wait, idle) }

func run(m *testing.M, wait time.Duration, idle []IdleCloser) int {
	base := snapshot()
	code := m.Run()
	if err := check(base, wait, idle); err != nil {
		fmt.Fprintln(os.Stderr, err)
		if code == 0 {
			code = 1
		}
	}
	return code
}

// Test fails t if goroutines started during the test are still running
// once it and its other cleanups are done. Call it first in the test, so
// that its cleanup runs last. Goroutines of tests running in parallel
// would count as its own, so it is for tests that do not call t.Parallel.
func Test(t testing.TB, idle ...IdleCloser) { test(t, Wait, idle) }

func test(t testing.TB, wait time.Duration, idle []IdleCloser) {
	t.Helper()
	base := snapshot()
	t.Cleanup(func() {
		if err := check(base, wait, idle); err != nil {
			t.Error(err)
		}
	})
}

// goroutine is one goroutine from a runtime.Stack dump.
type goroutine struct {
	id    uint64
	entry string // function the goroutine started in
	stack string // the dump's record, verbatim
}

// ignored are goroutines that belong to the process rather than to a test,
// by the function they started in. Each is started once and lives until
// exit; nothing can stop it, so waiting for it would always fail.
var ignored = []string{
	// os/signal.Notify starts one dispatcher for the whole process
	// (signal.Stop does not end it).
	"os/signal.loop",
}

// snapshot records the goroutines running now, to be left out of the check.
func snapshot() map[uint64]bool {
	base := map[uint64]bool{}
	for _, g := range goroutines() {
		base[g.id] = true
	}
	return base
}

// check waits up to wait for every goroutine not in base, not ignored and
// not the caller itself to end; it returns an error listing the rest.
func check(base map[uint64]bool, wait time.Duration, idle []IdleCloser) error {
	deadline := time.Now().Add(wait)
	pause := time.Millisecond
	for {
		// Connections go idle as their readers finish, so close them on
		// every round, not once.
		if t, ok := http.DefaultTransport.(IdleCloser); ok {
			t.CloseIdleConnections()
		}
		for _, c := range idle {
			c.CloseIdleConnections()
		}
		left := leaked(base)
		if len(left) == 0 {
			return nil
		}
		if time.Now().After(deadline) {
			var b strings.Builder
			fmt.Fprintf(&b, "leakcheck: %d goroutine(s) still running %v after the tests:\n", len(left), wait)
			for _, g := range left {
				b.WriteString("\n")
				b.WriteString(g.stack)
				b.WriteString("\n")
			}
			return errors.New(b.String())
		}
		time.Sleep(pause)
		pause = min(2*pause, 100*time.Millisecond)
	}
}

// leaked lists the goroutines the check waits for.
func leaked(base map[uint64]bool) []goroutine {
	self := currentID()
	var out []goroutine
	for _, g := range goroutines() {
		if g.id == self || base[g.id] || slices.Contains(ignored, g.entry) {
			continue
		}
		out = append(out, g)
	}
	return out
}

// goroutines returns every goroutine's stack (the runtime leaves out its
// own system goroutines).
func goroutines() []goroutine {
	return parse(dump(true))
}

func dump(all bool) []byte {
	buf := make([]byte, 64<<10)
	for {
		n := runtime.Stack(buf, all)
		if n < len(buf) {
			return buf[:n]
		}
		buf = make([]byte, 2*len(buf))
	}
}

func currentID() uint64 {
	gs := parse(dump(false))
	if len(gs) != 1 {
		panic("leakcheck: cannot read the current goroutine's stack")
	}
	return gs[0].id
}

// parse splits a runtime.Stack dump into goroutines. Records are
// separated by blank lines; each starts "goroutine N [state]:", then a
// function line and a tab-indented file line per frame, and usually ends
// "created by F in goroutine M".
func parse(dump []byte) []goroutine {
	var out []goroutine
	for rec := range bytes.SplitSeq(bytes.TrimSpace(dump), []byte("\n\n")) {
		lines := strings.Split(string(rec), "\n")
		head, ok := strings.CutPrefix(lines[0], "goroutine ")
		if !ok {
			continue
		}
		idText, _, _ := strings.Cut(head, " ")
		id, err := strconv.ParseUint(idText, 10, 64)
		if err != nil {
			continue
		}
		g := goroutine{id: id, stack: string(rec)}
		for _, l := range lines[1:] {
			if l == "" || strings.HasPrefix(l, "\t") || strings.HasPrefix(l, "created by ") || strings.HasPrefix(l, "...") {
				continue
			}
			g.entry = funcName(l) // the last frame is where it started
		}
		out = append(out, g)
	}
	return out
}

// funcName strips the argument list from a frame line:
// "net/http.(*conn).serve(0xc000123)" -> "net/http.(*conn).serve".
func funcName(line string) string {
	if i := strings.LastIndexByte(line, '('); i > 0 && strings.HasSuffix(line, ")") {
		return line[:i]
	}
	return line
}

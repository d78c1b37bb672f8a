package leakcheck

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"os/signal"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// demoEnv makes the test binary, run again as a child, play one scenario
// under the real TestMain path.
const demoEnv = "LEAKCHECK_DEMO"

func TestMain(m *testing.M) {
	if os.Getenv(demoEnv) == "leak" {
		// A short wait: the leak would otherwise hold the run for Wait.
		os.Exit(run(m, 500*time.Millisecond, nil))
	}
	Main(m)
}

// block is where the deliberately leaked goroutine sits, so its stack
// names this function.
func block(stop <-chan struct{}) { <-stop }

func TestLeakedGoroutineIsReported(t *testing.T) {
	base := snapshot()
	stop := make(chan struct{})
	go block(stop)
	err := check(base, 50*time.Millisecond, nil)
	close(stop)
	if err == nil {
		t.Fatal("a blocked goroutine was not reported")
	}
	for _, want := range []string{"leakcheck: 1 goroutine(s)", "leakcheck.block(", "created by"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("report lacks %q:\n%s", want, err)
		}
	}
	// Once it ends, the same baseline passes.
	if err := check(base, Wait, nil); err != nil {
		t.Fatal(err)
	}
}

func TestEndingGoroutinesAreAwaited(t *testing.T) {
	base := snapshot()
	stop := make(chan struct{})
	for range 4 {
		go block(stop)
	}
	time.AfterFunc(20*time.Millisecond, func() { close(stop) })
	if err := check(base, Wait, nil); err != nil {
		t.Fatal(err)
	}
}

func TestIdleConnectionsAreClosed(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "ok") }))
	defer srv.Close()
	tr := &http.Transport{}
	base := snapshot()
	for _, c := range []*http.Client{http.DefaultClient, {Transport: tr}} {
		resp, err := c.Get(srv.URL)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
	// The server is still up: only closing both clients' idle keep-alive
	// connections ends their goroutines and the server's.
	if err := check(base, Wait, []IdleCloser{tr}); err != nil {
		t.Fatal(err)
	}
}

// recorder is a testing.TB that keeps its cleanups and errors.
type recorder struct {
	testing.TB
	cleanups []func()
	errs     []string
}

func (r *recorder) Helper()                   {}
func (r *recorder) Cleanup(f func())          { r.cleanups = append(r.cleanups, f) }
func (r *recorder) Error(args ...any)         { r.errs = append(r.errs, fmt.Sprint(args...)) }
func (r *recorder) Errorf(f string, a ...any) { r.errs = append(r.errs, fmt.Sprintf(f, a...)) }

func (r *recorder) finish() {
	for _, f := range slices.Backward(r.cleanups) {
		f()
	}
}

func TestPerTest(t *testing.T) {
	stop := make(chan struct{})
	clean := &recorder{TB: t}
	Test(clean)
	done := make(chan struct{})
	go func() { <-stop; close(done) }()
	close(stop)
	<-done
	clean.finish()
	if len(clean.errs) != 0 {
		t.Errorf("a test whose goroutine ended failed: %v", clean.errs)
	}

	leaky := &recorder{TB: t}
	test(leaky, 50*time.Millisecond, nil) // the goroutine ends only after the check
	stop = make(chan struct{})
	go block(stop)
	leaky.finish()
	close(stop)
	if len(leaky.errs) != 1 || !strings.Contains(leaky.errs[0], "leakcheck.block(") {
		t.Errorf("a leaking test was not failed: %v", leaky.errs)
	}
}

func TestParse(t *testing.T) {
	dump := "goroutine 7 [chan receive, 2 minutes]:\n" +
		"example.com/p.wait(0xc000010000)\n\t/src/p/p.go:12 +0x1d\n" +
		"example.com/p.(*T).run.func1()\n\t/src/p/p.go:30 +0x25\n" +
		"created by example.com/p.(*T).run in goroutine 1\n\t/src/p/p.go:29 +0x40\n" +
		"\n" +
		"goroutine 1 [running]:\nmain.main()\n\t/src/main.go:3 +0x10\n"
	gs := parse([]byte(dump))
	if len(gs) != 2 {
		t.Fatalf("parsed %d goroutines, want 2", len(gs))
	}
	if gs[0].id != 7 || gs[0].entry != "example.com/p.(*T).run.func1" || !strings.HasSuffix(gs[0].stack, "+0x40") {
		t.Errorf("first = %+v", gs[0])
	}
	if gs[1].id != 1 || gs[1].entry != "main.main" {
		t.Errorf("second = %+v", gs[1])
	}
	if gs := parse([]byte("garbage\n\nmore garbage")); len(gs) != 0 {
		t.Errorf("garbage parsed as %+v", gs)
	}
}

// The demo tests do their thing only in a child run.

func TestDemoLeak(t *testing.T) {
	if os.Getenv(demoEnv) != "leak" {
		t.Skip("run as a child by TestMainFailsOnLeak")
	}
	go block(make(chan struct{}))
}

func TestDemoClean(t *testing.T) {
	if os.Getenv(demoEnv) != "clean" {
		t.Skip("run as a child by TestMainPassesCleanRun")
	}
	// Process-wide goroutines stay and are ignored: signal handling ...
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, syscall.SIGUSR1)
	signal.Stop(ch)
	// ... goroutines the test waited for have ended ...
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {})
	}
	wg.Wait()
	// ... and a keep-alive connection to a closed server is closed.
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "ok") }))
	resp, err := http.Get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	srv.Close()
}

func child(t *testing.T, scenario string) (string, error) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestDemo", "-test.v")
	cmd.Env = append(os.Environ(), demoEnv+"="+scenario)
	out, err := cmd.CombinedOutput()
	return string(out), err
}

func TestMainFailsOnLeak(t *testing.T) {
	out, err := child(t, "leak")
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 1 {
		t.Fatalf("child exited with %v, want status 1:\n%s", err, out)
	}
	for _, want := range []string{"--- PASS: TestDemoLeak", "leakcheck: 1 goroutine(s)", "leakcheck.block("} {
		if !strings.Contains(out, want) {
			t.Errorf("child output lacks %q:\n%s", want, out)
		}
	}
}

func TestMainPassesCleanRun(t *testing.T) {
	out, err := child(t, "clean")
	if err != nil {
		t.Fatalf("child: %v\n%s", err, out)
	}
	if !strings.Contains(out, "--- PASS: TestDemoClean") || strings.Contains(out, "leakcheck:") {
		t.Errorf("child output:\n%s", out)
	}
}

package mastodon

import (
	"errors"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

const maxResetForTest = MaxRateLimitReset

// wantRefused checks err is the refusal of a foreign destination: a
// *DestinationError matching ErrForeignOrigin that names the origin and
// quotes no secret.
func wantRefused(t *testing.T, err error, what string) {
	t.Helper()
	seeErr(err) // refusals made outside a call reach no log
	var de *DestinationError
	if !errors.Is(err, ErrForeignOrigin) || !errors.As(err, &de) {
		t.Errorf("%s: err = %v, want a *DestinationError", what, err)
		return
	}
	if de.Origin == "" || !strings.Contains(err.Error(), de.Origin) {
		t.Errorf("%s: %v does not name the origin", what, err)
	}
	if errors.Is(err, ErrNetwork) {
		t.Errorf("%s: %v is a network error (it would be retried)", what, err)
	}
	for _, sec := range suiteSecrets {
		if strings.Contains(err.Error(), sec) {
			t.Errorf("%s: %v quotes %q", what, err, sec)
		}
	}
}

// TestEveryRequestPathChecksDestination enumerates the paths that send a
// request: every function of the package that builds an HTTP request or
// dials a WebSocket must ask the credential rule (checkDest, or a helper
// that does) before it sends, so a new path cannot forget it. Redirects
// are held to it by checkRedirect, which every HTTP client of the library
// gets (safeHTTPClient), and Link cursors by cursorReq.
func TestEveryRequestPathChecksDestination(t *testing.T) {
	senders := map[string]bool{
		"http.NewRequest": true, "http.NewRequestWithContext": true, "http.Get": true, "http.Post": true,
		"http.PostForm": true, "http.Head": true, "websocket.Dial": true,
	}
	checks := map[string]bool{"checkDest": true, "destOK": true, "checkStreamURL": true}
	files, _ := filepath.Glob("*.go")
	fset := token.NewFileSet()
	var found []string
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		src, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		f, err := parser.ParseFile(fset, name, src, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			fn, ok := d.(*ast.FuncDecl)
			if !ok || fn.Body == nil {
				continue
			}
			var sends, checked bool
			ast.Inspect(fn.Body, func(n ast.Node) bool {
				call, ok := n.(*ast.CallExpr)
				if !ok {
					return true
				}
				sel, ok := call.Fun.(*ast.SelectorExpr)
				if !ok {
					return true
				}
				if x, ok := sel.X.(*ast.Ident); ok && senders[x.Name+"."+sel.Sel.Name] {
					sends = true
				}
				if checks[sel.Sel.Name] {
					checked = true
				}
				return true
			})
			if sends {
				found = append(found, fn.Name.Name)
				if !checked {
					t.Errorf("%s (%s) sends a request without asking checkDest", fn.Name.Name, name)
				}
			}
		}
	}
	// The paths known today; the list only grows with new ones.
	// (Streaming.Health goes through attempt, with the streaming scope.)
	for _, want := range []string{"attempt", "openSSE", "dialWebSocket"} {
		if !slices.Contains(found, want) {
			t.Errorf("no request is built in %s any more: update this test's list", want)
		}
	}
}

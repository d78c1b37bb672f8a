package mastodon

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tuskgo/mastodon/credfile"
)

// TestWorldReadableCredentialWarning: the warning about a file others may
// read goes to the client's logger, never to slog's global one.
func TestWorldReadableCredentialWarning(t *testing.T) {
	var global, logs bytes.Buffer
	old := slog.Default()
	slog.SetDefault(slog.New(slog.NewTextHandler(&global, nil)))
	t.Cleanup(func() { slog.SetDefault(old) })
	p := filepath.Join(t.TempDir(), "usercred.secret")
	os.WriteFile(p, []byte("tok-SECRET\nhttps://x.example\n"), 0o644)
	if _, err := credfile.ReadUser(p); err != nil {
		t.Fatal(err)
	}
	c, err := NewClientFromFiles(p, "", WithLogger(slog.New(newScanHandler(suiteScan, slog.NewTextHandler(&logs, nil)))))
	if err != nil {
		t.Fatal(err)
	}
	if !c.HasToken() {
		t.Error("the client has no token")
	}
	if !strings.Contains(logs.String(), "readable by other users") || !strings.Contains(logs.String(), "mode=-rw-r--r--") {
		t.Errorf("no warning on the client's logger for a 0644 credential file: %q", logs.String())
	}
	if global.Len() != 0 {
		t.Errorf("slog's global logger got %q", global.String())
	}
	if strings.Contains(logs.String(), "tok-SECRET") {
		t.Error("the warning leaks the token")
	}
	logs.Reset()
	os.Chmod(p, 0o600)
	if _, err := NewClientFromFiles(p, "", WithLogger(slog.New(slog.NewTextHandler(&logs, nil)))); err != nil || logs.Len() != 0 {
		t.Errorf("0600 file: %v, logs %q", err, logs.String())
	}
}

func TestNewClientFromFilesAndUserCredentials(t *testing.T) {
	c0, mux, _ := setup(t)
	mux.HandleFunc("/api/v1/accounts/verify_credentials", func(w http.ResponseWriter, r *http.Request) {
		testHeader(t, r, "Authorization", "Bearer file-token")
		testHeader(t, r, "User-Agent", "mybot")
		fmt.Fprint(w, `{"id":"1","username":"me"}`)
	})
	dir := t.TempDir()
	cf, uf := filepath.Join(dir, "c"), filepath.Join(dir, "u")
	credfile.WriteApp(cf, &credfile.App{ClientID: "cid", ClientSecret: "csec", BaseURL: c0.BaseURL() + "/", ClientName: "mybot"})
	credfile.WriteUser(uf, &credfile.User{AccessToken: "file-token", BaseURL: c0.BaseURL()})
	c, err := NewClientFromFiles(uf, cf, WithRetryPolicy(RetryPolicy{}))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Accounts.VerifyCredentials(context.Background()); err != nil {
		t.Fatal(err)
	}
	// What Mastodon.py's persistable_login_credentials returns.
	u, err := c.UserCredentials()
	if err != nil || string(u.Bytes()) != "file-token\n"+c0.BaseURL()+"\ncid\ncsec\n" {
		t.Errorf("UserCredentials = %q, %v", u, err)
	}
	other := filepath.Join(dir, "o")
	credfile.WriteUser(other, &credfile.User{AccessToken: "t", BaseURL: "https://elsewhere.example"})
	if _, err := NewClientFromFiles(other, cf); !errors.Is(err, ErrIllegalArgument) {
		t.Errorf("mismatched servers: %v", err)
	}
	noToken, _ := newScannedClient("example.org")
	if _, err := noToken.UserCredentials(); !errors.Is(err, ErrIllegalArgument) {
		t.Errorf("no token: %v", err)
	}
	bad := filepath.Join(dir, "b")
	os.WriteFile(bad, []byte("\n\n"), 0o600)
	if _, err := NewClientFromFiles(bad, ""); !errors.Is(err, credfile.ErrInvalid) {
		t.Errorf("malformed user file: %v, want credfile.ErrInvalid", err)
	}
	if _, err := NewClientFromFiles("", bad); !errors.Is(err, credfile.ErrInvalid) {
		t.Errorf("malformed client file: %v, want credfile.ErrInvalid", err)
	}
}

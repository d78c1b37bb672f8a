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
)

func TestCredentialFilesRoundTripByteForByte(t *testing.T) {
	dir := t.TempDir()
	app := &AppCredentials{ClientID: "4xoC5Zj", ClientSecret: "bzUzjTT", BaseURL: "https://mastodon.example", ClientName: "mybot"}
	p := filepath.Join(dir, "clientcred.secret")
	if err := WriteAppCredentials(p, app); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(p)
	if string(b) != "4xoC5Zj\nbzUzjTT\nhttps://mastodon.example\nmybot\n" {
		t.Errorf("client file = %q, not Mastodon.py's layout", b)
	}
	st, _ := os.Stat(p)
	if st.Mode().Perm() != 0o600 {
		t.Errorf("client file mode = %v, want 0600", st.Mode().Perm())
	}
	got, err := ReadAppCredentials(p)
	if err != nil || *got != *app {
		t.Errorf("read back %+v, %v", got, err)
	}

	user := &UserCredentials{AccessToken: "tok", BaseURL: "https://mastodon.example", ClientID: "4xoC5Zj", ClientSecret: "bzUzjTT"}
	up := filepath.Join(dir, "usercred.secret")
	if err := WriteUserCredentials(up, user); err != nil {
		t.Fatal(err)
	}
	b, _ = os.ReadFile(up)
	if string(b) != "tok\nhttps://mastodon.example\n4xoC5Zj\nbzUzjTT\n" {
		t.Errorf("user file = %q", b)
	}
	if st, _ := os.Stat(up); st.Mode().Perm() != 0o600 {
		t.Errorf("user file mode = %v", st.Mode().Perm())
	}
	// Overwriting an existing world-readable file leaves it 0600.
	os.Chmod(up, 0o644)
	if err := WriteUserCredentials(up, user); err != nil {
		t.Fatal(err)
	}
	if st, _ := os.Stat(up); st.Mode().Perm() != 0o600 {
		t.Errorf("rewritten user file mode = %v", st.Mode().Perm())
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 2 {
		t.Errorf("temporary files left behind: %v", entries)
	}
}

func TestCredentialFilesOldLayouts(t *testing.T) {
	cases := []struct {
		in   string
		app  *AppCredentials
		user *UserCredentials
	}{
		{in: "id\nsecret\n", app: &AppCredentials{ClientID: "id", ClientSecret: "secret"}},
		{in: "id\r\nsecret\r\nhttps://x.example\r\n", app: &AppCredentials{ClientID: "id", ClientSecret: "secret", BaseURL: "https://x.example"}},
		{in: "id\nsecret\nhttps://x.example\nname with spaces\n\n\n", app: &AppCredentials{ClientID: "id", ClientSecret: "secret", BaseURL: "https://x.example", ClientName: "name with spaces"}},
		{in: "tok\n", user: &UserCredentials{AccessToken: "tok"}},
		{in: "tok", user: &UserCredentials{AccessToken: "tok"}},
		{in: "tok\nhttps://x.example\n", user: &UserCredentials{AccessToken: "tok", BaseURL: "https://x.example"}},
		{in: "tok  \nhttps://x.example\nid\nsec\n", user: &UserCredentials{AccessToken: "tok", BaseURL: "https://x.example", ClientID: "id", ClientSecret: "sec"}},
	}
	for _, tc := range cases {
		if tc.app != nil {
			got, err := ParseAppCredentials([]byte(tc.in))
			if err != nil || *got != *tc.app {
				t.Errorf("ParseAppCredentials(%q) = %+v, %v", tc.in, got, err)
			}
		} else {
			got, err := ParseUserCredentials([]byte(tc.in))
			if err != nil || *got != *tc.user {
				t.Errorf("ParseUserCredentials(%q) = %+v, %v", tc.in, got, err)
			}
		}
	}
	for _, bad := range []string{"", "\n", "onlyid\n", "id\n\nx\n", "id\nsec\x1b[31m\n"} {
		if _, err := ParseAppCredentials([]byte(bad)); !errors.Is(err, ErrIllegalArgument) {
			t.Errorf("ParseAppCredentials(%q) err = %v", bad, err)
		}
	}
	if _, err := ParseUserCredentials(bytes.Repeat([]byte("x"), maxCredentialFile+1)); err == nil {
		t.Error("oversized file accepted")
	}
	if err := WriteUserCredentials(filepath.Join(t.TempDir(), "x"), &UserCredentials{AccessToken: "a\nb"}); !errors.Is(err, ErrIllegalArgument) {
		t.Errorf("line break in token: %v", err)
	}
}

func TestCredentialsNeverPrinted(t *testing.T) {
	a := AppCredentials{ClientID: "id", ClientSecret: "sec-SECRET"}
	u := UserCredentials{AccessToken: "tok-SECRET", ClientSecret: "sec-SECRET"}
	for _, f := range []string{"%v", "%+v", "%#v", "%s"} {
		for _, v := range []any{a, &a, u, &u} {
			if s := fmt.Sprintf(f, v); strings.Contains(s, "SECRET") {
				t.Errorf("%s prints a secret: %s", f, s)
			}
		}
	}
}

// TestWorldReadableCredentialWarning: the warning about a file others may
// read goes to the client's logger, never to slog's global one.
func TestWorldReadableCredentialWarning(t *testing.T) {
	var global, logs bytes.Buffer
	old := slog.Default()
	slog.SetDefault(slog.New(slog.NewTextHandler(&global, nil)))
	t.Cleanup(func() { slog.SetDefault(old) })
	p := filepath.Join(t.TempDir(), "usercred.secret")
	os.WriteFile(p, []byte("tok-SECRET\nhttps://x.example\n"), 0o644)
	if _, err := ReadUserCredentials(p); err != nil {
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

func TestNewClientFromFilesAndPersistable(t *testing.T) {
	c0, mux, _ := setup(t)
	mux.HandleFunc("/api/v1/accounts/verify_credentials", func(w http.ResponseWriter, r *http.Request) {
		testHeader(t, r, "Authorization", "Bearer file-token")
		testHeader(t, r, "User-Agent", "mybot")
		fmt.Fprint(w, `{"id":"1","username":"me"}`)
	})
	dir := t.TempDir()
	cf, uf := filepath.Join(dir, "c"), filepath.Join(dir, "u")
	WriteAppCredentials(cf, &AppCredentials{ClientID: "cid", ClientSecret: "csec", BaseURL: c0.BaseURL() + "/", ClientName: "mybot"})
	WriteUserCredentials(uf, &UserCredentials{AccessToken: "file-token", BaseURL: c0.BaseURL()})
	c, err := NewClientFromFiles(uf, cf, WithRetryPolicy(RetryPolicy{}))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Accounts.VerifyCredentials(context.Background()); err != nil {
		t.Fatal(err)
	}
	s, err := c.PersistableCredentials()
	if err != nil || s != "file-token\n"+c0.BaseURL()+"\ncid\ncsec\n" {
		t.Errorf("PersistableCredentials = %q, %v", s, err)
	}
	other := filepath.Join(dir, "o")
	WriteUserCredentials(other, &UserCredentials{AccessToken: "t", BaseURL: "https://elsewhere.example"})
	if _, err := NewClientFromFiles(other, cf); !errors.Is(err, ErrIllegalArgument) {
		t.Errorf("mismatched servers: %v", err)
	}
	noToken, _ := newScannedClient("example.org")
	if _, err := noToken.PersistableCredentials(); !errors.Is(err, ErrIllegalArgument) {
		t.Errorf("no token: %v", err)
	}
}

func FuzzParseCredentials(f *testing.F) {
	f.Add([]byte("id\nsecret\nhttps://x.example\nname\n"))
	f.Add([]byte("tok\r\n"))
	f.Add([]byte("\x00\n\xff"))
	f.Fuzz(func(t *testing.T, data []byte) {
		if a, err := ParseAppCredentials(data); err == nil {
			if a.ClientID == "" || a.ClientSecret == "" || strings.ContainsAny(a.ClientID+a.ClientSecret, "\r\n") {
				t.Fatalf("bad app credentials accepted: %q", data)
			}
			// What was read writes back to a file that reads the same.
			b, err := ParseAppCredentials(a.Bytes())
			if err != nil || *b != *a {
				t.Fatalf("round trip: %+v vs %+v (%v)", a, b, err)
			}
		}
		if u, err := ParseUserCredentials(data); err == nil && u.AccessToken == "" {
			t.Fatalf("empty token accepted: %q", data)
		}
	})
}

package credfile

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestRoundTripByteForByte(t *testing.T) {
	dir := t.TempDir()
	app := &App{ClientID: "4xoC5Zj", ClientSecret: "bzUzjTT", BaseURL: "https://mastodon.example", ClientName: "mybot"}
	p := filepath.Join(dir, "clientcred.secret")
	if err := WriteApp(p, app); err != nil {
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
	got, err := ReadApp(p)
	if err != nil || *got != *app {
		t.Errorf("read back %+v, %v", got, err)
	}

	user := &User{AccessToken: "tok", BaseURL: "https://mastodon.example", ClientID: "4xoC5Zj", ClientSecret: "bzUzjTT"}
	up := filepath.Join(dir, "usercred.secret")
	if err := WriteUser(up, user); err != nil {
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
	if err := WriteUser(up, user); err != nil {
		t.Fatal(err)
	}
	if st, _ := os.Stat(up); st.Mode().Perm() != 0o600 {
		t.Errorf("rewritten user file mode = %v", st.Mode().Perm())
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 2 {
		t.Errorf("temporary files left behind: %v", entries)
	}
}

func TestOldLayouts(t *testing.T) {
	cases := []struct {
		in   string
		app  *App
		user *User
	}{
		{in: "id\nsecret\n", app: &App{ClientID: "id", ClientSecret: "secret"}},
		{in: "id\r\nsecret\r\nhttps://x.example\r\n", app: &App{ClientID: "id", ClientSecret: "secret", BaseURL: "https://x.example"}},
		{in: "id\nsecret\nhttps://x.example\nname with spaces\n\n\n", app: &App{ClientID: "id", ClientSecret: "secret", BaseURL: "https://x.example", ClientName: "name with spaces"}},
		{in: "tok\n", user: &User{AccessToken: "tok"}},
		{in: "tok", user: &User{AccessToken: "tok"}},
		{in: "tok\nhttps://x.example\n", user: &User{AccessToken: "tok", BaseURL: "https://x.example"}},
		{in: "tok  \nhttps://x.example\nid\nsec\n", user: &User{AccessToken: "tok", BaseURL: "https://x.example", ClientID: "id", ClientSecret: "sec"}},
	}
	for _, tc := range cases {
		if tc.app != nil {
			got, err := ParseApp([]byte(tc.in))
			if err != nil || *got != *tc.app {
				t.Errorf("ParseApp(%q) = %+v, %v", tc.in, got, err)
			}
		} else {
			got, err := ParseUser([]byte(tc.in))
			if err != nil || *got != *tc.user {
				t.Errorf("ParseUser(%q) = %+v, %v", tc.in, got, err)
			}
		}
	}
	for _, bad := range []string{"", "\n", "onlyid\n", "id\n\nx\n", "id\nsec\x1b[31m\n"} {
		if _, err := ParseApp([]byte(bad)); !errors.Is(err, ErrInvalid) {
			t.Errorf("ParseApp(%q) err = %v", bad, err)
		}
	}
	if _, err := ParseUser(bytes.Repeat([]byte("x"), MaxSize+1)); err == nil {
		t.Error("oversized file accepted")
	}
	if err := WriteUser(filepath.Join(t.TempDir(), "x"), &User{AccessToken: "a\nb"}); !errors.Is(err, ErrInvalid) {
		t.Errorf("line break in token: %v", err)
	}
}

func TestNeverPrinted(t *testing.T) {
	a := App{ClientID: "id", ClientSecret: "sec-SECRET"}
	u := User{AccessToken: "tok-SECRET", ClientSecret: "sec-SECRET"}
	for _, f := range []string{"%v", "%+v", "%#v", "%s"} {
		for _, v := range []any{a, &a, u, &u} {
			if s := fmt.Sprintf(f, v); strings.Contains(s, "SECRET") {
				t.Errorf("%s prints a secret: %s", f, s)
			}
		}
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte("id\nsecret\nhttps://x.example\nname\n"))
	f.Add([]byte("tok\r\n"))
	f.Add([]byte("\x00\n\xff"))
	f.Fuzz(func(t *testing.T, data []byte) {
		if a, err := ParseApp(data); err == nil {
			if a.ClientID == "" || a.ClientSecret == "" || strings.ContainsAny(a.ClientID+a.ClientSecret, "\r\n") {
				t.Fatalf("bad app credentials accepted: %q", data)
			}
			// What was read writes back to a file that reads the same.
			b, err := ParseApp(a.Bytes())
			if err != nil || *b != *a {
				t.Fatalf("round trip: %+v vs %+v (%v)", a, b, err)
			}
		}
		if u, err := ParseUser(data); err == nil && u.AccessToken == "" {
			t.Fatalf("empty token accepted: %q", data)
		}
	})
}

// TestErrorsHoldNoSecrets: whatever goes wrong, an error names the file
// and the problem, never a token or a secret.
func TestErrorsHoldNoSecrets(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "no-such-dir", "cred.secret")
	checks := map[string]error{
		"WriteUser to a missing directory": WriteUser(missing, &User{AccessToken: "tok-SECRET", ClientSecret: "sec-SECRET"}),
		"WriteApp to a missing directory":  WriteApp(missing, &App{ClientID: "id", ClientSecret: "sec-SECRET"}),
		"line break in a token":            WriteUser(missing, &User{AccessToken: "tok-SECRET\nmore"}),
		"line break in a secret":           WriteApp(missing, &App{ClientID: "id", ClientSecret: "sec-SECRET\r"}),
	}
	_, checks["control character"] = ParseUser([]byte("tok-SECRET\x1b[2J\n"))
	_, checks["no secret line"] = ParseApp([]byte("id-SECRET\n"))
	_, checks["missing file"] = ReadUser(missing)
	for name, err := range checks {
		if err == nil {
			t.Errorf("%s: no error", name)
			continue
		}
		if strings.Contains(err.Error(), "SECRET") {
			t.Errorf("%s: error %q holds a secret", name, err)
		}
	}
	for _, name := range []string{"WriteUser to a missing directory", "missing file"} {
		if !strings.Contains(checks[name].Error(), filepath.Dir(missing)) {
			t.Errorf("%s: error %q does not name the file's directory", name, checks[name])
		}
	}
	for _, name := range []string{"line break in a token", "line break in a secret", "control character", "no secret line"} {
		if !errors.Is(checks[name], ErrInvalid) {
			t.Errorf("%s: %v is not ErrInvalid", name, checks[name])
		}
	}
}

func TestLoadReportsExposedFiles(t *testing.T) {
	p := filepath.Join(t.TempDir(), "usercred.secret")
	if err := os.WriteFile(p, []byte("tok\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	os.Chmod(p, 0o644) // whatever the umask
	data, exposed, err := Load(p)
	if err != nil || string(data) != "tok\n" || exposed != 0o644 {
		t.Fatalf("Load of a 0644 file = %q, %v, %v; want its content and mode 0644", data, exposed, err)
	}
	os.Chmod(p, 0o600)
	if _, exposed, err := Load(p); err != nil || exposed != 0 {
		t.Fatalf("Load of a 0600 file: exposed %v, %v; want 0", exposed, err)
	}
	big := filepath.Join(t.TempDir(), "big")
	os.WriteFile(big, bytes.Repeat([]byte("x"), MaxSize+1), 0o600)
	if _, _, err := Load(big); !errors.Is(err, ErrInvalid) {
		t.Fatalf("Load of an oversized file: %v, want ErrInvalid", err)
	}
}

package cli

import (
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/tuskgo/mastodon"
	"github.com/tuskgo/mastodon/credfile"
)

// Saved accounts live in the config directory:
//
//	accounts/USER@HOST.secret   a Mastodon.py user credential file (token,
//	                            server, client id and secret), mode 0600
//	default                     the name of the default account
//
// A port in HOST is written with "+" for ":" in the file name, and any
// other byte but letters, digits, "_", "-", "." and "@" as %XX (a leading
// "." too), so that no name, whatever a server calls its user, can reach
// outside the directory or hide a file.

func accountFile(dir, name string) string {
	return filepath.Join(dir, "accounts", fileName(name)+".secret")
}

// fileName turns an account name into one path element.
func fileName(name string) string {
	var b strings.Builder
	for i := 0; i < len(name); i++ {
		c := name[i]
		switch {
		case c == ':':
			b.WriteByte('+')
		case c == '.' && i == 0:
			b.WriteString("%2E")
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9', c == '_', c == '-', c == '.', c == '@':
			b.WriteByte(c)
		default:
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
}

// nameOfFile undoes fileName; ok is false for a name fileName cannot make.
func nameOfFile(file string) (string, bool) {
	name, err := url.PathUnescape(strings.ReplaceAll(file, "+", ":"))
	return name, err == nil && fileName(name) == file
}

// accountName is USER@HOST for a server base URL.
func accountName(username, baseURL string) string {
	host := baseURL
	if u, err := url.Parse(baseURL); err == nil && u.Host != "" {
		host = u.Host
	}
	return username + "@" + strings.ToLower(host)
}

// savedAccounts lists the saved accounts, sorted, and the default one.
func (a *app) savedAccounts() (names []string, def string, err error) {
	dir, err := a.configDir()
	if err != nil {
		return nil, "", err
	}
	entries, err := os.ReadDir(filepath.Join(dir, "accounts"))
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, "", err
	}
	for _, e := range entries {
		n := e.Name()
		if e.IsDir() || strings.HasPrefix(n, ".") || !strings.HasSuffix(n, ".secret") {
			continue
		}
		if name, ok := nameOfFile(strings.TrimSuffix(n, ".secret")); ok {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	if data, err := os.ReadFile(filepath.Join(dir, "default")); err == nil {
		def = strings.TrimSpace(string(data))
	}
	if !slices.Contains(names, def) {
		def = ""
		if len(names) == 1 {
			def = names[0]
		}
	}
	return names, def, nil
}

// resolveAccount finds a saved account by full name, or by a unique
// prefix or username.
func (a *app) resolveAccount(name string) (string, error) {
	names, def, err := a.savedAccounts()
	if err != nil {
		return "", err
	}
	if len(names) == 0 {
		return "", &notLoggedInError{"you are not logged in. Log in with 'tusk login SERVER' (for example 'tusk login mastodon.social'), or try 'tusk demo' first."}
	}
	name = strings.TrimPrefix(name, "@")
	if name == "" {
		if def == "" {
			return "", &notLoggedInError{fmt.Sprintf("several accounts are saved (%s) and none is the default: pick one with --account or 'tusk accounts use NAME'.", strings.Join(names, ", "))}
		}
		return def, nil
	}
	if slices.Contains(names, name) {
		return name, nil
	}
	var match []string
	for _, n := range names {
		if strings.HasPrefix(n, name+"@") || strings.HasPrefix(n, name) {
			match = append(match, n)
		}
	}
	if len(match) == 1 {
		return match[0], nil
	}
	return "", &notLoggedInError{fmt.Sprintf("no saved account %q; saved accounts: %s. Log in with 'tusk login SERVER'.", name, strings.Join(names, ", "))}
}

// savedClient makes a client from a saved account.
func (a *app) savedClient(name string) (*mastodon.Client, error) {
	full, err := a.resolveAccount(name)
	if err != nil {
		return nil, err
	}
	dir, err := a.configDir()
	if err != nil {
		return nil, err
	}
	return mastodon.NewClientFromFiles(accountFile(dir, full), "", a.clientOptions()...)
}

// saveAccount writes an account's credentials, and makes it the default
// when asked or when it is the only one.
func (a *app) saveAccount(name string, cred *credfile.User, makeDefault bool) error {
	dir, err := a.configDir()
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Join(dir, "accounts"), 0o700); err != nil {
		return err
	}
	if err := credfile.WriteUser(accountFile(dir, name), cred); err != nil {
		return err
	}
	_, def, err := a.savedAccounts()
	if err != nil {
		return err
	}
	if makeDefault || def == "" || def == name {
		return a.setDefault(name)
	}
	return nil
}

func (a *app) setDefault(name string) error {
	dir, err := a.configDir()
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, "default"), []byte(name+"\n"), 0o600)
}

// removeAccount deletes an account's file, and the default mark if it was
// the default.
func (a *app) removeAccount(name string) error {
	dir, err := a.configDir()
	if err != nil {
		return err
	}
	_, def, _ := a.savedAccounts()
	if err := os.Remove(accountFile(dir, name)); err != nil {
		return err
	}
	if def == name {
		os.Remove(filepath.Join(dir, "default"))
	}
	return nil
}

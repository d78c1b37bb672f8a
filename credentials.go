package mastodon

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// Credential files in Mastodon.py's formats, so that Tusk and Mastodon.py
// programs can share them. Each is a few lines of text:
//
//	client file (create_app):  client_id, client_secret, base URL, app name
//	user file (log_in):        access_token, base URL, client_id, client_secret
//
// Older files have fewer lines (client: 2 or 3; user: 1 or 2) and are read
// as such. Files are written with mode 0600, atomically.

// AppCredentials is the content of a client credential file.
type AppCredentials struct {
	ClientID     string
	ClientSecret string
	BaseURL      string // may be empty in old files
	ClientName   string // may be empty in old files
}

// UserCredentials is the content of a user credential file.
type UserCredentials struct {
	AccessToken  string
	BaseURL      string // may be empty in old files
	ClientID     string // may be empty in old files
	ClientSecret string // may be empty in old files
}

// String keeps secrets out of %v.
func (a AppCredentials) String() string {
	return fmt.Sprintf("AppCredentials{ClientID: %s, ClientSecret: [redacted], BaseURL: %s, ClientName: %q}", a.ClientID, a.BaseURL, a.ClientName)
}

// GoString keeps secrets out of %#v.
func (a AppCredentials) GoString() string { return a.String() }

// String keeps secrets out of %v.
func (u UserCredentials) String() string {
	return fmt.Sprintf("UserCredentials{AccessToken: [redacted], BaseURL: %s, ClientID: %s, ClientSecret: [redacted]}", u.BaseURL, u.ClientID)
}

// GoString keeps secrets out of %#v.
func (u UserCredentials) GoString() string { return u.String() }

// maxCredentialFile bounds what is read: these files are a few hundred bytes.
const maxCredentialFile = 64 << 10

// credentialLines splits a credential file as Mastodon.py reads it: line by
// line, trailing white space removed.
func credentialLines(data []byte) ([]string, error) {
	if len(data) > maxCredentialFile {
		return nil, fmt.Errorf("credential file larger than %d bytes", maxCredentialFile)
	}
	var lines []string
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 4096), maxCredentialFile)
	for sc.Scan() {
		lines = append(lines, strings.TrimRight(sc.Text(), " \t\r\n"))
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	// Trailing empty lines carry nothing.
	for len(lines) > 0 && lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	for _, l := range lines {
		if strings.ContainsFunc(l, func(r rune) bool { return r < 0x20 && r != '\t' }) {
			return nil, fmt.Errorf("credential file holds control characters")
		}
	}
	return lines, nil
}

// ParseAppCredentials reads a client credential file's content.
func ParseAppCredentials(data []byte) (*AppCredentials, error) {
	lines, err := credentialLines(data)
	if err != nil {
		return nil, illegalArg("client credential file: " + err.Error())
	}
	if len(lines) < 2 || lines[0] == "" || lines[1] == "" {
		return nil, illegalArg("client credential file: want at least a client id and a secret line")
	}
	a := &AppCredentials{ClientID: lines[0], ClientSecret: lines[1]}
	if len(lines) > 2 {
		a.BaseURL = lines[2]
	}
	if len(lines) > 3 {
		a.ClientName = lines[3]
	}
	return a, nil
}

// ParseUserCredentials reads a user credential file's content.
func ParseUserCredentials(data []byte) (*UserCredentials, error) {
	lines, err := credentialLines(data)
	if err != nil {
		return nil, illegalArg("user credential file: " + err.Error())
	}
	if len(lines) < 1 || lines[0] == "" {
		return nil, illegalArg("user credential file: no access token line")
	}
	u := &UserCredentials{AccessToken: lines[0]}
	if len(lines) > 1 {
		u.BaseURL = lines[1]
	}
	if len(lines) > 3 {
		u.ClientID, u.ClientSecret = lines[2], lines[3]
	}
	return u, nil
}

// Bytes renders the file exactly as Mastodon.py's create_app writes it.
func (a *AppCredentials) Bytes() []byte {
	return []byte(a.ClientID + "\n" + a.ClientSecret + "\n" + a.BaseURL + "\n" + a.ClientName + "\n")
}

// Bytes renders the file exactly as Mastodon.py's log_in writes it.
func (u *UserCredentials) Bytes() []byte {
	return []byte(u.AccessToken + "\n" + u.BaseURL + "\n" + u.ClientID + "\n" + u.ClientSecret + "\n")
}

// ReadAppCredentials reads a client credential file. It logs nothing:
// NewClientFromFiles warns through the client's logger (WithLogger) when
// others may read a file it reads.
func ReadAppCredentials(path string) (*AppCredentials, error) {
	data, _, err := readCredentialFile(path)
	if err != nil {
		return nil, err
	}
	return ParseAppCredentials(data)
}

// ReadUserCredentials reads a user credential file. It logs nothing:
// NewClientFromFiles warns through the client's logger (WithLogger) when
// others may read a file it reads.
func ReadUserCredentials(path string) (*UserCredentials, error) {
	data, _, err := readCredentialFile(path)
	if err != nil {
		return nil, err
	}
	return ParseUserCredentials(data)
}

// readCredentialFile reads a credential file and returns its permission
// bits when others may read it (0 otherwise).
func readCredentialFile(path string) ([]byte, os.FileMode, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, 0, err
	}
	defer f.Close()
	var open os.FileMode
	if st, err := f.Stat(); err == nil {
		if st.Mode().Perm()&0o077 != 0 {
			open = st.Mode().Perm()
		}
		if st.Size() > maxCredentialFile {
			return nil, 0, illegalArg(fmt.Sprintf("%s is too large to be a credential file", path))
		}
	}
	data, err := io.ReadAll(io.LimitReader(f, maxCredentialFile+1))
	return data, open, err
}

// WriteAppCredentials writes a client credential file (mode 0600,
// atomically: a reader never sees half a file).
func WriteAppCredentials(path string, a *AppCredentials) error {
	if a == nil || a.ClientID == "" || a.ClientSecret == "" {
		return illegalArg("WriteAppCredentials: client id and secret are required")
	}
	if err := checkLineSafe(a.ClientID, a.ClientSecret, a.BaseURL, a.ClientName); err != nil {
		return err
	}
	return writeFileAtomic(path, a.Bytes())
}

// WriteUserCredentials writes a user credential file (mode 0600,
// atomically).
func WriteUserCredentials(path string, u *UserCredentials) error {
	if u == nil || u.AccessToken == "" {
		return illegalArg("WriteUserCredentials: an access token is required")
	}
	if err := checkLineSafe(u.AccessToken, u.BaseURL, u.ClientID, u.ClientSecret); err != nil {
		return err
	}
	return writeFileAtomic(path, u.Bytes())
}

func checkLineSafe(vals ...string) error {
	for _, v := range vals {
		if strings.ContainsAny(v, "\r\n") {
			return illegalArg("credential values must not contain line breaks")
		}
	}
	return nil
}

// writeFileAtomic writes data to a temporary file beside path with mode
// 0600, syncs it and renames it over path.
func writeFileAtomic(path string, data []byte) error {
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	name := tmp.Name()
	cleanup := func() { tmp.Close(); os.Remove(name) }
	if err := tmp.Chmod(0o600); err != nil && !isUnsupported(err) {
		cleanup()
		return err
	}
	if _, err := tmp.Write(data); err != nil {
		cleanup()
		return err
	}
	if err := tmp.Sync(); err != nil {
		cleanup()
		return err
	}
	if err := tmp.Close(); err != nil {
		os.Remove(name)
		return err
	}
	if err := os.Rename(name, path); err != nil {
		os.Remove(name)
		return err
	}
	return nil
}

func isUnsupported(err error) bool {
	return err != nil && strings.Contains(err.Error(), "not supported")
}

// PersistableCredentials returns the client's login as Mastodon.py's
// persistable_login_credentials does (the user file's content). It needs a
// token and the client id and secret.
func (c *Client) PersistableCredentials() (string, error) {
	if c.cfg.token == "" {
		return "", illegalArg("PersistableCredentials: not logged in (no access token)")
	}
	if c.cfg.clientID == "" || c.cfg.clientSecret == "" {
		return "", illegalArg("PersistableCredentials: client id and secret are required")
	}
	u := UserCredentials{AccessToken: c.cfg.token, BaseURL: c.BaseURL(), ClientID: c.cfg.clientID, ClientSecret: c.cfg.clientSecret}
	return string(u.Bytes()), nil
}

// UserCredentials returns the client's login for WriteUserCredentials.
func (c *Client) UserCredentials() (*UserCredentials, error) {
	if c.cfg.token == "" {
		return nil, illegalArg("UserCredentials: not logged in (no access token)")
	}
	return &UserCredentials{AccessToken: c.cfg.token, BaseURL: c.BaseURL(), ClientID: c.cfg.clientID, ClientSecret: c.cfg.clientSecret}, nil
}

// NewClientFromFiles builds a client from credential files written by
// Tusk or Mastodon.py: a user file (token), a client file (app), or both
// ("" skips one). The server's URL is read from the files, so unlike
// NewClient it takes none. Files that name different servers are refused.
// A file others may read is used, with a warning on the client's logger
// (WithLogger).
func NewClientFromFiles(userFile, clientFile string, opts ...Option) (*Client, error) {
	var base string
	var pre []Option
	type openFile struct {
		path string
		mode os.FileMode
	}
	var open []openFile
	read := func(path string) ([]byte, error) {
		data, mode, err := readCredentialFile(path)
		if err != nil {
			return nil, err
		}
		if mode != 0 {
			open = append(open, openFile{path, mode})
		}
		return data, nil
	}
	setBase := func(u string) error {
		if u == "" {
			return nil
		}
		n, err := normalizeServer(u, true)
		if err != nil {
			return err
		}
		if base != "" && base != n.String() {
			return illegalArg("credential files name different servers")
		}
		base = n.String()
		return nil
	}
	if clientFile != "" {
		data, err := read(clientFile)
		if err != nil {
			return nil, err
		}
		a, err := ParseAppCredentials(data)
		if err != nil {
			return nil, err
		}
		if err := setBase(a.BaseURL); err != nil {
			return nil, err
		}
		pre = append(pre, WithClientCredentials(a.ClientID, a.ClientSecret))
		if a.ClientName != "" {
			pre = append(pre, WithUserAgent(a.ClientName))
		}
	}
	if userFile != "" {
		data, err := read(userFile)
		if err != nil {
			return nil, err
		}
		u, err := ParseUserCredentials(data)
		if err != nil {
			return nil, err
		}
		if err := setBase(u.BaseURL); err != nil {
			return nil, err
		}
		pre = append(pre, WithAccessToken(u.AccessToken))
		if clientFile == "" && u.ClientID != "" && u.ClientSecret != "" {
			pre = append(pre, WithClientCredentials(u.ClientID, u.ClientSecret))
		}
	}
	if base == "" {
		return nil, illegalArg("NewClientFromFiles: the files name no server")
	}
	c, err := NewClient(base, append(pre, opts...)...)
	if err != nil {
		return nil, err
	}
	for _, f := range open {
		c.log.Warn("mastodon: credential file is readable by other users; chmod 600 it",
			"path", f.path, "mode", f.mode.String())
	}
	return c, nil
}

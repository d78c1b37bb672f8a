// Package credfile reads and writes credential files in Mastodon.py's
// formats, so that Tusk and Mastodon.py programs can share them. Each is a
// few lines of text:
//
//	client file (create_app):  client_id, client_secret, base URL, app name
//	user file (log_in):        access_token, base URL, client_id, client_secret
//
// Older files have fewer lines (client: 2 or 3; user: 1 or 2) and are read
// as such. Files are written with mode 0600, atomically. Errors name the
// file but never hold a secret, and printing an App or a User with fmt
// shows no secret either.
//
// mastodon.NewClientFromFiles builds a client from these files, and
// Client.UserCredentials returns what WriteUser saves.
package credfile

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// ErrInvalid is matched (errors.Is) by the error for a file that is not a
// credential file and for values WriteApp or WriteUser cannot store.
var ErrInvalid = errors.New("invalid credential file")

// Error says what is wrong with a file's content or the values to write.
type Error struct{ Reason string }

func (e *Error) Error() string        { return "credfile: " + e.Reason }
func (e *Error) Is(target error) bool { return target == ErrInvalid }

func invalid(reason string) error { return &Error{Reason: reason} }

// App is the content of a client credential file.
type App struct {
	ClientID     string
	ClientSecret string
	BaseURL      string // may be empty in old files
	ClientName   string // may be empty in old files
}

// User is the content of a user credential file.
type User struct {
	AccessToken  string
	BaseURL      string // may be empty in old files
	ClientID     string // may be empty in old files
	ClientSecret string // may be empty in old files
}

// String keeps secrets out of %v.
func (a App) String() string {
	return fmt.Sprintf("App{ClientID: %s, ClientSecret: [redacted], BaseURL: %s, ClientName: %q}", a.ClientID, a.BaseURL, a.ClientName)
}

// GoString keeps secrets out of %#v.
func (a App) GoString() string { return a.String() }

// String keeps secrets out of %v.
func (u User) String() string {
	return fmt.Sprintf("User{AccessToken: [redacted], BaseURL: %s, ClientID: %s, ClientSecret: [redacted]}", u.BaseURL, u.ClientID)
}

// GoString keeps secrets out of %#v.
func (u User) GoString() string { return u.String() }

// MaxSize bounds what is read: these files are a few hundred bytes.
const MaxSize = 64 << 10

// credentialLines splits a credential file as Mastodon.py reads it: line by
// line, trailing white space removed.
func credentialLines(data []byte) ([]string, error) {
	if len(data) > MaxSize {
		return nil, fmt.Errorf("credential file larger than %d bytes", MaxSize)
	}
	var lines []string
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 4096), MaxSize)
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

// ParseApp reads a client credential file's content.
func ParseApp(data []byte) (*App, error) {
	lines, err := credentialLines(data)
	if err != nil {
		return nil, invalid("client credential file: " + err.Error())
	}
	if len(lines) < 2 || lines[0] == "" || lines[1] == "" {
		return nil, invalid("client credential file: want at least a client id and a secret line")
	}
	a := &App{ClientID: lines[0], ClientSecret: lines[1]}
	if len(lines) > 2 {
		a.BaseURL = lines[2]
	}
	if len(lines) > 3 {
		a.ClientName = lines[3]
	}
	return a, nil
}

// ParseUser reads a user credential file's content.
func ParseUser(data []byte) (*User, error) {
	lines, err := credentialLines(data)
	if err != nil {
		return nil, invalid("user credential file: " + err.Error())
	}
	if len(lines) < 1 || lines[0] == "" {
		return nil, invalid("user credential file: no access token line")
	}
	u := &User{AccessToken: lines[0]}
	if len(lines) > 1 {
		u.BaseURL = lines[1]
	}
	if len(lines) > 3 {
		u.ClientID, u.ClientSecret = lines[2], lines[3]
	}
	return u, nil
}

// Bytes renders the file exactly as Mastodon.py's create_app writes it.
func (a *App) Bytes() []byte {
	return []byte(a.ClientID + "\n" + a.ClientSecret + "\n" + a.BaseURL + "\n" + a.ClientName + "\n")
}

// Bytes renders the file exactly as Mastodon.py's log_in writes it.
func (u *User) Bytes() []byte {
	return []byte(u.AccessToken + "\n" + u.BaseURL + "\n" + u.ClientID + "\n" + u.ClientSecret + "\n")
}

// ReadApp reads a client credential file. It logs nothing; Load says
// whether others may read the file.
func ReadApp(path string) (*App, error) {
	data, _, err := Load(path)
	if err != nil {
		return nil, err
	}
	return ParseApp(data)
}

// ReadUser reads a user credential file. It logs nothing; Load says
// whether others may read the file.
func ReadUser(path string) (*User, error) {
	data, _, err := Load(path)
	if err != nil {
		return nil, err
	}
	return ParseUser(data)
}

// Load reads a credential file's bytes (at most MaxSize) for ParseApp or
// ParseUser, and returns its permission bits when users other than its
// owner may read or write it (0 otherwise), so that a program can warn, as
// mastodon.NewClientFromFiles does on the client's logger.
func Load(path string) (data []byte, exposed fs.FileMode, err error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, 0, err
	}
	defer f.Close()
	if st, err := f.Stat(); err == nil {
		if st.Mode().Perm()&0o077 != 0 {
			exposed = st.Mode().Perm()
		}
		if st.Size() > MaxSize {
			return nil, 0, invalid(fmt.Sprintf("%s is too large to be a credential file", path))
		}
	}
	data, err = io.ReadAll(io.LimitReader(f, MaxSize+1))
	return data, exposed, err
}

// WriteApp writes a client credential file (mode 0600, atomically: a
// reader never sees half a file).
func WriteApp(path string, a *App) error {
	if a == nil || a.ClientID == "" || a.ClientSecret == "" {
		return invalid("WriteApp: client id and secret are required")
	}
	if err := checkLineSafe(a.ClientID, a.ClientSecret, a.BaseURL, a.ClientName); err != nil {
		return err
	}
	return writeFileAtomic(path, a.Bytes())
}

// WriteUser writes a user credential file (mode 0600, atomically).
func WriteUser(path string, u *User) error {
	if u == nil || u.AccessToken == "" {
		return invalid("WriteUser: an access token is required")
	}
	if err := checkLineSafe(u.AccessToken, u.BaseURL, u.ClientID, u.ClientSecret); err != nil {
		return err
	}
	return writeFileAtomic(path, u.Bytes())
}

func checkLineSafe(vals ...string) error {
	for _, v := range vals {
		if strings.ContainsAny(v, "\r\n") {
			return invalid("credential values must not contain line breaks")
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

package mastodon

import (
	"os"

	"github.com/tuskgo/mastodon/credfile"
)

// The client's side of credential files; reading and writing them is
// package credfile's.

// UserCredentials returns the client's login, for credfile.WriteUser; its
// Bytes are the file text Mastodon.py's persistable_login_credentials
// returns.
func (c *Client) UserCredentials() (*credfile.User, error) {
	if c.cfg.token == "" {
		return nil, illegalArg("UserCredentials: not logged in (no access token)")
	}
	return &credfile.User{AccessToken: c.cfg.token, BaseURL: c.BaseURL(), ClientID: c.cfg.clientID, ClientSecret: c.cfg.clientSecret}, nil
}

// NewClientFromFiles builds a client from credential files written by
// Tusk or Mastodon.py (package credfile): a user file (token), a client
// file (app), or both ("" skips one). The server's URL is read from the
// files, so unlike NewClient it takes none. Files that name different
// servers are refused (ErrIllegalArgument); a file that is not a
// credential file is credfile.ErrInvalid. A file others may read is used,
// with a warning on the client's logger (WithLogger).
func NewClientFromFiles(userFile, clientFile string, opts ...Option) (*Client, error) {
	var base string
	var pre []Option
	type openFile struct {
		path string
		mode os.FileMode
	}
	var open []openFile
	read := func(path string) ([]byte, error) {
		data, mode, err := credfile.Load(path)
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
		a, err := credfile.ParseApp(data)
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
		u, err := credfile.ParseUser(data)
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

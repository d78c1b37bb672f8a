package mastodon

import (
	"context"
	"errors"
	"net/http"
	"time"
)

// ServerTime asks the server for its clock: it sends HEAD / and reads the
// Date header of the answer, whatever its status. The header has
// one-second resolution, so the time is approximate. It sends no token and
// skips the version check.
//
//api:endpoint HEAD /
//api:since 0.0.0
func (c *Client) ServerTime(ctx context.Context, opts ...CallOption) (time.Time, error) {
	o := collect(opts)
	resp, _, err := c.exec(ctx, &req{Method: http.MethodHead, Path: "/", Auth: authNone, NoVersionCheck: true}, o)
	if resp != nil {
		if t, ok := ServerTime(resp.Header); ok {
			return t, nil
		}
	}
	if err != nil {
		var ae *APIError
		if !errors.As(err, &ae) {
			return time.Time{}, err
		}
	}
	u := c.base.String() + "/"
	code := 0
	if resp != nil {
		code = resp.StatusCode
	}
	return time.Time{}, &DecodeError{Method: http.MethodHead, URL: u, StatusCode: code, Err: errors.New("no usable Date header")}
}

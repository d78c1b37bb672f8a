package mastodon

import (
	"net/http"
	"strings"
	"time"
)

// dateLayouts are the forms a Date header takes in practice: the three HTTP
// date formats, then the RFC 1123 variants some proxies write (a zone other
// than GMT, or a numeric offset).
var dateLayouts = []string{
	http.TimeFormat,
	time.RFC850,
	time.ANSIC,
	time.RFC1123,
	time.RFC1123Z,
	"Mon, 2 Jan 2006 15:04:05 MST",
	"Mon, 2 Jan 2006 15:04:05 -0700",
}

// ServerTime reads the server's clock from a response's Date header. The
// header has one-second resolution, so the result is approximate. ok is
// false when the header is missing or cannot be parsed. The time is in UTC.
func ServerTime(h http.Header) (t time.Time, ok bool) {
	v := strings.TrimSpace(h.Get("Date"))
	if v == "" {
		return time.Time{}, false
	}
	for _, layout := range dateLayouts {
		if t, err := time.Parse(layout, v); err == nil {
			return t.UTC(), true
		}
	}
	return time.Time{}, false
}

// ServerClockOffset is how far the server's clock (from the Date header) is
// ahead of local, the local time the response arrived. A negative offset
// means the server's clock is behind. ok is false without a usable Date
// header. Adding the offset to the local clock approximates server time, which
// is what rate-limit reset times are measured against.
func ServerClockOffset(h http.Header, local time.Time) (offset time.Duration, ok bool) {
	t, ok := ServerTime(h)
	if !ok {
		return 0, false
	}
	return t.Sub(local.Truncate(time.Second)), true
}

package mastodon

import (
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestServerTime(t *testing.T) {
	want := time.Date(2026, time.November, 26, 14, 25, 12, 0, time.UTC)
	tests := []struct {
		name   string
		header string
		want   time.Time
		ok     bool
	}{
		{"IMF-fixdate", "Thu, 26 Nov 2026 14:25:12 GMT", want, true},
		{"surrounding spaces", "  Thu, 26 Nov 2026 14:25:12 GMT ", want, true},
		{"RFC 850", "Thursday, 26-Nov-26 14:25:12 GMT", want, true},
		{"asctime", "Thu Nov 26 14:25:12 2026", want, true},
		{"numeric offset", "Thu, 26 Nov 2026 15:25:12 +0100", want, true},
		{"UTC zone name", "Thu, 26 Nov 2026 14:25:12 UTC", want, true},
		{"single-digit day", "Thu, 5 Nov 2026 14:25:12 GMT", time.Date(2026, 11, 5, 14, 25, 12, 0, time.UTC), true},
		{"missing", "", time.Time{}, false},
		{"garbage", "yesterday-ish", time.Time{}, false},
		{"ISO 8601 is not an HTTP date", "2026-11-26T14:25:12Z", time.Time{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := http.Header{}
			if tt.header != "" {
				h.Set("Date", tt.header)
			}
			got, ok := ServerTime(h)
			if ok != tt.ok {
				t.Fatalf("ServerTime(%q) ok = %v, want %v", tt.header, ok, tt.ok)
			}
			if !got.Equal(tt.want) {
				t.Errorf("ServerTime(%q) = %v, want %v", tt.header, got, tt.want)
			}
			if ok && got.Location() != time.UTC {
				t.Errorf("ServerTime(%q) location = %v, want UTC", tt.header, got.Location())
			}
		})
	}
}

func TestServerTimeUsesFirstDateHeader(t *testing.T) {
	h := http.Header{"Date": {"Thu, 26 Nov 2026 14:25:12 GMT", "Fri, 27 Nov 2026 00:00:00 GMT"}}
	got, ok := ServerTime(h)
	if !ok || got.Day() != 26 {
		t.Fatalf("ServerTime = %v, %v; want the first header's day 26", got, ok)
	}
}

func TestServerClockOffset(t *testing.T) {
	h := http.Header{"Date": {"Thu, 26 Nov 2026 14:25:12 GMT"}}
	local := time.Date(2026, 11, 26, 14, 25, 2, 700_000_000, time.UTC)
	off, ok := ServerClockOffset(h, local)
	if !ok || off != 10*time.Second {
		t.Fatalf("ServerClockOffset = %v, %v; want 10s, true", off, ok)
	}
	ahead := time.Date(2026, 11, 26, 14, 26, 12, 0, time.FixedZone("x", 3600))
	off, ok = ServerClockOffset(h, ahead)
	if !ok || off != time.Hour-time.Minute {
		t.Fatalf("ServerClockOffset with zone = %v, %v; want 59m, true", off, ok)
	}
	if _, ok := ServerClockOffset(http.Header{}, local); ok {
		t.Fatal("ServerClockOffset without Date header reported ok")
	}
}

func FuzzServerTime(f *testing.F) {
	f.Add("Thu, 26 Nov 2026 14:25:12 GMT")
	f.Add("Thu Nov 26 14:25:12 2026")
	f.Add("")
	f.Fuzz(func(t *testing.T, v string) {
		h := http.Header{"Date": {v}}
		got, ok := ServerTime(h)
		if !ok && !got.IsZero() {
			t.Fatalf("not ok but non-zero time %v", got)
		}
		// Whatever net/http reads as a date, ServerTime reads the same.
		if want, err := http.ParseTime(strings.TrimSpace(v)); err == nil && (!ok || !got.Equal(want)) {
			t.Fatalf("Date %q: %v %v, net/http says %v", v, got, ok, want)
		}
		// A time written as servers write it reads back.
		if ok && got.Year() >= 0 && got.Year() <= 9999 {
			back, ok := ServerTime(http.Header{"Date": {got.Format(http.TimeFormat)}})
			if !ok || !back.Equal(got.Truncate(time.Second)) {
				t.Fatalf("%v written as %q reads back as %v %v", got, got.Format(http.TimeFormat), back, ok)
			}
		}
	})
}

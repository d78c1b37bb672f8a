package mastodon

import (
	"math"
	"slices"
	"strconv"
	"time"
	"unicode/utf8"
)

// encoder appends JSON to b. Entities encode with generated code driving it.
type encoder struct {
	b []byte
}

// key writes a member name (given with its quotes and colon), preceded by a
// comma unless it is the first.
func (e *encoder) key(first *bool, k string) {
	if !*first {
		e.b = append(e.b, ',')
	}
	*first = false
	e.b = append(e.b, k...)
}

func (e *encoder) null() { e.b = append(e.b, "null"...) }

const hexDigits = "0123456789abcdef"

func (e *encoder) str(s string) {
	b := append(e.b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' && c < utf8.RuneSelf {
			i++
			continue
		}
		if c >= utf8.RuneSelf {
			r, size := utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError && size == 1 {
				b = append(b, s[start:i]...)
				b = append(b, `\ufffd`...)
				i++
				start = i
				continue
			}
			i += size
			continue
		}
		b = append(b, s[start:i]...)
		switch c {
		case '"', '\\':
			b = append(b, '\\', c)
		case '\n':
			b = append(b, '\\', 'n')
		case '\r':
			b = append(b, '\\', 'r')
		case '\t':
			b = append(b, '\\', 't')
		default:
			b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
		}
		i++
		start = i
	}
	b = append(b, s[start:]...)
	e.b = append(b, '"')
}

func (e *encoder) strPtr(s *string) {
	if s == nil {
		e.null()
		return
	}
	e.str(*s)
}

// numID writes an ID the API documents as a number: bare when it is one.
func (e *encoder) numID(s string) {
	if _, ok := parseInt([]byte(s)); ok && s != "" && s != "-0" && (s[0] != '0' || len(s) == 1) && (len(s) < 2 || s[:2] != "-0") {
		e.b = append(e.b, s...)
		return
	}
	e.str(s)
}

func (e *encoder) numIDPtr(s *string) {
	if s == nil {
		e.null()
		return
	}
	e.numID(*s)
}

func (e *encoder) int(n int) { e.b = strconv.AppendInt(e.b, int64(n), 10) }

func (e *encoder) intPtr(n *int) {
	if n == nil {
		e.null()
		return
	}
	e.int(*n)
}

// float writes f as encoding/json does.
func (e *encoder) float(f float64) {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		e.null()
		return
	}
	abs := math.Abs(f)
	fmt := byte('f')
	if abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		fmt = 'e'
	}
	e.b = strconv.AppendFloat(e.b, f, fmt, -1, 64)
}

func (e *encoder) floatPtr(f *float64) {
	if f == nil {
		e.null()
		return
	}
	e.float(*f)
}

func (e *encoder) bool(v bool) {
	if v {
		e.b = append(e.b, "true"...)
	} else {
		e.b = append(e.b, "false"...)
	}
}

func (e *encoder) boolPtr(v *bool) {
	if v == nil {
		e.null()
		return
	}
	e.bool(*v)
}

func (e *encoder) raw(b []byte) {
	if len(b) == 0 {
		e.null()
		return
	}
	e.b = append(e.b, b...)
}

// time writes t in the field's format. Date-times use Mastodon's own form
// (millisecond precision, "Z" for UTC) unless t has finer precision.
func (e *encoder) time(t time.Time, format byte) {
	switch format {
	case fmtDate:
		e.b = append(e.b, '"')
		e.b = t.AppendFormat(e.b, time.DateOnly)
		e.b = append(e.b, '"')
	case fmtEpoch:
		e.b = append(e.b, '"')
		e.b = strconv.AppendInt(e.b, t.Unix(), 10)
		e.b = append(e.b, '"')
	case fmtDateTimeOffset:
		e.b = append(e.b, '"')
		if t.Nanosecond()%1e6 == 0 {
			e.b = t.AppendFormat(e.b, "2006-01-02T15:04:05.000-07:00")
		} else {
			e.b = t.AppendFormat(e.b, "2006-01-02T15:04:05.999999999-07:00")
		}
		e.b = append(e.b, '"')
	default:
		e.b = append(e.b, '"')
		if t.Nanosecond()%1e6 == 0 {
			e.b = t.AppendFormat(e.b, "2006-01-02T15:04:05.000Z07:00")
		} else {
			e.b = t.AppendFormat(e.b, time.RFC3339Nano)
		}
		e.b = append(e.b, '"')
	}
}

func (e *encoder) timePtr(t *time.Time, format byte) {
	if t == nil {
		e.null()
		return
	}
	e.time(*t, format)
}

func sortedMapKeys[T any](m map[string]T) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

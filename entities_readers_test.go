package mastodon

import (
	"math/rand/v2"
	"reflect"
	"strconv"
	"testing"
	"time"
)

// readerInputs returns values for the scalar readers: the common forms,
// their near misses and random bytes, each followed by what may come after
// a value.
func readerInputs(r *rand.Rand) []string {
	values := []string{
		"0", "7", "12", "-3", "-0", "00", "01", "1.5", "1e3", "1E3", "2.", "123456789012345678", "1234567890123456789",
		"99999999999999999999", "true", "false", "null", "nul", "tru", "fals", "falsey", "t", "f", "n", `"x"`, `"12"`, `"true"`,
		"[]", "{}", " 1", " true", " null", "\n0", "",
		`"2024-01-15T10:20:30.123Z"`, `"2024-02-29T23:59:59.999Z"`, `"2023-02-29T00:00:00.000Z"`, `"0000-01-01T00:00:00.000Z"`,
		`"9999-12-31T23:59:59.999Z"`, `"2024-01-15T10:20:30.123+00:00"`, `"2024-01-15T10:20:30Z"`, `"2024-13-01T00:00:00.000Z"`,
		`"2024-01-15T24:00:00.000Z"`, `"2024-01-15T10:60:00.000Z"`, `"2024-01-15T10:00:60.000Z"`, `"2024-01-15T10:20:30.123z"`,
		`"2024-01-15 10:20:30.123Z"`, `"2024-01-15T10:20:30.12\u0033Z"`, `"2024-01-15"`, `"2024-02-30"`, `"2024-1-15"`,
		`"2024-01-15T10:20:30.123Z`, `"1705314030"`, "1705314030",
	}
	const alphabet = "0123456789-+.eETZ:\"\\ntrufalsn \x00\xff/"
	for range 3000 {
		b := []byte(values[r.IntN(len(values))])
		for range r.IntN(3) {
			if len(b) > 0 {
				b[r.IntN(len(b))] = alphabet[r.IntN(len(alphabet))]
			}
		}
		if r.IntN(4) == 0 {
			b = b[:r.IntN(len(b)+1)]
		}
		values = append(values, string(b))
	}
	var out []string
	for _, v := range values {
		for _, after := range []string{"", ",", "}", "]", " ", "x", "0", ".", "e"} {
			out = append(out, v+after)
		}
	}
	return out
}

type readResult struct {
	V   any
	OK  bool
	I   int
	Err string
}

func read(in string, f func(d *decoder) (any, bool)) readResult {
	d := &decoder{b: []byte(in)}
	v, ok := f(d)
	r := readResult{V: v, OK: ok, I: d.i}
	if d.err != nil {
		r.Err = d.err.Error()
	}
	return r
}

// TestValueReaderFastPaths checks each scalar reader's common case against
// the general code it falls back on, which reads every form: same value,
// same report of the wire form, same position and same error.
func TestValueReaderFastPaths(t *testing.T) {
	readers := []struct {
		name       string
		fast, slow func(d *decoder) (any, bool)
	}{
		{"int", func(d *decoder) (any, bool) { return d.int() }, func(d *decoder) (any, bool) { return d.intOther() }},
		{"bool", func(d *decoder) (any, bool) { return d.bool() }, func(d *decoder) (any, bool) { return d.boolOther() }},
		{"null", func(d *decoder) (any, bool) { return nil, d.null() }, func(d *decoder) (any, bool) { return nil, d.nullOther() }},
	}
	for _, format := range []byte{fmtDateTime, fmtDate, fmtEpoch, fmtDateTimeOffset} {
		readers = append(readers, struct {
			name       string
			fast, slow func(d *decoder) (any, bool)
		}{"time" + strconv.Itoa(int(format)),
			func(d *decoder) (any, bool) { return d.time(format) },
			func(d *decoder) (any, bool) { return d.timeOther(format) }})
	}
	r := rand.New(rand.NewPCG(1, 2))
	fast := map[string]int{}
	for _, in := range readerInputs(r) {
		for _, rd := range readers {
			got, want := read(in, rd.fast), read(in, rd.slow)
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("%s(%q) = %+v, want %+v", rd.name, in, got, want)
			}
			if got.OK && got.Err == "" {
				fast[rd.name]++
			}
		}
	}
	for _, name := range []string{"int", "bool", "null", "time0", "time1"} { // the readers with a common case
		if fast[name] < 5 {
			t.Errorf("%s: only %d inputs read as expected", name, fast[name])
		}
	}
}

// oldParseMastodonTime is how parseMastodonTime was first written: digit by
// digit, then time.Date.
func oldParseMastodonTime(b []byte) (time.Time, bool) {
	switch {
	case len(b) == 24 && b[23] == 'Z':
	case len(b) == 29 && string(b[23:]) == "+00:00":
	default:
		return time.Time{}, false
	}
	if b[4] != '-' || b[7] != '-' || b[10] != 'T' || b[13] != ':' || b[16] != ':' || b[19] != '.' {
		return time.Time{}, false
	}
	num := func(s []byte) (int, bool) {
		n := 0
		for _, c := range s {
			if c < '0' || c > '9' {
				return 0, false
			}
			n = n*10 + int(c-'0')
		}
		return n, true
	}
	y, ok1 := num(b[0:4])
	mo, ok2 := num(b[5:7])
	dd, ok3 := num(b[8:10])
	h, ok4 := num(b[11:13])
	mi, ok5 := num(b[14:16])
	s, ok6 := num(b[17:19])
	ms, ok7 := num(b[20:23])
	if !(ok1 && ok2 && ok3 && ok4 && ok5 && ok6 && ok7) || mo < 1 || mo > 12 || dd < 1 || dd > daysIn(mo, y) || h > 23 || mi > 59 || s > 59 {
		return time.Time{}, false
	}
	return time.Date(y, time.Month(mo), dd, h, mi, s, ms*1e6, time.UTC), true
}

// TestParseMastodonTimeDigitWords checks the word-at-a-time timestamp
// parser against the digit-by-digit one, on random timestamps with fields
// in and out of range and with single bytes changed to anything.
func TestParseMastodonTimeDigitWords(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for n := range 200000 {
		b := []byte(time.Date(r.IntN(10000), time.Month(1+r.IntN(12)), 1+r.IntN(28), r.IntN(24), r.IntN(60), r.IntN(60), r.IntN(1000)*1e6, time.UTC).Format("2006-01-02T15:04:05.000Z"))
		switch n % 4 {
		case 1:
			b[r.IntN(23)] = byte(r.UintN(256))
		case 2:
			b[r.IntN(23)] = "0123456789:-T."[r.IntN(14)]
			b[r.IntN(23)] = "0123456789"[r.IntN(10)]
		case 3:
			b = append(b[:23], "+00:00"...)
		}
		got, gotOK := parseMastodonTime(b)
		want, wantOK := oldParseMastodonTime(b)
		if gotOK != wantOK || got != want {
			t.Fatalf("%q: %v %v, want %v %v", b, got, gotOK, want, wantOK)
		}
	}
}

// TestUnixDays checks the day count against time.Date for every day of a
// few centuries and the first and last of the years it is used for.
func TestUnixDays(t *testing.T) {
	check := func(y, m, d int) {
		want := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC).Unix() / 86400
		if got := unixDays(y, m, d); got != want {
			t.Fatalf("unixDays(%d, %d, %d) = %d, want %d", y, m, d, got, want)
		}
	}
	for _, yr := range [][2]int{{0, 5}, {1599, 1601}, {1895, 2105}, {2399, 2401}, {9995, 9999}} {
		for y := yr[0]; y <= yr[1]; y++ {
			for m := 1; m <= 12; m++ {
				for d := 1; d <= daysIn(m, y); d++ {
					check(y, m, d)
				}
			}
		}
	}
}

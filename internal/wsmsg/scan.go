package wsmsg

import (
	"encoding/binary"
	"math/bits"
	"slices"
	"unicode/utf16"
	"unicode/utf8"
)

// maxDepth bounds nesting as encoding/json does.
const maxDepth = 10000

// scanner is a small validating JSON scanner: it accepts exactly what
// encoding/json accepts and hands back the raw text of values, so a
// message is read in one pass and only the payload is ever copied.
type scanner struct {
	b     []byte
	i     int
	depth int
	tmp   []byte // unquoted member names and short strings
}

func (s *scanner) reset(b []byte) { s.b, s.i, s.depth = b, 0, 0 }

func (s *scanner) fail(what string) error {
	return malformed("%s at offset %d", what, s.i)
}

func (s *scanner) eof() error { return s.fail("unexpected end of input") }

func (s *scanner) ws() {
	for s.i < len(s.b) {
		switch s.b[s.i] {
		case ' ', '\t', '\n', '\r':
			s.i++
		default:
			return
		}
	}
}

// object reads the whole input as one object and sets spans to the raw
// text of the values of the members it knows (see field). A payload that
// is a string is unescaped into *payload on the way.
func (s *scanner) object(spans *[nFields][]byte, payload *[]byte) error {
	s.ws()
	if s.i >= len(s.b) || s.b[s.i] != '{' {
		return s.fail("expected an object")
	}
	s.i++
	s.depth = 1
	s.ws()
	if s.i < len(s.b) && s.b[s.i] == '}' {
		s.i++
		return s.end()
	}
	for {
		s.ws()
		if s.i >= len(s.b) {
			return s.eof()
		}
		if s.b[s.i] != '"' {
			return s.fail("expected a member name")
		}
		k := s.i
		esc, err := s.str()
		if err != nil {
			return err
		}
		key := s.b[k+1 : s.i-1]
		if esc {
			s.tmp = appendUnquoted(s.tmp[:0], s.b[k:s.i])
			key = s.tmp
		}
		s.ws()
		if s.i >= len(s.b) {
			return s.eof()
		}
		if s.b[s.i] != ':' {
			return s.fail("expected a colon after a member name")
		}
		s.i++
		s.ws()
		v := s.i
		f := field(key)
		if f == fPayload && v < len(s.b) && s.b[v] == '"' {
			// The one value worth copying: unescape it as it is read.
			var err error
			if *payload, err = s.unquoteString((*payload)[:0]); err != nil {
				return err
			}
		} else if err := s.value(); err != nil {
			return err
		}
		if f >= 0 {
			spans[f] = s.b[v:s.i]
		}
		s.ws()
		if s.i >= len(s.b) {
			return s.eof()
		}
		switch s.b[s.i] {
		case ',':
			s.i++
		case '}':
			s.i++
			return s.end()
		default:
			return s.fail("expected a comma or a closing brace")
		}
	}
}

// end checks that only white space follows the top-level value.
func (s *scanner) end() error {
	s.ws()
	if s.i != len(s.b) {
		return s.fail("data after the message")
	}
	return nil
}

// array calls f with the raw text of each element of the valid array the
// scanner was reset to.
func (s *scanner) array(f func(elem []byte)) {
	s.i++ // '['
	for {
		s.ws()
		if s.i >= len(s.b) || s.b[s.i] == ']' {
			return
		}
		v := s.i
		if s.value() != nil {
			return
		}
		f(s.b[v:s.i])
		s.ws()
		if s.i < len(s.b) && s.b[s.i] == ',' {
			s.i++
		}
	}
}

// value skips one value, validating it.
func (s *scanner) value() error {
	if s.i >= len(s.b) {
		return s.eof()
	}
	switch c := s.b[s.i]; {
	case c == '"':
		_, err := s.str()
		return err
	case c == '{':
		return s.skipObject()
	case c == '[':
		return s.skipArray()
	case c == '-' || '0' <= c && c <= '9':
		return s.number()
	case c == 't':
		return s.literal("true")
	case c == 'f':
		return s.literal("false")
	case c == 'n':
		return s.literal("null")
	}
	return s.fail("invalid character looking for a value")
}

func (s *scanner) enter() error {
	s.depth++
	if s.depth > maxDepth {
		return s.fail("nested too deeply")
	}
	return nil
}

func (s *scanner) skipObject() error {
	if err := s.enter(); err != nil {
		return err
	}
	s.i++ // '{'
	s.ws()
	if s.i < len(s.b) && s.b[s.i] == '}' {
		s.i++
		s.depth--
		return nil
	}
	for {
		s.ws()
		if s.i >= len(s.b) {
			return s.eof()
		}
		if s.b[s.i] != '"' {
			return s.fail("expected a member name")
		}
		if _, err := s.str(); err != nil {
			return err
		}
		s.ws()
		if s.i >= len(s.b) {
			return s.eof()
		}
		if s.b[s.i] != ':' {
			return s.fail("expected a colon after a member name")
		}
		s.i++
		s.ws()
		if err := s.value(); err != nil {
			return err
		}
		s.ws()
		if s.i >= len(s.b) {
			return s.eof()
		}
		switch s.b[s.i] {
		case ',':
			s.i++
		case '}':
			s.i++
			s.depth--
			return nil
		default:
			return s.fail("expected a comma or a closing brace")
		}
	}
}

func (s *scanner) skipArray() error {
	if err := s.enter(); err != nil {
		return err
	}
	s.i++ // '['
	s.ws()
	if s.i < len(s.b) && s.b[s.i] == ']' {
		s.i++
		s.depth--
		return nil
	}
	for {
		s.ws()
		if err := s.value(); err != nil {
			return err
		}
		s.ws()
		if s.i >= len(s.b) {
			return s.eof()
		}
		switch s.b[s.i] {
		case ',':
			s.i++
		case ']':
			s.i++
			s.depth--
			return nil
		default:
			return s.fail("expected a comma or a closing bracket")
		}
	}
}

// special marks the bytes a string literal's fast loops stop at: the
// quote, the backslash and control characters.
var special = func() (t [256]bool) {
	for c := range 0x20 {
		t[c] = true
	}
	t['"'], t['\\'] = true, true
	return t
}()

// str skips a string literal; esc reports whether it had escapes.
func (s *scanner) str() (esc bool, err error) {
	b := s.b
	i := s.i + 1
	for i < len(b) {
		for i+8 <= len(b) && stops(binary.LittleEndian.Uint64(b[i:])) == 0 {
			i += 8
		}
		if i >= len(b) {
			break
		}
		c := b[i]
		if !special[c] {
			i++
			continue
		}
		switch {
		case c == '"':
			s.i = i + 1
			return esc, nil
		case c == '\\':
			esc = true
			n, err := s.escape(i)
			if err != nil {
				return esc, err
			}
			i += n
		default:
			s.i = i
			return esc, s.fail("control character in string")
		}
	}
	s.i = len(b)
	return esc, s.eof()
}

// escape checks the escape sequence at b[i] and returns its length.
func (s *scanner) escape(i int) (int, error) {
	b := s.b
	if i+1 >= len(b) {
		s.i = len(b)
		return 0, s.eof()
	}
	switch b[i+1] {
	case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
		return 2, nil
	case 'u':
		if i+6 > len(b) {
			s.i = len(b)
			return 0, s.eof()
		}
		for _, h := range b[i+2 : i+6] {
			if unhex(h) < 0 {
				s.i = i
				return 0, s.fail("invalid \\u escape")
			}
		}
		return 6, nil
	}
	s.i = i
	return 0, s.fail("invalid escape in string")
}

// unquoteString reads the string literal at s.i, checking it as str does,
// and appends its value to dst as encoding/json decodes it: invalid UTF-8
// and lone surrogates become U+FFFD.
func (s *scanner) unquoteString(dst []byte) ([]byte, error) {
	b := s.b
	i := s.i + 1
	start := len(dst)
	// Raw bytes are copied as they are and every escape is shorter than
	// its value, so the value fits in the rest of the input; UTF-8 is
	// checked once at the end.
	out := slices.Grow(dst, len(b)-i)
	w := start
	out = out[:cap(out)]
	hi := false
	for {
		var h bool
		w, i, h = copyRun(out, w, b, i)
		hi = hi || h
		if i >= len(b) {
			s.i = len(b)
			return out[:w], s.eof()
		}
		switch c := b[i]; {
		case c == '"':
			s.i = i + 1
			if hi && !utf8.Valid(out[start:w]) {
				return s.replaceInvalid(out[:w], start), nil
			}
			return out[:w], nil
		case c == '\\':
			n, err := s.escape(i)
			if err != nil {
				return out[:w], err
			}
			w = len(appendEscape(out[:w], b[i:i+n], b[i+n:], &n))
			i += n
		case c < 0x20:
			s.i = i
			return out[:w], s.fail("control character in string")
		default: // out is full: cannot happen while values are shorter than literals
			out = slices.Grow(out[:w], len(b)-i)
			out = out[:cap(out)]
		}
	}
}

// replaceInvalid replaces in out[start:] each byte that does not start a
// valid UTF-8 sequence with U+FFFD, as encoding/json does. Escapes always
// yield whole sequences, so the bytes they sit between are judged as they
// were in the literal.
func (s *scanner) replaceInvalid(out []byte, start int) []byte {
	s.tmp = append(s.tmp[:0], out[start:]...)
	out = out[:start]
	for v := s.tmp; len(v) > 0; {
		r, n := utf8.DecodeRune(v)
		if r == utf8.RuneError && n == 1 {
			out = utf8.AppendRune(out, utf8.RuneError)
		} else {
			out = append(out, v[:n]...)
		}
		v = v[n:]
	}
	return out
}

// copyRunGeneric is copyRun eight bytes at a time (SWAR) while b has at
// least 9 bytes left (the byte after any of the eight can be looked at)
// and out 8. The word is stored whole and w moves past its plain bytes
// only; a simple escape right after them puts its byte where the
// backslash would go, and the next word is read from after the escape.
func copyRunGeneric(out []byte, w int, b []byte, i int) (int, int, bool) {
	var seen uint64
	bLast, outLast := len(b)-9, len(out)-8
	for 0 <= i && i <= bLast && 0 <= w && w <= outLast {
		src := (*[9]byte)(b[i : i+9])
		dst := (*[8]byte)(out[w : w+8])
		x := binary.LittleEndian.Uint64(src[:8])
		binary.LittleEndian.PutUint64(dst[:], x)
		seen |= x
		m := stops(x)
		if m == 0 {
			i += 8
			w += 8
			continue
		}
		k := bits.TrailingZeros64(m) >> 3 & 7
		if binary.LittleEndian.Uint16(src[k:k+2]) == '\\'|'"'<<8 {
			dst[k] = '"' // the usual escape
		} else {
			c := dropBackslash[src[k+1]]
			if src[k] != '\\' || c == 0 {
				w, i = w+k, i+k
				break
			}
			dst[k] = c
		}
		i += k + 2
		w += k + 1
	}
	w, i, hi := copyRunTail(out, w, b, i)
	return w, i, hi || seen&highs != 0
}

// copyRunTail is copyRun a byte at a time.
func copyRunTail(out []byte, w int, b []byte, i int) (int, int, bool) {
	var seen byte
	for 0 <= i && i < len(b) && 0 <= w && w < len(out) {
		c := b[i]
		if special[c] {
			if c != '\\' || i+1 >= len(b) || dropBackslash[b[i+1]] == 0 {
				break
			}
			i++
			c = b[i]
		}
		seen |= c
		out[w] = c
		w++
		i++
	}
	return w, i, seen >= utf8.RuneSelf
}

// dropBackslash maps the byte after a backslash to the escape's value when
// that is the byte itself, else to 0.
var dropBackslash = [256]byte{'"': '"', '\\': '\\', '/': '/'}

// appendEscape appends the value of the checked escape esc. A high
// surrogate takes the low one that follows it in rest, growing *n.
func appendEscape(dst, esc, rest []byte, n *int) []byte {
	switch esc[1] {
	case 'b':
		return append(dst, '\b')
	case 'f':
		return append(dst, '\f')
	case 'n':
		return append(dst, '\n')
	case 'r':
		return append(dst, '\r')
	case 't':
		return append(dst, '\t')
	case 'u':
		r := hex4(esc[2:])
		if utf16.IsSurrogate(r) {
			if len(rest) >= 6 && rest[0] == '\\' && rest[1] == 'u' && validHex4(rest[2:6]) {
				if d := utf16.DecodeRune(r, hex4(rest[2:])); d != utf8.RuneError {
					*n += 6
					return utf8.AppendRune(dst, d)
				}
			}
			r = utf8.RuneError
		}
		return utf8.AppendRune(dst, r)
	}
	return append(dst, esc[1]) // '"', '\\', '/'
}

func validHex4(b []byte) bool {
	for _, c := range b {
		if unhex(c) < 0 {
			return false
		}
	}
	return true
}

func (s *scanner) number() error {
	b, i := s.b, s.i
	if b[i] == '-' {
		i++
	}
	switch {
	case i >= len(b):
		s.i = i
		return s.eof()
	case b[i] == '0':
		i++
	case '1' <= b[i] && b[i] <= '9':
		for i < len(b) && '0' <= b[i] && b[i] <= '9' {
			i++
		}
	default:
		s.i = i
		return s.fail("invalid number")
	}
	if i < len(b) && b[i] == '.' {
		i++
		if i >= len(b) || b[i] < '0' || b[i] > '9' {
			s.i = i
			return s.fail("invalid number")
		}
		for i < len(b) && '0' <= b[i] && b[i] <= '9' {
			i++
		}
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		if i >= len(b) || b[i] < '0' || b[i] > '9' {
			s.i = i
			return s.fail("invalid number")
		}
		for i < len(b) && '0' <= b[i] && b[i] <= '9' {
			i++
		}
	}
	s.i = i
	return nil
}

func (s *scanner) literal(lit string) error {
	if len(s.b)-s.i < len(lit) || string(s.b[s.i:s.i+len(lit)]) != lit {
		return s.fail("invalid literal")
	}
	s.i += len(lit)
	return nil
}

// unquote returns the value of a valid string literal: a slice of the
// literal itself when it needs no change, else the scanner's scratch
// buffer (valid until the next unquote).
func (s *scanner) unquote(lit []byte) []byte {
	in := lit[1 : len(lit)-1]
	if plain(in) {
		return in
	}
	s.tmp = appendUnquoted(s.tmp[:0], lit)
	return s.tmp
}

// plain reports whether a string literal's body is its value: no escapes,
// valid UTF-8.
func plain(b []byte) bool {
	for _, c := range b {
		if c == '\\' || c >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// appendUnquoted appends the value of the valid string literal lit to dst.
func appendUnquoted(dst, lit []byte) []byte {
	s := scanner{b: lit}
	dst, _ = s.unquoteString(dst)
	return dst
}

func hex4(b []byte) rune {
	var r rune
	for _, c := range b[:4] {
		r = r<<4 | rune(unhex(c))
	}
	return r
}

func unhex(c byte) int {
	switch {
	case '0' <= c && c <= '9':
		return int(c - '0')
	case 'a' <= c && c <= 'f':
		return int(c - 'a' + 10)
	case 'A' <= c && c <= 'F':
		return int(c - 'A' + 10)
	}
	return -1
}

// Eight bytes at a time (SWAR): the high bit of each byte of the result
// that is a quote, a backslash or a control character is set; bits above
// the first such byte may be set too. Flipping bit 1 maps '"' to 0x20 and
// keeps control characters below it, so one subtraction finds both; bytes
// of 0x80 and up never borrow, and their own marks are cleared.
const (
	ones  = 0x0101010101010101
	highs = 0x8080808080808080
)

func stops(x uint64) uint64 {
	qc := (x ^ 0x02*ones) - 0x21*ones
	bs := (x ^ '\\'*ones) - ones
	return (qc | bs) &^ x & highs
}

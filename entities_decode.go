package mastodon

// The entity decoder.
//
// Entities decode with generated code (entities_*_json.go) driving the small
// scanner below, not with encoding/json. Measured on a 40-status home
// timeline page (see BenchmarkDecodeTimeline and bench/README.md), this is
// several times faster than encoding/json into plain structs and than
// github.com/go-json-experiment/json with inline unknown-member maps, and it
// lets one pass do what the other approaches needed extra passes or wrapper
// types for: accept numbers where strings are documented (and the reverse),
// "true" for true, null or arrays where objects are documented, remember
// which members were sent and keep the ones the types do not know.
//
// The scanner validates everything it reads, including values it skips, so
// malformed JSON is always an error, and it never panics on any input.

import (
	"encoding/binary"
	"encoding/json"
	"math"
	"math/bits"
	"slices"
	"strconv"
	"sync"
	"time"
	"unicode/utf16"
	"unicode/utf8"
	"unsafe"

	"github.com/tuskgo/mastodon/internal/jsonword"
)

// maxDepth bounds nesting, as encoding/json does.
const maxDepth = 10000

// SyntaxError reports malformed JSON in a server response.
type SyntaxError struct {
	Offset int    // byte offset of the problem
	Msg    string // what was wrong
}

func (e *SyntaxError) Error() string {
	return "mastodon: invalid JSON at offset " + strconv.Itoa(e.Offset) + ": " + e.Msg
}

type decoder struct {
	b     []byte
	i     int
	err   error
	depth int
	buf   []byte // scratch for strings with escapes

	// Decoded strings and the targets of pointer fields are carved out of
	// shared blocks rather than allocated one by one: a page of statuses
	// takes a few dozen allocations instead of thousands. A block stays
	// alive while anything in it is referenced; blocks are small (see
	// arenaSize) so a value kept alone holds little memory.
	arena  []byte
	strs   []string
	nstrs  int // strings taken from strs in this document
	bools  []bool
	ints   []int
	floats []float64
	times  []time.Time
	slabs  // entities behind pointers and in lists, by type
}

// carve returns a pointer to a new zero T from blk, starting a new block
// when it is full.
func carve[T any](d *decoder, blk *block[T]) *T {
	if len(blk.b) == cap(blk.b) {
		blk.b = make([]T, 0, d.blockCap(blk.n, cap(blk.b), firstBlock[T](), 64))
	}
	blk.n++
	blk.b = blk.b[:len(blk.b)+1]
	return &blk.b[len(blk.b)-1]
}

// block is where entities of one type are carved from, one at a time
// behind pointers (carve) or a list at a time (decodeSliceIn). busy is
// set while a list is being filled, so that a list of the same type
// nested in it takes its own memory; n counts the entities the document
// has taken.
type block[T any] struct {
	b    []T
	busy bool
	n    int
}

// firstBlock is the capacity of the first block of entities of a type in
// a document: about 256 bytes, so that a small document, which takes one
// or two of most kinds, does not pay for more.
func firstBlock[T any]() int {
	var v T
	return max(256/max(int(unsafe.Sizeof(v)), 1), 1)
}

// blockCap returns the capacity of a new block for a kind of which the
// document has taken n so far, the last block holding last: twice last
// (within lo and hi), but no more than the rest of the input holds at
// the document's rate so far, so that the last block of a document is
// not left mostly unused.
func (d *decoder) blockCap(n, last, lo, hi int) int {
	c := min(max(2*last, lo), hi)
	if n > 0 && d.i > 0 {
		if r := int64(n)*int64(len(d.b)-d.i)/int64(d.i) + 1; r < int64(c) {
			c = max(int(r), lo)
		}
	}
	return c
}

// decodeSliceIn is decodeSlice for lists of entities: the elements go
// into the next free stretch of blk when they fit. An empty list takes no
// memory, and a new block is only started for an element that needs it,
// so a document decoded alone (one streamed status, with "filtered":[]
// and a couple of media) does not pay for blocks sized for a page.
func decodeSliceIn[T any](d *decoder, blk *block[T], elem func(*T, *decoder) bool) ([]T, bool) {
	if blk.busy {
		return decodeSlice(d, elem)
	}
	switch d.peek() {
	case 'n':
		d.lit()
		return nil, true
	case '[':
	default:
		d.skip()
		return nil, false
	}
	d.i++
	if !d.enter() {
		return nil, false
	}
	blk.busy = true
	out := []T{}
	started := false // out is in blk.b, from len(blk.b) on
	ok := true
	for first := true; d.nextElem(&first); {
		if len(out) == cap(out) {
			if !started && len(blk.b) < cap(blk.b) {
				out = blk.b[len(blk.b):len(blk.b)]
			} else {
				// A new block, where the list moves if it has outgrown
				// the rest of the old one; that rest is left zeroed.
				nb := make([]T, len(out), max(d.blockCap(blk.n, cap(blk.b), firstBlock[T](), 128), 2*len(out)))
				copy(nb, out)
				clear(out)
				blk.b = nb[:0]
				out = nb
			}
			started = true
		}
		out = out[:len(out)+1]
		if !elem(&out[len(out)-1], d) {
			ok = false
		}
	}
	if started { // take the list's stretch of the block
		blk.n += len(out)
		blk.b = blk.b[:len(blk.b)+len(out)]
		out = out[:len(out):len(out)]
	}
	blk.busy = false
	d.depth--
	return out, ok
}

// decoders are reused, and with them their scratch buffer and the free
// ends of their blocks of string bytes, bools, ints, floats and times: a
// decoder is large (a block per entity type), and small documents decoded
// one after another (streamed events, single entities) would otherwise
// each start blocks of their own and leave most of them unused. What is
// carved from a block is never written again, so documents sharing a
// block is safe, and these blocks refer to nothing else (a time's
// location aside), so a pooled block keeps no earlier document alive. The
// blocks of *string targets and of entities are not kept: they refer to
// strings and other entities, so a pooled block would keep earlier
// documents alive through it.
var decoders = sync.Pool{New: func() any { return new(decoder) }}

// newDecoder returns a decoder over data; free it when done.
func newDecoder(data []byte) *decoder {
	d := decoders.Get().(*decoder)
	d.b = data
	return d
}

// free returns d to the pool.
func (d *decoder) free() {
	d.reset()
	decoders.Put(d)
}

// reset drops all but what the next document may share (see decoders).
// No decoded value refers to the scratch buffer: strings are copied out
// of it.
func (d *decoder) reset() {
	buf := d.buf[:0]
	if cap(buf) > 64<<10 {
		buf = nil // an unusually long string: do not keep its memory
	}
	*d = decoder{buf: buf, arena: d.arena, bools: d.bools, ints: d.ints, floats: d.floats, times: d.times}
}

// arenaSize is the size of a block of string bytes.
const arenaSize = 16 << 10

// intern returns b as a string stored in the decoder's arena.
func (d *decoder) intern(b []byte) string {
	n := len(b)
	if n == 0 {
		return ""
	}
	if n > arenaSize/8 {
		return string(b)
	}
	if cap(d.arena)-len(d.arena) < n {
		// No more string bytes can follow than input is left (escapes
		// aside, which only start another block): a small document, such
		// as one streamed status, gets a block its size.
		size := arenaSize
		if rest := n + len(d.b) - d.i; rest < size {
			size = max(rest, n)
		}
		d.arena = make([]byte, 0, size)
	}
	start := len(d.arena)
	d.arena = append(d.arena, b...)
	// The bytes are never written again: the next string appends after
	// them, and a full block is replaced, not reused.
	return unsafe.String(&d.arena[start], n)
}

func (d *decoder) newString(v string) *string {
	if len(d.strs) == cap(d.strs) {
		d.strs = make([]string, 0, d.blockCap(d.nstrs, cap(d.strs), 16, 64))
	}
	d.nstrs++
	d.strs = append(d.strs, v)
	return &d.strs[len(d.strs)-1]
}

func (d *decoder) newBool(v bool) *bool {
	if len(d.bools) == cap(d.bools) {
		d.bools = make([]bool, 0, 64)
	}
	d.bools = append(d.bools, v)
	return &d.bools[len(d.bools)-1]
}

func (d *decoder) newInt(v int) *int {
	if len(d.ints) == cap(d.ints) {
		d.ints = make([]int, 0, 32)
	}
	d.ints = append(d.ints, v)
	return &d.ints[len(d.ints)-1]
}

func (d *decoder) newFloat(v float64) *float64 {
	if len(d.floats) == cap(d.floats) {
		d.floats = make([]float64, 0, 32)
	}
	d.floats = append(d.floats, v)
	return &d.floats[len(d.floats)-1]
}

func (d *decoder) newTime(v time.Time) *time.Time {
	if len(d.times) == cap(d.times) {
		d.times = make([]time.Time, 0, 16)
	}
	d.times = append(d.times, v)
	return &d.times[len(d.times)-1]
}

func (d *decoder) fail(msg string) {
	if d.err == nil {
		d.err = &SyntaxError{Offset: d.i, Msg: msg}
	}
	d.i = len(d.b) // stop every loop
}

func (d *decoder) eof() {
	d.fail("unexpected end of input")
}

func (d *decoder) ws() {
	if d.i < len(d.b) && d.b[d.i] > ' ' {
		return // the common case: no white space at all
	}
	d.wsSlow()
}

func (d *decoder) wsSlow() {
	for d.i < len(d.b) {
		switch d.b[d.i] {
		case ' ', '\t', '\n', '\r':
			d.i++
		default:
			return
		}
	}
}

// peek returns the next non-space byte without consuming it, or 0 at the end.
func (d *decoder) peek() byte {
	d.ws()
	if d.i < len(d.b) {
		return d.b[d.i]
	}
	return 0
}

// finish checks that only white space follows the top-level value.
func (d *decoder) finish() error {
	if d.err != nil {
		return d.err
	}
	d.ws()
	if d.i != len(d.b) {
		d.fail("unexpected data after top-level value")
	}
	return d.err
}

func (d *decoder) enter() bool {
	d.depth++
	if d.depth > maxDepth {
		d.fail("nested too deeply")
		return false
	}
	return true
}

// next moves to the next member of an object whose '{' has been consumed and
// returns its key; the decoder is then at the member's value. It returns
// false at the closing brace or on error.
func (d *decoder) next(first *bool) ([]byte, bool) {
	if !d.nextMember(first) {
		return nil, false
	}
	return d.memberName()
}

// nextMember moves to the quote that starts the next member's name in an
// object whose '{' has been consumed, past the ',' unless first. It
// returns false at the closing brace (consumed) or on error.
func (d *decoder) nextMember(first *bool) bool {
	d.ws()
	b, i := d.b, d.i
	if i >= len(b) {
		d.eof()
		return false
	}
	c := b[i]
	if c == '}' {
		d.i = i + 1
		return false
	}
	if *first {
		*first = false
	} else {
		if c != ',' {
			d.fail("expected ',' or '}' in object")
			return false
		}
		d.i = i + 1
		d.ws()
		if d.i >= len(b) {
			d.eof()
			return false
		}
		c = b[d.i]
	}
	if c != '"' {
		d.fail("expected string key in object")
		return false
	}
	return true
}

// memberName reads the member name at d.i and the ':' after it, and moves
// to the value.
func (d *decoder) memberName() ([]byte, bool) {
	key := d.readStr()
	if d.err != nil {
		return nil, false
	}
	b, i := d.b, d.i
	if i < len(b) && b[i] == ':' {
		d.i = i + 1 // the common case: no white space around ':'
	} else {
		d.ws()
		if d.i >= len(b) || b[d.i] != ':' {
			d.fail("expected ':' after object key")
			return nil, false
		}
		d.i++
	}
	d.ws()
	if d.i >= len(b) {
		d.eof()
		return nil, false
	}
	return key, true
}

// The generated decoders match the member name they expect next with
// constants: the name as a server writes it, quoted and followed by ':'
// (n bytes), as little-endian words taken from its start (a) and its end
// (z), which overlap when n is not a multiple of the word size. memberN
// reports whether b[j:] (j >= 0) holds such a name followed by a byte
// other than white space; if so it moves d.i past the name.

// member4 matches a name of 4 to 7 bytes.
func (d *decoder) member4(j, n int, a, z uint32) bool {
	b := d.b
	if len(b)-j <= n {
		return false
	}
	w := b[j : j+n+1 : j+n+1]
	if binary.LittleEndian.Uint32(w) != a || binary.LittleEndian.Uint32(w[n-4:]) != z || w[n] <= ' ' {
		return false
	}
	d.i = j + n
	return true
}

// member8 matches a name of 8 to 16 bytes.
func (d *decoder) member8(j, n int, a, z uint64) bool {
	b := d.b
	if len(b)-j <= n {
		return false
	}
	w := b[j : j+n+1 : j+n+1]
	if binary.LittleEndian.Uint64(w) != a || binary.LittleEndian.Uint64(w[n-8:]) != z || w[n] <= ' ' {
		return false
	}
	d.i = j + n
	return true
}

// member16 matches a name of more than 16 bytes, whose bytes between the
// first and the last 8 are mid.
func (d *decoder) member16(j, n int, a, z uint64, mid string) bool {
	b := d.b
	if len(b)-j <= n {
		return false
	}
	w := b[j : j+n+1 : j+n+1]
	if binary.LittleEndian.Uint64(w) != a || binary.LittleEndian.Uint64(w[n-8:]) != z || string(w[8:n-8]) != mid || w[n] <= ' ' {
		return false
	}
	d.i = j + n
	return true
}

// nextElem moves to the next element of an array whose '[' has been consumed.
func (d *decoder) nextElem(first *bool) bool {
	d.ws()
	if d.i >= len(d.b) {
		d.eof()
		return false
	}
	c := d.b[d.i]
	if c == ']' {
		d.i++
		return false
	}
	if *first {
		*first = false
	} else {
		if c != ',' {
			d.fail("expected ',' or ']' in array")
			return false
		}
		d.i++
		d.ws()
	}
	if d.i >= len(d.b) {
		d.eof()
		return false
	}
	return d.err == nil
}

// readStr reads the string at d.i (which holds '"') and returns its
// unescaped bytes. They alias the input or the scratch buffer: copy them
// before reading on. Strings decode exactly as encoding/json decodes them:
// each byte of invalid UTF-8 becomes U+FFFD, and so does an unpaired
// surrogate escape.
func (d *decoder) readStr() []byte {
	b := d.b
	start := d.i + 1
	i := start
next:
	for {
		i += stopIndex(b[i:])
		if i >= len(b) {
			break
		}
		switch c := b[i]; {
		case c == '"':
			d.i = i + 1
			return b[start:i]
		case c == '\\':
			return d.readStrEscaped(start, i)
		case c < 0x20:
			d.i = i
			d.fail("control character in string")
			return nil
		default: // the start of a multi-byte UTF-8 sequence, or invalid
			// A run of valid sequences is checked here, a word at a time,
			// without going back to stopIndex for each character.
			for i <= len(b)-8 {
				n := utf8Len(binary.LittleEndian.Uint64(b[i:]))
				if n == 0 {
					break
				}
				i += n
				if b[i] < 0x80 {
					continue next
				}
			}
			r, size := utf8.DecodeRune(b[i:])
			if r == utf8.RuneError && size == 1 {
				return d.readStrEscaped(start, i)
			}
			i += size
		}
	}
	d.eof()
	return nil
}

// utf8Start describes a byte as the first of a multi-byte UTF-8 sequence:
// the sequence's length n (0 if the byte starts none) and the range
// lo..lo+span allowed for its second byte, which rules out overlong forms,
// surrogates and code points above U+10FFFF. cont marks the top two bits
// of the third and fourth bytes of longer sequences, which must be 10.
type utf8Start struct {
	n, lo, span uint8
	cont        uint32
}

var utf8Starts = func() (t [256]utf8Start) {
	for c := 0xc2; c <= 0xf4; c++ {
		switch {
		case c <= 0xdf:
			t[c] = utf8Start{n: 2, lo: 0x80, span: 0x3f}
		case c <= 0xef:
			t[c] = utf8Start{n: 3, lo: 0x80, span: 0x3f, cont: 0xc00000}
		default:
			t[c] = utf8Start{n: 4, lo: 0x80, span: 0x3f, cont: 0xc0c00000}
		}
	}
	t[0xe0].lo, t[0xe0].span = 0xa0, 0x1f // no overlong forms
	t[0xed].span = 0x1f                   // no surrogates
	t[0xf0].lo, t[0xf0].span = 0x90, 0x2f // no overlong forms
	t[0xf4].span = 0x0f                   // nothing above U+10FFFF
	return t
}()

// utf8Len returns the length of the valid multi-byte UTF-8 sequence that
// starts w (eight bytes of input, little-endian), or 0 if there is none
// there. It accepts exactly what utf8.DecodeRune decodes to a rune of
// more than one byte.
func utf8Len(w uint64) int {
	s := &utf8Starts[byte(w)]
	if byte(w>>8)-s.lo > s.span || uint32(w)&s.cont != s.cont&0x80808080 {
		return 0
	}
	return int(s.n)
}

// stopIndexGeneric returns the index of the first byte of b that
// jsonword.Stops marks, or len(b) if there is none. It is stopIndex where
// there is no assembly version (see entities_scan_*.go).
func stopIndexGeneric(b []byte) int {
	i := 0
	for ; len(b)-i >= 16; i += 16 {
		m0 := jsonword.Stops(binary.LittleEndian.Uint64(b[i:]))
		m1 := jsonword.Stops(binary.LittleEndian.Uint64(b[i+8:]))
		if m0|m1 != 0 {
			if m0 != 0 {
				return i + bits.TrailingZeros64(m0)>>3
			}
			return i + 8 + bits.TrailingZeros64(m1)>>3
		}
	}
	if len(b)-i >= 8 {
		if m := jsonword.Stops(binary.LittleEndian.Uint64(b[i:])); m != 0 {
			return i + bits.TrailingZeros64(m)>>3
		}
		i += 8
	}
	for ; i < len(b); i++ {
		if c := b[i]; c == '"' || c == '\\' || c < 0x20 || c >= 0x80 {
			return i
		}
	}
	return i
}

// hexVal maps a byte to its value as a hex digit, or -1.
var hexVal = func() (t [256]int8) {
	for i := range t {
		t[i] = -1
	}
	for c := '0'; c <= '9'; c++ {
		t[c] = int8(c - '0')
	}
	for c := 'a'; c <= 'f'; c++ {
		t[c] = int8(c - 'a' + 10)
		t[c-'a'+'A'] = int8(c - 'a' + 10)
	}
	return t
}()

// simpleEscape maps the byte after a backslash to what the escape stands
// for, or 0 for 'u' and for bytes that make no escape.
var simpleEscape = [256]byte{'"': '"', '\\': '\\', '/': '/', 'b': '\b', 'f': '\f', 'n': '\n', 'r': '\r', 't': '\t'}

// readStrEscaped finishes readStr for a string that needs unescaping or
// UTF-8 repair from b[i] on; b[start:i] is plain.
func (d *decoder) readStrEscaped(start, i int) []byte {
	b := d.b
	out := append(d.buf[:0], b[start:i]...)
	for {
		if cap(out)-len(out) < 64 {
			out = slices.Grow(out, 64)
		}
		out, i = unescapeFast(out, b, i)
		if i >= len(b) {
			break
		}
		c := b[i]
		switch {
		case c == '"':
			d.i = i + 1
			d.buf = out
			return out
		case c == '\\':
		case c < 0x20:
			d.i = i
			d.fail("control character in string")
			return nil
		case c >= 0x80:
			r, size := utf8.DecodeRune(b[i:])
			if r == utf8.RuneError && size == 1 {
				out = append(out, "\uFFFD"...)
			} else {
				out = append(out, b[i:i+size]...)
			}
			i += size
			continue
		default: // a plain byte in the last few of the input
			out = append(out, c)
			i++
			continue
		}
		// The escapes the word loop leaves: those in the last few bytes of
		// the input, \u beyond ASCII and invalid ones.
		if i+1 >= len(b) {
			break
		}
		if e := simpleEscape[b[i+1]]; e != 0 {
			out = append(out, e)
			i += 2
			continue
		}
		if b[i+1] != 'u' {
			d.i = i
			d.fail("invalid escape in string")
			return nil
		}
		r, ok := hex4(b, i+2)
		if !ok {
			d.i = i
			d.fail("invalid \\u escape in string")
			return nil
		}
		i += 6
		if utf16.IsSurrogate(r) {
			if r2, ok := hex4(b, i+2); ok && i+1 < len(b) && b[i] == '\\' && b[i+1] == 'u' {
				if dec := utf16.DecodeRune(r, r2); dec != utf8.RuneError {
					out = utf8.AppendRune(out, dec)
					i += 6
					continue
				}
			}
			r = utf8.RuneError
		}
		out = utf8.AppendRune(out, r)
	}
	d.eof()
	return nil
}

// unescapeWords appends to out the unescaped string at b[i:] as far as it
// is plain ASCII, common escapes (the one-letter ones and \u00XX for
// ASCII: HTML's <, > and & as Mastodon writes them) and valid multi-byte
// UTF-8, and returns out and the index of the first byte it left: the
// closing quote, or what needs a closer look. It copies plain bytes a word
// at a time: each word is stored whole, and only its bytes before the
// first one that needs a look are kept. It is unescapeFast where there is
// no assembly version (see entities_scan_*.go).
func unescapeWords(out, b []byte, i int) ([]byte, int) {
	for i >= 0 && i <= len(b)-8 {
		n := len(out)
		if n > cap(out)-16 {
			out = slices.Grow(out, 64)
		}
		w := binary.LittleEndian.Uint64(b[i : i+8])
		binary.LittleEndian.PutUint64(out[n:n+8], w)
		m := jsonword.Stops(w)
		if m == 0 {
			out = out[:n+8]
			i += 8
			continue
		}
		k := bits.TrailingZeros64(m) >> 3
		n += k
		i += k
		out = out[:n]
		// A word of input from the stop on; the room kept above holds a
		// word at out[n:].
		if i > len(b)-8 {
			return out, i
		}
		w = binary.LittleEndian.Uint64(b[i : i+8])
		if byte(w) >= 0x80 {
			s := utf8Len(w)
			if s == 0 {
				return out, i
			}
			binary.LittleEndian.PutUint64(out[n:n+8], w)
			out = out[:n+s]
			i += s
			continue
		}
		if byte(w) != '\\' {
			return out, i
		}
		out = out[:n+1]
		if uint32(w) == '\\'|'u'<<8|'0'<<16|'0'<<24 {
			h, l := hexVal[byte(w>>32)], hexVal[byte(w>>40)]
			if h < 0 || h >= 8 || l < 0 {
				return out[:n], i
			}
			out[n] = byte(h)<<4 | byte(l)
			i += 6
			continue
		}
		e := simpleEscape[byte(w>>8)]
		if e == 0 {
			return out[:n], i
		}
		out[n] = e
		i += 2
	}
	return out, i
}

// hex4 reads the four hex digits of a \u escape at b[i:].
func hex4(b []byte, i int) (rune, bool) {
	if i < 0 || i+4 > len(b) {
		return 0, false
	}
	h := b[i : i+4]
	v0, v1, v2, v3 := hexVal[h[0]], hexVal[h[1]], hexVal[h[2]], hexVal[h[3]]
	if v0|v1|v2|v3 < 0 {
		return 0, false
	}
	return rune(v0)<<12 | rune(v1)<<8 | rune(v2)<<4 | rune(v3), true
}

// readNum reads the number at d.i and returns its text.
func (d *decoder) readNum() []byte {
	b := d.b
	start := d.i
	i := start
	if i < len(b) && b[i] == '-' {
		i++
	}
	switch {
	case i < len(b) && b[i] == '0':
		i++
	case i < len(b) && b[i] >= '1' && b[i] <= '9':
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			i++
		}
	default:
		d.i = i
		d.fail("invalid number")
		return nil
	}
	if i < len(b) && b[i] == '.' {
		i++
		j := i
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			i++
		}
		if i == j {
			d.i = i
			d.fail("invalid number")
			return nil
		}
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		j := i
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			i++
		}
		if i == j {
			d.i = i
			d.fail("invalid number")
			return nil
		}
	}
	d.i = i
	return b[start:i]
}

// lit consumes the literal true, false or null starting at d.i.
func (d *decoder) lit() byte {
	b := d.b
	i := d.i
	switch {
	case i+4 <= len(b) && string(b[i:i+4]) == "null":
		d.i += 4
		return 'n'
	case i+4 <= len(b) && string(b[i:i+4]) == "true":
		d.i += 4
		return 't'
	case i+5 <= len(b) && string(b[i:i+5]) == "false":
		d.i += 5
		return 'f'
	}
	d.fail("invalid literal")
	return 0
}

// null consumes a null if one comes next.
func (d *decoder) null() bool {
	if b := d.b; d.i < len(b) && b[d.i] > ' ' && b[d.i] != 'n' {
		return false // the common case: a value
	}
	return d.nullOther()
}

// nullOther is null for a null, white space, or the end of the input.
func (d *decoder) nullOther() bool {
	if b, i := d.b, d.i; len(b)-i >= 4 && string(b[i:i+4]) == "null" {
		d.i = i + 4
		return true
	}
	if d.peek() == 'n' {
		d.lit()
		return true
	}
	return false
}

// skip reads and validates one value of any kind.
func (d *decoder) skip() {
	switch c := d.peek(); {
	case c == '"':
		d.readStr()
	case c == '{':
		d.i++
		if !d.enter() {
			return
		}
		for first := true; ; {
			if _, ok := d.next(&first); !ok {
				break
			}
			d.skip()
		}
		d.depth--
	case c == '[':
		d.i++
		if !d.enter() {
			return
		}
		for first := true; d.nextElem(&first); {
			d.skip()
		}
		d.depth--
	case c == '-' || c >= '0' && c <= '9':
		d.readNum()
	case c == 't' || c == 'f' || c == 'n':
		d.lit()
	case c == 0 && d.i >= len(d.b):
		d.eof()
	default:
		d.fail("invalid character " + strconv.QuoteRune(rune(c)) + " looking for a value")
	}
}

// rawValue reads one value and returns a copy of its text.
func (d *decoder) rawValue() []byte {
	d.ws()
	start := d.i
	d.skip()
	if d.err != nil {
		return nil
	}
	return append([]byte(nil), d.b[start:d.i]...)
}

// The scalar readers below return the decoded value and whether the wire
// form was the expected one. When it was not (a number for a string, null
// for a non-pointer, an array for an object …), the caller keeps the wire
// form so that encoding gives it back unchanged.

// text reads a scalar as text: strings unescaped, numbers and literals as
// written. Objects and arrays are skipped and give nil.
func (d *decoder) text() (b []byte, kind byte) {
	switch c := d.peek(); {
	case c == '"':
		return d.readStr(), '"'
	case c == '-' || c >= '0' && c <= '9':
		return d.readNum(), '0'
	case c == 't':
		d.lit()
		return []byte("true"), 't'
	case c == 'f':
		d.lit()
		return []byte("false"), 'f'
	case c == 'n':
		d.lit()
		return nil, 'n'
	default:
		d.skip()
		return nil, '{'
	}
}

func (d *decoder) str() (string, bool) {
	if d.i < len(d.b) && d.b[d.i] == '"' {
		return d.intern(d.readStr()), true
	}
	b, _ := d.text()
	return d.intern(b), false
}

func (d *decoder) strPtr() (*string, bool) {
	if d.i < len(d.b) && d.b[d.i] == '"' {
		return d.newString(d.intern(d.readStr())), true
	}
	if d.null() {
		return nil, true
	}
	b, _ := d.text()
	return d.newString(d.intern(b)), false
}

// numID reads an ID documented as a JSON number into a string.
func (d *decoder) numID() (string, bool) {
	b, k := d.text()
	return d.intern(b), k == '0'
}

func (d *decoder) numIDPtr() (*string, bool) {
	b, k := d.text()
	if k == 'n' {
		return nil, true
	}
	return d.newString(d.intern(b)), k == '0'
}

func parseInt(b []byte) (int, bool) {
	if len(b) == 0 || len(b) > 18 {
		n, err := strconv.ParseInt(unsafe.String(unsafe.SliceData(b), len(b)), 10, 64)
		return int(n), err == nil
	}
	neg := b[0] == '-'
	if neg {
		b = b[1:]
		if len(b) == 0 {
			return 0, false
		}
	}
	n := 0
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	if neg {
		n = -n
	}
	return n, true
}

func (d *decoder) int() (int, bool) {
	// The common case: at most 18 digits, not a zero before others, and
	// neither a fraction nor an exponent after them.
	b, i := d.b, d.i
	n, j := 0, i
	for j < len(b) && j-i < 19 {
		c := b[j] - '0'
		if c > 9 {
			break
		}
		n = n*10 + int(c)
		j++
	}
	if j > i && j-i < 19 && j < len(b) && (b[i] != '0' || j == i+1) {
		if c := b[j]; c != '.' && c != 'e' && c != 'E' {
			d.i = j
			return n, true
		}
	}
	return d.intOther()
}

// intOther is int for what its common case leaves: negative and long
// numbers, fractions, exponents and other kinds of value.
func (d *decoder) intOther() (int, bool) {
	b, k := d.text()
	switch k {
	case '0':
		if n, ok := parseInt(b); ok {
			return n, n != 0 || len(b) == 1 // "-0" is kept as sent
		}
		if f, err := strconv.ParseFloat(unsafe.String(unsafe.SliceData(b), len(b)), 64); err == nil && f == math.Trunc(f) && math.Abs(f) < 1<<53 {
			return int(f), false
		}
	case '"':
		if n, ok := parseInt(b); ok {
			return n, false
		}
	}
	return 0, false
}

func (d *decoder) intPtr() (*int, bool) {
	if d.null() {
		return nil, true
	}
	n, ok := d.int()
	return d.newInt(n), ok
}

func (d *decoder) float() (float64, bool) {
	b, k := d.text()
	if k == '0' || k == '"' {
		if f, ok := parseShortDecimal(b); ok {
			return f, k == '0'
		}
		f, err := strconv.ParseFloat(unsafe.String(unsafe.SliceData(b), len(b)), 64)
		if err == nil {
			return f, k == '0'
		}
	}
	return 0, false
}

// exactPow10 holds the powers of ten a float64 holds exactly.
var exactPow10 = [...]float64{1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15}

// parseShortDecimal parses a decimal of at most 15 digits without an
// exponent (media sizes, durations, focus points) as strconv.ParseFloat
// does: the digits and the power of ten are both exact, so one division
// rounds correctly. It reports false for anything else.
func parseShortDecimal(b []byte) (float64, bool) {
	i := 0
	neg := len(b) > 0 && b[0] == '-'
	if neg {
		i = 1
	}
	var m uint64
	nd, frac := 0, -1
	for ; i < len(b); i++ {
		c := b[i]
		if c == '.' && frac < 0 {
			frac = 0
			continue
		}
		if c < '0' || c > '9' {
			return 0, false
		}
		m = m*10 + uint64(c-'0')
		nd++
		if frac >= 0 {
			frac++
		}
	}
	if nd == 0 || nd > 15 || frac == 0 {
		return 0, false
	}
	f := float64(m)
	if frac > 0 {
		f /= exactPow10[frac]
	}
	if neg {
		f = -f
	}
	return f, true
}

func (d *decoder) floatPtr() (*float64, bool) {
	if d.null() {
		return nil, true
	}
	f, ok := d.float()
	return d.newFloat(f), ok
}

func (d *decoder) bool() (bool, bool) {
	if b, i := d.b, d.i; len(b)-i >= 5 {
		if string(b[i:i+4]) == "true" {
			d.i = i + 4
			return true, true
		}
		if string(b[i:i+5]) == "false" {
			d.i = i + 5
			return false, true
		}
	}
	return d.boolOther()
}

// boolOther is bool for what its common case leaves: literals at the end
// of the input and other kinds of value.
func (d *decoder) boolOther() (bool, bool) {
	if d.i < len(d.b) {
		switch d.b[d.i] {
		case 't':
			return d.lit() == 't', true
		case 'f':
			d.lit()
			return false, true
		}
	}
	b, _ := d.text()
	switch string(b) {
	case "true", "1", "True", "TRUE", "t", "yes", "on":
		return true, false
	}
	return false, false
}

func (d *decoder) boolPtr() (*bool, bool) {
	if d.null() {
		return nil, true
	}
	v, ok := d.bool()
	return d.newBool(v), ok
}

func (d *decoder) raw() ([]byte, bool) {
	return d.rawValue(), true
}

// time reads a timestamp: RFC 3339 with or without fractions, a date, or
// seconds since the epoch as a number or string.
func (d *decoder) time(format byte) (time.Time, bool) {
	// The common cases: the forms Mastodon writes, which hold no escapes.
	if b, i := d.b, d.i; i < len(b) && b[i] == '"' {
		switch {
		case format == fmtDateTime && len(b)-i >= 26 && b[i+25] == '"':
			if t, ok := parseMastodonTime(b[i+1 : i+25]); ok {
				d.i = i + 26
				return t, true
			}
		case format == fmtDate && len(b)-i >= 12 && b[i+11] == '"':
			if t, ok := parseDate(b[i+1 : i+11]); ok {
				d.i = i + 12
				return t, true
			}
		}
	}
	return d.timeOther(format)
}

// timeOther is time for what its common cases leave.
func (d *decoder) timeOther(format byte) (time.Time, bool) {
	b, k := d.text()
	if k != '"' && k != '0' {
		return time.Time{}, false
	}
	if k == '"' {
		if format == fmtDateTime && len(b) == 24 || format == fmtDateTimeOffset && len(b) == 29 {
			if t, ok := parseMastodonTime(b); ok {
				return t, true
			}
		}
		if format == fmtDate && len(b) == 10 {
			if t, ok := parseDate(b); ok {
				return t, true
			}
		}
	}
	t, _ := parseAnyTime(b)
	return t, false
}

func (d *decoder) timePtr(format byte) (*time.Time, bool) {
	if d.null() {
		return nil, true
	}
	t, ok := d.time(format)
	return d.newTime(t), ok
}

// Time formats of time fields: how they encode.
const (
	fmtDateTime       byte = iota // 2006-01-02T15:04:05.000Z, as Mastodon writes them
	fmtDate                       // 2006-01-02
	fmtEpoch                      // "1136214245", seconds since the epoch in a string
	fmtDateTimeOffset             // 2006-01-02T15:04:05.000+00:00, as profile field verification times are stored
)

// parseMastodonTime parses the form Mastodon writes, 2006-01-02T15:04:05.000Z
// (or +00:00 for Z), quickly: the first 23 bytes as three words, their
// digits and separators checked a word at a time.
func parseMastodonTime(b []byte) (time.Time, bool) {
	switch {
	case len(b) == 24 && b[23] == 'Z':
	case len(b) == 29 && string(b[23:]) == "+00:00":
	default:
		return time.Time{}, false
	}
	// By byte, d for a digit: dddd-dd- ddTdd:dd d:dd.ddd (the last word
	// starts at 15).
	v0, ok0 := wordDigits(binary.LittleEndian.Uint64(b[0:8]), 0x00ffff00ffffffff, '-'<<32|'-'<<56)
	v1, ok1 := wordDigits(binary.LittleEndian.Uint64(b[8:16]), 0xffff00ffff00ffff, 'T'<<16|':'<<40)
	v2, ok2 := wordDigits(binary.LittleEndian.Uint64(b[15:23]), 0xffffff00ffff00ff, ':'<<8|'.'<<32)
	if !(ok0 && ok1 && ok2) {
		return time.Time{}, false
	}
	y := int(v0&0xff)*1000 + int(v0>>8&0xff)*100 + int(v0>>16&0xff)*10 + int(v0>>24&0xff)
	mo := int(v0>>40&0xff)*10 + int(v0>>48&0xff)
	dd := int(v1&0xff)*10 + int(v1>>8&0xff)
	h := int(v1>>24&0xff)*10 + int(v1>>32&0xff)
	mi := int(v1>>48&0xff)*10 + int(v1>>56)
	s := int(v2>>16&0xff)*10 + int(v2>>24&0xff)
	ms := int(v2>>40&0xff)*100 + int(v2>>48&0xff)*10 + int(v2>>56)
	if mo < 1 || mo > 12 || dd < 1 || dd > daysIn(mo, y) || h > 23 || mi > 59 || s > 59 {
		return time.Time{}, false
	}
	return time.Unix(unixDays(y, mo, dd)*86400+int64(h*3600+mi*60+s), int64(ms)*1e6).UTC(), true
}

// parseDate parses a date, 2006-01-02, as time.Parse(time.DateOnly, …)
// does, quickly.
func parseDate(b []byte) (time.Time, bool) {
	if len(b) != 10 {
		return time.Time{}, false
	}
	v, ok := wordDigits(binary.LittleEndian.Uint64(b[0:8]), 0x00ffff00ffffffff, '-'<<32|'-'<<56)
	d0, d1 := b[8]-'0', b[9]-'0'
	if !ok || d0 > 9 || d1 > 9 {
		return time.Time{}, false
	}
	y := int(v&0xff)*1000 + int(v>>8&0xff)*100 + int(v>>16&0xff)*10 + int(v>>24&0xff)
	mo := int(v>>40&0xff)*10 + int(v>>48&0xff)
	dd := int(d0)*10 + int(d1)
	if mo < 1 || mo > 12 || dd < 1 || dd > daysIn(mo, y) {
		return time.Time{}, false
	}
	return time.Unix(unixDays(y, mo, dd)*86400, 0).UTC(), true
}

// wordDigits checks that the bytes of w that mask m keeps are decimal
// digits and that the others are sep, and returns w with each digit byte
// replaced by its value and the others zero.
func wordDigits(w, m, sep uint64) (uint64, bool) {
	const (
		high  = 0xf0f0f0f0f0f0f0f0
		zeros = 0x3030303030303030
		sixes = 0x0606060606060606
	)
	// A digit byte is 0x3X with X at most 9, so that adding 6 leaves its
	// high half 3. A byte that could carry into the next one (0xfa and
	// above) fails the first test.
	ok := w&^m == sep && w&m&high == zeros&m && (w&m+sixes&m)&high == zeros&m
	return w&m - zeros&m, ok
}

// unixDays returns the number of days from 1970-01-01 to a date of the
// proleptic Gregorian calendar with a year from 0 to 9999.
func unixDays(y, m, d int) int64 {
	// Counted from the 1st of March of year -400: years then start with
	// March, so a leap day ends one, and stay positive.
	if m < 3 {
		y--
		m += 12
	}
	y += 400
	days := 365*y + y/4 - y/100 + y/400 + (153*(m-3)+2)/5 + d - 1
	return int64(days - 719468 - 146097)
}

func daysIn(m, y int) int {
	switch m {
	case 2:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

var timeLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04:05.999999999",
	"2006-01-02T15:04:05.999999999Z0700",
	"2006-01-02 15:04:05.999999999Z07:00",
	"2006-01-02 15:04:05.999999999 -0700",
	"2006-01-02 15:04:05.999999999",
	time.DateOnly,
	time.RFC1123,
	time.RFC1123Z,
}

func parseAnyTime(b []byte) (time.Time, bool) {
	s := string(b)
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		if n > 1e12 || n < -1e12 { // milliseconds
			return time.UnixMilli(n).UTC(), true
		}
		return time.Unix(n, 0).UTC(), true
	}
	if f, err := strconv.ParseFloat(s, 64); err == nil && !math.IsInf(f, 0) && !math.IsNaN(f) && math.Abs(f) < 1e15 {
		sec, frac := math.Modf(f)
		return time.Unix(int64(sec), int64(frac*1e9)).UTC(), true
	}
	for _, l := range timeLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// decodeSlice reads an array with elem reading each element. null gives a
// nil slice, an empty array an empty non-nil one.
func decodeSlice[T any](d *decoder, elem func(*T, *decoder) bool) ([]T, bool) {
	switch d.peek() {
	case 'n':
		d.lit()
		return nil, true
	case '[':
	default:
		d.skip()
		return nil, false
	}
	d.i++
	if !d.enter() {
		return nil, false
	}
	out := []T{}
	ok := true
	for first := true; d.nextElem(&first); {
		if len(out) == cap(out) {
			out = slices.Grow(out, max(4, len(out)))
		}
		out = out[:len(out)+1]
		if !elem(&out[len(out)-1], d) {
			ok = false
		}
	}
	d.depth--
	return out, ok
}

// decodePtrSlice reads an array of objects into pointers, allocating the
// elements in blocks.
func decodePtrSlice[T any](d *decoder, elem func(*T, *decoder) bool) ([]*T, bool) {
	switch d.peek() {
	case 'n':
		d.lit()
		return nil, true
	case '[':
	default:
		d.skip()
		return nil, false
	}
	d.i++
	if !d.enter() {
		return nil, false
	}
	out := []*T{}
	var block []T
	start := d.i
	ok := true
	for first := true; d.nextElem(&first); {
		if len(block) == cap(block) {
			// The first element alone, then blocks of up to 16 KiB sized
			// by how many more elements of the average size so far the
			// rest of the input holds: a page of 40 statuses takes four
			// blocks and leaves little unused (one block for the rest
			// left a sixth of it idle, by misjudging from the first
			// status and by rounding a large allocation up to whole pages).
			n := 1
			if len(out) > 0 {
				avg := max((d.i-start)/len(out), 1)
				rest := (len(d.b)-d.i)/avg + 1
				out = slices.Grow(out, rest)
				var v T
				n = min(rest, max(16<<10/max(int(unsafe.Sizeof(v)), 1), 1))
			}
			block = make([]T, 0, n)
		}
		block = block[:len(block)+1]
		v := &block[len(block)-1]
		if !elem(v, d) {
			ok = false
		}
		out = append(out, v)
	}
	d.depth--
	return out, ok
}

// decodeMap reads an object with string keys.
func decodeMap[T any](d *decoder, elem func(*T, *decoder) bool) (map[string]T, bool) {
	switch d.peek() {
	case 'n':
		d.lit()
		return nil, true
	case '{':
	default:
		d.skip()
		return nil, false
	}
	d.i++
	if !d.enter() {
		return nil, false
	}
	out := map[string]T{}
	ok := true
	for first := true; ; {
		key, more := d.next(&first)
		if !more {
			break
		}
		k := string(key)
		var v T
		if !elem(&v, d) {
			ok = false
		}
		out[k] = v
	}
	d.depth--
	return out, ok
}

func decodeStringElem(v *string, d *decoder) bool {
	var ok bool
	*v, ok = d.str()
	return ok
}

func decodeIntElem(v *int, d *decoder) bool {
	var ok bool
	*v, ok = d.int()
	return ok
}

func decodeRawElem(v *json.RawMessage, d *decoder) bool {
	*v = d.rawValue()
	return true
}

// shallowQuote reports whether the quote object at d.i carries only the
// quoted status's ID, looking at its members without consuming anything.
func (d *decoder) shallowQuote() bool {
	probe := decoder{b: d.b, i: d.i, depth: d.depth}
	if probe.peek() != '{' {
		return false
	}
	probe.i++
	for first := true; ; {
		k, ok := probe.next(&first)
		if !ok {
			return false
		}
		switch string(k) {
		case "quoted_status_id":
			return true
		case "quoted_status":
			return false
		}
		probe.skip()
	}
}

// Top-level lists and maps. A body of another shape (say {} where a list
// was expected, as some servers send for nothing) gives an empty result, not
// an error; malformed JSON is still one.

func decodeTopSlice[T any](data []byte, dst *[]T, elem func(*T, *decoder) bool) error {
	d := newDecoder(data)
	*dst, _ = decodeSlice(d, elem)
	err := d.finish()
	d.free()
	return err
}

func decodeTopPtrSlice[T any](data []byte, dst *[]*T, elem func(*T, *decoder) bool) error {
	d := newDecoder(data)
	*dst, _ = decodePtrSlice(d, elem)
	err := d.finish()
	d.free()
	return err
}

func decodeTopMap[T any](data []byte, dst *map[string]T, elem func(*T, *decoder) bool) error {
	d := newDecoder(data)
	*dst, _ = decodeMap(d, elem)
	err := d.finish()
	d.free()
	return err
}

// Whole documents. Each generated entity's pointer type has entityPtr's
// methods; entityDecoders (generated) holds, for each entity type, the
// decoders of a pointer to it and to a slice or map of it, and
// decodeEntity picks one by the type of its argument.

// entityPtr is the method set of a pointer to a generated entity type.
type entityPtr[T any] interface {
	*T
	UnmarshalJSON(data []byte) error
	decodeValue(d *decoder) bool
}

// docDecoder decodes a whole JSON document into v.
type docDecoder func(data []byte, v any) error

// typedDecoder is the decoder of pointers of one type.
type typedDecoder struct {
	t   typeID
	dec docDecoder
}

// typeID identifies the dynamic type of an interface value: its type word.
// A map keyed by it is looked up several times faster than one keyed by
// reflect.Type, which counts when the document is one small status of a
// stream (BenchmarkStreamDecode).
type typeID uintptr

func typeOf(v any) typeID { return typeID((*[2]uintptr)(unsafe.Pointer(&v))[0]) }

// decodersOf returns the decoders of *T, *[]T, *[]*T and *map[string]T.
func decodersOf[T any, P entityPtr[T]]() [4]typedDecoder {
	elem := func(v *T, d *decoder) bool { return P(v).decodeValue(d) }
	return [4]typedDecoder{
		{typeOf((*T)(nil)), func(data []byte, v any) error { return P(v.(*T)).UnmarshalJSON(data) }},
		{typeOf((*[]T)(nil)), func(data []byte, v any) error { return decodeTopSlice(data, v.(*[]T), elem) }},
		{typeOf((*[]*T)(nil)), func(data []byte, v any) error { return decodeTopPtrSlice(data, v.(*[]*T), elem) }},
		{typeOf((*map[string]T)(nil)), func(data []byte, v any) error { return decodeTopMap(data, v.(*map[string]T), elem) }},
	}
}

// entityDecoderTable indexes the decoders by the type they decode into.
func entityDecoderTable(ds ...[4]typedDecoder) map[typeID]docDecoder {
	m := make(map[typeID]docDecoder, 4*len(ds))
	for _, d := range ds {
		for _, x := range d {
			m[x.t] = x.dec
		}
	}
	return m
}

// decodeEntity decodes data into v when v points to an entity or to a
// slice or map of them; it reports false for other types.
func decodeEntity(data []byte, v any) (bool, error) {
	dec := entityDecoders[typeOf(v)]
	if dec == nil {
		return false, nil
	}
	return true, dec(data, v)
}

// Package sse is an incremental parser for the text/event-stream format
// (WHATWG HTML, "Server-sent events", § 9.2.6 "Interpreting an event stream").
//
// A Decoder reads from an io.Reader and hands back one Event at a time:
// dispatched messages and, unlike a browser's EventSource, the comment lines
// too, because Mastodon's heartbeats (":thump") are comments and a watchdog
// wants to see them.
//
// What the parser does, following the specification:
//   - lines end in CRLF, LF or a lone CR, in any mix, also when the CR and LF
//     arrive in different reads;
//   - one leading U+FEFF (byte order mark) is dropped;
//   - "data" lines are joined with LF; "event", "id" and "retry" may come in any
//     order; an id containing NUL is ignored; retry must be all ASCII digits;
//     unknown fields are ignored; a field with no colon has an empty value;
//   - an event with no data is not dispatched (its type is dropped);
//   - a partial event at the end of the stream is discarded.
//
// Where it goes beyond the specification, it stays non-fatal: invalid UTF-8 is
// replaced by U+FFFD as the specification's decoder does, and the event is
// flagged (Event.InvalidUTF8); a line or an event over the configured limit is
// skipped up to the next blank line and reported once as a *SizeError, after
// which Next continues with the following event.
package sse

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"
	"time"
	"unicode/utf8"
)

// Kind tells a dispatched message from a comment line.
type Kind uint8

const (
	// KindMessage is a dispatched event (blank-line terminated, with data).
	KindMessage Kind = iota
	// KindComment is a line starting with a colon, such as a heartbeat.
	KindComment
)

func (k Kind) String() string {
	switch k {
	case KindMessage:
		return "message"
	case KindComment:
		return "comment"
	}
	return "kind(" + strconv.Itoa(int(k)) + ")"
}

// Event is one item of an event stream.
type Event struct {
	Kind Kind
	// Type is the event name ("message" when the event set none). Empty for
	// comments.
	Type string
	// Data is the event's data lines joined by LF, or for a comment the text
	// after the colon (leading space kept, as the specification has no rule
	// for comments).
	Data string
	// ID is the stream's last event ID at the time of dispatch; it persists
	// from earlier events until an "id" field changes it.
	ID string
	// InvalidUTF8 reports that some bytes of this event were not valid UTF-8
	// and were replaced by U+FFFD.
	InvalidUTF8 bool
}

// Default limits.
const (
	DefaultMaxLine  = 4 << 20  // 4 MiB: one data line holds a whole status.
	DefaultMaxEvent = 16 << 20 // 16 MiB for all the lines of one event.
)

// ErrUnexpectedEOF is returned (wrapping io.ErrUnexpectedEOF) when the stream
// ends in the middle of an event; the partial event is discarded.
var ErrUnexpectedEOF = fmt.Errorf("sse: stream ended inside an event: %w", io.ErrUnexpectedEOF)

// SizeError reports a line or an event over the limit. It is not fatal: the
// offending event is skipped and Next may be called again.
type SizeError struct {
	What  string // "line" or "event"
	Limit int
}

func (e *SizeError) Error() string {
	return fmt.Sprintf("sse: %s longer than %d bytes skipped", e.What, e.Limit)
}

// Options tune a Decoder. Zero values mean the defaults.
type Options struct {
	MaxLine  int // longest line accepted, terminator excluded
	MaxEvent int // largest sum of data of one event
	// BufferSize is the initial read buffer size (default 32 KiB).
	BufferSize int
}

// Decoder parses an event stream incrementally. It is not safe for
// concurrent use.
type Decoder struct {
	r        io.Reader
	buf      []byte
	start    int // first unconsumed byte in buf
	end      int // end of valid bytes in buf
	maxLine  int
	maxEvent int

	err      error // sticky read error
	skipLF   bool  // previous line ended with CR: a leading LF belongs to it
	started  bool  // BOM check done
	skipping bool  // discarding an oversized event up to the next blank line
	lineLong bool  // discarding the rest of an oversized line

	// Event being built.
	data    []byte
	typ     []byte
	hasData bool
	invalid bool
	pending bool // some field of the current event was seen

	lastID   string // last event ID string, set at each blank line
	idBuf    string // last event ID buffer, set by "id" fields
	retry    time.Duration
	hasRetry bool
	lastType string // reused when the next type is the same
	scratch  []byte

	borrow bool   // NextBytes: hand out the data without copying it
	raw    []byte // the data NextBytes returns
}

// NewDecoder returns a Decoder reading from r. opts may be nil.
func NewDecoder(r io.Reader, opts *Options) *Decoder {
	d := &Decoder{r: r, maxLine: DefaultMaxLine, maxEvent: DefaultMaxEvent}
	size := 32 << 10
	if opts != nil {
		if opts.MaxLine > 0 {
			d.maxLine = opts.MaxLine
		}
		if opts.MaxEvent > 0 {
			d.maxEvent = opts.MaxEvent
		}
		if opts.BufferSize > 0 {
			size = opts.BufferSize
		}
	}
	if size > d.maxLine+2 {
		size = d.maxLine + 2
	}
	if size < 16 {
		size = 16
	}
	d.buf = make([]byte, size)
	return d
}

// LastEventID returns the last event ID the stream set (what a client sends
// back as Last-Event-ID when it reconnects).
func (d *Decoder) LastEventID() string { return d.lastID }

// Retry returns the reconnection time the stream asked for, if any.
func (d *Decoder) Retry() (time.Duration, bool) { return d.retry, d.hasRetry }

// Next returns the next message or comment. At the end of the stream it
// returns io.EOF, or ErrUnexpectedEOF when an event was cut short. A
// *SizeError is not fatal; other errors come from the reader and are.
func (d *Decoder) Next() (Event, error) {
	d.borrow = false
	return d.next()
}

// NextBytes is Next without copying a message's data: Event.Data is left
// empty and the data is returned as bytes that stay valid only until the
// next call. Comments still carry their text in Event.Data.
func (d *Decoder) NextBytes() (Event, []byte, error) {
	d.borrow = true
	d.raw = nil
	ev, err := d.next()
	return ev, d.raw, err
}

func (d *Decoder) next() (Event, error) {
	for {
		line, ok, err := d.readLine()
		if err != nil {
			return Event{}, err
		}
		if !ok {
			// End of stream.
			pending := d.pending || d.skipping
			d.resetEvent()
			d.skipping = false
			if pending {
				return Event{}, ErrUnexpectedEOF
			}
			return Event{}, d.err
		}
		if d.lineLong {
			// readLine hands back an oversized line once, empty, with lineLong
			// set; the event it belongs to is dropped.
			d.lineLong = false
			d.resetEvent()
			d.skipping = true
			return Event{}, &SizeError{What: "line", Limit: d.maxLine}
		}
		if len(line) == 0 {
			// The last event ID buffer becomes the last event ID string at
			// every blank line, whether or not an event is dispatched.
			d.lastID = d.idBuf
			if d.skipping {
				d.skipping = false
				continue
			}
			if ev, ok := d.dispatch(); ok {
				return ev, nil
			}
			continue
		}
		if d.skipping {
			continue
		}
		invalid := false
		if !utf8.Valid(line) {
			d.scratch = appendValidUTF8(d.scratch[:0], line)
			line = d.scratch
			invalid = true
		}
		if line[0] == ':' {
			return Event{Kind: KindComment, Data: string(line[1:]), ID: d.lastID, InvalidUTF8: invalid}, nil
		}
		if invalid {
			d.invalid = true
		}
		if err := d.field(line); err != nil {
			return Event{}, err
		}
	}
}

// field processes one "name: value" line.
func (d *Decoder) field(line []byte) error {
	var name, value []byte
	if i := bytes.IndexByte(line, ':'); i >= 0 {
		name, value = line[:i], line[i+1:]
		if len(value) > 0 && value[0] == ' ' {
			value = value[1:]
		}
	} else {
		name = line
	}
	switch string(name) {
	case "data":
		d.pending = true
		if len(d.data)+len(value)+1 > d.maxEvent {
			d.resetEvent()
			d.skipping = true
			return &SizeError{What: "event", Limit: d.maxEvent}
		}
		d.data = append(d.data, value...)
		d.data = append(d.data, '\n')
		d.hasData = true
	case "event":
		d.pending = true
		d.typ = append(d.typ[:0], value...)
	case "id":
		d.pending = true
		if bytes.IndexByte(value, 0) < 0 && d.idBuf != string(value) {
			d.idBuf = string(value)
		}
	case "retry":
		if n, ok := digits(value); ok {
			d.retry = time.Duration(n) * time.Millisecond
			d.hasRetry = true
		}
	default:
		// Unknown fields are ignored, but they still belong to an event.
		d.pending = true
	}
	return nil
}

// digits parses a non-empty run of ASCII digits, saturating on overflow.
func digits(b []byte) (int64, bool) {
	if len(b) == 0 {
		return 0, false
	}
	var n int64
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		if n > (1<<62)/10 {
			n = 1 << 62
			continue
		}
		n = n*10 + int64(c-'0')
	}
	if n > int64(time.Duration(1<<62)/time.Millisecond) {
		n = int64(time.Duration(1<<62) / time.Millisecond)
	}
	return n, true
}

// dispatch ends the current event at a blank line.
func (d *Decoder) dispatch() (Event, bool) {
	if !d.hasData {
		d.resetEvent()
		return Event{}, false
	}
	ev := Event{Kind: KindMessage, ID: d.lastID, InvalidUTF8: d.invalid}
	if len(d.typ) == 0 {
		ev.Type = "message"
	} else {
		if string(d.typ) != d.lastType {
			d.lastType = string(d.typ)
		}
		ev.Type = d.lastType
	}
	if d.borrow {
		d.raw = d.data[: len(d.data)-1 : len(d.data)-1]
	} else {
		ev.Data = string(d.data[:len(d.data)-1])
	}
	d.resetEvent()
	return ev, true
}

func (d *Decoder) resetEvent() {
	d.data = d.data[:0]
	d.typ = d.typ[:0]
	d.hasData = false
	d.invalid = false
	d.pending = false
	if cap(d.data) > 1<<20 {
		d.data = nil // do not pin a huge buffer after one big event
	}
}

// readLine returns the next line without its terminator; ok is false at the
// end of the stream. The returned slice is valid until the next call.
func (d *Decoder) readLine() (line []byte, ok bool, err error) {
	for {
		if d.skipLF && d.start < d.end {
			if d.buf[d.start] == '\n' {
				d.start++
			}
			d.skipLF = false
		}
		seg := d.buf[d.start:d.end]
		if !d.started && (len(seg) >= 3 || (d.err != nil && len(seg) > 0)) {
			d.started = true
			if bytes.HasPrefix(seg, []byte("\xEF\xBB\xBF")) {
				d.start += 3
				seg = seg[3:]
			}
		}
		if d.started || d.err != nil {
			if i := lineEnd(seg); i >= 0 {
				line = seg[:i]
				d.start += i + 1
				if seg[i] == '\r' {
					d.skipLF = true
				}
				if d.lineLong {
					// The tail of an oversized line: report it now.
					return nil, true, nil
				}
				return line, true, nil
			}
		}
		if d.err != nil {
			if d.end > d.start && !d.lineLong {
				// A last line without a terminator is not a complete line;
				// the spec discards it with the pending event.
				d.start = d.end
				d.pending = true
			}
			if d.lineLong {
				d.start = d.end
				d.lineLong = false
				d.pending = true
			}
			if d.err == io.EOF {
				return nil, false, nil
			}
			return nil, false, d.err
		}
		if err := d.fill(); err != nil {
			d.err = err
		}
	}
}

// lineEnd finds the first CR or LF in b.
func lineEnd(b []byte) int {
	i := bytes.IndexByte(b, '\n')
	scan := b
	if i >= 0 {
		scan = b[:i]
	}
	if j := bytes.IndexByte(scan, '\r'); j >= 0 {
		return j
	}
	return i
}

// fill reads more bytes, compacting or growing the buffer as needed.
func (d *Decoder) fill() error {
	if d.start > 0 {
		n := copy(d.buf, d.buf[d.start:d.end])
		d.start, d.end = 0, n
	}
	if d.end == len(d.buf) {
		if d.end > d.maxLine {
			// No terminator within the limit: drop what we have and keep
			// discarding until the line ends.
			d.lineLong = true
			d.start, d.end = 0, 0
		} else {
			size := 2 * len(d.buf)
			if size > d.maxLine+2 {
				size = d.maxLine + 2
			}
			if size <= len(d.buf) {
				size = len(d.buf) + 1
			}
			nb := make([]byte, size)
			copy(nb, d.buf[:d.end])
			d.buf = nb
		}
	}
	for range 100 {
		n, err := d.r.Read(d.buf[d.end:])
		if n < 0 || n > len(d.buf)-d.end {
			return errors.New("sse: reader returned an invalid count")
		}
		d.end += n
		if n > 0 || err != nil {
			return err
		}
	}
	return io.ErrNoProgress
}

// appendValidUTF8 appends b to dst replacing each maximal ill-formed
// subsequence with U+FFFD, as the WHATWG UTF-8 decoder does.
func appendValidUTF8(dst, b []byte) []byte {
	for i := 0; i < len(b); {
		c := b[i]
		if c < utf8.RuneSelf {
			dst = append(dst, c)
			i++
			continue
		}
		r, size := utf8.DecodeRune(b[i:])
		if r != utf8.RuneError || size > 1 {
			dst = append(dst, b[i:i+size]...)
			i += size
			continue
		}
		// Invalid: consume the lead byte and any continuation bytes that
		// could still belong to a valid sequence with it.
		i += 1 + validPrefix(b[i:])
		dst = append(dst, "\uFFFD"...)
	}
	return dst
}

// validPrefix returns how many continuation bytes after the lead byte b[0]
// form the start of a well-formed sequence (0 when the lead byte is invalid).
func validPrefix(b []byte) int {
	c := b[0]
	var need int
	lo, hi := byte(0x80), byte(0xBF)
	switch {
	case c >= 0xC2 && c <= 0xDF:
		need = 1
	case c == 0xE0:
		need, lo = 2, 0xA0
	case c >= 0xE1 && c <= 0xEC, c == 0xEE, c == 0xEF:
		need = 2
	case c == 0xED:
		need, hi = 2, 0x9F
	case c == 0xF0:
		need, lo = 3, 0x90
	case c >= 0xF1 && c <= 0xF3:
		need = 3
	case c == 0xF4:
		need, hi = 3, 0x8F
	default:
		return 0
	}
	n := 0
	for k := 1; k <= need && k < len(b); k++ {
		x := b[k]
		if x < lo || x > hi {
			break
		}
		lo, hi = 0x80, 0xBF
		n++
	}
	return n
}

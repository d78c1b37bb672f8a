// Package wsmsg encodes and decodes the JSON messages of Mastodon's
// multiplexed streaming WebSocket (/api/v1/streaming).
//
// The server sends one text frame per event:
//
//	{"stream":["hashtag","foo"],"event":"update","payload":"{\"id\":\"1\",…}"}
//
// where payload is the entity encoded as JSON and then as a JSON string; for
// "delete" and "announcement.delete" the string is a bare ID, and
// "filters_changed" has no payload at all. Errors come as
// {"error":"Unknown stream type","status":400}. Clients send
// {"type":"subscribe","stream":"hashtag","tag":"foo"} and the matching
// "unsubscribe".
//
// Decode is tolerant where servers differ: stream may be a single string or
// absent (single-stream connections), payload may be a JSON object or number
// instead of a string, and unknown fields are ignored.
package wsmsg

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
)

// Message is one decoded server message: an event or an error.
type Message struct {
	// Stream names the subscription, e.g. ["user"], ["list","42"],
	// ["hashtag","foo"]. Nil when the server did not say.
	Stream []string
	// Event is the event name ("update", "delete", …). Empty for errors.
	Event string
	// Payload is the event's payload text: JSON for entities, the bare ID
	// for deletes. Nil when the message had none (or null).
	Payload []byte
	// Error and Status are set when the server reports an error.
	Error  string
	Status int
}

// IsError reports whether the message is a server error report.
func (m *Message) IsError() bool { return m.Event == "" && m.Error != "" }

// ErrMalformed is wrapped by every Decode error.
var ErrMalformed = errors.New("wsmsg: malformed message")

func malformed(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrMalformed, fmt.Sprintf(format, args...))
}

// Decode parses one text frame. The message owns its Payload and Stream.
func Decode(b []byte) (Message, error) {
	var p Parser
	m, err := p.decode(b, true)
	return m, err
}

// Parser decodes messages one after another, reusing its buffers: a
// message's Payload is valid only until the next call to Decode (it points
// into the Parser's buffer or into b). The Stream slice may be shared with
// earlier messages that had the same stream: treat it as read-only. A Parser
// is not safe for concurrent use.
type Parser struct {
	buf     []byte   // unescaped payload
	stream  []string // the last stream decoded
	rawLast []byte   // its wire form
	s       scanner
}

// Decode parses one text frame in a single pass over b.
func (p *Parser) Decode(b []byte) (Message, error) {
	m, err := p.decode(b, false)
	if cap(p.buf) > 1<<20 {
		p.buf = nil // do not pin a huge buffer after one big message
	}
	return m, err
}

// emptyPayload is a payload that was sent but empty: not nil.
var emptyPayload = []byte{}

// The members the decoder knows; like encoding/json, names match without
// regard to ASCII case and the last of duplicate members wins.
const (
	fStream = iota
	fEvent
	fPayload
	fError
	fStatus
	nFields
)

func (p *Parser) decode(b []byte, own bool) (Message, error) {
	var m Message
	t := bytes.TrimSpace(b)
	if len(t) == 0 || t[0] != '{' {
		return m, malformed("not a JSON object")
	}
	// One pass validates the whole message and notes where each known
	// member's value is.
	var spans [nFields][]byte
	sc := &p.s
	sc.reset(t)
	if err := sc.object(&spans, &p.buf); err != nil {
		return m, err
	}
	var err error
	if m.Stream, err = p.decodeStream(spans[fStream], own); err != nil {
		return m, err
	}
	if v := spans[fEvent]; !isNull(v) {
		if v[0] != '"' {
			return m, malformed("event is not a string")
		}
		m.Event = eventName(sc.unquote(v))
	}
	if v := spans[fError]; !isNull(v) {
		m.Error = scalarText(sc, v)
	}
	if v := spans[fStatus]; !isNull(v) {
		m.Status, _ = strconv.Atoi(scalarText(sc, v))
	}
	if m.Event == "" {
		if m.Error == "" {
			return m, malformed("no event name")
		}
		return m, nil
	}
	if v := spans[fPayload]; !isNull(v) {
		if v[0] == '"' {
			m.Payload = p.buf // unescaped by the scanner
		} else {
			// Some servers send the entity itself, or a numeric ID.
			m.Payload = v
		}
		if own {
			m.Payload = append([]byte(nil), m.Payload...)
		}
		if len(m.Payload) == 0 {
			m.Payload = emptyPayload
		}
	}
	return m, nil
}

// field maps a member name to the member it sets, or -1.
func field(key []byte) int {
	switch len(key) {
	case 5:
		if asciiEqualFold(key, "event") {
			return fEvent
		}
		if asciiEqualFold(key, "error") {
			return fError
		}
	case 6:
		if asciiEqualFold(key, "stream") {
			return fStream
		}
		if asciiEqualFold(key, "status") {
			return fStatus
		}
	case 7:
		if asciiEqualFold(key, "payload") {
			return fPayload
		}
	}
	return -1
}

func asciiEqualFold(b []byte, lower string) bool {
	for i := range len(b) {
		c := b[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != lower[i] {
			return false
		}
	}
	return true
}

// eventName returns the name, without allocating for the names Mastodon
// sends.
func eventName(b []byte) string {
	switch string(b) {
	case "update":
		return "update"
	case "delete":
		return "delete"
	case "notification":
		return "notification"
	case "status.update":
		return "status.update"
	case "conversation":
		return "conversation"
	case "filters_changed":
		return "filters_changed"
	case "announcement":
		return "announcement"
	case "announcement.reaction":
		return "announcement.reaction"
	case "announcement.delete":
		return "announcement.delete"
	case "notifications_merged":
		return "notifications_merged"
	}
	return string(b)
}

func isNull(v []byte) bool { return len(v) == 0 || v[0] == 'n' }

// scalarText returns a JSON string's value or any other JSON value's text.
func scalarText(sc *scanner, v []byte) string {
	if v[0] == '"' {
		return string(sc.unquote(v))
	}
	if v[0] == 'n' {
		return ""
	}
	return string(v)
}

func (p *Parser) decodeStream(v []byte, own bool) ([]string, error) {
	if isNull(v) {
		return nil, nil
	}
	if !own && p.stream != nil && bytes.Equal(v, p.rawLast) {
		return p.stream, nil
	}
	var out []string
	switch v[0] {
	case '"':
		out = []string{string(p.s.unquote(v))}
	case '[':
		out = make([]string, 0, 2)
		var bad bool
		p.s.reset(v)
		p.s.array(func(elem []byte) {
			if elem[0] == '{' || elem[0] == '[' {
				bad = true
				return
			}
			out = append(out, scalarText(&p.s, elem))
		})
		if bad {
			return nil, malformed("stream element is not a string")
		}
	default:
		return nil, malformed("stream is neither a string nor a list")
	}
	if !own {
		p.stream, p.rawLast = out, append(p.rawLast[:0], v...)
	}
	return out, nil
}

// Request is a client message: subscribe or unsubscribe.
type Request struct {
	Type   string // "subscribe" or "unsubscribe"
	Stream string // "user", "public:local", "hashtag", "list", …
	Tag    string // for hashtag streams
	List   string // for list streams
}

// Encode returns the JSON text of r.
func Encode(r Request) []byte {
	type out struct {
		Type   string `json:"type"`
		Stream string `json:"stream"`
		Tag    string `json:"tag,omitempty"`
		List   string `json:"list,omitempty"`
	}
	b, _ := json.Marshal(out(r)) // strings only: cannot fail
	return b
}

// StreamKey returns the routing key of a stream name, as the server labels
// it: the name, then the tag or list ID when there is one.
func StreamKey(stream, tag, list string) []string {
	switch {
	case list != "" && stream == "list":
		return []string{stream, list}
	case tag != "" && (stream == "hashtag" || stream == "hashtag:local"):
		return []string{stream, tag}
	}
	return []string{stream}
}

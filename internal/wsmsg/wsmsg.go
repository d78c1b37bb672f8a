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

type wire struct {
	Stream  json.RawMessage `json:"stream"`
	Event   json.RawMessage `json:"event"`
	Payload json.RawMessage `json:"payload"`
	Error   json.RawMessage `json:"error"`
	Status  json.RawMessage `json:"status"`
}

// Decode parses one text frame.
func Decode(b []byte) (Message, error) {
	var m Message
	t := bytes.TrimSpace(b)
	if len(t) == 0 || t[0] != '{' {
		return m, malformed("not a JSON object")
	}
	var w wire
	if err := json.Unmarshal(t, &w); err != nil {
		return m, malformed("%v", err)
	}
	var err error
	if m.Stream, err = decodeStream(w.Stream); err != nil {
		return m, err
	}
	if !isNull(w.Event) {
		if err := json.Unmarshal(w.Event, &m.Event); err != nil {
			return m, malformed("event is not a string")
		}
	}
	if !isNull(w.Error) {
		m.Error = scalarText(w.Error)
	}
	if !isNull(w.Status) {
		m.Status, _ = strconv.Atoi(scalarText(w.Status))
	}
	if m.Event == "" {
		if m.Error == "" {
			return m, malformed("no event name")
		}
		return m, nil
	}
	if !isNull(w.Payload) {
		if w.Payload[0] == '"' {
			var s string
			if err := json.Unmarshal(w.Payload, &s); err != nil {
				return m, malformed("payload: %v", err)
			}
			m.Payload = []byte(s)
		} else {
			// Some servers send the entity itself, or a numeric ID.
			m.Payload = append([]byte(nil), w.Payload...)
		}
	}
	return m, nil
}

func isNull(r json.RawMessage) bool { return len(r) == 0 || string(r) == "null" }

// scalarText returns a JSON string's value or any other JSON value's text.
func scalarText(r json.RawMessage) string {
	var s string
	if json.Unmarshal(r, &s) == nil {
		return s
	}
	return string(r)
}

func decodeStream(r json.RawMessage) ([]string, error) {
	if isNull(r) {
		return nil, nil
	}
	switch r[0] {
	case '"':
		var s string
		if err := json.Unmarshal(r, &s); err != nil {
			return nil, malformed("stream: %v", err)
		}
		return []string{s}, nil
	case '[':
		var parts []json.RawMessage
		if err := json.Unmarshal(r, &parts); err != nil {
			return nil, malformed("stream: %v", err)
		}
		out := make([]string, 0, len(parts))
		for _, p := range parts {
			if len(p) == 0 || p[0] == '{' || p[0] == '[' {
				return nil, malformed("stream element is not a string")
			}
			out = append(out, scalarText(p))
		}
		return out, nil
	}
	return nil, malformed("stream is neither a string nor a list")
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

package mastodon

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
)

// Event is one event of a stream. Its dynamic type is one of
// *UpdateEvent, *DeleteEvent, *NotificationEvent, *StatusUpdateEvent,
// *ConversationEvent, *FiltersChangedEvent, *AnnouncementEvent,
// *AnnouncementReactionEvent, *AnnouncementDeleteEvent,
// *NotificationsMergedEvent, *EncryptedMessageEvent or *UnknownEvent, and,
// with StreamOptions.ConnectionEvents, *ConnectEvent, *DisconnectEvent or
// *HeartbeatEvent.
type Event interface {
	// Name is the event name as the server sends it ("update",
	// "status.update", …); the stream's own events are "connect",
	// "disconnect" and "heartbeat".
	Name() string
	// Meta says where the event came from.
	Meta() *EventMeta
}

// EventMeta is what every event carries besides its payload.
type EventMeta struct {
	// Stream names the subscription the event belongs to, as the server
	// labels it: ["user"], ["public:local"], ["hashtag", "foo"], ["list", "42"].
	// On a connection event it names the subscription an SSE connection
	// carries, and is nil for the WebSocket, which carries them all.
	Stream []string
	// CatchUp is true for events fetched through the REST API after a
	// reconnect, to fill the gap while the stream was down.
	CatchUp bool
}

// Meta returns m; it makes every event type satisfy Event.
func (m *EventMeta) Meta() *EventMeta { return m }

// UpdateEvent is a new status on a timeline ("update").
type UpdateEvent struct {
	EventMeta
	Status *Status
}

// DeleteEvent says a status was deleted ("delete").
type DeleteEvent struct {
	EventMeta
	ID string // the deleted status's ID
}

// NotificationEvent is a new notification ("notification").
type NotificationEvent struct {
	EventMeta
	Notification *Notification
}

// StatusUpdateEvent is an edited status ("status.update", Mastodon 3.5+).
type StatusUpdateEvent struct {
	EventMeta
	Status *Status
}

// ConversationEvent is an updated direct conversation ("conversation").
type ConversationEvent struct {
	EventMeta
	Conversation *Conversation
}

// FiltersChangedEvent says the user's filters changed ("filters_changed");
// clients should fetch them again.
type FiltersChangedEvent struct{ EventMeta }

// AnnouncementEvent is a published announcement ("announcement").
type AnnouncementEvent struct {
	EventMeta
	Announcement *Announcement
}

// AnnouncementReactionEvent is a reaction to an announcement
// ("announcement.reaction").
type AnnouncementReactionEvent struct {
	EventMeta
	Reaction *StreamReaction
}

// AnnouncementDeleteEvent says an announcement was deleted
// ("announcement.delete").
type AnnouncementDeleteEvent struct {
	EventMeta
	ID string // the deleted announcement's ID
}

// NotificationsMergedEvent says accepted notification requests were merged
// and the notification list should be fetched again ("notifications_merged",
// Mastodon 4.3+).
type NotificationsMergedEvent struct{ EventMeta }

// EncryptedMessageEvent is an end-to-end encrypted message
// ("encrypted_message"); Mastodon defined it in 3.2 and never sends it.
type EncryptedMessageEvent struct {
	EventMeta
	Payload json.RawMessage // as received
}

// UnknownEvent is an event this library does not know, kept whole.
type UnknownEvent struct {
	EventMeta
	Event   string // the event name
	Payload []byte // the payload text as received (nil when there was none)
}

// ConnectEvent says a connection of the stream opened (reported with
// StreamOptions.ConnectionEvents; the server sends no such event).
type ConnectEvent struct {
	EventMeta
	Transport Transport
	// Reconnect is false for a connection's first opening, true after a
	// disconnect.
	Reconnect bool
}

// DisconnectEvent says a connection of the stream was lost while the
// stream runs (reported with StreamOptions.ConnectionEvents). The stream
// reconnects, unless NoReconnect or MaxReconnects says otherwise.
type DisconnectEvent struct {
	EventMeta
	Err error // why: ErrHeartbeatTimeout, a network error, the server ending it…
}

// HeartbeatEvent is a heartbeat from the server: an SSE comment or a
// WebSocket ping (reported with StreamOptions.ConnectionEvents).
type HeartbeatEvent struct{ EventMeta }

func (*ConnectEvent) Name() string    { return "connect" }
func (*DisconnectEvent) Name() string { return "disconnect" }
func (*HeartbeatEvent) Name() string  { return "heartbeat" }

func (*UpdateEvent) Name() string               { return "update" }
func (*DeleteEvent) Name() string               { return "delete" }
func (*NotificationEvent) Name() string         { return "notification" }
func (*StatusUpdateEvent) Name() string         { return "status.update" }
func (*ConversationEvent) Name() string         { return "conversation" }
func (*FiltersChangedEvent) Name() string       { return "filters_changed" }
func (*AnnouncementEvent) Name() string         { return "announcement" }
func (*AnnouncementReactionEvent) Name() string { return "announcement.reaction" }
func (*AnnouncementDeleteEvent) Name() string   { return "announcement.delete" }
func (*NotificationsMergedEvent) Name() string  { return "notifications_merged" }
func (*EncryptedMessageEvent) Name() string     { return "encrypted_message" }

// Name returns the event name the server sent.
func (e *UnknownEvent) Name() string { return e.Event }

// MalformedEventError is a stream event whose payload could not be decoded.
// It is delivered on the stream, which goes on. It matches ErrDecode.
type MalformedEventError struct {
	Event   string   // event name
	Stream  []string // subscription
	Snippet string   // the start of the payload, sanitised
	Err     error
}

func (e *MalformedEventError) Error() string {
	return fmt.Sprintf("mastodon: stream %s: malformed %q event: %v; payload starts %q",
		sanitizeForError(strings.Join(e.Stream, " ")), sanitizeForError(e.Event), e.Err, e.Snippet)
}

func (e *MalformedEventError) Unwrap() error        { return e.Err }
func (e *MalformedEventError) Is(target error) bool { return target == ErrDecode }

// decodeEvent turns an event name and its payload text into a typed Event.
// payload may be borrowed from a reader's buffer: nothing returned keeps it.
func decodeEvent(name string, payload []byte, stream []string) (Event, error) {
	meta := EventMeta{Stream: stream}
	bad := func(err error) error {
		return &MalformedEventError{Event: name, Stream: stream, Snippet: snippet(payload), Err: err}
	}
	object := func(v any) error {
		p := bytes.TrimSpace(payload)
		if len(p) == 0 || p[0] != '{' {
			return bad(errors.New("payload is not a JSON object"))
		}
		if err := unmarshalJSON(p, v); err != nil {
			return bad(err)
		}
		return nil
	}
	switch name {
	// The event and its entity are allocated together: one allocation
	// less per event.
	case "update":
		a := new(struct {
			ev UpdateEvent
			st Status
		})
		if err := object(&a.st); err != nil {
			return nil, err
		}
		if a.st.ID == "" {
			return nil, bad(errors.New("status has no id"))
		}
		a.ev = UpdateEvent{EventMeta: meta, Status: &a.st}
		return &a.ev, nil
	case "status.update":
		a := new(struct {
			ev StatusUpdateEvent
			st Status
		})
		if err := object(&a.st); err != nil {
			return nil, err
		}
		if a.st.ID == "" {
			return nil, bad(errors.New("status has no id"))
		}
		a.ev = StatusUpdateEvent{EventMeta: meta, Status: &a.st}
		return &a.ev, nil
	case "notification":
		a := new(struct {
			ev NotificationEvent
			n  Notification
		})
		if err := object(&a.n); err != nil {
			return nil, err
		}
		if a.n.ID == "" {
			return nil, bad(errors.New("notification has no id"))
		}
		a.ev = NotificationEvent{EventMeta: meta, Notification: &a.n}
		return &a.ev, nil
	case "conversation":
		cv := new(Conversation)
		if err := object(cv); err != nil {
			return nil, err
		}
		return &ConversationEvent{EventMeta: meta, Conversation: cv}, nil
	case "announcement":
		a := new(Announcement)
		if err := object(a); err != nil {
			return nil, err
		}
		return &AnnouncementEvent{EventMeta: meta, Announcement: a}, nil
	case "announcement.reaction":
		r := new(StreamReaction)
		if err := object(r); err != nil {
			return nil, err
		}
		return &AnnouncementReactionEvent{EventMeta: meta, Reaction: r}, nil
	case "delete", "announcement.delete":
		id, err := bareID(payload)
		if err != nil {
			return nil, bad(err)
		}
		if name == "delete" {
			return &DeleteEvent{EventMeta: meta, ID: id}, nil
		}
		return &AnnouncementDeleteEvent{EventMeta: meta, ID: id}, nil
	case "filters_changed":
		// SSE sends "undefined", WebSocket nothing: either way no payload.
		return &FiltersChangedEvent{EventMeta: meta}, nil
	case "notifications_merged":
		return &NotificationsMergedEvent{EventMeta: meta}, nil
	case "encrypted_message":
		p := bytes.TrimSpace(payload)
		if len(p) > 0 && !json.Valid(p) {
			return nil, bad(errors.New("payload is not JSON"))
		}
		return &EncryptedMessageEvent{EventMeta: meta, Payload: json.RawMessage(bytes.Clone(p))}, nil
	}
	return &UnknownEvent{EventMeta: meta, Event: name, Payload: bytes.Clone(payload)}, nil
}

// bareID reads the ID a delete event carries: a bare string, a JSON string
// or a JSON number.
func bareID(payload []byte) (string, error) {
	p := bytes.TrimSpace(payload)
	if len(p) > 0 && p[0] == '"' {
		var s string
		if err := json.Unmarshal(p, &s); err != nil {
			return "", err
		}
		p = []byte(strings.TrimSpace(s))
	}
	if len(p) == 0 {
		return "", errors.New("empty id")
	}
	if len(p) > 128 {
		return "", errors.New("id longer than 128 bytes")
	}
	for _, c := range p {
		if c <= ' ' || c == '"' || c == '{' || c == '[' || c >= 0x7f {
			return "", errors.New("id is not a bare identifier")
		}
	}
	return string(p), nil
}

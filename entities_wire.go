package mastodon

//go:generate go run ./internal/gen/entities

import (
	"bytes"
	"encoding/json"
	"iter"
)

// wire is embedded in every entity. It records which members the server
// sent and keeps what the typed fields cannot hold, so that encoding a
// decoded entity gives back what was received:
//
//   - members the type does not know, verbatim and in the order received;
//   - members whose wire form differs from how the typed value encodes
//     (an ID sent as a number, "true" for true, null for a non-pointer,
//     a time in another format …), given back as received for as long as
//     the typed value is left unchanged.
//
// For a decoded entity, a member that was sent is encoded even when its
// value is the zero value, and one that was not sent only when it has been
// set since. An entity built in code encodes every field, nil pointers as
// null and nil lists as [].
//
// Values are compared as JSON values: member order, white space and string
// escapes are not kept; numbers are compared by value (0.0 and 0 are the
// same), strings and times by their exact text.
type wire struct {
	seen [2]uint64
	x    *extra
}

// extra holds the rare parts of a decoded entity, allocated only when needed.
type extra struct {
	unknown  []rawMember
	verbatim []verbatimMember
}

type rawMember struct {
	name string
	raw  []byte
}

type verbatimMember struct {
	field int    // index in the type, -1 for the whole value
	raw   []byte // as received
	canon []byte // as the typed value encoded when decoded
}

// UnknownFields yields the members that arrived with the entity but have no
// field in its type (yet), in the order they were received.
func (w *wire) UnknownFields() iter.Seq2[string, json.RawMessage] {
	return func(yield func(string, json.RawMessage) bool) {
		if w.x == nil {
			return
		}
		for _, m := range w.x.unknown {
			if !yield(m.name, json.RawMessage(m.raw)) {
				return
			}
		}
	}
}

// UnknownField returns the raw JSON of a member that has no field in the
// entity's type, and whether it was sent.
func (w *wire) UnknownField(name string) (json.RawMessage, bool) {
	if w.x != nil {
		for _, m := range w.x.unknown {
			if m.name == name {
				return json.RawMessage(m.raw), true
			}
		}
	}
	return nil, false
}

func (w *wire) has(f int) bool { return w.seen[f>>6]&(1<<(f&63)) != 0 }

// decodedBit marks an entity that was decoded from a JSON object. One
// that was not (built in code) encodes every field, as a server would.
const decodedBit = 1 << 63

func (w *wire) markDecoded() { w.seen[1] |= decodedBit }

func (w *wire) decoded() bool { return w.seen[1]&decodedBit != 0 }

func (w *wire) mark(f int) { w.seen[f>>6] |= 1 << (f & 63) }

func (w *wire) empty() bool { return w.seen == [2]uint64{} && w.x == nil }

func (w *wire) addUnknown(d *decoder, key []byte) {
	name := string(key)
	raw := d.rawValue()
	if d.err != nil {
		return
	}
	if w.x == nil {
		w.x = &extra{}
	}
	w.x.unknown = append(w.x.unknown, rawMember{name, raw})
}

// keepVerbatim records the wire form of field f, read from d.b[start:d.i],
// when it differs from canon, the encoding of the decoded value.
func (w *wire) keepVerbatim(d *decoder, f, start int, canon []byte) {
	if d.err != nil {
		return
	}
	raw := d.b[start:d.i]
	if bytes.Equal(raw, canon) {
		return
	}
	if w.x == nil {
		w.x = &extra{}
	}
	for i := range w.x.verbatim {
		if w.x.verbatim[i].field == f {
			w.x.verbatim[i] = verbatimMember{f, bytes.Clone(raw), canon}
			return
		}
	}
	w.x.verbatim = append(w.x.verbatim, verbatimMember{f, bytes.Clone(raw), canon})
}

// dropVerbatim forgets the wire form of field f (sent again, canonically).
func (x *extra) dropVerbatim(f int) {
	for i, v := range x.verbatim {
		if v.field == f {
			x.verbatim = append(x.verbatim[:i], x.verbatim[i+1:]...)
			return
		}
	}
}

// fix replaces what was just encoded for field f (e.b[mark:]) with the wire
// form it was decoded from, if the value is unchanged since.
func (w *wire) fix(e *encoder, f, mark int) {
	if w.x == nil {
		return
	}
	for _, v := range w.x.verbatim {
		if v.field == f {
			if bytes.Equal(e.b[mark:], v.canon) {
				e.b = append(e.b[:mark], v.raw...)
			}
			return
		}
	}
}

func (w *wire) encodeUnknown(e *encoder, first *bool) {
	if w.x == nil {
		return
	}
	for _, m := range w.x.unknown {
		if !*first {
			e.b = append(e.b, ',')
		}
		*first = false
		e.str(m.name)
		e.b = append(e.b, ':')
		e.b = append(e.b, m.raw...)
	}
}

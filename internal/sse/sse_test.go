package sse

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
	"testing/iotest"
	"time"

	"github.com/tuskgo/mastodon/internal/corpus"
)

// item is a compact form of an Event (or an error) for comparisons.
type item struct {
	kind    Kind
	typ     string
	data    string
	id      string
	invalid bool
	err     string
}

func (it item) String() string {
	if it.err != "" {
		return "err(" + it.err + ")"
	}
	if it.kind == KindComment {
		return fmt.Sprintf("comment(%q)", it.data)
	}
	return fmt.Sprintf("event(%q,%q,id=%q,invalid=%v)", it.typ, it.data, it.id, it.invalid)
}

// collect reads everything, recording non-fatal size errors and the final
// error ("EOF", "unexpected EOF", or the reader's).
func collect(t testing.TB, r io.Reader, opts *Options) []item {
	t.Helper()
	return collectFrom(t, NewDecoder(r, opts))
}

func collectFrom(t testing.TB, d *Decoder) []item {
	t.Helper()
	var out []item
	for i := 0; ; i++ {
		if i > 100000 {
			t.Fatal("decoder does not terminate")
		}
		ev, err := d.Next()
		if err != nil {
			var se *SizeError
			if errors.As(err, &se) {
				out = append(out, item{err: "size:" + se.What})
				continue
			}
			switch {
			case errors.Is(err, ErrUnexpectedEOF):
				out = append(out, item{err: "unexpected EOF"})
			case err == io.EOF:
				out = append(out, item{err: "EOF"})
			default:
				out = append(out, item{err: err.Error()})
			}
			return out
		}
		out = append(out, item{kind: ev.Kind, typ: ev.Type, data: ev.Data, id: ev.ID, invalid: ev.InvalidUTF8})
	}
}

func msg(typ, data, id string) item { return item{kind: KindMessage, typ: typ, data: data, id: id} }
func comment(data string) item      { return item{kind: KindComment, data: data} }

var eof = item{err: "EOF"}
var uEOF = item{err: "unexpected EOF"}

var cases = []struct {
	name string
	in   string
	want []item
}{
	{"spec multi-line data", "data: YHOO\ndata: +2\ndata: 10\n\n",
		[]item{msg("message", "YHOO\n+2\n10", ""), eof}},
	{"spec ids and trailing partial", ": test stream\n\ndata: first event\nid: 1\n\ndata:second event\nid\n\ndata:  third event\n",
		[]item{comment(" test stream"), msg("message", "first event", "1"), msg("message", "second event", ""), uEOF}},
	{"spec empty data lines", "data\n\ndata\ndata\n\ndata:",
		[]item{msg("message", "", ""), msg("message", "\n", ""), uEOF}},
	{"spec one leading space only", "data:test\n\ndata: test\n\ndata:  test\n\n",
		[]item{msg("message", "test", ""), msg("message", "test", ""), msg("message", " test", ""), eof}},
	{"CRLF", "event: update\r\ndata: {}\r\n\r\n",
		[]item{msg("update", "{}", ""), eof}},
	{"lone CR", "event: update\rdata: a\rdata: b\r\r",
		[]item{msg("update", "a\nb", ""), eof}},
	{"mixed terminators", "data: a\r\ndata: b\rdata: c\n\r\n",
		[]item{msg("message", "a\nb\nc", ""), eof}},
	{"CR then LF is one terminator", "data: a\r\n\r\ndata: b\r\r",
		[]item{msg("message", "a", ""), msg("message", "b", ""), eof}},
	{"BOM stripped once", "\xEF\xBB\xBFdata: a\n\n\xEF\xBB\xBFdata: b\n\n",
		[]item{msg("message", "a", ""), eof}},
	{"BOM then blank", "\xEF\xBB\xBF\ndata: x\n\n",
		[]item{msg("message", "x", ""), eof}},
	{"field order", "data: x\nid: 7\nevent: notification\n\n",
		[]item{msg("notification", "x", "7"), eof}},
	{"event type resets", "event: delete\ndata: 1\n\ndata: 2\n\n",
		[]item{msg("delete", "1", ""), msg("message", "2", ""), eof}},
	{"event without data is dropped", "event: filters_changed\n\ndata: x\n\n",
		[]item{msg("message", "x", ""), eof}},
	{"id persists", "id: 5\ndata: a\n\ndata: b\n\nid\ndata: c\n\n",
		[]item{msg("message", "a", "5"), msg("message", "b", "5"), msg("message", "c", ""), eof}},
	{"id set by an event without data", "id: 9\n\ndata: a\n\n",
		[]item{msg("message", "a", "9"), eof}},
	{"id with NUL ignored", "id: 3\ndata: a\n\nid: 4\x005\ndata: b\n\n",
		[]item{msg("message", "a", "3"), msg("message", "b", "3"), eof}},
	{"unknown fields and no colon", "foo: bar\nevent\ndata: a\nbaz\n\n",
		[]item{msg("message", "a", ""), eof}},
	{"field name with space is unknown", "data : a\ndata: b\n\n",
		[]item{msg("message", "b", ""), eof}},
	{"mastodon heartbeats", ":)\n:thump\nevent: update\ndata: {\"id\":\"1\"}\n\n:thump\n",
		[]item{comment(")"), comment("thump"), msg("update", `{"id":"1"}`, ""), comment("thump"), eof}},
	{"mastodon filters_changed", "event: filters_changed\ndata: undefined\n\n",
		[]item{msg("filters_changed", "undefined", ""), eof}},
	{"comment between fields", "data: a\n:hb\ndata: b\n\n",
		[]item{comment("hb"), msg("message", "a\nb", ""), eof}},
	{"truncated comment at end", ":)\nevent: update\ndata: 1\n\n:",
		[]item{comment(")"), msg("update", "1", ""), uEOF}},
	{"empty stream", "", []item{eof}},
	{"only blank lines", "\n\n\r\n\r", []item{eof}},
	{"data colon in value", "data: a: b\n\n", []item{msg("message", "a: b", ""), eof}},
	{"invalid UTF-8 replaced and flagged", "data: a\xffb\n\ndata: ok\n\n",
		[]item{{kind: KindMessage, typ: "message", data: "a\uFFFDb", invalid: true}, msg("message", "ok", ""), eof}},
	{"truncated UTF-8 sequence is one replacement", "data: \xE2\x82x\n\n",
		[]item{{kind: KindMessage, typ: "message", data: "\uFFFDx", invalid: true}, eof}},
	{"surrogate bytes replaced individually", "data: \xED\xA0\x80\n\n",
		[]item{{kind: KindMessage, typ: "message", data: "\uFFFD\uFFFD\uFFFD", invalid: true}, eof}},
	{"invalid UTF-8 in comment", ":\xC0\n", []item{{kind: KindComment, data: "\uFFFD", invalid: true}, eof}},
}

func TestDecoder(t *testing.T) {
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			check := func(label string, r io.Reader, opts *Options) {
				t.Helper()
				got := collect(t, r, opts)
				if fmt.Sprint(got) != fmt.Sprint(tc.want) {
					t.Errorf("%s:\n got %v\nwant %v", label, got, tc.want)
				}
			}
			check("whole", strings.NewReader(tc.in), nil)
			check("one byte reads", iotest.OneByteReader(strings.NewReader(tc.in)), nil)
			check("half reads", iotest.HalfReader(strings.NewReader(tc.in)), &Options{BufferSize: 16})
			check("data+EOF", iotest.DataErrReader(strings.NewReader(tc.in)), nil)
			rng := rand.New(rand.NewPCG(1, uint64(len(tc.in))))
			for range 5 {
				check("random splits", &chunkReader{s: tc.in, rng: rng}, &Options{BufferSize: 16})
			}
		})
	}
}

// chunkReader returns the input in random-sized pieces, with empty reads.
type chunkReader struct {
	s   string
	rng *rand.Rand
}

func (c *chunkReader) Read(p []byte) (int, error) {
	if len(c.s) == 0 {
		return 0, io.EOF
	}
	n := c.rng.IntN(7)
	n = min(n, len(c.s), len(p))
	copy(p, c.s[:n])
	c.s = c.s[n:]
	return n, nil
}

func TestLastEventIDAndRetry(t *testing.T) {
	d := NewDecoder(strings.NewReader("retry: 2500\nid: abc\ndata: x\n\nretry: soon\nretry: 12a\ndata: y\n\n"), nil)
	ev, err := d.Next()
	if err != nil || ev.ID != "abc" {
		t.Fatalf("Next = %+v, %v", ev, err)
	}
	if r, ok := d.Retry(); !ok || r != 2500*time.Millisecond {
		t.Fatalf("Retry = %v, %v; want 2.5s", r, ok)
	}
	if _, err := d.Next(); err != nil {
		t.Fatal(err)
	}
	if r, _ := d.Retry(); r != 2500*time.Millisecond {
		t.Fatalf("non-digit retry changed the delay to %v", r)
	}
	if d.LastEventID() != "abc" {
		t.Fatalf("LastEventID = %q", d.LastEventID())
	}
	d = NewDecoder(strings.NewReader("retry: 99999999999999999999999\n\n"), nil)
	d.Next()
	if r, ok := d.Retry(); !ok || r <= 0 {
		t.Fatalf("huge retry = %v, %v; want saturated positive", r, ok)
	}
}

func TestSizeLimits(t *testing.T) {
	long := strings.Repeat("x", 100)
	in := "data: a\n\ndata: " + long + "\ndata: more\n\ndata: b\n\n"
	for _, r := range []func() io.Reader{
		func() io.Reader { return strings.NewReader(in) },
		func() io.Reader { return iotest.OneByteReader(strings.NewReader(in)) },
	} {
		got := collect(t, r(), &Options{MaxLine: 50, BufferSize: 16})
		want := []item{msg("message", "a", ""), {err: "size:line"}, msg("message", "b", ""), eof}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("line limit:\n got %v\nwant %v", got, want)
		}
	}
	// A line of exactly the limit is fine.
	exact := "data: " + strings.Repeat("y", 44) + "\n\n"
	got := collect(t, strings.NewReader(exact), &Options{MaxLine: 50, BufferSize: 16})
	if len(got) != 2 || got[0].data != strings.Repeat("y", 44) {
		t.Errorf("line at the limit: %v", got)
	}
	// Many short lines over the event limit.
	in = "data: a\n\n" + strings.Repeat("data: 0123456789\n", 20) + "\ndata: b\n\n"
	got = collect(t, strings.NewReader(in), &Options{MaxEvent: 100})
	want := []item{msg("message", "a", ""), {err: "size:event"}, msg("message", "b", ""), eof}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("event limit:\n got %v\nwant %v", got, want)
	}
	// An endless line is bounded in memory and ends with the stream.
	got = collect(t, io.LimitReader(repeatReader('z'), 1<<20), &Options{MaxLine: 1024})
	if fmt.Sprint(got) != fmt.Sprint([]item{uEOF}) {
		t.Errorf("endless line: %v", got)
	}
}

type repeatReader byte

func (r repeatReader) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = byte(r)
	}
	return len(p), nil
}

func TestReaderError(t *testing.T) {
	boom := errors.New("connection reset")
	r := io.MultiReader(strings.NewReader("event: update\ndata: 1\n\ndata: par"), iotest.ErrReader(boom))
	d := NewDecoder(r, nil)
	if ev, err := d.Next(); err != nil || ev.Data != "1" {
		t.Fatalf("first = %+v, %v", ev, err)
	}
	if _, err := d.Next(); !errors.Is(err, boom) {
		t.Fatalf("err = %v, want the reader's", err)
	}
	if _, err := d.Next(); !errors.Is(err, boom) {
		t.Fatalf("error is not sticky: %v", err)
	}
}

func TestNoProgressReader(t *testing.T) {
	d := NewDecoder(zeroReader{}, nil)
	if _, err := d.Next(); !errors.Is(err, io.ErrNoProgress) {
		t.Fatalf("err = %v, want io.ErrNoProgress", err)
	}
}

type zeroReader struct{}

func (zeroReader) Read([]byte) (int, error) { return 0, nil }

// TestCorpus checks the recorded Mastodon event streams decode to the events
// the recorder saw, with the heartbeats as comments.
func TestCorpus(t *testing.T) {
	n := 0
	for _, p := range corpus.Interactions(t) {
		body := p.Interaction.Response.Body
		if body.Kind != "event-stream" {
			continue
		}
		n++
		t.Run(p.Name(), func(t *testing.T) {
			d := NewDecoder(strings.NewReader(body.Raw), nil)
			var events []Event
			comments := 0
			for {
				ev, err := d.Next()
				if err != nil {
					if err != io.EOF && !errors.Is(err, ErrUnexpectedEOF) {
						t.Fatal(err)
					}
					break
				}
				if ev.Kind == KindComment {
					comments++
					continue
				}
				events = append(events, ev)
			}
			if len(events) != len(body.Events) {
				t.Fatalf("got %d events, recorded %d", len(events), len(body.Events))
			}
			for i, ev := range events {
				if ev.Type != body.Events[i].Event || ev.Data != body.Events[i].DataRaw {
					t.Errorf("event %d = %q %.60q, recorded %q %.60q", i, ev.Type, ev.Data, body.Events[i].Event, body.Events[i].DataRaw)
				}
				if ev.InvalidUTF8 {
					t.Errorf("event %d flagged invalid UTF-8", i)
				}
			}
			if comments == 0 {
				t.Error("the recorded heartbeat comment was not surfaced")
			}
		})
	}
	if n == 0 {
		t.Fatal("corpus has no event-stream bodies")
	}
}

func TestValidUTF8MatchesStdlibOnValid(t *testing.T) {
	for _, s := range []string{"", "abc", "héllo", "日本語", "🐘 toot"} {
		if got := string(appendValidUTF8(nil, []byte(s))); got != s {
			t.Errorf("%q changed to %q", s, got)
		}
	}
	// Each byte that cannot start a sequence becomes its own replacement.
	if got := string(appendValidUTF8(nil, []byte("\x80\x80\xF5"))); got != "\uFFFD\uFFFD\uFFFD" {
		t.Errorf("got %q", got)
	}
	// A truncated 4-byte sequence at the end is one replacement.
	if got := string(appendValidUTF8(nil, []byte("a\xF0\x9F\x90"))); got != "a\uFFFD" {
		t.Errorf("got %q", got)
	}
}

func FuzzDecoder(f *testing.F) {
	for _, tc := range cases {
		f.Add([]byte(tc.in), uint8(3))
	}
	f.Add([]byte("data: "+strings.Repeat("q", 80)+"\n\n"), uint8(1))
	f.Fuzz(func(t *testing.T, in []byte, split uint8) {
		// Whole input and small reads must give the same items.
		opts := &Options{MaxLine: 64, MaxEvent: 128, BufferSize: 16}
		a := collect(t, bytes.NewReader(in), opts)
		b := collect(t, &fixedChunks{b: in, n: int(split%7) + 1}, opts)
		if fmt.Sprint(a) != fmt.Sprint(b) {
			t.Fatalf("split reads differ:\n%v\n%v", a, b)
		}
		for _, it := range a {
			if it.err == "" && (!utfValid(it.data) || !utfValid(it.typ) || !utfValid(it.id)) {
				t.Fatalf("invalid UTF-8 leaked: %v", it)
			}
			if it.kind == KindMessage && it.err == "" && len(it.data) > 128 {
				t.Fatalf("event over the limit: %d bytes", len(it.data))
			}
		}
		// Under the default limits, the decoder, reading in small pieces,
		// gives what the specification's algorithm gives for the whole.
		want, retry, hasRetry := referenceDecode(in)
		d := NewDecoder(&fixedChunks{b: in, n: int(split%7) + 1}, &Options{BufferSize: 16})
		if got := collectFrom(t, d); fmt.Sprint(got) != fmt.Sprint(want) {
			t.Fatalf("decoder and reference differ on %q:\n got  %v\n want %v", in, got, want)
		}
		if r, ok := d.Retry(); r != retry || ok != hasRetry {
			t.Fatalf("retry %v %v, reference %v %v", r, ok, retry, hasRetry)
		}
	})
}

func utfValid(s string) bool { return strings.ToValidUTF8(s, "\uFFFD") == s }

type fixedChunks struct {
	b []byte
	n int
}

func (c *fixedChunks) Read(p []byte) (int, error) {
	if len(c.b) == 0 {
		return 0, io.EOF
	}
	n := copy(p[:min(len(p), c.n)], c.b)
	c.b = c.b[n:]
	return n, nil
}

// BenchmarkDecoder parses a Mastodon-shaped stream: update events of about
// 2 KB each with a heartbeat comment every ten events. It reports events/s.
func BenchmarkDecoder(b *testing.B) {
	status := `{"id":"117024248092393661","created_at":"2026-08-02T05:25:16.840Z","visibility":"public","content":"<p>` +
		strings.Repeat("toot ", 300) + `</p>","account":{"id":"1","username":"a"}}`
	var sb strings.Builder
	const perChunk = 100
	for i := range perChunk {
		if i%10 == 0 {
			sb.WriteString(":thump\n")
		}
		fmt.Fprintf(&sb, "event: update\ndata: %s\n\n", status)
	}
	stream := []byte(sb.String())
	b.SetBytes(int64(len(stream)) / perChunk)
	b.ReportAllocs()
	r := &loopReader{b: stream}
	d := NewDecoder(r, nil)
	events := 0
	for b.Loop() {
		for {
			ev, err := d.Next()
			if err != nil {
				b.Fatal(err)
			}
			if ev.Kind == KindMessage {
				events++
				break
			}
		}
	}
	b.ReportMetric(float64(events)/b.Elapsed().Seconds(), "events/s")
}

// loopReader repeats b forever.
type loopReader struct {
	b   []byte
	off int
}

func (l *loopReader) Read(p []byte) (int, error) {
	n := copy(p, l.b[l.off:])
	l.off = (l.off + n) % len(l.b)
	return n, nil
}

// NextBytes yields the same events as Next, with the data as bytes.
func TestNextBytesMatchesNext(t *testing.T) {
	const in = "event: update\r\ndata: {\"a\":1}\r\n\r\n:thump\n\ndata: one\ndata: two\nid: 7\n\nevent: delete\ndata:\n\n"
	want := NewDecoder(strings.NewReader(in), nil)
	got := NewDecoder(strings.NewReader(in), &Options{BufferSize: 16})
	n := 0
	for {
		w, werr := want.Next()
		g, data, gerr := got.NextBytes()
		if werr != gerr {
			t.Fatalf("event %d: error %v, want %v", n, gerr, werr)
		}
		if werr != nil {
			break
		}
		if w.Kind == KindMessage {
			if g.Data != "" || string(data) != w.Data {
				t.Fatalf("event %d: Data %q, bytes %q; want bytes %q", n, g.Data, data, w.Data)
			}
			g.Data = w.Data
		} else if data != nil {
			t.Fatalf("comment %d: bytes %q, want nil", n, data)
		}
		if g != w {
			t.Fatalf("event %d: %+v, want %+v", n, g, w)
		}
		n++
	}
	if n != 4 {
		t.Fatalf("%d events, want 4", n)
	}
}

// referenceDecode interprets a whole event stream the way the
// specification's algorithm is written: decode, split into lines, process
// each line; no buffers, no limits. It is what the Decoder must give for
// any input that stays under its limits. (Invalid UTF-8 is replaced with
// appendValidUTF8, tested on its own above; the flag is per event.)
func referenceDecode(in []byte) (items []item, retry time.Duration, hasRetry bool) {
	in = bytes.TrimPrefix(in, []byte("\xEF\xBB\xBF"))
	var lines [][]byte
	for {
		i := bytes.IndexAny(in, "\r\n")
		if i < 0 {
			break
		}
		lines = append(lines, in[:i])
		if in[i] == '\r' && i+1 < len(in) && in[i+1] == '\n' {
			i++
		}
		in = in[i+1:]
	}
	pending := len(in) > 0 // an unterminated last line
	var data, typ, lastID, idBuf string
	var hasData, invalid, inEvent bool
	reset := func() { data, typ, hasData, invalid, inEvent = "", "", false, false, false }
	for _, raw := range lines {
		line := string(appendValidUTF8(nil, raw))
		bad := line != string(raw)
		switch {
		case line == "":
			lastID = idBuf
			if hasData {
				if typ == "" {
					typ = "message"
				}
				items = append(items, item{kind: KindMessage, typ: typ, data: strings.TrimSuffix(data, "\n"), id: lastID, invalid: invalid})
			}
			reset()
			continue
		case line[0] == ':':
			items = append(items, item{kind: KindComment, data: line[1:], id: lastID, invalid: bad})
			continue
		}
		invalid = invalid || bad
		name, value, found := strings.Cut(line, ":")
		if found {
			value = strings.TrimPrefix(value, " ")
		}
		switch name {
		case "data":
			data += value + "\n"
			hasData, inEvent = true, true
		case "event":
			typ, inEvent = value, true
		case "id":
			if !strings.Contains(value, "\x00") {
				idBuf = value
			}
			inEvent = true
		case "retry":
			if value != "" && strings.Trim(value, "0123456789") == "" {
				n, err := strconv.ParseInt(value, 10, 64)
				if err != nil || n > int64(time.Duration(1<<62)/time.Millisecond) {
					n = int64(time.Duration(1<<62) / time.Millisecond)
				}
				retry, hasRetry = time.Duration(n)*time.Millisecond, true
			}
		default:
			inEvent = true
		}
	}
	if pending || inEvent {
		items = append(items, uEOF)
	} else {
		items = append(items, eof)
	}
	return items, retry, hasRetry
}

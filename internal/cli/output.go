package cli

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/tuskgo/mastodon"
	"github.com/tuskgo/mastodon/internal/termtext"
)

// printer writes entities as readable text or as JSON lines. Every string
// that came from a server goes through termtext before it is written.
type printer struct {
	w     io.Writer
	json  bool
	color bool
	now   func() time.Time
	// preview draws each image's blurhash (colour on a terminal only).
	preview bool
}

func newPrinter(w io.Writer, jsonOut, color bool, now func() time.Time) *printer {
	return &printer{w: w, json: jsonOut, color: color, now: now}
}

// ANSI styles, used only when colour is on.
const (
	styleBold   = "1"
	styleDim    = "2"
	styleCyan   = "36"
	styleYellow = "33"
	styleGreen  = "32"
	styleRed    = "31"
	styleBlue   = "34"
)

func (p *printer) style(code, s string) string {
	if !p.color || s == "" {
		return s
	}
	return "\x1b[" + code + "m" + s + "\x1b[0m"
}

func (p *printer) println(s string) { fmt.Fprintln(p.w, s) }

// JSON writes v as one line of JSON. C1 controls and bidi controls, which
// encoding/json leaves raw, are written as \u escapes so the line is safe
// on a terminal and still decodes to the same value.
func (p *printer) JSON(v any) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false) // keep status HTML readable for jq users
	if err := enc.Encode(v); err != nil {
		return err
	}
	_, err := p.w.Write(escapeJSONControls(buf.Bytes()))
	return err
}

func escapeJSONControls(data []byte) []byte {
	var out *bytes.Buffer
	for i := 0; i < len(data); {
		r, n := utf8.DecodeRune(data[i:])
		if (r >= 0x80 && r <= 0x9f) || (r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069) || r == 0x200e || r == 0x200f || r == 0x061c {
			if out == nil {
				out = bytes.NewBuffer(make([]byte, 0, len(data)+16))
				out.Write(data[:i])
			}
			fmt.Fprintf(out, `\u%04x`, r)
		} else if out != nil {
			out.Write(data[i : i+n])
		}
		i += n
	}
	if out == nil {
		return data
	}
	return out.Bytes()
}

// ago renders t relative to now: "just now", "5m ago", "3h ago", "2d ago",
// then a date.
func ago(t, now time.Time) string {
	if t.IsZero() {
		return "at an unknown time"
	}
	d := now.Sub(t)
	future := d < 0
	if future {
		d = -d
	}
	var s string
	switch {
	case d < 45*time.Second:
		return "just now"
	case d < time.Hour:
		s = strconv.Itoa(int((d+30*time.Second)/time.Minute)) + "m"
	case d < 24*time.Hour:
		s = strconv.Itoa(int(d/time.Hour)) + "h"
	case d < 7*24*time.Hour:
		s = strconv.Itoa(int(d/(24*time.Hour))) + "d"
	default:
		lt := t.Local()
		if lt.Year() == now.Year() {
			return lt.Format("2 Jan")
		}
		return lt.Format("2 Jan 2006")
	}
	if future {
		return "in " + s
	}
	return s + " ago"
}

// name renders an account as "Display Name @acct".
func (p *printer) name(acc *mastodon.Account) string {
	acct := "@" + termtext.Line(acc.Acct)
	dn := strings.TrimSpace(termtext.Line(acc.DisplayName))
	if dn == "" || dn == acc.Acct {
		return p.style(styleBold, acct)
	}
	return p.style(styleBold, dn) + " " + p.style(styleCyan, acct)
}

func indent(s, prefix string) string {
	if s == "" {
		return ""
	}
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		if l != "" {
			lines[i] = prefix + l
		}
	}
	return strings.Join(lines, "\n")
}

func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}

// Status prints a status, or its JSON.
func (p *printer) Status(s *mastodon.Status) error {
	if p.json {
		return p.JSON(s)
	}
	p.println(p.statusText(s, ""))
	p.println("")
	return nil
}

func (p *printer) statusText(s *mastodon.Status, prefix string) string {
	var b strings.Builder
	line := func(text string) {
		b.WriteString(indent(text, prefix))
		b.WriteByte('\n')
	}
	if s.Reblog != nil {
		line(p.style(styleGreen, "↻ ") + p.name(&s.Account) + p.style(styleGreen, " boosted") + p.style(styleDim, " · "+ago(s.CreatedAt, p.now())))
		s = s.Reblog
	}
	head := p.name(&s.Account) + p.style(styleDim, " · "+ago(s.CreatedAt, p.now()))
	if s.Visibility != "" && s.Visibility != mastodon.VisibilityPublic {
		head += p.style(styleDim, " · "+termtext.Line(string(s.Visibility)))
	}
	if s.EditedAt != nil {
		head += p.style(styleDim, " · edited")
	}
	head += p.style(styleDim, " · id "+termtext.Line(s.ID))
	line(head)
	if s.InReplyToID != nil && *s.InReplyToID != "" {
		line(p.style(styleDim, "  ↳ in reply to "+termtext.Line(*s.InReplyToID)))
	}
	if s.SpoilerText != "" {
		line("  " + p.style(styleYellow, "CW: "+termtext.Line(s.SpoilerText)))
	}
	if text := termtext.HTML(s.Content); text != "" {
		line(indent(text, "  "))
	}
	for i := range s.MediaAttachments {
		m := &s.MediaAttachments[i]
		desc := strings.TrimSpace(termtext.Line(deref(m.Description)))
		if desc == "" {
			desc = "(no description)"
		}
		u := deref(m.URL)
		if u == "" {
			u = deref(m.RemoteURL)
		}
		l := "  " + p.style(styleBlue, "["+termtext.Line(string(m.Type))+"]") + " " + desc
		if u != "" {
			l += p.style(styleDim, " "+termtext.Line(u))
		}
		line(l)
		if p.preview && (m.Type == mastodon.MediaImage || m.Type == mastodon.MediaGifv || m.Type == mastodon.MediaVideo) {
			if pv := preview(m, "  "); pv != "" {
				line(pv)
			}
		}
	}
	if s.Poll != nil {
		b.WriteString(indent(p.pollText(s.Poll), prefix+"  "))
	}
	foot := fmt.Sprintf("↩ %d  ↻ %d  ★ %d", s.RepliesCount, s.ReblogsCount, s.FavouritesCount)
	var marks []string
	if deref(s.Favourited) {
		marks = append(marks, "favourited")
	}
	if deref(s.Reblogged) {
		marks = append(marks, "boosted")
	}
	if deref(s.Bookmarked) {
		marks = append(marks, "bookmarked")
	}
	if len(marks) > 0 {
		foot += "  (you " + strings.Join(marks, ", ") + ")"
	}
	if u := deref(s.URL); u != "" {
		foot += "  " + termtext.Line(u)
	}
	line("  " + p.style(styleDim, foot))
	return strings.TrimRight(b.String(), "\n")
}

func (p *printer) pollText(poll *mastodon.Poll) string {
	var b strings.Builder
	state := "open"
	if poll.Expired {
		state = "closed"
	} else if poll.ExpiresAt != nil {
		state = "closes " + ago(*poll.ExpiresAt, p.now())
	}
	fmt.Fprintf(&b, "%s %s, %s\n", p.style(styleBlue, "[poll]"), state, plural(int64(poll.VotesCount), "vote"))
	own := map[int]bool{}
	for _, i := range poll.OwnVotes {
		own[i] = true
	}
	for i, o := range poll.Options {
		n := deref(o.VotesCount)
		pct := 0
		if poll.VotesCount > 0 {
			pct = n * 100 / poll.VotesCount
		}
		mark := "○"
		if own[i] {
			mark = "●"
		}
		fmt.Fprintf(&b, "  %s %-20s %3d%% (%d)\n", mark, termtext.Line(o.Title), pct, n)
	}
	return b.String()
}

// Account prints an account, or its JSON.
func (p *printer) Account(acc *mastodon.Account) error {
	if p.json {
		return p.JSON(acc)
	}
	p.println(p.accountText(acc))
	return nil
}

func (p *printer) accountText(acc *mastodon.Account) string {
	var b strings.Builder
	b.WriteString(p.name(acc))
	var tags []string
	if acc.Bot {
		tags = append(tags, "bot")
	}
	if acc.Locked {
		tags = append(tags, "locked")
	}
	if acc.Group {
		tags = append(tags, "group")
	}
	if len(tags) > 0 {
		b.WriteString(p.style(styleDim, " ("+strings.Join(tags, ", ")+")"))
	}
	b.WriteString(p.style(styleDim, " · id "+termtext.Line(acc.ID)))
	b.WriteByte('\n')
	if note := termtext.HTML(acc.Note); note != "" {
		b.WriteString(indent(note, "  ") + "\n")
	}
	fmt.Fprintf(&b, "  %s · %d following · %s", plural(int64(acc.StatusesCount), "post"), acc.FollowingCount, plural(int64(acc.FollowersCount), "follower"))
	if u := deref(acc.URL); u != "" {
		b.WriteString(" · " + termtext.Line(u))
	}
	return b.String()
}

// notificationVerbs says what each notification type means.
var notificationVerbs = map[mastodon.NotificationType]string{
	"mention":               "mentioned you",
	"status":                "posted",
	"reblog":                "boosted your post",
	"follow":                "followed you",
	"follow_request":        "asked to follow you",
	"favourite":             "favourited your post",
	"poll":                  "— a poll you voted in or created has ended",
	"update":                "edited a post you interacted with",
	"admin.sign_up":         "signed up",
	"admin.report":          "filed a report",
	"severed_relationships": "— some of your follow relationships were severed",
	"moderation_warning":    "— you received a moderation warning",
	"quote":                 "quoted your post",
	"quoted_update":         "edited a post you quoted",
}

// Notification prints a notification, or its JSON.
func (p *printer) Notification(n *mastodon.Notification) error {
	if p.json {
		return p.JSON(n)
	}
	verb, ok := notificationVerbs[n.Type]
	if !ok {
		verb = "— " + termtext.Line(string(n.Type))
	}
	p.println(p.style(styleYellow, "● ") + p.name(&n.Account) + " " + verb + p.style(styleDim, " · "+ago(n.CreatedAt, p.now())+" · id "+termtext.Line(n.ID)))
	if n.Status != nil {
		p.println(p.statusText(n.Status, "    "))
	}
	p.println("")
	return nil
}

package termtext

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html"
)

// HTML renders status HTML (as Mastodon produces it) as plain text:
// paragraphs become blank-line separated blocks, <br> a line break,
// mentions and hashtags their visible text, other links their full address
// (with the link text first when it says something else), list items
// bullets and block quotes "> " lines. The result is sanitised.
//
// A hostile post cannot make the text much longer than itself: block
// quotes deeper than MaxDepth get no further "> " marks, lists no further
// indent, and the text is cut after MaxOutput bytes with a note saying so.
func HTML(s string) string {
	r := renderer{}
	z := html.NewTokenizer(strings.NewReader(s))
	for !r.full {
		tt := z.Next()
		if tt == html.ErrorToken {
			break
		}
		tok := z.Token()
		switch tt {
		case html.TextToken:
			r.text(tok.Data)
		case html.StartTagToken, html.SelfClosingTagToken:
			r.open(tok, tt == html.SelfClosingTagToken)
		case html.EndTagToken:
			r.close(tok.Data)
		}
	}
	r.endLink()
	out := tidy(Sanitize(r.b.String()))
	if r.full {
		out += "\n" + cutNote
	}
	return out
}

const (
	// MaxDepth is the deepest block quote or list nesting that HTML marks.
	MaxDepth = 8
	// MaxOutput bounds the text HTML renders from one document, in bytes:
	// far above what any server lets one post hold.
	MaxOutput = 256 << 10
	cutNote   = "[… cut: the text is longer than tusk shows]"
)

type renderer struct {
	b      strings.Builder
	skip   int // inside <script>/<style>
	pre    int // inside <pre>
	quote  int // block quote depth
	inLink bool
	href   string
	cls    string
	link   strings.Builder
	lists  []int // per open list: 0 for <ul>, else the next <ol> number
	full   bool  // MaxOutput was reached
}

func attr(t html.Token, name string) string {
	for _, a := range t.Attr {
		if a.Key == name {
			return a.Val
		}
	}
	return ""
}

func (r *renderer) open(t html.Token, selfClosing bool) {
	switch t.Data {
	case "script", "style":
		if !selfClosing {
			r.skip++
		}
	case "br":
		r.write("\n")
	case "p", "div", "h1", "h2", "h3", "h4", "h5", "h6":
		r.block()
	case "pre":
		r.block()
		r.pre++
	case "blockquote":
		r.block()
		r.quote++
	case "ul":
		r.newline()
		r.lists = append(r.lists, 0)
	case "ol":
		r.newline()
		r.lists = append(r.lists, 1)
	case "li":
		r.newline()
		bullet := "• "
		if n := len(r.lists); n > 0 && r.lists[n-1] > 0 {
			bullet = strconv.Itoa(r.lists[n-1]) + ". "
			r.lists[n-1]++
		}
		r.write(strings.Repeat("  ", min(max(0, len(r.lists)-1), MaxDepth)) + bullet)
	case "a":
		if selfClosing {
			return
		}
		r.endLink()
		r.inLink = true
		r.href = attr(t, "href")
		r.cls = attr(t, "class")
		r.link.Reset()
	}
}

func (r *renderer) close(name string) {
	switch name {
	case "script", "style":
		if r.skip > 0 {
			r.skip--
		}
	case "p", "div", "h1", "h2", "h3", "h4", "h5", "h6":
		r.block()
	case "pre":
		if r.pre > 0 {
			r.pre--
		}
		r.block()
	case "blockquote":
		if r.quote > 0 {
			r.quote--
		}
		r.block()
	case "ul", "ol":
		if n := len(r.lists); n > 0 {
			r.lists = r.lists[:n-1]
		}
		r.newline()
	case "a":
		r.endLink()
	}
}

func (r *renderer) text(s string) {
	if r.skip > 0 {
		return
	}
	if r.pre == 0 {
		s = collapse(s)
	}
	if r.inLink {
		r.link.WriteString(s)
		return
	}
	r.write(s)
}

// endLink writes the pending link: mentions and hashtags as their text,
// other links as their address.
func (r *renderer) endLink() {
	if !r.inLink {
		return
	}
	r.inLink = false
	text := strings.TrimSpace(r.link.String())
	href := strings.TrimSpace(r.href)
	switch {
	case href == "":
		r.write(text)
	case text == "":
		r.write(href)
	case strings.HasPrefix(text, "@") || strings.HasPrefix(text, "#") || hasClass(r.cls, "mention") || hasClass(r.cls, "hashtag"):
		r.write(text)
	case sameLink(text, href):
		r.write(href)
	default:
		r.write(text + " (" + href + ")")
	}
}

func hasClass(cls, name string) bool {
	for _, c := range strings.Fields(cls) {
		if c == name {
			return true
		}
	}
	return false
}

// sameLink reports whether link text just shows the address, perhaps
// without its scheme or shortened with an ellipsis as Mastodon does.
func sameLink(text, href string) bool {
	t := strings.TrimSuffix(text, "…")
	h := href
	for _, p := range []string{"https://", "http://"} {
		t = strings.TrimPrefix(t, p)
		h = strings.TrimPrefix(h, p)
	}
	t = strings.TrimPrefix(t, "www.")
	h = strings.TrimPrefix(h, "www.")
	return t != "" && strings.HasPrefix(h, t)
}

// write appends text, prefixing quoted lines, up to MaxOutput.
func (r *renderer) write(s string) {
	if r.skip > 0 || s == "" {
		return
	}
	for s != "" && !r.full {
		if r.pre == 0 && r.atLineStart() {
			s = strings.TrimLeft(s, " ")
			if s == "" {
				return
			}
		}
		if r.quote > 0 && r.atLineStart() {
			r.put(strings.Repeat("> ", min(r.quote, MaxDepth)))
		}
		i := strings.IndexByte(s, '\n')
		if i < 0 {
			r.put(s)
			return
		}
		r.put(s[:i+1])
		s = s[i+1:]
	}
}

// put appends s, or what fits of it under MaxOutput.
func (r *renderer) put(s string) {
	if r.full {
		return
	}
	if room := MaxOutput - r.b.Len(); len(s) > room {
		for room > 0 && !utf8.RuneStart(s[room]) {
			room--
		}
		s = s[:room]
		r.full = true
	}
	r.b.WriteString(s)
}

func (r *renderer) atLineStart() bool {
	out := r.b.String()
	return out == "" || strings.HasSuffix(out, "\n")
}

// newline ends the current line, if one is open.
func (r *renderer) newline() {
	if !r.atLineStart() {
		r.b.WriteByte('\n')
	}
}

// block separates blocks by one blank line.
func (r *renderer) block() {
	r.endLink()
	out := r.b.String()
	switch {
	case out == "" || strings.HasSuffix(out, "\n\n"):
	case strings.HasSuffix(out, "\n"):
		r.b.WriteByte('\n')
	default:
		r.b.WriteString("\n\n")
	}
}

// collapse turns runs of HTML white space into one space.
func collapse(s string) string {
	var b strings.Builder
	space := false
	for _, c := range s {
		switch c {
		case ' ', '\t', '\n', '\r', '\f':
			space = true
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(c)
	}
	if space {
		b.WriteByte(' ')
	}
	return b.String()
}

// tidy trims spaces at line ends, leading and trailing blank lines, and
// runs of more than one blank line.
func tidy(s string) string {
	lines := strings.Split(s, "\n")
	out := lines[:0]
	blank := 0
	for _, l := range lines {
		l = strings.TrimRight(l, " ")
		if l == "" || l == ">" {
			blank++
			if blank > 1 {
				continue
			}
		} else {
			blank = 0
		}
		out = append(out, l)
	}
	return strings.Trim(strings.Join(out, "\n"), "\n")
}

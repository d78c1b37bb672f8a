// Package statuslen counts the characters of a status the way Mastodon's
// server does before it accepts it, so that a program can hold a text
// against the instance's limit (configuration.statuses.max_characters of
// mastodon.Instance) before posting it. It sends no request.
package statuslen

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/rivo/uniseg"
)

// URLLength is how many characters Mastodon counts for every URL in a
// status, whatever its real length (an instance reports its own figure as
// configuration.statuses.characters_reserved_per_url).
const URLLength = 23

// Count counts a status (its text and its content warning) as Mastodon
// does:
//
//   - the content warning counts in full, followed by the text;
//   - every link with a scheme (https://, http://, gemini:// …) counts as 23
//     characters; a bare domain such as example.com counts as written;
//   - a mention of a remote account, @user@domain, counts as @user;
//   - characters are grapheme clusters: an emoji ZWJ sequence, a flag or a
//     letter with combining marks counts as one;
//   - text of only whitespace counts as nothing.
//
// Links are found with the rules of the twitter-text library Mastodon uses,
// except that any run of two or more ASCII letters is taken as a top-level
// domain where the library checks a list.
func Count(text, spoilerText string) int {
	return CountURLsAs(text, spoilerText, URLLength)
}

// CountURLsAs is Count with urlLength characters counted per link, for
// servers that reserve a different number.
func CountURLsAs(text, spoilerText string, urlLength int) int {
	return uniseg.GraphemeClusterCount(spoilerText + countableText(text, max(urlLength, 0)))
}

// countableText rewrites text as Mastodon measures it: links replaced by
// urlLength placeholder characters, remote mentions cut to @user.
func countableText(text string, urlLength int) string {
	if strings.TrimFunc(text, unicode.IsSpace) == "" {
		return ""
	}
	entities := append(extractLinks(text), extractMentions(text)...)
	slices.SortStableFunc(entities, func(a, b textEntity) int { return a.start - b.start })
	var b strings.Builder
	last := 0
	for _, e := range entities {
		if e.start < last {
			continue // overlaps one already rewritten
		}
		b.WriteString(text[last:e.start])
		if e.username != "" {
			b.WriteString("@" + e.username)
		} else {
			b.WriteString(strings.Repeat("x", urlLength))
		}
		last = e.end
	}
	b.WriteString(text[last:])
	return b.String()
}

// textEntity is a link (username empty) or a mention in a status text, as
// byte offsets.
type textEntity struct {
	start, end int
	username   string
}

// maxURLLength is the longest link twitter-text extracts, in characters.
const maxURLLength = 4096

// extractLinks finds the links that have a scheme. Scheme-less domains are
// matched too, as the library does, so that they hide what they contain,
// but are not returned.
func extractLinks(text string) []textEntity {
	if !strings.Contains(text, ":") {
		return nil
	}
	var links []textEntity
	sc := newLinkScanner(text)
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		start, end, scheme, ok := -1, 0, false, false
		if validURLPreceding(r) {
			start = i + size
			end, scheme, ok = sc.matchURL(start)
		}
		if !ok && i == 0 {
			start = 0
			end, scheme, ok = sc.matchURL(0)
		}
		if !ok {
			i += size
			continue
		}
		if scheme && utf8.RuneCountInString(text[start:end]) <= maxURLLength {
			links = append(links, textEntity{start: start, end: end})
		}
		i = end
	}
	return links
}

// validURLPreceding reports whether r may stand right before a link: not an
// ASCII letter or digit, not @ $ # or their full-width forms, not a BOM.
func validURLPreceding(r rune) bool {
	switch {
	case r < utf8.RuneSelf && (isASCIIAlnum(byte(r)) || r == '@' || r == '$' || r == '#'):
		return false
	case r == '＠' || r == '＃' || r == 0xFFFE || r == 0xFEFF || r == 0xFFFF:
		return false
	}
	return true
}

func isASCIIAlnum(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

func isASCIILetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

var urlSchemes = []string{"https://", "http://", "dat://", "dweb://", "ipfs://", "ipns://", "ssb://", "gopher://", "gemini://"}

// linkScanner holds a text with what link matching learns about it, so that
// trying a match at every position stays linear in the text's length.
type linkScanner struct {
	text       string
	runEnd     []int32 // end of the run of label characters starting at i
	underscore []int32 // first '_' at or after i
	domain     []int32 // memo of domainEnd: 0 unknown, -1 none, else end+1
}

func newLinkScanner(text string) *linkScanner {
	n := len(text)
	sc := &linkScanner{
		text:       text,
		runEnd:     make([]int32, n+1),
		underscore: make([]int32, n+1),
		domain:     make([]int32, n+1),
	}
	sc.runEnd[n], sc.underscore[n] = int32(n), int32(n)
	for i := n; i > 0; {
		r, size := utf8.DecodeLastRuneInString(text[:i])
		j := i - size
		if domainChar(r) || r == '-' || r == '_' {
			sc.runEnd[j] = sc.runEnd[i]
		} else {
			sc.runEnd[j] = int32(j)
		}
		if r == '_' {
			sc.underscore[j] = int32(j)
		} else {
			sc.underscore[j] = sc.underscore[i]
		}
		for k := j + 1; k < i; k++ { // inside a multi-byte rune
			sc.runEnd[k], sc.underscore[k] = sc.runEnd[i], sc.underscore[i]
		}
		i = j
	}
	return sc
}

// matchURL matches a link starting at s: optional scheme, domain, optional
// port, path and query. It tries with the scheme first, as the library's
// expression does.
func (sc *linkScanner) matchURL(s int) (end int, scheme bool, ok bool) {
	text := sc.text
	for _, p := range urlSchemes {
		if len(text)-s >= len(p) && strings.EqualFold(text[s:s+len(p)], p) {
			if end, ok := sc.matchURLAfterScheme(s + len(p)); ok {
				return end, true, true
			}
			break
		}
	}
	end, ok = sc.matchURLAfterScheme(s)
	return end, false, ok
}

func (sc *linkScanner) matchURLAfterScheme(p int) (int, bool) {
	text := sc.text
	e, ok := sc.domainEnd(p)
	if !ok {
		return 0, false
	}
	// Port.
	if e < len(text) && text[e] == ':' {
		d := e + 1
		for d < len(text) && text[d] >= '0' && text[d] <= '9' {
			d++
		}
		if d > e+1 {
			e = d
		}
	}
	if e < len(text) && text[e] == '/' {
		e = matchPath(text, e+1)
	}
	if e < len(text) && text[e] == '?' {
		e = matchQuery(text, e+1, e)
	}
	return e, true
}

// domainChar reports whether r may appear in a domain label: anything but
// ASCII punctuation, spaces, controls and BOMs.
func domainChar(r rune) bool {
	if r < utf8.RuneSelf {
		return isASCIIAlnum(byte(r))
	}
	if unicode.IsSpace(r) || unicode.IsControl(r) || r == 0xFFFE || r == 0xFEFF || r == 0xFFFF || r == 0x180E || r == utf8.RuneError {
		return false
	}
	return true
}

// label reads the domain label at pos (domain characters with inner hyphens
// and underscores) and reports whether it holds an underscore.
func (sc *linkScanner) label(pos int) (end int, underscore, ok bool) {
	if pos >= len(sc.text) {
		return 0, false, false
	}
	first, _ := utf8.DecodeRuneInString(sc.text[pos:])
	end = int(sc.runEnd[pos])
	if end == pos || !domainChar(first) {
		return 0, false, false
	}
	if last, _ := utf8.DecodeLastRuneInString(sc.text[pos:end]); !domainChar(last) {
		return 0, false, false
	}
	return end, int(sc.underscore[pos]) < end, true
}

// domainEnd matches subdomains, a domain name and a top-level domain at p,
// preferring the most labels (as the greedy expression does), and returns
// where the domain ends.
func (sc *linkScanner) domainEnd(p int) (int, bool) {
	if sc.domain[p] == 0 {
		sc.resolveDomains(p)
	}
	m := sc.domain[p]
	return int(m) - 1, m > 0
}

// resolveDomains fills the domainEnd memo for p and the labels after it.
// Each label is either a subdomain of a domain further on (preferred) or
// the domain name before a top-level domain.
func (sc *linkScanner) resolveDomains(p int) {
	type link struct {
		start, end int
		underscore bool
	}
	var chain []link
	q := p
	for sc.domain[q] == 0 {
		e, underscore, ok := sc.label(q)
		if !ok || e >= len(sc.text) || sc.text[e] != '.' {
			sc.domain[q] = -1
			break
		}
		chain = append(chain, link{q, e, underscore})
		q = e + 1
	}
	for i := len(chain) - 1; i >= 0; i-- {
		c := chain[i]
		switch {
		case sc.domain[c.end+1] > 0:
			sc.domain[c.start] = sc.domain[c.end+1]
		case c.underscore: // the domain name itself may not hold an underscore
			sc.domain[c.start] = -1
		default:
			if end, ok := matchTLD(sc.text, c.end+1); ok {
				sc.domain[c.start] = int32(end) + 1
			} else {
				sc.domain[c.start] = -1
			}
		}
	}
}

// matchTLD matches a top-level domain at p: a punycode label, a run of ASCII
// letters, or a run of other letters (internationalised TLDs), not followed
// by an ASCII letter, digit or @.
func matchTLD(text string, p int) (int, bool) {
	if len(text)-p > 4 && strings.EqualFold(text[p:p+4], "xn--") {
		e := p + 4
		for e < len(text) && isASCIIAlnum(text[e]) {
			e++
		}
		if e > p+4 {
			return e, true
		}
	}
	e := p
	for e < len(text) && isASCIILetter(text[e]) {
		e++
	}
	if e-p < 2 {
		e = p
		for e < len(text) {
			r, size := utf8.DecodeRuneInString(text[e:])
			if r < utf8.RuneSelf || !unicode.IsLetter(r) {
				break
			}
			e += size
		}
		if e == p {
			return 0, false
		}
	}
	if e < len(text) && (isASCIIAlnum(text[e]) || text[e] == '@') {
		return 0, false
	}
	return e, true
}

// pathChar: anything but whitespace and < > ( ) ?.
func pathChar(r rune) bool {
	return !unicode.IsSpace(r) && !strings.ContainsRune("<>()?", r)
}

// pathEndChar: the path characters a link may end with.
func pathEndChar(r rune) bool {
	return pathChar(r) && !strings.ContainsRune("!*\"'「」;:=,.$%[]~&|@", r)
}

// matchPath matches a path after its leading slash at p: path characters and
// balanced parentheses (one level of nesting), ending on a character a link
// may end with. The slash alone is a path.
func matchPath(text string, p int) int {
	end := p
	for i := p; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		if r == '(' {
			g, ok := matchParens(text, i)
			if !ok {
				break
			}
			i = g
			end = g
			continue
		}
		if !pathChar(r) {
			break
		}
		i += size
		if pathEndChar(r) {
			end = i
		}
	}
	return end
}

// matchParens matches "(x)" or "(x(y)z)" at i, x y z being path characters
// (y at least one).
func matchParens(text string, i int) (int, bool) {
	j := i + 1
	inner := 0
	nested := false
	for j < len(text) {
		r, size := utf8.DecodeRuneInString(text[j:])
		switch {
		case r == ')':
			if inner == 0 && !nested {
				return 0, false
			}
			return j + 1, true
		case r == '(' && !nested:
			k := j + 1
			n := 0
			for k < len(text) {
				r2, s2 := utf8.DecodeRuneInString(text[k:])
				if !pathChar(r2) {
					break
				}
				k += s2
				n++
			}
			if n == 0 || k >= len(text) || text[k] != ')' {
				return 0, false
			}
			j = k + 1
			nested = true
			continue
		case pathChar(r):
			inner++
		default:
			return 0, false
		}
		j += size
	}
	return 0, false
}

// queryChar and queryEndChar: what a query may hold and end with.
func queryChar(r rune) bool {
	if r < utf8.RuneSelf {
		return isASCIIAlnum(byte(r)) || strings.ContainsRune("!?*'();:&=+$/%#[]-_.,~|@^", r)
	}
	return uchar(r)
}

func queryEndChar(r rune) bool {
	if r < utf8.RuneSelf {
		return isASCIIAlnum(byte(r)) || strings.ContainsRune("_&=#/-", r)
	}
	return uchar(r)
}

// uchar: the non-ASCII characters RFC 3987 allows in IRIs.
func uchar(r rune) bool {
	switch {
	case r >= 0xA0 && r <= 0xD7FF, r >= 0xE000 && r <= 0xF8FF, r >= 0xF900 && r <= 0xFDCF, r >= 0xFDF0 && r <= 0xFFEF:
		return true
	case r >= 0x10000 && r <= 0x10FFFD:
		if r >= 0xE0000 && r < 0xE1000 {
			return false
		}
		return r&0xFFFF <= 0xFFFD
	}
	return false
}

// matchQuery matches a query after its '?' at p; without a character a
// query may end with, the link ends before the '?' (at fallback).
func matchQuery(text string, p, fallback int) int {
	end := fallback
	for i := p; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		if !queryChar(r) {
			break
		}
		i += size
		if queryEndChar(r) {
			end = i
		}
	}
	return end
}

// wordChar is Ruby's [[:word:]]: letters, marks, decimal digits and
// connector punctuation.
func wordChar(r rune) bool {
	return unicode.IsLetter(r) || unicode.Is(unicode.M, r) || unicode.Is(unicode.Nd, r) || unicode.Is(unicode.Pc, r)
}

func usernameChar(c byte) bool { return isASCIIAlnum(c) || c == '_' }

// latinAccent reports the accented Latin letters after which twitter-text
// does not end a mention.
func latinAccent(r rune) bool {
	switch {
	case r >= 0xC0 && r <= 0xD6, r >= 0xD8 && r <= 0xF6, r >= 0xF8 && r <= 0xFF,
		r >= 0x100 && r <= 0x24F, r == 0x253, r == 0x254, r == 0x256, r == 0x257,
		r == 0x259, r == 0x25B, r == 0x263, r == 0x268, r == 0x26F, r == 0x272,
		r == 0x289, r == 0x28B, r == 0x2BB, r >= 0x300 && r <= 0x36F, r >= 0x1E00 && r <= 0x1EFF:
		return true
	}
	return false
}

// maxMentionDomainLength is Extractor::MAX_DOMAIN_LENGTH.
const maxMentionDomainLength = 253

// extractMentions finds @user and @user@domain mentions as Mastodon's
// Account::MENTION_RE does.
func extractMentions(text string) []textEntity {
	var out []textEntity
	for i := 0; i < len(text); i++ {
		if text[i] != '@' {
			continue
		}
		if i > 0 {
			prev, _ := utf8.DecodeLastRuneInString(text[:i])
			if prev == '=' || prev == '/' || wordChar(prev) {
				continue
			}
		}
		userEnd := matchUsername(text, i+1)
		if userEnd == i+1 {
			continue
		}
		end := userEnd
		if userEnd < len(text) && text[userEnd] == '@' {
			if d := matchMentionDomain(text, userEnd+1); d > userEnd+1 {
				end = d
			}
		}
		after := text[end:]
		r, _ := utf8.DecodeRuneInString(after)
		ended := !(strings.HasPrefix(after, "@") || strings.HasPrefix(after, "＠") || strings.HasPrefix(after, "://") || (after != "" && latinAccent(r)))
		// Mastodon ignores mentions whose domain is longer than a DNS name
		// can be.
		if ended && (end == userEnd || utf8.RuneCountInString(text[userEnd+1:end]) <= maxMentionDomainLength) {
			out = append(out, textEntity{start: i, end: end, username: text[i+1 : userEnd]})
		}
		i = end - 1
	}
	return out
}

// matchUsername matches [a-z0-9_]+([.-]+[a-z0-9_]+)* at p.
func matchUsername(text string, p int) int {
	e := p
	for e < len(text) && usernameChar(text[e]) {
		e++
	}
	if e == p {
		return p
	}
	for {
		s := e
		for s < len(text) && (text[s] == '.' || text[s] == '-') {
			s++
		}
		if s == e {
			return e
		}
		t := s
		for t < len(text) && usernameChar(text[t]) {
			t++
		}
		if t == s {
			return e
		}
		e = t
	}
}

// matchMentionDomain matches [[:word:]]+([.-]+[[:word:]]+)* at p.
func matchMentionDomain(text string, p int) int {
	words := func(i int) int {
		for i < len(text) {
			r, size := utf8.DecodeRuneInString(text[i:])
			if !wordChar(r) {
				break
			}
			i += size
		}
		return i
	}
	e := words(p)
	if e == p {
		return p
	}
	for {
		s := e
		for s < len(text) && (text[s] == '.' || text[s] == '-') {
			s++
		}
		if s == e {
			return e
		}
		t := words(s)
		if t == s {
			return e
		}
		e = t
	}
}

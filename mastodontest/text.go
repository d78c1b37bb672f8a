package mastodontest

import (
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"
)

// Plain text → HTML the way Mastodon's formatter renders local statuses:
// escaped text in <p> paragraphs, <br /> for single newlines, links,
// mentions and hashtags wrapped in their usual markup.

var tokenRE = regexp.MustCompile(`https?://[^\s<>"]+|(?:^|[^\w/])@([A-Za-z0-9_]+)(?:@([A-Za-z0-9.\-:]+[A-Za-z0-9]))?|(?:^|[^\w&/])#([\p{L}\p{N}_]*[\p{L}_][\p{L}\p{N}_]*)`)

var htmlEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;", "'", "&#39;")

func escapeHTML(s string) string { return htmlEscaper.Replace(s) }

// extractTokens finds the mentioned usernames and hashtags of a text.
func extractTokens(text string) (mentions, tags []string) {
	for _, m := range tokenRE.FindAllStringSubmatch(text, -1) {
		if m[1] != "" {
			acct := m[1]
			if m[2] != "" {
				acct += "@" + m[2]
			}
			if !slices.Contains(mentions, acct) {
				mentions = append(mentions, acct)
			}
		}
		if m[3] != "" && !slices.ContainsFunc(tags, func(t string) bool { return strings.EqualFold(t, m[3]) }) {
			tags = append(tags, m[3])
		}
	}
	return
}

func textToHTML(s *Server, text string, mentions []*account, tags []string) string {
	if strings.TrimSpace(text) == "" {
		return ""
	}
	text = strings.ReplaceAll(text, "\r\n", "\n")
	var out strings.Builder
	for i, para := range strings.Split(strings.Trim(text, "\n"), "\n\n") {
		if strings.TrimSpace(para) == "" && i > 0 {
			continue
		}
		out.WriteString("<p>")
		for j, line := range strings.Split(para, "\n") {
			if j > 0 {
				out.WriteString("<br />")
			}
			out.WriteString(formatLine(s, line, mentions))
		}
		out.WriteString("</p>")
	}
	return out.String()
}

func linkify(s *Server, text string) string { return formatLine(s, text, nil) }

func formatLine(s *Server, line string, mentions []*account) string {
	var out strings.Builder
	last := 0
	for _, loc := range tokenRE.FindAllStringSubmatchIndex(line, -1) {
		start, end := loc[0], loc[1]
		tok := line[start:end]
		switch {
		case strings.HasPrefix(tok, "http"):
			out.WriteString(escapeHTML(line[last:start]))
			out.WriteString(linkHTML(tok))
		case loc[2] >= 0: // mention
			name := line[loc[2]:loc[3]]
			var acct *account
			for _, m := range mentions {
				if strings.EqualFold(m.username, name) {
					acct = m
				}
			}
			if acct == nil || (loc[4] >= 0 && !strings.EqualFold(line[loc[4]:loc[5]], s.domain())) {
				continue
			}
			out.WriteString(escapeHTML(line[last : loc[2]-1]))
			out.WriteString(`<span class="h-card" translate="no"><a href="` + escapeHTML(s.URL+"/@"+acct.username) +
				`" class="u-url mention">@<span>` + escapeHTML(acct.username) + `</span></a></span>`)
		case loc[6] >= 0: // hashtag
			tag := line[loc[6]:loc[7]]
			out.WriteString(escapeHTML(line[last : loc[6]-1]))
			out.WriteString(`<a href="` + escapeHTML(s.URL+"/tags/"+strings.ToLower(tag)) +
				`" class="mention hashtag" rel="tag">#<span>` + escapeHTML(tag) + `</span></a>`)
		default:
			continue
		}
		last = end
	}
	out.WriteString(escapeHTML(line[last:]))
	return out.String()
}

func linkHTML(u string) string {
	prefix := ""
	rest := u
	for _, p := range []string{"https://www.", "http://www.", "https://", "http://"} {
		if strings.HasPrefix(u, p) {
			prefix, rest = p, u[len(p):]
			break
		}
	}
	display, hidden, class := rest, "", ""
	if utf8.RuneCountInString(rest) > 30 {
		r := []rune(rest)
		display, hidden, class = string(r[:30]), string(r[30:]), "ellipsis"
	}
	return `<a href="` + escapeHTML(u) + `" target="_blank" rel="nofollow noopener" translate="no"><span class="invisible">` +
		escapeHTML(prefix) + `</span><span class="` + class + `">` + escapeHTML(display) +
		`</span><span class="invisible">` + escapeHTML(hidden) + `</span></a>`
}

var emojiRE = regexp.MustCompile(`:([A-Za-z0-9_]{2,}):`)

func (st *store) emojisIn(text string) []jsonEmoji {
	out := []jsonEmoji{}
	if len(st.emojis) == 0 {
		return out
	}
	seen := map[string]bool{}
	for _, m := range emojiRE.FindAllStringSubmatch(text, -1) {
		if seen[m[1]] {
			continue
		}
		for _, e := range st.emojis {
			if e.shortcode == m[1] {
				seen[m[1]] = true
				out = append(out, jsonEmoji{Shortcode: e.shortcode, URL: e.url, StaticURL: e.url, VisibleInPicker: e.visible})
			}
		}
	}
	return out
}

// statusLength counts characters as Mastodon does: URLs count 23, remote
// mentions count only their local part.
func statusLength(text, spoiler string) int {
	n := utf8.RuneCountInString(spoiler)
	last := 0
	for _, loc := range tokenRE.FindAllStringSubmatchIndex(text, -1) {
		tok := text[loc[0]:loc[1]]
		if strings.HasPrefix(tok, "http") {
			n += utf8.RuneCountInString(text[last:loc[0]]) + 23
			last = loc[1]
		} else if loc[4] >= 0 {
			n += utf8.RuneCountInString(text[last : loc[4]-1])
			last = loc[5]
		}
	}
	return n + utf8.RuneCountInString(text[last:])
}

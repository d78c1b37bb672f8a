package statuslen

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestCount(t *testing.T) {
	long := "https://example.com/" + strings.Repeat("a", 200)
	tests := []struct {
		name    string
		text    string
		spoiler string
		want    int
	}{
		{"empty", "", "", 0},
		{"ascii", "hello world", "", 11},
		{"only whitespace counts nothing", "  \n\t ", "", 0},
		{"whitespace with a content warning", "   ", "cw", 2},
		{"content warning adds its length", "hello", "spoilers!", 14},
		{"content warning links count in full", "x", "https://example.com", 20},
		{"combining mark", "e\u0301te\u0301", "", 3},
		{"ZWJ family", "👨\u200d👩\u200d👧\u200d👦", "", 1},
		{"skin tone", "👍🏽", "", 1},
		{"rainbow flag", "🏳\ufe0f\u200d🌈", "", 1},
		{"two flags", "🇯🇵🇩🇪", "", 2},
		{"keycap", "1\ufe0f\u20e3", "", 1},
		{"CJK", "日本語のテキスト", "", 8},
		{"Hangul syllables", "한국어", "", 3},
		{"Hangul jamo sequence", "\u1112\u1161\u11ab", "", 1},
		{"CRLF is one", "a\r\nb", "", 3},
		{"URL", "https://example.com", "", 23},
		{"short URL still 23", "http://a.co", "", 23},
		{"long URL", long, "", 23},
		{"URL with query and fragment", "https://example.com/p?q=1&r=two#frag", "", 23},
		{"uppercase scheme", "HTTPS://EXAMPLE.COM/X", "", 23},
		{"gemini scheme", "gemini://example.org/page", "", 23},
		{"port", "http://example.com:8080/x", "", 23},
		{"bare domain counts as written", "example.com", "", 11},
		{"www without scheme", "www.example.com/path", "", 20},
		{"unknown scheme", "ftp://example.com", "", 17},
		{"no TLD", "http://localhost:3000", "", 21},
		{"text around", "see https://example.com now", "", 4 + 23 + 4},
		{"trailing period not in URL", "see https://example.com.", "", 4 + 23 + 1},
		{"trailing comma in path", "https://example.com/a/b, ok", "", 23 + 4},
		{"balanced parens in path", "(https://en.wikipedia.org/wiki/Foo_(bar))", "", 1 + 23 + 1},
		{"trailing question mark", "https://example.com/path?", "", 23 + 1},
		{"query ending in punctuation", "https://example.com/?q=a.", "", 23 + 1},
		{"two URLs", "https://example.com https://example.org", "", 23 + 1 + 23},
		{"glued to letters", "abchttps://example.com", "", 22},
		{"after CJK", "日本語https://example.com", "", 3 + 23},
		{"TLD followed by CJK", "https://example.comです", "", 23 + 2},
		{"TLD followed by digit", "https://example.com2", "", 20},
		{"subdomains and underscores", "https://a_b.c.example.co.uk/x", "", 23},
		{"punycode TLD", "https://example.xn--p1ai/", "", 23},
		{"unicode path", "https://ja.wikipedia.org/wiki/日本", "", 23},
		{"URL in angle brackets", "<https://example.com>", "", 1 + 23 + 1},
		{"mention", "@alice", "", 6},
		{"remote mention counts as local", "@alice@mastodon.example", "", 6},
		{"remote mention with subdomain", "hi @bob@social.example.co.uk!", "", 3 + 4 + 1},
		{"mentions and text", "hi @alice@mastodon.example and @bob", "", 3 + 6 + 5 + 4},
		{"dotted username", "@first.last@example.com", "", 11},
		{"email is not a mention", "mail alice@example.com", "", 22},
		{"mention after =", "x=@alice@example.com", "", 20},
		{"mention followed by @", "@alice@example.com@", "", 19},
		{"mention followed by ://", "@alice@example.com://", "", 21},
		{"mention followed by accent", "@aliceé", "", 7},
		{"fullwidth at sign is not a mention", "＠alice@example.com", "", 18},
		{"mention inside URL", "https://mastodon.social/@Gargron@mastodon.social", "", 23},
		{"URL and remote mention", "@alice@example.com https://example.com", "", 6 + 1 + 23},
		{"flag then URL", "🇫🇷 https://example.fr", "", 1 + 1 + 23},
		{"emoji then mention", "👋@alice@example.com", "", 1 + 6},
		{"spoiler joins text", "\U0001F1EF", "\U0001F1F5", 1},
		// The cases of Mastodon's own StatusLengthValidator spec.
		{"spec: URL counts 23 flat", strings.Repeat("a", 476) + " http://" + strings.Repeat("b", 30) + ".com/example", "", 476 + 1 + 23},
		{"spec: non-autolinkable URL counts in full", strings.Repeat("a", 476) + "http://" + strings.Repeat("b", 30) + ".com/example", "", 476 + 7 + 30 + 12},
		{"spec: overly long URL counts in full", "http://example.com/valid?" + strings.Repeat("#foo?", 1000), "", 25 + 5000},
		{"spec: front part of remote usernames", strings.Repeat("a", 475) + " @alice@" + strings.Repeat("b", 30) + ".com", "", 475 + 1 + 6},
		{"spec: overly long mention domain counts in full", "@alice@" + strings.Repeat("b", 500) + ".com", "", 7 + 500 + 4},
		{"mention domain at the limit", "@alice@" + strings.Repeat("b", 249) + ".com", "", 6},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Count(tt.text, tt.spoiler); got != tt.want {
				t.Errorf("Count(%q, %q) = %d, want %d (countable %q)", tt.text, tt.spoiler, got, tt.want, countableText(tt.text, 23))
			}
		})
	}
}

func TestCountURLsAs(t *testing.T) {
	if got := CountURLsAs("go https://example.com/abc", "", 30); got != 3+30 {
		t.Errorf("CountURLsAs = %d, want 33", got)
	}
	if got := CountURLsAs("https://example.com", "", -5); got != 0 {
		t.Errorf("negative URL length = %d, want 0", got)
	}
}

func TestCountableText(t *testing.T) {
	got := countableText("hi @alice@example.com, see https://example.com/x!", 23)
	want := "hi @alice, see " + strings.Repeat("x", 23) + "!"
	if got != want {
		t.Errorf("countableText = %q, want %q", got, want)
	}
}

func FuzzCount(f *testing.F) {
	for _, s := range []string{
		"https://example.com/(a(b)c)?q=1", "@a@b.c @d", "(https://x.co/(", "@", "http://", "a.b.c.d.e/f?g#h",
		"日本https://例え.テスト/パス", "xn--", "https://a_b-.com", "@a.-b@c..d",
	} {
		f.Add(s, "")
	}
	f.Fuzz(func(t *testing.T, text, spoiler string) {
		n := Count(text, spoiler)
		if n < 0 {
			t.Fatalf("negative length %d", n)
		}
		// Rewriting only ever shortens mentions and changes links to 23
		// characters, so the count is bounded by the raw grapheme count
		// plus 23 per link.
		links := len(extractLinks(text))
		if utf8.ValidString(text) && n > utf8.RuneCountInString(spoiler)+utf8.RuneCountInString(text)+23*links {
			t.Fatalf("length %d exceeds the bound for %q", n, text)
		}
		for _, e := range append(extractLinks(text), extractMentions(text)...) {
			if e.start < 0 || e.end > len(text) || e.start >= e.end {
				t.Fatalf("bad entity %+v in %q", e, text)
			}
		}
	})
}

// Long texts built to defeat a naive matcher still count right (a
// quadratic matcher would also make this test crawl).
func TestCountLongAdversarialText(t *testing.T) {
	for _, tc := range []struct {
		text string
		want int
	}{
		{strings.Repeat("-a", 20000) + ":", 40001},
		{strings.Repeat("1.", 50000) + ":", 100001},
		{strings.Repeat("a_.", 30000) + ":", 90001},
		{"https://" + strings.Repeat("a.", 2000) + "io", 23},
		// Past 4096 characters twitter-text no longer takes it as a link.
		{"https://" + strings.Repeat("a.", 30000) + "io", 60010},
		{strings.Repeat("@a", 20000), 40000},
	} {
		if got := Count(tc.text, ""); got != tc.want {
			t.Errorf("Count(%.12q…) = %d, want %d", tc.text, got, tc.want)
		}
	}
}

func BenchmarkCount(b *testing.B) {
	text := "Reading https://example.com/articles/2026/11/some-long-slug?ref=home with @alice@mastodon.example 🇯🇵👨\u200d👩\u200d👧 日本語 " + strings.Repeat("lorem ipsum ", 30)
	b.ReportAllocs()
	for b.Loop() {
		Count(text, "cw")
	}
}

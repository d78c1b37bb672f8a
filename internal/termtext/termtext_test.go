package termtext

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestSanitize(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"plain", "hello, world", "hello, world"},
		{"unicode kept", "grüße 🐘 日本語", "grüße 🐘 日本語"},
		{"newline and tab kept", "a\n\tb", "a\n\tb"},
		{"sgr colour", "\x1b[31mred\x1b[0m", "red"},
		{"clear screen", "a\x1b[2J\x1b[Hb", "ab"},
		{"private csi", "a\x1b[?1049hb", "ab"},
		{"osc title bel", "a\x1b]0;pwned\x07b", "ab"},
		{"osc title st", "a\x1b]0;pwned\x1b\\b", "ab"},
		{"osc8 hyperlink", "\x1b]8;;https://evil.example\x1b\\click\x1b]8;;\x1b\\", "click"},
		{"osc unterminated", "a\x1b]0;everything after", "a"},
		{"osc cut by new escape", "a\x1b]0;x\x1b[31mb", "ab"},
		{"dcs", "a\x1bPq#0;2;0;0;0\x1b\\b", "ab"},
		{"two-byte escape", "a\x1bcb", "ab"},
		{"charset designation", "a\x1b(0b", "ab"},
		{"lone esc at end", "a\x1b", "a"},
		{"c1 csi", "a\u009b31mb", "ab"},
		{"c1 osc", "a\u009d0;x\u009cb", "ab"},
		{"c1 others", "a\u0085\u008eb", "ab"},
		{"c0 controls", "a\x00\x07\x08\x0b\x0cb\x7f", "ab"},
		{"crlf", "a\r\nb", "a\nb"},
		{"lone cr", "a\rb", "a\nb"},
		{"bidi override", "abc\u202egnp.exe", "abcgnp.exe"},
		{"bidi isolates", "\u2066a\u2069\u2067b\u2068c", "abc"},
		{"marks", "\u200ea\u200fb\u061c", "ab"},
		{"line separator", "a\u2028b", "a\nb"},
		{"invalid utf8", "a\xffb", "a\ufffdb"},
		{"csi with bad final keeps text", "\x1b[12;34\u00e9x", "\u00e9x"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Sanitize(tt.in); got != tt.want {
				t.Errorf("Sanitize(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestLine(t *testing.T) {
	if got := Line("Alice\n\x1b[1mAdmin\t!"); got != "Alice Admin !" {
		t.Errorf("Line = %q", got)
	}
}

func TestHTML(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"paragraphs", "<p>one</p><p>two</p>", "one\n\ntwo"},
		{"br", "<p>one<br>two<br/>three</p>", "one\ntwo\nthree"},
		{"entities", "<p>a &amp; b &lt;c&gt; &#39;d&#39;</p>", "a & b <c> 'd'"},
		{"whitespace collapsed", "<p>a\n   b</p>\n<p>c</p>", "a b\n\nc"},
		{
			"mention",
			`<p><span class="h-card" translate="no"><a href="https://ex.example/@bob" class="u-url mention">@<span>bob</span></a></span> hi</p>`,
			"@bob hi",
		},
		{
			"hashtag",
			`<p>so <a href="https://ex.example/tags/go" class="mention hashtag" rel="tag">#<span>go</span></a></p>`,
			"so #go",
		},
		{
			"shortened link shows whole address",
			`<p>see <a href="https://example.com/a/very/long/path" rel="nofollow noopener" target="_blank"><span class="invisible">https://</span><span class="ellipsis">example.com/a/very/lo</span><span class="invisible">ng/path</span></a></p>`,
			"see https://example.com/a/very/long/path",
		},
		{"link with other text", `<a href="https://example.com/x">click here</a>`, "click here (https://example.com/x)"},
		{"link without text", `<a href="https://example.com/x"></a>`, "https://example.com/x"},
		{"list", "<ul><li>a</li><li>b</li></ul>", "• a\n• b"},
		{"ordered list", "<ol><li>a</li><li>b</li></ol>", "1. a\n2. b"},
		{"quote", "<blockquote><p>wise<br>words</p></blockquote><p>me</p>", "> wise\n> words\n\nme"},
		{"pre keeps spaces", "<pre>a  b\n  c</pre>", "a  b\n  c"},
		{"script dropped", "<p>a<script>alert(1)</script>b</p>", "ab"},
		{"escape in text", "<p>\x1b]0;title\x07hi \x1b[31mred</p>", "hi red"},
		{"escape as entity", "<p>&#27;[31mred&#x1b;[0m &#x202e;x</p>", "red x"},
		{"escape in href", "<a href=\"https://e.example/\x1b[2J\">go</a>", "go (https://e.example/)"},
		{"unclosed tags", "<p>a <a href='https://x.example'>b", "a b (https://x.example)"},
		{"not html", "just text", "just text"},
		{"empty", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := HTML(tt.in); got != tt.want {
				t.Errorf("HTML(%q)\n got %q\nwant %q", tt.in, got, tt.want)
			}
		})
	}
}

// safe reports why s could still steer a terminal, or "".
func unsafe(s string) string {
	if !utf8.ValidString(s) {
		return "invalid UTF-8"
	}
	for _, r := range s {
		switch {
		case r == '\n' || r == '\t':
		case r < 0x20 || r == 0x7f:
			return "C0 control or DEL"
		case r >= 0x80 && r <= 0x9f:
			return "C1 control"
		case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069, r == 0x200e, r == 0x200f, r == 0x061c:
			return "bidi control"
		}
	}
	return ""
}

var fuzzSeeds = []string{
	"", "plain", "\x1b[31mred\x1b[0m", "\x1b]0;t\x07", "\x1b]8;;u\x1b\\x\x1b]8;;\x1b\\",
	"\x1bP\x1b\\", "\u009b1m", "\u009dx\u009c", "a\u202eb", "\r\n\r", "\xff\xfe", "\x1b", "\x1b[", "\x1b]",
	"<p>a<br>b</p>", `<a href="x">y</a>`, "<blockquote><ul><li>x</li></ul></blockquote>", "<pre>\x1b[1m</pre>",
	"&#27;&#155;&#x202e;",
}

func FuzzSanitize(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := Sanitize(s)
		if why := unsafe(got); why != "" {
			t.Fatalf("Sanitize(%q) = %q: %s", s, got, why)
		}
		if again := Sanitize(got); again != got {
			t.Fatalf("not idempotent: %q -> %q -> %q", s, got, again)
		}
		if unsafe(s) == "" && !strings.ContainsAny(s, "\r\u2028\u2029\x1b") && got != s {
			t.Fatalf("safe text changed: %q -> %q", s, got)
		}
		if l := Line(s); strings.ContainsAny(l, "\n\t") || unsafe(l) != "" {
			t.Fatalf("Line(%q) = %q", s, l)
		}
	})
}

func FuzzHTML(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := HTML(s)
		if why := unsafe(got); why != "" {
			t.Fatalf("HTML(%q) = %q: %s", s, got, why)
		}
	})
}

// TestHTMLAmplification: nesting cannot multiply the text. Each nested
// block quote used to add "> " to every line inside it, so N nestings of
// M lines printed N·M prefixes.
func TestHTMLAmplification(t *testing.T) {
	const depth, lines = 2000, 200
	in := strings.Repeat("<blockquote>", depth) + strings.Repeat("x<br>", lines) + strings.Repeat("</blockquote>", depth)
	got := HTML(in)
	if len(got) > 4*len(in) {
		t.Fatalf("%d bytes of HTML rendered as %d bytes", len(in), len(got))
	}
	first := strings.SplitN(got, "\n", 2)[0]
	if want := strings.Repeat("> ", MaxDepth) + "x"; first != want {
		t.Errorf("deep quote line %q, want %q", first, want)
	}
	if strings.Contains(got, cutNote) {
		t.Errorf("short text was cut")
	}

	list := strings.Repeat("<ul><li>", depth) + "x" + strings.Repeat("</li></ul>", depth)
	if got := HTML(list); len(got) > 4*len(list) {
		t.Errorf("nested list: %d bytes of HTML rendered as %d bytes", len(list), len(got))
	}

	long := "<p>" + strings.Repeat("é", MaxOutput) + "</p>"
	got = HTML(long)
	if len(got) > MaxOutput+len(cutNote)+1 || !strings.HasSuffix(got, "\n"+cutNote) {
		t.Errorf("long text: %d bytes, ends %q", len(got), got[max(0, len(got)-60):])
	}
	if why := unsafe(got); why != "" {
		t.Errorf("cut text: %s", why)
	}
	if strings.ContainsRune(got, utf8.RuneError) {
		t.Errorf("cut in the middle of a character")
	}
}

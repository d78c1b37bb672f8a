package cli

import (
	"math"
	"regexp"
	"strings"
	"testing"

	"github.com/tuskgo/mastodon"
)

// TestMediaPreview: images get a blurhash preview on a colour terminal,
// and none with --no-preview, --json or piped output.
func TestMediaPreview(t *testing.T) {
	h := newHarness(t)
	h.login("alice")
	h.run("post", "a picture", "--media", writePNG(t), "--alt", "tusk").mustOK(t)

	h.term = true
	r := h.run("timeline", "home").mustOK(t)
	cells := regexp.MustCompile(`\x1b\[38;2;\d+;\d+;\d+m\x1b\[48;2;\d+;\d+;\d+m▀`)
	lines := 0
	for _, l := range strings.Split(r.out, "\n") {
		if n := len(cells.FindAllString(l, -1)); n > 0 {
			lines++
			if n != previewCols || !strings.HasPrefix(l, "  ") || !strings.HasSuffix(l, "\x1b[0m") {
				t.Errorf("preview line with %d cells: %q", n, l)
			}
		}
	}
	if lines < 1 || lines > previewMaxRows {
		t.Errorf("%d preview lines:\n%s", lines, r.out)
	}
	if i, j := strings.Index(r.out, "[image]"), strings.Index(r.out, "▀"); i < 0 || j < i {
		t.Errorf("preview not under its attachment:\n%s", r.out)
	}
	for _, args := range [][]string{{"timeline", "home", "--no-preview"}, {"timeline", "home", "--json"}} {
		if r := h.run(args...).mustOK(t); strings.Contains(r.out, "▀") {
			t.Errorf("%v drew a preview", args)
		}
	}
	h.term = false
	if r := h.run("timeline", "home", "--color", "always").mustOK(t); strings.Contains(r.out, "▀") || !strings.Contains(r.out, "\x1b[1m") {
		t.Errorf("piped output drew a preview (or no colour): %q", r.out)
	}
}

func TestPreviewBadInput(t *testing.T) {
	for _, hash := range []string{"", "x", "LEHV6nWB2yk8pyo0adR*.7kCMdnj\x1b[2J", "~~~~~~", strings.Repeat("|", 200)} {
		m := &mastodon.MediaAttachment{Type: mastodon.MediaImage, Blurhash: &hash}
		if got := preview(m, ""); got != "" {
			t.Errorf("preview of %q = %q", hash, got)
		}
	}
	for _, aspect := range []float64{0, -1, 1e-9, 1e9, math.Inf(1), math.NaN()} {
		m := &mastodon.MediaAttachment{Meta: &mastodon.MediaAttachmentMeta{Original: &mastodon.MetaDetails{Aspect: &aspect}}}
		if rows := previewRows(m); rows < 1 || rows > previewMaxRows {
			t.Errorf("aspect %v: %d rows", aspect, rows)
		}
	}
}

// FuzzPreview: no blurhash or size from a server makes the preview panic,
// grow past its bounds or carry anything but its own colour sequences.
func FuzzPreview(f *testing.F) {
	f.Add("LEHV6nWB2yk8pyo0adR*.7kCMdnj", 640, 480)
	f.Add("|", 0, 0)
	f.Add("00000", -1, 5)
	f.Fuzz(func(t *testing.T, hash string, w, h int) {
		m := &mastodon.MediaAttachment{Type: mastodon.MediaImage, Blurhash: &hash,
			Meta: &mastodon.MediaAttachmentMeta{Original: &mastodon.MetaDetails{Width: &w, Height: &h}}}
		out := preview(m, "")
		if out == "" {
			return
		}
		lines := strings.Split(out, "\n")
		if len(lines) > previewMaxRows {
			t.Fatalf("%d lines", len(lines))
		}
		own := regexp.MustCompile(`\x1b\[(?:38|48);2;\d+;\d+;\d+m|\x1b\[0m|▀`)
		for _, l := range lines {
			if rest := own.ReplaceAllString(l, ""); rest != "" {
				t.Fatalf("preview line carries %q", rest)
			}
		}
	})
}

package cli

import (
	"fmt"
	"math"
	"strings"

	"github.com/tuskgo/mastodon"
	"github.com/tuskgo/mastodon/blurhash"
)

// Media previews: each image's blurhash drawn with truecolor half blocks,
// two pixels per character cell (the upper one as the foreground of "▀",
// the lower one as its background). Only the hash is used: nothing is
// downloaded.
const (
	previewCols    = 24 // width of a preview, in cells
	previewMaxRows = 8  // tallest preview, in cells (two pixels each)
)

// preview draws m's blurhash, each line starting with prefix, or returns
// "" when m has none or it does not decode.
func preview(m *mastodon.MediaAttachment, prefix string) string {
	hash := deref(m.Blurhash)
	if hash == "" {
		return ""
	}
	rows := previewRows(m)
	img, err := blurhash.Decode(hash, previewCols, 2*rows, nil)
	if err != nil {
		return ""
	}
	var b strings.Builder
	for y := 0; y < 2*rows; y += 2 {
		b.WriteString(prefix)
		for x := range previewCols {
			top, bottom := img.NRGBAAt(x, y), img.NRGBAAt(x, y+1)
			fmt.Fprintf(&b, "\x1b[38;2;%d;%d;%dm\x1b[48;2;%d;%d;%dm▀", top.R, top.G, top.B, bottom.R, bottom.G, bottom.B)
		}
		b.WriteString("\x1b[0m\n")
	}
	return strings.TrimSuffix(b.String(), "\n")
}

// previewRows keeps the image's aspect ratio, taking a character cell as
// twice as tall as wide: a cell holds two square pixels.
func previewRows(m *mastodon.MediaAttachment) int {
	aspect := 0.0
	if m.Meta != nil && m.Meta.Original != nil {
		if a := deref(m.Meta.Original.Aspect); a > 0 {
			aspect = a
		} else if w, h := deref(m.Meta.Original.Width), deref(m.Meta.Original.Height); w > 0 && h > 0 {
			aspect = float64(w) / float64(h)
		}
	}
	if aspect <= 0 || math.IsInf(aspect, 0) || math.IsNaN(aspect) {
		aspect = 16.0 / 9
	}
	rows := int(math.Round(previewCols / aspect / 2))
	return max(1, min(rows, previewMaxRows))
}

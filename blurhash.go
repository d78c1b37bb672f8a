package mastodon

import (
	"image"

	"github.com/tuskgo/mastodon/internal/blurhash"
)

// ErrInvalidBlurhash is matched (errors.Is) by every blurhash error: a
// malformed hash, an impossible image size or component count.
var ErrInvalidBlurhash = blurhash.ErrInvalid

// BlurhashOptions tune DecodeBlurhash. nil means defaults.
type BlurhashOptions struct {
	// Punch scales the contrast of the blurred detail: 1 (or 0) keeps it
	// as encoded, larger values make it stronger.
	Punch float64
}

// DecodeBlurhash renders a blurhash (a MediaAttachment's or PreviewCard's
// Blurhash) as an opaque width×height image, ready to show while the real
// media loads. A small size (say 32×32) scaled up looks the same and costs
// far less.
func DecodeBlurhash(hash string, width, height int, opts *BlurhashOptions) (*image.NRGBA, error) {
	punch := 1.0
	if opts != nil && opts.Punch > 0 {
		punch = opts.Punch
	}
	return blurhash.Decode(hash, width, height, punch)
}

// DecodeBlurhashPixels renders a blurhash as raw colour values, as
// Mastodon.py's decode_blurhash returns them: pixels[y][x] is {R, G, B}.
// With linear true the values are linear light in [0, 1] (suited to further
// scaling or blending); otherwise they are 8-bit sRGB values in [0, 255].
func DecodeBlurhashPixels(hash string, width, height int, linear bool) ([][][3]float64, error) {
	c, err := blurhash.Parse(hash, 1)
	if err != nil {
		return nil, err
	}
	lin, err := c.Linear(width, height)
	if err != nil {
		return nil, err
	}
	rows := make([][][3]float64, height)
	flat := make([][3]float64, width*height)
	for y := range height {
		rows[y] = flat[y*width : (y+1)*width : (y+1)*width]
		for x := range width {
			p := 3 * (y*width + x)
			for ch := range 3 {
				v := lin[p+ch]
				if linear {
					v = max(0, min(1, v))
				} else {
					v = float64(blurhash.LinearToSRGB(v))
				}
				rows[y][x][ch] = v
			}
		}
	}
	return rows, nil
}

// BlurhashComponents reports how many horizontal and vertical components a
// blurhash has (1 to 9 each). Mastodon.py sizes its decodes per component:
// pass x*n, y*n as the size for n pixels per component.
func BlurhashComponents(hash string) (x, y int, err error) {
	return blurhash.Size(hash)
}

// EncodeBlurhash computes the blurhash of img with xComponents ×
// yComponents components (1 to 9 each; Mastodon uses 4×3). Transparency is
// ignored. Cost grows with the image's pixel count, so hash a thumbnail.
func EncodeBlurhash(img image.Image, xComponents, yComponents int) (string, error) {
	return blurhash.Encode(img, xComponents, yComponents)
}

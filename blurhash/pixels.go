package blurhash

import "image"

// DecodeOptions tune Decode. nil means defaults.
type DecodeOptions struct {
	// Punch scales the contrast of the blurred detail: 1 (or 0) keeps it
	// as encoded, larger values make it stronger.
	Punch float64
}

// Decode renders a hash as an opaque width×height image, ready to show
// while the real media loads. A small size (say 32×32) scaled up looks the
// same and costs far less.
func Decode(hash string, width, height int, opts *DecodeOptions) (*image.NRGBA, error) {
	punch := 1.0
	if opts != nil && opts.Punch > 0 {
		punch = opts.Punch
	}
	return decode(hash, width, height, punch)
}

// DecodePixels renders a hash as raw colour values, as Mastodon.py's
// decode_blurhash returns them: pixels[y][x] is {R, G, B}. With linear
// true the values are linear light in [0, 1] (suited to further scaling or
// blending); otherwise they are 8-bit sRGB values in [0, 255].
func DecodePixels(hash string, width, height int, linear bool) ([][][3]float64, error) {
	c, err := parse(hash, 1)
	if err != nil {
		return nil, err
	}
	lin, err := c.linear(width, height)
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
					v = float64(toSRGB(v))
				}
				rows[y][x][ch] = v
			}
		}
	}
	return rows, nil
}

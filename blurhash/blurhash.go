// Package blurhash encodes images into BlurHash strings and decodes them
// back into small blurred images. A hash is a few dozen base-83 characters:
// the image's average colour plus up to 9×9 cosine components, stored
// quantised in sRGB and worked on in linear light.
//
// Mastodon sends one with every media attachment and preview card
// (the Blurhash fields of mastodon.MediaAttachment and
// mastodon.PreviewCard) so that a client can show the blurred image while
// the real one loads. The package sends no request and does not import
// package mastodon: mastodontest uses it to hash uploads.
package blurhash

import (
	"errors"
	"fmt"
	"image"
	"image/color"
	"math"
	"sync"
)

const digits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz#$%*+,-.:;=?@[]^_{|}~"

// MaxPixels caps the size of a decoded image (width × height).
const MaxPixels = 1 << 24

// ErrInvalid is matched (errors.Is) by every error about a malformed hash
// or bad arguments.
var ErrInvalid = errors.New("invalid blurhash")

// Error says what is wrong with a hash or a request.
type Error struct{ Reason string }

func (e *Error) Error() string        { return "blurhash: " + e.Reason }
func (e *Error) Is(target error) bool { return target == ErrInvalid }

func invalid(format string, args ...any) error {
	return &Error{Reason: fmt.Sprintf(format, args...)}
}

var digitValue = func() (t [256]int8) {
	for i := range t {
		t[i] = -1
	}
	for i := 0; i < len(digits); i++ {
		t[digits[i]] = int8(i)
	}
	return t
}()

// decode83 reads s as a base-83 number; ok is false on a character outside
// the alphabet.
func decode83(s string) (v int, ok bool) {
	for i := 0; i < len(s); i++ {
		d := digitValue[s[i]]
		if d < 0 {
			return 0, false
		}
		v = v*83 + int(d)
	}
	return v, true
}

func encode83(b []byte, v, length int) []byte {
	for i := length - 1; i >= 0; i-- {
		p := 1
		for range i {
			p *= 83
		}
		b = append(b, digits[(v/p)%83])
	}
	return b
}

var srgbToLinear = func() (t [256]float64) {
	for i := range t {
		v := float64(i) / 255
		if v <= 0.04045 {
			t[i] = v / 12.92
		} else {
			t[i] = math.Pow((v+0.055)/1.055, 2.4)
		}
	}
	return t
}()

// toLinear converts an 8-bit sRGB channel value to linear light in [0, 1].
func toLinear(v uint8) float64 { return srgbToLinear[v] }

// toSRGB converts linear light to an 8-bit sRGB channel value,
// clamping to [0, 1] first. It gives exactly what the formula gives, from a
// table of the points where the result steps up.
func toSRGB(v float64) uint8 {
	if !(v > 0) { // also NaN
		return 0
	}
	t := srgbSteps()
	// The number of steps at or below v is the result.
	lo, hi := 0, len(t)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if t[m] <= v {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return uint8(lo)
}

// linearToSRGBFormula is the conversion as the BlurHash algorithm states it.
func linearToSRGBFormula(v float64) uint8 {
	v = max(0, min(1, v))
	if math.IsNaN(v) {
		return 0
	}
	if v <= 0.0031308 {
		return uint8(v*12.92*255 + 0.5)
	}
	return uint8((1.055*math.Pow(v, 1/2.4)-0.055)*255 + 0.5)
}

// srgbSteps[s-1] is the least linear value the formula maps to s or more,
// found by bisection on the formula itself.
var srgbSteps = sync.OnceValue(func() []float64 {
	t := make([]float64, 255)
	for s := 1; s <= 255; s++ {
		lo, hi := 0.0, 1.0 // formula(lo) < s <= formula(hi)
		for {
			m := lo + (hi-lo)/2
			if m <= lo || m >= hi {
				break
			}
			if int(linearToSRGBFormula(m)) >= s {
				hi = m
			} else {
				lo = m
			}
		}
		t[s-1] = hi
	}
	return t
})

func signPow(v, exp float64) float64 {
	return math.Copysign(math.Pow(math.Abs(v), exp), v)
}

// decoded is a parsed hash: the colour of each cosine component, in
// linear RGB, row-major (Colors[j*X+i] is horizontal frequency i, vertical
// j). Colors[0] is the average colour.
type decoded struct {
	X, Y   int
	Colors [][3]float64
}

// Components reports how many horizontal and vertical components a hash
// has (1 to 9 each) without decoding its colours. Mastodon.py sizes its
// decodes per component: pass x*n, y*n to Decode for n pixels per
// component.
func Components(hash string) (x, y int, err error) {
	if len(hash) < 6 {
		return 0, 0, invalid("hash is %d characters, want at least 6", len(hash))
	}
	flag, ok := decode83(hash[:1])
	if !ok {
		return 0, 0, invalid("size flag %q is not a base-83 digit", hash[:1])
	}
	if flag >= 81 {
		return 0, 0, invalid("size flag %q names more than 9×9 components", hash[:1])
	}
	x, y = flag%9+1, flag/9+1
	if want := 4 + 2*x*y; len(hash) != want {
		return 0, 0, invalid("hash is %d characters, want %d for %d×%d components", len(hash), want, x, y)
	}
	return x, y, nil
}

// parse decodes a hash's components. punch scales the contrast of the
// non-average components; 1 leaves them as encoded (≤ 0 means 1).
func parse(hash string, punch float64) (*decoded, error) {
	x, y, err := Components(hash)
	if err != nil {
		return nil, err
	}
	if punch <= 0 || math.IsNaN(punch) || math.IsInf(punch, 0) {
		punch = 1
	}
	q, ok := decode83(hash[1:2])
	if !ok {
		return nil, invalid("maximum-value digit %q is not base-83", hash[1:2])
	}
	maxAC := float64(q+1) / 166 * punch
	c := &decoded{X: x, Y: y, Colors: make([][3]float64, x*y)}
	dc, ok := decode83(hash[2:6])
	if !ok {
		return nil, invalid("average colour %q is not base-83", hash[2:6])
	}
	if dc > 0xFFFFFF {
		return nil, invalid("average colour %q is out of range", hash[2:6])
	}
	c.Colors[0] = [3]float64{srgbToLinear[dc>>16], srgbToLinear[dc>>8&0xFF], srgbToLinear[dc&0xFF]}
	for i := 1; i < x*y; i++ {
		s := hash[4+2*i : 6+2*i]
		v, ok := decode83(s)
		if !ok {
			return nil, invalid("component %d %q is not base-83", i, s)
		}
		if v >= 19*19*19 {
			return nil, invalid("component %d %q is out of range", i, s)
		}
		c.Colors[i] = [3]float64{
			signPow(float64(v/361-9)/9, 2) * maxAC,
			signPow(float64(v/19%19-9)/9, 2) * maxAC,
			signPow(float64(v%19-9)/9, 2) * maxAC,
		}
	}
	return c, nil
}

func checkSize(width, height int) error {
	if width <= 0 || height <= 0 {
		return invalid("image size %d×%d is not positive", width, height)
	}
	if width > MaxPixels || height > MaxPixels || width*height > MaxPixels {
		return invalid("image size %d×%d exceeds %d pixels", width, height, MaxPixels)
	}
	return nil
}

// cosTable returns cos(π·k·p/n) for k < comps, p < n, indexed k*n+p.
func cosTable(comps, n int) []float64 {
	t := make([]float64, comps*n)
	for k := range comps {
		for p := range n {
			t[k*n+p] = math.Cos(math.Pi * float64(k) * float64(p) / float64(n))
		}
	}
	return t
}

// linear renders the components at width×height and returns linear RGB
// values, three per pixel, rows top to bottom.
func (c *decoded) linear(width, height int) ([]float64, error) {
	if err := checkSize(width, height); err != nil {
		return nil, err
	}
	cx, cy := cosTable(c.X, width), cosTable(c.Y, height)
	out := make([]float64, 3*width*height)
	// The basis is separable: fold the vertical cosines into one colour
	// per horizontal frequency for each row, then sum across.
	row := make([][3]float64, c.X)
	for py := range height {
		for i := range c.X {
			var r, g, b float64
			for j := range c.Y {
				by := cy[j*height+py]
				col := &c.Colors[j*c.X+i]
				r += col[0] * by
				g += col[1] * by
				b += col[2] * by
			}
			row[i] = [3]float64{r, g, b}
		}
		for px := range width {
			var r, g, b float64
			for i := range c.X {
				bx := cx[i*width+px]
				r += row[i][0] * bx
				g += row[i][1] * bx
				b += row[i][2] * bx
			}
			o := 3 * (py*width + px)
			out[o], out[o+1], out[o+2] = r, g, b
		}
	}
	return out, nil
}

// render renders the components as an opaque width×height image.
func (c *decoded) render(width, height int) (*image.NRGBA, error) {
	lin, err := c.linear(width, height)
	if err != nil {
		return nil, err
	}
	img := image.NewNRGBA(image.Rect(0, 0, width, height))
	for p := range width * height {
		img.Pix[4*p] = toSRGB(lin[3*p])
		img.Pix[4*p+1] = toSRGB(lin[3*p+1])
		img.Pix[4*p+2] = toSRGB(lin[3*p+2])
		img.Pix[4*p+3] = 0xFF
	}
	return img, nil
}

// decode renders hash as a width×height image; punch as in parse.
func decode(hash string, width, height int, punch float64) (*image.NRGBA, error) {
	if err := checkSize(width, height); err != nil {
		return nil, err
	}
	c, err := parse(hash, punch)
	if err != nil {
		return nil, err
	}
	return c.render(width, height)
}

// Encode hashes img with x×y components (each 1 to 9; 4×3 is usual). Alpha
// is ignored: each pixel's colour counts as if it were opaque. Cost grows
// with the image's pixel count, so hash a thumbnail.
func Encode(img image.Image, x, y int) (string, error) {
	if x < 1 || x > 9 || y < 1 || y > 9 {
		return "", invalid("component counts %d×%d are outside 1…9", x, y)
	}
	if img == nil {
		return "", invalid("no image")
	}
	bounds := img.Bounds()
	w, h := bounds.Dx(), bounds.Dy()
	if w <= 0 || h <= 0 {
		return "", invalid("image is empty")
	}
	cx, cy := cosTable(x, w), cosTable(y, h)
	factors := make([][3]float64, x*y)
	row := make([]float64, 3*w)
	for py := range h {
		readRow(img, bounds.Min.X, bounds.Min.Y+py, w, row)
		for j := range y {
			by := cy[j*h+py]
			for i := range x {
				var r, g, b float64
				ct := cx[i*w : i*w+w]
				for px, c := range ct {
					r += c * row[3*px]
					g += c * row[3*px+1]
					b += c * row[3*px+2]
				}
				f := &factors[j*x+i]
				f[0] += r * by
				f[1] += g * by
				f[2] += b * by
			}
		}
	}
	for k := range factors {
		scale := 2 / float64(w*h)
		if k == 0 {
			scale = 1 / float64(w*h)
		}
		for ch := range 3 {
			factors[k][ch] *= scale
		}
	}

	out := make([]byte, 0, 4+2*x*y)
	out = encode83(out, (x-1)+(y-1)*9, 1)
	maxValue := 1.0
	if len(factors) > 1 {
		actual := 0.0
		for _, f := range factors[1:] {
			actual = max(actual, math.Abs(f[0]), math.Abs(f[1]), math.Abs(f[2]))
		}
		q := int(max(0, min(82, math.Floor(actual*166-0.5))))
		maxValue = float64(q+1) / 166
		out = encode83(out, q, 1)
	} else {
		out = encode83(out, 0, 1)
	}
	dc := factors[0]
	out = encode83(out, int(toSRGB(dc[0]))<<16|int(toSRGB(dc[1]))<<8|int(toSRGB(dc[2])), 4)
	quant := func(v float64) int {
		return int(max(0, min(18, math.Floor(signPow(v/maxValue, 0.5)*9+9.5))))
	}
	for _, f := range factors[1:] {
		out = encode83(out, quant(f[0])*361+quant(f[1])*19+quant(f[2]), 2)
	}
	return string(out), nil
}

// readRow fills row with the linear RGB of w pixels starting at (x0, y).
func readRow(img image.Image, x0, y, w int, row []float64) {
	switch m := img.(type) {
	case *image.NRGBA:
		off := m.PixOffset(x0, y)
		for px := range w {
			p := m.Pix[off+4*px : off+4*px+3]
			row[3*px], row[3*px+1], row[3*px+2] = srgbToLinear[p[0]], srgbToLinear[p[1]], srgbToLinear[p[2]]
		}
	case *image.RGBA:
		// Premultiplied: undo the alpha so colour counts as if opaque.
		off := m.PixOffset(x0, y)
		for px := range w {
			p := m.Pix[off+4*px : off+4*px+4]
			c := color.NRGBAModel.Convert(color.RGBA{p[0], p[1], p[2], p[3]}).(color.NRGBA)
			row[3*px], row[3*px+1], row[3*px+2] = srgbToLinear[c.R], srgbToLinear[c.G], srgbToLinear[c.B]
		}
	default:
		for px := range w {
			c := color.NRGBAModel.Convert(img.At(x0+px, y)).(color.NRGBA)
			row[3*px], row[3*px+1], row[3*px+2] = srgbToLinear[c.R], srgbToLinear[c.G], srgbToLinear[c.B]
		}
	}
}

package blurhash

import (
	"errors"
	"image"
	"image/color"
	"math"
	"strings"
	"testing"
)

// The expected values below were produced with the reference TypeScript
// implementation (woltapp's npm package "blurhash" 2.x), run on the same
// inputs, as an independent check of this one.

func TestDecodeReference(t *testing.T) {
	const hash = "LEHV6nWB2yk8pyo0adR*.7kCMdnj"
	img, err := decode(hash, 32, 32, 1)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		x, y    int
		r, g, b uint8
	}{
		{0, 0, 135, 164, 177},
		{31, 0, 137, 166, 181},
		{0, 31, 136, 144, 147},
		{16, 16, 158, 125, 108},
		{31, 31, 133, 142, 147},
	} {
		c := img.NRGBAAt(tc.x, tc.y)
		if !near(c, tc.r, tc.g, tc.b) || c.A != 255 {
			t.Errorf("pixel (%d,%d) = %v, want ≈ {%d %d %d 255}", tc.x, tc.y, c, tc.r, tc.g, tc.b)
		}
	}

	small := []uint8{135, 164, 177, 161, 173, 177, 181, 180, 171, 160, 172, 174, 124, 154, 169, 148, 148, 154, 164, 145, 134, 146, 152, 155, 124, 144, 154, 144, 134, 132, 163, 130, 104, 148, 140, 134}
	checkImage(t, hash, 4, 3, 1, small)
	// The TypeScript decoder ORs punch with 1, so its punch 2 is punch 3.
	punched := []uint8{91, 187, 221, 180, 210, 219, 227, 225, 208, 176, 207, 214, 0, 163, 203, 140, 145, 164, 188, 134, 96, 137, 155, 165, 0, 131, 164, 129, 92, 87, 185, 70, 0, 141, 116, 95}
	checkImage(t, hash, 4, 3, 3, punched)
	other := []uint8{94, 90, 84, 100, 96, 87, 121, 118, 102, 143, 140, 123, 143, 140, 126, 115, 111, 105, 102, 98, 86, 108, 104, 91, 133, 130, 115, 161, 159, 142, 162, 160, 145, 128, 124, 114, 110, 106, 87, 109, 106, 89, 133, 130, 117, 173, 171, 155, 181, 179, 162, 140, 137, 124, 108, 104, 86, 86, 80, 66, 85, 79, 73, 143, 140, 128, 166, 164, 150, 132, 129, 121}
	checkImage(t, "LFE.@D9F01_2%L%MIVD*9Goe-;WB", 6, 4, 1, other)
}

func near(c color.NRGBA, r, g, b uint8) bool {
	d := func(a, b uint8) int { return int(a) - int(b) }
	abs := func(v int) int { return max(v, -v) }
	return abs(d(c.R, r)) <= 1 && abs(d(c.G, g)) <= 1 && abs(d(c.B, b)) <= 1
}

func checkImage(t *testing.T, hash string, w, h int, punch float64, want []uint8) {
	t.Helper()
	img, err := decode(hash, w, h, punch)
	if err != nil {
		t.Fatal(err)
	}
	for p := range w * h {
		c := img.NRGBAAt(p%w, p/w)
		if !near(c, want[3*p], want[3*p+1], want[3*p+2]) {
			t.Errorf("%s %dx%d punch %v: pixel %d = %v, want ≈ %v", hash, w, h, punch, p, c, want[3*p:3*p+3])
		}
	}
}

func synth(w, h int, f func(x, y int) color.NRGBA) *image.NRGBA {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.SetNRGBA(x, y, f(x, y))
		}
	}
	return img
}

func gradient() *image.NRGBA {
	return synth(32, 24, func(x, y int) color.NRGBA {
		return color.NRGBA{uint8(x * 8 % 256), uint8(y * 10 % 256), uint8(x * y * 3 % 256), 255}
	})
}

// The TypeScript encoder takes the largest signed AC value where the C
// reference (and Mastodon's server, through the Ruby gem) takes the largest
// absolute one; these images are ones where the two agree.
func TestEncodeReference(t *testing.T) {
	leftBright := synth(20, 16, func(x, y int) color.NRGBA { return color.NRGBA{uint8(255 - x*12), uint8(200 - y*10), 120, 255} })
	corner := synth(9, 9, func(x, y int) color.NRGBA {
		return color.NRGBA{uint8(250 - x*20), uint8(250 - y*25), uint8(250 - (x+y)*10), 255}
	})
	halves := synth(30, 10, func(x, y int) color.NRGBA {
		if x < 15 {
			return color.NRGBA{240, 200, 40, 255}
		}
		return color.NRGBA{30, 60, 220, 255}
	})
	tests := []struct {
		name string
		img  image.Image
		x, y int
		want string
	}{
		{"gradient 4x3", leftBright, 4, 3, "L?Igr?|_$5xGt~odjtkAgJfjfQfj"},
		{"corner 3x3", corner, 3, 3, "K|Kwnc}c$8y;t8o3gyf+fR"},
		{"corner 9x9", corner, 9, 9, "||Kwnc}c$8%2w#%2w#%2w#y;t8o3oyjuoyjuoyjugyf+fRf*fRf*fRf*fRx[s:o2ofjuofjuofjugff*fRf*fRf*fRf*fRx[s:o2ofjuoejuoejugMfkfRfkfRfkfRfkfRxuspo2oMjuoLjuoLjugMfkfRfkfRfkfRfkfR"},
		{"halves 4x3", halves, 4, 3, "L~KTcG~Gs*Ixxas*j?WYfQfQfQfQ"},
		{"halves 2x1", halves, 2, 1, "1~KTcG~G"},
		{"average only", gradient(), 1, 1, "00H27x"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Encode(tt.img, tt.x, tt.y)
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Fatalf("Encode = %s, want %s", got, tt.want)
			}
		})
	}
}

// Image types other than NRGBA take the generic and premultiplied paths and
// must hash the same.
func TestEncodeImageKinds(t *testing.T) {
	src := gradient()
	want, err := Encode(src, 4, 3)
	if err != nil {
		t.Fatal(err)
	}
	rgba := image.NewRGBA(src.Bounds())
	ycc := image.NewRGBA64(src.Bounds())
	for y := range 24 {
		for x := range 32 {
			rgba.Set(x, y, src.At(x, y))
			ycc.Set(x, y, src.At(x, y))
		}
	}
	// A sub-image whose bounds do not start at the origin.
	big := image.NewNRGBA(image.Rect(-5, -5, 40, 40))
	for y := range 24 {
		for x := range 32 {
			big.SetNRGBA(x+3, y+2, src.NRGBAAt(x, y))
		}
	}
	sub := big.SubImage(image.Rect(3, 2, 35, 26))
	for name, img := range map[string]image.Image{"RGBA": rgba, "RGBA64": ycc, "SubImage": sub} {
		got, err := Encode(img, 4, 3)
		if err != nil || got != want {
			t.Errorf("%s: Encode = %s, %v; want %s", name, got, err, want)
		}
	}
}

// Encoding a decoded hash gives the hash back (or one within a quantisation
// step of it): the round trip loses nothing the hash holds.
func TestRoundTrip(t *testing.T) {
	for _, hash := range []string{"LEHV6nWB2yk8pyo0adR*.7kCMdnj", "LFE.@D9F01_2%L%MIVD*9Goe-;WB", "00H27x", "K|Kwnc}c$8y;t8o3gyf+fR"} {
		x, y, err := Components(hash)
		if err != nil {
			t.Fatal(err)
		}
		img, err := decode(hash, 64, 48, 1)
		if err != nil {
			t.Fatal(err)
		}
		got, err := Encode(img, x, y)
		if err != nil {
			t.Fatal(err)
		}
		a, _ := parse(hash, 1)
		b, _ := parse(got, 1)
		for i := range a.Colors {
			for ch := range 3 {
				if d := math.Abs(a.Colors[i][ch] - b.Colors[i][ch]); d > 0.05 {
					t.Errorf("%s → %s: component %d channel %d differs by %.3f", hash, got, i, ch, d)
				}
			}
		}
		if got[0] != hash[0] {
			t.Errorf("%s → %s: size changed", hash, got)
		}
	}
}

func TestAverageColourMatchesDC(t *testing.T) {
	// The mean of a decoded image (in linear light) is the hash's average
	// colour: every other component integrates to zero.
	c, err := parse("LEHV6nWB2yk8pyo0adR*.7kCMdnj", 1)
	if err != nil {
		t.Fatal(err)
	}
	lin, err := c.linear(64, 64)
	if err != nil {
		t.Fatal(err)
	}
	var sum [3]float64
	for p := range 64 * 64 {
		for ch := range 3 {
			sum[ch] += lin[3*p+ch]
		}
	}
	for ch := range 3 {
		// Sampled cosines do not sum exactly to zero, hence the tolerance.
		if d := math.Abs(sum[ch]/(64*64) - c.Colors[0][ch]); d > 5e-3 {
			t.Errorf("channel %d: mean %.6f, average colour %.6f", ch, sum[ch]/(64*64), c.Colors[0][ch])
		}
	}
	// The average colour's digits give 8-bit sRGB that survives the trip
	// through linear light.
	dc, _ := decode83("HV6n")
	if toSRGB(c.Colors[0][0]) != uint8(dc>>16) || toSRGB(c.Colors[0][2]) != uint8(dc) {
		t.Errorf("DC %06x does not survive sRGB→linear→sRGB", dc)
	}
}

func TestLinearToSRGBTableMatchesFormula(t *testing.T) {
	steps := srgbSteps()
	for s, v := range steps {
		if got := linearToSRGBFormula(v); int(got) != s+1 {
			t.Fatalf("step %d at %v gives %d", s+1, v, got)
		}
		if below := math.Nextafter(v, 0); int(linearToSRGBFormula(below)) != s {
			t.Fatalf("just below step %d the formula gives %d", s+1, linearToSRGBFormula(below))
		}
	}
	for i := range 200000 {
		v := float64(i)/199999*1.2 - 0.1
		if toSRGB(v) != linearToSRGBFormula(v) {
			t.Fatalf("toSRGB(%v) = %d, formula %d", v, toSRGB(v), linearToSRGBFormula(v))
		}
	}
}

func TestSRGBConversions(t *testing.T) {
	for v := range 256 {
		if got := toSRGB(toLinear(uint8(v))); got != uint8(v) {
			t.Errorf("toSRGB(toLinear(%d)) = %d", v, got)
		}
	}
	if toSRGB(-1) != 0 || toSRGB(2) != 255 || toSRGB(math.NaN()) != 0 {
		t.Error("toSRGB does not clamp")
	}
	if toLinear(255) != 1 || toLinear(0) != 0 {
		t.Error("toLinear endpoints")
	}
}

func TestInvalidHashes(t *testing.T) {
	tests := []struct{ hash, msg string }{
		{"", "at least 6"},
		{"LEHV6", "at least 6"},
		{"LEHV6nWB2yk8pyo0adR*.7kCMdn", "want 28"},
		{"LEHV6nWB2yk8pyo0adR*.7kCMdnjj", "want 28"},
		{" EHV6nWB2yk8pyo0adR*.7kCMdnj", "size flag"},
		{"L\"HV6nWB2yk8pyo0adR*.7kCMdnj", "maximum-value"},
		{"LEHV6nWB2yk8pyo0adR*.7kCMdné"[:28], "not base-83"},
		{"LE~~~~WB2yk8pyo0adR*.7kCMdnj", "out of range"},
		{"LEHV6n~~2yk8pyo0adR*.7kCMdnj", "out of range"},
		{"LEHV6nWB2yk8pyo0adR*.7kCMd\x00j", "not base-83"},
		{"~" + strings.Repeat("0", 5), "more than 9"},
	}
	for _, tt := range tests {
		_, err := parse(tt.hash, 1)
		if !errors.Is(err, ErrInvalid) {
			t.Errorf("parse(%q) err = %v, want ErrInvalid", tt.hash, err)
			continue
		}
		if !strings.Contains(err.Error(), tt.msg) {
			t.Errorf("parse(%q) err = %q, want it to mention %q", tt.hash, err, tt.msg)
		}
	}
}

func TestBadArguments(t *testing.T) {
	const hash = "LEHV6nWB2yk8pyo0adR*.7kCMdnj"
	for _, sz := range [][2]int{{0, 5}, {5, 0}, {-1, 5}, {1 << 13, 1 << 13}, {MaxPixels + 1, 1}} {
		if _, err := decode(hash, sz[0], sz[1], 1); !errors.Is(err, ErrInvalid) {
			t.Errorf("Decode %v: err = %v", sz, err)
		}
	}
	img := gradient()
	for _, c := range [][2]int{{0, 3}, {4, 0}, {10, 3}, {4, 10}} {
		if _, err := Encode(img, c[0], c[1]); !errors.Is(err, ErrInvalid) {
			t.Errorf("Encode components %v: err = %v", c, err)
		}
	}
	if _, err := Encode(image.NewNRGBA(image.Rect(0, 0, 0, 5)), 4, 3); !errors.Is(err, ErrInvalid) {
		t.Errorf("Encode empty image: %v", err)
	}
	if _, err := Encode(nil, 4, 3); !errors.Is(err, ErrInvalid) {
		t.Errorf("Encode nil: %v", err)
	}
	// Punch ≤ 0 or not finite means no punch.
	a, _ := decode(hash, 4, 3, 1)
	for _, p := range []float64{0, -2, math.NaN(), math.Inf(1)} {
		b, err := decode(hash, 4, 3, p)
		if err != nil || string(a.Pix) != string(b.Pix) {
			t.Errorf("punch %v changed the image or failed: %v", p, err)
		}
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{"LEHV6nWB2yk8pyo0adR*.7kCMdnj", "00H27x", "|DH27x30|VO%a@tJN:$^Jgy]NEn}aLfRj1a}j2b0h4fgfSfnfTfnfUfnfR#RNuo4a*fTjca^jXa]ekf6fUfAfRf4fNf4fR$^OEo5bIfOj:a^j=b2e8fAfUf5fMf4fUfBfT%FOGo3bDfNj]b1j]a]e9fAfSf3fPfBfUf2fM", "", "~~~~~~"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, hash string) {
		c, err := parse(hash, 1)
		if err != nil {
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("error %v is not ErrInvalid", err)
			}
			return
		}
		if len(c.Colors) != c.X*c.Y || c.X < 1 || c.X > 9 || c.Y < 1 || c.Y > 9 {
			t.Fatalf("bad components %d×%d with %d colours", c.X, c.Y, len(c.Colors))
		}
		img, err := c.render(8, 6)
		if err != nil {
			t.Fatal(err)
		}
		// A valid hash re-encodes to a valid hash of the same size.
		again, err := Encode(img, c.X, c.Y)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := parse(again, 1); err != nil || again[0] != hash[0] {
			t.Fatalf("re-encoded %q → %q: %v", hash, again, err)
		}
	})
}

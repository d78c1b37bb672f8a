package blurhash

import (
	"errors"
	"image"
	"image/color"
	"math"
	"testing"
)

const referenceBlurhash = "LEHV6nWB2yk8pyo0adR*.7kCMdnj"

func TestDecode(t *testing.T) {
	img, err := Decode(referenceBlurhash, 32, 32, nil)
	if err != nil {
		t.Fatal(err)
	}
	if b := img.Bounds(); b.Dx() != 32 || b.Dy() != 32 {
		t.Fatalf("bounds = %v", b)
	}
	// First pixel of the reference hash at 32×32, from the reference
	// TypeScript decoder: {135 164 177}.
	if c := img.NRGBAAt(0, 0); absDiff(c.R, 135) > 1 || absDiff(c.G, 164) > 1 || absDiff(c.B, 177) > 1 || c.A != 255 {
		t.Fatalf("pixel (0,0) = %v, want ≈ {135 164 177 255}", c)
	}
	punched, err := Decode(referenceBlurhash, 4, 3, &DecodeOptions{Punch: 3})
	if err != nil {
		t.Fatal(err)
	}
	if c := punched.NRGBAAt(0, 0); absDiff(c.R, 91) > 1 || absDiff(c.G, 187) > 1 || absDiff(c.B, 221) > 1 {
		t.Fatalf("punched pixel (0,0) = %v, want ≈ {91 187 221}", c)
	}
}

func absDiff(a, b uint8) int { return max(int(a)-int(b), int(b)-int(a)) }

func TestDecodePixels(t *testing.T) {
	srgb, err := DecodePixels(referenceBlurhash, 4, 3, false)
	if err != nil {
		t.Fatal(err)
	}
	if len(srgb) != 3 || len(srgb[0]) != 4 {
		t.Fatalf("shape = %d rows of %d, want 3 rows of 4", len(srgb), len(srgb[0]))
	}
	want := [3][4][3]float64{
		{{135, 164, 177}, {161, 173, 177}, {181, 180, 171}, {160, 172, 174}},
		{{124, 154, 169}, {148, 148, 154}, {164, 145, 134}, {146, 152, 155}},
		{{124, 144, 154}, {144, 134, 132}, {163, 130, 104}, {148, 140, 134}},
	}
	lin, err := DecodePixels(referenceBlurhash, 4, 3, true)
	if err != nil {
		t.Fatal(err)
	}
	for y := range 3 {
		for x := range 4 {
			for ch := range 3 {
				if d := math.Abs(srgb[y][x][ch] - want[y][x][ch]); d > 1 {
					t.Errorf("sRGB [%d][%d][%d] = %v, want ≈ %v", y, x, ch, srgb[y][x][ch], want[y][x][ch])
				}
				l := lin[y][x][ch]
				if l < 0 || l > 1 {
					t.Errorf("linear [%d][%d][%d] = %v outside [0,1]", y, x, ch, l)
				}
				// Linear and sRGB outputs describe the same colour.
				if d := math.Abs(srgbOf(l) - srgb[y][x][ch]); d > 0.5 {
					t.Errorf("linear %v is sRGB %.1f, sRGB output says %v", l, srgbOf(l), srgb[y][x][ch])
				}
			}
		}
	}
	// Rows do not share backing arrays past their ends.
	lin[0] = append(lin[0], [3]float64{9, 9, 9})
	if lin[1][0] == [3]float64{9, 9, 9} {
		t.Fatal("appending to a row overwrote the next row")
	}
}

func srgbOf(v float64) float64 {
	if v <= 0.0031308 {
		return math.Floor(v*12.92*255 + 0.5)
	}
	return math.Floor((1.055*math.Pow(v, 1/2.4)-0.055)*255 + 0.5)
}

func TestComponents(t *testing.T) {
	for hash, want := range map[string][2]int{
		referenceBlurhash:        {4, 3},
		"00H27x":                 {1, 1},
		"K|Kwnc}c$8y;t8o3gyf+fR": {3, 3},
	} {
		x, y, err := Components(hash)
		if err != nil || x != want[0] || y != want[1] {
			t.Errorf("Components(%q) = %d, %d, %v; want %v", hash, x, y, err, want)
		}
	}
}

func TestEncodeHalves(t *testing.T) {
	img := image.NewNRGBA(image.Rect(0, 0, 30, 10))
	for y := range 10 {
		for x := range 30 {
			c := color.NRGBA{30, 60, 220, 255}
			if x < 15 {
				c = color.NRGBA{240, 200, 40, 255}
			}
			img.SetNRGBA(x, y, c)
		}
	}
	got, err := Encode(img, 4, 3)
	if err != nil {
		t.Fatal(err)
	}
	if got != "L~KTcG~Gs*Ixxas*j?WYfQfQfQfQ" {
		t.Fatalf("Encode = %s", got)
	}
	// Round trip: decode it and the left half stays yellow, the right blue.
	back, err := Decode(got, 30, 10, nil)
	if err != nil {
		t.Fatal(err)
	}
	if l, r := back.NRGBAAt(2, 5), back.NRGBAAt(27, 5); l.R < 180 || l.B > 120 || r.B < 150 || r.R > 100 {
		t.Fatalf("round trip lost the halves: left %v right %v", l, r)
	}
}

func TestPublicErrors(t *testing.T) {
	checks := map[string]error{}
	_, checks["short hash"] = Decode("LEHV", 4, 4, nil)
	_, checks["bad character"] = Decode("LEHV6nWB2yk8pyo0adR*.7kCMdn\"", 4, 4, nil)
	_, checks["zero size"] = Decode(referenceBlurhash, 0, 4, nil)
	_, checks["pixels short hash"] = DecodePixels("x", 4, 4, true)
	_, checks["pixels huge size"] = DecodePixels(referenceBlurhash, 1<<20, 1<<20, true)
	_, _, checks["components"] = Components("LEHV6nWB")
	_, checks["encode components"] = Encode(image.NewNRGBA(image.Rect(0, 0, 2, 2)), 0, 3)
	for name, err := range checks {
		if !errors.Is(err, ErrInvalid) {
			t.Errorf("%s: err = %v, want ErrInvalid", name, err)
		}
	}
}

func FuzzDecodeHash(f *testing.F) {
	f.Add(referenceBlurhash, uint8(8), uint8(6))
	f.Add("00H27x", uint8(1), uint8(1))
	f.Add("|DH27x30|VO%a@tJN", uint8(3), uint8(3))
	f.Fuzz(func(t *testing.T, hash string, w, h uint8) {
		img, err := Decode(hash, int(w%32), int(h%32), nil)
		if err != nil {
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("error %v is not ErrInvalid", err)
			}
			return
		}
		if img.Bounds().Dx() != int(w%32) || img.Bounds().Dy() != int(h%32) {
			t.Fatalf("bounds %v", img.Bounds())
		}
		px, err := DecodePixels(hash, int(w%32), int(h%32), false)
		if err != nil {
			t.Fatalf("image decoded but pixels failed: %v", err)
		}
		if c := img.NRGBAAt(0, 0); float64(c.R) != px[0][0][0] {
			t.Fatalf("image %v and pixels %v disagree", c, px[0][0])
		}
	})
}

func BenchmarkDecode32(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Decode(referenceBlurhash, 32, 32, nil); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkEncode320x240(b *testing.B) {
	img := image.NewNRGBA(image.Rect(0, 0, 320, 240))
	for i := range img.Pix {
		img.Pix[i] = uint8(i * 7)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Encode(img, 4, 3); err != nil {
			b.Fatal(err)
		}
	}
}

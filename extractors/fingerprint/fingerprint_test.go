package fingerprint_test

import (
	"bytes"
	"errors"
	"image"
	"image/color"
	"image/draw"
	"math/bits"
	"math/rand/v2"
	"testing"

	"github.com/pervichka/pervichka/extractors/fingerprint"
)

// page draws a white sheet with dark "text lines" whose lengths follow seed.
func page(seed uint64, w, h int) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	draw.Draw(img, img.Bounds(), image.NewUniform(color.White), image.Point{}, draw.Src)
	r := rand.New(rand.NewPCG(seed, 1))
	for i := range 24 {
		y := h/10 + i*h/30
		n := w * (10 + r.IntN(70)) / 100
		draw.Draw(img, image.Rect(w/10, y, w/10+n, y+h/80+1), image.NewUniform(color.Black), image.Point{}, draw.Src)
	}
	return img
}

func of(t *testing.T, img image.Image) fingerprint.Fingerprint {
	t.Helper()
	fp, err := fingerprint.Of(img)
	if err != nil {
		t.Fatal(err)
	}
	return fp
}

// TestPixelTypes: every decoded type gives the same fingerprint for the
// same picture, so a PNG and a JPEG of one page are compared fairly.
func TestPixelTypes(t *testing.T) {
	src := page(1, 400, 560)
	gray := image.NewGray(src.Bounds())
	draw.Draw(gray, gray.Bounds(), src, image.Point{}, draw.Src)
	nrgba := image.NewNRGBA(src.Bounds())
	draw.Draw(nrgba, nrgba.Bounds(), src, image.Point{}, draw.Src)
	ycc := image.NewYCbCr(src.Bounds(), image.YCbCrSubsampleRatio420)
	for y := range 560 {
		for x := range 400 {
			ycc.Y[ycc.YOffset(x, y)] = gray.GrayAt(x, y).Y
		}
	}
	// A sub-image starts off the origin: the rows must still line up.
	big := image.NewGray(image.Rect(0, 0, 500, 700))
	draw.Draw(big, image.Rect(50, 70, 450, 630), gray, image.Point{}, draw.Src)
	sub := big.SubImage(image.Rect(50, 70, 450, 630))
	paletted := image.NewPaletted(src.Bounds(), color.Palette{color.Black, color.White})
	draw.Draw(paletted, paletted.Bounds(), src, image.Point{}, draw.Src)
	want := of(t, src)
	for _, tc := range []struct {
		name string
		img  image.Image
	}{{"gray", gray}, {"nrgba", nrgba}, {"ycbcr", ycc}, {"subimage", sub}, {"paletted (generic)", paletted}} {
		t.Run(tc.name, func(t *testing.T) {
			got := of(t, tc.img)
			if got.Hash != want.Hash || got.Thumb != want.Thumb {
				t.Errorf("fingerprint differs from the RGBA one's: hash %016x vs %016x, distance %.4f",
					got.Hash, want.Hash, fingerprint.Distance(got, want))
			}
		})
	}
}

func TestDistance(t *testing.T) {
	white := image.NewGray(image.Rect(0, 0, 100, 100))
	draw.Draw(white, white.Bounds(), image.NewUniform(color.White), image.Point{}, draw.Src)
	for _, tc := range []struct {
		name     string
		a, b     image.Image
		min, max float64
	}{
		{"itself", page(1, 600, 800), page(1, 600, 800), 0, 0},
		{"half size", page(1, 1200, 1600), page(1, 600, 800), 0, 0.05},
		{"other lines", page(1, 600, 800), page(2, 600, 800), 0.3, 2},
		{"flat and flat", white, white, 1, 1}, // blank pages are never one picture
		{"flat and print", white, page(1, 600, 800), 1, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := fingerprint.Distance(of(t, tc.a), of(t, tc.b))
			if d < tc.min || d > tc.max {
				t.Errorf("distance %.4f, want in [%.2f, %.2f]", d, tc.min, tc.max)
			}
		})
	}
}

func TestOfTooSmall(t *testing.T) {
	if _, err := fingerprint.Of(image.NewGray(image.Rect(0, 0, 8, 8))); err == nil {
		t.Error("an 8×8 image has no 9×8 hash, yet no error")
	}
}

// TestBands: any hash within MaxHashDistance of another shares a band with
// it, and the bands together are the whole hash.
func TestBands(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 7))
	for range 20000 {
		a := fingerprint.Fingerprint{Hash: r.Uint64()}
		b := a
		for bits.OnesCount64(a.Hash^b.Hash) < 1+r.IntN(fingerprint.MaxHashDistance) {
			b.Hash ^= 1 << r.IntN(64)
		}
		ba, bb := a.Bands(), b.Bands()
		shared := false
		for i := range ba {
			shared = shared || ba[i] == bb[i]
		}
		if !shared {
			t.Fatalf("%016x and %016x (distance %d) share no band", a.Hash, b.Hash, fingerprint.HashDistance(a, b))
		}
		if got := fingerprint.HashFromBands(ba); got != a.Hash {
			t.Fatalf("hash %016x from its bands is %016x", a.Hash, got)
		}
	}
}

func TestEncoding(t *testing.T) {
	fp := of(t, page(3, 300, 400))
	b, err := fp.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	var back fingerprint.Fingerprint
	if err := back.UnmarshalBinary(b); err != nil {
		t.Fatal(err)
	}
	if back != fp {
		t.Error("round trip changed the fingerprint")
	}
	for _, tc := range []struct {
		name string
		b    []byte
	}{
		{"empty", nil},
		{"short", b[:len(b)-1]},
		{"long", append(bytes.Clone(b), 0)},
		{"version", append([]byte{2}, b[1:]...)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if err := back.UnmarshalBinary(tc.b); !errors.Is(err, fingerprint.ErrEncoding) {
				t.Errorf("err = %v, want ErrEncoding", err)
			}
		})
	}
}

// FuzzUnmarshalBinary: stored bytes never panic, and what decodes encodes
// back to the same bytes.
func FuzzUnmarshalBinary(f *testing.F) {
	b, _ := fingerprint.Fingerprint{Hash: 42}.MarshalBinary()
	f.Add(b)
	f.Add([]byte{1})
	f.Fuzz(func(t *testing.T, b []byte) {
		var fp fingerprint.Fingerprint
		if err := fp.UnmarshalBinary(b); err != nil {
			return
		}
		again, err := fp.MarshalBinary()
		if err != nil || !bytes.Equal(again, b) {
			t.Fatalf("re-encoding differs: %v", err)
		}
		_ = fingerprint.Distance(fp, fp)
	})
}

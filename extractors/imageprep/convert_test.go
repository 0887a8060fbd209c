package imageprep

import (
	"image"
	"image/color"
	"testing"
)

// Blue and violet ink (stamps, signatures) is mixed up to the paper's level
// so that flattening removes it; red and maroon ink is printed text — the
// bank grid of some 1C bills — and must stay dark (real-dev, issue 14).
func TestConvertKeepsRedInk(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name  string
		c     color.RGBA
		light bool // ends near the paper's level
	}{
		{"paper", color.RGBA{225, 220, 215, 255}, true},
		{"black text", color.RGBA{40, 40, 45, 255}, false},
		{"blue stamp", color.RGBA{70, 90, 190, 255}, true},
		{"violet stamp", color.RGBA{120, 70, 150, 255}, true},
		{"blue pen", color.RGBA{40, 60, 150, 255}, true},
		{"red print", color.RGBA{170, 50, 60, 255}, false},
		{"maroon print", color.RGBA{120, 40, 50, 255}, false},
	} {
		img := image.NewRGBA(image.Rect(0, 0, 16, 16))
		for i := 0; i < len(img.Pix); i += 4 {
			img.Pix[i], img.Pix[i+1], img.Pix[i+2], img.Pix[i+3] = tc.c.R, tc.c.G, tc.c.B, tc.c.A
		}
		p := &enhancer{}
		p.convert(img, true)
		v := p.gray.Pix[0]
		if light := v >= 180; light != tc.light {
			t.Errorf("%s %v: gray %d, want light %v", tc.name, tc.c, v, tc.light)
		}
	}
}

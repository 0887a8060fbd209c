package tesseract

import (
	"image"
	"math/rand/v2"
	"testing"

	"golang.org/x/image/draw"
)

// bilinearGray must give what draw.ApproxBiLinear gave, pixel for pixel:
// the probes' turns and the thresholds chosen on them were measured with
// it. Sources are random (every grey level, sharp edges), of odd sizes,
// offset sub-images, reduced and enlarged.
func TestBilinearGrayMatchesDraw(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, tc := range []struct{ sw, sh, dw, dh int }{
		{1600, 1200, 1200, 900}, {1201, 1707, 844, 1200}, {37, 53, 11, 17},
		{5, 3, 2, 1}, {100, 80, 173, 139}, {1, 1, 3, 2}, {640, 480, 640, 479},
	} {
		big := image.NewGray(image.Rect(0, 0, tc.sw+7, tc.sh+5))
		for i := range big.Pix {
			big.Pix[i] = uint8(rng.IntN(256))
			if rng.IntN(4) == 0 {
				big.Pix[i] = 0
			}
		}
		for _, g := range []*image.Gray{
			big.SubImage(image.Rect(0, 0, tc.sw, tc.sh)).(*image.Gray),
			big.SubImage(image.Rect(7, 5, tc.sw+7, tc.sh+5)).(*image.Gray),
		} {
			want := image.NewGray(image.Rect(0, 0, tc.dw, tc.dh))
			draw.ApproxBiLinear.Scale(want, want.Rect, g, g.Rect, draw.Src, nil)
			got := bilinearGray(g, tc.dw, tc.dh)
			if got.Rect != want.Rect {
				t.Fatalf("%v → %dx%d: bounds %v, want %v", g.Rect, tc.dw, tc.dh, got.Rect, want.Rect)
			}
			diff := 0
			for i := range want.Pix {
				if got.Pix[i] != want.Pix[i] {
					diff++
				}
			}
			if diff > 0 {
				t.Errorf("%v → %dx%d: %d of %d pixels differ from draw.ApproxBiLinear", g.Rect, tc.dw, tc.dh, diff, len(want.Pix))
			}
		}
	}
}

func BenchmarkShrink(b *testing.B) {
	g := image.NewGray(image.Rect(0, 0, 3000, 4200))
	rng := rand.New(rand.NewPCG(3, 4))
	for i := range g.Pix {
		g.Pix[i] = uint8(rng.IntN(256))
	}
	b.Run("bilinearGray", func(b *testing.B) {
		for b.Loop() {
			bilinearGray(g, 1143, 1600)
		}
	})
	b.Run("draw.ApproxBiLinear", func(b *testing.B) {
		for b.Loop() {
			dst := image.NewGray(image.Rect(0, 0, 1143, 1600))
			draw.ApproxBiLinear.Scale(dst, dst.Rect, g, g.Rect, draw.Src, nil)
		}
	})
}

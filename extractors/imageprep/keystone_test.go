package imageprep

import (
	"context"
	"image"
	"image/color"
	"math"
	"testing"
)

// BlobPage draws 27 lines of word-like blobs (capitals 24 px, the size
// rescale aims at) on a 2400×1800 page: their baselines bow by bow px
// towards the edges, as a curled sheet's do, and tilt about the centre
// column from topDeg at the top line to bottomDeg at the bottom one, as a
// slanted sheet's fan. Exported for the package's external tests
// (dewarp_test.go); it is compiled only into test binaries.
func BlobPage(bow, topDeg, bottomDeg float64) *image.Gray {
	w, h := 2400, 1800
	g := image.NewGray(image.Rect(0, 0, w, h))
	for i := range g.Pix {
		g.Pix[i] = 250
	}
	cx := float64(w) / 2
	first, last := 120, 120+26*60
	for y0 := first; y0 <= last; y0 += 60 {
		f := float64(y0-first) / float64(last-first)
		t := math.Tan((topDeg + (bottomDeg-topDeg)*f) * math.Pi / 180)
		for x := 80; x+20 < w-80; x += 22 {
			if (x/22)%7 == 6 {
				continue
			}
			dx := (float64(x) - cx) / cx
			top := float64(y0) + bow*dx*dx + (float64(x)-cx)*t
			for y := int(top); y < int(top)+24; y++ {
				for xx := x; xx < x+16; xx++ {
					g.SetGray(xx, y, color.Gray{Y: 30})
				}
			}
		}
	}
	return g
}

// fanned is a flat page whose lines fan from topDeg to bottomDeg.
func fanned(topDeg, bottomDeg float64) *image.Gray { return BlobPage(0, topDeg, bottomDeg) }

// keystone levels lines that fan out from the top of the page to the
// bottom, and leaves alone a page whose lines fan a little, share one tilt
// (deskew's business) or lie level.
func TestKeystone(t *testing.T) {
	t.Parallel()
	const capH = 24.0
	for _, tc := range []struct {
		name     string
		img      *image.Gray
		want     bool
		residual float64 // the largest band tilt after correction, degrees
	}{
		{"fanned 2.5°", fanned(-2.5, 0), true, 0.3},
		{"fanned the other way", fanned(1, -2), true, 0.3},
		// Under keystoneMinSpread: the rows stay apart, resampling would
		// only soften the print.
		{"fanned a little", fanned(0.5, -0.5), false, 0},
		{"one tilt", fanned(-1.5, -1.5), false, 0},
		{"level", fanned(0, 0), false, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			out, spread, err := keystone(context.Background(), tc.img, capH, keystoneMinSpread*capH)
			if err != nil {
				t.Fatal(err)
			}
			if got := out != nil; got != tc.want {
				t.Fatalf("corrected %v (spread %.1f px), want %v", got, spread, tc.want)
			}
			if out == nil {
				return
			}
			if d, ok := maxBandTilt(out); !ok || d > tc.residual {
				t.Errorf("after correction a band tilts %.2f° (ok %v), want at most %.2f°", d, ok, tc.residual)
			}
		})
	}
}

// maxBandTilt is the largest tilt of keystoneBands bands of g.
func maxBandTilt(g *image.Gray) (float64, bool) {
	xs, ys := glyphPoints(g, 24)
	h := float64(g.Rect.Dy())
	worst := 0.0
	for b := range keystoneBands {
		y0, y1 := h*float64(b)/keystoneBands, h*float64(b+1)/keystoneBands
		var bx, by []float64
		for i := range xs {
			if ys[i] >= y0 && ys[i] < y1 {
				bx, by = append(bx, xs[i]), append(by, ys[i])
			}
		}
		if len(bx) < keystoneMinPoints {
			continue
		}
		d, peak := skewOfPoints(bx, by, g.Rect.Dx(), g.Rect.Dy())
		if peak < minSkewPeak {
			return 0, false
		}
		worst = max(worst, math.Abs(d))
	}
	return worst, true
}

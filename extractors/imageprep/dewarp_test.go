package imageprep_test

import (
	"context"
	"image"
	"image/color"
	"slices"
	"testing"

	"github.com/pervichka/pervichka/extractors/dewarp"
	"github.com/pervichka/pervichka/extractors/imageprep"
)

// curled draws 24 lines of word-like blobs (capitals 24 px, the size
// rescale aims at) whose baselines bow by bow px, as a curled sheet's do.
func curled(bow float64) *image.Gray {
	w, h := 2400, 1800
	g := image.NewGray(image.Rect(0, 0, w, h))
	for i := range g.Pix {
		g.Pix[i] = 250
	}
	cx := float64(w) / 2
	for y0 := 120; y0+60 < h; y0 += 60 {
		for x := 80; x+20 < w-80; x += 22 {
			if (x/22)%7 == 6 {
				continue
			}
			dx := (float64(x) - cx) / cx
			top := float64(y0) + bow*dx*dx
			for y := int(top); y < int(top)+24; y++ {
				for xx := x; xx < x+16; xx++ {
					g.SetGray(xx, y, color.Gray{Y: 30})
				}
			}
		}
	}
	return g
}

// The dewarp step straightens a curled photo's lines with the real
// (Leptonica) model, leaves a flat one and a flatbed scan alone, and is
// skipped without a Dewarper.
func TestEnhanceDewarp(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name     string
		img      *image.Gray
		dpi      float64
		dewarper imageprep.Dewarper
		want     bool
	}{
		{"curled photo", curled(60), 0, dewarp.Dewarper{}, true},
		{"curled page of a scanner app's PDF", curled(60), 109, dewarp.Dewarper{}, true},
		{"flat photo", curled(0), 0, dewarp.Dewarper{}, false},
		{"flatbed scan", curled(60), 300, dewarp.Dewarper{}, false},
		{"no dewarper", curled(60), 0, nil, false},
	} {
		out, err := imageprep.Enhance(context.Background(), tc.img, imageprep.Options{Dewarper: tc.dewarper, SourceDPI: tc.dpi})
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if got := slices.Contains(out.Applied, imageprep.StepDewarp); got != tc.want {
			t.Errorf("%s: dewarped %v, want %v (applied %v)", tc.name, got, tc.want, out.Applied)
		}
	}
}

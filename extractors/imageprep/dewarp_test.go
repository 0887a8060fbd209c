package imageprep_test

import (
	"context"
	"image"
	"slices"
	"testing"

	"github.com/pervichka/pervichka/extractors/dewarp"
	"github.com/pervichka/pervichka/extractors/imageprep"
)

// curled is a page whose lines bow by bow px (imageprep.BlobPage).
func curled(bow float64) *image.Gray { return imageprep.BlobPage(bow, 0, 0) }

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

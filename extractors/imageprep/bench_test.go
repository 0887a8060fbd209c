package imageprep

import (
	"context"
	"image"
	"testing"
	"time"
)

// BenchmarkEnhance times the whole pipeline on a 1400-px messenger photo
// and a 200-dpi scan, then each step on the photo as the pipeline hands it
// over (steps before it applied).
func BenchmarkEnhance(b *testing.B) {
	photo := makePhoto(b, defaultPhoto(42)).img
	scan, _ := makeScan(b, 43, 1.2)
	for name, img := range map[string]image.Image{"photo1400": photo, "scan200dpi": scan} {
		b.Run(name+"/all", func(b *testing.B) {
			for b.Loop() {
				if _, err := Enhance(context.Background(), img, Options{}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	b.Run("photo1400/convert", func(b *testing.B) {
		for b.Loop() {
			p := &enhancer{}
			p.convert(photo, true)
		}
	})
	base := &enhancer{ctx: context.Background(), log: discard(), timings: map[string]time.Duration{}}
	base.convert(photo, true)
	steps := map[string]func(*enhancer) (bool, error){
		StepSheet: (*enhancer).sheet, StepOrient: (*enhancer).orient, StepDeskew: (*enhancer).deskew,
		StepFlatten: (*enhancer).flatten, StepDeblock: (*enhancer).deblock, StepRescale: (*enhancer).rescale,
		StepDewarp: (*enhancer).dewarp, StepBinarize: (*enhancer).binarize,
	}
	for _, s := range Steps {
		b.Run("photo1400/"+s, func(b *testing.B) {
			for b.Loop() {
				p := *base
				if _, err := steps[s](&p); err != nil {
					b.Fatal(err)
				}
			}
		})
		if _, err := steps[s](base); err != nil {
			b.Fatal(err)
		}
	}
}

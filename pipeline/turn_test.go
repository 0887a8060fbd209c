package pipeline

import (
	"image"
	"image/color"
	"testing"
)

// TestTurnClockwise: each quarter turn moves a marked corner where a
// clockwise turn puts it, and swaps the sides, for a grey picture and a
// colour one not at the origin.
func TestTurnClockwise(t *testing.T) {
	grey := image.NewGray(image.Rect(0, 0, 3, 2)) // 3 wide, 2 high
	grey.SetGray(0, 0, color.Gray{Y: 200})        // top-left marked
	colour := image.NewNRGBA(image.Rect(5, 5, 8, 7))
	colour.Set(5, 5, color.NRGBA{200, 200, 200, 255})
	for _, src := range []image.Image{grey, colour} {
		for _, tt := range []struct {
			q          int
			w, h, x, y int // size after, and where the mark lands
		}{
			{1, 2, 3, 1, 0}, // top-left → top-right
			{2, 3, 2, 2, 1}, // → bottom-right
			{3, 2, 3, 0, 2}, // → bottom-left
		} {
			out := turnClockwise(src, tt.q)
			b := out.Bounds()
			if b.Dx() != tt.w || b.Dy() != tt.h {
				t.Errorf("%T q=%d: %dx%d, want %dx%d", src, tt.q, b.Dx(), b.Dy(), tt.w, tt.h)
				continue
			}
			if r, _, _, _ := out.At(tt.x, tt.y).RGBA(); r>>8 != 200 {
				t.Errorf("%T q=%d: the mark is not at (%d,%d)", src, tt.q, tt.x, tt.y)
			}
		}
	}
}

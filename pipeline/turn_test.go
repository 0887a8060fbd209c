package pipeline

import (
	"image"
	"image/color"
	"testing"
)

// TestTurnClockwise: each quarter turn moves a marked corner where a
// clockwise turn puts it, and swaps the sides.
func TestTurnClockwise(t *testing.T) {
	src := image.NewGray(image.Rect(0, 0, 3, 2)) // 3 wide, 2 high
	src.SetGray(0, 0, color.Gray{Y: 200})        // top-left marked
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
			t.Errorf("q=%d: %dx%d, want %dx%d", tt.q, b.Dx(), b.Dy(), tt.w, tt.h)
			continue
		}
		if r, _, _, _ := out.At(tt.x, tt.y).RGBA(); r>>8 != 200 {
			t.Errorf("q=%d: the mark is not at (%d,%d)", tt.q, tt.x, tt.y)
		}
	}
}

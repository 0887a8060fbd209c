package imageprep

import "testing"

// TestShadowSide paints score grids of a sheet on a table and asks whether
// a side of the sheet's quad is a shadow's edge: a ramp tens of cells wide
// is, a step is not, wherever within a few cells of the side it falls and
// however little the table differs from the paper.
func TestShadowSide(t *testing.T) {
	const w, h = 200, 260
	quad := [4]point{{40, 40}, {160, 40}, {160, 210}, {40, 210}}
	inside := func(x, y, top int) bool { return x >= 40 && x < 160 && y >= top && y < 210 }
	ramp := func(v0, v1 float64, y, y0, y1 int) float64 {
		t := min(1, max(0, float64(y-y0)/float64(y1-y0)))
		return v0 + (v1-v0)*t*t*(3-2*t)
	}
	cases := []struct {
		name  string
		quad  [4]point
		paint func(x, y int) float64
		want  bool
	}{
		{"paper on dark wood", quad, func(x, y int) float64 {
			if inside(x, y, 40) {
				return 200
			}
			return 60
		}, false},
		{"paper on a pale table", quad, func(x, y int) float64 {
			if inside(x, y, 40) {
				return 200
			}
			return 182
		}, false},
		{"paper's edge five cells above the side", quad, func(x, y int) float64 {
			if inside(x, y, 35) {
				return 200
			}
			return 60
		}, false},
		{"paper's edge out of focus", quad, func(x, y int) float64 {
			if x >= 40 && x < 160 && y < 210 {
				return ramp(60, 200, y, 34, 46)
			}
			return 60
		}, false},
		{"a shadow's penumbra across the top", quad, func(x, y int) float64 {
			// Above the region the paper goes on, shaded from the top:
			// the table beside it is brighter than the shaded paper.
			if x >= 40 && x < 160 && y < 210 {
				return ramp(70, 200, y, 10, 70)
			}
			return 120
		}, true},
		{"the sheet's top against the frame", [4]point{{40, 1}, {160, 1}, {160, 210}, {40, 210}}, func(x, y int) float64 {
			if inside(x, y, 0) {
				return ramp(70, 200, y, 0, 40)
			}
			return 60
		}, false},
	}
	for _, c := range cases {
		score := make([]uint8, w*h)
		for y := range h {
			for x := range w {
				score[y*w+x] = sat(int(c.paint(x, y)))
			}
		}
		if got := shadowSide(score, w, h, c.quad); got != c.want {
			t.Errorf("%s: shadowSide = %v, want %v (sides %+v)", c.name, got, c.want, sideSteps(score, w, h, c.quad))
		}
	}
}

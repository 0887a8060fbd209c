package imageprep

import (
	"context"
	"image"
	"math"
	"testing"
)

// ruledPage draws a form: nRules horizontal rules 3 px thick, bowed by bow
// px (a parabola, highest at the edges), with rows of letter-sized blocks
// between them and vertical rules crossing them, on white paper.
func ruledPage(w, h, nRules int, bow float64, withRules bool) *image.Gray {
	return ruledPageOff(w, h, nRules, func(x int) float64 {
		u := (float64(x) - float64(w)/2) / (float64(w) / 2)
		return bow * (1 - u*u)
	}, withRules)
}

// ruledPageOff is ruledPage with every row moved down by off(x) px at
// column x.
func ruledPageOff(w, h, nRules int, off func(x int) float64, withRules bool) *image.Gray {
	return ruledPageAt(w, h, nRules, func(x, _ int) float64 { return off(x) }, withRules)
}

// ruledPageAt is ruledPage with each row moved down by off(x, y) px at
// column x, y being the row's rule's height on the flat page: a fan that
// tilts each row its own way as well as a bow.
func ruledPageAt(w, h, nRules int, off func(x, y int) float64, withRules bool) *image.Gray {
	g := image.NewGray(image.Rect(0, 0, w, h))
	for i := range g.Pix {
		g.Pix[i] = 255
	}
	gap := h / (nRules + 2)
	dark := func(x, y int) {
		if x >= 0 && x < w && y >= 0 && y < h {
			g.Pix[y*g.Stride+x] = 20
		}
	}
	for r := 1; r <= nRules; r++ {
		y0 := r * gap
		for x := w / 10; x < w*9/10; x++ {
			yy := float64(y0) + off(x, y0)
			if withRules {
				for t := range 3 {
					dark(x, int(yy)+t)
				}
			}
			// Letters: 12×18 blocks with 8 px gaps, in the middle of the row.
			if (x/20)%2 == 0 && x%20 < 12 {
				for t := range 18 {
					dark(x, int(yy)+gap/2-9+t)
				}
			}
		}
	}
	if withRules {
		for _, x := range []int{w / 10, w / 3, w * 2 / 3, w*9/10 - 1} {
			for r := 1; r < nRules; r++ {
				for y := r * gap; y < (r+1)*gap; y++ {
					dark(x, y+int(off(x, r*gap)))
				}
			}
		}
	}
	return g
}

// A sheet bowed so strongly that its rules climb about 1 px in 10 towards
// the edges (seed 9601's realistic act 007, whose table's last column kept
// its bend and was read one row off): a rule that steep across a strip
// fills no pixel row of it, and must still be traced to the edge for the
// rules to lie level there afterwards.
func TestRuleBendSteepEdges(t *testing.T) {
	t.Parallel()
	const capH = 18
	bowed := ruledPage(2000, 1400, 8, 100, true)
	xs := []int{240, 1000, 1760}
	if s := ruleSpread(t, bowed, xs, 6); s < 30 {
		t.Fatalf("test page: rules at the edges lie %.1f px from the middle, want ≥ 30", s)
	}
	out, spread, n, err := ruleBend(context.Background(), bowed, capH, ruleMinSpreadCaps*capH)
	if err != nil || out == nil {
		t.Fatalf("bowed form not levelled: out %v, spread %.1f, rules %d, err %v", out != nil, spread, n, err)
	}
	if s := ruleSpread(t, out, xs, 6); s > 2 {
		t.Errorf("rules still spread %.1f px between the middle and the edges", s)
	}
}

// ruleSpread measures the rules of g in the columns xs (ruleLevelsIn with
// half) and returns the most one rule's height differs between them.
func ruleSpread(t *testing.T, g *image.Gray, xs []int, half int) float64 {
	t.Helper()
	var cols [][]float64
	for _, x := range xs {
		cols = append(cols, ruleLevelsIn(g, x, half))
	}
	for _, c := range cols[1:] {
		if len(c) != len(cols[0]) {
			t.Fatalf("rules found per column differ: %v", cols)
		}
	}
	worst := 0.0
	for i := range cols[0] {
		lo, hi := math.Inf(1), math.Inf(-1)
		for _, c := range cols {
			lo, hi = min(lo, c[i]), max(hi, c[i])
		}
		worst = max(worst, hi-lo)
	}
	return worst
}

// ruleLevelsIn returns, per rule found in column x (a dark run of at most
// 6 rows across a strip of 2·half px), its centre row. A narrower strip
// finds steeper rules.
func ruleLevelsIn(g *image.Gray, x, half int) []float64 {
	var out []float64
	need := 2*half - 2
	for y := 0; y < g.Rect.Dy(); {
		n := 0
		for k := x - half; k < x+half; k++ {
			if g.Pix[y*g.Stride+k] < 128 {
				n++
			}
		}
		if n < need {
			y++
			continue
		}
		y0 := y
		for y < g.Rect.Dy() && func() bool {
			m := 0
			for k := x - half; k < x+half; k++ {
				if g.Pix[y*g.Stride+k] < 128 {
					m++
				}
			}
			return m >= need
		}() {
			y++
		}
		if y-y0 <= 6 {
			out = append(out, float64(y0+y-1)/2)
		}
	}
	return out
}

// A form whose rules bow by more than a third of a capital is levelled: its
// rules, measured at the left, middle and right of the page, lie within
// 1.5 px of one height afterwards. A flat form and a page of letters
// without rules are left alone.
func TestRuleBend(t *testing.T) {
	t.Parallel()
	const capH = 18
	ctx := context.Background()
	bent := ruledPage(2000, 1400, 8, 28, true)
	xs := []int{300, 1000, 1700}
	spreadOf := func(g *image.Gray) float64 { return ruleSpread(t, g, xs, 15) }
	if s := spreadOf(bent); s < 10 {
		t.Fatalf("test page bows by %.1f px, want ≥ 10", s)
	}
	out, spread, n, err := ruleBend(ctx, bent, capH, ruleMinSpreadCaps*capH)
	if err != nil || out == nil {
		t.Fatalf("bent form not levelled: out %v, spread %.1f, rules %d, err %v", out != nil, spread, n, err)
	}
	if n < 8 {
		t.Errorf("traced %d rules, want the 8 drawn", n)
	}
	if s := spreadOf(out); s > 1.5 {
		t.Errorf("rules still spread %.1f px after levelling", s)
	}

	for _, tc := range []struct {
		name string
		g    *image.Gray
	}{
		{"flat form", ruledPage(2000, 1400, 8, 0, true)},
		{"letters without rules", ruledPage(2000, 1400, 8, 28, false)},
		{"too few rules to tell a bend", ruledPage(2000, 1400, 4, 28, true)},
	} {
		out, spread, n, err := ruleBend(ctx, tc.g, capH, ruleMinSpreadCaps*capH)
		if err != nil || out != nil {
			t.Errorf("%s: changed (spread %.1f px, %d rules, err %v)", tc.name, spread, n, err)
		}
	}
}

// A page of thin stripes one pixel apart (hostile, or a textured surface
// filling the frame) is no form: a strip with more runs than the page has
// text lines is skipped, so none of them is linked into rules and the
// page is left as it is.
func TestRuleBendStripes(t *testing.T) {
	t.Parallel()
	g := image.NewGray(image.Rect(0, 0, 2000, 1400))
	for y := range 1400 {
		v := uint8(255)
		if y%2 == 0 {
			v = 0
		}
		for x := range 2000 {
			g.Pix[y*g.Stride+x] = v
		}
	}
	out, spread, n, err := ruleBend(context.Background(), g, 18, ruleMinSpreadCaps*18)
	if err != nil || out != nil || n != 0 {
		t.Errorf("striped page: changed %v, spread %.1f, %d rules, err %v", out != nil, spread, n, err)
	}
}

// A photo's thin rules flatten to grey where its letters stay black (9931's
// realistic bill 011: rules at 100–140, the table read a row off for want
// of them). Too pale for the first search, they are found by the second
// (rulePaleInk) and the bowed form is levelled.
func TestRuleBendPaleRules(t *testing.T) {
	t.Parallel()
	const capH = 18
	ruled := ruledPage(2000, 1400, 8, 40, true)
	bare := ruledPage(2000, 1400, 8, 40, false)
	pale := image.NewGray(ruled.Rect)
	for i, v := range ruled.Pix {
		pale.Pix[i] = v
		if v != bare.Pix[i] {
			pale.Pix[i] = 140 // a rule's pixel, not a letter's
		}
	}
	if n := len(traceRules(pale, capH, ruleInk)); n >= ruleMinRules {
		t.Fatalf("test page: %d rules found at the first level, want fewer than %d", n, ruleMinRules)
	}
	out, spread, n, err := ruleBend(context.Background(), pale, capH, ruleMinSpreadCaps*capH)
	if err != nil || out == nil {
		t.Fatalf("pale-ruled form not levelled: out %v, spread %.1f, rules %d, err %v", out != nil, spread, n, err)
	}
	// Measured as black and white at the pale level.
	xs := []int{240, 1000, 1760}
	bw := func(g *image.Gray) *image.Gray {
		o := image.NewGray(g.Rect)
		for i, v := range g.Pix {
			o.Pix[i] = 255
			if v < rulePaleInk {
				o.Pix[i] = 0
			}
		}
		return o
	}
	if s := ruleSpread(t, bw(pale), xs, 6); s < 20 {
		t.Fatalf("test page: rules at the edges lie %.1f px from the middle, want ≥ 20", s)
	}
	if s := ruleSpread(t, bw(out), xs, 6); s > 2 {
		t.Errorf("rules still spread %.1f px between the middle and the edges", s)
	}
}

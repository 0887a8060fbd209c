package imageprep

import (
	"context"
	"image"
	"testing"
)

// leaningTable draws a table of level rows whose vertical rules lean by
// lean px per px (x grows by lean·(y − h/2)), as the columns of a sheet
// photographed at a slant stand once deskew has levelled its lines: 8
// horizontal rules, 6 vertical ones, letter-sized blocks in the rows.
func leaningTable(w, h int, lean float64) *image.Gray {
	g := image.NewGray(image.Rect(0, 0, w, h))
	for i := range g.Pix {
		g.Pix[i] = 255
	}
	dark := func(x, y int) {
		if x >= 0 && x < w && y >= 0 && y < h {
			g.Pix[y*g.Stride+x] = 20
		}
	}
	const nRules = 8
	gap := h / (nRules + 2)
	for r := 1; r <= nRules; r++ {
		y0 := r * gap
		for x := w / 10; x < w*9/10; x++ {
			for t := range 3 {
				dark(x, y0+t)
			}
			if r < nRules && (x/20)%2 == 0 && x%20 < 12 {
				for t := range 18 {
					dark(x, y0+gap/2-9+t)
				}
			}
		}
	}
	for k := range 6 {
		x0 := w/10 + k*(w*8/10)/5
		for y := gap; y < nRules*gap; y++ {
			x := x0 + int(lean*float64(y-h/2))
			for t := range 3 {
				dark(x+t, y)
			}
		}
	}
	return g
}

// A table whose columns lean 4.6° (1 px in 12.5, about what 9801's
// realistic act 007 showed after dewarping) is stood upright: its
// vertical rules, measured near the top, middle and foot of the table,
// lie within 2 px of one x afterwards, and its horizontal rules stay
// level. An upright table and a page of letters are left alone.
func TestColumnLean(t *testing.T) {
	t.Parallel()
	const capH = 18
	ctx := context.Background()
	ys := []int{300, 700, 1050} // rows inside the table (rules 140..1120)
	leaning := leaningTable(1400, 1400, 0.08)
	if s := ruleSpread(t, transpose(leaning), ys, 15); s < 55 {
		t.Fatalf("test table leans %.1f px over its height, want ≥ 55", s)
	}
	out, spread, n, err := columnLean(ctx, leaning, capH, columnMinSpreadCaps*capH)
	if err != nil || out == nil {
		t.Fatalf("leaning table not stood upright: out %v, spread %.1f, rules %d, err %v", out != nil, spread, n, err)
	}
	if out.Rect.Dx() != 1400 || out.Rect.Dy() != 1400 {
		t.Fatalf("size changed to %v", out.Rect)
	}
	if s := ruleSpread(t, transpose(out), ys, 15); s > 2 {
		t.Errorf("columns still lean %.1f px over the table", s)
	}
	if s := ruleSpread(t, out, []int{300, 700, 1100}, 15); s > 1.5 {
		t.Errorf("rows no longer level: %.1f px", s)
	}

	for _, tc := range []struct {
		name string
		g    *image.Gray
	}{
		{"upright table", leaningTable(1400, 1400, 0)},
		{"upright table between bowed sheet edges", withBowedEdges(leaningTable(1400, 1400, 0), 40)},
		{"upright table between leaning sheet edges", withLeaningEdges(leaningTable(1400, 1400, 0), 60, 1300, 0.04)},
		{"letters without rules", ruledPage(1400, 1400, 8, 0, false)},
	} {
		out, spread, n, err := columnLean(ctx, tc.g, capH, columnMinSpreadCaps*capH)
		if err != nil || out != nil {
			t.Errorf("%s: changed (spread %.1f px, %d rules, err %v)", tc.name, spread, n, err)
		}
	}
}

func TestTranspose(t *testing.T) {
	t.Parallel()
	g := image.NewGray(image.Rect(0, 0, 150, 70))
	for i := range g.Pix {
		g.Pix[i] = uint8(i * 7)
	}
	tr := transpose(g)
	if tr.Rect.Dx() != 70 || tr.Rect.Dy() != 150 {
		t.Fatalf("transposed size %v", tr.Rect)
	}
	for y := range 70 {
		for x := range 150 {
			if tr.GrayAt(y, x) != g.GrayAt(x, y) {
				t.Fatalf("(%d,%d): %d, want %d", y, x, tr.GrayAt(y, x).Y, g.GrayAt(x, y).Y)
			}
		}
	}
	if back := transpose(tr); string(back.Pix) != string(g.Pix) {
		t.Error("transposing twice does not give the image back")
	}
}

// withBowedEdges draws two lines from the top of g to its foot near its
// left and right sides, bowed by bow px in the middle: the edges of a
// curled sheet against a dark table, which are no rules.
func withBowedEdges(g *image.Gray, bow float64) *image.Gray {
	w, h := g.Rect.Dx(), g.Rect.Dy()
	for y := range h {
		v := (float64(y) - float64(h)/2) / (float64(h) / 2)
		d := int(bow * (1 - v*v))
		for _, x := range []int{20 + d, w - 24 - d} {
			for t := range 3 {
				g.Pix[y*g.Stride+x+t] = 20
			}
		}
	}
	return g
}

// BenchmarkColumnLean measures the step on a photo page's size after
// rescaling (2400×3200), on an upright table: the cost every photographed
// page pays to learn that its columns stand.
func BenchmarkColumnLean(b *testing.B) {
	g := leaningTable(2400, 3200, 0)
	for b.Loop() {
		if _, _, _, err := columnLean(context.Background(), g, 24, columnMinSpreadCaps*24); err != nil {
			b.Fatal(err)
		}
	}
}

// withLeaningEdges draws two lines from y0 to y1 near the left and right
// sides of g, leaning lean px per px the opposite ways: the edges of a
// sheet photographed at a slant, from its top to below its table.
func withLeaningEdges(g *image.Gray, y0, y1 int, lean float64) *image.Gray {
	w := g.Rect.Dx()
	for y := y0; y < y1; y++ {
		d := int(lean * float64(y-y0))
		for _, x := range []int{40 + d, w - 44 - d} {
			for t := range 3 {
				g.Pix[y*g.Stride+x+t] = 20
			}
		}
	}
	return g
}

package imageprep

import (
	"context"
	"image"
	"math"
	"testing"
)

// noModel is a Dewarper whose text-line model fits nothing, as Leptonica's
// gives on a ruled form (too few long text lines): the real one is tested
// in package dewarp.
type noModel struct{}

func (noModel) Dewarp(context.Context, *image.Gray, float64) (*image.Gray, float64, error) {
	return nil, 0, nil
}

// A slanted sheet that is also bowed: its lines fan out (keystone levels
// that) and its rules bow besides. After keystone the rules are traced and
// levelled too (seed 10031's realistic счёт-фактура 006, whose rules still
// spread 4.1 capitals after keystone's correction and whose rows' right
// columns were read half a row above their names).
func TestDewarpRulesAfterKeystone(t *testing.T) {
	t.Parallel()
	const capH = 18
	w, h := 2400, 1800
	cx := float64(w) / 2
	// Each row's offset depends on its height: the fan (-3.6° at the top
	// to 0° at the bottom) and a bow of 14 px.
	page := fannedRuledPage(w, h, 14, func(x, y int) float64 {
		f := float64(y) / float64(h)
		tilt := math.Tan((-3.6 + 3.6*f) * math.Pi / 180)
		u := (float64(x) - cx) / cx
		return (float64(x)-cx)*tilt + 14*(1-u*u)
	})
	p := &enhancer{ctx: context.Background(), opt: Options{Dewarper: noModel{}}, log: discard(), gray: page, capHeight: capH}
	if ks, spread, err := keystone(context.Background(), page, capH, keystoneMinSpread*capH); err != nil || ks == nil {
		t.Fatalf("test page fans %.1f px, not enough for keystone (err %v)", spread, err)
	}
	if _, err := p.dewarp(); err != nil {
		t.Fatal(err)
	}
	xs := []int{400, 1200, 2000}
	if s := ruleSpread(t, p.gray, xs, 15); s > 3 {
		t.Errorf("rules spread %.1f px after the dewarp step, want them level (≤ 3 px)", s)
	}
}

// fannedRuledPage is ruledPageOff with every row's offset a function of
// the column and of the row's own height.
func fannedRuledPage(w, h, nRules int, off func(x, y int) float64) *image.Gray {
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
			for t := range 3 {
				dark(x, int(yy)+t)
			}
			if (x/20)%2 == 0 && x%20 < 12 {
				for t := range 18 {
					dark(x, int(yy)+gap/2-9+t)
				}
			}
		}
	}
	for _, x := range []int{w / 10, w / 3, w * 2 / 3, w*9/10 - 1} {
		for r := 1; r < nRules; r++ {
			for y := r * gap; y < (r+1)*gap; y++ {
				dark(x, y+int(off(x, r*gap)))
			}
		}
	}
	return g
}

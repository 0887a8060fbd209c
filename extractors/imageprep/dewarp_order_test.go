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
	page := ruledPageAt(w, h, 14, func(x, y int) float64 {
		f := float64(y) / float64(h)
		tilt := math.Tan((-3.6 + 3.6*f) * math.Pi / 180)
		u := (float64(x) - cx) / cx
		return (float64(x)-cx)*tilt + 14*(1-u*u)
	}, true)
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

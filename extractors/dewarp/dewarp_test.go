package dewarp

import (
	"context"
	"image"
	"image/color"
	"math"
	"testing"
)

// page draws lines of word-like ink blobs (capitals 24 px high, as rescale
// leaves a photo) whose baselines bow by bow pixels between the middle
// and the edges of the page, as a curled sheet does.
func page(w, h int, bow float64) *image.Gray {
	g := image.NewGray(image.Rect(0, 0, w, h))
	for i := range g.Pix {
		g.Pix[i] = 255
	}
	cx := float64(w) / 2
	for y0 := 120; y0+60 < h; y0 += 60 {
		for x := 80; x+20 < w-80; x += 22 {
			if (x/22)%7 == 6 {
				continue // a space between words
			}
			dx := (float64(x) - cx) / cx
			top := float64(y0) + bow*dx*dx
			for y := int(top); y < int(top)+24; y++ {
				for xx := x; xx < x+16; xx++ {
					g.SetGray(xx, y, color.Gray{Y: 20})
				}
			}
		}
	}
	return g
}

// spreadOfLine is how far the tops of the blobs of the text line nearest
// row y lie apart (max − min), found by scanning each blob's column.
func spreadOfLine(g *image.Gray, y int) int {
	lo, hi := math.MaxInt, math.MinInt
	for x := 88; x < g.Rect.Dx()-88; x += 22 {
		for yy := y - 40; yy < y+40; yy++ {
			if g.GrayAt(x, yy).Y < 128 {
				lo, hi = min(lo, yy), max(hi, yy)
				break
			}
		}
	}
	if lo == math.MaxInt {
		return -1
	}
	return hi - lo
}

func TestDewarpCurledPage(t *testing.T) {
	t.Parallel()
	g := page(2400, 1800, 36)
	out, spread, err := Dewarper{}.Dewarp(context.Background(), g, 10)
	if err != nil {
		t.Fatal(err)
	}
	if out == nil {
		t.Fatalf("no correction (spread %.1f px)", spread)
	}
	if spread < 20 || spread > 60 {
		t.Errorf("spread %.1f px, want about the bow of 36", spread)
	}
	// The line in the middle of the page: its blobs' tops lay 36 px
	// apart; straightened they lie within a few pixels.
	mid := 120 + 60*12
	before, after := spreadOfLine(g, mid+10), spreadOfLine(out, mid+10)
	if before < 30 || after < 0 || after > 6 {
		t.Errorf("line at %d: tops spread %d px before, %d after", mid, before, after)
	}
}

func TestDewarpFlatPage(t *testing.T) {
	t.Parallel()
	g := page(2400, 1800, 0)
	out, spread, err := Dewarper{}.Dewarp(context.Background(), g, 10)
	if err != nil {
		t.Fatal(err)
	}
	if out != nil || spread > 3 {
		t.Errorf("flat page corrected: spread %.1f px", spread)
	}
}

// Pages without 15 long lines of text give no model, and nothing is
// changed: a blank page, a few lines, a page too small to hold text.
func TestDewarpNoModel(t *testing.T) {
	t.Parallel()
	blank := image.NewGray(image.Rect(0, 0, 1200, 1600))
	for i := range blank.Pix {
		blank.Pix[i] = 255
	}
	short := page(2400, 400, 36)
	for name, g := range map[string]*image.Gray{
		"blank": blank,
		"short": short,
		"tiny":  image.NewGray(image.Rect(0, 0, 50, 30)),
		"empty": image.NewGray(image.Rect(0, 0, 0, 0)),
	} {
		out, _, err := Dewarper{}.Dewarp(context.Background(), g, 0)
		if err != nil || out != nil {
			t.Errorf("%s: out %v, err %v", name, out != nil, err)
		}
	}
}

func TestDewarpCanceled(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, _, err := (Dewarper{}).Dewarp(ctx, page(2400, 1800, 36), 0); err == nil {
		t.Error("canceled context: no error")
	}
}

// Remap keeps the page's size and brings in white from outside.
func TestRemapShift(t *testing.T) {
	t.Parallel()
	g := page(600, 400, 0)
	m := Model{NX: 3, NY: 3, Sampling: 300, V: make([]float32, 9)}
	for i := range m.V {
		m.V[i] = 10 // content 10 px above where it belongs
	}
	out, err := m.Remap(context.Background(), g)
	if err != nil {
		t.Fatal(err)
	}
	if out.Rect != g.Rect {
		t.Fatalf("size %v, want %v", out.Rect, g.Rect)
	}
	if got, want := out.GrayAt(90, 120+10).Y, g.GrayAt(90, 120).Y; got != want || want != 20 {
		t.Errorf("ink moved to %d, want %d", got, want)
	}
	if got := out.GrayAt(90, 5).Y; got != 255 {
		t.Errorf("pixel brought in from above the page: %d, want white", got)
	}
}

// A model whose arrays do not fit its grid is refused, not read past.
func TestRemapBadModel(t *testing.T) {
	t.Parallel()
	g := page(600, 400, 0)
	for _, m := range []Model{
		{},
		{NX: 3, NY: 3, Sampling: 300, V: make([]float32, 8)},
		{NX: 3, NY: 3, Sampling: 300, V: make([]float32, 9), H: make([]float32, 2)},
		{NX: 3, NY: 3, Sampling: 0, V: make([]float32, 9)},
	} {
		if _, err := m.Remap(context.Background(), g); err == nil {
			t.Errorf("model %d×%d/%d with %d, %d values: no error", m.NX, m.NY, m.Sampling, len(m.V), len(m.H))
		}
	}
}

func BenchmarkDewarp(b *testing.B) {
	g := page(4000, 2900, 40)
	for b.Loop() {
		if _, _, err := (Dewarper{}).Dewarp(context.Background(), g, 10); err != nil {
			b.Fatal(err)
		}
	}
}

// Package dewarp straightens the text lines of a curled or folded sheet in
// a photo, so that each printed line reaches Tesseract as one line.
//
// Why: a photographed sheet is rarely flat. A fold tilts the part of the
// page past the crease, a curl bows it; deskew turns the whole page by one
// angle, and the rows of a wide table still drift by a line or more from
// one edge to the other. Tesseract then joins the left of one row to the
// right of the next, and every figure of those rows is lost (seed 31's
// realistic photo of a ТОРГ-12: 14 of 206 fields read).
//
// How: Leptonica's dewarper (the text-line model of dewarp1–4.c) finds the
// long text lines of the binarized page, fits a quadratic to each, and
// interpolates between them a vertical disparity field — how far each
// pixel sits below where a flat page would have it — and, from the lines'
// left and right ends, a horizontal one. Remap moves the pixels back, with
// bilinear sampling.
//
// Limits: the model needs at least 15 long text lines (Leptonica's
// default), so a sparse page (a short act, a contract's signature page) is
// left as it is; it assumes the lines were horizontal on paper, so it runs
// after orientation and deskew. Fitting takes 0.1–0.35 s of one core on a
// 12–15 MP page, remapping about as much.
package dewarp

import (
	"context"
	"fmt"
	"image"
	"math"
)

// minSide is the smallest page side the model is fitted on: below it there
// are not 15 lines of text to fit.
const minSide = 200

// Model is a fitted disparity field, sampled every Sampling pixels on an
// NX × NY grid (row-major), in Leptonica's sense: V[i] is how far the
// page's content at that point lies above where a flat page puts it (Remap
// moves it down by V); H (nil when Leptonica found no valid horizontal
// model) how far left of it.
type Model struct {
	Lines    int // long text lines the model was fitted to
	NX, NY   int
	Sampling int
	V, H     []float32
}

// Fit fits the model to a gray page. ok is false when the page gives no
// valid model (too few or too short text lines, or a curvature beyond
// Leptonica's limits); the page is then best left as it is.
func Fit(ctx context.Context, g *image.Gray) (m Model, ok bool, err error) {
	if err := ctx.Err(); err != nil {
		return Model{}, false, err
	}
	quietLeptonica()
	return fit(g)
}

// VerticalRange is the spread of the vertical disparity over the page in
// pixels (highest minus lowest): how far the most displaced parts of a
// line are from each other. A flat page gives about 0.
func (m Model) VerticalRange() float64 {
	if len(m.V) == 0 {
		return 0
	}
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, v := range m.V {
		lo, hi = min(lo, float64(v)), max(hi, float64(v))
	}
	return hi - lo
}

// at interpolates a sampled array at pixel (x, y), holding the edge values
// beyond the grid.
func (m Model) at(a []float32, x, y float64) float64 {
	gx := min(max(x/float64(m.Sampling), 0), float64(m.NX-1))
	gy := min(max(y/float64(m.Sampling), 0), float64(m.NY-1))
	x0, y0 := int(gx), int(gy)
	x1, y1 := min(x0+1, m.NX-1), min(y0+1, m.NY-1)
	fx, fy := gx-float64(x0), gy-float64(y0)
	r0 := float64(a[y0*m.NX+x0])*(1-fx) + float64(a[y0*m.NX+x1])*fx
	r1 := float64(a[y1*m.NX+x0])*(1-fx) + float64(a[y1*m.NX+x1])*fx
	return r0*(1-fy) + r1*fy
}

// Remap returns g with the model's disparity taken out: the pixel at (x, y)
// comes from (x − H, y − V), the vertical correction first as Leptonica
// applies them (so V is looked up at x − H). Pixels brought in from outside the page are white. The
// context is checked every few hundred rows.
func (m Model) Remap(ctx context.Context, g *image.Gray) (*image.Gray, error) {
	if n := m.NX * m.NY; m.NX < 1 || m.NY < 1 || m.Sampling < 1 || len(m.V) != n || (m.H != nil && len(m.H) != n) {
		return nil, fmt.Errorf("dewarp: model of %d×%d points every %d px holds %d and %d values", m.NX, m.NY, m.Sampling, len(m.V), len(m.H))
	}
	w, h := g.Rect.Dx(), g.Rect.Dy()
	out := image.NewGray(image.Rect(0, 0, w, h))
	src := g.Pix[g.PixOffset(g.Rect.Min.X, g.Rect.Min.Y):]
	// The field changes slowly: evaluate it every step pixels along a row
	// and interpolate linearly between.
	const step = 8
	hs := make([]float64, w/step+2)
	vs := make([]float64, w/step+2)
	for y := range h {
		if y%256 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		fy := float64(y)
		for k := range hs {
			x := float64(min(k*step, w-1))
			sx := x
			if m.H != nil {
				hs[k] = m.at(m.H, x, fy)
				sx = x - hs[k]
			}
			vs[k] = m.at(m.V, sx, fy)
		}
		row := out.Pix[y*out.Stride : y*out.Stride+w]
		for x := range w {
			k, f := x/step, float64(x%step)/step
			sx := float64(x)
			if m.H != nil {
				sx -= hs[k]*(1-f) + hs[k+1]*f
			}
			sy := fy - (vs[k]*(1-f) + vs[k+1]*f)
			row[x] = bilinear(src, g.Stride, w, h, sx, sy)
		}
	}
	return out, nil
}

// bilinear samples a gray image at a real-valued point; outside it is
// white paper.
func bilinear(pix []uint8, stride, w, h int, x, y float64) uint8 {
	if x < 0 || y < 0 || x > float64(w-1) || y > float64(h-1) {
		return 255
	}
	x0, y0 := int(x), int(y)
	x1, y1 := min(x0+1, w-1), min(y0+1, h-1)
	fx, fy := x-float64(x0), y-float64(y0)
	p00, p01 := float64(pix[y0*stride+x0]), float64(pix[y0*stride+x1])
	p10, p11 := float64(pix[y1*stride+x0]), float64(pix[y1*stride+x1])
	v := (p00*(1-fx)+p01*fx)*(1-fy) + (p10*(1-fx)+p11*fx)*fy
	return uint8(v + 0.5)
}

// Dewarper is imageprep's Dewarper over Leptonica's model. The zero value
// is ready.
type Dewarper struct{}

// Dewarp fits the model to g and returns the spread of its vertical
// correction in pixels, and g remapped when the spread reaches minSpread
// (nil otherwise, and when the page gives no valid model).
func (Dewarper) Dewarp(ctx context.Context, g *image.Gray, minSpread float64) (*image.Gray, float64, error) {
	m, ok, err := Fit(ctx, g)
	if err != nil || !ok {
		return nil, 0, err
	}
	spread := m.VerticalRange()
	if spread < minSpread {
		return nil, spread, nil
	}
	out, err := m.Remap(ctx, g)
	if err != nil {
		return nil, spread, err
	}
	return out, spread, nil
}

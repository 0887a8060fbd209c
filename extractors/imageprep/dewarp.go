package imageprep

import (
	"image"
	"math"
)

// dewarpMaxSourceDPI: pages with a stated resolution at or above it are
// flatbed scans, pressed flat on the glass, and are not dewarped; phone
// pictures put into a PDF by a scanner app state 72–150 dpi (seed 31's
// scanner-app pages: 109).
const dewarpMaxSourceDPI = 200

// dewarpMinSpread is the least spread of the vertical correction, in
// capital heights, for which the dewarped page is taken: below it the
// lines are straight enough for Tesseract, and the resampling would only
// soften the print. Measured on seed 31's realistic photos, where a fold
// or curl that cost rows spread 2–5 capitals and flat pages under 0.5.
const dewarpMinSpread = 1.0

// dewarp takes out the bend of a photographed sheet (see package dewarp)
// once the page is upright, straight and at its final scale: the model
// reads text lines, so it must see them horizontal and legible.
func (p *enhancer) dewarp() (bool, error) {
	if p.opt.Dewarper == nil || (p.opt.SourceDPI >= dewarpMaxSourceDPI) {
		return false, nil
	}
	capH := p.capHeight
	if capH <= 0 {
		capH = rescaleParams.target
	}
	// Fitting costs 0.2–0.6 s a page; the tilt of the text in the four
	// quadrants tells a flat page for a few milliseconds.
	bend, ok := bendSpread(p.gray)
	if !ok || bend < dewarpGate*dewarpMinSpread*capH {
		p.log.Debug("dewarp: flat", "bend_px", bend, "tilts", ok)
		return false, nil
	}
	out, spread, err := p.opt.Dewarper.Dewarp(p.ctx, p.gray, dewarpMinSpread*capH)
	if err != nil {
		return false, err
	}
	p.log.Debug("dewarp", "applied", out != nil, "bend_px", bend, "spread_px", spread, "spread_caps", spread/capH)
	if out == nil {
		return false, nil
	}
	p.gray = out
	return true, nil
}

// dewarpGate is the share of dewarpMinSpread that the quadrants' tilts
// must reach for the model to be fitted at all. The tilts see a bend
// coarsely: on seed 31's realistic photos the four pages the model
// corrected showed bends of 41–56 px for spreads of 31–76 px (at least
// 0.74 of the spread), and pages the model left alone 10–140 px. At 0.5
// the gate skipped 65 of 104 pages of seed 31 and seed 1's photos and
// changed no result.
const dewarpGate = 0.75

// bendSpread estimates, from the tilt of the text in each quadrant of the
// page (estimateSkew on a copy of at most skewLongMax px), how far apart
// in pixels the two ends of a half-width line may sit: a fold tilts the
// part past the crease, a curl tilts the two halves of a line opposite
// ways. ok is false when fewer than two quadrants hold enough text to
// tell.
func bendSpread(g *image.Gray) (float64, bool) {
	w, h := g.Rect.Dx(), g.Rect.Dy()
	f := max(1, (max(w, h)+skewLongMax-1)/skewLongMax)
	small := boxDown(g, f)
	sw, sh := small.Rect.Dx(), small.Rect.Dy()
	if sw < 64 || sh < 64 {
		return 0, false
	}
	lo, hi, n := math.Inf(1), math.Inf(-1), 0
	for _, q := range []image.Rectangle{
		image.Rect(0, 0, sw/2, sh/2), image.Rect(sw/2, 0, sw, sh/2),
		image.Rect(0, sh/2, sw/2, sh), image.Rect(sw/2, sh/2, sw, sh),
	} {
		part := image.NewGray(image.Rect(0, 0, q.Dx(), q.Dy()))
		for y := range q.Dy() {
			o := small.PixOffset(small.Rect.Min.X+q.Min.X, small.Rect.Min.Y+q.Min.Y+y)
			copy(part.Pix[y*part.Stride:y*part.Stride+q.Dx()], small.Pix[o:o+q.Dx()])
		}
		if deg, ok := estimateSkew(part); ok {
			lo, hi, n = min(lo, deg), max(hi, deg), n+1
		}
	}
	if n < 2 {
		return 0, false
	}
	return (hi - lo) * math.Pi / 180 * float64(w) / 2, true
}

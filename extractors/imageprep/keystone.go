package imageprep

import (
	"context"
	"image"
	"math"
	"slices"
)

// Keystone: a sheet photographed at a slant whose corners the sheet step
// could not find (one out of the frame, or the table around it as light as
// the paper) keeps its perspective. Deskew levels the page's mean tilt, but
// the text lines still fan out: on seed 31's realistic счёт-фактура 003 the
// heading's lines rose 1.7° to the right while the table's lay level, so
// the value printed right of «Продавец:» drifted a row and a half from its
// label over the line and the label took the address below it. Leptonica's
// model (the dewarp step) needs 15 long text lines spread over the page
// and gave none there.
//
// The tilt of the text is measured in horizontal bands of the page, by the
// same projection deskew uses, and a tilt that changes steadily from the
// top band to the bottom one is taken out by shifting each column of each
// row up or down: row y takes its pixels from the line through it at the
// tilt fitted for y. Horizontal scale and the lean of columns are left as
// they are: text reads on its lines.

const (
	// keystoneBands is the number of horizontal bands the tilt is measured
	// in; keystoneMinBands of them must hold text (keystoneMinPoints
	// letters and a clear peak, as in estimateSkew): a band of two lines
	// of a form holds about that many. With three bands, seed 1's photo of
	// bill 018, whose text fills the top half, was "corrected" by a fan
	// that one band of the striped surface above the sheet made; the
	// slanted pages of seeds 31 and 33 (fans of 3.6-3.8°) gave five.
	keystoneBands     = 6
	keystoneMinBands  = 4
	keystoneMinPoints = 60
	// keystoneMaxResidual is the largest difference in degrees between a
	// band's tilt and the straight line fitted through all bands' tilts:
	// a band off it holds something else than the sheet's lines (a stamp, a
	// rotated caption, the table the sheet lies on) and the page is left
	// alone. Chosen by hand from seed 31's realistic photos, where the
	// slanted pages' bands lay within 0.2° of their line; not measured
	// further.
	keystoneMaxResidual = 0.4
	// keystoneMinSpread is the least spread of the correction, in capital
	// heights, for which it is made. The slanted pages it was written for
	// spread 6.2 (seed 31's счёт-фактура 003) and 8.1 (seed 33's УПД 014)
	// and were read whole once levelled; pages spreading 1.1-1.6 were read
	// as well or worse after it (real-dev's 18-12-16 lost its supplier's
	// name at 1.3, seed 31's scanner-app УПД 015 its number's second
	// reading at 1.1): a fan that small leaves the rows apart, and the
	// resampling only softens the print.
	keystoneMinSpread = 3.0
	// keystoneSearchDeg bounds a band's tilt after deskew: a band more
	// tilted than this against the page's mean is not the sheet's text.
	keystoneSearchDeg = 4.0
)

// keystone returns g with the fanning of its text lines taken out and the
// spread of the correction in pixels (how far the shift at the ink's
// right end differs between the top and the bottom of the text), or nil
// when the bands do not tell a steady change of tilt or the spread is under
// minSpread.
func keystone(ctx context.Context, g *image.Gray, capH, minSpread float64) (*image.Gray, float64, error) {
	w, h := g.Rect.Dx(), g.Rect.Dy()
	if w < 64 || h < 64 || capH <= 0 {
		return nil, 0, nil
	}
	f := max(1, (max(w, h)+skewLongMax-1)/skewLongMax)
	small := boxDown(g, f)
	xs, ys := glyphPoints(small, capH/float64(f))
	sw, sh := small.Rect.Dx(), small.Rect.Dy()
	if len(xs) < keystoneMinBands*keystoneMinPoints {
		return nil, 0, nil
	}
	if err := ctx.Err(); err != nil {
		return nil, 0, err
	}
	// The bands span the rows that hold ink, not the margins.
	sortedY := slices.Clone(ys)
	slices.Sort(sortedY)
	top, bottom := sortedY[len(sortedY)/50], sortedY[len(sortedY)-1-len(sortedY)/50]
	if bottom-top < float64(sh)/4 {
		return nil, 0, nil
	}
	bandH := (bottom - top) / keystoneBands
	var cy, deg []float64
	for b := range keystoneBands {
		y0, y1 := top+float64(b)*bandH, top+float64(b+1)*bandH
		var bx, by []float64
		sumY := 0.0
		for i := range xs {
			if ys[i] >= y0 && ys[i] < y1 {
				bx, by = append(bx, xs[i]), append(by, ys[i])
				sumY += ys[i]
			}
		}
		if len(bx) < keystoneMinPoints {
			continue
		}
		d, peak := skewOfPoints(bx, by, sw, sh)
		if peak < minSkewPeak || math.Abs(d) > keystoneSearchDeg {
			continue
		}
		cy, deg = append(cy, sumY/float64(len(by))), append(deg, d)
	}
	a, slope, lo, hi, ok := fitBands(cy, deg)
	if !ok {
		return nil, 0, nil
	}
	// Ink's horizontal extent, in full-size pixels.
	sortedX := slices.Clone(xs)
	slices.Sort(sortedX)
	inkW := (sortedX[len(sortedX)-1-len(sortedX)/50] - sortedX[len(sortedX)/50]) * float64(f)
	tan := func(d float64) float64 { return math.Tan(d * math.Pi / 180) }
	spread := math.Abs(tan(a+slope*lo)-tan(a+slope*hi)) * inkW
	if spread < minSpread {
		return nil, spread, nil
	}
	if err := ctx.Err(); err != nil {
		return nil, 0, err
	}
	// Row y (full size) takes its pixels from the line through
	// (xc, y) at the tilt fitted for y; the fit is in the small image's
	// rows, f times fewer.
	xc := (sortedX[len(sortedX)/2]) * float64(f)
	out := image.NewGray(image.Rect(0, 0, w, h))
	for y := range h {
		// Past the outer bands kept the tilt stays theirs: the fit says
		// nothing of rows it did not see.
		t := tan(a + slope*min(hi, max(lo, (float64(y)+0.5)/float64(f))))
		row := out.Pix[y*out.Stride : y*out.Stride+w]
		for x := range w {
			sy := float64(y) + (float64(x)+0.5-xc)*t
			row[x] = sampleRow(g, x, sy)
		}
	}
	return out, spread, nil
}

// glyphPoints returns the foot of every ink component of g shaped like a
// letter of capital height capH (half to twice as tall, at most three times
// as wide, not at the border): the points text lines run through. A table
// the sheet lies on, its edge, a fold's shadow and table rules are not
// letters, and their tilt is not the text's (seed 1's photo of bill 018:
// with every dark pixel counted, the striped surface past the sheet's
// edges made the bands fan by 2.3° where the text lay level).
func glyphPoints(g *image.Gray, capH float64) (xs, ys []float64) {
	for _, b := range inkComponents(g) {
		bw, bh := float64(b.x1-b.x0), float64(b.y1-b.y0)
		if b.touchesEdge || bh < 0.5*capH || bh > 2*capH || bw > 3*bh {
			continue
		}
		xs = append(xs, float64(b.x0+b.x1)/2)
		ys = append(ys, float64(b.y1))
	}
	return xs, ys
}

// sampleRow samples g at column x between rows, linearly; outside the image
// it is white paper.
func sampleRow(g *image.Gray, x int, sy float64) uint8 {
	h := g.Rect.Dy()
	y0 := int(math.Floor(sy))
	if y0 < 0 || y0+1 >= h {
		return 255
	}
	fy := sy - float64(y0)
	p0 := float64(g.Pix[y0*g.Stride+x])
	p1 := float64(g.Pix[(y0+1)*g.Stride+x])
	return uint8(p0 + (p1-p0)*fy + 0.5)
}

// fitBands fits the bands' tilts deg at rows cy with a straight line,
// dropping the band furthest off it while one is more than
// keystoneMaxResidual off and keystoneMinBands would remain: the band at
// the sheet's foot often holds its edge or the surface beyond it. ok is
// false when no such line is left.
func fitBands(cy, deg []float64) (a, slope, lo, hi float64, ok bool) {
	cy, deg = slices.Clone(cy), slices.Clone(deg)
	for len(cy) >= keystoneMinBands {
		a, slope = fitLine(cy, deg)
		worst, off := -1, 0.0
		for i := range cy {
			if d := math.Abs(a + slope*cy[i] - deg[i]); d > off {
				worst, off = i, d
			}
		}
		if off <= keystoneMaxResidual {
			return a, slope, cy[0], cy[len(cy)-1], true
		}
		cy, deg = slices.Delete(cy, worst, worst+1), slices.Delete(deg, worst, worst+1)
	}
	return 0, 0, 0, 0, false
}

// fitLine fits v = a + b·u by least squares.
func fitLine(u, v []float64) (a, b float64) {
	n := float64(len(u))
	var su, sv, suu, suv float64
	for i := range u {
		su += u[i]
		sv += v[i]
		suu += u[i] * u[i]
		suv += u[i] * v[i]
	}
	den := n*suu - su*su
	if den == 0 {
		return sv / n, 0
	}
	b = (n*suv - su*sv) / den
	return (sv - b*su) / n, b
}

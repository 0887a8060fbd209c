package imageprep

import (
	"image"
	"math"
)

const (
	maxSkewDeg  = 10.0 // hand-held photos of a sheet that runs off the frame tilt more than scans
	minSkewDeg  = 0.3  // below this Tesseract copes and a resample only blurs
	skewLongMax = 1600
)

// deskew levels text lines tilted by up to ±10°. The angle is the one that
// maximises the variance of the horizontal projection of dark pixels
// (text lines turn into sharp peaks when level), searched coarse to fine
// on a copy of at most 1600 px.
func (p *enhancer) deskew() (bool, error) {
	g := p.gray
	w, h := g.Rect.Dx(), g.Rect.Dy()
	if w < 64 || h < 64 {
		return false, nil
	}
	deg, ok := estimateSkew(g)
	if !ok {
		p.log.Debug("deskew: no text lines found")
		return false, nil
	}
	if math.Abs(deg) < minSkewDeg {
		return false, nil
	}
	// Expand the canvas so no corner of the page is cut off.
	t := math.Abs(deg) * math.Pi / 180
	c, s := math.Cos(t), math.Sin(t)
	ow := int(math.Ceil(float64(w)*c + float64(h)*s))
	oh := int(math.Ceil(float64(w)*s + float64(h)*c))
	p.gray = warpGray(g, rotationMap(deg, w, h, ow, oh), ow, oh, 255)
	p.log.Debug("deskew: rotated", "degrees", deg)
	return true, nil
}

// estimateSkew returns the clockwise tilt of the text lines in degrees
// (a line falling to the right has a positive tilt).
func estimateSkew(g *image.Gray) (float64, bool) {
	f := max(1, (max(g.Rect.Dx(), g.Rect.Dy())+skewLongMax-1)/skewLongMax)
	small := boxDown(g, f)
	xs, ys := darkPoints(small, 80_000)
	if len(xs) < 300 {
		return 0, false
	}
	deg, peak := skewOfPoints(xs, ys, small.Rect.Dx(), small.Rect.Dy())
	return deg, peak >= minSkewPeak
}

// minSkewPeak is how many times the projection's mean score the best
// angle's must be for a page to have text lines at all (estimateSkew).
const minSkewPeak = 1.15

// skewOfPoints is estimateSkew on ink points of a sw×sh image: the angle
// and how many times the mean score over the range its score is (the
// sharper the peak, the surer the lines).
func skewOfPoints(xs, ys []float64, sw, sh int) (deg, peak float64) {
	bins := make([]float64, sh+sw+2)
	off := float64(sw) * math.Tan(maxSkewDeg*math.Pi/180)
	score := func(deg float64) float64 {
		clear(bins)
		tn := math.Tan(deg * math.Pi / 180)
		for i := range xs {
			b := int(ys[i] - xs[i]*tn + off)
			if b >= 0 && b < len(bins) {
				bins[b]++
			}
		}
		var s float64
		for _, v := range bins {
			s += v * v
		}
		return s
	}
	// Coarse to fine: 0.5° over the range, then 0.1° and 0.025° around the
	// best angle (the peak of a text page is ~1° wide).
	best, bestScore := 0.0, -1.0
	for d := -maxSkewDeg; d <= maxSkewDeg+1e-9; d += 0.5 {
		if s := score(d); s > bestScore {
			best, bestScore = d, s
		}
	}
	for _, st := range [][2]float64{{0.5, 0.1}, {0.1, 0.025}} {
		c := best
		for d := c - st[0]; d <= c+st[0]+1e-9; d += st[1] {
			if s := score(d); s > bestScore {
				best, bestScore = d, s
			}
		}
	}
	// A page without lines has a flat score curve: compare the peak with
	// the average over the range.
	var mean float64
	n := 0
	for d := -maxSkewDeg; d <= maxSkewDeg+1e-9; d += 2 {
		mean += score(d)
		n++
	}
	mean /= float64(n)
	if mean <= 0 {
		return 0, 0
	}
	return best, bestScore / mean
}

// darkPoints returns the coordinates of ink pixels: darker than 80% of the
// local mean (a window of 1/40 of the page, via an integral image) and than
// 200, so shadows and gradients do not count. At most limit points are
// returned, evenly subsampled.
func darkPoints(g *image.Gray, limit int) (xs, ys []float64) {
	w, h := g.Rect.Dx(), g.Rect.Dy()
	ii := integral(g)
	r := max(4, max(w, h)/80)
	var cnt int
	mark := make([]bool, w*h)
	for y := 0; y < h; y++ {
		y0, y1 := max(0, y-r), min(h, y+r+1)
		row := g.Pix[y*g.Stride:]
		for x := 0; x < w; x++ {
			v := row[x]
			if v > 200 {
				continue
			}
			x0, x1 := max(0, x-r), min(w, x+r+1)
			mean := float64(ii.sum(x0, y0, x1, y1)) / float64((x1-x0)*(y1-y0))
			if float64(v) < 0.8*mean {
				mark[y*w+x] = true
				cnt++
			}
		}
	}
	step := max(1, cnt/limit)
	i := 0
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			if mark[y*w+x] {
				if i%step == 0 {
					xs = append(xs, float64(x))
					ys = append(ys, float64(y))
				}
				i++
			}
		}
	}
	return xs, ys
}

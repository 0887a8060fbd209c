package imageprep

import (
	"math"
	"slices"
	"sort"
)

// sheet finds the paper on a background and warps it to an upright
// rectangle. It skips itself when the paper fills the frame (scans,
// close-up photos) or when the paper does not stand out clearly.
func (p *enhancer) sheet() (bool, error) {
	g := p.gray
	w, h := g.Rect.Dx(), g.Rect.Dy()
	if w < 64 || h < 64 {
		return false, nil
	}
	q, why := findSheet(p.stats.grid, w, h)
	if why != "" {
		p.log.Debug("sheet: skipped", "reason", why)
		return false, nil
	}
	ow, oh, page := sheetSize(q)
	if !page {
		p.log.Debug("sheet: skipped", "reason", "not a page's shape", "ratio", float64(max(ow, oh))/float64(max(1, min(ow, oh))))
		return false, nil
	}
	// Never grow the page: a far-away sheet stays at its resolution.
	if lim := float64(w) * float64(h) * 1.2; float64(ow)*float64(oh) > lim {
		f := math.Sqrt(lim / (float64(ow) * float64(oh)))
		ow, oh = int(float64(ow)*f), int(float64(oh)*f)
	}
	if ow < 32 || oh < 32 {
		return false, nil
	}
	// Map the output rectangle, widened by a small margin, onto the quad so
	// that the paper edge (and the background sliver beyond it) falls
	// outside the output.
	m := 0.006 * float64(max(ow, oh))
	dst := [4]point{{-m, -m}, {float64(ow) + m, -m}, {float64(ow) + m, float64(oh) + m}, {-m, float64(oh) + m}}
	hm, ok := homographyFromQuads(dst, q)
	if !ok {
		return false, nil
	}
	p.gray = warpGray(g, hm, ow, oh, 255)
	p.sheetFound = true
	p.log.Debug("sheet: warped", "corners", q, "w", ow, "h", oh)
	return true, nil
}

// Our documents are A4 or A5, both of the ratio √2. A region of another
// shape is a piece of the page, cut off by a shadow band or a fold, and
// warping it to fill the output loses the rest of the page: corpus
// 005-upd-hard's strip (ratio 1.88) read nothing, and a shadow over the top
// of a sheet cut its first third off (seed 9501's realistic act 014, ratio
// 1.25: number, date and both parties lost; seed 1's photographed act 038,
// 1.29). Such a region is not warped; the page is read as photographed,
// which deskewing and the keystone step straighten. On the photographs of
// seeds 1, 31, 33, 7631, 8801, 9401 and 9501 and real-dev, 79 of the 84
// regions found came within a4Tolerance of √2 (perspective included, since
// sheetSize measures the nearer of each pair of sides); the five others
// (1.13–1.29) were pieces of pages, and two of those documents went from
// nothing read to every key field right once left unwarped.
const a4Tolerance = 0.08

// sheetSize is the output size for quad q (TL, TR, BR, BL): the longer of
// each pair of opposite sides (the nearer side is the less foreshortened),
// snapped to the A4 ratio when within a4Tolerance of it; page says it was.
func sheetSize(q [4]point) (w, h int, page bool) {
	fw := max(dist(q[0], q[1]), dist(q[3], q[2]))
	fh := max(dist(q[0], q[3]), dist(q[1], q[2]))
	r := fh / fw
	switch {
	case math.Abs(r/math.Sqrt2-1) < a4Tolerance:
		fh, page = fw*math.Sqrt2, true
	case math.Abs(r*math.Sqrt2-1) < a4Tolerance:
		fw, page = fh*math.Sqrt2, true
	}
	return int(math.Round(fw)), int(math.Round(fh)), page
}

func dist(a, b point) float64 { return math.Hypot(a.X-b.X, a.Y-b.Y) }

// findSheet returns the paper's corners (TL, TR, BR, BL) in image
// coordinates, or a reason why it will not warp.
//
// Paper is bright and unsaturated, so each grid cell scores luma − 1.5 ×
// chroma; Otsu splits the scores, a 3×3 opening cuts thin bridges to other
// bright things, and the largest connected bright region is the sheet. Its
// convex hull gives the max-area inscribed quadrilateral, whose sides are
// then refitted to the region's edge points by least squares (so rounded,
// dog-eared or shadowed corners do not pull the corners inwards).
func findSheet(gr colorGrid, w, h int) ([4]point, string) {
	var q [4]point
	gw, gh := gr.w, gr.h
	if gw < 16 || gh < 16 {
		return q, "too small"
	}
	score := make([]uint8, gw*gh)
	for i := range score {
		score[i] = sat(int(gr.luma[i] - 1.5*gr.chroma[i]))
	}
	thr, sep := otsu(score)
	if sep < 40 {
		return q, "paper does not stand out"
	}
	mask := make([]bool, gw*gh)
	for i, s := range score {
		mask[i] = s > thr
	}
	mask = morph3(morph3(mask, gw, gh, false), gw, gh, true)
	comp, area := largestComponent(mask, gw, gh)
	// Hysteresis: paper in shadow scores below the Otsu threshold but well
	// above the background; grow the region into cells above a lower
	// threshold, halfway between the background and the threshold.
	var bgSum, bgN float64
	for _, s := range score {
		if s <= thr {
			bgSum += float64(s)
			bgN++
		}
	}
	if bgN > 0 {
		low := uint8((bgSum/bgN + float64(thr)) / 2)
		area = growRegion(comp, score, low, gw, gh)
	}
	frac := float64(area) / float64(gw*gh)
	if frac < 0.15 {
		return q, "no large bright region"
	}
	if frac > 0.97 {
		return q, "sheet fills the frame"
	}
	// A sheet running off the frame shows no corners on that side: the
	// region's border there is the frame or a shadow edge, and a warp to
	// it distorts the page (seen on corpus photos with a shadow across
	// a sheet that filled the frame). Only whole sheets are warped.
	if touch := borderShare(comp, gw, gh); touch > maxBorderShare {
		return q, "sheet runs off the frame"
	}
	edge := componentEdgePoints(comp, gw, gh)
	hull := convexHull(edge)
	if len(hull) < 4 {
		return q, "degenerate region"
	}
	quad := maxAreaQuad(hull)
	diag := math.Hypot(float64(gw), float64(gh))
	quad = refineQuad(quad, edge, diag)
	quad = orderCorners(quad)
	// A corner hidden in shadow: the sides' lines meet where the hull
	// has no vertex. Taken only when that quad is a plausible page that
	// holds the whole region and is larger than the hull's (it restores a
	// cut-off corner; it never trims the region).
	if lq, ok := sideLineQuad(comp, gw, gh); ok && plausibleQuad(lq, float64(gw), float64(gh)) &&
		quadArea(lq) > 1.02*quadArea(quad) && outsideShare(comp, gw, gh, lq) <= maxOutsideShare {
		quad = lq
	}
	if !plausibleQuad(quad, float64(gw), float64(gh)) {
		return q, "implausible quadrilateral"
	}
	if shadowSide(score, gw, gh, quad) {
		return q, "a side is a shadow's edge"
	}
	frame := [4]point{{0, 0}, {float64(gw), 0}, {float64(gw), float64(gh)}, {0, float64(gh)}}
	near := 0
	for i := range quad {
		if dist(quad[i], frame[i]) < 0.02*diag {
			near++
		}
	}
	if near == 4 {
		return q, "sheet fills the frame"
	}
	c := float64(gr.cell)
	for i := range quad {
		q[i] = point{min(quad[i].X*c, float64(w)), min(quad[i].Y*c, float64(h))}
	}
	return q, ""
}

// otsu returns the threshold maximising between-class variance and the
// distance between the two class means (how well the classes separate).
func otsu(v []uint8) (uint8, float64) {
	var hist [256]float64
	for _, x := range v {
		hist[x]++
	}
	return otsuHist(hist[:], float64(len(v)))
}

func otsuHist(hist []float64, n float64) (uint8, float64) {
	var sum float64
	for i, c := range hist {
		sum += float64(i) * c
	}
	var wB, sumB, best float64
	var thr uint8
	var sep float64
	for t := 0; t < 255; t++ {
		wB += hist[t]
		if wB == 0 {
			continue
		}
		wF := n - wB
		if wF == 0 {
			break
		}
		sumB += float64(t) * hist[t]
		mB, mF := sumB/wB, (sum-sumB)/wF
		between := wB * wF * (mB - mF) * (mB - mF)
		if between > best {
			best, thr, sep = between, uint8(t), mF-mB
		}
	}
	return thr, sep
}

// morph3 is a 3×3 erosion (dilate=false) or dilation of a binary mask.
func morph3(m []bool, w, h int, dilate bool) []bool {
	out := make([]bool, len(m))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			v := !dilate
			for dy := -1; dy <= 1 && v == !dilate; dy++ {
				yy := y + dy
				if yy < 0 || yy >= h {
					continue
				}
				for dx := -1; dx <= 1; dx++ {
					xx := x + dx
					if xx < 0 || xx >= w {
						continue
					}
					if m[yy*w+xx] == dilate {
						v = dilate
						break
					}
				}
			}
			out[y*w+x] = v
		}
	}
	return out
}

// largestComponent returns the largest 4-connected true region of m.
func largestComponent(m []bool, w, h int) ([]bool, int) {
	label := make([]int32, len(m))
	var stack []int
	bestLabel, bestArea := int32(0), 0
	next := int32(0)
	for i, v := range m {
		if !v || label[i] != 0 {
			continue
		}
		next++
		area := 0
		stack = append(stack[:0], i)
		label[i] = next
		for len(stack) > 0 {
			j := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			area++
			x, y := j%w, j/w
			for _, k := range [4]int{j - 1, j + 1, j - w, j + w} {
				switch {
				case k == j-1 && x == 0, k == j+1 && x == w-1, k == j-w && y == 0, k == j+w && y == h-1:
					continue
				}
				if m[k] && label[k] == 0 {
					label[k] = next
					stack = append(stack, k)
				}
			}
		}
		if area > bestArea {
			bestArea, bestLabel = area, next
		}
	}
	out := make([]bool, len(m))
	for i, l := range label {
		out[i] = l == bestLabel && l != 0
	}
	return out, bestArea
}

// componentEdgePoints returns the outer edge of a region as points on cell
// borders: the left and right edge of each row's extreme cells and the top
// and bottom edge of each column's extreme cells.
func componentEdgePoints(c []bool, w, h int) []point {
	o := outlineOf(c, w, h)
	pts := make([]point, 0, len(o.left)+len(o.right)+len(o.top)+len(o.bottom))
	for i := range o.left {
		pts = append(pts, o.left[i], o.right[i])
	}
	for i := range o.top {
		pts = append(pts, o.top[i], o.bottom[i])
	}
	return pts
}

// outline is a region's outer edge by the side it faces: per row the left
// edge of its first cell and the right edge of its last, per column the
// top edge of its first cell and the bottom edge of its last.
type outline struct{ left, right, top, bottom []point }

func outlineOf(c []bool, w, h int) outline {
	var o outline
	for y := 0; y < h; y++ {
		l, r := -1, -1
		for x := 0; x < w; x++ {
			if c[y*w+x] {
				if l < 0 {
					l = x
				}
				r = x
			}
		}
		if l >= 0 {
			o.left = append(o.left, point{float64(l), float64(y) + 0.5})
			o.right = append(o.right, point{float64(r + 1), float64(y) + 0.5})
		}
	}
	for x := 0; x < w; x++ {
		t, b := -1, -1
		for y := 0; y < h; y++ {
			if c[y*w+x] {
				if t < 0 {
					t = y
				}
				b = y
			}
		}
		if t >= 0 {
			o.top = append(o.top, point{float64(x) + 0.5, float64(t)})
			o.bottom = append(o.bottom, point{float64(x) + 0.5, float64(b + 1)})
		}
	}
	return o
}

// convexHull is Andrew's monotone chain; the hull is counter-clockwise in
// a y-up frame (clockwise on screen), without collinear points.
func convexHull(pts []point) []point {
	ps := append([]point(nil), pts...)
	sort.Slice(ps, func(i, j int) bool {
		if ps[i].X != ps[j].X {
			return ps[i].X < ps[j].X
		}
		return ps[i].Y < ps[j].Y
	})
	if len(ps) < 3 {
		return ps
	}
	hull := make([]point, 0, 2*len(ps))
	for _, pt := range ps {
		for len(hull) >= 2 && cross(hull[len(hull)-2], hull[len(hull)-1], pt) <= 0 {
			hull = hull[:len(hull)-1]
		}
		hull = append(hull, pt)
	}
	lower := len(hull) + 1
	for i := len(ps) - 2; i >= 0; i-- {
		pt := ps[i]
		for len(hull) >= lower && cross(hull[len(hull)-2], hull[len(hull)-1], pt) <= 0 {
			hull = hull[:len(hull)-1]
		}
		hull = append(hull, pt)
	}
	return hull[:len(hull)-1]
}

func cross(o, a, b point) float64 { return (a.X-o.X)*(b.Y-o.Y) - (a.Y-o.Y)*(b.X-o.X) }

// maxAreaQuad picks the four hull vertices spanning the largest area. For
// each diagonal (i, k) the best vertex on either side moves monotonically
// with k, so the search is O(n²).
func maxAreaQuad(hull []point) [4]point {
	n := len(hull)
	at := func(i int) point { return hull[i%n] }
	tri := func(a, b, c int) float64 { return math.Abs(cross(at(a), at(b), at(c))) }
	best := -1.0
	var q [4]point
	for i := 0; i < n; i++ {
		j := i + 1
		l := i + 3
		for k := i + 2; k < i+n-1; k++ {
			if j >= k {
				j = k - 1
			}
			for j+1 < k && tri(i, j+1, k) >= tri(i, j, k) {
				j++
			}
			if l <= k {
				l = k + 1
			}
			for l+1 < i+n && tri(i, k, l+1) >= tri(i, k, l) {
				l++
			}
			if l >= i+n {
				continue
			}
			if a := tri(i, j, k) + tri(i, k, l); a > best {
				best = a
				q = [4]point{at(i), at(j), at(k), at(l)}
			}
		}
	}
	return q
}

// refineQuad refits each side of q to the edge points lying near its middle
// 70% and intersects neighbouring sides. A corner that moves more than 3%
// of the diagonal keeps its hull position.
func refineQuad(q [4]point, edge []point, diag float64) [4]point {
	type line struct{ p, d point } // point and unit direction
	var lines [4]line
	var okLine [4]bool
	band := max(1.5, 0.006*diag)
	for s := 0; s < 4; s++ {
		a, b := q[s], q[(s+1)%4]
		l := dist(a, b)
		if l < 1 {
			continue
		}
		ux, uy := (b.X-a.X)/l, (b.Y-a.Y)/l
		var sx, sy, n float64
		var sel []point
		for _, e := range edge {
			t := ((e.X-a.X)*ux + (e.Y-a.Y)*uy) / l
			if t < 0.15 || t > 0.85 {
				continue
			}
			if math.Abs((e.X-a.X)*uy-(e.Y-a.Y)*ux) > band {
				continue
			}
			sel = append(sel, e)
			sx += e.X
			sy += e.Y
			n++
		}
		if n < 8 {
			continue
		}
		mx, my := sx/n, sy/n
		var cxx, cxy, cyy float64
		for _, e := range sel {
			dx, dy := e.X-mx, e.Y-my
			cxx += dx * dx
			cxy += dx * dy
			cyy += dy * dy
		}
		// Principal direction of the scatter.
		th := 0.5 * math.Atan2(2*cxy, cxx-cyy)
		lines[s] = line{point{mx, my}, point{math.Cos(th), math.Sin(th)}}
		okLine[s] = true
	}
	out := q
	for c := 0; c < 4; c++ {
		s1, s2 := (c+3)%4, c // sides meeting at corner c
		if !okLine[s1] || !okLine[s2] {
			continue
		}
		p, ok := intersect(lines[s1].p, lines[s1].d, lines[s2].p, lines[s2].d)
		if ok && dist(p, q[c]) < 0.03*diag {
			out[c] = p
		}
	}
	return out
}

func intersect(p1, d1, p2, d2 point) (point, bool) {
	den := d1.X*d2.Y - d1.Y*d2.X
	if math.Abs(den) < 1e-6 {
		return point{}, false
	}
	t := ((p2.X-p1.X)*d2.Y - (p2.Y-p1.Y)*d2.X) / den
	return point{p1.X + t*d1.X, p1.Y + t*d1.Y}, true
}

// orderCorners returns q as top-left, top-right, bottom-right, bottom-left:
// clockwise on screen starting from the corner nearest the origin by x+y.
func orderCorners(q [4]point) [4]point {
	var cx, cy float64
	for _, p := range q {
		cx += p.X / 4
		cy += p.Y / 4
	}
	sort.Slice(q[:], func(i, j int) bool {
		return math.Atan2(q[i].Y-cy, q[i].X-cx) < math.Atan2(q[j].Y-cy, q[j].X-cx)
	})
	// Angles from −π: the order is now clockwise on screen (y down).
	start := 0
	for i := range q {
		if q[i].X+q[i].Y < q[start].X+q[start].Y {
			start = i
		}
	}
	var out [4]point
	for i := range out {
		out[i] = q[(start+i)%4]
	}
	return out
}

// plausibleQuad accepts a convex quadrilateral covering at least a fifth of
// the frame whose corners are between 60° and 120°. A phone held over a
// page bends its corners by well under 30°; a wider corner came from a
// shadow band cutting the paper region (corpus 005-upd-photo: a 134°
// corner, the warp cut off a third of the page and token recall fell to
// 0.07).
func plausibleQuad(q [4]point, w, h float64) bool {
	area := 0.0
	for i := 0; i < 4; i++ {
		a, b, c := q[i], q[(i+1)%4], q[(i+2)%4]
		if cross(a, b, c) <= 0 { // clockwise on screen = positive cross in y-down
			return false
		}
		area += a.X*b.Y - b.X*a.Y
		v1 := point{a.X - b.X, a.Y - b.Y}
		v2 := point{c.X - b.X, c.Y - b.Y}
		cos := (v1.X*v2.X + v1.Y*v2.Y) / (math.Hypot(v1.X, v1.Y) * math.Hypot(v2.X, v2.Y))
		if math.Abs(cos) > math.Cos(60*math.Pi/180) {
			return false
		}
	}
	return math.Abs(area)/2 >= 0.2*w*h
}

// growRegion adds to region every cell scoring above low that is
// 4-connected to it, and returns the new area.
func growRegion(region []bool, score []uint8, low uint8, w, h int) int {
	var stack []int
	area := 0
	for i, in := range region {
		if in {
			stack = append(stack, i)
			area++
		}
	}
	for len(stack) > 0 {
		j := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		x, y := j%w, j/w
		try := func(k int) {
			if !region[k] && score[k] > low {
				region[k] = true
				area++
				stack = append(stack, k)
			}
		}
		if x > 0 {
			try(j - 1)
		}
		if x < w-1 {
			try(j + 1)
		}
		if y > 0 {
			try(j - w)
		}
		if y < h-1 {
			try(j + w)
		}
	}
	return area
}

// maxOutsideShare is how much of the bright region may lie outside the
// quad drawn from the sides' lines (the outline's cells straddle the edge,
// and a dog-eared corner sticks out a little).
const maxOutsideShare = 0.02

// maxBorderShare is the share of the frame's border cells the sheet may
// cover (a corner or an edge grazing the frame is tolerated).
const maxBorderShare = 0.08

// borderShare is the share of the frame's border cells inside region.
func borderShare(region []bool, w, h int) float64 {
	n := 0
	for x := 0; x < w; x++ {
		if region[x] {
			n++
		}
		if region[(h-1)*w+x] {
			n++
		}
	}
	for y := 1; y < h-1; y++ {
		if region[y*w] {
			n++
		}
		if region[y*w+w-1] {
			n++
		}
	}
	return float64(n) / float64(2*w+2*h-4)
}

// A paper's edge is a step: the paper on one side, the table on the other,
// a cell or two apart. The edge of a shadow is a ramp: a hand or a phone
// held over the page casts a penumbra tens of cells wide, and where the
// table is as bright as the shaded paper (grey stone, a light wall) the
// bright region ends inside the page, along the shadow. Warped to fill the
// output, that region loses what lies beyond: seed 10121's realistic acts
// 005 and 010 lost their top third this way — title, number, both
// parties — and read nothing, while unwarped they read every key field.
//
// edgeStepMin and edgeStepShare decide a side is no paper edge: the
// score (luma − 1.5·chroma, as the region was found by) falls by less than
// edgeStepMin over any two cells near the side and by less than
// edgeStepShare of the fall from 10–14 cells in to 10–14 cells out. A
// survey of the 68 sheets found on the 220 realistic, scanner-app and
// messenger photos of the committed corpus (seed 1), of seeds 10071,
// 10081, 10101, 10111, 10121, 10131, 10151 and 10161, and of real-dev: the shadowed sides of those two acts fell by 15 and 9 (44 and
// 33 further off); every paper edge fell by 30 or more over two cells
// (the least, 32 with 47 further off), but for sides with as little
// contrast further off (a pale table), which the share keeps. Two more
// sides were taken for shadows: 10101's realistic bill 015 (a shadow
// band across its foot), then approved with every key field right, and
// 10131's realistic ТОРГ-12 004 (a shadow across a sheet photographed
// turned), whose table then read worse (33 → 22 of 50 fields; its key
// fields were wrong before and after).
const (
	edgeStepMin   = 30
	edgeStepShare = 0.6
)

// shadowSide reports whether a side of quad (grid cells, TL TR BR BL) is
// a shadow's edge rather than the paper's.
func shadowSide(score []uint8, w, h int, q [4]point) bool {
	for _, e := range sideSteps(score, w, h, q) {
		if e.judged && e.step < edgeStepMin && e.step < edgeStepShare*e.far {
			return true
		}
	}
	return false
}

// sideStep is the score's steepest step across one side of a quad and
// the contrast between its two sides further off. A side whose outside
// lies off the grid is not judged.
type sideStep struct {
	step, far float64
	judged    bool
}

// sideSteps measures each side of quad (grid cells, TL TR BR BL) by the
// median score, along the side's middle 60%, at each distance from it:
// step is the largest fall over two cells within edgeSearch cells of the
// side (the side's line may sit a few cells off the paper's edge), far
// the fall from 10–14 cells in to 10–14 cells out.
func sideSteps(score []uint8, w, h int, q [4]point) [4]sideStep {
	const (
		samples    = 24
		edgeSearch = 8
		reach      = 14
	)
	var out [4]sideStep
	for s := 0; s < 4; s++ {
		a, b := q[s], q[(s+1)%4]
		l := dist(a, b)
		if l < 8 {
			continue
		}
		ux, uy := (b.X-a.X)/l, (b.Y-a.Y)/l
		nx, ny := uy, -ux // outward: the quad runs clockwise on screen
		var prof [2*reach + 1]float64
		judged := true
		v := make([]float64, 0, samples)
		for d := -reach; d <= reach && judged; d++ {
			v = v[:0]
			for k := range samples {
				t := 0.2 + 0.6*float64(k)/(samples-1)
				x := int(a.X + ux*l*t + nx*float64(d))
				y := int(a.Y + uy*l*t + ny*float64(d))
				if x >= 0 && y >= 0 && x < w && y < h {
					v = append(v, float64(score[y*w+x]))
				}
			}
			if len(v) < samples/2 {
				judged = false
				break
			}
			slices.Sort(v)
			prof[d+reach] = v[len(v)/2]
		}
		if !judged {
			continue
		}
		at := func(d int) float64 { return prof[d+reach] }
		step := math.Inf(-1)
		for d := -edgeSearch; d <= edgeSearch; d++ {
			step = max(step, at(d-1)-at(d+1))
		}
		mid := func(d0, d1 int) float64 {
			m := slices.Clone(prof[d0+reach : d1+reach+1])
			slices.Sort(m)
			return m[len(m)/2]
		}
		out[s] = sideStep{step: step, far: mid(-reach, -10) - mid(10, reach), judged: true}
	}
	return out
}

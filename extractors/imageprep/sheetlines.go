package imageprep

import "math"

// sideLineQuad fits each side of the sheet to the longest straight run of
// the region's outline facing that way, and intersects the four lines.
//
// Why beside the hull: a shadow across a corner (a hand, the phone) takes
// that corner out of the bright region, and the region's hull then has a
// vertex where the shadow meets the edge, far from the paper's corner; the
// warp to it turns the page by 10–20° and cuts a strip off (generated
// photo_real 009-act of seed 31: OCR read nothing). The paper's edges are
// still straight where they are lit, so a line through the lit part of
// each edge meets its neighbour at the hidden corner.
//
// Each side is searched within maxSideTilt of the frame's axes (a phone
// held over a page, portrait or landscape); a line must be supported by
// edge points along at least minSideSupport of the side's length, or the
// fit is refused.
func sideLineQuad(c []bool, w, h int) ([4]point, bool) {
	o := outlineOf(c, w, h)
	// Horizontal sides as y = a + b·x, vertical ones as x = a + b·y (the
	// points transposed).
	top, ok1 := fitSide(o.top, false)
	bottom, ok2 := fitSide(o.bottom, false)
	left, ok3 := fitSide(o.left, true)
	right, ok4 := fitSide(o.right, true)
	if !(ok1 && ok2 && ok3 && ok4) {
		return [4]point{}, false
	}
	corner := func(hz, vt sideLine) point {
		// y = ha + hb·x, x = va + vb·y → x = va + vb·(ha + hb·x).
		den := 1 - vt.b*hz.b
		x := (vt.a + vt.b*hz.a) / den
		return point{x, hz.a + hz.b*x}
	}
	q := [4]point{corner(top, left), corner(top, right), corner(bottom, right), corner(bottom, left)}
	// Support: each line must be backed along part of the side it bounds.
	for i, s := range []sideLine{top, right, bottom, left} {
		a, b := q[i], q[(i+1)%4]
		if float64(s.support) < minSideSupport*dist(a, b) {
			return [4]point{}, false
		}
	}
	return q, true
}

// sideLine is a fitted side: y = a + b·x (or x = a + b·y for a vertical
// side) with the number of edge points within a cell and a half of it.
type sideLine struct {
	a, b    float64
	support int
}

// maxSideTilt is how far a sheet's side may lean from the frame's axes:
// perspective up to ~15° plus a page laid a little askew (the realistic
// photo variant draws up to 15° of perspective; real bills lean under 10°).
const maxSideTilt = 20 * math.Pi / 180

// minSideSupport is the share of a side's length its line must be seen
// along: a corner may hide in shadow, not most of an edge.
const minSideSupport = 0.3

// fitSide finds the line with the most points within a cell of it among
// slopes up to maxSideTilt (a Hough vote over slope and intercept), then
// refits it by least squares to those points.
func fitSide(pts []point, vertical bool) (sideLine, bool) {
	if len(pts) < 8 {
		return sideLine{}, false
	}
	uv := func(p point) (float64, float64) { // (along, across)
		if vertical {
			return p.Y, p.X
		}
		return p.X, p.Y
	}
	var best sideLine
	const steps = 40
	for s := -steps; s <= steps; s++ {
		b := math.Tan(maxSideTilt * float64(s) / steps)
		votes := map[int]int{}
		for _, p := range pts {
			u, v := uv(p)
			votes[int(math.Floor(v-b*u))]++
		}
		for a, n := range votes {
			// A line's points straddle two bins; count both.
			if n += votes[a+1]; n > best.support {
				best = sideLine{a: float64(a) + 1, b: b, support: n}
			}
		}
	}
	// Least squares over the points near the voted line.
	var su, sv, suu, suv, n float64
	for _, p := range pts {
		u, v := uv(p)
		if math.Abs(v-(best.a+best.b*u)) <= 1.5 {
			su += u
			sv += v
			suu += u * u
			suv += u * v
			n++
		}
	}
	if n < 8 {
		return sideLine{}, false
	}
	den := n*suu - su*su
	if den == 0 {
		return sideLine{}, false
	}
	b := (n*suv - su*sv) / den
	if math.Abs(b) > math.Tan(maxSideTilt) {
		return sideLine{}, false
	}
	return sideLine{a: (sv - b*su) / n, b: b, support: int(n)}, true
}

// quadArea is the area of a simple quadrilateral (shoelace).
func quadArea(q [4]point) float64 {
	a := 0.0
	for i := range q {
		b := q[(i+1)%4]
		a += q[i].X*b.Y - b.X*q[i].Y
	}
	return math.Abs(a) / 2
}

// outsideShare is the share of the region's cells whose centres lie
// outside the convex quad q (TL, TR, BR, BL, clockwise on screen) by more
// than a cell.
func outsideShare(c []bool, w, h int, q [4]point) float64 {
	in, out := 0, 0
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			if !c[y*w+x] {
				continue
			}
			p := point{float64(x) + 0.5, float64(y) + 0.5}
			inside := true
			for i := range q {
				a, b := q[i], q[(i+1)%4]
				// Signed distance to side a→b; inside is to its right on
				// screen (positive cross in y-down for a clockwise quad).
				l := dist(a, b)
				if l == 0 {
					continue
				}
				if cross(a, b, p)/l < -1 {
					inside = false
					break
				}
			}
			if inside {
				in++
			} else {
				out++
			}
		}
	}
	if in+out == 0 {
		return 1
	}
	return float64(out) / float64(in+out)
}

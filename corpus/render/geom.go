package render

import (
	"math"

	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"
)

// pt is a point; its unit depends on where it is used (font units, mm, px).
type pt struct{ X, Y float64 }

// contour is a closed polygon.
type contour []pt

// flatten turns glyph segments (26.6 fixed point) into polygons in the same
// unit divided by 64, splitting curves into pieces no longer than step.
func flatten(segs sfnt.Segments, step float64) []contour {
	var out []contour
	var cur contour
	var p pt
	conv := func(x, y fixed.Int26_6) pt { return pt{float64(x) / 64, float64(y) / 64} }
	for _, s := range segs {
		switch s.Op {
		case sfnt.SegmentOpMoveTo:
			if len(cur) > 2 {
				out = append(out, cur)
			}
			p = conv(s.Args[0].X, s.Args[0].Y)
			cur = contour{p}
		case sfnt.SegmentOpLineTo:
			p = conv(s.Args[0].X, s.Args[0].Y)
			cur = append(cur, p)
		case sfnt.SegmentOpQuadTo:
			c, e := conv(s.Args[0].X, s.Args[0].Y), conv(s.Args[1].X, s.Args[1].Y)
			cur = appendQuad(cur, p, c, e, step)
			p = e
		case sfnt.SegmentOpCubeTo:
			c1, c2, e := conv(s.Args[0].X, s.Args[0].Y), conv(s.Args[1].X, s.Args[1].Y), conv(s.Args[2].X, s.Args[2].Y)
			cur = appendCubic(cur, p, c1, c2, e, step)
			p = e
		}
	}
	if len(cur) > 2 {
		out = append(out, cur)
	}
	return out
}

func dist(a, b pt) float64 { return math.Hypot(a.X-b.X, a.Y-b.Y) }

func pieces(length, step float64) int {
	n := int(math.Ceil(length / step))
	if n < 1 {
		n = 1
	}
	if n > 64 {
		n = 64
	}
	return n
}

func appendQuad(c contour, p0, p1, p2 pt, step float64) contour {
	n := pieces(dist(p0, p1)+dist(p1, p2), step)
	for i := 1; i <= n; i++ {
		t := float64(i) / float64(n)
		u := 1 - t
		c = append(c, pt{u*u*p0.X + 2*u*t*p1.X + t*t*p2.X, u*u*p0.Y + 2*u*t*p1.Y + t*t*p2.Y})
	}
	return c
}

func appendCubic(c contour, p0, p1, p2, p3 pt, step float64) contour {
	n := pieces(dist(p0, p1)+dist(p1, p2)+dist(p2, p3), step)
	for i := 1; i <= n; i++ {
		t := float64(i) / float64(n)
		u := 1 - t
		a, b, cc, d := u*u*u, 3*u*u*t, 3*u*t*t, t*t*t
		c = append(c, pt{a*p0.X + b*p1.X + cc*p2.X + d*p3.X, a*p0.Y + b*p1.Y + cc*p2.Y + d*p3.Y})
	}
	return c
}

// affine is a 2×3 transform: x' = A*x + B*y + C, y' = D*x + E*y + F.
type affine struct{ A, B, C, D, E, F float64 }

func (m affine) apply(p pt) pt { return pt{m.A*p.X + m.B*p.Y + m.C, m.D*p.X + m.E*p.Y + m.F} }

// then returns the transform that applies m first and n second.
func (m affine) then(n affine) affine {
	return affine{
		A: n.A*m.A + n.B*m.D, B: n.A*m.B + n.B*m.E, C: n.A*m.C + n.B*m.F + n.C,
		D: n.D*m.A + n.E*m.D, E: n.D*m.B + n.E*m.E, F: n.D*m.C + n.E*m.F + n.F,
	}
}

func translate(x, y float64) affine { return affine{A: 1, E: 1, C: x, F: y} }
func scale(s float64) affine        { return affine{A: s, E: s} }

// rotate turns by deg degrees clockwise on a Y-down page.
func rotate(deg float64) affine {
	s, c := math.Sincos(deg * math.Pi / 180)
	return affine{A: c, B: -s, D: s, E: c}
}

func transform(cs []contour, m affine) []contour {
	out := make([]contour, len(cs))
	for i, c := range cs {
		o := make(contour, len(c))
		for j, p := range c {
			o[j] = m.apply(p)
		}
		out[i] = o
	}
	return out
}

// circle returns a polygon approximating a circle, counter-clockwise on a
// Y-down page when ccw, clockwise otherwise.
func circle(cx, cy, r float64, ccw bool) contour {
	n := int(math.Max(32, math.Min(360, r*12)))
	c := make(contour, n)
	for i := range n {
		a := 2 * math.Pi * float64(i) / float64(n)
		if ccw {
			a = -a
		}
		c[i] = pt{cx + r*math.Cos(a), cy + r*math.Sin(a)}
	}
	return c
}

// ring returns the annulus between r-w/2 and r+w/2 as two opposite contours,
// so a nonzero fill leaves the middle empty.
func ring(cx, cy, r, w float64) []contour {
	return []contour{circle(cx, cy, r+w/2, false), circle(cx, cy, r-w/2, true)}
}

// signedArea is positive for clockwise polygons on a Y-down page.
func signedArea(c contour) float64 {
	var a float64
	for i := range c {
		j := (i + 1) % len(c)
		a += c[i].X*c[j].Y - c[j].X*c[i].Y
	}
	return a / 2
}

// strokePolys turns a polyline with a width at every point into
// overlapping, equally oriented trapezoids plus round dots at its ends and
// sharp turns; a nonzero fill of the union draws the pen stroke.
func strokePolys(line []pt, widths []float64) []contour {
	var out []contour
	add := func(c contour) {
		if signedArea(c) < 0 {
			for i, j := 0, len(c)-1; i < j; i, j = i+1, j-1 {
				c[i], c[j] = c[j], c[i]
			}
		}
		out = append(out, c)
	}
	for i := 0; i+1 < len(line); i++ {
		a, b := line[i], line[i+1]
		d := dist(a, b)
		if d == 0 {
			continue
		}
		ha, hb := widths[i]/2, widths[i+1]/2
		ux, uy := -(b.Y-a.Y)/d, (b.X-a.X)/d
		add(contour{{a.X + ux*ha, a.Y + uy*ha}, {b.X + ux*hb, b.Y + uy*hb}, {b.X - ux*hb, b.Y - uy*hb}, {a.X - ux*ha, a.Y - uy*ha}})
	}
	for i, p := range line {
		if i == 0 || i == len(line)-1 || sharpTurn(line[i-1], p, line[i+1]) {
			add(disc(p, widths[i]/2))
		}
	}
	return out
}

// sharpTurn reports whether the path turns by more than about 15° at b,
// where the trapezoids on either side leave a notch to fill.
func sharpTurn(a, b, c pt) bool {
	ax, ay, cx, cy := b.X-a.X, b.Y-a.Y, c.X-b.X, c.Y-b.Y
	la, lc := math.Hypot(ax, ay), math.Hypot(cx, cy)
	if la == 0 || lc == 0 {
		return false
	}
	return (ax*cx+ay*cy)/(la*lc) < 0.966
}

// disc is a small polygonal dot used for stroke joints and caps.
func disc(p pt, r float64) contour {
	const n = 10
	c := make(contour, n)
	for i := range n {
		a := 2 * math.Pi * float64(i) / n
		c[i] = pt{p.X + r*math.Cos(a), p.Y + r*math.Sin(a)}
	}
	return c
}

// bounds returns the bounding box of contours.
func bounds(cs []contour) (minX, minY, maxX, maxY float64) {
	minX, minY = math.Inf(1), math.Inf(1)
	maxX, maxY = math.Inf(-1), math.Inf(-1)
	for _, c := range cs {
		for _, p := range c {
			minX, maxX = math.Min(minX, p.X), math.Max(maxX, p.X)
			minY, maxY = math.Min(minY, p.Y), math.Max(maxY, p.Y)
		}
	}
	return
}

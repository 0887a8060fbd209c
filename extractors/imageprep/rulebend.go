package imageprep

import (
	"context"
	"image"
	"math"
	"slices"
)

// Bends measured on a form's rules.
//
// Leptonica's text-line model (the dewarp step) needs long text lines
// spread over the page, and a form has few: the rules of a table join its
// rows into one blob and cut its lines into cells. On seed 8901's realistic
// photos it fitted 4 pages of 22; the others gave «linecount 1–10 < 15» or
// «invalid line coverage», and their curl stayed. A bow of half a capital
// across a ruled table was enough for Tesseract to shred its figures
// («10 205,00» read as «102» on one line and «05,» on the next, the VAT
// line under it as «23 Ре», scanner-app bill 004). A form has what a
// letter lacks: its horizontal rules and the underlines of its values are
// straight on paper. ruleBend traces them and moves each column of pixels
// up or down so that they lie level again, interpolating between rules and
// holding the nearest rule's shift above the top one and below the bottom
// one (a curl bends the whole sheet alike).
//
// Limits: a page without at least ruleMinRules long rules (a letter, an
// act without a table) is left to the keystone step; a fold that breaks a
// rule into two straight pieces is fitted by one smooth curve per rule.
const (
	// ruleStripCaps is the width, in capital heights, of the column strips
	// the rules are traced in: wide enough that a row of letters never
	// fills one with ink (the gaps between letters), narrow enough to
	// follow a bend.
	ruleStripCaps = 2.0
	// ruleDarkShare is the share of a strip's pixel row that must be ink
	// for the row to be part of a rule.
	ruleDarkShare = 0.85
	// ruleMaxThickCaps: a run of ink rows thicker than this (in capital
	// heights) is a filled box or the surface past the sheet, not a rule.
	ruleMaxThickCaps = 0.5
	// ruleMaxStep is the most a rule may climb or fall from one strip to
	// the next, as a share of the strip's width (about 11°).
	ruleMaxStep = 0.2
	// ruleMinSpan is the least share of the page's width a traced rule
	// must span to be fitted.
	ruleMinSpan = 0.3
	// ruleMaxRMSCaps is the most, in capital heights, a rule's points may
	// stray from its fitted quadratic (root mean square): more, and what
	// was traced is not one straight line bent smoothly.
	ruleMaxRMSCaps = 0.15
	// ruleMinRules is the least number of rules the bend is measured on.
	// The pages it levelled on seeds 8901, 8801 and 31 had 6 to 41; seed
	// 1's photo of bill 018 had 3 (the title's underline, the totals'
	// rule and one row of a pale table) and was bent wrongly by 1.7
	// capitals, costing its ИНН.
	ruleMinRules = 5
	// ruleMinSpreadCaps is the least spread of the correction, in capital
	// heights, for which it is made. Chosen on seed 8901's scanner-app
	// bill 004 (a bow of 0.4 capitals cost its table's figures); see
	// docs/benchmarks.md, twelfth session, for the pages it changed.
	ruleMinSpreadCaps = 0.3
	// ruleInk is the gray level under which a pixel is ink: the page is
	// flattened by then, paper near 255 and print near 0.
	ruleInk = 128
	// rulePaleInk is the level a second search uses when the first finds
	// fewer than ruleMinRules rules: a photo's thin rules, blurred over two
	// pixel rows, flatten to grey (100–140 on 9931's realistic bill 011)
	// where its letters stay black. Found so, 011's table was no longer
	// read a row off (17 → 45 of 50 fields), nor 9901's realistic bill 002
	// (15 → 23 of 38, its key fields right). It is only a fallback: 170
	// for every page found more rules on pages levelled already, and
	// their resampling changed how Tesseract cut their headings (9801's
	// scanner-app УПД 002 lost its title; doc_ok on 9801 and 9931 fell by
	// two each).
	rulePaleInk = 170
	// rulePaleMinSpreadCaps is the least spread, in capital heights, of a
	// correction measured on pale rules for it to be made. The bows it
	// mended were strong (3.5 to 4.0 capitals on 9931's bills 011 and 007
	// and 9901's bill 002); under a capital, on 9801's photos of the
	// default layouts (0.3 to 0.55), the resampling only moved how
	// Tesseract cut the page, for better or worse: bill 033 lost 27 of
	// 68 fields, 025 four, счёт-фактура 031 gained 19.
	rulePaleMinSpreadCaps = 1.0
)

// ruleSlopes are the slopes (px per px) a strip is searched for rules
// at. A strip only finds a rule that lies within its thickness across
// the strip's width (about 1 px in 15 on a photo's two-capital strip):
// towards the edge of a strongly bowed sheet the rules of seed 9601's
// realistic act 007 climbed about 1 px in 12, level rows missed them
// there, and the table's last column, left bent, was read one row off
// (its VAT taken from the total's kopecks). Each slope costs one more
// pass over the page (about 30 ms on a photo page); ±0.1 with the level
// pass covers slopes up to about 0.17.
var ruleSlopes = []float64{0, -0.1, 0.1}

// rule is one traced horizontal rule: its fitted curve y = a + b·u + c·u²
// with u = (x − xm)/w, and the span of x it was traced over.
type rule struct {
	a, b, c float64
	xm, w   float64
	xa, xb  float64
	ref     float64 // y at the page's middle column, for ordering
}

func (r *rule) y(x float64) float64 {
	x = min(r.xb, max(r.xa, x))
	u := (x - r.xm) / r.w
	return r.a + r.b*u + r.c*u*u
}

// ruleBend returns g with its rules levelled and the spread of the
// correction in pixels, or nil when the page has too few rules or they
// lie level within minSpread.
func ruleBend(ctx context.Context, g *image.Gray, capH, minSpread float64) (*image.Gray, float64, int, error) {
	w, h := g.Rect.Dx(), g.Rect.Dy()
	if capH <= 0 || w < 64 || h < 64 {
		return nil, 0, 0, nil
	}
	rules := traceRules(g, capH, ruleInk)
	if len(rules) < ruleMinRules {
		rules = traceRules(g, capH, rulePaleInk)
		minSpread = max(minSpread, rulePaleMinSpreadCaps*capH)
	}
	return levelRules(ctx, g, rules, minSpread)
}

// levelRules moves each column of pixels of g up or down so that rules
// lie level (ruleBend's correction), or returns nil when there are fewer
// than ruleMinRules of them or their spread is under minSpread.
func levelRules(ctx context.Context, g *image.Gray, rules []rule, minSpread float64) (*image.Gray, float64, int, error) {
	w, h := g.Rect.Dx(), g.Rect.Dy()
	if len(rules) < ruleMinRules {
		return nil, 0, len(rules), nil
	}
	if err := ctx.Err(); err != nil {
		return nil, 0, 0, err
	}
	xc := float64(w) / 2
	for i := range rules {
		rules[i].ref = rules[i].y(xc)
	}
	slices.SortFunc(rules, func(a, b rule) int {
		switch {
		case a.ref < b.ref:
			return -1
		case a.ref > b.ref:
			return 1
		}
		return 0
	})
	// d[t][x]: how far below its reference height rule t lies at column x.
	d := make([][]float32, len(rules))
	lo, hi := math.Inf(1), math.Inf(-1)
	for t := range rules {
		d[t] = make([]float32, w)
		for x := range w {
			v := rules[t].y(float64(x)+0.5) - rules[t].ref
			d[t][x] = float32(v)
			lo, hi = min(lo, v), max(hi, v)
		}
	}
	spread := hi - lo
	if spread < minSpread {
		return nil, spread, len(rules), nil
	}
	if err := ctx.Err(); err != nil {
		return nil, 0, 0, err
	}
	out := image.NewGray(image.Rect(0, 0, w, h))
	t := 0
	for y := range h {
		fy := float64(y) + 0.5
		for t+1 < len(rules) && rules[t+1].ref <= fy {
			t++
		}
		row := out.Pix[y*out.Stride : y*out.Stride+w]
		var da, db []float32
		f := 0.0
		switch {
		case fy <= rules[0].ref:
			da, db = d[0], d[0]
		case t+1 >= len(rules):
			da, db = d[len(d)-1], d[len(d)-1]
		default:
			da, db = d[t], d[t+1]
			f = (fy - rules[t].ref) / (rules[t+1].ref - rules[t].ref)
		}
		for x := range w {
			shift := float64(da[x]) + (float64(db[x])-float64(da[x]))*f
			row[x] = sampleRow(g, x, float64(y)+shift)
		}
	}
	return out, spread, len(rules), nil
}

// traceRules finds the long horizontal rules of g: in column strips, rows
// almost all ink, thinner than a letter, linked from strip to strip, each
// fitted by a quadratic that it follows closely.
func traceRules(g *image.Gray, capH float64, ink uint8) []rule {
	w, h := g.Rect.Dx(), g.Rect.Dy()
	sw := max(8, int(math.Round(ruleStripCaps*capH)))
	strips := w / sw
	maxThick := max(2, int(ruleMaxThickCaps*capH))
	need := int(math.Ceil(ruleDarkShare * float64(sw)))
	type track struct {
		xs, ys []float64
		last   int // strip of the last point
	}
	var tracks, active []*track
	counts := make([]int, h)
	dys := make([]int, sw)
	for s := range strips {
		x0 := s * sw
		xcen := float64(x0) + float64(sw)/2
		var runs []float64
		for _, slope := range ruleSlopes {
			if float64(len(runs)) > float64(h)/capH {
				break // stripes or texture: skipped below
			}
			// counts[y]: the ink along the line through (xcen, y) at
			// this slope, across the strip.
			for i := range dys {
				dys[i] = int(math.Round(slope * (float64(x0+i) + 0.5 - xcen)))
			}
			clear(counts)
			for y := range h {
				n := 0
				for i, dy := range dys {
					if yy := y + dy; yy >= 0 && yy < h && g.Pix[yy*g.Stride+x0+i] < ink {
						n++
					}
				}
				counts[y] = n
			}
			for y := 0; y < h; {
				if counts[y] < need {
					y++
					continue
				}
				y0 := y
				for y < h && counts[y] >= need {
					y++
				}
				c := float64(y0+y-1) / 2
				// A rule found at a gentler slope already is the same
				// rule: keep its first (level) measurement.
				dup := slices.ContainsFunc(runs, func(r float64) bool { return math.Abs(r-c) <= float64(maxThick) })
				if y-y0 <= maxThick && !dup {
					runs = append(runs, c)
				}
			}
		}
		slices.Sort(runs)
		// A form's rules stand a text line apart at least: a strip with
		// more runs than the page has room for at one a capital is
		// stripes or texture, and linking its runs would cost the square
		// of their number.
		if float64(len(runs)) > float64(h)/capH {
			continue
		}
		// Tracks not extended for three strips are done.
		active = slices.DeleteFunc(active, func(tr *track) bool { return s-tr.last > 3 })
		taken := map[*track]bool{}
		for _, c := range runs {
			var best *track
			bestD := math.Inf(1)
			for _, tr := range active {
				gap := s - tr.last
				if gap < 1 || taken[tr] {
					continue
				}
				dd := math.Abs(tr.ys[len(tr.ys)-1] - c)
				if dd <= ruleMaxStep*float64(sw*gap) && dd < bestD {
					best, bestD = tr, dd
				}
			}
			if best == nil {
				best = &track{}
				tracks = append(tracks, best)
				active = append(active, best)
			}
			taken[best] = true
			best.xs = append(best.xs, xcen)
			best.ys = append(best.ys, c)
			best.last = s
		}
	}
	var out []rule
	for _, tr := range tracks {
		if len(tr.xs) < 5 || tr.xs[len(tr.xs)-1]-tr.xs[0] < ruleMinSpan*float64(w) {
			continue
		}
		r, rms, ok := fitQuadratic(tr.xs, tr.ys, float64(w))
		if !ok || rms > ruleMaxRMSCaps*capH {
			continue
		}
		out = append(out, r)
	}
	return out
}

// fitQuadratic fits y = a + b·u + c·u² with u = (x − mean x)/w by least
// squares and returns the curve and the points' root mean square distance
// from it.
func fitQuadratic(xs, ys []float64, w float64) (rule, float64, bool) {
	n := float64(len(xs))
	var xm float64
	for _, x := range xs {
		xm += x
	}
	xm /= n
	var s [5]float64 // Σu^k
	var t [3]float64 // Σy·u^k
	for i, x := range xs {
		u := (x - xm) / w
		p := 1.0
		for k := range 5 {
			s[k] += p
			if k < 3 {
				t[k] += ys[i] * p
			}
			p *= u
		}
	}
	m := [3][3]float64{{s[0], s[1], s[2]}, {s[1], s[2], s[3]}, {s[2], s[3], s[4]}}
	det := det3(m)
	if math.Abs(det) < 1e-12 {
		return rule{}, 0, false
	}
	var coef [3]float64
	for k := range 3 {
		mk := m
		for r := range 3 {
			mk[r][k] = t[r]
		}
		coef[k] = det3(mk) / det
	}
	r := rule{a: coef[0], b: coef[1], c: coef[2], xm: xm, w: w, xa: xs[0], xb: xs[len(xs)-1]}
	var ss float64
	for i, x := range xs {
		e := ys[i] - r.y(x)
		ss += e * e
	}
	return r, math.Sqrt(ss / n), true
}

func det3(m [3][3]float64) float64 {
	return m[0][0]*(m[1][1]*m[2][2]-m[1][2]*m[2][1]) -
		m[0][1]*(m[1][0]*m[2][2]-m[1][2]*m[2][0]) +
		m[0][2]*(m[1][0]*m[2][1]-m[1][1]*m[2][0])
}

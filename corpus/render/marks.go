package render

import (
	"hash/fnv"
	"math"
	"math/rand/v2"
	"strings"

	"github.com/pervichka/pervichka/corpus/sheet"
)

// Stamp and signature geometry, computed once in millimetres and shared by
// the PDF and the raster renderer so both draw the same marks.

// layer is a set of contours filled with the nonzero rule. Layers of one mark
// are united, not summed, so their contours may overlap freely.
type layer []contour

var (
	stampRingFont   = sheet.Font{Family: sheet.LiberationSans, Bold: true}
	stampCenterFont = sheet.Font{Family: sheet.LiberationSans, Bold: true}
)

// inkColor returns c, or the blue of seals and pens when c is the zero value:
// a black seal is never what a layout means.
func inkColor(c sheet.Color) sheet.Color {
	if c == (sheet.Color{}) {
		return sheet.Blue
	}
	return c
}

// stampLayers lays out a round seal: an outer rim, an inner circle, the ring
// text set upright along the circle between them and the centre lines inside
// the inner circle, all turned by st.Angle.
func stampLayers(st sheet.Stamp) []layer {
	R := st.R
	if !(R > 0 && R <= maxStampR) || !finite(st.CX, st.CY, st.Angle) {
		return nil
	}
	rimW := math.Max(0.35, R*0.028)
	innerR := R * 0.66
	innerW := math.Max(0.25, R*0.016)
	rot := rotate(st.Angle).then(translate(st.CX, st.CY))
	var layers []layer
	layers = append(layers, layer(transform(append(ring(0, 0, R-rimW/2, rimW), ring(0, 0, innerR, innerW)...), rot)))

	if ring := strings.TrimSpace(st.Ring); ring != "" {
		if fc, err := loadFace(stampRingFont); err == nil {
			layers = append(layers, layer(transform(ringText(fc, ring, R-rimW, innerR+innerW/2), rot)))
		}
	}
	if len(st.Center) > 0 {
		if fc, err := loadFace(stampCenterFont); err == nil {
			layers = append(layers, layer(transform(centerText(fc, st.Center, innerR-innerW), rot)))
		}
	}
	return layers
}

// maxStampR bounds a seal's radius (mm); real ones are 20–25 mm.
const maxStampR = 150

// capHeight is the share of the em taken by Cyrillic capitals in the stamp
// fonts; close enough for fitting text between the circles.
const capHeight = 0.72

// ringText sets s clockwise from the top of the circle, upright (letter feet
// towards the centre), spread evenly over the whole ring between radii lo
// and hi around the origin.
func ringText(fc *face, s string, hi, lo float64) []contour {
	s = strings.ToUpper(s)
	runes := []rune(s)
	gap := hi - lo
	sizeMM := gap * 0.62 / capHeight // font size in mm from the band height
	base := lo + (gap-sizeMM*capHeight)/2
	var units float64
	for _, r := range runes {
		units += fc.glyph(r).adv
	}
	units += fc.glyph(' ').adv * 2 // a gap where the text meets itself
	if units == 0 {
		return nil
	}
	// Shrink the letters when the text does not fit around the circle.
	circ := 2 * math.Pi * base
	if need := units / fc.upem * sizeMM; need > circ {
		sizeMM *= circ / need
		base = lo + (gap-sizeMM*capHeight)/2
		circ = 2 * math.Pi * base
	}
	k := sizeMM / fc.upem
	spread := circ / (units * k) // ≥ 1: track letters out to fill the ring
	var out []contour
	pos := fc.glyph(' ').adv * k * spread // arc length so far
	for _, r := range runes {
		g := fc.glyph(r)
		w := g.adv * k
		mid := pos + w*spread/2
		theta := mid / base * 180 / math.Pi // degrees clockwise from the top
		glyph := fc.outline(g.idx)
		m := translate(-g.adv/2, 0).then(scale(k)).then(translate(0, -base)).then(rotate(theta))
		out = append(out, transform(glyph, m)...)
		pos += w * spread
	}
	return out
}

// centerText stacks lines in the middle of a circle of radius r, each line as
// large as fits its chord.
func centerText(fc *face, lines []string, r float64) []contour {
	n := len(lines)
	if n == 0 || r <= 0 {
		return nil
	}
	lineH := math.Min(r*2*0.8/float64(n), r*0.32)
	var out []contour
	for i, line := range lines {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		top := -float64(n)*lineH/2 + float64(i)*lineH
		size := lineH * 0.8 / capHeight * 0.85
		// The chord at the line's farthest edge from the centre limits width.
		far := math.Max(math.Abs(top), math.Abs(top+lineH))
		chord := 2 * math.Sqrt(math.Max(r*r-far*far, 0)) * 0.92
		var units float64
		for _, ch := range line {
			units += fc.glyph(ch).adv
		}
		if units == 0 {
			continue
		}
		if w := units / fc.upem * size; w > chord {
			size *= chord / w
		}
		k := size / fc.upem
		x := -units * k / 2
		baseline := top + lineH/2 + size*capHeight/2
		for _, ch := range line {
			g := fc.glyph(ch)
			out = append(out, transform(fc.outline(g.idx), scale(k).then(translate(x, baseline)))...)
			x += g.adv * k
		}
	}
	return out
}

// stampSeed derives a stable seed for the ink texture of a stamp.
func stampSeed(st sheet.Stamp) uint64 {
	h := fnv.New64a()
	var b [8]byte
	for _, v := range []float64{st.CX, st.CY, st.R, st.Angle} {
		u := math.Float64bits(v)
		for i := range b {
			b[i] = byte(u >> (8 * i))
		}
		h.Write(b[:])
	}
	h.Write([]byte(st.Ring))
	return h.Sum64()
}

// penStroke is one continuous pen movement: points in millimetres and the
// line width at each (pressure: thin where the pen lands and lifts).
type penStroke struct {
	pts    []pt
	widths []float64
}

// signatureWidth is the pen's full line width in millimetres.
func signatureWidth(sg sheet.Signature) float64 {
	r := rand.New(rand.NewPCG(uint64(sg.Seed), 0x5167))
	return 0.3 + r.Float64()*0.2
}

// signatureInk returns the strokes of sg with pressure-shaped widths.
func signatureInk(sg sheet.Signature) []penStroke {
	w := signatureWidth(sg)
	r := rand.New(rand.NewPCG(uint64(sg.Seed), 0x9e55))
	var out []penStroke
	for _, line := range signatureStrokes(sg) {
		n := len(line)
		ws := make([]float64, n)
		phase, freq := r.Float64()*2*math.Pi, 2+r.Float64()*4
		for i := range ws {
			t := float64(i) / float64(max(n-1, 1))
			// Ramp up over the first 8% and taper over the last 15%.
			p := math.Min(1, math.Min(0.35+t/0.08*0.65, 0.25+(1-t)/0.15*0.75))
			ws[i] = w * p * (0.85 + 0.15*math.Sin(phase+freq*2*math.Pi*t))
		}
		out = append(out, penStroke{pts: line, widths: ws})
	}
	return out
}

// signatureLayer is the filled outline of every stroke of sg, in mm.
func signatureLayer(sg sheet.Signature) layer {
	var l layer
	for _, s := range signatureInk(sg) {
		l = append(l, strokePolys(s.pts, s.widths)...)
	}
	return l
}

// signatureStrokes draws a hand-written scribble inside the box from Seed: a
// looped initial, a run of connected waves and often a closing flourish.
// Every stroke is a flattened chain of cubic Bézier curves in millimetres.
func signatureStrokes(sg sheet.Signature) [][]pt {
	if !(sg.W > 0 && sg.H > 0) || !finite(sg.X, sg.Y, sg.W, sg.H) {
		return nil
	}
	r := rand.New(rand.NewPCG(uint64(sg.Seed), 0x9e3779b97f4a7c15))
	_ = r.Float64() // keep the width draw of signatureWidth independent
	x0, y0, w, h := sg.X, sg.Y, sg.W, sg.H
	at := func(fx, fy float64) pt { return pt{x0 + fx*w, y0 + fy*h} }
	jit := func(s float64) float64 { return (r.Float64()*2 - 1) * s }
	step := 0.15 // mm between flattened points

	var strokes [][]pt
	// The initial capital, in one of a few hands.
	{
		sx := 0.05 + r.Float64()*0.1
		c := contour{}
		switch r.IntN(3) {
		case 0: // a tall loop starting low on the left
			p0 := at(sx, 0.75+jit(0.1))
			top := at(sx+0.12+jit(0.05), 0.05+r.Float64()*0.15)
			c = append(c, p0)
			c = appendCubic(c, p0, at(sx-0.05, 0.3), at(sx+jit(0.05), 0.0), top, step)
			end := at(sx+0.2+jit(0.05), 0.6+jit(0.1))
			c = appendCubic(c, top, at(sx+0.3, 0.1+jit(0.1)), at(sx+0.3, 0.5), end, step)
			c = appendCubic(c, end, at(sx+0.1, 0.75), at(sx-0.02, 0.45), at(sx+0.22, 0.45+jit(0.05)), step)
		case 1: // a sharp zigzag, like a hurried М or Л
			p := at(sx, 0.85+jit(0.08))
			c = append(c, p)
			for k := range 3 + r.IntN(2) {
				y := 0.05 + r.Float64()*0.2
				if k%2 == 1 {
					y = 0.7 + r.Float64()*0.25
				}
				q := at(sx+float64(k+1)*(0.06+r.Float64()*0.03), y)
				c = appendCubic(c, p, at((p.X-x0)/w+0.01, (p.Y-y0)/h*0.6+y*0.4), at((q.X-x0)/w-0.01, y*0.7+0.15), q, step)
				p = q
			}
		default: // an open oval, like О or С
			cx, cy := sx+0.1, 0.45+jit(0.05)
			rx, ry := 0.09+r.Float64()*0.04, 0.35+r.Float64()*0.1
			p0 := at(cx+rx*0.7, cy-ry*0.7)
			c = append(c, p0)
			c = appendCubic(c, p0, at(cx-rx*0.2, cy-ry*1.3), at(cx-rx*1.5, cy-ry*0.4), at(cx-rx, cy+ry*0.3), step)
			c = appendCubic(c, c[len(c)-1], at(cx-rx*0.6, cy+ry*1.2), at(cx+rx*1.2, cy+ry*0.9), at(cx+rx*1.3, cy+jit(0.1)), step)
		}
		strokes = append(strokes, c)
	}
	// The body: connected waves running to the right.
	{
		x := 0.3 + r.Float64()*0.08
		y := 0.55 + jit(0.08)
		p := at(x, y)
		c := contour{p}
		n := 3 + r.IntN(4)
		dx := (0.92 - x) / float64(n)
		for range n {
			nx := x + dx*(0.8+r.Float64()*0.4)
			ny := 0.35 + r.Float64()*0.45
			peak := 0.05 + r.Float64()*0.3
			q := at(nx, ny)
			c = appendCubic(c, p, at(x+dx*0.2, peak), at(nx-dx*0.1+jit(0.05), 1.0-peak*0.5), q, step)
			p, x = q, nx
		}
		strokes = append(strokes, c)
	}
	// A flourish: a long shallow stroke back under the name, most of the time.
	if r.Float64() < 0.7 {
		a := at(0.9+jit(0.05), 0.65+jit(0.1))
		b := at(0.1+r.Float64()*0.2, 0.85+jit(0.08))
		c := contour{a}
		c = appendCubic(c, a, at(0.7, 1.0+jit(0.1)), at(0.4, 0.7+jit(0.1)), b, step)
		strokes = append(strokes, c)
	}
	// Most hands slant to the right.
	slant := r.Float64() * 0.35
	out := make([][]pt, len(strokes))
	for i, s := range strokes {
		for j, p := range s {
			s[j].X = p.X + (y0+h/2-p.Y)*slant
		}
		out[i] = []pt(s)
	}
	return out
}

// handFont is the face handwriting is shaped from: an oblique sans is
// closer to a quick Russian hand than an upright one.
var handFont = sheet.Font{Family: sheet.DejaVuSans, Italic: true}

// maxHandRunes bounds what one Handwriting op writes: a date or a short
// note, never a page of text.
const maxHandRunes = 200

// handLayer shapes hw as filled outlines in millimetres: each glyph from
// handFont, scaled so that capitals are hw.Size tall, then moved off the
// baseline, turned, stretched and spaced by its own small random amounts,
// so that no two letters are alike as in a hand.
func handLayer(hw sheet.Handwriting) layer {
	if !(hw.Size > 0 && hw.Size <= 50) || !finite(hw.X, hw.Y) || hw.S == "" {
		return nil
	}
	fc, err := loadFace(handFont)
	if err != nil {
		return nil
	}
	r := rand.New(rand.NewPCG(uint64(hw.Seed), 0x4a9d))
	k := hw.Size / capHeight / fc.upem
	slant := 0.1 + r.Float64()*0.15
	drift := (r.Float64()*2 - 1) * 0.04 // the line climbs or falls
	x := hw.X
	var out layer
	for i, ch := range []rune(hw.S) {
		if i >= maxHandRunes {
			break
		}
		g := fc.glyph(ch)
		sk := k * (0.9 + r.Float64()*0.2)
		dy := (r.Float64()*2-1)*0.08*hw.Size + drift*(x-hw.X)
		rot := (r.Float64()*2 - 1) * 6
		shear := affine{A: 1, B: -slant, E: 1}
		m := scale(sk).then(shear).then(rotate(rot)).then(translate(x, hw.Y+dy))
		out = append(out, transform(fc.outline(g.idx), m)...)
		x += g.adv * sk * (0.95 + r.Float64()*0.15)
	}
	return out
}

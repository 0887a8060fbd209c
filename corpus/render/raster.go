package render

import (
	"image"
	"image/color"
	"image/draw"
	"math"
	"sync"

	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"
	"golang.org/x/image/vector"

	"github.com/pervichka/pervichka/corpus/sheet"
)

// Image rasterises one sheet at dpi on white paper, anti-aliased, using the
// same TrueType files and glyph advances as PDF so that every glyph lands
// where the PDF puts it (within a fraction of a pixel). It is safe for
// concurrent use. Text whose font cannot be loaded is skipped; marks and
// lines never depend on fonts except stamp lettering.
func Image(s sheet.Sheet, dpi float64) *image.RGBA {
	if dpi <= 0 || math.IsNaN(dpi) {
		dpi = 300
	}
	k := dpi / mmPerInch // pixels per millimetre
	w := clampPx(s.W * k)
	h := clampPx(s.H * k)
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	fillWhite(img.Pix)
	c := canvas{img: img, k: k}
	for _, op := range s.Ops {
		switch o := op.(type) {
		case sheet.Text:
			c.text(o)
		case sheet.Line:
			c.line(o)
		case sheet.Rect:
			c.rect(o)
		case sheet.Stamp:
			c.stamp(o)
		case sheet.Signature:
			c.signature(o)
		case sheet.Handwriting:
			c.handwriting(o)
		}
	}
	return img
}

// clampPx keeps a page dimension within what an image can sensibly hold.
func clampPx(v float64) int {
	if math.IsNaN(v) || v < 1 {
		return 1
	}
	if v > 20000 {
		return 20000
	}
	return int(math.Round(v))
}

func fillWhite(p []byte) {
	if len(p) == 0 {
		return
	}
	p[0] = 0xff
	for n := 1; n < len(p); n *= 2 {
		copy(p[n:], p[:n])
	}
}

type canvas struct {
	img *image.RGBA
	k   float64
}

func rgba(c sheet.Color) color.RGBA { return color.RGBA{c.R, c.G, c.B, 0xff} }

// fillRect paints [x0,x1)×[y0,y1) (pixels) with c, anti-aliasing the edges
// by exact area coverage; axis-aligned lines and table rules go through
// here, which is much faster than a general rasteriser.
func (c *canvas) fillRect(x0, y0, x1, y1 float64, col sheet.Color) {
	if !finite(x0, y0, x1, y1) {
		return
	}
	if x1 < x0 {
		x0, x1 = x1, x0
	}
	if y1 < y0 {
		y0, y1 = y1, y0
	}
	b := c.img.Rect
	x0, y0 = math.Max(x0, 0), math.Max(y0, 0)
	x1, y1 = math.Min(x1, float64(b.Dx())), math.Min(y1, float64(b.Dy()))
	if x1 <= x0 || y1 <= y0 {
		return
	}
	ix0, ix1 := int(math.Floor(x0)), int(math.Ceil(x1))
	iy0, iy1 := int(math.Floor(y0)), int(math.Ceil(y1))
	cov := func(i int, lo, hi float64) float64 {
		return math.Max(0, math.Min(float64(i+1), hi)-math.Max(float64(i), lo))
	}
	xc := make([]float64, ix1-ix0)
	for i := range xc {
		xc[i] = cov(ix0+i, x0, x1)
	}
	cr, cg, cb := float64(col.R), float64(col.G), float64(col.B)
	for y := iy0; y < iy1; y++ {
		cy := cov(y, y0, y1)
		row := c.img.Pix[y*c.img.Stride:]
		for i, cx := range xc {
			a := cx * cy
			if a <= 0 {
				continue
			}
			p := row[(ix0+i)*4:]
			if a >= 1 {
				p[0], p[1], p[2] = col.R, col.G, col.B
				continue
			}
			p[0] = uint8(float64(p[0])*(1-a) + cr*a + 0.5)
			p[1] = uint8(float64(p[1])*(1-a) + cg*a + 0.5)
			p[2] = uint8(float64(p[2])*(1-a) + cb*a + 0.5)
		}
	}
}

func (c *canvas) line(l sheet.Line) {
	if !finite(l.X1, l.Y1, l.X2, l.Y2, l.Width) {
		return
	}
	w := math.Max(l.Width, 0.05) * c.k
	x1, y1, x2, y2 := l.X1*c.k, l.Y1*c.k, l.X2*c.k, l.Y2*c.k
	switch {
	case y1 == y2: // horizontal, square caps as in the PDF
		c.fillRect(math.Min(x1, x2)-w/2, y1-w/2, math.Max(x1, x2)+w/2, y1+w/2, l.Color)
	case x1 == x2:
		c.fillRect(x1-w/2, math.Min(y1, y2)-w/2, x1+w/2, math.Max(y1, y2)+w/2, l.Color)
	default:
		w /= c.k // back to millimetres for mask
		// Clip to the page (grown by the width) so the rasteriser only ever
		// sees coordinates near the page, however long the line.
		pw, ph := float64(c.img.Rect.Dx())/c.k, float64(c.img.Rect.Dy())/c.k
		var ok bool
		x1, y1, x2, y2, ok = clipSegment(l.X1, l.Y1, l.X2, l.Y2, -w, -w, pw+w, ph+w)
		if !ok {
			return
		}
		dx, dy := x2-x1, y2-y1
		d := math.Hypot(dx, dy)
		if d == 0 {
			return
		}
		ex, ey := dx/d*w/2, dy/d*w/2 // square cap extension
		nx, ny := -ey, ex
		poly := contour{{x1 - ex + nx, y1 - ey + ny}, {x2 + ex + nx, y2 + ey + ny}, {x2 + ex - nx, y2 + ey - ny}, {x1 - ex - nx, y1 - ey - ny}}
		mask, r := c.mask([]layer{{poly}})
		if mask != nil {
			draw.DrawMask(c.img, r, image.NewUniform(rgba(l.Color)), image.Point{}, mask, image.Point{}, draw.Over)
		}
	}
}

func (c *canvas) rect(r sheet.Rect) {
	x0, y0, x1, y1 := r.X*c.k, r.Y*c.k, (r.X+r.W)*c.k, (r.Y+r.H)*c.k
	if r.Fill != nil {
		c.fillRect(x0, y0, x1, y1, *r.Fill)
	}
	if r.Width > 0 {
		w := r.Width * c.k
		c.fillRect(x0-w/2, y0-w/2, x1+w/2, y0+w/2, r.Color)
		c.fillRect(x0-w/2, y1-w/2, x1+w/2, y1+w/2, r.Color)
		c.fillRect(x0-w/2, y0-w/2, x0+w/2, y1+w/2, r.Color)
		c.fillRect(x1-w/2, y0-w/2, x1+w/2, y1+w/2, r.Color)
	}
}

// mask rasterises layers given in millimetres into an alpha mask clipped to
// the page, uniting the layers. It returns the mask and the page rectangle
// it covers.
func (c *canvas) mask(layers []layer) (*image.Alpha, image.Rectangle) {
	var all []contour
	for _, l := range layers {
		all = append(all, l...)
	}
	if len(all) == 0 {
		return nil, image.Rectangle{}
	}
	s := c.k
	minX, minY, maxX, maxY := bounds(all)
	// Marks reaching far off the page are not drawn: the rasteriser walks
	// every row between a segment's ends and its int32 maths overflows on
	// absurd coordinates. Layouts never come close to this.
	pw, ph := float64(c.img.Rect.Dx())/s, float64(c.img.Rect.Dy())/s
	m := max(pw, ph)
	if !finite(minX, minY, maxX, maxY) || minX < -m || minY < -m || maxX > pw+m || maxY > ph+m {
		return nil, image.Rectangle{}
	}
	r := image.Rect(int(math.Floor(minX*s))-1, int(math.Floor(minY*s))-1, int(math.Ceil(maxX*s))+1, int(math.Ceil(maxY*s))+1).Intersect(c.img.Rect)
	if r.Empty() {
		return nil, r
	}
	mask := image.NewAlpha(image.Rect(0, 0, r.Dx(), r.Dy()))
	ox, oy := float64(r.Min.X), float64(r.Min.Y)
	var z vector.Rasterizer
	for _, l := range layers {
		if len(l) == 0 {
			continue
		}
		z.Reset(r.Dx(), r.Dy())
		for _, ct := range l {
			z.MoveTo(float32(ct[0].X*s-ox), float32(ct[0].Y*s-oy))
			for _, p := range ct[1:] {
				z.LineTo(float32(p.X*s-ox), float32(p.Y*s-oy))
			}
			z.ClosePath()
		}
		z.DrawOp = draw.Over
		z.Draw(mask, mask.Rect, image.Opaque, image.Point{})
	}
	return mask, r
}

// text draws a Text op glyph by glyph from the shared glyph-mask cache.
func (c *canvas) text(t sheet.Text) {
	if t.S == "" || !validSize(t.Font.Size) || !finite(t.X, t.Y, t.W) {
		return
	}
	fc, err := loadFace(t.Font)
	if err != nil {
		return
	}
	x := textStart(t, fc.width(t.S, t.Font.Size)) * c.k
	ppem := t.Font.Size * mmPerPt * c.k
	if yf := t.Y * c.k; yf < -2*ppem || yf > float64(c.img.Rect.Dy())+2*ppem {
		return // the whole line is off the page
	}
	y := int(math.Round(t.Y * c.k))
	unit := ppem / fc.upem
	src := image.NewUniform(rgba(t.Color))
	for _, r := range t.S {
		g := fc.glyph(r)
		if x < -2*ppem || x > float64(c.img.Rect.Dx())+ppem {
			x += g.adv * unit
			continue // off the page; keep advancing
		}
		ix := math.Floor(x)
		sub := int((x - ix) * subSteps)
		gm := glyphMask(fc, g.idx, ppem, sub)
		if gm.mask != nil {
			dr := gm.mask.Rect.Add(image.Pt(int(ix)+gm.off.X, y+gm.off.Y))
			draw.DrawMask(c.img, dr, src, image.Point{}, gm.mask, gm.mask.Rect.Min, draw.Over)
		}
		x += g.adv * unit
	}
}

// subSteps is the number of horizontal sub-pixel positions a glyph is
// cached at; a quarter pixel at 300 dpi is 0.02 mm.
const subSteps = 4

type glyphKey struct {
	face int
	idx  sfnt.GlyphIndex
	ppem int32 // 26.6
	sub  int
}

type glyphImg struct {
	mask *image.Alpha // nil for blank glyphs
	off  image.Point  // mask origin relative to the pen on the baseline
}

var (
	glyphsMu sync.Mutex
	glyphs   = map[glyphKey]glyphImg{}
)

// maxCachedGlyphs bounds the cache; a corpus uses a few families and sizes.
const maxCachedGlyphs = 200000

func glyphMask(fc *face, idx sfnt.GlyphIndex, ppem float64, sub int) glyphImg {
	key := glyphKey{fc.id, idx, int32(math.Round(ppem * 64)), sub}
	glyphsMu.Lock()
	g, ok := glyphs[key]
	glyphsMu.Unlock()
	if ok {
		return g
	}
	g = renderGlyph(fc, idx, fixed.Int26_6(key.ppem), float64(sub)/subSteps)
	glyphsMu.Lock()
	if len(glyphs) >= maxCachedGlyphs {
		clear(glyphs)
	}
	glyphs[key] = g
	glyphsMu.Unlock()
	return g
}

func renderGlyph(fc *face, idx sfnt.GlyphIndex, ppem fixed.Int26_6, dx float64) glyphImg {
	b := bufPool.Get().(*sfnt.Buffer)
	// segs point into b: the buffer goes back to the pool only after
	// flatten has copied them out.
	segs, err := fc.sf.LoadGlyph(b, idx, ppem, nil)
	if err != nil || len(segs) == 0 {
		bufPool.Put(b)
		return glyphImg{}
	}
	cs := flatten(segs, 0.5)
	bufPool.Put(b)
	for _, ct := range cs {
		for i := range ct {
			ct[i].X += dx
		}
	}
	minX, minY, maxX, maxY := bounds(cs)
	x0, y0 := int(math.Floor(minX)), int(math.Floor(minY))
	w, h := int(math.Ceil(maxX))-x0, int(math.Ceil(maxY))-y0
	if w <= 0 || h <= 0 {
		return glyphImg{}
	}
	var z vector.Rasterizer
	z.Reset(w, h)
	for _, ct := range cs {
		z.MoveTo(float32(ct[0].X-float64(x0)), float32(ct[0].Y-float64(y0)))
		for _, p := range ct[1:] {
			z.LineTo(float32(p.X-float64(x0)), float32(p.Y-float64(y0)))
		}
		z.ClosePath()
	}
	m := image.NewAlpha(image.Rect(0, 0, w, h))
	z.Draw(m, m.Rect, image.Opaque, image.Point{})
	return glyphImg{mask: m, off: image.Pt(x0, y0)}
}

// finite reports whether all values are ordinary numbers.
func finite(vs ...float64) bool {
	for _, v := range vs {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return false
		}
	}
	return true
}

// maxFontSize bounds text sizes (points): beyond it glyph masks grow past any
// page and fixed-point glyph maths overflows. Both renderers refuse it.
const maxFontSize = 300

func validSize(pt float64) bool { return pt > 0 && pt <= maxFontSize }

// clipSegment clips a segment to a rectangle (Liang–Barsky).
func clipSegment(x1, y1, x2, y2, minX, minY, maxX, maxY float64) (float64, float64, float64, float64, bool) {
	t0, t1 := 0.0, 1.0
	dx, dy := x2-x1, y2-y1
	for _, e := range [4][2]float64{{-dx, x1 - minX}, {dx, maxX - x1}, {-dy, y1 - minY}, {dy, maxY - y1}} {
		p, q := e[0], e[1]
		if p == 0 {
			if q < 0 {
				return 0, 0, 0, 0, false
			}
			continue
		}
		t := q / p
		if p < 0 {
			t0 = max(t0, t)
		} else {
			t1 = min(t1, t)
		}
		if t0 > t1 {
			return 0, 0, 0, 0, false
		}
	}
	return x1 + t0*dx, y1 + t0*dy, x1 + t1*dx, y1 + t1*dy, true
}

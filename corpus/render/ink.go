package render

import (
	"image"
	"math"
	"math/rand/v2"

	"github.com/pervichka/pervichka/corpus/sheet"
)

// Seals and pens are drawn as ink: the colour multiplies what is under it, so
// printed text beneath a stamp stays readable, as on a real page.

func (c *canvas) stamp(st sheet.Stamp) {
	m, r := c.mask(stampLayers(st))
	if m == nil {
		return
	}
	rng := rand.New(rand.NewPCG(stampSeed(st), 0x57a4))
	// Uneven pressure: a coarse noise field, a tilt of the pad across the
	// seal, and fine grain where the ink did not take.
	cell := math.Max(2, st.R*c.k/5)
	coarse := newValueNoise(rng, r.Dx(), r.Dy(), cell)
	fine := newValueNoise(rng, r.Dx(), r.Dy(), math.Max(1.5, c.k*0.25))
	tilt := rng.Float64() * 2 * math.Pi
	tx, ty := math.Cos(tilt), math.Sin(tilt)
	strength := 0.35 + rng.Float64()*0.3 // how much one side fades
	base := 0.78 + rng.Float64()*0.17
	cx, cy := float64(r.Dx())/2, float64(r.Dy())/2
	rad := math.Max(cx, 1)
	c.inkBlend(m, r, inkColor(st.Color), func(x, y int) float64 {
		g := ((float64(x)-cx)*tx + (float64(y)-cy)*ty) / rad // -1..1
		p := base * (1 - strength*(g+1)/2)
		p *= 0.55 + 0.45*coarse.at(x, y)
		f := fine.at(x, y)
		if f < 0.22 {
			p *= f / 0.22 // specks of missing ink
		}
		return p
	})
}

func (c *canvas) signature(sg sheet.Signature) {
	m, r := c.mask([]layer{signatureLayer(sg)})
	if m == nil {
		return
	}
	rng := rand.New(rand.NewPCG(uint64(sg.Seed), 0x919))
	coarse := newValueNoise(rng, r.Dx(), r.Dy(), math.Max(2, c.k*3))
	c.inkBlend(m, r, inkColor(sg.Color), func(x, y int) float64 {
		return 0.8 + 0.2*coarse.at(x, y)
	})
}

func (c *canvas) handwriting(hw sheet.Handwriting) {
	m, r := c.mask([]layer{handLayer(hw)})
	if m == nil {
		return
	}
	rng := rand.New(rand.NewPCG(uint64(hw.Seed), 0x4a9e))
	coarse := newValueNoise(rng, r.Dx(), r.Dy(), math.Max(2, c.k*2))
	c.inkBlend(m, r, inkColor(hw.Color), func(x, y int) float64 {
		return 0.75 + 0.25*coarse.at(x, y)
	})
}

// inkBlend multiplies the page under mask m (placed at r) by the ink colour
// with opacity mask×density(x, y).
func (c *canvas) inkBlend(m *image.Alpha, r image.Rectangle, ink sheet.Color, density func(x, y int) float64) {
	ir, ig, ib := float64(ink.R)/255, float64(ink.G)/255, float64(ink.B)/255
	for y := 0; y < r.Dy(); y++ {
		mrow := m.Pix[y*m.Stride:]
		prow := c.img.Pix[(r.Min.Y+y)*c.img.Stride+r.Min.X*4:]
		for x := 0; x < r.Dx(); x++ {
			a := float64(mrow[x])
			if a == 0 {
				continue
			}
			a = a / 255 * density(x, y)
			if a <= 0 {
				continue
			}
			p := prow[x*4:]
			p[0] = uint8(float64(p[0]) * (1 - a*(1-ir)))
			p[1] = uint8(float64(p[1]) * (1 - a*(1-ig)))
			p[2] = uint8(float64(p[2]) * (1 - a*(1-ib)))
		}
	}
}

// valueNoise is smooth random noise in [0, 1]: random values on a grid of
// cell pixels, interpolated with a smoothstep.
type valueNoise struct {
	cell float64
	gw   int
	v    []float64
}

func newValueNoise(rng *rand.Rand, w, h int, cell float64) valueNoise {
	gw, gh := int(float64(w)/cell)+2, int(float64(h)/cell)+2
	v := make([]float64, gw*gh)
	for i := range v {
		v[i] = rng.Float64()
	}
	return valueNoise{cell: cell, gw: gw, v: v}
}

func (n valueNoise) at(x, y int) float64 {
	fx, fy := float64(x)/n.cell, float64(y)/n.cell
	ix, iy := int(fx), int(fy)
	tx, ty := fx-float64(ix), fy-float64(iy)
	tx, ty = tx*tx*(3-2*tx), ty*ty*(3-2*ty)
	i := iy*n.gw + ix
	a := n.v[i] + (n.v[i+1]-n.v[i])*tx
	b := n.v[i+n.gw] + (n.v[i+n.gw+1]-n.v[i+n.gw])*tx
	return a + (b-a)*ty
}

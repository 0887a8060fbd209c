package degrade

import (
	"image"
	"math"
	"math/rand/v2"
)

// scene is everything in a photo that is not the page: the surface it lies
// on, its contact shadow, the light, a soft shadow across it, the paper's
// tone under that light, and sensor noise.
type scene struct {
	bg          background
	paper       [3]float64 // multiplier for the page's colours
	srcPerFrame float64    // page px per frame px, for edge anti-aliasing

	// light
	cx, cy, half   float64
	gx, gy, grad   float64
	vignette       float64
	exposure       float64
	castR, castB   float64
	contact        float64 // darkness of the sheet's contact shadow
	contactW       float64 // its width, frame px
	shX, shY       float64 // a point on the shadow edge
	shNX, shNY     float64 // normal pointing into the shadow
	shadow, shSoft float64
	shWob          valueNoise
	noise          float64
	flare          float64
	seed           uint64
}

func newScene(rng *rand.Rand, st style, fw, fh int, sheetCX, sheetCY, sheetHalf, srcPerFrame float64) *scene {
	s := &scene{srcPerFrame: srcPerFrame}
	if st.real {
		s.bg = makeBackground(rng, fw, fh, pickSurface(rng))
	} else {
		s.bg = newBackground(rng, fw, fh)
	}
	paper := uniform(rng, 0.9, 1.0)
	s.paper = [3]float64{paper, paper * uniform(rng, 0.98, 1.0), paper * uniform(rng, 0.94, 1.0)}

	s.cx, s.cy = float64(fw)/2, float64(fh)/2
	s.half = math.Hypot(s.cx, s.cy)
	a := rng.Float64() * 2 * math.Pi
	s.gx, s.gy = math.Cos(a), math.Sin(a)
	s.grad = uniform(rng, st.light[0], st.light[1])
	s.vignette = uniform(rng, 0.08, 0.25)
	s.exposure = uniform(rng, st.exposure[0], st.exposure[1])
	switch rng.IntN(3) { // white balance: warm lamp, neutral, cool daylight
	case 0:
		s.castR, s.castB = uniform(rng, 0.02, 0.06), -uniform(rng, 0.04, 0.1)
	case 1:
		s.castR, s.castB = uniform(rng, -0.01, 0.01), uniform(rng, -0.02, 0.02)
	default:
		s.castR, s.castB = -uniform(rng, 0.01, 0.04), uniform(rng, 0.02, 0.06)
	}
	s.contact = uniform(rng, 0.25, 0.5)
	s.contactW = uniform(rng, 0.004, 0.012) * float64(max(fw, fh))

	// The shadow edge crosses the sheet so that 15–50% of it is shaded.
	b := rng.Float64() * 2 * math.Pi
	s.shNX, s.shNY = math.Cos(b), math.Sin(b)
	t := uniform(rng, 0, 0.7) * sheetHalf
	s.shX, s.shY = sheetCX+s.shNX*t, sheetCY+s.shNY*t
	s.shadow = uniform(rng, st.shadow[0], st.shadow[1])
	s.shSoft = uniform(rng, 0.03, 0.1) * float64(max(fw, fh))
	s.shWob = newValueNoise(rng, max(fw, fh)*2, 1, float64(max(fw, fh))/4, 1)
	s.noise = uniform(rng, st.noise[0], st.noise[1])
	s.flare = uniform(rng, st.flare[0], st.flare[1])
	s.seed = rng.Uint64()
	return s
}

// shade returns the colour of frame pixel (x, y) that shows page point
// (sx, sy) in page pixels (possibly off the page).
func (s *scene) shade(src *image.RGBA, x, y int, sx, sy float64) (uint8, uint8, uint8) {
	pw, ph := float64(src.Rect.Dx()), float64(src.Rect.Dy())
	// Distance inside the page edge, in frame pixels (negative outside).
	d := sx
	if v := pw - sx; v < d {
		d = v
	}
	if sy < d {
		d = sy
	}
	if v := ph - sy; v < d {
		d = v
	}
	d /= s.srcPerFrame
	cov := d + 0.5
	if cov < 0 {
		cov = 0
	} else if cov > 1 {
		cov = 1
	}
	var r, g, b float64
	if cov > 0 {
		pr, pg, pb := sampleRGB(src, sx, sy)
		r, g, b = pr*s.paper[0], pg*s.paper[1], pb*s.paper[2]
	}
	if cov < 1 {
		br, bg, bb := s.bg.at(float64(x), float64(y))
		if d < 0 {
			t := max(0, 1+d/s.contactW)
			f := 1 - s.contact*t*t
			br, bg, bb = br*f, bg*f, bb*f
		}
		r, g, b = r*cov+br*(1-cov), g*cov+bg*(1-cov), b*cov+bb*(1-cov)
	}

	fx, fy := float64(x)+0.5, float64(y)+0.5
	dx, dy := (fx-s.cx)/s.half, (fy-s.cy)/s.half
	light := s.exposure * (1 + s.grad*(dx*s.gx+dy*s.gy)) * (1 - s.vignette*(dx*dx+dy*dy))
	// Soft shadow: a smoothstep across a slightly wavy edge.
	sd := (fx-s.shX)*s.shNX + (fy-s.shY)*s.shNY
	if sd > -s.shSoft { // near or inside the shadow: add the wavy edge
		along := (fx-s.shX)*-s.shNY + (fy-s.shY)*s.shNX
		sd += (s.shWob.at(along+s.half, 0) - 0.5) * s.shSoft
		if t := sd/s.shSoft + 0.5; t > 0 {
			t = min(t, 1)
			light *= 1 - s.shadow*t*t*(3-2*t)
		}
	}
	// Stray light in the lens lifts the blacks: print is never quite black
	// in a phone photo.
	lift := s.flare * 255
	keep := 1 - s.flare
	r, g, b = r*keep+lift, g*keep+lift, b*keep+lift
	nl, nr, nb := gauss3(s.seed, x, y)
	n := s.noise * nl
	nc := s.noise * 0.4
	return clamp8(r*light*(1+s.castR) + n + nc*nr),
		clamp8(g*light + n),
		clamp8(b*light*(1+s.castB) + n + nc*nb)
}

// sampleRGB reads src bilinearly at (x, y), pixel i covering [i, i+1).
func sampleRGB(src *image.RGBA, x, y float64) (float64, float64, float64) {
	w, h := src.Rect.Dx(), src.Rect.Dy()
	x, y = x-0.5, y-0.5
	ix, iy := int(math.Floor(x)), int(math.Floor(y))
	tx, ty := x-float64(ix), y-float64(iy)
	x0, x1 := clampI(ix, w), clampI(ix+1, w)
	y0, y1 := clampI(iy, h), clampI(iy+1, h)
	p, st := src.Pix, src.Stride
	i00, i01 := y0*st+4*x0, y0*st+4*x1
	i10, i11 := y1*st+4*x0, y1*st+4*x1
	w00, w01, w10, w11 := (1-tx)*(1-ty), tx*(1-ty), (1-tx)*ty, tx*ty
	r := float64(p[i00])*w00 + float64(p[i01])*w01 + float64(p[i10])*w10 + float64(p[i11])*w11
	g := float64(p[i00+1])*w00 + float64(p[i01+1])*w01 + float64(p[i10+1])*w10 + float64(p[i11+1])*w11
	b := float64(p[i00+2])*w00 + float64(p[i01+2])*w01 + float64(p[i10+2])*w10 + float64(p[i11+2])*w11
	return r, g, b
}

// background is the surface under the sheet: wood, dark cloth or a light
// laminate desk.
type background struct {
	kind       int // 0 wood, 1 cloth, 2 laminate
	base       [3]float64
	ux, uy     float64 // grain direction
	grain      valueNoise
	blotch     valueNoise
	ringPeriod float64
	weave      float64
	seed       uint64
	off        float64 // keeps rotated coordinates inside the noise grids
}

func newBackground(rng *rand.Rand, fw, fh int) background { return makeBackground(rng, fw, fh, -1) }

// Surfaces a sheet lies on; kind < 0 draws one of the first three.
const (
	surfaceWood = iota
	surfaceCloth
	surfaceDesk
	surfaceStone
)

// pickSurface draws a surface as real photos show them: wooden and stone
// tables most often.
func pickSurface(rng *rand.Rand) int {
	switch r := rng.Float64(); {
	case r < 0.35:
		return surfaceWood
	case r < 0.65:
		return surfaceStone
	case r < 0.8:
		return surfaceCloth
	}
	return surfaceDesk
}

func makeBackground(rng *rand.Rand, fw, fh, kind int) background {
	n := max(fw, fh)
	b := background{seed: rng.Uint64(), off: 1.5 * float64(n)}
	a := rng.Float64() * 2 * math.Pi
	if rng.IntN(3) > 0 { // grain usually runs along the frame
		a = float64(rng.IntN(4))*math.Pi/2 + uniform(rng, -0.15, 0.15)
	}
	b.ux, b.uy = math.Cos(a), math.Sin(a)
	if kind < 0 {
		switch r := rng.Float64(); {
		case r < 0.45:
			kind = surfaceWood
		case r < 0.75:
			kind = surfaceCloth
		default:
			kind = surfaceDesk
		}
	}
	switch kind {
	case surfaceStone:
		b.kind = surfaceStone
		stones := [][3]float64{{150, 150, 150}, {190, 180, 165}, {95, 95, 100}, {170, 160, 150}, {60, 60, 65}}
		b.base = stones[rng.IntN(len(stones))]
		b.grain = newValueNoise(rng, 3*n, 3*n, float64(n)/10, float64(n)/10)
		b.blotch = newValueNoise(rng, 3*n, 3*n, float64(n)/4, float64(n)/4)
		b.ringPeriod = uniform(rng, 40, 120)
	case surfaceWood:
		b.kind = 0
		woods := [][3]float64{{150, 100, 60}, {185, 140, 95}, {110, 72, 45}, {200, 168, 125}, {125, 85, 55}}
		b.base = woods[rng.IntN(len(woods))]
		b.grain = newValueNoise(rng, 3*n, 3*n, float64(n)/4, uniform(rng, 2, 5))
		b.blotch = newValueNoise(rng, 3*n, 3*n, float64(n)/6, float64(n)/6)
		b.ringPeriod = uniform(rng, 25, 70)
	case surfaceCloth:
		b.kind = 1
		g := uniform(rng, 25, 60)
		b.base = [3]float64{g, g * uniform(rng, 0.95, 1.05), g * uniform(rng, 1.0, 1.25)}
		b.blotch = newValueNoise(rng, 3*n, 3*n, float64(n)/5, float64(n)/7)
		b.weave = uniform(rng, 1.5, 3)
	default:
		b.kind = 2
		g := uniform(rng, 160, 205)
		b.base = [3]float64{g, g * uniform(rng, 0.97, 1.01), g * uniform(rng, 0.92, 1.0)}
		b.blotch = newValueNoise(rng, 3*n, 3*n, float64(n)/3, float64(n)/3)
	}
	return b
}

func (b background) at(x, y float64) (float64, float64, float64) {
	// Coordinates along (u) and across (v) the grain, shifted positive.
	u := x*b.ux + y*b.uy + b.off
	v := -x*b.uy + y*b.ux + b.off
	var f float64
	switch b.kind {
	case 0:
		bl := b.blotch.at(u, v)
		rings := fastSin((v + 60*bl) / b.ringPeriod)
		f = 0.72 + 0.22*b.grain.at(u, v) + 0.07*rings + 0.12*(bl-0.5) + 0.02*gauss(b.seed, int(x), int(y))
	case surfaceStone:
		// Granite or terrazzo: cloudy tone, a faint vein, and specks
		// darker and lighter than the stone.
		bl := b.blotch.at(u, v)
		vein := fastSin((u + 90*b.grain.at(u, v)) / b.ringPeriod)
		f = 0.85 + 0.25*(bl-0.5) + 0.05*vein*vein + 0.05*gauss(b.seed, int(x), int(y))
		switch h := hash64(b.seed ^ uint64(int(y)/2)<<32 ^ uint64(int(x)/2)); {
		case h%17 == 0:
			f *= 0.55
		case h%23 == 0:
			f *= 1.3
		}
	case 1:
		weave := fastSin(x/b.weave/2) * fastSin(y/b.weave/2)
		f = 0.85 + 0.06*gauss(b.seed, int(x), int(y)) + 0.05*weave + 0.35*(b.blotch.at(u, v)-0.5)
	default:
		f = 0.95 + 0.02*gauss(b.seed, int(x), int(y)) + 0.1*(b.blotch.at(u, v)-0.5)
	}
	return b.base[0] * f, b.base[1] * f, b.base[2] * f
}

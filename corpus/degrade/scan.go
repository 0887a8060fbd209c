package degrade

import (
	"image"
	"math"
	"math/rand/v2"
)

// Scan makes a 300-dpi flatbed scan of page (the 300-dpi render): grayscale,
// the sheet slightly rotated (±2°) and shifted on the glass, a gentle
// brightness/contrast change, slight optical blur, sensor noise, and a dark
// strip along one edge where the lid did not cover the glass. The result
// has the size of page.
func Scan(rng *rand.Rand, page image.Image) image.Image {
	src := toGray(page)
	w, h := src.Rect.Dx(), src.Rect.Dy()
	out := image.NewGray(image.Rect(0, 0, w, h))
	if w < 2 || h < 2 {
		copy(out.Pix, src.Pix)
		return out
	}

	angle := uniform(rng, -2, 2) * math.Pi / 180
	if rng.Float64() < 0.5 {
		angle /= 3 // most scans are nearly straight
	}
	shiftX, shiftY := uniform(rng, -0.01, 0.01)*float64(w), uniform(rng, -0.01, 0.01)*float64(h)
	lid := uniform(rng, 225, 250) // glass outside the sheet, under the lid
	sin, cos := math.Sincos(angle)
	cx, cy := float64(w)/2, float64(h)/2
	fw, fh := float64(w), float64(h)
	edgeShadow := uniform(rng, 40, 110)

	// Sample the rotated sheet (bilinear), inverse-mapping each pixel.
	parallelRows(h, func(y0, y1 int) {
		for y := y0; y < y1; y++ {
			row := out.Pix[y*out.Stride:]
			dy := float64(y) + 0.5 - cy - shiftY
			for x := range w {
				dx := float64(x) + 0.5 - cx - shiftX
				sx := cos*dx + sin*dy + cx
				sy := -sin*dx + cos*dy + cy
				if sx >= 0 && sy >= 0 && sx < fw && sy < fh {
					row[x] = sampleGray(src, sx, sy, lid)
					continue
				}
				// Off the sheet: the lid, with the paper edge's thin shadow.
				d := max(-sx, sx-fw, -sy, sy-fh)
				row[x] = clamp8(lid - edgeShadow*math.Exp(-d/2.5))
			}
		}
	})

	blurPix(out.Pix, w, h, out.Stride, 1, uniform(rng, 0.45, 0.8))

	// Tone and sensor noise.
	contrast := uniform(rng, 0.85, 1.05)
	bright := uniform(rng, -12, 8)
	gamma := uniform(rng, 0.9, 1.15)
	noise := uniform(rng, 2, 5)
	seed := rng.Uint64()
	var lut [256]float64
	for v := range lut {
		t := math.Pow(float64(v)/255, gamma) * 255
		lut[v] = (t-128)*contrast + 128 + bright
	}
	parallelRows(h, func(y0, y1 int) {
		for y := y0; y < y1; y++ {
			row := out.Pix[y*out.Stride : y*out.Stride+w]
			for x, v := range row {
				row[x] = clamp8(lut[v] + noise*gauss(seed, x, y))
			}
		}
	})

	// The dark strip along one side: a wavy dark core fading into the page.
	side := rng.IntN(4) // 0 left, 1 right, 2 top, 3 bottom
	length, depth := h, w
	if side >= 2 {
		length, depth = w, h
	}
	stripW := uniform(rng, 0.004, 0.02) * float64(min(w, h))
	stripDark := uniform(rng, 15, 70)
	// The band is straight, a little wider at one end (the sheet sat askew)
	// and its inner edge only faintly uneven.
	taper := uniform(rng, -0.6, 0.6)
	wobble := newValueNoise(rng, length, 1, 400, 1)
	for a := range length {
		along := float64(a)/float64(length) - 0.5
		sw := stripW * (1 + taper*along) * (0.96 + 0.08*wobble.at(float64(a), 0))
		reach := min(int(math.Ceil(sw*1.6)), depth)
		for d := range reach {
			x, y := d, a // left
			switch side {
			case 1:
				x, y = w-1-d, a
			case 2:
				x, y = a, d
			case 3:
				x, y = a, h-1-d
			}
			t := 1.0
			if fd := float64(d); fd > sw {
				t = 1 - (fd-sw)/(sw*0.6)
			}
			i := y*out.Stride + x
			dark := stripDark + 6*gauss(seed^0xed9e, x, y)
			out.Pix[i] = clamp8(float64(out.Pix[i])*(1-t) + dark*t)
		}
	}
	return out
}

// toGray converts page to 8-bit luma (BT.601 weights, as scanners do).
func toGray(page image.Image) *image.Gray {
	if g, ok := page.(*image.Gray); ok && g.Rect.Min == (image.Point{}) {
		return g
	}
	m := toRGBA(page)
	w, h := m.Rect.Dx(), m.Rect.Dy()
	g := image.NewGray(image.Rect(0, 0, w, h))
	parallelRows(h, func(y0, y1 int) {
		for y := y0; y < y1; y++ {
			s := m.Pix[y*m.Stride:]
			d := g.Pix[y*g.Stride:]
			for x := range w {
				r, gg, b := uint32(s[4*x]), uint32(s[4*x+1]), uint32(s[4*x+2])
				d[x] = uint8((19595*r + 38470*gg + 7471*b + 1<<15) >> 16)
			}
		}
	})
	return g
}

// sampleGray reads src at (x, y) with bilinear interpolation; points off the
// image take the value outside.
func sampleGray(src *image.Gray, x, y float64, outside float64) uint8 {
	w, h := src.Rect.Dx(), src.Rect.Dy()
	if x < -0.5 || y < -0.5 || x > float64(w)-0.5 || y > float64(h)-0.5 {
		return clamp8(outside)
	}
	x, y = x-0.5, y-0.5 // pixel centres
	ix, iy := int(math.Floor(x)), int(math.Floor(y))
	tx, ty := x-float64(ix), y-float64(iy)
	x0, x1 := clampI(ix, w), clampI(ix+1, w)
	y0, y1 := clampI(iy, h), clampI(iy+1, h)
	p := src.Pix
	s := src.Stride
	a := float64(p[y0*s+x0])*(1-tx) + float64(p[y0*s+x1])*tx
	b := float64(p[y1*s+x0])*(1-tx) + float64(p[y1*s+x1])*tx
	return uint8(a*(1-ty) + b*ty + 0.5)
}

func clampI(v, n int) int {
	if v < 0 {
		return 0
	}
	if v >= n {
		return n - 1
	}
	return v
}

package degrade

import (
	"image"
	"math"
	"math/rand/v2"
)

// realistic is a messenger photo modelled on real ones (measured with
// corpus/photostat on ../shared/real-dev and described in docs/corpus.md):
// Telegram 1280 or WhatsApp 1600 px at quality 70–87, the sheet covering
// 60–95 % of the frame on wood, stone, cloth or a desk, landscape forms
// usually shot in portrait, perspective up to ~15°, a soft hand or phone
// shadow, a glare patch, curl and a fold; the phone's own processing
// leaves print dark and edges crisp (sharpening), with little noise.
var realistic = style{
	long: func(rng *rand.Rand) int {
		if rng.Float64() < 0.6 {
			return 1280 // Telegram
		}
		return 1600 // WhatsApp
	},
	quality:       [2]int{70, 87},
	tilt:          5,
	keystone:      0.15, // the far edge up to 15 % shorter: ~15° off the normal
	blur:          [2]float64{0.35, 0.8},
	light:         [2]float64{0.08, 0.25},
	shadow:        [2]float64{0.1, 0.3},
	recompress:    0.2,
	exposure:      [2]float64{0.76, 0.9}, // real paper reads 180–217 of 255
	noise:         [2]float64{2.5, 4.5},
	flare:         [2]float64{0, 0.03},
	bend:          0.02,
	fill:          [2]float64{0.6, 0.95},
	fillArea:      true,
	cropChance:    0.1,
	landscapeTurn: 0.75, // «a landscape УПД photographed in portrait»
	real:          true,
	sharpen:       [2]float64{0.5, 1.1},
	blackPoint:    [2]float64{15, 45},
}

// scanApp is a phone photo through a «scanner app»: the sheet found and
// straightened so that it fills the frame (a little perspective and tilt
// left over), the background divided out to white, contrast hardened and
// edges over-sharpened, then sent through a messenger.
var scanApp = style{
	long:          func(rng *rand.Rand) int { return []int{1280, 1600}[rng.IntN(2)] },
	quality:       [2]int{70, 87},
	tilt:          1.2,
	keystone:      0.02,
	blur:          [2]float64{0.4, 0.9},
	light:         [2]float64{0.1, 0.3},
	shadow:        [2]float64{0.1, 0.35},
	recompress:    0.2,
	exposure:      [2]float64{0.75, 0.9},
	noise:         [2]float64{1.5, 3},
	flare:         [2]float64{0.02, 0.06},
	bend:          0.008,
	fill:          [2]float64{1.0, 1.04},
	landscapeTurn: 0.3,
	real:          true,
	app:           true,
	sharpen:       [2]float64{1.5, 2.5},
}

// RealPhoto makes a messenger photo of page modelled on real ones; see
// realistic for what it draws and docs/corpus.md for how it was measured.
// turned is as for Photo.
func RealPhoto(rng *rand.Rand, page image.Image) (photo []byte, turned int, err error) {
	return shoot(rng, page, realistic)
}

// ScanApp makes a «scanner app» picture of page sent through a messenger:
// whitened, hard contrast, over-sharpened, the sheet filling the frame.
// turned is as for Photo.
func ScanApp(rng *rand.Rand, page image.Image) (photo []byte, turned int, err error) {
	return shoot(rng, page, scanApp)
}

// extras are the marks of a real photo drawn on top of the scene's light:
// a hand or phone shadow, a glare patch and a fold, all in frame pixels
// except the fold, which lies on the page.
type extras struct {
	hand                 bool
	hx, hy, hrx, hry     float64 // ellipse of the shadow
	hcos, hsin           float64
	hDark, hBlue, hSoft  float64
	glare                bool
	gx, gy, grx, gry     float64
	gStrength            float64
	fold                 bool
	fx, fy, fnx, fny     float64 // a point on the crease and its normal, page px
	fDark, fWidth, fKink float64
}

func newExtras(rng *rand.Rand, fw, fh int, sheetCX, sheetCY, sheetHalf float64, pw, ph float64) extras {
	var e extras
	n := float64(max(fw, fh))
	if rng.Float64() < 0.7 {
		// A blurred ellipse reaching in from an edge of the sheet: the
		// hand or the phone between the lamp and the page; daylight makes
		// it bluish.
		e.hand = true
		a := rng.Float64() * 2 * math.Pi
		e.hx = sheetCX + math.Cos(a)*sheetHalf*uniform(rng, 0.7, 1.1)
		e.hy = sheetCY + math.Sin(a)*sheetHalf*uniform(rng, 0.7, 1.1)
		e.hrx, e.hry = n*uniform(rng, 0.15, 0.3), n*uniform(rng, 0.08, 0.16)
		e.hcos, e.hsin = math.Cos(a+uniform(rng, -0.5, 0.5)), math.Sin(a+uniform(rng, -0.5, 0.5))
		e.hDark = uniform(rng, 0.15, 0.4)
		e.hBlue = uniform(rng, 0, 0.12)
		e.hSoft = uniform(rng, 0.3, 0.7)
	}
	if rng.Float64() < 0.5 {
		// Glare: a lamp's reflection, a soft bright spot that washes out
		// print.
		e.glare = true
		e.gx = sheetCX + uniform(rng, -0.6, 0.6)*sheetHalf
		e.gy = sheetCY + uniform(rng, -0.6, 0.6)*sheetHalf
		e.grx, e.gry = n*uniform(rng, 0.04, 0.12), n*uniform(rng, 0.03, 0.09)
		e.gStrength = uniform(rng, 0.35, 0.8)
	}
	if rng.Float64() < 0.5 {
		// A fold across the page where it was folded in half or thirds.
		e.fold = true
		if rng.IntN(2) == 0 {
			e.fx, e.fy, e.fnx, e.fny = 0, ph*[]float64{0.5, 0.33, 0.67}[rng.IntN(3)], 0, 1
		} else {
			e.fx, e.fy, e.fnx, e.fny = pw*0.5, 0, 1, 0
		}
		e.fDark = uniform(rng, 0.05, 0.15)
		e.fWidth = uniform(rng, 0.004, 0.012) * math.Max(pw, ph)
		e.fKink = uniform(rng, -0.015, 0.015)
	}
	return e
}

// warp moves a page point across the fold: the far side of the crease is
// tilted a little, so lines bend there.
func (e *extras) warp(sx, sy float64) (float64, float64) {
	if !e.fold {
		return sx, sy
	}
	d := (sx-e.fx)*e.fnx + (sy-e.fy)*e.fny
	if d > 0 {
		along := (sx-e.fx)*-e.fny + (sy-e.fy)*e.fnx
		sx += e.fnx * along * e.fKink
		sy += e.fny * along * e.fKink
	}
	return sx, sy
}

// light returns the multipliers (luma, blue) and the glare lift at frame
// pixel (x, y) showing page point (sx, sy).
func (e *extras) light(x, y, sx, sy float64) (mul, blue, glare float64) {
	mul, blue = 1, 0
	if e.hand {
		dx, dy := x-e.hx, y-e.hy
		u := (dx*e.hcos + dy*e.hsin) / e.hrx
		v := (-dx*e.hsin + dy*e.hcos) / e.hry
		r := math.Sqrt(u*u + v*v)
		if t := (1 + e.hSoft - r) / (2 * e.hSoft); t > 0 {
			t = min(t, 1)
			s := t * t * (3 - 2*t)
			mul *= 1 - e.hDark*s
			blue = e.hBlue * s
		}
	}
	if e.fold {
		d := (sx-e.fx)*e.fnx + (sy-e.fy)*e.fny
		k := d / e.fWidth
		if k > -3 && k < 3 {
			// Lit side, dark crease, shaded side.
			mul *= 1 - e.fDark*math.Exp(-k*k) + 0.04*math.Tanh(-k)
		}
	}
	if e.glare {
		dx, dy := (x-e.gx)/e.grx, (y-e.gy)/e.gry
		glare = e.gStrength * math.Exp(-(dx*dx + dy*dy))
	}
	return mul, blue, glare
}

// whiten is the scanner app's pass: divide by the paper level (a large
// max-then-blur of luma), stretch so that paper is white and ink nearly
// black, in place.
func whiten(rng *rand.Rand, img *image.RGBA) {
	w, h := img.Rect.Dx(), img.Rect.Dy()
	// Paper level on a coarse grid: the brightest luma per 16-px cell,
	// then smoothed.
	const cell = 16
	cw, ch := (w+cell-1)/cell, (h+cell-1)/cell
	level := make([]uint8, cw*ch)
	for y := range h {
		row := img.Pix[y*img.Stride:]
		for x := range w {
			p := row[4*x:]
			l := uint8((299*int(p[0]) + 587*int(p[1]) + 114*int(p[2])) / 1000)
			i := (y/cell)*cw + x/cell
			level[i] = max(level[i], l)
		}
	}
	blurPix(level, cw, ch, cw, 1, 1.5)
	black := uniform(rng, 0.25, 0.45) // share of paper level mapped to black
	gamma := uniform(rng, 0.8, 1.0)
	parallelRows(h, func(y0, y1 int) {
		for y := y0; y < y1; y++ {
			row := img.Pix[y*img.Stride:]
			fy := (float64(y) + 0.5) / cell
			for x := range w {
				lv := math.Max(float64(bilinear(level, cw, ch, (float64(x)+0.5)/cell, fy)), 40)
				p := row[4*x:]
				for c := range 3 {
					v := float64(p[c]) / lv
					v = (v - black) / (0.92 - black)
					v = math.Pow(min(max(v, 0), 1), gamma)
					p[c] = clamp8(v * 255)
				}
			}
		}
	})
}

// bilinear samples a grid of bytes at fractional cell coordinates.
func bilinear(g []uint8, w, h int, x, y float64) float64 {
	x, y = x-0.5, y-0.5
	ix, iy := int(math.Floor(x)), int(math.Floor(y))
	tx, ty := x-float64(ix), y-float64(iy)
	x0, x1 := clampI(ix, w), clampI(ix+1, w)
	y0, y1 := clampI(iy, h), clampI(iy+1, h)
	a := float64(g[y0*w+x0])*(1-tx) + float64(g[y0*w+x1])*tx
	b := float64(g[y1*w+x0])*(1-tx) + float64(g[y1*w+x1])*tx
	return a*(1-ty) + b*ty
}

// lowerBlacks maps grey level bp to 0 and keeps 255, in place: the
// phone's tone curve that keeps print black in a photo.
func lowerBlacks(img *image.RGBA, bp float64) {
	if bp <= 0 {
		return
	}
	var lut [256]uint8
	for i := range lut {
		lut[i] = clamp8((float64(i) - bp) * 255 / (255 - bp))
	}
	for i := 0; i < len(img.Pix); i += 4 {
		img.Pix[i], img.Pix[i+1], img.Pix[i+2] = lut[img.Pix[i]], lut[img.Pix[i+1]], lut[img.Pix[i+2]]
	}
}

// sharpen is an unsharp mask of the given amount (radius ~1 px), in place:
// what phones and scanner apps do to make print look crisp, with the halos
// that come with it.
func sharpen(img *image.RGBA, amount float64) {
	w, h := img.Rect.Dx(), img.Rect.Dy()
	soft := make([]uint8, len(img.Pix))
	copy(soft, img.Pix)
	blurPix(soft, w, h, img.Stride, 4, 1.0)
	parallelRows(h, func(y0, y1 int) {
		for y := y0; y < y1; y++ {
			o := y * img.Stride
			for x := range w {
				i := o + 4*x
				for c := range 3 {
					v := float64(img.Pix[i+c])
					img.Pix[i+c] = clamp8(v + amount*(v-float64(soft[i+c])))
				}
			}
		}
	})
}

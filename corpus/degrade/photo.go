package degrade

import (
	"bytes"
	"fmt"
	"image"
	"image/jpeg"
	"math"
	"math/rand/v2"

	"github.com/disintegration/imaging"
)

// style holds the ranges one kind of photo draws its parameters from.
type style struct {
	long          func(rng *rand.Rand) int // final long side, px
	quality       [2]int                   // messenger JPEG quality
	tilt          float64                  // max in-plane rotation, degrees
	keystone      float64                  // max shrink of the far edge, share
	blur          [2]float64               // camera blur sigma, frame px
	light         [2]float64               // gradient strength
	shadow        [2]float64               // darkening under the soft shadow
	recompress    float64                  // chance of a second (forwarded) JPEG
	turn          bool                     // content turned 90/180/270 degrees
	exposure      [2]float64
	noise         [2]float64
	flare         [2]float64 // share of stray light lifting the blacks
	bend          float64    // max bow of a curled sheet, share of its size
	fill          [2]float64 // share of the frame the sheet spans
	cropChance    float64    // chance the sheet overflows the frame
	landscapeTurn float64    // chance a landscape sheet is shot turned in a portrait frame
	fillArea      bool       // fill is a share of the frame's area, not of its side
	// real adds what real photos have and the first styles lack (stone
	// tables, a hand shadow, glare, a fold, phone sharpening); app is the
	// «scanner app» pass on top. Both draw from the generator only when
	// set, so the older styles make the same pictures as before.
	real       bool
	app        bool
	sharpen    [2]float64 // unsharp-mask amount after the messenger's downscale
	blackPoint [2]float64 // grey level the phone's tone curve maps to black
}

// messenger is a decent phone photo sent through Telegram or WhatsApp.
var messenger = style{
	long: func(rng *rand.Rand) int {
		switch r := rng.Float64(); {
		case r < 0.5:
			return 1280 // Telegram
		case r < 0.85:
			return 1600 // WhatsApp
		default:
			return 1280 + rng.IntN(321)
		}
	},
	quality:       [2]int{65, 80},
	tilt:          4,
	keystone:      0.07,
	blur:          [2]float64{0.5, 1.0},
	light:         [2]float64{0.08, 0.25},
	shadow:        [2]float64{0.12, 0.3},
	recompress:    0.3,
	exposure:      [2]float64{0.85, 0.98},
	noise:         [2]float64{1.5, 3.5},
	flare:         [2]float64{0.03, 0.09},
	bend:          0.006,
	fill:          [2]float64{0.72, 0.9},
	cropChance:    0.12,
	landscapeTurn: 0.4,
}

// hard is a poor photo: small, blurry, darker, strongly shaded, and turned
// because the phone was held the wrong way (no EXIF to fix it).
var hard = style{
	long:          func(rng *rand.Rand) int { return 1024 + rng.IntN(257) },
	quality:       [2]int{45, 60},
	tilt:          7,
	keystone:      0.12,
	blur:          [2]float64{0.8, 1.4},
	light:         [2]float64{0.25, 0.45},
	shadow:        [2]float64{0.3, 0.5},
	recompress:    0.3,
	turn:          true,
	exposure:      [2]float64{0.72, 0.9},
	noise:         [2]float64{3, 6},
	flare:         [2]float64{0.07, 0.15},
	bend:          0.012,
	fill:          [2]float64{0.8, 0.95},
	cropChance:    0.2,
	landscapeTurn: 0.4,
}

// Photo makes a messenger photo of page (the 300-dpi render): the sheet
// lying on a table or cloth, seen at a slight angle and tilt with its
// corners usually in frame, lit unevenly with a soft shadow across part of
// it, slightly blurred, saved by the camera as JPEG (q≈90) and then
// downscaled by the messenger to 1280–1600 px on the long side at quality
// 65–80, sometimes (≈30%) recompressed again when forwarded. Portrait
// sheets stay portrait; landscape sheets are shot either way round.
//
// turned is how far the page's content ends up turned clockwise in the
// photo (0, 90, 180 or 270): the turn an orientation step must undo, which
// the corpus records as truth.
func Photo(rng *rand.Rand, page image.Image) (photo []byte, turned int, err error) {
	return shoot(rng, page, messenger)
}

// HardPhoto is a worse photo than Photo: 1024–1280 px on the long side,
// quality 45–60, stronger blur, light gradient and shadow, and the content
// turned by 90, 180 or 270 degrees as when the phone was held wrong.
// turned is as for Photo.
func HardPhoto(rng *rand.Rand, page image.Image) (photo []byte, turned int, err error) {
	return shoot(rng, page, hard)
}

// frameOversample is how much larger than the messenger's output the camera
// frame is built: enough for the downscale to smooth the warp, far cheaper
// than working at the page's 300 dpi.
const frameOversample = 1.3

// shoot makes one photo of page in style st. It also returns how far the
// page's content is turned clockwise in the photo, in degrees: a landscape
// sheet shot in a portrait frame is turned a quarter either way, and a
// style that turns the picture (hard) adds its own turn. The turn is worked
// out from what was drawn, not from another random number, so recording it
// leaves every photo's bytes as they were.
func shoot(rng *rand.Rand, page image.Image, st style) ([]byte, int, error) {
	if page == nil || page.Bounds().Dx() < 8 || page.Bounds().Dy() < 8 {
		return nil, 0, fmt.Errorf("photo: page image too small or missing")
	}
	src := toRGBA(page)
	pw, ph := float64(src.Rect.Dx()), float64(src.Rect.Dy())

	long := st.long(rng)
	flong := int(float64(long) * frameOversample)
	fshort := flong * 3 / 4

	// Frame orientation and how the sheet is turned in it (quarter turns
	// clockwise): portrait sheets are shot upright in portrait frames.
	quarter := 0
	fw, fh := fshort, flong
	if pw > ph {
		switch r := rng.Float64(); {
		case r < st.landscapeTurn:
			if rng.IntN(2) == 0 {
				quarter = 1
			} else {
				quarter = 3
			}
		case r < st.landscapeTurn+0.1:
			// Portrait frame, sheet upright and small in it.
		default:
			fw, fh = flong, fshort
		}
	}
	sw, sh := pw, ph
	if quarter%2 == 1 {
		sw, sh = ph, pw
	}

	fill := uniform(rng, st.fill[0], st.fill[1])
	if st.fillArea {
		fill = math.Sqrt(fill)
	}
	if rng.Float64() < st.cropChance {
		fill = uniform(rng, 0.93, 1.06)
	}
	scale := fill * math.Min(float64(fw)/sw, float64(fh)/sh)
	hw, hh := sw*scale/2, sh*scale/2
	cx := float64(fw)/2 + uniform(rng, -0.8, 0.8)*math.Max(float64(fw)/2-hw, float64(fw)*0.02)
	cy := float64(fh)/2 + uniform(rng, -0.8, 0.8)*math.Max(float64(fh)/2-hh, float64(fh)*0.02)

	// Corners TL, TR, BR, BL of the sheet in the frame: tilted, then one
	// edge pulled in (the phone leans towards the other edge), then jitter.
	tilt := uniform(rng, -st.tilt, st.tilt) * math.Pi / 180
	sin, cos := math.Sincos(tilt)
	local := [4][2]float64{{-hw, -hh}, {hw, -hh}, {hw, hh}, {-hw, hh}}
	ks := uniform(rng, 0, st.keystone)
	switch rng.IntN(4) {
	case 0: // far edge at the top
		local[0][0] += hw * ks
		local[1][0] -= hw * ks
	case 1:
		local[3][0] += hw * ks
		local[2][0] -= hw * ks
	case 2:
		local[0][1] += hh * ks
		local[3][1] -= hh * ks
	default:
		local[1][1] += hh * ks
		local[2][1] -= hh * ks
	}
	var dst [4][2]float64
	jit := 0.012 * math.Min(hw, hh)
	for i, p := range local {
		x := p[0] + uniform(rng, -jit, jit)
		y := p[1] + uniform(rng, -jit, jit)
		dst[i] = [2]float64{cx + x*cos - y*sin, cy + x*sin + y*cos}
	}

	// Shrink the page by halves while it is much larger than it appears.
	for 1/scale >= 1.6 && pw >= 64 && ph >= 64 {
		src = halve(src)
		pw, ph = float64(src.Rect.Dx()), float64(src.Rect.Dy())
		scale *= 2
	}
	pageCorners := [4][2]float64{{0, 0}, {pw, 0}, {pw, ph}, {0, ph}}
	var from [4][2]float64
	for i := range 4 {
		// Frame corner i shows page corner (i - quarter) mod 4.
		from[i] = pageCorners[(i-quarter+4)%4]
	}
	// Frame corner i showing page corner i-quarter, corners going round
	// clockwise, is the page turned clockwise by quarter quarters.
	turned := 90 * quarter
	hom, err := solveHomography(dst, from)
	if err != nil {
		return nil, 0, fmt.Errorf("photo: %w", err)
	}
	// Paper rarely lies flat: bow it along one axis, so rules and text lines
	// curve slightly and the sheet's edges are not quite straight.
	bendAmp := uniform(rng, -st.bend, st.bend)
	bendAlongX := rng.IntN(2) == 0
	if bendAlongX {
		bendAmp *= ph
	} else {
		bendAmp *= pw
	}

	scene := newScene(rng, st, fw, fh, cx, cy, math.Max(hw, hh), 1/scale)
	var ex extras
	if st.real {
		ex = newExtras(rng, fw, fh, cx, cy, math.Max(hw, hh), pw, ph)
	}
	frame := image.NewRGBA(image.Rect(0, 0, fw, fh))
	parallelRows(fh, func(y0, y1 int) {
		for y := y0; y < y1; y++ {
			row := frame.Pix[y*frame.Stride:]
			for x := range fw {
				fx, fy := float64(x)+0.5, float64(y)+0.5
				sx, sy := hom.apply(fx, fy)
				if bendAlongX {
					sy += bendAmp * fastSin(sx/pw/2)
				} else {
					sx += bendAmp * fastSin(sy/ph/2)
				}
				if st.real {
					sx, sy = ex.warp(sx, sy)
				}
				r, g, b := scene.shade(src, x, y, sx, sy)
				if st.real {
					mul, blue, glare := ex.light(fx, fy, sx, sy)
					rf, gf, bf := float64(r)*mul*(1-blue), float64(g)*mul*(1-blue/2), float64(b)*mul
					r, g, b = clamp8(rf+(255-rf)*glare), clamp8(gf+(255-gf)*glare), clamp8(bf+(255-bf)*glare)
				}
				p := row[4*x:]
				p[0], p[1], p[2], p[3] = r, g, b, 0xff
			}
		}
	})
	blurPix(frame.Pix, fw, fh, frame.Stride, 4, uniform(rng, st.blur[0], st.blur[1]))
	if st.app {
		whiten(rng, frame)
	}

	// The camera's own JPEG, then the messenger's downscale and JPEG.
	camQ := 88 + rng.IntN(7)
	var cam bytes.Buffer
	if err := jpeg.Encode(&cam, frame, &jpeg.Options{Quality: camQ}); err != nil {
		return nil, 0, fmt.Errorf("photo: camera jpeg: %w", err)
	}
	shot, err := jpeg.Decode(&cam)
	if err != nil {
		return nil, 0, fmt.Errorf("photo: decode camera jpeg: %w", err)
	}
	ow, oh := long, long*3/4
	if fw < fh {
		ow, oh = oh, ow
	}
	small := opaqueRGBA(imaging.Resize(shot, ow, oh, imaging.Linear))
	if st.real {
		lowerBlacks(small, uniform(rng, st.blackPoint[0], st.blackPoint[1]))
		sharpen(small, uniform(rng, st.sharpen[0], st.sharpen[1]))
	}
	if st.turn {
		// imaging's RotateN turns counter-clockwise by N degrees, that is
		// clockwise by 360-N.
		switch rng.IntN(3) {
		case 0:
			small = opaqueRGBA(imaging.Rotate90(small))
			turned += 270
		case 1:
			small = opaqueRGBA(imaging.Rotate180(small))
			turned += 180
		default:
			small = opaqueRGBA(imaging.Rotate270(small))
			turned += 90
		}
		turned %= 360
	}
	q := st.quality[0] + rng.IntN(st.quality[1]-st.quality[0]+1)
	var out bytes.Buffer
	if err := jpeg.Encode(&out, small, &jpeg.Options{Quality: q}); err != nil {
		return nil, 0, fmt.Errorf("photo: messenger jpeg: %w", err)
	}
	if rng.Float64() < st.recompress {
		again, err := jpeg.Decode(bytes.NewReader(out.Bytes()))
		if err != nil {
			return nil, 0, fmt.Errorf("photo: decode for forwarding: %w", err)
		}
		q2 := st.quality[0] + rng.IntN(st.quality[1]-st.quality[0]+1)
		out.Reset()
		if err := jpeg.Encode(&out, again, &jpeg.Options{Quality: q2}); err != nil {
			return nil, 0, fmt.Errorf("photo: forwarded jpeg: %w", err)
		}
	}
	return withJFIF(out.Bytes()), turned, nil
}

// jfifAPP0 is the JFIF header (version 1.1, square pixels, no density) that
// phones and messengers write and Go's encoder leaves out.
var jfifAPP0 = []byte{0xff, 0xe0, 0x00, 0x10, 'J', 'F', 'I', 'F', 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00}

// withJFIF inserts the JFIF header after the SOI marker of a Go-encoded JPEG.
func withJFIF(j []byte) []byte {
	if len(j) < 4 || j[0] != 0xff || j[1] != 0xd8 || (j[2] == 0xff && j[3] == 0xe0) {
		return j
	}
	out := make([]byte, 0, len(j)+len(jfifAPP0))
	out = append(out, j[:2]...)
	out = append(out, jfifAPP0...)
	return append(out, j[2:]...)
}

// opaqueRGBA reinterprets an opaque NRGBA image as RGBA without copying
// (with alpha 255 the two layouts hold the same bytes), because the JPEG
// encoder has a fast path for RGBA and a slow generic one for NRGBA.
func opaqueRGBA(m *image.NRGBA) *image.RGBA {
	return &image.RGBA{Pix: m.Pix, Stride: m.Stride, Rect: m.Rect}
}

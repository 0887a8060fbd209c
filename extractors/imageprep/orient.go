package imageprep

import (
	"fmt"
	"image"
	"math"

	"github.com/disintegration/imaging"
)

// minOrientConf is the lowest orientation confidence acted on, on the
// 0..1 scale of the tesseract package (raw OSD confidence c mapped to
// c/(c+2)): 0.5 is a raw 2. Pages OSD cannot read give raw ~0.6 (0.23) and
// a wrong answer; clear text pages give raw 5–16 (0.7–0.9). Turning a
// correct page on a guess costs the whole page.
const minOrientConf = 0.5

// orientLongSide bounds the copy handed to the Orienter: OSD needs legible
// glyphs, not full resolution, and its cost grows with the pixel count.
const orientLongSide = 2400

// orientProbe is the copy of g the Orienter sees. OSD refuses messenger
// photos as they are ("too few characters" with 10-px capitals), so small
// text is enlarged towards targetCap first, within orientLongSide; large
// pages are reduced to orientLongSide.
//
// The probe is also levelled (see flatten): OSD thresholds globally, and a
// dark background or a shadow across the page hid most characters from it.
func orientProbe(g *image.Gray) image.Image {
	if lv, _ := levelLight(g, stretchTuning{}); lv != nil {
		g = lv
	}
	w, h := g.Rect.Dx(), g.Rect.Dy()
	f := 1.0
	if capH, ok := estimateCapHeight(g); ok && capH < upscaleBelow {
		f = min(targetCap/capH, maxUpscale)
	}
	f = min(f, float64(orientLongSide)/float64(max(w, h)))
	if math.Abs(f-1) < 0.05 {
		return g
	}
	return imaging.Resize(g, max(1, int(float64(w)*f)), max(1, int(float64(h)*f)), imaging.Linear)
}

// orient asks the Orienter how far the page is turned and rotates it back
// by a multiple of 90°. Skipped without an Orienter or on low confidence.
func (p *enhancer) orient() (bool, error) {
	if t := ((p.opt.Turn % 360) + 360) % 360; t != 0 {
		if t%90 != 0 {
			return false, fmt.Errorf("turn of %d°, not a multiple of 90", p.opt.Turn)
		}
		p.gray = rotateRight(p.gray, t)
		p.rotated = t
		return true, nil
	}
	if p.opt.Orienter == nil {
		return false, nil
	}
	g := p.gray
	w, h := g.Rect.Dx(), g.Rect.Dy()
	if w < 32 || h < 32 {
		return false, nil
	}
	probe := orientProbe(g)
	var (
		deg  int
		conf float64
		err  error
	)
	if d, ok := p.opt.Orienter.(DeferringOrienter); ok && p.opt.DeferUpright {
		deg, conf, p.unverified, err = d.OrientationDeferred(p.ctx, probe)
	} else {
		deg, conf, err = p.opt.Orienter.Orientation(p.ctx, probe)
	}
	if err != nil {
		// The page may still read fine as it is: log and carry on, unless
		// the context ended (the caller will see that between steps).
		p.log.Warn("orient: orienter failed", "err", err)
		p.unverified = false
		return false, nil
	}
	deg = ((deg % 360) + 360) % 360
	if deg%90 != 0 {
		return false, fmt.Errorf("orienter returned %d°, not a multiple of 90", deg)
	}
	if deg == 0 || conf < minOrientConf {
		p.log.Debug("orient: kept", "degrees", deg, "conf", conf)
		return false, nil
	}
	p.gray = rotateRight(g, deg)
	p.rotated = deg
	return true, nil
}

// rotateRight turns g clockwise by 90, 180 or 270 degrees.
func rotateRight(g *image.Gray, deg int) *image.Gray {
	w, h := g.Rect.Dx(), g.Rect.Dy()
	src := func(x, y int) uint8 { return g.Pix[y*g.Stride+x] }
	var out *image.Gray
	switch deg {
	case 90:
		out = image.NewGray(image.Rect(0, 0, h, w))
		for y := 0; y < w; y++ { // output row y = input column y
			row := out.Pix[y*out.Stride:]
			for x := 0; x < h; x++ {
				row[x] = src(y, h-1-x)
			}
		}
	case 180:
		out = image.NewGray(image.Rect(0, 0, w, h))
		for y := 0; y < h; y++ {
			row := out.Pix[y*out.Stride:]
			in := g.Pix[(h-1-y)*g.Stride:]
			for x := 0; x < w; x++ {
				row[x] = in[w-1-x]
			}
		}
	case 270:
		out = image.NewGray(image.Rect(0, 0, h, w))
		for y := 0; y < w; y++ {
			row := out.Pix[y*out.Stride:]
			for x := 0; x < h; x++ {
				row[x] = src(w-1-y, x)
			}
		}
	default:
		return g
	}
	return out
}

package tesseract

import (
	"context"
	"image"
	"math"

	"golang.org/x/image/draw"
)

// osdLongSide is the long side, in px, an image is reduced to before
// orientation detection. OSD looks at character shapes normalised to a
// fixed size, so it needs readable characters, not full resolution; on an
// A4 page this is ~140 dpi, enough for 8 pt text. See BenchmarkOrientation.
const osdLongSide = 1600

// a4LongInch is the long side of an A4 sheet in inches: OSD is told the
// resolution a page would have if it were A4, the usual document size.
const a4LongInch = 11.69

// Orientation returns the clockwise rotation (0, 90, 180 or 270 degrees)
// that turns img upright, using Tesseract's orientation and script detection
// (osd.traineddata, the legacy engine). conf is Tesseract's orientation
// confidence mapped to 0..1 by c/(c+oscConfScale): Tesseract's raw value is
// unbounded, about 1 for a coin toss and 5..40 for clear text (see
// TestOrientation). A page with too little text gives 0, 0 and no error.
func (p *Pool) Orientation(ctx context.Context, img image.Image) (degrees int, conf float64, err error) {
	if err := checkInput(img, 1); err != nil {
		return 0, 0, err
	}
	gray, w, h := osdImage(img, osdLongSide)
	dpi := clampDPI(int(math.Round(float64(max(w, h)) / a4LongInch)))

	s, err := p.acquire(ctx)
	if err != nil {
		return 0, 0, err
	}
	defer p.release(s, false)
	if s.osd == nil {
		if err := ctx.Err(); err != nil {
			return 0, 0, canceled(err, "create orientation engine")
		}
		if s.osd, err = p.newOSD(); err != nil {
			return 0, 0, err
		}
	}
	if err := ctx.Err(); err != nil {
		return 0, 0, canceled(err, "before orientation detection")
	}
	unlock := singleThreadOpenMP()
	defer unlock()
	seen, raw, ok := s.osd.detect(gray, w, h, dpi)
	if !ok {
		return 0, 0, nil
	}
	// Tesseract reports how the input is rotated; undoing it is the
	// opposite turn.
	return (360 - seen) % 360, raw / (raw + osdConfScale), nil
}

// osdConfScale maps Tesseract's raw orientation confidence to 0..1: a raw 2
// becomes 0.5.
const osdConfScale = 2

// osdImage returns img as gray, reduced so that its long side is at most
// longSide.
func osdImage(img image.Image, longSide int) (gray []byte, w, h int) {
	b := img.Bounds()
	long := max(b.Dx(), b.Dy())
	if long <= longSide {
		return toGray(img)
	}
	g, gw, gh := toGray(img)
	src := &image.Gray{Pix: g, Stride: gw, Rect: image.Rect(0, 0, gw, gh)}
	k := float64(longSide) / float64(long)
	dw, dh := max(1, int(math.Round(float64(gw)*k))), max(1, int(math.Round(float64(gh)*k)))
	dst := image.NewGray(image.Rect(0, 0, dw, dh))
	draw.ApproxBiLinear.Scale(dst, dst.Rect, src, src.Rect, draw.Src, nil)
	return dst.Pix, dw, dh
}

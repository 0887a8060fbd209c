package tesseract

import (
	"context"
	"image"
	"math"
)

// OSD looks at character shapes normalised to a fixed size, so it needs
// readable characters, not full resolution, and its cost grows with the
// pixels it thresholds and segments. Pages are reduced to osdFastSide px on
// the long side first (~100 dpi on A4: body text and headings pass, 7.5 pt
// table text is dropped as too small); only when that gives no answer or a
// weak one is the page tried again at osdFullSide. On the invoice page
// (BenchmarkOrientation) 1200 px found all four turns with raw confidence
// ~4.5 for 0.21-0.26 CPU-seconds, 1600 px with ~16 for 0.36-0.43 and
// 2400 px with ~20 for 0.55; 1000 px or less found too few characters (a
// fast "no answer", 0.03-0.04 s).
//
// The full size matches the probe imageprep hands over (it enlarges small
// photo text and bounds scans to 2400 px), so that enlargement is not undone.
const (
	osdFastSide   = 1200
	osdFullSide   = 2400
	osdRetryBelow = 2.0 // raw confidence under which the fast answer is retried
)

// a4LongInch is the long side of an A4 sheet in inches: OSD is told the
// resolution a page would have if it were A4, the usual document size.
const a4LongInch = 11.69

// Orientation returns the clockwise rotation (0, 90, 180 or 270 degrees)
// that turns img upright, and a confidence 0..1; callers act on 0.5 and
// above.
//
// It asks Tesseract's orientation and script detection first (osd.
// traineddata, the legacy engine), whose raw confidence c is mapped to 0..1
// by c/(c+osdConfScale). Tesseract's raw value is unbounded: on the test
// invoice it was ~5 (0.7) with the text barely large enough and ~16 (0.9)
// with all of it readable, and ~0.6 (0.2) on wrong answers when the text
// was too small. When OSD is unsure (below osdTrustFrom) or finds too few
// characters, the page is read as well (readOrientation): a central crop is
// recognised at the quarter turns and the turn that gives the most
// confidently read Russian words wins. Reading with confidence
// readOverrides or more decides, since a confident reading was never wrong
// on the corpus while OSD was wrong at 0.56 and 0.63; otherwise the more
// confident of the two answers is returned. A page with no text gives 0
// with confidence under 0.5 and no error.
func (p *Pool) Orientation(ctx context.Context, img image.Image) (degrees int, conf float64, err error) {
	degrees, conf, _, err = p.orientation(ctx, img, false)
	return degrees, conf, err
}

// OrientationDeferred is Orientation that leaves the upright answer to the
// page's recognition: when the text lines of the page and of its centre
// are seen lying flat (newReadProbe), it returns 0 with unverified set,
// asking neither OSD nor a reading of the central crop. Most photos are upright, and the caller
// recognises the whole page upright anyway: that recognition is the better
// reading test (UprightScore), and only a page that reads badly needs
// OrientationByReading. Other pages go to OSD as in Orientation, except
// that a turn under osdHintFrom is no hint for the crop's reading.
func (p *Pool) OrientationDeferred(ctx context.Context, img image.Image) (degrees int, conf float64, unverified bool, err error) {
	return p.orientation(ctx, img, true)
}

// osdHintFrom is the mapped OSD confidence under which OrientationDeferred
// takes OSD's turn for no answer. OSD's answers on pages it cannot read are
// 0.0-0.1 (seed 8111's realistic photos: 180° at 0.006 and 0.09 on upright
// and quarter-turned pages); its weak right answers on turned pages were
// 0.5-0.6.
const osdHintFrom = 0.2

// OrientationByReading finds the turn of img by reading its central crop
// at the quarter turns (see readOrientation), upright first, without
// OSD: what a page that OrientationDeferred left unverified and that reads
// badly upright is checked by.
func (p *Pool) OrientationByReading(ctx context.Context, img image.Image) (degrees int, conf float64, err error) {
	if err := checkImage(img); err != nil {
		return 0, 0, err
	}
	full := grayImage(img)
	s, err := p.acquire(ctx)
	if err != nil {
		return 0, 0, err
	}
	calls := 0
	defer func() { p.releaseProbe(s, calls) }()
	return p.readOrientation(ctx, s, newReadProbe(full), 0, &calls)
}

func (p *Pool) orientation(ctx context.Context, img image.Image, deferUpright bool) (degrees int, conf float64, unverified bool, err error) {
	if err := checkImage(img); err != nil {
		return 0, 0, false, err
	}
	full := grayImage(img)
	s, err := p.acquire(ctx)
	if err != nil {
		return 0, 0, false, err
	}
	calls := 0
	defer func() { p.releaseProbe(s, calls) }()
	var pr readProbe
	if deferUpright {
		// Text lines lying flat leave only upright or upside down, which
		// the page's own recognition tells apart (UprightScore): OSD's
		// answer is not needed, and it cost 0.2–0.4 CPU-s a page on
		// photos (two detections where the first was weak). Documents are
		// photographed upright or on their side, hardly ever upside down;
		// an upside-down page pays a second recognition instead.
		pr = newReadProbe(full)
		if pr.dir == linesHorizontal {
			p.log.Debug("orientation deferred", "lines", pr.dir)
			return 0, 0, true, nil
		}
		if pr.dir == linesVertical {
			// Lines on end leave 90° or 270°, which the crop's reading
			// tells; OSD only cost its detections. On the realistic and
			// scanner-app photos of seeds 9601 and 9701 and on seed 1's
			// photos, 18 pages had their lines on end: OSD never reached
			// osdTrustFrom (0.42 at most) and gave a hint over
			// osdHintFrom twice, once the wrong turn.
			deg, c, err := p.readOrientation(ctx, s, pr, 0, &calls)
			if err != nil {
				return 0, 0, false, err
			}
			p.log.Debug("orientation by reading", "lines", pr.dir, "read_degrees", deg, "read_conf", c)
			return deg, c, false, nil
		}
	}
	if s.osd == nil {
		if err := ctx.Err(); err != nil {
			return 0, 0, false, canceled(err, "create orientation engine")
		}
		if s.osd, err = p.newOSD(); err != nil {
			return 0, 0, false, err
		}
	}
	if err := ctx.Err(); err != nil {
		return 0, 0, false, canceled(err, "before orientation detection")
	}
	seen, raw, ok := p.detect(s.osd, full, osdFastSide)
	if long := max(full.Rect.Dx(), full.Rect.Dy()); (!ok || raw < osdRetryBelow) && long > osdFastSide {
		if err := ctx.Err(); err != nil {
			return 0, 0, false, canceled(err, "before orientation detection")
		}
		seen, raw, ok = p.detect(s.osd, full, osdFullSide)
	}
	if ok {
		// Tesseract reports how the input is rotated; undoing it is the
		// opposite turn.
		degrees, conf = (360-seen)%360, raw/(raw+osdConfScale)
	}
	if conf >= osdTrustFrom {
		return degrees, conf, false, nil
	}
	if deferUpright && conf < osdHintFrom {
		// Lines standing on end say the page lies on its side whatever
		// OSD did not find (seed 8111's ТОРГ-12 photos, OSD at 0.0 and
		// 0.09); a table too dense to tell was as often on its side: on
		// seed 31's realistic photos all 7 such pages, on seed 1's photos
		// 2 of 7, turned or unreadable at every turn 3 more. Recognising
		// those upright first cost a whole page's reading, 10-13 s at the
		// ×3 scale the rescale step gives text it measures on its side,
		// before the central crop was read anyway; reading the crop first
		// costs one crop's reading on the 2 in 7 that were upright. OSD's
		// weak turn is no hint there.
		degrees = 0
	}
	if pr.crop == nil {
		pr = newReadProbe(full)
	}
	rdeg, rconf, err := p.readOrientation(ctx, s, pr, degrees, &calls)
	if err != nil {
		return 0, 0, false, err
	}
	p.log.Debug("orientation by reading", "lines", pr.dir, "osd_degrees", degrees, "osd_conf", conf, "read_degrees", rdeg, "read_conf", rconf)
	switch {
	case rdeg == degrees:
		return degrees, max(conf, rconf), false, nil
	case rconf >= readOverrides || rconf > conf:
		return rdeg, rconf, false, nil
	}
	return degrees, conf, false, nil
}

// detect runs OSD on img reduced to longSide px at most.
func (p *Pool) detect(o *osdEngine, img *image.Gray, longSide int) (deg int, raw float64, ok bool) {
	g := shrink(img, longSide)
	w, h := g.Rect.Dx(), g.Rect.Dy()
	dpi := clampDPI(int(math.Round(float64(max(w, h)) / a4LongInch)))
	unlock := singleThreadOpenMP()
	defer unlock()
	return o.detect(g.Pix, w, h, dpi)
}

// osdConfScale maps Tesseract's raw orientation confidence to 0..1: a raw 2
// becomes 0.5.
const osdConfScale = 2

// grayImage returns img as a gray image with origin (0,0) and no padding.
func grayImage(img image.Image) *image.Gray {
	pix, w, h := toGray(img)
	return &image.Gray{Pix: pix, Stride: w, Rect: image.Rect(0, 0, w, h)}
}

// shrink returns g reduced so that its long side is at most longSide.
func shrink(g *image.Gray, longSide int) *image.Gray {
	long := max(g.Rect.Dx(), g.Rect.Dy())
	if long <= longSide {
		return g
	}
	k := float64(longSide) / float64(long)
	dw := max(1, int(math.Round(float64(g.Rect.Dx())*k)))
	dh := max(1, int(math.Round(float64(g.Rect.Dy())*k)))
	return bilinearGray(g, dw, dh)
}

// bilinearGray scales g to w×h exactly as draw.ApproxBiLinear.Scale does
// into a gray destination, pixel for pixel (TestBilinearGrayMatchesDraw),
// with the same float64 steps on the same 16-bit values. x/image/draw has
// no fast path for a gray destination and took its generic one, colour by
// colour through interfaces: 2 % of the whole run's CPU on seed 9801's
// realistic photos, for the probes of every page.
func bilinearGray(g *image.Gray, w, h int) *image.Gray {
	dst := image.NewGray(image.Rect(0, 0, w, h))
	sw, sh := g.Rect.Dx(), g.Rect.Dy()
	yscale := float64(sh) / float64(h)
	xscale := float64(sw) / float64(w)
	x0s, x1s := make([]int, w), make([]int, w)
	xf0s, xf1s := make([]float64, w), make([]float64, w)
	for dx := range w {
		x0s[dx], x1s[dx], xf0s[dx], xf1s[dx] = bilinearTap(dx, xscale, sw)
	}
	at := func(y int) []byte {
		i := g.PixOffset(g.Rect.Min.X, g.Rect.Min.Y+y)
		return g.Pix[i : i+sw]
	}
	for dy := range h {
		y0, y1, yf0, yf1 := bilinearTap(dy, yscale, sh)
		r0, r1 := at(y0), at(y1)
		out := dst.Pix[dy*dst.Stride : dy*dst.Stride+w]
		for dx := range out {
			x0, x1, xf0, xf1 := x0s[dx], x1s[dx], xf0s[dx], xf1s[dx]
			s00, s10 := float64(uint32(r0[x0])*0x101), float64(uint32(r0[x1])*0x101)
			s01, s11 := float64(uint32(r1[x0])*0x101), float64(uint32(r1[x1])*0x101)
			top := float64(xf1*s00) + float64(xf0*s10)
			bottom := float64(xf1*s01) + float64(xf0*s11)
			v := float64(yf1*top) + float64(yf0*bottom)
			// A gray pixel set from a 16-bit grey keeps its high byte.
			out[dx] = uint8(uint16(v) >> 8)
		}
	}
	return dst
}

// bilinearTap is where destination index d samples a source of n pixels
// at scale (source pixels per destination pixel): the two neighbours and
// their weights, clamped at the edges as x/image/draw clamps them.
func bilinearTap(d int, scale float64, n int) (i0, i1 int, f0, f1 float64) {
	s := float64((float64(d)+0.5)*scale) - 0.5
	j0 := int32(s)
	f0 = s - float64(j0)
	f1 = 1 - f0
	j1 := j0 + 1
	if s < 0 {
		j0, j1 = 0, 0
		f0, f1 = 0, 1
	} else if j1 > int32(n)-1 {
		j0, j1 = int32(n)-1, int32(n)-1
		f0, f1 = 1, 0
	}
	return int(j0), int(j1), f0, f1
}

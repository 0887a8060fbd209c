package imageprep

import (
	"context"
	"fmt"
	"image"
	"log/slog"
	"math"
	"runtime/debug"
	"time"

	"github.com/pervichka/pervichka"
)

// Step names, in pipeline order; used by `pervichka eval --ablate STEP`.
const (
	StepSheet    = "sheet"
	StepOrient   = "orient"
	StepDeskew   = "deskew"
	StepFlatten  = "flatten"
	StepDeblock  = "deblock"
	StepRescale  = "rescale"
	StepDewarp   = "dewarp"
	StepBinarize = "binarize"
)

// Steps lists every step in the order Enhance runs them.
var Steps = []string{StepSheet, StepOrient, StepDeskew, StepFlatten, StepDeblock, StepRescale, StepDewarp, StepBinarize}

// Orienter finds the clockwise rotation (0/90/180/270) that makes a page
// upright; implemented by the tesseract package (Tesseract OSD). Declared
// here, where it is used.
type Orienter interface {
	Orientation(ctx context.Context, img image.Image) (degrees int, conf float64, err error)
}

// DeferringOrienter is an Orienter that can leave a weak upright answer to
// the caller (tesseract.Pool): unverified means the page was kept upright
// on no more than OSD's unsure word, and the caller is to verify it by
// the page's own recognition.
type DeferringOrienter interface {
	OrientationDeferred(ctx context.Context, img image.Image) (degrees int, conf float64, unverified bool, err error)
}

// Dewarper straightens the text lines of a curled or folded sheet;
// implemented by the dewarp package (Leptonica's text-line model).
// Declared here, where it is used. Dewarp returns the spread of the
// vertical correction in pixels, and the corrected page only when that
// spread reaches minSpread (nil too when the page gives no valid model).
type Dewarper interface {
	Dewarp(ctx context.Context, g *image.Gray, minSpread float64) (out *image.Gray, spread float64, err error)
}

// Options configure Enhance.
type Options struct {
	Disabled map[string]bool // steps turned off (ablation); nil = all on
	Orienter Orienter        // nil → the orient step is skipped
	Dewarper Dewarper        // nil → the dewarp step is skipped
	// DeferUpright asks an Orienter that is a DeferringOrienter to leave a
	// weak upright answer unverified (Output.Unverified).
	DeferUpright bool
	// Turn, when not 0, turns the page clockwise by this many degrees (a
	// multiple of 90) in the orient step instead of asking the Orienter:
	// the turn the caller found by reading a page left unverified.
	Turn      int
	SourceDPI float64 // known resolution (scanned PDF page), 0 when unknown (photo)
	Logger    *slog.Logger
}

// Output is the enhanced page.
type Output struct {
	Image   *image.Gray // what goes to OCR
	DPI     int         // effective resolution to tell Tesseract (user_defined_dpi) after rescaling
	Applied []string    // steps that actually changed the image, in order
	Rotated int         // degrees applied by orient
	// Unverified is set when the orient step kept the page upright on
	// OSD's unsure answer alone (Options.DeferUpright): the caller checks
	// the page's recognition before trusting it.
	Unverified bool
	// Timings holds the time spent per step name, plus "convert" for the
	// initial conversion to gray (which also gathers the statistics the
	// steps decide by).
	Timings map[string]time.Duration
}

// maxInputPixels bounds what Enhance accepts; callers check
// pervichka.Limits before decoding, this is the last line of defence.
const maxInputPixels = 120_000_000

// maxOutputPixels bounds the enhanced image (rescale never grows past it).
const maxOutputPixels = 40_000_000

// Enhance runs the pipeline on img. It checks ctx between steps and returns
// a *pervichka.Error with CodeCanceled when ctx ends, CodeEmpty for an image
// without pixels, CodeTooManyPixels above 120 MP and CodeInternal should a
// step fail unexpectedly (never a panic).
func Enhance(ctx context.Context, img image.Image, opt Options) (out Output, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = pervichka.Errorf(pervichka.CodeInternal, "imageprep: panic: %v\n%s", r, debug.Stack())
			out = Output{}
		}
	}()
	if img == nil {
		return Output{}, pervichka.Errorf(pervichka.CodeEmpty, "imageprep: nil image")
	}
	b := img.Bounds()
	if b.Dx() <= 0 || b.Dy() <= 0 {
		return Output{}, pervichka.Errorf(pervichka.CodeEmpty, "imageprep: image has no pixels (%dx%d)", b.Dx(), b.Dy())
	}
	if int64(b.Dx())*int64(b.Dy()) > maxInputPixels {
		return Output{}, pervichka.Errorf(pervichka.CodeTooManyPixels, "imageprep: %dx%d image is over %d pixels", b.Dx(), b.Dy(), maxInputPixels)
	}
	log := opt.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if err := ctx.Err(); err != nil {
		return Output{}, canceled(err, "before start")
	}
	p := &enhancer{ctx: ctx, opt: opt, log: log, timings: map[string]time.Duration{}}
	t0 := time.Now()
	p.convert(img, !opt.Disabled[StepFlatten])
	p.timings["convert"] = time.Since(t0)

	run := map[string]func() (bool, error){
		StepSheet:    p.sheet,
		StepOrient:   p.orient,
		StepDeskew:   p.deskew,
		StepFlatten:  p.flatten,
		StepDeblock:  p.deblock,
		StepRescale:  p.rescale,
		StepDewarp:   p.dewarp,
		StepBinarize: p.binarize,
	}
	for _, name := range Steps {
		if err := ctx.Err(); err != nil {
			return Output{}, canceled(err, "before step "+name)
		}
		if opt.Disabled[name] {
			continue
		}
		t := time.Now()
		changed, err := run[name]()
		p.timings[name] = time.Since(t)
		if err != nil {
			return Output{}, fmt.Errorf("imageprep step %s: %w", name, err)
		}
		if changed {
			p.applied = append(p.applied, name)
		}
	}
	if err := ctx.Err(); err != nil {
		return Output{}, canceled(err, "after last step")
	}
	return Output{
		Image:      p.gray,
		DPI:        p.outputDPI(),
		Applied:    p.applied,
		Rotated:    p.rotated,
		Unverified: p.unverified,
		Timings:    p.timings,
	}, nil
}

func canceled(err error, where string) error {
	return pervichka.WrapError(pervichka.CodeCanceled, err, "imageprep: canceled "+where)
}

// enhancer is the state one Enhance call threads through its steps (its
// methods sheet, orient, deskew, …). Not called a pipeline: that is the
// top-level package that moves documents through River jobs.
type enhancer struct {
	ctx     context.Context
	opt     Options
	log     *slog.Logger
	timings map[string]time.Duration
	applied []string
	rotated int
	// unverified: orient kept the page upright on OSD's unsure answer
	// (Output.Unverified).
	unverified bool

	gray  *image.Gray // the current image
	stats inputStats  // measured on the input during convert

	sheetFound bool    // the sheet step cut the page out of a background
	levelled   bool    // flatten made (or found) the paper evenly white
	capHeight  float64 // capital height in px of the current image, 0 if unknown
	scale      float64 // current px per input px (rescale only; warps keep scale)
}

// outputDPI is the resolution to tell Tesseract. In order of trust: the
// known source resolution times our rescaling; the page width when the
// sheet step cut out a whole page (A4 is 8.27 in wide); the text size
// (10-pt body text has capitals ≈ 0.1 in); the page width of the frame.
func (p *enhancer) outputDPI() int {
	g := p.gray
	short := float64(min(g.Rect.Dx(), g.Rect.Dy()))
	var dpi float64
	switch {
	case p.opt.SourceDPI > 0:
		dpi = p.opt.SourceDPI * p.scale
	case p.sheetFound:
		dpi = short / a4ShortInches
	case p.capHeight > 0:
		dpi = p.capHeight / bodyCapInches
	default:
		dpi = short / a4ShortInches
	}
	if math.IsNaN(dpi) || dpi < 70 {
		dpi = 70
	}
	return int(math.Round(min(dpi, 2400)))
}

const (
	a4ShortInches = 8.27
	// bodyCapInches is the capital height of 10-pt body text: 10/72 in
	// times a cap-height ratio of ~0.7.
	bodyCapInches = 10.0 / 72 * 0.7
)

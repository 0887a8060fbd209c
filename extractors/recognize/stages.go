package recognize

import (
	"context"
	"fmt"
	"image"
	"runtime/debug"
	"sync"
	"time"

	pervichka "github.com/pervichka/pervichka"
	"github.com/pervichka/pervichka/extractors/fields"
	"github.com/pervichka/pervichka/extractors/imagefile"
	"github.com/pervichka/pervichka/extractors/imageprep"
	"github.com/pervichka/pervichka/extractors/pdf"
)

// The stages below are what Bytes runs in one call; the pipeline runs them
// as separate jobs (Split at ingest, ReadPage per page, Extract at the end),
// keeping what passes between them in object storage. Running them apart
// gives the same result as Bytes provided a page's image survives the trip
// unchanged (store it losslessly: PNG).

// RawPage is one page of a file before enhancement: exactly one of Text (a
// PDF text layer) and Image is set.
type RawPage struct {
	Index     int // 0-based
	Text      *pervichka.Page
	Image     image.Image
	SourceDPI float64 // resolution the PDF states for a scanned page; 0 when unknown
	// JPEG is the scanned page's JPEG stream as embedded in the PDF, when
	// Image is exactly that stream decoded (see pdf.Page.JPEG); nil
	// otherwise. The pipeline stores it between stages instead of a PNG.
	JPEG []byte
	// Upright says a person has turned the page the right way up: the
	// enhancement does not turn it again by its own orientation guess.
	Upright bool
}

// Split checks the limits, detects the file type and decodes the file into
// its pages. Content problems are *pervichka.Error (unsupported type,
// corrupt, encrypted, limits); a file with no pages is CodeEmpty. It holds
// every page at once: SplitEach hands them over one by one.
func (r *Recognizer) Split(ctx context.Context, name string, b []byte) ([]RawPage, error) {
	var raws []RawPage
	err := r.SplitEach(ctx, name, b, func(raw RawPage) error {
		raws = append(raws, raw)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return raws, nil
}

// SplitEach is Split handing each page to fn as soon as it is read, in page
// order, so that a long PDF costs one page's pixels at a time. A page's
// pixels are acquired from Options.Budget before they are decoded or read
// and released when fn returns: fn must not acquire from the same budget.
// An error from fn stops the split and is returned as is.
func (r *Recognizer) SplitEach(ctx context.Context, name string, b []byte, fn func(RawPage) error) error {
	kind, err := imagefile.Sniff(b)
	if err != nil {
		return err
	}
	n := 0
	if kind == imagefile.KindPDF {
		err = pdf.Each(ctx, b, r.opt.Limits, r.opt.Budget, func(p pdf.Page) error {
			i := p.Index
			raw := RawPage{Index: i, Image: p.Image, SourceDPI: p.DPI, JPEG: p.JPEG}
			if p.Text != nil {
				t := *p.Text
				t.Index = i
				t.Source = pervichka.SourcePDFText
				raw = RawPage{Index: i, Text: &t}
			} else if p.Image == nil {
				return pervichka.Errorf(pervichka.CodeCorrupt, "page %d has neither text nor image", i+1)
			}
			n++
			return fn(raw)
		})
	} else {
		var cost imagefile.Cost
		cost, err = imagefile.Measure(b, r.opt.Limits)
		if err != nil {
			return err
		}
		// One page at a time: the largest page's decoding and what it
		// is reduced to.
		release, aerr := r.opt.Budget.Acquire(ctx, cost.DecodedBytes+4*cost.Pixels)
		if aerr != nil {
			return aerr
		}
		defer release()
		err = imagefile.DecodeEach(ctx, b, r.opt.Limits, func(i int, img image.Image) error {
			n++
			return fn(RawPage{Index: i, Image: img})
		})
	}
	if err != nil {
		return err
	}
	if n == 0 {
		return pervichka.Errorf(pervichka.CodeEmpty, "%s has no pages", name)
	}
	return nil
}

// Page is one page as read: its words, and for an OCR'd page the enhanced
// image the word boxes refer to and its resolution.
type Page struct {
	Text pervichka.Page
	// Image is the enhanced image; nil for a PDF text layer. A page loaded
	// back from storage may leave it nil and set LoadImage instead: the
	// extractor re-reads a box now and then, and only then needs pixels.
	Image     image.Image
	LoadImage func(ctx context.Context) (image.Image, error)
	DPI       int
	EnhanceMS int64
	OCRMS     int64
}

// ReadPage enhances and OCRs an image page; a text-layer page passes through.
// name is used only in logs and debug file names. It is Enhance then OCR.
func (r *Recognizer) ReadPage(ctx context.Context, name string, raw RawPage) (Page, error) {
	if raw.Text != nil {
		t := *raw.Text
		t.Index = raw.Index
		return Page{Text: t}, nil
	}
	e, err := r.Enhance(ctx, raw)
	if err != nil {
		return Page{}, err
	}
	if err := ctx.Err(); err != nil {
		return Page{}, err
	}
	return r.OCR(ctx, name, raw.Index, e)
}

// Enhanced is an image page prepared for OCR.
type Enhanced struct {
	Image   image.Image
	DPI     int
	Rotated int   // quarter turn applied by orient, degrees clockwise
	MS      int64 // time taken
	// Unverified: the page was kept upright on OSD's unsure answer alone,
	// and OCR checks its recognition before trusting it (verifyUpright);
	// raw is then the page it came from, to enhance again if it must be
	// turned.
	Unverified bool
	raw        RawPage
}

// uprightVerifier is an engine that lets a page whose orientation OSD is
// unsure of be kept upright until its own recognition says otherwise
// (tesseract.Pool): most photos are upright, and the page is recognised
// upright anyway, so reading a crop of it first at the quarter turns is
// wasted there.
type uprightVerifier interface {
	imageprep.DeferringOrienter
	// UprightScore scores a page's words for being read the right way up.
	UprightScore(words []pervichka.Word) float64
	// OrientationByReading finds the turn of a page by reading it.
	OrientationByReading(ctx context.Context, img image.Image) (degrees int, conf float64, err error)
}

// uprightPageScore is the UprightScore from which a page recognised
// upright is taken to be upright. On 51 corpus photos (seed 1's messenger
// photos, seeds 8101–8104's photos and hard photos; docs/benchmarks.md)
// recognised at their right turn, 47 scored 141–1374 and four bad ones
// 42–101; the same pages turned over or on their side scored at most 64.
// A page under this is read at the quarter turns (OrientationByReading),
// as every unsure page was before.
const uprightPageScore = 120

// minTurnConf is the confidence of OrientationByReading from which a page
// recognised upright is turned and recognised again: imageprep's
// minOrientConf, the lowest it acts on.
const minTurnConf = 0.5

// Enhance prepares an image page for OCR (Options.Mode and Disabled apply).
// The pipeline stores the result while OCR runs on it.
func (r *Recognizer) Enhance(ctx context.Context, raw RawPage) (Enhanced, error) {
	if raw.Image == nil {
		return Enhanced{}, pervichka.Errorf(pervichka.CodeCorrupt, "page %d has neither text nor image", raw.Index+1)
	}
	start := time.Now()
	if r.opt.Mode == ModeRaw {
		return Enhanced{Image: raw.Image, DPI: guessDPI(raw.Image, raw.SourceDPI), MS: time.Since(start).Milliseconds()}, nil
	}
	return r.enhance(ctx, raw, 0, start)
}

// enhance runs imageprep on raw; turn, when not 0, is the page's known
// turn (verifyUpright) and no orientation is asked for.
func (r *Recognizer) enhance(ctx context.Context, raw RawPage, turn int, start time.Time) (Enhanced, error) {
	var orienter imageprep.Orienter = r.ocr
	if raw.Upright {
		orienter = nil
	}
	_, deferring := r.ocr.(uprightVerifier)
	out, err := imageprep.Enhance(ctx, raw.Image, imageprep.Options{
		Disabled:     r.opt.Disabled,
		Orienter:     orienter,
		Dewarper:     r.opt.Dewarper,
		DeferUpright: deferring,
		Turn:         turn,
		SourceDPI:    raw.SourceDPI,
		Logger:       r.log,
	})
	if err != nil {
		return Enhanced{}, err
	}
	e := Enhanced{Image: out.Image, DPI: out.DPI, Rotated: out.Rotated, Unverified: out.Unverified, MS: time.Since(start).Milliseconds()}
	if e.Unverified {
		e.raw = raw
	}
	return e, nil
}

// verifyUpright checks a page kept upright on OSD's unsure answer by its
// recognition: words that read well upright settle it; otherwise the page
// is read at the quarter turns, and when a turn reads surely the raw page
// is enhanced again at that turn and recognised anew. It returns the page
// and words to use.
func (r *Recognizer) verifyUpright(ctx context.Context, e Enhanced, words []pervichka.Word) (Enhanced, []pervichka.Word, error) {
	v, ok := r.ocr.(uprightVerifier)
	if !ok || !e.Unverified || e.raw.Image == nil {
		return e, words, nil
	}
	score := v.UprightScore(words)
	if score >= uprightPageScore {
		return e, words, nil
	}
	start := time.Now()
	deg, conf, err := v.OrientationByReading(ctx, e.Image)
	if err != nil {
		if ctx.Err() != nil {
			return e, nil, err
		}
		r.log.WarnContext(ctx, "orientation by reading failed; page kept upright", "page", e.raw.Index+1, "err", err)
		return e, words, nil
	}
	r.log.DebugContext(ctx, "upright unverified", "page", e.raw.Index+1, "score", score, "read_degrees", deg, "read_conf", conf)
	if deg == 0 || conf < minTurnConf {
		return e, words, nil
	}
	if err := ctx.Err(); err != nil {
		return e, nil, err
	}
	turned, err := r.enhance(ctx, e.raw, deg, start)
	if err != nil {
		return e, nil, err
	}
	turned.MS += e.MS
	more, err := r.ocr.Words(ctx, turned.Image, turned.DPI)
	if err != nil {
		return e, nil, err
	}
	return turned, more, nil
}

// OCR reads the words of an enhanced page.
func (r *Recognizer) OCR(ctx context.Context, name string, index int, e Enhanced) (Page, error) {
	start := time.Now()
	words, err := r.ocr.Words(ctx, e.Image, e.DPI)
	if err != nil {
		return Page{}, err
	}
	if e, words, err = r.verifyUpright(ctx, e, words); err != nil {
		return Page{}, err
	}
	if r.opt.Mode == ModeEnhance && !r.opt.Disabled[StepRecover] {
		if words, err = r.recoverLines(ctx, e.Image, e.DPI, words); err != nil {
			return Page{}, err
		}
	}
	b := e.Image.Bounds()
	p := Page{
		Text:      pervichka.Page{Index: index, Width: b.Dx(), Height: b.Dy(), Turned: e.Rotated, Source: pervichka.SourceOCR, Words: words},
		Image:     e.Image,
		DPI:       e.DPI,
		EnhanceMS: e.MS,
		OCRMS:     time.Since(start).Milliseconds(),
	}
	if r.opt.DebugDir != "" {
		if err := writeDebug(r.opt.DebugDir, name, p); err != nil {
			r.log.WarnContext(ctx, "write debug page", "file", name, "page", index+1, "err", err)
		}
	}
	return p, nil
}

// Extract classifies the document and extracts, validates and routes its
// fields. TimingsMS holds "extract" only, the caller adds the rest. What it
// cannot read goes to review with reasons; only a bug (a panic in the
// extractor) sets Error, to CodeRecognitionFault, after logging the panic
// with its stack: a crash is a fault to fix, not a verdict on the document.
func (r *Recognizer) Extract(ctx context.Context, name string, pages []Page) (res pervichka.Result) {
	start := time.Now()
	defer func() {
		if p := recover(); p != nil {
			r.log.ErrorContext(ctx, "field extraction panicked", "file", name, "panic", p, "stack", string(debug.Stack()))
			res = pervichka.Result{File: name, Pages: len(pages), TextSource: textSource(pages),
				TimingsMS: map[string]int64{"decode": 0, "enhance": 0, "ocr": 0, "extract": time.Since(start).Milliseconds()},
				Error:     pervichka.Errorf(pervichka.CodeRecognitionFault, "panic: %v", p).Info()}
		}
	}()
	text := make([]pervichka.Page, len(pages))
	for i, p := range pages {
		text[i] = p.Text
	}
	res = fields.Extract(ctx, text, r.opt.Fields, r.rereader(pages))
	res.File = name
	res.Pages = len(pages)
	res.PageTurns = pageTurns(text)
	res.TextSource = textSource(pages)
	res.TimingsMS = map[string]int64{"decode": 0, "enhance": 0, "ocr": 0, "extract": time.Since(start).Milliseconds()}
	return res
}

// pageTurns lists how far each page was turned to be read, or nil when
// none was: Result.PageTurns is left out of the JSON then, as for every
// document read upright.
func pageTurns(pages []pervichka.Page) []int {
	var out []int
	for i, p := range pages {
		if p.Turned == 0 {
			continue
		}
		if out == nil {
			out = make([]int, len(pages))
		}
		out[i] = p.Turned
	}
	return out
}

func textSource(pages []Page) pervichka.TextSource {
	var pdfText, ocr bool
	for _, p := range pages {
		if p.Text.Source == pervichka.SourcePDFText {
			pdfText = true
		} else {
			ocr = true
		}
	}
	switch {
	case pdfText && ocr:
		return pervichka.SourceMixed
	case pdfText:
		return pervichka.SourcePDFText
	}
	return pervichka.SourceOCR
}

// rereader lets the field extractor re-read a box of an OCR'd page, loading
// a stored page's image on first use.
type rereader struct {
	ocr   OCR
	pages []Page
	mu    sync.Mutex
}

func (r *Recognizer) rereader(pages []Page) fields.Rereader {
	for _, p := range pages {
		if p.Image != nil || p.LoadImage != nil {
			return &rereader{ocr: r.ocr, pages: pages}
		}
	}
	return nil
}

func (rr *rereader) ReadLine(ctx context.Context, index int, box pervichka.Rect, whitelist string) (string, float64, error) {
	img, dpi, err := rr.image(ctx, index)
	if err != nil {
		return "", 0, err
	}
	return rr.ocr.ReadLine(ctx, img, box, whitelist, dpi)
}

func (rr *rereader) image(ctx context.Context, index int) (image.Image, int, error) {
	rr.mu.Lock()
	defer rr.mu.Unlock()
	if index < 0 || index >= len(rr.pages) {
		return nil, 0, fmt.Errorf("no page %d to re-read", index+1)
	}
	p := &rr.pages[index]
	if p.Image == nil && p.LoadImage != nil {
		img, err := p.LoadImage(ctx)
		if err != nil {
			return nil, 0, fmt.Errorf("load page %d to re-read: %w", index+1, err)
		}
		p.Image, p.LoadImage = img, nil
	}
	if p.Image == nil {
		return nil, 0, fmt.Errorf("page %d has no image to re-read", index+1)
	}
	return p.Image, p.DPI, nil
}

// guessDPI assumes an A4 sheet filling the image when the source gives no
// resolution: the long side spans 297 mm.
func guessDPI(img image.Image, src float64) int {
	if src > 0 {
		return int(src + 0.5)
	}
	b := img.Bounds()
	long := max(b.Dx(), b.Dy())
	return max(70, int(float64(long)/(297/25.4)+0.5))
}

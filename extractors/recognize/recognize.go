// Package recognize is the one call from a file's bytes to a validated
// extraction: detect the type, read PDF text layers or decode page images,
// enhance and OCR the images, then extract, validate and route the fields.
// The `extract` and `eval` commands and the pipeline workers all use it, so
// that what is measured is exactly what runs.
//
// The OCR engine comes in through the small OCR interface, so this package
// (and everything above it) builds without cgo; the tesseract package
// implements it.
package recognize

import (
	"context"
	"fmt"
	"image"
	"io"
	"log/slog"
	"os"
	"time"

	pervichka "github.com/pervichka/pervichka"
	"github.com/pervichka/pervichka/extractors/fields"
	"github.com/pervichka/pervichka/extractors/imagefile"
	"github.com/pervichka/pervichka/extractors/imageprep"
	"github.com/pervichka/pervichka/extractors/pdf"
)

// OCR reads page images. *tesseract.Pool implements it.
type OCR interface {
	// Words recognises an enhanced page whose real resolution is dpi.
	Words(ctx context.Context, img image.Image, dpi int) ([]pervichka.Word, error)
	// Orientation finds the clockwise rotation that makes a page upright.
	Orientation(ctx context.Context, img image.Image) (degrees int, conf float64, err error)
	// ReadLine re-reads one box as a single line with a whitelist.
	ReadLine(ctx context.Context, img image.Image, box pervichka.Rect, whitelist string, dpi int) (string, float64, error)
}

// Mode selects how page images are prepared for OCR.
type Mode int

const (
	// ModeEnhance runs the full enhancement (minus Options.Disabled steps).
	ModeEnhance Mode = iota
	// ModeRaw sends the decoded page to Tesseract as it is, with a DPI
	// guessed from its size: the baseline `eval --baseline` compares with.
	ModeRaw
)

// Options configure a Recognizer.
type Options struct {
	Limits   pervichka.Limits
	Fields   fields.Config
	Mode     Mode
	Disabled map[string]bool // enhancement steps turned off (ablation)
	// DebugDir, when set, receives each enhanced page image and its OCR
	// words, so a person can see what the engine saw.
	DebugDir string
	Logger   *slog.Logger
}

// Recognizer turns files into extraction results. It is safe for concurrent
// use; concurrency of OCR is bounded by the OCR engine (one client per call).
type Recognizer struct {
	ocr OCR
	opt Options
	log *slog.Logger
}

// New returns a Recognizer using ocr for page images.
func New(ocr OCR, opt Options) *Recognizer {
	if opt.Limits == (pervichka.Limits{}) {
		opt.Limits = pervichka.DefaultLimits()
	}
	if opt.Logger == nil {
		opt.Logger = slog.New(slog.DiscardHandler)
	}
	if opt.Fields.Now.IsZero() {
		opt.Fields.Now = time.Now()
	}
	return &Recognizer{ocr: ocr, opt: opt, log: opt.Logger}
}

// File reads and recognises one file. It never fails: a file that cannot be
// read yields a Result with Error set, so a batch goes on.
func (r *Recognizer) File(ctx context.Context, path string) pervichka.Result {
	b, err := readLimited(path, r.opt.Limits.MaxBytes)
	if err != nil {
		return errorResult(path, err)
	}
	return r.Bytes(ctx, path, b)
}

// Bytes recognises one file's contents; name is reported as Result.File.
func (r *Recognizer) Bytes(ctx context.Context, name string, b []byte) (res pervichka.Result) {
	defer func() {
		// No panic reaches a user: a bug in a stage becomes an internal
		// error for this one file.
		if p := recover(); p != nil {
			r.log.ErrorContext(ctx, "recognize panicked", "file", name, "panic", p)
			res = errorResult(name, pervichka.Errorf(pervichka.CodeInternal, "panic: %v", p))
		}
	}()
	pages, timings, err := r.read(ctx, name, b)
	if err != nil {
		return errorResult(name, err)
	}
	if err := ctx.Err(); err != nil {
		return errorResult(name, err)
	}
	start := time.Now()
	res = fields.Extract(ctx, textPages(pages), r.opt.Fields, r.rereader(pages))
	timings["extract"] += time.Since(start).Milliseconds()
	res.File = name
	res.Pages = len(pages)
	res.TextSource = textSource(pages)
	res.TimingsMS = timings
	return res
}

// page is one page as recognised, with the image its word boxes refer to
// (nil for a PDF text layer).
type page struct {
	text  pervichka.Page
	image image.Image
	dpi   int
}

func textPages(pages []page) []pervichka.Page {
	out := make([]pervichka.Page, len(pages))
	for i, p := range pages {
		out[i] = p.text
	}
	return out
}

func textSource(pages []page) pervichka.TextSource {
	var pdfText, ocr bool
	for _, p := range pages {
		if p.text.Source == pervichka.SourcePDFText {
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

// read turns the bytes into pages of words, timing each stage.
func (r *Recognizer) read(ctx context.Context, name string, b []byte) ([]page, map[string]int64, error) {
	timings := map[string]int64{"decode": 0, "enhance": 0, "ocr": 0, "extract": 0}
	kind, err := imagefile.Sniff(b)
	if err != nil {
		return nil, nil, err
	}
	start := time.Now()
	type rawPage struct {
		text *pervichka.Page
		img  image.Image
		dpi  float64
	}
	var raws []rawPage
	if kind == imagefile.KindPDF {
		pp, err := pdf.Pages(ctx, b, r.opt.Limits)
		if err != nil {
			return nil, nil, err
		}
		for _, p := range pp {
			raws = append(raws, rawPage{text: p.Text, img: p.Image, dpi: p.DPI})
		}
	} else {
		imgs, err := imagefile.Decode(ctx, b, r.opt.Limits)
		if err != nil {
			return nil, nil, err
		}
		for _, img := range imgs {
			raws = append(raws, rawPage{img: img})
		}
	}
	timings["decode"] = time.Since(start).Milliseconds()
	if len(raws) == 0 {
		return nil, nil, pervichka.Errorf(pervichka.CodeEmpty, "%s has no pages", name)
	}
	pages := make([]page, 0, len(raws))
	for i, rp := range raws {
		// cgo calls cannot be interrupted, so the context is checked
		// between pages and between stages.
		if err := ctx.Err(); err != nil {
			return nil, nil, err
		}
		if rp.text != nil {
			t := *rp.text
			t.Index = i
			t.Source = pervichka.SourcePDFText
			pages = append(pages, page{text: t})
			continue
		}
		if rp.img == nil {
			return nil, nil, pervichka.Errorf(pervichka.CodeCorrupt, "page %d has neither text nor image", i+1)
		}
		p, err := r.ocrPage(ctx, name, i, rp.img, rp.dpi, timings)
		if err != nil {
			return nil, nil, fmt.Errorf("page %d: %w", i+1, err)
		}
		pages = append(pages, p)
	}
	return pages, timings, nil
}

func (r *Recognizer) ocrPage(ctx context.Context, name string, index int, img image.Image, srcDPI float64, timings map[string]int64) (page, error) {
	start := time.Now()
	var (
		prepared image.Image
		dpi      int
	)
	switch r.opt.Mode {
	case ModeRaw:
		prepared, dpi = img, guessDPI(img, srcDPI)
	default:
		out, err := imageprep.Enhance(ctx, img, imageprep.Options{
			Disabled:  r.opt.Disabled,
			Orienter:  r.ocr,
			SourceDPI: srcDPI,
			Logger:    r.log,
		})
		if err != nil {
			return page{}, err
		}
		prepared, dpi = out.Image, out.DPI
	}
	timings["enhance"] += time.Since(start).Milliseconds()
	if err := ctx.Err(); err != nil {
		return page{}, err
	}
	start = time.Now()
	words, err := r.ocr.Words(ctx, prepared, dpi)
	timings["ocr"] += time.Since(start).Milliseconds()
	if err != nil {
		return page{}, err
	}
	b := prepared.Bounds()
	p := page{
		text:  pervichka.Page{Index: index, Width: b.Dx(), Height: b.Dy(), Source: pervichka.SourceOCR, Words: words},
		image: prepared,
		dpi:   dpi,
	}
	if r.opt.DebugDir != "" {
		if err := writeDebug(r.opt.DebugDir, name, p); err != nil {
			r.log.WarnContext(ctx, "write debug page", "file", name, "page", index+1, "err", err)
		}
	}
	return p, nil
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

// rereader lets the field extractor re-read a box of an OCR'd page.
type rereader struct {
	ocr   OCR
	pages []page
}

func (r *Recognizer) rereader(pages []page) fields.Rereader {
	for _, p := range pages {
		if p.image != nil {
			return rereader{ocr: r.ocr, pages: pages}
		}
	}
	return nil
}

func (rr rereader) ReadLine(ctx context.Context, index int, box pervichka.Rect, whitelist string) (string, float64, error) {
	if index < 0 || index >= len(rr.pages) || rr.pages[index].image == nil {
		return "", 0, fmt.Errorf("page %d has no image to re-read", index+1)
	}
	p := rr.pages[index]
	return rr.ocr.ReadLine(ctx, p.image, box, whitelist, p.dpi)
}

func errorResult(name string, err error) pervichka.Result {
	return pervichka.Result{File: name, Error: pervichka.AsError(err).Info()}
}

// readLimited reads a file, refusing one over max bytes before reading it.
func readLimited(path string, maxBytes int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, pervichka.WrapError(pervichka.CodeIO, err, "open")
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, pervichka.WrapError(pervichka.CodeIO, err, "stat")
	}
	if st.IsDir() {
		return nil, pervichka.Errorf(pervichka.CodeUnsupported, "%s is a directory", path)
	}
	if maxBytes > 0 && st.Size() > maxBytes {
		return nil, pervichka.Errorf(pervichka.CodeTooLarge, "%d bytes, limit %d", st.Size(), maxBytes)
	}
	b := make([]byte, st.Size())
	if _, err := io.ReadFull(f, b); err != nil {
		return nil, pervichka.WrapError(pervichka.CodeIO, err, "read")
	}
	return b, nil
}

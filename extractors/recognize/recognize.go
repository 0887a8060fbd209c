// Package recognize is the one call from a file's bytes to a validated
// extraction: detect the type, read PDF text layers or decode page images,
// enhance and OCR the images, then extract, validate and route the fields.
// The `extract` and `eval` commands and the pipeline workers all use it, so
// that what is measured is exactly what runs.
//
// Start here to follow how a photo becomes fields: Recognizer.Bytes runs
// the stages in order, each a method in stages.go that names the package
// doing the work —
//
//	Split     imagefile.Sniff, then pdf.Each (a text layer or a page image) or imagefile.DecodeEach
//	ReadPage  a text layer as it is; an image through Enhance (imageprep.Enhance)
//	          and OCR (the OCR interface: tesseract.Pool)
//	Extract   fields.Extract with a Rereader over the enhanced images:
//	          fields, confidences, evidence and the verdict
//
// docs/architecture.md ("Data flow of one file") draws the same path.
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
	"github.com/pervichka/pervichka/extractors/imageprep"
	"github.com/pervichka/pervichka/extractors/pixelbudget"
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
	// Dewarper straightens bent sheets' text lines (dewarp.Dewarper, cgo
	// like the OCR engine, so it is handed in too); nil skips the step.
	Dewarper imageprep.Dewarper
	// DebugDir, when set, receives each enhanced page image and its OCR
	// words, so a person can see what the engine saw.
	DebugDir string
	// Budget, when set, bounds the bytes of decoded page pixels that Split
	// and SplitEach hold at once, with whatever else shares it (the
	// pipeline's page jobs).
	Budget *pixelbudget.Budget
	Logger *slog.Logger
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

// Budget is the pixel budget of Options (nil: none), for callers that
// decode pages themselves and must share it. A nil Recognizer (a pipeline
// that only stores and serves pages, as in tests of page keys) has none.
func (r *Recognizer) Budget() *pixelbudget.Budget {
	if r == nil {
		return nil
	}
	return r.opt.Budget
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
// It is Split, ReadPage for every page and Extract in one call.
func (r *Recognizer) Bytes(ctx context.Context, name string, b []byte) (res pervichka.Result) {
	defer func() {
		// No panic reaches a user: a bug in a stage becomes an internal
		// error for this one file.
		if p := recover(); p != nil {
			r.log.ErrorContext(ctx, "recognize panicked", "file", name, "panic", p)
			res = errorResult(name, pervichka.Errorf(pervichka.CodeInternal, "panic: %v", p))
		}
	}()
	timings := map[string]int64{"decode": 0, "enhance": 0, "ocr": 0, "extract": 0}
	start := time.Now()
	raws, err := r.Split(ctx, name, b)
	timings["decode"] = time.Since(start).Milliseconds()
	if err != nil {
		return errorResult(name, err)
	}
	pages := make([]Page, 0, len(raws))
	for _, raw := range raws {
		// cgo calls cannot be interrupted, so the context is checked
		// between pages and between stages.
		if err := ctx.Err(); err != nil {
			return errorResult(name, err)
		}
		p, err := r.ReadPage(ctx, name, raw)
		if err != nil {
			return errorResult(name, fmt.Errorf("page %d: %w", raw.Index+1, err))
		}
		timings["enhance"] += p.EnhanceMS
		timings["ocr"] += p.OCRMS
		pages = append(pages, p)
	}
	if err := ctx.Err(); err != nil {
		return errorResult(name, err)
	}
	res = r.Extract(ctx, name, pages)
	for k, v := range timings {
		res.TimingsMS[k] += v
	}
	return res
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

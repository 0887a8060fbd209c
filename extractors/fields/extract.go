// Package fields reads a primary document from the words of its pages: it
// rebuilds lines from word boxes, classifies the document, finds the number
// and date in the title, the parties by their role labels, the bank block,
// the items table and the totals, validates everything it can (check digits,
// account keys, Σ items, VAT arithmetic, the amount in words, dates, legal
// VAT rates) and gives every field a confidence and the document a routing
// verdict. It never posts a doubtful key field: anything missing, invalid,
// inconsistent or unsure sends the document to a clerk with reasons.
//
// Start here: the path from a file to the words this package reads is
// extractors/recognize (Recognizer.Bytes: split, enhance, OCR, then
// Extract here). In this package, Extract runs one extraction; run in
// extraction.go calls the stages in order and lists the file that holds
// each, and thresholds.go holds the confidences that decide the verdict.
//
// Distances are measured in the page's median word height, since OCR boxes
// come from images of unknown scale; Tesseract's block and line numbers are
// ignored because it splits table rows and columns unpredictably.
package fields

import (
	"context"
	"time"

	pervichka "github.com/pervichka/pervichka"
)

// Config tunes extraction and routing.
type Config struct {
	// Own are the organisations our back office serves. A document none of
	// them is party to goes to review; an own ИНН tells which side is ours
	// when labels do not. Empty Own disables both.
	Own []pervichka.Party
	// Now is the reference for date plausibility (zero: time.Now()).
	Now time.Time
	// MinConfidence is the lowest confidence a key field may have to be
	// posted without review (zero: DefaultMinConfidence).
	MinConfidence float64
}

// Rereader re-OCRs one box of a page as a single line with a whitelist
// (implemented by the tesseract package around the page image); nil for PDF
// text layers.
type Rereader interface {
	ReadLine(ctx context.Context, page int, box pervichka.Rect, whitelist string) (text string, conf float64, err error)
}

// Extract reads the fields of a document from its pages. It leaves File,
// Pages, TextSource and TimingsMS to the caller. It does not fail: what it
// cannot find is empty and named in the review reasons. A panic (a bug) is
// not turned into a verdict here: it reaches the caller, which logs it and
// fails the document (recognize.Recognizer.Extract).
func Extract(ctx context.Context, pages []pervichka.Page, cfg Config, rr Rereader) pervichka.Result {
	if cfg.MinConfidence <= 0 {
		cfg.MinConfidence = DefaultMinConfidence
	}
	if cfg.Now.IsZero() {
		cfg.Now = time.Now()
	}
	x := newExtraction(ctx, pages, cfg, rr)
	x.run()
	return x.result()
}

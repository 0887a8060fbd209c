package recognize

import (
	"context"
	"fmt"
	"image"
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
}

// Split checks the limits, detects the file type and decodes the file into
// its pages. Content problems are *pervichka.Error (unsupported type,
// corrupt, encrypted, limits); a file with no pages is CodeEmpty.
func (r *Recognizer) Split(ctx context.Context, name string, b []byte) ([]RawPage, error) {
	kind, err := imagefile.Sniff(b)
	if err != nil {
		return nil, err
	}
	var raws []RawPage
	if kind == imagefile.KindPDF {
		pp, err := pdf.Pages(ctx, b, r.opt.Limits)
		if err != nil {
			return nil, err
		}
		for i, p := range pp {
			raw := RawPage{Index: i, Image: p.Image, SourceDPI: p.DPI}
			if p.Text != nil {
				t := *p.Text
				t.Index = i
				t.Source = pervichka.SourcePDFText
				raw = RawPage{Index: i, Text: &t}
			} else if p.Image == nil {
				return nil, pervichka.Errorf(pervichka.CodeCorrupt, "page %d has neither text nor image", i+1)
			}
			raws = append(raws, raw)
		}
	} else {
		imgs, err := imagefile.Decode(ctx, b, r.opt.Limits)
		if err != nil {
			return nil, err
		}
		for i, img := range imgs {
			raws = append(raws, RawPage{Index: i, Image: img})
		}
	}
	if len(raws) == 0 {
		return nil, pervichka.Errorf(pervichka.CodeEmpty, "%s has no pages", name)
	}
	return raws, nil
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
// name is used only in logs and debug file names.
func (r *Recognizer) ReadPage(ctx context.Context, name string, raw RawPage) (Page, error) {
	if raw.Text != nil {
		t := *raw.Text
		t.Index = raw.Index
		return Page{Text: t}, nil
	}
	if raw.Image == nil {
		return Page{}, pervichka.Errorf(pervichka.CodeCorrupt, "page %d has neither text nor image", raw.Index+1)
	}
	start := time.Now()
	var (
		prepared image.Image
		dpi      int
	)
	switch r.opt.Mode {
	case ModeRaw:
		prepared, dpi = raw.Image, guessDPI(raw.Image, raw.SourceDPI)
	default:
		out, err := imageprep.Enhance(ctx, raw.Image, imageprep.Options{
			Disabled:  r.opt.Disabled,
			Orienter:  r.ocr,
			SourceDPI: raw.SourceDPI,
			Logger:    r.log,
		})
		if err != nil {
			return Page{}, err
		}
		prepared, dpi = out.Image, out.DPI
	}
	enhanceMS := time.Since(start).Milliseconds()
	if err := ctx.Err(); err != nil {
		return Page{}, err
	}
	start = time.Now()
	words, err := r.ocr.Words(ctx, prepared, dpi)
	ocrMS := time.Since(start).Milliseconds()
	if err != nil {
		return Page{}, err
	}
	b := prepared.Bounds()
	p := Page{
		Text:      pervichka.Page{Index: raw.Index, Width: b.Dx(), Height: b.Dy(), Source: pervichka.SourceOCR, Words: words},
		Image:     prepared,
		DPI:       dpi,
		EnhanceMS: enhanceMS,
		OCRMS:     ocrMS,
	}
	if r.opt.DebugDir != "" {
		if err := writeDebug(r.opt.DebugDir, name, p); err != nil {
			r.log.WarnContext(ctx, "write debug page", "file", name, "page", raw.Index+1, "err", err)
		}
	}
	return p, nil
}

// Extract classifies the document and extracts, validates and routes its
// fields. It never fails; TimingsMS holds "extract" only, the caller adds
// the rest.
func (r *Recognizer) Extract(ctx context.Context, name string, pages []Page) pervichka.Result {
	start := time.Now()
	text := make([]pervichka.Page, len(pages))
	for i, p := range pages {
		text[i] = p.Text
	}
	res := fields.Extract(ctx, text, r.opt.Fields, r.rereader(pages))
	res.File = name
	res.Pages = len(pages)
	res.TextSource = textSource(pages)
	res.TimingsMS = map[string]int64{"decode": 0, "enhance": 0, "ocr": 0, "extract": time.Since(start).Milliseconds()}
	return res
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

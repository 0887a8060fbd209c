package pipeline

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"time"

	"github.com/riverqueue/river"

	pervichka "github.com/pervichka/pervichka"
	"github.com/pervichka/pervichka/extractors/imagefile"
	"github.com/pervichka/pervichka/extractors/pixelbudget"
	"github.com/pervichka/pervichka/extractors/recognize"
	"github.com/pervichka/pervichka/storage/db"
)

// PageArgs asks for one page to be enhanced and OCR'd.
type PageArgs struct {
	DocumentID int64 `json:"document_id"`
	Index      int   `json:"index"`
	Run        int   `json:"run"`
}

func (PageArgs) Kind() string { return "page" }

func (PageArgs) InsertOpts() river.InsertOpts { return insertOpts(QueueOCR) }

type pageWorker struct {
	river.WorkerDefaults[PageArgs]
	p *Pipeline
}

func (w *pageWorker) Work(ctx context.Context, job *river.Job[PageArgs]) error {
	return runStage(ctx, w.p, "page", job, job.Args.DocumentID, w.p.readPage)
}

// readPage enhances and OCRs the page, stores the enhanced image (PNG) and
// the words (JSON), and records them; the job that leaves no page unread
// enqueues extract, in the same transaction.
func (p *Pipeline) readPage(ctx context.Context, job *river.Job[PageArgs]) (err error) {
	defer protect(&err)
	id, index := job.Args.DocumentID, job.Args.Index
	doc, err := p.db.GetDocument(ctx, nil, id)
	if err != nil {
		return err
	}
	if doc.State != db.StateProcessing {
		return nil // failed meanwhile, or a job of an earlier run
	}
	pages, err := p.db.Pages(ctx, nil, id)
	if err != nil {
		return err
	}
	var pg *db.Page
	for i := range pages {
		if pages[i].Index == index {
			pg = &pages[i]
		}
	}
	if pg == nil {
		return fmt.Errorf("page job for page %d of document %d, which has %d pages: %w", index+1, id, len(pages), db.ErrNotFound)
	}
	if !pg.Read() {
		start := time.Now()
		img, release, err := p.rawPage(ctx, doc, *pg)
		if err != nil {
			return err
		}
		// The page's pixels, raw and enhanced, are held until its words
		// are stored; then the budget is free for the next page.
		defer release()
		pg.DecodeMS = time.Since(start).Milliseconds()
		if err := ctx.Err(); err != nil {
			return err
		}
		enhanced, err := p.rec.Enhance(ctx, recognize.RawPage{Index: index, Image: img, SourceDPI: pg.SourceDPI, Upright: Upright(*pg)})
		if err != nil {
			return err
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		// The enhanced image is encoded and stored while OCR reads it: the
		// two take turns on no shared state, and storing no longer adds to
		// the page's time.
		pg.ImageKey = pageKey(doc.SHA256, index, ".png")
		stored := make(chan error, 1)
		go func() {
			enc, err := encodePNG(enhanced.Image)
			if err != nil {
				stored <- fmt.Errorf("encode enhanced page %d: %w", index+1, err)
				return
			}
			stored <- p.put(ctx, pg.ImageKey, enc, "image/png")
		}()
		read, err := p.rec.OCR(ctx, doc.FileName, index, enhanced)
		if serr := <-stored; err == nil {
			err = serr
		}
		if err != nil {
			return err
		}
		if read.Image != enhanced.Image {
			// OCR found the page turned after all (a page kept upright on
			// OSD's unsure word that read badly) and read it enhanced
			// again: store that picture, which the words' boxes belong to.
			enc, err := encodePNG(read.Image)
			if err != nil {
				return fmt.Errorf("encode enhanced page %d: %w", index+1, err)
			}
			if err := p.put(ctx, pg.ImageKey, enc, "image/png"); err != nil {
				return err
			}
		}
		p.cache.put(pg.ImageKey, read.Image)
		words, err := json.Marshal(read.Text)
		if err != nil {
			return fmt.Errorf("encode page %d words: %w", index+1, err)
		}
		pg.WordsKey = pageKey(doc.SHA256, index, ".words.json")
		pg.DPI, pg.EnhanceMS, pg.OCRMS = read.DPI, read.EnhanceMS, read.OCRMS
		if err := p.put(ctx, pg.WordsKey, words, "application/json"); err != nil {
			return err
		}
	}
	return p.inTx(ctx, func(tx *db.Tx, insert func(river.JobArgs) error) error {
		doc, err := p.db.LockDocument(ctx, tx, id)
		if err != nil {
			return err
		}
		if doc.State != db.StateProcessing {
			return db.CompleteJobTx(ctx, tx, job)
		}
		if err := p.db.FinishPage(ctx, tx, id, *pg); err != nil {
			return err
		}
		left, err := p.db.PendingPages(ctx, tx, id)
		if err != nil {
			return err
		}
		if left == 0 {
			if err := insert(ExtractArgs{DocumentID: id, Run: job.Args.Run}); err != nil {
				return err
			}
		}
		return db.CompleteJobTx(ctx, tx, job)
	})
}

// Costs of a page job per pixel of the page as decoded (after reduction to
// imagefile.OCRPixels), added to the decoding itself when it acquires the
// pixel budget.
const (
	// reducedBytesPerPixel: a page over OCRPixels is reduced to NRGBA.
	reducedBytesPerPixel = 4
	// pageWorkBytesPerPixel is what enhancing and OCR'ing a page costs
	// besides its decoded pixels. Measured: imageprep.Enhance allocates
	// 14 B/px in all on a 200-dpi scan with text (BenchmarkEnhance
	// scan200dpi, its rescale to 300-dpi text size included), 2–3 B/px on
	// a blank A4 page at 300 dpi or a blank 24 MP page; Tesseract's own
	// grey and binary copies add ~2. A small photo whose text rescale
	// enlarges ×3 allocates more per input pixel (48 B/px on a 1.4 MP
	// photo) but is small in bytes.
	pageWorkBytesPerPixel = 16
)

// rawPage loads a page's image before enhancement: the stored picture of a
// PDF page (the scan's own JPEG stream, or a PNG of the pixels), or the page
// of the image file it came from — the document's own original at the
// page's index, unless a clerk merged or split the page there from
// elsewhere (db.Page.Source). Before decoding, it acquires from the pixel
// budget what decoding, enhancing and OCR'ing the page will cost, read from
// the file's headers; the caller calls release when done with the page.
func (p *Pipeline) rawPage(ctx context.Context, doc db.Document, pg db.Page) (img image.Image, release func(), err error) {
	acquire := func(b []byte, lim pervichka.Limits) (func(), error) {
		cost, err := imagefile.Measure(b, lim)
		if err != nil {
			return nil, err
		}
		return p.budget().Acquire(ctx, cost.DecodedBytes+pageWorkBytesPerPixel*cost.Pixels)
	}
	if pg.RawKey != "" {
		// A lossless page is several times its JPEG's size.
		lim := p.lim
		lim.MaxBytes *= 4
		b, err := p.get(ctx, pg.RawKey, lim.MaxBytes)
		if err != nil {
			return nil, nil, err
		}
		release, err := acquire(b, lim)
		if err != nil {
			return nil, nil, err
		}
		img, err := imagefile.DecodeAsStored(ctx, b, lim)
		if err != nil {
			release()
			return nil, nil, err
		}
		return img, release, nil
	}
	key, index := pg.Source(doc.ObjectKey)
	b, err := p.get(ctx, key, p.lim.MaxBytes)
	if err != nil {
		return nil, nil, err
	}
	release, err = acquire(b, p.lim)
	if err != nil {
		return nil, nil, err
	}
	errFound := errors.New("found")
	err = imagefile.DecodeEach(ctx, b, p.lim, func(i int, page image.Image) error {
		if i == index {
			img = page
			return errFound
		}
		return nil
	})
	if err != nil && !errors.Is(err, errFound) {
		release()
		return nil, nil, err
	}
	if img == nil {
		release()
		return nil, nil, pervichka.Errorf(pervichka.CodeCorrupt, "the file has no page %d", index+1)
	}
	return img, release, nil
}

// encodePNG stores a page losslessly, so that a page read back from storage
// gives the extractor the very pixels OCR saw. Fastest compression: these
// are working files, and the default level costs several times the time.
//
// A YCbCr picture (a scan's JPEG) is turned into RGB with the same 8-bit
// formula the enhancement uses (color.YCbCrToRGB); the PNG encoder's own
// conversion rounds differently and would change pixels by one level.
func encodePNG(img image.Image) ([]byte, error) {
	if y, ok := img.(*image.YCbCr); ok {
		img = ycbcrToRGBA(y)
	}
	var buf bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.BestSpeed}
	if err := enc.Encode(&buf, img); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func ycbcrToRGBA(m *image.YCbCr) *image.RGBA {
	b := m.Bounds()
	out := image.NewRGBA(b)
	for y := b.Min.Y; y < b.Max.Y; y++ {
		row := out.Pix[(y-b.Min.Y)*out.Stride:]
		for x := b.Min.X; x < b.Max.X; x++ {
			yi, ci := m.YOffset(x, y), m.COffset(x, y)
			r, g, bl := color.YCbCrToRGB(m.Y[yi], m.Cb[ci], m.Cr[ci])
			o := (x - b.Min.X) * 4
			row[o], row[o+1], row[o+2], row[o+3] = r, g, bl, 0xff
		}
	}
	return out
}

// budget is the recognizer's pixel budget; nil (none) without a recognizer.
func (p *Pipeline) budget() *pixelbudget.Budget {
	if p.rec == nil {
		return nil
	}
	return p.rec.Budget()
}

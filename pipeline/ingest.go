package pipeline

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/riverqueue/river"

	"github.com/pervichka/pervichka/extractors/fingerprint"
	"github.com/pervichka/pervichka/extractors/imagefile"
	"github.com/pervichka/pervichka/extractors/recognize"
	"github.com/pervichka/pervichka/storage/db"
)

// IngestArgs asks for a document's file to be split into pages.
type IngestArgs struct {
	DocumentID int64 `json:"document_id"`
	Run        int   `json:"run"` // distinguishes an admin's retry from the first run
	// Force skips the look for an earlier document with the same picture
	// (see resent.go): set by Retry, when a person has said to read it.
	Force bool `json:"force,omitempty"`
}

func (IngestArgs) Kind() string { return "ingest" }

func (IngestArgs) InsertOpts() river.InsertOpts { return insertOpts(QueueIngest) }

type ingestWorker struct {
	river.WorkerDefaults[IngestArgs]
	p *Pipeline
}

// Work splits the original into pages. A PDF page's text layer is stored as
// words at once; a PDF page's picture is stored as a lossless PNG for its
// page job; an image file's pages are decoded again by their page jobs from
// the original (no copy). Then, in one transaction: the document moves to
// processing, its pages are recorded, and a page job per unread page (or
// extract, when every page had text) is enqueued. An image file's first
// page is fingerprinted first: when it is the picture of an earlier live
// document, the document is linked to it and sent to review instead, and no
// page job is enqueued (resent.go).
func (w *ingestWorker) Work(ctx context.Context, job *river.Job[IngestArgs]) error {
	return runStage(ctx, w.p, "ingest", job, job.Args.DocumentID, w.p.ingest)
}

func (p *Pipeline) ingest(ctx context.Context, job *river.Job[IngestArgs]) (err error) {
	defer protect(&err)
	id := job.Args.DocumentID
	doc, err := p.db.GetDocument(ctx, nil, id)
	if err != nil {
		return err
	}
	if doc.State != db.StateReceived && doc.State != db.StateProcessing {
		return nil // already past ingest: a job of an earlier run
	}
	b, err := p.get(ctx, doc.ObjectKey, p.lim.MaxBytes)
	if err != nil {
		return err
	}
	kind, err := imagefile.Sniff(b)
	if err != nil {
		return err
	}
	// decodeMS times reading the file only, not storing what was read:
	// the stages' timings are recognition work, the rest is overhead.
	var (
		pages    []db.Page
		decodeMS int64
		fp       *fingerprint.Fingerprint
	)
	if kind == imagefile.KindPDF {
		pages, decodeMS, err = p.splitPDF(ctx, doc, b)
	} else {
		start := time.Now()
		// An image file's page jobs decode their own page from the
		// original: here the headers are enough to count the pages and
		// check the limits.
		var n int
		n, err = imagefile.Count(b, p.lim)
		for i := range n {
			pages = append(pages, db.Page{Index: i})
		}
		if err == nil {
			fp, err = p.firstPageFingerprint(ctx, id, b)
		}
		decodeMS = time.Since(start).Milliseconds()
	}
	if err != nil {
		return err
	}
	pages[0].DecodeMS = decodeMS
	return p.inTx(ctx, func(tx *db.Tx, insert func(river.JobArgs) error) error {
		doc, err := p.db.LockDocument(ctx, tx, id)
		if err != nil {
			return err
		}
		switch doc.State {
		case db.StateReceived:
			reason := fmt.Sprintf("страниц: %d", len(pages))
			if err := p.db.Transition(ctx, tx, id, db.StateReceived, db.StateProcessing, "pipeline:ingest", reason); err != nil {
				return err
			}
		case db.StateProcessing:
		default:
			return db.CompleteJobTx(ctx, tx, job)
		}
		if err := p.db.AddPages(ctx, tx, id, pages); err != nil {
			return err
		}
		if fp != nil {
			match, err := p.saveFingerprint(ctx, tx, id, fp, !job.Args.Force && !p.cfg.NoResentCheck)
			if err != nil {
				return err
			}
			if match != nil {
				if err := p.linkResent(ctx, tx, id, *match); err != nil {
					return err
				}
				return db.CompleteJobTx(ctx, tx, job)
			}
		}
		stored, err := p.db.Pages(ctx, tx, id)
		if err != nil {
			return err
		}
		unread := 0
		for _, pg := range stored {
			if pg.Read() {
				continue
			}
			unread++
			if err := insert(PageArgs{DocumentID: id, Index: pg.Index, Run: job.Args.Run}); err != nil {
				return err
			}
		}
		if unread == 0 {
			if err := insert(ExtractArgs{DocumentID: id, Run: job.Args.Run}); err != nil {
				return err
			}
		}
		return db.CompleteJobTx(ctx, tx, job)
	})
}

// splitPDF renders or extracts a PDF's pages one at a time: a text layer is
// stored as words at once; a page's picture is stored losslessly for its
// page job — an embedded scan's own JPEG stream as it is, anything else as
// a PNG — and dropped before the next page is read, so a long PDF costs one
// page's pixels (recognize.SplitEach, within the pixel budget).
func (p *Pipeline) splitPDF(ctx context.Context, doc db.Document, b []byte) (pages []db.Page, decodeMS int64, err error) {
	var storeMS int64
	start := time.Now()
	err = p.rec.SplitEach(ctx, doc.FileName, b, func(raw recognize.RawPage) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		t := time.Now()
		defer func() { storeMS += time.Since(t).Milliseconds() }()
		pg := db.Page{Index: raw.Index, SourceDPI: raw.SourceDPI}
		if raw.Text != nil {
			words, err := json.Marshal(raw.Text)
			if err != nil {
				return fmt.Errorf("encode page %d words: %w", raw.Index+1, err)
			}
			pg.WordsKey = pageKey(doc.SHA256, raw.Index, ".words.json")
			if err := p.put(ctx, pg.WordsKey, words, "application/json"); err != nil {
				return err
			}
		} else if raw.JPEG != nil {
			// A scan's own JPEG stream decodes to the very pixels read
			// here: storing it is lossless for the page job, ~10× smaller
			// than a PNG of them and costs no encoding.
			pg.RawKey = pageKey(doc.SHA256, raw.Index, ".raw.jpg")
			if err := p.put(ctx, pg.RawKey, raw.JPEG, "image/jpeg"); err != nil {
				return err
			}
		} else {
			png, err := encodePNG(raw.Image)
			if err != nil {
				return fmt.Errorf("encode page %d: %w", raw.Index+1, err)
			}
			pg.RawKey = pageKey(doc.SHA256, raw.Index, ".raw.png")
			if err := p.put(ctx, pg.RawKey, png, "image/png"); err != nil {
				return err
			}
		}
		pages = append(pages, pg)
		return nil
	})
	if err != nil {
		return nil, 0, err
	}
	return pages, time.Since(start).Milliseconds() - storeMS, nil
}

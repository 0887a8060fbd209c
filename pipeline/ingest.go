package pipeline

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/riverqueue/river"

	"github.com/pervichka/pervichka/extractors/imagefile"
	"github.com/pervichka/pervichka/storage/db"
)

// IngestArgs asks for a document's file to be split into pages.
type IngestArgs struct {
	DocumentID int64 `json:"document_id"`
	Run        int   `json:"run"` // distinguishes an admin's retry from the first run
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
// extract, when every page had text) is enqueued.
func (w *ingestWorker) Work(ctx context.Context, job *river.Job[IngestArgs]) (err error) {
	start := time.Now()
	p := w.p
	id := job.Args.DocumentID
	err = p.ingest(ctx, job)
	riverErr, observed := p.settle(ctx, job.JobRow, id, "ingest", err, func(tx *db.Tx) error {
		return db.CompleteJobTx(ctx, tx, job)
	})
	p.observe("ingest", start, observed)
	return riverErr
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
	raws, err := p.rec.Split(ctx, doc.FileName, b)
	if err != nil {
		return err
	}
	kind, err := imagefile.Sniff(b)
	if err != nil {
		return err
	}
	pages := make([]db.Page, 0, len(raws))
	for _, raw := range raws {
		if err := ctx.Err(); err != nil {
			return err
		}
		pg := db.Page{Index: raw.Index, SourceDPI: raw.SourceDPI}
		switch {
		case raw.Text != nil:
			words, err := json.Marshal(raw.Text)
			if err != nil {
				return fmt.Errorf("encode page %d words: %w", raw.Index+1, err)
			}
			pg.WordsKey = pageKey(doc.SHA256, raw.Index, ".words.json")
			if err := p.put(ctx, pg.WordsKey, words, "application/json"); err != nil {
				return err
			}
		case kind == imagefile.KindPDF:
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
	}
	return p.db.InTx(ctx, func(tx *db.Tx) error {
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
			if _, err := p.queue.InsertTx(ctx, tx, PageArgs{DocumentID: id, Index: pg.Index, Run: job.Args.Run}, nil); err != nil {
				return err
			}
		}
		if unread == 0 {
			if _, err := p.queue.InsertTx(ctx, tx, ExtractArgs{DocumentID: id, Run: job.Args.Run}, nil); err != nil {
				return err
			}
		}
		return db.CompleteJobTx(ctx, tx, job)
	})
}

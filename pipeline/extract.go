package pipeline

import (
	"context"
	"encoding/json"
	"fmt"
	"image"
	"slices"
	"strconv"
	"strings"

	"github.com/riverqueue/river"

	pervichka "github.com/pervichka/pervichka"
	"github.com/pervichka/pervichka/extractors/imagefile"
	"github.com/pervichka/pervichka/extractors/recognize"
	"github.com/pervichka/pervichka/storage/db"
)

// ExtractArgs asks for a document's fields once all its pages are read.
type ExtractArgs struct {
	DocumentID int64 `json:"document_id"`
	Run        int   `json:"run"`
}

func (ExtractArgs) Kind() string { return "extract" }

func (ExtractArgs) InsertOpts() river.InsertOpts { return insertOpts(QueueExtract) }

type extractWorker struct {
	river.WorkerDefaults[ExtractArgs]
	p *Pipeline
}

func (w *extractWorker) Work(ctx context.Context, job *river.Job[ExtractArgs]) error {
	return runStage(ctx, w.p, "extract", job, job.Args.DocumentID, w.p.extract)
}

// extract reads the stored words of every page, extracts and validates the
// fields, flags a duplicate (the same supplier ИНН, number and date as another
// live document) and changed bank details (bank.go), and routes the
// document, saving the result and the state in one transaction with the
// job's completion.
func (p *Pipeline) extract(ctx context.Context, job *river.Job[ExtractArgs]) (err error) {
	defer protect(&err)
	id := job.Args.DocumentID
	doc, err := p.db.GetDocument(ctx, nil, id)
	if err != nil {
		return err
	}
	if doc.State != db.StateProcessing {
		return nil // failed meanwhile, or a job of an earlier run
	}
	stored, err := p.db.Pages(ctx, nil, id)
	if err != nil {
		return err
	}
	pages := make([]recognize.Page, 0, len(stored))
	for _, pg := range stored {
		if !pg.Read() {
			return fmt.Errorf("extract document %d: page %d is not read yet", id, pg.Index+1)
		}
		b, err := p.get(ctx, pg.WordsKey, p.lim.MaxBytes)
		if err != nil {
			return err
		}
		var text pervichka.Page
		if err := json.Unmarshal(b, &text); err != nil {
			return pervichka.WrapError(pervichka.CodeInternal, err, "stored words of page "+strconv.Itoa(pg.Index+1))
		}
		// The words carry the turn the page job gave the page
		// (pervichka.Page.Turned), which Extract reports as
		// Result.PageTurns: db.Page has no column for it, and none is
		// needed while the words are stored with it. Words stored before
		// the turn was recorded read as upright.
		rp := recognize.Page{Text: text, DPI: pg.DPI}
		if pg.ImageKey != "" {
			rp.LoadImage = p.imageLoader(pg.ImageKey)
		}
		pages = append(pages, rp)
	}
	res := p.rec.Extract(ctx, doc.FileName, pages)
	if res.Error != nil {
		// A fault in the recogniser (it logged the panic): the document
		// fails with that reason, not a guess at a verdict.
		return pervichka.Errorf(res.Error.Code, "extract document %d", id)
	}
	for _, pg := range stored {
		res.TimingsMS["decode"] += pg.DecodeMS
		res.TimingsMS["enhance"] += pg.EnhanceMS
		res.TimingsMS["ocr"] += pg.OCRMS
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	fields := indexedFields(res)
	return p.inTx(ctx, func(tx *db.Tx, insert func(river.JobArgs) error) error {
		// Locks in one order, so that extract jobs never wait on each
		// other in a circle: the group's first document (files of one
		// upload take turns, see proposeLinks), this document, the
		// duplicate key, then the supplier's bank key (checkBank).
		if doc.GroupID != "" {
			group, err := p.db.GroupDocuments(ctx, tx, doc.GroupID)
			if err != nil {
				return err
			}
			if len(group) > 0 && group[0].ID != id {
				if _, err := p.db.LockDocument(ctx, tx, group[0].ID); err != nil {
					return err
				}
			}
		}
		doc, err := p.db.LockDocument(ctx, tx, id)
		if err != nil {
			return err
		}
		if doc.State != db.StateProcessing {
			return db.CompleteJobTx(ctx, tx, job)
		}
		// Duplicates are looked up under a lock on their key, so that two
		// copies extracted at once find each other: the second waits
		// for the first to commit its indexed fields.
		var duplicates []db.Document
		res := res
		res.ReviewReasons = slices.Clone(res.ReviewReasons)
		if fields.SupplierINN != "" && fields.Number != "" && fields.Date != "" {
			key := "duplicate:" + fields.SupplierINN + "/" + fields.Number + "/" + fields.Date
			if err := p.db.LockKey(ctx, tx, key); err != nil {
				return err
			}
			dups, err := p.db.FindDuplicatesTx(ctx, tx, fields.SupplierINN, fields.Number, fields.Date)
			if err != nil {
				return err
			}
			for _, d := range dups {
				if d.ID != id && d.State != db.StateRejected && d.State != db.StateFailed {
					res.ReviewReasons = append(res.ReviewReasons, fmt.Sprintf("%s:%d", pervichka.ReasonDuplicate, d.ID))
					res.NeedsReview = true
					duplicates = append(duplicates, d)
				}
			}
		}
		if err := p.checkBank(ctx, tx, id, &res); err != nil {
			return err
		}
		if p.cfg.Check != nil {
			if err := p.cfg.Check(ctx, tx, &res); err != nil {
				return err
			}
		}
		result, err := json.Marshal(res)
		if err != nil {
			return fmt.Errorf("encode result: %w", err)
		}
		to, reason := db.StateAutoApproved, "все проверки пройдены"
		if res.NeedsReview {
			to, reason = db.StateNeedsReview, "нужна проверка: "+strings.Join(res.ReviewReasons, ", ")
		}
		if _, err := p.db.SaveResult(ctx, tx, id, doc.Version, result, fields); err != nil {
			return err
		}
		if err := p.proposeLinks(ctx, tx, doc, fields, duplicates); err != nil {
			return err
		}
		if err := p.db.Transition(ctx, tx, id, db.StateProcessing, to, "pipeline:extract", reason); err != nil {
			return err
		}
		if to == db.StateAutoApproved && p.poster != nil {
			if err := insert(PostArgs{DocumentID: id, Run: job.Args.Run}); err != nil {
				return err
			}
		}
		return db.CompleteJobTx(ctx, tx, job)
	})
}

// imageLoader gives the extractor a stored enhanced page when it needs to
// re-read a box; most documents never ask.
func (p *Pipeline) imageLoader(key string) func(ctx context.Context) (image.Image, error) {
	return func(ctx context.Context) (image.Image, error) {
		if img, ok := p.cache.get(key); ok {
			return img, nil
		}
		lim := p.lim
		lim.MaxBytes *= 4
		b, err := p.get(ctx, key, lim.MaxBytes)
		if err != nil {
			return nil, err
		}
		return imagefile.DecodeAsStored(ctx, b, lim)
	}
}

// indexedFields picks the values the store indexes for the review queue and
// the duplicate check. A total that does not parse is left out, not guessed.
func indexedFields(res pervichka.Result) db.Fields {
	f := db.Fields{
		DocType:     res.DocType,
		Number:      string(res.Number),
		Date:        string(res.Date),
		SupplierINN: string(res.Supplier.INN),
		BuyerINN:    string(res.Buyer.INN),
	}
	if res.Total != "" {
		if k, err := pervichka.ParseKopecks(string(res.Total)); err == nil {
			f.Total = &k
		}
	}
	return f
}

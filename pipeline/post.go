package pipeline

import (
	"context"

	"github.com/riverqueue/river"

	"github.com/pervichka/pervichka/storage/db"
)

// Poster posts a validated document to the ledger. The ledger implements
// it; the pipeline only decides when: after extract routes a document to
// auto_approved. PostTx runs in tx, which also completes the post job, so
// the posting happens exactly once: it must move the document on (to posted,
// or back to needs_review with a reason, e.g. a duplicate of a posted
// document) and enqueue its delivery with q.InsertTx.
type Poster interface {
	PostTx(ctx context.Context, tx *db.Tx, q *db.Queue, documentID int64, actor string) error
}

// PostArgs asks for an auto-approved document to be posted.
type PostArgs struct {
	DocumentID int64 `json:"document_id"`
	Run        int   `json:"run"`
}

func (PostArgs) Kind() string { return "post" }

func (PostArgs) InsertOpts() river.InsertOpts { return insertOpts(QueuePost) }

type postWorker struct {
	river.WorkerDefaults[PostArgs]
	p *Pipeline
}

func (w *postWorker) Work(ctx context.Context, job *river.Job[PostArgs]) error {
	// A document that cannot be posted stays auto_approved (settle fails
	// only received and processing documents); its failure is logged and
	// River keeps the job for an admin.
	return runStage(ctx, w.p, "post", job, job.Args.DocumentID, w.p.post)
}

func (p *Pipeline) post(ctx context.Context, job *river.Job[PostArgs]) (err error) {
	defer protect(&err)
	return p.db.InTx(ctx, func(tx *db.Tx) error {
		doc, err := p.db.LockDocument(ctx, tx, job.Args.DocumentID)
		if err != nil {
			return err
		}
		if doc.State == db.StateAutoApproved {
			if err := p.poster.PostTx(ctx, tx, p.queue, doc.ID, "pipeline:post"); err != nil {
				return err
			}
		}
		return db.CompleteJobTx(ctx, tx, job)
	})
}

package pipeline

import (
	"context"

	"github.com/riverqueue/river"

	"github.com/pervichka/pervichka/storage/db"
)

// inTx runs fn in a transaction whose job inserts (through insert, which is
// Queue.InsertTx) commit with its other writes, and after the commit nudges
// this process's workers to fetch them at once.
//
// Why: SQLite has no LISTEN/NOTIFY, so a job inserted in a transaction waits
// for the next poll (PollInterval) — three stages a document, ~75 ms at the
// default 50 ms. River fetches at once after a plain Insert from a client that
// works jobs; repeating the insert after the commit is such an Insert, and,
// the jobs being unique by args, it finds the committed job and adds nothing.
// On Postgres, notifications do this already and no nudge is sent.
func (p *Pipeline) inTx(ctx context.Context, fn func(tx *db.Tx, insert func(river.JobArgs) error) error) error {
	var inserted []river.JobArgs
	err := p.db.InTx(ctx, func(tx *db.Tx) error {
		inserted = inserted[:0]
		return fn(tx, func(args river.JobArgs) error {
			if _, err := p.queue.InsertTx(ctx, tx, args, nil); err != nil {
				return err
			}
			inserted = append(inserted, args)
			return nil
		})
	})
	if err != nil || !p.cfg.Work || p.db.Dialect() != db.SQLite {
		return err
	}
	for _, args := range inserted {
		res, nerr := p.queue.Insert(ctx, args, nil)
		if nerr != nil {
			// The job is committed; the next poll finds it.
			p.log.DebugContext(ctx, "nudge workers", "kind", args.Kind(), "err", nerr)
			continue
		}
		if !res.UniqueSkippedAsDuplicate {
			// Cannot happen while uniqueness holds; say so if it does.
			p.log.WarnContext(ctx, "nudge inserted a job instead of finding it", "kind", args.Kind(), "job", res.Job.ID)
		}
	}
	return nil
}

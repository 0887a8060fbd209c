package pipeline

import (
	"context"
	"fmt"
	"time"

	pervichka "github.com/pervichka/pervichka"
	"github.com/pervichka/pervichka/storage/db"
)

// A stage fails its document itself when the stage's last attempt errs
// (settle), in the transaction that completes the job. River can also end a
// job without running our code: its rescuer discards a job whose worker
// died on the last attempt (a file that kills the worker every time, a
// worker killed again and again — the chaos soak's repeated SIGKILLs took
// one page job through four attempts in minutes), and a last attempt that
// overruns the job timeout, or one cancelled in River's UI, ends the same
// way. Its document then stayed in received or processing for good, with
// no job to move it and no sign for a clerk. Every working process
// therefore looks now and then for such documents (db.Stranded) and fails
// them with a reason a person can act on: an admin's retry starts a new
// run.

// defaultSweepEvery is how often the sweep looks when Config.SweepEvery is
// not set. A stranded document is rare; a minute costs one indexed query
// per worker and tells the clerk within a minute after River gave up.
const defaultSweepEvery = time.Minute

// sweepBatch bounds the documents one sweep fails; more wait for the next.
const sweepBatch = 100

// strandedDetail is the Russian reason after «Обработка прервана».
const strandedDetail = "задание обработки остановлено без результата (обработчик аварийно завершался или не укладывался во время на каждой попытке, либо задание отменено); отправьте документ на обработку снова"

// sweepLoop sweeps at once and then every Config.SweepEvery until ctx ends.
func (p *Pipeline) sweepLoop(ctx context.Context) {
	t := time.NewTicker(p.cfg.SweepEvery)
	defer t.Stop()
	for {
		if _, err := p.sweep(ctx); err != nil && ctx.Err() == nil {
			p.log.Warn("sweep for stranded documents failed", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// sweep fails the documents that no job will move on and returns how many
// it failed. Each is checked again under its lock, in the transaction that
// fails it: a stage's transaction that moves the document or inserts its
// next job holds that lock too, so a document that just got a job is left
// alone.
func (p *Pipeline) sweep(ctx context.Context) (int, error) {
	ids, err := p.db.Stranded(ctx, nil, 0, sweepBatch)
	if err != nil {
		return 0, err
	}
	failed := 0
	for _, id := range ids {
		var from db.State
		err := p.db.InTx(ctx, func(tx *db.Tx) error {
			from = ""
			doc, err := p.db.LockDocument(ctx, tx, id)
			if err != nil {
				return err
			}
			still, err := p.db.Stranded(ctx, tx, id, 1)
			if err != nil || len(still) == 0 {
				return err
			}
			reason := fmt.Sprintf("%s: %s", pervichka.CodeCanceled.Message(), strandedDetail)
			if err := p.db.Fail(ctx, tx, id, doc.State, "pipeline:sweep", pervichka.CodeCanceled, reason); err != nil {
				return err
			}
			from = doc.State
			return nil
		})
		if err != nil {
			return failed, fmt.Errorf("sweep document %d: %w", id, err)
		}
		if from != "" {
			failed++
			p.log.WarnContext(ctx, "document failed: no job left to move it on", "document", id, "was", from)
		}
	}
	return failed, nil
}

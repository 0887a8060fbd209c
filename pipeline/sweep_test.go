package pipeline_test

import (
	"strings"
	"testing"
	"time"

	pervichka "github.com/pervichka/pervichka"
	"github.com/pervichka/pervichka/pipeline"
	"github.com/pervichka/pervichka/storage/db"
)

// TestStrandedDocumentFails: a job that River ends without running the
// stage's own code leaves its document with nothing to move it on. On the
// shared deployment that is River's rescuer discarding the job of a worker
// that died on its last attempt; on the embedded one, an admin cancelling
// the job in River's UI. Either way the document must fail with a reason
// a person can act on, not stay received for good.
func TestStrandedDocumentFails(t *testing.T) {
	for _, d := range deployments() {
		t.Run(d.name, func(t *testing.T) {
			ctx := t.Context()
			e := start(t, d, pipeline.Config{}) // submits only: nothing works the job yet
			doc, _, err := e.p.Submit(ctx, pipeline.Upload{Name: "act.pdf", Body: readFile(t, "008-act.pdf"), Source: db.SourceUpload})
			if err != nil {
				t.Fatal(err)
			}
			if e.db.Dialect() == db.Postgres {
				// Its worker died an hour ago on the last attempt: the
				// rescuer of the pipeline started below discards it.
				_, err = e.db.Pgx().Exec(ctx, `UPDATE river_job SET state = 'running', attempt = max_attempts,
					attempted_at = now() - interval '1 hour', attempted_by = ARRAY['dead-worker'] WHERE kind = 'ingest'`)
			} else {
				_, err = e.db.SQL().ExecContext(ctx, `UPDATE river_job SET state = 'cancelled', finalized_at = ? WHERE kind = 'ingest'`,
					time.Now().UTC().Format("2006-01-02T15:04:05.000000Z"))
			}
			if err != nil {
				t.Fatal(err)
			}
			e.pipeline(t, pipeline.Config{Work: true, JobTimeout: time.Second, RescueAfter: 2 * time.Second, SweepEvery: 200 * time.Millisecond})
			got := waitSettled(t, e.db, []int64{doc.ID}, time.Minute)[0]
			if got.State != db.StateFailed || got.FailureCode != pervichka.CodeCanceled ||
				!strings.HasPrefix(got.FailureReason, "Обработка прервана: ") {
				t.Fatalf("state %s, code %q, reason %q; want failed, %s, «Обработка прервана: …»",
					got.State, got.FailureCode, got.FailureReason, pervichka.CodeCanceled)
			}
			var state string
			if e.db.Dialect() == db.Postgres {
				err = e.db.Pgx().QueryRow(ctx, `SELECT state::text FROM river_job WHERE kind = 'ingest'`).Scan(&state)
			} else {
				err = e.db.SQL().QueryRowContext(ctx, `SELECT state FROM river_job WHERE kind = 'ingest'`).Scan(&state)
			}
			if err != nil {
				t.Fatal(err)
			}
			if want := map[db.Dialect]string{db.Postgres: "discarded", db.SQLite: "cancelled"}[e.db.Dialect()]; state != want {
				t.Errorf("the ingest job is %s, want %s", state, want)
			}
		})
	}
}

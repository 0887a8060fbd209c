package db

import (
	"context"
	"fmt"
)

// strandedSQL finds documents in received or processing that no River job
// still to run names in its args (document_id): per dialect because it
// reads the args JSON. $1 is one document's id, or 0 for any; $2 a limit.
// River's job state is an enum on Postgres; the literals compare with it.
var strandedSQL = map[Dialect]string{
	SQLite: `SELECT d.id FROM documents d
		WHERE d.state IN ('received', 'processing') AND ($1 = 0 OR d.id = $1)
		  AND NOT EXISTS (SELECT 1 FROM river_job j
		    WHERE j.state IN ('available', 'pending', 'retryable', 'running', 'scheduled')
		      AND json_extract(j.args, '$.document_id') = d.id)
		ORDER BY d.id LIMIT $2`,
	Postgres: `SELECT d.id FROM documents d
		WHERE d.state IN ('received', 'processing') AND ($1::bigint = 0 OR d.id = $1::bigint)
		  AND NOT EXISTS (SELECT 1 FROM river_job j
		    WHERE j.state IN ('available', 'pending', 'retryable', 'running', 'scheduled')
		      AND j.args->>'document_id' = d.id::text)
		ORDER BY d.id LIMIT $2`,
}

// Stranded returns up to limit documents in received or processing that
// nothing will move on: every River job naming the document has finished
// (completed, cancelled, discarded) or is gone. The pipeline commits each
// move of a document together with the job that makes the next one, so a
// document left like this had its job ended outside the pipeline's own
// code: discarded by River's rescuer after its last attempt (a worker
// killed on every attempt — a file that crashes it, a machine that keeps
// dying), a last attempt cut off by the job timeout, or a job cancelled by
// an admin in River's UI. id 0 looks at every document, another id at that
// one only (to check again under its lock). tx may be nil.
//
// Limits: a job is matched to its document by the "document_id" key of its
// args, which every pipeline stage's args carry; a job kind naming its
// document otherwise would not count. On Postgres the look-up reads the
// args of every job still to run, a few hundred rows in a busy queue.
func (db *DB) Stranded(ctx context.Context, tx *Tx, id int64, limit int) ([]int64, error) {
	op := "find stranded documents"
	if id != 0 {
		op = fmt.Sprintf("is document %d stranded", id)
	}
	rs, err := db.c(tx).query(ctx, strandedSQL[db.dialect], id, limit)
	if err != nil {
		return nil, db.q.translate(op, err)
	}
	defer rs.Close()
	var ids []int64
	for rs.Next() {
		var id int64
		if err := rs.Scan(&id); err != nil {
			return nil, db.q.translate(op, err)
		}
		ids = append(ids, id)
	}
	if err := rs.Err(); err != nil {
		return nil, db.q.translate(op, err)
	}
	return ids, nil
}

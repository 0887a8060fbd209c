package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivertype"
)

// Queue is a River client on the DB's own pool. River's client is generic in
// the transaction type (*sql.Tx for SQLite, pgx.Tx for Postgres); Queue hides
// that behind *Tx so the pipeline has one code path for both deployments.
// Only the calls the pipeline needs are wrapped; the rest of River is reached
// through SQLiteClient or PgxClient.
type Queue struct {
	sqlite *river.Client[*sql.Tx]
	pg     *river.Client[pgx.Tx]
}

// NewQueue builds a River client with the dialect's driver on the DB's pool.
// cfg is River's own; without Queues and Workers the client can insert but
// not work jobs. On SQLite River polls for new jobs (no LISTEN/NOTIFY):
// set cfg.FetchPollInterval for latency.
func (db *DB) NewQueue(cfg *river.Config) (*Queue, error) {
	if cfg.Logger == nil {
		cfg.Logger = db.log
	}
	switch db.dialect {
	case SQLite:
		c, err := river.NewClient(riversqlite.New(db.sqlDB), cfg)
		if err != nil {
			return nil, fmt.Errorf("new river client: %w", err)
		}
		return &Queue{sqlite: c}, nil
	default:
		c, err := river.NewClient(riverpgxv5.New(db.pgPool), cfg)
		if err != nil {
			return nil, fmt.Errorf("new river client: %w", err)
		}
		return &Queue{pg: c}, nil
	}
}

// SQLiteClient is the River client on SQLite (nil on Postgres).
func (q *Queue) SQLiteClient() *river.Client[*sql.Tx] { return q.sqlite }

// PgxClient is the River client on Postgres (nil on SQLite).
func (q *Queue) PgxClient() *river.Client[pgx.Tx] { return q.pg }

// Start starts working jobs (see river.Client.Start).
func (q *Queue) Start(ctx context.Context) error {
	if q.sqlite != nil {
		return q.sqlite.Start(ctx)
	}
	return q.pg.Start(ctx)
}

// Stop waits for running jobs to finish or ctx to end (see river.Client.Stop).
func (q *Queue) Stop(ctx context.Context) error {
	if q.sqlite != nil {
		return q.sqlite.Stop(ctx)
	}
	return q.pg.Stop(ctx)
}

// StopAndCancel cancels the running jobs' contexts and waits until they
// return or ctx ends (see river.Client.StopAndCancel). Jobs cancelled this
// way did not commit their work and are run again later.
func (q *Queue) StopAndCancel(ctx context.Context) error {
	if q.sqlite != nil {
		return q.sqlite.StopAndCancel(ctx)
	}
	return q.pg.StopAndCancel(ctx)
}

// Subscribe delivers River's events of the given kinds (see river.Client.Subscribe).
func (q *Queue) Subscribe(kinds ...river.EventKind) (<-chan *river.Event, func()) {
	if q.sqlite != nil {
		return q.sqlite.Subscribe(kinds...)
	}
	return q.pg.Subscribe(kinds...)
}

// Insert enqueues a job outside any transaction.
func (q *Queue) Insert(ctx context.Context, args river.JobArgs, opts *river.InsertOpts) (*rivertype.JobInsertResult, error) {
	if q.sqlite != nil {
		return q.sqlite.Insert(ctx, args, opts)
	}
	return q.pg.Insert(ctx, args, opts)
}

// InsertTx enqueues a job in tx, so that it exists exactly when tx commits:
// the way to move a document and schedule its next stage atomically.
func (q *Queue) InsertTx(ctx context.Context, tx *Tx, args river.JobArgs, opts *river.InsertOpts) (*rivertype.JobInsertResult, error) {
	switch {
	case tx == nil:
		return nil, errors.New("insert job: nil transaction (use Insert)")
	case q.sqlite != nil && tx.sqlTx != nil:
		return q.sqlite.InsertTx(ctx, tx.sqlTx, args, opts)
	case q.pg != nil && tx.pgxTx != nil:
		return q.pg.InsertTx(ctx, tx.pgxTx, args, opts)
	}
	return nil, errors.New("insert job: the transaction belongs to the other database dialect")
}

// CompleteJobTx marks the running job completed in tx, so that a worker's
// writes and the job's completion commit together (see river.JobCompleteTx).
// It must be called from inside the job's Work, whose ctx carries the client.
func CompleteJobTx[T river.JobArgs](ctx context.Context, tx *Tx, job *river.Job[T]) error {
	if tx == nil {
		return errors.New("complete job: nil transaction")
	}
	var err error
	if tx.sqlTx != nil {
		_, err = river.JobCompleteTx[*riversqlite.Driver](ctx, tx.sqlTx, job)
	} else {
		_, err = river.JobCompleteTx[*riverpgxv5.Driver](ctx, tx.pgxTx, job)
	}
	if err != nil {
		return fmt.Errorf("complete job %d in transaction: %w", job.ID, err)
	}
	return nil
}

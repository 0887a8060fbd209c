package db

import (
	"context"
	"fmt"
)

// The two outboxes — ledger deliveries and state webhooks — move their rows
// through the same states (pending → delivered, or pending → dead after
// the last attempt); these are the transitions they share, each one
// statement whose row count says whether the row was still pending.

// outboxFailed records a failed attempt of a pending outbox row (deadSQL
// on the last attempt, attemptSQL before it; both take id, reason, time).
// A row no longer pending is ErrConflict.
func (db *DB) outboxFailed(ctx context.Context, tx *Tx, what string, deadSQL, attemptSQL string, id int64, reason string, last bool) error {
	op := fmt.Sprintf("record failed %s %d", what, id)
	stmt := attemptSQL
	if last {
		stmt = deadSQL
	}
	n, err := db.c(tx).exec(ctx, stmt, id, reason, db.q.timeArg(now()))
	if err != nil {
		return db.q.translate(op, err)
	}
	if n == 0 {
		return fail(op, ErrConflict, "%s is not pending", what)
	}
	return nil
}

// outboxDelivered marks a pending outbox row delivered (deliveredSQL takes
// id, time). A row no longer pending is ErrConflict.
func (db *DB) outboxDelivered(ctx context.Context, tx *Tx, what string, deliveredSQL string, id int64) error {
	op := fmt.Sprintf("record %s %d", what, id)
	n, err := db.c(tx).exec(ctx, deliveredSQL, id, db.q.timeArg(now()))
	if err != nil {
		return db.q.translate(op, err)
	}
	if n == 0 {
		return fail(op, ErrConflict, "%s is not pending", what)
	}
	return nil
}

package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/pervichka/pervichka"
)

// StateChange is one move of a document between states, or its creation
// (From ""), as the hook set by OnStateChange sees it: in the transaction
// that makes it, after its history row is written.
type StateChange struct {
	DocumentID  int64
	From        State // "" when the document was just created
	To          State
	At          time.Time
	Actor       string
	Reason      string              // Russian, as the document's history has it
	FailureCode pervichka.ErrorCode // set only with To == StateFailed
}

// StateHook is called in the transaction of every state change; an error
// rolls the change back.
type StateHook func(ctx context.Context, tx *Tx, c StateChange) error

// OnStateChange makes every state change made through this DB from now on
// — CreateDocument, Transition, Fail, and SplitPages' new document — call h
// in its transaction, after the history row is written. An error from h
// rolls the change back: the change and what h writes (the state webhook's
// outbox row and job) commit together or not at all. nil removes the hook.
//
// Limits: the hook is this process's, not the database's: another process
// on the same database calls its own hook or none, so every process that
// changes documents must be given the same one (serve does so in every
// role). NoteEvent, which changes no state, does not call it.
func (db *DB) OnStateChange(h StateHook) {
	if h == nil {
		db.hook.Store(nil)
		return
	}
	db.hook.Store(&h)
}

// stateChanged runs the hook, if any, for a change just written in tx.
func (db *DB) stateChanged(ctx context.Context, tx *Tx, c StateChange) error {
	h := db.hook.Load()
	if h == nil {
		return nil
	}
	if err := (*h)(ctx, tx, c); err != nil {
		return fmt.Errorf("state change hook of document %d (%s → %s): %w", c.DocumentID, c.From, c.To, err)
	}
	return nil
}

// StateWebhook is the outbox row of one state change: what the state
// webhook sends, and where its delivery stands.
type StateWebhook struct {
	ID int64 // increases with each change of a document, in the order they were made
	StateChange
	State       DeliveryState
	Attempts    int
	LastError   string
	CreatedAt   time.Time
	UpdatedAt   time.Time
	DeliveredAt time.Time // zero until delivered
}

// stateWebhookQueries are the state webhook's statements, the same text on
// both dialects.
type stateWebhookQueries struct {
	insert, byID, next, attempt, delivered, dead, resend, list, pendingDocs string
}

var stateWebhookSQL = func() stateWebhookQueries {
	const cols = `id, document_id, from_state, to_state, at, actor, reason, failure_code,
		state, attempts, last_error, created_at, updated_at, delivered_at`
	return stateWebhookQueries{
		insert: `INSERT INTO state_webhooks (document_id, from_state, to_state, at, actor, reason, failure_code,
			state, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, 'pending', $8, $8) RETURNING ` + cols,
		byID: `SELECT ` + cols + ` FROM state_webhooks WHERE id = $1`,
		// The oldest change of the document not yet delivered: the next to
		// send, or a dead one holding back the rest.
		next: `SELECT ` + cols + ` FROM state_webhooks WHERE document_id = $1 AND state <> 'delivered' ORDER BY id LIMIT 1`,
		attempt: `UPDATE state_webhooks SET attempts = attempts + 1, last_error = $2, updated_at = $3
			WHERE id = $1 AND state = 'pending'`,
		delivered: `UPDATE state_webhooks SET attempts = attempts + 1, last_error = '', state = 'delivered',
			delivered_at = $2, updated_at = $2 WHERE id = $1 AND state = 'pending'`,
		dead: `UPDATE state_webhooks SET attempts = attempts + 1, last_error = $2, state = 'dead', updated_at = $3
			WHERE id = $1 AND state = 'pending'`,
		// A resent change gets a whole round of attempts again; its last
		// error stays until the next attempt, for the admin who resent it.
		resend: `UPDATE state_webhooks SET state = 'pending', attempts = 0, updated_at = $2
			WHERE id = $1 AND state = 'dead' RETURNING ` + cols,
		list:        `SELECT ` + cols + ` FROM state_webhooks WHERE state = $1 AND id > $2 ORDER BY id LIMIT $3`,
		pendingDocs: `SELECT DISTINCT document_id FROM state_webhooks WHERE state = 'pending' AND document_id > $1 ORDER BY document_id LIMIT $2`,
	}
}()

// InsertStateWebhook records a pending delivery of the change, in tx.
func (db *DB) InsertStateWebhook(ctx context.Context, tx *Tx, c StateChange) (StateWebhook, error) {
	op := fmt.Sprintf("insert state webhook of document %d", c.DocumentID)
	at := now()
	w, err := scanStateWebhook(db.c(tx).queryRow(ctx, stateWebhookSQL.insert, c.DocumentID, nullString(string(c.From)),
		string(c.To), db.q.timeArg(c.At), c.Actor, c.Reason, nullString(string(c.FailureCode)), db.q.timeArg(at)))
	return w, db.q.translate(op, err)
}

// StateWebhook reads one outbox row. tx may be nil.
func (db *DB) StateWebhook(ctx context.Context, tx *Tx, id int64) (StateWebhook, error) {
	w, err := scanStateWebhook(db.c(tx).queryRow(ctx, stateWebhookSQL.byID, id))
	return w, db.q.translate(fmt.Sprintf("get state webhook %d", id), err)
}

// NextStateWebhook is the document's oldest change not yet delivered: the
// one to send next when pending, or, when dead, the one that holds the
// later changes back until it is resent (a receiver never sees a
// document's changes out of order). ErrNotFound when every change of the
// document is delivered. tx may be nil.
func (db *DB) NextStateWebhook(ctx context.Context, tx *Tx, documentID int64) (StateWebhook, error) {
	w, err := scanStateWebhook(db.c(tx).queryRow(ctx, stateWebhookSQL.next, documentID))
	return w, db.q.translate(fmt.Sprintf("next state webhook of document %d", documentID), err)
}

// StateWebhookFailed records a failed attempt of a pending row; when last
// is set the row becomes dead. A row no longer pending is ErrConflict.
// tx may be nil.
func (db *DB) StateWebhookFailed(ctx context.Context, tx *Tx, id int64, reason string, last bool) error {
	return db.outboxFailed(ctx, tx, "state webhook", stateWebhookSQL.dead, stateWebhookSQL.attempt, id, reason, last)
}

// StateWebhookDelivered marks a pending row delivered. A row no longer
// pending is ErrConflict. tx may be nil.
func (db *DB) StateWebhookDelivered(ctx context.Context, tx *Tx, id int64) error {
	return db.outboxDelivered(ctx, tx, "state webhook", stateWebhookSQL.delivered, id)
}

// ResendStateWebhook moves a dead row back to pending with its attempts
// reset (the caller enqueues the document's job in the same tx). A row
// that is not dead is ErrConflict.
func (db *DB) ResendStateWebhook(ctx context.Context, tx *Tx, id int64) (StateWebhook, error) {
	op := fmt.Sprintf("resend state webhook %d", id)
	w, err := scanStateWebhook(db.c(tx).queryRow(ctx, stateWebhookSQL.resend, id, db.q.timeArg(now())))
	if err := db.q.translate(op, err); errors.Is(err, ErrNotFound) {
		cur, err := db.StateWebhook(ctx, tx, id)
		if err != nil {
			return StateWebhook{}, err
		}
		return StateWebhook{}, fail(op, ErrConflict, "state webhook is %s, not dead", cur.State)
	} else if err != nil {
		return StateWebhook{}, err
	}
	return w, nil
}

// StateWebhooks lists up to limit rows in state with an id above after,
// oldest first: the dead letters an admin reviews.
func (db *DB) StateWebhooks(ctx context.Context, state DeliveryState, after int64, limit int) ([]StateWebhook, error) {
	op := fmt.Sprintf("list %s state webhooks", state)
	if limit <= 0 || limit > MaxListLimit {
		return nil, fmt.Errorf("%s: limit %d outside 1..%d", op, limit, MaxListLimit)
	}
	return queryAll(ctx, db, db.conn(), op, scanStateWebhook, stateWebhookSQL.list, string(state), after, limit)
}

// PendingStateWebhookDocuments lists up to limit documents, with ids above
// after, that have a pending state webhook: what a starting process
// enqueues again in case a job was lost.
func (db *DB) PendingStateWebhookDocuments(ctx context.Context, after int64, limit int) ([]int64, error) {
	const op = "list documents with pending state webhooks"
	if limit <= 0 || limit > MaxListLimit {
		return nil, fmt.Errorf("%s: limit %d outside 1..%d", op, limit, MaxListLimit)
	}
	rs, err := db.conn().query(ctx, stateWebhookSQL.pendingDocs, after, limit)
	if err != nil {
		return nil, db.q.translate(op, err)
	}
	defer rs.Close()
	var out []int64
	for rs.Next() {
		var id int64
		if err := rs.Scan(&id); err != nil {
			return nil, db.q.translate(op, err)
		}
		out = append(out, id)
	}
	return out, db.q.translate(op, rs.Err())
}

func scanStateWebhook(r row) (StateWebhook, error) {
	var w StateWebhook
	var from, failure sql.NullString
	var to, state string
	var delivered scanNullTime
	err := r.Scan(&w.ID, &w.DocumentID, &from, &to, scanTime{&w.At}, &w.Actor, &w.Reason, &failure,
		&state, &w.Attempts, &w.LastError, scanTime{&w.CreatedAt}, scanTime{&w.UpdatedAt}, &delivered)
	if err != nil {
		return StateWebhook{}, err
	}
	w.From, w.To, w.FailureCode = State(from.String), State(to), pervichka.ErrorCode(failure.String)
	w.State, w.DeliveredAt = DeliveryState(state), delivered.t
	return w, nil
}

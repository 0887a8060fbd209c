package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// Errors the store returns, to test with errors.Is. Every error the store
// returns is wrapped with the operation and the engine's own error, so the
// message says what failed and the sentinel says what to do about it.
var (
	// ErrNotFound: no document with that id (or sha256).
	ErrNotFound = errors.New("not found")
	// ErrDuplicate: a unique key already holds the value.
	ErrDuplicate = errors.New("duplicate")
	// ErrConflict: a transition's from-state was no longer the document's
	// state, because another writer moved it first. Re-read and decide again.
	ErrConflict = errors.New("state changed concurrently")
	// ErrStale: a write carried a version that is no longer current.
	ErrStale = errors.New("stale version")
	// ErrIllegalTransition: the state machine has no such edge.
	ErrIllegalTransition = errors.New("illegal state transition")
	// ErrTransient: the engine refused for now (busy, locked, serialization
	// failure, deadlock, lost connection); the same call may succeed later.
	ErrTransient = errors.New("transient database error")
)

// IsTransient reports whether err is worth retrying as is.
func IsTransient(err error) bool { return errors.Is(err, ErrTransient) }

// storeError carries an operation, a sentinel and the engine's error; errors.Is
// finds either, and the message shows the engine's own words.
type storeError struct {
	op   string
	kind error // one of the sentinels above, or nil
	err  error
}

func (e *storeError) Error() string {
	if e.kind != nil && e.err == nil {
		return e.op + ": " + e.kind.Error()
	}
	if e.kind != nil && e.kind != ErrNotFound {
		return e.op + ": " + e.kind.Error() + ": " + e.err.Error()
	}
	return e.op + ": " + e.err.Error()
}

func (e *storeError) Unwrap() []error {
	var out []error
	if e.kind != nil {
		out = append(out, e.kind)
	}
	if e.err != nil {
		out = append(out, e.err)
	}
	return out
}

// fail builds a store error that the engine did not raise (a missing row found
// by RowsAffected, a refused transition).
func fail(op string, kind error, format string, args ...any) error {
	return &storeError{op: op, kind: kind, err: fmt.Errorf(format, args...)}
}

// translateSQLite is the one place SQLite's errors become the store's.
func translateSQLite(op string, err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, sql.ErrNoRows) {
		return &storeError{op: op, kind: ErrNotFound, err: err}
	}
	var se *sqlite.Error
	if errors.As(err, &se) {
		code := se.Code()
		switch {
		case code == sqlite3.SQLITE_CONSTRAINT_UNIQUE, code == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
			return &storeError{op: op, kind: ErrDuplicate, err: err}
		case code&0xff == sqlite3.SQLITE_BUSY, code&0xff == sqlite3.SQLITE_LOCKED:
			return &storeError{op: op, kind: ErrTransient, err: err}
		}
	}
	return &storeError{op: op, err: err}
}

// translatePostgres is the one place Postgres's errors become the store's.
func translatePostgres(op string, err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, pgx.ErrNoRows) {
		return &storeError{op: op, kind: ErrNotFound, err: err}
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch pe.Code {
		case "23505": // unique_violation
			return &storeError{op: op, kind: ErrDuplicate, err: err}
		case "40001", "40P01", "55P03", "57P03": // serialization_failure, deadlock_detected, lock_not_available, cannot_connect_now
			return &storeError{op: op, kind: ErrTransient, err: err}
		}
		return &storeError{op: op, err: err}
	}
	// A connection that broke before the server answered; canceled contexts
	// are the caller's doing and stay non-transient.
	if pgconn.SafeToRetry(err) || pgconn.Timeout(err) && !errors.Is(err, context.Canceled) && !errors.Is(err, context.DeadlineExceeded) {
		return &storeError{op: op, kind: ErrTransient, err: err}
	}
	return &storeError{op: op, err: err}
}

// Package db keeps Pervichka's documents, their pages and their state history
// in SQL, beside River's job tables, on one of two engines chosen by URL:
// embedded SQLite (modernc.org/sqlite, no cgo) for a single-box deployment, or
// PostgreSQL (pgx v5) for a shared one. Both run the same Go code; only the SQL
// text, the migrations and the error translation are per dialect.
//
// The store's writes take a *Tx so that a pipeline can change a document and
// enqueue its next River job in one transaction (see Queue.InsertTx): either
// both happen or neither does.
//
// Limits: SQLite is opened with a single connection (SQLite has one writer;
// River's SQLite driver asks for this), so every caller queues behind whichever
// transaction is open. Never call a method with a nil tx, or open another
// transaction, while holding a *Tx on SQLite: the second request waits for the
// one connection and the goroutine deadlocks until its context ends.
package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"strings"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	_ "modernc.org/sqlite" // registers the "sqlite" database/sql driver
)

// Dialect names the SQL engine behind a DB.
type Dialect string

const (
	SQLite   Dialect = "sqlite"
	Postgres Dialect = "postgres"
)

// DB is an open database with Pervichka's store on it. It is safe for
// concurrent use. Exactly one of the two pools is set, by dialect.
type DB struct {
	dialect Dialect
	sqlDB   *sql.DB       // SQLite
	pgPool  *pgxpool.Pool // Postgres
	q       *queries
	log     *slog.Logger
	path    string // the SQLite file; empty on Postgres
	// hook is called in the transaction of every state change (see
	// OnStateChange); nil for none.
	hook atomic.Pointer[StateHook]
}

// Open connects to the database named by url without changing it; call
// Migrate before use. Accepted forms:
//
//	sqlite:///abs/path/file.db   absolute path
//	sqlite:relative/file.db      path relative to the working directory
//	postgres://user@host:5432/db?sslmode=disable  (also postgresql://), any pgx option
//
// SQLite is opened in WAL mode with foreign keys on, a 5 s busy timeout (for
// another process on the same file) and IMMEDIATE transactions, so that a
// transaction takes the write lock at BEGIN rather than failing halfway when
// it first writes.
func Open(ctx context.Context, rawURL string, log *slog.Logger) (*DB, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	switch {
	case strings.HasPrefix(rawURL, "sqlite:"):
		path, err := sqlitePath(rawURL)
		if err != nil {
			return nil, err
		}
		return openSQLite(ctx, path, log)
	case strings.HasPrefix(rawURL, "postgres://"), strings.HasPrefix(rawURL, "postgresql://"):
		return openPostgres(ctx, rawURL, log)
	default:
		return nil, fmt.Errorf("open database: unsupported URL %q: want sqlite:PATH or postgres://", redact(rawURL))
	}
}

// sqlitePath extracts the file path from a sqlite: URL. Query parameters are
// refused rather than passed to the driver, so that the pragmas above cannot
// be overridden by accident.
func sqlitePath(rawURL string) (string, error) {
	rest := strings.TrimPrefix(rawURL, "sqlite:")
	if strings.HasPrefix(rest, "//") {
		rest = strings.TrimPrefix(rest, "//")
		if !strings.HasPrefix(rest, "/") {
			return "", fmt.Errorf("open database: %q names a host; use sqlite:///abs/path or sqlite:relative/path", rawURL)
		}
	}
	if strings.ContainsAny(rest, "?#") {
		return "", fmt.Errorf("open database: %q: sqlite URLs take no query or fragment", rawURL)
	}
	if rest == "" || rest == "/" || strings.HasSuffix(rest, "/") {
		return "", fmt.Errorf("open database: %q names no file", rawURL)
	}
	if strings.HasPrefix(rest, ":memory:") || strings.HasPrefix(rest, "file:") {
		return "", fmt.Errorf("open database: %q: only files are supported (an in-memory database would vanish with the connection)", rawURL)
	}
	return rest, nil
}

func openSQLite(ctx context.Context, path string, log *slog.Logger) (*DB, error) {
	dsn := (&url.URL{Scheme: "file", Opaque: path, RawQuery: url.Values{
		"_txlock": {"immediate"},
		"_pragma": {"foreign_keys(1)", "journal_mode(WAL)", "busy_timeout(5000)", "synchronous(NORMAL)"},
	}.Encode()}).String()
	sqlDB, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("open sqlite %s: %w", path, err)
	}
	// One writer: see the package comment.
	sqlDB.SetMaxOpenConns(1)
	sqlDB.SetMaxIdleConns(1)
	sqlDB.SetConnMaxLifetime(0)
	sqlDB.SetConnMaxIdleTime(0)
	if err := sqlDB.PingContext(ctx); err != nil {
		_ = sqlDB.Close()
		return nil, fmt.Errorf("open sqlite %s: %w", path, err)
	}
	log.Debug("database opened", "dialect", SQLite, "path", path)
	return &DB{dialect: SQLite, sqlDB: sqlDB, q: sqliteQueries, log: log, path: path}, nil
}

func openPostgres(ctx context.Context, rawURL string, log *slog.Logger) (*DB, error) {
	cfg, err := pgxpool.ParseConfig(rawURL)
	if err != nil {
		// pgx's parse errors may quote the URL, password included.
		return nil, fmt.Errorf("open postgres %s: invalid URL", redact(rawURL))
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("open postgres %s: %w", redact(rawURL), err)
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("open postgres %s: %w", redact(rawURL), err)
	}
	log.Debug("database opened", "dialect", Postgres, "url", redact(rawURL))
	return &DB{dialect: Postgres, pgPool: pool, q: postgresQueries, log: log}, nil
}

// redact hides a password in a URL for logs and errors.
func redact(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.User == nil {
		if err != nil {
			return "<unparsable URL>"
		}
		return raw
	}
	return u.Redacted()
}

// Dialect reports which engine the DB runs on.
func (db *DB) Dialect() Dialect { return db.dialect }

// SQL returns the SQLite pool (nil on Postgres), for River's riversqlite
// driver and for tests. It has one connection: see the package comment.
func (db *DB) SQL() *sql.DB { return db.sqlDB }

// Pgx returns the Postgres pool (nil on SQLite), for River's riverpgxv5 driver.
func (db *DB) Pgx() *pgxpool.Pool { return db.pgPool }

// Close releases the pool. Stop any Queue built on the DB first.
func (db *DB) Close() error {
	if db.sqlDB != nil {
		return db.sqlDB.Close()
	}
	db.pgPool.Close()
	return nil
}

// Tx is a transaction on either engine. Store methods take one so that several
// writes, and a River job insert, commit together. A Tx is not safe for
// concurrent use; after Commit or Rollback it is spent.
type Tx struct {
	dialect Dialect
	sqlTx   *sql.Tx
	pgxTx   pgx.Tx
	c       conn
	q       *queries
}

// Begin opens a transaction. On SQLite it takes the write lock at once
// (BEGIN IMMEDIATE) and holds the only connection until Commit or Rollback.
func (db *DB) Begin(ctx context.Context) (*Tx, error) {
	if db.sqlDB != nil {
		t, err := db.sqlDB.BeginTx(ctx, nil)
		if err != nil {
			return nil, db.q.translate("begin", err)
		}
		return &Tx{dialect: SQLite, sqlTx: t, c: sqlConn{t}, q: db.q}, nil
	}
	t, err := db.pgPool.Begin(ctx)
	if err != nil {
		return nil, db.q.translate("begin", err)
	}
	return &Tx{dialect: Postgres, pgxTx: t, c: pgxConn{t}, q: db.q}, nil
}

// Commit makes the transaction's writes visible.
func (tx *Tx) Commit(ctx context.Context) error {
	var err error
	if tx.sqlTx != nil {
		err = tx.sqlTx.Commit()
	} else {
		err = tx.pgxTx.Commit(ctx)
	}
	return tx.q.translate("commit", err)
}

// Rollback discards the transaction. Rolling back a spent transaction is not
// an error, so `defer tx.Rollback(ctx)` is always safe.
func (tx *Tx) Rollback(ctx context.Context) error {
	var err error
	if tx.sqlTx != nil {
		err = tx.sqlTx.Rollback()
		if errors.Is(err, sql.ErrTxDone) {
			err = nil
		}
	} else {
		err = tx.pgxTx.Rollback(ctx)
		if errors.Is(err, pgx.ErrTxClosed) {
			err = nil
		}
	}
	return tx.q.translate("rollback", err)
}

// SQL returns the underlying SQLite transaction (nil on Postgres).
func (tx *Tx) SQL() *sql.Tx { return tx.sqlTx }

// Pgx returns the underlying Postgres transaction (nil on SQLite).
func (tx *Tx) Pgx() pgx.Tx { return tx.pgxTx }

// InTx runs fn in a transaction and commits it when fn returns nil; otherwise
// it rolls back and returns fn's error. It does not retry: whether a transient
// error (IsTransient) is worth a retry is the caller's call, and a River job
// gets retries for free.
func (db *DB) InTx(ctx context.Context, fn func(tx *Tx) error) error {
	tx, err := db.Begin(ctx)
	if err != nil {
		return err
	}
	defer func() { _ = tx.Rollback(ctx) }()
	if err := fn(tx); err != nil {
		return err
	}
	return tx.Commit(ctx)
}

// conn is the little of database/sql and pgx that the store needs, so that one
// Go function runs a dialect's query on a pool or a transaction alike.
type conn interface {
	exec(ctx context.Context, query string, args ...any) (rowsAffected int64, err error)
	queryRow(ctx context.Context, query string, args ...any) row
	query(ctx context.Context, query string, args ...any) (rows, error)
}

type row interface{ Scan(dest ...any) error }

// queryAll runs query on c and scans every row with scan: the loop every
// list of the store would otherwise write out. Errors are translated under
// op.
func queryAll[T any](ctx context.Context, db *DB, c conn, op string, scan func(row) (T, error), query string, args ...any) ([]T, error) {
	rs, err := c.query(ctx, query, args...)
	if err != nil {
		return nil, db.q.translate(op, err)
	}
	defer rs.Close()
	var out []T
	for rs.Next() {
		v, err := scan(rs)
		if err != nil {
			return nil, db.q.translate(op, err)
		}
		out = append(out, v)
	}
	return out, db.q.translate(op, rs.Err())
}

type rows interface {
	Next() bool
	Scan(dest ...any) error
	Err() error
	Close()
}

func (db *DB) conn() conn {
	if db.sqlDB != nil {
		return sqlConn{db.sqlDB}
	}
	return pgxConn{db.pgPool}
}

type sqlQuerier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

type sqlConn struct{ q sqlQuerier }

func (c sqlConn) exec(ctx context.Context, query string, args ...any) (int64, error) {
	res, err := c.q.ExecContext(ctx, query, args...)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

func (c sqlConn) queryRow(ctx context.Context, query string, args ...any) row {
	return c.q.QueryRowContext(ctx, query, args...)
}

func (c sqlConn) query(ctx context.Context, query string, args ...any) (rows, error) {
	r, err := c.q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	return sqlRows{r}, nil
}

type sqlRows struct{ *sql.Rows }

func (r sqlRows) Close() { _ = r.Rows.Close() }

type pgxQuerier interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
}

type pgxConn struct{ q pgxQuerier }

func (c pgxConn) exec(ctx context.Context, query string, args ...any) (int64, error) {
	tag, err := c.q.Exec(ctx, query, args...)
	if err != nil {
		return 0, err
	}
	return tag.RowsAffected(), nil
}

func (c pgxConn) queryRow(ctx context.Context, query string, args ...any) row {
	return c.q.QueryRow(ctx, query, args...)
}

func (c pgxConn) query(ctx context.Context, query string, args ...any) (rows, error) {
	return c.q.Query(ctx, query, args...)
}

// now is the store's clock: UTC and whole microseconds, the precision both
// engines keep, so that a time read back equals the time written.
func now() time.Time { return time.Now().UTC().Truncate(time.Microsecond) }

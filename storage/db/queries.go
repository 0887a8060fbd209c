package db

import (
	"fmt"
	"time"
)

// queries holds one dialect's SQL and the few value conversions that differ
// between the engines. The statements are written out in full for each
// dialect, even where they happen to match, so that each reads as the SQL
// that runs. Both engines take $N placeholders (modernc.org/sqlite binds $N
// by number).
type queries struct {
	dialect   Dialect
	translate func(op string, err error) error
	timeArg   func(time.Time) any
	dateArg   func(time.Time) any
	jsonArg   func([]byte) any

	migrationsLock   string // Postgres only: session advisory lock around Migrate
	migrationsUnlock string
	migrationsCreate string
	migrationsList   string
	migrationsInsert string

	insertDocument string
	documentByID   string
	documentBySHA  string
	listByState    string
	duplicates     string
	group          string
	transition     string
	stateOf        string
	saveResult     string
	versionOf      string
	insertEvent    string
	events         string
	lockDocument   string
	insertPage     string
	finishPage     string
	pages          string
	pendingPages   string
	pageCount      string
}

// sqliteTime is the one text form of a time in SQLite: fixed width, UTC, so
// that text order is time order (see migrations/sqlite).
const sqliteTime = "2006-01-02T15:04:05.000000Z"

const sqliteDocColumns = `id, sha256, object_key, file_name, content_type, size_bytes, source, sender,
	state, failure_code, failure_reason, result, doc_type, number, doc_date, supplier_inn, buyer_inn,
	total_kopecks, version, group_id, created_at, updated_at`

var sqliteQueries = withDocumentQueries(&queries{
	dialect:   SQLite,
	translate: translateSQLite,
	timeArg:   func(t time.Time) any { return t.UTC().Format(sqliteTime) },
	dateArg:   func(t time.Time) any { return t.Format(time.DateOnly) },
	jsonArg: func(b []byte) any {
		if b == nil {
			return nil
		}
		return string(b) // STRICT TEXT column: a []byte would bind as BLOB
	},

	migrationsCreate: `CREATE TABLE IF NOT EXISTS schema_migrations (
		version    INTEGER PRIMARY KEY,
		name       TEXT NOT NULL,
		applied_at TEXT NOT NULL
	) STRICT`,
	migrationsList:   `SELECT version FROM schema_migrations ORDER BY version`,
	migrationsInsert: `INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)`,
}, sqliteDocColumns)

// Postgres keeps doc_date as a date; it is read back as text in ISO form
// whatever the session's DateStyle.
const postgresDocColumns = `id, sha256, object_key, file_name, content_type, size_bytes, source, sender,
	state, failure_code, failure_reason, result, doc_type, number, to_char(doc_date, 'YYYY-MM-DD'),
	supplier_inn, buyer_inn, total_kopecks, version, group_id, created_at, updated_at`

var postgresQueries = withDocumentQueries(&queries{
	dialect:   Postgres,
	translate: translatePostgres,
	timeArg:   func(t time.Time) any { return t.UTC() },
	dateArg:   func(t time.Time) any { return t },
	jsonArg: func(b []byte) any {
		if b == nil {
			return nil
		}
		return b // pgx sends []byte to jsonb as raw JSON text
	},

	// Two processes starting at once must not both run a migration: the
	// advisory lock serialises them; the second then sees the first's
	// versions and does nothing.
	migrationsLock:   `SELECT pg_advisory_lock(hashtext('pervichka schema_migrations'))`,
	migrationsUnlock: `SELECT pg_advisory_unlock(hashtext('pervichka schema_migrations'))`,
	migrationsCreate: `CREATE TABLE IF NOT EXISTS schema_migrations (
		version    integer PRIMARY KEY,
		name       text NOT NULL,
		applied_at timestamptz NOT NULL
	)`,
	migrationsList:   `SELECT version FROM schema_migrations ORDER BY version`,
	migrationsInsert: `INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)`,
}, postgresDocColumns)

// scanTime reads a time from either engine: Postgres hands over a time.Time,
// SQLite the fixed-width text written by timeArg (or by a column default).
type scanTime struct{ t *time.Time }

func (s scanTime) Scan(v any) error {
	switch x := v.(type) {
	case time.Time:
		*s.t = x.UTC()
		return nil
	case string:
		return s.parse(x)
	case []byte:
		return s.parse(string(x))
	default:
		return fmt.Errorf("scan time: unexpected %T", v)
	}
}

func (s scanTime) parse(text string) error {
	t, err := time.Parse(time.RFC3339Nano, text)
	if err != nil {
		return fmt.Errorf("scan time %q: %w", text, err)
	}
	*s.t = t.UTC()
	return nil
}

// withDocumentQueries fills in the statements both dialects share; they
// differ only in how the document columns are read (docCols).
func withDocumentQueries(q *queries, docCols string) *queries {
	shared := queries{
		insertDocument: `INSERT INTO documents (sha256, object_key, file_name, content_type, size_bytes,
			source, sender, state, group_id, version, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, 'received', $8, 1, $9, $9)
			ON CONFLICT (sha256) DO NOTHING
			RETURNING ` + docCols,
		documentByID:  `SELECT ` + docCols + ` FROM documents WHERE id = $1`,
		documentBySHA: `SELECT ` + docCols + ` FROM documents WHERE sha256 = $1`,
		listByState: `SELECT ` + docCols + ` FROM documents
			WHERE state = $1 AND (created_at, id) > ($2, $3)
			ORDER BY created_at, id LIMIT $4`,
		duplicates: `SELECT ` + docCols + ` FROM documents
			WHERE supplier_inn = $1 AND number = $2 AND doc_date = $3
			ORDER BY id`,
		group: `SELECT ` + docCols + ` FROM documents WHERE group_id = $1 ORDER BY id`,
		transition: `UPDATE documents
			SET state = $1, failure_code = $2, failure_reason = $3, version = version + 1, updated_at = $4
			WHERE id = $5 AND state = $6
			RETURNING version`,
		stateOf: `SELECT state FROM documents WHERE id = $1`,
		saveResult: `UPDATE documents
			SET result = $1, doc_type = $2, number = $3, doc_date = $4, supplier_inn = $5, buyer_inn = $6,
			    total_kopecks = $7, version = version + 1, updated_at = $8
			WHERE id = $9 AND version = $10
			RETURNING version`,
		versionOf: `SELECT version FROM documents WHERE id = $1`,
		insertEvent: `INSERT INTO document_events (document_id, at, actor, from_state, to_state, reason)
			VALUES ($1, $2, $3, $4, $5, $6)`,
		events: `SELECT id, document_id, at, actor, from_state, to_state, reason
			FROM document_events WHERE document_id = $1 ORDER BY id`,
		insertPage: `INSERT INTO document_pages (document_id, page_index, raw_key, source_dpi, image_key, words_key, dpi, decode_ms)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
			ON CONFLICT (document_id, page_index) DO NOTHING`,
		finishPage: `UPDATE document_pages SET image_key = $1, words_key = $2, dpi = $3,
			    decode_ms = decode_ms + $4, enhance_ms = $5, ocr_ms = $6
			WHERE document_id = $7 AND page_index = $8`,
		pages: `SELECT page_index, raw_key, source_dpi, image_key, words_key, dpi, decode_ms, enhance_ms, ocr_ms,
			    source_key, source_index
			FROM document_pages
			WHERE document_id = $1 ORDER BY page_index`,
		pendingPages: `SELECT count(*) FROM document_pages WHERE document_id = $1 AND words_key IS NULL`,
		pageCount:    `SELECT count(*) FROM document_pages WHERE document_id = $1`,
	}
	// SQLite transactions here are BEGIN IMMEDIATE: the whole database is
	// already locked for writing, so a plain read serves as the row lock.
	shared.lockDocument = shared.documentByID
	if q.dialect == Postgres {
		shared.lockDocument = shared.documentByID + ` FOR UPDATE`
	}
	q.insertDocument, q.documentByID, q.documentBySHA = shared.insertDocument, shared.documentByID, shared.documentBySHA
	q.listByState, q.duplicates, q.group = shared.listByState, shared.duplicates, shared.group
	q.transition, q.stateOf, q.saveResult, q.versionOf = shared.transition, shared.stateOf, shared.saveResult, shared.versionOf
	q.insertEvent, q.events = shared.insertEvent, shared.events
	q.lockDocument, q.insertPage, q.finishPage = shared.lockDocument, shared.insertPage, shared.finishPage
	q.pages, q.pendingPages, q.pageCount = shared.pages, shared.pendingPages, shared.pageCount
	return q
}

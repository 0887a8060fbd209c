package db

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/pervichka/pervichka"
)

// Source is how a file reached Pervichka.
type Source string

const (
	SourceUpload Source = "upload"
	SourceEmail  Source = "email"
)

// receivedReason is the creation event's reason: people read the history,
// so it is in Russian like every other event's.
var receivedReason = map[Source]string{
	SourceUpload: "загружен",
	SourceEmail:  "получен по электронной почте",
}

// NewDocument is what intake knows about a file when it stores one.
type NewDocument struct {
	SHA256      string // hex digest of the file's bytes; the deduplication key
	ObjectKey   string // where storage/objects keeps the original
	FileName    string // as sent; may be empty
	ContentType string
	Size        int64
	Source      Source
	Sender      string // e-mail address or user name; may be empty
	GroupID     string // shared by the files of one multi-file document; "" for none
	Actor       string // who stored it, for the first event; "intake" when empty
}

// Fields are the extracted values the store indexes outside the result JSON:
// the review queue shows them and the duplicate lookup searches them.
// Empty strings and a nil Total are stored as NULL.
type Fields struct {
	DocType     pervichka.DocType
	Number      string
	Date        string // YYYY-MM-DD
	SupplierINN string
	BuyerINN    string
	Total       *pervichka.Kopecks
}

// Document is a stored document.
type Document struct {
	ID            int64
	SHA256        string
	ObjectKey     string
	FileName      string
	ContentType   string
	Size          int64
	Source        Source
	Sender        string
	State         State
	FailureCode   pervichka.ErrorCode // set only in StateFailed
	FailureReason string
	Result        []byte // the extract output (pervichka.Result as JSON); nil until SaveResult
	Fields        Fields
	Version       int // bumped by every write; the optimistic lock of SaveResult
	GroupID       string
	CreatedAt     time.Time
	UpdatedAt     time.Time
}

// Cursor marks a place in a ListByState listing. The zero Cursor is the start.
type Cursor struct {
	CreatedAt time.Time
	ID        int64
}

// Cursor returns the position just after d, to pass as ListByState's after.
func (d Document) Cursor() Cursor { return Cursor{CreatedAt: d.CreatedAt, ID: d.ID} }

// Event is one row of a document's history. From is "" for the creation event.
type Event struct {
	ID         int64
	DocumentID int64
	At         time.Time
	Actor      string
	From       State
	To         State
	Reason     string
}

// Page records where a page's files live in object storage and whether it
// has been read.
type Page struct {
	Index     int
	RawKey    string  // the page's image before enhancement, when not read from the original itself
	SourceDPI float64 // resolution the source states for the page; 0 when unknown
	ImageKey  string  // the enhanced page image; "" for a PDF text layer or until read
	WordsKey  string  // the recognised words (pervichka.Page as JSON); "" until read
	DPI       int     // resolution of the enhanced image

	// SourceKey and SourceIndex say which file and page (0-based) the
	// page's picture is read from when RawKey is empty. SourceKey is ""
	// for a page still at its own document's original and Index; merging
	// and splitting set them when a page leaves that place (MovePages,
	// SplitPages). Use Source rather than reading them directly.
	SourceKey   string
	SourceIndex int

	// Milliseconds spent on the page: decoding (ingest records the whole
	// file's split on the first page; a page job adds its own decoding),
	// enhancing and OCR.
	DecodeMS, EnhanceMS, OCRMS int64
}

// Read reports whether the page's words are stored.
func (p Page) Read() bool { return p.WordsKey != "" }

// Source returns the object and the page in it (0-based) that hold the
// page's picture when it has no RawKey: the document's original at the
// page's index (originalKey is the document's ObjectKey), unless the page
// was moved from elsewhere.
func (p Page) Source(originalKey string) (key string, index int) {
	if p.SourceKey != "" {
		return p.SourceKey, p.SourceIndex
	}
	return originalKey, p.Index
}

var sha256Hex = regexp.MustCompile(`^[0-9a-f]{64}$`)

func (n NewDocument) validate() error {
	switch {
	case !sha256Hex.MatchString(n.SHA256):
		return fmt.Errorf("sha256 %q is not 64 lowercase hex digits", n.SHA256)
	case n.ObjectKey == "":
		return errors.New("object key is empty")
	case n.Size < 0:
		return fmt.Errorf("size %d is negative", n.Size)
	case n.Source != SourceUpload && n.Source != SourceEmail:
		return fmt.Errorf("source %q is neither upload nor email", n.Source)
	}
	return nil
}

// errForeignTx refuses a transaction begun on a DB of the other dialect,
// whose SQL would not fit.
var errForeignTx = errors.New("transaction belongs to a database of another dialect")

// c picks the transaction's connection, or the pool's when tx is nil.
func (db *DB) c(tx *Tx) conn {
	if tx == nil {
		return db.conn()
	}
	if tx.dialect != db.dialect {
		return errConn{errForeignTx}
	}
	return tx.c
}

// within runs fn in tx, or in a transaction of its own when tx is nil, for
// writes that must be atomic (a state change and its event row).
func (db *DB) within(ctx context.Context, tx *Tx, fn func(tx *Tx) error) error {
	if tx == nil {
		return db.InTx(ctx, fn)
	}
	if tx.dialect != db.dialect {
		return errForeignTx
	}
	return fn(tx)
}

// errConn fails every call with err.
type errConn struct{ err error }

func (c errConn) exec(context.Context, string, ...any) (int64, error) { return 0, c.err }
func (c errConn) queryRow(context.Context, string, ...any) row        { return errRow(c) }
func (c errConn) query(context.Context, string, ...any) (rows, error) { return nil, c.err }

type errRow struct{ err error }

func (r errRow) Scan(...any) error { return r.err }

// CreateDocument stores a newly received document in StateReceived with its
// first event. When a document with the same SHA256 exists it returns that
// one and created=false, so intake can answer "already have it" without an
// error. tx may be nil.
//
// The duplicate is caught with ON CONFLICT DO NOTHING rather than by catching
// a unique violation, because on Postgres a failed statement aborts the whole
// transaction, and the caller's transaction may hold a River job insert too.
func (db *DB) CreateDocument(ctx context.Context, tx *Tx, n NewDocument) (doc Document, created bool, err error) {
	const op = "create document"
	n.SHA256 = strings.ToLower(n.SHA256)
	if err := n.validate(); err != nil {
		return Document{}, false, fmt.Errorf("%s: %w", op, err)
	}
	if n.Actor == "" {
		n.Actor = "intake"
	}
	err = db.within(ctx, tx, func(tx *Tx) error {
		at := now()
		d, err := scanDocument(tx.c.queryRow(ctx, db.q.insertDocument,
			n.SHA256, n.ObjectKey, n.FileName, n.ContentType, n.Size, string(n.Source), n.Sender,
			nullString(n.GroupID), db.q.timeArg(at)))
		if err := db.q.translate(op, err); errors.Is(err, ErrNotFound) {
			// The conflict clause returned no row: the sha256 is taken.
			d, err := scanDocument(tx.c.queryRow(ctx, db.q.documentBySHA, n.SHA256))
			if err != nil {
				return db.q.translate(op+": read existing", err)
			}
			doc = d
			return nil
		} else if err != nil {
			return err
		}
		doc, created = d, true
		_, err = tx.c.exec(ctx, db.q.insertEvent, d.ID, db.q.timeArg(at), n.Actor, nil, string(StateReceived), receivedReason[n.Source])
		if err != nil {
			return db.q.translate(op+": event", err)
		}
		return db.stateChanged(ctx, tx, StateChange{DocumentID: d.ID, To: StateReceived, At: at, Actor: n.Actor, Reason: receivedReason[n.Source]})
	})
	return doc, created, err
}

// GetDocument reads one document. tx may be nil.
func (db *DB) GetDocument(ctx context.Context, tx *Tx, id int64) (Document, error) {
	d, err := scanDocument(db.c(tx).queryRow(ctx, db.q.documentByID, id))
	if err != nil {
		return Document{}, db.q.translate(fmt.Sprintf("get document %d", id), err)
	}
	return d, nil
}

// Transition moves a document from one state to another and appends the event
// in the same transaction, bumping the version. It refuses an edge the state
// machine lacks (ErrIllegalTransition) and, when the document is no longer in
// from — another writer moved it first — fails with ErrConflict and changes
// nothing. tx may be nil.
//
// Leaving StateFailed clears the failure code and reason. Entering it here
// records the code "internal"; Fail records a specific one.
func (db *DB) Transition(ctx context.Context, tx *Tx, id int64, from, to State, actor, reason string) error {
	if to == StateFailed {
		return db.transition(ctx, tx, id, from, to, actor, reason, pervichka.CodeInternal)
	}
	return db.transition(ctx, tx, id, from, to, actor, reason, "")
}

// Fail moves a document to StateFailed, recording the error code (from the
// root package's codes) and the reason both on the document and in the event.
func (db *DB) Fail(ctx context.Context, tx *Tx, id int64, from State, actor string, code pervichka.ErrorCode, reason string) error {
	if code == "" {
		code = pervichka.CodeInternal
	}
	return db.transition(ctx, tx, id, from, StateFailed, actor, reason, code)
}

func (db *DB) transition(ctx context.Context, tx *Tx, id int64, from, to State, actor, reason string, code pervichka.ErrorCode) error {
	op := fmt.Sprintf("transition document %d %s → %s", id, from, to)
	if err := checkTransition(from, to); err != nil {
		return &storeError{op: op, err: err}
	}
	if actor == "" {
		return fmt.Errorf("%s: actor is empty", op)
	}
	var failCode, failReason any
	if to == StateFailed {
		failCode, failReason = string(code), reason
	}
	return db.within(ctx, tx, func(tx *Tx) error {
		at := now()
		var version int
		err := tx.c.queryRow(ctx, db.q.transition, string(to), failCode, failReason, db.q.timeArg(at), id, string(from)).Scan(&version)
		if err := db.q.translate(op, err); errors.Is(err, ErrNotFound) {
			var current string
			if err := tx.c.queryRow(ctx, db.q.stateOf, id).Scan(&current); err != nil {
				return db.q.translate(op, err)
			}
			return fail(op, ErrConflict, "document is %s now", current)
		} else if err != nil {
			return err
		}
		_, err = tx.c.exec(ctx, db.q.insertEvent, id, db.q.timeArg(at), actor, string(from), string(to), reason)
		if err != nil {
			return db.q.translate(op+": event", err)
		}
		c := StateChange{DocumentID: id, From: from, To: to, At: at, Actor: actor, Reason: reason}
		if to == StateFailed {
			c.FailureCode = code
		}
		return db.stateChanged(ctx, tx, c)
	})
}

// SaveResult stores the extract output and its indexed fields if the document
// is still at version; it returns the new version. A writer holding an older
// version gets ErrStale and must re-read before deciding again: this is how a
// clerk's correction and a re-run of the pipeline avoid overwriting each
// other. The state is not changed (Transition does that). tx may be nil.
func (db *DB) SaveResult(ctx context.Context, tx *Tx, id int64, version int, result []byte, f Fields) (int, error) {
	op := fmt.Sprintf("save result of document %d", id)
	if result != nil && !json.Valid(result) {
		return 0, fmt.Errorf("%s: result is not valid JSON", op)
	}
	var date any
	if f.Date != "" {
		t, err := time.Parse(time.DateOnly, f.Date)
		if err != nil {
			return 0, fmt.Errorf("%s: date %q is not YYYY-MM-DD", op, f.Date)
		}
		date = db.q.dateArg(t)
	}
	var total any
	if f.Total != nil {
		total = int64(*f.Total)
	}
	c := db.c(tx)
	var newVersion int
	err := c.queryRow(ctx, db.q.saveResult, db.q.jsonArg(result), nullString(string(f.DocType)), nullString(f.Number), date,
		nullString(f.SupplierINN), nullString(f.BuyerINN), total, db.q.timeArg(now()), id, version).Scan(&newVersion)
	if err := db.q.translate(op, err); errors.Is(err, ErrNotFound) {
		var current int
		if err := c.queryRow(ctx, db.q.versionOf, id).Scan(&current); err != nil {
			return 0, db.q.translate(op, err)
		}
		return 0, fail(op, ErrStale, "version %d is not the current %d", version, current)
	} else if err != nil {
		return 0, err
	}
	return newVersion, nil
}

// ListByState returns up to limit documents in state, oldest first, after the
// cursor (the zero Cursor starts at the beginning). Pass the last document's
// Cursor() for the next page; a page shorter than limit is the last. Keyset
// paging keeps a page stable while documents arrive and leave the state,
// which OFFSET paging would not.
func (db *DB) ListByState(ctx context.Context, state State, limit int, after Cursor) ([]Document, error) {
	op := fmt.Sprintf("list %s documents", state)
	if !state.Valid() {
		return nil, fmt.Errorf("%s: unknown state", op)
	}
	if limit <= 0 || limit > 1000 {
		return nil, fmt.Errorf("%s: limit %d outside 1..1000", op, limit)
	}
	return db.documents(ctx, nil, op, db.q.listByState, string(state), db.q.timeArg(after.CreatedAt), after.ID, limit)
}

// FindDuplicates returns the documents with the same supplier INN, number and
// date, in id order: candidates for "this invoice was already sent".
func (db *DB) FindDuplicates(ctx context.Context, supplierINN, number, date string) ([]Document, error) {
	return db.FindDuplicatesTx(ctx, nil, supplierINN, number, date)
}

// FindDuplicatesTx is FindDuplicates in tx (nil for none). To see a
// duplicate that another transaction is about to write, hold LockKey on the
// same (ИНН, number, date) first.
func (db *DB) FindDuplicatesTx(ctx context.Context, tx *Tx, supplierINN, number, date string) ([]Document, error) {
	op := "find duplicates"
	t, err := time.Parse(time.DateOnly, date)
	if err != nil {
		return nil, fmt.Errorf("%s: date %q is not YYYY-MM-DD", op, date)
	}
	return db.documents(ctx, tx, op, db.q.duplicates, supplierINN, number, db.q.dateArg(t))
}

// GroupDocuments returns the documents sharing groupID (the files of one
// multi-file document), in id order.
// tx may be nil.
func (db *DB) GroupDocuments(ctx context.Context, tx *Tx, groupID string) ([]Document, error) {
	if groupID == "" {
		return nil, errors.New("group documents: empty group id")
	}
	return db.documents(ctx, tx, "group documents "+groupID, db.q.group, groupID)
}

func (db *DB) documents(ctx context.Context, tx *Tx, op, query string, args ...any) ([]Document, error) {
	return queryAll(ctx, db, db.c(tx), op, scanDocument, query, args...)
}

// Events returns a document's history in the order it was written. Every
// document has at least its creation event, so none means no such document.
// Order is by event id: on Postgres ids are drawn at insert, and a document's
// transitions hold its row lock until commit, so one document's ids follow
// its commit order.
func (db *DB) Events(ctx context.Context, id int64) ([]Event, error) {
	op := fmt.Sprintf("events of document %d", id)
	rs, err := db.conn().query(ctx, db.q.events, id)
	if err != nil {
		return nil, db.q.translate(op, err)
	}
	defer rs.Close()
	var out []Event
	for rs.Next() {
		var e Event
		var from sql.NullString
		var to string
		if err := rs.Scan(&e.ID, &e.DocumentID, scanTime{&e.At}, &e.Actor, &from, &to, &e.Reason); err != nil {
			return nil, db.q.translate(op, err)
		}
		e.From, e.To = State(from.String), State(to)
		out = append(out, e)
	}
	if err := rs.Err(); err != nil {
		return nil, db.q.translate(op, err)
	}
	if len(out) == 0 {
		return nil, fail(op, ErrNotFound, "no such document")
	}
	return out, nil
}

// AddPages records the document's pages as ingest found them. A
// document's pages are recorded once: when it has any already, nothing is
// added or changed, so a re-run ingest keeps the pages already read, and a
// document whose pages a clerk merged or split (its pages no longer those
// of its file) does not get its file's pages back.
func (db *DB) AddPages(ctx context.Context, tx *Tx, id int64, pages []Page) error {
	op := fmt.Sprintf("add pages of document %d", id)
	return db.within(ctx, tx, func(tx *Tx) error {
		var n int
		if err := tx.c.queryRow(ctx, db.q.pageCount, id).Scan(&n); err != nil {
			return db.q.translate(op, err)
		}
		if n > 0 {
			return nil
		}
		for _, p := range pages {
			_, err := tx.c.exec(ctx, db.q.insertPage, id, p.Index, nullString(p.RawKey), p.SourceDPI,
				nullString(p.ImageKey), nullString(p.WordsKey), p.DPI, p.DecodeMS)
			if err != nil {
				return db.q.translate(fmt.Sprintf("%s: page %d", op, p.Index), err)
			}
		}
		return nil
	})
}

// FinishPage records where a read page's enhanced image and words are
// stored (p.ImageKey, p.WordsKey, p.DPI and the timings; p.Index names the
// page). Repeating it (a page job run twice) overwrites with the same keys.
// p.DecodeMS is added to what ingest recorded: both decoded the page.
func (db *DB) FinishPage(ctx context.Context, tx *Tx, id int64, p Page) error {
	op := fmt.Sprintf("finish page %d of document %d", p.Index, id)
	if p.WordsKey == "" {
		return fail(op, ErrIllegalTransition, "no words key")
	}
	return db.within(ctx, tx, func(tx *Tx) error {
		n, err := tx.c.exec(ctx, db.q.finishPage, nullString(p.ImageKey), p.WordsKey, p.DPI,
			p.DecodeMS, p.EnhanceMS, p.OCRMS, id, p.Index)
		if err != nil {
			return db.q.translate(op, err)
		}
		if n == 0 {
			return fail(op, ErrNotFound, "no such page")
		}
		return nil
	})
}

// PendingPages counts the document's pages not yet read. tx may be nil.
func (db *DB) PendingPages(ctx context.Context, tx *Tx, id int64) (int, error) {
	var n int
	err := db.c(tx).queryRow(ctx, db.q.pendingPages, id).Scan(&n)
	return n, db.q.translate(fmt.Sprintf("pending pages of document %d", id), err)
}

// Pages returns the document's pages in index order. tx may be nil.
func (db *DB) Pages(ctx context.Context, tx *Tx, id int64) ([]Page, error) {
	op := fmt.Sprintf("pages of document %d", id)
	rs, err := db.c(tx).query(ctx, db.q.pages, id)
	if err != nil {
		return nil, db.q.translate(op, err)
	}
	defer rs.Close()
	var out []Page
	for rs.Next() {
		var p Page
		var raw, image, words, source sql.NullString
		var sourceIndex sql.NullInt64
		if err := rs.Scan(&p.Index, &raw, &p.SourceDPI, &image, &words, &p.DPI, &p.DecodeMS, &p.EnhanceMS, &p.OCRMS,
			&source, &sourceIndex); err != nil {
			return nil, db.q.translate(op, err)
		}
		p.RawKey, p.ImageKey, p.WordsKey = raw.String, image.String, words.String
		p.SourceKey, p.SourceIndex = source.String, int(sourceIndex.Int64)
		out = append(out, p)
	}
	return out, db.q.translate(op, rs.Err())
}

// LockKey holds a lock on key until tx ends, for writers that must see each
// other's rows before deciding (two copies of one invoice extracted at once
// must find each other as duplicates). Postgres: a transaction-scoped
// advisory lock on the key's hash; SQLite: nothing to do, its write
// transaction already excludes every other writer.
func (db *DB) LockKey(ctx context.Context, tx *Tx, key string) error {
	if tx == nil {
		return fail("lock key", ErrIllegalTransition, "needs a transaction")
	}
	if db.dialect != Postgres {
		return nil
	}
	_, err := db.c(tx).exec(ctx, `SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, key)
	return db.q.translate("lock key "+key, err)
}

// LockDocument reads the document and holds it against concurrent writers
// until tx ends (SELECT … FOR UPDATE on Postgres; SQLite's write transaction
// already excludes every other writer). Page jobs finishing at once take
// turns through it, so exactly one of them sees the last page done.
func (db *DB) LockDocument(ctx context.Context, tx *Tx, id int64) (Document, error) {
	if tx == nil {
		return Document{}, fail("lock document", ErrIllegalTransition, "needs a transaction")
	}
	d, err := scanDocument(db.c(tx).queryRow(ctx, db.q.lockDocument, id))
	if err != nil {
		return Document{}, db.q.translate(fmt.Sprintf("lock document %d", id), err)
	}
	return d, nil
}

func scanDocument(r row) (Document, error) {
	var d Document
	var source, state string
	var failCode, failReason, docType, number, date, supplier, buyer, group sql.NullString
	var total sql.NullInt64
	err := r.Scan(&d.ID, &d.SHA256, &d.ObjectKey, &d.FileName, &d.ContentType, &d.Size, &source, &d.Sender,
		&state, &failCode, &failReason, &d.Result, &docType, &number, &date, &supplier, &buyer,
		&total, &d.Version, &group, scanTime{&d.CreatedAt}, scanTime{&d.UpdatedAt})
	if err != nil {
		return Document{}, err
	}
	d.Source, d.State = Source(source), State(state)
	d.FailureCode, d.FailureReason = pervichka.ErrorCode(failCode.String), failReason.String
	d.Fields = Fields{DocType: pervichka.DocType(docType.String), Number: number.String, Date: date.String,
		SupplierINN: supplier.String, BuyerINN: buyer.String}
	if total.Valid {
		k := pervichka.Kopecks(total.Int64)
		d.Fields.Total = &k
	}
	d.GroupID = group.String
	return d, nil
}

func nullString(s string) any {
	if s == "" {
		return nil
	}
	return s
}

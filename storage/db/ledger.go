package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// PostingKind tells a posting from its reversal.
type PostingKind string

const (
	// KindPosting: a document version's proposed entries.
	KindPosting PostingKind = "posting"
	// KindStorno: the reversal of an earlier posting (amounts negated),
	// written when a posted document is corrected.
	KindStorno PostingKind = "storno"
)

// Register is where a posting belongs in accounting.
type Register string

const (
	RegisterJournal   Register = "journal"   // double-entry lines
	RegisterPayables  Register = "payables"  // счёт на оплату: an amount owed, no entries
	RegisterContracts Register = "contracts" // договор: its amount and dates, no entries
)

// NewPosting is what the ledger appends. Lines and Result are JSON; the
// store does not interpret them (the ledger package owns their shape).
type NewPosting struct {
	DocumentID      int64
	DocumentVersion int
	Kind            PostingKind
	ReversesID      int64 // the posting a storno cancels; 0 for a posting
	Register        Register
	DocType         string
	Number          string
	Date            string // YYYY-MM-DD
	SupplierINN     string
	BuyerINN        string
	TotalKopecks    int64
	VATKopecks      int64
	ResultSHA256    string
	Result          []byte
	Lines           []byte
	Actor           string
}

// Posting is a stored journal row. Position is its place in commit order,
// the cursor of the pull API.
type Posting struct {
	NewPosting
	ID        int64
	Position  int64
	CreatedAt time.Time
}

// DeliveryState is where a webhook delivery stands.
type DeliveryState string

const (
	DeliveryPending   DeliveryState = "pending"
	DeliveryDelivered DeliveryState = "delivered"
	DeliveryDead      DeliveryState = "dead" // the last attempt failed; an admin may resend
)

// ParseDeliveryState reads the state filter of a delivery list: "" is
// DeliveryDead (the dead letters are what an admin lists), anything but the
// three states is refused.
func ParseDeliveryState(s string) (DeliveryState, bool) {
	switch st := DeliveryState(s); st {
	case "":
		return DeliveryDead, true
	case DeliveryPending, DeliveryDelivered, DeliveryDead:
		return st, true
	}
	return "", false
}

// Delivery is the webhook delivery of one posting.
type Delivery struct {
	ID          int64
	PostingID   int64
	State       DeliveryState
	Attempts    int
	LastError   string
	CreatedAt   time.Time
	UpdatedAt   time.Time
	DeliveredAt time.Time // zero until delivered
}

// ledgerQueries are the ledger's statements of one dialect, kept in this
// file so that the feature is one file (like tokenQueries). They differ only
// in how doc_date is read back.
type ledgerQueries struct {
	nextPosition   string
	insertPosting  string
	postingByID    string
	activePosting  string
	postedElsewise string
	postingsAfter  string
	postingsDates  string
	postingsOfDoc  string
	prevSupplier   string
	insertDelivery string
	deliveryByID   string
	deliveryLock   string
	attempt        string
	delivered      string
	dead           string
	resend         string
	deliveries     string
}

func newLedgerQueries(date string) ledgerQueries {
	cols := `id, position, document_id, document_version, kind, reverses_id, register, doc_type, number,
		` + date + `, supplier_inn, buyer_inn, total_kopecks, vat_kopecks, result_sha256, result, lines, actor, created_at`
	const delCols = `id, posting_id, state, attempts, last_error, created_at, updated_at, delivered_at`
	return ledgerQueries{
		// The counter's row lock is held until the posting's transaction
		// ends: the next poster waits here, so positions commit in order.
		nextPosition: `UPDATE ledger_counter SET position = position + 1 WHERE id = 1 RETURNING position`,
		insertPosting: `INSERT INTO ledger_postings (position, document_id, document_version, kind, reverses_id,
			register, doc_type, number, doc_date, supplier_inn, buyer_inn, total_kopecks, vat_kopecks,
			result_sha256, result, lines, actor, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)
			RETURNING ` + cols,
		postingByID: `SELECT ` + cols + ` FROM ledger_postings WHERE id = $1`,
		// The posting of a document that no storno has cancelled.
		activePosting: `SELECT ` + cols + ` FROM ledger_postings p
			WHERE p.document_id = $1 AND p.kind = 'posting'
			  AND NOT EXISTS (SELECT 1 FROM ledger_postings s WHERE s.reverses_id = p.id)
			ORDER BY p.id DESC LIMIT 1`,
		postedElsewise: `SELECT p.document_id FROM ledger_postings p
			WHERE p.supplier_inn = $1 AND p.number = $2 AND p.doc_date = $3 AND p.document_id <> $4
			  AND p.kind = 'posting'
			  AND NOT EXISTS (SELECT 1 FROM ledger_postings s WHERE s.reverses_id = p.id)
			ORDER BY p.id LIMIT 1`,
		postingsAfter: `SELECT ` + cols + ` FROM ledger_postings WHERE position > $1 ORDER BY position LIMIT $2`,
		postingsDates: `SELECT ` + cols + ` FROM ledger_postings WHERE doc_date >= $1 AND doc_date <= $2
			ORDER BY doc_date, position`,
		postingsOfDoc: `SELECT ` + cols + ` FROM ledger_postings WHERE document_id = $1 ORDER BY position`,
		// The supplier's latest active posting of a document type before a
		// position: what the ledger compares an invoice's bank details with.
		prevSupplier: `SELECT ` + cols + ` FROM ledger_postings p
			WHERE p.supplier_inn = $1 AND p.doc_type = $2 AND p.position < $3 AND p.document_id <> $4
			  AND p.kind = 'posting'
			  AND NOT EXISTS (SELECT 1 FROM ledger_postings s WHERE s.reverses_id = p.id)
			ORDER BY p.position DESC LIMIT 1`,
		insertDelivery: `INSERT INTO ledger_deliveries (posting_id, state, created_at, updated_at) VALUES ($1, 'pending', $2, $2) RETURNING ` + delCols,
		deliveryByID:   `SELECT ` + delCols + ` FROM ledger_deliveries WHERE id = $1`,
		deliveryLock:   `UPDATE ledger_deliveries SET updated_at = updated_at WHERE id = $1 RETURNING ` + delCols,
		attempt: `UPDATE ledger_deliveries SET attempts = attempts + 1, last_error = $2, updated_at = $3
			WHERE id = $1 AND state = 'pending'`,
		delivered: `UPDATE ledger_deliveries SET attempts = attempts + 1, last_error = '', state = 'delivered',
			delivered_at = $2, updated_at = $2 WHERE id = $1 AND state = 'pending'`,
		dead: `UPDATE ledger_deliveries SET attempts = attempts + 1, last_error = $2, state = 'dead', updated_at = $3
			WHERE id = $1 AND state = 'pending'`,
		resend: `UPDATE ledger_deliveries SET state = 'pending', updated_at = $2
			WHERE id = $1 AND state = 'dead' RETURNING ` + delCols,
		deliveries: `SELECT ` + delCols + ` FROM ledger_deliveries WHERE state = $1 AND id > $2 ORDER BY id LIMIT $3`,
	}
}

var ledgerSQL = map[Dialect]ledgerQueries{
	SQLite:   newLedgerQueries("doc_date"),
	Postgres: newLedgerQueries("to_char(doc_date, 'YYYY-MM-DD')"),
}

func (db *DB) lq() ledgerQueries { return ledgerSQL[db.dialect] }

// InsertPosting appends a posting in tx, taking the next position from the
// ledger's counter. The counter's row stays locked until tx ends, so
// concurrent posters take turns and positions become visible in order. A
// second posting (or storno) of the same document version, or a second
// storno of one posting, is ErrDuplicate.
func (db *DB) InsertPosting(ctx context.Context, tx *Tx, p NewPosting) (Posting, error) {
	op := fmt.Sprintf("insert %s of document %d version %d", p.Kind, p.DocumentID, p.DocumentVersion)
	if tx == nil {
		return Posting{}, fail(op, ErrIllegalTransition, "needs a transaction")
	}
	d, err := time.Parse(time.DateOnly, p.Date)
	if err != nil {
		return Posting{}, fmt.Errorf("%s: date %q is not YYYY-MM-DD", op, p.Date)
	}
	if p.Actor == "" {
		return Posting{}, fmt.Errorf("%s: actor is empty", op)
	}
	q := db.lq()
	var pos int64
	if err := tx.c.queryRow(ctx, q.nextPosition).Scan(&pos); err != nil {
		return Posting{}, db.q.translate(op+": next position", err)
	}
	var reverses any
	if p.ReversesID != 0 {
		reverses = p.ReversesID
	}
	out, err := scanPosting(tx.c.queryRow(ctx, q.insertPosting, pos, p.DocumentID, p.DocumentVersion, string(p.Kind), reverses,
		string(p.Register), p.DocType, p.Number, db.q.dateArg(d), p.SupplierINN, p.BuyerINN, p.TotalKopecks, p.VATKopecks,
		p.ResultSHA256, db.q.jsonArg(p.Result), db.q.jsonArg(p.Lines), p.Actor, db.q.timeArg(now())))
	if err != nil {
		return Posting{}, db.q.translate(op, err)
	}
	return out, nil
}

// Posting reads one posting. tx may be nil.
func (db *DB) Posting(ctx context.Context, tx *Tx, id int64) (Posting, error) {
	p, err := scanPosting(db.c(tx).queryRow(ctx, db.lq().postingByID, id))
	return p, db.q.translate(fmt.Sprintf("get posting %d", id), err)
}

// ActivePosting returns the document's posting that no storno cancels;
// ErrNotFound when it has none. tx may be nil.
func (db *DB) ActivePosting(ctx context.Context, tx *Tx, documentID int64) (Posting, error) {
	p, err := scanPosting(db.c(tx).queryRow(ctx, db.lq().activePosting, documentID))
	return p, db.q.translate(fmt.Sprintf("active posting of document %d", documentID), err)
}

// PostedDuplicate returns the id of another document with an active posting
// of the same supplier ИНН, number and date, or 0. Hold LockKey on the same
// key in tx first, so that two copies posted at once see each other.
func (db *DB) PostedDuplicate(ctx context.Context, tx *Tx, supplierINN, number, date string, documentID int64) (int64, error) {
	op := "find posted duplicate"
	d, err := time.Parse(time.DateOnly, date)
	if err != nil {
		return 0, fmt.Errorf("%s: date %q is not YYYY-MM-DD", op, date)
	}
	var id int64
	err = db.c(tx).queryRow(ctx, db.lq().postedElsewise, supplierINN, number, db.q.dateArg(d), documentID).Scan(&id)
	if err := db.q.translate(op, err); errors.Is(err, ErrNotFound) {
		return 0, nil
	} else if err != nil {
		return 0, err
	}
	return id, nil
}

// PostingsAfter returns up to limit postings with a position above after,
// in position order: the pull API's page. Positions are handed out in
// commit order (InsertPosting), so a reader that passes the last position
// it saw never skips a posting that commits later.
func (db *DB) PostingsAfter(ctx context.Context, after int64, limit int) ([]Posting, error) {
	op := "list postings"
	if limit <= 0 || limit > MaxListLimit {
		return nil, fmt.Errorf("%s: limit %d outside 1..%d", op, limit, MaxListLimit)
	}
	return db.postings(ctx, nil, op, db.lq().postingsAfter, after, limit)
}

// PostingsBetween returns the postings of documents dated from..to
// (inclusive, YYYY-MM-DD), by date then position: an export's period.
func (db *DB) PostingsBetween(ctx context.Context, from, to string) ([]Posting, error) {
	op := fmt.Sprintf("postings %s..%s", from, to)
	f, err := time.Parse(time.DateOnly, from)
	if err != nil {
		return nil, fmt.Errorf("%s: date %q is not YYYY-MM-DD", op, from)
	}
	t, err := time.Parse(time.DateOnly, to)
	if err != nil {
		return nil, fmt.Errorf("%s: date %q is not YYYY-MM-DD", op, to)
	}
	return db.postings(ctx, nil, op, db.lq().postingsDates, db.q.dateArg(f), db.q.dateArg(t))
}

// PreviousSupplierPosting returns the latest active posting of a document
// of docType from the same supplier ИНН that was posted before position,
// other than documentID's; ErrNotFound when there is none.
func (db *DB) PreviousSupplierPosting(ctx context.Context, supplierINN, docType string, position, documentID int64) (Posting, error) {
	p, err := scanPosting(db.c(nil).queryRow(ctx, db.lq().prevSupplier, supplierINN, docType, position, documentID))
	return p, db.q.translate(fmt.Sprintf("previous posting of supplier %s", supplierINN), err)
}

// DocumentPostings returns a document's postings and stornos in order.
// tx may be nil.
func (db *DB) DocumentPostings(ctx context.Context, tx *Tx, documentID int64) ([]Posting, error) {
	return db.postings(ctx, tx, fmt.Sprintf("postings of document %d", documentID), db.lq().postingsOfDoc, documentID)
}

func (db *DB) postings(ctx context.Context, tx *Tx, op, query string, args ...any) ([]Posting, error) {
	return queryAll(ctx, db, db.c(tx), op, scanPosting, query, args...)
}

// NoteEvent appends an event that does not change the document's state
// (from = to = its current state), e.g. "corrected after posting". tx may
// be nil.
func (db *DB) NoteEvent(ctx context.Context, tx *Tx, id int64, state State, actor, reason string) error {
	op := fmt.Sprintf("note event of document %d", id)
	if actor == "" {
		return fmt.Errorf("%s: actor is empty", op)
	}
	_, err := db.c(tx).exec(ctx, db.q.insertEvent, id, db.q.timeArg(now()), actor, string(state), string(state), reason)
	return db.q.translate(op, err)
}

// InsertDelivery records a pending webhook delivery of a posting in tx.
func (db *DB) InsertDelivery(ctx context.Context, tx *Tx, postingID int64) (Delivery, error) {
	op := fmt.Sprintf("insert delivery of posting %d", postingID)
	d, err := scanDelivery(db.c(tx).queryRow(ctx, db.lq().insertDelivery, postingID, db.q.timeArg(now())))
	return d, db.q.translate(op, err)
}

// Delivery reads one delivery. tx may be nil.
func (db *DB) Delivery(ctx context.Context, tx *Tx, id int64) (Delivery, error) {
	d, err := scanDelivery(db.c(tx).queryRow(ctx, db.lq().deliveryByID, id))
	return d, db.q.translate(fmt.Sprintf("get delivery %d", id), err)
}

// LockDelivery reads a delivery and holds its row until tx ends, so that a
// worker recording an attempt and an admin resending it take turns.
func (db *DB) LockDelivery(ctx context.Context, tx *Tx, id int64) (Delivery, error) {
	if tx == nil {
		return Delivery{}, fail("lock delivery", ErrIllegalTransition, "needs a transaction")
	}
	d, err := scanDelivery(tx.c.queryRow(ctx, db.lq().deliveryLock, id))
	return d, db.q.translate(fmt.Sprintf("lock delivery %d", id), err)
}

// DeliveryFailed records a failed attempt of a pending delivery; when last
// is set the delivery becomes dead. A delivery no longer pending is
// ErrConflict. tx may be nil.
func (db *DB) DeliveryFailed(ctx context.Context, tx *Tx, id int64, reason string, last bool) error {
	q := db.lq()
	return db.outboxFailed(ctx, tx, "delivery", q.dead, q.attempt, id, reason, last)
}

// DeliverySucceeded marks a pending delivery delivered. A delivery no
// longer pending is ErrConflict. tx may be nil.
func (db *DB) DeliverySucceeded(ctx context.Context, tx *Tx, id int64) error {
	return db.outboxDelivered(ctx, tx, "delivery", db.lq().delivered, id)
}

// ResendDelivery moves a dead delivery back to pending (the caller enqueues
// its job in the same tx). A delivery that is not dead is ErrConflict.
func (db *DB) ResendDelivery(ctx context.Context, tx *Tx, id int64) (Delivery, error) {
	op := fmt.Sprintf("resend delivery %d", id)
	d, err := scanDelivery(db.c(tx).queryRow(ctx, db.lq().resend, id, db.q.timeArg(now())))
	if err := db.q.translate(op, err); errors.Is(err, ErrNotFound) {
		cur, err := db.Delivery(ctx, tx, id)
		if err != nil {
			return Delivery{}, err
		}
		return Delivery{}, fail(op, ErrConflict, "delivery is %s, not dead", cur.State)
	} else if err != nil {
		return Delivery{}, err
	}
	return d, nil
}

// Deliveries lists up to limit deliveries in state with an id above after,
// oldest first: the dead letters an admin reviews.
func (db *DB) Deliveries(ctx context.Context, state DeliveryState, after int64, limit int) ([]Delivery, error) {
	op := fmt.Sprintf("list %s deliveries", state)
	if limit <= 0 || limit > MaxListLimit {
		return nil, fmt.Errorf("%s: limit %d outside 1..%d", op, limit, MaxListLimit)
	}
	return queryAll(ctx, db, db.conn(), op, scanDelivery, db.lq().deliveries, string(state), after, limit)
}

func scanPosting(r row) (Posting, error) {
	var p Posting
	var kind, register string
	var reverses sql.NullInt64
	var result, lines []byte
	err := r.Scan(&p.ID, &p.Position, &p.DocumentID, &p.DocumentVersion, &kind, &reverses, &register, &p.DocType,
		&p.Number, &p.Date, &p.SupplierINN, &p.BuyerINN, &p.TotalKopecks, &p.VATKopecks, &p.ResultSHA256,
		&result, &lines, &p.Actor, scanTime{&p.CreatedAt})
	if err != nil {
		return Posting{}, err
	}
	p.Kind, p.Register, p.ReversesID = PostingKind(kind), Register(register), reverses.Int64
	// The drivers may reuse the buffers they scanned into.
	p.Result, p.Lines = append([]byte(nil), result...), append([]byte(nil), lines...)
	return p, nil
}

func scanDelivery(r row) (Delivery, error) {
	var d Delivery
	var state string
	var delivered scanNullTime
	err := r.Scan(&d.ID, &d.PostingID, &state, &d.Attempts, &d.LastError, scanTime{&d.CreatedAt}, scanTime{&d.UpdatedAt}, &delivered)
	if err != nil {
		return Delivery{}, err
	}
	d.State, d.DeliveredAt = DeliveryState(state), delivered.t
	return d, nil
}

package db

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"modernc.org/sqlite"

	"github.com/pervichka/pervichka"
)

// Correction is one field a clerk changed on a document.
type Correction struct {
	ID         int64
	DocumentID int64
	At         time.Time
	Actor      string
	Field      string // the field's path in the result, e.g. "supplier.inn", "items[2].amount"
	Before     string // "" when the field was empty
	After      string // "" when the clerk cleared it
}

// Claim says who has a document open in the review UI, and until when.
type Claim struct {
	DocumentID int64
	User       string
	ExpiresAt  time.Time
}

// Counterparty is what approved documents say about one ИНН.
type Counterparty struct {
	INN, Name, KPP                      string
	BankName, BIK, Account, CorrAccount string
	DocumentID                          int64 // the approved document it was learnt from
	UpdatedAt                           time.Time
}

// QueueFilter narrows ReviewQueue. Zero fields do not filter.
type QueueFilter struct {
	State   State // required
	DocType pervichka.DocType
	// Supplier matches a supplier ИНН exactly when it is all digits, else a
	// case-insensitive substring of the supplier's name.
	Supplier string
	// Reason matches a review reason code, with or without its ":suffix".
	Reason string
	Source Source
	Limit  int // 1..MaxListLimit
	// Backward lists newest first, before the cursor: the previous
	// documents of the queue (the review page's "previous" key).
	Backward bool
}

// QueueCounts are the numbers of documents in one state by type, source and
// review reason (reason codes without their suffix).
type QueueCounts struct {
	Total    int64
	ByType   map[pervichka.DocType]int64
	BySource map[Source]int64
	ByReason map[string]int64
}

type reviewQueries struct {
	insertCorrection, corrections string
	claim, claimOf, release       string
	counterparty, upsertParty     string
	countByType, countBySource    string
	countByReason                 string
	supplierName, reasonMatch     string // WHERE fragments with %s for the argument
	maxPage, movePages, movePage  string
}

// reviewShared are the statements both engines read alike; reviewSQL adds
// what each dialect says its own way (JSON, string folding).
var reviewShared = reviewQueries{
	insertCorrection: `INSERT INTO review_corrections (document_id, at, actor, field, before, after)
		VALUES ($1, $2, $3, $4, $5, $6)`,
	corrections: `SELECT id, document_id, at, actor, field, before, after
		FROM review_corrections WHERE document_id = $1 ORDER BY id`,
	// A claim is taken when there is none, when it is the same user's,
	// or when it has lapsed; otherwise the row is left as it is.
	claim: `INSERT INTO review_claims (document_id, user_name, expires_at) VALUES ($1, $2, $3)
		ON CONFLICT (document_id) DO UPDATE SET user_name = excluded.user_name, expires_at = excluded.expires_at
		WHERE review_claims.user_name = excluded.user_name OR review_claims.expires_at <= $4`,
	claimOf: `SELECT document_id, user_name, expires_at FROM review_claims
		WHERE document_id = $1 AND expires_at > $2`,
	release:      `DELETE FROM review_claims WHERE document_id = $1 AND user_name = $2`,
	counterparty: `SELECT inn, name, kpp, bank_name, bik, account, corr_account, document_id, updated_at FROM counterparties WHERE inn = $1`,
	upsertParty: `INSERT INTO counterparties (inn, name, kpp, bank_name, bik, account, corr_account, document_id, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
		ON CONFLICT (inn) DO UPDATE SET name = excluded.name, kpp = excluded.kpp, bank_name = excluded.bank_name,
		    bik = excluded.bik, account = excluded.account, corr_account = excluded.corr_account,
		    document_id = excluded.document_id, updated_at = excluded.updated_at`,
	countByType:   `SELECT coalesce(doc_type, ''), count(*) FROM documents WHERE state = $1 GROUP BY doc_type`,
	countBySource: `SELECT source, count(*) FROM documents WHERE state = $1 GROUP BY source`,
	maxPage:       `SELECT coalesce(max(page_index), -1) FROM document_pages WHERE document_id = $1`,
	// SET reads the row as it was: source_index takes the old
	// page_index, and only where source_key was still NULL.
	movePages: `UPDATE document_pages SET document_id = $1, page_index = page_index + $2,
		    source_key = coalesce(source_key, $4),
		    source_index = CASE WHEN source_key IS NULL THEN page_index ELSE source_index END
		WHERE document_id = $3`,
	movePage: `UPDATE document_pages SET document_id = $1, page_index = $2,
		    source_key = coalesce(source_key, $3),
		    source_index = CASE WHEN source_key IS NULL THEN page_index ELSE source_index END
		WHERE document_id = $4 AND page_index = $5`,
}

var reviewSQL = map[Dialect]reviewQueries{
	SQLite: func() reviewQueries {
		q := reviewShared
		q.countByReason = `SELECT CASE WHEN instr(r.value, ':') > 0 THEN substr(r.value, 1, instr(r.value, ':') - 1) ELSE r.value END AS code,
			    count(DISTINCT d.id)
			FROM documents d, json_each(d.result, '$.review_reasons') r
			WHERE d.state = $1 AND d.result IS NOT NULL AND r.type = 'text'
			GROUP BY code`
		// SQLite's lower() folds ASCII only: pervichka_fold (below) folds
		// Cyrillic too. instr rather than LIKE: a typed % or _ is text.
		q.supplierName = `instr(pervichka_fold(json_extract(result, '$.supplier.name')), pervichka_fold(%s)) > 0`
		q.reasonMatch = `EXISTS (SELECT 1 FROM json_each(result, '$.review_reasons') r
			WHERE r.type = 'text' AND (r.value = %[1]s OR r.value LIKE %[1]s || ':%%'))`
		return q
	}(),
	Postgres: func() reviewQueries {
		q := reviewShared
		q.countByReason = `SELECT split_part(r, ':', 1) AS code, count(DISTINCT d.id)
			FROM documents d, jsonb_array_elements_text(CASE WHEN jsonb_typeof(d.result->'review_reasons') = 'array'
			    THEN d.result->'review_reasons' ELSE '[]'::jsonb END) r
			WHERE d.state = $1 AND d.result IS NOT NULL
			GROUP BY code`
		q.supplierName = `strpos(translate(lower(result->'supplier'->>'name'), 'ё', 'е'), translate(lower(%s), 'ё', 'е')) > 0`
		q.reasonMatch = `EXISTS (SELECT 1 FROM jsonb_array_elements_text(CASE WHEN jsonb_typeof(result->'review_reasons') = 'array'
			    THEN result->'review_reasons' ELSE '[]'::jsonb END) r
			WHERE r = %[1]s OR r LIKE %[1]s || ':%%')`
		return q
	}(),
}

// The fold SQLite's queue filter uses: Unicode lower case, ё as е — what
// Postgres's lower() and translate() do in the other dialect.
func init() {
	sqlite.MustRegisterDeterministicScalarFunction("pervichka_fold", 1, func(_ *sqlite.FunctionContext, args []driver.Value) (driver.Value, error) {
		var s string
		switch v := args[0].(type) {
		case nil:
			return nil, nil
		case string:
			s = v
		case []byte:
			s = string(v)
		default:
			return nil, fmt.Errorf("pervichka_fold: %T is not text", v)
		}
		return strings.ReplaceAll(strings.ToLower(s), "ё", "е"), nil
	})
}

// AddCorrections appends corrections (their ID and At are set here) in tx.
func (db *DB) AddCorrections(ctx context.Context, tx *Tx, cs []Correction) error {
	return db.within(ctx, tx, func(tx *Tx) error {
		at := db.q.timeArg(now())
		for _, c := range cs {
			if c.Actor == "" || c.Field == "" {
				return fmt.Errorf("add correction of document %d: empty actor or field", c.DocumentID)
			}
			_, err := tx.c.exec(ctx, reviewSQL[db.dialect].insertCorrection, c.DocumentID, at, c.Actor, c.Field, c.Before, c.After)
			if err != nil {
				return db.q.translate(fmt.Sprintf("add correction of document %d field %s", c.DocumentID, c.Field), err)
			}
		}
		return nil
	})
}

// Corrections returns a document's corrections in the order they were
// made. tx may be nil.
func (db *DB) Corrections(ctx context.Context, tx *Tx, documentID int64) ([]Correction, error) {
	op := fmt.Sprintf("corrections of document %d", documentID)
	rs, err := db.c(tx).query(ctx, reviewSQL[db.dialect].corrections, documentID)
	if err != nil {
		return nil, db.q.translate(op, err)
	}
	defer rs.Close()
	var out []Correction
	for rs.Next() {
		var c Correction
		if err := rs.Scan(&c.ID, &c.DocumentID, scanTime{&c.At}, &c.Actor, &c.Field, &c.Before, &c.After); err != nil {
			return nil, db.q.translate(op, err)
		}
		out = append(out, c)
	}
	return out, db.q.translate(op, rs.Err())
}

// ClaimDocument gives user the document for ttl, unless another user's
// claim is still live; either way it returns the claim now in force, so the
// caller compares its User with user. Claiming again renews. tx may be nil.
func (db *DB) ClaimDocument(ctx context.Context, tx *Tx, documentID int64, user string, ttl time.Duration) (Claim, error) {
	op := fmt.Sprintf("claim document %d", documentID)
	if ttl <= 0 || user == "" {
		return Claim{}, fmt.Errorf("%s: empty user or a claim for no time", op)
	}
	var claim Claim
	err := db.within(ctx, tx, func(tx *Tx) error {
		at := now()
		q := reviewSQL[db.dialect]
		if _, err := tx.c.exec(ctx, q.claim, documentID, user, db.q.timeArg(at.Add(ttl)), db.q.timeArg(at)); err != nil {
			return db.q.translate(op, err)
		}
		err := tx.c.queryRow(ctx, q.claimOf, documentID, db.q.timeArg(at)).Scan(&claim.DocumentID, &claim.User, scanTime{&claim.ExpiresAt})
		return db.q.translate(op, err)
	})
	return claim, err
}

// ClaimOf returns the live claim on a document; ErrNotFound when nobody
// holds one. tx may be nil.
func (db *DB) ClaimOf(ctx context.Context, tx *Tx, documentID int64) (Claim, error) {
	var c Claim
	err := db.c(tx).queryRow(ctx, reviewSQL[db.dialect].claimOf, documentID, db.q.timeArg(now())).Scan(&c.DocumentID, &c.User, scanTime{&c.ExpiresAt})
	if err != nil {
		return Claim{}, db.q.translate(fmt.Sprintf("claim of document %d", documentID), err)
	}
	return c, nil
}

// ReleaseClaim drops user's claim on the document, if they hold it. tx may
// be nil.
func (db *DB) ReleaseClaim(ctx context.Context, tx *Tx, documentID int64, user string) error {
	_, err := db.c(tx).exec(ctx, reviewSQL[db.dialect].release, documentID, user)
	return db.q.translate(fmt.Sprintf("release claim on document %d", documentID), err)
}

// CounterpartyByINN reads the directory's entry; ErrNotFound for an ИНН no
// approved document has named. tx may be nil.
func (db *DB) CounterpartyByINN(ctx context.Context, tx *Tx, inn string) (Counterparty, error) {
	var c Counterparty
	err := db.c(tx).queryRow(ctx, reviewSQL[db.dialect].counterparty, inn).Scan(&c.INN, &c.Name, &c.KPP,
		&c.BankName, &c.BIK, &c.Account, &c.CorrAccount, &c.DocumentID, scanTime{&c.UpdatedAt})
	if err != nil {
		return Counterparty{}, db.q.translate(fmt.Sprintf("counterparty %s", inn), err)
	}
	return c, nil
}

// SaveCounterparty writes the directory's entry for c.INN, replacing what
// an earlier document said. tx may be nil.
func (db *DB) SaveCounterparty(ctx context.Context, tx *Tx, c Counterparty) error {
	if c.INN == "" || c.DocumentID == 0 {
		return errors.New("save counterparty: empty ИНН or document")
	}
	_, err := db.c(tx).exec(ctx, reviewSQL[db.dialect].upsertParty, c.INN, c.Name, c.KPP, c.BankName, c.BIK,
		c.Account, c.CorrAccount, c.DocumentID, db.q.timeArg(now()))
	return db.q.translate(fmt.Sprintf("save counterparty %s", c.INN), err)
}

// MovePages moves every page of document from to the end of document to,
// keeping their order and their stored files, and returns how many moved.
// A moved page keeps reading its picture from where it was (Page.Source:
// from's original at its old index), not from to's original.
// Both documents should be locked in tx (LockDocument, lower id first).
// The caller decides what becomes of the two documents.
func (db *DB) MovePages(ctx context.Context, tx *Tx, from, to int64) (int, error) {
	op := fmt.Sprintf("move pages of document %d to %d", from, to)
	if tx == nil {
		return 0, fail(op, ErrIllegalTransition, "needs a transaction")
	}
	if from == to {
		return 0, fmt.Errorf("%s: the same document", op)
	}
	src, err := db.GetDocument(ctx, tx, from)
	if err != nil {
		return 0, fmt.Errorf("%s: %w", op, err)
	}
	q := reviewSQL[db.dialect]
	var last int
	if err := tx.c.queryRow(ctx, q.maxPage, to).Scan(&last); err != nil {
		return 0, db.q.translate(op, err)
	}
	n, err := tx.c.exec(ctx, q.movePages, to, last+1, from, src.ObjectKey)
	if err != nil {
		return 0, db.q.translate(op, err)
	}
	return int(n), nil
}

// ReviewQueue returns up to f.Limit documents in f.State matching f, oldest
// first, after the cursor; pass the last one's Cursor() for the next page.
//
// It walks documents_state_created_idx in order and stops at Limit rows, so
// an unfiltered page costs the same at any queue length. The supplier-name
// and reason filters read each candidate's result JSON: a filter matching
// few documents of a long queue reads many rows before it fills a page.
func (db *DB) ReviewQueue(ctx context.Context, f QueueFilter, after Cursor) ([]Document, error) {
	const op = "review queue"
	if !f.State.Valid() {
		return nil, fmt.Errorf("%s: unknown state %q", op, f.State)
	}
	if f.Limit <= 0 || f.Limit > MaxListLimit {
		return nil, fmt.Errorf("%s: limit %d outside 1..%d", op, f.Limit, MaxListLimit)
	}
	cols := sqliteDocColumns
	if db.dialect == Postgres {
		cols = postgresDocColumns
	}
	q := reviewSQL[db.dialect]
	var args []any
	arg := func(v any) string {
		args = append(args, v)
		return "$" + strconv.Itoa(len(args))
	}
	where := []string{"state = " + arg(string(f.State))}
	if f.DocType != "" {
		where = append(where, "doc_type = "+arg(string(f.DocType)))
	}
	if s := strings.TrimSpace(f.Supplier); s != "" {
		if strings.Trim(s, "0123456789") == "" {
			where = append(where, "supplier_inn = "+arg(s))
		} else {
			where = append(where, fmt.Sprintf(q.supplierName, arg(s)))
		}
	}
	if f.Reason != "" {
		where = append(where, fmt.Sprintf(q.reasonMatch, arg(f.Reason)))
	}
	if f.Source != "" {
		where = append(where, "source = "+arg(string(f.Source)))
	}
	cmp, order := ">", "created_at, id"
	if f.Backward {
		cmp, order = "<", "created_at DESC, id DESC"
	}
	where = append(where, fmt.Sprintf("(created_at, id) %s (%s, %s)", cmp, arg(db.q.timeArg(after.CreatedAt)), arg(after.ID)))
	query := `SELECT ` + cols + ` FROM documents WHERE ` + strings.Join(where, " AND ") +
		` ORDER BY ` + order + ` LIMIT ` + arg(f.Limit)
	return db.documents(ctx, nil, op, query, args...)
}

// CountQueue counts the documents in state by type, source and reason.
//
// Limits: the reason counts read the result JSON of every document in the
// state, so they cost time in proportion to the queue's length (100-220 ms
// per 10,000 documents on SQLite, 55-90 ms on Postgres; see
// review.BenchmarkPages). The review UI caches them for a few seconds.
func (db *DB) CountQueue(ctx context.Context, state State) (QueueCounts, error) {
	op := fmt.Sprintf("count %s documents", state)
	q := reviewSQL[db.dialect]
	out := QueueCounts{ByType: map[pervichka.DocType]int64{}, BySource: map[Source]int64{}, ByReason: map[string]int64{}}
	count := func(query string, put func(key string, n int64)) error {
		rs, err := db.conn().query(ctx, query, string(state))
		if err != nil {
			return db.q.translate(op, err)
		}
		defer rs.Close()
		for rs.Next() {
			var key sql.NullString
			var n int64
			if err := rs.Scan(&key, &n); err != nil {
				return db.q.translate(op, err)
			}
			put(key.String, n)
		}
		return db.q.translate(op, rs.Err())
	}
	if err := count(q.countByType, func(k string, n int64) { out.ByType[pervichka.DocType(k)] += n; out.Total += n }); err != nil {
		return QueueCounts{}, err
	}
	if err := count(q.countBySource, func(k string, n int64) { out.BySource[Source(k)] = n }); err != nil {
		return QueueCounts{}, err
	}
	if err := count(q.countByReason, func(k string, n int64) { out.ByReason[k] = n }); err != nil {
		return QueueCounts{}, err
	}
	return out, nil
}

// Package ledger posts validated documents to Pervichka's journal and
// delivers the postings to an accounting system.
//
// A posting is written in the same database transaction that approves the
// document (the pipeline's post job for auto-approved documents, the review
// UI's approval for the rest) together with the River job that delivers it,
// so a document is posted exactly once and every posting is delivered, even
// across crashes. The journal is append-only: a correction of a posted
// document appends a storno of the old posting and a new posting.
//
// Delivery is a webhook (HMAC-signed POST with an idempotency key, retried
// with exponential backoff, a dead letter after the last attempt) and a
// pull API that pages through postings in commit order. See docs/ledger.md.
package ledger

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/pervichka/pervichka"
	"github.com/pervichka/pervichka/ledger/webhook"
	"github.com/pervichka/pervichka/storage/db"
)

// Config configures a Ledger.
type Config struct {
	DB      *db.DB
	Mapping Mapping // the zero Mapping means DefaultMapping
	// Webhook, when its URL is set, delivers every posting. Without it
	// postings are only pulled (GET /api/v1/ledger) and no delivery jobs
	// are made.
	Webhook WebhookConfig
	// BaseURL is the service's public address, for the links to a
	// document's files in a delivery ("" gives relative links).
	BaseURL string
	// Companies are our organisations with their settlement accounts: the
	// payers of exported payment orders (docs/ledger.md, Export).
	Companies []pervichka.Company
	Logger    *slog.Logger
	Now       func() time.Time // default time.Now; the date of payment orders
}

// WebhookConfig says where and how postings are delivered.
type WebhookConfig = webhook.Endpoint

// Ledger posts documents and delivers postings. Safe for concurrent use.
type Ledger struct {
	db        *db.DB
	mapping   Mapping
	wh        WebhookConfig
	key       []byte // webhook.Key(wh.Secret)
	base      string
	companies []pervichka.Company
	now       func() time.Time
	log       *slog.Logger
}

// New checks cfg and builds a Ledger.
func New(cfg Config) (*Ledger, error) {
	if cfg.DB == nil {
		return nil, errors.New("ledger: Config needs DB")
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Mapping.Services == (Pair{}) && cfg.Mapping.Goods == (Pair{}) && cfg.Mapping.VAT == (Pair{}) {
		cfg.Mapping = DefaultMapping()
	}
	if err := cfg.Mapping.Validate(); err != nil {
		return nil, fmt.Errorf("ledger: mapping: %w", err)
	}
	wh := cfg.Webhook
	key, err := wh.Prepare()
	if err != nil {
		return nil, fmt.Errorf("ledger: %w", err)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return &Ledger{db: cfg.DB, mapping: cfg.Mapping, wh: wh, key: key, base: strings.TrimSuffix(cfg.BaseURL, "/"),
		companies: cfg.Companies, now: cfg.Now, log: cfg.Logger}, nil
}

// PostTx posts the document's current result in tx and moves it to posted.
// It implements pipeline.Poster and is what the review UI calls after a
// clerk's approval, in the clerk's transaction.
//
//   - The document must be auto_approved or approved; anything else is
//     db.ErrIllegalTransition.
//   - A document already posted with an active posting is left as it is and
//     PostTx returns nil: posting is idempotent, so a retried job or a second
//     approval racing the first is harmless. Concurrent calls take turns on
//     the document's row lock; the unique (document_id, version, kind) key
//     backs this up in the database.
//   - A duplicate of a posted document (same supplier ИНН, number and date)
//     is not posted: it goes to needs_review with the reason "duplicate:<id>"
//     and a link to the posted one.
//   - A result that cannot be booked (unknown type, no date, no total):
//     an auto-approved document goes to needs_review with an event saying
//     why, and PostTx returns nil; an approved one is ErrUnmappable, for the
//     clerk to see, and nothing is written.
func (l *Ledger) PostTx(ctx context.Context, tx *db.Tx, q *db.Queue, documentID int64, actor string) error {
	op := fmt.Sprintf("post document %d", documentID)
	doc, err := l.db.LockDocument(ctx, tx, documentID)
	if err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	switch doc.State {
	case db.StatePosted:
		if _, err := l.db.ActivePosting(ctx, tx, doc.ID); err == nil {
			return nil
		} else if !errors.Is(err, db.ErrNotFound) {
			return fmt.Errorf("%s: %w", op, err)
		}
		return fmt.Errorf("%s: %w: posted but the ledger has no posting of it", op, db.ErrConflict)
	case db.StateAutoApproved, db.StateApproved:
	default:
		return fmt.Errorf("%s: %w: it is %s, not approved", op, db.ErrIllegalTransition, doc.State)
	}
	var res pervichka.Result
	if err := json.Unmarshal(doc.Result, &res); err != nil || doc.Result == nil {
		return fmt.Errorf("%s: %w: no readable result (%v)", op, ErrUnmappable, err)
	}
	f := doc.Fields
	if f.SupplierINN != "" && f.Number != "" && f.Date != "" {
		// The pipeline's duplicate key: extraction and posting of two
		// copies take turns on it.
		if err := l.db.LockKey(ctx, tx, "duplicate:"+f.SupplierINN+"/"+f.Number+"/"+f.Date); err != nil {
			return fmt.Errorf("%s: %w", op, err)
		}
		dup, err := l.db.PostedDuplicate(ctx, tx, f.SupplierINN, f.Number, f.Date, doc.ID)
		if err != nil {
			return fmt.Errorf("%s: %w", op, err)
		}
		if dup != 0 {
			return l.refuseDuplicate(ctx, tx, doc, res, dup, actor)
		}
	}
	p, err := l.newPosting(doc, res, actor)
	if errors.Is(err, ErrUnmappable) && doc.State == db.StateAutoApproved {
		// No person has seen it: hand it to one rather than leave it
		// auto_approved behind a failing job. A clerk's approval gets
		// the error instead, to show.
		why := "не проведён, нужна проверка: " + err.Error()
		if err := l.db.Transition(ctx, tx, doc.ID, doc.State, db.StateNeedsReview, actor, why); err != nil {
			return fmt.Errorf("%s: %w", op, err)
		}
		l.log.Warn("auto-approved document cannot be posted", "document", doc.ID, "error", why)
		return nil
	}
	if err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	posted, err := l.db.InsertPosting(ctx, tx, p)
	if err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	if err := l.db.Transition(ctx, tx, doc.ID, doc.State, db.StatePosted, actor,
		fmt.Sprintf("проведён: запись журнала %d", posted.ID)); err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	if err := l.enqueue(ctx, tx, q, posted.ID); err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	return nil
}

// refuseDuplicate sends a would-be second posting of one document to a
// clerk: the reason in the result, a duplicate link, the state change and
// its event, all in tx.
func (l *Ledger) refuseDuplicate(ctx context.Context, tx *db.Tx, doc db.Document, res pervichka.Result, dup int64, actor string) error {
	op := fmt.Sprintf("post document %d", doc.ID)
	reason := fmt.Sprintf("%s:%d", pervichka.ReasonDuplicate, dup)
	if !contains(res.ReviewReasons, reason) {
		res.ReviewReasons = append(res.ReviewReasons, reason)
	}
	res.NeedsReview = true
	b, err := json.Marshal(res)
	if err != nil {
		return fmt.Errorf("%s: encode result: %w", op, err)
	}
	if _, err := l.db.SaveResult(ctx, tx, doc.ID, doc.Version, b, doc.Fields); err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	if err := l.db.AddLink(ctx, tx, db.Link{DocumentID: doc.ID, LinkedID: dup, Kind: db.LinkDuplicate,
		Reason: fmt.Sprintf("документ %d с тем же ИНН поставщика, номером и датой уже проведён", dup)}); err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	why := fmt.Sprintf("не проведён: дубликат проведённого документа %d (тот же ИНН поставщика, номер и дата)", dup)
	if err := l.db.Transition(ctx, tx, doc.ID, doc.State, db.StateNeedsReview, actor, why); err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	l.log.Info("duplicate not posted", "document", doc.ID, "posted", dup)
	return nil
}

// CorrectTx re-posts a posted document whose result was changed (by the
// review UI's SaveResult): it appends a storno of the active posting and a
// posting of the current result, and enqueues the delivery of both, in tx.
// Nothing is updated or deleted. When the result is the one already posted
// it does nothing and returns nil, so a repeated call is harmless.
func (l *Ledger) CorrectTx(ctx context.Context, tx *db.Tx, q *db.Queue, documentID int64, actor string) error {
	op := fmt.Sprintf("correct document %d", documentID)
	doc, err := l.db.LockDocument(ctx, tx, documentID)
	if err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	if doc.State != db.StatePosted {
		return fmt.Errorf("%s: %w: it is %s, not posted", op, db.ErrIllegalTransition, doc.State)
	}
	old, err := l.db.ActivePosting(ctx, tx, doc.ID)
	if err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	if old.ResultSHA256 == resultHash(doc.Result) {
		return nil
	}
	var res pervichka.Result
	if err := json.Unmarshal(doc.Result, &res); err != nil {
		return fmt.Errorf("%s: %w: no readable result (%v)", op, ErrUnmappable, err)
	}
	next, err := l.newPosting(doc, res, actor)
	if err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	storno, err := reverse(old, doc.Version, actor)
	if err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	s, err := l.db.InsertPosting(ctx, tx, storno)
	if err != nil {
		return fmt.Errorf("%s: storno: %w", op, err)
	}
	n, err := l.db.InsertPosting(ctx, tx, next)
	if err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	if err := l.db.NoteEvent(ctx, tx, doc.ID, db.StatePosted, actor,
		fmt.Sprintf("исправлен после проведения: сторно записи %d (запись %d), новая запись %d", old.ID, s.ID, n.ID)); err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	for _, id := range []int64{s.ID, n.ID} {
		if err := l.enqueue(ctx, tx, q, id); err != nil {
			return fmt.Errorf("%s: %w", op, err)
		}
	}
	return nil
}

// newPosting books the document's current result.
func (l *Ledger) newPosting(doc db.Document, res pervichka.Result, actor string) (db.NewPosting, error) {
	if doc.Fields.Date == "" {
		return db.NewPosting{}, fmt.Errorf("%w: no date", ErrUnmappable)
	}
	e, err := l.mapping.book(res)
	if err != nil {
		return db.NewPosting{}, err
	}
	lines := e.lines
	if lines == nil {
		lines = []Line{}
	}
	lb, err := json.Marshal(lines)
	if err != nil {
		return db.NewPosting{}, fmt.Errorf("encode lines: %w", err)
	}
	return db.NewPosting{
		DocumentID: doc.ID, DocumentVersion: doc.Version, Kind: db.KindPosting, Register: e.register,
		DocType: string(res.DocType), Number: doc.Fields.Number, Date: doc.Fields.Date,
		SupplierINN: doc.Fields.SupplierINN, BuyerINN: doc.Fields.BuyerINN,
		TotalKopecks: int64(e.total), VATKopecks: int64(e.vat),
		ResultSHA256: resultHash(doc.Result), Result: doc.Result, Lines: lb, Actor: actor,
	}, nil
}

// reverse is the storno of p: the same register, accounts and document
// snapshot with every amount negated, recorded against version.
func reverse(p db.Posting, version int, actor string) (db.NewPosting, error) {
	var lines []Line
	if err := json.Unmarshal(p.Lines, &lines); err != nil {
		return db.NewPosting{}, fmt.Errorf("read lines of posting %d: %w", p.ID, err)
	}
	for i := range lines {
		lines[i].AmountKopecks = -lines[i].AmountKopecks
		lines[i].Memo = "Сторно: " + lines[i].Memo
	}
	if lines == nil {
		lines = []Line{}
	}
	lb, err := json.Marshal(lines)
	if err != nil {
		return db.NewPosting{}, fmt.Errorf("encode lines: %w", err)
	}
	s := p.NewPosting
	s.Kind, s.ReversesID, s.DocumentVersion, s.Actor = db.KindStorno, p.ID, version, actor
	s.TotalKopecks, s.VATKopecks, s.Lines = -p.TotalKopecks, -p.VATKopecks, lb
	return s, nil
}

// resultHash identifies a result's content: CorrectTx compares it with the
// posted one's. The bytes are as the database returns them (Postgres
// normalises jsonb), so both sides of the comparison come from one form.
func resultHash(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

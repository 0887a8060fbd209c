// Package statehook tells an accounting system about every change of a
// document's state by webhook, so that it need not poll: a file received,
// taken into processing, waiting for a clerk (needs_review), auto-approved,
// approved or rejected by a clerk, posted, failed. The deliveries are
// signed, timed and retried exactly as the ledger's postings are (package
// ledger/webhook: Standard Webhooks headers, exponential backoff, dead
// letters an admin resends).
//
// # Durable: an outbox row and a River job in the change's transaction
//
// New attaches a hook to the database (db.DB.OnStateChange) that runs in
// the very transaction that changes a document's state: it writes the
// change to the state_webhooks outbox and inserts the document's River job
// (DeliverArgs). Both commit with the change or not at all, so a committed
// change is always delivered — across crashes and restarts, since the row
// and the job are in the database — and a rolled-back one never is. The
// row, not the job, is the record: it keeps what is sent (the change as the
// document's history has it, so every attempt sends the same message), its
// attempts and last error, and a dead letter's place in its document's
// order. The job only schedules the sending, with River's retries, rescue
// of a dead worker's jobs and Postgres notifications. Why not the job
// alone: River jobs are cleaned out once completed and have no per-document
// order; why not the row alone: a poller would add either latency or load,
// and its crash recovery would be ours to write.
//
// # Ordered per document, idempotent for the receiver
//
// One job per document delivers that document's rows one at a time in id
// order (the order the changes committed: each change holds the document's
// row lock), stopping at the first that fails; it is unique by document
// among waiting and running jobs, so no two workers send one document's
// changes at once. A failure snoozes the job for the backoff (counted on
// the row, so attempts and dead letters are per change); after the last
// attempt the row is dead and holds back its document's later changes
// until an admin resends it — a receiver never sees a document's changes
// out of order. Changes of different documents are delivered independently.
// The webhook-id of a change (MessageID) is the same on every attempt and
// resend: a delivery whose 2xx was lost is sent again and the receiver must
// drop the repeat by that id; the change's id also increases with each
// change of a document, so a receiver can tell the newest.
//
// Limits: the hook is per process; every process that changes documents
// (serve in every role) must be configured with the URL, or its changes are
// not recorded. Changes made while no URL was configured are never sent.
package statehook

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"

	"github.com/riverqueue/river"

	"github.com/pervichka/pervichka/ledger/webhook"
	"github.com/pervichka/pervichka/storage/db"
)

// Config configures Hooks.
type Config struct {
	DB *db.DB
	// Endpoint: where and how changes are delivered; without a URL the
	// webhook is off (nothing is recorded; the admin routes still answer).
	webhook.Endpoint
	// BaseURL is the service's public address, for the links in a message
	// ("" gives relative links).
	BaseURL string
	Logger  *slog.Logger
}

// Hooks records documents' state changes and delivers them. Safe for
// concurrent use.
type Hooks struct {
	db   *db.DB
	cfg  Config
	key  []byte
	base string
	log  *slog.Logger
	// q inserts the document's job in the change's transaction: an
	// insert-only River client of its own, so that the hook works in a
	// process before (and without) a pipeline's working client.
	q *db.Queue
}

// New checks cfg and, when a URL is set, attaches the hook to cfg.DB: from
// then on every state change made through cfg.DB in this process is
// recorded and delivered. Register must add the worker to a River client
// that works QueueDeliver in some process.
func New(cfg Config) (*Hooks, error) {
	if cfg.DB == nil {
		return nil, errors.New("statehook: Config needs DB")
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	h := &Hooks{db: cfg.DB, base: strings.TrimSuffix(cfg.BaseURL, "/"), log: cfg.Logger}
	key, err := cfg.Prepare()
	if err != nil {
		return nil, fmt.Errorf("statehook: %w", err)
	}
	h.key = key
	if cfg.URL != "" {
		if h.q, err = cfg.DB.NewQueue(&river.Config{Logger: cfg.Logger}); err != nil {
			return nil, fmt.Errorf("statehook: %w", err)
		}
	}
	h.cfg = cfg
	if h.Enabled() {
		cfg.DB.OnStateChange(h.record)
	}
	return h, nil
}

// Enabled reports whether state changes are delivered.
func (h *Hooks) Enabled() bool { return h.cfg.URL != "" }

// record is the database hook: the change's outbox row and its document's
// job, in the change's transaction.
func (h *Hooks) record(ctx context.Context, tx *db.Tx, c db.StateChange) error {
	if _, err := h.db.InsertStateWebhook(ctx, tx, c); err != nil {
		return err
	}
	_, err := h.q.InsertTx(ctx, tx, DeliverArgs{DocumentID: c.DocumentID}, nil)
	return err
}

// Resume enqueues the job of every document that has a change waiting, as
// a starting process does: a job that River gave up on (after repeated
// database errors) is replaced, and the uniqueness of the jobs makes this
// a no-op for the others. It returns how many documents it looked at.
func (h *Hooks) Resume(ctx context.Context) (int, error) {
	if !h.Enabled() {
		return 0, nil
	}
	n := 0
	var after int64
	for {
		docs, err := h.db.PendingStateWebhookDocuments(ctx, after, db.MaxListLimit)
		if err != nil {
			return n, err
		}
		for _, id := range docs {
			if _, err := h.q.Insert(ctx, DeliverArgs{DocumentID: id}, nil); err != nil {
				return n, fmt.Errorf("resume state webhooks of document %d: %w", id, err)
			}
			n++
		}
		if len(docs) < db.MaxListLimit {
			return n, nil
		}
		after = docs[len(docs)-1]
	}
}

// Resend moves a dead change back to pending and enqueues its document's
// job, in one transaction; the change and the ones after it are then
// delivered in order. A change that is not dead is db.ErrConflict.
func (h *Hooks) Resend(ctx context.Context, id int64, actor string) (db.StateWebhook, error) {
	if !h.Enabled() {
		return db.StateWebhook{}, errNotConfigured
	}
	var w db.StateWebhook
	err := h.db.InTx(ctx, func(tx *db.Tx) error {
		var err error
		if w, err = h.db.ResendStateWebhook(ctx, tx, id); err != nil {
			return err
		}
		_, err = h.q.InsertTx(ctx, tx, DeliverArgs{DocumentID: w.DocumentID}, nil)
		return err
	})
	if err == nil {
		h.log.Info("state webhook resent", "state_webhook", id, "document", w.DocumentID, "actor", actor)
	}
	return w, err
}

var errNotConfigured = errors.New("statehook: no state webhook is configured (PERVICHKA_STATE_WEBHOOK_URL)")

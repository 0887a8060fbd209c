package ledger

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/riverqueue/river"

	"github.com/pervichka/pervichka/ledger/webhook"
	"github.com/pervichka/pervichka/storage/db"
)

// QueueDeliver is the River queue of webhook deliveries.
const QueueDeliver = "ledger_deliver"

// DeliverArgs asks for one delivery to be attempted.
type DeliverArgs struct {
	DeliveryID int64 `json:"delivery_id"`
}

func (DeliverArgs) Kind() string { return "ledger_deliver" }

// Register adds the delivery worker to a River client (the pipeline's,
// through pipeline.Config.Register).
func (l *Ledger) Register(w *river.Workers) {
	river.AddWorker(w, &deliverWorker{l: l})
}

// Queues are the queues Register's jobs run in (pipeline.Config.Queues).
// Deliveries wait on the network, not the CPU: a few run at once.
func (l *Ledger) Queues() map[string]river.QueueConfig {
	return map[string]river.QueueConfig{QueueDeliver: {MaxWorkers: 4}}
}

// Webhook reports whether postings are delivered by webhook.
func (l *Ledger) Webhook() bool { return l.wh.URL != "" }

// enqueue records a pending delivery of the posting and inserts its job,
// in tx. Without a webhook it does nothing: pollers read the journal.
func (l *Ledger) enqueue(ctx context.Context, tx *db.Tx, q *db.Queue, postingID int64) error {
	if l.wh.URL == "" {
		return nil
	}
	if q == nil {
		return errors.New("enqueue delivery: no queue")
	}
	d, err := l.db.InsertDelivery(ctx, tx, postingID)
	if err != nil {
		return err
	}
	_, err = q.InsertTx(ctx, tx, DeliverArgs{DeliveryID: d.ID}, l.insertOpts())
	return err
}

func (l *Ledger) insertOpts() *river.InsertOpts {
	return &river.InsertOpts{Queue: QueueDeliver, MaxAttempts: l.wh.MaxAttempts}
}

// Resend moves a dead delivery back to pending and enqueues it again, in one
// transaction. q may be an insert-only client (a command's). A delivery
// that is not dead is db.ErrConflict.
func (l *Ledger) Resend(ctx context.Context, q *db.Queue, deliveryID int64, actor string) (db.Delivery, error) {
	if l.wh.URL == "" {
		return db.Delivery{}, errors.New("resend: no webhook is configured (PERVICHKA_WEBHOOK_URL)")
	}
	var d db.Delivery
	err := l.db.InTx(ctx, func(tx *db.Tx) error {
		var err error
		if d, err = l.db.ResendDelivery(ctx, tx, deliveryID); err != nil {
			return err
		}
		_, err = q.InsertTx(ctx, tx, DeliverArgs{DeliveryID: deliveryID}, l.insertOpts())
		return err
	})
	if err == nil {
		l.log.Info("delivery resent", "delivery", deliveryID, "posting", d.PostingID, "actor", actor)
	}
	return d, err
}

type deliverWorker struct {
	river.WorkerDefaults[DeliverArgs]
	l *Ledger
}

// NextRetry waits webhook.Backoff: doubling from Backoff up to MaxBackoff,
// with jitter.
func (w *deliverWorker) NextRetry(job *river.Job[DeliverArgs]) time.Time {
	return time.Now().Add(webhook.Backoff(w.l.wh.Backoff, w.l.wh.MaxBackoff, job.Attempt))
}

func (w *deliverWorker) Timeout(*river.Job[DeliverArgs]) time.Duration {
	return w.l.wh.Timeout + 30*time.Second
}

func (w *deliverWorker) Work(ctx context.Context, job *river.Job[DeliverArgs]) error {
	l := w.l
	id := job.Args.DeliveryID
	d, err := l.db.Delivery(ctx, nil, id)
	if err != nil {
		return err
	}
	if d.State != db.DeliveryPending {
		return nil // delivered by an earlier job, or dead and not resent
	}
	if l.wh.URL == "" {
		return river.JobCancel(errors.New("no webhook is configured any more"))
	}
	p, err := l.db.Posting(ctx, nil, d.PostingID)
	if err != nil {
		return err
	}
	body, err := json.Marshal(Delivery{Event: "ledger.posting", Posting: l.entry(p)})
	if err != nil {
		return river.JobCancel(fmt.Errorf("encode posting %d: %w", p.ID, err))
	}
	sendErr := l.send(ctx, id, job.Attempt, p.ID, body)
	if sendErr == nil {
		err := l.db.InTx(ctx, func(tx *db.Tx) error {
			if err := l.db.DeliverySucceeded(ctx, tx, id); err != nil && !errors.Is(err, db.ErrConflict) {
				return err
			}
			return db.CompleteJobTx(ctx, tx, job)
		})
		if err != nil {
			// The receiver has it; a retry sends the same idempotency key.
			return err
		}
		l.log.Debug("posting delivered", "delivery", id, "posting", p.ID, "attempt", job.Attempt)
		return nil
	}
	last := job.Attempt >= job.MaxAttempts
	if err := l.db.DeliveryFailed(ctx, nil, id, sendErr.Error(), last); err != nil && !errors.Is(err, db.ErrConflict) {
		return errors.Join(sendErr, err)
	}
	if last {
		l.log.Warn("delivery dead after its last attempt", "delivery", id, "posting", p.ID, "attempts", job.Attempt, "error", sendErr)
	}
	return sendErr
}

// send POSTs one delivery (webhook.Send); any answer but 2xx is a failure
// to retry.
func (l *Ledger) send(ctx context.Context, deliveryID int64, attempt int, postingID int64, body []byte) error {
	ctx, cancel := context.WithTimeout(ctx, l.wh.Timeout)
	defer cancel()
	h := http.Header{}
	h.Set("User-Agent", "pervichka-ledger")
	// Deprecated, for receivers written before the Standard Webhooks
	// headers: the body's HMAC alone (no timestamp, so replayable).
	h.Set(webhook.SignatureHeader, webhook.Sign(l.key, body))
	h.Set(webhook.IdempotencyHeader, IdempotencyKey(postingID))
	h.Set(webhook.DeliveryHeader, strconv.FormatInt(deliveryID, 10))
	h.Set(webhook.AttemptHeader, strconv.Itoa(attempt))
	// Standard Webhooks: id, send time and body signed together, so a
	// captured delivery cannot be replayed later or altered.
	return webhook.Send(ctx, l.wh.Client, l.wh.URL, l.key, IdempotencyKey(postingID), body, h)
}

// IdempotencyKey is the key of a posting's deliveries: one per posting, the
// same on every attempt and resend.
func IdempotencyKey(postingID int64) string {
	return "pervichka-posting-" + strconv.FormatInt(postingID, 10)
}

package statehook

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/pervichka/pervichka"
	"github.com/pervichka/pervichka/ledger/webhook"
	"github.com/pervichka/pervichka/storage/db"
)

// QueueDeliver is the River queue of state webhook deliveries.
const QueueDeliver = "state_webhook"

// EventStateChanged is the event name of every message (Message.Event).
const EventStateChanged = "document.state_changed"

// DeliverArgs asks for a document's pending changes to be delivered, in
// order.
type DeliverArgs struct {
	DocumentID int64 `json:"document_id"`
}

func (DeliverArgs) Kind() string { return "state_webhook" }

// InsertOpts make the job unique per document among waiting and running
// jobs: a change committed while its document's job waits or runs is
// picked up by that job (see Work), and no two workers send one document's
// changes at once. A completed job does not count, so the next change
// after it gets a new one.
func (DeliverArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{
		Queue: QueueDeliver,
		UniqueOpts: river.UniqueOpts{ByArgs: true, ByState: []rivertype.JobState{
			rivertype.JobStateAvailable, rivertype.JobStatePending, rivertype.JobStateRetryable,
			rivertype.JobStateRunning, rivertype.JobStateScheduled,
		}},
		MaxAttempts: jobMaxAttempts,
	}
}

// jobMaxAttempts bounds a job's own retries, which only a database error
// spends: a receiver's failure snoozes the job instead and is counted on
// the change (Config.MaxAttempts). 25 is River's default; a job given up
// on is replaced by the document's next change or by Resume at start.
const jobMaxAttempts = 25

// runBudget is how long one run of a document's job keeps sending before
// it lets other documents' jobs have the worker (it snoozes for no time
// and carries on after them). A document has about six changes in its
// life and a receiver answers in milliseconds, so this is reached only
// after an outage of the receiver or with a slow one. With the attempt
// timeout it bounds a run (Timeout) well below serve's --rescue-after
// (5 min 30 s by default), so River never takes a live run for a dead
// worker's.
const runBudget = time.Minute

// Register adds the delivery worker to a River client (the pipeline's,
// through pipeline.Config.Register).
func (h *Hooks) Register(w *river.Workers) {
	river.AddWorker(w, &deliverWorker{h: h})
}

// Queues are the queues Register's jobs run in (pipeline.Config.Queues).
// Deliveries wait on the network, not the CPU: a few run at once.
func (h *Hooks) Queues() map[string]river.QueueConfig {
	return map[string]river.QueueConfig{QueueDeliver: {MaxWorkers: 4}}
}

// MessageID is a change's webhook-id: the same on every attempt and
// resend, for the receiver to drop repeats by.
func MessageID(changeID int64) string {
	return "pervichka-state-" + strconv.FormatInt(changeID, 10)
}

// Message is a delivery's body.
type Message struct {
	Event  string `json:"event"` // EventStateChanged
	Change Change `json:"change"`
}

// Change is one change of a document's state on the wire.
type Change struct {
	// ID is the change's own id (MessageID's number): it increases with
	// each change of a document, so the largest a receiver has seen is the
	// document's current state.
	ID         int64     `json:"id"`
	DocumentID int64     `json:"document_id"`
	From       *db.State `json:"from"` // null when the document was just received
	To         db.State  `json:"to"`
	At         time.Time `json:"at"`
	// Actor is who made the change ("pipeline:extract", "clerk:ivanova",
	// "api:1c-integration"); Reason is the document history's Russian text.
	Actor   string   `json:"actor"`
	Reason  string   `json:"reason"`
	Failure *Failure `json:"failure"` // set only with to = failed
	Links   Links    `json:"links"`
}

// Failure says why a document failed, as the API's document does.
type Failure struct {
	Code    pervichka.ErrorCode `json:"code"`
	Message string              `json:"message"`
}

// Links point at the document in the JSON API (a service token reads
// them).
type Links struct {
	Document string `json:"document"`
	Original string `json:"original"`
}

func (h *Hooks) message(w db.StateWebhook) Message {
	doc := fmt.Sprintf("%s/api/v1/documents/%d", h.base, w.DocumentID)
	c := Change{ID: w.ID, DocumentID: w.DocumentID, To: w.To, At: w.At.UTC(), Actor: w.Actor, Reason: w.Reason,
		Links: Links{Document: doc, Original: doc + "/original"}}
	if w.From != "" {
		from := w.From
		c.From = &from
	}
	if w.To == db.StateFailed {
		code := w.FailureCode
		if code == "" {
			code = pervichka.CodeInternal
		}
		c.Failure = &Failure{Code: code, Message: code.Message()}
	}
	return Message{Event: EventStateChanged, Change: c}
}

type deliverWorker struct {
	river.WorkerDefaults[DeliverArgs]
	h *Hooks
}

// Timeout lets a run use its budget and finish the attempt it started.
func (w *deliverWorker) Timeout(*river.Job[DeliverArgs]) time.Duration {
	return runBudget + w.h.cfg.Timeout + 10*time.Second
}

// Work delivers the document's changes in order until none is left, one
// fails (the job snoozes for the backoff) or a dead one holds the rest
// back (the job completes; Resend enqueues it again).
func (w *deliverWorker) Work(ctx context.Context, job *river.Job[DeliverArgs]) error {
	h := w.h
	docID := job.Args.DocumentID
	if !h.Enabled() {
		return river.JobCancel(errors.New("no state webhook is configured any more"))
	}
	start := time.Now()
	for sent := 0; ; {
		next, err := h.db.NextStateWebhook(ctx, nil, docID)
		if errors.Is(err, db.ErrNotFound) || err == nil && next.State == db.DeliveryDead {
			if beforeFinish != nil {
				beforeFinish(docID)
			}
			done, err := h.finish(ctx, job)
			if err != nil || done {
				return err
			}
			continue // a change committed meanwhile
		}
		if err != nil {
			return err
		}
		if sent > 0 && time.Since(start) > runBudget {
			return river.JobSnooze(0)
		}
		sendErr := h.send(ctx, next)
		sent++
		if sendErr == nil {
			if err := h.db.StateWebhookDelivered(ctx, nil, next.ID); err != nil && !errors.Is(err, db.ErrConflict) {
				return err // the receiver has it; the retry sends the same webhook-id
			}
			continue
		}
		if ctx.Err() != nil {
			// Shutting down or out of time: not the receiver's failure.
			return errors.Join(sendErr, ctx.Err())
		}
		attempt := next.Attempts + 1
		last := attempt >= h.cfg.MaxAttempts
		if err := h.db.StateWebhookFailed(ctx, nil, next.ID, sendErr.Error(), last); err != nil && !errors.Is(err, db.ErrConflict) {
			return errors.Join(sendErr, err)
		}
		if last {
			h.log.Warn("state webhook dead after its last attempt; the document's later changes wait for its resend",
				"state_webhook", next.ID, "document", docID, "attempts", attempt, "error", sendErr)
			continue
		}
		h.log.Debug("state webhook failed", "state_webhook", next.ID, "document", docID, "attempt", attempt, "error", sendErr)
		return river.JobSnooze(webhook.Backoff(h.cfg.Backoff, h.cfg.MaxBackoff, attempt))
	}
}

// beforeFinish, set only by tests, runs where a run has found nothing to
// send and is about to finish: the moment a change may commit unseen.
var beforeFinish func(documentID int64)

// finish completes the job if its document has nothing to send, in a
// transaction holding the document's row. A change holds that row from its
// write to its commit, so a change either committed before the look here
// (and is seen: finish declines, the job goes on) or commits after the job
// is completed (and its own job insert, no longer a duplicate, goes
// through): no change is left without a job.
func (h *Hooks) finish(ctx context.Context, job *river.Job[DeliverArgs]) (done bool, err error) {
	docID := job.Args.DocumentID
	err = h.db.InTx(ctx, func(tx *db.Tx) error {
		if _, err := h.db.LockDocument(ctx, tx, docID); err != nil && !errors.Is(err, db.ErrNotFound) {
			return err
		}
		next, err := h.db.NextStateWebhook(ctx, tx, docID)
		switch {
		case err == nil && next.State == db.DeliveryPending:
			return nil
		case err != nil && !errors.Is(err, db.ErrNotFound):
			return err
		}
		done = true
		return db.CompleteJobTx(ctx, tx, job)
	})
	return done, err
}

// send POSTs one change (webhook.Send); any answer but 2xx is a failure.
func (h *Hooks) send(ctx context.Context, w db.StateWebhook) error {
	body, err := json.Marshal(h.message(w))
	if err != nil {
		return fmt.Errorf("encode state webhook %d: %w", w.ID, err)
	}
	ctx, cancel := context.WithTimeout(ctx, h.cfg.Timeout)
	defer cancel()
	hdr := http.Header{}
	hdr.Set("User-Agent", "pervichka-statehook")
	hdr.Set(webhook.AttemptHeader, strconv.Itoa(w.Attempts+1))
	return webhook.Send(ctx, h.cfg.Client, h.cfg.URL, h.key, MessageID(w.ID), body, hdr)
}

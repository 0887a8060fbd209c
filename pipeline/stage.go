package pipeline

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"runtime/debug"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	pervichka "github.com/pervichka/pervichka"
	"github.com/pervichka/pervichka/logctx"
	"github.com/pervichka/pervichka/storage/db"
	"github.com/pervichka/pervichka/storage/objects"
)

// runStage is every worker's Work: run the stage, settle its error (see
// settle) and report its duration.
func runStage[T river.JobArgs](ctx context.Context, p *Pipeline, stage string, job *river.Job[T], docID int64,
	fn func(context.Context, *river.Job[T]) error) error {
	start := time.Now()
	// Every line logged for this job names its document and stage.
	ctx = logctx.With(ctx, "document", docID, "stage", stage)
	err := fn(ctx, job)
	riverErr, observed := p.settle(ctx, job.JobRow, docID, stage, err, func(tx *db.Tx) error {
		return db.CompleteJobTx(ctx, tx, job)
	})
	p.observe(stage, start, observed)
	return riverErr
}

// errFailed marks, for observe, a stage that failed its document.
var errFailed = errors.New("document failed")

// permanent reports whether an error is about the file itself, so that no
// retry can help: the document fails at once.
func permanent(err error) bool {
	if db.IsTransient(err) || objects.IsTransient(err) ||
		errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return false
	}
	if errors.Is(err, objects.ErrNotFound) {
		return true // the original or a page file is gone: someone must look
	}
	var pe *pervichka.Error
	return errors.As(err, &pe) && pe.Code.Permanent()
}

// settle decides what a stage's error means. Transient errors go back to
// River, which retries with backoff. A permanent error, or any error on the
// job's last attempt, fails the document with a reason a person can read, in
// the same transaction as the job's completion, so the document is never
// left in processing with no job to move it. It returns the error for River
// (nil when the job is settled) and the error to observe.
func (p *Pipeline) settle(ctx context.Context, job *rivertype.JobRow, docID int64, stage string, err error,
	complete func(tx *db.Tx) error) (riverErr, observed error) {
	if err == nil {
		return nil, nil
	}
	if p.fault(ctx, err) && p.obs != nil {
		p.obs.ObserveFault(stage)
	}
	if ctx.Err() != nil || (!permanent(err) && job.Attempt < job.MaxAttempts) {
		p.log.WarnContext(ctx, "stage failed; will retry",
			"attempt", job.Attempt, "max_attempts", job.MaxAttempts, "err", err)
		return err, err
	}
	e := pervichka.AsError(err)
	reason := fmt.Sprintf("%s (%v)", e.Message(), err)
	if !permanent(err) {
		reason = fmt.Sprintf("%s: %d попыток не удались (%v)", e.Message(), job.Attempt, err)
	}
	ferr := p.db.InTx(ctx, func(tx *db.Tx) error {
		doc, err := p.db.LockDocument(ctx, tx, docID)
		if err != nil {
			return err
		}
		if doc.State == db.StateReceived || doc.State == db.StateProcessing {
			if err := p.db.Fail(ctx, tx, docID, doc.State, "pipeline:"+stage, e.Code, reason); err != nil {
				return err
			}
		}
		return complete(tx)
	})
	if ferr != nil {
		err = errors.Join(err, fmt.Errorf("record the failure: %w", ferr))
		return err, err
	}
	p.log.WarnContext(ctx, "document failed", "code", e.Code, "err", err)
	return nil, errFailed
}

// protect turns a panic in a stage into an internal error, so that it
// settles like any other failure instead of only being retried by River.
// The stack travels with it to settle, which logs it.
func protect(err *error) {
	if r := recover(); r != nil {
		*err = pervichka.WrapError(pervichka.CodeInternal, &panicError{value: r, stack: debug.Stack()}, "")
	}
}

// panicError is a stage's recovered panic: its value for the failure reason,
// its stack for the log only.
type panicError struct {
	value any
	stack []byte
}

func (e *panicError) Error() string { return fmt.Sprintf("panic: %v", e.value) }

// fault reports whether err is a bug rather than something about the
// document or the machine: a panic in a stage, or one the recogniser caught.
// It logs the stack when the stage's own recover caught it (the recogniser
// logs its own).
func (p *Pipeline) fault(ctx context.Context, err error) bool {
	var pe *panicError
	if errors.As(err, &pe) {
		p.log.ErrorContext(ctx, "stage panicked", "panic", pe.value, "stack", string(pe.stack))
		return true
	}
	var e *pervichka.Error
	return errors.As(err, &e) && e.Code == pervichka.CodeRecognitionFault
}

// get reads an object whole, refusing one over max bytes.
func (p *Pipeline) get(ctx context.Context, key string, max int64) ([]byte, error) {
	rc, info, err := p.store.Get(ctx, key)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	if max > 0 && info.Size > max {
		return nil, pervichka.Errorf(pervichka.CodeTooLarge, "object %s: %d bytes, limit %d", key, info.Size, max)
	}
	var buf bytes.Buffer
	buf.Grow(int(info.Size))
	if _, err := io.Copy(&buf, rc); err != nil {
		return nil, fmt.Errorf("read %s: %w", key, err)
	}
	return buf.Bytes(), nil
}

// put stores b under key.
func (p *Pipeline) put(ctx context.Context, key string, b []byte, contentType string) error {
	return p.store.Put(ctx, key, bytes.NewReader(b), int64(len(b)), contentType)
}

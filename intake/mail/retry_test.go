package mail_test

import (
	"context"
	"errors"
	"slices"
	"sync/atomic"
	"testing"

	"github.com/emersion/go-imap/v2"

	"github.com/pervichka/pervichka/intake"
	"github.com/pervichka/pervichka/intake/mail"
	"github.com/pervichka/pervichka/pipeline"
	"github.com/pervichka/pervichka/storage/db"
	"github.com/pervichka/pervichka/storage/db/dbtest"
)

// flakySubmitter fails the submissions numbered in fail (1-based) as
// storage would during an outage, and passes the others to the real
// pipeline. It stands beside TestMailFromDovecot, which uses the pipeline
// directly.
type flakySubmitter struct {
	real intake.Submitter
	n    atomic.Int32
	fail []int32
}

var errOutage = errors.New("object storage unavailable")

func (f *flakySubmitter) Submit(ctx context.Context, u pipeline.Upload) (db.Document, bool, error) {
	if slices.Contains(f.fail, f.n.Add(1)) {
		return db.Document{}, false, errOutage
	}
	return f.real.Submit(ctx, u)
}

// TestPollAfterFailure: a message whose second file fails to store is left
// unflagged and unrecorded; the next poll takes it again, and it ends with
// each file received once — the first file's receipt is not doubled.
func TestPollAfterFailure(t *testing.T) {
	ctx := t.Context()
	env := newMailEnv(t, dbtest.SQLiteURL(t))
	flaky := &flakySubmitter{real: env.p, fail: []int32{2}}
	recv := intake.NewReceiver(env.db, flaky, nil)
	poller := mail.NewPoller(env.dc.Mailbox, recv, mail.Options{})

	env.dc.Deliver(t, "INBOX", message("<two@petrov.ru>", "petrov@petrov.ru", "Два фото", "multipart/mixed",
		text("Два"), attachment("image/jpeg", "a.jpg", corpus(t, "002-invoice-photo.jpg")),
		attachment("image/jpeg", "b.jpg", corpus(t, "004-vat_invoice-photo.jpg"))))
	env.dc.Deliver(t, "INBOX", message("<next@petrov.ru>", "petrov@petrov.ru", "Ещё", "multipart/mixed",
		text("Ещё"), attachment("application/pdf", "c.pdf", corpus(t, "001-invoice.pdf"))))

	st, err := poller.Poll(ctx)
	if !errors.Is(err, errOutage) || st.Messages != 1 {
		t.Fatalf("first poll: %+v, %v; want the outage reported and the other message taken", st, err)
	}
	if _, err := env.db.MessageByKey(ctx, "<two@petrov.ru>"); !errors.Is(err, db.ErrNotFound) {
		t.Fatalf("the failed message was recorded: %v", err)
	}
	flags := env.dc.Flags(t, "INBOX")
	if slices.Contains(flags["two@petrov.ru"], mail.DoneFlag) || !slices.Contains(flags["next@petrov.ru"], mail.DoneFlag) {
		t.Fatalf("flags %v: the failed message must stay unflagged, the other flagged", flags)
	}

	st, err = poller.Poll(ctx)
	if err != nil || st.Messages != 1 || st.Documents != 2 {
		t.Fatalf("second poll: %+v, %v; want the failed message, two documents", st, err)
	}
	files, err := env.db.MessageFiles(ctx, "<two@petrov.ru>")
	if err != nil || len(files) != 2 {
		t.Fatalf("receipts %+v, %v; want one per file", files, err)
	}
	if !slices.Contains(env.dc.Flags(t, "INBOX")["two@petrov.ru"], imap.Flag(mail.DoneFlag)) {
		t.Fatal("the message is not flagged after it was stored")
	}
}

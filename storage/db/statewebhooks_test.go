package db

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/pervichka/pervichka"
	"github.com/pervichka/pervichka/storage/db/dbtest"
)

// TestStateWebhookStore: every state change — creation, transition,
// failure, a split-off document — reaches the hook inside its own
// transaction, so what the hook writes commits or rolls back with it; and
// the outbox rows move pending → dead → pending → delivered, one document's
// in order.
func TestStateWebhookStore(t *testing.T) {
	t.Parallel()
	for _, e := range dbtest.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			t.Parallel() // each engine its own database
			db := openTest(t, e.URL(t))
			ctx := t.Context()
			if err := db.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
			var refuse error
			db.OnStateChange(func(ctx context.Context, tx *Tx, c StateChange) error {
				if refuse != nil {
					return refuse
				}
				_, err := db.InsertStateWebhook(ctx, tx, c)
				return err
			})
			outbox := func(doc int64) []StateChange {
				t.Helper()
				var out []StateChange
				for _, st := range []DeliveryState{DeliveryPending, DeliveryDelivered, DeliveryDead} {
					ws, err := db.StateWebhooks(ctx, st, 0, MaxListLimit)
					if err != nil {
						t.Fatal(err)
					}
					for _, w := range ws {
						if w.DocumentID == doc {
							out = append(out, w.StateChange)
						}
					}
				}
				return out
			}

			a := create(t, db, "hook-a")
			if err := db.Transition(ctx, nil, a.ID, StateReceived, StateProcessing, "pipeline:ingest", "взят в работу"); err != nil {
				t.Fatal(err)
			}
			if err := db.Fail(ctx, nil, a.ID, StateProcessing, "pipeline:page", pervichka.CodeCorrupt, "файл повреждён"); err != nil {
				t.Fatal(err)
			}
			got := outbox(a.ID)
			want := []StateChange{
				{DocumentID: a.ID, To: StateReceived, Actor: "intake", Reason: "получен по электронной почте"},
				{DocumentID: a.ID, From: StateReceived, To: StateProcessing, Actor: "pipeline:ingest", Reason: "взят в работу"},
				{DocumentID: a.ID, From: StateProcessing, To: StateFailed, Actor: "pipeline:page", Reason: "файл повреждён", FailureCode: pervichka.CodeCorrupt},
			}
			events, err := db.Events(ctx, a.ID)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(want) || len(events) != len(want) {
				t.Fatalf("outbox %+v, %d events; want %d changes", got, len(events), len(want))
			}
			for i := range want {
				if got[i].At.IsZero() || !got[i].At.Equal(events[i].At) {
					t.Errorf("change %d at %v, its event at %v", i, got[i].At, events[i].At)
				}
				got[i].At = want[i].At
				if got[i] != want[i] {
					t.Errorf("change %d: %+v, want %+v", i, got[i], want[i])
				}
			}

			// A change rolled back leaves no row; a hook that fails rolls
			// the change back; a note changes no state and calls nothing.
			errRollback := errors.New("roll back")
			if err := db.InTx(ctx, func(tx *Tx) error {
				if err := db.Transition(ctx, tx, a.ID, StateFailed, StateProcessing, "admin:x", "повтор"); err != nil {
					return err
				}
				return errRollback
			}); !errors.Is(err, errRollback) {
				t.Fatal(err)
			}
			refuse = errors.New("outbox unavailable")
			if err := db.Transition(ctx, nil, a.ID, StateFailed, StateRejected, "admin:x", "отклонён"); !errors.Is(err, refuse) {
				t.Errorf("transition with a failing hook: %v, want its error", err)
			}
			refuse = nil
			if err := db.NoteEvent(ctx, nil, a.ID, StateFailed, "admin:x", "заметка"); err != nil {
				t.Fatal(err)
			}
			if d, _ := db.GetDocument(ctx, nil, a.ID); d.State != StateFailed || len(outbox(a.ID)) != 3 {
				t.Errorf("after a rollback, a refused hook and a note: %s, %d rows; want failed, 3", d.State, len(outbox(a.ID)))
			}

			// A document split off another is created in received.
			parent := create(t, db, "hook-parent")
			if err := db.AddPages(ctx, nil, parent.ID, []Page{{Index: 0, WordsKey: "w0"}, {Index: 1, WordsKey: "w1"}}); err != nil {
				t.Fatal(err)
			}
			var child Document
			if err := db.InTx(ctx, func(tx *Tx) error {
				var err error
				child, err = db.SplitPages(ctx, tx, Split{From: parent.ID, Pages: []int{1}, Actor: "clerk:ivanova", Reason: "отделена страница 2"})
				return err
			}); err != nil {
				t.Fatal(err)
			}
			if got := outbox(child.ID); len(got) != 1 || got[0].To != StateReceived || got[0].From != "" || got[0].Actor != "clerk:ivanova" {
				t.Errorf("split-off document's changes: %+v", got)
			}

			// Delivery in order: a dead row holds the document's later
			// rows back until resent.
			docs, err := db.PendingStateWebhookDocuments(ctx, 0, MaxListLimit)
			if err != nil || !slices.Equal(docs, []int64{a.ID, parent.ID, child.ID}) {
				t.Fatalf("documents with pending rows: %v, %v", docs, err)
			}
			first, err := db.NextStateWebhook(ctx, nil, a.ID)
			if err != nil || first.To != StateReceived || first.State != DeliveryPending {
				t.Fatalf("next of a: %+v, %v", first, err)
			}
			if err := db.StateWebhookFailed(ctx, nil, first.ID, "503", false); err != nil {
				t.Fatal(err)
			}
			if err := db.StateWebhookFailed(ctx, nil, first.ID, "503 again", true); err != nil {
				t.Fatal(err)
			}
			if next, err := db.NextStateWebhook(ctx, nil, a.ID); err != nil || next.ID != first.ID || next.State != DeliveryDead ||
				next.Attempts != 2 || next.LastError != "503 again" {
				t.Fatalf("next after the first went dead: %+v, %v; want the dead one", next, err)
			}
			if err := db.StateWebhookDelivered(ctx, nil, first.ID); !errors.Is(err, ErrConflict) {
				t.Errorf("delivered a dead row: %v, want ErrConflict", err)
			}
			if _, err := db.ResendStateWebhook(ctx, nil, first.ID+1); !errors.Is(err, ErrConflict) {
				t.Errorf("resent a pending row: %v, want ErrConflict", err)
			}
			var resent StateWebhook
			if err := db.InTx(ctx, func(tx *Tx) error { resent, err = db.ResendStateWebhook(ctx, tx, first.ID); return err }); err != nil ||
				resent.State != DeliveryPending || resent.Attempts != 0 {
				t.Fatalf("resend: %+v, %v", resent, err)
			}
			for i := 0; ; i++ {
				next, err := db.NextStateWebhook(ctx, nil, a.ID)
				if errors.Is(err, ErrNotFound) {
					if i != 3 {
						t.Errorf("%d rows delivered, want 3", i)
					}
					break
				}
				if err != nil {
					t.Fatal(err)
				}
				if next.To != want[i].To {
					t.Fatalf("row %d to deliver goes to %s, want %s", i, next.To, want[i].To)
				}
				if err := db.StateWebhookDelivered(ctx, nil, next.ID); err != nil {
					t.Fatal(err)
				}
			}
			delivered, err := db.StateWebhooks(ctx, DeliveryDelivered, 0, MaxListLimit)
			if err != nil || len(delivered) != 3 || delivered[0].DeliveredAt.IsZero() || delivered[0].Attempts != 1 {
				t.Errorf("delivered rows: %+v, %v", delivered, err)
			}
			if docs, _ := db.PendingStateWebhookDocuments(ctx, parent.ID, MaxListLimit); !slices.Equal(docs, []int64{child.ID}) {
				t.Errorf("pending documents after %d: %v, want only %d", parent.ID, docs, child.ID)
			}

			db.OnStateChange(nil)
			b := create(t, db, "hook-b")
			if got := outbox(b.ID); len(got) != 0 {
				t.Errorf("without a hook: %d rows", len(got))
			}
		})
	}
}

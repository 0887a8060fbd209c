package db

import (
	"errors"
	"strings"
	"testing"

	"github.com/pervichka/pervichka/storage/db/dbtest"
)

// TestLedgerStore: the journal's constraints and the delivery state
// machine, below the ledger package.
func TestLedgerStore(t *testing.T) {
	t.Parallel()
	for _, e := range dbtest.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			t.Parallel() // each engine its own database
			db := openTest(t, e.URL(t))
			ctx := t.Context()
			if err := db.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
			doc, _, err := db.CreateDocument(ctx, nil, NewDocument{SHA256: strings.Repeat("ab", 32), ObjectKey: "o", Size: 1, Source: SourceUpload})
			if err != nil {
				t.Fatal(err)
			}
			np := NewPosting{DocumentID: doc.ID, DocumentVersion: 3, Kind: KindPosting, Register: RegisterJournal,
				DocType: "act", Number: "1", Date: "2026-10-01", SupplierINN: "7707083893", BuyerINN: "7728168971",
				TotalKopecks: 1200000, VATKopecks: 200000, ResultSHA256: "x", Result: []byte(`{"a":1}`),
				Lines: []byte(`[{"debit":"26","credit":"60.01","amount_kopecks":1000000}]`), Actor: "test"}
			var p Posting
			if err := db.InTx(ctx, func(tx *Tx) error { p, err = db.InsertPosting(ctx, tx, np); return err }); err != nil {
				t.Fatal(err)
			}
			if p.Position != 1 || p.Date != "2026-10-01" || p.TotalKopecks != 1200000 || p.CreatedAt.IsZero() {
				t.Errorf("posting read back as %+v", p)
			}
			insert := func(n NewPosting) error {
				return db.InTx(ctx, func(tx *Tx) error { _, err := db.InsertPosting(ctx, tx, n); return err })
			}
			if err := insert(np); !errors.Is(err, ErrDuplicate) {
				t.Errorf("second posting of a version: %v, want ErrDuplicate", err)
			}
			s := np
			s.Kind, s.ReversesID, s.DocumentVersion = KindStorno, p.ID, 4
			if err := insert(s); err != nil {
				t.Fatal(err)
			}
			s.DocumentVersion = 5
			if err := insert(s); !errors.Is(err, ErrDuplicate) {
				t.Errorf("second storno of a posting: %v, want ErrDuplicate", err)
			}
			bad := np
			bad.DocumentVersion, bad.Kind = 9, KindStorno // a storno must name its posting
			if err := insert(bad); err == nil {
				t.Error("storno without reverses_id accepted")
			}
			if _, err := db.ActivePosting(ctx, nil, doc.ID); !errors.Is(err, ErrNotFound) {
				t.Errorf("active posting after its storno: %v, want ErrNotFound", err)
			}
			// A rolled-back posting leaves a gap in positions, never a reuse.
			_ = db.InTx(ctx, func(tx *Tx) error {
				n := np
				n.DocumentVersion = 7
				if _, err := db.InsertPosting(ctx, tx, n); err != nil {
					return err
				}
				return errors.New("roll back")
			})
			n := np
			n.DocumentVersion = 8
			if err := insert(n); err != nil {
				t.Fatal(err)
			}
			ps, err := db.PostingsAfter(ctx, 0, 10)
			if err != nil || len(ps) != 3 {
				t.Fatalf("%d postings, %v", len(ps), err)
			}
			for i := 1; i < len(ps); i++ {
				if ps[i].Position <= ps[i-1].Position {
					t.Errorf("positions %d then %d", ps[i-1].Position, ps[i].Position)
				}
			}

			// Deliveries: pending → dead → pending → delivered.
			d, err := db.InsertDelivery(ctx, nil, p.ID)
			if err != nil || d.State != DeliveryPending {
				t.Fatalf("insert delivery: %+v, %v", d, err)
			}
			if _, err := db.ResendDelivery(ctx, nil, d.ID); !errors.Is(err, ErrConflict) {
				t.Errorf("resend of a pending delivery: %v, want ErrConflict", err)
			}
			if err := db.DeliveryFailed(ctx, nil, d.ID, "503", false); err != nil {
				t.Fatal(err)
			}
			if err := db.DeliveryFailed(ctx, nil, d.ID, "503 again", true); err != nil {
				t.Fatal(err)
			}
			if err := db.DeliveryFailed(ctx, nil, d.ID, "late", true); !errors.Is(err, ErrConflict) {
				t.Errorf("failure of a dead delivery: %v, want ErrConflict", err)
			}
			dead, err := db.Deliveries(ctx, DeliveryDead, 0, 10)
			if err != nil || len(dead) != 1 || dead[0].Attempts != 2 || dead[0].LastError != "503 again" {
				t.Fatalf("dead letters %+v, %v", dead, err)
			}
			if _, err := db.ResendDelivery(ctx, nil, d.ID); err != nil {
				t.Fatal(err)
			}
			if err := db.DeliverySucceeded(ctx, nil, d.ID); err != nil {
				t.Fatal(err)
			}
			got, err := db.Delivery(ctx, nil, d.ID)
			if err != nil || got.State != DeliveryDelivered || got.DeliveredAt.IsZero() || got.Attempts != 3 || got.LastError != "" {
				t.Errorf("delivered: %+v, %v", got, err)
			}
			if _, err := db.InsertDelivery(ctx, nil, p.ID); !errors.Is(err, ErrDuplicate) {
				t.Errorf("second delivery of a posting: %v, want ErrDuplicate", err)
			}
			if _, err := db.ResendDelivery(ctx, nil, 999); !errors.Is(err, ErrNotFound) {
				t.Errorf("resend of a missing delivery: %v, want ErrNotFound", err)
			}
		})
	}
}

package db

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/pervichka/pervichka/storage/db/dbtest"
)

// TestLastApprovedWithBank: the document a new one's bank details are
// compared with is the supplier's latest approved one that prints them,
// however it was approved (automatically, by a clerk, posted after
// either); documents waiting, rejected, of another supplier or without
// bank details are passed over.
func TestLastApprovedWithBank(t *testing.T) {
	const inn = "7732612886"
	for _, e := range dbtest.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			db := openTest(t, e.URL(t))
			ctx := t.Context()
			if err := db.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
			n := 0
			// doc makes a document of supplier with the account (none when
			// "") and walks it through states after processing.
			doc := func(supplier, account string, states ...State) int64 {
				t.Helper()
				n++
				d, _, err := db.CreateDocument(ctx, nil, NewDocument{SHA256: fmt.Sprintf("%064x", n), ObjectKey: "k", Size: 1, Source: SourceUpload})
				if err != nil {
					t.Fatal(err)
				}
				if err := db.Transition(ctx, nil, d.ID, StateReceived, StateProcessing, "t", ""); err != nil {
					t.Fatal(err)
				}
				bank := "null"
				if account != "" {
					bank = `{"bik": "044525232", "account": "` + account + `"}`
				}
				res := fmt.Sprintf(`{"supplier": {"inn": %q}, "supplier_bank": %s}`, supplier, bank)
				if _, err := db.SaveResult(ctx, nil, d.ID, d.Version+1, []byte(res), Fields{SupplierINN: supplier}); err != nil {
					t.Fatal(err)
				}
				from := StateProcessing
				for _, to := range states {
					// Distinct update times: the order is by them.
					time.Sleep(2 * time.Millisecond)
					if err := db.Transition(ctx, nil, d.ID, from, to, "t", ""); err != nil {
						t.Fatal(err)
					}
					from = to
				}
				return d.ID
			}
			last := func() int64 {
				t.Helper()
				d, err := db.LastApprovedWithBank(ctx, nil, inn, 0)
				if errors.Is(err, ErrNotFound) {
					return 0
				}
				if err != nil {
					t.Fatal(err)
				}
				return d.ID
			}
			if got := last(); got != 0 {
				t.Fatalf("empty database: %d", got)
			}
			doc(inn, "40702810000000000001", StateNeedsReview)
			doc(inn, "40702810000000000002", StateNeedsReview, StateRejected)
			doc("7707083893", "40702810000000000003", StateAutoApproved)
			if got := last(); got != 0 {
				t.Fatalf("only waiting, rejected and another supplier's: %d", got)
			}
			auto := doc(inn, "40702810000000000004", StateAutoApproved)
			if got := last(); got != auto {
				t.Fatalf("after an auto-approved one: %d, want %d", got, auto)
			}
			waiting := doc(inn, "40702810000000000005", StateNeedsReview)
			posted := doc(inn, "40702810000000000006", StateAutoApproved, StatePosted)
			if got := last(); got != posted {
				t.Fatalf("after an auto-approved and posted one: %d, want %d", got, posted)
			}
			doc(inn, "", StateAutoApproved)
			if got := last(); got != posted {
				t.Fatalf("a later act without bank details is not compared with: %d, want %d", got, posted)
			}
			// A clerk approves the older waiting document now: it is the
			// latest approval.
			time.Sleep(2 * time.Millisecond)
			if err := db.Transition(ctx, nil, waiting, StateNeedsReview, StateApproved, "clerk:a", ""); err != nil {
				t.Fatal(err)
			}
			if got := last(); got != waiting {
				t.Fatalf("after a clerk's approval: %d, want %d", got, waiting)
			}
			if d, err := db.LastApprovedWithBank(ctx, nil, inn, waiting); err != nil || d.ID != posted {
				t.Fatalf("except the document itself: %d %v, want %d", d.ID, err, posted)
			}
		})
	}
}

package review

import (
	"context"
	"maps"
	"slices"
	"testing"
	"time"

	"github.com/pervichka/pervichka"
	"github.com/pervichka/pervichka/extractors/ruvalid"
	"github.com/pervichka/pervichka/storage/db"
	"github.com/pervichka/pervichka/storage/db/dbtest"
)

func TestDirectory(t *testing.T) {
	for _, eng := range dbtest.Engines() {
		t.Run(eng.Name, func(t *testing.T) {
			e := newEnv(t, eng.URL(t))
			ctx := context.Background()
			res, _ := goldenInvoice(t)
			res.SupplierBank = &pervichka.Bank{BankName: "АО \"Райффайзенбанк\"", BIK: "044525700",
				Account: "40702810004778425585", CorrAccount: "30101810200000000700"}
			id := e.seed(1, nil)
			dir := Directory{DB: e.db}
			if err := e.db.InTx(ctx, func(tx *db.Tx) error { return dir.Learn(ctx, tx, id, res) }); err != nil {
				t.Fatal(err)
			}
			tests := []struct {
				name   string
				mutate func(r *pervichka.Result)
				want   []string
			}{
				{"same", func(r *pervichka.Result) {}, nil},
				{"no bank printed", func(r *pervichka.Result) { r.SupplierBank = nil }, nil},
				{"name spelled differently", func(r *pervichka.Result) { r.Supplier.Name = "ООО «Агромонтаж»" }, nil},
				{"other name", func(r *pervichka.Result) { r.Supplier.Name = "ООО \"Агромонтаж Плюс\"" },
					[]string{"counterparty_name:supplier"}},
				{"buyer kpp", func(r *pervichka.Result) { r.Buyer.KPP = "744602001" }, []string{"counterparty_kpp:buyer"}},
				{"unknown supplier", func(r *pervichka.Result) {
					r.Supplier.INN = "7707083893"
					r.SupplierBank.Account = "40702810900000000001"
				}, nil},
				// A name printed once and read twice is not evidence; the
				// name a clerk approved for the same (vouched) ИНН is.
				{"name only read twice, the directory confirms it", func(r *pervichka.Result) {
					r.Evidence["supplier.inn"] = []string{pervichka.EvidenceCheckDigit, pervichka.EvidenceSecondReading}
					r.Evidence["supplier.name"] = []string{pervichka.EvidenceSecondReading}
					r.ReviewReasons, r.NeedsReview = []string{"unconfirmed:supplier.name"}, true
				}, nil},
				{"the ИНН only by its check digits", func(r *pervichka.Result) {
					r.Evidence["supplier.inn"] = []string{pervichka.EvidenceCheckDigit}
					r.ReviewReasons, r.NeedsReview = []string{"unconfirmed:supplier.inn", "unconfirmed:supplier.name"}, true
				}, []string{"unconfirmed:supplier.inn", "unconfirmed:supplier.name"}},
				{"another doubt stays", func(r *pervichka.Result) {
					r.Evidence["supplier.inn"] = []string{pervichka.EvidenceCheckDigit, pervichka.EvidenceSecondReading}
					r.ReviewReasons, r.NeedsReview = []string{"unconfirmed:supplier.name", "low_confidence:total"}, true
				}, []string{"low_confidence:total"}},
				{"a misread name is not confirmed", func(r *pervichka.Result) {
					r.Supplier.Name = "ООО «Агромоитаж»"
					r.Evidence["supplier.inn"] = []string{pervichka.EvidenceCheckDigit, pervichka.EvidenceSecondReading}
					r.ReviewReasons, r.NeedsReview = []string{"unconfirmed:supplier.name"}, true
				}, []string{"unconfirmed:supplier.name", "counterparty_name:supplier"}},
			}
			for _, tt := range tests {
				t.Run(tt.name, func(t *testing.T) {
					r := res
					b := *res.SupplierBank
					r.SupplierBank = &b
					r.NeedsReview, r.ReviewReasons = false, nil
					r.Evidence = map[string][]string{}
					for k, v := range res.Evidence {
						r.Evidence[k] = slices.Clone(v)
					}
					r.Confidence = maps.Clone(res.Confidence)
					tt.mutate(&r)
					err := e.db.InTx(ctx, func(tx *db.Tx) error { return CheckDirectory(ctx, e.db, tx, &r) })
					if err != nil {
						t.Fatal(err)
					}
					if !slices.Equal(r.ReviewReasons, tt.want) || r.NeedsReview != (len(tt.want) > 0) {
						t.Errorf("reasons %v, needs review %v; want %v", r.ReviewReasons, r.NeedsReview, tt.want)
					}
					want := ruvalid.NormalizeName(string(r.Supplier.Name)) == ruvalid.NormalizeName(string(res.Supplier.Name)) && r.Supplier.INN == res.Supplier.INN && innVouched(&r, "supplier")
					if got := slices.Contains(r.Evidence["supplier.name"], pervichka.EvidenceDirectory); got != want {
						t.Errorf("directory evidence %v (want it: %v) with ИНН evidence %v", r.Evidence["supplier.name"], want, r.Evidence["supplier.inn"])
					}
				})
			}
			// A later document without bank details keeps the directory's.
			r := res
			r.SupplierBank = nil
			if err := e.db.InTx(ctx, func(tx *db.Tx) error { return dir.Learn(ctx, tx, id, r) }); err != nil {
				t.Fatal(err)
			}
			cp, err := e.db.CounterpartyByINN(ctx, nil, goodSupplierINN)
			if err != nil || cp.Account != "40702810004778425585" {
				t.Fatalf("bank details after an act without them: %+v %v", cp, err)
			}
			if got := reasonText("bank_changed:supplier"); got != pervichka.ReasonText[ReasonBankChanged]+" (поставщик)" {
				t.Errorf("reason text %q", got)
			}
		})
	}
}

// WarmCounts fills the queue's count cache in the background, so the first
// queue view after a start reads counts instead of waiting for them.
func TestWarmCounts(t *testing.T) {
	e := newEnv(t, dbtest.SQLiteURL(t))
	for i := range 3 {
		e.seed(i+1, nil)
	}
	e.srv.WarmCounts(t.Context())
	deadline := time.Now().Add(10 * time.Second)
	for {
		e.srv.counts.mu.Lock()
		c, ok := e.srv.counts.m[db.StateNeedsReview]
		_, failedOK := e.srv.counts.m[db.StateFailed]
		e.srv.counts.mu.Unlock()
		if ok && failedOK {
			if c.c.Total != 3 {
				t.Fatalf("warmed count %d, want 3", c.c.Total)
			}
			return
		}
		if time.Now().After(deadline) {
			t.Fatal("counts not warmed in 10 s")
		}
		time.Sleep(10 * time.Millisecond)
	}
}

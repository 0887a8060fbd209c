package ledger_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/riverqueue/river"

	"github.com/pervichka/pervichka"
	"github.com/pervichka/pervichka/ledger"
	"github.com/pervichka/pervichka/storage/db"
	"github.com/pervichka/pervichka/storage/db/dbtest"
)

func quietLog() *slog.Logger {
	return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelError}))
}

func open(t testing.TB, url string) *db.DB {
	t.Helper()
	d, err := db.Open(t.Context(), url, quietLog())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = d.Close() })
	if err := d.Migrate(t.Context()); err != nil {
		t.Fatal(err)
	}
	return d
}

func newLedger(t testing.TB, d *db.DB, wh ledger.WebhookConfig) *ledger.Ledger {
	t.Helper()
	l, err := ledger.New(ledger.Config{DB: d, Webhook: wh, BaseURL: "https://pervichka.example", Logger: quietLog()})
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// act is a valid act for 12 000,00 ₽ with 2 000,00 ₽ VAT at 20 %.
func act(number string) pervichka.Result {
	return pervichka.Result{
		DocType: pervichka.DocAct, Number: pervichka.Text(number), Date: "2026-10-01",
		Supplier: pervichka.Party{Name: "ООО «Ромашка»", INN: "7707083893", KPP: "773601001"},
		Buyer:    pervichka.Party{Name: "ООО «Лютик»", INN: "7728168971", KPP: "772801001"},
		Total:    "12000.00", VATRate: "20", VATAmount: "2000.00",
		Items: []pervichka.Item{{Name: "Оказание консультационных услуг", Quantity: "1", Unit: "усл", Price: "12000.00", Amount: "12000.00"}},
	}
}

func fieldsOf(r pervichka.Result) db.Fields {
	f := db.Fields{DocType: r.DocType, Number: string(r.Number), Date: string(r.Date),
		SupplierINN: string(r.Supplier.INN), BuyerINN: string(r.Buyer.INN)}
	if k, err := pervichka.ParseKopecks(string(r.Total)); err == nil {
		f.Total = &k
	}
	return f
}

// newDoc stores a document with result r and brings it to state through the
// real state machine: auto_approved, or needs_review (a clerk approves it in
// the test).
func newDoc(t testing.TB, d *db.DB, r pervichka.Result, state db.State) int64 {
	t.Helper()
	ctx := context.Background()
	var sum [32]byte
	_, _ = rand.Read(sum[:])
	sha := hex.EncodeToString(sum[:])
	doc, _, err := d.CreateDocument(ctx, nil, db.NewDocument{SHA256: sha, ObjectKey: "originals/" + sha, FileName: "act.pdf",
		ContentType: "application/pdf", Size: 1, Source: db.SourceUpload})
	if err != nil {
		t.Fatal(err)
	}
	err = d.InTx(ctx, func(tx *db.Tx) error {
		if err := d.Transition(ctx, tx, doc.ID, db.StateReceived, db.StateProcessing, "test", "test"); err != nil {
			return err
		}
		b, _ := json.Marshal(r)
		if _, err := d.SaveResult(ctx, tx, doc.ID, doc.Version+1, b, fieldsOf(r)); err != nil {
			return err
		}
		return d.Transition(ctx, tx, doc.ID, db.StateProcessing, state, "test", "test")
	})
	if err != nil {
		t.Fatal(err)
	}
	return doc.ID
}

func post(ctx context.Context, d *db.DB, l *ledger.Ledger, q *db.Queue, id int64, actor string) error {
	return d.InTx(ctx, func(tx *db.Tx) error { return l.PostTx(ctx, tx, q, id, actor) })
}

func lines(t testing.TB, p db.Posting) []ledger.Line {
	t.Helper()
	var ls []ledger.Line
	if err := json.Unmarshal(p.Lines, &ls); err != nil {
		t.Fatal(err)
	}
	return ls
}

func TestMapping(t *testing.T) {
	m := ledger.DefaultMapping()
	goods := act("1")
	goods.DocType = pervichka.DocUPD
	goods.Items = []pervichka.Item{{Name: "Бумага офисная А4", Unit: "шт", Amount: "12000.00"}}
	mixed := goods
	mixed.Items = append(slices.Clone(goods.Items), pervichka.Item{Name: "Доставка", Unit: "усл"})
	services := goods
	services.Items = []pervichka.Item{{Name: "Техническое ОБСЛУЖИВАНИЕ сервера", Unit: "мес"}, {Name: "Настройка", Unit: "Усл. ед."}}
	byUnit := goods
	byUnit.Items = []pervichka.Item{{Name: "Пакет «Стандарт»", Unit: "усл.ед"}}
	invoice := act("1")
	invoice.DocType = pervichka.DocInvoice
	contract := act("1")
	contract.DocType, contract.Total, contract.VATAmount = pervichka.DocContract, "", ""
	unknown := act("1")
	unknown.DocType = pervichka.DocUnknown
	torg12 := goods
	torg12.DocType = pervichka.DocTORG12
	tests := []struct {
		name  string
		r     pervichka.Result
		class ledger.Class
		err   bool
	}{
		{"act", act("1"), ledger.ClassServices, false},
		{"upd of goods", goods, ledger.ClassGoods, false},
		{"upd of goods and a service", mixed, ledger.ClassGoods, false},
		{"upd of services", services, ledger.ClassServices, false},
		{"service by its unit alone", byUnit, ledger.ClassServices, false},
		{"invoice", invoice, ledger.ClassPayables, false},
		{"contract", contract, ledger.ClassContracts, false},
		{"ТОРГ-12 of goods", torg12, ledger.ClassGoods, false},
		{"unknown", unknown, "", true},
	}
	for _, tt := range tests {
		c, err := m.Classify(tt.r)
		if (err != nil) != tt.err || c != tt.class {
			t.Errorf("%s: %q, %v; want %q (error %v)", tt.name, c, err, tt.class, tt.err)
		}
		if tt.err && !errors.Is(err, ledger.ErrUnmappable) {
			t.Errorf("%s: %v is not ErrUnmappable", tt.name, err)
		}
	}
	bad := m
	bad.Goods.Debit = "41,01"
	if err := bad.Validate(); err == nil {
		t.Error("account 41,01 accepted")
	}
	path := t.TempDir() + "/m.json"
	_ = os.WriteFile(path, []byte(`{"services": {"debit": "44", "credit": "60.01"}}`), 0o600)
	got, err := ledger.LoadMapping(path)
	if err != nil || got.Services.Debit != "44" || got.Goods.Debit != "41.01" {
		t.Errorf("LoadMapping = %+v, %v; want services from the file, the rest default", got, err)
	}
	_ = os.WriteFile(path, []byte(`{"servces": {}}`), 0o600)
	if _, err := ledger.LoadMapping(path); err == nil {
		t.Error("a misspelt field was accepted")
	}
}

// TestPostLines: each kind of document gets the entries, in
// kopecks, and a register row where it has none.
func TestPostLines(t *testing.T) {
	d := open(t, dbtest.SQLiteURL(t))
	l := newLedger(t, d, ledger.WebhookConfig{})
	ctx := t.Context()
	goods := act("G-1")
	goods.DocType = pervichka.DocVATInvoice
	goods.Items = []pervichka.Item{{Name: "Бумага", Unit: "пач", Amount: "12000.00"}}
	noVAT := act("N-1")
	noVAT.VATRate, noVAT.VATAmount = pervichka.VATNone, ""
	invoice := act("I-1")
	invoice.DocType = pervichka.DocInvoice
	tests := []struct {
		name     string
		r        pervichka.Result
		register db.Register
		want     []ledger.Line
	}{
		{"act", act("A-1"), db.RegisterJournal, []ledger.Line{
			{Debit: "26", Credit: "60.01", AmountKopecks: 1000000}, {Debit: "19", Credit: "60.01", AmountKopecks: 200000}}},
		{"goods", goods, db.RegisterJournal, []ledger.Line{
			{Debit: "41.01", Credit: "60.01", AmountKopecks: 1000000}, {Debit: "19", Credit: "60.01", AmountKopecks: 200000}}},
		{"without VAT", noVAT, db.RegisterJournal, []ledger.Line{{Debit: "26", Credit: "60.01", AmountKopecks: 1200000}}},
		{"invoice", invoice, db.RegisterPayables, []ledger.Line{}},
	}
	for _, tt := range tests {
		id := newDoc(t, d, tt.r, db.StateAutoApproved)
		if err := post(ctx, d, l, nil, id, "test"); err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		p, err := d.ActivePosting(ctx, nil, id)
		if err != nil {
			t.Fatal(err)
		}
		got := lines(t, p)
		for i := range got {
			got[i].Memo = ""
		}
		if p.Register != tt.register || !slices.Equal(got, tt.want) || p.TotalKopecks != 1200000 {
			t.Errorf("%s: register %s, total %d, lines %+v; want %s, 1200000, %+v", tt.name, p.Register, p.TotalKopecks, got, tt.register, tt.want)
		}
	}
	// A document the mapping cannot book is not posted: auto-approved, it
	// goes to a clerk; approved by a clerk, the clerk gets the error.
	unknown := act("U-1")
	unknown.DocType = pervichka.DocUnknown
	id := newDoc(t, d, unknown, db.StateAutoApproved)
	if err := post(ctx, d, l, nil, id, "test"); err != nil {
		t.Errorf("auto-approved unmappable document: %v", err)
	}
	evs, _ := d.Events(ctx, id)
	if doc, _ := d.GetDocument(ctx, nil, id); doc.State != db.StateNeedsReview || !strings.Contains(evs[len(evs)-1].Reason, "unknown") {
		t.Errorf("unmappable document is %s (%q), want needs_review saying why", doc.State, evs[len(evs)-1].Reason)
	}
	err := d.InTx(ctx, func(tx *db.Tx) error {
		if err := d.Transition(ctx, tx, id, db.StateNeedsReview, db.StateApproved, "clerk", "ok"); err != nil {
			return err
		}
		return l.PostTx(ctx, tx, nil, id, "clerk")
	})
	if !errors.Is(err, ledger.ErrUnmappable) {
		t.Errorf("clerk's approval of an unmappable document: %v, want ErrUnmappable", err)
	}
	if ps, _ := d.DocumentPostings(ctx, nil, id); len(ps) != 0 {
		t.Errorf("unmappable document has %d postings", len(ps))
	}
	// Only an approved document is posted.
	id = newDoc(t, d, act("R-1"), db.StateNeedsReview)
	if err := post(ctx, d, l, nil, id, "test"); !errors.Is(err, db.ErrIllegalTransition) {
		t.Errorf("a document in review was posted: %v", err)
	}
}

// TestExactlyOnce: many transactions post the same document at once; one
// posting results. Clerks approving one document at once: one wins.
func TestExactlyOnce(t *testing.T) {
	for _, e := range dbtest.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			d := open(t, e.URL(t))
			l := newLedger(t, d, ledger.WebhookConfig{})
			ctx := t.Context()
			const racers = 8

			// The pipeline's post job run twice at once, or retried.
			auto := newDoc(t, d, act("E-1"), db.StateAutoApproved)
			errs := race(racers, func(i int) error { return post(ctx, d, l, nil, auto, fmt.Sprintf("racer:%d", i)) })
			for _, err := range errs {
				if err != nil {
					t.Errorf("concurrent PostTx: %v", err)
				}
			}

			// Clerks approving the same document: each moves it
			// needs_review → approved and posts, in one transaction.
			reviewed := newDoc(t, d, act("E-2"), db.StateNeedsReview)
			errs = race(racers, func(i int) error {
				return d.InTx(ctx, func(tx *db.Tx) error {
					actor := fmt.Sprintf("clerk:%d", i)
					if err := d.Transition(ctx, tx, reviewed, db.StateNeedsReview, db.StateApproved, actor, "проверен"); err != nil {
						return err
					}
					return l.PostTx(ctx, tx, nil, reviewed, actor)
				})
			})
			won := 0
			for _, err := range errs {
				switch {
				case err == nil:
					won++
				case !errors.Is(err, db.ErrConflict):
					t.Errorf("approval failed otherwise than by conflict: %v", err)
				}
			}
			if won != 1 {
				t.Errorf("%d approvals succeeded, want 1", won)
			}

			for _, id := range []int64{auto, reviewed} {
				ps, err := d.DocumentPostings(ctx, nil, id)
				if err != nil {
					t.Fatal(err)
				}
				if len(ps) != 1 {
					t.Errorf("document %d: %d postings, want 1", id, len(ps))
				}
				doc, _ := d.GetDocument(ctx, nil, id)
				if doc.State != db.StatePosted {
					t.Errorf("document %d is %s, want posted", id, doc.State)
				}
				// Posting again is a no-op.
				if err := post(ctx, d, l, nil, id, "again"); err != nil {
					t.Errorf("second PostTx: %v", err)
				}
				if ps2, _ := d.DocumentPostings(ctx, nil, id); len(ps2) != 1 {
					t.Errorf("document %d: second PostTx made %d postings", id, len(ps2))
				}
				// The database refuses a second posting of one version
				// even from code that skips the ledger's checks.
				err = d.InTx(ctx, func(tx *db.Tx) error {
					_, err := d.InsertPosting(ctx, tx, ps[0].NewPosting)
					return err
				})
				if !errors.Is(err, db.ErrDuplicate) {
					t.Errorf("document %d: direct second insert: %v, want ErrDuplicate", id, err)
				}
			}
		})
	}
}

func race(n int, fn func(i int) error) []error {
	errs := make([]error, n)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		wg.Go(func() {
			<-start
			errs[i] = fn(i)
		})
	}
	close(start)
	wg.Wait()
	return errs
}

// TestCorrection: a posted document corrected by a clerk gets a storno of
// its posting and a new posting; nothing is changed in place, and the
// database refuses to change the journal.
func TestCorrection(t *testing.T) {
	for _, e := range dbtest.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			d := open(t, e.URL(t))
			l := newLedger(t, d, ledger.WebhookConfig{})
			ctx := t.Context()
			r := act("C-1")
			id := newDoc(t, d, r, db.StateAutoApproved)
			if err := post(ctx, d, l, nil, id, "pipeline:post"); err != nil {
				t.Fatal(err)
			}
			if err := d.InTx(ctx, func(tx *db.Tx) error { return l.CorrectTx(ctx, tx, nil, id, "clerk") }); err != nil {
				t.Fatalf("correct without a change: %v", err)
			}
			if ps, _ := d.DocumentPostings(ctx, nil, id); len(ps) != 1 {
				t.Fatalf("an unchanged result made %d postings, want 1", len(ps))
			}
			first, _ := d.ActivePosting(ctx, nil, id)

			// The clerk fixes the total: 6 000,00 with 1 000,00 VAT.
			r.Total, r.VATAmount = "6000.00", "1000.00"
			b, _ := json.Marshal(r)
			err := d.InTx(ctx, func(tx *db.Tx) error {
				doc, err := d.LockDocument(ctx, tx, id)
				if err != nil {
					return err
				}
				if _, err := d.SaveResult(ctx, tx, id, doc.Version, b, fieldsOf(r)); err != nil {
					return err
				}
				return l.CorrectTx(ctx, tx, nil, id, "clerk")
			})
			if err != nil {
				t.Fatal(err)
			}
			ps, err := d.DocumentPostings(ctx, nil, id)
			if err != nil || len(ps) != 3 {
				t.Fatalf("%d postings, %v; want posting, storno, posting", len(ps), err)
			}
			orig, storno, next := ps[0], ps[1], ps[2]
			if orig.ID != first.ID || orig.TotalKopecks != 1200000 {
				t.Errorf("the first posting changed: %+v", orig)
			}
			if storno.Kind != db.KindStorno || storno.ReversesID != orig.ID || storno.TotalKopecks != -1200000 || storno.VATKopecks != -200000 {
				t.Errorf("storno %+v does not reverse posting %d", storno, orig.ID)
			}
			sl, ol := lines(t, storno), lines(t, orig)
			for i := range ol {
				if sl[i].AmountKopecks != -ol[i].AmountKopecks || sl[i].Debit != ol[i].Debit || sl[i].Credit != ol[i].Credit {
					t.Errorf("storno line %d %+v does not negate %+v", i, sl[i], ol[i])
				}
			}
			if next.Kind != db.KindPosting || next.TotalKopecks != 600000 || lines(t, next)[0].AmountKopecks != 500000 {
				t.Errorf("new posting %+v, want 6000.00 with 5000.00 net", next)
			}
			if active, _ := d.ActivePosting(ctx, nil, id); active.ID != next.ID {
				t.Errorf("active posting %d, want %d", active.ID, next.ID)
			}
			evs, _ := d.Events(ctx, id)
			if last := evs[len(evs)-1]; last.From != db.StatePosted || last.To != db.StatePosted || !strings.Contains(last.Reason, "сторно") {
				t.Errorf("last event %+v does not record the correction", last)
			}
			// Append-only at the database.
			for _, stmt := range []string{"UPDATE ledger_postings SET total_kopecks = 0", "DELETE FROM ledger_postings"} {
				if err := execSQL(ctx, d, stmt); err == nil || !strings.Contains(err.Error(), "append-only") {
					t.Errorf("%s: %v, want refused", stmt, err)
				}
			}
		})
	}
}

func execSQL(ctx context.Context, d *db.DB, stmt string) error {
	if d.Dialect() == db.SQLite {
		_, err := d.SQL().ExecContext(ctx, stmt)
		return err
	}
	_, err := d.Pgx().Exec(ctx, stmt)
	return err
}

// TestDuplicateRefused: a second document with the posted one's supplier
// ИНН, number and date is not posted but sent to review with the reason.
func TestDuplicateRefused(t *testing.T) {
	for _, e := range dbtest.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			d := open(t, e.URL(t))
			l := newLedger(t, d, ledger.WebhookConfig{})
			ctx := t.Context()
			first := newDoc(t, d, act("D-1"), db.StateAutoApproved)
			second := newDoc(t, d, act("D-1"), db.StateAutoApproved)
			other := act("D-1")
			other.Date = "2026-10-02" // another date: not a duplicate
			third := newDoc(t, d, other, db.StateAutoApproved)
			for _, id := range []int64{first, second, third} {
				if err := post(ctx, d, l, nil, id, "pipeline:post"); err != nil {
					t.Fatal(err)
				}
			}
			doc, _ := d.GetDocument(ctx, nil, second)
			if doc.State != db.StateNeedsReview {
				t.Fatalf("duplicate is %s, want needs_review", doc.State)
			}
			var res pervichka.Result
			_ = json.Unmarshal(doc.Result, &res)
			want := fmt.Sprintf("%s:%d", pervichka.ReasonDuplicate, first)
			if !slices.Contains(res.ReviewReasons, want) || !res.NeedsReview {
				t.Errorf("review reasons %v lack %s", res.ReviewReasons, want)
			}
			if ps, _ := d.DocumentPostings(ctx, nil, second); len(ps) != 0 {
				t.Errorf("duplicate has %d postings", len(ps))
			}
			evs, _ := d.Events(ctx, second)
			if last := evs[len(evs)-1]; last.To != db.StateNeedsReview || !strings.Contains(last.Reason, fmt.Sprint(first)) {
				t.Errorf("last event %+v does not say why", last)
			}
			links, _ := d.Links(ctx, nil, second)
			if len(links) != 1 || links[0].LinkedID != first || links[0].Kind != db.LinkDuplicate {
				t.Errorf("links %+v, want a duplicate link to %d", links, first)
			}
			if doc, _ := d.GetDocument(ctx, nil, third); doc.State != db.StatePosted {
				t.Errorf("a document of another date is %s, want posted", doc.State)
			}
			// Approved by a clerk anyway: still not posted twice.
			err := d.InTx(ctx, func(tx *db.Tx) error {
				if err := d.Transition(ctx, tx, second, db.StateNeedsReview, db.StateApproved, "clerk", "ok"); err != nil {
					return err
				}
				return l.PostTx(ctx, tx, nil, second, "clerk")
			})
			if err != nil {
				t.Fatal(err)
			}
			if doc, _ := d.GetDocument(ctx, nil, second); doc.State != db.StateNeedsReview {
				t.Errorf("approved duplicate is %s, want needs_review", doc.State)
			}
		})
	}
}

// TestCursorPaging: a reader pages through the journal while four writers
// post; every posting is seen exactly once, in position order.
func TestCursorPaging(t *testing.T) {
	for _, e := range dbtest.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			d := open(t, e.URL(t))
			l := newLedger(t, d, ledger.WebhookConfig{})
			ctx := t.Context()
			const writers, each = 4, 40
			ids := make([][]int64, writers)
			for w := range writers {
				for i := range each {
					ids[w] = append(ids[w], newDoc(t, d, act(fmt.Sprintf("P-%d-%d", w, i)), db.StateAutoApproved))
				}
			}
			var wg sync.WaitGroup
			done := make(chan struct{})
			for w := range writers {
				wg.Go(func() {
					for _, id := range ids[w] {
						if err := post(ctx, d, l, nil, id, "writer"); err != nil {
							t.Error(err)
							return
						}
					}
				})
			}
			go func() { wg.Wait(); close(done) }()

			seen := map[int64]bool{}
			var after int64
			var last int64
			finished := false
			for {
				page, err := d.PostingsAfter(ctx, after, 7)
				if err != nil {
					t.Fatal(err)
				}
				for _, p := range page {
					if seen[p.ID] {
						t.Fatalf("posting %d seen twice", p.ID)
					}
					if p.Position <= last {
						t.Fatalf("position %d after %d", p.Position, last)
					}
					seen[p.ID], last = true, p.Position
				}
				if len(page) > 0 {
					after = page[len(page)-1].Position
					continue
				}
				if finished {
					break
				}
				select {
				case <-done:
					finished = true // one more pass sees the last commits
				case <-time.After(2 * time.Millisecond):
				}
			}
			if len(seen) != writers*each {
				t.Errorf("reader saw %d postings, want %d", len(seen), writers*each)
			}
		})
	}
}

// TestPostRollsBackWhole: posting, state change and delivery job commit
// together or not at all — a crash before commit leaves the document
// approved with nothing posted or enqueued, and the retry posts it once.
func TestPostRollsBackWhole(t *testing.T) {
	for _, e := range dbtest.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			d := open(t, e.URL(t))
			l := newLedger(t, d, ledger.WebhookConfig{URL: "http://127.0.0.1:9/hook", Secret: "s"})
			q, err := d.NewQueue(&river.Config{Logger: quietLog()})
			if err != nil {
				t.Fatal(err)
			}
			ctx := t.Context()
			id := newDoc(t, d, act("RB-1"), db.StateAutoApproved)
			crash := errors.New("crash before commit")
			err = d.InTx(ctx, func(tx *db.Tx) error {
				if err := l.PostTx(ctx, tx, q, id, "pipeline:post"); err != nil {
					return err
				}
				return crash
			})
			if !errors.Is(err, crash) {
				t.Fatal(err)
			}
			count := func(query string) int64 {
				var n int64
				var err error
				if d.Dialect() == db.SQLite {
					err = d.SQL().QueryRowContext(ctx, query).Scan(&n)
				} else {
					err = d.Pgx().QueryRow(ctx, query).Scan(&n)
				}
				if err != nil {
					t.Fatal(err)
				}
				return n
			}
			check := func(postings, deliveries, jobs int64, state db.State) {
				t.Helper()
				if doc, _ := d.GetDocument(ctx, nil, id); doc.State != state {
					t.Errorf("document is %s, want %s", doc.State, state)
				}
				for what, c := range map[string][2]int64{
					"postings":   {count("SELECT count(*) FROM ledger_postings"), postings},
					"deliveries": {count("SELECT count(*) FROM ledger_deliveries"), deliveries},
					"jobs":       {count("SELECT count(*) FROM river_job WHERE kind = 'ledger_deliver'"), jobs},
				} {
					if c[0] != c[1] {
						t.Errorf("%s: %d, want %d", what, c[0], c[1])
					}
				}
			}
			check(0, 0, 0, db.StateAutoApproved)
			if err := post(ctx, d, l, q, id, "pipeline:post"); err != nil {
				t.Fatal(err)
			}
			check(1, 1, 1, db.StatePosted)
			if err := post(ctx, d, l, q, id, "pipeline:post"); err != nil {
				t.Fatal(err)
			}
			check(1, 1, 1, db.StatePosted)
		})
	}
}

package ledger_test

import (
	"context"
	"encoding/csv"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/pervichka/pervichka"
	"github.com/pervichka/pervichka/extractors/fields"
	"github.com/pervichka/pervichka/extractors/recognize"
	"github.com/pervichka/pervichka/extractors/tesseract"
	"github.com/pervichka/pervichka/ledger"
	"github.com/pervichka/pervichka/pipeline"
	"github.com/pervichka/pervichka/storage/db"
	"github.com/pervichka/pervichka/storage/db/dbtest"
	"github.com/pervichka/pervichka/storage/objects"
	"github.com/pervichka/pervichka/storage/objects/objectstest"
)

// The ledger is the pipeline's Poster.
var _ pipeline.Poster = (*ledger.Ledger)(nil)

// e2eFiles are corpus documents the real pipeline auto-approves with
// testdata/corpus/companies.json as our organisations, one per way of
// booking: a contract (register), a счёт-фактура of goods, a УПД without
// VAT, an act of services, and a scanned УПД (read by OCR, so it has an
// enhanced page image to export). 001-invoice.pdf is not among them: with
// companies.json none of its parties is ours, so it waits for a clerk.
var e2eFiles = map[string]struct {
	register db.Register
	debit    string
}{
	"003-contract.pdf":    {db.RegisterContracts, ""},
	"004-vat_invoice.pdf": {db.RegisterJournal, "41.01"},
	"005-upd.pdf":         {db.RegisterJournal, "41.01"},
	"008-act.pdf":         {db.RegisterJournal, "26"},
	"007-upd-scan.pdf":    {db.RegisterJournal, "41.01"},
}

// TestPipelineEndToEnd: documents go through the real pipeline (OCR,
// extraction, validation), are auto-approved, posted by the post job, and
// delivered to the receiver process; the export holds their postings,
// originals and page images.
func TestPipelineEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("runs OCR")
	}
	for _, e := range dbtest.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			ctx := t.Context()
			const secret = "e2e-secret"
			base := receiver(t, "-secret", secret, "-fail-first", "2")
			d := open(t, e.URL(t))
			store, err := objects.Open(ctx, objectstest.FileURL(t), quietLog())
			if err != nil {
				t.Fatal(err)
			}
			l := newLedger(t, d, ledger.WebhookConfig{URL: base + "/hook", Secret: secret,
				Backoff: 20 * time.Millisecond, MaxBackoff: 200 * time.Millisecond})
			f, err := os.Open("../testdata/corpus/companies.json")
			if err != nil {
				t.Fatal(err)
			}
			own, err := pervichka.ReadCompanies(f)
			f.Close()
			if err != nil {
				t.Fatal(err)
			}
			pool, err := tesseract.NewPool(ctx, tesseract.Options{Size: 1})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { _ = pool.Close() })
			p, err := pipeline.New(pipeline.Config{DB: d, Objects: store, Work: true, OCRWorkers: 1, Limits: pervichka.DefaultLimits(),
				Recognizer: recognize.New(pool, recognize.Options{Fields: fields.Config{Own: own,
					Now: time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)}}),
				Poster: l, Register: l.Register, Queues: l.Queues(), Logger: quietLog()})
			if err != nil {
				t.Fatal(err)
			}
			if err := p.Start(ctx); err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() {
				sctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
				defer cancel()
				_ = p.Stop(sctx, 10*time.Second)
			})
			names := make([]string, 0, len(e2eFiles))
			for name := range e2eFiles {
				names = append(names, name)
			}
			slices.Sort(names)
			ids := map[int64]string{}
			for _, name := range names {
				body, err := os.ReadFile(filepath.Join("..", "testdata", "corpus", name))
				if err != nil {
					t.Fatal(err)
				}
				doc, _, err := p.Submit(ctx, pipeline.Upload{Name: name, Body: body, Source: db.SourceUpload, Actor: "test"})
				if err != nil {
					t.Fatal(err)
				}
				ids[doc.ID] = name
			}
			deadline := time.Now().Add(4 * time.Minute)
			for id, name := range ids {
				for {
					doc, err := d.GetDocument(ctx, nil, id)
					if err != nil {
						t.Fatal(err)
					}
					if doc.State == db.StatePosted {
						break
					}
					if doc.State.Final() || doc.State == db.StateNeedsReview || doc.State == db.StateFailed || time.Now().After(deadline) {
						t.Fatalf("%s: %s (%s), want posted", name, doc.State, doc.FailureReason)
					}
					time.Sleep(100 * time.Millisecond)
				}
				ps, err := d.DocumentPostings(ctx, nil, id)
				if err != nil || len(ps) != 1 {
					t.Fatalf("%s: %d postings, %v", name, len(ps), err)
				}
				want := e2eFiles[name]
				ls := lines(t, ps[0])
				if ps[0].Register != want.register || (want.debit != "" && (len(ls) == 0 || ls[0].Debit != want.debit)) {
					t.Errorf("%s: register %s, lines %+v; want %s with Дт %s", name, ps[0].Register, ls, want.register, want.debit)
				}
				if ps[0].Actor != "pipeline:post" {
					t.Errorf("%s: posted by %q", name, ps[0].Actor)
				}
			}
			waitDeliveries(t, d, db.DeliveryDelivered, len(ids), time.Minute)
			s := statsOf(t, base)
			if len(s.Accepted) != len(ids) || s.BadSignatures != 0 {
				t.Errorf("receiver accepted %d postings (%d bad signatures), want %d", len(s.Accepted), s.BadSignatures, len(ids))
			}
			for key, n := range s.Accepted {
				if n != 1 {
					t.Errorf("%s accepted %d times", key, n)
				}
			}

			dir := filepath.Join(t.TempDir(), "export")
			sum, err := ledger.Export(ctx, d, store, "2000-01-01", "2099-12-31", dir)
			if err != nil {
				t.Fatal(err)
			}
			if sum.Postings != len(ids) || sum.Documents != len(ids) || sum.Files <= len(ids) {
				t.Errorf("export %+v: want %d postings and documents, originals plus page images", sum, len(ids))
			}
			cf, err := os.Open(filepath.Join(dir, ledger.MachineCSVName))
			if err != nil {
				t.Fatal(err)
			}
			rows, err := csv.NewReader(cf).ReadAll()
			cf.Close()
			if err != nil || len(rows) != sum.Rows+1 || !slices.Equal(rows[0], ledger.CSVHeader) {
				t.Errorf("%s: %d rows, %v; want %d and the header", ledger.MachineCSVName, len(rows), err, sum.Rows+1)
			}
			for id, name := range ids {
				docDir := filepath.Join(dir, "documents", itoa(id))
				orig, err := os.ReadFile(filepath.Join(docDir, "original.pdf"))
				want, _ := os.ReadFile(filepath.Join("..", "testdata", "corpus", name))
				if err != nil || !slices.Equal(orig, want) {
					t.Errorf("%s: exported original differs (%v)", name, err)
				}
				if name == "007-upd-scan.pdf" {
					if _, err := os.Stat(filepath.Join(docDir, "page-001.png")); err != nil {
						t.Errorf("%s: no enhanced page image: %v", name, err)
					}
				}
			}
			if _, err := ledger.Export(ctx, d, store, "2000-01-01", "2099-12-31", dir); err == nil {
				t.Error("export into a non-empty folder succeeded")
			}
		})
	}
}

func itoa(id int64) string { return strconv.FormatInt(id, 10) }

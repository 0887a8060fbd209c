package pipeline_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"image"
	pngenc "image/png"
	"log/slog"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	pervichka "github.com/pervichka/pervichka"
	"github.com/pervichka/pervichka/extractors/fields"
	"github.com/pervichka/pervichka/extractors/recognize"
	"github.com/pervichka/pervichka/extractors/tesseract"
	"github.com/pervichka/pervichka/pipeline"
	"github.com/pervichka/pervichka/storage/db"
	"github.com/pervichka/pervichka/storage/db/dbtest"
	"github.com/pervichka/pervichka/storage/objects"
	"github.com/pervichka/pervichka/storage/objects/objectstest"
)

// A deployment is a database and an object store; the suite runs on both
// that the product supports: the embedded one and the shared one.
type deployment struct {
	name  string
	db    func(t testing.TB) string
	store func(t testing.TB) string
}

func deployments() []deployment {
	return []deployment{
		{"sqlite+folder", dbtest.SQLiteURL, objectstest.FileURL},
		{"postgres+s3", dbtest.PostgresURL, func(t testing.TB) string { return objectstest.S3URL(objectstest.StartS3(t)) }},
	}
}

// corpusFiles are committed test documents covering every way a page is
// read: a text layer, a scanner PDF (pictures stored losslessly between
// stages), a phone photo (read from the original), and a multi-page PDF of
// photos (page jobs fanned out and joined).
var corpusFiles = []string{"001-invoice.pdf", "007-upd-scan.pdf", "008-act-photo.jpg", "003-contract-photo.pdf"}

var (
	ocrOnce sync.Once
	ocrPool *tesseract.Pool
	ocrErr  error
)

// ocr is one Tesseract pool for the test binary: clients are costly to start.
func ocr(t testing.TB) *tesseract.Pool {
	t.Helper()
	ocrOnce.Do(func() { ocrPool, ocrErr = tesseract.NewPool(context.Background(), tesseract.Options{Size: 2}) })
	if ocrErr != nil {
		t.Fatal(ocrErr)
	}
	return ocrPool
}

// fieldsConfig fixes "now" so that the pipeline and the direct call agree
// on date plausibility.
var fieldsConfig = fields.Config{Now: time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)}

func newRecognizer(t testing.TB) *recognize.Recognizer {
	return recognize.New(ocr(t), recognize.Options{Fields: fieldsConfig})
}

type env struct {
	db    *db.DB
	store objects.Store
	p     *pipeline.Pipeline
	log   *slog.Logger
}

// start opens a fresh deployment and a pipeline on it (working, if cfg says so).
func start(t testing.TB, d deployment, cfg pipeline.Config) *env {
	t.Helper()
	ctx := t.Context()
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelError}))
	database, err := db.Open(ctx, d.db(t), log)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = database.Close() })
	if err := database.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	store, err := objects.Open(ctx, d.store(t), log)
	if err != nil {
		t.Fatal(err)
	}
	e := &env{db: database, store: store, log: log}
	e.p = e.pipeline(t, cfg)
	return e
}

// pipeline starts another pipeline on the environment's deployment, as
// another process would.
func (e *env) pipeline(t testing.TB, cfg pipeline.Config) *pipeline.Pipeline {
	t.Helper()
	cfg.DB, cfg.Objects, cfg.Logger = e.db, e.store, e.log
	if cfg.Work && cfg.Recognizer == nil {
		cfg.Recognizer = newRecognizer(t)
	}
	cfg.OCRWorkers = 2
	p, err := pipeline.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := p.Start(t.Context()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if err := p.Stop(ctx, 10*time.Second); err != nil {
			t.Errorf("stop: %v", err)
		}
	})
	return p
}

func readFile(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "testdata", "corpus", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// waitSettled waits until every document has left received and processing.
func waitSettled(t testing.TB, d *db.DB, ids []int64, timeout time.Duration) []db.Document {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		docs := make([]db.Document, len(ids))
		settled := true
		for i, id := range ids {
			doc, err := d.GetDocument(t.Context(), nil, id)
			if err != nil {
				t.Fatal(err)
			}
			docs[i] = doc
			if doc.State == db.StateReceived || doc.State == db.StateProcessing {
				settled = false
			}
		}
		if settled {
			return docs
		}
		if time.Now().After(deadline) {
			for _, doc := range docs {
				t.Logf("document %d (%s): %s", doc.ID, doc.FileName, doc.State)
			}
			t.Fatalf("documents not settled in %s", timeout)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// comparable strips what legitimately differs between a pipeline run and a
// direct call: timings, and the file name (a path there, a name here).
func comparable(t testing.TB, raw []byte) pervichka.Result {
	t.Helper()
	var r pervichka.Result
	if err := json.Unmarshal(raw, &r); err != nil {
		t.Fatal(err)
	}
	r.TimingsMS, r.File = nil, ""
	return r
}

// TestEndToEnd submits committed documents, lets the workers take them
// through every stage, and checks that each comes out exactly as
// `pervichka extract` reads the same file: the stages apart, with object
// storage between them, give the same answer as in one call.
func TestEndToEnd(t *testing.T) {
	for _, d := range deployments() {
		t.Run(d.name, func(t *testing.T) {
			e := start(t, d, pipeline.Config{Work: true})
			ctx := t.Context()
			ids := make([]int64, len(corpusFiles))
			for i, name := range corpusFiles {
				doc, created, err := e.p.Submit(ctx, pipeline.Upload{Name: name, Body: readFile(t, name), Source: db.SourceUpload, Sender: "test"})
				if err != nil || !created {
					t.Fatalf("submit %s: created=%v, %v", name, created, err)
				}
				ids[i] = doc.ID
			}
			docs := waitSettled(t, e.db, ids, 5*time.Minute)
			rec := newRecognizer(t)
			for i, doc := range docs {
				name := corpusFiles[i]
				if doc.State != db.StateNeedsReview && doc.State != db.StateAutoApproved {
					t.Errorf("%s: state %s (%s %s), want a verdict", name, doc.State, doc.FailureCode, doc.FailureReason)
					continue
				}
				var timed pervichka.Result
				if err := json.Unmarshal(doc.Result, &timed); err != nil {
					t.Fatal(err)
				}
				if timed.TextSource != pervichka.SourcePDFText && (timed.TimingsMS["ocr"] <= 0 || timed.TimingsMS["decode"] <= 0) {
					t.Errorf("%s: timings %v lack the page stages", name, timed.TimingsMS)
				}
				got := comparable(t, doc.Result)
				raw, _ := json.Marshal(rec.Bytes(ctx, name, readFile(t, name)))
				want := comparable(t, raw)
				if !reflect.DeepEqual(got, want) {
					gj, _ := json.MarshalIndent(got, "", " ")
					wj, _ := json.MarshalIndent(want, "", " ")
					t.Errorf("%s: pipeline result differs from a direct extract:\npipeline: %s\ndirect:   %s", name, gj, wj)
				}
				wantState := db.StateAutoApproved
				if want.NeedsReview {
					wantState = db.StateNeedsReview
				}
				if doc.State != wantState {
					t.Errorf("%s: state %s, want %s", name, doc.State, wantState)
				}
				if doc.Fields.DocType != want.DocType || doc.Fields.Number != string(want.Number) {
					t.Errorf("%s: indexed fields %+v, result %s %s", name, doc.Fields, want.DocType, want.Number)
				}
				pages, err := e.db.Pages(ctx, nil, doc.ID)
				if err != nil || len(pages) != want.Pages {
					t.Fatalf("%s: %d pages recorded, %v; want %d", name, len(pages), err, want.Pages)
				}
				for _, pg := range pages {
					// What the engine saw is kept for the review UI.
					if _, err := e.store.Stat(ctx, pg.WordsKey); err != nil {
						t.Errorf("%s page %d words: %v", name, pg.Index+1, err)
					}
					if want.TextSource != pervichka.SourcePDFText {
						if _, err := e.store.Stat(ctx, pg.ImageKey); err != nil {
							t.Errorf("%s page %d image: %v", name, pg.Index+1, err)
						}
					}
					// The corpus's scanned PDFs embed JPEG pages: kept as
					// they are between stages (the result above is the
					// direct extract's, so the page job saw the same pixels).
					if strings.HasSuffix(name, ".pdf") && want.TextSource != pervichka.SourcePDFText && !strings.HasSuffix(pg.RawKey, ".raw.jpg") {
						t.Errorf("%s page %d stored as %q, want the scan's own JPEG", name, pg.Index+1, pg.RawKey)
					}
				}
				events, err := e.db.Events(ctx, doc.ID)
				if err != nil {
					t.Fatal(err)
				}
				var path []db.State
				for _, ev := range events {
					path = append(path, ev.To)
				}
				if want := []db.State{db.StateReceived, db.StateProcessing, doc.State}; !reflect.DeepEqual(path, want) {
					t.Errorf("%s: events %v, want %v", name, path, want)
				}
			}
			// The same bytes again: the first document, nothing new.
			again, created, err := e.p.Submit(ctx, pipeline.Upload{Name: "copy.pdf", Body: readFile(t, corpusFiles[0]), Source: db.SourceEmail})
			if err != nil || created || again.ID != ids[0] {
				t.Fatalf("resubmit: id %d created=%v %v; want id %d, not created", again.ID, created, err, ids[0])
			}
		})
	}
}

// TestBadFiles: what cannot be a document is refused at submission with a
// typed error and nothing stored; what looks like one but cannot be read
// fails in the pipeline with a reason a person can read, and can be retried.
func TestBadFiles(t *testing.T) {
	for _, d := range deployments() {
		t.Run(d.name, func(t *testing.T) {
			limits := pervichka.Limits{MaxBytes: 1 << 20, MaxPixels: 60_000_000, MaxPages: 200}
			e := start(t, d, pipeline.Config{Limits: limits})
			ctx := t.Context()
			refused := []struct {
				name string
				body []byte
				code pervichka.ErrorCode
			}{
				{"empty", nil, pervichka.CodeEmpty},
				{"text", []byte("это не документ"), pervichka.CodeUnsupported},
				{"huge", append([]byte{0xFF, 0xD8, 0xFF}, make([]byte, 1<<20)...), pervichka.CodeTooLarge},
			}
			for _, c := range refused {
				_, _, err := e.p.Submit(ctx, pipeline.Upload{Name: c.name, Body: c.body, Source: db.SourceUpload})
				if got := pervichka.AsError(err).Code; got != c.code {
					t.Errorf("%s: error %v (code %s), want %s", c.name, err, got, c.code)
				}
			}
			n := 0
			if err := e.store.List(ctx, "", func(objects.Info) error { n++; return nil }); err != nil {
				t.Fatal(err)
			}
			if n != 0 {
				t.Errorf("%d objects stored for refused files", n)
			}

			// A document whose original vanished before any worker saw it
			// fails; once the object is back, an admin's retry carries it
			// through. e.p does not work jobs: a worker starts only after
			// the deletion.
			pdf := readFile(t, "001-invoice.pdf")
			lost, _, err := e.p.Submit(ctx, pipeline.Upload{Name: "lost.pdf", Body: pdf, Source: db.SourceUpload})
			if err != nil {
				t.Fatal(err)
			}
			if err := e.store.Delete(ctx, lost.ObjectKey); err != nil {
				t.Fatal(err)
			}
			e.pipeline(t, pipeline.Config{Work: true, Limits: limits})

			photo := readFile(t, "008-act-photo.jpg")
			truncated := photo[:len(photo)/3]
			doc, _, err := e.p.Submit(ctx, pipeline.Upload{Name: "cut.jpg", Body: truncated, Source: db.SourceUpload})
			if err != nil {
				t.Fatal(err)
			}
			got := waitSettled(t, e.db, []int64{doc.ID}, time.Minute)[0]
			if got.State != db.StateFailed || got.FailureCode != pervichka.CodeCorrupt || got.FailureReason == "" {
				t.Fatalf("truncated photo: state %s, code %q, reason %q; want failed/corrupt with a reason", got.State, got.FailureCode, got.FailureReason)
			}
			if err := e.p.Retry(ctx, doc.ID, "admin"); err != nil {
				t.Fatal(err)
			}
			got = waitSettled(t, e.db, []int64{doc.ID}, time.Minute)[0]
			if got.State != db.StateFailed {
				t.Fatalf("retried truncated photo: %s, want failed again", got.State)
			}
			if err := e.p.Retry(ctx, 9999, "admin"); !errors.Is(err, db.ErrNotFound) {
				t.Errorf("retry of a missing document: %v, want ErrNotFound", err)
			}

			got = waitSettled(t, e.db, []int64{lost.ID}, time.Minute)[0]
			if got.State != db.StateFailed || got.FailureReason == "" {
				t.Fatalf("original gone: %s %q, want failed with a reason", got.State, got.FailureReason)
			}
			if err := e.p.Retry(ctx, lost.ID, "admin"); err != nil {
				t.Fatal(err)
			}
			got = waitSettled(t, e.db, []int64{lost.ID}, time.Minute)[0]
			if got.State != db.StateFailed {
				t.Fatalf("retry without the original: %s, want failed", got.State)
			}
			if err := e.store.Put(ctx, lost.ObjectKey, bytes.NewReader(pdf), int64(len(pdf)), "application/pdf"); err != nil {
				t.Fatal(err)
			}
			if err := e.p.Retry(ctx, lost.ID, "admin"); err != nil {
				t.Fatal(err)
			}
			got = waitSettled(t, e.db, []int64{lost.ID}, time.Minute)[0]
			if got.State != db.StateNeedsReview && got.State != db.StateAutoApproved {
				t.Fatalf("retry with the original back: %s (%s)", got.State, got.FailureReason)
			}
			if err := e.p.Retry(ctx, lost.ID, "admin"); !errors.Is(err, db.ErrIllegalTransition) {
				t.Errorf("retry of a %s document: %v, want ErrIllegalTransition", got.State, err)
			}
			events, _ := e.db.Events(ctx, lost.ID)
			var path string
			for _, ev := range events {
				path += fmt.Sprintf(" %s", ev.To)
			}
			t.Logf("history:%s", path)
		})
	}
}

// BenchmarkOverhead measures what the pipeline adds to recognition: queue
// round trips, transactions, object storage and the lossless page files.
// Documents go through one at a time, so no job waits for a busy worker.
// For each: overhead = the Submit call + (verdict event − creation) − the
// recognition work the stages timed (decode, enhance, OCR, extract), reported
// per document and against the OCR time (the target: ≤ 5%).
func BenchmarkOverhead(b *testing.B) {
	files := []string{"008-act-photo.jpg", "001-invoice-photo.jpg", "007-upd-scan.pdf"}
	for _, d := range deployments() {
		b.Run(d.name, func(b *testing.B) {
			// Each run re-submits the same pictures: read them every time.
			e := start(b, d, pipeline.Config{Work: true, NoResentCheck: true})
			ctx := b.Context()
			var over, ocr, work time.Duration
			n := 0
			for i := 0; i < b.N; i++ {
				for _, name := range files {
					body := append(readFile(b, name), fmt.Sprintf("%% run %d", i)...)
					start := time.Now()
					doc, _, err := e.p.Submit(ctx, pipeline.Upload{Name: name, Body: body, Source: db.SourceUpload})
					if err != nil {
						b.Fatal(err)
					}
					submit := time.Since(start)
					doc = waitSettled(b, e.db, []int64{doc.ID}, 5*time.Minute)[0]
					events, err := e.db.Events(ctx, doc.ID)
					if err != nil {
						b.Fatal(err)
					}
					var res pervichka.Result
					if err := json.Unmarshal(doc.Result, &res); err != nil {
						b.Fatal(err)
					}
					ms := func(k string) time.Duration { return time.Duration(res.TimingsMS[k]) * time.Millisecond }
					recognition := ms("decode") + ms("enhance") + ms("ocr") + ms("extract")
					elapsed := events[len(events)-1].At.Sub(doc.CreatedAt)
					over += submit + elapsed - recognition
					ocr += ms("ocr")
					work += ms("enhance") + ms("ocr")
					n++
				}
			}
			b.ReportMetric(float64(over.Milliseconds())/float64(n), "overhead-ms/doc")
			b.ReportMetric(float64(ocr.Milliseconds())/float64(n), "ocr-ms/doc")
			b.ReportMetric(100*over.Seconds()/ocr.Seconds(), "overhead-%ocr")
			b.ReportMetric(100*over.Seconds()/work.Seconds(), "overhead-%enhance+ocr")
		})
	}
}

// recordingPoster is the smallest honest Poster: it moves the document to
// posted in the caller's transaction and counts its calls. The ledger's own
// tests cover real postings; this checks the pipeline's side of the contract.
type recordingPoster struct {
	db    *db.DB
	mu    sync.Mutex
	calls map[int64]int
}

func (r *recordingPoster) PostTx(ctx context.Context, tx *db.Tx, q *db.Queue, id int64, actor string) error {
	r.mu.Lock()
	r.calls[id]++
	r.mu.Unlock()
	return r.db.Transition(ctx, tx, id, db.StateAutoApproved, db.StatePosted, actor, "проведён")
}

// TestPostStage: an auto-approved document is handed to the Poster exactly
// once, in the post job's transaction; one that needs review is not.
func TestPostStage(t *testing.T) {
	for _, d := range deployments() {
		t.Run(d.name, func(t *testing.T) {
			e := start(t, d, pipeline.Config{})
			poster := &recordingPoster{db: e.db, calls: map[int64]int{}}
			e.pipeline(t, pipeline.Config{Work: true, Poster: poster})
			ctx := t.Context()
			files := []string{"001-invoice.pdf", "005-upd.pdf", "008-act.pdf", "004-vat_invoice.pdf"}
			var ids []int64
			for _, name := range files {
				doc, _, err := e.p.Submit(ctx, pipeline.Upload{Name: name, Body: readFile(t, name), Source: db.SourceUpload})
				if err != nil {
					t.Fatal(err)
				}
				ids = append(ids, doc.ID)
			}
			deadline := time.Now().Add(2 * time.Minute)
			posted := 0
			for i, id := range ids {
				var doc db.Document
				for {
					doc = waitSettled(t, e.db, []int64{id}, time.Minute)[0]
					if doc.State != db.StateAutoApproved || time.Now().After(deadline) {
						break
					}
					time.Sleep(50 * time.Millisecond)
				}
				var res pervichka.Result
				if err := json.Unmarshal(doc.Result, &res); err != nil {
					t.Fatal(err)
				}
				want := db.StatePosted
				if res.NeedsReview {
					want = db.StateNeedsReview
				}
				if doc.State != want {
					t.Errorf("%s: %s, want %s", files[i], doc.State, want)
				}
				poster.mu.Lock()
				calls := poster.calls[id]
				poster.mu.Unlock()
				if (want == db.StatePosted && calls != 1) || (want != db.StatePosted && calls != 0) {
					t.Errorf("%s: posted %d times", files[i], calls)
				}
				if want == db.StatePosted {
					posted++
				}
			}
			if posted == 0 {
				t.Fatal("no test document was auto-approved: the test shows nothing")
			}
		})
	}
}

// TestGroupProposals: files sent together are examined together. Two copies
// of one invoice in one upload are proposed as one document (and flagged as
// duplicates); a page with no number or parties of its own is proposed as a
// continuation. Nothing is merged: the links wait for a clerk.
func TestGroupProposals(t *testing.T) {
	for _, d := range deployments() {
		t.Run(d.name, func(t *testing.T) {
			e := start(t, d, pipeline.Config{Work: true})
			ctx := t.Context()
			invoice := readFile(t, "001-invoice.pdf")
			blank := image.NewGray(image.Rect(0, 0, 1240, 1754))
			for i := range blank.Pix {
				blank.Pix[i] = 0xFF
			}
			var png bytes.Buffer
			if err := pngenc.Encode(&png, blank); err != nil {
				t.Fatal(err)
			}
			files := []pipeline.Upload{
				{Name: "invoice.pdf", Body: invoice},
				{Name: "invoice-again.pdf", Body: append(bytes.Clone(invoice), "\n% resent\n"...)},
				{Name: "page2.png", Body: png.Bytes()},
			}
			var ids []int64
			for _, f := range files {
				f.Source, f.GroupID = db.SourceEmail, "message-1"
				doc, _, err := e.p.Submit(ctx, f)
				if err != nil {
					t.Fatal(err)
				}
				ids = append(ids, doc.ID)
			}
			docs := waitSettled(t, e.db, ids, 2*time.Minute)
			kinds := map[db.LinkKind][][2]int64{}
			seen := map[[3]int64]bool{}
			for _, doc := range docs {
				links, err := e.db.Links(ctx, nil, doc.ID)
				if err != nil {
					t.Fatal(err)
				}
				for _, l := range links {
					key := [3]int64{l.DocumentID, l.LinkedID, int64(len(l.Kind))}
					if seen[key] {
						continue
					}
					seen[key] = true
					if l.Reason == "" {
						t.Errorf("link %+v has no reason", l)
					}
					kinds[l.Kind] = append(kinds[l.Kind], [2]int64{l.DocumentID, l.LinkedID})
				}
			}
			pair := func(a, b int64) bool {
				for _, k := range kinds[db.LinkSameDocument] {
					if k == [2]int64{a, b} || k == [2]int64{b, a} {
						return true
					}
				}
				return false
			}
			if !pair(ids[0], ids[1]) {
				t.Errorf("the two copies are not proposed as one document: %v", kinds)
			}
			if len(kinds[db.LinkDuplicate]) != 1 {
				t.Errorf("duplicate links %v, want one between the copies", kinds[db.LinkDuplicate])
			}
			cont := kinds[db.LinkContinuation]
			if len(cont) == 0 || cont[0][0] != ids[2] {
				t.Errorf("continuation links %v, want the blank page (%d) continuing an invoice", cont, ids[2])
			}
			// Whichever copy was extracted second is the duplicate.
			flagged := 0
			for _, doc := range docs[:2] {
				var res pervichka.Result
				if err := json.Unmarshal(doc.Result, &res); err != nil {
					t.Fatal(err)
				}
				for _, r := range res.ReviewReasons {
					if strings.HasPrefix(r, pervichka.ReasonDuplicate+":") && doc.State == db.StateNeedsReview {
						flagged++
					}
				}
			}
			if flagged != 1 {
				t.Errorf("%d copies flagged as duplicates in review, want exactly 1", flagged)
			}
		})
	}
}

// TestCheckHook: a Check configured by another part (the review UI's
// counterparty directory) sees the result in the extract transaction and
// can send a document that would have been auto-approved to review.
func TestCheckHook(t *testing.T) {
	d := deployments()[0]
	e := start(t, d, pipeline.Config{})
	var mu sync.Mutex
	seen := 0
	e.pipeline(t, pipeline.Config{Work: true, Check: func(ctx context.Context, tx *db.Tx, res *pervichka.Result) error {
		mu.Lock()
		seen++
		mu.Unlock()
		if tx == nil {
			return errors.New("no transaction")
		}
		if res.Supplier.INN != "" {
			res.ReviewReasons = append(res.ReviewReasons, pervichka.ReasonBankChanged+":supplier")
			res.NeedsReview = true
		}
		return nil
	}})
	doc, _, err := e.p.Submit(t.Context(), pipeline.Upload{Name: "005-upd.pdf", Body: readFile(t, "005-upd.pdf"), Source: db.SourceUpload})
	if err != nil {
		t.Fatal(err)
	}
	got := waitSettled(t, e.db, []int64{doc.ID}, time.Minute)[0]
	var res pervichka.Result
	if err := json.Unmarshal(got.Result, &res); err != nil {
		t.Fatal(err)
	}
	if got.State != db.StateNeedsReview || !slices.Contains(res.ReviewReasons, pervichka.ReasonBankChanged+":supplier") {
		t.Fatalf("state %s, reasons %v; want needs_review with the check's reason", got.State, res.ReviewReasons)
	}
	mu.Lock()
	defer mu.Unlock()
	if seen != 1 {
		t.Fatalf("check ran %d times, want 1", seen)
	}
}

package review

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/pervichka/pervichka"
	"github.com/pervichka/pervichka/extractors/recognize"
	"github.com/pervichka/pervichka/extractors/tesseract"
	"github.com/pervichka/pervichka/pipeline"
	"github.com/pervichka/pervichka/storage/db"
	"github.com/pervichka/pervichka/storage/db/dbtest"
)

// TestMergePages: a clerk merges a second file's pages into a document;
// the real pipeline extracts the merged document again, with both pages.
func TestMergePages(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the pipeline's extraction with Tesseract")
	}
	for _, eng := range dbtest.Engines() {
		t.Run(eng.Name, func(t *testing.T) {
			e := newEnv(t, eng.URL(t))
			ctx := context.Background()
			pool, err := tesseract.NewPool(ctx, tesseract.Options{Size: 1})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { pool.Close() })
			p, err := pipeline.New(pipeline.Config{DB: e.db, Objects: e.store, Work: true, OCRWorkers: 1,
				Recognizer: recognize.New(pool, recognize.Options{}), PollInterval: 50 * time.Millisecond})
			if err != nil {
				t.Fatal(err)
			}
			e.srv.cfg.Queue = p.Queue()
			life, stop := context.WithCancel(ctx)
			if err := p.Start(life); err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() {
				stop()
				sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
				defer cancel()
				_ = p.Stop(sctx, time.Second)
			})
			e.addUser("ivanova", db.UserClerk)
			into := e.seed(1, nil)
			from := e.seed(2, func(r *pervichka.Result) { r.Number = "99" })
			c := e.client()
			c.login("ivanova", testPassword)
			_, page, _ := c.get("/review/" + itoa(into))
			csrf := csrfFrom(t, page)
			for _, bad := range []string{"", "abc", itoa(into), "999999"} {
				if status, _, _ := c.post("/review/"+itoa(into)+"/merge", url.Values{"csrf": {csrf}, "merge_from": {bad}}); status < 400 {
					t.Errorf("merge_from %q accepted: %d", bad, status)
				}
			}
			status, _, h := c.post("/review/"+itoa(into)+"/merge", url.Values{"csrf": {csrf}, "merge_from": {itoa(from)}})
			if status != http.StatusSeeOther || h.Get("Location") != "/review/"+itoa(into)+"?msg=merged" {
				t.Fatalf("merge: %d → %s", status, h.Get("Location"))
			}
			other, _ := e.db.GetDocument(ctx, nil, from)
			if other.State != db.StateRejected {
				t.Errorf("the merged-from document is %s", other.State)
			}
			if pages, _ := e.db.Pages(ctx, nil, from); len(pages) != 0 {
				t.Errorf("pages left on the merged-from document: %d", len(pages))
			}
			pages, _ := e.db.Pages(ctx, nil, into)
			if len(pages) != 2 || pages[1].Index != 1 || !strings.Contains(pages[1].WordsKey, "/"+itoa(from)+"/") {
				t.Fatalf("pages after the merge: %+v", pages)
			}
			deadline := time.Now().Add(2 * time.Minute)
			var doc db.Document
			for {
				doc, _ = e.db.GetDocument(ctx, nil, into)
				if doc.State != db.StateProcessing {
					break
				}
				if time.Now().After(deadline) {
					t.Fatal("the merged document is still processing after 2 minutes")
				}
				time.Sleep(100 * time.Millisecond)
			}
			res, _ := decodeResult(doc)
			if doc.State == db.StateFailed || res.Pages != 2 {
				t.Fatalf("after re-extraction: %s (%s), pages %d", doc.State, doc.FailureReason, res.Pages)
			}
			// The re-extraction found the printed ИНН, not the seeded misreading.
			if res.Supplier.INN != goodSupplierINN {
				t.Errorf("supplier ИНН after re-extraction: %s", res.Supplier.INN)
			}
		})
	}
}

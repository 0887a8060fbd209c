package review

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"syscall"
	"testing"
	"time"

	"github.com/pervichka/pervichka"
	"github.com/pervichka/pervichka/storage/db"
	"github.com/pervichka/pervichka/storage/db/dbtest"
)

// queueDepth is the number of waiting documents the benchmark loads.
const queueDepth = 10_000

// fill adds n documents waiting for review with the golden result, each
// with a different supplier name, reasons and number, in one transaction.
func (e *env) fill(b testing.TB, n int) {
	b.Helper()
	ctx := context.Background()
	res, _ := goldenInvoice(b)
	reasons := []string{"inn_checksum:supplier", "low_confidence:total", "missing:number", "vat_mismatch", "bank_changed:supplier"}
	err := e.db.InTx(ctx, func(tx *db.Tx) error {
		for i := range n {
			r := res
			r.Number = pervichka.Text(fmt.Sprintf("Б-%d", i))
			r.Supplier.Name = pervichka.Text(fmt.Sprintf("ООО \"Поставщик %d\"", i%500))
			r.NeedsReview, r.ReviewReasons = true, []string{reasons[i%len(reasons)], reasons[(i+2)%len(reasons)]}
			body, _ := json.Marshal(r)
			sum := sha256.Sum256(fmt.Appendf(nil, "bench %d", i))
			doc, _, err := e.db.CreateDocument(ctx, tx, db.NewDocument{SHA256: hex.EncodeToString(sum[:]), ObjectKey: "x",
				FileName: "007-upd.pdf", ContentType: "application/pdf", Size: 1, Source: db.SourceUpload})
			if err != nil {
				return err
			}
			if err := e.db.Transition(ctx, tx, doc.ID, db.StateReceived, db.StateProcessing, "bench", ""); err != nil {
				return err
			}
			if _, err := e.db.SaveResult(ctx, tx, doc.ID, doc.Version+1, body, indexed(r)); err != nil {
				return err
			}
			if err := e.db.Transition(ctx, tx, doc.ID, db.StateProcessing, db.StateNeedsReview, "bench", ""); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
}

// processCPU is the CPU time this process has used, user and system.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkPages measures the server time of the queue page and of a
// document page with 10,000 documents waiting, on both engines. Target:
// each under 10 ms (issue 17).
func BenchmarkPages(b *testing.B) {
	for _, eng := range dbtest.Engines() {
		b.Run(eng.Name, func(b *testing.B) {
			e := newEnv(b, eng.URL(b))
			e.addUser("ivanova", db.UserClerk)
			id := e.seed(0, nil)
			e.fill(b, queueDepth)
			c := e.client()
			c.login("ivanova", testPassword)
			cookies := c.c.Jar.Cookies(mustURL(e.http.URL))
			mux := http.NewServeMux()
			e.srv.Mount(mux)
			ctx := context.Background()
			start := time.Now()
			if _, err := e.db.CountQueue(ctx, db.StateNeedsReview); err != nil {
				b.Fatal(err)
			}
			b.Logf("%s: one count of %d waiting documents: %s", eng.Name, queueDepth+1, time.Since(start))
			b.Run("counts-uncached", func(b *testing.B) {
				for b.Loop() {
					if _, err := e.db.CountQueue(ctx, db.StateNeedsReview); err != nil {
						b.Fatal(err)
					}
				}
			})
			for _, page := range []struct{ name, path string }{
				{"queue", "/review"},
				{"queue-filtered", "/review?reason=bank_changed&supplier=" + "Поставщик%2017"},
				{"document", "/review/" + itoa(id)},
			} {
				b.Run(page.name, func(b *testing.B) {
					// CPU per page as well as wall time: on a machine
					// shared with other work the wall time measures the
					// queue for the cores, the CPU time the page.
					cpu0 := processCPU()
					defer func() { b.ReportMetric(float64((processCPU()-cpu0).Microseconds())/1000/float64(b.N), "cpu-ms/op") }()
					for b.Loop() {
						req := httptest.NewRequest("GET", page.path, nil)
						for _, ck := range cookies {
							req.AddCookie(ck)
						}
						w := httptest.NewRecorder()
						mux.ServeHTTP(w, req)
						if w.Code != http.StatusOK {
							b.Fatalf("%s: %d", page.path, w.Code)
						}
					}
				})
			}
		})
	}
}

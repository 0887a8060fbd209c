package metrics_test

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/riverqueue/river"

	"github.com/pervichka/pervichka/metrics"
	"github.com/pervichka/pervichka/storage/db"
	"github.com/pervichka/pervichka/storage/db/dbtest"
)

// BenchmarkScrape times one whole /metrics scrape (both database counts, Go
// and process metrics, text encoding) over 10,000 documents and 10,000 River
// jobs, the scale of a few weeks of one office's intake. Prometheus scrapes
// every 15–60 s, so anything under ~100 ms per scrape is noise.
func BenchmarkScrape(b *testing.B) {
	const docs, jobs = 10_000, 10_000
	for _, e := range dbtest.Engines() {
		b.Run(e.Name, func(b *testing.B) {
			ctx := b.Context()
			d, err := db.Open(ctx, e.URL(b), nil)
			if err != nil {
				b.Fatal(err)
			}
			defer d.Close()
			if err := d.Migrate(ctx); err != nil {
				b.Fatal(err)
			}
			err = d.InTx(ctx, func(tx *db.Tx) error {
				for i := range docs {
					sum := sha256.Sum256(fmt.Appendf(nil, "bench %d", i))
					h := hex.EncodeToString(sum[:])
					doc, _, err := d.CreateDocument(ctx, tx, db.NewDocument{SHA256: h, ObjectKey: "originals/" + h,
						ContentType: "image/jpeg", Size: 1, Source: db.SourceUpload})
					if err != nil {
						return err
					}
					if i%3 == 0 {
						if err := d.Transition(ctx, tx, doc.ID, db.StateReceived, db.StateProcessing, "bench", ""); err != nil {
							return err
						}
					}
				}
				return nil
			})
			if err != nil {
				b.Fatal(err)
			}
			q, err := d.NewQueue(&river.Config{TestOnly: true})
			if err != nil {
				b.Fatal(err)
			}
			params := make([]river.InsertManyParams, 0, 1000)
			for i := range jobs {
				params = append(params, river.InsertManyParams{Args: ingestArgs{}, InsertOpts: &river.InsertOpts{Queue: fmt.Sprintf("q%d", i%4)}})
				if len(params) == cap(params) {
					if err := insertMany(b, q, params); err != nil {
						b.Fatal(err)
					}
					params = params[:0]
				}
			}
			srv := httptest.NewServer(metrics.New(d, nil).Handler())
			defer srv.Close()
			// Time the healthy path only.
			resp, err := http.Get(srv.URL)
			if err != nil {
				b.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if !strings.Contains(string(body), "\npervichka_scrape_error 0\n") || !strings.Contains(string(body), `pervichka_documents{state="processing"} 3334`) {
				b.Fatalf("scrape before timing is not healthy:\n%s", body)
			}
			b.ResetTimer()
			for b.Loop() {
				resp, err := http.Get(srv.URL)
				if err != nil {
					b.Fatal(err)
				}
				_, _ = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode != http.StatusOK {
					b.Fatal(resp.Status)
				}
			}
		})
	}
}

func insertMany(b *testing.B, q *db.Queue, params []river.InsertManyParams) error {
	if c := q.SQLiteClient(); c != nil {
		_, err := c.InsertMany(b.Context(), params)
		return err
	}
	_, err := q.PgxClient().InsertMany(b.Context(), params)
	return err
}

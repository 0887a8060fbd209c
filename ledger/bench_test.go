package ledger_test

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/riverqueue/river"

	"github.com/pervichka/pervichka/ledger"
	"github.com/pervichka/pervichka/storage/db"
	"github.com/pervichka/pervichka/storage/db/dbtest"
)

// BenchmarkApprovePost: 8 clerks approving and posting documents at once on
// Postgres, each approval one transaction that moves the document
// needs_review → approved, writes the posting (taking the ledger counter's
// lock), moves it to posted and enqueues its delivery job. Reports
// postings/s. The counter serialises posters from the posting to the
// commit, so this is the ceiling the commit-order cursor costs.
//
//	go test -run '^$' -bench 'ApprovePost/approvers=8' -benchtime 2000x ./ledger/
func BenchmarkApprovePost(b *testing.B) {
	// 1 approver for comparison: the cost of concurrency on the counter.
	for _, n := range []int{1, 8} {
		b.Run(fmt.Sprintf("approvers=%d", n), func(b *testing.B) { benchApprovePost(b, n) })
	}
}

func benchApprovePost(b *testing.B, approvers int) {
	d := open(b, dbtest.PostgresURL(b))
	l := newLedger(b, d, ledger.WebhookConfig{URL: "http://127.0.0.1:9/hook", Secret: "s"})
	// An insert-only River client: deliveries are enqueued, not worked.
	q, err := d.NewQueue(&river.Config{Logger: quietLog()})
	if err != nil {
		b.Fatal(err)
	}
	ids := make(chan int64, b.N)
	for i := range b.N {
		ids <- newDoc(b, d, act(fmt.Sprintf("B-%d", i)), db.StateNeedsReview)
	}
	close(ids)
	ctx := b.Context()
	b.ResetTimer()
	start := time.Now()
	var wg sync.WaitGroup
	for c := range approvers {
		wg.Go(func() {
			actor := fmt.Sprintf("clerk:%d", c)
			for id := range ids {
				err := d.InTx(ctx, func(tx *db.Tx) error {
					if err := d.Transition(ctx, tx, id, db.StateNeedsReview, db.StateApproved, actor, "проверен"); err != nil {
						return err
					}
					return l.PostTx(ctx, tx, q, id, actor)
				})
				if err != nil {
					b.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
	b.StopTimer()
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "postings/s")
}

package metrics_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/pervichka/pervichka/metrics"
	"github.com/pervichka/pervichka/storage/db"
)

// The tests here use a scripted Source for what a real database will not do
// on demand (hang, fail one query of two, hold a state this build does not
// know); metrics_test.go runs the same collector against real databases.

type scriptedSource struct {
	counts    map[db.State]int64
	countsErr error
	jobs      []db.QueueCount
	jobsErr   error
	hang      bool // block until the deadline, like a locked SQLite
}

func (s scriptedSource) CountByState(ctx context.Context) (map[db.State]int64, error) {
	if s.hang {
		<-ctx.Done()
		return nil, ctx.Err()
	}
	return s.counts, s.countsErr
}

func (s scriptedSource) QueueDepth(ctx context.Context) ([]db.QueueCount, error) {
	if s.hang {
		<-ctx.Done()
		return nil, ctx.Err()
	}
	return s.jobs, s.jobsErr
}

func TestScrapeTimesOut(t *testing.T) {
	m := metrics.NewWithScrapeTimeout(scriptedSource{hang: true}, 100*time.Millisecond, nil)
	start := time.Now()
	fams := scrape(t, m.Handler())
	// Both queries share one deadline, so the scrape ends soon after it.
	if took := time.Since(start); took > 2*time.Second {
		t.Errorf("scrape took %v with a 100 ms deadline", took)
	}
	if got := gauge(t, fams, "pervichka_scrape_error", nil); got != 1 {
		t.Errorf("pervichka_scrape_error = %v after a timeout, want 1", got)
	}
	if _, ok := fams["pervichka_documents"]; ok {
		t.Error("pervichka_documents reported although the query timed out")
	}
}

func TestScrapeOneQueryFails(t *testing.T) {
	src := scriptedSource{
		// A state a newer release added: still counted, not dropped.
		counts:  map[db.State]int64{db.StateReceived: 5, "archived": 2},
		jobsErr: errors.New("river_job: relation does not exist"),
	}
	m := metrics.New(src, nil)
	fams := scrape(t, m.Handler())
	if got := gauge(t, fams, "pervichka_scrape_error", nil); got != 1 {
		t.Errorf("pervichka_scrape_error = %v, want 1", got)
	}
	want := map[string]float64{"received": 5, "archived": 2, "processing": 0, "posted": 0}
	for state, n := range want {
		if got := gauge(t, fams, "pervichka_documents", map[string]string{"state": state}); got != n {
			t.Errorf("pervichka_documents{state=%q} = %v, want %v", state, got, n)
		}
	}
	if n := len(fams["pervichka_documents"].GetMetric()); n != len(db.States)+1 {
		t.Errorf("pervichka_documents has %d series, want %d", n, len(db.States)+1)
	}
	if _, ok := fams["pervichka_queue_jobs"]; ok {
		t.Error("pervichka_queue_jobs reported although its query failed")
	}
}

func TestScrapeWithNilSource(t *testing.T) {
	fams := scrape(t, metrics.New(nil, nil).Handler())
	if got := gauge(t, fams, "pervichka_scrape_error", nil); got != 1 {
		t.Errorf("pervichka_scrape_error = %v with no source, want 1", got)
	}
}

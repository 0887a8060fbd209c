package db

import (
	"context"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/riverqueue/river"

	"github.com/pervichka/pervichka/storage/db/dbtest"
)

func TestCountByState(t *testing.T) {
	t.Parallel()
	for _, e := range dbtest.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			t.Parallel() // each engine its own database
			db := openTest(t, e.URL(t))
			ctx := t.Context()
			if err := db.Migrate(ctx); err != nil {
				t.Fatal(err)
			}

			// An empty table still reports every state, at zero.
			got, err := db.CountByState(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(States) {
				t.Fatalf("empty table: %d states %v, want all %d", len(got), got, len(States))
			}
			for s, n := range got {
				if n != 0 {
					t.Errorf("empty table: %s = %d", s, n)
				}
			}

			// Walk documents along real transitions to land them in states.
			paths := []struct {
				n    int
				path []State
			}{
				{3, []State{StateReceived}},
				{2, []State{StateReceived, StateProcessing}},
				{1, []State{StateReceived, StateProcessing, StateNeedsReview}},
				{4, []State{StateReceived, StateProcessing, StateAutoApproved, StatePosted}},
				{1, []State{StateReceived, StateFailed}},
				{2, []State{StateReceived, StateRejected}},
			}
			want := map[State]int64{}
			for _, s := range States {
				want[s] = 0
			}
			for i, p := range paths {
				for j := range p.n {
					d := create(t, db, fmt.Sprintf("stats %d/%d", i, j))
					for k := 1; k < len(p.path); k++ {
						if err := db.Transition(ctx, nil, d.ID, p.path[k-1], p.path[k], "test", "stats"); err != nil {
							t.Fatal(err)
						}
					}
					want[p.path[len(p.path)-1]]++
				}
			}
			got, err = db.CountByState(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("CountByState = %v, want %v", got, want)
			}
		})
	}
}

// statsArgs is a job kind for the queue counts; no worker runs it.
type statsArgs struct {
	N    int    `json:"n"`
	kind string // the kind reported, so one type gives two kinds
}

func (a statsArgs) Kind() string { return a.kind }

func TestQueueDepth(t *testing.T) {
	t.Parallel()
	for _, e := range dbtest.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			t.Parallel() // each engine its own database
			db := openTest(t, e.URL(t))
			ctx := t.Context()
			if err := db.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
			got, err := db.QueueDepth(ctx)
			if err != nil || len(got) != 0 {
				t.Fatalf("no jobs: %v, %v; want none", got, err)
			}

			// A client that only inserts (no queues, no workers), so that
			// the jobs stay where they were put.
			q, err := db.NewQueue(&river.Config{TestOnly: true})
			if err != nil {
				t.Fatal(err)
			}
			insert := func(kind, queue string, at time.Time) int64 {
				t.Helper()
				res, err := q.Insert(ctx, statsArgs{kind: kind}, &river.InsertOpts{Queue: queue, ScheduledAt: at})
				if err != nil {
					t.Fatal(err)
				}
				return res.Job.ID
			}
			later := time.Now().Add(time.Hour)
			for range 3 {
				insert("ingest", "default", time.Time{})
			}
			insert("ingest", "default", later)
			for range 2 {
				insert("page", "ocr", time.Time{})
			}
			cancelled := insert("page", "ocr", later)
			if err := cancelJob(ctx, q, cancelled); err != nil {
				t.Fatal(err)
			}

			got, err = db.QueueDepth(ctx)
			if err != nil {
				t.Fatal(err)
			}
			want := []QueueCount{
				{Queue: "default", Kind: "ingest", State: "available", Count: 3},
				{Queue: "default", Kind: "ingest", State: "scheduled", Count: 1},
				{Queue: "ocr", Kind: "page", State: "available", Count: 2},
				{Queue: "ocr", Kind: "page", State: "cancelled", Count: 1},
			}
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("QueueDepth =\n%+v\nwant\n%+v", got, want)
			}
		})
	}
}

func cancelJob(ctx context.Context, q *Queue, id int64) error {
	if c := q.SQLiteClient(); c != nil {
		_, err := c.JobCancel(ctx, id)
		return err
	}
	_, err := q.PgxClient().JobCancel(ctx, id)
	return err
}

// A query that cannot run reports an error, not empty counts that would read
// as "nothing there".
func TestStatsOnClosedDB(t *testing.T) {
	for _, e := range dbtest.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			t.Parallel() // each engine its own database
			db, err := Open(t.Context(), e.URL(t), nil)
			if err != nil {
				t.Fatal(err)
			}
			if err := db.Migrate(t.Context()); err != nil {
				t.Fatal(err)
			}
			if err := db.Close(); err != nil {
				t.Fatal(err)
			}
			if got, err := db.CountByState(t.Context()); err == nil {
				t.Errorf("CountByState on a closed DB = %v, nil error", got)
			}
			if got, err := db.QueueDepth(t.Context()); err == nil {
				t.Errorf("QueueDepth on a closed DB = %v, nil error", got)
			}
		})
	}
}

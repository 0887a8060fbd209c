package db

import (
	"context"
	"fmt"
)

// QueueCount is the number of River jobs of one kind in one queue and state.
type QueueCount struct {
	Queue string // River queue name, e.g. "default"
	Kind  string // job kind, e.g. "ingest"
	State string // River's job state: available, scheduled, running, retryable, pending, completed, cancelled or discarded
	Count int64
}

// statsQueries is the SQL of this file per dialect. It lives here rather than
// in queries.go because only the monitoring counts use it.
type statsQueries struct {
	countByState string
	queueDepth   string
}

var statsSQL = map[Dialect]statsQueries{
	SQLite: {
		countByState: `SELECT state, count(*) FROM documents GROUP BY state`,
		queueDepth: `SELECT queue, kind, state, count(*) FROM river_job
			GROUP BY queue, kind, state ORDER BY queue, kind, state`,
	},
	// River's state column is an enum on Postgres; ::text lets it scan into
	// a string and sort by name rather than by enum position.
	Postgres: {
		countByState: `SELECT state, count(*) FROM documents GROUP BY state`,
		queueDepth: `SELECT queue, kind, state::text, count(*) FROM river_job
			GROUP BY queue, kind, state::text ORDER BY queue, kind, state::text`,
	},
}

// CountByState counts the documents in each state. Every state of States is
// in the map, with 0 when no document is in it, so a caller can report a
// state that has just emptied rather than drop it.
//
// Limits: it counts the whole table (an index-only scan of
// documents_state_created_idx at best), so its cost grows with every document
// ever received, final ones included; at a scrape every few seconds that is
// fine into the millions of rows, not beyond. On SQLite it waits for the one
// connection behind any open transaction: pass a ctx with a deadline.
func (db *DB) CountByState(ctx context.Context) (map[State]int64, error) {
	const op = "count documents by state"
	rs, err := db.conn().query(ctx, statsSQL[db.dialect].countByState)
	if err != nil {
		return nil, db.q.translate(op, err)
	}
	defer rs.Close()
	counts := make(map[State]int64, len(States))
	for _, s := range States {
		counts[s] = 0
	}
	for rs.Next() {
		var (
			state string
			n     int64
		)
		if err := rs.Scan(&state, &n); err != nil {
			return nil, db.q.translate(op, err)
		}
		// A state this build does not know (a newer binary's migration) is
		// kept as is: hiding documents would make the total wrong.
		counts[State(state)] = n
	}
	if err := rs.Err(); err != nil {
		return nil, db.q.translate(op, err)
	}
	return counts, nil
}

// QueueDepth counts River's jobs by queue, kind and state, for every
// combination that has at least one job (absent combinations have none).
//
// All states are reported, but only available, scheduled, running and
// retryable (and pending, for jobs waiting on a dependency) are work still to
// do: a queue's depth is their sum. Completed, cancelled and discarded jobs
// stay in river_job until River's cleaner deletes them (by default after 24
// hours, 24 hours and 7 days, and only while some started client is the
// leader), so their counts show recent history, not load.
//
// Limits: like CountByState it reads every job row; River's cleaner keeps the
// table bounded by the retention above times the job rate.
func (db *DB) QueueDepth(ctx context.Context) ([]QueueCount, error) {
	const op = "count river jobs"
	rs, err := db.conn().query(ctx, statsSQL[db.dialect].queueDepth)
	if err != nil {
		return nil, db.q.translate(op, err)
	}
	defer rs.Close()
	var out []QueueCount
	for rs.Next() {
		var c QueueCount
		if err := rs.Scan(&c.Queue, &c.Kind, &c.State, &c.Count); err != nil {
			return nil, db.q.translate(op, fmt.Errorf("scan row %d: %w", len(out)+1, err))
		}
		out = append(out, c)
	}
	if err := rs.Err(); err != nil {
		return nil, db.q.translate(op, err)
	}
	return out, nil
}

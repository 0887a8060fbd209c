package db

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
)

// OpenWait is Open for a service starting beside its database: while a
// Postgres server cannot be reached (refused, unreachable, still starting
// up) it tries again, with a growing pause of up to five seconds, until it
// connects, wait has passed or ctx ends; it then returns the last error.
// Everything else — a bad URL, wrong credentials, a missing database, any
// SQLite error — fails at once: waiting would not mend it. wait ≤ 0 is a
// single attempt.
//
// Why: containers and units start in an order nobody fully controls; a
// worker that exits the moment Postgres restarts or boots second turns a
// routine start into a restart loop in the orchestrator's hands.
func OpenWait(ctx context.Context, rawURL string, wait time.Duration, log *slog.Logger) (*DB, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	deadline := time.Now().Add(wait)
	pause := 250 * time.Millisecond
	for attempt := 1; ; attempt++ {
		d, err := Open(ctx, rawURL, log)
		if err == nil || !unreachable(err) || ctx.Err() != nil {
			return d, err
		}
		left := time.Until(deadline)
		if left <= 0 {
			return nil, err
		}
		log.Warn("database not reachable yet; trying again", "attempt", attempt, "in", min(pause, left), "gives_up_in", left.Round(time.Second), "error", err)
		select {
		case <-ctx.Done():
			return nil, err
		case <-time.After(min(pause, left)):
		}
		pause = min(2*pause, 5*time.Second)
	}
}

// unreachable reports whether opening failed because the server could not
// be reached or is not accepting connections yet (SQLSTATE 57P03, «the
// database system is starting up»), as opposed to refusing us.
func unreachable(err error) bool {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		return pgErr.Code == "57P03"
	}
	var connErr *pgconn.ConnectError
	return errors.As(err, &connErr)
}

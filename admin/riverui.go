// Package admin serves the administrators' tools that Pervichka borrows
// rather than builds: River's own web UI over the job queue.
//
// Nothing here authenticates: the caller wraps every handler in its admin
// check before mounting it (the UI can cancel, retry and delete jobs, and
// shows job arguments).
package admin

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"

	"riverqueue.com/riverui"
	"riverqueue.com/riverui/uiendpoints"

	"github.com/pervichka/pervichka/storage/db"
)

// RiverUI returns River's web UI (riverqueue.com/riverui) and its JSON API
// over q's jobs, serving under prefix: mount it at prefix+"/", e.g.
//
//	h, err := admin.RiverUI(ctx, q, "/riverui", log)
//	mux.Handle("/riverui/", requireAdmin(h))
//
// The handler answers requests by their full path (it strips prefix itself),
// so it must not sit behind http.StripPrefix. It starts background goroutines
// that cache job counts; they stop when ctx ends, so pass the server's
// lifetime context, not a request's.
//
// Both engines work: riverui v0.22 has a SQLite driver of its own beside the
// Postgres one. Limits on SQLite: the UI's queries share the database's one
// connection with the pipeline, and its count caches open a transaction (which
// takes SQLite's write lock, see storage/db) about every 10 s for a moment;
// a big listing in the UI delays the workers for as long as it runs. On
// Postgres the UI uses the pool like any other client.
//
// The UI's pages are in English (River ships them so): it is for the people
// who run the service, not for clerks.
func RiverUI(ctx context.Context, q *db.Queue, prefix string, log *slog.Logger) (http.Handler, error) {
	if q == nil {
		return nil, errors.New("river ui: nil queue")
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	log = log.With("component", "riverui")
	var endpoints uiendpoints.Bundle
	switch {
	case q.PgxClient() != nil:
		endpoints = riverui.NewEndpoints(q.PgxClient(), nil)
	case q.SQLiteClient() != nil:
		endpoints = riverui.NewEndpoints(q.SQLiteClient(), nil)
	default:
		return nil, errors.New("river ui: the queue has no River client")
	}
	h, err := riverui.NewHandler(&riverui.HandlerOpts{
		Endpoints: endpoints,
		Logger:    log,
		Prefix:    prefix,
		// Job arguments hold document ids only, but the listing stays
		// compact without them; a job's own page still shows them.
		JobListHideArgsByDefault: true,
	})
	if err != nil {
		return nil, fmt.Errorf("river ui: %w", err)
	}
	if err := h.Start(ctx); err != nil {
		return nil, fmt.Errorf("river ui: start: %w", err)
	}
	return h, nil
}

package main

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"time"

	pervichka "github.com/pervichka/pervichka"
	"github.com/pervichka/pervichka/pipeline"
	"github.com/pervichka/pervichka/review"
	"github.com/pervichka/pervichka/storage/db"
)

// The review UI: /login, /logout, /review... and GET / exactly.
//
// Its pipeline hook runs after the ledger's (extensions run in name order)
// and takes the Poster the ledger put in the pipeline's config, so that a
// clerk's approval posts through the same ledger as auto-approval. Without
// a ledger, approved documents stay approved until one is wired.
//
// PERVICHKA_REVIEW_INSECURE_COOKIES=true drops the cookies' Secure flag,
// for plain HTTP on loopback; PERVICHKA_REVIEW_TRUST_PROXY=true takes the
// client address from X-Forwarded-For (only behind a proxy that sets it).
func init() {
	var poster review.Poster
	var exporter review.Exporter
	extensions["review"] = extension{
		name: "review",
		pipeline: func(d *serveDeps, cfg *pipeline.Config) error {
			if cfg.Poster != nil {
				poster = cfg.Poster
				// The ledger also makes the accountant's files.
				exporter, _ = cfg.Poster.(review.Exporter)
			}
			// Bank details or names that differ from the counterparty
			// directory send a document to review.
			cfg.Check = func(ctx context.Context, tx *db.Tx, res *pervichka.Result) error {
				return review.CheckDirectory(ctx, d.db, tx, res)
			}
			return nil
		},
		mount: func(d *serveDeps, mux *http.ServeMux) error {
			if d.cfg.role == "worker" {
				return nil
			}
			s, err := review.New(review.Config{
				DB: d.db, Objects: d.store, Poster: poster, Queue: d.pipeline.Queue(), Retrier: d.pipeline, Exporter: exporter, Turner: d.pipeline,
				Logger:          d.log.With("part", "review"),
				InsecureCookies: os.Getenv("PERVICHKA_REVIEW_INSECURE_COOKIES") == "true",
				TrustProxy:      os.Getenv("PERVICHKA_REVIEW_TRUST_PROXY") == "true",
			})
			if err != nil {
				return fmt.Errorf("review UI: %w", err)
			}
			s.Mount(mux)
			s.WarmCounts(d.life)
			go s.CleanSessions(d.life, time.Hour)
			return nil
		},
	}
}

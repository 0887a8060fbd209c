package main

import (
	"context"
	"flag"
	"fmt"
	"net/http"
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
func init() {
	var poster review.Poster
	var exporter review.Exporter
	extensions["review"] = extension{
		name: "review",
		flags: func(fs *flag.FlagSet, c *serveConfig) {
			fs.BoolVar(&c.review.insecureCookies, "review-insecure-cookies", false,
				"drop the review UI cookies' Secure flag, for plain HTTP on loopback only [PERVICHKA_REVIEW_INSECURE_COOKIES]")
			fs.BoolVar(&c.review.trustProxy, "review-trust-proxy", false,
				"take the client address from X-Forwarded-For, only behind a proxy that sets it [PERVICHKA_REVIEW_TRUST_PROXY]")
		},
		pipeline: func(d *serveDeps, cfg *pipeline.Config) error {
			if cfg.Poster != nil {
				poster = cfg.Poster
				// The ledger also makes the accountant's files.
				exporter, _ = cfg.Poster.(review.Exporter)
			}
			// A name or КПП that differs from the counterparty directory
			// sends a document to review (changed bank details are the
			// pipeline's own check, pipeline/bank.go).
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
				InsecureCookies: d.cfg.review.insecureCookies,
				TrustProxy:      d.cfg.review.trustProxy,
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

// reviewSettings are the review UI's serve settings.
type reviewSettings struct {
	insecureCookies, trustProxy bool
}

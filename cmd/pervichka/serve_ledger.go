package main

import (
	"flag"
	"fmt"
	"log/slog"
	"maps"
	"net/http"
	"os"
	"sync"
	"time"

	"github.com/riverqueue/river"

	"github.com/pervichka/pervichka"
	"github.com/pervichka/pervichka/api"
	"github.com/pervichka/pervichka/ledger"
	"github.com/pervichka/pervichka/pipeline"
	"github.com/pervichka/pervichka/storage/db"
)

// The ledger's part of serve: it posts auto-approved documents (the
// pipeline's Poster), delivers postings by webhook as jobs of the
// pipeline's River client, and serves the pull API and the dead-letter
// routes, and the exports (a document's file, and batches on the cursor;
// --companies gives the payers' accounts).
func init() {
	extensions["ledger"] = extension{name: "ledger", flags: ledgerFlags, check: checkLedger, pipeline: ledgerPipeline, mount: ledgerMount}
}

// ledgerSettings are the ledger's serve settings.
type ledgerSettings struct {
	publicURL, mapping  string
	webhookURL, secret  string
	maxAttempts         int
	backoff, maxBackoff time.Duration
}

func ledgerFlags(fs *flag.FlagSet, c *serveConfig) {
	s := &c.ledger
	fs.StringVar(&s.publicURL, "public-url", "", "the service's address as others reach it, for links in deliveries [PERVICHKA_PUBLIC_URL]")
	fs.StringVar(&s.mapping, "ledger-mapping", "", "JSON file of accounts for postings (docs/ledger.md); default the built-in mapping [PERVICHKA_LEDGER_MAPPING]")
	fs.StringVar(&s.webhookURL, "webhook-url", "", "where postings are delivered; empty: no webhook [PERVICHKA_WEBHOOK_URL]")
	fs.StringVar(&s.secret, "webhook-secret", "", "the signing key of both webhooks' deliveries (whsec_<base64> or any string of 32+ bytes); prefer the environment or --config to the command line [PERVICHKA_WEBHOOK_SECRET]")
	fs.IntVar(&s.maxAttempts, "webhook-max-attempts", 0, "attempts before a delivery (of either webhook) is a dead letter; 0: the default, 12 [PERVICHKA_WEBHOOK_MAX_ATTEMPTS]")
	fs.DurationVar(&s.backoff, "webhook-backoff", 0, "wait before the first retry (of either webhook), doubling after; 0: the default, 10s [PERVICHKA_WEBHOOK_BACKOFF]")
	fs.DurationVar(&s.maxBackoff, "webhook-max-backoff", 0, "longest wait between retries (of either webhook); 0: the default, 1h [PERVICHKA_WEBHOOK_MAX_BACKOFF]")
}

func checkLedger(c *serveConfig) error {
	s := c.ledger
	if s.maxAttempts < 0 {
		return fmt.Errorf("--webhook-max-attempts [PERVICHKA_WEBHOOK_MAX_ATTEMPTS] %d: want a positive number", s.maxAttempts)
	}
	if s.backoff < 0 || s.maxBackoff < 0 {
		return fmt.Errorf("--webhook-backoff and --webhook-max-backoff must not be negative")
	}
	return nil
}

// ledgers hands the ledger built before the pipeline to the mount hook of
// the same serve run.
var ledgers sync.Map // *serveDeps → *ledger.Ledger

func ledgerPipeline(d *serveDeps, cfg *pipeline.Config) error {
	l, err := newLedger(d.cfg.ledger, d.cfg.companies, d.db, d.log)
	if err != nil {
		return err
	}
	ledgers.Store(d, l)
	cfg.Poster = l
	addJobs(cfg, l.Register, l.Queues())
	return nil
}

// addJobs adds a part's job kinds and queues to the pipeline's River
// client beside those other parts added.
func addJobs(cfg *pipeline.Config, register func(*river.Workers), queues map[string]river.QueueConfig) {
	prev := cfg.Register
	cfg.Register = func(w *river.Workers) {
		if prev != nil {
			prev(w)
		}
		register(w)
	}
	if cfg.Queues == nil {
		cfg.Queues = map[string]river.QueueConfig{}
	}
	maps.Copy(cfg.Queues, queues)
}

// apiActor names who made an API request, for the log and the history.
func apiActor(r *http.Request) string {
	if tok, ok := api.TokenFrom(r.Context()); ok {
		return "api:" + tok.Name
	}
	return "api"
}

func ledgerMount(d *serveDeps, mux *http.ServeMux) error {
	v, ok := ledgers.LoadAndDelete(d)
	if !ok {
		return fmt.Errorf("ledger: not built before the pipeline")
	}
	l := v.(*ledger.Ledger)
	if d.cfg.role == "worker" {
		return nil // a worker serves no API
	}
	mux.Handle("GET /api/v1/ledger", api.RequireRole(d.db, db.RoleService, l.PullHandler(), d.log))
	mux.Handle("GET /api/v1/ledger/deliveries", api.RequireRole(d.db, db.RoleAdmin, l.DeliveriesHandler(), d.log))
	mux.Handle("POST /api/v1/ledger/deliveries/{id}/resend",
		api.RequireRole(d.db, db.RoleAdmin, l.ResendHandler(d.pipeline.Queue(), apiActor), d.log))
	mux.Handle("GET /api/v1/documents/{id}/export", api.RequireRole(d.db, db.RoleService, l.ExportHandler(), d.log))
	mux.Handle("GET /api/v1/ledger/export", api.RequireRole(d.db, db.RoleService, l.BatchExportHandler(), d.log))
	return nil
}

// newLedger builds the ledger from its settings; ledger.New refuses what
// it cannot use (a webhook without a secret, a bad mapping). companies is
// the companies file (serve's --companies), whose bank accounts pay the
// exported payment orders.
func newLedger(s ledgerSettings, companies string, database *db.DB, log *slog.Logger) (*ledger.Ledger, error) {
	cfg := ledger.Config{DB: database, BaseURL: s.publicURL, Logger: log}
	if companies != "" {
		f, err := os.Open(companies)
		if err != nil {
			return nil, fmt.Errorf("read companies: %w", err)
		}
		cfg.Companies, err = pervichka.ReadCompanyList(f)
		f.Close()
		if err != nil {
			return nil, err
		}
	}
	if s.mapping != "" {
		m, err := ledger.LoadMapping(s.mapping)
		if err != nil {
			return nil, err
		}
		cfg.Mapping = m
	}
	cfg.Webhook.URL, cfg.Webhook.Secret = s.webhookURL, s.secret
	cfg.Webhook.MaxAttempts, cfg.Webhook.Backoff, cfg.Webhook.MaxBackoff = s.maxAttempts, s.backoff, s.maxBackoff
	return ledger.New(cfg)
}

package main

import (
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"strconv"
	"sync"
	"time"

	"github.com/pervichka/pervichka"
	"github.com/pervichka/pervichka/api"
	"github.com/pervichka/pervichka/ledger"
	"github.com/pervichka/pervichka/pipeline"
	"github.com/pervichka/pervichka/storage/db"
)

// The ledger's part of serve: it posts auto-approved documents (the
// pipeline's Poster), delivers postings by webhook as jobs of the
// pipeline's River client, and serves the pull API and the dead-letter
// routes, and the exports (a document's file, and batches on the cursor).
// It is configured from the environment (serve's flags belong to serve.go;
// --companies gives the payers' accounts):
//
//	PERVICHKA_WEBHOOK_URL, PERVICHKA_WEBHOOK_SECRET   where to deliver, and the HMAC key
//	PERVICHKA_WEBHOOK_MAX_ATTEMPTS, PERVICHKA_WEBHOOK_BACKOFF, PERVICHKA_WEBHOOK_MAX_BACKOFF
//	PERVICHKA_LEDGER_MAPPING   JSON file of accounts (docs/ledger.md)
//	PERVICHKA_PUBLIC_URL       the service's address, for links in deliveries
func init() {
	extensions["ledger"] = extension{name: "ledger", pipeline: ledgerPipeline, mount: ledgerMount}
}

// ledgers hands the ledger built before the pipeline to the mount hook of
// the same serve run.
var ledgers sync.Map // *serveDeps → *ledger.Ledger

func ledgerPipeline(d *serveDeps, cfg *pipeline.Config) error {
	l, err := ledgerFromEnv(d.db, d.log, d.cfg.companies)
	if err != nil {
		return err
	}
	ledgers.Store(d, l)
	cfg.Poster, cfg.Register, cfg.Queues = l, l.Register, l.Queues()
	return nil
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
	actor := func(r *http.Request) string {
		if tok, ok := api.TokenFrom(r.Context()); ok {
			return "api:" + tok.Name
		}
		return "api"
	}
	mux.Handle("GET /api/v1/ledger", api.RequireRole(d.db, db.RoleService, l.PullHandler(), d.log))
	mux.Handle("GET /api/v1/ledger/deliveries", api.RequireRole(d.db, db.RoleAdmin, l.DeliveriesHandler(), d.log))
	mux.Handle("POST /api/v1/ledger/deliveries/{id}/resend",
		api.RequireRole(d.db, db.RoleAdmin, l.ResendHandler(d.pipeline.Queue(), actor), d.log))
	mux.Handle("GET /api/v1/documents/{id}/export", api.RequireRole(d.db, db.RoleService, l.ExportHandler(), d.log))
	mux.Handle("GET /api/v1/ledger/export", api.RequireRole(d.db, db.RoleService, l.BatchExportHandler(), d.log))
	return nil
}

// ledgerFromEnv builds the ledger from the environment, refusing a value
// it cannot read rather than running with a default the operator did not
// mean. companies is the companies file (serve's --companies), whose bank
// accounts pay the exported payment orders.
func ledgerFromEnv(database *db.DB, log *slog.Logger, companies string) (*ledger.Ledger, error) {
	cfg := ledger.Config{DB: database, BaseURL: os.Getenv("PERVICHKA_PUBLIC_URL"), Logger: log}
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
	if path := os.Getenv("PERVICHKA_LEDGER_MAPPING"); path != "" {
		m, err := ledger.LoadMapping(path)
		if err != nil {
			return nil, err
		}
		cfg.Mapping = m
	}
	cfg.Webhook.URL = os.Getenv("PERVICHKA_WEBHOOK_URL")
	cfg.Webhook.Secret = os.Getenv("PERVICHKA_WEBHOOK_SECRET")
	if s := os.Getenv("PERVICHKA_WEBHOOK_MAX_ATTEMPTS"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			return nil, fmt.Errorf("PERVICHKA_WEBHOOK_MAX_ATTEMPTS=%q: want a positive number", s)
		}
		cfg.Webhook.MaxAttempts = n
	}
	for name, dst := range map[string]*time.Duration{
		"PERVICHKA_WEBHOOK_BACKOFF": &cfg.Webhook.Backoff, "PERVICHKA_WEBHOOK_MAX_BACKOFF": &cfg.Webhook.MaxBackoff,
	} {
		if s := os.Getenv(name); s != "" {
			v, err := time.ParseDuration(s)
			if err != nil || v <= 0 {
				return nil, fmt.Errorf("%s=%q: want a duration such as 10s", name, s)
			}
			*dst = v
		}
	}
	return ledger.New(cfg)
}

package main

import (
	"flag"
	"fmt"
	"net/http"
	"sync"

	"github.com/pervichka/pervichka/api"
	"github.com/pervichka/pervichka/ledger/webhook"
	"github.com/pervichka/pervichka/pipeline"
	"github.com/pervichka/pervichka/statehook"
	"github.com/pervichka/pervichka/storage/db"
)

// The state webhook's part of serve: every change of a document's state
// made by this process is recorded in its transaction and delivered to
// --state-webhook-url by the pipeline's River client (package statehook);
// the admin routes list the changes and resend a dead one. The signing
// key and the retry settings are the ledger webhook's (--webhook-secret,
// --webhook-max-attempts, --webhook-backoff, --webhook-max-backoff), so
// that one accounting system is set up once.
func init() {
	extensions["statehook"] = extension{name: "statehook", flags: statehookFlags, check: checkStatehook,
		pipeline: statehookPipeline, mount: statehookMount}
}

type statehookSettings struct {
	url string
}

func statehookFlags(fs *flag.FlagSet, c *serveConfig) {
	fs.StringVar(&c.statehook.url, "state-webhook-url", "", "where every change of a document's state is delivered, signed with --webhook-secret and retried as the --webhook-* settings say; give it to every serve process (all roles record changes); empty: none [PERVICHKA_STATE_WEBHOOK_URL]")
}

func checkStatehook(c *serveConfig) error {
	if c.statehook.url != "" && c.ledger.secret == "" {
		return fmt.Errorf("--state-webhook-url [PERVICHKA_STATE_WEBHOOK_URL] needs --webhook-secret [PERVICHKA_WEBHOOK_SECRET] to sign with")
	}
	return nil
}

// statehooks hands the hooks built before the pipeline to the mount hook
// of the same serve run.
var statehooks sync.Map // *serveDeps → *statehook.Hooks

// statehookPipeline attaches the hook to the database before the pipeline
// (or anything else) can change a document, and adds the delivery worker
// to the pipeline's River client.
func statehookPipeline(d *serveDeps, cfg *pipeline.Config) error {
	l := d.cfg.ledger
	h, err := statehook.New(statehook.Config{DB: d.db, Endpoint: webhook.Endpoint{URL: d.cfg.statehook.url, Secret: l.secret,
		MaxAttempts: l.maxAttempts, Backoff: l.backoff, MaxBackoff: l.maxBackoff}, BaseURL: l.publicURL, Logger: d.log})
	if err != nil {
		return err
	}
	statehooks.Store(d, h)
	if h.Enabled() {
		addJobs(cfg, h.Register, h.Queues())
	}
	return nil
}

func statehookMount(d *serveDeps, mux *http.ServeMux) error {
	v, ok := statehooks.LoadAndDelete(d)
	if !ok {
		return fmt.Errorf("statehook: not built before the pipeline")
	}
	h := v.(*statehook.Hooks)
	if n, err := h.Resume(d.life); err != nil {
		return err
	} else if n > 0 {
		d.log.Info("state webhook: documents with changes waiting", "documents", n)
	}
	if d.cfg.role == "worker" {
		return nil // a worker serves no API
	}
	mux.Handle("GET /api/v1/webhooks/state", api.RequireRole(d.db, db.RoleAdmin, h.ListHandler(), d.log))
	mux.Handle("POST /api/v1/webhooks/state/{id}/resend", api.RequireRole(d.db, db.RoleAdmin, h.ResendHandler(apiActor), d.log))
	return nil
}

package metrics

import (
	"context"
	"log/slog"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/pervichka/pervichka/storage/db"
)

// dbCollector reads the document and job counts from the database when
// Prometheus scrapes, so that the numbers are the database's, shared by every
// process, rather than one process's view of what it did.
//
// A failed query does not fail the scrape: its metric is left out (a zero
// would read as "queue empty") and pervichka_scrape_error is 1, so an alert
// can tell "no documents" from "could not count".
type dbCollector struct {
	src     Source
	timeout time.Duration
	log     *slog.Logger

	documents   *prometheus.Desc
	queueJobs   *prometheus.Desc
	scrapeError *prometheus.Desc
}

func newDBCollector(src Source, timeout time.Duration, log *slog.Logger) *dbCollector {
	return &dbCollector{
		src:     src,
		timeout: timeout,
		log:     log,
		documents: prometheus.NewDesc("pervichka_documents",
			"Documents in each state, counted at scrape time.", []string{"state"}, nil),
		queueJobs: prometheus.NewDesc("pervichka_queue_jobs",
			"River jobs by queue, kind and job state, counted at scrape time. "+
				"Depth is available+scheduled+running+retryable(+pending); completed, cancelled and discarded are recent history until River cleans them.",
			[]string{"queue", "kind", "state"}, nil),
		scrapeError: prometheus.NewDesc("pervichka_scrape_error",
			"1 when a database query of this scrape failed or timed out, so some pervichka_ metrics are missing; else 0.", nil, nil),
	}
}

func (c *dbCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- c.documents
	ch <- c.queueJobs
	ch <- c.scrapeError
}

// Collect runs both queries under one deadline. Collect has no context of its
// own (the scrape's request is not passed down), so the deadline is the only
// bound: a scrape whose client went away still runs its queries to the end.
func (c *dbCollector) Collect(ch chan<- prometheus.Metric) {
	if c.src == nil {
		c.log.Error("metrics: no database to count from (nil Source)")
		ch <- prometheus.MustNewConstMetric(c.scrapeError, prometheus.GaugeValue, 1)
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), c.timeout)
	defer cancel()
	failed := 0.0

	if counts, err := c.src.CountByState(ctx); err != nil {
		c.log.Warn("metrics: count documents by state", "err", err)
		failed = 1
	} else {
		// Every known state, so a state that emptied shows 0 rather than
		// disappearing; Source may already include them all.
		for _, s := range db.States {
			ch <- prometheus.MustNewConstMetric(c.documents, prometheus.GaugeValue, float64(counts[s]), string(s))
		}
		for s, n := range counts {
			if !s.Valid() {
				ch <- prometheus.MustNewConstMetric(c.documents, prometheus.GaugeValue, float64(n), string(s))
			}
		}
	}

	if jobs, err := c.src.QueueDepth(ctx); err != nil {
		c.log.Warn("metrics: count river jobs", "err", err)
		failed = 1
	} else {
		for _, j := range jobs {
			ch <- prometheus.MustNewConstMetric(c.queueJobs, prometheus.GaugeValue, float64(j.Count), j.Queue, j.Kind, j.State)
		}
	}

	ch <- prometheus.MustNewConstMetric(c.scrapeError, prometheus.GaugeValue, failed)
}

// Package metrics exposes Pervichka's Prometheus metrics at /metrics: how
// many documents are in each state and how many River jobs wait in each queue
// (both read from the database when Prometheus scrapes), how long pipeline
// stages take, and how the HTTP routes answer, beside Go's and the process's
// own metrics.
//
// Every metric lives in the Metrics value's own registry, not in Prometheus's
// global one, so that two services in one test binary do not collide and
// nothing registers behind the caller's back.
//
// Label values are bounded by construction: document states and River's
// queues, kinds and job states come from the database, where the code defines
// them; stage and outcome names come from the pipeline's constants; routes
// are mux patterns, never request paths. A caller that passes free text
// (an error message, a URL) as a label grows the series without bound.
package metrics

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/pervichka/pervichka/storage/db"
)

// Source is where the scrape-time counts come from; *db.DB is one.
type Source interface {
	CountByState(ctx context.Context) (map[db.State]int64, error)
	QueueDepth(ctx context.Context) ([]db.QueueCount, error)
}

// DefaultScrapeTimeout bounds the database queries of one scrape. It is under
// Prometheus's default scrape timeout (10 s), so that a slow database shows
// as pervichka_scrape_error rather than as a scrape that timed out with no
// samples at all.
const DefaultScrapeTimeout = 5 * time.Second

// stageBuckets span a page's enhancement (tens of milliseconds) to a long
// multi-page OCR (two minutes), about ×2–2.5 apart.
var stageBuckets = []float64{0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30, 60, 120}

// httpBuckets span a status read (milliseconds) to a large upload on a slow
// link; 0.2 s is the upload p99 target, so it is a bucket edge.
var httpBuckets = []float64{0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.5, 1, 2.5, 5, 10, 30}

// Metrics holds the service's metrics and the registry that serves them.
// It is safe for concurrent use.
type Metrics struct {
	reg          *prometheus.Registry
	stage        *prometheus.HistogramVec
	httpRequests *prometheus.CounterVec
	httpDuration *prometheus.HistogramVec
	faults       *prometheus.CounterVec
	log          *slog.Logger
}

// BuildInfo is what a binary knows of its build (runtime/debug.ReadBuildInfo),
// exposed as pervichka_build_info so that a dashboard shows which revision
// each process runs.
type BuildInfo struct {
	Version, Revision, Time, GoVersion string
	Modified                           bool
}

// SetBuildInfo exposes b as pervichka_build_info 1 with its fields as labels
// (one series per process: they do not change while it runs).
func (m *Metrics) SetBuildInfo(b BuildInfo) {
	m.reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "pervichka_build_info",
		Help: "Always 1; the labels say which build this process runs.",
		ConstLabels: prometheus.Labels{
			"version": b.Version, "revision": b.Revision, "goversion": b.GoVersion,
			"modified": fmt.Sprint(b.Modified),
		},
	}, func() float64 { return 1 }))
}

// New builds the metrics with src queried at every scrape. log receives
// failed scrape queries and exposition errors; nil discards them. A nil src
// is a wiring mistake that shows as pervichka_scrape_error 1 on every scrape
// rather than as a crash.
func New(src Source, log *slog.Logger) *Metrics {
	return newMetrics(src, DefaultScrapeTimeout, log)
}

func newMetrics(src Source, scrapeTimeout time.Duration, log *slog.Logger) *Metrics {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	m := &Metrics{
		reg: prometheus.NewRegistry(),
		stage: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "pervichka_stage_duration_seconds",
			Help:    "Time one pipeline stage took for one job, by stage and outcome.",
			Buckets: stageBuckets,
		}, []string{"stage", "outcome"}),
		httpRequests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "pervichka_http_requests_total",
			Help: "HTTP requests answered, by route pattern and status code.",
		}, []string{"route", "code"}),
		httpDuration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "pervichka_http_request_duration_seconds",
			Help:    "Time to answer an HTTP request, by route pattern.",
			Buckets: httpBuckets,
		}, []string{"route"}),
		faults: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "pervichka_faults_total",
			Help: "Panics caught in a pipeline stage (bugs; each fails its document with its own reason), by stage.",
		}, []string{"stage"}),
		log: log,
	}
	m.reg.MustRegister(
		newDBCollector(src, scrapeTimeout, log),
		m.stage, m.httpRequests, m.httpDuration, m.faults,
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
	)
	return m
}

// ObserveStage records that one run of a pipeline stage ended with outcome
// after d. stage and outcome must come from a fixed set (say "page" and
// "ok", "retry", "failed"), since each pair is a series.
func (m *Metrics) ObserveStage(stage, outcome string, d time.Duration) {
	m.stage.WithLabelValues(stage, outcome).Observe(d.Seconds())
}

// ObserveFault counts a panic caught in a pipeline stage (a fixed name).
func (m *Metrics) ObserveFault(stage string) {
	m.faults.WithLabelValues(stage).Inc()
}

// Middleware counts and times the requests h answers under route, which must
// be the pattern h is mounted at (e.g. "GET /api/v1/documents/{id}"), not the
// request's path: the path holds ids and would make a series per document.
func (m *Metrics) Middleware(route string, h http.Handler) http.Handler {
	labels := prometheus.Labels{"route": route}
	return promhttp.InstrumentHandlerCounter(m.httpRequests.MustCurryWith(labels),
		promhttp.InstrumentHandlerDuration(m.httpDuration.MustCurryWith(labels), h))
}

// Handler serves the text exposition of every metric. A failed database
// query does not fail the scrape: the other metrics are served and
// pervichka_scrape_error is 1.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{
		ErrorLog:      slogPrinter{m.log},
		ErrorHandling: promhttp.ContinueOnError,
		Registry:      m.reg, // counts the handler's own errors
	})
}

// slogPrinter adapts a *slog.Logger to promhttp's Println-only logger.
type slogPrinter struct{ log *slog.Logger }

func (p slogPrinter) Println(v ...any) {
	p.log.Error("serve metrics", "err", strings.TrimSuffix(fmt.Sprintln(v...), "\n"))
}

package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"runtime"
	"runtime/debug"
	"sort"
	"sync/atomic"
	"time"

	pervichka "github.com/pervichka/pervichka"
	"github.com/pervichka/pervichka/admin"
	"github.com/pervichka/pervichka/api"
	"github.com/pervichka/pervichka/extractors/dewarp"
	"github.com/pervichka/pervichka/extractors/fields"
	"github.com/pervichka/pervichka/extractors/pixelbudget"
	"github.com/pervichka/pervichka/extractors/recognize"
	"github.com/pervichka/pervichka/extractors/tesseract"
	"github.com/pervichka/pervichka/jsonhttp"
	"github.com/pervichka/pervichka/logctx"
	"github.com/pervichka/pervichka/metrics"
	"github.com/pervichka/pervichka/pipeline"
	"github.com/pervichka/pervichka/storage/db"
	"github.com/pervichka/pervichka/storage/objects"
)

func init() {
	commands["serve"] = command{summary: "run the service: HTTP API and/or pipeline workers", run: runServe}
}

const serveUsage = `usage: pervichka serve [flags]

Runs the intake service. --role all (the default) serves the HTTP API and
works the pipeline's jobs in one process; --role api only serves HTTP (and
submits jobs); --role worker only works jobs (and serves /healthz, /readyz
and /metrics on --addr). Many workers may share one Postgres and one bucket.
Every flag also reads its environment variable (shown in brackets), and
then the --config file; a value that does not parse stops the start.
PERVICHKA_HOME (environment only) moves the default --db and --storage.
Mailboxes to poll are read from --imap-file and from PERVICHKA_IMAP_1_URL,
PERVICHKA_IMAP_2_URL, … (environment only; see docs/intake.md).
`

// serveConfig is what the flags and the environment say.
type serveConfig struct {
	role            string
	dbURL           string
	storageURL      string
	addr            string
	ocrWorkers      int
	jobTimeout      time.Duration
	rescueAfter     time.Duration
	shutdownTimeout time.Duration
	companies       string
	maxRequestBytes int64
	maxSubmits      int
	pixelBudget     int64
	migrate         bool
	resentCheck     bool
	logLevel        slog.Level
	logFormat       string
	metricsAddr     string
	drainDelay      time.Duration
	dbWait          time.Duration
	// the parts' own settings (serve_<part>.go)
	ledger    ledgerSettings
	review    reviewSettings
	intake    intakeSettings
	statehook statehookSettings
}

func parseServe(args []string, stderr io.Writer) (serveConfig, error) {
	var c serveConfig
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, serveUsage+"\nflags:\n"); fs.PrintDefaults() }
	configFlag(fs)
	fs.StringVar(&c.role, "role", "all", "all, api or worker [PERVICHKA_ROLE]")
	dbURL := dbFlag(fs)
	storageURL := storageFlag(fs)
	fs.StringVar(&c.addr, "addr", "127.0.0.1:8080", "HTTP listen address [PERVICHKA_ADDR]")
	fs.IntVar(&c.ocrWorkers, "ocr-workers", runtime.NumCPU(), "pages OCR'd at once [PERVICHKA_OCR_WORKERS]")
	fs.DurationVar(&c.jobTimeout, "job-timeout", 5*time.Minute, "longest a job may run; a job still running this long after its worker vanished is run again [PERVICHKA_JOB_TIMEOUT]")
	fs.DurationVar(&c.rescueAfter, "rescue-after", 0, "a job running this long is presumed orphaned by a dead worker and run again; default job-timeout + 30s [PERVICHKA_RESCUE_AFTER]")
	fs.DurationVar(&c.shutdownTimeout, "shutdown-timeout", 30*time.Second, "on SIGTERM, how long running jobs and requests may finish before they are handed back [PERVICHKA_SHUTDOWN_TIMEOUT]")
	fs.StringVar(&c.companies, "companies", "", "JSON file with our organisations [PERVICHKA_COMPANIES]")
	fs.IntVar(&c.maxSubmits, "max-submits", 0, "uploads stored and committed at once, the rest waiting in arrival order; default twice the cores, more for a distant S3 [PERVICHKA_MAX_SUBMITS]")
	fs.Int64Var(&c.maxRequestBytes, "max-request-bytes", 200<<20, "largest upload request [PERVICHKA_MAX_REQUEST_BYTES]")
	fs.Int64Var(&c.pixelBudget, "pixel-budget", defaultPixelBudget, "bytes of decoded page pixels held at once by all jobs of this process (pages wait their turn beyond it); 0 = unbounded [PERVICHKA_PIXEL_BUDGET]")
	fs.BoolVar(&c.migrate, "migrate", true, "bring the schema up to date at start [PERVICHKA_MIGRATE]")
	fs.BoolVar(&c.resentCheck, "resent-check", true, "link a photo whose picture an earlier document already has (a re-sent copy) to it instead of reading it again [PERVICHKA_RESENT_CHECK]")
	level := fs.String("log-level", "info", "debug, info, warn or error [PERVICHKA_LOG_LEVEL]")
	fs.StringVar(&c.logFormat, "log-format", "text", "text (key=value) or json, one object a line [PERVICHKA_LOG_FORMAT]")
	fs.StringVar(&c.metricsAddr, "metrics-addr", "", "also serve GET /metrics here without a token (an internal port for Prometheus); /metrics on --addr keeps asking for an admin token [PERVICHKA_METRICS_ADDR]")
	fs.DurationVar(&c.dbWait, "db-wait", 30*time.Second, "at start, how long to keep trying a Postgres server that cannot be reached yet (booting, restarting) before giving up; 0 = one attempt [PERVICHKA_DB_WAIT]")
	fs.DurationVar(&c.drainDelay, "drain-delay", 0, "on SIGTERM, answer /readyz 503 this long before the listener closes, so a load balancer stops sending first [PERVICHKA_DRAIN_DELAY]")
	for _, ext := range sortedExtensions() {
		if ext.flags != nil {
			ext.flags(fs, &c)
		}
	}
	if done, err := parseFlags(fs, args); done {
		if err == nil {
			err = flag.ErrHelp
		}
		return c, err
	}
	c.dbURL, c.storageURL = *dbURL, *storageURL
	switch c.role {
	case "all", "api", "worker":
	default:
		return c, usagef("unknown --role %q [PERVICHKA_ROLE]: want all, api or worker", c.role)
	}
	if c.rescueAfter == 0 {
		// A cgo OCR call outlives its cancelled context by up to a
		// page's OCR time; the margin keeps a live job from being run twice.
		c.rescueAfter = c.jobTimeout + 30*time.Second
	}
	if c.rescueAfter <= c.jobTimeout {
		return c, usagef("--rescue-after (%s) must be longer than --job-timeout (%s)", c.rescueAfter, c.jobTimeout)
	}
	if c.maxSubmits < 0 {
		return c, usagef("--max-submits [PERVICHKA_MAX_SUBMITS] must not be negative")
	}
	if c.pixelBudget < 0 {
		return c, usagef("--pixel-budget [PERVICHKA_PIXEL_BUDGET] must not be negative")
	}
	if c.ocrWorkers < 1 {
		return c, usagef("--ocr-workers [PERVICHKA_OCR_WORKERS] must be at least 1")
	}
	if c.logFormat != "text" && c.logFormat != "json" {
		return c, usagef("unknown --log-format %q [PERVICHKA_LOG_FORMAT]: want text or json", c.logFormat)
	}
	if c.dbWait < 0 {
		return c, usagef("--db-wait [PERVICHKA_DB_WAIT] must not be negative")
	}
	if c.drainDelay < 0 {
		return c, usagef("--drain-delay [PERVICHKA_DRAIN_DELAY] must not be negative")
	}
	if err := c.logLevel.UnmarshalText([]byte(*level)); err != nil {
		return c, usagef("--log-level [PERVICHKA_LOG_LEVEL]: %v", err)
	}
	for _, ext := range sortedExtensions() {
		if ext.check != nil {
			if err := ext.check(&c); err != nil {
				return c, &usageError{msg: err.Error()}
			}
		}
	}
	return c, nil
}

// defaultPixelBudget bounds the pixels a serve process holds at once. Go's
// garbage collector lets the heap grow to about twice what is live, so
// 384 MiB of pixels can take ~0.8 GB; with the process's ~100 MB and the
// OCR engines this keeps one process within the 1 GB that
// BenchmarkHostileMemory holds it to (docs/benchmarks.md). An A4 page at
// 300 dpi with its enhancement and OCR is costed at ~150 MB, so two OCR
// workers and an ingest still run side by side on ordinary pages; a 60 MP
// picture (the pixel limit) takes the whole budget and runs alone.
const defaultPixelBudget = 384 << 20

func runServe(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	c, err := parseServe(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return nil
	}
	if err != nil {
		return err
	}
	log := newLogger(stderr, c.logFormat, c.logLevel)
	work := c.role == "all" || c.role == "worker"
	if _, set := os.LookupEnv("GOMEMLIMIT"); !set && work && c.pixelBudget > 0 {
		// A soft limit of twice the pixel budget makes the collector
		// return a dropped page's memory before the heap doubles past it,
		// instead of when GOGC says (issue 15: a 60 MP page, once
		// decoded and reduced, left a 900 MB heap behind).
		debug.SetMemoryLimit(2 * c.pixelBudget)
	}

	// The process's own lifetime: ctx ends at SIGTERM, but the shutdown
	// below still needs the database and storage.
	life, endLife := context.WithCancel(context.WithoutCancel(ctx))
	defer endLife()

	database, err := openDBWait(ctx, c.dbURL, c.dbWait, log)
	if err != nil {
		return err
	}
	defer database.Close()
	if c.migrate {
		if err := database.Migrate(ctx); err != nil {
			return err
		}
	}
	store, err := objects.Open(ctx, c.storageURL, log)
	if err != nil {
		return err
	}
	m := metrics.New(database, log)
	m.SetBuildInfo(buildInfo())
	pcfg := pipeline.Config{
		DB: database, Objects: store, Limits: pervichka.DefaultLimits(), Work: work,
		OCRWorkers: c.ocrWorkers, JobTimeout: c.jobTimeout, RescueAfter: c.rescueAfter, Observer: m, Logger: log,
		NoResentCheck: !c.resentCheck, MaxSubmits: c.maxSubmits,
	}
	if work {
		own, err := loadCompanies(c.companies)
		if err != nil {
			return err
		}
		// One engine more than OCR workers: extraction re-reads boxes
		// while pages of other documents are being read.
		pool, err := tesseract.NewPool(ctx, tesseract.Options{Size: c.ocrWorkers + 1, Logger: log})
		if err != nil {
			return fmt.Errorf("start OCR engine: %w", err)
		}
		defer pool.Close()
		pcfg.Recognizer = recognize.New(pool, recognize.Options{Fields: fields.Config{Own: own}, Budget: pixelbudget.New(c.pixelBudget), Dewarper: dewarp.Dewarper{}, Logger: log})
	}
	deps := &serveDeps{life: life, cfg: c, db: database, store: store, metrics: m, log: log}
	exts := sortedExtensions()
	for _, ext := range exts {
		if ext.pipeline != nil {
			if err := ext.pipeline(deps, &pcfg); err != nil {
				return fmt.Errorf("%s: %w", ext.name, err)
			}
		}
	}
	p, err := pipeline.New(pcfg)
	if err != nil {
		return err
	}
	deps.pipeline = p

	var draining atomic.Bool
	handler, err := routes(life, c, database, store, p, m, draining.Load, log)
	if err != nil {
		return err
	}
	for _, ext := range exts {
		if ext.mount != nil {
			if err := ext.mount(deps, handler); err != nil {
				return fmt.Errorf("%s: %w", ext.name, err)
			}
		}
	}
	ln, err := net.Listen("tcp", c.addr)
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	srv := &http.Server{
		// Every request gets an id: in its log lines and its answer.
		Handler: jsonhttp.RequestID(handler),
		// Slow clients must not hold connections forever; uploads of 50 MB
		// over a phone link get minutes, headers seconds.
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       10 * time.Minute,
		WriteTimeout:      10 * time.Minute,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
		BaseContext:       func(net.Listener) context.Context { return life },
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	var msrv *http.Server
	if c.metricsAddr != "" {
		mln, err := net.Listen("tcp", c.metricsAddr)
		if err != nil {
			_ = srv.Close()
			return fmt.Errorf("listen for metrics: %w", err)
		}
		mux := http.NewServeMux()
		mux.Handle("GET /metrics", m.Handler())
		msrv = &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second, ErrorLog: srv.ErrorLog}
		go func() { _ = msrv.Serve(mln) }()
		log.Info("serving metrics", "addr", mln.Addr().String())
	}
	if err := p.Start(life); err != nil {
		_ = srv.Close()
		return fmt.Errorf("start workers: %w", err)
	}
	log.Info("serving", "role", c.role, "addr", ln.Addr().String(), "db", database.Dialect(), "ocr_workers", c.ocrWorkers)
	fmt.Fprintf(stdout, "pervichka: serving on http://%s (role %s)\n", ln.Addr(), c.role)

	select {
	case <-ctx.Done():
	case err := <-served:
		return fmt.Errorf("http server: %w", err)
	}
	// Not ready from now on, while still serving: a load balancer that
	// probes /readyz stops sending before the listener closes.
	draining.Store(true)
	log.Info("shutting down", "timeout", c.shutdownTimeout, "drain_delay", c.drainDelay)
	if c.drainDelay > 0 {
		time.Sleep(c.drainDelay)
	}
	sctx, cancel := context.WithTimeout(context.Background(), c.shutdownTimeout)
	defer cancel()
	var errs []error
	if err := srv.Shutdown(sctx); err != nil {
		errs = append(errs, fmt.Errorf("http shutdown: %w", err))
	}
	if msrv != nil {
		_ = msrv.Shutdown(sctx)
	}
	// Jobs get what is left of the timeout to finish; the rest are
	// cancelled and handed back to the queue.
	if err := p.Stop(sctx, 30*time.Second); err != nil {
		errs = append(errs, err)
	}
	endLife()
	if len(errs) > 0 {
		return errors.Join(errs...)
	}
	log.Info("stopped")
	return nil
}

// routes builds the HTTP handler of a serve process: the JSON API (or only
// the health probes on a worker), Prometheus metrics and River's UI, the
// last two for admins only.
func routes(life context.Context, c serveConfig, database *db.DB, store objects.Store, p *pipeline.Pipeline, m *metrics.Metrics, draining func() bool, log *slog.Logger) (*http.ServeMux, error) {
	mux := http.NewServeMux()
	cfg := api.Config{
		DB: database, Objects: store, Pipeline: p, Limits: pervichka.DefaultLimits(),
		MaxRequestBytes: c.maxRequestBytes, Logger: log, Instrument: m.Middleware, Draining: draining,
	}
	if c.role == "worker" {
		cfg.Pipeline = nil
		mux.Handle("/", api.Health(cfg))
	} else {
		mux.Handle("/", api.New(cfg))
	}
	mux.Handle("GET /metrics", api.RequireRole(database, db.RoleAdmin, m.Handler(), log))
	ui, err := admin.RiverUI(life, p.Queue(), "/riverui", log)
	if err != nil {
		return nil, err
	}
	mux.Handle("/riverui/", api.RequireRole(database, db.RoleAdmin, ui, log))
	return mux, nil
}

// newLogger makes the process's logger: text or JSON lines at level, each
// line logged with a request's or a job's context naming its ids (logctx).
func newLogger(w io.Writer, format string, level slog.Level) *slog.Logger {
	opts := &slog.HandlerOptions{Level: level}
	var h slog.Handler = slog.NewTextHandler(w, opts)
	if format == "json" {
		h = slog.NewJSONHandler(w, opts)
	}
	return slog.New(logctx.Handler(h))
}

// serveDeps is what a serve process has built, for its extensions.
type serveDeps struct {
	life     context.Context // ends when the process shuts down
	cfg      serveConfig
	db       *db.DB
	store    objects.Store
	metrics  *metrics.Metrics
	pipeline *pipeline.Pipeline // nil until the pipeline is built
	log      *slog.Logger
}

// An extension adds a package's part to a serve process (the review UI, the
// ledger, intake channels). Each lives in its own serve_<name>.go and
// registers itself from init, so that parts are wired without one file
// knowing them all.
type extension struct {
	name string
	// flags, when set, registers the part's settings on serve's flag set
	// (each naming its variable in brackets, see config.go), into its own
	// field of c; check, when set, refuses values they cannot take.
	flags func(fs *flag.FlagSet, c *serveConfig)
	check func(c *serveConfig) error
	// pipeline, when set, runs before the pipeline is built and may set
	// its Poster, Register and Queues.
	pipeline func(d *serveDeps, cfg *pipeline.Config) error
	// mount, when set, runs after: it adds handlers to mux (which already
	// holds "/" for the API) and may start background work that ends
	// with d.life.
	mount func(d *serveDeps, mux *http.ServeMux) error
}

var extensions = map[string]extension{}

func sortedExtensions() []extension {
	names := make([]string, 0, len(extensions))
	for n := range extensions {
		names = append(names, n)
	}
	sort.Strings(names)
	out := make([]extension, 0, len(names))
	for _, n := range names {
		out = append(out, extensions[n])
	}
	return out
}

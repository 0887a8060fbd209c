// Package pipeline carries a document from its arrival to a verdict as River
// jobs, one kind per stage, each in a file of its own:
//
//	Submit  store the original (keyed by content hash), create the document
//	        and its ingest job in one transaction
//	ingest  split the file into pages; store each PDF page picture losslessly
//	        and each PDF text layer as words; fan out one page job per image page
//	page    enhance and OCR one page; store the enhanced image and the words;
//	        the page job that finds no page left schedules extract
//	extract classify, extract, validate, check for duplicates, and route the
//	        document to needs_review or auto_approved
//	post    hand an auto-approved document to the Poster (the ledger), when
//	        one is configured
//
// Every stage is idempotent and unique per document, page and run (River's
// unique jobs, by args): a job run twice, or a worker killed midway, changes
// nothing the second time, because what a stage writes to storage is keyed by
// content and what it writes to the database commits in the same transaction
// as the job's completion and the next job's insert (InsertTx, JobCompleteTx).
//
// Errors: a problem with the file itself (corrupt, unsupported, over a limit)
// fails the document at once with a reason a person can read; anything else
// (storage or database unavailable, a crash) is retried with River's backoff,
// and the document fails only when the last attempt does, so it is never
// left silently in processing: when River ends a job without running the
// stage (its rescuer discards the job of a worker that died on the last
// attempt), the sweep (sweep.go) fails the document within a minute. An
// admin's Retry starts a new run.
package pipeline

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime"
	"time"

	"github.com/riverqueue/river"
	"golang.org/x/sync/semaphore"

	pervichka "github.com/pervichka/pervichka"
	"github.com/pervichka/pervichka/extractors/recognize"
	"github.com/pervichka/pervichka/logctx"
	"github.com/pervichka/pervichka/storage/db"
	"github.com/pervichka/pervichka/storage/objects"
)

// Queue names. OCR has its own queue so that its concurrency follows the
// cores while the short stages never wait behind a long OCR backlog.
const (
	QueueIngest  = "ingest"
	QueueOCR     = "ocr"
	QueueExtract = "extract"
	QueuePost    = "post"
)

// StageObserver learns how long each stage took and how it ended
// ("ok", "retry", "failed"), and of every fault (a panic: a bug, counted
// apart from failures about the document); the metrics package implements it.
type StageObserver interface {
	ObserveStage(stage, outcome string, d time.Duration)
	ObserveFault(stage string)
}

// Config configures a Pipeline.
type Config struct {
	DB      *db.DB
	Objects objects.Store
	// Recognizer runs the stages' work. Required when Work is set.
	Recognizer *recognize.Recognizer
	Limits     pervichka.Limits
	// Work makes this process work jobs; without it the pipeline only
	// submits (an API-only process).
	Work bool
	// OCRWorkers is how many pages are OCR'd at once; default the number
	// of CPUs. The recognizer's OCR engine pool should be at least as big.
	OCRWorkers int
	// JobTimeout bounds one job's run; default 5 minutes. A page of a
	// messenger photo takes seconds, so this only catches a hang.
	JobTimeout time.Duration
	// RescueAfter is when a job still running is presumed to belong to a
	// dead worker and is made available again; default JobTimeout + 30 s.
	RescueAfter time.Duration
	// PollInterval is how often a worker looks for new jobs; default
	// 50 ms. SQLite has no LISTEN/NOTIFY, so every stage of a document
	// waits on average half of it for the next poll: three hops cost ~75 ms
	// a document, where one page's OCR takes 1.5–3 s. A poll is one indexed
	// query per queue; on Postgres, notifications usually come first.
	PollInterval time.Duration
	// MaxAttempts per job before the document is failed; default 8.
	MaxAttempts int
	// SweepEvery is how often a working pipeline looks for documents that
	// no job will move on any more and fails them (see sweep.go); default
	// a minute.
	SweepEvery time.Duration
	// MaxSubmits bounds how many Submit calls of this process hash, store
	// and commit at once; the others wait their turn in arrival order
	// (first come, first served), each until its ctx ends. Default
	// 2 × GOMAXPROCS. Why: twenty uploads hashing, sending to the store
	// and committing together share the cores twenty ways, each takes
	// twenty times its own work, and the unlucky ones much longer (p99
	// twice p50, measured); taken in turn, each waits for the line ahead
	// of it and then runs nearly alone, so every upload waits about the
	// same. Two per core keep the cores busy while one waits on a disk or
	// a round trip. Limits: the line is per process; with a distant store
	// (tens of milliseconds a Put) a turn mostly waits on the network, and
	// this should be raised.
	MaxSubmits int
	Observer   StageObserver
	// Poster posts auto-approved documents; nil leaves them auto_approved.
	Poster Poster
	// Check, when set, runs in the extract transaction on the result before
	// it is saved and routed, and may add review reasons (the review UI's
	// counterparty directory: a changed name or КПП). Changed bank details
	// are checked by the pipeline itself (bank.go), hook or not.
	Check func(ctx context.Context, tx *db.Tx, res *pervichka.Result) error
	// NoResentCheck reads every image file, even the picture of an
	// earlier document sent again (see resent.go); fingerprints are still
	// stored. For benchmarks and load tests that submit one photo many
	// times, and for an operator who finds the look-up wrong.
	NoResentCheck bool
	// Register adds other packages' job kinds (the ledger's deliveries)
	// to this pipeline's River client, working in Queues.
	Register func(w *river.Workers)
	Queues   map[string]river.QueueConfig
	Logger   *slog.Logger
}

// Pipeline submits documents and, when configured to, works their jobs.
type Pipeline struct {
	db     *db.DB
	store  objects.Store
	rec    *recognize.Recognizer
	lim    pervichka.Limits
	obs    StageObserver
	log    *slog.Logger
	queue  *db.Queue
	cfg    Config
	cache  *pageCache
	poster Poster
	// submits admits Submit calls in turn: see Config.MaxSubmits.
	submits *semaphore.Weighted
	// lease marks this process a live worker from Start to Stop.
	lease *db.WorkerLease
	// stopSweep ends the sweep loop that Start began; sweepDone closes
	// when it has returned.
	stopSweep context.CancelFunc
	sweepDone chan struct{}
}

// New builds the pipeline and its River client; Start begins working jobs.
func New(cfg Config) (*Pipeline, error) {
	if cfg.DB == nil || cfg.Objects == nil {
		return nil, errors.New("pipeline: a database and an object store are required")
	}
	if cfg.Work && cfg.Recognizer == nil {
		return nil, errors.New("pipeline: a worker needs a recognizer")
	}
	if cfg.Limits == (pervichka.Limits{}) {
		cfg.Limits = pervichka.DefaultLimits()
	}
	// Lines logged with a job's context name its document (logctx).
	cfg.Logger = logctx.Logger(cfg.Logger)
	if cfg.OCRWorkers <= 0 {
		cfg.OCRWorkers = runtime.NumCPU()
	}
	if cfg.JobTimeout <= 0 {
		cfg.JobTimeout = 5 * time.Minute
	}
	if cfg.RescueAfter <= 0 {
		cfg.RescueAfter = cfg.JobTimeout + 30*time.Second
	}
	if cfg.PollInterval <= 0 {
		cfg.PollInterval = 50 * time.Millisecond
	}
	if cfg.MaxAttempts <= 0 {
		cfg.MaxAttempts = 8
	}
	if cfg.MaxSubmits <= 0 {
		cfg.MaxSubmits = 2 * runtime.GOMAXPROCS(0)
	}
	if cfg.SweepEvery <= 0 {
		cfg.SweepEvery = defaultSweepEvery
	}
	p := &Pipeline{db: cfg.DB, store: cfg.Objects, rec: cfg.Recognizer, lim: cfg.Limits,
		obs: cfg.Observer, log: cfg.Logger, cfg: cfg, cache: newPageCache(2*cfg.OCRWorkers + 2), poster: cfg.Poster,
		submits: semaphore.NewWeighted(int64(cfg.MaxSubmits))}
	rc := &river.Config{
		Logger:               cfg.Logger,
		JobTimeout:           cfg.JobTimeout,
		RescueStuckJobsAfter: cfg.RescueAfter,
		FetchPollInterval:    cfg.PollInterval,
		// The shortest pause between two fetches: a nudge (see inTx) after
		// a fetch moments ago waits this long, not a whole poll interval.
		FetchCooldown: min(cfg.PollInterval, 10*time.Millisecond),
		MaxAttempts:   cfg.MaxAttempts,
	}
	if cfg.Work {
		workers := river.NewWorkers()
		river.AddWorker(workers, &ingestWorker{p: p})
		river.AddWorker(workers, &pageWorker{p: p})
		river.AddWorker(workers, &extractWorker{p: p})
		river.AddWorker(workers, &postWorker{p: p})
		rc.Queues = map[string]river.QueueConfig{
			QueueIngest:  {MaxWorkers: 2},
			QueueOCR:     {MaxWorkers: cfg.OCRWorkers},
			QueueExtract: {MaxWorkers: 2},
			QueuePost:    {MaxWorkers: 2},
		}
		if cfg.Register != nil {
			cfg.Register(workers)
		}
		for name, q := range cfg.Queues {
			if _, ok := rc.Queues[name]; ok {
				return nil, fmt.Errorf("pipeline: queue %q is the pipeline's own", name)
			}
			rc.Queues[name] = q
		}
		rc.Workers = workers
	}
	q, err := cfg.DB.NewQueue(rc)
	if err != nil {
		return nil, fmt.Errorf("pipeline: %w", err)
	}
	p.queue = q
	return p, nil
}

// Queue is the River client, for River's UI and for tests.
func (p *Pipeline) Queue() *db.Queue { return p.queue }

// Start begins working jobs; a no-op for a pipeline that does not work.
func (p *Pipeline) Start(ctx context.Context) error {
	if !p.cfg.Work {
		return nil
	}
	// A restarted process that is the only worker on its SQLite file takes
	// back at once the jobs its previous life was running (db.ClaimWorker);
	// shared deployments wait for RescueAfter.
	lease, resumed, err := p.db.ClaimWorker(ctx)
	if err != nil {
		return err
	}
	if resumed > 0 {
		p.log.Info("resumed jobs a dead worker was running", "jobs", resumed)
	}
	if err := p.queue.Start(ctx); err != nil {
		lease.Release()
		return err
	}
	p.lease = lease
	sweepCtx, stop := context.WithCancel(context.WithoutCancel(ctx))
	p.stopSweep, p.sweepDone = stop, make(chan struct{})
	go func() {
		defer close(p.sweepDone)
		p.sweepLoop(sweepCtx)
	}()
	return nil
}

// Stop stops fetching new jobs and waits for running ones to finish until
// ctx ends; jobs still running then are cancelled and, their work
// uncommitted, are run again by another worker (or this one after a
// restart). Cancellation waits at most grace more for the jobs to return:
// a cgo OCR call cannot be interrupted, so a page in Tesseract finishes its
// call first.
func (p *Pipeline) Stop(ctx context.Context, grace time.Duration) error {
	if !p.cfg.Work {
		return nil
	}
	defer p.lease.Release()
	if p.stopSweep != nil {
		p.stopSweep()
		<-p.sweepDone
	}
	err := p.queue.Stop(ctx)
	if err == nil {
		return nil
	}
	p.log.Warn("jobs still running at the shutdown deadline; cancelling them", "err", err)
	cctx, cancel := context.WithTimeout(context.Background(), grace)
	defer cancel()
	if err := p.queue.StopAndCancel(cctx); err != nil {
		return fmt.Errorf("stop workers: %w", err)
	}
	return nil
}

// observe reports a stage's duration, if anyone listens.
func (p *Pipeline) observe(stage string, start time.Time, err error) {
	if p.obs == nil {
		return
	}
	outcome := "ok"
	switch {
	case errors.Is(err, errFailed):
		outcome = "failed"
	case err != nil:
		outcome = "retry"
	}
	p.obs.ObserveStage(stage, outcome, time.Since(start))
}

package tesseract

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"runtime"
	"slices"
	"strings"
	"sync"

	"github.com/otiai10/gosseract/v2"

	pervichka "github.com/pervichka/pervichka"
)

// Options configure a Pool. Zero values take the defaults.
type Options struct {
	// Size is the number of Tesseract clients, i.e. how many OCR calls run at
	// once. Each call uses one core (see the package doc on OpenMP), so the
	// default is runtime.NumCPU().
	Size int
	// Languages for recognition, "+"-joined as Tesseract spells them.
	// Default "rus+eng": Russian documents carry Latin e-mails, URLs and
	// product names.
	Languages string
	// RecycleAfter is how many recognitions (one per Words or ReadLine call;
	// on the orientation probe client, up to four per probe an Orientation
	// call reads) a client serves
	// before it is closed and recreated. gosseract v2.4.1 never frees
	// the word strings and result iterator it gets from Tesseract, so a
	// long-lived client grows slowly. Default 50.
	RecycleAfter int
	// Logger receives client creation and recycling at debug level.
	// Default: a logger that discards.
	Logger *slog.Logger
}

// Pool is a fixed set of Tesseract instances shared by goroutines. A
// gosseract client has no locking, so each call takes one client from the
// pool for its whole duration and gives it back afterwards. All methods are
// safe for concurrent use.
type Pool struct {
	log          *slog.Logger
	langs        []string
	probeLangs   []string
	recycleAfter int
	size         int

	slots     chan *slot    // free slots; len(slots)+in-flight == size
	done      chan struct{} // closed by Close
	closeOnce sync.Once

	// initMu serialises creating Tesseract instances: gosseract's Init
	// redirects the process's stderr while it runs and two at once race on
	// the file descriptors.
	initMu sync.Mutex
}

// slot is one pool member: a recognition client and, made on first use, an
// orientation engine. A slot belongs to one goroutine between acquire and
// release.
type slot struct {
	id   int
	ocr  *gosseract.Client // nil after recycling, recreated on next use
	osd  *osdEngine        // nil until the first Orientation call
	uses int               // recognition calls since ocr was created
	// probe reads the crops orientation by reading scores (probeLangs);
	// nil until the first such reading, and after recycling. probeUses
	// counts its recognitions as uses counts ocr's.
	probe     *gosseract.Client
	probeUses int
}

// NewPool checks that the languages (and osd, for Orientation) are installed
// and creates Size clients, one at a time. Each client is initialised at once
// by recognising a blank image, so a broken installation fails here rather
// than on the first page.
func NewPool(ctx context.Context, opt Options) (*Pool, error) {
	if opt.Size <= 0 {
		opt.Size = runtime.NumCPU()
	}
	if opt.Languages == "" {
		opt.Languages = "rus+eng"
	}
	if opt.RecycleAfter <= 0 {
		opt.RecycleAfter = 50
	}
	if opt.Logger == nil {
		opt.Logger = slog.New(slog.DiscardHandler)
	}
	quietLeptonica()
	p := &Pool{
		log:          opt.Logger,
		langs:        strings.Split(opt.Languages, "+"),
		recycleAfter: opt.RecycleAfter,
		size:         opt.Size,
		slots:        make(chan *slot, opt.Size),
		done:         make(chan struct{}),
	}
	p.probeLangs = p.langs[:1]
	if err := p.checkLanguages(); err != nil {
		return nil, err
	}
	for i := range opt.Size {
		if err := ctx.Err(); err != nil {
			p.closeSlots(i)
			return nil, canceled(err, "create tesseract clients")
		}
		c, err := p.newClient()
		if err != nil {
			p.closeSlots(i)
			return nil, err
		}
		p.slots <- &slot{id: i, ocr: c}
	}
	p.log.Debug("tesseract pool ready", "size", opt.Size, "languages", opt.Languages,
		"version", gosseract.Version(), "omp_thread_limit", os.Getenv("OMP_THREAD_LIMIT"))
	return p, nil
}

// checkLanguages refuses to start when a traineddata file is missing:
// Tesseract would otherwise fail on the first page with a message on stderr.
func (p *Pool) checkLanguages() error {
	p.initMu.Lock()
	defer p.initMu.Unlock()
	have, err := gosseract.GetAvailableLanguages()
	if err != nil {
		return pervichka.WrapError(pervichka.CodeOCR, err, "list installed tesseract languages")
	}
	for _, l := range append(slices.Clone(p.langs), "osd") {
		if l == "" || !slices.Contains(have, l) {
			return pervichka.Errorf(pervichka.CodeOCR,
				"tesseract language %q is not installed (installed: %s; set TESSDATA_PREFIX or install tesseract-ocr-%s)",
				l, strings.Join(have, ", "), l)
		}
	}
	return nil
}

// warmup is a small white page: recognising it forces gosseract to run
// Tesseract's Init, which it otherwise defers to the first page.
var warmup = bmp8(slices.Repeat([]byte{255}, 64*32), 64, 32, 300)

// newClient creates and initialises one gosseract client for the pool's
// languages.
func (p *Pool) newClient() (*gosseract.Client, error) {
	return p.newClientFor(p.langs)
}

// newClientFor creates and initialises one gosseract client reading langs.
func (p *Pool) newClientFor(langs []string) (*gosseract.Client, error) {
	p.initMu.Lock()
	defer p.initMu.Unlock()
	unlock := singleThreadOpenMP()
	defer unlock()
	c := gosseract.NewClient()
	if err := c.SetLanguage(langs...); err != nil {
		c.Close()
		return nil, pervichka.WrapError(pervichka.CodeOCR, err, "set tesseract languages")
	}
	c.Trim = false
	// Tesseract's diagnostics ("Empty page!!", resolution warnings) are
	// results we handle, not messages for the service's stderr.
	_ = c.SetVariable(gosseract.DEBUG_FILE, os.DevNull)
	// Tesseract reads a line it recognised poorly again as white on black
	// (tessedit_do_invert). Primary documents print no inverted text, and
	// on photographs many lines read poorly, so the second reading was
	// spent for nothing: on an enhanced photo of seed 9501's bill 003 it
	// was 5.5% of the instructions of the page's recognition (callgrind,
	// tesseract CLI). Field accuracy on seed 9501's scans and seed 1's
	// scans and photos was the same without it.
	_ = c.SetVariable("tessedit_do_invert", "0")
	if err := c.SetImageFromBytes(warmup); err != nil {
		c.Close()
		return nil, pervichka.WrapError(pervichka.CodeOCR, err, "set warm-up image")
	}
	if _, err := c.Text(); err != nil {
		c.Close()
		return nil, pervichka.WrapError(pervichka.CodeOCR, err,
			"initialise tesseract with "+strings.Join(langs, "+"))
	}
	return c, nil
}

// newOSD creates an orientation engine under the same lock as clients.
func (p *Pool) newOSD() (*osdEngine, error) {
	p.initMu.Lock()
	defer p.initMu.Unlock()
	o, err := newOSD()
	if err != nil {
		return nil, pervichka.WrapError(pervichka.CodeOCR, err, "create orientation engine")
	}
	return o, nil
}

// errClosed is returned by calls made after (or racing with) Close.
var errClosed = errors.New("tesseract pool is closed")

// acquire takes a free slot, waiting until one is free, ctx is done or the
// pool is closed.
func (p *Pool) acquire(ctx context.Context) (*slot, error) {
	if err := ctx.Err(); err != nil {
		return nil, canceled(err, "wait for a tesseract client")
	}
	select {
	case s := <-p.slots:
		select {
		case <-p.done:
			p.slots <- s // Close is collecting the slots
			return nil, canceled(errClosed, "wait for a tesseract client")
		default:
			return s, nil
		}
	case <-ctx.Done():
		return nil, canceled(ctx.Err(), "wait for a tesseract client")
	case <-p.done:
		return nil, canceled(errClosed, "wait for a tesseract client")
	}
}

// release gives a slot back after calls recognitions on its client, closing
// the client first when it has served RecycleAfter calls. The replacement is
// created by the next user (ready), so a failure to create one is reported
// to a caller instead of shrinking the pool.
func (p *Pool) release(s *slot, calls int) {
	s.uses += calls
	if s.ocr != nil && s.uses >= p.recycleAfter {
		s.ocr.Close()
		s.ocr = nil
		p.log.Debug("tesseract client recycled", "slot", s.id, "uses", s.uses)
		s.uses = 0
	}
	if s.probe != nil && s.probeUses >= p.recycleAfter {
		s.probe.Close()
		s.probe = nil
		p.log.Debug("tesseract probe client recycled", "slot", s.id, "uses", s.probeUses)
		s.probeUses = 0
	}
	p.slots <- s
}

// releaseProbe is release after calls recognitions on the slot's probe
// client (orientation by reading) and none on its page client.
func (p *Pool) releaseProbe(s *slot, calls int) {
	s.probeUses += calls
	p.release(s, 0)
}

// ready makes sure the slot has a recognition client.
func (p *Pool) ready(ctx context.Context, s *slot) error {
	if s.ocr != nil {
		return nil
	}
	if err := ctx.Err(); err != nil {
		return canceled(err, "recreate tesseract client")
	}
	c, err := p.newClient()
	if err != nil {
		return err
	}
	s.ocr = c
	return nil
}

// Close waits for calls in flight to finish, then frees every Tesseract
// instance. Calls waiting for a client, and calls after Close, fail with
// CodeCanceled. Close is idempotent.
func (p *Pool) Close() error {
	p.closeOnce.Do(func() {
		close(p.done)
		p.closeSlots(p.size)
	})
	return nil
}

// closeSlots takes n slots from the channel and frees them.
func (p *Pool) closeSlots(n int) {
	for range n {
		s := <-p.slots
		if s.ocr != nil {
			s.ocr.Close()
		}
		if s.probe != nil {
			s.probe.Close()
		}
		s.osd.close()
	}
}

// canceled wraps a context (or closed-pool) error as CodeCanceled.
func canceled(err error, doing string) error {
	return pervichka.WrapError(pervichka.CodeCanceled, err, doing)
}

// ocrFailed wraps an engine failure as CodeOCR.
func ocrFailed(err error, format string, args ...any) error {
	return pervichka.WrapError(pervichka.CodeOCR, err, fmt.Sprintf(format, args...))
}

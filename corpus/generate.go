package corpus

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"image"
	"image/jpeg"
	"log/slog"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"

	pervichka "github.com/pervichka/pervichka"
	"github.com/pervichka/pervichka/corpus/degrade"
	"github.com/pervichka/pervichka/corpus/render"
	"github.com/pervichka/pervichka/corpus/sheet"
)

// Variant names: how a document reaches the back office.
const (
	VariantPDF   = "pdf"   // born-digital PDF with a text layer
	VariantScan  = "scan"  // 300-dpi grey scan in an image-only PDF
	VariantPhoto = "photo" // messenger photo (JPEG; a PDF of photos when multi-page)
	VariantHard  = "hard"  // bad photo: small, low quality, turned
	// VariantPhotoReal is a messenger photo modelled on real ones
	// (degrade.RealPhoto): textured table, turned landscape forms,
	// shadow, glare, curl and fold.
	VariantPhotoReal = "photo_real"
	// VariantScanApp is a phone photo passed through a «scanner app»:
	// whitened, hard contrast, over-sharpened (degrade.ScanApp).
	VariantScanApp = "scanapp"
)

// Variants lists every variant in the order files are written. New ones
// go at the end: a variant's random stream is its place in this list.
var Variants = []string{VariantPDF, VariantScan, VariantPhoto, VariantHard, VariantPhotoReal, VariantScanApp}

// DefaultVariants are written when Options.Variants is nil: the four the
// committed corpus and the benchmark were made with.
var DefaultVariants = []string{VariantPDF, VariantScan, VariantPhoto, VariantHard}

// Layout sets: which visual layouts documents are drawn from.
const (
	// LayoutsClassic are the generator's first layouts (the committed
	// corpus and the benchmark).
	LayoutsClassic = "classic"
	// LayoutsReal are modelled on what 1C and real suppliers print: the
	// УПД of the 1096 edition, 1C's «Счёт на оплату» with the bank grid,
	// the «Счёт-оферта», 1C's «Акт об оказании услуг», ТОРГ-12; Arial-like
	// sans faces, handwritten dates, long tables running onto a second
	// page without a header.
	LayoutsReal = "real"
	// LayoutsAll draws from both sets.
	LayoutsAll = "all"
)

// LayoutSets lists the names Options.Layouts accepts.
var LayoutSets = []string{LayoutsClassic, LayoutsReal, LayoutsAll}

// DefaultMix is the corpus of the benchmark: 45 documents.
func DefaultMix() map[pervichka.DocType]int {
	return map[pervichka.DocType]int{
		pervichka.DocInvoice: 12, pervichka.DocVATInvoice: 8, pervichka.DocUPD: 8,
		pervichka.DocAct: 12, pervichka.DocContract: 5,
	}
}

// renderDPI is the resolution pages are rasterised at for the scan and
// photo variants; degrade expects 300-dpi input.
const renderDPI = 300

// Options configure Generate.
type Options struct {
	Seed int64
	Out  string // directory; created if missing
	// Mix is how many documents of each type; nil means DefaultMix.
	Mix map[pervichka.DocType]int
	// Variants to write; nil means all of Variants.
	Variants []string
	// ScanQuality is the JPEG quality inside scan PDFs; 0 means 75. Lower
	// it to make a committed corpus smaller.
	ScanQuality int
	// ScanEvery writes the scan variant only for every n-th document
	// (1 or 0: all), another way to bound the size of a committed corpus.
	ScanEvery int
	// RealEvery writes the photo_real and scanapp variants only for every
	// n-th document (1 or 0: all), like ScanEvery.
	RealEvery int
	// Layouts is one of LayoutSets; "" means LayoutsClassic.
	Layouts string
	Logger  *slog.Logger
}

// ParseMix parses «invoice:12,act:10,…». Types are the doc_type values;
// counts are whole numbers ≥ 0; a type may appear once.
func ParseMix(s string) (map[pervichka.DocType]int, error) {
	if strings.TrimSpace(s) == "" {
		return nil, fmt.Errorf("parse mix: empty")
	}
	known := map[pervichka.DocType]bool{}
	for _, t := range pervichka.DocTypes {
		known[t] = true
	}
	mix := map[pervichka.DocType]int{}
	for _, part := range strings.Split(s, ",") {
		name, count, ok := strings.Cut(strings.TrimSpace(part), ":")
		if !ok {
			return nil, fmt.Errorf("parse mix: %q is not TYPE:COUNT", part)
		}
		t := pervichka.DocType(strings.TrimSpace(name))
		if !known[t] {
			return nil, fmt.Errorf("parse mix: unknown document type %q (want one of %v)", name, pervichka.DocTypes)
		}
		if _, dup := mix[t]; dup {
			return nil, fmt.Errorf("parse mix: %s given twice", t)
		}
		n, err := strconv.Atoi(strings.TrimSpace(count))
		if err != nil || n < 0 || n > 100000 {
			return nil, fmt.Errorf("parse mix: count %q for %s is not a whole number from 0 to 100000", count, t)
		}
		mix[t] = n
	}
	return mix, nil
}

// ParseVariants parses «pdf,scan,photo,hard» (any subset, in any order).
func ParseVariants(s string) ([]string, error) {
	var out []string
	seen := map[string]bool{}
	for _, v := range strings.Split(s, ",") {
		v = strings.TrimSpace(v)
		if !isVariant(v) {
			return nil, fmt.Errorf("parse variants: unknown variant %q (want some of %s)", v, strings.Join(Variants, ","))
		}
		if !seen[v] {
			seen[v] = true
			out = append(out, v)
		}
	}
	return out, nil
}

func isVariant(v string) bool {
	for _, x := range Variants {
		if x == v {
			return true
		}
	}
	return false
}

// plan lists the document types in ID order: the mix, shuffled by the seed
// so that types interleave.
func plan(seed int64, mix map[pervichka.DocType]int) []pervichka.DocType {
	var out []pervichka.DocType
	for _, t := range pervichka.DocTypes {
		for range mix[t] {
			out = append(out, t)
		}
	}
	r := streamRand(seed, -1, 0)
	r.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
	return out
}

// streamRand is the generator of one (document, stream) pair: stream 0 draws
// the data and layout, streams 1… the variants. Each is independent of the
// others, so adding a variant or a document does not change the rest.
func streamRand(seed int64, doc, stream int) *rand.Rand {
	return rand.New(rand.NewPCG(uint64(seed), splitmix(uint64(doc+1)<<8|uint64(stream))))
}

func splitmix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// built is one document laid out with its truth.
type built struct {
	data  *docData
	doc   sheet.Document
	truth Truth
}

// build draws document i of type t from the layout set.
func build(seed int64, i int, t pervichka.DocType, own []*party, set string) built {
	r := streamRand(seed, i, 0)
	id := fmt.Sprintf("%03d-%s", i+1, t)
	ls := layoutsOf(set, t)
	d := newDocData(r, id, t, own, len(ls), set != LayoutsClassic && set != "")
	doc := ls[d.Layout](r, d)
	return built{data: d, doc: doc, truth: d.truth(len(doc.Sheets))}
}

// Generate writes a corpus into opt.Out: one file per document and variant,
// truth.jsonl (in ID order) and companies.json. Documents are generated
// concurrently; the output depends only on the seed and options. The
// context is checked between documents; on cancellation or error the
// directory may hold some documents but truth.jsonl is not written.
func Generate(ctx context.Context, opt Options) error {
	if opt.Out == "" {
		return fmt.Errorf("generate corpus: no output directory")
	}
	if opt.Mix == nil {
		opt.Mix = DefaultMix()
	}
	if opt.Variants == nil {
		opt.Variants = DefaultVariants
	}
	if opt.Layouts == "" {
		opt.Layouts = LayoutsClassic
	}
	if !slices.Contains(LayoutSets, opt.Layouts) {
		return fmt.Errorf("generate corpus: unknown layout set %q (want one of %s)", opt.Layouts, strings.Join(LayoutSets, ", "))
	}
	for _, v := range opt.Variants {
		if !isVariant(v) {
			return fmt.Errorf("generate corpus: unknown variant %q", v)
		}
	}
	if opt.ScanQuality == 0 {
		opt.ScanQuality = 75
	}
	if opt.ScanQuality < 1 || opt.ScanQuality > 100 {
		return fmt.Errorf("generate corpus: scan quality %d outside 1..100", opt.ScanQuality)
	}
	log := opt.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if err := os.MkdirAll(opt.Out, 0o755); err != nil {
		return fmt.Errorf("generate corpus: %w", err)
	}
	own := ownCompanies()
	if err := writeCompanies(filepath.Join(opt.Out, CompaniesFile), own); err != nil {
		return err
	}
	types := plan(opt.Seed, opt.Mix)
	truth := make([]Truth, len(types))

	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	jobs := make(chan int)
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), max(len(types), 1)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				if ctx.Err() != nil {
					continue
				}
				t, err := writeDocument(opt, i, types[i], own)
				if err != nil {
					cancel(err)
					continue
				}
				truth[i] = t
				log.Debug("corpus document", "id", t.ID, "type", t.DocType, "pages", t.Pages, "variants", len(t.Variants))
			}
		}()
	}
feed:
	for i := range types {
		select {
		case jobs <- i:
		case <-ctx.Done():
			break feed
		}
	}
	close(jobs)
	wg.Wait()
	if err := context.Cause(ctx); err != nil {
		return fmt.Errorf("generate corpus: %w", err)
	}
	var buf bytes.Buffer
	if err := writeTruth(&buf, truth); err != nil {
		return err
	}
	if err := writeFileAtomic(filepath.Join(opt.Out, TruthFile), buf.Bytes()); err != nil {
		return err
	}
	log.Info("corpus generated", "dir", opt.Out, "documents", len(truth), "seed", opt.Seed)
	return nil
}

func renderImage(s sheet.Sheet) image.Image { return render.Image(s, renderDPI) }

func renderPDF(buf *bytes.Buffer, doc sheet.Document) error { return render.PDF(buf, doc) }

// writeDocument lays out document i and writes its variants.
func writeDocument(opt Options, i int, t pervichka.DocType, own []*party) (Truth, error) {
	b := build(opt.Seed, i, t, own, opt.Layouts)
	tr := b.truth
	var pages []image.Image
	raster := func() []image.Image {
		if pages == nil {
			for _, s := range b.doc.Sheets {
				pages = append(pages, renderImage(s))
			}
		}
		return pages
	}
	multi := len(b.doc.Sheets) > 1
	for vi, v := range Variants {
		if !contains(opt.Variants, v) {
			continue
		}
		if v == VariantScan && opt.ScanEvery > 1 && i%opt.ScanEvery != 0 {
			continue
		}
		if (v == VariantPhotoReal || v == VariantScanApp) && opt.RealEvery > 1 && i%opt.RealEvery != 0 {
			continue
		}
		r := streamRand(opt.Seed, i, vi+1)
		var buf bytes.Buffer
		name := tr.ID + "-" + v + ".pdf"
		switch v {
		case VariantPDF:
			name = tr.ID + ".pdf"
			if err := renderPDF(&buf, b.doc); err != nil {
				return tr, fmt.Errorf("%s: %w", name, err)
			}
		case VariantScan:
			src := raster()
			scans := make([]image.Image, len(src))
			for k, p := range src {
				scans[k] = degrade.Scan(r, p)
			}
			if err := degrade.ImagesPDF(&buf, scans, renderDPI, opt.ScanQuality); err != nil {
				return tr, fmt.Errorf("%s: %w", name, err)
			}
		case VariantPhoto, VariantHard, VariantPhotoReal, VariantScanApp:
			shoot := map[string]func(*rand.Rand, image.Image) ([]byte, int, error){
				VariantPhoto: degrade.Photo, VariantHard: degrade.HardPhoto,
				VariantPhotoReal: degrade.RealPhoto, VariantScanApp: degrade.ScanApp,
			}[v]
			var jpegs [][]byte
			turns := make([]int, 0, len(raster()))
			for k, p := range raster() {
				j, turned, err := shoot(r, p)
				if err != nil {
					return tr, fmt.Errorf("%s %s page %d: %w", tr.ID, v, k+1, err)
				}
				jpegs = append(jpegs, j)
				turns = append(turns, turned)
			}
			// Upright pages too: an upright page the reader turns is as
			// wrong as a turned one it leaves.
			if tr.Turns == nil {
				tr.Turns = map[string][]int{}
			}
			tr.Turns[v] = turns
			if !multi {
				name = tr.ID + "-" + v + ".jpg"
				buf.Write(jpegs[0])
			} else if err := degrade.JPEGsPDF(&buf, jpegs, photoDPI(jpegs[0])); err != nil {
				return tr, fmt.Errorf("%s: %w", name, err)
			}
		}
		if err := os.WriteFile(filepath.Join(opt.Out, name), buf.Bytes(), 0o644); err != nil {
			return tr, fmt.Errorf("write %s: %w", name, err)
		}
		tr.Variants[v] = name
	}
	return tr, nil
}

// photoDPI is the resolution that makes a photo's long side span the long
// side of A4, so that pages of a photo PDF have a paper-like size.
func photoDPI(j []byte) float64 {
	cfg, err := jpeg.DecodeConfig(bytes.NewReader(j))
	if err != nil {
		return 150
	}
	return float64(max(cfg.Width, cfg.Height)) / (sheet.A4Long / 25.4)
}

func contains(xs []string, x string) bool {
	for _, v := range xs {
		if v == x {
			return true
		}
	}
	return false
}

func writeCompanies(path string, own []*party) error {
	var out struct {
		Companies []companyJSON `json:"companies"`
	}
	for _, p := range own {
		out.Companies = append(out.Companies, companyJSON{Name: p.ShortName('"'), INN: p.INN, KPP: p.KPP})
	}
	b, err := json.MarshalIndent(out, "", "  ")
	if err != nil {
		return fmt.Errorf("encode companies: %w", err)
	}
	return writeFileAtomic(path, append(b, '\n'))
}

// writeFileAtomic writes through a temporary file and a rename, so that a
// reader never sees half a truth file.
func writeFileAtomic(path string, b []byte) error {
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, b, 0o644); err != nil {
		return fmt.Errorf("write %s: %w", filepath.Base(path), err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("write %s: %w", filepath.Base(path), err)
	}
	return nil
}

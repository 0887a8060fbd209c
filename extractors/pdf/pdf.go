// Package pdf turns a PDF into pages: words with boxes where the page has a
// usable text layer, a page image where it has not. It is the only package
// that touches PDF software.
//
// Poppler's command-line tools (pdfinfo, pdftotext, pdfimages, pdftoppm from
// Debian's poppler-utils) do the work as child processes: a hostile PDF can
// crash or stall a child but not this process. Each child runs under prlimit
// (address space, CPU time, file size) in its own process group, which is
// killed on cancellation or timeout. Calls are batched per document, not per
// page: one pdfinfo, one pdftotext for all pages, one pdfimages -list, and one
// extraction or rendering call per run of consecutive pages. The reasons
// for poppler over pdfium-in-WebAssembly and pdfcpu are in
// docs/pdf-renderer.md.
package pdf

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/pervichka/pervichka"
	"github.com/pervichka/pervichka/extractors/imagefile"
	"github.com/pervichka/pervichka/extractors/pixelbudget"
)

// TextDPI is the resolution word boxes are expressed in: points × 300/72, as
// if the page had been scanned at 300 dpi, so that text-layer pages and OCR
// pages share one unit.
const TextDPI = 300

// Page is one page of a PDF. Exactly one of Text and Image is set.
type Page struct {
	Index int // 0-based
	// Text holds the words of the page's text layer (Source pdf_text) with
	// boxes in pixels at TextDPI; nil when the page has no usable text layer.
	Text *pervichka.Page
	// Image is the page as a picture when it has no usable text: the embedded
	// scan at its native resolution when the page is exactly one full-page
	// picture, else the page rendered in grey at 300 dpi (lower if 300 dpi
	// would exceed Limits.MaxPixels).
	Image image.Image
	// DPI is the resolution of Image: its pixels over the page's size in
	// points; 0 when Image is nil.
	DPI float64
	// JPEG holds the embedded scan's JPEG stream exactly as the PDF carries
	// it, when Image is that stream decoded (imagefile.DecodeAsStored gives
	// Image back): a caller that stores the page between stages can keep
	// these bytes instead of encoding the pixels again. Nil otherwise.
	JPEG []byte
}

// Output caps of the children: the text of 200 dense pages is a few MB.
const (
	infoOutLimit = 1 << 20
	textOutLimit = 64 << 20
	listOutLimit = 8 << 20
	// eofWindow is how near the end "%%EOF" must be; a file cut short in
	// transfer has none there, and poppler would quietly show fewer pages.
	eofWindow = 8 << 10
)

// Pages reads a PDF and returns all its pages at once. It is Each
// collecting what Each hands over, without a pixel budget: a 200-page scan
// holds 200 page images, so the service uses Each.
func Pages(ctx context.Context, b []byte, lim pervichka.Limits) ([]Page, error) {
	var pages []Page
	err := Each(ctx, b, lim, nil, func(p Page) error {
		pages = append(pages, p)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return pages, nil
}

// Each reads a PDF and hands its pages to fn one at a time, in page order;
// a page's image is not referenced by this package once fn returns, so a
// caller that stores each page and drops it holds one page image at a time
// whatever the page count. Limits are checked before any rendering: the
// byte size, then the page count from pdfinfo (CodeTooManyPages). A page
// too big for imagefile.OCRPixels at 300 dpi is rendered at a lower
// resolution instead of being refused, and so is a full-page picture over
// imagefile.OCRPixels (poppler scales it down in the child). A PDF that
// needs a password to open is CodeEncrypted (one with only an owner
// password, restricting copying or printing, is read); one that is not a
// PDF, is truncated, or makes poppler fail or time out is CodeCorrupt. Zero
// fields of lim mean the DefaultLimits value.
//
// Each page image's decoded bytes are acquired from budget (nil: none)
// before it is read into memory and released when fn returns, so fn must
// not acquire from the same budget (two pages waiting on each other could
// deadlock). Rendering itself happens in child processes, at most
// renderWindow pages per call, so their files on disk are bounded too. An
// error from fn stops reading and is returned as is.
func Each(ctx context.Context, b []byte, lim pervichka.Limits, budget *pixelbudget.Budget, fn func(Page) error) error {
	lim = withDefaults(lim)
	switch {
	case len(b) == 0:
		return pervichka.Errorf(pervichka.CodeEmpty, "zero bytes")
	case int64(len(b)) > lim.MaxBytes:
		return pervichka.Errorf(pervichka.CodeTooLarge, "%d bytes, limit %d", len(b), lim.MaxBytes)
	case !bytes.Contains(b[:min(len(b), 1024)], []byte("%PDF-")):
		return pervichka.Errorf(pervichka.CodeCorrupt, "no %%PDF- header")
	case !bytes.Contains(b[max(0, len(b)-eofWindow):], []byte("%%EOF")):
		return pervichka.Errorf(pervichka.CodeCorrupt, "no %%%%EOF at the end: truncated")
	}
	if err := ctx.Err(); err != nil {
		return pervichka.WrapError(pervichka.CodeCanceled, err, "read pdf")
	}
	dir, err := os.MkdirTemp("", "pervichka-pdf-*")
	if err != nil {
		return pervichka.WrapError(pervichka.CodeIO, err, "temp dir")
	}
	defer os.RemoveAll(dir)
	file := filepath.Join(dir, "in.pdf")
	if err := os.WriteFile(file, b, 0o600); err != nil {
		return pervichka.WrapError(pervichka.CodeIO, err, "write temp pdf")
	}
	d := &document{file: file, dir: dir, lim: lim, budget: budget, fn: fn}
	return d.pages(ctx)
}

// renderWindow is the most pages one extraction or rendering call covers:
// their files wait on disk until read one by one. Eight A4 pages at 300 dpi
// are 70 MB of PGM; a child process per window costs a few milliseconds
// against ~50 ms of rendering a page.
const renderWindow = 8

type document struct {
	file, dir string
	lim       pervichka.Limits
	info      docInfo
	budget    *pixelbudget.Budget
	fn        func(Page) error
}

// pageKind is how one page is read.
type pageKind int

const (
	kindText   pageKind = iota // the text layer
	kindNative                 // the one full-page picture, extracted
	kindRender                 // rendered by pdftoppm
)

func (d *document) pages(ctx context.Context) error {
	if err := d.inspect(ctx); err != nil {
		return err
	}
	n := d.info.pages
	text, err := d.textLayer(ctx)
	if err != nil {
		return err
	}

	// Decide per page: strong text is text; weak text is text unless the
	// page is one full-page picture (a scan with a stamp); no text is a
	// picture. The image list is needed only when some page is not strong.
	strong := make([]bool, n+1)
	weak := make([]bool, n+1)
	allStrong := true
	for p := 1; p <= n; p++ {
		if p-1 < len(text) {
			runes, clean := textQuality(text[p-1].words)
			strong[p] = clean && runes >= scanTextRunes
			weak[p] = clean && runes >= minTextRunes && !strong[p]
		}
		allStrong = allStrong && strong[p]
	}
	var fullPage map[int]listedImage
	if !allStrong {
		out, err := run(ctx, childTimeout(n), listOutLimit, "pdfimages", "-list", "-f", "1", "-l", strconv.Itoa(n), d.file)
		if err != nil && pervichka.AsError(err).Code == pervichka.CodeCanceled {
			return err
		}
		// Without the list every picture page is rendered: slower, still right.
		fullPage = fullPageImages(parseImageList(out), d.info.sizes, d.lim)
	}

	kinds := make([]pageKind, n+1)
	for p := 1; p <= n; p++ {
		_, scan := fullPage[p]
		switch {
		case strong[p] || (weak[p] && !scan):
			kinds[p] = kindText
		case scan:
			kinds[p] = kindNative
		default:
			kinds[p] = kindRender
		}
	}
	// Pages go to fn in order, in windows of consecutive pages read the
	// same way (rendered ones also at the same resolution).
	key := func(p int) float64 {
		if kinds[p] == kindRender {
			return d.dpi(p)
		}
		return -float64(kinds[p])
	}
	all := make([]int, n)
	for i := range all {
		all[i] = i + 1
	}
	for _, win := range windows(runs(all, key), renderWindow) {
		if err := ctx.Err(); err != nil {
			return pervichka.WrapError(pervichka.CodeCanceled, err, "read pdf pages")
		}
		switch kinds[win[0]] {
		case kindText:
			for _, p := range win {
				tp := text[p-1]
				if r := d.info.sizes[p].rot; r == 90 || r == 270 {
					// pdftotext gives word boxes in the turned page's frame but
					// the page size unturned.
					tp.w, tp.h = tp.h, tp.w
				}
				if err := d.fn(Page{Index: p - 1, Text: toPixels(tp, p-1, TextDPI)}); err != nil {
					return err
				}
			}
		case kindNative:
			if err := d.nativeImages(ctx, win, fullPage); err != nil {
				return err
			}
		default:
			if err := d.renderImages(ctx, win); err != nil {
				return err
			}
		}
	}
	return nil
}

// windows cuts runs into pieces of at most size pages.
func windows(runs [][]int, size int) [][]int {
	var out [][]int
	for _, r := range runs {
		for len(r) > size {
			out = append(out, r[:size])
			r = r[size:]
		}
		out = append(out, r)
	}
	return out
}

// inspect runs pdfinfo: encryption, page count, page sizes.
func (d *document) inspect(ctx context.Context) error {
	out, err := run(ctx, childTimeout(1), infoOutLimit, "pdfinfo", "-f", "1", "-l", strconv.Itoa(d.lim.MaxPages), d.file)
	if err != nil {
		var child *childError
		if errors.As(err, &child) {
			if strings.Contains(child.stderr, "Incorrect password") {
				return pervichka.WrapError(pervichka.CodeEncrypted, err, "pdf needs a password")
			}
			return pervichka.WrapError(pervichka.CodeCorrupt, err, "pdfinfo")
		}
		return err
	}
	d.info = parseInfo(out)
	switch {
	case d.info.pages < 0:
		return pervichka.Errorf(pervichka.CodeCorrupt, "pdfinfo gave no page count")
	case d.info.pages == 0:
		return pervichka.Errorf(pervichka.CodeEmpty, "pdf has no pages")
	case d.info.pages > d.lim.MaxPages:
		return pervichka.Errorf(pervichka.CodeTooManyPages, "%d pages, limit %d", d.info.pages, d.lim.MaxPages)
	}
	return nil
}

// textLayer runs pdftotext once for the whole document. A failure other
// than cancellation leaves the document without a text layer: its pages are
// then rendered, and rendering reports a truly broken file.
func (d *document) textLayer(ctx context.Context) ([]textPage, error) {
	out, err := run(ctx, childTimeout(d.info.pages), textOutLimit, "pdftotext", "-bbox-layout", "-enc", "UTF-8",
		"-f", "1", "-l", strconv.Itoa(d.info.pages), d.file, "-")
	if err != nil {
		if pervichka.AsError(err).Code == pervichka.CodeCanceled {
			return nil, err
		}
		return nil, nil
	}
	text, err := parseBBoxLayout(out)
	if err != nil {
		return nil, nil
	}
	return text, nil
}

// nativeImages hands on the pages of one window that are one full-page
// picture with that picture, extracted in one call. The picture must look
// like the page rendered small: pdfimages does not tell how a picture is
// placed (turned, mirrored), nor whether a /Decode array inverts it or a
// drawing covers it, and the thumbnail comparison catches all of these. A
// page whose picture cannot be extracted, decoded or matched is rendered
// instead, in its turn.
func (d *document) nativeImages(ctx context.Context, win []int, fullPage map[int]listedImage) error {
	first, last := win[0], win[len(win)-1]
	files, err := extractImages(ctx, d.file, d.dir, first, last)
	var thumbs map[int]string
	if err == nil {
		thumbs, err = renderPages(ctx, d.file, d.dir, first, last, thumbDPI)
	}
	if err != nil {
		if pervichka.AsError(err).Code == pervichka.CodeCanceled {
			return err
		}
		for _, p := range win {
			if err := d.renderImages(ctx, []int{p}); err != nil {
				return err
			}
		}
		return nil
	}
	for _, p := range win {
		if err := ctx.Err(); err != nil {
			return pervichka.WrapError(pervichka.CodeCanceled, err, "read page images")
		}
		im := fullPage[p]
		release, err := d.budget.Acquire(ctx, imagefile.DecodedBytes(im.w, im.h, im.comp))
		if err != nil {
			return err
		}
		img, encoded, err := readNative(ctx, files[p], d.lim)
		if err == nil {
			err = looksLikePage(img, thumbs[p], d.lim)
		}
		if err != nil {
			release()
			if pervichka.AsError(err).Code == pervichka.CodeCanceled {
				return err
			}
			if err := d.renderImages(ctx, []int{p}); err != nil {
				return err
			}
			continue
		}
		page := Page{Index: p - 1, Image: img, DPI: float64(img.Bounds().Dx()) * 72 / d.info.sizes[p].w}
		if strings.HasSuffix(files[p], ".jpg") {
			page.JPEG = encoded
		}
		err = d.fn(page)
		release()
		if err != nil {
			return err
		}
	}
	return nil
}

// errLooksDifferent marks an extracted picture that is not what its page
// shows.
var errLooksDifferent = errors.New("extracted picture differs from the page")

func looksLikePage(img image.Image, thumbFile string, lim pervichka.Limits) error {
	if thumbFile == "" {
		return errors.New("no thumbnail rendered")
	}
	thumb, _, err := readImageFile(context.Background(), thumbFile, lim)
	if err != nil {
		return err
	}
	g, ok := thumb.(*image.Gray)
	if !ok {
		return errors.New("thumbnail is not grey")
	}
	if diff := lookDiff(img, g); diff > maxLookDiff {
		return fmt.Errorf("%w: mean grey difference %.1f", errLooksDifferent, diff)
	}
	return nil
}

func readNative(ctx context.Context, file string, lim pervichka.Limits) (image.Image, []byte, error) {
	if file == "" {
		return nil, nil, errors.New("pdfimages wrote no file")
	}
	return readImageFile(ctx, file, lim)
}

// dpi is the resolution page p is rendered at.
func (d *document) dpi(p int) float64 {
	return renderDPI(d.info.sizes[p], min(d.lim.MaxPixels, imagefile.OCRPixels))
}

// renderImages renders one window of consecutive pages that share a
// resolution with one pdftoppm call and hands them on one by one, each
// read into memory only once its bytes are acquired from the budget.
func (d *document) renderImages(ctx context.Context, win []int) error {
	first, last := win[0], win[len(win)-1]
	dpi := d.dpi(first)
	files, err := renderPages(ctx, d.file, d.dir, first, last, dpi)
	if err != nil {
		var child *childError
		if errors.As(err, &child) {
			return pervichka.WrapError(pervichka.CodeCorrupt, err, fmt.Sprintf("render pages %d–%d", first, last))
		}
		return err
	}
	for _, p := range win {
		if err := ctx.Err(); err != nil {
			return pervichka.WrapError(pervichka.CodeCanceled, err, "read rendered pages")
		}
		f, ok := files[p]
		if !ok {
			return pervichka.Errorf(pervichka.CodeCorrupt, "page %d was not rendered", p)
		}
		// A grey PGM's bytes are its pixels: they become the image as read.
		var size int64
		if st, err := os.Stat(f); err == nil {
			size = st.Size()
		}
		release, err := d.budget.Acquire(ctx, size)
		if err != nil {
			return err
		}
		img, _, err := readImageFile(ctx, f, d.lim)
		if err != nil {
			release()
			return fmt.Errorf("page %d: %w", p, err)
		}
		page := Page{Index: p - 1, Image: img, DPI: dpi}
		if w, _ := d.info.sizes[p].shown(); w > 0 {
			page.DPI = float64(img.Bounds().Dx()) * 72 / w
		}
		err = d.fn(page)
		release()
		if err != nil {
			return err
		}
	}
	return nil
}

// withDefaults fills zero limits from DefaultLimits.
func withDefaults(lim pervichka.Limits) pervichka.Limits {
	def := pervichka.DefaultLimits()
	if lim.MaxBytes <= 0 {
		lim.MaxBytes = def.MaxBytes
	}
	if lim.MaxPixels <= 0 {
		lim.MaxPixels = def.MaxPixels
	}
	if lim.MaxPages <= 0 {
		lim.MaxPages = def.MaxPages
	}
	return lim
}

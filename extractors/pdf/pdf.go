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
	"slices"
	"strconv"
	"strings"

	"github.com/pervichka/pervichka"
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

// Pages reads a PDF. Limits are checked before any rendering: the byte size,
// then the page count from pdfinfo (CodeTooManyPages). A page too big for
// MaxPixels at 300 dpi is rendered at a lower resolution instead of being
// refused. A PDF that needs a password to open is CodeEncrypted (one with
// only an owner password, restricting copying or printing, is read); one
// that is not a PDF, is truncated, or makes poppler fail or time out is
// CodeCorrupt. Zero fields of lim mean the DefaultLimits value.
//
// All pages are returned at once: a 200-page scan rendered at 300 dpi holds
// about 1.7 GB of grey pixels, so callers that expect long scans should lower
// MaxPages.
func Pages(ctx context.Context, b []byte, lim pervichka.Limits) ([]Page, error) {
	lim = withDefaults(lim)
	switch {
	case len(b) == 0:
		return nil, pervichka.Errorf(pervichka.CodeEmpty, "zero bytes")
	case int64(len(b)) > lim.MaxBytes:
		return nil, pervichka.Errorf(pervichka.CodeTooLarge, "%d bytes, limit %d", len(b), lim.MaxBytes)
	case !bytes.Contains(b[:min(len(b), 1024)], []byte("%PDF-")):
		return nil, pervichka.Errorf(pervichka.CodeCorrupt, "no %%PDF- header")
	case !bytes.Contains(b[max(0, len(b)-eofWindow):], []byte("%%EOF")):
		return nil, pervichka.Errorf(pervichka.CodeCorrupt, "no %%%%EOF at the end: truncated")
	}
	if err := ctx.Err(); err != nil {
		return nil, pervichka.WrapError(pervichka.CodeCanceled, err, "read pdf")
	}
	dir, err := os.MkdirTemp("", "pervichka-pdf-*")
	if err != nil {
		return nil, pervichka.WrapError(pervichka.CodeIO, err, "temp dir")
	}
	defer os.RemoveAll(dir)
	file := filepath.Join(dir, "in.pdf")
	if err := os.WriteFile(file, b, 0o600); err != nil {
		return nil, pervichka.WrapError(pervichka.CodeIO, err, "write temp pdf")
	}
	d := &document{file: file, dir: dir, lim: lim}
	return d.pages(ctx)
}

type document struct {
	file, dir string
	lim       pervichka.Limits
	info      docInfo
}

func (d *document) pages(ctx context.Context) ([]Page, error) {
	if err := d.inspect(ctx); err != nil {
		return nil, err
	}
	n := d.info.pages
	text, err := d.textLayer(ctx)
	if err != nil {
		return nil, err
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
			return nil, err
		}
		// Without the list every picture page is rendered: slower, still right.
		fullPage = fullPageImages(parseImageList(out), d.info.sizes, d.lim)
	}

	pages := make([]Page, n)
	var native, render []int
	for p := 1; p <= n; p++ {
		pages[p-1].Index = p - 1
		_, scan := fullPage[p]
		switch {
		case strong[p] || (weak[p] && !scan):
			tp := text[p-1]
			if r := d.info.sizes[p].rot; r == 90 || r == 270 {
				// pdftotext gives word boxes in the turned page's frame but
				// the page size unturned.
				tp.w, tp.h = tp.h, tp.w
			}
			pages[p-1].Text = toPixels(tp, p-1, TextDPI)
		case scan:
			native = append(native, p)
		default:
			render = append(render, p)
		}
	}
	failed, err := d.nativeImages(ctx, pages, native, fullPage)
	if err != nil {
		return nil, err
	}
	render = append(render, failed...)
	slices.Sort(render)
	if err := d.renderImages(ctx, pages, render); err != nil {
		return nil, err
	}
	return pages, nil
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

// nativeImages fills the pages that are one full-page picture with that
// picture, extracted once per run of consecutive pages. The picture must
// look like the page rendered small: pdfimages does not tell how a picture
// is placed (turned, mirrored), nor whether a /Decode array inverts it or a
// drawing covers it, and the thumbnail comparison catches all of these.
// Pages whose picture cannot be extracted, decoded or matched are returned
// to be rendered instead.
func (d *document) nativeImages(ctx context.Context, pages []Page, native []int, fullPage map[int]listedImage) (failed []int, err error) {
	for _, run := range runs(native, func(int) float64 { return 0 }) {
		first, last := run[0], run[len(run)-1]
		files, err := extractImages(ctx, d.file, d.dir, first, last)
		var thumbs map[int]string
		if err == nil {
			thumbs, err = renderPages(ctx, d.file, d.dir, first, last, thumbDPI)
		}
		if err != nil {
			if pervichka.AsError(err).Code == pervichka.CodeCanceled {
				return nil, err
			}
			failed = append(failed, run...)
			continue
		}
		for _, p := range run {
			if err := ctx.Err(); err != nil {
				return nil, pervichka.WrapError(pervichka.CodeCanceled, err, "read page images")
			}
			img, encoded, err := readNative(ctx, files[p], d.lim)
			if err == nil {
				err = looksLikePage(img, thumbs[p], d.lim)
			}
			if err != nil {
				if pervichka.AsError(err).Code == pervichka.CodeCanceled {
					return nil, err
				}
				failed = append(failed, p)
				continue
			}
			size := d.info.sizes[p]
			pages[p-1].Image = img
			pages[p-1].DPI = float64(img.Bounds().Dx()) * 72 / size.w
			if strings.HasSuffix(files[p], ".jpg") {
				pages[p-1].JPEG = encoded
			}
		}
	}
	return failed, nil
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

// renderImages renders the pages with pdftoppm, one call per run of
// consecutive pages that share a resolution.
func (d *document) renderImages(ctx context.Context, pages []Page, render []int) error {
	dpi := func(p int) float64 { return renderDPI(d.info.sizes[p], d.lim.MaxPixels) }
	for _, run := range runs(render, dpi) {
		files, err := renderPages(ctx, d.file, d.dir, run[0], run[len(run)-1], dpi(run[0]))
		if err != nil {
			var child *childError
			if errors.As(err, &child) {
				return pervichka.WrapError(pervichka.CodeCorrupt, err, fmt.Sprintf("render pages %d–%d", run[0], run[len(run)-1]))
			}
			return err
		}
		for _, p := range run {
			if err := ctx.Err(); err != nil {
				return pervichka.WrapError(pervichka.CodeCanceled, err, "read rendered pages")
			}
			f, ok := files[p]
			if !ok {
				return pervichka.Errorf(pervichka.CodeCorrupt, "page %d was not rendered", p)
			}
			img, _, err := readImageFile(ctx, f, d.lim)
			if err != nil {
				return fmt.Errorf("page %d: %w", p, err)
			}
			w, _ := d.info.sizes[p].shown()
			pages[p-1].Image = img
			if w > 0 {
				pages[p-1].DPI = float64(img.Bounds().Dx()) * 72 / w
			} else {
				pages[p-1].DPI = dpi(p)
			}
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

package pdf

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/pervichka/pervichka"
	"github.com/pervichka/pervichka/extractors/imagefile"
)

// listedImage is one row of `pdfimages -list`.
type listedImage struct {
	page       int
	kind       string // image, mask, smask, stencil
	w, h       int
	xppi, yppi float64
}

// parseImageList reads `pdfimages -list`: two header lines, then
// "page num type width height color comp bpc enc interp object ID x-ppi y-ppi size ratio".
func parseImageList(out []byte) []listedImage {
	var list []listedImage
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) < 14 {
			continue
		}
		page, err1 := strconv.Atoi(f[0])
		w, err2 := strconv.Atoi(f[3])
		h, err3 := strconv.Atoi(f[4])
		xppi, err4 := strconv.ParseFloat(f[12], 64)
		yppi, err5 := strconv.ParseFloat(f[13], 64)
		if err := errors.Join(err1, err2, err3, err4, err5); err != nil {
			continue // the header lines
		}
		list = append(list, listedImage{page: page, kind: f[2], w: w, h: h, xppi: xppi, yppi: yppi})
	}
	return list
}

// Tolerances for "the page is one picture": the picture's placed size may
// differ from the page by fullPageSlack (scanners trim a few millimetres) and
// its horizontal and vertical resolution by squareSlack (a fax at 204×98 dpi
// is rendered instead, to square pixels).
const (
	fullPageSlack = 0.03
	squareSlack   = 0.02
)

// fullPageImages finds the pages that are exactly one picture covering the
// page, upright (no /Rotate), with square pixels within the pixel limit: for
// those the embedded picture is the best page image there is. Anything else
// (masks, several pictures, a picture with a soft mask) is rendered.
func fullPageImages(list []listedImage, sizes map[int]pageSize, lim pervichka.Limits) map[int]listedImage {
	byPage := make(map[int][]listedImage)
	for _, im := range list {
		byPage[im.page] = append(byPage[im.page], im)
	}
	out := make(map[int]listedImage)
	for page, ims := range byPage {
		if len(ims) != 1 || ims[0].kind != "image" {
			continue
		}
		im := ims[0]
		size, ok := sizes[page]
		if !ok || size.rot != 0 || im.xppi <= 0 || im.yppi <= 0 {
			continue
		}
		if int64(im.w)*int64(im.h) > lim.MaxPixels {
			continue
		}
		placedW, placedH := float64(im.w)/im.xppi*72, float64(im.h)/im.yppi*72
		if !near(placedW, size.w, fullPageSlack) || !near(placedH, size.h, fullPageSlack) ||
			!near(im.xppi, im.yppi, squareSlack) {
			continue
		}
		out[page] = im
	}
	return out
}

func near(a, b, slack float64) bool {
	return math.Abs(a-b) <= slack*math.Max(math.Abs(a), math.Abs(b))
}

// runs groups sorted page numbers into runs of consecutive pages with equal
// keys, so that one child call covers each run.
func runs(pages []int, key func(int) float64) [][]int {
	var out [][]int
	for _, p := range pages {
		if n := len(out); n > 0 {
			last := out[n-1]
			if last[len(last)-1] == p-1 && key(p) == key(last[0]) {
				out[n-1] = append(last, p)
				continue
			}
		}
		out = append(out, []int{p})
	}
	return out
}

// extractImages writes the embedded pictures of pages first..last into dir
// with `pdfimages -j -png -p` (JPEG streams as they are; JBIG2, CCITT, JPX
// and the rest decoded by poppler into PNG) and returns each page's file.
func extractImages(ctx context.Context, file, dir string, first, last int) (map[int]string, error) {
	prefix := filepath.Join(dir, fmt.Sprintf("img%d", first))
	if _, err := run(ctx, childTimeout(last-first+1), 1<<16, "pdfimages", "-j", "-png", "-p",
		"-f", strconv.Itoa(first), "-l", strconv.Itoa(last), file, prefix); err != nil {
		return nil, err
	}
	files, err := filepath.Glob(prefix + "-*")
	if err != nil {
		return nil, fmt.Errorf("list extracted images: %w", err)
	}
	out := make(map[int]string)
	for _, f := range files {
		// prefix-PPP-NNN.ext
		parts := strings.Split(strings.TrimPrefix(filepath.Base(f), filepath.Base(prefix)+"-"), "-")
		if len(parts) != 2 {
			continue
		}
		if page, err := strconv.Atoi(parts[0]); err == nil {
			out[page] = f
		}
	}
	return out, nil
}

// renderPages renders pages first..last at dpi in grey with `pdftoppm` into
// dir and returns each page's PGM file.
func renderPages(ctx context.Context, file, dir string, first, last int, dpi float64) (map[int]string, error) {
	prefix := filepath.Join(dir, fmt.Sprintf("page%d", first))
	if _, err := run(ctx, childTimeout(last-first+1), 1<<16, "pdftoppm", "-gray", "-cropbox",
		"-r", strconv.FormatFloat(dpi, 'f', 2, 64),
		"-f", strconv.Itoa(first), "-l", strconv.Itoa(last), file, prefix); err != nil {
		return nil, err
	}
	files, err := filepath.Glob(prefix + "-*.pgm")
	if err != nil {
		return nil, fmt.Errorf("list rendered pages: %w", err)
	}
	out := make(map[int]string)
	for _, f := range files {
		num := strings.TrimSuffix(strings.TrimPrefix(filepath.Base(f), filepath.Base(prefix)+"-"), ".pgm")
		if page, err := strconv.Atoi(num); err == nil {
			out[page] = f
		}
	}
	return out, nil
}

// renderDPI is the resolution a page is rendered at: 300 dpi, or less when
// 300 dpi would exceed the pixel limit (a poster-sized page is rendered
// smaller instead of refused).
func renderDPI(s pageSize, maxPixels int64) float64 {
	w, h := s.shown()
	sqIn := (w / 72) * (h / 72)
	dpi := float64(renderDPIMax)
	if sqIn > 0 && dpi*dpi*sqIn > float64(maxPixels) {
		dpi = math.Floor(math.Sqrt(float64(maxPixels)/sqIn)*0.98*100) / 100
	}
	return max(dpi, 1)
}

const renderDPIMax = 300

// readImageFile decodes one extracted or rendered page file, checking the
// pixel limit from the header first; the file is removed once read.
func readImageFile(ctx context.Context, path string, lim pervichka.Limits) (image.Image, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, pervichka.WrapError(pervichka.CodeIO, err, "read page image")
	}
	os.Remove(path)
	if strings.HasSuffix(path, ".pgm") {
		return decodePGM(b, lim.MaxPixels)
	}
	// The picture's placement on the page decides which way is up, not any
	// EXIF tag inside an embedded JPEG.
	return imagefile.DecodeAsStored(ctx, b, pervichka.Limits{MaxBytes: int64(len(b)) + 1, MaxPixels: lim.MaxPixels, MaxPages: 1})
}

// decodePGM decodes a binary 8-bit PGM (P5) as pdftoppm -gray writes it,
// sharing the file's bytes as the image's pixels.
func decodePGM(b []byte, maxPixels int64) (*image.Gray, error) {
	var fields [4]string
	i := 0
	for n := 0; n < 4; n++ {
		for i < len(b) && (isSpace(b[i]) || b[i] == '#') {
			if b[i] == '#' {
				for i < len(b) && b[i] != '\n' {
					i++
				}
				continue
			}
			i++
		}
		start := i
		for i < len(b) && !isSpace(b[i]) && i-start < 16 {
			i++
		}
		fields[n] = string(b[start:i])
	}
	i++ // the single whitespace before the raster
	if fields[0] != "P5" {
		return nil, pervichka.Errorf(pervichka.CodeCorrupt, "rendered page: not a P5 PGM")
	}
	w, err1 := strconv.Atoi(fields[1])
	h, err2 := strconv.Atoi(fields[2])
	maxval, err3 := strconv.Atoi(fields[3])
	if errors.Join(err1, err2, err3) != nil || w <= 0 || h <= 0 || maxval != 255 {
		return nil, pervichka.Errorf(pervichka.CodeCorrupt, "rendered page: PGM header %q", fields)
	}
	if int64(w)*int64(h) > maxPixels {
		return nil, pervichka.Errorf(pervichka.CodeTooManyPixels, "rendered page %d×%d", w, h)
	}
	if i > len(b) || len(b)-i < w*h {
		return nil, pervichka.Errorf(pervichka.CodeCorrupt, "rendered page: PGM raster short")
	}
	return &image.Gray{Pix: b[i : i+w*h], Stride: w, Rect: image.Rect(0, 0, w, h)}, nil
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

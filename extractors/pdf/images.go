package pdf

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/color"
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
	comp       int // colour components
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
		comp, err6 := strconv.Atoi(f[6])
		xppi, err4 := strconv.ParseFloat(f[12], 64)
		yppi, err5 := strconv.ParseFloat(f[13], 64)
		if err := errors.Join(err1, err2, err3, err4, err5, err6); err != nil {
			continue // the header lines
		}
		list = append(list, listedImage{page: page, kind: f[2], w: w, h: h, comp: comp, xppi: xppi, yppi: yppi})
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
// page, upright (no /Rotate), with square pixels within the pixel limit and
// imagefile.OCRPixels: for those the embedded picture is the best page image
// there is. Anything else (masks, several pictures, a picture with a soft
// mask, a picture far beyond what OCR needs) is rendered, the last at a
// resolution that fits imagefile.OCRPixels.
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
		if px := int64(im.w) * int64(im.h); px > lim.MaxPixels || px > imagefile.OCRPixels {
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
	// The resolution is in the name: thumbnails and full renders of the
	// same pages share the directory.
	prefix := filepath.Join(dir, fmt.Sprintf("r%.0fp%d", dpi*100, first))
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
// pixel limit from the header first; the file is removed once read. It
// also returns the file's bytes, which decode to the image again with
// imagefile.DecodeAsStored (not for .pgm: nil).
func readImageFile(ctx context.Context, path string, lim pervichka.Limits) (image.Image, []byte, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, pervichka.WrapError(pervichka.CodeIO, err, "read page image")
	}
	os.Remove(path)
	if strings.HasSuffix(path, ".pgm") {
		img, err := decodePGM(b, lim.MaxPixels)
		return img, nil, err
	}
	// The picture's placement on the page decides which way is up, not any
	// EXIF tag inside an embedded JPEG.
	img, err := imagefile.DecodeAsStored(ctx, b, pervichka.Limits{MaxBytes: int64(len(b)) + 1, MaxPixels: lim.MaxPixels, MaxPages: 1})
	if err != nil {
		return nil, nil, err
	}
	return img, b, nil
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

// thumbDPI is the resolution of the check that an extracted picture is what
// the page shows: A4 is 99×140 pixels, a few milliseconds to render.
const thumbDPI = 12

// maxLookDiff is the mean grey difference (0–255) between a picture shrunk
// to thumbnail size and the page rendered at thumbDPI above which the
// picture is not what the page shows. Measured on test scans: the same
// picture differs by under 1 (2 with a text layer drawn visibly over it), one
// placed upside down by ~80, one under a 100×50 mm filled box by ~15. Small
// drawings over a scan (a stamp, a signature) stay under the threshold and
// are lost with the native picture; they carry no requisites.
const maxLookDiff = 8

// lookDiff is the mean absolute grey difference between img shrunk to the
// size of thumb and thumb. Grey and YCbCr pictures (what scans decode to) are
// shrunk by full box averages, like poppler's own downscaling; other types by
// averages of up to 4×4 samples per cell.
func lookDiff(img image.Image, thumb *image.Gray) float64 {
	b := img.Bounds()
	tw, th := thumb.Rect.Dx(), thumb.Rect.Dy()
	if tw == 0 || th == 0 || b.Dx() == 0 || b.Dy() == 0 {
		return math.Inf(1)
	}
	plane, stride, ok := greyPlane(img)
	var total float64
	for ty := 0; ty < th; ty++ {
		y0, y1 := ty*b.Dy()/th, (ty+1)*b.Dy()/th
		for tx := 0; tx < tw; tx++ {
			x0, x1 := tx*b.Dx()/tw, (tx+1)*b.Dx()/tw
			var sum, n int
			if ok {
				for y := y0; y < y1; y++ {
					for _, v := range plane[y*stride+x0 : y*stride+x1] {
						sum += int(v)
					}
				}
				n = (y1 - y0) * (x1 - x0)
			} else {
				for _, y := range samples(y0, y1) {
					for _, x := range samples(x0, x1) {
						sum += int(color.GrayModel.Convert(img.At(b.Min.X+x, b.Min.Y+y)).(color.Gray).Y)
						n++
					}
				}
			}
			if n == 0 {
				continue
			}
			total += math.Abs(float64(sum)/float64(n) - float64(thumb.Pix[ty*thumb.Stride+tx]))
		}
	}
	return total / float64(tw*th)
}

// samples picks up to four evenly spread coordinates in [lo, hi).
func samples(lo, hi int) []int {
	n := hi - lo
	if n <= 0 {
		return nil
	}
	k := min(n, 4)
	out := make([]int, k)
	for i := range out {
		out[i] = lo + (2*i+1)*n/(2*k)
	}
	return out
}

// greyPlane returns the grey (luma) plane of the types scans decode to,
// starting at the image's Min.
func greyPlane(img image.Image) (plane []uint8, stride int, ok bool) {
	b := img.Bounds()
	switch m := img.(type) {
	case *image.Gray:
		return m.Pix[m.PixOffset(b.Min.X, b.Min.Y):], m.Stride, true
	case *image.YCbCr:
		return m.Y[m.YOffset(b.Min.X, b.Min.Y):], m.YStride, true
	}
	return nil, 0, false
}

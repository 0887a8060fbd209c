package imagefile

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/jpeg"
	"image/png"
	"math"
	"slices"

	"golang.org/x/image/tiff"
	"golang.org/x/image/webp"

	"github.com/pervichka/pervichka"
)

// OCRPixels is the most pixels a page needs for OCR; a decoded page with more
// is scaled down to it on the way in, and package pdf renders pages to fit
// it. 24 MP holds A3 at 300 dpi (17.4 MP) and A4 at 475 dpi; imageprep's
// rescale brings text to a capital height of ~24 px anyway, which an A4 page
// reaches at about 300 dpi, so a larger page is reduced later at the latest
// and only costs memory until then. (A 60 MP picture decoded as RGBA is
// 240 MB, enhanced several times that: issue 15.) Lower for phone photos
// where the sheet fills a small part of the picture would cost text; none
// of the corpus or real-dev pictures is over 9 MP, so none is affected.
const OCRPixels = 24_000_000

// DecodedBytes is what a w×h picture of comp colour components costs once
// decoded by Go's decoders: 1 byte a pixel for grey, 4 for anything in
// colour (RGBA; a JPEG's YCbCr is at most 3, a CMYK JPEG 4).
func DecodedBytes(w, h, comp int) int64 {
	bpp := int64(4)
	if comp == 1 {
		bpp = 1
	}
	return int64(w) * int64(h) * bpp
}

// bytesPerPixel is what Go's decoders allocate per pixel for a colour model
// read from a header.
func bytesPerPixel(m color.Model) int64 {
	switch m {
	case color.GrayModel, color.AlphaModel:
		return 1
	case color.Gray16Model, color.Alpha16Model:
		return 2
	case color.YCbCrModel:
		return 3 // 4:4:4; subsampled JPEGs take less
	case color.RGBA64Model, color.NRGBA64Model:
		return 8
	}
	if _, ok := m.(color.Palette); ok {
		return 1
	}
	return 4
}

// Cost is what decoding an image file costs at most, read from its headers
// only: the decoded bytes of its largest page, and the pixels of its
// largest page as handed on (after reduction to OCRPixels). The limits are
// checked as in Count.
type Cost struct {
	DecodedBytes int64
	Pixels       int64
}

// Measure reads the headers of an image file and returns its Cost, for a
// caller that acquires a pixel budget before decoding.
func Measure(b []byte, lim pervichka.Limits) (Cost, error) {
	var c Cost
	err := eachHeader(b, lim, func(cfg image.Config) {
		c.DecodedBytes = max(c.DecodedBytes, int64(cfg.Width)*int64(cfg.Height)*bytesPerPixel(cfg.ColorModel))
		w, h := reducedSize(cfg.Width, cfg.Height)
		c.Pixels = max(c.Pixels, int64(w)*int64(h))
	})
	return c, err
}

// eachHeader checks the limits on every page header of an image file and
// hands each header to fn; it returns the number of pages.
func eachHeader(b []byte, lim pervichka.Limits, fn func(image.Config)) error {
	lim = withDefaults(lim)
	if int64(len(b)) > lim.MaxBytes {
		return pervichka.Errorf(pervichka.CodeTooLarge, "%d bytes, limit %d", len(b), lim.MaxBytes)
	}
	kind, err := Sniff(b)
	if err != nil {
		return err
	}
	var config configFunc
	switch kind {
	case KindJPEG:
		config = jpeg.DecodeConfig
	case KindPNG:
		config = png.DecodeConfig
	case KindWebP:
		config = webp.DecodeConfig
	case KindTIFF:
		h, ok := parseTIFFHeader(b)
		if !ok {
			return pervichka.Errorf(pervichka.CodeCorrupt, "tiff header")
		}
		offsets, _, err := tiffPages(h, lim.MaxPages)
		if err != nil {
			return err
		}
		for i, off := range offsets {
			cfg, err := safeConfig(tiff.DecodeConfig, newIFDReader(h, off))
			if err != nil {
				return tiffError(err, fmt.Sprintf("read tiff page %d header", i+1))
			}
			if err := checkPixels(cfg, lim, i); err != nil {
				return err
			}
			fn(cfg)
		}
		return nil
	default:
		return pervichka.Errorf(pervichka.CodeUnsupported, "%s is not an image file", kind)
	}
	cfg, err := safeConfig(config, bytes.NewReader(b))
	if err != nil {
		return pervichka.WrapError(pervichka.CodeCorrupt, err, fmt.Sprintf("read %s header", kind))
	}
	if err := checkPixels(cfg, lim, 0); err != nil {
		return err
	}
	fn(cfg)
	return nil
}

// reducedSize is w×h scaled to fit OCRPixels, keeping the aspect ratio;
// unchanged when it fits already.
func reducedSize(w, h int) (int, int) {
	px := int64(w) * int64(h)
	if px <= OCRPixels {
		return w, h
	}
	f := math.Sqrt(float64(OCRPixels) / float64(px))
	return max(1, int(float64(w)*f)), max(1, int(float64(h)*f))
}

// reduce scales a page over OCRPixels down to fit, averaging the source
// pixels each output pixel covers, one source row at a time: grey stays
// grey (1 byte a pixel), the rest becomes RGBA, colour kept for the
// enhancement's ink and sheet detection. Nothing but the output and a row
// is allocated, and the full-size picture is garbage once this returns.
func reduce(img image.Image) image.Image {
	b := img.Bounds()
	w, h := reducedSize(b.Dx(), b.Dy())
	if w == b.Dx() && h == b.Dy() {
		return img
	}
	if g, ok := img.(*image.Gray); ok {
		return reduceGray(g, w, h)
	}
	return reduceColour(img, w, h)
}

// reduceColour is a box average of any picture into a w×h RGBA (both
// smaller). Each source row is first drawn into an RGBA row (image/draw
// has fast paths for the types decoders give: YCbCr, NRGBA, paletted,
// CMYK), then summed into its output row.
func reduceColour(src image.Image, w, h int) *image.RGBA {
	b := src.Bounds()
	sw, sh := b.Dx(), b.Dy()
	dst := image.NewRGBA(image.Rect(0, 0, w, h))
	row := image.NewRGBA(image.Rect(0, 0, sw, 1))
	sums := make([]uint32, 4*w)
	x0s := make([]int, w+1)
	for x := range x0s {
		x0s[x] = x * sw / w
	}
	for y := 0; y < h; y++ {
		clear(sums)
		sy0, sy1 := y*sh/h, (y+1)*sh/h
		for sy := sy0; sy < sy1; sy++ {
			draw.Draw(row, row.Rect, src, image.Pt(b.Min.X, b.Min.Y+sy), draw.Src)
			for x := 0; x < w; x++ {
				s := sums[4*x : 4*x+4]
				for px := range slices.Chunk(row.Pix[4*x0s[x]:4*x0s[x+1]], 4) {
					s[0] += uint32(px[0])
					s[1] += uint32(px[1])
					s[2] += uint32(px[2])
					s[3] += uint32(px[3])
				}
			}
		}
		out := dst.Pix[y*dst.Stride:]
		for x := 0; x < w; x++ {
			n := uint32((x0s[x+1] - x0s[x]) * (sy1 - sy0))
			if n == 0 {
				continue
			}
			for c := range 4 {
				out[4*x+c] = uint8((sums[4*x+c] + n/2) / n)
			}
		}
	}
	return dst
}

// reduceGray is a box average of a grey picture into w×h (both smaller).
func reduceGray(src *image.Gray, w, h int) *image.Gray {
	b := src.Bounds()
	sw, sh := b.Dx(), b.Dy()
	dst := image.NewGray(image.Rect(0, 0, w, h))
	sums := make([]uint32, w)
	counts := make([]uint32, w)
	x0s := make([]int, w+1)
	for x := range x0s {
		x0s[x] = x * sw / w
	}
	for y := 0; y < h; y++ {
		clear(sums)
		clear(counts)
		for sy := y * sh / h; sy < (y+1)*sh/h; sy++ {
			row := src.Pix[src.PixOffset(b.Min.X, b.Min.Y+sy):]
			for x := 0; x < w; x++ {
				for sx := x0s[x]; sx < x0s[x+1]; sx++ {
					sums[x] += uint32(row[sx])
				}
				counts[x] += uint32(x0s[x+1] - x0s[x])
			}
		}
		out := dst.Pix[y*dst.Stride:]
		for x := 0; x < w; x++ {
			if counts[x] > 0 {
				out[x] = uint8((sums[x] + counts[x]/2) / counts[x])
			}
		}
	}
	return dst
}

// Package imagefile recognises and decodes untrusted image files (JPEG, PNG,
// TIFF, WebP) into one image per page or frame.
//
// Every limit is checked before the pixels are decoded: the byte size first,
// then the dimensions read from each header (every IFD of a multi-page TIFF)
// against pervichka.Limits, so a decompression bomb is refused after reading a
// few bytes. Third-party decoders run under recover(): a panic on hostile
// input becomes a CodeCorrupt error instead of taking the process down.
//
// JPEG pictures are turned upright according to their EXIF Orientation (phone
// cameras store the sensor image and a tag), TIFF pages according to their
// Orientation tag.
package imagefile

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/jpeg"
	"image/png"
	"io"

	"golang.org/x/image/webp"

	"github.com/pervichka/pervichka"
)

// Kind is a file type recognised by its magic bytes.
type Kind string

const (
	KindJPEG Kind = "jpeg"
	KindPNG  Kind = "png"
	KindTIFF Kind = "tiff"
	KindWebP Kind = "webp"
	KindPDF  Kind = "pdf"
)

// pdfHeaderWindow is how far into the file "%PDF-" may start: readers accept
// junk before the header (mail gateways prepend some), Acrobat up to 1 KiB.
const pdfHeaderWindow = 1024

// Sniff tells the file type from its first bytes. It never trusts a file
// name or a declared MIME type. An empty input is CodeEmpty, anything else
// not recognised CodeUnsupported.
func Sniff(b []byte) (Kind, error) {
	switch {
	case len(b) == 0:
		return "", pervichka.Errorf(pervichka.CodeEmpty, "zero bytes")
	case bytes.HasPrefix(b, []byte{0xFF, 0xD8, 0xFF}):
		return KindJPEG, nil
	case bytes.HasPrefix(b, []byte("\x89PNG\r\n\x1a\n")):
		return KindPNG, nil
	case bytes.HasPrefix(b, []byte("II*\x00")), bytes.HasPrefix(b, []byte("MM\x00*")):
		return KindTIFF, nil
	case len(b) >= 12 && string(b[0:4]) == "RIFF" && string(b[8:12]) == "WEBP":
		return KindWebP, nil
	case bytes.Contains(b[:min(len(b), pdfHeaderWindow)], []byte("%PDF-")):
		return KindPDF, nil
	}
	if bytes.HasPrefix(b, []byte("II+\x00")) || bytes.HasPrefix(b, []byte("MM\x00+")) {
		return "", pervichka.Errorf(pervichka.CodeUnsupported, "BigTIFF is not supported")
	}
	return "", pervichka.Errorf(pervichka.CodeUnsupported, "unknown file type (starts with % x)", b[:min(len(b), 8)])
}

// Decode decodes an image file into its pages: one image for JPEG, PNG and
// WebP, one per IFD for TIFF. Pictures are turned upright by their
// Orientation tag. A page of more than OCRPixels is scaled down to fit on
// the way in (the full-size pixels are dropped before the page is handed
// on; Measure tells from the headers what decoding costs before it). PDF is
// refused with CodeUnsupported: it goes to package pdf. Zero fields of lim
// mean the DefaultLimits value.
//
// All pages are held in memory at once; DecodeEach hands them over one by one.
func Decode(ctx context.Context, b []byte, lim pervichka.Limits) ([]image.Image, error) {
	var out []image.Image
	err := DecodeEach(ctx, b, lim, func(_ int, img image.Image) error {
		out = append(out, img)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// DecodeEach is Decode handing each page to fn as soon as it is decoded, so
// that a long TIFF need not be held in memory whole. All headers are checked
// against the limits before the first page is decoded. An error from fn stops
// decoding and is returned as is.
func DecodeEach(ctx context.Context, b []byte, lim pervichka.Limits, fn func(index int, img image.Image) error) error {
	return decode(ctx, b, lim, true, fn)
}

// DecodeAsStored decodes one image exactly as stored, ignoring any
// Orientation tag. It is for images taken out of a PDF, where the placement
// on the page, not the file's metadata, decides which way is up. The limits
// are checked as in Decode; a multi-page TIFF yields its first page only.
func DecodeAsStored(ctx context.Context, b []byte, lim pervichka.Limits) (image.Image, error) {
	var first image.Image
	err := decode(ctx, b, lim, false, func(i int, img image.Image) error {
		if i == 0 {
			first = img
		}
		return errStop
	})
	if err != nil && !errors.Is(err, errStop) {
		return nil, err
	}
	return first, nil
}

var errStop = errors.New("stop")

// withDefaults fills zero limits from DefaultLimits: a zero Limits value
// must not mean "refuse everything" nor "accept anything".
func withDefaults(lim pervichka.Limits) pervichka.Limits {
	d := pervichka.DefaultLimits()
	if lim.MaxBytes <= 0 {
		lim.MaxBytes = d.MaxBytes
	}
	if lim.MaxPixels <= 0 {
		lim.MaxPixels = d.MaxPixels
	}
	if lim.MaxPages <= 0 {
		lim.MaxPages = d.MaxPages
	}
	return lim
}

func decode(ctx context.Context, b []byte, lim pervichka.Limits, orient bool, fn func(int, image.Image) error) error {
	lim = withDefaults(lim)
	if int64(len(b)) > lim.MaxBytes {
		return pervichka.Errorf(pervichka.CodeTooLarge, "%d bytes, limit %d", len(b), lim.MaxBytes)
	}
	kind, err := Sniff(b)
	if err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return pervichka.WrapError(pervichka.CodeCanceled, err, "decode image")
	}
	switch kind {
	case KindJPEG:
		return decodeSingle(b, lim, kind, jpeg.DecodeConfig, jpeg.Decode, orientationFor(orient, jpegOrientation), fn)
	case KindPNG:
		return decodeSingle(b, lim, kind, png.DecodeConfig, png.Decode, nil, fn)
	case KindWebP:
		return decodeSingle(b, lim, kind, webp.DecodeConfig, webp.Decode, orientationFor(orient, webpOrientation), fn)
	case KindTIFF:
		return decodeTIFF(ctx, b, lim, orient, fn)
	case KindPDF:
		return pervichka.Errorf(pervichka.CodeUnsupported, "a PDF is not an image file")
	}
	return pervichka.Errorf(pervichka.CodeUnsupported, "kind %q", kind)
}

func orientationFor(orient bool, f func([]byte) int) func([]byte) int {
	if !orient {
		return nil
	}
	return f
}

type (
	configFunc func(r io.Reader) (image.Config, error)
	decodeFunc func(r io.Reader) (image.Image, error)
)

func decodeSingle(b []byte, lim pervichka.Limits, kind Kind, config configFunc, dec decodeFunc, orientation func([]byte) int, fn func(int, image.Image) error) error {
	cfg, err := safeConfig(config, bytes.NewReader(b))
	if err != nil {
		return pervichka.WrapError(pervichka.CodeCorrupt, err, fmt.Sprintf("read %s header", kind))
	}
	if err := checkPixels(cfg, lim, 0); err != nil {
		return err
	}
	img, err := safeDecode(dec, bytes.NewReader(b))
	if err != nil {
		return pervichka.WrapError(pervichka.CodeCorrupt, err, fmt.Sprintf("decode %s", kind))
	}
	img = reduce(img)
	if orientation != nil {
		img = Orient(img, orientation(b))
	}
	return fn(0, img)
}

// checkPixels refuses a page whose header declares more pixels than allowed
// or no pixels at all.
func checkPixels(cfg image.Config, lim pervichka.Limits, page int) error {
	if cfg.Width <= 0 || cfg.Height <= 0 {
		return pervichka.Errorf(pervichka.CodeCorrupt, "page %d: empty image %d×%d", page+1, cfg.Width, cfg.Height)
	}
	if px := int64(cfg.Width) * int64(cfg.Height); px > lim.MaxPixels {
		return pervichka.Errorf(pervichka.CodeTooManyPixels, "page %d: %d×%d = %d pixels, limit %d", page+1, cfg.Width, cfg.Height, px, lim.MaxPixels)
	}
	return nil
}

// errPanic marks a decoder that panicked: on hostile input that is a bug in
// the decoder, and the file is reported as corrupt.
var errPanic = errors.New("decoder panicked")

func safeConfig(config configFunc, r io.Reader) (cfg image.Config, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("%w: %v", errPanic, p)
		}
	}()
	return config(r)
}

func safeDecode(dec decodeFunc, r io.Reader) (img image.Image, err error) {
	defer func() {
		if p := recover(); p != nil {
			img, err = nil, fmt.Errorf("%w: %v", errPanic, p)
		}
	}()
	img, err = dec(r)
	if err == nil && img == nil {
		err = errors.New("decoder returned no image")
	}
	return img, err
}

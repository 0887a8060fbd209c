package imagefile

import (
	"context"
	"errors"
	"fmt"
	"image"
	"io"

	"golang.org/x/image/tiff"

	"github.com/pervichka/pervichka"
)

// decodeTIFF decodes every page of a TIFF. golang.org/x/image/tiff reads
// only the IFD the header points at, so the chain is walked here and each
// page decoded through a reader that shows the decoder a header pointing at
// that page's IFD, without copying the file.
func decodeTIFF(ctx context.Context, b []byte, lim pervichka.Limits, orient bool, fn func(int, image.Image) error) error {
	h, ok := parseTIFFHeader(b)
	if !ok {
		return pervichka.Errorf(pervichka.CodeCorrupt, "tiff header")
	}
	offsets, orientations, err := tiffPages(h, lim.MaxPages)
	if err != nil {
		return err
	}
	// Every header is checked before any page is decoded.
	for i, off := range offsets {
		cfg, err := safeConfig(tiff.DecodeConfig, newIFDReader(h, off))
		if err != nil {
			return tiffError(err, fmt.Sprintf("read tiff page %d header", i+1))
		}
		if err := checkPixels(cfg, lim, i); err != nil {
			return err
		}
	}
	for i, off := range offsets {
		if err := ctx.Err(); err != nil {
			return pervichka.WrapError(pervichka.CodeCanceled, err, fmt.Sprintf("decode tiff page %d", i+1))
		}
		img, err := safeDecode(tiff.Decode, newIFDReader(h, off))
		if err != nil {
			return tiffError(err, fmt.Sprintf("decode tiff page %d", i+1))
		}
		img = reduce(img)
		if orient {
			img = Orient(img, orientations[i])
		}
		if err := fn(i, img); err != nil {
			return err
		}
	}
	return nil
}

// tiffError classifies a decoder error: a compression or layout the decoder
// does not implement (JPEG-in-TIFF, tiles of odd kinds) is unsupported, the
// rest corrupt.
func tiffError(err error, detail string) error {
	var unsupported tiff.UnsupportedError
	if errors.As(err, &unsupported) {
		return pervichka.WrapError(pervichka.CodeUnsupported, err, detail)
	}
	return pervichka.WrapError(pervichka.CodeCorrupt, err, detail)
}

// tiffPages walks the IFD chain and returns each page's IFD offset and
// Orientation. The walk stops at maxPages+1 IFDs (too many pages is refused)
// and on a loop back to an IFD already seen (a cycle ends the chain, as in
// libtiff: the pages before it are real). An IFD out of bounds is CodeCorrupt.
func tiffPages(h tiffHeader, maxPages int) (offsets []uint32, orientations []int, err error) {
	seen := make(map[uint32]bool)
	off := h.first
	for off != 0 && !seen[off] {
		if len(offsets) == maxPages {
			return nil, nil, pervichka.Errorf(pervichka.CodeTooManyPages, "tiff has more than %d pages", maxPages)
		}
		seen[off] = true
		entries, next, ok := h.ifd(off)
		if !ok {
			// A truncated file: refusing beats silently losing its last pages.
			return nil, nil, pervichka.Errorf(pervichka.CodeCorrupt, "tiff page %d: IFD at %d out of bounds", len(offsets)+1, off)
		}
		offsets = append(offsets, off)
		orientations = append(orientations, h.orientation(entries))
		off = next
	}
	if len(offsets) == 0 {
		return nil, nil, pervichka.Errorf(pervichka.CodeCorrupt, "tiff has no IFD")
	}
	return offsets, orientations, nil
}

// ifdReader reads the file with bytes 4..7 of the header replaced by the
// offset of one IFD. It is an io.ReaderAt, which the tiff decoder uses
// directly instead of buffering the input.
type ifdReader struct {
	b      []byte
	header [8]byte
	pos    int64
}

func newIFDReader(h tiffHeader, off uint32) *ifdReader {
	r := &ifdReader{b: h.b}
	copy(r.header[:], h.b[:8])
	h.order.PutUint32(r.header[4:], off)
	return r
}

func (r *ifdReader) ReadAt(p []byte, off int64) (int, error) {
	if off < 0 {
		return 0, errors.New("negative offset")
	}
	if off >= int64(len(r.b)) {
		return 0, io.EOF
	}
	n := copy(p, r.b[off:])
	for i := off; i < off+int64(n) && i < 8; i++ {
		p[i-off] = r.header[i]
	}
	if n < len(p) {
		return n, io.EOF
	}
	return n, nil
}

func (r *ifdReader) Read(p []byte) (int, error) {
	n, err := r.ReadAt(p, r.pos)
	r.pos += int64(n)
	if err == io.EOF && n > 0 {
		err = nil
	}
	return n, err
}

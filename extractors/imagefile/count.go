package imagefile

import (
	"bytes"
	"fmt"
	"image/jpeg"
	"image/png"

	"golang.org/x/image/tiff"
	"golang.org/x/image/webp"

	"github.com/pervichka/pervichka"
)

// Count reads only the headers of an image file and returns its number of
// pages, checking every limit Decode checks before decoding (bytes, pixels
// per page, pages). It is for a stage that must know the pages without
// paying for their pixels; a file that passes Count may still fail to
// decode (a corrupt body behind a good header).
func Count(b []byte, lim pervichka.Limits) (int, error) {
	lim = withDefaults(lim)
	if int64(len(b)) > lim.MaxBytes {
		return 0, pervichka.Errorf(pervichka.CodeTooLarge, "%d bytes, limit %d", len(b), lim.MaxBytes)
	}
	kind, err := Sniff(b)
	if err != nil {
		return 0, err
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
			return 0, pervichka.Errorf(pervichka.CodeCorrupt, "tiff header")
		}
		offsets, _, err := tiffPages(h, lim.MaxPages)
		if err != nil {
			return 0, err
		}
		for i, off := range offsets {
			cfg, err := safeConfig(tiff.DecodeConfig, newIFDReader(h, off))
			if err != nil {
				return 0, tiffError(err, fmt.Sprintf("read tiff page %d header", i+1))
			}
			if err := checkPixels(cfg, lim, i); err != nil {
				return 0, err
			}
		}
		return len(offsets), nil
	default:
		return 0, pervichka.Errorf(pervichka.CodeUnsupported, "%s is not an image file", kind)
	}
	cfg, err := safeConfig(config, bytes.NewReader(b))
	if err != nil {
		return 0, pervichka.WrapError(pervichka.CodeCorrupt, err, fmt.Sprintf("read %s header", kind))
	}
	if err := checkPixels(cfg, lim, 0); err != nil {
		return 0, err
	}
	return 1, nil
}

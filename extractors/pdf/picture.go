package pdf

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strconv"

	"github.com/pervichka/pervichka"
)

// pictureOutLimit caps a rendered picture: a colour PNG of a dense A4 page
// at 2,400 pixels is 1-3 MB.
const pictureOutLimit = 32 << 20

// Picture renders one page (0-based) of a PDF as a colour PNG for a person
// to look at, its longer side maxSide pixels (the review UI lays the text
// layer's words over it: they are in TextDPI pixels of the same page, so
// any size of the same proportions fits). The same checks as Pages come
// first: the byte limit, the header, the end of the file.
//
// Limits: one pdftoppm per call, about 0.1-0.4 s of CPU for an A4 page;
// callers keep the result rather than render again.
func Picture(ctx context.Context, b []byte, index, maxSide int, lim pervichka.Limits) ([]byte, error) {
	lim = withDefaults(lim)
	switch {
	case len(b) == 0:
		return nil, pervichka.Errorf(pervichka.CodeEmpty, "zero bytes")
	case int64(len(b)) > lim.MaxBytes:
		return nil, pervichka.Errorf(pervichka.CodeTooLarge, "%d bytes, limit %d", len(b), lim.MaxBytes)
	case !bytes.Contains(b[:min(len(b), 1024)], []byte("%PDF-")):
		return nil, pervichka.Errorf(pervichka.CodeCorrupt, "no %%PDF- header")
	case index < 0 || index >= lim.MaxPages:
		return nil, pervichka.Errorf(pervichka.CodeCorrupt, "no page %d", index+1)
	case maxSide <= 0 || int64(maxSide)*int64(maxSide) > lim.MaxPixels:
		return nil, pervichka.Errorf(pervichka.CodeTooLarge, "picture side %d over the pixel limit", maxSide)
	}
	dir, err := os.MkdirTemp("", "pervichka-picture-*")
	if err != nil {
		return nil, pervichka.WrapError(pervichka.CodeIO, err, "temp dir")
	}
	defer os.RemoveAll(dir)
	file := filepath.Join(dir, "in.pdf")
	if err := os.WriteFile(file, b, 0o600); err != nil {
		return nil, pervichka.WrapError(pervichka.CodeIO, err, "write temp pdf")
	}
	page := strconv.Itoa(index + 1)
	out := filepath.Join(dir, "page")
	if _, err := run(ctx, childTimeout(1), 1<<16, "pdftoppm", "-png", "-cropbox", "-singlefile",
		"-scale-to", strconv.Itoa(maxSide), "-f", page, "-l", page, file, out); err != nil {
		var child *childError
		if errors.As(err, &child) {
			// poppler refused the file or the page number.
			return nil, pervichka.WrapError(pervichka.CodeCorrupt, err, "render page "+page)
		}
		return nil, err
	}
	png, err := os.ReadFile(out + ".png")
	if err != nil {
		return nil, pervichka.Errorf(pervichka.CodeCorrupt, "no page %d", index+1)
	}
	if len(png) > pictureOutLimit {
		return nil, pervichka.Errorf(pervichka.CodeTooLarge, "page picture %d bytes", len(png))
	}
	return png, nil
}

package pipeline

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"image"
	"strings"

	"github.com/pervichka/pervichka/storage/db"
)

// uprightSuffix ends the key of a page picture a clerk turned the right
// way up (TurnPage). The page job reads such a page as it is: the
// enhancement's own orientation guess, which a clerk just overruled, is
// not applied to it again.
const uprightSuffix = ".upright.png"

// Upright reports whether a page's picture is one a clerk turned.
func Upright(pg db.Page) bool { return strings.HasSuffix(pg.RawKey, uprightSuffix) }

// TurnPage turns page pg of doc clockwise by quarter × 90° and stores the
// turned picture (PNG, keyed by its content) as the page's new raw
// picture. It returns the key; the caller records it with db.TurnPage and
// enqueues a PageArgs job (with a new Run) in one transaction, and the
// page job reads the page again and then extracts the document.
//
// Limits: the picture turned is the page before enhancement (a photo's
// pixels as received, or a PDF page's picture), so each turn decodes and
// re-encodes it losslessly; a turn of a text-layer PDF page is refused by
// its caller (it has no picture to read).
func (p *Pipeline) TurnPage(ctx context.Context, doc db.Document, pg db.Page, quarter int) (string, error) {
	img, release, err := p.rawPage(ctx, doc, pg)
	if err != nil {
		return "", fmt.Errorf("turn page %d of document %d: %w", pg.Index+1, doc.ID, err)
	}
	// The decoded picture counts against the pixel budget until it is
	// turned and encoded.
	defer release()
	if err := ctx.Err(); err != nil {
		return "", err
	}
	turned := turnClockwise(img, ((quarter%4)+4)%4)
	b, err := encodePNG(turned)
	if err != nil {
		return "", fmt.Errorf("turn page %d of document %d: encode: %w", pg.Index+1, doc.ID, err)
	}
	sum := sha256.Sum256(b)
	key := pageKey(doc.SHA256, pg.Index, "."+hex.EncodeToString(sum[:8])+uprightSuffix)
	if err := p.put(ctx, key, b, "image/png"); err != nil {
		return "", err
	}
	return key, nil
}

// turnClockwise returns img turned clockwise by q quarter turns, as RGBA
// (grey pictures stay grey in value).
func turnClockwise(img image.Image, q int) image.Image {
	if q == 0 {
		return img
	}
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	ow, oh := w, h
	if q%2 == 1 {
		ow, oh = h, w
	}
	out := image.NewRGBA(image.Rect(0, 0, ow, oh))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			c := img.At(b.Min.X+x, b.Min.Y+y)
			var nx, ny int
			switch q {
			case 1:
				nx, ny = h-1-y, x
			case 2:
				nx, ny = w-1-x, h-1-y
			case 3:
				nx, ny = y, w-1-x
			}
			out.Set(nx, ny, c)
		}
	}
	return out
}

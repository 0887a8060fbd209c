package review

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"path"
	"strconv"

	"github.com/pervichka/pervichka"
	"github.com/pervichka/pervichka/extractors/pdf"
	"github.com/pervichka/pervichka/storage/db"
	"github.com/pervichka/pervichka/storage/objects"
)

// pictureSide is the longer side, in pixels, of a born-digital PDF page
// rendered for the viewer: an A4 page at about 200 dpi. At the viewer's
// 200 % an A4 page is about 1,400 pixels wide on a 1440-pixel screen, so
// the picture is never blown up there; a larger side costs render time
// and bytes no one sees.
const pictureSide = 2400

// textPage reports whether a page was read from a PDF's text layer: words
// but no picture of its own. The viewer shows such a page as a picture
// rendered from the file (pictureOf), with the words over it.
func textPage(p db.Page) bool {
	return p.ImageKey == "" && p.RawKey == "" && p.WordsKey != ""
}

// pictureKey is where a text page's rendered picture is kept: by the file
// it is rendered from (originals are keyed by content, so the picture
// never goes stale) and the page in it.
func pictureKey(fileKey string, index int) string {
	return fmt.Sprintf("views/%s/%d-%d.png", path.Base(fileKey), index, pictureSide)
}

// pictureOf returns a text page's picture: the kept one, or one rendered
// now with poppler (extractors/pdf.Picture) and kept for next time. A
// failure to keep it is logged, not shown: the clerk still sees the page.
func (s *Server) pictureOf(ctx context.Context, doc db.Document, pg db.Page) ([]byte, error) {
	fileKey, index := pg.Source(doc.ObjectKey)
	key := pictureKey(fileKey, index)
	if body, _, err := s.cfg.Objects.Get(ctx, key); err == nil {
		defer body.Close()
		return io.ReadAll(io.LimitReader(body, maxPictureBytes))
	} else if !errors.Is(err, objects.ErrNotFound) {
		return nil, err
	}
	lim := pervichka.DefaultLimits()
	body, _, err := s.cfg.Objects.Get(ctx, fileKey)
	if err != nil {
		return nil, err
	}
	b, err := io.ReadAll(io.LimitReader(body, lim.MaxBytes+1))
	body.Close()
	if err != nil {
		return nil, err
	}
	png, err := pdf.Picture(ctx, b, index, pictureSide, lim)
	if err != nil {
		return nil, err
	}
	if err := s.cfg.Objects.Put(ctx, key, bytes.NewReader(png), int64(len(png)), "image/png"); err != nil {
		s.cfg.Logger.Warn("review: keep page picture", "key", key, "err", err)
	}
	return png, nil
}

// maxPictureBytes bounds a kept picture read back.
const maxPictureBytes = 64 << 20

// servePicture answers a text page's picture request.
func (s *Server) servePicture(w http.ResponseWriter, r *http.Request, doc db.Document, pg db.Page) {
	png, err := s.pictureOf(r.Context(), doc, pg)
	if err != nil {
		s.fail(w, r, http.StatusInternalServerError, "Не удалось показать страницу", err)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "image/png")
	h.Set("Content-Length", strconv.Itoa(len(png)))
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "private, max-age=3600")
	_, _ = w.Write(png)
}

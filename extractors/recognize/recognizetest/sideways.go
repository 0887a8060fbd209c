// Package recognizetest holds what tests of the recognizer and of the
// pipeline share: an engine whose page turns are known in advance and the
// pictures it is shown.
package recognizetest

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/draw"
	"image/jpeg"
	"testing"

	pervichka "github.com/pervichka/pervichka"
)

// SidewaysOCR reads no words and tells a landscape picture to be turned a
// quarter clockwise, a portrait one to stay: an engine whose turns a test
// knows in advance, so that what Result.PageTurns reports can be checked
// page by page without Tesseract's own guesses. The real orientation is
// tested in extractors/tesseract and extractors/recognize.
type SidewaysOCR struct{}

func (SidewaysOCR) Words(context.Context, image.Image, int) ([]pervichka.Word, error) {
	return nil, nil
}

func (SidewaysOCR) Orientation(_ context.Context, img image.Image) (int, float64, error) {
	if b := img.Bounds(); b.Dx() > b.Dy() {
		return 90, 1, nil
	}
	return 0, 1, nil
}

func (SidewaysOCR) ReadLine(context.Context, image.Image, pervichka.Rect, string, int) (string, float64, error) {
	return "", 0, nil
}

// LinesJPEG is a w×h white picture with dark bars where lines of print
// would be, filling the frame (no table around it for the sheet step to
// cut away).
func LinesJPEG(t testing.TB, w, h int) []byte {
	t.Helper()
	img := image.NewGray(image.Rect(0, 0, w, h))
	draw.Draw(img, img.Rect, image.NewUniform(color.White), image.Point{}, draw.Src)
	for y := h / 10; y < h*9/10; y += h / 25 {
		draw.Draw(img, image.Rect(w/10, y, w*(6+y%3)/10, y+h/120+1), image.NewUniform(color.Black), image.Point{}, draw.Src)
	}
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, &jpeg.Options{Quality: 90}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// LateTurnOCR is SidewaysOCR whose orientation step is unsure: it keeps
// every page upright unverified, as tesseract.Pool's OrientationDeferred
// does when OSD is unsure, scores every recognition as unreadable, and
// finds a landscape picture turned a quarter clockwise by reading. A
// landscape page is so turned only after its first recognition (the
// recognizer's verifyUpright), which tests that what is stored and
// reported is the page as finally read.
type LateTurnOCR struct{ SidewaysOCR }

func (LateTurnOCR) OrientationDeferred(context.Context, image.Image) (int, float64, bool, error) {
	return 0, 0.1, true, nil
}

func (LateTurnOCR) UprightScore([]pervichka.Word) float64 { return 0 }

func (o LateTurnOCR) OrientationByReading(ctx context.Context, img image.Image) (int, float64, error) {
	return o.Orientation(ctx, img)
}

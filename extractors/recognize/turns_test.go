package recognize_test

import (
	"bytes"
	"context"
	"encoding/json"
	"image"
	"image/color"
	"image/draw"
	"image/jpeg"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	pervichka "github.com/pervichka/pervichka"
	"github.com/pervichka/pervichka/corpus/degrade"
	"github.com/pervichka/pervichka/extractors/recognize"
)

// sidewaysOCR reads no words and tells a landscape picture to be turned a
// quarter clockwise, a portrait one to stay: an engine whose turns the test
// knows in advance, so that what Result.PageTurns reports can be checked
// page by page without Tesseract's own guesses.
type sidewaysOCR struct{}

func (sidewaysOCR) Words(context.Context, image.Image, int) ([]pervichka.Word, error) {
	return nil, nil
}

func (sidewaysOCR) Orientation(_ context.Context, img image.Image) (int, float64, error) {
	if b := img.Bounds(); b.Dx() > b.Dy() {
		return 90, 1, nil
	}
	return 0, 1, nil
}

func (sidewaysOCR) ReadLine(context.Context, image.Image, pervichka.Rect, string, int) (string, float64, error) {
	return "", 0, nil
}

// linesJPEG is a w×h white picture with dark bars where lines of print
// would be, filling the frame (no table around it for the sheet step to
// cut away).
func linesJPEG(t testing.TB, w, h int) []byte {
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

// TestPageTurns: a result says how far each page was turned to be read, in
// page order, and leaves the key out when no page was turned (a text
// layer, an upright photo), so that results of upright documents are as
// before.
func TestPageTurns(t *testing.T) {
	t.Parallel()
	portrait, landscape := linesJPEG(t, 600, 850), linesJPEG(t, 850, 600)
	var twoPages bytes.Buffer
	if err := degrade.JPEGsPDF(&twoPages, [][]byte{portrait, landscape}, 100); err != nil {
		t.Fatal(err)
	}
	textLayer, err := os.ReadFile(filepath.Join(corpusDir, "007-upd.pdf"))
	if err != nil {
		t.Fatal(err)
	}
	rec := recognize.New(sidewaysOCR{}, recognize.Options{})
	for _, tc := range []struct {
		name string
		file []byte
		want []int
	}{
		{"upright photo.jpg", portrait, nil},
		{"sideways photo.jpg", landscape, []int{90}},
		{"second page sideways.pdf", twoPages.Bytes(), []int{0, 90}},
		{"text layer.pdf", textLayer, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := rec.Bytes(t.Context(), tc.name, tc.file)
			if res.Error != nil {
				t.Fatalf("error %+v", res.Error)
			}
			if !slices.Equal(res.PageTurns, tc.want) {
				t.Errorf("page turns %v, want %v", res.PageTurns, tc.want)
			}
			b, err := json.Marshal(res)
			if err != nil {
				t.Fatal(err)
			}
			if has := strings.Contains(string(b), `"page_turns"`); has != (tc.want != nil) {
				t.Errorf("page_turns in the JSON %v, want %v: %s", has, tc.want != nil, b)
			}
		})
	}
}

package pipeline_test

import (
	"bytes"
	"context"
	"encoding/json"
	"image"
	"image/color"
	"image/draw"
	"image/jpeg"
	"io"
	"reflect"
	"slices"
	"testing"
	"time"

	pervichka "github.com/pervichka/pervichka"
	"github.com/pervichka/pervichka/corpus/degrade"
	"github.com/pervichka/pervichka/extractors/recognize"
	"github.com/pervichka/pervichka/pipeline"
	"github.com/pervichka/pervichka/storage/db"
)

// sidewaysOCR reads no words and tells a landscape picture to be turned a
// quarter clockwise, a portrait one to stay, so that the turn of each page
// is known in advance.
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

func linesJPEG(t testing.TB, w, h int) []byte {
	t.Helper()
	img := image.NewGray(image.Rect(0, 0, w, h))
	draw.Draw(img, img.Rect, image.NewUniform(color.White), image.Point{}, draw.Src)
	for y := h / 10; y < h*9/10; y += h / 25 {
		draw.Draw(img, image.Rect(w/10, y, w*6/10, y+h/120+1), image.NewUniform(color.Black), image.Point{}, draw.Src)
	}
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, &jpeg.Options{Quality: 90}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestPageTurnsThroughStages: the turn a page job applied reaches the
// result the extract job makes from the stored words (page order kept), as
// in one direct call. The pages' rows have no column for it: it travels in
// the stored words, as pervichka.Page.Turned.
func TestPageTurnsThroughStages(t *testing.T) {
	e := start(t, deployments()[0], pipeline.Config{})
	rec := recognize.New(sidewaysOCR{}, recognize.Options{Fields: fieldsConfig})
	e.pipeline(t, pipeline.Config{Work: true, Recognizer: rec})
	var pdf bytes.Buffer
	if err := degrade.JPEGsPDF(&pdf, [][]byte{linesJPEG(t, 600, 850), linesJPEG(t, 850, 600)}, 100); err != nil {
		t.Fatal(err)
	}
	doc, _, err := e.p.Submit(t.Context(), pipeline.Upload{Name: "photos.pdf", Body: pdf.Bytes(), Source: db.SourceUpload})
	if err != nil {
		t.Fatal(err)
	}
	got := waitSettled(t, e.db, []int64{doc.ID}, 2*time.Minute)[0]
	if got.State != db.StateNeedsReview && got.State != db.StateAutoApproved {
		t.Fatalf("state %s (%s %s), want a verdict", got.State, got.FailureCode, got.FailureReason)
	}
	res := comparable(t, got.Result)
	if want := []int{0, 90}; !slices.Equal(res.PageTurns, want) {
		t.Errorf("page turns %v, want %v", res.PageTurns, want)
	}
	raw, _ := json.Marshal(rec.Bytes(t.Context(), "photos.pdf", pdf.Bytes()))
	if direct := comparable(t, raw); !reflect.DeepEqual(res, direct) {
		t.Errorf("pipeline result differs from a direct extract:\npipeline: %+v\ndirect:   %+v", res, direct)
	}
	pages, err := e.db.Pages(t.Context(), nil, doc.ID)
	if err != nil || len(pages) != 2 {
		t.Fatalf("%d pages, %v", len(pages), err)
	}
	r, _, err := e.store.Get(t.Context(), pages[1].WordsKey)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var words pervichka.Page
	if b, err := io.ReadAll(r); err != nil || json.Unmarshal(b, &words) != nil {
		t.Fatalf("stored words of page 2: %s, %v", b, err)
	}
	if words.Turned != 90 || words.Width >= words.Height {
		t.Errorf("stored words of page 2: turned %d, %dx%d; want 90 and the turned picture's size", words.Turned, words.Width, words.Height)
	}
}

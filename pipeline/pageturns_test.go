package pipeline_test

import (
	"bytes"
	"encoding/json"
	"image/png"
	"io"
	"reflect"
	"slices"
	"testing"
	"time"

	pervichka "github.com/pervichka/pervichka"
	"github.com/pervichka/pervichka/corpus/degrade"
	"github.com/pervichka/pervichka/extractors/recognize"
	"github.com/pervichka/pervichka/extractors/recognize/recognizetest"
	"github.com/pervichka/pervichka/pipeline"
	"github.com/pervichka/pervichka/storage/db"
)

// TestPageTurnsThroughStages: the turn a page job applied reaches the
// result the extract job makes from the stored words (page order kept), as
// in one direct call. The pages' rows have no column for it: it travels in
// the stored words, as pervichka.Page.Turned.
//
// With LateTurnOCR the second page is turned only after it was recognised
// upright and read badly: the picture stored for the clerk must be the
// turned one that the words' boxes belong to.
func TestPageTurnsThroughStages(t *testing.T) {
	for name, ocr := range map[string]recognize.OCR{"sure orientation": recognizetest.SidewaysOCR{}, "turn found after OCR": recognizetest.LateTurnOCR{}} {
		t.Run(name, func(t *testing.T) { testPageTurnsThroughStages(t, ocr) })
	}
}

func testPageTurnsThroughStages(t *testing.T, ocr recognize.OCR) {
	e := start(t, deployments()[0], pipeline.Config{})
	rec := recognize.New(ocr, recognize.Options{Fields: fieldsConfig})
	e.pipeline(t, pipeline.Config{Work: true, Recognizer: rec})
	var pdf bytes.Buffer
	if err := degrade.JPEGsPDF(&pdf, [][]byte{recognizetest.LinesJPEG(t, 600, 850), recognizetest.LinesJPEG(t, 850, 600)}, 100); err != nil {
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
	pr, _, err := e.store.Get(t.Context(), pages[1].ImageKey)
	if err != nil {
		t.Fatal(err)
	}
	defer pr.Close()
	cfg, err := png.DecodeConfig(pr)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Width != words.Width || cfg.Height != words.Height {
		t.Errorf("stored picture of page 2 is %dx%d, its words' page %dx%d", cfg.Width, cfg.Height, words.Width, words.Height)
	}
}

package recognize_test

import (
	"bytes"
	"context"
	"encoding/json"
	"image"
	"log/slog"
	"os"
	"strings"
	"testing"

	pervichka "github.com/pervichka/pervichka"
	"github.com/pervichka/pervichka/extractors/recognize"
)

// panickyOCR is an engine whose re-reads crash: the way a bug deep in field
// extraction shows up, since the extractor calls back into the engine.
type panickyOCR struct{}

func (panickyOCR) Words(context.Context, image.Image, int) ([]pervichka.Word, error) {
	return nil, nil
}

func (panickyOCR) Orientation(context.Context, image.Image) (int, float64, error) { return 0, 1, nil }

func (panickyOCR) ReadLine(context.Context, image.Image, pervichka.Rect, string, int) (string, float64, error) {
	panic("index out of range in a re-read")
}

// A panic while extracting fields is a fault, not a verdict: the result
// carries CodeRecognitionFault (its own Russian reason), no guessed document
// type or review reasons, and the log holds the panic with its stack.
func TestExtractPanicIsAFault(t *testing.T) {
	b, err := os.ReadFile("../fields/testdata/golden/036-invoice.words.json")
	if err != nil {
		t.Fatal(err)
	}
	var doc struct{ Pages []pervichka.Page }
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	pages := make([]recognize.Page, 0, len(doc.Pages))
	for _, p := range doc.Pages {
		// Read as a photo's words, so that the extractor re-reads boxes.
		p.Source = pervichka.SourceOCR
		for i := range p.Words {
			p.Words[i].Conf = 0.6
		}
		pages = append(pages, recognize.Page{Text: p, DPI: 300, Image: image.NewGray(image.Rect(0, 0, p.Width, p.Height))})
	}
	var logs bytes.Buffer
	r := recognize.New(panickyOCR{}, recognize.Options{Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	res := r.Extract(t.Context(), "036-invoice.jpg", pages)
	if res.Error == nil || res.Error.Code != pervichka.CodeRecognitionFault {
		t.Fatalf("error %+v, want %s; result %+v", res.Error, pervichka.CodeRecognitionFault, res)
	}
	if res.Error.Message != "Внутренняя ошибка распознавания" {
		t.Errorf("message %q", res.Error.Message)
	}
	if res.DocType != "" || len(res.ReviewReasons) > 0 {
		t.Errorf("a crash became a verdict: doc type %q, reasons %v", res.DocType, res.ReviewReasons)
	}
	if res.File != "036-invoice.jpg" || res.Pages != 1 {
		t.Errorf("file %q, pages %d", res.File, res.Pages)
	}
	if !strings.Contains(logs.String(), "index out of range in a re-read") || !strings.Contains(logs.String(), "goroutine") {
		t.Errorf("panic not logged with its stack:\n%s", logs.String())
	}
	if !pervichka.CodeRecognitionFault.Permanent() {
		t.Error("a recognition fault is retried: the same words crash again")
	}
}

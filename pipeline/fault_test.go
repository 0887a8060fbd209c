package pipeline_test

import (
	"context"
	"image"
	"io"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	pervichka "github.com/pervichka/pervichka"
	"github.com/pervichka/pervichka/extractors/recognize"
	"github.com/pervichka/pervichka/extractors/tesseract"
	"github.com/pervichka/pervichka/metrics"
	"github.com/pervichka/pervichka/pipeline"
	"github.com/pervichka/pervichka/storage/db"
)

// crashingRereads is the real engine except that re-reading a box panics,
// the way a bug deep in field extraction shows (the extractor calls back
// into the engine).
type crashingRereads struct{ *tesseract.Pool }

func (crashingRereads) ReadLine(context.Context, image.Image, pervichka.Rect, string, int) (string, float64, error) {
	panic("a bug in a re-read")
}

// A panic in extraction fails the document at once with a reason of its own
// («Внутренняя ошибка распознавания»), not a guessed verdict for a clerk, and
// is counted in pervichka_faults_total.
func TestExtractFaultFailsDocument(t *testing.T) {
	d := deployments()[0]
	e := start(t, d, pipeline.Config{})
	m := metrics.New(e.db, e.log)
	rec := recognize.New(crashingRereads{ocr(t)}, recognize.Options{Fields: fieldsConfig})
	e.pipeline(t, pipeline.Config{Work: true, Recognizer: rec, Observer: m})
	doc, _, err := e.p.Submit(t.Context(), pipeline.Upload{Name: "act.jpg", Body: readFile(t, "008-act-photo.jpg"), Source: db.SourceUpload})
	if err != nil {
		t.Fatal(err)
	}
	got := waitSettled(t, e.db, []int64{doc.ID}, 2*time.Minute)[0]
	if got.State != db.StateFailed || got.FailureCode != pervichka.CodeRecognitionFault ||
		!strings.HasPrefix(got.FailureReason, "Внутренняя ошибка распознавания") {
		t.Fatalf("state %s, code %q, reason %q; want failed, %s, «Внутренняя ошибка распознавания»",
			got.State, got.FailureCode, got.FailureReason, pervichka.CodeRecognitionFault)
	}
	rr := httptest.NewRecorder()
	m.Handler().ServeHTTP(rr, httptest.NewRequest("GET", "/metrics", nil))
	body, _ := io.ReadAll(rr.Body)
	if !strings.Contains(string(body), `pervichka_faults_total{stage="extract"} 1`) {
		t.Errorf("fault not counted:\n%s", grepLines(string(body), "pervichka_faults"))
	}
}

func grepLines(s, sub string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if strings.Contains(l, sub) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

package recognize_test

import (
	"context"
	"image"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	pervichka "github.com/pervichka/pervichka"
	"github.com/pervichka/pervichka/extractors/recognize"
	"github.com/pervichka/pervichka/extractors/tesseract"
)

// droppingOCR is the real Tesseract whose page layout loses every word of
// the lines holding drop — what PSM 3 does now and then to a bold label
// alone in its column (docs/benchmarks.md). Everything else is the pool's.
type droppingOCR struct {
	*tesseract.Pool
	drop string
}

func (o droppingOCR) Words(ctx context.Context, img image.Image, dpi int) ([]pervichka.Word, error) {
	ws, err := o.Pool.Words(ctx, img, dpi)
	if err != nil {
		return nil, err
	}
	type key struct{ block, par, line int }
	lost := map[key]bool{}
	for _, w := range ws {
		if strings.Contains(w.Text, o.drop) {
			lost[key{w.Block, w.Par, w.Line}] = true
		}
	}
	return slices.DeleteFunc(ws, func(w pervichka.Word) bool { return lost[key{w.Block, w.Par, w.Line}] }), nil
}

// A line the page layout lost («Поставщик: … Заказчик:», the two labels
// of a two-column requisites block) is read back by the recover step, and
// only by it.
func TestRecoverDroppedLine(t *testing.T) {
	t.Parallel()
	b, err := os.ReadFile(filepath.Join(corpusDir, "001-invoice-scan.pdf"))
	if err != nil {
		t.Fatal(err)
	}
	has := func(p recognize.Page, s string) bool {
		return slices.ContainsFunc(p.Text.Words, func(w pervichka.Word) bool { return strings.Contains(w.Text, s) })
	}
	ocr := droppingOCR{Pool: sharedPool(t), drop: "Заказчик"}
	for _, off := range []bool{false, true} {
		opt := recognize.Options{}
		if off {
			opt.Disabled = map[string]bool{recognize.StepRecover: true}
		}
		rec := recognize.New(ocr, opt)
		raws, err := rec.Split(t.Context(), "001-invoice-scan.pdf", b)
		if err != nil {
			t.Fatal(err)
		}
		e, err := rec.Enhance(t.Context(), raws[0])
		if err != nil {
			t.Fatal(err)
		}
		p, err := rec.OCR(t.Context(), "001-invoice-scan.pdf", 0, e)
		if err != nil {
			t.Fatal(err)
		}
		for _, label := range []string{"Поставщик", "Заказчик"} {
			if got := has(p, label); got == off {
				t.Errorf("recover off=%v: the dropped %q read back = %v", off, label, got)
			}
		}
	}
}

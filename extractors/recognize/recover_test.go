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

// recoverPage reads the first page of the committed corpus's scanned bill
// 001 with ocr, the recover step on or off.
func recoverPage(t *testing.T, ocr recognize.OCR, off bool) recognize.Page {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(corpusDir, "001-invoice-scan.pdf"))
	if err != nil {
		t.Fatal(err)
	}
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
	return p
}

// hasWord reports whether a word of p contains s.
func hasWord(p recognize.Page, s string) bool {
	return slices.ContainsFunc(p.Text.Words, func(w pervichka.Word) bool { return strings.Contains(w.Text, s) })
}

// A line the page layout lost («Поставщик: … Заказчик:», the two labels
// of a two-column requisites block) is read back by the recover step, and
// only by it.
func TestRecoverDroppedLine(t *testing.T) {
	t.Parallel()
	ocr := droppingOCR{Pool: sharedPool(t), drop: "Заказчик"}
	for _, off := range []bool{false, true} {
		p := recoverPage(t, ocr, off)
		for _, label := range []string{"Поставщик", "Заказчик"} {
			if got := hasWord(p, label); got == off {
				t.Errorf("recover off=%v: the dropped %q read back = %v", off, label, got)
			}
		}
	}
}

// mergingOCR is the real Tesseract whose page layout fits one baseline
// through two lines of the left column — the lines starting with first and
// second — and reads them as one tall word of low confidence, as PSM 3 did
// to 9931's realistic bill 011 («bonnet» for its ИНН line over its name).
type mergingOCR struct {
	*tesseract.Pool
	first, second string
}

func (o mergingOCR) Words(ctx context.Context, img image.Image, dpi int) ([]pervichka.Word, error) {
	ws, err := o.Pool.Words(ctx, img, dpi)
	if err != nil {
		return nil, err
	}
	type key struct{ block, par, line int }
	lineOf := func(label string) (key, bool) {
		for _, w := range ws {
			if w.Text == label {
				return key{w.Block, w.Par, w.Line}, true
			}
		}
		return key{}, false
	}
	k1, ok1 := lineOf(o.first)
	k2, ok2 := lineOf(o.second)
	if !ok1 || !ok2 {
		return ws, nil
	}
	mid := img.Bounds().Min.X + img.Bounds().Dx()/2
	var box pervichka.Rect
	out := ws[:0:0]
	for _, w := range ws {
		k := key{w.Block, w.Par, w.Line}
		if (k == k1 || k == k2) && w.Box.X1 < mid {
			if box == (pervichka.Rect{}) {
				box = w.Box
			}
			box = pervichka.Rect{X0: min(box.X0, w.Box.X0), Y0: min(box.Y0, w.Box.Y0), X1: max(box.X1, w.Box.X1), Y1: max(box.Y1, w.Box.Y1)}
			continue
		}
		out = append(out, w)
	}
	return append(out, pervichka.Word{Text: "bonnet", Box: box, Conf: 0.16, Block: k1.block, Par: k1.par, Line: k1.line}), nil
}

// Two lines the page layout read as one tall, unsure word (the supplier's
// ИНН over its КПП) are read again line by line by the recover step, and
// the tall word gives way to them.
func TestRecoverMergedLines(t *testing.T) {
	t.Parallel()
	ocr := mergingOCR{Pool: sharedPool(t), first: "ИНН:", second: "КПП:"}
	for _, off := range []bool{false, true} {
		p := recoverPage(t, ocr, off)
		for _, s := range []string{"7732612886", "773201001"} {
			if got := hasWord(p, s); got == off {
				t.Errorf("recover off=%v: %q under the merged word read back = %v", off, s, got)
			}
		}
		if got := hasWord(p, "bonnet"); got != off {
			t.Errorf("recover off=%v: the merged word kept = %v", off, got)
		}
	}
}

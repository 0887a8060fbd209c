package render

import (
	"fmt"
	"image"
	"os/exec"
	"strings"
	"testing"

	"github.com/pervichka/pervichka/corpus/sheet"
)

// Handwriting is blue ink near its baseline in the raster, different for
// different seeds, and absent from the PDF's text layer.
func TestHandwriting(t *testing.T) {
	hw := sheet.Handwriting{X: 30, Y: 60, Size: 4, S: "15.09.25", Seed: 3}
	img := Image(sheet.Sheet{W: 100, H: 100, Ops: []sheet.Op{hw}}, 300)
	k := 300 / mmPerInch
	box := image.Rect(int(25*k), int(50*k), int(70*k), int(66*k))
	blue, outside := 0, 0
	for y := img.Rect.Min.Y; y < img.Rect.Max.Y; y++ {
		for x := img.Rect.Min.X; x < img.Rect.Max.X; x++ {
			i := img.PixOffset(x, y)
			r, b := int(img.Pix[i]), int(img.Pix[i+2])
			if b > r+40 {
				if (image.Point{x, y}).In(box) {
					blue++
				} else {
					outside++
				}
			}
		}
	}
	if blue < 500 || outside > 0 {
		t.Errorf("handwriting: %d blue pixels by the baseline, %d elsewhere", blue, outside)
	}
	a, b := fmt.Sprint(handLayer(hw)), fmt.Sprint(handLayer(hw))
	hw.Seed = 4
	if a != b || a == fmt.Sprint(handLayer(hw)) {
		t.Error("handwriting is not drawn from its seed alone")
	}
	if l := handLayer(sheet.Handwriting{Size: -1, S: "x"}); l != nil {
		t.Error("negative size drew ink")
	}

	needTool(t, "pdftotext")
	path := writePDF(t, sheet.Document{Sheets: []sheet.Sheet{{W: 100, H: 100, Ops: []sheet.Op{
		sheet.Text{X: 10, Y: 20, Font: sheet.Font{Family: sheet.LiberationSans, Size: 10}, S: "Получил"}, hw}}}})
	out, err := exec.Command("pdftotext", path, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(out), "Получил") || strings.Contains(string(out), "15.09") {
		t.Errorf("text layer %q: want the printed word and no handwriting", out)
	}
}

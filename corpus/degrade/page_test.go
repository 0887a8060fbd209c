package degrade

import (
	"fmt"
	"image"
	"sync"

	"github.com/pervichka/pervichka/corpus/render"
	"github.com/pervichka/pervichka/corpus/sheet"
)

// marker is the colour of the bar across the top of test pages: no table,
// cloth or shadow is this red, so the bar can be found after a turn.
var marker = sheet.Color{R: 255}

// sheetPortrait is an A4 page of text lines with a red bar across the top
// (so orientation can be told after a turn) and a stamp near the bottom.
func sheetPortrait() sheet.Sheet {
	s := sheet.Sheet{W: sheet.A4Short, H: sheet.A4Long}
	s.Ops = append(s.Ops, sheet.Rect{X: 15, Y: 8, W: 180, H: 14, Fill: &marker})
	for i := range 36 {
		s.Ops = append(s.Ops, sheet.Text{X: 20, Y: 35 + float64(i)*6, Font: sheet.Font{Family: sheet.PTSans, Size: 10},
			S: fmt.Sprintf("Строка %d: ООО «Ромашка» ИНН 7701234567 сумма 12 345,67 руб.", i+1)})
	}
	s.Ops = append(s.Ops,
		sheet.Rect{X: 15, Y: 28, W: 180, H: 225, Width: 0.3},
		sheet.Stamp{CX: 150, CY: 260, R: 20, Ring: "ООО «Ромашка» * г. Москва *", Center: []string{"ИНН 7701234567"}})
	return s
}

// sheetLandscape is the same idea on a landscape A4 (счёт-фактура, УПД).
func sheetLandscape() sheet.Sheet {
	s := sheet.Sheet{W: sheet.A4Long, H: sheet.A4Short}
	s.Ops = append(s.Ops, sheet.Rect{X: 15, Y: 8, W: 267, H: 14, Fill: &marker})
	for i := range 25 {
		s.Ops = append(s.Ops, sheet.Text{X: 20, Y: 35 + float64(i)*6, Font: sheet.Font{Family: sheet.LiberationSans, Size: 9},
			S: fmt.Sprintf("%d | Товар %d | шт | 10 | 1 234,56 | 20%% | 12 345,60", i+1, i+1)})
	}
	return s
}

// Pages rendered once per test binary; rendering is cheap but not free.
var (
	pagesOnce                sync.Once
	portrait300, portrait100 image.Image
	landscape100             image.Image
)

func pages() (image.Image, image.Image, image.Image) {
	pagesOnce.Do(func() {
		portrait300 = render.Image(sheetPortrait(), 300)
		portrait100 = render.Image(sheetPortrait(), 100)
		landscape100 = render.Image(sheetLandscape(), 100)
	})
	return portrait300, portrait100, landscape100
}

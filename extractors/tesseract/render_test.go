package tesseract

import (
	"image"
	"image/color"
	"os"
	"sync"
	"testing"

	"golang.org/x/image/font"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"
)

const fontPath = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"

var (
	fontOnce sync.Once
	fontData *opentype.Font
	fontErr  error
)

func loadFont(t testing.TB) *opentype.Font {
	t.Helper()
	fontOnce.Do(func() {
		b, err := os.ReadFile(fontPath)
		if err != nil {
			fontErr = err
			return
		}
		fontData, fontErr = opentype.Parse(b)
	})
	if fontErr != nil {
		t.Fatalf("load %s: %v", fontPath, fontErr)
	}
	return fontData
}

// textLine is one line of text drawn at (x, baseline y) in pixels.
type textLine struct {
	x, y int
	pt   float64
	text string
}

// renderPage draws lines (and optional horizontal rules) black on white at
// dpi into a w×h gray image.
func renderPage(t testing.TB, w, h, dpi int, lines []textLine, rules [][4]int) *image.Gray {
	t.Helper()
	f := loadFont(t)
	img := image.NewGray(image.Rect(0, 0, w, h))
	for i := range img.Pix {
		img.Pix[i] = 255
	}
	faces := map[float64]font.Face{}
	for _, l := range lines {
		face, ok := faces[l.pt]
		if !ok {
			var err error
			face, err = opentype.NewFace(f, &opentype.FaceOptions{Size: l.pt, DPI: float64(dpi), Hinting: font.HintingFull})
			if err != nil {
				t.Fatal(err)
			}
			faces[l.pt] = face
		}
		d := font.Drawer{Dst: img, Src: image.NewUniform(color.Gray{0}), Face: face, Dot: fixed.P(l.x, l.y)}
		d.DrawString(l.text)
	}
	for _, r := range rules { // x0, y0, x1, y1 filled
		for y := r[1]; y < r[3]; y++ {
			for x := r[0]; x < r[2]; x++ {
				img.SetGray(x, y, color.Gray{0})
			}
		}
	}
	return img
}

// smallInvoice is a short Russian invoice header at 300 dpi, 12 pt: small
// enough for quick tests.
func smallInvoice(t testing.TB) *image.Gray {
	return renderPage(t, 1400, 420, 300, []textLine{
		{60, 90, 12, "Счёт на оплату № 142 от 20 марта 2024 г."},
		{60, 200, 12, "ИНН 7707083893 КПП 773601001"},
		{60, 310, 12, "Итого: 214 500,00"},
	}, nil)
}

// invoicePage is a full A4 page at dpi with the parts of a Russian invoice:
// header, parties, a table with rules, totals and the amount in words.
func invoicePage(t testing.TB, dpi int) *image.Gray {
	px := func(mm float64) int { return int(mm / 25.4 * float64(dpi)) }
	w, h := px(210), px(297)
	var lines []textLine
	add := func(xmm, ymm, pt float64, s string) {
		lines = append(lines, textLine{px(xmm), px(ymm), pt, s})
	}
	// The bank table every Russian invoice starts with: bank and payee on
	// the left, БИК and accounts in narrow cells on the right.
	var rules [][4]int
	hline := func(x0, x1, y float64) { rules = append(rules, [4]int{px(x0), px(y), px(x1), px(y) + 2}) }
	vline := func(x, y0, y1 float64) { rules = append(rules, [4]int{px(x), px(y0), px(x) + 2, px(y1)}) }
	hline(20, 190, 12)
	hline(20, 190, 22)
	hline(20, 115, 28)
	hline(20, 190, 42)
	vline(20, 12, 42)
	vline(115, 12, 42)
	vline(130, 12, 42)
	vline(190, 12, 42)
	vline(65, 22, 28)
	add(22, 16, 9, "ПАО СБЕРБАНК г. Москва")
	add(22, 21, 8, "Банк получателя")
	add(117, 16, 9, "БИК")
	add(132, 16, 9, "044525225")
	add(117, 21, 9, "Сч. №")
	add(132, 21, 9, "30101810400000000225")
	add(22, 26.5, 9, "ИНН 7707083893")
	add(67, 26.5, 9, "КПП 773601001")
	add(117, 26.5, 9, "Сч. №")
	add(132, 26.5, 9, "40702810938000012345")
	add(22, 33, 9, "ООО «Ромашка»")
	add(22, 40, 8, "Получатель")
	add(20, 52, 14, "Счёт на оплату № 142 от 20 марта 2024 г.")
	add(20, 62, 10, "Поставщик: ООО «Ромашка», 115093, г. Москва, ул. Люсиновская, д. 36")
	add(20, 70, 10, "Покупатель: АО «Вектор», ИНН 5032123457, КПП 503201001")
	add(20, 78, 10, "Основание: договор № 17/2024 от 10 января 2024 г.")
	rowY := 90.0
	rules = append(rules, [4]int{px(20), px(rowY - 6), px(190), px(rowY-6) + 3})
	add(21, rowY, 9, "№")
	add(30, rowY, 9, "Товары (работы, услуги)")
	add(120, rowY, 9, "Кол-во")
	add(140, rowY, 9, "Цена")
	add(165, rowY, 9, "Сумма")
	items := [][4]string{
		{"Бумага офисная А4, 500 листов", "100", "350,00", "35 000,00"},
		{"Картридж HP CF259X", "10", "12 500,00", "125 000,00"},
		{"Папка-регистратор 75 мм", "50", "290,00", "14 500,00"},
		{"Доставка по Москве", "1", "40 000,00", "40 000,00"},
	}
	for i, it := range items {
		y := rowY + 8*float64(i+1)
		rules = append(rules, [4]int{px(20), px(y - 6), px(190), px(y-6) + 2})
		add(21, y, 9, string(rune('1'+i)))
		add(30, y, 9, it[0])
		add(122, y, 9, it[1])
		add(138, y, 9, it[2])
		add(163, y, 9, it[3])
	}
	end := rowY + 8*float64(len(items)) + 3
	rules = append(rules, [4]int{px(20), px(end), px(190), px(end) + 3})
	add(130, end+10, 10, "Итого: 214 500,00")
	add(130, end+17, 10, "В том числе НДС 20%: 35 750,00")
	add(20, end+30, 10, "Всего наименований 4, на сумму 214 500,00 руб.")
	add(20, end+37, 10, "Двести четырнадцать тысяч пятьсот рублей 00 копеек")
	add(20, end+55, 10, "Руководитель ______________ Иванов И. И.     Бухгалтер ______________ Петрова А. С.")
	return renderPage(t, w, h, dpi, lines, rules)
}

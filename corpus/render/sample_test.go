package render

import "github.com/pervichka/pervichka/corpus/sheet"

// sampleSheet is a short invoice-like page exercising every op and every
// family, with a stamp over the signature line as on a real invoice.
func sampleSheet(fam sheet.Family) sheet.Sheet {
	f := func(size float64, bold bool) sheet.Font { return sheet.Font{Family: fam, Size: size, Bold: bold} }
	ops := []sheet.Op{
		sheet.Text{X: 20, Y: 20, Font: f(9, false), S: "ООО «Ромашка», ИНН 7701234567, КПП 770101001"},
		sheet.Text{X: 20, Y: 40, W: 170, Align: sheet.Center, Font: f(14, true), S: "Счёт на оплату № 123 от 15 января 2026 г."},
		sheet.Line{X1: 20, Y1: 43, X2: 190, Y2: 43, Width: 0.5},
		sheet.Rect{X: 20, Y: 50, W: 170, H: 30, Width: 0.2},
		sheet.Rect{X: 20, Y: 50, W: 170, H: 6, Width: 0.2, Fill: &sheet.Color{R: 230, G: 230, B: 230}},
		sheet.Line{X1: 30, Y1: 50, X2: 30, Y2: 80, Width: 0.2},
		sheet.Text{X: 21, Y: 54.5, Font: f(8, true), S: "№"},
		sheet.Text{X: 31, Y: 54.5, Font: f(8, true), S: "Товары (работы, услуги)"},
		sheet.Text{X: 21, Y: 61, Font: f(8, false), S: "1"},
		sheet.Text{X: 31, Y: 61, Font: sheet.Font{Family: fam, Size: 8, Italic: true}, S: "Бумага офисная А4, 500 листов"},
		sheet.Text{X: 150, Y: 61, W: 38, Align: sheet.Right, Font: f(8, false), S: "12 345,67"},
		sheet.Text{X: 20, Y: 90, Font: f(10, true), S: "Итого к оплате: 12 345,67 руб."},
		sheet.Text{X: 20, Y: 130, Font: f(10, false), S: "Руководитель"},
		sheet.Line{X1: 50, Y1: 131, X2: 90, Y2: 131, Width: 0.2},
		sheet.Signature{X: 52, Y: 120, W: 35, H: 12, Seed: 42, Color: sheet.Blue},
		sheet.Text{X: 92, Y: 130, Font: f(10, false), S: "Иванов И. И."},
		sheet.Stamp{CX: 75, CY: 128, R: 20, Angle: -12, Ring: "Общество с ограниченной ответственностью «Ромашка» * г. Москва *",
			Center: []string{"ИНН 7701234567", "ОГРН 1027700132195"}, Color: sheet.Blue},
	}
	return sheet.Sheet{W: sheet.A4Short, H: sheet.A4Long, Ops: ops}
}

package fields

import (
	"testing"

	pervichka "github.com/pervichka/pervichka"
	"github.com/pervichka/pervichka/extractors/ruvalid"
)

func TestItemUnitAndYear(t *testing.T) {
	units := []struct{ printed, code, want string }{
		{"шт", "796", "шт"},
		{"Шт.", "", "Шт."},
		{"ит", "", "шт"},    // one letter off, unambiguous
		{"ar", "796", "шт"}, // unreadable unit, readable ОКЕИ code
		{"ab", "", "ab"},    // nothing to go on: as printed
		{"ar", "", "ar"},    // nothing to go on: as printed
		{"wr", "", "шт"},    // Latin look-alikes of «шт»
		{"kr", "", "кг"},    // Latin look-alikes of «кг»
		{"Kr", "166", "кг"},
		{"", "796", "шт"},     // the code alone
		{"166", "", "кг"},     // the code alone, in the unit's column
		{"999", "", "999"},    // no code known: as printed
		{"", "мес.", "мес."},  // a unit printed in the code's column
		{"мес", "362", "мес"}, // known spelling kept as printed
		{"м", "166", "кг"},    // a unit the code beside it does not name
		{"м", "006", "м"},
		{"", "", ""},
	}
	for _, u := range units {
		if got := itemUnit(u.printed, u.code); got != u.want {
			t.Errorf("itemUnit(%q, %q) = %q, want %q", u.printed, u.code, got, u.want)
		}
	}
	names := []struct{ in, want string }{
		{"Услуги за август 2026г", "Услуги за август 2026 г."},
		{"Услуги за август 2026 г", "Услуги за август 2026 г."},
		{"Услуги за август 2026 г.", "Услуги за август 2026 г."},
		{"Гвозди 2026 гр", "Гвозди 2026 гр"},
		{"Модель 12026г", "Модель 12026г"},
		{"Аренда (май 2026г), склад", "Аренда (май 2026 г.), склад"},
	}
	for _, n := range names {
		if got := yearSuffix.ReplaceAllString(n.in, "$1 г.$2"); got != n.want {
			t.Errorf("year in %q → %q, want %q", n.in, got, n.want)
		}
	}
}

// A ТОРГ-12 heads the unit and its ОКЕИ code with one «Единица
// измерения», and one cell takes both: the row's unit is the word and its
// code the digits, whichever cell held them.
func TestUnitWithCodeInOneCell(t *testing.T) {
	tok := func(s string) token { return token{text: s, key: wordKey(s)} }
	for _, tc := range []struct {
		name             string
		unit, code       []string
		wantUnit, wantCd string
	}{
		{"both in the code's cell", nil, []string{"упак", "778"}, "упак", "778"},
		{"both in the unit's cell", []string{"шт", "796"}, nil, "шт", "796"},
		{"code first", []string{"006", "м"}, nil, "м", "006"},
		{"a known unit beside no code's digits", nil, []string{"упак", "123"}, "упак", ""},
		{"a misread code in the unit's cell", []string{"шт", "795"}, nil, "шт", ""},
		// Both misread (study seed 10241's realistic ТОРГ-12 015).
		{"a misread unit and code", []string{"‘упая", "718"}, nil, "упак", ""},
		{"a Latin-twin unit and a misread code", []string{"wt", "795"}, nil, "шт", ""},
		{"a word two letters off stays", []string{"ynxy", "718"}, nil, "ynxy 718", ""},
		{"an unknown word beside no code stays as printed", nil, []string{"абв", "123"}, "абв 123", ""},
		{"garbled unit named by its code", nil, []string{"Kr", "166"}, "кг", "166"},
		// A mark for a short unit (seed 9991's realistic ТОРГ-12 004),
		// another short unit the code does not name.
		{"a mark named by its code", []string{"=", "166"}, nil, "кг", "166"},
		{"another short unit named by its code", []string{"ч", "006"}, nil, "м", "006"},
		{"a long word is no unit", nil, []string{"Утеплитель", "166"}, "Утеплитель 166", ""},
		{"two cells as usual", []string{"кг"}, []string{"166"}, "кг", "166"},
		// The name's first word in the unit's cell (9841's realistic
		// УПД 011, its column numbers garbled).
		{"a name's word before unit and code", []string{"Средство", "796", "шт"}, nil, "шт", "796"},
		{"a name's word before code and garbled unit", []string{"Betoun", "166", "к"}, nil, "кг", "166"},
	} {
		cells := map[colKind][]token{colName: {tok("Цемент")}, colQty: {tok("2")}, colPrice: {tok("10,00")}, colAmount: {tok("20,00")}}
		for _, w := range tc.unit {
			cells[colUnit] = append(cells[colUnit], tok(w))
		}
		for _, w := range tc.code {
			cells[colUnitCode] = append(cells[colUnitCode], tok(w))
		}
		r, ok := parseRow(cells, 1, 40)
		if !ok || string(r.item.Unit) != tc.wantUnit || string(r.item.UnitCode) != tc.wantCd {
			t.Errorf("%s: unit %q code %q (ok %v), want %q %q", tc.name, r.item.Unit, r.item.UnitCode, ok, tc.wantUnit, tc.wantCd)
		}
	}
}

// A word in the code's cell beside a unit cell holding both unit and code
// («АРС | 796 шт», 9841's realistic счёт-фактура 015, its columns placed by
// marks OCR lost) is the name's last word on its line.
func TestNameWordInCodeCell(t *testing.T) {
	tok := func(s string, x, y int) token {
		return token{text: s, key: wordKey(s), box: pervichka.Rect{X0: x, Y0: y, X1: x + 20*len([]rune(s)), Y1: y + 40}}
	}
	cells := map[colKind][]token{
		colName:     {tok("Источник", 0, 0), tok("питания", 200, 0), tok("Back-UPS", 0, 60)},
		colUnitCode: {tok("АРС", 400, 0)},
		colUnit:     {tok("796", 500, 0), tok("шт", 580, 0)},
		colQty:      {tok("6", 700, 0)}, colPrice: {tok("10,00", 800, 0)}, colAmount: {tok("60,00", 900, 0)},
	}
	r, ok := parseRow(cells, 1, 40)
	if !ok || r.item.Name != "Источник питания АРС Back-UPS" || r.item.Unit != "шт" || r.item.UnitCode != "796" {
		t.Errorf("name %q unit %q code %q (ok %v)", r.item.Name, r.item.Unit, r.item.UnitCode, ok)
	}
}

// TestArithTableKeepsLines: a wrapped name appended to a row read by
// arithmetic must not write over the row's own line, whose tokens the
// row's name shares.
func TestArithTableKeepsLines(t *testing.T) {
	t.Parallel()
	lines := buildLines([]pervichka.Page{pageOf(
		"1 @4 Бумага офисная @30 10 @34 упак @40 450,00 @50 4 500,00",
		"@4 белая",
		"@40 Итого: @50 4 500,00",
	)})
	before := lines[0].text()
	tab := arithTable(lines, 0, pervichka.DocInvoice)
	if len(tab.rows) != 1 || tab.rows[0].item.Name != "Бумага офисная белая" {
		t.Fatalf("rows %+v", tab.rows)
	}
	if after := lines[0].text(); after != before {
		t.Errorf("the row's line was %q, is %q", before, after)
	}
}

// A row read by arithmetic takes its unit as the column reader does:
// Latin look-alikes of a unit («kr», seed 9201's scanned ТОРГ-12) are the
// unit itself.
func TestArithTableUnit(t *testing.T) {
	t.Parallel()
	lines := buildLines([]pervichka.Page{pageOf(
		"1 @4 Арматура А500С д. 12 мм @30 491 @36 kr @40 63,31 @50 31 085,21",
		"@40 Итого: @50 31 085,21",
	)})
	tab := arithTable(lines, 0, pervichka.DocInvoice)
	if len(tab.rows) != 1 || tab.rows[0].item.Unit != "кг" || tab.rows[0].item.Name != "Арматура А500С д. 12 мм" {
		t.Fatalf("rows %+v", tab.rows)
	}
}

// TestRowVATFromGross proves that repairRow's VAT of a row, once computed
// inline as (amount×r + (100+r)/2) / (100+r), is ruvalid.VATFromGross for
// every amount a row can hold: amounts are never negative (the amount
// reader takes no sign) and a rate is one or two digits (rateRe). The one
// difference is past the int64 range of amount×r (amounts over 9.3·10¹⁶
// kopecks at a rate over 92 %), where the inline form overflowed and
// VATFromGross, which splits the amount first, does not.
func TestRowVATFromGross(t *testing.T) {
	inline := func(a pervichka.Kopecks, r int) pervichka.Kopecks {
		return pervichka.Kopecks((int64(a)*int64(r) + int64(100+r)/2) / int64(100+r))
	}
	const maxAmount = pervichka.Kopecks(99_999_999_999_999_999) // ParseKopecks: at most 15 whole digits
	for r := 1; r <= 99; r++ {
		amounts := []pervichka.Kopecks{maxAmount, maxAmount - 1, pervichka.Kopecks((1<<63 - 1 - int64(100+r)/2) / int64(r))}
		for a := range pervichka.Kopecks(30_000) {
			amounts = append(amounts, a)
		}
		// Amounts whose exact VAT ends in half a kopeck, and their
		// neighbours: where half-up rounding could go either way.
		for k := int64(1); k < 2_000_000_000; k = k*7 + 3 {
			half := pervichka.Kopecks((2*k + 1) * int64(100+r))
			if int64(half)%int64(2*r) == 0 {
				half /= pervichka.Kopecks(2 * r)
				amounts = append(amounts, half-1, half, half+1)
			}
			amounts = append(amounts, pervichka.Kopecks(k), pervichka.Kopecks(k*int64(100+r)))
		}
		for _, a := range amounts {
			if a < 0 || a > maxAmount || int64(a) > (1<<63-1-int64(100+r)/2)/int64(r) {
				continue // past int64 in the inline form
			}
			if got, want := ruvalid.VATFromGross(a, r), inline(a, r); got != want {
				t.Fatalf("VATFromGross(%d, %d) = %d, inline %d", a, r, got, want)
			}
		}
	}
}

// A unit cell that took the quantity, the cell's border read as «|»
// between them («2|шт», seed 9201's realistic bill 005), gives the row
// both when the quantity's own cell is empty.
func TestQuantityGluedToUnit(t *testing.T) {
	tok := func(s string) token { return token{text: s, key: wordKey(s)} }
	for _, tc := range []struct {
		qty, unit         []string
		wantQty, wantUnit string
	}{
		{nil, []string{"2|шт"}, "2", "шт"},
		{nil, []string{"2,5|кг"}, "2.5", "кг"},
		{[]string{"3"}, []string{"2|шт"}, "3", "2|шт"}, // the quantity's cell decides
		{nil, []string{"2|абв"}, "2", "2|абв"},         // no unit after the border: the cell stays (the quantity is the row's arithmetic)
		{nil, []string{"З|шт"}, "3", "шт"},             // the digit read as its look-alike letter (seed 9301's scan 014)
		{nil, []string{"Ж|шт"}, "2", "Ж|шт"},           // no look-alike: the cell stays
	} {
		cells := map[colKind][]token{colName: {tok("Калькулятор")}, colPrice: {tok("10,00")}, colAmount: {tok("20,00")}}
		for _, w := range tc.qty {
			cells[colQty] = append(cells[colQty], tok(w))
		}
		for _, w := range tc.unit {
			cells[colUnit] = append(cells[colUnit], tok(w))
		}
		r, ok := parseRow(cells, 1, 40)
		if !ok || string(r.item.Quantity) != tc.wantQty || string(r.item.Unit) != tc.wantUnit {
			t.Errorf("%v %v: quantity %q unit %q (ok %v), want %q %q", tc.qty, tc.unit, r.item.Quantity, r.item.Unit, ok, tc.wantQty, tc.wantUnit)
		}
	}
}

// Two words OCR reads in Latin in a Russian item name are put back; a
// Latin word that may be printed so stays.
func TestMendNameWords(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"Услуги no хранению товаров за декабрь 2022 r.", "Услуги по хранению товаров за декабрь 2022 г."},
		{"Аренда помещения за март 2025 r., арт. 65825", "Аренда помещения за март 2025 г., арт. 65825"},
		{"Кабель UTP no 3 м", "Кабель UTP no 3 м"},         // «no» not between Russian words
		{"Yes no maybe", "Yes no maybe"},                   // no Russian at all
		{"Саморез по металлу", "Саморез по металлу"},       // nothing to mend
		{"Плата r. 2025 ревизия", "Плата r. 2025 ревизия"}, // «r.» not after a year
		// «г.» read as one other mark after a month and year, at the end
		// (9841's realistic act 005).
		{"Услуги по бухгалтерскому учету за март 2024 т", "Услуги по бухгалтерскому учету за март 2024 г."},
		{"Услуги по налоговой отчетности за март 2024 ‹", "Услуги по налоговой отчетности за март 2024 г."},
		{"Аренда за Май 2024 <", "Аренда за Май 2024 г."},
		{"Услуги хостинга за сентябрь 2026 1.", "Услуги хостинга за сентябрь 2026 г."},
		{"Услуги по уборке за март 2023 1", "Услуги по уборке за март 2023 г."},
		{"Болт М12 2026 1", "Болт М12 2026 1"},                             // no month
		{"Щебень 2024 т", "Щебень 2024 т"},                                 // no month: tonnes, perhaps
		{"Услуги за март 2024 т, арт. 5", "Услуги за март 2024 т, арт. 5"}, // not at the end
		// A comma read as a full stop after a whole word; an
		// abbreviation's stop stays.
		{"Мыло жидкое. 5 л", "Мыло жидкое, 5 л"},
		{"Ветошь обтирочная. арт. 90909", "Ветошь обтирочная, арт. 90909"},
		{"Скобы для степлера, 1000 шт. арт. 07270", "Скобы для степлера, 1000 шт. арт. 07270"},
		{"Кабель UTP кат. 5е", "Кабель UTP кат. 5е"},
		{"Бумага офисная. Формат А4", "Бумага офисная. Формат А4"},
	} {
		if got := mendNameWords(tc.in); got != tc.want {
			t.Errorf("mendNameWords(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// A text layer's name is the print: nothing is mended there.
func TestMendNameWordsOCROnly(t *testing.T) {
	lines := []string{
		"^АКТ ^№ ^1836 от 8 февраля 2023 г.",
		"Исполнитель: ООО «Ромашка», ИНН 7810109760, КПП 781001001",
		"№ @4 Наименование @40 Ед. @45 Кол-во @53 Цена, @65 Сумма,",
		"1 @4 Услуги no хранению за 2023 r. @40 час @45 2 @53 1000.00 @65 2000.00",
		"Итого: 2000,00",
	}
	for _, tc := range []struct {
		conf float64
		want string
	}{
		{0.95, "Услуги по хранению за 2023 г."},
		{1, "Услуги no хранению за 2023 r."},
	} {
		res := Extract(t.Context(), []pervichka.Page{pageScaled(1, tc.conf, lines...)}, Config{}, nil)
		if len(res.Items) != 1 || string(res.Items[0].Name) != tc.want {
			t.Errorf("conf %.2f: items %+v, want the name %q", tc.conf, res.Items, tc.want)
		}
	}
}

// The mark OCR made of a cell's corner, glued to a name's first word, is
// dropped; a name that starts so in print is kept.
func TestTrimNameRule(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"ГБумага туалетная двухслойная", "Бумага туалетная двухслойная"},
		{"ГМешки для мусора 120 л", "Мешки для мусора 120 л"},
		{`"Перчатки нитриловые, размер М`, "Перчатки нитриловые, размер М"},
		{`"Ромашка" набор`, `"Ромашка" набор`},         // a pair of quotes is print
		{"ГКЧП-сувенир", "ГКЧП-сувенир"},               // capitals after «Г»: an abbreviation
		{"Гвозди строительные", "Гвозди строительные"}, // a word starting with «Г»
		{`"1С:Бухгалтерия»`, `"1С:Бухгалтерия»`},       // no capital after the quote
		{"Г", "Г"},
	} {
		if got := trimNameRule(tc.in); got != tc.want {
			t.Errorf("trimNameRule(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// A row whose quantity and price drifted out of their columns (the lower
// rows of a tilted photo: study seed 10241's realistic bill 010) gets them
// from two of its figures whose product is its amount; not when no pair
// or two pairs give it.
func TestQuantityPriceByProduct(t *testing.T) {
	t.Parallel()
	tok := func(s string) token { return token{text: s, key: wordKey(s), conf: 0.9, box: pervichka.Rect{Y1: 20}} }
	for _, tc := range []struct {
		name  string
		other []string
		wantQ string
		wantP string
	}{
		{"drifted", []string{"бр", "28.000", "146,89"}, "28", "146.89"},
		{"no pair gives it", []string{"бр", "27.000", "146,89"}, "", ""},
		{"two pairs give it", []string{"28.000", "146,89", "28", "146,89"}, "", ""},
	} {
		cells := map[colKind][]token{colName: {tok("Тетрадь")}, colAmount: {tok("4"), tok("112,92")}}
		for _, w := range tc.other {
			cells[colOther] = append(cells[colOther], tok(w))
		}
		r, ok := parseRow(cells, 1, 20)
		if !ok || string(r.item.Quantity) != tc.wantQ || string(r.item.Price) != tc.wantP {
			t.Errorf("%s: quantity %q price %q (ok %v), want %q %q", tc.name, r.item.Quantity, r.item.Price, ok, tc.wantQ, tc.wantP)
		}
	}
}

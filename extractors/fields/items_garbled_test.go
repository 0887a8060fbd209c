package fields

import (
	"slices"
	"testing"

	pervichka "github.com/pervichka/pervichka"
)

// A row whose figures a fold or a stamp garbled is a row of its own, not
// the next line of the name above it: the rows after it keep their places
// (seed 9701's scanner-app bill 004), while a wrapped name's next line,
// and one whose row's figures come with it, still joins its row.
func TestGarbledRowKeepsItsPlace(t *testing.T) {
	t.Parallel()
	head := []string{
		"^Счет-оферта ^№ ^УТ-12 от 3 июня 2025 г.",
		"Продавец: ООО «Ромашка», ИНН 7810109760, КПП 781001001",
		"Назначение @20 Предоплата за товары по счету УТ-12 @70 НДС не облагается",
		"Оплата принимается только с расчетного счета Покупателя.",
		"Покупатель: АО «Спектр», ИНН 7446628853, КПП 744601001",
		"Товары и услуги @40 Срок @48 Кол-во @56 Ед. @62 Цена, @72 Сумма,",
	}
	for _, tc := range []struct {
		name string
		rows []string
		want []pervichka.Item
	}{{
		name: "garbled figures",
		rows: []string{
			"Масло подсолнечное, 1 л @40 18 рд @48 56,000 @56 шт @62 116,10 @72 6501,60",
			"Хлеб пшеничный формовой, 500 г @40 op @48 34,uuu @56 шт @62 ем @72 = ru",
			"Сахар-песок @40 4 рд @48 163,128 @56 кг @62 67,50 @72 11011,14",
		},
		want: []pervichka.Item{
			{Name: "Масло подсолнечное, 1 л", Quantity: "56", Unit: "шт", Price: "116.10", Amount: "6501.60"},
			{Name: "Хлеб пшеничный формовой, 500 г", Unit: "шт"},
			{Name: "Сахар-песок", Quantity: "163.128", Unit: "кг", Price: "67.50", Amount: "11011.14"},
		},
	}, {
		name: "wrapped name",
		rows: []string{
			"Масло подсолнечное @40 18 рд @48 56,000 @56 шт @62 116,10 @72 6501,60",
			"рафинированное, 1 л",
			"Сахар-песок @40 4 рд @48 163,128 @56 кг @62 67,50 @72 11011,14",
		},
		want: []pervichka.Item{
			{Name: "Масло подсолнечное рафинированное, 1 л", Quantity: "56", Unit: "шт", Price: "116.10", Amount: "6501.60"},
			{Name: "Сахар-песок", Quantity: "163.128", Unit: "кг", Price: "67.50", Amount: "11011.14"},
		},
	}, {
		name: "wrapped name, a capital and a stray mark",
		rows: []string{
			"Масло подсолнечное @40 18 рд @48 56,000 @56 шт @62 116,10 @72 6501,60",
			"Рафинированное, 1 л @62 =",
			"Сахар-песок @40 4 рд @48 163,128 @56 кг @62 67,50 @72 11011,14",
		},
		want: []pervichka.Item{
			{Name: "Масло подсолнечное Рафинированное, 1 л", Quantity: "56", Unit: "шт", Price: "116.10", Amount: "6501.60"},
			{Name: "Сахар-песок", Quantity: "163.128", Unit: "кг", Price: "67.50", Amount: "11011.14"},
		},
	}} {
		lines := append(append(append([]string{}, head...), tc.rows...), "Итого: 20061,54")
		res := Extract(t.Context(), []pervichka.Page{pageScaled(1, 0.95, lines...)}, Config{}, nil)
		checkItems(t, tc.name, res.Items, tc.want)
	}
}

// The right end of a row dropped onto its name's second line (a bent
// sheet, seed 9701's realistic УПД 011) is still that row: its figures
// fill the columns the row lacks. A line whose name starts a new word
// with a capital, or whose figures repeat a column the row has, is the
// next row whose number OCR lost.
func TestWrappedRowFillsGaps(t *testing.T) {
	t.Parallel()
	col := func(k colKind, lo, hi int) column { return column{kind: k, lo: lo * charW, hi: hi * charW} }
	cols := []column{
		col(colNo, -1<<20, 5), col(colName, 5, 40), col(colQty, 40, 50), col(colPrice, 50, 60),
		col(colNet, 60, 70), col(colVAT, 70, 80), col(colAmount, 80, 1<<20),
	}
	for _, tc := range []struct {
		name  string
		lines []string
		want  []pervichka.Item
	}{{
		name: "amount on the second line",
		lines: []string{
			"@2 12 @6 Бумага для заметок с клеевым @41 11,000 @51 103,52 @61 1138,77",
			"@6 краем 76х76 мм, арт. 52171 @71 227,76 @81 1366,53",
			"@2 13 @6 Калькулятор настольный @41 5,000 @51 1301,67 @61 6508,33 @71 1301,67 @81 7810,00",
		},
		want: []pervichka.Item{
			{Name: "Бумага для заметок с клеевым краем 76х76 мм, арт. 52171", Quantity: "11", Price: "103.52", Amount: "1366.53", VATAmount: "227.76"},
			{Name: "Калькулятор настольный", Quantity: "5", Price: "1301.67", Amount: "7810.00", VATAmount: "1301.67"},
		},
	}, {
		name: "a new row, its number lost",
		lines: []string{
			"@2 12 @6 Бумага для заметок @41 11,000 @51 103,52 @61 1138,77",
			"@6 Краска белая @41 2,000 @51 50,00 @61 100,00 @71 20,00 @81 120,00",
		},
		want: []pervichka.Item{
			{Name: "Бумага для заметок", Quantity: "11", Price: "103.52"},
			{Name: "Краска белая", Quantity: "2", Price: "50.00", Amount: "120.00", VATAmount: "20.00"},
		},
	}, {
		// The row of column numbers garbled past mapping columns by,
		// repeated over the rows of a next page (9801's realistic
		// счёт-фактура 014): no row of goods.
		name: "a garbled row of column numbers",
		lines: []string{
			"@2 12 @6 Краска белая @41 2,000 @51 50,00 @61 100,00 @71 20,00 @81 120,00",
			"@2 1 @7 16 @12 г @17 2 @22 3 @27 4 @32 5 @37 ‘ @42 7 @47 ‘ @52 , @57 ю @62 12а @67 и @72 3 @77 in @82 u",
			"@2 13 @6 Калькулятор настольный @41 5,000 @51 1301,67 @61 6508,33 @71 1301,67 @81 7810,00",
		},
		want: []pervichka.Item{
			{Name: "Краска белая", Quantity: "2", Price: "50.00", Amount: "120.00", VATAmount: "20.00"},
			{Name: "Калькулятор настольный", Quantity: "5", Price: "1301.67", Amount: "7810.00", VATAmount: "1301.67"},
		},
	}} {
		ls := buildLines([]pervichka.Page{pageScaled(1, 0.95, tc.lines...)})
		rows, _ := readRows(ls, 0, cols, pervichka.DocUPD)
		var items []pervichka.Item
		for _, r := range rows {
			items = append(items, r.item)
		}
		checkItems(t, tc.name, items, tc.want)
	}
}

// A УПД's heading that OCR set out over many lines still ends at its row
// of column numbers, however far below the line that names the columns:
// seed 9701's scanner-app УПД 011 had it 17 lines down, and its heading
// ended at «— всего», losing the rows of its second page.
func TestTallHeadingNumberRow(t *testing.T) {
	t.Parallel()
	for _, filler := range []int{3, 17, 22} {
		ls := []string{"@4 Код @10 № @20 Наименование товара @50 Код @56 Единица @62 Количество @70 Цена @80 Стоимость @98 Налоговая @104 Сумма налога @112 Стоимость"}
		for i := range filler {
			if i == 4 {
				ls = append(ls, "@80 — всего @112 — всего")
				continue
			}
			ls = append(ls, "@20 выполненных работ @56 измерения @80 услуг")
		}
		ls = append(ls,
			"@4 А @10 1 @20 1а @44 1б @50 2 @56 2а @62 3 @70 4 @80 5 @90 6 @98 7 @104 8 @112 9",
			"@10 1 @20 Скобы для степлера @50 778 @56 упак @62 2,000 @70 44,69 @80 89,38 @90 без @98 20% @104 17,88 @112 107,26",
		)
		res := tableAt(buildLines([]pervichka.Page{pageOf(ls...)}), 0, pervichka.DocUPD)
		if len(res.rows) != 1 || res.rows[0].item.Name != "Скобы для степлера" || res.rows[0].item.Amount != "107.26" {
			t.Errorf("%d heading lines: rows %+v", filler+1, res.rows)
		}
	}
}

// A scanner app's dark border read as a line of marks and a letter or two
// at no confidence is debris, whatever confidence its lone dash has: it
// does not end a table that goes on over the page (seed 9601's УПД 003).
func TestDebrisLineOfMarks(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		line   string
		debris bool
	}{
		{"—ы—ы—ыЫыы—ж—ж—ыы—ы—зэ—_—=—=——~0.0 @60 —~0.76", true},
		{"— @30 _ @60 —", true},
		{"рафинированное, 1 л, арт. 05939~0.8", false},
		{"Итого~0.2 @60 1 000,00~0.2", false}, // money is never debris
	} {
		ls := buildLines([]pervichka.Page{pageScaled(1, 0.9, tc.line)})
		if got := debrisLine(&ls[0]); got != tc.debris {
			t.Errorf("%q: debris %v, want %v", tc.line, got, tc.debris)
		}
	}
}

// checkItems compares the items read with those wanted: their count, and
// each one's name, quantity, unit, price, amount and VAT.
func checkItems(t *testing.T, label string, got, want []pervichka.Item) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d items, want %d: %+v", label, len(got), len(want), got)
	}
	for i, w := range want {
		g := got[i]
		if g.Name != w.Name || g.Quantity != w.Quantity || g.Unit != w.Unit || g.Price != w.Price || g.Amount != w.Amount || g.VATAmount != w.VATAmount {
			t.Errorf("%s: item %d = %+v, want %+v", label, i, g, w)
		}
	}
}

// A row number joined to the article after it by the rule between them
// read as «]» or «|» («1]28-0120-2», real-dev's photo 18-12-16) still
// starts its row when the row's name, set left of its centred heading,
// falls in the article's column: nothing else tells the row's start.
func TestRowNumberJoinedToArticle(t *testing.T) {
	t.Parallel()
	cols := []column{
		{kind: colNo, lo: -1 << 20, hi: 3 * charW},
		{kind: colOther, lo: 3 * charW, hi: 20 * charW, text: "артикул"},
		{kind: colName, lo: 20 * charW, hi: 50 * charW},
		{kind: colQty, lo: 50 * charW, hi: 58 * charW},
		{kind: colUnit, lo: 58 * charW, hi: 64 * charW},
		{kind: colPrice, lo: 64 * charW, hi: 74 * charW},
		{kind: colAmount, lo: 74 * charW, hi: 1 << 20},
	}
	lines := []string{
		"@1 1]28-0120-2 @14 РЕХАМТ @52 1 @59 упак @65 210,13 @75 210,13",
		"@1 2|28-0020-2 @14 REXANT @52 100 @59 м @65 12,36 @75 1 236,00",
		"@1 3|54769 @14 ПЛАСТИК @52 1 @59 шт @65 868,42 @75 868,42",
		"@1 5|1234 @14 ЗАМОК @52 1 @59 шт @65 100,00 @75 100,00",
	}
	ls := buildLines([]pervichka.Page{pageScaled(1, 0.95, lines...)})
	rows, _ := readRows(ls, 0, cols, pervichka.DocInvoice)
	var got []string
	for _, r := range rows {
		got = append(got, string(r.item.Quantity)+"×"+string(r.item.Price)+"="+string(r.item.Amount))
	}
	// The fourth row's «5» is not the next number: it stays joined, and
	// the row is the third's continuation, its figures not taken.
	want := []string{"1×210.13=210.13", "100×12.36=1236.00", "1×868.42=868.42"}
	if !slices.Equal(got, want) {
		t.Errorf("rows %v, want %v", got, want)
	}
}

package fields

import (
	"slices"
	"testing"

	pervichka "github.com/pervichka/pervichka"
)

func TestRepairConfusedDigits(t *testing.T) {
	t.Parallel()
	row := func(q, p, a, vat string, rate int) itemRow {
		r := itemRow{item: pervichka.Item{Quantity: pervichka.Text(q), Price: pervichka.Text(p)}, rate: rate, conf: 0.9}
		if a != "" {
			r.amount, _ = pervichka.ParseKopecks(a)
			r.hasAmt = true
			r.item.Amount = pervichka.Text(a)
		}
		if vat != "" {
			r.vat, _ = pervichka.ParseKopecks(vat)
			r.hasVAT = true
			r.item.VATAmount = pervichka.Text(vat)
		}
		return r
	}
	for _, tc := range []struct {
		name         string
		in           itemRow
		net          bool
		q, p, a, vat string
		confused     bool
	}{
		{"price 3 read as 5", row("2", "9521.05", "18642.10", "", 0), true, "2", "9321.05", "18642.10", "", true},
		{"amount 6 read as 5, VAT follows", row("14", "192.43", "2694.02", "", 0), true, "14", "192.43", "2694.02", "", false},
		{"amount 6 read as 5", row("14", "192.43", "2594.02", "", 0), true, "14", "192.43", "2694.02", "", true},
		{"VAT 3 read as 5", row("57", "2329.63", "132788.91", "22151.49", 20), true, "57", "2329.63", "132788.91", "22131.49", true},
		{"q=1: price or amount, no VAT to decide", row("1", "4086.84", "4085.84", "", 0), true, "1", "4086.84", "4085.84", "", false},
		{"q=1: the VAT decides", row("1", "4086.84", "4085.84", "681.14", 20), true, "1", "4086.84", "4086.84", "681.14", true},
		{"two digits off: left for the clerk", row("2", "9521.05", "18642.16", "", 0), true, "2", "9521.05", "18642.16", "", false},
		{"amount with tax (счёт-фактура): no product check", row("2", "9521.05", "18642.10", "", 0), false, "2", "9521.05", "18642.10", "", false},
	} {
		r := tc.in
		repairConfusedDigits(&r, tc.net)
		got := []pervichka.Text{r.item.Quantity, r.item.Price, r.item.Amount, r.item.VATAmount}
		want := []pervichka.Text{pervichka.Text(tc.q), pervichka.Text(tc.p), pervichka.Text(tc.a), pervichka.Text(tc.vat)}
		for i := range got {
			if got[i] != want[i] {
				t.Errorf("%s: got %v, want %v", tc.name, got, want)
				break
			}
		}
		if r.confused != tc.confused || (r.confused && !r.repaired) {
			t.Errorf("%s: confused=%v repaired=%v, want confused=%v", tc.name, r.confused, r.repaired, tc.confused)
		}
	}
}

func TestInferQuantity(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		p, a, wantQ, wantA string
		net                bool
	}{
		{"955.00", "29605.00", "31", "29605.00", true},
		{"98.63", "22142.44", "224.5", "22142.44", true}, // 224.5 × 98.63 = 22142.435
		{"1270.63", "6355.15", "5", "6353.15", true},     // «$» for 5 and the amount's 3 read as 5
		{"157.40", "18.89", "", "18.89", true},           // 0.12: below one, too easy a fit
		{"1.00", "7.50", "", "7.50", true},               // 7.5 and 7.499 … 7.504 all fit: not unique
		{"955.00", "29605.00", "31", "29605.00", false},  // the amount without tax of a счёт-фактура
		{"1270.63", "6355.15", "", "6355.15", false},     // no digit repair there: that figure is not output
		{"3190.80", "79770.01", "", "79770.01", true},    // fits nothing
	} {
		r := itemRow{item: pervichka.Item{Price: pervichka.Text(tc.p), Amount: pervichka.Text(tc.a)}, hasAmt: true}
		r.amount, _ = pervichka.ParseKopecks(tc.a)
		inferQuantity(&r, r.amount, tc.net)
		if string(r.item.Quantity) != tc.wantQ || string(r.item.Amount) != tc.wantA {
			t.Errorf("%s/%s: got q=%q a=%q, want q=%q a=%q", tc.p, tc.a, r.item.Quantity, r.item.Amount, tc.wantQ, tc.wantA)
		}
		if tc.wantQ != "" && !r.repaired {
			t.Errorf("%s/%s: an inferred quantity must mark the row repaired", tc.p, tc.a)
		}
	}
}

// A unit that stands apart from the name, under a heading OCR did not
// read («Ea.») or in the name's column (headings centred, units
// left-aligned), is the row's unit; «100 шт» that belongs to the name stays.
func TestStrayUnit(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name   string
		header string
		row    string
		want   pervichka.Item
	}{
		{"unit under a garbled heading", "№ @4 Товары @44 Кол-во @52 Ea. @58 Цена @68 Сумма",
			"1 @4 Тетрадь общая А5 @44 9 @52 шт @58 145,39 @68 1308,51",
			pervichka.Item{Name: "Тетрадь общая А5", Quantity: "9", Unit: "шт", Price: "145.39", Amount: "1308.51"}},
		{"unit in the name's column", "№ @4 Наименование @44 Ед. @50 Кол-во @58 Цена @68 Сумма",
			"1 @4 Файл-вкладыш А4, 100 шт @38 упак @50 6 @58 369,36 @68 2216,16",
			pervichka.Item{Name: "Файл-вкладыш А4, 100 шт", Quantity: "6", Unit: "упак", Price: "369.36", Amount: "2216.16"}},
		{"no unit apart: the name keeps its «шт»", "№ @4 Наименование @44 Кол-во @52 Цена @62 Сумма",
			"1 @4 Файл-вкладыш А4, 100 шт @44 6 @52 369,36 @62 2216,16",
			pervichka.Item{Name: "Файл-вкладыш А4, 100 шт", Quantity: "6", Price: "369.36", Amount: "2216.16"}},
	} {
		lines := []string{"^СЧЕТ ^НА ^ОПЛАТУ ^№ ^5 от 3 марта 2025 г.", tc.header, tc.row, "Итого: " + string(tc.want.Amount)}
		res := Extract(t.Context(), []pervichka.Page{pageScaled(1, 0.9, lines...)}, Config{}, nil)
		if len(res.Items) != 1 {
			t.Errorf("%s: got %d items: %+v", tc.name, len(res.Items), res.Items)
			continue
		}
		got := res.Items[0]
		got.VATAmount = ""
		if got != tc.want {
			t.Errorf("%s: got %+v, want %+v", tc.name, got, tc.want)
		}
	}
}

// A photo left tilted by about a degree: rows drift by more than a line's
// height across the page, and lines must still be the printed rows.
func TestLinesOnTiltedPage(t *testing.T) {
	t.Parallel()
	rows := []string{
		"Исполнитель оказал, а Заказчик принял следующие услуги по договору № 242 от 24 января 2025 г.",
		"№ @4 Наименование @44 Кол-во @52 Цена @62 Сумма",
		"1 @4 Услуги по сопровождению @44 2 @52 1000,00 @62 2000,00",
		"2 @4 Услуги хостинга @44 1 @52 5000,00 @62 5000,00",
		"3 @4 Разработка программ @44 3 @52 1500,00 @62 4500,00",
		"4 @4 Аренда помещения @44 1 @52 700,00 @62 700,00",
		"5 @4 Охрана объекта @44 2 @52 350,00 @62 700,00",
		"Услуги оказаны в полном объеме, в установленные сроки и с надлежащим качеством.",
	}
	for _, slope := range []float64{0.025, -0.025, 0} {
		p := pageOf(rows...)
		for i := range p.Words {
			dy := int(slope * float64(p.Words[i].Box.X0))
			p.Words[i].Box.Y0 += dy
			p.Words[i].Box.Y1 += dy
		}
		ls := buildLines([]pervichka.Page{p})
		if len(ls) != len(rows) {
			t.Errorf("slope %v: %d lines, want %d", slope, len(ls), len(rows))
			continue
		}
		for i, l := range ls {
			if len(l.toks) != len(pageOf(rows[i]).Words) {
				t.Errorf("slope %v: line %d is %q", slope, i, l.text())
			}
		}
	}
}

// Rows read by arithmetic (no usable heading) where one digit of a figure
// is wrong and the kopecks arrive as «36}»: the product picks the digit,
// and the document goes to a clerk.
func TestArithRowOneDigit(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		row      string
		want     pervichka.Item
		ok       bool
		confused bool
	}{
		{"2 Файл-вкладыш А4 6.000 упак 169. 36} 2216,16", pervichka.Item{Name: "Файл-вкладыш А4", Quantity: "6", Unit: "упак", Price: "369.36", Amount: "2216.16"}, true, true},
		{"3 Степлер №24/6 10 шт 389,62 3896,20", pervichka.Item{Name: "Степлер №24/6", Quantity: "10", Unit: "шт", Price: "389.62", Amount: "3896.20"}, true, false},
		{"4 Бумага 12 упак 358,44 4381,28", pervichka.Item{Name: "Бумага", Quantity: "12", Unit: "упак", Price: "358.44", Amount: "4301.28"}, true, true},
		{"5 Бумага 12 упак 358,44 4307,29", pervichka.Item{}, false, false}, // two digits off
	} {
		ls := buildLines([]pervichka.Page{pageOf(tc.row)})
		r, ok := arithRow(&ls[0], pervichka.DocInvoice)
		if ok != tc.ok {
			t.Errorf("%q: ok=%v", tc.row, ok)
			continue
		}
		if !ok {
			continue
		}
		if r.item != tc.want {
			t.Errorf("%q: got %+v, want %+v", tc.row, r.item, tc.want)
		}
		if r.confused != tc.confused {
			t.Errorf("%q: confused=%v", tc.row, r.confused)
		}
	}
}

// The УПД's row of column numbers as photos garble it: the name's «1а»
// read as «la» or «le», the code's «2» as «?».
func TestFormColumnsGarbledMarks(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		marks string
		name  string // the mark of the column taken as the name
	}{
		{"А 1 1а 1б 2 2а 3 4 5 6 7 8 9 10 10а", "1а"},
		{"А 1 la 1б 2 2а 3 4 5 6 7 8 9 10 10а", "1а"},
		{"А 1 le 16 ? 2а 3 4 5 6 7 6 9 10 10a", "1e"},
		{"А т la 16 2 2a 3 4 5 6 Я 8 9 10 10а о 12 12а Ls", "1а"},
	} {
		ls := buildLines([]pervichka.Page{pageOf(tc.marks)})
		if !numberRow(&ls[0]) {
			t.Errorf("%q: not a number row", tc.marks)
			continue
		}
		if names := nameColumns(tc.marks); len(names) != 1 || names[0] != tc.name {
			t.Errorf("%q: name columns %q, want %q", tc.marks, names, tc.name)
		}
		// The row number's column is known even when its «1» is not
		// readable: a name's first word left of the centred «1а» mark
		// is taken from it.
		if cols := formColumns(&ls[0]); cols[1].kind != colNo {
			t.Errorf("%q: column after «А» is %v, want the row number's", tc.marks, cols[1].kind)
		}
	}
}

// nameColumns maps a row of column numbers and returns the marks of the
// columns taken as the name.
func nameColumns(marks string) []string {
	ls := buildLines([]pervichka.Page{pageOf(marks)})
	var names []string
	for _, c := range formColumns(&ls[0]) {
		if c.kind == colName {
			names = append(names, c.text)
		}
	}
	return names
}

// The numbering «1 1а 1б» is the row number, the name and the product-type
// code whether or not the УПД's «А» was read; the older счёт-фактура's «1
// 1а» is the name and its code.
func TestFormColumnsNumbering(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		marks string
		name  string
	}{
		{"1 la 16 2 2a 3 4 5 6 7 8 9 10 10a ll 12 12а 13", "1а"}, // the УПД's «А» lost at the photo's edge
		{"^ 1 1а 1б 2 2а 3 4 5 6 7 8 9 10 10а", "1а"},
		{"1 1а 2 2а 3 4 5 6 7 8 9 10 10а 11", "1"}, // the счёт-фактура before 2021
		{"1 1б 2 2а 3 4 5 6 7 8 9", "1"},
	} {
		if names := nameColumns(tc.marks); len(names) != 1 || names[0] != tc.name {
			t.Errorf("%q: name columns %q, want %q", tc.marks, names, tc.name)
		}
	}
	// A mark garbled between two read: «3 а 5» is the price's «4».
	ls := buildLines([]pervichka.Page{pageOf("А 1 la 16 2 2a 3 а 5 6 7 8 9 10 103 1 12 la 3")})
	kinds := map[colKind]bool{}
	for _, c := range formColumns(&ls[0]) {
		kinds[c.kind] = true
	}
	if !kinds[colPrice] || !kinds[colQty] || !kinds[colNet] {
		t.Errorf("columns %v: the price's mark not recovered", kinds)
	}
	// A digit out of its order, «8 3 10», is the amount's «9», not a
	// second quantity; «2 20 3» is the unit's «2а» (seed 9701's
	// scanner-app УПД 006).
	ls = buildLines([]pervichka.Page{pageOf("А 1 la 16 2 20 3 4 5 6 7 8 3 10 10а 11 12 12а 13")})
	var got []colKind
	for _, c := range formColumns(&ls[0]) {
		switch c.kind {
		case colQty, colAmount, colUnit:
			got = append(got, c.kind)
		}
	}
	if want := []colKind{colUnit, colQty, colAmount}; !slices.Equal(got, want) {
		t.Errorf("columns %v, want the unit, one quantity and the amount %v", got, want)
	}
	// Two garbled before a lettered mark, one of them a number out of the
	// order: «8 ° 20 10a» is «8 9 10 10а», the amount's «9» (study seed
	// 10261's realistic УПД 004).
	ls = buildLines([]pervichka.Page{pageOf("1 la 16 2 2a 3 4 5 ‹ ? 8 ° 20 10a ul 12 12а 33")})
	got = nil
	for _, c := range formColumns(&ls[0]) {
		switch c.kind {
		case colQty, colPrice, colNet, colVAT, colAmount:
			got = append(got, c.kind)
		}
	}
	if want := []colKind{colQty, colPrice, colNet, colVAT, colAmount}; !slices.Equal(got, want) {
		t.Errorf("columns %v, want quantity, price, net, VAT and amount %v", got, want)
	}
	// After a lettered mark: «2a В 4» is «2а 3 4», the quantity (seed 1's
	// scanned счёт-фактура 019).
	ls = buildLines([]pervichka.Page{pageOf("т 2 2a В 4 5 6 Я. 8 9 10а тт")})
	kinds = map[colKind]bool{}
	for _, c := range formColumns(&ls[0]) {
		kinds[c.kind] = true
	}
	if !kinds[colQty] {
		t.Errorf("columns %v: the quantity's mark «В» not recovered", kinds)
	}
}

// A repeated heading garbled on a page photographed at another scale: the
// first page's columns are carried over by the marks both read alike.
func TestAlignColumns(t *testing.T) {
	t.Parallel()
	first := buildLines([]pervichka.Page{pageOf("@4 А @10 1 @20 1а @44 1б @50 2 @56 2а @62 3 @70 4 @80 5 @90 6 @98 7 @104 8 @112 9")})
	second := buildLines([]pervichka.Page{pageScaled(1.3, 0.8, "@4 ^ @10 1 @20 le @44 6 @50 2 @56 2 @62 3 @70 4 @80 5 @90 6 @98 7 @104 8 @112 %")})
	prev, cur := formColumns(&first[0]), formColumns(&second[0])
	got, ok := alignColumns(prev, cur)
	if !ok {
		t.Fatal("not aligned")
	}
	for i := range prev {
		if prev[i].kind != got[i].kind {
			t.Errorf("column %d: kind %v, want %v", i, got[i].kind, prev[i].kind)
		}
		if want := int(1.3 * float64(prev[i].x0)); got[i].x0 < want-charW || got[i].x0 > want+charW {
			t.Errorf("column %d (%s) starts at %d, want about %d", i, prev[i].text, got[i].x0, want)
		}
	}
	// Marks matched to the wrong columns do not fit one scale and shift.
	jumbled := buildLines([]pervichka.Page{pageOf("@4 9 @10 8 @20 7 @44 5 @50 4 @56 3")})
	if _, ok := alignColumns(prev, headerOrForm(&jumbled[0])); ok {
		t.Error("marks in reverse order aligned")
	}
}

func headerOrForm(l *line) []column {
	var cols []column
	for _, t := range l.toks {
		cols = append(cols, column{x0: t.box.X0, x1: t.box.X1, text: t.text})
	}
	return cols
}

// Figures whose decimal comma a photo lost are kopecks run together when
// the total says so; a table printed in whole roubles is left as it is.
func TestLostSeparators(t *testing.T) {
	t.Parallel()
	head := []string{
		"^АКТ ^№ ^17 от 8 февраля 2025 г.",
		"№ @4 Наименование @40 Кол-во @50 Цена @62 Сумма",
	}
	for _, tc := range []struct {
		rows  []string
		total string
		want  []pervichka.Text // amounts
	}{
		{[]string{"1 @4 Администрирование серверов @40 1,000 @50 10337235 @62 10337235", "2 @4 Услуги поддержки @40 17.000 @50 1675.32 @62 28480.44"},
			"131 852,79", []pervichka.Text{"103372.35", "28480.44"}},
		{[]string{"1 @4 Администрирование серверов @40 1 @50 1500 @62 1500", "2 @4 Услуги поддержки @40 2 @50 700 @62 1400"},
			"2 900,00", []pervichka.Text{"1500.00", "1400.00"}},
	} {
		lines := append(append(append([]string{}, head...), tc.rows...), "Итого: "+tc.total)
		res := Extract(t.Context(), []pervichka.Page{pageScaled(1, 0.9, lines...)}, Config{}, nil)
		var got []pervichka.Text
		for _, it := range res.Items {
			got = append(got, it.Amount)
		}
		if len(got) != len(tc.want) || got[0] != tc.want[0] || got[1] != tc.want[1] {
			t.Errorf("total %s: amounts %v, want %v", tc.total, got, tc.want)
		}
	}
}

// A q = 1 row whose price and amount were read differently: the total
// decides which; with no total to agree with, the row stays as read.
func TestRowsAgainstTotal(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		total string
		want  pervichka.Text
	}{
		{"4 309,20", "4086.84"},
		{"4 308,20", "4085.84"}, // adds up as read
		{"4 500,00", "4085.84"}, // neither: stays, the sum check flags it
	} {
		lines := []string{
			"^СЧЕТ ^НА ^ОПЛАТУ ^№ ^57 от 30 августа 2023 г.",
			"№ @4 Товары @44 Кол-во @52 Цена @62 Сумма",
			"1 @4 Картридж лазерный @44 1.000 @52 4 086,84 @62 4 085,84",
			"2 @4 Файл-вкладыш А4 @44 1.000 @52 222,36 @62 222,36",
			"Итого: " + tc.total,
		}
		res := Extract(t.Context(), []pervichka.Page{pageScaled(1, 0.9, lines...)}, Config{}, nil)
		if len(res.Items) != 2 || res.Items[0].Amount != tc.want {
			t.Errorf("total %s: items %+v, want amount %s", tc.total, res.Items, tc.want)
		}
	}
}

// Rows whose numbers OCR lost, and a row whose figures came on the second
// line of its wrapped name: each printed row stays one item.
func TestRowsWithLostNumbers(t *testing.T) {
	t.Parallel()
	lines := []string{
		"^СЧЕТ ^НА ^ОПЛАТУ ^№ ^5 от 3 марта 2025 г.",
		"№ @4 Наименование @40 Кол-во @50 Цена @62 Сумма",
		"1 @4 Накопитель SSD Kingston @40 3 @50 3 212,58 @62 9 637,74",
		"@4 Мышь беспроводная @40 13 @50 837,46 @62 10 886,98",   // number lost
		"4 @4 Монитор Samsung @40 8 @50 10 214,03 @62 81 712,24", // «3» lost: 4 after 2
		"5 @4 Клавиатура проводная",
		"@4 Defender Element @40 3 @50 959,07 @62 2 877,21", // figures with the wrap
		"6 @4 Кабель патч-корд @40 22 @50 112,48 @62 2 474,56",
		"@4 UTP кат. 5е",
		"Итого: 107 588,73",
	}
	res := Extract(t.Context(), []pervichka.Page{pageScaled(1, 0.9, lines...)}, Config{}, nil)
	want := []pervichka.Text{"Накопитель SSD Kingston", "Мышь беспроводная", "Монитор Samsung", "Клавиатура проводная Defender Element", "Кабель патч-корд UTP кат. 5е"}
	var got []pervichka.Text
	for _, it := range res.Items {
		got = append(got, it.Name)
	}
	if len(got) != len(want) {
		t.Fatalf("got %d rows %q, want %q", len(got), got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("row %d: %q, want %q", i, got[i], want[i])
		}
	}
	if res.Items[3].Amount != "2877.21" || res.Items[2].Quantity != "8" {
		t.Errorf("figures in the wrong rows: %+v", res.Items)
	}
}

// A mark OCR lost outright between two it read, twice the usual distance
// apart, gets its column midway: «2а 4» is «2а 3 4» (9901's scanner-app
// УПД 011 lost every row's quantity). Marks at their usual distance
// apart leave no room for one.
func TestFormColumnsLostMark(t *testing.T) {
	t.Parallel()
	qty := func(marks string) (x int, n int) {
		ls := buildLines([]pervichka.Page{pageOf(marks)})
		for _, c := range formColumns(&ls[0]) {
			if c.kind == colQty {
				x, n = c.x0, n+1
			}
		}
		return x, n
	}
	if x, n := qty("А @4 1 @10 1а @30 1б @34 2 @38 2а @50 4 @56 5 @62 6 @66 7 @70 8 @76 9"); n != 1 || x <= 39*charW || x >= 50*charW {
		t.Errorf("lost «3»: %d quantity columns at x %d, want one between «2а» and «4»", n, x)
	}
	if _, n := qty("А @4 1 @10 1а @30 1б @34 2 @38 2а @44 3 @50 4 @56 5 @62 6 @66 7 @70 8 @76 9"); n != 1 {
		t.Errorf("«3» read: %d quantity columns, want one", n)
	}
	if _, n := qty("А @4 1 @10 1а @30 1б @34 2 @38 2а @42 4 @46 5 @50 6 @54 7 @58 8 @62 9"); n != 0 {
		t.Errorf("«2а 4» at the usual distance: %d quantity columns, want none", n)
	}
	// Two lost: «16 3» is «1б 2 2а 3» (9841's realistic счёт-фактура
	// 015), not «1 2 3»: the unit's code is right of the «16».
	ls := buildLines([]pervichka.Page{pageOf("1 @20 16 @36 3 @40 4 @44 5 @48 6 @52 7 @56 8 @60 9")})
	var got []string
	for _, c := range formColumns(&ls[0]) {
		if (c.kind == colUnitCode || c.kind == colUnit) && c.x0 > 22*charW {
			got = append(got, c.text)
		}
	}
	if !slices.Equal(got, []string{"2", "2а"}) {
		t.Errorf("«16 3»: unit columns right of «16» %q, want «2», «2а»", got)
	}
}

// A row of marks as 9841's realistic счёт-фактура 010 read it: a mark
// with a cell's bracket («rT)») does not refuse the row, two garbled marks
// in a row between «7» and «10» are «8 9», and a «3» after «12а» is a
// misread «13», not a second quantity's column.
func TestFormColumnsGarbledPairAndOrder(t *testing.T) {
	t.Parallel()
	const marks = "1 rT) 2 za 3 4 5 6 7 з ° 10 108 п 12 12а 3"
	ls := buildLines([]pervichka.Page{pageOf(marks)})
	if !numberRow(&ls[0]) {
		t.Fatalf("%q: not a number row", marks)
	}
	n := map[colKind]int{}
	for _, c := range formColumns(&ls[0]) {
		n[c.kind]++
	}
	if n[colVAT] != 1 || n[colAmount] != 1 || n[colQty] != 1 || n[colUnit] != 1 {
		t.Errorf("%q: VAT %d, amount %d, quantity %d, unit %d columns; want one each", marks, n[colVAT], n[colAmount], n[colQty], n[colUnit])
	}
	// The first mark before «1б» read as another digit is «1», the
	// name's (9901's scanned счёт-фактура 008: «4 16 2 2a $ 4 …»).
	ls = buildLines([]pervichka.Page{pageOf("4 @20 16 @26 2 @30 2a @34 $ @38 4 @42 5 @46 6 @50 7 @54 8 @58 9")})
	if cols := formColumns(&ls[0]); cols[0].kind != colName {
		t.Errorf("first mark «4» before «16»: %v, want the name's column", cols[0].kind)
	}
	// A mark out of order inside the row leaves the rest alone (9841's
	// realistic УПД 011: «12» early, then «16» for «1б»).
	const inside = "A 2 12 16 2 2 3 4 5 6 7 8 9 10 10a и 12 12а"
	ls = buildLines([]pervichka.Page{pageOf(inside)})
	n = map[colKind]int{}
	for _, c := range formColumns(&ls[0]) {
		n[c.kind]++
	}
	if n[colQty] != 1 || n[colPrice] != 1 || n[colAmount] != 1 || n[colVAT] != 1 {
		t.Errorf("%q: quantity %d, price %d, amount %d, VAT %d columns; want one each", inside, n[colQty], n[colPrice], n[colAmount], n[colVAT])
	}
}

package fields

import (
	"slices"
	"strings"
	"testing"

	pervichka "github.com/pervichka/pervichka"
)

func TestFixHeadingWords(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in   string
		want colKind
	}{
		{"цема, руб. ", colPrice},
		{"сума, руб. ", colAmount},
		{"количесгво ", colQty},
		{"цель ", colOther}, // two edits from «цена»
		{"ед. изм. ", colUnit},
		{"ндс сумма руб 14 ", colVAT}, // ТОРГ-12's column 14, its lines out of order
		{"сумма без учета ндс ", colAmount},
		{"сумма с учетом ндс руб ", colAmount},
	} {
		if got := classifyHeaderCell(tc.in); got != tc.want {
			t.Errorf("%q: got %v, want %v", tc.in, got, tc.want)
		}
	}
}

func TestReadsAs(t *testing.T) {
	t.Parallel()
	toks := func(ws ...string) []token {
		var ts []token
		for _, w := range ws {
			ts = append(ts, token{text: w})
		}
		return ts
	}
	for _, tc := range []struct {
		words []string
		want  pervichka.Kopecks
		ok    bool
	}{
		{[]string{"$71507.50"}, 37150750, true},      // $ for 3
		{[]string{"97647"}, 97647, true},             // separator lost
		{[]string{"20", "992", "73"}, 2099273, true}, // groups and kopecks split by spaces
		{[]string{"2440723"}, 2440723, true},
		{[]string{"97648"}, 97647, false},  // a different digit is a different number
		{[]string{"$$$.50"}, 37150, false}, // too little read
		{[]string{"9764"}, 97647, false},   // a digit missing
		{[]string{"20%", "6030.67"}, 603067, true},
	} {
		if got := readsAs(toks(tc.words...), tc.want); got != tc.ok {
			t.Errorf("%v as %d: got %v", tc.words, tc.want, got)
		}
	}
}

func TestGarbledRowNumber(t *testing.T) {
	t.Parallel()
	for s, want := range map[string]bool{"$": true, "2?": true, "S": true, "З.": true, "за": false, "в": false, "Услуги": false, "": false} {
		if got := garbledRowNumber(s); got != want {
			t.Errorf("%q: got %v", s, got)
		}
	}
}

// Rows of a photographed act: row numbers read as «$» and «2?», «Цена»
// as «Цема», an amount with «$» for a digit, VAT with its separator lost
// and a table rule «|» after the kopecks.
func TestItemsNoisyRows(t *testing.T) {
	t.Parallel()
	lines := []string{
		"^АКТ ^№ ^17 от 8 февраля 2023 г.",
		"Исполнитель: ООО «Ромашка», ИНН 7701234560, КПП 770101001",
		"Заказчик: ООО «Лютик», ИНН 5003123458, КПП 500301001",
		"№ @4 Наименование @40 Ед. @45 Кол-во @53 Цема, @65 Сумма, @77 Ставка @85 Сумма",
		"@40 изм. @53 руб. @65 руб. @77 НДС @85 НДС, руб.",
		"1 @4 Услуги по сопровождению @40 час @45 2 @53 1000.00 @65 2000.00| @77 20% @85 333.33",
		"2? @4 Услуги хостинга @40 мес @45 1 @53 5000.00 @65 $000.00 @77 20% @85 83333",
		"$ @4 Разработка программ @40 час @45 3 @53 1500.00 @65 4500.00 @77 20% @85 750.00",
		"Итого: 11500,00",
		"В том числе НДС (20%): 1916,66",
	}
	res := Extract(t.Context(), []pervichka.Page{pageScaled(1, 0.9, lines...)}, Config{}, nil)
	want := []pervichka.Item{
		{Name: "Услуги по сопровождению", Quantity: "2", Unit: "час", Price: "1000.00", Amount: "2000.00", VATAmount: "333.33"},
		{Name: "Услуги хостинга", Quantity: "1", Unit: "мес", Price: "5000.00", Amount: "5000.00", VATAmount: "833.33"},
		{Name: "Разработка программ", Quantity: "3", Unit: "час", Price: "1500.00", Amount: "4500.00", VATAmount: "750.00"},
	}
	if len(res.Items) != len(want) {
		t.Fatalf("got %d items: %+v", len(res.Items), res.Items)
	}
	for i := range want {
		if res.Items[i] != want[i] {
			t.Errorf("item %d: got %+v, want %+v", i, res.Items[i], want[i])
		}
	}
	if hasReason(res, "repaired:items") {
		t.Errorf("rows that add up to the total need no clerk for the repair: %v", res.ReviewReasons)
	}
	// The same rows under a total they do not add up to: the repair is a
	// guess and goes to a clerk.
	lines[len(lines)-2] = "Итого: 11600,00"
	res = Extract(t.Context(), []pervichka.Page{pageScaled(1, 0.9, lines...)}, Config{}, nil)
	if !res.NeedsReview || !hasReason(res, "repaired:items") {
		t.Errorf("repaired figures must not be posted unseen: %v", res.ReviewReasons)
	}
}

// ИНН labels and values as OCR garbles them on photographed forms.
func TestINNGarbledLabels(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		line, inn, kpp string
	}{
		{"ИННИКИП продавца: 5936389985/593601001 (2б)", "5936389985", "593601001"},
		{"ИННКПП покупателя 7446628853/744601001 (66)", "7446628853", "744601001"},
		{"ИННИКПП продавца 23324960 33/233201001 (26)", "2332496033", "233201001"},
		{"ИНН/КПП покупателя: 744662885 3/744601001", "7446628853", "744601001"},
	} {
		inns, _ := findIDHits(buildLines([]pervichka.Page{pageOf(tc.line)}))
		if len(inns) != 1 || inns[0].inn != tc.inn || inns[0].kpp != tc.kpp {
			t.Errorf("%q: got %+v", tc.line, inns)
		}
	}
}

func TestDropOneDigit(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in, want string
		ok       bool
	}{
		{"59363899985", "5936389985", true}, // a digit doubled; «5963899985» passes too but needs a lone digit dropped
		{"59936389985", "5936389985", true},
		{"74466228853", "", false}, // two doubled pairs give two valid readings
		{"5936389985", "", false},  // right length: not this repair's business
		{"5936з899985", "", false},
	} {
		got, ok := dropOneDigit(tc.in)
		if ok != tc.ok || (ok && got != tc.want) {
			t.Errorf("%s: got %s %v", tc.in, got, ok)
		}
	}
}

// Figures of photographed table rows: kopecks a space apart instead of a
// comma, a table rule «|» glued to the last digit.
func TestAmountsOCRSeparators(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		line string
		want []pervichka.Kopecks
	}{
		{"14 @10 550.00 @20 7 700 00| @32 без акциза", []pervichka.Kopecks{1400, 55000, 770000}},
		{"17 @10 514 10 @20 8 739 70|", []pervichka.Kopecks{1700, 51410, 873970}},
		{"7 @10 199.17 @20 1394.17) @32 20%", []pervichka.Kopecks{700, 19917, 139417}},
		{"45547.00| @20 2502 02|", []pervichka.Kopecks{4554700, 250202}},
		{"224.5| @20 98,63", []pervichka.Kopecks{22450, 9863}},
		// Millions: every group after the leading one is joined.
		{"Итого: 1 072 821,17", []pervichka.Kopecks{107282117}},
		{"Всего 12 345 678 901,50", []pervichka.Kopecks{1234567890150}},
		// A four-digit figure is never a leading group.
		{"1072 821,17", []pervichka.Kopecks{107200, 82117}},
	} {
		ls := buildLines([]pervichka.Page{pageOf(tc.line)})
		var got []pervichka.Kopecks
		for _, a := range amounts(&ls[0]) {
			got = append(got, a.k)
		}
		if len(got) != len(tc.want) {
			t.Errorf("%q: got %v, want %v", tc.line, got, tc.want)
			continue
		}
		for i := range got {
			if got[i] != tc.want[i] {
				t.Errorf("%q: got %v, want %v", tc.line, got, tc.want)
				break
			}
		}
	}
}

func TestNumberRowTolerance(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		line string
		want bool
	}{
		{"1 1а 1б 2 2а 3 4 5 6 7 8 9 10 10а 11", true},
		{"1 16 2 2a 3 4 5 6 ? 8 9 10 10а и", true},
		{"1 ? 2 ? 3 ? 5 6", false},   // too much unreadable
		{"1 2 3 Итого 5 6 7", false}, // a word is not a garbled mark
		// A scan's УПД row with five of nineteen marks garbled, the rest
		// rising (seed 31's 015-upd).
		{"А т la 16 2 2a 3 4 5 6 Я 8 9 10 10а о 12 12а Ls", true},
		// As many garbled, but what was read does not rise: a row of
		// figures, not of column numbers.
		{"А т la 16 2 2a 9 4 5 3 Я 8 1 10 7 о 2 4 Ls", false},
		{"т la Я о Ls 2 3 4 5", false}, // too few read
		// «11» read as three Latin letters (unseen seed 10081's scanned
		// УПД 001: every row of its two pages was lost for it).
		{"А 1 1а 16 2 2а 3 4 5 6 и 8 9 10 10а ath 12 12a 13", true},
		// Three letters with a Cyrillic one are a word (a unit), not a
		// garbled mark.
		{"1 2 3 кор 5 6 7", false},
	} {
		ls := buildLines([]pervichka.Page{pageOf(tc.line)})
		if got := numberRow(&ls[0]); got != tc.want {
			t.Errorf("%q: got %v", tc.line, got)
		}
	}
	// Too garbled to map columns by, but skipped among the rows.
	for _, tc := range []struct {
		line            string
		mapped, garbled bool
	}{
		// Specks read as quotes and commas, five marks garbled, seven
		// numbers rising (9801's realistic счёт-фактура 014, page 2).
		{"1 16 г 2 3 4 5 ‘ 7 ‘ , ю 12а и 3 in u", false, true},
		{"1 1а 1б 2 2а 3 4 5 6 7 8 9 10 10а 11", true, true},
		// Marks alone, but fewer numbers rising than garbled marks.
		{"1 г 2 ю 3 и 4 in 5 u 6 ф", false, false},
		// Figures that do not rise.
		{"А т la 16 2 2a 9 4 5 3 Я 8 1 10 7 о 2 4 Ls", false, false},
		// A row of goods.
		{"1 Сахар 5 кг 3 4 5 6 7", false, false},
	} {
		ls := buildLines([]pervichka.Page{pageOf(tc.line)})
		if got := numberRow(&ls[0]); got != tc.mapped {
			t.Errorf("%q: numberRow %v", tc.line, got)
		}
		if got := garbledNumberRow(&ls[0]); got != tc.garbled {
			t.Errorf("%q: garbledNumberRow %v", tc.line, got)
		}
	}
}

// The «Всего к оплате» row of photographed счета-фактуры.
func TestTotalsPayRowOCR(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		line       string
		total, vat pervichka.Kopecks
	}{
		{"[Всего « оплате (9) _| @40 111 945,65 @55 x @60 24 628,06 @75 136 573.71", 13657371, 2462806},
		// The tax lost: the difference of the amounts either side of «х».
		{"cero и оплате (9) @40 161 365.57 @55 х @58 иж @75 196 866.00", 19686600, 3550043},
		// The gross figure's leading digit read as «$»: net + tax gives it.
		{"Всего к оплате (9) @40 8 126,67 @52 x @55 1 625,33 @66 $ 752,00", 975200, 162533},
		// Net + tax does not end in the digits read: left as read.
		{"Всего к оплате (9) @40 8 126,67 @52 x @55 1 625,33 @66 $ 753,00", 75300, 162533},
		// Two figures with a hidden digit: nothing to settle them by.
		{"Всего к оплате (9) @40 $ 980,00 @52 x @55 295,00 @66 $ 279,00", 27900, 29500},
	} {
		r := findTotals(buildLines([]pervichka.Page{pageOf(tc.line)}), pervichka.DocVATInvoice, 0)
		if len(r.totals) == 0 || r.totals[0].k != tc.total {
			t.Errorf("%q: totals %+v", tc.line, r.totals)
		}
		if len(r.vats) == 0 || r.vats[0].k != tc.vat {
			t.Errorf("%q: vats %+v", tc.line, r.vats)
		}
	}
	// Two amounts without the cross between them are not net and gross.
	r := findTotals(buildLines([]pervichka.Page{pageOf("Всего к оплате @40 24 628,06 @75 136 573.71")}), pervichka.DocVATInvoice, 0)
	if len(r.vats) == 0 || r.vats[0].k != 2462806 {
		t.Errorf("vats %+v", r.vats)
	}
}

func TestINNLatinLabel(t *testing.T) {
	t.Parallel()
	for _, l := range []string{
		"VHH/KITN продавца 663125207025 (26)",
		"HHH KITE продавца: 663125207025 (26)",
		"aa WHHAKNIN продавал 663125207025 26)",
		"MHH 663125207025", // a seed-1 photo of a bill
	} {
		inns, _ := findIDHits(buildLines([]pervichka.Page{pageOf(l)}))
		if len(inns) != 1 || inns[0].inn != "663125207025" {
			t.Errorf("%q: got %+v", l, inns)
		}
	}
	// «ИНН» read «АНН» (10291's realistic act 010) is a label; the same
	// letters inside a word are not. A ten-digit ИНН is taken only after
	// its label.
	for _, tc := range []struct {
		line  string
		label bool
	}{
		{"Исполнитель: UN Баранов Денис Романович, AHH 7701234560, 394761,", true},
		{"Исполнитель: ООО «Вега», АНН 7701234560", true},
		{"Получатель Жанна 7701234560", false},
		{"ЖАННА 7701234560", false},
	} {
		inns, _ := findIDHits(buildLines([]pervichka.Page{pageOf(tc.line)}))
		if got := len(inns) == 1 && inns[0].inn == "7701234560" && !inns[0].lookalike; got != tc.label || len(inns) > 1 {
			t.Errorf("%q: got %+v, want a labelled hit %v", tc.line, inns, tc.label)
		}
	}
}

// A year with its «г» glued on and read as a digit: the date is read but
// not trusted enough to post.
func TestDateGluedYear(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		line, want string
		sure       bool
	}{
		{"ot 20 июня 20261", "2026-06-20", false},
		{"от 24 мая 2025г.", "2025-05-24", true},
		{"от 24 мая 2025", "2025-05-24", true},
		// The day glued to the month's first letter, the rest split off
		// (seed 9201's scanned счёт-фактура 004), or the month glued whole.
		{"от 1м ая 2025 г.", "2025-05-01", false},
		{"от 15мая 2025 г.", "2025-05-15", false},
		{"от 3с ентября 2024 г.", "2024-09-03", false},
	} {
		ls := buildLines([]pervichka.Page{pageScaled(1, 0.95, tc.line)})
		d, ok := findDate(ls[0].toks, 0)
		if !ok || d.text != tc.want || (d.conf >= DefaultMinConfidence) != tc.sure {
			t.Errorf("%q: got %q conf %.2f ok %v", tc.line, d.text, d.conf, ok)
		}
	}
}

// Our own ИНН read one digit off settles the buyer (as a repair), and
// «В том числе НДС» with «В» read as «8» still gives the VAT.
func TestOwnINNNeighbourAndVATLine(t *testing.T) {
	t.Parallel()
	lines := []string{
		"^АКТ ^№ ^1836 от 8 февраля 2023 г.",
		"Исполнитель: ООО «Ромашка», ИНН 7810109760, КПП 781001001",
		"Заказчик: АО «Спектр», ИНН 7446628855, КПП 744601001",
		"№ @4 Наименование @40 Ед. @45 Кол-во @53 Цена, @65 Сумма,",
		"1 @4 Услуги по сопровождению @40 час @45 2 @53 1000.00 @65 2000.00",
		"Итого: 2000,00",
		"8 том числе НДС 20%: 333,33",
	}
	own := []pervichka.Party{{Name: "АО «Спектр»", INN: "7446628853", KPP: "744601001"}}
	res := Extract(t.Context(), []pervichka.Page{pageScaled(1, 0.95, lines...)}, Config{Own: own}, nil)
	if res.Buyer.INN != "7446628853" || !hasReason(res, "repaired:buyer.inn") || !res.NeedsReview {
		t.Errorf("buyer %+v reasons %v", res.Buyer, res.ReviewReasons)
	}
	if res.VATAmount != "333.33" {
		t.Errorf("vat %q", res.VATAmount)
	}
	// Without our organisations the reading stays invalid.
	res = Extract(t.Context(), []pervichka.Page{pageScaled(1, 0.95, lines...)}, Config{}, nil)
	if res.Buyer.INN == "7446628853" {
		t.Errorf("guessed without a reference: %+v", res.Buyer)
	}
}

func TestWithoutVAT(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		words string
		want  bool
	}{
		{"без ндс", true},
		{wordKey("без") + " " + wordKey("HAC"), true},
		{"без налога", true},
		{"без акциза 20%", false},
		{"в т.ч. ндс", false},
	} {
		if got := withoutVAT(strings.Fields(tc.words)); got != tc.want {
			t.Errorf("%q: got %v", tc.words, got)
		}
	}
}

// «№» read as «м» and «Цена» as «Uena»: the name that starts under the
// garbled «№» keeps its first word, and the price is the figure of the
// unnamed column that times the quantity gives the amount.
func TestItemsGarbledHeadings(t *testing.T) {
	t.Parallel()
	lines := []string{
		"^АКТ ^№ ^17 от 8 февраля 2023 г.",
		"Исполнитель: ООО «Ромашка», ИНН 7701234560, КПП 770101001",
		"Заказчик: ООО «Лютик», ИНН 5003123458, КПП 500301001",
		"м @12 Намменование работ, услуг @45 Кол-во @53 Ед. @60 Uena @72 Сумма",
		"1 @4 Услуги по сопровождению @45 25 @53 час @60 3190.80 @72 79770,00",
		"2 @4 Разработка программ @45 149.5 @53 час @60 2485.00 @72 $71507.50",
		"Итого: 451277,50",
		"Без налога (НДС): -",
	}
	res := Extract(t.Context(), []pervichka.Page{pageScaled(1, 0.9, lines...)}, Config{}, nil)
	want := []pervichka.Item{
		{Name: "Услуги по сопровождению", Quantity: "25", Unit: "час", Price: "3190.80", Amount: "79770.00"},
		{Name: "Разработка программ", Quantity: "149.5", Unit: "час", Price: "2485.00", Amount: "371507.50"},
	}
	if len(res.Items) != len(want) {
		t.Fatalf("got %d items: %+v", len(res.Items), res.Items)
	}
	for i := range want {
		if res.Items[i] != want[i] {
			t.Errorf("item %d: got %+v, want %+v", i, res.Items[i], want[i])
		}
	}
}

// Rows read by arithmetic with one figure garbled: the price between the
// quantity and the amount, or the amount after the price.
func TestRepairArithRow(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		line               string
		qty, price, amount string
		ok                 bool
	}{
		{"4 Профиль направляющий @30 шт @35 28.000 @43 2$0.00 @52 7000,00 @62 без акциза", "28", "250.00", "7000.00", true},
		{"2 Цемент М500 @30 шт @35 68 @43 546.42 @52 $7156.56 @62 без акциза", "68", "546.42", "37156.56", true},
		{"2 Цемент М500 @30 шт @35 68 @43 546.42 @52 $7156.57 @62 без акциза", "", "", "", false}, // a digit off is not a garbled digit
	} {
		ls := buildLines([]pervichka.Page{pageOf(tc.line)})
		r, ok := arithRow(&ls[0], pervichka.DocUPD)
		if ok != tc.ok {
			t.Errorf("%q: ok %v", tc.line, ok)
			continue
		}
		if ok && (string(r.item.Quantity) != tc.qty || string(r.item.Price) != tc.price || string(r.item.Amount) != tc.amount || !r.repaired) {
			t.Errorf("%q: got %+v repaired %v", tc.line, r.item, r.repaired)
		}
	}
}

// A right-aligned price whose first digit group reaches under the unit's
// heading stays one number in the price column.
func TestItemsSplitNumberOneColumn(t *testing.T) {
	t.Parallel()
	lines := []string{
		"^АКТ ^№ ^17 от 8 февраля 2023 г.",
		"Исполнитель: ООО «Ромашка», ИНН 7701234560, КПП 770101001",
		"Заказчик: ООО «Лютик», ИНН 5003123458, КПП 500301001",
		"№ @4 Наименование @40 Кол-во @48 Ед. @56 Цена @70 Сумма",
		"1 @4 Монтаж системы @40 1 @46 усл @50 122 165.88 @68 122 165.88",
		"Итого: 122165,88",
		"Без налога (НДС): -",
	}
	res := Extract(t.Context(), []pervichka.Page{pageScaled(1, 0.9, lines...)}, Config{}, nil)
	want := pervichka.Item{Name: "Монтаж системы", Quantity: "1", Unit: "усл", Price: "122165.88", Amount: "122165.88"}
	if len(res.Items) != 1 || res.Items[0] != want {
		t.Errorf("got %+v", res.Items)
	}
}

func TestTrimCellEdges(t *testing.T) {
	t.Parallel()
	for in, want := range map[pervichka.Text]pervichka.Text{
		"|Картридж лазерный": "Картридж лазерный",
		"[усл ед":            "усл ед",
		"шт] ":               "шт",
		"Файл A4 [100 шт]":   "Файл A4 [100 шт",
		"":                   "",
	} {
		if got := trimCellEdges(in); got != want {
			t.Errorf("%q: got %q", in, got)
		}
	}
}

// «68 000»: a three-decimal quantity with its comma read as a space is
// taken back from thousands when only that reading fits the amount.
func TestArithRowQuantitySpaceDecimals(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		line, qty string
	}{
		{"2 Цемент М500 @30 шт @35 68 000 @43 546.42 @52 37156.56", "68"},
		{"2 Болт М8 @30 шт @35 1 000 @43 2.50 @52 2500.00", "1000"}, // a thousand that fits stays
	} {
		ls := buildLines([]pervichka.Page{pageOf(tc.line)})
		r, ok := arithRow(&ls[0], pervichka.DocUPD)
		if !ok || string(r.item.Quantity) != tc.qty {
			t.Errorf("%q: got %+v ok %v", tc.line, r.item, ok)
		}
	}
}

// A bill's total with its leading digit read as «$» is the rows' sum when
// its other digits are the sum's; a figure that is not stays as read and
// goes to a clerk.
func TestTotalWildLead(t *testing.T) {
	t.Parallel()
	lines := []string{
		"^Счет ^на ^оплату ^№ ^А-17 ^от ^20 ^марта ^2024 ^г.",
		"Поставщик @12 ООО «Ромашка», ИНН 7701234560, КПП 770101001",
		"Покупатель @12 ООО «Лютик», ИНН 5003123458, КПП 500301001",
		"№ @4 Товары (работы, услуги) @50 Кол-во @58 Ед. @64 Цена @74 Сумма",
		"1 @4 Картридж лазерный HP 85A @52 2 @58 шт @64 4 876,00 @74 9 752,00",
		"@66 Итого: @74 $ 752,00",
		"@60 Без налога (НДС)",
	}
	res := Extract(t.Context(), []pervichka.Page{pageScaled(1, 0.95, lines...)}, cfg(), nil)
	if res.Total != "9752.00" {
		t.Errorf("total %q, want 9752.00 (reasons %v)", res.Total, res.ReviewReasons)
	}
	lines[4] = strings.ReplaceAll(lines[4], "4 876,00 @74 9 752,00", "4 876,50 @74 9 753,00")
	res = Extract(t.Context(), []pervichka.Page{pageScaled(1, 0.95, lines...)}, cfg(), nil)
	if res.Total != "752.00" || !res.NeedsReview {
		t.Errorf("total %q, review %v; want 752.00 sent to a clerk", res.Total, res.NeedsReview)
	}
}

// «НДС» read as «HAC» on a photo («В том числе HAC (20%): 53 483,50»): the
// line's «в том числе» and its rate say it is the VAT line.
func TestVATLabelMisread(t *testing.T) {
	t.Parallel()
	lines := edit(invoice1C, "В том числе НДС 20%:", "В том числе HAC (20%):")
	res := Extract(t.Context(), []pervichka.Page{pageScaled(1, 0.95, lines...)}, cfg(), nil)
	if res.VATAmount != "2416.67" || res.VATRate != "20" {
		t.Errorf("VAT %q at %q, reasons %v", res.VATAmount, res.VATRate, res.ReviewReasons)
	}
}

// A УПД photo: the title's «от» read as «©» and its date illegible. The
// number ends at the mark, and the date comes from line (5а), which
// prints the same number.
func TestUPDDateFromShipmentLine(t *testing.T) {
	t.Parallel()
	lines := edit(upd, "^№ ^318 ^от ^05.06.2025", "^№ ^318 ^© ^нтября ^2")
	lines = append(lines[:6:6], append([]string{"Документ об отгрузке № п/п 1-4 № 318 от 05.06.2025 @90 (5а)"}, lines[6:]...)...)
	res := Extract(t.Context(), []pervichka.Page{pageScaled(1, 0.95, lines...)}, cfg(), nil)
	if res.Number != "318" || res.Date != "2025-06-05" {
		t.Errorf("number %q date %q; want 318 2025-06-05", res.Number, res.Date)
	}
	// Another number on the shipment line: not this document's date.
	lines = edit(lines, "№ 318 от 05.06.2025 @90 (5а)", "№ 317 от 04.06.2025 @90 (5а)")
	res = Extract(t.Context(), []pervichka.Page{pageScaled(1, 0.95, lines...)}, cfg(), nil)
	if res.Date != "" {
		t.Errorf("date %q from another document's line", res.Date)
	}
}

// A number OCR split into digit groups («001 57») is one number; a number
// of letters and digits keeps its words.
func TestNumberDigitGroups(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ title, want string }{
		{"^Счет ^на ^оплату ^№ ^001 ^57 ^от ^20 ^марта ^2024 ^г.", "00157"},
		{"^Счет ^на ^оплату ^№ ^УТ ^57 ^от ^20 ^марта ^2024 ^г.", "УТ 57"},
		{"^Счет ^на ^оплату ^№ ^СЧ- ^1 ^374 ^от ^20 ^марта ^2024 ^г.", "СЧ-1374"},
	} {
		lines := edit(invoice1C, "^Счет ^на ^оплату ^№ ^А-17 ^от ^20 ^марта ^2024 ^г.", tc.title)
		res := Extract(t.Context(), []pervichka.Page{pageOf(lines...)}, cfg(), nil)
		if res.Number != pervichka.Text(tc.want) {
			t.Errorf("%s: number %q, want %q", tc.title, res.Number, tc.want)
		}
	}
}

// A total read with a space lost between its leading groups («1014
// 500,00» for 1 014 500,00; seed 31's realistic УПД photo read «1508
// 304,39») is the glued figure when the rows add up to it exactly, the
// likelier figure for a clerk when they come near it, and left as read
// when they are far from it (a four-digit code or quantity before a
// figure).
func TestTotalGluedLead(t *testing.T) {
	t.Parallel()
	page := func(second, total string) []string {
		return []string{
			"^Счет ^на ^оплату ^№ ^А-17 ^от ^20 ^марта ^2024 ^г.",
			"Поставщик @12 ООО «Ромашка», ИНН 7701234560, КПП 770101001",
			"Покупатель @12 ООО «Лютик», ИНН 5003123458, КПП 500301001",
			"№ @4 Товары (работы, услуги) @50 Кол-во @58 Ед. @64 Цена @74 Сумма",
			"1 @4 Бумага офисная @52 10 @58 упак @64 450,00 @74 4 500,00",
			"2 @4 Станок токарный @52 1 @58 шт @64 " + second + " @74 " + second,
			"@66 Итого: @74 " + total,
			"@60 Без налога (НДС)",
		}
	}
	for _, tc := range []struct {
		name, second, total, want string
		sure                      bool
	}{
		{"rows add up", "1 010 000,00", "1014 500,00", "1014500.00", true},
		{"rows near", "1 010 011,00", "1014 500,00", "1014500.00", false},
		{"rows far", "1 010 000,00", "2024 500,00", "500.00", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			res := Extract(t.Context(), []pervichka.Page{pageScaled(1, 0.95, page(tc.second, tc.total)...)}, cfg(), nil)
			if res.Total != pervichka.Text(tc.want) {
				t.Fatalf("total %q, want %s (reasons %v)", res.Total, tc.want, res.ReviewReasons)
			}
			if sure := res.Confidence["total"] >= DefaultMinConfidence; sure != tc.sure {
				t.Errorf("total at %.2f, sure %v, want %v", res.Confidence["total"], sure, tc.sure)
			}
		})
	}
}

// The grand total's figures a line above their label (a photo's slant)
// are not one more row of a table without a № column, where figures
// start a row: seed 8801's счёт-фактура 013 read them as a fifth row and
// doubled its total with the rows' sum.
func TestItemsTotalsRowWithoutLabel(t *testing.T) {
	t.Parallel()
	head := []string{
		"^АКТ ^№ ^17 от 8 февраля 2023 г.",
		"Исполнитель: ООО «Ромашка», ИНН 7701234560, КПП 770101001",
		"Заказчик: ООО «Лютик», ИНН 5003123458, КПП 500301001",
		"@4 Наименование @40 Ед. @45 Кол-во @53 Цена, @65 Сумма, @77 Ставка @85 Сумма",
		"@40 изм. @53 руб. @65 руб. @77 НДС @85 НДС, руб.",
		"@4 Услуги по сопровождению @40 час @45 2 @53 1000.00 @65 2000.00 @77 20% @85 333.33",
		"@4 Услуги хостинга @40 мес @45 1 @53 5000.00 @65 5000.00 @77 20% @85 833.33",
		"@4 Разработка программ @40 час @45 3 @53 1500.00 @65 4500.00 @77 20% @85 750.00",
	}
	for _, tc := range []struct {
		name  string
		last  string
		items int
	}{
		// The amount misread («3» for «5»), the VAT exact.
		{"vat", "@65 11300.00 @85 1916.66", 3},
		{"amount", "@65 11500.00 @85 1916.00", 3},
		// A row of its own without a name: neither sum matches.
		{"row", "@45 1 @53 700.00 @65 700.00 @77 20% @85 116.67", 4},
	} {
		t.Run(tc.name, func(t *testing.T) {
			lines := append(slices.Clone(head), tc.last, "Всего к оплате")
			res := Extract(t.Context(), []pervichka.Page{pageScaled(1, 0.9, lines...)}, Config{}, nil)
			if len(res.Items) != tc.items {
				t.Fatalf("got %d items, want %d: %+v", len(res.Items), tc.items, res.Items)
			}
			if tc.items == 3 && res.Total != "11500.00" {
				t.Errorf("total %q, want the rows' 11500.00", res.Total)
			}
		})
	}
}

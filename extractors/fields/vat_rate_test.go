package fields

import (
	"slices"
	"testing"

	pervichka "github.com/pervichka/pervichka"
)

// A VAT line that names its rate but whose figure OCR lost («В том числе
// НДС (22%): ре», seed 9301's realistic acts) gives the total's share at
// that rate as a proposal a clerk must confirm: under the routing
// threshold, never approved on it. Without a rate printed nothing is
// proposed.
func TestVATFromRateWhenFigureLost(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		vatLine string
		want    pervichka.Text
	}{
		{"В том числе НДС (22%): ре", "83433.56"},
		{"В том числе НДС: ре", ""},
	} {
		lines := []string{
			"^Акт ^об ^оказании ^услуг № БП-1128 от 31 января 2026 г.",
			"Исполнитель: ООО «Ромашка», ИНН 7810109760, КПП 781001001",
			"Заказчик: АО «Спектр», ИНН 7446628853, КПП 744601001",
			"№ @4 Наименование работ, услуг @40 Кол-во @48 Ед. @56 Цена @66 Сумма",
			"1 @4 Услуги хостинга за январь 2026 @40 1 @48 мес @56 4448,00",
			"@50 Итого: @66 462677,00",
			"@40 " + tc.vatLine,
			"@50 Всего: @66 462677,00",
			"Всего оказано услуг 1, на сумму 462677,00 руб.",
			"Четыреста шестьдесят две тысячи шестьсот семьдесят семь рублей 00 копеек",
		}
		res := Extract(t.Context(), []pervichka.Page{pageScaled(1, 0.95, lines...)}, Config{}, nil)
		if res.VATAmount != tc.want {
			t.Errorf("%q: vat %q, want %q", tc.vatLine, res.VATAmount, tc.want)
		}
		if !res.NeedsReview {
			t.Errorf("%q: approved", tc.vatLine)
		}
		if tc.want != "" && res.Confidence["vat_amount"] >= DefaultMinConfidence {
			t.Errorf("%q: vat confidence %.2f, want under %.2f", tc.vatLine, res.Confidence["vat_amount"], DefaultMinConfidence)
		}
	}
}

// Rows that all print one rate, with no VAT figure read in them or under
// the table (seed 9301's realistic УПД 012, its VAT column blank in the
// photo), give the same proposal.
func TestVATFromRowRate(t *testing.T) {
	t.Parallel()
	lines := []string{
		"^Счет ^на ^оплату ^№ ^77 от 3 июня 2025 г.",
		"Поставщик: ООО «Ромашка», ИНН 7810109760, КПП 781001001",
		"Покупатель: АО «Спектр», ИНН 7446628853, КПП 744601001",
		"№ @4 Товары @30 Кол-во @38 Ед. @44 Цена @54 Ставка @62 Сумма",
		"1 @4 Масло подсолнечное @30 30 @38 шт @44 130,00 @54 10% @62 3 900,00",
		"2 @4 Сахар-песок @30 11 @38 кг @44 100,00 @54 10% @62 1 100,00",
		"@44 Итого: @62 5 000,00",
		"Пять тысяч рублей 00 копеек",
	}
	res := Extract(t.Context(), []pervichka.Page{pageScaled(1, 0.95, lines...)}, Config{}, nil)
	if res.VATAmount != "454.55" || res.Confidence["vat_amount"] > vatFromRateCap || !res.NeedsReview {
		t.Errorf("vat %q at %.2f, needs review %v; want 454.55 at most %.2f, held", res.VATAmount, res.Confidence["vat_amount"], res.NeedsReview, vatFromRateCap)
	}
}

// Rows that say «без НДС» in their tax cells — at least half of them, the
// others garbled there — make a document without VAT when its totals line
// was garbled past reading (seed 9401's scanned УПД 010: «6e3 HOC» in
// «Всего к оплате»); «без НДС» in a name does not, nor in one row of three.
func TestNoVATFromRows(t *testing.T) {
	t.Parallel()
	const (
		says    = "@54 без НДС"
		garbled = "@54 бе3~0.3 НС~0.3"
	)
	for _, tc := range []struct {
		name  string
		cells [3]string
		want  pervichka.Text
	}{
		{"every row", [3]string{says, says, says}, pervichka.VATNone},
		{"two rows of three", [3]string{says, garbled, says}, pervichka.VATNone},
		{"one row of three", [3]string{says, garbled, garbled}, ""},
		{"in the name", [3]string{}, ""},
	} {
		name1 := "Монтаж стеллажа"
		if tc.name == "in the name" {
			name1 = "Монтаж без НДС"
		}
		lines := []string{
			"^Счет ^на ^оплату ^№ ^77 от 3 июня 2025 г.",
			"Поставщик: ООО «Ромашка», ИНН 7810109760, КПП 781001001",
			"Покупатель: АО «Спектр», ИНН 7446628853, КПП 744601001",
			"№ @4 Товары @30 Кол-во @38 Ед. @44 Цена @54 НДС @62 Сумма",
			"1 @4 " + name1 + " @30 30 @38 шт @44 130,00 " + tc.cells[0] + " @62 3 900,00",
			"2 @4 Сахар-песок @30 11 @38 кг @44 100,00 " + tc.cells[1] + " @62 1 100,00",
			"3 @4 Соль поваренная @30 10 @38 кг @44 50,00 " + tc.cells[2] + " @62 500,00",
			"@4 белый",
			"@44 Итого: @62 5 500,00",
			"@40 ТОГО~0.2 6e3~0.2 HOC~0.2",
			"Всего наименований 3, на сумму 5 500,00 руб.",
			"Пять тысяч пятьсот рублей 00 копеек",
		}
		res := Extract(t.Context(), []pervichka.Page{pageScaled(1, 0.95, lines...)}, Config{}, nil)
		if res.VATRate != tc.want {
			t.Errorf("%s: rate %q, want %q", tc.name, res.VATRate, tc.want)
		}
		if tc.want != "" && res.Confidence["vat_rate"] > rowsNoVATCap {
			t.Errorf("%s: rate at %.2f over the cap %.2f", tc.name, res.Confidence["vat_rate"], rowsNoVATCap)
		}
	}
}

// With no rate read and two VAT readings that disagree, the one a legal
// rate gives from the total is the VAT: the payment purpose's, not the
// payable line's garbled figure (seed 9601's scanned счёт-оферта 004 took
// «НДС ¥ 0,29» and was held on a VAT mismatch).
func TestVATReadingTheRateGives(t *testing.T) {
	t.Parallel()
	lines := []string{
		"^Счет-оферта ^№ ^УТ-12 от 3 июня 2025 г.",
		"Продавец: ООО «Ромашка», ИНН 7810109760, КПП 781001001",
		"Назначение платежа: Предоплата за товары по счету УТ-12, в том числе НДС 2000,00 руб.",
		"Покупатель: АО «Спектр», ИНН 7446628853, КПП 744601001",
		"Товары и услуги @40 Кол-во @48 Ед. @56 Цена, @64 Сумма,",
		"Саморез по металлу 4,2х16 мм @40 1,000 @48 шт @56 12000,00 @64 12000,00",
		"Цены и суммы в таблице указаны с учетом НДС (208 OAs",
		"Итого подлежит оплате: 12000,00 руб., в том числе НДС ¥ 0,29 руб.",
	}
	res := Extract(t.Context(), []pervichka.Page{pageScaled(1, 0.95, lines...)}, Config{}, nil)
	if res.VATAmount != "2000.00" || res.VATRate != "20" || slices.Contains(res.ReviewReasons, pervichka.ReasonVATMismatch) {
		t.Errorf("VAT %q at rate %q, reasons %v; want 2000.00 at 20 and no mismatch", res.VATAmount, res.VATRate, res.ReviewReasons)
	}
}

// A «Всего к оплате» row whose tax cell says «без НДС» gives no VAT from
// its figures unless they add up with it (seed 9601's scanned УПД 012
// read «1 13 292,89» for its amount without tax and took 292,89 as the
// VAT); a row whose tax is a figure still gives it.
func TestPayRowNoVATCell(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		row  string
		vats int
	}{
		{"Всего к оплате (9) @30 1 13 292,89 @45 : @50 x @55 А @60 без НДС| @70 113 292,80", 0},
		{"Всего к оплате (9) @30 1 000,00 @45 x @55 200,00 @70 1 200,00", 1},
	} {
		r := findTotals(buildLines([]pervichka.Page{pageOf(tc.row)}), pervichka.DocUPD, 0)
		if len(r.vats) != tc.vats {
			t.Errorf("%q: VAT candidates %+v, want %d", tc.row, r.vats, tc.vats)
		}
	}
}

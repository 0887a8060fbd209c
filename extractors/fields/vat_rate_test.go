package fields

import (
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

package fields

import (
	"testing"

	pervichka "github.com/pervichka/pervichka"
)

// A side whose ИНН the page's reading garbled into letters under a label
// that survived («ИНН/КПП продавца: вто (2б)», seed 9201's realistic УПД
// 010) gets it from a digit-only reading of the label's cell — when that
// reading passes the check digits; the document still goes to a clerk.
func TestReadMissingINN(t *testing.T) {
	t.Parallel()
	head := []string{
		"^Счет-фактура ^№ ^15 от 3 июня 2025 г. @70 (1)",
		"Продавец: ООО «Ромашка» @70 (2)",
	}
	tail := []string{
		"Покупатель: АО «Спектр» @70 (6)",
		"ИНН/КПП покупателя: 7446628853/744601001 @70 (6б)",
	}
	page := func(sellerIDs string) pervichka.Page {
		return pageScaled(1, 0.9, append(append(append([]string{}, head...), "ИНН/КПП продавца: "+sellerIDs+" @70 (2б)"), tail...)...)
	}
	for _, tc := range []struct {
		second, inn, kpp string
	}{
		{"7810109760/781001001", "7810109760", "781001001"},
		{"7810109761/781001001", "", ""},           // fails the check digits: nothing
		{"7810109760/500101001", "7810109760", ""}, // another region's КПП is not taken
	} {
		rr := pageRereader{pages: []pervichka.Page{page(tc.second)}, conf: 0.9}
		res := Extract(t.Context(), []pervichka.Page{page("вто")}, Config{}, rr)
		if string(res.Supplier.INN) != tc.inn || string(res.Supplier.KPP) != tc.kpp {
			t.Errorf("second reading %q: ИНН %q КПП %q, want %q %q", tc.second, res.Supplier.INN, res.Supplier.KPP, tc.inn, tc.kpp)
		}
		if !res.NeedsReview {
			t.Errorf("second reading %q: approved on one reading of the ИНН", tc.second)
		}
	}
}

// An «ИНН … КПП …» pair whose «ИНН» OCR garbled past its readings («ми.
// 3606802745 КПП 360601001», seed 9301's scanner-app bill 015) still gives
// the ИНН before the «КПП» — only with valid check digits, and not on its
// own word: the document goes to a clerk.
func TestINNBeforeKPPWithoutLabel(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		line, inn, kpp string
	}{
		{"ми. 3606802745 КПП 360601001 @60 Р/с № 40702810034608028174", "3606802745", "360601001"},
		{"ми. 3606802746 КПП 360601001 @60 Р/с № 40702810034608028174", "", ""}, // check digits fail
	} {
		lines := []string{
			"Продавец: ПАО «ГК Базис»",
			"394194, г. Воронеж, пр-т Вернадского, д. 117",
			tc.line,
			"^Счет ^на ^оплату ^№ ^836 от 18 марта 2026 г.",
			"Покупатель: АО «Спектр», ИНН 7446628853, КПП 744601001",
			"Итого: 32 704,41",
		}
		res := Extract(t.Context(), []pervichka.Page{pageScaled(1, 0.95, lines...)}, Config{}, nil)
		if string(res.Supplier.INN) != tc.inn || string(res.Supplier.KPP) != tc.kpp {
			t.Errorf("%q: supplier ИНН %q КПП %q, want %q %q", tc.line, res.Supplier.INN, res.Supplier.KPP, tc.inn, tc.kpp)
		}
		if string(res.Buyer.INN) != "7446628853" {
			t.Errorf("%q: buyer ИНН %q", tc.line, res.Buyer.INN)
		}
		if !res.NeedsReview {
			t.Errorf("%q: approved", tc.line)
		}
	}
}

// The «ИНН/КПП» pair of a form, its label garbled into Latin
// («AHHIKTIN nponmaya: 7822140300/782201001», seed 9301's realistic УПД
// 013), is the side's ИНН and КПП when the ИНН passes its check and the
// КПП is in its region — or, with the label's side word read («UHHYKAN
// продавца:», seed 9401's realistic УПД 003), a КПП of any region; the
// document still goes to a clerk.
func TestINNPairWithoutLabel(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		label, pair, inn, kpp string
	}{
		{"AHHIKTIN nponmaya:", "7810109760/781001001", "7810109760", "781001001"},
		{"AHHIKTIN nponmaya:", "7810109761/781001001", "", ""}, // check digits fail
		{"AHHIKTIN nponmaya:", "7810109760/501001001", "", ""}, // the КПП of another region
		{"UHHYKAN продавца:", "7810109760/501001001", "7810109760", "501001001"},
		{"UHHYKAN продавца:", "7810109761/501001001", "", ""},
	} {
		lines := []string{
			"^Счет-фактура ^№ ^15 от 3 июня 2025 г. @70 (1)",
			"Продавец: ООО «Ромашка» @70 (2)",
			tc.label + " " + tc.pair + " @70 (2б)",
			"Покупатель: АО «Спектр» @70 (6)",
			"ИНН/КПП покупателя: 7446628853/744601001 @70 (6б)",
		}
		res := Extract(t.Context(), []pervichka.Page{pageScaled(1, 0.95, lines...)}, Config{}, nil)
		if string(res.Supplier.INN) != tc.inn || string(res.Supplier.KPP) != tc.kpp {
			t.Errorf("%q: supplier ИНН %q КПП %q, want %q %q", tc.pair, res.Supplier.INN, res.Supplier.KPP, tc.inn, tc.kpp)
		}
		if string(res.Buyer.INN) != "7446628853" || !res.NeedsReview {
			t.Errorf("%q: buyer ИНН %q, needs review %v", tc.pair, res.Buyer.INN, res.NeedsReview)
		}
	}
}

// A side filled from the reading order, with no label tying it to its
// role, is a guess as a whole: its КПП and name are capped like its ИНН
// (seed 9401's photographed ТОРГ-12 008 delivered the consignor's КПП as
// the buyer's at 0.96, its payer's label read «ИЕ»).
func TestGuessedSideCapsEveryRequisite(t *testing.T) {
	t.Parallel()
	lines := []string{
		"^Счет ^на ^оплату ^№ ^836 от 18 марта 2026 г.",
		"ИЕ ООО «Ромашка», ИНН 7810109760, КПП 781001001",
		"Ае АО «Спектр», ИНН 7446628853, КПП 744601001",
		"Итого: 32 704,41",
	}
	res := Extract(t.Context(), []pervichka.Page{pageScaled(1, 0.97, lines...)}, Config{}, nil)
	for _, side := range []string{"supplier", "buyer"} {
		if _, ok := res.Confidence[side+".inn"]; !ok {
			t.Fatalf("%s: no ИНН read: %+v %+v", side, res.Supplier, res.Buyer)
		}
		for _, f := range []string{".inn", ".kpp", ".name"} {
			if c, ok := res.Confidence[side+f]; ok && c > guessedSideCap {
				t.Errorf("%s%s at %.2f on a side taken from the reading order (cap %.2f)", side, f, c, guessedSideCap)
			}
		}
	}
	if !res.NeedsReview {
		t.Error("approved with both sides guessed")
	}
}

// A twelve-digit number alone on a line whose label OCR garbled («ен ce
// О, 773609563425», unseen seed 9421's scanned УПД 021) is a sole trader's
// ИНН when both its check digits pass; ten digits alone, or twelve that
// fail, are not taken.
func TestLoneTwelveDigitINN(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ value, want string }{
		{"773609563425", "773609563425"},
		{"773609563426", ""},
		{"7810109760", ""},
	} {
		lines := []string{
			"^Счет-фактура ^№ ^15 от 3 июня 2025 г. @70 (1)",
			"Продавец: ИП Ильин Дмитрий Николаевич @70 (2)",
			"Адрес: 171411, г. Москва, ул. Новая, д. 149 @70 (2а)",
			"ен ce О, " + tc.value,
			"Покупатель: АО «Спектр» @70 (6)",
			"ИНН/КПП покупателя: 7446628853/744601001 @70 (6б)",
		}
		res := Extract(t.Context(), []pervichka.Page{pageScaled(1, 0.95, lines...)}, Config{}, nil)
		if string(res.Supplier.INN) != tc.want {
			t.Errorf("%q: supplier ИНН %q, want %q", tc.value, res.Supplier.INN, tc.want)
		}
		if string(res.Buyer.INN) != "7446628853" {
			t.Errorf("%q: buyer ИНН %q", tc.value, res.Buyer.INN)
		}
	}
}

// Running text wrapped between an ИНН ending its line and the КПП opening
// the next («…, ИНН 3628266417,» | «КПП 362801001, 394210, …», unseen seed
// 9441's born-digital act 037): the КПП is the side's.
func TestKPPWrappedAfterINN(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ second, want string }{
		{"@13 КПП 362801001, 394210, г. Воронеж, пер. Строителей, д. 108", "362801001"},
	} {
		lines := []string{
			"Акт № 1897 от 24 августа 2025 г.",
			"Исполнитель: Общество с ограниченной ответственностью \"Аврора-М\", ИНН 3628266417,",
			tc.second,
			"Заказчик: ООО \"ТеплоАльянс\", ИНН 7749149970, КПП 774901001",
		}
		res := Extract(t.Context(), []pervichka.Page{pageOf(lines...)}, Config{}, nil)
		if string(res.Supplier.KPP) != tc.want {
			t.Errorf("%q: supplier КПП %q, want %q", tc.second, res.Supplier.KPP, tc.want)
		}
	}
}

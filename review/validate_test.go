package review

import (
	"testing"
	"time"

	"github.com/pervichka/pervichka"
)

func TestValidate(t *testing.T) {
	base, _ := goldenInvoice(t)
	today := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	if got := validate(base, today); len(got) != 0 {
		t.Fatalf("the golden result fails checks: %v", got)
	}
	tests := []struct {
		name    string
		mutate  func(r *pervichka.Result)
		key     string
		errText string // "" means a warning is expected
		warn    string
	}{
		{"inn checksum", func(r *pervichka.Result) { r.Supplier.INN = badSupplierINN }, "supplier.inn", "Неверная контрольная сумма ИНН", ""},
		{"inn length", func(r *pervichka.Result) { r.Buyer.INN = "12345" }, "buyer.inn", "ИНН — 10 цифр (организация) или 12 (ИП)", ""},
		{"kpp format", func(r *pervichka.Result) { r.Supplier.KPP = "23320100" }, "supplier.kpp", "КПП — 9 знаков: 4 цифры, 2 цифры или буквы, 3 цифры", ""},
		{"kpp region", func(r *pervichka.Result) { r.Supplier.KPP = "773301001" }, "supplier.kpp", "", "КПП не соответствует региону ИНН"},
		{"missing number", func(r *pervichka.Result) { r.Number = "" }, "number", "Обязательное поле", ""},
		{"bad date", func(r *pervichka.Result) { r.Date = "31.02.2026" }, "date", "Дата в виде ДД.ММ.ГГГГ", ""},
		{"future date", func(r *pervichka.Result) { r.Date = "2027-01-01" }, "date", "", "Дата в будущем или старше десяти лет"},
		{"vat rate of 2025 in 2026", func(r *pervichka.Result) { r.VATRate = "20"; r.VATAmount = "7233.27" }, "vat_rate", "", "Ставка не действовала на дату документа (допустимы: 22, 10, 7, 5, 0, none)"},
		{"vat amount", func(r *pervichka.Result) { r.VATAmount = "7000.00" }, "vat_amount", "", "При ставке 22% НДС от итога 43399.59 — 7826.16"},
		{"items sum", func(r *pervichka.Result) { r.Total = "50000.00"; r.VATAmount = "9016.39" }, "total", "", "Сумма строк 43\u00a0399,59 не равна итогу 50\u00a0000,00"},
		{"money", func(r *pervichka.Result) { r.Total = "сорок" }, "total", "Сумма в рублях с копейками, например 1234.50", ""},
		{"same party", func(r *pervichka.Result) { r.Buyer = r.Supplier }, "buyer.inn", "Продавец и покупатель совпадают", ""},
		{"bik", func(r *pervichka.Result) { r.SupplierBank = &pervichka.Bank{BIK: "123456789"} }, "supplier_bank.bik", "БИК — 9 цифр, начинается с 04", ""},
		{"account key", func(r *pervichka.Result) {
			r.SupplierBank = &pervichka.Bank{BIK: "044525700", Account: "40702810004778425586"}
		}, "supplier_bank.account", "Расчётный счёт не проходит контроль ключа с этим БИК", ""},
		{"unknown type", func(r *pervichka.Result) { r.DocType = pervichka.DocUnknown }, "doc_type", "Выберите тип документа", ""},
		{"item quantity", func(r *pervichka.Result) {
			r.Items = append([]pervichka.Item(nil), r.Items...)
			r.Items[1].Quantity = "шесть"
		}, "items[1].quantity", "Количество — число, до трёх знаков после запятой", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := base
			tt.mutate(&r)
			got := validate(r, today)
			want := Check{Error: tt.errText, Warning: tt.warn}
			if got[tt.key] != want {
				t.Errorf("%s: %+v, want %+v (all: %v)", tt.key, got[tt.key], want, got)
			}
			if blocking(got) != (tt.errText != "") {
				t.Errorf("blocking %v", blocking(got))
			}
		})
	}
}

func TestNormalise(t *testing.T) {
	for _, c := range []struct {
		k        kind
		in, want string
	}{
		{kindMoney, "43 399,59", "43399.59"},
		{kindMoney, "12000", "12000.00"},
		{kindDate, "27.05.2026", "2026-05-27"},
		{kindDate, "27 мая 2026 г.", "2026-05-27"},
		{kindINN, " 2332 496 033 ", "2332496033"},
		{kindRate, "Без НДС", pervichka.VATNone},
		{kindRate, "22%", "22"},
		{kindQuantity, "1,500", "1.5"},
		{kindText, "  ООО «Ромашка» ", "ООО «Ромашка»"},
		{kindMoney, "сорок", "сорок"},
	} {
		if got := normalise(c.k, c.in); got != c.want {
			t.Errorf("normalise(%d, %q) = %q, want %q", c.k, c.in, got, c.want)
		}
	}
}

func TestLocate(t *testing.T) {
	res, page := goldenInvoice(t)
	boxes := map[string]pervichka.Rect{}
	for _, b := range locate([]pervichka.Page{page}, res) {
		boxes[b.Key] = b.Box
	}
	for _, key := range []string{"number", "supplier.name", "supplier.inn", "supplier.kpp", "buyer.inn", "date", "total", "vat_amount", "items[0].amount", "contract_ref.number"} {
		b, ok := boxes[key]
		if !ok || b.Dx() <= 0 || b.Dy() <= 0 || b.X1 > page.Width || b.Y1 > page.Height {
			t.Errorf("%s: box %v found %v (page %dx%d)", key, b, ok, page.Width, page.Height)
		}
	}
	// The box is where the value is printed: inside the first word
	// «2332496033/233201001», over its first half.
	b := boxes["supplier.inn"]
	var word pervichka.Word
	for _, w := range page.Words {
		if w.Text == goodSupplierINN+"/233201001" {
			word = w
			break
		}
	}
	if word.Text == "" || b.X0 != word.Box.X0 || b.Y0 != word.Box.Y0 || b.X1 >= word.Box.X1 || b.X1 < word.Box.X0+word.Box.Dx()/2 {
		t.Errorf("ИНН box %v, word %q at %v", b, word.Text, word.Box)
	}
	// A misread value is not on the page: no box rather than a wrong one.
	res.Supplier.INN = badSupplierINN
	for _, b := range locate([]pervichka.Page{page}, res) {
		if b.Key == "supplier.inn" {
			t.Errorf("a misread ИНН was boxed at %v", b.Box)
		}
	}
}

func TestReasonText(t *testing.T) {
	for in, want := range map[string]string{
		"inn_checksum:supplier":  "Неверная контрольная сумма ИНН (поставщик)",
		"low_confidence:total":   "Низкая уверенность распознавания (Итого)",
		"bank_changed:supplier":  "Банковские реквизиты отличаются от прежних документов этого контрагента (поставщик)",
		"something_new:whatever": "something_new:whatever (whatever)",
	} {
		if got := reasonText(in); got != want {
			t.Errorf("reasonText(%q) = %q, want %q", in, got, want)
		}
	}
}

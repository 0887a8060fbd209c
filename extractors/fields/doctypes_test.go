package fields

import (
	"context"
	"slices"
	"testing"

	pervichka "github.com/pervichka/pervichka"
)

var vatInvoice = []string{
	"@70 Приложение № 1 к постановлению Правительства РФ от 26.12.2011 № 1137",
	"^Счет-фактура ^№ ^318 ^от ^05.06.2025 @40 (1)",
	"Исправление № -- от -- @40 (1а)",
	"Продавец: ООО «Ромашка» @90 (2)",
	"Адрес: 101000, г. Москва, ул. Ленина, д. 1 @90 (2а)",
	"ИНН/КПП продавца: 7701234560/770101001 @90 (2б)",
	"Грузоотправитель и его адрес: он же @90 (3)",
	"Грузополучатель и его адрес: ООО «Лютик», г. Химки @90 (4)",
	"К платежно-расчетному документу № -- от -- @90 (5)",
	"Покупатель: ООО «Лютик» @90 (6)",
	"Адрес: 141400, г. Химки, ул. Мира, д. 5 @90 (6а)",
	"ИНН/КПП покупателя: 5003123458/500301001 @90 (6б)",
	"Валюта: наименование, код Российский рубль, 643 @90 (7)",
	"Наименование товара @34 Ед. @40 Кол- @46 Цена @56 Стоимость @68 Нало- @76 Сумма @88 Стоимость",
	"(описание работ, услуг) @34 изм. @40 во @46 за ед. @56 без налога @68 говая @76 налога @88 с налогом",
	"@68 ставка",
	"@12 1 @35 2а @41 3 @49 4 @60 5 @70 7 @80 8 @92 9",
	"Цемент М500 Д0, мешок 50 кг @34 шт @40 40 @46 500,00 @56 20 000,00 @68 20% @76 4 000,00 @88 24 000,00",
	"Всего к оплате (9) @56 20 000,00 @68 X @76 4 000,00 @88 24 000,00",
}

var upd = append([]string{
	"Универсальный @22 ^Счет-фактура ^№ ^318 ^от ^05.06.2025 @60 (1)",
	"передаточный @22 Исправление № -- от -- @60 (1а)",
	"документ",
	"Статус: 1 @22 Продавец: ООО «Ромашка» @90 (2)",
}, vatInvoice[4:]...)

var act = []string{
	"^Акт ^№ ^12 ^от ^31 ^мая ^2025 ^г.",
	"Исполнитель: @14 ООО «Ромашка», ИНН 7701234560, КПП 770101001, 101000, г. Москва",
	"Заказчик: @14 ИП Иванов Иван Иванович, ИНН 500100732259, 143000, г. Одинцово",
	"Основание: @14 Договор № Д-5 от 10.01.2025",
	"№ @4 Наименование работ, услуг @60 Кол-во @68 Ед. @74 Цена @84 Сумма",
	"1 @4 Услуги по уборке офисных помещений за май 2025 г. @62 1 @68 мес. @74 30 000,00 @84 30 000,00",
	"@66 Итого: @76 30 000,00",
	"@66 Без налога (НДС) @76 -",
	"Всего оказано услуг 1, на сумму 30 000,00 руб.",
}

var contract = []string{
	"^ДОГОВОР ^№ ^15/24",
	"^на ^оказание ^услуг",
	"г. Москва @70 «01» февраля 2024 г.",
	"ООО «Ромашка», именуемое в дальнейшем «Исполнитель», в лице генерального директора Петрова П. П.,",
	"с одной стороны, и ООО «Лютик», именуемое в дальнейшем «Заказчик», с другой стороны, заключили",
	"1. ПРЕДМЕТ ДОГОВОРА",
	"1.1. Исполнитель обязуется оказать услуги, а Заказчик обязуется оплатить их.",
	"2.1. Цена договора составляет 120 000,00 руб., в том числе НДС 20% 20 000,00 руб.",
	"Сто двадцать тысяч рублей 00 копеек",
	"8. РЕКВИЗИТЫ И ПОДПИСИ СТОРОН",
	"Исполнитель: @50 Заказчик:",
	"ООО «Ромашка» @50 ООО «Лютик»",
	"ИНН 7701234560 @50 ИНН 5003123458",
	"КПП 770101001 @50 КПП 500301001",
	"Р/с 40702810200000012345 @50 Р/с 40702810000000000001",
	"Банк: АО «АЛЬФА-БАНК» @50 Банк: ПАО Сбербанк",
	"БИК 044525225 @50 БИК 044525000",
	"К/с 30101810400000000225 @50 К/с 30101810400000000000",
}

func TestExtractDocTypes(t *testing.T) {
	t.Parallel()
	romashka := pervichka.Party{Name: "ООО «Ромашка»", INN: "7701234560", KPP: "770101001"}
	lutik := pervichka.Party{Name: "ООО «Лютик»", INN: "5003123458", KPP: "500301001"}
	sfItems := []pervichka.Item{{Name: "Цемент М500 Д0, мешок 50 кг", Quantity: "40", Unit: "шт", Price: "500.00", Amount: "24000.00", VATAmount: "4000.00"}}
	for _, tc := range []struct {
		name   string
		lines  []string
		want   pervichka.Result
		review bool
	}{
		{"vat_invoice", vatInvoice, pervichka.Result{DocType: pervichka.DocVATInvoice, Number: "318", Date: "2025-06-05",
			Supplier: romashka, Buyer: lutik, Total: "24000.00", VATRate: "20", VATAmount: "4000.00", Items: sfItems}, false},
		{"upd", upd, pervichka.Result{DocType: pervichka.DocUPD, Number: "318", Date: "2025-06-05",
			Supplier: romashka, Buyer: lutik, Total: "24000.00", VATRate: "20", VATAmount: "4000.00", Items: sfItems}, false},
		{"act", act, pervichka.Result{DocType: pervichka.DocAct, Number: "12", Date: "2025-05-31",
			Supplier: romashka, Buyer: pervichka.Party{Name: "ИП Иванов Иван Иванович", INN: "500100732259"},
			ContractRef: &pervichka.ContractRef{Number: "Д-5", Date: "2025-01-10"},
			Total:       "30000.00", VATRate: "none",
			Items: []pervichka.Item{{Name: "Услуги по уборке офисных помещений за май 2025 г.", Quantity: "1", Unit: "мес.", Price: "30000.00", Amount: "30000.00"}}},
			true}, // no own company on it
		{"contract", contract, pervichka.Result{DocType: pervichka.DocContract, Number: "15/24", Date: "2024-02-01",
			Supplier: romashka, Buyer: lutik, Total: "120000.00", VATRate: "20", VATAmount: "20000.00",
			SupplierBank: &pervichka.Bank{BankName: "АО «АЛЬФА-БАНК»", BIK: "044525225", Account: "40702810200000012345", CorrAccount: "30101810400000000225"}}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			res := Extract(context.Background(), []pervichka.Page{pageOf(tc.lines...)}, cfg(), nil)
			checkResult(t, res, tc.want)
			if res.NeedsReview != tc.review {
				t.Errorf("needs_review = %v (%v), want %v", res.NeedsReview, res.ReviewReasons, tc.review)
			}
		})
	}
}

// A contract's bank printed as «в …» on the line under the account and
// wrapped onto the next line is read whole: seed 1's contracts 023 and 035
// took «"АЛЬФА-БАНК"» alone, the only line naming a bank, from a text layer
// at confidence 1.
func TestContractBankUnderAccount(t *testing.T) {
	t.Parallel()
	lines := edit(contract, "Банк: АО «АЛЬФА-БАНК» @50 Банк: ПАО Сбербанк", `в ФИЛИАЛ "НОВОСИБИРСКИЙ" АО @50 в ПАО Сбербанк`)
	lines = slices.Insert(lines, slices.Index(lines, `в ФИЛИАЛ "НОВОСИБИРСКИЙ" АО @50 в ПАО Сбербанк`)+1, `"АЛЬФА-БАНК"`)
	res := Extract(context.Background(), []pervichka.Page{pageOf(lines...)}, cfg(), nil)
	if res.SupplierBank == nil || res.SupplierBank.BankName != `ФИЛИАЛ "НОВОСИБИРСКИЙ" АО "АЛЬФА-БАНК"` {
		t.Errorf("bank %+v", res.SupplierBank)
	}
}

package review

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/pervichka/pervichka"
)

// kind says how a field is checked and normalised.
type kind int

const (
	kindText kind = iota
	kindDocType
	kindDate
	kindINN
	kindKPP
	kindBIK
	kindAccount
	kindCorrAccount
	kindMoney
	kindRate
	kindQuantity
)

// field is one editable value of a pervichka.Result: where it lives in the
// result (Key, the same path the confidence map and review reasons use),
// its Russian label and how to read and write it.
type field struct {
	Key   string
	Label string
	Kind  kind
	Group string
	get   func(r *pervichka.Result) pervichka.Text
	set   func(r *pervichka.Result, v pervichka.Text)
}

func bank(r *pervichka.Result) *pervichka.Bank {
	if r.SupplierBank == nil {
		r.SupplierBank = &pervichka.Bank{}
	}
	return r.SupplierBank
}

func contract(r *pervichka.Result) *pervichka.ContractRef {
	if r.ContractRef == nil {
		r.ContractRef = &pervichka.ContractRef{}
	}
	return r.ContractRef
}

// fields are the result's scalar fields in the order the form shows them.
var fields = []field{
	{"doc_type", "Тип документа", kindDocType, "Документ",
		func(r *pervichka.Result) pervichka.Text { return pervichka.Text(r.DocType) },
		func(r *pervichka.Result, v pervichka.Text) { r.DocType = pervichka.DocType(v) }},
	{"number", "Номер", kindText, "Документ",
		func(r *pervichka.Result) pervichka.Text { return r.Number }, func(r *pervichka.Result, v pervichka.Text) { r.Number = v }},
	{"date", "Дата", kindDate, "Документ",
		func(r *pervichka.Result) pervichka.Text { return r.Date }, func(r *pervichka.Result, v pervichka.Text) { r.Date = v }},
	{"supplier.name", "Наименование", kindText, "Поставщик",
		func(r *pervichka.Result) pervichka.Text { return r.Supplier.Name }, func(r *pervichka.Result, v pervichka.Text) { r.Supplier.Name = v }},
	{"supplier.inn", "ИНН", kindINN, "Поставщик",
		func(r *pervichka.Result) pervichka.Text { return r.Supplier.INN }, func(r *pervichka.Result, v pervichka.Text) { r.Supplier.INN = v }},
	{"supplier.kpp", "КПП", kindKPP, "Поставщик",
		func(r *pervichka.Result) pervichka.Text { return r.Supplier.KPP }, func(r *pervichka.Result, v pervichka.Text) { r.Supplier.KPP = v }},
	{"buyer.name", "Наименование", kindText, "Покупатель",
		func(r *pervichka.Result) pervichka.Text { return r.Buyer.Name }, func(r *pervichka.Result, v pervichka.Text) { r.Buyer.Name = v }},
	{"buyer.inn", "ИНН", kindINN, "Покупатель",
		func(r *pervichka.Result) pervichka.Text { return r.Buyer.INN }, func(r *pervichka.Result, v pervichka.Text) { r.Buyer.INN = v }},
	{"buyer.kpp", "КПП", kindKPP, "Покупатель",
		func(r *pervichka.Result) pervichka.Text { return r.Buyer.KPP }, func(r *pervichka.Result, v pervichka.Text) { r.Buyer.KPP = v }},
	{"supplier_bank.bank_name", "Банк", kindText, "Банковские реквизиты поставщика",
		func(r *pervichka.Result) pervichka.Text { return bankOf(r).BankName }, func(r *pervichka.Result, v pervichka.Text) { bank(r).BankName = v }},
	{"supplier_bank.bik", "БИК", kindBIK, "Банковские реквизиты поставщика",
		func(r *pervichka.Result) pervichka.Text { return bankOf(r).BIK }, func(r *pervichka.Result, v pervichka.Text) { bank(r).BIK = v }},
	{"supplier_bank.account", "Расчётный счёт", kindAccount, "Банковские реквизиты поставщика",
		func(r *pervichka.Result) pervichka.Text { return bankOf(r).Account }, func(r *pervichka.Result, v pervichka.Text) { bank(r).Account = v }},
	{"supplier_bank.corr_account", "Корр. счёт", kindCorrAccount, "Банковские реквизиты поставщика",
		func(r *pervichka.Result) pervichka.Text { return bankOf(r).CorrAccount }, func(r *pervichka.Result, v pervichka.Text) { bank(r).CorrAccount = v }},
	{"contract_ref.number", "Договор №", kindText, "Основание",
		func(r *pervichka.Result) pervichka.Text { return contractOf(r).Number }, func(r *pervichka.Result, v pervichka.Text) { contract(r).Number = v }},
	{"contract_ref.date", "Договор от", kindDate, "Основание",
		func(r *pervichka.Result) pervichka.Text { return contractOf(r).Date }, func(r *pervichka.Result, v pervichka.Text) { contract(r).Date = v }},
	{"total", "Итого", kindMoney, "Суммы",
		func(r *pervichka.Result) pervichka.Text { return r.Total }, func(r *pervichka.Result, v pervichka.Text) { r.Total = v }},
	{"vat_rate", "Ставка НДС", kindRate, "Суммы",
		func(r *pervichka.Result) pervichka.Text { return r.VATRate }, func(r *pervichka.Result, v pervichka.Text) { r.VATRate = v }},
	{"vat_amount", "Сумма НДС", kindMoney, "Суммы",
		func(r *pervichka.Result) pervichka.Text { return r.VATAmount }, func(r *pervichka.Result, v pervichka.Text) { r.VATAmount = v }},
}

func bankOf(r *pervichka.Result) pervichka.Bank {
	if r.SupplierBank == nil {
		return pervichka.Bank{}
	}
	return *r.SupplierBank
}

func contractOf(r *pervichka.Result) pervichka.ContractRef {
	if r.ContractRef == nil {
		return pervichka.ContractRef{}
	}
	return *r.ContractRef
}

// itemColumn is one column of the line items table.
type itemColumn struct {
	Key   string
	Label string
	Kind  kind
	get   func(it *pervichka.Item) pervichka.Text
	set   func(it *pervichka.Item, v pervichka.Text)
}

var itemColumns = []itemColumn{
	{"name", "Наименование", kindText, func(it *pervichka.Item) pervichka.Text { return it.Name }, func(it *pervichka.Item, v pervichka.Text) { it.Name = v }},
	{"quantity", "Кол-во", kindQuantity, func(it *pervichka.Item) pervichka.Text { return it.Quantity }, func(it *pervichka.Item, v pervichka.Text) { it.Quantity = v }},
	{"unit", "Ед.", kindText, func(it *pervichka.Item) pervichka.Text { return it.Unit }, func(it *pervichka.Item, v pervichka.Text) { it.Unit = v }},
	{"price", "Цена", kindMoney, func(it *pervichka.Item) pervichka.Text { return it.Price }, func(it *pervichka.Item, v pervichka.Text) { it.Price = v }},
	{"amount", "Сумма", kindMoney, func(it *pervichka.Item) pervichka.Text { return it.Amount }, func(it *pervichka.Item, v pervichka.Text) { it.Amount = v }},
	{"vat_amount", "НДС", kindMoney, func(it *pervichka.Item) pervichka.Text { return it.VATAmount }, func(it *pervichka.Item, v pervichka.Text) { it.VATAmount = v }},
}

// itemKey is the path of an item's column, as corrections record it.
func itemKey(i int, col string) string { return fmt.Sprintf("items[%d].%s", i, col) }

// maxItems bounds the line items a form may carry, so that a crafted post
// cannot make the server allocate without limit.
const maxItems = 500

// form is what a clerk submitted: field values by key, item cells by
// itemKey, and the version the page was rendered from.
type form struct {
	Values  map[string]string
	Items   int
	Version int
}

// parseForm reads the document form from url-encoded values.
func parseForm(get func(string) string) (form, error) {
	f := form{Values: map[string]string{}}
	v, err := strconv.Atoi(get("version"))
	if err != nil || v < 1 {
		return f, fmt.Errorf("нет версии документа в форме")
	}
	f.Version = v
	for _, fl := range fields {
		f.Values[fl.Key] = strings.TrimSpace(get("f." + fl.Key))
	}
	n, err := strconv.Atoi(get("items"))
	if err != nil || n < 0 || n > maxItems {
		return f, fmt.Errorf("неверное число строк таблицы")
	}
	f.Items = n
	for i := range n {
		for _, c := range itemColumns {
			k := itemKey(i, c.Key)
			f.Values[k] = strings.TrimSpace(get("f." + k))
		}
	}
	return f, nil
}

// apply writes the form onto a copy of the stored result. Values are
// normalised where the kind has one form (money "1 234,5" → "1234.50",
// dates → YYYY-MM-DD); a value that does not parse is kept as typed, and
// the validators say what is wrong with it. The extractor's locations of
// the values the form changed are dropped (keptLocations).
func (f form) apply(stored pervichka.Result) pervichka.Result {
	r := stored
	if stored.SupplierBank != nil {
		b := *stored.SupplierBank
		r.SupplierBank = &b
	}
	if stored.ContractRef != nil {
		c := *stored.ContractRef
		r.ContractRef = &c
	}
	for _, fl := range fields {
		fl.set(&r, pervichka.Text(normalise(fl.Kind, f.Values[fl.Key])))
	}
	if r.SupplierBank != nil && *r.SupplierBank == (pervichka.Bank{}) {
		r.SupplierBank = nil
	}
	if r.ContractRef != nil && *r.ContractRef == (pervichka.ContractRef{}) {
		r.ContractRef = nil
	}
	items := make([]pervichka.Item, 0, f.Items)
	for i := range f.Items {
		var it pervichka.Item
		for _, c := range itemColumns {
			c.set(&it, pervichka.Text(normalise(c.Kind, f.Values[itemKey(i, c.Key)])))
		}
		if it != (pervichka.Item{}) {
			items = append(items, it)
		}
	}
	r.Items = items
	r.Locations = keptLocations(stored, r)
	return r
}

// values flattens a result into the form's keys, for rendering and for
// comparing before with after.
func values(r pervichka.Result) map[string]string {
	out := map[string]string{}
	for _, fl := range fields {
		out[fl.Key] = string(fl.get(&r))
	}
	for i := range r.Items {
		for _, c := range itemColumns {
			out[itemKey(i, c.Key)] = string(c.get(&r.Items[i]))
		}
	}
	return out
}

// changes lists the keys whose value differs between before and after, in
// form order, with both values.
func changes(before, after pervichka.Result) [][3]string {
	b, a := values(before), values(after)
	var out [][3]string
	for _, fl := range fields {
		if b[fl.Key] != a[fl.Key] {
			out = append(out, [3]string{fl.Key, b[fl.Key], a[fl.Key]})
		}
	}
	n := max(len(before.Items), len(after.Items))
	for i := range n {
		for _, c := range itemColumns {
			k := itemKey(i, c.Key)
			if b[k] != a[k] {
				out = append(out, [3]string{k, b[k], a[k]})
			}
		}
	}
	return out
}

// fieldLabel is the Russian name of a key for the history table.
func fieldLabel(key string) string {
	if key == "items" {
		return "Строки"
	}
	for _, fl := range fields {
		if fl.Key == key {
			if fl.Group != "Документ" && fl.Group != "Суммы" {
				return fl.Group + ": " + fl.Label
			}
			return fl.Label
		}
	}
	var i int
	var col string
	if n, _ := fmt.Sscanf(strings.Replace(key, "].", "] ", 1), "items[%d] %s", &i, &col); n == 2 {
		for _, c := range itemColumns {
			if c.Key == col {
				return fmt.Sprintf("Строка %d: %s", i+1, c.Label)
			}
		}
	}
	return key
}

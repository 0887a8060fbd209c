// Package eval scores extraction results against the corpus ground truth:
// field accuracy, whole-document correctness of the key fields, the
// auto-approval rate and — the number that matters most — the silent-error
// rate: documents posted without review while a key field is wrong.
package eval

import (
	"fmt"
	"regexp"
	"strings"

	pervichka "github.com/pervichka/pervichka"
	"github.com/pervichka/pervichka/extractors/ruvalid"
)

// kind says how a field's values are normalised before comparison.
type kind int

const (
	kindExact    kind = iota // enums: doc_type, vat_rate, currency, ISO dates
	kindName                 // quotes, case, ё/е and legal forms ignored
	kindNumber               // spaces and Latin/Cyrillic look-alikes ignored
	kindDecimal              // compared as decimals with two places
	kindQuantity             // compared as decimals with up to three places
	kindUnit                 // a known unit by its ОКЕИ code ("мес" = "мес."), else as a name
	kindItemName             // as a name, with Latin/Cyrillic look-alikes as one letter
	kindBankName             // as a name, without the city after it («… г. Москва»)
)

// bankCityRe is the city printed after a bank's name, «г. Москва» or «в г.
// Москве»: the extractor leaves it out (fields.bankNameFrom), hand-made
// truth of real bills keeps it as printed; neither is wrong.
var bankCityRe = regexp.MustCompile(`(?i)(?:\s+в)?\s+г\.?\s*[А-ЯЁа-яё\- ]+$`)

// normalize maps a printed value to its comparable form. An empty value stays
// empty, so "not found" never equals a printed value.
func normalize(k kind, v pervichka.Text) string {
	s := strings.TrimSpace(string(v))
	if s == "" {
		return ""
	}
	switch k {
	case kindName:
		return ruvalid.NormalizeName(s)
	case kindNumber:
		return ruvalid.NormalizeNumber(s)
	case kindDecimal:
		if d, ok := ruvalid.NormalizeDecimal(s); ok {
			return d
		}
	case kindQuantity:
		if d, ok := ruvalid.NormalizeQuantity(s); ok {
			return d
		}
	case kindItemName:
		// «HP 85A» printed in Latin and «НР 85А» in Cyrillic are the
		// same pixels: no reader of the page can tell which was typed.
		return ruvalid.FoldLookalikes(ruvalid.NormalizeName(s))
	case kindBankName:
		return ruvalid.NormalizeName(bankCityRe.ReplaceAllString(s, ""))
	case kindUnit:
		if u, ok := ruvalid.LookupUnit(s); ok {
			return "okei:" + u.Code
		}
		return ruvalid.NormalizeName(s)
	}
	return s
}

// field is one scored value of a document.
type field struct {
	path string
	kind kind
	get  func(*pervichka.Result) pervichka.Text
}

// scalarFields are the fields every document is scored on; a null in the
// truth (a КПП of an ИП, the VAT of a «Без НДС» bill) must come out null.
var scalarFields = []field{
	{"doc_type", kindExact, func(r *pervichka.Result) pervichka.Text { return pervichka.Text(r.DocType) }},
	{"number", kindNumber, func(r *pervichka.Result) pervichka.Text { return r.Number }},
	{"date", kindExact, func(r *pervichka.Result) pervichka.Text { return r.Date }},
	{"supplier.name", kindName, func(r *pervichka.Result) pervichka.Text { return r.Supplier.Name }},
	{"supplier.inn", kindNumber, func(r *pervichka.Result) pervichka.Text { return r.Supplier.INN }},
	{"supplier.kpp", kindNumber, func(r *pervichka.Result) pervichka.Text { return r.Supplier.KPP }},
	{"buyer.name", kindName, func(r *pervichka.Result) pervichka.Text { return r.Buyer.Name }},
	{"buyer.inn", kindNumber, func(r *pervichka.Result) pervichka.Text { return r.Buyer.INN }},
	{"buyer.kpp", kindNumber, func(r *pervichka.Result) pervichka.Text { return r.Buyer.KPP }},
	{"currency", kindExact, func(r *pervichka.Result) pervichka.Text { return r.Currency }},
	{"total", kindDecimal, func(r *pervichka.Result) pervichka.Text { return r.Total }},
	{"vat_rate", kindExact, func(r *pervichka.Result) pervichka.Text { return r.VATRate }},
	{"vat_amount", kindDecimal, func(r *pervichka.Result) pervichka.Text { return r.VATAmount }},
}

func bankOf(r *pervichka.Result) pervichka.Bank {
	if r.SupplierBank == nil {
		return pervichka.Bank{}
	}
	return *r.SupplierBank
}

func refOf(r *pervichka.Result) pervichka.ContractRef {
	if r.ContractRef == nil {
		return pervichka.ContractRef{}
	}
	return *r.ContractRef
}

// bankFields are scored when the truth has a bank block (bills, contracts);
// contractRefFields when the document prints «Основание: Договор № … от …».
var (
	bankFields = []field{
		{"supplier_bank.bank_name", kindBankName, func(r *pervichka.Result) pervichka.Text { return bankOf(r).BankName }},
		{"supplier_bank.bik", kindNumber, func(r *pervichka.Result) pervichka.Text { return bankOf(r).BIK }},
		{"supplier_bank.account", kindNumber, func(r *pervichka.Result) pervichka.Text { return bankOf(r).Account }},
		{"supplier_bank.corr_account", kindNumber, func(r *pervichka.Result) pervichka.Text { return bankOf(r).CorrAccount }},
	}
	contractRefFields = []field{
		{"contract_ref.number", kindNumber, func(r *pervichka.Result) pervichka.Text { return refOf(r).Number }},
		{"contract_ref.date", kindExact, func(r *pervichka.Result) pervichka.Text { return refOf(r).Date }},
	}
)

var itemFields = []struct {
	name string
	kind kind
	get  func(pervichka.Item) pervichka.Text
}{
	{"name", kindItemName, func(it pervichka.Item) pervichka.Text { return it.Name }},
	{"quantity", kindQuantity, func(it pervichka.Item) pervichka.Text { return it.Quantity }},
	{"unit", kindUnit, func(it pervichka.Item) pervichka.Text { return it.Unit }},
	{"price", kindDecimal, func(it pervichka.Item) pervichka.Text { return it.Price }},
	{"amount", kindDecimal, func(it pervichka.Item) pervichka.Text { return it.Amount }},
	{"vat_amount", kindDecimal, func(it pervichka.Item) pervichka.Text { return it.VATAmount }},
}

// Comparison is the field-by-field verdict on one result.
type Comparison struct {
	Fields int      // fields scored
	Right  int      // fields equal after normalisation
	Wrong  []string // paths of wrong fields; items as "items[3].price"
	// Diffs says what was wanted and what was read for each wrong field,
	// in the order of Wrong, for the per-file report.
	Diffs []Diff
	// KeyOK is true when every key field (pervichka.KeyFields) is right.
	KeyOK bool
	// BankOK is true when the truth has a bank block and its БИК, account
	// and correspondent account were all read right — what a payment needs
	// (the bank's name follows from the БИК and is scored as a field only).
	BankOK bool
}

// Diff is one wrong field: the printed truth and what was read.
type Diff struct {
	Path string `json:"path"`
	Want string `json:"want"`
	Got  string `json:"got"`
}

func (c *Comparison) check(path string, k kind, w, g pervichka.Text) bool {
	c.Fields++
	if normalize(k, w) == normalize(k, g) {
		c.Right++
		return true
	}
	c.Wrong = append(c.Wrong, path)
	c.Diffs = append(c.Diffs, Diff{Path: path, Want: string(w), Got: string(g)})
	return false
}

// Compare scores got against want. Items are compared by position; a missing
// or extra item counts every field of it as wrong, and the item count is a
// field of its own ("items.count").
func Compare(want, got *pervichka.Result) Comparison {
	c := compareHead(want, got)
	if len(want.Items) > 0 || len(got.Items) > 0 {
		c.check("items.count", kindExact, pervichka.Text(fmt.Sprint(len(want.Items))), pervichka.Text(fmt.Sprint(len(got.Items))))
	}
	n := max(len(want.Items), len(got.Items))
	for i := range n {
		var w, g pervichka.Item
		if i < len(want.Items) {
			w = want.Items[i]
		}
		if i < len(got.Items) {
			g = got.Items[i]
		}
		for _, f := range itemFields {
			c.check(fmt.Sprintf("items[%d].%s", i, f.name), f.kind, f.get(w), f.get(g))
		}
	}
	c.finish()
	return c
}

// CompareReal scores a real document, whose truth labels the number of
// table lines but not the lines: the items are scored as "items.count"
// only, and not at all when lines is 0.
func CompareReal(want, got *pervichka.Result, lines int) Comparison {
	c := compareHead(want, got)
	if lines > 0 {
		c.check("items.count", kindExact, pervichka.Text(fmt.Sprint(lines)), pervichka.Text(fmt.Sprint(len(got.Items))))
	}
	c.finish()
	return c
}

// compareHead scores everything above the table: the scalar fields, the
// bank block and the contract reference.
func compareHead(want, got *pervichka.Result) Comparison {
	var c Comparison
	for _, f := range scalarFields {
		c.check(f.path, f.kind, f.get(want), f.get(got))
	}
	if want.SupplierBank != nil {
		c.BankOK = true
		for _, f := range bankFields {
			if !c.check(f.path, f.kind, f.get(want), f.get(got)) && f.path != "supplier_bank.bank_name" {
				c.BankOK = false
			}
		}
	}
	if want.ContractRef != nil {
		for _, f := range contractRefFields {
			c.check(f.path, f.kind, f.get(want), f.get(got))
		}
	}
	return c
}

func (c *Comparison) finish() {
	c.KeyOK = true
	for _, p := range c.Wrong {
		if isKeyField(p) {
			c.KeyOK = false
			break
		}
	}
}

func isKeyField(path string) bool {
	for _, k := range pervichka.KeyFields {
		if k == path {
			return true
		}
	}
	return false
}

// genericPath folds item indexes so that "items[3].price" and
// "items[0].price" count as one field in the most-missed list.
func genericPath(p string) string {
	if !strings.HasPrefix(p, "items[") {
		return p
	}
	if i := strings.Index(p, "]"); i > 0 {
		return "items[]" + p[i+1:]
	}
	return p
}

package eval

import (
	"bytes"
	"slices"
	"strings"
	"testing"

	pervichka "github.com/pervichka/pervichka"
	"github.com/pervichka/pervichka/corpus"
)

func base() pervichka.Result {
	return pervichka.Result{
		DocType:   pervichka.DocInvoice,
		Number:    "А-17",
		Date:      "2024-03-20",
		Supplier:  pervichka.Party{Name: `ООО "Ромашка"`, INN: "7707083893", KPP: "773601001"},
		Buyer:     pervichka.Party{Name: "ИП Ёлкин Пётр Иванович", INN: "500100732259"},
		Currency:  "RUB",
		Total:     "214500.00",
		VATRate:   "20",
		VATAmount: "35750.00",
		Items: []pervichka.Item{
			{Name: "Услуги связи", Quantity: "1", Unit: "усл. ед.", Price: "214500.00", Amount: "214500.00", VATAmount: "35750.00"},
		},
	}
}

func TestCompareNormalisation(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name      string
		mutate    func(r *pervichka.Result)
		wantWrong []string
		keyOK     bool
	}{
		{"identical", func(r *pervichka.Result) {}, nil, true},
		{"legal form spelled out, other quotes", func(r *pervichka.Result) {
			r.Supplier.Name = "Общество с ограниченной ответственностью «РОМАШКА»"
		}, nil, true},
		{"ё as е and case", func(r *pervichka.Result) { r.Buyer.Name = "ип елкин петр иванович" }, nil, true},
		{"Latin look-alike in number", func(r *pervichka.Result) { r.Number = "A-17" }, nil, true},
		{"spaces in INN", func(r *pervichka.Result) { r.Supplier.INN = "7707 083 893" }, nil, true},
		{"decimal with comma and spaces", func(r *pervichka.Result) { r.Total = "214 500,00" }, nil, true},
		{"decimal without fraction", func(r *pervichka.Result) { r.Total = "214500" }, nil, true},
		{"quantity with trailing zeros", func(r *pervichka.Result) { r.Items[0].Quantity = "1.000" }, nil, true},
		{"leading zeros matter in numbers", func(r *pervichka.Result) { r.Number = "017" }, []string{"number"}, false},
		{"kopeck off", func(r *pervichka.Result) { r.Total = "214500.01" }, []string{"total"}, false},
		{"KPP invented for an ИП", func(r *pervichka.Result) { r.Buyer.KPP = "773601001" }, []string{"buyer.kpp"}, true},
		{"VAT missing", func(r *pervichka.Result) { r.VATAmount = "" }, []string{"vat_amount"}, false},
		{"wrong name is a key field (issue 13)", func(r *pervichka.Result) { r.Supplier.Name = "ООО Лютик" }, []string{"supplier.name"}, false},
		{"wrong KPP is not a key field", func(r *pervichka.Result) { r.Supplier.KPP = "770101002" }, []string{"supplier.kpp"}, true},
		{"item lost", func(r *pervichka.Result) { r.Items = nil }, []string{
			"items.count", "items[0].name", "items[0].quantity", "items[0].unit",
			"items[0].price", "items[0].amount", "items[0].vat_amount"}, true},
		{"extra item", func(r *pervichka.Result) {
			r.Items = append(r.Items, pervichka.Item{Name: "Лишнее"})
		}, []string{"items.count", "items[1].name"}, true},
		{"doc type", func(r *pervichka.Result) { r.DocType = pervichka.DocAct }, []string{"doc_type"}, false},
		{"Latin look-alikes in an item name", func(r *pervichka.Result) { r.Items[0].Name = "Ycлyги cвязи" }, nil, true},
		{"a wrong letter in an item name", func(r *pervichka.Result) { r.Items[0].Name = "Услуги свази" }, []string{"items[0].name"}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			want, got := base(), base()
			got.Items = slices.Clone(got.Items)
			tc.mutate(&got)
			c := Compare(&want, &got)
			if !slices.Equal(c.Wrong, tc.wantWrong) {
				t.Errorf("wrong fields = %v, want %v", c.Wrong, tc.wantWrong)
			}
			if c.KeyOK != tc.keyOK {
				t.Errorf("KeyOK = %v, want %v", c.KeyOK, tc.keyOK)
			}
			if c.Right != c.Fields-len(tc.wantWrong) {
				t.Errorf("right = %d of %d with %d wrong", c.Right, c.Fields, len(c.Wrong))
			}
		})
	}
}

func TestCompareOptionalBlocks(t *testing.T) {
	t.Parallel()
	want, got := base(), base()
	want.SupplierBank = &pervichka.Bank{BankName: `ПАО "Сбербанк"`, BIK: "044525225", Account: "40702810938000000001", CorrAccount: "30101810400000000225"}
	want.ContractRef = &pervichka.ContractRef{Number: "15/23", Date: "2024-01-10"}
	c := Compare(&want, &got)
	wantWrong := []string{"supplier_bank.bank_name", "supplier_bank.bik", "supplier_bank.account",
		"supplier_bank.corr_account", "contract_ref.number", "contract_ref.date"}
	if !slices.Equal(c.Wrong, wantWrong) {
		t.Fatalf("wrong = %v, want %v", c.Wrong, wantWrong)
	}
	// A bank the truth does not have is not scored.
	want2, got2 := base(), base()
	got2.SupplierBank = &pervichka.Bank{BIK: "044525225"}
	if c := Compare(&want2, &got2); len(c.Wrong) != 0 {
		t.Fatalf("unexpected wrong fields %v", c.Wrong)
	}
}

func TestScore(t *testing.T) {
	t.Parallel()
	truth := []corpus.Truth{
		{ID: "a", Variants: map[string]string{"pdf": "a.pdf", "photo": "a-photo.jpg"}, Result: base()},
		{ID: "b", Variants: map[string]string{"pdf": "b.pdf", "photo": "b-photo.jpg"}, Result: base()},
	}
	truth[1].DocType = pervichka.DocAct
	truth[1].Buyer.INN = "7707083893" // not one of ours
	ok := func(file string, dt pervichka.DocType) pervichka.Result {
		r := base()
		r.DocType = dt
		r.File = "/some/dir/" + file
		r.Pages = 1
		r.TimingsMS = map[string]int64{"ocr": 1500, "enhance": 500}
		return r
	}
	silent := ok("b-photo.jpg", pervichka.DocAct)
	silent.Total = "1.00" // wrong key field, yet auto-approved
	silent.Buyer.INN = "7707083893"
	reviewed := ok("a-photo.jpg", pervichka.DocInvoice)
	reviewed.Number = "А-71"
	reviewed.NeedsReview = true
	results := []pervichka.Result{
		ok("a.pdf", pervichka.DocInvoice),
		// b.pdf has no result at all: it must count as failed.
		reviewed,
		silent,
	}
	rep := Score("pipeline", truth, results, []pervichka.Party{{INN: "500100732259"}})

	pdf := rep.Group("pdf", All)
	if pdf.Docs != 2 || pdf.Failed != 1 || pdf.DocOK != 0.5 || pdf.AutoApproved != 0.5 || pdf.SilentErrors != 0 {
		t.Errorf("pdf group = %+v", *pdf)
	}
	photo := rep.Group("photo", All)
	if photo.Docs != 2 || photo.Failed != 0 || photo.DocOK != 0 || photo.AutoApproved != 0.5 ||
		photo.SilentErrors != 1 || photo.SilentRate != 0.5 {
		t.Errorf("photo group = %+v", *photo)
	}
	if photo.SecondsPerPage != 2.0 {
		t.Errorf("photo s/page = %v, want 2", photo.SecondsPerPage)
	}
	if len(photo.MostMissed) != 2 {
		t.Errorf("photo most missed = %v, want number and total", photo.MostMissed)
	}
	act := rep.Group(All, string(pervichka.DocAct))
	if act.Docs != 2 || act.SilentErrors != 1 {
		t.Errorf("act group = %+v", *act)
	}
	// Only document "a" has our company (the buyer ИП): its photo went to
	// review, its pdf was auto-approved.
	if pdf.OwnDocs != 1 || pdf.AutoOwn != 1 || photo.OwnDocs != 1 || photo.AutoOwn != 0 {
		t.Errorf("own: pdf %d/%.2f, photo %d/%.2f", pdf.OwnDocs, pdf.AutoOwn, photo.OwnDocs, photo.AutoOwn)
	}
	if len(rep.Silent) != 1 || rep.Silent[0].File != "b-photo.jpg" || len(rep.Silent[0].Diffs) == 0 || rep.Silent[0].Diffs[0].Path != "total" {
		t.Errorf("silent files = %+v, want b-photo.jpg with its total", rep.Silent)
	}
	if all := rep.Group(All, All); all.Docs != 4 {
		t.Errorf("all group docs = %d, want 4", all.Docs)
	}

	var buf bytes.Buffer
	if err := WriteTable(&buf, []*Report{rep, Score("baseline", truth, nil, nil)}); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, want := range []string{"== pipeline", "== baseline", "side by side", "photo", "silent errors (1)", `got "1.00"`} {
		if !strings.Contains(out, want) {
			t.Errorf("table lacks %q:\n%s", want, out)
		}
	}
}

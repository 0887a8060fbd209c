package eval

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	pervichka "github.com/pervichka/pervichka"
	"github.com/pervichka/pervichka/extractors/ruvalid"
)

// realDevDir is ../shared/real-dev beside the repository (or
// $PERVICHKA_REAL_DEV): real documents we may measure on but never commit
// (their licence is not stated).
func realDevDir() string {
	if d := os.Getenv("PERVICHKA_REAL_DEV"); d != "" {
		return d
	}
	return "../../../shared/real-dev"
}

func writeRealTruth(t *testing.T, truth string, files ...string) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "files"), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		if err := os.WriteFile(filepath.Join(dir, "files", f), []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(dir, RealTruthFile), []byte(truth), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

const realSample = `{"documents": [
 {"file": "a.pdf", "kind": "pdf-text-layer", "pages": 2, "doc_type": "счёт-оферта", "number": "2/17",
  "date": "2025-09-16", "supplier": {"name": "ИП Ёлкин", "inn": "500100732259", "kpp": null},
  "buyer": {"name": "ООО \"Ромашка\"", "inn": "7707083893", "kpp": "773601001"},
  "bank": {"name": "Банк", "bik": "044525974", "corr_account": "30101810145250000974", "account": "40802810500000601096"},
  "total": 1659649.0, "total_without_vat": null, "vat": null, "vat_rate": "без НДС", "currency": "RUB", "line_count": 12},
 {"file": "b.jpg", "kind": "phone-photo", "doc_type": "счёт на оплату", "number": "91", "date": "2025-06-05",
  "supplier": {"name": "ООО АМ", "inn": "6686053572", "kpp": "668601001"},
  "buyer": {"name": "ООО ЛИНК", "inn": "6670419101", "kpp": "667001001"},
  "basis": "Договор № 0206-3 от 05.06.2025", "total": 13730.28, "vat": 2288.38, "vat_rate": "20%", "currency": "RUB"}
]}`

func TestReadReal(t *testing.T) {
	t.Parallel()
	set, err := ReadReal(writeRealTruth(t, realSample, "a.pdf", "b.jpg"))
	if err != nil {
		t.Fatal(err)
	}
	if len(set.Truth) != 2 {
		t.Fatalf("%d documents, want 2", len(set.Truth))
	}
	a, b := set.Truth[0], set.Truth[1]
	for _, c := range []struct{ name, got, want string }{
		{"a variant", a.Variants["pdf"], filepath.Join("files", "a.pdf")},
		{"b variant", b.Variants["photo"], filepath.Join("files", "b.jpg")},
		{"a doc_type", string(a.DocType), string(pervichka.DocInvoice)},
		{"b doc_type", string(b.DocType), string(pervichka.DocInvoice)},
		{"a total", string(a.Total), "1659649.00"},
		{"a vat null", string(a.VATAmount), ""},
		{"a rate", string(a.VATRate), pervichka.VATNone},
		{"a kpp of an ИП", string(a.Supplier.KPP), ""},
		{"b rate", string(b.VATRate), "20"},
		{"b vat", string(b.VATAmount), "2288.38"},
		{"b contract number", string(b.ContractRef.Number), "0206-3"},
		{"b contract date", string(b.ContractRef.Date), "2025-06-05"},
	} {
		if c.got != c.want {
			t.Errorf("%s = %q, want %q", c.name, c.got, c.want)
		}
	}
	if a.Pages != 2 || b.Pages != 1 {
		t.Errorf("pages %d, %d; want 2, 1", a.Pages, b.Pages)
	}
	if b.SupplierBank != nil || a.SupplierBank == nil || a.SupplierBank.BIK != "044525974" {
		t.Errorf("banks: a %+v, b %+v", a.SupplierBank, b.SupplierBank)
	}
	if set.LineCount["a.pdf"] != 12 || set.LineCount["b.jpg"] != 0 {
		t.Errorf("line counts %v", set.LineCount)
	}
}

func TestReadRealRefuses(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, truth string
		files       []string
		want        string
	}{
		{"file missing", realSample, []string{"a.pdf"}, "b.jpg"},
		{"unknown kind", strings.Replace(realSample, "phone-photo", "fax", 1), []string{"a.pdf", "b.jpg"}, `kind "fax"`},
		{"unknown type", strings.Replace(realSample, "счёт на оплату", "накладная", 1), []string{"a.pdf", "b.jpg"}, "накладная"},
		{"path in name", strings.Replace(realSample, `"b.jpg"`, `"../b.jpg"`, 1), []string{"a.pdf", "b.jpg"}, "bad file name"},
		{"rate", strings.Replace(realSample, `"20%"`, `"двадцать"`, 1), []string{"a.pdf", "b.jpg"}, "vat_rate"},
		{"empty", `{"documents": []}`, nil, "no documents"},
		{"not json", `{`, nil, "real truth"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ReadReal(writeRealTruth(t, tc.truth, tc.files...))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %v, want one naming %q", err, tc.want)
			}
		})
	}
}

// Real truth labels the number of table lines, not the lines: a reading
// with lines must not lose every item field, only the count may be wrong.
func TestCompareReal(t *testing.T) {
	t.Parallel()
	want, got := base(), base()
	want.Items = nil
	want.SupplierBank = &pervichka.Bank{BankName: "Банк", BIK: "044525974", Account: "40802810500000601096", CorrAccount: "30101810145250000974"}
	got.SupplierBank = &pervichka.Bank{BankName: "Банк ВТБ", BIK: "044525974", Account: "40802810500000601096", CorrAccount: "30101810145250000974"}
	c := CompareReal(&want, &got, 1)
	if !c.KeyOK || !c.BankOK || len(c.Wrong) != 1 || c.Wrong[0] != "supplier_bank.bank_name" {
		t.Errorf("one line, bank name differs: %+v", c)
	}
	c = CompareReal(&want, &got, 2)
	if len(c.Diffs) != 2 || c.Diffs[1] != (Diff{"items.count", "2", "1"}) {
		t.Errorf("two lines labelled, one read: %+v", c.Diffs)
	}
	got.SupplierBank.Account = "14080281050000060109"
	if c = CompareReal(&want, &got, 0); c.BankOK || c.Fields != len(scalarFields)+len(bankFields) {
		t.Errorf("account misread, lines not labelled: %+v", c)
	}
}

func TestScoreRealFiles(t *testing.T) {
	t.Parallel()
	set, err := ReadReal(writeRealTruth(t, realSample, "a.pdf", "b.jpg"))
	if err != nil {
		t.Fatal(err)
	}
	a := set.Truth[0].Result
	a.File = "/x/a.pdf"
	a.Items = make([]pervichka.Item, 12)
	b := set.Truth[1].Result
	b.File = "b.jpg"
	b.Total = "13730.29"
	rep := ScoreReal("real", set, []pervichka.Result{a, b}, nil)
	if len(rep.Files) != 2 {
		t.Fatalf("%d file rows", len(rep.Files))
	}
	fa, fb := rep.Files[0], rep.Files[1]
	if !fa.KeyOK || fa.Bank != "ok" || !fa.Approved || fa.Silent || fa.Right != fa.Fields {
		t.Errorf("a: %+v", fa)
	}
	if fb.KeyOK || fb.Bank != "" || !fb.Silent || len(fb.Diffs) != 1 || fb.Diffs[0].Path != "total" {
		t.Errorf("b: %+v", fb)
	}
	if g := rep.Group("photo", All); g == nil || g.SilentErrors != 1 {
		t.Errorf("photo group: %+v", g)
	}
	var out strings.Builder
	if err := WriteTable(&out, []*Report{rep}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), `total                        want "13730.28" got "13730.29"`) {
		t.Errorf("table does not show the wrong total:\n%s", out.String())
	}
}

// The hand-made truth of ../shared/real-dev itself: every file present,
// every ИНН and account passing its check key — a typo in the labels would
// otherwise count as a misread of the engine.
func TestRealDevTruth(t *testing.T) {
	t.Parallel()
	dir := realDevDir()
	if _, err := os.Stat(filepath.Join(dir, RealTruthFile)); err != nil {
		t.Skipf("SKIP real documents: %v — they are never committed; put them in ../shared/real-dev (or set PERVICHKA_REAL_DEV) to test on them", err)
	}
	set, err := ReadReal(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, tr := range set.Truth {
		for _, inn := range []pervichka.Text{tr.Supplier.INN, tr.Buyer.INN} {
			if !ruvalid.ValidINN(string(inn)) {
				t.Errorf("%s: ИНН %s fails its check digits", tr.ID, inn)
			}
		}
		if bk := tr.SupplierBank; bk != nil {
			if !ruvalid.ValidAccount(string(bk.Account), string(bk.BIK)) || !ruvalid.ValidCorrAccount(string(bk.CorrAccount), string(bk.BIK)) {
				t.Errorf("%s: accounts %s / %s fail their keys with БИК %s", tr.ID, bk.Account, bk.CorrAccount, bk.BIK)
			}
		}
		if tr.DocType == "" || tr.Number == "" || tr.Date == "" || tr.Total == "" {
			t.Errorf("%s: a key field is not labelled: %+v", tr.ID, tr.Result)
		}
	}
}

func TestBankNameWithoutCity(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		want, got string
		same      bool
	}{
		{`Филиал "Центральный" Банка ВТБ (ПАО) в г. Москве`, `Филиал "Центральный" Банка ВТБ (ПАО)`, true},
		{`ООО "Банк Точка" г. Москва`, `ООО "Банк Точка"`, true},
		{`АО "ТБанк" г.Москва`, `АО "ТБанк"`, true},
		{`УРАЛЬСКИЙ БАНК ПАО СБЕРБАНК г. Екатеринбург`, `УРАЛЬСКИИ БАНК ПАО СБЕРБАНК`, false},
		{`ПАО Сбербанк`, `ПАО Сбербанк г. Москва`, true},
		{`ПАО Сбербанк`, `ПАО ВТБ`, false},
	} {
		if got := normalize(kindBankName, pervichka.Text(tc.want)) == normalize(kindBankName, pervichka.Text(tc.got)); got != tc.same {
			t.Errorf("%q vs %q: same %v, want %v", tc.want, tc.got, got, tc.same)
		}
	}
}

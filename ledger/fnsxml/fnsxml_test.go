package fnsxml_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/encoding/charmap"

	"github.com/pervichka/pervichka"
	"github.com/pervichka/pervichka/ledger"
	"github.com/pervichka/pervichka/ledger/fnsxml"
	"github.com/pervichka/pervichka/ledger/fnsxml/fnsxmltest"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// posted is when the corpus documents are taken to be posted: the files'
// date and time.
var posted = time.Date(2026, 11, 27, 6, 10, 0, 0, time.UTC)

type truthLine struct {
	ID string `json:"id"`
	pervichka.Result
}

func readTruth(t *testing.T) []truthLine {
	t.Helper()
	f, err := os.Open(filepath.Join("..", "..", "testdata", "corpus", "truth.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []truthLine
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var tl truthLine
		if err := json.Unmarshal(sc.Bytes(), &tl); err != nil {
			t.Fatal(err)
		}
		out = append(out, tl)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

func build(t *testing.T, r pervichka.Result, seed string) (fnsxml.File, error) {
	t.Helper()
	class, err := ledger.DefaultMapping().Classify(r)
	if err != nil && r.DocType != fnsxml.DocTORG12 {
		t.Fatalf("%s: classify: %v", seed, err)
	}
	return fnsxml.Build(fnsxml.Document{Result: r, Services: class == ledger.ClassServices, Created: posted, Seed: seed})
}

// TestCorpus: every document of the committed corpus the format expresses
// (счета-фактуры, УПД, акты) becomes a file that passes the official XSD
// and the schematron rules checked in code, and equals its golden file;
// invoices for payment and contracts are refused with a reason.
func TestCorpus(t *testing.T) {
	xsd := fnsxmltest.Schema(t)
	dir := t.TempDir()
	var paths []string
	built := map[pervichka.DocType]int{}
	for _, tl := range readTruth(t) {
		f, err := build(t, tl.Result, tl.ID)
		switch tl.DocType {
		case pervichka.DocInvoice, pervichka.DocContract:
			var re *fnsxml.RefusedError
			if !errors.As(err, &re) || re.Reason == "" {
				t.Errorf("%s: got %v, want a refusal", tl.ID, err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", tl.ID, err)
			continue
		}
		built[tl.DocType]++
		wantFn := map[pervichka.DocType]string{pervichka.DocUPD: fnsxml.FuncInvoiceTransfer,
			pervichka.DocVATInvoice: fnsxml.FuncInvoice, pervichka.DocAct: fnsxml.FuncTransfer}[tl.DocType]
		if tl.DocType == pervichka.DocUPD && tl.VATRate == pervichka.VATNone {
			wantFn = fnsxml.FuncTransfer
		}
		if f.Function != wantFn {
			t.Errorf("%s: function %s, want %s", tl.ID, f.Function, wantFn)
		}
		if !regexp.MustCompile(`^ON_NSCHFDOPPR_\d{10,19}_\d{10,19}_20261127_[0-9a-f-]{36}_0_0_0_0_0_00\.xml$`).MatchString(f.Name) {
			t.Errorf("%s: file name %s", tl.ID, f.Name)
		}
		p := filepath.Join(dir, f.Name)
		if err := os.WriteFile(p, f.Data, 0o644); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, p)
		golden(t, tl.ID, f)
	}
	if built[pervichka.DocUPD] != 6 || built[pervichka.DocVATInvoice] != 6 || built[pervichka.DocAct] != 9 {
		t.Errorf("built %v, want 6 УПД, 6 счетов-фактур, 9 актов", built)
	}
	if out, err := fnsxmltest.Validate(xsd, paths...); err != nil {
		t.Fatalf("xmllint: %v\n%s", err, out)
	}
}

// golden compares a file with testdata/golden/<id>.xml (its name in the
// first line of the golden file, then the bytes).
func golden(t *testing.T, id string, f fnsxml.File) {
	t.Helper()
	path := filepath.Join("testdata", "golden", id+".xml")
	got := append([]byte("<!-- "+f.Name+" -->\r\n"), f.Data...)
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update)", err)
	}
	if !bytes.Equal(want, got) {
		t.Errorf("%s differs from %s (run with -update after checking)", f.Name, path)
	}
}

// TestRemovedElementFails: the schema check can fail — a file with a
// required element removed (the buyer) does not validate, and neither
// does one without ИдФайл.
func TestRemovedElementFails(t *testing.T) {
	xsd := fnsxmltest.Schema(t)
	tl := readTruth(t)[4] // 005-upd
	if tl.ID != "005-upd" {
		t.Fatalf("corpus order changed: %s", tl.ID)
	}
	f, err := build(t, tl.Result, tl.ID)
	if err != nil {
		t.Fatal(err)
	}
	text := decode(t, f.Data)
	cases := map[string]*regexp.Regexp{
		"buyer":    regexp.MustCompile(`(?s)<СвПокуп>.*?</СвПокуп>\s*`),
		"ИдФайл":   regexp.MustCompile(` ИдФайл="[^"]*"`),
		"signer":   regexp.MustCompile(`(?s)<Подписант .*?</Подписант>\s*`),
		"НомерДок": regexp.MustCompile(` НомерДок="[^"]*"`),
	}
	dir := t.TempDir()
	good := filepath.Join(dir, f.Name)
	if err := os.WriteFile(good, f.Data, 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := fnsxmltest.Validate(xsd, good); err != nil {
		t.Fatalf("the untouched file fails: %v\n%s", err, out)
	}
	for what, re := range cases {
		if !re.MatchString(text) {
			t.Fatalf("%s: nothing to remove", what)
		}
		p := filepath.Join(dir, what+".xml")
		if err := os.WriteFile(p, encode(t, re.ReplaceAllString(text, "")), 0o644); err != nil {
			t.Fatal(err)
		}
		if out, err := fnsxmltest.Validate(xsd, p); err == nil {
			t.Errorf("without %s the file validates:\n%s", what, out)
		}
	}
}

func decode(t *testing.T, b []byte) string {
	t.Helper()
	s, err := charmap.Windows1251.NewDecoder().Bytes(b)
	if err != nil {
		t.Fatal(err)
	}
	return string(s)
}

func encode(t *testing.T, s string) []byte {
	t.Helper()
	b, err := charmap.Windows1251.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestCheck: the rules xmllint does not run catch a file renamed and a
// total that is not the sum of the lines.
func TestCheck(t *testing.T) {
	f, err := build(t, doc(), "check")
	if err != nil {
		t.Fatal(err)
	}
	if err := fnsxml.Check(f.Name, f.Data); err != nil {
		t.Fatalf("a built file fails: %v", err)
	}
	if err := fnsxml.Check("ON_NSCHFDOPPR_other.xml", f.Data); err == nil || !strings.Contains(err.Error(), "ИдФайл") {
		t.Errorf("renamed: %v", err)
	}
	text := decode(t, f.Data)
	re := regexp.MustCompile(`СтТовУчНалВсего="(\d+)\.`)
	bent := re.ReplaceAllString(text, `СтТовУчНалВсего="1$1.`)
	if err := fnsxml.Check(f.Name, encode(t, bent)); err == nil || !strings.Contains(err.Error(), "СтТовУчНалВсего") {
		t.Errorf("total off: %v", err)
	}
	noTable := regexp.MustCompile(`(?s)<ТаблСчФакт>.*</ТаблСчФакт>\s*`).ReplaceAllString(text, "")
	if err := fnsxml.Check(f.Name, encode(t, noTable)); err == nil || !strings.Contains(err.Error(), "ТаблСчФакт") {
		t.Errorf("СЧФДОП without its table: %v", err)
	}
}

// doc is a small valid УПД to vary.
func doc() pervichka.Result {
	return pervichka.Result{
		DocType: pervichka.DocUPD, Number: "15", Date: "2026-10-01", Currency: "RUB",
		Supplier:    pervichka.Party{Name: "ООО «Ромашка»", INN: "7707083893", KPP: "770701001"},
		Buyer:       pervichka.Party{Name: "АО «Спектр»", INN: "7446628853", KPP: "744601001"},
		ContractRef: &pervichka.ContractRef{Number: "7/26", Date: "2026-01-15"},
		VATRate:     "22", Total: "1220.00", VATAmount: "220.00",
		Items: []pervichka.Item{{Name: "Бумага А4", Quantity: "2", Unit: "упак", Price: "500.00", Amount: "1220.00", VATAmount: "220.00"}},
	}
}

// TestRates: each rate the format knows is spelt as the schema lists it,
// a document that mixes rates gets each line's rate from its amounts, and
// every such file validates.
func TestRates(t *testing.T) {
	xsd := fnsxmltest.Schema(t)
	dir := t.TempDir()
	var paths []string
	for _, c := range []struct {
		rate, vat, want string
		line            string // the line's VAT element as written
	}{
		{"22", "220.00", `НалСт="22%"`, "<СумНал>220.00</СумНал>"},
		{"20", "203.33", `НалСт="20%"`, "<СумНал>203.33</СумНал>"},
		{"10", "110.91", `НалСт="10%"`, "<СумНал>110.91</СумНал>"},
		{"7", "79.81", `НалСт="7%"`, "<СумНал>79.81</СумНал>"},
		{"5", "58.10", `НалСт="5%"`, "<СумНал>58.10</СумНал>"},
		{"0", "0.00", `НалСт="0%"`, "<СумНал>0.00</СумНал>"},
		{"none", "", `НалСт="без НДС"`, "<БезНДС>без НДС</БезНДС>"},
	} {
		r := doc()
		r.VATRate, r.VATAmount = pervichka.Text(c.rate), pervichka.Text(c.vat)
		r.Items[0].VATAmount = pervichka.Text(c.vat)
		r.Items[0].Price = ""
		f, err := build(t, r, "rate "+c.rate)
		if err != nil {
			t.Errorf("rate %s: %v", c.rate, err)
			continue
		}
		text := decode(t, f.Data)
		if !strings.Contains(text, c.want) || !strings.Contains(text, c.line) {
			t.Errorf("rate %s: want %s and %s in\n%s", c.rate, c.want, c.line, text)
		}
		if c.rate == "none" && f.Function != fnsxml.FuncTransfer {
			t.Errorf("УПД without VAT: %s, want ДОП (status 2)", f.Function)
		}
		p := filepath.Join(dir, f.Name)
		if err := os.WriteFile(p, f.Data, 0o644); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, p)
	}
	// Mixed: 22 % and 10 % lines.
	r := doc()
	r.VATRate, r.Total, r.VATAmount = pervichka.VATMixed, "2320.00", "320.00"
	r.Items = append(r.Items, pervichka.Item{Name: "Молоко", Quantity: "10", Unit: "л", Price: "100.00", Amount: "1100.00", VATAmount: "100.00"})
	f, err := build(t, r, "mixed")
	if err != nil {
		t.Fatal(err)
	}
	text := decode(t, f.Data)
	for _, want := range []string{`НалСт="22%"`, `НалСт="10%"`, `ОКЕИ_Тов="112"`, `ОКЕИ_Тов="778"`, "<СумНал>320.00</СумНал>"} {
		if !strings.Contains(text, want) {
			t.Errorf("mixed: no %s in\n%s", want, text)
		}
	}
	p := filepath.Join(dir, f.Name)
	if err := os.WriteFile(p, f.Data, 0o644); err != nil {
		t.Fatal(err)
	}
	paths = append(paths, p)
	if out, err := fnsxmltest.Validate(xsd, paths...); err != nil {
		t.Fatalf("xmllint: %v\n%s", err, out)
	}
}

// TestPartiesAndBasis: an ИП seller is СвИП with the ФИО from its name and
// signs the file; without a contract the transfer says БезДокОснПер; a
// name outside windows-1251 keeps its characters as references.
func TestPartiesAndBasis(t *testing.T) {
	xsd := fnsxmltest.Schema(t)
	r := doc()
	r.Supplier = pervichka.Party{Name: "ИП Сидоров Пётр Ильич", INN: "500100732259"}
	r.ContractRef = nil
	r.Items[0].Name = "Плитка 1 м² ₽"
	f, err := build(t, r, "ip")
	if err != nil {
		t.Fatal(err)
	}
	text := decode(t, f.Data)
	for _, want := range []string{
		`<СвИП ИННФЛ="500100732259">`, `<ФИО Фамилия="Сидоров" Имя="Пётр" Отчество="Ильич">`,
		`Должн="Индивидуальный предприниматель"`, "<БезДокОснПер>1</БезДокОснПер>",
		`КодРегион="50"`, "Плитка 1 м&#178; &#8381;", "_500100732259_",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("no %s in\n%s", want, text)
		}
	}
	p := filepath.Join(t.TempDir(), f.Name)
	if err := os.WriteFile(p, f.Data, 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := fnsxmltest.Validate(xsd, p); err != nil {
		t.Fatalf("xmllint: %v\n%s", err, out)
	}
	// The same approved version gives the same file; another version another name.
	again, _ := build(t, r, "ip")
	other, _ := build(t, r, "ip v2")
	if again.Name != f.Name || !bytes.Equal(again.Data, f.Data) || other.Name == f.Name {
		t.Errorf("names: %s, %s, %s", f.Name, again.Name, other.Name)
	}
}

// TestRefusals: what the format cannot say is refused with a reason in
// Russian, never written half-true.
func TestRefusals(t *testing.T) {
	for name, c := range map[string]struct {
		edit func(*pervichka.Result)
		want string
	}{
		"invoice":  {func(r *pervichka.Result) { r.DocType = pervichka.DocInvoice }, "Счёт на оплату"},
		"contract": {func(r *pervichka.Result) { r.DocType = pervichka.DocContract }, "Договор"},
		"unknown":  {func(r *pervichka.Result) { r.DocType = pervichka.DocUnknown }, "не выражается"},
		"currency": {func(r *pervichka.Result) { r.Currency = "USD" }, "Валюта"},
		"inn":      {func(r *pervichka.Result) { r.Supplier.INN = "7707083894" }, "ИНН продавца"},
		"no items": {func(r *pervichka.Result) { r.Items = nil }, "строки"},
		"sum":      {func(r *pervichka.Result) { r.Total = "1300.00" }, "не равна итогу"},
		"vat":      {func(r *pervichka.Result) { r.VATAmount = "200.00" }, "НДС"},
		"rate":     {func(r *pervichka.Result) { r.VATRate = "18" }, "Ставка НДС"},
		"no date":  {func(r *pervichka.Result) { r.Date = "" }, "Дата"},
		"ip name":  {func(r *pervichka.Result) { r.Supplier = pervichka.Party{Name: "ИП", INN: "500100732259"} }, "фамилия"},
	} {
		r := doc()
		c.edit(&r)
		_, err := fnsxml.Build(fnsxml.Document{Result: r, Created: posted, Seed: name})
		var re *fnsxml.RefusedError
		if !errors.As(err, &re) || !strings.Contains(re.Reason, c.want) {
			t.Errorf("%s: %v, want a refusal saying %q", name, err, c.want)
		}
	}
}

// TestTORG12: a ТОРГ-12 (known by its type string until the domain has
// the constant) is a ДОП named «Товарная накладная», and validates.
func TestTORG12(t *testing.T) {
	xsd := fnsxmltest.Schema(t)
	r := doc()
	r.DocType = fnsxml.DocTORG12
	f, err := build(t, r, "torg12")
	if err != nil {
		t.Fatal(err)
	}
	text := decode(t, f.Data)
	if f.Function != fnsxml.FuncTransfer || !strings.Contains(text, `НаимДокОпр="Товарная накладная"`) || !strings.Contains(text, "<ОснПер ") {
		t.Errorf("%s:\n%s", f.Function, text)
	}
	p := filepath.Join(t.TempDir(), f.Name)
	if err := os.WriteFile(p, f.Data, 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := fnsxmltest.Validate(xsd, p); err != nil {
		t.Fatalf("xmllint: %v\n%s", err, out)
	}
}

// FuzzCheck: Check reads any bytes without panicking; a file Build made
// always passes it.
func FuzzCheck(f *testing.F) {
	good, err := fnsxml.Build(fnsxml.Document{Result: doc(), Created: posted, Seed: "fuzz"})
	if err != nil {
		f.Fatal(err)
	}
	f.Add(good.Name, good.Data)
	f.Add("x.xml", []byte(`<?xml version="1.0" encoding="windows-1251"?><Файл ИдФайл="x"><Документ Функция="СЧФ"/></Файл>`))
	f.Fuzz(func(t *testing.T, name string, b []byte) {
		_ = fnsxml.Check(name, b)
	})
}

package fields_test

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode"

	pervichka "github.com/pervichka/pervichka"
	"github.com/pervichka/pervichka/corpus"
	"github.com/pervichka/pervichka/corpus/eval"
	"github.com/pervichka/pervichka/extractors/fields"
	"github.com/pervichka/pervichka/extractors/pdf"
)

var (
	update     = flag.Bool("update", false, "rewrite the golden results in testdata/golden")
	corpusFrom = flag.String("corpus", "", "with -update: a generated corpus directory to take the golden cases' words and truth from")
)

// goldenCases are generated documents (`pervichka corpus gen --seed 7
// --variants pdf`), one or two per type and layout family, kept small.
var goldenCases = []string{"002-invoice", "036-invoice", "025-act", "040-act", "034-vat_invoice", "016-upd", "038-contract"}

// goldenCase is what testdata holds for one document: the words of its
// pages as the PDF text layer gives them and the ground truth.
type goldenCase struct {
	Pages []pervichka.Page  `json:"pages"`
	Truth corpus.Truth      `json:"truth"`
	Own   []pervichka.Party `json:"own"`
}

var goldenNow = time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC)

// TestGolden reads born-digital documents of the corpus: every field must
// equal the truth, the result must equal the golden file (confidences and
// reasons included, locations left out), every value must be located on
// the words that print it, and a document with every key field right may
// go without review only if nothing is wrong.
func TestGolden(t *testing.T) {
	if *update && *corpusFrom != "" {
		writeGoldenInputs(t)
	}
	for _, id := range goldenCases {
		t.Run(id, func(t *testing.T) {
			b, err := os.ReadFile(filepath.Join("testdata", "golden", id+".words.json"))
			if err != nil {
				t.Fatal(err)
			}
			var gc goldenCase
			if err := json.Unmarshal(b, &gc); err != nil {
				t.Fatal(err)
			}
			res := fields.Extract(context.Background(), gc.Pages, fields.Config{Own: gc.Own, Now: goldenNow}, nil)
			c := eval.Compare(&gc.Truth.Result, &res)
			if c.Right != c.Fields {
				t.Errorf("%d of %d fields wrong: %v", c.Fields-c.Right, c.Fields, c.Wrong)
			}
			checkLocations(t, gc.Pages, res)
			// Locations are checked against the words above, not pinned:
			// every index and box of every value would bury the diff of
			// a change in the fields themselves.
			res.Locations = nil
			got, err := json.MarshalIndent(res, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			path := filepath.Join("testdata", "golden", id+".result.json")
			if *update {
				if err := os.WriteFile(path, append(got, '\n'), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if strings.TrimSpace(string(want)) != string(got) {
				t.Errorf("result differs from %s (run with -update after checking):\n%s", path, got)
			}
		})
	}
}

// writeGoldenInputs reads the golden cases' PDFs from a generated corpus
// into testdata, so the test runs without poppler or the generator.
func writeGoldenInputs(t *testing.T) {
	truth, err := corpus.ReadTruth(filepath.Join(*corpusFrom, corpus.TruthFile))
	if err != nil {
		t.Fatal(err)
	}
	var own []pervichka.Party
	if f, err := os.Open(filepath.Join(*corpusFrom, corpus.CompaniesFile)); err == nil {
		own, err = pervichka.ReadCompanies(f)
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
	}
	byID := map[string]corpus.Truth{}
	for _, tr := range truth {
		byID[tr.ID] = tr
	}
	for _, id := range goldenCases {
		tr, ok := byID[id]
		if !ok {
			t.Fatalf("%s not in the corpus", id)
		}
		b, err := os.ReadFile(filepath.Join(*corpusFrom, tr.Variants["pdf"]))
		if err != nil {
			t.Fatal(err)
		}
		pp, err := pdf.Pages(context.Background(), b, pervichka.DefaultLimits())
		if err != nil {
			t.Fatal(err)
		}
		gc := goldenCase{Truth: tr, Own: own}
		for _, p := range pp {
			if p.Text == nil {
				t.Fatalf("%s page %d has no text layer", id, p.Index+1)
			}
			gc.Pages = append(gc.Pages, *p.Text)
		}
		out, err := json.Marshal(gc)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join("testdata", "golden", id+".words.json"), out, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// BenchmarkExtract reads a one-page счёт-фактура (≈430 words).
func BenchmarkExtract(b *testing.B) {
	raw, err := os.ReadFile(filepath.Join("testdata", "golden", "034-vat_invoice.words.json"))
	if err != nil {
		b.Fatal(err)
	}
	var gc goldenCase
	if err := json.Unmarshal(raw, &gc); err != nil {
		b.Fatal(err)
	}
	cfg := fields.Config{Own: gc.Own, Now: goldenNow}
	for b.Loop() {
		fields.Extract(context.Background(), gc.Pages, cfg, nil)
	}
}

// checkLocations holds a result's locations against the words of its
// pages: each names words that exist, its box lies within them, the words
// print the value (its digits for codes, money and dates — with the
// month in words as a name —, its letters and digits for text), every key
// field and every item row that has a value is located, and each row's
// cells lie in the row.
func checkLocations(t *testing.T, pages []pervichka.Page, res pervichka.Result) {
	t.Helper()
	text := func(key string) (string, bool) {
		var b strings.Builder
		for _, l := range res.Locations[key] {
			if l.Page < 0 || l.Page >= len(pages) || len(l.Words) == 0 {
				t.Errorf("%s: location %+v has no words of a page", key, l)
				return "", false
			}
			ws := pages[l.Page].Words
			var union pervichka.Rect
			for _, i := range l.Words {
				if i < 0 || i >= len(ws) {
					t.Errorf("%s: word %d of %d", key, i, len(ws))
					return "", false
				}
				union = union.Union(ws[i].Box)
				b.WriteString(ws[i].Text + " ")
			}
			if in := l.Box.Union(union); in != union || l.Box.Dx() <= 0 {
				t.Errorf("%s: box %v outside its words %v", key, l.Box, union)
			}
		}
		return b.String(), b.Len() > 0
	}
	digits := func(s string) string {
		return strings.Map(func(r rune) rune {
			if r >= '0' && r <= '9' {
				return r
			}
			return -1
		}, s)
	}
	alnum := func(s string) string {
		return strings.Map(func(r rune) rune {
			if unicode.IsLetter(r) || unicode.IsDigit(r) {
				return unicode.ToLower(r)
			}
			return -1
		}, s)
	}
	months := []string{"январ", "феврал", "март", "апрел", "ма", "июн", "июл", "август", "сентябр", "октябр", "ноябр", "декабр"}
	prints := func(key, value string) {
		got, ok := text(key)
		if !ok {
			t.Errorf("%s (%q) not located", key, value)
			return
		}
		switch {
		case strings.HasSuffix(key, "date"):
			d, err := time.Parse(time.DateOnly, value)
			if err != nil {
				t.Errorf("%s: %q is no date", key, value)
				return
			}
			g := digits(got)
			numeric := strings.Contains(g, d.Format("02012006")) || strings.Contains(g, d.Format("020106"))
			inWords := strings.Contains(g, d.Format("2006")) && strings.Contains(strings.ToLower(got), months[d.Month()-1])
			if !numeric && !inWords {
				t.Errorf("%s %s located on %q", key, value, got)
			}
		case strings.HasSuffix(key, ".name") || key == "number" || strings.HasSuffix(key, ".unit") || strings.HasSuffix(key, ".bank_name"):
			if !strings.Contains(alnum(got), alnum(value)) {
				t.Errorf("%s %q located on %q", key, value, got)
			}
		default:
			v := digits(value)
			if !strings.Contains(digits(got), v) && !strings.Contains(digits(got), strings.TrimSuffix(v, "00")) {
				t.Errorf("%s %q located on %q", key, value, got)
			}
		}
	}
	for _, f := range pervichka.KeyFields {
		v := map[string]pervichka.Text{"number": res.Number, "date": res.Date, "supplier.inn": res.Supplier.INN,
			"buyer.inn": res.Buyer.INN, "total": res.Total, "vat_amount": res.VATAmount,
			"supplier.name": res.Supplier.Name, "buyer.name": res.Buyer.Name}[f]
		if v != "" {
			prints(f, string(v))
		}
	}
	if res.Supplier.KPP != "" {
		prints("supplier.kpp", string(res.Supplier.KPP))
	}
	if b := res.SupplierBank; b != nil && b.Account != "" {
		prints("supplier_bank.account", string(b.Account))
	}
	if r := res.ContractRef; r != nil && r.Date != "" {
		prints("contract_ref.date", string(r.Date))
	}
	for i, it := range res.Items {
		row := fmt.Sprintf("items[%d]", i)
		if _, ok := text(row); !ok {
			t.Errorf("%s not located", row)
			continue
		}
		var band pervichka.Rect
		for _, l := range res.Locations[row] {
			band = band.Union(l.Box)
		}
		for col, v := range map[string]pervichka.Text{"name": it.Name, "quantity": it.Quantity, "price": it.Price, "amount": it.Amount} {
			key := row + "." + col
			if _, located := res.Locations[key]; !located {
				continue // a figure the row's arithmetic gave
			}
			prints(key, string(v))
			for _, l := range res.Locations[key] {
				if l.Box.Union(band) != band {
					t.Errorf("%s at %v outside its row %v", key, l.Box, band)
				}
			}
		}
	}
}

package corpus

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"image"
	"io/fs"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	pervichka "github.com/pervichka/pervichka"
	"github.com/pervichka/pervichka/corpus/degrade"
	"github.com/pervichka/pervichka/corpus/sheet"
	"github.com/pervichka/pervichka/extractors/ruvalid"
)

func TestPartiesValidate(t *testing.T) {
	t.Parallel()
	r := streamRand(1, 0, 0)
	sameOffice := 0
	const n = 2000
	for i := range n {
		var p *party
		if i%3 == 0 {
			p = newIP(r)
		} else {
			p = newOrg(r)
		}
		if !ruvalid.ValidINN(p.INN) {
			t.Fatalf("invalid ИНН %s", p.INN)
		}
		if !ruvalid.ValidOGRN(p.OGRN) {
			t.Fatalf("invalid ОГРН %s", p.OGRN)
		}
		acc := p.Account
		if !ruvalid.ValidBIK(acc.Bank.BIK) || !ruvalid.ValidAccount(acc.Account, acc.Bank.BIK) || !ruvalid.ValidCorrAccount(acc.Corr, acc.Bank.BIK) {
			t.Fatalf("invalid bank requisites %+v", acc)
		}
		if p.IP() {
			if len(p.INN) != 12 || p.KPP != "" || len(p.OGRN) != 15 || !strings.HasPrefix(acc.Account, "40802810") {
				t.Fatalf("bad ИП %+v", p)
			}
			if name := p.ShortName('"'); name != "ИП "+p.Head.Full() {
				t.Fatalf("ИП name %q", name)
			}
			continue
		}
		if len(p.INN) != 10 || !ruvalid.ValidKPP(p.KPP) || len(p.OGRN) != 13 || !strings.HasPrefix(acc.Account, "40702810") {
			t.Fatalf("bad organisation %+v", p)
		}
		if p.INN[:2] != p.Region.Code || p.OGRN[3:5] != p.Region.Code {
			t.Fatalf("region of %s/%s is not %s", p.INN, p.OGRN, p.Region.Code)
		}
		if p.KPP[:4] == p.INN[:4] {
			sameOffice++
		}
	}
	orgs := n - (n+2)/3
	if share := float64(sameOffice) / float64(orgs); share < 0.8 || share > 0.97 {
		t.Errorf("КПП follows the ИНН in %.2f of organisations, want usually but not always", share)
	}
}

func TestOwnCompaniesFixed(t *testing.T) {
	t.Parallel()
	a, b := ownCompanies(), ownCompanies()
	if len(a) != 3 {
		t.Fatalf("%d own companies, want 3", len(a))
	}
	for i := range a {
		if a[i].INN != b[i].INN || a[i].Core != b[i].Core {
			t.Fatalf("own companies differ between calls")
		}
		if a[i].IP() || !ruvalid.ValidINN(a[i].INN) || a[i].KPP[:4] != a[i].INN[:4] {
			t.Fatalf("bad own company %+v", a[i])
		}
	}
}

func TestPersonGenitive(t *testing.T) {
	t.Parallel()
	tests := []struct{ first, want string }{
		{"Иван", "Ивана"}, {"Сергей", "Сергея"}, {"Павел", "Павла"}, {"Юрий", "Юрия"},
	}
	for _, tt := range tests {
		if got := maleGen(tt.first); got != tt.want {
			t.Errorf("maleGen(%s) = %s, want %s", tt.first, got, tt.want)
		}
	}
	ftests := []struct{ first, want string }{
		{"Ольга", "Ольги"}, {"Елена", "Елены"}, {"Мария", "Марии"}, {"Наталья", "Натальи"}, {"Ксения", "Ксении"},
	}
	for _, tt := range ftests {
		if got := femaleGen(tt.first); got != tt.want {
			t.Errorf("femaleGen(%s) = %s, want %s", tt.first, got, tt.want)
		}
	}
	r := streamRand(3, 0, 0)
	for range 200 {
		p := newPerson(r)
		if female(p) {
			if !strings.HasSuffix(p.LastGen, "ой") || !strings.HasSuffix(p.MiddleGen, "ны") {
				t.Fatalf("female genitive %+v", p)
			}
		} else if !strings.HasSuffix(p.LastGen, "а") || !strings.HasSuffix(p.MiddleGen, "ича") {
			t.Fatalf("male genitive %+v", p)
		}
	}
}

// docs draws n documents of every type from seed.
func docs(seed int64, n int) []built {
	own := ownCompanies()
	var out []built
	i := 0
	for _, t := range pervichka.DocTypes {
		for range n {
			out = append(out, build(seed, i, t, own, LayoutsClassic))
			i++
		}
	}
	return out
}

func TestDocumentsConsistent(t *testing.T) {
	t.Parallel()
	own := map[string]bool{}
	for _, p := range ownCompanies() {
		own[p.INN] = true
	}
	withOwn, total := 0, 0
	rates := map[string]int{}
	for _, b := range docs(7, 120) {
		d := b.data
		total++
		if own[d.Supplier.INN] || own[d.Buyer.INN] {
			withOwn++
		}
		if d.Supplier.INN == d.Buyer.INN {
			t.Fatalf("%s: supplier and buyer are one party", d.ID)
		}
		if d.Date.Before(firstDate) || d.Date.After(lastDate) {
			t.Fatalf("%s: date %s out of range", d.ID, d.Date)
		}
		if !legalVAT(d.VAT, d.Date) || !ruvalid.VATRateLegal(string(d.VAT.truth()), d.Date) {
			t.Fatalf("%s: rate %s illegal on %s", d.ID, d.VAT.label(), d.Date.Format("2006-01-02"))
		}
		if d.Type == pervichka.DocVATInvoice && d.VAT.None {
			t.Fatalf("%s: счёт-фактура without VAT", d.ID)
		}
		rates[string(d.VAT.truth())]++
		if len(d.Items) < 1 || len(d.Items) > 15 {
			t.Fatalf("%s: %d items", d.ID, len(d.Items))
		}
		var sum, vat pervichka.Kopecks
		for _, it := range d.Items {
			if want := pervichka.Kopecks(math.Round(float64(it.Qty) * float64(it.Price) / 1000)); it.Amount != want {
				t.Fatalf("%s: %s × %d = %d, want %d", d.ID, it.Qty.decimal(), it.Price, it.Amount, want)
			}
			wantVAT := pervichka.Kopecks(0)
			if !d.VAT.None {
				wantVAT = ruvalid.VATFromGross(it.Amount, d.VAT.Pct)
			}
			if it.VAT != wantVAT || it.Net != it.Amount-it.VAT {
				t.Fatalf("%s: line VAT %d net %d for %d at %s", d.ID, it.VAT, it.Net, it.Amount, d.VAT.label())
			}
			sum += it.Amount
			vat += it.VAT
		}
		if sum != d.Total || vat != d.VATSum {
			t.Fatalf("%s: items sum %d/%d, totals %d/%d", d.ID, sum, vat, d.Total, d.VATSum)
		}
		tr := b.truth
		if tr.Pages != len(b.doc.Sheets) || tr.Pages < 1 {
			t.Fatalf("%s: pages %d for %d sheets", d.ID, tr.Pages, len(b.doc.Sheets))
		}
		if d.Type == pervichka.DocContract && tr.Pages < 2 {
			t.Errorf("%s: contract of %d page", d.ID, tr.Pages)
		}
		if (tr.SupplierBank != nil) != (d.Type == pervichka.DocInvoice || d.Type == pervichka.DocContract || d.BankPrinted) {
			t.Fatalf("%s: supplier_bank %v", d.ID, tr.SupplierBank)
		}
		if d.Supplier.IP() != (tr.Supplier.KPP == "") || d.Buyer.IP() != (tr.Buyer.KPP == "") {
			t.Fatalf("%s: КПП present for an ИП or missing for an organisation", d.ID)
		}
		if d.VAT.None != (tr.VATAmount == "") {
			t.Fatalf("%s: vat_amount %q with rate %s", d.ID, tr.VATAmount, tr.VATRate)
		}
	}
	if share := float64(withOwn) / float64(total); share < 0.82 || share > 0.97 {
		t.Errorf("our company is a party in %.2f of documents, want about 0.9", share)
	}
	for _, r := range []string{"20", "22", "10", "5", "7", "none"} {
		if rates[r] == 0 {
			t.Errorf("rate %s never drawn: %v", r, rates)
		}
	}
}

func TestVATLegality(t *testing.T) {
	t.Parallel()
	d := func(s string) time.Time {
		tm, err := time.Parse("2006-01-02", s)
		if err != nil {
			t.Fatal(err)
		}
		return tm
	}
	tests := []struct {
		rate vatRate
		date string
		want bool
	}{
		{vatRate{Pct: 20}, "2025-12-31", true},
		{vatRate{Pct: 20}, "2026-01-01", false},
		{vatRate{Pct: 22}, "2025-12-31", false},
		{vatRate{Pct: 22}, "2026-01-01", true},
		{vatRate{Pct: 5}, "2024-12-31", false},
		{vatRate{Pct: 7}, "2025-01-01", true},
		{vatRate{Pct: 10}, "2023-03-01", true},
		{vatRate{Pct: 18}, "2023-03-01", false},
		{vatRate{None: true}, "2023-03-01", true},
	}
	for _, tt := range tests {
		if got := legalVAT(tt.rate, d(tt.date)); got != tt.want {
			t.Errorf("legalVAT(%s, %s) = %v, want %v", tt.rate.label(), tt.date, got, tt.want)
		}
	}
}

func TestTruthRoundTrip(t *testing.T) {
	t.Parallel()
	var in []Truth
	for _, b := range docs(11, 4) {
		tr := b.truth
		tr.Variants = map[string]string{"pdf": tr.ID + ".pdf"}
		in = append(in, tr)
	}
	in[1].Variants["hard"] = in[1].ID + "-hard.pdf"
	in[1].Turns = map[string][]int{"hard": {90, 0}}
	var buf bytes.Buffer
	if err := writeTruth(&buf, in); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	if len(lines) != len(in) {
		t.Fatalf("%d lines for %d documents", len(lines), len(in))
	}
	var raw map[string]any
	if err := json.Unmarshal([]byte(lines[0]), &raw); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"id", "variants", "doc_type", "number", "date", "supplier", "buyer", "supplier_bank", "contract_ref", "currency", "total", "vat_rate", "vat_amount", "items", "pages", "needs_review"} {
		if _, ok := raw[k]; !ok {
			t.Errorf("truth line lacks %q", k)
		}
	}
	// No turns recorded: no key, so truth without them reads as before.
	if _, ok := raw["turns"]; ok {
		t.Errorf("truth line without turns has the key: %s", lines[0])
	}
	if !strings.Contains(lines[1], `"turns":{"hard":[90,0]}`) {
		t.Errorf("turns not written: %s", lines[1])
	}
	out, err := decodeTruth(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(in, out) {
		t.Fatalf("truth changed through JSON:\n%+v\n%+v", in[0], out[0])
	}
	if _, err := decodeTruth(strings.NewReader("{\"id\":\"a\"}\nnot json\n")); err == nil || !strings.Contains(err.Error(), "line 2") {
		t.Errorf("bad line: err = %v", err)
	}
	for _, bad := range []string{`{"id":"a","turns":{"hard":[0,45]}}`, `{"id":"a","turns":{"hard":[360]}}`, `{"id":"a","turns":{"hard":[-90]}}`} {
		if _, err := decodeTruth(strings.NewReader(bad)); err == nil || !strings.Contains(err.Error(), "line 1") {
			t.Errorf("%s: err = %v, want a turn that is no quarter turn refused", bad, err)
		}
	}
}

// allText joins the text of a document, each op separated by a space, so
// that a wrapped value reads as it would in a text layer.
func allText(doc sheet.Document) string {
	var b strings.Builder
	for _, s := range doc.Sheets {
		for _, op := range s.Ops {
			if t, ok := op.(sheet.Text); ok {
				b.WriteString(t.S)
				b.WriteByte(' ')
			}
		}
	}
	return b.String()
}

// TestLayouts draws every layout of every type with many seeds and checks
// that everything stays on its page and that every truth value is printed.
func TestLayouts(t *testing.T) {
	t.Parallel()
	own := ownCompanies()
	for _, typ := range pervichka.DocTypes {
		sets := map[string][]layoutFunc{LayoutsClassic: layouts[typ], LayoutsReal: realLayouts[typ]}
		for set, lays := range sets {
			for li, lay := range lays {
				t.Run(fmt.Sprintf("%s/%s/%d", typ, set, li), func(t *testing.T) {
					t.Parallel()
					for seed := range int64(25) {
						r := streamRand(seed, li, 0)
						d := newDocData(r, "x", typ, own, 1, set == LayoutsReal)
						doc := lay(r, d)
						checkInside(t, doc)
						checkNoOverlap(t, doc)
						text := allText(doc)
						want := []string{d.Number, d.money(d.Total), d.Supplier.INN, d.Buyer.INN, d.SupplierName, d.BuyerName}
						if typ != pervichka.DocVATInvoice && typ != pervichka.DocUPD {
							want = append(want, amountWords(d.Total))
						}
						if !d.VAT.None {
							want = append(want, d.money(d.VATSum))
						}
						if !d.Supplier.IP() {
							want = append(want, d.Supplier.KPP)
						}
						if d.Contract != nil {
							want = append(want, d.Contract.Number)
						}
						if typ == pervichka.DocInvoice || typ == pervichka.DocContract || d.BankPrinted {
							acc := d.Supplier.Account
							want = append(want, acc.Account, acc.Corr, acc.Bank.BIK)
						}
						sf := typ == pervichka.DocVATInvoice || typ == pervichka.DocUPD || typ == pervichka.DocTORG12
						for _, it := range d.Items {
							want = append(want, it.Qty.printed(d.FixedQty), d.money(it.Amount))
							if sf {
								want = append(want, d.money(it.NetPrice))
							} else {
								want = append(want, d.money(it.Price))
							}
						}
						for _, w := range want {
							if !strings.Contains(text, w) {
								t.Errorf("seed %d: %q not printed", seed, w)
							}
						}
						// Names may wrap inside a word in narrow columns.
						squeezed := strings.ReplaceAll(text, " ", "")
						for _, it := range d.Items {
							if !strings.Contains(squeezed, strings.ReplaceAll(it.Name, " ", "")) {
								t.Errorf("seed %d: item %q not printed", seed, it.Name)
							}
						}
					}
				})
			}
		}
	}
}

// textBox is where a text op's ink lies, roughly.
func textBoxOf(o sheet.Text) (x0, y0, x1, y1 float64) {
	w := textWidth(o.Font, o.S)
	x := o.X
	switch o.Align {
	case sheet.Center:
		x = o.X + (o.W-w)/2
	case sheet.Right:
		x = o.X + o.W - w
	}
	return x, o.Y - o.Font.Size*ptMM*0.75, x + w, o.Y + o.Font.Size*ptMM*0.2
}

// checkNoOverlap fails when two pieces of text on one page overlap: a
// layout that draws one value over another makes truth no reader can see.
func checkNoOverlap(t *testing.T, doc sheet.Document) {
	t.Helper()
	for pi, s := range doc.Sheets {
		var texts []sheet.Text
		for _, op := range s.Ops {
			if o, ok := op.(sheet.Text); ok && strings.TrimSpace(o.S) != "" {
				texts = append(texts, o)
			}
		}
		for i := range texts {
			ax0, ay0, ax1, ay1 := textBoxOf(texts[i])
			for j := i + 1; j < len(texts); j++ {
				bx0, by0, bx1, by1 := textBoxOf(texts[j])
				if min(ax1, bx1)-max(ax0, bx0) > 0.2 && min(ay1, by1)-max(ay0, by0) > 0.15 {
					t.Errorf("page %d: %q overlaps %q", pi+1, texts[i].S, texts[j].S)
				}
			}
		}
	}
}

func checkInside(t *testing.T, doc sheet.Document) {
	t.Helper()
	if len(doc.Sheets) == 0 {
		t.Fatal("no sheets")
	}
	for pi, s := range doc.Sheets {
		in := func(x, y float64) bool { return x >= 0 && y >= 0 && x <= s.W && y <= s.H }
		for _, op := range s.Ops {
			switch o := op.(type) {
			case sheet.Text:
				if o.Font.Size < 5.5 || o.Font.Size > 16 {
					t.Errorf("page %d: %q at %.1f pt", pi+1, o.S, o.Font.Size)
				}
				w := textWidth(o.Font, o.S)
				x := o.X
				switch o.Align {
				case sheet.Center:
					x = o.X + (o.W-w)/2
				case sheet.Right:
					x = o.X + o.W - w
				}
				if o.Align != sheet.Left && w > o.W+0.01 {
					t.Errorf("page %d: %q (%.1f mm) overflows its %.1f mm box", pi+1, o.S, w, o.W)
				}
				if !in(x, o.Y-ascent(o.Font)) || !in(x+w, o.Y+1) {
					t.Errorf("page %d: %q at (%.1f, %.1f) leaves the page", pi+1, o.S, x, o.Y)
				}
			case sheet.Line:
				if !in(o.X1, o.Y1) || !in(o.X2, o.Y2) {
					t.Errorf("page %d: line %+v leaves the page", pi+1, o)
				}
			case sheet.Rect:
				if !in(o.X, o.Y) || !in(o.X+o.W, o.Y+o.H) {
					t.Errorf("page %d: rect %+v leaves the page", pi+1, o)
				}
			case sheet.Stamp:
				if !in(o.CX-o.R, o.CY-o.R) || !in(o.CX+o.R, o.CY+o.R) {
					t.Errorf("page %d: stamp at (%.1f, %.1f) leaves the page", pi+1, o.CX, o.CY)
				}
			case sheet.Signature:
				if !in(o.X, o.Y) || !in(o.X+o.W, o.Y+o.H) {
					t.Errorf("page %d: signature %+v leaves the page", pi+1, o)
				}
			}
		}
	}
}

func TestParseMix(t *testing.T) {
	t.Parallel()
	got, err := ParseMix("invoice:12, act:10,contract:0")
	if err != nil {
		t.Fatal(err)
	}
	want := map[pervichka.DocType]int{pervichka.DocInvoice: 12, pervichka.DocAct: 10, pervichka.DocContract: 0}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("ParseMix = %v, want %v", got, want)
	}
	for _, bad := range []string{"", "invoice", "invoice:x", "invoice:-1", "bill:3", "act:1,act:2", "act:1,,upd:2"} {
		if _, err := ParseMix(bad); err == nil {
			t.Errorf("ParseMix(%q) accepted", bad)
		}
	}
}

func FuzzParseMix(f *testing.F) {
	for _, s := range []string{"invoice:12,act:10", "upd:0", "act:1,act:2", ":", "vat_invoice:99999999999999999999"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		m, err := ParseMix(s)
		if err != nil {
			return
		}
		for k, n := range m {
			if n < 0 || n > 100000 {
				t.Fatalf("%s:%d accepted", k, n)
			}
		}
	})
}

func TestGenerateDeterministic(t *testing.T) {
	t.Parallel()
	mix := map[pervichka.DocType]int{pervichka.DocInvoice: 2, pervichka.DocVATInvoice: 1, pervichka.DocUPD: 1, pervichka.DocAct: 1, pervichka.DocContract: 1}
	run := func() (string, []byte) {
		dir := t.TempDir()
		if err := Generate(context.Background(), Options{Seed: 42, Out: dir, Mix: mix, Variants: []string{VariantPDF}}); err != nil {
			t.Fatal(err)
		}
		b, err := os.ReadFile(filepath.Join(dir, TruthFile))
		if err != nil {
			t.Fatal(err)
		}
		return dir, b
	}
	dirA, a := run()
	dirB, b := run()
	if !bytes.Equal(a, b) {
		t.Fatal("truth.jsonl differs between two runs with one seed")
	}
	truth, err := ReadTruth(filepath.Join(dirA, TruthFile))
	if err != nil {
		t.Fatal(err)
	}
	if len(truth) != 6 {
		t.Fatalf("%d documents, want 6", len(truth))
	}
	for i, tr := range truth {
		if want := fmt.Sprintf("%03d-%s", i+1, tr.DocType); tr.ID != want {
			t.Errorf("document %d is %s, want %s", i, tr.ID, want)
		}
		pa, err := os.ReadFile(filepath.Join(dirA, tr.Variants[VariantPDF]))
		if err != nil {
			t.Fatal(err)
		}
		pb, _ := os.ReadFile(filepath.Join(dirB, tr.Variants[VariantPDF]))
		if !bytes.Equal(pa, pb) {
			t.Errorf("%s differs between runs", tr.Variants[VariantPDF])
		}
	}
	var comp struct {
		Companies []companyJSON `json:"companies"`
	}
	cb, err := os.ReadFile(filepath.Join(dirA, CompaniesFile))
	if err != nil || json.Unmarshal(cb, &comp) != nil || len(comp.Companies) != 3 {
		t.Fatalf("companies.json: %s %v", cb, err)
	}
	// Another seed gives another corpus.
	dirC := t.TempDir()
	if err := Generate(context.Background(), Options{Seed: 43, Out: dirC, Mix: mix, Variants: []string{VariantPDF}}); err != nil {
		t.Fatal(err)
	}
	c, _ := os.ReadFile(filepath.Join(dirC, TruthFile))
	if bytes.Equal(a, c) {
		t.Error("seeds 42 and 43 gave the same truth")
	}
}

func TestGenerateCanceled(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err := Generate(ctx, Options{Seed: 1, Out: t.TempDir(), Variants: []string{VariantPDF}})
	if err == nil {
		t.Fatal("canceled generation succeeded")
	}
}

func TestGenerateAllVariants(t *testing.T) {
	if testing.Short() {
		t.Skip("renders and degrades pages at 300 dpi")
	}
	t.Parallel()
	dir, again := t.TempDir(), t.TempDir()
	mix := map[pervichka.DocType]int{pervichka.DocInvoice: 1, pervichka.DocContract: 1}
	for _, d := range []string{dir, again} {
		if err := Generate(context.Background(), Options{Seed: 5, Out: d, Mix: mix}); err != nil {
			t.Fatal(err)
		}
	}
	truth, err := ReadTruth(filepath.Join(dir, TruthFile))
	if err != nil {
		t.Fatal(err)
	}
	for _, tr := range truth {
		if len(tr.Variants) != 4 {
			t.Errorf("%s has variants %v", tr.ID, tr.Variants)
		}
		for v, name := range tr.Variants {
			a, err := os.ReadFile(filepath.Join(dir, name))
			if err != nil || len(a) < 1000 {
				t.Errorf("%s %s: %d bytes, %v", tr.ID, v, len(a), err)
			}
			b, _ := os.ReadFile(filepath.Join(again, name))
			if v != VariantPDF && strings.HasSuffix(name, ".pdf") {
				// fpdf orders image objects of equal width by map
				// iteration, so compare the images, not their order.
				a, b = sortedStreams(a), sortedStreams(b)
			}
			if !bytes.Equal(a, b) {
				t.Errorf("%s differs between two runs with one seed", name)
			}
			multi := tr.Pages > 1
			if (v == VariantPhoto || v == VariantHard) && strings.HasSuffix(name, ".pdf") != multi {
				t.Errorf("%s %s is %s for %d pages", tr.ID, v, name, tr.Pages)
			}
		}
		// Photos record a turn per page, upright ones as 0; the messenger
		// photo leaves these portrait sheets upright, the hard one always
		// turns them, and a quarter turn makes the picture landscape.
		if len(tr.Turns) != 2 || len(tr.Turns[VariantPhoto]) != tr.Pages || len(tr.Turns[VariantHard]) != tr.Pages {
			t.Errorf("%s (%d pages) has turns %v, want photo and hard, a turn per page", tr.ID, tr.Pages, tr.Turns)
			continue
		}
		for k := range tr.Pages {
			if d := tr.Turns[VariantPhoto][k]; d != 0 {
				t.Errorf("%s photo page %d turned %d°, want upright", tr.ID, k+1, d)
			}
			if d := tr.Turns[VariantHard][k]; d != 90 && d != 180 && d != 270 {
				t.Errorf("%s hard page %d turned %d°, want a turn", tr.ID, k+1, d)
			}
		}
		if name := tr.Variants[VariantHard]; tr.Pages == 1 {
			f, err := os.Open(filepath.Join(dir, name))
			if err != nil {
				t.Fatal(err)
			}
			cfg, _, err := image.DecodeConfig(f)
			f.Close()
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			if quarter := tr.Turns[VariantHard][0]%180 == 90; quarter != (cfg.Width > cfg.Height) {
				t.Errorf("%s turned %d° is %dx%d", name, tr.Turns[VariantHard][0], cfg.Width, cfg.Height)
			}
		}
	}
}

// TestCommittedCorpus checks that the small corpus under testdata/corpus is
// what the generator makes today from the command in its README: a change to
// data or layouts must come with a regenerated corpus, or the scorer would
// grade extraction against stale truth.
func TestCommittedCorpus(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ dir, set string }{
		{filepath.Join("..", "testdata", "corpus"), LayoutsClassic},
		{filepath.Join("..", "testdata", "corpus", "real"), LayoutsReal},
	} {
		t.Run(tc.set, func(t *testing.T) {
			t.Parallel()
			checkCommitted(t, tc.dir, tc.set)
		})
	}
}

func checkCommitted(t *testing.T, dir, set string) {
	committed, err := ReadTruth(filepath.Join(dir, TruthFile))
	if errors.Is(err, fs.ErrNotExist) {
		t.Skip("no committed corpus")
	}
	if err != nil {
		t.Fatal(err)
	}
	mix := map[pervichka.DocType]int{}
	for _, tr := range committed {
		mix[tr.DocType]++
	}
	types := plan(committedSeed, mix)
	own := ownCompanies()
	for i, tr := range committed {
		if i >= len(types) {
			t.Fatalf("more documents than the mix gives")
		}
		want := build(committedSeed, i, types[i], own, set).truth
		// Files and turns come from writing the variants, not from
		// building the document.
		want.Variants, want.Turns = tr.Variants, tr.Turns
		if !reflect.DeepEqual(tr, want) {
			a, _ := json.Marshal(tr)
			b, _ := json.Marshal(want)
			t.Fatalf("testdata/corpus is stale: regenerate it with the command in its README\ncommitted: %s\ngenerated: %s", a, b)
		}
		for v, name := range tr.Variants {
			if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
				t.Errorf("%s %s: %v", tr.ID, v, err)
			}
		}
	}
}

// committedSeed is the seed of testdata/corpus (see its README).
const committedSeed = 2026

func FuzzDecodeTruth(f *testing.F) {
	f.Add([]byte("{\"id\":\"001-act\",\"variants\":{\"pdf\":\"001-act.pdf\"},\"total\":\"1.00\",\"items\":[]}\n\n"))
	f.Add([]byte("{\"id\":\"\"}"))
	f.Add([]byte("{\"id\":\"a\",\"number\":null,\"supplier\":{\"kpp\":null}}\nnull\n"))
	f.Add([]byte("{\"id\":\"002-upd\",\"variants\":{\"hard\":\"002-upd-hard.pdf\"},\"turns\":{\"hard\":[270,0],\"photo\":null}}\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		truth, err := decodeTruth(bytes.NewReader(b))
		if err != nil {
			return
		}
		for _, tr := range truth {
			if tr.ID == "" {
				t.Fatal("truth without id accepted")
			}
		}
		var buf bytes.Buffer
		if err := writeTruth(&buf, truth); err != nil {
			t.Fatal(err)
		}
		again, err := decodeTruth(&buf)
		if err != nil || len(again) != len(truth) {
			t.Fatalf("re-read %d of %d: %v", len(again), len(truth), err)
		}
	})
}

// BenchmarkBuild measures drawing the data and layout of one document,
// without rendering.
func BenchmarkBuild(b *testing.B) {
	own := ownCompanies()
	for i := 0; b.Loop(); i++ {
		build(1, i, pervichka.DocTypes[i%len(pervichka.DocTypes)], own, LayoutsAll)
	}
}

func TestServicePeriod(t *testing.T) {
	t.Parallel()
	tests := []struct{ date, want string }{
		{"2024-03-31", "Уборка за март 2024 г."},
		{"2024-03-24", "Уборка за март 2024 г."},
		{"2024-03-05", "Уборка за февраль 2024 г."},
		{"2024-01-10", "Уборка за декабрь 2023 г."},
	}
	for _, tt := range tests {
		d, _ := time.Parse("2006-01-02", tt.date)
		if got := serviceName("Уборка", d); got != tt.want {
			t.Errorf("serviceName(%s) = %q, want %q", tt.date, got, tt.want)
		}
	}
}

// sortedStreams returns the stream contents of a PDF in sorted order.
func sortedStreams(pdf []byte) []byte {
	parts := bytes.Split(pdf, []byte("endstream"))
	var streams []string
	for _, part := range parts[:len(parts)-1] {
		if i := bytes.LastIndex(part, []byte("stream\n")); i >= 0 {
			streams = append(streams, string(part[i:]))
		}
	}
	sort.Strings(streams)
	return []byte(strings.Join(streams, "\x00"))
}

// TestRealLayouts checks what the real-world set promises beyond what
// every layout does: ТОРГ-12 and the 1096 УПД print their form's marks,
// long tables run onto a second page that has no header, and pen marks
// (handwriting, signatures, stamps) are drawn over the print.
func TestRealLayouts(t *testing.T) {
	t.Parallel()
	own := ownCompanies()
	marks := map[pervichka.DocType][]string{
		pervichka.DocTORG12: {"ТОВАРНАЯ НАКЛАДНАЯ", "0330212", "ТОРГ-12", "Всего по накладной"},
		pervichka.DocUPD:    {"Код товара/ работ, услуг", "[8]", "[12]", "[17]", "[19]", "Документ составлен на", "12а"},
		pervichka.DocAct:    {"Акт об оказании услуг"},
	}
	twoPages, hand := 0, 0
	for _, typ := range pervichka.DocTypes {
		for i := range 30 {
			b := build(11, i, typ, own, LayoutsReal)
			text := allText(b.doc)
			for _, m := range marks[typ] {
				if !strings.Contains(text, m) {
					t.Errorf("%s %d: %q not printed", typ, i, m)
				}
			}
			if typ == pervichka.DocUPD && !strings.Contains(text, "на "+sheetsWord(len(b.doc.Sheets))) {
				t.Errorf("upd %d: «Документ составлен на %s» missing", i, sheetsWord(len(b.doc.Sheets)))
			}
			for _, s := range b.doc.Sheets {
				for _, op := range s.Ops {
					if _, ok := op.(sheet.Handwriting); ok {
						hand++
					}
				}
			}
			if typ != pervichka.DocInvoice && typ != pervichka.DocAct || len(b.doc.Sheets) < 2 {
				continue
			}
			twoPages++
			var second strings.Builder
			for _, op := range b.doc.Sheets[1].Ops {
				if o, ok := op.(sheet.Text); ok {
					second.WriteString(o.S + " ")
				}
			}
			for _, head := range []string{"Счет на оплату", "Счет-оферта", "Акт об оказании", "Товары (работы, услуги)", "Наименование работ", "(Исполнитель):", "Исполнитель:"} {
				if strings.Contains(second.String(), head) {
					t.Errorf("%s %d: page 2 repeats %q", typ, i, head)
				}
			}
		}
	}
	if twoPages < 3 || hand < 10 {
		t.Errorf("%d two-page bills and acts, %d handwritten marks in 180 documents: want some of each", twoPages, hand)
	}
}

// TestCommittedPhotoUnchanged: the classic photo variants make the same
// bytes as when the committed corpus was generated, so new variants and
// layouts have not moved the random streams the old ones draw from.
func TestCommittedPhotoUnchanged(t *testing.T) {
	t.Parallel()
	dir := filepath.Join("..", "testdata", "corpus")
	committed, err := ReadTruth(filepath.Join(dir, TruthFile))
	if errors.Is(err, fs.ErrNotExist) {
		t.Skip("no committed corpus")
	}
	if err != nil {
		t.Fatal(err)
	}
	mix := map[pervichka.DocType]int{}
	for _, tr := range committed {
		mix[tr.DocType]++
	}
	types := plan(committedSeed, mix)
	b := build(committedSeed, 0, types[0], ownCompanies(), LayoutsClassic)
	page := renderImage(b.doc.Sheets[0])
	for vi, v := range Variants {
		shoot := map[string]func(*rand.Rand, image.Image) ([]byte, int, error){VariantPhoto: degrade.Photo, VariantHard: degrade.HardPhoto}[v]
		if shoot == nil {
			continue
		}
		got, _, err := shoot(streamRand(committedSeed, 0, vi+1), page)
		if err != nil {
			t.Fatal(err)
		}
		want, err := os.ReadFile(filepath.Join(dir, committed[0].Variants[v]))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s of %s differs from the committed file", v, committed[0].ID)
		}
	}
}

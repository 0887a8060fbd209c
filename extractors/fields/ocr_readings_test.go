package fields

import (
	"context"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	pervichka "github.com/pervichka/pervichka"
)

// An УПД's title in a large font shares its row with the small print of
// «Приложение № 1 …»; «апреля», whose descender puts its centre lower than
// the running centre of that mixed row, stays in the title's line because
// Tesseract read it in the same line, and the date is read. The words are
// Tesseract's of a 300-dpi scan of a corpus УПД (the page's slight tilt
// matters: levelled, the small print sits lower still).
func TestTitleLineKeepsDescenderWord(t *testing.T) {
	t.Parallel()
	page := ocrPage(t, "upd-scan-title.words.json")
	lines := buildLines([]pervichka.Page{page})
	typ, _, ti := classify(lines)
	if typ != pervichka.DocUPD || ti == nil {
		t.Fatalf("classified %s, title %v", typ, ti)
	}
	if d := titleDate(lines, ti); d.text != "2024-04-17" {
		t.Errorf("date %q, want 2024-04-17; title line %q", d.text, ti.line.text())
	}
}

// A year OCR split in a letter-spaced title («апреля 202 5 г») is joined,
// at a confidence that sends the date to a clerk.
func TestTitleDateSplitYear(t *testing.T) {
	t.Parallel()
	lines := edit(act, "^Акт ^№ ^12 ^от ^31 ^мая ^2025 ^г.", "^Акт ^№ ^12 ^от ^31 ^мая ^202 ^5 ^г.")
	res := Extract(context.Background(), []pervichka.Page{pageScaled(1, 0.95, lines...)}, cfg(), nil)
	if res.Date != "2025-05-31" || !hasReason(res, "low_confidence:date") {
		t.Errorf("date %q conf %v, reasons %v", res.Date, res.Confidence["date"], res.ReviewReasons)
	}
}

// Debris without letters before «ДОГОВОР» (a fold, a speck read as «7»)
// does not stop the title being one; a word before it does.
func TestContractTitleAfterDebris(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		first string
		want  pervichka.DocType
	}{
		{"7 ^ДОГОВОР ^№ ^15/24", pervichka.DocContract},
		{"Основание: ^ДОГОВОР ^№ ^15/24", pervichka.DocUnknown},
	} {
		lines := append([]string{c.first}, contract[1:]...)
		if typ, _ := Classify([]pervichka.Page{pageScaled(1, 0.95, lines...)}); typ != c.want {
			t.Errorf("%q: %s, want %s", c.first, typ, c.want)
		}
	}
}

// Two printings of the number with the same date are compared without the
// spaces of letter-spaced print and with Latin look-alikes as Cyrillic: a
// reading a few characters off (the title's «BII-31 2» for «БП-312»)
// doubts the number, a Latin «A-17» for a Cyrillic «А-17» confirms it.
func TestConfirmNumberPrintings(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		title, other string
		doubt        bool
	}{
		{"^№ ^BII-31 ^2 ", "Документ об отгрузке № БП-312 от 31.05.2025", true},
		{"^№ ^A-17 ", "Документ об отгрузке № А-17 от 31.05.2025", false},
		{"^№ ^А-17 ", "Документ об отгрузке № А-17 от 31.05.2025", false},
	} {
		lines := append(edit(act, "^№ ^12 ", c.title), c.other)
		res := Extract(context.Background(), []pervichka.Page{pageScaled(1, 0.95, lines...)}, cfg(), nil)
		if got := hasReason(res, "low_confidence:number"); got != c.doubt {
			t.Errorf("%q / %q: number %q conf %v, doubted %v, want %v", c.title, c.other, res.Number, res.Confidence["number"], got, c.doubt)
		}
	}
}

// «Без НДС» is as sure as its own words: a doubtful dash in the next cell
// does not doubt it, a doubtful «Без» does.
func TestNoVATConfidence(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		line  string
		doubt bool
	}{
		{"@66 Без налога (НДС) @76 -~0.5", false},
		{"@66 Без~0.5 налога (НДС) @76 -", true},
		// «НДС» misread with its Д as А (9901's realistic ТОРГ-12 009).
		{"@66 Без HAC @76 -", false},
		{"@66 Без НЛС @76 -", false},
	} {
		lines := edit(act, "@66 Без налога (НДС) @76 -", c.line)
		res := Extract(context.Background(), []pervichka.Page{pageScaled(1, 0.95, lines...)}, cfg(), nil)
		if res.VATRate != pervichka.VATNone {
			t.Fatalf("%q: rate %q", c.line, res.VATRate)
		}
		if got := hasReason(res, "low_confidence:vat_amount"); got != c.doubt {
			t.Errorf("%q: vat_amount conf %v, doubted %v, want %v (%v)", c.line, res.Confidence["vat_amount"], got, c.doubt, res.ReviewReasons)
		}
	}
}

// Only «Н?С» with Д misread counts for «НДС» after «без» outside the
// table: other words of three letters do not.
func TestNoVATGarbledLine(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		line string
		want bool
	}{
		{"Итого 46 586,53 без НАС", true},
		{"Всего по накладной без HAC 46 586,53", true},
		{"Доставка без нее невозможна", false},
		{"Итого без них 100,00", false},
	} {
		ls := buildLines([]pervichka.Page{pageOf(c.line)})
		if got := isNoVAT(&ls[0]); got != c.want {
			t.Errorf("%q: isNoVAT %v, want %v", c.line, got, c.want)
		}
	}
}

// lineRereader answers a re-read with the words of the synthetic page
// inside the box, left to right, some of them seen differently.
type lineRereader struct {
	page  pervichka.Page
	swap  map[string]string // a word's text → what the re-read sees
	calls int
}

func (f *lineRereader) ReadLine(_ context.Context, _ int, box pervichka.Rect, _ string) (string, float64, error) {
	f.calls++
	var parts []string
	for _, w := range f.page.Words {
		if w.Box.X0 >= box.X0 && w.Box.X1 <= box.X1 && w.Box.Y0 >= box.Y0 && w.Box.Y1 <= box.Y1 {
			if s, ok := f.swap[w.Text]; ok {
				parts = append(parts, s)
			} else {
				parts = append(parts, w.Text)
			}
		}
	}
	return strings.Join(parts, " "), 0.9, nil
}

// A date with the month in words is read again as a line: the same date
// lifts a day Tesseract was unsure of over the posting threshold, a
// different one sends the date to review however sure the first reading
// was, and a date assembled from a split year is not lifted.
func TestRereadDateLine(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name, title string
		swap        map[string]string
		date        string
		doubt       bool
	}{
		{"agrees", "^Акт ^№ ^12 ^от ^1~0.3 ^мая ^2025 ^г.", nil, "2025-05-01", false},
		{"day differs", "^Акт ^№ ^12 ^от ^1~0.3 ^мая ^2025 ^г.", map[string]string{"1": "7"}, "2025-05-01", true},
		{"sure but misread", "^Акт ^№ ^12 ^от ^25 ^мая ^2025 ^г.", map[string]string{"25": "23"}, "2025-05-25", true},
		{"year differs", "^Акт ^№ ^12 ^от ^1~0.3 ^мая ^2025 ^г.", map[string]string{"2025": "2026"}, "2025-05-01", true},
		{"quotes", "^Акт ^№ ^12 ^от ^«1»~0.3 ^мая ^2025 ^г.", nil, "2025-05-01", false},
		{"asterisks for quotes", "^Акт ^№ ^12 ^от ^*31*~0.6 ^мая ^2025 ^г.", nil, "2025-05-31", false},
		{"second reading takes a quote for a 7", "^Акт ^№ ^12 ^от ^\"14\"~0.5 ^мая ^2025 ^г.", map[string]string{`"14"`: "714”"}, "2025-05-14", false},
		{"assembled", "^Акт ^№ ^12 ^от ^31 ^мая ^202 ^5 ^г.", nil, "2025-05-31", true},
	} {
		lines := edit(act, "^Акт ^№ ^12 ^от ^31 ^мая ^2025 ^г.", c.title)
		page := pageScaled(1, 0.95, lines...)
		rr := &lineRereader{page: page, swap: c.swap}
		res := Extract(context.Background(), []pervichka.Page{page}, cfg(), rr)
		if res.Date != pervichka.Text(c.date) || hasReason(res, "low_confidence:date") != c.doubt {
			t.Errorf("%s: date %q conf %v, reasons %v", c.name, res.Date, res.Confidence["date"], res.ReviewReasons)
		}
	}
}

// «В т.ч. НДС» garbled into debris before «НДС» («8 1.4. НДС (20%):») still
// labels the VAT; a word in front of it («Начислено НДС») does not: its
// figure is not read as the VAT, and only the total's share at the rate
// printed is proposed, under the routing threshold (vatFromRate).
func TestVATLabelAfterDebris(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		line, vat string
		read      bool
	}{
		{"@60 8 1.4. НДС (20%): @76 2 416,67", "2416.67", true},
		{"@60 НДС (20%): @76 2 416,67", "2416.67", true},
		{"@60 Начислено НДС (20%): @76 2 416,67", "2416.67", false},
	} {
		lines := edit(invoice1C, "@60 В том числе НДС 20%: @76 2 416,67", c.line)
		res := Extract(context.Background(), []pervichka.Page{pageScaled(1, 0.95, lines...)}, cfg(), nil)
		if string(res.VATAmount) != c.vat {
			t.Errorf("%q: vat %q, want %q", c.line, res.VATAmount, c.vat)
		}
		if conf := res.Confidence["vat_amount"]; c.read != (conf > vatFromRateCap) {
			t.Errorf("%q: vat confidence %.2f, read as a label %v", c.line, conf, c.read)
		}
	}
}

// A row whose price OCR misread by one confusable digit («430,00» for
// «450,00») is repaired by its arithmetic. With the rows adding up to the
// total and the number and date read surely, the repair is only noted; with
// a doubtful number the document goes to a clerk, since the print that
// misled OCR in the table may have misled it there too.
func TestConfusedRowRouting(t *testing.T) {
	t.Parallel()
	const title = "^Счет ^на ^оплату ^№ ^А-17 ^от ^20 ^марта ^2024 ^г."
	for _, c := range []struct {
		name, title string
		reason      string
		review      bool
		reread      bool
	}{
		{"sure number and date", title, "rows_repaired", false, true},
		{"doubtful number", "^Счет ^на ^оплату ^№ ^А-17~0.85 ^от ^20 ^марта ^2024 ^г.", "repaired:items", true, false},
	} {
		lines := edit(invoice1C,
			"@52 10 @58 упак @64 450,00 @74 4 500,00", "@52 3 @58 упак @64 430,00 @74 1 350,00",
			"14 500,00", "11 350,00", "2 416,67", "1 891,67",
			"Четырнадцать тысяч пятьсот рублей", "Одиннадцать тысяч триста пятьдесят рублей",
			title, c.title)
		// A second reading that reads the page right confirms the number
		// and date (the gate wants one of every key field); without it
		// the number stays doubtful.
		page := pageScaled(1, 0.95, lines...)
		var rr Rereader
		if c.reread {
			rr = pageRereader{pages: []pervichka.Page{page}, conf: 0.95}
		}
		res := Extract(context.Background(), []pervichka.Page{page}, cfg(), rr)
		if res.Items[0].Price != "450.00" {
			t.Fatalf("%s: price %q, want the repaired 450.00", c.name, res.Items[0].Price)
		}
		if !hasReason(res, c.reason) || res.NeedsReview != c.review {
			t.Errorf("%s: needs_review %v, reasons %v; want %s, review %v", c.name, res.NeedsReview, res.ReviewReasons, c.reason, c.review)
		}
	}
}

// A stray «,» or «.» that OCR left between a label and its value (the
// dotted leader of the form) does not hide the value.
func TestIDAfterLabelDebris(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ line, inn, kpp string }{
		{"ИНН продавца: , (2б) 1651532960", "1651532960", ""},
		{"КПП продавца: . (2б) 165101001", "", "165101001"},
		{"ИНН: 1651532960", "1651532960", ""},
		{"ИНН продавца: см. 1651532960", "", ""}, // a word between: not a value of the label
	} {
		inns, kpps := findIDHits(buildLines([]pervichka.Page{pageScaled(1, 0.95, c.line)}))
		var inn, kpp string
		if len(inns) > 0 {
			inn = inns[0].inn
		}
		if len(kpps) > 0 {
			kpp = kpps[0].kpp
		}
		if inn != c.inn || kpp != c.kpp {
			t.Errorf("%q: ИНН %q КПП %q, want %q %q", c.line, inn, kpp, c.inn, c.kpp)
		}
	}
}

// An ИНН and КПП read as one run of digits, the slash between them lost
// (seed 8901's realistic photo 012), are split when the first ten pass the
// ИНН's check and the КПП starts with its region; otherwise the run is
// left whole, for the check digits to refuse.
func TestGluedINNKPP(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ line, inn, kpp string }{
		{"ИННКПП продавца: 6150563130615001001 (2б)", "6150563130", "615001001"},
		{"ИНН/КПП покупателя: 7749149970774901001", "7749149970", "774901001"},
		{"ИННКПП продавца: 6150563131615001001", "6150563131615", ""}, // check digit fails
		{"ИННКПП продавца: 6150563130775001001", "6150563130775", ""}, // another region's КПП
		{"ИНН/КПП продавца: 6150563130/615001001", "6150563130", "615001001"},
		// The slash read as «И» and the ИНН split after its first digit
		// (seed 9201's scanner-app УПД 002); a digit set apart by a
		// column's gap, or a join that fails the check, is not the ИНН's.
		{"ИННИКПП продавца: : 5 216899238/521601001", "5216899238", "521601001"},
		{"ИНН/КПП продавца: 4 @40 5216899238/521601001", "5216899238", "521601001"},
		{"ИНН/КПП продавца: 4 5216899238/521601001", "5216899238", "521601001"},
	} {
		inns, _ := findIDHits(buildLines([]pervichka.Page{pageScaled(1, 0.95, c.line)}))
		var inn, kpp string
		if len(inns) > 0 {
			inn, kpp = inns[0].inn, inns[0].kpp
		}
		if inn != c.inn || kpp != c.kpp {
			t.Errorf("%q: ИНН %q КПП %q, want %q %q", c.line, inn, kpp, c.inn, c.kpp)
		}
	}
}

// The number is read again with the title's words around it: a reading
// that agrees (a number with letters too, Latin look-alikes counted as
// Cyrillic) lifts a doubtful one, a differing one («772/26» for «772126»)
// sends it to review.
func TestRereadNumberLine(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name, number string
		swap         map[string]string
		doubt        bool
	}{
		{"agrees", "^772/26~0.85", nil, false},
		{"letters agree", "^Р-1383~0.85", map[string]string{"Р-1383": "P-1383"}, false},
		{"slash read as one", "^772126~0.95", map[string]string{"772126": "772/26"}, true},
	} {
		lines := edit(act, "^№ ^12 ", "^№ "+c.number+" ")
		page := pageScaled(1, 0.95, lines...)
		swap := map[string]string{}
		for k, v := range c.swap {
			swap[k] = v
		}
		rr := &lineRereader{page: page, swap: swap}
		res := Extract(context.Background(), []pervichka.Page{page}, cfg(), rr)
		if got := hasReason(res, "low_confidence:number"); got != c.doubt {
			t.Errorf("%s: number %q conf %v, doubted %v, want %v (%v)", c.name, res.Number, res.Confidence["number"], got, c.doubt, res.ReviewReasons)
		}
	}
}

// bruteSlope is pageSlope as first written, every word paired with every
// other: the reference the windowed one must equal.
func bruteSlope(ws []pervichka.Word, u float64) []float64 {
	var slopes []float64
	for i, a := range ws {
		for j, b := range ws {
			if i == j {
				continue
			}
			dx := float64(b.Box.X0+b.Box.X1-a.Box.X0-a.Box.X1) / 2
			if dx < 3*u || dx > 15*u || math.Abs(float64(b.Box.Dy()-a.Box.Dy())) >= 0.3*u {
				continue
			}
			overlap := min(a.Box.Y1, b.Box.Y1) - max(a.Box.Y0, b.Box.Y0)
			if float64(overlap) < 0.5*float64(min(a.Box.Dy(), b.Box.Dy())) {
				continue
			}
			slopes = append(slopes, float64(b.Box.Y0+b.Box.Y1-a.Box.Y0-a.Box.Y1)/2/dx)
		}
	}
	return slopes
}

// pageSlope pairs only words that overlap vertically; on a real OCR'd page
// (slightly tilted) and on synthetic pages tilted by a line's height across
// the width it measures what pairing every word with every other measured.
func TestPageSlopeWindowed(t *testing.T) {
	t.Parallel()
	scan := ocrPage(t, "upd-scan-title.words.json")
	pages := []pervichka.Page{scan}
	for _, tilt := range []int{-60, 25, 90} {
		p := pageOf(invoice1C...)
		for i := range p.Words {
			dy := tilt * p.Words[i].Box.X0 / 2000
			p.Words[i].Box.Y0 += dy
			p.Words[i].Box.Y1 += dy
		}
		pages = append(pages, p)
	}
	for i, p := range pages {
		var ws []pervichka.Word
		for _, w := range p.Words {
			if strings.TrimSpace(w.Text) != "" && w.Box.Dx() >= 0 && w.Box.Dy() > 0 {
				ws = append(ws, w)
			}
		}
		u := medianHeight(ws)
		ref := bruteSlope(ws, u)
		want := 0.0
		if len(ref) >= 20 {
			slices.Sort(ref)
			want = ref[len(ref)/2]
		}
		// Every page here is tilted past the half-line pageSlope ignores.
		if got := pageSlope(ws, u); got != want || got == 0 {
			t.Errorf("page %d: slope %v, pairing every word gave %v", i, got, want)
		}
	}
}

// BenchmarkExtractHugePage: a text layer with 16,000 words on one page (a
// hostile PDF's; OCR'd pages have under 2,000). Pairing every word for the
// tilt took 2.5 s here; windowed and capped, ~80 ms.
func BenchmarkExtractHugePage(b *testing.B) {
	var lines []string
	for range 1600 {
		lines = append(lines, strings.Repeat("1234 ", 10))
	}
	page := pageOf(lines...)
	for b.Loop() {
		Extract(context.Background(), []pervichka.Page{page}, Config{Own: own, Now: testNow}, nil)
	}
}

// A title in a large font that runs on in smaller print beside two lines of
// small print at the right («СЧЁТ-ФАКТУРА № 992 от 18 мая 2025 г.» beside
// «Приложение № 1 к постановлению …», seed 8901's scanner-app photo 015)
// stays one line with its number and date: the tall title word joined the
// small print's line, and the «№ 992» after it must follow it there, or
// the Приложение's «№ 1 к постановлению» is read as the number. The
// whole page is kept: the lower part sets the page's slope, which decides
// the split.
func TestTitleRunStaysWhole(t *testing.T) {
	t.Parallel()
	page := ocrPage(t, "vat-scanapp-title.words.json")
	lines := buildLines([]pervichka.Page{page})
	typ, _, ti := classify(lines)
	if typ != pervichka.DocVATInvoice || ti == nil {
		t.Fatalf("classified %s, title %v", typ, ti)
	}
	if n := titleNumber(ti); n.text != "992" {
		t.Errorf("number %q, want 992; title line %q", n.text, ti.line.text())
	}
	if d := titleDate(lines, ti); d.text != "2025-05-18" {
		t.Errorf("date %q, want 2025-05-18; title line %q", d.text, ti.line.text())
	}
	// The small print keeps its own lines.
	for _, l := range lines {
		if strings.Contains(l.text(), "Приложение") && strings.Contains(l.text(), "декабря") {
			t.Errorf("the two lines of small print merged: %q", l.text())
		}
	}
}

// ocrPage reads a page of OCR words kept in testdata/ocr (a page's
// words.json from `pervichka extract --debug-dir`).
func ocrPage(t *testing.T, name string) pervichka.Page {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("testdata", "ocr", name))
	if err != nil {
		t.Fatal(err)
	}
	var page pervichka.Page
	if err := json.Unmarshal(raw, &page); err != nil {
		t.Fatal(err)
	}
	return page
}

// cyrillicRereader is lineRereader whose readings limited to the Cyrillic
// number whitelist see cyr's texts instead: what Tesseract gives a prefix
// when it may not use Latin letters.
type cyrillicRereader struct {
	lineRereader
	cyr map[string]string
}

func (f *cyrillicRereader) ReadLine(ctx context.Context, page int, box pervichka.Rect, whitelist string) (string, float64, error) {
	if whitelist != cyrillicNumberWhitelist {
		return f.lineRereader.ReadLine(ctx, page, box, whitelist)
	}
	r := lineRereader{page: f.lineRereader.page, swap: f.cyr}
	return r.ReadLine(ctx, page, box, whitelist)
}

// A number whose prefix OCR gave in Latin twins and digits of a letter's
// shape («C4-1519» for «СЧ-1519») is read again limited to Cyrillic, and
// that reading is shown when it fits the first letter for letter, or when
// it is what the unlimited second reading gave; the tail must agree. The
// number stays for a clerk to confirm either way.
func TestNumberPrefixReadInCyrillic(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name, printed string
		plain, cyr    map[string]string
		want          string
	}{
		{"Latin twin and a digit", "C4-1519", nil, map[string]string{"C4-1519": "СЧ-1519"}, "СЧ-1519"},
		{"letter then a digit", "Ц6-000847", nil, map[string]string{"Ц6-000847": "ЦБ-000847"}, "ЦБ-000847"},
		{"digit then a letter", "5П-921", nil, map[string]string{"5П-921": "БП-921"}, "БП-921"},
		{"the tail differs", "C4-1519", nil, map[string]string{"C4-1519": "СЧ-1578"}, "C4-1519"},
		{"no shape fits", "C4-1519", nil, map[string]string{"C4-1519": "ЖЧ-1519"}, "C4-1519"},
		{"Cyrillic reading gives nothing new", "C4-1519", nil, map[string]string{"C4-1519": "4-1519"}, "C4-1519"},
		// «51-1097» on the page, «БП-1097» in both readings of its crop
		// (seed 9991's scanner-app ТОРГ-12).
		{"both crops agree", "51-1097", map[string]string{"51-1097": "БП-1097"}, map[string]string{"51-1097": "БП-1097"}, "БП-1097"},
		{"crops disagree", "51-1097", map[string]string{"51-1097": "БП-1097"}, map[string]string{"51-1097": "5П-1097"}, "51-1097"},
	} {
		lines := edit(invoice1C, "^А-17 ", "^"+c.printed+" ")
		page := pageScaled(1, 0.95, lines...)
		rr := &cyrillicRereader{lineRereader: lineRereader{page: page, swap: c.plain}, cyr: c.cyr}
		res := Extract(context.Background(), []pervichka.Page{page}, cfg(), rr)
		if string(res.Number) != c.want || !hasReason(res, "low_confidence:number") {
			t.Errorf("%s: number %q, reasons %v; want %q for a clerk to confirm", c.name, res.Number, res.ReviewReasons, c.want)
		}
	}
}

// A date that another date on the page differs from by one digit OCR
// confuses goes to a clerk (checkDateElsewhere): unseen seed 10081's
// ТОРГ-12 read «01.06.2023» as «01.05.2023» at 0.95 under a foot dated
// «"01" июня 2023г.», and was approved. Dates further apart (the
// contract's) and the same date again doubt nothing.
func TestDateAgainstOtherDates(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name, foot string
		doubt      bool
	}{
		{"no other date", "Работы сдал: Петров П. П.", false},
		{"the same date in words", `Работы сдал: "30" мая 2025 г.`, false},
		{"month one twin digit off", `Работы сдал: "30" июня 2025 г.`, true},
		{"year one twin digit off", "Работы сдал: 30.05.2026", true},
		{"one digit off, not a twin", "Работы сдал: 30.08.2025", false},
		{"two digits off", "Работы сдал: 20.06.2025", false},
		{"a validity set apart on purpose", "Счёт действителен до 30.06.2025", false},
		{"a deadline", "Срок оплаты: 30.06.2025", false},
	} {
		lines := append(edit(act, "^Акт ^№ ^12 ^от ^31 ^мая ^2025 ^г.", "^Акт ^№ ^12 ^от ^30.05.2025"), c.foot)
		res := Extract(context.Background(), []pervichka.Page{pageScaled(1, 0.97, lines...)}, cfg(), nil)
		if res.Date != "2025-05-30" || hasReason(res, "low_confidence:date") != c.doubt {
			t.Errorf("%s: date %q conf %v, reasons %v", c.name, res.Date, res.Confidence["date"], res.ReviewReasons)
		}
	}
}

func TestOCRTwinDigits(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		a, b string
		want bool
	}{
		{"01062023", "01052023", true},
		{"31052025", "81052025", true},
		{"31052025", "31052025", false},
		{"31052025", "30052025", false},
		{"31052025", "36062025", false},
		{"3105", "310", false},
	} {
		if got := ocrTwinDigits(c.a, c.b); got != c.want {
			t.Errorf("ocrTwinDigits(%s, %s) = %v, want %v", c.a, c.b, got, c.want)
		}
	}
}

// An ИНН whose tight box the re-read misreads is read again with a margin,
// and that reading, agreeing, is its second reading (study seed 10241's
// realistic счёт-фактура 011: «774783448738» read «14783448738» tight and
// right with a margin).
func TestINNRereadWithMargin(t *testing.T) {
	t.Parallel()
	lines := edit(invoice1C, "Покупатель @12 ООО «Лютик», ИНН 5003123458,", "Покупатель @12 ООО «Лютик», ИНН 5003123458,~0.6")
	ocr := pageScaled(1, 0.95, lines...)
	res := Extract(context.Background(), []pervichka.Page{ocr}, Config{}, tightMisreadRereader{pageRereader{pages: []pervichka.Page{ocr}, conf: 0.9}, "5003123458"})
	if res.Buyer.INN != "5003123458" {
		t.Fatalf("buyer %+v", res.Buyer)
	}
	if !slices.Contains(res.Evidence["buyer.inn"], pervichka.EvidenceSecondReading) {
		t.Errorf("buyer.inn evidence %v, want a second reading", res.Evidence["buyer.inn"])
	}
}

// An ИНН the page misread past its check digits is replaced by its box's
// re-read; the same digits read with a margin are that value's second
// reading (study seed 10261's scanner-app счёт-фактура 009: «50496919796»
// on the page, «504969197906» tight and with a margin). Other digits with
// a margin leave it one reading.
func TestINNReplacedReadTwice(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		padded string
		second bool
	}{
		{"5003123458", true},
		{"5003123453", false},
	} {
		lines := edit(invoice1C, "Покупатель @12 ООО «Лютик», ИНН 5003123458,", "Покупатель @12 ООО «Лютик», ИНН 500312348,~0.6")
		ocr := pageScaled(1, 0.95, lines...)
		rr := boxRereader{pageRereader{pages: []pervichka.Page{ocr}, conf: 0.9}, "500312348", "5003123458", tc.padded}
		res := Extract(context.Background(), []pervichka.Page{ocr}, Config{}, rr)
		if res.Buyer.INN != "5003123458" {
			t.Fatalf("buyer %+v", res.Buyer)
		}
		if got := slices.Contains(res.Evidence["buyer.inn"], pervichka.EvidenceSecondReading); got != tc.second {
			t.Errorf("padded %s: buyer.inn evidence %v, second reading %v, want %v", tc.padded, res.Evidence["buyer.inn"], got, tc.second)
		}
	}
}

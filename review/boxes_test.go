package review

import (
	"encoding/json"
	"maps"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/pervichka/pervichka"
	"github.com/pervichka/pervichka/storage/db"
	"github.com/pervichka/pervichka/storage/db/dbtest"
)

// linePage lays lines out as words, 20 px a character, a line 60 px: word
// i of the page is the i-th word read left to right, top to bottom.
func linePage(lines ...string) pervichka.Page {
	p := pervichka.Page{Width: 2000, Height: 60 * (len(lines) + 2), Source: pervichka.SourceOCR}
	for li, l := range lines {
		x := 40
		for _, w := range strings.Fields(l) {
			n := len([]rune(w))
			p.Words = append(p.Words, pervichka.Word{Text: w, Box: pervichka.Rect{X0: x, Y0: 60 * (li + 1), X1: x + 20*n, Y1: 60*(li+1) + 40}, Conf: 0.9})
			x += 20 * (n + 1)
		}
	}
	return p
}

// at is the location of words (by index) of page 0 of p.
func at(p pervichka.Page, words ...int) pervichka.Location {
	l := pervichka.Location{Page: 0, Words: words}
	for _, w := range words {
		l.Box = l.Box.Union(p.Words[w].Box)
	}
	return l
}

// boxPage is a bill as OCR read it: the supplier's ИНН printed twice
// (words 1 and 4, the second misread), the date in words, an item row
// whose name wraps, the total twice and in words.
var boxPage = linePage(
	"ИНН 7701234560 Банк получателя",           // 0-3
	"Поставщик ИНН 7701234568 ООО Ромашка",     // 4-8
	"Счет № 17 от 8 февраля 2023 г.",           // 9-16
	"1 Бумага офисная 10 упак 450,00 4 500,00", // 17-24
	"белая 500 л.",             // 25-27
	"Итого: 4 500,00",          // 28-30
	"Всего к оплате: 4 500,00", // 31-35
	"Четыре тысячи пятьсот рублей 00 копеек", // 36-41
)

// boxResult is what extraction made of boxPage, with where it read each
// value.
func boxResult() pervichka.Result {
	p := boxPage
	return pervichka.Result{
		Number: "17", Date: "2023-02-08", Total: "4500.00", VATRate: "none",
		Supplier: pervichka.Party{Name: "ООО Ромашка", INN: "7701234560"},
		Items:    []pervichka.Item{{Name: "Бумага офисная белая 500 л.", Quantity: "10", Unit: "упак", Price: "450.00", Amount: "4500.00"}},
		Locations: map[string][]pervichka.Location{
			"supplier.inn":      {at(p, 6)}, // the misread word: the repair gave 7701234560
			"supplier.name":     {at(p, 7, 8)},
			"number":            {at(p, 11)},
			"date":              {at(p, 13, 14, 15, 16)},
			"total":             {at(p, 34, 35)}, // «Всего к оплате», not «Итого» above it
			"total_words":       {at(p, 36, 37, 38, 39, 40, 41)},
			"items[0]":          {at(p, 17, 18, 19, 20, 21, 22, 23, 24), at(p, 25, 26, 27)},
			"items[0].name":     {at(p, 18, 19), at(p, 25, 26, 27)},
			"items[0].quantity": {at(p, 20)},
			"items[0].amount":   {at(p, 23, 24)},
		},
	}
}

// TestFieldBoxes: the page draws where the extractor read each value; it
// finds a value among the words only for a result without locations and
// for a value a clerk changed.
func TestFieldBoxes(t *testing.T) {
	p := boxPage
	word := func(ws ...int) pervichka.Rect { return at(p, ws...).Box }
	for _, tc := range []struct {
		name      string
		mutate    func(r *pervichka.Result)
		corrected []string
		want      map[string][]pervichka.Rect // by key; keys not named are not drawn
	}{
		{
			// «7701234560» is printed (word 1) before the misread word it
			// was read from: a search would box the first.
			name: "located values",
			want: map[string][]pervichka.Rect{
				"supplier.inn": {word(6)}, "supplier.name": {word(7, 8)}, "number": {word(11)},
				"date": {word(13, 14, 15, 16)}, "total": {word(34, 35)}, "total_words": {word(36, 41)},
				"row:0":         {word(17, 24, 25, 27)},
				"items[0].name": {word(18, 19), word(25, 27)}, "items[0].quantity": {word(20)}, "items[0].amount": {word(23, 24)},
			},
		},
		{
			// The clerk typed the supplier's name and cut the item's
			// name short: those are found among the words, and the row
			// by its name's band; the rest stays where it was read.
			name: "corrected values",
			mutate: func(r *pervichka.Result) {
				r.Supplier.Name = "Ромашка"
				r.Items[0].Name = "Бумага офисная"
				delete(r.Locations, "supplier.name")
				delete(r.Locations, "items[0].name")
				delete(r.Locations, "items[0]")
			},
			corrected: []string{"supplier.name", "items[0].name"},
			want: map[string][]pervichka.Rect{
				"supplier.inn": {word(6)}, "supplier.name": {word(8)}, "number": {word(11)},
				"date": {word(13, 14, 15, 16)}, "total": {word(34, 35)}, "total_words": {word(36, 41)},
				"row:0":         {word(17, 24)},
				"items[0].name": {word(18, 19)}, "items[0].quantity": {word(20)}, "items[0].amount": {word(23, 24)},
			},
		},
		{
			// A value the extractor computed (here the VAT from the rate)
			// or one it never read is not searched for.
			name: "computed values are not boxed",
			mutate: func(r *pervichka.Result) {
				r.VATAmount = "4500.00"
				r.Locations = map[string][]pervichka.Location{"number": r.Locations["number"]}
			},
			want: map[string][]pervichka.Rect{"number": {word(11)}},
		},
		{
			// A location naming a word or a page the document no longer
			// has (the page was turned, its words not read yet).
			name: "stale locations",
			mutate: func(r *pervichka.Result) {
				r.Locations["number"] = []pervichka.Location{{Page: 0, Box: word(11), Words: []int{len(p.Words)}}}
				r.Locations["date"] = []pervichka.Location{{Page: 1, Box: word(13)}}
				r.Locations = map[string][]pervichka.Location{"number": r.Locations["number"], "date": r.Locations["date"], "total": r.Locations["total"]}
			},
			want: map[string][]pervichka.Rect{"total": {word(34, 35)}},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := boxResult()
			if tc.mutate != nil {
				tc.mutate(&r)
			}
			corrected := map[string]bool{}
			for _, k := range tc.corrected {
				corrected[k] = true
			}
			got := map[string][]pervichka.Rect{}
			for _, b := range fieldBoxes([]pervichka.Page{p}, r, corrected) {
				if b.Page != 0 || b.Row != strings.HasPrefix(b.Key, "row:") {
					t.Errorf("box %+v", b)
				}
				got[b.Key] = append(got[b.Key], b.Box)
			}
			for _, k := range slices.Sorted(maps.Keys(got)) {
				if !slices.Equal(got[k], tc.want[k]) {
					t.Errorf("%s boxed at %v, want %v", k, got[k], tc.want[k])
				}
			}
			for k := range tc.want {
				if _, ok := got[k]; !ok {
					t.Errorf("%s not boxed, want %v", k, tc.want[k])
				}
			}
		})
	}
}

// TestFieldBoxesOldResult: a result stored before extraction recorded
// locations is boxed by searching the words, as before — the ИНН where
// its text first appears, the misread one nowhere.
func TestFieldBoxesOldResult(t *testing.T) {
	r := boxResult()
	r.Locations = nil
	got := fieldBoxes([]pervichka.Page{boxPage}, r, nil)
	if want := locate([]pervichka.Page{boxPage}, r); !slices.Equal(got, want) {
		t.Errorf("boxes %+v, want locate's %+v", got, want)
	}
	for _, b := range got {
		if b.Key == "supplier.inn" && b.Box != boxPage.Words[1].Box {
			t.Errorf("ИНН searched for, boxed at %v, not on its first print %v", b.Box, boxPage.Words[1].Box)
		}
	}
}

// TestKeptLocations: applying the clerk's form keeps the locations of the
// values it left alone and drops those of the values it changed — a row
// with any cell changed, every row below a deleted one.
func TestKeptLocations(t *testing.T) {
	two := boxResult()
	two.Items = append(two.Items, pervichka.Item{Name: "Картридж", Quantity: "2", Unit: "шт", Price: "5000.00", Amount: "10000.00"})
	two.Locations["items[1]"] = []pervichka.Location{at(boxPage, 28)}
	two.Locations["items[1].name"] = []pervichka.Location{at(boxPage, 28)}
	all := slices.Sorted(maps.Keys(two.Locations))
	without := func(drop ...string) []string {
		return slices.DeleteFunc(slices.Clone(all), func(k string) bool { return slices.Contains(drop, k) })
	}
	for _, tc := range []struct {
		name string
		edit func(v map[string]string) int // the rows the form has
		kept []string
	}{
		{"nothing changed", func(map[string]string) int { return 2 }, all},
		{"the ИНН", func(v map[string]string) int { v["supplier.inn"] = "7701234568"; return 2 }, without("supplier.inn")},
		{"the same value typed otherwise", func(v map[string]string) int { v["total"] = "4 500,00"; return 2 }, all},
		{"a cell of the first row", func(v map[string]string) int { v["items[0].quantity"] = "4"; return 2 },
			without("items[0]", "items[0].quantity")},
		{"the first row deleted", func(v map[string]string) int {
			for _, c := range itemColumns {
				v[itemKey(0, c.Key)] = v[itemKey(1, c.Key)]
				delete(v, itemKey(1, c.Key))
			}
			return 1
		}, without("items[0]", "items[0].name", "items[0].quantity", "items[0].amount", "items[1]", "items[1].name")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v := values(two)
			n := tc.edit(v)
			got := form{Values: v, Items: n, Version: 1}.apply(two)
			if k := slices.Sorted(maps.Keys(got.Locations)); !slices.Equal(k, tc.kept) {
				t.Errorf("kept %v, want %v", k, tc.kept)
			}
			if len(two.Locations) != len(all) {
				t.Error("apply changed the stored result's locations")
			}
		})
	}
}

var pagesData = regexp.MustCompile(`(?s)<script type="application/json" id="pages-data">(.*?)</script>`)

// pageBoxes reads the boxes the document page sends its viewer, by key.
func pageBoxes(t *testing.T, page string) map[string][]pervichka.Rect {
	t.Helper()
	m := pagesData.FindStringSubmatch(page)
	if m == nil {
		t.Fatal("no pages-data on the document page")
	}
	var pages []pageInfo
	if err := json.Unmarshal([]byte(m[1]), &pages); err != nil {
		t.Fatal(err)
	}
	out := map[string][]pervichka.Rect{}
	for _, p := range pages {
		for _, b := range p.Boxes {
			out[b.Key] = append(out[b.Key], b.Box)
		}
	}
	return out
}

// TestDocumentPageBoxes: the document page draws where 007-upd's values
// were read — the date on «27 мая 2026 г.» of the title, not on the
// «27.05.2026» a search finds first; the ИНН OCR misread on the word it was
// read from; a wrapped row over both its lines — and, once the clerk saves
// a total of their own, boxes that total where its figures are printed.
func TestDocumentPageBoxes(t *testing.T) {
	e := newEnv(t, dbtest.SQLiteURL(t))
	e.addUser("ivanova", db.UserClerk)
	id := e.seed(1, nil)
	res, words := goldenInvoice(t)
	c := e.client()
	c.login("ivanova", testPassword)
	_, page, _ := c.get("/review/" + itoa(id))
	boxes := pageBoxes(t, page)
	one := func(key string) pervichka.Rect {
		t.Helper()
		if len(boxes[key]) != 1 {
			t.Fatalf("%s boxed %d times: %v", key, len(boxes[key]), boxes[key])
		}
		return boxes[key][0]
	}
	for _, key := range []string{"date", "supplier.inn", "total", "vat_amount", "items[1].name", "contract_ref.date"} {
		var want []pervichka.Rect
		for _, l := range res.Locations[key] {
			want = append(want, l.Box)
		}
		if !slices.Equal(boxes[key], want) {
			t.Errorf("%s boxed at %v, read at %v", key, boxes[key], want)
		}
	}
	if date := one("date"); date.Y1 > words.Height/5 {
		t.Errorf("date boxed at %v, not in the title", date)
	}
	for _, b := range locate([]pervichka.Page{words}, res) {
		if b.Key == "date" && b.Box == one("date") {
			t.Errorf("the date is boxed where a search finds it first (%v): the test cannot tell", b.Box)
		}
	}
	if row, name := one("row:1"), boxes["items[1].name"]; len(name) != 2 || row != name[0].Union(name[1]).Union(row) || row.Dy() < name[0].Dy()+name[1].Dy() {
		t.Errorf("row 2 boxed at %v, its wrapped name at %v", row, name)
	}

	// The clerk saves the VAT's figure as the total: typed, so searched
	// for, and found where the VAT is printed.
	form := docForm(t, page)
	form.Set("f.total", "7 826,16")
	form.Set("csrf", csrfFrom(t, page))
	if status, body, _ := c.post("/review/"+itoa(id)+"/save", form); status != http.StatusSeeOther {
		t.Fatalf("save: %d %.300s", status, body)
	}
	_, page, _ = c.get("/review/" + itoa(id))
	boxes = pageBoxes(t, page)
	if total, vat := one("total"), one("vat_amount"); total != vat {
		t.Errorf("the typed total boxed at %v, its figures are printed at %v", total, vat)
	}
	if got, want := one("supplier.inn"), res.Locations["supplier.inn"][0].Box; got != want {
		t.Errorf("after the save, the ИНН is boxed at %v, read at %v", got, want)
	}
}

// TestBrowserBoxes: the viewer draws the extractor's boxes and lights
// those of the focused field — an item's name over both lines it wraps
// on, with its row; the date in words in the title; the total with the
// total in words.
func TestBrowserBoxes(t *testing.T) {
	e := newEnv(t, dbtest.SQLiteURL(t))
	e.addUser("ivanova", db.UserClerk)
	_, words := goldenInvoice(t)
	// 007-upd prints no total in words: its «Всего к оплате» label stands
	// in for one, to see it lit with the total.
	label := slices.IndexFunc(words.Words, func(w pervichka.Word) bool { return strings.HasPrefix(w.Text, "Всего") })
	if label < 0 {
		t.Fatal("no «Всего» on 007-upd")
	}
	id := e.seed(1, func(r *pervichka.Result) {
		r.Locations["total_words"] = []pervichka.Location{{Page: 0, Box: words.Words[label].Box, Words: []int{label}}}
	})
	ctx := browser(t)
	browserLogin(t, ctx, e.http.URL, "ivanova")
	within(t, ctx, "open the document",
		chromedp.Navigate(e.http.URL+"/review/"+itoa(id)),
		chromedp.WaitVisible(chromedp.CSS("#docform")),
	)
	active := func() string {
		return eval[string](t, ctx, `[...document.querySelectorAll('.fbox.active')].map(b => b.dataset.key).sort().join()`)
	}
	within(t, ctx, "focus row 2's name", chromedp.Focus(chromedp.CSS(`[name="f.items[1].name"]`)))
	if got := active(); got != "items[1].name,items[1].name,row:1" {
		t.Errorf("lit with row 2's name focused: %q", got)
	}
	// The row's box holds both lines of its name.
	if !eval[bool](t, ctx, `(() => {
		const row = document.querySelector('.fbox.active[data-key="row:1"]').getBoundingClientRect();
		return [...document.querySelectorAll('.fbox.active[data-key="items[1].name"]')].every(b => {
			const r = b.getBoundingClientRect();
			return r.top >= row.top - 1 && r.bottom <= row.bottom + 1 && r.left >= row.left - 1 && r.right <= row.right + 1;
		});
	})()`) {
		t.Error("a line of row 2's name lies outside the row's box")
	}
	within(t, ctx, "focus the date", chromedp.Focus(chromedp.CSS(`[name="f.date"]`)))
	if got := active(); got != "date" {
		t.Errorf("lit with the date focused: %q", got)
	}
	if !eval[bool](t, ctx, `(() => {
		const s = document.getElementById('sheet').getBoundingClientRect(), d = document.querySelector('.fbox.active').getBoundingClientRect();
		return d.bottom - s.top < s.height / 5;
	})()`) {
		t.Error("the date's box is not in the title")
	}
	within(t, ctx, "focus the total", chromedp.Focus(chromedp.CSS(`[name="f.total"]`)))
	if got := active(); got != "total,total_words" {
		t.Errorf("lit with the total focused: %q", got)
	}
}

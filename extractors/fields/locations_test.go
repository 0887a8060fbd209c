package fields

import (
	"context"
	"slices"
	"strings"
	"testing"

	pervichka "github.com/pervichka/pervichka"
)

// edited is invoice1C with lines replaced (line index → text; "" drops
// the line's words but keeps its place, so later lines stay where they
// were).
func edited(repl map[int]string) []string {
	out := slices.Clone(invoice1C)
	for i, s := range repl {
		out[i] = s
	}
	return out
}

// lineOfBox is the index of the pageOf line a box was laid out on.
func lineOfBox(b pervichka.Rect) int { return (b.Y1-charH)/lineH - 1 }

// TestLocations: each value is located on the words it was read from — one
// location per line, top to bottom, each box the union of its words (or a
// one-word value's share of its word) — wherever else the same text is
// printed and whatever repair changed the value.
func TestLocations(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name  string
		lines []string
		key   string
		value string   // the value extracted, to be sure what was located
		words []string // per location, its words as printed
		at    []int    // per location, the line of the page
	}{
		{
			// The ИНН is printed in the bank block (line 3) before the
			// «Поставщик» line it was read from: a search for the value
			// finds the bank block first.
			name: "ИНН printed twice", lines: invoice1C, key: "supplier.inn", value: "7701234560",
			words: []string{"7701234560,"}, at: []int{7},
		},
		{
			// The last digit misread (0 as 8): the checksum repair gives
			// the real ИНН, which is printed nowhere on the page.
			name: "ИНН repaired by its checksum",
			lines: edited(map[int]string{
				3: "@60 Сч. № @66 40702810200000012345",
				7: "Поставщик @12 ООО «Ромашка», ИНН 7701234568, КПП 770101001, г. Москва, ул. Ленина, д. 1",
			}),
			key: "supplier.inn", value: "7701234560", words: []string{"7701234568,"}, at: []int{7},
		},
		{
			// «14 500,00» is printed three times: «Итого», «Всего к
			// оплате» and «на сумму»; the total is where it was read.
			name: "total printed three times", lines: invoice1C, key: "total", value: "14500.00",
			words: []string{"14 500,00"}, at: []int{18},
		},
		{
			name: "date in words", lines: invoice1C, key: "date", value: "2024-03-20",
			words: []string{"20 марта 2024 г."}, at: []int{6},
		},
		{
			// OCR split the month: the two halves joined are one token
			// of two words.
			name:  "date of joined words",
			lines: edited(map[int]string{6: "^Счет ^на ^оплату ^№ ^А-17 ^от ^20 ^мар ^та ^2024 ^г."}),
			key:   "date", value: "2024-03-20", words: []string{"20 мар та 2024 г."}, at: []int{6},
		},
		{
			name: "contract date", lines: invoice1C, key: "contract_ref.date", value: "2024-02-01",
			words: []string{"01.02.2024"}, at: []int{11},
		},
		{
			// The line above («на сумму 14 500,00 руб.») is read with it
			// and left out of the box.
			name: "amount in words", lines: invoice1C, key: "total_words",
			words: []string{"Четырнадцать тысяч пятьсот рублей 00 копеек"}, at: []int{20},
		},
		{
			// (Without «Всего наименований 2, на сумму 14 500,00 руб.»
			// above: read with that line, «…руб. Сумма прописью:
			// Четырнадцать тысяч» parses as 14 000,00 — the
			// extractor's reading, not this test's subject.)
			name: "amount in words over two lines, after a label",
			lines: append(slices.Clone(invoice1C[:19]), "",
				"Сумма прописью: Четырнадцать тысяч", "пятьсот рублей 50 копеек", "Руководитель ______ Иванов"),
			key:   "total_words",
			words: []string{"Четырнадцать тысяч", "пятьсот рублей 50 копеек"}, at: []int{20, 21},
		},
		{
			// The row: its number, name, figures and the wrapped end of
			// its name.
			name: "item row", lines: invoice1C, key: "items[0]",
			words: []string{"1 Бумага офисная SvetoCopy A4, 80 г/м2, 10 упак 450,00 4 500,00", "500 л."}, at: []int{13, 14},
		},
		{
			// «2» is printed again in «Всего наименований 2».
			name: "item quantity", lines: invoice1C, key: "items[1].quantity", value: "2",
			words: []string{"2"}, at: []int{15},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			page := pageOf(tc.lines...)
			res := Extract(context.Background(), []pervichka.Page{page}, Config{Now: testNow}, nil)
			if tc.value != "" && values(res)[tc.key] != tc.value {
				t.Fatalf("%s = %q, want %q (reasons %v)", tc.key, values(res)[tc.key], tc.value, res.ReviewReasons)
			}
			locs := res.Locations[tc.key]
			var words []string
			var at []int
			for _, l := range locs {
				var ws []string
				var union pervichka.Rect
				for _, i := range l.Words {
					ws = append(ws, page.Words[i].Text)
					union = union.Union(page.Words[i].Box)
				}
				words = append(words, strings.Join(ws, " "))
				at = append(at, lineOfBox(l.Box))
				if l.Page != 0 || l.Box.Union(union) != union || (len(l.Words) > 1 && l.Box != union) {
					t.Errorf("location %+v: box not its words' %v", l, union)
				}
			}
			if !slices.Equal(words, tc.words) || !slices.Equal(at, tc.at) {
				t.Errorf("%s located on %q at lines %v, want %q at %v", tc.key, words, at, tc.words, tc.at)
			}
		})
	}
}

// values gives the result's values by the paths of Locations, for the
// fields TestLocations reads.
func values(r pervichka.Result) map[string]string {
	v := map[string]string{"supplier.inn": string(r.Supplier.INN), "total": string(r.Total), "date": string(r.Date)}
	if r.ContractRef != nil {
		v["contract_ref.date"] = string(r.ContractRef.Date)
	}
	if len(r.Items) > 1 {
		v["items[1].quantity"] = string(r.Items[1].Quantity)
	}
	return v
}

// TestLocationShare: an ИНН and КПП printed as one word are each boxed by
// their share of it, side by side, both naming the word.
func TestLocationShare(t *testing.T) {
	t.Parallel()
	page := pageOf(edited(map[int]string{7: "Поставщик @12 ООО «Ромашка», ИНН/КПП 7701234560/770101001, г. Москва, ул. Ленина, д. 1"})...)
	res := Extract(context.Background(), []pervichka.Page{page}, Config{Now: testNow}, nil)
	if res.Supplier.INN != "7701234560" || res.Supplier.KPP != "770101001" {
		t.Fatalf("supplier %+v", res.Supplier)
	}
	inn, kpp := res.Locations["supplier.inn"], res.Locations["supplier.kpp"]
	if len(inn) != 1 || len(kpp) != 1 || !slices.Equal(inn[0].Words, kpp[0].Words) || len(inn[0].Words) != 1 {
		t.Fatalf("ИНН at %+v, КПП at %+v: not one word", inn, kpp)
	}
	w := page.Words[inn[0].Words[0]]
	// «7701234560/770101001,» is 21 characters: the ИНН the first 10, the
	// КПП the 9 after the slash.
	n := len(w.Text)
	wantINN := pervichka.Rect{X0: w.Box.X0, Y0: w.Box.Y0, X1: w.Box.X0 + w.Box.Dx()*10/n, Y1: w.Box.Y1}
	wantKPP := pervichka.Rect{X0: w.Box.X0 + w.Box.Dx()*11/n, Y0: w.Box.Y0, X1: w.Box.X0 + w.Box.Dx()*20/n, Y1: w.Box.Y1}
	if inn[0].Box != wantINN || kpp[0].Box != wantKPP {
		t.Errorf("word %q at %v: ИНН at %v (want %v), КПП at %v (want %v)", w.Text, w.Box, inn[0].Box, wantINN, kpp[0].Box, wantKPP)
	}
}

// TestLocationsOnlyWhatWasRead: a total nothing printed in figures — the
// rows' sum confirmed by the words — is located on its words; an item's
// VAT computed from the document's rate (no VAT column) has no location,
// nor does the rate's sum.
func TestLocationsOnlyWhatWasRead(t *testing.T) {
	t.Parallel()
	lines := edited(map[int]string{16: "", 17: "@60 В том числе НДС 20%", 18: "", 19: ""})
	page := pageOf(lines...)
	res := Extract(context.Background(), []pervichka.Page{page}, Config{Now: testNow}, nil)
	if res.Total != "14500.00" || len(res.Items) != 2 || res.Items[0].VATAmount == "" {
		t.Fatalf("total %q, items %+v", res.Total, res.Items)
	}
	if got, want := res.Locations["total"], res.Locations["total_words"]; len(want) == 0 || !slices.EqualFunc(got, want, func(a, b pervichka.Location) bool {
		return a.Box == b.Box && slices.Equal(a.Words, b.Words)
	}) {
		t.Errorf("total from its words located at %+v, the words at %+v", got, want)
	}
	for _, k := range []string{"items[0].vat_amount", "items[1].vat_amount", "vat_rate"} {
		if l, ok := res.Locations[k]; ok {
			t.Errorf("%s computed, yet located at %+v", k, l)
		}
	}
}

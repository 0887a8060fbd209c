package fields

import (
	"context"
	"strings"
	"testing"

	pervichka "github.com/pervichka/pervichka"
)

// A счёт-фактура's row of column marks garbled into other marks that still
// rise («3 10 2 24 5) 4 5 6 ? e D) 10 208 13 12 12а 13»: the real OCR words
// of seed 10021's realistic photo 007, page 1. Mapped by those marks, the
// quantity's column lay over the names and every row of the page was lost
// («16», «158АНВ», «ГБ»); its heading's words map the columns where the
// rows' figures multiply out.
func TestGarbledMarksGiveWayToHeading(t *testing.T) {
	t.Parallel()
	page := ocrPage(t, "vat-photo-marks-garbled.words.json")
	res := Extract(context.Background(), []pervichka.Page{page}, cfg(), nil)
	want := []struct{ name, qty, amount string }{
		{"Монитор", "", "81948.00"}, // its «6» read «5»
		{"Коммутатор", "", ""},
		{"", "4", "234572.00"},
		{"Мышь", "3", "3768.00"},
		{"Накопитель", "5", "22505.00"},
		{"МФУ", "2", "42071.38"},
		{"Источник", "5", "47590.00"},
	}
	if len(res.Items) < len(want) {
		t.Fatalf("%d items, want at least %d: %+v", len(res.Items), len(want), res.Items)
	}
	for i, w := range want {
		it := res.Items[i]
		if w.name != "" && !strings.HasPrefix(string(it.Name), w.name) {
			t.Errorf("item %d: name %q, want it to start with %q", i+1, it.Name, w.name)
		}
		if w.qty != "" && string(it.Quantity) != w.qty {
			t.Errorf("item %d: quantity %q, want %q", i+1, it.Quantity, w.qty)
		}
		if w.amount != "" && string(it.Amount) != w.amount {
			t.Errorf("item %d: amount %q, want %q", i+1, it.Amount, w.amount)
		}
	}
	// «795 шт»: one heading column over the unit's code and the unit, the
	// code misread; the unit is the word.
	if res.Items[0].Unit != "шт" {
		t.Errorf("item 1: unit %q, want «шт»", res.Items[0].Unit)
	}
}

// The heading's words do not replace the marks when most rows they cut
// do not add up either: seed 10031's realistic счёт-фактура 006 (real OCR
// words of its page 1, whose rows rise to the right so that the right
// columns' figures sit half a row above their names) lost its amount's
// mark, and its heading's words cut 16 rows of 12, names apart from
// their figures, 5 of them adding up.
func TestHeadingKeepsMarksOnSlantedRows(t *testing.T) {
	t.Parallel()
	page := ocrPage(t, "vat-photo-slanted-rows.words.json")
	res := Extract(context.Background(), []pervichka.Page{page}, cfg(), nil)
	if len(res.Items) != 12 {
		t.Fatalf("%d items, want the 12 rows printed: %+v", len(res.Items), res.Items)
	}
	for i, it := range res.Items {
		if it.Name == "" {
			t.Errorf("item %d has no name: %+v", i+1, it)
		}
	}
}

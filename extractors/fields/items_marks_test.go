package fields

import (
	"context"
	"slices"
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

// A speck read as a heading cell right of «Сумма» («~»; the real OCR words
// of seed 10031's realistic act 003) heads no column: as one it took the
// amounts printed under the heading's right half, and the rows whose
// number OCR lost, read without an amount, were joined into the row above
// (4 rows of 6).
func TestSpeckHeadsNoColumn(t *testing.T) {
	t.Parallel()
	page := ocrPage(t, "act-photo-speck-heading.words.json")
	res := Extract(context.Background(), []pervichka.Page{page}, cfg(), nil)
	if len(res.Items) != 6 {
		t.Fatalf("%d items, want the 6 printed: %+v", len(res.Items), res.Items)
	}
	for i, want := range []string{"41394.36", "147169.55", "30498.00", "19336.00", "38658.69"} {
		if string(res.Items[i].Amount) != want {
			t.Errorf("item %d: amount %q, want %q", i+1, res.Items[i].Amount, want)
		}
	}
}

// The first row under the heading whose name and number OCR lost keeps
// its figures as a row of its own (seed 8911's realistic УПД 002: «gm 26
// 797,00 20722,00 …», the «gm» under the unit's code), so that the rows
// after it keep their places.
func TestFirstRowWithoutName(t *testing.T) {
	t.Parallel()
	cols := []column{
		{kind: colNo, lo: -1 << 20, hi: 3 * charW},
		{kind: colName, lo: 3 * charW, hi: 38 * charW},
		{kind: colUnitCode, lo: 38 * charW, hi: 50 * charW},
		{kind: colQty, lo: 50 * charW, hi: 58 * charW},
		{kind: colUnit, lo: 58 * charW, hi: 64 * charW},
		{kind: colPrice, lo: 64 * charW, hi: 74 * charW},
		{kind: colAmount, lo: 74 * charW, hi: 1 << 20},
	}
	lines := []string{
		"@40 gm @52 26 @58 упак @64 797,00 @74 20 722,00",
		"2 @4 Гипсокартон ГКЛ 12,5 мм @40 796 @52 60 @58 шт @64 612,00 @74 36 720,00",
		"3 @4 Краска водно-дисперсионная @40 796 @52 7 @58 шт @64 2 518,57 @74 17 629,99",
	}
	ls := buildLines([]pervichka.Page{pageScaled(1, 0.95, lines...)})
	rows, _ := readRows(ls, 0, cols, pervichka.DocUPD)
	var got []string
	for _, r := range rows {
		got = append(got, string(r.item.Quantity)+"×"+string(r.item.Price)+"="+string(r.item.Amount))
	}
	want := []string{"26×797.00=20722.00", "60×612.00=36720.00", "7×2518.57=17629.99"}
	if !slices.Equal(got, want) {
		t.Errorf("rows %v, want %v", got, want)
	}
}

package fields

import (
	"testing"

	pervichka "github.com/pervichka/pervichka"
)

func TestItemUnitAndYear(t *testing.T) {
	units := []struct{ printed, code, want string }{
		{"шт", "796", "шт"},
		{"Шт.", "", "Шт."},
		{"ит", "", "шт"},      // one letter off, unambiguous
		{"ar", "796", "шт"},   // unreadable unit, readable ОКЕИ code
		{"ar", "", "ar"},      // nothing to go on: as printed
		{"", "796", "шт"},     // the code alone
		{"", "мес.", "мес."},  // a unit printed in the code's column
		{"мес", "362", "мес"}, // known spelling kept as printed
		{"", "", ""},
	}
	for _, u := range units {
		if got := itemUnit(u.printed, u.code); got != u.want {
			t.Errorf("itemUnit(%q, %q) = %q, want %q", u.printed, u.code, got, u.want)
		}
	}
	names := []struct{ in, want string }{
		{"Услуги за август 2026г", "Услуги за август 2026 г."},
		{"Услуги за август 2026 г", "Услуги за август 2026 г."},
		{"Услуги за август 2026 г.", "Услуги за август 2026 г."},
		{"Гвозди 2026 гр", "Гвозди 2026 гр"},
		{"Модель 12026г", "Модель 12026г"},
		{"Аренда (май 2026г), склад", "Аренда (май 2026 г.), склад"},
	}
	for _, n := range names {
		if got := yearSuffix.ReplaceAllString(n.in, "$1 г.$2"); got != n.want {
			t.Errorf("year in %q → %q, want %q", n.in, got, n.want)
		}
	}
}

// TestArithTableKeepsLines: a wrapped name appended to a row read by
// arithmetic must not write over the row's own line, whose tokens the
// row's name shares.
func TestArithTableKeepsLines(t *testing.T) {
	t.Parallel()
	lines := buildLines([]pervichka.Page{pageOf(
		"1 @4 Бумага офисная @30 10 @34 упак @40 450,00 @50 4 500,00",
		"@4 белая",
		"@40 Итого: @50 4 500,00",
	)})
	before := lines[0].text()
	tab := arithTable(lines, 0, pervichka.DocInvoice)
	if len(tab.rows) != 1 || tab.rows[0].item.Name != "Бумага офисная белая" {
		t.Fatalf("rows %+v", tab.rows)
	}
	if after := lines[0].text(); after != before {
		t.Errorf("the row's line was %q, is %q", before, after)
	}
}

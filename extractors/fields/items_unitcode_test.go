package fields

import (
	"context"
	"testing"

	pervichka "github.com/pervichka/pervichka"
)

// A ТОРГ-12 row whose unit and ОКЕИ code columns were read into the name
// («… 6 плит упак 778», seed 8921's scan) gives them back: the code must
// be the unit's own and the unit set apart from the name by a column gap.
func TestTrailingUnitThenCode(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		line, name, unit string
	}{
		{"Утеплитель минераловатный 50 мм, 6 плит @48 упак @56 778", "Утеплитель минераловатный 50 мм, 6 плит", "упак"},
		{"Профиль направляющий ПН 50x40, 3 м @40 шт @46 796", "Профиль направляющий ПН 50x40, 3 м", "шт"},
		{"Арматура А500С д. 12 мм @40 Kr @46 166", "Арматура А500С д. 12 мм", "Kr"},                                          // «кг» in Latin look-alikes
		{"Утеплитель минераловатный 50 мм, 6 плит @48 упак @56 796", "Утеплитель минераловатный 50 мм, 6 плит упак 796", ""}, // not the unit's code
		{"Кабель медный 3 м 006", "Кабель медный 3 м 006", ""},                                                               // no column gap: part of the name
		{"Краска водно-дисперсионная белая, 10 л @48 wt @56 796", "Краска водно-дисперсионная белая, 10 л", "wt"},            // one letter from «шт», the code's unit (9901's realistic ТОРГ-12 009)
		{"Профиль направляющий ПН 50x40, 3 м @48 ил @56 796", "Профиль направляющий ПН 50x40, 3 м", "ил 796"},                // garbled past knowing: the code names it
		{"Краска водно-дисперсионная белая, 10 л @48 ПНД @56 796", "Краска водно-дисперсионная белая, 10 л ПНД 796", ""},     // an abbreviation is no unit
		// Another short unit, or a mark, before a known code (seed 9991's
		// realistic ТОРГ-12 004: «… SOR 11 ч 006», «… 12 мм = 166»).
		{"Труба ПНД 32 мм SOR 11 @48 ч @56 006", "Труба ПНД 32 мм SOR 11", "ч 006"},
		{"Арматура А500С д. 12 мм @48 = @56 166", "Арматура А500С д. 12 мм", "= 166"},
		{"Арматура А500С д. 12 мм @48 = @56 165", "Арматура А500С д. 12 мм = 165", ""}, // no known code
	} {
		lines := buildLines([]pervichka.Page{pageOf(tc.line)})
		l := lines[0]
		name, u := trailingUnit(l.toks, l.unit)
		if got := joinTokens(name); got != tc.name || joinTokens(u) != tc.unit {
			t.Errorf("%q: name %q unit %q; want %q %q", tc.line, got, joinTokens(u), tc.name, tc.unit)
		}
	}
}

// Rows read without a heading (rows.go) whose unit OCR garbled past
// knowing get it from the ОКЕИ code after it (9901's realistic ТОРГ-12
// 009: «… 10 л ил 796» was delivered as the unit «ил 796»).
func TestHeadlessRowUnitByCode(t *testing.T) {
	t.Parallel()
	page := pageOf(
		"Товарная накладная № 17 от 20 марта 2024 г.",
		"1 Краска водно-дисперсионная белая, 10 л @48 ил @56 796 @62 6 @68 2 680,36 @80 16 082,16",
		"2 Профиль направляющий ПН 50x40, 3 м @48 wt @56 796 @62 9 @68 300,91 @80 2 708,19",
		"@40 Итого @80 18 790,35",
	)
	res := Extract(context.Background(), []pervichka.Page{page}, cfg(), nil)
	if len(res.Items) != 2 {
		t.Fatalf("%d items", len(res.Items))
	}
	for i, want := range []pervichka.Item{
		{Name: "Краска водно-дисперсионная белая, 10 л", Unit: "шт", UnitCode: "796"},
		{Name: "Профиль направляющий ПН 50x40, 3 м", Unit: "шт"},
	} {
		if it := res.Items[i]; it.Name != want.Name || it.Unit != want.Unit || it.UnitCode != want.UnitCode {
			t.Errorf("row %d: %q %q %q, want %q %q %q", i+1, it.Name, it.Unit, it.UnitCode, want.Name, want.Unit, want.UnitCode)
		}
	}
}

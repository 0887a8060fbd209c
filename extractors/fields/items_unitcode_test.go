package fields

import (
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
	} {
		lines := buildLines([]pervichka.Page{pageOf(tc.line)})
		l := lines[0]
		name, u := trailingUnit(l.toks, l.unit)
		if got := joinTokens(name); got != tc.name || joinTokens(u) != tc.unit {
			t.Errorf("%q: name %q unit %q; want %q %q", tc.line, got, joinTokens(u), tc.name, tc.unit)
		}
	}
}

package fields

import "testing"

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

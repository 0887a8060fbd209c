package fields

import (
	"testing"

	pervichka "github.com/pervichka/pervichka"
)

// A contract reference is read from «Основание: Договор № … от …»; a form's
// blank «№___________» is no number (real-dev's bill 171672 gave the
// underscores as the contract's number, sure).
func TestContractRefBlank(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		line, number, date string
	}{
		{"Основание: Договор № 12/3 от 01.02.2025", "12/3", "2025-02-01"},
		{"Договор №___________ от ___________", "", ""},
		{"Договор № --- от ---", "", ""},
	} {
		lines := []string{
			"^Счет ^на ^оплату ^№ ^315 от 15 сентября 2025 г.",
			"Поставщик: ООО «Ромашка», ИНН 7810109760, КПП 781001001",
			tc.line,
		}
		res := Extract(t.Context(), []pervichka.Page{pageScaled(1, 1, lines...)}, Config{}, nil)
		var num, date pervichka.Text
		if res.ContractRef != nil {
			num, date = res.ContractRef.Number, res.ContractRef.Date
		}
		if string(num) != tc.number || string(date) != tc.date {
			t.Errorf("%q: contract %q of %q, want %q of %q", tc.line, num, date, tc.number, tc.date)
		}
	}
}

package fields

import "testing"

func TestCleanNumber(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in, want string
		ok       bool
	}{
		{"214500,00", "214500,00", true},
		{"=1000-00", "1000,00", true},
		{"__310.000,00-", "310000,00", true}, // a figure on an underline, groups read as dots
		{"—310.000,00-", "310000,00", true},  // struck through: the stroke's ends read as dashes
		{"1860-000,00—", "1860000,00", true},
		{"1.234.567,89", "1234567,89", true},
		{"12.05.2024", "", false}, // a date is not an amount
		{"310.00,00", "", false},  // a group of two digits: not a grouping
		{"____", "", false},
		// The comma read as a colon or semicolon (unseen seed 9421's
		// scanned act 032); a time stays no amount.
		{"73159:27", "73159,27", true},
		{"73159;:27", "73159,27", true},
		{"10:30", "", false},
		// «руб.» glued to the kopecks in Latin look-alikes (unseen seed
		// 9501's bill 003); a word that only ends in «р.» is no amount.
		{"672,34,/py6.,", "672,34", true},
		{"500,00руб.,", "500,00", true},
		{"12,50p.", "12,50", true},
		{"1234py6.", "", false},
	} {
		got, _, ok := cleanNumber(tc.in)
		if ok != tc.ok || ok && got != tc.want {
			t.Errorf("cleanNumber(%q) = %q, %v; want %q, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

package ruvalid

import (
	"testing"

	pervichka "github.com/pervichka/pervichka"
)

func TestRowAddsUp(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name               string
		qm                 int64
		price, amount, vat pervichka.Kopecks
		hasVAT             bool
		rate               int
		want               bool
	}{
		{"quantity × price", 63000, 2082, 131166, 0, false, 0, true},
		{"a digit misread in the amount", 63000, 2082, 151166, 0, false, 0, false},
		{"price rounded to the kopeck", 3000, 3333, 10000, 0, false, 0, true},
		{"the row's VAT on top", 40000, 50000, 2400000, 400000, true, 0, true},
		{"the amount printed without the VAT", 40000, 60000, 2000000, 400000, true, 0, true},
		{"the rate on top", 40000, 50000, 2400000, 0, false, 20, true},
		{"the rate does not explain it", 40000, 50000, 2500000, 0, false, 20, false},
		{"fractional quantity", 146335, 9280, 1357989, 0, false, 0, true},
	} {
		if got := RowAddsUp(tc.qm, tc.price, tc.amount, tc.vat, tc.hasVAT, tc.rate); got != tc.want {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
		}
	}
}

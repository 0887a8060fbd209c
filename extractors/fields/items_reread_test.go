package fields

import (
	"context"
	"slices"
	"testing"

	pervichka "github.com/pervichka/pervichka"
)

// A row's amount garbled in the page's reading («10 Saas» for «10 000,00»,
// the cell's figures against its right rule on seed 10021's realistic
// счёт-оферта 002) is read again on its own; the figure read so is taken
// when quantity × price gives it, and not otherwise.
func TestRowAmountReadAgain(t *testing.T) {
	t.Parallel()
	garble := func(cell string) []string {
		lines := slices.Clone(invoice1C)
		i := slices.Index(lines, "2 @4 Картридж лазерный HP 85A @52 2 @58 шт @64 5 000,00 @74 10 000,00")
		lines[i] = "2 @4 Картридж лазерный HP 85A @52 2 @58 шт @64 5 000,00 @74 " + cell
		// No totals read either, which the rows' arithmetic would
		// otherwise complete the row from.
		return lines[:i+1]
	}
	for _, tc := range []struct {
		name, read, second string
		want               pervichka.Text
	}{
		{"garbled, read again right", "10 Saas", "10 000,00", "10000.00"},
		{"kopecks lost, read again right", "10 000,", "10 000,00", "10000.00"},
		// The second reading misread too: quantity × price does not
		// give it, and the row keeps what the page read.
		{"read again wrong", "10 Saas", "10 080,00", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			second := pageScaled(1, 0.95, garble(tc.second)...)
			res := Extract(context.Background(), []pervichka.Page{pageScaled(1, 0.95, garble(tc.read)...)}, cfg(), pageRereader{pages: []pervichka.Page{second}, conf: 0.9})
			if len(res.Items) != 2 {
				t.Fatalf("items %+v", res.Items)
			}
			got := res.Items[1].Amount
			if tc.want != "" && got != tc.want {
				t.Errorf("amount %q, want %q", got, tc.want)
			}
			if tc.want == "" && got == "10080.00" {
				t.Errorf("amount %q taken from a second reading that does not add up", got)
			}
		})
	}
}

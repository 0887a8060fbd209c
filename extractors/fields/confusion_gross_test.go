package fields

import (
	"testing"

	pervichka "github.com/pervichka/pervichka"
)

// A row whose amount includes its VAT adds up as read when quantity ×
// price is the amount less the VAT: no digit is «repaired» (unseen seed
// 8961's ТОРГ-12: 1 × 16 920,83 against the gross 20 305,00 became a
// quantity of 1.2). Without a VAT to tell, the same figures are still
// one confusable digit from adding up, and the repair stands.
func TestRepairKeepsGrossRow(t *testing.T) {
	t.Parallel()
	row := func(withVAT bool) itemRow {
		r := itemRow{hasAmt: true, amount: 2030500, rate: 20}
		r.item = pervichka.Item{Quantity: "1", Price: "16920.83", Amount: "20305.00"}
		if withVAT {
			r.vat, r.hasVAT = 338417, true
			r.item.VATAmount = "3384.17"
		}
		return r
	}
	r := row(true)
	repairConfusedDigits(&r, true)
	if r.item.Quantity != "1" || r.repaired {
		t.Errorf("gross row changed: quantity %q, repaired %v", r.item.Quantity, r.repaired)
	}
	r = row(false)
	repairConfusedDigits(&r, true)
	if !r.repaired {
		t.Errorf("row without VAT not repaired: quantity %q", r.item.Quantity)
	}
}

// An amount with tax one confusable digit off net + VAT, whose VAT is the
// rate's of the net, is put back (seed 1's scanned УПД 007: «2 850,30»
// for 2 830,30 beside a net of 2 358,58 and VAT 471,72 at 20 %). When
// the VAT does not bear the net out, or the amount is off by more than one
// confusable digit, it stays as read for the sum check to hold.
func TestRepairGrossDigit(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name        string
		amount, vat pervichka.Kopecks
		want        pervichka.Kopecks
		repaired    bool
	}{
		{"3 read as 5", 285030, 47172, 283030, true},
		{"as printed", 283030, 47172, 283030, false},
		{"VAT not the rate's of the net", 285030, 47772, 285030, false},
		{"two digits off", 295030, 47172, 295030, false},
	} {
		// 31,712 × 74,38 is the net 2 358,58 within the rounded price's
		// half kopeck a unit.
		r := itemRow{hasAmt: true, amount: tc.amount, hasVAT: true, vat: tc.vat, rate: 20}
		r.item = pervichka.Item{Quantity: "31.712", Price: "74.38", Amount: tc.amount.Text(), VATAmount: tc.vat.Text()}
		repairGrossDigit(&r, 235858)
		if r.amount != tc.want || r.item.Amount != tc.want.Text() || r.repaired != tc.repaired {
			t.Errorf("%s: amount %v (%q), repaired %v; want %v, %v", tc.name, r.amount, r.item.Amount, r.repaired, tc.want, tc.repaired)
		}
	}
}

// When quantity × price does not give the net either, two figures
// disagree and the amount is not mended alone.
func TestRepairGrossDigitNeedsPrice(t *testing.T) {
	t.Parallel()
	r := itemRow{hasAmt: true, amount: 285030, hasVAT: true, vat: 47172, rate: 20}
	r.item = pervichka.Item{Quantity: "31.712", Price: "94.38", Amount: "2850.30", VATAmount: "471.72"}
	repairGrossDigit(&r, 235858)
	if r.repaired || r.amount != 285030 {
		t.Errorf("amount %v repaired %v, want left as read", r.amount, r.repaired)
	}
}

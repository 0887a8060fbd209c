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

package fields

import (
	"slices"
	"strconv"
	"strings"

	pervichka "github.com/pervichka/pervichka"
	"github.com/pervichka/pervichka/extractors/ruvalid"
)

// The VAT: the rate from the rates printed, the amount among the labelled
// candidates (totals.go), both checked by the arithmetic of the rows or the
// total.

// pickVAT decides the rate and the VAT amount and checks them against the
// rate arithmetic (per line, rounded, summed; a kopeck per line of slack).
func (x *extraction) pickVAT() {
	rates := map[int]int{}
	for _, r := range x.totals.rates {
		rates[r]++
	}
	for r := range x.table.rates {
		rates[r] += tableRateVotes
	}
	if c, ok := x.rowsWithoutVAT(); ok {
		// The rows are readings of their own: a «без НДС|» read unsure in
		// the totals line is confirmed by them.
		x.totals.noVAT, x.totals.noVATAt = true, max(x.totals.noVATAt, c)
	}
	noVAT := x.totals.noVAT
	if noVAT && len(x.totals.vats) == 0 && !x.ratePrinted() {
		x.vatRate = pervichka.VATNone
		x.rateOK = x.totals.noVATAt
		if len(x.totals.totals) == 0 && x.totals.words == nil {
			x.rateOK = min(x.rateOK, noVATUnreadCap)
		}
		x.conf["vat_amount"] = x.rateOK
		return
	}
	if len(x.table.rates) > 1 {
		x.vatRate = pervichka.VATMixed
		x.rateOK = mixedRateConf
	} else {
		best, n := 0, 0
		for r, c := range rates {
			if validRate(r) && (c > n || c == n && r > best) {
				best, n = r, c
			}
		}
		if best > 0 {
			x.vatRate = strconv.Itoa(best)
			x.rateOK = singleRateConf
			if len(rates) > 1 || noVAT {
				// Another rate, or «без НДС» in the totals or the rows:
				// a rate read on one row of seed 9991's realistic ТОРГ-12
				// 008 («wt 7%», the unit's code misread) stood against
				// «без НДС» in every other row and was shown as sure.
				x.rateOK = disputedRateConf
			}
		}
	}
	lines := max(1, len(x.table.rows))
	var rowSum pervichka.Kopecks
	for _, r := range x.table.rows {
		rowSum += r.amount
	}
	expected := func(rate int) (pervichka.Kopecks, bool) {
		// Per line when the rows add up to the total; else (rows lost by
		// OCR) from the total, within the same slack.
		if len(x.table.rows) > 0 && (x.total.empty() || rowSum == x.totalK) {
			var s pervichka.Kopecks
			for _, r := range x.table.rows {
				if !r.hasAmt {
					goto whole
				}
				s += ruvalid.VATFromGross(r.amount, rate)
			}
			return s, true
		}
	whole:
		if x.total.empty() {
			return 0, false
		}
		return ruvalid.VATFromGross(x.totalK, rate), true
	}
	near := func(a, b pervichka.Kopecks) bool {
		d := a - b
		if d < 0 {
			d = -d
		}
		return d <= pervichka.Kopecks(lines)
	}
	// The candidate that fits the arithmetic wins; otherwise the best label.
	var chosen *moneyCand
	for i := range x.totals.vats {
		c := &x.totals.vats[i]
		if r, err := strconv.Atoi(x.vatRate); err == nil {
			if e, ok := expected(r); ok && near(e, c.k) {
				chosen = c
				break
			}
		}
	}
	if chosen == nil && x.vatRate == "" && len(x.totals.vats) > 1 {
		// No rate read, and the readings disagree: the one a legal rate
		// gives from the total. Seed 9601's scanned счёт-оферта 004
		// read its VAT line «… НДС ¥ 0,29 руб.» (a stamp over «69 810»)
		// and its rate «(208 OAs», while the payment purpose printed
		// «в том числе НДС 69810,29 руб.»: the label's weight chose the
		// garbled line, and the document was held on a VAT mismatch.
	found:
		for i := range x.totals.vats {
			for _, r := range arithmeticRates {
				if e, ok := expected(r); ok && near(e, x.totals.vats[i].k) {
					chosen = &x.totals.vats[i]
					break found
				}
			}
		}
	}
	arith := chosen != nil
	repaired := false
	if r, err := strconv.Atoi(x.vatRate); err == nil && chosen == nil {
		// A figure one digit off the VAT the rate gives («3140.000,00»
		// for 310 000,00 under a stroke, real-dev's corrected bill
		// 18-12-37): that VAT, for a clerk to confirm.
		if e, ok := expected(r); ok && e > 0 {
			for i := range x.totals.vats {
				if oneDigitOff(x.totals.vats[i].k, e) {
					c := x.totals.vats[i]
					c.k, c.lookalike = e, true
					chosen, repaired = &c, true
					break
				}
			}
		}
	}
	if chosen == nil && len(x.totals.vats) > 0 {
		chosen = &x.totals.vats[0]
		for i := range x.totals.vats {
			if x.totals.vats[i].weight > chosen.weight {
				chosen = &x.totals.vats[i]
			}
		}
	}
	if chosen == nil {
		// Only the items table may carry the VAT.
		var s pervichka.Kopecks
		ok := len(x.table.rows) > 0
		for _, r := range x.table.rows {
			if !r.hasVAT {
				ok = false
				break
			}
			s += r.vat
		}
		if !ok {
			x.vatFromRate()
			return
		}
		// Only the rows carry it: a row OCR dropped would go unnoticed.
		x.vatK = s
		x.vat = value{text: s.String(), conf: onlyRowsFactor * x.table.conf}
	} else {
		x.vatK = chosen.k
		x.vat = value{text: chosen.k.String(), conf: chosen.conf(), toks: chosen.toks}
	}
	if x.vatRate == "" || x.vatRate == pervichka.VATMixed {
		// No rate printed: the one whose arithmetic fits.
		for _, r := range arithmeticRates {
			if e, ok := expected(r); ok && near(e, x.vatK) && x.vatRate == "" {
				x.vatRate = strconv.Itoa(r)
				x.rateOK = inferredRateConf
				arith = true
			}
		}
	}
	if r, err := strconv.Atoi(x.vatRate); err == nil {
		if e, ok := expected(r); ok {
			if near(e, x.vatK) {
				arith = true
			} else {
				// Either reading may be the misread one.
				x.reason(pervichka.ReasonVATMismatch, "")
				x.vat.conf *= vatMismatchFactor
				x.total.conf *= totalOnVATMismatchFactor
				arith = false
			}
		}
	}
	// Σ of the VAT column, when printed, is another reading.
	var colSum pervichka.Kopecks
	colOK := len(x.table.rows) > 0 && (x.total.empty() || rowSum == x.totalK)
	for _, r := range x.table.rows {
		if !r.hasVAT {
			colOK = false
			break
		}
		colSum += r.vat
	}
	if colOK && colSum != x.vatK {
		x.reason(pervichka.ReasonVATMismatch, "")
		x.vat.conf *= vatMismatchFactor
		arith = false
	}
	if repaired {
		// The arithmetic made the figure; it cannot also vouch for it.
		arith = false
		x.vat.conf = min(x.vat.conf, disagreedCap)
		x.reason(pervichka.ReasonRepaired, "vat_amount")
	}
	if arith {
		// The arithmetic vouches for the VAT only as far as the total
		// it was checked against is itself sure.
		x.vat.conf = max(x.vat.conf, min(vatArithmeticCap, x.total.conf))
		x.rateOK = max(x.rateOK, min(vatArithmeticCap, x.total.conf))
	}
}

// vatFromRate proposes the VAT of a document whose VAT line named its rate
// but whose figure OCR lost («В том числе НДС (22%): ре», seed 9301's
// realistic acts 002 and 008), or whose rows all print one rate while no
// VAT figure was read (its realistic УПД 012, the VAT column blank in the
// photo): the total's share at that rate, for a clerk
// to confirm. It is the arithmetic's figure, not a reading, so nothing
// vouches for it: its confidence stays at vatFromRateCap, under the
// routing threshold, and the document goes to review with it highlighted
// rather than with an empty field.
func (x *extraction) vatFromRate() {
	r, err := strconv.Atoi(x.vatRate)
	if err != nil || r <= 0 || len(x.totals.rates) == 0 && len(x.table.rates) != 1 || x.total.empty() || x.totalK <= 0 {
		return
	}
	x.vatK = ruvalid.VATFromGross(x.totalK, r)
	x.vat = value{text: x.vatK.String(), conf: min(x.total.conf, vatFromRateCap)}
}

// oneDigitOff reports whether the digits of a and b differ by one digit
// added, lost or changed, and a and b are not equal.
func oneDigitOff(a, b pervichka.Kopecks) bool {
	da := strings.ReplaceAll(a.String(), ".", "")
	db := strings.ReplaceAll(b.String(), ".", "")
	return da != db && levenshtein(da, db, 1) == 1
}

func validRate(r int) bool {
	switch r {
	case 0, 5, 7, 10, 18, 20, 22:
		return true
	}
	return false
}

// rowsWithoutVAT reports a table whose rows say «без НДС» where their
// rate or tax is printed — at least half of them, the others garbled
// there («без HA») — with no tax figure or rate read in any: the document
// is without VAT even when its totals line was garbled past reading (seed
// 9401's scanned УПД 010: «без НДС» on all 14 rows, «6e3 HOC» in «Всего к
// оплате»). The confidence is the median of the rows that say so, capped
// at rowsNoVATCap.
func (x *extraction) rowsWithoutVAT() (float64, bool) {
	var confs []float64
	for _, r := range x.table.rows {
		if r.rate > 0 || (r.hasVAT && r.vat != 0) {
			return 0, false
		}
		if r.noVAT {
			confs = append(confs, r.noVATConf)
		}
	}
	if len(confs) == 0 || 2*len(confs) < len(x.table.rows) {
		return 0, false
	}
	slices.Sort(confs)
	return min(rowsNoVATCap, confs[len(confs)/2]), true
}

package fields

import (
	"strconv"
	"strings"

	pervichka "github.com/pervichka/pervichka"
	"github.com/pervichka/pervichka/extractors/ruvalid"
)

// Repairing one row by its own arithmetic: amount = quantity × price and
// VAT = amount × r/(100+r) give the expected figure, taken only where a
// garbled word of the row reads as it. Digit confusions are in
// confusion.go; rows read by arithmetic alone in rows.go.

// repairRow completes a row by its arithmetic where OCR garbled a figure:
// amount = quantity × price and VAT = amount × r/(100+r) give the expected
// value, which is taken only when a word of the row reads as it with the
// unreadable characters («$71507.50», «2440723», «97647» with a lost
// separator) in place. A figure that was read and does not fit stays: the
// sum and VAT checks downstream then send the document to review.
func repairRow(r *itemRow, figures []token) {
	qm, hasQty := quantityMilli(string(r.item.Quantity))
	var price pervichka.Kopecks
	hasPrice := false
	if r.item.Price != "" {
		if p, err := pervichka.ParseKopecks(string(r.item.Price)); err == nil {
			price, hasPrice = p, true
		}
	}
	fill := func(want pervichka.Kopecks) bool { return readsAs(figures, want) }
	if hasQty && hasPrice && r.hasAmt && !r.wholeMoney && qm%1000 == 0 && product(qm, price) != r.amount {
		// A fractional quantity whose comma OCR lost: «1,5» read «15»
		// (seed 9301's scanned счёт-фактура 005, 1,5 кг at 340,67 for
		// 511,01). The price and the amount, read apart, decide it
		// only when the quantity shifted by one to three places gives
		// the amount exactly, both read with their kopecks: an amount
		// read as a bare number is a figure cut short, not a product
		// («10» of «10 000,00» made 2 шт «0.002» on seed 10021's
		// realistic счёт-оферта 002).
		for d := int64(10); d <= 1000; d *= 10 {
			if q := qm / d; q > 0 && product(q, price) == r.amount {
				qm = q
				r.item.Quantity = pervichka.Text(formatMilli(q))
				r.conf = min(r.conf, repairedRowCap)
				r.repaired = true
				break
			}
		}
	}
	if q := string(r.item.Quantity); hasQty && hasPrice && r.hasAmt && product(qm, price) != r.amount && len(q) > 1 && strings.ContainsRune(ruleDigits, rune(q[0])) {
		// The cell's rule read as a leading digit: «716» for 16 beside
		// the rule on the left of a narrow quantity cell (9801's
		// realistic bill 013). The price and the amount, read apart,
		// decide it only when the quantity without that digit gives
		// the amount exactly.
		if qq, ok := quantityMilli(q[1:]); ok && qq > 0 && product(qq, price) == r.amount {
			qm = qq
			r.item.Quantity = pervichka.Text(q[1:])
			r.conf = min(r.conf, repairedRowCap)
			r.repaired = true
		}
	}
	if hasQty && hasPrice && r.hasAmt && r.wholeMoney && product(qm, price) != r.amount && product(qm, price)*100 == r.amount {
		// An amount whose decimal comma OCR lost: «131 778 26» read as
		// 13 177 826 (9801's scanner-app bill 001, 2 × 65 889,13). The
		// digits are the product's, kopecks and all.
		r.amount = product(qm, price)
		r.item.Amount = r.amount.Text()
		r.conf = min(r.conf, repairedRowCap)
		r.repaired = true
	}
	if hasQty && hasPrice && !r.hasAmt {
		if a := product(qm, price); fill(a) {
			r.amount, r.hasAmt = a, true
			r.item.Amount = a.Text()
			r.conf = min(r.conf, repairedRowCap)
			r.repaired = true
		}
	}
	if hasQty && !hasPrice && qm > 0 {
		// The price's heading was unreadable, so its figure sits in an
		// unnamed column: a money figure of the row that times the
		// quantity gives the amount (read, or readable as it) is the price.
		l := line{toks: figures}
		if len(figures) > 0 {
			l.unit = float64(figures[0].box.Dy())
		}
		for _, a := range amounts(&l) {
			if !a.frac || a.fracLen != 2 || a.k <= 0 {
				continue
			}
			prod := product(qm, a.k)
			if (r.hasAmt && prod == r.amount && prod != a.k) || (!r.hasAmt && fill(prod)) {
				hasPrice = true
				r.item.Price = a.k.Text()
				if !r.hasAmt {
					r.amount, r.hasAmt = prod, true
					r.item.Amount = prod.Text()
					r.conf = min(r.conf, repairedRowCap)
					r.repaired = true
				}
				break
			}
		}
	}
	if hasQty && !hasPrice && r.hasAmt && qm > 0 {
		p := pervichka.Kopecks((int64(r.amount)*1000 + qm/2) / qm)
		if product(qm, p) == r.amount && fill(p) {
			r.item.Price = p.Text()
			r.conf = min(r.conf, repairedRowCap)
			r.repaired = true
		}
	}
	if r.rate > 0 && r.hasAmt {
		v := ruvalid.VATFromGross(r.amount, r.rate)
		if (!r.hasVAT || r.vat != v) && fill(v) {
			r.vat, r.hasVAT = v, true
			r.item.VATAmount = v.Text()
			r.conf = min(r.conf, repairedRowCap)
			r.repaired = true
		}
	}
}

// ruleDigits are the digits OCR makes of a table's vertical rule printed
// close before a figure.
const ruleDigits = "17"

// quantityMilli reads a quantity as printed by parseQuantity in thousandths.
func quantityMilli(q string) (int64, bool) {
	if q == "" {
		return 0, false
	}
	whole, frac, _ := strings.Cut(q, ".")
	w, err := strconv.ParseInt(whole, 10, 64)
	if err != nil || len(frac) > 3 || w > 1e9 {
		return 0, false
	}
	f := int64(0)
	if frac != "" {
		f, err = strconv.ParseInt((frac + "00")[:3], 10, 64)
		if err != nil {
			return 0, false
		}
	}
	return w*1000 + f, true
}

// readsAs reports whether one word of the row, or up to three adjacent
// words (digit groups), reads as want with the separators lost or moved and
// at most two unreadable characters in place of digits.
func readsAs(ts []token, want pervichka.Kopecks) bool {
	if want <= 0 {
		return false
	}
	digits := strconv.FormatInt(int64(want), 10)
	if len(digits) < 3 {
		digits = strings.Repeat("0", 3-len(digits)) + digits
	}
	for i := range ts {
		var pat []rune
		for j := i; j < len(ts) && j < i+3; j++ {
			for _, c := range strings.Trim(ts[j].text, "|[]();:") {
				switch {
				case c >= '0' && c <= '9':
					pat = append(pat, c)
				case c == ',' || c == '.' || c == ' ':
				default:
					pat = append(pat, '?')
				}
			}
			if digitsMatch(pat, digits) {
				return true
			}
		}
	}
	return false
}

func digitsMatch(pat []rune, digits string) bool {
	if len(pat) != len(digits) || len(pat) < 3 {
		return false
	}
	wild := 0
	for i, c := range digits {
		switch pat[i] {
		case c:
		case '?':
			wild++
		default:
			return false
		}
	}
	return wild <= 2 && wild*3 < len(pat)
}

// arithmeticBroken reports a row whose quantity, price and amount were all
// read and do not agree: quantity × price is neither its amount nor, on a
// row that prints its VAT, its amount less the VAT, nor the net amount a
// statutory form prints in its own column. Rounding is allowed for: a
// price rounded to the kopeck moves the product by up to half a kopeck
// per unit. The row's figures are then not what was printed (seed 1's
// photographed act 022 read 5 524,30 as 524,30, its scanned счёт-фактура
// 009 read 39 × 153,33 as 59 × 155,55, and both were approved), and no
// repair found one change that fits: a clerk looks. A row without one of
// the three is not judged here (items_unread, inferQuantity).
func arithmeticBroken(r *itemRow) bool {
	qm, okQ := quantityMilli(string(r.item.Quantity))
	p, errP := pervichka.ParseKopecks(string(r.item.Price))
	if !okQ || qm <= 0 || errP != nil || p <= 0 || !r.hasAmt {
		return false
	}
	prod := product(qm, p)
	near := func(a pervichka.Kopecks) bool {
		d := prod - a
		if d < 0 {
			d = -d
		}
		return int64(d) <= max(1, (qm+1999)/2000)
	}
	if ts := r.cells[colNet]; len(ts) > 0 {
		l := line{toks: ts, unit: float64(max(1, ts[0].box.Dy()))}
		if n, ok := lastMoney(amounts(&l)); ok {
			return !near(n.k) && !near(r.amount)
		}
		return false // the net column unread: nothing to compare
	}
	if near(r.amount) || r.hasVAT && near(r.amount-r.vat) {
		return false
	}
	if r.rate > 0 && near(r.amount-ruvalid.VATFromGross(r.amount, r.rate)) {
		return false
	}
	return true
}

// rowsAddingUp counts the rows whose quantity, price and amount were all
// read and agree (arithmeticBroken): rows cut from a line where the print
// sets its cells. A column mapped to the wrong x gives rows without one
// of the three, or whose figures do not multiply out.
func rowsAddingUp(rows []itemRow) int {
	n := 0
	for i := range rows {
		if rowAddsUp(&rows[i]) {
			n++
		}
	}
	return n
}

// rowAddsUp reports a row whose quantity, price and amount were all read
// and agree.
func rowAddsUp(r *itemRow) bool {
	qm, okQ := quantityMilli(string(r.item.Quantity))
	p, errP := pervichka.ParseKopecks(string(r.item.Price))
	return okQ && qm > 0 && errP == nil && p > 0 && r.hasAmt && !arithmeticBroken(r)
}

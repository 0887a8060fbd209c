package fields

import (
	"strconv"

	pervichka "github.com/pervichka/pervichka"
	"github.com/pervichka/pervichka/extractors/ruvalid"
)

// Repairing a row's figures by their arithmetic when OCR changed a digit.
// On photographed tables the small print of figures turns 3 into 5, 6 into
// 5 or 8, 2 into 8: the number is read whole, with every separator in
// place, and is simply another number. Unlike a garbled character
// (readsAs) nothing marks it, and only the row's own arithmetic (quantity ×
// price = amount, VAT = amount × r/(100+r)) or the printed total shows that
// a figure is wrong. A reading is changed only when exactly one change of a
// single digit makes the row consistent: an exact product to the kopeck is
// rarely hit by chance, so any digit may change there, while a VAT or an
// inferred quantity, weaker evidence, only takes a confusable digit (3↔5,
// 6↔8 …). q = 1 (price and amount the same number) stays ambiguous unless
// the row's VAT decides. The row is marked confused, and the document goes
// to a clerk: the print that misled OCR here may have misled it in an
// unchecked field too.

// confusable lists, for each digit, the digits OCR reads in its place on
// our photographed tables (3↔5 by far the most often).
var confusable = [10][]byte{
	0: {'6', '8', '9'},
	1: {'4', '7'},
	2: {'7', '8'},
	3: {'5', '8', '9'},
	4: {'1'},
	5: {'3', '6'},
	6: {'0', '5', '8'},
	7: {'1', '2'},
	8: {'0', '2', '3', '6'},
	9: {'0', '3'},
}

// confusableVariants are the numbers that differ from v (written in decimal
// digits, kopecks or thousandths) in exactly one confusable digit; the
// leading digit never becomes 0.
func confusableVariants(v int64) []int64 {
	if v <= 0 {
		return nil
	}
	s := []byte(strconv.FormatInt(v, 10))
	var out []int64
	for i, c := range s {
		for _, d := range confusable[c-'0'] {
			if i == 0 && d == '0' {
				continue
			}
			t := append([]byte{}, s...)
			t[i] = d
			n, err := strconv.ParseInt(string(t), 10, 64)
			if err == nil {
				out = append(out, n)
			}
		}
	}
	return out
}

// oneConfusable reports whether a and b differ in exactly one digit, a
// confusable pair, with the same number of digits.
func oneConfusable(a, b int64) bool {
	for _, v := range confusableVariants(a) {
		if v == b {
			return true
		}
	}
	return false
}

// product is quantity (thousandths) × price rounded to the kopeck.
func product(qm int64, p pervichka.Kopecks) pervichka.Kopecks {
	return pervichka.Kopecks((qm*int64(p) + 500) / 1000)
}

// digitVariants are the numbers that differ from v in exactly one digit,
// any digit: where an exact product has to come out, one wrong digit of
// any kind is found as safely as a confusable one.
func digitVariants(v int64) []int64 {
	if v <= 0 {
		return nil
	}
	s := []byte(strconv.FormatInt(v, 10))
	var out []int64
	for i, c := range s {
		for d := byte('0'); d <= '9'; d++ {
			if d == c || (i == 0 && d == '0') {
				continue
			}
			t := append([]byte{}, s...)
			t[i] = d
			if n, err := strconv.ParseInt(string(t), 10, 64); err == nil {
				out = append(out, n)
			}
		}
	}
	return out
}

// rowFix is a reading of quantity (thousandths), price and amount.
type rowFix struct {
	qm   int64
	p, a pervichka.Kopecks
}

// fixOneDigit finds the one way of changing a single digit of quantity,
// price or amount that makes quantity × price = amount. vat, when set,
// picks among several ways (q = 1 makes price and amount the same number:
// which of them was misread only the row's VAT tells).
func fixOneDigit(qm int64, p, a pervichka.Kopecks, vat func(pervichka.Kopecks) bool) (rowFix, bool) {
	var fixes []rowFix
	for _, v := range digitVariants(int64(a)) {
		if product(qm, p) == pervichka.Kopecks(v) {
			fixes = append(fixes, rowFix{qm, p, pervichka.Kopecks(v)})
		}
	}
	for _, v := range digitVariants(int64(p)) {
		if product(qm, pervichka.Kopecks(v)) == a {
			fixes = append(fixes, rowFix{qm, pervichka.Kopecks(v), a})
		}
	}
	for _, v := range digitVariants(qm) {
		if product(v, p) == a {
			fixes = append(fixes, rowFix{v, p, a})
		}
	}
	if len(fixes) > 1 && vat != nil {
		var byVAT []rowFix
		for _, f := range fixes {
			if vat(f.a) {
				byVAT = append(byVAT, f)
			}
		}
		fixes = byVAT
	}
	if len(fixes) != 1 {
		return rowFix{}, false
	}
	return fixes[0], true
}

// repairConfusedDigits makes quantity × price = amount hold by changing one
// digit of one of the three, when exactly one such change does; then
// VAT = amount × r/(100+r) by one confusable digit of the VAT. net is false
// on tables whose amount includes a tax the price does not (счёт-фактура,
// УПД), where the product is not the amount: nothing is checked there.
func repairConfusedDigits(r *itemRow, net bool) {
	if !net {
		return
	}
	qm, hasQty := quantityMilli(string(r.item.Quantity))
	p, perr := pervichka.ParseKopecks(string(r.item.Price))
	// A row whose amount includes its VAT (a ТОРГ-12 whose net column was
	// not found) adds up as read: quantity × price is the amount less the
	// VAT. Without this, «1 × 16 920,83» against the gross 20 305,00 was
	// «repaired» to a quantity of 1.2 (unseen seed 8961's ТОРГ-12 010, on
	// its text layer).
	gross := r.hasVAT && r.vat > 0 && product(qm, p) == r.amount-r.vat
	if hasQty && qm > 0 && perr == nil && p > 0 && r.hasAmt && product(qm, p) != r.amount && !gross {
		var vat func(pervichka.Kopecks) bool
		if r.rate > 0 && r.hasVAT {
			vat = func(a pervichka.Kopecks) bool { return ruvalid.VATFromGross(a, r.rate) == r.vat }
		}
		if f, ok := fixOneDigit(qm, p, r.amount, vat); ok {
			r.item.Quantity = pervichka.Text(formatMilli(f.qm))
			r.item.Price = f.p.Text()
			r.amount = f.a
			r.item.Amount = f.a.Text()
			r.conf = min(r.conf, repairedRowCap)
			r.repaired, r.confused = true, true
		} else if e := pervichka.Kopecks((int64(r.amount)*1000 + qm/2) / qm); e > 0 && product(qm, e) == r.amount && oneDigitOff(p, e) && len(e.String()) != len(p.String()) {
			// A price with a digit lost or added («72,51» for 172,51,
			// «7616,00» for 616,00: seed 8901's scanned bills 009 and
			// 014): the one price that times the quantity gives the
			// amount exactly, one digit more or fewer than the price
			// read. A digit changed is fixOneDigit's, which leaves a
			// choice it cannot make (q = 1) to the clerk.
			r.item.Price = e.Text()
			r.conf = min(r.conf, repairedRowCap)
			r.repaired, r.confused = true, true
		}
	}
	if r.rate > 0 && r.hasAmt && r.hasVAT {
		if v := ruvalid.VATFromGross(r.amount, r.rate); v != r.vat && oneConfusable(int64(r.vat), int64(v)) {
			r.vat = v
			r.item.VATAmount = v.Text()
			r.conf = min(r.conf, repairedRowCap)
			r.repaired, r.confused = true, true
		}
	}
}

// repairAgainstNet makes quantity × price = net hold on the statutory
// forms, whose rows print the amount without tax in a column of its own
// (net) beside the amount with it: one digit of the quantity or the price
// changed, when exactly one such change does (seed 8901's scanned
// счёт-фактура 010 read 157,71 as «457,71»). Only when the net is borne
// out by the row's own VAT and amount (net + VAT = amount): a digit of
// the price changed moves the product by a digit of the net as often as
// not, and then only the row's tax tells which of the two was misread.
func repairAgainstNet(r *itemRow, net pervichka.Kopecks) {
	qm, hasQty := quantityMilli(string(r.item.Quantity))
	p, err := pervichka.ParseKopecks(string(r.item.Price))
	if !hasQty || qm <= 0 || err != nil || p <= 0 || net <= 0 || product(qm, p) == net {
		return
	}
	if !r.hasAmt || !r.hasVAT || net+r.vat != r.amount {
		return
	}
	// A price rounded to the kopeck moves the product by up to half a
	// kopeck a unit: within that the row adds up as printed (golden 034:
	// 25 × a rounded price was «repaired» to 25,001), and a repaired
	// price need only come as near (seed 8901's 010: 7 × 157,71 =
	// 1 103,97 against a net of 1 103,96).
	fits := func(q int64, pr pervichka.Kopecks) bool {
		d, tol := product(q, pr)-net, pervichka.Kopecks(q/2000+1)
		return d <= tol && -d <= tol
	}
	if fits(qm, p) {
		return
	}
	fixPriceOrQuantity(r, qm, p, fits)
}

// repairGrossDigit puts back the amount with tax on the statutory forms
// when it reads one confusable digit off net + VAT and the VAT is the
// rate's of the net: three figures read apart, two of them borne out by
// the rate, against one. Seed 1's scanned УПД 007 read 2 830,30 as «2
// 850,30» (PT Sans's flat-topped «3»), with its net 2 358,58 and VAT
// 471,72 at 20 % read right, and the rows no longer added up to the
// total. Only when quantity × price gives the net too (within a rounded
// price's half kopeck a unit): then the amount is the one figure of five
// that disagrees, and the row is not mended twice (a price repaired
// against a net that an amount repair had first to bear out).
func repairGrossDigit(r *itemRow, net pervichka.Kopecks) {
	if !r.hasAmt || !r.hasVAT || net <= 0 || r.rate <= 0 {
		return
	}
	qm, hasQty := quantityMilli(string(r.item.Quantity))
	p, err := pervichka.ParseKopecks(string(r.item.Price))
	if !hasQty || qm <= 0 || err != nil || p <= 0 {
		return
	}
	if d, tol := product(qm, p)-net, pervichka.Kopecks(qm/2000+1); d > tol || -d > tol {
		return
	}
	want := net + r.vat
	if want == r.amount || !oneConfusable(int64(r.amount), int64(want)) || ruvalid.VATFromNet(net, r.rate) != r.vat {
		return
	}
	r.amount = want
	r.item.Amount = want.Text()
	r.conf = min(r.conf, repairedRowCap)
	r.repaired, r.confused = true, true
}

// fixPriceOrQuantity changes one digit of the row's price or of its
// quantity (qm, thousandths) when exactly one such change fits, and marks
// the row repaired and confused. A whole quantity stays whole: its
// thousandths were not read.
func fixPriceOrQuantity(r *itemRow, qm int64, p pervichka.Kopecks, fits func(q int64, p pervichka.Kopecks) bool) bool {
	var fixes []rowFix
	for _, v := range digitVariants(int64(p)) {
		if fits(qm, pervichka.Kopecks(v)) {
			fixes = append(fixes, rowFix{qm: qm, p: pervichka.Kopecks(v)})
		}
	}
	for _, v := range digitVariants(qm) {
		if fits(v, p) && (qm%1000 != 0 || v%1000 == 0) {
			fixes = append(fixes, rowFix{qm: v, p: p})
		}
	}
	if len(fixes) != 1 {
		return false
	}
	r.item.Quantity = pervichka.Text(formatMilli(fixes[0].qm))
	r.item.Price = fixes[0].p.Text()
	r.conf = min(r.conf, repairedRowCap)
	r.repaired, r.confused = true, true
	return true
}

// inferQuantity fills the quantity of a row that has a price and an amount
// but no readable quantity (its column lost to OCR, «$» for 5): the
// quantity of at least 1 that times the price gives base to the kopeck,
// and that no neighbouring thousandth gives too. base is the row's amount
// where that is quantity × price, or its amount without tax on the
// statutory forms (net false); only for the amount is a reading one
// confusable digit away tried, for whole quantities only, when the read
// one fits no quantity.
func inferQuantity(r *itemRow, base pervichka.Kopecks, net bool) {
	if r.item.Quantity != "" || base <= 0 {
		return
	}
	p, err := pervichka.ParseKopecks(string(r.item.Price))
	if err != nil || p <= 0 {
		return
	}
	fits := func(a pervichka.Kopecks) (int64, bool) {
		qm := (int64(a)*1000 + int64(p)/2) / int64(p)
		if qm < 1000 || product(qm, p) != a || product(qm-1, p) == a || product(qm+1, p) == a {
			return 0, false
		}
		return qm, true
	}
	if qm, ok := fits(base); ok {
		// No digit was changed: the row's figures are as read, so the
		// printed total decides as for any repair (route).
		r.item.Quantity = pervichka.Text(formatMilli(qm))
		r.conf = min(r.conf, repairedRowCap)
		r.repaired = true
		return
	}
	if !net {
		return
	}
	var found []int64
	var amt pervichka.Kopecks
	for _, v := range confusableVariants(int64(base)) {
		if qm, ok := fits(pervichka.Kopecks(v)); ok && qm%1000 == 0 {
			found = append(found, qm)
			amt = pervichka.Kopecks(v)
		}
	}
	if len(found) == 1 {
		r.item.Quantity = pervichka.Text(formatMilli(found[0]))
		r.amount = amt
		r.item.Amount = amt.Text()
		r.conf = min(r.conf, repairedRowCap)
		r.repaired, r.confused = true, true
	}
}

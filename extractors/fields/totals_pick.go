package fields

import (
	"slices"
	"strings"

	pervichka "github.com/pervichka/pervichka"
	"github.com/pervichka/pervichka/extractors/ruvalid"
)

// The total: the items table checked against the printed totals (read by
// arithmetic instead, kopecks run together, one row's product), the row of
// totals re-read when none was read, and the choice among the labelled
// candidates (totals.go) with Σ items and the amount in words as
// independent readings.

// checkTableByArithmetic reads the items again by row arithmetic when the
// table by headings came out empty or does not add up to any printed
// total, and keeps the reading that does.
func (x *extraction) checkTableByArithmetic() {
	sumOf := func(t tableResult) (pervichka.Kopecks, bool) {
		var s pervichka.Kopecks
		for _, r := range t.rows {
			if !r.hasAmt {
				return 0, false
			}
			s += r.amount
		}
		return s, len(t.rows) > 0
	}
	printed := func(s pervichka.Kopecks) bool {
		for _, c := range x.totals.totals {
			if c.k == s {
				return true
			}
		}
		return x.totals.words != nil && x.totals.words.k == s
	}
	if s, ok := sumOf(x.table); ok && printed(s) {
		return
	}
	from := 0
	switch {
	case x.table.header >= 0:
		from = x.table.header + 1
	case x.title != nil:
		from = x.title.line.idx + 1
	}
	alt := arithTable(x.lines, from, x.typ)
	as, ok := sumOf(alt)
	if !ok {
		return
	}
	// Neither adds up: keep the reading that found more rows, each of
	// them checked by its own arithmetic (the sum check still flags it);
	// or, on the forms whose rows carry their tax, the one that read it.
	if len(x.table.rows) == 0 || printed(as) || len(alt.rows) > len(x.table.rows) ||
		x.taxLostByColumns(alt) {
		x.table = alt
		if len(x.totals.totals) == 0 && len(x.totals.vats) == 0 {
			x.totals = findTotals(x.lines, x.typ, x.table.end)
		}
	}
}

// taxLostByColumns reports, on a счёт-фактура or УПД, a table read by
// its columns whose rows carry no tax figure where the table read by
// arithmetic (alt) found net + VAT = amount in at least half of its rows,
// and as many rows as the columns gave amounts for: the column reading
// took the net for the amount. Seed 9401's realistic
// УПД 003, its headings garbled, read «6 946,50» of «15,000 463,10 6 946,50
// без акциза 20% 1 389,30 8 335,80» as the amount, and a total misread by
// one digit could not say which table was right.
func (x *extraction) taxLostByColumns(alt tableResult) bool {
	if x.typ != pervichka.DocVATInvoice && x.typ != pervichka.DocUPD {
		return false
	}
	withAmount := 0
	for _, r := range x.table.rows {
		if r.hasVAT {
			return false
		}
		if r.hasAmt {
			withAmount++
		}
	}
	if len(alt.rows) < withAmount {
		return false
	}
	taxed := 0
	for _, r := range alt.rows {
		if r.hasVAT && r.vat > 0 {
			taxed++
		}
	}
	return taxed > 0 && 2*taxed >= len(alt.rows)
}

// checkLostSeparators reads the whole-rouble figures of rows as kopecks run
// together («10337235» for 103372,35: a photo lost the comma) when that,
// and only that, makes the rows add up to a printed total. Tables print
// money with kopecks, so a figure without them is suspect, but a table of
// whole roubles exists too: the total decides.
func (x *extraction) checkLostSeparators() {
	var sum, alt pervichka.Kopecks
	any := false
	for _, r := range x.table.rows {
		if !r.hasAmt {
			return
		}
		sum += r.amount
		if r.wholeMoney {
			any = true
			alt += r.amount / 100
		} else {
			alt += r.amount
		}
	}
	if !any || x.printedTotal(sum) || !x.printedTotal(alt) {
		return
	}
	for i := range x.table.rows {
		r := &x.table.rows[i]
		if !r.wholeMoney {
			continue
		}
		r.amount /= 100
		r.item.Amount = r.amount.Text()
		if p, err := pervichka.ParseKopecks(string(r.item.Price)); err == nil {
			r.item.Price = (p / 100).Text()
		}
		if r.hasVAT && r.vat >= 100 {
			r.vat /= 100
			r.item.VATAmount = r.vat.Text()
		}
		r.repaired = true
		r.conf = min(r.conf, repairedRowCap)
	}
}

// checkRowsAgainstTotal settles a row whose amount is not quantity ×
// price when the product, put in its place, makes the rows add up to a
// printed total and no other row's product does: q = 1 rows with price and
// amount read differently («4086,84» and «4085,84») are left open by the
// row alone. Not on счета-фактуры and УПД, whose row amount includes the
// tax the price does not.
func (x *extraction) checkRowsAgainstTotal() {
	if x.typ == pervichka.DocVATInvoice || x.typ == pervichka.DocUPD {
		return
	}
	var sum pervichka.Kopecks
	lost := -1
	for i, r := range x.table.rows {
		if !r.hasAmt {
			if lost >= 0 {
				return
			}
			lost = i
			continue
		}
		sum += r.amount
	}
	if lost >= 0 {
		x.fillLostAmount(lost, sum)
		return
	}
	if len(x.table.rows) == 0 {
		return
	}
	if x.printedTotal(sum) {
		x.settleByAmounts()
		return
	}
	found, at := 0, -1
	var with pervichka.Kopecks
	for i, r := range x.table.rows {
		qm, okQ := quantityMilli(string(r.item.Quantity))
		p, err := pervichka.ParseKopecks(string(r.item.Price))
		if !okQ || err != nil || qm <= 0 || p <= 0 {
			continue
		}
		if a := product(qm, p); a != r.amount && x.printedTotal(sum-r.amount+a) {
			found++
			at, with = i, a
		}
	}
	if found != 1 {
		return
	}
	r := &x.table.rows[at]
	r.amount = with
	r.item.Amount = with.Text()
	r.repaired = true
	r.conf = min(r.conf, repairedRowCap)
}

// settleByAmounts mends a row whose quantity × price is not its amount
// when the amounts, as read, add up to a printed total: they are borne out
// by a reading of their own, so the price or the quantity was misread. One
// digit of either is changed when exactly one such change gives the
// amount (fixPriceOrQuantity). The row alone could not tell: fixOneDigit
// may change the amount too, and with a round quantity it often finds two
// ways («20 × 225,02 = 4 510,40»: the price's 5 or the amount's 1 — seed
// 9401's scanned bill 015); the total settles which.
//
// Not on ТОРГ-12, nor on a row with a net column or whose product is its
// amount less its VAT: their amount carries a tax the price does not
// (unseen seed 9411's born-digital ТОРГ-12 013 had «2 × 63,82 = 127,64»
// against 140,40 with VAT «repaired» to a quantity of 2.2).
func (x *extraction) settleByAmounts() {
	if x.typ == pervichka.DocTORG12 {
		return
	}
	for i := range x.table.rows {
		r := &x.table.rows[i]
		qm, okQ := quantityMilli(string(r.item.Quantity))
		p, err := pervichka.ParseKopecks(string(r.item.Price))
		if !okQ || err != nil || qm <= 0 || p <= 0 || !r.hasAmt || product(qm, p) == r.amount ||
			len(r.cells[colNet]) > 0 || r.hasVAT && product(qm, p) == r.amount-r.vat {
			continue
		}
		fixPriceOrQuantity(r, qm, p, func(q int64, pr pervichka.Kopecks) bool { return product(q, pr) == r.amount })
	}
}

// fillLostAmount completes the one row read without its amount (the
// figure lost in a fold or a stamp, «Средство для мытья полов 18,971 л
// 98,62» and nothing after) with quantity × price, when that and only that
// makes the rows add up to a printed total: two readings that do not
// depend on each other, the row's own figures and the total less the other
// rows, must give the same kopeck. sum is Σ of the other rows.
func (x *extraction) fillLostAmount(at int, sum pervichka.Kopecks) {
	r := &x.table.rows[at]
	qm, okQ := quantityMilli(string(r.item.Quantity))
	p, err := pervichka.ParseKopecks(string(r.item.Price))
	if !okQ || err != nil || qm <= 0 || p <= 0 {
		return
	}
	a := product(qm, p)
	if a <= 0 || !x.printedTotal(sum+a) {
		return
	}
	r.amount, r.hasAmt = a, true
	r.item.Amount = a.Text()
	r.repaired = true
	r.conf = min(r.conf, repairedRowCap)
}

// printedTotal reports whether s is a total printed on the document (in
// figures or in words).
func (x *extraction) printedTotal(s pervichka.Kopecks) bool {
	for _, c := range x.totals.totals {
		if c.k == s {
			return true
		}
	}
	return x.totals.words != nil && x.totals.words.k == s
}

// rereadTotalsRow asks the OCR engine for the line under the items table
// when no total was read at all: on scanned счета-фактуры the bold
// «Всего к оплате» row inside the table's rules is often missing from the
// words. The figures read there become candidates only when the VAT law
// ties them together (VAT = total × r/(100+r)) or they equal Σ items.
func (x *extraction) rereadTotalsRow() {
	if x.rr == nil || len(x.table.rows) == 0 {
		return
	}
	var rowToks []token
	for _, r := range x.table.rows {
		rowToks = append(rowToks, r.nameToks...)
	}
	last := x.table.end - 1
	if last < 0 || last >= len(x.lines) {
		return
	}
	l := &x.lines[last]
	u := l.unit
	left := l.box.X0
	if len(rowToks) > 0 {
		left = min(left, boxOf(rowToks).X0)
	}
	box := pervichka.Rect{X0: left, Y0: l.box.Y1 + int(0.2*u), X1: l.box.X1 + int(u), Y1: l.box.Y1 + int(2.6*u)}
	text, c, err := x.rr.ReadLine(x.ctx, l.page, box, "0123456789 ,.")
	if err != nil {
		return
	}
	var money []amount
	for _, a := range amounts(pseudoLine(text, l.page, box)) {
		if a.frac && a.fracLen == 2 {
			money = append(money, a)
		}
	}
	if len(money) == 0 {
		return
	}
	total := money[len(money)-1]
	var sum pervichka.Kopecks
	for _, r := range x.table.rows {
		sum += r.amount
	}
	agree := sum == total.k
	var vat *amount
	if len(money) >= 2 {
		v := money[len(money)-2]
		for _, r := range arithmeticRates {
			e := ruvalid.VATFromGross(total.k, r)
			if d := e - v.k; d <= pervichka.Kopecks(len(x.table.rows)) && -d <= pervichka.Kopecks(len(x.table.rows)) {
				vat = &v
				agree = true
				break
			}
		}
	}
	if !agree {
		return
	}
	conf := min(c, totalsRowRereadCap)
	total.toks = nil
	x.totals.totals = append(x.totals.totals, moneyCand{amount: total, line: last, weight: totalsRowWeight})
	x.totals.totals[len(x.totals.totals)-1].toks = []token{{text: text, box: box, conf: conf, page: l.page}}
	if vat != nil && len(x.totals.vats) == 0 {
		x.totals.vats = append(x.totals.vats, moneyCand{amount: *vat, line: last, weight: totalsRowWeight})
		x.totals.vats[0].toks = []token{{text: text, box: box, conf: conf, page: l.page}}
	}
}

// pseudoLine makes a line of a re-read text, words spaced one blank apart,
// so that the amount reader can join its digit groups.
func pseudoLine(text string, page int, box pervichka.Rect) *line {
	l := &line{page: page, unit: float64(max(1, box.Dy()))}
	x := box.X0
	h := max(1, box.Dy())
	for _, w := range strings.Fields(text) {
		wd := len(w) * h / 2
		l.toks = append(l.toks, token{text: w, key: w, box: pervichka.Rect{X0: x, Y0: box.Y0, X1: x + wd, Y1: box.Y0 + h}, conf: 1, page: page})
		x += wd + h/4
	}
	return l
}

// pickTotal chooses the total among the labelled candidates, using the sum
// of the items and the amount in words as independent readings: a candidate
// two readings agree on wins over a better-labelled one they contradict.
func (x *extraction) pickTotal() {
	if len(x.totals.totals) == 0 {
		x.rereadTotalsRow()
	}
	cands := x.totals.totals
	var sum pervichka.Kopecks
	haveSum := len(x.table.rows) > 0
	for _, r := range x.table.rows {
		if !r.hasAmt {
			haveSum = false
			break
		}
		sum += r.amount
	}
	// An amount in words that lost its leading numerals to a glare says
	// the total's lower part only: it neither vouches for a total it ends
	// nor contradicts one.
	if w := x.totals.words; w != nil && (haveSum && (clippedWords(w, sum) || misreadWords(w, sum)) ||
		slices.ContainsFunc(cands, func(c moneyCand) bool { return clippedWords(w, c.k) })) {
		x.totals.words = nil
	}
	var words *pervichka.Kopecks
	if x.totals.words != nil {
		w := x.totals.words.k
		words = &w
	}
	if len(cands) == 0 {
		switch {
		case haveSum && words != nil && sum == *words:
			x.totalK = sum
			x.total = value{text: sum.String(), conf: totalFromRowsAndWordsConf}
		case haveSum:
			// Only the rows: a row OCR dropped would go unnoticed, so
			// this is for a clerk to confirm.
			x.totalK = sum
			x.total = value{text: sum.String(), conf: onlyRowsFactor * x.table.conf}
			x.reason(pervichka.ReasonLowConfidence, "total")
			return
		case words != nil:
			// The words are the only reading: nothing to agree with
			// (study seed 10251's realistic bill 013 read «… сорок
			// пять рублей 39 копеек» of 51 945,39, its figures
			// garbled, and showed 45,39 at 0.9 for agreeing with
			// itself).
			x.totalK = *words
			x.total = value{text: words.String(), conf: onlyWordsFactor * x.totals.words.conf}
			x.totalFromWords = true
			return
		}
		x.crossCheckTotal(haveSum, sum, words)
		return
	}
	for i, c := range cands {
		// A figure whose leading digit a glyph hid («$ 752,00») is the
		// rows' sum or the amount in words when its other digits are
		// theirs: the digits read and the sum are two readings.
		switch {
		case c.wild > 0 && haveSum && fillsWild(c.k, c.wild, sum):
			cands[i].k, cands[i].lookalike, cands[i].wild = sum, true, 0
		case c.wild > 0 && words != nil && fillsWild(c.k, c.wild, *words):
			cands[i].k, cands[i].lookalike, cands[i].wild = *words, true, 0
		case c.glued > 0 && (haveSum && c.glued == sum || words != nil && c.glued == *words):
			// «1508 304,39»: the same two readings vouch for the
			// four-digit word as the figure's leading groups.
			cands[i].k, cands[i].lookalike, cands[i].glued = c.glued, true, 0
		case c.glued > 0 && haveSum && nearSum(c.glued, sum) && !nearSum(c.k, sum):
			// Only near the rows' sum (a row misread): the likelier
			// figure for a clerk to check, never a sure one.
			cands[i].k, cands[i].lookalike, cands[i].glued = c.glued, true, 0
			cands[i].unsure = true
		}
	}
	offered := false
	if words != nil && !slices.ContainsFunc(cands, func(c moneyCand) bool { return c.k == *words }) {
		if c, ok := x.lineSum(cands, *words); ok {
			cands = append(slices.Clone(cands), c)
			offered = true
		}
	}
	if !offered && haveSum && !slices.ContainsFunc(cands, func(c moneyCand) bool { return c.k == sum }) {
		// The same with the rows' sum for the amount in words: seed
		// 9991's realistic ТОРГ-12 007 lost the gross figure of «Итого
		// 87,000 x 19 683,20 x 3 936,64 23 619,84» at the photo's edge
		// and garbled its amount in words («… тысячилнесцьсот …»), and
		// its total was read as the tax.
		if c, ok := x.lineSum(cands, sum); ok {
			cands = append(slices.Clone(cands), c)
		}
	}
	best := -1
	bestScore := -1.0
	for i, c := range cands {
		s := c.weight * (1 - totalScoreConfShare + totalScoreConfShare*c.conf())
		agree := 0
		if haveSum && c.k == sum {
			agree++
		}
		if words != nil && c.k == *words {
			agree++
		}
		for j, o := range cands {
			if j != i && o.k == c.k {
				s += totalRepeatBonus
			}
		}
		s += float64(agree) * totalAgreementBonus
		if s > bestScore {
			best, bestScore = i, s
		}
	}
	c := cands[best]
	x.totalK = c.k
	x.total = value{text: c.k.String(), conf: c.conf(), toks: c.toks}
	if c.unsure {
		x.total.conf = min(x.total.conf, disagreedCap)
	}
	if c.weight < strongLabelWeight {
		// A weak label («Итого», «Всего:») may sit on a net subtotal or
		// a merged line; only a cross-check below lifts it.
		x.total.conf = min(x.total.conf, weakLabelCap)
	}
	for _, o := range cands {
		if o.k != c.k && o.weight >= c.weight {
			// A label as strong as the chosen one says another amount.
			x.total.conf *= rivalLabelFactor
			break
		}
	}
	x.crossCheckTotal(haveSum, sum, words)
	if c.lone && !x.totals.noVAT && (words == nil || *words != c.k) {
		// One figure left of a row's three (without tax, tax, with
		// tax) may be the amount without tax, and rows read from the
		// same column add up to it as well: unseen seed 9611's
		// photographed ТОРГ-12 007 showed «139,5 x 46 604,21», its net,
		// as the total at 0.96 (55 925,06 printed). Only the amount in
		// words, which states the total with tax, tells; or «без НДС».
		x.total.conf = min(x.total.conf, disagreedCap)
	}
}

// lineSum offers another reading of the total (the amount in words, or
// the rows' sum) as the total when no figure read says it but two figures
// of a totals line add up to it: the net and
// the tax of a «Всего по накладной» row whose gross figure OCR garbled
// («… 75310,67 x 16568,34 879,» under «Девяносто одна тысяча восемьсот
// семьдесят девять рублей 01 копейка», seed 8901's scanner-app ТОРГ-12
// 007, whose total was read as the tax). Two readings agree, but the
// printed total was not read: the value is capped as unsure, and only the
// gate's own evidence can lift it — the rows adding up to it as well (as
// on 007), which makes three readings. Offered for the rows' sum, the
// value is the rows' and the line's: two readings of different print
// that agree to the kopeck, which crossCheckTotal counts as one
// agreement.
func (x *extraction) lineSum(cands []moneyCand, other pervichka.Kopecks) (moneyCand, bool) {
	seen := map[int]bool{}
	for _, c := range cands {
		if seen[c.line] {
			continue
		}
		seen[c.line] = true
		as := amounts(&x.lines[c.line])
		for i := range as {
			for j := i + 1; j < len(as); j++ {
				if !as[i].frac || !as[j].frac || as[i].k+as[j].k != other {
					continue
				}
				toks := append(slices.Clone(as[i].toks), as[j].toks...)
				return moneyCand{amount: amount{k: other, toks: toks, lookalike: true, frac: true, fracLen: 2}, line: c.line, weight: c.weight, unsure: true}, true
			}
		}
	}
	return moneyCand{}, false
}

// gluedNearShare is how far from the rows' sum, as a share of it, a
// figure read with its leading groups glued (gluedLead) may be and still
// be offered to a clerk: one misread digit of a row moves the sum by less.
// Seed 31's realistic УПД photo: 1 508 304,39 against rows summing to
// 1 508 293,39. Chosen by hand; it decides a value shown for review only.
const gluedNearShare = 0.01

// nearSum reports whether a is within gluedNearShare of sum.
func nearSum(a, sum pervichka.Kopecks) bool {
	d := a - sum
	if d < 0 {
		d = -d
	}
	return sum > 0 && float64(d) <= gluedNearShare*float64(sum)
}

func (x *extraction) crossCheckTotal(haveSum bool, sum pervichka.Kopecks, words *pervichka.Kopecks) {
	if x.total.empty() {
		return
	}
	agree := 0
	if haveSum {
		if sum == x.totalK {
			agree++
		} else {
			x.reason(pervichka.ReasonItemsSumMismatch, "")
			x.total.conf *= itemsMismatchFactor
		}
	}
	if words != nil {
		if *words == x.totalK {
			agree++
		} else {
			x.reason(pervichka.ReasonAmountWords, "")
			x.total.conf *= wordsMismatchFactor
		}
	}
	if len(x.total.toks) > 0 && x.rr != nil && agree == 0 && x.total.conf < x.cfg.MinConfidence {
		text, c, err := x.rr.ReadLine(x.ctx, x.total.toks[0].page, boxOf(x.total.toks), "0123456789 ,.")
		if err == nil {
			if k, err := pervichka.ParseKopecks(strings.TrimSpace(text)); err == nil && k == x.totalK {
				x.total.conf = max(x.total.conf, min(totalAgreedCap, (x.total.conf+c)/2+totalAgreedBonus))
			}
		}
	}
	switch agree {
	case 2:
		x.total.conf = max(x.total.conf, agreedTwiceConf)
	case 1:
		x.total.conf = max(x.total.conf, agreedOnceConf)
	}
}

package fields

import (
	"slices"
	"strconv"
	"strings"

	pervichka "github.com/pervichka/pervichka"
)

// Reading item rows by arithmetic, for tables whose heading OCR lost or
// garbled: a row is a line holding quantity, price and amount with
// amount = quantity × price, whatever columns they stand in. The check is
// strong evidence that the three numbers are what they seem; a name is the
// text before them, a unit the word between quantity and price.

// milli reads an amount as a quantity in thousandths («2,5» → 2500), or
// false when it cannot be one.
func milli(a amount) (int64, bool) {
	switch {
	case !a.frac:
		return int64(a.k) * 10, true // k is whole*100
	case a.fracLen <= 3:
		return a.qty, a.qty > 0
	}
	return 0, false
}

// arithRow reads one line as an item row, or false.
func arithRow(l *line, typ pervichka.DocType) (itemRow, bool) {
	as := amounts(l)
	for i := 0; i+2 < len(as); i++ {
		q, p, a := as[i], as[i+1], as[i+2]
		qm, ok := milli(q)
		if !ok || qm <= 0 || !p.frac || p.fracLen != 2 || !a.frac || a.fracLen != 2 {
			continue
		}
		fits := func(qm int64) bool {
			prod := int64(product(qm, p.k))
			tol := max(int64(1), qm/1000/2+1)
			d := prod - int64(a.k)
			return d <= tol && -d <= tol
		}
		if !fits(qm) {
			// «68 000» is «68,000» with the comma read as a space (the
			// forms print quantities with three decimals): the digit
			// groups joined as thousands must be taken back.
			if len(q.toks) < 2 || q.frac || qm%1000000 != 0 || !fits(qm/1000) {
				continue
			}
			q.k /= 1000
			q.qty = qm / 1000
			q.frac, q.fracLen = true, 3
		}
		return arithRowAt(l, typ, q, p, a, as[i+3:]), true
	}
	if r, ok := oneDigitArithRow(l, typ, as); ok {
		return r, true
	}
	return repairArithRow(l, typ, as)
}

// oneDigitArithRow reads a row whose quantity, price and amount are all
// legible but one digit of one of them is wrong («169,36» for 369,36): the
// single-digit change that makes the product exact (fixOneDigit) is taken,
// and the row goes to a clerk as confused. Only for a line no exact triple
// fits.
func oneDigitArithRow(l *line, typ pervichka.DocType, as []amount) (itemRow, bool) {
	for i := 0; i+2 < len(as); i++ {
		q, p, a := as[i], as[i+1], as[i+2]
		qm, ok := milli(q)
		if !ok || qm <= 0 || !p.frac || p.fracLen != 2 || !a.frac || a.fracLen != 2 || p.k <= 0 || a.k <= 0 {
			continue
		}
		f, ok := fixOneDigit(qm, p.k, a.k, nil)
		if !ok {
			continue
		}
		q.qty, q.k = f.qm, pervichka.Kopecks(f.qm/10)
		q.frac, q.fracLen = f.qm%1000 != 0, 3
		p.k, a.k = f.p, f.a
		r := arithRowAt(l, typ, q, p, a, as[i+3:])
		r.conf = min(r.conf, repairedRowCap)
		r.repaired, r.confused = true, true
		return r, true
	}
	return itemRow{}, false
}

// repairArithRow reads a row whose price or amount OCR garbled («2$0.00»,
// «$7156.56»): a quantity next to a money figure, and between or after
// them words that read as the figure the arithmetic expects (readsAs).
// The row is marked repaired.
func repairArithRow(l *line, typ pervichka.DocType, as []amount) (itemRow, bool) {
	for i := 0; i+1 < len(as); i++ {
		q, x := as[i], as[i+1]
		qm, ok := milli(q)
		if !ok || qm <= 0 || !x.frac || x.fracLen != 2 || q.fracLen == 2 {
			continue
		}
		// x is the amount, the price garbled between them.
		if between := l.toks[q.last+1 : x.first]; len(between) > 0 && (int64(x.k)*1000)%qm == 0 {
			pk := pervichka.Kopecks(int64(x.k) * 1000 / qm)
			if readsAs(between, pk) {
				p := amount{k: pk, frac: true, fracLen: 2, toks: between, first: q.last + 1, last: x.first - 1, lookalike: true}
				r := arithRowAt(l, typ, q, p, x, as[i+2:])
				r.repaired = true
				r.conf = min(r.conf, repairedRowCap)
				return r, true
			}
		}
		// x is the price, the amount garbled after it.
		prod := product(qm, x.k)
		end := len(l.toks)
		if i+2 < len(as) {
			end = as[i+2].first
		}
		for j := x.last + 1; j < end && j <= x.last+3; j++ {
			if readsAs(l.toks[j:j+1], prod) {
				a := amount{k: prod, frac: true, fracLen: 2, toks: l.toks[j : j+1], first: j, last: j, lookalike: true}
				var rest []amount
				for _, y := range as[i+2:] {
					if y.first > j {
						rest = append(rest, y)
					}
				}
				r := arithRowAt(l, typ, q, x, a, rest)
				r.repaired = true
				r.conf = min(r.conf, repairedRowCap)
				return r, true
			}
		}
	}
	return itemRow{}, false
}

// arithRowAt builds the row from its quantity, price and amount and the
// figures after them.
func arithRowAt(l *line, typ pervichka.DocType, q, p, a amount, rest []amount) itemRow {
	qm, _ := milli(q)
	{
		var r itemRow
		r.conf = min(q.conf(), p.conf(), a.conf())
		// The name: words before the quantity, without the row number.
		nameToks := l.toks[:q.first]
		if len(nameToks) > 0 && isRowNumber(nameToks[0].text) {
			nameToks = nameToks[1:]
		}
		r.nameToks = nameToks
		r.item.Name = pervichka.Text(strings.TrimSpace(joinTokens(nameToks)))
		var unit []token
		for _, t := range l.toks[q.last+1 : p.first] {
			if _, _, isNum := cleanNumber(t.text); !isNum {
				unit = append(unit, t)
			}
		}
		if len(unit) == 0 {
			// Unit before quantity: the heading order «Ед. изм., Кол-во».
			if name, u := trailingUnit(nameToks, l.unit); len(u) > 0 {
				unit = u
				r.nameToks = name
				r.item.Name = pervichka.Text(strings.TrimSpace(joinTokens(name)))
			}
		}
		printed, code := strings.TrimSpace(joinTokens(unit)), ""
		if u, c, ok := unitWithCode(printed); ok {
			printed, code = u, c // «wt 796»: trailingUnit took the code too
		}
		r.item.Unit = pervichka.Text(itemUnit(printed, code))
		r.item.UnitCode = pervichka.Text(itemUnitCode(code))
		// The row is the whole line; colOther keeps the words no column
		// below names (the row number, a rate).
		r.cells = map[colKind][]token{colOther: l.toks, colName: r.nameToks, colUnit: unit, colQty: q.toks, colPrice: p.toks, colAmount: a.toks}
		r.item.Quantity = pervichka.Text(formatMilli(qm))
		r.item.Price = p.k.Text()
		r.amount, r.hasAmt = a.k, true
		// After the amount: «20%», VAT and the amount with VAT (счёт-фактура:
		// amount without tax, tax, amount with tax).
		for _, t := range l.toks[a.last+1:] {
			if m := rateRe.FindStringSubmatch(t.text); m != nil {
				r.rate, _ = strconv.Atoi(m[1])
			}
		}
		var money []amount
		for _, x := range rest {
			if x.frac && x.fracLen == 2 {
				money = append(money, x)
			}
		}
		switch {
		case len(money) >= 2 && a.k+money[0].k == money[1].k:
			r.vat, r.hasVAT = money[0].k, true
			r.amount = money[1].k
			r.cells[colVAT], r.cells[colAmount] = money[0].toks, money[1].toks
			r.conf = min(r.conf, money[0].conf(), money[1].conf())
		case len(money) >= 1 && r.rate > 0 && typ != pervichka.DocVATInvoice && typ != pervichka.DocUPD:
			r.vat, r.hasVAT = money[0].k, true
			r.cells[colVAT] = money[0].toks
			r.conf = min(r.conf, money[0].conf())
		}
		r.item.Amount = r.amount.Text()
		if r.hasVAT {
			r.item.VATAmount = r.vat.Text()
		}
		return r
	}
}

func formatMilli(m int64) string {
	s := strconv.FormatInt(m/1000, 10)
	if f := m % 1000; f != 0 {
		s += strings.TrimRight("."+strconv.FormatInt(1000+f, 10)[1:], "0")
	}
	return s
}

// arithTable reads the rows of a table by arithmetic between from and the
// totals; lines under a row without figures continue its name.
func arithTable(lines []line, from int, typ pervichka.DocType) tableResult {
	res := tableResult{header: -1, end: -1, conf: 1, rates: map[int]bool{}}
	last := -1
	for i := max(0, from); i < len(lines); i++ {
		l := &lines[i]
		if len(res.rows) > 0 && isTableEnd(l) {
			res.end = i
			break
		}
		if r, ok := arithRow(l, typ); ok {
			res.rows = append(res.rows, r)
			last = i
			res.conf = min(res.conf, r.conf)
			if r.rate > 0 {
				res.rates[r.rate] = true
			}
			continue
		}
		if last >= 0 && i == last+1 && l.page == lines[last].page && len(amounts(l)) == 0 &&
			float64(l.box.Y0-lines[last].box.Y1) < 1.5*l.unit && len(l.toks) <= 6 {
			// A wrapped name: only the words under the name's start.
			r := &res.rows[len(res.rows)-1]
			if len(r.nameToks) > 0 && l.toks[0].box.X0 >= r.nameToks[0].box.X0-int(l.unit) &&
				l.toks[len(l.toks)-1].box.X1 <= r.nameToks[len(r.nameToks)-1].box.X1+int(3*l.unit) {
				// A new slice: nameToks shares the row line's tokens, and
				// appending in place would write this line's words over
				// the row's quantity, price and amount in lines itself.
				r.nameToks = slices.Concat(r.nameToks, l.toks)
				r.cells[colName] = r.nameToks
				r.item.Name = pervichka.Text(joinTokens(r.nameToks))
				last = i
			}
		}
	}
	if len(res.rows) == 0 {
		res.conf = 0
	} else if res.end < 0 {
		res.end = last + 1
	}
	return res
}

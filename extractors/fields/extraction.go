package fields

import (
	"context"
	"slices"
	"strconv"
	"strings"

	pervichka "github.com/pervichka/pervichka"
	"github.com/pervichka/pervichka/extractors/ruvalid"
)

// extraction holds the state of reading one document.
type extraction struct {
	ctx   context.Context
	cfg   Config
	rr    Rereader
	lines []line

	typ     pervichka.DocType
	typConf float64
	title   *title
	number  value
	date    dateValue
	parties [2]partyResult
	bank    bankResult
	table   tableResult
	totals  totalsResult
	ref     *pervichka.ContractRef
	refConf float64
	refToks [2][]token // the words of the reference's number and date

	total   value
	totalK  pervichka.Kopecks
	vatRate string
	rateOK  float64
	vat     value
	vatK    pervichka.Kopecks

	conf    map[string]float64
	reasons []string

	// textLayer tells, per page, whether its words come from a
	// born-digital text layer (exact characters).
	textLayer []bool
	// second marks the key fields a second reading agreed with.
	second map[string]bool
	// boxed is set when the number and date were read from the boxes
	// beside a form's title (boxedNumberDate), not after a «№».
	boxed bool
	// ev is the gate's evidence per key field (evidence.go).
	ev map[string][]string
}

func newExtraction(ctx context.Context, pages []pervichka.Page, cfg Config, rr Rereader) *extraction {
	x := &extraction{ctx: ctx, cfg: cfg, rr: rr, lines: buildLines(pages), conf: map[string]float64{}, second: map[string]bool{}}
	for _, p := range pages {
		x.textLayer = append(x.textLayer, p.Source == pervichka.SourcePDFText)
	}
	return x
}

func (x *extraction) reason(code, suffix string) {
	r := code
	if suffix != "" {
		r += ":" + suffix
	}
	if !slices.Contains(x.reasons, r) {
		x.reasons = append(x.reasons, r)
	}
}

func (x *extraction) run() {
	x.typ, x.typConf, x.title = classify(x.lines)
	x.date = titleDate(x.lines, x.title)
	num := titleNumber(x.title)
	if num.empty() && x.date.empty() {
		num, x.date = boxedNumberDate(x.lines, x.title)
		x.boxed = !num.empty()
	}
	x.number = confirmNumber(x.lines, x.title, num, x.date)
	x.rereadNumber()
	x.rereadDate()
	x.rereadDateLine()
	x.checkSlashYear()
	if x.title != nil && x.title.score < weakTitleScore {
		x.number.conf *= weakTitleFactor
	}
	x.parties = extractParties(x.lines, x.typ)
	x.bank = findBank(x.lines, x.parties[0].column)
	x.table = findTable(x.lines, x.typ)
	x.totals = findTotals(x.lines, x.typ, x.table.end)
	x.checkTableByArithmetic()
	x.checkLostSeparators()
	x.checkRowsAgainstTotal()
	if x.typ != pervichka.DocContract {
		x.ref, x.refConf, x.refToks = findContractRef(x.lines, x.title)
	}
	x.checkParties()
	x.pickTotal()
	x.pickVAT()
	x.checkBank()
	x.collectEvidence()
	x.route()
	x.gate()
}

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
	// them checked by its own arithmetic (the sum check still flags it).
	if len(x.table.rows) == 0 || printed(as) || len(alt.rows) > len(x.table.rows) {
		x.table = alt
		if len(x.totals.totals) == 0 && len(x.totals.vats) == 0 {
			x.totals = findTotals(x.lines, x.typ, x.table.end)
		}
	}
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
	for _, r := range x.table.rows {
		if !r.hasAmt {
			return
		}
		sum += r.amount
	}
	if len(x.table.rows) == 0 || x.printedTotal(sum) {
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

// checkParties validates and, where OCR may have misread digits, re-reads
// or repairs the ИНН and КПП of both sides, and applies what we know of our
// own organisations.
func (x *extraction) checkParties() {
	x.useOwn()
	for r := range 2 {
		p := &x.parties[r]
		name := role(r).String()
		if p.inn.empty() {
			continue
		}
		if !ruvalid.ValidINN(p.inn.text) || p.inn.conf < x.cfg.MinConfidence || !x.onTextLayer(p.inn.toks) {
			// Even a sure OCR reading is read twice: the gate needs a
			// second reading, since one check digit lets one misread in
			// eleven through.
			x.rereadINN(p, name+".inn")
		}
		if !ruvalid.ValidINN(p.inn.text) {
			if own, ok := x.ownNeighbour(p.inn.text); ok {
				// One OCR confusion from one of our own ИНН: that is
				// the likeliest reading, though still a repair.
				p.inn.text = own
				p.inn.conf *= innRepairedFactor
				x.reason(pervichka.ReasonRepaired, name+".inn")
			} else if fixed, repaired, ok := ruvalid.RepairDigits(p.inn.text, ruvalid.ValidINN); ok && repaired {
				p.inn.text = fixed
				p.inn.conf *= innRepairedFactor
				x.reason(pervichka.ReasonRepaired, name+".inn")
			} else if fixed, ok := dropOneDigit(p.inn.text); ok {
				p.inn.text = fixed
				p.inn.conf *= innDroppedDigitFactor
				x.reason(pervichka.ReasonRepaired, name+".inn")
			}
		}
		p.innValid = ruvalid.ValidINN(p.inn.text)
		if !p.innValid {
			p.inn.conf *= checkFailedFactor
			x.reason(pervichka.ReasonINNChecksum, name)
		}
		if !p.kpp.empty() && (!ruvalid.ValidKPP(p.kpp.text) || p.kpp.conf < x.cfg.MinConfidence) {
			x.rereadKPP(p)
		}
		if !p.kpp.empty() {
			if !ruvalid.ValidKPP(p.kpp.text) {
				p.kpp.conf *= checkFailedFactor
				x.reason(pervichka.ReasonKPPFormat, name)
			} else if len(p.inn.text) == 10 && !ruvalid.KPPMatchesINN(p.kpp.text, p.inn.text) {
				p.kpp.conf *= kppNotINNFactor
				x.reason(pervichka.ReasonKPPNotINN, name)
			}
		}
	}
	s, b := x.parties[0], x.parties[1]
	if s.inn.text != "" && s.inn.text == b.inn.text {
		x.reason(pervichka.ReasonSameParty, "")
	}
	if len(x.cfg.Own) == 0 {
		return
	}
	ours := false
	for r := range 2 {
		p := &x.parties[r]
		for _, o := range x.cfg.Own {
			if string(o.INN) != p.inn.text || p.inn.text == "" {
				continue
			}
			ours = true
			if o.KPP != "" && !p.kpp.empty() && string(o.KPP) != p.kpp.text {
				x.reason(pervichka.ReasonOwnKPPMismatch, role(r).String())
			}
		}
	}
	if !ours {
		x.reason(pervichka.ReasonNoOwnCompany, "")
	}
}

// useOwn lets a known own ИНН settle the sides: a side left empty is filled
// from an own ИНН printed elsewhere on the page, and two sides found with no
// role label are ordered so that ours is the buyer.
func (x *extraction) useOwn() {
	if len(x.cfg.Own) == 0 {
		return
	}
	isOwn := func(inn string) bool {
		for _, o := range x.cfg.Own {
			if string(o.INN) == inn && inn != "" {
				return true
			}
		}
		return false
	}
	s, b := &x.parties[0], &x.parties[1]
	if s.guessedRole && b.guessedRole && isOwn(s.inn.text) && !isOwn(b.inn.text) {
		// Usually we are the buyer; still a guess (see guessedRole).
		*s, *b = *b, *s
	}
}

// rereadNumber reads the document number again, as the line it is printed
// in: from the title's first word to a few words past the number («Акт №
// 772/26 от 31 января»), without a whitelist. A number has no check digit,
// and a crop of the number alone reads a «/» as «1» even on a clean scan
// («772126» for «772/26», with or without a digit whitelist), while the line
// around it reads it right. A second reading that agrees (compared without
// spaces and with Latin look-alikes as Cyrillic) raises confidence; one
// that differs means a clerk must look; a line where no number is read
// gives no second opinion.
func (x *extraction) rereadNumber() {
	n, t := &x.number, x.title
	if x.rr == nil || len(n.toks) == 0 || x.onTextLayer(n.toks) || t == nil || t.numAt < 0 {
		return
	}
	ts := t.line.toks
	last := slices.IndexFunc(ts, func(tok token) bool { return tok.box == n.toks[len(n.toks)-1].box })
	if last < t.numAt {
		return
	}
	apart := func(i int) bool { return float64(ts[i].box.X0-ts[i-1].box.X1) > 3*t.line.unit }
	end := last + 1
	for end < len(ts) && end <= last+4 && !isFormMarker(ts[end].text) && !apart(end) {
		end++
	}
	// The title's words before the sign belong in the crop too: «Акт №
	// 772/26 …» reads right where «№ 772/26 …» alone reads «772126».
	start := t.numAt
	for start > t.keyword && start > 0 && !apart(start) {
		start--
	}
	text, c, err := x.rr.ReadLine(x.ctx, ts[start].page, boxOf(ts[start:end]), "")
	if err != nil {
		return
	}
	got, ok := numberInLine(text)
	if !ok {
		return
	}
	if numberForm(got) == numberForm(n.text) {
		n.conf = max(n.conf, min(rereadAgreedCap, (n.conf+c)/2+rereadAgreedBonus))
		x.second["number"] = true
		return
	}
	n.conf = min(n.conf, disagreedCap)
}

// numberInLine reads the number out of a re-read «№ 772/26 от 31 января»:
// the words after the sign (or from the start, when no sign was read but
// a number was) up to «от», a date or a form marker.
func numberInLine(text string) (string, bool) {
	words := strings.Fields(text)
	if i := slices.IndexFunc(words, func(w string) bool { return strings.HasPrefix(w, "№") }); i >= 0 {
		words[i] = strings.TrimPrefix(words[i], "№")
		words = words[i:]
	}
	var parts []string
	for _, w := range words {
		k := wordKey(w)
		if k == "от" || isFormMarker(w) {
			break
		}
		if _, ok := ruvalid.ParseDate(w); ok && len(parts) > 0 {
			break
		}
		if w != "" {
			parts = append(parts, w)
		}
	}
	num := strings.Trim(strings.Join(parts, " "), " ,.;:«»\"'")
	return num, num != ""
}

// checkSlashYear doubts an OCR'd number like «772126» dated 2026: numbers
// are often printed «772/26», and OCR (even a digit-only re-read) reads the
// slash as 1 or 7.
func (x *extraction) checkSlashYear() {
	n := x.number.text
	if x.number.empty() || x.date.empty() || len(n) < 4 || minConf(x.number.toks) >= 1 {
		return
	}
	for _, r := range n {
		if r < '0' || r > '9' {
			return
		}
	}
	yy := x.date.date.Format("06")
	if n[len(n)-2:] == yy && (n[len(n)-3] == '1' || n[len(n)-3] == '7') {
		x.number.conf = min(x.number.conf, slashYearCap)
	}
}

// rereadDate reads a numeric OCR'd date («20.03.2024») again with a digit
// whitelist; dates have no check digit and 3/8, 5/6 confusions keep them
// plausible, so a differing second reading sends the date to review.
func (x *extraction) rereadDate() {
	d := &x.date
	if x.rr == nil || len(d.toks) != 1 || x.onTextLayer(d.toks) {
		return
	}
	tok := d.toks[0]
	for _, r := range tok.text {
		if !(r >= '0' && r <= '9' || r == '.') {
			return // a date in words or with marks around it
		}
	}
	text, c, err := x.rr.ReadLine(x.ctx, tok.page, tok.box, "0123456789.")
	if err != nil {
		return
	}
	if nd, ok := ruvalid.ParseDate(strings.TrimSpace(text)); ok {
		if nd.Equal(d.date) {
			d.conf = max(d.conf, min(rereadAgreedCap, (d.conf+c)/2+rereadAgreedBonus))
			x.second["date"] = true
		} else {
			d.conf = min(d.conf, disagreedCap)
		}
	}
}

// rereadDateLine reads again a date printed with the month in words («17
// апреля 2024 г.», «"07" февраля 2023»): the crop of its words, day to
// year, as one line. Tesseract gives a short figure a low confidence even
// when it reads it right (a correct lone «1» at 0.24), which sent most
// photographed documents to a clerk for their date, and now and then
// reads a clear one wrong with a high one («"23"» as «"25"» at 0.95 on a
// clean scan). A second reading of the date alone, with its month around
// the figures (a figure cropped on its own reads worse: «75», «93» for that
// «"23"»), settles both: the same date again raises the confidence by
// both readings together, a different one sends the date to a clerk. A
// date assembled from joined words is not lifted.
func (x *extraction) rereadDateLine() {
	d := &x.date
	if x.rr == nil || d.empty() || len(d.toks) < 3 || x.onTextLayer(d.toks) {
		return
	}
	var box pervichka.Rect
	for _, t := range d.toks {
		if t.key == "г" || t.key == "года" {
			continue // «г.» adds a weak word and nothing to the date
		}
		box = box.Union(t.box)
	}
	text, c, err := x.rr.ReadLine(x.ctx, d.toks[0].page, box, "")
	if err != nil {
		return
	}
	// The second reading gets the same repairs as the first («714”
	// фепраля»: a quote read as 7), word by word.
	var ts []token
	for _, w := range strings.Fields(text) {
		ts = append(ts, token{text: w, key: wordKey(w), conf: 1})
	}
	ts = repairGluedYear(repairDayQuotes(joinSplitDate(ts)))
	for i := range ts {
		ts[i].text = strings.Trim(ts[i].text, dayQuotes)
	}
	ms := ruvalid.FindDates(joinTokens(ts))
	if len(ms) == 0 {
		return // nothing legible: no second opinion
	}
	if !ms[0].Date.Equal(d.date) {
		d.conf = min(d.conf, disagreedCap)
		return
	}
	// Two readings that agree, one of the whole line at another scale,
	// err together far less often than either alone: combined as
	// independent (1 − (1−c₁)(1−c₂)), which they are not quite, so never
	// above confirmedConf.
	if !d.assembled {
		d.conf = max(d.conf, min(confirmedConf, 1-(1-d.conf)*(1-c)))
		x.second["date"] = true
	}
}

// rereadINN asks the OCR engine to read the ИНН box again with a digit
// whitelist; two readings that agree are trusted more than one.
func (x *extraction) rereadINN(p *partyResult, field string) {
	if x.rr == nil || len(p.inn.toks) == 0 {
		return
	}
	text, c, err := x.rr.ReadLine(x.ctx, p.inn.toks[0].page, boxOf(p.inn.toks), "0123456789/")
	if err != nil {
		return
	}
	d := onlyDigits(text)
	if len(d) > 12 {
		if cand := d[:len(p.inn.text)]; ruvalid.ValidINN(cand) {
			d = cand
		}
	}
	switch {
	case d == p.inn.text && ruvalid.ValidINN(d):
		p.inn.conf = max(p.inn.conf, min(idAgreedCap, (p.inn.conf+c)/2+idAgreedBonus))
		x.second[field] = true
	case ruvalid.ValidINN(d) && !ruvalid.ValidINN(p.inn.text):
		p.inn.text = d
		p.inn.conf = c * innReplacedFactor
	case ruvalid.ValidINN(d) && ruvalid.ValidINN(p.inn.text):
		// Two valid readings that differ: do not guess.
		p.inn.conf = min(p.inn.conf, disagreedCap)
	}
}

// rereadKPP reads a doubtful КПП again. A КПП has no check digit, so a
// second reading only confirms (raising confidence) or replaces a value
// that does not even have the КПП form.
func (x *extraction) rereadKPP(p *partyResult) {
	if x.rr == nil || len(p.kpp.toks) == 0 {
		return
	}
	text, c, err := x.rr.ReadLine(x.ctx, p.kpp.toks[0].page, boxOf(p.kpp.toks), "0123456789")
	if err != nil {
		return
	}
	d := onlyDigits(text)
	if len(d) > 9 && len(p.inn.text) > 0 && strings.HasPrefix(d, p.inn.text) {
		d = d[len(p.inn.text):] // the box held «ИНН/КПП» glued
	}
	switch {
	case d == p.kpp.text:
		p.kpp.conf = max(p.kpp.conf, min(idAgreedCap, (p.kpp.conf+c)/2+idAgreedBonus))
	case ruvalid.ValidKPP(d) && !ruvalid.ValidKPP(p.kpp.text):
		p.kpp.text, p.kpp.conf = d, c*kppReplacedFactor
	case ruvalid.ValidKPP(d):
		p.kpp.conf = min(p.kpp.conf, disagreedCap)
	}
}

func onlyDigits(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	return b.String()
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
			x.totalK = *words
			x.total = value{text: words.String(), conf: onlyWordsFactor * x.totals.words.conf}
		}
		x.crossCheckTotal(haveSum, sum, words)
		return
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
	noVAT := x.totals.noVAT
	if noVAT && len(x.totals.vats) == 0 && !x.ratePrinted() {
		x.vatRate = pervichka.VATNone
		x.rateOK = x.totals.noVATAt
		x.conf["vat_amount"] = x.totals.noVATAt
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
			if len(rates) > 1 {
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
	arith := chosen != nil
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
	if arith {
		// The arithmetic vouches for the VAT only as far as the total
		// it was checked against is itself sure.
		x.vat.conf = max(x.vat.conf, min(vatArithmeticCap, x.total.conf))
		x.rateOK = max(x.rateOK, min(vatArithmeticCap, x.total.conf))
	}
}

func validRate(r int) bool {
	switch r {
	case 0, 5, 7, 10, 18, 20, 22:
		return true
	}
	return false
}

// checkBank validates the bank block by the account keys.
func (x *extraction) checkBank() {
	if !x.bank.found() {
		return
	}
	b := &x.bank
	if !b.bik.empty() && !b.bikValid {
		b.bik.conf *= checkFailedFactor
		x.reason(pervichka.ReasonBIK, "")
	}
	if !b.account.empty() && !b.accValid {
		b.account.conf *= checkFailedFactor
		x.reason(pervichka.ReasonAccountKey, "")
	}
	if b.accRepaired {
		x.reason(pervichka.ReasonRepaired, "supplier_bank.account")
	}
	if !b.corr.empty() && !b.corrValid {
		b.corr.conf *= checkFailedFactor
		x.reason(pervichka.ReasonCorrAccountKey, "")
	}
}

// route decides needs_review from the key fields and the reasons found.
func (x *extraction) route() {
	if x.typ == pervichka.DocUnknown {
		x.reason(pervichka.ReasonDocTypeUnknown, "")
	}
	if !x.date.empty() && !ruvalid.PlausibleDate(x.date.date, x.cfg.Now) {
		x.date.conf *= checkFailedFactor
		x.reason(pervichka.ReasonDateImplausible, "")
	}
	if x.vatRate != "" && x.vatRate != pervichka.VATMixed && !x.date.empty() && !ruvalid.VATRateLegal(x.vatRate, x.date.date) {
		x.reason(pervichka.ReasonVATRateIllegal, "")
	}
	// Arithmetic chose some figures of the rows, not the reading: they
	// stand only when the rows add up to the printed total.
	var sum pervichka.Kopecks
	repaired, confused, summed := false, false, true
	for _, r := range x.table.rows {
		repaired = repaired || r.repaired
		confused = confused || r.confused
		summed = summed && r.hasAmt
		sum += r.amount
	}
	if repaired {
		total, err := pervichka.ParseKopecks(x.total.text)
		switch reconciled := err == nil && summed && total == sum; {
		case !reconciled:
			x.reason(pervichka.ReasonRepaired, "items")
		case confused && (x.number.conf < confirmedConf || x.date.conf < confirmedConf):
			// A digit OCR changed into another digit in the table may
			// have been changed in the number or the date too, which no
			// check digit guards: only readings confirmed by a second one
			// (or read surely) let such a document pass.
			x.reason(pervichka.ReasonRepaired, "items")
		case confused:
			x.reason(pervichka.ReasonRowsRepaired, "")
		}
	}
	s, b := x.parties[0], x.parties[1]
	// Sure digits on a guessed side are still a guess.
	for _, p := range []*partyResult{&s, &b} {
		if p.guessedRole {
			p.inn.conf = min(p.inn.conf, guessedSideCap)
		}
	}
	key := map[string]value{
		"doc_type":      {text: string(x.typ), conf: x.typConf},
		"number":        x.number,
		"date":          x.date.value,
		"supplier.inn":  s.inn,
		"buyer.inn":     b.inn,
		"total":         x.total,
		"vat_amount":    x.vat,
		"supplier.name": s.name,
		"buyer.name":    b.name,
	}
	if x.typ == pervichka.DocUnknown {
		key["doc_type"] = value{}
	}
	for _, f := range pervichka.KeyFields {
		v := key[f]
		if f == "vat_amount" && x.vatRate == pervichka.VATNone {
			v = value{text: "none", conf: x.rateOK}
		}
		if v.empty() {
			x.reason(pervichka.ReasonMissing, f)
			continue
		}
		if v.conf < x.cfg.MinConfidence {
			x.reason(pervichka.ReasonLowConfidence, f)
		}
	}
}

// result assembles the output.
func (x *extraction) result() pervichka.Result {
	s, b := x.parties[0], x.parties[1]
	res := pervichka.Result{
		DocType:       x.typ,
		Number:        pervichka.Text(x.number.text),
		Date:          pervichka.Text(x.date.text),
		Supplier:      party(s),
		Buyer:         party(b),
		SupplierBank:  x.bank.output(),
		ContractRef:   x.ref,
		Currency:      "RUB",
		Total:         pervichka.Text(x.total.text),
		VATRate:       pervichka.Text(x.vatRate),
		VATAmount:     pervichka.Text(x.vat.text),
		Items:         make([]pervichka.Item, 0, len(x.table.rows)),
		ReviewReasons: append([]string{}, x.reasons...),
	}
	if x.vatRate == pervichka.VATNone {
		res.VATAmount = ""
	}
	rate, rateErr := strconv.Atoi(x.vatRate)
	for _, r := range x.table.rows {
		it := r.item
		it.Name, it.Unit = trimCellEdges(it.Name), trimCellEdges(it.Unit)
		if it.VATAmount == "" && r.hasAmt && rateErr == nil && x.vatRate != pervichka.VATNone {
			// A table without a VAT column: the line's VAT by the
			// document's single rate, as the tax is computed per line.
			it.VATAmount = ruvalid.VATFromGross(r.amount, rate).Text()
		}
		res.Items = append(res.Items, it)
	}
	c := x.conf
	set := func(k string, v value) {
		if !v.empty() {
			c[k] = round2(v.conf)
		}
	}
	c["doc_type"] = round2(x.typConf)
	set("number", x.number)
	set("date", x.date.value)
	for i, p := range []partyResult{s, b} {
		n := role(i).String()
		if p.guessedRole {
			p.inn.conf = min(p.inn.conf, guessedSideCap)
		}
		set(n+".name", p.name)
		set(n+".inn", p.inn)
		set(n+".kpp", p.kpp)
	}
	set("supplier_bank.bank_name", x.bank.name)
	set("supplier_bank.bik", x.bank.bik)
	set("supplier_bank.account", x.bank.account)
	set("supplier_bank.corr_account", x.bank.corr)
	if x.ref != nil {
		c["contract_ref.number"] = round2(x.refConf)
		if x.ref.Date != "" {
			c["contract_ref.date"] = round2(x.refConf)
		}
	}
	c["currency"] = 1
	set("total", x.total)
	if x.vatRate != "" {
		c["vat_rate"] = round2(x.rateOK)
	}
	if x.vatRate != pervichka.VATNone {
		set("vat_amount", x.vat)
	} else {
		c["vat_amount"] = round2(x.rateOK)
	}
	if len(x.table.rows) > 0 {
		ic := x.table.conf
		if slices.Contains(x.reasons, pervichka.ReasonItemsSumMismatch) {
			ic *= itemsSumMismatchFactor
		}
		c["items"] = round2(ic)
	}
	res.Confidence = c
	if len(x.ev) > 0 {
		res.Evidence = x.ev
	}
	res.Locations = x.locations(&res)
	res.NeedsReview = blocking(res.ReviewReasons)
	for _, f := range pervichka.KeyFields {
		if keyEmpty(&res, f) {
			res.NeedsReview = true
		}
	}
	return res
}

// keyEmpty reports whether a key field is empty in a result (vat_amount
// counts as present for a «Без НДС» document).
func keyEmpty(r *pervichka.Result, f string) bool {
	switch f {
	case "doc_type":
		return r.DocType == "" || r.DocType == pervichka.DocUnknown
	case "number":
		return r.Number == ""
	case "date":
		return r.Date == ""
	case "supplier.inn":
		return r.Supplier.INN == ""
	case "buyer.inn":
		return r.Buyer.INN == ""
	case "total":
		return r.Total == ""
	case "vat_amount":
		return r.VATAmount == "" && r.VATRate != pervichka.VATNone
	case "supplier.name":
		return r.Supplier.Name == ""
	case "buyer.name":
		return r.Buyer.Name == ""
	}
	return true // a key field this code does not know: never post blind
}

func party(p partyResult) pervichka.Party {
	return pervichka.Party{Name: pervichka.Text(p.name.text), INN: pervichka.Text(p.inn.text), KPP: pervichka.Text(p.kpp.text)}
}

func round2(f float64) float64 {
	return float64(int(f*100+0.5)) / 100
}

// findContractRef reads «Основание: Договор № 15/24 от 01.02.2024» (or «по
// договору № … от …»), with the words of its number and date.
func findContractRef(lines []line, t *title) (*pervichka.ContractRef, float64, [2][]token) {
	for li := range lines {
		l := &lines[li]
		if t != nil && t.line.idx == li {
			continue
		}
		for i, tok := range l.toks {
			if !strings.HasPrefix(tok.key, "договор") {
				continue
			}
			k := l.keys()
			if !strings.Contains(k, "основани") && !strings.HasPrefix(tok.key, "договору") && i != 0 {
				continue
			}
			sign := findNumberSign(l.toks, i+1)
			if sign < 0 || sign > i+2 {
				continue
			}
			num := titleNumber(&title{line: l, numAt: sign, keyword: i})
			if num.empty() {
				continue
			}
			ref := &pervichka.ContractRef{Number: pervichka.Text(num.text)}
			c := num.conf
			toks := [2][]token{num.toks}
			if d, ok := findDate(l.toks, sign); ok {
				ref.Date = pervichka.Text(d.text)
				c = min(c, d.conf)
				toks[1] = d.toks
			}
			return ref, c, toks
		}
	}
	return nil, 0, [2][]token{}
}

// advisory reasons are reported but do not by themselves stop a document:
// a КПП of a branch registered in another region is legal and common, and
// rows_repaired is given only where the repaired rows add up and the
// number and date are confirmed (route).
var advisory = map[string]bool{pervichka.ReasonKPPNotINN: true, pervichka.ReasonRowsRepaired: true}

// blocking reports whether any reason must send the document to review.
func blocking(reasons []string) bool {
	for _, r := range reasons {
		code, _, _ := strings.Cut(r, ":")
		if !advisory[code] {
			return true
		}
	}
	return false
}

// dropOneDigit repairs an ИНН that OCR read with one digit doubled or
// inserted («5924452444865», 13 digits). Readings with one digit of a
// doubled pair removed are tried first (the usual OCR fault), then every
// single removal; a set of readings stands only when exactly one distinct
// reading in it passes the check digits (ok false otherwise: a ten-digit
// ИНН has one check digit, so several removals often pass by chance).
func dropOneDigit(s string) (string, bool) {
	if len(s) != 11 && len(s) != 13 {
		return "", false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return "", false
		}
	}
	try := func(doubledOnly bool) (string, bool) {
		found := ""
		for i := range len(s) {
			if doubledOnly && !(i > 0 && s[i-1] == s[i]) {
				continue
			}
			c := s[:i] + s[i+1:]
			if !ruvalid.ValidINN(c) || c == found {
				continue
			}
			if found != "" {
				return "", false
			}
			found = c
		}
		return found, found != ""
	}
	if c, ok := try(true); ok {
		return c, true
	}
	return try(false)
}

// ownNeighbour returns the own ИНН that an invalid reading is one OCR
// confusion away from (ruvalid.RepairCandidates), when exactly one is.
func (x *extraction) ownNeighbour(inn string) (string, bool) {
	if len(x.cfg.Own) == 0 {
		return "", false
	}
	found := ""
	for _, c := range ruvalid.RepairCandidates(inn, ruvalid.ValidINN) {
		for _, o := range x.cfg.Own {
			if string(o.INN) == c && c != found {
				if found != "" {
					return "", false
				}
				found = c
			}
		}
	}
	return found, found != ""
}

// trimCellEdges drops what OCR makes of a table's rules at the edges of a
// cell's text: «|Картридж», «[усл ед», «шт]».
func trimCellEdges(t pervichka.Text) pervichka.Text {
	return pervichka.Text(strings.TrimSpace(strings.Trim(strings.TrimSpace(string(t)), "|[]_")))
}

package fields

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"unicode"

	pervichka "github.com/pervichka/pervichka"
	"github.com/pervichka/pervichka/extractors/ruvalid"
)

// The run of one document, in the order run calls the stages, and the
// files that hold them:
//
//	lines.go                  words into lines (buildLines, in newExtraction)
//	classify.go, title.go     the type; the title's number and date
//	number_date.go            their second readings and doubts; the contract reference
//	parties.go, names.go      the sides: ИНН, КПП and names by role label
//	bank.go                   the supplier's bank details
//	items.go (and items_*)    the items table; items.go says which file does what
//	totals.go                 the labelled total and VAT candidates
//	totals_pick.go            the rows against the printed total; the total chosen
//	parties_check.go          check digits, re-reads and repairs of ИНН, КПП, bank
//	vat_pick.go               the VAT rate and amount by the arithmetic
//	evidence.go               the evidence per key field; the gate and its invariants
//	this file                 route (the reasons) and result (the output)
//	locations.go              where each value is printed (called by result)
//
// thresholds.go holds the confidences all of them decide by.

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

	total  value
	totalK pervichka.Kopecks
	// totalFromWords: the total is the amount in words, no figure and no
	// rows read; the words are then its only reading, not evidence for it.
	totalFromWords bool
	vatRate        string
	rateOK         float64
	vat            value
	vatK           pervichka.Kopecks

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
	// cropped names the fields ("number", "date") read from a crop of
	// their box because the page's reading beside the title had none
	// (readBoxesAgain): a second reading of the same crop would only say
	// the same, and must not vouch for them.
	cropped map[string]bool
	// ev is the gate's evidence per key field (evidence.go).
	ev map[string][]string
}

func newExtraction(ctx context.Context, pages []pervichka.Page, cfg Config, rr Rereader) *extraction {
	x := &extraction{ctx: ctx, cfg: cfg, rr: rr, lines: buildLines(pages), conf: map[string]float64{}, second: map[string]bool{}, cropped: map[string]bool{}}
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
		num = x.readBoxesAgain(num)
		x.boxed = !num.empty()
	}
	x.number = confirmNumber(x.lines, x.title, num, x.date)
	x.rereadNumber()
	x.dateFromShipmentLine()
	x.rereadDate()
	x.rereadDateLine()
	x.checkDateElsewhere()
	x.checkSlashYear()
	if x.title != nil && x.title.score < weakTitleScore {
		x.number.conf *= weakTitleFactor
	}
	x.parties = extractParties(x.lines, x.typ)
	x.bank = findBank(x.lines, x.parties[0].column)
	x.rereadBIK()
	x.table = findTable(x.lines, x.typ)
	x.rereadRowAmounts()
	x.totals = findTotals(x.lines, x.typ, x.table.end)
	x.checkTableByArithmetic()
	x.checkLostSeparators()
	x.checkRowsAgainstTotal()
	if x.typ != pervichka.DocContract {
		x.ref, x.refConf, x.refToks = findContractRef(x.lines, x.title)
		x.checkRefPrinting()
	}
	x.checkParties()
	x.mendNamesFromPrintings()
	x.pickTotal()
	x.pickVAT()
	x.checkBank()
	x.collectEvidence()
	x.route()
	x.gate()
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
	for _, p := range []*partyResult{&s, &b} {
		capGuessedSide(p)
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

// capGuessedSide caps every requisite of a side whose role was taken from
// the reading order: sure digits on a guessed side are still a guess, and
// the КПП and name printed with its ИНН are the same guess. Seed 9401's
// photographed ТОРГ-12 008, its payer's label read «ИЕ», had the
// consignor's КПП delivered as the buyer's at 0.96 beside its ИНН at 0.37.
func capGuessedSide(p *partyResult) {
	if !p.guessedRole {
		return
	}
	p.inn.conf = min(p.inn.conf, guessedSideCap)
	p.kpp.conf = min(p.kpp.conf, guessedSideCap)
	p.name.conf = min(p.name.conf, guessedSideCap)
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
		if !x.onTextLayer(r.nameToks) {
			// A comma ending an OCR'd name is a speck or the end of a
			// line whose next one was read into another row («… за март
			// 2024 г.,», 9901's realistic act 003): no name ends so.
			it.Name = pervichka.Text(strings.TrimRight(mendNameWords(trimNameRule(string(it.Name))), ", "))
		}
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
		capGuessedSide(&p)
		set(n+".name", p.name)
		set(n+".inn", p.inn)
		set(n+".kpp", p.kpp)
	}
	if x.bank.found() {
		// Without a БИК or an account no bank block is delivered (output):
		// a correspondent account read alone must not show a confidence
		// for a value the result does not hold.
		set("supplier_bank.bank_name", x.bank.name)
		set("supplier_bank.bik", x.bank.bik)
		set("supplier_bank.account", x.bank.account)
		set("supplier_bank.corr_account", x.bank.corr)
	}
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
	for _, f := range pervichka.KeyFields {
		if _, ok := c[f]; ok && slices.Contains(x.reasons, pervichka.ReasonUnconfirmed+":"+f) {
			c[f] = min(c[f], unconfirmedCap)
		}
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

// blocking reports whether any reason must send the document to review.
func blocking(reasons []string) bool { return pervichka.Blocking(reasons) }

// trimCellEdges drops what OCR makes of a table's rules at the edges of a
// cell's text: «|Картридж», «[усл ед», «шт]».
func trimCellEdges(t pervichka.Text) pervichka.Text {
	return pervichka.Text(strings.TrimSpace(strings.Trim(strings.TrimSpace(string(t)), "|[]_")))
}

// trimNameRule drops the mark OCR made of a cell's left rule and the rule
// above it, glued to an OCR'd name's first word: «ГБумага», «ГМешки» (the
// corner read as «Г») and «"Перчатки» with no closing quote in the name
// (seed 10031's realistic bill 009, six rows of 32). «Г» goes only before
// a capital and a small letter, which no word starts with after a «Г»;
// a quote only when the name has no other.
func trimNameRule(name string) string {
	r := []rune(name)
	if len(r) < 4 {
		return name
	}
	switch {
	case r[0] == 'Г' && unicode.IsUpper(r[1]) && unicode.IsLower(r[2]) && unicode.IsLower(r[3]):
		return string(r[1:])
	case (r[0] == '"' || r[0] == '“' || r[0] == '\'') && strings.Count(name, string(r[0])) == 1 &&
		!strings.ContainsAny(name, "«»„”") && unicode.IsUpper(r[1]):
		return string(r[1:])
	}
	return name
}

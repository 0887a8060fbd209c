package fields

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	pervichka "github.com/pervichka/pervichka"
	"github.com/pervichka/pervichka/extractors/ruvalid"
)

// The approval gate. Routing used to approve a document unless some check
// found a problem; on a layout the checks were not written for they do not
// fire, and the absence of a detected problem was taken for evidence. The
// gate turns that around: every key field must be vouched for by at least
// one piece of evidence independent of the reading that produced it (a
// second reading, a second printing, arithmetic, a check against what we
// know), and the document must break none of the invariants below, or it
// goes to a clerk with a reason naming the field.
//
// What counts, per field (kinds in the root package's evidence.go):
//
//   - doc_type: the form's markers agree with the title (form_markers).
//   - number, date: a second reading or a second printing that agrees; on a
//     text layer the characters are exact and the title's «№ … от …»
//     places them (pdf_text).
//   - supplier.inn, buyer.inn: the check digits must pass (check_digit) and
//     one more: a second reading, a second printing, our own ИНН, or a text
//     layer. One check digit lets about one misread in eleven through.
//   - total: Σ of the rows (all read), the amount in words, base + VAT =
//     total printed, a second printing under another label, or a second
//     reading. A text layer is not enough: it reads every amount exactly,
//     but which one is the total is the layout's guess.
//   - vat_amount: the read rate applied to the total giving exactly the
//     read VAT (per line or in total), the rows' VAT column, a second
//     printing or reading; on «Без НДС» the words with no VAT figure
//     anywhere (no_vat) stand for the absent amount.
//   - supplier.name, buyer.name: a second printing on the page, our own
//     organisation's name for our ИНН, or a text layer (a second reading
//     is recorded but not enough: see insufficient); outside the engine,
//     the counterparty directory's name for the ИНН (review.CheckDirectory);
//     and the name must look like one (a legal form, no title words).
//
// Arithmetic counts only when it is exact: the kopeck of slack per line
// that VAT rounding needs would let a misread last digit through.

// gate checks the invariants and sends each key field with no evidence
// (collectEvidence) to review.
func (x *extraction) gate() {
	x.invariants()
	for _, f := range pervichka.KeyFields {
		if !x.keyPresent(f) || x.sufficient(f) {
			continue
		}
		x.reason(pervichka.ReasonUnconfirmed, f)
	}
}

// nameAgreedConf is the confidence of a name that a second printing agreed
// with, letter for letter after normalisation (a second reading alone lifts
// nothing: see insufficient): OCR
// gives a name the confidence of its weakest word, and quotes alone («“»)
// drag a right name under the routing threshold. Our own organisation's
// configured name for its ИНН is worth more (nameOwnConf). Both are
// checked by the reliability table (docs/benchmarks.md).
//
// nameMendedCap caps a name mendName took from a second reading because
// the first did not look like a name. It is under DefaultMinConfidence on
// purpose: a repair is shown to a clerk as doubtful unless evidence of its
// own lifts it. Not measured: a cap under the routing threshold decides
// nothing an evidence rule does not decide too.
//
// nameOwnProposedConf is the confidence of our configured name proposed
// for a side whose name was not read at all but whose ИНН and КПП are
// ours (ownByRequisites): under DefaultMinConfidence, so that the
// document goes to a clerk, who sees the name highlighted. The print may
// name us otherwise, or be another's error; nothing on the page was read
// to say so.
//
// innOwnConf is the confidence of our own ИНН under our name, its check
// digits right and a second reading agreeing: above DefaultMinConfidence,
// so that the side's digits read unsurely twice do not hold the document
// on their own; under the review UI's sure threshold (0.95) when nothing
// else lifted it. Chosen by hand; the mutation soak holds it (a digit
// changed breaks the check digits or makes the ИНН not ours).
const (
	innOwnConf          = 0.9
	nameAgreedConf      = confirmedConf
	nameOwnConf         = 0.97
	nameMendedCap       = 0.75
	nameOwnProposedConf = 0.75
)

// ownByRequisites returns our organisation whose ИНН and КПП side r
// carries: its ИНН sufficient (for our ИНН, a right check digit not
// repaired and the directory's entry) and its КПП read and equal to the
// configured one: one misread digit would have to keep the check digit
// right and land on our ИНН, with our КПП beside it.
func (x *extraction) ownByRequisites(r int) (pervichka.Party, bool) {
	p := &x.parties[r]
	if p.inn.empty() || p.kpp.empty() || !x.sufficient(role(r).String()+".inn") {
		return pervichka.Party{}, false
	}
	for _, o := range x.cfg.Own {
		if o.Name != "" && o.KPP != "" && string(o.INN) == p.inn.text && string(o.KPP) == p.kpp.text {
			return o, true
		}
	}
	return pervichka.Party{}, false
}

// collectEvidence records, per key field, what corroborates its value
// (before route, which reads the names' confidence lifted here).
func (x *extraction) collectEvidence() {
	x.ev = map[string][]string{}
	add := func(f, kind string) {
		if !slices.Contains(x.ev[f], kind) {
			x.ev[f] = append(x.ev[f], kind)
		}
	}

	// doc_type
	if x.typ != pervichka.DocUnknown {
		agree, against := formMarkers(x.lines, x.typ)
		if agree {
			add("doc_type", pervichka.EvidenceFormMarkers)
		}
		if against {
			x.reason(pervichka.ReasonDocTypeMarkers, "")
		}
	}

	// number and date
	if !x.number.empty() {
		if x.onTextLayer(x.number.toks) && x.title != nil && (x.title.numAt >= 0 || x.boxed) {
			add("number", pervichka.EvidencePDFText)
		}
		if x.second["number"] {
			add("number", pervichka.EvidenceSecondReading)
		}
	}
	if !x.date.empty() {
		if x.onTextLayer(x.date.toks) {
			add("date", pervichka.EvidencePDFText)
		}
		if x.second["date"] {
			add("date", pervichka.EvidenceSecondReading)
		}
	}
	if x.numberDateRepeated() {
		add("number", pervichka.EvidenceRepeated)
		add("date", pervichka.EvidenceRepeated)
	}

	// ИНН
	for r := range 2 {
		p := &x.parties[r]
		f := role(r).String() + ".inn"
		if p.inn.empty() || !ruvalid.ValidINN(p.inn.text) {
			continue
		}
		if !slices.Contains(x.reasons, pervichka.ReasonRepaired+":"+f) {
			add(f, pervichka.EvidenceCheckDigit)
		}
		if x.onTextLayer(p.inn.toks) {
			add(f, pervichka.EvidencePDFText)
		}
		if x.second[f] {
			add(f, pervichka.EvidenceSecondReading)
		}
		if x.digitsRepeated(p.inn.text, p.inn.toks) {
			add(f, pervichka.EvidenceRepeated)
		}
		for _, o := range x.cfg.Own {
			if string(o.INN) == p.inn.text {
				add(f, pervichka.EvidenceOwnCompany)
			}
		}
	}

	// total
	if !x.total.empty() {
		sum, all := x.rowSum()
		if all && sum == x.totalK && x.rowsAddUp() {
			add("total", pervichka.EvidenceItemsSum)
		}
		if x.totals.words != nil && x.totals.words.k == x.totalK && !x.totalFromWords {
			add("total", pervichka.EvidenceAmountWords)
		}
		if !x.vat.empty() && len(x.vat.toks) > 0 {
			for _, c := range x.totals.totals {
				if c.k != x.totalK && c.k+x.vatK == x.totalK {
					add("total", pervichka.EvidenceVATRate) // base + VAT = total, all three printed
					break
				}
			}
		}
		if x.moneyRepeated(x.totals.totals, x.totalK, x.total.toks) {
			add("total", pervichka.EvidenceRepeated)
		}
		if x.onTextLayer(x.total.toks) {
			add("total", pervichka.EvidencePDFText)
		}
		if !x.sufficient("total") && x.rereadsSame(x.total.toks, x.totalK) {
			add("total", pervichka.EvidenceSecondReading)
		}
	}

	// vat_amount
	switch {
	case x.vatRate == pervichka.VATNone:
		if x.totals.noVAT && len(x.totals.vats) == 0 && !x.rowsCarryVAT() && !x.ratePrinted() {
			add("vat_amount", pervichka.EvidenceNoVAT)
		}
	case !x.vat.empty() && len(x.vat.toks) > 0:
		if x.vatExact() {
			add("vat_amount", pervichka.EvidenceVATRate)
		}
		if col, ok := x.vatColumn(); ok && col == x.vatK {
			add("vat_amount", pervichka.EvidenceVATColumn)
		}
		if x.moneyRepeated(x.totals.vats, x.vatK, x.vat.toks) {
			add("vat_amount", pervichka.EvidenceRepeated)
		}
		if x.onTextLayer(x.vat.toks) {
			add("vat_amount", pervichka.EvidencePDFText)
		}
		if !x.sufficient("vat_amount") && x.rereadsSame(x.vat.toks, x.vatK) {
			add("vat_amount", pervichka.EvidenceSecondReading)
		}
	}

	// names
	for r := range 2 {
		p := &x.parties[r]
		f := role(r).String() + ".name"
		if p.name.empty() {
			if o, ok := x.ownByRequisites(r); ok {
				// No name read for a side whose ИНН (its check digit
				// right) and КПП are ours: our configured
				// name is proposed, under the routing threshold, for a
				// clerk to confirm against the page (seed 10031's
				// realistic ТОРГ-12 002 and УПД 014 and 10021's УПД 013
				// lost our name so).
				p.name = value{text: string(o.Name), conf: nameOwnProposedConf}
				add(f, pervichka.EvidenceOwnCompany)
			}
			continue
		}
		if x.onTextLayer(p.name.toks) {
			add(f, pervichka.EvidencePDFText)
		}
		// The name's words read again, once, when a check needs them.
		reread, rereadDone := "", false
		second := func() string {
			if !rereadDone {
				reread, rereadDone = x.rereadNameText(p.name), true
			}
			return reread
		}
		// A name taken from its second reading is that reading: the
		// reading does not vouch for itself.
		fromReread := false
		if !x.onTextLayer(p.name.toks) {
			p.name.text = foldOrgAbbrevs(p.name.text)
		}
		if hasLatinTwinWord(p.name.text) {
			if m, ok := cyrillicReading(p.name.text, second()); ok {
				p.name.text, fromReread = m, true
			}
		}
		if m, ok := x.soleTraderWordsReread(p.name); ok {
			p.name.text, fromReread = m, true
		}
		// A printing elsewhere is compared without punctuation, so it
		// cannot vouch for a mark no name is printed with (strayNameMark);
		// nor for a word OCR may have given in the wrong script: the same
		// recogniser reads the same print the same way twice (unseen seed
		// 8812's photographed bill 007 approved «ООО «ToprMactep»», both
		// printings of «ТоргМастер» read so).
		misread := strings.ContainsFunc(p.name.text, strayNameMark) || latinTwinWord(p.name.text) || latinTwinPair(p.name.text)
		// A name taken from another printing disagrees with the reading
		// at its label: a third printing read alike does not settle which
		// is right (unseen seed 9341's act 024: «Аврора-Юг» read «Аврора
		// Юг» at two printings, the hyphen lost in both, was lifted to
		// 0.9 by their agreement). The label's own printing read again
		// and agreeing does (nameRepeatedOnReread).
		stray := misread || p.fromPrinting
		switch {
		case !stray && x.nameRepeated(p.name),
			!misread && x.nameRepeatedOnReread(p.name):
			add(f, pervichka.EvidenceRepeated)
		}
		if !stray && x.signedBy(p.name) {
			add(f, pervichka.EvidenceSignature)
		}
		if !misread && !x.sufficient(f) && !x.ownINN(p.inn.text) {
			if v, kind, ok := x.nameByConsensus(p.name, second()); ok {
				p.name.text, p.fromPrinting = v.text, false
				add(f, kind)
			}
		}
		ownINN, ownNamed := false, false
		for _, o := range x.cfg.Own {
			if o.Name == "" || string(o.INN) != p.inn.text {
				continue
			}
			ownINN = true
			own, read := nameForm(string(o.Name)), nameForm(p.name.text)
			innSure := x.sufficient(role(r).String() + ".inn")
			switch {
			case own == read:
				if strings.ContainsFunc(p.name.text, strayNameMark) || ruvalid.NormalizeName(p.name.text) != ruvalid.NormalizeName(string(o.Name)) {
					// Our name with a mark no name is printed with, or
					// with the marks between its words misread, which the
					// comparison above does not see («= ООО
					// «ТеплоАльянс»», seed 8212, approved so; «ООО
					// «Магистраль. Центр»» shown as sure at 0.97 on
					// unseen seed 9971's act 014): deliver our spelling,
					// not the reading. Quotes and case count for nothing.
					p.name.text = string(o.Name)
				}
				ownNamed = true
				add(f, pervichka.EvidenceOwnCompany)
			case ruvalid.FoldLookalikes(own) == ruvalid.FoldLookalikes(read),
				innSure && sharesNameWord(string(o.Name), p.name.text),
				innSure && nameMisread(string(o.Name), p.name.text):
				// «AO "MK "ВЫСОТА"»: our own name, its letters read as
				// Latin twins; or «ae pila Высота»» under our ИНН, which
				// is vouched for by more than its check digits: the
				// directory entry for the ИНН names the side (issue 13).
				// Deliver the name as we spell it, not what OCR made of
				// it. A name sharing no word with ours stays as read and
				// goes to a clerk.
				// «ООО “ТеплоАльяис”» under our vouched ИНН is our
				// «ООО "ТеплоАльянс"» with a letter misread: a trust
				// soak's silent error, vouched for by the same misreading
				// printed twice.
				p.name.text = string(o.Name)
				p.name.conf = max(p.name.conf, nameOwnConf)
				ownNamed = true
				add(f, pervichka.EvidenceOwnCompany)
			case nameForm(second()) == own:
				// Our name garbled past the checks above — read in Latin
				// with letters of no twin («ООО “TennoAnpanc”», 9901's
				// realistic счёт-фактура 006, sent to a clerk as not
				// ours) — whose words, read again on their own, give our
				// name letter for letter under our ИНН: the pixels name
				// the side the directory names.
				p.name.text = string(o.Name)
				p.name.conf = max(p.name.conf, nameOwnConf)
				ownNamed = true
				add(f, pervichka.EvidenceOwnCompany)
			}
		}
		if ownINN && !ownNamed {
			// Our ИНН under a name that is not ours: OCR made another name
			// of ours, or the document names someone else. Either way a
			// clerk looks; the name's repetitions do not vouch for it,
			// nor is the ИНН sure (unseen seed 9421's photographed
			// счёт-фактура 006 gave its supplier our ИНН at 0.95 under
			// the supplier's name).
			x.reason(pervichka.ReasonOwnNameMismatch, role(r).String())
			p.inn.conf *= ownNameMismatchFactor
		}
		if innF := role(r).String() + ".inn"; ownNamed && p.inn.text != "" &&
			slices.Contains(x.ev[innF], pervichka.EvidenceCheckDigit) && slices.Contains(x.ev[innF], pervichka.EvidenceSecondReading) {
			// Our ИНН, its check digits right as read and a second
			// reading agreeing, under our name: three readings of the
			// side agree with our requisites, and no other organisation's
			// ИНН is ours. Two unsure readings of the digits (a photo's
			// 0.5 each) leave it under the routing threshold otherwise
			// (unseen seed 10231's realistic УПД 005 at 0.73, every key
			// field right).
			p.inn.conf = max(p.inn.conf, innOwnConf)
		}
		if !fromReread && !x.sufficient(f) && x.rereadAgrees(p.name, second()) {
			add(f, pervichka.EvidenceSecondReading)
		}
		ev := x.ev[f]
		switch {
		case slices.Contains(ev, pervichka.EvidenceOwnCompany):
			p.name.conf = max(p.name.conf, nameOwnConf)
		case slices.Contains(ev, pervichka.EvidenceRepeated),
			slices.Contains(ev, pervichka.EvidenceSignature):
			p.name.conf = max(p.name.conf, nameAgreedConf)
		}
	}
}

// insufficient lists, per field, evidence that is recorded but does not
// by itself vouch for the value (see the package comment of the gate).
//
// A name's second reading is the same recogniser reading the same pixels
// again, and its misreadings repeat: «ООО "ГазТехнологии Групи"» (the «п»
// merged with the closing quote) and «АО «IK Созвездие»» for «ГК» read so
// at every scale and threshold tried. Over this session's soaks (seed 1
// and unseen seeds 7501–7504, 7511–7512, 7521–7540) names vouched for by
// a second reading alone were right 130 of 148 times, 64 of 67 on
// documents approved — far under the 99 % a sure value must keep
// (docs/benchmarks.md). It is recorded, and a name needs a second
// printing, our own organisation, a text layer or the counterparty
// directory (review.CheckDirectory) besides.
var insufficient = map[string][]string{
	"supplier.inn":  {pervichka.EvidenceCheckDigit},
	"buyer.inn":     {pervichka.EvidenceCheckDigit},
	"total":         {pervichka.EvidencePDFText},
	"vat_amount":    {pervichka.EvidencePDFText},
	"supplier.name": {pervichka.EvidenceSecondReading},
	"buyer.name":    {pervichka.EvidenceSecondReading},
}

// sufficient reports whether the evidence of f holds one kind that vouches
// for it alone. An ИНН needs its check digits besides.
func (x *extraction) sufficient(f string) bool {
	ev := x.ev[f]
	if strings.HasSuffix(f, ".inn") && !slices.Contains(ev, pervichka.EvidenceCheckDigit) {
		return false
	}
	for _, k := range ev {
		if !slices.Contains(insufficient[f], k) {
			return true
		}
	}
	return false
}

// keyPresent reports whether the gate has a value of f to judge (an empty
// key field has its own reason, «missing»).
func (x *extraction) keyPresent(f string) bool {
	switch f {
	case "doc_type":
		return x.typ != pervichka.DocUnknown
	case "number":
		return !x.number.empty()
	case "date":
		return !x.date.empty()
	case "supplier.inn":
		return !x.parties[0].inn.empty()
	case "buyer.inn":
		return !x.parties[1].inn.empty()
	case "supplier.name":
		return !x.parties[0].name.empty()
	case "buyer.name":
		return !x.parties[1].name.empty()
	case "total":
		return !x.total.empty()
	case "vat_amount":
		return !x.vat.empty() || x.vatRate == pervichka.VATNone
	}
	return true // a key field this code does not know has no evidence: review
}

// onTextLayer reports whether every token of a value comes from a
// born-digital text layer (whose words all have confidence 1: a page of a
// mixed document may carry OCR'd words too).
func (x *extraction) onTextLayer(ts []token) bool {
	if len(ts) == 0 {
		return false
	}
	for _, t := range ts {
		if t.page < 0 || t.page >= len(x.textLayer) || !x.textLayer[t.page] || t.conf < 1 {
			return false
		}
	}
	return true
}

// rowSum is Σ of the rows' amounts; all is false when there are no rows or
// a row was read without its amount.
func (x *extraction) rowSum() (sum pervichka.Kopecks, all bool) {
	for _, r := range x.table.rows {
		if !r.hasAmt {
			return 0, false
		}
		sum += r.amount
	}
	return sum, len(x.table.rows) > 0
}

func (x *extraction) rowsCarryVAT() bool {
	for _, r := range x.table.rows {
		if r.hasVAT && r.vat != 0 {
			return true
		}
	}
	return false
}

// ratePrinted reports whether a positive VAT rate is printed in a row or
// beside «НДС» in the totals: a «без налога» found elsewhere (a column's
// heading «без налога — всего» that a shifted reading put below the table)
// then does not stand for a document without VAT.
func (x *extraction) ratePrinted() bool {
	for r := range x.table.rates {
		if r > 0 {
			return true
		}
	}
	for _, r := range x.table.rows {
		if r.rate > 0 {
			return true
		}
	}
	for _, r := range x.totals.rates {
		if r > 0 && validRate(r) {
			return true
		}
	}
	return false
}

// rowsAddUp reports whether no row contradicts its own arithmetic: where
// quantity, price and amount are all read, the amount is quantity × price
// — with the row's VAT or its rate on top, give or take a price rounded to
// the kopeck (ruvalid.RowAddsUp, the rule of the clerk's warning too). A row
// that does not is misread somewhere, so the rows adding up to the total
// says nothing: a one-row УПД scan read «1 511,66» both as the row's amount
// and as the total for a printed 1 311,66 = 63 × 20,82 (unseen seed 7610).
func (x *extraction) rowsAddUp() bool {
	for _, r := range x.table.rows {
		qm, okQ := quantityMilli(string(r.item.Quantity))
		p, err := pervichka.ParseKopecks(string(r.item.Price))
		if !okQ || err != nil || qm <= 0 || p <= 0 || !r.hasAmt {
			continue
		}
		if !ruvalid.RowAddsUp(qm, p, r.amount, r.vat, r.hasVAT, r.rate) {
			return false
		}
	}
	return true
}

// vatColumn is Σ of the rows' VAT column when every row printed one.
func (x *extraction) vatColumn() (pervichka.Kopecks, bool) {
	var s pervichka.Kopecks
	for _, r := range x.table.rows {
		if !r.hasVAT {
			return 0, false
		}
		s += r.vat
	}
	return s, len(x.table.rows) > 0
}

// vatExact reports whether the read rate applied to the total, in total or
// line by line over rows that add up to it, gives exactly the VAT read.
func (x *extraction) vatExact() bool {
	rate, err := strconv.Atoi(x.vatRate)
	if err != nil || x.total.empty() {
		return false
	}
	if ruvalid.VATFromGross(x.totalK, rate) == x.vatK {
		return true
	}
	sum, all := x.rowSum()
	if !all || sum != x.totalK {
		return false
	}
	var s pervichka.Kopecks
	for _, r := range x.table.rows {
		s += ruvalid.VATFromGross(r.amount, rate)
	}
	return s == x.vatK
}

// moneyRepeated reports whether k is printed again, under another label
// on another line than the chosen reading's.
func (x *extraction) moneyRepeated(cands []moneyCand, k pervichka.Kopecks, chosen []token) bool {
	for _, c := range cands {
		if c.k != k || len(c.toks) == 0 || len(chosen) == 0 {
			continue
		}
		if c.toks[0].page != chosen[0].page || !overlaps(c.toks[0].box, chosen[0].box) {
			return true
		}
	}
	return false
}

// rereadsSame reads a money value's box again with a digit whitelist and
// reports whether it gives the same amount.
func (x *extraction) rereadsSame(ts []token, k pervichka.Kopecks) bool {
	if x.rr == nil || len(ts) == 0 || x.onTextLayer(ts) {
		return false
	}
	text, _, err := x.rr.ReadLine(x.ctx, ts[0].page, boxOf(ts), "0123456789 ,.")
	if err != nil {
		return false
	}
	for _, a := range amounts(pseudoLine(text, ts[0].page, boxOf(ts))) {
		if a.frac && a.k == k {
			return true
		}
	}
	return false
}

// digitsRepeated reports whether the digits of s are printed in a token
// other than the value's own («ИНН/КПП 7701…/7701…» at the foot of a УПД,
// in the bank block, in a contract's requisites).
func (x *extraction) digitsRepeated(s string, own []token) bool {
	for li := range x.lines {
		for _, t := range x.lines[li].toks {
			if !strings.Contains(onlyDigitsRuns(t.text), s) {
				continue
			}
			mine := false
			for _, o := range own {
				if o.page == t.page && overlaps(o.box, t.box) {
					mine = true
				}
			}
			if !mine {
				return true
			}
		}
	}
	return false
}

// onlyDigitsRuns keeps the digits of s and puts a space for any run of
// other characters, so that «7701234567/770101001» holds both codes apart.
func onlyDigitsRuns(s string) string {
	var b strings.Builder
	gap := false
	for _, r := range s {
		if r >= '0' && r <= '9' {
			b.WriteRune(r)
			gap = false
		} else if !gap {
			b.WriteByte(' ')
			gap = true
		}
	}
	return b.String()
}

// numberDateRepeated reports whether the document's number and date are
// printed together again on another line («Документ об отгрузке № 00683
// от 21.01.2023», a repeated title), both the same.
func (x *extraction) numberDateRepeated() bool {
	if x.title == nil || x.number.empty() || x.date.empty() {
		return false
	}
	for _, d := range x.datesBesideNumber() {
		if d.date.Equal(x.date.date) {
			return true
		}
	}
	return false
}

// numberPrinting is the document's number printed again: the number as
// read there, its line and the index of its «№».
type numberPrinting struct {
	num value
	l   *line
	at  int
}

// numberPrintings lists the lines other than the title's that print the
// document's number after a «№» («Документ об отгрузке № …», УПД line
// (5а), a bill's «Основание»), compared without spaces and with Latin
// look-alikes folded, in page order.
func (x *extraction) numberPrintings() []numberPrinting {
	want := numberForm(x.number.text)
	var out []numberPrinting
	for li := range x.lines {
		if li == x.title.line.idx {
			continue
		}
		l := &x.lines[li]
		for i := range l.toks {
			if ok, _ := numberSign(l.toks[i]); !ok {
				continue
			}
			if other := titleNumber(&title{line: l, numAt: i}); !other.empty() && numberForm(other.text) == want {
				out = append(out, numberPrinting{num: other, l: l, at: i})
			}
		}
	}
	return out
}

// datesBesideNumber lists the dates printed after the document's number on
// lines other than the title's.
func (x *extraction) datesBesideNumber() []dateValue {
	var out []dateValue
	for _, p := range x.numberPrintings() {
		if d, ok := findDate(p.l.toks, p.at+1); ok {
			out = append(out, d)
		}
	}
	return out
}

// nameForm is a name as compared between its printings and readings:
// ruvalid's normal form (Latin look-alikes inside a Cyrillic word made
// Cyrillic), letters and digits only, one space between words. Words keep
// their boundaries and an all-Latin word its script: «НПОГранит» read for
// «НПО Гранит», or «Mapc» for «Марс», is a different name, and the value
// delivered would be that different name.
func nameForm(s string) string {
	n := strings.Map(func(r rune) rune {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return unicode.ToLower(r)
		}
		return ' '
	}, ruvalid.NormalizeName(s))
	return strings.Join(strings.Fields(n), " ")
}

// nameLatinTwins are the Latin letters OCR gives for Cyrillic ones of the
// same print shape in names: latinTwins, the small letters of Cyrillic
// «а с е о р х у г т п и к м» as the Latin model reads them, and «N» for
// a capital «П» or «И» (unseen seed 9221's realistic act 004: «НПО
// Магистраль» read «HNO Магистраль» at both its printings, and approved;
// seed 9201's scanner-app act 009 read «Омега» as «Omera»).
const nameLatinTwins = latinTwins + "aceopxyrtnukmN"

// latinTwinWord reports a name holding a word of three letters or more
// spelled only with Latin letters that have Cyrillic twins («ToprMactep»
// for «ТоргМастер»): which script was printed, the reading cannot tell. A
// Latin word with a letter of its own («Smart», «Lenovo») is not one.
func latinTwinWord(name string) bool { return latinTwinWordOf(name, 3) }

// latinTwinWordOf is latinTwinWord for words of minLen letters or more.
func latinTwinWordOf(name string, minLen int) bool {
	for _, w := range strings.FieldsFunc(name, func(r rune) bool { return !unicode.IsLetter(r) }) {
		if len([]rune(w)) < minLen {
			continue
		}
		twins := true
		for _, r := range w {
			if !unicode.Is(unicode.Latin, r) || !strings.ContainsRune(nameLatinTwins, r) {
				twins = false
				break
			}
		}
		if twins {
			return true
		}
	}
	return false
}

// latinTwinPair reports a name holding a word of two letters spelled only
// with Latin twins of Cyrillic letters, its legal form aside: «NK» in
// «ООО “NK Кристалл"» for «ПК» (10131's scanner-app ТОРГ-12 005, read so at
// two printings and shown at 0.9). Like a longer word (latinTwinWord), the
// reading cannot tell the script, so a second printing read alike does not
// vouch for it. A legal form read in Latin («AO», «OOO») is compared as
// the form it spells.
func latinTwinPair(name string) bool {
	for _, w := range strings.FieldsFunc(name, func(r rune) bool { return !unicode.IsLetter(r) }) {
		if len([]rune(w)) == 2 && !legalFormWords[nameForm(w)] && latinTwinWordOf(w, 2) {
			return true
		}
	}
	return false
}

// hasLatinTwinWord reports a name holding a word of two letters or more
// spelled only with Latin twins of Cyrillic letters (nameLatinTwins): «NK»
// for «ПК», «TennoAnpanc» for «ТеплоАльянс».
func hasLatinTwinWord(name string) bool { return latinTwinWordOf(name, 2) }

// soleTraderWordsReread reads again, each on its own, the words of a sole
// trader's name that OCR gave in Latin letters («ИП besos Константин
// Романович», study seed 10271's photographed bill 019): a Russian
// surname, first name and patronymic are printed in Cyrillic, and the
// name's line read again repeats the Latin word, where the word's box
// alone read «Белов». A reading all Cyrillic and of the word's length
// within a letter replaces it; the name is then a reading like any and
// needs the evidence any name needs (the signature's «Белов К. Р.»).
func (x *extraction) soleTraderWordsReread(v value) (string, bool) {
	ws := strings.Fields(v.text)
	if x.rr == nil || len(ws) < 3 || nameForm(ws[0]) != "ип" || x.onTextLayer(v.toks) {
		return "", false
	}
	changed := false
	for i, w := range ws[1:] {
		letters := []rune(strings.Map(keepLetter, w))
		if len(letters) < 3 || strings.ContainsFunc(string(letters), func(r rune) bool { return !unicode.Is(unicode.Latin, r) }) {
			continue
		}
		k := slices.IndexFunc(v.toks, func(t token) bool { return t.text == w })
		if k < 0 {
			return "", false
		}
		text, _, err := x.rr.ReadLine(x.ctx, v.toks[k].page, v.toks[k].box, "")
		got := []rune(strings.Map(keepLetter, text))
		if err != nil || len(got) < len(letters)-1 || len(got) > len(letters)+1 || len(strings.Fields(text)) != 1 ||
			strings.ContainsFunc(string(got), func(r rune) bool { return !unicode.Is(unicode.Cyrillic, r) }) {
			return "", false
		}
		ws[i+1], changed = strings.TrimSpace(text), true
	}
	return strings.Join(ws, " "), changed
}

// cyrillicReading returns second, a second reading of the name first, when
// it reads in Cyrillic the words first read as Latin twins and agrees with
// first on every other word: word for word, each Latin-twin word now
// Cyrillic letters only and of its length within a letter, the rest equal
// in nameForm. Tesseract's rus+eng took the English model for whole words
// of names on photos («ООО “NK Ромашка”», «ООО “TennoAnpanc”», 9901's
// realistic счёт-фактура 006), and the name's line read on its own gave
// them in Cyrillic. The value stays a reading: it needs the evidence any
// name needs (a second printing, the directory) to be sure.
func cyrillicReading(first, second string) (string, bool) {
	a, b := strings.Fields(first), strings.Fields(strings.TrimRight(second, " ,;"))
	if len(a) == 0 || len(a) != len(b) {
		return "", false
	}
	changed := false
	for i := range a {
		if !hasLatinTwinWord(a[i]) {
			if nameForm(a[i]) != nameForm(b[i]) {
				return "", false
			}
			continue
		}
		la := []rune(strings.Map(keepLetter, a[i]))
		lb := []rune(strings.Map(keepLetter, b[i]))
		if len(lb) == 0 || len(lb) < len(la)-1 || len(lb) > len(la)+1 {
			return "", false
		}
		for _, r := range lb {
			if !unicode.Is(unicode.Cyrillic, r) {
				return "", false
			}
		}
		changed = true
	}
	return strings.Join(b, " "), changed
}

func keepLetter(r rune) rune {
	if unicode.IsLetter(r) {
		return r
	}
	return -1
}

// strayNameMark reports a character an organisation's name is not
// printed with: anything but letters, digits, spaces, quotes and the
// punctuation of names («СМУ-5», «А.Б.В.», «Мир & Ко», «№ 1», «(Москва)»).
func strayNameMark(r rune) bool {
	return !unicode.IsLetter(r) && !unicode.IsDigit(r) && !unicode.IsSpace(r) && !strings.ContainsRune("\"«»“”„'’-–—.,&()№+/", r)
}

// containsWords reports whether the words of sub appear, in order and
// whole, in s (both nameForm's): «спектр» is in «ао спектр», not in
// «спектрстрой».
func containsWords(s, sub string) bool {
	return sub != "" && strings.Contains(" "+s+" ", " "+sub+" ")
}

// nameRepeated reports whether the name (its words after the legal form,
// at least nameRepeatedMinCore letters of them) is printed again on a line
// that holds none of its own words: the bank block's «Получатель», УПД
// lines [14]/[19], a signature block, a contract's preamble and requisites.
func (x *extraction) nameRepeated(v value) bool {
	core := nameCore(v.text)
	if len([]rune(core)) < nameRepeatedMinCore {
		return false
	}
	first := strings.Fields(core)[0]
	words := strings.Fields(nameFormMarks(v.text))
	words = slices.DeleteFunc(words, func(w string) bool { return legalFormWords[w] })
	coreMarks := strings.Join(words, " ")
	return x.anyTokenElsewhere(v.toks, func(li, k int) bool {
		if !containsWords(nameForm(foldTwinWords(x.lines[li].toks[k].text)), first) {
			return false
		}
		p := foldTwinTokens(x.printingFrom(li, k))
		return containsWords(nameForm(joinTokens(p)), core) && !quotedNameGoesOn(p, core) &&
			containsWords(nameFormMarks(joinTokens(p)), coreMarks)
	})
}

// nameRepeatedOnReread reports whether another printing of the name that
// OCR read a letter or two off it reads as the name when its words are
// read again (rereadPrinting): two printings' pixels then agree, which is
// what nameRepeated asks of a first reading. The bank block's «Получатель»
// of 10221's realistic bill 015 read «АО "Водмаржет”» under «АО
// "Водмаркет"» at «Поставщик», both cleanly printed; a ТОРГ-12's
// «Поставщик» row «Горизонт-Ю!г» under the «Грузоотправитель» row's
// «Горизонт-Юг» (10221's ТОРГ-12 010); an act's signature block «"NK
// Арсенал"» for «ПК Арсенал» (10221's scanner-app act 013). Each reads as
// the name again. A stamp over the signature block of 10211's act 009
// made «ВестСнаб М» «ВестСнаб Ms», and so it reads again: not vouched for.
//
// Only printings whose first reading differs from the name are read again
// (at most printingRereadEdits edits in the core, Latin twins folded, at
// most printingRereadsMax of them): one read alike is nameRepeated's, and for
// a name taken from another printing (fromPrinting) a third printing read
// alike settles nothing, while the label's printing, read again to the
// same name, does. The same checks as nameRepeated's apply to the second
// reading: the core's words and the marks between them, and the quoted
// name not going on past the core.
func (x *extraction) nameRepeatedOnReread(v value) bool {
	core := nameCore(v.text)
	if x.rr == nil || len([]rune(core)) < nameRepeatedMinCore || x.onTextLayer(v.toks) {
		return false
	}
	coreWords := strings.Fields(core)
	first := coreWords[0]
	firstLimit := max(1, len([]rune(first))/4)
	words := strings.Fields(nameFormMarks(v.text))
	words = slices.DeleteFunc(words, func(w string) bool { return legalFormWords[w] })
	coreMarks := strings.Join(words, " ")
	seen := map[int]bool{}
	return x.anyTokenElsewhere(v.toks, func(li, k int) bool {
		if seen[li] || len(seen) >= printingRereadsMax {
			return false
		}
		tw := strings.Fields(nameForm(foldTwinsLoose(x.lines[li].toks[k].text)))
		if len(tw) == 0 || levenshtein(tw[0], first, firstLimit) > firstLimit {
			return false
		}
		p := cutPrintedName(x.printingFrom(li, k), len(coreWords)+wrapQuoteWords)
		if len(p) == 0 || !nearPrinting(strings.Fields(nameForm(foldTwinsLoose(joinTokens(p)))), coreWords) {
			return false
		}
		if first := foldTwinWords(joinTokens(p)); containsWords(nameForm(first), core) && containsWords(nameFormMarks(first), coreMarks) {
			return false // read alike: nameRepeated's to judge
		}
		seen[li] = true
		text := x.rereadPrinting(p)
		if text == "" {
			return false
		}
		l := pseudoLine(text, p[0].page, boxOf(p))
		return containsWords(nameForm(text), core) && !quotedNameGoesOn(l.toks, core) &&
			containsWords(nameFormMarks(text), coreMarks)
	})
}

// rereadPrinting reads a printing's words again, one line at a time, each
// line's box grown by idRereadPad of its height: Tesseract's word boxes
// are tight, and a glyph at the crop's edge is misread the way the page's
// reading misread it (10221's realistic bill 015: «"Водмаржет”» in the
// tight box, «"Водмаркет”» with 3 px around it). "" where it failed.
func (x *extraction) rereadPrinting(ts []token) string {
	var got strings.Builder
	for _, l := range splitByLine(ts) {
		text, _, err := x.rr.ReadLine(x.ctx, l[0].page, padID(boxOf(l)), "")
		if err != nil {
			return ""
		}
		got.WriteString(text + " ")
	}
	return got.String()
}

// foldTwinsLoose spells every Latin letter with a Cyrillic twin in
// Cyrillic, «N» as «П», whatever the word's other letters: «"NK» is
// «"ПК». It only decides which printings are worth reading again.
func foldTwinsLoose(s string) string {
	return strings.Map(func(r rune) rune {
		switch c := twinOf[r]; {
		case c != 0:
			return c
		case r == 'N':
			return 'П'
		}
		return r
	}, s)
}

// nameByConsensus takes a second reading of the name's own words over
// the page's reading when another printing vouches for it and none
// vouched for the page's: two printings' pixels then read alike, against
// one reading of one. The readings tried are second (the tight box read
// again) and rereadPrinting's (the box with a margin); each must spell the
// name word for word, a word changed within nameConsensusEdits letters
// (letterReading). What vouches is what vouches for any name: another
// printing read alike, at first or on reading it again
// (nameRepeatedOnReread), or a sole trader's signature transcript with a
// known first name and patronymic (signedBy). Unseen seed 10211's
// realistic УПД 015 read «ИП Сожолова Ксения Миоревна», the tight box
// again «ИП Соколова Ксения Игоревна», as its signature line prints it.
//
// Limits: a letter every reading gets wrong («Водконтахт» on 10231's
// realistic ТОРГ-12 015 at every box tried) stays wrong, and the document
// goes to a clerk; so does a reading that changes the number of words.
func (x *extraction) nameByConsensus(v value, second string) (value, string, bool) {
	if x.rr == nil || len(v.toks) == 0 || x.onTextLayer(v.toks) {
		return value{}, "", false
	}
	for _, r := range []func() string{func() string { return second }, func() string { return x.rereadPrinting(v.toks) }} {
		text, ok := letterReading(v.text, r())
		if !ok || strings.ContainsFunc(text, strayNameMark) || latinTwinWord(text) || latinTwinPair(text) {
			continue
		}
		c := value{text: text, conf: v.conf, toks: v.toks}
		switch {
		case x.nameRepeated(c), x.nameRepeatedOnReread(c):
			return c, pervichka.EvidenceRepeated, true
		case x.signedBy(c):
			return c, pervichka.EvidenceSignature, true
		}
	}
	return value{}, "", false
}

// letterReading returns second, another reading of the name first, when
// it has first's words, each the same in nameForm or another spelling of
// it within nameConsensusEdits edits, and at least one changed: a letter
// or two read otherwise. Words first and second agree on keep first's
// spelling (its quotes); the marks after second's last word go.
func letterReading(first, second string) (string, bool) {
	a, b := strings.Fields(first), strings.Fields(strings.TrimRight(second, " ,;._"))
	if len(a) == 0 || len(a) != len(b) {
		return "", false
	}
	out := slices.Clone(a)
	changed := false
	for i := range a {
		fa, fb := nameForm(a[i]), nameForm(b[i])
		if fa == fb {
			continue
		}
		if fa == "" || fb == "" || strings.Contains(fb, " ") || levenshtein(fa, fb, nameConsensusEdits) > nameConsensusEdits {
			return "", false
		}
		out[i], changed = b[i], true
	}
	return strings.Join(out, " "), changed
}

// nameConsensusEdits is how many letters of a word a second reading may
// change for nameByConsensus to weigh it: «Сожолова»/«Соколова» one,
// «Миоревна»/«Игоревна» two. Chosen by hand: the reading must still be
// vouched for by another printing, so this decides what is tried, not
// what is trusted.
const nameConsensusEdits = 2

// ownINN reports whether inn is one of our organisations'.
func (x *extraction) ownINN(inn string) bool {
	for _, o := range x.cfg.Own {
		if inn != "" && string(o.INN) == inn {
			return true
		}
	}
	return false
}

// nearPrinting reports whether the first words of a printing (its name
// form's words, Latin twins folded) spell the core within
// printingRereadEdits edits: as many words, or one more or fewer where OCR
// split or joined a word.
func nearPrinting(pw, core []string) bool {
	c := strings.Join(core, " ")
	for n := len(core) - 1; n <= len(core)+1; n++ {
		if n >= 1 && n <= len(pw) && levenshtein(strings.Join(pw[:n], " "), c, printingRereadEdits) <= printingRereadEdits {
			return true
		}
	}
	return false
}

// printingRereadEdits is how far another printing's first reading may be
// from the name for nameRepeatedOnReread to read it again: a letter or two
// («Водмаржет», «Ю!г», «Ms» for «М»); one further off is another name or
// a printing too garbled to read alike. printingRereadsMax bounds the
// extra readings a name costs (a few lines' crops). Chosen by hand; the
// second reading must agree exactly, so these decide cost, not trust.
const (
	printingRereadEdits = 2
	printingRereadsMax  = 3
)

// twinOf maps the Latin letters OCR gives for Cyrillic ones of the same
// print shape (nameLatinTwins, but «N», which stands for «П» or «И») to
// those Cyrillic letters.
var twinOf = map[rune]rune{
	'A': 'А', 'B': 'В', 'C': 'С', 'E': 'Е', 'H': 'Н', 'K': 'К', 'M': 'М', 'O': 'О', 'P': 'Р', 'T': 'Т', 'X': 'Х', 'Y': 'У',
	'a': 'а', 'c': 'с', 'e': 'е', 'o': 'о', 'p': 'р', 'x': 'х', 'y': 'у', 'r': 'г', 't': 'т', 'n': 'п', 'u': 'и', 'k': 'к', 'm': 'м',
}

// foldTwinWords spells in Cyrillic each word of s written only in Latin
// letters that have Cyrillic twins: another printing of a name read in
// the wrong script, «AO «TexHopecypc»» in the Получатель cell of 10131's
// scanned bill 010 over «АО «Техноресурс»» at «Поставщик». The two
// readings differ in script, so they are two readings, and where every
// letter of one is the twin of the other's, they agree on the print. Only
// the other printing is folded: a name read in Latin twins is no name to
// confirm (latinTwinWord), whatever its other printing says. A Latin word
// with a letter of its own («Smart») stays as it is.
func foldTwinWords(s string) string {
	s = foldOrgAbbrevs(s)
	words := strings.Fields(s)
	changed := false
	for i, w := range words {
		latin, other := 0, false
		for _, r := range w {
			switch {
			case twinOf[r] != 0:
				latin++
			case unicode.IsLetter(r):
				other = true
			}
		}
		if latin == 0 || other {
			continue
		}
		words[i] = strings.Map(func(r rune) rune {
			if c := twinOf[r]; c != 0 {
				return c
			}
			return r
		}, w)
		changed = true
	}
	if !changed {
		return s
	}
	return strings.Join(words, " ")
}

// orgAbbrevs are abbreviations of kinds of organisation printed before
// a name in capitals («НПО Ромашка», «ПК Арсенал»), spelled only with
// letters that have Latin twins, «П» among them as «N». Tesseract's
// rus+eng reads them in Latin at every printing: «HNO Квадрат» on
// 10231's realistic ТОРГ-12 008 and «HNO Ромашка» on 10221's счёт-фактура
// 011, «NK Арсенал» on 10221's scanner-app act 013. The list is closed, so
// the folding cannot make another word of one: a Latin word it does not
// hold stays a Latin-twin word (latinTwinWord), which no printing vouches
// for.
var orgAbbrevs = map[string]bool{
	"НПО": true, "НПП": true, "НПК": true, "ПК": true, "СК": true, "ТК": true, "МК": true,
	"ТПК": true, "ПСК": true, "ТСК": true, "ПМК": true, "СМУ": true, "РСУ": true,
}

// foldOrgAbbrevs spells in Cyrillic each word of s that is an
// orgAbbrevs abbreviation read in Latin capitals, the quotes around it
// kept: «“HNO» is «“НПО».
func foldOrgAbbrevs(s string) string {
	words := strings.Fields(s)
	changed := false
	for i, w := range words {
		core := strings.TrimFunc(w, func(r rune) bool { return !unicode.IsLetter(r) })
		if core == "" || !strings.ContainsFunc(core, func(r rune) bool { return unicode.Is(unicode.Latin, r) }) {
			continue
		}
		cyr := strings.Map(func(r rune) rune {
			switch {
			case r == 'N':
				return 'П'
			case unicode.IsUpper(r) && twinOf[r] != 0:
				return twinOf[r]
			case unicode.Is(unicode.Cyrillic, r) && unicode.IsUpper(r):
				return r
			}
			return -1
		}, core)
		if len([]rune(cyr)) != len([]rune(core)) || !orgAbbrevs[cyr] {
			continue
		}
		words[i], changed = strings.Replace(w, core, cyr, 1), true
	}
	if !changed {
		return s
	}
	return strings.Join(words, " ")
}

// foldTwinTokens is ts with each token's text passed through
// foldTwinWords; ts itself is left alone.
func foldTwinTokens(ts []token) []token {
	out := slices.Clone(ts)
	for i := range out {
		out[i].text = foldTwinWords(out[i].text)
	}
	return out
}

// nameFormMarks is nameForm keeping the marks that join two words into
// one (a hyphen, any dash as «-», a dot) where they stand between letters
// or digits: «Базис-Строй» and «Базис.Строй» are one name to nameForm but
// two printings that disagree. Unseen seed 9621's photographed bill 016
// was approved with «АО "Базис.Строй”"», the bank block's «АО
// "Базис-Строй”» taken for its second printing.
func nameFormMarks(s string) string {
	rs := []rune(ruvalid.NormalizeName(s))
	ld := func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }
	var b strings.Builder
	for i, r := range rs {
		switch {
		case ld(r):
			b.WriteRune(unicode.ToLower(r))
		case strings.ContainsRune("-–—.", r) && i > 0 && i+1 < len(rs) && ld(rs[i-1]) && ld(rs[i+1]):
			if r != '.' {
				r = '-'
			}
			b.WriteRune(r)
		default:
			b.WriteRune(' ')
		}
	}
	return strings.Join(strings.Fields(b.String()), " ")
}

// printingFrom is the name printed from token k of line li on: the words
// up to the next cell of its line, then the lines under it in its cell
// (a signature block's «Общество с ограниченной» / «ответственностью
// "Региональная» / «Артель"»), at most two, while they follow without a
// blank line. The cell starts where the run of words holding k starts.
func (x *extraction) printingFrom(li, k int) []token {
	l := &x.lines[li]
	gap := func(a, b token) bool {
		return float64(b.box.X0-a.box.X1) > 3*float64(max(1, a.box.Dy()))
	}
	start := k
	for start > 0 && !gap(l.toks[start-1], l.toks[start]) {
		start--
	}
	left := l.toks[start].box.X0 - int(2*l.unit)
	out := []token{l.toks[k]}
	for i := k + 1; i < len(l.toks) && !gap(l.toks[i-1], l.toks[i]); i++ {
		out = append(out, l.toks[i])
	}
	right := out[len(out)-1].box.X1 + int(3*l.unit)
	for j := li + 1; j < len(x.lines) && j <= li+2; j++ {
		nl, prev := &x.lines[j], &x.lines[j-1]
		if nl.page != l.page || float64(nl.box.Y0-prev.box.Y1) > 1.0*l.unit {
			break
		}
		var more []token
		for _, t := range nl.toks {
			if t.box.X0 < left || t.box.X0 > right || len(more) > 0 && gap(more[len(more)-1], t) {
				if len(more) > 0 {
					break
				}
				continue
			}
			more = append(more, t)
		}
		if len(more) == 0 {
			break
		}
		out = append(out, more...)
	}
	return out
}

// quotedNameGoesOn reports whether, on a line whose words hold core, the
// quoted name core is in goes on past it: the word after core's last one
// starts with a letter and a quote closes within wrapQuoteWords words,
// while core's last word closes none («"Региональная Артель"» for a name
// read as «"Региональная»). Such a printing names another, longer name:
// the part read is not vouched for by it. Core must open the quotes, and
// the next word stand within two word heights (not in the next column:
// «ИП Михайлов Игорь Олегович    АО «Спектр»» in an act's signatures). A
// printing without quotes cannot tell and is taken as it was.
func quotedNameGoesOn(ts []token, core string) bool {
	want := strings.Fields(core)
	var words []string
	var at []int // token index of each word
	for i, t := range ts {
		for _, w := range strings.Fields(nameForm(t.text)) {
			words = append(words, w)
			at = append(at, i)
		}
	}
	for s := 0; s+len(want) <= len(words); s++ {
		if !slices.Equal(words[s:s+len(want)], want) {
			continue
		}
		first, last := at[s], at[s+len(want)-1]
		if !startsWithQuote(ts[first].text) && (first == 0 || strings.Trim(ts[first-1].text, "«“„\"") != "") {
			return false // core is not where a quoted name opens
		}
		tail := ts[last].text[strings.LastIndexFunc(ts[last].text, unicode.IsLetter)+1:]
		if strings.ContainsAny(tail, "»\"”“,") || last+1 >= len(ts) {
			return false // the name closes with core's last word
		}
		next, _ := utf8.DecodeRuneInString(ts[last+1].text)
		if !unicode.IsLetter(next) || ts[last+1].box.X0-ts[last].box.X1 > 2*max(1, ts[last].box.Dy()) {
			return false // the next word is not the name's: the next cell's
		}
		for _, t := range ts[last+1 : min(len(ts), last+1+wrapQuoteWords)] {
			if strings.ContainsAny(t.text, "»\"”“") {
				return true
			}
		}
		return false
	}
	return false
}

// signedBy reports whether v names a sole trader («ИП Кудрявцева Юлия
// Романовна») whose surname is printed again on another line with the
// initials of the first name and patronymic («Кудрявцева Ю. Р.», «Ю.Р.
// Кудрявцева»): the signature's transcript on a bill, act, счёт-фактура or
// УПД. The surname is then vouched for by a second printing; the first name
// and patronymic, printed once, by being known ones of one gender
// (ruvalid.PersonName) that start with the initials. The mutation soak
// found why the dictionary is needed: «Кудрявцев Игорь Павло|ич» under a
// signature «Кудрявцев И. П.» was approved without it.
//
// Limits: a first name outside ruvalid's lists, a double-barrelled
// surname or a name with more or fewer than three words is not vouched
// for here.
func (x *extraction) signedBy(v value) bool {
	sur, first, patr, ok := soleTraderName(v.text)
	if !ok {
		return false
	}
	if _, ok := ruvalid.PersonName(first, patr); !ok {
		return false
	}
	fi, pi := []rune(first)[0], []rune(patr)[0]
	return x.anyTokenElsewhere(v.toks, func(li, i int) bool {
		l := &x.lines[li]
		return personWord(l.toks[i].text) == sur &&
			(initialsMatch(l.toks[i+1:min(i+3, len(l.toks))], fi, pi, true) ||
				initialsMatch(l.toks[max(i-2, 0):i], fi, pi, false))
	})
}

// anyTokenElsewhere reports whether fn holds for a token of a line that
// does not hold ts: what a second printing of a value is looked for in.
// fn gets the line's index in x.lines and the token's index in it.
func (x *extraction) anyTokenElsewhere(ts []token, fn func(li, i int) bool) bool {
	for li := range x.lines {
		l := &x.lines[li]
		if x.holdsTokens(l, ts) {
			continue
		}
		for i := range l.toks {
			if fn(li, i) {
				return true
			}
		}
	}
	return false
}

// holdsTokens reports whether line l holds any of ts (by box).
func (x *extraction) holdsTokens(l *line, ts []token) bool {
	for _, t := range l.toks {
		for _, o := range ts {
			if o.page == t.page && overlaps(o.box, t.box) {
				return true
			}
		}
	}
	return false
}

// soleTraderName splits «ИП Фамилия Имя Отчество» (or «Индивидуальный
// предприниматель …») into the surname, folded by personWord, and the
// first name and patronymic as read.
func soleTraderName(name string) (sur, first, patr string, ok bool) {
	words := strings.Fields(strings.Map(func(r rune) rune {
		if r == '"' || r == '«' || r == '»' || r == '“' || r == '”' || r == '„' {
			return ' '
		}
		return r
	}, name))
	switch {
	case len(words) == 4 && personWord(words[0]) == "ип":
		words = words[1:]
	case len(words) == 5 && personWord(words[0]) == "индивидуальный" && personWord(words[1]) == "предприниматель":
		words = words[2:]
	default:
		return "", "", "", false
	}
	sur = personWord(words[0])
	if len([]rune(sur)) < 2 || personWord(words[1]) == "" || personWord(words[2]) == "" {
		return "", "", "", false
	}
	return sur, words[1], words[2], true
}

// personWord is ruvalid.FoldPersonWord after trimming the punctuation
// around the word, and the slashes a signature's transcript is printed
// between.
func personWord(w string) string {
	return ruvalid.FoldPersonWord(strings.Trim(w, ".,;:/"))
}

// initialsMatch reports whether the tokens spell the initials «И. О.»
// («И.О.», «И.,О.») of a first name starting with fi and a patronymic
// starting with pi; after is set when the tokens follow the surname (the
// last dot may then be lost at the line's end).
func initialsMatch(ts []token, fi, pi rune, after bool) bool {
	for n := 1; n <= len(ts); n++ {
		var part []token
		if after {
			part = ts[:n]
		} else {
			part = ts[len(ts)-n:]
		}
		var s strings.Builder
		for _, t := range part {
			s.WriteString(t.text)
		}
		// 1C prints the transcript between slashes («/Голубев С. А./»),
		// which OCR reads on the initials.
		r := []rune(strings.Trim(strings.ReplaceAll(strings.ReplaceAll(s.String(), "Ё", "Е"), ",", "."), "/"))
		full := len(r) == 4 && r[1] == '.' && r[3] == '.'
		lastDotLost := after && len(r) == 3 && r[1] == '.'
		if (full || lastDotLost) && r[0] == upperFold(fi) && r[2] == upperFold(pi) {
			return true
		}
	}
	return false
}

// upperFold upper-cases a Cyrillic letter and folds Ё to Е.
func upperFold(r rune) rune {
	r = unicode.ToUpper(r)
	if r == 'Ё' {
		return 'Е'
	}
	return r
}

// nameRepeatedMinCore is the shortest name core a second printing vouches
// for. The second printing is other pixels, so a misreading must repeat to
// pass; what a short core risks is meeting the same word by chance
// elsewhere on the page. Five letters let «АО "Базис"» (seed 1's 004-invoice,
// printed in the title and in «Поставщик») through and keep «АО "Мир"» out
// of street names; the mutation soak and unseen seeds were run at five
// (docs/benchmarks.md).
const nameRepeatedMinCore = 5

// nameCore is nameForm without the legal form: «ООО "Ромашка"» and
// «Общество с ограниченной ответственностью "Ромашка"» share «ромашка».
func nameCore(s string) string {
	words := strings.Fields(ruvalid.NormalizeName(s))
	words = slices.DeleteFunc(words, func(w string) bool { return legalFormWords[strings.Trim(w, ".,;")] })
	return nameForm(strings.Join(words, " "))
}

// rereadNameText reads the name's words again, one line at a time (a
// name wrapped over two lines is read per line), and returns what was
// read: "" where there is no second reading (no rereader, a text layer)
// or it failed.
func (x *extraction) rereadNameText(v value) string {
	if x.rr == nil || len(v.toks) == 0 || x.onTextLayer(v.toks) {
		return ""
	}
	var got strings.Builder
	for _, ts := range splitByLine(v.toks) {
		text, _, err := x.rr.ReadLine(x.ctx, ts[0].page, boxOf(ts), "")
		if err != nil {
			return ""
		}
		got.WriteString(text + " ")
	}
	return got.String()
}

// rereadAgrees reports whether a second reading of the name (see
// rereadNameText) names the same organisation.
func (x *extraction) rereadAgrees(v value, second string) bool {
	a, b := nameForm(v.text), nameForm(second)
	return a != "" && (a == b || containsWords(b, a) && len([]rune(a)) >= 6)
}

// splitByLine groups tokens into runs that share a text line: boxes that
// overlap by half the lower one's height. Word boxes of two lines touch
// (a descender's «у», a quote mark): a two-pixel overlap is not a line
// (seed 1's 021-invoice re-read «Общество с ограниченной ответственностью»
// over «'Кабельресурс'» as one line and lost the second).
func splitByLine(ts []token) [][]token {
	var out [][]token
	for i, t := range ts {
		if i > 0 {
			p := ts[i-1]
			overlap := min(p.box.Y1, t.box.Y1) - max(p.box.Y0, t.box.Y0)
			if p.page == t.page && 2*overlap > min(p.box.Dy(), t.box.Dy()) {
				out[len(out)-1] = append(out[len(out)-1], t)
				continue
			}
		}
		out = append(out, []token{t})
	}
	return out
}

// nameMisread reports whether read is own with a letter or two misread:
// the names without their legal forms at most nameMisreadEdits edits apart,
// ours at least nameMisreadMinLen letters long (a short name two letters
// off is another name).
func nameMisread(own, read string) bool {
	o, r := nameCore(own), nameCore(read)
	return len([]rune(o)) >= nameMisreadMinLen && levenshtein(o, r, nameMisreadEdits) <= nameMisreadEdits
}

const (
	nameMisreadEdits  = 2
	nameMisreadMinLen = 6
)

// sharesNameWord reports whether two names share a word of at least five
// letters besides their legal forms («Высота» in «АО "МК "ВЫСОТА"» and in
// a photo's «ae pila Высота»»).
func sharesNameWord(a, b string) bool {
	bw := strings.Fields(nameCore(b))
	for _, w := range strings.Fields(nameCore(a)) {
		if len([]rune(w)) >= 5 && slices.Contains(bw, w) {
			return true
		}
	}
	return false
}

// legalFormWords are the short legal forms and the words of organisations'
// kinds that make a string a name of an organisation or an entrepreneur.
var legalFormWords = map[string]bool{
	"ооо": true, "пао": true, "нао": true, "зао": true, "оао": true, "ао": true, "ип": true,
	"гуп": true, "муп": true, "фгуп": true, "ано": true, "нко": true, "тсж": true, "снт": true,
	"общество": true, "учреждение": true, "предприятие": true, "фонд": true, "товарищество": true,
	"кооператив": true, "ассоциация": true, "союз": true, "партнерство": true, "корпорация": true,
}

// titleWords are words of document titles and their requisites that no
// organisation's name holds: a name with one of them is a title line read
// as a name («Счет на оплату № 1586 от "17" сентября 2023 г.»).
var titleWords = map[string]bool{
	"счет": true, "счета": true, "акт": true, "№": true, "от": true, "фактура": true, "счет-фактура": true,
	"накладная": true, "упд": true, "передаточный": true, "оплату": true, "инн": true, "кпп": true,
}

// dateInName is a date written in digits: no organisation's name holds
// one, a name that does took it from the next cell («ООО «ТеплоАльянс»
// 19.08.2026»).
var dateInName = regexp.MustCompile(`^\d{1,2}[./]\d{1,2}[./]\d{2,4}$`)

// nameProblem says why a name is not a name of an organisation: it holds
// title words, or it has no legal form (an address fragment, a stray word
// such as «Дубининская», a person without «ИП»).
func nameProblem(s string) bool {
	if holdsTitleWords(s) || twoLegalForms(s) {
		return true
	}
	for _, w := range strings.Fields(ruvalid.NormalizeName(s)) {
		if legalFormWords[strings.Trim(w, ".,;:()")] {
			return false
		}
	}
	return true
}

// twoLegalForms reports a name with two legal forms before its quoted
// part: «Общество с ограниченной ответственностью АО "Квадрат"» took a word
// from beside it (a scanned contract's preamble, unseen seed 7606; its core
// «Квадрат», printed again, vouched for the whole). Inside the quotes a
// legal form is part of the name («ООО "АО Технологии"»).
func twoLegalForms(s string) bool {
	head := s
	if i := strings.IndexFunc(s, func(r rune) bool { return strings.ContainsRune("\"«»“”„'", r) }); i >= 0 {
		head = s[:i]
	}
	n := 0
	for _, w := range strings.Fields(ruvalid.NormalizeName(head)) {
		if legalFormWords[strings.Trim(w, ".,;:()")] {
			n++
		}
	}
	return n >= 2
}

// holdsTitleWords reports a title or requisites line: title words, «№», a
// date in digits.
func holdsTitleWords(s string) bool {
	for _, w := range strings.Fields(ruvalid.NormalizeName(s)) {
		k := strings.Trim(w, ".,;:()")
		if titleWords[k] || strings.Contains(w, "№") || dateInName.MatchString(k) {
			return true
		}
	}
	return false
}

// numberCharsetOK reports whether a document number uses only what real
// numbers use: letters, digits, «-/._» and spaces, with a digit among
// them. A number is numbered: «Р» alone (unseen seed 9911's realistic
// счёт-фактура 001, «Р-1481» with its digits on another line of a curled
// photo) was shown at 0.97, its second reading reading the same letter.
func numberCharsetOK(s string) bool {
	if !strings.ContainsFunc(s, unicode.IsDigit) {
		return false
	}
	for _, r := range s {
		switch {
		case unicode.IsLetter(r) && (unicode.Is(unicode.Cyrillic, r) || r < 128):
		case unicode.IsDigit(r) && r < 128:
		case strings.ContainsRune("-/._ ", r):
		default:
			return false
		}
	}
	return true
}

// invariants checks what no document may break, each with its reason.
func (x *extraction) invariants() {
	if !x.total.empty() && x.totalK <= 0 {
		x.reason(pervichka.ReasonTotalNotPositive, "")
	}
	if !x.vat.empty() && !x.total.empty() && x.vatK >= x.totalK && x.vatK > 0 {
		x.reason(pervichka.ReasonVATOverTotal, "")
	}
	if !x.vat.empty() && x.vatRate == "" {
		// A VAT figure no legal rate explains (pickVAT found none that
		// fits the total): VAT = rate × base is broken, and the figure
		// is not shown as sure (seed 8801's bill 022 showed 261,54 for
		// 27 043,59 at 0.95).
		x.reason(pervichka.ReasonVATMismatch, "")
		x.vat.conf *= vatMismatchFactor
	}
	for i := range x.table.rows {
		if arithmeticBroken(&x.table.rows[i]) {
			x.reason(pervichka.ReasonRowArithmetic, strconv.Itoa(i+1))
		}
	}
	if len(x.table.rows) > 0 {
		sum, all := x.rowSum()
		switch {
		case !all:
			x.reason(pervichka.ReasonItemsUnread, "")
		case !x.total.empty() && sum != x.totalK:
			x.reason(pervichka.ReasonItemsSumMismatch, "")
		}
	} else if x.table.header >= 0 {
		// A table's heading with no row read under it: the rows are
		// printed and were lost, not absent (unseen seed 8812's bill
		// 007 was approved with neither of its two rows).
		x.reason(pervichka.ReasonItemsUnread, "")
	}
	if !x.number.empty() && !numberCharsetOK(x.number.text) {
		x.reason(pervichka.ReasonNumberCharset, "")
		// Not shown as sure either: a clerk's eye goes to it.
		x.number.conf = min(x.number.conf, disagreedCap)
	}
	if !x.date.empty() {
		lo := x.cfg.Now.AddDate(0, 0, 30)
		if x.date.date.Year() < 2000 || x.date.date.After(lo) {
			x.reason(pervichka.ReasonDateImplausible, "")
		}
	}
	// A name that is no name is not shown as sure either: 10181's
	// realistic счёт-фактура 001 took its currency line for the buyer
	// («Российский. рубль 643») and showed it at 0.90.
	for r := range 2 {
		if n := &x.parties[r].name; !n.empty() && nameProblem(n.text) {
			x.reason(pervichka.ReasonNameInvalid, role(r).String())
			n.conf = min(n.conf, disagreedCap)
		}
	}
	// Two sides with different ИНН and one name: one side's name was taken
	// from the other's place (a role label split over two lines).
	s, b := &x.parties[0], &x.parties[1]
	if !s.name.empty() && !b.name.empty() && s.inn.text != b.inn.text && nameCore(s.name.text) == nameCore(b.name.text) {
		x.reason(pervichka.ReasonNameInvalid, "supplier")
		x.reason(pervichka.ReasonNameInvalid, "buyer")
		s.name.conf = min(s.name.conf, disagreedCap)
		b.name.conf = min(b.name.conf, disagreedCap)
	}
}

// formMarkers reports whether the document's own markers agree with the
// type its title gives, and whether markers of another form contradict it.
// The markers are the form's fixed words, not the title: a УПД's status
// box and transfer section, a счёт-фактура's numbered rows and consignor
// lines, the role labels of a счёт or an акт, a contract's parties section.
func formMarkers(lines []line, typ pervichka.DocType) (agree, against bool) {
	var keys strings.Builder
	for i := range lines {
		keys.WriteString(" " + strings.ReplaceAll(strings.ToLower(lines[i].text()), "ё", "е") + " ")
	}
	k := keys.String()
	has := func(ws ...string) bool {
		for _, w := range ws {
			if strings.Contains(k, w) {
				return true
			}
		}
		return false
	}
	upd := has("передаточный документ", "статус", "товар (груз) передал", "сдачи", "приемки")
	sf := has("(2б)", "(6б)", "(2а)", "(6а)", "(2a)", "(6a)", "грузоотправитель", "грузополучатель", "платежно-расчетному")
	// A УПД's form (its title and its status box), not a mention of one
	// in a contract's text.
	updForm := has("универсальный передаточный документ") && has("статус")
	seller := has("поставщик", "получатель", "исполнитель", "продавец", "подрядчик") || labelNear(lines, "поставщик", "исполнитель", "продавец")
	buyer := has("покупатель", "плательщик", "заказчик") || labelNear(lines, "плательщик", "заказчик")
	switch typ {
	case pervichka.DocUPD:
		agree = upd
	case pervichka.DocVATInvoice:
		agree = sf && seller && buyer
		against = updForm
	case pervichka.DocInvoice:
		agree = seller && buyer && has("оплат", "бик", "р/с", "расчетный счет")
		against = updForm || sf && has("(2б)", "(6б)")
	case pervichka.DocAct:
		agree = seller && buyer && has("выполнен", "оказан", "услуг", "работ")
		against = updForm
	case pervichka.DocContract:
		agree = has("реквизиты", "предмет договора", "стороны", "сторон")
	case pervichka.DocTORG12:
		// The form's code line and its parties' boxes; the code line
		// alone may be a reference in another document's cell.
		agree = has("торг-12", "торг 12", "0330212") && has("грузополучатель", "плательщик", "поставщик")
		against = updForm
	}
	return agree, against
}

// labelNear reports a line opening with a role label misread by a letter
// or two («Плателыцик:» for «Плательщик:», study seed 10271's
// photographed bill 025, whose type was left unconfirmed for it): the
// line's first word, its colon aside, within labelEdits of one of labels.
// Only first words of eight letters or more, and not «получатель» and
// «покупатель», two letters apart from each other: one could pass for
// the other.
func labelNear(lines []line, labels ...string) bool {
	for i := range lines {
		if len(lines[i].toks) == 0 {
			continue
		}
		w := strings.ReplaceAll(strings.Trim(strings.ToLower(lines[i].toks[0].text), ":;,.()"), "ё", "е")
		if utf8.RuneCountInString(w) < 8 {
			continue
		}
		for _, l := range labels {
			if levenshtein(w, l, labelEdits) <= labelEdits {
				return true
			}
		}
	}
	return false
}

// labelEdits is how many letters a role label opening a line may be
// misread by for labelNear: «щ» read «ыц» is two.
const labelEdits = 2

func overlaps(a, b pervichka.Rect) bool {
	return a.X0 < b.X1 && b.X0 < a.X1 && a.Y0 < b.Y1 && b.Y0 < a.Y1
}

package fields

import (
	"math"
	"slices"
	"strings"
	"unicode"

	pervichka "github.com/pervichka/pervichka"
	"github.com/pervichka/pervichka/extractors/ruvalid"
)

// The sides' identifiers after they were attributed (parties.go) and the
// bank block after it was read (bank.go): check digits, second readings of
// doubtful ИНН and КПП, repairs to a valid or to one of our own ИНН, and
// what our own organisations tell about the sides.

// checkParties validates and, where OCR may have misread digits, re-reads
// or repairs the ИНН and КПП of both sides, and applies what we know of our
// own organisations.
func (x *extraction) checkParties() {
	x.useOwn()
	for r := range 2 {
		x.mendName(&x.parties[r])
		x.readMissingINN(&x.parties[r], role(r))
	}
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
	x.checkCrossedSides()
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
				// Another branch of ours, or a misread: either way not
				// sure (unseen seed 9411's scanner-app act 005 showed
				// «500101003» for our 500101001 at 0.95).
				p.kpp.conf *= kppNotINNFactor
				x.reason(pervichka.ReasonOwnKPPMismatch, role(r).String())
			}
		}
	}
	if !ours {
		x.reason(pervichka.ReasonNoOwnCompany, "")
	}
}

// checkCrossedSides doubts both sides' ИНН and КПП when each side's КПП
// names the tax office of the other side's ИНН and not its own. A branch
// registered elsewhere explains one КПП that does not fit (kppNotINNFactor,
// advisory); two that fit each other's ИНН exactly are what a reading that
// gave one side's ИНН to the other leaves, whatever OCR's confidence in the
// digits: the digits are right, their side is not. Such an ИНН was shown as
// sure (0.97) on a scanned счёт-фактура of unseen seed 8612 (ninth session).
func (x *extraction) checkCrossedSides() {
	s, b := &x.parties[0], &x.parties[1]
	if s.inn.empty() || b.inn.empty() || s.kpp.empty() || b.kpp.empty() {
		return
	}
	if !ruvalid.ValidKPP(s.kpp.text) || !ruvalid.ValidKPP(b.kpp.text) || s.kpp.text[:4] == b.kpp.text[:4] {
		return
	}
	crossed := !ruvalid.KPPMatchesINN(s.kpp.text, s.inn.text) && !ruvalid.KPPMatchesINN(b.kpp.text, b.inn.text) &&
		ruvalid.KPPMatchesINN(s.kpp.text, b.inn.text) && ruvalid.KPPMatchesINN(b.kpp.text, s.inn.text)
	if !crossed {
		return
	}
	for _, p := range []*partyResult{s, b} {
		p.inn.conf = min(p.inn.conf, disagreedCap)
		p.kpp.conf = min(p.kpp.conf, disagreedCap)
	}
	x.reason(pervichka.ReasonSidesCrossed, "")
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

// readMissingINN reads, with a digit whitelist, the cell after a side's
// «ИНН/КПП продавца:» label when the page's reading gave that side no ИНН:
// a photo's shadow or the form's underline garbles the digits into letters
// («ИННИПП продавца: вто», seed 9201's realistic УПД 010) while the label
// survives. The statutory forms print the label so, ending the cell with a
// row marker «(2б)». What it reads is one reading: it stands only when it
// passes the check digits, at a replaced ИНН's confidence, and the gate
// still asks for evidence before the document posts.
func (x *extraction) readMissingINN(p *partyResult, r role) {
	if x.rr == nil || !p.inn.empty() {
		return
	}
	defer func() {
		if p.inn.empty() && r == roleSupplier && x.typ == pervichka.DocInvoice {
			x.readMissingPayeeINN(p)
		}
	}()
	stem := "продав"
	if r == roleBuyer {
		stem = "покупат"
	}
	for li := range x.lines {
		l := &x.lines[li]
		for i := 0; i+1 < len(l.toks); i++ {
			if !strings.HasPrefix(l.toks[i].key, "инн") || !strings.HasPrefix(l.toks[i+1].key, stem) || x.onTextLayer(l.toks[i:i+1]) {
				continue
			}
			// The cell: level with the label (a photo's line may take in
			// the line above), from the label's end — or from the
			// garbled words after it, where the form's value column
			// starts — to the row marker or missingINNCellWidth.
			lab := l.toks[i].box.Union(l.toks[i+1].box)
			from, stop := lab.X1, 1<<30
			var after []token
			for _, t := range l.toks[i+2:] {
				if isFormMarker(t.text) {
					stop = t.box.X0
					break
				}
				after = append(after, t)
			}
			if len(after) > 0 {
				from = after[0].box.X0
			}
			pad := int(0.3 * l.unit)
			box := pervichka.Rect{X0: from, Y0: lab.Y0 - pad, X1: min(stop, from+int(missingINNCellWidth*l.unit)), Y1: lab.Y1 + pad}
			if box.Dx() < 4*int(l.unit) {
				return
			}
			text, c, err := x.rr.ReadLine(x.ctx, l.toks[i].page, box, "0123456789/")
			if err != nil {
				return
			}
			innText, kppText, _ := strings.Cut(strings.TrimSpace(text), "/")
			inn, kpp := onlyDigits(innText), onlyDigits(kppText)
			if !ruvalid.ValidINN(inn) || inn == x.parties[1-int(r)].inn.text {
				return
			}
			pl := pseudoLine(inn, l.toks[i].page, box)
			p.inn = value{text: inn, conf: c * innReplacedFactor, toks: pl.toks}
			if p.kpp.empty() && ruvalid.ValidKPP(kpp) && ruvalid.KPPMatchesINN(kpp, inn) {
				p.kpp = value{text: kpp, conf: c * kppReplacedFactor, toks: pl.toks}
			}
			return
		}
	}
}

// readMissingPayeeINN reads, with a digit whitelist, the cell after a
// bare «ИНН» label on the line of a bill's settlement account when the
// page's reading gave the supplier no ИНН: the payee's requisites («ИНН
// 524682629650 | Р/с № 40802…», 1C's grid «ИНН … | КПП … | Сч. № …») name
// the supplier, and a sole trader's bill may print its ИНН nowhere else.
// Study seed 10281's bill 001 read the cell as «и» in its realistic and
// its scanner-app photo alike, the digits run into the line below.
//
// Two crops must read the same valid ИНН: the cell, and the cell with
// idRereadPad's margin. The value stands at a replaced ИНН's confidence
// and the gate still asks for its evidence; the two crops' agreement is
// its second reading, as for a replaced ИНН (rereadINN).
func (x *extraction) readMissingPayeeINN(p *partyResult) {
	for li := range x.lines {
		l := &x.lines[li]
		if !slices.ContainsFunc(x.bank.accs, func(a accHit) bool { return a.line == li && a.kind != 2 }) {
			continue
		}
		for i, t := range l.toks {
			if strings.Trim(t.key, ":") != "инн" || x.onTextLayer(l.toks[i:i+1]) {
				continue
			}
			if i+1 < len(l.toks) && strings.ContainsFunc(l.toks[i+1].text, unicode.IsDigit) {
				continue // a value was read: the ИНН's own rules judged it
			}
			box, _ := payeeINNCell(l, i)
			text, c, err := x.rr.ReadLine(x.ctx, t.page, box, idRereadWhitelist)
			if err != nil {
				return
			}
			inn := onlyDigits(text)
			if !ruvalid.ValidINN(inn) || inn == x.parties[1].inn.text {
				return
			}
			text2, c2, err := x.rr.ReadLine(x.ctx, t.page, padID(box), idRereadWhitelist)
			if err != nil || onlyDigits(text2) != inn {
				return
			}
			pl := pseudoLine(inn, t.page, box)
			p.inn = value{text: inn, conf: min(c, c2) * innReplacedFactor, toks: pl.toks}
			x.second[roleSupplier.String()+".inn"] = true
			return
		}
		if x.readGarbledPayeeINN(p, l) {
			return
		}
	}
}

// readGarbledPayeeINN is readMissingPayeeINN for a grid whose «ИНН» label
// was garbled with its value («vel он КПП 610401001 Р/с № 40702…», study
// seed 10301's realistic bill 013): what stands before a «КПП» label with
// a valid КПП, holding no digit, is read again as digits, and the ИНН is
// the ten or twelve digits at the reading's end (the label may read as a
// digit or two) that pass the check and whose region is the КПП's. Both
// crops, the cell and the cell with a margin, must give it.
func (x *extraction) readGarbledPayeeINN(p *partyResult, l *line) bool {
	k := slices.IndexFunc(l.toks, func(t token) bool { return strings.Trim(t.key, ":") == "кпп" })
	if k < 1 || k+1 >= len(l.toks) || x.onTextLayer(l.toks[:k]) {
		return false
	}
	kpp, ok := kppDigits(strings.TrimRight(l.toks[k+1].text, ",;."))
	if !ok || !ruvalid.ValidKPP(kpp) {
		return false
	}
	for _, t := range l.toks[:k] {
		if strings.ContainsFunc(t.text, unicode.IsDigit) || strings.Trim(t.key, ":") == "инн" {
			return false
		}
	}
	pad := int(0.3 * l.unit)
	lab := l.toks[k].box
	x1 := lab.X0 - pad
	box := pervichka.Rect{X0: max(l.toks[0].box.X0-pad, x1-int((payeeINNCellWidth+4)*l.unit)), Y0: lab.Y0 - pad, X1: x1, Y1: lab.Y1 + pad}
	if box.Dx() < 6*int(l.unit) {
		return false
	}
	read := func(b pervichka.Rect) (string, float64, bool) {
		text, c, err := x.rr.ReadLine(x.ctx, l.toks[0].page, b, idRereadWhitelist)
		if err != nil {
			return "", 0, false
		}
		d := onlyDigits(text)
		for _, n := range []int{12, 10} {
			if len(d) >= n && ruvalid.ValidINN(d[len(d)-n:]) && ruvalid.KPPMatchesINN(kpp, d[len(d)-n:]) {
				return d[len(d)-n:], c, true
			}
		}
		return "", 0, false
	}
	inn, c, ok := read(box)
	if !ok || inn == x.parties[1].inn.text {
		return false
	}
	inn2, c2, ok := read(padID(box))
	if !ok || inn2 != inn {
		return false
	}
	pl := pseudoLine(inn, l.toks[0].page, box)
	p.inn = value{text: inn, conf: min(c, c2) * innReplacedFactor, toks: pl.toks}
	x.second[roleSupplier.String()+".inn"] = true
	if p.kpp.empty() {
		p.kpp = value{text: kpp, conf: l.toks[k+1].conf, toks: l.toks[k+1 : k+2]}
	}
	return true
}

// payeeINNCell is the box of the value after the «ИНН» label l.toks[i]:
// level with the label, from its end to the next word that holds two
// letters (the grid's next label) or payeeINNCellWidth capital heights.
func payeeINNCell(l *line, i int) (pervichka.Rect, int) {
	lab := l.toks[i].box
	pad := int(0.3 * l.unit)
	to := lab.X1 + int(payeeINNCellWidth*l.unit)
	end := i + 1
	for ; end < len(l.toks); end++ {
		if countLetters(l.toks[end].text) >= 2 {
			to = min(to, l.toks[end].box.X0-pad)
			break
		}
	}
	return pervichka.Rect{X0: lab.X1 + pad, Y0: lab.Y0 - pad, X1: to, Y1: lab.Y1 + pad}, end
}

// countLetters is the number of letters in s.
func countLetters(s string) int {
	n := 0
	for _, r := range s {
		if unicode.IsLetter(r) {
			n++
		}
	}
	return n
}

// payeeINNCellWidth: twelve digits take about nine capital heights in the
// fonts of the corpus and of real-dev; the margin takes a wider font.
// Chosen by hand on study seed 10281's bill 001; not varied.
const payeeINNCellWidth = 13

// missingINNCellWidth is how far readMissingINN reads from the start of a
// «ИНН/КПП продавца:» label's value, in capital heights, when no row
// marker ends the cell sooner: «5936103246/593601001» is 20 characters,
// about 14 capital heights in the forms' fonts; the margin takes a wider
// font. Chosen by hand on seed 9201's realistic УПД 010; not varied.
const missingINNCellWidth = 22

// idRereadWhitelist is what a re-read of an ИНН's or КПП's box may read:
// the digits, the slash of «ИНН/КПП», and the comma or full stop that
// ends the value in running text («ИНН 2326803529, КПП …»), which the
// word's box takes in. Tesseract's LSTM gives a word whose best reading
// of a glyph is outside the whitelist a confidence of 0 while still
// returning the allowed digits (tesseract-ocr/tesseract#3856): with
// digits only, 9841's realistic bill 008 re-read «544863274899,» as its
// digits at 0.00 (0.92 with the comma allowed), and the agreeing reading
// lifted nothing. Only the digits are compared (onlyDigits).
const idRereadWhitelist = "0123456789/,."

// idRereadPad is the margin, as a share of the box's height, added on
// every side of an ИНН's box for a second try at its re-read when the
// tight box read no digit. Tesseract's word boxes are tight, and a glyph
// cut at the edge may spoil the whole line: 9841's realistic act 005 read
// nothing at all in the box of «2326803529,»; with 2–4 px (0.1 of its
// height) it read the ИНН at 0.85–0.93, at 6 px the crop took in the next
// line's tops and read nothing again. Not used on every re-read: a
// margin also takes in what underlines a form's value (9901's
// scanner-app счёт-фактура 006: 0.77 tight, 0.20 at 4 px).
const idRereadPad = 0.1

// padID grows an ИНН's box by idRereadPad of its height.
func padID(b pervichka.Rect) pervichka.Rect {
	d := max(1, int(math.Round(idRereadPad*float64(b.Dy()))))
	return pervichka.Rect{X0: b.X0 - d, Y0: b.Y0 - d, X1: b.X1 + d, Y1: b.Y1 + d}
}

// rereadINN asks the OCR engine to read the ИНН box again with a digit
// whitelist; two readings that agree are trusted more than one.
func (x *extraction) rereadINN(p *partyResult, field string) {
	if x.rr == nil || len(p.inn.toks) == 0 {
		return
	}
	text, c, err := x.rr.ReadLine(x.ctx, p.inn.toks[0].page, boxOf(p.inn.toks), idRereadWhitelist)
	if err != nil {
		return
	}
	padded := false
	if d := onlyDigits(text); d == "" {
		// Nothing read in the tight box: once more with a margin.
		if text, c, err = x.rr.ReadLine(x.ctx, p.inn.toks[0].page, padID(boxOf(p.inn.toks)), idRereadWhitelist); err != nil {
			return
		}
		padded = true
	} else if d != p.inn.text && ruvalid.ValidINN(p.inn.text) {
		// Another reading of a valid ИНН: the tight box may have cut a
		// glyph. With a margin, 3 of the 10 printings the tight box
		// misread among 125 on study seeds 10241 and 10251's photos
		// read right (none read right tight went wrong); a reading with
		// a margin that agrees is the second reading, one that does not
		// leaves the tight one to judge.
		if t2, c2, err := x.rr.ReadLine(x.ctx, p.inn.toks[0].page, padID(boxOf(p.inn.toks)), idRereadWhitelist); err == nil && innDigits(t2, p.inn.text) == p.inn.text {
			text, c = t2, c2
		}
	}
	d := innDigits(text, p.inn.text)
	switch {
	case d == p.inn.text && ruvalid.ValidINN(d):
		p.inn.conf = max(p.inn.conf, min(idAgreedCap, (p.inn.conf+c)/2+idAgreedBonus))
		x.second[field] = true
	case ruvalid.ValidINN(d) && !ruvalid.ValidINN(p.inn.text):
		p.inn.text = d
		p.inn.conf = c * innReplacedFactor
		if !padded {
			// The box read again with a margin giving the same digits
			// is the replacement's second reading (study seed 10261's
			// scanner-app счёт-фактура 009: «50496919796» on the page,
			// «504969197906» tight and with a margin).
			if t2, c2, err := x.rr.ReadLine(x.ctx, p.inn.toks[0].page, padID(boxOf(p.inn.toks)), idRereadWhitelist); err == nil && innDigits(t2, d) == d {
				p.inn.conf = max(p.inn.conf, min(idAgreedCap, (p.inn.conf+c2)/2+idAgreedBonus))
				x.second[field] = true
			}
		}
	case ruvalid.ValidINN(d) && ruvalid.ValidINN(p.inn.text):
		// Two valid readings that differ: do not guess.
		p.inn.conf = min(p.inn.conf, disagreedCap)
	}
}

// innDigits is the ИНН in a re-read of its box: its digits, cut to the
// length of the reading inn when more were read (the КПП after a slash).
func innDigits(text, inn string) string {
	d := onlyDigits(text)
	if len(d) > 12 && len(inn) <= len(d) {
		if cand := d[:len(inn)]; ruvalid.ValidINN(cand) {
			d = cand
		}
	}
	return d
}

// rereadKPP reads a doubtful КПП again. A КПП has no check digit, so a
// second reading only confirms (raising confidence) or replaces a value
// that does not even have the КПП form.
func (x *extraction) rereadKPP(p *partyResult) {
	if x.rr == nil || len(p.kpp.toks) == 0 {
		return
	}
	text, c, err := x.rr.ReadLine(x.ctx, p.kpp.toks[0].page, boxOf(p.kpp.toks), idRereadWhitelist)
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

// checkBank validates the bank block by the account keys.
func (x *extraction) checkBank() {
	if !x.bank.found() {
		return
	}
	b := &x.bank
	x.checkBIKByKeys()
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

// checkBIKByKeys judges a well-formed БИК by the two accounts printed with
// it: when both were read and neither passes its key with the БИК, the
// БИК is as likely the misread figure as they are (unseen seed 9421's
// scanned bill 010 read 044525232 as «044525252» and showed it at 0.95
// beside both accounts failing). The one digit change, among OCR's
// confusions, that makes both keys pass repairs it — the correspondent
// account repeats the БИК's last three digits, so two keys rarely pass by
// chance — and a clerk confirms it; without one, the БИК is not sure.
//
// The settlement account's key reads only the БИК's last three digits; the
// correspondent account's reads its fifth and sixth too. So a correspondent
// account failing while the settlement account passes leaves those two
// digits unchecked, and the same holds (unseen seed 9461's photographed
// contract 009: «048075601» for 048073601 at 0.95, its settlement account
// passing).
func (x *extraction) checkBIKByKeys() {
	b := &x.bank
	if !b.bikValid || b.corrValid || b.account.empty() || b.corr.empty() {
		return
	}
	keyed := func(s string) bool {
		return ruvalid.ValidBIK(s) && ruvalid.ValidAccount(b.account.text, s) && ruvalid.ValidCorrAccount(b.corr.text, s)
	}
	if fixed, repaired, ok := ruvalid.RepairDigits(b.bik.text, keyed); ok && repaired {
		b.bik.text = fixed
		b.bik.conf *= accountRepairedFactor
		b.accValid, b.corrValid = true, true
		x.reason(pervichka.ReasonRepaired, "supplier_bank.bik")
		return
	}
	b.bik.conf *= checkFailedFactor
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

// mendName reads again, as one line, a side's name that does not look like
// one (nameProblem: no legal form, title words) and takes the second
// reading when it does. A bold name in a photo («АО «МК» Высота»» on
// real-dev's 18-12-43) came out of the page's reading as «ae pila
// Высота»», while the same pixels cropped as one line read right: the
// page segmentation, not the letters, failed there.
//
// The mended name is a repair, not a confirmed value: its confidence is
// capped at nameMendedCap, so the document goes to a clerk with the field
// highlighted unless evidence of its own (a second printing, our own
// organisation) vouches for it. A name that already looks like one is
// never replaced: two well-formed readings that differ cannot be told
// apart.
func (x *extraction) mendName(p *partyResult) {
	if x.rr == nil || p.name.empty() || len(p.name.toks) == 0 || x.onTextLayer(p.name.toks) || !nameProblem(p.name.text) {
		return
	}
	var read []token
	conf := 1.0
	for _, ts := range splitByLine(p.name.toks) {
		box := x.readBand(ts)
		text, c, err := x.rr.ReadLine(x.ctx, ts[0].page, box, "")
		if err != nil || text == "" {
			return
		}
		conf = min(conf, c)
		read = append(read, pseudoLine(text, ts[0].page, box).toks...)
	}
	v, ok := nameFrom(read)
	if !ok || nameProblem(v.text) || nameForm(v.text) == nameForm(p.name.text) {
		return
	}
	p.name.text = v.text
	p.name.conf = min(conf, nameMendedCap)
}

// readBand is the box to read a run of one line's tokens again in: their
// left and right edges, and the top and bottom of those of them no taller
// than readBandTallest page units. A misread word's box is often much
// taller than the text: 18-12-43's «ae» and «pila» spanned over twice
// the page's median word height, taking in ink of the line below, and a crop of that box
// read «ae wate Высота»,» where the line's own band read «AO «MK»
// Высота»,». When every token is that tall, their own box it is.
func (x *extraction) readBand(ts []token) pervichka.Rect {
	r := boxOf(ts)
	unit := x.pageUnit(ts[0].page)
	if unit <= 0 {
		return r
	}
	var band pervichka.Rect
	for _, t := range ts {
		if float64(t.box.Dy()) <= readBandTallest*unit {
			band = band.Union(t.box)
		}
	}
	if band.Dx() <= 0 || band.Dy() <= 0 {
		return r
	}
	r.Y0, r.Y1 = band.Y0, band.Y1
	return r
}

// readBandTallest is the height, in the page's median word heights, above
// which a token's box is taken for a misreading's (readBand). Chosen by
// hand between the well-read words of 18-12-43's buyer line (0.89-1.22
// units, the bold label «Покупатель:» 1.48) and its misread ones (2.26
// and 2.56); not measured on more pages.
// A word wrongly left out of the band only narrows the crop's height to
// the others'.
const readBandTallest = 1.5

// pageUnit is the median word height of a page (line.unit), or 0 when the
// page has no line.
func (x *extraction) pageUnit(page int) float64 {
	for i := range x.lines {
		if x.lines[i].page == page {
			return x.lines[i].unit
		}
	}
	return 0
}

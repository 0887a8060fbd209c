package fields

import (
	"slices"
	"strings"
	"unicode"

	pervichka "github.com/pervichka/pervichka"
)

// title is the line that names the document, with what it says.
type title struct {
	line    *line
	typ     pervichka.DocType
	score   float64 // how sure the match is, 0..1
	numAt   int     // index of the first token after the «№» sign; -1 if none
	keyword int     // index of the token that starts the title
}

// hasNumberSign reports whether a token is the «№» sign or an OCR reading
// of it (N, No, Nº, Ne, Ns…), possibly with the number glued on.
func numberSign(t token) (isSign bool, rest string) {
	s := t.text
	for _, p := range []string{"№", "N°", "Nº", "No.", "No", "N.", "Ne", "Ns", "Na", "N"} {
		if strings.HasPrefix(s, p) {
			rest = strings.TrimLeft(s[len(p):], ":. ")
			if rest == "" {
				return true, ""
			}
			if p == "№" || startsWithDigit(rest) {
				return true, rest
			}
		}
	}
	return false, ""
}

func startsWithDigit(s string) bool { return s != "" && s[0] >= '0' && s[0] <= '9' }

// findNumberSign returns the index of the first «№» token at or after from,
// or -1. A form marker «(1)» or «Приложение» ends the search: what follows
// on the line is the form's decree note («Приложение № 1 к постановлению
// …»), whose «№» is the appendix's, not the document's (seed 9501's
// realistic УПД 005, whose own «№» OCR lost, was numbered «1 к
// постановлению»).
func findNumberSign(ts []token, from int) int {
	for i := from; i < len(ts); i++ {
		if isFormMarker(ts[i].text) || strings.HasPrefix(ts[i].key, "приложени") {
			return -1
		}
		if ok, _ := numberSign(ts[i]); ok {
			return i
		}
	}
	return -1
}

// titleCandidates scans the lines of the first page(s) for title lines.
func titleCandidates(lines []line) []title {
	var out []title
	limit := len(lines)
	for i := 0; i < limit; i++ {
		l := &lines[i]
		if l.page > 0 && len(out) > 0 {
			break
		}
		if l.page > 1 {
			break
		}
		// A title starts its line or a cell of it (the УПД prints
		// «Универсальный передаточный документ» left of «Счет-фактура №»),
		// after at most some OCR debris (marks without letters); a title
		// word inside a sentence is not one.
		cellStart := true
		for k := 0; k < len(l.toks); k++ {
			if k > 0 && float64(l.toks[k].box.X0-l.toks[k-1].box.X1) > 1.5*l.unit {
				cellStart = true
			}
			if cellStart {
				if t, ok := matchTitleAt(l, k); ok {
					out = append(out, t)
					break
				}
			}
			if hasLetter(l.toks[k].text) {
				cellStart = false
			}
		}
	}
	if len(out) == 0 {
		if t, ok := formNumberLine(lines); ok {
			out = append(out, t)
		}
	}
	return out
}

// formNumberLine finds the number line of a счёт-фактура or УПД form
// whose title OCR lost: «№ 786 от 29 апреля 2023 г.» opening a cell of a
// line that carries the form's line mark «(1)», on a first page that
// carries the marks of the form's other lines («(2а)», «(6б)»). Seed
// 9301's scanned УПД 013 lost «СЧЁТ-ФАКТУРА» and «Универсальный» under
// the scanner's dark top edge and came out of unknown type, without its
// number and date. The marks make it the form; whether it is a УПД is
// left to the status box and transfer section, as for any счёт-фактура
// title. Looked for only when no title at all was read.
func formNumberLine(lines []line) (title, bool) {
	marked := false
	for i := range lines {
		if lines[i].page > 0 {
			break
		}
		marked = marked || hasFormLineMark(&lines[i])
	}
	if !marked {
		return title{}, false
	}
	for i := 0; i < len(lines) && i < formNumberLineMax && lines[i].page == 0; i++ {
		l := &lines[i]
		if !slices.ContainsFunc(l.toks, func(t token) bool { return t.text == "(1)" }) {
			continue
		}
		for k, t := range l.toks {
			if ok, rest := numberSign(t); !ok || rest != "" || k+3 >= len(l.toks) {
				continue
			}
			if k > 0 && float64(t.box.X0-l.toks[k-1].box.X1) <= 1.5*l.unit {
				continue // not the start of a cell
			}
			if !startsWithDigit(l.toks[k+1].text) || l.toks[k+2].key != "от" {
				continue
			}
			return title{line: l, typ: pervichka.DocVATInvoice, score: titleFormLineScore * (titleOCRFloor + (1-titleOCRFloor)*minConf(l.toks[k:k+3])), numAt: k, keyword: k}, true
		}
	}
	return title{}, false
}

// hasFormLineMark reports a line carrying one of the line marks only a
// счёт-фактура form prints: «(1а)», «(2а)», «(2б)», «(5а)», «(6а)», «(6б)».
// They are looked for in the words as read: a word's key drops the
// brackets, and with them what tells the mark from a «2б» in an address.
// OCR reads «б» as «6» and «6» as «б» in them: seed 9301's scanned УПД
// 013 gave «(26)», «(66)» and «(ба)».
func hasFormLineMark(l *line) bool {
	for _, t := range l.toks {
		r := []rune(t.text)
		if len(r) != 4 || r[0] != '(' || r[3] != ')' {
			continue
		}
		d, c := r[1], r[2]
		if d == 'б' {
			d = '6'
		}
		if c == 'a' {
			c = 'а'
		}
		if (d == '1' || d == '2' || d == '5' || d == '6') && (c == 'а' || c == 'б' || c == '6') && !(c == '6' && d != '2' && d != '6') {
			return true
		}
	}
	return false
}

// formNumberLineMax is how many lines from the top formNumberLine looks
// at: the form's line (1) is among its first (the УПД's status legend and
// the decree's note may come before it in reading order).
const formNumberLineMax = 12

// matchTitleAt tries to read a document title starting at token k of l.
func matchTitleAt(l *line, k int) (title, bool) {
	ts := l.toks
	key := ts[k].key
	next := func(j int) string {
		if k+j < len(ts) {
			return ts[k+j].key
		}
		return ""
	}
	sign := findNumberSign(ts, k+1)
	// Near: at most three words between, not counting marks without
	// letters or digits (see compactMatch).
	signNear := sign >= 0 && wordsBetween(ts, k, sign) <= 3
	t := title{line: l, numAt: -1, keyword: k}
	if sign >= 0 {
		t.numAt = sign
	}
	if !capitalised(ts, k) {
		// Titles are capitalised; «и счет-фактуру» wrapped onto a new
		// line of a clause is not a title.
		return t, false
	}
	height := float64(ts[k].box.Dy()) / l.unit
	big := 0.0
	if height > titleBigHeight {
		big = titleBigBonus
	}
	conf := minConf(ts[k:min(len(ts), k+3)])
	sfEnd := compactEnd(ts, k, "счетфактура")
	switch {
	// «Счет-фактура», «Счёт-фактура», «СЧЕТ - ФАКТУРА», «Счетфактура»,
	// and OCR splits like «СЧ ЕТ-ФАКТУРА», «СЧЁТ-Ф АКТУРА».
	case sfEnd >= 0:
		// Near the title's last piece: a split title's pieces are not
		// words between it and its «№».
		if sign < 0 || wordsBetween(ts, sfEnd, sign) > 3 {
			return t, false
		}
		t.typ = pervichka.DocVATInvoice
		t.score = titleVATInvoiceScore + big
	// ТОРГ-12 prints «ТОВАРНАЯ НАКЛАДНАЯ» beside the boxes «Номер
	// документа | Дата составления», so no «№» follows it; «Товарная
	// накладная № 5 от …» is a reference in another document's cell.
	// OCR splits its second word too: «ТОВАРНАЯ H АКЛАДНАЯ» (unseen seed
	// 9501's scanned ТОРГ-12 006 lost its number and date so).
	case matchScore(key, "товарная") > 0 && (matchScore(next(1), "накладная") > 0 || compactEnd(ts, k+1, "накладная") >= 0):
		if signNear {
			return t, false
		}
		// «Товарная накладная имеет приложение на … листах и содержит …
		// номеров записей»: the form's own sentence at its foot, not
		// its title (9841's realistic ТОРГ-12 004 took it for one over
		// the title, whose number OCR read unsurely, and lost its
		// number and date).
		if w := next(2); matchScore(w, "имеет") > 0 || containsKey(l, "приложение") || containsKey(l, "записей") {
			return t, false
		}
		// Its title is the two words; the third is the number's box,
		// whose confidence says nothing of the title's.
		conf = minConf(ts[k:min(len(ts), k+2)])
		t.typ = pervichka.DocTORG12
		t.score = titleFullScore + big
	case matchScore(key, "универсальный") > 0 && matchScore(next(1), "передаточный") > 0:
		t.typ = pervichka.DocUPD
		t.score = titleUPDScore + big
	case matchScore(key, "счет") > 0 || strings.HasPrefix(key, "счет-") || matchScore(key, "cчет") > 0:
		n1 := next(1)
		switch {
		case matchScore(n1, "на") > 0 && matchScore(next(2), "оплату") > 0:
			t.score = titleFullScore + big
		case strings.HasPrefix(key, "счет-договор") || strings.HasPrefix(key, "счет-оферта"):
			t.score = titleInvoiceContractScore + big
		case signNear:
			t.score = titleInvoiceSignScore + big
		default:
			return t, false
		}
		t.typ = pervichka.DocInvoice
	case matchScore(key, "акт") > 0 || key == "акт":
		n1 := next(1)
		switch {
		case strings.HasPrefix(n1, "выполненн") || strings.HasPrefix(n1, "оказанн") ||
			strings.HasPrefix(n1, "сдачи") || strings.HasPrefix(n1, "приемки") || strings.HasPrefix(n1, "об"):
			t.score = titleFullScore + big
		case signNear:
			t.score = titleActSignScore + big
		default:
			return t, false
		}
		t.typ = pervichka.DocAct
	case matchScore(key, "договор") > 0:
		// «Основание: Договор № …» on a bill is a reference, not a title;
		// OCR debris before the word (a stray «7» from a fold) is no text.
		if slices.ContainsFunc(ts[:k], func(t token) bool { return hasLetter(t.text) }) || !signNear && len(ts) > k+2 && big == 0 {
			return t, false
		}
		t.typ = pervichka.DocContract
		t.score = titleContractScore + big
		if signNear {
			t.score += titleContractSignBonus
		}
	default:
		return t, false
	}
	t.score *= titleOCRFloor + (1-titleOCRFloor)*conf
	return t, true
}

// classify decides the document type from its lines.
func classify(lines []line) (pervichka.DocType, float64, *title) {
	cands := titleCandidates(lines)
	if len(cands) == 0 {
		return pervichka.DocUnknown, 0, nil
	}
	var markersUPD, markersSF, markersTORG12, requisites, formFoot int
	ocr := false
	for i := range lines {
		// The transfer section of a УПД («Товар (груз) передал»,
		// «Основание передачи (сдачи) / получения (приемки)») and the
		// signatures at the foot of the form may be on any page.
		for _, t := range lines[i].toks {
			ocr = ocr || t.conf < 1
			switch {
			case t.key == "сдачи" || t.key == "приемки" || matchScore(t.key, "передаточный") > 0:
				markersUPD++
			case strings.HasPrefix(t.key, "руководител") || strings.HasPrefix(t.key, "бухгалтер") ||
				strings.HasPrefix(t.key, "предпринимател"):
				formFoot++
			}
		}
		if lines[i].page > 0 {
			continue
		}
		k := lines[i].keys()
		if strings.Contains(k, "универсальный передаточный") || strings.HasPrefix(k, "статус") ||
			strings.Contains(k, "передаточный документ") {
			markersUPD++
		}
		if hasFormLineMark(&lines[i]) {
			markersSF++
		}
		// The form's code line: «Унифицированная форма № ТОРГ-12»,
		// «Форма по ОКУД 0330212».
		if strings.Contains(k, "торг-12") || strings.Contains(k, "0330212") {
			markersTORG12++
		}
		if strings.Contains(k, "реквизиты") && strings.Contains(k, "сторон") {
			requisites++
		}
	}
	// The first title in reading order names the document, but a УПД is a
	// счёт-фактура form with a status box, and a contract-style invoice
	// («счёт-договор») is an invoice.
	best := &cands[0]
	for i := range cands {
		c := &cands[i]
		if c.typ == pervichka.DocUPD || (best.typ == pervichka.DocUPD) {
			continue
		}
		// Prefer a title printed larger or matched more surely when the
		// first one is weak.
		if c.score > best.score+titleOvertakeMargin {
			best = c
		}
	}
	typ, score := best.typ, best.score
	// Find the line with the number for the chosen type (УПД: the
	// «Счет-фактура №» line; others: the title itself).
	hasSF := false
	for i := range cands {
		if cands[i].typ == pervichka.DocVATInvoice {
			hasSF = true
			if typ == pervichka.DocUPD || typ == pervichka.DocVATInvoice {
				best = &cands[i]
				break
			}
		}
	}
	switch {
	case markersUPD > 0 && (hasSF || typ == pervichka.DocUPD):
		typ = pervichka.DocUPD
		score = max(score, updMarkedScore)
		if markersUPD > 1 || markersSF > 0 {
			score = max(score, updMarkedTwiceScore)
		}
	case typ == pervichka.DocVATInvoice && markersSF > 0:
		score = min(1, score+vatInvoiceMarkerBonus)
	case typ == pervichka.DocTORG12 && markersTORG12 > 0:
		score = min(1, score+markerBonus)
	case typ == pervichka.DocContract && requisites > 0:
		score = min(1, score+contractMarkerBonus)
	case typ == pervichka.DocInvoice || typ == pervichka.DocAct:
		score = min(1, score+markerBonus)
	}
	// A УПД is a счёт-фактура form plus a status box and a transfer
	// section. On a text layer their absence is certain; on an OCR'd page
	// it proves nothing unless the foot of the form was read at all, and
	// calling a УПД a счёт-фактура is a wrong key field: below the
	// routing threshold then.
	if typ == pervichka.DocVATInvoice && ocr && formFoot == 0 {
		score = min(score, unprovenVATInvoiceCap)
	}
	// A second, different title in the first lines makes the verdict less sure.
	for i := range cands {
		c := &cands[i]
		if c.typ != typ && c.line.idx != best.line.idx && !(typ == pervichka.DocUPD && c.typ == pervichka.DocVATInvoice) && c.score > rivalTitleScore {
			score *= rivalTitleFactor
			break
		}
	}
	return typ, min(score, 1), best
}

// Classify returns the document type and a confidence from the words.
func Classify(pages []pervichka.Page) (pervichka.DocType, float64) {
	typ, conf, _ := classify(buildLines(pages))
	return typ, conf
}

func hasLetter(s string) bool {
	for _, r := range s {
		if unicode.IsLetter(r) {
			return true
		}
	}
	return false
}

// wordsBetween counts the tokens strictly between i and j that have a key
// (letters or digits).
func wordsBetween(ts []token, i, j int) int {
	n := 0
	for _, t := range ts[i+1 : j] {
		if t.key != "" {
			n++
		}
	}
	return n
}

// compactMatch reports whether one to four words from k, joined without
// spaces and dashes, fuzzily spell kw: OCR breaks long title words apart.
// capitalised reports whether the word at k starts with a capital, or
// is the start of a word in capitals whose first letter OCR read in lower
// case: most Cyrillic capitals are their small letter enlarged («С» and
// «с»), and a split title («сч ЁТ-ФАКТУРА», seed 31's realistic
// счёт-фактура photo) keeps only the size to tell them apart. The letters
// after it, in the word or the next one, must then be capitals or letters
// shaped like them (smallCapShapes), four in five at least.
func capitalised(ts []token, k int) bool {
	r := []rune(ts[k].text)
	if len(r) == 0 {
		return false
	}
	if unicode.IsUpper(r[0]) {
		return true
	}
	if !unicode.IsLower(r[0]) {
		return false
	}
	rest := string(r[1:])
	if !strings.ContainsFunc(rest, unicode.IsLetter) && k+1 < len(ts) {
		rest = ts[k+1].text
	} else if k+1 < len(ts) && !strings.ContainsFunc(rest, unicode.IsUpper) {
		rest += ts[k+1].text
	}
	letters, upper := 0, 0
	for _, c := range rest {
		if unicode.IsLetter(c) {
			letters++
			if unicode.IsUpper(c) || strings.ContainsRune(smallCapShapes, c) {
				upper++
			}
		}
	}
	return letters >= 3 && upper*10 >= letters*8
}

// smallCapShapes are the Cyrillic small letters shaped like their capital
// (OCR tells them apart only by size): in a word of capitals they may be
// read small too — «сч ЕТ ia ФАКТУРА» (unseen seed 9421's scanned
// счёт-фактура 044, whose type was lost). а, б, д, е, р, у, ф differ.
const smallCapShapes = "вгжзийклмнопстхцчшщъыьэюя"

// compactEnd is compactMatch's last word, or -1 for no match.
func compactEnd(ts []token, k int, kw string) int {
	if j, ok := compactMatch(ts, k, kw); ok {
		return j
	}
	return -1
}

// compactMatch reports whether up to four words from ts[k] read as kw
// run together: OCR splits a title's letters («СЧ ЕТ-ФАКТУРА», «ФА КТУР
// А»), and returns the index of the last word it took. A word with no
// letters between them is passed over, not counted: a mark («СЧЕТ > ФА
// КТУР А», seed 9301's scanner-app счёт-фактура 005), or a ghost Tesseract
// read over the title's own letters as a line of its own («СЧЕТ +2 ФАК
// ТУ РА», 9801's scanner-app счёт-фактура 014, whose type, number and date
// were lost).
func compactMatch(ts []token, k int, kw string) (int, bool) {
	var b strings.Builder
	for j, n := k, 0; j < len(ts) && n < 4; j++ {
		if j > k && !hasLetter(ts[j].key) {
			continue
		}
		n++
		b.WriteString(strings.NewReplacer("-", "", "—", "", "–", "").Replace(ts[j].key))
		c := b.String()
		if matchScore(c, kw) > 0 {
			return j, true
		}
		if len([]rune(c)) > len([]rune(kw))+2 {
			return 0, false
		}
	}
	return 0, false
}

package fields

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/pervichka/pervichka/extractors/ruvalid"
)

// nameStopKeys end a party name: the requisites and address that follow it.
var nameStopKeys = []string{"инн", "инн/кпп", "кпп", "огрн", "огрнип", "адрес", "юридический", "р/с", "тел", "телефон", "бик", "в", "сч"}

// paymentGridKeys are the labels of the payment-order grid that 1C prints
// on a bill beside the payee («Вид оп.», «Срок плат.», «Наз. пл.», «Очер.
// плат.», «Код», «Рез. поле»): on the payee's row they stand where a name
// would, and a name never starts with them.
var paymentGridKeys = []string{"код", "вид", "видоп", "срок", "наз", "очер", "рез"}

// partyName finds the name of the side a hit belongs to, trying the labels
// of that side nearest to the hit: text right of the label, else the line
// under the label in its column, else (a payee label printed under the
// name, as on bills) the line above. Labels on or above the hit's line come
// first; then the text before «ИНН» on the hit's own line; then labels
// below it — a label under an unlabelled requisites line («(Заказчик):»
// wrapped under a «Покупатель» OCR lost) names what follows it, not the
// line above.
func partyName(lines []line, hits []roleHit, h idHit) value {
	type cand struct {
		hit roleHit
		d   int
	}
	var cs []cand
	for _, r := range hits {
		if h.attributed && r.role != h.role {
			continue
		}
		d := h.line - r.line
		if d < 0 {
			d = -d*3 + 1
		}
		if d > 14 {
			continue
		}
		cs = append(cs, cand{r, d})
	}
	slices.SortStableFunc(cs, func(a, b cand) int { return a.d - b.d })
	for _, c := range cs {
		if c.hit.line > h.line {
			continue
		}
		if v, ok := nameAtLabel(lines, hits, c.hit); ok {
			return v
		}
	}
	// No label above: the text before «ИНН» on the hit's own line.
	l := &lines[h.line]
	var toks []token
	for _, t := range l.toks {
		if t.box.X0 >= h.x0 {
			break
		}
		toks = append(toks, t)
	}
	if v, ok := nameFrom(toks); ok {
		v.conf *= nameNoLabelFactor
		return v
	}
	for _, c := range cs {
		if c.hit.line <= h.line {
			continue
		}
		if v, ok := nameAtLabel(lines, hits, c.hit); ok {
			return v
		}
	}
	return value{}
}

// columnRight is where the column of a label on its line ends: at the next
// label of the other side to its right, else the page edge.
func columnRight(hits []roleHit, r roleHit) int {
	right := 1 << 30
	for _, o := range hits {
		if o.line == r.line && o.box.X0 > r.box.X1 && o.role != r.role {
			right = min(right, o.box.X0)
		}
	}
	return right
}

func nameAtLabel(lines []line, hits []roleHit, r roleHit) (value, bool) {
	l := &lines[r.line]
	right := columnRight(hits, r)
	// Right of the label on its own line, skipping «(Исполнитель):».
	var after []token
	for i := r.tok + 1; i < len(l.toks); i++ {
		t := l.toks[i]
		if t.box.X0 >= right {
			break
		}
		if len(after) == 0 && isLabelNoise(t) {
			continue
		}
		if len(after) > 0 && float64(t.box.X0-after[len(after)-1].box.X1) > 3*l.unit {
			break
		}
		after = append(after, t)
	}
	// On 1C's bill the payee's row of the payment grid goes on past
	// «Получатель» with «Код», «Рез. поле»: the name is on the line above.
	gridRow := len(after) > 0 && slices.Contains(paymentGridKeys, strings.Trim(after[0].key, ":,."))
	if v, ok := nameFrom(after); ok {
		return wrappedQuote(lines, r.line, v, right), true
	}
	if len(after) > 0 && !gridRow {
		// Something that is not a name follows the label (ИНН digits).
		return value{}, false
	}
	// The line under the label, within its column.
	left := r.box.X0 - int(2*l.unit)
	for i := r.line + 1; !gridRow && i < len(lines) && i <= r.line+2; i++ {
		nl := &lines[i]
		if nl.page != l.page {
			break
		}
		var toks []token
		for _, t := range nl.toks {
			if t.box.X0 >= left && t.box.X0 < right {
				toks = append(toks, t)
			}
		}
		if v, ok := nameFrom(toks); ok && holdsTitleWords(v.text) {
			// The document's title under a payee label («Получатель» at
			// the foot of 1C's bank grid): the name is above the label.
			break
		} else if ok {
			// A long name wraps within its column: take the following
			// lines until the requisites start.
			for j := i + 1; j < len(lines) && j <= i+2 && lines[j].page == l.page; j++ {
				if float64(lines[j].box.Y0-lines[j-1].box.Y1) > 1.0*l.unit {
					break
				}
				var more []token
				for _, t := range lines[j].toks {
					if t.box.X0 >= left && t.box.X0 < right {
						more = append(more, t)
					}
				}
				if len(more) == 0 {
					break
				}
				ext, ok := nameFrom(append(append([]token{}, v.toks...), more...))
				if !ok || len(ext.toks) <= len(v.toks) {
					break
				}
				if len(ext.toks) < len(v.toks)+len(more) {
					v = ext // the requisites started on this line
					break
				}
				v = ext
			}
			return v, true
		}
		if len(toks) > 0 {
			break
		}
	}
	// A payee label under the name («ООО "Ромашка"» / «Получатель»). In
	// 1C's grid the payee's cell spans two or three rows whose right-hand
	// cells hold the grid's own labels («Наз. пл.», «Очер. плат.»): look
	// past those, up to three lines.
	if r.line > 0 && (len(l.toks) <= 3 || gridRow) {
		up := 1
		if gridRow {
			up = 3
		}
		for i := r.line - 1; i >= 0 && i >= r.line-up && lines[i].page == l.page; i-- {
			var toks []token
			for _, t := range lines[i].toks {
				if t.box.X0 >= left && t.box.X0 < right+int(8*l.unit) {
					toks = append(toks, t)
				}
			}
			if v, ok := nameFrom(toks); ok {
				v.conf *= nameAbovePayeeFactor
				return v, true
			}
			if len(toks) > 0 && !slices.Contains(paymentGridKeys, strings.Trim(toks[0].key, ":,.")) {
				break
			}
		}
	}
	return value{}, false
}

// wrapQuoteWords is how many words of the next line may finish a name
// whose quote was left open at the end of its line: the rest of a quoted
// name («"Региональная / Артель"»), not an address that happens to hold a
// quote.
const wrapQuoteWords = 3

// wrappedQuote finishes a name right of its label whose quoted part goes
// on to the next line («Заказчик: Общество с ограниченной
// ответственностью "Региональная» over «Артель"»): the next line's first
// words, starting under the name and closing the quote within
// wrapQuoteWords words, are appended. Without them the name lost its last
// word, and a printing of the whole name elsewhere still vouched for the
// part that was read (seed 1's act 045, at 0.96). A name whose quote is
// closed, or a next line that does not close it, is left as read.
func wrappedQuote(lines []line, li int, v value, right int) value {
	if !quoteLeftOpen(v.text) || li+1 >= len(lines) {
		return v
	}
	l, nl := &lines[li], &lines[li+1]
	if nl.page != l.page || float64(nl.box.Y0-l.box.Y1) > 1.0*l.unit {
		return v
	}
	last := v.toks[len(v.toks)-1].box.X1
	for _, t := range l.toks {
		if t.box.X0 > last && t.box.X0 < right {
			// The line goes on after the name («Поставщик ООО
			// "Энергомаркет*, ИНН …», its closing quote read as a
			// star): the quote closed there, however OCR read it. 9841's
			// scanner-app ТОРГ-12 014 took the next line's «Акционерное
			// общество “Спектр”» into the supplier's name.
			return v
		}
	}
	left := v.toks[0].box.X0 - int(2*l.unit)
	var more []token
	for _, t := range nl.toks {
		if t.box.X0 < left || t.box.X0 >= right {
			continue
		}
		more = append(more, t)
		if strings.ContainsAny(t.text, "»\"”") {
			break
		}
		if len(more) == wrapQuoteWords {
			return v
		}
	}
	if len(more) == 0 || !strings.ContainsAny(more[len(more)-1].text, "»\"”") {
		return v
	}
	ext, ok := nameFrom(append(append([]token{}, v.toks...), more...))
	if !ok || quoteLeftOpen(ext.text) {
		return v
	}
	return ext
}

// quoteLeftOpen reports whether the last quote of s opens a word: a quote
// of any style with a letter or digit right after it. OCR mixes and swaps
// quote styles («ООО “ТК Сфера"», «"Кабельтрейд“»), so the style does not
// tell opening from closing; what follows the quote does.
func quoteLeftOpen(s string) bool {
	i := strings.LastIndexAny(s, "«»“”„\"")
	if i < 0 {
		return false
	}
	_, size := utf8.DecodeRuneInString(s[i:])
	next, _ := utf8.DecodeRuneInString(s[i+size:])
	return unicode.IsLetter(next) || unicode.IsDigit(next)
}

// isLabelNoise reports the words between a role label and the name:
// colons, parenthesised synonyms «(Исполнитель):», form markers.
func isLabelNoise(t token) bool {
	s := strings.TrimSpace(t.text)
	if s == ":" || s == "-" || s == "—" || isFormMarker(s) {
		return true
	}
	if k := strings.Trim(t.key, ":"); k == "платежа" || k == "средств" {
		return true // «Получатель платежа»
	}
	if strings.HasPrefix(s, "(") && strings.HasSuffix(strings.TrimRight(s, ":"), ")") {
		return true
	}
	return false
}

// nameFrom cuts a party name from the words after its label: up to a comma,
// the ИНН or address, or a form marker.
func nameFrom(ts []token) (value, bool) {
	// «000 “Стройпроект”»: a legal form read in look-alikes before a
	// quoted name (a digit first would otherwise refuse the name); its
	// opening quote may be read as a dash or a star too («000
	// -Теплодльянс“», seed 8801's photographed act 015; see
	// dropNameDebris).
	// A debris mark before that quote is dropped with the name's debris
	// («000 =«ГеоМастер Групп»», 9901's realistic УПД 011).
	if len(ts) > 1 && (startsWithQuote(strings.TrimLeft(ts[1].text, nameDebris)) || startsWithFlatQuote(ts[1].text)) {
		if f, ok := ruvalid.LegalFormLookalike(ts[0].text); ok && f != ts[0].text {
			ts = slices.Clone(ts)
			ts[0].text, ts[0].key = f, wordKey(f)
		}
	}
	// «000 О "ТеплоАльянс"»: the form read as two words (unseen seed
	// 9841's realistic УПД 002, the buyer's name lost).
	if len(ts) > 2 && startsWithQuote(ts[2].text) && !startsWithQuote(ts[1].text) {
		joined := ts[0].text + ts[1].text
		if f, ok := ruvalid.LegalFormLookalike(joined); ok && f != ts[0].text {
			first := ts[0]
			first.text, first.key = f, wordKey(f)
			first.box = first.box.Union(ts[1].box)
			first.conf = min(first.conf, ts[1].conf)
			first.words = append(slices.Clone(first.words), ts[1].words...)
			ts = append([]token{first}, ts[2:]...)
		}
	}
	// «9000“ Магистраль-Центр "»: the same with the opening quote glued
	// to the form (unseen seed 9841's realistic act 007, our own
	// supplier's name lost).
	if len(ts) > 1 && startsWithLetter(ts[1].text) {
		if form, quote, ok := gluedOpeningQuote(ts[0].text); ok {
			if f, ok := ruvalid.LegalFormLookalike(form); ok && f != form {
				ts = slices.Clone(ts)
				ts[0].text, ts[0].key = f, wordKey(f)
				ts[1].text = quote + ts[1].text
			}
		}
	}
	// «UN Гусева Светлана Романовна»: «ИП» read in Latin look-alikes
	// before a person's full name (seed 8801's scanner-app bill 012).
	if len(ts) > 3 && soleTraderLookalike(ts[0].text) {
		if _, ok := ruvalid.PersonName(ts[2].text, strings.TrimRight(ts[3].text, ",.;:")); ok {
			ts = slices.Clone(ts)
			ts[0].text, ts[0].key = "ИП", "ип"
		}
	}
	// «Грузоотправитель АО "Профхолдинг"»: a form's row label before the
	// name on a line without a label of our side (ТОРГ-12's rows, a
	// shipper's line whose ИНН is the supplier's) is not part of the name.
	if len(ts) > 2 && isDebrisWord(ts[0]) && isRowLabel(ts[1].key) {
		// «ы рузостправитель ООО …»: a speck read as a letter before
		// the label.
		ts = ts[1:]
	}
	if len(ts) > 1 && isRowLabel(ts[0].key) {
		ts = ts[1:]
	}
	var keep []token
	for i, t := range ts {
		k := strings.Trim(t.key, ":,.")
		if isFormMarker(strings.TrimRight(t.text, ",:;")) {
			break
		}
		if slices.Contains(nameStopKeys, k) || strings.HasPrefix(k, "инн") || strings.HasPrefix(k, "кпп") {
			if i > 0 {
				break
			}
			return value{}, false
		}
		if i == 0 && startsWithDigit(t.text) {
			return value{}, false
		}
		if slices.Contains(paymentGridKeys, k) {
			if i > 0 {
				break
			}
			return value{}, false
		}
		if i > 0 && float64(t.box.X0-ts[i-1].box.X1) > 3*float64(max(1, t.box.Dy())) {
			break // the next cell of a ruled grid
		}
		tt := t
		cut := false
		if j := strings.IndexByte(tt.text, ','); j >= 0 {
			// «Ромашка»,» or «ООО, ИНН»: the name ends at the comma.
			tt.text = tt.text[:j]
			cut = true
		}
		if tt.text != "" {
			keep = append(keep, tt)
		}
		if cut {
			break
		}
	}
	keep = dropTailAfterQuote(keep)
	// «[» and «|» are a grid's cell border read as a character.
	text := trimNameDot(ruvalid.FixMixedScript(strings.Trim(dropNameDebris(joinTokens(keep)), " :;,-—[|")))
	letters := 0
	for _, r := range text {
		if unicode.IsLetter(r) {
			letters++
		}
	}
	if letters < 3 {
		return value{}, false
	}
	return value{text: text, conf: minConf(keep), toks: keep}, true
}

// isDebrisWord reports a speck read as a word: one or two characters,
// no digit, read unsurely (under 0.5). «ИП» read surely is not one.
func isDebrisWord(t token) bool {
	return len([]rune(t.text)) <= 2 && !strings.ContainsFunc(t.text, unicode.IsDigit) && t.conf < 0.5
}

// soleTraderLookalike reports «ИП» as OCR reads it with Latin letters
// («UN», «Un», «ИN», «UП»): И as U, П as N or n; or with И as М, whose
// strokes a blurred photo runs together (9801's realistic act 009: «МП
// Зайцева Юлия Викторовна»). «ИП» itself is not one. The caller takes it
// for «ИП» only before a person's full name: «МП» is also a municipal
// enterprise's form, which a quoted name follows.
func soleTraderLookalike(w string) bool {
	r := []rune(w)
	if len(r) != 2 || w == "ИП" {
		return false
	}
	return strings.ContainsRune("UuИиМM", r[0]) && strings.ContainsRune("NnПп", r[1])
}

// dropTailAfterQuote cuts the words without letters that follow a name's
// closing quote: «АО «Спектр» 00696» is the name and a number of the next
// column that a skewed row or a shifted reading put on its line. A quoted
// name ends at its quote; digits inside it («СМУ-5») stay. So does a lone
// letter after it: a speck or a stamp's stroke read as one («АО
// "ИнфоПрофи" a» on 10121's realistic УПД 015, «“БизнесХолдинг" О» on
// unseen 10071's realistic photos), which no name prints after its quote.
// A word holding a quote mark is the name's own: «"СМУ 5"», «"АгроСнаб
// М"» (10121's scanned УПД 015) end in it.
func dropTailAfterQuote(ts []token) []token {
	end := len(ts)
	for end > 0 && !strings.ContainsAny(ts[end-1].text, "«»\"“”„") &&
		(!strings.ContainsFunc(ts[end-1].text, unicode.IsLetter) || loneLetter(ts[end-1].text)) {
		end--
	}
	if end == len(ts) || end == 0 || !strings.ContainsAny(ts[end-1].text, "»\"”“") || quoteLeftOpen(ts[end-1].text) {
		return ts
	}
	return ts[:end]
}

// loneLetter reports a word of one letter, marks around it aside.
func loneLetter(w string) bool {
	n := 0
	for _, r := range w {
		if unicode.IsLetter(r) {
			n++
		} else if unicode.IsDigit(r) {
			return false
		}
	}
	return n == 1
}

// trimNameDot drops a full stop after a name's last word when that word is
// not an initial: «ИП Павлов Артём Васильевич.» is the end of a sentence
// or a speck OCR read as a dot, «ИП Павлов А.В.» keeps its initials.
func trimNameDot(s string) string {
	body, ok := strings.CutSuffix(s, ".")
	if !ok {
		return s
	}
	last := body[strings.LastIndexAny(body, " .")+1:]
	if n := len([]rune(last)); n < 3 || !strings.ContainsFunc(last, unicode.IsLetter) {
		return s
	}
	return body
}

// nameDebris are marks no organisation's name is printed with: OCR makes
// them of specks, stamp ink and table rules («ООО *“СибЛогистик Плюс”»,
// «= ООО «ТеплоАльянс»» on seed 8212's photo).
// The gate compares names without punctuation, so a mark left in the
// value would be posted with a repeated printing vouching for it.
const nameDebris = "*®©|~^_<>{}[]\\="

// dropNameDebris deletes nameDebris from a name and closes the gaps, and
// mends a dash that opens a word: no name has a word starting with one, it
// is an opening quote OCR read flat («ООО -Магистраль-Центр"», a
// real-layout soak's silent error) — a quote when the name's quotes are
// one short, else nothing. A lone «©» or «¢» between Cyrillic words is
// «с».
func dropNameDebris(s string) string {
	// «АО ) "ИнфоПрофи"»: a bracket standing alone is a table rule or a
	// stamp's stroke (10121's realistic УПД 015); a name's own brackets
	// hold a word («Банк ГПБ (АО)»).
	if strings.ContainsAny(s, "()") {
		ws := strings.Fields(s)
		ws = slices.DeleteFunc(ws, func(w string) bool { return w == "(" || w == ")" })
		s = strings.Join(ws, " ")
	}
	// «Общество © ограниченной ответственностью»: a lone «©» or «¢»
	// between Cyrillic words is the preposition «с» OCR read as a sign.
	if strings.ContainsAny(s, "©¢") {
		ws := strings.Fields(s)
		for i := 1; i+1 < len(ws); i++ {
			if next, _ := utf8.DecodeRuneInString(ws[i+1]); (ws[i] == "©" || ws[i] == "¢") && unicode.Is(unicode.Cyrillic, next) && strings.ContainsFunc(ws[i-1], func(r rune) bool { return unicode.Is(unicode.Cyrillic, r) }) {
				ws[i] = "с"
			}
		}
		s = strings.Join(ws, " ")
	}
	s = mendLLCForm(s)
	s = mendLongForm(s)
	// «ООО *ЭкоПрофи Юг"»: a star opening a capitalised word is a flat
	// quote like the dash below, not debris to delete; so is a plus
	// («ООО +ВодГрупп»», seed 9301's realistic ТОРГ-12 007).
	if strings.ContainsAny(s, "*+") {
		ws := strings.Fields(s)
		for i, w := range ws {
			if startsWithFlatQuote(w) && (w[0] == '*' || w[0] == '+') {
				ws[i] = "-" + w[1:]
			}
		}
		s = strings.Join(ws, " ")
	}
	s = strings.Map(func(r rune) rune {
		if strings.ContainsRune(nameDebris, r) {
			return -1
		}
		return r
	}, s)
	words := strings.Fields(s)
	for i, w := range words {
		r, size := utf8.DecodeRuneInString(w)
		if r != '-' && r != '—' && r != '–' {
			continue
		}
		next, _ := utf8.DecodeRuneInString(w[size:])
		if !unicode.IsLetter(next) {
			continue
		}
		if quotesOneShort(s) {
			words[i] = "\"" + w[size:]
		} else {
			words[i] = w[size:]
		}
	}
	return strings.Join(words, " ")
}

// mendLLCForm mends the «с» of «Общество с ограниченной ответственностью»
// when OCR read it as one other mark («Общество ‹ ограниченной
// ответственностью», seed 1's УПД 036 photo; a Latin «c»): the words
// around it fix what it is. Only a one-character word there is mended.
func mendLLCForm(s string) string {
	ws := strings.Fields(s)
	for i := 1; i+1 < len(ws); i++ {
		if utf8.RuneCountInString(ws[i]) != 1 || ws[i] == "с" {
			continue
		}
		if strings.EqualFold(ws[i-1], "общество") && strings.HasPrefix(strings.ToLower(ws[i+1]), "ограниченн") {
			ws[i] = "с"
			return strings.Join(ws, " ")
		}
	}
	return s
}

// longForms are the legal forms spelled out, as names print them before
// the name proper.
var longForms = [][]string{
	{"общество", "с", "ограниченной", "ответственностью"},
	{"публичное", "акционерное", "общество"},
	{"непубличное", "акционерное", "общество"},
	{"закрытое", "акционерное", "общество"},
	{"открытое", "акционерное", "общество"},
	{"акционерное", "общество"},
	{"индивидуальный", "предприниматель"},
}

// longFormEdits is how many letters each word of a spelled-out legal form
// may be misread by and still be mended: «Акцмомерное общество»,
// «Общество с ограмичемной ответствемностью» (study seed 10271's
// photographed счета-фактуры 026 and 032), «н» read «м» or «и» twice in a
// word of eight letters or more. No other word of a name is within that of
// them.
const longFormEdits = 2

// mendLongForm spells a misread legal form at the start of a name as it
// is printed: every word of the form within longFormEdits letters of its
// spelling (one-letter words exact), the first letter's case kept. The
// form decides what the name is to the directory, the ledger and the
// comparisons of printings; the name proper after it is left as read.
func mendLongForm(s string) string {
	ws := strings.Fields(s)
	for _, form := range longForms {
		if len(ws) < len(form) {
			continue
		}
		fits, changed := true, false
		for i, f := range form {
			w := strings.ToLower(ws[i])
			switch {
			case w == f:
			case utf8.RuneCountInString(f) >= 8 && levenshtein(w, f, longFormEdits) <= longFormEdits:
				changed = true
			default:
				fits = false
			}
			if !fits {
				break
			}
		}
		if !fits {
			continue
		}
		if !changed {
			return s
		}
		for i, f := range form {
			first, _ := utf8.DecodeRuneInString(ws[i])
			ws[i] = f
			if unicode.IsUpper(first) {
				fr, size := utf8.DecodeRuneInString(f)
				ws[i] = string(unicode.ToUpper(fr)) + f[size:]
			}
		}
		return strings.Join(ws, " ")
	}
	return s
}

// quotesOneShort reports whether s closes one quote more than it opens
// (straight quotes count as either, in pairs).
func quotesOneShort(s string) bool {
	open, closing, straight := 0, 0, 0
	for _, r := range s {
		switch r {
		case '«', '“', '„':
			open++
		case '»', '”':
			closing++
		case '"':
			straight++
		}
	}
	return (closing+straight-open)%2 == 1
}

// startsWithFlatQuote reports s beginning with a mark OCR gives for an
// opening quote («-», «—», «*») followed by a capital letter.
func startsWithFlatQuote(s string) bool {
	r, size := utf8.DecodeRuneInString(s)
	if !strings.ContainsRune("-—–*+", r) {
		return false
	}
	next, _ := utf8.DecodeRuneInString(s[size:])
	return unicode.IsUpper(next)
}

// gluedOpeningQuote splits w into a word and the quote marks it ends with
// («9000“» → «9000», «“»); false when w ends with no quote or is nothing
// but quotes.
func gluedOpeningQuote(w string) (word, quote string, ok bool) {
	word = strings.TrimRightFunc(w, func(r rune) bool { return strings.ContainsRune("\"«“„'`", r) })
	if word == "" || word == w {
		return "", "", false
	}
	return word, w[len(word):], true
}

// startsWithLetter reports whether s begins with a letter.
func startsWithLetter(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return unicode.IsLetter(r)
}

// startsWithQuote reports whether s begins with an opening quote of any
// style OCR gives.
func startsWithQuote(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return strings.ContainsRune("\"«“„'`", r)
}

// rowLabels are the labels of a form's party rows that may stand before a
// name on its line: the role nominatives and the consignor/consignee rows.
var rowLabels = append([]string{"грузоотправитель", "грузополучатель"}, nominatives...)

// longRowLabel is the length from which a row label is matched with three
// slips (isRowLabel): «грузоотправитель», «грузополучатель».
const longRowLabel = 14

// isRowLabel reports whether key (a token key) is one of rowLabels, as
// printed or one OCR slip away from it.
func isRowLabel(key string) bool {
	k := strings.Trim(key, ":()«»\"")
	if len([]rune(k)) < 6 {
		return false
	}
	for _, l := range rowLabels {
		// A letter lost or two merged («груюполучатель», «рузоотправитель»,
		// seeds 8801 and 8812's ТОРГ-12 photos) changes the length by one.
		if d := len([]rune(k)) - len([]rune(l)); d >= -1 && d <= 1 && matchScore(k, l) > 0 {
			return true
		}
		// The long consignor and consignee labels stay theirs with three
		// slips («рузоволучатеть», seed 8901's realistic ТОРГ-12 001, which
		// gave it as part of the buyer's name): no word of a name comes
		// within three letters of fifteen.
		if n := len([]rune(l)); n >= longRowLabel && levenshtein(k, l, 3) <= 3 {
			return true
		}
	}
	return false
}

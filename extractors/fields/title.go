package fields

import (
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode"

	"github.com/pervichka/pervichka/extractors/ruvalid"
)

// value is one extracted field with the words it came from.
type value struct {
	text string
	conf float64
	toks []token
}

func (v value) empty() bool { return v.text == "" }

// dateValue is a date field with its parsed form.
type dateValue struct {
	value
	date time.Time
	// assembled is set when the date was read only after joining OCR's
	// words (a split month, day or year, a lone digit before the day):
	// its capped confidence is meant to send it to a clerk, and a second
	// reading of the same words does not lift it.
	assembled bool
}

// isFormMarker reports a column/row marker of the statutory forms: «(1)»,
// «(1а)», «(2б)».
func isFormMarker(s string) bool {
	if len(s) < 3 || s[0] != '(' || s[len(s)-1] != ')' {
		return false
	}
	inner := []rune(s[1 : len(s)-1])
	if len(inner) == 0 || len(inner) > 3 || !unicode.IsDigit(inner[0]) {
		return false
	}
	return true
}

// otGluedToDay reports «от» with the date's day glued on («от27», «oт1»):
// it ends a number as «от» does (seed 9201's scanner-app УПД 010 read
// «1838 от27 января» as its number). The «т» may be read as a Latin «r»,
// as rus+eng reads it in units («wr» for «шт»): study seed 10271's
// photographed УПД 040 was numbered «124/23 or9» for «124/23 от 9».
func otGluedToDay(s string) bool {
	r := []rune(strings.ToLower(s))
	if len(r) < 3 || len(r) > 4 || (r[0] != 'о' && r[0] != 'o') || r[1] != 'т' && r[1] != 't' && r[1] != 'r' {
		return false
	}
	for _, d := range r[2:] {
		if !unicode.IsDigit(d) {
			return false
		}
	}
	return true
}

// isOt reports the key of «от», the word between a document's number and
// its date, also as OCR reads it with a Latin «f» for the «т» (seed 8801's
// photographed bill 005: «№ 31 of 21 …» gave the number «31 of 21»).
func isOt(key string) bool { return key == "от" || key == "оf" }

// titleNumber reads the document number after the «№» of the title line:
// the words up to «от», a date or a form marker.
// inSpan reports whether t lies within the horizontal span of w's box.
func inSpan(t, w token) bool { return t.box.X0 >= w.box.X0 && t.box.X1 <= w.box.X1 }

func titleNumber(t *title) value {
	if t == nil || t.numAt < 0 {
		return value{}
	}
	ts := t.line.toks
	var parts []token
	if _, rest := numberSign(ts[t.numAt]); rest != "" {
		tok := ts[t.numAt]
		tok.text = rest
		parts = append(parts, tok)
	}
	for i := t.numAt + 1; i < len(ts) && len(parts) < 3; i++ {
		tok := ts[i]
		k := tok.key
		if isOt(k) || k == "from" || isFormMarker(tok.text) || strings.HasPrefix(k, "от") && len(parts) > 0 && len([]rune(k)) <= 3 || len(parts) > 0 && otGluedToDay(tok.text) {
			break
		}
		if _, ok := ruvalid.ParseDate(tok.text); ok && len(parts) > 0 {
			break
		}
		if len(parts) == 1 && hyphenMisread(tok.text) && lettersOnly(parts[0].text) && i+1 < len(ts) && startsWithDigit(ts[i+1].text) &&
			float64(tok.box.X0-parts[0].box.X1) <= t.line.unit && float64(ts[i+1].box.X0-tok.box.X1) <= t.line.unit {
			// «ЦБ = 001578», «ЦБ ° 001299»: the hyphen of a prefixed
			// number read as another mark, tight between the prefix
			// and the digits (study seed 10241's realistic УПД 001 and
			// scanner-app счёт-фактура 009 were numbered «ЦБ»). The
			// mark keeps its own confidence: the number needs a second
			// printing or reading to pass.
			tok.text = "-"
			parts = append(parts, tok)
			continue
		}
		if len(parts) > 0 && debris(tok.text) {
			// «814 ©»: a mark no number prints, most often «от» misread,
			// ends the number.
			break
		}
		if len(parts) > 0 && lowerWord(tok.text) && strings.ContainsFunc(joinTokens(parts), unicode.IsDigit) {
			// «№ 307 ord фев pan я 2023 г.»: «от 1 февраля» misread
			// (seed 9601's realistic УПД 003). A number's digits are
			// not followed by a word in small letters.
			break
		}
		// A gap wider than a few units ends the number (next cell).
		if len(parts) > 0 && float64(tok.box.X0-parts[len(parts)-1].box.X1) > 2*t.line.unit {
			break
		}
		if prev := parts; len(prev) > 0 && inSpan(tok, prev[len(prev)-1]) && len([]rune(tok.text)) <= 2 {
			// «А-1761 Pt»: a speck read as a word inside the number's
			// own box (9901's realistic счёт-фактура 006) is no part
			// of it.
			continue
		}
		parts = append(parts, tok)
	}
	if len(parts) > 1 && signTail(parts[0].text) && startsWithDigit(parts[1].text) {
		// «№ lo 1752»: the sign's circle read as letters of its own
		// (seed 9301's realistic УПД 009); no number starts with a
		// lower-case Latin syllable set apart from its digits.
		parts = parts[1:]
	}
	if len(parts) == 0 {
		return value{}
	}
	num := strings.Trim(joinTokens(parts), " ,.;:«»\"'")
	num = strings.ReplaceAll(num, " - ", "-")
	// «001 57» for «00157», «СЧ- 1 374» for «СЧ-1374»: OCR splits a
	// figure where the print has no gap, and numbers are not printed in
	// digit groups. A space between letters and digits («УТ 57») stays.
	num = closeNumberGaps(num)
	if !strings.ContainsFunc(num, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }) {
		// «№ ___________», «№ ---»: a blank left on a form to fill in
		// (real-dev's bill 171672 prints «Договор №___________ от
		// ___________»), not a number.
		return value{}
	}
	return value{text: num, conf: minConf(parts), toks: parts}
}

// signTail reports one or two lower-case Latin letters, or a Cyrillic
// «о»: what OCR makes of the «o» of a «№» it split off («№ lo 1752», «№ о
// 1752» on seed 9301's УПД 009).
func signTail(s string) bool {
	r := []rune(s)
	if s == "о" {
		return true
	}
	if len(r) == 0 || len(r) > 2 {
		return false
	}
	for _, c := range r {
		if c < 'a' || c > 'z' {
			return false
		}
	}
	return true
}

// closeNumberGaps drops the spaces of a number between two digits and
// next to a «-» or «/».
func closeNumberGaps(s string) string {
	rs := []rune(s)
	var b strings.Builder
	for i, r := range rs {
		if r == ' ' && i > 0 && i+1 < len(rs) {
			l, n := rs[i-1], rs[i+1]
			digits := unicode.IsDigit(l) && unicode.IsDigit(n)
			sep := strings.ContainsRune("-/", l) || strings.ContainsRune("-/", n)
			if digits || sep {
				continue
			}
		}
		b.WriteRune(r)
	}
	return b.String()
}

// hyphenMisread reports a lone mark OCR reads for a hyphen or a dash.
func hyphenMisread(s string) bool {
	switch s {
	case "-", "=", "°", "—", "–", "~", "_", "·", "•", "º":
		return true
	}
	return false
}

// lettersOnly reports a word of letters alone.
func lettersOnly(s string) bool {
	return s != "" && !strings.ContainsFunc(s, func(r rune) bool { return !unicode.IsLetter(r) })
}

// debris reports a word of nothing a number prints: no letter, no digit
// and none of «-/._».
func debris(s string) bool {
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) || strings.ContainsRune("-/._", r) {
			return false
		}
	}
	return true
}

// lowerWord reports a word of two letters or more, all of them small.
func lowerWord(s string) bool {
	n := 0
	for _, r := range s {
		if !unicode.IsLower(r) {
			return false
		}
		n++
	}
	return n >= 2
}

// findDate finds the first date in the tokens of a line from index from.
func findDate(ts []token, from int) (dateValue, bool) {
	if from >= len(ts) {
		return dateValue{}, false
	}
	orig := ts[from:]
	ts = repairGluedYear(repairDayQuotes(joinSplitDate(orig)))
	sp := newSpan(ts)
	ms := ruvalid.FindDates(sp.text)
	if len(ms) == 0 {
		return dateValue{}, false
	}
	m := ms[0]
	toks := sp.tokensIn(m.Start, m.End)
	d := dateValue{value: value{text: m.Date.Format(time.DateOnly), conf: dateConf(toks), toks: toks}, date: m.Date}
	// A word only trimmed or rewritten in place (quotes around the day
	// read as marks, «г» glued to the year) keeps its box; words joined
	// into one do not.
	for _, t := range toks {
		if !slices.ContainsFunc(orig, func(o token) bool { return o.box == t.box }) {
			d.assembled = true
		}
	}
	// OCR may split a day: «2 1 января» reads as the 1st. A lone digit
	// just before the date makes the day doubtful.
	if i := sp.tokenAt(m.Start); i > 0 {
		prev := sp.toks[i-1]
		if len(prev.text) == 1 && startsWithDigit(prev.text) && float64(sp.toks[i].box.X0-prev.box.X1) < float64(max(1, prev.box.Dy())) {
			glued := prev.text + sp.text[m.Start:m.End]
			if gm := ruvalid.FindDates(glued); len(gm) > 0 && gm[0].Start == 0 {
				d.date = gm[0].Date
				d.text = gm[0].Date.Format(time.DateOnly)
				d.toks = append([]token{prev}, toks...)
			}
			d.conf = min(d.conf, assembledDateCap)
			d.assembled = true
		}
	}
	return d, true
}

// confirmNumber compares the document number with the other places it is
// printed («Документ об отгрузке № … от …», a repeated title): the same
// value raises confidence, a value one or two characters off means one of
// the readings is an OCR error, so the number cannot be trusted.
func confirmNumber(lines []line, t *title, num value, date dateValue) value {
	if t == nil || num.empty() || date.empty() {
		return num
	}
	for li := range lines {
		l := &lines[li]
		for i := range l.toks {
			if li == t.line.idx && i == t.numAt {
				continue
			}
			if ok, _ := numberSign(l.toks[i]); !ok {
				continue
			}
			other := titleNumber(&title{line: l, numAt: i})
			a, b := numberForm(num.text), numberForm(other.text)
			if other.empty() || len([]rune(a)) < 3 || len([]rune(b)) < 3 {
				continue
			}
			// The same document is named with the same date («Документ
			// об отгрузке № 00683 от 21.01.2023»); a contract or another
			// paper has its own number and date.
			if od, ok := findDate(l.toks, i+1); !ok || !od.date.Equal(date.date) {
				continue
			}
			// With the date the same, a reading a few characters off is
			// the same number misread in one place or the other («BII-31 2»
			// in a letter-spaced title, «БП-312» in the line under it).
			switch d := levenshtein(a, b, 3); {
			case d == 0 && (li != t.line.idx):
				// A second printing agrees: lifted as an agreeing re-read is.
				num.conf = min(1, max(num.conf, (num.conf+other.conf)/2+rereadAgreedBonus))
			case d <= 3 && d > 0:
				num.conf = min(num.conf, disagreedCap)
				return num
			}
		}
	}
	return num
}

// numberForm is a document number as compared between its printings:
// without the spaces OCR puts into letter-spaced print, and with Latin
// look-alikes as the Cyrillic letters they stand for.
func numberForm(s string) string {
	var b strings.Builder
	for _, r := range s {
		if unicode.IsSpace(r) {
			continue
		}
		r = unicode.ToLower(r)
		if c, ok := latinToCyrillic[r]; ok && r >= 'a' && r <= 'z' {
			r = c
		}
		b.WriteRune(r)
	}
	return b.String()
}

// titleDate reads the date of the title line («… от 20 марта 2024 г.»), or
// of the next lines for contracts («г. Москва «20» марта 2024 г.»).
func titleDate(lines []line, t *title) dateValue {
	if t == nil {
		return dateValue{}
	}
	from := t.keyword
	if t.numAt >= 0 {
		from = t.numAt
	}
	// The title's own cell: up to a form marker «(1)» or a wide gap, so
	// that «Приложение № 1 … от 26 декабря 2011 г.» printed on the same
	// line is never read as the document's date.
	ts := t.line.toks
	end := len(ts)
	hasOt := false
	right := ts[from].box.X1
	for i := from + 1; i < len(ts); i++ {
		// The gap is measured from the furthest right a word before
		// reached: a speck read inside the number's box («А-1761 Pt»,
		// 9901's realistic счёт-фактура 006) does not open one.
		right = max(right, ts[i-1].box.X1)
		if isFormMarker(ts[i].text) || float64(ts[i].box.X0-right) > 3*t.line.unit {
			end = i
			break
		}
		if isOt(ts[i].key) || otGluedToDay(ts[i].text) {
			hasOt = true
		}
	}
	if d, ok := findDate(ts[:end], from); ok {
		return d
	}
	if hasOt {
		// «от …» is printed but unreadable: better no date than another.
		return dateValue{}
	}
	// «Счёт № 12» / «от 20 марта 2024 г.» or a contract's city and date
	// on the lines under the title.
	for i := t.line.idx + 1; i < len(lines) && i <= t.line.idx+3; i++ {
		// The form's decree note («Приложение № 1 к постановлению
		// Правительства Российской Федерации от 26 декабря 2011 г. № 1137
		// (в редакции … от 16 августа 2024 г. № 1096)») wraps over
		// several lines: none of its dates is the document's (unseen seed
		// 9351's scanner-app УПД 014 was approved dated 16 августа 2024).
		if k := lines[i].keys(); strings.Contains(k, "постановлени") || strings.Contains(k, "приложени") ||
			strings.Contains(k, "правительств") || strings.Contains(k, "федерации") {
			continue
		}
		if d, ok := findDate(lines[i].toks, 0); ok {
			d.conf *= dateUnderTitleFactor
			return d
		}
	}
	return dateValue{}
}

// dayQuotes are what OCR makes of the quotes around a day («"13" апреля»):
// curly quotes, a degree sign, an asterisk, or a 7.
const dayQuotes = "«»\"“”„'’°`*"

// repairDayQuotes rewrites a day printed in quotes before a month name
// when OCR turned a quote into another mark or a digit («713” апреля»,
// «"23° июля»), at a confidence low enough to send the date to review.
func repairDayQuotes(ts []token) []token {
	var out []token
	for i, t := range ts {
		if i+1 < len(ts) && isMonthWord(ts[i+1].key) {
			raw := t.text
			s := strings.Trim(raw, dayQuotes)
			if len(s) == 3 && (s[0] == '7' || s[0] == '1') && s[1] >= '0' && s[1] <= '3' {
				s = s[1:] // an opening quote read as 7 or 1
			}
			if len(s) == 3 && s[2] == '7' {
				s = s[:2] // a closing quote read as 7
			}
			if s != raw && len(s) >= 1 && len(s) <= 2 && startsWithDigit(s) && (len(s) == 1 || s[1] >= '0' && s[1] <= '9') {
				if out == nil {
					out = append([]token{}, ts...)
				}
				out[i].text = s
				if strings.Trim(raw, dayQuotes) != s || strings.ContainsAny(raw, "°`*") {
					out[i].conf = min(out[i].conf, repairedDayCap)
				}
			}
		}
	}
	if out == nil {
		return ts
	}
	return out
}

var monthStems = []string{"январ", "феврал", "март", "апрел", "ма", "июн", "июл", "август", "сентябр", "октябр", "ноябр", "декабр"}

func isMonthWord(k string) bool {
	if k == "мая" || k == "май" {
		return true
	}
	for _, m := range monthStems[:4] {
		if strings.HasPrefix(k, m) {
			return true
		}
	}
	for _, m := range monthStems[5:] {
		if strings.HasPrefix(k, m) {
			return true
		}
	}
	return false
}

// joinSplitDate undoes OCR splits inside a date: a month name broken in two
// («апре ля»), a day broken into digits («1 7 апреля») and a year («апреля
// 202 5»). Joined words get
// a confidence that sends the date to review.
func joinSplitDate(ts []token) []token {
	var out []token
	changed := false
	for i := 0; i < len(ts); i++ {
		t := ts[i]
		if day, rest, ok := dayGluedToMonth(t.text); ok {
			// The day glued to the month's first letters, the rest of
			// the month split off: «1м ая» (seed 9201's scanned
			// счёт-фактура 004 lost its date so), or glued whole: «1мая».
			var next *token
			month := rest
			if i+1 < len(ts) && !isMonthWord(ts[i+1].key) && !startsWithDigit(ts[i+1].text) {
				next = &ts[i+1]
				month += next.text
			}
			if m := wordKey(month); len([]rune(m)) >= 3 && isMonthWord(m) {
				d, mt := t, t
				d.text, d.key = day, day
				d.conf = min(t.conf, joinedDateCap)
				mt.text, mt.key = month, m
				mt.conf = d.conf
				if next != nil {
					mt.box = t.box.Union(next.box)
					mt.words = slices.Concat(t.words, next.words)
					mt.conf = min(mt.conf, next.conf)
					i++
				}
				out = append(out, d, mt)
				changed = true
				continue
			}
		}
		if i+1 < len(ts) && !isMonthWord(t.key) && !startsWithDigit(t.text) && isMonthWord(t.key+ts[i+1].key) &&
			len([]rune(t.key+ts[i+1].key)) >= 3 {
			t.text += ts[i+1].text
			t.key += ts[i+1].key
			t.box = t.box.Union(ts[i+1].box)
			t.words = slices.Concat(t.words, ts[i+1].words)
			t.conf = min(t.conf, ts[i+1].conf, joinedDateCap)
			i++
			changed = true
		}
		out = append(out, t)
	}
	for i := 0; i+2 < len(out); i++ {
		a, b := out[i], out[i+1]
		if len(a.text) == 1 && len(b.text) == 1 && startsWithDigit(a.text) && startsWithDigit(b.text) && a.text <= "3" && isMonthWord(out[i+2].key) {
			a.text += b.text
			a.key = a.text
			a.box = a.box.Union(b.box)
			a.words = slices.Concat(a.words, b.words)
			a.conf = min(a.conf, b.conf, joinedDateCap)
			out = append(append(out[:i:i], a), out[i+2:]...)
			changed = true
		}
	}
	// A year split after the month: «апреля 202 5 г».
	for i := 1; i+1 < len(out); i++ {
		a, b := out[i], out[i+1]
		y := a.text + b.text
		if isMonthWord(out[i-1].key) && len(a.text) < 4 && len(y) == 4 && onlyDigits(y) == y && (y[:2] == "19" || y[:2] == "20") {
			a.text, a.key = y, y
			a.box = a.box.Union(b.box)
			a.words = slices.Concat(a.words, b.words)
			a.conf = min(a.conf, b.conf, joinedDateCap)
			out = append(append(out[:i:i], a), out[i+2:]...)
			changed = true
		}
	}
	if !changed {
		return ts
	}
	return out
}

// dayGluedToMonth splits a word that starts with a day of one or two
// digits and goes on in letters («1м», «15мая»).
func dayGluedToMonth(s string) (day, rest string, ok bool) {
	n := 0
	for n < len(s) && n < 3 && s[n] >= '0' && s[n] <= '9' {
		n++
	}
	if n == 0 || n > 2 || n == len(s) {
		return "", "", false
	}
	rest = s[n:]
	for _, r := range rest {
		if !unicode.IsLetter(r) {
			return "", "", false
		}
	}
	return s[:n], rest, true
}

// dateConf is how sure the words of a date are. The digits count as read;
// a month name that parsed is one of twelve words far apart in spelling,
// so OCR doubt about its letters hardly puts the month in doubt, and «г.»
// does not matter at all.
func dateConf(ts []token) float64 {
	c := 1.0
	for _, t := range ts {
		switch {
		case isMonthWord(t.key):
			c = min(c, max(t.conf, monthWordFloor))
		case t.key == "г" || t.key == "года":
		default:
			c = min(c, t.conf)
		}
	}
	return c
}

// gluedYear is a year with the «г» after it read as a digit or letter and
// glued on: «20261», «2025г».
var gluedYear = regexp.MustCompile(`^((?:19|20)\d\d)[1lIгr|]\.?$`)

// repairGluedYear splits such a year after a word (the month) so that the
// date can be read; the reading is a guess, so the year's confidence drops
// under the posting threshold.
func repairGluedYear(ts []token) []token {
	copied := false
	for i := 1; i < len(ts); i++ {
		t := ts[i]
		m := gluedYear.FindStringSubmatch(t.text)
		if m == nil || startsWithDigit(ts[i-1].text) {
			continue
		}
		if !copied {
			ts = append([]token(nil), ts...)
			copied = true
		}
		ts[i].text, ts[i].key = m[1], m[1]
		if !strings.HasSuffix(t.text, "г") && !strings.HasSuffix(t.text, "г.") {
			ts[i].conf = min(ts[i].conf, gluedYearCap)
		}
	}
	return ts
}

// boxedNumberDate reads the number and date of a form that prints them in
// boxes under «Номер документа | Дата составления» beside its title, with
// no «№» and no «от»: ТОРГ-12 («ТОВАРНАЯ НАКЛАДНАЯ   1521/24   02.01.2024»)
// and the other Госкомстат forms. The words right of the title's two
// words are read as one number up to the first date, and that date. The
// boxes' headings must be printed on one of the three lines above, or the
// figures beside a title are not taken for its number.
func boxedNumberDate(lines []line, t *title) (value, dateValue) {
	if t == nil || t.numAt >= 0 {
		return value{}, dateValue{}
	}
	headed := false
	for li := max(0, t.line.idx-3); li < t.line.idx; li++ {
		// Either heading of the boxes will do: OCR garbles one of them
		// often enough on a photo («Homep држумента», «Номер pocywenta»
		// over «Дата составления» on seed 8901's realistic ТОРГ-12s),
		// and «составления» is a long word no other line near the
		// title prints.
		if _, ok := hasSeq(&lines[li], "номер", "документа"); ok {
			headed = true
		}
		if containsKey(&lines[li], "составления") {
			headed = true
		}
		// Both garbled past a fuzzy match, their first words still read
		// («Номер дркумемта Дата составили,» on study seed 10241's
		// realistic ТОРГ-12 007, whose number and date were lost): the
		// two boxes' headings start «Номер», «Дата» on one line.
		if containsKey(&lines[li], "номер") && containsKey(&lines[li], "дата") {
			headed = true
		}
	}
	if !headed {
		return value{}, dateValue{}
	}
	ts := t.line.toks
	from := t.keyword + 2 // «товарная накладная»
	// «ТОВАРНАЯ H АКЛАДНАЯ»: the second word in two pieces.
	if k := t.keyword + 2; k < len(ts) && matchScore(ts[k-1].key, "накладная") == 0 && matchScore(ts[k-1].key+ts[k].key, "накладная") > 0 {
		from = k + 1
	}
	if from >= len(ts) {
		return value{}, dateValue{}
	}
	var parts []token
	i := from
	for ; i < len(ts) && len(parts) < 3; i++ {
		if _, ok := ruvalid.ParseDate(ts[i].text); ok {
			break
		}
		if len(parts) > 0 && float64(ts[i].box.X0-parts[len(parts)-1].box.X1) > 2*t.line.unit {
			break // the next box
		}
		parts = append(parts, ts[i])
	}
	var num value
	if s := strings.Trim(joinTokens(parts), " ,.;:«»\"'|[]"); s != "" && strings.ContainsAny(s, "0123456789") {
		num = value{text: s, conf: minConf(parts), toks: parts}
	}
	d, _ := findDate(ts, i)
	return num, d
}

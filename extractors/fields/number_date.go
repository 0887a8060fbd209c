package fields

import (
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	pervichka "github.com/pervichka/pervichka"
	"github.com/pervichka/pervichka/extractors/ruvalid"
)

// The document's number and date after they were found on the title line
// (title.go): second readings of the OCR'd ones, the doubts no check digit
// can settle (a slash read as 1 or 7), and the number and date of the
// contract a document refers to.

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
	n := &x.number
	if len(n.toks) == 0 || x.onTextLayer(n.toks) {
		return
	}
	if c, ok := latinEl(n.text); ok {
		// «MJIP00077331» for «МЛР00077331» (real-dev's photographed
		// bill 18-13-02): a Cyrillic «Л» read as two Latin capitals.
		// Mended, and for a clerk to confirm like any repair.
		n.text = c
		n.conf = min(n.conf, disagreedCap)
		return
	}
	if scriptAmbiguous(n.text) || loneLatin(n.text) {
		if c, ok := x.cyrillicPrinting(); ok {
			// Another printing of the same number reads in Cyrillic
			// («Документ об отгрузке № А-17»): that is how it is
			// written.
			n.text = c
			return
		}
		// «YT-347», «A-195»: letters OCR gave in Latin that have Cyrillic
		// twins, and a Russian document's prefix is far more often
		// «УТ-», «А-»; the reading cannot tell which was printed, and 1С
		// matches numbers letter for letter (unseen seeds 7705, 7707).
		// «213-N» for «213-П»: a lone Latin letter is a Cyrillic one
		// misread as often as not (seed 8103's contract photo, read so
		// twice and approved). The letters are read again in Cyrillic
		// for the clerk («C4-1519» → «СЧ-1519»), who still confirms them.
		x.adoptCyrillicReading("")
		n.conf = min(n.conf, disagreedCap)
		return
	}
	if digitForLetter.MatchString(n.text) || shapeDigitInPrefix.MatchString(n.text) {
		// «5П-921» for «БП-921»: a prefix's first letter read as the
		// digit of its shape, and read so again by the second reading
		// (seed 8442's ТОРГ-12 photo, approved so); «Ц6-000847» for
		// «ЦБ-000847» its last (seed 9981's ТОРГ-12 photo, read so twice).
		// A prefix mixing capitals and such digits is for a clerk to
		// confirm, with its letters read again in Cyrillic.
		x.adoptCyrillicReading("")
		n.conf = min(n.conf, disagreedCap)
		return
	}
	if moneyShaped.MatchString(n.text) {
		// «№ 1.00» for a printed «№ 100»: the recogniser puts a
		// kopeck separator into short figures, and a re-read of the same
		// line does it again (a scanner-app photo, seed 7512's
		// 001-act, approved with number «1.00»). A number shaped like
		// money is for a clerk to confirm.
		n.conf = min(n.conf, disagreedCap)
		return
	}
	if x.rr == nil || x.cropped["number"] {
		return
	}
	got, c, ok := x.readNumberAgain("")
	if !ok {
		return // nothing legible: no second opinion
	}
	if numberForm(got) == numberForm(n.text) {
		n.conf = max(n.conf, min(rereadAgreedCap, (n.conf+c)/2+rereadAgreedBonus))
		x.second["number"] = true
		return
	}
	// The readings differ: a clerk decides. Where they differ in the
	// prefix only, and a reading limited to Cyrillic gives the second
	// reading's prefix, the two crops agree against the page («51-1097»
	// on the page, «БП-1097» twice in its box, seed 9991's scanner-app
	// ТОРГ-12): the clerk is shown theirs.
	x.adoptCyrillicReading(got)
	n.conf = min(n.conf, disagreedCap)
}

// readNumberAgain reads the document number again, as the line it is
// printed in (or its box, on a form that boxes it), limited to whitelist
// ("" for none), and returns the number found in that reading.
func (x *extraction) readNumberAgain(whitelist string) (string, float64, bool) {
	n, t := &x.number, x.title
	if x.rr == nil {
		return "", 0, false
	}
	if x.boxed {
		// ТОРГ-12's number stands alone in its box under «Номер
		// документа»: the box's words are the line to read again.
		text, c, err := x.rr.ReadLine(x.ctx, n.toks[0].page, boxOf(n.toks), whitelist)
		if err != nil {
			return "", 0, false
		}
		got := strings.Trim(strings.TrimSpace(text), " ,.;:«»\"'|[]")
		return got, c, got != ""
	}
	if t == nil || t.numAt < 0 {
		return "", 0, false
	}
	ts := t.line.toks
	last := slices.IndexFunc(ts, func(tok token) bool { return tok.box == n.toks[len(n.toks)-1].box })
	if last < t.numAt {
		return "", 0, false
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
	text, c, err := x.rr.ReadLine(x.ctx, ts[start].page, boxOf(ts[start:end]), whitelist)
	if err != nil {
		return "", 0, false
	}
	got, ok := numberInLine(text)
	return got, c, ok
}

// cyrillicNumberWhitelist limits a reading of the number to Cyrillic
// capitals, digits and the marks numbers and title lines use. With no
// Latin letter on offer, rus+eng reads the prefix it gave as «C4», «c4»
// and «БП» read as «51» in Cyrillic: on seeds 9981 and 9991's ТОРГ-12
// photos (tesseract CLI, the number's box) «СЧ-1519», «СЧ-862» and
// «БП-1097» came out right, and «5П-1097» stayed so.
const cyrillicNumberWhitelist = "АБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯ0123456789-/._№"

// adoptCyrillicReading reads the number again limited to Cyrillic
// capitals and takes that reading when it differs from the number in its
// letter prefix only and either fits the number letter for letter (each
// differing character a Latin twin or a digit of the letter's shape:
// «C4-862» and «СЧ-862») or is what the unlimited second reading other
// gave. The number's confidence is the caller's to cap: a reading with no
// Latin letter allowed cannot say that none was printed.
func (x *extraction) adoptCyrillicReading(other string) {
	n := &x.number
	if x.rr == nil {
		return
	}
	cyr, _, ok := x.readNumberAgain(cyrillicNumberWhitelist)
	if !ok || !prefixOnlyDiffers(n.text, cyr) {
		return
	}
	if shapeFits(n.text, cyr) || (other != "" && numberForm(other) == numberForm(cyr)) {
		n.text = cyr
	}
}

// prefixOnlyDiffers reports whether a and b (spaces aside) differ only in
// a prefix of one to four characters before the first «-» or «/», and b's
// prefix is Cyrillic capitals: «C4-862» and «СЧ-862», «51-1097» and
// «БП-1097».
func prefixOnlyDiffers(a, b string) bool {
	ra := []rune(strings.ReplaceAll(a, " ", ""))
	rb := []rune(strings.ReplaceAll(b, " ", ""))
	if len(ra) != len(rb) || string(ra) == string(rb) {
		return false
	}
	sep := slices.IndexFunc(rb, func(r rune) bool { return r == '-' || r == '/' })
	if sep < 1 || sep > 4 || ra[sep] != rb[sep] || string(ra[sep:]) != string(rb[sep:]) {
		return false
	}
	for _, r := range rb[:sep] {
		if !unicode.Is(unicode.Cyrillic, r) || !unicode.IsUpper(r) {
			return false
		}
	}
	return true
}

// shapeFits reports whether every character of a that differs from b's is
// one OCR gives for b's: a Latin twin of the Cyrillic capital, or a digit
// of its shape (shapeDigits).
func shapeFits(a, b string) bool {
	ra := []rune(strings.ReplaceAll(a, " ", ""))
	rb := []rune(strings.ReplaceAll(b, " ", ""))
	if len(ra) != len(rb) {
		return false
	}
	for i := range ra {
		if ra[i] == rb[i] {
			continue
		}
		if ruvalid.FoldLookalikes(string(ra[i])) == string(rb[i]) && strings.ContainsRune(latinTwins, unicode.ToUpper(ra[i])) {
			continue
		}
		if d, ok := shapeDigits[ra[i]]; ok && strings.ContainsRune(d, rb[i]) {
			continue
		}
		return false
	}
	return true
}

// shapeDigits maps a digit to the Cyrillic capitals of its shape that OCR
// reads as it (digitForLetter).
var shapeDigits = map[rune]string{'0': "О", '3': "З", '4': "Ч", '5': "Б", '6': "Б", '8': "В"}

// readBoxesAgain reads a form's number and date again, each from its own
// box under «Номер документа» and «Дата составления», when the page's
// reading beside the title gave no number (num, as boxedNumberDate found
// it) or no date. Bold figures in ruled boxes garble on a photo where a
// crop of the box alone reads clean: seed 9991's realistic ТОРГ-12 009
// gave «Св seeLz0s#» on the page and «СЧ-1519», «30.01.2024» from the
// boxes (tesseract CLI). A value so read is one reading (cropped): the
// gate wants a second one for a number or a date, and none is to be had
// from the same crop, so the document goes to a clerk with it filled in.
func (x *extraction) readBoxesAgain(num value) value {
	t := x.title
	if x.rr == nil || t == nil || t.numAt >= 0 || x.onTextLayer(t.line.toks) || !num.empty() && !x.date.empty() {
		return num
	}
	numHead, dateHead := boxHeadings(x.lines, t)
	below := func(head []token) pervichka.Rect {
		b := boxOf(head)
		h := b.Dy()
		return pervichka.Rect{X0: b.X0 - h/2, Y0: b.Y1 + h/4, X1: b.X1 + h/2, Y1: b.Y1 + int(boxedValueDepth*float64(h))}
	}
	if num.empty() && len(numHead) > 0 {
		box := below(numHead)
		text, c, err := x.rr.ReadLine(x.ctx, numHead[0].page, box, "")
		s := strings.Trim(strings.TrimSpace(text), " ,.;:«»\"'|[]_")
		if err == nil && strings.ContainsAny(s, "0123456789") && len(strings.Fields(s)) <= 2 && utf8.RuneCountInString(s) <= maxNumberRunes {
			num = value{text: s, conf: c, toks: []token{{text: s, key: wordKey(s), box: box, conf: c, page: numHead[0].page}}}
			x.cropped["number"] = true
		}
	}
	if x.date.empty() && len(dateHead) > 0 {
		box := below(dateHead)
		text, c, err := x.rr.ReadLine(x.ctx, dateHead[0].page, box, "0123456789.")
		if d, ok := ruvalid.ParseDate(strings.Trim(strings.TrimSpace(text), ".")); err == nil && ok {
			s := strings.TrimSpace(text)
			x.date = dateValue{value: value{text: d.Format(time.DateOnly), conf: c, toks: []token{{text: s, key: s, box: box, conf: c, page: dateHead[0].page}}}, date: d}
			x.cropped["date"] = true
		}
	}
	return num
}

// boxedValueDepth is how far below its heading, in the heading's word
// heights, a box's value is read: the value cell of ТОРГ-12's boxes is
// about twice the heading's text high (seed 9991's realistic photos: the
// heading's words 20 px, the value 585–632 under a heading ending at 578).
const boxedValueDepth = 2.6

// maxNumberRunes bounds a number read from its box: longer text is the
// box's neighbours read with it, not a number.
const maxNumberRunes = 24

// boxHeadings finds the words of the headings «Номер документа» and
// «Дата составления» over the boxes beside a form's title (in the three
// lines above it, as boxedNumberDate looks for them).
func boxHeadings(lines []line, t *title) (num, date []token) {
	for li := max(0, t.line.idx-3); li < t.line.idx; li++ {
		l := &lines[li]
		if at, ok := hasSeq(l, "номер", "документа"); ok && num == nil {
			num = l.toks[at : at+2]
		}
		if at, ok := hasSeq(l, "составления"); ok && date == nil {
			date = l.toks[at : at+1]
			if at > 0 && matchScore(strings.Trim(l.toks[at-1].key, ":.,"), "дата") > 0 {
				date = l.toks[at-1 : at+1]
			}
		}
	}
	return num, date
}

// dateFromShipmentLine takes the date of a УПД whose title's date is
// illegible («… № 814 от нтября 2 г.», a curled photo) from another line
// that prints the same number with a date: line (5а), «Документ об
// отгрузке № п/п 1-4 № 814 от 09.09.2023», names the document itself.
// The date is one reading; rereadDate and the gate treat it like any.
func (x *extraction) dateFromShipmentLine() {
	if !x.date.empty() || x.number.empty() || x.typ != pervichka.DocUPD || x.title == nil {
		return
	}
	if ds := x.datesBesideNumber(); len(ds) > 0 {
		x.date = ds[0]
	}
}

// cyrillicPrinting finds the document's number printed again on another
// line with Cyrillic letters (numberPrintings).
func (x *extraction) cyrillicPrinting() (string, bool) {
	if x.title == nil {
		return "", false
	}
	for _, p := range x.numberPrintings() {
		if t := p.num.text; strings.IndexFunc(t, func(r rune) bool { return unicode.Is(unicode.Cyrillic, r) }) >= 0 {
			return t, true
		}
	}
	return "", false
}

// latinEl turns «JI» among a number's letters into «Л», the Cyrillic
// capital OCR reads as those two Latin ones, when the other letters of the
// same run are Cyrillic or Latin twins of Cyrillic ones; the twins become
// Cyrillic with it, as a number does not mix scripts. A run with a Latin
// letter of its own («JIRA») is left as read.
func latinEl(s string) (string, bool) {
	rs := []rune(s)
	var b strings.Builder
	changed := false
	for i := 0; i < len(rs); {
		if !unicode.IsLetter(rs[i]) {
			b.WriteRune(rs[i])
			i++
			continue
		}
		j := i
		for j < len(rs) && unicode.IsLetter(rs[j]) {
			j++
		}
		run := string(rs[i:j])
		i = j
		if !strings.Contains(run, "JI") || strings.ContainsFunc(strings.ReplaceAll(run, "JI", ""), func(r rune) bool {
			return !unicode.Is(unicode.Cyrillic, r) && !strings.ContainsRune(latinTwins, r)
		}) {
			b.WriteString(run)
			continue
		}
		for _, r := range strings.ReplaceAll(run, "JI", "Л") {
			if strings.ContainsRune(latinTwins, r) {
				b.WriteString(ruvalid.FoldLookalikes(string(r)))
			} else {
				b.WriteRune(r)
			}
		}
		changed = true
	}
	return b.String(), changed
}

// latinTwins are the Latin capitals (and «y») that OCR gives for Cyrillic
// letters of the same shape.
const latinTwins = "ABCEHKMOPTXYy"

// scriptAmbiguous reports a number whose letters are all Latin twins of
// Cyrillic ones and none Cyrillic: «YT-347» may be «УТ-347».
func scriptAmbiguous(s string) bool {
	latin := false
	for _, r := range s {
		switch {
		case unicode.Is(unicode.Cyrillic, r):
			return false
		case unicode.IsLetter(r):
			if !strings.ContainsRune(latinTwins, r) {
				return false
			}
			latin = true
		}
	}
	return latin
}

// loneLatin reports a number with a Latin letter standing alone between
// non-letters («213-N», «12A»): Russian numbers put Cyrillic letters there
// («213-П»), and a Latin word of two letters or more («INV-12») is not
// what OCR makes of one.
func loneLatin(s string) bool {
	r := []rune(s)
	isLatin := func(i int) bool {
		return i >= 0 && i < len(r) && unicode.IsLetter(r[i]) && unicode.Is(unicode.Latin, r[i])
	}
	isLetter := func(i int) bool { return i >= 0 && i < len(r) && unicode.IsLetter(r[i]) }
	for i := range r {
		if isLatin(i) && !isLetter(i-1) && !isLetter(i+1) {
			return true
		}
	}
	return false
}

// digitForLetter is a number opening with one digit that has the shape of
// a Cyrillic capital (0 О, 3 З, 4 Ч, 5 and 6 Б, 8 В) followed by Cyrillic
// capitals: what OCR makes of a letter prefix («5П-921» for «БП-921»).
var digitForLetter = regexp.MustCompile(`^[034568][А-ЯЁ]`)

// shapeDigitInPrefix is a letter prefix that ends in such a digit before
// its dash: «Ц6-000847» for «ЦБ-000847».
var shapeDigitInPrefix = regexp.MustCompile(`^[А-ЯЁ]{1,3}[034568]{1,2}[-/]`)

// moneyShaped is a figure with two decimals and nothing else, «1.00» or
// «15,50»: what OCR makes of a short number when it adds a separator.
var moneyShaped = regexp.MustCompile(`^\d{1,6}[.,]\d{2}$`)

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
		if isOt(k) || isFormMarker(w) {
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
	if x.rr == nil || len(d.toks) != 1 || x.onTextLayer(d.toks) || x.cropped["date"] {
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
	if x.rr == nil || d.empty() || len(d.toks) < 3 || x.onTextLayer(d.toks) || x.cropped["date"] {
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

// checkDateElsewhere doubts an OCR'd date that another date printed on
// the page differs from by one digit OCR confuses (ocrTwinDigits): a
// ТОРГ-12's «01.06.2023» read «01.05.2023» at 0.95, and its digit-only
// second reading agreeing (the same shapes read the same way), was
// approved on unseen seed 10081 while its foot said «"01" июня 2023г.».
// Dates of one document are often the same (shipment, acceptance) and
// seldom one confusable digit apart, so such a pair means one of them was
// misread: the date goes to a clerk. Dates further apart (a contract's, a
// power of attorney's) say nothing, nor do dates a document sets apart
// from its own on purpose (deadlineLine): seed 9801's realistic bill of
// 14 July was «действителен по: 19 июля», 4 and 9 being twins.
func (x *extraction) checkDateElsewhere() {
	d := &x.date
	if d.empty() || x.onTextLayer(d.toks) {
		return
	}
	want := d.date.Format("02012006")
	for li := range x.lines {
		l := &x.lines[li]
		if deadlineLine(l) {
			continue
		}
		for i := 0; i < len(l.toks); {
			o, ok := findDate(l.toks, i)
			if !ok {
				break
			}
			if got := o.date.Format("02012006"); got != want && ocrTwinDigits(want, got) {
				d.conf = min(d.conf, disagreedCap)
				return
			}
			// Go on after the date found: from its last word, when that
			// is one of the line's own (not joined from several).
			next := i + 1
			last := o.toks[len(o.toks)-1].box
			for k := i; k < len(l.toks); k++ {
				if l.toks[k].box == last {
					next = k + 1
					break
				}
			}
			i = next
		}
	}
}

// deadlineLine reports a line that dates a deadline or a validity: a
// bill's «Счёт действителен до …», «Оплатить до …», «Срок оплаты …»,
// a power of attorney's «… годна до …».
func deadlineLine(l *line) bool {
	for _, t := range l.toks {
		for _, st := range []string{"действител", "срок", "оплатит", "годен", "годна"} {
			if strings.HasPrefix(t.key, st) {
				return true
			}
		}
	}
	return false
}

// ocrTwinDigits reports two digit strings of one length that differ in
// exactly one place, by a pair of digits OCR reads one for the other in
// print: the pairs the gate's mutation test injects, and 3/5 (a font's
// «3» read «5» on seed 1's scans).
func ocrTwinDigits(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	diff := -1
	for i := range len(a) {
		if a[i] != b[i] {
			if diff >= 0 {
				return false
			}
			diff = i
		}
	}
	if diff < 0 {
		return false
	}
	pair := string([]byte{min(a[diff], b[diff]), max(a[diff], b[diff])})
	return slices.Contains(twinDigitPairs, pair)
}

// twinDigitPairs are digit pairs OCR confuses, smaller digit first.
var twinDigitPairs = []string{"38", "56", "17", "08", "49", "35"}

// checkRefPrinting keeps an OCR'd contract number read once under the
// sure threshold: unseen seed 9311 showed «113/24» as «113124» at 0.95,
// the slash read as a 1, and nothing but a second printing of the same
// number on the page («… по договору № 113/24 …» in an act's text) can
// tell such a reading from the print. The contract number gates nothing;
// it is highlighted for the clerk instead of shown as sure.
func (x *extraction) checkRefPrinting() {
	if x.ref == nil || len(x.refToks[0]) == 0 || x.onTextLayer(x.refToks[0]) {
		return
	}
	want := numberForm(string(x.ref.Number))
	repeated := x.anyTokenElsewhere(x.refToks[0], func(li, k int) bool {
		return numberForm(strings.Trim(x.lines[li].toks[k].text, " ,.;:«»\"'")) == want
	})
	if !repeated {
		x.refConf = min(x.refConf, singleRefReadingCap)
	}
}

// findContractRef reads «Основание: Договор № 15/24 от 01.02.2024» (or «по
// договору № … от …»), with the words of its number and date.
// refDate finds the date of a contract reference on line li after its
// number sign, or, when running text wrapped it («по договору № 129/26 от
// 9 января | 2026 г.»: unseen seed 9421's acts 011 and 018), starting on
// that line and ending with the year on the next.
func refDate(lines []line, li, sign int) (dateValue, bool) {
	l := &lines[li]
	if d, ok := findDate(l.toks, sign); ok {
		return d, true
	}
	if li+1 >= len(lines) || lines[li+1].page != l.page || len(lines[li+1].toks) == 0 {
		return dateValue{}, false
	}
	next := lines[li+1].toks
	d, ok := findDate(slices.Concat(l.toks[sign:], next[:min(2, len(next))]), 0)
	if !ok || len(d.toks) == 0 || !slices.ContainsFunc(l.toks[sign:], func(t token) bool { return t.box == d.toks[0].box }) {
		return dateValue{}, false
	}
	return d, true
}

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
			// The label as OCR garbled it counts too («Основамие Договор
			// № 47/01-23», seed 9301's scanner-app ТОРГ-12 004).
			garbledLabel := i > 0 && matchScore(strings.Trim(l.toks[i-1].key, ":"), "основание") > 0
			if !strings.Contains(k, "основани") && !garbledLabel && !strings.HasPrefix(tok.key, "договору") && i != 0 {
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
			if d, ok := refDate(lines, li, sign); ok {
				ref.Date = pervichka.Text(d.text)
				c = min(c, d.conf)
				toks[1] = d.toks
			}
			return ref, c, toks
		}
	}
	return nil, 0, [2][]token{}
}

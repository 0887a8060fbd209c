package ruvalid

import (
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// DateMatch is a date found in free text; Start and End are byte offsets of
// the whole written form, opening quote and trailing «г.»/«года» included.
type DateMatch struct {
	Start, End int
	Date       time.Time
}

var monthWords = func() [][]rune {
	var w [][]rune
	for _, s := range []string{
		"января", "февраля", "марта", "апреля", "мая", "июня",
		"июля", "августа", "сентября", "октября", "ноября", "декабря",
		"январь", "февраль", "март", "апрель", "май", "июнь",
		"июль", "август", "сентябрь", "октябрь", "ноябрь", "декабрь",
	} {
		w = append(w, []rune(s))
	}
	return w
}()

// matchMonth returns the month named by w (genitive or nominative) allowing
// one OCR error; 0 when no month is within one edit or two different months
// are equally near («июпя» is both июня and июля).
func matchMonth(w []rune) time.Month {
	if len(w) < 3 || len(w) > 10 {
		return 0
	}
	best, bestD, tie := time.Month(0), 2, false
	for i, m := range monthWords {
		d := editDistance(w, m, 1)
		mon := time.Month(i%12 + 1)
		switch {
		case d < bestD:
			best, bestD, tie = mon, d, false
		case d == bestD && mon != best:
			tie = true
		}
	}
	if best == 0 || tie {
		return 0
	}
	return best
}

// makeDate builds a date and checks the day exists in the month.
func makeDate(y, m, d int) (time.Time, bool) {
	if y < 1900 || y > 2099 || m < 1 || m > 12 || d < 1 || d > 31 {
		return time.Time{}, false
	}
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	if t.Day() != d {
		return time.Time{}, false
	}
	return t, true
}

// digitRun returns the end of the run of ASCII digits starting at i.
func digitRun(s string, i int) int {
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	return i
}

func atoiSmall(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		n = n*10 + int(s[i]-'0')
	}
	return n
}

func isDateSep(b byte) bool { return b == '.' || b == ',' || b == '/' || b == '-' }

// skipSpaces skips ASCII and no-break spaces, at most limit bytes.
func skipSpaces(s string, i, limit int) int {
	end := min(len(s), i+limit)
	for i < end {
		switch {
		case s[i] == ' ' || s[i] == '\t':
			i++
		case strings.HasPrefix(s[i:], "\u00a0"):
			i += len("\u00a0")
		default:
			return i
		}
	}
	return i
}

// quoteAt reports the byte length of a quote character at s[i:], or 0.
func quoteAt(s string, i int) int {
	if i >= len(s) {
		return 0
	}
	r, n := utf8.DecodeRuneInString(s[i:])
	switch r {
	case '"', '\'', '«', '»', '“', '”', '„', '‘', '’', '`':
		return n
	}
	return 0
}

// quoteBefore reports the byte length of a quote character ending at s[:i].
func quoteBefore(s string, i int) int {
	if i == 0 {
		return 0
	}
	r, n := utf8.DecodeLastRuneInString(s[:i])
	switch r {
	case '"', '\'', '«', '»', '“', '”', '„', '‘', '’', '`':
		return n
	}
	return 0
}

// yearSuffix returns the end of an optional «г.», «г», «года» after a year.
func yearSuffix(s string, i int) int {
	j := skipSpaces(s, i, 4)
	for _, suf := range []string{"года", "г.", "г"} {
		if strings.HasPrefix(s[j:], suf) {
			k := j + len(suf)
			// «г» must end the word: «2024 года» yes, «2024 гарантия» no.
			if r, _ := utf8.DecodeRuneInString(s[k:]); k < len(s) && unicode.IsLetter(r) {
				continue
			}
			return k
		}
	}
	return i
}

// FindDates returns every date written in text, in order: «20 марта 2024 г.»,
// «"20" марта 2024 г.», «« 20 » марта 2024», «20.03.2024», «20.03.24»,
// «2024-03-20». Dates start only at the beginning of a digit group, so a
// number glued in front («80101911/26.06.2025») does not lend its digits to
// the day, and a digit group longer than its date field (a 3-digit day, a
// 5-digit year) yields nothing. A numeric date right after «digit.» or
// «digit,» (part of a longer dotted number) is skipped too, as is one
// followed by «.digit». Two-digit years (dot or comma separators only) are
// 2000–2069 or 1970–1999.
// Plausibility against today is the caller's business (PlausibleDate).
func FindDates(text string) []DateMatch {
	var out []DateMatch
	for i := 0; i < len(text); {
		c := text[i]
		if c < '0' || c > '9' || (i > 0 && text[i-1] >= '0' && text[i-1] <= '9') {
			i++
			continue
		}
		j := digitRun(text, i)
		if m, ok := dateAt(text, i, j); ok {
			out = append(out, m)
			i = m.End
			continue
		}
		i = j
	}
	return out
}

// dateAt tries every date form whose first digit group is text[i:j].
func dateAt(text string, i, j int) (DateMatch, bool) {
	n := j - i
	if n <= 2 {
		if m, ok := numericDate(text, i, j); ok {
			return m, true
		}
		return wordDate(text, i, j)
	}
	if n == 4 {
		return isoDate(text, i, j)
	}
	return DateMatch{}, false
}

// numericDate reads DD.MM.YYYY or DD.MM.YY with one separator kind.
func numericDate(text string, i, j int) (DateMatch, bool) {
	if i >= 2 && (text[i-1] == '.' || text[i-1] == ',') && text[i-2] >= '0' && text[i-2] <= '9' {
		return DateMatch{}, false
	}
	if j >= len(text) || !isDateSep(text[j]) {
		return DateMatch{}, false
	}
	sep := text[j]
	ms := skipSpaces(text, j+1, 2)
	me := digitRun(text, ms)
	if me-ms < 1 || me-ms > 2 || me >= len(text) {
		return DateMatch{}, false
	}
	sep2 := text[me]
	if sep2 != sep && !(sep == ',' && sep2 == '.') && !(sep == '.' && sep2 == ',') {
		return DateMatch{}, false
	}
	ys := skipSpaces(text, me+1, 2)
	ye := digitRun(text, ys)
	var y int
	switch ye - ys {
	case 4:
		y = atoiSmall(text[ys:ye])
	case 2:
		// «20.03.24»; with dashes or slashes two-digit years are more often
		// phone numbers («12-03-24») than dates in Russian documents.
		if sep != '.' && sep != ',' {
			return DateMatch{}, false
		}
		y = atoiSmall(text[ys:ye])
		if y < 70 {
			y += 2000
		} else {
			y += 1900
		}
	default:
		return DateMatch{}, false
	}
	if ye+1 < len(text) && isDateSep(text[ye]) && text[ye+1] >= '0' && text[ye+1] <= '9' {
		return DateMatch{}, false // 10.11.12.13 is not a date
	}
	d, ok := makeDate(y, atoiSmall(text[ms:me]), atoiSmall(text[i:j]))
	if !ok {
		return DateMatch{}, false
	}
	end := ye
	if ye-ys == 4 {
		end = yearSuffix(text, ye)
	}
	return DateMatch{Start: i, End: end, Date: d}, true
}

// isoDate reads YYYY-MM-DD.
func isoDate(text string, i, j int) (DateMatch, bool) {
	if j+1 >= len(text) || text[j] != '-' {
		return DateMatch{}, false
	}
	me := digitRun(text, j+1)
	if me-(j+1) != 2 || me+1 >= len(text) || text[me] != '-' {
		return DateMatch{}, false
	}
	de := digitRun(text, me+1)
	if de-(me+1) != 2 {
		return DateMatch{}, false
	}
	d, ok := makeDate(atoiSmall(text[i:j]), atoiSmall(text[j+1:me]), atoiSmall(text[me+1:de]))
	if !ok {
		return DateMatch{}, false
	}
	return DateMatch{Start: i, End: de, Date: d}, true
}

// wordDate reads «20 марта 2024 г.» with optional quotes round the day.
func wordDate(text string, i, j int) (DateMatch, bool) {
	k := skipSpaces(text, j, 3)
	closed := quoteAt(text, k)
	if closed > 0 {
		k = skipSpaces(text, k+closed, 3)
	}
	start := i
	if closed > 0 { // a quoted day: take its opening quote into the match
		b := i
		for n := 0; n < 2 && b > 0; n++ {
			if text[b-1] == ' ' || text[b-1] == '\t' {
				b--
			} else if strings.HasSuffix(text[:b], "\u00a0") {
				b -= len("\u00a0")
			} else {
				break
			}
		}
		if q := quoteBefore(text, b); q > 0 {
			start = b - q
		}
	}
	ws := k
	for k < len(text) {
		r, n := utf8.DecodeRuneInString(text[k:])
		if !unicode.IsLetter(r) && !strings.ContainsRune("036", r) {
			break
		}
		k += n
	}
	if k == ws || k-ws > 40 {
		return DateMatch{}, false
	}
	mon := matchMonth([]rune(strings.Map(ocrToCyrillic, text[ws:k])))
	if mon == 0 {
		return DateMatch{}, false
	}
	if k < len(text) && text[k] == '.' { // «мар.» style dots are harmless
		k++
	}
	ys := skipSpaces(text, k, 3)
	ye := digitRun(text, ys)
	if ye-ys != 4 {
		return DateMatch{}, false
	}
	d, ok := makeDate(atoiSmall(text[ys:ye]), int(mon), atoiSmall(text[i:j]))
	if !ok {
		return DateMatch{}, false
	}
	return DateMatch{Start: start, End: yearSuffix(text, ye), Date: d}, true
}

// ParseDate reads one date from a field value («20 марта 2024 г.»,
// «20.03.2024», «20.03.24»); when the value holds several, the first wins.
func ParseDate(s string) (time.Time, bool) {
	ms := FindDates(s)
	if len(ms) == 0 {
		return time.Time{}, false
	}
	return ms[0].Date, true
}

// PlausibleDate reports whether a document date d can be real when read at
// now: not in the future (one day of slack for time zones and documents
// dated tomorrow) and not more than ten years back.
func PlausibleDate(d, now time.Time) bool {
	return !d.After(now.Add(24*time.Hour)) && !d.Before(now.AddDate(-10, 0, 0))
}

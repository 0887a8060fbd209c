package fields

import (
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

// titleNumber reads the document number after the «№» of the title line:
// the words up to «от», a date or a form marker.
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
		if k == "от" || k == "from" || isFormMarker(tok.text) || strings.HasPrefix(k, "от") && len(parts) > 0 && len([]rune(k)) <= 3 {
			break
		}
		if _, ok := ruvalid.ParseDate(tok.text); ok && len(parts) > 0 {
			break
		}
		// A gap wider than a few units ends the number (next cell).
		if len(parts) > 0 && float64(tok.box.X0-parts[len(parts)-1].box.X1) > 2*t.line.unit {
			break
		}
		parts = append(parts, tok)
	}
	if len(parts) == 0 {
		return value{}
	}
	num := strings.Trim(joinTokens(parts), " ,.;:«»\"'")
	num = strings.ReplaceAll(num, " - ", "-")
	if num == "" || num == "-" || num == "—" {
		return value{}
	}
	return value{text: num, conf: minConf(parts), toks: parts}
}

// findDate finds the first date in the tokens of a line from index from.
func findDate(ts []token, from int) (dateValue, bool) {
	if from >= len(ts) {
		return dateValue{}, false
	}
	sp := newSpan(ts[from:])
	ms := ruvalid.FindDates(sp.text)
	if len(ms) == 0 {
		return dateValue{}, false
	}
	m := ms[0]
	toks := sp.tokensIn(m.Start, m.End)
	return dateValue{value: value{text: m.Date.Format(time.DateOnly), conf: minConf(toks), toks: toks}, date: m.Date}, true
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
	if d, ok := findDate(t.line.toks, from); ok {
		return d
	}
	for i := t.line.idx + 1; i < len(lines) && i <= t.line.idx+3; i++ {
		if d, ok := findDate(lines[i].toks, 0); ok {
			d.conf *= 0.95
			return d
		}
	}
	return dateValue{}
}

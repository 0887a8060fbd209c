package fields

import (
	"strings"
	"unicode"
)

// A side's name is often printed twice: ТОРГ-12's «Грузоотправитель» and
// «Поставщик» rows, a УПД's lines [2] and [3], a bill's «Получатель». OCR
// may garble one printing and read the other cleanly. Which printing was
// misread cannot be known in general, but a reading with Latin look-alikes
// or marks no name is printed with is the worse one.

// printedNameCap is the confidence of a name taken from another printing
// than the one at its label: the two readings disagree, so it is never
// sure and the document goes to a clerk with it highlighted (under
// DefaultMinConfidence). Chosen so, not measured.
const printedNameCap = 0.6

// suspectName reports a name reading to be doubted: Latin look-alikes
// spelling a word of two letters or more («Юг» read «Or»), or a mark no
// name is printed with. A low OCR confidence is not enough: unseen seed
// 9321's photographed счёт-фактура 023 read «ИП Ильин …» right at a low
// confidence, and its other printing «ИП Ильмн …», wrong, more surely.
func suspectName(v value) bool {
	return latinTwinWordOf(v.text, 2) || strings.ContainsFunc(v.text, strayNameMark)
}

// mendNamesFromPrintings replaces a side's doubtful OCR'd name by another
// printing of it on the page that reads cleanly and differs from it by a
// few letters of its core (the words after the legal form): the same
// name, better read. A printing that differs more is another party.
func (x *extraction) mendNamesFromPrintings() {
	for r := range x.parties {
		p := &x.parties[r]
		if p.name.empty() || x.onTextLayer(p.name.toks) || !suspectName(p.name) {
			continue
		}
		core := nameCore(p.name.text)
		if len([]rune(core)) < nameRepeatedMinCore {
			continue
		}
		other := nameCore(x.parties[1-r].name.text)
		if v, ok := x.cleanerPrinting(p.name, core, other); ok {
			p.name, p.fromPrinting = v, true
		}
	}
}

// cleanerPrinting looks for a printing of the name v whose core is within
// a few edits of core, nearer to it than to the other side's core (other),
// and which is not itself suspect.
func (x *extraction) cleanerPrinting(v value, core, other string) (value, bool) {
	form := strings.Fields(nameForm(v.text))[0]
	limit := max(2, len([]rune(core))/4)
	var found value
	ok := x.anyTokenElsewhere(v.toks, func(li, k int) bool {
		if nameForm(x.lines[li].toks[k].text) != form {
			return false
		}
		cut := cutPrintedName(x.printingFrom(li, k), len(v.toks)+1)
		if len(cut) == 0 {
			return false
		}
		cand := value{text: strings.Trim(joinTokens(cut), " ,;."), conf: min(minConf(cut), printedNameCap), toks: cut}
		cc := nameCore(cand.text)
		if suspectName(cand) || cc == core || len([]rune(cc)) < nameRepeatedMinCore {
			return false
		}
		d := levenshtein(cc, core, limit)
		if d <= limit && (other == "" || levenshtein(cc, other, d) > d) {
			found = cand
			return true
		}
		return false
	})
	return found, ok
}

// cutPrintedName ends a printing where the name ends: before an «ИНН» or
// «КПП», after a word closing with a comma or full stop, at most n words.
func cutPrintedName(ts []token, n int) []token {
	var out []token
	for _, t := range ts {
		k := strings.Trim(t.key, ":,.")
		if k == "инн" || k == "кпп" || strings.HasPrefix(k, "инн/") || len(out) == n {
			break
		}
		out = append(out, t)
		if last, _ := lastRune(t.text); last == ',' || last == '.' || last == ';' {
			break
		}
	}
	return out
}

func lastRune(s string) (rune, bool) {
	r := []rune(strings.TrimRightFunc(s, unicode.IsSpace))
	if len(r) == 0 {
		return 0, false
	}
	return r[len(r)-1], true
}

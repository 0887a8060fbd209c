package ruvalid

import (
	"strconv"
	"strings"
	"unicode"

	pervichka "github.com/pervichka/pervichka"
)

// legalForms maps spelled-out organisational forms to their abbreviations,
// longest first so that «публичное акционерное общество» is not read as
// «п» + «ао».
var legalForms = []struct{ long, short string }{
	{"общество с ограниченной ответственностью", "ооо"},
	{"публичное акционерное общество", "пао"},
	{"непубличное акционерное общество", "нао"},
	{"закрытое акционерное общество", "зао"},
	{"открытое акционерное общество", "оао"},
	{"акционерное общество", "ао"},
	{"индивидуальный предприниматель", "ип"},
}

var shortForms = map[string]bool{"ооо": true, "пао": true, "нао": true, "зао": true, "оао": true, "ао": true, "ип": true}

// latinToCyrillic maps Latin capitals and small letters that look like
// Cyrillic ones; 0 for anything else.
func latinToCyrillic(r rune) rune {
	switch r {
	case 'A':
		return 'А'
	case 'B':
		return 'В'
	case 'C':
		return 'С'
	case 'E':
		return 'Е'
	case 'H':
		return 'Н'
	case 'K':
		return 'К'
	case 'M':
		return 'М'
	case 'O':
		return 'О'
	case 'P':
		return 'Р'
	case 'T':
		return 'Т'
	case 'X':
		return 'Х'
	case 'Y':
		return 'У'
	case 'a':
		return 'а'
	case 'c':
		return 'с'
	case 'e':
		return 'е'
	case 'o':
		return 'о'
	case 'p':
		return 'р'
	case 'x':
		return 'х'
	case 'y':
		return 'у'
	case 'k':
		return 'к'
	}
	return 0
}

func isQuote(r rune) bool {
	switch r {
	case '"', '\'', '«', '»', '“', '”', '„', '‘', '’', '‚', '`', '´':
		return true
	}
	return false
}

// NormalizeName maps an organisation or person name to a form for
// comparison: lower case, ё→е, quotes dropped, spaces collapsed, legal forms
// abbreviated (ООО «Ромашка» and Общество с ограниченной ответственностью
// "Ромашка" both become «ооо ромашка»), initials closed up («и. и.» →
// «и.и.»). In a word mixing Cyrillic and Latin letters — an OCR artefact —
// the Latin look-alikes become Cyrillic; an all-Latin word stays as it is
// unless it spells a legal form («OOO»).
func NormalizeName(s string) string {
	s = strings.Map(func(r rune) rune {
		switch {
		case isQuote(r):
			return ' '
		case r == 'ё' || r == 'Ё':
			return 'е'
		case unicode.IsSpace(r):
			return ' '
		}
		return r
	}, s)
	// Look-alikes before lower case: «M» looks like «М», «m» like nothing.
	words := strings.Fields(s)
	for i, w := range words {
		// And after it: lower case can make Latin letters of others
		// (the Kelvin sign «K» becomes Latin «k»; fuzzing found «KЄ»
		// normalised to «kє» and then to «кє»).
		words[i] = fixMixedScript(strings.ToLower(fixMixedScript(w)))
	}
	s = " " + strings.Join(words, " ") + " "
	for _, f := range legalForms {
		s = strings.ReplaceAll(s, " "+f.long+" ", " "+f.short+" ")
	}
	words = strings.Fields(s)
	// «Ромашка, ООО» and «Ромашка ООО» put the form last; move it first.
	if n := len(words); n > 1 {
		last := strings.TrimRight(words[n-1], ".,;")
		if shortForms[last] && !shortForms[words[0]] {
			words = append([]string{last}, words[:n-1]...)
			words[n-1] = strings.TrimRight(words[n-1], ",")
		}
	}
	// Close up initials: «иванов и. и.» → «иванов и.и.».
	out := make([]string, 0, len(words))
	for _, w := range words {
		if k := len(out); k > 0 && isInitial(out[k-1]) && isInitial(w) {
			// The closed-up word is one word now, and look-alikes are
			// fixed per word: «и.» «c.» (Latin c) is «и.с.», as the
			// next normalisation would make it (fuzzing found the two
			// disagree).
			out[k-1] = strings.ToLower(fixMixedScript(out[k-1] + w))
			continue
		}
		out = append(out, w)
	}
	return strings.TrimSpace(strings.Join(out, " "))
}

// isInitial reports whether w is one or more initials, each a letter and a dot.
func isInitial(w string) bool {
	r := []rune(w)
	if len(r) < 2 || len(r)%2 != 0 {
		return false
	}
	for i := 0; i < len(r); i += 2 {
		if !unicode.IsLetter(r[i]) || r[i+1] != '.' {
			return false
		}
	}
	return true
}

// LegalFormLookalike reads w as an abbreviated legal form (ООО, АО, ЗАО,
// ПАО, ОАО, НАО, ИП) printed in look-alikes — digits 0, 9 and 3 for О and
// З, Latin letters for Cyrillic ones, as OCR reads «ООО» in many fonts
// («000», «OOO», «3AO», a blurred photo's «999») — and returns the form in
// Cyrillic capitals. Four round marks («0900», one «О» read twice) are
// «ООО» too: no form is four letters. It does not decide that w stands
// where a legal form does: the caller knows that (the first word of a
// name, before a quoted name).
func LegalFormLookalike(w string) (string, bool) {
	core := strings.TrimRight(w, ".,;")
	if core == "" {
		return "", false
	}
	mapped := strings.Map(func(r rune) rune {
		switch r {
		case '0', '9':
			return 'О'
		case '3':
			return 'З'
		}
		if c := latinToCyrillic(r); c != 0 {
			return c
		}
		return r
	}, core)
	up := strings.ToUpper(mapped)
	if up == "ОООО" {
		up = "ООО"
	}
	if !shortForms[strings.ToLower(up)] {
		return "", false
	}
	return up, true
}

// FixMixedScript turns Latin look-alikes into Cyrillic, keeping their case,
// in every word of s that holds Cyrillic letters too or that spells a legal
// form in look-alikes («ИП Mакaровa» → «ИП Макарова», «OOO» → «ООО»). No
// Russian word mixes the scripts: such a word is an OCR artefact, and a
// name delivered with one is not found by the accounting system's search.
// An all-Latin word stays («ООО «Lenovo»»).
//
// One more case: in a name that has a Cyrillic word of its own (not only
// its legal form), a capital abbreviation of up to three letters written
// wholly in Latin look-alikes is taken as Cyrillic («ООО “TK Ориентир"» →
// «ООО “ТК Ориентир"», «AO"MK "ВЫСОТА"» → «АО"МК "ВЫСОТА"»). The pixels of
// «TK» and «ТК» are the same, so no reader of the page can tell them
// apart; beside Russian words the Cyrillic reading is the likely one, and
// two printings read alike are no evidence for the Latin one (a real-layout
// soak posted «TK» that way). A Latin brand of real Latin letters
// («IT», «KPMG», «Lenovo») has a letter no Cyrillic one looks like, or
// stands alone, and stays.
func FixMixedScript(s string) string {
	words := strings.Split(s, " ")
	for i, w := range words {
		words[i] = fixMixedScript(w)
	}
	if hasOwnCyrillicWord(words) {
		for i, w := range words {
			words[i] = foldLatinAbbreviations(w)
		}
	}
	return strings.Join(words, " ")
}

// maxFoldedAbbreviation is the longest all-look-alike Latin capital run
// FixMixedScript takes as Cyrillic beside Russian words: the two- and
// three-letter abbreviations of Russian names (ТК, МК, СК, ПКФ). Chosen by
// hand, not measured.
const maxFoldedAbbreviation = 3

// hasOwnCyrillicWord reports whether words hold a Cyrillic word of three
// letters or more that is not a legal form.
func hasOwnCyrillicWord(words []string) bool {
	for _, w := range words {
		n := 0
		for _, r := range w {
			if unicode.Is(unicode.Cyrillic, r) && unicode.IsLetter(r) {
				n++
			}
		}
		core := strings.ToLower(strings.TrimFunc(w, func(r rune) bool { return !unicode.IsLetter(r) }))
		if n >= 3 && !shortForms[core] {
			return true
		}
	}
	return false
}

// foldLatinAbbreviations turns each run of Latin capitals in w that is at
// most maxFoldedAbbreviation long, made only of look-alikes and not next
// to other letters, into Cyrillic.
func foldLatinAbbreviations(w string) string {
	rs := []rune(w)
	for i := 0; i < len(rs); {
		if !unicode.IsLetter(rs[i]) {
			i++
			continue
		}
		j := i
		for j < len(rs) && unicode.IsLetter(rs[j]) {
			j++
		}
		run := rs[i:j]
		fold := len(run) <= maxFoldedAbbreviation
		for _, r := range run {
			if r >= 0x80 || !unicode.IsUpper(r) || latinToCyrillic(r) == 0 {
				fold = false
				break
			}
		}
		if fold {
			for k, r := range run {
				run[k] = latinToCyrillic(r)
			}
		}
		i = j
	}
	return string(rs)
}

// fixMixedScript is FixMixedScript of one word.
func fixMixedScript(w string) string {
	hasCyr, hasLat := false, false
	for _, r := range w {
		switch {
		case unicode.Is(unicode.Cyrillic, r):
			hasCyr = true
		case r < 0x80 && unicode.IsLetter(r):
			hasLat = true
		}
	}
	if !hasLat {
		return w
	}
	mapped := strings.Map(func(r rune) rune {
		if c := latinToCyrillic(r); c != 0 {
			return c
		}
		return r
	}, w)
	if hasCyr || shortForms[strings.ToLower(strings.TrimRight(mapped, ".,;"))] {
		return mapped
	}
	return w
}

// FoldLookalikes upper-cases s and turns every Latin letter that prints
// like a Cyrillic one into it («HP 85A» and «НР 85А», «50x40» and «50х40»
// become one string), for comparing text whose script a reader of the page
// cannot see either: product codes and brands in item names are printed
// in whichever script the sender's software used, with identical glyphs.
func FoldLookalikes(s string) string {
	return strings.Map(func(r rune) rune {
		r = unicode.ToUpper(r)
		if c := latinToCyrillic(r); c != 0 {
			return c
		}
		return r
	}, s)
}

// NormalizeNumber maps a document number or a code (ИНН, КПП, счёт) to a
// form for comparison: spaces removed, a leading «№» stripped, dashes unified
// to '-', upper case, and Latin letters that look like Cyrillic ones turned
// Cyrillic (A→А, B→В, C→С, E→Е, H→Н, K→К, M→М, O→О, P→Р, T→Т, X→Х, Y→У), so
// that «№ AB-12» and «АВ‑12» compare equal. Trailing sentence punctuation is
// dropped.
func NormalizeNumber(s string) string {
	// Every leading «№» and space: «№ № 5» is number 5, and a second pass
	// must find nothing more to take (fuzzing found «№№» → «№» → "").
	s = strings.TrimLeftFunc(s, func(r rune) bool { return r == '№' || unicode.IsSpace(r) })
	var b strings.Builder
	for _, r := range s {
		switch {
		case unicode.IsSpace(r):
			continue
		case r == '–' || r == '—' || r == '‐' || r == '‑' || r == '‒' || r == '−' || r == '―':
			r = '-'
		case r == 'ё' || r == 'Ё':
			r = 'Е'
		}
		r = unicode.ToUpper(r)
		if c := latinToCyrillic(r); c != 0 {
			r = c
		}
		b.WriteRune(r)
	}
	return strings.TrimRight(b.String(), ".,;:")
}

// cleanDecimal removes group separators (spaces, apostrophes, and dots or
// commas before the last separator when both kinds appear) and turns the
// decimal comma into a dot and a typographic minus into '-'.
func cleanDecimal(s string) string {
	s = strings.TrimSpace(s)
	s = strings.Map(func(r rune) rune {
		switch {
		case unicode.IsSpace(r), r == '\'', r == '’':
			return -1
		case r == '−' || r == '–':
			return '-'
		}
		return r
	}, s)
	if strings.Contains(s, ",") && strings.Contains(s, ".") {
		last := max(strings.LastIndex(s, ","), strings.LastIndex(s, "."))
		head := strings.NewReplacer(",", "", ".", "").Replace(s[:last])
		s = head + "." + s[last+1:]
	}
	return strings.ReplaceAll(s, ",", ".")
}

// NormalizeDecimal maps a money amount to its output form with two places:
// "214 500,00", "214500" and "214500.0" all become "214500.00". Zeros past
// the second place are allowed ("1.500" → "1.50"); other digits there are
// not, since money has kopecks only. ok is false for anything that is not a
// decimal.
func NormalizeDecimal(s string) (string, bool) {
	s = cleanDecimal(s)
	if whole, frac, ok := strings.Cut(s, "."); ok && len(frac) > 2 {
		t := strings.TrimRight(frac[2:], "0")
		if t != "" {
			return "", false
		}
		s = whole + "." + frac[:2]
	}
	k, err := pervichka.ParseKopecks(s)
	if err != nil {
		return "", false
	}
	return k.String(), true
}

// NormalizeQuantity maps a quantity to a canonical decimal with at most three
// places and no trailing zeros: "1" and "1,000" → "1", "2.50" → "2.5",
// "1 234,125" → "1234.125". ok is false for anything else, including a
// fourth significant decimal.
func NormalizeQuantity(s string) (string, bool) {
	s = cleanDecimal(s)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	whole, frac, hasFrac := strings.Cut(s, ".")
	frac = strings.TrimRight(frac, "0")
	if whole == "" || len(frac) > 3 || (hasFrac && strings.Contains(frac, ".")) || len(whole) > 15 {
		return "", false
	}
	for _, r := range whole + frac {
		if r < '0' || r > '9' {
			return "", false
		}
	}
	w, err := strconv.ParseInt(whole, 10, 64)
	if err != nil {
		return "", false
	}
	out := strconv.FormatInt(w, 10)
	if frac != "" {
		out += "." + frac
	}
	if neg && out != "0" {
		out = "-" + out
	}
	return out, true
}

// FixShortI gives back the «й» OCR read as «и» at the end of an adjective:
// no Russian word ends in «-кии» or «-ыи», and bank names are full of
// adjectives in «-ский» and «-ный» («УРАЛЬСКИИ БАНК ПАО СБЕРБАНК»,
// real-dev's photo 18-12-16). «-нии» and the like are left alone: they
// end real words («КОМПАНИИ»).
func FixShortI(s string) string {
	words := strings.Split(s, " ")
	for i, w := range words {
		r := []rune(w)
		n := len(r)
		if n < 4 || (r[n-1] != 'и' && r[n-1] != 'И') {
			continue
		}
		prev := unicode.ToLower(r[n-2])
		if prev == 'ы' || (prev == 'и' && unicode.ToLower(r[n-3]) == 'к') {
			if r[n-1] == 'И' {
				r[n-1] = 'Й'
			} else {
				r[n-1] = 'й'
			}
			words[i] = string(r)
		}
	}
	return strings.Join(words, " ")
}

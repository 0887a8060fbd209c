package ruvalid

import (
	"strings"
	"unicode"
)

// Unit is a unit of measure from ОКЕИ (Общероссийский классификатор единиц
// измерения), the classifier whose codes УПД and счёт-фактура print beside
// the unit's symbol.
type Unit struct {
	Code   string // three digits, e.g. "796"
	Symbol string // the national symbol as usually printed, e.g. "шт"
}

// units are the units of measure seen on primary documents of small
// businesses, each with the spellings in use (compared after foldUnit). The
// list is the common part of ОКЕИ, not all of it: a unit not here is left
// as printed.
var units = []struct {
	Unit
	spellings []string
}{
	{Unit{"796", "шт"}, []string{"шт", "штук", "штука", "штуки"}},
	{Unit{"778", "упак"}, []string{"упак", "уп", "упаковка"}},
	{Unit{"839", "компл"}, []string{"компл", "комплект", "к-т"}},
	{Unit{"704", "набор"}, []string{"набор", "наб"}},
	{Unit{"715", "пар"}, []string{"пар", "пара"}},
	{Unit{"736", "рул"}, []string{"рул", "рулон"}},
	{Unit{"728", "пач"}, []string{"пач", "пачка"}},
	{Unit{"625", "лист"}, []string{"лист", "л-т"}},
	{Unit{"006", "м"}, []string{"м", "метр"}},
	{Unit{"018", "пог. м"}, []string{"пог.м", "п.м", "пм", "погм"}},
	{Unit{"055", "м2"}, []string{"м2", "кв.м", "м²"}},
	{Unit{"113", "м3"}, []string{"м3", "куб.м", "м³"}},
	{Unit{"008", "км"}, []string{"км"}},
	{Unit{"163", "г"}, []string{"г", "гр"}},
	{Unit{"166", "кг"}, []string{"кг"}},
	{Unit{"168", "т"}, []string{"т", "тн"}},
	{Unit{"112", "л"}, []string{"л", "литр"}},
	{Unit{"356", "ч"}, []string{"ч", "час", "чел.-ч", "челч", "чел.ч"}},
	{Unit{"359", "сут"}, []string{"сут", "дн", "день", "сутки"}},
	{Unit{"362", "мес"}, []string{"мес", "месяц"}},
	{Unit{"366", "год"}, []string{"год"}},
	{Unit{"876", "усл. ед"}, []string{"усл.ед", "услед", "усл", "ед", "услуга", "усл.ед."}},
	{Unit{"642", "ед"}, []string{"единица"}},
	{Unit{"383", "руб"}, []string{"руб", "рубль"}},
}

// foldUnit lowercases, maps Latin look-alikes (and 'w' for a misread 'ш',
// 'n' for 'п': Tesseract's rus+eng reads «упак» as «ynak») to Cyrillic,
// and drops spaces and a trailing dot, so that "Шт.", "шт" and an OCR'd
// "wt" compare equal. A Latin 'r' stays: it is a misread 'г' («kr» for
// «кг») or 'т' («wr» for «шт»), which sameUnit lets the spelling decide.
func foldUnit(s string) string {
	var b strings.Builder
	for _, r := range strings.TrimSpace(s) {
		if c := latinToCyrillic(r); c != 0 {
			r = c
		} else if r == 'w' || r == 'W' {
			r = 'ш'
		} else if r == 'm' {
			r = 'м'
		} else if r == 'n' {
			r = 'п'
		}
		if unicode.IsSpace(r) {
			continue
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return strings.TrimRight(b.String(), ".,")
}

// LookupUnit finds a printed unit among the known spellings.
func LookupUnit(s string) (Unit, bool) {
	f := foldUnit(s)
	if f == "" {
		return Unit{}, false
	}
	var found []Unit
	for _, u := range units {
		for _, sp := range u.spellings {
			if sameUnit(f, strings.TrimRight(sp, ".")) {
				if len(found) == 0 || found[len(found)-1] != u.Unit {
					found = append(found, u.Unit)
				}
			}
		}
	}
	if len(found) != 1 {
		return Unit{}, false
	}
	return found[0], true
}

// sameUnit compares a folded reading with a spelling: equal, a Latin 'r'
// of the reading standing for 'г' or 'т' (the only letters OCR reads as
// it in units), as long as one unit alone fits (LookupUnit).
func sameUnit(f, sp string) bool {
	if !strings.ContainsRune(f, 'r') {
		return f == sp
	}
	a, b := []rune(f), []rune(sp)
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] && !(a[i] == 'r' && (b[i] == 'г' || b[i] == 'т')) {
			return false
		}
	}
	return true
}

// UnitByCode finds a unit by its ОКЕИ code.
func UnitByCode(code string) (Unit, bool) {
	code = strings.TrimSpace(code)
	for _, u := range units {
		if u.Code == code {
			return u.Unit, true
		}
	}
	return Unit{}, false
}

// SnapUnit repairs an OCR'd unit: an exact spelling, or one edit away from
// exactly one spelling of at least three letters (shorter ones are too
// close to each other to guess: "м", "г", "т", "л", "шт" vs "ит"…). Two-letter
// spellings are snapped only from a two-letter reading whose other letter
// matches in place, which is how "ит" and "wt" become "шт".
func SnapUnit(s string) (Unit, bool) {
	if u, ok := LookupUnit(s); ok {
		return u, true
	}
	f := []rune(foldUnit(s))
	if len(f) < 2 {
		return Unit{}, false
	}
	var found []Unit
	for _, u := range units {
		for _, sp := range u.spellings {
			r := []rune(strings.TrimRight(sp, "."))
			switch {
			case len(r) >= 3 && editDistance(f, r, 1) <= 1:
			case len(r) == 2 && len(f) == 2 && (f[0] == r[0]) != (f[1] == r[1]) && isLetter(f[0]) && isLetter(f[1]):
			default:
				continue
			}
			if len(found) == 0 || found[len(found)-1] != u.Unit {
				found = append(found, u.Unit)
			}
		}
	}
	if len(found) != 1 {
		return Unit{}, false
	}
	return found[0], true
}

func isLetter(r rune) bool { return unicode.IsLetter(r) }

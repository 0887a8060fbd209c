package fields

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// latinToCyrillic maps Latin letters that OCR (and careless typists) put in
// place of the Cyrillic letters they look like. Keyword matching runs on the
// Cyrillic form, so «CЧET» and «Счет» are one word.
var latinToCyrillic = map[rune]rune{
	'a': 'а', 'b': 'в', 'c': 'с', 'e': 'е', 'h': 'н', 'k': 'к', 'm': 'м',
	'o': 'о', 'p': 'р', 't': 'т', 'x': 'х', 'y': 'у', 'u': 'и', 'n': 'п',
	'r': 'г', '3': 'з', '0': 'о', '6': 'б',
}

// wordKey is the form of a word used for keyword matching: lower case, ё as
// е, Latin and digit look-alikes as Cyrillic (only in words that hold a
// Cyrillic letter or are mostly letters, so numbers stay numbers), and
// punctuation trimmed from both ends.
func wordKey(s string) string {
	s = strings.ToLower(s)
	s = strings.TrimFunc(s, func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '№' && r != '%'
	})
	letters, digitsN := 0, 0
	cyr := false
	for _, r := range s {
		switch {
		case unicode.Is(unicode.Cyrillic, r):
			cyr = true
			letters++
		case unicode.IsLetter(r):
			letters++
		case unicode.IsDigit(r):
			digitsN++
		}
	}
	if letters == 0 || (!cyr && digitsN > 0) {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if r == 'ё' {
			r = 'е'
		}
		if c, ok := latinToCyrillic[r]; ok && (cyr || r > '9') {
			r = c
		}
		b.WriteRune(r)
	}
	return b.String()
}

// levenshtein is the edit distance between two strings in runes, giving up
// (returning limit+1) once the distance must exceed limit.
func levenshtein(a, b string, limit int) int {
	ra, rb := []rune(a), []rune(b)
	if d := len(ra) - len(rb); d > limit || -d > limit {
		return limit + 1
	}
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		best := cur[0]
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			best = min(best, cur[j])
		}
		if best > limit {
			return limit + 1
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}

// fuzzyLimit is how many edits a keyword of n runes tolerates: none for
// short words (where one edit makes another word), one from five runes, two
// from ten.
func fuzzyLimit(n int) int {
	switch {
	case n >= 10:
		return 2
	case n >= 5:
		return 1
	}
	return 0
}

// matchScore compares a word key with a keyword: 1 for equal, less for a
// fuzzy match within the tolerated edits, 0 for no match.
func matchScore(key, kw string) float64 {
	if key == kw {
		return 1
	}
	n := utf8.RuneCountInString(kw)
	lim := fuzzyLimit(n)
	if lim == 0 {
		return 0
	}
	d := levenshtein(key, kw, lim)
	if d > lim {
		return 0
	}
	return 1 - 0.5*float64(d)/float64(lim+1)
}

// prefixScore matches a word key against a stem (e.g. "продавц" for
// продавец/продавца): the key must start with the stem, fuzzily for long stems.
func prefixScore(key, stem string) float64 {
	if strings.HasPrefix(key, stem) {
		return 1
	}
	n := utf8.RuneCountInString(stem)
	rk := []rune(key)
	if len(rk) < n {
		return matchScore(key, stem)
	}
	best := 0.0
	for _, l := range []int{n - 1, n, n + 1} {
		if l <= 0 || l > len(rk) {
			continue
		}
		best = max(best, matchScore(string(rk[:l]), stem))
	}
	return best
}

// digitLookalikes maps characters OCR confuses with digits to the digit.
var digitLookalikes = map[rune]rune{
	'O': '0', 'o': '0', 'О': '0', 'о': '0', 'D': '0', 'Q': '0',
	'З': '3', 'з': '3', 'б': '6', 'Б': '6', 'b': '6',
	'l': '1', 'I': '1', '|': '1', 'i': '1', '!': '1',
	'S': '5', 's': '5', 'B': '8', 'В': '8', 'g': '9', 'Z': '2', 'z': '2',
	'Ч': '4', 'ч': '4', 'A': '4', 'T': '7',
}

// digitsOf reads s as a run of digits, mapping look-alike letters to digits
// when most of the characters are digits already. changed reports whether
// any look-alike was mapped; ok is false if s is not digits at all.
func digitsOf(s string) (d string, changed, ok bool) {
	var b strings.Builder
	digitsN, other := 0, 0
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			digitsN++
			b.WriteRune(r)
		default:
			if c, isLook := digitLookalikes[r]; isLook {
				other++
				changed = true
				b.WriteRune(c)
			} else {
				return "", false, false
			}
		}
	}
	if digitsN == 0 || other*3 > digitsN {
		return "", false, false
	}
	return b.String(), changed, true
}

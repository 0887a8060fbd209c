package ruvalid

import (
	"strings"
	"unicode"
)

// digitConfusions lists, for each digit, the digits OCR mistakes it for on
// degraded scans and photos: closed loops fill or open (0 6 8 9, 3 5 8 9,
// 5 6), thin strokes break (1 4 7, 2 7). The relation is symmetric.
var digitConfusions = func() [10][]byte {
	var t [10][]byte
	seen := [10][10]bool{}
	for _, g := range []string{"3589", "0689", "147", "27", "56"} {
		for i := 0; i < len(g); i++ {
			for j := 0; j < len(g); j++ {
				a, b := g[i]-'0', g[j]-'0'
				if a != b && !seen[a][b] {
					seen[a][b] = true
					t[a] = append(t[a], g[j])
				}
			}
		}
	}
	return t
}()

// mapDigitLetters strips spaces from s and turns letters OCR confuses with
// digits into those digits (О→0, З→3, б→6, l→1, В→8…); changed reports
// whether any letter was turned.
func dropSpaces(r rune) rune {
	if unicode.IsSpace(r) {
		return -1
	}
	return r
}

func mapDigitLetters(s string) (out string, changed bool) {
	var b strings.Builder
	for _, r := range s {
		if unicode.IsSpace(r) {
			continue
		}
		if d, ok := letterToDigit(r); ok {
			if d != r {
				changed = true
			}
			r = d
		}
		b.WriteRune(r)
	}
	return b.String(), changed
}

// RepairCandidates returns the distinct strings that pass valid and are one
// OCR confusion away from s after letter mapping: one digit replaced by a
// digit it is often misread as (see digitConfusions) or two adjacent digits
// swapped. It is what RepairDigits chooses from, for callers that can break
// a tie with context (the same ИНН elsewhere on the page, a directory).
func RepairCandidates(s string, valid func(string) bool) []string {
	m, _ := mapDigitLetters(s)
	if len(m) == 0 || len(m) > 64 || digits(m) == nil {
		return nil
	}
	var out []string
	seen := map[string]bool{m: true}
	try := func(c []byte) {
		cs := string(c)
		if !seen[cs] {
			seen[cs] = true
			if valid(cs) {
				out = append(out, cs)
			}
		}
	}
	buf := []byte(m)
	for i := range buf {
		orig := buf[i]
		for _, alt := range digitConfusions[orig-'0'] {
			buf[i] = alt
			try(buf)
		}
		buf[i] = orig
	}
	for i := 0; i+1 < len(buf); i++ {
		if buf[i] == buf[i+1] {
			continue
		}
		buf[i], buf[i+1] = buf[i+1], buf[i]
		try(buf)
		buf[i], buf[i+1] = buf[i+1], buf[i]
	}
	return out
}

// RepairDigits tries to turn an OCR reading of a checked code (ИНН, ОГРН,
// account) into a valid one. A value valid once spaces are stripped is
// returned as it is. Otherwise digit look-alike letters are mapped; if that passes valid, it is returned with repaired
// telling whether a letter had to change. Otherwise every single confusion
// (RepairCandidates) is tried, and only if exactly one passes is it returned
// (repaired, ok). With none or several — a check digit catches about nine
// misreads in ten, so a long code often has more than one valid neighbour —
// the letter-mapped input comes back with ok false: guessing between valid
// codes would make a silent error.
func RepairDigits(s string, valid func(string) bool) (fixed string, repaired bool, ok bool) {
	// A value valid as written keeps its letters: a КПП may carry Latin
	// capitals in its reason code («7736AB001»).
	if raw := strings.Map(dropSpaces, s); valid(raw) {
		return raw, false, true
	}
	m, changed := mapDigitLetters(s)
	if valid(m) {
		return m, changed, true
	}
	c := RepairCandidates(m, valid)
	if len(c) == 1 {
		return c[0], true, true
	}
	return m, false, false
}

// KPPMatchesINN reports whether the КПП begins with the same four digits
// (tax office code) as the ИНН. Most organisations match; branches and the
// largest taxpayers do not, so a mismatch is a soft signal only.
func KPPMatchesINN(kpp, inn string) bool {
	return len(kpp) >= 4 && len(inn) >= 4 && digits(kpp[:4]) != nil && kpp[:4] == inn[:4]
}

// IsIPINN reports whether s has the shape of an individual's ИНН (12 digits),
// as an individual entrepreneur has; the check digits are ValidINN's business.
func IsIPINN(s string) bool {
	return len(s) == 12 && digits(s) != nil
}

package fields

import (
	"regexp"
	"strconv"
	"strings"

	pervichka "github.com/pervichka/pervichka"
)

// amount is a number read from consecutive words of a line: «214 500,00»
// arrives as two words, joined when the gap between them is a space.
type amount struct {
	k         pervichka.Kopecks
	frac      bool // printed with a decimal fraction (money), not an integer
	fracLen   int
	toks      []token
	qty       int64 // the value in thousandths when printed with 1–3 decimals
	first     int   // token index of the first word
	last      int   // token index of the last word
	lookalike bool
}

func (a amount) conf() float64 {
	c := minConf(a.toks)
	if a.lookalike {
		c *= lookalikeFactor
	}
	return c
}

// groupSepRe is an amount whose digit groups are parted by dots or dashes
// and whose kopecks by a comma.
var groupSepRe = regexp.MustCompile(`^(\d{1,4}(?:[.\-]\d{3})+),(\d{2})$`)

// colonKopecksRe is a figure whose decimal comma OCR read as «:» or «;».
var colonKopecksRe = regexp.MustCompile(`^(\d{3,})[:;]{1,2}(\d{2})$`)

// gluedCurrencyRe is an amount with kopecks and «руб.» glued on as OCR
// reads it: «34,/py6.,», «500,00руб.,», «12,50p.».
var gluedCurrencyRe = regexp.MustCompile(`^(.*\d[,.]\d{2})[,./]*(?:[рp][уy][бb6]|[рp])\.?[.,;]*$`)

// cleanNumber strips what surrounds a number in print («214 500,00 руб.»,
// «=1000-00», «35 750,00;») and maps look-alike letters to digits. ok is
// false when the word is not a number.
func cleanNumber(s string) (clean string, lookalike, ok bool) {
	s = strings.Trim(s, " :;=()«»\"'*[]{}")
	// A table rule read as «|» right after a number: «22212.95|», «00|»,
	// «224.5|».
	// Right-aligned figures touch the cell's border on photos far more
	// often than a 1 is read as «|» after two digits.
	if n := len(s); n >= 3 && s[n-1] == '|' && s[n-2] >= '0' && s[n-2] <= '9' && strings.ContainsAny(s[n-3:n-2], "0123456789.,") {
		s = strings.Trim(s[:n-1], "[]")
	}
	s = strings.TrimSuffix(s, "руб.")
	s = strings.TrimSuffix(s, "р.")
	// «34,/py6.,»: the currency glued to the kopecks, in Latin look-alikes
	// and with the comma after it (unseen seed 9501's bill 003 «Итого
	// подлежит оплате: 26 672,34 руб., в том числе НДС …» lost its total
	// to the VAT on all three images). Only after two kopeck digits.
	if m := gluedCurrencyRe.FindStringSubmatch(s); m != nil {
		s = m[1]
	}
	s = strings.TrimRight(s, ".")
	// A figure on a printed underline, «__310.000,00-», or struck through,
	// «—310.000,00-» (real-dev's corrected bill): the line's ends are read
	// as «_», dashes and «-». A leading hyphen stays: it may be a minus.
	s = strings.TrimRight(strings.TrimLeft(strings.Trim(s, "_"), "—–_"), "-—–_")
	if s == "" {
		return "", false, false
	}
	// «73159:27», «73159;:27»: a comma read as a colon or semicolon
	// (unseen seed 9421's scanned act 032, whose row then read as its
	// name's second line). Only three or more digits before it and two
	// kopeck digits after: «10:30» is a time.
	if m := colonKopecksRe.FindStringSubmatch(s); m != nil {
		s = m[1] + "," + m[2]
		lookalike = true
	}
	// «310.000,00», «1860-000,00»: the spaces between digit groups read as
	// a dot or a dash. Only groups of exactly three digits before a comma
	// and two kopeck digits; «1000-00» (kopecks after a dash) stays.
	if m := groupSepRe.FindStringSubmatch(s); m != nil {
		s = strings.NewReplacer(".", "", "-", "").Replace(m[1]) + "," + m[2]
		lookalike = true
	}
	var b strings.Builder
	seps := 0
	digitsN := 0
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
			digitsN++
		case r == ',' || r == '.':
			b.WriteByte(',')
			seps++
		case r == '-' && b.Len() > 0: // «1000-00»
			b.WriteByte(',')
			seps++
		case r == '\u00a0' || r == '\u202f':
		default:
			if d, isLook := digitLookalikes[r]; isLook && r != 'A' && r != 'T' {
				b.WriteRune(d)
				lookalike = true
			} else {
				return "", false, false
			}
		}
	}
	if digitsN == 0 || seps > 1 || (lookalike && digitsN < 2) {
		return "", false, false
	}
	return b.String(), lookalike, true
}

// amounts reads every number of a line, joining digit groups.
func amounts(l *line) []amount {
	var out []amount
	ts := l.toks
	for i := 0; i < len(ts); i++ {
		c, look, ok := cleanNumber(ts[i].text)
		if !ok {
			continue
		}
		whole, frac, hasFrac := strings.Cut(c, ",")
		j := i
		// Join thousand groups: «1», «234», «500,00». Only the leading
		// group may be shorter than three digits; every later one is
		// exactly three, however long the number already is
		// («1 072 821,17»).
		for leading := len(whole) <= 3; !hasFrac && leading && j+1 < len(ts); {
			nc, nlook, nok := cleanNumber(ts[j+1].text)
			if !nok {
				break
			}
			nw, nf, nHas := strings.Cut(nc, ",")
			gap := float64(ts[j+1].box.X0 - ts[j].box.X1)
			if len(nw) != 3 || gap > 0.9*l.unit || gap < -0.5*l.unit {
				break
			}
			j++
			whole += nw
			look = look || nlook
			if nHas {
				frac, hasFrac = nf, true
				break
			}
			if len(whole) > 15 {
				break
			}
		}
		// OCR may split the kopecks off: «500,» «00».
		if hasFrac && frac == "" && j+1 < len(ts) {
			if nc, nlook, nok := cleanNumber(ts[j+1].text); nok && len(nc) == 2 && !strings.Contains(nc, ",") &&
				float64(ts[j+1].box.X0-ts[j].box.X1) < 0.6*l.unit {
				j++
				frac = nc
				look = look || nlook
			}
		}
		// OCR may read the decimal comma as a space: «7 700 00»,
		// «514 10». Two digits right after a whole number, a space apart,
		// are its kopecks (less sure: lookalike).
		if !hasFrac && j+1 < len(ts) {
			if nc, _, nok := cleanNumber(ts[j+1].text); nok && len(nc) == 2 && !strings.Contains(nc, ",") {
				gap := float64(ts[j+1].box.X0 - ts[j].box.X1)
				if gap < 0.9*l.unit && gap > -0.5*l.unit {
					j++
					frac, hasFrac = nc, true
					look = true
				}
			}
		}
		if len(frac) > 2 || (hasFrac && frac == "") {
			// «1,234» is a quantity with three decimals, read as such
			// by the items table; not an amount of money.
			if len(frac) == 3 {
				w, err1 := strconv.ParseInt(whole, 10, 64)
				f, err2 := strconv.ParseInt(frac, 10, 64)
				if err1 == nil && err2 == nil && w < 1e12 {
					out = append(out, amount{k: pervichka.Kopecks(w * 100), qty: w*1000 + f, frac: true, fracLen: 3, toks: ts[i : j+1], first: i, last: j, lookalike: look})
				}
			}
			i = j
			continue
		}
		s := whole
		if hasFrac {
			s += "." + frac
		}
		k, err := pervichka.ParseKopecks(s)
		if err != nil {
			i = j
			continue
		}
		q := int64(k) * 10
		out = append(out, amount{k: k, qty: q, frac: hasFrac, fracLen: len(frac), toks: ts[i : j+1], first: i, last: j, lookalike: look})
		i = j
	}
	return out
}

// lastMoney is the right-most amount with a fraction (money is printed
// with kopecks), or the right-most amount when none has one.
func lastMoney(as []amount) (amount, bool) {
	for i := len(as) - 1; i >= 0; i-- {
		if as[i].frac && as[i].fracLen == 2 {
			return as[i], true
		}
	}
	return amount{}, false
}

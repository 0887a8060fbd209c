package pervichka

import (
	"fmt"
	"strconv"
	"strings"
)

// Kopecks is an amount of money in kopecks. Arithmetic on amounts is done in
// integers so that sums and VAT agree to the kopeck; decimals appear only at
// the edges as strings.
type Kopecks int64

// String formats the amount as a decimal string with two places, "214500.00".
func (k Kopecks) String() string {
	sign := ""
	v := int64(k)
	if v < 0 {
		sign, v = "-", -v
	}
	return fmt.Sprintf("%s%d.%02d", sign, v/100, v%100)
}

// Text is the amount as an output decimal.
func (k Kopecks) Text() Text { return Text(k.String()) }

// ParseKopecks parses a decimal amount: digits with an optional fraction of up
// to two places after '.' or ','; spaces (including non-breaking) between
// digit groups are ignored. "214 500,00" and "214500" both parse.
func ParseKopecks(s string) (Kopecks, error) {
	s = strings.Map(func(r rune) rune {
		switch r {
		case ' ', '\u00a0', '\u202f', '\t':
			return -1
		case ',':
			return '.'
		}
		return r
	}, s)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	whole, frac, hasFrac := strings.Cut(s, ".")
	if whole == "" || (hasFrac && (frac == "" || len(frac) > 2)) {
		return 0, fmt.Errorf("parse amount %q: not a decimal with at most two places", s)
	}
	for _, r := range whole + frac {
		if r < '0' || r > '9' {
			return 0, fmt.Errorf("parse amount %q: unexpected %q", s, r)
		}
	}
	if len(whole) > 15 {
		return 0, fmt.Errorf("parse amount %q: too large", s)
	}
	w, _ := strconv.ParseInt(whole, 10, 64)
	for len(frac) < 2 {
		frac += "0"
	}
	f, _ := strconv.ParseInt(frac, 10, 64)
	v := w*100 + f
	if neg {
		v = -v
	}
	return Kopecks(v), nil
}

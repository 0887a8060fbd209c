// Package ruvalid knows the rules Russian primary documents obey — check
// digits of ИНН, ОГРН and bank accounts, VAT arithmetic and legal rates by
// date, amounts in words, date forms — and uses them both to validate
// extracted fields and to repair OCR misreads (see repair.go).
package ruvalid

// digits returns the decimal digits of s, or nil if s holds anything else.
func digits(s string) []int {
	if s == "" {
		return nil
	}
	d := make([]int, len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return nil
		}
		d[i] = int(c - '0')
	}
	return d
}

func weighted(d []int, w []int) int {
	s := 0
	for i, x := range w {
		s += x * d[i]
	}
	return s
}

var (
	inn10w  = []int{2, 4, 10, 3, 5, 9, 4, 6, 8}
	inn12w1 = []int{7, 2, 4, 10, 3, 5, 9, 4, 6, 8}
	inn12w2 = []int{3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8}
)

// INNCheckDigits returns the check digits for the body of an ИНН: one digit for
// a 9-digit organisation body, two for a 10-digit individual body. ok is false
// for any other input.
func INNCheckDigits(body string) (check string, ok bool) {
	d := digits(body)
	switch len(d) {
	case 9:
		return string(rune('0' + weighted(d, inn10w)%11%10)), true
	case 10:
		c1 := weighted(d, inn12w1) % 11 % 10
		d = append(d, c1)
		c2 := weighted(d, inn12w2) % 11 % 10
		return string([]rune{rune('0' + c1), rune('0' + c2)}), true
	}
	return "", false
}

// ValidINN reports whether s is a 10-digit (organisation) or 12-digit
// (individual, ИП) ИНН with correct check digits. An all-zero ИНН is refused.
func ValidINN(s string) bool {
	if len(s) != 10 && len(s) != 12 || s == "0000000000" || s == "000000000000" {
		return false
	}
	body := s[:9]
	if len(s) == 12 {
		body = s[:10]
	}
	check, ok := INNCheckDigits(body)
	return ok && s[len(body):] == check
}

// ValidKPP reports whether s has the КПП form NNNN PP NNN: four digits (tax
// office), two digits or Latin capitals (reason), three digits.
func ValidKPP(s string) bool {
	if len(s) != 9 || s == "000000000" {
		return false
	}
	for i := 0; i < 9; i++ {
		c := s[i]
		isDigit := c >= '0' && c <= '9'
		if i == 4 || i == 5 {
			if !isDigit && !(c >= 'A' && c <= 'Z') {
				return false
			}
		} else if !isDigit {
			return false
		}
	}
	return true
}

// OGRNCheckDigit returns the check digit for a 12-digit ОГРН body or a
// 14-digit ОГРНИП body.
func OGRNCheckDigit(body string) (check string, ok bool) {
	d := digits(body)
	var mod int64
	switch len(d) {
	case 12:
		mod = 11
	case 14:
		mod = 13
	default:
		return "", false
	}
	var r int64
	for _, x := range d { // body mod m without overflow
		r = (r*10 + int64(x)) % mod
	}
	return string(rune('0' + r%10)), true
}

// ValidOGRN reports whether s is a 13-digit ОГРН or 15-digit ОГРНИП with a
// correct check digit.
func ValidOGRN(s string) bool {
	if len(s) != 13 && len(s) != 15 {
		return false
	}
	c, ok := OGRNCheckDigit(s[:len(s)-1])
	return ok && s[len(s)-1:] == c
}

// ValidBIK reports whether s is a 9-digit БИК of a bank in Russia (prefix 04).
func ValidBIK(s string) bool {
	return len(s) == 9 && digits(s) != nil && s[:2] == "04"
}

var accountWeights = [23]int{7, 1, 3, 7, 1, 3, 7, 1, 3, 7, 1, 3, 7, 1, 3, 7, 1, 3, 7, 1, 3, 7, 1}

func accountKeyOK(prefix3, account string) bool {
	d := digits(prefix3 + account)
	if len(d) != 23 {
		return false
	}
	sum := 0
	for i, x := range d {
		sum += accountWeights[i] * x % 10
	}
	return sum%10 == 0
}

// ValidAccount reports whether a 20-digit settlement account passes the Bank
// of Russia control key together with the БИК of its bank.
func ValidAccount(account, bik string) bool {
	return ValidBIK(bik) && len(account) == 20 && accountKeyOK(bik[6:], account)
}

// ValidCorrAccount reports whether a 20-digit correspondent account starts
// with 30101, ends with the last three digits of the БИК and passes the
// control key (computed with "0" + digits 5–6 of the БИК).
func ValidCorrAccount(corr, bik string) bool {
	return ValidBIK(bik) && len(corr) == 20 && corr[:5] == "30101" &&
		corr[17:] == bik[6:] && accountKeyOK("0"+bik[4:6], corr)
}

// PlausibleAccount reports whether a 20-digit number is shaped like a
// rouble account of the Bank of Russia's chart: balance account class 3
// or 4 first, currency code 810 at positions 6–8. It ranks readings; it
// validates nothing (the key does).
func PlausibleAccount(s string) bool {
	return len(s) == 20 && digits(s) != nil && (s[0] == '3' || s[0] == '4') && s[5:8] == "810"
}

// PlausibleSettlement reports whether s is shaped like a client's rouble
// settlement account (40…, 810 at positions 6–8): what a bill prints
// after «Сч. №» or «Р/с».
func PlausibleSettlement(s string) bool {
	return PlausibleAccount(s) && s[:2] == "40"
}

// AccountKeyDigit computes the control digit (position 9, index 8) that makes
// account pass the key for the given 3-digit prefix; account must be 20
// digits, its ninth digit is ignored. Used by the corpus generator.
func AccountKeyDigit(prefix3, account string) (string, bool) {
	if len(account) != 20 || digits(prefix3+account) == nil {
		return "", false
	}
	for k := byte('0'); k <= '9'; k++ {
		a := account[:8] + string(k) + account[9:]
		if accountKeyOK(prefix3, a) {
			return string(k), true
		}
	}
	return "", false
}

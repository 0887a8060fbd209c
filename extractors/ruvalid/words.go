package ruvalid

import (
	"strings"

	pervichka "github.com/pervichka/pervichka"
)

var (
	unitsMasc = [10]string{"", "один", "два", "три", "четыре", "пять", "шесть", "семь", "восемь", "девять"}
	unitsFem  = [10]string{"", "одна", "две", "три", "четыре", "пять", "шесть", "семь", "восемь", "девять"}
	teens     = [10]string{"десять", "одиннадцать", "двенадцать", "тринадцать", "четырнадцать",
		"пятнадцать", "шестнадцать", "семнадцать", "восемнадцать", "девятнадцать"}
	tens = [10]string{"", "", "двадцать", "тридцать", "сорок", "пятьдесят", "шестьдесят",
		"семьдесят", "восемьдесят", "девяносто"}
	hundreds = [10]string{"", "сто", "двести", "триста", "четыреста", "пятьсот", "шестьсот",
		"семьсот", "восемьсот", "девятьсот"}
)

// scale is one power of a thousand with its noun forms (one, few, many).
type scale struct {
	forms    [3]string
	feminine bool
}

// scales are indexed by the power of a thousand; index 0 is the units group,
// which takes the currency noun instead. int64 kopecks end below 10^17
// roubles, so quadrillions are enough for any Kopecks value.
var scales = []scale{
	{},
	{[3]string{"тысяча", "тысячи", "тысяч"}, true},
	{[3]string{"миллион", "миллиона", "миллионов"}, false},
	{[3]string{"миллиард", "миллиарда", "миллиардов"}, false},
	{[3]string{"триллион", "триллиона", "триллионов"}, false},
	{[3]string{"квадриллион", "квадриллиона", "квадриллионов"}, false},
}

var (
	roubleForms = [3]string{"рубль", "рубля", "рублей"}
	kopeckForms = [3]string{"копейка", "копейки", "копеек"}
)

// pluralForm picks the Russian noun form that agrees with n: 0 for 1, 21,
// 101…; 1 for 2–4, 22–24…; 2 for 0, 5–20, 11–14, 25–30…
func pluralForm(n int64) int {
	if n < 0 {
		n = -n
	}
	if m := n % 100; m >= 11 && m <= 14 {
		return 2
	}
	switch n % 10 {
	case 1:
		return 0
	case 2, 3, 4:
		return 1
	}
	return 2
}

// appendTriad appends the words of 1 ≤ n ≤ 999.
func appendTriad(words []string, n int64, feminine bool) []string {
	if h := n / 100; h > 0 {
		words = append(words, hundreds[h])
	}
	r := n % 100
	switch {
	case r >= 10 && r < 20:
		words = append(words, teens[r-10])
		return words
	case r >= 20:
		words = append(words, tens[r/10])
	}
	if u := r % 10; u > 0 {
		if feminine {
			words = append(words, unitsFem[u])
		} else {
			words = append(words, unitsMasc[u])
		}
	}
	return words
}

// AmountInWords spells an amount the way Russian documents print it under a
// total: roubles in words agreeing with their noun, kopecks as two digits
// («Двести четырнадцать тысяч пятьсот рублей 00 копеек»). The first letter is
// capital. A negative amount is prefixed with «Минус».
func AmountInWords(k pervichka.Kopecks) string {
	v := int64(k)
	neg := v < 0
	// -v would overflow for the minimum; its magnitude fits in uint64.
	mag := uint64(v)
	if neg {
		mag = uint64(-(v + 1)) + 1
	}
	rub, kop := int64(mag/100), int64(mag%100)

	var words []string
	if neg {
		words = append(words, "минус")
	}
	if rub == 0 {
		words = append(words, "ноль")
	} else {
		var triads []int64
		for r := rub; r > 0; r /= 1000 {
			triads = append(triads, r%1000)
		}
		for i := len(triads) - 1; i >= 0; i-- {
			t := triads[i]
			if t == 0 {
				continue
			}
			sc := scales[i]
			words = appendTriad(words, t, sc.feminine)
			if i > 0 {
				words = append(words, sc.forms[pluralForm(t)])
			}
		}
	}
	words = append(words, roubleForms[pluralForm(rub)])
	kd := string([]byte{byte('0' + kop/10), byte('0' + kop%10)})
	words = append(words, kd, kopeckForms[pluralForm(kop)])

	s := strings.Join(words, " ")
	// Capitalise the first letter (always Cyrillic here).
	r := []rune(s)
	r[0] = []rune(strings.ToUpper(string(r[0])))[0]
	return string(r)
}

package ruvalid

import (
	"math"
	"math/rand/v2"
	"testing"

	pervichka "github.com/pervichka/pervichka"
)

func TestAmountInWords(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		k    pervichka.Kopecks
		want string
	}{
		{0, "Ноль рублей 00 копеек"},
		{100, "Один рубль 00 копеек"},
		{200, "Два рубля 00 копеек"},
		{500, "Пять рублей 00 копеек"},
		{1100, "Одиннадцать рублей 00 копеек"},
		{1200, "Двенадцать рублей 00 копеек"},
		{1400, "Четырнадцать рублей 00 копеек"},
		{2100, "Двадцать один рубль 00 копеек"},
		{2200, "Двадцать два рубля 00 копеек"},
		{10100, "Сто один рубль 00 копеек"},
		{11100, "Сто одиннадцать рублей 00 копеек"},
		{100000, "Одна тысяча рублей 00 копеек"},
		{100100, "Одна тысяча один рубль 00 копеек"},
		{200000, "Две тысячи рублей 00 копеек"},
		{500000, "Пять тысяч рублей 00 копеек"},
		{1100000, "Одиннадцать тысяч рублей 00 копеек"},
		{2100000, "Двадцать одна тысяча рублей 00 копеек"},
		{2200000, "Двадцать две тысячи рублей 00 копеек"},
		{21450000, "Двести четырнадцать тысяч пятьсот рублей 00 копеек"},
		{100000000, "Один миллион рублей 00 копеек"},
		{200000000, "Два миллиона рублей 00 копеек"},
		{500000000, "Пять миллионов рублей 00 копеек"},
		{100100000, "Один миллион одна тысяча рублей 00 копеек"},
		{234567891, "Два миллиона триста сорок пять тысяч шестьсот семьдесят восемь рублей 91 копейка"},
		{300000000000, "Три миллиарда рублей 00 копеек"},
		{1, "Ноль рублей 01 копейка"},
		{2, "Ноль рублей 02 копейки"},
		{5, "Ноль рублей 05 копеек"},
		{11, "Ноль рублей 11 копеек"},
		{12, "Ноль рублей 12 копеек"},
		{21, "Ноль рублей 21 копейка"},
		{22, "Ноль рублей 22 копейки"},
		{99, "Ноль рублей 99 копеек"},
		{-15050, "Минус сто пятьдесят рублей 50 копеек"},
	} {
		if got := AmountInWords(tc.k); got != tc.want {
			t.Errorf("AmountInWords(%d) = %q, want %q", tc.k, got, tc.want)
		}
	}
}

func TestAmountInWordsExtremes(t *testing.T) {
	t.Parallel()
	for _, k := range []pervichka.Kopecks{math.MaxInt64, math.MinInt64 + 1} {
		s := AmountInWords(k)
		got, ok := ParseAmountWords(s)
		if !ok || got != k {
			t.Errorf("ParseAmountWords(AmountInWords(%d) = %q) = %d, %v", k, s, got, ok)
		}
	}
}

func TestParseAmountWords(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in   string
		want pervichka.Kopecks
		ok   bool
	}{
		{"Двести четырнадцать тысяч пятьсот рублей 00 копеек", 21450000, true},
		{"Всего к оплате: Сто двадцать рублей 50 копеек.", 12050, true},
		{"Сумма прописью: Одна тысяча рублей 01 копейка", 100001, true},
		{"СТО ДВАДЦАТЬ РУБЛЕЙ", 12000, true},
		{"сто двадцать", 12000, true},
		{"Тысяча рублей", 100000, true},
		{"Ноль рублей 00 копеек", 0, true},
		{"Сто рублей пятьдесят копеек", 10050, true},
		{"Сто руб. 7 коп.", 10007, true},
		{"Сто рублей 5О копеек", 10050, true}, // Latin O for zero
		{"Сто рублей ОО копеек", 10000, true}, // Cyrillic О for zeros
		{"Сто рублей A копейки", 0, false},    // one letter for two digits: unread
		{"Сто рублей А копейки", 0, false},    // a word where the digits stand: unread
		{"Сто рублей, в т.ч. НДС", 10000, true},
		// OCR noise: wrong letters, ё/е, Latin look-alikes, glued and split words.
		{"Двести четырнадцагь тысяч пятьсог рублеи 00 копеек", 21450000, true},
		{"Двеcти тыcяч рублей", 20000000, true}, // Latin c
		{"Двеститысяч пятсот рублей", 20050000, true},
		{"Сто двадцать рублёй", 12000, true},
		{"Три миллиона сорок тыс. руб.", 304000000, true},
		{"Пятьсот тьсяч рублей", 50000000, true},
		{"Девяносто дввять рублей", 9900, true},
		{"Двенадцагь рублей", 1200, true},
		// First run followed by a rouble word wins over later ones.
		{"Итого: Сто рублей 00 копеек, в том числе НДС Шестнадцать рублей 67 копеек", 10000, true},
		// Refusals.
		{"", 0, false},
		{"Итого 214 500,00 руб.", 0, false},                    // digits only
		{"при это", 0, false},                                  // short words a letter away from numerals
		{"Сто дезять рублей", 0, false},                        // «дезять»: девять or десять
		{"Сто сто рублей", 0, false},                           // not a cardinal
		{"Двадцать двенадцать рублей", 0, false},               // tens then teens
		{"Пять двадцать рублей", 0, false},                     // units then tens
		{"Тысяча миллион рублей", 0, false},                    // scales must fall
		{"Сто рублей девяносто девять тысяч копеек", 0, false}, // kopecks ≥ 100
		// Ordinary words near numerals are not amounts without a rouble word.
		{"Оплата в течение десяти банковских дней", 0, false},
		{"Оплатить в срок", 0, false},
		{"Спасибо всем", 0, false},
		// A mangled word inside the amount leaves only its tail readable.
		{"Семь миллионов девятьсот жщ тысячи рублей", 0, false},
		{"Семьдесят две т! чи четыреста двадцать рублей 00 копеек", 0, false}, // split in two
		{"Срк два миллиона рублей", 0, false},                                 // «срк» may be «сорок»
		{"Пятьдесят три миллиона двадцать пдрва чубля", 0, false},             // tail unreadable, no rouble word
		{"Сумма прописью: Два миллиона рублей", 200000000, true},
	} {
		got, ok := ParseAmountWords(tc.in)
		if ok != tc.ok || (ok && got != tc.want) {
			t.Errorf("ParseAmountWords(%q) = %s, %v; want %s, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

// TestAmountWordsRoundTrip is the property the corpus and the extractor rely
// on: what AmountInWords prints, ParseAmountWords reads back exactly.
func TestAmountWordsRoundTrip(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 10000; i++ {
		var k pervichka.Kopecks
		switch i % 4 {
		case 0:
			k = pervichka.Kopecks(rng.Int64N(100_000))
		case 1:
			k = pervichka.Kopecks(rng.Int64N(100_000_000))
		case 2:
			k = pervichka.Kopecks(rng.Int64N(1_000_000_000_000))
		default:
			k = pervichka.Kopecks(rng.Int64())
		}
		s := AmountInWords(k)
		if got, ok := ParseAmountWords(s); !ok || got != k {
			t.Fatalf("ParseAmountWords(%q) = %d, %v; want %d", s, got, ok, k)
		}
		if got, ok := ParseAmountWords("Всего к оплате: " + s + "."); !ok || got != k {
			t.Fatalf("with context: ParseAmountWords(%q) = %d, %v; want %d", s, got, ok, k)
		}
	}
}

// TestAmountWordsNoisy corrupts one letter of one numeral word at random and
// measures how often the reading is right, refused or — the costly case —
// wrong. A wrong reading must stay rare: the words are a second opinion on a
// total, and a confident wrong one would outvote the digits.
func TestAmountWordsNoisy(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		errors             int
		minRight, maxWrong int // per mille
	}{
		{1, 950, 2},
		{2, 850, 10},
	} {
		right, refused, wrong := noisyAmounts(uint64(tc.errors), tc.errors, 4000)
		n := right + refused + wrong
		t.Logf("%d OCR errors per amount: right %d, refused %d, wrong %d of %d", tc.errors, right, refused, wrong, n)
		if right*1000 < tc.minRight*n {
			t.Errorf("%d errors: only %d of %d noisy amounts read right", tc.errors, right, n)
		}
		if wrong*1000 > tc.maxWrong*n {
			t.Errorf("%d errors: %d of %d noisy amounts read wrong", tc.errors, wrong, n)
		}
	}
}

// noisyAmounts spells n random amounts, puts the given number of random
// letter errors (substitution, deletion, insertion) into each, and counts
// the readings that are right, refused and wrong.
func noisyAmounts(seed uint64, errors, n int) (right, refused, wrong int) {
	rng := rand.New(rand.NewPCG(seed, 4))
	alphabet := []rune("абвгдежзийклмнопрстуфхцчшщъыьэюя")
	for i := 0; i < n; i++ {
		k := pervichka.Kopecks(rng.Int64N(10_000_000_000))
		w := []rune(AmountInWords(k))
		for e := 0; e < errors; e++ {
			// A lower-case letter position: inside words, not the digits.
			var pos []int
			for j, r := range w {
				if r >= 'а' && r <= 'я' {
					pos = append(pos, j)
				}
			}
			p := pos[rng.IntN(len(pos))]
			switch rng.IntN(3) {
			case 0: // substitute
				w[p] = alphabet[rng.IntN(len(alphabet))]
			case 1: // delete
				w = append(w[:p:p], w[p+1:]...)
			default: // insert
				w = append(w[:p:p], append([]rune{alphabet[rng.IntN(len(alphabet))]}, w[p:]...)...)
			}
		}
		got, ok := ParseAmountWords(string(w))
		switch {
		case !ok:
			refused++
		case got == k:
			right++
		default:
			wrong++
		}
	}
	return right, refused, wrong
}

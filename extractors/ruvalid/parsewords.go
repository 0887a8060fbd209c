package ruvalid

import (
	"strings"
	"unicode"
	"unicode/utf8"

	pervichka "github.com/pervichka/pervichka"
)

// wordKind classifies a vocabulary word of amounts in words.
type wordKind uint8

const (
	kNone    wordKind = iota
	kUnit             // 1–9
	kTeen             // 10–19
	kTen              // 20–90
	kHundred          // 100–900
	kScale            // тысяча, миллион…: value is the multiplier
	kZero             // ноль
	kRouble           // рубль, руб
	kKopeck           // копейка, коп
	kMinus            // минус
	kAmbig            // a numeral-looking token equally close to two different numerals
)

type vocabWord struct {
	word  []rune
	kind  wordKind
	value int64
}

var amountVocab = buildAmountVocab()

// amountVocabIndex finds exact matches without computing distances.
var amountVocabIndex = func() map[string]int {
	m := make(map[string]int, len(amountVocab))
	for i, v := range amountVocab {
		m[string(v.word)] = i
	}
	return m
}()

func buildAmountVocab() []vocabWord {
	var v []vocabWord
	add := func(w string, k wordKind, val int64) { v = append(v, vocabWord{[]rune(w), k, val}) }
	for i := 1; i <= 9; i++ {
		add(unitsMasc[i], kUnit, int64(i))
		if unitsFem[i] != unitsMasc[i] {
			add(unitsFem[i], kUnit, int64(i))
		}
	}
	add("одно", kUnit, 1)
	for i, w := range teens {
		add(w, kTeen, int64(10+i))
	}
	for i := 2; i <= 9; i++ {
		add(tens[i], kTen, int64(10*i))
	}
	for i := 1; i <= 9; i++ {
		add(hundreds[i], kHundred, int64(100*i))
	}
	mult := int64(1)
	for _, sc := range scales[1:] {
		mult *= 1000
		for _, f := range sc.forms {
			add(f, kScale, mult)
		}
	}
	add("тыс", kScale, 1000)
	add("млн", kScale, 1_000_000)
	add("млрд", kScale, 1_000_000_000)
	add("ноль", kZero, 0)
	add("нуль", kZero, 0)
	for _, f := range roubleForms {
		add(f, kRouble, 0)
	}
	add("руб", kRouble, 0)
	for _, f := range kopeckForms {
		add(f, kKopeck, 0)
	}
	add("коп", kKopeck, 0)
	add("минус", kMinus, 0)
	return v
}

// maxEdits is how many OCR errors a vocabulary word of n letters tolerates.
// Short words tolerate one error only in the company of other numerals (see
// the strong/weak rule in ParseAmountWords); very short ones none.
func maxEdits(n int) int {
	switch {
	case n <= 2:
		return 0
	case n <= 5:
		return 1
	}
	return 2
}

// editDistance is the optimal-string-alignment distance (Levenshtein plus
// adjacent transpositions) between a and b, giving up with limit+1 as soon as
// the distance must exceed limit.
func editDistance(a, b []rune, limit int) int {
	if d := len(a) - len(b); d > limit || -d > limit {
		return limit + 1
	}
	var rows [3][48]int
	var prev2, prev, cur []int
	if len(b) < len(rows[0]) {
		prev2, prev, cur = rows[0][:len(b)+1], rows[1][:len(b)+1], rows[2][:len(b)+1]
	} else {
		prev2, prev, cur = make([]int, len(b)+1), make([]int, len(b)+1), make([]int, len(b)+1)
	}
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		rowMin := cur[0]
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			v := min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				v = min(v, prev2[j-2]+1)
			}
			cur[j] = v
			rowMin = min(rowMin, v)
		}
		if rowMin > limit {
			return limit + 1
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(b)]
}

// matchAmountWord finds the vocabulary word nearest to w within the
// word's tolerance, but at most one edit for a token of five letters or fewer
// (a short token is not a long numeral with two letters lost: «всем» is not
// «восемь»). weak is true when the match needed
// an edit and either word has five letters or fewer, where an ordinary word
// («при», «срок») lands on a numeral by chance.
func matchAmountWord(w []rune) (v vocabWord, dist int, weak bool) {
	if i, ok := amountVocabIndex[string(w)]; ok {
		return amountVocab[i], 0, false
	}
	best, bestD, tie := -1, 99, false
	for i, c := range amountVocab {
		lim := maxEdits(len(c.word))
		if len(w) <= 5 {
			lim = min(lim, 1)
		}
		d := editDistance(w, c.word, lim)
		if d > lim {
			continue
		}
		switch {
		case d < bestD:
			best, bestD, tie = i, d, false
		case d == bestD && (amountVocab[best].kind != c.kind || amountVocab[best].value != c.value):
			tie = true
		}
	}
	if best < 0 {
		return vocabWord{}, 0, false
	}
	if tie {
		return vocabWord{kind: kAmbig}, bestD, bestD > 0 && len(w) <= 5
	}
	c := amountVocab[best]
	return c, bestD, bestD > 0 && min(len(c.word), len(w)) <= 5
}

// ocrToCyrillic maps characters OCR emits for Cyrillic letters inside words:
// Latin look-alikes, and digits that stand for letters.
func ocrToCyrillic(r rune) rune {
	switch r {
	case 'A', 'a':
		return 'а'
	case 'B':
		return 'в'
	case 'b':
		return 'ь'
	case 'C', 'c':
		return 'с'
	case 'E', 'e':
		return 'е'
	case 'H':
		return 'н'
	case 'K', 'k':
		return 'к'
	case 'M':
		return 'м'
	case 'm':
		return 'т'
	case 'n':
		return 'п'
	case 'O', 'o', '0':
		return 'о'
	case 'P', 'p':
		return 'р'
	case 'r':
		return 'г'
	case 'T':
		return 'т'
	case 'u':
		return 'и'
	case 'X', 'x':
		return 'х'
	case 'Y', 'y':
		return 'у'
	case '3':
		return 'з'
	case '6':
		return 'б'
	case 'ё', 'Ё':
		return 'е'
	}
	return unicode.ToLower(r)
}

// letterToDigit maps characters OCR confuses with digits; ok is false for
// anything else. Shared with RepairDigits.
func letterToDigit(r rune) (rune, bool) {
	if r >= '0' && r <= '9' {
		return r, true
	}
	switch r {
	case 'О', 'о', 'O', 'o', 'D', 'Q':
		return '0', true
	case 'l', 'I', '|', 'і', 'І', 'i', '!':
		return '1', true
	case 'Z', 'z':
		return '2', true
	case 'З', 'з':
		return '3', true
	case 'Ч', 'ч', 'A':
		return '4', true
	case 'S', 's':
		return '5', true
	case 'б', 'Б', 'G':
		return '6', true
	case 'Т', 'T':
		return '7', true
	case 'В', 'B':
		return '8', true
	case 'g', 'q':
		return '9', true
	}
	return 0, false
}

// amountToken is a letter or digit run of the input.
type amountToken struct {
	start, end int    // byte offsets
	text       string // as written
	digits     bool   // all ASCII digits
}

func tokenizeAmount(s string) []amountToken {
	var toks []amountToken
	start, kind := -1, 0 // kind 1 letters, 2 digits
	flush := func(end int) {
		if start >= 0 {
			toks = append(toks, amountToken{start, end, s[start:end], kind == 2})
		}
		start, kind = -1, 0
	}
	for i, r := range s {
		k := 0
		switch {
		case r >= '0' && r <= '9':
			k = 2
		case unicode.IsLetter(r):
			k = 1
		}
		if k != kind {
			flush(i)
			if k != 0 {
				start, kind = i, k
			}
		}
	}
	flush(len(s))
	// A single look-alike digit inside a word («тыся4», «з0») is a letter.
	var out []amountToken
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		if i+2 < len(toks) && !t.digits && toks[i+1].digits && !toks[i+2].digits &&
			len(toks[i+1].text) == 1 && t.end == toks[i+1].start && toks[i+1].end == toks[i+2].start &&
			strings.ContainsAny(toks[i+1].text, "036") {
			out = append(out, amountToken{t.start, toks[i+2].end, s[t.start:toks[i+2].end], false})
			i += 2
			continue
		}
		out = append(out, t)
	}
	return out
}

type classified struct {
	amountToken
	kind  wordKind
	value int64
	weak  bool // fuzzy match of a short word
	fuzzy bool // matched with an edit, or split from a glued word
}

func isNumeral(k wordKind) bool {
	switch k {
	case kUnit, kTeen, kTen, kHundred, kScale, kZero, kAmbig:
		return true
	}
	return false
}

// wordClass is what a normalised word was classified as; a page repeats its
// words, so classifyAmount remembers them.
type wordClass struct {
	v     vocabWord
	dist  int
	weak  bool
	split bool
	a, b  vocabWord
}

func classifyAmount(toks []amountToken) []classified {
	out := make([]classified, 0, len(toks))
	memo := map[string]wordClass{}
	for _, t := range toks {
		c := classified{amountToken: t}
		if !t.digits {
			key := strings.Map(ocrToCyrillic, t.text)
			wc, seen := memo[key]
			if !seen {
				if w := []rune(key); len(w) > 1 && len(w) <= 40 {
					wc.v, wc.dist, wc.weak = matchAmountWord(w)
					if wc.v.kind == kNone && len(w) >= 6 {
						// OCR drops the space between two numerals: «двеститысяч».
						wc.a, wc.b, wc.split = splitGlued(w)
					}
				}
				memo[key] = wc
			}
			if wc.split {
				ca, cb := c, c
				ca.kind, ca.value, ca.fuzzy = wc.a.kind, wc.a.value, true
				cb.kind, cb.value, cb.fuzzy = wc.b.kind, wc.b.value, true
				out = append(out, ca, cb)
				continue
			}
			c.kind, c.value, c.weak, c.fuzzy = wc.v.kind, wc.v.value, wc.weak, wc.dist > 0
		}
		out = append(out, c)
	}
	return out
}

// splitGlued splits a word into two numerals, each matched within one edit
// and neither ambiguous. Only prefixes within one letter of a numeral's
// length are tried, which keeps long ordinary words cheap.
func splitGlued(w []rune) (a, b vocabWord, ok bool) {
	tried := map[int]bool{}
	for _, v := range amountVocab {
		if !isNumeral(v.kind) {
			continue
		}
		for i := len(v.word) - 1; i <= len(v.word)+1; i++ {
			if i < 3 || i+3 > len(w) || tried[i] {
				continue
			}
			if editDistance(w[:i], v.word, 1) > 1 {
				continue
			}
			tried[i] = true
			va, da, _ := matchAmountWord(w[:i])
			if !isNumeral(va.kind) || va.kind == kAmbig || da > 1 {
				continue
			}
			vb, db, _ := matchAmountWord(w[i:])
			if vb.kind != kNone && vb.kind != kAmbig && vb.kind != kMinus && db <= 1 {
				return va, vb, true
			}
		}
	}
	return a, b, false
}

// composeNumeral evaluates a run of numeral words («двести четырнадцать
// тысяч пятьсот»); ok is false when the run is not a well-formed Russian
// cardinal — a malformed run is not a trustworthy second reading.
func composeNumeral(run []classified) (int64, bool) {
	if len(run) == 1 && run[0].kind == kZero {
		return 0, true
	}
	const maxRoubles = int64(1<<63-1) / 100
	var total, group int64
	lastScale := int64(0) // 0 = none yet
	rank := 5             // 4 hundred, 3 ten, 2 teen, 1 unit
	for _, t := range run {
		r := 0
		switch t.kind {
		case kHundred:
			r = 4
		case kTen:
			r = 3
		case kTeen:
			r = 2
		case kUnit:
			r = 1
		case kScale:
			if lastScale != 0 && t.value >= lastScale {
				return 0, false
			}
			if group == 0 { // «тысяча рублей» is one thousand
				group = 1
			}
			if group > maxRoubles/t.value || total > maxRoubles-group*t.value {
				return 0, false
			}
			total += group * t.value
			group, lastScale, rank = 0, t.value, 5
			continue
		default: // zero or ambiguous inside a number
			return 0, false
		}
		if r >= rank || (rank == 3 && r == 2) || (rank == 2 && r == 1) {
			return 0, false
		}
		group += t.value
		rank = r
	}
	if total > maxRoubles-group {
		return 0, false
	}
	return total + group, true
}

// ParseAmountWords reads an amount in words back to kopecks: «Сто двадцать
// рублей 50 копеек», or a line around it («Всего к оплате: …», «Сумма
// прописью: …»). It is meant as an independent second reading of a total, so
// it tolerates OCR noise — any case, ё/е, Latin look-alikes, one or two
// wrong letters per word, glued words, stray punctuation — but refuses a
// numeral run that is not grammatical or holds a word equally close to two
// numerals. Kopecks may be digits or words, or absent (then 00).
//
// When several numeral runs occur, the first one followed by a rouble word
// wins; without a rouble word, the longest run, and then only if every word
// of it is spelled exactly. A run made only of short words that matched with
// an edit («при», «срок») is not taken as a number either way.
// ok is false when no numeral is found.
func ParseAmountWords(s string) (pervichka.Kopecks, bool) {
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, " ")
	}
	toks := classifyAmount(tokenizeAmount(s))

	type run struct{ from, to int } // toks[from:to] are numerals
	var runs []run
	for i := 0; i < len(toks); {
		if !isNumeral(toks[i].kind) {
			i++
			continue
		}
		j := i
		strong, exact := false, true
		for j < len(toks) && isNumeral(toks[j].kind) {
			strong = strong || !toks[j].weak
			exact = exact && !toks[j].fuzzy
			j++
		}
		if j < len(toks) && toks[j].kind == kRouble {
			strong = true
		} else if !exact {
			// Without a rouble word only a clean numeral counts: «в течение
			// десяти дней» must not become ten roubles.
			strong = false
		}
		if strong {
			runs = append(runs, run{i, j})
		}
		i = j
	}
	if len(runs) == 0 {
		return 0, false
	}
	pick := -1
	for i, r := range runs {
		if r.to < len(toks) && toks[r.to].kind == kRouble {
			pick = i
			break
		}
	}
	if pick < 0 {
		pick = 0
		for i, r := range runs {
			if r.to-r.from > runs[pick].to-runs[pick].from {
				pick = i
			}
		}
	}
	r := runs[pick]
	// A numeral, then one unreadable word, then this run: the amount was
	// broken by a word OCR mangled beyond recognition («тысяч ст сорок»), and
	// the run is only its tail.
	if r.from >= 2 && toks[r.from-1].kind == kNone && !toks[r.from-1].digits && isNumeral(toks[r.from-2].kind) {
		return 0, false
	}
	// Or two, when OCR split the mangled word («Семьдесят две т! чи
	// четыреста двадцать рублей», seed 9301's scanned ТОРГ-12 006: the
	// tail alone, 492 roubles, was taken against a total of 72 420).
	if r.from >= 3 && toks[r.from-1].kind == kNone && !toks[r.from-1].digits && toks[r.from-2].kind == kNone && !toks[r.from-2].digits && isNumeral(toks[r.from-3].kind) {
		return 0, false
	}
	// The word before may be a numeral mangled past the tolerance («срк»
	// for «сорок» before «два миллиона»): if it is within two edits of one
	// that could begin this number, the amount's head may be missing.
	if r.from >= 1 && mayBeNumeralHead(toks[r.from-1], toks[r.from:r.to]) {
		return 0, false
	}
	rouble := r.to < len(toks) && toks[r.to].kind == kRouble
	// Without a rouble word, an unreadable word right after the run may be
	// the rest of the number («… двадцать пдрва чубля»).
	if !rouble && r.to < len(toks) && toks[r.to].kind == kNone && !toks[r.to].digits {
		return 0, false
	}
	rub, ok := composeNumeral(toks[r.from:r.to])
	if !ok {
		return 0, false
	}
	neg := r.from > 0 && toks[r.from-1].kind == kMinus

	var kop int64
	if rouble {
		kop, ok = parseKopecksAfter(toks[r.to+1:])
		if !ok {
			return 0, false
		}
	}
	v := rub*100 + kop
	if v < rub { // overflow guard; composeNumeral already bounds rub
		return 0, false
	}
	if neg {
		v = -v
	}
	return pervichka.Kopecks(v), true
}

// mayBeNumeralHead reports whether an unrecognised word tok, standing just
// before the numeral run, is within two edits of a numeral that would
// grammatically extend the run at its head.
func mayBeNumeralHead(tok classified, run []classified) bool {
	if tok.kind != kNone || tok.digits {
		return false
	}
	w := []rune(strings.Map(ocrToCyrillic, tok.text))
	if len(w) < 2 || len(w) > 40 {
		return false
	}
	for _, v := range amountVocab {
		if !isNumeral(v.kind) || v.kind == kZero || editDistance(w, v.word, 2) > 2 {
			continue
		}
		ext := append([]classified{{kind: v.kind, value: v.value}}, run...)
		if _, ok := composeNumeral(ext); ok {
			return true
		}
	}
	return false
}

// parseKopecksAfter reads what follows the rouble word: two digits (or
// letters OCR confuses with them, «ОО»), or kopecks in words ending with a
// kopeck word. Nothing readable just before a kopeck word means they are
// unread (ok false); anything else means no kopecks were written (00).
func parseKopecksAfter(toks []classified) (int64, bool) {
	if len(toks) == 0 {
		return 0, true
	}
	// Adjacent short tokens form the kopeck figure: «5O» is two tokens.
	var digitsText strings.Builder
	n := 0
	for n < len(toks) && (n == 0 || toks[n].start == toks[n-1].end) {
		digitsText.WriteString(toks[n].text)
		n++
	}
	if fig := digitsText.String(); utf8.RuneCountInString(fig) <= 2 {
		var v int64
		all := true
		for _, c := range fig {
			d, ok := letterToDigit(c)
			if !ok {
				all = false
				break
			}
			v = v*10 + int64(d-'0')
		}
		// A letter-only figure counts only before a kopeck word, so that a
		// stray «в» or «с» after «рублей» is not read as a digit.
		letterOnly := !toks[0].digits && (n >= len(toks) || toks[n].kind != kKopeck)
		if all && !letterOnly {
			if !toks[0].digits && utf8.RuneCountInString(fig) == 1 {
				// One letter for the two digits kopecks are printed
				// with («три рубля A копейки» for 83, seed 9601's
				// realistic ТОРГ-12 009): a digit was lost and the
				// other guessed, so the kopecks are unread.
				return 0, false
			}
			return v, true
		}
	}
	j := 0
	for j < len(toks) && isNumeral(toks[j].kind) {
		j++
	}
	if j > 0 && j < len(toks) && toks[j].kind == kKopeck {
		v, ok := composeNumeral(toks[:j])
		if !ok || v > 99 {
			return 0, false
		}
		return v, true
	}
	if len(toks) > 1 && toks[1].kind == kKopeck {
		// Something unreadable where the kopecks stand («рубля А
		// копейки»): they were printed and are unread, not 00.
		return 0, false
	}
	return 0, true
}

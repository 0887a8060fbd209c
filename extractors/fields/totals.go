package fields

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	pervichka "github.com/pervichka/pervichka"
	"github.com/pervichka/pervichka/extractors/ruvalid"
)

// moneyCand is a candidate value of the total or the VAT with where it was
// printed and how strongly its label says what it is.
type moneyCand struct {
	amount
	line   int
	weight float64
	// wild is 10^n kopecks when a lone glyph OCR makes of a digit stood
	// before the figure (wildLead): the printed amount is d·wild + k for
	// a digit d no reading gives. Zero otherwise.
	wild pervichka.Kopecks
	// glued is the amount the figure would be with the four-digit word
	// before it as its leading groups (gluedLead): OCR lost a space of
	// «1 508 304,39» and read «1508 304,39». Zero otherwise.
	glued pervichka.Kopecks
	// unsure: the figure was taken from glued for being near the rows'
	// sum only; it is shown under the gate (pickTotal).
	unsure bool
	// lone: the only figure read on a totals row that prints the amount
	// without tax, the tax and the amount with it (ТОРГ-12's «Итого» and
	// «Всего по накладной», the statutory forms' «Всего к оплате»): with
	// two of the three lost, which one it is the row cannot tell.
	lone bool
}

// moneyCount is how many figures with kopecks as holds.
func moneyCount(as []amount) int {
	n := 0
	for _, a := range as {
		if a.frac && a.fracLen == 2 {
			n++
		}
	}
	return n
}

// totalsResult is what the totals block says.
type totalsResult struct {
	totals  []moneyCand // best label first
	vats    []moneyCand
	noVAT   bool // «Без НДС», «НДС не облагается»
	noVATAt float64
	rates   []int // rates printed next to «НДС» or «%» in totals lines
	words   *wordsAmount
}

// wordsAmount is the total as printed in words.
type wordsAmount struct {
	k    pervichka.Kopecks
	conf float64
	toks []token // the words of the amount (wordsSpan)
	// clipped is set when the numeral starts in lower case after a gap
	// on its line: words before it were printed and not read, so the
	// value may be the total's lower part only (see clippedWords).
	clipped bool
}

// wordsLostGap is the gap, in the line's word heights, before an amount in
// words' first numeral from which words are taken as lost there. 9841's
// realistic bill 001 lost «Сто сорок» to a glare: a gap of 8 heights, and
// «восемь тысяч семьсот девяносто два рубля» read 8 792 for 148 792,00.
// Words on a printed line stand under one height apart. Chosen by hand.
const wordsLostGap = 3.0

// rateRe is a whole-number percentage: «20%», «НДС 10 %», not the «5%» of
// «82,5%» (a fat content in an item's name on a line that says «без НДС»).
var rateRe = regexp.MustCompile(`(?:^|[^\d,.])(\d{1,2})\s*%`)

// hasSeq reports whether the word keys of l contain the keywords in order
// as consecutive words (fuzzy per word).
func hasSeq(l *line, kws ...string) (int, bool) {
	ts := l.toks
	for i := 0; i+len(kws) <= len(ts); i++ {
		ok := true
		for j, kw := range kws {
			k := strings.Trim(ts[i+j].key, ":.,()")
			if matchScore(k, kw) == 0 && !(len([]rune(kw)) >= 5 && prefixScore(k, kw) >= 0.9) {
				ok = false
				break
			}
		}
		if ok {
			return i, true
		}
	}
	return -1, false
}

func containsKey(l *line, kw string) bool {
	_, ok := hasSeq(l, kw)
	return ok
}

// moneyAfter returns the amounts of line li right of token from, or of the
// next line when the label stands alone.
func moneyAfter(lines []line, li, from int) []amount {
	var out []amount
	for _, a := range amounts(&lines[li]) {
		if a.first > from {
			out = append(out, a)
		}
	}
	return out
}

// noVATPhrases are the words of isNoVAT's phrases, for noVATConf.
var noVATPhrases = [][]string{
	{"без", "ндс"}, {"без", "налога"}, {"ндс", "не", "облагается"}, {"не", "облагается", "ндс"},
	{"ндс", "не", "предусмотрен"}, {"ндс", "нет"},
}

// noVATConf is how sure OCR is of a line's «без НДС»: the confidence of the
// phrase's own words, not of the line's other marks (the «х» of an empty
// excise cell beside it says nothing about the tax); the whole line's when
// the phrase is not found word by word.
func noVATConf(l *line) float64 {
	for _, p := range noVATPhrases {
		if i, ok := hasSeq(l, p...); ok {
			return minConf(l.toks[i : i+len(p)])
		}
	}
	if i := noVATGarbled(l); i >= 0 {
		return minConf(l.toks[i : i+2])
	}
	return minConf(l.toks)
}

func isNoVAT(l *line) bool {
	k := l.keys()
	return strings.Contains(k, "без ндс") || strings.Contains(k, "без налога") ||
		strings.Contains(k, "ндс не облагается") || strings.Contains(k, "не облагается ндс") ||
		strings.Contains(k, "без ндс.") || strings.Contains(k, "ндс не предусмотрен") ||
		strings.Contains(k, "ндс нет") || notTaxedGarbled(l) || noVATGarbled(l) >= 0
}

// noVATGarbled returns where «без НДС» as OCR misreads it starts among l's
// words, or -1: «без» and «Н?С» whose middle letter is Д read as А or Л
// («без HAC», «без НАС»; the key folds Latin look-alikes). 9901's
// realistic ТОРГ-12 009 printed it on every row and both totals lines,
// read right only once, by its least sure word (0.77): the document was
// held for a «без НДС» read at 0.94–0.95 five times more. Stricter than
// the rows' withoutVAT: a line outside the table has more words to confuse.
func noVATGarbled(l *line) int {
	for i := 0; i+1 < len(l.toks); i++ {
		n := []rune(strings.Trim(l.toks[i+1].key, ".,:;()"))
		if strings.Trim(l.toks[i].key, ".,:;()") == "без" && len(n) == 3 && n[0] == 'н' && strings.ContainsRune("дал", n[1]) && n[2] == 'с' {
			return i
		}
	}
	return -1
}

// notTaxedGarbled reports «НДС не облагается» whose «не» OCR read in Latin
// or misread («НДС ne облагается.», unseen seed 9501's photographed bill
// 004, held for a VAT it does not have): «НДС», any word of two letters,
// then «облагается».
func notTaxedGarbled(l *line) bool {
	ts := l.toks
	for i := 0; i+2 < len(ts); i++ {
		if mid := []rune(ts[i+1].key); strings.Trim(ts[i].key, ":.,()") == "ндс" && len(mid) == 2 && unicode.IsLetter(mid[0]) && unicode.IsLetter(mid[1]) &&
			matchScore(strings.Trim(ts[i+2].key, ":.,()"), "облагается") > 0 {
			return true
		}
	}
	return false
}

func findTotals(lines []line, typ pervichka.DocType, tableEnd int) totalsResult {
	var r totalsResult
	add := func(list *[]moneyCand, a amount, li int, w float64) {
		wild, _ := wildLead(&lines[li], a)
		glued, _ := gluedLead(&lines[li], a)
		*list = append(*list, moneyCand{amount: a, line: li, weight: w, wild: wild, glued: glued})
	}
	for li := range lines {
		l := &lines[li]
		repairVATLabel(l)
		k := l.keys()
		if !strings.ContainsAny(k, "0123456789") && !isNoVAT(l) && !strings.Contains(k, "ндс") {
			continue
		}
		if strings.Contains(k, "ндс") || strings.Contains(k, "налог") {
			for _, m := range rateRe.FindAllStringSubmatch(l.text(), -1) {
				if v, err := strconv.Atoi(m[1]); err == nil {
					r.rates = append(r.rates, v)
				}
			}
		}
		if isNoVAT(l) && li >= tableEnd-1 {
			r.noVAT = true
			r.noVATAt = max(r.noVATAt, noVATConf(l))
		}
		switch {
		case typ == pervichka.DocVATInvoice || typ == pervichka.DocUPD:
			if at, ok := payRow(l); ok {
				as := moneyAfter(lines, li, at)
				if m, ok := lastMoney(as); ok {
					add(&r.totals, m, li, 1)
					r.totals[len(r.totals)-1].lone = moneyCount(as) == 1
					// The row reads: without tax, excise, tax, with tax.
					var money []amount
					for _, a := range as {
						if a.frac && a.fracLen == 2 {
							money = append(money, a)
						}
					}
					if len(money) >= 3 {
						if g, ok := settleWildLead(l, money[len(money)-3:]); ok {
							// The row's own arithmetic gives the digit a
							// glyph hid: «8 126,67 х 1 625,33 $ 752,00».
							r.totals[len(r.totals)-1] = moneyCand{amount: g, line: li, weight: 1}
						}
						if _, exact := netVATGross(money); exact || !isNoVAT(l) {
							// «без НДС» in the tax's cell: the figure
							// before the last is no tax unless the row
							// adds up with it. Seed 9601's scanned УПД
							// 012 read «1 13 292,89 : x А без НДС| 113
							// 292,80» and took 292,89 as its VAT.
							add(&r.vats, money[len(money)-2], li, 1)
						}
					} else if len(money) == 2 && !isNoVAT(l) {
						if crossBetween(l, money[0], money[1]) {
							// «161 365.57 х иж 196 866.00»: without tax,
							// the excise «х», a tax OCR lost, with tax.
							// The tax is the difference.
							if d := money[1].k - money[0].k; d > 0 && d < money[0].k {
								v := amount{k: d, frac: true, fracLen: 2, toks: append(append([]token{}, money[0].toks...), money[1].toks...), first: money[0].first, last: money[1].last, lookalike: true}
								add(&r.vats, v, li, vatFromDifferenceWeight)
							}
						} else {
							add(&r.vats, money[0], li, vatOfTwoAmountsWeight)
						}
					}
				}
				continue
			}
		}
		if at, ok := hasSeq(l, "всего", "к", "оплате"); ok {
			if m, ok := lastMoney(moneyAfter(lines, li, at)); ok {
				add(&r.totals, m, li, 1)
			}
			continue
		}
		if at, ok := hasSeq(l, "сумма", "к", "оплате"); ok {
			if m, ok := lastMoney(moneyAfter(lines, li, at)); ok {
				add(&r.totals, m, li, payableLabelWeight)
			}
			continue
		}
		if at, ok := hasSeq(l, "на", "сумму"); ok && (containsKey(l, "всего") || containsKey(l, "оказано") || containsKey(l, "наименований")) {
			if m, ok := lastMoney(moneyAfter(lines, li, at)); ok {
				add(&r.totals, m, li, onTheSumWeight)
			}
			continue
		}
		hasNDS := containsKey(l, "ндс") || strings.Contains(k, "ндс")
		if at, ok := paymentSum(l); ok && !hasNDS {
			if m, ok := firstMoney(moneyAfter(lines, li, at)); ok && m.first == at+1 && currencyAt(l, m.last+1) {
				add(&r.totals, m, li, paymentSumWeight)
			}
		}
		if at, ok := contractPrice(l); ok {
			if m, ok := firstMoney(moneyAfter(lines, li, at)); ok {
				add(&r.totals, m, li, contractPriceWeight)
			}
			if hasNDS && !isNoVAT(l) {
				for i, t := range l.toks {
					if i > at && strings.Contains(t.key, "ндс") {
						if m, ok := firstMoney(moneyAfter(lines, li, i)); ok {
							add(&r.vats, m, li, contractVATLabelWeight)
						}
						break
					}
				}
			}
			continue
		}
		if hasNDS && !isNoVAT(l) {
			// «В» is often read as «8» or lost: «том числе» suffices.
			_, inc := hasSeq(l, "том", "числе")
			_, inc2 := hasSeq(l, "итого", "ндс")
			_, inc3 := hasSeq(l, "сумма", "ндс")
			inc4 := strings.Contains(k, "в т.ч") || strings.Contains(k, "вт.ч") || strings.HasPrefix(k, "ндс")
			// «Итого подлежит оплате: 191 468,22 руб., в том числе НДС
			// 31 911,37 руб.» — the total and its tax on one line: the
			// money between «Итого» and «НДС» is the total (the tax is
			// read below).
			if at, ok := totalBeforeVAT(l); ok {
				var before []amount
				for _, a := range moneyAfter(lines, li, at) {
					if a.last < ndsIndex(l) && a.frac {
						before = append(before, a)
					}
				}
				if m, ok := lastMoney(before); ok {
					add(&r.totals, m, li, totalBeforeVATWeight)
				}
			}
			_, withVAT := hasSeq(l, "с", "ндс")
			_, withVAT2 := hasSeq(l, "включая", "ндс")
			if withVAT || withVAT2 {
				if at, ok := hasSeq(l, "итого"); ok {
					if m, ok := lastMoney(moneyAfter(lines, li, at)); ok {
						add(&r.totals, m, li, totalWithVATWeight)
					}
				} else if at, ok := hasSeq(l, "всего"); ok {
					if m, ok := lastMoney(moneyAfter(lines, li, at)); ok {
						add(&r.totals, m, li, totalWithVATWeight)
					}
				}
				continue
			}
			// «В т.ч. НДС (10%):» that OCR garbled in front of «НДС»
			// («8 1.4. НДС (10%): 6 117,11»): nothing but marks and
			// letters in ones and twos before it.
			inc5 := vatLabelFirst(l)
			// «Итого подлежит оплате: …, в том числе НДС …» with «в том
			// числе» garbled («в Tom's ле НДС 218 582,53», seed 9301's
			// scanned счёт-оферта 014): the tax named after the payable
			// total on its line is the VAT.
			_, inc6 := totalBeforeVAT(l)
			purpose := paymentPurpose(l)
			if (inc || inc2 || inc3 || inc4 || inc5 || inc6) && (li >= tableEnd-1 || purpose) {
				at := -1
				for i, t := range l.toks {
					if strings.Contains(t.key, "ндс") {
						at = i
						break
					}
				}
				w := vatLabelWeight
				if purpose && li < tableEnd-1 {
					w = paymentPurposeVATWeight
				}
				if m, ok := firstMoney(moneyAfter(lines, li, at)); ok {
					add(&r.vats, m, li, w)
				}
				continue
			}
		}
		if at, ok := hasSeq(l, "всего", "по", "накладной"); ok && !hasNDS && li >= tableEnd-1 {
			// ТОРГ-12's grand total row (ОКУД 0330212): «Итого» above it
			// sums the rows of its page only. Its figures read as
			// «Итого»'s do: without tax, tax, with tax. On seed 31's
			// realistic ТОРГ-12 photo the «Итого» row took a figure of the
			// last item row into it and lost «822» of «822 770,03»,
			// which this row read whole.
			as := moneyAfter(lines, li, at)
			if m, ok := lastMoney(as); ok {
				add(&r.totals, m, li, 1)
				r.totals[len(r.totals)-1].lone = moneyCount(as) == 1
			}
			if v, ok := netVATGross(as); ok {
				add(&r.vats, v, li, 1)
			}
			continue
		}
		if at, ok := hasSeq(l, "итого"); ok && !hasNDS {
			as := moneyAfter(lines, li, at)
			if m, inc, ok := moneyBeforeIncluded(l, at); ok {
				add(&r.totals, m, li, bareTotalWeight)
				if v, ok := firstMoney(moneyAfter(lines, li, inc)); ok && li >= tableEnd-1 && !isNoVAT(l) && v.k < m.k {
					add(&r.vats, v, li, includedVATWeight)
				}
			} else if m, ok := lastMoney(as); ok {
				add(&r.totals, m, li, bareTotalWeight)
				r.totals[len(r.totals)-1].lone = typ == pervichka.DocTORG12 && moneyCount(as) == 1
			}
			if v, ok := netVATGross(as); ok && li >= tableEnd-1 {
				// ТОРГ-12's «Итого» row under the table: without tax,
				// tax, with tax, no «НДС» on the line (its columns say
				// it); the exact sum says which figure is the tax.
				add(&r.vats, v, li, bareTotalWeight)
			}
			continue
		}
		if at, ok := hasSeq(l, "всего"); ok && !hasNDS && li >= tableEnd-1 &&
			(strings.HasSuffix(l.toks[at].text, ":") || at == 0 && len(l.toks) <= 5) {
			// «Всего: 605 896,21» — a bare «всего» inside other words
			// («Всего наименований…») is no label.
			if m, ok := lastMoney(moneyAfter(lines, li, at)); ok {
				add(&r.totals, m, li, bareAllWeight)
			}
		}
	}
	r.words = findWordsAmount(lines)
	return r
}

// totalBeforeVAT finds «Итого»/«Всего» with «к оплате» or «подлежит
// оплате» before the line's «НДС»: a total row that carries its tax, as
// bills of some 1C-like systems print it. It returns the label's last token.
func totalBeforeVAT(l *line) (int, bool) {
	nds := ndsIndex(l)
	if nds < 0 {
		return 0, false
	}
	for _, seq := range [][]string{{"итого", "к", "оплате"}, {"итого", "подлежит", "оплате"}, {"всего", "к", "оплате"}, {"всего", "подлежит", "оплате"}} {
		if at, ok := hasSeq(l, seq...); ok && at < nds {
			return at, true
		}
	}
	return 0, false
}

// moneyBeforeIncluded is the money between «Итого» (token at) and a
// «том» further along its line: «Итого подлежит оплате: 26 672,34 руб., в
// том числе НДС 4 445,39 руб.» with «числе НДС» lost to OCR («B TOM 4
// 445,39», unseen seed 9501's bill 003 on all three images) names the
// total before «в том» and a part of it after.
// «в том» glued and garbled («BYTOM числе HAC 4 445,39», the same bill's
// scanner-app image) counts by its «том» or its «числе».
func moneyBeforeIncluded(l *line, at int) (m amount, inc int, ok bool) {
	inc = -1
	for i := at + 1; i < len(l.toks) && inc < 0; i++ {
		k := strings.Trim(l.toks[i].key, ":.,()")
		if strings.HasSuffix(k, "том") && len([]rune(k)) <= 5 || matchScore(k, "числе") > 0 {
			inc = i
		}
	}
	if inc < 0 {
		return amount{}, -1, false
	}
	var before []amount
	for _, a := range amounts(l) {
		if a.first > at && a.last < inc && a.frac {
			before = append(before, a)
		}
	}
	m, ok = lastMoney(before)
	return m, inc, ok
}

// paymentPurpose reports a bill's payment purpose line («Назначение
// платежа: Оплата по счёту № … , в том числе НДС …»), which restates the
// VAT above the table.
func paymentPurpose(l *line) bool {
	_, ok := hasSeq(l, "назначение", "платежа")
	return ok
}

// ndsIndex is the index of the line's first token holding «НДС», or -1.
func ndsIndex(l *line) int {
	for i, t := range l.toks {
		if strings.Contains(t.key, "ндс") {
			return i
		}
	}
	return -1
}

// vatLabelFirst reports a line whose first word is «НДС» but for debris
// before it: words of at most two letters, as OCR leaves of «В т.ч.».
func vatLabelFirst(l *line) bool {
	for _, t := range l.toks {
		if strings.HasPrefix(t.key, "ндс") {
			return true
		}
		letters := 0
		for _, r := range t.key {
			if unicode.IsLetter(r) {
				letters++
			}
		}
		if letters > 2 {
			return false
		}
	}
	return false
}

// findWordsAmount finds the total written in words («Двести четырнадцать
// тысяч пятьсот рублей 00 копеек»), possibly after a label and possibly
// wrapped onto the next line.
func findWordsAmount(lines []line) *wordsAmount {
	for li := range lines {
		l := &lines[li]
		k := l.keys()
		if !strings.Contains(k, "рубл") && !strings.Contains(k, "руб") {
			continue
		}
		letters := 0
		for _, t := range l.toks {
			if !startsWithDigit(t.text) {
				letters++
			}
		}
		if letters < 3 {
			continue
		}
		// ParseAmountWords tolerates the text around the amount and takes
		// the first numeral run followed by a rouble word, so the line is
		// read together with its neighbours: the start of the numeral may
		// have wrapped onto the line before, the kopecks onto the next.
		from, to := li, li+1
		if li > 0 && lines[li-1].page == l.page {
			from = li - 1
		}
		if li+1 < len(lines) && lines[li+1].page == l.page {
			to = li + 2
		}
		var ts []token
		for j := from; j < to; j++ {
			ts = append(ts, lines[j].toks...)
		}
		if v, ok := ruvalid.ParseAmountWords(joinTokens(ts)); ok {
			span := wordsSpan(ts, v)
			return &wordsAmount{k: v, conf: minConf(ts), toks: span, clipped: wordsLostBefore(ts, span)}
		}
	}
	return nil
}

// wordsLostBefore reports whether the amount in words span, cut from ts,
// starts with a lower-case letter after a gap of wordsLostGap word heights
// from the word before it on its line.
func wordsLostBefore(ts, span []token) bool {
	if len(span) == 0 {
		return false
	}
	first := span[0]
	r, _ := utf8.DecodeRuneInString(first.text)
	if !unicode.IsLower(r) {
		return false
	}
	for i := 1; i < len(ts); i++ {
		if ts[i].box != first.box || ts[i].page != first.page {
			continue
		}
		prev := ts[i-1]
		level := prev.box.Y0 < first.box.Y1 && first.box.Y0 < prev.box.Y1
		return level && prev.box.X1 < first.box.X0 && float64(first.box.X0-prev.box.X1) > wordsLostGap*float64(max(1, first.box.Dy()))
	}
	return false
}

// clippedWords reports whether w, an amount in words missing its leading
// numerals (wordsAmount.clipped), is the lower part of k: the same
// kopecks, and k's roubles ending with w's digits.
func clippedWords(w *wordsAmount, k pervichka.Kopecks) bool {
	if w == nil || !w.clipped || k <= w.k || k%100 != w.k%100 {
		return false
	}
	return strings.HasSuffix(strconv.FormatInt(int64(k/100), 10), strconv.FormatInt(int64(w.k/100), 10))
}

// misreadWords reports whether w, an amount in words, disagrees with the
// rows' sum k only as OCR misreads such a line: the roubles the same and
// the kopecks — printed in digits — one OCR-twin digit off («… сорек
// вублей 13 KeNESk» for 15 on 10231's realistic bill 002), or a rouble word
// whose grammatical number does not go with the numeral read, a numeral
// word lost («Сто девятнадцать тысяч рубль 60 копеек», «двести один» not
// read, on its ТОРГ-12 008). Such a reading neither vouches for the total
// nor contradicts it; the rows and the printed total still must agree.
func misreadWords(w *wordsAmount, k pervichka.Kopecks) bool {
	if w == nil || w.k == k {
		return false
	}
	if w.k/100 == k/100 && ocrTwinDigits(fmt.Sprintf("%02d", w.k%100), fmt.Sprintf("%02d", k%100)) {
		return true
	}
	for _, t := range w.toks {
		if form := strings.Trim(t.key, ".,;:"); form == "рубль" || form == "рубля" || form == "рублей" {
			return form != roubleForm(int64(w.k/100))
		}
	}
	return false
}

// roubleForm is the form of «рубль» that goes with n roubles.
func roubleForm(n int64) string {
	switch {
	case n%100 >= 11 && n%100 <= 14:
		return "рублей"
	case n%10 == 1:
		return "рубль"
	case n%10 >= 2 && n%10 <= 4:
		return "рубля"
	}
	return "рублей"
}

// paymentSum finds «Сумма:» as a bill's payment block prints it beside
// the account («Реквизиты для оплаты: … Сумма: 220 534,86 RUB»): the
// amount to pay. On 9801's realistic bill 001 and 9901's scanned bill 002
// it was the only printing of the total OCR read whole; a stamp or a
// glare garbled «Итого подлежит оплате». It returns the label's index.
func paymentSum(l *line) (int, bool) {
	for i, t := range l.toks {
		if t.key == "сумма" && strings.HasSuffix(t.text, ":") {
			return i, true
		}
	}
	return -1, false
}

// currencyAt reports whether l's word i names the rouble: «RUB», «руб.»,
// «₽».
func currencyAt(l *line, i int) bool {
	if i < 0 || i >= len(l.toks) {
		return false
	}
	switch strings.Trim(strings.ToLower(l.toks[i].text), ".,;:") {
	case "rub", "руб", "₽", "рублей", "р":
		return true
	}
	return false
}

// contractPrice finds the clause that states a contract's price: «Цена
// договора составляет …», «Общая стоимость работ …», «Сумма договора …».
func contractPrice(l *line) (int, bool) {
	for _, seq := range [][]string{{"цена", "договора"}, {"стоимость", "работ"}, {"стоимость", "услуг"},
		{"сумма", "договора"}, {"общая", "стоимость"}, {"стоимость", "договора"}, {"стоимость", "товара"}} {
		if at, ok := hasSeq(l, seq...); ok {
			return at + 1, true
		}
	}
	return -1, false
}

// firstMoney is the left-most amount printed with kopecks.
func firstMoney(as []amount) (amount, bool) {
	for _, a := range as {
		if a.frac && a.fracLen == 2 {
			return a, true
		}
	}
	return amount{}, false
}

// vatLabelMisreads are keys OCR makes of «НДС» on photos, Д read as А or
// Л: «В том числе HAC (20%): 53 483,50» (seed 31's photographed bills and
// acts lost their VAT to it).
var vatLabelMisreads = map[string]bool{"нас": true, "нлс": true}

// repairVATLabel gives a misread «НДС» its key back where the line says
// what it is: a rate in percent and «в том числе» before it. «нас» is a
// word too («для нас»), so the context must be the VAT line's own.
func repairVATLabel(l *line) {
	if _, ok := hasSeq(l, "том", "числе"); !ok || !rateRe.MatchString(l.text()) {
		return
	}
	for i := range l.toks {
		if vatLabelMisreads[strings.Trim(l.toks[i].key, ":.,;()")] {
			l.toks[i].key = "ндс"
		}
	}
}

// netVATGross finds, among a line's last three money figures, net + tax =
// gross to the kopeck and returns the tax. The tax must be the smaller
// part: a line of two subtotals and their sum is not a tax row.
func netVATGross(as []amount) (amount, bool) {
	var money []amount
	for _, a := range as {
		if a.frac && a.fracLen == 2 {
			money = append(money, a)
		}
	}
	if len(money) < 3 {
		return amount{}, false
	}
	net, vat, gross := money[len(money)-3], money[len(money)-2], money[len(money)-1]
	if vat.k <= 0 || net.k+vat.k != gross.k || vat.k >= net.k {
		return amount{}, false
	}
	return vat, true
}

// payRow finds the «Всего к оплате» row of a счёт-фактура or УПД as OCR
// reads it: «[Всего « оплате (9)», «cero и оплате (9)» — a fuzzy «всего»
// at most two words before «оплате».
func payRow(l *line) (int, bool) {
	if at, ok := hasSeq(l, "всего", "к", "оплате"); ok {
		return at, true
	}
	for i, t := range l.toks {
		if matchScore(strings.Trim(t.key, ":.,()[]|«»"), "оплате") == 0 {
			continue
		}
		for j := max(0, i-3); j < i; j++ {
			k := strings.Trim(l.toks[j].key, ":.,()[]|«»")
			if matchScore(k, "всего") > 0 || k == "сего" {
				return i, true
			}
		}
	}
	return -1, false
}

// wildLeadGlyphs are what OCR reads a figure's leading digit as on
// photos: «$ 752,00» for 9 752,00, «$ 714,94» for 5 714,94 (seed 1's
// messenger photos, three totals of 45 pages).
var wildLeadGlyphs = map[string]bool{"$": true, "S": true, "§": true, "s": true}

// wildLead reports a lone glyph OCR makes of a digit just before a's first
// word, a digit group's gap away, when a's whole part is whole groups of
// three: the printed figure is d·10^n + a with its leading digit d
// unread. It returns 10^n in kopecks.
func wildLead(l *line, a amount) (pervichka.Kopecks, bool) {
	g, p, ok := leadBefore(l, a)
	if !ok || !wildLeadGlyphs[g.text] {
		return 0, false
	}
	return p, true
}

// gluedLead reports the amount a would be with the word just before it as
// its leading digits, when that word is four digits a group's gap away
// and a's whole part is whole groups of three: «1508 304,39» read for
// «1 508 304,39» with a space lost (seed 31's realistic УПД photo). amounts
// never joins a four-digit group (it is as often a quantity or a code
// before a figure), so this reading is only an alternative, taken when the
// rows' sum or the amount in words is exactly it (pickTotal).
func gluedLead(l *line, a amount) (pervichka.Kopecks, bool) {
	g, p, ok := leadBefore(l, a)
	if !ok {
		return 0, false
	}
	c, _, ok := cleanNumber(g.text)
	if !ok || len(c) != 4 || strings.Contains(c, ",") || c[0] == '0' {
		return 0, false
	}
	lead, err := strconv.ParseInt(c, 10, 64)
	if err != nil {
		return 0, false
	}
	return pervichka.Kopecks(lead)*p + a.k, true
}

// leadBefore returns the word just before money a on l, when it stands a
// digit group's gap away and a's whole part is whole groups of three, and
// 10^n in kopecks for a's n whole digits: what a leading group before a
// would be worth.
func leadBefore(l *line, a amount) (token, pervichka.Kopecks, bool) {
	if a.first < 1 || a.first >= len(l.toks) || len(a.toks) == 0 || !a.frac || a.fracLen != 2 {
		return token{}, 0, false
	}
	g := l.toks[a.first-1]
	if gap := float64(a.toks[0].box.X0 - g.box.X1); gap > 0.9*l.unit || gap < -0.5*l.unit {
		return token{}, 0, false
	}
	n := 0
	for v := int64(a.k) / 100; v > 0; v /= 10 {
		n++
	}
	if n == 0 || n%3 != 0 {
		return token{}, 0, false
	}
	p := pervichka.Kopecks(100)
	for range n {
		p *= 10
	}
	return g, p, true
}

// fillsWild reports whether want is a read as d·wild + a.k for one digit
// d from 1 to 9.
func fillsWild(a pervichka.Kopecks, wild, want pervichka.Kopecks) bool {
	if wild <= 0 || want <= a {
		return false
	}
	d := want - a
	return d%wild == 0 && d/wild >= 1 && d/wild <= 9
}

// settleWildLead settles the one figure of a «Всего к оплате» row (without
// tax, tax, with tax) whose leading digit a glyph hid, by the row's own
// arithmetic: gross = net + tax. Only the gross figure is returned changed;
// with two such figures in the row nothing is settled.
func settleWildLead(l *line, m []amount) (amount, bool) {
	net, vat, gross := m[0], m[1], m[2]
	wild, ok := wildLead(l, gross)
	if !ok {
		return amount{}, false
	}
	if _, w := wildLead(l, net); w {
		return amount{}, false
	}
	if _, w := wildLead(l, vat); w {
		return amount{}, false
	}
	want := net.k + vat.k
	if !fillsWild(gross.k, wild, want) {
		return amount{}, false
	}
	g := gross
	g.k = want
	g.lookalike = true
	g.toks = append([]token{l.toks[gross.first-1]}, gross.toks...)
	g.first--
	return g, true
}

// crossBetween reports whether a lone «x»/«х» (the excise column's cross)
// stands between two amounts of a line.
func crossBetween(l *line, a, b amount) bool {
	for i := a.last + 1; i < b.first && i < len(l.toks); i++ {
		switch strings.ToLower(strings.Trim(l.toks[i].text, "|[]")) {
		case "x", "х":
			return true
		}
	}
	return false
}

package fields

import (
	"math"
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	pervichka "github.com/pervichka/pervichka"
	"github.com/pervichka/pervichka/extractors/ruvalid"
)

type role int

const (
	roleSupplier role = iota
	roleBuyer
)

// roleLabelMinScore is how close (prefixScore) a word must come to a role
// stem («Поставщик», «Покупатель», «Исполнитель» …) to count as that role's
// label: 0.65 lets one OCR slip in a 6-letter word pass («Постовщик») and
// keeps shorter unrelated words out. Chosen by hand (c6e81c0); not varied.
const roleLabelMinScore = 0.65

func (r role) String() string {
	if r == roleBuyer {
		return "buyer"
	}
	return "supplier"
}

// roleStems are the beginnings of the words that label each side, by
// document type (ru-rules.md). A stem matches a word's start, so «продавц»
// covers «Продавец» in the header and «продавца» in «ИНН/КПП продавца».
func roleStems(typ pervichka.DocType) [2][]string {
	supplier := []string{"поставщик", "исполнител", "подрядчик", "продавец", "продавц", "арендодател", "лицензиар"}
	buyer := []string{"покупател", "заказчик", "арендатор", "лицензиат"}
	switch typ {
	case pervichka.DocInvoice, pervichka.DocUnknown:
		// On a bill the payee («Получатель», «Банк получателя») is the
		// supplier and the payer is the buyer.
		supplier = append(supplier, "получател")
		buyer = append(buyer, "плательщик", payerStem)
	case pervichka.DocTORG12:
		// ТОРГ-12's sides are «Поставщик» and «Плательщик»; the
		// consignor and consignee lines above them name the goods'
		// route, not the parties (and are often the same companies).
		buyer = append(buyer, "плательщик", payerStem)
	}
	return [2][]string{supplier, buyer}
}

// payerStem is the start of «Плательщик» before its «щ», which OCR reads
// as two letters or another one («Плательдьек» on seed 10031's realistic
// ТОРГ-12 002, three edits from the word: its buyer went unread). No other
// word of a form starts so.
const payerStem = "платель"

// roleHit is a word that labels a side.
type roleHit struct {
	role  role
	line  int // line index
	tok   int // token index in the line
	box   pervichka.Rect
	score float64
}

func findRoleHits(lines []line, typ pervichka.DocType) []roleHit {
	stems := roleStems(typ)
	var out []roleHit
	for li := range lines {
		for ti, t := range lines[li].toks {
			k := strings.TrimLeft(t.key, "(«\"")
			if len([]rune(k)) < 6 {
				continue
			}
			best, bestRole := 0.0, roleSupplier
			for r, ss := range stems {
				for _, s := range ss {
					if sc := prefixScore(k, s); sc > best {
						best, bestRole = sc, role(r)
					}
				}
			}
			if best < roleLabelMinScore && ti == 0 {
				// The word's lost beginning is read as the role word's:
				// at the lowest score a label may have.
				if w, ok := truncatedLabel(k); ok {
					for r, ss := range stems {
						for _, s := range ss {
							if strings.HasPrefix(w, s) {
								best, bestRole = roleLabelMinScore, role(r)
							}
						}
					}
				}
			}
			if best >= roleLabelMinScore && labelLike(&lines[li], ti) {
				out = append(out, roleHit{role: bestRole, line: li, tok: ti, box: t.box, score: best * t.conf})
			}
		}
	}
	return out
}

// truncatedLabel gives the role word a line's first word is the end of
// when OCR lost its first letters at the sheet's left edge: the word ends
// exactly one of the nominatives, one to truncatedLabelMaxLost letters
// short, and is at least truncatedLabelMinLen letters long («упатель» for
// «Покупатель» on seed 8901's scanner-app bill 009, whose buyer name became
// «упатель»). A word that ends two role words names neither.
func truncatedLabel(k string) (string, bool) {
	k = strings.TrimRight(k, ":)")
	n := utf8.RuneCountInString(k)
	if n < truncatedLabelMinLen {
		return "", false
	}
	var found []string
	for _, w := range nominatives {
		lost := utf8.RuneCountInString(w) - n
		if lost >= 1 && lost <= truncatedLabelMaxLost && strings.HasSuffix(w, k) {
			found = append(found, w)
		}
	}
	if len(found) != 1 {
		return "", false
	}
	return found[0], true
}

const (
	// truncatedLabelMinLen: six letters end only one role word («упатель»,
	// «ставщик», «лучатель»); five would take «атель» of several.
	truncatedLabelMinLen = 6
	// truncatedLabelMaxLost: at most three letters lost, a cut-off edge
	// or a shadow over the first letters; more leaves too little to tell.
	truncatedLabelMaxLost = 3
)

// nominatives are the role words as labels print them; other forms
// («Подрядчика», «заказчику») are words of running text unless they follow
// «ИНН/КПП» or «Банк» («ИНН/КПП продавца», «Банк получателя»).
var nominatives = []string{"поставщик", "исполнитель", "подрядчик", "продавец", "арендодатель", "лицензиар",
	"получатель", "покупатель", "заказчик", "арендатор", "лицензиат", "плательщик"}

// labelLike reports whether the role word at token ti of l is a label, not
// a word of a clause («1.1. Подрядчик обязуется…», «…на расчетный счет
// Подрядчика»): a label is a nominative that ends with a colon, or starts
// its line or cell and is followed by a name (a capital, a quote, a
// parenthesis) or nothing; or a genitive after «ИНН/КПП» or «Банк».
func labelLike(l *line, ti int) bool {
	t := l.toks[ti]
	k := strings.Trim(t.key, ":()«»\"")
	nom := false
	for _, n := range nominatives {
		// Same length: «Заказчика» is one edit from «заказчик» but not a label.
		if len([]rune(k)) == len([]rune(n)) && matchScore(k, n) > 0 {
			nom = true
			break
		}
		// A label wrapped in a narrow label column: «Исполнител» on one
		// line, «ь:» under it (corpus seed 1, 038-act). Shorter than the
		// nominative, so never a genitive («Исполнителя»).
		if d := len([]rune(n)) - len([]rune(k)); d >= 1 && d <= 2 && len([]rune(k)) >= 6 && strings.HasPrefix(n, k) {
			nom = true
			break
		}
	}
	if !nom && ti == 0 {
		_, nom = truncatedLabel(k)
	}
	if !nom && strings.HasPrefix(k, payerStem) && strings.HasSuffix(k, "к") && len([]rune(k)) <= len([]rune(payerStem))+5 {
		// «Плательдьек»: «Плательщик» with its «щ» read as two letters,
		// a nominative still by its ending (not «Плательщика»).
		nom = true
	}
	if !nom {
		for j := max(0, ti-3); j < ti; j++ {
			pk := l.toks[j].key
			if strings.HasPrefix(pk, "инн") || strings.HasPrefix(pk, "кпп") || strings.HasPrefix(pk, "банк") || strings.HasPrefix(pk, "адрес") {
				return true
			}
		}
		return false
	}
	if strings.HasSuffix(strings.TrimRight(t.text, ")"), ":") {
		return true
	}
	cellStart := ti == 0 || float64(t.box.X0-l.toks[ti-1].box.X1) > 1.5*l.unit ||
		(strings.HasPrefix(t.text, "(") && ti > 0)
	if !cellStart {
		return false
	}
	if ti+1 >= len(l.toks) || float64(l.toks[ti+1].box.X0-t.box.X1) > 1.5*l.unit {
		return true // alone in its cell: «Получатель», a column heading
	}
	if nk := l.toks[ti+1].key; nk == "платежа" || nk == "средств" {
		return true // «Получатель платежа»
	}
	r := []rune(l.toks[ti+1].text)
	return unicode.IsUpper(r[0]) || strings.ContainsRune("«\"“(", r[0]) || unicode.IsDigit(r[0])
}

// idHit is one printed ИНН (with the КПП printed with it) or a lone КПП.
type idHit struct {
	inn, kpp       string
	innToks        []token
	kppToks        []token
	conf           float64
	line           int
	x0             int // left edge of the «ИНН»/«КПП» label
	lookalike      bool
	role           role
	attributed     bool
	attributeScore float64
}

const digitClass = `[0-9OОоЗзбlI|]`

// formMarker is an optional row marker of the statutory forms, «(2б)».
const formMarker = `(?:\(\d{1,2}[а-яa-z]?\)\s*)?`

// labelDebris is what may stand between a label and its value besides
// spaces: OCR leaves a stray «,» or «.» of the form's dotted leader there
// («ИНН продавца: , (2б) 1651532960»).
const labelDebris = `(?:\s|[,.;:](?:\s|$))*`

var (
	innRe = regexp.MustCompile(`(?i)(?:ИНН|ИHH|NHH|ИНH|ИHН|lНН|1НН|VHH|VНН|HHH|WHH|MHH|MНН|AHH|АНН)(?:\s?[^\s\d/:.(]{1,5}\s)?\s*([/|Ии]\s*(?:КПП|KПП|КПN|KNN|[КK][^\s\d/]{1,3})\s*)?` +
		`(?:\(?[а-яёА-ЯЁ]{5,}\)?\s*)?[:№.]?` + labelDebris + formMarker + `((?:[0-9]{1,4} )?` + digitClass + `{5,13})(?:\s*/\s*(` + digitClass + `{4}[0-9A-ZА-Я]{2}` + digitClass + `{3}))?` +
		`(?:[,;]?\s*(?:КПП|KПП|КПN|KNN|КПH)\s*[:№.]?\s*([0-9A-Za-zА-Яа-яЁё|]{9})(?:[^0-9A-Za-zА-Яа-яЁё|]|$))?`)
	kppRe = regexp.MustCompile(`(?i)(?:КПП|KПП|КПN|KNN|КПH)\s*(?:\(?[а-яёА-ЯЁ]{5,}\)?\s*)?[:№.]?` + labelDebris + formMarker + `([0-9A-Za-zА-Яа-яЁё|]{9})(?:[^0-9A-Za-zА-Яа-яЁё|]|$)`)
)

// kppDigits normalises an OCR'd КПП: look-alikes to digits except at the
// reason positions, which may hold Latin capitals.
func kppDigits(s string) (string, bool) {
	r := []rune(s)
	if len(r) != 9 {
		return "", false
	}
	// At least most of it must be digits, or it is a word, not a КПП.
	digitsN := 0
	for _, c := range r {
		if c >= '0' && c <= '9' {
			digitsN++
		}
	}
	if digitsN < 6 {
		return "", false
	}
	var b strings.Builder
	for i, c := range r {
		switch {
		case c >= '0' && c <= '9':
			b.WriteRune(c)
		case (i == 4 || i == 5) && c >= 'A' && c <= 'Z':
			b.WriteRune(c)
		default:
			if d, ok := digitLookalikes[c]; ok && i != 4 && i != 5 {
				b.WriteRune(d)
			} else {
				// Left as printed: the format check reports it.
				b.WriteString(strings.ToUpper(string(c)))
			}
		}
	}
	return b.String(), true
}

// inWord reports whether byte offset i of s, where a label reading
// starts, follows a letter and starts with an A: the «АНН» reading of
// «ИНН» (the И read as A, 10291's realistic act 010, whose sole trader's
// ИНН was found but tied to no party without its label) inside a word
// such as «Жанна». The other readings innRe knows do not occur inside
// Russian words.
func inWord(s string, i int) bool {
	if i <= 0 {
		return false
	}
	r, _ := utf8.DecodeLastRuneInString(s[:i])
	if !unicode.IsLetter(r) {
		return false
	}
	first, _ := utf8.DecodeRuneInString(s[i:])
	return first == 'A' || first == 'А' || first == 'a' || first == 'а'
}

// gluedINNKPP splits an organisation's ИНН and КПП read as one run of 19
// digits, the slash between them lost («ИННКПП продавца:
// 6150563130615001001», seed 8901's realistic photo 012, read as the ИНН
// «6150563130615»). The split is taken only when the first ten digits pass
// the ИНН's check and the КПП starts with the ИНН's region, so a run of
// other digits is not cut into a valid-looking pair by chance.
func gluedINNKPP(ts []token) (inn, kpp string, ok bool) {
	if len(ts) != 1 {
		return "", "", false
	}
	d := strings.TrimRight(ts[0].text, ",;.")
	if len(d) != 19 || strings.ContainsFunc(d, func(r rune) bool { return r < '0' || r > '9' }) {
		return "", "", false
	}
	inn, kpp = d[:10], d[10:]
	if !ruvalid.ValidINN(inn) || kpp[:2] != inn[:2] {
		return "", "", false
	}
	return inn, kpp, true
}

func findIDHits(lines []line) (inns, kpps []idHit) {
	for li := range lines {
		ts := lines[li].toks
		// A label wrapped away from its value: «…, ИНН» / «2327255000, …».
		if n := len(ts); n > 0 && li+1 < len(lines) && lines[li+1].page == lines[li].page {
			last := strings.Trim(ts[n-1].key, ":")
			if last == "инн" || last == "кпп" || last == "инн/кпп" || (n > 1 && last == "кпп" && strings.HasPrefix(ts[n-2].key, "инн")) {
				ts = append(append([]token{}, ts...), lines[li+1].toks...)
			}
		}
		sp := newSpan(ts)
		for _, m := range innRe.FindAllStringSubmatchIndex(sp.text, -1) {
			if inWord(sp.text, m[0]) {
				continue // «АНН» inside «Жанна», not a label read so
			}
			h := idHit{line: li}
			raw, from, split := sp.text[m[4]:m[5]], m[4], false
			if head, tail, ok := strings.Cut(raw, " "); ok {
				// «5 216899238»: OCR split the ИНН after its first
				// digits (seed 9201's scanner-app УПД 002). Joined only
				// when the whole passes the check and the gap is a
				// split's, not a column's; else the tail is the ИНН.
				ts := sp.tokensIn(m[4], m[5])
				if jd, _, ok := digitsOf(head + tail); ok && ruvalid.ValidINN(jd) && len(ts) == 2 &&
					float64(ts[1].box.X0-ts[0].box.X1) < lines[li].unit {
					raw, split = head+tail, true
				} else {
					raw, from = tail, m[4]+len(head)+1
				}
			}
			d, changed, ok := digitsOf(raw)
			if !ok {
				continue
			}
			h.inn, h.lookalike = d, changed || split
			h.innToks = sp.tokensIn(from, m[5])
			if inn, kpp, ok := gluedINNKPP(h.innToks); ok && len(d) == 13 {
				h.inn, h.kpp, h.kppToks = inn, kpp, h.innToks
				h.lookalike = true // a lost slash: less sure than a printed one
			}
			if !ruvalid.ValidINN(d) && len(d) < 12 {
				// OCR may split an ИНН with a space: «2524541 51940».
				if j := sp.tokenAt(m[5] - 1); j >= 0 && j+1 < len(sp.toks) {
					next, nextKPP, _ := strings.Cut(strings.TrimRight(sp.toks[j+1].text, ",;."), "/")
					if nd, nch, ok := digitsOf(next); ok && ruvalid.ValidINN(d+nd) &&
						float64(sp.toks[j+1].box.X0-sp.toks[j].box.X1) < lines[li].unit {
						h.inn, h.lookalike = d+nd, changed || nch
						h.innToks = append(h.innToks, sp.toks[j+1])
						h.lookalike = true // a split reading is less sure
						if k, ok := kppDigits(nextKPP); ok && m[6] < 0 {
							// «23324960 33/233201001»: the КПП came with the tail.
							h.kpp, h.kppToks = k, []token{sp.toks[j+1]}
						}
					}
				}
			}
			labelToks := sp.tokensIn(m[0], m[0]+1)
			if len(labelToks) > 0 {
				h.x0 = labelToks[0].box.X0
			}
			for _, g := range []int{6, 8} { // «ИНН/КПП a/b» or «ИНН a, КПП b»
				if m[g] >= 0 {
					kt := sp.tokensIn(m[g], m[g+1])
					if len(kt) == 0 || len(h.innToks) == 0 || float64(kt[0].box.X0-h.innToks[len(h.innToks)-1].box.X1) > 6*lines[li].unit {
						continue // a КПП in the next column belongs to the other side
					}
					if k, ok := kppDigits(sp.text[m[g]:m[g+1]]); ok {
						h.kpp = k
						h.kppToks = kt
					}
				}
			}
			if len(h.inn) < 9 {
				continue // a fragment, not an ИНН
			}
			h.conf = minConf(h.innToks)
			inns = append(inns, h)
		}
		inns = append(inns, unlabelledINNs(sp, li, inns)...)
		for _, m := range kppRe.FindAllStringSubmatchIndex(sp.text, -1) {
			k, ok := kppDigits(sp.text[m[2]:m[3]])
			if !ok {
				continue
			}
			h := idHit{line: li, kpp: k, kppToks: sp.tokensIn(m[2], m[3])}
			if lt := sp.tokensIn(m[0], m[0]+1); len(lt) > 0 {
				h.x0 = lt[0].box.X0
			}
			h.conf = minConf(h.kppToks)
			kpps = append(kpps, h)
		}
	}
	return inns, kpps
}

// unlabelledINNs finds the ИНН of an «ИНН … КПП …» pair, or an «ИНН/КПП»
// pair, whose label OCR garbled past the label's readings («ми. 3606802745 КПП 360601001»,
// seed 9301's scanner-app bill 015, whose supplier lost its ИНН so): a
// number of ten or twelve digits right before a «КПП» label, with valid
// check digits, that no labelled hit on the line (have) already holds.
// The label was not read, so the hit counts as a look-alike reading.
func unlabelledINNs(sp span, li int, have []idHit) []idHit {
	var out []idHit
	for _, m := range kppRe.FindAllStringSubmatchIndex(sp.text, -1) {
		j := sp.tokenAt(m[0])
		if j < 1 {
			continue
		}
		prev := sp.toks[j-1]
		d, _, ok := digitsOf(strings.TrimRight(prev.text, ",;"))
		if !ok || len(d) != 10 && len(d) != 12 || !ruvalid.ValidINN(d) {
			continue
		}
		if slices.ContainsFunc(have, func(h idHit) bool {
			return h.line == li && slices.ContainsFunc(h.innToks, func(t token) bool { return t.box == prev.box })
		}) {
			continue
		}
		h := idHit{line: li, inn: d, lookalike: true, innToks: []token{prev}, x0: prev.box.X0, conf: prev.conf}
		if j >= 2 {
			h.x0 = sp.toks[j-2].box.X0 // the garbled label
		}
		if k, ok := kppDigits(sp.text[m[2]:m[3]]); ok {
			h.kpp, h.kppToks = k, sp.tokensIn(m[2], m[3])
		}
		out = append(out, h)
	}
	// The pair in one word, «7822140300/782201001», after a label OCR
	// garbled into Latin («AHHIKTIN nponmaya:», seed 9301's realistic
	// УПД 013): only a statutory form prints a ten-digit number, a slash
	// and nine digits, and the pair must pass the ИНН's check with the
	// КПП in the ИНН's region — or, the label's side word read
	// («UHHYKAN продавца: 7713216037/165191001», seed 9401's realistic
	// УПД 003, a КПП of another region than its ИНН's as the generator and
	// the world print it), with the КПП left to checkParties' region
	// check, which sends a mismatch to a clerk.
	for j, t := range sp.toks {
		a, b, found := strings.Cut(strings.TrimRight(t.text, ",;."), "/")
		if !found || len(a) != 10 || len(b) != 9 || strings.ContainsFunc(a+b, func(r rune) bool { return r < '0' || r > '9' }) {
			continue
		}
		if !ruvalid.ValidINN(a) || b[:2] != a[:2] && !sideWordBefore(sp.toks, j) {
			continue
		}
		if slices.ContainsFunc(append(append([]idHit{}, have...), out...), func(h idHit) bool {
			return h.line == li && slices.ContainsFunc(h.innToks, func(x token) bool { return x.box == t.box })
		}) {
			continue
		}
		h := idHit{line: li, inn: a, kpp: b, lookalike: true, innToks: []token{t}, kppToks: []token{t}, x0: t.box.X0, conf: t.conf}
		if j >= 1 {
			h.x0 = sp.toks[max(0, j-2)].box.X0 // the garbled label
		}
		out = append(out, h)
	}
	// A twelve-digit number standing alone, with both check digits valid,
	// under a label OCR garbled past reading («ен ce О, 773609563425» for
	// «ИНН продавца: (2б) 773609563425», unseen seed 9421's scanned УПД
	// 021): only a sole trader's ИНН is printed so — a phone has eleven
	// digits, an ОГРНИП fifteen — and two check digits pass by chance
	// once in a hundred. Ten digits, with one check digit, are not taken
	// so.
	for j, t := range sp.toks {
		d := strings.Trim(t.text, ",;.:()")
		if len(d) != 12 || strings.ContainsFunc(d, func(r rune) bool { return r < '0' || r > '9' }) || !ruvalid.ValidINN(d) {
			continue
		}
		if j > 0 && startsWithDigit(sp.toks[j-1].text) || j+1 < len(sp.toks) && startsWithDigit(sp.toks[j+1].text) {
			continue // part of a longer run of digits
		}
		if slices.ContainsFunc(append(append([]idHit{}, have...), out...), func(h idHit) bool {
			return h.line == li && slices.ContainsFunc(h.innToks, func(x token) bool { return x.box == t.box })
		}) {
			continue
		}
		out = append(out, idHit{line: li, inn: d, lookalike: true, innToks: []token{t}, x0: sp.toks[max(0, j-2)].box.X0, conf: t.conf})
	}
	return out
}

// sideWordBefore reports «продавца» or «покупателя» among the two words
// before toks[j]: the end of a form's «ИНН/КПП продавца:» label.
func sideWordBefore(toks []token, j int) bool {
	for _, t := range toks[max(0, j-2):j] {
		k := strings.TrimRight(t.key, ":")
		if strings.HasPrefix(k, "продавц") || strings.HasPrefix(k, "покупател") {
			return true
		}
	}
	return false
}

// attribute decides which side an ИНН or КПП belongs to: the nearest role
// word left of it on its line; else the nearest role label above it in the
// same column; else a payee label just below (the bank block of a bill,
// where «Получатель» is printed under the name).
func attribute(lines []line, hits []roleHit, h *idHit) {
	li := h.line
	l := &lines[li]
	u := l.unit
	best := -1
	bestScore := math.Inf(1)
	for i, r := range hits {
		switch {
		case r.line == li:
			if r.box.X0 > h.x0+int(15*u) || r.box.X1 > firstX(h)+int(u) {
				continue
			}
			// Nearest to the left wins; labels far to the left of a
			// two-column row belong to the other column.
			dx := float64(firstX(h)-r.box.X1) / u
			if dx < 0 {
				dx = 0
			}
			if s := dx * 0.05; s < bestScore {
				best, bestScore = i, s
			}
		case r.line < li && li-r.line <= 12 && lines[r.line].page == l.page:
			dy := float64(l.box.Y0-lines[r.line].box.Y1) / u
			dx := math.Abs(float64(r.box.X0-h.x0)) / u
			if dx > 12 {
				continue
			}
			// A label further right than the ИНН's column start belongs
			// to a column to the right.
			if float64(r.box.X0-h.x0)/u > 4 {
				continue
			}
			if s := 1 + dy*0.3 + dx*0.15; s < bestScore {
				best, bestScore = i, s
			}
		case r.line > li && r.line-li <= 3 && lines[r.line].page == l.page:
			dy := float64(lines[r.line].box.Y0-l.box.Y1) / u
			dx := math.Abs(float64(r.box.X0-h.x0)) / u
			if dx > 6 || dy > 5 {
				continue
			}
			if s := 3 + dy*0.3 + dx*0.15; s < bestScore {
				best, bestScore = i, s
			}
		}
	}
	if best >= 0 {
		h.role, h.attributed, h.attributeScore = hits[best].role, true, bestScore
	}
}

func firstX(h *idHit) int {
	if len(h.innToks) > 0 {
		return h.innToks[0].box.X0
	}
	if len(h.kppToks) > 0 {
		return h.kppToks[0].box.X0
	}
	return h.x0
}

// wrappedAfter reports a КПП opening the line right under an ИНН that
// ends its own: running text wrapped between them («…, ИНН 3628266417,» |
// «КПП 362801001, 394210, г. Воронеж …», unseen seed 9441's born-digital
// act 037, whose КПП were both lost).
func wrappedAfter(lines []line, h, k idHit) bool {
	if k.line != h.line+1 || len(h.innToks) == 0 || len(k.kppToks) == 0 {
		return false
	}
	inn, next := h.innToks[len(h.innToks)-1], lines[k.line].toks
	last := lines[h.line].toks[len(lines[h.line].toks)-1]
	return last.box == inn.box && len(next) > 0 && next[0].box.X0 >= k.x0-1 && lines[k.line].page == lines[h.line].page
}

// partyResult is one side as extracted.
type partyResult struct {
	name, inn, kpp value
	innValid       bool
	label          *roleHit
	found          bool
	// column is the x-range of this side's column when the requisites
	// are printed in two columns (contracts); nil otherwise.
	column *[2]int
	// guessedRole is set when no role label tied the ИНН to this side
	// (taken in reading order): the digits may be right, the side not.
	guessedRole bool
	// fromPrinting is set when the name was taken from another printing
	// than the one at the side's label (mendNamesFromPrintings): the two
	// readings disagree, so no further printing may vouch for it.
	fromPrinting bool
}

// extractParties finds both sides of the document.
func extractParties(lines []line, typ pervichka.DocType) [2]partyResult {
	hits := findRoleHits(lines, typ)
	inns, kpps := findIDHits(lines)
	for i := range inns {
		attribute(lines, hits, &inns[i])
	}
	for i := range kpps {
		attribute(lines, hits, &kpps[i])
	}
	var out [2]partyResult
	for r := range 2 {
		out[r] = pickParty(lines, hits, inns, kpps, role(r))
	}
	// Unattributed ИНН (no role word near) fill a side left empty, in
	// reading order, when exactly the right number of them is left.
	var free []idHit
	for _, h := range inns {
		if !h.attributed && h.inn != out[0].inn.text && h.inn != out[1].inn.text {
			free = append(free, h)
		}
	}
	distinct := map[string]bool{}
	for _, h := range free {
		distinct[h.inn] = true
	}
	for r := range 2 {
		if !out[r].found && len(free) > 0 {
			h := free[0]
			free = free[1:]
			other := out[1-r]
			// The hit is this side's now: its name and КПП are not taken
			// from the other side's label («Заказчик: ООО …» under an
			// unlabelled supplier line whose label OCR lost).
			h.role, h.attributed = role(r), true
			out[r] = partyFromHit(lines, hits, h, kpps, nil)
			// A document has two sides: when the other one is labelled
			// and a single other ИНН is printed, it is this side's.
			// Otherwise the side is a guess from reading order.
			if other.found && !other.guessedRole && len(distinct) == 1 {
				out[r].inn.conf *= loneINNFactor
			} else {
				out[r].guessedRole = true
			}
		}
	}
	// A side whose ИНН OCR lost still has its name at its label
	// («Продавец: ИП Гусева Светлана Романовна» over a requisites line
	// read as «fae deer ead 5»: seed 8801's scanner-app bill 012): the
	// clerk gets the name to check instead of an empty field, and the
	// missing ИНН keeps the document in review.
	for r := range 2 {
		if !out[r].found {
			out[r].name = nameWithoutINN(lines, hits, role(r))
		}
	}
	return out
}

// nameWithoutINN reads the name at a label of side r for a side with no
// ИНН read, at nameNoINNFactor of its confidence. A name printed right of
// its label on the label's line is taken first («Продавец: АО "Квадрат"»):
// a payee label under the bank grid («Получатель») or a label alone on
// its line would otherwise give the line under or above it, which without
// an ИНН to tie it to may be the title.
func nameWithoutINN(lines []line, hits []roleHit, r role) value {
	var other value
	for _, h := range hits {
		if h.role != r {
			continue
		}
		v, ok := nameAtLabel(lines, hits, h)
		if !ok || len(v.toks) == 0 {
			continue
		}
		v.conf *= nameNoINNFactor
		lb, t := lines[h.line].box, v.toks[0].box
		if t.Y0 < lb.Y1 && t.Y1 > lb.Y0 && t.X0 > h.box.X0 {
			return v
		}
		if other.empty() {
			other = v
		}
	}
	return other
}

// pickParty chooses the ИНН of one side among the hits attributed to it:
// valid check digits first, then how many times the value is printed, then
// the closeness of the label.
func pickParty(lines []line, hits []roleHit, inns, kpps []idHit, r role) partyResult {
	type cand struct {
		h     idHit
		votes int
		valid bool
		score float64
	}
	var cs []cand
	for _, h := range inns {
		if !h.attributed || h.role != r {
			continue
		}
		found := false
		for i := range cs {
			if cs[i].h.inn == h.inn {
				cs[i].votes++
				if h.attributeScore < cs[i].h.attributeScore {
					keepKPP := cs[i].h.kpp
					cs[i].h = h
					if cs[i].h.kpp == "" {
						cs[i].h.kpp = keepKPP
					}
				}
				found = true
			}
		}
		if !found {
			cs = append(cs, cand{h: h, votes: 1, valid: ruvalid.ValidINN(h.inn)})
		}
	}
	if len(cs) == 0 {
		return partyResult{}
	}
	for i := range cs {
		cs[i].score = float64(cs[i].votes) - cs[i].h.attributeScore*0.1 + cs[i].h.conf
		if cs[i].valid {
			cs[i].score += 10
		}
	}
	slices.SortStableFunc(cs, func(a, b cand) int {
		switch {
		case a.score > b.score:
			return -1
		case a.score < b.score:
			return 1
		}
		return 0
	})
	best := cs[0]
	var lbl *roleHit
	bestD := math.Inf(1)
	for i := range hits {
		if hits[i].role == r {
			d := math.Abs(float64(hits[i].line - best.h.line))
			if hits[i].line > best.h.line {
				d += 2
			}
			if d < bestD {
				bestD, lbl = d, &hits[i]
			}
		}
	}
	p := partyFromHit(lines, hits, best.h, kpps, lbl)
	if lbl != nil {
		for _, o := range hits {
			if o.line == lbl.line && o.role != lbl.role {
				// Two sides on one line: columns.
				u := lines[lbl.line].unit
				left, right := lbl.box.X0-int(2*u), columnRight(hits, *lbl)
				if o.box.X0 < lbl.box.X0 {
					left = (o.box.X0 + lbl.box.X0) / 2
					if o.box.X1 < lbl.box.X0 {
						left = max(left, o.box.X1)
					}
				}
				p.column = &[2]int{left, right}
				break
			}
		}
	}
	if best.votes > 1 && best.valid {
		p.inn.conf = min(1, p.inn.conf+innVoteBonus*float64(best.votes-1))
	}
	// Different valid ИНН printed for one side: not sure which one.
	for _, c := range cs[1:] {
		if c.valid && c.h.inn != best.h.inn {
			p.inn.conf *= rivalINNFactor
			break
		}
	}
	return p
}

// partyFromHit builds a side from its chosen ИНН hit: the КПП printed with
// it or the nearest КПП of the same side, and the name at the label.
func partyFromHit(lines []line, hits []roleHit, h idHit, kpps []idHit, lbl *roleHit) partyResult {
	p := partyResult{found: true, label: lbl}
	p.inn = value{text: h.inn, conf: h.conf, toks: h.innToks}
	p.innValid = ruvalid.ValidINN(h.inn)
	if h.lookalike {
		p.inn.conf *= lookalikeINNFactor
	}
	if h.kpp != "" {
		p.kpp = value{text: h.kpp, conf: minConf(h.kppToks), toks: h.kppToks}
	} else if len(h.inn) == 10 {
		bestD := 1 << 30
		for _, k := range kpps {
			if h.attributed && k.attributed && k.role != h.role {
				continue
			}
			d := k.line - h.line
			if d < 0 {
				d = -d*2 + 1
			}
			if d > 4 {
				continue
			}
			// The same column: the КПП label starts near the ИНН label,
			// or follows it on the same line, or running text wrapped
			// after the ИНН (wrappedAfter).
			u := lines[h.line].unit
			if k.line != h.line && math.Abs(float64(k.x0-h.x0))/u > 4 && !wrappedAfter(lines, h, k) {
				continue
			}
			if k.line == h.line && k.x0 < h.x0 {
				continue
			}
			if d < bestD {
				bestD = d
				p.kpp = value{text: k.kpp, conf: k.conf, toks: k.kppToks}
			}
		}
	}
	p.name = partyName(lines, hits, h)
	return p
}

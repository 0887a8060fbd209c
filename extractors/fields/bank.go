package fields

import (
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	pervichka "github.com/pervichka/pervichka"
	"github.com/pervichka/pervichka/extractors/ruvalid"
)

// bankResult is the supplier's bank block.
type bankResult struct {
	name, bik, account, corr value
	bikValid, accValid       bool
	corrValid                bool
	// accRepaired: the account passes its key only after one digit was
	// changed (ruvalid.RepairDigits); it is kept, but a clerk must see it.
	accRepaired bool
	// accs are every account reading on the page, for a re-read of a lost
	// БИК to be checked against (rereadBIKInColumn).
	accs []accHit
	// rival: another БИК on the page passes the key with an account too —
	// a second whole bank block, as a contract prints for each side.
	rival bool
}

func (b bankResult) found() bool { return !b.bik.empty() || !b.account.empty() }

var (
	// bikRe allows what a photo of a ruled grid puts between the label and
	// its cell: dashes, underscores and the cell's border read as «[» or
	// «|» («БИК — [046577674»). The run may be longer than nine (a border
	// read as «1»): bikWindows picks the nine.
	bikRe = regexp.MustCompile(`(?i)(?:БИК|BIK|БИK|6ИК)[\s:№.\-—–_\[(]*(` + digitClass + `{9,11})(?:[^0-9OОоЗзбlI|]|$)`)
	acc20 = regexp.MustCompile(digitClass + `{20}`)
	// accRunRe is a run of digit-like characters, perhaps in groups split
	// by single spaces («40702810000000047 161» read off a photo).
	accRunRe = regexp.MustCompile(digitClass + `+(?: ` + digitClass + `+)*`)
	bankKw   = regexp.MustCompile(`(?i)(банк|bank|сбербанк|втб|альфа|тинькофф|райффайзен|открытие|газпромбанк|росбанк|промсвязьбанк|совкомбанк)`)
)

type accHit struct {
	v    value
	kind int // 0 unknown, 1 settlement, 2 correspondent
	line int
	// keyed: this reading joins groups split by spaces and may be used
	// only when it passes the key with the БИК.
	keyed bool
	site  int // one printed number: its readings share the site
	// corrLabel: printed after a correspondent account's label, whatever
	// its digits read as (kind is 2 only for readings starting 30101).
	corrLabel bool
}

// findBank reads БИК, settlement and correspondent accounts and the bank
// name. Accounts are told apart by their labels («Р/с», «Сч. №», «К/с»,
// «Кор. счёт») and by their form (30101… is correspondent), then checked
// with the control key against the БИК, which also picks the right
// candidate when several are printed.
func findBank(lines []line, column *[2]int) bankResult {
	if column != nil {
		// Two columns of requisites: the supplier's column only.
		inCol := make([]line, len(lines))
		for i, l := range lines {
			inCol[i] = l
			inCol[i].toks = nil
			for _, t := range l.toks {
				if c := (t.box.X0 + t.box.X1) / 2; c >= column[0] && c < column[1] {
					inCol[i].toks = append(inCol[i].toks, t)
				}
			}
		}
		if b := findBankIn(inCol); b.found() {
			return b
		}
	}
	b := findBankIn(lines)
	if b.rival {
		// Two whole bank blocks and no column told the supplier's: seed
		// 9521's photographed contract 037, its requisites' columns at
		// different heights on a slanted page, gave the customer's bank
		// as the supplier's, every key passing (БИК at 0.97).
		for _, v := range []*value{&b.name, &b.bik, &b.account, &b.corr} {
			v.conf = min(v.conf, rivalBankCap)
		}
	}
	return b
}

func findBankIn(lines []line) bankResult {
	var b bankResult
	var biks []value
	var accs []accHit
	bikLine := -1
	for li := range lines {
		l := &lines[li]
		sp := newSpan(l.toks)
		for _, m := range bikRe.FindAllStringSubmatchIndex(sp.text, -1) {
			d, look, ok := digitsOf(sp.text[m[2]:m[3]])
			if !ok {
				continue
			}
			toks := sp.tokensIn(m[2], m[3])
			c := minConf(toks)
			if look {
				c *= lookalikeFactor
			}
			for _, w := range bikWindows(d) {
				biks = append(biks, value{text: w, conf: c, toks: toks})
			}
			if bikLine < 0 {
				bikLine = li
			}
		}
		for _, m := range accRunRe.FindAllStringIndex(sp.text, -1) {
			toks := sp.tokensIn(m[0], m[1])
			c := minConf(toks)
			kind := 0
			pre := strings.ToLower(sp.text[max(0, m[0]-24):m[0]])
			switch {
			case strings.Contains(pre, "к/с") || strings.Contains(pre, "кор") || strings.Contains(pre, "к/сч") || strings.Contains(pre, "корр"):
				kind = 2
			case strings.Contains(pre, "р/с") || strings.Contains(pre, "сч") || strings.Contains(pre, "расч") || strings.Contains(pre, "р/сч") || strings.Contains(pre, "p/c"):
				// «p/c»: the label read in Latin (seed 9401's realistic
				// photo of a счёт-оферта).
				kind = 1
			}
			for _, w := range accountWindows(sp.text[m[0]:m[1]]) {
				wc := c
				if w.look {
					wc *= lookalikeFactor
				}
				k := kind
				if strings.HasPrefix(w.digits, "30101") {
					k = 2
				} else if k == 2 {
					k = 0
				}
				accs = append(accs, accHit{v: value{text: w.digits, conf: wc, toks: toks}, kind: k, line: li, keyed: w.keyed, site: m[0]*1000 + li, corrLabel: kind == 2})
			}
		}
	}
	if len(biks) == 0 && len(accs) == 0 {
		return b
	}
	b.accs = accs
	// A БИК that an account printed here passes the key with beats one
	// that is only well-formed: a run of ten read off a grid has two
	// windows, and two БИК may be printed (the supplier's and a payer's).
	for _, v := range biks {
		if !ruvalid.ValidBIK(v.text) {
			continue
		}
		for _, a := range accs {
			if ruvalid.ValidAccount(a.v.text, v.text) || ruvalid.ValidCorrAccount(a.v.text, v.text) {
				b.bik, b.bikValid = v, true
				break
			}
		}
		if b.bikValid {
			break
		}
	}
	for _, v := range biks {
		if !b.bikValid && ruvalid.ValidBIK(v.text) {
			b.bik = v
			b.bikValid = true
			break
		}
	}
	if b.bik.empty() && len(biks) > 0 {
		b.bik = biks[0]
	}
	if !b.bikValid {
		// OCR may lose the «БИК» label: a bare 9-digit 04… number is the
		// БИК only if an account printed here passes the key with it.
		for li := range lines {
			for _, t := range lines[li].toks {
				d, look, ok := digitsOf(strings.Trim(t.text, ".,;:"))
				if !ok || !ruvalid.ValidBIK(d) {
					continue
				}
				for _, a := range accs {
					if ruvalid.ValidAccount(a.v.text, d) || ruvalid.ValidCorrAccount(a.v.text, d) {
						c := t.conf
						if look {
							c *= lookalikeFactor
						}
						b.bik, b.bikValid = value{text: d, conf: c * bareBIKFactor, toks: []token{t}}, true
						if bikLine < 0 {
							// The bank's name is looked for beside
							// the БИК's line, labelled or not (seed
							// 9701's realistic bill 015 lost both
							// the label and the name with it).
							bikLine = li
						}
						break
					}
				}
				if b.bikValid {
					break
				}
			}
			if b.bikValid {
				break
			}
		}
	}
	for _, a := range accs {
		if a.kind == 2 {
			continue
		}
		if ruvalid.ValidAccount(a.v.text, b.bik.text) {
			b.account, b.accValid = a.v, true
			break
		}
	}
	if b.account.empty() && b.bikValid {
		// One digit off the key (a grid border merged into the first
		// digit, «4» read as «1»): a settlement account starts with 40
		// and carries 810 (ruvalid.PlausibleSettlement), which leaves at
		// most one repair in practice; several mean we cannot tell.
		for _, a := range accs {
			if a.kind == 2 || a.keyed {
				continue
			}
			if fixed, repaired, ok := ruvalid.RepairDigits(a.v.text, func(s string) bool {
				return ruvalid.ValidAccount(s, b.bik.text) && ruvalid.PlausibleSettlement(s)
			}); ok && repaired {
				b.account, b.accValid, b.accRepaired = a.v, true, true
				b.account.text = fixed
				b.account.conf *= accountRepairedFactor
				break
			}
		}
	}
	if b.account.empty() {
		for _, a := range accs {
			if a.kind == 1 && !a.keyed {
				b.account = a.v
				break
			}
		}
	}
	for _, a := range accs {
		if a.kind == 2 && ruvalid.ValidCorrAccount(a.v.text, b.bik.text) {
			b.corr, b.corrValid = a.v, true
			break
		}
	}
	if b.corr.empty() && b.bikValid {
		// One digit off under its label («50101810…» for 30101810…,
		// unseen seed 9441's scanned bills 007 and 022 lost the
		// correspondent account so): the one repair that starts it 30101
		// and passes the key with the БИК, as for the settlement account.
		// It stays under the sure threshold but holds nothing: a payment
		// needs the БИК and the account, and the correspondent account
		// follows from the БИК.
		for _, a := range accs {
			if !a.corrLabel || a.keyed {
				continue
			}
			if fixed, repaired, ok := ruvalid.RepairDigits(a.v.text, func(s string) bool {
				return strings.HasPrefix(s, "30101") && ruvalid.ValidCorrAccount(s, b.bik.text)
			}); ok && repaired {
				b.corr, b.corrValid = a.v, true
				b.corr.text = fixed
				b.corr.conf *= accountRepairedFactor
				break
			}
		}
	}
	if b.corr.empty() {
		for _, a := range accs {
			if a.kind == 2 && !a.keyed {
				b.corr = a.v
				break
			}
		}
	}
	b.name = bankName(lines, bikLine)
	for _, r := range biks {
		if r.text == b.bik.text || !ruvalid.ValidBIK(r.text) {
			continue
		}
		for _, a := range accs {
			if ruvalid.ValidAccount(a.v.text, r.text) {
				b.rival = true
			}
		}
	}
	return b
}

// bikWindows lists the 9-digit readings of a run read after «БИК»: the run
// itself, or, when a cell border added a digit, its 9-digit windows that
// look like a БИК (04…), first the one closest to the end.
func bikWindows(d string) []string {
	if len(d) == 9 {
		return []string{d}
	}
	var out []string
	for i := len(d) - 9; i >= 0; i-- {
		if w := d[i : i+9]; ruvalid.ValidBIK(w) {
			out = append(out, w)
		}
	}
	return out
}

// accWindow is one 20-digit reading of a printed account.
type accWindow struct {
	digits string
	look   bool // a look-alike letter was mapped to a digit
	keyed  bool // groups were joined: usable only with the key
}

// accountWindows reads the 20-digit accounts in a run of digit-like
// characters. A run of exactly 20 is one reading. A longer run — «№» or the
// grid's border read as a digit or «|» before «40802810500000601096» — is
// read in every 20-digit window, best first: windows without look-alikes,
// then those shaped like an account (ruvalid.PlausibleAccount); the key
// with the БИK then chooses among them (findBankIn), not the position. A
// run split by spaces whose groups make exactly 20 digits is one more
// reading, marked keyed.
func accountWindows(run string) []accWindow {
	groups := strings.Split(run, " ")
	var out []accWindow
	for _, g := range groups {
		rs := []rune(g)
		if len(rs) < 20 || len(rs) > 26 {
			continue
		}
		var ws []accWindow
		for i := 0; i+20 <= len(rs); i++ {
			d, look, ok := digitsOf(string(rs[i : i+20]))
			if ok {
				ws = append(ws, accWindow{digits: d, look: look})
			}
		}
		rank := func(w accWindow) int {
			r := 0
			if w.look {
				r += 2
			}
			if !ruvalid.PlausibleAccount(w.digits) {
				r++
			}
			return r
		}
		slices.SortStableFunc(ws, func(a, b accWindow) int { return rank(a) - rank(b) })
		out = append(out, ws...)
	}
	if len(groups) > 1 && len(out) == 0 {
		// Join neighbouring groups that make exactly 20 digits.
		for i := range groups {
			n := 0
			for j := i; j < len(groups) && n < 20; j++ {
				n += utf8.RuneCountInString(groups[j])
				if n == 20 && j > i {
					if d, look, ok := digitsOf(strings.Join(groups[i:j+1], "")); ok {
						out = append(out, accWindow{digits: d, look: look, keyed: true})
					}
				}
			}
		}
	}
	return out
}

// bankName finds the bank's name: after «Банк:»/«в», or the line above
// «Банк получателя» (the 1C bill form), or a line naming a bank near the БИК.
func bankName(lines []line, bikLine int) value {
	for li := range lines {
		l := &lines[li]
		for i, t := range l.toks {
			k := strings.Trim(t.key, ":")
			switch {
			case (k == "банк" || k == "банка") && i+1 < len(l.toks) && l.toks[i+1].key != "получателя" &&
				(strings.HasSuffix(t.text, ":") || float64(l.toks[i+1].box.X0-t.box.X1) > 1.2*l.unit):
				// «Банк: ПАО Сбербанк» or a table row «Банк | ПАО Сбербанк»,
				// perhaps wrapped onto the next line of its column.
				rest := append([]token{}, l.toks[i+1:]...)
				if li+1 < len(lines) && lines[li+1].page == l.page && float64(lines[li+1].box.Y0-l.box.Y1) < l.unit {
					for _, nt := range lines[li+1].toks {
						if nt.box.X0 >= t.box.X0-int(l.unit) && nt.box.X0 < rest[len(rest)-1].box.X1+int(2*l.unit) {
							rest = append(rest, nt)
						}
					}
				}
				if v, ok := bankNameFrom(rest); ok {
					return v
				}
			case k == "банк" && i+1 < len(l.toks) && isPayeeKey(l.toks[i+1].key):
				// «Банк получателя» labels the line above (1C form): a
				// name there needs no bank word («ПАО КБ "УБРИР"»).
				// The name's cell spans the grid's first two rows, so it
				// may be two lines up; it starts where the label starts.
				for up := li - 1; up >= 0 && up >= li-2 && lines[up].page == l.page; up-- {
					ts := lines[up].toks
					if len(ts) == 0 || float64(ts[0].box.X0-t.box.X0) > 2*l.unit {
						continue
					}
					if up > 0 && up > li-2 && cityGoesOn(&lines[up-1]) {
						// «ФИЛИАЛ … "АЛЬФА-БАНК" г.» | «Новосибирск»: the
						// line under the name is its city (unseen seed
						// 9331's born-digital bill 010 gave «Новосибирск»
						// as the bank, at the confidence of a text layer).
						continue
					}
					if v, ok := bankNameAt(ts, false); ok {
						return v
					}
					break
				}
			}
		}
	}
	// «р/с 40702… в ПАО Сбербанк», or «в …» opening the line under the
	// account (a contract's requisites column: «Р/с 40702…» | «в ФИЛИАЛ
	// "НОВОСИБИРСКИЙ" АО» | «"АЛЬФА-БАНК"», where only the last line named
	// a bank and was taken alone, at the confidence of a text layer).
	for li := range lines {
		l := &lines[li]
		for i, t := range l.toks {
			if t.key == "в" && (i > 0 && acc20.MatchString(l.toks[i-1].text) || i == 0 && accountAbove(lines, li)) {
				rest := append([]token{}, l.toks[i+1:]...)
				// The text's column ends at a wide gap: ТОРГ-12 prints
				// «Коды» far right on the line that ends «в банке» (seed
				// 9201's scanner-app 003 took «Коды АО "ТБанк"»), or
				// right after the «в» when «банке» wrapped (unseen seed
				// 9431's realistic ТОРГ-12 002: «в Коды» | «банке
				// Волго-Вятский банк …» gave «Коды банке …» at 0.95).
				prev := t
				for j := 0; j < len(rest); j++ {
					if float64(rest[j].box.X0-prev.box.X1) > 3*float64(max(1, rest[j].box.Dy())) {
						rest = rest[:j]
						break
					}
					prev = rest[j]
				}
				// «… в банке» ending the line: the whole name is on the
				// next (seed 8941's ТОРГ-12 006 gave «банке» as the bank,
				// at the confidence of a text layer).
				bare := len(rest) == 0 || len(rest) == 1 && strings.Trim(rest[0].key, ",:") == "банке"
				if (bare || nameCutAtLineEnd(rest) || bankNameGoesOn(rest, lines, li)) && li+1 < len(lines) && lines[li+1].page == l.page && float64(lines[li+1].box.Y0-l.box.Y1) < l.unit {
					// «… в банке ПАО» | «"МТС-Банк" г. Москва, БИК …»: the
					// name goes on at the start of the next line.
					rest = append(rest, lines[li+1].toks...)
				}
				if v, ok := bankNameFrom(rest); ok {
					return v
				}
			}
		}
	}
	if bikLine >= 0 {
		// The БИК's own line first, then the nearest: a 1C grid prints
		// the name beside the БИК («ПАО "БАНК УРАЛСИБ" г. Уфа | БИК …»,
		// one cell when the gap is narrow; bankNameFrom stops at «БИК»),
		// and a notice two lines up may mention «банковских дней» (seed
		// 9201's scanner-app bill 008 took «Внимание! Оплата данного
		// счета …» as its bank once the label «Банк получателя» was
		// garbled).
		for _, d := range []int{0, -1, 1, -2, 2} {
			li := bikLine + d
			if li < 0 || li >= len(lines) {
				continue
			}
			for _, c := range lines[li].cells(2) {
				txt := strings.ToLower(joinTokens(c))
				if !bankKw.MatchString(bankAdjective.ReplaceAllString(txt, "")) || strings.HasPrefix(strings.Trim(c[0].key, ":"), "бик") || strings.Contains(txt, "получател") {
					continue
				}
				if v, ok := bankNameFrom(c); ok && len(strings.Fields(v.text)) <= maxBankNameWords {
					return v
				}
			}
		}
	}
	return value{}
}

// bankAdjective is «банковский» in any form: a word of running text
// («в течение 10 банковских дней»), not of a bank's name.
var bankAdjective = regexp.MustCompile(`банковск\p{L}*`)

// maxBankNameWords is the most words a bank's name found near the БИК may
// hold: the longest in our corpora and real-dev is «Филиал Точка
// Публичного акционерного общества Банка «Финансовая Корпорация
// Открытие»» (9); a longer run is a sentence.
const maxBankNameWords = 12

// accountAbove reports a settlement account ending the line right above
// line li, on its page.
func accountAbove(lines []line, li int) bool {
	if li == 0 {
		return false
	}
	l, up := &lines[li], &lines[li-1]
	if up.page != l.page || len(up.toks) == 0 || float64(l.box.Y0-up.box.Y1) > l.unit {
		return false
	}
	return acc20.MatchString(up.toks[len(up.toks)-1].text)
}

// bankNameFrom cuts a bank name from words: up to «БИК», an account or a
// comma followed by requisites.
func bankNameFrom(ts []token) (value, bool) { return bankNameAt(ts, true) }

// bankNameAt is bankNameFrom; needKw asks for a bank word in the name
// (banks, банк, ВТБ…), unless a label already says what the words are.
func bankNameAt(ts []token, needKw bool) (value, bool) {
	afterLabel := false
	for len(ts) > 1 && accountPiece(ts[0].text) {
		// «408028 10877842762184, в банке АО "АЛЬФА-БАНК"»: the pieces
		// of an account OCR split, which no account pattern matches,
		// before the words that name the bank (seed 9701's realistic
		// ТОРГ-12 005 took them into its bank's name).
		ts = ts[1:]
	}
	if len(ts) > 1 && ts[0].key == "в" {
		ts = ts[1:] // «в ПАО Сбербанк»
	}
	if len(ts) > 1 && ts[0].key == "банке" {
		ts = ts[1:] // «в банке ПАО "МТС-Банк"», as 1C's act prints it
		// The label says what the words are: a name whose bank word OCR
		// garbled («в банке Банх ГПБ (АО)», seed 9301's scanner-app
		// ТОРГ-12 004) is still the bank's, though not a sure reading.
		needKw, afterLabel = false, true
	}
	if len(ts) > 1 && bankLabelWord(ts[0].key) && float64(ts[1].box.X0-ts[0].box.X1) > 3*float64(max(1, ts[1].box.Dy())) {
		// «Bank @30 Волго-Вятский банк ПАО Сбербанк»: the label «Банк»
		// (its colon lost, read in Latin) in a column of its own before
		// the name. Unseen seed 9621's photographed bill 038 named its
		// bank «Bank» at 0.96.
		ts = ts[1:]
	}
	var keep []token
	for i, t := range ts {
		k := strings.Trim(t.key, ":,")
		if i > 0 && float64(t.box.X0-ts[i-1].box.X1) > 3*float64(max(1, t.box.Dy())) {
			break // the next column
		}
		if k == "бик" || k == "к/с" || k == "р/с" || k == "сч" || strings.HasPrefix(k, "корр") || strings.HasPrefix(k, "кор.") || k == "инн" || k == "кпп" || k == "адрес" || acc20.MatchString(t.text) || accountPiece(t.text) {
			break
		}
		if strings.HasPrefix(k, "банк") && strings.HasSuffix(t.text, ":") {
			if len(keep) > 0 {
				break
			}
			continue
		}
		keep = append(keep, t)
	}
	// The city printed after the name («… г. Москва») is not part of it.
	for i := 1; i < len(keep); i++ {
		if k := keep[i].key; k == "г" || k == "г." || cityMarkMisread(keep, i) {
			keep = keep[:i]
			if n := len(keep); n > 1 && keep[n-1].key == "в" {
				keep = keep[:n-1] // «… Банка ВТБ (ПАО) в г. Москве»
			}
			break
		}
	}
	if len(keep) == 0 || needKw && !bankKw.MatchString(joinTokens(keep)) {
		return value{}, false
	}
	if letters := strings.IndexFunc(joinTokens(keep), unicode.IsLetter); letters < 0 {
		return value{}, false
	}
	if len(keep) > 1 && (startsWithQuote(keep[1].text) || startsWithFlatQuote(keep[1].text)) {
		// «000 "Банк Точка"»: a legal form read in look-alikes before
		// the quoted name (9601's scanner-app bill 002 showed it so at
		// 0.95), mended as a party's name is (nameFrom).
		// A bank's «П» read as a Latin «N» too («NAO "МТС.Банк"», 9841's
		// scanner-app ТОРГ-12 012): banks are ПАО, АО or ООО, and no
		// form has an «N».
		if f, ok := ruvalid.LegalFormLookalike(strings.ReplaceAll(keep[0].text, "N", "П")); ok && f != keep[0].text {
			keep = slices.Clone(keep)
			keep[0].text, keep[0].key = f, wordKey(f)
		}
	}
	keep = mendLatinBank(keep)
	// «[» and «|» are the grid's cell border read as a character, and a
	// closing quote read twice is one («[ПАО КБ "УБРИР"”», real-dev's
	// photo 18-12-37); an adjective's «й» read as «и» is given back
	// («УРАЛЬСКИИ БАНК», real-dev's photo 18-12-16).
	text := ruvalid.FixShortI(trimDoubledQuote(strings.Trim(joinTokens(keep), " ,;:[]|")))
	// «МТС.Банк»: a hyphen read as a full stop before «Банк» («МТС-Банк»,
	// «Альфа-Банк»); no bank's name has a full stop there.
	text = dotBeforeBank.ReplaceAllString(text, "$1-$2")
	if lk := strings.ToLower(text); bankLabelWord(lk) || lk == "банке" || lk == "банк получателя" || lk == "банк плательщика" {
		return value{}, false
	}
	if len(keep) == 2 && strings.HasPrefix(keep[0].key, "банк") && isPayeeKey(keep[1].key) {
		return value{}, false // the label as OCR garbled it: «Банк голучатоля»
	}
	conf := minConf(keep)
	if afterLabel && !bankKw.MatchString(text) {
		conf = min(conf, garbledBankNameCap)
	}
	return value{text: text, conf: conf, toks: keep}, true
}

// mendLatinBank gives back «Банк» that the English model read as the
// word «Bank» inside a name printed in Cyrillic («ООО “Bank Точка"»,
// seed 9701's realistic bill 004, at 0.86). Russian banks register their
// names in Cyrillic; a name with no Cyrillic letter is left as read.
func mendLatinBank(keep []token) []token {
	cyr := false
	for _, t := range keep {
		cyr = cyr || strings.IndexFunc(t.text, func(r rune) bool { return unicode.Is(unicode.Cyrillic, r) }) >= 0
	}
	if !cyr {
		return keep
	}
	out, cloned := keep, false
	for i, t := range keep {
		core := strings.TrimFunc(t.text, func(r rune) bool { return !unicode.IsLetter(r) })
		var mend string
		switch core {
		case "Bank":
			mend = "Банк"
		case "BANK":
			mend = "БАНК"
		default:
			continue
		}
		if !cloned {
			out, cloned = slices.Clone(keep), true
		}
		txt := strings.Replace(t.text, core, mend, 1)
		out[i].text, out[i].key = txt, wordKey(txt)
	}
	return out
}

// accountPiece reports a word of six digits or more (with the marks OCR
// sets around them): a piece of an account or a БИК, never a word of a
// bank's name, whose branch numbers have four digits at most («Филиал
// № 7701»).
func accountPiece(s string) bool {
	s = strings.Trim(s, ",.;:|")
	digits := 0
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
		digits++
	}
	return digits >= 6
}

// bankLabelWord reports the word «Банк» as a label prints it, with or
// without its colon, in Cyrillic or read in Latin.
func bankLabelWord(k string) bool {
	k = strings.ToLower(strings.TrimRight(k, ":"))
	return k == "банк" || k == "bank"
}

// cityGoesOn reports a line whose first cell ends with «г.», its city
// wrapped onto the next line (the grid's БИК cell may follow on the line).
func cityGoesOn(l *line) bool {
	cs := l.cells(2)
	if len(cs) == 0 {
		return false
	}
	k := cs[0][len(cs[0])-1].key
	return k == "г" || k == "г."
}

// cityMarkMisread reports «г.» before the city read as «1.» or «r.»
// right after a name's closing quote or bracket («… АО "АЛЬФА-БАНК" 1.
// Новосибирск.», seed 9301's scanner-app ТОРГ-12 007): the next word is
// a capitalised Russian one.
func cityMarkMisread(ts []token, i int) bool {
	if i+1 >= len(ts) || ts[i].text != "1." && ts[i].text != "r." {
		return false
	}
	prev := []rune(ts[i-1].text)
	next := []rune(ts[i+1].text)
	return strings.ContainsRune("\"»”“)", prev[len(prev)-1]) && len(next) > 1 && unicode.IsUpper(next[0]) && unicode.Is(unicode.Cyrillic, next[0])
}

// garbledBankNameCap is the most a bank's name read after «в банке»
// without any bank word may count: most likely one OCR garbled («Банх»),
// shown for a clerk to correct, never as sure; chosen so, not measured.
const garbledBankNameCap = 0.5

// nameCutAtLineEnd reports whether a bank name that runs to the end of
// its line stops short: no requisite or city after it on the line, and it
// ends with a bare legal form («в банке ПАО») or inside its quotes («АО
// "КРЕДИТ»).
func nameCutAtLineEnd(ts []token) bool {
	if len(ts) == 0 || !runsToLineEnd(ts) {
		return false
	}
	text := joinTokens(ts)
	quotes := strings.Count(text, "\"") + strings.Count(text, "«") + strings.Count(text, "»") + strings.Count(text, "“") + strings.Count(text, "”")
	last := strings.Trim(ts[len(ts)-1].key, ",.")
	return quotes%2 == 1 || legalFormWords[last]
}

// runsToLineEnd reports that nothing closes a bank name among ts: no
// requisite, account or city follows it on its line.
func runsToLineEnd(ts []token) bool {
	for _, t := range ts {
		k := strings.Trim(t.key, ":,")
		if k == "бик" || k == "г" || k == "к/с" || k == "р/с" || k == "инн" || acc20.MatchString(t.text) {
			return false
		}
	}
	return true
}

// bankNameGoesOn reports that the words after «в» on line li, running to
// the line's end, are only the start of a branch's name: no bank word yet
// («в банке Северо-Западный» | «банк ПАО Сбербанк г. Санкт-Петербург»), or
// a branch ending with «банк» whose owner opens the next line with its
// legal form («… Северо-Западный банк» | «ПАО Сбербанк …»), or a name
// whose legal form in brackets opens the next line. Seed 9301's
// act 003 gave «банк ПАО Сбербанк», found beside the БИК, in every
// variant, at the confidence of a text layer on the born-digital one.
func bankNameGoesOn(rest []token, lines []line, li int) bool {
	if len(rest) == 0 || !runsToLineEnd(rest) || li+1 >= len(lines) || len(lines[li+1].toks) == 0 {
		return false
	}
	words := rest
	if words[0].key == "в" || words[0].key == "банке" {
		words = words[1:]
	}
	if len(words) > 0 && !bankKw.MatchString(joinTokens(words)) {
		return true
	}
	next := lines[li+1].toks[0]
	if strings.HasPrefix(next.text, "(") && legalFormWords[strings.Trim(next.key, "(),.")] {
		// «в банке Банк ГПБ» | «(АО) г. Москва, БИК …»: the legal form
		// in brackets after the name wrapped (seed 9701's act 010 gave
		// «Банк ГПБ» at 0.97 on its scan).
		return true
	}
	return strings.Trim(rest[len(rest)-1].key, ",.") == "банк" && legalFormWords[strings.Trim(next.key, ",.")]
}

// isPayeeKey matches «получателя» (or «плательщика») as a photo reads it.
func isPayeeKey(key string) bool {
	k := strings.Trim(key, ":.,")
	return strings.HasPrefix(k, "получател") || matchScore(k, "получателя") > 0 || matchScore(k, "плательщика") > 0
}

func (b bankResult) output() *pervichka.Bank {
	if !b.found() {
		return nil
	}
	return &pervichka.Bank{
		BankName:    pervichka.Text(b.name.text),
		BIK:         pervichka.Text(b.bik.text),
		Account:     pervichka.Text(b.account.text),
		CorrAccount: pervichka.Text(b.corr.text),
	}
}

// dotBeforeBank is a full stop between a word and «Банк» in a bank's name.
var dotBeforeBank = regexp.MustCompile(`(\p{L})\.(Банк|БАНК|банк)`)

// trimDoubledQuote drops the last of two closing quotes that end s when
// s has an odd count of quotes: OCR read a quote's second stroke, or a
// speck beside it, as a quote of its own. A name nested in another ends
// with two quotes of its own (`АО "Банк "Уралсиб""`), an even count.
func trimDoubledQuote(s string) string {
	r := []rune(s)
	n := len(r)
	quotes := 0
	for _, c := range r {
		if strings.ContainsRune(nameQuotes, c) {
			quotes++
		}
	}
	if n >= 3 && quotes%2 == 1 && strings.ContainsRune(nameQuotes, r[n-1]) && strings.ContainsRune(nameQuotes, r[n-2]) {
		return string(r[:n-1])
	}
	return s
}

// nameQuotes are the marks a quoted name is set in as OCR reads them.
const nameQuotes = "\"«»“”„'’"

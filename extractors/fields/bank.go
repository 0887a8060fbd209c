package fields

import (
	"regexp"
	"strings"

	pervichka "github.com/pervichka/pervichka"
	"github.com/pervichka/pervichka/extractors/ruvalid"
)

// bankResult is the supplier's bank block.
type bankResult struct {
	name, bik, account, corr value
	bikValid, accValid       bool
	corrValid                bool
}

func (b bankResult) found() bool { return !b.bik.empty() || !b.account.empty() }

var (
	bikRe  = regexp.MustCompile(`(?i)(?:БИК|BIK|БИK|6ИК)\s*[:№.]?\s*(` + digitClass + `{9})\b`)
	acc20  = regexp.MustCompile(digitClass + `{20}`)
	bankKw = regexp.MustCompile(`(?i)(банк|bank|сбербанк|втб|альфа|тинькофф|райффайзен|открытие|газпромбанк|росбанк|промсвязьбанк|совкомбанк)`)
)

type accHit struct {
	v    value
	kind int // 0 unknown, 1 settlement, 2 correspondent
	line int
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
	return findBankIn(lines)
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
				c *= 0.85
			}
			biks = append(biks, value{text: d, conf: c, toks: toks})
			if bikLine < 0 {
				bikLine = li
			}
		}
		for _, m := range acc20.FindAllStringIndex(sp.text, -1) {
			d, look, ok := digitsOf(sp.text[m[0]:m[1]])
			if !ok {
				continue
			}
			toks := sp.tokensIn(m[0], m[1])
			c := minConf(toks)
			if look {
				c *= 0.85
			}
			kind := 0
			pre := strings.ToLower(sp.text[max(0, m[0]-24):m[0]])
			switch {
			case strings.Contains(pre, "к/с") || strings.Contains(pre, "кор") || strings.Contains(pre, "к/сч") || strings.Contains(pre, "корр"):
				kind = 2
			case strings.Contains(pre, "р/с") || strings.Contains(pre, "сч") || strings.Contains(pre, "расч") || strings.Contains(pre, "р/сч"):
				kind = 1
			}
			if strings.HasPrefix(d, "30101") {
				kind = 2
			} else if kind == 2 {
				kind = 0
			}
			accs = append(accs, accHit{v: value{text: d, conf: c, toks: toks}, kind: kind, line: li})
		}
	}
	if len(biks) == 0 && len(accs) == 0 {
		return b
	}
	for _, v := range biks {
		if ruvalid.ValidBIK(v.text) {
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
							c *= 0.85
						}
						b.bik, b.bikValid = value{text: d, conf: c * 0.9, toks: []token{t}}, true
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
	if b.account.empty() {
		for _, a := range accs {
			if a.kind == 1 {
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
	if b.corr.empty() {
		for _, a := range accs {
			if a.kind == 2 {
				b.corr = a.v
				break
			}
		}
	}
	b.name = bankName(lines, bikLine)
	return b
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
			case k == "банк" && i+1 < len(l.toks) && strings.HasPrefix(l.toks[i+1].key, "получател"):
				// «Банк получателя» labels the line above (1C form).
				if li > 0 {
					if v, ok := bankNameFrom(lines[li-1].toks); ok {
						return v
					}
				}
			}
		}
	}
	// «р/с 40702… в ПАО Сбербанк»
	for li := range lines {
		l := &lines[li]
		for i, t := range l.toks {
			if t.key == "в" && i > 0 && acc20.MatchString(l.toks[i-1].text) {
				if v, ok := bankNameFrom(l.toks[i+1:]); ok {
					return v
				}
			}
		}
	}
	if bikLine >= 0 {
		for li := max(0, bikLine-2); li < len(lines) && li <= bikLine+2; li++ {
			for _, c := range lines[li].cells(2) {
				txt := joinTokens(c)
				if bankKw.MatchString(txt) && !strings.Contains(strings.ToLower(txt), "бик") && !strings.Contains(strings.ToLower(txt), "получател") {
					if v, ok := bankNameFrom(c); ok {
						return v
					}
				}
			}
		}
	}
	return value{}
}

// bankNameFrom cuts a bank name from words: up to «БИК», an account or a
// comma followed by requisites.
func bankNameFrom(ts []token) (value, bool) {
	if len(ts) > 1 && ts[0].key == "в" {
		ts = ts[1:] // «в ПАО Сбербанк»
	}
	var keep []token
	for i, t := range ts {
		k := strings.Trim(t.key, ":,")
		if i > 0 && float64(t.box.X0-ts[i-1].box.X1) > 3*float64(max(1, t.box.Dy())) {
			break // the next column
		}
		if k == "бик" || k == "к/с" || k == "р/с" || k == "сч" || strings.HasPrefix(k, "корр") || strings.HasPrefix(k, "кор.") || k == "инн" || k == "кпп" || k == "адрес" || acc20.MatchString(t.text) {
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
		if k := keep[i].key; k == "г" || k == "г." {
			keep = keep[:i]
			break
		}
	}
	if len(keep) == 0 || !bankKw.MatchString(joinTokens(keep)) {
		return value{}, false
	}
	text := strings.Trim(joinTokens(keep), " ,;:")
	if lk := strings.ToLower(text); lk == "банк" || lk == "банк получателя" || lk == "банк плательщика" {
		return value{}, false
	}
	return value{text: text, conf: minConf(keep), toks: keep}, true
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
